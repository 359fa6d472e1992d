package dosing

import (
	"errors"
	"strconv"

	"github.com/doseplan/doseplan/units"
)

// Sentinel errors. Every error of this package wraps one of them.
var (
	ErrMissing       = errors.New("missing value")
	ErrOutOfRange    = errors.New("value out of range")
	ErrDimension     = errors.New("wrong dimension")
	ErrContradiction = errors.New("contradictory settings")
	ErrLimitExceeded = errors.New("hard limit exceeded")
	ErrPump          = errors.New("pump cannot deliver")
)

// InputError reports one bad field of a patient, a rule or a request. Field
// is the API's name for it ("patient.weight", "preparation.stock"); Value is
// the value as given ("" when missing).
type InputError struct {
	Field string
	Value string
	Msg   string // what is wrong and what is allowed
	Err   error  // a sentinel of this package, possibly joined with a units error
}

func (e *InputError) Error() string {
	if e.Value == "" {
		return "dosing: " + e.Field + ": " + e.Msg
	}
	return "dosing: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Msg
}

func (e *InputError) Unwrap() error { return e.Err }

// LimitKind names which side and strength of a limit a value crossed.
type LimitKind string

const (
	HardMin LimitKind = "hard_min"
	SoftMin LimitKind = "soft_min"
	SoftMax LimitKind = "soft_max"
	HardMax LimitKind = "hard_max"
)

// LimitError is a hard limit refusal: no result is produced. Field names the
// checked value ("dose_per_kg", "pump_rate"); Value is the final, rounded
// value that was checked and Bound the limit it crossed.
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
	return "dosing: " + e.Field + " " + strconv.Quote(e.Value.String()) + ": " + rel + " the hard limit " +
		strconv.Quote(e.Bound.String()) + " (" + e.Field + "." + string(e.Kind) + ")"
}

func (e *LimitError) Unwrap() error { return ErrLimitExceeded }

func missing(field, what string) error {
	return &InputError{Field: field, Msg: "required: " + what, Err: ErrMissing}
}

func wrongDim(field string, q units.Quantity, want string) error {
	return &InputError{Field: field, Value: q.String(), Msg: "must be " + want + ", not " + q.Dimension().String(), Err: ErrDimension}
}

func outOfRange(field string, q units.Quantity, allowed string) error {
	return &InputError{Field: field, Value: q.String(), Msg: "out of range (" + allowed + ")", Err: ErrOutOfRange}
}
