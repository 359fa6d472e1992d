package schedule

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/doseplan/doseplan/dosing"
)

// WriteTable writes the plan for people: the protocol and its provenance,
// one row per session (date, local start, dose, what is given and how, end
// of administration, earliest discharge, notes), then the session day's
// timed checks, dropped sessions, restarts, warnings and protocol findings,
// and the notice.
func (pl *SessionPlan) WriteTable(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "Plan: %s (version %s)\n", pl.Protocol.Name, pl.Protocol.Version)
	if pl.Protocol.SHA256 != "" {
		fmt.Fprintf(&b, "Protocol SHA-256: %s\n", pl.Protocol.SHA256)
	}
	fmt.Fprintf(&b, "Patient: %s\n", patientText(pl.Patient))
	if pl.table != nil && pl.table.sp != nil {
		fmt.Fprintf(&b, "Series from %s (%s); %s\n", pl.Start, pl.Calendar.Zone, pl.table.sp.constraintsText())
	}
	if pl.table != nil && pl.table.From != pl.table.Start {
		fmt.Fprintf(&b, "Replanned from %s\n", pl.table.From)
	}
	b.WriteByte('\n')
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tPhase\tDate\tDay\tStart\tDose\tGiven as\tEnd\tDischarge\tNotes")
	for _, s := range pl.Sessions {
		fmt.Fprintf(tw, "%d\t%s %d/%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Index, s.Phase, s.Number, s.Of, s.Date,
			s.Date.Weekday().String()[:3], clockText(s.Start), doseText(s), givenAs(s.Dose),
			clockText(s.Timeline.EndOfAdministration), clockText(s.Timeline.EarliestDischarge), sessionNotes(s))
	}
	tw.Flush()
	var foot []string
	if pl.protocol != nil {
		if day := pl.protocol.sessionDayText(); day != "" {
			foot = append(foot, "Session day: "+day+"")
		}
	}
	if pl.TotalDose.IsValid() {
		foot = append(foot, "Total over the series: "+pl.TotalText())
	}
	if pl.NeedReview > 0 {
		foot = append(foot, fmt.Sprintf("Sessions needing review (unacknowledged warnings): %d", pl.NeedReview))
	}
	foot = append(foot, footer(pl.Dropped, pl.Restarts, func(i int) Date { return pl.Sessions[i].Date }, len(pl.Sessions), pl.Stopped, pl.Warnings)...)
	for _, f := range pl.Findings {
		foot = append(foot, "Protocol "+f.String())
	}
	if len(foot) > 0 {
		b.WriteByte('\n')
		b.WriteString(strings.Join(foot, "\n"))
		b.WriteByte('\n')
	}
	b.WriteString("\n" + dosing.Notice + "\n")
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func patientText(p dosing.Patient) string {
	parts := []string{p.Weight.String()}
	if p.Height.IsValid() {
		parts = append(parts, p.Height.String())
	}
	if p.Sex != 0 {
		parts = append(parts, p.Sex.String())
	}
	return strings.Join(parts, ", ")
}

func doseText(s Session) string {
	d := s.Dose.Dose.String()
	if s.Proposed {
		d += " (proposed)"
	}
	return d
}

// givenAs says how the dose is given: dose forms, or pump rate and duration.
func givenAs(r dosing.Result) string {
	switch {
	case r.Infusion != nil:
		return r.Infusion.PumpRate.String() + " × " + r.Infusion.Duration.String()
	case r.Form != nil:
		return r.Form.Count.String() + " of " + r.Form.Strength.String()
	case r.Preparation != nil:
		return r.Preparation.Draw.String() + " of " + r.Preparation.Stock.String()
	}
	return ""
}

func sessionNotes(s Session) string {
	var n []string
	if s.Done {
		done := "done"
		if s.Note != "" {
			done += " (" + s.Note + ")"
		}
		if s.Given.IsValid() {
			done += ", " + s.Given.String() + " given"
		}
		n = append(n, done)
	}
	why := reasonsText(notableReasons(s.Reasons))
	switch {
	case !s.MovedFrom.IsZero() && len(why) > 0:
		n = append(n, "moved from "+s.MovedFrom.String()+": "+strings.Join(why, ", "))
	case !s.MovedFrom.IsZero():
		n = append(n, "moved from "+s.MovedFrom.String())
	case len(why) > 0:
		n = append(n, strings.Join(why, ", "))
	}
	if v, ok := s.Dose.RoundedValue("dose"); ok {
		n = append(n, v.String()) // rounding is never silent: requested → gives
	}
	if s.Dose.NeedsReview() {
		n = append(n, "needs review")
	}
	for _, w := range s.Dose.Warnings {
		if a := w.Ack; a != nil {
			ack := "acknowledged " + w.Key + ": " + a.Reason
			if a.By != "" {
				ack += " (" + a.By + ")"
			}
			n = append(n, ack)
		}
	}
	for _, w := range s.Dose.Warnings {
		if w.Severity == dosing.Info {
			n = append(n, w.Message)
		}
	}
	for _, w := range s.Warnings {
		if !strings.Contains(w, "is proposed") {
			n = append(n, w)
		}
	}
	return strings.Join(n, "; ")
}

// reasonsText writes reasons as "03-12 clinic closed (staff training)",
// a run of consecutive days refused for the same reason as one
// ("04-11 to 04-14 clinic closed (spring closure)").
func reasonsText(rs []Reason) []string {
	var out []string
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && rs[j].Code == rs[i].Code && rs[j].Detail == rs[i].Detail && rs[j].Date == rs[j-1].Date.AddDays(1) {
			j++
		}
		days := rs[i].Date.String()[5:]
		if j-i > 1 {
			days += " to " + rs[j-1].Date.String()[5:]
		}
		out = append(out, days+" "+rs[i].Detail)
		i = j
	}
	return out
}

// WriteICal writes the plan's sessions as an iCalendar file (RFC 5545,
// with stable UIDs): one event per session, from its own arrival
// to its own discharge. DTSTART is the time to arrive, the start of the
// pre-checks (the start of administration when the protocol has none);
// DTEND is that session's earliest discharge, so that an event ends
// neither before its patient may leave nor later than its own session
// does. The summary names the protocol's drug and the dose; the description
// gives the session's own timeline and the notice. The plan's identity for
// event UIDs is the protocol's SHA-256 with planID (a patient or order
// reference chosen by the caller), so that a re-export, or a replanned plan,
// keeps the UID of every session position; stamp is DTSTAMP.
func (pl *SessionPlan) WriteICal(w io.Writer, planID string, stamp time.Time) error {
	byIndex := make(map[int]Session, len(pl.Sessions))
	slots := make([]Slot, 0, len(pl.Sessions))
	for _, s := range pl.Sessions {
		sl := s.Slot
		if !s.Timeline.PreChecks.IsZero() {
			sl.Start = s.Timeline.PreChecks
		}
		byIndex[s.Index] = s
		slots = append(slots, sl)
	}
	id := pl.Protocol.SHA256
	if planID != "" {
		id = planID + "/" + id
	}
	return writeICal(w, slots, icalOptions{
		PlanID: id,
		Stamp:  stamp,
		End:    func(sl Slot) time.Time { return byIndex[sl.Index].Timeline.EarliestDischarge },
		Describe: func(sl Slot) (string, []string) {
			s := byIndex[sl.Index]
			summary := s.Dose.Drug + " " + doseText(s)
			var details []string
			details = append(details, "Protocol: "+pl.Protocol.Name+" (version "+pl.Protocol.Version+")")
			if !s.Timeline.PreChecks.IsZero() {
				details = append(details, "Pre-checks from "+clockText(s.Timeline.PreChecks))
			}
			details = append(details,
				"Start of administration: "+clockText(s.Start),
				"Dose: "+doseText(s)+", given as "+givenAs(s.Dose),
				"End of administration: "+clockText(s.Timeline.EndOfAdministration),
				"Earliest discharge: "+clockText(s.Timeline.EarliestDischarge),
			)
			if s.Proposed {
				details = append(details, "The dose is a proposed escalation: a clinician decides before the session.")
			}
			if s.Timeline.DriverRequired {
				details = append(details, "A driver is required: no driving until the next day.")
			}
			return summary, details
		},
	})
}

// clockText is a local time for people, "09:00", with its zone and offset
// when the clocks show it twice that night ("01:40 EST, UTC-05:00").
func clockText(t time.Time) string {
	if _, twice := otherReading(t); twice {
		return t.Format("15:04 MST, UTC-07:00")
	}
	return t.Format("15:04")
}
