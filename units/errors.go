package units

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors. Every error of this package wraps one of them, so callers
// can test with errors.Is; their texts carry the package's prefix, as every
// error of the module does.
var (
	ErrSyntax       = errors.New("units: invalid syntax")
	ErrUnknownUnit  = errors.New("units: unknown unit")
	ErrDimension    = errors.New("units: dimension mismatch")
	ErrDivideByZero = errors.New("units: division by zero")
	ErrRange        = errors.New("units: value out of range")
	ErrInvalid      = errors.New("units: invalid quantity")
	// ErrMissingUnit is the ErrSyntax of a number without its unit ("5",
	// "5 ", or an empty unit), which a caller that knows what the text
	// stands for can complete ("a body weight with its unit: 80 kg").
	ErrMissingUnit = fmt.Errorf("%w: missing unit", ErrSyntax)
)

// ParseError describes text that is not a quantity or unit. Offset is the
// byte offset of Elem in Input; Fix, when set, is what to write instead.
type ParseError struct {
	Func   string // "Parse", "ParseUnit", "ParseUCUM", "UnmarshalText"
	Input  string
	Offset int
	Elem   string
	Msg    string
	Fix    string
	Err    error // one of the sentinels
}

func (e *ParseError) Error() string {
	s := "units: parsing " + quote(e.Input) + ": " + e.Msg
	if e.Fix != "" {
		s += "; write " + quote(e.Fix)
	}
	return s
}

func (e *ParseError) Unwrap() error { return e.Err }

// DimensionError reports an operation on operands whose dimensions do not
// fit: a conversion between dimensions, a sum of a dose and a dose per kg, a
// product with no unit. X and Y are the operands as written.
type DimensionError struct {
	Op   string // "convert", "add", "sub", "cmp", "mul", "div", "round"
	X, Y string
	XDim Dimension
	YDim Dimension
	Msg  string // optional detail
	// Ways are the ways a conversion's factors link X and Y when more than
	// one does (ConvertWith refuses to choose); nil otherwise.
	Ways []string
}

func (e *DimensionError) Error() string {
	s := "units: " + e.Op + " " + quote(e.X) + " and " + quote(e.Y) + ": dimension mismatch (" +
		e.XDim.String() + " vs " + e.YDim.String() + ")"
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

func (e *DimensionError) Unwrap() error { return ErrDimension }

// OpError reports an operation refused for its values rather than its
// dimensions: an invalid operand, a zero divisor, a bad rounding step.
type OpError struct {
	Op  string
	X   string
	Y   string
	Msg string
	Err error
}

func (e *OpError) Error() string {
	s := "units: " + e.Op + " " + quote(e.X)
	if e.Y != "" {
		s += " and " + quote(e.Y)
	}
	return s + ": " + e.Msg
}

func (e *OpError) Unwrap() error { return e.Err }

func quote(s string) string { return strconv.Quote(s) }
