package dosing

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// Sex selects the sex-specific body-size formulas (IBW, lean body weight).
// The zero Sex is "not given": formulas that need it refuse to guess.
type Sex uint8

const (
	_ Sex = iota
	Male
	Female
)

// String returns "male", "female" or "" when not given.
func (s Sex) String() string {
	switch s {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return ""
}

// MarshalText implements encoding.TextMarshaler.
func (s Sex) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads "male" or "female" ("" leaves it unset).
func (s *Sex) UnmarshalText(b []byte) error {
	switch string(b) {
	case "male":
		*s = Male
	case "female":
		*s = Female
	case "":
		*s = 0
	default:
		return &FieldError{Field: "patient.sex", Value: string(b), Msg: `must be "male" or "female"`, Err: ErrRange}
	}
	return nil
}

// Patient is the person a dose is calculated for. Weight is required; Height
// is required by every formula that uses it (BMI, BSA, IBW, lean weight);
// Sex by the sex-specific ones. Age is optional, given either as BirthDate
// with AsOf (the day of the calculation, an argument rather than the wall
// clock) or as AgeYears.
type Patient struct {
	Weight    units.Quantity `json:"weight,omitzero"`
	Height    units.Quantity `json:"height,omitzero"`
	Sex       Sex            `json:"sex,omitempty"`
	BirthDate time.Time      `json:"birth_date,omitzero"`
	AsOf      time.Time      `json:"as_of,omitzero"`
	// AgeYears is the age in completed years when no birth date is known;
	// 0 means not given (an age under one year needs a birth date).
	AgeYears Years `json:"age,omitempty"`
}

// Years is an age in completed years. Its text form carries the unit, as
// every number of this package does: "45 years".
type Years int

// String returns "45 years" ("1 year").
func (y Years) String() string {
	if y == 1 {
		return "1 year"
	}
	return strconv.Itoa(int(y)) + " years"
}

// MarshalText implements encoding.TextMarshaler.
func (y Years) MarshalText() ([]byte, error) { return []byte(y.String()), nil }

// UnmarshalText reads "45 years" or "1 year".
func (y *Years) UnmarshalText(b []byte) error {
	num, unit, _ := strings.Cut(string(b), " ")
	n, err := strconv.Atoi(num)
	if err != nil || unit != "years" && unit != "year" || strings.HasPrefix(num, "+") {
		return &FieldError{Field: "patient.age", Value: string(b), Msg: `must be whole years, such as "45 years"`, Err: ErrRange}
	}
	*y = Years(n)
	return nil
}

// maxAgeYears bounds a plausible age.
const maxAgeYears = 130

// Age returns the completed years between BirthDate and AsOf, or AgeYears
// when no birth date is given, and false when the age is not known.
func (p Patient) Age() (int, bool) {
	if p.BirthDate.IsZero() || p.AsOf.IsZero() {
		if p.BirthDate.IsZero() && p.AgeYears > 0 {
			return int(p.AgeYears), true
		}
		return 0, false
	}
	by, bm, bd := p.BirthDate.Date()
	ay, am, ad := p.AsOf.Date()
	age := ay - by
	if am < bm || am == bm && ad < bd {
		age--
	}
	return age, true
}

// Plausibility holds the bounds a patient is checked against. Hard bounds
// refuse; soft bounds warn. A protocol may narrow or widen the soft bounds;
// the hard bounds are the library's guard against impossible input.
type Plausibility struct {
	WeightSoftMin units.Quantity `json:"weight_soft_min"`
	WeightSoftMax units.Quantity `json:"weight_soft_max"`
	BMISoftMin    units.Quantity `json:"bmi_soft_min"`
	BMISoftMax    units.Quantity `json:"bmi_soft_max"`
}

// Hard plausibility bounds: values outside are refused as impossible input,
// whatever a protocol says. The least weight is a quarter of a kilogram, as
// the lightest newborns who survive weigh: a weight below it (0.2 kg,
// 0.00000000000000000001 kg) is refused as the weight, not later by the
// step of a syringe that cannot draw the dose it gives.
var (
	hardWeightMin = units.New(decimal.New(25, -2), units.Kilogram)
	hardWeightMax = units.NewInt(500, units.Kilogram)
	hardHeightMin = units.NewInt(30, units.Centimeter)
	hardHeightMax = units.NewInt(275, units.Centimeter)
)

// defaultPlausibility is read only: quantities are immutable values.
var defaultPlausibility = Plausibility{
	WeightSoftMin: units.NewInt(30, units.Kilogram),
	WeightSoftMax: units.NewInt(250, units.Kilogram),
	BMISoftMin:    units.NewInt(15, units.KgPerM2),
	BMISoftMax:    units.NewInt(60, units.KgPerM2),
}

// DefaultPlausibility returns the documented soft bounds: weight 30–250 kg,
// BMI 15–60 kg/m². They only warn. They are adult bounds: a patient known
// to be younger than 18 on whom one of them is applied, because the rule
// (or the caller) left it unset, gets the review warning
// patient.adult_bounds.
func DefaultPlausibility() Plausibility { return defaultPlausibility }

// adultAge is the age from which DefaultPlausibility's bounds apply: they
// are the ranges of adults.
const adultAge = 18

// adultDefaults names the bounds of pl that are unset, and so take the
// adult defaults: "weight 30–250 kg", "BMI 15–60 kg/m²".
func (pl Plausibility) adultDefaults() []string {
	d := defaultPlausibility
	var out []string
	for _, b := range [...]struct {
		name   string
		lo, hi units.Quantity
		dlo    units.Quantity
		dhi    units.Quantity
	}{
		{"weight", pl.WeightSoftMin, pl.WeightSoftMax, d.WeightSoftMin, d.WeightSoftMax},
		{"BMI", pl.BMISoftMin, pl.BMISoftMax, d.BMISoftMin, d.BMISoftMax},
	} {
		switch {
		case !b.lo.IsValid() && !b.hi.IsValid():
			out = append(out, b.name+" "+b.dlo.Value().String()+"–"+b.dhi.String())
		case !b.lo.IsValid():
			out = append(out, b.name+" minimum "+b.dlo.String())
		case !b.hi.IsValid():
			out = append(out, b.name+" maximum "+b.dhi.String())
		}
	}
	return out
}

// withDefaults fills each unset bound from DefaultPlausibility.
func (pl Plausibility) withDefaults() Plausibility {
	d := defaultPlausibility
	if !pl.WeightSoftMin.IsValid() {
		pl.WeightSoftMin = d.WeightSoftMin
	}
	if !pl.WeightSoftMax.IsValid() {
		pl.WeightSoftMax = d.WeightSoftMax
	}
	if !pl.BMISoftMin.IsValid() {
		pl.BMISoftMin = d.BMISoftMin
	}
	if !pl.BMISoftMax.IsValid() {
		pl.BMISoftMax = d.BMISoftMax
	}
	return pl
}

// Validate checks the patient against the hard bounds (weight 0.25–500 kg,
// height 30–275 cm, units of the right dimension, dates of the years 1900
// to 2199) and returns every bad field at once; it returns the soft-bound
// warnings of pl (zero fields take the defaults), including a named warning
// when the weight looks like pounds entered as kilograms (see
// poundsWarning for the rule).
func (p Patient) Validate(pl Plausibility) ([]Warning, error) {
	ws, _, err := p.validate(pl)
	return ws, err
}

// validate is Validate, and also returns the BMI when weight and height
// allow it, so that a calculation need not compute it twice.
func (p Patient) validate(pl Plausibility) ([]Warning, units.Quantity, error) {
	given := pl
	pl = pl.withDefaults()
	var a arith // its comparisons fail on a dimension validated before
	errs, weightOK, heightOK := p.validateBody(&a)
	if p.Sex > Female {
		errs = append(errs, &FieldError{Field: "patient.sex", Value: strconv.Itoa(int(p.Sex)), Msg: `unknown sex value (allowed: "male", "female")`, Err: ErrRange})
	}
	errs = append(errs, p.validateAge()...)
	errs = append(errs, pl.validate(&a)...)
	if err := a.join(errs); err != nil {
		return nil, units.Quantity{}, err
	}
	var ws []Warning
	if age, known := p.Age(); known && age < adultAge && len(given.adultDefaults()) > 0 {
		adult := given.adultDefaults()
		ws = append(ws, Warning{Key: "patient.adult_bounds", Severity: Review,
			Message: "the patient is " + Years(age).String() + " old, and the plausibility bounds applied (" + strings.Join(adult, ", ") +
				") are the library's defaults for adults, not a child's ranges (a protocol for younger patients sets its own plausibility)"})
	}
	if weightOK {
		ws = append(ws, p.weightWarnings(pl, &a)...)
	}
	var bmi units.Quantity
	if weightOK && heightOK {
		var err error
		if bmi, _, err = BMI(p.Weight, p.Height); err != nil {
			return nil, bmi, err
		}
		ws = append(ws, p.bmiWarnings(pl, bmi, &a)...)
		ws = append(ws, p.poundsWarning(pl, bmi, &a)...)
	}
	if a.err != nil {
		return nil, bmi, a.err
	}
	return ws, bmi, nil
}

// validateBody checks the weight (required) and the height against the
// hard bounds, and says which of the two can be used.
func (p Patient) validateBody(a *arith) (errs []error, weightOK, heightOK bool) {
	switch {
	case !p.Weight.IsValid():
		errs = append(errs, missing("patient.weight", "a body weight such as \"80 kg\""))
	case p.Weight.Dimension() != dimBodyMass:
		errs = append(errs, wrongDim("patient.weight", p.Weight, "a body mass (kg or lb)"))
	case a.cmp(p.Weight, hardWeightMin) < 0 || a.cmp(p.Weight, hardWeightMax) > 0:
		errs = append(errs, outOfRange("patient.weight", p.Weight, "must be 0.25 kg to 500 kg"))
	default:
		weightOK = true
	}
	switch {
	case !p.Height.IsValid():
	case p.Height.Dimension() != dimLength:
		errs = append(errs, wrongDim("patient.height", p.Height, "a length (cm, mm, m, in or ft)"))
	case a.cmp(p.Height, hardHeightMin) < 0 || a.cmp(p.Height, hardHeightMax) > 0:
		errs = append(errs, outOfRange("patient.height", p.Height, "must be 30–275 cm"))
	default:
		heightOK = true
	}
	return errs, weightOK, heightOK
}

// firstYear and lastYear bound a birth date and an as-of date, as they do
// every date doseplan reads (schedule.FirstYear, schedule.LastYear): a
// birth date in year 1 is a typing error, not an age of 2,024 years.
const (
	firstYear = 1900
	lastYear  = 2199
)

// validateAge checks the age in years and the birth date with its as-of
// date, and that the two agree where both are given.
func (p Patient) validateAge() []error {
	var errs []error
	if p.AgeYears < 0 || p.AgeYears > maxAgeYears {
		errs = append(errs, &FieldError{Field: "patient.age", Value: p.AgeYears.String(), Msg: "out of range (must be 0–130 years; 0 means not given)", Err: ErrRange})
	}
	dated := true
	for _, d := range []struct {
		field string
		t     time.Time
	}{{"patient.birth_date", p.BirthDate}, {"patient.as_of", p.AsOf}} {
		if !d.t.IsZero() && (d.t.Year() < firstYear || d.t.Year() > lastYear) {
			errs = append(errs, &FieldError{Field: d.field, Value: d.t.Format(time.DateOnly),
				Msg: "is not a date of the years " + strconv.Itoa(firstYear) + " to " + strconv.Itoa(lastYear) + " (the dates doseplan reads)", Err: ErrRange})
			dated = false
		}
	}
	if p.BirthDate.IsZero() || !dated {
		return errs
	}
	switch {
	case p.AsOf.IsZero():
		errs = append(errs, missing("patient.as_of", "the date of the calculation, needed with a birth date"))
	case p.AsOf.Before(p.BirthDate):
		errs = append(errs, &FieldError{Field: "patient.birth_date", Value: p.BirthDate.Format(time.DateOnly),
			Msg: "after the as-of date " + p.AsOf.Format(time.DateOnly), Err: ErrRange})
	case p.AgeYears != 0:
		if age, _ := p.Age(); age != int(p.AgeYears) {
			errs = append(errs, &FieldError{Field: "patient.age", Value: p.AgeYears.String(),
				Msg: "contradicts the birth date " + p.BirthDate.Format(time.DateOnly) + " (age " + strconv.Itoa(age) + " on " + p.AsOf.Format(time.DateOnly) + ")", Err: ErrConflict})
		}
	case p.AsOf.Year()-p.BirthDate.Year() > maxAgeYears+1:
		errs = append(errs, &FieldError{Field: "patient.birth_date", Value: p.BirthDate.Format(time.DateOnly),
			Msg: "more than 130 years before the as-of date " + p.AsOf.Format(time.DateOnly), Err: ErrRange})
	}
	return errs
}

// validate checks the bounds themselves (defaults filled in): each of its
// dimension, each minimum below its maximum.
func (pl Plausibility) validate(a *arith) []error {
	var errs []error
	for _, b := range []struct {
		field string
		q     units.Quantity
		dim   units.Unit
	}{
		{"plausibility.weight_soft_min", pl.WeightSoftMin, units.Kilogram},
		{"plausibility.weight_soft_max", pl.WeightSoftMax, units.Kilogram},
		{"plausibility.bmi_soft_min", pl.BMISoftMin, units.KgPerM2},
		{"plausibility.bmi_soft_max", pl.BMISoftMax, units.KgPerM2},
	} {
		if b.q.Dimension() != b.dim.Dimension() {
			errs = append(errs, wrongDim(b.field, b.q, "in "+b.dim.String()))
		}
	}
	for _, b := range []struct {
		name   string
		lo, hi units.Quantity
	}{{"weight", pl.WeightSoftMin, pl.WeightSoftMax}, {"bmi", pl.BMISoftMin, pl.BMISoftMax}} {
		if b.lo.Dimension() == b.hi.Dimension() && a.cmp(b.lo, b.hi) >= 0 {
			errs = append(errs, &FieldError{Field: "plausibility." + b.name + "_soft_min", Value: b.lo.String(),
				Msg: "must be below plausibility." + b.name + "_soft_max " + strconv.Quote(b.hi.String()), Err: ErrConflict})
		}
	}
	return errs
}

// weightWarnings are the review warnings of a valid weight outside the
// soft bounds.
func (p Patient) weightWarnings(pl Plausibility, a *arith) []Warning {
	var ws []Warning
	if a.cmp(p.Weight, pl.WeightSoftMin) < 0 {
		ws = append(ws, Warning{Key: "patient.weight.soft_min", Severity: Review, Value: p.Weight, Bound: pl.WeightSoftMin,
			Message: "weight " + p.Weight.String() + " is below " + pl.WeightSoftMin.String()})
	}
	if a.cmp(p.Weight, pl.WeightSoftMax) > 0 {
		ws = append(ws, Warning{Key: "patient.weight.soft_max", Severity: Review, Value: p.Weight, Bound: pl.WeightSoftMax,
			Message: "weight " + p.Weight.String() + " is above " + pl.WeightSoftMax.String()})
	}
	return ws
}

// bmiWarnings are the review warnings of a BMI outside the soft bounds.
func (p Patient) bmiWarnings(pl Plausibility, bmi units.Quantity, a *arith) []Warning {
	var ws []Warning
	low, high := a.cmp(bmi, pl.BMISoftMin) < 0, a.cmp(bmi, pl.BMISoftMax) > 0
	if low || high {
		k, bound, rel := "patient.bmi.soft_max", pl.BMISoftMax, "above"
		if low {
			k, bound, rel = "patient.bmi.soft_min", pl.BMISoftMin, "below"
		}
		ws = append(ws, Warning{Key: k, Severity: Review, Value: bmi, Bound: bound,
			Message: "BMI " + apart(bmi, bound) + " is " + rel + " " + bound.String() + " for weight " + p.Weight.String() + " and height " + p.Height.String()})
	}
	return ws
}

// poundsWarning is the review warning patient.weight_may_be_pounds: a
// weight in kilograms whose number reads better as pounds for the
// patient's height. Read as pounds, the number n kg gives n lb =
// 0.45359237 n kg; the warning is raised when the BMI of n lb is within the
// plausibility bounds (bmi_soft_min to bmi_soft_max, 15–60 kg/m² by
// default) and nearer, by ratio, to their middle √(min × max) (30 kg/m²)
// than the BMI of n kg. The two BMIs differ by the factor 1 ÷ 0.45359237 ≈
// 2.2046, so that is a BMI as entered above √(min × max × 2.2046) ≈ 44.5
// kg/m² (136.4 kg at 175 cm) whose pounds reading is within the bounds: 176
// kg at 175 cm is BMI 57.5 kg/m², and 176 lb is 79.8 kg, BMI 26.1 kg/m².
//
// "Nearer by ratio" is |ln(x ÷ m)| < |ln(y ÷ m)|, which for y = 2.2046 x
// is x × y > m²: the product of the two BMIs above the product of the two
// bounds, compared here exactly. The bounds are the protocol's plausibility
// (or the defaults): the rule adds no number of its own. Without a height
// there is no BMI to judge by (176 kg and 80 kg are both plausible
// weights), and a weight entered in pounds was meant: neither is read so.
func (p Patient) poundsWarning(pl Plausibility, bmi units.Quantity, a *arith) []Warning {
	if p.Weight.Unit() != units.Kilogram || !bmi.IsValid() {
		return nil
	}
	asLb := p.Weight.Number().Quantity(units.Pound)
	bmiLb, _, err := BMI(asLb, p.Height)
	if err != nil {
		return nil
	}
	// All four in one unit, so that the products compare as numbers.
	u := pl.BMISoftMin.Unit()
	x, y, lo, hi := a.conv(bmi, u).Number(), a.conv(bmiLb, u).Number(), pl.BMISoftMin.Number(), a.conv(pl.BMISoftMax, u).Number()
	if a.err != nil || y.LessThan(lo) || y.GreaterThan(hi) || !x.Mul(y).GreaterThan(lo.Mul(hi)) {
		return nil
	}
	return []Warning{{Key: "patient.weight_may_be_pounds", Severity: Review, Value: p.Weight,
		Message: "weight " + p.Weight.String() + " looks like pounds entered as kilograms: " + asLb.String() +
			" would be " + display(a.conv(asLb, units.Kilogram)).String() + " with BMI " + display(bmiLb).String() +
			", nearer the middle of " + display(pl.BMISoftMin).Value().String() + "–" + display(pl.BMISoftMax).String() +
			" than BMI " + display(bmi).String()}}
}
