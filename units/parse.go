package units

import (
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Input bounds. They keep every parse, and the big-integer arithmetic behind
// it, small no matter what text arrives. MaxDigits leaves room for 30
// integer digits next to Places decimal places, so that every quantity below
// 10^30 that this package computes reads back exactly from its Text.
const (
	MaxInputLen = 100 // bytes
	MaxDigits   = 60  // digits in the number
)

// Parse parses a quantity written as a clinician writes it: "0.5 mg/kg",
// "176 lb", "156 mL/h". The grammar is in the package documentation. Parse is
// strict: a naked decimal (".5 mg"), a trailing decimal point, scientific
// notation, thousands separators, a sign, "cc", "U" and "IU" are refused with
// an error that says what to write instead.
func Parse(s string) (Quantity, error) { return parse(s, "Parse", false, true) }

// MustParse is like Parse but panics on an error. It is meant for tests and
// examples with literal quantities, never for data.
func MustParse(s string) Quantity {
	q, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return q
}

// maxFixSteps bounds how many hints are followed to find one that parses
// ("+.5 mg" → ".5 mg" → "0.5 mg").
const maxFixSteps = 4

// parse parses s. With hints, the Fix of an error is offered only if it
// parses itself (following at most maxFixSteps hints); without, Fix is the
// raw suggestion and may be refused in its turn.
func parse(s, fn string, allowMinus, hints bool) (Quantity, error) {
	fail := func(at int, elem, msg, fix string, err error) (Quantity, error) {
		if hints && fix != "" {
			fix = usableFix(fix, fn, allowMinus)
		}
		return Quantity{}, &ParseError{Func: fn, Input: s, Offset: at, Elem: elem, Msg: msg, Fix: fix, Err: err}
	}
	if len(s) > MaxInputLen {
		return Quantity{}, &ParseError{Func: fn, Input: truncate(s, 20), Msg: "longer than " + itoa(MaxInputLen) + " bytes", Err: ErrRange}
	}
	in := strings.TrimLeftFunc(s, unicode.IsSpace)
	off := len(s) - len(in)
	in = strings.TrimRightFunc(in, unicode.IsSpace)
	if in == "" {
		return fail(0, "", "empty quantity", "", ErrSyntax)
	}
	i := 0
	switch in[0] {
	case '+':
		return fail(off, "+", "sign on a quantity", in[1:], ErrSyntax)
	case '-':
		if !allowMinus {
			return fail(off, "-", "negative quantity; doses, volumes, rates, weights and durations cannot be negative", "", ErrRange)
		}
		i = 1
	}
	sign := in[:i]
	if i < len(in) && in[i] == '.' {
		return fail(off+i, ".", "naked decimal", sign+"0"+in[i:], ErrSyntax)
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
		return fail(off+start, intPart, "leading zeros", sign+strings.TrimLeft(intPart[:len(intPart)-1], "0")+intPart[len(intPart)-1:]+in[i:], ErrSyntax)
	}
	if i < len(in) && in[i] == ',' {
		msg, fix := commaHint(in, start, i, hints, fn, allowMinus)
		return fail(off+i, ",", msg, fix, ErrSyntax)
	}
	fracPart := ""
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
		if i < len(in) && in[i] == '.' {
			return fail(off+i, ".", "more than one decimal point", "", ErrSyntax)
		}
	}
	if len(intPart)+len(fracPart) > MaxDigits {
		return fail(off+start, in[start:i], "more than "+itoa(MaxDigits)+" digits", "", ErrRange)
	}
	if i < len(in) && (in[i] == 'e' || in[i] == 'E') && i+1 < len(in) && (isDigit(in[i+1]) || in[i+1] == '-' || in[i+1] == '+') {
		return fail(off+i, in[i:i+2], "scientific notation", sciFix(in, start, i), ErrSyntax)
	}
	num := in[:i]
	k := i
	for k < len(in) {
		r, n := utf8.DecodeRuneInString(in[k:])
		if !unicode.IsSpace(r) {
			break
		}
		k += n
	}
	if ws := in[i:k]; ws != "" && ws != " " {
		return fail(off+i, ws, "white space between number and unit must be one space", num+" "+in[k:], ErrSyntax)
	}
	if k == len(in) {
		return fail(off+k, "", "missing unit", "", ErrMissingUnit)
	}
	u, err := parseUnit(fn, in[k:], off+k, s, num)
	if err != nil {
		if pe, ok := err.(*ParseError); ok && hints && pe.Fix != "" {
			pe.Fix = usableFix(pe.Fix, fn, allowMinus)
		}
		return Quantity{}, err
	}
	v := digitsDec(intPart+fracPart, len(fracPart))
	if sign == "-" {
		v = v.negate()
	}
	return mk(v, u), nil
}

// usableFix follows a hint, and the hints of its own errors, until one parses,
// and returns it in canonical form (Text: "0.500 ug" → "0.5 mcg"); it returns
// "" if none parses within maxFixSteps. No hint is better than a hint that is
// refused in its turn.
func usableFix(fix, fn string, allowMinus bool) string {
	for range maxFixSteps {
		q, err := parse(fix, fn, allowMinus, false)
		if err == nil {
			return q.Text()
		}
		pe, ok := err.(*ParseError)
		if !ok || pe.Fix == "" {
			return ""
		}
		fix = pe.Fix
	}
	return ""
}

// commaHint explains a comma in the number that starts at in[start] and whose
// first comma is at in[at]. A single comma followed by exactly three digits
// ("1,500 mg") reads as a thousands separator in one locale and a decimal
// comma in another, a factor of 1000 apart, so no single fix is offered: the
// message names both readings and the writer must choose.
func commaHint(in string, start, at int, hints bool, fn string, allowMinus bool) (msg, fix string) {
	j := start
	for j < len(in) && (isDigit(in[j]) || in[j] == ',' || in[j] == '.') {
		j++
	}
	sign, numText, tail := in[:start], in[start:j], in[j:]
	groups := strings.Split(numText, ",")
	last, frac, point := strings.Cut(groups[len(groups)-1], ".")
	grouped := len(groups[0]) <= 3 && groups[0] != "0" && len(last) == 3 && allDigits(last) &&
		(!point || frac != "" && allDigits(frac))
	for _, g := range groups[1 : len(groups)-1] {
		grouped = grouped && len(g) == 3 && allDigits(g)
	}
	switch {
	case grouped && len(groups) == 2 && !point:
		msg = "ambiguous comma (thousands separator or decimal comma)"
		thousands := sign + groups[0] + last + tail
		decimalComma := sign + trimFraction(groups[0]+"."+last) + tail
		if hints {
			thousands, decimalComma = usableFix(thousands, fn, allowMinus), usableFix(decimalComma, fn, allowMinus)
			if thousands != "" && decimalComma != "" {
				msg += "; write " + quote(thousands) + " or " + quote(decimalComma)
			}
		}
		return msg, ""
	case grouped:
		return "thousands separator", sign + strings.ReplaceAll(numText, ",", "") + tail
	case len(groups) == 2 && !strings.Contains(numText, "."):
		return "decimal comma", in[:at] + "." + in[at+1:]
	default:
		return "comma in number", ""
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// trimFraction drops trailing zeros of a number with a point, and the point
// if nothing is left after it: "1.500" → "1.5", "1.000" → "1".
func trimFraction(s string) string {
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// truncate shortens s to at most n bytes, on a rune boundary, and marks the cut.
func truncate(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digitsDec returns the exact decimal with the given digits and number of
// decimal places: ("12345", 2) → 123.45. Unlike decimal.NewFromString it reads
// none of decimal's package settings (NewFromString consults
// MaxDecodeExponent), so parsing cannot change when another importer sets them.
func digitsDec(digits string, places int) dec {
	if len(digits) <= 18 {
		var n int64
		for i := 0; i < len(digits); i++ {
			n = n*10 + int64(digits[i]-'0')
		}
		d := decInt(n)
		d.exp = int32(-places)
		return d
	}
	b := new(big.Int)
	b.SetString(digits, 10)
	return decOfBig(b, int32(-places))
}

// sciFix writes a scientific-notation number out in full for the hint, when
// its exponent has at most two digits. in[start:e] is the mantissa and in[e]
// the 'e'.
func sciFix(in string, start, e int) string {
	j := e + 1
	neg := false
	if in[j] == '-' || in[j] == '+' {
		neg = in[j] == '-'
		j++
	}
	k := j
	for k < len(in) && isDigit(in[k]) {
		k++
	}
	if k == j || k-j > 2 {
		return ""
	}
	exp := 0
	for _, c := range in[j:k] {
		exp = exp*10 + int(c-'0')
	}
	if neg {
		exp = -exp
	}
	intPart, frac, _ := strings.Cut(in[start:e], ".")
	places := len(frac) - exp
	if places > Places {
		return ""
	}
	d := digitsDec(intPart+frac, 0)
	d.exp = int32(-places) // Shift: the digits are the coefficient
	return in[:start] + formatNumber(d, false) + " " + strings.TrimPrefix(in[k:], " ")
}
