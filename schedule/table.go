package schedule

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
)

// writeTable writes the timetable as a text table for people: one row per
// session with its phase, day, local start, the days and hours since the
// session before (the hours are what min_interval constrains), and why it
// moved; then the dropped sessions, restarts, stop and warnings, and the
// verification notice (dosing.Notice). The output depends only on the
// timetable, so it can be golden-tested.
func (t *timetable) writeTable(w io.Writer) error {
	var b bytes.Buffer
	zone := ""
	if t.cal != nil {
		zone = " (" + t.cal.loc.String() + ")"
	}
	fmt.Fprintf(&b, "Series from %s%s\n", t.Start, zone)
	if t.sp != nil {
		fmt.Fprintf(&b, "%s\n", t.sp.constraintsText())
	}
	if t.From != t.Start {
		fmt.Fprintf(&b, "Replanned from %s\n", t.From)
	}
	b.WriteByte('\n')

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tPhase\tSession\tDate\tDay\tStart\tDays\tHours\tNotes")
	for i, s := range t.Slots {
		days, hours := "", ""
		if i > 0 {
			prev := t.Slots[i-1]
			days = strconv.Itoa(s.Date.daysSince(prev.Date))
			hours = hoursText(s.Start.Sub(prev.Start))
		}
		fmt.Fprintf(tw, "%d\t%s\t%d of %d\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Index, s.Phase, s.Number, s.Of, s.Date,
			s.Date.Weekday().String()[:3], s.Start.Format("15:04 MST"), days, hours, slotNotes(s))
	}
	tw.Flush()

	foot := footer(t.Dropped, t.Restarts, func(i int) Date { return t.Slots[i].Date }, len(t.Slots), t.Stopped, t.Warnings)
	if len(foot) > 0 {
		b.WriteByte('\n')
		b.WriteString(strings.Join(foot, "\n"))
		b.WriteByte('\n')
	}
	b.WriteString("\n" + dosing.Notice + "\n")

	// tabwriter pads every cell, an empty last one too.
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

// slotNotes is the Notes cell: done, moved, and the reasons worth reading.
func slotNotes(s Slot) string {
	var parts []string
	if s.Done {
		parts = append(parts, "done")
		if s.Note != "" {
			parts[0] += " (" + s.Note + ")"
		}
	}
	if !s.MovedFrom.IsZero() {
		parts = append(parts, "moved from "+s.MovedFrom.Weekday().String()[:3]+" "+s.MovedFrom.String())
	}
	var why []string
	for _, r := range notableReasons(s.Reasons) {
		day := r.Date.String() // MM-DD is enough next to the session's own date
		if len(day) == len("2006-01-02") {
			day = day[5:]
		}
		why = append(why, strings.TrimSpace(day+" "+r.Detail))
	}
	note := strings.Join(parts, ", ")
	if len(why) > 0 {
		if note != "" {
			note += ": "
		}
		note += strings.Join(why, "; ")
	}
	return note
}

// constraintsText states the series' constraints in one line.
func (sp *spec) constraintsText() string {
	s := "min_interval " + sp.series.MinInterval.String()
	if sp.max7 > 0 {
		s += "; max_per_7_days " + strconv.Itoa(sp.max7)
	}
	if r := sp.restart; r != nil {
		s += fmt.Sprintf("; restart after %s: phase %q", r.rule.After, r.rule.Phase)
	}
	return s
}

// footer lists what the planner decided besides the sessions, for the text
// tables of a timetable and of a dosed plan; dateOf(i) is the date of the
// i-th of the n sessions (0-based).
func footer(dropped []Dropped, restarts []Restart, dateOf func(int) Date, n int, stopped *Event, warnings []string) []string {
	var foot []string
	for _, d := range dropped {
		foot = append(foot, fmt.Sprintf("Dropped: %s session %d on %s: %s", d.Phase, d.Number, d.Date, d.Reason.Detail))
	}
	for _, r := range restarts {
		if i := r.Index - 1; i < n && dateOf(i) == r.Date {
			foot = append(foot, fmt.Sprintf("Restart: session %d begins phase %q again, %d days after the session on %s", r.Index, r.Phase, r.Days, r.Previous))
			continue
		}
		// The Check dropped the restarted phase's first session.
		line := fmt.Sprintf("Restart: phase %q begins again on %s, %d days after the session on %s; its first session there was dropped", r.Phase, r.Date, r.Days, r.Previous)
		if r.Index-1 < n {
			line += fmt.Sprintf(" (session %d is the first one after the restart)", r.Index)
		}
		foot = append(foot, line)
	}
	if st := stopped; st != nil {
		line := "Stopped"
		if !st.Date.IsZero() {
			line += " on " + st.Date.String()
		}
		if st.Note != "" {
			line += ": " + st.Note
		}
		foot = append(foot, line+"; nothing more is planned")
	}
	for _, wn := range warnings {
		foot = append(foot, "Warning: "+wn)
	}
	return foot
}
