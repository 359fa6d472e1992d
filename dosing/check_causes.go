package dosing

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// causeTolerancePct is the narrowest band, in %, within which Check
// recognises a likely cause: a factor (×10, ×2.2046…) or a recalculation
// with another stock or weight. A mistaken value is usually rounded too
// (88.2 mg for 0.5 mg/kg × 176.37), so a cause is recognised within the
// field's tolerance or this, whichever is wider, even where agreement
// itself is exact (the stock, the drop factor, the count).
const causeTolerancePct = 5

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
	// CausePerDayPerDose: × or ÷ the protocol's doses per day: the day's
	// dose given as each dose, or each dose written as the day's.
	CausePerDayPerDose CauseKind = "per_day_per_dose"
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

// LikelyCause gathers the fields and relations a cause explains, so that
// the strongest explanation of an order can be read first.
type LikelyCause struct {
	Kind  CauseKind `json:"kind"`
	Where []string  `json:"where"` // field names and relation ids
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
	if actual := k.patient.Weight; f == ofWeight && actual.IsValid() && !k.within(expected, actual, decOne, decOne, tol) {
		// The protocol doses on another weight than the actual one (ideal,
		// adjusted, lean), which a slip in the actual weight (pounds taken
		// as kilograms, a tenfold error) does not move: an order's weight
		// off by a factor from the actual weight is that slip.
		out = append(out, k.factorCauses(ordered, actual, tol, "", "the patient's actual weight")...)
	}
	out = append(out, k.perDayCause(f, ordered, expected, tol)...)
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

// perDayCause names a dose that is the day's dose (× doses per day) or a
// dose per day that is one dose (÷ doses per day), for a protocol with more
// than one dose a day.
func (k *checker) perDayCause(f orderField, ordered, expected units.Quantity, tol units.Quantity) []Cause {
	n := k.rule.DosesPerDay
	if n < 2 {
		return nil
	}
	nd := decimal.NewFromInt(int64(n))
	perDose := f == ofDose || f == ofDosePerKg || f == ofDrawVolume || f == ofCount
	perDay := f == ofDosePerDay || f == ofDosePerKgPerDay
	var label, what string
	switch {
	case perDose && k.within(ordered, expected, nd, decOne, tol):
		label, what = "× "+strconv.Itoa(n), "the dose per day given as each of the "+dosesText(n)+" a day"
	case perDay && k.within(ordered, expected, decOne, nd, tol):
		label, what = "÷ "+strconv.Itoa(n), "one dose written as the dose per day ("+dosesText(n)+" a day)"
	default:
		return nil
	}
	return []Cause{{Kind: CausePerDayPerDose, Ratio: k.ratio(ordered, expected), Factor: label,
		Evidence: show(ordered) + " = the expected " + show(k.conv(expected, ordered.Unit())) + " " + label + ": " + what}}
}

// causeTolerance is the band causes are recognised within: tol, or
// causeTolerancePct where that is wider.
func (k *checker) causeTolerance(tol units.Quantity) units.Quantity {
	if floor := units.NewInt(causeTolerancePct, units.Percent); k.cmp(tol, floor) < 0 {
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
	if !q.Value().Equal(r) && !zeroBeyond(units.New(r.Round(exactPlaces), units.Percent), 2) {
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
	if p.Weight.Unit() == units.Kilogram {
		// The other way round: the patient's weight as given is pounds
		// entered as kilograms, and the order was written for the weight
		// the patient has. Through the rule's own weight policy, so that a
		// protocol dosing on the ideal weight above a BMI (which 176 "kg"
		// reaches and 176 lb does not) is explained too.
		alt := p
		alt.Weight = units.New(p.Weight.Value(), units.Pound)
		kg := show(k.conv(alt.Weight, units.Kilogram))
		try(hypothesis{kind: CausePoundsKilograms, what: "the weight " + show(p.Weight) + " read as pounds (" + show(alt.Weight) + " = " + kg + ")",
			self: ofWeight, selfEvidence: "the patient's weight if " + show(p.Weight) + " was pounds entered as kilograms (" + show(alt.Weight) + " = " + kg + ")"}, r, alt)
	}
	return k.hyps
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

// poundsFirst puts the pounds-as-kilograms cause first when the patient's
// weight itself looks like pounds (the review warning
// patient.weight_may_be_pounds of the expected result): the one cause the
// patient's own numbers point to comes before a coincidence of the
// calculation (another stock that happens to round to the ordered dose).
func poundsFirst(causes []LikelyCause, exp Result) []LikelyCause {
	i := slices.IndexFunc(causes, func(c LikelyCause) bool { return c.Kind == CausePoundsKilograms })
	if i <= 0 || !slices.ContainsFunc(exp.Warnings, func(w Warning) bool { return w.Key == "patient.weight_may_be_pounds" }) {
		return causes
	}
	c := causes[i]
	copy(causes[1:i+1], causes[:i])
	causes[0] = c
	return causes
}

// causeOrder ranks cause kinds for ties: recalculations first (they explain
// how the error happened), then the factors by size.
var causeOrder = []CauseKind{CauseWrongStock, CauseWrongWeight, CausePoundsKilograms, CausePerDayPerDose, CausePumpDecimalSlip,
	CauseTenfold, CauseHundredfold, CauseThousandfold, CauseMinuteHour, CauseMcgMinMgHour}
