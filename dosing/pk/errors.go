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

// FieldError reports one bad field of a parameter set, a patient, an
// administration or a query. Several bad fields are reported together with
// errors.Join, so use errors.As to reach each one.
type FieldError struct {
	Field string // the API's name: "k10", "weight", "administrations[1].duration"
	Value string // the value as given; empty when missing
	// Msg says what is wrong and what the field accepts: "value out of
	// range (allowed: greater than 0 /min)".
	Msg string
	Err error // ErrMissing, ErrRange, ErrDimension, ErrConflict or ErrNoEffectSite
}

// Error reads, for example:
//
//	pk: k10 "0 /min": value out of range (allowed: greater than 0 /min)
func (e *FieldError) Error() string {
	s := "pk: " + e.Field
	if e.Value != "" {
		s += " " + strconv.Quote(e.Value)
	}
	return s + ": " + e.Msg
}

func (e *FieldError) Unwrap() error { return e.Err }

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

// fieldError builds the *FieldError for field with value v: err's reason,
// and what the field allows.
func fieldError(field, v, allowed string, err error) error {
	msg := reason(err)
	if allowed != "" {
		msg += " (allowed: " + allowed + ")"
	}
	return &FieldError{Field: field, Value: v, Msg: msg, Err: err}
}
