package schedule_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// A world is a generated calendar, series and start date that the package
// must accept.
type world struct {
	cfg    schedule.CalendarConfig
	cal    *schedule.Calendar
	series schedule.Series
	start  schedule.Date
	minGap time.Duration
}

// Zones with and without daylight saving time, including half-hour offsets
// a half-hour DST shift (Lord Howe) and changes at midnight (Havana, Beirut).
var propZones = []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata",
	"America/St_Johns", "Pacific/Auckland", "America/Havana", "Asia/Beirut"}

// Start times near DST changes are deliberate: some of them do not exist or
// occur twice on some days.
var propStarts = []schedule.TimeOfDay{{Hour: 0, Minute: 30}, {Hour: 1, Minute: 30}, {Hour: 2}, {Hour: 2, Minute: 30}, {Hour: 9}, {Hour: 14}}

func weekdaySubset(t *rapid.T, label string, of []schedule.Weekday) []schedule.Weekday {
	mask := rapid.IntRange(1, 1<<len(of)-1).Draw(t, label)
	var out []schedule.Weekday
	for i, w := range of {
		if mask&(1<<i) != 0 {
			out = append(out, w)
		}
	}
	return out
}

// minCyclicGap returns the least number of days between consecutive
// weekdays of a set repeating weekly: a lower bound for any subset's gaps.
func minCyclicGap(ws []schedule.Weekday) int {
	if len(ws) == 1 {
		return 7
	}
	offs := make([]int, len(ws))
	for i, w := range ws {
		offs[i] = (int(w) + 6) % 7
	}
	slices.Sort(offs)
	gap := offs[0] + 7 - offs[len(offs)-1]
	for i := 1; i < len(offs); i++ {
		gap = min(gap, offs[i]-offs[i-1])
	}
	return gap
}

func genWorld(t *rapid.T) world {
	var w world
	zone := rapid.SampledFrom(propZones).Draw(t, "zone")
	open := weekdaySubset(t, "open", allWeek)
	starts := slices.Clone(propStarts)
	rapid.Permutation(starts).Draw(t, "starts order")
	starts = starts[:rapid.IntRange(1, 3).Draw(t, "starts")]

	y := rapid.IntRange(2024, 2030).Draw(t, "year")
	first := schedule.Date{Year: y, Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month")), Day: rapid.IntRange(1, 28).Draw(t, "day")}
	var closed []schedule.Closure
	for i := range rapid.IntRange(0, 8).Draw(t, "closures") {
		d := first.AddDays(rapid.IntRange(0, 200).Draw(t, "closure day"))
		c := schedule.Closure{Date: d}
		if n := rapid.IntRange(0, 10).Draw(t, "closure length"); n > 0 {
			c.Through = d.AddDays(n)
		}
		if i%2 == 0 {
			c.Name = "holiday"
		}
		closed = append(closed, c)
	}
	w.cfg = schedule.CalendarConfig{Zone: zone, Open: open, Closed: closed, Starts: starts}

	minGapDays, perWeek7, longest := 30, 1, 1
	for i := range rapid.IntRange(1, 3).Draw(t, "phases") {
		p := schedule.Phase{Name: string(rune('a' + i))}
		if rapid.Bool().Draw(t, "weekly") {
			p.Weekdays = weekdaySubset(t, "weekdays", open)
			if rapid.Bool().Draw(t, "per_week") {
				p.PerWeek = rapid.IntRange(1, len(p.Weekdays)).Draw(t, "per_week n")
			}
			weeks := rapid.IntRange(1, 3).Draw(t, "every weeks")
			if weeks > 1 {
				p.Every = units.NewInt(int64(weeks), units.Week)
			}
			minGapDays = min(minGapDays, minCyclicGap(p.Weekdays))
			perWeek7 = max(perWeek7, max(p.PerWeek, len(p.Weekdays)))
			longest = max(longest, 7*weeks+6)
		} else {
			every := rapid.IntRange(1, 30).Draw(t, "every days")
			p.Every = units.NewInt(int64(every), units.Day)
			minGapDays = min(minGapDays, every)
			perWeek7 = max(perWeek7, (7+every-1)/every)
			longest = max(longest, every)
		}
		switch rapid.IntRange(0, 3).Draw(t, "bound") {
		case 0:
			p.Duration = units.NewInt(int64(rapid.IntRange(1, 6).Draw(t, "duration weeks")), units.Week)
		default:
			p.Sessions = rapid.IntRange(1, 8).Draw(t, "sessions")
		}
		if i > 0 && rapid.Bool().Draw(t, "start_after") {
			sa := rapid.IntRange(1, 30).Draw(t, "start_after days")
			p.StartAfter = units.NewInt(int64(sa), units.Day)
			longest = max(longest, sa)
		}
		w.series.Phases = append(w.series.Phases, p)
	}
	minutes := rapid.IntRange(0, minGapDays*24*60).Draw(t, "min_interval minutes")
	w.series.MinInterval = units.NewInt(int64(minutes), units.Minute)
	w.minGap = time.Duration(minutes) * time.Minute
	if rapid.Bool().Draw(t, "max_per_7_days") {
		w.series.MaxPer7Days = rapid.IntRange(perWeek7, 7).Draw(t, "max_per_7_days n")
	}
	if rapid.Bool().Draw(t, "restart") {
		// Longer than any gap the rhythm and the open weekdays make together,
		// so that only closures and absences restart the series.
		w.series.Restart = &schedule.RestartRule{
			After: units.NewInt(int64(longest+7+rapid.IntRange(0, 30).Draw(t, "restart slack")), units.Day),
			Phase: w.series.Phases[rapid.IntRange(0, len(w.series.Phases)-1).Draw(t, "restart phase")].Name,
		}
	}

	cal, err := schedule.NewCalendar(w.cfg)
	if err != nil {
		t.Fatalf("NewCalendar(%+v): %v", w.cfg, err)
	}
	w.cal = cal
	// The start is the first day from the drawn one that the first phase
	// can begin on.
	p0 := w.series.Phases[0]
	w.start = first
	for !cal.IsOpen(w.start) || len(p0.Weekdays) > 0 && !slices.Contains(p0.Weekdays, schedule.Weekday(w.start.Weekday())) {
		w.start = w.start.AddDays(1)
	}
	return w
}

// checkTimetable checks the invariants every timetable keeps.
func checkTimetable(t *rapid.T, w world, tab *schedule.Timetable) {
	restartAt := map[int]bool{}
	for _, r := range tab.Restarts {
		restartAt[r.Index] = true
	}
	loc := w.cal.Location()
	for i, s := range tab.Slots {
		if s.Index != i+1 {
			t.Fatalf("slot %d has index %d", i, s.Index)
		}
		if s.Start.Location() != loc || schedule.DateOf(s.Start) != s.Date {
			t.Fatalf("session %d: start %v is not on its date %s in %s", s.Index, s.Start, s.Date, loc)
		}
		var prev *schedule.Slot
		if i > 0 {
			prev = &tab.Slots[i-1]
			if !s.Date.After(prev.Date) || !s.Start.After(prev.Start) {
				t.Fatalf("session %d (%v) is not after session %d (%v)", s.Index, s.Start, prev.Index, prev.Start)
			}
		}
		if s.Done {
			continue
		}
		if s.Date.Before(tab.From) {
			t.Fatalf("session %d on %s is before the replanning date %s", s.Index, s.Date, tab.From)
		}
		if !w.cal.IsOpen(s.Date) {
			t.Fatalf("session %d is on %s (%s), a day the clinic is closed", s.Index, s.Date, s.Date.Weekday())
		}
		tod := schedule.TimeOfDay{Hour: s.Start.Hour(), Minute: s.Start.Minute()}
		if !slices.Contains(w.cfg.Starts, tod) || s.Start.Second() != 0 || s.Start.Nanosecond() != 0 {
			t.Fatalf("session %d starts at %v, not at a start time of the calendar %v", s.Index, s.Start, w.cfg.Starts)
		}
		if prev != nil && s.Start.Sub(prev.Start) < w.minGap {
			t.Fatalf("session %d is %v after session %d, less than min_interval %v", s.Index, s.Start.Sub(prev.Start), prev.Index, w.minGap)
		}
		if max7 := w.series.MaxPer7Days; max7 > 0 {
			n := 0
			for _, o := range tab.Slots[:i+1] {
				if !o.Date.Before(s.Date.AddDays(-6)) {
					n++
				}
			}
			if n > max7 {
				t.Fatalf("%d sessions in the 7 days to %s, more than %d", n, s.Date, max7)
			}
		}
		ph := w.series.Phases[s.PhaseIndex]
		if s.Phase != ph.Name {
			t.Fatalf("session %d names phase %q, index %d is %q", s.Index, s.Phase, s.PhaseIndex, ph.Name)
		}
		switch {
		case !s.MovedFrom.IsZero():
			if s.MovedFrom == s.Date || len(s.Reasons) == 0 {
				t.Fatalf("session %d moved from %s to %s with reasons %+v", s.Index, s.MovedFrom, s.Date, s.Reasons)
			}
		case len(ph.Weekdays) > 0 && !slices.Contains(ph.Weekdays, schedule.Weekday(s.Date.Weekday())):
			t.Fatalf("session %d is on a %s, outside its phase's weekdays %v, and not marked as moved", s.Index, s.Date.Weekday(), ph.Weekdays)
		}
	}

	// Counts: each run of a phase numbers its sessions 1, 2, … and, unless a
	// restart or a stop cuts it short, has as many as the phase says.
	for i := 0; i < len(tab.Slots); {
		j := i + 1
		for j < len(tab.Slots) && tab.Slots[j].Number != 1 {
			j++
		}
		run := tab.Slots[i:j]
		for k, s := range run {
			if s.Number != k+1 || s.PhaseIndex != run[0].PhaseIndex || s.Of != run[0].Of {
				t.Fatalf("session %d: number %d of %d in phase %d breaks the run from session %d", s.Index, s.Number, s.Of, s.PhaseIndex, run[0].Index)
			}
		}
		cut := restartAt[run[len(run)-1].Index+1] || j == len(tab.Slots) && tab.Stopped != nil
		if n := w.series.Phases[run[0].PhaseIndex].Sessions; n > 0 && !cut && len(run) != n {
			t.Fatalf("phase %q ran %d sessions from session %d, want %d", run[0].Phase, len(run), run[0].Index, n)
		}
		// A replan may pass over a phase bounded by dates (with a warning).
		if j < len(tab.Slots) && !restartAt[j+1] && tab.Slots[j].PhaseIndex <= run[0].PhaseIndex {
			t.Fatalf("phase %d follows phase %d at session %d without a restart", tab.Slots[j].PhaseIndex, run[0].PhaseIndex, j+1)
		}
		i = j
	}
	if tab.Stopped == nil && len(tab.Slots) > 0 && !restartAt[len(tab.Slots)+1] {
		if last := tab.Slots[len(tab.Slots)-1]; last.Number != last.Of {
			t.Fatalf("the timetable ends at %s %d of %d", last.Phase, last.Number, last.Of)
		}
	}
	checkRhythm(t, w.series.Phases, tab.Slots, tab.Restarts, len(tab.History) == 0)
}

// rhythmGap is the gap in days a phase's rhythm gives after session prev,
// where a test knows it without the planner: an interval phase's every; a
// weekly phase's Every on a single weekday; and, every week with a session
// on each weekday, the days from the weekday prev stands for (its own, or
// the one it moved from) to the phase's next weekday.
func rhythmGap(ph schedule.Phase, prev schedule.Slot) (int, bool) {
	every := 7
	if ph.Every.IsValid() {
		d, err := ph.Every.Convert(units.Day)
		if err != nil {
			return 0, false
		}
		every = int(d.Value().IntPart())
	}
	switch {
	case len(ph.Weekdays) == 0, len(ph.Weekdays) == 1:
		return every, true
	case every != 7 || ph.PerWeek != 0 && ph.PerWeek != len(ph.Weekdays):
		return 0, false
	}
	stands := schedule.Weekday(prev.Date.Weekday())
	if !slices.Contains(ph.Weekdays, stands) {
		if prev.MovedFrom.IsZero() {
			return 0, false // a done session off the weekdays: the day it stood for is not in the slot
		}
		stands = schedule.Weekday(prev.MovedFrom.Weekday())
	}
	for n := 1; n <= 7; n++ {
		if slices.Contains(ph.Weekdays, schedule.Weekday((int(stands)+n)%7)) {
			return n, true
		}
	}
	return 0, false
}

func daysText(n int) string {
	if n == 1 {
		return "1 day"
	}
	return strconv.Itoa(n) + " days"
}

// checkRhythm checks the rhythm's laws between consecutive sessions of one
// run of a phase: a gap that is not the rhythm's carries a rhythm_gap
// reason stating it, and one that is carries none; sessions dropped between
// two sessions are noted. In a plan without history the rhythm survives a
// moved session (the anchor below).
func checkRhythm(t *rapid.T, phases []schedule.Phase, slots []schedule.Slot, restarts []schedule.Restart, plain bool) {
	restartAt := map[int]bool{}
	for _, r := range restarts {
		restartAt[r.Index] = true
	}
	for i := 1; i < len(slots); i++ {
		prev, s := slots[i-1], slots[i]
		var note *schedule.Reason
		for k := range s.Reasons {
			if s.Reasons[k].Code == schedule.ReasonRhythm {
				note = &s.Reasons[k]
			}
		}
		sameRun := s.PhaseIndex == prev.PhaseIndex && s.Number > prev.Number && !restartAt[s.Index]
		if !sameRun {
			if note != nil {
				t.Fatalf("session %d, the first of a run of its phase, has a rhythm note: %+v", s.Index, *note)
			}
			continue
		}
		gap := s.Date.DaysSince(prev.Date)
		if note != nil && !strings.HasPrefix(note.Detail, daysText(gap)+" after session "+strconv.Itoa(prev.Index)+" on "+prev.Date.String()) {
			t.Fatalf("session %d is %d days after session %d; its note says %q", s.Index, gap, prev.Index, note.Detail)
		}
		if s.Number > prev.Number+1 {
			if note == nil {
				t.Fatalf("sessions %d and %d of %q have %d dropped between them and no note", prev.Number, s.Number, s.Phase, s.Number-prev.Number-1)
			}
			continue
		}
		ph := phases[s.PhaseIndex]
		want, known := rhythmGap(ph, prev)
		switch {
		case !known:
			continue
		case gap != want && note == nil:
			t.Fatalf("session %d is %d days after session %d, not the rhythm's %d (phase %+v), with no note: %+v", s.Index, gap, prev.Index, want, ph, s.Reasons)
		case gap == want && note != nil:
			t.Fatalf("session %d is the rhythm's %d days after session %d, yet noted: %q", s.Index, gap, prev.Index, note.Detail)
		}
		if !plain || !s.MovedFrom.IsZero() || len(ph.Weekdays) > 1 {
			continue
		}
		// The anchor: a session on the day its rhythm gave is one rhythm
		// after the day the session before stands for: its own day after
		// an interval; on a single weekday, the day it moved from moved by
		// the whole weeks it moved (a few days leave the weeks in place).
		stands := prev.Date
		if len(ph.Weekdays) == 1 && !prev.MovedFrom.IsZero() {
			stands = prev.MovedFrom.AddDays(7 * (prev.Date.DaysSince(prev.MovedFrom) / 7))
		}
		if got := s.Date.DaysSince(stands); got != want {
			t.Fatalf("session %d, on the day its rhythm gave, is %d days after %s, the day session %d (on %s, moved from %s) stands for, not the rhythm's %d",
				s.Index, got, stands, prev.Index, prev.Date, prev.MovedFrom, want)
		}
	}
}

func TestPlanProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		tab, err := w.series.Plan(w.start, w.cal, schedule.Options{})
		if err != nil {
			t.Fatalf("Plan: %v", err)
		}
		if len(tab.Slots) == 0 || tab.Slots[0].Date != w.start && tab.Slots[0].MovedFrom != w.start {
			t.Fatalf("the first session is not on the start date %s: %+v", w.start, tab.Slots[:min(1, len(tab.Slots))])
		}
		checkTimetable(t, w, tab)
		again, err := tab.Replan(nil, w.start)
		if err != nil {
			t.Fatalf("Replan(nil): %v", err)
		}
		if diff := cmp.Diff(tab.Slots, again.Slots); diff != "" {
			t.Fatalf("Replan(nil, start) differs from Plan (-plan +replan):\n%s", diff)
		}
	})
}

// TestReplanStateMachine drives a series through a random history (sessions
// done on time, late or at other hours, missed, delayed, days passing, a
// stop) and checks every invariant after each step, and that replanning from
// the latest timetable or from the first one agrees.
func TestReplanStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		first, err := w.series.Plan(w.start, w.cal, schedule.Options{})
		if err != nil {
			t.Fatalf("Plan: %v", err)
		}
		tab, from := first, w.start
		var history []schedule.Event
		stopped := false
		done := 0
		// next returns the first planned session, if any.
		next := func() (schedule.Slot, bool) {
			for _, s := range tab.Slots {
				if !s.Done {
					return s, true
				}
			}
			return schedule.Slot{}, false
		}
		// pendingDelay returns the date of a delay not yet followed by an
		// entry for its session.
		pendingDelay := func() (schedule.Date, bool) {
			if n := len(history); n > 0 && history[n-1].Kind == schedule.Delayed {
				return history[n-1].Date, true
			}
			return schedule.Date{}, false
		}
		replan := func(t *rapid.T) {
			got, err := first.Replan(history, from)
			if err != nil {
				t.Fatalf("Replan(%+v, %s): %v", history, from, err)
			}
			fromLatest, err := tab.Replan(history, from)
			if err != nil {
				t.Fatalf("Replan from the latest timetable: %v", err)
			}
			if diff := cmp.Diff(got.Slots, fromLatest.Slots); diff != "" {
				t.Fatalf("Replan depends on the timetable it starts from (-first +latest):\n%s", diff)
			}
			tab = got
		}

		t.Repeat(map[string]func(*rapid.T){
			"done": func(t *rapid.T) {
				s, ok := next()
				if stopped || !ok {
					t.Skip("nothing planned")
				}
				late := rapid.IntRange(0, 2).Draw(t, "days late")
				shift := time.Duration(rapid.IntRange(-60, 180).Draw(t, "minutes off")) * time.Minute
				at := s.Start.AddDate(0, 0, late).Add(shift)
				if d := schedule.DateOf(at); d != s.Date.AddDays(late) {
					at = s.Start.AddDate(0, 0, late) // keep the day
				}
				done++
				history = append(history, schedule.Event{Kind: schedule.Done, Session: done, At: at})
				if d := schedule.DateOf(at); d.After(from) {
					from = d
				}
				replan(t)
			},
			"missed": func(t *rapid.T) {
				s, ok := next()
				if stopped || !ok {
					t.Skip("nothing planned")
				}
				history = append(history, schedule.Event{Kind: schedule.Missed, Session: done + 1, Date: s.Date})
				if d := s.Date.AddDays(1); d.After(from) {
					from = d
				}
				replan(t)
			},
			"delayed": func(t *rapid.T) {
				s, ok := next()
				if stopped || !ok {
					t.Skip("nothing planned")
				}
				to := maxDate(s.Date, from).AddDays(rapid.IntRange(1, 10).Draw(t, "days"))
				history = append(history, schedule.Event{Kind: schedule.Delayed, Session: done + 1, Date: to})
				replan(t)
			},
			"days pass": func(t *rapid.T) {
				to := from.AddDays(rapid.IntRange(1, 20).Draw(t, "days"))
				if d, ok := pendingDelay(); ok && to.After(d) {
					to = d
				}
				from = to
				replan(t)
			},
			"stopped": func(t *rapid.T) {
				if stopped || rapid.IntRange(0, 9).Draw(t, "rarely") > 0 {
					t.Skip("stops are rare")
				}
				stopped = true
				history = append(history, schedule.Event{Kind: schedule.Stopped, Date: from})
				replan(t)
				if _, ok := next(); ok {
					t.Fatalf("a session is planned after the stop")
				}
			},
			"": func(t *rapid.T) {
				checkTimetable(t, w, tab)
				n := 0
				for _, s := range tab.Slots {
					if s.Done {
						if s.Index != n+1 || !s.Start.Equal(history[indexOfDone(history, n+1)].At) {
							t.Fatalf("done session %d does not match the history", s.Index)
						}
						n++
					}
				}
				if n != done {
					t.Fatalf("%d done sessions in the timetable, %d in the history", n, done)
				}
			},
		})
	})
}

func indexOfDone(h []schedule.Event, session int) int {
	for i, e := range h {
		if e.Kind == schedule.Done && e.Session == session {
			return i
		}
	}
	return -1
}

func maxDate(a, b schedule.Date) schedule.Date {
	if a.After(b) {
		return a
	}
	return b
}
