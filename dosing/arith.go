package dosing

import (
	"errors"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// arith is the quantity arithmetic of one calculation (calc) or one check
// (checker). Like apd's ErrDecimal it records the first error and then does
// nothing, each operation returning the zero Quantity, so that a calculation
// reads top to bottom and checks its error once. Validated inputs should
// never cause one: an error here is a product beyond what a quantity holds,
// or two quantities of different dimensions compared.
type arith struct{ err error }

func (a *arith) fail(err error) {
	if a.err == nil && err != nil {
		a.err = err
	}
}

func (a *arith) ok() bool { return a.err == nil }

// join is errors.Join of errs and the error a recorded, if any.
func (a *arith) join(errs []error) error {
	if a.err != nil {
		errs = append(errs, a.err)
	}
	return errors.Join(errs...)
}

func (a *arith) mul(x, y units.Quantity) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	q, err := x.Mul(y)
	a.fail(err)
	return q
}

func (a *arith) div(x, y units.Quantity) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	q, err := x.Div(y)
	a.fail(err)
	return q
}

// divTo is x ÷ y in unit u; the unit triples a calculation divides most
// take a shorter way to the same value (quickDivTo).
func (a *arith) divTo(x, y units.Quantity, u units.Unit) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	if q, ok := quickDivTo(x, y, u); ok {
		return q
	}
	q, err := x.DivTo(y, u)
	a.fail(err)
	return q
}

// mulDiv is x × m ÷ d, divided once (quickMulDiv for the common triples).
func (a *arith) mulDiv(x, m, d units.Quantity) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	if q, ok := quickMulDiv(x, m, d); ok {
		return q
	}
	q, err := x.MulDiv(m, d)
	a.fail(err)
	return q
}

func (a *arith) conv(q units.Quantity, u units.Unit) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	r, err := q.Convert(u)
	a.fail(err)
	return r
}

func (a *arith) add(x, y units.Quantity) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	q, err := x.Add(y)
	a.fail(err)
	return q
}

func (a *arith) sub(x, y units.Quantity) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	q, err := x.Sub(y)
	a.fail(err)
	return q
}

// cmp compares x and y, exactly and across units. Quantities of different
// dimensions have no order: rather than answer "equal" and let a check
// pass, cmp records the error (and returns 0, like every operation after an
// error), so the calculation fails.
func (a *arith) cmp(x, y units.Quantity) int {
	if a.err != nil {
		return 0
	}
	c, err := x.Cmp(y)
	a.fail(err)
	return c
}

// less reports x < y (see cmp).
func (a *arith) less(x, y units.Quantity) bool { return a.cmp(x, y) < 0 }

// min returns the smallest of the valid quantities among qs.
func (a *arith) min(qs ...units.Quantity) units.Quantity {
	var m units.Quantity
	for _, q := range qs {
		if q.IsValid() && (!m.IsValid() || a.less(q, m)) {
			m = q
		}
	}
	return m
}

// quotient is the exact factor of a unit triple: a ÷ b in unit to is
// a.Value() × num ÷ (b.Value() × den).
type quotient struct{ num, den decimal.Decimal }

// quickQuotients holds the unit triples a calculation divides most, with
// their factors. Read only. quickDivTo gives, for these, what
// units.Quantity.DivTo gives (the same rational, rounded once at
// units.Places, half away from zero) without the unit table's factor
// multiplications; a test checks the two agree on every entry.
var quickQuotients = map[[3]units.Unit]quotient{
	{units.Milligram, units.MgPerML, units.Milliliter}:      {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.Microgram, units.MgPerML, units.Milliliter}:      {decimal.NewFromInt(1), decimal.NewFromInt(1000)},
	{units.Milligram, units.Milliliter, units.MgPerML}:      {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.Microgram, units.Milliliter, units.MgPerML}:      {decimal.NewFromInt(1), decimal.NewFromInt(1000)},
	{units.Milliliter, units.Minute, units.MLPerHour}:       {decimal.NewFromInt(60), decimal.NewFromInt(1)},
	{units.Milliliter, units.Hour, units.MLPerHour}:         {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.Milliliter, units.MLPerHour, units.Minute}:       {decimal.NewFromInt(60), decimal.NewFromInt(1)},
	{units.Milligram, units.Minute, units.MgPerHour}:        {decimal.NewFromInt(60), decimal.NewFromInt(1)},
	{units.Milligram, units.Hour, units.MgPerHour}:          {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.Microgram, units.Minute, units.MgPerHour}:        {decimal.NewFromInt(6), decimal.NewFromInt(100)},
	{units.MgPerHour, units.Kilogram, units.MgPerKgPerHour}: {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.MgPerHour, units.Kilogram, units.McgPerKgPerMin}: {decimal.NewFromInt(50), decimal.NewFromInt(3)},
	{units.Milligram, units.Kilogram, units.MgPerKg}:        {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.Microgram, units.Kilogram, units.MgPerKg}:        {decimal.NewFromInt(1), decimal.NewFromInt(1000)},
	{units.Milliliter, units.MLPerHour, units.Hour}:         {decimal.NewFromInt(1), decimal.NewFromInt(1)},
	{units.DropsPerMin, units.DropsPerMin, units.Percent}:   {decimal.NewFromInt(100), decimal.NewFromInt(1)},
	{units.Milliliter, units.Milliliter, units.Percent}:     {decimal.NewFromInt(100), decimal.NewFromInt(1)},
	{units.Milligram, units.Milligram, units.Percent}:       {decimal.NewFromInt(100), decimal.NewFromInt(1)},
	{units.MLPerHour, units.MLPerHour, units.Percent}:       {decimal.NewFromInt(100), decimal.NewFromInt(1)},
	{units.MgPerHour, units.MgPerHour, units.Percent}:       {decimal.NewFromInt(100), decimal.NewFromInt(1)},
	{units.Microgram, units.Microgram, units.Percent}:       {decimal.NewFromInt(100), decimal.NewFromInt(1)},
}

var quickOne = decimal.NewFromInt(1)

// quickDivTo is a ÷ b in unit to for the triples of quickQuotients; ok is
// false for any other triple or a zero divisor (left to DivTo and its
// error).
func quickDivTo(a, b units.Quantity, to units.Unit) (units.Quantity, bool) {
	f, ok := quickQuotients[[3]units.Unit{a.Unit(), b.Unit(), to}]
	if !ok || b.Sign() == 0 {
		return units.Quantity{}, false
	}
	n, d := a.Value(), b.Value()
	if !f.num.Equal(quickOne) {
		n = n.Mul(f.num)
	}
	if !f.den.Equal(quickOne) {
		d = d.Mul(f.den)
	}
	return units.New(n.DivRound(d, units.Places), to), true
}

// quickMulDivs are the unit triples of a × m ÷ d whose units cancel to the
// unit given, with a factor of one: the result is the product divided once,
// as units.Quantity.MulDiv computes it. Read only; a test checks both agree.
var quickMulDivs = map[[3]units.Unit]units.Unit{
	{units.MLPerHour, units.Milligram, units.Milliliter}: units.MgPerHour,  // pump rate × dose ÷ volume
	{units.Milligram, units.Milliliter, units.Milligram}: units.Milliliter, // part of a dose × volume ÷ dose
	{units.Microgram, units.Milliliter, units.Microgram}: units.Milliliter,
}

// quickMulDiv is a × m ÷ d for the triples of quickMulDivs.
func quickMulDiv(a, m, d units.Quantity) (units.Quantity, bool) {
	u, ok := quickMulDivs[[3]units.Unit{a.Unit(), m.Unit(), d.Unit()}]
	if !ok || d.Sign() == 0 {
		return units.Quantity{}, false
	}
	return units.New(a.Value().Mul(m.Value()).DivRound(d.Value(), units.Places), u), true
}
