//go:build !doseplan_noplot

package pk

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Axis labels follow the ISMP rules: a leading zero, no trailing zero.
func TestISMPTickLabels(t *testing.T) {
	tests := []struct {
		name   string
		lo, hi float64
		want   []string
	}{
		{"concentration axis up to 275 ng/mL", 0, 275, []string{"0", "50", "100", "150", "200", "250"}},
		{"time axis of 6 h in minutes", 0, 360, []string{"0", "100", "200", "300"}},
		{"small values keep a leading zero", 0, 0.3, []string{"0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, tk := range (ismpTicks{}).Ticks(tt.lo, tt.hi) {
				got = append(got, tk.Label)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Ticks(%g, %g) labels mismatch (-want +got):\n%s", tt.lo, tt.hi, diff)
			}
		})
	}
	if got := (ismpTicks{}).Ticks(1, 1); got != nil {
		t.Errorf("Ticks(1, 1) = %v, want none for an empty range", got)
	}
}
