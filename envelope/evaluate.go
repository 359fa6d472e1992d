package envelope

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// Options choose the grid, the levels and the extras of an evaluation.
// The zero Options evaluate the default grid at every level.
type Options struct {
	// Weights and Heights are the grid's axes. An unset From or To takes
	// the protocol's population bound (the hard one, else the soft one);
	// where the population states none, the weights span the plausibility
	// soft bounds (the protocol's, else the library's 30–250 kg) and the
	// heights run from where the lightest weight has the highest
	// plausible BMI to where the heaviest has the lowest (60 and 15
	// kg/m² by default), within the library's 30–275 cm. Defaults are
	// rounded outwards to the step. The steps default to 1 kg and 1 cm.
	Weights, Heights Axis
	// Sexes defaults to male and female (0 is "not given").
	Sexes []dosing.Sex
	// Ages defaults to the ages either side of each of the population's
	// age bounds and, where the protocol leaves a plausibility bound to
	// the library's adult defaults, 17 and 18 years; to "not given" (0)
	// when nothing depends on the age.
	Ages []dosing.Years
	// Levels are the titration levels to evaluate, 1 the first; nil is
	// every level. A protocol without a ladder has one level, its dose.
	Levels []int
	// PK, when set, predicts every result's peak plasma level (Cmax)
	// from the administrations the pump runs (pk.FromResult).
	PK *pk.Model
	// Keep lists outputs (see Outputs) whose value at every patient the
	// envelope keeps, for Plot; the status is always kept.
	Keep []string
	// Workers is the number of goroutines that calculate; 0 is
	// runtime.GOMAXPROCS(0). The envelope is the same for any number.
	Workers int
	// Progress, when set, is called from Evaluate's goroutine after each
	// grid row with the patients done so far and the total.
	Progress func(done, total int)
}

// Envelope is a protocol evaluated over a grid of patients at each
// titration level: the range of every output with the patients at its
// extremes, and the regions of the grid where something happened (a
// refusal, a review warning, a cap, a stretched duration). Every number
// in it comes from dosing.Calculate, exactly; the only float64 values are
// the PK model's and those kept for colouring a plot.
type Envelope struct {
	Notice     string            `json:"notice"`
	Provenance dosing.Provenance `json:"provenance"`
	Drug       string            `json:"drug,omitempty"`
	Route      string            `json:"route,omitempty"`
	Grid       Grid              `json:"grid"`
	PK         *PKInfo           `json:"pk,omitempty"`
	Patients   int               `json:"patients"` // at every level together
	Levels     []Level           `json:"levels"`

	sets   []setInfo // the distinct sets of conditions, by id
	keys   []keyInfo // the conditions, by id
	output []output
}

// PKInfo names the model that predicted Cmax.
type PKInfo struct {
	Model    string `json:"model"`
	Citation string `json:"citation"`
	Label    string `json:"label"` // pk.Estimate
}

// Level is the envelope at one titration level.
type Level struct {
	Number int `json:"level"` // 1 is the first of the ladder
	// Dose is the level's dose (0.6 mg/kg); unset for a banded rule,
	// whose dose comes from the band.
	Dose     units.Quantity `json:"dose,omitzero"`
	Patients int            `json:"patients"`
	Within   int            `json:"within_limits"` // a result with no review warning
	Review   int            `json:"needs_review"`  // a result with a review warning
	Refused  int            `json:"refused"`       // no result
	Ranges   []Range        `json:"ranges"`
	Regions  []Region       `json:"regions"`

	cells []uint32             // set id of every patient, in grid order
	kept  map[string][]float64 // kept outputs, NaN where a patient has none
}

// Range is the range of one output over the results of a level.
type Range struct {
	Output   string  `json:"output"` // "dose", "rounding.pump_rate", "cmax"
	Name     string  `json:"name"`   // "dose", "pump rate rounding"
	Patients int     `json:"patients"`
	Min      Extreme `json:"min"`
	Max      Extreme `json:"max"`
}

// Extreme is the least or greatest value of an output, how many patients
// have it, and where they are in the grid (described as a region is).
type Extreme struct {
	Value    units.Quantity `json:"value"`
	Patients int            `json:"patients"`
	Where    []Part         `json:"where"`
}

// Region is where one condition holds at a level: a warning's key
// ("dose.capped", "dose_per_kg.soft_max"), a refusal
// ("refused:limit.pump_rate.hard_max", "refused:population.age.hard_min")
// or "within_limits". Parts describe it exactly, slice by slice.
type Region struct {
	Key      string   `json:"key"`
	Severity Severity `json:"severity"`
	What     string   `json:"what"`
	Patients int      `json:"patients"`
	// BoundMin and BoundMax are the least and greatest bound the
	// condition names over the region (a cap of 100 mg; a cap per kg
	// differs from patient to patient), where it is a quantity; Bound is
	// the bound as text where it is not (an age).
	BoundMin units.Quantity `json:"bound_min,omitzero"`
	BoundMax units.Quantity `json:"bound_max,omitzero"`
	Bound    string         `json:"bound,omitempty"`
	// Example is the library's message for the first patient of the
	// region in grid order.
	Example string `json:"example,omitempty"`
	Parts   []Part `json:"parts"`
}

// Contains reports whether a patient of the grid is in the region, read
// from its description.
func (r Region) Contains(p Patient) bool {
	for _, pt := range r.Parts {
		if pt.contains(p) {
			return true
		}
	}
	return false
}

// Evaluate evaluates the protocol over the grid the options describe, at
// each titration level, with dosing.Calculate for every patient. Bad
// options are *FieldErrors, all at once.
func Evaluate(p *schedule.Protocol, opt Options) (*Envelope, error) {
	rule := p.Rule()
	var levels []units.Quantity
	if t := p.Titration; t != nil {
		levels = t.Steps
	}
	env, err := evaluate(rule, levels, opt)
	if err != nil {
		return nil, err
	}
	env.Provenance.SHA256 = p.SHA256()
	return env, nil
}

// leaves flattens joined errors.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// level is one level to evaluate.
type level struct {
	number int
	dose   units.Quantity
	opt    dosing.Options
}

// evaluate is Evaluate for a rule and its ladder (nil: the rule's dose).
func evaluate(rule dosing.Rule, ladder []units.Quantity, opt Options) (*Envelope, error) {
	if err := rule.Validate(); err != nil {
		return nil, err
	}
	g, err := resolve(opt, rule)
	errs := leaves(err)
	var lv []level
	if len(ladder) == 0 {
		lv = []level{{number: 1, dose: rule.Dose}}
	} else {
		for i, d := range ladder {
			lv = append(lv, level{number: i + 1, dose: d, opt: dosing.Options{Dose: d}})
		}
	}
	if opt.Levels != nil {
		var chosen []level
		for i, n := range opt.Levels {
			switch {
			case n < 1 || n > len(lv):
				errs = append(errs, &FieldError{Field: "levels[" + strconv.Itoa(i) + "]", Value: strconv.Itoa(n), Msg: "is not a level (1 to " + strconv.Itoa(len(lv)) + ")", Err: ErrRange})
			case slices.Contains(opt.Levels[:i], n):
				errs = append(errs, &FieldError{Field: "levels[" + strconv.Itoa(i) + "]", Value: strconv.Itoa(n), Msg: "given twice", Err: ErrRange})
			default:
				chosen = append(chosen, lv[n-1])
			}
		}
		if len(opt.Levels) == 0 {
			errs = append(errs, &FieldError{Field: "levels", Msg: "at least one level (nil is every level)", Err: ErrMissing})
		}
		slices.SortFunc(chosen, func(a, b level) int { return a.number - b.number })
		lv = chosen
	}
	outs := outputsFor(rule, opt.PK != nil)
	keep := make([]bool, len(outs))
	for i, k := range opt.Keep {
		j := slices.IndexFunc(outs, func(o output) bool { return o.id == k })
		if j < 0 {
			errs = append(errs, &FieldError{Field: "keep[" + strconv.Itoa(i) + "]", Value: k, Msg: "is not an output of the rule (" + strings.Join(Outputs(rule, opt.PK != nil), ", ") + ")", Err: ErrRange})
			continue
		}
		keep[j] = true
	}
	if opt.Workers < 0 {
		errs = append(errs, &FieldError{Field: "workers", Value: strconv.Itoa(opt.Workers), Msg: "must be ≥ 0 (0 is one per CPU)", Err: ErrRange})
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	perLevel := len(g.Sexes) * len(g.Ages) * len(g.heights) * len(g.weights)
	if perLevel*len(lv) > MaxPatients {
		return nil, &FieldError{Field: "grid", Value: count(perLevel*len(lv)) + " patients", Msg: "is too large (at most " + count(MaxPatients) + "; use larger steps or fewer levels)", Err: ErrRange}
	}
	ev := &evaluator{rule: rule, grid: g, levels: lv, outputs: outs, keep: keep, model: opt.PK,
		idealSwitch: rule.Weight.Basis == dosing.LesserActualIdeal || rule.Weight.Basis == dosing.Actual && rule.Weight.IdealWhenBMIAtLeast.IsValid()}
	rows := ev.run(opt.Workers, opt.Progress)
	env := ev.assemble(rows)
	if m := opt.PK; m != nil {
		env.PK = &PKInfo{Model: m.Parameters().Name, Citation: m.Parameters().Citation, Label: pk.Estimate}
	}
	return env, nil
}

// evaluator holds what every row of an evaluation reads. Nothing in it
// changes once the rows start.
type evaluator struct {
	rule        dosing.Rule
	grid        Grid
	levels      []level
	outputs     []output
	keep        []bool
	model       *pk.Model
	idealSwitch bool // the policy can switch from the actual to the ideal weight
}

func (ev *evaluator) dims() (s, a, h, w int) {
	g := ev.grid
	return len(g.Sexes), len(g.Ages), len(g.heights), len(g.weights)
}

// rowCount is the number of grid rows: one per level, sex, age and height.
func (ev *evaluator) rowCount() int {
	s, a, h, _ := ev.dims()
	return len(ev.levels) * s * a * h
}

// run evaluates every row with the given number of goroutines and
// returns the rows in grid order.
func (ev *evaluator) run(workers int, progress func(done, total int)) []rowOut {
	n := ev.rowCount()
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	rows := make([]rowOut, n)
	jobs := make(chan int)
	done := make(chan struct{}, workers)
	for range workers {
		go func() {
			cache := pkCache{}
			for r := range jobs {
				rows[r] = ev.row(r, cache) // each row is written by one goroutine only
				done <- struct{}{}
			}
		}()
	}
	go func() {
		for r := range n {
			jobs <- r
		}
		close(jobs)
	}()
	_, _, _, w := ev.dims()
	for i := range n {
		<-done
		if progress != nil {
			progress((i+1)*w, n*w)
		}
	}
	return rows
}

// rowOut is what one grid row (a level, sex, age and height, every
// weight) found: each patient's set of conditions, by ids local to the
// row, and the extremes of the outputs over the row.
type rowOut struct {
	keys []condition // the row's conditions, first seen first; bound and message of the first patient
	bmin []units.Quantity
	bmax []units.Quantity
	sets [][]uint16 // the row's distinct sets of conditions
	cell []uint16   // each patient's set
	ext  []extremes // per output
	kept [][]float64
}

// extremes are the least and greatest value of an output.
type extremes struct {
	n        int
	min, max extreme
}

// extreme is the least or greatest value of an output over a row: the
// value, and the weights of the row that have it.
type extreme struct {
	value units.Quantity
	at    []uint64 // bit w: weight w
}

// offer takes the value at weight w; dir is −1 for a minimum, +1 for a
// maximum.
func (e *extreme) offer(v units.Quantity, w, nw, dir int) {
	c := 1
	if e.value.IsValid() {
		d, ok := compare(v, e.value)
		if !ok {
			return // not a value of this output: never an extreme of it
		}
		c = d * dir
	}
	switch {
	case c > 0:
		if e.at == nil {
			e.at = make([]uint64, (nw+63)/64)
		} else {
			clear(e.at)
		}
		e.value = v
		fallthrough
	case c == 0:
		e.at[w/64] |= 1 << (w % 64)
	}
}

// levelExtreme is an extreme over a level: the value and the rows (by
// their index within the level) that have it, each with its weights.
type levelExtreme struct {
	value units.Quantity
	rows  []int
	at    [][]uint64
}

// merge takes the extreme of a later row.
func (e *levelExtreme) merge(o extreme, row, dir int) {
	if !o.value.IsValid() {
		return
	}
	c := 1
	if e.value.IsValid() {
		d, ok := compare(o.value, e.value)
		if !ok {
			return
		}
		c = d * dir
	}
	switch {
	case c > 0:
		e.value, e.rows, e.at = o.value, e.rows[:0], e.at[:0]
		fallthrough
	case c == 0:
		e.rows = append(e.rows, row)
		e.at = append(e.at, o.at)
	}
}

// pkCache holds the Cmax of each weight, age and set of administrations a
// worker has predicted: a prediction depends on nothing else, so the
// patients of a weight column whose results give the same
// administrations share one.
type pkCache map[string]pkOut

type pkOut struct {
	cmax  units.Quantity
	conds []condition
}

// maxPKCache bounds a worker's cache; it starts again when full.
const maxPKCache = 1 << 16

// row evaluates grid row r: every weight at one level, sex, age and
// height.
func (ev *evaluator) row(r int, cache pkCache) rowOut {
	ns, na, nh, nw := ev.dims()
	h := r % nh
	a := (r / nh) % na
	s := (r / nh / na) % ns
	lv := ev.levels[r/nh/na/ns]
	g := ev.grid
	out := rowOut{cell: make([]uint16, nw), ext: make([]extremes, len(ev.outputs))}
	for k, keep := range ev.keep {
		if keep {
			if out.kept == nil {
				out.kept = make([][]float64, len(ev.outputs))
			}
			out.kept[k] = make([]float64, nw)
		}
	}
	setIDs := map[string]uint16{}
	conds := make([]condition, 0, 8)
	ids := make([]uint16, 0, 8)
	var buf []byte
	for w := range nw {
		p := dosing.Patient{Weight: g.weights[w], Height: g.heights[h], Sex: g.Sexes[s], AgeYears: g.Ages[a]}
		res, err := dosing.Calculate(ev.rule, p, lv.opt)
		conds = conds[:0]
		if err != nil {
			conds = refusals(err, conds)
		} else {
			for _, wn := range res.Warnings {
				sev := Review
				if wn.Severity == dosing.Info {
					sev = Info
				}
				conds = append(conds, condition{key: wn.Key, severity: sev, bound: wn.Bound, message: wn.Message})
			}
			if ev.idealSwitch && res.Weight.Basis == dosing.Ideal {
				conds = append(conds, condition{key: keyIdeal, severity: Info, message: res.Weight.Reason})
			}
			for k := range ev.outputs {
				var v units.Quantity
				if ev.outputs[k].kind == outCmax {
					var pc []condition
					v, pc = ev.cmax(cache, p, res)
					conds = append(conds, pc...)
				} else {
					v = ev.outputs[k].value(&res)
				}
				if out.kept != nil && out.kept[k] != nil {
					out.kept[k][w] = math.NaN()
					if v.IsValid() {
						out.kept[k][w] = v.Value().InexactFloat64()
					}
				}
				if !v.IsValid() {
					continue
				}
				e := &out.ext[k]
				e.n++
				e.min.offer(v, w, nw, -1)
				e.max.offer(v, w, nw, 1)
			}
		}
		if err != nil && out.kept != nil {
			for k := range out.kept {
				if out.kept[k] != nil {
					out.kept[k][w] = math.NaN()
				}
			}
		}
		ids = ids[:0]
		for _, c := range conds {
			// A row meets a handful of conditions: a scan beats a map.
			i := slices.IndexFunc(out.keys, func(k condition) bool { return k.key == c.key })
			if i < 0 {
				i = len(out.keys)
				out.keys = append(out.keys, c)
				out.bmin = append(out.bmin, c.bound)
				out.bmax = append(out.bmax, c.bound)
			}
			id := uint16(i)
			if c.bound.IsValid() {
				if !out.bmin[id].IsValid() || below(c.bound, out.bmin[id]) {
					out.bmin[id] = c.bound
				}
				if !out.bmax[id].IsValid() || above(c.bound, out.bmax[id]) {
					out.bmax[id] = c.bound
				}
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		buf = buf[:0]
		for _, id := range ids {
			buf = append(buf, byte(id>>8), byte(id))
		}
		set, ok := setIDs[string(buf)]
		if !ok {
			set = uint16(len(out.sets))
			setIDs[string(buf)] = set
			out.sets = append(out.sets, slices.Clone(ids))
		}
		out.cell[w] = set
	}
	return out
}

// cmax predicts the peak plasma level of a result, with the model's
// warnings as conditions.
func (ev *evaluator) cmax(cache pkCache, p dosing.Patient, res dosing.Result) (units.Quantity, []condition) {
	admins, err := pk.FromResult(res)
	if err != nil {
		return units.Quantity{}, []condition{{key: keyPKError, severity: Info, message: err.Error()}}
	}
	var key strings.Builder
	key.WriteString(p.Weight.Text())
	key.WriteString("|" + strconv.Itoa(int(p.AgeYears)))
	for _, a := range admins {
		key.WriteString("|" + a.Start.Text() + "," + a.Amount.Text() + "," + a.Duration.Text())
	}
	if o, ok := cache[key.String()]; ok {
		return o.cmax, o.conds
	}
	var o pkOut
	pred, err := ev.model.Predict(p, admins)
	var peak pk.Sample
	if err == nil {
		peak, err = pred.Peak(pk.Plasma)
	}
	if err != nil {
		o.conds = []condition{{key: keyPKError, severity: Info, message: err.Error()}}
	} else {
		o.cmax = peak.Cp
		for _, w := range pred.Warnings {
			o.conds = append(o.conds, condition{key: prefixPKWarn + w.Key, severity: Info, message: w.Message})
		}
	}
	if len(cache) >= maxPKCache {
		clear(cache)
	}
	cache[key.String()] = o
	return o.cmax, o.conds
}
