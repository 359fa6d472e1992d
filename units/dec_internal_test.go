package units

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The fixed-width arithmetic (dec, wide) must give exactly what decimal
// gives: the same coefficient and the same exponent, for every operation
// it does not decline. These properties draw operands across the widths
// that matter (small integers, around 2^64, 2^127, 2^128 and 2^256) and
// exponents around the package's Places, and compare with decimal itself.

// genCoefficient draws a coefficient of up to 260 bits, often near a word
// boundary, with all-ones and sparse word patterns that stress the
// division's estimates.
func genCoefficient() *rapid.Generator[*big.Int] {
	return rapid.Custom(func(t *rapid.T) *big.Int {
		c := new(big.Int)
		switch rapid.IntRange(0, 5).Draw(t, "kind") {
		case 0: // small
			c.SetInt64(rapid.Int64Range(0, 100000).Draw(t, "small"))
		case 1: // around a power of two
			k := rapid.SampledFrom([]uint{63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 257}).Draw(t, "bits")
			c.Lsh(big.NewInt(1), k)
			c.Add(c, big.NewInt(rapid.Int64Range(-3, 3).Draw(t, "delta")))
		case 2: // around a power of ten
			k := rapid.IntRange(0, 78).Draw(t, "digits")
			c.Exp(big.NewInt(10), big.NewInt(int64(k)), nil)
			c.Mul(c, big.NewInt(rapid.Int64Range(1, 9).Draw(t, "lead")))
			c.Add(c, big.NewInt(rapid.Int64Range(-2, 2).Draw(t, "delta")))
		case 3: // word patterns
			n := rapid.IntRange(1, 4).Draw(t, "words")
			for i := 0; i < n; i++ {
				w := rapid.SampledFrom([]uint64{0, 1, 1 << 63, ^uint64(0), ^uint64(0) >> 1, rapid.Uint64().Draw(t, "w")}).Draw(t, "word")
				c.Lsh(c, 64)
				c.Or(c, new(big.Int).SetUint64(w))
			}
		default: // any width
			n := rapid.IntRange(1, 260).Draw(t, "bitlen")
			for i := 0; i < n; i += 64 {
				c.Lsh(c, 64)
				c.Or(c, new(big.Int).SetUint64(rapid.Uint64().Draw(t, "w")))
			}
			c.Rsh(c, uint(c.BitLen()-n)*boolToUint(c.BitLen() > n))
		}
		if c.Sign() < 0 {
			c.Neg(c)
		}
		if rapid.Bool().Draw(t, "negative") {
			c.Neg(c)
		}
		return c
	})
}

func boolToUint(b bool) uint {
	if b {
		return 1
	}
	return 0
}

func genDecimal(name string) *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		c := genCoefficient().Draw(t, name+" coefficient")
		e := rapid.Int32Range(-75, 12).Draw(t, name+" exponent")
		return decimal.NewFromBigInt(c, e)
	})
}

// same reports whether d holds exactly v: coefficient and exponent.
func same(d dec, v decimal.Decimal) bool {
	w := d.decimal()
	return w.Exponent() == v.Exponent() && w.Coefficient().Cmp(v.Coefficient()) == 0
}

func show(v decimal.Decimal) string {
	return v.Coefficient().String() + "e" + big.NewInt(int64(v.Exponent())).String()
}

func TestLawDecHoldsTheDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genDecimal("v").Draw(t, "v")
		d := decOf(v)
		if !same(d, v) {
			t.Fatalf("decOf(%s) reads back %s", show(v), show(d.decimal()))
		}
		if small := v.Coefficient().BitLen() <= 128; small != (d.b == nil) {
			t.Fatalf("decOf(%s): two words %v, want %v", show(v), d.b == nil, small)
		}
		if d.sign() != v.Sign() || d.negate().sign() != v.Neg().Sign() || !same(d.negate(), v.Neg()) || !same(d.abs(), v.Abs()) {
			t.Fatalf("sign, negate or abs of %s", show(v))
		}
	})
}

// fastOps are the wide operations with their decimal counterparts.
func TestLawWideIsDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genDecimal("a").Draw(t, "a"), genDecimal("b").Draw(t, "b")
		x, xok := decOf(a).wide()
		y, yok := decOf(b).wide()
		if !xok || !yok {
			return // held as big.Int: decimal's path (checked below through ratio)
		}
		check := func(op string, w wide, ok bool, want decimal.Decimal) {
			t.Helper()
			if !ok {
				return
			}
			if got := w.decAny(); !same(got, want) {
				t.Fatalf("%s(%s, %s) = %s, decimal gives %s", op, show(a), show(b), show(got.decimal()), show(want))
			}
		}
		w, ok := x.mul(y)
		check("mul", w, ok, a.Mul(b))
		w, ok = x.add(y)
		check("add", w, ok, a.Add(b))
		w, ok = x.sub(y)
		check("sub", w, ok, a.Sub(b))
		if c, ok := x.cmp(y); ok && c != a.Cmp(b) {
			t.Fatalf("cmp(%s, %s) = %d, decimal gives %d", show(a), show(b), c, a.Cmp(b))
		}
		places := rapid.Int32Range(-5, 45).Draw(t, "places")
		w, ok = x.round(places)
		check("round", w, ok, a.Round(places))
		if b.Sign() != 0 {
			w, ok = x.divRound(y, places)
			check("divRound", w, ok, a.DivRound(b, places))
			w, ok = x.divRound(y, Places)
			check("divRound at Places", w, ok, a.DivRound(b, Places))
			q, r, ok := x.quoRem0(y)
			wq, wr := a.QuoRem(b, 0)
			check("quoRem0 quotient", q, ok, wq)
			check("quoRem0 remainder", r, ok, wr)
		}
	})
}

// TestLawFastPathsAreDecimal checks the package's value functions against
// their decimal references, on operands of every width.
func TestLawFastPathsAreDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "numerator factors")
		m := rapid.IntRange(0, 3).Draw(t, "denominator factors")
		var nums, dens []dec
		for range n {
			nums = append(nums, decOf(genDecimal("num").Draw(t, "num")))
		}
		for range m {
			d := genDecimal("den").Draw(t, "den")
			if d.Sign() == 0 {
				d = decimal.New(1, d.Exponent())
			}
			dens = append(dens, decOf(d))
		}
		if got, want := ratio(nums, dens), slowRatio(nums, dens); !same(got, want.decimal()) {
			t.Fatalf("ratio = %s, decimal gives %s", show(got.decimal()), show(want.decimal()))
		}
		v := nums[0]
		if len(nums) > 1 {
			a, m := nums[0], nums[1]
			if got, want := decMul(a, m), slowRatio([]dec{a, m}, nil); !same(got, want.decimal()) {
				t.Fatalf("decMul = %s, decimal gives %s", show(got.decimal()), show(want.decimal()))
			}
			if len(dens) > 0 {
				if got, want := decMulDiv(a, m, dens[0]), slowRatio([]dec{a, m}, dens[:1]); !same(got, want.decimal()) {
					t.Fatalf("decMulDiv = %s, decimal gives %s", show(got.decimal()), show(want.decimal()))
				}
			}
			u := rapid.IntRange(1, int(numUnits)-1).Draw(t, "unit")
			var o Unit
			for o = Unit(1); o < numUnits && (tab.dim[o] != tab.dim[u] || o == Unit(u)); o++ {
			}
			if o < numUnits {
				c := tab.conv[u][o]
				want := a.decimal().Mul(tab.num[u]).Mul(tab.den[o]).Cmp(m.decimal().Mul(tab.num[o]).Mul(tab.den[u]))
				if got := crossConv(a, c, m); got != want {
					t.Fatalf("crossConv(%s %v, %s %v) = %d, want %d", show(a.decimal()), Unit(u), show(m.decimal()), o, got, want)
				}
			}
		}
		if got, want := decBound(v), bound(v.decimal()); !same(got, want) {
			t.Fatalf("bound(%s) = %s, decimal gives %s", show(v.decimal()), show(got.decimal()), show(want))
		}
		if got, want := decProduct(nums...), slowProduct(nums); !same(got, want) {
			t.Fatalf("product = %s, decimal gives %s", show(got.decimal()), show(want))
		}
		if len(nums) > 1 {
			a, b := nums[0], nums[1]
			if got, want := decAdd(a, b), a.decimal().Add(b.decimal()); !same(got, want) {
				t.Fatalf("add = %s, decimal gives %s", show(got.decimal()), show(want))
			}
			if got, want := decSub(a, b), a.decimal().Sub(b.decimal()); !same(got, want) {
				t.Fatalf("sub = %s, decimal gives %s", show(got.decimal()), show(want))
			}
			if got, want := a.cmp(b), a.decimal().Cmp(b.decimal()); got != want {
				t.Fatalf("cmp = %d, decimal gives %d", got, want)
			}
		}
		for _, group := range []bool{false, true} {
			if got, want := formatNumber(v, group), slowFormatNumber(v.decimal(), group); got != want {
				t.Fatalf("formatNumber(%s, %v) = %q, decimal gives %q", show(v.decimal()), group, got, want)
			}
		}
		if len(dens) > 0 && dens[0].sign() > 0 {
			step := decOf(genDecimal("step").Draw(t, "step").Abs())
			if step.isZero() {
				step = decOne
			}
			mode := RoundingMode(rapid.IntRange(1, int(numModes)-1).Draw(t, "mode"))
			if got, want := roundToStep(v, dens[0], step, mode), slowRoundToStep(v, dens[0], step, mode); !same(got, want.decimal()) {
				t.Fatalf("roundToStep(%s, %s, %s, %v) = %s, decimal gives %s", show(v.decimal()), show(dens[0].decimal()), show(step.decimal()), mode,
					show(got.decimal()), show(want.decimal()))
			}
		}
	})
}

func slowProduct(ds []dec) decimal.Decimal {
	p := ds[0].decimal()
	for _, d := range ds[1:] {
		p = p.Mul(d.decimal())
	}
	return p
}

// TestLawDivmodIsBigInt checks the 256-bit division against math/big.
func TestLawDivmodIsBigInt(t *testing.T) {
	toU := func(c *big.Int) u256 {
		var u [4]uint64
		c = new(big.Int).Abs(c)
		for i := range u {
			u[i] = new(big.Int).And(c, new(big.Int).SetUint64(^uint64(0))).Uint64()
			c.Rsh(c, 64)
		}
		return fromArray(u)
	}
	toBig := func(x u256) *big.Int {
		u, c := x.array(), new(big.Int)
		for i := 3; i >= 0; i-- {
			c.Lsh(c, 64)
			c.Or(c, new(big.Int).SetUint64(u[i]))
		}
		return c
	}
	limit := new(big.Int).Lsh(big.NewInt(1), 256)
	rapid.Check(t, func(t *rapid.T) {
		a, b := genCoefficient().Draw(t, "a"), genCoefficient().Draw(t, "b")
		a.Abs(a).Mod(a, limit)
		b.Abs(b).Mod(b, limit)
		if b.Sign() == 0 {
			b.SetInt64(1)
		}
		q, r := divmod(toU(a), toU(b))
		wq, wr := new(big.Int).QuoRem(a, b, new(big.Int))
		if toBig(q).Cmp(wq) != 0 || toBig(r).Cmp(wr) != 0 {
			t.Fatalf("divmod(%v, %v) = %v, %v; math/big gives %v, %v", a, b, toBig(q), toBig(r), wq, wr)
		}
		p, ok := mul256(toU(a), toU(b))
		wp := new(big.Int).Mul(a, b)
		if fits := wp.Cmp(limit) < 0; ok != fits || ok && toBig(p).Cmp(wp) != 0 {
			t.Fatalf("mul256(%v, %v) = %v, %v; math/big gives %v", a, b, toBig(p), ok, wp)
		}
	})
}

// TestFastPathAllocations: values held in two words compute without
// allocating.
func TestFastPathAllocations(t *testing.T) {
	dose, stock, mcg := MustParse("40 mg"), MustParse("10 mg/mL"), MustParse("40000 mcg")
	rate, doseRate, kg, step := MustParse("156 mL/h"), MustParse("39 mg/h"), MustParse("80 kg"), MustParse("0.1 mL")
	allocs := testing.AllocsPerRun(100, func() {
		v, _ := dose.Div(stock)
		_, _ = v.Mul(stock)
		_, _ = doseRate.DivTo(kg, McgPerKgPerMin)
		_, _ = dose.Cmp(mcg)
		_, _, _ = v.RoundTo(step, RoundHalfUp)
		_, _ = dose.Add(mcg)
		_, _ = rate.MulDiv(dose, v)
		_, _ = rate.Convert(MLPerMin)
	})
	if allocs > 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}

func TestLawAccessorsAreDecimals(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genDecimal("v").Draw(t, "v")
		q := mk(decOf(v), Milligram)
		if got, want := q.InexactFloat64(), v.InexactFloat64(); got != want {
			t.Fatalf("InexactFloat64(%s) = %v, decimal gives %v", show(v), got, want)
		}
		c, e, ok := q.Coefficient()
		if e != v.Exponent() || ok != v.Coefficient().IsInt64() || ok && c != v.Coefficient().Int64() {
			t.Fatalf("Coefficient(%s) = %d, %d, %v", show(v), c, e, ok)
		}
	})
}

func TestLawRoundAndTruncateAreDecimals(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genDecimal("v").Draw(t, "v")
		places := rapid.Int32Range(-5, 45).Draw(t, "places")
		q := mk(decOf(v), Milliliter)
		if got, want := q.Round(places), v.Round(places); !same(got.v, want) || got.v.u != Milliliter {
			t.Fatalf("Round(%s, %d) = %s, decimal gives %s", show(v), places, show(got.v.decimal()), show(want))
		}
		if got, want := q.Truncate(places), v.Truncate(places); !same(got.v, want) || got.v.u != Milliliter {
			t.Fatalf("Truncate(%s, %d) = %s, decimal gives %s", show(v), places, show(got.v.decimal()), show(want))
		}
		if q.Exponent() != v.Exponent() {
			t.Fatalf("Exponent(%s) = %d", show(v), q.Exponent())
		}
	})
}

// TestLawCmpIsDecimal checks cmp's fast paths (one exponent; one word
// each) with operands drawn to hit them.
func TestLawCmpIsDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		draw := func(name string) decimal.Decimal {
			c := rapid.SampledFrom([]int64{0, 1, -1, 7, 1 << 62, -(1 << 62), rapid.Int64().Draw(t, name+" c")}).Draw(t, name)
			return decimal.New(c, rapid.Int32Range(-25, 5).Draw(t, name+" exp"))
		}
		a, b := draw("a"), draw("b")
		if got, want := decOf(a).cmp(decOf(b)), a.Cmp(b); got != want {
			t.Fatalf("cmp(%s, %s) = %d, decimal gives %d", show(a), show(b), got, want)
		}
	})
}

func TestLawZeroBeyondIsTruncation(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genDecimal("v").Draw(t, "v")
		places := rapid.Int32Range(-5, 80).Draw(t, "places")
		if got, want := decOf(v).zeroBeyond(places), v.Equal(v.Truncate(places)); got != want {
			t.Fatalf("zeroBeyond(%s, %d) = %v, want %v", show(v), places, got, want)
		}
	})
}

// TestLawNumberIsDecimal: every operation of Number gives what decimal's
// gives, coefficient and exponent, on operands of every width.
func TestLawNumberIsDecimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, b := genDecimal("a").Draw(t, "a"), genDecimal("b").Draw(t, "b")
		x, y := NumberOf(a), NumberOf(b)
		check := func(op string, got Number, want decimal.Decimal) {
			t.Helper()
			if !same(got.v, want) {
				t.Fatalf("%s(%s, %s) = %s, decimal gives %s", op, show(a), show(b), show(got.v.decimal()), show(want))
			}
		}
		check("Add", x.Add(y), a.Add(b))
		check("Sub", x.Sub(y), a.Sub(b))
		check("Mul", x.Mul(y), a.Mul(b))
		check("Neg", x.Neg(), a.Neg())
		check("Abs", x.Abs(), a.Abs())
		k := rapid.Int32Range(-40, 40).Draw(t, "shift")
		check("Shift", x.Shift(k), a.Shift(k))
		places := rapid.Int32Range(-5, 45).Draw(t, "places")
		check("Round", x.Round(places), a.Round(places))
		if b.Sign() != 0 {
			check("DivRound", x.DivRound(y, places), a.DivRound(b, places))
			q, exact := x.Quotient(y)
			wq := a.DivRound(b, Places)
			check("Quotient", q, wq)
			if exact != wq.Mul(b).Equal(a) {
				t.Fatalf("Quotient(%s, %s) exact %v", show(a), show(b), exact)
			}
		}
		if x.Cmp(y) != a.Cmp(b) || x.Equal(y) != a.Equal(b) || x.LessThan(y) != a.LessThan(b) || x.GreaterThan(y) != a.GreaterThan(b) ||
			x.Sign() != a.Sign() || x.IsZero() != a.IsZero() || x.Exponent() != a.Exponent() {
			t.Fatalf("comparisons of %s and %s", show(a), show(b))
		}
		if got, want := x.String(), slowFormatNumber(a, false); got != want {
			t.Fatalf("String(%s) = %q, want %q", show(a), got, want)
		}
		if got, want := x.Quantity(Milligram), New(a, Milligram); !same(got.v, want.v.decimal()) || got.Unit() != Milligram {
			t.Fatalf("Quantity(%s) = %v, want %v", show(a), got, want)
		}
		if x.InexactFloat64() != a.InexactFloat64() {
			t.Fatalf("InexactFloat64(%s)", show(a))
		}
		if got := NumberOf(a).Decimal(); !got.Equal(a) || got.Exponent() != a.Exponent() {
			t.Fatalf("Decimal(%s) = %s", show(a), show(got))
		}
		c := rapid.Int64().Draw(t, "c")
		if got, want := NewNumber(c, k), decimal.New(c, k); !same(got.v, want) {
			t.Fatalf("NewNumber(%d, %d) = %s", c, k, show(got.v.decimal()))
		}
		q := New(a, Milliliter)
		if got := q.Number(); !same(got.v, q.Value()) {
			t.Fatalf("Number of %v", q)
		}
	})
}
