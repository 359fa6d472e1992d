package schedule

import (
	"fmt"
	"strconv"
	"time"
)

// EventKind is what happened to a session.
type EventKind string

// The kinds of history entries.
const (
	Done    EventKind = "done"    // the session took place at At
	Missed  EventKind = "missed"  // the session did not take place; it is still owed
	Delayed EventKind = "delayed" // the session is moved to Date
	Stopped EventKind = "stopped" // treatment stopped; nothing more is planned
)

// Event is one entry of a treatment history. Session is the series position
// the entry is about (Slot.Index): the next one not yet done. A missed
// session keeps its position, so its next attempt is the same Session.
type Event struct {
	Kind    EventKind `json:"kind"`
	Session int       `json:"session,omitempty"` // not used by stopped
	At      time.Time `json:"at,omitzero"`       // done: the actual start
	Date    Date      `json:"date,omitzero"`     // delayed: the new day; missed, stopped: the day, optional
	Note    string    `json:"note,omitempty"`
}

// replan plans the rest of the series from what actually happened. history
// is the whole history of the series, oldest first; from is the first day a
// session may be planned on ("today", or the day after). replan on any
// timetable of the same series gives the same result for the same history.
//
// Done sessions are taken as facts, at their actual times: they count
// towards their phase, and the minimum interval and the 7-day maximum of the
// sessions after them are measured from them. (A done session that itself
// broke a constraint is reported in Warnings.) The rhythm goes on from the
// done sessions as from moved ones (see Phase): an interval phase counts its
// next session from the last done one, a weekly phase keeps its weekdays and
// moves its weeks with a session done whole weeks late. A
// missed session is owed: it is planned again on the first day its rhythm
// allows from from. A delayed session goes to its new date, or the first
// day after it that keeps every constraint, and the rhythm continues from
// there. After a stop, nothing is planned.
//
// A history records sessions, not the sessions a Check dropped: replan asks
// the Check again, and the sessions it drops before the day of a done
// session, of a missed one (when the history gives it) or before from are
// dropped again and listed in Dropped. So they count towards their phase
// and fill gaps for the restart rule as they did in the plan, and a history
// that followed the plan replans to the plan.
//
// When the series has a restart rule and the gap between a session and the
// one before it is more than the rule's days (and, if sessions were dropped
// between them, more than that after the last of those: see
// Series.Restart), the rule's phase starts again from that session: the
// timetable lists it in Restarts and the slot's Reasons say so.
//
// History problems are *FieldErrors wrapping ErrHistory, with paths such as
// "history[3].at".
func (t *timetable) replan(history []Event, from Date) (*timetable, error) {
	if t == nil || t.sp == nil {
		return nil, &FieldError{Field: "timetable", Msg: "is not a planned timetable (use Series.Plan)", Err: ErrMissing}
	}
	if !from.IsValid() {
		return nil, &FieldError{Field: "from", Value: from.String(), Msg: from.invalid(), Err: ErrRange}
	}
	if err := checkEntries(history); err != nil {
		return nil, err
	}
	e := &engine{sp: t.sp, cal: t.cal, check: t.opts.Check, from: from, replanning: true, anchor: t.Start}
	r := e.firstRun(t.Start)
	var p *pin
	var stop *Event
	var owed Date // the day after the last missed session with a date: its session was owed from then
	for i, ev := range history {
		if stop != nil {
			return nil, &FieldError{Field: entryPath(i, ""), Value: string(ev.Kind), Msg: "comes after the treatment stopped", Err: ErrHistory}
		}
		next := len(e.slots) + 1
		if ev.Kind != Stopped && ev.Session != next {
			return nil, &FieldError{Field: entryPath(i, ".session"), Value: strconv.Itoa(ev.Session), Err: ErrHistory,
				Msg: fmt.Sprintf("is not the next session (must be %d, after %d done)", next, next-1)}
		}
		switch ev.Kind {
		case Done:
			var err error
			if r, err = e.replayDone(r, p, owed, ev, i); err != nil {
				return nil, err
			}
			p = nil
		case Missed:
			if !ev.Date.IsZero() {
				// The sessions dropped before the missed one were dropped
				// before its day; it is owed from the next.
				var err error
				if r, _, err = e.replayDrops(r, p, owed, ev.Date); err != nil {
					return nil, err
				}
				owed = maxDate(owed, ev.Date.AddDays(1))
			}
			p = nil
		case Delayed:
			p = &pin{date: ev.Date, note: ev.Note, entry: i}
		case Stopped:
			stop = &ev
		}
	}
	if p != nil && stop == nil {
		// A delay still pending must lie ahead; one in the past needs the
		// history to say whether the session was done or missed.
		path := entryPath(p.entry, ".date")
		switch n := len(e.slots); {
		case p.date.Before(from):
			return nil, &FieldError{Field: path, Value: p.date.String(), Err: ErrHistory,
				Msg: "is before the replanning date " + from.String() + " (record whether the delayed session was done or missed)"}
		case n > 0 && !p.date.After(e.slots[n-1].Date):
			return nil, &FieldError{Field: path, Value: p.date.String(), Err: ErrHistory,
				Msg: fmt.Sprintf("is not after session %d on %s", n, e.slots[n-1].Date)}
		}
	}
	if stop == nil {
		var err error
		if r, p, err = e.replayDrops(r, p, owed, from); err != nil {
			return nil, err
		}
		if err := e.fill(r, p); err != nil {
			return nil, err
		}
	}
	tt := e.timetable(t.Start, history, t.opts)
	tt.Stopped = stop
	return tt, nil
}

// entryPath is the field path of history entry i, built only for an error.
func entryPath(i int, field string) string { return "history[" + strconv.Itoa(i) + "]" + field }

// checkEntries reports, all at once, the entries that are wrong on their
// own; the order of the history is checked while it is replayed.
func checkEntries(history []Event) error {
	var el errs
	for i, ev := range history {
		switch ev.Kind {
		case Done:
			if ev.At.IsZero() {
				el.add(entryPath(i, ".at"), "", ErrHistory, "is missing (give the session's actual start)")
			}
		case Missed, Stopped:
		case Delayed:
			if ev.Date.IsZero() {
				el.add(entryPath(i, ".date"), "", ErrHistory, "is missing (give the day the session is delayed to)")
			}
		case "":
			el.add(entryPath(i, ".kind"), "", ErrHistory, "is missing (must be done, missed, delayed or stopped)")
		default:
			el.add(entryPath(i, ".kind"), string(ev.Kind), ErrHistory, "is not a kind of entry (must be done, missed, delayed or stopped)")
		}
		if !ev.Date.IsZero() && !ev.Date.IsValid() {
			el.add(entryPath(i, ".date"), ev.Date.String(), ErrHistory, ev.Date.invalid())
		}
		if ev.Kind != Stopped && ev.Session < 1 {
			el.add(entryPath(i, ".session"), strconv.Itoa(ev.Session), ErrHistory, "is out of range (must be a session number from 1)")
		}
	}
	return el.join()
}

// replayDone adds a done session to the timetable, in the phase the series
// gives its position, after the sessions the Check drops before its day (see
// replayDrops), and returns the run it belongs to. p is a delay still
// pending, owed the day from which a missed session was owed.
func (e *engine) replayDone(r *run, p *pin, owed Date, ev Event, entry int) (*run, error) {
	at := ev.At.In(e.cal.loc)
	d := DateOf(at)
	var prev *Slot
	if n := len(e.slots); n > 0 {
		prev = &e.slots[n-1]
	}
	switch {
	case d.After(e.from):
		return nil, &FieldError{Field: entryPath(entry, ".at"), Value: at.Format(time.RFC3339), Err: ErrHistory,
			Msg: "is after the replanning date " + e.from.String() + " (a history records the past)"}
	case prev != nil && !d.After(prev.Date):
		return nil, &FieldError{Field: entryPath(entry, ".at"), Value: at.Format(time.RFC3339), Err: ErrHistory,
			Msg: fmt.Sprintf("is not on a day after session %d on %s (one session a day, in order)", prev.Index, prev.Date)}
	}
	r, _, err := e.replayDrops(r, p, owed, d)
	if err != nil {
		return nil, err
	}
	for r.over(e.cal) {
		if r.count == 0 {
			_ = e.emptyPhase(r) // a warning while replanning
		}
		if r = e.follow(r); r == nil {
			return nil, &FieldError{Field: entryPath(entry, ".session"), Value: strconv.Itoa(ev.Session), Err: ErrHistory,
				Msg: fmt.Sprintf("is beyond the series (it has %d sessions)", len(e.slots))}
		}
	}
	s := Slot{Date: d, Start: at, Done: true, Note: ev.Note}
	origin := d // the day the rhythm gives this session, for the rhythm after it
	if prev != nil {
		if e.restartDue(r, d) {
			r = e.restart(d)
		}
		if gap := at.Sub(prev.Start); gap < e.sp.minGap {
			e.warnings = append(e.warnings, fmt.Sprintf("sessions %d and %d were done %s apart, less than min_interval %s",
				prev.Index, prev.Index+1, hoursText(gap), e.sp.series.MinInterval))
		}
	}
	if e.sp.max7 > 0 {
		if n := e.countFrom(d.AddDays(-6)) + 1; n > e.sp.max7 {
			e.warnings = append(e.warnings, fmt.Sprintf("session %d was the %s in the 7 days %s to %s, more than max_per_7_days %d",
				len(e.slots)+1, ordinal(n), d.AddDays(-6), d, e.sp.max7))
		}
	}
	s.Index, s.Phase, s.PhaseIndex, s.Number = len(e.slots)+1, r.ph.name, r.ph.idx, r.count+1
	if r.ph.weekly {
		// A weekly rhythm goes on from the day it gave (see run.record).
		if nd, ok := r.nominal(e.cal, Date{}); ok {
			origin = nd
		}
	}
	e.markRestart(&s)
	e.add(s, r, origin)
	return r, nil
}

// replayDrops drops again, before day d, the sessions the Check drops: a
// history records what happened to the sessions of the timetable, not the
// sessions the plan left out, and those count towards their phase and keep
// the series going for the restart rule (see Options.Check) as they did when
// planned. From run r (with the delay p still pending, and a missed session
// owed from day owed) it plans as fill does, on the days before d only, and
// keeps every dropped session until the planner would place one, restart
// the series, or reach d: that session is the history's next, or one still
// owed. It returns the run that goes on and the delay if it is still
// pending.
func (e *engine) replayDrops(r *run, p *pin, owed, d Date) (*run, *pin, error) {
	if e.check == nil {
		return r, p, nil // nothing is ever dropped
	}
	for {
		nd, ok := r.nominal(e.cal, owed)
		if !ok {
			next := e.follow(r)
			if next == nil {
				return r, p, nil // the caller reports what is beyond the series
			}
			if r.count == 0 {
				_ = e.emptyPhase(r) // a warning while replanning
			}
			r = next
			continue
		}
		tg := e.target(nd, p)
		if !tg.date.Before(d) {
			return r, p, nil
		}
		if err := e.bound(); err != nil {
			return nil, nil, err
		}
		tg.until = d
		out, err := e.place(r, tg)
		if err != nil {
			return nil, nil, err
		}
		if out.dropped == nil {
			return r, p, nil
		}
		p = nil
		r = e.apply(r, out)
	}
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}
