package schedule

import (
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// PlanOptions are the per-patient inputs of a plan besides the protocol, the
// patient, the start date and the calendar.
type PlanOptions struct {
	// SessionWeights gives the weight measured for a session (by its series
	// position, Slot.Index), for protocols whose policy doses on the
	// session-day weight. A session without one is dosed on the baseline
	// weight and says so.
	SessionWeights map[int]units.Quantity
	// Levels sets the titration level (0-based index into the protocol's
	// titration steps) a clinician chose for a session, by series position.
	// Without it, the plan proposes the ladder's level, and marks an
	// escalation as proposed; a chosen level is a decision, not a proposal.
	Levels map[int]int
	// Acks acknowledge dose warnings by key, for every session.
	Acks []dosing.Ack
	// GivenDoses holds the dose actually given at done sessions (by series
	// position), for cumulative caps when replanning. A done session without
	// one counts with its planned dose.
	GivenDoses map[int]units.Quantity
}

// Session is one planned session: where and when, at which titration level,
// the dose worked out by package dosing, and the session-day timeline.
type Session struct {
	Slot
	// Level is the titration level (0-based) the dose was computed at;
	// Proposed marks a level above the previous session's, which a clinician
	// must decide on: escalation is never automatic.
	Level    int           `json:"level"`
	Proposed bool          `json:"proposed,omitempty"`
	Dose     dosing.Result `json:"dose"`
	Timeline Timeline      `json:"timeline"`
	Warnings []string      `json:"warnings,omitempty"`
}

// Timeline is a session day's schedule, as instants in the calendar's zone.
type Timeline struct {
	PreChecks           time.Time       `json:"pre_checks,omitzero"`
	Start               time.Time       `json:"start"`
	Administrations     []time.Time     `json:"administrations,omitempty"` // each dose form (devices at 0, 5, 10 min)
	EndOfAdministration time.Time       `json:"end_of_administration"`
	Checks              []TimelineEvent `json:"checks,omitempty"`
	ObservationEnd      time.Time       `json:"observation_end"`
	EarliestDischarge   time.Time       `json:"earliest_discharge"`
	DriverRequired      bool            `json:"driver_required"`
}

// TimelineEvent is a named moment of a session day.
type TimelineEvent struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// SessionPlan is a protocol planned for a patient: every session with its
// date, dose and timeline, and everything the planner decided on the way.
// It is a value: Replan returns a new SessionPlan.
type SessionPlan struct {
	Notice     string            `json:"notice"`
	Protocol   dosing.Provenance `json:"protocol"`
	Patient    dosing.Patient    `json:"patient"`
	Start      Date              `json:"start"`
	Calendar   CalendarConfig    `json:"calendar"`
	Sessions   []Session         `json:"sessions"`
	Dropped    []Dropped         `json:"dropped,omitempty"`
	Restarts   []Restart         `json:"restarts,omitempty"`
	Stopped    *Event            `json:"stopped,omitempty"`
	History    []Event           `json:"history,omitempty"`
	Warnings   []string          `json:"warnings,omitempty"`
	Findings   []Finding         `json:"protocol_findings,omitempty"`
	TotalDose  units.Quantity    `json:"total_dose,omitzero"` // planned and given, over the series
	NeedReview int               `json:"sessions_needing_review"`

	protocol *Protocol
	table    *Timetable
	opt      PlanOptions
}

// Calculate computes one session's dose from the protocol for a patient, with the
// protocol's provenance (including its SHA-256) in the result: what the CLI's
// "dose" command shows.
func (p *Protocol) Calculate(patient dosing.Patient, opt dosing.Options) (dosing.Result, error) {
	r, err := dosing.Calculate(p.Rule(), patient, opt)
	if err != nil {
		return dosing.Result{}, err
	}
	r.Provenance.SHA256 = p.sha256
	return r, nil
}

// Plan lays out the protocol's series for a patient from the start date on
// the clinic's calendar, and works out each session's dose (from the
// titration ladder, on the weight the protocol's policy names) and its
// timeline. Every constraint of the series holds between sessions (see
// Series.Plan), and so do the protocol's cumulative caps per day, per 7 days
// and per series: a session that would break the 7-day cap moves later, one
// that would break the daily or series cap is dropped, and the plan says so.
// A session whose dose crosses a hard limit fails the plan with the
// session's position and the *dosing.LimitError.
func Plan(p *Protocol, patient dosing.Patient, start Date, cal *Calendar, opt PlanOptions) (*SessionPlan, error) {
	if p == nil {
		return nil, &FieldError{Field: "protocol", Msg: "is missing", Err: ErrMissing}
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	pl := &SessionPlan{protocol: p, opt: opt, Patient: patient, Start: start}
	dc := &doser{p: p, patient: patient, opt: opt, cache: map[int]doseAt{}}
	tt, err := p.Series.Plan(start, cal, Options{Check: dc.check})
	if err != nil {
		return nil, err
	}
	if dc.err != nil {
		return nil, dc.err
	}
	return pl.fill(tt, dc)
}

// Replan plans the rest of the series from what happened (see
// Timetable.Replan), keeping the protocol, patient and options of the plan.
// opt, when not nil, replaces the options (to add given doses, session
// weights or levels chosen since).
func (pl *SessionPlan) Replan(history []Event, from Date, opt *PlanOptions) (*SessionPlan, error) {
	if pl == nil || pl.table == nil {
		return nil, &FieldError{Field: "plan", Msg: "is not a planned series (use Plan)", Err: ErrMissing}
	}
	o := pl.opt
	if opt != nil {
		o = *opt
	}
	np := &SessionPlan{protocol: pl.protocol, opt: o, Patient: pl.Patient, Start: pl.Start}
	dc := &doser{p: pl.protocol, patient: pl.Patient, opt: o, cache: map[int]doseAt{}}
	base := *pl.table
	base.opts = Options{Check: dc.check}
	tt, err := base.Replan(history, from)
	if err != nil {
		return nil, err
	}
	if dc.err != nil {
		return nil, dc.err
	}
	return np.fill(tt, dc)
}

func (pl *SessionPlan) fill(tt *Timetable, dc *doser) (*SessionPlan, error) {
	p := pl.protocol
	pl.table = tt
	pl.Notice = dosing.Notice
	pl.Protocol = dosing.Provenance{Name: p.Name, Version: p.Version, Source: p.Source, SHA256: p.sha256}
	pl.Calendar = tt.cal.Config()
	pl.Dropped, pl.Restarts, pl.Stopped, pl.History = tt.Dropped, tt.Restarts, tt.Stopped, tt.History
	pl.Warnings = append(pl.Warnings, tt.Warnings...)
	pl.Findings = p.Findings()
	var total units.Quantity
	prevLevel := -1
	for _, s := range tt.Slots {
		d, err := dc.dose(s.Index)
		if err != nil {
			return nil, err
		}
		sess := Session{Slot: s, Level: d.level, Dose: d.res, Warnings: d.warnings}
		_, chosen := dc.opt.Levels[s.Index]
		sess.Proposed = prevLevel >= 0 && d.level > prevLevel && !s.Done && !chosen
		if sess.Proposed {
			sess.Warnings = append(sess.Warnings, "level "+strconv.Itoa(d.level+1)+" ("+p.Titration.Steps[d.level].String()+
				") is proposed: escalation requires a clinician's decision")
		}
		prevLevel = d.level
		tl, err := p.timeline(s.Start, d.res)
		if err != nil {
			return nil, err
		}
		sess.Timeline = tl
		given := dc.given(s)
		if total.IsValid() {
			total, _ = total.Add(given)
		} else {
			total = given
		}
		if d.res.NeedsReview() {
			pl.NeedReview++
		}
		pl.Sessions = append(pl.Sessions, sess)
	}
	pl.TotalDose = total
	return pl, nil
}

// doseAt is one session's dose, cached by series position.
type doseAt struct {
	res      dosing.Result
	level    int
	warnings []string
}

// doser computes and caches the dose of each series position and judges
// candidate slots against the cumulative caps.
type doser struct {
	p       *Protocol
	patient dosing.Patient
	opt     PlanOptions
	cache   map[int]doseAt
	base    *dosing.Result // the first session's result, for keep_rate
	err     error
}

// level is the titration level of a series position: the ladder advances
// every AdvanceAfterSessions sessions, counted from the series start.
func (dc *doser) level(index int) int {
	if l, ok := dc.opt.Levels[index]; ok {
		return l
	}
	t := dc.p.Titration
	if t == nil {
		return 0
	}
	l := (index - 1) / t.AdvanceAfterSessions
	if l >= len(t.Steps) {
		l = len(t.Steps) - 1
	}
	return l
}

func (dc *doser) dose(index int) (doseAt, error) {
	if d, ok := dc.cache[index]; ok {
		return d, nil
	}
	p := dc.p
	var d doseAt
	d.level = dc.level(index)
	opt := dosing.Options{Acks: dc.opt.Acks}
	if t := p.Titration; t != nil {
		if d.level < 0 || d.level >= len(t.Steps) {
			return doseAt{}, &FieldError{Field: "options.levels[" + strconv.Itoa(index) + "]", Value: strconv.Itoa(d.level),
				Msg: "is not a titration level (must be 0 to " + strconv.Itoa(len(t.Steps)-1) + ")", Err: ErrRange}
		}
		opt.Dose = t.Steps[d.level]
	}
	patient := dc.patient
	if p.Policy.Weight == SessionDayWeight {
		if w, ok := dc.opt.SessionWeights[index]; ok {
			patient.Weight = w
		} else {
			d.warnings = append(d.warnings, "dosed on the baseline weight "+patient.Weight.String()+": no session-day weight given yet")
		}
	}
	rule := p.Rule()
	res, err := dosing.Calculate(rule, patient, opt)
	if err != nil {
		return doseAt{}, sessionError(index, err)
	}
	if p.Policy.OnDoseChange == KeepRate && p.Infusion != nil {
		if dc.base == nil && index == 1 {
			b := res
			dc.base = &b
		} else if dc.base == nil {
			b, err := dc.dose(1)
			if err != nil {
				return doseAt{}, err
			}
			dc.base = &b.res
		}
		if index != 1 && res.Dose.Sign() != 0 && cmpQ(res.Dose, dc.base.Dose) != 0 {
			res, err = dc.keepRate(rule, patient, opt, res)
			if err != nil {
				return doseAt{}, sessionError(index, err)
			}
			d.warnings = append(d.warnings, "dose changed: the duration was recomputed to keep the first session's dose rate "+
				dc.base.Infusion.IntendedDoseRate.String()+" (policy keep_rate)")
		}
	}
	res.Provenance.SHA256 = p.sha256
	d.res = res
	dc.cache[index] = d
	return d, nil
}

// keepRate recomputes a session with the duration that keeps the first
// session's intended dose rate, rounded to the whole minute.
func (dc *doser) keepRate(rule dosing.Rule, patient dosing.Patient, opt dosing.Options, res dosing.Result) (dosing.Result, error) {
	dur, err := res.RequestedDose.DivTo(dc.base.Infusion.IntendedDoseRate, units.Minute)
	if err != nil {
		return dosing.Result{}, err
	}
	dur, _, err = dur.RoundTo(units.NewInt(1, units.Minute), units.RoundHalfUp)
	if err != nil {
		return dosing.Result{}, err
	}
	in := *rule.Infusion
	in.Duration = dur
	rule.Infusion = &in
	return dosing.Calculate(rule, patient, opt)
}

func sessionError(index int, err error) error {
	return &SessionError{Index: index, Err: err}
}

// SessionError is a dose problem of one session of a plan.
type SessionError struct {
	Index int
	Err   error
}

func (e *SessionError) Error() string {
	return "schedule: session " + strconv.Itoa(e.Index) + ": " + e.Err.Error()
}

func (e *SessionError) Unwrap() error { return e.Err }

// given is the dose counted for a slot: the dose given at a done session
// where the history says, else its planned dose.
func (dc *doser) given(s Slot) units.Quantity {
	if g, ok := dc.opt.GivenDoses[s.Index]; ok && s.Done {
		return g
	}
	if d, ok := dc.cache[s.Index]; ok {
		return d.res.Dose
	}
	return units.Quantity{}
}

// check is the planner hook for cumulative caps.
func (dc *doser) check(cand Slot, placed []Slot) (Verdict, error) {
	caps := dc.p.Caps
	if !caps.PerDay.IsValid() && !caps.Per7Days.IsValid() && !caps.PerSeries.IsValid() {
		return Verdict{}, nil
	}
	d, err := dc.dose(cand.Index)
	if err != nil {
		dc.err = err
		return Verdict{}, err
	}
	sum := func(keep func(Slot) bool) units.Quantity {
		total := d.res.Dose
		for _, s := range placed {
			if keep(s) {
				if _, ok := dc.cache[s.Index]; !ok && !s.Done {
					if _, err := dc.dose(s.Index); err != nil {
						continue
					}
				}
				if g := dc.given(s); g.IsValid() {
					total, _ = total.Add(g)
				}
			}
		}
		return total
	}
	over := func(total, limit units.Quantity) bool { return limit.IsValid() && cmpQ(total, limit) > 0 }
	if t := sum(func(s Slot) bool { return s.Date == cand.Date }); over(t, caps.PerDay) {
		return Verdict{Action: Drop, Code: "cumulative_cap_day", Detail: "daily cap " + caps.PerDay.String() + " would be exceeded (" + t.String() + ")"}, nil
	}
	if t := sum(func(s Slot) bool { return !s.Date.Before(cand.Date.AddDays(-6)) }); over(t, caps.Per7Days) {
		return Verdict{Action: Reject, Code: "cumulative_cap_7_days", Detail: "7-day cap " + caps.Per7Days.String() + " would be exceeded (" + t.String() + ")"}, nil
	}
	if t := sum(func(Slot) bool { return true }); over(t, caps.PerSeries) {
		return Verdict{Action: Drop, Code: "cumulative_cap_series", Detail: "series cap " + caps.PerSeries.String() + " would be exceeded (" + t.String() + ")"}, nil
	}
	return Verdict{}, nil
}

// timeline lays out a session day from its start instant. Offsets within a
// day are elapsed time, so they are added to the instant.
func (p *Protocol) timeline(start time.Time, r dosing.Result) (Timeline, error) {
	s := p.Session
	tl := Timeline{Start: start, DriverRequired: s.DriverRequired}
	var err error
	at := func(q units.Quantity) time.Time {
		d, e := toDuration(q)
		if e != nil && err == nil {
			err = e
		}
		return start.Add(d)
	}
	if s.PreChecks.IsValid() {
		d, e := toDuration(s.PreChecks)
		if e != nil {
			return Timeline{}, e
		}
		tl.PreChecks = start.Add(-d)
	}
	end := start
	if f := r.Form; f != nil && len(f.Offsets) > 0 {
		for _, o := range f.Offsets {
			tl.Administrations = append(tl.Administrations, at(o))
		}
		end = tl.Administrations[len(tl.Administrations)-1]
	}
	if in := r.Infusion; in != nil {
		run := in.Duration
		if l := in.Loading; l != nil {
			run, _ = run.Add(l.Duration)
		}
		end = at(run)
	}
	tl.EndOfAdministration = end
	for _, c := range s.Checks {
		tl.Checks = append(tl.Checks, TimelineEvent{Name: c.Name, At: at(c.At)})
	}
	obs, e := toDuration(s.Observation)
	if e != nil {
		return Timeline{}, e
	}
	tl.ObservationEnd = end.Add(obs)
	tl.EarliestDischarge = tl.ObservationEnd
	return tl, err
}

// toDuration converts a time quantity to a time.Duration, to the second.
func toDuration(q units.Quantity) (time.Duration, error) {
	s, err := q.Convert(units.Second)
	if err != nil {
		return 0, err
	}
	v := s.Value().Round(0)
	if v.GreaterThan(decimal.NewFromInt(int64(maxSpanDays) * 86400)) {
		return 0, &FieldError{Field: "session", Value: q.String(), Msg: "longer than 10 years", Err: ErrRange}
	}
	return time.Duration(v.IntPart()) * time.Second, nil
}

// CheckVitals checks pre-session readings against the protocol's vital-sign
// gates: proceed, warn or hold, with the reasons. The thresholds are the
// protocol's only; a protocol without a vitals section is an error, never a
// silent "proceed".
func CheckVitals(p *Protocol, readings Vitals) (VitalsCheck, error) {
	if p == nil || p.Vitals == nil {
		return VitalsCheck{}, &FieldError{Field: "vitals", Msg: "the protocol has no vital-sign gates (doseplan has no built-in thresholds)", Err: ErrMissing}
	}
	return p.Vitals.Check(readings)
}
