package dosing

import (
	"strings"

	"github.com/doseplan/doseplan/units"
)

// Display helpers shared by the dose worksheet, the order-check worksheet
// and the route estimate. They only format: every value in a result keeps
// its exact digits.

// cut prints the value before a rounding: exact to four decimal places,
// and beyond them cut (not rounded) with "…", so that the rounding it then
// undergoes can be judged from the digits shown (5.27496 mL is "5.2749… mL",
// which rounds to 0.01 mL as 5.27 mL; "≈ 5.275 mL" would not).
func cut(q units.Quantity) string {
	if !q.IsValid() || q.Exponent() >= -4 || !isInexact(q) && q.Equal(q.Truncate(4)) {
		return q.String()
	}
	s := q.Truncate(4).String()
	num, unit, _ := strings.Cut(s, " ")
	return num + "… " + unit
}

// equals prints "= 40 mg", or "≈ 0.3846 mg/mL" for a value rounded for
// display.
func equals(q units.Quantity) string {
	s := show(q)
	if strings.HasPrefix(s, "≈ ") {
		return s
	}
	return "= " + s
}

// equalsIf is equals, or "" for a value not computed.
func equalsIf(q units.Quantity) string {
	if !q.IsValid() {
		return ""
	}
	return equals(q)
}

// show prints a value rounded to four decimal places (a tiny value to two
// significant digits; a missing one as "—"), marked "≈" where that
// drops a digit that matters. A difference beyond the 20th place is the trace
// of a non-terminating division kept at units.Places, not information, and is
// not marked.
func show(q units.Quantity) string {
	if !q.IsValid() {
		return "—"
	}
	if zeroBeyond(q, 4) { // trailing zeros only: 40.000… is 40
		return q.String()
	}
	places := int32(4)
	if q.Round(4).Sign() == 0 {
		// A tiny value (a deviation) keeps two significant digits.
		v := q.Value()
		lead := v.Exponent() + int32(len(v.Abs().Coefficient().String())) - 1
		places = -lead + 1
	}
	d := q.Round(places)
	if zeroBeyond(q.Round(exactPlaces), places) { // only a trace beyond the 20th place
		return d.String()
	}
	return "≈ " + d.String()
}

// signed prints a deviation with its sign ("+0.03 mL", "≈ −0.545 %"),
// rounded like show; zero has no sign.
func signed(q units.Quantity) string {
	if !q.IsValid() {
		return "—"
	}
	s := show(q.Abs())
	approx := strings.HasPrefix(s, "≈ ")
	s = strings.TrimPrefix(s, "≈ ")
	switch {
	case q.Sign() < 0:
		s = "−" + s
	case q.Sign() > 0:
		s = "+" + s
	}
	if approx {
		s = "≈ " + s
	}
	return s
}

// display rounds a value to 4 decimal places (half up) for messages and the
// worksheet; the trail keeps the exact value.
func display(q units.Quantity) units.Quantity {
	if !q.IsValid() || q.Exponent() >= -4 {
		return q
	}
	return q.Round(4)
}
