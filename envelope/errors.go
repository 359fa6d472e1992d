package envelope

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error of this package wraps one of them; the
// names common to the project's packages mean the same in each.
var (
	ErrMissing   = errors.New("envelope: missing value")
	ErrRange     = errors.New("envelope: value out of range")
	ErrDimension = errors.New("envelope: wrong dimension")
)

// FieldError reports one bad option, in the shape of dosing.FieldError:
// Field names it as the API spells it ("weights.step", "ages[2]",
// "levels[0]"), Value quotes it ("" when missing), Msg says what is wrong
// and what is allowed. Several come back joined with errors.Join.
type FieldError struct {
	Field string
	Value string
	Msg   string
	Err   error // a sentinel of this package
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return "envelope: " + e.Field + ": " + e.Msg
	}
	return "envelope: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Msg
}

func (e *FieldError) Unwrap() error { return e.Err }
