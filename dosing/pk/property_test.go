package pk_test

import (
	"math"
	"slices"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Laws of linear pharmacokinetics, checked on random models and regimens.
// They compare the unrounded solution (Exact), so they can be tight.

// randomModel is a generated parameter set with the numbers the laws need,
// computed here from the drawn values rather than asked of the package.
type randomModel struct {
	model     *pk.Model
	n         int
	v1, cl    float64 // L, L/min
	effectOn  bool
	parameter pk.Parameters
}

func genModel(compartments ...int) *rapid.Generator[randomModel] {
	return rapid.Custom(func(t *rapid.T) randomModel {
		// A positive decimal lo·10^e to hi·10^e, drawn as its integer coefficient.
		draw := func(label string, lo, hi int64, e int32) decimal.Decimal {
			return decimal.New(rapid.Int64Range(lo, hi).Draw(t, label), e)
		}
		f := func(d decimal.Decimal) float64 { return d.InexactFloat64() }
		n := rapid.SampledFrom(compartments).Draw(t, "compartments")
		p := pk.Parameters{Name: "random", Drug: "test drug", Citation: "generated", Scaling: pk.ScaleNone}
		v1 := draw("v1", 100, 200000, -3) // 0.1 to 200 L
		p.V1 = units.New(v1, units.Liter)
		r := randomModel{n: n, v1: f(v1)}
		if rapid.Bool().Draw(t, "clearance_form") {
			cl := draw("cl", 10, 50000, -1) // 1 to 5,000 mL/min
			p.CL = units.New(cl, units.MLPerMin)
			r.cl = f(cl) / 1000
			if n >= 2 {
				p.V2, p.Q2 = units.New(draw("v2", 100, 500000, -3), units.Liter), units.New(draw("q2", 10, 50000, -1), units.MLPerMin)
			}
			if n == 3 {
				p.V3, p.Q3 = units.New(draw("v3", 100, 500000, -3), units.Liter), units.New(draw("q3", 10, 50000, -1), units.MLPerMin)
			}
		} else {
			rate := func(label string) units.Quantity { return units.New(draw(label, 1, 2000, -3), units.PerMinute) }
			p.K10 = rate("k10") // 0.001 to 2 /min
			r.cl = f(p.K10.Value()) * r.v1
			if n >= 2 {
				p.K12, p.K21 = rate("k12"), rate("k21")
			}
			if n == 3 {
				p.K13, p.K31 = rate("k13"), rate("k31")
			}
		}
		if rapid.Bool().Draw(t, "effect_site") {
			p.Ke0 = units.New(draw("ke0", 10, 10000, -3), units.PerMinute)
			r.effectOn = true
		}
		m, err := pk.New(p)
		if err != nil {
			t.Fatalf("generated parameters refused: %v", err)
		}
		r.model, r.parameter = m, p
		return r
	})
}

// genRegimen draws 1 to 4 boluses, infusions and zero-duration infusions in
// the first two hours.
func genRegimen() *rapid.Generator[[]pk.Administration] {
	one := rapid.Custom(func(t *rapid.T) pk.Administration {
		a := pk.Administration{
			Start:  units.New(decimal.New(rapid.Int64Range(0, 1200).Draw(t, "start"), -1), units.Minute),
			Amount: units.New(decimal.New(rapid.Int64Range(1, 5000).Draw(t, "mg"), -1), units.Milligram),
		}
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 1:
			a.Duration = units.New(decimal.New(rapid.Int64Range(1, 1200).Draw(t, "duration"), -1), units.Minute)
		case 2:
			a.Duration = units.NewInt(0, units.Minute)
		}
		return a
	})
	return rapid.SliceOfN(one, 1, 4)
}

var patient = dosing.Patient{Weight: q("70 kg")}

func predict(t *rapid.T, m *pk.Model, admins []pk.Administration) *pk.Prediction {
	p, err := m.Predict(patient, admins)
	if err != nil {
		t.Fatalf("Predict: %v", err)
	}
	return p
}

// minutes returns a time in minutes for the laws' float checks.
func minutes(q units.Quantity) float64 {
	m, _ := q.Convert(units.Minute)
	return m.Value().InexactFloat64()
}

func kinetics(t *rapid.T, p *pk.Prediction) pk.Kinetics {
	k, err := p.Kinetics()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func near(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))+1e-15
}

func TestLawSuperposition(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		a, b := genRegimen().Draw(t, "a"), genRegimen().Draw(t, "b")
		pa, pb, pab := predict(t, m.model, a), predict(t, m.model, b), predict(t, m.model, append(slices.Clone(a), b...))
		at := rapid.Float64Range(0, 600).Draw(t, "t")
		cpA, ceA := pa.Exact(at)
		cpB, ceB := pb.Exact(at)
		cp, ce := pab.Exact(at)
		if !near(cp, cpA+cpB, 1e-9) || !near(ce, ceA+ceB, 1e-9) {
			t.Fatalf("at %v min: Cp %g, Ce %g for both; %g + %g, %g + %g for each", at, cp, ce, cpA, cpB, ceA, ceB)
		}
	})
}

func TestLawLinearityInDose(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		admins := genRegimen().Draw(t, "regimen")
		k := decimal.New(rapid.Int64Range(1, 100).Draw(t, "factor_tenths"), -1)
		scaled := slices.Clone(admins)
		for i := range scaled {
			scaled[i].Amount, _ = scaled[i].Amount.Scale(k)
		}
		p, ps := predict(t, m.model, admins), predict(t, m.model, scaled)
		at := rapid.Float64Range(0, 600).Draw(t, "t")
		cp, ce := p.Exact(at)
		cpK, ceK := ps.Exact(at)
		f := k.InexactFloat64()
		if !near(cpK, f*cp, 1e-9) || !near(ceK, f*ce, 1e-9) {
			t.Fatalf("at %v min ×%v: Cp %g, Ce %g; want %g, %g", at, f, cpK, ceK, f*cp, f*ce)
		}
	})
}

// A long infusion reaches Css = R / CL, in plasma and at the effect site.
func TestLawSteadyStateIsRateOverClearance(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		probe := predict(t, m.model, []pk.Administration{pk.Bolus(q("1 mg"))})
		slowest := minutes(kinetics(t, probe).HalfLives[m.n-1])
		long := 60 * slowest // e^−60·ln 2 ≈ 1e−18 of the way left to go
		if m.effectOn {
			long = math.Max(long, 60/m.parameter.Ke0.Value().InexactFloat64())
		}
		if long > 300000 {
			t.Skip("steady state too far away to reach within the clock's range")
		}
		dur := units.New(decimal.NewFromFloat(math.Ceil(long)), units.Minute)
		mg := decimal.New(rapid.Int64Range(1, 3000).Draw(t, "mg_per_min_thousandths"), -3) // ≤ 3 mg/min keeps the total under the 1,000,000 mg bound
		amount := units.New(mg.Mul(dur.Value()), units.Milligram)
		p := predict(t, m.model, []pk.Administration{pk.Infusion(amount, dur)})
		cp, ce := p.Exact(minutes(dur))
		css := mg.InexactFloat64() / m.cl
		if !near(cp, css, 1e-6) {
			t.Fatalf("Cp after %v = %g mg/L, want R/CL = %g mg/L", dur, cp, css)
		}
		if m.effectOn && !near(ce, css, 1e-6) {
			t.Fatalf("Ce after %v = %g mg/L, want R/CL = %g mg/L", dur, ce, css)
		}
	})
}

// For a one-compartment model Cp falls at every instant after the infusion
// stops. (It holds for any mammillary model, since every mode then decays; the
// second check tests that too.)
func TestLawMonotoneDeclineAfterInfusionStops(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name         string
		compartments []int
	}{
		{"one_compartment", []int{1}},
		{"two_and_three_compartments", []int{2, 3}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				m := genModel(tt.compartments...).Draw(t, "model")
				admins := genRegimen().Draw(t, "regimen")
				p := predict(t, m.model, admins)
				end, err := p.EndOfInfusion()
				if err != nil {
					t.Fatal(err)
				}
				t0 := minutes(end.Time)
				prev, _ := p.Exact(t0)
				for i := 1; i <= 200; i++ {
					at := t0 + float64(i)*float64(i)*0.05 // denser just after the stop
					cp, _ := p.Exact(at)
					if cp > prev {
						t.Fatalf("Cp rose after the input stopped at %v min: %g at %v min after %g", t0, cp, at, prev)
					}
					prev = cp
				}
			})
		})
	}
}

// Mass balance: what is in the body plus what was eliminated, k10·∫A1 dt, is
// what was given so far. The integral is Gauss–Legendre quadrature of the
// exact A1 between events, where it is smooth.
func TestLawMassBalance(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		admins := genRegimen().Draw(t, "regimen")
		p := predict(t, m.model, admins)
		at := rapid.Float64Range(0, 240).Draw(t, "t")
		probe := predict(t, m.model, []pk.Administration{pk.Bolus(q("1 mg"))})
		fastest := math.Max(minutes(kinetics(t, probe).HalfLives[0]), 0.001) / math.Ln2 // 1/α, min

		given := 0.0
		breaks := []float64{0, at}
		for _, a := range admins {
			s, mg := minutes(a.Start), a.Amount.Value().InexactFloat64()
			d := 0.0
			if a.Duration.IsValid() {
				d = minutes(a.Duration)
			}
			switch {
			case s > at:
			case d == 0 || s+d <= at:
				given += mg
			default:
				given += mg * (at - s) / d
			}
			breaks = append(breaks, s, s+d)
		}
		slices.Sort(breaks)
		k10 := m.cl / m.v1
		eliminated := 0.0
		for i := 0; i+1 < len(breaks) && breaks[i] < at; i++ {
			a, b := breaks[i], math.Min(breaks[i+1], at)
			eliminated += k10 * gauss(func(x float64) float64 { return p.Amounts(x)[0] }, a, b, fastest)
		}
		x := p.Amounts(at)
		inBody := x[0] + x[1] + x[2]
		if !near(inBody+eliminated, given, 1e-6) {
			t.Fatalf("at %v min: in body %g mg + eliminated %g mg = %g mg, given %g mg", at, inBody, eliminated, inBody+eliminated, given)
		}
	})
}

// gauss integrates f over [a, b] by 5-point Gauss–Legendre quadrature on
// pieces no longer than h, exact to about 1e−10 for exponentials of rate 1/h.
// The nodes are inside the pieces, so a bolus at b is not counted.
func gauss(f func(float64) float64, a, b, h float64) float64 {
	nodes := [5]float64{0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640}
	weights := [5]float64{0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891}
	if b <= a {
		return 0
	}
	n := math.Ceil((b - a) / h)
	w := (b - a) / n
	sum := 0.0
	for i := 0.0; i < n; i++ {
		mid := a + (i+0.5)*w
		for k, x := range nodes {
			sum += weights[k] * f(mid+x*w/2)
		}
	}
	return sum * w / 2
}

func TestLawNoNegativeConcentration(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		p := predict(t, m.model, genRegimen().Draw(t, "regimen"))
		at := rapid.OneOf(rapid.Float64Range(0, 1e-6), rapid.Float64Range(0, 600), rapid.Float64Range(600, 500000)).Draw(t, "t")
		if cp, ce := p.Exact(at); cp < 0 || ce < 0 || math.IsNaN(cp+ce) {
			t.Fatalf("at %v min: Cp %g, Ce %g", at, cp, ce)
		}
		s, err := p.At(units.New(decimal.NewFromFloat(at).Round(3), units.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if s.Cp.Sign() < 0 || s.Ce.IsValid() && s.Ce.Sign() < 0 {
			t.Fatalf("at %v: %v, %v", s.Time, s.Cp, s.Ce)
		}
	})
}
