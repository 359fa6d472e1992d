package dosing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// genPerDayRule draws a rule with doses per day: a dose per day (mg/kg/day
// or mg/day) divided into 1 to 24 doses, or a dose per kg given that often,
// with an optional cap per day and an optional dose rounding.
func genPerDayRule(t *rapid.T) dosing.Rule {
	r := dosing.Rule{Name: "generated per day", Version: "1", Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		DosesPerDay: rapid.IntRange(1, 24).Draw(t, "doses_per_day")}
	switch rapid.IntRange(0, 2).Draw(t, "kind") {
	case 0:
		r.Dose = genQ(t, "mg_kg_day", 1, 20000, 2, units.MgPerKgPerDay)
	case 1:
		r.Dose = genQ(t, "mg_day", 1, 100000, 1, units.MgPerDay)
	case 2:
		r.Dose = genQ(t, "mg_kg_dose", 1, 5000, 2, units.MgPerKg)
	}
	if rapid.Bool().Draw(t, "cap_per_day") {
		r.CapPerDay = genQ(t, "cap_mg_day", 100, 10000, 0, units.MgPerDay)
	}
	if rapid.Bool().Draw(t, "rounding") {
		r.DoseRounding = &dosing.Rounding{Step: mq(rapid.SampledFrom([]string{"0.1 mg", "1 mg", "5 mg", "10 mg"}).Draw(t, "step")),
			Mode: rapid.SampledFrom(allModes).Draw(t, "mode")}
	}
	return r
}

// TestPropPerDayDividesTheDay: the laws of a dose per day.
//   - Before caps and rounding, doses per day × the dose is the day's dose:
//     exactly where the division terminates, and within half a unit of the
//     last place (units.Places) for each dose where it does not.
//   - The day given is always doses per day × the dose given, exactly, in
//     mg/day, and never above the cap per day, however the dose is rounded.
func TestPropPerDayDividesTheDay(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genPerDayRule(t)
		p := dosing.Patient{Weight: genQ(t, "weight_kg", 30, 2500, 1, units.Kilogram)}
		res, err := dosing.Calculate(r, p, dosing.Options{})
		if err != nil {
			var le *dosing.LimitError
			if !errors.As(err, &le) && !errors.Is(err, dosing.ErrRange) {
				t.Fatalf("Calculate: %v", err)
			}
			return // a dose the rounding takes to nothing
		}
		n := decimal.NewFromInt(int64(r.DosesPerDay))
		if s, ok := res.Step("dose_per_day"); ok {
			// The day's dose: the rule's per day, or per kg per day × weight.
			want := r.Dose.Value()
			if r.Dose.Unit() == units.MgPerKgPerDay {
				want = want.Mul(p.Weight.Value())
			}
			if !s.Value.Equal(units.New(want, units.MgPerDay)) {
				t.Fatalf("dose per day %s, want %s mg/day", s.Value, want)
			}
			back := res.RequestedDose.Value().Mul(n)
			slack := decimal.New(5, -units.Places-1).Mul(n) // half a unit of the last place, per dose
			if back.Sub(want).Abs().GreaterThan(slack) {
				t.Fatalf("%d × %s = %s mg/day, not the day's %s mg/day", r.DosesPerDay, res.RequestedDose, back, want)
			}
		} else if r.Dose.Unit() != units.MgPerKg {
			t.Fatal("a dose per day without the step dose_per_day")
		}
		dose, err := res.Dose.Convert(units.Milligram)
		if err != nil {
			t.Fatal(err)
		}
		if want := units.New(dose.Value().Mul(n), units.MgPerDay); !res.DosePerDay.Equal(want) || !res.DosesPerDay.Equal(units.NewInt(int64(r.DosesPerDay), units.TimesPerDay)) {
			t.Fatalf("day given %s (%s), want %s", res.DosePerDay, res.DosesPerDay, want)
		}
		if r.CapPerDay.IsValid() && cmpQ(t, res.DosePerDay, r.CapPerDay) > 0 {
			t.Fatalf("day given %s above the cap per day %s", res.DosePerDay, r.CapPerDay)
		}
	})
}

// TestPerDayRefusals: what a rule per day must state, every problem at
// once, each with its field and the allowed range.
func TestPerDayRefusals(t *testing.T) {
	base := func() dosing.Rule {
		return dosing.Rule{Name: "per day", Version: "1", Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Dose: mq("40 mg/kg/day"), DosesPerDay: 3}
	}
	tests := []struct {
		name string
		edit func(r *dosing.Rule)
		want []string
	}{
		{"no doses per day", func(r *dosing.Rule) { r.DosesPerDay = 0 },
			[]string{`dosing: doses_per_day: required: how many doses the dose per day "40 mg/kg/day" is divided into (1 to 24)`}},
		{"too many doses per day", func(r *dosing.Rule) { r.DosesPerDay = 48 },
			[]string{`dosing: doses_per_day "48": out of range (1 to 24; more often than hourly is a rate in mg/h)`}},
		{"doses per day for a rate", func(r *dosing.Rule) {
			r.Dose = mq("1 mg/kg/h")
			r.Preparation = &dosing.Preparation{Stock: mq("10 mg/mL"), DrawStep: mq("0.1 mL"), DrawRounding: units.RoundHalfUp}
			r.Infusion = &dosing.Infusion{Duration: mq("1 h"), Pump: dosing.Pump{RateStep: mq("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: mq("999 mL/h")}}
		}, []string{`dosing: doses_per_day "3": a dose rate (1 mg/kg/h) runs continuously and has no doses per day`}},
		{"a rate limit per day and a per-day limit per hour", func(r *dosing.Rule) {
			r.Limits.DoseRate = dosing.Bound{HardMax: mq("2400 mg/day")}
			r.Limits.DosePerDay = dosing.Bound{HardMax: mq("100 mg/h")}
		}, []string{
			`dosing: limits.dose_rate.hard_max "2,400 mg/day": is a dose per day, not a rate: a dose per day is divided into doses (doses_per_day), never run as a rate; write a rate in mg/h`,
			`dosing: limits.dose_per_day.hard_max "100 mg/h": is a rate, not a dose per day; write it in mg/day`}},
		{"a cap per day without doses per day", func(r *dosing.Rule) { r.Dose, r.DosesPerDay, r.CapPerDay = mq("10 mg/kg"), 0, mq("4000 mg/day") },
			[]string{`dosing: cap_per_day: needs doses_per_day: how many doses make the day`}},
		{"a cap per day in units", func(r *dosing.Rule) { r.CapPerDay = mq("4000 units/day") },
			[]string{`dosing: cap_per_day "4,000 units/day": is an activity (units), but the rule is in a drug mass (mg, from its dose "40 mg/kg/day"): ` +
				"a rule is in one kind of amount throughout, and units never convert to mg; write it in mg/day"}},
		{"a titration step per hour", func(r *dosing.Rule) { r.TitrationStep = mq("5 mg/kg/h") },
			[]string{`dosing: titration_step "5 mg/kg/h": is a rate, not a dose per day; write it in mg/kg/day`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(&r)
			var got []string
			for _, fe := range inputErrors(r.Validate()) {
				got = append(got, fe.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() (-want +got):\n%s", diff)
			}
		})
	}
	// A level per hour for a rule per day is refused as Options.Dose.
	_, err := dosing.Calculate(base(), dosing.Patient{Weight: mq("50 kg")}, dosing.Options{Dose: mq("40 mg/kg/h")})
	want := `dosing: options.dose "40 mg/kg/h": is a rate, not a dose per day; write it in mg/kg/day`
	if err == nil || err.Error() != want {
		t.Errorf("Calculate with a level per hour = %v, want %q", err, want)
	}
}

// perDayRule is 15 mg/kg four times a day, at most 4,000 mg a day: for
// 80 kg, 1,200 mg a dose is capped at 4,000 ÷ 4 = 1,000 mg, 4,000 mg/day
// (12.5 mg/kg a dose, 50 mg/kg/day).
func perDayRule() dosing.Rule {
	return dosing.Rule{Name: "four times a day (test example)", Version: "1", Dose: mq("15 mg/kg"), DosesPerDay: 4,
		CapPerDay: mq("4000 mg/day"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}}
}

// TestCheckPerDay: an order for a protocol with doses per day is checked
// dose by dose and by the day it gives: what it gives as written, each
// dose × doses per day, is checked against the cap per day, and the day's
// dose given as each dose (× 4) or one dose written as the day's (÷ 4) is
// named.
func TestCheckPerDay(t *testing.T) {
	p := dosing.Patient{Weight: mq("80 kg")}
	type implied struct {
		Value, Gives string
		Beyond       bool
	}
	tests := []struct {
		name      string
		order     dosing.Order
		matches   bool
		causes    []dosing.CauseKind
		implied   []implied
		firstLine string
	}{
		{"each dose as the protocol gives it", dosing.Order{Dose: mq("1000 mg")}, true, nil,
			[]implied{{"dose", "1,000 mg", false}, {"dose_per_day", "4,000 mg/day", false}}, "MATCH"},
		// 1,200 mg (uncapped) × 4 = 4,800 mg/day, above the cap 4,000 mg/day.
		{"each dose not capped", dosing.Order{Dose: mq("1200 mg")}, false, nil,
			[]implied{{"dose", "1,200 mg", true}, {"dose_per_day", "4,800 mg/day", true}},
			"as written this order gives 1,200 mg (15 mg/kg): above the cap 1,000 mg (cap_per_day ÷ doses_per_day)"},
		// 4,000 mg is the day's dose: × 4 the expected 1,000 mg; 16,000 mg/day.
		{"the day's dose as each dose", dosing.Order{Dose: mq("4000 mg")}, false, []dosing.CauseKind{dosing.CausePerDayPerDose},
			[]implied{{"dose", "4,000 mg", true}, {"dose_per_day", "16,000 mg/day", true}},
			"as written this order gives 4,000 mg (50 mg/kg): above the cap 1,000 mg (cap_per_day ÷ doses_per_day)"},
		// 1,000 mg/day is one dose: ÷ 4 the expected 4,000 mg/day; each dose
		// 1,000 ÷ 4 = 250 mg.
		{"one dose as the day's dose", dosing.Order{DosePerDay: mq("1000 mg/day")}, false, []dosing.CauseKind{dosing.CausePerDayPerDose},
			[]implied{{"dose", "250 mg", false}, {"dose_per_day", "1,000 mg/day", false}}, "MISMATCH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := dosing.Check(tt.order, p, perDayRule(), dosing.CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Matches() != tt.matches {
				t.Errorf("Matches() = %v, want %v:\n%s", res.Matches(), tt.matches, res.Summary)
			}
			var causes []dosing.CauseKind
			for _, f := range res.Fields {
				for _, c := range f.Causes {
					causes = append(causes, c.Kind)
				}
			}
			if diff := cmp.Diff(tt.causes, causes); diff != "" {
				t.Errorf("causes (-want +got):\n%s", diff)
			}
			var got []implied
			for _, v := range res.Implied {
				got = append(got, implied{v.Value, v.Gives.String(), beyondHard(v)})
			}
			if diff := cmp.Diff(tt.implied, got); diff != "" {
				t.Errorf("implied (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(res.Summary, tt.firstLine) {
				t.Errorf("summary %q does not start with %q", res.Summary, tt.firstLine)
			}
		})
	}
	// A dose rate written per day is refused: a dose per day is never a rate.
	_, err := dosing.Check(dosing.Order{DoseRate: mq("2400 mg/day")}, p, perDayRule(), dosing.CheckOptions{})
	want := `dosing: order.dose_rate "2,400 mg/day": is a dose per day, not a rate: a dose per day is divided into doses (doses_per_day), never run as a rate; write a rate in mg/h`
	if err == nil || err.Error() != want {
		t.Errorf("Check with a dose rate per day = %v, want %q", err, want)
	}
}

// amoxicillinPerDay is Davis's Drug Guide's pediatric example 1 as a rule:
// 40 mg/kg/day in 2 doses of a 400 mg/5 mL suspension (80 mg/mL), measured
// to 0.1 mL. A test example: the weight bounds are the example's, for a
// child, not the library's adult defaults.
func amoxicillinPerDay() dosing.Rule {
	return dosing.Rule{Name: "amoxicillin 40 mg/kg/day in 2 doses (test example)", Version: "1", Drug: "amoxicillin",
		Source: "Davis's Drug Guide, Pediatric Dosage Calculations, example 1",
		Dose:   mq("40 mg/kg/day"), DosesPerDay: 2, Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation:  &dosing.Preparation{Stock: mq("80 mg/mL"), DrawStep: mq("0.1 mL"), DrawRounding: units.RoundHalfUp},
		Plausibility: dosing.Plausibility{WeightSoftMin: mq("3 kg"), WeightSoftMax: mq("150 kg"), BMISoftMin: mq("10 kg/m²"), BMISoftMax: mq("40 kg/m²")}}
}
