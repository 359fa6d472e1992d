package envelope

import (
	"errors"
	"slices"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/units"
)

// ivRule is the IV example protocol's rule and its titration ladder.
func ivRule(t testing.TB) (dosing.Rule, []units.Quantity) {
	t.Helper()
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	return p.Rule(), p.Titration.Steps
}

func q(s string) units.Quantity { return units.MustParse(s) }

// drawRule varies the IV example rule where it decides what happens to a
// patient: the weight basis, caps, dose limits, the pump's maximum rate
// (stretched or refused) and the population's bounds.
func drawRule(t *rapid.T, base dosing.Rule) dosing.Rule {
	r := base
	r.Weight.Basis = rapid.SampledFrom([]dosing.WeightBasis{dosing.Actual, dosing.Ideal, dosing.Adjusted, dosing.Lean, dosing.LesserActualIdeal}).Draw(t, "basis")
	if r.Weight.Basis != dosing.Actual {
		r.Weight.IdealWhenBMIAtLeast = units.Quantity{}
	} else if rapid.Bool().Draw(t, "no_bmi_switch") {
		r.Weight.IdealWhenBMIAtLeast = units.Quantity{}
	}
	if r.Weight.Basis == dosing.Adjusted {
		r.Weight.AdjustFactor = decimal.RequireFromString("0.4")
	}
	r.Cap = rapid.SampledFrom([]units.Quantity{{}, q("60 mg"), q("100 mg")}).Draw(t, "cap")
	r.CapPerKg = rapid.SampledFrom([]units.Quantity{{}, q("0.7 mg/kg")}).Draw(t, "cap_per_kg")
	l := r.Limits
	l.Dose.HardMax = rapid.SampledFrom([]units.Quantity{{}, q("55 mg"), q("100 mg")}).Draw(t, "dose_hard_max")
	l.DosePerKg.SoftMax = rapid.SampledFrom([]units.Quantity{q("0.55 mg/kg"), q("0.75 mg/kg")}).Draw(t, "per_kg_soft_max")
	l.DosePerKg.HardMax = rapid.SampledFrom([]units.Quantity{q("0.8 mg/kg"), q("1 mg/kg")}).Draw(t, "per_kg_hard_max")
	r.Limits = l
	in := *r.Infusion
	in.Pump.MaxRate = rapid.SampledFrom([]units.Quantity{q("999 mL/h"), q("155 mL/h")}).Draw(t, "max_rate")
	in.Pump.StretchToMaxRate = rapid.Bool().Draw(t, "stretch")
	r.Infusion = &in
	pop := r.Population
	pop.Weight.HardMin = rapid.SampledFrom([]units.Quantity{{}, q("45 kg")}).Draw(t, "pop_weight_hard_min")
	pop.BMI.SoftMax = rapid.SampledFrom([]units.Quantity{{}, q("40 kg/m²")}).Draw(t, "pop_bmi_soft_max")
	r.Population = pop
	return r
}

// drawAxis draws a small axis: 1 to 7 values from a start and a step.
func drawAxis(t *rapid.T, name string, lo, hi, maxStep int, u units.Unit) Axis {
	n := rapid.IntRange(1, 7).Draw(t, name+"_count")
	step := rapid.IntRange(1, min(maxStep, max(1, (hi-lo)/max(1, n-1)))).Draw(t, name+"_step")
	from := rapid.IntRange(lo, hi-(n-1)*step).Draw(t, name+"_from")
	return Axis{From: units.NewInt(int64(from), u), To: units.NewInt(int64(from+(n-1)*step), u), Step: units.NewInt(int64(step), u)}
}

// conditionsOf is what happened to a patient, read from Calculate's answer
// on its own: the warning keys, "refused:…" for each error joined in the
// refusal (as the package documents them), and within_limits for a
// result without a review warning.
func conditionsOf(res dosing.Result, err error, idealSwitch bool) []string {
	if err != nil {
		var keys []string
		var walk func(error)
		walk = func(e error) {
			if j, ok := e.(interface{ Unwrap() []error }); ok {
				for _, c := range j.Unwrap() {
					walk(c)
				}
				return
			}
			var le *dosing.LimitError
			var pe *dosing.PopulationError
			var ie *dosing.FieldError
			switch {
			case errors.As(e, &le):
				keys = append(keys, "refused:limit."+le.Field+"."+string(le.Kind))
			case errors.As(e, &pe):
				keys = append(keys, "refused:"+pe.Field+"."+string(pe.Kind))
			case errors.As(e, &ie):
				keys = append(keys, "refused:input."+ie.Field)
			default:
				keys = append(keys, "refused:error")
			}
		}
		walk(err)
		return keys
	}
	var keys []string
	for _, w := range res.Warnings {
		keys = append(keys, w.Key)
	}
	if !res.NeedsReview() {
		keys = append(keys, "within_limits")
	}
	if idealSwitch && res.Weight.Basis == dosing.Ideal {
		keys = append(keys, "dosing_weight.ideal")
	}
	return keys
}

// outputOf reads an output of a result by its name, written out here
// rather than taken from the package's table.
func outputOf(id string, r dosing.Result) units.Quantity {
	switch id {
	case "dosing_weight":
		return r.Weight.Value
	case "dose":
		return r.Dose
	case "dose_per_kg":
		return r.DosePerKg
	case "draw_volume":
		return r.Preparation.Draw
	case "final_concentration":
		return r.Preparation.FinalConc
	case "pump_rate":
		return r.Infusion.PumpRate
	case "duration":
		return r.Infusion.Duration
	case "dose_rate_per_kg":
		return r.Infusion.DoseRatePerKgH
	case "rounding.dose":
		if v, ok := r.RoundedValue("dose"); ok {
			return v.DeviationPct
		}
		return units.NewInt(0, units.Percent)
	}
	return units.Quantity{}
}

// TestPropertyEnvelopeIsCalculate checks the envelope against Calculate
// for every patient of random small grids over random variations of the
// IV rule: a patient is in a region exactly when Calculate reports its
// condition (within the limits: a result with no review warning), every
// condition Calculate reports has its region, the counts add up, every
// output lies within its range, and a patient is at an extreme exactly
// when its value is the extreme's.
func TestPropertyEnvelopeIsCalculate(t *testing.T) {
	base, ladder := ivRule(t)
	domino, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		rule := drawRule(t, base)
		opt := Options{
			Weights: drawAxis(t, "weight", 30, 250, 40, units.Kilogram),
			Heights: drawAxis(t, "height", 120, 230, 25, units.Centimeter),
			Sexes:   rapid.SliceOfNDistinct(rapid.SampledFrom([]dosing.Sex{dosing.Male, dosing.Female, 0}), 1, 3, rapid.ID).Draw(t, "sexes"),
			Ages:    rapid.SliceOfNDistinct(rapid.SampledFrom([]dosing.Years{0, 17, 18, 64}), 1, 3, rapid.ID).Draw(t, "ages"),
			Workers: rapid.IntRange(1, 3).Draw(t, "workers"),
		}
		withPK := rapid.Bool().Draw(t, "pk")
		if withPK {
			opt.PK = domino
		}
		env, err := evaluate(rule, ladder, opt)
		if err != nil {
			t.Fatalf("evaluate: %v", err)
		}
		switchable := rule.Weight.Basis == dosing.LesserActualIdeal || rule.Weight.Basis == dosing.Actual && rule.Weight.IdealWhenBMIAtLeast.IsValid()
		g := env.Grid
		for _, L := range env.Levels {
			if L.Within+L.Review+L.Refused != L.Patients || L.Patients != len(g.Sexes)*len(g.Ages)*g.Heights.Count*g.Weights.Count {
				t.Fatalf("level %d: %d within + %d review + %d refused ≠ %d patients of the grid", L.Number, L.Within, L.Review, L.Refused, L.Patients)
			}
			counted := map[string]int{}
			for _, sex := range g.Sexes {
				for _, age := range g.Ages {
					for _, h := range g.heights {
						for _, w := range g.weights {
							p := Patient{Sex: sex, Age: age, Weight: w, Height: h}
							res, err := dosing.Calculate(rule, p.Dosing(), dosing.Options{Dose: L.Dose})
							keys := conditionsOf(res, err, switchable)
							var cmax units.Quantity
							if withPK && err == nil {
								admins, aerr := pk.FromResult(res)
								pred, perr := domino.Predict(p.Dosing(), admins)
								if aerr != nil || perr != nil {
									t.Fatalf("%v: no prediction: %v %v", p, aerr, perr)
								}
								peak, perr := pred.Peak(pk.Plasma)
								if perr != nil {
									t.Fatal(perr)
								}
								cmax = peak.Cp
								for _, w := range pred.Warnings {
									keys = append(keys, "pk."+w.Key)
								}
							}
							for _, k := range keys {
								counted[k]++
							}
							for _, r := range L.Regions {
								if got, want := r.Contains(p), slices.Contains(keys, r.Key); got != want {
									t.Fatalf("level %d, %v: in region %s = %v, but Calculate says %v (conditions %v)", L.Number, p, r.Key, got, want, keys)
								}
							}
							for _, r := range L.Ranges {
								if err != nil {
									break
								}
								v := outputOf(r.Output, res)
								if r.Output == "cmax" {
									v = cmax
								}
								if !v.IsValid() {
									continue
								}
								if !within(v, r.Min.Value, r.Max.Value) {
									t.Fatalf("level %d, %v: %s %v outside its range %v to %v", L.Number, p, r.Output, v, r.Min.Value, r.Max.Value)
								}
								for _, e := range []Extreme{r.Min, r.Max} {
									in := false
									for _, pt := range e.Where {
										in = in || pt.contains(p)
									}
									c, ok := compare(v, e.Value)
									if !ok {
										t.Fatalf("level %d, %v: %s %v cannot be compared with its extreme %v", L.Number, p, r.Output, v, e.Value)
									}
									if in != (c == 0) {
										t.Fatalf("level %d, %v: %s %v; described at the extreme %v: %v", L.Number, p, r.Output, v, e.Value, in)
									}
								}
							}
						}
					}
				}
			}
			for _, r := range L.Regions {
				if counted[r.Key] != r.Patients {
					t.Fatalf("level %d: region %s counts %d patients, Calculate %d", L.Number, r.Key, r.Patients, counted[r.Key])
				}
				delete(counted, r.Key)
			}
			if len(counted) > 0 {
				t.Fatalf("level %d: conditions without a region: %v", L.Number, counted)
			}
		}
	})
}
