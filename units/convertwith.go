package units

import (
	"errors"
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// Factor is an outside number a conversion may multiply or divide by: a
// patient's weight, a concentration, an IV set's drop factor, a duration, a
// pump rate. The caller names it; ConvertWith decides from the dimensions
// alone whether and how to use it, which is why this is unit algebra and
// lives here: it knows nothing clinical.
type Factor struct {
	// Name says what the factor is, in the steps and the errors ("weight",
	// "--concentration").
	Name string
	// Value is the factor. The zero Quantity means it was not given; then
	// Dims says what it could be, so that a conversion that needs it can
	// name it.
	Value Quantity
	// Per, when set, divides Value: "250 mg in 500 mL" is Value 250 mg, Per
	// 500 mL. The two are kept apart so that the conversion stays exact
	// where their quotient does not terminate (1 g in 3 mL).
	Per Quantity
	// Dims are the dimensions a factor that was not given may have.
	Dims []Dimension
}

// Step is one step of a Conversion.
type Step struct {
	Op     string   // "×" or "÷" by a factor, or "=" for a change of unit only
	Factor string   // the factor's Name; "" for a change of unit
	By     Quantity // the factor (Value ÷ Per when Per is set, rounded at Places if that does not terminate)
	Why    string   // what the step does to the dimension: "cancels per body mass", "drug mass becomes volume"
	// Result is the value after the step, in a unit of the table: the unit
	// the terms leave, else the preferred unit of its dimension, and the
	// target unit after the last step. It is the zero Quantity where no
	// unit has the step's dimension; the conversion never needs one.
	Result Quantity
	// Exact is false when Result did not terminate within Places decimal
	// places and is rounded there. The next step goes on from the exact
	// value, never from this rounding.
	Exact bool
}

// Conversion is a quantity converted with outside numbers, step by step.
type Conversion struct {
	Input Quantity
	Steps []Step
	// Result is the converted value in the target unit: exact when Exact,
	// otherwise the exact value rounded once, half away from zero, at
	// Places.
	Result Quantity
	// Exact reports that Result is the exact value: it terminates within
	// Places decimal places. It is never claimed for a value that was cut.
	Exact bool
	// Unused names the factors that were given and are not needed.
	Unused []string
	// Missing names the factors the conversion needs and were not given;
	// ConvertWith then returns an error and no Result.
	Missing []string
}

// Bounds of ConvertWith's search: every combination of the factors is
// tried, so their number is bounded.
const (
	maxFactors = 8
	maxChoices = 1 << 16
)

// ConvertWith converts q to unit to, multiplying or dividing by as few of
// the factors as the dimensions require, each at most once:
//
//	5 mcg/kg/min × 50 kg ÷ 0.8 mg/mL × 60 gtt/mL = 18.75 gtt/min
//	500 mL ÷ 125 mL/h = 4 h
//
// Where a change of unit is enough, no factor is used. A factor is used only
// if every way with fewer factors fails; factors that were given are
// preferred to ones that were not, and a conversion that needs one that was
// not given returns a Conversion naming it in Missing with an error. Two
// equally short ways are an error, never a choice. A way in which some of
// the factors divide the input's own dimension away (40 mg ÷ 25 mg/h ÷ 1 h
// × 80 kg "=" 128 kg) computes the target from the factors alone and is no
// conversion: it is never taken.
//
// The arithmetic is exact rational arithmetic throughout: no intermediate
// is rounded, and none needs a unit of the table, so the order of the steps
// is chosen for reading (each intermediate in a unit where one exists).
// Result and each step's value are rounded once, at Places, only where
// they do not terminate, and then Exact is false.
//
// A factor that is zero or negative is refused with its name; every such
// factor is reported at once.
func (q Quantity) ConvertWith(to Unit, factors ...Factor) (Conversion, error) {
	if !q.IsValid() {
		return Conversion{}, invalidOp("convert", q, Quantity{})
	}
	if !to.IsValid() {
		return Conversion{}, &OpError{Op: "convert", X: q.String(), Y: to.String(), Msg: "unknown target unit", Err: ErrUnknownUnit}
	}
	if len(factors) > maxFactors {
		return Conversion{}, &OpError{Op: "convert", X: q.String(), Y: to.String(), Msg: "more than " + itoa(maxFactors) + " factors", Err: ErrRange}
	}
	if err := checkFactors(factors); err != nil {
		return Conversion{}, err
	}
	c := Conversion{Input: q}
	plan, err := solve(q, to, factors)
	if err != nil {
		return c, err
	}
	for i, f := range factors {
		if f.Value.IsValid() && plan.exp[i] == 0 {
			c.Unused = append(c.Unused, f.Name)
		}
		if !f.Value.IsValid() && plan.exp[i] != 0 {
			c.Missing = append(c.Missing, f.Name)
		}
	}
	if len(c.Missing) > 0 {
		return c, &DimensionError{Op: "convert", X: q.String(), Y: to.String(), XDim: q.Dimension(), YDim: to.Dimension(),
			Msg: "needs " + strings.Join(c.Missing, ", ")}
	}
	c.Steps, c.Result, c.Exact = run(q, to, factors, plan)
	return c, nil
}

// checkFactors refuses factors that are not positive, all at once.
func checkFactors(factors []Factor) error {
	var errs []error
	for _, f := range factors {
		if !f.Value.IsValid() && f.Per.IsValid() {
			errs = append(errs, &OpError{Op: "convert", X: f.Per.String(), Msg: f.Name + ": a divisor (Per) without a value", Err: ErrInvalid})
		}
		for _, v := range []Quantity{f.Value, f.Per} {
			if v.IsValid() && v.Sign() <= 0 {
				errs = append(errs, &OpError{Op: "convert", X: v.String(), Msg: f.Name + " must be greater than 0", Err: ErrRange})
			}
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// factorDim is the dimension of a given factor.
func factorDim(f Factor) Dimension {
	d := f.Value.Dimension()
	if f.Per.IsValid() {
		d = d.add(f.Per.Dimension(), -1)
	}
	return d
}

// plan is a way to convert: the exponent (−1, 0, +1) of each factor and, for
// a factor not given, the dimension it was taken to have.
type plan struct {
	exp []int8
	dim []Dimension
}

// solve finds the shortest plan, preferring given factors.
func solve(q Quantity, to Unit, factors []Factor) (plan, error) {
	type option struct {
		exp int8
		dim Dimension
	}
	opts := make([][]option, len(factors))
	choices := 1
	for i, f := range factors {
		opts[i] = []option{{}}
		dims := f.Dims
		if f.Value.IsValid() {
			dims = []Dimension{factorDim(f)}
		}
		for _, d := range dims {
			opts[i] = append(opts[i], option{1, d}, option{-1, d})
		}
		if choices *= len(opts[i]); choices > maxChoices {
			return plan{}, &OpError{Op: "convert", X: q.String(), Y: to.String(), Msg: "too many ways to combine the factors", Err: ErrRange}
		}
	}
	want := to.Dimension()
	var best []plan
	bestMissing, bestSize := len(factors)+1, len(factors)+1
	cur := plan{exp: make([]int8, len(factors)), dim: make([]Dimension, len(factors))}
	var walk func(i int, d Dimension, missing, size int)
	walk = func(i int, d Dimension, missing, size int) {
		if missing > bestMissing || missing == bestMissing && size > bestSize {
			return
		}
		if i == len(factors) {
			if d != want || cur.cancels(q.Dimension()) {
				return
			}
			if missing < bestMissing || size < bestSize {
				best, bestMissing, bestSize = nil, missing, size
			}
			best = append(best, plan{exp: slices.Clone(cur.exp), dim: slices.Clone(cur.dim)})
			return
		}
		for _, o := range opts[i] {
			cur.exp[i], cur.dim[i] = o.exp, o.dim
			m, s := missing, size
			if o.exp != 0 {
				s++
				if !factors[i].Value.IsValid() {
					m++
				}
			}
			walk(i+1, d.add(o.dim, o.exp), m, s)
		}
		cur.exp[i], cur.dim[i] = 0, Dimension{}
	}
	walk(0, q.Dimension(), 0, 0)
	switch {
	case len(best) == 0:
		msg := "conversions that need an outside number (a weight, a concentration, a drop factor) are done with Mul or Div"
		if len(factors) > 0 {
			names := make([]string, len(factors))
			for i, f := range factors {
				names[i] = f.Name
			}
			msg = "no combination of " + strings.Join(names, ", ") + " links them"
		}
		return plan{}, &DimensionError{Op: "convert", X: q.String(), Y: to.String(), XDim: q.Dimension(), YDim: to.Dimension(), Msg: msg}
	case len(best) > 1:
		// In the factors' order: a way that uses an earlier factor first.
		slices.SortStableFunc(best, func(x, y plan) int {
			for i := range x.exp {
				if (x.exp[i] != 0) != (y.exp[i] != 0) {
					if x.exp[i] != 0 {
						return -1
					}
					return 1
				}
			}
			return 0
		})
		ways := make([]string, len(best))
		for i, p := range best {
			ways[i] = p.describe(factors)
		}
		return plan{}, &DimensionError{Op: "convert", X: q.String(), Y: to.String(), XDim: q.Dimension(), YDim: to.Dimension(),
			Msg: "the factors link them in more than one way (" + strings.Join(ways, "; or ") + "): give only the factors meant", Ways: ways}
	}
	return best[0], nil
}

// cancels reports whether some of the plan's factors together divide the
// input's own dimension away (÷ a rate ÷ a duration is ÷ an amount): such a
// plan computes the target from the factors alone, scaled by a bare ratio
// (40 mg ÷ 25 mg/h ÷ 1 h × 80 kg "=" 128 kg), which is no conversion of
// the input.
func (p plan) cancels(in Dimension) bool {
	if in == (Dimension{}) {
		return false
	}
	var used []int
	for i, e := range p.exp {
		if e != 0 {
			used = append(used, i)
		}
	}
	inverse := Dimension{}.add(in, -1)
	for set := 1; set < 1<<len(used); set++ {
		var d Dimension
		for k, i := range used {
			if set&(1<<k) != 0 {
				d = d.add(p.dim[i], p.exp[i])
			}
		}
		if d == inverse {
			return true
		}
	}
	return false
}

func (p plan) describe(factors []Factor) string {
	var parts []string
	for i, e := range p.exp {
		switch e {
		case 1:
			parts = append(parts, "× "+factors[i].Name)
		case -1:
			parts = append(parts, "÷ "+factors[i].Name)
		}
	}
	if len(parts) == 0 {
		return "no factor"
	}
	return strings.Join(parts, " ")
}

// run carries out a plan whose factors are all given.
func run(q Quantity, to Unit, factors []Factor, p plan) ([]Step, Quantity, bool) {
	var order []int
	for i, e := range p.exp {
		if e != 0 {
			order = append(order, i)
		}
	}
	order = readableOrder(q, to, factors, p, order)
	value := baseRat(q)
	if len(order) == 0 {
		r, exact := ratQuantity(value, to)
		return []Step{{Op: "=", Result: r, Exact: exact}}, r, exact
	}
	steps := make([]Step, 0, len(order))
	u, d := q.v.u, q.Dimension()
	for k, i := range order {
		f, e := factors[i], p.exp[i]
		fv := baseRat(f.Value)
		by := f.Value
		if f.Per.IsValid() {
			fv.Quo(fv, baseRat(f.Per))
			by, _ = f.Value.Div(f.Per)
		}
		s := Step{Op: "×", Factor: f.Name, By: by}
		if e > 0 {
			value.Mul(value, fv)
		} else {
			s.Op = "÷"
			value.Quo(value, fv)
		}
		next := d.add(factorDim(f), e)
		s.Why = why(d, next)
		switch {
		case k == len(order)-1:
			u = to
		default:
			u = stepUnit(u, by.v.u, e, next)
		}
		if u.IsValid() {
			s.Result, s.Exact = ratQuantity(value, u)
		}
		steps = append(steps, s)
		d = next
	}
	last := steps[len(steps)-1]
	return steps, last.Result, last.Exact
}

// stepUnit is the unit an intermediate is shown in: the one the terms of
// the previous unit and the factor's leave, else the preferred unit of its
// dimension; invalidUnit when no unit has it.
func stepUnit(prev, by Unit, e int8, d Dimension) Unit {
	var t terms
	for i := range t {
		t[i] = tab.terms[prev][i] + e*tab.terms[by][i]
	}
	if u, ok := tab.byTerms[t]; ok {
		return u
	}
	return tab.byDim[d]
}

// readableOrder orders the steps so that as many intermediates as possible
// have a unit of the table, keeping the factors' own order among equals.
func readableOrder(q Quantity, to Unit, factors []Factor, p plan, order []int) []int {
	if len(order) < 2 {
		return order
	}
	best, bestScore := slices.Clone(order), -1
	perm := slices.Clone(order)
	var try func(k int, d Dimension, score int)
	used := make([]bool, len(order))
	try = func(k int, d Dimension, score int) {
		if k == len(order) {
			if score > bestScore {
				best, bestScore = slices.Clone(perm), score
			}
			return
		}
		for j, i := range order {
			if used[j] {
				continue
			}
			used[j] = true
			perm[k] = i
			next := d.add(factorDim(factors[i]), p.exp[i])
			s := score
			if _, ok := tab.byDim[next]; ok || k == len(order)-1 {
				s++
			}
			try(k+1, next, s)
			used[j] = false
		}
	}
	try(0, q.Dimension(), 0)
	return best
}

// why says what a step does to the dimension d, which becomes next.
func why(d, next Dimension) string {
	a, b := d.exps(), next.exps()
	var gone, came, lost, got []string
	for i := range a {
		switch {
		case a[i] == b[i]:
		case a[i] == 1 && b[i] == 0:
			gone = append(gone, dimNames[i])
		case a[i] == 0 && b[i] == 1:
			came = append(came, dimNames[i])
		case a[i] == -1 && b[i] == 0:
			lost = append(lost, dimNames[i])
		case a[i] == 0 && b[i] == -1:
			got = append(got, dimNames[i])
		default:
			return d.String() + " becomes " + next.String()
		}
	}
	switch {
	case len(gone) == 1 && len(came) == 1 && len(lost)+len(got) == 0:
		return gone[0] + " becomes " + came[0]
	case len(lost) == 1 && len(got) == 1 && len(gone)+len(came) == 0:
		return "per " + lost[0] + " becomes per " + got[0]
	case len(lost) == 1 && len(gone)+len(came)+len(got) == 0:
		return "cancels per " + lost[0]
	case len(got) == 1 && len(gone)+len(came)+len(lost) == 0:
		return "per " + got[0]
	case len(gone) == 1 && len(got) == 1 && len(came)+len(lost) == 0:
		return gone[0] + " becomes per " + got[0]
	case len(came) == 1 && len(lost) == 1 && len(gone)+len(got) == 0:
		return "per " + lost[0] + " becomes " + came[0]
	}
	return d.String() + " becomes " + next.String()
}

// baseRat is q in the base unit of its dimension, exactly.
func baseRat(q Quantity) *big.Rat {
	r := q.v.decimal().Rat()
	return r.Mul(r, new(big.Rat).Quo(tab.num[q.v.u].Rat(), tab.den[q.v.u].Rat()))
}

// ratQuantity is the base value r in unit u: exact when it terminates within
// Places, otherwise rounded half away from zero at Places.
func ratQuantity(r *big.Rat, u Unit) (Quantity, bool) {
	v := new(big.Rat).Mul(r, new(big.Rat).Quo(tab.den[u].Rat(), tab.num[u].Rat()))
	num, den := decimal.NewFromBigInt(v.Num(), 0), decimal.NewFromBigInt(v.Denom(), 0)
	if den.Equal(decimal.New(1, 0)) {
		return mk(decOf(num), u), true
	}
	d := num.DivRound(den, Places)
	exact := d.Mul(den).Equal(num)
	if exact {
		d = trimZeros(d)
	}
	return mk(decOf(d), u), exact
}

// trimZeros drops trailing zeros of the coefficient: 18.750 → 18.75.
func trimZeros(d decimal.Decimal) decimal.Decimal {
	c, e := d.Coefficient(), d.Exponent()
	ten, r := big.NewInt(10), new(big.Int)
	for e < 0 && c.Sign() != 0 {
		q, m := new(big.Int).QuoRem(c, ten, r)
		if m.Sign() != 0 {
			break
		}
		c, e = q, e+1
	}
	if c.Sign() == 0 {
		e = 0
	}
	return decimal.NewFromBigInt(c, e)
}
