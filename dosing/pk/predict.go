package pk

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

// Estimate labels every predicted concentration: population models predict
// a typical patient's level, not this patient's.
const Estimate = "model estimate, not a measured level"

// Administration is one intravenous dose into the central compartment on the
// prediction's clock: a bolus when Duration is unset, otherwise a zero-order
// infusion of Amount over Duration.
//
// Amount is a drug mass (mg, mcg, g) or a dose per kilogram (mg/kg, mcg/kg),
// which is multiplied by the patient's weight. Start and Duration take any
// time unit. An infusion whose Duration is 0 is predicted as a bolus at
// Start, and the prediction says so in a warning.
type Administration struct {
	Start    units.Quantity `json:"start"`             // time from the clock's origin; required
	Amount   units.Quantity `json:"amount"`            // mg, or mg/kg of the patient's weight
	Duration units.Quantity `json:"duration,omitzero"` // unset for a bolus
}

// Bolus returns a bolus of amount at time 0.
func Bolus(amount units.Quantity) Administration {
	return Administration{Start: units.NewInt(0, units.Minute), Amount: amount}
}

// Infusion returns an infusion of amount over the given duration starting at
// time 0, so a calculated dose and its infusion duration become an
// administration in one line: pk.Infusion(dose, duration).
func Infusion(amount, over units.Quantity) Administration {
	return Administration{Start: units.NewInt(0, units.Minute), Amount: amount, Duration: over}
}

// Warning is a finding that does not stop the prediction: a covariate
// outside the model's validity range, or an infusion of zero duration
// predicted as a bolus. Key is stable; Message is for people.
type Warning struct {
	Key     string `json:"key"`
	Message string `json:"message"`
}

// Warning codes.
const (
	WarnWeightOutOfRange = "weight_out_of_range"
	WarnAgeOutOfRange    = "age_out_of_range"
	WarnAgeNotGiven      = "age_not_given"
	WarnZeroDuration     = "zero_duration_infusion"
)

func (w Warning) String() string { return w.Message }

// Kinetics is the model individualized for the patient, for display and for
// cross-checks against published values, as Prediction.Kinetics returns it.
type Kinetics struct {
	Volumes    []units.Quantity `json:"volumes"`      // V1, V2, V3 in L, at 0.001 L
	Clearances []units.Quantity `json:"clearances"`   // CL, Q2, Q3 in mL/min, at 0.1 mL/min
	HalfLives  []units.Quantity `json:"half_lives"`   // disposition half-lives in min, fastest first, at 0.01 min
	Ke0        units.Quantity   `json:"ke0,omitzero"` // /min; the zero Quantity without an effect site
}

// Sample is the predicted concentration at one time, in ng/mL at 0.01 ng/mL.
// Both values are model estimates, not measured levels.
type Sample struct {
	Time units.Quantity `json:"time"`
	Cp   units.Quantity `json:"cp"`          // plasma
	Ce   units.Quantity `json:"ce,omitzero"` // effect site; the zero Quantity without ke0
}

// Site selects plasma (Cp) or the effect site (Ce).
type Site uint8

const (
	_ Site = iota
	Plasma
	EffectSite
)

func (s Site) String() string {
	switch s {
	case Plasma:
		return "plasma"
	case EffectSite:
		return "effect site"
	}
	return "invalid site"
}

// Prediction is a model's prediction for one patient and a list of
// administrations. Its exported fields describe it; its methods evaluate the
// exact solution on demand from unexported state that nothing changes, so
// they are safe for concurrent use.
//
// The float64 methods (Level, Levels, PeakLevel) give full-precision
// values in ng/mL; the Quantity methods (At, Curve, Peak, EndOfInfusion,
// TimeBelow) round them for display at the precisions of the package
// documentation.
type Prediction struct {
	Model           *Model           `json:"-"`
	ModelName       string           `json:"model"`
	Citation        string           `json:"citation"`
	Label           string           `json:"label"` // always Estimate
	Weight          units.Quantity   `json:"weight"`
	Administrations []Administration `json:"administrations"` // as given
	Warnings        []Warning        `json:"warnings"`        // never nil

	sys   system
	doses []dose
	end   float64 // min: the end of the last administration
	last  int     // which administration ends last
}

// MarshalJSON writes the exported fields and the kinetics.
func (p *Prediction) MarshalJSON() ([]byte, error) {
	k, err := p.Kinetics()
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		ModelName       string           `json:"model"`
		Citation        string           `json:"citation"`
		Label           string           `json:"label"`
		Weight          units.Quantity   `json:"weight"`
		Administrations []Administration `json:"administrations"`
		Kinetics        Kinetics         `json:"kinetics"`
		Warnings        []Warning        `json:"warnings"`
	}{p.ModelName, p.Citation, p.Label, p.Weight, p.Administrations, k, p.Warnings})
}

// Limits on the size of one prediction; they keep the work bounded.
const (
	maxAdministrations = 1000
	maxPoints          = 100000
	maxDays            = 365 // of the clock, and of a search after the last administration
	maxMinutes         = maxDays * 24 * 60
)

// Read-only bounds.
var (
	maxTime   = units.NewInt(maxDays, units.Day)
	maxAmount = units.NewInt(1000000, units.Milligram)
)

// Predict returns the predicted plasma (and, with ke0, effect-site)
// concentrations for the patient after the administrations, by
// superposition of exact closed-form solutions. The patient's weight is
// required; the age (Patient.Age: AgeYears, or BirthDate and AsOf) is used
// only to check the parameter set's validity range; height and sex are not
// covariates of these models. Every bad input is reported at once as
// *FieldError values joined with errors.Join; covariates outside the
// model's validity range are warnings, not errors.
func (m *Model) Predict(pt dosing.Patient, admins []Administration) (*Prediction, error) {
	c := &checker{}
	kg := c.positive("weight", pt.Weight, units.Kilogram, "a body weight", maxWeight)
	age, known := pt.Age()
	if pt.AgeYears != 0 && pt.BirthDate.IsZero() {
		age, known = int(pt.AgeYears), true // Age ignores a negative AgeYears: refuse it here
	}
	if known && (age < 0 || age > maxAgeYears) {
		c.add(fieldError("age_years", strconv.Itoa(age), "0 (not given) to 150 years", ErrRange))
	}
	if !known || age < 0 {
		age = 0
	}
	switch {
	case len(admins) == 0:
		c.add(fieldError("administrations", "", "1 to 1000 administrations", ErrMissing))
	case len(admins) > maxAdministrations:
		c.add(fieldError("administrations", strconv.Itoa(len(admins))+" administrations", "1 to 1000 administrations", ErrRange))
		return nil, c.err()
	}
	p := &Prediction{
		Model:           m,
		ModelName:       m.p.Name,
		Citation:        m.p.Citation,
		Label:           Estimate,
		Weight:          pt.Weight,
		Administrations: append([]Administration(nil), admins...),
		Warnings:        m.validityWarnings(pt.Weight, kg, age),
		doses:           make([]dose, 0, len(admins)),
	}
	type input struct{ start, mg, dur float64 }
	var buf [4]input
	ins := buf[:0]
	for i, a := range admins {
		n := len(c.errs)
		in := input{start: c.time("start", a.Start, true)}
		in.mg = c.amount("amount", a.Amount, pt.Weight)
		if a.Duration.IsValid() {
			in.dur = c.time("duration", a.Duration, false)
			if a.Duration.Sign() == 0 {
				p.Warnings = append(p.Warnings, Warning{WarnZeroDuration, fmt.Sprintf(
					"administrations[%d]: an infusion over %v is predicted as a bolus at %v", i, a.Duration, a.Start)})
			}
		}
		ins = append(ins, in)
		c.within(n, "administrations", i)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	p.sys = m.individual(kg)
	for i, in := range ins {
		d := p.sys.bolus(in.start, in.mg)
		if in.dur > 0 {
			d = p.sys.infusion(in.start, in.mg, in.dur)
		}
		p.doses = append(p.doses, d)
		if end := in.start + in.dur; i == 0 || end > p.end {
			p.end, p.last = end, i
		}
	}
	return p, nil
}

// Kinetics returns the model individualized for the patient: volumes at
// 0.001 L, clearances at 0.1 mL/min, half-lives at 0.01 min.
func (p *Prediction) Kinetics() (Kinetics, error) {
	s := &p.sys
	k := Kinetics{
		Volumes:    make([]units.Quantity, 0, s.n),
		Clearances: make([]units.Quantity, 0, s.n),
		HalfLives:  make([]units.Quantity, 0, s.n),
	}
	var err error
	add := func(dst *[]units.Quantity, x float64, places int32, u units.Unit) {
		q, e := round(x, places, u, false)
		err = errors.Join(err, e)
		*dst = append(*dst, q)
	}
	for i := 0; i < s.n; i++ {
		add(&k.Volumes, s.v[i], 3, units.Liter)
		add(&k.Clearances, s.q[i]*1000, 1, units.MLPerMin)
		add(&k.HalfLives, math.Ln2/s.rates[i], 2, units.Minute)
	}
	if s.ke0 > 0 {
		k.Ke0, _ = p.Model.p.Ke0.Convert(units.PerMinute) // checked by New
	}
	return k, err
}

// time checks a time on the prediction's clock and returns it in minutes.
// A time well inside the bound is checked in float64, without allocating;
// one near the bound, or refused, takes the exact path.
func (c *checker) time(field string, q units.Quantity, required bool) float64 {
	if !q.IsValid() {
		if required {
			c.add(fieldError(field, "", "a time of at least 0 min, e.g. \"0 min\"", ErrMissing))
		}
		return 0
	}
	if secondsPer(q.Unit()) > 0 && q.Sign() >= 0 {
		if m := minutes(q); m < maxMinutes*(1-1e-9) {
			return m
		}
	}
	n := len(c.errs)
	c.value(field, q, units.Minute, "a time", true, maxTime)
	if len(c.errs) > n {
		return 0
	}
	return minutes(q)
}

// amount checks a dose (a drug mass, or a drug mass per kg of weight) and
// returns it in mg.
func (c *checker) amount(field string, q units.Quantity, weight units.Quantity) float64 {
	const kind = "a drug mass (mg, mcg, g) or a dose per kg (mg/kg, mcg/kg)"
	if !q.IsValid() {
		c.add(fieldError(field, "", kind, ErrMissing))
		return 0
	}
	perKg := q.Dimension() == units.MgPerKg.Dimension()
	if q.Dimension() != units.Milligram.Dimension() && !perKg {
		c.add(fieldError(field, q.String(), kind, ErrDimension))
		return 0
	}
	if q.Sign() <= 0 {
		c.add(fieldError(field, q.String(), "greater than 0 "+q.Unit().String(), ErrRange))
		return 0
	}
	mg := q
	if perKg {
		kg, err := weight.Convert(units.Kilogram)
		if err != nil || kg.Sign() <= 0 {
			return 0 // the weight's own error says why
		}
		mg, _ = q.Mul(kg) // mg/kg × kg or mcg/kg × kg: a drug mass
	}
	mg, _ = mg.Convert(units.Milligram)
	x := mg.InexactFloat64()
	if x > 1000000*(1-1e-9) { // near or past the bound: compare exactly
		if over, _ := mg.Cmp(maxAmount); over > 0 {
			c.add(fieldError(field, q.String(), "at most "+maxAmount.String()+" in one administration", ErrRange))
			return 0
		}
	}
	return x
}

// validityWarnings returns the warnings for a patient outside the model's
// validity range: never nil, so JSON writes [] rather than null.
func (m *Model) validityWarnings(weight units.Quantity, kg float64, age int) []Warning {
	ws := []Warning{}
	v := m.p.Validity
	if kg > 0 && (v.MinWeight.IsValid() || v.MaxWeight.IsValid()) {
		lo, _ := v.MinWeight.Convert(units.Kilogram)
		hi, _ := v.MaxWeight.Convert(units.Kilogram)
		if lo.IsValid() && kg < lo.InexactFloat64() || hi.IsValid() && kg > hi.InexactFloat64() {
			ws = append(ws, Warning{WarnWeightOutOfRange, fmt.Sprintf(
				"weight %v is outside the %s model's validity range (%s)", weight, m.p.Name, weightRange(v))})
		}
	}
	if v.MinAgeYears == 0 && v.MaxAgeYears == 0 {
		return ws
	}
	switch a := age; {
	case a == 0:
		ws = append(ws, Warning{WarnAgeNotGiven, fmt.Sprintf(
			"age not given: the %s model's validity range (%s) was not checked", m.p.Name, ageRange(v))})
	case a < v.MinAgeYears || v.MaxAgeYears > 0 && a > v.MaxAgeYears:
		ws = append(ws, Warning{WarnAgeOutOfRange, fmt.Sprintf(
			"age %d years is outside the %s model's validity range (%s)", a, m.p.Name, ageRange(v))})
	}
	return ws
}

func weightRange(v Validity) string {
	switch {
	case v.MinWeight.IsValid() && v.MaxWeight.IsValid():
		return v.MinWeight.String() + " to " + v.MaxWeight.String()
	case v.MinWeight.IsValid():
		return "from " + v.MinWeight.String()
	}
	return "up to " + v.MaxWeight.String()
}

func ageRange(v Validity) string {
	switch {
	case v.MinAgeYears > 0 && v.MaxAgeYears > 0:
		return strconv.Itoa(v.MinAgeYears) + " to " + strconv.Itoa(v.MaxAgeYears) + " years"
	case v.MinAgeYears > 0:
		return "from " + strconv.Itoa(v.MinAgeYears) + " years"
	}
	return "up to " + strconv.Itoa(v.MaxAgeYears) + " years"
}

// At returns the predicted concentrations at time t on the prediction's
// clock, rounded for display. A bolus given at t is included.
func (p *Prediction) At(t units.Quantity) (Sample, error) {
	c := &checker{}
	m := c.time("time", t, true)
	if err := c.err(); err != nil {
		return Sample{}, err
	}
	return p.sample(t, m)
}

// Curve returns the predicted concentrations from one time to another,
// inclusive, every step, rounded for display: from, from + step, … up to
// to. Times are exact, in the finest time unit of the three arguments. A
// curve has at most 100,000 points. Each sample equals At at its time.
func (p *Prediction) Curve(from, to, step units.Quantity) ([]Sample, error) {
	g, err := newGrid(from, to, step)
	if err != nil {
		return nil, err
	}
	cp := make([]float64, g.n)
	p.sys.fill(p.doses, g, false, cp)
	var ce []float64
	if p.sys.ke0 > 0 {
		ce = make([]float64, g.n)
		p.sys.fill(p.doses, g, true, ce)
	}
	at, _ := exactTimes(from, step)
	out := make([]Sample, g.n)
	for k := range out {
		s := &out[k]
		s.Time = at(int64(k))
		if s.Cp, err = p.render(cp[k], s.Time, false); err != nil {
			return nil, err
		}
		if ce != nil {
			if s.Ce, err = p.render(ce[k], s.Time, true); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// render rounds a level computed by the stepping of fill for display. The
// stepping and the closed form that At evaluates agree to about 1e−13; a
// value within 1e−9 of a rounding tie is evaluated again in the closed form
// at the time At would read, so that a curve and At never round one instant
// differently.
func (p *Prediction) render(x float64, t units.Quantity, effect bool) (units.Quantity, error) {
	if nearTie(x) {
		x = p.sys.level(p.doses, minutes(t), effect)
	}
	return round(x, 2, units.NgPerML, false)
}

// nearTie reports whether x ng/mL is within a relative 1e−9 of a tie of
// the rounding at 0.01 ng/mL.
func nearTie(x float64) bool {
	scaled := x * 100
	frac := scaled - math.Floor(scaled)
	return math.Abs(frac-0.5) <= 1e-9*math.Abs(scaled)
}

// EndOfInfusion returns the predicted concentrations at the end of the last
// administration, rounded for display: the end of the last infusion, or the
// last bolus.
func (p *Prediction) EndOfInfusion() (Sample, error) {
	t := endOf(p.Administrations[p.last])
	return p.sample(t, minutes(t)) // the instant At(t) reads
}

// endOf returns the exact time an administration's input ends, in the finer
// unit of its start and duration.
func endOf(a Administration) units.Quantity {
	if !a.Duration.IsValid() {
		return a.Start
	}
	u := finest(a.Start.Unit(), a.Duration.Unit())
	s, _ := a.Start.Convert(u) // exact: to a finer time unit
	d, _ := a.Duration.Convert(u)
	e, _ := s.Add(d)
	return e
}

// Peak returns the highest predicted concentration at the site (Cmax) and
// when it occurs (tmax), for display. The sample is evaluated at the time
// it shows, so it equals At(tmax): tmax is PeakLevel's time rounded to
// 0.1 min, or to the first of 0.01, 0.001, … 0.0000001 min at which the
// level still rounds to the highest level found (a sharp peak, or one at
// the end of an infusion that is off the 0.1-min grid, needs the finer
// time).
func (p *Prediction) Peak(site Site) (Sample, error) {
	pt, err := p.PeakLevel(site)
	if err != nil {
		return Sample{}, err
	}
	effect := site == EffectSite
	want, err := round(pt.Value, 2, units.NgPerML, false)
	if err != nil {
		return Sample{}, err
	}
	for places := int32(1); ; places++ {
		tq, err := round(pt.Time, places, units.Minute, false)
		if err != nil {
			return Sample{}, err
		}
		m := minutes(tq)
		got, err := round(p.sys.level(p.doses, m, effect), 2, units.NgPerML, false)
		if err != nil {
			return Sample{}, err
		}
		if got.Equal(want) || places == peakPlaces {
			return p.sample(tq, m)
		}
	}
}

// peakPlaces is the finest resolution of tmax, 1e−7 min: the tolerance of
// the peak search.
const peakPlaces = 7

// TimeBelow returns the time after which the predicted concentration at the
// site stays below threshold (in min, rounded up to 0.1 min, so the
// concentration is below the threshold at the time returned). For a single
// administration this is the time it falls below the threshold after the
// peak. reached is false, and the time the zero Quantity, when the
// concentration never reaches the threshold.
func (p *Prediction) TimeBelow(site Site, threshold units.Quantity) (t units.Quantity, reached bool, err error) {
	if err := p.checkSite(site); err != nil {
		return units.Quantity{}, false, err
	}
	c := &checker{}
	if !threshold.IsValid() {
		c.add(fieldError("threshold", "", "a concentration greater than 0 ng/mL", ErrMissing))
	} else {
		c.value("threshold", threshold, units.NgPerML, "a concentration", false, units.NewInt(1000000000, units.NgPerML))
	}
	if err := c.err(); err != nil {
		return units.Quantity{}, false, err
	}
	ng, _ := threshold.Convert(units.NgPerML)
	below, ok := p.below(searcher{p, site == EffectSite}, ng.InexactFloat64())
	if !ok {
		return units.Quantity{}, false, nil
	}
	if math.IsInf(below, 1) {
		return units.Quantity{}, false, fieldError("threshold", threshold.String(),
			"a concentration the level falls below within 365 days of the last administration", ErrRange)
	}
	t, err = round(below, 1, units.Minute, true)
	return t, err == nil, err
}

// checkSite refuses a site the prediction cannot evaluate.
func (p *Prediction) checkSite(s Site) error {
	switch s {
	case Plasma:
		return nil
	case EffectSite:
		if p.sys.ke0 == 0 {
			return fieldError("site", s.String(), "plasma; the "+p.ModelName+" model has no ke0", ErrNoEffectSite)
		}
		return nil
	}
	return fieldError("site", s.String(), "plasma or effect site", ErrRange)
}

// sample evaluates both sites at min, the float64 reading of tq, and rounds
// them for display.
func (p *Prediction) sample(tq units.Quantity, min float64) (Sample, error) {
	a, e := p.sys.state(p.doses, min, p.sys.ke0 > 0)
	s := Sample{Time: tq}
	var cp, ce float64
	for i := 0; i < p.sys.modes; i++ {
		cp += p.sys.c[i] * a[i]
		ce += p.sys.c[i] * e[i]
	}
	var err1, err2 error
	s.Cp, err1 = round(cp, 2, units.NgPerML, false)
	if p.sys.ke0 > 0 {
		s.Ce, err2 = round(ce, 2, units.NgPerML, false)
	}
	return s, errors.Join(err1, err2)
}

// round turns a float64 result into a quantity at the given number of
// decimal places: half away from zero, or up (toward +∞) when up is set.
func round(x float64, places int32, u units.Unit, up bool) (units.Quantity, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return units.Quantity{}, fmt.Errorf("%w: %v %v", ErrNumeric, x, u)
	}
	scaled := x * math.Pow10(int(places))
	if up {
		scaled = math.Ceil(scaled)
	} else {
		scaled = math.Round(scaled)
	}
	if math.Abs(scaled) < 1<<53 {
		return units.New(decimal.New(int64(scaled), -places), u), nil
	}
	d := decimal.NewFromFloat(x)
	if up {
		return units.New(d.RoundCeil(places), u), nil
	}
	return units.New(d.Round(places), u), nil
}

// events returns the distinct times at which input starts or stops, sorted.
func (p *Prediction) events() []float64 {
	var ts []float64
	for _, d := range p.doses {
		ts = append(ts, d.start, d.start+d.dur)
	}
	sort.Float64s(ts)
	out := ts[:1]
	for _, t := range ts[1:] {
		if t != out[len(out)-1] {
			out = append(out, t)
		}
	}
	return out
}
