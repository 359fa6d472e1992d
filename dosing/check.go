package dosing

import (
	"errors"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// Order is a dose order as written, for Check. Every field is optional: set
// those the order states, each with the unit it was written in. A value is
// compared in its own unit, so "40 mcg" is 0.04 mg, never 40 mg.
// OrderFields describes each field.
type Order struct {
	Dose      units.Quantity `json:"dose,omitzero"`        // mg, mcg or g
	DosePerKg units.Quantity `json:"dose_per_kg,omitzero"` // mg/kg or mcg/kg
	// Weight is the dosing weight the order was written on (kg or lb).
	Weight      units.Quantity `json:"weight,omitzero"`
	Stock       units.Quantity `json:"stock,omitzero"`               // vial concentration, mg/mL
	DrawVolume  units.Quantity `json:"draw_volume,omitzero"`         // drawn from the vial, mL
	FinalVolume units.Quantity `json:"final_volume,omitzero"`        // bag or syringe, mL
	FinalConc   units.Quantity `json:"final_concentration,omitzero"` // mg/mL
	PumpRate    units.Quantity `json:"pump_rate,omitzero"`           // mL/h
	Duration    units.Quantity `json:"duration,omitzero"`            // min or h
	DoseRate    units.Quantity `json:"dose_rate,omitzero"`           // mg/h
	// DoseRatePerKg is a weight-based dose rate in any of its units:
	// mg/kg/h, mcg/kg/min, mcg/kg/h or mg/kg/min.
	DoseRatePerKg units.Quantity `json:"dose_rate_per_kg,omitzero"`
	DripRate      units.Quantity `json:"drip_rate,omitzero"`   // gtt/min; needs DropFactor
	DropFactor    units.Quantity `json:"drop_factor,omitzero"` // gtt/mL of the set; needs DripRate
	Count         units.Quantity `json:"count,omitzero"`       // devices, sprays, troches or tablets
}

// Tolerances are the largest deviations, in % of the expected value, at
// which an ordered value still agrees with the protocol; the same tolerance
// applies to a relation of the order whose stated side is that field. Unset
// fields take the DefaultTolerances. A tolerance is between 0 % and
// MaxTolerancePct; the edge is inside: with 5 %, 42 mg agrees with 40 mg.
type Tolerances struct {
	Dose          units.Quantity `json:"dose,omitzero"`
	DosePerKg     units.Quantity `json:"dose_per_kg,omitzero"`
	Weight        units.Quantity `json:"weight,omitzero"`
	Stock         units.Quantity `json:"stock,omitzero"`
	DrawVolume    units.Quantity `json:"draw_volume,omitzero"`
	FinalVolume   units.Quantity `json:"final_volume,omitzero"`
	FinalConc     units.Quantity `json:"final_concentration,omitzero"`
	PumpRate      units.Quantity `json:"pump_rate,omitzero"`
	Duration      units.Quantity `json:"duration,omitzero"`
	DoseRate      units.Quantity `json:"dose_rate,omitzero"`
	DoseRatePerKg units.Quantity `json:"dose_rate_per_kg,omitzero"`
	DripRate      units.Quantity `json:"drip_rate,omitzero"`
	DropFactor    units.Quantity `json:"drop_factor,omitzero"`
	Count         units.Quantity `json:"count,omitzero"`
}

// MaxTolerancePct is the widest tolerance Check accepts, in %. Below 25 %
// the bands of the factors Check recognises (×1, ×2.2046, ×10, ×16.67, ×60,
// ×100, ×1000 and their inverses) cannot overlap, so a deviation is never
// explained by two factors at once; 20 % keeps a margin.
const MaxTolerancePct = 20

// CauseTolerancePct is the narrowest band, in %, within which Check
// recognises a likely cause: a factor (×10, ×2.2046…) or a recalculation
// with another stock or weight. A mistaken value is usually rounded too
// (88.2 mg for 0.5 mg/kg × 176.37), so a cause is recognised within the
// field's tolerance or this, whichever is wider, even where agreement
// itself is exact (the stock, the drop factor, the count).
const CauseTolerancePct = 5

// DefaultTolerances returns the tolerances Check uses for fields a caller
// leaves unset. They are mathematics, not clinical judgement: 5 % for every
// calculated value, wide enough for a value rounded to a syringe graduation,
// a pump step or a whole drop, or for a bag written by its nominal volume
// (100 mL for 104 mL is 3.8 %); 0 % for what is read off a product rather
// than calculated: the stock concentration, the drop factor of the set and
// the number of dose forms. A protocol sets its own through
// CheckOptions.Tolerances.
func DefaultTolerances() Tolerances { return defaultTolerances }

// defaultTolerances is a read-only table; DefaultTolerances returns a copy
// (a Quantity is immutable).
var defaultTolerances = func() Tolerances {
	var t Tolerances
	for f := range numOrderFields {
		*f.tolOf(&t) = units.NewInt(orderFields[f].defaultTol, units.Percent)
	}
	return t
}()

// CheckOptions are the inputs of Check besides the order, the patient and
// the rule.
type CheckOptions struct {
	// Options go to Calculate: the titration level the order is for
	// (Options.Dose) and acknowledgements of the protocol's own warnings.
	Options Options
	// Tolerances override DefaultTolerances field by field.
	Tolerances Tolerances
}

// Verdict is the outcome of one comparison.
type Verdict string

const (
	// Match: within tolerance (and, for an ordered value, inside the
	// protocol's hard limits).
	Match Verdict = "match"
	// Mismatch: outside tolerance, or beyond a hard limit or cap.
	Mismatch Verdict = "mismatch"
	// NotChecked: nothing to compare with. The protocol does not define the
	// value (a pump rate for a rule without an infusion), or no relation of
	// the order had all its values.
	NotChecked Verdict = "not_checked"
)

// CauseKind names a likely cause of a mismatch.
type CauseKind string

const (
	CauseTenfold      CauseKind = "tenfold"      // ×10 or ÷10
	CauseHundredfold  CauseKind = "hundredfold"  // ×100 or ÷100
	CauseThousandfold CauseKind = "thousandfold" // ×1000 or ÷1000: mg ↔ mcg
	// CauseMinuteHour: ×60 or ÷60, a per-minute value read per hour (or
	// the reverse), or minutes read as hours.
	CauseMinuteHour CauseKind = "per_minute_per_hour"
	// CauseMcgMinMgHour: ×16.67 (1000/60) or its inverse, mcg/kg/min
	// confused with mg/kg/h (or mcg/min with mg/h).
	CauseMcgMinMgHour CauseKind = "mcg_per_min_mg_per_h"
	// CausePoundsKilograms: ×2.2046 or its inverse, a weight in pounds used
	// as kilograms (or the reverse).
	CausePoundsKilograms CauseKind = "pounds_kilograms"
	// CauseWrongStock: the value is what another concentration the
	// protocol lists (Preparation.Stocks) gives.
	CauseWrongStock CauseKind = "wrong_stock"
	// CauseWrongWeight: the value is what another body weight gives: the
	// actual weight where the protocol doses on ideal weight, or the reverse.
	CauseWrongWeight CauseKind = "wrong_weight_basis"
	// CausePumpDecimalSlip: the pump rate is off by a power of ten, the
	// digits right and the decimal point in the wrong place.
	CausePumpDecimalSlip CauseKind = "pump_rate_decimal_slip"
)

// Cause is a likely cause of a mismatch with the numbers that point to it.
type Cause struct {
	Kind CauseKind `json:"kind"`
	// Ratio is the order's value ÷ the reference, in %: the ordered value ÷
	// the expected one, or for a relation the value the order's other
	// values give ÷ the stated one (1000 % for ten times). Factor says the
	// same for people: "× 10", "÷ 2.2046".
	Ratio    units.Quantity `json:"ratio"`
	Factor   string         `json:"factor"`
	Evidence string         `json:"evidence"`
}

// LimitCrossing is an ordered value beyond one of the protocol's limits. A
// hard limit or a cap makes the field a Mismatch even within tolerance; a
// soft limit is reported for review and leaves the verdict alone.
type LimitCrossing struct {
	Limit string         `json:"limit"` // "cap", "limits.dose.hard_max", "infusion.pump.max_rate"
	Kind  LimitKind      `json:"kind"`  // a cap is a hard maximum
	Bound units.Quantity `json:"bound"`
	// Value is the value that crosses, for a value the order implies (its
	// dose, or that dose per kg); unset for an ordered field, whose value
	// is Ordered.
	Value units.Quantity `json:"value,omitzero"`
}

// FieldCheck compares one value of the order with the independent
// calculation.
type FieldCheck struct {
	Field   string         `json:"field"` // the Order's JSON name: "pump_rate"
	Ordered units.Quantity `json:"ordered"`
	// Expected is the protocol's value in the ordered unit, and
	// ProtocolValue the same in the protocol's unit; Step is the trail step
	// that computes it, when there is one.
	Expected      units.Quantity `json:"expected,omitzero"`
	ProtocolValue units.Quantity `json:"protocol_value,omitzero"`
	Step          string         `json:"step,omitempty"`
	// Deviation is Ordered − Expected; DeviationPct is the same in % of
	// Expected.
	Deviation    units.Quantity  `json:"deviation,omitzero"`
	DeviationPct units.Quantity  `json:"deviation_pct,omitzero"`
	Tolerance    units.Quantity  `json:"tolerance"`
	Verdict      Verdict         `json:"verdict"`
	Limits       []LimitCrossing `json:"limits,omitempty"`
	Causes       []Cause         `json:"causes,omitempty"`
	Note         string          `json:"note,omitempty"`
}

// ConsistencyCheck tests one relation between values of the order itself,
// whatever the protocol says: the stated value against the value derived
// from the others.
type ConsistencyCheck struct {
	ID       string         `json:"id"`       // "dose_from_draw"
	Relation string         `json:"relation"` // "dose = volume drawn × stock concentration"
	Fields   []string       `json:"fields"`   // the order fields involved, stated first
	Stated   units.Quantity `json:"stated"`
	Derived  units.Quantity `json:"derived"` // in the stated unit
	// Deviation is read from the order's side: Derived − Stated, what the
	// order's other values give beyond the value it states; DeviationPct
	// is the same in % of Stated.
	Deviation    units.Quantity `json:"deviation"`
	DeviationPct units.Quantity `json:"deviation_pct"`
	Tolerance    units.Quantity `json:"tolerance"`
	Verdict      Verdict        `json:"verdict"`
	Causes       []Cause        `json:"causes,omitempty"`
}

// LikelyCause gathers the fields and relations a cause explains, so that
// the strongest explanation of an order can be read first.
type LikelyCause struct {
	Kind  CauseKind `json:"kind"`
	Where []string  `json:"where"` // field names and relation ids
}

// CheckResult is a pharmacist's independent double check of an order.
// Agreement with the protocol and the order's own consistency are separate
// verdicts: an order can be consistent and still wrong.
type CheckResult struct {
	Notice     string     `json:"notice"`
	Provenance Provenance `json:"provenance"`
	Drug       string     `json:"drug,omitempty"`
	Route      string     `json:"route,omitempty"`
	Patient    Patient    `json:"patient"`
	Order      Order      `json:"order"`

	// Agreement is Mismatch if any ordered value disagrees with the
	// protocol, Match if at least one agrees and none disagrees, and
	// NotChecked if the protocol defines none of the values.
	Agreement Verdict `json:"agreement"`
	// Consistency is Mismatch if any relation of the order fails, Match if
	// at least one holds and none fails, NotChecked if none could be formed.
	Consistency Verdict `json:"consistency"`
	// Limits is Mismatch if a value the order gives as written (Implied)
	// is beyond a hard limit or a cap, Match if the order gives values and
	// none is, NotChecked if it gives none (a weight or a stock alone).
	Limits Verdict `json:"limits"`
	// Summary is the verdict: first one line for each value the order
	// gives beyond a hard limit or cap ("as written this order gives
	// 200 mg (2.5 mg/kg) …: above the hard maximum 100 mg …"), then one
	// for each beyond a soft limit, then the paragraph on agreement and
	// consistency.
	Summary string `json:"summary"`
	// Implied lists what the order as written gives the patient: every
	// value it states or implies, in the patient's terms, with the limits
	// each crosses.
	Implied      []ImpliedValue     `json:"implied"`
	Fields       []FieldCheck       `json:"fields"`
	Relations    []ConsistencyCheck `json:"relations"`
	LikelyCauses []LikelyCause      `json:"likely_causes,omitempty"`
	Notes        []string           `json:"notes,omitempty"`
	Tolerances   Tolerances         `json:"tolerances"` // as used, defaults filled in

	// Expected is the independent calculation, with its trail.
	Expected Result `json:"expected"`
}

// Matches reports whether the order agrees with the protocol and is
// consistent with itself: no mismatch, and at least one value compared.
func (r CheckResult) Matches() bool {
	return r.Agreement == Match && r.Consistency != Mismatch && r.Limits != Mismatch
}

// ImpliedValue is what the order as written gives the patient, in the
// patient's terms: a value the order states, or one its stated values imply
// (volume drawn × stock concentration, pump rate × final concentration,
// number of devices × strength), checked against the rule's caps and hard
// and soft limits. A dose and a dose rate also carry their value per kg of
// the patient's dosing weight, checked against the per-kg limits.
type ImpliedValue struct {
	// Value names what it is a value of, as an Order field: "dose",
	// "dose_per_kg", "dose_rate", "dose_rate_per_kg", "final_concentration",
	// "final_volume", "pump_rate", "duration" or "count".
	Value string `json:"value"`
	// Gives is the value, in the protocol's unit; a value derived by a
	// division is kept at 20 decimal places (the digits beyond are the
	// trace of the division).
	Gives units.Quantity `json:"gives"`
	// PerKg is a dose (mg/kg) or a dose rate (mg/kg/h) per kg of the
	// patient's dosing weight.
	PerKg units.Quantity `json:"per_kg,omitzero"`
	// From lists each way the order gives this value; the verdict names
	// the first.
	From []Derivation `json:"from"`
	// Limits are the caps and limits that Gives or PerKg crosses (each
	// crossing's Value says which): on each side the hard ones, or the
	// soft ones where no hard one is crossed.
	Limits []LimitCrossing `json:"limits,omitempty"`
}

// Beyond reports whether the value crosses a hard limit or a cap.
func (v ImpliedValue) Beyond() bool {
	for _, l := range v.Limits {
		if l.Kind == HardMax || l.Kind == HardMin {
			return true
		}
	}
	return false
}

// Derivation is one way an order gives a value: as stated, or by a formula
// of its stated values and, where the order cannot state them, the
// protocol's and the patient's (the strength of a dose form, the dosing
// weight).
type Derivation struct {
	ID      string `json:"id"`      // "dose_from_draw", or the field for a value as stated
	Formula string `json:"formula"` // "volume drawn × stock concentration"; "as stated"
	Inputs  []Term `json:"inputs"`  // each with its source: "order", "protocol", "patient"
}

// Check is a pharmacist's independent double check of an order: it
// recomputes the dose with Calculate from the patient and the rule, compares
// every value the order states with the expected one within the field's
// tolerance, tests the order's own relations (volume × concentration = dose,
// rate × duration = volume, …), checks the ordered values against the
// rule's caps and limits, and names the likely cause of each mismatch where
// the numbers point to one (a tenfold error, mg ↔ mcg, pounds used as
// kilograms, per minute ↔ per hour, the wrong stock, the wrong dosing
// weight, a decimal slip in the pump rate).
//
// An invalid order, invalid tolerances and the errors of Calculate are
// reported together; a hard limit of the protocol's own calculation is a
// *LimitError and no result.
func Check(order Order, patient Patient, rule Rule, opt CheckOptions) (CheckResult, error) {
	// The order and the tolerances are read in place, in the checker: the
	// field table's accessors take pointers, and a pointer to a local would
	// move it to the heap.
	k := &checker{order: order, patient: patient, rule: rule, opt: opt.Options, tol: opt.Tolerances}
	tolErr := k.tol.resolve()
	orderErr := k.order.validate()
	expected, calcErr := Calculate(rule, patient, opt.Options)
	if err := errors.Join(orderErr, tolErr, calcErr); err != nil {
		return CheckResult{}, err
	}
	k.exp = expected
	tol := k.tol
	res := CheckResult{
		Notice:     Notice,
		Provenance: expected.Provenance,
		Drug:       expected.Drug,
		Route:      expected.Route,
		Patient:    patient,
		Order:      order,
		Tolerances: tol,
		Expected:   expected,
		Fields:     make([]FieldCheck, 0, numOrderFields),
		Relations:  make([]ConsistencyCheck, 0, len(orderRelations)),
	}
	for f := range numOrderFields {
		if q := *f.of(&k.order); q.IsValid() {
			res.Fields = append(res.Fields, k.compare(f, q))
		}
	}
	if rule.Infusion != nil && rule.Infusion.Loading != nil {
		res.Notes = append(res.Notes, "the protocol has a loading dose: relations that take the whole volume or dose over the maintenance duration are not checked")
	}
	for _, rel := range orderRelations {
		if c, ok := k.relate(rel); ok {
			res.Relations = append(res.Relations, c)
		}
	}
	var notes []string
	res.Implied, notes = k.implied()
	res.Notes = append(res.Notes, notes...)
	if k.err != nil {
		return CheckResult{}, k.err
	}
	res.Limits = overallVerdict(len(res.Implied), func(i int) Verdict {
		if res.Implied[i].Beyond() {
			return Mismatch
		}
		return Match
	})
	res.Agreement = overallVerdict(len(res.Fields), func(i int) Verdict { return res.Fields[i].Verdict })
	res.Consistency = overallVerdict(len(res.Relations), func(i int) Verdict { return res.Relations[i].Verdict })
	res.LikelyCauses = likelyCauses(res.Fields, res.Relations)
	res.Summary = checkSummary(res)
	return res, nil
}

// overallVerdict is Mismatch if any verdict is, else Match if any is, else
// NotChecked.
func overallVerdict(n int, verdict func(int) Verdict) Verdict {
	v := NotChecked
	for i := range n {
		switch verdict(i) {
		case Mismatch:
			return Mismatch
		case Match:
			v = Match
		}
	}
	return v
}

// Validate checks the order on its own and reports every bad field at once:
// at least one value, each of its field's dimension and greater than zero,
// and a drip rate and drop factor only together.
func (o Order) Validate() error { return o.validate() }

func (o *Order) validate() error {
	var errs []error
	given := 0
	for f := range numOrderFields {
		q := *f.of(o)
		if !q.IsValid() {
			continue
		}
		given++
		info := f.desc()
		field := "order." + info.name
		switch {
		case !hasDim(info.dims, q.Dimension()):
			errs = append(errs, &FieldError{Field: field, Value: q.String(),
				Msg: "must be " + info.want + ", not " + q.Dimension().String(), Err: ErrDimension})
		case q.Sign() <= 0:
			errs = append(errs, &FieldError{Field: field, Value: q.String(), Msg: "out of range (must be > 0)", Err: ErrRange})
		}
	}
	if given == 0 {
		errs = append(errs, &FieldError{Field: "order",
			Msg: "required: at least one value to check (dose, dose per kg, weight, stock, volume drawn, final volume or concentration, pump rate, duration, dose rate, drip rate with drop factor, count)",
			Err: ErrMissing})
	}
	if o.DropFactor.IsValid() && !o.DripRate.IsValid() {
		errs = append(errs, &FieldError{Field: "order.drip_rate", Msg: "required with order.drop_factor " + strconv.Quote(o.DropFactor.String()) + ": a drop factor is checked through the drip rate it gives", Err: ErrMissing})
	}
	if o.DripRate.IsValid() && !o.DropFactor.IsValid() {
		errs = append(errs, &FieldError{Field: "order.drop_factor", Msg: "required with order.drip_rate " + strconv.Quote(o.DripRate.String()) + ": a drip rate means nothing without the set's drop factor (gtt/mL)", Err: ErrMissing})
	}
	return errors.Join(errs...)
}

func hasDim(ds []units.Dimension, d units.Dimension) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// Validate reports every set tolerance that is not a percentage from 0 % to
// MaxTolerancePct, all at once.
func (t Tolerances) Validate() error { return t.resolve() }

// With returns t with every tolerance that o sets replaced by o's: a
// protocol's tolerances, then a caller's for one check.
func (t Tolerances) With(o Tolerances) Tolerances {
	for f := range numOrderFields {
		if q := f.tolOf(&o); q.IsValid() {
			*f.tolOf(&t) = *q
		}
	}
	return t
}

// resolve fills unset tolerances with the defaults and validates the rest.
func (t *Tolerances) resolve() error {
	var errs []error
	var a arith
	for f := range numOrderFields {
		q := f.tolOf(t)
		if !q.IsValid() {
			*q = *f.tolOf(&defaultTolerances)
			continue
		}
		field := "tolerances." + orderFields[f].name
		if q.Dimension() != units.Percent.Dimension() {
			errs = append(errs, &FieldError{Field: field, Value: q.String(), Msg: "must be a percentage (%), not " + q.Dimension().String(), Err: ErrDimension})
			continue
		}
		if max := units.NewInt(MaxTolerancePct, units.Percent); q.Sign() < 0 || a.cmp(*q, max) > 0 {
			errs = append(errs, &FieldError{Field: field, Value: q.String(), Msg: "out of range (0 % to " + max.String() + ")", Err: ErrRange})
		}
	}
	return a.join(errs)
}

// checker carries one Check. Like calc, its arithmetic (arith) records the
// first error, which Check reports at the end rather than return a
// half-built result.
type checker struct {
	order   Order
	patient Patient
	rule    Rule
	opt     Options
	tol     Tolerances
	exp     Result
	arith

	hyps     []hypothesis // built on the first mismatch
	hypsDone bool
}

// compare checks one ordered value against the calculation.
func (k *checker) compare(f orderField, ordered units.Quantity) FieldCheck {
	tol := *f.tolOf(&k.tol)
	fc := FieldCheck{Field: orderFields[f].name, Ordered: ordered, Tolerance: tol}
	ref := k.expected(f, k.exp)
	fc.Step, fc.Note = ref.step, ref.note
	fc.Limits = k.limits(f, ordered)
	hard := false
	for _, l := range fc.Limits {
		hard = hard || l.Kind == HardMax || l.Kind == HardMin
	}
	if !ref.q.IsValid() {
		fc.Verdict = NotChecked
		if hard {
			fc.Verdict = Mismatch
		}
		return fc
	}
	fc.Expected = k.conv(ref.q, ordered.Unit())
	fc.ProtocolValue = k.conv(ref.q, k.protocolUnit(ref.q, ref.q.Unit()))
	var within bool
	fc.Deviation, fc.DeviationPct, within = k.deviation(ordered, ref.q, fc.Expected, tol)
	if !within && ref.alt.IsValid() && k.within(ordered, ref.alt, decOne, decOne, tol) {
		within = true
		fc.Note = "matches " + ref.altWhat + ", " + show(k.conv(ref.alt, ordered.Unit()))
	}
	switch {
	case within && !hard:
		fc.Verdict = Match
	case within:
		fc.Verdict = Mismatch
	default:
		fc.Verdict = Mismatch
		fc.Causes = k.causes(f, ordered, ref.q)
	}
	return fc
}

var (
	decOne     = decimal.NewFromInt(1)
	decHundred = decimal.NewFromInt(100)
)

// within reports whether got lies within tol of want × num ÷ den, exactly:
// |got × den − want × num| ≤ tol × want × num. Quantities in different
// units of one dimension compare exactly (units.Quantity.Cmp).
func (k *checker) within(got, want units.Quantity, num, den decimal.Decimal, tol units.Quantity) bool {
	if k.err != nil {
		return false
	}
	if got.Unit() == want.Unit() {
		// One unit: the same inequality on the exact decimals, without
		// the conversions of Cmp (the common case, and the fast one).
		g, w := got.Value(), want.Value()
		if !den.Equal(decOne) {
			g = g.Mul(den)
		}
		if !num.Equal(decOne) {
			w = w.Mul(num)
		}
		if g.Equal(w) {
			return true
		}
		return g.Sub(w).Abs().Mul(decHundred).Cmp(tol.Value().Mul(w.Abs())) <= 0
	}
	g, err := got.Scale(den)
	k.fail(err)
	w, err := want.Scale(num)
	k.fail(err)
	band, err := w.Scale(tol.Value().Shift(-2)) // tol is in %
	k.fail(err)
	lo, hi := k.sub(w, band), k.add(w, band)
	if k.err != nil {
		return false
	}
	return k.cmp(g, lo) >= 0 && k.cmp(g, hi) <= 0
}

// deviation returns got − want and the same in % of want, and whether it
// is within tol. wantIn is want converted to got's unit. Equality, the
// common case, is decided exactly and cheaply (Cmp across units); else the
// deviation is tested exactly in one unit where the conversion terminated,
// and across units otherwise.
func (k *checker) deviation(got, want, wantIn, tol units.Quantity) (dev, pct units.Quantity, within bool) {
	if k.err != nil {
		return units.Quantity{}, units.Quantity{}, false
	}
	if c, err := got.Cmp(want); err != nil {
		k.fail(err)
		return units.Quantity{}, units.Quantity{}, false
	} else if c == 0 {
		// The zero decimal.Decimal is 0 and allocates nothing.
		return units.New(decimal.Decimal{}, got.Unit()), units.New(decimal.Decimal{}, units.Percent), true
	}
	dev = k.sub(got, wantIn)
	pct = k.ratio(dev, wantIn)
	if exactIn(wantIn) {
		return dev, pct, k.devWithin(dev, wantIn, tol)
	}
	return dev, pct, k.within(got, want, decOne, decOne, tol)
}

// devWithin reports whether a deviation from want, exact and in want's
// unit, is within tol: |dev| × 100 ≤ tol × want.
func (k *checker) devWithin(dev, want, tol units.Quantity) bool {
	if k.err != nil || !dev.IsValid() {
		return false
	}
	d := dev.Value()
	if d.Sign() == 0 {
		return true
	}
	if d.Sign() < 0 {
		d = d.Neg()
	}
	return d.Mul(decHundred).Cmp(tol.Value().Mul(want.Value())) <= 0
}

// ratio returns a ÷ b in % (a and b of one dimension).
func (k *checker) ratio(a, b units.Quantity) units.Quantity {
	q, err := a.Div(b)
	k.fail(err)
	if err == nil && q.Unit() != units.Percent {
		k.fail(&FieldError{Field: "check", Value: q.String(), Msg: "internal: a ratio of one dimension is not a percentage", Err: ErrDimension})
	}
	return q
}

// exactIn reports whether a converted value is exact: a conversion that
// does not terminate is kept at units.Places decimal places.
func exactIn(q units.Quantity) bool { return q.IsValid() && q.Value().Exponent() > -units.Places }

// limits returns the rule's limits the ordered value crosses: at most one
// per side, the hard one if both a hard and a soft bound are crossed.
func (k *checker) limits(f orderField, q units.Quantity) []LimitCrossing {
	var low, high *LimitCrossing
	for _, l := range k.limitsFor(f) {
		if !l.q.IsValid() || l.q.Dimension() != q.Dimension() {
			continue
		}
		c := k.cmp(q, l.q)
		crossing := &LimitCrossing{Limit: l.name, Kind: l.kind, Bound: l.q}
		switch {
		case (l.kind == HardMax || l.kind == SoftMax) && c > 0:
			if high == nil || l.kind == HardMax && high.Kind != HardMax {
				high = crossing
			}
		case (l.kind == HardMin || l.kind == SoftMin) && c < 0:
			if low == nil || l.kind == HardMin && low.Kind != HardMin {
				low = crossing
			}
		}
	}
	var out []LimitCrossing
	for _, c := range []*LimitCrossing{low, high} {
		if c != nil {
			out = append(out, *c)
		}
	}
	return out
}

// errorFactor is a multiplicative error Check recognises: the ordered value is
// the expected one × num ÷ den.
type errorFactor struct {
	kind     CauseKind
	num, den decimal.Decimal
	label    string // "× 10"
	meaning  string
}

// errorFactors is a read-only table of the recognised factors, each with its
// inverse. The pounds factor is exact: 1 lb = 0.45359237 kg, so a weight in
// pounds read as kilograms is 1 ÷ 0.45359237 ≈ 2.2046 times too large.
var errorFactors = buildFactors()

func buildFactors() []errorFactor {
	d := decimal.NewFromInt
	base := []errorFactor{
		{CauseTenfold, d(10), d(1), "10", "a tenfold error (a slipped decimal point, or a zero added or dropped)"},
		{CauseHundredfold, d(100), d(1), "100", "a hundredfold error (a decimal point slipped two places)"},
		{CauseThousandfold, d(1000), d(1), "1,000", "a thousandfold error (mg and mcg, or mL and L, confused)"},
		{CauseMinuteHour, d(60), d(1), "60", "per-minute and per-hour confused (or minutes and hours)"},
		{CauseMcgMinMgHour, d(50), d(3), "16.67 (1,000 ÷ 60)", "mcg/kg/min and mg/kg/h (or mcg/min and mg/h) confused"},
		{CausePoundsKilograms, d(100000000), d(45359237), "2.2046 (1 kg = 2.2046 lb)", "a weight in pounds used as kilograms"},
	}
	var out []errorFactor
	for _, f := range base {
		inv := f
		inv.num, inv.den = f.den, f.num
		out = append(out, f, inv)
		out[len(out)-2].label = "× " + f.label
		out[len(out)-1].label = "÷ " + f.label
		if f.kind == CausePoundsKilograms {
			out[len(out)-1].meaning = "a weight in kilograms used as pounds"
		}
	}
	return out
}

// causes explains a mismatch of field f: first the recalculations with
// another stock or weight that give the ordered value, then the factors
// the ordered value is off by. Each kind is named once.
func (k *checker) causes(f orderField, ordered, expected units.Quantity) []Cause {
	var out []Cause
	has := func(kind CauseKind) bool {
		for _, c := range out {
			if c.Kind == kind {
				return true
			}
		}
		return false
	}
	tol := k.causeTolerance(*f.tolOf(&k.tol))
	ratio := k.ratio(ordered, expected)
	for _, h := range k.hypotheses() {
		if has(h.kind) {
			continue
		}
		alt := k.expected(f, h.res).q
		if !alt.IsValid() || alt.Dimension() != ordered.Dimension() || k.within(alt, expected, decOne, decOne, tol) || !k.within(ordered, alt, decOne, decOne, tol) {
			continue
		}
		evidence := show(ordered) + " matches " + show(k.conv(alt, ordered.Unit())) + ", the " + orderFields[f].title +
			" calculated with " + h.what + "; the protocol gives " + show(k.conv(expected, ordered.Unit()))
		if f == h.self {
			evidence = show(ordered) + " is " + h.selfEvidence
		}
		out = append(out, Cause{Kind: h.kind, Ratio: ratio, Factor: factorText(ratio), Evidence: evidence})
	}
	out = append(out, k.factorCauses(ordered, expected, tol, "", "the expected")...)
	if f == ofPumpRate {
		for _, c := range out {
			if c.Kind == CauseTenfold || c.Kind == CauseHundredfold || c.Kind == CauseThousandfold {
				out = append(out, Cause{Kind: CausePumpDecimalSlip, Ratio: ratio, Factor: factorText(ratio), Evidence: k.slip(ordered, expected)})
				break
			}
		}
	}
	// A hypothesis and a factor may name the same kind (pounds): keep the
	// first, the recalculation, which carries the fuller evidence.
	seen := map[CauseKind]bool{}
	kept := out[:0]
	for _, c := range out {
		if !seen[c.Kind] {
			seen[c.Kind] = true
			kept = append(kept, c)
		}
	}
	return kept
}

// causeTolerance is the band causes are recognised within: tol, or
// CauseTolerancePct where that is wider.
func (k *checker) causeTolerance(tol units.Quantity) units.Quantity {
	if floor := units.NewInt(CauseTolerancePct, units.Percent); k.cmp(tol, floor) < 0 {
		return floor
	}
	return tol
}

// slip describes a pump rate a power of ten off the expected one.
func (k *checker) slip(ordered, expected units.Quantity) string {
	want := k.conv(expected, ordered.Unit())
	s := show(ordered) + " programmed for " + show(want)
	if sameDigits(ordered.Value(), want.Value()) {
		return s + ": the same digits with the decimal point moved"
	}
	return s + ": a power of ten off, as from a decimal point slipped while rounding or keying"
}

// sameDigits reports whether a and b differ only by a power of ten (1.56
// and 156), comparing their significant digits exactly.
func sameDigits(a, b decimal.Decimal) bool {
	digits := func(d decimal.Decimal) string {
		s := d.Coefficient().String()
		return strings.TrimRight(s, "0")
	}
	return a.Sign() == b.Sign() && digits(a) == digits(b)
}

// factorCauses returns the recognised factors got is off from want by,
// within tol of the factor, read from got's side: "400 mg = the expected
// 40 mg × 10". gotName, if set, says where got comes from ("pump rate ×
// duration gives ").
func (k *checker) factorCauses(got, want, tol units.Quantity, gotName, wantName string) []Cause {
	var out []Cause
	for _, fa := range errorFactors {
		if !k.within(got, want, fa.num, fa.den, tol) {
			continue
		}
		ratio := k.ratio(got, want)
		out = append(out, Cause{Kind: fa.kind, Ratio: ratio, Factor: fa.label, Evidence: gotName + show(got) + " = " + wantName + " " +
			show(k.conv(want, got.Unit())) + " " + fa.label + ": " + fa.meaning})
	}
	return out
}

// factorText writes a ratio (in %) as a factor from the order's side:
// "× 5" for 500 %, "÷ 10" for 10 %, "× 1.2"; rounded to two places and
// marked "≈" where that drops digits.
func factorText(ratio units.Quantity) string {
	if !ratio.IsValid() || ratio.Sign() <= 0 {
		return ""
	}
	r := ratio.Value().Shift(-2)
	op := "× "
	if r.LessThan(decOne) {
		op, r = "÷ ", decOne.DivRound(r, units.Places)
	}
	q := units.New(r.Round(2), units.Percent)
	s := op + strings.TrimSuffix(q.String(), " %")
	if !q.Value().Equal(r) && !zeroBeyond(r.Round(exactPlaces), 2) {
		s = "≈ " + s
	}
	return s
}

// hypothesis is the calculation redone with one likely mistake.
type hypothesis struct {
	kind CauseKind
	what string // "the 50 mg/mL stock (the protocol also lists it) instead of 10 mg/mL"
	res  Result
	// self is the order field the mistake is made in (the stock, the
	// weight), whose evidence is said directly in selfEvidence.
	self         orderField
	selfEvidence string
}

// hypotheses returns the recalculations with another stock the protocol
// lists, with the other dosing weight (actual where the protocol's basis is
// not, ideal by each formula where it is), and with the weight in pounds
// read as kilograms. A recalculation the protocol refuses is left out.
// They are computed once, on the first mismatch.
func (k *checker) hypotheses() []hypothesis {
	if k.hypsDone {
		return k.hyps
	}
	k.hypsDone = true
	try := func(h hypothesis, rule Rule, p Patient) {
		var err error
		if h.res, err = Calculate(rule, p, k.opt); err == nil {
			k.hyps = append(k.hyps, h)
		}
	}
	r, p, exp := k.rule, k.patient, k.exp
	if prep := r.Preparation; prep != nil {
		for _, s := range prep.Stocks {
			if s.Dimension() != prep.Stock.Dimension() || k.cmp(s, prep.Stock) == 0 {
				continue
			}
			alt, other := r, *prep
			other.Stock = s
			alt.Preparation = &other
			try(hypothesis{kind: CauseWrongStock, what: "the " + s.String() + " stock (the protocol also lists it) instead of " + prep.Stock.String(),
				self: ofStock, selfEvidence: "another concentration the protocol lists (preparation.other_stocks); the protocol's stock is " + prep.Stock.String()}, alt, p)
		}
	}
	used := exp.Weight
	if used.Basis != Actual {
		alt := r
		alt.Weight = WeightPolicy{Basis: Actual}
		actual := show(k.conv(p.Weight, units.Kilogram))
		try(hypothesis{kind: CauseWrongWeight, what: "the actual body weight " + actual + " instead of the " + string(used.Basis) + " body weight " + show(used.Value) + " (the protocol's basis)",
			self: ofWeight, selfEvidence: "the actual body weight; the protocol doses on the " + string(used.Basis) + " body weight " + show(used.Value)}, alt, p)
	} else if p.Height.IsValid() && p.Sex != 0 {
		formulas := []IBWFormula{Devine, Robinson, Miller}
		if r.Weight.IBWFormula != "" {
			formulas = []IBWFormula{r.Weight.IBWFormula}
		}
		for _, f := range formulas {
			alt := r
			alt.Weight = WeightPolicy{Basis: Ideal, IBWFormula: f, ShortStature: r.Weight.ShortStature}
			ibw, _, err := IBW(f, p.Sex, p.Height, r.Weight.ShortStature)
			if err != nil {
				continue
			}
			try(hypothesis{kind: CauseWrongWeight, what: "the ideal body weight " + show(ibw) + " (" + string(f) + ") instead of the actual body weight " + show(used.Value) + " (the protocol's basis)",
				self: ofWeight, selfEvidence: "the ideal body weight (" + string(f) + "); the protocol doses on the actual body weight " + show(used.Value)}, alt, p)
		}
	}
	if p.Weight.IsValid() && p.Weight.Unit() != units.Pound {
		lb, err := p.Weight.Convert(units.Pound)
		if err == nil {
			alt := p
			alt.Weight = units.New(lb.Value(), units.Kilogram)
			try(hypothesis{kind: CausePoundsKilograms, what: "the weight in pounds (" + show(lb) + ") taken as kilograms",
				self: ofWeight, selfEvidence: "the patient's weight in pounds (" + show(lb) + ") taken as kilograms; the patient weighs " + show(p.Weight)}, r, alt)
		}
	}
	return k.hyps
}

// orderRelation is a relation between values of an order.
type orderRelation struct {
	id      string
	formula string
	stated  orderField
	inputs  []orderField
	// unless names fields whose presence makes the relation redundant
	// (another relation covers it).
	unless []orderField
	// wholeVolume marks relations that do not hold with a loading dose.
	wholeVolume bool
	// div: the stated value is the product of the inputs divided by the
	// last, as for an implication (formulaValue).
	div bool
}

// orderRelations is a read-only table of the relations Check tests.
var orderRelations = []orderRelation{
	{"dose_from_draw", "dose = volume drawn × stock concentration", ofDose, []orderField{ofDrawVolume, ofStock}, nil, false, false},
	{"dose_from_final", "dose = final volume × final concentration", ofDose, []orderField{ofFinalVolume, ofFinalConc}, nil, false, false},
	{"dose_from_per_kg", "dose = dose per kg × weight", ofDose, []orderField{ofDosePerKg, ofWeight}, nil, false, false},
	{"concentration_from_draw", "final concentration = volume drawn × stock concentration ÷ final volume", ofFinalConc, []orderField{ofDrawVolume, ofStock, ofFinalVolume}, []orderField{ofDose}, false, true},
	{"volume_from_rate", "final volume = pump rate × duration", ofFinalVolume, []orderField{ofPumpRate, ofDuration}, nil, true, false},
	{"dose_rate_from_pump", "dose rate = pump rate × final concentration", ofDoseRate, []orderField{ofPumpRate, ofFinalConc}, nil, false, false},
	{"dose_rate_from_dose", "dose rate = dose ÷ duration", ofDoseRate, []orderField{ofDose, ofDuration}, nil, true, true},
	{"dose_rate_per_kg_from_rate", "dose rate per kg = dose rate ÷ weight", ofDoseRatePerKg, []orderField{ofDoseRate, ofWeight}, nil, false, true},
	{"dose_rate_per_kg_from_pump", "dose rate per kg = pump rate × final concentration ÷ weight", ofDoseRatePerKg, []orderField{ofPumpRate, ofFinalConc, ofWeight}, []orderField{ofDoseRate}, false, true},
	{"drip_from_pump", "drip rate = pump rate × drop factor", ofDripRate, []orderField{ofPumpRate, ofDropFactor}, nil, false, false},
	{"drip_from_volume", "drip rate = final volume × drop factor ÷ duration", ofDripRate, []orderField{ofFinalVolume, ofDropFactor, ofDuration}, []orderField{ofPumpRate}, true, true},
}

// relate tests one relation of the order, if the order states all of its
// values.
func (k *checker) relate(rel orderRelation) (ConsistencyCheck, bool) {
	o := &k.order
	stated := *rel.stated.of(o)
	if !stated.IsValid() {
		return ConsistencyCheck{}, false
	}
	var in [3]units.Quantity
	for i, f := range rel.inputs {
		if in[i] = *f.of(o); !in[i].IsValid() {
			return ConsistencyCheck{}, false
		}
	}
	for _, f := range rel.unless {
		if f.of(o).IsValid() {
			return ConsistencyCheck{}, false
		}
	}
	if rel.wholeVolume && k.rule.Infusion != nil && k.rule.Infusion.Loading != nil {
		return ConsistencyCheck{}, false
	}
	derived, err := formulaValue(in[:len(rel.inputs)], rel.div)
	if k.fail(err); k.err != nil {
		return ConsistencyCheck{}, false
	}
	tol := *rel.stated.tolOf(&k.tol)
	c := ConsistencyCheck{ID: rel.id, Relation: rel.formula, Stated: stated, Tolerance: tol, Verdict: Match}
	c.Fields = make([]string, 0, 1+len(rel.inputs))
	c.Fields = append(c.Fields, rel.stated.String())
	for _, f := range rel.inputs {
		c.Fields = append(c.Fields, f.String())
	}
	c.Derived = k.conv(derived, stated.Unit())
	// From the order's side: what its other values give against what it
	// states, in % of the stated value.
	var within bool
	c.Deviation, c.DeviationPct, within = k.deviation(c.Derived, stated, stated, tol)
	if !within {
		c.Verdict = Mismatch
		_, rhs, _ := strings.Cut(rel.formula, " = ")
		c.Causes = k.factorCauses(c.Derived, stated, k.causeTolerance(tol), rhs+" gives ", "the stated "+orderFields[rel.stated].title)
	}
	return c, true
}

// impliedSource is an input of an implication: a field of the order (an
// orderField), or a value the order cannot state, taken from the protocol
// or the patient.
type impliedSource uint8

const (
	// srcWeight is the order's weight, or the patient's dosing weight
	// where the order states none.
	srcWeight impliedSource = iota + impliedSource(numOrderFields)
	// srcStrength is the strength of the protocol's dose form.
	srcStrength
	// srcDuration is the order's duration, or the protocol's where the
	// order states neither a duration nor a pump rate (a pump rate sets its
	// own run time).
	srcDuration
	// srcProtocolConc and srcProtocolVolume are the final concentration
	// and the volume to infuse of the protocol's own preparation, for an
	// order that states nothing of its preparation (no dose, dose per kg,
	// stock, volume, concentration or count): the bag it runs is the
	// protocol's.
	srcProtocolConc
	srcProtocolVolume
)

// implication is one way an order gives a value: the product of its
// inputs, divided by the last one where div is set.
type implication struct {
	id     string
	value  orderField
	inputs []impliedSource
	div    bool
	// noDose: only for an order that does not state its dose (by a dose,
	// a dose per kg, a draw with its stock, a final volume with its
	// concentration, a count). A rate over a duration gives the dose only
	// then: where the order states what the bag holds, the pump cannot give
	// more, and the rate is checked as a rate and against the dose by the
	// order's relations.
	noDose bool
	// unless: not where the order states this field: a volume pumped or a
	// run time where it states the bag's volume or the duration (the same
	// reasoning), and the arithmetic of a dose per kg × weight where it
	// states the dose that arithmetic gave (a capped order is written "1
	// mg/kg, 100 mg"); what is drawn, hung or counted always counts.
	unless orderField
	// wholeVolume marks implications that do not hold with a loading dose
	// (the maintenance rate runs only part of the bag).
	wholeVolume bool
}

// implications is a read-only table of what an order can give, each value
// first as stated. It is a table so that a new kind of order is a new row,
// every row checked against the same limits.
var implications = func() []implication {
	row := func(id string, v orderField, div bool, in ...impliedSource) implication {
		return implication{id: id, value: v, inputs: in, div: div, unless: noField}
	}
	f := func(o orderField) impliedSource { return impliedSource(o) }
	noDose := func(i implication) implication { i.noDose, i.wholeVolume = true, true; return i }
	unless := func(o orderField, i implication) implication { i.unless = o; return i }
	whole := func(i implication) implication { i.wholeVolume = true; return i }
	return []implication{
		row("dose", ofDose, false, f(ofDose)),
		row("dose_from_draw", ofDose, false, f(ofDrawVolume), f(ofStock)),
		row("dose_from_final", ofDose, false, f(ofFinalVolume), f(ofFinalConc)),
		unless(ofDose, row("dose_from_per_kg", ofDose, false, f(ofDosePerKg), srcWeight)),
		row("dose_from_count", ofDose, false, f(ofCount), srcStrength),
		noDose(row("dose_from_pump", ofDose, false, f(ofPumpRate), f(ofDuration), f(ofFinalConc))),
		noDose(row("dose_from_dose_rate", ofDose, false, f(ofDoseRate), srcDuration)),
		noDose(row("dose_from_dose_rate_per_kg", ofDose, false, f(ofDoseRatePerKg), srcWeight, srcDuration)),
		row("dose_per_kg", ofDosePerKg, false, f(ofDosePerKg)),
		row("dose_rate", ofDoseRate, false, f(ofDoseRate)),
		row("dose_rate_from_pump", ofDoseRate, false, f(ofPumpRate), f(ofFinalConc)),
		row("dose_rate_from_pump_draw", ofDoseRate, true, f(ofPumpRate), f(ofDrawVolume), f(ofStock), f(ofFinalVolume)),
		row("dose_rate_from_pump_dose", ofDoseRate, true, f(ofPumpRate), f(ofDose), f(ofFinalVolume)),
		row("dose_rate_from_pump_protocol", ofDoseRate, false, f(ofPumpRate), srcProtocolConc),
		unless(ofDoseRate, row("dose_rate_from_per_kg", ofDoseRate, false, f(ofDoseRatePerKg), srcWeight)),
		whole(row("dose_rate_from_dose", ofDoseRate, true, f(ofDose), srcDuration)),
		whole(row("dose_rate_from_draw", ofDoseRate, true, f(ofDrawVolume), f(ofStock), srcDuration)),
		row("dose_rate_per_kg", ofDoseRatePerKg, false, f(ofDoseRatePerKg)),
		row("final_concentration", ofFinalConc, false, f(ofFinalConc)),
		row("final_concentration_from_draw", ofFinalConc, true, f(ofDrawVolume), f(ofStock), f(ofFinalVolume)),
		row("final_concentration_from_dose", ofFinalConc, true, f(ofDose), f(ofFinalVolume)),
		row("final_volume", ofFinalVolume, false, f(ofFinalVolume)),
		whole(unless(ofFinalVolume, row("final_volume_from_pump", ofFinalVolume, false, f(ofPumpRate), f(ofDuration)))),
		row("pump_rate", ofPumpRate, false, f(ofPumpRate)),
		row("duration", ofDuration, false, f(ofDuration)),
		whole(unless(ofDuration, row("duration_from_pump", ofDuration, true, f(ofFinalVolume), f(ofPumpRate)))),
		unless(ofDuration, row("duration_from_pump_protocol", ofDuration, true, srcProtocolVolume, f(ofPumpRate))),
		row("count", ofCount, false, f(ofCount)),
	}
}()

// protocolUnit is the unit the protocol states values of q's dimension in:
// its dose's, where that is of the same dimension (a protocol in mcg/kg/min
// is answered in mcg/kg/min), else def.
func (k *checker) protocolUnit(q units.Quantity, def units.Unit) units.Unit {
	if d := k.rule.Dose; d.IsValid() && d.Dimension() == q.Dimension() {
		return d.Unit()
	}
	if !def.IsValid() {
		return q.Unit()
	}
	return def
}

// settle keeps a derived value at exactPlaces decimal places: beyond them
// its digits are the trace of a division kept at units.Places, and a limit
// is not crossed by a trace.
func settle(q units.Quantity) units.Quantity {
	if !q.IsValid() || q.Value().Exponent() >= -exactPlaces {
		return q
	}
	return units.New(q.Value().Round(exactPlaces), q.Unit())
}

// statesDose reports whether the order states what its bag (or its dose
// forms) holds: a dose, a dose per kg, a count, a draw with its stock, a
// final volume with its concentration.
func (o *Order) statesDose() bool {
	return o.Dose.IsValid() || o.DosePerKg.IsValid() || o.Count.IsValid() ||
		o.DrawVolume.IsValid() && o.Stock.IsValid() || o.FinalVolume.IsValid() && o.FinalConc.IsValid()
}

// statesPreparation reports whether the order states anything of what is
// prepared; if not, what it runs is the protocol's preparation.
func (o *Order) statesPreparation() bool {
	return o.Dose.IsValid() || o.DosePerKg.IsValid() || o.Count.IsValid() || o.Stock.IsValid() ||
		o.DrawVolume.IsValid() || o.FinalVolume.IsValid() || o.FinalConc.IsValid()
}

// source returns an implication's input: its value, its name in a formula,
// and where it comes from; ok is false where it is not available.
func (k *checker) source(s impliedSource) (Term, bool) {
	o := &k.order
	if s < impliedSource(numOrderFields) {
		f := orderField(s)
		q := *f.of(o)
		return term(orderFields[f].title, q, "order"), q.IsValid()
	}
	exp := k.exp
	switch s {
	case srcWeight:
		if o.Weight.IsValid() {
			return term("weight", o.Weight, "order"), true
		}
		return term("dosing weight", exp.Weight.Value, "patient"), exp.Weight.Value.IsValid()
	case srcStrength:
		if f := k.rule.Form; f != nil {
			return term("strength", f.Strength, "protocol"), true
		}
	case srcDuration:
		if o.Duration.IsValid() {
			return term("duration", o.Duration, "order"), true
		}
		if ir := exp.Infusion; ir != nil && !o.PumpRate.IsValid() {
			d := ir.Duration
			if in := k.rule.Infusion; in != nil && k.cmp(in.Duration, d) == 0 {
				d = in.Duration // as the protocol writes it: 4 h, not 240 min
			}
			return term("the protocol's duration", d, "protocol"), true
		}
	case srcProtocolConc:
		if pr := exp.Preparation; pr != nil && pr.FinalConc.IsValid() && !o.statesPreparation() {
			return term("the protocol's final concentration", pr.FinalConc, "protocol"), true
		}
	case srcProtocolVolume:
		if ir := exp.Infusion; ir != nil && !o.statesPreparation() {
			return term("the protocol's volume", ir.VTBI, "protocol"), true
		}
	}
	return Term{}, false
}

// implied evaluates every implication the order's values allow and
// checks each value against the rule's limits. Values that come out equal
// are one ImpliedValue with each derivation in From. An implication whose
// arithmetic fails (a product beyond what a quantity holds) is left out
// with a note.
func (k *checker) implied() ([]ImpliedValue, []string) {
	out := []ImpliedValue{} // always a list in JSON, empty for a stock alone
	var notes []string
	loading := k.rule.Infusion != nil && k.rule.Infusion.Loading != nil
	statesDose := k.order.statesDose()
	for _, im := range implications {
		if im.noDose && statesDose || im.wholeVolume && loading || im.unless < numOrderFields && im.unless.of(&k.order).IsValid() {
			continue
		}
		d := Derivation{ID: im.id, Inputs: make([]Term, 0, len(im.inputs))}
		names := make([]string, 0, len(im.inputs))
		vals := make([]units.Quantity, 0, 4) // on the stack: four inputs at most, so far
		ok := true
		for _, s := range im.inputs {
			t, have := k.source(s)
			if !have {
				ok = false
				break
			}
			d.Inputs = append(d.Inputs, t)
			names = append(names, t.Name)
			vals = append(vals, t.Value)
		}
		if !ok {
			continue
		}
		q, err := formulaValue(vals, im.div)
		if err == nil {
			q, err = q.Convert(k.protocolUnit(q, im.value.desc().unit))
		}
		if err != nil {
			notes = append(notes, "what the order gives by "+im.id+" could not be computed: "+err.Error())
			continue
		}
		q = settle(q)
		switch {
		case len(names) == 1:
			d.Formula = "as stated"
		case im.div:
			d.Formula = strings.Join(names[:len(names)-1], " × ") + " ÷ " + names[len(names)-1]
		default:
			d.Formula = strings.Join(names, " × ")
		}
		merged := false
		for i := range out {
			if out[i].Value == orderFields[im.value].name && out[i].Gives.Dimension() == q.Dimension() && k.cmp(out[i].Gives, q) == 0 {
				out[i].From = append(out[i].From, d)
				merged = true
				break
			}
		}
		if merged {
			continue
		}
		v := ImpliedValue{Value: orderFields[im.value].name, Gives: q, From: []Derivation{d}}
		v.Limits = k.crossings(im.value, q)
		if d := im.value.desc(); d.perKg != noField && k.exp.Weight.Value.IsValid() {
			if pk, err := q.DivTo(k.exp.Weight.Value, k.protocolUnit(units.NewInt(1, d.perKgUnit), d.perKgUnit)); err == nil {
				v.PerKg = settle(pk)
				v.Limits = append(v.Limits, k.crossings(d.perKg, v.PerKg)...)
			}
		}
		out = append(out, v)
	}
	return out, notes
}

// formulaValue is the product of the inputs, divided by the last where
// div is set: every product exact, one division at the end. With a
// division the first input multiplies last (a × (b × c) ÷ d, through
// MulDiv), so that a pump rate times a dose over a volume never needs a
// unit for mL/h × mg. The order's relations and its implications compute
// their formulas with it.
func formulaValue(in []units.Quantity, div bool) (units.Quantity, error) {
	mul := func(qs []units.Quantity) (units.Quantity, error) {
		q := qs[0]
		for _, x := range qs[1:] {
			var err error
			if q, err = q.Mul(x); err != nil {
				return units.Quantity{}, err
			}
		}
		return q, nil
	}
	n := len(in)
	switch {
	case !div:
		return mul(in)
	case n == 2:
		return in[0].Div(in[1])
	}
	m, err := mul(in[1 : n-1])
	if err != nil {
		return units.Quantity{}, err
	}
	return in[0].MulDiv(m, in[n-1])
}

// crossings returns every cap and limit of the rule on field f that q
// crosses: on each side the hard ones, or the soft ones where no hard one
// is. A dose's cap per kg is left to its value per kg.
func (k *checker) crossings(f orderField, q units.Quantity) []LimitCrossing {
	var hard, soft [2][]LimitCrossing // [0] below, [1] above
	for _, l := range k.limitsFor(f) {
		if !l.q.IsValid() || l.q.Dimension() != q.Dimension() || f == ofDose && l.name == "cap_per_kg × dosing weight" {
			continue
		}
		c := k.cmp(q, l.q)
		side := -1
		switch {
		case (l.kind == HardMax || l.kind == SoftMax) && c > 0:
			side = 1
		case (l.kind == HardMin || l.kind == SoftMin) && c < 0:
			side = 0
		}
		if side < 0 {
			continue
		}
		x := LimitCrossing{Limit: l.name, Kind: l.kind, Bound: l.q, Value: q}
		if l.kind == HardMax || l.kind == HardMin {
			hard[side] = append(hard[side], x)
		} else {
			soft[side] = append(soft[side], x)
		}
	}
	var out []LimitCrossing
	for side := range 2 {
		xs := soft[side]
		if len(hard[side]) > 0 {
			xs = hard[side]
		}
		// The limits first, then the caps (a cap clamps the protocol's own
		// dose; an order past it is past a hard maximum all the same).
		for _, caps := range []bool{false, true} {
			for _, x := range xs {
				if strings.HasPrefix(x.Limit, "cap") == caps {
					out = append(out, x)
				}
			}
		}
	}
	return out
}

// likelyCauses gathers the causes named on fields and relations: the kinds
// that explain the most places first, ties in the order of causeOrder.
func likelyCauses(fields []FieldCheck, rels []ConsistencyCheck) []LikelyCause {
	var out []LikelyCause
	add := func(kind CauseKind, where string) {
		for i := range out {
			if out[i].Kind == kind {
				if out[i].Where[len(out[i].Where)-1] != where {
					out[i].Where = append(out[i].Where, where)
				}
				return
			}
		}
		out = append(out, LikelyCause{Kind: kind, Where: []string{where}})
	}
	for _, f := range fields {
		for _, c := range f.Causes {
			add(c.Kind, f.Field)
		}
	}
	for _, r := range rels {
		for _, c := range r.Causes {
			add(c.Kind, r.ID)
		}
	}
	rank := func(kind CauseKind) int {
		for i, k := range causeOrder {
			if k == kind {
				return i
			}
		}
		return len(causeOrder)
	}
	// Insertion sort: a handful of entries, and the order must be stable.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0; j-- {
			a, b := out[j-1], out[j]
			if len(b.Where) > len(a.Where) || len(b.Where) == len(a.Where) && rank(b.Kind) < rank(a.Kind) {
				out[j-1], out[j] = b, a
			}
		}
	}
	return out
}

// causeOrder ranks cause kinds for ties: recalculations first (they explain
// how the error happened), then the factors by size.
var causeOrder = []CauseKind{CauseWrongStock, CauseWrongWeight, CausePoundsKilograms, CausePumpDecimalSlip,
	CauseTenfold, CauseHundredfold, CauseThousandfold, CauseMinuteHour, CauseMcgMinMgHour}

// checkSummary writes the verdict: a line for each value the order gives
// beyond a hard limit or cap, then one for each beyond a soft limit, then
// the paragraph on agreement and consistency.
func checkSummary(r CheckResult) string {
	var b strings.Builder
	for _, hard := range []bool{true, false} {
		for _, v := range r.Implied {
			if len(v.Limits) > 0 && v.Beyond() == hard {
				b.WriteString(impliedLine(v) + "\n")
			}
		}
	}
	var bad, ok, none []string
	for _, f := range r.Fields {
		switch f.Verdict {
		case Mismatch:
			bad = append(bad, f.Field)
		case Match:
			ok = append(ok, f.Field)
		default:
			none = append(none, f.Field)
		}
	}
	switch {
	case r.Matches():
		b.WriteString("MATCH: ")
	case r.Agreement == Mismatch || r.Consistency == Mismatch || r.Limits == Mismatch:
		b.WriteString("MISMATCH: ")
	default:
		// Nothing disagreed, but nothing could be compared either: the
		// order is not confirmed, which is not the same as wrong.
		b.WriteString("NOT CONFIRMED: ")
	}
	compared := len(bad) + len(ok)
	switch {
	case compared == 0 && r.Limits == Mismatch:
		b.WriteString("as written the order is beyond a hard limit; the protocol defines none of the ordered values (" + strings.Join(none, ", ") + ")")
		none = nil
	case compared == 0:
		b.WriteString("the protocol defines none of the ordered values (" + strings.Join(none, ", ") + ")")
		none = nil
	case len(bad) == 0 && r.Limits == Mismatch:
		b.WriteString("as written the order is beyond a hard limit, though all " + strconv.Itoa(compared) + " values compared agree with the protocol")
	case len(bad) == 0:
		b.WriteString("all " + strconv.Itoa(compared) + " values compared agree with the protocol")
	default:
		b.WriteString(strconv.Itoa(len(bad)) + " of " + strconv.Itoa(compared) + " values disagree with the protocol (" + strings.Join(bad, ", ") + ")")
	}
	if len(none) > 0 {
		b.WriteString("; not in the protocol: " + strings.Join(none, ", "))
	}
	var soft []string
	for _, f := range r.Fields {
		for _, l := range f.Limits {
			if l.Kind == SoftMax || l.Kind == SoftMin {
				soft = append(soft, f.Field)
				break
			}
		}
	}
	if len(soft) > 0 {
		b.WriteString("; beyond a soft limit, for review: " + strings.Join(soft, ", "))
	}
	var failed []string
	for _, c := range r.Relations {
		if c.Verdict == Mismatch {
			failed = append(failed, c.ID)
		}
	}
	switch {
	case len(r.Relations) == 0:
		b.WriteString("; no relation of the order could be checked")
	case len(failed) == 0:
		b.WriteString("; the order is consistent with itself (" + countOf(len(r.Relations), "relation") + ")")
		if len(bad) > 0 {
			b.WriteString(": a consistent but wrong order")
		}
	default:
		b.WriteString("; the order contradicts itself (" + strings.Join(failed, ", ") + ")")
	}
	if len(r.LikelyCauses) > 0 {
		lc := r.LikelyCauses[0]
		b.WriteString(". Likely cause: " + string(lc.Kind) + " (" + strings.Join(lc.Where, ", ") + ")")
	}
	b.WriteString(".")
	return b.String()
}

// impliedLine writes a value the order gives beyond a limit as one line of
// the verdict: "as written this order gives 200 mg (2.5 mg/kg), by volume
// drawn 4 mL × stock concentration 50 mg/mL: above the hard maximum 100 mg
// (limits.dose.hard_max); 2.5 mg/kg is above the hard maximum 1 mg/kg
// (limits.dose_per_kg.hard_max)". A soft crossing is marked for review.
func impliedLine(v ImpliedValue) string {
	var b strings.Builder
	if !v.Beyond() {
		b.WriteString("for review: ")
	}
	b.WriteString("as written this order " + fieldByKey(v.Value).desc().verb + " " + show(v.Gives))
	if v.PerKg.IsValid() {
		b.WriteString(" (" + show(v.PerKg) + ")")
	}
	if d := v.From[0]; d.Formula != "as stated" {
		b.WriteString(", by " + formulaWithValues(d))
	}
	b.WriteString(": ")
	var own, perKg []LimitCrossing
	for _, l := range v.Limits {
		if l.Value.Equal(v.PerKg) && v.PerKg.IsValid() && l.Value.Dimension() != v.Gives.Dimension() {
			perKg = append(perKg, l)
		} else {
			own = append(own, l)
		}
	}
	b.WriteString(crossingText(own))
	if len(perKg) > 0 {
		if len(own) > 0 {
			b.WriteString("; " + show(v.PerKg) + " is ")
		}
		b.WriteString(crossingText(perKg))
	}
	return b.String()
}

// formulaWithValues writes a derivation with its values: "volume drawn
// 4 mL × stock concentration 50 mg/mL".
func formulaWithValues(d Derivation) string {
	s, at := d.Formula, 0
	for _, t := range d.Inputs {
		i := strings.Index(s[at:], t.Name)
		if i < 0 {
			continue
		}
		with := t.Name + " " + show(t.Value)
		s = s[:at+i] + with + s[at+i+len(t.Name):]
		at += i + len(with)
	}
	return s
}

// crossingText writes limits crossed: "above the hard maximum 100 mg
// (limits.dose.hard_max) and the cap 100 mg (cap)", below ones after.
func crossingText(ls []LimitCrossing) string {
	var above, below []string
	for _, l := range ls {
		t := "the " + limitWords(l) + " " + show(l.Bound)
		if l.Limit != "cap" {
			t += " (" + l.Limit + ")"
		}
		if l.Kind == HardMin || l.Kind == SoftMin {
			below = append(below, t)
		} else {
			above = append(above, t)
		}
	}
	and := func(xs []string) string {
		if len(xs) < 2 {
			return strings.Join(xs, "")
		}
		return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
	}
	var parts []string
	if len(above) > 0 {
		parts = append(parts, "above "+and(above))
	}
	if len(below) > 0 {
		parts = append(parts, "below "+and(below))
	}
	return strings.Join(parts, "; ")
}

// limitWords names a limit for people: "hard maximum", "cap", "pump's
// maximum rate".
func limitWords(l LimitCrossing) string {
	switch {
	case strings.HasPrefix(l.Limit, "cap"):
		return "cap"
	case l.Limit == "infusion.pump.max_rate":
		return "pump's maximum rate"
	case l.Limit == "infusion.pump.min_rate":
		return "pump's minimum rate"
	case l.Limit == "infusion.pump.min_duration":
		return "pump's minimum duration"
	case l.Limit == "form.max_count":
		return "largest number of dose forms"
	case l.Limit == "form.min_count":
		return "smallest number of dose forms"
	}
	return map[LimitKind]string{HardMax: "hard maximum", HardMin: "hard minimum", SoftMax: "soft maximum", SoftMin: "soft minimum"}[l.Kind]
}

// countOf writes "1 relation", "3 relations".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
