package dosing

import (
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
	switch c.kind {
	case kindFixed:
		c.dose = def
		s = Step{ID: "dose", Title: "Dose", Formula: "dose = fixed dose", Inputs: []Term{term("dose", def, src)}, Value: def}
	case kindPerKg:
		c.dose = c.mul(def, c.weight)
		s = Step{ID: "dose", Title: "Dose", Formula: "dose = dose per kg × dosing weight",
			Inputs: []Term{term("dose per kg", def, src), term("dosing weight", c.weight, "step dosing_weight")}, Value: c.dose}
	case kindPerM2:
		c.dose = c.mul(def, c.res.BodySize.BSA)
		s = Step{ID: "dose", Title: "Dose", Formula: "dose = dose per m² × BSA",
			Inputs: []Term{term("dose per m²", def, src), term("BSA", c.res.BodySize.BSA, "step bsa")}, Value: c.dose}
	case kindRate:
		c.rate = c.conv(def, c.amt.unit(roleRate))
		c.dose = c.conv(c.mul(def, c.duration), c.amt.unit(roleDose))
		s = Step{ID: "dose", Title: "Dose over the infusion", Formula: "dose = dose rate × duration",
			Inputs: []Term{term("dose rate", def, src), term("duration", c.duration, "rule infusion")}, Value: c.dose}
	case kindRatePerKg:
		c.rate = c.conv(c.mul(def, c.weight), c.amt.unit(roleRate))
		c.dose = c.conv(c.mul(c.rate, c.duration), c.amt.unit(roleDose))
		s = Step{ID: "dose", Title: "Dose over the infusion", Formula: "dose = dose rate per kg × dosing weight × duration",
			Inputs: []Term{term("dose rate per kg", def, src), term("dosing weight", c.weight, "step dosing_weight"), term("duration", c.duration, "rule infusion")}, Value: c.dose}
	}
	if !c.ok() {
		return
	}
	c.res.RequestedDose = c.dose
	c.step(s)
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
	limit := c.min(r.Cap, perKg)
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
	c.dose, c.capped = to, to
	c.step(Step{ID: "cap", Title: "Cap", Formula: "dose = min(dose, caps)",
		Inputs: []Term{term("dose", from, "step dose"), term("cap", limit, "rule")},
		Exact:  from, Value: to, Flags: Capped, Deviation: c.sub(to, from), DeviationPct: c.pct(from, to), Note: "capped from " + display(from).String() + " to " + display(to).String() + " (" + which + ")"})
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
