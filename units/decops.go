package units

import "github.com/shopspring/decimal"

// The value arithmetic of the package. Each function computes in the
// fixed-width arithmetic when every operand and intermediate fits, and
// otherwise exactly as before, with decimal (the functions named slow…,
// kept as the reference the tests compare the fast path with). Both give
// the same coefficient and exponent.

var decOne = decInt(1)

// decBound is bound: v kept at most Places decimal places.
func decBound(v dec) dec {
	if v.exp >= -Places {
		return v
	}
	if w, ok := v.wide(); ok {
		if r, ok := w.round(Places); ok {
			return r.decAny()
		}
	}
	return decOf(bound(v.decimal()))
}

// bound keeps at most Places decimal places.
func bound(v decimal.Decimal) decimal.Decimal {
	if v.Exponent() < -Places {
		return v.Round(Places)
	}
	return v
}

// ratio returns the product of nums divided by the product of dens: the
// product itself (bounded) when the divisor is one, otherwise the quotient
// rounded half away from zero at Places. It is exact whenever the quotient
// terminates within Places decimal places. (Products of decimals do not
// depend on the order of their factors, nor a quotient rounded at Places on
// anything but the two numbers.)
func ratio(nums, dens []dec) dec {
	if r, ok := fastRatio(nums, dens); ok {
		return r
	}
	return slowRatio(nums, dens)
}

func fastRatio(nums, dens []dec) (dec, bool) {
	n, ok := product(nums)
	if !ok {
		return dec{}, false
	}
	d, ok := product(dens)
	if !ok || d.isZero() {
		return dec{}, false
	}
	if c, ok := d.cmp(wideOne); !ok {
		return dec{}, false
	} else if c == 0 {
		if n, ok = n.bound(); !ok {
			return dec{}, false
		}
		return n.decAny(), true
	}
	if n, ok = n.divRound(d, Places); !ok {
		return dec{}, false
	}
	return n.decAny(), true
}

var wideOne = wide{m: u256{1}}

func product(ds []dec) (wide, bool) {
	p := wideOne
	for i, d := range ds {
		if d.b != nil {
			return wide{}, false
		}
		if i > 0 && d.lo == 1 && d.hi == 0 && d.exp == 0 && !d.neg { // × 1 (most unit factors)
			continue
		}
		w := wide{m: u256{d.lo, d.hi}, exp: d.exp, neg: d.neg}
		if i == 0 {
			p = w
			continue
		}
		var ok bool
		if p, ok = p.mul(w); !ok {
			return wide{}, false
		}
	}
	return p, true
}

func slowRatio(nums, dens []dec) dec {
	n, den := decimal.New(1, 0), decimal.New(1, 0)
	for i, d := range nums {
		if i == 0 {
			n = d.decimal()
		} else {
			n = n.Mul(d.decimal())
		}
	}
	for i, d := range dens {
		if i == 0 {
			den = d.decimal()
		} else {
			den = den.Mul(d.decimal())
		}
	}
	if den.Equal(decimal.New(1, 0)) {
		return decOf(bound(n))
	}
	return decOf(n.DivRound(den, Places))
}

// decMul is a × b, bounded.
func decMul(a, b dec) dec { return ratio([]dec{a, b}, nil) }

// decAdd is a + b, decimal's Add (exponent the smaller of the two).
func decAdd(a, b dec) dec {
	if x, ok := a.wide(); ok {
		if y, ok := b.wide(); ok {
			if s, ok := x.add(y); ok {
				return s.decAny()
			}
		}
	}
	return decOf(a.decimal().Add(b.decimal()))
}

// decSub is a − b, decimal's Sub.
func decSub(a, b dec) dec { return decAdd(a, b.negate()) }

// decProduct is the exact product of ds (not bounded).
func decProduct(ds ...dec) dec {
	if p, ok := product(ds); ok {
		return p.decAny()
	}
	p := ds[0].decimal()
	for _, d := range ds[1:] {
		p = p.Mul(d.decimal())
	}
	return decOf(p)
}

// cross compares the products a·a1·a2 and b·b1·b2 exactly: two values in
// different units, each times its unit factors.
func cross(a, a1, a2, b, b1, b2 dec) int {
	if x, ok := product([]dec{a, a1, a2}); ok {
		if y, ok := product([]dec{b, b1, b2}); ok {
			if c, ok := x.cmp(y); ok {
				return c
			}
		}
	}
	return a.decimal().Mul(a1.decimal()).Mul(a2.decimal()).Cmp(b.decimal().Mul(b1.decimal()).Mul(b2.decimal()))
}

// roundToStep is the multiple n·step of a ÷ b (b > 0) that RoundTo keeps,
// with decimal's arithmetic: n from the quotient truncated toward zero,
// moved away from zero as the mode says.
func roundToStep(a, b, step dec, mode RoundingMode) dec {
	if r, ok := fastRoundToStep(a, b, step, mode); ok {
		return r
	}
	return slowRoundToStep(a, b, step, mode)
}

func fastRoundToStep(a, b, step dec, mode RoundingMode) (dec, bool) {
	x, ok := a.wide()
	if !ok {
		return dec{}, false
	}
	y, ok := b.wide()
	if !ok || y.isZero() {
		return dec{}, false
	}
	s, ok := step.wide()
	if !ok {
		return dec{}, false
	}
	n, r, ok := x.quoRem0(y)
	if !ok {
		return dec{}, false
	}
	if !r.isZero() {
		away := false
		switch mode {
		case RoundUp:
			away = true
		case RoundHalfUp, RoundHalfEven:
			r2, ok := wide{m: r.m, exp: r.exp}.mul(wide{m: u256{2}})
			if !ok {
				return dec{}, false
			}
			c, ok := r2.cmp(y)
			if !ok {
				return dec{}, false
			}
			switch {
			case c > 0:
				away = true
			case c == 0:
				away = mode == RoundHalfUp || n.m[0]&1 != 0
			}
		}
		if away {
			one := wideOne
			one.neg = x.neg // n.Add(±1): the sign of a
			if n, ok = n.add(one); !ok {
				return dec{}, false
			}
		}
	}
	p, ok := n.mul(s)
	if !ok {
		return dec{}, false
	}
	return p.decAny(), true
}

func slowRoundToStep(a, b, step dec, mode RoundingMode) dec {
	ad, bd := a.decimal(), b.decimal()
	n, r := ad.QuoRem(bd, 0)
	if !r.IsZero() {
		away := false
		switch mode {
		case RoundUp:
			away = true
		case RoundHalfUp, RoundHalfEven:
			two := decimal.New(2, 0)
			switch c := r.Abs().Mul(two).Cmp(bd); {
			case c > 0:
				away = true
			case c == 0:
				away = mode == RoundHalfUp || !n.Mod(two).IsZero()
			}
		}
		if away {
			n = n.Add(decimal.NewFromInt(int64(ad.Sign())))
		}
	}
	return decOf(n.Mul(step.decimal()))
}
