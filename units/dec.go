package units

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// dec is the exact decimal c × 10^exp a Quantity holds. It stands for the
// shopspring decimal.Decimal with the same coefficient and exponent, and
// every operation of this package gives the coefficient and exponent that
// decimal's operations give (so every result, its places and its text are
// decimal's). The difference is the storage: a coefficient of at most 128
// bits (every clinical value, and every quotient kept at Places places below
// 10^8) is held in two words, and the arithmetic on such values is done in
// fixed-width integers (wide) without allocating. A coefficient beyond 128
// bits is held as a *big.Int, and the arithmetic then goes through decimal
// as before (the slow path). Tests check, over random operands, that both
// paths give identical coefficients and exponents.
type dec struct {
	lo, hi uint64   // |c| = hi·2^64 + lo, when b is nil
	b      *big.Int // c, when |c| needs more than 128 bits; never written once set
	meta
}

// meta is the rest of a dec. dec has four fields in 32 bytes so that the
// compiler keeps a Quantity in registers (a larger struct lives in memory,
// and every copy of it goes through the stack).
type meta struct {
	exp int32
	neg bool // c < 0, when b is nil (never for zero)
	// u is the unit of the Quantity holding the value: kept here, where
	// it fills what would be padding. The arithmetic ignores it.
	u Unit
}

// decInt is n × 10^0.
func decInt(n int64) dec {
	if n < 0 {
		return dec{lo: uint64(-n), meta: meta{neg: true}} // -MinInt64 wraps to 2^63, its magnitude
	}
	return dec{lo: uint64(n)}
}

// decOf holds v: in two words when its coefficient fits.
func decOf(v decimal.Decimal) dec {
	if v.NumDigits() <= 18 { // an int64: read it without copying the big.Int
		d := decInt(v.CoefficientInt64())
		d.exp = v.Exponent()
		return d
	}
	return decOfBig(v.Coefficient(), v.Exponent())
}

// decOfBig holds c × 10^exp; c is not written afterwards.
func decOfBig(c *big.Int, exp int32) dec {
	if c.BitLen() > 128 {
		return dec{b: c, meta: meta{exp: exp}}
	}
	var w [2]big.Word
	words := c.Bits()
	switch bits.UintSize {
	case 64:
		copy(w[:], words)
		return dec{lo: uint64(w[0]), hi: uint64(w[1]), meta: meta{exp: exp, neg: c.Sign() < 0}}
	default:
		var m [4]uint64
		for i, x := range words {
			m[i/2] |= uint64(x) << (32 * (i % 2))
		}
		return dec{lo: m[0], hi: m[1], meta: meta{exp: exp, neg: c.Sign() < 0}}
	}
}

// decimal returns d as a decimal.Decimal (allocating).
func (d dec) decimal() decimal.Decimal {
	if d.b != nil {
		return decimal.NewFromBigInt(d.b, d.exp)
	}
	if d.hi == 0 && d.lo <= math.MaxInt64 {
		n := int64(d.lo)
		if d.neg {
			n = -n
		}
		return decimal.New(n, d.exp)
	}
	c := new(big.Int).SetUint64(d.hi)
	c.Lsh(c, 64)
	c.Or(c, new(big.Int).SetUint64(d.lo))
	if d.neg {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, d.exp)
}

func (d dec) sign() int {
	switch {
	case d.b != nil:
		return d.b.Sign()
	case d.lo == 0 && d.hi == 0:
		return 0
	case d.neg:
		return -1
	}
	return 1
}

func (d dec) isZero() bool { return d.sign() == 0 }

// cmp is decimal's Cmp.
func (d dec) cmp(o dec) int {
	if d.b == nil && o.b == nil && d.exp == o.exp { // the common case: one exponent
		s, so := d.sign(), o.sign()
		switch {
		case s != so:
			if s > so {
				return 1
			}
			return -1
		case d.hi != o.hi:
			return orderedBy(d.hi < o.hi, s)
		case d.lo != o.lo:
			return orderedBy(d.lo < o.lo, s)
		}
		return 0
	}
	if d.b == nil && o.b == nil {
		return d.cmpSmall(o)
	}
	return d.decimal().Cmp(o.decimal())
}

// cmpSmall is cmp for two values held in two words.
func (d dec) cmpSmall(o dec) int {
	if d.hi == 0 && o.hi == 0 { // one word each: align in 128 bits
		s, so := d.sign(), o.sign()
		switch {
		case s != so:
			if s > so {
				return 1
			}
			return -1
		case s == 0:
			return 0
		}
		x, y, diff := d, o, int64(o.exp)-int64(d.exp)
		if diff < 0 {
			x, y, diff = o, d, -diff
		}
		if diff < 20 { // y·10^diff < 2^128: compare x with it
			yh, yl := bits.Mul64(y.lo, pow10w[diff].w0)
			c := 0
			switch {
			case yh != 0 || yl > x.lo:
				c = -1
			case yl < x.lo:
				c = 1
			}
			if x.exp != d.exp {
				c = -c
			}
			if s < 0 {
				c = -c
			}
			return c
		}
	}
	a, _ := d.wide()
	b, _ := o.wide()
	if c, ok := a.cmp(b); ok {
		return c
	}
	return d.decimal().Cmp(o.decimal())
}

// zeroBeyond reports whether d has no non-zero digit beyond the given
// number of decimal places.
func (d dec) zeroBeyond(places int32) bool {
	m := -int64(d.exp) - int64(places) // the digits beyond
	switch {
	case m <= 0 || d.isZero():
		return true
	case d.b == nil && m < int64(len(pow10w)):
		_, r := divmod(u2(d.lo, d.hi), pow10w[m])
		return r.isZero()
	}
	v := d.decimal()
	return v.Equal(v.Truncate(places))
}

// orderedBy is the order of two values of sign s whose magnitudes compare
// as less says.
func orderedBy(less bool, s int) int {
	if less == (s > 0) {
		return -1
	}
	return 1
}

// equal is decimal's Equal: numerically equal.
func (d dec) equal(o dec) bool { return d.cmp(o) == 0 }

// abs is decimal's Abs.
func (d dec) abs() dec {
	if d.b != nil {
		if d.b.Sign() >= 0 {
			return d
		}
		return dec{b: new(big.Int).Abs(d.b), meta: meta{exp: d.exp}}
	}
	d.neg = false
	return d
}

// neg is decimal's Neg.
func (d dec) negate() dec {
	if d.b != nil {
		return dec{b: new(big.Int).Neg(d.b), meta: meta{exp: d.exp}}
	}
	d.neg = !d.neg && !d.isZero()
	return d
}

// wide is d in the fixed-width arithmetic; ok is false for a coefficient
// held as a *big.Int.
func (d dec) wide() (wide, bool) {
	if d.b != nil {
		return wide{}, false
	}
	return wide{m: u2(d.lo, d.hi), exp: d.exp, neg: d.neg}, true
}

// wide is an intermediate of the fixed-width arithmetic: the decimal
// ±m × 10^exp with a 256-bit magnitude. Each operation reports ok = false
// when its result does not fit (the caller then takes decimal's path).
type wide struct {
	m   u256
	exp int32
	neg bool // never for a zero m
}

// dec narrows w to a dec; ok is false when m needs more than 128 bits.
func (w wide) dec() (dec, bool) {
	if w.m.w2|w.m.w3 != 0 {
		return dec{}, false
	}
	return dec{lo: w.m.w0, hi: w.m.w1, meta: meta{exp: w.exp, neg: w.neg}}, true
}

// decAny is w as a dec: in two words when it fits, else as a big.Int.
func (w wide) decAny() dec {
	if d, ok := w.dec(); ok {
		return d
	}
	c := new(big.Int)
	for i := 3; i >= 0; i-- {
		c.Lsh(c, 64)
		c.Or(c, new(big.Int).SetUint64(w.m.array()[i]))
	}
	if w.neg {
		c.Neg(c)
	}
	return dec{b: c, meta: meta{exp: w.exp}}
}

func (w wide) isZero() bool { return w.m.isZero() }

func exp32(e int64) (int32, bool) {
	return int32(e), e >= math.MinInt32 && e <= math.MaxInt32
}

// mul is decimal's Mul.
func (w wide) mul(o wide) (wide, bool) {
	m, ok := mul256(w.m, o.m)
	e, eok := exp32(int64(w.exp) + int64(o.exp))
	if !ok || !eok {
		return wide{}, false
	}
	return wide{m: m, exp: e, neg: w.neg != o.neg && !m.isZero()}, true
}

// rescale is decimal's rescale: the value at exponent exp, truncated toward
// zero when exp is larger than w's.
func (w wide) rescale(exp int32) (wide, bool) {
	switch {
	case exp == w.exp:
		return w, true
	case exp > w.exp:
		diff := int64(exp) - int64(w.exp)
		if diff >= int64(len(pow10w)) { // 10^78 > 2^256 > m
			return wide{exp: exp}, true
		}
		q, _ := divmod(w.m, pow10w[diff])
		return wide{m: q, exp: exp, neg: w.neg && !q.isZero()}, true
	}
	diff := int64(w.exp) - int64(exp)
	if diff >= int64(len(pow10w)) {
		if w.isZero() {
			return wide{exp: exp}, true
		}
		return wide{}, false
	}
	m, ok := mul256(w.m, pow10w[diff])
	if !ok {
		return wide{}, false
	}
	return wide{m: m, exp: exp, neg: w.neg}, true
}

// add is decimal's Add (and Sub with o negated).
func (w wide) add(o wide) (wide, bool) {
	var ok bool
	switch {
	case w.exp < o.exp:
		if o, ok = o.rescale(w.exp); !ok {
			return wide{}, false
		}
	case w.exp > o.exp:
		if w, ok = w.rescale(o.exp); !ok {
			return wide{}, false
		}
	}
	r := wide{exp: w.exp}
	if w.neg == o.neg {
		m, carry := add256(w.m, o.m)
		if carry {
			return wide{}, false
		}
		r.m, r.neg = m, w.neg && !m.isZero()
		return r, true
	}
	switch c := cmp256(w.m, o.m); {
	case c > 0:
		r.m, r.neg = sub256(w.m, o.m), w.neg
	case c < 0:
		r.m, r.neg = sub256(o.m, w.m), o.neg
	}
	return r, true
}

func (w wide) sub(o wide) (wide, bool) {
	o.neg = !o.neg && !o.isZero()
	return w.add(o)
}

func (w wide) sign() int {
	switch {
	case w.isZero():
		return 0
	case w.neg:
		return -1
	}
	return 1
}

// cmp is decimal's Cmp; ok is false when aligning the exponents overflows.
func (w wide) cmp(o wide) (int, bool) {
	if w.exp != o.exp {
		if s, s2 := w.sign(), o.sign(); s != s2 {
			if s > s2 {
				return 1, true
			}
			return -1, true
		} else if s == 0 {
			return 0, true
		}
		var ok bool
		if w.exp < o.exp {
			o, ok = o.rescale(w.exp)
		} else {
			w, ok = w.rescale(o.exp)
		}
		if !ok {
			return 0, false
		}
	}
	s := w.sign()
	if s != o.sign() {
		if s > o.sign() {
			return 1, true
		}
		return -1, true
	}
	c := cmp256(w.m, o.m)
	if w.neg {
		c = -c
	}
	return c, true
}

// round is decimal's Round: half away from zero at places, the result at
// exponent −places.
func (w wide) round(places int32) (wide, bool) {
	if w.exp == -places {
		return w, true
	}
	r, ok := w.rescale(-places - 1)
	if !ok {
		return wide{}, false
	}
	m, carry := add256(r.m, u2(5, 0))
	if carry {
		return wide{}, false
	}
	q, _ := divmod(m, u2(10, 0))
	return wide{m: q, exp: -places, neg: w.neg && !q.isZero()}, true
}

// divRound is decimal's DivRound: w ÷ o to an integer multiple of
// 10^−places, halves away from zero; o is not zero.
func (w wide) divRound(o wide, places int32) (wide, bool) {
	ok := w.divRoundBy(&o, places)
	return w, ok
}

// divRoundBy sets w to divRound(w, o, places).
func (w *wide) divRoundBy(o *wide, places int32) bool {
	e := int64(w.exp) - int64(o.exp) + int64(places)
	if _, ok := exp32(e); !ok || places == math.MinInt32 || o.isZero() {
		return false
	}
	aa, bb := w.m, o.m
	if e < 0 {
		if !bb.mulPow10(-e) {
			return false
		}
	} else if !aa.mulPow10(e) {
		return false
	}
	q, r := divmod(aa, bb)
	// 2·|r| ≥ |bb| rounds away from zero (r < bb, so 2r fits unless bb's top bit is set).
	r2, carry := add256(r, r)
	if carry || cmp256(r2, bb) >= 0 {
		if q, carry = add256(q, u2(1, 0)); carry {
			return false
		}
	}
	w.m, w.exp, w.neg = q, -places, w.neg != o.neg && !q.isZero()
	return true
}

// mulPow10 sets x to x × 10^k (k ≥ 0); false when that needs more than
// 256 bits.
func (x *u256) mulPow10(k int64) bool {
	for k > 19 {
		if !x.mulWord(pow10w[19].w0) {
			return false
		}
		k -= 19
	}
	return x.mulWord(pow10w[k].w0)
}

// quoRem0 is decimal's QuoRem(o, 0): the integer quotient truncated toward
// zero and the remainder, with the remainder's exponent decimal gives.
func (w wide) quoRem0(o wide) (q, r wide, ok bool) {
	e := int64(w.exp) - int64(o.exp)
	aa, bb := w.m, o.m
	var scalerest int32
	if e < 0 {
		if -e >= int64(len(pow10w)) {
			return wide{}, wide{}, false
		}
		if bb, ok = mul256(bb, pow10w[-e]); !ok {
			return wide{}, wide{}, false
		}
		scalerest = w.exp
	} else {
		if e >= int64(len(pow10w)) {
			return wide{}, wide{}, false
		}
		if aa, ok = mul256(aa, pow10w[e]); !ok {
			return wide{}, wide{}, false
		}
		scalerest = o.exp
	}
	qm, rm := divmod(aa, bb)
	// big.Int's QuoRem truncates: the quotient has the sign of the product,
	// the remainder that of the dividend.
	q = wide{m: qm, neg: w.neg != o.neg && !qm.isZero()}
	r = wide{m: rm, exp: scalerest, neg: w.neg && !rm.isZero()}
	return q, r, true
}

// u256 is a 256-bit unsigned integer, least significant word first: four
// words rather than an array, so that the compiler keeps it in registers.
type u256 struct{ w0, w1, w2, w3 uint64 }

// u2 is the u256 hi·2^64 + lo.
func u2(lo, hi uint64) u256 { return u256{lo, hi, 0, 0} }

func (x u256) array() [4]uint64 { return [4]uint64{x.w0, x.w1, x.w2, x.w3} }

func fromArray(a [4]uint64) u256 { return u256{a[0], a[1], a[2], a[3]} }

func (x u256) isZero() bool { return x.w0|x.w1|x.w2|x.w3 == 0 }

// words is the number of significant words of x.
func (x u256) words() int {
	switch {
	case x.w3 != 0:
		return 4
	case x.w2 != 0:
		return 3
	case x.w1 != 0:
		return 2
	case x.w0 != 0:
		return 1
	}
	return 0
}

func cmp256(x, y u256) int {
	switch {
	case x.w3 != y.w3:
		return order(x.w3 < y.w3)
	case x.w2 != y.w2:
		return order(x.w2 < y.w2)
	case x.w1 != y.w1:
		return order(x.w1 < y.w1)
	case x.w0 != y.w0:
		return order(x.w0 < y.w0)
	}
	return 0
}

func order(less bool) int {
	if less {
		return -1
	}
	return 1
}

func add256(x, y u256) (z u256, carry bool) {
	var c uint64
	z.w0, c = bits.Add64(x.w0, y.w0, 0)
	z.w1, c = bits.Add64(x.w1, y.w1, c)
	z.w2, c = bits.Add64(x.w2, y.w2, c)
	z.w3, c = bits.Add64(x.w3, y.w3, c)
	return z, c != 0
}

// sub256 is x − y for x ≥ y.
func sub256(x, y u256) (z u256) {
	var b uint64
	z.w0, b = bits.Sub64(x.w0, y.w0, 0)
	z.w1, b = bits.Sub64(x.w1, y.w1, b)
	z.w2, b = bits.Sub64(x.w2, y.w2, b)
	z.w3, _ = bits.Sub64(x.w3, y.w3, b)
	return z
}

// mulWord sets x to x × y; false when the product needs more than 256
// bits.
func (x *u256) mulWord(y uint64) bool {
	if x.w1|x.w2|x.w3 == 0 {
		x.w1, x.w0 = bits.Mul64(x.w0, y)
		return true
	}
	h0, l0 := bits.Mul64(x.w0, y)
	h1, l1 := bits.Mul64(x.w1, y)
	h2, l2 := bits.Mul64(x.w2, y)
	h3, l3 := bits.Mul64(x.w3, y)
	var c uint64
	x.w0 = l0
	x.w1, c = bits.Add64(l1, h0, 0)
	x.w2, c = bits.Add64(l2, h1, c)
	x.w3, c = bits.Add64(l3, h2, c)
	return h3 == 0 && c == 0
}

// mul256 is x × y; ok is false when the product needs more than 256 bits.
func mul256(x, y u256) (u256, bool) {
	if x.w1|x.w2|x.w3|y.w1|y.w2|y.w3 == 0 { // the common case: one word each
		hi, lo := bits.Mul64(x.w0, y.w0)
		return u2(lo, hi), true
	}
	if y.w1|y.w2|y.w3 == 0 {
		ok := x.mulWord(y.w0)
		return x, ok
	}
	nx, ny := x.words(), y.words()
	if nx == 0 || ny == 0 {
		return u256{}, true
	}
	if nx+ny > 5 { // the product has nx+ny−1 or nx+ny words
		return u256{}, false
	}
	xa, ya := x.array(), y.array()
	var t [8]uint64
	for i := 0; i < nx; i++ {
		var carry uint64
		for j := 0; j < ny; j++ {
			hi, lo := bits.Mul64(xa[i], ya[j])
			var c uint64
			lo, c = bits.Add64(lo, t[i+j], 0)
			hi += c
			lo, c = bits.Add64(lo, carry, 0)
			hi += c
			t[i+j], carry = lo, hi
		}
		t[i+ny] = carry
	}
	if t[4] != 0 {
		return u256{}, false
	}
	return u256{t[0], t[1], t[2], t[3]}, true
}

// divmod is u ÷ v and u mod v (Knuth's algorithm D, as math/big's
// divBasic); v is not zero.
func divmod(u, v u256) (q, r u256) {
	if v.w1|v.w2|v.w3 == 0 { // one word: the common case
		d := v.w0
		var rem uint64
		if u.w3 != 0 {
			q.w3, rem = bits.Div64(0, u.w3, d)
		}
		if u.w2 != 0 || rem != 0 {
			q.w2, rem = bits.Div64(rem, u.w2, d)
		}
		if u.w1 != 0 || rem != 0 {
			q.w1, rem = bits.Div64(rem, u.w1, d)
		}
		q.w0, rem = bits.Div64(rem, u.w0, d)
		return q, u256{rem, 0, 0, 0}
	}
	qa, ra := divmodWords(u.array(), v.array(), v.words(), u.words())
	return fromArray(qa), fromArray(ra)
}

// divmodWords is divmod for a divisor of n ≥ 2 words and a dividend of m.
func divmodWords(u, v [4]uint64, n, m int) (q, r [4]uint64) {
	if m < n || cmp256(fromArray(u), fromArray(v)) < 0 {
		return q, u
	}
	// Normalize: the divisor's top bit set.
	s := uint(bits.LeadingZeros64(v[n-1]))
	var vn [4]uint64
	for i := n - 1; i > 0; i-- {
		vn[i] = v[i]<<s | v[i-1]>>(64-s)
	}
	vn[0] = v[0] << s
	var un [5]uint64
	un[m] = u[m-1] >> (64 - s)
	for i := m - 1; i > 0; i-- {
		un[i] = u[i]<<s | u[i-1]>>(64-s)
	}
	un[0] = u[0] << s
	vn1, vn2 := vn[n-1], vn[n-2]
	for j := m - n; j >= 0; j-- {
		qhat := ^uint64(0)
		if ujn := un[j+n]; ujn != vn1 {
			var rhat uint64
			qhat, rhat = bits.Div64(ujn, un[j+n-1], vn1)
			x1, x2 := bits.Mul64(qhat, vn2)
			for x1 > rhat || x1 == rhat && x2 > un[j+n-2] {
				qhat--
				prev := rhat
				rhat += vn1
				if rhat < prev { // r̂ overflowed: r̂·B ≥ B² > q̂·v_{n−2}
					break
				}
				x1, x2 = bits.Mul64(qhat, vn2)
			}
		}
		// un[j : j+n+1] −= q̂ · vn
		var mulCarry, borrow uint64
		for i := 0; i < n; i++ {
			hi, lo := bits.Mul64(qhat, vn[i])
			var c uint64
			lo, c = bits.Add64(lo, mulCarry, 0)
			hi += c
			un[j+i], c = bits.Sub64(un[j+i], lo, borrow)
			borrow = c
			mulCarry = hi
		}
		un[j+n], borrow = bits.Sub64(un[j+n], mulCarry, borrow)
		if borrow != 0 { // q̂ was one too large: add vn back
			qhat--
			var c uint64
			for i := 0; i < n; i++ {
				un[j+i], c = bits.Add64(un[j+i], vn[i], c)
			}
			un[j+n] += c
		}
		q[j] = qhat
	}
	// Denormalize the remainder.
	for i := 0; i < n-1; i++ {
		r[i] = un[i]>>s | un[i+1]<<(64-s)
	}
	r[n-1] = un[n-1] >> s
	return q, r
}

// pow10w holds 10^0 … 10^77, the powers of ten below 2^256. Read only.
var pow10w = func() (p [78]u256) {
	p[0] = u2(1, 0)
	for i := 1; i < len(p); i++ {
		p[i], _ = mul256(p[i-1], u2(10, 0))
	}
	return p
}()

// appendDigits appends the decimal digits of the magnitude x < 2^128.
func appendDigits(b []byte, lo, hi uint64) []byte {
	if hi == 0 {
		return appendUint(b, lo)
	}
	// x = hi·2^64 + lo; split off 19 digits at a time (10^19 < 2^64).
	const p19 = 10_000_000_000_000_000_000
	var parts [3]uint64
	n := 0
	for hi != 0 {
		var r uint64
		hi, r = bits.Div64(0, hi, p19)
		lo, r = bits.Div64(r, lo, p19)
		parts[n] = r
		n++
	}
	b = appendUint(b, lo)
	for i := n - 1; i >= 0; i-- {
		var buf [19]byte
		d := appendUint(buf[:0], parts[i])
		for k := len(d); k < 19; k++ {
			b = append(b, '0')
		}
		b = append(b, d...)
	}
	return b
}

func appendUint(b []byte, x uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for x >= 10 {
		i--
		buf[i] = byte('0' + x%10)
		x /= 10
	}
	i--
	buf[i] = byte('0' + x)
	return append(b, buf[i:]...)
}
