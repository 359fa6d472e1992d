package pk

import (
	"testing"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func genTime(t *rapid.T, label string) units.Quantity {
	u := rapid.SampledFrom([]units.Unit{units.Second, units.Minute, units.Hour, units.Day, units.Week}).Draw(t, label+"_unit")
	c := rapid.Int64Range(0, 1_000_000_000_000).Draw(t, label+"_coefficient")
	e := rapid.Int32Range(-12, 0).Draw(t, label+"_exponent")
	return units.New(decimal.New(c, e), u)
}

// The float64 reading of a time without allocation is the exact path's:
// the exact decimal in minutes, rounded once to float64.
func TestLawMinutesIsTheExactConversionRounded(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		q := genTime(t, "time")
		m, err := q.Convert(units.Minute)
		if err != nil {
			t.Fatal(err)
		}
		exact := m.Value().Rat() // h, day, week → min are exact; s → min is a fraction
		if q.Unit() == units.Second {
			exact = q.Value().Rat()
			exact.Quo(exact, decimal.NewFromInt(60).Rat())
		}
		want, _ := exact.Float64()
		if got := minutes(q); got != want {
			t.Fatalf("minutes(%v) = %v, want %v", q, got, want)
		}
	})
}

// The count of grid points by integer ticks is the decimal count.
func TestLawPointsCountsExactly(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		from, step := genTime(t, "from"), genTime(t, "step")
		if step.Sign() == 0 {
			t.Skip("zero step")
		}
		k := rapid.Int64Range(0, 1000).Draw(t, "steps")
		extra := rapid.Int64Range(0, 999).Draw(t, "fraction_of_a_step_permille")
		// to = from + k·step + extra/1000·step: k + 1 points.
		u := finest(from.Unit(), step.Unit())
		f, _ := from.Convert(u)
		s, _ := step.Convert(u)
		to := units.New(f.Value().Add(s.Value().Mul(decimal.New(k*1000+extra, -3))), u)
		n, ok := points(from, to, step)
		if !ok || n != k+1 {
			t.Fatalf("points(%v, %v, %v) = %d, %t; want %d", from, to, step, n, ok, k+1)
		}
	})
}
