package schedule_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// A dosedWorld is a generated protocol (a dose per kg infused from a bag, or
// fixed 28 mg devices; limits; caps; a titration ladder; one to three
// phases with weekly or interval rhythms; a minimum interval and a 7-day
// maximum), a clinic calendar and a patient.
type dosedWorld struct {
	p      *schedule.Protocol
	cfg    schedule.CalendarConfig
	cal    *schedule.Calendar
	pt     dosing.Patient
	start  schedule.Date
	opt    schedule.PlanOptions
	minGap time.Duration

	restartDays int // the restart rule's days; 0: no rule
}

var dosedZones = []string{"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Tokyo"}

func drawQty(t *rapid.T, label string, lo, hi int, unit string) units.Quantity {
	return qty(strconv.Itoa(rapid.IntRange(lo, hi).Draw(t, label)) + " " + unit)
}

// tenths is n/10 as text: 5 → "0.5".
func tenths(n int) string { return strconv.Itoa(n/10) + "." + strconv.Itoa(n%10) }

func genDosedWorld(t *rapid.T) dosedWorld {
	var w dosedWorld
	p := &schedule.Protocol{Format: schedule.FormatVersion, Dosing: dosing.Rule{Name: "generated", Version: "1", Drug: "drug", Route: "route", Source: "rapid"}}
	p.Session = schedule.SessionSpec{PreChecks: qty("30 min"), Observation: drawQty(t, "observation", 0, 180, "min")}
	p.Policy = schedule.SeriesPolicy{Weight: schedule.BaselineWeight, OnDoseChange: schedule.KeepDuration}
	p.Dosing.Weight = dosing.WeightPolicy{Basis: dosing.Actual}

	var steps []units.Quantity
	if rapid.Bool().Draw(t, "devices") {
		// 28 mg devices, 1 to 3 of them, 5 min apart.
		first := rapid.IntRange(1, 3).Draw(t, "first devices")
		p.Dosing.Dose = qty(strconv.Itoa(28*first) + " mg")
		p.Dosing.Form = &dosing.Form{Strength: qty("28 mg/device"), Step: qty("1 device"), Rounding: units.RoundDown,
			MinCount: qty("1 device"), MaxCount: qty("3 devices"), Interval: qty("5 min")}
		p.Dosing.Limits.Dose = dosing.Bound{HardMin: qty("28 mg"), HardMax: qty("84 mg")}
		if rapid.Bool().Draw(t, "soft max") {
			p.Dosing.Limits.Dose.SoftMax = qty("56 mg")
		}
		for n := first; n <= 3; n++ {
			steps = append(steps, qty(strconv.Itoa(28*n)+" mg"))
		}
	} else {
		// 0.2 to 0.8 mg/kg from 10 mg/mL into 100 mL over 40 min; a ladder
		// in 0.1 mg/kg steps up to 1 mg/kg.
		first := rapid.IntRange(2, 8).Draw(t, "first tenths mg/kg")
		p.Dosing.Dose = qty(tenths(first) + " mg/kg")
		top := rapid.IntRange(first, 10).Draw(t, "top tenths mg/kg")
		for n := first; n <= top; n++ {
			steps = append(steps, qty(tenths(n)+" mg/kg"))
		}
		p.Dosing.Limits.DosePerKg = dosing.Bound{HardMax: qty(tenths(top) + " mg/kg")}
		if s := rapid.IntRange(first, top+1).Draw(t, "soft max tenths"); s <= top {
			p.Dosing.Limits.DosePerKg.SoftMax = qty(tenths(s) + " mg/kg")
		}
		if rapid.Bool().Draw(t, "mass limit") {
			// May be crossed by a heavy patient: Plan then fails with the
			// session and the limit.
			p.Dosing.Limits.Dose = dosing.Bound{HardMax: drawQty(t, "dose hard_max", 30, 120, "mg")}
		}
		p.Dosing.Preparation = &dosing.Preparation{Stock: qty("10 mg/mL"), DrawStep: qty("0.1 mL"), DrawRounding: units.RoundHalfUp,
			Bag: &dosing.Bag{Volume: qty("100 mL"), Method: dosing.AddToBag}}
		p.Dosing.Infusion = &dosing.Infusion{Duration: drawQty(t, "duration", 30, 60, "min"),
			Pump: dosing.Pump{RateStep: qty("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: qty("999 mL/h")}}
		if rapid.Bool().Draw(t, "keep rate") {
			p.Policy.OnDoseChange = schedule.KeepRate
		}
		if rapid.Bool().Draw(t, "session-day weight") {
			p.Policy.Weight = schedule.SessionDayWeight
		}
	}
	if len(steps) > 1 && rapid.Bool().Draw(t, "titration") {
		p.Titration = &schedule.Titration{Steps: steps, AdvanceAfterSessions: rapid.IntRange(1, 4).Draw(t, "advance after")}
	}
	for _, c := range []struct {
		q      *units.Quantity
		lo, hi int
	}{{&p.Caps.PerDay, 20, 150}, {&p.Caps.Per7Days, 40, 300}, {&p.Caps.PerSeries, 100, 1500}} {
		if rapid.IntRange(0, 3).Draw(t, "cap") == 0 {
			*c.q = drawQty(t, "cap value", c.lo, c.hi, "mg")
		}
	}

	// Calendar: the phases' weekdays are among the open ones.
	open := weekdaySubset(t, "open", allWeek)
	w.cfg = schedule.CalendarConfig{Zone: rapid.SampledFrom(dosedZones).Draw(t, "zone"), Open: open}
	starts := slices.Clone(propStarts)
	rapid.Permutation(starts).Draw(t, "starts order")
	w.cfg.Starts = starts[:rapid.IntRange(1, 2).Draw(t, "starts")]
	first := schedule.Date{Year: rapid.IntRange(2024, 2028).Draw(t, "year"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month")), Day: rapid.IntRange(1, 28).Draw(t, "day")}

	// Phases, and the largest minimum interval and smallest 7-day maximum
	// they can all keep.
	gapDays, per7 := 21, 1
	for i := range rapid.IntRange(1, 3).Draw(t, "phases") {
		ph := schedule.Phase{Name: "phase " + strconv.Itoa(i)}
		if rapid.Bool().Draw(t, "weekly") {
			ph.Weekdays = weekdaySubset(t, "phase weekdays", open)
			if rapid.Bool().Draw(t, "every 2 weeks") {
				ph.Every = qty("2 weeks")
			}
			gapDays = min(gapDays, minCyclicGap(ph.Weekdays))
			per7 = max(per7, len(ph.Weekdays))
		} else {
			every := rapid.IntRange(1, 21).Draw(t, "every days")
			ph.Every = qty(strconv.Itoa(every) + " days")
			gapDays = min(gapDays, every)
			per7 = max(per7, (7+every-1)/every)
		}
		if i > 0 && rapid.Bool().Draw(t, "start after") {
			ph.StartAfter = drawQty(t, "start after days", 1, 14, "days")
		}
		if rapid.IntRange(0, 3).Draw(t, "bound") == 0 {
			ph.Duration = drawQty(t, "duration weeks", 1, 6, "weeks")
		} else {
			ph.Sessions = rapid.IntRange(1, 8).Draw(t, "sessions")
		}
		p.Series.Phases = append(p.Series.Phases, ph)
	}
	hours := rapid.IntRange(0, gapDays*24).Draw(t, "min_interval hours")
	p.Series.MinInterval = qty(strconv.Itoa(hours) + " h")
	w.minGap = time.Duration(hours) * time.Hour
	if rapid.Bool().Draw(t, "max_per_7_days") {
		p.Series.MaxPer7Days = rapid.IntRange(per7, 7).Draw(t, "max per 7")
	}
	// A restart rule, with or without caps: the sessions a cap drops never
	// make a gap that restarts the series (checkRestarts).
	if rapid.Bool().Draw(t, "restart") {
		w.restartDays = rapid.IntRange(42, 90).Draw(t, "restart after days")
		p.Series.Restart = &schedule.RestartRule{After: qty(strconv.Itoa(w.restartDays) + " days"), Phase: p.Series.Phases[0].Name}
	}
	if err := p.Validate(); err != nil {
		t.Skipf("generated protocol is invalid: %v", err)
	}
	w.p = p

	for i := range rapid.IntRange(0, 6).Draw(t, "closures") {
		d := first.AddDays(rapid.IntRange(1, 120).Draw(t, "closure day"))
		c := schedule.Closure{Date: d, Name: "closure " + strconv.Itoa(i)}
		if n := rapid.IntRange(0, 5).Draw(t, "closure length"); n > 0 {
			c.Through = d.AddDays(n)
		}
		w.cfg.Closed = append(w.cfg.Closed, c)
	}
	cal, err := schedule.NewCalendar(w.cfg)
	if err != nil {
		t.Fatalf("NewCalendar: %v", err)
	}
	w.cal = cal
	// The start: the first open day that is a weekday of the first phase.
	w.start = first
	for !cal.IsOpen(w.start) || len(p.Series.Phases[0].Weekdays) > 0 && !slices.Contains(p.Series.Phases[0].Weekdays, schedule.Weekday(w.start.Weekday())) {
		w.start = w.start.AddDays(1)
	}
	w.pt = dosing.Patient{Weight: drawQty(t, "weight kg", 40, 150, "kg"), AgeYears: 45}
	if p.Titration != nil && rapid.Bool().Draw(t, "levels") {
		// An arbitrary decided history: levels chosen for some sessions, in
		// any order of levels (escalations, repeats, de-escalations, jumps).
		w.opt.Levels = map[int]int{}
		for range rapid.IntRange(1, 8).Draw(t, "decisions") {
			w.opt.Levels[rapid.IntRange(1, 16).Draw(t, "level session")] = rapid.IntRange(0, len(p.Titration.Steps)-1).Draw(t, "level")
		}
	}
	if p.Policy.Weight == schedule.SessionDayWeight {
		w.opt.SessionWeights = map[int]units.Quantity{rapid.IntRange(1, 6).Draw(t, "weighed session"): drawQty(t, "session weight", 40, 150, "kg")}
	}
	return w
}

// acceptable reports the errors a generated world may meet: a session whose
// dose crosses a hard limit, or one no day within the search horizon takes.
func acceptable(err error) bool {
	var se *schedule.SessionError
	var pe *schedule.PlaceError
	return errors.As(err, &se) && errors.Is(err, dosing.ErrLimitExceeded) || errors.As(err, &pe)
}

// counted is what a session counts towards the caps: the dose given at a
// done session when recorded, else its dose.
func counted(s schedule.Session) units.Quantity {
	if s.Given.IsValid() {
		return s.Given
	}
	return s.Dose.Dose
}

func sumQ(t *rapid.T, qs []units.Quantity) units.Quantity {
	total := qty("0 mg")
	for _, q := range qs {
		var err error
		if total, err = total.Add(q); err != nil {
			t.Fatal(err)
		}
	}
	return total
}

func above(q, limit units.Quantity) bool {
	c, err := q.Cmp(limit)
	return err == nil && c > 0
}

// checkDosedPlan checks what must hold of any plan of the world: the
// series' constraints between planned sessions, the caps, and every limit of
// every session's dose.
func checkDosedPlan(t *rapid.T, w dosedWorld, pl *schedule.SessionPlan) {
	p := w.p
	for i, s := range pl.Sessions {
		if s.Index != i+1 {
			t.Fatalf("session %d at position %d", s.Index, i+1)
		}
		if i > 0 {
			prev := pl.Sessions[i-1]
			if !s.Start.After(prev.Start) || !s.Date.After(prev.Date) {
				t.Fatalf("session %d (%v) is not after session %d (%v)", s.Index, s.Start, prev.Index, prev.Start)
			}
			if !s.Done && s.Start.Sub(prev.Start) < w.minGap {
				t.Fatalf("session %d is %v after session %d, less than %v", s.Index, s.Start.Sub(prev.Start), prev.Index, w.minGap)
			}
		}
		if schedule.DateOf(s.Start) != s.Date || s.Start.Location() != w.cal.Location() {
			t.Fatalf("session %d: start %v is not on %v in %v", s.Index, s.Start, s.Date, w.cal.Location())
		}
		if s.Done {
			continue // a fact of the history, not the planner's choice
		}
		if !w.cal.IsOpen(s.Date) {
			t.Fatalf("session %d on %v, a day the clinic is closed", s.Index, s.Date)
		}
		ph := p.Series.Phases[s.PhaseIndex]
		if len(ph.Weekdays) > 0 && !slices.Contains(ph.Weekdays, schedule.Weekday(s.Date.Weekday())) && s.MovedFrom.IsZero() {
			t.Fatalf("session %d on a %v, outside %v, and not moved", s.Index, s.Date.Weekday(), ph.Weekdays)
		}
		// The 7-day maximum and the caps hold over the windows ending at
		// each planned session, done sessions counted.
		var day, week, series []units.Quantity
		n7 := 0
		for _, o := range pl.Sessions[:i+1] {
			series = append(series, counted(o))
			if !o.Date.Before(s.Date.AddDays(-6)) {
				n7++
				week = append(week, counted(o))
			}
			if o.Date == s.Date {
				day = append(day, counted(o))
			}
		}
		if m := p.Series.MaxPer7Days; m > 0 && n7 > m {
			t.Fatalf("session %d is the %dth in 7 days, more than %d", s.Index, n7, m)
		}
		for _, c := range []struct {
			name  string
			limit units.Quantity
			sum   []units.Quantity
		}{{"per_day", p.Caps.PerDay, day}, {"per_7_days", p.Caps.Per7Days, week}, {"per_series", p.Caps.PerSeries, series}} {
			if c.limit.IsValid() && above(sumQ(t, c.sum), c.limit) {
				t.Fatalf("session %d: caps.%s %v exceeded: %v", s.Index, c.name, c.limit, sumQ(t, c.sum))
			}
		}
	}
	// Every session's dose keeps every limit of the protocol: no final
	// value beyond a hard limit, and a review warning for a soft one.
	for _, s := range pl.Sessions {
		r := s.Dose
		values := []struct {
			key string
			v   units.Quantity
			b   dosing.Bound
		}{{"dose", r.Dose, p.Dosing.Limits.Dose}, {"dose_per_kg", r.DosePerKg, p.Dosing.Limits.DosePerKg}}
		for _, c := range values {
			if !c.v.IsValid() {
				continue
			}
			if c.b.HardMax.IsValid() && above(c.v, c.b.HardMax) || c.b.HardMin.IsValid() && above(c.b.HardMin, c.v) {
				t.Fatalf("session %d: %s %v beyond the hard limits %+v", s.Index, c.key, c.v, c.b)
			}
			if c.b.SoftMax.IsValid() && above(c.v, c.b.SoftMax) && !hasWarning(r, c.key+".soft_max") {
				t.Fatalf("session %d: %s %v above soft_max %v without a review warning: %+v", s.Index, c.key, c.v, c.b.SoftMax, r.Warnings)
			}
		}
		if p.Caps.PerDay.IsValid() && above(r.Dose, p.Caps.PerDay) && !s.Done {
			t.Fatalf("session %d: dose %v above the daily cap", s.Index, r.Dose)
		}
		if s.Proposed && (s.Done || p.Titration == nil) {
			t.Fatalf("session %d is proposed but done or without titration", s.Index)
		}
		if _, chosen := w.opt.Levels[s.Index]; chosen && s.Proposed {
			t.Fatalf("session %d: a chosen level is proposed", s.Index)
		}
		tl := s.Timeline
		if tl.EndOfAdministration.Before(tl.Start) || tl.EarliestDischarge.Before(tl.EndOfAdministration) || !tl.PreChecks.Equal(tl.Start.Add(-30*time.Minute)) {
			t.Fatalf("session %d: timeline out of order: %+v", s.Index, tl)
		}
		if r.Provenance.SHA256 != p.SHA256() {
			t.Fatalf("session %d: provenance %+v", s.Index, r.Provenance)
		}
	}
	for _, d := range pl.Dropped {
		if !strings.HasPrefix(string(d.Reason.Code), "cumulative_cap_") {
			t.Fatalf("dropped %+v without a cap's reason", d)
		}
	}
	checkRestarts(t, w, pl)
	slots := make([]schedule.Slot, len(pl.Sessions))
	for i, s := range pl.Sessions {
		slots[i] = s.Slot
	}
	checkRhythm(t, p.Series.Phases, slots, pl.Restarts, len(pl.History) == 0)
	checkTitration(t, w, pl)
}

// checkTitration checks the ladder's laws over the plan's decided history
// (the levels chosen, the sessions done). Within each stretch of the series
// from its start or a restart, a session whose level nobody chose is at
// the level of the session before it (the ladder's first at the stretch's
// start), one level higher exactly when the advance_after_sessions sessions
// before it in the stretch are all at that level and it is not the top: a
// proposal never skips a level, and after the last decided session k at
// level L, session j is at most L + ⌈(j − k) / advance_after_sessions⌉. It
// is proposed exactly when above the last decided level. A chosen level is
// the session's, never a proposal.
func checkTitration(t *rapid.T, w dosedWorld, pl *schedule.SessionPlan) {
	tt := w.p.Titration
	restartAt := map[int]bool{}
	for _, r := range pl.Restarts {
		restartAt[r.Index] = true
	}
	from := 0            // the stretch's first session, 0-based
	decided, at := 0, -1 // the last decided level and its session (-1: the stretch's start)
	for i, s := range pl.Sessions {
		if restartAt[s.Index] {
			from, decided, at = i, 0, i-1
		}
		chosen, isChosen := w.opt.Levels[s.Index]
		if tt == nil {
			if s.Level != 0 || s.Proposed {
				t.Fatalf("session %d: level %d, proposed %v, without a ladder", s.Index, s.Level, s.Proposed)
			}
			continue
		}
		if isChosen {
			if s.Level != chosen || s.Proposed {
				t.Fatalf("session %d: level %d, proposed %v; a clinician chose %d", s.Index, s.Level, s.Proposed, chosen)
			}
			decided, at = chosen, i
			continue
		}
		prev := 0
		if i > from {
			prev = pl.Sessions[i-1].Level
		}
		full := i-from >= tt.AdvanceAfterSessions
		for _, o := range pl.Sessions[max(from, i-tt.AdvanceAfterSessions):i] {
			full = full && o.Level == prev
		}
		want := prev
		if full && prev+1 < len(tt.Steps) {
			want = prev + 1
		}
		if s.Level != want {
			t.Fatalf("session %d: level %d after level %d (a full block of %d before it: %v); the ladder gives %d",
				s.Index, s.Level, prev, tt.AdvanceAfterSessions, full, want)
		}
		if limit := decided + (i-at+tt.AdvanceAfterSessions-1)/tt.AdvanceAfterSessions; s.Level > limit {
			t.Fatalf("session %d: level %d, more than one level per %d sessions above level %d decided at session %d",
				s.Index, s.Level, tt.AdvanceAfterSessions, decided, at+1)
		}
		if wantProposed := s.Level > decided && !s.Done; s.Proposed != wantProposed {
			t.Fatalf("session %d: level %d, last decided %d, done %v: proposed %v", s.Index, s.Level, decided, s.Done, s.Proposed)
		}
		if s.Done {
			decided, at = s.Level, i
		}
	}
}

// checkRestarts checks the restart rule of a dosed plan (see
// checkRestartRule).
func checkRestarts(t *rapid.T, w dosedWorld, pl *schedule.SessionPlan) {
	if w.restartDays == 0 {
		if len(pl.Restarts) > 0 {
			t.Fatalf("restarts %+v without a restart rule", pl.Restarts)
		}
		return
	}
	days := make([]schedule.Date, len(pl.Sessions))
	for i, s := range pl.Sessions {
		days[i] = s.Date
	}
	checkRestartRule(t, w.restartDays, days, pl.Dropped, pl.Restarts)
}

func hasWarning(r dosing.Result, key string) bool {
	for _, w := range r.Warnings {
		if w.Key == key && w.Severity == dosing.Review {
			return true
		}
	}
	return false
}

// checkCounts checks a plan without history: each phase bounded by a count
// has exactly that many sessions, planned or dropped, numbered in order.
func checkCounts(t *rapid.T, w dosedWorld, pl *schedule.SessionPlan) {
	if len(pl.Restarts) > 0 {
		return
	}
	numbers := map[int][]int{}
	for _, s := range pl.Sessions {
		numbers[s.PhaseIndex] = append(numbers[s.PhaseIndex], s.Number)
	}
	for _, d := range pl.Dropped {
		numbers[d.PhaseIndex] = append(numbers[d.PhaseIndex], d.Number)
	}
	for i, ph := range w.p.Series.Phases {
		got := numbers[i]
		slices.Sort(got)
		for j, n := range got {
			if n != j+1 {
				t.Fatalf("phase %d numbers %v", i, got)
			}
		}
		if ph.Sessions > 0 && !ph.Duration.IsValid() && len(got) != ph.Sessions {
			t.Fatalf("phase %d has %d sessions and dropped ones, want %d", i, len(got), ph.Sessions)
		}
	}
}

func TestPlanDosedProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genDosedWorld(t)
		pl, err := schedule.Plan(w.p, w.pt, w.start, w.cal, w.opt)
		if err != nil {
			if acceptable(err) {
				return
			}
			t.Fatalf("Plan: %v", err)
		}
		checkDosedPlan(t, w, pl)
		checkCounts(t, w, pl)
		// Replan without history is the plan.
		again, err := pl.Replan(nil, w.start, nil)
		if err != nil {
			t.Fatalf("Replan(nil): %v", err)
		}
		if len(again.Sessions) != len(pl.Sessions) {
			t.Fatalf("Replan(nil) has %d sessions, Plan %d", len(again.Sessions), len(pl.Sessions))
		}
		for i := range pl.Sessions {
			a, b := pl.Sessions[i], again.Sessions[i]
			if !a.Start.Equal(b.Start) || !a.Dose.Dose.Equal(b.Dose.Dose) || a.Proposed != b.Proposed {
				t.Fatalf("session %d: Plan %v %v, Replan(nil) %v %v", i+1, a.Start, a.Dose.Dose, b.Start, b.Dose.Dose)
			}
		}
	})
}

// dosedMachine is the state of the Plan/Replan state machine: a plan, the
// history so far, and the first day a session may still be planned on.
type dosedMachine struct {
	w       dosedWorld
	plan    *schedule.SessionPlan
	history []schedule.Event
	given   map[int]units.Quantity
	today   schedule.Date
	delay   *schedule.Date // the date of a delay still pending
	stopped bool
}

// next returns the first planned (not done) session.
func (m *dosedMachine) next(t *rapid.T) schedule.Session {
	if m.stopped {
		t.Skip("stopped")
	}
	for _, s := range m.plan.Sessions {
		if !s.Done {
			return s
		}
	}
	t.Skip("nothing planned")
	return schedule.Session{}
}

// replan applies the history; the event is kept only if the replan works.
func (m *dosedMachine) replan(t *rapid.T, ev *schedule.Event, today schedule.Date) {
	h := m.history
	if ev != nil {
		h = append(slices.Clone(h), *ev)
	}
	opt := m.w.opt
	opt.GivenDoses = m.given
	pl, err := m.plan.Replan(h, today, &opt)
	if err != nil {
		if acceptable(err) {
			t.Skipf("replan: %v", err)
		}
		t.Fatalf("Replan(%+v, %v): %v", h, today, err)
	}
	m.plan, m.history, m.today = pl, h, today
	checkDosedPlan(t, m.w, pl)
	if pl.Stopped != nil {
		m.stopped = true
	}
	// The done sessions are the history's, in order, at their times.
	var done []schedule.Event
	for _, e := range h {
		if e.Kind == schedule.Done {
			done = append(done, e)
		}
	}
	for i, e := range done {
		s := pl.Sessions[i]
		if !s.Done || s.Index != e.Session || !s.Start.Equal(e.At) {
			t.Fatalf("session %d: done %v at %v, want the history's %+v", i+1, s.Done, s.Start, e)
		}
		if g, ok := m.given[s.Index]; ok && !s.Given.Equal(g) {
			t.Fatalf("session %d: given %v, want %v", s.Index, s.Given, g)
		}
	}
	if len(pl.Sessions) > len(done) && pl.Sessions[len(done)].Done {
		t.Fatalf("more done sessions than the history has")
	}
}

func TestPlanDosedStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genDosedWorld(t)
		pl, err := schedule.Plan(w.p, w.pt, w.start, w.cal, w.opt)
		if err != nil {
			if acceptable(err) {
				return
			}
			t.Fatalf("Plan: %v", err)
		}
		checkDosedPlan(t, w, pl)
		m := &dosedMachine{w: w, plan: pl, today: w.start, given: map[int]units.Quantity{}}
		t.Repeat(map[string]func(*rapid.T){
			"done": func(t *rapid.T) {
				s := m.next(t)
				at := s.Start.Add(time.Duration(rapid.IntRange(0, 45).Draw(t, "minutes late")) * time.Minute)
				if schedule.DateOf(at.In(w.cal.Location())) != s.Date {
					t.Skip("late into the next day")
				}
				ev := schedule.Event{Kind: schedule.Done, Session: s.Index, At: at}
				if rapid.Bool().Draw(t, "record the dose given") {
					m.given[s.Index] = s.Dose.Dose
				}
				m.delay = nil
				m.replan(t, &ev, s.Date.AddDays(1))
			},
			"missed": func(t *rapid.T) {
				s := m.next(t)
				m.delay = nil
				m.replan(t, &schedule.Event{Kind: schedule.Missed, Session: s.Index, Date: s.Date}, s.Date.AddDays(1))
			},
			"delayed": func(t *rapid.T) {
				s := m.next(t)
				to := s.Date.AddDays(rapid.IntRange(1, 6).Draw(t, "days delayed"))
				m.delay = &to
				m.replan(t, &schedule.Event{Kind: schedule.Delayed, Session: s.Index, Date: to, Note: "patient asked"}, m.today)
			},
			"stopped": func(t *rapid.T) {
				if m.stopped || rapid.IntRange(0, 4).Draw(t, "stop?") > 0 {
					t.Skip("rarely")
				}
				m.replan(t, &schedule.Event{Kind: schedule.Stopped, Date: m.today}, m.today)
				if m.plan.Stopped == nil || slices.ContainsFunc(m.plan.Sessions, func(s schedule.Session) bool { return !s.Done }) {
					t.Fatal("sessions planned after a stop")
				}
			},
			"export": func(t *rapid.T) {
				// Always possible, after a stop too: the table, and the
				// iCalendar file of a plan with sessions, parsed back.
				var b bytes.Buffer
				if err := m.plan.WriteTable(&b); err != nil || !strings.HasSuffix(b.String(), dosing.Notice+"\n") {
					t.Fatalf("WriteTable: %v\n%s", err, b.String())
				}
				if len(m.plan.Sessions) == 0 {
					return
				}
				b.Reset()
				if err := m.plan.WriteICal(&b, "patient", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
					t.Fatalf("WriteICal: %v", err)
				}
				cal, err := ical.NewDecoder(&b).Decode()
				if err != nil || len(cal.Events()) != len(m.plan.Sessions) {
					t.Fatalf("the iCalendar file does not parse back to one event per session: %v", err)
				}
				// Each event is its own session's, arrival to discharge, at
				// the same instants for the reader, repeated local times of
				// a fall-back night included.
				for i, ev := range cal.Events() {
					tl := m.plan.Sessions[i].Timeline
					start, err1 := ev.DateTimeStart(nil)
					end, err2 := ev.DateTimeEnd(nil)
					if err1 != nil || err2 != nil || !start.Equal(tl.PreChecks) || !end.Equal(tl.EarliestDischarge) {
						t.Fatalf("event %d reads %v to %v (%v, %v); session %d is %v to %v", i+1, start, end, err1, err2,
							m.plan.Sessions[i].Index, tl.PreChecks, tl.EarliestDischarge)
					}
				}
			},
			"replan": func(t *rapid.T) {
				if m.stopped {
					t.Skip("stopped")
				}
				days := rapid.IntRange(0, 10).Draw(t, "days pass")
				if rapid.IntRange(0, 5).Draw(t, "a long gap?") == 0 {
					days = rapid.IntRange(30, 120).Draw(t, "days of a long gap")
				}
				today := m.today.AddDays(days)
				if m.delay != nil && m.delay.Before(today) {
					t.Skip("a pending delay would lie in the past")
				}
				m.replan(t, nil, today)
				for _, s := range m.plan.Sessions {
					if !s.Done && s.Date.Before(today) {
						t.Fatalf("session %d planned on %v, before %v", s.Index, s.Date, today)
					}
				}
			},
		})
	})
}
