package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/doseplan/doseplan/units"
)

// Slot is one session of a timetable: its place in the series, its day and
// start, and why it is there if that is not where the rhythm put it. A dose
// is attached to a Slot by the caller (see seriesOptions.Check for the hook that
// can refuse a slot for dose reasons).
type Slot struct {
	Index      int       `json:"index"`       // 1-based position in the series, done sessions included
	Phase      string    `json:"phase"`       // phase name
	PhaseIndex int       `json:"phase_index"` // index of the phase in Series.Phases
	Number     int       `json:"number"`      // 1-based number within this run of the phase
	Of         int       `json:"of"`          // sessions in this run of the phase
	Date       Date      `json:"date"`        // civil date in the calendar's zone
	Start      time.Time `json:"start"`       // start instant, in the calendar's location
	Done       bool      `json:"done,omitempty"`
	MovedFrom  Date      `json:"moved_from,omitzero"` // the date the rhythm (or the plan before a delay) gave, when Date differs
	Reasons    []Reason  `json:"reasons,omitempty"`   // why each earlier candidate was refused, and other notes (a gap that is not the rhythm's, a restart)
	Note       string    `json:"note,omitempty"`      // the history's note for a done session
}

// Reason explains one refused candidate day, or one remark about a slot.
type Reason struct {
	Date   Date       `json:"date"`
	Code   ReasonCode `json:"code"`
	Detail string     `json:"detail"` // for people: "clinic closed (Easter Monday)"
}

// ReasonCode is a stable, machine-readable kind of Reason. A Check may use
// codes of its own ("cumulative_cap_week").
type ReasonCode string

// The reason codes of the planner.
const (
	ReasonClosed      ReasonCode = "closed"           // a closed date
	ReasonWeekday     ReasonCode = "weekday"          // a weekday the clinic is not open
	ReasonNonexistent ReasonCode = "nonexistent_time" // the start time is skipped by a daylight-saving change
	ReasonAmbiguous   ReasonCode = "ambiguous_time"   // the start time occurs twice; the first was used
	ReasonTaken       ReasonCode = "taken"            // the day is not after the previous session's
	ReasonMinInterval ReasonCode = "min_interval"     // too soon after the previous session's start
	ReasonMaxPer7Days ReasonCode = "max_per_7_days"   // one session too many in 7 days
	reasonRejected    ReasonCode = "rejected"         // refused by a check without a code of its own
	ReasonDelayed     ReasonCode = "delayed"          // moved by a history entry
	ReasonRestart     ReasonCode = "restart"          // the restart rule began a phase again here
	ReasonRhythm      ReasonCode = "rhythm_gap"       // the gap from the session before is not the one the phase's rhythm gives
)

// seriesOptions are the caller's hooks into a planning run.
type seriesOptions struct {
	// Check, when set, is asked about every candidate slot that keeps the
	// calendar and the series' constraints, with the sessions already in the
	// timetable (done and planned, in order; read-only). It is where
	// dose-based rules enter, such as cumulative caps per day, week or series.
	// The first candidate after a restart carries the ReasonRestart reason.
	// A rejectSlot moves the session on to the next candidate with the verdict's
	// reason; a dropSlot leaves it out of the timetable and records it in
	// timetable.Dropped. A dropped session still counts towards its phase,
	// the rhythm goes on from its day, and a gap that dropped sessions fill
	// does not restart the series (see Series.Restart). An error stops
	// planning and is returned wrapped.
	//
	// Replanning asks the Check again, about the days before the
	// replanning date too: the sessions it drops between the sessions of a
	// history are dropped again (see timetable.replan). Its verdicts should
	// depend only on the candidate and the placed sessions.
	Check checkFunc
}

// checkFunc judges a candidate slot. See seriesOptions.Check.
type checkFunc func(candidate Slot, placed []Slot) (verdict, error)

// verdict is a checkFunc's answer. The zero verdict accepts.
type verdict struct {
	Action action
	Code   ReasonCode // recorded with a Reject or Drop; default reasonRejected
	Detail string     // for people: "weekly cap 168 mg would be exceeded (196 mg)"
}

// action is what a verdict does with a candidate slot.
type action uint8

// The actions of a verdict.
const (
	acceptSlot action = iota // keep the slot
	rejectSlot               // try the next start time or day
	dropSlot                 // leave the session out
)

// Dropped is a session a Check left out of the timetable.
type Dropped struct {
	Phase      string `json:"phase"`
	PhaseIndex int    `json:"phase_index"`
	Number     int    `json:"number"`
	Date       Date   `json:"date"` // the day it was dropped from
	Reason     Reason `json:"reason"`
}

// Restart records that the series' restart rule began a phase again. When
// the Check dropped the restarted phase's first session, Date is that
// session's day and Index the first session of the timetable after it (one
// past the last when the Check dropped every session after the restart).
type Restart struct {
	Index    int    `json:"index"` // the first session of the restarted phase
	Phase    string `json:"phase"`
	Previous Date   `json:"previous"` // the session before the gap
	Date     Date   `json:"date"`     // the first session after it
	Days     int    `json:"days"`     // days between the two
}

// timetable is the result of planning a series: its sessions in order, and
// everything the planner had to decide on the way. Plan and Replan return a
// new timetable; a timetable is never changed afterwards.
type timetable struct {
	Start    Date      `json:"start"`              // the series' start date
	From     Date      `json:"from"`               // no session was planned before this day
	Slots    []Slot    `json:"slots"`              // done, then planned sessions, strictly increasing
	Dropped  []Dropped `json:"dropped,omitempty"`  // sessions a Check left out
	Restarts []Restart `json:"restarts,omitempty"` // where the restart rule applied
	Stopped  *Event    `json:"stopped,omitempty"`  // the history's stop, when treatment stopped
	History  []Event   `json:"history,omitempty"`  // the history this timetable was planned from
	Warnings []string  `json:"warnings,omitempty"` // facts worth a clinician's look, such as done sessions closer than min_interval

	sp   *spec
	cal  *Calendar
	opts seriesOptions
}

// plan lays the series out on the calendar from the start date, which must
// be a day the clinic is open and, for a weekly first phase, one of its
// weekdays: it is the first session's day.
//
// Each session goes to the date its phase's rhythm gives, or, if that date
// is closed or breaks a constraint, to the next start time or day that keeps
// every constraint; the Slot then says it moved, from which date and why.
// The rhythm goes on from where the session fell, and a gap that is not the
// rhythm's is noted on the session after it (see Phase).
// Constraints always hold between planned sessions: one session per day at
// most, the minimum interval between start instants, the maximum per 7
// calendar days, the calendar's open weekdays and closed dates, and
// opt.Check. A session that no day within 366 days of its nominal date can
// take is a *PlaceError.
func (s Series) plan(start Date, cal *Calendar, opt seriesOptions) (*timetable, error) {
	sp, err := s.compile()
	if err != nil {
		return nil, err
	}
	if err := sp.checkCalendar(cal, start); err != nil {
		return nil, err
	}
	e := &engine{sp: sp, cal: cal, check: opt.Check, from: start, anchor: start}
	if err := e.fill(e.firstRun(start), nil); err != nil {
		return nil, err
	}
	return e.timetable(start, nil, opt), nil
}

// checkCalendar reports what makes the series impossible on this calendar
// from this start date.
func (sp *spec) checkCalendar(cal *Calendar, start Date) error {
	if cal == nil {
		return &FieldError{Field: "calendar", Msg: "is missing (build one with NewCalendar)", Err: ErrMissing}
	}
	var el errs
	for i, ph := range sp.phases {
		if extra := ph.days &^ cal.open; extra != 0 {
			el.add(fmt.Sprintf("series.phases[%d].weekdays", i), weekdayList(sp.series.Phases[i].Weekdays), ErrConflict,
				fmt.Sprintf("includes %s, when the calendar is not open (open: %s)", extra, cal.open))
		}
	}
	first := sp.phases[0]
	switch {
	case start.IsZero():
		el.add("start", "", ErrMissing, "is missing (give the first session's day)")
	case !start.IsValid():
		el.add("start", start.String(), ErrRange, start.invalid())
	case !cal.isOpen(start):
		_, why := cal.closedReason(start)
		el.add("start", start.String(), ErrUnavailable, "is not a session day: "+why+" (the start date is the first session's day)")
	case first.weekly && !first.days.has(start.Weekday()):
		el.add("start", start.String(), ErrConflict,
			fmt.Sprintf("is a %s, not one of series.phases[0].weekdays (%s)", start.Weekday(), first.days))
	case !first.until.IsZero() && first.until.Before(start):
		el.add("series.phases[0].until", first.until.String(), ErrConflict, "is before the start date "+start.String())
	}
	return el.join()
}

// engine places sessions one at a time. It holds the timetable so far; each
// new session is checked against the sessions before it, which is enough
// because sessions are placed in increasing order.
type engine struct {
	sp         *spec
	cal        *Calendar
	check      checkFunc
	from       Date // no session is planned before this day
	replanning bool // an empty phase is a warning rather than an error

	slots    []Slot
	runOf    []*run // the run of each slot, to fill Slot.Of
	dropped  []Dropped
	restarts []Restart
	warnings []string
	anchor   Date // day of the last slot or dropped session
}

// pin is a date fixed by the history for the next session (a delay).
type pin struct {
	date  Date
	note  string
	entry int // index of the history entry, for errors
}

func (e *engine) firstRun(start Date) *run { return newRun(&e.sp.phases[0], start) }

// fill plans sessions from run r until the last phase ends.
func (e *engine) fill(r *run, p *pin) error {
	for r != nil {
		d, ok := r.nominal(e.cal, e.from)
		if !ok {
			if r.count == 0 {
				if r.restarted {
					return e.restartTooLate(r)
				}
				if err := e.emptyPhase(r); err != nil {
					return err
				}
			}
			r = e.follow(r)
			continue
		}
		if err := e.bound(); err != nil {
			return err
		}
		if err := beyondLastDate(d); err != nil {
			return err
		}
		out, err := e.place(r, e.target(d, p))
		if err != nil {
			return err
		}
		p = nil
		r = e.apply(r, out)
	}
	return nil
}

// target is the day asked for the next session: the day d the rhythm gives,
// or the day of the delay p.
func (e *engine) target(d Date, p *pin) target {
	if p == nil {
		return target{date: d, origin: d}
	}
	// A delay reports the day the rhythm gives as the day it moved from, so
	// that the result depends on the history alone.
	detail := "delayed to " + p.date.String()
	if p.note != "" {
		detail += ": " + p.note
	}
	return target{date: p.date, origin: d, reasons: []Reason{{Date: d, Code: ReasonDelayed, Detail: detail}}, delayed: true}
}

// bound refuses a timetable of more than MaxSessions sessions, dropped ones
// included.
func (e *engine) bound() error {
	if len(e.slots)+len(e.dropped) >= MaxSessions {
		return &FieldError{Field: "series", Msg: fmt.Sprintf("plans more than %d sessions (bound the phases with fewer sessions or earlier ends)", MaxSessions), Err: ErrRange}
	}
	return nil
}

// beyondLastDate refuses a session day after LastYear: a plan never goes
// past the dates doseplan reads.
func beyondLastDate(d Date) error {
	if d.Year <= LastYear {
		return nil
	}
	return &FieldError{Field: "series", Msg: fmt.Sprintf("would plan a session after %d-12-31, the last day doseplan plans (is the start date right?)", LastYear), Err: ErrRange}
}

// apply takes a placement into the timetable and returns the run that goes
// on: the restarted phase's, or r.
func (e *engine) apply(r *run, out placement) *run {
	switch {
	case !out.restartAt.IsZero():
		return e.restart(out.restartAt)
	case out.dropped != nil:
		if rs := e.pendingRestart(); rs != nil {
			rs.Date, rs.Days = out.dropped.Date, out.dropped.Date.daysSince(rs.Previous)
		}
		e.dropped = append(e.dropped, *out.dropped)
		r.record(out.dropped.Date, out.origin)
		e.anchor = out.dropped.Date
	default:
		e.add(out.slot, r, out.origin)
	}
	return r
}

// restart begins the restart rule's phase again on day d, after the last
// session of the timetable. The new run's first session, placed or dropped,
// gives the Restart its Date.
func (e *engine) restart(d Date) *run {
	rs := e.sp.restart
	r := newRun(&e.sp.phases[rs.phase], d)
	r.restarted = true
	e.restarts = append(e.restarts, Restart{Index: len(e.slots) + 1, Phase: r.ph.name, Previous: e.slots[len(e.slots)-1].Date})
	return r
}

// pendingRestart returns the last restart while its first session is not
// yet placed or dropped.
func (e *engine) pendingRestart() *Restart {
	if n := len(e.restarts); n > 0 && e.restarts[n-1].Date.IsZero() {
		return &e.restarts[n-1]
	}
	return nil
}

// add appends a session of run r to the timetable; origin is the day the
// rhythm gave it. One more than restart.after after the session before it
// that does not restart (the sessions between were dropped) is a warning,
// and a gap from the session before that is not the rhythm's is noted on
// the session (see rhythmGap).
func (e *engine) add(s Slot, r *run, origin Date) {
	if rs := e.pendingRestart(); rs != nil {
		rs.Date, rs.Days = s.Date, s.Date.daysSince(rs.Previous)
	}
	if n := len(e.restarts); n == 0 || e.restarts[n-1].Index != s.Index {
		e.warnDroppedGap(s)
	}
	if n := len(e.slots); n > 0 && e.runOf[n-1] == r {
		if why, off := e.rhythmGap(r, e.slots[n-1], s); off {
			s.Reasons = append(s.Reasons, why)
		}
	}
	e.slots = append(e.slots, s)
	e.runOf = append(e.runOf, r)
	r.record(s.Date, origin)
	e.anchor = s.Date
}

// markRestart gives the first session after a restart its reason. A
// candidate carries it already, so that a Check sees where the series
// begins again (a titration ladder starts again there).
func (e *engine) markRestart(s *Slot) {
	n := len(e.restarts)
	if n == 0 || e.restarts[n-1].Index != s.Index {
		return
	}
	rs := e.restarts[n-1]
	if rs.Date.IsZero() { // the restarted phase's first session: this one
		rs.Date, rs.Days = s.Date, s.Date.daysSince(rs.Previous)
	}
	s.Reasons = append(s.Reasons, e.restartReason(rs, s.Date))
}

// rhythmGap says how session s is apart from prev, the session before it
// in the same run of a phase, when that is not the rhythm's gap: sessions
// the Check dropped lie between them, or the days between them are not the
// days the rhythm gives after the day prev stands for (see Series.plan).
func (e *engine) rhythmGap(r *run, prev, s Slot) (Reason, bool) {
	days := s.Date.daysSince(prev.Date)
	if skipped := s.Number - prev.Number - 1; skipped > 0 {
		verb := "were"
		if skipped == 1 {
			verb = "was"
		}
		return Reason{Date: s.Date, Code: ReasonRhythm, Detail: plural(days, "day") + " after session " + strconv.Itoa(prev.Index) + " on " + prev.Date.String() +
			": " + plural(skipped, "session") + " of the rhythm between them " + verb + " dropped"}, true
	}
	want := r.gapAfter(e.cal)
	if days == want {
		return Reason{}, false
	}
	return Reason{Date: s.Date, Code: ReasonRhythm, Detail: plural(days, "day") + " after session " + strconv.Itoa(prev.Index) + " on " + prev.Date.String() +
		", not the " + plural(want, "day") + " the rhythm gives"}, true
}

// gapFrom returns the day the restart rule measures a gap from, with the
// dropped session on it if there is one: the last session of the timetable
// or, when the Check dropped sessions after it, the last of those (see
// Series.Restart). The timetable must have a session.
func (e *engine) gapFrom() (Date, *Dropped) {
	from := e.slots[len(e.slots)-1].Date
	if n := len(e.dropped); n > 0 && e.dropped[n-1].Date.After(from) {
		return e.dropped[n-1].Date, &e.dropped[n-1]
	}
	return from, nil
}

// restartDue reports whether a session of run r on day d restarts the
// series: it is more than restart.after after the session before it and
// after every session dropped since. The first session of a restarted run
// is the restart, and does not restart again.
func (e *engine) restartDue(r *run, d Date) bool {
	rs := e.sp.restart
	if rs == nil || len(e.slots) == 0 || r.restarted && r.count == 0 {
		return false
	}
	from, _ := e.gapFrom()
	return d.daysSince(from) > rs.after
}

// droppedBetween returns how many sessions the Check dropped strictly
// between days a and b, and the last of them.
func (e *engine) droppedBetween(a, b Date) (int, Date) {
	n, last := 0, Date{}
	for i := len(e.dropped) - 1; i >= 0 && e.dropped[i].Date.After(a); i-- {
		if e.dropped[i].Date.Before(b) {
			if n == 0 {
				last = e.dropped[i].Date
			}
			n++
		}
	}
	return n, last
}

// warnDroppedGap warns when session s is more than restart.after after the
// session before it and does not restart the series because sessions
// dropped between them fill the gap. Not restarting is the rule (see
// Series.Restart), but a clinician should see the gap.
func (e *engine) warnDroppedGap(s Slot) {
	rs := e.sp.restart
	if rs == nil || len(e.slots) == 0 {
		return
	}
	prev := e.slots[len(e.slots)-1]
	days := s.Date.daysSince(prev.Date)
	if days <= rs.after {
		return
	}
	n, last := e.droppedBetween(prev.Date, s.Date)
	if n == 0 {
		return
	}
	verb := "were"
	if n == 1 {
		verb = "was"
	}
	e.warnings = append(e.warnings, fmt.Sprintf("sessions %d on %s and %d on %s are %d days apart, more than restart.after %s, because %s between them %s dropped "+
		"(the last on %s): a gap that dropped sessions fill does not restart the series", prev.Index, prev.Date, s.Index, s.Date, days, rs.rule.After,
		plural(n, "session"), verb, last))
}

// restartReason is the remark on the first session placed after restart
// rs, on day d: rs.Date, or a later day when the Check dropped the
// restarted phase's first session.
func (e *engine) restartReason(rs Restart, d Date) Reason {
	after := e.sp.restart.rule.After
	detail := fmt.Sprintf("restarts phase %q: %d days after session %d on %s, more than restart.after %s", rs.Phase, rs.Days, rs.Index-1, rs.Previous, after)
	if d != rs.Date {
		detail = fmt.Sprintf("phase %q began again on %s, where its first session was dropped: %d days after session %d on %s, more than restart.after %s",
			rs.Phase, rs.Date, rs.Days, rs.Index-1, rs.Previous, after)
	}
	if n, last := e.droppedBetween(rs.Previous, rs.Date); n > 0 {
		detail += fmt.Sprintf(", and %d days after the last session dropped before it, on %s", rs.Date.daysSince(last), last)
	}
	return Reason{Date: rs.Date, Code: ReasonRestart, Detail: detail}
}

// checkRestart refuses a restart on day d that the calendar and the rhythm
// alone cause: with no closure in the gap, no time that has already passed,
// no delay and no candidate the Check rejected, the same gap would recur
// after the restart, again and again. The protocol's rhythm or restart rule
// does not fit this calendar, and the planner does not guess which to bend.
func (e *engine) checkRestart(d Date, delayed, rejected bool) error {
	from, drop := e.gapFrom()
	if delayed || rejected || from.Before(e.from) {
		return nil // the gap comes from the history or from the Check
	}
	for x := from.AddDays(1); x.Before(d); x = x.AddDays(1) {
		if _, closed := e.cal.closed[x]; closed {
			return nil
		}
	}
	what := fmt.Sprintf("session %d on %s", e.slots[len(e.slots)-1].Index, from)
	if drop != nil {
		what = fmt.Sprintf("the dropped %s session %d on %s", drop.Phase, drop.Number, from)
	}
	rs := e.sp.restart
	return &FieldError{Field: "series.restart.after", Value: rs.rule.After.String(), Err: ErrConflict,
		Msg: fmt.Sprintf("is shorter than the %d days from %s to the next day that keeps every constraint, %s, with no closure between "+
			"(the rhythm and the calendar's open weekdays alone would restart the series again and again)", d.daysSince(from), what, d)}
}

// restartTooLate refuses a restart whose phase has no day left on or after
// the restart's day: its last day (until) is before it. Going on with the
// next phase would give what the protocol does not after such a gap, and
// restarting again from there would never end; the protocol's restart rule
// or the phase's last day must change.
func (e *engine) restartTooLate(r *run) error {
	rs := e.restarts[len(e.restarts)-1]
	why := fmt.Sprintf("after the phase's last day %s", r.end)
	if !r.end.Before(r.first) {
		why = fmt.Sprintf("and the phase has no session day from then to its last day %s", r.end)
	}
	return &FieldError{Field: "series.restart.phase", Value: r.ph.name, Err: ErrConflict,
		Msg: fmt.Sprintf("cannot begin again: the restart after session %d on %s falls on %s, %s", rs.Index-1, rs.Previous, r.first, why)}
}

func (e *engine) emptyPhase(r *run) error {
	msg := fmt.Sprintf("has no session: its last day %s is before its first possible day %s", r.end, maxDate(r.next, e.from))
	if e.replanning {
		e.warnings = append(e.warnings, fmt.Sprintf("phase %q %s", r.ph.name, msg))
		return nil
	}
	return &FieldError{Field: fmt.Sprintf("series.phases[%d]", r.ph.idx), Msg: msg, Err: ErrConflict}
}

// follow returns the run of the phase after r's, or nil after the last.
func (e *engine) follow(r *run) *run {
	i := r.ph.idx + 1
	if i >= len(e.sp.phases) {
		return nil
	}
	ph := &e.sp.phases[i]
	switch {
	case ph.startAfter >= 0:
		return newRun(ph, e.anchor.AddDays(ph.startAfter))
	case ph.weekly:
		return newRun(ph, e.anchor.AddDays(1))
	default:
		return newRun(ph, e.anchor.AddDays(ph.every))
	}
}

// target is the day a session is asked for.
type target struct {
	date    Date     // the nominal day: the rhythm's, or a delay's
	origin  Date     // the day to report as MovedFrom when the session lands elsewhere
	reasons []Reason // reasons known before the search (a delay)
	delayed bool     // the day comes from a delay in the history
	until   Date     // replaying the history: search only the days before this one; zero: searchDays
}

type placement struct {
	slot      Slot
	dropped   *Dropped
	origin    Date // the day the rhythm gave the session, placed or dropped
	restartAt Date // set when the restart rule applies from this day
}

// place finds the first start on or after the target day that keeps every
// constraint and that the Check accepts, within searchDays. With tg.until
// (replaying the history) it searches only the days before it, finds
// nothing rather than fail, and leaves a restart to the history.
func (e *engine) place(r *run, tg target) (placement, error) {
	base := Slot{Index: len(e.slots) + 1, Phase: r.ph.name, PhaseIndex: r.ph.idx, Number: r.count + 1}
	reasons := slices.Clone(tg.reasons)
	var prev *Slot
	if n := len(e.slots); n > 0 {
		prev = &e.slots[n-1]
	}
	d := tg.date
	if prev != nil && !d.After(prev.Date) {
		reasons = addReason(reasons, Reason{Date: d, Code: ReasonTaken, Detail: fmt.Sprintf("not after session %d on %s", prev.Index, prev.Date)})
		d = prev.Date.AddDays(1)
	}
	last := d.AddDays(searchDays)
	if !tg.until.IsZero() && tg.until.Before(last) {
		last = tg.until.AddDays(-1)
	}
	rejected := false // the Check rejected a candidate: the gap is not the calendar's alone
	for ; !d.After(last); d = d.AddDays(1) {
		if err := beyondLastDate(d); err != nil {
			return placement{}, err
		}
		if why, refused := e.refuseDay(d); refused {
			reasons = addReason(reasons, why)
			continue
		}
		for _, t := range e.cal.starts {
			at, kind := e.cal.resolve(d, t)
			if why, refused := e.refuseStart(d, t, at, kind, prev); refused {
				reasons = addReason(reasons, why)
				continue
			}
			if e.restartDue(r, d) {
				if tg.until.IsZero() {
					if err := e.checkRestart(d, tg.delayed, rejected); err != nil {
						return placement{}, err
					}
				}
				return placement{restartAt: d}, nil
			}
			s := base
			s.Date, s.Start = d, at
			if d != tg.origin {
				s.MovedFrom = tg.origin
			}
			s.Reasons = slices.Clone(reasons)
			if kind == localAmbiguous {
				s.Reasons = append(s.Reasons, Reason{Date: d, Code: ReasonAmbiguous,
					Detail: fmt.Sprintf("%s occurs twice that day in %s (clocks fall back); the first, %s, is used", t, e.cal.loc, at.Format("15:04 MST, UTC-07:00"))})
			}
			e.markRestart(&s)
			v, err := e.ask(s)
			if err != nil {
				return placement{}, err
			}
			switch why := (Reason{Date: d, Code: v.Code, Detail: v.Detail}); v.Action {
			case acceptSlot:
				return placement{slot: s, origin: tg.origin}, nil
			case rejectSlot:
				rejected = true
				reasons = addReason(reasons, why)
			case dropSlot:
				return placement{dropped: &Dropped{Phase: s.Phase, PhaseIndex: s.PhaseIndex, Number: s.Number, Date: d, Reason: why}, origin: tg.origin}, nil
			}
		}
	}
	if !tg.until.IsZero() {
		return placement{}, nil
	}
	pe := &PlaceError{Index: base.Index, Phase: base.Phase, Number: base.Number, Nominal: tg.date}
	if len(reasons) > 0 {
		pe.Last = reasons[len(reasons)-1]
	}
	return placement{}, pe
}

// refuseDay says why no session can be on day d, if none can: the clinic is
// closed, or the 7-day maximum is reached.
func (e *engine) refuseDay(d Date) (Reason, bool) {
	if code, why := e.cal.closedReason(d); code != "" {
		return Reason{Date: d, Code: code, Detail: why}, true
	}
	if e.sp.max7 > 0 {
		if n := e.countFrom(d.AddDays(-6)); n >= e.sp.max7 {
			return Reason{Date: d, Code: ReasonMaxPer7Days,
				Detail: fmt.Sprintf("would be session %d in the 7 days %s to %s (max_per_7_days %d)", n+1, d.AddDays(-6), d, e.sp.max7)}, true
		}
	}
	return Reason{}, false
}

// refuseStart says why start t on day d (the instant at) cannot be used
// after the session prev, if it cannot.
func (e *engine) refuseStart(d Date, t TimeOfDay, at time.Time, kind localKind, prev *Slot) (Reason, bool) {
	if kind == localNonexistent {
		return Reason{Date: d, Code: ReasonNonexistent, Detail: fmt.Sprintf("%s does not exist that day in %s (clocks spring forward)", t, e.cal.loc)}, true
	}
	if prev != nil {
		if gap := at.Sub(prev.Start); gap < e.sp.minGap {
			return Reason{Date: d, Code: ReasonMinInterval,
				Detail: fmt.Sprintf("%s would be %s after session %d (min_interval %s)", t, hoursText(gap), prev.Index, e.sp.series.MinInterval)}, true
		}
	}
	return Reason{}, false
}

// ask returns the Check's verdict on a candidate slot, with the default
// reason code; without a Check every slot is accepted.
func (e *engine) ask(s Slot) (verdict, error) {
	if e.check == nil {
		return verdict{}, nil
	}
	v, err := e.check(s, e.slots[:len(e.slots):len(e.slots)])
	if err != nil {
		return verdict{}, fmt.Errorf("schedule: check of session %d (%s %d) on %s: %w", s.Index, s.Phase, s.Number, s.Date, err)
	}
	if v.Action > dropSlot {
		return verdict{}, &FieldError{Field: "verdict.action", Value: fmt.Sprint(int(v.Action)), Err: ErrRange,
			Msg: fmt.Sprintf("from the check of session %d is not an action (must be Accept, Reject or Drop)", s.Index)}
	}
	if v.Code == "" {
		v.Code = reasonRejected
	}
	return v, nil
}

// addReason appends r unless the last reason already gives the same kind for
// the same day (two start times refused for one cause).
func addReason(rs []Reason, r Reason) []Reason {
	if n := len(rs); n > 0 && rs[n-1].Date == r.Date && rs[n-1].Code == r.Code {
		return rs
	}
	return append(rs, r)
}

// countFrom returns the number of slots on or after day d.
func (e *engine) countFrom(d Date) int {
	n := 0
	for i := len(e.slots) - 1; i >= 0 && !e.slots[i].Date.Before(d); i-- {
		n++
	}
	return n
}

func (e *engine) timetable(start Date, h []Event, opt seriesOptions) *timetable {
	for i := range e.slots {
		r := e.runOf[i]
		e.slots[i].Of = r.ph.sessions
		if r.ph.sessions == 0 {
			e.slots[i].Of = r.count
		}
	}
	t := &timetable{Start: start, From: e.from, Slots: e.slots, Dropped: e.dropped, Restarts: e.restarts,
		Warnings: e.warnings, sp: e.sp, cal: e.cal, opts: opt}
	if len(h) > 0 {
		t.History = slices.Clone(h)
	}
	if t.Slots == nil {
		t.Slots = []Slot{}
	}
	return t
}

// run is one pass through a phase: its rhythm's state and its count.
type run struct {
	ph        *phaseSpec
	first     Date // the phase's first day; weekly blocks count from it
	end       Date // last day a nominal date may fall on; zero: none
	count     int  // sessions so far, dropped ones included
	restarted bool // begun by the restart rule: its first session is exempt from the gap check
	next      Date // earliest day of the next nominal date

	usedBlock int // weekly: the block of the last session, and how many sessions it has
	used      int
	shift     int  // weekly: a block of the active weeks, which are every Every-th block from it
	stood     Date // the rhythm's day the last session (or dropped one) stands for: the next gap counts from it
}

func newRun(ph *phaseSpec, first Date) *run {
	r := &run{ph: ph, first: first, next: first, end: ph.until, usedBlock: -1}
	if ph.duration > 0 {
		if end := first.AddDays(ph.duration - 1); r.end.IsZero() || end.Before(r.end) {
			r.end = end
		}
	}
	return r
}

// nominal returns the day the rhythm asks for next, on or after lower, or
// false when the phase is over.
func (r *run) nominal(cal *Calendar, lower Date) (Date, bool) {
	if r.ph.sessions > 0 && r.count >= r.ph.sessions {
		return Date{}, false
	}
	d := maxDate(r.next, lower)
	if r.ph.weekly {
		d = r.weekly(cal, d)
	}
	if !r.end.IsZero() && d.After(r.end) {
		return Date{}, false
	}
	return d, true
}

// weekly returns the first day on or after d that the weekly rhythm uses:
// a weekday of the phase in an active week (every Every-th 7-day block from
// the phase's first day, or from the week a session moved into: see
// record) that still has room for a session. When a week has more weekdays
// than sessions, open days are preferred, so "2 a week on mon, wed, fri"
// takes Wednesday and Friday when Monday is closed.
func (r *run) weekly(cal *Calendar, d Date) Date {
	n := r.ph.every / 7
	for {
		j := floorDiv(d.daysSince(r.first), 7)
		if k := floorMod(j-r.shift, n); k != 0 {
			d = r.first.AddDays(7 * (j + n - k))
			continue
		}
		end := r.first.AddDays(7*j + 6)
		left := r.ph.perWeek
		if j == r.usedBlock {
			left -= r.used
		}
		if left > 0 {
			if day, ok := r.pick(cal, d, end, left); ok {
				return day
			}
		}
		d = end.AddDays(1)
	}
}

// pick returns the earliest of the days a week's sessions take in [from, to]
// (at most 7 days). Weekdays are counted from from's, so only the days that
// match build a Date.
func (r *run) pick(cal *Calendar, from, to Date, left int) (Date, bool) {
	wd := from.Weekday()
	var buf [7]int
	offs := buf[:0] // offsets from from of the phase's weekdays
	for i := range to.daysSince(from) + 1 {
		if r.ph.days.has((wd + time.Weekday(i)) % 7) {
			offs = append(offs, i)
		}
	}
	switch {
	case len(offs) == 0:
		return Date{}, false
	case len(offs) <= left:
		return from.AddDays(offs[0]), true
	}
	// More weekdays than sessions: open days first; when too few are open,
	// the closed ones fill in, in date order, and will be moved.
	open, firstOpen, firstClosed := 0, -1, -1
	for _, o := range offs {
		switch {
		case cal.isOpen(from.AddDays(o)):
			if open == 0 {
				firstOpen = o
			}
			open++
		case firstClosed < 0:
			firstClosed = o
		}
	}
	switch {
	case open >= left:
		return from.AddDays(firstOpen), true
	case open == 0 || firstClosed < firstOpen:
		return from.AddDays(firstClosed), true
	default:
		return from.AddDays(firstOpen), true
	}
}

// over reports whether the phase has no session left: its count is reached,
// or its next nominal day is past its end.
func (r *run) over(cal *Calendar) bool {
	if r.end.IsZero() {
		return r.ph.sessions > 0 && r.count >= r.ph.sessions
	}
	_, ok := r.nominal(cal, Date{})
	return !ok
}

// record moves the rhythm past a session (or dropped session) on day d,
// which the rhythm gave as origin. The rhythm goes on from where the session
// fell: an interval counts from d; a weekly rhythm keeps its weekdays, and
// a session moved by whole weeks (a closure of a week, say) moves the
// active weeks with it, so that "every 2 weeks" after it is two weeks
// after it, not after the day it moved from. A move of a few days leaves
// the weeks where they are.
func (r *run) record(d, origin Date) {
	r.count++
	r.stood = d
	if !r.ph.weekly {
		r.next = d.AddDays(r.ph.every)
		return
	}
	weeks := 0 // whole weeks moved, towards zero (a session done early moves none)
	if d != origin {
		weeks = d.daysSince(origin) / 7
	}
	if weeks != 0 {
		r.shift = r.block(origin) + weeks
	}
	j, n := r.block(d), r.ph.every/7
	if !r.ph.days.has(d.Weekday()) || n > 1 && floorMod(j-r.shift, n) != 0 {
		// Off the rhythm's days, a session stands for the day it moved
		// from, moved by the whole weeks it moved.
		r.stood = origin.AddDays(7 * weeks)
		j = r.block(r.stood)
	}
	// The session takes its place in the week of the day it stands for: a
	// Monday moved to the Tuesday that begins the next 7-day block leaves
	// that block its own session.
	if j != r.usedBlock {
		r.usedBlock, r.used = j, 0
	}
	r.used++
	r.next = maxDate(r.next, d.AddDays(1))
}

// block is the 7-day block of the phase's weeks that day d is in.
func (r *run) block(d Date) int { return floorDiv(d.daysSince(r.first), 7) }

// gapAfter is the number of days the rhythm gives from the day the last
// session stands for to the next session: the interval; or, weekly, the
// days to the next of the phase's weekdays in that week, or in the next
// active week when the week has no weekday (or, with fewer sessions a week
// than weekdays, no room) left.
func (r *run) gapAfter(cal *Calendar) int {
	if !r.ph.weekly {
		return r.ph.every
	}
	since := r.stood.daysSince(r.first)
	if r.ph.perWeek == r.ph.days.count() {
		// Every weekday is a session day: count along the week grid. The
		// stood day's week is active (record makes it so).
		pos, wd := floorMod(since, 7), r.stood.Weekday()
		for i := 1; i < 7-pos; i++ {
			if r.ph.days.has((wd + time.Weekday(i)) % 7) {
				return i
			}
		}
		gap := r.ph.every - pos // to the first day of the next active week
		for !r.ph.days.has((wd + time.Weekday(gap)) % 7) {
			gap++
		}
		return gap
	}
	// Fewer sessions a week than weekdays: the rhythm chooses its days, so
	// the week's sessions so far count.
	j := floorDiv(since, 7)
	end := r.first.AddDays(7*j + 6)
	left := r.ph.perWeek
	if j == r.usedBlock {
		left -= r.used
	}
	if left > 0 && r.stood.Before(end) {
		if d, ok := r.pick(cal, r.stood.AddDays(1), end, left); ok {
			return d.daysSince(r.stood)
		}
	}
	return r.weekly(cal, end.AddDays(1)).daysSince(r.stood)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - b*floorDiv(a, b) }

// hoursText writes a gap between instants as hours and minutes: "47 h",
// "46 h 30 min".
func hoursText(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	// Through units for the ISMP display of the hours: "1,265 h".
	hours := units.NewInt(h, units.Hour).String()
	switch {
	case m == 0:
		return sign + hours
	case h == 0:
		return fmt.Sprintf("%s%d min", sign, m)
	default:
		return fmt.Sprintf("%s%s %d min", sign, hours, m)
	}
}
