package fhir

import (
	"fmt"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// groupSessions splits the sessions still to come into runs that one
// MedicationRequest describes: consecutive sessions of one run of a phase,
// at one titration level, equally proposed or decided, with the same dose,
// preparation and pump settings. Done sessions are facts, not proposals:
// they get an Appointment but no request.
func groupSessions(sessions []schedule.Session) [][]schedule.Session {
	var groups [][]schedule.Session
	var prev string
	for _, s := range sessions {
		if s.Done {
			prev = ""
			continue
		}
		k := groupKey(s)
		if k != prev || s.Number == 1 {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], s)
		prev = k
	}
	return groups
}

// groupKey is what must agree between the sessions of one request.
func groupKey(s schedule.Session) string {
	r := s.Dose
	k := fmt.Sprintf("%d|%s|%d|%t|%s|%s", s.PhaseIndex, s.Phase, s.Level, s.Proposed, r.Dose.Text(), r.Weight.Value.Text())
	if f := r.Form; f != nil {
		k += "|" + f.Count.Text()
	}
	if in := r.Infusion; in != nil {
		k += "|" + in.PumpRate.Text() + "|" + in.Duration.Text()
		if in.Loading != nil {
			k += "|" + in.Loading.PumpRate.Text() + "|" + in.Loading.Duration.Text()
		}
		if in.Drip != nil {
			k += "|" + in.Drip.Rate.Text()
		}
	}
	if pr := r.Preparation; pr != nil {
		k += "|" + pr.Draw.Text() + "|" + pr.FinalVolume.Text()
	}
	return k
}

// groupText says which sessions a request covers and at which level.
func groupText(p *schedule.Protocol, g []schedule.Session) string {
	first, last := g[0], g[len(g)-1]
	which := fmt.Sprintf("session %d of the series (%s %d of %d)", first.Index, first.Phase, first.Number, first.Of)
	if len(g) > 1 {
		which = fmt.Sprintf("sessions %d to %d of the series (%s %d to %d of %d)", first.Index, last.Index, first.Phase, first.Number, last.Number, last.Of)
	}
	level := ""
	if t := p.Titration; t != nil && first.Level < len(t.Steps) {
		level = fmt.Sprintf(", titration level %d of %d (%s)", first.Level+1, len(t.Steps), show(t.Steps[first.Level]))
	}
	return "Covers " + which + level + "."
}

// appointmentOf is a session's Appointment: from the start of its pre-checks
// (the start of administration when the protocol has none) to its earliest
// discharge.
func (x *export) appointmentOf(p *schedule.Protocol, s schedule.Session, requestOf map[int]reference) appointment {
	tl := s.Timeline
	start := tl.PreChecks
	if start.IsZero() {
		start = tl.Start
	}
	id := x.id("appt", fmt.Sprint(s.Index))
	a := appointment{
		ResourceType: "Appointment", ID: id,
		Identifier:      []identifier{{System: sessionSystem, Value: fmt.Sprintf("%s/%d", x.key, s.Index)}},
		Status:          "proposed",
		Description:     fmt.Sprintf("%s: %s session %d of %d (session %d of the series)", drugOf(p, s), s.Phase, s.Number, s.Of, s.Index),
		Start:           instant(start),
		End:             instant(tl.EarliestDischarge),
		MinutesDuration: int(tl.EarliestDischarge.Sub(start) / time.Minute),
		Comment:         timelineText(s) + " " + x.prov.Name + ". " + dosing.Notice + ".",
		Participant:     []participant{{Actor: x.subject, Required: "required", Status: "needs-action"}},
	}
	if s.Done {
		a.Status, a.Participant[0].Status = "fulfilled", "accepted"
	}
	if ref, ok := requestOf[s.Index]; ok {
		a.SupportingInformation = []reference{ref}
	}
	return a
}

func drugOf(p *schedule.Protocol, s schedule.Session) string {
	if s.Dose.Drug != "" {
		return s.Dose.Drug
	}
	return p.Dosing.Drug
}

// timelineText is a session day's schedule for people, in local time.
func timelineText(s schedule.Session) string {
	tl := s.Timeline
	hm := func(t time.Time) string { return t.Format("15:04") }
	var parts []string
	if !tl.PreChecks.IsZero() {
		parts = append(parts, "pre-checks "+hm(tl.PreChecks))
	}
	parts = append(parts, "start of administration "+hm(tl.Start), "end of administration "+hm(tl.EndOfAdministration))
	for _, c := range tl.Checks {
		parts = append(parts, c.Name+" "+hm(c.At))
	}
	parts = append(parts, "observation until "+hm(tl.ObservationEnd), "earliest discharge "+hm(tl.EarliestDischarge))
	text := fmt.Sprintf("%s %s (%s): %s.", s.Date.Weekday().String()[:3], s.Date, tl.Start.Location(), strings.Join(parts, ", "))
	if tl.DriverRequired {
		text += " A driver is required."
	}
	for _, r := range s.Reasons {
		text += " " + r.Detail + "."
	}
	return text
}

// checkActivities are the protocol's timed checks as CarePlan activities:
// one per check and offset from the start of administration, its timing
// listing the check's instant at every session.
func checkActivities(sessions []schedule.Session) []activity {
	type key struct {
		name   string
		offset time.Duration
	}
	var order []key
	events := map[key][]string{}
	for _, s := range sessions {
		if s.Done {
			continue
		}
		for _, c := range s.Timeline.Checks {
			k := key{c.Name, c.At.Sub(s.Timeline.Start)}
			if _, ok := events[k]; !ok {
				order = append(order, k)
			}
			events[k] = append(events[k], instant(c.At))
		}
	}
	var out []activity
	for _, k := range order {
		out = append(out, activity{Detail: &activityDetail{
			Code:            &codeableConcept{Text: k.name},
			Status:          "not-started",
			ScheduledTiming: &timing{Event: events[k]},
			Description:     fmt.Sprintf("%s, %s after the start of administration", k.name, offsetText(k.offset)),
		}})
	}
	return out
}

// offsetText writes an offset in whole minutes, or seconds when it has some.
func offsetText(d time.Duration) string {
	if d%time.Minute == 0 {
		return units.NewInt(int64(d/time.Minute), units.Minute).String()
	}
	return units.NewInt(int64(d/time.Second), units.Second).String()
}

// carePlanOf links the requests, appointments and checks of a plan, with the
// plan's warnings, dropped sessions, restarts, cumulative caps and protocol
// findings as notes.
func (x *export) carePlanOf(p *schedule.Protocol, pl *schedule.SessionPlan, acts []activity) carePlan {
	id := x.id("careplan", "plan")
	cp := carePlan{
		ResourceType: "CarePlan", ID: id,
		Identifier: []identifier{{System: planSystem, Value: x.key}},
		Status:     "draft", Intent: "proposal",
		Title:    p.Dosing.Name,
		Subject:  x.subject,
		Created:  instant(x.opt.Recorded),
		Activity: acts,
		Note:     []annotation{{Text: pl.Notice}},
	}
	n := len(pl.Sessions)
	if n > 0 {
		first, last := pl.Sessions[0], pl.Sessions[n-1]
		cp.Description = fmt.Sprintf("%s, %s: %d sessions from %s to %s (protocol version %s).", p.Dosing.Drug, p.Dosing.Route, n, first.Date, last.Date, p.Dosing.Version)
		start := first.Timeline.PreChecks
		if start.IsZero() {
			start = first.Timeline.Start
		}
		cp.Period = &period{Start: instant(start), End: instant(last.Timeline.EarliestDischarge)}
	}
	if pl.TotalDose.IsValid() {
		cp.Note = append(cp.Note, annotation{Text: "Total dose over the series: " + pl.TotalText() + "."})
	}
	if c := capsText(p.Caps); c != "" {
		cp.Note = append(cp.Note, annotation{Text: c})
	}
	for _, d := range pl.Dropped {
		cp.Note = append(cp.Note, annotation{Text: fmt.Sprintf("Dropped: %s session %d (%s): %s.", d.Phase, d.Number, d.Date, d.Reason.Detail)})
	}
	for _, r := range pl.Restarts {
		cp.Note = append(cp.Note, annotation{Text: fmt.Sprintf("Restart: %s begins again at session %d on %s, %d days after %s.", r.Phase, r.Index, r.Date, r.Days, r.Previous)})
	}
	for _, w := range pl.Warnings {
		cp.Note = append(cp.Note, annotation{Text: w})
	}
	for _, f := range pl.Findings {
		cp.Note = append(cp.Note, annotation{Text: "Protocol " + f.String()})
	}
	return cp
}

// capsText states every cumulative cap of the protocol.
func capsText(c schedule.CumulativeCaps) string {
	var parts []string
	if c.PerDay.IsValid() {
		parts = append(parts, show(c.PerDay)+" per calendar day")
	}
	if c.Per7Days.IsValid() {
		parts = append(parts, show(c.Per7Days)+" per 7 days")
	}
	if c.PerSeries.IsValid() {
		parts = append(parts, show(c.PerSeries)+" per series")
	}
	if len(parts) == 0 {
		return ""
	}
	return "Cumulative dose caps: " + strings.Join(parts, "; ") + "."
}
