package dosing

import (
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/units"
)

// Population is the patients a rule was written for: the ages, weights,
// heights and BMIs of the people its sources studied. Each bound is hard (a
// patient outside is refused with a *PopulationError, and no result) or
// soft (a review warning), as the clinic chooses; an unset bound is not
// checked. Where a bound needs a value the patient lacks (an age, a
// height), a hard bound makes the value required and a soft one warns that
// it is missing. Why says, for the people who read the result, which
// population the sources enrolled.
type Population struct {
	Age    AgeBound `json:"age,omitzero"`    // completed years
	Weight Bound    `json:"weight,omitzero"` // kg or lb
	Height Bound    `json:"height,omitzero"` // cm, mm, m, in or ft
	BMI    Bound    `json:"bmi,omitzero"`    // kg/m²
	Why    string   `json:"why,omitempty"`
}

// AgeBound bounds an age in completed years, both ends included: a minimum
// of 18 years admits a patient from the 18th birthday, a maximum of 65
// years until the 66th. A zero field is not set.
type AgeBound struct {
	HardMin Years `json:"hard_min,omitempty"`
	SoftMin Years `json:"soft_min,omitempty"`
	SoftMax Years `json:"soft_max,omitempty"`
	HardMax Years `json:"hard_max,omitempty"`
}

// isSet reports whether any bound is set.
func (a AgeBound) isSet() bool {
	return a.HardMin != 0 || a.SoftMin != 0 || a.SoftMax != 0 || a.HardMax != 0
}

// IsSet reports whether the population sets any bound.
func (p Population) IsSet() bool {
	return p.Age.isSet() || p.Weight.isSet() || p.Height.isSet() || p.BMI.isSet()
}

// PopulationError refuses a patient outside a hard bound of the population
// a rule was written for: no result is produced. Field is the bounded value
// ("population.age", "population.weight", "population.height",
// "population.bmi"); Value is the patient's value and Bound the bound, as
// text ("11 years", "18 years"), since an age is not a quantity.
type PopulationError struct {
	Field string
	Kind  LimitKind // HardMin or HardMax
	Value string
	Bound string
	Why   string // the population's Why, for the reader
}

func (e *PopulationError) Error() string {
	rel := "above the hard maximum"
	if e.Kind == HardMin {
		rel = "below the hard minimum"
	}
	return "dosing: " + e.Field + " " + strconv.Quote(e.Value) + ": " + rel + " " + strconv.Quote(e.Bound) +
		" of the population the rule was written for (" + e.Field + "." + string(e.Kind) + ")"
}

func (e *PopulationError) Unwrap() error { return ErrOutsidePopulation }

// popBound is one bound of a population, with the patient's value: as
// text for the messages, and as quantities where the value is one (an age
// is not).
type popBound struct {
	field, what string    // "population.weight", "weight"
	kind        LimitKind //
	value       string    // the patient's, "" when unknown
	bound       string
	crossed     bool
	v, b        units.Quantity
}

// populationCheck is the outcome of checking a patient against a rule's
// population: the trail's inputs, the review warnings and the refusals.
type populationCheck struct {
	inputs   []Term
	warnings []Warning
	errs     []error
}

// check checks a valid patient, whose BMI is bmi when known, against the
// population.
func (pop Population) check(p Patient, bmi units.Quantity) populationCheck {
	var pc populationCheck
	var a arith // the rule's validation checked the bounds' dimensions
	if a := pop.Age; a.isSet() {
		age, known := p.Age()
		if known {
			pc.inputs = append(pc.inputs, Term{Name: "age", Text: Years(age).String(), Source: "patient"})
		}
		for _, e := range [...]struct {
			k LimitKind
			y Years
		}{{HardMin, a.HardMin}, {SoftMin, a.SoftMin}, {SoftMax, a.SoftMax}, {HardMax, a.HardMax}} {
			if e.y == 0 {
				continue
			}
			pc.inputs = append(pc.inputs, Term{Name: "age " + words(string(e.k)), Text: e.y.String(), Source: "rule population"})
			if known {
				crossed := age < int(e.y)
				if e.k == SoftMax || e.k == HardMax {
					crossed = age > int(e.y)
				}
				pc.cross(popBound{field: "population.age", what: "age", kind: e.k, value: Years(age).String(), bound: e.y.String(), crossed: crossed}, pop.Why)
			}
		}
		if !known {
			pc.unknown("age", "patient.age", "the patient's age (in completed years, or a birth date with the date of the calculation)",
				a.HardMin != 0 || a.HardMax != 0, pop.Why)
		}
	}
	for _, q := range [...]struct {
		name, field, what, need string
		b                       Bound
		v                       units.Quantity
	}{
		{"weight", "population.weight", "weight", "", pop.Weight, p.Weight},
		{"height", "population.height", "height", "a height", pop.Height, p.Height},
		{"BMI", "population.bmi", "BMI", "a height, for the BMI", pop.BMI, bmi},
	} {
		if !q.b.isSet() {
			continue
		}
		if q.v.IsValid() {
			pc.inputs = append(pc.inputs, term(q.name, q.v, "patient"))
		}
		for _, e := range [...]struct {
			k LimitKind
			q units.Quantity
		}{{HardMin, q.b.HardMin}, {SoftMin, q.b.SoftMin}, {SoftMax, q.b.SoftMax}, {HardMax, q.b.HardMax}} {
			if !e.q.IsValid() {
				continue
			}
			pc.inputs = append(pc.inputs, term(q.name+" "+words(string(e.k)), e.q, "rule population"))
			if q.v.IsValid() {
				c := a.cmp(q.v, e.q)
				crossed := c < 0
				if e.k == SoftMax || e.k == HardMax {
					crossed = c > 0
				}
				pc.cross(popBound{field: q.field, what: q.what, kind: e.k, value: apart(q.v, e.q), bound: e.q.String(), crossed: crossed, v: q.v, b: e.q}, pop.Why)
			}
		}
		if !q.v.IsValid() {
			pc.unknown(q.what, "patient.height", q.need, q.b.HardMin.IsValid() || q.b.HardMax.IsValid(), pop.Why)
		}
	}
	if a.err != nil {
		pc.errs = append(pc.errs, a.err)
	}
	return pc
}

// cross records a bound crossed: a refusal for a hard bound, a review
// warning for a soft one.
func (pc *populationCheck) cross(b popBound, why string) {
	if !b.crossed {
		return
	}
	if b.kind == HardMin || b.kind == HardMax {
		pc.errs = append(pc.errs, &PopulationError{Field: b.field, Kind: b.kind, Value: b.value, Bound: b.bound, Why: why})
		return
	}
	rel, end := "above", "maximum"
	if b.kind == SoftMin {
		rel, end = "below", "minimum"
	}
	pc.warnings = append(pc.warnings, Warning{Key: b.field + "." + string(b.kind), Severity: Review, Value: b.v, Bound: b.b,
		Message: b.what + " " + b.value + " is " + rel + " " + b.bound + ", the soft " + end + " of the population the rule was written for" + because(why)})
}

// unknown records a value a bound needs and the patient lacks: required by
// a hard bound, a review warning for a soft one.
func (pc *populationCheck) unknown(what, field, need string, hard bool, why string) {
	if hard {
		pc.errs = append(pc.errs, missing(field, need+", for the population the rule was written for"))
		return
	}
	pc.warnings = append(pc.warnings, Warning{Key: "population." + strings.ToLower(what) + ".missing", Severity: Review,
		Message: "the patient's " + what + " is not given, so it cannot be checked against the population the rule was written for" + because(why)})
}

func because(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}

// population records the check of the patient against the rule's
// population in the trail, and its review warnings.
func (c *calc) population(pc populationCheck) {
	if !c.ok() || len(pc.inputs) == 0 && len(pc.warnings) == 0 {
		return
	}
	note := "within the population the rule was written for"
	if len(pc.warnings) > 0 {
		note = "outside a soft bound of the population the rule was written for, or not checkable: needs review"
	}
	c.step(Step{ID: "population", Title: "Population the rule was written for",
		Formula: "the patient within the rule's population bounds", Note: note + because(c.rule.Population.Why)}, pc.inputs...)
	c.res.Warnings = append(c.res.Warnings, pc.warnings...)
}

// population checks the population's own bounds: units of the right kind,
// ages within 1–130 years, minima not above maxima, soft inside hard.
func (v *validator) population(p Population) {
	a := p.Age
	named := [...]struct {
		k LimitKind
		y Years
	}{{HardMin, a.HardMin}, {SoftMin, a.SoftMin}, {SoftMax, a.SoftMax}, {HardMax, a.HardMax}}
	var set []int
	for i, n := range named {
		switch {
		case n.y == 0:
		case n.y < 0 || n.y > maxAgeYears:
			v.add(&FieldError{Field: "population.age." + string(n.k), Value: n.y.String(), Msg: "out of range (1 to 130 years)", Err: ErrRange})
		default:
			set = append(set, i)
		}
	}
	// hard_min ≤ soft_min ≤ soft_max ≤ hard_max: both ends of an age
	// bound are included, so a minimum may equal a maximum.
	for i := 0; i < len(set); i++ {
		for j := i + 1; j < len(set); j++ {
			if lo, hi := named[set[i]], named[set[j]]; lo.y > hi.y {
				v.add(&FieldError{Field: "population.age." + string(lo.k), Value: lo.y.String(),
					Msg: "must not be above population.age." + string(hi.k) + " " + strconv.Quote(hi.y.String()), Err: ErrConflict})
			}
		}
	}
	v.bound(limitField{field: "population.weight", b: p.Weight, dim: dimBodyMass, want: "kg or lb"})
	v.bound(limitField{field: "population.height", b: p.Height, dim: dimLength, want: "cm, mm, m, in or ft"})
	v.bound(limitField{field: "population.bmi", b: p.BMI, dim: dimBMI, want: "kg/m²"})
}
