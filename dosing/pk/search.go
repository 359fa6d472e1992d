package pk

import "math"

// Searches for the peak and for the last crossing of a threshold.
//
// While drug goes in, a concentration is a sum of exponentials with terms of
// either sign between events (a bolus given during an infusion can make it
// fall and rise again), so it is sampled on a grid whose points include
// every event and refined around each local maximum. After the last
// administration every mode only decays, so Cp falls monotonically, and Ce
// has at most one maximum: dCe/dt = ke0·(Cp − Ce) is 0 only where
// d²Ce/dt² = ke0·dCp/dt < 0. There the searches are exact up to their
// tolerance.

type point struct{ t, v float64 }

const (
	gridPoints  = 512  // samples over the administrations in all
	minPerGap   = 8    // and at least this many between two events
	tolerance   = 1e-7 // min: the width at which golden-section and bisection stop
	firstStep   = 1e-3 // min: the first step of a bracket search after the last administration
	maxIterates = 200
)

// peak returns where f is highest, and its value.
func (p *Prediction) peak(f func(float64) float64) (t, v float64) {
	grid, maxima := p.scan(f)
	best := p.postPeak(f)
	for _, pts := range [][]point{grid, maxima} {
		for _, q := range pts {
			if q.v > best.v {
				best = q
			}
		}
	}
	return best.t, best.v
}

// below returns the time after which f stays below limit, or ok = false if f
// never reaches limit. It returns +Inf if f is still at or above limit a
// year after the last administration.
func (p *Prediction) below(f func(float64) float64, limit float64) (t float64, ok bool) {
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
	grid, maxima := p.scan(f)
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

// scan samples f over the administrations and refines each local maximum of
// the samples on both sides.
func (p *Prediction) scan(f func(float64) float64) (grid, maxima []point) {
	ev := p.events()
	total := ev[len(ev)-1] - ev[0]
	for k := 0; k+1 < len(ev); k++ {
		a, b := ev[k], ev[k+1]
		n := max(minPerGap, int(math.Ceil(gridPoints*(b-a)/total)))
		for i := 0; i < n; i++ {
			t := a + (b-a)*float64(i)/float64(n)
			grid = append(grid, point{t, f(t)})
		}
	}
	grid = append(grid, point{ev[len(ev)-1], f(ev[len(ev)-1])})
	for i := 1; i+1 < len(grid); i++ {
		if grid[i].v >= grid[i-1].v && grid[i].v >= grid[i+1].v {
			maxima = append(maxima, golden(f, grid[i-1].t, grid[i].t), golden(f, grid[i].t, grid[i+1].t))
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
