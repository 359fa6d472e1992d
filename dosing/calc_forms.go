package dosing

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

func (c *calc) quantize() {
	f := c.rule.Form
	if !c.ok() || f == nil {
		return
	}
	exact := c.div(c.dose, f.Strength)
	ceil, floor := c.doseBounds()
	rd := c.roundTo(exact, Rounding{Step: f.Step, Mode: f.Rounding}, bounds{ceil: ceil, floor: floor, exact: c.dose,
		per: f.Strength, back: backBy{unit: f.Step.Unit(), thenConvert: true}})
	count := rd.value
	c.stepRounded(roundedStep{id: "form_count", title: "Number of " + plural(f.Step), formula: "count = dose ÷ strength, rounded " + f.Rounding.String() + " to " + f.Step.String(),
		inputs: []Term{term("dose", c.dose, "previous step"), term("strength", f.Strength, "rule form")}, exact: exact, rounded: rd})
	if !c.ok() {
		return
	}
	if f.MinCount.IsValid() && c.less(count, f.MinCount) {
		c.fail(&LimitError{Field: "form.count", Kind: HardMin, Value: count, Bound: f.MinCount})
		return
	}
	if f.MaxCount.IsValid() && c.less(f.MaxCount, count) {
		c.fail(&LimitError{Field: "form.count", Kind: HardMax, Value: count, Bound: f.MaxCount})
		return
	}
	if count.Sign() == 0 {
		c.fail(&LimitError{Field: "form.count", Kind: HardMin, Value: count, Bound: f.Step})
		return
	}
	before := c.dose
	c.dose = c.mul(count, f.Strength)
	c.step(Step{ID: "form_dose", Title: "Dose as given", Formula: "dose = count × strength",
		Exact: before, Value: c.dose,
		Deviation: c.devIf(before, c.dose), DeviationPct: c.pctIf(before, c.dose)}, term("count", count, "step form_count"), term("strength", f.Strength, "rule form"))
	fr := &FormResult{Count: count, Strength: f.Strength}
	if f.Interval.IsValid() {
		n := count.Value().Ceil().IntPart() // a half tablet is still given at its own time
		offs := make([]string, 0, n)
		for i := int64(0); i < n; i++ {
			o, err := f.Interval.Scale(decimal.NewFromInt(i))
			if err != nil {
				c.fail(err)
				return
			}
			fr.Offsets = append(fr.Offsets, o)
			offs = append(offs, o.String())
		}
		c.step(Step{ID: "form_timeline", Title: "Administration timeline", Formula: "dose form k is given at (k − 1) × interval from the first",

			Value: fr.Offsets[len(fr.Offsets)-1], Note: "at " + strings.Join(offs, ", ")}, term("count", count, "step form_count"), term("interval", f.Interval, "rule form"))
	}
	c.res.Form = fr
}

func plural(step units.Quantity) string {
	switch step.Unit() {
	case units.Device:
		return "devices"
	case units.Spray:
		return "sprays"
	case units.Troche:
		return "troches"
	case units.Tablet:
		return "tablets"
	}
	return "dose forms"
}
