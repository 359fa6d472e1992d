package dosing

import (
	"github.com/doseplan/doseplan/units"
)

// edge is a bound that rounding may not cross: its value in the unit it is
// compared in, and the limit it comes from as the protocol states it. The
// words for a note are only built when a note is written.
type edge struct {
	q     units.Quantity
	name  string         // "the cap", "the pump's maximum rate"
	limit units.Quantity // as the protocol states it
	w     units.Quantity // the dosing weight, for a limit per kg
	rate  bool           // a dose-rate limit expressed as a pump rate
	n     int            // the doses per day, for a limit per day
}

// label describes the edge: "the cap 100 mg", "the hard maximum dose per kg
// 1 mg/kg × 80 kg = 80 mg".
func (e edge) label() string {
	s := e.name + " " + e.limit.String()
	if e.w.IsValid() {
		s += " × " + show(e.w)
	}
	if e.n > 0 {
		s += " ÷ " + dosesText(e.n)
	}
	switch {
	case e.rate:
		s += " (" + show(e.q) + ")"
	case e.w.IsValid() || e.n > 0:
		s += " = " + show(e.q)
	}
	return s
}

// tightest returns the lowest (upper) or highest (lower) valid edge.
func (a *arith) tightest(upper bool, es ...edge) edge {
	var m edge
	for _, e := range es {
		if e.q.IsValid() && (!m.q.IsValid() || a.less(e.q, m.q) == upper) {
			m = e
		}
	}
	return m
}

// perKgEdge is a per-kg limit × the dosing weight.
func (c *calc) perKgEdge(name string, limit units.Quantity) edge {
	if !limit.IsValid() || !c.ok() {
		return edge{}
	}
	return edge{q: c.mul(limit, c.weight), name: name, limit: limit, w: c.weight}
}

// perDayEdge is a limit per day (per kg per day × the dosing weight, where
// perKg) ÷ doses per day: the most (or least) each dose may be.
func (c *calc) perDayEdge(name string, limit units.Quantity, perKg, max bool) edge {
	if !limit.IsValid() || !c.ok() {
		return edge{}
	}
	e := edge{name: name, limit: limit, n: c.rule.DosesPerDay}
	day := limit
	if perKg {
		e.w = c.weight
		day = c.mul(limit, c.weight)
	}
	e.q = c.perDose(day, max)
	return e
}

func plainEdge(name string, limit units.Quantity) edge {
	if !limit.IsValid() {
		return edge{}
	}
	return edge{q: limit, name: name, limit: limit}
}

// doseBounds returns the largest dose any rounding may reach (the caps and
// the hard maxima of dose and dose per kg) and the smallest (the hard
// minima). Rounding never carries a dose across either.
func (c *calc) doseBounds() (ceil, floor edge) {
	if c.boundsDone || !c.ok() {
		return c.doseCeil, c.doseFloor
	}
	c.boundsDone = true
	l := c.rule.Limits
	c.doseCeil = c.tightest(true, plainEdge("the cap", c.rule.Cap), c.perKgEdge("the cap", c.rule.CapPerKg),
		plainEdge("the hard maximum dose", l.Dose.HardMax), c.perKgEdge("the hard maximum dose per kg", l.DosePerKg.HardMax),
		c.perDayEdge("the cap per day", c.rule.CapPerDay, false, true), c.perDayEdge("the hard maximum dose per day", l.DosePerDay.HardMax, false, true),
		c.perDayEdge("the hard maximum dose per kg per day", l.DosePerKgPerDay.HardMax, true, true))
	c.doseFloor = c.tightest(false, plainEdge("the hard minimum dose", l.Dose.HardMin), c.perKgEdge("the hard minimum dose per kg", l.DosePerKg.HardMin),
		c.perDayEdge("the hard minimum dose per day", l.DosePerDay.HardMin, false, false),
		c.perDayEdge("the hard minimum dose per kg per day", l.DosePerKgPerDay.HardMin, true, false))
	return c.doseCeil, c.doseFloor
}

// bounds are the edges a rounding may not cross. The edges may be in
// another unit than the value rounded (a dose, for a volume drawn or a count
// of dose forms): then the rounded value times per is in the edges' unit
// (volume × stock, count × strength, both exact products) and an edge
// divided by per is in the rounded value's unit, for the note; exact is the
// value before rounding in the edges' unit.
type bounds struct {
	ceil, floor edge
	exact       units.Quantity
	per         units.Quantity // unset: the edges are in the rounded value's unit
	back        backBy
}

// backBy says how an edge is divided by per for the note: into unit in one
// division (a volume: dose ÷ stock in mL), or divided, then converted to unit
// (a count of dose forms: dose ÷ strength, in the step's unit).
type backBy struct {
	unit        units.Unit
	thenConvert bool
}

func (c *calc) atEdge(b *bounds, q units.Quantity) units.Quantity {
	if !b.per.IsValid() {
		return q
	}
	return c.mul(q, b.per)
}

func (c *calc) describe(b *bounds, e edge) string {
	if !b.per.IsValid() {
		return e.label()
	}
	var back units.Quantity
	if b.back.thenConvert {
		back = c.conv(c.div(e.q, b.per), b.back.unit)
	} else {
		back = c.divTo(e.q, b.per, b.back.unit)
	}
	return e.label() + " (" + show(back) + ")"
}

// rounded is what roundTo made of a value: the value, the flag Rounded
// where it changed, and the note of a rounding turned away from a bound.
type rounded struct {
	value units.Quantity
	flags Flags
	note  string
}

// roundTo rounds exact to r, never past b's ceiling and never below its
// floor (either may be unset). Where rounding in r's mode would carry a
// value that respects a bound across it, the value is rounded the other way
// instead and the note says so. A value that already crosses a bound is
// rounded as declared; the limit check then refuses it.
func (c *calc) roundTo(exact units.Quantity, r Rounding, b bounds) rounded {
	if !c.ok() {
		return rounded{}
	}
	v, changed, err := exact.RoundTo(r.Step, r.Mode)
	if err != nil {
		c.fail(err)
		return rounded{}
	}
	x := b.exact
	if !x.IsValid() {
		x = exact
	}
	note := ""
	switch {
	case !changed:
	case b.ceil.q.IsValid() && c.less(b.ceil.q, c.atEdge(&b, v)) && !c.less(b.ceil.q, x):
		v, changed, err = exact.RoundTo(r.Step, units.RoundDown)
		note = "rounded down, not " + r.Mode.String() + ", to stay within " + c.describe(&b, b.ceil)
	case b.floor.q.IsValid() && c.less(c.atEdge(&b, v), b.floor.q) && !c.less(x, b.floor.q):
		up, upChanged, upErr := exact.RoundTo(r.Step, units.RoundUp)
		if upErr == nil && (!b.ceil.q.IsValid() || !c.less(b.ceil.q, c.atEdge(&b, up))) {
			v, changed = up, upChanged
			note = "rounded up, not " + r.Mode.String() + ", to stay at or above " + c.describe(&b, b.floor)
		}
	}
	if err != nil {
		c.fail(err)
		return rounded{}
	}
	if !changed {
		return rounded{value: v, note: note}
	}
	return rounded{value: v, flags: Rounded, note: note}
}

// roundedStep is a trail step made by a declared rounding: which step, from
// which inputs, the value before rounding (exact) and what roundTo made of
// it. pct is the deviation in %, where the caller has it from exact values
// (a drawn volume deviates as the dose in it does); unset, it is computed
// from exact and the value.
type roundedStep struct {
	id, title, formula string
	inputs             []Term
	exact              units.Quantity
	rounded
	pct units.Quantity
}

// stepRounded records a rounding step, with its deviation where the value
// changed.
func (c *calc) stepRounded(r roundedStep) {
	s := Step{ID: r.id, Title: r.title, Formula: r.formula, Exact: r.exact, Value: r.value, Flags: r.flags, Note: r.note}
	if r.flags.Has(Rounded) {
		x := c.conv(r.exact, r.value.Unit())
		s.Deviation = c.sub(r.value, x)
		if s.DeviationPct = r.pct; !r.pct.IsValid() {
			s.DeviationPct = c.pct(x, r.value)
		}
	}
	c.step(s, r.inputs...)
}

var hundred = units.NewNumber(100, 0)

// stepOf is the trail's step id so far (Result.Step without copying the
// result), or nil.
func (c *calc) stepOf(id string) *Step {
	for i := range c.res.Steps {
		if c.res.Steps[i].ID == id {
			return &c.res.Steps[i]
		}
	}
	return nil
}

// roundingChanges lists in Result.Rounded every value a declared rounding
// changed (the dose first, then the others in the order of the trail), and
// warns where a change is beyond the rule's rounding tolerance for it. The
// numbers come from the trail steps that did the rounding.
func (c *calc) roundingChanges() {
	if !c.ok() {
		return
	}
	var by []string
	for _, id := range [...]string{"dose_rounding", "form_dose", "delivered_dose"} {
		if s := c.stepOf(id); s != nil && s.Deviation.IsValid() {
			by = append(by, id)
		}
	}
	if len(by) > 0 {
		from := c.conv(c.capped, c.dose.Unit())
		c.rounded(RoundedValue{Field: "dose", Requested: from, Gives: c.dose, Deviation: c.sub(c.dose, from), DeviationPct: c.pct(from, c.dose), By: by})
	}
	for _, f := range [...]struct{ step, field string }{
		{"draw_volume", "draw_volume"}, {"final_volume", "final_volume"}, {"loading_rate", "loading_pump_rate"}, {"pump_rate", "pump_rate"}, {"drip_rate", "drip_rate"},
	} {
		if s := c.stepOf(f.step); s != nil && s.Flags.Has(Rounded) && s.Deviation.IsValid() {
			c.rounded(RoundedValue{Field: f.field, Requested: s.Exact, Gives: s.Value, Deviation: s.Deviation, DeviationPct: s.DeviationPct, By: []string{f.step}})
		}
	}
}

// rounded records one rounded value and, where the rule declares a
// tolerance for it, whether the change is beyond: |gives − requested| × 100
// > tolerance × |requested|, exactly.
func (c *calc) rounded(v RoundedValue) {
	if tol, ok := c.rule.RoundingTolerance.Tolerance(v.Field); ok && c.ok() {
		v.Tolerance = tol
		req := c.conv(v.Requested, v.Deviation.Unit())
		v.Beyond = v.Deviation.Number().Abs().Mul(hundred).Cmp(tol.Number().Mul(req.Number().Abs())) > 0
		if v.Beyond {
			c.res.Warnings = append(c.res.Warnings, Warning{Key: v.Field + ".rounding_tolerance", Severity: Review, Value: v.DeviationPct, Bound: tol,
				Message: "rounding changes the " + words(v.Field) + " from " + display(v.Requested).String() + " to " + display(v.Gives).String() +
					" (" + signed(v.DeviationPct) + "), more than the protocol's rounding tolerance " + tol.String()})
		}
	}
	c.res.Rounded = append(c.res.Rounded, v)
}
