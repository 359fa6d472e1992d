package pk_test

import (
	"math"
	"slices"
	"sort"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
)

// odes is a mammillary model written out as the differential equations of
// clinical.md §8.2, with rate constants computed in this file from the
// published parameters, not by the package:
//
//	dA1/dt = R(t) − (k10 + k12 + k13)·A1 + k21·A2 + k31·A3
//	dA2/dt = k12·A1 − k21·A2
//	dA3/dt = k13·A1 − k31·A3
//	dCe/dt = ke0·(A1/V1 − Ce)
type odes struct {
	v1, k10, k12, k21, k13, k31, ke0 float64
}

// fromClearances derives rate constants the textbook way: k10 = CL/V1,
// k1j = Qj/V1, kj1 = Qj/Vj.
func fromClearances(v1, v2, v3, cl, q2, q3, ke0 float64) odes {
	o := odes{v1: v1, k10: cl / v1, k12: q2 / v1, k13: q3 / v1, ke0: ke0}
	if v2 > 0 {
		o.k21 = q2 / v2
	}
	if v3 > 0 {
		o.k31 = q3 / v3
	}
	return o
}

type state [4]float64 // A1, A2, A3 (mg), Ce (mg/L)

func (o odes) deriv(x state, rate float64) state {
	return state{
		rate - (o.k10+o.k12+o.k13)*x[0] + o.k21*x[1] + o.k31*x[2],
		o.k12*x[0] - o.k21*x[1],
		o.k13*x[0] - o.k31*x[2],
		o.ke0 * (x[0]/o.v1 - x[3]),
	}
}

// input is one administration in minutes and mg; dur 0 is a bolus.
type input struct{ start, mg, dur float64 }

// rk4 integrates the regimen with the classical fourth-order Runge–Kutta
// method at steps of at most h minutes, breaking at every event, and returns
// the state at each checkpoint (a bolus at a checkpoint counts).
func (o odes) rk4(regimen []input, checkpoints []float64, h float64) map[float64]state {
	breaks := append([]float64{0}, checkpoints...)
	for _, in := range regimen {
		breaks = append(breaks, in.start, in.start+in.dur)
	}
	sort.Float64s(breaks)
	breaks = slices.Compact(breaks)
	rate := func(t float64) float64 { // the infusion rate on the segment starting at t
		r := 0.0
		for _, in := range regimen {
			if in.dur > 0 && in.start <= t && t < in.start+in.dur {
				r += in.mg / in.dur
			}
		}
		return r
	}
	add := func(x state, k state, f float64) state {
		for i := range x {
			x[i] += f * k[i]
		}
		return x
	}
	out := map[float64]state{}
	var x state
	for i, t := range breaks {
		for _, in := range regimen {
			if in.dur == 0 && in.start == t {
				x[0] += in.mg
			}
		}
		out[t] = x
		if i+1 == len(breaks) {
			break
		}
		span := breaks[i+1] - t
		n := math.Ceil(span / h)
		dt := span / n
		r := rate(t)
		for s := 0.0; s < n; s++ {
			k1 := o.deriv(x, r)
			k2 := o.deriv(add(x, k1, dt/2), r)
			k3 := o.deriv(add(x, k2, dt/2), r)
			k4 := o.deriv(add(x, k3, dt), r)
			for j := range x {
				x[j] += dt / 6 * (k1[j] + 2*k2[j] + 2*k3[j] + k4[j])
			}
		}
	}
	return out
}

// TestExactSolutionAgreesWithRungeKutta checks the closed form against an
// independent numerical integration of the same equations, to 1e−6 relative,
// for every built-in set, the clearance form, fixed and allometric scaling,
// and a regimen mixing boluses, overlapping infusions and a zero-duration
// infusion.
func TestExactSolutionAgreesWithRungeKutta(t *testing.T) {
	t.Parallel()
	regimens := []struct {
		name   string
		admins []pk.Administration
		inputs func(kg float64) []input
	}{
		{"0.5mg_per_kg_over_40min",
			[]pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))},
			func(kg float64) []input { return []input{{0, 0.5 * kg, 40}} }},
		{"bolus_overlapping_infusions_and_a_zero_duration_infusion",
			[]pk.Administration{
				pk.Bolus(q("20 mg")),
				{Start: q("10 min"), Amount: q("30 mg"), Duration: q("1 h")},
				{Start: q("30 min"), Amount: q("6 mg"), Duration: q("600 s")},
				{Start: q("90 min"), Amount: q("5 mg")},
				{Start: q("2 h"), Amount: q("0.1 mg/kg"), Duration: q("0 min")},
			},
			func(kg float64) []input {
				return []input{{0, 20, 0}, {10, 30, 60}, {30, 6, 10}, {90, 5, 0}, {120, 0.1 * kg, 0}}
			}},
	}
	models := []struct {
		name   string
		model  func(*testing.T) *pk.Model
		weight string
		kg     float64
		odes   odes
	}{
		{"domino", lookup("domino"), "70 kg", 70,
			odes{v1: 0.063 * 70, k10: 0.4381, k12: 0.5921, k21: 0.2470, k13: 0.5900, k31: 0.0146, ke0: 0.652}},
		{"clements250", lookup("clements250"), "70 kg", 70,
			odes{v1: 1.7522 * 70, k10: 0.0109, k12: 0.0186, k21: 0.0137, ke0: 5.2}},
		{"hijazi_82kg", lookup("hijazi"), "82 kg", 82,
			odes{v1: 1.08 * 82, k10: 0.0333, k12: 0.0088, k21: 0.0030, ke0: 4.773}},
		{"clements125_clearance_form_60kg", build(clements125()), "60 kg", 60,
			fromClearances(1.202*60, 2.114*60, 0, 0.0166*60, 0.0263*60, 0, 0)},
		{"domino1982_fixed_110kg", build(domino1982Fixed()), "110 kg", 110,
			fromClearances(3.47, 11, 134, 1.296, 2.276, 2.058, 0)},
		// k21 = k31: two peripheral compartments with the same return rate
		// leave one mode that a central dose never excites.
		{"equal_k21_and_k31", build(pk.Parameters{Name: "equal", Drug: "test drug", Citation: "test", Scaling: pk.ScaleNone,
			V1: q("5 L"), K10: q("0.1 /min"), K12: q("0.3 /min"), K21: q("0.05 /min"), K13: q("0.2 /min"), K31: q("0.05 /min"), Ke0: q("0.5 /min")}),
			"70 kg", 70, odes{v1: 5, k10: 0.1, k12: 0.3, k21: 0.05, k13: 0.2, k31: 0.05, ke0: 0.5}},
		{"kamp2020_allometric_95kg", build(kamp2020Allometric()), "95 kg", 95,
			fromClearances(25.8*95/70, 115.0*95/70, 0, 1.78*math.Pow(95.0/70, 0.75), 2.1*math.Pow(95.0/70, 0.75), 0, 0)},
	}
	checkpoints := []float64{0.5, 5, 10, 25, 40, 45, 60, 90, 91, 120, 180, 240}
	for _, m := range models {
		for _, r := range regimens {
			t.Run(m.name+"/"+r.name, func(t *testing.T) {
				t.Parallel()
				p, err := m.model(t).Predict(dosing.Patient{Weight: q(m.weight), AgeYears: 40}, r.admins)
				if err != nil {
					t.Fatal(err)
				}
				num := m.odes.rk4(r.inputs(m.kg), checkpoints, 0.001)
				for _, at := range checkpoints {
					want := num[at]
					cp, ce := p.Exact(at)
					a := p.Amounts(at)
					close6(t, at, "Cp", cp, want[0]/m.odes.v1)
					for j := 0; j < 3; j++ {
						close6(t, at, "A"+string(rune('1'+j)), a[j], want[j])
					}
					if m.odes.ke0 > 0 {
						close6(t, at, "Ce", ce, want[3])
					}
				}
			})
		}
	}
}

func close6(t *testing.T, at float64, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-6*math.Abs(want)+1e-12 {
		t.Errorf("%s at %v min = %.12g, Runge–Kutta %.12g (relative difference %.2g)", what, at, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func lookup(id string) func(*testing.T) *pk.Model {
	return func(t *testing.T) *pk.Model {
		t.Helper()
		m, err := pk.Lookup(id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

func build(p pk.Parameters) func(*testing.T) *pk.Model {
	return func(t *testing.T) *pk.Model {
		t.Helper()
		m, err := pk.New(p)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}
