package units_test

import (
	"encoding/json"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

// TestIndependentOfDecimalGlobals sets every package-level setting of
// shopspring/decimal v1.6.0 to a hostile value and checks that the package's
// output does not change. It is the only code in the module that touches
// them. It must not run in parallel (it does not call t.Parallel, so the
// parallel tests of this package wait until it has finished and restored
// the settings).
func TestIndependentOfDecimalGlobals(t *testing.T) {
	saved := struct {
		divisionPrecision, powPrecision, expIterations, maxDecodeExponent int
		withoutQuotes, trim, scientific                                   bool
	}{
		decimal.DivisionPrecision, decimal.PowPrecisionNegativeExponent, decimal.ExpMaxIterations, decimal.MaxDecodeExponent,
		decimal.MarshalJSONWithoutQuotes, decimal.TrimTrailingZeros, decimal.UseScientificNotation,
	}
	t.Cleanup(func() {
		decimal.DivisionPrecision = saved.divisionPrecision
		decimal.PowPrecisionNegativeExponent = saved.powPrecision
		decimal.ExpMaxIterations = saved.expIterations
		decimal.MaxDecodeExponent = saved.maxDecodeExponent
		decimal.MarshalJSONWithoutQuotes = saved.withoutQuotes
		decimal.TrimTrailingZeros = saved.trim
		decimal.UseScientificNotation = saved.scientific
	})
	decimal.DivisionPrecision = 1            // Div would give 0.3
	decimal.PowPrecisionNegativeExponent = 1 // Pow
	decimal.ExpMaxIterations = 1             // Exp
	decimal.MaxDecodeExponent = 0            // NewFromString would refuse "1.5"
	decimal.MarshalJSONWithoutQuotes = true  // JSON numbers instead of strings
	decimal.TrimTrailingZeros = false        // String would write "1000.50"
	decimal.UseScientificNotation = true     // String would write "5E3"

	// Expected values are the ones the table tests hold, worked by hand.
	got := map[string]string{}
	var record func(string, units.Quantity, error)
	must := func(name string) func(units.Quantity, error) {
		return func(q units.Quantity, err error) { record(name, q, err) }
	}
	record = func(name string, q units.Quantity, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got[name+" String"] = q.String()
		got[name+" Text"] = q.Text()
		b, err := q.MarshalText()
		if err != nil {
			t.Fatalf("%s MarshalText: %v", name, err)
		}
		got[name+" MarshalText"] = string(b)
	}
	parse := func(s string) units.Quantity {
		t.Helper()
		q, err := units.Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		return q
	}
	record("parse", parse("1000.50 mg"), nil)
	record("positive exponent", units.New(decimal.New(5, 3), units.Milligram), nil)
	must("div")(parse("1 mg").Div(parse("3 mL")))
	must("convert")(parse("1 kg").Convert(units.Pound))
	must("mul")(parse("0.5 mg/kg").Mul(parse("176 lb")))
	must("muldiv")(parse("1 mg").MulDiv(parse("1 mL"), parse("3 mL")))
	must("divto")(parse("104 mL").DivTo(parse("156 mL/h"), units.Hour))
	must("sub")(parse("40 mg").Sub(parse("39.91612856 mg")))
	rounded, _, err := parse("2.25 mL").RoundTo(parse("0.1 mL"), units.RoundHalfEven)
	record("round", rounded, err)
	var u units.Quantity
	err = u.UnmarshalText([]byte("-0.08390 mg"))
	record("unmarshal", u, err)
	_, perr := units.Parse("2.5E-3 mg")
	got["hint"] = perr.Error()
	b, err := json.Marshal(struct{ Dose units.Quantity }{parse("1.50 mg")})
	if err != nil {
		t.Fatal(err)
	}
	got["json"] = string(b)

	want := map[string]string{
		"parse String": "1,000.5 mg", "parse Text": "1000.5 mg", "parse MarshalText": "1000.5 mg",
		"positive exponent String": "5,000 mg", "positive exponent Text": "5000 mg", "positive exponent MarshalText": "5000 mg",
		"div String": "0.333333333333333333333333333333 mg/mL", "div Text": "0.333333333333333333333333333333 mg/mL",
		"div MarshalText": "0.333333333333333333333333333333 mg/mL",
		"convert String":  "2.20462262184877580722973801345 lb", "convert Text": "2.20462262184877580722973801345 lb",
		"convert MarshalText": "2.20462262184877580722973801345 lb",
		"mul String":          "39.91612856 mg", "mul Text": "39.91612856 mg", "mul MarshalText": "39.91612856 mg",
		"muldiv String": "0.333333333333333333333333333333 mg", "muldiv Text": "0.333333333333333333333333333333 mg",
		"muldiv MarshalText": "0.333333333333333333333333333333 mg",
		"divto String":       "0.666666666666666666666666666667 h", "divto Text": "0.666666666666666666666666666667 h",
		"divto MarshalText": "0.666666666666666666666666666667 h",
		"sub String":        "0.08387144 mg", "sub Text": "0.08387144 mg", "sub MarshalText": "0.08387144 mg",
		"round String": "2.2 mL", "round Text": "2.2 mL", "round MarshalText": "2.2 mL",
		"unmarshal String": "-0.0839 mg", "unmarshal Text": "-0.0839 mg", "unmarshal MarshalText": "-0.0839 mg",
		"hint": `units: parsing "2.5E-3 mg": scientific notation; write "0.0025 mg"`,
		"json": `{"Dose":"1.5 mg"}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("output changed with decimal's globals set (-want +got):\n%s", diff)
	}
}
