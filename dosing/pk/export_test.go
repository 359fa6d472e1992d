package pk

// Hooks for the external tests, which check the float64 solution before it
// is rounded into quantities.

// Exact returns Cp and Ce in mg/L (= mcg/mL) at t minutes, unrounded, from
// the closed form.
func (p *Prediction) Exact(t float64) (cp, ce float64) {
	return p.sys.level(p.doses, t, false) / 1000, p.sys.level(p.doses, t, true) / 1000
}

// Amounts returns the amount in each compartment at t minutes, mg.
func (p *Prediction) Amounts(t float64) [3]float64 { return p.sys.amounts(p.doses, t) }
