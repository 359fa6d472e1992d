package dosing

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

func (c *calc) baseDose(override units.Quantity) {
	if !c.ok() {
		return
	}
	r := c.rule
	def, src := r.Dose, "rule"
	if override.IsValid() {
		def, src = override, "options (titration level)"
	}
	if len(r.Bands) > 0 {
		i, ok := c.bandFor(r.Bands, c.weight)
		if !ok {
			c.fail(&FieldError{Field: "bands", Value: c.weight.String(), Msg: "the dosing weight is in no band of the rule", Err: ErrRange})
			return
		}
		b := r.Bands[i]
		def, src = b.Dose, "rule band ["+b.Min.String()+", "+maxText(b.Max)+")"
	}
	c.kind = kindOf(def)
	if r.Infusion != nil {
		c.duration = r.Infusion.Duration
	}
	var s Step
	var in []Term
	switch c.kind {
	case kindFixed:
		c.dose = def
		s = Step{ID: "dose", Title: "Dose", Formula: "dose = fixed dose", Value: def}
		in = []Term{term("dose", def, src)}
	case kindPerKg:
		c.dose = c.mul(def, c.weight)
		s = Step{ID: "dose", Title: "Dose", Formula: "dose = dose per kg × dosing weight", Value: c.dose}
		in = []Term{term("dose per kg", def, src), term("dosing weight", c.weight, "step dosing_weight")}
	case kindPerM2:
		c.dose = c.mul(def, c.res.BodySize.BSA)
		s = Step{ID: "dose", Title: "Dose", Formula: "dose = dose per m² × BSA", Value: c.dose}
		in = []Term{term("dose per m²", def, src), term("BSA", c.res.BodySize.BSA, "step bsa")}
	case kindRate:
		c.rate = c.conv(def, c.amt.unit(roleRate))
		c.dose = c.conv(c.mul(def, c.duration), c.amt.unit(roleDose))
		s = Step{ID: "dose", Title: "Dose over the infusion", Formula: "dose = dose rate × duration", Value: c.dose}
		in = []Term{term("dose rate", def, src), term("duration", c.duration, "rule infusion")}
	case kindRatePerKg:
		c.rate = c.conv(c.mul(def, c.weight), c.amt.unit(roleRate))
		c.dose = c.conv(c.mul(c.rate, c.duration), c.amt.unit(roleDose))
		s = Step{ID: "dose", Title: "Dose over the infusion", Formula: "dose = dose rate per kg × dosing weight × duration", Value: c.dose}
		in = []Term{term("dose rate per kg", def, src), term("dosing weight", c.weight, "step dosing_weight"), term("duration", c.duration, "rule infusion")}
	case kindPerDay, kindPerKgPerDay:
		s = c.dividedDose(def, src)
	}
	if !c.ok() {
		return
	}
	c.res.RequestedDose = c.dose
	c.step(s, in...)
}

// dividedDose is the dose of a rule per day: the day's dose (per day, or
// per kg per day × the dosing weight), then each of the day's doses, the
// day's dose ÷ doses per day. The division is kept at units.Places where it
// does not terminate (100 mg/day in 3 doses), and the trail flags it.
func (c *calc) dividedDose(def units.Quantity, src string) Step {
	var daily units.Quantity
	in := []Term{term("dose per day", def, src)}
	formula := "dose per day = fixed dose per day"
	if c.kind == kindPerKgPerDay {
		daily = c.conv(c.mul(def, c.weight), c.amt.unit(rolePerDay))
		in = []Term{term("dose per kg per day", def, src), term("dosing weight", c.weight, "step dosing_weight")}
		formula = "dose per day = dose per kg per day × dosing weight"
	} else {
		daily = c.conv(def, c.amt.unit(rolePerDay))
	}
	if !c.ok() {
		return Step{}
	}
	c.daily = daily
	c.step(Step{ID: "dose_per_day", Title: "Dose per day", Formula: formula, Inputs: in, Value: daily})
	n := c.rule.DosesPerDay
	c.dose = units.New(daily.Value().DivRound(decimal.NewFromInt(int64(n)), units.Places), c.amt.unit(roleDose))
	return Step{ID: "dose", Title: "Dose", Formula: "dose = dose per day ÷ doses per day",
		Inputs: []Term{term("dose per day", daily, "step dose_per_day"), {Name: "doses per day", Text: strconv.Itoa(n), Source: "rule"}}, Value: c.dose}
}

// perDose is a bound per day in each of the rule's doses of the day: a cap
// or a limit per day ÷ doses per day, in the amount's dose unit. Where the
// division does not terminate it is cut at units.Places on the bound's
// safe side, down for a maximum and up for a minimum, so that doses per day
// × the dose never crosses the bound (101 mg/day ÷ 3 is at most
// 33.666…6 mg, whose three make 100.999…8 mg/day, not 101.000…1).
func (c *calc) perDose(q units.Quantity, max bool) units.Quantity {
	if !q.IsValid() || !c.ok() {
		return units.Quantity{}
	}
	d := c.conv(q, c.amt.unit(rolePerDay))
	quo, rem := d.Value().QuoRem(decimal.NewFromInt(int64(c.rule.DosesPerDay)), units.Places)
	if !max && rem.Sign() > 0 {
		quo = quo.Add(decimal.New(1, -units.Places))
	}
	return units.New(quo, c.amt.unit(roleDose))
}

// perDay is the day's total of a dose: doses per day × dose, in the
// amount's unit per day; invalid for a rule without doses per day.
func (c *calc) perDay(dose units.Quantity) units.Quantity {
	if c.rule.DosesPerDay == 0 || !dose.IsValid() || !c.ok() {
		return units.Quantity{}
	}
	d := c.conv(dose, c.amt.unit(roleDose))
	return units.New(d.Value().Mul(decimal.NewFromInt(int64(c.rule.DosesPerDay))), c.amt.unit(rolePerDay))
}

func maxText(q units.Quantity) string {
	if !q.IsValid() {
		return "∞"
	}
	return q.String()
}

// bandFor finds the band [min, max) holding w.
func (a *arith) bandFor(bs []Band, w units.Quantity) (int, bool) {
	for i, b := range bs {
		if a.cmp(w, b.Min) >= 0 && (!b.Max.IsValid() || a.less(w, b.Max)) {
			return i, true
		}
	}
	return 0, false
}

func (c *calc) capDose() {
	if !c.ok() {
		return
	}
	r := c.rule
	var perKg units.Quantity
	if r.CapPerKg.IsValid() {
		perKg = c.mul(r.CapPerKg, c.weight)
	}
	perDay := c.perDose(r.CapPerDay, true)
	limit := c.min(r.Cap, perKg, perDay)
	c.capped = c.dose
	if !limit.IsValid() || !c.less(limit, c.dose) {
		return
	}
	from := c.dose
	to := c.conv(limit, from.Unit())
	which := "cap " + r.Cap.String()
	if limit.Equal(perKg) && perKg.IsValid() && (!r.Cap.IsValid() || c.less(perKg, r.Cap)) {
		which = "cap " + r.CapPerKg.String() + " × " + display(c.weight).String()
	}
	if limit.Equal(perDay) && perDay.IsValid() && (!r.Cap.IsValid() || c.less(perDay, r.Cap)) && (!perKg.IsValid() || c.less(perDay, perKg)) {
		which = "cap per day " + r.CapPerDay.String() + " ÷ " + dosesText(r.DosesPerDay)
	}
	c.dose, c.capped = to, to
	c.step(Step{ID: "cap", Title: "Cap", Formula: "dose = min(dose, caps)",

		Exact: from, Value: to, Flags: Capped, Deviation: c.sub(to, from), DeviationPct: c.pct(from, to), Note: "capped from " + display(from).String() + " to " + display(to).String() + " (" + which + ")"}, term("dose", from, "step dose"), term("cap", limit, "rule"))
	c.res.Warnings = append(c.res.Warnings, Warning{Key: "dose.capped", Severity: Info, Value: from, Bound: limit,
		Message: "capped from " + display(from).String() + " to " + display(to).String() + " (" + which + ")"})
}

func (c *calc) roundDose() {
	r := c.rule.DoseRounding
	if !c.ok() || r == nil {
		return
	}
	exact := c.dose
	ceil, floor := c.doseBounds()
	rd := c.roundTo(exact, *r, bounds{ceil: ceil, floor: floor})
	c.dose = rd.value
	c.stepRounded(roundedStep{id: "dose_rounding", title: "Dose rounded", formula: "dose rounded " + r.Mode.String() + " to a multiple of " + r.Step.String(),
		inputs: []Term{term("dose", exact, "previous step"), term("step", r.Step, "rule")}, exact: exact, rounded: rd})
}

// dosesText is "3 doses" ("1 dose").
func dosesText(n int) string {
	if n == 1 {
		return "1 dose"
	}
	return strconv.Itoa(n) + " doses"
}
