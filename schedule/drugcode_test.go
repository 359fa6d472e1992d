package schedule_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/schedule"
)

// TestDrugCode: a protocol may code its drug; the code is carried as
// written, and a malformed one is refused with its field.
func TestDrugCode(t *testing.T) {
	tests := []struct {
		name  string
		code  string // the drug_code line, "" for none
		want  *schedule.DrugCode
		paths []string
		is    error
	}{
		{name: "none", code: ""},
		{name: "system, code and display", code: `drug_code: {system: "http://example.org/drugs", code: "K-1", display: "ketamine 10 mg/mL"}` + "\n",
			want: &schedule.DrugCode{System: "http://example.org/drugs", Code: "K-1", Display: "ketamine 10 mg/mL"}},
		{name: "urn system", code: `drug_code: {system: "urn:oid:2.16.840.1.113883.6.69", code: "0000-0000-00"}` + "\n",
			want: &schedule.DrugCode{System: "urn:oid:2.16.840.1.113883.6.69", Code: "0000-0000-00"}},
		{name: "missing system and code", code: "drug_code: {display: ketamine}\n",
			paths: []string{"drug_code.code", "drug_code.system"}, is: schedule.ErrMissing},
		{name: "system not a URI", code: `drug_code: {system: "RxNorm", code: "1"}` + "\n", paths: []string{"drug_code.system"}, is: schedule.ErrSyntax},
		{name: "system with a space", code: `drug_code: {system: "http://example.org/my drugs", code: "1"}` + "\n", paths: []string{"drug_code.system"}, is: schedule.ErrSyntax},
		{name: "code with white space around", code: `drug_code: {system: "http://example.org/drugs", code: " 1"}` + "\n", paths: []string{"drug_code.code"}, is: schedule.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := edit(t, baseYAML, "route: intravenous\n", "route: intravenous\n"+tt.code)
			p, err := schedule.LoadProtocol([]byte(doc))
			if tt.paths == nil {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, p.DrugCode); diff != "" {
					t.Errorf("drug_code (-want +got):\n%s", diff)
				}
				return
			}
			if diff := cmp.Diff(tt.paths, errPaths(err)); diff != "" {
				t.Errorf("error fields (-want +got):\n%s\n%v", diff, err)
			}
			if !errors.Is(err, tt.is) {
				t.Errorf("%v does not wrap %v", err, tt.is)
			}
		})
	}
}
