package pk

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error of this package wraps one of them, so callers
// can test with errors.Is.
var (
	ErrMissing      = errors.New("pk: missing value")
	ErrRange        = errors.New("pk: value out of range")
	ErrDimension    = errors.New("pk: wrong kind of quantity")
	ErrConflict     = errors.New("pk: conflicting fields")
	ErrUnknownModel = errors.New("pk: unknown model")
	ErrNoEffectSite = errors.New("pk: model has no effect site")
	ErrNumeric      = errors.New("pk: numerical failure")
)

// InputError reports one bad field of a parameter set, a patient, an
// administration or a query. Several bad fields are reported together with
// errors.Join, so use errors.As to reach each one.
type InputError struct {
	Field   string // the API's name: "k10", "weight", "administrations[1].duration"
	Value   string // the value as given; empty when missing
	Allowed string // what the field accepts: "greater than 0 /min"
	Err     error  // ErrMissing, ErrRange, ErrDimension, ErrConflict or ErrNoEffectSite
}

// Error reads, for example:
//
//	pk: k10 "0 /min": value out of range (allowed: greater than 0 /min)
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("pk: ")
	b.WriteString(e.Field)
	if e.Value != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Value))
	}
	b.WriteString(": ")
	b.WriteString(reason(e.Err))
	if e.Allowed != "" {
		b.WriteString(" (allowed: ")
		b.WriteString(e.Allowed)
		b.WriteString(")")
	}
	return b.String()
}

func (e *InputError) Unwrap() error { return e.Err }

// UnknownModelError reports a model name that is not a built-in set.
type UnknownModelError struct {
	Name  string
	Known []string // the IDs Lookup accepts
}

// Error reads, for example:
//
//	pk: unknown model "propofol" (allowed: domino, clements250, hijazi)
func (e *UnknownModelError) Error() string {
	return "pk: unknown model " + strconv.Quote(e.Name) + " (allowed: " + strings.Join(e.Known, ", ") + ")"
}

func (e *UnknownModelError) Unwrap() error { return ErrUnknownModel }

// reason is a sentinel's text without the package prefix, for use inside a
// longer message that already carries it.
func reason(err error) string {
	if err == nil {
		return "invalid"
	}
	return strings.TrimPrefix(err.Error(), "pk: ")
}

// fieldError builds the *InputError for field with value v.
func fieldError(field, v, allowed string, err error) error {
	return &InputError{Field: field, Value: v, Allowed: allowed, Err: err}
}
