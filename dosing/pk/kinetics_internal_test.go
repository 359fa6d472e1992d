package pk

import (
	"math"
	"math/big"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
	"pgregory.net/rapid"
)

// The exponential helpers against 256-bit arithmetic, where differences of
// exponentials cannot cancel: exp by its Taylor series after halving the
// argument, and the divided differences by their definitions.

const precBits = 256

func bf(x float64) *big.Float { return new(big.Float).SetPrec(precBits).SetFloat64(x) }

// bigExp returns e^x for x ≤ 0: the series of e^(x/2^k) with |x/2^k| < 1/2,
// squared k times.
func bigExp(x *big.Float) *big.Float {
	k := 0
	y := new(big.Float).SetPrec(precBits).Set(x)
	for y.Cmp(bf(-0.5)) < 0 {
		y.Quo(y, bf(2))
		k++
	}
	sum, term := bf(1), bf(1)
	for n := 1; n < 120; n++ {
		term.Mul(term, y)
		term.Quo(term, bf(float64(n)))
		sum.Add(sum, term)
	}
	for range k {
		sum.Mul(sum, sum)
	}
	return sum
}

func bsub(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(precBits).Sub(a, b) }
func bquo(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(precBits).Quo(a, b) }
func bmul(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(precBits).Mul(a, b) }

// bigDD1 is (e^b − e^a) / (b − a) for a ≠ b.
func bigDD1(a, b *big.Float) *big.Float { return bquo(bsub(bigExp(b), bigExp(a)), bsub(b, a)) }

// bigDD2 is exp[x, y, z] for x ≥ y ≥ z; a repeated point takes the
// limit, the derivative.
func bigDD2(x, y, z float64) *big.Float {
	bx, by, bz := bf(x), bf(y), bf(z)
	d1 := func(a, b *big.Float) *big.Float {
		if a.Cmp(b) == 0 {
			return bigExp(a)
		}
		return bigDD1(a, b)
	}
	return bquo(bsub(d1(by, bz), d1(bx, by)), bsub(bz, bx))
}

func rel(got float64, want *big.Float) float64 {
	d := bquo(bsub(bf(got), want), want)
	f, _ := d.Float64()
	return math.Abs(f)
}

// A rate and a time whose product spans 1e−12 to 50.
func genRateTime(t *rapid.T, label string) (rate, tau float64) {
	rate = math.Pow(10, rapid.Float64Range(-3, 1).Draw(t, label+"_rate_exponent"))
	tau = math.Pow(10, rapid.Float64Range(-12, 1.7).Draw(t, label+"_product_exponent")) / rate
	return rate, tau
}

func TestDividedDifferenceOfExp(t *testing.T) {
	t.Parallel()
	// Symmetric points about the middle one make every odd term of the
	// series vanish: a sum that stopped on a small term stopped too early.
	for _, p := range [][2]float64{{0.499, 0.998}, {0.05, 0.1}, {5e-10, 1e-9}, {0.3, 0.999}, {0.5, 1.001}, {39.5, 40}, {0, 0.5}, {0, 3}} {
		x, y := p[0], p[1]
		if e := rel(dd2(x, y, y-x), bigDD2(0, -x, -y)); e > 1e-14 {
			t.Errorf("exp[0, %v, %v]: relative error %.3g", -x, -y, e)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		a, tau := genRateTime(t, "a")
		k := a * math.Pow(10, rapid.Float64Range(-4, 4).Draw(t, "k_over_a_exponent"))
		if rapid.Bool().Draw(t, "close_rates") {
			k = a * (1 + math.Pow(10, rapid.Float64Range(-12, -1).Draw(t, "relative_gap_exponent")))
		}
		if a*tau == k*tau {
			t.Skip("coincident points")
		}
		// χ(a, k, τ) = ψ(a, τ) − φ(a, k, τ) = k·τ²·exp[0, −aτ, −kτ].
		// The products at 256 bits too: rounding a·τ and k·τ to float64
		// first would cancel in their difference.
		at, kt := bmul(bf(-a), bf(tau)), bmul(bf(-k), bf(tau))
		psiA := bquo(bsub(bf(1), bigExp(at)), bf(a))
		phiAK := bquo(bsub(bigExp(at), bigExp(kt)), bsub(bf(k), bf(a)))
		if e := rel(chi(a, k, tau), bsub(psiA, phiAK)); e > 1e-14 {
			t.Fatalf("χ(%v, %v, %v): relative error %.3g", a, k, tau, e)
		}
		if e := rel(psi(a, tau), psiA); e > 1e-15 {
			t.Fatalf("ψ(%v, %v): relative error %.3g", a, tau, e)
		}
		if e := rel(phi(a, k, tau, math.Exp(-a*tau), math.Exp(-k*tau)), phiAK); e > 1e-14 {
			t.Fatalf("φ(%v, %v, %v): relative error %.3g", a, k, tau, e)
		}
	})
}

func standardTask(t *testing.T) *Prediction {
	t.Helper()
	m, _ := Lookup("domino")
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("70 kg")},
		[]Administration{Infusion(units.MustParse("0.5 mg/kg"), units.MustParse("40 min"))})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Ce is computed only when asked for: the closed form for plasma leaves
// the effect-site states untouched, and the stepping for plasma has no
// effect-site propagator.
func TestEffectSiteOnlyWhenAsked(t *testing.T) {
	p := standardTask(t)
	for _, at := range []float64{10, 40, 45, 200} {
		if _, e := p.sys.state(p.doses, at, false); e != [3]float64{} {
			t.Errorf("state for plasma at %v min computed the effect site: %v", at, e)
		}
		if _, e := p.sys.state(p.doses, at, true); !(e[0] > 0 && e[1] > 0 && e[2] > 0) {
			t.Errorf("state for the effect site at %v min: %v", at, e)
		}
	}
}

// A level that the stepping puts within 1e−9 of a rounding tie is rounded
// from the closed form at the time At reads, so Curve and At agree.
func TestRenderNearATie(t *testing.T) {
	p := standardTask(t)
	at := units.MustParse("45 min")
	exact := p.sys.level(p.doses, minutes(at), false) // 91.41… ng/mL
	want, _ := round(exact, 2, units.NgPerML, false)
	for _, x := range []float64{91.415, 91.405, 12345.675} {
		if !nearTie(x) {
			t.Errorf("%v is a tie of the rounding at 0.01, nearTie says no", x)
		}
		got, err := p.render(x, at, false)
		if err != nil || !got.Equal(want) {
			t.Errorf("render(%v) = %v, %v; want the closed form's %v", x, got, err, want)
		}
	}
	for _, x := range []float64{91.41, 91.4149, 0, 1e-300} {
		if nearTie(x) {
			t.Errorf("%v is not a tie, nearTie says it is", x)
		}
	}
}

// Laws of the disposition, from the rate matrix K alone: its eigenvalues
// −α sum to its trace and multiply to its determinant (Vieta), a central
// dose starts whole in the centre (Σ w = 1) and nowhere else (Σi gji = 0),
// and each weight is positive. Equal kj1 are drawn often, to cover the mode
// that no central dose excites.
func TestLawDisposition(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 3).Draw(t, "compartments")
		rate := func(label string) float64 { return float64(rapid.IntRange(1, 2000).Draw(t, label)) / 1000 }
		var k1, kb [3]float64
		k10 := rate("k10")
		trace, det := k10, k10
		for j := 1; j < n; j++ {
			k1[j], kb[j] = rate("k1j"), rate("kj1")
			if j == 2 && rapid.Bool().Draw(t, "equal_kj1") {
				kb[2] = kb[1]
			}
			trace += k1[j] + kb[j]
			det *= kb[j]
		}
		d, ok := newDisposition(n, k10, k1, kb)
		if !ok {
			t.Fatalf("no disposition for k10 %v, k1j %v, kj1 %v", k10, k1, kb)
		}
		sum, prod := 0.0, 1.0
		for i := 0; i < n; i++ {
			sum += d.rates[i]
			prod *= d.rates[i]
			if i > 0 && d.rates[i] > d.rates[i-1] {
				t.Fatalf("rates not fastest first: %v", d.rates)
			}
		}
		if math.Abs(sum-trace) > 1e-13*trace || math.Abs(prod-det) > 1e-12*det {
			t.Fatalf("rates %v: sum %v (trace %v), product %v (determinant %v)", d.rates[:n], sum, trace, prod, det)
		}
		w := 0.0
		for i := 0; i < d.modes; i++ {
			if !(d.w[i] > 0) {
				t.Fatalf("weight %v of mode %d", d.w[i], i)
			}
			w += d.w[i]
		}
		if math.Abs(w-1) > 1e-14 {
			t.Fatalf("central weights sum to %v", w)
		}
		for j := 1; j < n; j++ {
			g, size := 0.0, 0.0
			for i := 0; i < d.modes; i++ {
				g += d.g[j][i]
				size += math.Abs(d.g[j][i])
			}
			if math.Abs(g) > 1e-14*size {
				t.Fatalf("compartment %d starts with %v of a central dose", j+1, g)
			}
		}
		if n == 3 && kb[1] == kb[2] && d.modes != 2 {
			t.Fatalf("k21 = k31 = %v: %d modes excited, want 2", kb[1], d.modes)
		}
	})
}
