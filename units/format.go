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
	return formatNumber(q.v, true) + " " + q.unitText()
}

// Text returns the canonical machine form: as String, but without thousands
// separators, so Parse reads it back ("1000 mg"). It is what MarshalText
// writes.
func (q Quantity) Text() string {
	if !q.IsValid() {
		return ""
	}
	return formatNumber(q.v, false) + " " + q.unitText()
}

func (q Quantity) unitText() string {
	info := &table[q.u]
	if info.plural == "" && info.one == "" {
		return tab.sym[q.u]
	}
	if !q.v.Equal(one) {
		if info.plural != "" {
			return info.plural
		}
	} else if info.one != "" {
		return info.one
	}
	return tab.sym[q.u]
}

// formatNumber prints v exactly, without trailing zeros, optionally grouping
// the integer part in thousands. It uses StringFixed with the value's own
// number of places, which is exact and ignores decimal's globals.
func formatNumber(v decimal.Decimal, group bool) string {
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
