package dosing

import (
	"errors"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"

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
	c := &calc{rule: rule, p: p, bmi: bmi}
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
		case opt.Dose.Dimension() != rule.Dose.Dimension():
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
	arith

	actualKg units.Quantity // patient weight in kg
	weight   units.Quantity // dosing weight, kg
	dose     units.Quantity // the dose as it stands after each step
	capped   units.Quantity // the dose after caps, before any rounding
	maint    units.Quantity // dose of the maintenance infusion (dose − loading)
	duration units.Quantity
	kind     doseKind
	rate     units.Quantity // the rule's dose rate (mg/h) for rate kinds

	finalVol  units.Quantity
	finalConc units.Quantity
	pumpExact units.Quantity

	loadingRateExact units.Quantity // loading pump rate before rounding

	boundsDone          bool // doseCeil and doseFloor are computed
	doseCeil, doseFloor edge // see doseBounds
}

func (c *calc) step(s Step) {
	if !s.Exact.IsValid() {
		s.Exact = s.Value
	}
	if isInexact(s.Value) {
		s.Flags |= Inexact
	}
	c.res.Steps = append(c.res.Steps, s)
}

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
	if !q.IsValid() || q.Value().Exponent() >= -exactPlaces {
		return false
	}
	return !zeroBeyond(q.Value(), exactPlaces)
}

// pow10 holds 10^0 … 10^64. Read only.
var pow10 = func() (p [65]*big.Int) {
	ten := big.NewInt(10)
	p[0] = big.NewInt(1)
	for i := 1; i < len(p); i++ {
		p[i] = new(big.Int).Mul(p[i-1], ten)
	}
	return p
}()

// zeroBeyond reports whether v has no non-zero digit beyond the given
// number of decimal places. It takes one big-integer remainder, where
// decimal's IsInteger divides by ten digit by digit.
func zeroBeyond(v decimal.Decimal, places int32) bool {
	m := -v.Exponent() - places
	switch {
	case m <= 0 || v.IsZero():
		return true
	case int(m) >= len(pow10):
		return v.Shift(places).IsInteger()
	}
	var r big.Int
	return r.Rem(v.Coefficient(), pow10[m]).Sign() == 0
}

func term(name string, q units.Quantity, source string) Term {
	return Term{Name: name, Value: q, Source: source}
}

func (c *calc) bodySize() {
	p, r := c.p, c.rule
	bs := &c.res.BodySize
	c.actualKg = c.conv(p.Weight, units.Kilogram)
	if p.Weight.Unit() != units.Kilogram {
		c.step(Step{ID: "weight_kg", Title: "Weight in kilograms", Formula: "weight kg = weight lb × 0.45359237",
			Inputs: []Term{term("weight", p.Weight, "patient")}, Value: c.actualKg})
	}
	if !p.Height.IsValid() || !c.ok() { // Calculate refused a missing height the rule needs
		return
	}
	bmi := c.bmi
	bs.BMI = bmi
	c.formulaStep("bmi", []Term{term("weight", c.actualKg, "patient"), term("height", p.Height, "patient")}, bmi, 0)
	if r.BSAFormula != "" {
		v, err := BSA(r.BSAFormula, p.Weight, p.Height)
		if err != nil {
			c.fail(err)
			return
		}
		bs.BSA, bs.BSAFormula = v, r.BSAFormula
		c.formulaStep("bsa_"+string(r.BSAFormula), []Term{term("weight", c.actualKg, "patient"), term("height", p.Height, "patient")}, v, Inexact)
	}
	if r.Weight.IBWFormula != "" && (p.Sex != 0 || r.Weight.needsIdeal()) {
		ibw, flags, inches, err := ibwAndInches(r.Weight.IBWFormula, p.Sex, p.Height, r.Weight.ShortStature)
		if err != nil {
			c.fail(err)
			return
		}
		bs.IBW, bs.IBWFormula = ibw, r.Weight.IBWFormula
		bs.HeightShort = flags&(Clamped|Extrapolated) != 0
		note := ""
		switch {
		case flags.Has(Clamped):
			note = "height below 60 in: clamped at 60 in by the protocol"
		case flags.Has(Extrapolated):
			note = "height below 60 in: formula extrapolated by the protocol"
		}
		in := []Term{{Name: "sex", Text: p.Sex.String(), Source: "patient"}, term("height", p.Height, "patient")}
		if p.Height.Unit() != units.Inch {
			in = append(in, term("height in inches", inches, "height ÷ 2.54 cm/in"))
		}
		c.formulaStepNote("ibw_"+string(r.Weight.IBWFormula), in, ibw, flags, note)
		if r.Weight.Basis == Adjusted {
			abw, err := AdjustedBodyWeight(c.actualKg, ibw, r.Weight.AdjustFactor)
			if err != nil {
				c.fail(err)
				return
			}
			bs.AdjustedBW = abw
			c.formulaStep("adjusted_bw", []Term{term("actual", c.actualKg, "patient"), term("IBW", ibw, "step ibw_"+string(r.Weight.IBWFormula)),
				{Name: "factor", Text: r.Weight.AdjustFactor.String(), Source: "rule"}}, abw, 0)
		}
	}
	if r.Weight.Basis == Lean {
		lbw, err := LeanBodyWeight(p.Sex, p.Weight, p.Height)
		if err != nil {
			c.fail(err)
			return
		}
		bs.LeanBW = lbw
		c.formulaStep("lbw_janmahasatian", []Term{term("weight", c.actualKg, "patient"), term("BMI", bmi, "step bmi")}, lbw, 0)
	}
}

// needHeight is the error of a patient without the height the rule's
// formulas need.
func (r Rule) needHeight(p Patient) error {
	if p.Height.IsValid() || !r.Weight.needsIdeal() && r.Weight.Basis != Lean && kindOf(r.Dose) != kindPerM2 {
		return nil
	}
	return missing("patient.height", "a height, for the rule's "+needHeightFor(r))
}

func needHeightFor(r Rule) string {
	switch {
	case kindOf(r.Dose) == kindPerM2:
		return "dose per m²"
	case r.Weight.Basis == Lean:
		return "lean-weight basis"
	case r.Weight.IdealWhenBMIAtLeast.IsValid():
		return "BMI threshold"
	}
	return string(r.Weight.Basis) + "-weight basis"
}

func (c *calc) formulaStep(id string, in []Term, v units.Quantity, flags Flags) {
	c.formulaStepNote(id, in, v, flags, "")
}

func (c *calc) formulaStepNote(id string, in []Term, v units.Quantity, flags Flags, note string) {
	f := formulas[id]
	c.step(Step{ID: id, Title: f.title, Formula: f.expression(c.p.Sex), Citation: f.citation, Inputs: in, Value: v, Flags: flags, Note: note})
}

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
			Inputs: in, Value: w.Value, Note: w.Reason})
		return
	}
	in = append(in, Term{Name: "used for", Text: strings.Join(w.UsedFor, ", "), Source: "rule"})
	ibw := term("IBW", bs.IBW, "step ibw_"+string(pol.IBWFormula))
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
		w.Value, w.Reason = bs.LeanBW, "lean body weight (Janmahasatian, protocol basis)"
		in = append(in, term("LBW", bs.LeanBW, "step lbw_janmahasatian"))
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
		Inputs: in, Value: w.Value, Note: note})
}

// weightUses lists what the dosing weight enters in the rule, by field
// name: a per-kg dose or dose rate ("dose"), "bands", "cap_per_kg",
// "limits.dose_per_kg", "limits.dose_rate_per_kg", a per-kg
// "infusion.loading.dose". An empty list means a rule that is not weight
// based (a fixed dose, a dose per m², a fixed rate): never nil, so that JSON
// writes [].
func (r Rule) weightUses() []string {
	uses := []string{}
	if k := kindOf(r.Dose); k == kindPerKg || k == kindRatePerKg {
		uses = append(uses, "dose")
	}
	if len(r.Bands) > 0 {
		uses = append(uses, "bands")
	}
	if r.CapPerKg.IsValid() {
		uses = append(uses, "cap_per_kg")
	}
	if r.Limits.DosePerKg.IsSet() {
		uses = append(uses, "limits.dose_per_kg")
	}
	if r.Limits.DoseRatePerKg.IsSet() {
		uses = append(uses, "limits.dose_rate_per_kg")
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
	perKg := c.divTo(c.dose, c.actualKg, units.MgPerKg)
	c.res.Warnings = append(c.res.Warnings, Warning{Key: "dosing_weight.above_actual", Severity: Review, Value: w.Value, Bound: c.actualKg,
		Message: "dosing weight " + apart(w.Value, c.actualKg) + " (" + w.Reason + ") is " + c.aboveActualText() +
			"; the dose " + display(c.dose).String() + " is " + show(perKg) + " of the actual weight"})
}

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
		c.rate = c.conv(def, units.MgPerHour)
		c.dose = c.conv(c.mul(def, c.duration), units.Milligram)
		s = Step{ID: "dose", Title: "Dose over the infusion", Formula: "dose = dose rate × duration",
			Inputs: []Term{term("dose rate", def, src), term("duration", c.duration, "rule infusion")}, Value: c.dose}
	case kindRatePerKg:
		c.rate = c.conv(c.mul(def, c.weight), units.MgPerHour)
		c.dose = c.conv(c.mul(c.rate, c.duration), units.Milligram)
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

// edge is a bound that rounding may not cross: its value in the unit it is
// compared in, and the limit it comes from as the protocol states it. The
// words for a note are only built when a note is written.
type edge struct {
	q     units.Quantity
	name  string         // "the cap", "the pump's maximum rate"
	limit units.Quantity // as the protocol states it
	w     units.Quantity // the dosing weight, for a limit per kg
	rate  bool           // a dose-rate limit expressed as a pump rate
}

// label describes the edge: "the cap 100 mg", "the hard maximum dose per kg
// 1 mg/kg × 80 kg = 80 mg".
func (e edge) label() string {
	s := e.name + " " + e.limit.String()
	if e.w.IsValid() {
		s += " × " + show(e.w)
	}
	switch {
	case e.rate:
		s += " (" + show(e.q) + ")"
	case e.w.IsValid():
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
		plainEdge("the hard maximum dose", l.Dose.HardMax), c.perKgEdge("the hard maximum dose per kg", l.DosePerKg.HardMax))
	c.doseFloor = c.tightest(false, plainEdge("the hard minimum dose", l.Dose.HardMin), c.perKgEdge("the hard minimum dose per kg", l.DosePerKg.HardMin))
	return c.doseCeil, c.doseFloor
}

// bounds are the edges a rounding may not cross. The edges may be in
// another unit than the value rounded (a dose, for a volume drawn or a count
// of dose forms): then at gives a rounded value in the edges' unit (volume ×
// stock, count × strength, both exact products) and back an edge in the
// rounded value's unit, for the note; exact is the value before rounding in
// the edges' unit.
type bounds struct {
	ceil, floor edge
	exact       units.Quantity
	at, back    func(units.Quantity) units.Quantity
}

func (b bounds) atEdge(q units.Quantity) units.Quantity {
	if b.at == nil {
		return q
	}
	return b.at(q)
}

func (b bounds) describe(e edge) string {
	if b.back == nil {
		return e.label()
	}
	return e.label() + " (" + show(b.back(e.q)) + ")"
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

// roundTo rounds exact to r, never past b's ceiling and never below its
// floor (either may be unset). Where rounding in r's mode would carry a
// value that respects a bound across it, the value is rounded the other way
// instead and the note says so. A value that already crosses a bound is
// rounded as declared; the limit check then refuses it.
func (c *calc) roundTo(exact units.Quantity, r Rounding, b bounds) (units.Quantity, Flags, string) {
	if !c.ok() {
		return units.Quantity{}, 0, ""
	}
	v, changed, err := exact.RoundTo(r.Step, r.Mode)
	if err != nil {
		c.fail(err)
		return units.Quantity{}, 0, ""
	}
	x := b.exact
	if !x.IsValid() {
		x = exact
	}
	note := ""
	switch {
	case !changed:
	case b.ceil.q.IsValid() && c.less(b.ceil.q, b.atEdge(v)) && !c.less(b.ceil.q, x):
		v, changed, err = exact.RoundTo(r.Step, units.RoundDown)
		note = "rounded down, not " + r.Mode.String() + ", to stay within " + b.describe(b.ceil)
	case b.floor.q.IsValid() && c.less(b.atEdge(v), b.floor.q) && !c.less(x, b.floor.q):
		up, upChanged, upErr := exact.RoundTo(r.Step, units.RoundUp)
		if upErr == nil && (!b.ceil.q.IsValid() || !c.less(b.ceil.q, b.atEdge(up))) {
			v, changed = up, upChanged
			note = "rounded up, not " + r.Mode.String() + ", to stay at or above " + b.describe(b.floor)
		}
	}
	if err != nil {
		c.fail(err)
		return units.Quantity{}, 0, ""
	}
	if !changed {
		return v, 0, note
	}
	return v, Rounded, note
}

func (c *calc) roundStep(id, title, formula string, in []Term, exact, v units.Quantity, flags Flags, note string) {
	c.roundStepPct(id, title, formula, in, exact, v, flags, note, units.Quantity{})
}

// roundStepPct is roundStep with the deviation in % given, where the caller
// has it from exact values.
func (c *calc) roundStepPct(id, title, formula string, in []Term, exact, v units.Quantity, flags Flags, note string, pct units.Quantity) {
	s := Step{ID: id, Title: title, Formula: formula, Inputs: in, Exact: exact, Value: v, Flags: flags, Note: note}
	if flags.Has(Rounded) {
		x := c.conv(exact, v.Unit())
		s.Deviation = c.sub(v, x)
		if s.DeviationPct = pct; !pct.IsValid() {
			s.DeviationPct = c.pct(x, v)
		}
	}
	c.step(s)
}

func (c *calc) roundDose() {
	r := c.rule.DoseRounding
	if !c.ok() || r == nil {
		return
	}
	exact := c.dose
	ceil, floor := c.doseBounds()
	v, flags, note := c.roundTo(exact, *r, bounds{ceil: ceil, floor: floor})
	c.dose = v
	c.roundStep("dose_rounding", "Dose rounded", "dose rounded "+r.Mode.String()+" to a multiple of "+r.Step.String(),
		[]Term{term("dose", exact, "previous step"), term("step", r.Step, "rule")}, exact, v, flags, note)
}

func (c *calc) quantize() {
	f := c.rule.Form
	if !c.ok() || f == nil {
		return
	}
	exact := c.div(c.dose, f.Strength)
	ceil, floor := c.doseBounds()
	count, flags, note := c.roundTo(exact, Rounding{Step: f.Step, Mode: f.Rounding}, bounds{ceil: ceil, floor: floor, exact: c.dose,
		at:   func(n units.Quantity) units.Quantity { return c.mul(n, f.Strength) },
		back: func(d units.Quantity) units.Quantity { return c.conv(c.div(d, f.Strength), f.Step.Unit()) }})
	c.roundStep("form_count", "Number of "+plural(f.Step), "count = dose ÷ strength, rounded "+f.Rounding.String()+" to "+f.Step.String(),
		[]Term{term("dose", c.dose, "previous step"), term("strength", f.Strength, "rule form")}, exact, count, flags, note)
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
		Inputs: []Term{term("count", count, "step form_count"), term("strength", f.Strength, "rule form")}, Exact: before, Value: c.dose,
		Deviation: c.devIf(before, c.dose), DeviationPct: c.pctIf(before, c.dose)})
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
			Inputs: []Term{term("count", count, "step form_count"), term("interval", f.Interval, "rule form")},
			Value:  fr.Offsets[len(fr.Offsets)-1], Note: "at " + strings.Join(offs, ", ")})
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

func (c *calc) prepare() {
	p := c.rule.Preparation
	if !c.ok() || p == nil {
		return
	}
	pr := &PrepResult{Stock: p.Stock, Container: "none"}
	exact := c.divTo(c.dose, p.Stock, units.Milliliter)
	ceil, floor := c.doseBounds()
	draw, flags, note := c.roundTo(exact, Rounding{Step: p.DrawStep, Mode: p.DrawRounding}, bounds{ceil: ceil, floor: floor, exact: c.dose,
		at:   func(v units.Quantity) units.Quantity { return c.mul(v, p.Stock) },
		back: func(d units.Quantity) units.Quantity { return c.divTo(d, p.Stock, units.Milliliter) }})
	pr.DrawExact, pr.Draw = exact, draw
	before := c.dose
	c.dose = c.conv(c.mul(draw, p.Stock), before.Unit())
	// The volume and the dose in it deviate by the same fraction, taken
	// from the exact dose rather than the volume kept at units.Places.
	var pct units.Quantity
	if flags.Has(Rounded) {
		pct = c.pct(before, c.dose)
	}
	c.roundStepPct("draw_volume", "Volume to draw", "volume = dose ÷ stock concentration, rounded "+p.DrawRounding.String()+" to "+p.DrawStep.String(),
		[]Term{term("dose", before, "previous step"), term("stock", p.Stock, "rule preparation")}, exact, draw, flags, note, pct)
	if !c.ok() {
		return
	}
	if draw.Sign() == 0 {
		c.fail(&FieldError{Field: "preparation.draw_step", Value: p.DrawStep.String(), Msg: "the dose " + display(before).String() + " rounds to no volume at this step", Err: ErrRange})
		return
	}
	if flags.Has(Rounded) {
		c.step(Step{ID: "delivered_dose", Title: "Dose in the drawn volume", Formula: "dose = drawn volume × stock concentration",
			Inputs: []Term{term("volume", draw, "step draw_volume"), term("stock", p.Stock, "rule preparation")}, Exact: before, Value: c.dose,
			Deviation: c.devIf(before, c.dose), DeviationPct: pct})
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
				Inputs: []Term{term("bag", p.Bag.Volume, "rule preparation"), term("withdrawn", draw, "step draw_volume")}, Value: final})
		} else {
			final = c.add(p.Bag.Volume, draw)
			c.step(Step{ID: "final_volume", Title: "Final volume", Formula: "final volume = bag volume + drug volume",
				Inputs: []Term{term("bag", p.Bag.Volume, "rule preparation"), term("drug", draw, "step draw_volume")}, Value: final})
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
			Inputs: []Term{term("syringe", final, "rule preparation"), term("drug", draw, "step draw_volume")}, Value: final})
	case p.Syringe != nil:
		pr.Container = "syringe"
		exactVol := c.divTo(c.dose, p.Syringe.Concentration, units.Milliliter)
		fv, fflags, fnote := c.roundTo(exactVol, Rounding{Step: p.DrawStep, Mode: p.DrawRounding}, bounds{})
		final = fv
		if c.less(final, draw) {
			final = draw
		}
		pr.Diluent = c.sub(final, draw)
		c.roundStep("final_volume", "Final volume", "final volume = dose ÷ target concentration, rounded "+p.DrawRounding.String()+" to "+p.DrawStep.String(),
			[]Term{term("dose", c.dose, "previous step"), term("target concentration", p.Syringe.Concentration, "rule preparation")}, exactVol, final, fflags, fnote)
	}
	if !c.ok() {
		return
	}
	c.finalVol = final
	c.finalConc = c.divTo(c.dose, final, units.MgPerML)
	pr.FinalVolume, pr.FinalConc = final, c.finalConc
	c.step(Step{ID: "final_concentration", Title: "Final concentration", Formula: "concentration = dose ÷ final volume",
		Inputs: []Term{term("dose", c.dose, "previous step"), term("final volume", final, "step final_volume")}, Value: c.finalConc})
	c.res.Preparation = pr
}

func (c *calc) infuse() {
	in := c.rule.Infusion
	if !c.ok() || in == nil {
		return
	}
	ir := &InfusionResult{}
	vtbi := c.finalVol
	c.maint = c.dose
	pump := in.Pump
	rateStep := Rounding{Step: pump.RateStep, Mode: pump.RateRounding}
	intended := "dose ÷ duration"
	if l := in.Loading; l != nil {
		ld := l.Dose
		inputs := []Term{term("loading dose", l.Dose, "rule infusion")}
		formula := "loading dose = fixed loading dose"
		if kindOf(ld) == kindPerKg {
			ld = c.mul(ld, c.weight)
			inputs = append(inputs, term("dosing weight", c.weight, "step dosing_weight"))
			formula = "loading dose = loading dose per kg × dosing weight"
		}
		ld = c.conv(ld, c.dose.Unit())
		if c.ok() && !c.less(ld, c.dose) {
			c.fail(&FieldError{Field: "infusion.loading.dose", Value: l.Dose.String(), Msg: "not less than the whole dose " + display(c.dose).String(), Err: ErrRange})
			return
		}
		c.step(Step{ID: "loading_dose", Title: "Loading dose", Formula: formula, Inputs: inputs, Value: ld})
		lvol := c.conv(c.mulDiv(ld, c.finalVol, c.dose), units.Milliliter)
		lrateExact := c.divTo(lvol, l.Duration, units.MLPerHour)
		if c.ok() && c.less(pump.MaxRate, lrateExact) {
			c.fail(&LimitError{Field: "loading_pump_rate", Kind: HardMax, Value: lrateExact, Bound: pump.MaxRate})
			return
		}
		ceil, floor := c.rateBounds(false)
		lrate, lflags, lnote := c.roundTo(lrateExact, rateStep, bounds{ceil: ceil, floor: floor})
		c.roundStep("loading_rate", "Loading pump rate", "rate = loading dose × final volume ÷ dose ÷ loading duration, rounded "+pump.RateRounding.String()+" to "+pump.RateStep.String(),
			[]Term{term("loading volume", lvol, "loading dose × final volume ÷ dose"), term("duration", l.Duration, "rule infusion")}, lrateExact, lrate, lflags, lnote)
		if !c.checkPumpMin("loading_pump_rate", lrate) {
			return
		}
		ir.Loading = &LoadingResult{Dose: ld, Volume: lvol, Duration: l.Duration, PumpRate: lrate}
		c.loadingRateExact = lrateExact
		c.maint = c.sub(c.dose, ld)
		vtbi = c.sub(vtbi, lvol)
		intended = "maintenance dose ÷ duration"
		c.step(Step{ID: "maintenance_volume", Title: "Maintenance volume", Formula: "volume = final volume − loading volume",
			Inputs: []Term{term("final volume", c.finalVol, "step final_volume"), term("loading volume", lvol, "step loading_rate")}, Value: vtbi,
			Note: "maintenance dose " + display(c.maint).String()})
	}
	duration := c.conv(c.duration, units.Minute)
	exact := c.divTo(vtbi, duration, units.MLPerHour)
	if !c.ok() {
		return
	}
	if c.less(pump.MaxRate, exact) {
		if !pump.StretchToMaxRate {
			c.fail(&LimitError{Field: "pump_rate", Kind: HardMax, Value: exact, Bound: pump.MaxRate})
			return
		}
		need := c.divTo(vtbi, pump.MaxRate, units.Minute)
		stretched, _, _ := c.roundTo(need, Rounding{Step: units.NewInt(1, units.Minute), Mode: units.RoundUp}, bounds{})
		c.step(Step{ID: "duration_stretch", Title: "Duration stretched", Formula: "duration = volume ÷ pump maximum rate, rounded up to a whole minute",
			Inputs: []Term{term("volume", vtbi, "computed"), term("max rate", pump.MaxRate, "rule pump")}, Exact: duration, Value: stretched, Flags: Stretched,
			Note: "the pump cannot run " + show(exact) + "; duration stretched from " + duration.String() + " to " + stretched.String()})
		c.res.Warnings = append(c.res.Warnings, Warning{Key: "infusion.duration_stretched", Severity: Info, Value: stretched, Bound: pump.MaxRate,
			Message: "duration stretched from " + duration.String() + " to " + stretched.String() + " to keep the pump at or below " + pump.MaxRate.String()})
		duration = stretched
		exact = c.divTo(vtbi, duration, units.MLPerHour)
	}
	c.duration = duration
	c.pumpExact = exact
	ceil, floor := c.rateBounds(true)
	rate, flags, note := c.roundTo(exact, rateStep, bounds{ceil: ceil, floor: floor})
	pumpPct := zeroPct
	if flags.Has(Rounded) {
		pumpPct = c.pct(exact, rate)
	}
	c.roundStepPct("pump_rate", "Pump rate", "rate = volume ÷ duration, rounded "+pump.RateRounding.String()+" to "+pump.RateStep.String(),
		[]Term{term("volume", vtbi, "computed"), term("duration", duration, "rule infusion")}, exact, rate, flags, note, pumpPct)
	if !c.checkPumpMin("pump_rate", rate) {
		return
	}
	if pump.MinDuration.IsValid() && c.less(duration, pump.MinDuration) {
		c.fail(&LimitError{Field: "duration", Kind: HardMin, Value: duration, Bound: pump.MinDuration})
		return
	}
	ir.Duration, ir.PumpRateExact, ir.PumpRate, ir.VTBI = duration, exact, rate, vtbi
	ir.RunTime = c.divTo(vtbi, rate, units.Minute)
	c.step(Step{ID: "run_time", Title: "Run time at the programmed rate", Formula: "run time = volume ÷ pump rate",
		Inputs: []Term{term("volume", vtbi, "computed"), term("pump rate", rate, "step pump_rate")}, Value: ir.RunTime})
	ir.IntendedDoseRate = c.divTo(c.maint, duration, units.MgPerHour)
	ir.DoseRate = c.mulDiv(rate, c.conv(c.dose, units.Milligram), c.finalVol) // mL/h × mg ÷ mL: mg/h, one rounding
	if ir.Loading == nil {
		// Without a loading dose the dose rate deviates from the intended
		// one exactly as the programmed pump rate does from the exact one.
		ir.DoseRateDevPct = pumpPct
	} else {
		ir.DoseRateDevPct = c.pct(ir.IntendedDoseRate, ir.DoseRate)
	}
	var stepPct units.Quantity // the step shows a deviation only where there is one
	if ir.DoseRateDevPct.Sign() != 0 {
		stepPct = ir.DoseRateDevPct
	}
	c.step(Step{ID: "dose_rate", Title: "Dose rate the pump delivers", Formula: "dose rate = pump rate × dose ÷ final volume (back-calculated from the programmed rate)",
		Inputs: []Term{term("pump rate", rate, "step pump_rate"), term("dose", c.dose, "previous step"), term("final volume", c.finalVol, "step final_volume")},
		Exact:  ir.IntendedDoseRate, Value: ir.DoseRate, Deviation: c.devIf(ir.IntendedDoseRate, ir.DoseRate), DeviationPct: stepPct,
		Note: "intended " + show(ir.IntendedDoseRate) + " (" + intended + ")"})
	ir.DoseRatePerKgH = c.divTo(ir.DoseRate, c.weight, units.MgPerKgPerHour)
	ir.DoseRatePerKgMin = c.divTo(ir.DoseRate, c.weight, units.McgPerKgPerMin)
	weightName := "dosing weight"
	if len(c.res.Weight.UsedFor) == 0 {
		weightName = "actual weight"
	}
	c.step(Step{ID: "dose_rate_per_kg", Title: "Dose rate per kg", Formula: "dose rate per kg = dose rate ÷ " + weightName,
		Inputs: []Term{term("dose rate", ir.DoseRate, "step dose_rate"), term(weightName, c.weight, "step dosing_weight")},
		Value:  ir.DoseRatePerKgH, Note: equals(ir.DoseRatePerKgMin)})
	if in.DropFactor.IsValid() {
		dexact := c.conv(c.mulDiv(vtbi, in.DropFactor, duration), units.DropsPerMin)
		drip, dflags, dnote := c.roundTo(dexact, Rounding{Step: units.NewInt(1, units.DropsPerMin), Mode: in.DripRounding}, bounds{})
		c.roundStep("drip_rate", "Drip rate", "drip rate = volume ÷ duration × drop factor, to whole drops "+in.DripRounding.String(),
			[]Term{term("volume", vtbi, "computed"), term("drop factor", in.DropFactor, "rule infusion"), term("duration", duration, "rule infusion")}, dexact, drip, dflags, dnote)
		ir.Drip = &DripResult{DropFactor: in.DropFactor, Exact: dexact, Rate: drip}
	}
	c.res.Infusion = ir
}

// rateBounds returns the pump rates that rounding may not cross: the pump's
// maximum and minimum and the hard limits on the pump rate, and, for the
// maintenance rate, the hard limits on the dose rate (mg/h and per kg)
// expressed as pump rates at the final concentration.
func (c *calc) rateBounds(doseRate bool) (ceil, floor edge) {
	pump, l := c.rule.Infusion.Pump, c.rule.Limits
	ceil = c.tightest(true, plainEdge("the pump's maximum rate", pump.MaxRate), plainEdge("the hard maximum pump rate", l.PumpRate.HardMax))
	floor = c.tightest(false, plainEdge("the pump's minimum rate", pump.MinRate), plainEdge("the hard minimum pump rate", l.PumpRate.HardMin))
	if !doseRate {
		return ceil, floor
	}
	asPumpRate := func(e edge) edge {
		if !e.q.IsValid() || !c.ok() {
			return edge{}
		}
		e.q, e.rate = c.conv(c.mulDiv(e.q, c.finalVol, c.dose), units.MLPerHour), true
		return e
	}
	ceil = c.tightest(true, ceil, asPumpRate(plainEdge("the hard maximum dose rate", l.DoseRate.HardMax)),
		asPumpRate(c.perKgEdge("the hard maximum dose rate per kg", l.DoseRatePerKg.HardMax)))
	floor = c.tightest(false, floor, asPumpRate(plainEdge("the hard minimum dose rate", l.DoseRate.HardMin)),
		asPumpRate(c.perKgEdge("the hard minimum dose rate per kg", l.DoseRatePerKg.HardMin)))
	return ceil, floor
}

// checkPumpMin refuses a programmed rate of zero or below the pump's
// minimum; it reports whether the rate is deliverable.
func (c *calc) checkPumpMin(field string, rate units.Quantity) bool {
	if !c.ok() {
		return false
	}
	pump := c.rule.Infusion.Pump
	if rate.Sign() == 0 || pump.MinRate.IsValid() && c.less(rate, pump.MinRate) {
		bound := pump.MinRate
		if !bound.IsValid() {
			bound = pump.RateStep
		}
		c.fail(&LimitError{Field: field, Kind: HardMin, Value: rate, Bound: bound})
		return false
	}
	return true
}

// checked is one value checked against a bound: final is the rounded value,
// exact the value before rounding (soft limits warn if either crosses).
type checked struct {
	field        string
	b            Bound
	final, exact units.Quantity
}

func (c *calc) checkLimits() {
	if !c.ok() {
		return
	}
	l, r := c.rule.Limits, c.rule
	c.res.Dose = c.dose
	c.res.DosePerKg = c.divTo(c.dose, c.weight, units.MgPerKg)
	c.res.DosePerKgActual = c.res.DosePerKg
	if !c.weight.Equal(c.actualKg) {
		c.res.DosePerKgActual = c.divTo(c.dose, c.actualKg, units.MgPerKg)
	}
	if bsa := c.res.BodySize.BSA; bsa.IsValid() {
		c.res.DosePerM2 = c.divTo(c.conv(c.dose, units.Milligram), bsa, units.MgPerM2)
	}
	c.warnAboveActual()
	list := make([]checked, 0, 9)
	if l.Dose.IsSet() || r.Cap.IsValid() || r.CapPerKg.IsValid() {
		list = append(list, checked{"dose", l.Dose, c.dose, c.capped})
	}
	if l.DosePerKg.IsSet() {
		exact := c.res.DosePerKg
		if !c.capped.Equal(c.dose) {
			exact = c.divTo(c.capped, c.weight, units.MgPerKg)
		}
		list = append(list, checked{"dose_per_kg", l.DosePerKg, c.res.DosePerKg, exact})
	}
	if c.finalVol.IsValid() {
		if l.Concentration.IsSet() {
			list = append(list, checked{"concentration", l.Concentration, c.finalConc, c.finalConc})
		}
		if l.Volume.IsSet() {
			list = append(list, checked{"volume", l.Volume, c.finalVol, c.finalVol})
		}
	}
	if ir := c.res.Infusion; ir != nil {
		if l.PumpRate.IsSet() {
			list = append(list, checked{"pump_rate", l.PumpRate, ir.PumpRate, ir.PumpRateExact})
			if ld := ir.Loading; ld != nil {
				list = append(list, checked{"loading_pump_rate", l.PumpRate, ld.PumpRate, c.loadingRateExact})
			}
		}
		if l.DoseRate.IsSet() {
			list = append(list, checked{"dose_rate", l.DoseRate, ir.DoseRate, ir.IntendedDoseRate})
		}
		if l.DoseRatePerKg.IsSet() {
			list = append(list, checked{"dose_rate_per_kg", l.DoseRatePerKg, ir.DoseRatePerKgH, c.divTo(ir.IntendedDoseRate, c.weight, units.MgPerKgPerHour)})
		}
		if l.Duration.IsSet() {
			list = append(list, checked{"duration", l.Duration, ir.Duration, ir.Duration})
		}
	}
	if !c.ok() {
		return
	}
	var hard []error
	for _, k := range list {
		hard = append(hard, c.check(k)...)
	}
	if err := errors.Join(hard...); err != nil {
		c.fail(err)
		return
	}
	for _, k := range list {
		c.limitStep(k)
	}
}

// limitStep records in the trail which limits a value was checked against
// and how it fared, so the worksheet shows every limit of the rule.
func (c *calc) limitStep(k checked) {
	in := make([]Term, 0, 7)
	if !k.exact.Equal(k.final) {
		in = append(in, term("before rounding", k.exact, "previous steps"))
	}
	if k.field == "dose" {
		if c.rule.Cap.IsValid() {
			in = append(in, term("cap", c.rule.Cap, "rule"))
		}
		if c.rule.CapPerKg.IsValid() {
			in = append(in, term("cap per kg", c.rule.CapPerKg, "rule"))
		}
	}
	for _, b := range [...]struct {
		name string
		q    units.Quantity
	}{{"hard min", k.b.HardMin}, {"soft min", k.b.SoftMin}, {"soft max", k.b.SoftMax}, {"hard max", k.b.HardMax}} {
		if b.q.IsValid() {
			in = append(in, term(b.name, b.q, "rule limits"))
		}
	}
	note := "within the limits"
	for _, w := range c.res.Warnings {
		switch w.Key {
		case k.field + ".soft_max":
			note = "above the soft maximum: needs review"
		case k.field + ".soft_min":
			note = "below the soft minimum: needs review"
		}
	}
	c.step(Step{ID: "limit_" + k.field, Title: "Limits on the " + words(k.field), Formula: "the final value, and the value before rounding, within the rule's caps and limits",
		Inputs: in, Value: k.final, Note: note})
}

func (c *calc) check(k checked) []error {
	b := k.b
	// Hard limits refuse if the final value or the value before rounding
	// crosses: rounding never launders an intended value beyond a limit.
	var errs []error
	if b.HardMax.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.HardMax, 1); crossed {
			errs = append(errs, &LimitError{Field: k.field, Kind: HardMax, Value: v, Bound: b.HardMax})
		}
	}
	if b.HardMin.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.HardMin, -1); crossed {
			errs = append(errs, &LimitError{Field: k.field, Kind: HardMin, Value: v, Bound: b.HardMin})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// Soft limits: the final value and the value before rounding are both
	// checked, each side on its own, so rounding can never hide a warning;
	// the warning quotes the value that crosses further.
	if b.SoftMax.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.SoftMax, 1); crossed {
			c.res.Warnings = append(c.res.Warnings, Warning{Key: k.field + ".soft_max", Severity: Review, Value: v, Bound: b.SoftMax,
				Message: words(k.field) + " " + apart(v, b.SoftMax) + " is above the soft limit " + b.SoftMax.String()})
		}
	}
	if b.SoftMin.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.SoftMin, -1); crossed {
			c.res.Warnings = append(c.res.Warnings, Warning{Key: k.field + ".soft_min", Severity: Review, Value: v, Bound: b.SoftMin,
				Message: words(k.field) + " " + apart(v, b.SoftMin) + " is below the soft limit " + b.SoftMin.String()})
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
		if s, ok := c.res.Step(id); ok && s.Deviation.IsValid() {
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
		if s, ok := c.res.Step(f.step); ok && s.Flags.Has(Rounded) && s.Deviation.IsValid() {
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
		v.Beyond = v.Deviation.Value().Abs().Mul(decHundred).Cmp(tol.Value().Mul(req.Value().Abs())) > 0
		if v.Beyond {
			c.res.Warnings = append(c.res.Warnings, Warning{Key: v.Field + ".rounding_tolerance", Severity: Review, Value: v.DeviationPct, Bound: tol,
				Message: "rounding changes the " + words(v.Field) + " from " + display(v.Requested).String() + " to " + display(v.Gives).String() +
					" (" + signed(v.DeviationPct) + "), more than the protocol's rounding tolerance " + tol.String()})
		}
	}
	c.res.Rounded = append(c.res.Rounded, v)
}

// words turns a field name into words for a message: "dose per kg".
func words(field string) string { return strings.ReplaceAll(field, "_", " ") }

// further returns whichever of final and exact lies further beyond bound
// in direction dir (+1 above, −1 below), and whether either crosses it.
func (a *arith) further(final, exact, bound units.Quantity, dir int) (units.Quantity, bool) {
	v := final
	if a.cmp(exact, final)*dir > 0 {
		v = exact
	}
	return v, a.cmp(v, bound)*dir > 0
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

// display rounds a value to 4 decimal places (half up) for messages and the
// worksheet; the trail keeps the exact value.
func display(q units.Quantity) units.Quantity {
	if !q.IsValid() || q.Value().Exponent() >= -4 {
		return q
	}
	return units.New(q.Value().Round(4), q.Unit())
}
