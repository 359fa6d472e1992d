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
	var n, d wide
	if !n.setProduct(nums) || !d.setProduct(dens) || d.isZero() {
		return dec{}, false
	}
	if d.isOne() {
		if n.exp < -Places {
			var ok bool
			if n, ok = n.round(Places); !ok {
				return dec{}, false
			}
		}
		return n.decAny(), true
	}
	if !n.divRoundBy(&d, Places) {
		return dec{}, false
	}
	return n.decAny(), true
}

var wideOne = wide{m: u2(1, 0)}

// product is the exact product of ds; false when a factor is held as a
// big.Int or the product needs more than 256 bits.
func product(ds []dec) (wide, bool) {
	var w wide
	ok := w.setProduct(ds)
	return w, ok
}

// setProduct sets w to the exact product of ds (see product).
func (w *wide) setProduct(ds []dec) bool {
	*w = wideOne
	for i := range ds {
		d := &ds[i]
		switch {
		case d.b != nil:
			return false
		case d.lo == 1 && d.hi == 0 && d.exp == 0 && !d.neg: // × 1 (most unit factors)
		case !w.mulBy(d):
			return false
		}
	}
	return true
}

// mulBy multiplies w by d (held in two words): decimal's Mul.
func (w *wide) mulBy(d *dec) bool {
	e, ok := exp32(int64(w.exp) + int64(d.exp))
	if !ok {
		return false
	}
	if d.hi == 0 {
		ok = w.m.mulWord(d.lo)
	} else {
		w.m, ok = mul256(w.m, u2(d.lo, d.hi))
	}
	w.exp, w.neg = e, w.neg != d.neg && !w.m.isZero()
	return ok
}

// isOne reports whether w is numerically 1 (1, 1.0, 1.000…).
func (w *wide) isOne() bool {
	return !w.neg && w.exp <= 0 && -w.exp < int32(len(pow10w)) && w.m == pow10w[-w.exp]
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
func decMul(a, b dec) dec {
	if a.b == nil && b.b == nil {
		w := wide{m: u2(a.lo, a.hi), exp: a.exp, neg: a.neg}
		if w.mulBy(&b) {
			if w.exp >= -Places {
				return w.decAny()
			}
			if r, ok := w.round(Places); ok {
				return r.decAny()
			}
		}
	}
	return slowRatio([]dec{a, b}, nil)
}

// decMulDiv is a × m ÷ d rounded at Places (d is not zero), or a × m
// bounded where d is one: ratio of one factor each way.
func decMulDiv(a, m, d dec) dec {
	if a.b == nil && m.b == nil && d.b == nil {
		w := wide{m: u2(a.lo, a.hi), exp: a.exp, neg: a.neg}
		dw := wide{m: u2(d.lo, d.hi), exp: d.exp, neg: d.neg}
		if w.mulBy(&m) {
			if dw.isOne() {
				if w.exp >= -Places {
					return w.decAny()
				}
				if r, ok := w.round(Places); ok {
					return r.decAny()
				}
			} else if w.divRoundBy(&dw, Places) {
				return w.decAny()
			}
		}
	}
	return slowRatio([]dec{a, m}, []dec{d})
}

// crossConv compares a, in a unit whose value in o's unit is a × c.num ÷
// c.den, with o: a·c.num against o·c.den, exactly.
func crossConv(a dec, c *convFactor, o dec) int {
	if a.b == nil && o.b == nil {
		x := wide{m: u2(a.lo, a.hi), exp: a.exp, neg: a.neg}
		y := wide{m: u2(o.lo, o.hi), exp: o.exp, neg: o.neg}
		if x.mulBy(&c.num) && (c.exact || y.mulBy(&c.den)) {
			if r, ok := x.cmp(y); ok {
				return r
			}
		}
	}
	return a.decimal().Mul(c.num.decimal()).Cmp(o.decimal().Mul(c.den.decimal()))
}

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
			r2, ok := wide{m: r.m, exp: r.exp}.mul(wide{m: u2(2, 0)})
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
				away = mode == RoundHalfUp || n.m.w0&1 != 0
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
