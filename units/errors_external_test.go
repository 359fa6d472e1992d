package units_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
)

// TestErrorMessages is the one test of exact message text: every other test
// matches errors with errors.Is and errors.As.
func TestErrorMessages(t *testing.T) {
	t.Parallel()
	mg5, mL := units.MustParse("5 mg"), units.MustParse("2 mL")
	perKg := units.MustParse("0.5 mg/kg")
	var invalid units.Quantity
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		// Parse.
		{"naked decimal", parseErr(".5 mg"), `units: parsing ".5 mg": naked decimal; write "0.5 mg"`},
		{"trailing decimal point", parseErr("5. mg"), `units: parsing "5. mg": trailing decimal point; write "5 mg"`},
		{"two decimal points", parseErr("1.2.3 mg"), `units: parsing "1.2.3 mg": more than one decimal point`},
		{"scientific notation", parseErr("1e3 mg"), `units: parsing "1e3 mg": scientific notation; write "1000 mg"`},
		{"thousands separator", parseErr("1,000,000 mg"), `units: parsing "1,000,000 mg": thousands separator; write "1000000 mg"`},
		{"ambiguous comma", parseErr("1,500 mg"), `units: parsing "1,500 mg": ambiguous comma (thousands separator or decimal comma); write "1500 mg" or "1.5 mg"`},
		{"ambiguous comma, unit refused too", parseErr("1,500 cc"), `units: parsing "1,500 cc": ambiguous comma (thousands separator or decimal comma); write "1500 mL" or "1.5 mL"`},
		{"ambiguous comma, no readable alternative", parseErr("1,500 l/h"), `units: parsing "1,500 l/h": ambiguous comma (thousands separator or decimal comma)`},
		{"decimal comma", parseErr("0,5 mg"), `units: parsing "0,5 mg": decimal comma; write "0.5 mg"`},
		{"comma in number", parseErr("1,00,000 mg"), `units: parsing "1,00,000 mg": comma in number`},
		{"plus sign", parseErr("+5 mg"), `units: parsing "+5 mg": sign on a quantity; write "5 mg"`},
		{"minus sign", parseErr("-5 mg"), `units: parsing "-5 mg": negative quantity; doses, volumes, rates, weights and durations cannot be negative`},
		{"leading zeros", parseErr("007 mg"), `units: parsing "007 mg": leading zeros; write "7 mg"`},
		{"cc", parseErr("5 cc"), `units: parsing "5 cc": ambiguous unit "cc"; write "5 mL"`},
		{"U", parseErr("10 U"), `units: parsing "10 U": ambiguous unit "U"; write "10 units"`},
		{"IU", parseErr("10 IU"), `units: parsing "10 IU": ambiguous unit "IU"; write "10 units"`},
		{"hint in canonical form", parseErr("+0.50 ug"), `units: parsing "+0.50 ug": sign on a quantity; write "0.5 mcg"`},
		{"unknown unit", parseErr("0.5 mgg/kg"), `units: parsing "0.5 mgg/kg": unknown unit "mgg"`},
		{"unsupported unit", parseErr("5 L/h"), `units: parsing "5 L/h": unsupported unit "L/h"`},
		{"per d", parseErr("0.5 mg/kg/d"), `units: parsing "0.5 mg/kg/d": ambiguous unit "d" in "mg/kg/d" (per day or per dose?); write "mg/kg/day" for a dose per day`},
		{"empty unit term", parseErr("5 mg/"), `units: parsing "5 mg/": empty unit term in "mg/"`},
		{"empty", parseErr(""), `units: parsing "": empty quantity`},
		{"missing number", parseErr("mg"), `units: parsing "mg": missing number before the unit`},
		{"missing unit", parseErr("5"), `units: parsing "5": missing unit`},
		{"white space", parseErr("5  mg"), `units: parsing "5  mg": white space between number and unit must be one space; write "5 mg"`},
		{"too many places", parseErr("0." + strings.Repeat("0", 30) + "1 mg"), `units: parsing "0.` + strings.Repeat("0", 30) + `1 mg": more than 30 decimal places`},
		{"too many digits", parseErr(strings.Repeat("1", 61) + " mg"), `units: parsing "` + strings.Repeat("1", 61) + ` mg": more than 60 digits`},
		{"too long", parseErr(strings.Repeat("1", 101)), `units: parsing "11111111111111111111…": longer than 100 bytes`},
		{"too long, cut on a rune boundary", parseErr(strings.Repeat("1", 19) + strings.Repeat("µ", 50)), `units: parsing "1111111111111111111…": longer than 100 bytes`},
		{"ParseUnit", func() error { _, err := units.ParseUnit("cc"); return err }, `units: parsing "cc": ambiguous unit "cc"; write "mL"`},
		{"ParseUCUM", func() error { _, err := units.ParseUCUM("[drp]"); return err }, `units: parsing "[drp]": unknown or unsupported UCUM code "[drp]"`},
		{"ParseRoundingMode", func() error { _, err := units.ParseRoundingMode("nearest"); return err },
			`units: parsing "nearest": unknown rounding mode (allowed: half_up, half_even, down, up)`},
		{"UnmarshalText", func() error { var q units.Quantity; return q.UnmarshalText([]byte("5 U")) }, `units: parsing "5 U": ambiguous unit "U"; write "5 units"`},

		// Dimensions.
		{"mul without a unit", func() error { _, err := perKg.Mul(units.MustParse("500 mg")); return err },
			`units: mul "0.5 mg/kg" and "500 mg": dimension mismatch (drug mass / body mass vs drug mass): no unit for the product's dimension drug mass^2 / body mass`},
		{"div without a unit", func() error { _, err := mg5.Div(units.MustParse("2 mL/h")); return err },
			`units: div "5 mg" and "2 mL/h": dimension mismatch (drug mass vs volume / time): no unit for the quotient's dimension drug mass × time / volume`},
		{"convert", func() error { _, err := mg5.Convert(units.Milliliter); return err },
			`units: convert "5 mg" and "mL": dimension mismatch (drug mass vs volume): conversions that need an outside number (a weight, a concentration, a drop factor) are done with Mul or Div`},
		{"add", func() error { _, err := mg5.Add(perKg); return err },
			`units: add "5 mg" and "0.5 mg/kg": dimension mismatch (drug mass vs drug mass / body mass)`},
		{"sub", func() error { _, err := mg5.Sub(mL); return err }, `units: sub "5 mg" and "2 mL": dimension mismatch (drug mass vs volume)`},
		{"cmp", func() error { _, err := mg5.Cmp(mL); return err }, `units: cmp "5 mg" and "2 mL": dimension mismatch (drug mass vs volume)`},
		{"round", func() error { _, _, err := mg5.RoundTo(mL, units.RoundHalfUp); return err },
			`units: round "5 mg" and "2 mL": dimension mismatch (drug mass vs volume)`},

		// Values.
		{"divide by zero", func() error { _, err := mg5.Div(units.MustParse("0 mL")); return err }, `units: div "5 mg" and "0 mL": division by zero`},
		{"zero step", func() error { _, _, err := mL.RoundTo(units.MustParse("0 mL"), units.RoundHalfUp); return err },
			`units: round "2 mL" and "0 mL": step must be greater than 0`},
		{"rounding mode not set", func() error { _, _, err := mL.RoundTo(units.MustParse("0.1 mL"), 0); return err },
			`units: round "2 mL" and "0.1 mL": rounding mode not set (allowed: half_up, half_even, down, up)`},
		{"invalid operand", func() error { _, err := invalid.Add(mg5); return err },
			`units: add "invalid quantity" and "5 mg": operand is the zero (invalid) Quantity`},
		{"invalid second operand", func() error { _, err := mg5.Mul(invalid); return err },
			`units: mul "5 mg" and "invalid quantity": operand is the zero (invalid) Quantity`},
		{"invalid convert", func() error { _, err := invalid.Convert(units.Milligram); return err },
			`units: convert "invalid quantity": operand is the zero (invalid) Quantity`},
		{"invalid scale", func() error { _, err := invalid.Scale(one); return err },
			`units: scale "invalid quantity": operand is the zero (invalid) Quantity`},
		{"invalid target unit", func() error { _, err := mg5.Convert(units.Unit(0)); return err },
			`units: convert "5 mg" and "invalid unit": unknown target unit`},
		{"marshal invalid rounding mode", func() error { _, err := units.RoundingMode(0).MarshalText(); return err },
			`units: marshal "invalid rounding mode": invalid rounding mode`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.err()
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("message mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func parseErr(s string) func() error {
	return func() error {
		_, err := units.Parse(s)
		return err
	}
}

// TestErrorsWrapSentinels checks that each typed error unwraps to its sentinel
// and that errors.As reaches it through a caller's wrapping.
func TestErrorsWrapSentinels(t *testing.T) {
	t.Parallel()
	_, perr := units.Parse("5 cc")
	_, derr := units.MustParse("5 mg").Convert(units.Milliliter)
	_, oerr := units.MustParse("5 mg").Div(units.MustParse("0 mL"))

	wrapped := errors.Join(errors.New("dose"), perr)
	var pe *units.ParseError
	if !errors.As(wrapped, &pe) || pe.Elem != "cc" || !errors.Is(wrapped, units.ErrUnknownUnit) {
		t.Errorf("ParseError not reachable through errors.Join: %v", wrapped)
	}

	var de *units.DimensionError
	if !errors.As(derr, &de) {
		t.Fatalf("Convert error %T is not a *DimensionError", derr)
	}
	want := units.DimensionError{Op: "convert", X: "5 mg", Y: "mL", XDim: units.Dimension{Mass: 1}, YDim: units.Dimension{Volume: 1}, Msg: de.Msg}
	if diff := cmp.Diff(want, *de); diff != "" {
		t.Errorf("*DimensionError mismatch (-want +got):\n%s", diff)
	}
	if !errors.Is(derr, units.ErrDimension) {
		t.Errorf("DimensionError does not wrap ErrDimension")
	}

	var oe *units.OpError
	if !errors.As(oerr, &oe) {
		t.Fatalf("Div error %T is not an *OpError", oerr)
	}
	wantOp := units.OpError{Op: "div", X: "5 mg", Y: "0 mL", Msg: oe.Msg, Err: units.ErrDivideByZero}
	if diff := cmp.Diff(wantOp, *oe, cmpErrors); diff != "" {
		t.Errorf("*OpError mismatch (-want +got):\n%s", diff)
	}

	// A number without its unit is a syntax error of its own kind, for a
	// caller to complete with what the number stands for.
	for _, in := range []string{"5", "5 ", "80 "} {
		_, err := units.Parse(in)
		if !errors.Is(err, units.ErrMissingUnit) || !errors.Is(err, units.ErrSyntax) {
			t.Errorf("Parse(%q) = %v: want ErrMissingUnit, an ErrSyntax", in, err)
		}
	}
	if _, err := units.ParseUnit(""); !errors.Is(err, units.ErrMissingUnit) {
		t.Errorf(`ParseUnit("") = %v: want ErrMissingUnit`, err)
	}
	if _, err := units.Parse("5 cc"); errors.Is(err, units.ErrMissingUnit) {
		t.Errorf(`Parse("5 cc") = %v: an unknown unit is not a missing one`, err)
	}

	for _, s := range []error{units.ErrSyntax, units.ErrUnknownUnit, units.ErrDimension, units.ErrDivideByZero, units.ErrRange, units.ErrInvalid, units.ErrMissingUnit} {
		if s.Error() != strings.ToLower(s.Error()) || strings.HasSuffix(s.Error(), ".") || !strings.HasPrefix(s.Error(), "units: ") {
			t.Errorf("sentinel %q: want lower case, prefixed \"units: \", without trailing punctuation", s)
		}
	}
}
