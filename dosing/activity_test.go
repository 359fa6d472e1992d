package dosing_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// heparinInfusion is the weight-based heparin infusion of the nursing texts
// (testdata/activity.cases [N1]): 18 units/kg/h from a premixed bag of
// 25,000 units in 250 mL (100 units/mL), run by the hour, at most
// 2,000 units/h. A test example, not a protocol.
func heparinInfusion() dosing.Rule {
	return dosing.Rule{
		Name: "heparin weight-based infusion (test example)", Version: "1", Drug: "heparin",
		Source: "Raschke RA et al. Ann Intern Med 1993;119:874 (80 units/kg bolus, 18 units/kg/h)",
		Dose:   mq("18 units/kg/h"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: mq("100 units/mL"), DrawStep: mq("0.1 mL"), DrawRounding: units.RoundHalfUp},
		Infusion: &dosing.Infusion{Duration: mq("1 h"),
			Pump: dosing.Pump{RateStep: mq("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: mq("999 mL/h")}},
		Limits: dosing.Limits{DoseRate: dosing.Bound{SoftMax: mq("1800 units/h"), HardMax: mq("2000 units/h")}},
	}
}

// TestAmountMixedRefusedByName: a rule is in one kind of amount throughout.
// A value in the other kind (mg in a rule dosed in units, units in one dosed
// in mg) is refused with the field, the value, both kinds and what to write
// instead, wrapping ErrDimension; every such field at once.
func TestAmountMixedRefusedByName(t *testing.T) {
	inUnits := `is a drug mass (mg), but the rule is in an activity (units, from its dose "18 units/kg/h"): ` +
		"a rule is in one kind of amount throughout, and mg never convert to units; write it in "
	inMg := `is an activity (units), but the rule is in a drug mass (mg, from its dose "0.5 mg/kg"): ` +
		"a rule is in one kind of amount throughout, and units never convert to mg; write it in "
	tests := []struct {
		name string
		edit func(r *dosing.Rule)
		want []string // the messages, in the order Validate reports them
	}{
		{"a cap in mg", func(r *dosing.Rule) { r.Cap = mq("500 mg") },
			[]string{`dosing: cap "500 mg": ` + inUnits + "units"}},
		{"a cap per kg, a rounding step and a stock in mg, all at once", func(r *dosing.Rule) {
			r.CapPerKg = mq("10 mg/kg")
			r.DoseRounding = &dosing.Rounding{Step: mq("50 mg"), Mode: units.RoundHalfUp}
			r.Preparation.Stock = mq("100 mg/mL")
		}, []string{`dosing: cap_per_kg "10 mg/kg": ` + inUnits + "units/kg",
			`dosing: dose_rounding.step "50 mg": ` + inUnits + "units",
			`dosing: preparation.stock "100 mg/mL": ` + inUnits + "units/mL"}},
		{"another stock in mg/mL", func(r *dosing.Rule) { r.Preparation.Stocks = []units.Quantity{mq("1000 units/mL"), mq("5 mg/mL")} },
			[]string{`dosing: preparation.other_stocks[1] "5 mg/mL": ` + inUnits + "units/mL"}},
		{"limits on the dose rate in mg/h and per kg in mcg/kg/min", func(r *dosing.Rule) {
			r.Limits.DoseRate.HardMax = mq("2000 mg/h")
			r.Limits.DoseRatePerKg = dosing.Bound{SoftMax: mq("25 mcg/kg/min")}
		}, []string{`dosing: limits.dose_rate.hard_max "2,000 mg/h": ` + inUnits + "units/h",
			`dosing: limits.dose_rate_per_kg.soft_max "25 mcg/kg/min": ` + inUnits + "units/kg/h"}},
		{"a loading dose in mg/kg", func(r *dosing.Rule) {
			r.Infusion.Loading = &dosing.Loading{Dose: mq("80 mg/kg"), Duration: mq("10 min")}
		}, []string{`dosing: infusion.loading.dose "80 mg/kg": ` + inUnits + "units/kg"}},
		{"a dose limit in mg", func(r *dosing.Rule) { r.Limits.Dose = dosing.Bound{HardMax: mq("30 mg")} },
			[]string{`dosing: limits.dose.hard_max "30 mg": ` + inUnits + "units"}},
		{"a rule in mg with a cap in units", func(r *dosing.Rule) {
			*r = chkIVRule()
			r.Cap = mq("10000 units")
			r.Limits.Concentration = dosing.Bound{HardMax: mq("100 units/mL")}
		}, []string{`dosing: cap "10,000 units": ` + inMg + "mg",
			`dosing: limits.concentration.hard_max "100 units/mL": ` + inMg + "mg/mL"}},
		{"weight bands in mg then in units", func(r *dosing.Rule) {
			*r = dosing.Rule{Name: "bands", Version: "1", Weight: dosing.WeightPolicy{Basis: dosing.Actual},
				Bands: []dosing.Band{{Min: mq("0 kg"), Max: mq("50 kg"), Dose: mq("20 mg")}, {Min: mq("50 kg"), Dose: mq("5000 units")}}}
		}, []string{`dosing: bands[1].dose "5,000 units": is an activity (units), but the rule is in a drug mass (mg, from its bands[0].dose "20 mg"): ` +
			"a rule is in one kind of amount throughout, and units never convert to mg; write it in mg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := heparinInfusion()
			tt.edit(&r)
			err := r.Validate()
			if !errors.Is(err, dosing.ErrDimension) {
				t.Fatalf("Validate() = %v, want an error wrapping ErrDimension", err)
			}
			var got []string
			for _, fe := range inputErrors(err) {
				got = append(got, fe.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() messages (-want +got):\n%s", diff)
			}
			if _, cerr := dosing.Calculate(r, dosing.Patient{Weight: mq("75 kg")}, dosing.Options{}); !errors.Is(cerr, dosing.ErrDimension) {
				t.Errorf("Calculate() = %v, want the same refusal", cerr)
			}
		})
	}
}

// TestCheckOrderInOtherAmountRefused: Check refuses, by name, every
// ordered amount in the other kind than the rule's, before comparing.
func TestCheckOrderInOtherAmountRefused(t *testing.T) {
	order := dosing.Order{DoseRate: mq("1350 mg/h"), Stock: mq("100 mg/mL"), PumpRate: mq("13.5 mL/h")}
	_, err := dosing.Check(order, dosing.Patient{Weight: mq("75 kg")}, heparinInfusion(), dosing.CheckOptions{})
	want := []string{
		`dosing: order.stock "100 mg/mL": is a drug mass (mg), but the rule is in an activity (units, from its dose "18 units/kg/h"): ` +
			"a rule is in one kind of amount throughout, and mg never convert to units; write it in units/mL",
		`dosing: order.dose_rate "1,350 mg/h": is a drug mass (mg), but the rule is in an activity (units, from its dose "18 units/kg/h"): ` +
			"a rule is in one kind of amount throughout, and mg never convert to units; write it in units/h",
	}
	var got []string
	for _, fe := range inputErrors(err) {
		got = append(got, fe.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Check() errors (-want +got):\n%s", diff)
	}
}

// TestCheckHeparinOrder: a heparin order checked as a ketamine one is. The
// pump keyed at 135 mL/h for 13.5 mL/h (the classic tenfold heparin error)
// is a mismatch named as a tenfold error and a decimal slip, and what it
// gives as written, 135 mL/h × 100 units/mL = 13,500 units/h, is beyond
// the hard maximum 2,000 units/h.
func TestCheckHeparinOrder(t *testing.T) {
	p := dosing.Patient{Weight: mq("75 kg")}
	res, err := dosing.Check(dosing.Order{DoseRate: mq("1350 units/h"), PumpRate: mq("13.5 mL/h"), Stock: mq("100 units/mL")}, p, heparinInfusion(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Matches() {
		t.Errorf("the right order does not match:\n%s", res.Summary)
	}
	res, err = dosing.Check(dosing.Order{DoseRate: mq("1350 units/h"), PumpRate: mq("135 mL/h")}, p, heparinInfusion(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []dosing.CauseKind
	for _, f := range res.Fields {
		if f.Field == "pump_rate" {
			for _, c := range f.Causes {
				kinds = append(kinds, c.Kind)
			}
		}
	}
	if diff := cmp.Diff([]dosing.CauseKind{dosing.CauseTenfold, dosing.CausePumpDecimalSlip}, kinds); diff != "" {
		t.Errorf("pump rate causes (-want +got):\n%s", diff)
	}
	if res.Limits != dosing.Mismatch || !strings.Contains(res.Summary, "13,500 units/h") || !strings.Contains(res.Summary, "2,000 units/h") {
		t.Errorf("limits %s, summary %q: want 13,500 units/h beyond the hard maximum 2,000 units/h", res.Limits, res.Summary)
	}
}

// TestActivityResultHasNoPerMinuteRate: a rule in units gives its dose
// rates in units/h and units/kg/h; there is no per-minute rate (no
// mcg/kg/min of a drug measured in units), and the JSON leaves it out.
func TestActivityResultHasNoPerMinuteRate(t *testing.T) {
	res, err := dosing.Calculate(heparinInfusion(), dosing.Patient{Weight: mq("75 kg")}, dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ir := res.Infusion
	want := []units.Quantity{mq("1350 units/h"), mq("18 units/kg/h")}
	if diff := cmp.Diff(want, []units.Quantity{ir.DoseRate, ir.DoseRatePerKgH}); diff != "" {
		t.Errorf("dose rates (-want +got):\n%s", diff)
	}
	if ir.DoseRatePerKgMin.IsValid() {
		t.Errorf("DoseRatePerKgMin = %s, want none", ir.DoseRatePerKgMin)
	}
	b, err := res.Infusion.DoseRatePerKgMin.MarshalText()
	if err == nil && len(b) > 0 {
		t.Errorf("an unset rate marshals as %q", b)
	}
}

// massToActivity is the unit in units of a unit of drug mass (mg → units,
// mg/kg/h → units/kg/h); any other unit is itself.
var massToActivity = map[units.Unit]units.Unit{
	units.Milligram: units.ActivityUnit, units.MgPerKg: units.UnitsPerKg, units.MgPerM2: units.UnitsPerM2,
	units.MgPerML: units.UnitsPerML, units.MgPerHour: units.UnitsPerHour, units.MgPerKgPerHour: units.UnitsPerKgPerHour,
}

func asActivity(q units.Quantity) units.Quantity {
	if u, ok := massToActivity[q.Unit()]; ok {
		return units.New(q.Value(), u)
	}
	return q
}

// ruleInUnits is r with every amount in units instead of mg (the generated
// rules write their amounts in mg, mg/kg, mg/mL).
func ruleInUnits(r dosing.Rule) dosing.Rule {
	r.Dose, r.Cap, r.CapPerKg = asActivity(r.Dose), asActivity(r.Cap), asActivity(r.CapPerKg)
	if d := r.DoseRounding; d != nil {
		r.DoseRounding = &dosing.Rounding{Step: asActivity(d.Step), Mode: d.Mode}
	}
	if p := r.Preparation; p != nil {
		np := *p
		np.Stock = asActivity(p.Stock)
		if s := p.Syringe; s != nil {
			np.Syringe = &dosing.Syringe{Volume: s.Volume, Concentration: asActivity(s.Concentration)}
		}
		r.Preparation = &np
	}
	l := &r.Limits
	for _, b := range []*dosing.Bound{&l.Dose, &l.DosePerKg, &l.Concentration, &l.DoseRate, &l.DoseRatePerKg} {
		*b = dosing.Bound{HardMin: asActivity(b.HardMin), SoftMin: asActivity(b.SoftMin), SoftMax: asActivity(b.SoftMax), HardMax: asActivity(b.HardMax)}
	}
	return r
}

// amountWords writes "mg", "unit" and "units" in a formula as one word, so
// that "rounded to a multiple of 1 mg" reads as "… of 1 unit".
func amountWords(s string) string { return amountWord.ReplaceAllString(s, "AMOUNT") }

var amountWord = regexp.MustCompile(`\b(mg|units?)\b`)

// TestPropActivityIsMassWithUnits: a rule in units calculates exactly as
// the same rule in mg, with units in place of mg: the same steps with the
// same formulas and flags, every value the same number in the unit that
// replaces the mass unit, the same warnings, the same refusals. The only
// difference is the per-minute rate, which a rule in units has not.
func TestPropActivityIsMassWithUnits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genIVRule(t)
		if rapid.Bool().Draw(t, "limits") {
			r.Limits.Dose = genBound(t, "dose", genQ(t, "dose_ref", 20, 150, 0, units.Milligram))
			r.Limits.Concentration = genBound(t, "conc", genQ(t, "conc_ref", 1, 50, 1, units.MgPerML))
			r.Limits.DoseRate = genBound(t, "rate", genQ(t, "rate_ref", 30, 300, 0, units.MgPerHour))
		}
		if r.Infusion != nil && rapid.Bool().Draw(t, "rate_dose") {
			r.Dose = genQ(t, "mg_kg_h", 100, 2000, 3, units.MgPerKgPerHour)
		}
		p := genPatient(t)
		ru := ruleInUnits(r)
		mass, errM := dosing.Calculate(r, p, dosing.Options{})
		act, errA := dosing.Calculate(ru, p, dosing.Options{})
		if (errM == nil) != (errA == nil) {
			t.Fatalf("one refused, the other not: mass %v / units %v", errM, errA)
		}
		if errM != nil {
			var lm, la *dosing.LimitError
			switch {
			case errors.As(errM, &lm) && errors.As(errA, &la):
				if lm.Field != la.Field || lm.Kind != la.Kind || !asActivity(lm.Value).Equal(la.Value) || !asActivity(lm.Bound).Equal(la.Bound) {
					t.Fatalf("refused differently: %v / %v", errM, errA)
				}
			case len(inputErrors(errM)) > 0 && len(inputErrors(errM)) == len(inputErrors(errA)):
			default:
				t.Fatalf("refused differently: %v / %v", errM, errA)
			}
			return
		}
		if len(mass.Steps) != len(act.Steps) {
			t.Fatalf("%d steps in mg, %d in units", len(mass.Steps), len(act.Steps))
		}
		same := func(what string, m, a units.Quantity) {
			if !asActivity(m).Equal(a) {
				t.Fatalf("%s: %s in mg, %s in units", what, m, a)
			}
		}
		for i, sm := range mass.Steps {
			sa := act.Steps[i]
			if sm.ID != sa.ID || amountWords(sm.Formula) != amountWords(sa.Formula) || sm.Flags != sa.Flags || len(sm.Inputs) != len(sa.Inputs) {
				t.Fatalf("step %d: %s %q %s in mg, %s %q %s in units", i, sm.ID, sm.Formula, sm.Flags, sa.ID, sa.Formula, sa.Flags)
			}
			same(sm.ID+" value", sm.Value, sa.Value)
			same(sm.ID+" exact", sm.Exact, sa.Exact)
			same(sm.ID+" deviation", sm.Deviation, sa.Deviation)
			same(sm.ID+" deviation %", sm.DeviationPct, sa.DeviationPct)
			for j := range sm.Inputs {
				same(sm.ID+" input "+sm.Inputs[j].Name, sm.Inputs[j].Value, sa.Inputs[j].Value)
			}
		}
		same("dose", mass.Dose, act.Dose)
		same("dose per kg", mass.DosePerKg, act.DosePerKg)
		if ir := mass.Infusion; ir != nil {
			same("dose rate", ir.DoseRate, act.Infusion.DoseRate)
			same("dose rate per kg", ir.DoseRatePerKgH, act.Infusion.DoseRatePerKgH)
			if act.Infusion.DoseRatePerKgMin.IsValid() {
				t.Fatalf("a rule in units has a per-minute rate %s", act.Infusion.DoseRatePerKgMin)
			}
		}
		if diff := cmp.Diff(warningKeys(mass), warningKeys(act)); diff != "" {
			t.Fatalf("warnings differ (-mg +units):\n%s", diff)
		}
	})
}
