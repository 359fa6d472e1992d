package units_test

import (
	"errors"
	"math"
	"math/big"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Property tests. Each is named after the law it checks. The oracle is exact
// rational arithmetic (math/big.Rat) on the hand-written factors of
// unitFacts, never the package's own tables.

// --- generators ---

// quantityIn draws coefficient × 10^exponent in a unit drawn from unit, with
// exponent in [-6, 0]: up to six decimal places, as clinical values have.
func quantityIn(unit *rapid.Generator[units.Unit], minCoef, maxCoef int64) *rapid.Generator[units.Quantity] {
	return rapid.Custom(func(t *rapid.T) units.Quantity {
		u := unit.Draw(t, "unit")
		c := rapid.Int64Range(minCoef, maxCoef).Draw(t, "coefficient")
		e := rapid.Int32Range(-6, 0).Draw(t, "exponent")
		return units.New(decimal.New(c, e), u)
	})
}

var (
	anyUnit     = rapid.SampledFrom(units.Units())
	anyQuantity = quantityIn(anyUnit, math.MinInt64, math.MaxInt64)
	nonNegative = quantityIn(anyUnit, 0, math.MaxInt64)
)

// sameDimension draws a unit of u's dimension (by the hand table).
func sameDimension(t *rapid.T, u units.Unit, label string) units.Unit {
	var like []units.Unit
	for _, f := range unitFacts {
		if f.dim == factOf(t, u).dim {
			like = append(like, f.unit)
		}
	}
	return rapid.SampledFrom(like).Draw(t, label)
}

// quantityLike draws a quantity in a unit of u's dimension.
func quantityLike(t *rapid.T, u units.Unit, label string) units.Quantity {
	return quantityIn(rapid.Just(sameDimension(t, u, label+" unit")), math.MinInt64, math.MaxInt64).Draw(t, label)
}

// --- oracle ---

type fataler interface{ Fatalf(string, ...any) }

func factOf(t fataler, u units.Unit) unitFact {
	for _, f := range unitFacts {
		if f.unit == u {
			return f
		}
	}
	t.Fatalf("no unitFact for unit %d (%v): add a row to unitFacts", int(u), u)
	return unitFact{}
}

// factorOf returns the hand-written factor of u to its base unit.
func factorOf(t fataler, u units.Unit) *big.Rat {
	f := factOf(t, u)
	r, ok := new(big.Rat).SetString(f.factor)
	if !ok {
		t.Fatalf("bad factor %q for %v", f.factor, u)
	}
	return r
}

func ratOf(d decimal.Decimal) *big.Rat { return d.Rat() }

// baseValue is q in the base unit of its dimension, exactly.
func baseValue(t fataler, q units.Quantity) *big.Rat {
	return new(big.Rat).Mul(ratOf(q.Value()), factorOf(t, q.Unit()))
}

// inUnit is the exact value of the base value b in unit u.
func inUnit(t fataler, b *big.Rat, u units.Unit) *big.Rat {
	return new(big.Rat).Quo(b, factorOf(t, u))
}

var tenToPlaces = new(big.Int).Exp(big.NewInt(10), big.NewInt(units.Places), nil)

// roundPlaces rounds r half away from zero at Places decimal places: the
// documented rounding of every inexact result.
func roundPlaces(r *big.Rat) *big.Rat {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(tenToPlaces))
	q, m := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	if twice.Cmp(scaled.Denom()) >= 0 {
		q.Add(q, big.NewInt(int64(scaled.Sign())))
	}
	return new(big.Rat).SetFrac(q, tenToPlaces)
}

// exactWithin reports whether r has a finite decimal form of at most Places places.
func exactWithin(r *big.Rat) bool {
	return new(big.Rat).Mul(r, new(big.Rat).SetInt(tenToPlaces)).IsInt()
}

func places(q units.Quantity) int32 {
	if e := q.Value().Exponent(); e < 0 {
		return -e
	}
	return 0
}

// dimAdd returns a + sign·b, field by field.
func dimAdd(a, b units.Dimension, sign int8) units.Dimension {
	va, vb := reflect.ValueOf(&a).Elem(), reflect.ValueOf(b)
	for i := range va.NumField() {
		va.Field(i).SetInt(va.Field(i).Int() + int64(sign)*vb.Field(i).Int())
	}
	return a
}

func hasUnitOf(d units.Dimension) bool {
	for _, f := range unitFacts {
		if f.dim == d {
			return true
		}
	}
	return false
}

func wantRat(t *rapid.T, what string, got units.Quantity, want *big.Rat) {
	t.Helper()
	if g := ratOf(got.Value()); g.Cmp(want) != 0 {
		t.Fatalf("%s = %v (%s), want %s %v", what, got, g.FloatString(int(units.Places)+2), want.FloatString(int(units.Places)+2), got.Unit())
	}
}

// --- text laws ---

func TestParseTextRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := nonNegative.Draw(t, "q")
		got, err := units.Parse(q.Text())
		if err != nil {
			t.Fatalf("Parse(%q): %v", q.Text(), err)
		}
		if !got.Equal(q) {
			t.Fatalf("Parse(%q) = %v, want %v", q.Text(), got, q)
		}
		if got.Text() != q.Text() {
			t.Fatalf("Text not stable: %q then %q", q.Text(), got.Text())
		}
	})
}

func TestParseStringRoundTripBelow1000(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		e := rapid.Int32Range(-6, 0).Draw(t, "exponent")
		limit := int64(1000 * math.Pow10(int(-e))) // below 1000
		q := units.New(decimal.New(rapid.Int64Range(0, limit-1).Draw(t, "coefficient"), e), anyUnit.Draw(t, "unit"))
		got, err := units.Parse(q.String())
		if err != nil {
			t.Fatalf("Parse(%q): %v", q.String(), err)
		}
		if !got.Equal(q) {
			t.Fatalf("Parse(%q) = %v, want %v", q.String(), got, q)
		}
	})
}

func TestMarshalTextRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		if rapid.Bool().Draw(t, "zero Quantity") {
			q = units.Quantity{}
		}
		checkMarshal(t, q)
	})
}

// checkMarshal checks unmarshal(marshal(q)) == q and that marshalling again
// gives the same bytes.
func checkMarshal(t interface {
	Helper()
	Fatalf(string, ...any)
}, q units.Quantity) {
	t.Helper()
	b, err := q.MarshalText()
	if err != nil {
		t.Fatalf("MarshalText(%v): %v", q, err)
	}
	var back units.Quantity
	if err := back.UnmarshalText(b); err != nil {
		t.Fatalf("UnmarshalText(%q): %v", b, err)
	}
	if !back.Equal(q) {
		t.Fatalf("UnmarshalText(%q) = %v, want %v", b, back, q)
	}
	again, err := back.MarshalText()
	if err != nil || string(again) != string(b) {
		t.Fatalf("marshalling again gave %q, %v; want %q", again, err, b)
	}
}

var (
	displayNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,2}(,[0-9]{3})*)(\.[0-9]*[1-9])?$`)
	textNumber    = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$`)
)

func TestFormattingHasNoTrailingZeroNakedDecimalOrMissingSpace(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		for _, f := range []struct {
			name string
			s    string
			re   *regexp.Regexp
		}{{"String", q.String(), displayNumber}, {"Text", q.Text(), textNumber}} {
			num, unit, ok := strings.Cut(f.s, " ")
			if !ok || strings.Contains(unit, " ") || unit == "" {
				t.Fatalf("%s() = %q: want exactly one space between number and unit", f.name, f.s)
			}
			if !f.re.MatchString(num) || num == "-0" {
				t.Fatalf("%s() = %q: number %q has a trailing zero, a naked decimal, a stray sign or bad grouping", f.name, f.s, num)
			}
			if u, err := units.ParseUnit(unit); err != nil || u != q.Unit() {
				t.Fatalf("%s() = %q: unit %q reads as %v, %v; want %v", f.name, f.s, unit, u, err, q.Unit())
			}
			if v := decimal.RequireFromString(strings.ReplaceAll(num, ",", "")); !v.Equal(q.Value()) {
				t.Fatalf("%s() = %q shows %v, want the exact value %v", f.name, f.s, v, q.Value())
			}
		}
		grouped := strings.Contains(q.String(), ",")
		if big := q.Value().Abs().Cmp(thousand) >= 0; grouped != big {
			t.Fatalf("String() = %q: grouped %t, want grouping exactly from 1,000", q.String(), grouped)
		}
	})
}

// --- conversion laws ---

func TestConvertEqualsExactFactorsRoundedAtPlaces(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		to := sameDimension(t, q.Unit(), "to")
		got, err := q.Convert(to)
		if err != nil {
			t.Fatalf("%v.Convert(%v): %v", q, to, err)
		}
		if got.Unit() != to {
			t.Fatalf("unit %v, want %v", got.Unit(), to)
		}
		exact := inUnit(t, baseValue(t, q), to)
		wantRat(t, "Convert", got, roundPlaces(exact))
	})
}

func TestConvertRefusesOtherDimensions(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		to := anyUnit.Draw(t, "to")
		got, err := q.Convert(to)
		if factOf(t, q.Unit()).dim == factOf(t, to).dim {
			if err != nil {
				t.Fatalf("%v.Convert(%v): %v", q, to, err)
			}
			return
		}
		var de *units.DimensionError
		if !errors.As(err, &de) || got.IsValid() {
			t.Fatalf("%v.Convert(%v) = %v, %v; want a *DimensionError", q, to, got, err)
		}
	})
}

func TestConvertRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		if rapid.Bool().Draw(t, "up to 20 places") { // the bound the Places doc promises
			q = units.New(decimal.New(rapid.Int64().Draw(t, "coefficient"), rapid.Int32Range(-20, 0).Draw(t, "exponent")), q.Unit())
		}
		to := sameDimension(t, q.Unit(), "to")
		there, err := q.Convert(to)
		if err != nil {
			t.Fatal(err)
		}
		back, err := there.Convert(q.Unit())
		if err != nil {
			t.Fatal(err)
		}
		ratio := new(big.Rat).Quo(factorOf(t, q.Unit()), factorOf(t, to))
		if exactWithin(new(big.Rat).Mul(ratOf(q.Value()), ratio)) {
			// The factor ratio terminates for this value: exact both ways.
			if !back.Equal(q) {
				t.Fatalf("%v → %v → %v, want exactly %v", q, there, back, q)
			}
			return
		}
		if got := back.Value().Round(places(q)); !got.Equal(q.Value()) {
			t.Fatalf("%v → %v → %v, which is %v at %d places; want %v", q, there, back, got, places(q), q)
		}
	})
}

func TestConvertThroughIntermediateUnitEqualsDirect(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		via := sameDimension(t, q.Unit(), "via")
		to := sameDimension(t, q.Unit(), "to")
		direct, err := q.Convert(to)
		if err != nil {
			t.Fatal(err)
		}
		mid, err := q.Convert(via)
		if err != nil {
			t.Fatal(err)
		}
		twoSteps, err := mid.Convert(to)
		if err != nil {
			t.Fatal(err)
		}
		if exactWithin(inUnit(t, baseValue(t, q), via)) {
			// Nothing was lost on the way: both round the same exact value once.
			if !twoSteps.Equal(direct) {
				t.Fatalf("%v → %v → %v = %v, directly %v", q, via, to, twoSteps, direct)
			}
			return
		}
		// Otherwise they differ by at most the roundings at Places: half a
		// unit of the last place in via, scaled to to, plus half in to for
		// each path.
		ulp := new(big.Rat).SetFrac(big.NewInt(1), tenToPlaces)
		scale := new(big.Rat).Quo(factorOf(t, via), factorOf(t, to))
		bound := new(big.Rat).Mul(ulp, new(big.Rat).Add(new(big.Rat).Mul(scale, big.NewRat(1, 2)), big.NewRat(1, 1)))
		diff := new(big.Rat).Sub(ratOf(twoSteps.Value()), ratOf(direct.Value()))
		if diff.Abs(diff).Cmp(bound) > 0 {
			t.Fatalf("%v → %v → %v = %v, directly %v: differ by %s, more than %s", q, via, to, twoSteps, direct, diff.FloatString(40), bound.FloatString(40))
		}
	})
}

func TestCmpAgreesWithExactValuesAndConvert(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a := anyQuantity.Draw(t, "a")
		var b units.Quantity
		if rapid.Bool().Draw(t, "b is a converted") {
			var err error
			if b, err = a.Convert(sameDimension(t, a.Unit(), "b unit")); err != nil {
				t.Fatal(err)
			}
		} else {
			b = quantityLike(t, a.Unit(), "b")
		}
		got, err := a.Cmp(b)
		if err != nil {
			t.Fatalf("%v.Cmp(%v): %v", a, b, err)
		}
		if want := baseValue(t, a).Cmp(baseValue(t, b)); got != want {
			t.Fatalf("%v.Cmp(%v) = %d, exact comparison %d", a, b, got, want)
		}
		if back, _ := b.Cmp(a); back != -got {
			t.Fatalf("%v.Cmp(%v) = %d but %v.Cmp(%v) = %d", a, b, got, b, a, back)
		}
		conv, err := a.Convert(b.Unit())
		if err != nil {
			t.Fatal(err)
		}
		viaConvert, _ := conv.Cmp(b)
		if viaConvert != 0 && viaConvert != got || got == 0 && viaConvert != 0 {
			t.Fatalf("%v.Cmp(%v) = %d but after Convert %v.Cmp = %d", a, b, got, conv, viaConvert)
		}
	})
}

// --- arithmetic laws ---

func TestAddIsCommutativeAndEqualsExactSumAtPlaces(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a := anyQuantity.Draw(t, "a")
		b := quantityLike(t, a.Unit(), "b")
		ab, err := a.Add(b)
		if err != nil {
			t.Fatal(err)
		}
		ba, err := b.Add(a)
		if err != nil {
			t.Fatal(err)
		}
		sum := new(big.Rat).Add(baseValue(t, a), baseValue(t, b))
		wantRat(t, "a + b", ab, roundPlaces(inUnit(t, sum, a.Unit())))
		wantRat(t, "b + a", ba, roundPlaces(inUnit(t, sum, b.Unit())))
		if a.Unit() == b.Unit() && !ab.Equal(ba) {
			t.Fatalf("%v + %v = %v but %v + %v = %v", a, b, ab, b, a, ba)
		}
		diff, err := ab.Sub(b)
		if err != nil {
			t.Fatal(err)
		}
		if a.Unit() == b.Unit() && !diff.Equal(a) {
			t.Fatalf("(%v + %v) − %v = %v, want %v", a, b, b, diff, a)
		}
	})
}

func TestMulDimensionIsSumOfDimensions(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b := anyQuantity.Draw(t, "a"), anyQuantity.Draw(t, "b")
		want := dimAdd(factOf(t, a.Unit()).dim, factOf(t, b.Unit()).dim, 1)
		got, err := a.Mul(b)
		if !hasUnitOf(want) {
			var de *units.DimensionError
			if !errors.As(err, &de) || got.IsValid() {
				t.Fatalf("%v × %v = %v, %v; no unit has dimension %v, want a *DimensionError", a, b, got, err, want)
			}
			return
		}
		if err != nil {
			t.Fatalf("%v × %v: %v (dimension %v has a unit)", a, b, err, want)
		}
		if d := factOf(t, got.Unit()).dim; d != want {
			t.Fatalf("%v × %v = %v of dimension %v, want %v", a, b, got, d, want)
		}
		product := new(big.Rat).Mul(baseValue(t, a), baseValue(t, b))
		wantRat(t, "a × b", got, roundPlaces(inUnit(t, product, got.Unit())))
	})
}

func TestDivDimensionIsDifferenceOfDimensions(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b := anyQuantity.Draw(t, "a"), anyQuantity.Draw(t, "b")
		want := dimAdd(factOf(t, a.Unit()).dim, factOf(t, b.Unit()).dim, -1)
		got, err := a.Div(b)
		switch {
		case b.Sign() == 0:
			if !errors.Is(err, units.ErrDivideByZero) {
				t.Fatalf("%v ÷ %v = %v, %v; want ErrDivideByZero", a, b, got, err)
			}
			return
		case !hasUnitOf(want):
			var de *units.DimensionError
			if !errors.As(err, &de) || got.IsValid() {
				t.Fatalf("%v ÷ %v = %v, %v; no unit has dimension %v, want a *DimensionError", a, b, got, err, want)
			}
			return
		case err != nil:
			t.Fatalf("%v ÷ %v: %v", a, b, err)
		}
		if d := factOf(t, got.Unit()).dim; d != want {
			t.Fatalf("%v ÷ %v = %v of dimension %v, want %v", a, b, got, d, want)
		}
		quotient := new(big.Rat).Quo(baseValue(t, a), baseValue(t, b))
		wantRat(t, "a ÷ b", got, roundPlaces(inUnit(t, quotient, got.Unit())))
	})
}

func TestMulThenDivGivesBackAtItsPrecision(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a := anyQuantity.Draw(t, "a")
		// b in a unit whose product with a's has a unit (% always has).
		var fits []units.Unit
		for _, f := range unitFacts {
			if hasUnitOf(dimAdd(factOf(t, a.Unit()).dim, f.dim, 1)) {
				fits = append(fits, f.unit)
			}
		}
		b := quantityIn(rapid.SampledFrom(fits), 1, math.MaxInt64).Draw(t, "b")
		if rapid.Bool().Draw(t, "negative b") {
			b, _ = b.Scale(decimal.NewFromInt(-1))
		}
		p, err := a.Mul(b)
		if err != nil {
			t.Fatalf("%v × %v: %v", a, b, err)
		}
		back, err := p.Div(b)
		if err != nil {
			t.Fatalf("(%v × %v) ÷ %v: %v", a, b, b, err)
		}
		inA, err := back.Convert(a.Unit())
		if err != nil {
			t.Fatalf("(%v × %v) ÷ %v = %v, not of a's dimension: %v", a, b, b, back, err)
		}
		if got := inA.Value().Round(places(a)); !got.Equal(a.Value()) {
			t.Fatalf("(%v × %v) ÷ %v = %v, %v at a's %d places; want %v", a, b, b, inA, got, places(a), a)
		}
	})
}

func TestMulDivAndDivToEqualExactResultRoundedOnce(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q, m, d := anyQuantity.Draw(t, "q"), anyQuantity.Draw(t, "m"), anyQuantity.Draw(t, "d")
		want := dimAdd(dimAdd(factOf(t, q.Unit()).dim, factOf(t, m.Unit()).dim, 1), factOf(t, d.Unit()).dim, -1)
		got, err := q.MulDiv(m, d)
		switch {
		case d.Sign() == 0:
			if !errors.Is(err, units.ErrDivideByZero) {
				t.Fatalf("MulDiv(%v, %v, %v) = %v, %v; want ErrDivideByZero", q, m, d, got, err)
			}
			return
		case !hasUnitOf(want):
			if !errors.Is(err, units.ErrDimension) {
				t.Fatalf("MulDiv(%v, %v, %v) = %v, %v; want ErrDimension", q, m, d, got, err)
			}
			return
		case err != nil:
			t.Fatalf("MulDiv(%v, %v, %v): %v", q, m, d, err)
		}
		if dim := factOf(t, got.Unit()).dim; dim != want {
			t.Fatalf("MulDiv(%v, %v, %v) = %v of dimension %v, want %v", q, m, d, got, dim, want)
		}
		exact := new(big.Rat).Quo(new(big.Rat).Mul(baseValue(t, q), baseValue(t, m)), baseValue(t, d))
		wantRat(t, "q × m ÷ d", got, roundPlaces(inUnit(t, exact, got.Unit())))

		to := anyUnit.Draw(t, "to")
		quo, err := q.DivTo(m, to)
		wantDim := dimAdd(factOf(t, q.Unit()).dim, factOf(t, m.Unit()).dim, -1)
		switch {
		case m.Sign() == 0:
			if !errors.Is(err, units.ErrDivideByZero) {
				t.Fatalf("DivTo(%v, %v, %v) = %v, %v; want ErrDivideByZero", q, m, to, quo, err)
			}
		case factOf(t, to).dim != wantDim:
			if !errors.Is(err, units.ErrDimension) {
				t.Fatalf("DivTo(%v, %v, %v) = %v, %v; want ErrDimension", q, m, to, quo, err)
			}
		case err != nil:
			t.Fatalf("DivTo(%v, %v, %v): %v", q, m, to, err)
		default:
			exact := new(big.Rat).Quo(baseValue(t, q), baseValue(t, m))
			wantRat(t, "q ÷ m in to", quo, roundPlaces(inUnit(t, exact, to)))
		}
	})
}

// --- rounding law ---

func TestRoundToGivesAMultipleOfTheStepOnTheRightSide(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := anyQuantity.Draw(t, "q")
		step := quantityIn(rapid.Just(sameDimension(t, q.Unit(), "step unit")), 1, 1_000_000).Draw(t, "step")
		mode := rapid.SampledFrom(allModes).Draw(t, "mode")
		// Exact halves and exact multiples are where modes differ; random
		// values seldom land on them, so draw them on purpose.
		n := decimal.NewFromInt(rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "n"))
		switch rapid.IntRange(0, 2).Draw(t, "position") {
		case 1: // (n + ½) steps
			q = units.New(step.Value().Mul(n.Mul(decimal.NewFromInt(10)).Add(decimal.NewFromInt(5))).Shift(-1), step.Unit())
		case 2: // n steps
			q = units.New(step.Value().Mul(n), step.Unit())
		}
		got, changed, err := q.RoundTo(step, mode)
		if err != nil {
			t.Fatalf("%v.RoundTo(%v, %v): %v", q, step, mode, err)
		}
		if got.Unit() != step.Unit() {
			t.Fatalf("result %v, want it in the step's unit %v", got, step.Unit())
		}
		// In steps: x is the exact input, k the result; k must be an integer.
		stepRat := ratOf(step.Value())
		x := new(big.Rat).Quo(inUnit(t, baseValue(t, q), step.Unit()), stepRat)
		k := new(big.Rat).Quo(ratOf(got.Value()), stepRat)
		if !k.IsInt() {
			t.Fatalf("%v.RoundTo(%v, %v) = %v, not a multiple of the step", q, step, mode, got)
		}
		if k.Sign() != 0 && k.Sign() != x.Sign() {
			t.Fatalf("%v.RoundTo(%v, %v) = %v crosses zero", q, step, mode, got)
		}
		absX, absK := new(big.Rat).Abs(x), new(big.Rat).Abs(k)
		dist := new(big.Rat).Sub(absK, absX) // > 0: away from zero
		half := big.NewRat(1, 2)
		switch mode {
		case units.RoundHalfUp, units.RoundHalfEven:
			if new(big.Rat).Abs(dist).Cmp(half) > 0 {
				t.Fatalf("%v.RoundTo(%v, %v) = %v, more than half a step away", q, step, mode, got)
			}
			if new(big.Rat).Abs(dist).Cmp(half) == 0 {
				if mode == units.RoundHalfUp && dist.Sign() < 0 {
					t.Fatalf("%v.RoundTo(%v, half_up) = %v: a half goes away from zero", q, step, got)
				}
				if mode == units.RoundHalfEven && new(big.Int).Rem(k.Num(), big.NewInt(2)).Sign() != 0 {
					t.Fatalf("%v.RoundTo(%v, half_even) = %v: a half goes to the even multiple", q, step, got)
				}
			}
		case units.RoundDown:
			if dist.Sign() > 0 || dist.Cmp(big.NewRat(-1, 1)) <= 0 {
				t.Fatalf("%v.RoundTo(%v, down) = %v, not within one step toward zero", q, step, got)
			}
		case units.RoundUp:
			if dist.Sign() < 0 || dist.Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("%v.RoundTo(%v, up) = %v, not within one step away from zero", q, step, got)
			}
		}
		if want := x.Cmp(k) != 0; changed != want {
			t.Fatalf("%v.RoundTo(%v, %v) = %v, changed %t, want %t", q, step, mode, got, changed, want)
		}
	})
}

// --- results and operands ---

// TestComputedResultsReadBack checks that what the package computes can be
// stored and read back: every result below 10^30 in magnitude (30 integer
// digits beside Places decimal places fit MaxDigits) round-trips through
// MarshalText and UnmarshalText.
func TestComputedResultsReadBack(t *testing.T) {
	t.Parallel()
	limit := decimal.New(1, 30)
	rapid.Check(t, func(t *rapid.T) {
		a := anyQuantity.Draw(t, "a")
		b := quantityLike(t, a.Unit(), "b")
		c := anyQuantity.Draw(t, "c")
		var results []units.Quantity
		add := func(q units.Quantity, err error) {
			if err == nil && q.Value().Abs().Cmp(limit) < 0 {
				results = append(results, q)
			}
		}
		add(a.Convert(b.Unit()))
		add(a.Add(b))
		add(a.Sub(b))
		add(a.Mul(c))
		add(a.Div(c))
		add(a.Div(b))
		add(a.MulDiv(c, b))
		if r, _, err := a.RoundTo(b.Abs(), units.RoundHalfEven); b.Sign() != 0 {
			add(r, err)
		}
		for _, r := range results {
			checkMarshal(t, r)
		}
	})
}

type snapshot struct {
	coef string
	exp  int32
	unit units.Unit
	text string
}

func snap(q units.Quantity) snapshot {
	return snapshot{q.Value().Coefficient().String(), q.Value().Exponent(), q.Unit(), q.Text()}
}

func TestOperationsDoNotChangeTheirOperands(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a := anyQuantity.Draw(t, "a")
		b := quantityLike(t, a.Unit(), "b")
		c := anyQuantity.Draw(t, "c")
		before := []snapshot{snap(a), snap(b), snap(c)}
		_, _ = a.Convert(b.Unit())
		_, _ = a.Add(b)
		_, _ = a.Sub(b)
		_, _ = a.Mul(c)
		_, _ = a.Div(c)
		_, _ = a.Div(b)
		_, _ = a.MulDiv(c, b)
		_, _ = a.DivTo(c, b.Unit())
		_, _ = a.Cmp(b)
		_, _, _ = a.RoundTo(b, units.RoundUp)
		_, _, _ = a.RoundTo(b.Abs(), units.RoundHalfEven)
		_, _ = a.Scale(c.Value())
		_ = a.Abs()
		_ = a.Equal(b)
		_, _ = a.MarshalText()
		_ = a.String()
		_ = c.Sign()
		after := []snapshot{snap(a), snap(b), snap(c)}
		for i := range before {
			if before[i] != after[i] {
				t.Fatalf("operand %d changed from %+v to %+v", i, before[i], after[i])
			}
		}
	})
}
