package schedule

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error of this package wraps one of them (or an
// error of package units), so callers can test with errors.Is.
var (
	ErrSyntax      = errors.New("schedule: invalid syntax")
	ErrMissing     = errors.New("schedule: missing value")
	ErrRange       = errors.New("schedule: value out of range")
	ErrConflict    = errors.New("schedule: conflicting values")
	ErrUnknownZone = errors.New("schedule: unknown time zone")
	ErrUnavailable = errors.New("schedule: date unavailable")
	ErrNoDate      = errors.New("schedule: no date keeps every constraint")
	ErrHistory     = errors.New("schedule: inconsistent history")
)

// FieldError reports one bad input field. Several FieldErrors found at once
// come back joined with errors.Join. Its text is the package, the field, the
// value quoted, then what is wrong, as strconv.NumError's:
//
//	schedule: series.phases[1].per_week "3": is more than the 2 weekdays given (must be 1 to 2)
//	schedule: session.observation: required (a duration such as "30 min"; "0 min" states none)
type FieldError struct {
	Field string // its path as a protocol file or the API spells it ("series.phases[1].per_week")
	Value string // the value as given; "" when the field is missing
	Msg   string // what is wrong and what is allowed, e.g. "is more than the 2 weekdays given (must be 1 to 2)"
	Err   error  // a sentinel of this package, or the error of package units behind the problem
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return "schedule: " + e.Field + ": " + e.Msg
	}
	return "schedule: " + e.Field + " " + strconv.Quote(e.Value) + ": " + e.Msg
}

func (e *FieldError) Unwrap() error { return e.Err }

// PlaceError reports a session that no date within the search horizon could
// take: every candidate day was closed or broke a constraint.
type PlaceError struct {
	Index   int    // series position the session would have had
	Phase   string // phase name
	Number  int    // number within the phase
	Nominal Date   // the date the rhythm asked for
	Last    Reason // why the last candidate was refused
}

func (e *PlaceError) Error() string {
	return "schedule: session " + strconv.Itoa(e.Index) + " (" + e.Phase + " " + strconv.Itoa(e.Number) +
		"): no date from " + e.Nominal.String() + " to " + e.Nominal.AddDays(searchDays).String() +
		" keeps every constraint (last refusal: " + e.Last.Date.String() + ", " + e.Last.Detail + ")"
}

func (e *PlaceError) Unwrap() error { return ErrNoDate }

// errs collects FieldErrors so that every problem is reported at once.
type errs []error

func (l *errs) add(field, value string, err error, msg string) {
	*l = append(*l, &FieldError{Field: field, Value: value, Msg: msg, Err: err})
}

func (l errs) join() error { return errors.Join(l...) }
