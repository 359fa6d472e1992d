package main

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

func convertCommand() command {
	return command{
		name:     "convert",
		summary:  "convert between units, and between dose, pump and drip rates",
		synopsis: "doseplan convert QUANTITY UNIT [--weight W] [--concentration C] [--drop-factor F] [--duration T] [--json]",
		about: `Converts a quantity to another unit exactly: "12.5 mcg/kg/min" to mg/kg/h,
176lb to kg, 5ft10in to cm. Conversions that need an outside number take it
from a flag, and only then:

  dose rate per kg  ⇄ dose rate   with --weight         (mcg/kg/min ⇄ mg/h)
  dose rate         ⇄ pump rate   with --concentration  (mg/h ⇄ mL/h)
  pump rate         ⇄ drip rate   with --drop-factor    (mL/h ⇄ gtt/min)
  amount            ⇄ rate        with --duration       (mg/kg ⇄ mg/kg/h)

The same chain works for amounts (mg/kg ⇄ mg ⇄ mL ⇄ gtt), and the steps are
combined as needed: mcg/kg/min to mL/h takes --weight and --concentration.
Every step is shown. A flag the conversion does not use is an error, so that
a number is never silently ignored. Results with more than four decimal
places are shown rounded and marked ≈, with the exact value when it has one;
--json keeps every digit.`,
		examples: []string{
			`doseplan convert "12.5 mcg/kg/min" mg/kg/h`,
			`doseplan convert "2 mcg/kg/min" mL/h --weight 70kg --concentration 1mg/mL`,
			`doseplan convert "24.5 mL/h" mcg/kg/min --weight 70kg --concentration 1mg/mL`,
			`doseplan convert "156 mL/h" gtt/min --drop-factor 20gtt/mL`,
			`doseplan convert "0.5 mg/kg" mcg/kg/min --duration 40min`,
		},
		exits: "0 done; 1 the conversion is impossible (different kinds of quantity); 2 usage error",
		setup: func(f *flagSet) func(*env, []string) int {
			f.heading("Outside numbers")
			weight := f.quantity("weight", "W", "body weight, between per-kg and absolute doses and rates: 80kg, 176lb", kWeight())
			conc := f.quantity("concentration", "C", "concentration, between drug amounts and volumes: 1mg/mL", kConcentration())
			drop := f.quantity("drop-factor", "F", "the IV set's drop factor, between volumes and drops: 20gtt/mL", kDropFactor())
			dur := f.quantity("duration", "T", "duration, between amounts and rates: 40min, 4h", kDuration())
			f.heading("Output")
			asJSON := f.boolean("json", "write JSON (schema doseplan/convert/v1)")
			return func(e *env, args []string) int {
				if n := len(args); n >= 3 && args[n-2] == "to" {
					args = append(args[:n-2:n-2], args[n-1])
				}
				if len(args) == 3 && isNumber(args[0]) {
					args = []string{args[0] + " " + args[1], args[2]}
				}
				var in units.Quantity
				var to units.Unit
				if len(args) != 2 {
					f.errs = append(f.errs, fmt.Sprintf("convert takes a quantity and a unit (got %d arguments): doseplan convert \"12.5 mcg/kg/min\" mg/kg/h", len(args)))
				} else {
					var msg string
					if in, msg = readQuantity(args[0], qkind{what: "a quantity", example: "12.5 mcg/kg/min"}); msg != "" {
						f.errs = append(f.errs, fmt.Sprintf("%q: %s", args[0], msg))
					}
					u, err := units.ParseUnit(strings.TrimSpace(args[1]))
					if err != nil {
						msg := err.Error()
						var pe *units.ParseError
						if errors.As(err, &pe) {
							msg = pe.Msg
							if pe.Fix != "" {
								msg += "; write " + strconv.Quote(pe.Fix)
							}
						}
						f.errs = append(f.errs, fmt.Sprintf("unit %q: %s", args[1], msg))
					}
					to = u
				}
				if len(f.errs) > 0 {
					return e.usageError("convert", f.errs...)
				}
				needed, err := route(in, to)
				if err != nil {
					return e.failWith("convert", *asJSON, err)
				}
				for _, n := range []string{"weight", "concentration", "drop-factor", "duration"} {
					switch {
					case needed[n] && !f.given(n):
						f.errs = append(f.errs, fmt.Sprintf("converting %s to %s needs --%s: %s", in.Unit(), to, n, f.fs.Lookup(n).Usage))
					case !needed[n] && f.given(n):
						f.errs = append(f.errs, fmt.Sprintf("--%s %q is not used converting %s to %s; leave it out", n, f.seen[n], in.Unit(), to))
					}
				}
				if len(f.errs) > 0 {
					return e.usageError("convert", f.errs...)
				}
				c := converter{weight: *weight, conc: *conc, drop: *drop, dur: *dur}
				doc, err := c.convert(in, to)
				if err != nil {
					return e.failWith("convert", *asJSON, err)
				}
				return e.output(*asJSON, doc, doc.write)
			}
		},
	}
}

// The chain of conversions: a drug amount per kg, a drug amount, a volume,
// drops; each as an amount or as a rate (per unit of time). One unit of each
// names its dimension.
func amountChain() [4]units.Unit {
	return [4]units.Unit{units.MgPerKg, units.Milligram, units.Milliliter, units.Drop}
}

func rateChain() [4]units.Unit {
	return [4]units.Unit{units.MgPerKgPerHour, units.MgPerHour, units.MLPerHour, units.DropsPerMin}
}

// classify places a dimension in the chain.
func classify(d units.Dimension) (level int, rate, ok bool) {
	amounts, rates := amountChain(), rateChain()
	for i := range amounts {
		if amounts[i].Dimension() == d {
			return i, false, true
		}
		if rates[i].Dimension() == d {
			return i, true, true
		}
	}
	return 0, false, false
}

// converter converts along the chain with the outside numbers given,
// recording each step.
type converter struct {
	weight, conc, drop, dur units.Quantity
	steps                   []convertStep
	inexact                 bool // a step did not terminate (kept at units.Places)
}

// convertStep is one operation of a conversion.
type convertStep struct {
	Operation string         `json:"operation"`       // "×", "÷" or "convert"
	Left      units.Quantity `json:"left"`            // the value so far
	Right     units.Quantity `json:"right,omitzero"`  // the outside number; absent for a unit conversion
	Given     string         `json:"given,omitempty"` // the flag the outside number came from
	Result    units.Quantity `json:"result"`
	Exact     bool           `json:"exact"` // false: the result does not terminate and is kept at 30 decimal places
}

// convertDoc is the JSON document of "doseplan convert" (doseplan/convert/v1).
type convertDoc struct {
	Schema  string         `json:"schema"`
	Notice  string         `json:"notice"`
	Input   units.Quantity `json:"input"`
	Unit    string         `json:"unit"`
	Steps   []convertStep  `json:"steps"`
	Result  units.Quantity `json:"result"`
	Exact   bool           `json:"exact"`
	Display string         `json:"display"`
}

// chainOp is one operation with an outside number.
type chainOp struct {
	op   string // "×" or "÷"
	flag string
	q    units.Quantity
}

// op applies one operation; the last one divides straight into the target
// unit, so that a quotient is rounded at most once.
func (c *converter) op(o chainOp, left units.Quantity, to units.Unit, last bool) (units.Quantity, error) {
	var r units.Quantity
	var err error
	exact := true
	switch {
	case o.op == "×":
		r, err = left.Mul(o.q)
		if err == nil {
			back, berr := r.DivTo(o.q, left.Unit())
			exact = berr == nil && cmpEqual(back, left)
		}
	case last:
		r, err = left.DivTo(o.q, to)
	default:
		r, err = left.Div(o.q)
	}
	if err != nil {
		return units.Quantity{}, err
	}
	if o.op == "÷" {
		back, berr := r.Mul(o.q)
		exact = berr == nil && cmpEqual(back, left)
	}
	c.inexact = c.inexact || !exact
	c.steps = append(c.steps, convertStep{Operation: o.op, Left: left, Right: o.q, Given: "--" + o.flag, Result: r, Exact: exact})
	return r, nil
}

func cmpEqual(a, b units.Quantity) bool {
	c, err := a.Cmp(b)
	return err == nil && c == 0
}

// route returns the outside numbers (by flag name) a conversion of q to
// unit to needs, or an error when no chain of them links the two.
func route(q units.Quantity, to units.Unit) (map[string]bool, error) {
	need := map[string]bool{}
	if q.Dimension() == to.Dimension() {
		return need, nil
	}
	from, fromRate, ok1 := classify(q.Dimension())
	want, wantRate, ok2 := classify(to.Dimension())
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("cannot convert %s to %s: %s and %s are different kinds of quantity, and no outside number links them",
			q, to, q.Dimension(), to.Dimension())
	}
	if fromRate != wantRate {
		need["duration"] = true
	}
	for l := min(from, want); l < max(from, want); l++ {
		need[[3]string{"weight", "concentration", "drop-factor"}[l]] = true
	}
	return need, nil
}

// convert converts q to unit to along the chain; the outside numbers it
// needs (see route) are set. Multiplications come first and divisions last,
// the duration last of all, so that a quotient that does not terminate is
// rounded once, at the end, rather than carried through the other steps:
// 1 mg/kg × 80 kg = 80 mg, ÷ 10 mg/mL = 8 mL, ÷ 30 min = 16 mL/h.
func (c *converter) convert(q units.Quantity, to units.Unit) (convertDoc, error) {
	doc := convertDoc{Schema: schemaName("convert"), Notice: dosing.Notice, Input: q, Unit: to.String()}
	var ops []chainOp
	if q.Dimension() != to.Dimension() {
		from, fromRate, _ := classify(q.Dimension())
		want, wantRate, _ := classify(to.Dimension())
		for l := from; l < want; l++ {
			ops = append(ops, [3]chainOp{{"×", "weight", c.weight}, {"÷", "concentration", c.conc}, {"×", "drop-factor", c.drop}}[l])
		}
		for l := from; l > want; l-- {
			ops = append(ops, [3]chainOp{{"÷", "weight", c.weight}, {"×", "concentration", c.conc}, {"÷", "drop-factor", c.drop}}[l-1])
		}
		if fromRate && !wantRate {
			ops = append([]chainOp{{"×", "duration", c.dur}}, ops...)
		}
		if !fromRate && wantRate {
			ops = append(ops, chainOp{"÷", "duration", c.dur})
		}
		sort.SliceStable(ops, func(i, j int) bool { return ops[i].op == "×" && ops[j].op == "÷" })
	}
	cur := q
	for i, o := range ops {
		var err error
		if cur, err = c.op(o, cur, to, i == len(ops)-1); err != nil {
			return doc, err
		}
	}
	if cur.Unit() != to || len(ops) == 0 {
		r, err := cur.Convert(to)
		if err != nil {
			return doc, err
		}
		exact := cmpEqual(r, cur)
		c.inexact = c.inexact || !exact
		c.steps = append(c.steps, convertStep{Operation: "convert", Left: cur, Result: r, Exact: exact})
		cur = r
	}
	doc.Steps, doc.Result, doc.Exact = c.steps, cur, !c.inexact
	doc.Display = show(cur)
	if !doc.Exact && !strings.HasPrefix(doc.Display, "≈") {
		doc.Display = "≈ " + doc.Display
	}
	return doc, nil
}

// write writes the conversion for people.
func (d convertDoc) write(w io.Writer) error {
	if len(d.Steps) > 1 || d.Steps[0].Operation != "convert" {
		for _, s := range d.Steps {
			if s.Operation == "convert" {
				fmt.Fprintf(w, "%s = %s\n", show(s.Left), show(s.Result))
				continue
			}
			res := show(s.Result)
			if !s.Exact && !strings.HasPrefix(res, "≈") {
				res = "≈ " + res
			}
			fmt.Fprintf(w, "%s %s %s = %s   (%s)\n", show(s.Left), s.Operation, show(s.Right), res, s.Given)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s = %s\n", show(d.Input), d.Display)
	if strings.HasPrefix(d.Display, "≈") {
		if d.Exact {
			fmt.Fprintf(w, "exact: %s\n", d.Result)
		} else {
			fmt.Fprintln(w, "(the exact value does not terminate; shown to four decimal places)")
		}
	}
	fmt.Fprintf(w, "\n%s\n", d.Notice)
	return nil
}
