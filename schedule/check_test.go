package schedule_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// ivWithTolerances is the IV example with a check_tolerances section added.
func ivWithTolerances(t *testing.T, tolerances string) (*schedule.Protocol, error) {
	t.Helper()
	doc, err := protocols.Read("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	return schedule.LoadProtocol([]byte(string(doc) + "\ncheck_tolerances: " + tolerances + "\n"))
}

func TestProtocolCheckTolerances(t *testing.T) {
	q := units.MustParse
	patient := dosing.Patient{Weight: q("80 kg"), Height: q("175 cm"), Sex: dosing.Male, AgeYears: 45}
	// By hand: 104 mL over 40 min is 156 mL/h; 160 mL/h is 2.564 % above it:
	// inside the default 5 %, outside a protocol's 2 %, and inside again
	// when the caller widens it to 3 %.
	order := dosing.Order{PumpRate: q("160 mL/h")}
	tests := []struct {
		name       string
		tolerances string
		opt        dosing.Tolerances
		want       dosing.Verdict
	}{
		{"default 5 % accepts 2.6 %", "{}", dosing.Tolerances{}, dosing.Match},
		{"protocol 2 % refuses 2.6 %", "{pump_rate: 2 %}", dosing.Tolerances{}, dosing.Mismatch},
		{"caller 3 % overrides the protocol's 2 %", "{pump_rate: 2 %}", dosing.Tolerances{PumpRate: q("3 %")}, dosing.Match},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ivWithTolerances(t, tt.tolerances)
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Check(order, patient, dosing.CheckOptions{Tolerances: tt.opt})
			if err != nil {
				t.Fatal(err)
			}
			if res.Agreement != tt.want {
				t.Errorf("Agreement = %s, want %s (%s)", res.Agreement, tt.want, res.Summary)
			}
			if res.Provenance.SHA256 != p.SHA256() || res.Expected.Provenance.SHA256 != p.SHA256() {
				t.Error("the result does not carry the protocol's SHA-256")
			}
		})
	}
}

func TestProtocolCheckTolerancesRefused(t *testing.T) {
	_, err := ivWithTolerances(t, "{pump_rate: 30 %, dose: 5 mg}")
	for _, field := range []string{"check_tolerances.pump_rate", "check_tolerances.dose"} {
		var found bool
		for _, e := range unjoinAll(err) {
			var fe *schedule.FieldError
			if errors.As(e, &fe) && fe.Field == field {
				found = true
			}
		}
		if !found {
			t.Errorf("LoadProtocol error %v does not name %s", err, field)
		}
	}
	if !strings.Contains(err.Error(), "0 % to 20 %") {
		t.Errorf("error %q does not state the allowed range", err)
	}
}

func unjoinAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
