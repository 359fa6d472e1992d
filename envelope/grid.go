package envelope

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Axis is a range of grid values: From, From + Step, …, up to To, which
// must be a whole number of steps from From. Any field left unset takes
// its default (see Options).
type Axis struct {
	From units.Quantity `json:"from"`
	To   units.Quantity `json:"to"`
	Step units.Quantity `json:"step"`
}

// AxisInfo is an axis as evaluated: its range, how many values it has and
// where each end came from.
type AxisInfo struct {
	Axis
	Count int    `json:"count"`
	Why   string `json:"why"`
}

// Grid is the set of patients an envelope evaluated at each level: every
// combination of its sexes, ages, heights and weights.
type Grid struct {
	Weights AxisInfo     `json:"weights"`
	Heights AxisInfo     `json:"heights"`
	Sexes   []dosing.Sex `json:"sexes"`
	// Ages are in completed years; 0 is "not given" (in JSON, "not
	// given").
	Ages    []dosing.Years `json:"-"`
	AgesWhy string         `json:"ages_why"`

	weights, heights []units.Quantity
}

// MarshalJSON writes the grid with its ages as text: "18 years", "not
// given".
func (g Grid) MarshalJSON() ([]byte, error) {
	type plain Grid // without this method
	ages := make([]string, len(g.Ages))
	for i, a := range g.Ages {
		ages[i] = a.String()
		if a == 0 {
			ages[i] = "not given"
		}
	}
	return json.Marshal(struct {
		plain
		Ages []string `json:"ages"`
	}{plain(g), ages})
}

// Patient is one patient of the grid.
type Patient struct {
	Sex    dosing.Sex     `json:"sex,omitempty"`
	Age    dosing.Years   `json:"age,omitempty"` // absent: not given
	Weight units.Quantity `json:"weight"`
	Height units.Quantity `json:"height"`
}

// Dosing returns the patient as package dosing takes it.
func (p Patient) Dosing() dosing.Patient {
	return dosing.Patient{Weight: p.Weight, Height: p.Height, Sex: p.Sex, AgeYears: p.Age}
}

// String reads "male, 18 years, 80 kg, 175 cm".
func (p Patient) String() string {
	var parts []string
	if p.Sex != 0 {
		parts = append(parts, p.Sex.String())
	}
	parts = append(parts, ageText(p.Age), p.Weight.String(), p.Height.String())
	return strings.Join(parts, ", ")
}

func ageText(y dosing.Years) string {
	if y == 0 {
		return "age not given"
	}
	return y.String()
}

// Limits on the size of a grid: they keep a run's memory and time bounded.
const (
	MaxAxisValues = 2000
	MaxPatients   = 5_000_000
)

// The default steps: a weight to the kilogram and a height to the
// centimetre, finer than scales and stadiometers are read in a clinic
// before rounding matters.
var (
	defaultWeightStep = units.NewInt(1, units.Kilogram)
	defaultHeightStep = units.NewInt(1, units.Centimeter)
)

// The library's hard plausibility bounds on a height (dosing's
// Patient.Validate refuses a patient outside them; a test keeps the two
// the same).
var (
	minHeight = units.NewInt(30, units.Centimeter)
	maxHeight = units.NewInt(275, units.Centimeter)
)

// The adult age the default plausibility bounds are for (dosing warns
// patient.adult_bounds below it).
const adultAge = 18

// resolve builds the grid from the options and the rule: the axes given,
// or their defaults.
func resolve(opt Options, r dosing.Rule) (Grid, error) {
	var errs []error
	var g Grid
	pl := r.Plausibility
	defPl := dosing.DefaultPlausibility()
	wlo, whi := r.Population.Weight, r.Population.Weight
	wFrom, wFromWhy := outer(wlo.HardMin, wlo.SoftMin, "population.weight.hard_min", "population.weight.soft_min")
	if !wFrom.IsValid() {
		wFrom, wFromWhy = plausible(pl.WeightSoftMin, defPl.WeightSoftMin, "plausibility.weight_soft_min")
	}
	wTo, wToWhy := outer(whi.HardMax, whi.SoftMax, "population.weight.hard_max", "population.weight.soft_max")
	if !wTo.IsValid() {
		wTo, wToWhy = plausible(pl.WeightSoftMax, defPl.WeightSoftMax, "plausibility.weight_soft_max")
	}
	var err error
	g.Weights, g.weights, err = axis("weights", opt.Weights, wFrom, wTo, defaultWeightStep, wFromWhy, wToWhy, units.Kilogram.Dimension(), "a body weight (kg or lb)")
	errs = append(errs, err)

	// Heights: the population's, or those at which a weight of the grid
	// can have a BMI within the bounds (the population's, else the
	// plausibility's), within the library's hard bounds.
	var hFrom, hTo units.Quantity
	var hFromWhy, hToWhy string
	h := r.Population.Height
	hFrom, hFromWhy = outer(h.HardMin, h.SoftMin, "population.height.hard_min", "population.height.soft_min")
	hTo, hToWhy = outer(h.HardMax, h.SoftMax, "population.height.hard_max", "population.height.soft_max")
	if (!hFrom.IsValid() || !hTo.IsValid()) && err == nil {
		b := r.Population.BMI
		bmiMax, bmiMaxWhy := outer(b.HardMax, b.SoftMax, "population.bmi.hard_max", "population.bmi.soft_max")
		if !bmiMax.IsValid() {
			bmiMax, bmiMaxWhy = plausible(pl.BMISoftMax, defPl.BMISoftMax, "plausibility.bmi_soft_max")
		}
		bmiMin, bmiMinWhy := outer(b.HardMin, b.SoftMin, "population.bmi.hard_min", "population.bmi.soft_min")
		if !bmiMin.IsValid() {
			bmiMin, bmiMinWhy = plausible(pl.BMISoftMin, defPl.BMISoftMin, "plausibility.bmi_soft_min")
		}
		step := opt.Heights.Step
		if !step.IsValid() || step.Dimension() != units.Centimeter.Dimension() || step.Sign() <= 0 {
			step = defaultHeightStep
		}
		ws := g.weights
		if !hFrom.IsValid() {
			hFrom, hFromWhy = heightAt(ws[0], bmiMax, step, units.RoundDown, bmiMaxWhy)
		}
		if !hTo.IsValid() {
			hTo, hToWhy = heightAt(ws[len(ws)-1], bmiMin, step, units.RoundUp, bmiMinWhy)
		}
	}
	if !hFrom.IsValid() || !hTo.IsValid() { // the weights were refused: no default to offer
		hFrom, hTo = minHeight, maxHeight
		hFromWhy, hToWhy = "the library's hard minimum height", "the library's hard maximum height"
	}
	g.Heights, g.heights, err = axis("heights", opt.Heights, hFrom, hTo, defaultHeightStep, hFromWhy, hToWhy, units.Centimeter.Dimension(), "a height (cm, mm, m, in or ft)")
	errs = append(errs, err)

	g.Sexes = opt.Sexes
	if g.Sexes == nil {
		g.Sexes = []dosing.Sex{dosing.Male, dosing.Female}
	}
	for i, s := range g.Sexes {
		if s != dosing.Male && s != dosing.Female && s != 0 {
			errs = append(errs, &FieldError{Field: "sexes[" + strconv.Itoa(i) + "]", Value: strconv.Itoa(int(s)), Msg: "must be male, female or 0 (not given)", Err: ErrRange})
		}
	}
	if len(g.Sexes) == 0 {
		errs = append(errs, &FieldError{Field: "sexes", Msg: "at least one sex (nil gives male and female)", Err: ErrMissing})
	}
	g.Ages = opt.Ages
	if g.Ages == nil {
		g.Ages, g.AgesWhy = defaultAges(r)
	} else {
		var text []string
		for _, a := range g.Ages {
			text = append(text, ageText(a))
		}
		g.AgesWhy = strings.Join(text, ", ") + ": given"
	}
	for i, a := range g.Ages {
		if a < 0 || a > 130 {
			errs = append(errs, &FieldError{Field: "ages[" + strconv.Itoa(i) + "]", Value: a.String(), Msg: "out of range (0, not given, or 1 to 130 years)", Err: ErrRange})
		}
	}
	if len(g.Ages) == 0 {
		errs = append(errs, &FieldError{Field: "ages", Msg: "at least one age (nil gives the default ages; 0 is not given)", Err: ErrMissing})
	}
	if dup := duplicate(g.Sexes); dup >= 0 {
		errs = append(errs, &FieldError{Field: "sexes[" + strconv.Itoa(dup) + "]", Value: g.Sexes[dup].String(), Msg: "given twice", Err: ErrRange})
	}
	if dup := duplicate(g.Ages); dup >= 0 {
		errs = append(errs, &FieldError{Field: "ages[" + strconv.Itoa(dup) + "]", Value: g.Ages[dup].String(), Msg: "given twice", Err: ErrRange})
	}
	return g, errors.Join(errs...)
}

func duplicate[T comparable](xs []T) int {
	for i := range xs {
		if slices.Contains(xs[:i], xs[i]) {
			return i
		}
	}
	return -1
}

// outer returns the hard bound if set, else the soft one, with its name.
func outer(hard, soft units.Quantity, hardName, softName string) (units.Quantity, string) {
	if hard.IsValid() {
		return hard, hardName + " " + hard.String()
	}
	if soft.IsValid() {
		return soft, softName + " " + soft.String()
	}
	return units.Quantity{}, ""
}

// plausible returns the rule's plausibility bound, or the library's
// default when the rule leaves it unset.
func plausible(q, def units.Quantity, name string) (units.Quantity, string) {
	if q.IsValid() {
		return q, name + " " + q.String()
	}
	return def, name + " " + def.String() + " (library default)"
}

// heightAt returns the height, rounded to the step in the mode given, at
// which weight w has the BMI b: √(w ÷ b), within the library's hard
// bounds. The square root is taken in float64 and the rounding checked
// exactly: this is where the grid ends, not a dose.
func heightAt(w, b, step units.Quantity, mode units.RoundingMode, bWhy string) (units.Quantity, string) {
	kg, err1 := w.Convert(units.Kilogram)
	bmi, err2 := b.Convert(units.KgPerM2)
	if err1 != nil || err2 != nil || bmi.Sign() <= 0 {
		return units.Quantity{}, ""
	}
	cm := 100 * math.Sqrt(kg.Value().InexactFloat64()/bmi.Value().InexactFloat64())
	why := "where " + kg.String() + " has the BMI " + b.String() + " (" + bWhy + ")"
	switch {
	case cm <= minHeight.Value().InexactFloat64():
		return minHeight, why + ", below the library's hard minimum height: " + minHeight.String()
	case cm >= maxHeight.Value().InexactFloat64():
		return maxHeight, why + ", above the library's hard maximum height: " + maxHeight.String()
	}
	exact := units.New(decimal.NewFromFloat(cm), units.Centimeter)
	h, _, err := exact.RoundTo(step, mode)
	if err != nil {
		return units.Quantity{}, ""
	}
	dir := "down"
	if mode == units.RoundUp {
		dir = "up"
	}
	return h, why + ", ≈ " + units.New(decimal.NewFromFloat(cm).Round(1), units.Centimeter).String() + ", rounded " + dir + " to the step"
}

// axis builds one axis from the options, filling unset fields with the
// defaults, and checks it.
func axis(field string, a Axis, from, to, step units.Quantity, fromWhy, toWhy string, dim units.Dimension, want string) (AxisInfo, []units.Quantity, error) {
	var errs []error
	given := func(name string, q units.Quantity) bool {
		if !q.IsValid() {
			return false
		}
		if q.Dimension() != dim {
			errs = append(errs, &FieldError{Field: field + "." + name, Value: q.String(), Msg: "must be " + want, Err: ErrDimension})
			return false
		}
		return true
	}
	if given("step", a.Step) {
		step = a.Step
		if step.Sign() <= 0 {
			errs = append(errs, &FieldError{Field: field + ".step", Value: step.String(), Msg: "must be > 0", Err: ErrRange})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return AxisInfo{}, nil, err
	}
	// Defaults are rounded outwards to a multiple of the step, so that the
	// grid covers the range its ends come from.
	if given("from", a.From) {
		from, fromWhy = a.From, "given"
	} else if r, changed, err := from.RoundTo(step, units.RoundDown); err == nil {
		if changed {
			fromWhy += ", rounded down to the step"
		}
		from = r
	}
	if given("to", a.To) {
		to, toWhy = a.To, "given"
	} else if r, changed, err := to.RoundTo(step, units.RoundUp); err == nil {
		if changed {
			toWhy += ", rounded up to the step"
		}
		to = r
	}
	if err := errors.Join(errs...); err != nil {
		return AxisInfo{}, nil, err
	}
	// One unit for the axis: the step's, so that 5 ft to 6 ft 6 in by
	// 6 in reads 60 in, 66 in, … rather than 5.5 ft.
	u := step.Unit()
	from, err1 := from.Convert(u)
	to, err2 := to.Convert(u)
	if err := errors.Join(err1, err2); err != nil {
		return AxisInfo{}, nil, err
	}
	if from.Sign() <= 0 {
		return AxisInfo{}, nil, &FieldError{Field: field + ".from", Value: from.String(), Msg: "must be > 0", Err: ErrRange}
	}
	if c, ok := compare(from, to); !ok || c > 0 {
		return AxisInfo{}, nil, &FieldError{Field: field + ".from", Value: from.String(), Msg: "must not be above " + field + ".to " + strconv.Quote(to.String()), Err: ErrRange}
	}
	n, rem := to.Value().Sub(from.Value()).QuoRem(step.Value(), 0)
	if !rem.IsZero() {
		return AxisInfo{}, nil, &FieldError{Field: field + ".to", Value: to.String(), Msg: "must be a whole number of " + field + ".step " + strconv.Quote(step.String()) + " from " + field + ".from " + strconv.Quote(from.String()), Err: ErrRange}
	}
	if n.GreaterThanOrEqual(decimal.NewFromInt(MaxAxisValues)) {
		return AxisInfo{}, nil, &FieldError{Field: field, Value: from.String() + " to " + to.String() + " by " + step.String(),
			Msg: "has " + count(int(n.IntPart())+1) + " values (at most " + count(MaxAxisValues) + ")", Err: ErrRange}
	}
	values := make([]units.Quantity, n.IntPart()+1)
	for k := range values {
		values[k] = units.New(from.Value().Add(step.Value().Mul(decimal.NewFromInt(int64(k)))), from.Unit())
	}
	why := "from " + fromWhy + "; to " + toWhy
	if fromWhy == "given" && toWhy == "given" {
		why = "given"
	}
	return AxisInfo{Axis: Axis{From: from, To: to, Step: step}, Count: len(values), Why: why}, values, nil
}

// defaultAges returns the ages at which the rule's result can change:
// either side of each of the population's age bounds, and either side of
// 18 years where the rule leaves a plausibility bound to the library's
// adult defaults. A rule that depends on no age is evaluated without one.
func defaultAges(r dosing.Rule) ([]dosing.Years, string) {
	var ages []dosing.Years
	var why []string
	a := r.Population.Age
	for _, b := range [...]struct {
		name string
		y    dosing.Years
		min  bool
	}{{"hard_min", a.HardMin, true}, {"soft_min", a.SoftMin, true}, {"soft_max", a.SoftMax, false}, {"hard_max", a.HardMax, false}} {
		if b.y == 0 {
			continue
		}
		lo, hi := b.y, b.y+1
		if b.min {
			lo, hi = b.y-1, b.y
		}
		ages = append(ages, lo, hi)
		why = append(why, "population.age."+b.name+" "+b.y.String())
	}
	pl := r.Plausibility
	if !pl.WeightSoftMin.IsValid() || !pl.WeightSoftMax.IsValid() || !pl.BMISoftMin.IsValid() || !pl.BMISoftMax.IsValid() {
		ages = append(ages, adultAge-1, adultAge)
		why = append(why, "the library's adult plausibility defaults (from "+dosing.Years(adultAge).String()+")")
	}
	if len(ages) == 0 {
		return []dosing.Years{0}, "not given: the rule's results depend on no age"
	}
	ages = slices.DeleteFunc(ages, func(y dosing.Years) bool { return y < 1 || y > 130 })
	slices.Sort(ages)
	ages = slices.Compact(ages)
	var text []string
	for _, y := range ages {
		text = append(text, strconv.Itoa(int(y)))
	}
	return ages, strings.Join(text, ", ") + " years: either side of " + strings.Join(why, " and ")
}
