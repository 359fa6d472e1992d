package pk

import (
	"math"
	"math/bits"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

// Times: exact decimals at the edge, float64 minutes inside.

// secondsPer is the length of each time unit in seconds; 0 for other units.
func secondsPer(u units.Unit) int64 {
	switch u {
	case units.Second:
		return 1
	case units.Minute:
		return 60
	case units.Hour:
		return 3600
	case units.Day:
		return 86400
	case units.Week:
		return 604800
	}
	return 0
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// minutes returns the time q in minutes as the float64 nearest its exact
// value. Every float64 time of the package comes from here, so At, Curve,
// Levels and Plot read a time given as a quantity as the same instant. Times
// as people write them ("10 s", "6 h", "12.5 min") take one division of two
// exactly represented numbers, which is correctly rounded and allocates
// nothing; others go through the exact decimal conversion.
func minutes(q units.Quantity) float64 {
	if s := secondsPer(q.Unit()); s > 0 {
		c, exp, ok := q.Coefficient()
		if e := -int(exp); ok && e >= 0 && e <= 20 && -1e15 < c && c < 1e15 {
			// v = c·10^−e: minutes = c·(s/60) / 10^e, or c / (60·10^e) for
			// seconds. The denominator, 10^e or 6·10^(e+1), is exact in
			// float64 for e ≤ 20, and so is a numerator below 2^53.
			num, den := c, 60.0
			if s >= 60 {
				num, den = num*(s/60), 1 // |num| < 10^15 · 10,080 < 2^63
			}
			if abs64(num) <= 1<<53 {
				return float64(num) / (den * pow10[e])
			}
		}
	}
	m, err := q.Convert(units.Minute)
	if err != nil {
		return math.NaN()
	}
	return m.InexactFloat64()
}

// exponent is the exponent of q's exact value.
func exponent(q units.Quantity) int32 {
	_, e, _ := q.Coefficient()
	return e
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// ticks returns q as a whole number of 10^e seconds, or false when q is not
// a time or that number does not fit in an int64.
func ticks(q units.Quantity, e int32) (int64, bool) {
	c, exp, ok := q.Coefficient()
	s := secondsPer(q.Unit())
	if s == 0 || !ok || c <= -1e18 || c >= 1e18 || exp < e {
		return 0, false
	}
	x := c
	for range exp - e {
		if x, ok = mul64(x, 10); !ok {
			return 0, false
		}
	}
	return mul64(x, s)
}

// mul64 returns x·k for k > 0, and false when it overflows.
func mul64(x, k int64) (int64, bool) {
	hi, lo := bits.Mul64(uint64(abs64(x)), uint64(k))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if x < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

// points returns how many times from, from + step, … are at most to: the
// exact count, with integer arithmetic when the three fit a common int64
// grid (always, for times as people write them) and decimals otherwise.
// step must be positive.
func points(from, to, step units.Quantity) (n int64, ok bool) {
	e := min(exponent(from), exponent(to), exponent(step), 0)
	f, ok1 := ticks(from, e)
	t, ok2 := ticks(to, e)
	s, ok3 := ticks(step, e)
	if ok1 && ok2 && ok3 && s > 0 {
		if t < f {
			return 0, false
		}
		return (t-f)/s + 1, true
	}
	u := finest(from.Unit(), to.Unit(), step.Unit())
	fq, _ := from.Convert(u) // exact: a coarser time unit is a whole number of finer ones
	tq, _ := to.Convert(u)
	sq, _ := step.Convert(u)
	span := tq.Value().Sub(fq.Value())
	if span.Sign() < 0 {
		return 0, false
	}
	k, _ := span.QuoRem(sq.Value(), 0)
	if k.Cmp(decimal.NewFromInt(maxPoints)) >= 0 {
		return maxPoints + 1, true
	}
	return k.IntPart() + 1, true
}

// exactTimes returns k ↦ from + k·step, exactly, in the finest unit of the
// two. When both fit in int64 at a common exponent it builds each decimal
// from one integer.
func exactTimes(from, step units.Quantity) (func(k int64) units.Quantity, units.Unit) {
	u := finest(from.Unit(), step.Unit())
	fq, _ := from.Convert(u) // exact: to a finer time unit
	sq, _ := step.Convert(u)
	f, s := fq.Value(), sq.Value()
	e := min(f.Exponent(), s.Exponent())
	fb, sb := f.Shift(-e).BigInt(), s.Shift(-e).BigInt()
	if fb.IsInt64() && sb.IsInt64() && sb.Int64() > 0 && (math.MaxInt64-fb.Int64())/sb.Int64() >= maxPoints {
		fi, si := fb.Int64(), sb.Int64()
		return func(k int64) units.Quantity { return units.New(decimal.New(fi+k*si, e), u) }, u
	}
	return func(k int64) units.Quantity { return units.New(f.Add(decimal.NewFromInt(k).Mul(s)), u) }, u
}

// finest returns the smallest of the given time units.
func finest(us ...units.Unit) units.Unit {
	best := us[0]
	for _, u := range us[1:] {
		if secondsPer(u) < secondsPer(best) {
			best = u
		}
	}
	return best
}
