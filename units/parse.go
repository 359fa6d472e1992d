package units

import (
	"strings"

	"github.com/shopspring/decimal"
)

// Input bounds. They keep every parse, and the big-integer arithmetic behind
// it, small no matter what text arrives.
const (
	MaxInputLen = 100 // bytes
	MaxDigits   = 40  // digits in the number
)

// Parse parses a quantity written as a clinician writes it: "0.5 mg/kg",
// "176 lb", "156 mL/h". The grammar is in the package documentation. Parse is
// strict: a naked decimal (".5 mg"), a trailing decimal point, scientific
// notation, thousands separators, a sign, "cc", "U" and "IU" are refused with
// an error that says what to write instead.
func Parse(s string) (Quantity, error) { return parse(s, "Parse", false) }

// MustParse is like Parse but panics on an error. It is meant for tests and
// examples with literal quantities, never for data.
func MustParse(s string) Quantity {
	q, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return q
}

func parse(s, fn string, allowMinus bool) (Quantity, error) {
	fail := func(at int, elem, msg, fix string, err error) (Quantity, error) {
		return Quantity{}, &ParseError{Func: fn, Input: s, Offset: at, Elem: elem, Msg: msg, Fix: fix, Err: err}
	}
	if len(s) > MaxInputLen {
		return Quantity{}, &ParseError{Func: fn, Input: s[:20] + "…", Msg: "longer than " + itoa(MaxInputLen) + " bytes", Err: ErrRange}
	}
	in := strings.TrimSpace(s)
	off := strings.Index(s, in)
	if in == "" {
		return fail(0, "", "empty quantity", "", ErrSyntax)
	}
	i := 0
	neg := false
	switch in[0] {
	case '+':
		return fail(off, "+", "sign on a quantity", in[1:], ErrSyntax)
	case '-':
		if !allowMinus {
			return fail(off, "-", "negative quantity; doses, volumes, rates, weights and durations cannot be negative", "", ErrRange)
		}
		neg = true
		i = 1
	case '.':
		return fail(off, ".", "naked decimal", "0"+in, ErrSyntax)
	}
	start := i
	for i < len(in) && isDigit(in[i]) {
		i++
	}
	intPart := in[start:i]
	if intPart == "" {
		return fail(off+start, "", "missing number before the unit", "", ErrSyntax)
	}
	if len(intPart) > 1 && intPart[0] == '0' {
		return fail(off+start, intPart, "leading zeros", strings.TrimLeft(intPart[:len(intPart)-1], "0")+intPart[len(intPart)-1:]+in[i:], ErrSyntax)
	}
	fracPart := ""
	if i < len(in) && in[i] == ',' {
		j := i + 1
		for j < len(in) && isDigit(in[j]) {
			j++
		}
		if j-i-1 == 3 {
			return fail(off+i, ",", "thousands separator", strings.ReplaceAll(in, ",", ""), ErrSyntax)
		}
		return fail(off+i, ",", "decimal comma", in[:i]+"."+in[i+1:], ErrSyntax)
	}
	if i < len(in) && in[i] == '.' {
		j := i + 1
		for j < len(in) && isDigit(in[j]) {
			j++
		}
		fracPart = in[i+1 : j]
		if fracPart == "" {
			return fail(off+i, ".", "trailing decimal point", in[:i]+in[i+1:], ErrSyntax)
		}
		if len(fracPart) > Places {
			return fail(off+i+1, fracPart, "more than "+itoa(Places)+" decimal places", "", ErrRange)
		}
		i = j
	}
	if len(intPart)+len(fracPart) > MaxDigits {
		return fail(off+start, in[start:i], "more than "+itoa(MaxDigits)+" digits", "", ErrRange)
	}
	if i < len(in) && (in[i] == 'e' || in[i] == 'E') && i+1 < len(in) && (isDigit(in[i+1]) || in[i+1] == '-' || in[i+1] == '+') {
		return fail(off+i, in[i:i+2], "scientific notation", sciFix(in, start, i), ErrSyntax)
	}
	num := in[start:i]
	rest := in[i:]
	if strings.HasPrefix(rest, " ") {
		rest = rest[1:]
		i++
	}
	if rest == "" {
		return fail(off+i, "", "missing unit", "", ErrSyntax)
	}
	if rest[0] == ' ' || rest[0] == '\t' {
		return fail(off+i, rest[:1], "more than one space between number and unit", num+" "+strings.TrimSpace(rest), ErrSyntax)
	}
	u, err := parseUnit(rest, off+i, s, num)
	if err != nil {
		err.(*ParseError).Func = fn
		return Quantity{}, err
	}
	v, derr := decimal.NewFromString(num)
	if derr != nil { // unreachable after the checks above; never trust it blindly
		return fail(off+start, num, "invalid number", "", ErrSyntax)
	}
	if neg {
		v = v.Neg()
	}
	return Quantity{v: v, u: u}, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// sciFix writes a scientific-notation number out in full for the hint, when
// it is of a sane size.
func sciFix(in string, start, e int) string {
	j := e + 1
	if j < len(in) && (in[j] == '-' || in[j] == '+') {
		j++
	}
	k := j
	for k < len(in) && isDigit(in[k]) {
		k++
	}
	if k-j > 2 {
		return ""
	}
	d, err := decimal.NewFromString(in[start:k])
	if err != nil || d.Exponent() < -Places {
		return ""
	}
	unit := strings.TrimPrefix(in[k:], " ")
	return formatNumber(d, false) + " " + unit
}
