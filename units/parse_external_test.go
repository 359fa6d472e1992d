package units_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
)

// cmpErrors compares error fields with errors.Is.
var cmpErrors = cmpopts.EquateErrors()

// qty builds the expected quantity coef × 10^exp u without parsing, so that
// parse tests do not check Parse against itself.
func qty(coef int64, exp int32, u units.Unit) units.Quantity {
	return units.New(decimal.New(coef, exp), u)
}

// parseTests are texts Parse accepts, with the quantity each means. The
// expected values are written by hand.
var parseTests = []struct {
	name string
	in   string
	want units.Quantity
}{
	{"leading zero decimal", "0.5 mg", qty(5, -1, units.Milligram)},
	{"zero", "0 mg", qty(0, 0, units.Milligram)},
	{"zero with places", "0.000 mL", qty(0, 0, units.Milliliter)},
	{"integer", "5 mg", qty(5, 0, units.Milligram)},
	{"no space", "5mg", qty(5, 0, units.Milligram)},
	{"surrounding white space", " \t5 mg\n ", qty(5, 0, units.Milligram)},
	{"trailing zeros read exactly", "12.500 mg", qty(125, -1, units.Milligram)},
	{"thousand without separator", "1000 mg", qty(1000, 0, units.Milligram)},
	{"most places", "0.000000000000000000000000000001 mg", qty(1, -30, units.Milligram)},
	{"most digits", strings.Repeat("9", 30) + "." + strings.Repeat("9", 30) + " mg",
		units.New(decimal.RequireFromString(strings.Repeat("9", 30)+"."+strings.Repeat("9", 30)), units.Milligram)},
	{"longest input", "5 mg" + strings.Repeat(" ", units.MaxInputLen-4), qty(5, 0, units.Milligram)},

	// Drug mass and the micro sign.
	{"mcg", "12 mcg", qty(12, 0, units.Microgram)},
	{"ug", "12 ug", qty(12, 0, units.Microgram)},
	{"micro sign U+00B5", "12 \u00b5g", qty(12, 0, units.Microgram)},
	{"greek mu U+03BC", "12 \u03bcg", qty(12, 0, units.Microgram)},
	{"ng", "150 ng", qty(150, 0, units.Nanogram)},
	{"g", "2 g", qty(2, 0, units.Gram)},

	// Body mass.
	{"kg", "80 kg", qty(80, 0, units.Kilogram)},
	{"lb", "176 lb", qty(176, 0, units.Pound)},
	{"lbs", "176 lbs", qty(176, 0, units.Pound)},
	{"oz", "245 oz", qty(245, 0, units.Ounce)},

	// Volume.
	{"mL", "5 mL", qty(5, 0, units.Milliliter)},
	{"ml", "5 ml", qty(5, 0, units.Milliliter)},
	{"L", "0.25 L", qty(25, -2, units.Liter)},

	// Time.
	{"s", "30 s", qty(30, 0, units.Second)},
	{"sec", "30 sec", qty(30, 0, units.Second)},
	{"min", "40 min", qty(40, 0, units.Minute)},
	{"mins", "40 mins", qty(40, 0, units.Minute)},
	{"minute", "1 minute", qty(1, 0, units.Minute)},
	{"minutes", "40 minutes", qty(40, 0, units.Minute)},
	{"h", "2 h", qty(2, 0, units.Hour)},
	{"hr", "2 hr", qty(2, 0, units.Hour)},
	{"hrs", "2 hrs", qty(2, 0, units.Hour)},
	{"hour", "1 hour", qty(1, 0, units.Hour)},
	{"hours", "2 hours", qty(2, 0, units.Hour)},
	{"d", "3 d", qty(3, 0, units.Day)},
	{"day", "1 day", qty(1, 0, units.Day)},
	{"days", "3 days", qty(3, 0, units.Day)},
	{"wk", "2 wk", qty(2, 0, units.Week)},
	{"week", "1 week", qty(1, 0, units.Week)},
	{"weeks", "2 weeks", qty(2, 0, units.Week)},

	// Length and body surface.
	{"cm", "170 cm", qty(170, 0, units.Centimeter)},
	{"mm", "1750 mm", qty(1750, 0, units.Millimeter)},
	{"m", "1.7 m", qty(17, -1, units.Meter)},
	{"in", "67 in", qty(67, 0, units.Inch)},
	{"ft", "5.5 ft", qty(55, -1, units.Foot)},
	{"m²", "1.8 m²", qty(18, -1, units.SquareMeter)},
	{"m2", "1.8 m2", qty(18, -1, units.SquareMeter)},
	{"m^2", "1.8 m^2", qty(18, -1, units.SquareMeter)},
	{"kg/m² BMI", "24.7 kg/m²", qty(247, -1, units.KgPerM2)},
	{"kg/m2 BMI", "24.7 kg/m2", qty(247, -1, units.KgPerM2)},
	{"kg/m^2 BMI", "24.7 kg/m^2", qty(247, -1, units.KgPerM2)},

	// Dose forms and drops, singular and plural.
	{"device", "1 device", qty(1, 0, units.Device)},
	{"devices", "2 devices", qty(2, 0, units.Device)},
	{"singular after 2 is read", "2 device", qty(2, 0, units.Device)},
	{"spray", "1 spray", qty(1, 0, units.Spray)},
	{"sprays", "2 sprays", qty(2, 0, units.Spray)},
	{"troche", "1 troche", qty(1, 0, units.Troche)},
	{"troches", "2 troches", qty(2, 0, units.Troche)},
	{"tablet", "1 tablet", qty(1, 0, units.Tablet)},
	{"tablets", "1.5 tablets", qty(15, -1, units.Tablet)},
	{"gtt", "20 gtt", qty(20, 0, units.Drop)},
	{"drop", "1 drop", qty(1, 0, units.Drop)},
	{"drops", "20 drops", qty(20, 0, units.Drop)},

	// Vital signs and activity.
	{"mmHg", "120 mmHg", qty(120, 0, units.MmHg)},
	{"per minute", "72 /min", qty(72, 0, units.PerMinute)},
	{"per minute without space", "72/min", qty(72, 0, units.PerMinute)},
	{"times per day", "3 /day", qty(3, 0, units.TimesPerDay)},
	{"percent", "98 %", qty(98, 0, units.Percent)},
	{"percent without space", "98%", qty(98, 0, units.Percent)},
	{"units", "5000 units", qty(5000, 0, units.ActivityUnit)},
	{"unit", "1 unit", qty(1, 0, units.ActivityUnit)},

	// Compound units.
	{"mg/mL", "10 mg/mL", qty(10, 0, units.MgPerML)},
	{"mcg/mL", "50 mcg/mL", qty(50, 0, units.McgPerML)},
	{"mcg/ml", "50 mcg/ml", qty(50, 0, units.McgPerML)},
	{"mg/L", "2 mg/L", qty(2, 0, units.MgPerL)},
	{"ng/mL", "150 ng/mL", qty(150, 0, units.NgPerML)},
	{"units/mL", "100 units/mL", qty(100, 0, units.UnitsPerML)},
	{"mg/kg", "0.5 mg/kg", qty(5, -1, units.MgPerKg)},
	{"mcg/kg", "1 mcg/kg", qty(1, 0, units.McgPerKg)},
	{"mg/m²", "100 mg/m²", qty(100, 0, units.MgPerM2)},
	{"mg/m2", "100 mg/m2", qty(100, 0, units.MgPerM2)},
	{"units/kg", "80 units/kg", qty(80, 0, units.UnitsPerKg)},
	{"units/m²", "15 units/m²", qty(15, 0, units.UnitsPerM2)},
	{"units/m2", "15 units/m2", qty(15, 0, units.UnitsPerM2)},
	{"mg/kg/day spelled out", "30 mg/kg/day", qty(30, 0, units.MgPerKgPerDay)},
	{"mcg/kg/day", "5 mcg/kg/day", qty(5, 0, units.McgPerKgPerDay)},
	{"mg/day", "4000 mg/day", qty(4000, 0, units.MgPerDay)},
	{"mcg/day", "100 mcg/day", qty(100, 0, units.McgPerDay)},
	{"units/kg/day", "0.5 units/kg/day", qty(5, -1, units.UnitsPerKgPerDay)},
	{"units/day", "40 units/day", qty(40, 0, units.UnitsPerDay)},
	{"mg/device", "28 mg/device", qty(28, 0, units.MgPerDevice)},
	{"mg/spray", "14 mg/spray", qty(14, 0, units.MgPerSpray)},
	{"mg/troche", "100 mg/troche", qty(100, 0, units.MgPerTroche)},
	{"mg/tablet", "12.5 mg/tablet", qty(125, -1, units.MgPerTablet)},
	{"mg/h", "39 mg/h", qty(39, 0, units.MgPerHour)},
	{"mg/min", "1 mg/min", qty(1, 0, units.MgPerMin)},
	{"mcg/min", "1000 mcg/min", qty(1000, 0, units.McgPerMin)},
	{"mcg/h", "25 mcg/h", qty(25, 0, units.McgPerHour)},
	{"mg/kg/h", "0.75 mg/kg/h", qty(75, -2, units.MgPerKgPerHour)},
	{"mg/kg/hr", "0.75 mg/kg/hr", qty(75, -2, units.MgPerKgPerHour)},
	{"mg/kg/min", "0.0125 mg/kg/min", qty(125, -4, units.MgPerKgPerMin)},
	{"mcg/kg/min", "12.5 mcg/kg/min", qty(125, -1, units.McgPerKgPerMin)},
	{"ug/kg/min", "12.5 ug/kg/min", qty(125, -1, units.McgPerKgPerMin)},
	{"µg/kg/min", "12.5 \u00b5g/kg/min", qty(125, -1, units.McgPerKgPerMin)},
	{"μg/kg/min", "12.5 \u03bcg/kg/min", qty(125, -1, units.McgPerKgPerMin)},
	{"mcg/kg/h", "750 mcg/kg/h", qty(750, 0, units.McgPerKgPerHour)},
	{"units/h", "1000 units/h", qty(1000, 0, units.UnitsPerHour)},
	{"units/kg/h", "18 units/kg/h", qty(18, 0, units.UnitsPerKgPerHour)},
	{"mL/h", "156 mL/h", qty(156, 0, units.MLPerHour)},
	{"ml/hr", "156 ml/hr", qty(156, 0, units.MLPerHour)},
	{"mL/min", "2.6 mL/min", qty(26, -1, units.MLPerMin)},
	{"gtt/min", "40 gtt/min", qty(40, 0, units.DropsPerMin)},
	{"gtt/mL", "20 gtt/mL", qty(20, 0, units.DropsPerML)},
	{"drops/mL", "20 drops/mL", qty(20, 0, units.DropsPerML)},
	// The same unit written in another order is the same unit.
	{"mg/h/kg is mg/kg/h", "0.75 mg/h/kg", qty(75, -2, units.MgPerKgPerHour)},
}

// parseErrorTests are texts Parse refuses, with the sentinel, where the
// offending element is, and the hint (Fix) the error gives, written by hand.
var parseErrorTests = []struct {
	name       string
	in         string
	wantErr    error
	wantOffset int
	wantElem   string
	wantFix    string
}{
	{"empty", "", units.ErrSyntax, 0, "", ""},
	{"white space only", " \t\n ", units.ErrSyntax, 0, "", ""},
	{"too long", strings.Repeat("1", units.MaxInputLen+1) + " mg", units.ErrRange, 0, "", ""},
	{"too many digits", strings.Repeat("1", units.MaxDigits+1) + " mg", units.ErrRange, 0, strings.Repeat("1", units.MaxDigits+1), ""},
	{"too many digits with places", strings.Repeat("1", 31) + "." + strings.Repeat("1", 30) + " mg", units.ErrRange, 0, strings.Repeat("1", 31) + "." + strings.Repeat("1", 30), ""},
	{"too many places", "0." + strings.Repeat("0", units.Places) + "1 mg", units.ErrRange, 2, strings.Repeat("0", units.Places) + "1", ""},

	{"naked decimal", ".5 mg", units.ErrSyntax, 0, ".", "0.5 mg"},
	{"naked decimal without space", ".5mg", units.ErrSyntax, 0, ".", "0.5 mg"},
	{"naked decimal in scientific notation", ".5e3 mg", units.ErrSyntax, 0, ".", "500 mg"},
	{"naked decimal after space", "  .25 mL", units.ErrSyntax, 2, ".", "0.25 mL"},
	{"trailing decimal point", "5. mg", units.ErrSyntax, 1, ".", "5 mg"},
	{"trailing decimal point without space", "5.mg", units.ErrSyntax, 1, ".", "5 mg"},
	{"two decimal points", "1.2.3 mg", units.ErrSyntax, 3, ".", ""},

	{"scientific notation", "1e3 mg", units.ErrSyntax, 1, "e3", "1000 mg"},
	{"scientific notation negative exponent", "2.5E-3 mg", units.ErrSyntax, 3, "E-", "0.0025 mg"},
	{"scientific notation plus exponent", "5e+2 mcg", units.ErrSyntax, 1, "e+", "500 mcg"},
	{"scientific notation huge exponent", "1e999 mg", units.ErrSyntax, 1, "e9", ""},
	{"scientific notation beyond the places", "1e-31 mg", units.ErrSyntax, 1, "e-", ""},

	{"thousands separators", "1,000,000 mg", units.ErrSyntax, 1, ",", "1000000 mg"},
	{"thousands separator with a fraction", "1,000.5 mg", units.ErrSyntax, 1, ",", "1000.5 mg"},
	{"thousands or decimal comma is ambiguous", "1,000 mg", units.ErrSyntax, 1, ",", ""},
	{"ambiguous comma gives no single fix", "12,500 units", units.ErrSyntax, 2, ",", ""},
	{"decimal comma", "0,5 mg", units.ErrSyntax, 1, ",", "0.5 mg"},
	{"decimal comma with three places after zero", "0,500 mg", units.ErrSyntax, 1, ",", "0.5 mg"},
	{"decimal comma two places", "1,25 mL", units.ErrSyntax, 1, ",", "1.25 mL"},
	{"malformed grouping", "1,00,000 mg", units.ErrSyntax, 1, ",", ""},
	{"grouping then two points", "1,000.5.5 mg", units.ErrSyntax, 1, ",", ""},

	{"plus sign", "+5 mg", units.ErrSyntax, 0, "+", "5 mg"},
	{"plus sign and naked decimal", "+.5 mg", units.ErrSyntax, 0, "+", "0.5 mg"},
	{"hint chain of four", "+.5e1 cc", units.ErrSyntax, 0, "+", "5 mL"},
	{"hint chain too long gives no hint", "+.5e1  cc", units.ErrSyntax, 0, "+", ""},
	{"minus sign", "-5 mg", units.ErrRange, 0, "-", ""},
	{"minus sign after space", " -0.5 mL", units.ErrRange, 1, "-", ""},

	{"leading zero", "05 mg", units.ErrSyntax, 0, "05", "5 mg"},
	{"leading zeros", "007 mg", units.ErrSyntax, 0, "007", "7 mg"},
	{"leading zeros before a point", "00.5 mg", units.ErrSyntax, 0, "00", "0.5 mg"},
	{"leading zero and decimal comma", "00,5 mg", units.ErrSyntax, 0, "00", "0.5 mg"},

	{"cc", "5 cc", units.ErrUnknownUnit, 2, "cc", "5 mL"},
	{"cc in a rate", "100 cc/h", units.ErrUnknownUnit, 4, "cc", "100 mL/h"},
	{"CC", "5 CC", units.ErrUnknownUnit, 2, "CC", "5 mL"},
	{"U", "10 U", units.ErrUnknownUnit, 3, "U", "10 units"},
	{"u", "10 u", units.ErrUnknownUnit, 3, "u", "10 units"},
	{"IU", "10 IU", units.ErrUnknownUnit, 3, "IU", "10 units"},
	{"iu", "10 iu", units.ErrUnknownUnit, 3, "iu", "10 units"},
	{"IE", "10 IE", units.ErrUnknownUnit, 3, "IE", "10 units"},
	{"U per kg", "80 U/kg", units.ErrUnknownUnit, 3, "U", "80 units/kg"},
	{"U per kg per h", "18 U/kg/h", units.ErrUnknownUnit, 3, "U", "18 units/kg/h"},
	{"l", "1 l", units.ErrUnknownUnit, 2, "l", "1 L"},
	{"l in an unsupported compound has no hint", "5 l/h", units.ErrUnknownUnit, 2, "l", ""},
	{"mgs", "5 mgs", units.ErrUnknownUnit, 2, "mgs", "5 mg"},
	{"mcgs", "5 mcgs", units.ErrUnknownUnit, 2, "mcgs", "5 mcg"},
	{"kgs", "80 kgs", units.ErrUnknownUnit, 3, "kgs", "80 kg"},

	{"unknown unit", "5 mgg", units.ErrUnknownUnit, 2, "mgg", ""},
	{"unknown unit in denominator", "0.5 mg/kgg", units.ErrUnknownUnit, 7, "kgg", ""},
	{"case matters", "5 MG", units.ErrUnknownUnit, 2, "MG", ""},
	{"micro litre is not supported", "5 \u00b5L", units.ErrUnknownUnit, 2, "\u00b5L", ""},
	{"UCUM drop is not a set's drop", "1 [drp]", units.ErrUnknownUnit, 2, "[drp]", ""},
	{"two units", "5 mg mL", units.ErrUnknownUnit, 2, "mg mL", ""},
	{"per d is per day or per dose", "0.5 mg/kg/d", units.ErrUnknownUnit, 10, "d", ""},
	{"per d of a dose", "100 mg/d", units.ErrUnknownUnit, 7, "d", ""},
	{"per d after a space", " 2 units/kg/d", units.ErrUnknownUnit, 12, "d", ""},
	{"unsupported L/h", "5 L/h", units.ErrUnknownUnit, 2, "L/h", ""},
	{"units that cancel", "5 mg/mg", units.ErrUnknownUnit, 2, "mg/mg", ""},
	{"empty unit term", "5 mg/", units.ErrSyntax, 2, "mg/", ""},
	{"empty unit term inside", "5 mg//kg", units.ErrSyntax, 2, "mg//kg", ""},
	{"slash alone", "5 /", units.ErrSyntax, 2, "/", ""},

	{"missing number", "mg", units.ErrSyntax, 0, "", ""},
	{"missing number after space", "  mg", units.ErrSyntax, 2, "", ""},
	{"words are not numbers", "five mg", units.ErrSyntax, 0, "", ""},
	{"NaN", "NaN mg", units.ErrSyntax, 0, "", ""},
	{"fraction character", "\u00bd tablet", units.ErrSyntax, 0, "", ""},
	{"missing unit", "5", units.ErrMissingUnit, 1, "", ""},
	{"missing unit after space", "5 ", units.ErrMissingUnit, 1, "", ""},
	{"two spaces", "5  mg", units.ErrSyntax, 1, "  ", "5 mg"},
	{"tab", "5\tmg", units.ErrSyntax, 1, "\t", "5 mg"},
	{"no-break space", "5\u00a0mg", units.ErrSyntax, 1, "\u00a0", "5 mg"},
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := units.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if !got.IsValid() {
				t.Errorf("Parse(%q).IsValid() = false", tt.in)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range parseErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := units.Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.in, got)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Parse(%q) error %v does not wrap %v", tt.in, err, tt.wantErr)
			}
			if got.IsValid() {
				t.Errorf("Parse(%q) returned the valid %v with its error", tt.in, got)
			}
			var pe *units.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError", tt.in, err)
			}
			wantInput := tt.in
			if len(tt.in) > units.MaxInputLen {
				wantInput = tt.in[:20] + "…"
			}
			want := &units.ParseError{Func: "Parse", Input: wantInput, Offset: tt.wantOffset, Elem: tt.wantElem, Msg: pe.Msg, Fix: tt.wantFix, Err: tt.wantErr}
			if diff := cmp.Diff(*want, *pe, cmpErrors); diff != "" {
				t.Errorf("Parse(%q) *ParseError mismatch (-want +got):\n%s", tt.in, diff)
			}
			if pe.Msg == "" {
				t.Errorf("Parse(%q): empty Msg", tt.in)
			}
		})
	}
}

// TestParseErrorsUnmarshalText checks that UnmarshalText refuses what Parse
// refuses (except a leading minus) with the same element and hint.
func TestParseErrorsUnmarshalText(t *testing.T) {
	t.Parallel()
	for _, tt := range parseErrorTests {
		if strings.HasPrefix(strings.TrimSpace(tt.in), "-") || tt.in == "" {
			continue // UnmarshalText accepts a minus, and reads empty text as the zero Quantity
		}
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sentinel := qty(7, 0, units.Milligram)
			got := sentinel
			err := got.UnmarshalText([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("UnmarshalText(%q) = %v, want an error wrapping %v", tt.in, err, tt.wantErr)
			}
			if !got.Equal(sentinel) {
				t.Errorf("UnmarshalText(%q) failed but changed its receiver to %v", tt.in, got)
			}
			var pe *units.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.Func != "UnmarshalText" || pe.Offset != tt.wantOffset || pe.Elem != tt.wantElem || pe.Fix != tt.wantFix {
				t.Errorf("ParseError{Func: %q, Offset: %d, Elem: %q, Fix: %q}, want {%q, %d, %q, %q}",
					pe.Func, pe.Offset, pe.Elem, pe.Fix, "UnmarshalText", tt.wantOffset, tt.wantElem, tt.wantFix)
			}
		})
	}
}

func TestUnmarshalTextNegative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    units.Quantity
		wantErr error
		wantFix string
	}{
		{"deviation", "-0.08387144 mg", qty(-8387144, -8, units.Milligram), nil, ""},
		{"negative zero is zero", "-0 mL", qty(0, 0, units.Milliliter), nil, ""},
		{"naked decimal after minus", "-.5 mg", units.Quantity{}, units.ErrSyntax, "-0.5 mg"},
		{"two minus signs", "--5 mg", units.Quantity{}, units.ErrSyntax, ""},
		{"minus and plus", "-+5 mg", units.Quantity{}, units.ErrSyntax, ""},
		{"hint keeps the minus", "-5 cc", units.Quantity{}, units.ErrUnknownUnit, "-5 mL"},
		{"empty is the zero Quantity", "", units.Quantity{}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got units.Quantity
			err := got.UnmarshalText([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("UnmarshalText(%q) = %v, want %v", tt.in, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("UnmarshalText(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			var pe *units.ParseError
			if errors.As(err, &pe) && pe.Fix != tt.wantFix {
				t.Errorf("UnmarshalText(%q) Fix = %q, want %q", tt.in, pe.Fix, tt.wantFix)
			}
		})
	}
}

func TestMustParse(t *testing.T) {
	t.Parallel()
	if got, want := units.MustParse("0.5 mg/kg"), qty(5, -1, units.MgPerKg); !got.Equal(want) {
		t.Errorf("MustParse = %v, want %v", got, want)
	}
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, units.ErrSyntax) {
			t.Errorf("MustParse(%q) panicked with %v, want an error wrapping ErrSyntax", ".5 mg", r)
		}
	}()
	units.MustParse(".5 mg")
	t.Errorf("MustParse(%q) did not panic", ".5 mg")
}
