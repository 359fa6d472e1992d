package dosing

import (
	"errors"

	"github.com/doseplan/doseplan/units"
)

// Options are the per-calculation inputs besides the rule and the patient.
type Options struct {
	// Dose replaces the rule's dose for this calculation, for a titration
	// level chosen by a clinician or proposed by a schedule. It must be of the
	// same kind as the rule's dose (mg/kg for an mg/kg rule).
	Dose units.Quantity
	// Acks acknowledge review warnings by key; each needs a reason, which
	// the result records.
	Acks []Ack
}

// Calculate computes one dose from a rule and a patient: body size, dosing
// weight, dose, caps, dose-form quantization, preparation, pump settings and
// dose rates, limits on the final rounded values, and the trail of every
// step. A hard limit returns a *LimitError and no result; soft limits and
// plausibility concerns return a result with review warnings, acknowledged
// by opt.Acks where they match.
func Calculate(rule Rule, p Patient, opt Options) (Result, error) {
	// Every bad field of the rule, the options and the patient, at once.
	ruleErr, optErr := rule.Validate(), validateOptions(rule, opt)
	warnings, bmi, patientErr := p.validate(rule.Plausibility)
	var pop populationCheck
	var heightErr error
	if ruleErr == nil && patientErr == nil { // checked on valid values only
		pop = rule.Population.check(p, bmi)
		heightErr = rule.needHeight(p)
	}
	if err := errors.Join(append([]error{ruleErr, optErr, patientErr, heightErr}, pop.errs...)...); err != nil {
		return Result{}, err
	}
	c := &calc{rule: rule, p: p, bmi: bmi, amt: rule.amount()} // on the stack: nothing keeps it

	c.res = Result{
		Notice:     Notice,
		Provenance: Provenance{Name: rule.Name, Version: rule.Version, Source: rule.Source},
		Drug:       rule.Drug,
		Route:      rule.Route,
		Patient:    p,
		Warnings:   append(make([]Warning, 0, len(warnings)+2), warnings...),
		Steps:      make([]Step, 0, 16), // a full IV calculation has 13 to 16
	}
	c.population(pop)
	c.bodySize()
	c.dosingWeight()
	c.baseDose(opt.Dose)
	c.capDose()
	c.roundDose()
	c.quantize()
	c.prepare()
	c.infuse()
	c.checkLimits()
	c.roundingChanges()
	if c.err != nil {
		return Result{}, c.err
	}
	c.acknowledge(opt.Acks)
	return c.res, nil
}

func validateOptions(rule Rule, opt Options) error {
	var errs []error
	if opt.Dose.IsValid() {
		switch {
		case len(rule.Bands) > 0:
			errs = append(errs, &FieldError{Field: "options.dose", Value: opt.Dose.String(), Msg: "a banded rule takes its dose from the band", Err: ErrConflict})
		case opt.Dose.Dimension() != rule.Dose.Dimension() || opt.Dose.Unit().PerDay() != rule.Dose.Unit().PerDay():
			a := rule.amount()
			if _, r, ok := amountAndRole(rule.Dose); ok && a.other().is(opt.Dose, r) {
				errs = append(errs, mixedAmount("options.dose", opt.Dose, a, r, rule.amountSource()))
				break
			} else if ok && opt.Dose.Dimension() == rule.Dose.Dimension() {
				errs = append(errs, wrongPerDay("options.dose", opt.Dose, a, r))
				break
			}
			errs = append(errs, wrongDim("options.dose", opt.Dose, "of the rule's kind ("+rule.Dose.Unit().String()+")"))
		case opt.Dose.Sign() <= 0:
			errs = append(errs, outOfRange("options.dose", opt.Dose, "must be > 0"))
		}
	}
	for _, a := range opt.Acks {
		if a.Key == "" || a.Reason == "" {
			errs = append(errs, &FieldError{Field: "options.acks", Value: a.Key, Msg: "an acknowledgement needs a warning key and a reason", Err: ErrMissing})
		}
	}
	return errors.Join(errs...)
}

// calc carries one calculation. Its arithmetic (arith) does nothing once
// an error is recorded, so the steps read top to bottom and the error is
// checked once.
type calc struct {
	rule Rule
	p    Patient
	bmi  units.Quantity // from the patient's validation, when height is given
	res  Result
	amt  *amount // the rule's kind of amount: a drug mass or an activity
	arith

	actualKg units.Quantity // patient weight in kg
	weight   units.Quantity // dosing weight, kg
	dose     units.Quantity // the dose as it stands after each step
	capped   units.Quantity // the dose after caps, before any rounding
	maint    units.Quantity // dose of the maintenance infusion (dose − loading)
	duration units.Quantity
	kind     doseKind
	rate     units.Quantity // the rule's dose rate (mg/h, units/h) for rate kinds
	daily    units.Quantity // the rule's dose per day, for per-day kinds

	finalVol  units.Quantity
	finalConc units.Quantity
	pumpExact units.Quantity

	loadingRateExact units.Quantity // loading pump rate before rounding

	terms []Term // the inputs of the steps (see step)

	boundsDone          bool // doseCeil and doseFloor are computed
	doseCeil, doseFloor edge // see doseBounds
}

// step records s with its inputs in (a step given none there keeps
// s.Inputs). The inputs of every step share one array (termPool): a slice
// of it each, capacity cut at its length, so that appending to one copies
// it rather than overwrite the next.
func (c *calc) step(s Step, in ...Term) {
	if in != nil {
		if c.terms == nil || cap(c.terms)-len(c.terms) < len(in) {
			c.terms = make([]Term, 0, max(termPool, len(in)))
		}
		n := len(c.terms)
		c.terms = append(c.terms, in...)
		s.Inputs = c.terms[n:len(c.terms):len(c.terms)]
	}
	if !s.Exact.IsValid() {
		s.Exact = s.Value
	}
	if isInexact(s.Value) {
		s.Flags |= Inexact
	}
	c.res.Steps = append(c.res.Steps, s)
}

// termPool is how many step inputs are allocated at a time: a full IV
// calculation has about 30.
const termPool = 32

// exactPlaces is the most decimal places an exact value of a calculation
// can have: inputs have a few places each, and products of them stay far
// below this. Non-zero digits beyond it are the trace of a division that
// did not terminate and was kept at units.Places.
const exactPlaces = 20

var zeroPct = units.NewInt(0, units.Percent)

// isInexact reports a value that was rounded at units.Places by a division
// that did not terminate. A quotient that did terminate (104 mL ÷ 156 mL/h =
// 40 min) carries trailing zeros to units.Places and is exact.
func isInexact(q units.Quantity) bool {
	if !q.IsValid() || q.Exponent() >= -exactPlaces {
		return false
	}
	return !zeroBeyond(q, exactPlaces)
}

// zeroBeyond reports whether q has no non-zero digit beyond the given
// number of decimal places.
func zeroBeyond(q units.Quantity, places int32) bool { return q.ZeroBeyond(places) }

func term(name string, q units.Quantity, source string) Term {
	return Term{Name: name, Value: q, Source: source}
}

// pct returns (to − from) ÷ from in %.
func (c *calc) pct(from, to units.Quantity) units.Quantity {
	if !c.ok() || from.Sign() == 0 {
		return units.Quantity{}
	}
	if to.Equal(from) {
		return zeroPct
	}
	return c.divTo(c.sub(to, from), from, units.Percent)
}

func (c *calc) devIf(from, to units.Quantity) units.Quantity {
	if !c.ok() || c.cmp(from, to) == 0 {
		return units.Quantity{}
	}
	return c.sub(to, c.conv(from, to.Unit()))
}

func (c *calc) pctIf(from, to units.Quantity) units.Quantity {
	if !c.ok() || c.cmp(from, to) == 0 {
		return units.Quantity{}
	}
	return c.pct(c.conv(from, to.Unit()), to)
}

func (c *calc) acknowledge(acks []Ack) {
	for i := range c.res.Warnings {
		w := &c.res.Warnings[i]
		for _, a := range acks {
			if a.Key == w.Key {
				a := a
				w.Ack = &a
				break
			}
		}
	}
}
