package dosing

import "slices"

// Clone returns a copy of r that shares no slice or pointer with it, so that
// a caller may change the copy (package schedule hands one out for every
// Protocol.Rule) without changing r. Quantities are immutable values and are
// copied as they are.
func (r Rule) Clone() Rule {
	r.Bands = slices.Clone(r.Bands)
	r.DoseRounding = clonePtr(r.DoseRounding)
	r.Form = clonePtr(r.Form)
	if p := r.Preparation; p != nil {
		c := *p
		c.Bag, c.Syringe = clonePtr(p.Bag), clonePtr(p.Syringe)
		c.Stocks = slices.Clone(p.Stocks)
		r.Preparation = &c
	}
	if in := r.Infusion; in != nil {
		c := *in
		c.Loading = clonePtr(in.Loading)
		r.Infusion = &c
	}
	return r
}

// clonePtr returns a pointer to a copy of *p, or nil.
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
