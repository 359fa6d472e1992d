package dosing

import (
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

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
func exactIn(q units.Quantity) bool { return q.IsValid() && q.Exponent() > -units.Places }

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
