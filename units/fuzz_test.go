package units_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

var thousand = decimal.NewFromInt(1000)

// Fuzz targets for the text parsers, seeded from the parse tables (valid
// and invalid) like FuzzParseRFC3339 in the standard library. Run one with
//
//	go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=60s ./units
//
// A crasher goes to testdata/fuzz/<Fuzz…>/ and stays there as a regression
// case.

func fuzzSeeds() []string {
	var seeds []string
	for _, tt := range parseTests {
		seeds = append(seeds, tt.in)
	}
	for _, tt := range parseErrorTests {
		seeds = append(seeds, tt.in)
	}
	return append(seeds, "-5 mg", "-.5 mg", "-0 mL", "--5 mg", "\u0085\x85", "1,500 cc", "0,500 mg", "2 days", "1 unit")
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := units.Parse(s)
		if err != nil {
			checkParseError(t, "Parse", s, q, err)
			var u units.Quantity
			if trimmed := strings.TrimSpace(s); trimmed != "" && trimmed[0] != '-' {
				if uerr := u.UnmarshalText([]byte(s)); uerr == nil {
					t.Fatalf("UnmarshalText(%q) accepted what Parse refused: %v", s, err)
				}
			}
			return
		}
		if !q.IsValid() || q.Sign() < 0 {
			t.Fatalf("Parse(%q) = %v: want a valid, non-negative quantity", s, q)
		}
		checkTextRoundTrip(t, q)
		if q.Value().Abs().LessThan(thousand) {
			if back, err := units.Parse(q.String()); err != nil || !back.Equal(q) {
				t.Fatalf("Parse(String(%v) = %q) = %v, %v", q, q.String(), back, err)
			}
		}
		var u units.Quantity
		if err := u.UnmarshalText([]byte(s)); err != nil || !u.Equal(q) {
			t.Fatalf("UnmarshalText(%q) = %v, %v; Parse gave %v", s, u, err, q)
		}
	})
}

func FuzzUnmarshalText(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		sentinel := units.NewInt(7, units.Milligram)
		q := sentinel
		err := q.UnmarshalText(b)
		if err != nil {
			if !q.Equal(sentinel) {
				t.Fatalf("UnmarshalText(%q) failed (%v) but changed its receiver to %v", b, err, q)
			}
			checkParseError(t, "UnmarshalText", string(b), units.Quantity{}, err)
			return
		}
		if len(b) == 0 {
			if q.IsValid() {
				t.Fatalf("UnmarshalText of empty text = %v, want the zero Quantity", q)
			}
			checkMarshal(t, q)
			return
		}
		if !q.IsValid() {
			t.Fatalf("UnmarshalText(%q) gave the zero Quantity without an error", b)
		}
		checkTextRoundTrip(t, q)
		if p, err := units.Parse(string(b)); err == nil && !p.Equal(q) {
			t.Fatalf("Parse(%q) = %v but UnmarshalText gave %v", b, p, q)
		}
	})
}

// checkTextRoundTrip checks the canonical form: Text reads back equal and is
// stable, and MarshalText round-trips (netip's checkTextMarshaler).
func checkTextRoundTrip(t *testing.T, q units.Quantity) {
	t.Helper()
	var back units.Quantity
	if err := back.UnmarshalText([]byte(q.Text())); err != nil || !back.Equal(q) {
		t.Fatalf("UnmarshalText(Text(%v) = %q) = %v, %v", q, q.Text(), back, err)
	}
	if back.Text() != q.Text() || back.String() != q.String() {
		t.Fatalf("not stable: %q/%q then %q/%q", q.Text(), q.String(), back.Text(), back.String())
	}
	checkMarshal(t, q)
}

// checkParseError checks what every parse error must be: the zero Quantity,
// a *ParseError of the right function wrapping a sentinel, whose Elem is at
// Offset in Input, whose message has the package prefix and quotes the input,
// and whose hint, if any, parses and is canonical.
func checkParseError(t *testing.T, fn, s string, q units.Quantity, err error) {
	t.Helper()
	if q.IsValid() {
		t.Fatalf("%s(%q) returned %v with error %v", fn, s, q, err)
	}
	var pe *units.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%s(%q) error %T is not a *ParseError", fn, s, err)
	}
	if pe.Func != fn {
		t.Fatalf("%s(%q): Func = %q", fn, s, pe.Func)
	}
	if !errors.Is(err, units.ErrSyntax) && !errors.Is(err, units.ErrUnknownUnit) && !errors.Is(err, units.ErrRange) {
		t.Fatalf("%s(%q) error %v wraps no parse sentinel", fn, s, err)
	}
	if !strings.HasPrefix(err.Error(), "units: parsing ") {
		t.Fatalf("%s(%q): message %q lacks the prefix", fn, s, err)
	}
	if len(s) <= units.MaxInputLen {
		if pe.Input != s {
			t.Fatalf("%s(%q): Input = %q", fn, s, pe.Input)
		}
		if pe.Offset < 0 || pe.Offset > len(s) || !strings.HasPrefix(s[pe.Offset:], pe.Elem) {
			t.Fatalf("%s(%q): Elem %q is not at Offset %d", fn, s, pe.Elem, pe.Offset)
		}
	} else if !errors.Is(err, units.ErrRange) || len(pe.Input) > 24 {
		t.Fatalf("%s of %d bytes: error %v, want ErrRange with a short Input", fn, len(s), err)
	}
	if pe.Fix != "" {
		var fixed units.Quantity
		if err := fixed.UnmarshalText([]byte(pe.Fix)); err != nil {
			t.Fatalf("%s(%q): hint %q is refused: %v", fn, s, pe.Fix, err)
		}
		if fixed.Text() != pe.Fix {
			t.Fatalf("%s(%q): hint %q is not canonical (%q)", fn, s, pe.Fix, fixed.Text())
		}
		if fn == "Parse" && fixed.Sign() < 0 {
			t.Fatalf("Parse(%q): hint %q is negative", s, pe.Fix)
		}
		if strings.ContainsFunc(pe.Fix, func(r rune) bool { return unicode.IsSpace(r) && r != ' ' }) {
			t.Fatalf("%s(%q): hint %q has white space other than a space", fn, s, pe.Fix)
		}
	}
}

// unitSeeds are the unit texts of the unit tables: every display symbol and
// UCUM code, the aliases, the refused spellings, and the unit part of every
// quantity of the parse tables.
func unitSeeds() []string {
	var seeds []string
	for _, f := range unitFacts {
		seeds = append(seeds, f.sym, f.ucum)
	}
	for _, tt := range unitAliasTests {
		seeds = append(seeds, tt.in)
	}
	for _, tt := range unitRefusalTests {
		seeds = append(seeds, tt.in)
	}
	for code := range ucumOtherOrderTests {
		seeds = append(seeds, code)
	}
	for _, tt := range ucumRefusalTests {
		seeds = append(seeds, tt.code)
	}
	for _, tt := range parseTests {
		if i := strings.IndexFunc(tt.in, func(r rune) bool { return r != '.' && (r < '0' || r > '9') && !unicode.IsSpace(r) }); i >= 0 {
			seeds = append(seeds, strings.TrimSpace(tt.in[i:]))
		}
	}
	return seeds
}

// checkUnitError checks a refused unit: the invalid Unit and a *ParseError
// of fn for the whole input, wrapping ErrSyntax or ErrUnknownUnit.
func checkUnitError(t *testing.T, fn, s string, u units.Unit, err error) *units.ParseError {
	t.Helper()
	if u.IsValid() {
		t.Fatalf("%s(%q) returned the valid unit %v with the error %v", fn, s, u, err)
	}
	var pe *units.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("%s(%q) error %T is not a *ParseError", fn, s, err)
	}
	if pe.Func != fn || pe.Input != s {
		t.Fatalf("%s(%q): Func %q, Input %q", fn, s, pe.Func, pe.Input)
	}
	if !errors.Is(err, units.ErrSyntax) && !errors.Is(err, units.ErrUnknownUnit) {
		t.Fatalf("%s(%q) error %v wraps neither ErrSyntax nor ErrUnknownUnit", fn, s, err)
	}
	if pe.Offset < 0 || pe.Offset > len(s) || !strings.HasPrefix(s[pe.Offset:], pe.Elem) {
		t.Fatalf("%s(%q): Elem %q is not at Offset %d", fn, s, pe.Elem, pe.Offset)
	}
	return pe
}

// checkUnitRoundTrip checks that a unit reads back from its display symbol
// and from its UCUM code, and that both are stable.
func checkUnitRoundTrip(t *testing.T, u units.Unit) {
	t.Helper()
	if !u.IsValid() {
		t.Fatalf("accepted the invalid unit %d", u)
	}
	back, err := units.ParseUnit(u.String())
	if err != nil || back != u || back.String() != u.String() {
		t.Fatalf("ParseUnit(String(%v) = %q) = %v, %v", u, u.String(), back, err)
	}
	back, err = units.ParseUCUM(u.UCUM())
	if err != nil || back != u || back.UCUM() != u.UCUM() {
		t.Fatalf("ParseUCUM(UCUM(%v) = %q) = %v, %v", u, u.UCUM(), back, err)
	}
}

func FuzzParseUnit(f *testing.F) {
	for _, s := range unitSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			u   units.Unit
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { u, err := units.ParseUnit(s); return res{u, err} })
		if r.err != nil {
			pe := checkUnitError(t, "ParseUnit", s, r.u, r.err)
			if pe.Fix != "" {
				// A hint is a unit, in its display form.
				if fixed, err := units.ParseUnit(pe.Fix); err != nil || fixed.String() != pe.Fix {
					t.Fatalf("ParseUnit(%q): hint %q reads as %v, %v", s, pe.Fix, fixed, err)
				}
			}
			return
		}
		checkUnitRoundTrip(t, r.u)
		// The unit of a quantity is read by the same grammar.
		if in := "1 " + s; len(in) <= units.MaxInputLen {
			q, err := units.Parse(in)
			if err != nil || q.Unit() != r.u {
				t.Fatalf("ParseUnit(%q) = %v, but Parse(%q) = %v, %v", s, r.u, in, q, err)
			}
		}
	})
}

func FuzzParseUCUM(f *testing.F) {
	for _, s := range unitSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		type res struct {
			u   units.Unit
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { u, err := units.ParseUCUM(code); return res{u, err} })
		if r.err != nil {
			if pe := checkUnitError(t, "ParseUCUM", code, r.u, r.err); !errors.Is(r.err, units.ErrUnknownUnit) || pe.Fix != "" {
				t.Fatalf("ParseUCUM(%q) error %v: want ErrUnknownUnit without a hint", code, r.err)
			}
			return
		}
		checkUnitRoundTrip(t, r.u)
	})
}

func FuzzParseRoundingMode(f *testing.F) {
	for _, m := range allModes {
		f.Add(m.String())
	}
	for _, s := range roundingModeRefusals {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			m   units.RoundingMode
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { m, err := units.ParseRoundingMode(s); return res{m, err} })
		keep := units.RoundDown
		uerr := keep.UnmarshalText([]byte(s))
		if r.err != nil {
			var pe *units.ParseError
			if r.m != 0 || !errors.Is(r.err, units.ErrSyntax) || !errors.As(r.err, &pe) || pe.Func != "ParseRoundingMode" || pe.Input != s {
				t.Fatalf("ParseRoundingMode(%q) = %v, %#v: want 0 and a *ParseError wrapping ErrSyntax", s, r.m, r.err)
			}
			if uerr == nil || keep != units.RoundDown {
				t.Fatalf("UnmarshalText(%q) = %v and left %v; ParseRoundingMode refused it", s, uerr, keep)
			}
			return
		}
		// The names are exact: what is accepted is the canonical form.
		if r.m.String() != s || uerr != nil || keep != r.m {
			t.Fatalf("ParseRoundingMode(%q) = %v (%q); UnmarshalText = %v, %v", s, r.m, r.m.String(), keep, uerr)
		}
		b, err := r.m.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("MarshalText(%v) = %q, %v", r.m, b, err)
		}
		var back units.RoundingMode
		if err := back.UnmarshalText(b); err != nil || back != r.m {
			t.Fatalf("UnmarshalText(MarshalText(%v)) = %v, %v", r.m, back, err)
		}
	})
}
