package fhir

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error of this package wraps one of them.
var (
	// ErrMissing: an input the export needs was not given (the time of the
	// export, the software's name, the protocol).
	ErrMissing = errors.New("fhir: missing value")
	// ErrConflict: inputs that do not belong together, such as a plan and a
	// protocol other than the one it was made from, or a titration level
	// that does not give the result's dose.
	ErrConflict = errors.New("fhir: conflicting values")
	// ErrInexact: a value that does not terminate within 20 decimal places
	// (a division kept at units.Places), which FHIR would read as exact.
	ErrInexact = errors.New("fhir: value is not exact")
)

// FieldError reports one input the export refused. Field names it
// ("options.recorded", "sessions[3].dose.dose"); Value quotes it ("" when
// missing).
type FieldError struct {
	Field string
	Value string
	Msg   string // what is wrong and what is allowed
	Err   error  // one of the sentinels
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return "fhir: " + e.Field + ": " + e.Msg
	}
	return "fhir: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Msg
}

func (e *FieldError) Unwrap() error { return e.Err }
