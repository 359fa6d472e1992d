package units

import (
	"strings"

	"github.com/shopspring/decimal"
)

// String returns the ISMP / Joint Commission display form: a leading zero
// ("0.5 mg"), no trailing zero ("5 mg", never "5.0 mg"), thousands separators
// from 1,000 ("1,000 mg"), one space between number and unit, "mcg", "mL",
// "units" ("1 unit"), and plural dose forms ("2 devices"). It shows every digit of the
// exact value; rounding for display is a separate, declared step (RoundTo).
// The invalid Quantity reads "invalid quantity".
//
// String never depends on shopspring/decimal's package settings.
func (q Quantity) String() string {
	if !q.IsValid() {
		return "invalid quantity"
	}
	u := q.unitText()
	var buf [96]byte
	b := appendNumber(buf[:0], q.v, true)
	b = append(b, ' ')
	return string(append(b, u...))
}

// Text returns the canonical machine form: as String, but without thousands
// separators, so Parse reads it back ("1000 mg"). It is what MarshalText
// writes.
func (q Quantity) Text() string {
	if !q.IsValid() {
		return ""
	}
	u := q.unitText()
	var buf [96]byte
	b := appendNumber(buf[:0], q.v, false)
	b = append(b, ' ')
	return string(append(b, u...))
}

func (q Quantity) unitText() string {
	info := &table[q.v.u]
	if info.plural == "" && info.one == "" {
		return tab.sym[q.v.u]
	}
	if !q.v.equal(decOne) {
		if info.plural != "" {
			return info.plural
		}
	} else if info.one != "" {
		return info.one
	}
	return tab.sym[q.v.u]
}

// formatNumber prints v exactly, without trailing zeros, optionally grouping
// the integer part in thousands: decimal's StringFixed with the value's own
// number of places, trimmed, which is exact and ignores decimal's globals.
func formatNumber(v dec, group bool) string {
	var buf [96]byte
	return string(appendNumber(buf[:0], v, group))
}

// appendNumber appends formatNumber(v, group) to b.
func appendNumber(b []byte, v dec, group bool) []byte {
	if v.b != nil {
		return append(b, slowFormatNumber(v.decimal(), group)...)
	}
	var dbuf [48]byte
	digits := appendDigits(dbuf[:0], v.lo, v.hi)
	if v.exp > 0 && !v.isZero() {
		for range v.exp {
			digits = append(digits, '0')
		}
	}
	intPart, frac := digits, []byte(nil)
	if v.exp < 0 {
		places := int(-v.exp)
		if len(digits) > places {
			intPart, frac = digits[:len(digits)-places], digits[len(digits)-places:]
		} else {
			// 0.00ddd: places − len(digits) zeros, then the digits trimmed.
			frac = digits
			for len(frac) > 0 && frac[len(frac)-1] == '0' {
				frac = frac[:len(frac)-1]
			}
			if len(frac) == 0 {
				return append(b, '0')
			}
			if v.neg {
				b = append(b, '-')
			}
			b = append(b, '0', '.')
			for range places - len(digits) {
				b = append(b, '0')
			}
			return append(b, frac...)
		}
		for len(frac) > 0 && frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
	}
	if v.neg && (len(frac) > 0 || !allZero(intPart)) {
		b = append(b, '-')
	}
	if !group || len(intPart) <= 3 {
		b = append(b, intPart...)
	} else {
		first := len(intPart) % 3
		if first == 0 {
			first = 3
		}
		b = append(b, intPart[:first]...)
		for i := first; i < len(intPart); i += 3 {
			b = append(b, ',')
			b = append(b, intPart[i:i+3]...)
		}
	}
	if len(frac) > 0 {
		b = append(b, '.')
		b = append(b, frac...)
	}
	return b
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}

// slowFormatNumber is formatNumber through decimal, for a coefficient
// beyond 128 bits (and the reference the tests compare with).
func slowFormatNumber(v decimal.Decimal, group bool) string {
	places := int32(0)
	if e := v.Exponent(); e < 0 {
		places = -e
	}
	s := v.StringFixed(places)
	if strings.IndexByte(s, '.') >= 0 {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if s == "-0" {
		s = "0"
	}
	if !group {
		return s
	}
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + s
	}
	var b strings.Builder
	b.Grow(len(s) + len(intPart)/3 + 1)
	b.WriteString(sign)
	first := len(intPart) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(intPart[:first])
	for i := first; i < len(intPart); i += 3 {
		b.WriteByte(',')
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}

// MarshalText implements encoding.TextMarshaler with the canonical form
// (Text). The zero Quantity encodes as empty text, so optional fields
// round-trip. UnmarshalText reads back exactly every quantity below 10^30 in
// magnitude (a Quantity never has more than Places decimal places; see
// MaxDigits).
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.Text()), nil }

// UnmarshalText implements encoding.TextUnmarshaler. Empty text gives the zero
// Quantity. Otherwise the grammar is Parse's, except that a leading "-" is
// accepted, because MarshalText writes computed differences (deviations) with
// one; whether a negative value is allowed in a field is for the field's owner
// to check.
func (q *Quantity) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*q = Quantity{}
		return nil
	}
	p, err := parse(string(b), "UnmarshalText", true, true)
	if err != nil {
		return err
	}
	*q = p
	return nil
}
