package dosing_test

import (
	"errors"
	"slices"
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

// genPopulation draws a population: each of age, weight, height and BMI
// bounded or not, each bound hard or soft, in order.
func genPopulation(t *rapid.T) dosing.Population {
	var pop dosing.Population
	if rapid.Bool().Draw(t, "age_bounded") {
		lo := rapid.IntRange(1, 40).Draw(t, "age_lo")
		hi := rapid.IntRange(lo, 100).Draw(t, "age_hi")
		pop.Age = dosing.AgeBound{}
		if rapid.Bool().Draw(t, "age_min") {
			if rapid.Bool().Draw(t, "age_min_hard") {
				pop.Age.HardMin = dosing.Years(lo)
			} else {
				pop.Age.SoftMin = dosing.Years(lo)
			}
		}
		if rapid.Bool().Draw(t, "age_max") {
			if rapid.Bool().Draw(t, "age_max_hard") {
				pop.Age.HardMax = dosing.Years(hi)
			} else {
				pop.Age.SoftMax = dosing.Years(hi)
			}
		}
	}
	bound := func(name string, lo, hi int64, u units.Unit) dosing.Bound {
		var b dosing.Bound
		if !rapid.Bool().Draw(t, name+"_bounded") {
			return b
		}
		min := genQ(t, name+"_lo", lo, (lo+hi)/2, 0, u)
		max := genQ(t, name+"_hi", (lo+hi)/2+1, hi, 0, u)
		switch rapid.IntRange(0, 3).Draw(t, name+"_min_kind") {
		case 1:
			b.HardMin = min
		case 2:
			b.SoftMin = min
		}
		switch rapid.IntRange(0, 3).Draw(t, name+"_max_kind") {
		case 1:
			b.HardMax = max
		case 2:
			b.SoftMax = max
		}
		return b
	}
	pop.Weight = bound("weight", 20, 200, units.Kilogram)
	pop.Height = bound("height", 100, 200, units.Centimeter)
	pop.BMI = bound("bmi", 12, 50, units.KgPerM2)
	return pop
}

// expectedPopulation works out, independently of the library, what a
// population makes of a patient: the hard bounds crossed ("population.age
// hard_min"), the soft ones ("population.age.soft_min"), and the values a
// hard bound needs that the patient lacks ("patient.age").
func expectedPopulation(t *rapid.T, pop dosing.Population, p dosing.Patient) (hard, soft, missingHard []string) {
	age, known := p.Age()
	a := pop.Age
	if a != (dosing.AgeBound{}) && !known {
		if a.HardMin != 0 || a.HardMax != 0 {
			missingHard = append(missingHard, "patient.age")
		} else {
			soft = append(soft, "population.age.missing")
		}
	}
	if known {
		if a.HardMin != 0 && age < int(a.HardMin) {
			hard = append(hard, "population.age hard_min")
		}
		if a.SoftMin != 0 && age < int(a.SoftMin) {
			soft = append(soft, "population.age.soft_min")
		}
		if a.SoftMax != 0 && age > int(a.SoftMax) {
			soft = append(soft, "population.age.soft_max")
		}
		if a.HardMax != 0 && age > int(a.HardMax) {
			hard = append(hard, "population.age hard_max")
		}
	}
	var bmi units.Quantity
	if p.Height.IsValid() {
		var err error
		if bmi, _, err = dosing.BMI(p.Weight, p.Height); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []struct {
		name string
		b    dosing.Bound
		v    units.Quantity
	}{{"weight", pop.Weight, p.Weight}, {"height", pop.Height, p.Height}, {"bmi", pop.BMI, bmi}} {
		if q.b == (dosing.Bound{}) {
			continue
		}
		if !q.v.IsValid() {
			if q.b.HardMin.IsValid() || q.b.HardMax.IsValid() {
				missingHard = append(missingHard, "patient.height")
			} else {
				soft = append(soft, "population."+q.name+".missing")
			}
			continue
		}
		f := "population." + q.name
		if q.b.HardMin.IsValid() && cmpQ(t, q.v, q.b.HardMin) < 0 {
			hard = append(hard, f+" hard_min")
		}
		if q.b.SoftMin.IsValid() && cmpQ(t, q.v, q.b.SoftMin) < 0 {
			soft = append(soft, f+".soft_min")
		}
		if q.b.SoftMax.IsValid() && cmpQ(t, q.v, q.b.SoftMax) > 0 {
			soft = append(soft, f+".soft_max")
		}
		if q.b.HardMax.IsValid() && cmpQ(t, q.v, q.b.HardMax) > 0 {
			hard = append(hard, f+" hard_max")
		}
	}
	return hard, soft, missingHard
}

// TestPropPopulation: a patient outside a hard bound of the population gets
// no Result, only a *PopulationError for each bound crossed; a value a hard
// bound needs and the patient lacks is required; otherwise the result
// carries a review warning for each soft bound crossed or value missing,
// and none for a bound respected.
func TestPropPopulation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := dosing.Rule{Name: "generated", Version: "1", Dose: mq("0.5 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Population: genPopulation(t)}
		p := genAnyPatient(t)
		if !rapid.Bool().Draw(t, "height_known") {
			p.Height = units.Quantity{}
		}
		if rapid.Bool().Draw(t, "age_known") {
			p.AgeYears = dosing.Years(rapid.IntRange(1, 100).Draw(t, "age"))
		}
		hard, soft, missingHard := expectedPopulation(t, r.Population, p)
		res, err := dosing.Calculate(r, p, dosing.Options{})
		if len(hard) > 0 || len(missingHard) > 0 {
			if err == nil {
				t.Fatalf("outside hard bounds %v (missing %v), but a result: dose %s", hard, missingHard, res.Dose)
			}
			var got []string
			for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
				var pe *dosing.PopulationError
				var ie *dosing.FieldError
				switch {
				case errors.As(e, &pe):
					got = append(got, pe.Field+" "+string(pe.Kind))
				case errors.As(e, &ie) && errors.Is(e, dosing.ErrMissing):
					got = append(got, ie.Field)
				default:
					t.Fatalf("unexpected error %v", e)
				}
			}
			if want := append(hard, missingHard...); !sameSet(want, got) {
				t.Fatalf("refusals %v, want %v", got, want)
			}
			return
		}
		if err != nil {
			t.Fatalf("within every hard bound, but refused: %v", err)
		}
		var got []string
		for _, w := range res.Warnings {
			if strings.HasPrefix(w.Key, "population.") {
				if w.Severity != dosing.Review {
					t.Fatalf("warning %s is not a review warning", w.Key)
				}
				got = append(got, w.Key)
			}
		}
		if !sameSet(soft, got) {
			t.Fatalf("population warnings %v, want %v", got, soft)
		}
	})
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestPropAdultBoundsOnAChild: the library's default plausibility bounds
// are adult ranges. For every patient and every plausibility a rule may set
// (each bound set or left to the default), the review warning
// patient.adult_bounds is present exactly when the patient is known to be
// under 18 and at least one bound came from the defaults, and it names
// each such bound.
func TestPropAdultBoundsOnAChild(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var pl dosing.Plausibility
		var defaulted []string
		if rapid.Bool().Draw(t, "weight_min") {
			pl.WeightSoftMin = genQ(t, "weight_min_kg", 2, 30, 0, units.Kilogram)
		}
		if rapid.Bool().Draw(t, "weight_max") {
			pl.WeightSoftMax = genQ(t, "weight_max_kg", 31, 250, 0, units.Kilogram)
		}
		if rapid.Bool().Draw(t, "bmi_min") {
			pl.BMISoftMin = genQ(t, "bmi_min", 8, 15, 0, units.KgPerM2)
		}
		if rapid.Bool().Draw(t, "bmi_max") {
			pl.BMISoftMax = genQ(t, "bmi_max", 16, 60, 0, units.KgPerM2)
		}
		switch {
		case !pl.WeightSoftMin.IsValid() && !pl.WeightSoftMax.IsValid():
			defaulted = append(defaulted, "weight 30–250 kg")
		case !pl.WeightSoftMin.IsValid():
			defaulted = append(defaulted, "weight minimum 30 kg")
		case !pl.WeightSoftMax.IsValid():
			defaulted = append(defaulted, "weight maximum 250 kg")
		}
		switch {
		case !pl.BMISoftMin.IsValid() && !pl.BMISoftMax.IsValid():
			defaulted = append(defaulted, "BMI 15–60 kg/m²")
		case !pl.BMISoftMin.IsValid():
			defaulted = append(defaulted, "BMI minimum 15 kg/m²")
		case !pl.BMISoftMax.IsValid():
			defaulted = append(defaulted, "BMI maximum 60 kg/m²")
		}
		p := genAnyPatient(t)
		age := 0
		if rapid.Bool().Draw(t, "age_known") {
			age = rapid.IntRange(1, 90).Draw(t, "age")
			p.AgeYears = dosing.Years(age)
		}
		ws, err := p.Validate(pl)
		if err != nil {
			t.Fatalf("a valid patient refused: %v", err)
		}
		var found *dosing.Warning
		for i, w := range ws {
			if w.Key == "patient.adult_bounds" {
				found = &ws[i]
			}
		}
		want := age != 0 && age < 18 && len(defaulted) > 0
		if want != (found != nil) {
			t.Fatalf("age %d, defaults %v: warning %v", age, defaulted, found)
		}
		if found != nil && (found.Severity != dosing.Review || !strings.Contains(found.Message, "("+strings.Join(defaulted, ", ")+")")) {
			t.Fatalf("warning %+v does not name the adult bounds %v", *found, defaulted)
		}
	})
}

// TestPropPerKgOnlyOnAWeightUsed: for every rule (a fixed dose, a dose per
// kg or per m², with or without caps and limits per kg) and every weight
// policy, the per-kg values of a result are of a weight the calculation
// used: a rule with nothing per kg lists no use of the dosing weight, doses
// on the actual weight's terms (dose per kg = dose ÷ actual weight) and
// warns of no dosing weight above it; dose_per_kg_actual is always dose ÷
// actual weight; a result of a rule with a BSA formula has dose per m² =
// dose ÷ BSA.
func TestPropPerKgOnlyOnAWeightUsed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := genAnyPatient(t)
		r := dosing.Rule{Name: "generated", Version: "1", Weight: genAnyPolicy(t, p.Height)}
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0:
			r.Dose = genQ(t, "fixed_mg", 10, 200, 0, units.Milligram)
		case 1:
			r.Dose = genQ(t, "mg_kg", 10, 100, 2, units.MgPerKg)
		case 2:
			r.Dose = genQ(t, "mg_m2", 10, 100, 0, units.MgPerM2)
		}
		if rapid.Bool().Draw(t, "bsa") || r.Dose.Unit() == units.MgPerM2 {
			r.BSAFormula = rapid.SampledFrom([]dosing.BSAFormula{dosing.Mosteller, dosing.DuBois, dosing.Haycock}).Draw(t, "bsa_formula")
		}
		if rapid.Bool().Draw(t, "cap_per_kg") {
			r.CapPerKg = genQ(t, "cap_mg_kg", 50, 500, 2, units.MgPerKg)
		}
		if rapid.Bool().Draw(t, "limit_per_kg") {
			r.Limits.DosePerKg = dosing.Bound{HardMax: mq("100 mg/kg")}
		}
		res, err := dosing.Calculate(r, p, dosing.Options{})
		if err != nil {
			t.Fatalf("a valid rule and patient were refused: %v", err)
		}
		actual := conv(t, p.Weight, units.Kilogram)
		perKg := r.Dose.Unit() == units.MgPerKg || r.CapPerKg.IsValid() || r.Limits.DosePerKg != (dosing.Bound{})
		if (len(res.Weight.UsedFor) > 0) != perKg {
			t.Fatalf("rule per kg %v, but the dosing weight is used for %v", perKg, res.Weight.UsedFor)
		}
		wantActual, err := res.Dose.DivTo(actual, units.MgPerKg)
		if err != nil {
			t.Fatal(err)
		}
		if cmpQ(t, res.DosePerKgActual, wantActual) != 0 {
			t.Fatalf("dose per kg of the actual weight %s, want %s ÷ %s = %s", res.DosePerKgActual, res.Dose, actual, wantActual)
		}
		if !perKg {
			if cmpQ(t, res.Weight.Value, actual) != 0 || cmpQ(t, res.DosePerKg, res.DosePerKgActual) != 0 {
				t.Fatalf("a rule with nothing per kg presents %s on a dosing weight of %s (actual %s)", res.DosePerKg, res.Weight.Value, actual)
			}
			for _, w := range res.Warnings {
				if w.Key == "dosing_weight.above_actual" {
					t.Fatalf("a rule with nothing per kg warns %s", w.Message)
				}
			}
		}
		if r.BSAFormula != "" {
			want, err := res.Dose.DivTo(res.BodySize.BSA, units.MgPerM2)
			if err != nil {
				t.Fatal(err)
			}
			if !res.DosePerM2.IsValid() || cmpQ(t, res.DosePerM2, want) != 0 {
				t.Fatalf("dose per m² %s, want %s ÷ %s = %s", res.DosePerM2, res.Dose, res.BodySize.BSA, want)
			}
		} else if res.DosePerM2.IsValid() {
			t.Fatalf("dose per m² %s without a BSA formula", res.DosePerM2)
		}
	})
}
