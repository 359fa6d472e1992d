package pk

import (
	"math"

	"github.com/doseplan/doseplan/units"
)

// Full-precision levels: float64 values in ng/mL, no decimal per point.

// Level returns the predicted concentration at the site at time t on the
// prediction's clock, in ng/mL, at full float64 precision (see the package
// documentation for its accuracy). A bolus given at t is included. Only the
// site asked for is computed.
func (p *Prediction) Level(site Site, t units.Quantity) (float64, error) {
	if err := p.checkSite(site); err != nil {
		return 0, err
	}
	c := checker{}
	m := c.time("time", t, true)
	if err := c.err(); err != nil {
		return 0, err
	}
	return p.sys.level(p.doses, m, site == EffectSite), nil
}

// Levels is a curve of full-precision estimates at equally spaced times:
// Values[k] is the concentration at Site at time From + k·Step, in Unit.
type Levels struct {
	Site   Site
	From   units.Quantity
	Step   units.Quantity
	Unit   units.Unit // ng/mL
	Values []float64
}

// Time returns the exact time of Values[k], in the finer unit of From and
// Step.
func (l Levels) Time(k int) units.Quantity {
	at, _ := exactTimes(l.From, l.Step)
	return at(int64(k))
}

// Minutes returns the time of Values[k] in minutes as the float64 at which
// it was evaluated: the one nearest the exact time, as At reads it.
func (l Levels) Minutes(k int) float64 { return gridOf(l.From, l.Step).at(k) }

// Levels returns the concentrations at the site from one time to another,
// inclusive, every step (from, from + step, … up to to), in ng/mL at full
// float64 precision; at most 100,000 values. Only the site asked for is
// computed, and no decimal is built per point: each mode is stepped from
// one time to the next by its exact propagator, exp(−α·step) computed once,
// and restarted from the closed form at every administration's start and
// end and every 256 steps, which keeps the rounding error from growing.
func (p *Prediction) Levels(site Site, from, to, step units.Quantity) (Levels, error) {
	if err := p.checkSite(site); err != nil {
		return Levels{}, err
	}
	g, err := newGrid(from, to, step)
	if err != nil {
		return Levels{}, err
	}
	l := Levels{Site: site, From: from, Step: step, Unit: units.NgPerML, Values: make([]float64, g.n)}
	p.sys.fill(p.doses, g, site == EffectSite, l.Values)
	return l, nil
}

// Point is a full-precision estimate: the concentration Value, in ng/mL, at
// Time, in minutes on the prediction's clock.
type Point struct {
	Time  float64 `json:"time_min"`
	Value float64 `json:"value_ng_per_ml"`
}

// PeakLevel returns the highest predicted concentration at the site (Cmax)
// and when it occurs (tmax), at full precision: Value is the level at
// Time, the same evaluation. Before and during the administrations the
// curve is searched on a grid between events and refined by golden-section
// search to 1e−7 min; after the last one, Cp only falls and Ce has at most
// one maximum, which is found to the same tolerance.
func (p *Prediction) PeakLevel(site Site) (Point, error) {
	if err := p.checkSite(site); err != nil {
		return Point{}, err
	}
	t, v := p.peak(searcher{p, site == EffectSite})
	return Point{Time: t, Value: v}, nil
}

// grid is a validated time grid of n points from t0 every h minutes. Its
// times are the float64 nearest the exact ones, as minutes reads them, so
// that a point of a curve and At at its time are the same instant even
// next to a bolus; the stepping between them assumes the spacing h.
type grid struct {
	t0, h float64
	n     int
	// With exact ticks the k-th time is (f + k·s)·10^e s, and its float64
	// is (f + k·s) / den, one correctly rounded division.
	f, s  int64
	den   float64
	ticks bool
}

// gridOf returns the grid of times from, from + step, … without a count.
func gridOf(from, step units.Quantity) grid {
	g := grid{t0: minutes(from), h: minutes(step)}
	e := min(exponent(from), exponent(step), 0)
	f, ok1 := ticks(from, e)
	s, ok2 := ticks(step, e)
	if ok1 && ok2 && -e < int32(len(pow10)) {
		g.f, g.s, g.den, g.ticks = f, s, 60*pow10[-e], true
	}
	return g
}

// at returns the k-th time in minutes.
func (g grid) at(k int) float64 {
	if g.ticks {
		if x, ok := mul64(int64(k), g.s); ok && abs64(g.f+x) <= 1<<53 && abs64(x) <= 1<<53 {
			return float64(g.f+x) / g.den
		}
	}
	return g.t0 + float64(k)*g.h
}

func newGrid(from, to, step units.Quantity) (grid, error) {
	c := checker{}
	t0 := c.time("from", from, true)
	c.time("to", to, true)
	h := c.time("step", step, true)
	if step.IsValid() && step.Sign() == 0 {
		c.add(fieldError("step", step.String(), "greater than 0 min", ErrRange))
	}
	if err := c.err(); err != nil {
		return grid{}, err
	}
	n, ok := points(from, to, step)
	if !ok {
		return grid{}, fieldError("to", to.String(), "at least from "+from.String(), ErrRange)
	}
	if n > maxPoints {
		return grid{}, fieldError("step", step.String(), "at most 100,000 points from "+from.String()+" to "+to.String(), ErrRange)
	}
	g := gridOf(from, step)
	g.t0, g.h, g.n = t0, h, int(n)
	return g, nil
}

// restartEvery bounds the steps between two closed-form evaluations. Each
// step adds a rounding error of a few units in the last place; 256 of them
// stay below 1e−13.
const restartEvery = 256

// fill sets out[k] to Cp, or Ce when effect is set, at t0 + k·h (ng/mL).
//
// Between two administration events the input rate r is constant, and each
// mode moves over one step h exactly as
//
//	a ← E·a + r·ψ(α, h)
//	e ← Ek·e + ke0·φ(α, ke0, h)·a + r·χ(α, ke0, h)
//
// with E = exp(−α·h) and Ek = exp(−ke0·h), all computed once. The first
// point of a run, the first point at or after an event and every 256th
// point take the closed form instead; the points between are stepped.
func (s *system) fill(ds []dose, g grid, effect bool, out []float64) {
	effect = effect && s.ke0 > 0
	h := g.h
	var st stepper
	k := s.ke0
	ek := math.Exp(-k * h)
	st.ek = ek
	for i := 0; i < s.modes; i++ {
		st.ea[i] = math.Exp(-s.alpha[i] * h)
		st.pa[i] = psi(s.alpha[i], h)
		if effect {
			st.fe[i] = k * phi(s.alpha[i], k, h, st.ea[i], ek)
			st.ge[i] = chi(s.alpha[i], k, h)
		}
	}
	for n := 0; n < len(out); {
		t := g.at(n)
		a, e := s.state(ds, t, effect)
		r := rate(ds, t)
		// The stepped state is weighted by ci, so that a level is a sum.
		for i := 0; i < s.modes; i++ {
			a[i] *= s.c[i]
			e[i] *= s.c[i]
		}
		stop := min(len(out), n+restartEvery)
		if next := nextEvent(ds, t); stop < len(out) && next <= g.at(stop) || stop == len(out) && next <= g.at(stop-1) {
			stop = min(stop, g.firstAtOrAfter(next, n+1))
		}
		if effect {
			out[n] = e[0] + e[1] + e[2]
			st.effect(out[n+1:stop], a, e, r, s.c)
		} else {
			out[n] = a[0] + a[1] + a[2]
			st.plasma(out[n+1:stop], a, r, s.c)
		}
		n = stop
	}
}

// firstAtOrAfter returns the first k ≥ lo whose time is at or after t.
func (g grid) firstAtOrAfter(t float64, lo int) int {
	k := lo
	if x := math.Ceil((t - g.t0) / g.h); x > float64(lo) && x < maxPoints {
		k = int(x)
	}
	for k > lo && g.at(k-1) >= t {
		k--
	}
	for g.at(k) < t {
		k++
	}
	return k
}

// stepper holds the one-step propagators of the modes; unused modes are 0,
// so three are always stepped.
type stepper struct {
	ea, pa, fe, ge [3]float64
	ek             float64
}

// plasma writes the Cp of the points after the state a (weighted by c) at
// the constant rate r.
func (st *stepper) plasma(out []float64, a [3]float64, r float64, c [3]float64) {
	e0, e1, e2 := st.ea[0], st.ea[1], st.ea[2]
	r0, r1, r2 := r*c[0]*st.pa[0], r*c[1]*st.pa[1], r*c[2]*st.pa[2]
	b0, b1, b2 := a[0], a[1], a[2]
	for k := range out {
		b0 = e0*b0 + r0
		b1 = e1*b1 + r1
		b2 = e2*b2 + r2
		out[k] = b0 + b1 + b2
	}
}

// effect writes the Ce of the points after the state a, e (weighted by c)
// at the constant rate r.
func (st *stepper) effect(out []float64, a, e [3]float64, r float64, c [3]float64) {
	e0, e1, e2, ek := st.ea[0], st.ea[1], st.ea[2], st.ek
	f0, f1, f2 := st.fe[0], st.fe[1], st.fe[2]
	r0, r1, r2 := r*c[0]*st.pa[0], r*c[1]*st.pa[1], r*c[2]*st.pa[2]
	g0, g1, g2 := r*c[0]*st.ge[0], r*c[1]*st.ge[1], r*c[2]*st.ge[2]
	b0, b1, b2 := a[0], a[1], a[2]
	d0, d1, d2 := e[0], e[1], e[2]
	for k := range out {
		d0 = ek*d0 + f0*b0 + g0
		d1 = ek*d1 + f1*b1 + g1
		d2 = ek*d2 + f2*b2 + g2
		b0 = e0*b0 + r0
		b1 = e1*b1 + r1
		b2 = e2*b2 + r2
		out[k] = d0 + d1 + d2
	}
}
