package dosing_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Property tests of the dosing laws. Generated rules are valid protocol
// rules; generated patients are within the hard plausibility bounds.

// genQ draws a quantity lo…hi in steps of 10^-places.
func genQ(t *rapid.T, label string, lo, hi int64, places int32, u units.Unit) units.Quantity {
	return units.New(decimal.New(rapid.Int64Range(lo, hi).Draw(t, label), -places), u)
}

var allModes = []units.RoundingMode{units.RoundHalfUp, units.RoundHalfEven, units.RoundDown, units.RoundUp}

// genPreparation draws a stock and a draw step that can measure any dose of
// at least 3 mg, and a container.
func genPreparation(t *rapid.T, infusion bool) *dosing.Preparation {
	type stockStep struct{ stock, step string }
	ss := rapid.SampledFrom([]stockStep{{"10 mg/mL", "0.1 mL"}, {"10 mg/mL", "0.2 mL"}, {"10 mg/mL", "0.01 mL"},
		{"50 mg/mL", "0.01 mL"}, {"100 mg/mL", "0.01 mL"}}).Draw(t, "stock_and_step")
	p := &dosing.Preparation{Stock: mq(ss.stock), DrawStep: mq(ss.step), DrawRounding: rapid.SampledFrom(allModes).Draw(t, "draw_rounding")}
	containers := []string{"bag_add", "bag_withdraw", "syringe_volume", "syringe_concentration"}
	if !infusion {
		containers = append(containers, "none")
	}
	switch rapid.SampledFrom(containers).Draw(t, "container") {
	case "bag_add":
		p.Bag = &dosing.Bag{Volume: mq(rapid.SampledFrom([]string{"50 mL", "100 mL", "250 mL", "500 mL"}).Draw(t, "bag")), Method: dosing.AddToBag}
	case "bag_withdraw":
		p.Bag = &dosing.Bag{Volume: mq(rapid.SampledFrom([]string{"100 mL", "250 mL", "500 mL"}).Draw(t, "bag")), Method: dosing.WithdrawFirst}
	case "syringe_volume":
		p.Syringe = &dosing.Syringe{Volume: mq("60 mL")}
	case "syringe_concentration":
		p.Syringe = &dosing.Syringe{Concentration: mq(rapid.SampledFrom([]string{"1 mg/mL", "2 mg/mL", "5 mg/mL"}).Draw(t, "syringe_conc"))}
	}
	return p
}

func genInfusion(t *rapid.T) *dosing.Infusion {
	return &dosing.Infusion{
		Duration: scale(t, genQ(t, "duration_5min", 2, 24, 0, units.Minute), 5),
		Pump: dosing.Pump{
			RateStep:         mq(rapid.SampledFrom([]string{"0.1 mL/h", "0.01 mL/h"}).Draw(t, "rate_step")),
			RateRounding:     rapid.SampledFrom(allModes).Draw(t, "rate_rounding"),
			MaxRate:          mq("999 mL/h"),
			StretchToMaxRate: true,
		},
	}
}

// genIVRule draws a per-kg rule on actual weight with optional caps, dose
// rounding, preparation and infusion.
func genIVRule(t *rapid.T) dosing.Rule {
	r := dosing.Rule{
		Name: "generated", Version: "1",
		Dose:   genQ(t, "dose_mg_kg", 100, 2000, 3, units.MgPerKg),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual},
	}
	if rapid.Bool().Draw(t, "has_cap") {
		r.Cap = genQ(t, "cap_mg", 20, 300, 0, units.Milligram)
	}
	if rapid.Bool().Draw(t, "has_cap_per_kg") {
		r.CapPerKg = genQ(t, "cap_mg_kg", 20, 150, 2, units.MgPerKg)
	}
	switch rapid.IntRange(0, 2).Draw(t, "shape") {
	case 0: // a dose rounded to a step, nothing prepared
		r.DoseRounding = &dosing.Rounding{Step: mq(rapid.SampledFrom([]string{"0.1 mg", "1 mg", "2.5 mg", "5 mg"}).Draw(t, "dose_step")),
			Mode: rapid.SampledFrom(allModes).Draw(t, "dose_rounding")}
	case 1: // prepared, not infused
		r.Preparation = genPreparation(t, false)
	case 2:
		r.Preparation = genPreparation(t, true)
		r.Infusion = genInfusion(t)
	}
	return r
}

func genPatient(t *rapid.T) dosing.Patient {
	return dosing.Patient{
		Weight: genQ(t, "weight_kg", 300, 2500, 1, units.Kilogram),
		Height: genQ(t, "height_cm", 1500, 2000, 1, units.Centimeter),
		Sex:    rapid.SampledFrom([]dosing.Sex{dosing.Male, dosing.Female}).Draw(t, "sex"),
	}
}

// cmpQ compares quantities of one dimension, failing the test otherwise.
func cmpQ(t interface{ Fatalf(string, ...any) }, a, b units.Quantity) int {
	c, err := a.Cmp(b)
	if err != nil {
		t.Fatalf("compare %s with %s: %v", a, b, err)
	}
	return c
}

// capsOf returns the caps that apply to a patient: the absolute cap and the
// per-kg cap times the dosing weight.
func capsOf(t *rapid.T, r dosing.Rule, res dosing.Result) []units.Quantity {
	var caps []units.Quantity
	if r.Cap.IsValid() {
		caps = append(caps, r.Cap)
	}
	if r.CapPerKg.IsValid() {
		c, err := r.CapPerKg.Mul(res.Weight.Value)
		if err != nil {
			t.Fatal(err)
		}
		caps = append(caps, c)
	}
	return caps
}

// TestPropDoseMonotoneInWeightUpToCap: for a weight-based rule, a heavier
// patient never gets a smaller dose, and no patient gets more than a cap.
func TestPropDoseMonotoneInWeightUpToCap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genIVRule(t)
		p1, p2 := genPatient(t), genPatient(t)
		if cmpQ(t, p1.Weight, p2.Weight) > 0 {
			p1, p2 = p2, p1
		}
		res1, err1 := dosing.Calculate(r, p1, dosing.Options{})
		res2, err2 := dosing.Calculate(r, p2, dosing.Options{})
		if err1 != nil || err2 != nil {
			t.Fatalf("a valid rule and patient were refused: %v / %v", err1, err2)
		}
		if cmpQ(t, res1.Dose, res2.Dose) > 0 {
			t.Fatalf("%s gets %s but %s gets only %s", p1.Weight, res1.Dose, p2.Weight, res2.Dose)
		}
		for _, res := range []dosing.Result{res1, res2} {
			for _, c := range capsOf(t, r, res) {
				if cmpQ(t, res.Dose, c) > 0 {
					t.Fatalf("dose %s above the cap %s", res.Dose, c)
				}
			}
		}
	})
}

// TestPropSameResultInAnyUnits: a rule and patient written in mcg instead
// of mg, L instead of mL, pounds instead of kilograms, inches instead of
// centimetres and hours instead of minutes give the same dose, volumes and
// rates (compared with Cmp, across units).
func TestPropSameResultInAnyUnits(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genIVRule(t)
		if r.Infusion != nil {
			// Six-minute multiples are exact in hours (6 min = 0.1 h).
			r.Infusion.Duration = scale(t, genQ(t, "duration_6min", 2, 20, 0, units.Minute), 6)
		}
		rateDose := rapid.Bool().Draw(t, "rate_dose")
		if rateDose && r.Infusion != nil {
			// 0.1 mcg/kg/min = 0.006 mg/kg/h exactly.
			r.Dose = genQ(t, "tenth_mcg_kg_min", 10, 200, 1, units.McgPerKgPerMin)
		}
		// A weight in pounds converts exactly to kilograms, a height in
		// inches exactly to centimetres.
		lb := genQ(t, "weight_lb", 700, 5000, 1, units.Pound)
		in := genQ(t, "height_in", 590, 790, 1, units.Inch)
		sex := rapid.SampledFrom([]dosing.Sex{dosing.Male, dosing.Female}).Draw(t, "sex")
		p1 := dosing.Patient{Weight: conv(t, lb, units.Kilogram), Height: conv(t, in, units.Centimeter), Sex: sex}
		p2 := dosing.Patient{Weight: lb, Height: in, Sex: sex}
		if rapid.Bool().Draw(t, "ideal_when_obese") {
			r.Weight = dosing.WeightPolicy{Basis: dosing.Actual, IdealWhenBMIAtLeast: mq("30 kg/m²"), IBWFormula: dosing.Devine, ShortStature: dosing.Extrapolate}
		}
		r2 := inOtherUnits(t, r)
		res1, err1 := dosing.Calculate(r, p1, dosing.Options{})
		res2, err2 := dosing.Calculate(r2, p2, dosing.Options{})
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("one refused, the other not: %v / %v", err1, err2)
		}
		if err1 != nil {
			var l1, l2 *dosing.LimitError
			i1, i2 := inputErrors(err1), inputErrors(err2)
			switch {
			case errors.As(err1, &l1) && errors.As(err2, &l2) && l1.Field == l2.Field && l1.Kind == l2.Kind:
			case len(i1) == 1 && len(i2) == 1 && i1[0].Field == i2[0].Field:
			default:
				t.Fatalf("refused differently: %v / %v", err1, err2)
			}
			return
		}
		same := func(name string, a, b units.Quantity) {
			if a.IsValid() != b.IsValid() || a.IsValid() && cmpQ(t, a, b) != 0 {
				t.Fatalf("%s: %s in the first units, %s in the second", name, a, b)
			}
		}
		same("dosing weight", res1.Weight.Value, res2.Weight.Value)
		same("requested dose", res1.RequestedDose, res2.RequestedDose)
		same("dose", res1.Dose, res2.Dose)
		same("dose per kg", res1.DosePerKg, res2.DosePerKg)
		if (res1.Preparation == nil) != (res2.Preparation == nil) || (res1.Infusion == nil) != (res2.Infusion == nil) {
			t.Fatal("preparation or infusion present in one result only")
		}
		if p1, p2 := res1.Preparation, res2.Preparation; p1 != nil {
			same("draw", p1.Draw, p2.Draw)
			same("final volume", p1.FinalVolume, p2.FinalVolume)
			same("final concentration", p1.FinalConc, p2.FinalConc)
		}
		if i1, i2 := res1.Infusion, res2.Infusion; i1 != nil {
			same("duration", i1.Duration, i2.Duration)
			same("pump rate", i1.PumpRate, i2.PumpRate)
			same("pump rate before rounding", i1.PumpRateExact, i2.PumpRateExact)
			same("dose rate", i1.DoseRate, i2.DoseRate)
			same("intended dose rate", i1.IntendedDoseRate, i2.IntendedDoseRate)
			same("dose rate per kg", i1.DoseRatePerKgMin, i2.DoseRatePerKgMin)
		}
		// The pounds-entered-as-kilograms warning is about the unit the
		// weight was entered in, so it is the one warning that may differ.
		const pounds = "patient.weight_may_be_pounds"
		if slices.Contains(warningKeys(res2), pounds) {
			t.Fatalf("a weight entered in pounds is suspected of being pounds")
		}
		notPounds := func(k string) bool { return k == pounds }
		if diff := cmp.Diff(slices.DeleteFunc(warningKeys(res1), notPounds), warningKeys(res2), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("warnings differ (-first +second):\n%s", diff)
		}
	})
}

func scale(t *rapid.T, q units.Quantity, k int64) units.Quantity {
	s, err := q.Scale(decimal.NewFromInt(k))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func conv(t *rapid.T, q units.Quantity, u units.Unit) units.Quantity {
	c, err := q.Convert(u)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// inOtherUnits rewrites a generated rule in other units of the same
// dimensions, each conversion exact.
func inOtherUnits(t *rapid.T, r dosing.Rule) dosing.Rule {
	switch r.Dose.Unit() {
	case units.MgPerKg:
		r.Dose = conv(t, r.Dose, units.McgPerKg)
	case units.McgPerKgPerMin:
		r.Dose = conv(t, r.Dose, units.MgPerKgPerHour)
	}
	if r.Cap.IsValid() {
		r.Cap = conv(t, r.Cap, units.Microgram)
	}
	if r.CapPerKg.IsValid() {
		r.CapPerKg = conv(t, r.CapPerKg, units.McgPerKg)
	}
	if r.DoseRounding != nil {
		d := *r.DoseRounding
		d.Step = conv(t, d.Step, units.Microgram)
		r.DoseRounding = &d
	}
	if p := r.Preparation; p != nil {
		np := *p
		np.Stock = conv(t, p.Stock, units.McgPerML)
		if p.Bag != nil {
			np.Bag = &dosing.Bag{Volume: conv(t, p.Bag.Volume, units.Liter), Method: p.Bag.Method}
		}
		if p.Syringe != nil && p.Syringe.Concentration.IsValid() {
			np.Syringe = &dosing.Syringe{Concentration: conv(t, p.Syringe.Concentration, units.McgPerML)}
		}
		r.Preparation = &np
	}
	if in := r.Infusion; in != nil {
		ni := *in
		ni.Duration = conv(t, in.Duration, units.Hour)
		ni.Pump.MaxRate = conv(t, in.Pump.MaxRate, units.MLPerMin) // 999 mL/h = 16.65 mL/min
		r.Infusion = &ni
	}
	if r.Weight.IdealWhenBMIAtLeast.IsValid() {
		r.Weight.IdealWhenBMIAtLeast = mq("30 kg/m²")
	}
	return r
}

func warningKeys(r dosing.Result) []string {
	var keys []string
	for _, w := range r.Warnings {
		keys = append(keys, w.Key)
	}
	return keys
}

// TestPropPumpRateBackComputesDose: what the pump is programmed to run
// delivers the dose. The programmed rate is within the rate step of the
// exact one (half a step when rounding to the nearest); the rate × run time
// × concentration is the dose; the delivered dose rate is within one rate
// step × concentration of the intended one, and intended rate × duration is
// the dose.
func TestPropPumpRateBackComputesDose(t *testing.T) {
	tiny := mq("0.000000000000000000001 mg") // 10^-21 mg: below any clinical digit
	rapid.Check(t, func(t *rapid.T) {
		r := dosing.Rule{Name: "generated", Version: "1",
			Dose:        genQ(t, "dose_mg_kg", 100, 2000, 3, units.MgPerKg),
			Weight:      dosing.WeightPolicy{Basis: dosing.Actual},
			Preparation: genPreparation(t, true),
			Infusion:    genInfusion(t),
		}
		res, err := dosing.Calculate(r, genPatient(t), dosing.Options{})
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		in, prep := res.Infusion, res.Preparation
		step := r.Infusion.Pump.RateStep
		dev := abs(sub(t, in.PumpRate, in.PumpRateExact))
		if cmpQ(t, dev, step) > 0 {
			t.Fatalf("pump rate %s is %s from the exact %s, more than the step %s", in.PumpRate, dev, in.PumpRateExact, step)
		}
		if m := r.Infusion.Pump.RateRounding; m == units.RoundHalfUp || m == units.RoundHalfEven {
			if twice := scale(t, dev, 2); cmpQ(t, twice, step) > 0 {
				t.Fatalf("pump rate %s is more than half a step from %s", in.PumpRate, in.PumpRateExact)
			}
		}
		// rate × run time × concentration = the dose
		vol := mul(t, in.PumpRate, in.RunTime)
		if d := abs(sub(t, vol, in.VTBI)); cmpQ(t, d, mq("0.000000000000000000001 mL")) > 0 {
			t.Fatalf("%s × %s = %s, not the volume %s", in.PumpRate, in.RunTime, vol, in.VTBI)
		}
		delivered := mul(t, mul(t, in.PumpRate, in.RunTime), prep.FinalConc)
		if d := abs(sub(t, delivered, res.Dose)); cmpQ(t, d, tiny) > 0 {
			t.Fatalf("%s × %s × %s = %s, not the dose %s", in.PumpRate, in.RunTime, prep.FinalConc, delivered, res.Dose)
		}
		// delivered dose rate = programmed rate × concentration, within
		// one step × concentration of the intended rate
		byRate := mul(t, in.PumpRate, prep.FinalConc)
		if d := abs(sub(t, byRate, in.DoseRate)); cmpQ(t, d, mq("0.000000000000000000001 mg/h")) > 0 {
			t.Fatalf("dose rate %s, but %s × %s = %s", in.DoseRate, in.PumpRate, prep.FinalConc, byRate)
		}
		tol := mul(t, step, prep.FinalConc)
		if d := abs(sub(t, in.DoseRate, in.IntendedDoseRate)); cmpQ(t, d, tol) > 0 {
			t.Fatalf("delivered %s, intended %s: more than %s apart", in.DoseRate, in.IntendedDoseRate, tol)
		}
		whole := mul(t, in.IntendedDoseRate, in.Duration)
		if d := abs(sub(t, whole, res.Dose)); cmpQ(t, d, tiny) > 0 {
			t.Fatalf("intended %s × %s = %s, not the dose %s", in.IntendedDoseRate, in.Duration, whole, res.Dose)
		}
	})
}

func sub(t *rapid.T, a, b units.Quantity) units.Quantity {
	d, err := a.Sub(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mul(t *rapid.T, a, b units.Quantity) units.Quantity {
	p, err := a.Mul(b)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func abs(q units.Quantity) units.Quantity { return q.Abs() }

// genBound draws an optional smart-pump bound around a typical value v:
// each of the four limits is unset or a multiple of v between 0.25 v and
// 4 v, and the set ones are put in order (hard min ≤ soft min < soft max ≤
// hard max), as a linted protocol has them.
func genBound(t *rapid.T, name string, v units.Quantity) dosing.Bound {
	var qs []units.Quantity
	for _, k := range []string{"hard_min", "soft_min", "soft_max", "hard_max"} {
		if rapid.IntRange(0, 2).Draw(t, name+"."+k+"?") == 0 {
			qs = append(qs, units.Quantity{})
			continue
		}
		f := rapid.Int64Range(25, 400).Draw(t, name+"."+k+"%")
		q, err := v.Scale(decimal.New(f, -2))
		if err != nil {
			t.Fatal(err)
		}
		qs = append(qs, q)
	}
	var set []units.Quantity
	for _, q := range qs {
		if q.IsValid() {
			set = append(set, q)
		}
	}
	slices.SortFunc(set, func(a, b units.Quantity) int { return cmpQ(t, a, b) })
	i := 0
	for k := range qs {
		if qs[k].IsValid() {
			qs[k] = set[i]
			i++
		}
	}
	b := dosing.Bound{HardMin: qs[0], SoftMin: qs[1], SoftMax: qs[2], HardMax: qs[3]}
	// A minimum must be strictly below every maximum.
	for _, lo := range []*units.Quantity{&b.HardMin, &b.SoftMin} {
		for _, hi := range []units.Quantity{b.SoftMax, b.HardMax} {
			if lo.IsValid() && hi.IsValid() && cmpQ(t, *lo, hi) == 0 {
				*lo = units.Quantity{}
			}
		}
	}
	return b
}

// limitChecks lists each limited output: its final value, its value before
// rounding, and its bound.
func limitChecks(t *rapid.T, r dosing.Rule, res dosing.Result) []struct {
	key          string
	final, exact units.Quantity
	b            dosing.Bound
} {
	type lc = struct {
		key          string
		final, exact units.Quantity
		b            dosing.Bound
	}
	capped := res.RequestedDose
	for _, c := range capsOf(t, r, res) {
		if cmpQ(t, c, capped) < 0 {
			capped = c
		}
	}
	perKg := func(q units.Quantity, u units.Unit) units.Quantity {
		v, err := q.DivTo(res.Weight.Value, u)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	l := r.Limits
	out := []lc{
		{"dose", res.Dose, capped, l.Dose},
		{"dose_per_kg", res.DosePerKg, perKg(capped, units.MgPerKg), l.DosePerKg},
	}
	if p := res.Preparation; p != nil {
		out = append(out, lc{"concentration", p.FinalConc, p.FinalConc, l.Concentration}, lc{"volume", p.FinalVolume, p.FinalVolume, l.Volume})
	}
	if in := res.Infusion; in != nil {
		out = append(out,
			lc{"pump_rate", in.PumpRate, in.PumpRateExact, l.PumpRate},
			lc{"dose_rate", in.DoseRate, in.IntendedDoseRate, l.DoseRate},
			lc{"dose_rate_per_kg", in.DoseRatePerKgH, perKg(in.IntendedDoseRate, units.MgPerKgPerHour), l.DoseRatePerKg},
			lc{"duration", in.Duration, in.Duration, l.Duration})
	}
	return out
}

// TestPropLimitsHoldOnEveryOutput: for any generated rule with limits and
// any patient, a result never has a final value beyond a hard limit or a
// cap, every soft-limit crossing (by the final value or the value before
// rounding) has its warning, and a hard limit is a *LimitError with a zero
// Result.
func TestPropLimitsHoldOnEveryOutput(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genIVRule(t)
		r.Limits = dosing.Limits{
			Dose:          genBound(t, "dose", mq("40 mg")),
			DosePerKg:     genBound(t, "dose_per_kg", mq("0.5 mg/kg")),
			Concentration: genBound(t, "concentration", mq("1 mg/mL")),
			Volume:        genBound(t, "volume", mq("100 mL")),
			PumpRate:      genBound(t, "pump_rate", mq("150 mL/h")),
			DoseRate:      genBound(t, "dose_rate", mq("60 mg/h")),
			DoseRatePerKg: genBound(t, "dose_rate_per_kg", mq("12.5 mcg/kg/min")),
			Duration:      genBound(t, "duration", mq("40 min")),
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("generated an invalid rule: %v", err)
		}
		res, err := dosing.Calculate(r, genPatient(t), dosing.Options{})
		if err != nil {
			var le *dosing.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("refused with %v, not a *LimitError", err)
			}
			if diff := cmp.Diff(dosing.Result{}, res); diff != "" {
				t.Fatalf("a result with the hard-limit error (-want +got):\n%s", diff)
			}
			return
		}
		for _, c := range capsOf(t, r, res) {
			if cmpQ(t, res.Dose, c) > 0 {
				t.Fatalf("dose %s above the cap %s", res.Dose, c)
			}
		}
		keys := warningKeys(res)
		for _, k := range limitChecks(t, r, res) {
			if k.b.HardMax.IsValid() && cmpQ(t, k.final, k.b.HardMax) > 0 {
				t.Fatalf("%s %s above the hard maximum %s", k.key, k.final, k.b.HardMax)
			}
			if k.b.HardMin.IsValid() && cmpQ(t, k.final, k.b.HardMin) < 0 {
				t.Fatalf("%s %s below the hard minimum %s", k.key, k.final, k.b.HardMin)
			}
			for _, v := range []units.Quantity{k.final, k.exact} {
				if k.b.SoftMax.IsValid() && cmpQ(t, v, k.b.SoftMax) > 0 && !slices.Contains(keys, k.key+".soft_max") {
					t.Fatalf("%s %s above the soft maximum %s without a warning (warnings %v)", k.key, v, k.b.SoftMax, keys)
				}
				if k.b.SoftMin.IsValid() && cmpQ(t, v, k.b.SoftMin) < 0 && !slices.Contains(keys, k.key+".soft_min") {
					t.Fatalf("%s %s below the soft minimum %s without a warning (warnings %v)", k.key, v, k.b.SoftMin, keys)
				}
			}
		}
		if res.NeedsReview() != slices.ContainsFunc(res.Warnings, func(w dosing.Warning) bool { return w.Severity == dosing.Review }) {
			t.Fatalf("NeedsReview %v with warnings %v", res.NeedsReview(), keys)
		}
	})
}

// TestPropSoftWarningSurvivesRounding: a soft limit set just inside the
// exact dose per kg is crossed by the exact value; whatever the drawn
// volume rounds to, the warning is there.
func TestPropSoftWarningSurvivesRounding(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := dosing.Rule{Name: "generated", Version: "1",
			Dose:        genQ(t, "dose_mg_kg", 100, 2000, 3, units.MgPerKg),
			Weight:      dosing.WeightPolicy{Basis: dosing.Actual},
			Preparation: genPreparation(t, false),
		}
		nudge := genQ(t, "nudge", 1, 10, 4, units.MgPerKg)
		max := rapid.Bool().Draw(t, "soft_max")
		key := "dose_per_kg.soft_min"
		if max {
			key = "dose_per_kg.soft_max"
			r.Limits.DosePerKg.SoftMax = sub(t, r.Dose, nudge)
		} else {
			a, err := r.Dose.Add(nudge)
			if err != nil {
				t.Fatal(err)
			}
			r.Limits.DosePerKg.SoftMin = a
		}
		res, err := dosing.Calculate(r, genPatient(t), dosing.Options{})
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		if !slices.Contains(warningKeys(res), key) {
			t.Fatalf("exact %s, final %s per kg, limit %+v: no %s warning (warnings %v)",
				r.Dose, res.DosePerKg, r.Limits.DosePerKg, key, warningKeys(res))
		}
		if !res.NeedsReview() {
			t.Fatal("an unacknowledged soft-limit warning does not need review")
		}
	})
}

// TestPropRoundingNeverCarriesDosePastCap: a cap or hard limit near the dose,
// rounding in any mode (up included), with draw volumes or whole dose forms:
// the final dose never passes the cap or the hard maximum, and never falls
// below a hard minimum the exact dose respects.
func TestPropRoundingNeverCarriesDosePastCap(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := dosing.Rule{Name: "generated", Version: "1",
			Dose:   genQ(t, "dose_mg_kg", 100, 2000, 3, units.MgPerKg),
			Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		}
		if rapid.Bool().Draw(t, "troches") {
			r.Form = &dosing.Form{Strength: mq(rapid.SampledFrom([]string{"10 mg/troche", "25 mg/troche"}).Draw(t, "strength")),
				Step: mq(rapid.SampledFrom([]string{"0.5 troche", "1 troche"}).Draw(t, "form_step")), Rounding: rapid.SampledFrom(allModes).Draw(t, "form_rounding")}
		} else {
			r.Preparation = genPreparation(t, false)
		}
		p := genPatient(t)
		exact, err := r.Dose.Mul(p.Weight)
		if err != nil {
			t.Fatal(err)
		}
		// A limit within ±5 mg of the exact dose, at 0.01 mg.
		off := genQ(t, "offset_cmg", -500, 500, 2, units.Milligram)
		near, err := exact.Add(off)
		if err != nil || near.Sign() <= 0 {
			return
		}
		var hardMin units.Quantity
		switch rapid.IntRange(0, 2).Draw(t, "which") {
		case 0:
			r.Cap = near
		case 1:
			r.Limits.Dose.HardMax = near
		case 2:
			r.Limits.Dose.HardMin, hardMin = near, near
		}
		res, err := dosing.Calculate(r, p, dosing.Options{})
		if err != nil {
			var le *dosing.LimitError
			var ie *dosing.FieldError
			switch {
			case errors.As(err, &le):
				// Refused: only right if the exact dose itself crosses a
				// hard limit, or no measurable dose respects it.
				if le.Field == "dose" && le.Kind == dosing.HardMax && cmpQ(t, exact, near) <= 0 {
					stepDose := mq("10 mg") // a coarser form step than any limit offset
					if r.Form == nil {
						stepDose = mq("2 mg")
					}
					if d := sub(t, near, exact); cmpQ(t, d, stepDose) >= 0 {
						t.Fatalf("exact %s within the hard maximum %s, refused: %v", exact, near, err)
					}
				}
			case errors.As(err, &ie) && ie.Field == "preparation.draw_step":
			default:
				t.Fatalf("refused with %v", err)
			}
			return
		}
		for _, c := range capsOf(t, r, res) {
			if cmpQ(t, res.Dose, c) > 0 {
				t.Fatalf("dose %s rounded past the cap %s (exact %s)", res.Dose, c, exact)
			}
		}
		if hm := r.Limits.Dose.HardMax; hm.IsValid() && cmpQ(t, res.Dose, hm) > 0 {
			t.Fatalf("dose %s rounded past the hard maximum %s", res.Dose, hm)
		}
		if hardMin.IsValid() && cmpQ(t, res.Dose, hardMin) < 0 {
			t.Fatalf("dose %s rounded below the hard minimum %s", res.Dose, hardMin)
		}
	})
}

// TestPropAnyInputGivesResultOrTypedError: for arbitrary, often invalid
// inputs (zero, negative, wrong units, missing parts), Calculate never
// panics, and either returns a result or an error that is a *FieldError
// or a *LimitError (and then no result).
func TestPropAnyInputGivesResultOrTypedError(t *testing.T) {
	anyQ := func(t *rapid.T, label string) units.Quantity {
		if rapid.IntRange(0, 4).Draw(t, label+"?") == 0 {
			return units.Quantity{}
		}
		u := rapid.SampledFrom(units.Units()).Draw(t, label+"_unit")
		return units.New(decimal.New(rapid.Int64Range(-5, 2000).Draw(t, label), -rapid.Int32Range(0, 3).Draw(t, label+"_places")), u)
	}
	rapid.Check(t, func(t *rapid.T) {
		r := dosing.Rule{Name: "fuzz", Version: "1",
			Dose:     anyQ(t, "dose"),
			Weight:   dosing.WeightPolicy{Basis: rapid.SampledFrom([]dosing.WeightBasis{"", dosing.Actual, dosing.Ideal, dosing.Adjusted, dosing.Lean, dosing.LesserActualIdeal}).Draw(t, "basis"), IBWFormula: dosing.Devine, AdjustFactor: decimal.New(rapid.Int64Range(-1, 12).Draw(t, "factor"), -1), ShortStature: dosing.Extrapolate},
			Cap:      anyQ(t, "cap"),
			CapPerKg: anyQ(t, "cap_per_kg"),
		}
		if rapid.Bool().Draw(t, "prep") {
			r.Preparation = &dosing.Preparation{Stock: anyQ(t, "stock"), DrawStep: anyQ(t, "draw_step"), DrawRounding: units.RoundingMode(rapid.IntRange(0, 5).Draw(t, "draw_mode"))}
			if rapid.Bool().Draw(t, "bag") {
				r.Preparation.Bag = &dosing.Bag{Volume: anyQ(t, "bag"), Method: dosing.WithdrawFirst}
			}
		}
		if rapid.Bool().Draw(t, "infusion") {
			r.Infusion = &dosing.Infusion{Duration: anyQ(t, "duration"), Pump: dosing.Pump{RateStep: anyQ(t, "rate_step"), RateRounding: units.RoundHalfUp, MaxRate: anyQ(t, "max_rate")}}
		}
		if rapid.Bool().Draw(t, "form") {
			r.Form = &dosing.Form{Strength: anyQ(t, "strength"), Step: anyQ(t, "form_step"), Rounding: units.RoundUp, MaxCount: anyQ(t, "max_count")}
		}
		r.Limits.DosePerKg = dosing.Bound{SoftMax: anyQ(t, "soft_max"), HardMax: anyQ(t, "hard_max")}
		p := dosing.Patient{Weight: anyQ(t, "weight"), Height: anyQ(t, "height"), Sex: dosing.Sex(rapid.IntRange(0, 3).Draw(t, "sex"))}
		var res dosing.Result
		var err error
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Fatalf("Calculate panicked: %v", v)
				}
			}()
			res, err = dosing.Calculate(r, p, dosing.Options{})
		}()
		if err == nil {
			if !res.Dose.IsValid() || res.Notice != dosing.Notice {
				t.Fatalf("a result without a dose or the notice: %+v", res)
			}
			return
		}
		var ie *dosing.FieldError
		var le *dosing.LimitError
		if !errors.As(err, &ie) && !errors.As(err, &le) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if diff := cmp.Diff(dosing.Result{}, res); diff != "" {
			t.Fatalf("a result with the error (-want +got):\n%s", diff)
		}
	})
}
