package pk

import (
	"math"
)

// Disposition: the modes of a mammillary model.
//
// The amounts A obey dA/dt = K·A + input, where K is the rate matrix: drug
// leaves the central compartment at k10 and moves to and from compartment j
// at k1j and kj1. An amount given into the central compartment splits into
// modes, each decaying at its own rate α:
//
//	A1(t) = Σi wi·exp(−αi·t),   Aj(t) = Σi gji·exp(−αi·t).
//
// K is similar to the symmetric arrowhead matrix M = D⁻¹·K·D with
// D = diag(√Vj): M11 = −(k10 + k12 + k13), Mjj = −kj1, M1j = √(k1j·kj1).
// Its eigenvalues −α are the roots of the secular function
//
//	s(α) = α − k10 − Σj k1j·α / (α − kj1),
//
// which increases from −∞ to +∞ between consecutive poles kj1, so there is
// exactly one root below the smallest kj1, one between the two, and one
// above the largest. The central weights are wi = U1i² = 1 / s′(αi), and
// gji = k1j·wi / (kj1 − αi). Finding the roots by safeguarded Newton
// iteration, measured from the nearer pole, gives every α, w and g to
// nearly full float64 precision whatever the spread of the rates; a general
// eigen-solver loses the relative precision of the slowest mode, which is
// the one that sets the tail of the curve.

// disposition is the modes of a model at its reference weight. Scaling by
// weight multiplies every rate constant by one factor (1 for linear scaling
// and none, r^(exponent−1) for allometric), which multiplies every α by it
// and leaves w and g alone, so it is computed once, by New.
type disposition struct {
	n     int           // compartments
	modes int           // modes that input into the centre excites: n, or fewer when two kj1 coincide
	alpha [3]float64    // of the excited modes, fastest first, /min
	w     [3]float64    // central weights, Σ w = 1
	g     [3][3]float64 // g[j][i]: amount in compartment j per mg in mode i; g[0] = w
	rates [3]float64    // all n disposition rates, fastest first, including a mode no central input excites
}

// newDisposition computes the modes of the rate constants k10, k1j and kj1
// (j = 2, 3; unused pairs are 0). The rates must be positive and finite.
func newDisposition(n int, k10 float64, k1, kb [3]float64) (disposition, bool) {
	d := disposition{n: n}
	if n == 1 {
		d.modes = 1
		d.alpha[0], d.w[0], d.g[0][0], d.rates[0] = k10, 1, 1, k10
		return d, k10 > 0 && !math.IsInf(k10, 0)
	}
	// The secular function's poles: the distinct kj1, ascending, each with
	// the sum of the k1j of its compartments.
	var sec secular
	sec.k10 = k10
	for j := 1; j < n; j++ {
		p := 0
		for p < sec.m && sec.pole[p] < kb[j] {
			p++
		}
		if p < sec.m && sec.pole[p] == kb[j] {
			sec.weight[p] += k1[j]
			continue
		}
		copy(sec.pole[p+1:], sec.pole[p:sec.m])
		copy(sec.weight[p+1:], sec.weight[p:sec.m])
		sec.pole[p], sec.weight[p] = kb[j], k1[j]
		sec.m++
	}
	trace := k10
	for j := 1; j < n; j++ {
		trace += k1[j] + kb[j]
	}
	// One root above the largest pole (the fastest mode), one between the
	// poles, one below the smallest: fastest first.
	d.modes = sec.m + 1
	for i := 0; i < d.modes; i++ {
		p := sec.m - i // the root lies between pole p−1 and pole p
		lo, hi := 0.0, 2*trace
		if p > 0 {
			lo = sec.pole[p-1]
		}
		if p < sec.m {
			hi = sec.pole[p]
		}
		origin, delta, ok := sec.root(lo, hi, p)
		if !ok {
			return d, false
		}
		alpha := origin + delta
		ds := sec.slope(origin, delta)
		d.alpha[i] = alpha
		d.w[i] = 1 / ds
		d.g[0][i] = d.w[i]
		for j := 1; j < n; j++ {
			// kj1 − α, from the pole nearest the root for precision.
			gap := (kb[j] - origin) - delta
			d.g[j][i] = k1[j] * d.w[i] / gap
		}
		if !(alpha > 0) || math.IsInf(alpha, 0) || !(d.w[i] > 0) {
			return d, false
		}
	}
	// Two compartments with the same kj1 (only possible with three) leave
	// one mode that input into the centre never excites: its rate is that
	// kj1, and its central weight is 0.
	copy(d.rates[:], d.alpha[:d.modes])
	if d.modes < n {
		d.rates[d.modes] = kb[1]
	}
	sortDescending(d.rates[:n])
	return d, true
}

func sortDescending(xs []float64) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] > xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// secular is s(α) = α − k10 − Σp weight[p]·α / (α − pole[p]) over its m
// distinct poles.
type secular struct {
	k10          float64
	m            int
	pole, weight [2]float64
}

// eval returns s and s′ at α = origin + delta, computing each α − pole as
// (origin − pole) + delta so that the difference from the pole the origin is
// keeps its relative precision.
func (s *secular) eval(origin, delta float64) (v, dv float64) {
	a := origin + delta
	v, dv = a-s.k10, 1
	for p := 0; p < s.m; p++ {
		x := (origin - s.pole[p]) + delta
		v -= s.weight[p] * a / x
		dv += s.weight[p] * s.pole[p] / (x * x)
	}
	return v, dv
}

func (s *secular) slope(origin, delta float64) float64 {
	_, dv := s.eval(origin, delta)
	return dv
}

// root returns the root of s in (lo, hi) as origin + delta, where origin is
// the end of the interval nearer the root (a pole, or 0). s is increasing
// there, from −∞ (or −k10 at 0) to +∞, so bisection always converges; Newton
// steps inside the bracket make it fast.
func (s *secular) root(lo, hi float64, upper int) (origin, delta float64, ok bool) {
	origin = lo
	if upper < s.m { // the interval ends at a pole: measure from the nearer end
		if v, _ := s.eval(lo, (hi-lo)/2); v > 0 {
			origin = lo
		} else {
			origin = hi
		}
	}
	a, b := lo-origin, hi-origin // the bracket, relative to origin
	x := a + (b-a)/2
	for range 500 {
		v, dv := s.eval(origin, x)
		if v == 0 {
			return origin, x, true
		}
		if v < 0 {
			a = x
		} else {
			b = x
		}
		next := x - v/dv
		if !(next > a && next < b) {
			next = a + (b-a)/2
		}
		if next == x || next == a || next == b {
			return origin, x, true
		}
		x = next
	}
	return origin, x, !math.IsNaN(x)
}

// system is a model individualized for one patient, in minutes, milligrams,
// litres and ng/mL.
//
// Each administration adds to the modes: a bolus d puts d·exp(−αi·τ) in
// mode i, an infusion at rate R puts R·ψ(αi, τ) while it runs, and each
// mode drives its own effect-site state ei, with dei/dt = ke0·(ai − ei).
// Cp = Σ ci·ai and Ce = Σ ci·ei with ci = wi/V1 ≥ 0 and ai, ei ≥ 0, so both
// are sums of non-negative terms: never negative, and no cancellation.
type system struct {
	disposition
	v, q [3]float64 // volumes (L) and clearances (L/min), V1..Vn and CL, Q2, Q3, for display
	c    [3]float64 // ng/mL per mg in mode i: 1000·wi / V1
	ke0  float64    // /min; 0 without an effect site
}

// dose is one administration in the system's units. A bolus is an infusion
// of zero duration: both carry the state at the end of their input.
type dose struct {
	start, dur float64    // min; dur is 0 for a bolus
	rate       float64    // mg/min while an infusion runs; 0 for a bolus
	a, e       [3]float64 // mode amounts and effect-site states at the end of the input, mg
}

func (s *system) bolus(start, mg float64) dose {
	d := dose{start: start}
	for i := 0; i < s.modes; i++ {
		d.a[i] = mg
	}
	return d
}

func (s *system) infusion(start, mg, dur float64) dose {
	d := dose{start: start, dur: dur, rate: mg / dur}
	for i := 0; i < s.modes; i++ {
		d.a[i] = d.rate * psi(s.alpha[i], dur)
		if s.ke0 > 0 {
			d.e[i] = d.rate * chi(s.alpha[i], s.ke0, dur)
		}
	}
	return d
}

// state returns each mode's amount at time t (min), and with effect its
// effect-site state, summed over ds: the closed form. A bolus counts from
// its own time on.
func (s *system) state(ds []dose, t float64, effect bool) (a, e [3]float64) {
	k := s.ke0
	effect = effect && k > 0
	for n := range ds {
		d := &ds[n]
		tau := t - d.start
		if tau < 0 {
			continue
		}
		if tau < d.dur { // still running
			for i := 0; i < s.modes; i++ {
				a[i] += d.rate * psi(s.alpha[i], tau)
				if effect {
					e[i] += d.rate * chi(s.alpha[i], k, tau)
				}
			}
			continue
		}
		// After the input each mode decays at its own rate, and its effect
		// site follows it at ke0.
		tau -= d.dur
		ek := 0.0
		if effect {
			ek = math.Exp(-k * tau)
		}
		for i := 0; i < s.modes; i++ {
			ea := math.Exp(-s.alpha[i] * tau)
			a[i] += d.a[i] * ea
			if effect {
				e[i] += d.e[i]*ek + d.a[i]*k*phi(s.alpha[i], k, tau, ea, ek)
			}
		}
	}
	return a, e
}

// level returns Cp, or Ce when effect is set, at t in ng/mL.
func (s *system) level(ds []dose, t float64, effect bool) float64 {
	a, e := s.state(ds, t, effect)
	x := &a
	if effect {
		x = &e
	}
	sum := 0.0
	for i := 0; i < s.modes; i++ {
		sum += s.c[i] * x[i]
	}
	return sum
}

// amounts returns the amount in each compartment at t, mg.
func (s *system) amounts(ds []dose, t float64) (x [3]float64) {
	a, _ := s.state(ds, t, false)
	for j := 0; j < s.n; j++ {
		for i := 0; i < s.modes; i++ {
			x[j] += s.g[j][i] * a[i]
		}
	}
	return x
}

// rate returns the total infusion rate just after t (mg/min): of the
// infusions with start ≤ t < start + dur, the end computed exactly as
// nextEvent computes it, so that no step runs an infusion past the event
// that ends it. (state tests t − start < dur instead; the two can differ by
// a rounding at the end itself, where either formula gives the same level.)
func rate(ds []dose, t float64) float64 {
	r := 0.0
	for n := range ds {
		if d := &ds[n]; d.start <= t && t < d.start+d.dur {
			r += d.rate
		}
	}
	return r
}

// nextEvent returns the first time after t at which an input starts or
// stops, or +Inf.
func nextEvent(ds []dose, t float64) float64 {
	next := math.Inf(1)
	for n := range ds {
		if s := ds[n].start; s > t && s < next {
			next = s
		}
		if e := ds[n].start + ds[n].dur; e > t && e < next {
			next = e
		}
	}
	return next
}

// psi returns ψ(a, t) = (1 − exp(−a·t)) / a, the amount an infusion of unit
// rate has put in a mode of rate a after t; expm1 keeps it exact for small
// a·t.
func psi(a, t float64) float64 {
	if a*t == 0 {
		return t
	}
	return -math.Expm1(-a*t) / a
}

// phi returns φ(a, b, t) = (exp(−a·t) − exp(−b·t)) / (b − a), symmetric in
// a and b, given ea = exp(−a·t) and eb = exp(−b·t). It is written as
// exp(−min·t)·ψ(|b − a|, t), a product of positive factors, so it keeps full
// precision even where the difference of exponentials would cancel.
func phi(a, b, t, ea, eb float64) float64 {
	slow, d := ea, b-a
	if d < 0 {
		slow, d = eb, -d
	}
	return slow * psi(d, t)
}

// chi returns χ(a, k, t) = ψ(a, t) − φ(a, k, t), the effect-site state an
// infusion of unit rate has built in a mode of rate a after t, for an
// effect site of rate k. It equals k·t²·exp[0, −a·t, −k·t], a second
// divided difference of exp, which is positive and is computed from the
// three points' distances (a·t, k·t and |k − a|·t, the last from the rates
// themselves) without the cancellation of the difference.
func chi(a, k, t float64) float64 {
	p, q := a, k
	if p > q {
		p, q = q, p
	}
	return k * t * t * dd2(p*t, q*t, (q-p)*t)
}

// dd2 returns exp[0, −x, −y] for 0 ≤ x ≤ y, given d = y − x: the second
// divided difference of exp at three points, always positive. Points
// spread over more than 1 take the recursive formula between the extremes,
// whose difference then cannot cancel badly; closer points take the Taylor
// series about the middle one.
func dd2(x, y, d float64) float64 {
	if y > 1 {
		// (exp[−x, 0] − exp[−y, −x]) / y, with exp[−x, 0] = E(x) and
		// exp[−y, −x] = e^−x·E(d), where E(z) = (1 − e^−z)/z.
		return (e1(x) - math.Exp(-x)*e1(d)) / y
	}
	// exp[0, −x, −y] = e^−x · Σn hn(u, v)/(n+2)!, with u = −d ≤ 0, v = x ≥ 0
	// the points' offsets from the middle one and hn(u, v) = Σ u^i·v^(n−i)
	// the complete homogeneous polynomial. A term can vanish (hn(u, −u) = 0
	// for odd n), so the sum stops on the bound |hn| ≤ (n+1)·s^n,
	// s = max(d, x) ≤ 1, never on a term.
	u, v := -d, x
	s := max(d, x)
	sum, h := 0.5, 1.0 // h0 = 1; the n = 0 term is 1/2!
	vn, fact, sn := 1.0, 2.0, 1.0
	for n := 1; n <= 24; n++ {
		vn *= v
		sn *= s
		h = u*h + vn // hn(u, v) = u·h(n−1)(u, v) + v^n
		fact *= float64(n + 2)
		sum += h / fact
		if float64(n+1)*sn/fact < 1e-17*sum {
			break
		}
	}
	return math.Exp(-x) * sum
}

// e1 returns (1 − e^−z)/z, and 1 at z = 0.
func e1(z float64) float64 {
	if z == 0 {
		return 1
	}
	return -math.Expm1(-z) / z
}
