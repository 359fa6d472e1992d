package dosing

import (
	"errors"

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

// divTo is x ÷ y in unit u.
func (a *arith) divTo(x, y units.Quantity, u units.Unit) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
	}
	q, err := x.DivTo(y, u)
	a.fail(err)
	return q
}

// mulDiv is x × m ÷ d, divided once.
func (a *arith) mulDiv(x, m, d units.Quantity) units.Quantity {
	if a.err != nil {
		return units.Quantity{}
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
