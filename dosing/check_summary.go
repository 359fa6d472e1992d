package dosing

import (
	"strconv"
	"strings"
)

// checkSummary writes the verdict: a line for each value the order gives
// beyond a hard limit or cap, then one for each beyond a soft limit, then
// the paragraph on agreement and consistency.
func checkSummary(r CheckResult) string {
	var b strings.Builder
	for _, hard := range []bool{true, false} {
		for _, v := range r.Implied {
			if len(v.Limits) > 0 && v.beyond() == hard {
				b.WriteString(impliedLine(v) + "\n")
			}
		}
	}
	switch {
	case r.Matches():
		b.WriteString("MATCH: ")
	case r.Agreement == Mismatch || r.Consistency == Mismatch || r.Limits == Mismatch:
		b.WriteString("MISMATCH: ")
	default:
		// Nothing disagreed, but nothing could be compared either: the
		// order is not confirmed, which is not the same as wrong.
		b.WriteString("NOT CONFIRMED: ")
	}
	bad := agreementText(&b, r)
	consistencyText(&b, r, bad)
	if len(r.LikelyCauses) > 0 {
		lc := r.LikelyCauses[0]
		b.WriteString(". Likely cause: " + string(lc.Kind) + " (" + strings.Join(lc.Where, ", ") + ")")
	}
	b.WriteString(".")
	return b.String()
}

// agreementText writes how the ordered values compare with the protocol,
// those it does not define and those beyond a soft limit; it returns how
// many disagree.
func agreementText(b *strings.Builder, r CheckResult) int {
	var bad, ok, none []string
	for _, f := range r.Fields {
		switch f.Verdict {
		case Mismatch:
			bad = append(bad, f.Field)
		case Match:
			ok = append(ok, f.Field)
		default:
			none = append(none, f.Field)
		}
	}
	compared := len(bad) + len(ok)
	switch {
	case compared == 0 && r.Limits == Mismatch:
		b.WriteString("as written the order is beyond a hard limit; the protocol defines none of the ordered values (" + strings.Join(none, ", ") + ")")
		none = nil
	case compared == 0:
		b.WriteString("the protocol defines none of the ordered values (" + strings.Join(none, ", ") + ")")
		none = nil
	case len(bad) == 0 && r.Limits == Mismatch:
		b.WriteString("as written the order is beyond a hard limit, though all " + strconv.Itoa(compared) + " values compared agree with the protocol")
	case len(bad) == 0:
		b.WriteString("all " + strconv.Itoa(compared) + " values compared agree with the protocol")
	default:
		b.WriteString(strconv.Itoa(len(bad)) + " of " + strconv.Itoa(compared) + " values disagree with the protocol (" + strings.Join(bad, ", ") + ")")
	}
	if len(none) > 0 {
		b.WriteString("; not in the protocol: " + strings.Join(none, ", "))
	}
	var soft []string
	for _, f := range r.Fields {
		for _, l := range f.Limits {
			if l.Kind == SoftMax || l.Kind == SoftMin {
				soft = append(soft, f.Field)
				break
			}
		}
	}
	if len(soft) > 0 {
		b.WriteString("; beyond a soft limit, for review: " + strings.Join(soft, ", "))
	}
	return len(bad)
}

// consistencyText writes whether the order's relations hold; an order that
// holds together and disagrees with the protocol (bad values) is said to be
// consistent but wrong.
func consistencyText(b *strings.Builder, r CheckResult, bad int) {
	var failed []string
	for _, c := range r.Relations {
		if c.Verdict == Mismatch {
			failed = append(failed, c.ID)
		}
	}
	switch {
	case len(r.Relations) == 0:
		b.WriteString("; no relation of the order could be checked")
	case len(failed) == 0:
		b.WriteString("; the order is consistent with itself (" + countOf(len(r.Relations), "relation") + ")")
		if bad > 0 {
			b.WriteString(": a consistent but wrong order")
		}
	default:
		b.WriteString("; the order contradicts itself (" + strings.Join(failed, ", ") + ")")
	}
}

// impliedLine writes a value the order gives beyond a limit as one line of
// the verdict: "as written this order gives 200 mg (2.5 mg/kg), by volume
// drawn 4 mL × stock concentration 50 mg/mL: above the hard maximum 100 mg
// (limits.dose.hard_max); 2.5 mg/kg is above the hard maximum 1 mg/kg
// (limits.dose_per_kg.hard_max)". A soft crossing is marked for review.
func impliedLine(v ImpliedValue) string {
	var b strings.Builder
	if !v.beyond() {
		b.WriteString("for review: ")
	}
	b.WriteString("as written this order " + fieldByKey(v.Value).desc().verb + " " + show(v.Gives))
	if v.PerKg.IsValid() {
		b.WriteString(" (" + show(v.PerKg) + ")")
	}
	if d := v.From[0]; d.Formula != "as stated" {
		b.WriteString(", by " + formulaWithValues(d))
	}
	b.WriteString(": ")
	var own, perKg []LimitCrossing
	for _, l := range v.Limits {
		if l.Value.Equal(v.PerKg) && v.PerKg.IsValid() && l.Value.Dimension() != v.Gives.Dimension() {
			perKg = append(perKg, l)
		} else {
			own = append(own, l)
		}
	}
	b.WriteString(crossingText(own))
	if len(perKg) > 0 {
		if len(own) > 0 {
			b.WriteString("; " + show(v.PerKg) + " is ")
		}
		b.WriteString(crossingText(perKg))
	}
	return b.String()
}

// formulaWithValues writes a derivation with its values: "volume drawn
// 4 mL × stock concentration 50 mg/mL".
func formulaWithValues(d Derivation) string {
	s, at := d.Formula, 0
	for _, t := range d.Inputs {
		i := strings.Index(s[at:], t.Name)
		if i < 0 {
			continue
		}
		with := t.Name + " " + show(t.Value)
		s = s[:at+i] + with + s[at+i+len(t.Name):]
		at += i + len(with)
	}
	return s
}

// crossingText writes limits crossed: "above the hard maximum 100 mg
// (limits.dose.hard_max) and the cap 100 mg (cap)", below ones after.
func crossingText(ls []LimitCrossing) string {
	var above, below []string
	for _, l := range ls {
		t := "the " + limitWords(l) + " " + show(l.Bound)
		if l.Limit != "cap" {
			t += " (" + l.Limit + ")"
		}
		if l.Kind == HardMin || l.Kind == SoftMin {
			below = append(below, t)
		} else {
			above = append(above, t)
		}
	}
	and := func(xs []string) string {
		if len(xs) < 2 {
			return strings.Join(xs, "")
		}
		return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
	}
	var parts []string
	if len(above) > 0 {
		parts = append(parts, "above "+and(above))
	}
	if len(below) > 0 {
		parts = append(parts, "below "+and(below))
	}
	return strings.Join(parts, "; ")
}

// limitWords names a limit for people: "hard maximum", "cap", "pump's
// maximum rate".
func limitWords(l LimitCrossing) string {
	switch {
	case strings.HasPrefix(l.Limit, "cap"):
		return "cap"
	case l.Limit == "infusion.pump.max_rate":
		return "pump's maximum rate"
	case l.Limit == "infusion.pump.min_rate":
		return "pump's minimum rate"
	case l.Limit == "infusion.pump.min_duration":
		return "pump's minimum duration"
	case l.Limit == "form.max_count":
		return "largest number of dose forms"
	case l.Limit == "form.min_count":
		return "smallest number of dose forms"
	}
	return map[LimitKind]string{HardMax: "hard maximum", HardMin: "hard minimum", SoftMax: "soft maximum", SoftMin: "soft minimum"}[l.Kind]
}

// countOf writes "1 relation", "3 relations".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
