package schedule

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/doseplan/doseplan/units"
)

// ChangeKind says how a session of a replanned plan differs from the same
// series position in the plan before.
type ChangeKind string

// The kinds of change.
const (
	ChangeMoved      ChangeKind = "moved"      // on another day, or at another time
	ChangeRelevelled ChangeKind = "relevelled" // at another titration level
	ChangeDose       ChangeKind = "dose"       // another dose at the same level (a dose given, a session-day weight, keep_rate)
	ChangePhase      ChangeKind = "phase"      // another phase, or another place in it (a restart)
	ChangeDropped    ChangeKind = "dropped"    // planned before, not any more
	ChangeAdded      ChangeKind = "added"      // planned now, not before (a restart lengthens the series)
)

// SessionState is a session as one of two plans has it, in short.
type SessionState struct {
	Index    int            `json:"index"`
	Phase    string         `json:"phase"`
	Number   int            `json:"number"`
	Of       int            `json:"of"`
	Date     Date           `json:"date"`
	Start    time.Time      `json:"start"`
	Level    int            `json:"level"` // 0-based, as Session.Level
	Proposed bool           `json:"proposed,omitempty"`
	Dose     units.Quantity `json:"dose"`
	Done     bool           `json:"done,omitempty"`
	Given    units.Quantity `json:"given,omitzero"`
}

// SessionChange is one change at one series position, with the reasons
// for it: what the history says that caused it, and the planner's own
// reasons (a closed day, the minimum interval, a cap, a restart).
type SessionChange struct {
	Index   int           `json:"index"`
	Kind    ChangeKind    `json:"kind"`
	Before  *SessionState `json:"before,omitempty"` // absent for an added session
	After   *SessionState `json:"after,omitempty"`  // absent for a dropped one
	Reasons []string      `json:"reasons"`
}

// PlanDiff is what replanning changed: every change, by series position and
// kind, in order. A session done as planned (its day, time and dose) is not
// a change; Unchanged counts the positions with no change at all.
type PlanDiff struct {
	From      Date            `json:"from"` // the replanning date
	Changes   []SessionChange `json:"changes"`
	Unchanged int             `json:"unchanged"`
}

// Diff compares a replanned plan with the plan before (usually the plan
// with no history), position by position: sessions moved, re-levelled, at
// another dose, in another phase, dropped or added, each with its reasons.
func Diff(before, after *SessionPlan) PlanDiff {
	d := PlanDiff{Changes: []SessionChange{}}
	if after == nil || before == nil {
		return d
	}
	if after.table != nil {
		d.From = after.table.From
	}
	bs, as := indexSessions(before), indexSessions(after)
	n := max(len(before.Sessions), len(after.Sessions))
	for _, s := range before.Sessions {
		n = max(n, s.Index)
	}
	for _, s := range after.Sessions {
		n = max(n, s.Index)
	}
	dx := &differ{before: before, after: after}
	for i := 1; i <= n; i++ {
		b, inB := bs[i]
		a, inA := as[i]
		var changes []SessionChange
		switch {
		case inB && inA:
			changes = dx.compare(b, a)
		case inB:
			changes = []SessionChange{{Index: i, Kind: ChangeDropped, Before: state(b), Reasons: dx.whyDropped(b)}}
		case inA:
			changes = []SessionChange{{Index: i, Kind: ChangeAdded, After: state(a), Reasons: dx.whyAdded(a)}}
		}
		if len(changes) == 0 && (inB || inA) {
			d.Unchanged++
		}
		d.Changes = append(d.Changes, changes...)
	}
	return d
}

func indexSessions(pl *SessionPlan) map[int]Session {
	m := make(map[int]Session, len(pl.Sessions))
	for _, s := range pl.Sessions {
		m[s.Index] = s
	}
	return m
}

func state(s Session) *SessionState {
	st := s.State()
	return &st
}

// State is the session in short: where and when, its level and its dose,
// and whether it was done and with what dose.
func (s Session) State() SessionState {
	return SessionState{Index: s.Index, Phase: s.Phase, Number: s.Number, Of: s.Of, Date: s.Date, Start: s.Start, Level: s.Level,
		Proposed: s.Proposed, Dose: s.Dose.Dose, Done: s.Done, Given: s.Given}
}

type differ struct{ before, after *SessionPlan }

// compare lists the changes at one position held by both plans.
func (dx *differ) compare(b, a Session) []SessionChange {
	var out []SessionChange
	add := func(k ChangeKind, reasons []string) {
		out = append(out, SessionChange{Index: a.Index, Kind: k, Before: state(b), After: state(a), Reasons: reasons})
	}
	if b.Phase != a.Phase || b.Number != a.Number || b.Of != a.Of {
		add(ChangePhase, dx.whyPhase(a))
	}
	if !b.Start.Equal(a.Start) {
		add(ChangeMoved, dx.whyMoved(b, a))
	}
	switch {
	case b.Level != a.Level:
		add(ChangeRelevelled, dx.whyRelevelled(b, a))
	default:
		now := a.Dose.Dose
		if a.Given.IsValid() {
			now = a.Given
		}
		if c, err := now.Cmp(b.Dose.Dose); err != nil || c != 0 {
			add(ChangeDose, dx.whyDose(b, a))
		}
	}
	return out
}

// events returns the history's entries about position i, in order.
func (dx *differ) events(i int) []Event {
	var out []Event
	for _, e := range dx.after.History {
		if e.Session == i && e.Kind != Stopped {
			out = append(out, e)
		}
	}
	return out
}

func (dx *differ) restartAt(i int) (Restart, bool) {
	for _, r := range dx.after.Restarts {
		if r.Index == i {
			return r, true
		}
	}
	return Restart{}, false
}

func restartText(r Restart) string {
	return fmt.Sprintf("the %d-day gap after the session on %s restarts phase %q (series.restart)", r.Days, r.Previous, r.Phase)
}

func (dx *differ) whyPhase(a Session) []string {
	for i := a.Index; i >= 1; i-- {
		if r, ok := dx.restartAt(i); ok {
			if i == a.Index {
				return []string{restartText(r)}
			}
			return []string{fmt.Sprintf("the series restarted at session %d: %s", i, restartText(r))}
		}
	}
	return []string{"the sessions before it changed phase"}
}

// whyMoved explains a session on another day or time: what happened to it,
// or the latest thing that happened before it that the plan did not have,
// then the planner's reasons for its day.
func (dx *differ) whyMoved(b, a Session) []string {
	var out []string
	evs := dx.events(a.Index)
	for k, ev := range evs {
		last := k == len(evs)-1
		switch {
		case ev.Kind == Done:
			out = append(out, "done "+when(a.Start, b.Start))
		case ev.Kind == Missed && last:
			out = append(out, "missed"+onDay(ev.Date)+noteText(ev.Note)+": it is owed and planned again")
		case ev.Kind == Missed:
			out = append(out, "missed"+onDay(ev.Date)+noteText(ev.Note))
		case ev.Kind == Delayed:
			out = append(out, "delayed to "+ev.Date.String()+noteText(ev.Note))
		}
	}
	if len(out) == 0 {
		if cause := dx.cause(a.Index); cause != "" {
			out = append(out, cause)
		} else if from := dx.after.table.From; b.Date.Before(from) {
			out = append(out, "no outcome recorded for "+b.Date.String()+"; planned again from "+from.String())
		}
	}
	if r, ok := dx.restartAt(a.Index); ok {
		out = append(out, restartText(r))
	}
	if !a.Done {
		var rs []Reason // the planner's reasons for the day, but for the ones above
		for _, r := range notableReasons(a.Reasons) {
			if r.Code != ReasonDelayed && r.Code != ReasonRestart && r.Code != ReasonRhythm {
				rs = append(rs, r)
			}
		}
		out = append(out, reasonsText(rs)...)
	}
	if len(out) == 0 {
		out = append(out, "the sessions before it moved")
	}
	return out
}

// cause is the last thing the history says about a session before
// position i that the plan before did not have: a session missed, delayed,
// or done on another day.
func (dx *differ) cause(i int) string {
	bs := indexSessions(dx.before)
	cause := ""
	for _, e := range dx.after.History {
		if e.Session >= i || e.Kind == Stopped {
			continue
		}
		switch e.Kind {
		case Missed:
			cause = fmt.Sprintf("session %d was missed%s: the series goes on from its next attempt", e.Session, onDay(e.Date))
		case Delayed:
			cause = fmt.Sprintf("session %d was delayed to %s: the series goes on from there", e.Session, e.Date)
		case Done:
			if b, ok := bs[e.Session]; ok && !b.Start.Equal(e.At) {
				cause = fmt.Sprintf("session %d was done %s: the series goes on from it", e.Session, when(e.At.In(b.Start.Location()), b.Start))
			}
		}
	}
	return cause
}

// when says when a session was done against when it was planned: "on
// 2025-03-04 at 09:00 (planned 2025-03-03 09:00)".
func when(at, planned time.Time) string {
	if DateOf(at) == DateOf(planned) {
		return "at " + at.Format("15:04") + " (planned " + planned.Format("15:04") + ")"
	}
	return "on " + DateOf(at).String() + " at " + at.Format("15:04") + " (planned " + DateOf(planned).String() + " " + planned.Format("15:04") + ")"
}

func onDay(d Date) string {
	if d.IsZero() {
		return ""
	}
	return " on " + d.String()
}

func noteText(n string) string {
	if n == "" {
		return ""
	}
	return " (" + n + ")"
}

func levelText(p *Protocol, l int) string {
	s := "level " + strconv.Itoa(l+1)
	if p != nil && p.Titration != nil && l >= 0 && l < len(p.Titration.Steps) {
		s += " (" + p.Titration.Steps[l].String() + ")"
	}
	return s
}

func (dx *differ) whyRelevelled(b, a Session) []string {
	p := dx.after.protocol
	if a.Done {
		if _, chosen := dx.after.opt.Levels[a.Index]; chosen {
			return []string{levelText(p, a.Level) + " was given, as recorded"}
		}
	}
	for i := a.Index; i >= 1; i-- {
		if _, ok := dx.restartAt(i); ok {
			return []string{fmt.Sprintf("the series restarted at session %d: the ladder starts again from its first level", i)}
		}
	}
	bs := indexSessions(dx.before)
	for i := a.Index - 1; i >= 1; i-- {
		s, ok := indexSessions(dx.after)[i]
		if !ok || !s.Done {
			continue
		}
		if prev, ok := bs[i]; ok && prev.Level != s.Level {
			return []string{fmt.Sprintf("session %d was given %s, not %s: the ladder goes on from the level given", i, levelText(p, s.Level), levelText(p, prev.Level))}
		}
	}
	if a.Proposed {
		return []string{"the ladder proposes one level more after advance_after_sessions sessions at a level: the count follows the sessions done"}
	}
	return []string{"the ladder follows the levels decided"}
}

func (dx *differ) whyDose(b, a Session) []string {
	if a.Done && a.Given.IsValid() {
		if c, err := a.Given.Cmp(b.Dose.Dose); err == nil && c != 0 {
			return []string{a.Given.String() + " was given, as recorded; the plan had " + b.Dose.Dose.String() + " (" + deviationText(a.Given, b.Dose.Dose) + ")"}
		}
	}
	out := []string{"the dose worked out for it is now " + a.Dose.Dose.String() + " (was " + b.Dose.Dose.String() + ")"}
	for _, w := range a.Warnings {
		if !strings.Contains(w, "is proposed") {
			out = append(out, w)
		}
	}
	return out
}

func (dx *differ) whyDropped(b Session) []string {
	if st := dx.after.Stopped; st != nil {
		line := "treatment stopped" + onDay(st.Date)
		if st.Note != "" {
			line += ": " + st.Note
		}
		return []string{line}
	}
	for _, d := range dx.after.Dropped {
		if d.Phase == b.Phase && d.Number == b.Number {
			return []string{fmt.Sprintf("left out on %s: %s", d.Date, d.Reason.Detail)}
		}
	}
	return []string{fmt.Sprintf("the replanned series has %d sessions", len(dx.after.Sessions))}
}

func (dx *differ) whyAdded(a Session) []string {
	for i := a.Index; i >= 1; i-- {
		if r, ok := dx.restartAt(i); ok {
			if i == a.Index {
				return []string{restartText(r)}
			}
			return []string{fmt.Sprintf("the series restarted at session %d: %s", i, restartText(r))}
		}
	}
	return []string{fmt.Sprintf("the replanned series has %d sessions, the plan before %d", len(dx.after.Sessions), len(dx.before.Sessions))}
}

// WriteText writes the changes for people, one line each:
//
//	#  Change      Before                     After                      Why
//	3  moved       Fri 2025-03-07 09:00       Mon 2025-03-10 09:00       missed on 2025-03-07; it is owed and planned again
func (d PlanDiff) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "CHANGES AGAINST THE PLAN (replanned from %s)\n", d.From)
	if len(d.Changes) == 0 {
		fmt.Fprintf(&b, "none: all %d sessions are as planned\n", d.Unchanged)
		_, err := w.Write(b.Bytes())
		return err
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tChange\tBefore\tAfter\tWhy")
	for _, c := range d.Changes {
		before, after := c.Before.text(c.Kind), c.After.text(c.Kind)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", c.Index, changeName(c.Kind), before, after, strings.Join(c.Reasons, "; "))
	}
	tw.Flush()
	fmt.Fprintf(&b, "%s unchanged\n", plural(d.Unchanged, "session"))
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	_, err := io.WriteString(w, strings.Join(lines, "\n"))
	return err
}

func changeName(k ChangeKind) string {
	if k == ChangeRelevelled {
		return "re-levelled"
	}
	return string(k)
}

// text is the part of a state a change of kind k is about.
func (s *SessionState) text(k ChangeKind) string {
	if s == nil {
		return "—"
	}
	day := s.Date.Weekday().String()[:3] + " " + s.Date.String() + " " + s.Start.Format("15:04")
	switch k {
	case ChangeMoved:
		return day
	case ChangePhase:
		return s.Phase + " " + strconv.Itoa(s.Number) + "/" + strconv.Itoa(s.Of)
	case ChangeRelevelled:
		t := "level " + strconv.Itoa(s.Level+1) + ", " + s.Dose.String()
		if s.Proposed {
			t += " (proposed)"
		}
		return t
	case ChangeDose:
		if s.Given.IsValid() {
			return s.Given.String() + " given"
		}
		return s.Dose.String()
	}
	return day + ", " + s.Dose.String()
}
