package schedule

import (
	"errors"
	"maps"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// ReplanRecord plans the rest of the series from a session record, from day
// from on (see SessionPlan.Replan, which it calls): the record's entries in
// force (Record.Effective) are the history, the doses given at done
// sessions count towards the cumulative caps, a level given is a
// clinician's decision the proposals go on from, a weight measured at a
// session doses it where the protocol doses on the session-day weight, and
// the restart rule applies to the gaps the record shows.
//
// The record must be of the plan's protocol (Record.Check: the same
// SHA-256, levels of its ladder). A history the series cannot have (a
// session done twice, one after the stop, a done session after from) is a
// *FieldError wrapping ErrHistory with the path of the record's entry
// ("entries[3].session").
func (pl *SessionPlan) ReplanRecord(rec *Record, from Date) (*SessionPlan, error) {
	if pl == nil || pl.table == nil {
		return nil, &FieldError{Field: "plan", Msg: "is not a planned series (use Plan)", Err: ErrMissing}
	}
	if rec == nil {
		return nil, &FieldError{Field: "record", Msg: "is missing", Err: ErrMissing}
	}
	if err := rec.validate(); err != nil {
		return nil, err
	}
	if err := rec.Check(pl.protocol); err != nil {
		return nil, err
	}
	history, at, opt := pl.historyOf(rec)
	np, err := pl.Replan(history, from, &opt)
	if err != nil {
		return nil, atEntries(err, at, history)
	}
	return np, nil
}

// historyOf turns the record's entries in force into a Replan history, the
// record entry index of each event, and the plan's options with what the
// record says was given (the record wins over an option set at planning).
func (pl *SessionPlan) historyOf(rec *Record) ([]Event, []int, PlanOptions) {
	opt := pl.opt
	opt.GivenDoses = maps.Clone(opt.GivenDoses)
	opt.Levels = maps.Clone(opt.Levels)
	opt.SessionWeights = maps.Clone(opt.SessionWeights)
	index := make(map[int]int, len(rec.Entries)) // entry id → index in rec.Entries
	for i, e := range rec.Entries {
		index[e.ID] = i
	}
	var history []Event
	var at []int
	for _, e := range rec.Effective() {
		ev := Event{Kind: e.Outcome, Session: e.Session, Note: e.Notes}
		switch e.Outcome {
		case Done:
			ev.At = e.At
			if g := e.Given; g != nil {
				opt.GivenDoses = put(opt.GivenDoses, e.Session, g.Dose)
				if g.Level > 0 {
					opt.Levels = put(opt.Levels, e.Session, g.Level-1)
				}
			}
			if e.Weight.IsValid() && pl.protocol.Policy.Weight == SessionDayWeight {
				opt.SessionWeights = put(opt.SessionWeights, e.Session, e.Weight)
			}
		case Missed:
			ev.Date = e.Date
		case Delayed:
			ev.Date = e.To
			if ev.Note == "" {
				ev.Note = e.Reason
			}
		case Stopped:
			ev.Session, ev.Date, ev.Note = 0, e.Date, e.Reason
			if !e.At.IsZero() {
				ev.Date = DateOf(e.At.In(pl.table.cal.loc))
			}
		}
		if e.Outcome == Missed && e.Reason != "" && ev.Note == "" {
			ev.Note = e.Reason
		}
		history = append(history, ev)
		at = append(at, index[e.ID])
	}
	return history, at, opt
}

func put[V any](m map[int]V, k int, v V) map[int]V {
	if m == nil {
		m = map[int]V{}
	}
	m[k] = v
	return m
}

// atEntries rewrites the history paths of Replan's errors ("history[2].date")
// as the paths of the record's entries they come from ("entries[5].to").
func atEntries(err error, at []int, history []Event) error {
	var out []error
	changed := false
	for _, e := range flatten(err) {
		var fe *FieldError
		if !errors.As(e, &fe) || !strings.HasPrefix(fe.Field, "history[") {
			out = append(out, e)
			continue
		}
		num, rest, _ := strings.Cut(strings.TrimPrefix(fe.Field, "history["), "]")
		i, convErr := strconv.Atoi(num)
		if convErr != nil || i < 0 || i >= len(at) {
			out = append(out, e)
			continue
		}
		switch {
		case rest == ".kind":
			rest = ".outcome"
		case rest == ".date" && history[i].Kind == Delayed:
			rest = ".to"
		}
		c := *fe
		c.Field = "entries[" + strconv.Itoa(at[i]) + "]" + rest
		out = append(out, &c)
		changed = true
	}
	if !changed {
		return err
	}
	return errors.Join(out...)
}

// Deviation is a value recorded for a done session that differs from the
// plan's for that session: accepted (the record says what happened), and
// never passed over in silence.
type Deviation struct {
	Session int            `json:"session"`
	Field   string         `json:"field"` // "dose", "level", "pump_rate", "duration", "count"
	Given   units.Quantity `json:"given"`
	Planned units.Quantity `json:"planned"` // for "level", the dose step of each level
	Detail  string         `json:"detail"`  // "the dose given 45 mg differs from the plan's 40 mg (+5 mg, +12.5 %)"
}

// Deviations compares a done entry's given values (and level) with the
// plan's session at the entry's position: the plan the session was given
// from, before the entry was recorded. Values are compared exactly: any
// difference is a Deviation. An entry that is not a done one, or records
// nothing given, has none; a session the plan does not have is an error.
func (pl *SessionPlan) Deviations(e RecordEntry) ([]Deviation, error) {
	if e.Outcome != Done || e.Given == nil {
		return nil, nil
	}
	var s *Session
	for i := range pl.Sessions {
		if pl.Sessions[i].Index == e.Session {
			s = &pl.Sessions[i]
		}
	}
	if s == nil {
		return nil, &FieldError{Field: "session", Value: strconv.Itoa(e.Session), Err: ErrRange,
			Msg: "is not a session of the plan (it has sessions 1 to " + strconv.Itoa(len(pl.Sessions)) + ")"}
	}
	g, d := e.Given, s.Dose
	var out []Deviation
	if t := pl.protocol.Titration; t != nil && g.Level > 0 && g.Level-1 != s.Level && g.Level <= len(t.Steps) {
		out = append(out, Deviation{Session: e.Session, Field: "level", Given: t.Steps[g.Level-1], Planned: t.Steps[s.Level],
			Detail: "level " + strconv.Itoa(g.Level) + " (" + t.Steps[g.Level-1].String() + ") was given; the plan had level " +
				strconv.Itoa(s.Level+1) + " (" + t.Steps[s.Level].String() + ")" + proposedText(s.Proposed)})
	}
	type pair struct {
		field, what   string
		given, wanted units.Quantity
	}
	pairs := []pair{{"dose", "the dose given", g.Dose, d.Dose}}
	if in := d.Infusion; in != nil {
		pairs = append(pairs, pair{"pump_rate", "the pump rate programmed", g.PumpRate, in.PumpRate},
			pair{"duration", "the duration", g.Duration, in.Duration})
	}
	if f := d.Form; f != nil {
		pairs = append(pairs, pair{"count", "the dose forms given", g.Count, f.Count})
	}
	for _, p := range pairs {
		if !p.given.IsValid() || !p.wanted.IsValid() {
			continue
		}
		if c, err := p.given.Cmp(p.wanted); err != nil || c == 0 {
			continue // a unit the record's validation refuses
		}
		out = append(out, Deviation{Session: e.Session, Field: p.field, Given: p.given, Planned: p.wanted,
			Detail: p.what + " " + p.given.String() + " differs from the plan's " + p.wanted.String() + " (" + deviationText(p.given, p.wanted) + ")"})
	}
	return out, nil
}

func proposedText(proposed bool) string {
	if proposed {
		return ", as a proposal"
	}
	return ""
}

// deviationText is given − planned in planned's unit and in % of planned:
// "+5 mg, +12.5 %", to four decimal places ("≈") where it does not end.
func deviationText(given, planned units.Quantity) string {
	g, err := given.Convert(planned.Unit())
	if err != nil {
		return "in another unit"
	}
	diff := g.Value().Sub(planned.Value())
	text := signedText(diff) + " " + planned.Unit().String()
	if planned.Sign() != 0 {
		pct := diff.Mul(decimal.NewFromInt(100)).DivRound(planned.Value(), 8)
		text += ", " + signedText(pct) + " %"
	}
	return text
}

// signedText writes v with its sign, to four decimal places, "≈" when that
// drops digits.
func signedText(v decimal.Decimal) string {
	r := v.Round(4)
	s := units.New(r.Abs(), units.Percent).String() // ISMP digits: leading zero, separators, no trailing zeros
	s = strings.TrimSuffix(s, " %")
	switch v.Sign() {
	case 1:
		s = "+" + s
	case -1:
		s = "−" + s
	}
	if !r.Equal(v) {
		s = "≈ " + s
	}
	return s
}
