package dosing_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Property tests of the patients a protocol was not written for.

// genAnyPolicy draws any valid weight policy for a patient of the given
// height: every basis, every IBW formula, a BMI threshold, an adjustment
// factor, clamp or extrapolate (extrapolated only from 120 cm, above which
// every IBW line stays positive).
func genAnyPolicy(t *rapid.T, height units.Quantity) dosing.WeightPolicy {
	short := []dosing.ShortStature{dosing.ClampAt60In}
	if c, _ := height.Cmp(mq("120 cm")); c >= 0 {
		short = append(short, dosing.Extrapolate)
	}
	p := dosing.WeightPolicy{
		Basis:        rapid.SampledFrom([]dosing.WeightBasis{dosing.Actual, dosing.Ideal, dosing.Adjusted, dosing.Lean, dosing.LesserActualIdeal}).Draw(t, "basis"),
		IBWFormula:   rapid.SampledFrom([]dosing.IBWFormula{dosing.Devine, dosing.Robinson, dosing.Miller}).Draw(t, "ibw_formula"),
		ShortStature: rapid.SampledFrom(short).Draw(t, "short_stature"),
	}
	switch p.Basis {
	case dosing.Actual:
		if rapid.Bool().Draw(t, "bmi_threshold") {
			p.IdealWhenBMIAtLeast = genQ(t, "ideal_when_bmi", 150, 400, 1, units.KgPerM2)
		}
	case dosing.Adjusted:
		p.AdjustFactor = decimal.New(rapid.Int64Range(1, 10).Draw(t, "factor_tenths"), -1)
	}
	return p
}

// genAnyPatient draws a patient anywhere within the hard plausibility
// bounds that matter here: a small child to a heavy adult, short to tall.
func genAnyPatient(t *rapid.T) dosing.Patient {
	return dosing.Patient{
		Weight: genQ(t, "weight_kg", 30, 2000, 1, units.Kilogram),
		Height: genQ(t, "height_cm", 500, 2100, 1, units.Centimeter),
		Sex:    rapid.SampledFrom([]dosing.Sex{dosing.Male, dosing.Female}).Draw(t, "sex"),
	}
}

// quotes reports whether msg quotes q as a word: exactly, or rounded to
// four or more decimal places.
func quotes(msg string, q units.Quantity) bool {
	if strings.Contains(msg, " "+q.String()) {
		return true
	}
	for places := int32(4); places <= units.Places; places++ {
		if strings.Contains(msg, " "+units.New(q.Value().Round(places), q.Unit()).String()) {
			return true
		}
	}
	return false
}

// TestPropDosingWeightAboveActualIsNeverSilent: for every patient and
// weight policy, a dosing weight above the actual weight raises the review
// warning dosing_weight.above_actual quoting both weights, and the trail
// step says so; a dosing weight at or below the actual weight raises none.
func TestPropDosingWeightAboveActualIsNeverSilent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genAnyPatient(t)
		r := dosing.Rule{Name: "generated", Version: "1", Dose: mq("0.5 mg/kg"), Weight: genAnyPolicy(t, p.Height)}
		res, err := dosing.Calculate(r, p, dosing.Options{})
		if err != nil {
			t.Fatalf("a valid rule and patient were refused: %v", err)
		}
		actual := conv(t, p.Weight, units.Kilogram)
		above := cmpQ(t, res.Weight.Value, actual) > 0
		var found *dosing.Warning
		for i, w := range res.Warnings {
			if w.Key == "dosing_weight.above_actual" {
				found = &res.Warnings[i]
			}
		}
		if above != (found != nil) {
			t.Fatalf("dosing weight %s, actual %s: warning %v", res.Weight.Value, actual, found)
		}
		step, _ := res.Step("dosing_weight")
		if strings.Contains(step.Note, "above the actual weight") != above {
			t.Fatalf("step note %q for a dosing weight %s and an actual weight %s", step.Note, res.Weight.Value, actual)
		}
		if found == nil {
			return
		}
		if found.Severity != dosing.Review || !found.Value.Equal(res.Weight.Value) || !found.Bound.Equal(actual) {
			t.Fatalf("warning %+v, want review with value %s and bound %s", *found, res.Weight.Value, actual)
		}
		if !quotes(found.Message, res.Weight.Value) || !quotes(found.Message, actual) {
			t.Fatalf("warning %q does not quote the dosing weight %s and the actual weight %s", found.Message, res.Weight.Value, actual)
		}
	})
}
