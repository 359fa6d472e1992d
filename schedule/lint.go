package schedule

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// implausibleFactor is how far (as a ratio) a protocol's own numbers may sit
// from each other before the linter calls the difference a unit slip: ten
// times a hard maximum is not a clinical choice.
var implausibleFactor = decimal.NewFromInt(10)

// Lint reviews a protocol for what is valid but suspicious, or
// contradictory across sections: dose levels beyond the protocol's own limits,
// magnitudes that look like unit slips (a per-kg dose ten times the hard
// maximum, a concentration limit in mcg/mL against a stock in mg/mL), a cap
// the hard limit makes unreachable, a fixed dose that the dose form cannot
// give exactly, an infusion the pump cannot run. Errors make LoadProtocol
// refuse the document; warnings are for review.
func (p *Protocol) Lint() []Finding {
	var fs []Finding
	add := func(sev Severity, field, msg string) {
		fs = append(fs, Finding{Severity: sev, Field: field, Message: msg})
	}
	rule := p.Rule()
	l := p.Dose.Limits

	// Dose levels against the protocol's own limits.
	levels := []struct {
		field string
		q     units.Quantity
	}{{"dose", rule.Dose}}
	if t := p.Titration; t != nil {
		for i, s := range t.Steps {
			levels = append(levels, struct {
				field string
				q     units.Quantity
			}{"titration.steps[" + strconv.Itoa(i) + "]", s})
		}
	}
	for _, lv := range levels {
		if !lv.q.IsValid() {
			continue
		}
		b := l.Dose
		name := "limits.dose"
		if lv.q.Dimension() == units.MgPerKg.Dimension() {
			b, name = l.DosePerKg, "limits.dose_per_kg"
		} else if lv.q.Dimension() == units.MgPerKgPerHour.Dimension() {
			b, name = l.DoseRatePerKg, "limits.dose_rate_per_kg"
		} else if lv.q.Dimension() == units.MgPerHour.Dimension() {
			b, name = l.DoseRate, "limits.dose_rate"
		}
		top := b.HardMax
		if !top.IsValid() {
			top = b.SoftMax
		}
		switch {
		case top.IsValid() && top.Dimension() == lv.q.Dimension() && ratioAtLeast(lv.q, top, implausibleFactor):
			add(SevError, lv.field, "implausible magnitude: "+lv.q.String()+" is at least 10 times "+name+" "+top.String()+" (a unit slip?)")
		case b.HardMax.IsValid() && b.HardMax.Dimension() == lv.q.Dimension() && cmpQ(lv.q, b.HardMax) > 0:
			add(SevError, lv.field, lv.q.String()+" is above "+name+".hard_max "+b.HardMax.String())
		case b.SoftMax.IsValid() && b.SoftMax.Dimension() == lv.q.Dimension() && cmpQ(lv.q, b.SoftMax) > 0:
			add(SevWarning, lv.field, lv.q.String()+" is above "+name+".soft_max "+b.SoftMax.String()+": every session at this level needs an acknowledgement")
		case b.HardMin.IsValid() && b.HardMin.Dimension() == lv.q.Dimension() && cmpQ(lv.q, b.HardMin) < 0:
			add(SevError, lv.field, lv.q.String()+" is below "+name+".hard_min "+b.HardMin.String())
		}
	}

	// A cap above the hard maximum can never apply.
	if rule.Cap.IsValid() && l.Dose.HardMax.IsValid() && rule.Cap.Dimension() == l.Dose.HardMax.Dimension() && cmpQ(rule.Cap, l.Dose.HardMax) > 0 {
		add(SevWarning, "dose.cap", "cap "+rule.Cap.String()+" is above limits.dose.hard_max "+l.Dose.HardMax.String()+": the hard limit refuses first")
	}

	// Concentration limits against the stock: a different unit is worth a
	// look; a limit the stock is a thousand times above is a unit slip.
	if pr := p.Preparation; pr != nil && pr.Stock.IsValid() {
		for _, c := range []struct {
			field string
			q     units.Quantity
		}{{"dose.limits.concentration.soft_max", l.Concentration.SoftMax}, {"dose.limits.concentration.hard_max", l.Concentration.HardMax}} {
			if !c.q.IsValid() || c.q.Dimension() != pr.Stock.Dimension() {
				continue
			}
			if c.q.Unit() != pr.Stock.Unit() {
				add(SevWarning, c.field, c.q.String()+" is in "+c.q.Unit().String()+" while preparation.stock is "+pr.Stock.String()+": check the unit")
			}
			if ratioAtLeast(pr.Stock, c.q, decimal.NewFromInt(1000)) {
				add(SevError, c.field, "implausible magnitude: preparation.stock "+pr.Stock.String()+" is at least 1,000 times "+c.q.String()+" (mcg/mL written for mg/mL?)")
			}
		}
	}

	// A fixed dose the dose form cannot give exactly.
	if f := p.Dose.Form; f != nil && rule.Dose.IsValid() && rule.Dose.Dimension() == units.Milligram.Dimension() && f.Strength.IsValid() && f.Step.IsValid() {
		if n, err := rule.Dose.Div(f.Strength); err == nil {
			if _, changed, err := n.RoundTo(f.Step, units.RoundDown); err == nil && changed {
				add(SevWarning, "dose.fixed", rule.Dose.String()+" is not a whole number of "+f.Step.String()+" of "+f.Strength.String()+": it will be rounded "+f.Rounding.String())
			}
		}
	}

	// An infusion the pump cannot run at the protocol's own dose.
	if in := p.Infusion; in != nil && p.Preparation != nil && p.Preparation.Bag != nil && in.Duration.IsValid() && in.Pump.MaxRate.IsValid() {
		if r, err := p.Preparation.Bag.Volume.DivTo(in.Duration, units.MLPerHour); err == nil && cmpQ(r, in.Pump.MaxRate) > 0 && !in.Pump.StretchToMaxRate {
			add(SevError, "infusion.duration", "a "+p.Preparation.Bag.Volume.String()+" bag over "+in.Duration.String()+" needs "+r.String()+", above infusion.pump.max_rate "+in.Pump.MaxRate.String())
		}
	}

	if p.Session.Observation.IsValid() && p.Session.Observation.Sign() == 0 {
		add(SevWarning, "session.observation", "no observation time after the administration")
	}
	if len(p.Series.Phases) > 0 && p.Series.MinInterval.IsValid() && p.Series.MinInterval.Sign() == 0 {
		add(SevWarning, "series.min_interval", "no minimum interval between sessions")
	}
	return fs
}

// ratioAtLeast reports a ≥ k × b for quantities of one dimension.
func ratioAtLeast(a, b units.Quantity, k decimal.Decimal) bool {
	kb, err := b.Scale(k)
	if err != nil {
		return false
	}
	return cmpQ(a, kb) >= 0
}
