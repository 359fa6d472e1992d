package fhir_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/fhir"
)

// The package's errors have the module's one shape: sentinels carry the
// package prefix, and a FieldError reads fhir: <field> "<value>": <msg>.
func TestErrorShape(t *testing.T) {
	for _, err := range []error{fhir.ErrMissing, fhir.ErrConflict, fhir.ErrInexact} {
		if !strings.HasPrefix(err.Error(), "fhir: ") {
			t.Errorf("sentinel %q lacks the package prefix", err)
		}
	}
	for _, tc := range []struct {
		name string
		err  *fhir.FieldError
		want string
	}{
		{"with a value", &fhir.FieldError{Field: "sessions[3].dose.dose", Value: "1/3 mg", Msg: "does not terminate", Err: fhir.ErrInexact},
			`fhir: sessions[3].dose.dose "1/3 mg": does not terminate`},
		{"missing", &fhir.FieldError{Field: "options.recorded", Msg: "is required", Err: fhir.ErrMissing},
			`fhir: options.recorded: is required`},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
		if !errors.Is(tc.err, tc.err.Err) {
			t.Errorf("%s: errors.Is(err, its sentinel) = false", tc.name)
		}
	}
}
