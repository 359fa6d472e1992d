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

// lint reviews a protocol for what is valid but suspicious, or
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
//
// lint runs each of lintChecks in turn, their findings in that order; the
// dose is at doseKey in the document. Validate (and so LoadProtocol) lints.
func (p *Protocol) lint(doseKey string) []Finding {
	l := newLinted(p, doseKey)
	var fs []Finding
	for _, check := range lintChecks {
		fs = append(fs, check(l)...)
	}
	return fs
}

// lintChecks are the checks of Lint, each a question of its own, in the
// order their findings are listed.
var lintChecks = []func(*linted) []Finding{
	lintLadderStart,
	lintLevelLimits,
	lintCap,
	lintConcentration,
	lintFormCount,
	lintPumpRate,
	lintRoundingTolerance,
	lintPopulation,
	lintObservation,
	lintMinInterval,
	lintVitalGates,
}

// linted is what the checks of Lint read: the protocol, its rule, and the
// dose levels it gives.
type linted struct {
	p       *Protocol
	rule    *dosing.Rule
	doseKey string      // the document path of the dose ("dose.per_kg")
	levels  []doseLevel // the dose, then each step of the titration ladder
}

// doseLevel is a dose doseLevel and its document path.
type doseLevel struct {
	field string
	q     units.Quantity
}

func newLinted(p *Protocol, doseKey string) *linted {
	l := &linted{p: p, rule: &p.Dosing, doseKey: doseKey, levels: []doseLevel{{doseKey, p.Dosing.Dose}}}
	if t := p.Titration; t != nil {
		for i, s := range t.Steps {
			l.levels = append(l.levels, doseLevel{"titration.steps[" + strconv.Itoa(i) + "]", s})
		}
	}
	return l
}

func warning(field, msg string) Finding {
	return Finding{Severity: SevWarning, Field: field, Message: msg}
}
func lintError(field, msg string) Finding {
	return Finding{Severity: SevError, Field: field, Message: msg}
}

// lintLadderStart: a titration ladder that does not start at the dose means
// the dose is never given.
func lintLadderStart(l *linted) []Finding {
	t, dose := l.p.Titration, l.rule.Dose
	if t == nil || len(t.Steps) == 0 {
		return nil
	}
	if c, ok := order(t.Steps[0], dose); !ok || c == 0 {
		return nil // at the dose, or not comparable with it (Validate reports a step of another kind)
	}
	return []Finding{warning("titration.steps[0]", "the ladder starts at "+t.Steps[0].String()+", not at "+l.doseKey+" "+dose.String()+
		": every session is dosed from the ladder, so "+l.doseKey+" is never given")}
}

// lintLevelLimits: each dose doseLevel against the protocol's own limits of its
// kind, beyond a hard one an error, beyond a soft one a warning, and a level
// ten times a limit (or a tenth of it) a unit slip.
func lintLevelLimits(l *linted) []Finding {
	var fs []Finding
	for _, lv := range l.levels {
		if !lv.q.IsValid() {
			continue
		}
		b, name, ok := l.boundOf(lv.q)
		if !ok || !ordered(b) {
			continue // no limit of its kind; or Validate reports the contradiction, and comparing with it says nothing more
		}
		if f, ok := levelAgainst(lv, b, name); ok {
			fs = append(fs, f)
		}
	}
	return fs
}

// boundOf returns the limit of the rule that bounds a doseLevel of q's kind,
// with its document path; none for a dose per m².
func (l *linted) boundOf(q units.Quantity) (dosing.Bound, string, bool) {
	lim := l.rule.Limits
	i := kindIndex(q) // in mg or in units: the rule's limits are in its kind of amount
	if i < 0 {
		return dosing.Bound{}, "", false
	}
	switch doseKinds[i].key {
	case "per_kg":
		return lim.DosePerKg, "dose.limits.dose_per_kg", true
	case "rate_per_kg":
		return lim.DoseRatePerKg, "dose.limits.dose_rate_per_kg", true
	case "rate":
		return lim.DoseRate, "dose.limits.dose_rate", true
	case "fixed":
		return lim.Dose, "dose.limits.dose", true
	case "per_day":
		return lim.DosePerDay, "dose.limits.dose_per_day", true
	case "per_kg_per_day":
		return lim.DosePerKgPerDay, "dose.limits.dose_per_kg_per_day", true
	}
	return dosing.Bound{}, "", false
}

// levelAgainst is the finding, if any, of one level against its bound b
// (named name): the first of a unit slip, a hard limit, a soft limit.
func levelAgainst(lv doseLevel, b dosing.Bound, name string) (Finding, bool) {
	same := func(q units.Quantity) bool { return q.IsValid() && q.Dimension() == lv.q.Dimension() }
	top, topName := b.HardMax, "hard_max"
	if !same(top) {
		top, topName = b.SoftMax, "soft_max"
	}
	bottom, bottomName := b.HardMin, "hard_min"
	if !same(bottom) {
		bottom, bottomName = b.SoftMin, "soft_min"
	}
	q := lv.q.String // formatted only for a finding: most levels have none
	const review = ": every session at this level needs an acknowledgement"
	switch {
	case same(top) && ratioAtLeast(lv.q, top, implausibleFactor):
		return lintError(lv.field, "implausible magnitude: "+q()+" is at least 10 times "+name+"."+topName+" "+top.String()+" (a unit slip?)"), true
	case same(bottom) && ratioAtLeast(bottom, lv.q, implausibleFactor):
		return lintError(lv.field, "implausible magnitude: "+q()+" is at most a tenth of "+name+"."+bottomName+" "+bottom.String()+" (a unit slip?)"), true
	case above(lv.q, b.HardMax):
		return lintError(lv.field, q()+" is above "+name+".hard_max "+b.HardMax.String()), true
	case above(b.HardMin, lv.q):
		return lintError(lv.field, q()+" is below "+name+".hard_min "+b.HardMin.String()), true
	case above(lv.q, b.SoftMax):
		return warning(lv.field, q()+" is above "+name+".soft_max "+b.SoftMax.String()+review), true
	case above(b.SoftMin, lv.q):
		return warning(lv.field, q()+" is below "+name+".soft_min "+b.SoftMin.String()+review), true
	}
	return Finding{}, false
}

// lintCap: a cap above the hard maximum can never apply.
func lintCap(l *linted) []Finding {
	c, max := l.rule.Cap, l.rule.Limits.Dose.HardMax
	if !above(c, max) {
		return nil
	}
	return []Finding{warning("dose.cap", "cap "+c.String()+" is above dose.limits.dose.hard_max "+max.String()+": the hard limit refuses first")}
}

// lintConcentration: concentration limits against the stock. A different
// unit is worth a look; a limit the stock is a thousand times above is a
// unit slip.
func lintConcentration(l *linted) []Finding {
	pr := l.rule.Preparation
	if pr == nil || !pr.Stock.IsValid() {
		return nil
	}
	c := l.rule.Limits.Concentration
	var fs []Finding
	for _, lim := range []doseLevel{
		{"dose.limits.concentration.hard_min", c.HardMin}, {"dose.limits.concentration.soft_min", c.SoftMin},
		{"dose.limits.concentration.soft_max", c.SoftMax}, {"dose.limits.concentration.hard_max", c.HardMax},
	} {
		switch {
		case !lim.q.IsValid() || lim.q.Dimension() != pr.Stock.Dimension():
		case ratioAtLeast(pr.Stock, lim.q, decimal.NewFromInt(1000)):
			fs = append(fs, lintError(lim.field, "implausible magnitude: preparation.stock "+pr.Stock.String()+" is at least 1,000 times "+lim.q.String()+" (mcg/mL written for mg/mL?)"))
		case lim.q.Unit() != pr.Stock.Unit():
			fs = append(fs, warning(lim.field, lim.q.String()+" is in "+lim.q.Unit().String()+" while preparation.stock is "+pr.Stock.String()+": check the unit"))
		}
	}
	return fs
}

// lintFormCount: a fixed dose doseLevel the dose form cannot give exactly.
func lintFormCount(l *linted) []Finding {
	f := l.rule.Form
	if f == nil || !f.Strength.IsValid() || !f.Step.IsValid() {
		return nil
	}
	var fs []Finding
	for _, lv := range l.levels {
		if !lv.q.IsValid() || lv.q.Dimension() != l.rule.AmountUnit().Dimension() {
			continue
		}
		n, err := lv.q.Div(f.Strength)
		if err != nil {
			continue
		}
		if _, changed, err := n.RoundTo(f.Step, units.RoundDown); err == nil && changed {
			fs = append(fs, warning(lv.field, lv.q.String()+" is not a whole number of "+f.Step.String()+" of "+f.Strength.String()+": it will be rounded "+f.Rounding.String()))
		}
	}
	return fs
}

// lintPumpRate: an infusion the pump cannot run at the protocol's own bag
// and duration (unless the protocol lets the pump stretch the duration).
func lintPumpRate(l *linted) []Finding {
	in, pr := l.rule.Infusion, l.rule.Preparation
	if in == nil || pr == nil || pr.Bag == nil || !in.Duration.IsValid() || !in.Pump.MaxRate.IsValid() || in.Pump.StretchToMaxRate {
		return nil
	}
	r, err := pr.Bag.Volume.DivTo(in.Duration, units.MLPerHour)
	if err != nil || !above(r, in.Pump.MaxRate) {
		return nil // within the pump's range, or a max_rate of another dimension (Validate reports it)
	}
	return []Finding{lintError("infusion.duration", "a "+pr.Bag.Volume.String()+" bag over "+in.Duration.String()+" needs "+r.String()+", above infusion.pump.max_rate "+in.Pump.MaxRate.String())}
}

// lintRoundingTolerance: a value the rule rounds without a tolerance can
// change by any amount without a warning; a tolerance for a value it never
// rounds is never used.
func lintRoundingTolerance(l *linted) []Finding {
	tol := l.rule.RoundingTolerance
	rounded := l.rule.RoundedValues()
	var fs []Finding
	var undeclared []string
	for _, v := range rounded {
		if _, ok := tol.Tolerance(v); !ok {
			undeclared = append(undeclared, v)
		}
	}
	if len(undeclared) > 0 {
		fs = append(fs, warning("dose.rounding_tolerance", "no rounding tolerance for "+strings.Join(undeclared, ", ")+
			": rounding is reported but never warned about, however far it changes the value (doseplan supplies no default)"))
	}
	for _, v := range []string{"dose", "draw_volume", "final_volume", "pump_rate", "drip_rate"} {
		if _, ok := tol.Tolerance(v); ok && !slices.Contains(rounded, v) {
			fs = append(fs, warning("dose.rounding_tolerance."+v, "the protocol never rounds the "+strings.ReplaceAll(v, "_", " ")+": this tolerance never applies"))
		}
	}
	return fs
}

// lintPopulation: the protocol says which patients it was written for, and
// why.
func lintPopulation(l *linted) []Finding {
	switch pop := l.rule.Population; {
	case !pop.IsSet():
		return []Finding{warning("population", "not declared: the protocol does not say which patients it was written for (population.age, weight, height, bmi), so a child or a patient outside the studied range is dosed with no warning")}
	case pop.Why == "":
		return []Finding{warning("population.why", "not given: say which patients the protocol's sources studied")}
	}
	return nil
}

// lintObservation: an observation time of 0 min.
func lintObservation(l *linted) []Finding {
	if o := l.p.Session.Observation; o.IsValid() && o.Sign() == 0 {
		return []Finding{warning("session.observation", "no observation time after the administration")}
	}
	return nil
}

// lintMinInterval: a series with a minimum interval of 0.
func lintMinInterval(l *linted) []Finding {
	if s := l.p.Series; len(s.Phases) > 0 && s.MinInterval.IsValid() && s.MinInterval.Sign() == 0 {
		return []Finding{warning("series.min_interval", "no minimum interval between sessions")}
	}
	return nil
}

// lintVitalGates: each reading's gates, together, must be able to decide
// each of their outcomes. A hold limit is beyond its warn limit, in both
// directions: hold systolic_above 120 mmHg with warn systolic_above 140
// mmHg holds at 130 mmHg and never warns (an error; a hold limit at the
// warn limit leaves the warn gate nothing to decide, a warning). And no
// limits take in every reading: an above limit below a below limit of the
// same reading (systolic_above 100 with systolic_below 120), or a limit
// beyond every possible reading (spo2_above 0 %, the range of the readings
// Check accepts), is met whatever is measured (an error).
func lintVitalGates(l *linted) []Finding {
	g := l.p.Vitals
	if g == nil {
		return nil
	}
	var fs []Finding
	hold, warn := g.Hold.gates(), g.Warn.gates()
	for i := range hold {
		h, w := hold[i], warn[i]
		if !h.limit.IsValid() || !w.limit.IsValid() {
			continue
		}
		c, ok := order(h.limit, w.limit)
		if !ok {
			continue // a unit of the wrong kind: Validate says so
		}
		field, wfield := "vitals.hold."+h.field, "vitals.warn."+w.field
		looser, side := c < 0, "below"
		if !h.above {
			looser, side = c > 0, "above"
		}
		switch {
		case looser:
			fs = append(fs, lintError(field, h.limit.String()+" is "+side+" "+wfield+" "+w.limit.String()+
				": the hold gate is less strict than the warn gate, so a reading between them holds and the warn gate never decides (were the two swapped?)"))
		case c == 0:
			fs = append(fs, warning(field, h.limit.String()+" is also "+wfield+": the warn gate never decides (the hold gate at the same limit holds first)"))
		}
	}
	possible := readingBounds()
	for vital, r := range (Vitals{}).readings() {
		type limit struct {
			field string
			gate
		}
		var aboves, belows []limit
		for _, lv := range g.levels() {
			for _, gt := range lv.t.gates() {
				if gt.vital != vital || !gt.limit.IsValid() {
					continue
				}
				lm := limit{"vitals." + lv.name + "." + gt.field, gt}
				if gt.above {
					aboves = append(aboves, lm)
				} else {
					belows = append(belows, lm)
				}
			}
		}
		lo, hi := possible[vital].lo, possible[vital].hi
		for _, a := range aboves {
			// SpO2's least possible reading is excluded: above 0 % is
			// every reading.
			if c, ok := order(a.limit, lo); ok && (c < 0 || c == 0 && vital == 3) {
				fs = append(fs, lintError(a.field, a.limit.String()+" is below every possible "+r.name+" reading (from "+lo.String()+"): the gate is met whatever is measured"))
			}
			for _, b := range belows {
				if above(b.limit, a.limit) {
					fs = append(fs, lintError(a.field, a.limit.String()+" is below "+b.field+" "+b.limit.String()+": every "+r.name+
						" reading is above the one or below the other, so the gates are met whatever is measured"))
				}
			}
		}
		for _, b := range belows {
			if above(b.limit, hi) {
				fs = append(fs, lintError(b.field, b.limit.String()+" is above every possible "+r.name+" reading (to "+hi.String()+"): the gate is met whatever is measured"))
			}
		}
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
	c, ok := order(a, kb)
	return ok && c >= 0
}

// above reports a > b, both set and of one dimension: values that cannot
// be compared give no finding here (Validate reports the one of the wrong
// dimension with its path).
func above(a, b units.Quantity) bool {
	c, ok := order(a, b)
	return ok && c > 0
}
