package units_test

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// entryTests are texts ParseEntry reads, with the canonical text, the
// quantity and the parts, each worked out by hand in the comment.
var entryTests = []struct {
	name  string
	in    string
	text  string
	want  units.Quantity
	parts []units.Quantity
}{
	// 5 ft = 60 in; + 10 in = 70 in.
	{"feet and inches", "5ft10in", "5 ft 10 in", qty(70, 0, units.Inch), []units.Quantity{qty(5, 0, units.Foot), qty(10, 0, units.Inch)}},
	{"feet and inches with spaces", "5 ft 10 in", "5 ft 10 in", qty(70, 0, units.Inch), []units.Quantity{qty(5, 0, units.Foot), qty(10, 0, units.Inch)}},
	// 60 in + 10.5 in = 70.5 in.
	{"decimal inches", "5ft 10.5in", "5 ft 10.5 in", qty(705, -1, units.Inch), []units.Quantity{qty(5, 0, units.Foot), qty(105, -1, units.Inch)}},
	// 6 ft = 72 in.
	{"zero inches", "6ft0in", "6 ft 0 in", qty(72, 0, units.Inch), []units.Quantity{qty(6, 0, units.Foot), qty(0, 0, units.Inch)}},
	// 15 lb = 240 oz; + 5 oz = 245 oz.
	{"pounds and ounces", "15lb5oz", "15 lb 5 oz", qty(245, 0, units.Ounce), []units.Quantity{qty(15, 0, units.Pound), qty(5, 0, units.Ounce)}},
	// 7 lb = 112 oz; + 4 oz = 116 oz.
	{"pounds and ounces with spaces", "7 lb 4 oz", "7 lb 4 oz", qty(116, 0, units.Ounce), []units.Quantity{qty(7, 0, units.Pound), qty(4, 0, units.Ounce)}},
	{"lbs and ounces", "7lbs 4oz", "7 lb 4 oz", qty(116, 0, units.Ounce), []units.Quantity{qty(7, 0, units.Pound), qty(4, 0, units.Ounce)}},
	// 4 h = 240 min; + 30 min = 270 min.
	{"hours and minutes", "4h30min", "4 h 30 min", qty(270, 0, units.Minute), []units.Quantity{qty(4, 0, units.Hour), qty(30, 0, units.Minute)}},
	{"hours and minutes in words", "4 hours 30 minutes", "4 h 30 min", qty(270, 0, units.Minute), []units.Quantity{qty(4, 0, units.Hour), qty(30, 0, units.Minute)}},
	// 1 h = 60 min; + 5 min = 65 min.
	{"hr and min", "1 hr 5 min", "1 h 5 min", qty(65, 0, units.Minute), []units.Quantity{qty(1, 0, units.Hour), qty(5, 0, units.Minute)}},

	// 250 mg ÷ 500 mL = 0.5 mg/mL.
	{"amount in a volume", "250 mg in 500 mL", "250 mg in 500 mL", qty(5, -1, units.MgPerML), []units.Quantity{qty(250, 0, units.Milligram), qty(500, 0, units.Milliliter)}},
	// 25000 units ÷ 250 mL = 100 units/mL.
	{"units in a volume", "25000 units in 250 mL", "25000 units in 250 mL", qty(100, 0, units.UnitsPerML), []units.Quantity{qty(25000, 0, units.ActivityUnit), qty(250, 0, units.Milliliter)}},
	// 250 mcg ÷ 5 mL = 50 mcg/mL: the units cancel term by term.
	{"mcg in a volume", "250mcg in 5mL", "250 mcg in 5 mL", qty(50, 0, units.McgPerML), []units.Quantity{qty(250, 0, units.Microgram), qty(5, 0, units.Milliliter)}},
	// 1 g ÷ 3 mL = 333.3… mg/mL, kept at Places; the parts stay exact.
	{"quotient that does not terminate", "1 g in 3 mL", "1 g in 3 mL", units.New(decimal.RequireFromString("333.333333333333333333333333333333"), units.MgPerML), []units.Quantity{qty(1, 0, units.Gram), qty(3, 0, units.Milliliter)}},

	// 1 % w/v = 1 g in 100 mL = 1000 mg ÷ 100 mL = 10 mg/mL.
	{"percent strength", "1 % w/v", "1 % w/v", qty(10, 0, units.MgPerML), []units.Quantity{qty(1, 0, units.Gram), qty(100, 0, units.Milliliter)}},
	// 0.9 % w/v = 0.9 g in 100 mL = 9 mg/mL (normal saline).
	{"percent strength without spaces", "0.9%w/v", "0.9 % w/v", qty(9, 0, units.MgPerML), []units.Quantity{qty(9, -1, units.Gram), qty(100, 0, units.Milliliter)}},
	// 2 % w/v = 20 mg/mL (lidocaine 2 %).
	{"lidocaine 2 %", "2% w/v", "2 % w/v", qty(20, 0, units.MgPerML), []units.Quantity{qty(2, 0, units.Gram), qty(100, 0, units.Milliliter)}},
	// 1:1000 = 1 g in 1000 mL = 1 mg/mL (epinephrine 1:1000).
	{"ratio strength", "1:1000", "1:1000", qty(1, 0, units.MgPerML), []units.Quantity{qty(1, 0, units.Gram), qty(1000, 0, units.Milliliter)}},
	// 1:10000 = 1000 mg ÷ 10000 mL = 0.1 mg/mL.
	{"ratio strength 1:10000", "1:10000", "1:10000", qty(1, -1, units.MgPerML), []units.Quantity{qty(1, 0, units.Gram), qty(10000, 0, units.Milliliter)}},
	// 1:200000 = 1000 mg ÷ 200000 mL = 0.005 mg/mL (5 mcg/mL in local anaesthetics).
	{"ratio strength with w/v and spaces", "1 : 200000 w/v", "1:200000", qty(5, -3, units.MgPerML), []units.Quantity{qty(1, 0, units.Gram), qty(200000, 0, units.Milliliter)}},

	// Plain quantities, as Parse reads them.
	{"plain", "0.5 mg/kg", "0.5 mg/kg", qty(5, -1, units.MgPerKg), nil},
	{"bare percent stays a percentage", "1 %", "1 %", qty(1, 0, units.Percent), nil},
	{"whole feet", "5ft", "5 ft", qty(5, 0, units.Foot), nil},
	// Decimal feet and hours with one reading.
	{"decimal feet that cannot be inches", "5.75 ft", "5.75 ft", qty(575, -2, units.Foot), nil},
	{"decimal feet of three places", "5.833 ft", "5.833 ft", qty(5833, -3, units.Foot), nil},
	{"decimal hours of one place", "1.5 h", "1.5 h", qty(15, -1, units.Hour), nil},
	{"decimal hours that cannot be minutes", "0.75 h", "0.75 h", qty(75, -2, units.Hour), nil},
	{"decimal hours of three places", "1.300 h", "1.3 h", qty(13, -1, units.Hour), nil},
	{"decimal pounds, as scales show them", "176.4 lb", "176.4 lb", qty(1764, -1, units.Pound), nil},
	{"decimal minutes", "1.30 min", "1.3 min", qty(13, -1, units.Minute), nil},
	{"whole hours with a zero fraction", "2.00 h", "2 h", qty(2, 0, units.Hour), nil},
}

func TestParseEntry(t *testing.T) {
	t.Parallel()
	for _, tt := range entryTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := units.ParseEntry(tt.in)
			if err != nil {
				t.Fatalf("ParseEntry(%q): %v", tt.in, err)
			}
			want := units.Entry{Text: tt.text, Quantity: tt.want, Parts: tt.parts}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ParseEntry(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if got.Quantity.Unit() != tt.want.Unit() {
				t.Errorf("ParseEntry(%q) in %v, want %v", tt.in, got.Quantity.Unit(), tt.want.Unit())
			}
		})
	}
}

// entryErrorTests are texts ParseEntry refuses. msg is the whole message
// for the refusals ParseEntry adds to Parse's.
var entryErrorTests = []struct {
	name   string
	in     string
	err    error
	offset int
	elem   string
	msg    string
}{
	// Two readings: 5.10 ft is 5.1 × 12 = 61.2 in, or 5 × 12 + 10 = 70 in.
	{"decimal feet that read as feet and inches", "5.10ft", units.ErrSyntax, 0, "5.10",
		`ambiguous decimal feet: 5.1 ft (61.2 in) or 5 ft 10 in (70 in)? write "5ft10in", or inches ("70 in" or "61.2 in")`},
	// 5.5 ft is 66 in, or 5 ft 5 in = 65 in.
	{"one place of feet", "5.5 ft", units.ErrSyntax, 0, "5.5",
		`ambiguous decimal feet: 5.5 ft (66 in) or 5 ft 5 in (65 in)? write "5ft5in", or inches ("65 in" or "66 in")`},
	// Written 5.50, it is 5.5 without the zero: refused like 5.5.
	{"trailing zero of feet", " 5.50 ft", units.ErrSyntax, 1, "5.50",
		`ambiguous decimal feet: 5.5 ft (66 in) or 5 ft 5 in (65 in)? write "5ft5in", or inches ("65 in" or "66 in")`},
	// 5.05 ft = 60.6 in, or 5 ft 5 in.
	{"two places of feet below 12", "5.05 ft", units.ErrSyntax, 0, "5.05",
		`ambiguous decimal feet: 5.05 ft (60.6 in) or 5 ft 5 in (65 in)? write "5ft5in", or inches ("65 in" or "60.6 in")`},
	{"eleven hundredths of feet", "5.11 ft", units.ErrSyntax, 0, "5.11",
		`ambiguous decimal feet: 5.11 ft (61.32 in) or 5 ft 11 in (71 in)? write "5ft11in", or inches ("71 in" or "61.32 in")`},
	// 1.30 h = 1.3 × 60 = 78 min, or 1 h 30 min = 90 min.
	{"hours and minutes after a point", "1.30h", units.ErrSyntax, 0, "1.30",
		`ambiguous decimal hours: 1.3 h (78 min) or 1 h 30 min (90 min)? write "1h30min", or minutes ("90 min" or "78 min")`},
	// 1.50 h = 90 min, or 110 min.
	{"hours and fifty minutes", "1.50 hours", units.ErrSyntax, 0, "1.50",
		`ambiguous decimal hours: 1.5 h (90 min) or 1 h 50 min (110 min)? write "1h50min", or minutes ("110 min" or "90 min")`},
	// 0.25 h = 15 min, or 25 min.
	{"quarter hour", "0.25 h", units.ErrSyntax, 0, "0.25",
		`ambiguous decimal hours: 0.25 h (15 min) or 25 min? write minutes ("25 min" or "15 min")`},
	// 2.050 h: without its trailing zero 2.05 h = 123 min, or 2 h 5 min = 125 min.
	{"hours with a trailing zero", "2.050 h", units.ErrSyntax, 0, "2.050",
		`ambiguous decimal hours: 2.05 h (123 min) or 2 h 5 min (125 min)? write "2h5min", or minutes ("125 min" or "123 min")`},

	{"inches without their unit", "5ft10", units.ErrSyntax, 3, "10", `inches need their unit: write "5ft10in"`},
	{"minutes without their unit", "1 h 30", units.ErrSyntax, 4, "30", `minutes need their unit: write "1h30min"`},
	{"13 inches", "5ft13in", units.ErrRange, 3, "13in", "the inches after the feet must be below 12"},
	{"16 ounces", "1 lb 16 oz", units.ErrRange, 5, "16 oz", "the ounces after the pounds must be below 16"},
	{"60 minutes", "1h60min", units.ErrRange, 2, "60min", "the minutes after the hours must be below 60"},
	{"decimal feet before inches", "5.5ft2in", units.ErrSyntax, 0, "5.5ft", `write whole feet before the inches ("5ft10in")`},
	{"decimal hours before minutes", "1.5h30min", units.ErrSyntax, 0, "1.5h", `write whole hours before the minutes ("4h30min")`},
	{"centimetres after the feet", "5ft10cm", units.ErrSyntax, 3, "10cm", `after the feet come inches (write e.g. "5ft10in")`},
	{"metres are not minutes", "4h30m", units.ErrSyntax, 2, "30m", `after the hours come minutes (write e.g. "4h30min")`},
	{"prime and double prime", `5'10"`, units.ErrSyntax, 0, `5'10"`, `feet and inches are written "5ft10in", pounds and ounces "15lb5oz" (or give one unit: "70 in", "178 cm")`},
	{"naked decimal in the inches", "5ft.5in", units.ErrSyntax, 3, ".", `in the inches: naked decimal; write "0.5 in"`},
	// 60 digits of feet read, but 12 times them are more digits than a value may have.
	{"more inches than digits allow", strings.Repeat("9", 60) + "ft1in", units.ErrRange, 0, strings.Repeat("9", 60) + "ft1in", "in inches: more than 60 digits"},

	{"amount that is a body weight", "5 kg in 10 mL", units.ErrDimension, 0, "5 kg", `the amount in a volume is a drug mass or units ("250 mg in 500 mL")`},
	{"amount in a mass", "250 mg in 500 mg", units.ErrDimension, 10, "500 mg", `the amount is in a volume, in mL or L ("250 mg in 500 mL")`},
	{"amount in no volume", "250 mg in 0 mL", units.ErrRange, 10, "0 mL", "the volume must be greater than 0 mL"},
	{"cc in the volume", "250 mg in 5 cc", units.ErrUnknownUnit, 12, "cc", `in the volume: ambiguous unit "cc"; write "5 mL"`},

	{"percent weight in weight", "1 % w/w", units.ErrUnknownUnit, 4, "w/w", `a w/w percent strength is not an amount in a volume; give the concentration in mg/mL, or w/v strength (grams in 100 mL: "1 % w/v")`},
	{"percent volume in volume", "70% v/v", units.ErrUnknownUnit, 4, "v/v", `a v/v percent strength is not an amount in a volume; give the concentration in mg/mL, or w/v strength (grams in 100 mL: "1 % w/v")`},
	{"naked decimal percent", ".9 % w/v", units.ErrSyntax, 0, ".", "in the percent strength: naked decimal"},

	{"ratio with a thousands separator", "1:10,000", units.ErrSyntax, 4, ",", "comma in a ratio strength (thousands separators are not read)"},
	{"ratio with a decimal comma", "1:1,5", units.ErrSyntax, 3, ",", "comma in a ratio strength (thousands separators are not read)"},
	{"ratio of no volume", "1:0", units.ErrRange, 2, "0", "the volume of a ratio strength must be greater than 0"},
	{"ratio of weight in weight", "1:1000 w/w", units.ErrUnknownUnit, 7, "w/w", `a ratio strength is weight in volume (grams to mL: "1:1000"); "w/w" is not read`},
	{"ratio of three", "1:2:3", units.ErrSyntax, 3, ":", `a ratio strength has one colon ("1:1000")`},
	{"ratio with units", "1 mg:1000 mL", units.ErrSyntax, 0, "1 mg", `a ratio strength is two numbers ("1:1000")`},
	{"clock time is not a ratio", "09:00", units.ErrSyntax, 0, "09", "in the ratio strength: leading zeros"},

	{"what Parse refuses", "5 cc", units.ErrUnknownUnit, 2, "cc", `ambiguous unit "cc"`},
	{"per d", "10 mg/kg/d", units.ErrUnknownUnit, 9, "d", `ambiguous unit "d" in "mg/kg/d" (per day or per dose?); write "mg/kg/day" for a dose per day`},
	{"text before the feet", "x5ft10in", units.ErrSyntax, 0, "", "missing number before the unit"},
}

func TestParseEntryRefuses(t *testing.T) {
	t.Parallel()
	for _, tt := range entryErrorTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := units.ParseEntry(tt.in)
			if err == nil {
				t.Fatalf("ParseEntry(%q) = %+v, want an error", tt.in, got)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("ParseEntry(%q) error %v does not wrap %v", tt.in, err, tt.err)
			}
			var pe *units.ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseEntry(%q) error %T is not a *ParseError", tt.in, err)
			}
			want := units.ParseError{Func: "ParseEntry", Input: tt.in, Offset: tt.offset, Elem: tt.elem, Msg: tt.msg, Fix: pe.Fix, Err: tt.err}
			if diff := cmp.Diff(want, *pe, cmpErrors); diff != "" {
				t.Errorf("ParseEntry(%q) *ParseError mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseEntryRatioHint(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"1:10,000": "1:10000", "1:200,000 w/v": "1:200000", "1,000:1,000,000": "1000:1000000", "1:1,5": "", "1,5:1,000": ""} {
		_, err := units.ParseEntry(in)
		var pe *units.ParseError
		if !errors.As(err, &pe) || pe.Fix != want {
			t.Errorf("ParseEntry(%q) = %v; want the hint %q", in, err, want)
		}
	}
}

// TestParseEntryReadsWhatParseReads: every quantity of Parse's table reads
// the same through ParseEntry, except decimal feet and hours with two readings.
func TestParseEntryReadsWhatParseReads(t *testing.T) {
	t.Parallel()
	for _, tt := range parseTests {
		got, err := units.ParseEntry(tt.in)
		if twoReadings(tt.want) {
			if err == nil {
				t.Errorf("ParseEntry(%q) = %v; want it refused as ambiguous", tt.in, got.Quantity)
			}
			continue
		}
		if err != nil || !got.Quantity.Equal(tt.want) || got.Parts != nil || got.Text != tt.want.Text() {
			t.Errorf("ParseEntry(%q) = %+v, %v; want %v as Parse reads it", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range parseErrorTests {
		if _, err := units.ParseEntry(tt.in); !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseEntry(%q) = %v; want an error wrapping %v as Parse gives", tt.in, err, tt.wantErr)
		}
	}
}

// twoReadings is the oracle of the ambiguity rule, in terms of the value
// (ParseEntry works on the digits): a foot value whose fraction is a whole
// number of tenths (0.1–0.9), or 0.01–0.09 or 0.11, reads as inches; an hour
// value whose fraction is k/100 with k from 1 to 59 and no whole number of
// tenths reads as minutes.
func twoReadings(q units.Quantity) bool {
	r := q.Value().Rat()
	frac := new(big.Rat).Sub(r, new(big.Rat).SetInt(new(big.Int).Quo(r.Num(), r.Denom())))
	tenths, hundredths := new(big.Rat).Mul(frac, big.NewRat(10, 1)), new(big.Rat).Mul(frac, big.NewRat(100, 1))
	if frac.Sign() == 0 || !hundredths.IsInt() {
		return false
	}
	k := hundredths.Num().Int64()
	switch q.Unit() {
	case units.Foot:
		return tenths.IsInt() || k <= 11
	case units.Hour:
		return !tenths.IsInt() && k <= 59
	}
	return false
}

// --- laws ---

// TestEntryTwoReadingsRule: ParseEntry refuses the Text of a foot or hour
// value exactly when the oracle finds two readings, and reads every other
// quantity's Text as Parse does.
func TestEntryTwoReadingsRule(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		u := rapid.SampledFrom([]units.Unit{units.Foot, units.Hour, units.Pound, units.Minute, units.Inch}).Draw(t, "unit")
		q := units.New(decimal.New(rapid.Int64Range(0, 100_000).Draw(t, "coefficient"), -rapid.Int32Range(0, 3).Draw(t, "places")), u)
		got, err := units.ParseEntry(q.Text())
		if twoReadings(q) {
			if !errors.Is(err, units.ErrSyntax) {
				t.Fatalf("ParseEntry(%q) = %v, %v; want it refused as ambiguous", q.Text(), got.Quantity, err)
			}
			return
		}
		if err != nil || !got.Quantity.Equal(q) || got.Text != q.Text() {
			t.Fatalf("ParseEntry(%q) = %+v, %v; want %v", q.Text(), got, err, q)
		}
	})
}

// compoundFacts are the compounds, written down by hand: minor units in a
// major one.
var compoundFacts = []struct {
	major, minor units.Unit
	per          int64
}{{units.Foot, units.Inch, 12}, {units.Pound, units.Ounce, 16}, {units.Hour, units.Minute, 60}}

// TestEntryCompoundIsExactSum: "W major m minor" is W × per + m minor units
// exactly, its canonical text reads back as the same entry, and a minor part
// of a whole major unit or more is refused.
func TestEntryCompoundIsExactSum(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.SampledFrom(compoundFacts).Draw(t, "compound")
		whole := rapid.Int64Range(0, 1_000_000).Draw(t, "whole")
		minor := decimal.New(rapid.Int64Range(0, c.per*1000-1).Draw(t, "minor thousandths"), -3)
		sep := rapid.SampledFrom([]string{"", " "}).Draw(t, "separator")
		text := decimal.NewFromInt(whole).String() + sep + c.major.String() + sep + minor.String() + sep + c.minor.String()
		got, err := units.ParseEntry(text)
		if err != nil {
			t.Fatalf("ParseEntry(%q): %v", text, err)
		}
		want := new(big.Rat).Add(new(big.Rat).SetInt64(whole*c.per), minor.Rat())
		if got.Quantity.Unit() != c.minor || got.Quantity.Value().Rat().Cmp(want) != 0 {
			t.Fatalf("ParseEntry(%q) = %v, want %s %v", text, got.Quantity, want.FloatString(3), c.minor)
		}
		checkEntryReadsBack(t, got)

		over := minor.Add(decimal.NewFromInt(c.per))
		tooMuch := decimal.NewFromInt(whole).String() + c.major.String() + over.String() + c.minor.String()
		if _, err := units.ParseEntry(tooMuch); !errors.Is(err, units.ErrRange) {
			t.Fatalf("ParseEntry(%q) = %v; want ErrRange (%v is a whole %v or more)", tooMuch, err, over, c.major)
		}
	})
}

// TestEntryStrengthIsGramsInMillilitres: "p % w/v" is p g in 100 mL, "a:b"
// is a g in b mL, "x in v" is x ÷ v; each equals the exact quotient rounded
// at Places, and reads back.
func TestEntryStrengthIsGramsInMillilitres(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		a := decimal.New(rapid.Int64Range(0, 1_000_000).Draw(t, "a"), -rapid.Int32Range(0, 3).Draw(t, "a places"))
		b := decimal.New(rapid.Int64Range(1, 1_000_000).Draw(t, "b"), -rapid.Int32Range(0, 2).Draw(t, "b places"))
		var text string
		var grams, mL *big.Rat // the exact amount (as a drug mass in mg) and volume
		switch rapid.IntRange(0, 2).Draw(t, "form") {
		case 0:
			text = a.String() + " % w/v"
			grams, mL = new(big.Rat).Mul(a.Rat(), big.NewRat(1000, 1)), big.NewRat(100, 1)
		case 1:
			text = a.String() + ":" + b.String()
			grams, mL = new(big.Rat).Mul(a.Rat(), big.NewRat(1000, 1)), b.Rat()
		default:
			text = a.String() + " mcg in " + b.String() + " L"
			grams, mL = new(big.Rat).Quo(a.Rat(), big.NewRat(1000, 1)), new(big.Rat).Mul(b.Rat(), big.NewRat(1000, 1))
		}
		got, err := units.ParseEntry(text)
		if err != nil {
			t.Fatalf("ParseEntry(%q): %v", text, err)
		}
		if len(got.Parts) != 2 {
			t.Fatalf("ParseEntry(%q) parts %v, want an amount and a volume", text, got.Parts)
		}
		wantMgPerML := new(big.Rat).Quo(grams, mL)
		// mg and mL are the base units, so the base value of the parts'
		// quotient is in mg/mL.
		if exact := new(big.Rat).Quo(baseValue(t, got.Parts[0]), baseValue(t, got.Parts[1])); exact.Cmp(wantMgPerML) != 0 {
			t.Fatalf("ParseEntry(%q) parts %v are %s mg/mL, want %s", text, got.Parts, exact.FloatString(10), wantMgPerML.FloatString(10))
		}
		if got.Quantity.Dimension() != units.MgPerML.Dimension() {
			t.Fatalf("ParseEntry(%q) = %v, not a concentration", text, got.Quantity)
		}
		wantRat(t, "quotient", got.Quantity, roundPlaces(inUnit(t, wantMgPerML, got.Quantity.Unit())))
		checkEntryReadsBack(t, got)
	})
}

func checkEntryReadsBack(t interface {
	Helper()
	Fatalf(string, ...any)
}, e units.Entry) {
	t.Helper()
	back, err := units.ParseEntry(e.Text)
	if err != nil {
		t.Fatalf("ParseEntry(Text %q): %v", e.Text, err)
	}
	if diff := cmp.Diff(e, back); diff != "" || back.Text != e.Text {
		t.Fatalf("ParseEntry(Text %q) mismatch (-first +again):\n%s", e.Text, diff)
	}
}

func FuzzParseEntry(f *testing.F) {
	for _, tt := range entryTests {
		f.Add(tt.in)
	}
	for _, tt := range entryErrorTests {
		f.Add(tt.in)
	}
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			e   units.Entry
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { e, err := units.ParseEntry(s); return res{e, err} })
		if r.err != nil {
			var pe *units.ParseError
			if !errors.As(r.err, &pe) || pe.Func != "ParseEntry" || r.e.Quantity.IsValid() {
				t.Fatalf("ParseEntry(%q) = %+v, %v: want a *ParseError of ParseEntry and no quantity", s, r.e, r.err)
			}
			if !strings.HasPrefix(r.err.Error(), "units: parsing ") || strings.ContainsAny(r.err.Error(), "\n\r") {
				t.Fatalf("ParseEntry(%q): message %q", s, r.err)
			}
			if len(s) <= units.MaxInputLen && (pe.Input != s || pe.Offset < 0 || pe.Offset > len(s) || !strings.HasPrefix(s[pe.Offset:], pe.Elem)) {
				t.Fatalf("ParseEntry(%q): Input %q, Elem %q is not at Offset %d", s, pe.Input, pe.Elem, pe.Offset)
			}
			if pe.Fix != "" {
				if _, err := units.ParseEntry(pe.Fix); err != nil {
					t.Fatalf("ParseEntry(%q): hint %q is refused: %v", s, pe.Fix, err)
				}
			}
			return
		}
		e := r.e
		if !e.Quantity.IsValid() || e.Quantity.Sign() < 0 {
			t.Fatalf("ParseEntry(%q) = %v: want a valid, non-negative quantity", s, e.Quantity)
		}
		switch len(e.Parts) {
		case 0:
			if q, err := units.Parse(s); err != nil || !q.Equal(e.Quantity) {
				t.Fatalf("ParseEntry(%q) = %v, but Parse gives %v, %v", s, e.Quantity, q, err)
			}
		case 2:
			var whole units.Quantity
			var err error
			if e.Parts[0].Dimension() == e.Parts[1].Dimension() {
				whole, err = e.Parts[0].Convert(e.Quantity.Unit())
				if err == nil {
					whole, err = whole.Add(e.Parts[1])
				}
			} else {
				whole, err = e.Parts[0].Div(e.Parts[1])
			}
			if c, cerr := whole.Cmp(e.Quantity); err != nil || cerr != nil || c != 0 {
				t.Fatalf("ParseEntry(%q) = %v, but its parts %v give %v, %v", s, e.Quantity, e.Parts, whole, err)
			}
		default:
			t.Fatalf("ParseEntry(%q) has %d parts", s, len(e.Parts))
		}
		checkEntryReadsBack(t, e)
	})
}
