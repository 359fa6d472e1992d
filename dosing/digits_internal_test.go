package dosing

import (
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/units"
)

// TestZeroBeyond checks the digit test behind isInexact and show against
// decimal's own truncation.
func TestZeroBeyond(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := decimal.New(rapid.Int64Range(-1_000_000_000_000, 1_000_000_000_000).Draw(t, "coef")*rapid.Int64Range(1, 1000).Draw(t, "mult"),
			-rapid.Int32Range(0, units.Places).Draw(t, "places")) // a Quantity keeps at most units.Places
		places := rapid.Int32Range(0, 35).Draw(t, "keep")
		want := v.Equal(v.Truncate(places))
		if got := zeroBeyond(units.New(v, units.Milligram), places); got != want {
			t.Fatalf("zeroBeyond(%s, %d) = %v, want %v", v, places, got, want)
		}
	})
}
