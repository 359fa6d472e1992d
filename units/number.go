package units

import "github.com/shopspring/decimal"

// Number is an exact decimal number without a unit, for the arithmetic of
// a formula or a test on the values of quantities: a body mass index, an
// ideal-weight line, |deviation| × 100 against a tolerance. Its operations
// are shopspring/decimal's, named as decimal names them and giving the same
// coefficient and exponent in every result, so that code written on
// decimal.Decimal reads and computes the same on Number; like a Quantity's
// value, it is computed in fixed-width integers, without allocating, while
// its coefficients fit in 128 bits (the package doc). It never reads
// decimal's package settings. The zero Number is 0.
type Number struct{ v dec }

// NewNumber returns coef × 10^exp (decimal.New).
func NewNumber(coef int64, exp int32) Number {
	d := decInt(coef)
	d.exp = exp
	return Number{d}
}

// NumberOf returns d as a Number.
func NumberOf(d decimal.Decimal) Number { return Number{decOf(d)} }

// Number returns q's exact value (Value as a Number); the invalid Quantity
// gives 0.
func (q Quantity) Number() Number {
	v := q.v
	v.u = 0
	return Number{v}
}

// Quantity returns n in unit u, as New does: rounded half away from zero
// at Places decimal places where it has more; the invalid Quantity if u is
// not a unit.
func (n Number) Quantity(u Unit) Quantity {
	if !u.IsValid() {
		return Quantity{}
	}
	return mk(decBound(n.v), u)
}

// Decimal returns n as a decimal.Decimal (allocating).
func (n Number) Decimal() decimal.Decimal { return n.v.decimal() }

// String returns n exactly, without trailing zeros or thousands
// separators ("0.5", "-12.25", "1000").
func (n Number) String() string { return formatNumber(n.v, false) }

// Add returns n + o.
func (n Number) Add(o Number) Number { return Number{decAdd(n.v, o.v)} }

// Sub returns n − o.
func (n Number) Sub(o Number) Number { return Number{decSub(n.v, o.v)} }

// Mul returns n × o, exactly (decimal's Mul: the exponents add; never
// rounded).
func (n Number) Mul(o Number) Number { return Number{decProduct(n.v, o.v)} }

// Neg returns −n.
func (n Number) Neg() Number { return Number{n.v.negate()} }

// Abs returns |n|.
func (n Number) Abs() Number { return Number{n.v.abs()} }

// Shift returns n × 10^k, by its exponent (decimal's Shift).
func (n Number) Shift(k int32) Number {
	if e, ok := exp32(int64(n.v.exp) + int64(k)); ok {
		d := n.v
		d.exp = e
		return Number{d}
	}
	return Number{decOf(n.v.decimal().Shift(k))} // decimal panics on the overflow, as it did
}

// DivRound returns n ÷ d rounded half away from zero to an integer multiple
// of 10^−places (decimal's DivRound). d must not be zero.
func (n Number) DivRound(d Number, places int32) Number {
	if x, ok := n.v.wide(); ok {
		if y, ok := d.v.wide(); ok && x.divRoundBy(&y, places) {
			return Number{x.decAny()}
		}
	}
	return Number{decOf(n.v.decimal().DivRound(d.v.decimal(), places))}
}

// Quotient returns n ÷ d as the package divides and whether that is the
// exact quotient, as the function Quotient does. d must not be zero.
func (n Number) Quotient(d Number) (Number, bool) {
	q := n.DivRound(d, Places)
	return q, q.Mul(d).Equal(n)
}

// Round returns n rounded half away from zero to the given number of
// decimal places, at exactly that exponent (decimal's Round).
func (n Number) Round(places int32) Number {
	if w, ok := n.v.wide(); ok {
		if r, ok := w.round(places); ok {
			return Number{r.decAny()}
		}
	}
	return Number{decOf(n.v.decimal().Round(places))}
}

// Cmp returns -1, 0 or +1 for n < o, n = o, n > o.
func (n Number) Cmp(o Number) int { return n.v.cmp(o.v) }

// Equal reports whether n and o are numerically equal (1.50 = 1.5).
func (n Number) Equal(o Number) bool { return n.v.equal(o.v) }

// LessThan reports n < o.
func (n Number) LessThan(o Number) bool { return n.v.cmp(o.v) < 0 }

// GreaterThan reports n > o.
func (n Number) GreaterThan(o Number) bool { return n.v.cmp(o.v) > 0 }

// Sign returns -1, 0 or +1.
func (n Number) Sign() int { return n.v.sign() }

// IsZero reports n = 0.
func (n Number) IsZero() bool { return n.v.isZero() }

// InexactFloat64 returns the float64 nearest n (decimal's
// InexactFloat64), for the float formulas.
func (n Number) InexactFloat64() float64 { return n.v.inexactFloat64() }

// Exponent returns the exponent of n (decimal's Exponent).
func (n Number) Exponent() int32 { return n.v.exp }
