package dosing

import (
	"errors"
	"testing"

	"github.com/doseplan/doseplan/units"
)

// cmp orders quantities exactly across units, and fails, rather than answer
// "equal", for quantities of different dimensions; after a failure every
// operation does nothing and the first error stays.
func TestArithCmp(t *testing.T) {
	q := units.MustParse
	tests := []struct {
		name string
		x, y string
		want int
	}{
		{"one unit, smaller", "1 mg", "2 mg", -1},
		{"across units, equal", "1 g", "1000 mg", 0},
		{"across units, larger", "0.5 mg/kg/min", "29 mg/kg/h", 1}, // 0.5 × 60 = 30 mg/kg/h
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a arith
			if got := a.cmp(q(tt.x), q(tt.y)); got != tt.want || a.err != nil {
				t.Errorf("cmp(%s, %s) = %d, %v; want %d, no error", tt.x, tt.y, got, a.err, tt.want)
			}
		})
	}
	t.Run("different dimensions fail", func(t *testing.T) {
		var a arith
		if got := a.cmp(q("1 mg"), q("1 kg")); got != 0 {
			t.Errorf("cmp(1 mg, 1 kg) = %d, want 0 with an error", got)
		}
		if !errors.Is(a.err, units.ErrDimension) {
			t.Fatalf("cmp(1 mg, 1 kg) recorded %v, want a units.ErrDimension", a.err)
		}
		first := a.err
		if a.less(q("1 mg"), q("2 mg")) || a.mul(q("2 mg"), q("3 kg")).IsValid() || a.cmp(q("1 mL"), q("1 h")) != 0 {
			t.Errorf("after an error, less, mul and cmp still computed")
		}
		if a.err != first {
			t.Errorf("a later failure replaced the first error: %v", a.err)
		}
	})
}

// A validator's comparisons that fail are among the errors it reports.
func TestValidatorCmpFailureIsReported(t *testing.T) {
	var v validator
	v.cmp(units.MustParse("1 mg"), units.MustParse("1 mL"))
	if err := v.err(); !errors.Is(err, units.ErrDimension) {
		t.Errorf("err() = %v, want the failed comparison's units.ErrDimension", err)
	}
}
