package pk_test

import (
	"math"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
)

// Counterexamples the laws found, kept as rows.

// oneCompartment is V1 0.1 L, k10 0.001 /min: 1 mg in it is 10,000 ng/mL,
// and it decays by e^−0.001 a minute.
func oneCompartment(t *testing.T, ke0 string) *pk.Model {
	t.Helper()
	p := pk.Parameters{Name: "one", Drug: "test drug", Citation: "test", Scaling: pk.ScaleNone, V1: q("0.1 L"), K10: q("0.001 /min")}
	if ke0 != "" {
		p.Ke0 = q(ke0)
	}
	m, err := pk.New(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Events exactly on a grid whose step has no float64 form (1 s = 1/60 min):
// the k-th time of the curve is the float64 nearest k/60 min, as At reads
// it, so a curve sample and At agree even at a bolus, and an infusion that
// ends on a grid point stops there.
func TestLevelsAtEventsOnTheGrid(t *testing.T) {
	t.Parallel()
	m := oneCompartment(t, "")
	tests := []struct {
		name   string
		admins []pk.Administration
		at     int     // s
		want   float64 // ng/mL, by hand
	}{
		// 0.1 mg at 6 s: 1,000 ng/mL at that very time.
		{"bolus_on_a_grid_point", []pk.Administration{{Start: q("0.1 min"), Amount: q("0.1 mg")}}, 6, 1000},
		// 1 mg/min from 24 s to 30 s, then 1 s of decay: R/(V1·k10)·
		// (1 − e^−0.0001)·e^(−0.001/60) = 10,000 mg/L × 9.9995e−5 × 0.9999833
		// = 999.9333 ng/mL; stepping on past the end would add 166.7.
		{"infusion_ending_on_a_grid_point", []pk.Administration{{Start: q("0.4 min"), Amount: q("0.1 mg"), Duration: q("0.1 min")}}, 31,
			10000 * -math.Expm1(-0.0001) * math.Exp(-0.001/60) * 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, tt.admins)
			if err != nil {
				t.Fatal(err)
			}
			lv, err := p.Levels(pk.Plasma, q("0 s"), q("40 s"), q("1 s"))
			if err != nil {
				t.Fatal(err)
			}
			if got := lv.Values[tt.at]; math.Abs(got-tt.want) > 1e-9*tt.want {
				t.Errorf("Levels at %d s = %.12g ng/mL, want %.12g", tt.at, got, tt.want)
			}
			for k, v := range lv.Values {
				one, err := p.Level(pk.Plasma, lv.Time(k))
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(v-one) > 1e-12*one {
					t.Errorf("at %v: Levels %.17g, Level %.17g", lv.Time(k), v, one)
				}
			}
		})
	}
}

// A peak narrower than the search grid: a very fast model (V1 0.101 L,
// CL 5,000 mL/min: k10 49.5 /min) whose Ce, after falling from a 500 mg
// bolus at 0.1 min, rises again for about 0.02 min after 18 mg at 0.2 min,
// inside one grid interval 0.04 min wide whose two ends are both lower. The
// samples alone show no local maximum there (the search took 0.1793 min,
// 97,621.61 ng/mL); the slope from the equations, rising after 0.2 min and
// falling at the next point, does.
func TestPeakNarrowerThanTheGrid(t *testing.T) {
	t.Parallel()
	m, err := pk.New(pk.Parameters{Name: "fast", Drug: "test drug", Citation: "test", Scaling: pk.ScaleNone,
		V1: q("0.101 L"), CL: q("5000 mL/min"), Ke0: q("1.062 /min")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, []pk.Administration{
		{Start: q("0.2 min"), Amount: q("18 mg")},
		{Start: q("19.2 min"), Amount: q("0.1 mg")},
		{Start: q("0.1 min"), Amount: q("500 mg")},
	})
	if err != nil {
		t.Fatal(err)
	}
	peak, err := p.PeakLevel(pk.EffectSite)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i <= 100000; i++ {
		at := float64(i) * 0.0003 // 0 to 30 min
		if _, ce := p.Exact(at); ce*1000 > peak.Value*(1+1e-9) {
			t.Fatalf("Ce at %v min = %v ng/mL, above the peak found, %v at %v min", at, ce*1000, peak.Value, peak.Time)
		}
	}
	if peak.Time < 0.2 || peak.Time > 0.25 {
		t.Errorf("Ce peaks at %v min, want just after the bolus at 0.2 min", peak.Time)
	}
}
