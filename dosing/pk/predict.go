package pk

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

// Estimate labels every predicted concentration: population models predict
// a typical patient's level, not this patient's.
const Estimate = "model estimate, not a measured level"

// Patient holds the covariates a prediction uses.
type Patient struct {
	Weight units.Quantity // total body weight (kg or lb); required
	// AgeYears is the age in completed years. It is used only to check the
	// parameter set's validity range; 0 means not given.
	AgeYears int
}

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
// cross-checks against published values.
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
type Prediction struct {
	Model           *Model           `json:"-"`
	ModelName       string           `json:"model"`
	Citation        string           `json:"citation"`
	Label           string           `json:"label"` // always Estimate
	Weight          units.Quantity   `json:"weight"`
	Administrations []Administration `json:"administrations"` // as given
	Kinetics        Kinetics         `json:"kinetics"`
	Warnings        []Warning        `json:"warnings"` // never nil

	sys   *system
	doses []dose
	end   float64        // min: the end of the last administration
	endQ  units.Quantity // the same, exact
}

// Limits on the size of one prediction; they keep the work bounded.
const (
	maxAdministrations = 1000
	maxPoints          = 100000
	maxDays            = 365 // of the clock, and of a search after the last administration
	maxMinutes         = maxDays * 24 * 60
)

var maxTime = units.NewInt(maxDays, units.Day) // read-only

// Predict returns the predicted plasma (and, with ke0, effect-site)
// concentrations for the patient after the administrations, by
// superposition of exact closed-form solutions. Every bad input is reported
// at once as *InputError values joined with errors.Join; covariates outside
// the model's validity range are warnings, not errors.
func (m *Model) Predict(pt Patient, admins []Administration) (*Prediction, error) {
	c := &checker{}
	kg := c.positive("weight", pt.Weight, units.Kilogram, "a body weight", maxWeight)
	if pt.AgeYears < 0 || pt.AgeYears > maxAgeYears {
		c.add(fieldError("age_years", strconv.Itoa(pt.AgeYears), "0 (not given) to 150 years", ErrRange))
	}
	switch {
	case len(admins) == 0:
		c.add(fieldError("administrations", "", "1 to 1000 administrations", ErrMissing))
	case len(admins) > maxAdministrations:
		c.add(fieldError("administrations", strconv.Itoa(len(admins))+" administrations", "1 to 1000 administrations", ErrRange))
	}
	p := &Prediction{
		Model:           m,
		ModelName:       m.p.Name,
		Citation:        m.p.Citation,
		Label:           Estimate,
		Weight:          pt.Weight,
		Administrations: append([]Administration(nil), admins...),
	}
	p.Warnings = append([]Warning{}, m.validityWarnings(pt, kg)...) // [] rather than null in JSON
	type input struct{ start, mg, dur float64 }
	var ins []input
	for i, a := range admins {
		f := "administrations[" + strconv.Itoa(i) + "]."
		in := input{start: c.time(f+"start", a.Start, true)}
		in.mg = c.amount(f+"amount", a.Amount, pt.Weight)
		if a.Duration.IsValid() {
			in.dur = c.time(f+"duration", a.Duration, false)
			if a.Duration.Sign() == 0 {
				p.Warnings = append(p.Warnings, Warning{WarnZeroDuration, fmt.Sprintf(
					"administrations[%d]: an infusion over %v is predicted as a bolus at %v", i, a.Duration, a.Start)})
			}
		}
		ins = append(ins, in)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	v, q := m.individual(kg)
	sys, err := newSystem(m.n, v, q, m.ke0)
	if err != nil {
		return nil, fmt.Errorf("%w: no eigen-decomposition for %s at %v", err, m.p.Name, pt.Weight)
	}
	p.sys = sys
	for _, in := range ins {
		d := sys.bolus(in.start, in.mg)
		if in.dur > 0 {
			d = sys.infusion(in.start, in.mg, in.dur)
		}
		p.doses = append(p.doses, d)
	}
	for i, in := range ins {
		if end := in.start + in.dur; i == 0 || end > p.end {
			p.end, p.endQ = end, endOf(admins[i])
		}
	}
	if p.Kinetics, err = sys.kinetics(); err != nil {
		return nil, err
	}
	if m.ke0 > 0 {
		p.Kinetics.Ke0, _ = m.p.Ke0.Convert(units.PerMinute) // checked by New
	}
	return p, nil
}

// time checks a time on the prediction's clock and returns it in minutes.
func (c *checker) time(field string, q units.Quantity, required bool) float64 {
	if !q.IsValid() {
		if required {
			c.add(fieldError(field, "", "a time of at least 0 min, e.g. \"0 min\"", ErrMissing))
		}
		return 0
	}
	return c.value(field, q, units.Minute, "a time", true, maxTime)
}

// amount checks a dose (a drug mass, or a drug mass per kg of weight) and
// returns it in mg.
func (c *checker) amount(field string, q units.Quantity, weight units.Quantity) float64 {
	const kind = "a drug mass (mg, mcg, g) or a dose per kg (mg/kg, mcg/kg)"
	maxAmount := units.NewInt(1000000, units.Milligram)
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
	if over, _ := mg.Cmp(maxAmount); over > 0 {
		c.add(fieldError(field, q.String(), "at most "+maxAmount.String()+" in one administration", ErrRange))
		return 0
	}
	return mg.Value().InexactFloat64()
}

func (m *Model) validityWarnings(pt Patient, kg float64) []Warning {
	var ws []Warning
	v := m.p.Validity
	if kg > 0 {
		lo, _ := v.MinWeight.Convert(units.Kilogram)
		hi, _ := v.MaxWeight.Convert(units.Kilogram)
		if lo.IsValid() && kg < lo.Value().InexactFloat64() || hi.IsValid() && kg > hi.Value().InexactFloat64() {
			ws = append(ws, Warning{WarnWeightOutOfRange, fmt.Sprintf(
				"weight %v is outside the %s model's validity range (%s)", pt.Weight, m.p.Name, weightRange(v))})
		}
	}
	if v.MinAgeYears == 0 && v.MaxAgeYears == 0 {
		return ws
	}
	switch a := pt.AgeYears; {
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

func (s *system) kinetics() (Kinetics, error) {
	var k Kinetics
	var err error
	add := func(dst *[]units.Quantity, x float64, places int32, u units.Unit) {
		q, e := round(x, places, u, false)
		err = errors.Join(err, e)
		*dst = append(*dst, q)
	}
	for i := 0; i < s.n; i++ {
		add(&k.Volumes, s.v[i], 3, units.Liter)
		add(&k.Clearances, s.q[i]*1000, 1, units.MLPerMin)
		add(&k.HalfLives, math.Ln2/s.alpha[i], 2, units.Minute)
	}
	return k, err
}

// At returns the predicted concentrations at time t on the prediction's
// clock. A bolus given at t is included.
func (p *Prediction) At(t units.Quantity) (Sample, error) {
	c := &checker{}
	min := c.time("time", t, true)
	if err := c.err(); err != nil {
		return Sample{}, err
	}
	return p.sample(t, min)
}

// Curve returns the predicted concentrations from one time to another,
// inclusive, every step: from, from + step, … up to to. Times are exact, in
// the finest time unit of the three arguments. A curve has at most 100,000
// points.
func (p *Prediction) Curve(from, to, step units.Quantity) ([]Sample, error) {
	c := &checker{}
	c.time("from", from, true)
	c.time("to", to, true)
	if c.time("step", step, true); step.IsValid() && step.Sign() == 0 {
		c.add(fieldError("step", step.String(), "greater than 0 min", ErrRange))
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	u := finest(from.Unit(), to.Unit(), step.Unit())
	f, _ := from.Convert(u) // exact: a coarser time unit is a whole number of finer ones
	tt, _ := to.Convert(u)
	s, _ := step.Convert(u)
	span := tt.Value().Sub(f.Value())
	if span.Sign() < 0 {
		return nil, fieldError("to", to.String(), "at least from "+from.String(), ErrRange)
	}
	n, _ := span.QuoRem(s.Value(), 0) // step > 0
	if n.Cmp(decimal.NewFromInt(maxPoints-1)) > 0 {
		return nil, fieldError("step", step.String(), "at most 100,000 points from "+from.String()+" to "+to.String(), ErrRange)
	}
	fMin, _ := f.Convert(units.Minute)
	sMin, _ := s.Convert(units.Minute)
	f0, ds := fMin.Value().InexactFloat64(), sMin.Value().InexactFloat64()
	at := exactTimes(f.Value(), s.Value())
	out := make([]Sample, 0, n.IntPart()+1)
	for k := int64(0); k <= n.IntPart(); k++ {
		sm, err := p.sample(units.New(at(k), u), f0+float64(k)*ds)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, nil
}

// exactTimes returns k ↦ from + k·step. When both fit in int64 at a common
// exponent (always, for times written as people write them) it builds each
// decimal from one integer, which is what keeps a 2,000-point curve cheap.
func exactTimes(from, step decimal.Decimal) func(k int64) decimal.Decimal {
	e := min(from.Exponent(), step.Exponent())
	fb, sb := from.Shift(-e).BigInt(), step.Shift(-e).BigInt()
	if fb.IsInt64() && sb.IsInt64() && sb.Int64() > 0 && (math.MaxInt64-fb.Int64())/sb.Int64() >= maxPoints {
		f, s := fb.Int64(), sb.Int64()
		return func(k int64) decimal.Decimal { return decimal.New(f+k*s, e) }
	}
	return func(k int64) decimal.Decimal { return from.Add(decimal.NewFromInt(k).Mul(step)) }
}

// EndOfInfusion returns the predicted concentrations at the end of the last
// administration: the end of the last infusion, or the last bolus.
func (p *Prediction) EndOfInfusion() (Sample, error) { return p.sample(p.endQ, p.end) }

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
// when it occurs (tmax, in min at 0.1 min). Before and during the
// administrations the curve is searched on a grid between events and refined
// by golden-section search; after the last one, Cp only falls and Ce has at
// most one maximum, which is found exactly.
func (p *Prediction) Peak(site Site) (Sample, error) {
	f, err := p.site(site)
	if err != nil {
		return Sample{}, err
	}
	t, _ := p.peak(f)
	tq, err := round(t, 1, units.Minute, false)
	if err != nil {
		return Sample{}, err
	}
	return p.sample(tq, t)
}

// TimeBelow returns the time after which the predicted concentration at the
// site stays below threshold (in min, rounded up to 0.1 min, so the
// concentration is below the threshold at the time returned). For a single
// administration this is the time it falls below the threshold after the
// peak. reached is false, and the time the zero Quantity, when the
// concentration never reaches the threshold.
func (p *Prediction) TimeBelow(site Site, threshold units.Quantity) (t units.Quantity, reached bool, err error) {
	f, err := p.site(site)
	if err != nil {
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
	limit := ng.Value().InexactFloat64() / 1000 // mg/L
	below, ok := p.below(f, limit)
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

// site returns the concentration function (mg/L) of a site.
func (p *Prediction) site(s Site) (func(float64) float64, error) {
	switch s {
	case Plasma:
		return func(t float64) float64 { cp, _ := p.sys.conc(p.doses, t); return cp }, nil
	case EffectSite:
		if p.sys.ke0 == 0 {
			return nil, fieldError("site", s.String(), "plasma; the "+p.ModelName+" model has no ke0", ErrNoEffectSite)
		}
		return func(t float64) float64 { _, ce := p.sys.conc(p.doses, t); return ce }, nil
	}
	return nil, fieldError("site", s.String(), "plasma or effect site", ErrRange)
}

func (p *Prediction) sample(tq units.Quantity, min float64) (Sample, error) {
	cp, ce := p.sys.conc(p.doses, min)
	s := Sample{Time: tq}
	var err1, err2 error
	s.Cp, err1 = round(cp*1000, 2, units.NgPerML, false)
	if p.sys.ke0 > 0 {
		s.Ce, err2 = round(ce*1000, 2, units.NgPerML, false)
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

// finest returns the smallest of the given time units.
func finest(us ...units.Unit) units.Unit {
	best := us[0]
	for _, u := range us[1:] {
		if c, _ := units.NewInt(1, u).Cmp(units.NewInt(1, best)); c < 0 {
			best = u
		}
	}
	return best
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
