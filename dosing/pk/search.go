package pk

import "math"

// Searches for the peak and for the last crossing of a threshold.
//
// While drug goes in, a concentration is a sum of exponentials with terms of
// either sign between events (a bolus given during an infusion can make it
// fall and rise again), so it is sampled on a grid whose points include
// every event, with its slope from the model's equations, and refined
// around each local maximum of the samples and in each grid interval where
// the slope turns from rising to falling (a peak narrower than the grid,
// such as Ce's just after a bolus of a fast model). After the last
// administration every mode only decays, so Cp falls monotonically, and Ce
// has at most one maximum: dCe/dt = ke0·(Cp − Ce) is 0 only where
// d²Ce/dt² = ke0·dCp/dt < 0. There the searches are exact up to their
// tolerance.

type point struct{ t, v float64 }

// searcher evaluates one site of a prediction.
type searcher struct {
	p      *Prediction
	effect bool
}

func (s searcher) f(t float64) float64 { return s.p.sys.level(s.p.doses, t, s.effect) }

// gap appends n grid points from a, every (b − a)/n, with their levels and
// slopes, for a gap between two events where the infusion rate does not
// change: the closed form at a, then each mode stepped by its exact
// propagator, as Levels does.
func (s searcher) gap(a, b float64, n int, grid []point, slopes []float64) ([]point, []float64) {
	sys := &s.p.sys
	h := (b - a) / float64(n)
	k := sys.ke0
	var ea, pa, fe, ge [3]float64
	ek := math.Exp(-k * h)
	for i := 0; i < sys.modes; i++ {
		ea[i], pa[i] = math.Exp(-sys.alpha[i]*h), psi(sys.alpha[i], h)
		if s.effect {
			fe[i], ge[i] = k*phi(sys.alpha[i], k, h, ea[i], ek), chi(sys.alpha[i], k, h)
		}
	}
	am, em := sys.state(s.p.doses, a, s.effect)
	r := rate(s.p.doses, a)
	for j := 0; j < n; j++ {
		var cp, ce, dcp float64
		for i := 0; i < sys.modes; i++ {
			cp += sys.c[i] * am[i]
			ce += sys.c[i] * em[i]
			dcp += sys.c[i] * (r - sys.alpha[i]*am[i])
		}
		v, d := cp, dcp
		if s.effect {
			v, d = ce, k*(cp-ce)
		}
		grid, slopes = append(grid, point{a + (b-a)*float64(j)/float64(n), v}), append(slopes, d)
		for i := 0; i < sys.modes; i++ {
			if s.effect {
				em[i] = ek*em[i] + fe[i]*am[i] + r*ge[i]
			}
			am[i] = ea[i]*am[i] + r*pa[i]
		}
	}
	return grid, slopes
}

// valueSlope returns the level at t and its slope just after t: for Cp,
// Σ ci·(r − αi·ai) with r the infusion rate going on; for Ce, ke0·(Cp − Ce).
func (s searcher) valueSlope(t float64) (v, slope float64) {
	sys := &s.p.sys
	a, e := sys.state(s.p.doses, t, s.effect)
	r := rate(s.p.doses, t)
	var cp, ce, dcp float64
	for i := 0; i < sys.modes; i++ {
		cp += sys.c[i] * a[i]
		ce += sys.c[i] * e[i]
		dcp += sys.c[i] * (r - sys.alpha[i]*a[i])
	}
	if s.effect {
		return ce, sys.ke0 * (cp - ce)
	}
	return cp, dcp
}

const (
	gridPoints  = 512  // samples over the administrations in all
	minPerGap   = 8    // and at least this many between two events
	tolerance   = 1e-7 // min: the width at which golden-section and bisection stop
	firstStep   = 1e-3 // min: the first step of a bracket search after the last administration
	maxIterates = 200
)

// peak returns where the site's level is highest, and its value there
// from the closed form (the grid's values are stepped).
func (p *Prediction) peak(s searcher) (t, v float64) {
	grid, maxima := p.scan(s)
	best := p.postPeak(s.f)
	for _, pts := range [][]point{grid, maxima} {
		for _, q := range pts {
			if q.v > best.v {
				best = q
			}
		}
	}
	return best.t, s.f(best.t)
}

// below returns the time after which the site's level stays below limit, or
// ok = false if it never reaches limit. It returns +Inf if it is still at or
// above limit a year after the last administration.
func (p *Prediction) below(s searcher, limit float64) (t float64, ok bool) {
	f := s.f
	if top := p.postPeak(f); top.v >= limit {
		// Falling from top on: double a step until below, then bisect.
		lo, h := top.t, firstStep
		hi := lo + h
		for f(hi) >= limit {
			if hi-p.end > maxMinutes {
				return math.Inf(1), true
			}
			lo, h = hi, 2*h
			hi = top.t + h
		}
		return bisect(f, limit, lo, hi), true
	}
	// The crossing is during the administrations: after the latest point
	// known to be at or above limit, before the next grid point.
	grid, maxima := p.scan(s)
	last := point{t: math.Inf(-1)}
	for _, pts := range [][]point{grid, maxima} {
		for _, q := range pts {
			if q.v >= limit && q.t > last.t {
				last = q
			}
		}
	}
	if math.IsInf(last.t, -1) {
		return 0, false
	}
	for _, q := range grid {
		if q.t > last.t {
			return bisect(f, limit, last.t, q.t), true
		}
	}
	return last.t, true // unreachable: the last grid point is below limit
}

// scan samples the site over the administrations and refines each local
// maximum of the samples on both sides, and each grid interval whose slope
// turns from rising at its start to falling at its end.
func (p *Prediction) scan(s searcher) (grid, maxima []point) {
	ev := p.events()
	total := ev[len(ev)-1] - ev[0]
	var slopes []float64 // just after each grid point
	var event []bool     // the grid point is an event
	for k := 0; k+1 < len(ev); k++ {
		a, b := ev[k], ev[k+1]
		n := max(minPerGap, int(math.Ceil(gridPoints*(b-a)/total)))
		grid, slopes = s.gap(a, b, n, grid, slopes)
		for i := 0; i < n; i++ {
			event = append(event, i == 0)
		}
	}
	last := ev[len(ev)-1]
	v, d := s.valueSlope(last)
	grid, slopes, event = append(grid, point{last, v}), append(slopes, d), append(event, true)
	for i := 1; i+1 < len(grid); i++ {
		if grid[i].v >= grid[i-1].v && grid[i].v >= grid[i+1].v {
			maxima = append(maxima, golden(s.f, grid[i-1].t, grid[i].t), golden(s.f, grid[i].t, grid[i+1].t))
		}
	}
	for i := 0; i+1 < len(grid); i++ {
		if !(slopes[i] > 0) {
			continue
		}
		end := slopes[i+1]
		if event[i+1] { // the slope just before the event
			_, end = s.valueSlope(math.Nextafter(grid[i+1].t, math.Inf(-1)))
		}
		if end < 0 {
			maxima = append(maxima, golden(s.f, grid[i].t, grid[i+1].t))
		}
	}
	return grid, maxima
}

// postPeak returns the maximum of f from the end of the last administration
// on, where f is unimodal: the step doubles until f falls, and golden-section
// search refines the bracket.
func (p *Prediction) postPeak(f func(float64) float64) point {
	prev, cur := point{p.end, f(p.end)}, point{p.end, f(p.end)}
	for h := firstStep; h < maxMinutes; h *= 2 {
		next := point{p.end + h, f(p.end + h)}
		if next.v < cur.v {
			return golden(f, prev.t, next.t)
		}
		prev, cur = cur, next
	}
	return cur
}

// golden returns the maximum of f on [a, b] by golden-section search, for f
// unimodal there. The ends are candidates too, so a maximum at an end (the
// end of an infusion) is found exactly.
func golden(f func(float64) float64, a, b float64) point {
	const r = 0.6180339887498949 // (√5 − 1) / 2
	best := point{a, f(a)}
	if fb := f(b); fb > best.v {
		best = point{b, fb}
	}
	x1, x2 := b-r*(b-a), a+r*(b-a)
	f1, f2 := f(x1), f(x2)
	for i := 0; i < maxIterates && b-a > tolerance; i++ {
		if f1 < f2 {
			a, x1, f1 = x1, x2, f2
			x2 = a + r*(b-a)
			f2 = f(x2)
		} else {
			b, x2, f2 = x2, x1, f1
			x1 = b - r*(b-a)
			f1 = f(x1)
		}
	}
	for _, q := range []point{{x1, f1}, {x2, f2}} {
		if q.v > best.v {
			best = q
		}
	}
	return best
}

// bisect returns a time in (lo, hi] at which f < limit, within tolerance of
// the crossing, given f(lo) ≥ limit > f(hi).
func bisect(f func(float64) float64, limit, lo, hi float64) float64 {
	for i := 0; i < maxIterates && hi-lo > tolerance; i++ {
		mid := lo + (hi-lo)/2
		if f(mid) >= limit {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
