package units_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

var thousand = decimal.NewFromInt(1000)

// Fuzz targets for the two text parsers, seeded from the parse tables (valid
// and invalid) like FuzzParseRFC3339 in the standard library. Run with
//
//	go test -run='^$' -fuzz=FuzzParse -fuzztime=60s ./units
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
