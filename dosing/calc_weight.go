package dosing

import (
	"strings"
)

func (c *calc) dosingWeight() {
	if !c.ok() {
		return
	}
	pol, bs := c.rule.Weight, c.res.BodySize
	w := WeightUsed{Basis: pol.Basis, Policy: pol.String(), Actual: c.actualKg, UsedFor: c.rule.weightUses()}
	in := []Term{{Name: "policy", Text: w.Policy, Source: "rule"}, term("actual weight", c.actualKg, "patient")}
	if len(w.UsedFor) == 0 {
		// Nothing is per kg: no weight policy applies, and the per-kg
		// values of the result are of the patient's actual weight.
		w.Basis, w.Value = Actual, c.actualKg
		w.Reason = "not used: nothing in the rule is per kg (dose, caps, bands, limits); per-kg values are of the actual weight"
		c.weight = w.Value
		c.res.Weight = w
		c.step(Step{ID: "dosing_weight", Title: "Dosing weight", Formula: "no dosing weight: per-kg values are of the actual weight",
			Value: w.Value, Note: w.Reason}, in...)
		return
	}
	in = append(in, Term{Name: "used for", Text: strings.Join(w.UsedFor, ", "), Source: "rule"})
	ibw := term("IBW", bs.IBW, formulaStepName("ibw_", string(pol.IBWFormula)).source)
	switch pol.Basis {
	case Actual:
		w.Value, w.Reason = c.actualKg, "actual body weight (protocol basis)"
		if t := pol.IdealWhenBMIAtLeast; t.IsValid() {
			in = append(in, term("BMI", bs.BMI, "step bmi"))
			if c.cmp(bs.BMI, t) >= 0 {
				w.Basis, w.Value = Ideal, bs.IBW
				w.Reason = "ideal body weight (" + pol.IBWFormula.name() + "): BMI " + display(bs.BMI).String() + " ≥ " + t.String()
				in = append(in, ibw)
			} else {
				w.Reason = "actual body weight: BMI " + display(bs.BMI).String() + " < " + t.String()
			}
		}
	case Ideal:
		w.Value, w.Reason = bs.IBW, "ideal body weight ("+pol.IBWFormula.name()+", protocol basis)"
		in = append(in, ibw)
	case Adjusted:
		w.Value, w.Reason = bs.AdjustedBW, "adjusted body weight (factor "+pol.AdjustFactor.String()+", protocol basis)"
		in = append(in, term("ABW", bs.AdjustedBW, "step adjusted_bw"))
	case Lean:
		w.Value, w.Reason = bs.LeanBW, "lean body weight ("+pol.leanFormula().name()+", protocol basis)"
		in = append(in, term("LBW", bs.LeanBW, "step lbw_"+string(pol.leanFormula())))
	case LesserActualIdeal:
		in = append(in, ibw)
		if c.less(bs.IBW, c.actualKg) {
			w.Basis, w.Value, w.Reason = Ideal, bs.IBW, "ideal body weight: lesser of actual "+display(c.actualKg).String()+" and ideal "+display(bs.IBW).String()
		} else {
			w.Basis, w.Value, w.Reason = Actual, c.actualKg, "actual body weight: lesser of actual "+display(c.actualKg).String()+" and ideal "+display(bs.IBW).String()
		}
	}
	c.weight = w.Value
	c.res.Weight = w
	note := w.Reason
	if c.aboveActual() {
		note += "; " + c.aboveActualText()
	}
	c.step(Step{ID: "dosing_weight", Title: "Dosing weight", Formula: "dosing weight = " + string(w.Basis) + " body weight",
		Value: w.Value, Note: note}, in...)
}

// weightUses lists what the dosing weight enters in the rule, by field
// name: a per-kg dose or dose rate ("dose"), "bands", "cap_per_kg",
// "limits.dose_per_kg", "limits.dose_rate_per_kg", a per-kg
// "infusion.loading.dose". An empty list means a rule that is not weight
// based (a fixed dose, a dose per m², a fixed rate): never nil, so that JSON
// writes [].
func (r Rule) weightUses() []string {
	uses := []string{}
	if k := kindOf(r.Dose); k == kindPerKg || k == kindRatePerKg || k == kindPerKgPerDay {
		uses = append(uses, "dose")
	}
	if len(r.Bands) > 0 {
		uses = append(uses, "bands")
	}
	if r.CapPerKg.IsValid() {
		uses = append(uses, "cap_per_kg")
	}
	if r.Limits.DosePerKg.isSet() {
		uses = append(uses, "limits.dose_per_kg")
	}
	if r.Limits.DoseRatePerKg.isSet() {
		uses = append(uses, "limits.dose_rate_per_kg")
	}
	if r.Limits.DosePerKgPerDay.isSet() {
		uses = append(uses, "limits.dose_per_kg_per_day")
	}
	if r.Infusion != nil && r.Infusion.Loading != nil && kindOf(r.Infusion.Loading.Dose) == kindPerKg {
		uses = append(uses, "infusion.loading.dose")
	}
	return uses
}

// aboveActual reports a dosing weight above the patient's actual weight:
// every per-kg dose, cap and limit then gives more drug than it says.
func (c *calc) aboveActual() bool {
	return c.weight.IsValid() && c.actualKg.IsValid() && c.less(c.actualKg, c.weight)
}

// aboveActualText says by how much the dosing weight exceeds the actual
// weight, and why the weight the policy chose is the larger one.
func (c *calc) aboveActualText() string {
	w, actual, bs := c.res.Weight, c.actualKg, c.res.BodySize
	s := "above the actual weight " + display(actual).String() + " (" + signed(c.pct(actual, w.Value)) + "): "
	clamp := ""
	if bs.HeightShort {
		if c.rule.Weight.ShortStature == ClampAt60In {
			clamp = "; the IBW is that of a height of 60 in (152.4 cm), not the patient's " + c.p.Height.String() + " (short_stature: clamp)"
		} else {
			clamp = "; the IBW formula is extrapolated below 60 in, where it was not derived (short_stature: extrapolate)"
		}
	}
	switch w.Basis {
	case Ideal:
		s += "the patient weighs less than the ideal body weight for the height" + clamp
	case Adjusted:
		s += "the actual weight is below the IBW " + display(bs.IBW).String() + ", so the adjustment raises it" + clamp
	case Lean:
		s += "the lean-weight formula gives more than the whole weight at a BMI this low (" + display(bs.BMI).String() + ")"
	} // an actual-weight basis is never above the actual weight

	return s
}

// warnAboveActual raises the review warning of a dosing weight above the
// actual weight, quoting both and the dose per kg of actual weight.
func (c *calc) warnAboveActual() {
	if !c.ok() || !c.aboveActual() {
		return
	}
	w := c.res.Weight
	perKg := c.divTo(c.dose, c.actualKg, c.amt.unit(rolePerKg))
	c.res.Warnings = append(c.res.Warnings, Warning{Key: "dosing_weight.above_actual", Severity: Review, Value: w.Value, Bound: c.actualKg,
		Message: "dosing weight " + apart(w.Value, c.actualKg) + " (" + w.Reason + ") is " + c.aboveActualText() +
			"; the dose " + display(c.dose).String() + " is " + show(perKg) + " of the actual weight"})
}
