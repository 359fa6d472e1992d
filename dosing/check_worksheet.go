package dosing

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// WriteWorksheet writes the check as a pharmacist's verification worksheet:
// the rule and the patient, the verdict, each ordered value against the
// protocol (expected value, deviation, tolerance, verdict, the trail step it
// comes from, limits crossed and likely causes with their evidence), the
// order's own relations, the likely causes ranked, the protocol's warnings,
// the independent calculation step by step, and the verification notice.
// Values with more than four decimal places are shown rounded to four and
// marked "≈"; the JSON encoding keeps every digit.
func (r CheckResult) WriteWorksheet(w io.Writer) error {
	b := &trimWriter{w: bufio.NewWriter(w)}
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	writeHeader(p, "ORDER CHECK WORKSHEET", r.Provenance, r.Drug, r.Route, r.Patient)
	p("\nVERDICT\n%s\n", r.Summary)
	r.writeImplied(b, p)
	r.writeFields(b, p)
	r.writeRelations(b, p)
	if len(r.LikelyCauses) > 0 {
		p("\nLIKELY CAUSES (most places explained first)\n")
		for i, lc := range r.LikelyCauses {
			p("  %d. %s: %s\n", i+1, lc.Kind, strings.Join(lc.Where, ", "))
		}
	}
	if len(r.Notes) > 0 {
		p("\nNOTES\n")
		for _, n := range r.Notes {
			p("- %s\n", n)
		}
	}
	p("\nPROTOCOL WARNINGS\n")
	if len(r.Expected.Warnings) == 0 {
		p("none\n")
	}
	for _, w := range r.Expected.Warnings {
		p("- [%s] %s: %s\n", w.Severity, w.Key, w.Message)
		if w.Ack != nil {
			p("  acknowledged: %s\n", w.Ack.Reason)
		}
	}
	p("\nINDEPENDENT CALCULATION\n")
	p("Dosing weight: %s: %s\n", show(r.Expected.Weight.Value), r.Expected.Weight.Reason)
	for i, s := range r.Expected.Steps {
		writeStep(p, i+1, s)
	}
	p("\n%s\n", r.Notice)
	return b.Flush()
}

// writeImplied writes what the order as written gives, per kg of the
// weight the rule doses on, each value with its status and derivations.
func (r CheckResult) writeImplied(b io.Writer, p func(string, ...any)) {
	if len(r.Implied) == 0 {
		return
	}
	of := "the dosing weight"
	if len(r.Expected.Weight.UsedFor) == 0 {
		of = "the actual weight" // the rule doses on no weight
	}
	p("\nWHAT THE ORDER GIVES AS WRITTEN (per kg of %s, %s)\n", of, show(r.Expected.Weight.Value))
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  value\tgives\tper kg\tlimits\tfrom\n")
	for _, v := range r.Implied {
		status := "within"
		switch {
		case v.beyond():
			status = "BEYOND A HARD LIMIT"
		case len(v.Limits) > 0:
			status = "soft limit, review"
		case v.NoLimit:
			status = "no limit set"
		}
		var from []string
		for i, d := range v.From {
			if i == 2 {
				from = append(from, "and "+countOf(len(v.From)-2, "other way"))
				break
			}
			from = append(from, formulaWithValues(d))
		}
		perKg := ""
		if v.PerKg.IsValid() {
			perKg = show(v.PerKg)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", v.Value, show(v.Gives), perKg, status, strings.Join(from, "; "))
	}
	tw.Flush()
}

// writeFields writes each ordered value against the protocol, then the
// limits it crosses, its likely causes and notes.
func (r CheckResult) writeFields(b io.Writer, p func(string, ...any)) {
	stepNo := map[string]int{}
	for i, s := range r.Expected.Steps {
		stepNo[s.ID] = i + 1
	}
	p("\nTHE ORDER AGAINST THE PROTOCOL\n")
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  value\tordered\texpected\tdeviation\ttolerance\tverdict\ttrail\n")
	for _, f := range r.Fields {
		trail := ""
		if n, ok := stepNo[f.Step]; ok {
			trail = "step " + strconv.Itoa(n)
		}
		expected := show(f.Expected)
		if f.ProtocolValue.IsValid() && f.ProtocolValue.Unit() != f.Expected.Unit() {
			expected = show(f.ProtocolValue) + " (" + show(f.Expected) + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t±%s\t%s\t%s\n", f.Field, show(f.Ordered), expected, deviationText(f.Deviation, f.DeviationPct),
			show(f.Tolerance), verdictText(f.Verdict), trail)
	}
	tw.Flush()
	for _, f := range r.Fields {
		for _, l := range f.Limits {
			rel := "above"
			if l.Kind == HardMin || l.Kind == SoftMin {
				rel = "below"
			}
			p("  %s: %s %s %s (%s, %s)\n", f.Field, show(f.Ordered), rel, show(l.Bound), l.Limit, limitText(l.Kind))
		}
		for _, c := range f.Causes {
			p("  %s: likely cause %s: %s\n", f.Field, c.Kind, c.Evidence)
		}
		if f.Note != "" {
			p("  %s: note: %s\n", f.Field, f.Note)
		}
	}
}

// writeRelations writes the order's relations with the stated and derived
// values, then, for each that fails, what the order's other values give or
// its likely causes.
func (r CheckResult) writeRelations(b io.Writer, p func(string, ...any)) {
	p("\nTHE ORDER AGAINST ITSELF\n")
	if len(r.Relations) == 0 {
		p("  none: no relation of the order has all its values")
		if len(r.Notes) > 0 {
			p(" (see the notes for relations not checked)")
		}
		p("\n")
		return
	}
	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  relation\tstated\tderived\tdeviation\ttolerance\tverdict\n")
	for _, c := range r.Relations {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t±%s\t%s\n", c.Relation, show(c.Stated), show(c.Derived),
			deviationText(c.Deviation, c.DeviationPct), show(c.Tolerance), verdictText(c.Verdict))
	}
	tw.Flush()
	for _, c := range r.Relations {
		// From the order's side; a named cause says it with its factor.
		if c.Verdict == Mismatch && len(c.Causes) == 0 {
			_, rhs, _ := strings.Cut(c.Relation, " = ")
			p("  %s: the order's %s gives %s, %s the stated %s %s\n", c.ID, rhs, show(c.Derived),
				factorText(ratioPct(c.DeviationPct)), orderFields[fieldByKey(c.Fields[0])].title, show(c.Stated))
		}
		for _, cause := range c.Causes {
			p("  %s: likely cause %s: %s\n", c.ID, cause.Kind, cause.Evidence)
		}
	}
}

// deviationText writes a deviation from the order's side: "+4 mg
// (+10 %)", or as a factor once the order gives at least twice or at most
// half the reference: "+360 mg (× 10)", "−140.4 mL/h (÷ 10)".
func deviationText(dev, pct units.Quantity) string {
	if !dev.IsValid() {
		return "—"
	}
	if pct.IsValid() {
		r := ratioPct(pct)
		if r.Sign() > 0 && (r.Value().GreaterThanOrEqual(decimal.NewFromInt(200)) || r.Value().LessThanOrEqual(decimal.NewFromInt(50))) {
			return signed(dev) + " (" + factorText(r) + ")"
		}
	}
	return signed(dev) + " (" + signed(pct) + ")"
}

// ratioPct turns a deviation in % into the ratio it is, in %: +400 % is
// 500 %.
func ratioPct(pct units.Quantity) units.Quantity {
	if !pct.IsValid() {
		return pct
	}
	return units.New(pct.Value().Add(decHundred), units.Percent)
}

func verdictText(v Verdict) string {
	switch v {
	case Match:
		return "match"
	case Mismatch:
		return "MISMATCH"
	}
	return "not in protocol" // only the order's own relations apply
}

func limitText(k LimitKind) string {
	switch k {
	case HardMax:
		return "hard maximum"
	case HardMin:
		return "hard minimum"
	case SoftMax:
		return "soft maximum, needs review"
	case SoftMin:
		return "soft minimum, needs review"
	}
	return string(k)
}

// trimWriter drops the spaces tabwriter pads an empty last column with, so
// no line of a worksheet ends in white space.
type trimWriter struct {
	w       *bufio.Writer
	pending []byte // spaces not yet known to be followed by text
}

func (t *trimWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		switch c {
		case ' ':
			t.pending = append(t.pending, c)
			continue
		case '\n':
			t.pending = t.pending[:0]
		default:
			if _, err := t.w.Write(t.pending); err != nil {
				return 0, err
			}
			t.pending = t.pending[:0]
		}
		if err := t.w.WriteByte(c); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what is buffered; trailing spaces are dropped.
func (t *trimWriter) Flush() error { return t.w.Flush() }
