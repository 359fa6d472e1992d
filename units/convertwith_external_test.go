package units_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func given(name, value string) units.Factor {
	return units.Factor{Name: name, Value: units.MustParse(value)}
}

func per(name, value, volume string) units.Factor {
	return units.Factor{Name: name, Value: units.MustParse(value), Per: units.MustParse(volume)}
}

func notGiven(name string, like ...units.Unit) units.Factor {
	f := units.Factor{Name: name}
	for _, u := range like {
		f.Dims = append(f.Dims, u.Dimension())
	}
	return f
}

// convertWithTests are the chains the CLI promises, both ways, each worked
// out by hand in the comment.
var convertWithTests = []struct {
	name    string
	in      string
	to      units.Unit
	factors []units.Factor
	want    string // the result's Text
	exact   bool
	ops     string // the steps: "× weight ÷ concentration"
}{
	// 5 mcg/kg/min × 50 kg = 250 mcg/min = 15 mg/h; ÷ 0.8 mg/mL = 18.75 mL/h;
	// × 60 gtt/mL = 1125 gtt/h = 18.75 gtt/min (issue 15's example).
	{"dose rate per kg to drip rate", "5 mcg/kg/min", units.DropsPerMin,
		[]units.Factor{given("weight", "50 kg"), given("concentration", "0.8 mg/mL"), given("drop factor", "60 gtt/mL")},
		"18.75 gtt/min", true, "× weight ÷ concentration × drop factor"},
	// Back: 18.75 gtt/min ÷ 60 = 0.3125 mL/min; × 0.8 = 0.25 mg/min; ÷ 50 kg = 5 mcg/kg/min.
	{"drip rate to dose rate per kg", "18.75 gtt/min", units.McgPerKgPerMin,
		[]units.Factor{given("weight", "50 kg"), given("concentration", "0.8 mg/mL"), given("drop factor", "60 gtt/mL")},
		"5 mcg/kg/min", true, "÷ drop factor × concentration ÷ weight"},
	// 10 mg/h ÷ 1 mg/mL = 10 mL/h; × 20 gtt/mL = 200 gtt/h = 3.333… gtt/min.
	{"dose rate to drip rate", "10 mg/h", units.DropsPerMin,
		[]units.Factor{given("concentration", "1 mg/mL"), given("drop factor", "20 gtt/mL")},
		"3.333333333333333333333333333333 gtt/min", false, "÷ concentration × drop factor"},
	// 50 gtt/min ÷ 20 gtt/mL = 2.5 mL/min = 150 mL/h; × 2 mg/mL = 300 mg/h.
	{"drip rate to dose rate", "50 gtt/min", units.MgPerHour,
		[]units.Factor{given("concentration", "2 mg/mL"), given("drop factor", "20 gtt/mL")},
		"300 mg/h", true, "÷ drop factor × concentration"},
	// 2 mcg/kg/min × 70 kg = 140 mcg/min = 8.4 mg/h; ÷ 1 mg/mL = 8.4 mL/h.
	{"dose rate per kg to pump rate", "2 mcg/kg/min", units.MLPerHour,
		[]units.Factor{given("weight", "70 kg"), given("concentration", "1 mg/mL")},
		"8.4 mL/h", true, "× weight ÷ concentration"},
	// 24.5 mL/h × 1 mg/mL = 24.5 mg/h; ÷ 70 kg = 0.35 mg/kg/h = 350/60 mcg/kg/min = 5.8333…
	{"pump rate to dose rate per kg", "24.5 mL/h", units.McgPerKgPerMin,
		[]units.Factor{given("weight", "70 kg"), given("concentration", "1 mg/mL")},
		"5.833333333333333333333333333333 mcg/kg/min", false, "× concentration ÷ weight"},
	// 0.35 mg/kg/h × 70 kg = 24.5 mg/h.
	{"dose rate per kg to dose rate", "0.35 mg/kg/h", units.MgPerHour, []units.Factor{given("weight", "70 kg")}, "24.5 mg/h", true, "× weight"},
	// 156 mL/h × 20 gtt/mL = 3120 gtt/h = 52 gtt/min (clinical.md WC7).
	{"pump rate to drip rate", "156 mL/h", units.DropsPerMin, []units.Factor{given("drop factor", "20 gtt/mL")}, "52 gtt/min", true, "× drop factor"},
	// 38 gtt/min ÷ 15 gtt/mL = 38/15 mL/min = 152 mL/h.
	{"drip rate to pump rate", "38 gtt/min", units.MLPerHour, []units.Factor{given("drop factor", "15 gtt/mL")}, "152 mL/h", true, "÷ drop factor"},

	// Amounts: 0.5 mg/kg × 80 kg = 40 mg; ÷ 10 mg/mL = 4 mL; × 20 gtt/mL = 80 gtt.
	{"dose per kg to drops", "0.5 mg/kg", units.Drop,
		[]units.Factor{given("weight", "80 kg"), given("concentration", "10 mg/mL"), given("drop factor", "20 gtt/mL")},
		"80 gtt", true, "× weight ÷ concentration × drop factor"},
	// 80 gtt ÷ 20 = 4 mL; × 10 mg/mL = 40 mg; ÷ 80 kg = 0.5 mg/kg.
	{"drops to dose per kg", "80 gtt", units.MgPerKg,
		[]units.Factor{given("weight", "80 kg"), given("concentration", "10 mg/mL"), given("drop factor", "20 gtt/mL")},
		"0.5 mg/kg", true, "÷ drop factor × concentration ÷ weight"},
	// 40 mg ÷ 10 mg/mL = 4 mL.
	{"amount to volume", "40 mg", units.Milliliter, []units.Factor{given("concentration", "10 mg/mL")}, "4 mL", true, "÷ concentration"},
	// 4 mL × 10 mg/mL = 40 mg.
	{"volume to amount", "4 mL", units.Milligram, []units.Factor{given("concentration", "10 mg/mL")}, "40 mg", true, "× concentration"},
	// 1000 mg in (1 g in 3 mL): 1000 mg × 3 mL / 1000 mg = 3 mL, exactly, though 1 g / 3 mL does not terminate.
	{"exact through a concentration that does not terminate", "1000 mg", units.Milliliter, []units.Factor{per("concentration", "1 g", "3 mL")}, "3 mL", true, "÷ concentration"},
	// 40 mg × 3 mL / 1000 mg = 0.12 mL.
	{"amount through an amount in a volume", "40 mg", units.Milliliter, []units.Factor{per("concentration", "1 g", "3 mL")}, "0.12 mL", true, "÷ concentration"},

	// Amounts and rates: 104 mL ÷ 40 min = 2.6 mL/min = 156 mL/h (clinical.md WC5).
	{"volume to pump rate", "104 mL", units.MLPerHour, []units.Factor{given("duration", "40 min")}, "156 mL/h", true, "÷ duration"},
	// 500 mL ÷ 4.5 h = 111.111… mL/h: cut at 30 places, so not exact (issue 15).
	{"volume over a duration that does not terminate", "500 mL", units.MLPerHour, []units.Factor{given("duration", "4.5 h")}, "111.111111111111111111111111111111 mL/h", false, "÷ duration"},
	// 500 mL ÷ 125 mL/h = 4 h.
	{"infusion time", "500 mL", units.Hour, []units.Factor{given("rate", "125 mL/h")}, "4 h", true, "÷ rate"},
	// 500 mL ÷ 120 mL/h = 25/6 h = 250 min.
	{"infusion time in minutes", "500 mL", units.Minute, []units.Factor{given("rate", "120 mL/h")}, "250 min", true, "÷ rate"},
	// 125 mL/h × 90 min = 125 × 1.5 = 187.5 mL.
	{"volume infused after a time", "125 mL/h", units.Milliliter, []units.Factor{given("duration", "90 min")}, "187.5 mL", true, "× duration"},
	// 0.5 mg/kg ÷ 40 min = 0.0125 mg/kg/min = 12.5 mcg/kg/min.
	{"dose per kg to dose rate per kg", "0.5 mg/kg", units.McgPerKgPerMin, []units.Factor{given("duration", "40 min")}, "12.5 mcg/kg/min", true, "÷ duration"},
	// 0.5 mg/kg × 80 kg = 40 mg; ÷ 10 mg/mL = 4 mL; ÷ 40 min = 0.1 mL/min; × 20 gtt/mL = 2 gtt/min.
	{"all four", "0.5 mg/kg", units.DropsPerMin,
		[]units.Factor{given("weight", "80 kg"), given("concentration", "10 mg/mL"), given("drop factor", "20 gtt/mL"), given("duration", "40 min")},
		"2 gtt/min", true, "× weight ÷ concentration × drop factor ÷ duration"},

	// Activity: 1000 units/h ÷ (25000 units in 250 mL) = 1000 × 250 / 25000 = 10 mL/h.
	{"heparin rate to pump rate", "1000 units/h", units.MLPerHour, []units.Factor{per("concentration", "25000 units", "250 mL")}, "10 mL/h", true, "÷ concentration"},
	// Per day: 30 mg/kg/day × 20 kg = 600 mg/day = 25 mg/h.
	{"dose per kg per day to dose rate", "30 mg/kg/day", units.MgPerHour, []units.Factor{given("weight", "20 kg")}, "25 mg/h", true, "× weight"},
	// Ratio strength 1:1000 = 1 g in 1000 mL: 1 mcg/kg/min × 80 kg = 80 mcg/min = 4.8 mg/h; × 1000 mL / 1000 mg = 4.8 mL/h.
	{"through a ratio strength", "1 mcg/kg/min", units.MLPerHour, []units.Factor{given("weight", "80 kg"), per("concentration", "1 g", "1000 mL")}, "4.8 mL/h", true, "× weight ÷ concentration"},
	// Pounds: 0.5 mg/kg × 176 lb = 0.5 × 79.83225712 = 39.91612856 mg.
	{"weight in pounds", "0.5 mg/kg", units.Milligram, []units.Factor{given("weight", "176 lb")}, "39.91612856 mg", true, "× weight"},

	// A change of unit only.
	{"unit only", "176 lb", units.Kilogram, nil, "79.83225712 kg", true, "="},
	// 1 kg = 1 / 0.45359237 lb = 2.2046226218… lb, cut at 30 places.
	{"unit only, not terminating", "1 kg", units.Pound, nil, "2.20462262184877580722973801345 lb", false, "="},
}

func ops(c units.Conversion) string {
	var parts []string
	for _, s := range c.Steps {
		parts = append(parts, strings.TrimSpace(s.Op+" "+s.Factor))
	}
	return strings.Join(parts, " ")
}

func TestConvertWith(t *testing.T) {
	t.Parallel()
	for _, tt := range convertWithTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := units.MustParse(tt.in).ConvertWith(tt.to, tt.factors...)
			if err != nil {
				t.Fatalf("ConvertWith: %v", err)
			}
			if c.Result.Text() != tt.want || c.Result.Unit() != tt.to || c.Exact != tt.exact {
				t.Errorf("Result %q (exact %t), want %q (exact %t)", c.Result.Text(), c.Exact, tt.want, tt.exact)
			}
			if got := ops(c); got != tt.ops {
				t.Errorf("steps %q, want %q", got, tt.ops)
			}
			if last := c.Steps[len(c.Steps)-1]; !last.Result.Equal(c.Result) || last.Exact != c.Exact {
				t.Errorf("last step %v (exact %t) is not the result %v (exact %t)", last.Result, last.Exact, c.Result, c.Exact)
			}
			if len(c.Unused) != 0 || len(c.Missing) != 0 {
				t.Errorf("Unused %v, Missing %v; want none", c.Unused, c.Missing)
			}
		})
	}
}

// TestConvertWithSteps shows the whole trail of issue 15's example.
func TestConvertWithSteps(t *testing.T) {
	t.Parallel()
	c, err := units.MustParse("5 mcg/kg/min").ConvertWith(units.DropsPerMin,
		given("weight", "50 kg"), given("concentration", "0.8 mg/mL"), given("drop factor", "60 gtt/mL"))
	if err != nil {
		t.Fatal(err)
	}
	q := units.MustParse
	want := []units.Step{
		{Op: "×", Factor: "weight", By: q("50 kg"), Why: "cancels per body mass", Result: q("250 mcg/min"), Exact: true},
		{Op: "÷", Factor: "concentration", By: q("0.8 mg/mL"), Why: "drug mass becomes volume", Result: q("18.75 mL/h"), Exact: true},
		{Op: "×", Factor: "drop factor", By: q("60 gtt/mL"), Why: "volume becomes drop", Result: q("18.75 gtt/min"), Exact: true},
	}
	if diff := cmp.Diff(want, c.Steps); diff != "" {
		t.Errorf("steps mismatch (-want +got):\n%s", diff)
	}
	// An intermediate that does not terminate is shown rounded, and the next
	// step goes on from the exact value: 1 mL/h ÷ 3 … then × 3 is exact.
	c, err = units.MustParse("1 mg/h").ConvertWith(units.DropsPerMin, given("concentration", "3 mg/mL"), given("drop factor", "180 gtt/mL"))
	if err != nil {
		t.Fatal(err)
	}
	// 1 mg/h ÷ 3 mg/mL = 0.333… mL/h; × 180 gtt/mL = 60 gtt/h = 1 gtt/min.
	if s := c.Steps[0]; s.Exact || s.Result.Text() != "0.333333333333333333333333333333 mL/h" {
		t.Errorf("first step %v (exact %t), want 0.333… mL/h, not exact", s.Result, s.Exact)
	}
	if c.Result.Text() != "1 gtt/min" || !c.Exact {
		t.Errorf("result %v (exact %t), want exactly 1 gtt/min", c.Result, c.Exact)
	}
}

func TestConvertWithUnusedAndMissing(t *testing.T) {
	t.Parallel()
	// 12.5 mcg/kg/min = 0.75 mg/kg/h needs no weight.
	c, err := units.MustParse("12.5 mcg/kg/min").ConvertWith(units.MgPerKgPerHour, given("weight", "80 kg"), notGiven("concentration", units.MgPerML))
	if err != nil || c.Result.Text() != "0.75 mg/kg/h" || !cmp.Equal(c.Unused, []string{"weight"}) || c.Missing != nil {
		t.Errorf("unused weight: %+v, %v", c, err)
	}
	// mcg/kg/min to mL/h needs the concentration, which was not given.
	c, err = units.MustParse("12.5 mcg/kg/min").ConvertWith(units.MLPerHour, given("weight", "80 kg"), notGiven("concentration", units.MgPerML, units.UnitsPerML), given("drop factor", "20 gtt/mL"))
	if !errors.Is(err, units.ErrDimension) || !cmp.Equal(c.Missing, []string{"concentration"}) || !cmp.Equal(c.Unused, []string{"drop factor"}) || c.Result.IsValid() {
		t.Errorf("missing concentration: %+v, %v", c, err)
	}
	if want := `units: convert "12.5 mcg/kg/min" and "mL/h": dimension mismatch (drug mass / body mass / time vs volume / time): needs concentration`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	// Given factors are preferred to factors not given, even if more are
	// needed: 40 mg ÷ 10 mg/mL × 20 gtt/mL = 80 gtt, not × (drops per mg).
	c, err = units.MustParse("40 mg").ConvertWith(units.Drop,
		units.Factor{Name: "drops per mg", Dims: []units.Dimension{{Drop: 1, Mass: -1}}}, given("concentration", "10 mg/mL"), given("drop factor", "20 gtt/mL"))
	if err != nil || c.Result.Text() != "80 gtt" || ops(c) != "÷ concentration × drop factor" {
		t.Errorf("given preferred: %+v, %v", c, err)
	}
}

func TestConvertWithRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      units.Quantity
		to      units.Unit
		factors []units.Factor
		err     error
		msg     string
	}{
		{"no factor links them", units.MustParse("40 mg"), units.Kilogram, []units.Factor{given("weight", "80 kg"), given("concentration", "10 mg/mL")}, units.ErrDimension,
			`units: convert "40 mg" and "kg": dimension mismatch (drug mass vs body mass): no combination of weight, concentration links them`},
		// 40 mg ÷ 25 mg/h ÷ 1 h × 80 kg would be "128 kg": the rate and the
		// duration divide the input away, so that is no conversion.
		{"factors that cancel the input", units.MustParse("40 mg"), units.Kilogram,
			[]units.Factor{given("weight", "80 kg"), given("duration", "1 h"), given("rate", "25 mg/h")}, units.ErrDimension,
			`units: convert "40 mg" and "kg": dimension mismatch (drug mass vs body mass): no combination of weight, duration, rate links them`},
		{"factors not given that would cancel the input", units.MustParse("40 mg"), units.Kilogram,
			[]units.Factor{notGiven("weight", units.Kilogram), notGiven("duration", units.Hour), notGiven("rate", units.MgPerHour, units.MLPerHour)}, units.ErrDimension,
			`units: convert "40 mg" and "kg": dimension mismatch (drug mass vs body mass): no combination of weight, duration, rate links them`},
		{"no factor at all", units.MustParse("40 mg"), units.Milliliter, nil, units.ErrDimension,
			`units: convert "40 mg" and "mL": dimension mismatch (drug mass vs volume): conversions that need an outside number (a weight, a concentration, a drop factor) are done with Mul or Div`},
		// 1 mL × 10 mg/mL or × 5 mg/mL: two equally short ways.
		{"two ways", units.MustParse("1 mL"), units.Milligram, []units.Factor{given("vial", "10 mg/mL"), given("bag", "5 mg/mL")}, units.ErrDimension,
			`units: convert "1 mL" and "mg": dimension mismatch (volume vs drug mass): the factors link them in more than one way (× vial; or × bag): give only the factors meant`},
		// issue 17: a zero drop factor gave "≈ 0 gtt/min"; a zero concentration a bare division by zero.
		{"zero and negative factors, all at once", units.MustParse("156 mL/h"), units.DropsPerMin,
			[]units.Factor{given("drop factor", "0 gtt/mL"), {Name: "weight", Value: units.New(decimal.NewFromInt(-80), units.Kilogram)}, per("concentration", "250 mg", "0 mL")}, units.ErrRange,
			"units: convert \"0 gtt/mL\": drop factor must be greater than 0\nunits: convert \"-80 kg\": weight must be greater than 0\nunits: convert \"0 mL\": concentration must be greater than 0"},
		{"zero concentration", units.MustParse("40 mg"), units.Milliliter, []units.Factor{given("concentration", "0 mg/mL")}, units.ErrRange,
			`units: convert "0 mg/mL": concentration must be greater than 0`},
		{"divisor without a value", units.MustParse("40 mg"), units.Milliliter, []units.Factor{{Name: "concentration", Per: units.MustParse("5 mL")}}, units.ErrInvalid,
			`units: convert "5 mL": concentration: a divisor (Per) without a value`},
		{"invalid quantity", units.Quantity{}, units.Milliliter, nil, units.ErrInvalid, `units: convert "invalid quantity": operand is the zero (invalid) Quantity`},
		{"invalid unit", units.MustParse("40 mg"), units.Unit(0), nil, units.ErrUnknownUnit, `units: convert "40 mg" and "invalid unit": unknown target unit`},
		{"too many factors", units.MustParse("40 mg"), units.Milligram, make([]units.Factor, 9), units.ErrRange, `units: convert "40 mg" and "mg": more than 8 factors`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := tt.in.ConvertWith(tt.to, tt.factors...)
			if !errors.Is(err, tt.err) || err.Error() != tt.msg {
				t.Errorf("error %v, want %v:\n%s", err, tt.err, tt.msg)
			}
			if c.Result.IsValid() || c.Steps != nil {
				t.Errorf("a refused conversion returned %+v", c)
			}
		})
	}
}

// --- laws ---

// The chain of the CLI, by hand: a drug amount per kg, a drug amount, a
// volume, drops; each as an amount or a rate. A step up the chain is
// × weight, ÷ concentration, × drop factor; an amount becomes a rate ÷ duration.
var (
	amountLevels = [][]units.Unit{{units.MgPerKg, units.McgPerKg}, {units.Milligram, units.Microgram, units.Gram}, {units.Milliliter, units.Liter}, {units.Drop}}
	rateLevels   = [][]units.Unit{
		{units.MgPerKgPerHour, units.McgPerKgPerMin, units.MgPerKgPerMin, units.McgPerKgPerHour, units.MgPerKgPerDay, units.McgPerKgPerDay},
		{units.MgPerHour, units.MgPerMin, units.McgPerMin, units.McgPerHour, units.MgPerDay, units.McgPerDay},
		{units.MLPerHour, units.MLPerMin},
		{units.DropsPerMin},
	}
	chainFactors = []struct {
		name string
		like []units.Unit
		exp  int8 // its exponent for a step up the chain
	}{
		{"weight", []units.Unit{units.Kilogram, units.Pound, units.Ounce}, 1},
		{"concentration", []units.Unit{units.MgPerML, units.McgPerML, units.MgPerL}, -1},
		{"drop factor", []units.Unit{units.DropsPerML}, 1},
		{"duration", []units.Unit{units.Minute, units.Hour, units.Second}, -1}, // amount → rate
	}
)

type chainPoint struct {
	level int
	rate  bool
	unit  units.Unit
}

func drawPoint(t *rapid.T, label string) chainPoint {
	level := rapid.IntRange(0, 3).Draw(t, label+" level")
	rate := rapid.Bool().Draw(t, label+" is a rate")
	us := amountLevels[level]
	if rate {
		us = rateLevels[level]
	}
	return chainPoint{level, rate, rapid.SampledFrom(us).Draw(t, label+" unit")}
}

// positive draws a positive quantity of up to 4 places in one of the units.
func positive(t *rapid.T, us []units.Unit, label string) units.Quantity {
	return units.New(decimal.New(rapid.Int64Range(1, 10_000_000).Draw(t, label), -rapid.Int32Range(0, 4).Draw(t, label+" places")), rapid.SampledFrom(us).Draw(t, label+" unit"))
}

// chainExps are the exponents the oracle gives each chain factor from a to b.
func chainExps(a, b chainPoint) [4]int8 {
	var e [4]int8
	for l := a.level; l < b.level; l++ {
		e[l] = chainFactors[l].exp
	}
	for l := b.level; l < a.level; l++ {
		e[l] = -chainFactors[l].exp
	}
	switch {
	case !a.rate && b.rate:
		e[3] = -1
	case a.rate && !b.rate:
		e[3] = 1
	}
	return e
}

// TestConvertWithChainEqualsExactProduct: along the chain, in any units,
// ConvertWith gives q × Π factor^exponent exactly when that terminates
// within Places (and says so), rounded once at Places otherwise; the
// factors it did not use are the ones the oracle leaves out.
func TestConvertWithChainEqualsExactProduct(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawPoint(t, "from"), drawPoint(t, "to")
		q := positive(t, []units.Unit{a.unit}, "q")
		factors := make([]units.Factor, len(chainFactors))
		for i, f := range chainFactors {
			factors[i] = units.Factor{Name: f.name, Value: positive(t, f.like, f.name)}
		}
		perm := rapid.Permutation(factors).Draw(t, "order")
		c, err := q.ConvertWith(b.unit, perm...)
		if err != nil {
			t.Fatalf("%v to %v: %v", q, b.unit, err)
		}
		exps := chainExps(a, b)
		want := baseValue(t, q)
		var unused []string
		for i, e := range exps {
			switch e {
			case 1:
				want.Mul(want, baseValue(t, factors[i].Value))
			case -1:
				want.Quo(want, baseValue(t, factors[i].Value))
			default:
				unused = append(unused, factors[i].Name)
			}
		}
		want = inUnit(t, want, b.unit)
		wantRat(t, "ConvertWith", c.Result, roundPlaces(want))
		if c.Exact != exactWithin(want) {
			t.Fatalf("%v → %v = %v: Exact %t, but the exact value %s terminates: %t", q, b.unit, c.Result, c.Exact, want.FloatString(40), exactWithin(want))
		}
		var gotUnused []string
		for _, f := range perm {
			for _, u := range c.Unused {
				if u == f.Name {
					gotUnused = append(gotUnused, u)
				}
			}
		}
		if len(gotUnused) != len(c.Unused) || !sameSet(c.Unused, unused) {
			t.Fatalf("%v → %v: unused %v, want %v", q, b.unit, c.Unused, unused)
		}
	})
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// TestConvertWithRoundTrip: converting along the chain and back with the
// same factors gives the input back exactly when both ways are exact, and
// otherwise within the two roundings at Places (the first scaled by the way
// back).
func TestConvertWithRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawPoint(t, "from"), drawPoint(t, "to")
		q := positive(t, []units.Unit{a.unit}, "q")
		factors := make([]units.Factor, len(chainFactors))
		for i, f := range chainFactors {
			factors[i] = units.Factor{Name: f.name, Value: positive(t, f.like, f.name)}
		}
		there, err := q.ConvertWith(b.unit, factors...)
		if err != nil {
			t.Fatal(err)
		}
		back, err := there.Result.ConvertWith(a.unit, factors...)
		if err != nil {
			t.Fatal(err)
		}
		if there.Exact && back.Exact {
			if c, _ := back.Result.Cmp(q); c != 0 {
				t.Fatalf("%v → %v → %v, want exactly %v", q, there.Result, back.Result, q)
			}
			return
		}
		// k: how much one unit of b's last place weighs in a's unit.
		one := units.New(decimal.NewFromInt(1), b.unit)
		k, err := one.ConvertWith(a.unit, factors...)
		if err != nil {
			t.Fatal(err)
		}
		ulp := new(big.Rat).SetFrac(big.NewInt(1), tenToPlaces)
		bound := new(big.Rat).Mul(ulp, new(big.Rat).Add(new(big.Rat).Mul(new(big.Rat).Add(ratOf(k.Result.Value()), ulp), big.NewRat(1, 2)), big.NewRat(1, 2)))
		diff := new(big.Rat).Sub(ratOf(back.Result.Value()), ratOf(q.Value()))
		if diff.Abs(diff).Cmp(bound) > 0 {
			t.Fatalf("%v → %v → %v: off by %s, more than %s", q, there.Result, back.Result, diff.FloatString(40), bound.FloatString(40))
		}
	})
}

// TestConvertWithNamesTheMissingFactor: leaving out a factor the chain
// needs (given only its dimension) names it, and no other.
func TestConvertWithNamesTheMissingFactor(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawPoint(t, "from"), drawPoint(t, "to")
		exps := chainExps(a, b)
		var needed []int
		for i, e := range exps {
			if e != 0 {
				needed = append(needed, i)
			}
		}
		if len(needed) == 0 {
			return
		}
		drop := rapid.SampledFrom(needed).Draw(t, "left out")
		q := positive(t, []units.Unit{a.unit}, "q")
		factors := make([]units.Factor, len(chainFactors))
		for i, f := range chainFactors {
			factors[i] = units.Factor{Name: f.name, Value: positive(t, f.like, f.name)}
			if i == drop {
				factors[i] = notGiven(f.name, f.like[0])
			}
		}
		c, err := q.ConvertWith(b.unit, factors...)
		if !errors.Is(err, units.ErrDimension) || !cmp.Equal(c.Missing, []string{chainFactors[drop].name}) || c.Result.IsValid() {
			t.Fatalf("%v → %v without %s: %+v, %v", q, b.unit, chainFactors[drop].name, c, err)
		}
	})
}

// TestConvertWithWays checks that a conversion the factors make in more than
// one way names each way in the error's fields, not only in its message:
// 1 mL × 10 mg/mL (the vial) or × 5 mg/mL (the bag).
func TestConvertWithWays(t *testing.T) {
	t.Parallel()
	_, err := units.MustParse("1 mL").ConvertWith(units.Milligram, given("vial", "10 mg/mL"), given("bag", "5 mg/mL"))
	var de *units.DimensionError
	if !errors.As(err, &de) {
		t.Fatalf("ConvertWith error %v is not a *DimensionError", err)
	}
	if diff := cmp.Diff([]string{"× vial", "× bag"}, de.Ways); diff != "" {
		t.Errorf("Ways mismatch (-want +got):\n%s", diff)
	}
	// One way, or none: no Ways.
	_, err = units.MustParse("1 mL").ConvertWith(units.Milligram)
	if !errors.As(err, &de) || de.Ways != nil {
		t.Errorf("ConvertWith with no factor: %v, Ways %q; want a DimensionError without Ways", err, de.Ways)
	}
}
