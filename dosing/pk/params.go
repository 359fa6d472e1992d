package pk

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

// Scaling says how a parameter set's volumes and clearances follow body
// weight. The zero Scaling is invalid: a parameter set must say how it
// scales.
type Scaling uint8

const (
	_ Scaling = iota
	// ScaleNone: the parameters hold for every patient, whatever the weight.
	ScaleNone
	// ScaleLinear: volumes and clearances are proportional to
	// weight / reference weight, so rate constants do not change. With a
	// 1 kg reference weight the parameters read per kilogram: V1 0.063 L at
	// 1 kg is 0.063 L/kg.
	ScaleLinear
	// ScaleAllometric: volumes are proportional to weight / reference weight
	// and clearances to (weight / reference weight)^Exponent, typically 0.75.
	ScaleAllometric
	numScalings
)

var scalingNames = [numScalings]string{"", "none", "linear", "allometric"}

// String returns the scaling's name as a protocol file writes it.
func (s Scaling) String() string {
	if s == 0 || s >= numScalings {
		return "invalid scaling"
	}
	return scalingNames[s]
}

// MarshalText implements encoding.TextMarshaler.
func (s Scaling) MarshalText() ([]byte, error) {
	if s == 0 || s >= numScalings {
		return nil, fieldError("scaling", "", scalingAllowed, ErrMissing)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: "none", "linear" or
// "allometric".
func (s *Scaling) UnmarshalText(b []byte) error {
	for v := ScaleNone; v < numScalings; v++ {
		if scalingNames[v] == string(b) {
			*s = v
			return nil
		}
	}
	return fieldError("scaling", string(b), scalingAllowed, ErrRange)
}

const scalingAllowed = "none, linear or allometric"

// Parameters defines a linear mammillary model with one, two or three
// compartments: drug enters and leaves through the central compartment (1),
// which exchanges with peripheral compartments 2 and 3.
//
// Give either rate constants (V1 with K10 and the pairs K12/K21, K13/K31) or
// volumes and clearances (V1 with CL and the pairs V2/Q2, V3/Q3), never both;
// the pairs present set the number of compartments. The values hold at
// ReferenceWeight and scale with the patient's weight as Scaling says. Ke0
// is optional and adds the effect site.
//
// Every value is a units.Quantity, so the struct decodes from JSON or YAML
// text such as "v1: 0.063 L", "k10: 0.4381 /min", "cl: 1500 mL/min",
// "reference_weight: 70 kg". Rate constants are per minute (/min), volumes in
// mL or L, clearances in mL/min or mL/h. (The Quantity fields have no yaml
// omitempty on purpose: yaml.v3 judges a struct by its exported fields, finds
// none in a Quantity, and would drop every value.)
type Parameters struct {
	ID       string `json:"id,omitempty" yaml:"id,omitempty"` // lookup key of a built-in set ("domino")
	Name     string `json:"name" yaml:"name"`                 // shown on every prediction and plot
	Drug     string `json:"drug" yaml:"drug"`
	Citation string `json:"citation" yaml:"citation"`
	Notes    string `json:"notes,omitempty" yaml:"notes,omitempty"` // caveats and citation uncertainties

	Scaling         Scaling         `json:"scaling" yaml:"scaling"`
	ReferenceWeight units.Quantity  `json:"reference_weight,omitzero" yaml:"reference_weight"` // linear and allometric only
	Exponent        decimal.Decimal `json:"exponent,omitzero" yaml:"exponent,omitempty"`       // of clearances; allometric only

	V1 units.Quantity `json:"v1" yaml:"v1"`

	// Rate-constant form.
	K10 units.Quantity `json:"k10,omitzero" yaml:"k10"`
	K12 units.Quantity `json:"k12,omitzero" yaml:"k12"`
	K21 units.Quantity `json:"k21,omitzero" yaml:"k21"`
	K13 units.Quantity `json:"k13,omitzero" yaml:"k13"`
	K31 units.Quantity `json:"k31,omitzero" yaml:"k31"`

	// Clearance form.
	CL units.Quantity `json:"cl,omitzero" yaml:"cl"`
	V2 units.Quantity `json:"v2,omitzero" yaml:"v2"`
	Q2 units.Quantity `json:"q2,omitzero" yaml:"q2"`
	V3 units.Quantity `json:"v3,omitzero" yaml:"v3"`
	Q3 units.Quantity `json:"q3,omitzero" yaml:"q3"`

	Ke0 units.Quantity `json:"ke0,omitzero" yaml:"ke0"` // effect-site equilibration; optional

	Validity Validity `json:"validity,omitzero" yaml:"validity"`
}

// Validity is the range of covariates a parameter set was built from. A
// patient outside it still gets a prediction, with a warning. Unset bounds
// (the zero Quantity, or 0 years) are not checked.
type Validity struct {
	MinWeight   units.Quantity `json:"min_weight,omitzero" yaml:"min_weight"`
	MaxWeight   units.Quantity `json:"max_weight,omitzero" yaml:"max_weight"`
	MinAgeYears int            `json:"min_age_years,omitzero" yaml:"min_age_years,omitempty"`
	MaxAgeYears int            `json:"max_age_years,omitzero" yaml:"max_age_years,omitempty"`
}

// Bounds that keep the float64 arithmetic finite and the work small. They
// are far outside any physiological value; they are not clinical limits.
// Read-only.
var (
	maxVolume    = units.NewInt(100000, units.Liter)
	maxClearance = units.NewInt(100000000, units.MLPerMin)
	maxRate      = units.NewInt(1000, units.PerMinute)
	maxWeight    = units.NewInt(1000, units.Kilogram)
)

const (
	maxAgeYears   = 150
	maxExponent   = 1.5
	maxTextLength = 4000 // bytes of a name, citation or note
)

// Model is a validated parameter set, ready to predict. It is immutable and
// safe for concurrent use: New computes everything a prediction needs that
// does not depend on the patient, once.
type Model struct {
	p     Parameters
	n     int        // compartments
	refKg float64    // reference weight; 1 for ScaleNone, where it is unused
	exp   float64    // exponent of clearances
	v     [3]float64 // volumes at the reference weight, L
	q     [3]float64 // CL, Q2, Q3 at the reference weight, L/min
	k10   float64    // /min
	k1    [3]float64 // k12, k13 at [1], [2], /min
	kb    [3]float64 // k21, k31 at [1], [2], /min
	ke0   float64    // /min; 0 when the model has no effect site
	disp  disposition
}

// New validates p and returns the model. Every bad field is reported at
// once, joined with errors.Join; each is an *FieldError naming the field,
// quoting the value and stating what is allowed. Zero or negative volumes,
// clearances and rate constants are refused.
func New(p Parameters) (*Model, error) {
	c := &checker{}
	m := &Model{p: p, refKg: 1, exp: 1}

	c.text("name", p.Name, true)
	c.text("drug", p.Drug, true)
	c.text("citation", p.Citation, true)
	c.text("notes", p.Notes, false)
	c.text("id", p.ID, false)

	switch p.Scaling {
	case ScaleNone:
		c.absent("reference_weight", p.ReferenceWeight, "unset with scaling none")
		if !p.Exponent.IsZero() {
			c.add(fieldError("exponent", decimalText(p.Exponent), "unset unless scaling is allometric", ErrConflict))
		}
	case ScaleLinear, ScaleAllometric:
		m.refKg = c.positive("reference_weight", p.ReferenceWeight, units.Kilogram, "a body weight", maxWeight)
		if p.Scaling == ScaleLinear {
			if !p.Exponent.IsZero() {
				c.add(fieldError("exponent", decimalText(p.Exponent), "unset unless scaling is allometric", ErrConflict))
			}
			break
		}
		e := p.Exponent.InexactFloat64()
		if p.Exponent.IsZero() {
			c.add(fieldError("exponent", "", "greater than 0 and at most 1.5, typically 0.75", ErrMissing))
		} else if !(e > 0 && e <= maxExponent) {
			c.add(fieldError("exponent", decimalText(p.Exponent), "greater than 0 and at most 1.5, typically 0.75", ErrRange))
		} else {
			m.exp = e
		}
	default:
		c.add(fieldError("scaling", "", scalingAllowed, ErrMissing))
	}

	m.v[0] = c.positive("v1", p.V1, units.Liter, "a volume", maxVolume)
	rateForm := anyValid(p.K10, p.K12, p.K21, p.K13, p.K31)
	clearanceForm := anyValid(p.CL, p.V2, p.Q2, p.V3, p.Q3)
	switch {
	case rateForm && clearanceForm:
		c.add(fieldError("cl", text(p.CL), "rate constants (k10, k12, k21, k13, k31) or volumes and clearances (cl, v2, q2, v3, q3), not both", ErrConflict))
	case clearanceForm:
		m.n = c.clearances(m, p)
	case rateForm:
		m.n = c.rates(m, p)
	default:
		c.add(fieldError("k10", "", "a rate constant greater than 0 /min, or cl in the clearance form", ErrMissing))
	}
	if p.Ke0.IsValid() {
		m.ke0 = c.positive("ke0", p.Ke0, units.PerMinute, "a rate constant", maxRate)
	}
	c.validity(p.Validity)
	if err := c.err(); err != nil {
		return nil, err
	}
	var ok bool
	if m.disp, ok = newDisposition(m.n, m.k10, m.k1, m.kb); !ok {
		return nil, fmt.Errorf("%w: no disposition rates for %s", ErrNumeric, p.Name)
	}
	return m, nil
}

// rates reads the rate-constant form into m's volumes and clearances and
// returns the number of compartments.
func (c *checker) rates(m *Model, p Parameters) int {
	m.k10 = c.positive("k10", p.K10, units.PerMinute, "a rate constant", maxRate)
	m.q[0] = m.k10 * m.v[0]
	n := 1
	for j, pair := range []struct {
		out, back     string
		k1j, kj1      units.Quantity
		needsPrevious string
	}{
		{"k12", "k21", p.K12, p.K21, ""},
		{"k13", "k31", p.K13, p.K31, "a third compartment only with a second (k12 and k21)"},
	} {
		if !anyValid(pair.k1j, pair.kj1) {
			continue
		}
		if n != j+1 {
			c.add(fieldError(pair.out, text(pair.k1j), pair.needsPrevious, ErrConflict))
		}
		k1j := c.positive(pair.out, pair.k1j, units.PerMinute, "a rate constant", maxRate)
		kj1 := c.positive(pair.back, pair.kj1, units.PerMinute, "a rate constant", maxRate)
		if k1j > 0 && kj1 > 0 {
			// Detailed balance: the flow Q = k1j·V1 = kj1·Vj.
			m.k1[j+1], m.kb[j+1] = k1j, kj1
			m.q[j+1] = k1j * m.v[0]
			m.v[j+1] = m.q[j+1] / kj1
		}
		n = j + 2
	}
	return n
}

// clearances reads the volume-and-clearance form into m and returns the
// number of compartments.
func (c *checker) clearances(m *Model, p Parameters) int {
	m.q[0] = c.positive("cl", p.CL, units.MLPerMin, "a clearance", maxClearance) / 1000
	n := 1
	for j, pair := range []struct {
		vName, qName  string
		v, q          units.Quantity
		needsPrevious string
	}{
		{"v2", "q2", p.V2, p.Q2, ""},
		{"v3", "q3", p.V3, p.Q3, "a third compartment only with a second (v2 and q2)"},
	} {
		if !anyValid(pair.v, pair.q) {
			continue
		}
		if n != j+1 {
			c.add(fieldError(pair.vName, text(pair.v), pair.needsPrevious, ErrConflict))
		}
		m.v[j+1] = c.positive(pair.vName, pair.v, units.Liter, "a volume", maxVolume)
		m.q[j+1] = c.positive(pair.qName, pair.q, units.MLPerMin, "a clearance", maxClearance) / 1000
		n = j + 2
	}
	// The rate constants, each one division from the given values.
	if m.v[0] > 0 {
		m.k10 = m.q[0] / m.v[0]
		for j := 1; j < n; j++ {
			if m.v[j] > 0 {
				m.k1[j], m.kb[j] = m.q[j]/m.v[0], m.q[j]/m.v[j]
			}
		}
	}
	return n
}

func (c *checker) validity(v Validity) {
	lo := c.optionalPositive("validity.min_weight", v.MinWeight, units.Kilogram, "a body weight", maxWeight)
	hi := c.optionalPositive("validity.max_weight", v.MaxWeight, units.Kilogram, "a body weight", maxWeight)
	if lo > 0 && hi > 0 && lo > hi {
		c.add(fieldError("validity.max_weight", v.MaxWeight.String(), "at least validity.min_weight "+v.MinWeight.String(), ErrRange))
	}
	for _, a := range []struct {
		field string
		years int
	}{{"validity.min_age_years", v.MinAgeYears}, {"validity.max_age_years", v.MaxAgeYears}} {
		if a.years < 0 || a.years > maxAgeYears {
			c.add(fieldError(a.field, strconv.Itoa(a.years), "0 (no bound) to 150 years", ErrRange))
		}
	}
	if v.MinAgeYears > 0 && v.MaxAgeYears > 0 && v.MinAgeYears > v.MaxAgeYears {
		c.add(fieldError("validity.max_age_years", strconv.Itoa(v.MaxAgeYears), "at least validity.min_age_years "+strconv.Itoa(v.MinAgeYears), ErrRange))
	}
}

// Parameters returns the parameter set as given to New.
func (m *Model) Parameters() Parameters { return m.p }

// Compartments returns 1, 2 or 3.
func (m *Model) Compartments() int { return m.n }

// String returns the model's name.
func (m *Model) String() string { return m.p.Name }

// individual returns the model's system for a patient of weight kg:
// volumes and clearances scaled as Parameters.Scaling says, and the
// disposition rates multiplied by the one factor that scaling applies to
// every rate constant.
func (m *Model) individual(kg float64) system {
	s := system{disposition: m.disp, ke0: m.ke0}
	r, rq, f := 1.0, 1.0, 1.0
	switch m.p.Scaling {
	case ScaleLinear:
		r = kg / m.refKg
		rq = r
	case ScaleAllometric:
		r = kg / m.refKg
		rq = math.Pow(r, m.exp)
		f = math.Pow(r, m.exp-1) // clearance ÷ volume
	}
	for i := 0; i < m.n; i++ {
		s.v[i] = m.v[i] * r
		s.q[i] = m.q[i] * rq
	}
	if f != 1 {
		for i := range s.alpha {
			s.alpha[i] *= f
			s.rates[i] *= f
		}
	}
	for i := 0; i < s.modes; i++ {
		s.c[i] = 1000 * s.w[i] / s.v[0] // mg/L is mcg/mL: 1000 ng/mL
	}
	return s
}

// checker collects every field error of one validation.
type checker struct{ errs []error }

func (c *checker) add(err error) { c.errs = append(c.errs, err) }

func (c *checker) err() error { return errors.Join(c.errs...) }

// within prefixes the fields of the errors recorded since the first n with
// the path of the list element they are in ("administrations[1]."), which
// is built only when there is such an error.
func (c *checker) within(n int, list string, i int) {
	if len(c.errs) == n {
		return
	}
	path := list + "[" + strconv.Itoa(i) + "]."
	for _, err := range c.errs[n:] {
		if ie, ok := err.(*FieldError); ok {
			ie.Field = path + ie.Field
		}
	}
}

func (c *checker) text(field, s string, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		c.add(fieldError(field, "", "non-empty text", ErrMissing))
	case len(s) > maxTextLength:
		c.add(fieldError(field, s[:20]+"…", "at most 4000 bytes", ErrRange))
	}
}

func (c *checker) absent(field string, q units.Quantity, allowed string) {
	if q.IsValid() {
		c.add(fieldError(field, q.String(), allowed, ErrConflict))
	}
}

// positive checks that q is set, of unit want's dimension, greater than 0
// and at most max, and returns it in want as a float64. After recording an
// error it returns 0.
func (c *checker) positive(field string, q units.Quantity, want units.Unit, kind string, max units.Quantity) float64 {
	if !q.IsValid() {
		c.add(fieldError(field, "", kind+" greater than 0 "+want.String(), ErrMissing))
		return 0
	}
	return c.value(field, q, want, kind, false, max)
}

// optionalPositive is positive for a field that may be unset (then 0).
func (c *checker) optionalPositive(field string, q units.Quantity, want units.Unit, kind string, max units.Quantity) float64 {
	if !q.IsValid() {
		return 0
	}
	return c.value(field, q, want, kind, false, max)
}

// value checks a set q: its dimension, its sign (zero allowed when zeroOK)
// and its bound, exactly, before it becomes a float64 in unit want.
func (c *checker) value(field string, q units.Quantity, want units.Unit, kind string, zeroOK bool, max units.Quantity) float64 {
	x, err := q.Convert(want)
	if err != nil {
		c.add(fieldError(field, q.String(), kind+" in "+dimensionUnits(want), ErrDimension))
		return 0
	}
	over, _ := x.Cmp(max) // same dimension: cannot fail
	if x.Sign() < 0 || x.Sign() == 0 && !zeroOK || over > 0 {
		lower := "greater than 0 "
		if zeroOK {
			lower = "at least 0 "
		}
		c.add(fieldError(field, q.String(), lower+want.String()+" and at most "+max.String(), ErrRange))
		return 0
	}
	return x.InexactFloat64()
}

func anyValid(qs ...units.Quantity) bool {
	for _, q := range qs {
		if q.IsValid() {
			return true
		}
	}
	return false
}

// dimensionUnits names the units a field of unit u's dimension accepts.
func dimensionUnits(u units.Unit) string {
	var names []string
	for _, v := range units.Units() {
		if v.Dimension() == u.Dimension() {
			names = append(names, v.String())
		}
	}
	return strings.Join(names, ", ")
}

// text quotes a quantity for an error: its display form, or nothing if unset.
func text(q units.Quantity) string {
	if !q.IsValid() {
		return ""
	}
	return q.String()
}

// decimalText writes d exactly, independent of shopspring/decimal's globals.
func decimalText(d decimal.Decimal) string { return d.StringFixed(max(0, -d.Exponent())) }
