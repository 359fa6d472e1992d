package dosing_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/internal/fuzzcheck"
)

// Fuzz targets for the text forms of the dosing package's small types,
// seeded from the tables of TestTextForms. Each checks that an input never
// panics or hangs, that a refusal is a *FieldError wrapping ErrRange
// and leaves the receiver as it was, and that what is accepted writes a
// text that reads back to the same value and writes the same text again.
// Run one with
//
//	go test -run='^$' -fuzz='^FuzzSexUnmarshalText$' -fuzztime=60s ./dosing
//
// A crasher goes to testdata/fuzz/<Fuzz…>/ and stays there as a regression
// case.

// checkRefusal checks a refused text: a *FieldError for field wrapping
// ErrRange.
func checkRefusal(t *testing.T, what, field string, err error) {
	t.Helper()
	var ie *dosing.FieldError
	if !errors.As(err, &ie) || ie.Field != field || !errors.Is(err, dosing.ErrRange) {
		t.Fatalf("%s: error %#v, want a *FieldError for %s wrapping ErrRange", what, err, field)
	}
}

func FuzzSexUnmarshalText(f *testing.F) {
	for _, tt := range sexTextTests {
		f.Add([]byte(tt.text))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := dosing.Sex(7) // a value no text gives, to see a refusal leave it
		err := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() error { return s.UnmarshalText(b) })
		if err != nil {
			checkRefusal(t, "Sex.UnmarshalText("+string(b)+")", "patient.sex", err)
			if s != 7 {
				t.Fatalf("UnmarshalText(%q) failed but changed its receiver to %d", b, s)
			}
			return
		}
		if s != 0 && s != dosing.Male && s != dosing.Female {
			t.Fatalf("UnmarshalText(%q) = %d, not a Sex", b, s)
		}
		text, err := s.MarshalText()
		if err != nil || string(text) != s.String() || string(text) != string(b) {
			// The names are exact: what is accepted is the canonical form.
			t.Fatalf("UnmarshalText(%q) = %v, which writes %q, %v", b, s, text, err)
		}
		var back dosing.Sex
		if err := back.UnmarshalText(text); err != nil || back != s {
			t.Fatalf("UnmarshalText(MarshalText(%v) = %q) = %v, %v", s, text, back, err)
		}
	})
}

func FuzzYearsUnmarshalText(f *testing.F) {
	for _, tt := range yearsTextTests {
		f.Add([]byte(tt.text))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		const sentinel = dosing.Years(-12345)
		y := sentinel
		err := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() error { return y.UnmarshalText(b) })
		if err != nil {
			checkRefusal(t, "Years.UnmarshalText("+string(b)+")", "patient.age", err)
			if y != sentinel {
				t.Fatalf("UnmarshalText(%q) failed but changed its receiver to %d", b, y)
			}
			return
		}
		text, err := y.MarshalText()
		if err != nil || string(text) != y.String() {
			t.Fatalf("MarshalText(%d) = %q, %v; String() = %q", y, text, err, y.String())
		}
		var back dosing.Years
		if err := back.UnmarshalText(text); err != nil || back != y {
			t.Fatalf("UnmarshalText(%q) = %d, then UnmarshalText(MarshalText = %q) = %d, %v", b, y, text, back, err)
		}
		if again, _ := back.MarshalText(); string(again) != string(text) {
			t.Fatalf("not stable: %q then %q", text, again)
		}
	})
}

func FuzzFlagsUnmarshalJSON(f *testing.F) {
	for _, tt := range flagsJSONTests {
		f.Add([]byte(tt.json))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		const sentinel = dosing.Flags(0xF000) // bits no flag uses
		g := sentinel
		err := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() error { return g.UnmarshalJSON(b) })
		if err != nil {
			// Not a list of strings is encoding/json's error; an unknown
			// name is the package's.
			var ie *dosing.FieldError
			if errors.As(err, &ie) {
				checkRefusal(t, "Flags.UnmarshalJSON("+string(b)+")", "flags", err)
			}
			if g != sentinel {
				t.Fatalf("UnmarshalJSON(%q) failed but changed its receiver to %#x", b, uint16(g))
			}
			return
		}
		if g&^(dosing.Rounded|dosing.Capped|dosing.Inexact|dosing.Clamped|dosing.Extrapolated|dosing.Stretched|dosing.Proposed) != 0 {
			t.Fatalf("UnmarshalJSON(%q) set bits of no flag: %#x", b, uint16(g))
		}
		text, err := g.MarshalJSON()
		if err != nil {
			t.Fatalf("MarshalJSON(%v): %v", g, err)
		}
		var back dosing.Flags
		if err := json.Unmarshal(text, &back); err != nil || back != g {
			t.Fatalf("UnmarshalJSON(%q) = %v, then Unmarshal(MarshalJSON = %s) = %v, %v", b, g, text, back, err)
		}
		if again, _ := back.MarshalJSON(); string(again) != string(text) {
			t.Fatalf("not stable: %s then %s", text, again)
		}
	})
}
