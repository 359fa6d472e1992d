package envelope

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error of this package wraps one of them.
var (
	ErrMissing   = errors.New("missing value")
	ErrRange     = errors.New("value out of range")
	ErrDimension = errors.New("wrong dimension")
)

// InputError reports one bad option: Field names it as the API spells it
// ("weights.step", "ages[2]", "levels[0]"), Value quotes it ("" when
// missing), Msg says what is wrong and what is allowed. Several come back
// joined with errors.Join.
type InputError struct {
	Field string
	Value string
	Msg   string
	Err   error // a sentinel of this package
}

func (e *InputError) Error() string {
	if e.Value == "" {
		return "envelope: " + e.Field + ": " + e.Msg
	}
	return "envelope: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Msg
}

func (e *InputError) Unwrap() error { return e.Err }
