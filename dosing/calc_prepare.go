package dosing

import (
	"github.com/doseplan/doseplan/units"
)

func (c *calc) prepare() {
	p := c.rule.Preparation
	if !c.ok() || p == nil {
		return
	}
	pr := &PrepResult{Stock: p.Stock, Container: "none"}
	exact := c.divTo(c.dose, p.Stock, units.Milliliter)
	ceil, floor := c.doseBounds()
	rd := c.roundTo(exact, Rounding{Step: p.DrawStep, Mode: p.DrawRounding}, bounds{ceil: ceil, floor: floor, exact: c.dose,
		per: p.Stock, back: backBy{unit: units.Milliliter}})
	draw := rd.value
	pr.DrawExact, pr.Draw = exact, draw
	before := c.dose
	c.dose = c.conv(c.mul(draw, p.Stock), before.Unit())
	// The volume and the dose in it deviate by the same fraction, taken
	// from the exact dose rather than the volume kept at units.Places.
	var pct units.Quantity
	if rd.flags.Has(Rounded) {
		pct = c.pct(before, c.dose)
	}
	c.stepRounded(roundedStep{id: "draw_volume", title: "Volume to draw", formula: "volume = dose ÷ stock concentration, rounded " + p.DrawRounding.String() + " to " + p.DrawStep.String(),
		inputs: []Term{term("dose", before, "previous step"), term("stock", p.Stock, "rule preparation")}, exact: exact, rounded: rd, pct: pct})
	if !c.ok() {
		return
	}
	if draw.Sign() == 0 {
		msg := "the dose " + display(before).String() + " rounds to no volume at this step"
		if c.weight.IsValid() {
			// The dose is too small for the syringe because of the weight
			// it is per: say which, for a weight typed wrong.
			msg += " (it is the dose for the dosing weight " + display(c.weight).String() + ")"
		}
		c.fail(&FieldError{Field: "preparation.draw_step", Value: p.DrawStep.String(), Msg: msg, Err: ErrRange})
		return
	}
	if rd.flags.Has(Rounded) {
		c.step(Step{ID: "delivered_dose", Title: "Dose in the drawn volume", Formula: "dose = drawn volume × stock concentration",
			Exact: before, Value: c.dose,
			Deviation: c.devIf(before, c.dose), DeviationPct: pct}, term("volume", draw, "step draw_volume"), term("stock", p.Stock, "rule preparation"))
	}
	final := draw
	switch {
	case p.Bag != nil:
		pr.Container, pr.Method, pr.Diluent = "bag", p.Bag.Method, p.Bag.Volume
		if p.Bag.Method == WithdrawFirst {
			if c.less(p.Bag.Volume, draw) {
				c.fail(&FieldError{Field: "preparation.bag.volume", Value: p.Bag.Volume.String(), Msg: "smaller than the drug volume " + draw.String() + " to withdraw", Err: ErrRange})
				return
			}
			pr.Withdraw = draw
			final = p.Bag.Volume
			c.step(Step{ID: "final_volume", Title: "Final volume", Formula: "final volume = bag volume (an equal volume withdrawn first)",
				Value: final}, term("bag", p.Bag.Volume, "rule preparation"), term("withdrawn", draw, "step draw_volume"))
		} else {
			final = c.add(p.Bag.Volume, draw)
			c.step(Step{ID: "final_volume", Title: "Final volume", Formula: "final volume = bag volume + drug volume",
				Value: final}, term("bag", p.Bag.Volume, "rule preparation"), term("drug", draw, "step draw_volume"))
		}
	case p.Syringe != nil && p.Syringe.Volume.IsValid():
		pr.Container = "syringe"
		final = p.Syringe.Volume
		if c.less(final, draw) {
			c.fail(&FieldError{Field: "preparation.syringe.volume", Value: final.String(), Msg: "smaller than the drug volume " + draw.String(), Err: ErrRange})
			return
		}
		pr.Diluent = c.sub(final, c.conv(draw, final.Unit()))
		c.step(Step{ID: "final_volume", Title: "Final volume", Formula: "syringe made up to its stated volume",
			Value: final}, term("syringe", final, "rule preparation"), term("drug", draw, "step draw_volume"))
	case p.Syringe != nil:
		pr.Container = "syringe"
		exactVol := c.divTo(c.dose, p.Syringe.Concentration, units.Milliliter)
		fv := c.roundTo(exactVol, Rounding{Step: p.DrawStep, Mode: p.DrawRounding}, bounds{})
		if c.less(fv.value, draw) {
			fv.value = draw // never less than the drug itself
		}
		final = fv.value
		pr.Diluent = c.sub(final, draw)
		c.stepRounded(roundedStep{id: "final_volume", title: "Final volume", formula: "final volume = dose ÷ target concentration, rounded " + p.DrawRounding.String() + " to " + p.DrawStep.String(),
			inputs: []Term{term("dose", c.dose, "previous step"), term("target concentration", p.Syringe.Concentration, "rule preparation")}, exact: exactVol, rounded: fv})
	}
	if !c.ok() {
		return
	}
	c.finalVol = final
	c.finalConc = c.divTo(c.dose, final, c.amt.unit(roleConc))
	pr.FinalVolume, pr.FinalConc = final, c.finalConc
	c.step(Step{ID: "final_concentration", Title: "Final concentration", Formula: "concentration = dose ÷ final volume",
		Value: c.finalConc}, term("dose", c.dose, "previous step"), term("final volume", final, "step final_volume"))
	c.res.Preparation = pr
}
