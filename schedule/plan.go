package schedule

import (
	"maps"
	"slices"
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
	// Without it, the plan proposes a level (see Session.Level) and marks an
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
	// Level is the titration level (0-based) the dose was computed at: the
	// level chosen for the session, or the one the plan proposes. A
	// proposal never skips a level: it is the level of the session before
	// (the ladder's first at the start of the series and of a restart), one
	// level higher once advance_after_sessions sessions in a row are at that
	// level, decided ones counted. So after the last level a clinician
	// decided, proposals rise at most one level per advance_after_sessions
	// sessions, up to the ladder's top.
	//
	// Proposed marks a level above the last one decided (by a done session
	// or a level chosen in PlanOptions.Levels; the ladder's first level
	// before any, and again from a restart of the series): every session
	// that rests on an escalation nobody decided yet is a proposal, and the
	// dose step of its trail is flagged dosing.Proposed. Escalation is never
	// automatic.
	Level    int           `json:"level"`
	Proposed bool          `json:"proposed,omitempty"`
	Dose     dosing.Result `json:"dose"`
	// Given is the dose given at a done session, when the options record it
	// (PlanOptions.GivenDoses); Dose stays the dose the plan worked out.
	Given    units.Quantity `json:"given,omitzero"`
	Timeline Timeline       `json:"timeline"`
	Warnings []string       `json:"warnings,omitempty"`
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
	Notice    string            `json:"notice"`
	Protocol  dosing.Provenance `json:"protocol"`
	Patient   dosing.Patient    `json:"patient"`
	Start     Date              `json:"start"`
	Calendar  CalendarConfig    `json:"calendar"`
	Sessions  []Session         `json:"sessions"`
	Dropped   []Dropped         `json:"dropped,omitempty"`
	Restarts  []Restart         `json:"restarts,omitempty"`
	Stopped   *Event            `json:"stopped,omitempty"`
	History   []Event           `json:"history,omitempty"`
	Warnings  []string          `json:"warnings,omitempty"`
	Findings  []Finding         `json:"protocol_findings,omitempty"`
	TotalDose units.Quantity    `json:"total_dose,omitzero"` // planned and given, over the series
	// DecidedDose and ProposedDose split TotalDose: the doses at a decided
	// level (the ladder's first, a level a clinician chose, a done session)
	// and those at a proposed escalation (Session.Proposed). Both are set
	// whenever TotalDose is, "0 mg" included.
	DecidedDose  units.Quantity `json:"decided_dose,omitzero"`
	ProposedDose units.Quantity `json:"proposed_dose,omitzero"`
	NeedReview   int            `json:"sessions_needing_review"`

	protocol *Protocol
	findings []Finding // the protocol's lint warnings, as Plan found them
	table    *timetable
	opt      PlanOptions
	doses    map[string]doseAt // results by level and weight, reused by Replan with the same options
}

// Calculate computes one session's dose from the protocol for a patient, with the
// protocol's provenance (including its SHA-256) in the result: what the CLI's
// "dose" command shows.
func (p *Protocol) Calculate(patient dosing.Patient, opt dosing.Options) (dosing.Result, error) {
	r, err := dosing.Calculate(p.Dosing, patient, opt)
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
// the package doc's "Series"), and so do the protocol's cumulative caps per day, per 7 days
// and per series: a session that would break the 7-day cap moves later, one
// that would break the daily or series cap is dropped, and the plan says so.
// A session whose dose crosses a hard limit fails the plan with the
// session's position and the *dosing.LimitError.
func Plan(p *Protocol, patient dosing.Patient, start Date, cal *Calendar, opt PlanOptions) (*SessionPlan, error) {
	if p == nil {
		return nil, &FieldError{Field: "protocol", Msg: "is missing", Err: ErrMissing}
	}
	findings, err := p.validate(ruleDoseView(p.Dosing))
	if err != nil {
		return nil, err
	}
	if err := opt.validate(p); err != nil {
		return nil, err
	}
	pl := &SessionPlan{protocol: p, findings: findings, opt: opt, Patient: patient, Start: start}
	dc := &doser{p: p, patient: patient, opt: opt, cache: map[int]doseAt{}}
	tt, err := p.Series.plan(start, cal, seriesOptions{Check: dc.check})
	if dc.err != nil {
		return nil, dc.err // the dose error itself, which names its session
	}
	if err != nil {
		return nil, err
	}
	pl.doses = dc.byInput
	return pl.fill(tt, dc)
}

// Replan plans the rest of the series from what happened, measuring every
// constraint from the sessions as they were (and applying the series'
// RestartRule to a gap that is too long), keeping the protocol, patient and options of the plan.
// opt, when not nil, replaces the options (to add given doses, session
// weights or levels chosen since).
func (pl *SessionPlan) Replan(history []Event, from Date, opt *PlanOptions) (*SessionPlan, error) {
	if pl == nil || pl.table == nil {
		return nil, &FieldError{Field: "plan", Msg: "is not a planned series (use Plan)", Err: ErrMissing}
	}
	o := pl.opt
	if opt != nil {
		o = *opt
		if err := o.validate(pl.protocol); err != nil {
			return nil, err
		}
	}
	np := &SessionPlan{protocol: pl.protocol, findings: pl.findings, opt: o, Patient: pl.Patient, Start: pl.Start}
	dc := &doser{p: pl.protocol, patient: pl.Patient, opt: o, cache: map[int]doseAt{}}
	if opt == nil {
		// The same protocol, patient and options give the same doses.
		dc.byInput = maps.Clone(pl.doses)
	}
	base := *pl.table
	base.opts = seriesOptions{Check: dc.check}
	tt, err := base.replan(history, from)
	if dc.err != nil {
		return nil, dc.err // the dose error itself, which names its session
	}
	if err != nil {
		return nil, err
	}
	np.doses = dc.byInput
	return np.fill(tt, dc)
}

func (pl *SessionPlan) fill(tt *timetable, dc *doser) (*SessionPlan, error) {
	p := pl.protocol
	pl.table = tt
	pl.Notice = dosing.Notice
	pl.Protocol = dosing.Provenance{Name: p.Dosing.Name, Version: p.Dosing.Version, Source: p.Dosing.Source, SHA256: p.sha256}
	pl.Calendar = tt.cal.config()
	pl.Dropped, pl.Restarts, pl.Stopped, pl.History = tt.Dropped, tt.Restarts, tt.Stopped, tt.History
	pl.Warnings = append(pl.Warnings, tt.Warnings...)
	pl.Warnings = append(pl.Warnings, dc.opt.unused(p, tt.Slots)...)
	pl.Findings = slices.Clone(pl.findings)
	for i, s := range tt.Slots {
		rg := dc.rungAt(s, tt.Slots[:i])
		d, err := dc.dose(s.Index, rg.level)
		if err != nil {
			return nil, err
		}
		sess := Session{Slot: s, Level: d.level, Dose: d.res, Warnings: slices.Clone(d.warnings)}
		if rg.proposed {
			sess.Proposed = true
			sess.Dose.Steps = slices.Clone(sess.Dose.Steps)
			for i := range sess.Dose.Steps {
				if sess.Dose.Steps[i].ID == "dose" {
					sess.Dose.Steps[i].Flags |= dosing.Proposed
				}
			}
			sess.Warnings = append(sess.Warnings, "level "+strconv.Itoa(d.level+1)+" ("+p.Titration.Steps[d.level].String()+
				") is proposed: escalation requires a clinician's decision")
		}
		if g, ok := dc.opt.GivenDoses[s.Index]; ok && s.Done {
			sess.Given = g
		}
		tl, err := p.timeline(s.Start, d.res)
		if err != nil {
			return nil, err
		}
		sess.Timeline = tl
		given, err := dc.counted(s, rg.level)
		if err != nil {
			return nil, err
		}
		part := &pl.DecidedDose
		if sess.Proposed {
			part = &pl.ProposedDose
		}
		for _, sum := range []*units.Quantity{&pl.TotalDose, part} {
			if !sum.IsValid() {
				*sum = given
			} else if *sum, err = sum.Add(given); err != nil {
				return nil, sessionError(s.Index, err)
			}
		}
		if d.res.NeedsReview() {
			pl.NeedReview++
		}
		pl.Sessions = append(pl.Sessions, sess)
	}
	// Both parts are stated whenever there is a total, "0 mg" included.
	for _, part := range []*units.Quantity{&pl.DecidedDose, &pl.ProposedDose} {
		if pl.TotalDose.IsValid() && !part.IsValid() {
			*part = units.NewInt(0, pl.TotalDose.Unit())
		}
	}
	return pl, nil
}

// TotalText states the plan's total with its decided and proposed parts:
// "444 mg: 120 mg decided (3 sessions), 324 mg proposed (6 sessions,
// escalations not yet decided)". A dose is decided at the ladder's first
// level, at a level a clinician chose, and at a done session; the rest are
// proposals. Without a proposal it says so when the protocol has a
// titration ladder; empty when the plan has no total.
func (pl *SessionPlan) TotalText() string {
	if !pl.TotalDose.IsValid() {
		return ""
	}
	proposed := 0
	for _, s := range pl.Sessions {
		if s.Proposed {
			proposed++
		}
	}
	switch {
	case proposed > 0:
		return pl.TotalDose.String() + ": " + pl.DecidedDose.String() + " decided (" + plural(len(pl.Sessions)-proposed, "session") + "), " +
			pl.ProposedDose.String() + " proposed (" + plural(proposed, "session") + ", escalations not yet decided)"
	case pl.protocol != nil && pl.protocol.Titration != nil:
		return pl.TotalDose.String() + ", all decided (no escalation proposed)"
	}
	return pl.TotalDose.String()
}

// validate checks the options against the protocol, every problem at once:
// session positions from 1, weights of a body, levels of the ladder, given
// doses of a drug mass.
func (o PlanOptions) validate(p *Protocol) error {
	var es errs
	body, amount := units.Kilogram.Dimension(), p.Dosing.AmountUnit()
	for _, i := range slices.Sorted(maps.Keys(o.SessionWeights)) {
		f, w := "options.session_weights["+strconv.Itoa(i)+"]", o.SessionWeights[i]
		switch {
		case i < 1:
			es.add(f, w.String(), ErrRange, "is not a session position (they start at 1)")
		case !w.IsValid():
			es.add(f, "", ErrMissing, "is not a weight")
		case w.Dimension() != body:
			es.add(f, w.String(), ErrConflict, "must be a body weight (kg or lb)")
		case w.Sign() <= 0:
			es.add(f, w.String(), ErrRange, "must be > 0 kg")
		}
	}
	for _, i := range slices.Sorted(maps.Keys(o.Levels)) {
		f, l := "options.levels["+strconv.Itoa(i)+"]", o.Levels[i]
		switch {
		case i < 1:
			es.add(f, strconv.Itoa(l), ErrRange, "is not a session position (they start at 1)")
		case p.Titration == nil:
			es.add(f, strconv.Itoa(l), ErrConflict, "sets a titration level, but the protocol has no titration")
		case l < 0 || l >= len(p.Titration.Steps):
			es.add(f, strconv.Itoa(l), ErrRange, "is not a titration level (must be 0 to "+strconv.Itoa(len(p.Titration.Steps)-1)+")")
		}
	}
	for _, i := range slices.Sorted(maps.Keys(o.GivenDoses)) {
		f, g := "options.given_doses["+strconv.Itoa(i)+"]", o.GivenDoses[i]
		switch {
		case i < 1:
			es.add(f, g.String(), ErrRange, "is not a session position (they start at 1)")
		case !g.IsValid():
			es.add(f, "", ErrMissing, "is not a dose")
		case g.Dimension() != amount.Dimension():
			es.add(f, g.String(), ErrConflict, "must be "+amountWords(amount)+", the dose given")
		case g.Sign() < 0:
			es.add(f, g.String(), ErrRange, "must be ≥ 0 "+amount.String())
		}
	}
	return es.join()
}

// unused lists the options the plan had no use for, so that a value a
// clinician entered is never ignored in silence.
func (o PlanOptions) unused(p *Protocol, slots []Slot) []string {
	var out []string
	if p.Policy.Weight != SessionDayWeight {
		for _, i := range slices.Sorted(maps.Keys(o.SessionWeights)) {
			out = append(out, "the weight "+o.SessionWeights[i].String()+" given for session "+strconv.Itoa(i)+
				" is not used: the protocol doses every session on the baseline weight (policy.weight baseline)")
		}
	}
	done := map[int]bool{}
	for _, s := range slots {
		if s.Done {
			done[s.Index] = true
		}
	}
	for _, i := range slices.Sorted(maps.Keys(o.GivenDoses)) {
		if !done[i] {
			out = append(out, "the dose "+o.GivenDoses[i].String()+" given at session "+strconv.Itoa(i)+
				" is not counted: the history does not record session "+strconv.Itoa(i)+" as done")
		}
	}
	return out
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
	byInput map[string]doseAt // results by what determines them: level and weight
	base    *dosing.Result    // the first session's result, for keep_rate
	rungs   []rung            // the ladder after each session placed so far, by position - 1
	err     error
}

// rung is where the titration ladder stands at a session.
type rung struct {
	level    int  // the session's level
	run      int  // sessions in a row at that level, this one included
	decided  int  // the last level decided, this session included
	proposed bool // the level is above the last one decided before the session
}

// nextRung is the ladder at session s after prev, the rung of the session
// before it (the zero rung for the first session). A chosen level is a
// decision; otherwise the level is the one before, one higher once
// advance_after_sessions sessions in a row are at it. A restart begins at
// the zero rung: the ladder's first level, nothing decided above it.
func (dc *doser) nextRung(prev rung, s Slot) rung {
	if slices.ContainsFunc(s.Reasons, func(r Reason) bool { return r.Code == ReasonRestart }) {
		prev = rung{}
	}
	if l, chosen := dc.opt.Levels[s.Index]; chosen {
		r := rung{level: l, run: 1, decided: l}
		if l == prev.level {
			r.run = prev.run + 1
		}
		return r
	}
	r := prev
	if t := dc.p.Titration; t != nil && prev.run >= t.AdvanceAfterSessions && prev.level+1 < len(t.Steps) {
		r.level, r.run = prev.level+1, 0
	}
	r.run++
	r.proposed = r.level > prev.decided && !s.Done
	if s.Done {
		r.decided = r.level
	}
	return r
}

// rungAt is the ladder at slot s after the placed slots before it. The
// placed slots' rungs are kept: a plan only appends to them.
func (dc *doser) rungAt(s Slot, placed []Slot) rung {
	for len(dc.rungs) < len(placed) {
		var prev rung
		if n := len(dc.rungs); n > 0 {
			prev = dc.rungs[n-1]
		}
		dc.rungs = append(dc.rungs, dc.nextRung(prev, placed[len(dc.rungs)]))
	}
	var prev rung
	if n := len(placed); n > 0 {
		prev = dc.rungs[n-1]
	}
	return dc.nextRung(prev, s)
}

// dose is the dose of series position index at titration level level.
func (dc *doser) dose(index, level int) (doseAt, error) {
	if d, ok := dc.cache[index]; ok && d.level == level {
		return d, nil
	}
	p := dc.p
	d := doseAt{level: level}
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
	// Sessions at one level on one weight have the same dose: compute it
	// once (a year of weekly sessions is one calculation per level, not 52).
	// Session 1 is the keep_rate base and is always computed as itself.
	key := strconv.Itoa(d.level) + "|" + patient.Weight.Text() + "|" + strconv.Itoa(len(d.warnings))
	if same, ok := dc.byInput[key]; ok && index != 1 {
		same.res = same.res.Clone() // sessions with the same dose share nothing
		dc.cache[index] = same
		return same, nil
	}
	rule := p.Dosing
	res, err := dosing.Calculate(rule, patient, opt)
	if err != nil {
		return doseAt{}, sessionError(index, err)
	}
	if p.Policy.OnDoseChange == KeepRate && p.Dosing.Infusion != nil {
		if dc.base == nil && index == 1 {
			b := res
			dc.base = &b
		} else if dc.base == nil {
			b, err := dc.dose(1, dc.nextRung(rung{}, Slot{Index: 1}).level)
			if err != nil {
				return doseAt{}, err
			}
			dc.base = &b.res
		}
		changed := 0
		if index != 1 && res.Dose.Sign() != 0 {
			if changed, err = compare("dose", res.Dose, dc.base.Dose); err != nil {
				return doseAt{}, sessionError(index, err)
			}
		}
		if changed != 0 {
			res, err = dc.keepRate(rule, patient, opt, res)
			if err != nil {
				return doseAt{}, sessionError(index, err)
			}
			d.warnings = append(d.warnings, "dose changed from "+dc.base.Dose.String()+" to "+res.Dose.String()+": the duration is "+
				res.Infusion.Duration.String()+", to keep the first session's dose rate "+dc.base.Infusion.IntendedDoseRate.String()+" (policy keep_rate)")
		}
	}
	res.Provenance.SHA256 = p.sha256
	d.res = res
	dc.cache[index] = d
	if dc.byInput == nil {
		dc.byInput = map[string]doseAt{}
	}
	dc.byInput[key] = d
	return d, nil
}

// keepRate recomputes a session with the duration that keeps the first
// session's intended dose rate: the session's dose ÷ that rate, rounded up
// to the whole minute, so that the rate never exceeds the first session's.
func (dc *doser) keepRate(rule dosing.Rule, patient dosing.Patient, opt dosing.Options, res dosing.Result) (dosing.Result, error) {
	dur, err := res.Dose.DivTo(dc.base.Infusion.IntendedDoseRate, units.Minute)
	if err != nil {
		return dosing.Result{}, err
	}
	dur, _, err = dur.RoundTo(units.NewInt(1, units.Minute), units.RoundUp)
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

// counted is the dose a slot counts with towards the cumulative caps and
// the total: the dose given at a done session where the options record it,
// else the dose the plan works out for its position at its level.
func (dc *doser) counted(s Slot, level int) (units.Quantity, error) {
	if g, ok := dc.opt.GivenDoses[s.Index]; ok && s.Done {
		return g, nil
	}
	d, err := dc.dose(s.Index, level)
	if err != nil {
		return units.Quantity{}, err
	}
	return d.res.Dose, nil
}

// check is the planner hook for cumulative caps. A session whose own dose is
// above a cap is dropped (no day could take it); one that would take the
// sum over 7 days above its cap moves later; one that would take the day's
// or the series' sum above its cap is dropped.
func (dc *doser) check(cand Slot, placed []Slot) (verdict, error) {
	caps := dc.p.Caps
	if !caps.PerDay.IsValid() && !caps.Per7Days.IsValid() && !caps.PerSeries.IsValid() {
		return verdict{}, nil
	}
	d, err := dc.dose(cand.Index, dc.rungAt(cand, placed).level)
	if err != nil {
		dc.err = err
		return verdict{}, err
	}
	var sumErr error
	// sumSince adds the candidate's dose to the doses of the placed sessions
	// on or after from. Placed sessions are in date order, so the walk goes
	// back from the last one and stops at the window's start.
	sumSince := func(from Date) units.Quantity {
		total := d.res.Dose
		for i := len(placed) - 1; i >= 0 && !placed[i].Date.Before(from); i-- {
			g, err := dc.counted(placed[i], dc.rungs[i].level)
			if err == nil {
				total, err = total.Add(g)
			}
			if err != nil && sumErr == nil {
				sumErr = err
			}
		}
		return total
	}
	// over reports total > limit, a limit that is set; one that cannot be
	// compared with the total fails the plan.
	over := func(field string, total, limit units.Quantity) bool {
		if !limit.IsValid() {
			return false
		}
		c, err := compare(field, total, limit)
		if err != nil && sumErr == nil {
			sumErr = err
		}
		return c > 0
	}
	dose := d.res.Dose
	var v verdict
	switch {
	case caps.PerDay.IsValid() && over("caps.per_day", sumSince(cand.Date), caps.PerDay):
		v = verdict{Action: dropSlot, Code: "cumulative_cap_day", Detail: "daily cap " + caps.PerDay.String() + " would be exceeded (" + dose.String() + " on the day)"}
	case over("caps.per_7_days", dose, caps.Per7Days):
		v = verdict{Action: dropSlot, Code: "cumulative_cap_7_days", Detail: "the dose " + dose.String() + " alone is above the 7-day cap " + caps.Per7Days.String()}
	case caps.Per7Days.IsValid():
		if t7 := sumSince(cand.Date.AddDays(-6)); over("caps.per_7_days", t7, caps.Per7Days) {
			v = verdict{Action: rejectSlot, Code: "cumulative_cap_7_days", Detail: "7-day cap " + caps.Per7Days.String() + " would be exceeded (" + t7.String() + ")"}
			break
		}
		fallthrough
	default:
		if caps.PerSeries.IsValid() {
			if t := sumSince(Date{}); over("caps.per_series", t, caps.PerSeries) {
				v = verdict{Action: dropSlot, Code: "cumulative_cap_series", Detail: "series cap " + caps.PerSeries.String() + " would be exceeded (" + t.String() + ")"}
			}
		}
	}
	if sumErr != nil {
		dc.err = sumErr
		return verdict{}, sumErr
	}
	return v, nil
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
		// The later of the planned duration and the run time at the
		// programmed (rounded) rate, to the second above: observation counts
		// from when the pump really stops.
		run := in.Duration
		if in.RunTime.IsValid() {
			c, err := compare("infusion.duration", in.RunTime, run)
			if err != nil {
				return Timeline{}, err
			}
			if c > 0 {
				run = in.RunTime
			}
		}
		d, e := ceilDuration(run)
		if e != nil {
			return Timeline{}, e
		}
		if l := in.Loading; l != nil {
			ld, e := ceilDuration(l.Duration)
			if e != nil {
				return Timeline{}, e
			}
			d += ld
		}
		end = start.Add(d)
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

// toDuration converts a time quantity to a time.Duration, to the nearest
// second.
func toDuration(q units.Quantity) (time.Duration, error) {
	return secondsOf(q, func(v decimal.Decimal) decimal.Decimal { return v.Round(0) })
}

// ceilDuration converts a time quantity to a time.Duration, to the second
// above.
func ceilDuration(q units.Quantity) (time.Duration, error) {
	return secondsOf(q, func(v decimal.Decimal) decimal.Decimal { return v.Ceil() })
}

func secondsOf(q units.Quantity, round func(decimal.Decimal) decimal.Decimal) (time.Duration, error) {
	s, err := q.Convert(units.Second)
	if err != nil {
		return 0, err
	}
	v := round(s.Value())
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
