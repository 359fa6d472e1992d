package units

import "github.com/shopspring/decimal"

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
// Use Equal or Cmp, not ==: the decimal inside holds a pointer.
type Quantity struct {
	v decimal.Decimal
	u Unit
}

// New returns the quantity v u. It returns the invalid zero Quantity if u is
// not a valid unit.
func New(v decimal.Decimal, u Unit) Quantity {
	if !u.IsValid() {
		return Quantity{}
	}
	return Quantity{v: bound(v), u: u}
}

// NewInt returns the quantity n u, for counts and round numbers in code.
func NewInt(n int64, u Unit) Quantity { return New(decimal.NewFromInt(n), u) }

// bound keeps at most Places decimal places.
func bound(v decimal.Decimal) decimal.Decimal {
	if v.Exponent() < -Places {
		return v.Round(Places)
	}
	return v
}

// IsValid reports whether q is a quantity rather than the zero Quantity.
func (q Quantity) IsValid() bool { return q.u.IsValid() }

// Value returns the exact decimal value in q's unit.
func (q Quantity) Value() decimal.Decimal { return q.v }

// Unit returns q's unit.
func (q Quantity) Unit() Unit { return q.u }

// Dimension returns the dimension of q's unit.
func (q Quantity) Dimension() Dimension { return q.u.Dimension() }

// Sign returns -1, 0 or +1 for a negative, zero or positive q.
func (q Quantity) Sign() int { return q.v.Sign() }

// Equal reports whether q and o have the same unit and numerically equal
// values (1.50 mg equals 1.5 mg; 1 mg does not equal 1000 mcg: use Cmp to
// compare across units). Two invalid quantities are equal. go-cmp uses this
// method.
func (q Quantity) Equal(o Quantity) bool { return q.u == o.u && q.v.Equal(o.v) }

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
	if q.u == to {
		return q, nil
	}
	if tab.dim[q.u] != tab.dim[to] {
		return Quantity{}, &DimensionError{Op: "convert", X: q.String(), Y: to.String(), XDim: tab.dim[q.u], YDim: tab.dim[to],
			Msg: "conversions that need an outside number (a weight, a concentration, a drop factor) are done with Mul or Div"}
	}
	return Quantity{v: tab.conv[q.u][to].apply(q.v), u: to}, nil
}

// ratio returns a·b·c / (d·e), exactly when the quotient terminates within
// Places decimal places and rounded half away from zero otherwise.
func ratio(a, b, c, d, e decimal.Decimal) decimal.Decimal {
	n := a.Mul(b).Mul(c)
	den := d.Mul(e)
	if den.Equal(one) {
		return bound(n)
	}
	return n.DivRound(den, Places)
}

var one = decimal.NewFromInt(1)

// Add returns q + o in q's unit. o is converted to q's unit first; a sum of
// different dimensions (a dose and a dose per kg) is a *DimensionError.
func (q Quantity) Add(o Quantity) (Quantity, error) { return q.addSub("add", o, 1) }

// Sub returns q − o in q's unit. The result may be negative (a deviation).
func (q Quantity) Sub(o Quantity) (Quantity, error) { return q.addSub("sub", o, -1) }

func (q Quantity) addSub(op string, o Quantity, sign int) (Quantity, error) {
	if !q.IsValid() || !o.IsValid() {
		return Quantity{}, invalidOp(op, q, o)
	}
	oc, err := o.Convert(q.u)
	if err != nil {
		return Quantity{}, &DimensionError{Op: op, X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension()}
	}
	if sign > 0 {
		return Quantity{v: q.v.Add(oc.v), u: q.u}, nil
	}
	return Quantity{v: q.v.Sub(oc.v), u: q.u}, nil
}

// Cmp compares q and o, which may be in different units of one dimension:
// -1 if q < o, 0 if equal, +1 if q > o. The comparison is exact (it
// cross-multiplies the unit factors; it never rounds).
func (q Quantity) Cmp(o Quantity) (int, error) {
	if !q.IsValid() || !o.IsValid() {
		return 0, invalidOp("cmp", q, o)
	}
	if q.u == o.u {
		return q.v.Cmp(o.v), nil
	}
	if tab.dim[q.u] != tab.dim[o.u] {
		return 0, &DimensionError{Op: "cmp", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension()}
	}
	a := q.v.Mul(tab.num[q.u]).Mul(tab.den[o.u])
	b := o.v.Mul(tab.num[o.u]).Mul(tab.den[q.u])
	return a.Cmp(b), nil
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
	var t terms
	for i := range t {
		t[i] = tab.terms[q.u][i] + tab.terms[o.u][i]
	}
	if u, ok := tab.byTerms[t]; ok {
		return Quantity{v: bound(q.v.Mul(o.v)), u: u}, nil
	}
	dim := tab.dim[q.u].add(tab.dim[o.u], 1)
	u, ok := tab.byDim[dim]
	if !ok {
		return Quantity{}, &DimensionError{Op: "mul", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension(),
			Msg: "no unit for the product's dimension " + dim.String()}
	}
	n := q.v.Mul(o.v).Mul(tab.num[q.u]).Mul(tab.num[o.u])
	return Quantity{v: ratio(n, tab.den[u], one, tab.den[q.u].Mul(tab.den[o.u]), tab.num[u]), u: u}, nil
}

// Div returns q ÷ o with dimension algebra: 40 mg ÷ 10 mg/mL = 4 mL,
// 104 mL ÷ 40 min = 2.6 mL/min, 36.5 mg ÷ 36.7 mg = 99.455… %. A zero divisor
// is an error wrapping ErrDivideByZero, never a panic. Results that do not
// terminate are rounded at Places decimal places.
func (q Quantity) Div(o Quantity) (Quantity, error) {
	if !q.IsValid() || !o.IsValid() {
		return Quantity{}, invalidOp("div", q, o)
	}
	if o.v.IsZero() {
		return Quantity{}, &OpError{Op: "div", X: q.String(), Y: o.String(), Msg: "division by zero", Err: ErrDivideByZero}
	}
	var t terms
	for i := range t {
		t[i] = tab.terms[q.u][i] - tab.terms[o.u][i]
	}
	if u, ok := tab.byTerms[t]; ok {
		return Quantity{v: ratio(q.v, one, one, o.v, one), u: u}, nil
	}
	dim := tab.dim[q.u].add(tab.dim[o.u], -1)
	u, ok := tab.byDim[dim]
	if !ok {
		return Quantity{}, &DimensionError{Op: "div", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension(),
			Msg: "no unit for the quotient's dimension " + dim.String()}
	}
	n := q.v.Mul(tab.num[q.u]).Mul(tab.den[o.u])
	d := o.v.Mul(tab.den[q.u]).Mul(tab.num[o.u])
	return Quantity{v: ratio(n, tab.den[u], one, d, tab.num[u]), u: u}, nil
}

// Scale returns q × k for a plain number k (a factor such as 0.4 in an
// adjusted body weight, or a count).
func (q Quantity) Scale(k decimal.Decimal) (Quantity, error) {
	if !q.IsValid() {
		return Quantity{}, invalidOp("scale", q, Quantity{})
	}
	return Quantity{v: bound(q.v.Mul(k)), u: q.u}, nil
}

// Abs returns |q|.
func (q Quantity) Abs() Quantity { return Quantity{v: q.v.Abs(), u: q.u} }

func invalidOp(op string, q, o Quantity) error {
	y := ""
	if o.IsValid() || op != "convert" && op != "scale" {
		y = o.String()
	}
	return &OpError{Op: op, X: q.String(), Y: y, Msg: "operand is the zero (invalid) Quantity", Err: ErrInvalid}
}
