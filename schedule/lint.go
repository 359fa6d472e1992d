package schedule

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// implausibleFactor is how far (as a ratio) a protocol's own numbers may sit
// from each other before the linter calls the difference a unit slip: ten
// times a hard maximum is not a clinical choice.
var implausibleFactor = decimal.NewFromInt(10)

// Lint reviews a protocol for what is valid but suspicious, or
// contradictory across sections: dose levels (the dose and each titration
// step) beyond the protocol's own limits, magnitudes that look like unit slips
// (a per-kg dose ten times the hard maximum or a tenth of the hard minimum, a
// concentration limit a thousandth of the stock, or in mcg/mL against a stock
// in mg/mL), a ladder that does not start at the dose, a cap the hard limit
// makes unreachable, a fixed dose that the dose form cannot give exactly, an
// infusion the pump cannot run, a protocol that does not say which patients
// it was written for. Each finding names its field by its path in the
// document. Errors make LoadProtocol refuse the document; warnings are for
// review. (Soft limits inside hard ones, minima below maxima, units of the
// right kind and weight bands without gaps are checked by Validate.)
func (p *Protocol) Lint() []Finding { return p.lint(ruleDoseView(p.Dosing).key) }

// lint is Lint, with the document path of the dose.
func (p *Protocol) lint(doseKey string) []Finding {
	var fs []Finding
	add := func(sev Severity, field, msg string) {
		fs = append(fs, Finding{Severity: sev, Field: field, Message: msg})
	}
	rule := &p.Dosing
	l := rule.Limits

	// Dose levels: the dose, and each step of the titration ladder.
	type level struct {
		field string
		q     units.Quantity
	}
	levels := []level{{doseKey, rule.Dose}}
	if t := p.Titration; t != nil {
		for i, s := range t.Steps {
			levels = append(levels, level{"titration.steps[" + strconv.Itoa(i) + "]", s})
		}
		if len(t.Steps) > 0 && rule.Dose.IsValid() && t.Steps[0].IsValid() && t.Steps[0].Dimension() == rule.Dose.Dimension() && cmpQ(t.Steps[0], rule.Dose) != 0 {
			add(SevWarning, "titration.steps[0]", "the ladder starts at "+t.Steps[0].String()+", not at "+doseKey+" "+rule.Dose.String()+
				": every session is dosed from the ladder, so "+doseKey+" is never given")
		}
	}

	// Each level against the protocol's own limits of its kind.
	for _, lv := range levels {
		if !lv.q.IsValid() {
			continue
		}
		b, name := l.Dose, "dose.limits.dose"
		switch lv.q.Dimension() {
		case units.MgPerKg.Dimension():
			b, name = l.DosePerKg, "dose.limits.dose_per_kg"
		case units.MgPerKgPerHour.Dimension():
			b, name = l.DoseRatePerKg, "dose.limits.dose_rate_per_kg"
		case units.MgPerHour.Dimension():
			b, name = l.DoseRate, "dose.limits.dose_rate"
		case units.Milligram.Dimension():
		default:
			continue // mg/m²: no limit of its kind
		}
		if !ordered(b) {
			continue // Validate reports the contradiction; comparing with it says nothing more
		}
		same := func(q units.Quantity) bool { return q.IsValid() && q.Dimension() == lv.q.Dimension() }
		top, topName := b.HardMax, "hard_max"
		if !same(top) {
			top, topName = b.SoftMax, "soft_max"
		}
		bottom, bottomName := b.HardMin, "hard_min"
		if !same(bottom) {
			bottom, bottomName = b.SoftMin, "soft_min"
		}
		switch {
		case same(top) && ratioAtLeast(lv.q, top, implausibleFactor):
			add(SevError, lv.field, "implausible magnitude: "+lv.q.String()+" is at least 10 times "+name+"."+topName+" "+top.String()+" (a unit slip?)")
		case same(bottom) && ratioAtLeast(bottom, lv.q, implausibleFactor):
			add(SevError, lv.field, "implausible magnitude: "+lv.q.String()+" is at most a tenth of "+name+"."+bottomName+" "+bottom.String()+" (a unit slip?)")
		case same(b.HardMax) && cmpQ(lv.q, b.HardMax) > 0:
			add(SevError, lv.field, lv.q.String()+" is above "+name+".hard_max "+b.HardMax.String())
		case same(b.HardMin) && cmpQ(lv.q, b.HardMin) < 0:
			add(SevError, lv.field, lv.q.String()+" is below "+name+".hard_min "+b.HardMin.String())
		case same(b.SoftMax) && cmpQ(lv.q, b.SoftMax) > 0:
			add(SevWarning, lv.field, lv.q.String()+" is above "+name+".soft_max "+b.SoftMax.String()+": every session at this level needs an acknowledgement")
		case same(b.SoftMin) && cmpQ(lv.q, b.SoftMin) < 0:
			add(SevWarning, lv.field, lv.q.String()+" is below "+name+".soft_min "+b.SoftMin.String()+": every session at this level needs an acknowledgement")
		}
	}

	// A cap above the hard maximum can never apply.
	if rule.Cap.IsValid() && l.Dose.HardMax.IsValid() && rule.Cap.Dimension() == l.Dose.HardMax.Dimension() && cmpQ(rule.Cap, l.Dose.HardMax) > 0 {
		add(SevWarning, "dose.cap", "cap "+rule.Cap.String()+" is above dose.limits.dose.hard_max "+l.Dose.HardMax.String()+": the hard limit refuses first")
	}

	// Concentration limits against the stock: a different unit is worth a
	// look; a limit the stock is a thousand times above is a unit slip.
	if pr := rule.Preparation; pr != nil && pr.Stock.IsValid() {
		for _, c := range []struct {
			field string
			q     units.Quantity
		}{
			{"dose.limits.concentration.hard_min", l.Concentration.HardMin}, {"dose.limits.concentration.soft_min", l.Concentration.SoftMin},
			{"dose.limits.concentration.soft_max", l.Concentration.SoftMax}, {"dose.limits.concentration.hard_max", l.Concentration.HardMax},
		} {
			if !c.q.IsValid() || c.q.Dimension() != pr.Stock.Dimension() {
				continue
			}
			if ratioAtLeast(pr.Stock, c.q, decimal.NewFromInt(1000)) {
				add(SevError, c.field, "implausible magnitude: preparation.stock "+pr.Stock.String()+" is at least 1,000 times "+c.q.String()+" (mcg/mL written for mg/mL?)")
			} else if c.q.Unit() != pr.Stock.Unit() {
				add(SevWarning, c.field, c.q.String()+" is in "+c.q.Unit().String()+" while preparation.stock is "+pr.Stock.String()+": check the unit")
			}
		}
	}

	// A fixed dose level the dose form cannot give exactly.
	if f := rule.Form; f != nil && f.Strength.IsValid() && f.Step.IsValid() {
		for _, lv := range levels {
			if !lv.q.IsValid() || lv.q.Dimension() != units.Milligram.Dimension() {
				continue
			}
			n, err := lv.q.Div(f.Strength)
			if err != nil {
				continue
			}
			if _, changed, err := n.RoundTo(f.Step, units.RoundDown); err == nil && changed {
				add(SevWarning, lv.field, lv.q.String()+" is not a whole number of "+f.Step.String()+" of "+f.Strength.String()+": it will be rounded "+f.Rounding.String())
			}
		}
	}

	// An infusion the pump cannot run at the protocol's own dose.
	if in := rule.Infusion; in != nil && rule.Preparation != nil && rule.Preparation.Bag != nil && in.Duration.IsValid() && in.Pump.MaxRate.IsValid() {
		if r, err := rule.Preparation.Bag.Volume.DivTo(in.Duration, units.MLPerHour); err == nil && cmpQ(r, in.Pump.MaxRate) > 0 && !in.Pump.StretchToMaxRate {
			add(SevError, "infusion.duration", "a "+rule.Preparation.Bag.Volume.String()+" bag over "+in.Duration.String()+" needs "+r.String()+", above infusion.pump.max_rate "+in.Pump.MaxRate.String())
		}
	}

	// Rounding tolerances: a value the rule rounds without one can change by
	// any amount without a warning; one for a value it never rounds is
	// never used.
	rounded := rule.RoundedValues()
	var undeclared []string
	for _, v := range rounded {
		if _, ok := rule.RoundingTolerance.Tolerance(v); !ok {
			undeclared = append(undeclared, v)
		}
	}
	if len(undeclared) > 0 {
		add(SevWarning, "dose.rounding_tolerance", "no rounding tolerance for "+strings.Join(undeclared, ", ")+
			": rounding is reported but never warned about, however far it changes the value (doseplan supplies no default)")
	}
	for _, v := range []string{"dose", "draw_volume", "final_volume", "pump_rate", "drip_rate"} {
		if _, ok := rule.RoundingTolerance.Tolerance(v); ok && !slices.Contains(rounded, v) {
			add(SevWarning, "dose.rounding_tolerance."+v, "the protocol never rounds the "+strings.ReplaceAll(v, "_", " ")+": this tolerance never applies")
		}
	}

	// The patients the protocol was written for.
	switch pop := rule.Population; {
	case !pop.IsSet():
		add(SevWarning, "population", "not declared: the protocol does not say which patients it was written for (population.age, weight, height, bmi), so a child or a patient outside the studied range is dosed with no warning")
	case pop.Why == "":
		add(SevWarning, "population.why", "not given: say which patients the protocol's sources studied")
	}

	if p.Session.Observation.IsValid() && p.Session.Observation.Sign() == 0 {
		add(SevWarning, "session.observation", "no observation time after the administration")
	}
	if len(p.Series.Phases) > 0 && p.Series.MinInterval.IsValid() && p.Series.MinInterval.Sign() == 0 {
		add(SevWarning, "series.min_interval", "no minimum interval between sessions")
	}
	return fs
}

// ordered reports whether the set values of b are of one dimension and in
// order: hard_min ≤ soft_min ≤ soft_max ≤ hard_max.
func ordered(b dosing.Bound) bool {
	var set []units.Quantity
	for _, q := range []units.Quantity{b.HardMin, b.SoftMin, b.SoftMax, b.HardMax} {
		if q.IsValid() {
			set = append(set, q)
		}
	}
	for i := 1; i < len(set); i++ {
		if c, err := set[i-1].Cmp(set[i]); err != nil || c > 0 {
			return false
		}
	}
	return true
}

// ratioAtLeast reports a ≥ k × b for quantities of one dimension.
func ratioAtLeast(a, b units.Quantity, k decimal.Decimal) bool {
	kb, err := b.Scale(k)
	if err != nil {
		return false
	}
	return cmpQ(a, kb) >= 0
}
