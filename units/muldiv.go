package units

// MulDiv returns q × m ÷ d with a single rounding at the end, so that a
// product such as pump rate × dose ÷ volume is exact whenever the true result
// terminates, even where q × m alone has no unit or m ÷ d does not
// terminate (156 mL/h × 40 mg ÷ 104 mL = 60 mg/h exactly). The result unit
// follows the rules of Mul and Div.
func (q Quantity) MulDiv(m, d Quantity) (Quantity, error) {
	if !q.IsValid() || !m.IsValid() || !d.IsValid() {
		return Quantity{}, &OpError{Op: "muldiv", X: q.String(), Y: m.String() + " ÷ " + d.String(), Msg: "operand is the zero (invalid) Quantity", Err: ErrInvalid}
	}
	if d.v.isZero() {
		return Quantity{}, &OpError{Op: "muldiv", X: q.String(), Y: m.String() + " ÷ " + d.String(), Msg: "division by zero", Err: ErrDivideByZero}
	}
	var t terms
	for i := range t {
		t[i] = tab.terms[q.v.u][i] + tab.terms[m.v.u][i] - tab.terms[d.v.u][i]
	}
	if u, ok := tab.byTerms[t]; ok {
		return mk(decMulDiv(q.v, m.v, d.v), u), nil
	}
	dim := tab.dim[q.v.u].add(tab.dim[m.v.u], 1).add(tab.dim[d.v.u], -1)
	u, ok := tab.byDim[dim]
	if !ok {
		return Quantity{}, &DimensionError{Op: "muldiv", X: q.String(), Y: m.String() + " ÷ " + d.String(), XDim: q.Dimension(), YDim: m.Dimension().add(d.Dimension(), -1),
			Msg: "no unit for the result's dimension " + dim.String()}
	}
	return mk(ratio([]dec{q.v, m.v, tab.numD[q.v.u], tab.numD[m.v.u], tab.denD[d.v.u], tab.denD[u]},
		[]dec{d.v, tab.denD[q.v.u], tab.denD[m.v.u], tab.numD[d.v.u], tab.numD[u]}), u), nil
}

// DivTo returns q ÷ o expressed in unit to, with a single rounding: 104 mL ÷
// 156 mL/h in minutes is exactly 40 min, where Div then Convert would round
// the hours first.
func (q Quantity) DivTo(o Quantity, to Unit) (Quantity, error) {
	if !q.IsValid() || !o.IsValid() {
		return Quantity{}, invalidOp("div", q, o)
	}
	if !to.IsValid() {
		return Quantity{}, &OpError{Op: "div", X: q.String(), Y: o.String(), Msg: "unknown target unit", Err: ErrUnknownUnit}
	}
	if o.v.isZero() {
		return Quantity{}, &OpError{Op: "div", X: q.String(), Y: o.String(), Msg: "division by zero", Err: ErrDivideByZero}
	}
	if r := tab.div[q.v.u][o.v.u]; r.how == none || tab.dim[r.u] != tab.dim[to] {
		dim := tab.dim[q.v.u].add(tab.dim[o.v.u], -1)
		return Quantity{}, &DimensionError{Op: "div", X: q.String(), Y: o.String(), XDim: q.Dimension(), YDim: o.Dimension(),
			Msg: "the quotient is " + dim.String() + ", not " + tab.dim[to].String() + " (" + to.String() + ")"}
	}
	return mk(ratio([]dec{q.v, tab.numD[q.v.u], tab.denD[o.v.u], tab.denD[to]}, []dec{o.v, tab.denD[q.v.u], tab.numD[o.v.u], tab.numD[to]}), to), nil
}
