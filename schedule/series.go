package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// Series is the rhythm of a treatment series as a protocol declares it: the
// phases in order, and the constraints every session keeps. For example, IV
// ketamine induction and boosters:
//
//	series:
//	  phases:
//	    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}
//	    - {name: boosters, sessions: 3, every: 4 weeks, start_after: 4 weeks}
//	  min_interval: 44 h
//	  max_per_7_days: 3
//
// Every clinical number comes from the protocol; the package adds none.
type Series struct {
	Phases []Phase `json:"phases"`

	// MinInterval is the least time between the starts of two consecutive
	// sessions, measured between instants (so across a daylight-saving change
	// two 09:00 sessions two days apart are 47 h or 49 h apart). Required;
	// "0 h" states that the protocol sets none.
	MinInterval units.Quantity `json:"min_interval"`

	// MaxPer7Days is the most sessions in any 7 consecutive calendar days;
	// 0, not set (a document leaves the field out), means the protocol sets
	// no such limit. At most one session is ever planned per day.
	MaxPer7Days int `json:"max_per_7_days,omitempty"`

	// Restart, when set, is the protocol's rule for a long gap: a session
	// more than Restart.After after the session before it starts the named
	// phase again.
	//
	// The gap is measured between sessions of the timetable (done or
	// planned), whatever made it: closures, a history of absences or
	// delays, or a cumulative cap that moved sessions. Sessions that a cap
	// dropped are the exception: a dropped session was left out on purpose
	// (a cumulative cap, say), not missed, and it counts towards its phase,
	// so it keeps the series going. A session restarts the series only if
	// it is more than Restart.After after the session before it and after
	// every session dropped since: a gap that only dropping makes never
	// restarts (a restart would plan again what the cap left out), and a
	// gap that a closure makes after the dropped sessions still does. A
	// session that does not restart although it is more than Restart.After
	// after the session before it is reported in the plan's Warnings, for a
	// clinician to review.
	Restart *RestartRule `json:"restart,omitempty"`
}

// Phase is one stage of a series: its rhythm and its end. The rhythm is
// either weekly (Weekdays, with PerWeek sessions in every Every-th week) or an
// interval (no Weekdays: one session every Every). A phase ends after
// Sessions sessions, after its last day (Until, or Duration from its first
// day), or at whichever comes first.
//
// Weeks are 7-day blocks counted from the phase's first day, so "weeks 1–4
// twice weekly" is Duration 4 weeks (or Sessions 8) with PerWeek 2. The first
// phase's first day is the plan's start date. A later phase's first day is
// StartAfter after the previous phase's last session; without StartAfter, a
// weekly phase begins the day after it and an interval phase one Every after
// it (its rhythm simply continues).
//
// The rhythm goes on from where each session actually fell, so that a
// session a closure moved does not shorten the gap after it. An interval
// counts from the day the session moved to. A weekly rhythm keeps its
// weekdays, and a session moved by whole weeks (a week-long closure) takes
// its weeks with it: "every 2 weeks" after a Monday moved to the next
// Monday is two weeks after that Monday, not one. A session moved by a few
// days (Monday to Tuesday) stands for the day it moved from, so the next is
// on its weekday again, a few days nearer. A gap between two sessions of a
// phase that is not the rhythm's (counted from the day the earlier session
// stands for) is noted on the later session, a Reason with code
// ReasonRhythm, as is a gap that sessions dropped by a Check leave.
type Phase struct {
	Name string `json:"name"`

	Sessions int            `json:"sessions,omitempty"` // count of sessions
	Until    Date           `json:"until,omitzero"`     // last day (inclusive)
	Duration units.Quantity `json:"duration,omitzero"`  // length from the first day, whole days ("4 weeks")

	Weekdays []Weekday      `json:"weekdays,omitempty"` // weekly rhythm: the days sessions fall on
	PerWeek  int            `json:"per_week,omitempty"` // sessions per active week; default: one per weekday given
	Every    units.Quantity `json:"every,omitzero"`     // weekly: whole weeks (default 1 week); interval: whole days, required

	StartAfter units.Quantity `json:"start_after,omitzero"` // whole days after the previous phase's last session
}

// RestartRule is a protocol's answer to a long gap between sessions.
type RestartRule struct {
	After units.Quantity `json:"after"` // whole days; a gap of more days than this restarts
	Phase string         `json:"phase"` // the phase that starts again, e.g. "induction"
}

// Bounds on input sizes. They are limits of the program, not clinical
// numbers: they keep every plan's cost in proportion to its input.
const (
	MaxSessions = 1000 // sessions in one timetable, done and planned
	maxSpanDays = 3660 // any duration or offset: 10 years
	searchDays  = 366  // days the planner looks past a session's nominal date
	maxNameLen  = 64
)

// spec is a validated Series in the planner's terms: whole days, a bitmask of
// weekdays, the minimum interval in nanoseconds.
type spec struct {
	series  Series
	phases  []phaseSpec
	minGap  time.Duration // MinInterval rounded up to whole nanoseconds: exact for comparisons with instants
	max7    int
	restart *restartSpec
}

type phaseSpec struct {
	idx        int
	name       string
	sessions   int // 0: not bounded by count
	until      Date
	duration   int // days; 0: none
	weekly     bool
	days       weekdaySet
	perWeek    int
	every      int // days (a multiple of 7 for a weekly rhythm)
	startAfter int // days; -1: not given
}

type restartSpec struct {
	after int // days
	phase int
	rule  RestartRule
}

// validate reports every problem of s at once, each a *FieldError whose
// path starts with "series." ("series.phases[1].per_week"). Problems that
// need a calendar or a start date are reported by Plan.
func (s Series) validate() error {
	_, err := s.compile()
	return err
}

func (s Series) compile() (*spec, error) {
	s = s.clone() // a timetable keeps its series: the caller's slices may change
	var el errs
	sp := &spec{series: s, max7: s.MaxPer7Days}

	if len(s.Phases) == 0 {
		el.add("series.phases", "", ErrMissing, "is missing (give at least one phase)")
	}
	names := map[string]int{}
	for i, p := range s.Phases {
		ps := compilePhase(i, p, &el)
		if j, dup := names[p.Name]; dup && p.Name != "" {
			el.add(fmt.Sprintf("series.phases[%d].name", i), p.Name, ErrConflict, fmt.Sprintf("is also the name of phases[%d] (names must be unique)", j))
		}
		names[p.Name] = i
		sp.phases = append(sp.phases, ps)
	}

	minOK := false
	if !s.MinInterval.IsValid() {
		el.add("series.min_interval", "", ErrMissing, "is missing (give the least time between session starts, e.g. \"44 h\", or \"0 h\" for none)")
	} else if ns, ok := nanoseconds(s.MinInterval, "series.min_interval", 0, searchDays*24*time.Hour, &el); ok {
		sp.minGap, minOK = ns, true
	}

	if s.MaxPer7Days < 0 || s.MaxPer7Days > 7 {
		el.add("series.max_per_7_days", strconv.Itoa(s.MaxPer7Days), ErrRange, "is out of range (must be 1 to 7, or not set for no limit)")
	}

	if r := s.Restart; r != nil {
		rs := &restartSpec{rule: *r, phase: -1}
		if !r.After.IsValid() {
			el.add("series.restart.after", "", ErrMissing, "is missing (give the gap in whole days after which the series restarts, e.g. \"28 day\")")
		} else {
			rs.after, _ = wholeDays(r.After, "series.restart.after", 1, maxSpanDays, 1, &el)
		}
		if r.Phase == "" {
			el.add("series.restart.phase", "", ErrMissing, "is missing (name the phase that starts again)")
		} else if j, ok := names[r.Phase]; ok {
			rs.phase = j
		} else {
			el.add("series.restart.phase", r.Phase, ErrRange, "is not a phase of the series (must be one of "+phaseNames(s.Phases)+")")
		}
		sp.restart = rs
	}

	if err := el.join(); err != nil {
		return nil, err
	}
	// Cross-field checks run only on fields that are valid on their own, so
	// that each problem is reported once.
	for i := range sp.phases {
		sp.checkRhythm(&sp.phases[i], minOK, &el)
	}
	if err := el.join(); err != nil {
		return nil, err
	}
	return sp, nil
}

// clone returns a deep copy of s.
func (s Series) clone() Series {
	s.Phases = slices.Clone(s.Phases)
	for i := range s.Phases {
		s.Phases[i].Weekdays = slices.Clone(s.Phases[i].Weekdays)
	}
	if s.Restart != nil {
		r := *s.Restart
		s.Restart = &r
	}
	return s
}

func compilePhase(i int, p Phase, el *errs) phaseSpec {
	path := fmt.Sprintf("series.phases[%d]", i)
	ps := phaseSpec{idx: i, name: p.Name, sessions: p.Sessions, until: p.Until, startAfter: -1}

	switch {
	case p.Name == "":
		el.add(path+".name", "", ErrMissing, "is missing (name the phase, e.g. \"induction\")")
	case len(p.Name) > maxNameLen:
		el.add(path+".name", p.Name, ErrRange, fmt.Sprintf("is too long (must be at most %d bytes)", maxNameLen))
	case strings.IndexFunc(p.Name, unicode.IsControl) >= 0:
		el.add(path+".name", p.Name, ErrSyntax, "contains a control character")
	}

	if p.Sessions < 0 || p.Sessions > MaxSessions {
		el.add(path+".sessions", strconv.Itoa(p.Sessions), ErrRange, fmt.Sprintf("is out of range (must be 1 to %d)", MaxSessions))
	}
	if !p.Until.IsZero() && !p.Until.IsValid() {
		el.add(path+".until", p.Until.String(), ErrRange, p.Until.invalid())
	}
	if p.Duration.IsValid() {
		ps.duration, _ = wholeDays(p.Duration, path+".duration", 1, maxSpanDays, 1, el)
	}
	if p.Sessions == 0 && p.Until.IsZero() && !p.Duration.IsValid() {
		el.add(path, "", ErrMissing, "has no end (give sessions, until or duration)")
	}

	ps.weekly = len(p.Weekdays) > 0
	for j, w := range p.Weekdays {
		field := fmt.Sprintf("%s.weekdays[%d]", path, j)
		switch {
		case !w.IsValid():
			el.add(field, strconv.Itoa(int(w)), ErrRange, "is not a weekday (must be mon to sun)")
			continue
		case ps.days.has(time.Weekday(w)):
			el.add(field, w.String(), ErrConflict, "is listed twice")
		}
		ps.days |= 1 << w
	}

	switch {
	case ps.weekly:
		ps.perWeek = len(p.Weekdays)
		if p.PerWeek != 0 {
			ps.perWeek = p.PerWeek
			switch n := len(p.Weekdays); {
			case p.PerWeek < 1:
				el.add(path+".per_week", strconv.Itoa(p.PerWeek), ErrRange, fmt.Sprintf("is out of range (must be 1 to %d, the number of weekdays given)", n))
			case p.PerWeek > n:
				el.add(path+".per_week", strconv.Itoa(p.PerWeek), ErrRange, fmt.Sprintf("is more than the %d weekdays given (must be 1 to %d)", n, n))
			}
		}
		ps.every = 7
		if p.Every.IsValid() {
			ps.every, _ = wholeDays(p.Every, path+".every", 7, 52*7, 7, el)
		}
	default:
		if p.PerWeek != 0 {
			el.add(path+".per_week", strconv.Itoa(p.PerWeek), ErrConflict, "needs weekdays (per_week counts sessions on the weekdays given)")
		}
		if !p.Every.IsValid() {
			el.add(path+".every", "", ErrMissing, "is missing (give weekdays, or an interval such as \"4 weeks\" or \"3 day\")")
		} else {
			ps.every, _ = wholeDays(p.Every, path+".every", 1, searchDays, 1, el)
		}
	}

	if p.StartAfter.IsValid() {
		if i == 0 {
			el.add(path+".start_after", p.StartAfter.String(), ErrConflict, "applies only to a later phase (the first phase begins on the plan's start date)")
		} else {
			ps.startAfter, _ = wholeDays(p.StartAfter, path+".start_after", 1, maxSpanDays, 1, el)
		}
	}
	return ps
}

// checkRhythm refuses a rhythm that can never keep the series' constraints:
// every session would have to move.
func (sp *spec) checkRhythm(ps *phaseSpec, minOK bool, el *errs) {
	path := fmt.Sprintf("series.phases[%d]", ps.idx)
	s := sp.series
	if !ps.weekly {
		if minOK && time.Duration(ps.every)*24*time.Hour < sp.minGap {
			el.add(path+".every", s.Phases[ps.idx].Every.String(), ErrConflict,
				fmt.Sprintf("is shorter than min_interval %s (every session would have to move)", s.MinInterval))
		}
		if per7 := (7 + ps.every - 1) / ps.every; sp.max7 > 0 && per7 > sp.max7 {
			el.add(path+".every", s.Phases[ps.idx].Every.String(), ErrConflict,
				fmt.Sprintf("puts %d sessions in 7 days, more than max_per_7_days %d", per7, sp.max7))
		}
		if r := sp.restart; r != nil && ps.every > r.after {
			el.add(path+".every", s.Phases[ps.idx].Every.String(), ErrConflict,
				fmt.Sprintf("is longer than restart.after %s (every session would restart the series)", r.rule.After))
		}
	} else {
		// The field in conflict is the one that sets the count: per_week
		// when given, else the weekdays (one session each).
		days := weekdayList(s.Phases[ps.idx].Weekdays)
		field, value, count := path+".weekdays", days, "puts "+strconv.Itoa(ps.perWeek)+" sessions in a week, more than max_per_7_days"
		if n := s.Phases[ps.idx].PerWeek; n != 0 {
			field, value, count = path+".per_week", strconv.Itoa(n), "asks for "+strconv.Itoa(n)+" sessions a week, more than series.max_per_7_days"
		}
		if minOK && !ps.keepsInterval(sp.minGap) {
			if ps.perWeek < ps.days.count() {
				el.add(field, value, ErrConflict, fmt.Sprintf("asks for %d sessions a week, and no %d of the weekdays %s keep series.min_interval %s",
					ps.perWeek, ps.perWeek, days, s.MinInterval))
			} else {
				msg := fmt.Sprintf("cannot keep min_interval %s", s.MinInterval)
				if a, b, gap := ps.shortestGap(); gap >= 0 {
					msg += fmt.Sprintf(" (%s to %s is %s, %d h)", weekdayName(a), weekdayName(b), plural(gap, "day"), gap*24)
				}
				el.add(path+".weekdays", days, ErrConflict, msg)
			}
		}
		if sp.max7 > 0 && ps.perWeek > sp.max7 {
			el.add(field, value, ErrConflict, fmt.Sprintf("%s %d", count, sp.max7))
		}
		if r := sp.restart; r != nil && ps.perWeek == ps.days.count() {
			if gap := ps.longestGap(); gap > r.after {
				el.add(field, value, ErrConflict,
					fmt.Sprintf("leaves %d days between sessions, more than restart.after %s (sessions would restart the series)", gap, r.rule.After))
			}
		}
	}
	if r := sp.restart; r != nil && ps.startAfter > r.after {
		el.add(path+".start_after", s.Phases[ps.idx].StartAfter.String(), ErrConflict,
			fmt.Sprintf("is longer than restart.after %s (the phase's first session would restart the series)", r.rule.After))
	}
}

// cycle returns the weekday offsets (0 = Monday) of days in the week and the
// gaps between consecutive ones, the last gap wrapping into the next active
// week.
func cycle(days weekdaySet, every int) (offs, gaps []int) {
	for i := 0; i < 7; i++ {
		if days.has(time.Weekday((i + 1) % 7)) {
			offs = append(offs, i)
		}
	}
	for i := range offs {
		if i+1 < len(offs) {
			gaps = append(gaps, offs[i+1]-offs[i])
		} else {
			gaps = append(gaps, offs[0]+every-offs[i])
		}
	}
	return offs, gaps
}

// keepsInterval reports whether some choice of perWeek of the weekdays keeps
// the minimum interval every week, counting each day as 24 h. (A
// daylight-saving change can still make one gap an hour shorter; the planner
// then moves that session and says why.)
func (ps *phaseSpec) keepsInterval(min time.Duration) bool {
	offs, _ := cycle(ps.days, ps.every)
	n := len(offs)
	for mask := 0; mask < 1<<n; mask++ {
		var pick weekdaySet
		k := 0
		for i := 0; i < n; i++ {
			if mask&(1<<i) != 0 {
				pick |= 1 << ((offs[i] + 1) % 7)
				k++
			}
		}
		if k != ps.perWeek {
			continue
		}
		_, gaps := cycle(pick, ps.every)
		ok := true
		for _, g := range gaps {
			if time.Duration(g)*24*time.Hour < min {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// shortestGap returns the closest pair of consecutive weekdays and their gap
// in days, or gap -1 when the phase has a single weekday.
func (ps *phaseSpec) shortestGap() (a, b time.Weekday, gap int) {
	offs, gaps := cycle(ps.days, ps.every)
	gap = -1
	for i, g := range gaps {
		if gap < 0 || g < gap {
			a, b, gap = time.Weekday((offs[i]+1)%7), time.Weekday((offs[(i+1)%len(offs)]+1)%7), g
		}
	}
	return a, b, gap
}

func (ps *phaseSpec) longestGap() int {
	_, gaps := cycle(ps.days, ps.every)
	return slices.Max(gaps)
}

func phaseNames(ps []Phase) string {
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = strconv.Quote(p.Name)
	}
	return strings.Join(q, ", ")
}

// wholeDays converts a time quantity to a whole number of days in
// [lo, hi] that is a multiple of step, reporting a FieldError otherwise.
// Rhythms are counted in whole days because sessions fall on civil dates at
// the calendar's start times: an interval of 36 h has no meaning there.
func wholeDays(q units.Quantity, field string, lo, hi, step int, el *errs) (int, bool) {
	d, err := q.Convert(units.Day)
	if err != nil {
		el.add(field, q.String(), err, "is not a time (write it in days or weeks, e.g. \"4 weeks\")")
		return 0, false
	}
	v := d.Value()
	// The range first, on the decimal: IntPart of a huge value would wrap.
	if v.LessThan(decimal.NewFromInt(int64(lo))) || v.GreaterThan(decimal.NewFromInt(int64(hi))) {
		el.add(field, q.String(), ErrRange, fmt.Sprintf("is out of range (must be %s to %s)", spanText(lo, step), spanText(hi, step)))
		return 0, false
	}
	if !v.IsInteger() || v.IntPart()%int64(step) != 0 {
		unit := "days"
		if step == 7 {
			unit = "weeks"
		}
		el.add(field, q.String(), ErrRange, "is not a whole number of "+unit)
		return 0, false
	}
	return int(v.IntPart()), true
}

func spanText(days, step int) string {
	if step == 7 {
		return plural(days/7, "week")
	}
	return plural(days, "day")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// nanoseconds converts a time quantity in [lo, hi] to a Duration, rounding
// up: for whole-nanosecond gaps g, g ≥ q exactly when g ≥ ⌈q⌉.
func nanoseconds(q units.Quantity, field string, lo, hi time.Duration, el *errs) (time.Duration, bool) {
	s, err := q.Convert(units.Second)
	if err != nil {
		el.add(field, q.String(), err, "is not a time (write it in hours or minutes, e.g. \"44 h\")")
		return 0, false
	}
	ns := s.Value().Shift(9)
	if ns.LessThan(decimal.NewFromInt(int64(lo))) || ns.GreaterThan(decimal.NewFromInt(int64(hi))) {
		el.add(field, q.String(), ErrRange, fmt.Sprintf("is out of range (must be %s to %s)", hoursText(lo), hoursText(hi)))
		return 0, false
	}
	return time.Duration(ns.Ceil().IntPart()), true
}
