package pk_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

func ivRule(loading *dosing.Loading) dosing.Rule {
	q := units.MustParse
	return dosing.Rule{Name: "iv", Version: "1", Dose: q("0.5 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: q("10 mg/mL"), DrawStep: q("0.1 mL"), DrawRounding: units.RoundHalfUp,
			Bag: &dosing.Bag{Volume: q("100 mL"), Method: dosing.AddToBag}},
		Infusion: &dosing.Infusion{Duration: q("40 min"), Loading: loading,
			Pump: dosing.Pump{RateStep: q("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: q("999 mL/h")}}}
}

func TestFromResult(t *testing.T) {
	q := units.MustParse
	patient := dosing.Patient{Weight: q("80 kg")}
	tests := []struct {
		name    string
		loading *dosing.Loading
		// By hand, 80 kg: 40 mg → 4 mL → 104 mL over 40 min = 156 mL/h,
		// which runs exactly 40 min.
		want []pk.Administration
	}{
		{"maintenance only runs over the pump's run time", nil,
			[]pk.Administration{{Start: q("0 min"), Amount: q("40 mg"), Duration: q("40 min")}}},
		// Loading 10 mg over 5 min from the same bag, then 30 mg over the
		// remaining volume: 104 mL − 26 mL = 78 mL at 117 mL/h = 40 min.
		{"loading dose first, then the rest", &dosing.Loading{Dose: q("10 mg"), Duration: q("5 min")},
			[]pk.Administration{{Start: q("0 min"), Amount: q("10 mg"), Duration: q("5 min")},
				{Start: q("5 min"), Amount: q("30 mg"), Duration: q("40 min")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := dosing.Calculate(ivRule(tt.loading), patient, dosing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := pk.FromResult(r)
			if err != nil {
				t.Fatal(err)
			}
			eq := cmp.Comparer(func(a, b units.Quantity) bool { c, err := a.Cmp(b); return err == nil && c == 0 })
			if diff := cmp.Diff(tt.want, got, eq); diff != "" {
				t.Errorf("FromResult mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromResultRefusesNonInfusion(t *testing.T) {
	r, err := dosing.Calculate(dosing.Rule{Name: "im", Version: "1", Dose: units.MustParse("50 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}},
		dosing.Patient{Weight: units.MustParse("70 kg")}, dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = pk.FromResult(r)
	var ie *pk.FieldError
	if !errors.Is(err, pk.ErrMissing) || !errors.As(err, &ie) || ie.Field != "result.infusion" {
		t.Fatalf("FromResult(no infusion) error = %v, want *FieldError for result.infusion wrapping ErrMissing", err)
	}
}
