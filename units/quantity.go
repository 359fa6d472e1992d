package units

import (
	"math"

	"github.com/shopspring/decimal"
)

// Places is the number of decimal places an operation keeps when its exact
// result does not fit in a finite decimal (a division such as 1 mg ÷ 3 mL, a
// conversion such as mL/h → mL/min) or has more places than this. Such
// results are rounded half away from zero at this many places; every other result is
// exact. Thirty places is far below any clinical resolution: a value of up to
// 20 decimal places converted to another unit and back, then rounded to its
// own places, is unchanged (of the conversions that round, week ↔ second has
// the largest ratio and magnifies the 30th-place rounding by 604800; see the
// conversion laws in the tests).
const Places = 30

// Quantity is an immutable, exact decimal amount in a Unit: "0.5 mg/kg",
// "156 mL/h". The zero Quantity is invalid (IsValid reports false) and every
// operation refuses it with an error, so a missing weight or an unset limit
// can never be read as 0.
//
// Use Equal or Cmp, not ==: 1.50 mg and 1.5 mg are equal, and a large
// value is held through a pointer.
type Quantity struct {
	v dec // its value, and in v.u its unit (a Quantity is 32 bytes)
}

// mk is the quantity v u.
func mk(v dec, u Unit) Quantity {
	v.u = u
	return Quantity{v: v}
}

// New returns the quantity v u. It returns the invalid zero Quantity if u is
// not a valid unit.
func New(v decimal.Decimal, u Unit) Quantity {
	if !u.IsValid() {
		return Quantity{}
	}
	return mk(decBound(decOf(v)), u)
}

// NewInt returns the quantity n u, for counts and round numbers in code.
func NewInt(n int64, u Unit) Quantity {
	if !u.IsValid() {
		return Quantity{}
	}
	return mk(decInt(n), u)
}

// IsValid reports whether q is a quantity rather than the zero Quantity.
func (q Quantity) IsValid() bool { return q.v.u.IsValid() }

// Value returns the exact decimal value in q's unit.
func (q Quantity) Value() decimal.Decimal { return q.v.decimal() }

// Coefficient returns q's value as coef × 10^exp (the coefficient and
// exponent of Value) when coef fits an int64, without building the
// decimal; ok is false otherwise. exp is the exponent either way.
func (q Quantity) Coefficient() (coef int64, exp int32, ok bool) { return q.v.coefficient() }

func (d dec) coefficient() (coef int64, exp int32, ok bool) {
	if d.b != nil || d.hi != 0 || d.lo > math.MaxInt64 && !(d.neg && d.lo == 1<<63) {
		return 0, d.exp, false
	}
	if coef = int64(d.lo); d.neg {
		coef = -coef
	}
	return coef, d.exp, true
}

// Exponent returns the exponent of q's exact value (Value's Exponent): a
// value computed with a division that was kept at Places has −Places.
func (q Quantity) Exponent() int32 { return q.v.exp }

// Round returns q rounded half away from zero to the given number of
// decimal places, with exactly that exponent (decimal's Round): for display
// and for settling a value, never for a rounding the protocol declares
// (RoundTo).
func (q Quantity) Round(places int32) Quantity {
	if !q.IsValid() {
		return q
	}
	if w, ok := q.v.wide(); ok {
		if r, ok := w.round(places); ok {
			return mk(r.decAny(), q.v.u)
		}
	}
	return mk(decOf(q.v.decimal().Round(places)), q.v.u)
}

// Truncate returns q cut toward zero at the given number of decimal places
// (decimal's Truncate: a value with fewer places is returned as it is).
func (q Quantity) Truncate(places int32) Quantity {
	if !q.IsValid() || -places <= q.v.exp {
		return q
	}
	if w, ok := q.v.wide(); ok {
		if r, ok := w.rescale(-places); ok {
			return mk(r.decAny(), q.v.u)
		}
	}
	return mk(decOf(q.v.decimal().Truncate(places)), q.v.u)
}

// ZeroBeyond reports whether q has no non-zero digit beyond the given
// number of decimal places (40.000 mg has none beyond 0; 0.333… mL, kept at
// Places, has).
func (q Quantity) ZeroBeyond(places int32) bool { return q.v.zeroBeyond(places) }

// InexactFloat64 returns the float64 nearest q's value in its unit, as
// decimal's InexactFloat64 does, for the float formulas (power laws, PK)
// that convert at a documented precision.
func (q Quantity) InexactFloat64() float64 { return q.v.inexactFloat64() }

func (d dec) inexactFloat64() float64 {
	if c, e, ok := d.coefficient(); ok && e <= 0 && e >= -22 && c >= -1<<53 && c <= 1<<53 {
		return float64(c) / float64Pow10[-e] // exact operands: one correctly rounded division
	}
	return d.decimal().InexactFloat64()
}

// float64Pow10 holds the powers of ten float64 represents exactly.
var float64Pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// Unit returns q's unit.
func (q Quantity) Unit() Unit { return q.v.u }

// Dimension returns the dimension of q's unit.
func (q Quantity) Dimension() Dimension { return q.v.u.Dimension() }

// Sign returns -1, 0 or +1 for a negative, zero or positive q.
func (q Quantity) Sign() int { return q.v.sign() }

// Equal reports whether q and o have the same unit and numerically equal
// values (1.50 mg equals 1.5 mg; 1 mg does not equal 1000 mcg: use Cmp to
// compare across units). Two invalid quantities are equal. go-cmp uses this
// method.
func (q Quantity) Equal(o Quantity) bool { return q.v.u == o.v.u && q.v.equal(o.v) }

// Convert returns q in unit to. Conversion is exact whenever the result is a
// terminating decimal (mg ↔ mcg ↔ g, lb → kg, in → cm, h → min, mg/kg/h →
// mcg/kg/min); otherwise it is rounded at Places decimal places. It never
// supplies an outside number: mg → mL needs a concentration and is done with
// Div, never Convert.
func (q Quantity) Convert(to Unit) (Quantity, error) {
	if !q.IsValid() {
		return Quantity{}, invalidOp("convert", q, Quantity{})
	}
	if !to.IsValid() {
		return Quantity{}, &OpError{Op: "convert", X: q.String(), Y: to.String(), Msg: "unknown target unit", Err: ErrUnknownUnit}
	}
	if q.v.u == to {
		return q, nil
	}
	if tab.dim[q.v.u] != tab.dim[to] {
		return Quantity{}, &DimensionError{Op: "convert", X: q.String(), Y: to.String(), XDim: tab.dim[q.v.u], YDim: tab.dim[to],
			Msg: "conversions that need an outside number (a weight, a concentration, a drop factor) are done with Mul or Div"}
	}
	return mk(tab.conv[q.v.u][to].apply(q.v), to), nil
}

// Add returns q + o in q's unit. o is converted to q's unit first; a sum of
// different dimensions (a dose and a dose per kg) is a *DimensionError.
func (q Quantity) Add(o Quantity) (Quantity, error) { return q.addSub("add", o, 1) }

// Sub returns q − o in q's unit. The result may be negative (a deviation).
func (q Quantity) Sub(o Quantity) (Quantity, error) { return q.addSub("sub", o, -1) }

func (q Quantity) addSub(op string, o Quantity, sign int) (Quantity, error) {
	if !q.IsValid() || !o.IsValid() {
		return Quantity{}, invalidOp(op, q, o)
	}
	oc, err := o.Convert(q.v.u)
	if err != nil {
		return Quantity{}, &DimensionError{Op: op, X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension()}
	}
	if sign > 0 {
		return mk(decAdd(q.v, oc.v), q.v.u), nil
	}
	return mk(decSub(q.v, oc.v), q.v.u), nil
}

// Cmp compares q and o, which may be in different units of one dimension:
// -1 if q < o, 0 if equal, +1 if q > o. The comparison is exact (it
// cross-multiplies the unit factors; it never rounds).
func (q Quantity) Cmp(o Quantity) (int, error) {
	if !q.IsValid() || !o.IsValid() {
		return 0, invalidOp("cmp", q, o)
	}
	if q.v.u == o.v.u {
		return q.v.cmp(o.v), nil
	}
	if tab.dim[q.v.u] != tab.dim[o.v.u] {
		return 0, &DimensionError{Op: "cmp", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension()}
	}
	return crossConv(q.v, tab.conv[q.v.u][o.v.u], o.v), nil
}

// Mul returns q × o with dimension algebra: 0.5 mg/kg × 80 kg = 40 mg,
// 156 mL/h × 0.25 mg/mL = 39 mg/h. Where the units cancel term by term the
// result is in the unit they leave; otherwise it is in the package's preferred
// unit of the result's dimension (mg, mL, mg/h, mL/h, %…). A product of a
// dimension no unit has (mg/kg × mg) is a *DimensionError.
func (q Quantity) Mul(o Quantity) (Quantity, error) {
	if !q.IsValid() || !o.IsValid() {
		return Quantity{}, invalidOp("mul", q, o)
	}
	r := tab.mul[q.v.u][o.v.u]
	switch r.how {
	case cancels:
		return mk(decMul(q.v, o.v), r.u), nil
	case none:
		return Quantity{}, &DimensionError{Op: "mul", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension(),
			Msg: "no unit for the product's dimension " + tab.dim[q.v.u].add(tab.dim[o.v.u], 1).String()}
	}
	u := r.u
	return mk(ratio([]dec{q.v, o.v, tab.numD[q.v.u], tab.numD[o.v.u], tab.denD[u]}, []dec{tab.denD[q.v.u], tab.denD[o.v.u], tab.numD[u]}), u), nil
}

// Div returns q ÷ o with dimension algebra: 40 mg ÷ 10 mg/mL = 4 mL,
// 104 mL ÷ 40 min = 2.6 mL/min, 36.5 mg ÷ 36.7 mg = 99.455… %. A zero divisor
// is an error wrapping ErrDivideByZero, never a panic. Results that do not
// terminate are rounded at Places decimal places.
func (q Quantity) Div(o Quantity) (Quantity, error) {
	if !q.IsValid() || !o.IsValid() {
		return Quantity{}, invalidOp("div", q, o)
	}
	if o.v.isZero() {
		return Quantity{}, &OpError{Op: "div", X: q.String(), Y: o.String(), Msg: "division by zero", Err: ErrDivideByZero}
	}
	r := tab.div[q.v.u][o.v.u]
	switch r.how {
	case cancels:
		return mk(decMulDiv(q.v, decOne, o.v), r.u), nil
	case none:
		return Quantity{}, &DimensionError{Op: "div", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension(),
			Msg: "no unit for the quotient's dimension " + tab.dim[q.v.u].add(tab.dim[o.v.u], -1).String()}
	}
	u := r.u
	return mk(ratio([]dec{q.v, tab.numD[q.v.u], tab.denD[o.v.u], tab.denD[u]}, []dec{o.v, tab.denD[q.v.u], tab.numD[o.v.u], tab.numD[u]}), u), nil
}

// Scale returns q × k for a plain number k (a factor such as 0.4 in an
// adjusted body weight, or a count).
func (q Quantity) Scale(k decimal.Decimal) (Quantity, error) {
	if !q.IsValid() {
		return Quantity{}, invalidOp("scale", q, Quantity{})
	}
	return mk(decMul(q.v, decOf(k)), q.v.u), nil
}

// Abs returns |q|.
func (q Quantity) Abs() Quantity { return mk(q.v.abs(), q.v.u) }

func invalidOp(op string, q, o Quantity) error {
	y := ""
	if o.IsValid() || op != "convert" && op != "scale" {
		y = o.String()
	}
	return &OpError{Op: op, X: q.String(), Y: y, Msg: "operand is the zero (invalid) Quantity", Err: ErrInvalid}
}
