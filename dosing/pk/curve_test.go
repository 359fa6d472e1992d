package pk_test

import (
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
)

// Curve's times are exact, in the finest unit asked for, from `from` to `to`
// inclusive when `to` is on the grid; each sample equals At at its time.
func TestCurveTimes(t *testing.T) {
	t.Parallel()
	p := ketamineSession()
	tests := []struct {
		name           string
		from, to, step string
		want           []string
	}{
		{"minutes", "0 min", "30 min", "10 min", []string{"0 min", "10 min", "20 min", "30 min"}},
		{"seconds_step_gives_seconds", "0 min", "1 min", "20 s", []string{"0 s", "20 s", "40 s", "60 s"}},
		{"hours_window_minutes_step", "1 h", "2 h", "30 min", []string{"60 min", "90 min", "120 min"}},
		{"end_off_the_grid", "0 min", "25 min", "10 min", []string{"0 min", "10 min", "20 min"}},
		{"one_point", "45 min", "45 min", "1 min", []string{"45 min"}},
		{"decimal_step", "0 min", "0.3 min", "0.1 min", []string{"0 min", "0.1 min", "0.2 min", "0.3 min"}},
		{"step_beyond_int64_at_a_common_exponent", "1 min", "1 min", "0.000000000000000000000000000001 min", []string{"1 min"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			curve, err := p.Curve(q(tt.from), q(tt.to), q(tt.step))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range curve {
				got = append(got, s.Time.String())
				at, err := p.At(s.Time)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(at, s); diff != "" {
					t.Errorf("Curve sample vs At mismatch (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Curve times mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// Valid but extreme inputs (a microlitre central volume and a kilogram of
// drug) stay finite and exact where the float64 fast path would not.
func TestExtremeButValidInputs(t *testing.T) {
	t.Parallel()
	m, err := pk.New(pk.Parameters{Name: "extreme", Drug: "test drug", Citation: "test", Scaling: pk.ScaleNone,
		V1: q("0.001 mL"), K10: q("0.001 /min")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Bolus(q("1000000 mg"))})
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.At(q("0 min"))
	if err != nil {
		t.Fatal(err)
	}
	// 1,000,000 mg in 0.001 mL is 1e9 mg/mL = 1e15 ng/mL.
	if want := q("1000000000000000 ng/mL"); !s.Cp.Equal(want) {
		t.Errorf("Cp = %v, want %v", s.Cp, want)
	}
	if _, err := p.Peak(pk.Plasma); err != nil {
		t.Error(err)
	}
	// One compartment: Cp = C0·exp(−k10·t) falls to 1 ng/mL at
	// ln(1e15) / 0.001 /min = 34,538.776 min, rounded up to 34,538.8 min.
	below, reached, err := p.TimeBelow(pk.Plasma, q("1 ng/mL"))
	if want := q("34538.8 min"); err != nil || !reached || !below.Equal(want) {
		t.Errorf("TimeBelow = %v, %t, %v; want %v", below, reached, err, want)
	}
	var u units.Quantity
	if _, err := p.At(u); err == nil {
		t.Error("At accepted the zero Quantity")
	}
}
