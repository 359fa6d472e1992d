package pk

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// system is a model individualized for one patient, in float64 minutes,
// milligrams and litres.
//
// The amounts A obey dA/dt = K·A + input, where K is the rate matrix of the
// mammillary model. K is similar to the symmetric matrix M = D⁻¹·K·D with
// D = diag(√Vj): M11 = −(k10 + k12 + k13), Mjj = −kj1 and
// M1j = Mj1 = √(k1j·kj1). M = U·diag(−α)·Uᵀ has real eigenvalues and
// orthonormal eigenvectors even when two of them coincide, so
//
//	exp(K·t)·e1 = Σi g[·][i]·exp(−αi·t),   g[j][i] = √(Vj/V1)·Uji·U1i.
//
// Each administration then adds a sum of exponentials ("modes"): a bolus d
// puts d·exp(−αi·τ) in mode i, and an infusion at rate R for T puts the
// integral of that, R·ψ(αi, τ) while it runs. The central coefficients
// g[0][i] = U1i² are never negative, which is why Cp is a sum of
// non-negative terms and never negative.
type system struct {
	n     int
	v, q  [3]float64    // volumes (L) and clearances (L/min): V1..Vn, CL, Q2, Q3
	alpha [3]float64    // disposition rate constants, fastest first, /min
	g     [3][3]float64 // g[j][i]: amount in compartment j per mg in mode i
	c     [3]float64    // g[0][i] / V1: Cp in mg/L per mg in mode i
	ke0   float64       // /min; 0 when there is no effect site
}

func newSystem(n int, v, q [3]float64, ke0 float64) (*system, error) {
	s := &system{n: n, v: v, q: q, ke0: ke0}
	m := mat.NewSymDense(n, nil)
	m.SetSym(0, 0, -(q[0]+q[1]+q[2])/v[0])
	for j := 1; j < n; j++ {
		m.SetSym(j, j, -q[j]/v[j])
		m.SetSym(0, j, q[j]/math.Sqrt(v[0]*v[j]))
	}
	var eig mat.EigenSym
	if !eig.Factorize(m, true) {
		return nil, ErrNumeric
	}
	lambda := eig.Values(nil) // ascending: the fastest mode first
	var u mat.Dense
	eig.VectorsTo(&u)
	for i := 0; i < n; i++ {
		s.alpha[i] = -lambda[i]
		if !(s.alpha[i] > 0) || math.IsInf(s.alpha[i], 0) {
			return nil, ErrNumeric
		}
		for j := 0; j < n; j++ {
			s.g[j][i] = math.Sqrt(v[j]/v[0]) * u.At(j, i) * u.At(0, i)
		}
		s.c[i] = s.g[0][i] / v[0]
	}
	return s, nil
}

// dose is one administration in the system's units. A bolus is an infusion
// of zero duration, so both share the state at the end of the input.
type dose struct {
	start, dur float64    // min; dur is 0 for a bolus
	rate       float64    // mg/min while an infusion runs
	a, e       [3]float64 // mode amounts and their effect-site states at the end of the input, mg
}

func (s *system) bolus(start, mg float64) dose {
	d := dose{start: start}
	for i := 0; i < s.n; i++ {
		d.a[i] = mg
	}
	return d
}

func (s *system) infusion(start, mg, dur float64) dose {
	d := dose{start: start, dur: dur, rate: mg / dur}
	ek := math.Exp(-s.ke0 * dur)
	for i := 0; i < s.n; i++ {
		d.a[i], d.e[i] = s.running(i, d.rate, dur, ek)
	}
	return d
}

// running returns mode i's amount and effect-site state τ minutes into an
// infusion at rate r, given ek = exp(−ke0·τ): a = r·ψ(α, τ) with
// ψ(α, τ) = (1 − exp(−α·τ)) / α, and
// e = ke0·∫₀^τ a(s)·exp(−ke0·(τ−s)) ds = r·(ψ(α, τ) − φ(α, ke0, τ)).
func (s *system) running(i int, r, tau, ek float64) (a, e float64) {
	alpha := s.alpha[i]
	m1 := math.Expm1(-alpha * tau)
	psi := -m1 / alpha
	a = r * psi
	if s.ke0 > 0 {
		// The difference is ≥ 0 exactly; rounding can make it −1e−30 at τ ≈ 0.
		e = r * math.Max(0, psi-phi(alpha, s.ke0, tau, 1+m1, ek))
	}
	return a, e
}

// modes returns the amount in each mode and its effect-site state at time t
// (min), summed over ds. A bolus counts from its own time on.
func (s *system) modes(ds []dose, t float64) (a, e [3]float64) {
	for k := range ds {
		d := &ds[k]
		tau := t - d.start
		if tau < 0 {
			continue
		}
		if tau < d.dur {
			ek := math.Exp(-s.ke0 * tau)
			for i := 0; i < s.n; i++ {
				ai, ei := s.running(i, d.rate, tau, ek)
				a[i] += ai
				e[i] += ei
			}
			continue
		}
		// After the input: each mode decays at its own rate, and the effect
		// site follows it with rate ke0.
		tau -= d.dur
		ek := math.Exp(-s.ke0 * tau)
		for i := 0; i < s.n; i++ {
			ea := math.Exp(-s.alpha[i] * tau)
			a[i] += d.a[i] * ea
			if s.ke0 > 0 {
				e[i] += d.e[i]*ek + d.a[i]*s.ke0*phi(s.alpha[i], s.ke0, tau, ea, ek)
			}
		}
	}
	return a, e
}

// conc returns Cp and Ce at t in mg/L (= mcg/mL). Ce is 0 without ke0.
func (s *system) conc(ds []dose, t float64) (cp, ce float64) {
	a, e := s.modes(ds, t)
	for i := 0; i < s.n; i++ {
		cp += s.c[i] * a[i]
		ce += s.c[i] * e[i]
	}
	return cp, ce
}

// amounts returns the amount in each compartment at t, mg.
func (s *system) amounts(ds []dose, t float64) (x [3]float64) {
	a, _ := s.modes(ds, t)
	for j := 0; j < s.n; j++ {
		for i := 0; i < s.n; i++ {
			x[j] += s.g[j][i] * a[i]
		}
	}
	return x
}

// phi returns φ(a, b, t) = (exp(−a·t) − exp(−b·t)) / (b − a), which is
// symmetric in a and b and tends to t·exp(−a·t) as b → a, given ea =
// exp(−a·t) and eb = exp(−b·t). Near a = b it uses expm1 instead of the
// difference, which would cancel.
func phi(a, b, t, ea, eb float64) float64 {
	d := b - a
	if math.Abs(d)*t > 1e-3 {
		return (ea - eb) / d
	}
	slow := ea // exp(−min(a, b)·t)
	if d < 0 {
		slow, d = eb, -d
	}
	if d == 0 {
		return t * slow
	}
	return slow * -math.Expm1(-d*t) / d
}
