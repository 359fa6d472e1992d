package envelope

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// WriteText writes the envelope for people: the grid, then at each level
// the outcomes, the range of every output with the patients at its
// extremes, and every region. Values are shown to four decimal places,
// marked "≈" where that drops digits; the JSON encoding keeps them all.
func (env *Envelope) WriteText(w io.Writer) error {
	b := bufio.NewWriter(w)
	pv := env.Provenance
	fmt.Fprintln(b, "PROTOCOL ENVELOPE")
	fmt.Fprintf(b, "Protocol: %s, version %s\n", pv.Name, pv.Version)
	if pv.SHA256 != "" {
		fmt.Fprintf(b, "SHA-256:  %s\n", pv.SHA256)
	}
	if env.Drug != "" {
		fmt.Fprintf(b, "Drug:     %s\n", strings.TrimSpace(env.Drug+" "+env.Route))
	}
	g := env.Grid
	fmt.Fprintln(b, "\nGRID")
	fmt.Fprintf(b, "  weights   %s (%d): %s\n", axisText(g.Weights), g.Weights.Count, g.Weights.Why)
	fmt.Fprintf(b, "  heights   %s (%d): %s\n", axisText(g.Heights), g.Heights.Count, g.Heights.Why)
	var sexes []string
	for _, s := range g.Sexes {
		sexes = append(sexes, sexText(s))
	}
	fmt.Fprintf(b, "  sexes     %s\n", strings.Join(sexes, ", "))
	fmt.Fprintf(b, "  ages      %s\n", g.AgesWhy)
	var lv []string
	for _, l := range env.Levels {
		lv = append(lv, levelName(l))
	}
	fmt.Fprintf(b, "  levels    %s\n", strings.Join(lv, "; "))
	if p := env.PK; p != nil {
		fmt.Fprintf(b, "  PK model  %s: %s (%s)\n", p.Model, p.Citation, p.Label)
	}
	perLevel := 0
	if len(env.Levels) > 0 {
		perLevel = env.Levels[0].Patients
	}
	fmt.Fprintf(b, "  patients  %s, %s at each level\n", count(env.Patients), count(perLevel))
	fmt.Fprintf(b, "\nA region is a set of grid patients: \"weight ≥ W\" means every grid weight from W to the last,\n")
	fmt.Fprintf(b, "%s; a boundary lies within one step of where it is shown. A band whose rows differ is\n", g.Weights.To.String())
	fmt.Fprintln(b, "summarised here; the JSON lists every row.")

	for _, l := range env.Levels {
		fmt.Fprintf(b, "\nLEVEL %s\n", levelName(l))
		fmt.Fprintf(b, "  %s patients: %s within the limits, %s need review, %s refused\n",
			count(l.Patients), share(l.Within, l.Patients), share(l.Review, l.Patients), share(l.Refused, l.Patients))
		results := l.Patients - l.Refused
		if len(l.Ranges) > 0 {
			fmt.Fprintf(b, "\n  RANGES over the %s results\n", count(results))
		}
		for _, r := range l.Ranges {
			if r.Min.Value.Equal(r.Max.Value) {
				fmt.Fprintf(b, "    %s: %s at %s\n", r.Name, value(r.Min.Value), extremeWhere(r.Min, results, g))
				continue
			}
			fmt.Fprintf(b, "    %s: %s to %s\n", r.Name, value(r.Min.Value), value(r.Max.Value))
			fmt.Fprintf(b, "      min at %s\n", extremeWhere(r.Min, results, g))
			fmt.Fprintf(b, "      max at %s\n", extremeWhere(r.Max, results, g))
		}
		fmt.Fprintln(b, "\n  REGIONS")
		if len(l.Regions) == 0 {
			fmt.Fprintln(b, "    none")
		}
		for _, r := range l.Regions {
			fmt.Fprintf(b, "  - %s [%s]: %s\n", r.What, r.Key, share(r.Patients, l.Patients))
			for _, pt := range r.Parts {
				writePart(b, pt, g)
			}
		}
	}
	if env.PK != nil {
		fmt.Fprintf(b, "\nEvery Cmax above is a %s.\n", env.PK.Label)
	}
	fmt.Fprintf(b, "\n%s\n", env.Notice)
	return b.Flush()
}

func levelName(l Level) string {
	if !l.Dose.IsValid() {
		return strconv.Itoa(l.Number) + ": the rule's bands"
	}
	return strconv.Itoa(l.Number) + ": " + l.Dose.String()
}

func axisText(a AxisInfo) string {
	if a.Count == 1 {
		return a.From.String()
	}
	return a.From.String() + " to " + a.To.String() + " by " + a.Step.String()
}

func sexText(s dosing.Sex) string {
	if s == 0 {
		return "sex not given"
	}
	return s.String()
}

// count writes n with thousands separators, as ISMP asks of numbers from
// 1,000.
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// share writes "1,234 (5.6 %)"; the percentage is rounded half up to one
// place, and "< 0.1 %" where that would show 0 of a non-zero count.
func share(n, of int) string {
	if of == 0 {
		return count(n)
	}
	tenths := (n*1000 + of/2) / of
	pct := strconv.Itoa(tenths/10) + "." + strconv.Itoa(tenths%10)
	pct = strings.TrimSuffix(pct, ".0")
	if tenths == 0 && n > 0 {
		pct = "< 0.1"
	}
	return count(n) + " (" + pct + " %)"
}

// extremeWhere says which patients have an extreme: "every result", or
// how many and where.
func extremeWhere(e Extreme, results int, g Grid) string {
	if e.Patients == results {
		return "every result"
	}
	s := count(e.Patients) + " patients: "
	if e.Patients == 1 {
		s = "1 patient: "
	}
	var parts []string
	for _, pt := range e.Where {
		parts = append(parts, partInline(pt, g))
	}
	return s + strings.Join(parts, "; ")
}

// partInline writes a part on one line: its slices, then its bands.
func partInline(pt Part, g Grid) string {
	label := slicesText(pt.Slices)
	if pt.Every {
		return label + ", every weight and height"
	}
	rowAt, across, rowName, acrossName := axes(pt.By, g)
	var bands []string
	for _, band := range pt.Bands {
		bands = append(bands, rowsText(band, rowAt, rowName)+": "+bandText(band, across, rowName, acrossName))
	}
	return label + ", " + strings.Join(bands, "; ")
}

// value shows an output's value; a deviation in % carries its sign.
func value(q units.Quantity) string {
	s := show(q)
	if q.IsValid() && q.Unit() == units.Percent {
		switch q.Sign() {
		case 1:
			if rest, ok := strings.CutPrefix(s, "≈ "); ok {
				return "≈ +" + rest
			}
			return "+" + s
		case -1:
			return strings.Replace(s, "-", "−", 1)
		}
	}
	return s
}

// writePart writes the slices of a part and its bands.
func writePart(b *bufio.Writer, pt Part, g Grid) {
	label := slicesText(pt.Slices)
	if pt.Every {
		fmt.Fprintf(b, "      %s: every weight and height\n", label)
		return
	}
	fmt.Fprintf(b, "      %s:\n", label)
	rowAt, across, rowName, acrossName := axes(pt.By, g)
	for _, band := range pt.Bands {
		fmt.Fprintf(b, "        %s: %s\n", rowsText(band, rowAt, rowName), bandText(band, across, rowName, acrossName))
	}
}

// axes returns a part's row axis and cross axis, with their names.
func axes(by string, g Grid) (rowAt, across []units.Quantity, rowName, acrossName string) {
	if by == "weight" {
		return g.weights, g.heights, "weight", "height"
	}
	return g.heights, g.weights, "height", "weight"
}

// slicesText names the slices of a part: "male and female, 18 years", or
// a list where they are not every combination of their sexes and ages.
func slicesText(sl []Slice) string {
	var sexes []dosing.Sex
	var ages []dosing.Years
	for _, s := range sl {
		if !slices.Contains(sexes, s.Sex) {
			sexes = append(sexes, s.Sex)
		}
		if !slices.Contains(ages, s.Age) {
			ages = append(ages, s.Age)
		}
	}
	if len(sexes)*len(ages) != len(sl) {
		var each []string
		for _, s := range sl {
			each = append(each, sexText(s.Sex)+", "+ageText(s.Age))
		}
		return strings.Join(each, "; ")
	}
	var names []string
	for _, s := range sexes {
		names = append(names, sexText(s))
	}
	sx := and(names)
	names = names[:0]
	var notGiven bool
	for _, a := range ages {
		if a == 0 {
			notGiven = true
			continue
		}
		names = append(names, strconv.Itoa(int(a)))
	}
	ag := ""
	switch {
	case len(names) == 1 && names[0] == "1":
		ag = "1 year"
	case len(names) > 0:
		ag = and(names) + " years"
	}
	if notGiven {
		ag = strings.TrimPrefix(ag+" and age not given", " and ")
	}
	return sx + ", " + ag
}

// and joins "a", "a and b", "a, b and c".
func and(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// rowsText names a band's rows: "heights 150–175 cm", "height 150 cm",
// "every height".
func rowsText(band Band, at []units.Quantity, name string) string {
	switch {
	case band.From.Equal(band.To):
		return name + " " + band.From.String()
	case band.From.Equal(at[0]) && band.To.Equal(at[len(at)-1]):
		return "every " + name
	}
	return name + "s " + span(band.From, band.To)
}

// span writes "150–175 cm" (both in one unit, as grid values are), or
// "150 cm" for a span of one value.
func span(a, b units.Quantity) string {
	if a.Equal(b) {
		return a.String()
	}
	as, bs := a.String(), b.String()
	if i, j := strings.LastIndexByte(as, ' '), strings.LastIndexByte(bs, ' '); i > 0 && j > 0 && as[i:] == bs[j:] {
		return as[:i] + "–" + bs
	}
	return as + " to " + bs
}

// maxSpansShown is how many spans a line lists before it says how many
// there are.
const maxSpansShown = 6

// spansText writes the spans of a row on the cross axis: "weight ≥ 134 kg",
// "weight ≤ 60 kg or 70–80 kg", "every weight".
func spansText(spans []Span, across []units.Quantity, name string) string {
	first, last := across[0], across[len(across)-1]
	var parts []string
	for i, s := range spans {
		if i == maxSpansShown-1 && len(spans) > maxSpansShown {
			parts = append(parts, "… ("+strconv.Itoa(len(spans))+" intervals in all, up to "+spanText(spans[len(spans)-1], first, last)+")")
			break
		}
		if s.From.Equal(first) && s.To.Equal(last) {
			return "every " + name
		}
		parts = append(parts, spanText(s, first, last))
	}
	return name + " " + strings.Join(parts, " or ")
}

func spanText(s Span, first, last units.Quantity) string {
	switch {
	case s.From.Equal(s.To):
		return s.From.String()
	case s.To.Equal(last) && !s.From.Equal(first):
		return "≥ " + s.From.String()
	case s.From.Equal(first) && !s.To.Equal(last):
		return "≤ " + s.To.String()
	}
	return span(s.From, s.To)
}

// bandText describes a band on the cross axis: its spans where every row
// has the same, otherwise a summary of how its rows change.
func bandText(band Band, across []units.Quantity, rowName, name string) string {
	if band.Shape == Same {
		return spansText(band.Spans, across, name)
	}
	rows := band.Rows
	first, last := rows[0], rows[len(rows)-1]
	at := func(r Row) string { return " at " + r.At.String() }
	switch band.Shape {
	case From, UpTo:
		end := func(r Row) units.Quantity { return r.Spans[0].From }
		sign := "≥"
		if band.Shape == UpTo {
			end, sign = func(r Row) units.Quantity { return r.Spans[0].To }, "≤"
		}
		lo, hi, up, down := rows[0], rows[0], true, true
		for i, r := range rows {
			if below(end(r), end(lo)) {
				lo = r
			}
			if above(end(r), end(hi)) {
				hi = r
			}
			if i > 0 {
				c, ok := compare(end(r), end(rows[i-1]))
				up, down = up && ok && c >= 0, down && ok && c <= 0
			}
		}
		switch {
		case up:
			return name + " " + sign + " a threshold rising with " + rowName + " from " + end(first).String() + at(first) + " to " + end(last).String() + at(last)
		case down:
			return name + " " + sign + " a threshold falling with " + rowName + " from " + end(first).String() + at(first) + " to " + end(last).String() + at(last)
		}
		return name + " " + sign + " a threshold between " + end(lo).String() + at(lo) + " and " + end(hi).String() + at(hi)
	case Between:
		return "one " + name + " interval per " + rowName + ", from " + span(first.Spans[0].From, first.Spans[0].To) + at(first) +
			" to " + span(last.Spans[0].From, last.Spans[0].To) + at(last)
	}
	fewest, most := len(rows[0].Spans), len(rows[0].Spans)
	lo, hi := rows[0].Spans[0].From, rows[0].Spans[len(rows[0].Spans)-1].To
	for _, r := range rows {
		fewest, most = min(fewest, len(r.Spans)), max(most, len(r.Spans))
		if f := r.Spans[0].From; below(f, lo) {
			lo = f
		}
		if t := r.Spans[len(r.Spans)-1].To; above(t, hi) {
			hi = t
		}
	}
	n := strconv.Itoa(fewest) + " to " + strconv.Itoa(most)
	if fewest == most {
		n = strconv.Itoa(fewest)
	}
	return count(band.Patients) + " patients in " + n + " " + name + " intervals per " + rowName +
		", " + name + " " + span(lo, hi) + "; at " + first.At.String() + ": " + spansText(first.Spans, across, name)
}

// show displays a value at most at four decimal places, marked "≈" where
// that drops a digit (digits beyond the 20th place are the trace of a
// division kept at units.Places, not information).
func show(q units.Quantity) string {
	if !q.IsValid() {
		return "—"
	}
	v := q.Value()
	if v.Exponent() >= -4 {
		return q.String()
	}
	r := units.New(v.Round(4), q.Unit())
	if v.Round(20).Equal(r.Value()) {
		return r.String()
	}
	return "≈ " + r.String()
}
