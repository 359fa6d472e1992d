package dosing

import (
	"errors"
	"strconv"

	"github.com/doseplan/doseplan/units"
)

// Sentinel errors. Every error of this package wraps one of them. The
// names common to the project's packages (ErrMissing, ErrRange,
// ErrDimension, ErrConflict) mean the same in each.
var (
	ErrMissing       = errors.New("dosing: missing value")
	ErrRange         = errors.New("dosing: value out of range")
	ErrDimension     = errors.New("dosing: wrong dimension")
	ErrConflict      = errors.New("dosing: conflicting values")
	ErrLimitExceeded = errors.New("dosing: hard limit exceeded")
	// ErrOutsidePopulation is wrapped by a *PopulationError: the patient is
	// outside a hard bound of the population the rule was written for.
	ErrOutsidePopulation = errors.New("dosing: outside the population the rule was written for")
)

// FieldError reports one bad field of a patient, a rule, an order or a
// request, in the shape of strconv.NumError: the field, the value as given,
// then what is wrong. Its text reads `dosing: <field> "<value>": <msg>`, or
// `dosing: <field>: <msg>` where the value is missing.
type FieldError struct {
	Field string // the API's name: "patient.weight", "preparation.stock"
	Value string // the value as given; "" when missing
	Msg   string // what is wrong and what is allowed: "out of range (must be > 0)"
	Err   error  // a sentinel of this package, possibly joined with a units error
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return "dosing: " + e.Field + ": " + e.Msg
	}
	return "dosing: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Msg
}

func (e *FieldError) Unwrap() error { return e.Err }

// LimitKind names which side and strength of a limit a value crossed.
type LimitKind string

const (
	HardMin LimitKind = "hard_min"
	SoftMin LimitKind = "soft_min"
	SoftMax LimitKind = "soft_max"
	HardMax LimitKind = "hard_max"
)

// LimitError is a hard limit refusal: no result is produced. Field names the
// checked value ("dose_per_kg", "pump_rate", "loading_pump_rate",
// "form.count"); Value is the exact value that crossed (the final, rounded
// value, or the value before rounding where that one crossed) and Bound the
// limit it crossed.
type LimitError struct {
	Field string
	Kind  LimitKind
	Value units.Quantity
	Bound units.Quantity
}

func (e *LimitError) Error() string {
	rel := "above"
	if e.Kind == HardMin {
		rel = "below"
	}
	return "dosing: " + e.Field + " " + strconv.Quote(apart(e.Value, e.Bound)) + ": " + rel + " the hard limit " +
		strconv.Quote(e.Bound.String()) + " (" + e.Field + "." + string(e.Kind) + ")"
}

// apart shows v rounded to four decimal places, or to as many more as it
// takes to tell it from bound, so that a message never reads "1 mg/kg is
// above 1 mg/kg". A rounded value is marked "≈".
func apart(v, bound units.Quantity) string {
	if !v.IsValid() {
		return v.String()
	}
	want, err := v.Cmp(bound)
	for places := int32(4); places < units.Places; places++ {
		if v.Exponent() >= -places {
			break
		}
		r := v.Round(places)
		if c, cerr := r.Cmp(bound); err != nil || cerr != nil || c == want {
			if r.Equal(v) {
				return r.String()
			}
			return "≈ " + r.String()
		}
	}
	return v.String()
}

func (e *LimitError) Unwrap() error { return ErrLimitExceeded }

func missing(field, what string) error {
	return &FieldError{Field: field, Msg: "required: " + what, Err: ErrMissing}
}

func wrongDim(field string, q units.Quantity, want string) error {
	return &FieldError{Field: field, Value: q.String(), Msg: "must be " + want + ", not " + q.Dimension().String(), Err: ErrDimension}
}

func outOfRange(field string, q units.Quantity, allowed string) error {
	return &FieldError{Field: field, Value: q.String(), Msg: "out of range (" + allowed + ")", Err: ErrRange}
}
