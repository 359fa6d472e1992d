package units_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
)

var allModes = []units.RoundingMode{units.RoundHalfUp, units.RoundHalfEven, units.RoundDown, units.RoundUp}

// TestRoundTo lists, for each value and step, the result of every mode,
// worked by hand: halfUp (halves away from zero), halfEven (halves to the
// even multiple), down (toward zero), up (away from zero). The result is in
// the step's unit.
func TestRoundTo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                       string
		in, step                   string
		halfUp, halfEven, down, up string
	}{
		// Syringe graduations.
		{"draw volume to 0.1 mL", "3.991612856 mL", "0.1 mL", "4 mL", "4 mL", "3.9 mL", "4 mL"},
		{"below half a step", "3.94 mL", "0.1 mL", "3.9 mL", "3.9 mL", "3.9 mL", "4 mL"},
		{"exactly half, odd below", "2.25 mL", "0.1 mL", "2.3 mL", "2.2 mL", "2.2 mL", "2.3 mL"},
		{"exactly half, even below", "2.35 mL", "0.1 mL", "2.4 mL", "2.4 mL", "2.3 mL", "2.4 mL"},
		{"just above half", "2.2500001 mL", "0.1 mL", "2.3 mL", "2.3 mL", "2.2 mL", "2.3 mL"},
		{"just below half", "2.2499999 mL", "0.1 mL", "2.2 mL", "2.2 mL", "2.2 mL", "2.3 mL"},
		{"to 0.01 mL, half", "1.005 mL", "0.01 mL", "1.01 mL", "1 mL", "1 mL", "1.01 mL"},
		{"to 0.01 mL", "0.12345 mL", "0.01 mL", "0.12 mL", "0.12 mL", "0.12 mL", "0.13 mL"},
		{"smaller than half a step", "0.04 mL", "0.1 mL", "0 mL", "0 mL", "0 mL", "0.1 mL"},
		{"already a multiple", "2.5 mL", "0.1 mL", "2.5 mL", "2.5 mL", "2.5 mL", "2.5 mL"},
		{"zero", "0 mL", "0.1 mL", "0 mL", "0 mL", "0 mL", "0 mL"},
		// Pump rate resolution.
		{"pump rate to 0.1 mL/h, half", "156.25 mL/h", "0.1 mL/h", "156.3 mL/h", "156.2 mL/h", "156.2 mL/h", "156.3 mL/h"},
		{"pump rate in mL/min to 0.1 mL/h", "2.6 mL/min", "0.1 mL/h", "156 mL/h", "156 mL/h", "156 mL/h", "156 mL/h"},
		{"pump rate that does not terminate", "1 mL/min", "1 mL/h", "60 mL/h", "60 mL/h", "60 mL/h", "60 mL/h"},
		// Whole 28 mg devices.
		{"28 mg devices, multiple", "56 mg", "28 mg", "56 mg", "56 mg", "56 mg", "56 mg"},
		{"28 mg devices, 2.5 steps", "70 mg", "28 mg", "84 mg", "56 mg", "56 mg", "84 mg"},
		{"28 mg devices, 1.5 steps", "42 mg", "28 mg", "56 mg", "56 mg", "28 mg", "56 mg"},
		{"28 mg devices, 1.425 steps", "39.9 mg", "28 mg", "28 mg", "28 mg", "28 mg", "56 mg"},
		// Half of a 25 mg tablet.
		{"12.5 mg, 2.5 steps", "31.25 mg", "12.5 mg", "37.5 mg", "25 mg", "25 mg", "37.5 mg"},
		{"12.5 mg, 1.5 steps", "18.75 mg", "12.5 mg", "25 mg", "25 mg", "12.5 mg", "25 mg"},
		{"12.5 mg, 0.5 steps", "6.25 mg", "12.5 mg", "12.5 mg", "0 mg", "0 mg", "12.5 mg"},
		// Across units: the result is in the step's unit.
		{"mcg to whole mg", "2500 mcg", "1 mg", "3 mg", "2 mg", "2 mg", "3 mg"},
		{"lb to 0.1 kg", "176 lb", "0.1 kg", "79.8 kg", "79.8 kg", "79.8 kg", "79.9 kg"},
		{"a hair above a multiple after a conversion that does not terminate", "6.000000000000000000000000000001 s", "0.1 min",
			"0.1 min", "0.1 min", "0.1 min", "0.2 min"},
		{"a hair below a multiple", "5.999999999999999999999999999999 s", "0.1 min", "0.1 min", "0.1 min", "0 min", "0.1 min"},
		// Negative values (deviations) round symmetrically.
		{"negative, half", "-2.25 mL", "0.1 mL", "-2.3 mL", "-2.2 mL", "-2.2 mL", "-2.3 mL"},
		{"negative, 2.5 steps", "-70 mg", "28 mg", "-84 mg", "-56 mg", "-56 mg", "-84 mg"},
		{"negative, below half a step", "-0.04 mL", "0.1 mL", "0 mL", "0 mL", "0 mL", "-0.1 mL"},
	}
	for _, tt := range tests {
		want := map[units.RoundingMode]string{units.RoundHalfUp: tt.halfUp, units.RoundHalfEven: tt.halfEven, units.RoundDown: tt.down, units.RoundUp: tt.up}
		for _, mode := range allModes {
			t.Run(tt.name+" "+mode.String(), func(t *testing.T) {
				t.Parallel()
				in, step, w := mustUnmarshal(t, tt.in), units.MustParse(tt.step), mustUnmarshal(t, want[mode])
				got, changed, err := in.RoundTo(step, mode)
				if err != nil {
					t.Fatalf("%v.RoundTo(%v, %v): %v", in, step, mode, err)
				}
				if diff := cmp.Diff(w, got); diff != "" {
					t.Errorf("%v.RoundTo(%v, %v) mismatch (-want +got):\n%s", in, step, mode, diff)
				}
				// changed is true exactly when the value moved (worked by
				// hand: equal iff the written result equals the input).
				c, err := w.Cmp(in)
				if err != nil {
					t.Fatal(err)
				}
				if changed != (c != 0) {
					t.Errorf("%v.RoundTo(%v, %v) changed = %t, want %t", in, step, mode, changed, c != 0)
				}
			})
		}
	}
}

func TestRoundToRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		step    string
		mode    units.RoundingMode
		wantErr error
	}{
		{"zero step", "2.5 mL", "0 mL", units.RoundHalfUp, units.ErrRange},
		{"negative step", "2.5 mL", "-0.1 mL", units.RoundHalfUp, units.ErrRange},
		{"mode not set", "2.5 mL", "0.1 mL", 0, units.ErrInvalid},
		{"unknown mode", "2.5 mL", "0.1 mL", units.RoundingMode(99), units.ErrInvalid},
		{"step of another dimension", "2.5 mL", "0.1 mg", units.RoundHalfUp, units.ErrDimension},
		{"drug mass step for body mass", "80 kg", "1 mg", units.RoundDown, units.ErrDimension},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, step := mustUnmarshal(t, tt.in), mustUnmarshal(t, tt.step)
			got, changed, err := in.RoundTo(step, tt.mode)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("RoundTo = %v, %t, %v; want an error wrapping %v", got, changed, err, tt.wantErr)
			}
			if got.IsValid() || changed {
				t.Errorf("RoundTo returned %v, changed %t with its error; want the zero Quantity, false", got, changed)
			}
			if tt.wantErr == units.ErrDimension {
				var de *units.DimensionError
				if !errors.As(err, &de) || de.Op != "round" {
					t.Errorf("error %v, want a *DimensionError", err)
				}
			} else {
				var oe *units.OpError
				if !errors.As(err, &oe) || oe.Op != "round" {
					t.Errorf("error %v, want an *OpError", err)
				}
			}
		})
	}
}

// roundingModeRefusals are texts ParseRoundingMode refuses: the names are
// exact, lower case, with an underscore and no white space.
var roundingModeRefusals = []string{"", "HALF_UP", "half-up", "nearest", "ceil", "half_up "}

func TestRoundingMode(t *testing.T) {
	t.Parallel()
	names := map[units.RoundingMode]string{
		units.RoundHalfUp: "half_up", units.RoundHalfEven: "half_even", units.RoundDown: "down", units.RoundUp: "up",
	}
	for _, m := range allModes {
		t.Run(names[m], func(t *testing.T) {
			t.Parallel()
			if got := m.String(); got != names[m] {
				t.Errorf("String() = %q, want %q", got, names[m])
			}
			p, err := units.ParseRoundingMode(names[m])
			if err != nil || p != m {
				t.Errorf("ParseRoundingMode(%q) = %v, %v; want %v", names[m], p, err, m)
			}
			b, err := m.MarshalText()
			if err != nil || string(b) != names[m] {
				t.Errorf("MarshalText() = %q, %v; want %q", b, err, names[m])
			}
			var u units.RoundingMode
			if err := u.UnmarshalText(b); err != nil || u != m {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, u, err, m)
			}
		})
	}
	for _, s := range roundingModeRefusals {
		t.Run(fmt.Sprintf("refuses %q", s), func(t *testing.T) {
			t.Parallel()
			m, err := units.ParseRoundingMode(s)
			if !errors.Is(err, units.ErrSyntax) || m != 0 {
				t.Errorf("ParseRoundingMode(%q) = %v, %v; want an error wrapping ErrSyntax", s, m, err)
			}
			var pe *units.ParseError
			if !errors.As(err, &pe) || pe.Func != "ParseRoundingMode" || pe.Input != s {
				t.Errorf("error %#v, want a *ParseError from ParseRoundingMode for %q", err, s)
			}
			keep := units.RoundDown
			if err := keep.UnmarshalText([]byte(s)); err == nil || keep != units.RoundDown {
				t.Errorf("UnmarshalText(%q) = %v and left %v; want an error and RoundDown kept", s, err, keep)
			}
		})
	}
	for _, m := range []units.RoundingMode{0, 5, 255} {
		if got := m.String(); got != "invalid rounding mode" {
			t.Errorf("RoundingMode(%d).String() = %q", m, got)
		}
		if b, err := m.MarshalText(); !errors.Is(err, units.ErrInvalid) || b != nil {
			t.Errorf("RoundingMode(%d).MarshalText() = %q, %v; want an error wrapping ErrInvalid", m, b, err)
		}
	}
}
