package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/units"
)

// recordFormatVersion is the session record format this package reads and
// writes; a record says so with "doseplan_record: 1".
const recordFormatVersion = 1

// Record is what happened at the sessions of one patient's series on one
// protocol: a document (YAML or JSON) that a clinic appends to, session by
// session, and that Replan plans the rest of the series from
// (SessionPlan.ReplanRecord). For example:
//
//	doseplan_record: 1
//	patient: MRN-1234
//	protocol:
//	  name: IV racemic ketamine, treatment-resistant depression (example)
//	  version: 2026-11-example
//	  sha256: 81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce
//	entries:
//	  - id: 1
//	    session: 1
//	    outcome: done
//	    at: "2025-03-03T09:05:00-05:00"
//	    given: {dose: 40 mg, pump_rate: 156 mL/h, duration: 40 min}
//	    vitals: {systolic: 128 mmHg, diastolic: 82 mmHg, heart_rate: 76 /min, spo2: 98 %}
//	    recorded_by: RN Lee
//
// A record is append-only: an outcome is a new entry, and a correction is a
// new entry that names the one it corrects (Entry.Corrects); nothing that is
// written is ever changed. LoadRecord reads it as strictly as a protocol.
type Record struct {
	Format int `json:"doseplan_record"`
	// Patient is the clinic's reference for the patient (a record number):
	// a record is about one patient, and doseplan knows no more of them.
	Patient  string        `json:"patient"`
	Protocol RecordOrigin  `json:"protocol"`
	Entries  []RecordEntry `json:"entries,omitempty"`
}

// RecordOrigin names the protocol a record's sessions follow. SHA256 is the
// one that counts: a record is only ever used with the protocol document of
// that SHA-256; name and version are for people.
type RecordOrigin struct {
	Name    string `json:"name,omitempty"`
	Version string `json:"version,omitempty"`
	SHA256  string `json:"sha256"`
}

// EnteredInError is the outcome of a record entry that withdraws the entry it
// corrects (written for the wrong patient, or twice): the corrected entry no
// longer counts, and nothing takes its place. It exists only in records; a
// Replan history has no such kind.
const EnteredInError EventKind = "entered_in_error"

// RecordEntry is one outcome of one session, or a correction of an earlier
// entry. Which fields an entry has depends on its outcome:
//
//   - done: Session, At (the start of administration), Given (Given.Dose at
//     least), optionally Weight and Vitals;
//   - missed: Session, optionally Date (the day it was due) and Vitals (a
//     session held at its vital-sign check is missed);
//   - delayed: Session and To (the day it is moved to);
//   - stopped: At or Date (when the treatment stopped) and Reason: a stop
//     ends the series (an infusion stopped early is a done session with the
//     dose actually given);
//   - entered_in_error: Corrects and Reason only.
//
// Every entry has ID (its place in the record, from 1) and RecordedBy. A
// correction (Corrects set) is a whole new entry that takes the place of
// the one it names, and says why in Reason.
type RecordEntry struct {
	ID       int       `json:"id"`
	Corrects int       `json:"corrects,omitempty"`
	Session  int       `json:"session,omitempty"`
	Outcome  EventKind `json:"outcome"`
	At       time.Time `json:"at,omitzero"`
	Date     Date      `json:"date,omitzero"`
	To       Date      `json:"to,omitzero"`
	Given    *Given    `json:"given,omitempty"`
	// Weight is the weight measured at the session, for a protocol that
	// doses on the session-day weight (policy.weight: session_day).
	Weight     units.Quantity `json:"weight,omitzero"`
	Vitals     *Vitals        `json:"vitals,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	Notes      string         `json:"notes,omitempty"`
	RecordedBy string         `json:"recorded_by"`
	RecordedAt time.Time      `json:"recorded_at,omitzero"`
}

// Given is what was actually given at a done session. Dose is required;
// the rest is recorded when known, and compared with the plan's values
// (SessionPlan.Deviations).
type Given struct {
	Dose units.Quantity `json:"dose"` // the drug given, in mg or mcg (units for a drug dosed in units)
	// Level is the titration level given, from 1 (the ladder's first): a
	// clinician's decision, which the plan's proposals go on from. Unset:
	// the level the plan had for the session.
	Level    int            `json:"level,omitempty"`
	PumpRate units.Quantity `json:"pump_rate,omitzero"` // mL/h, as programmed
	Duration units.Quantity `json:"duration,omitzero"`  // how long the infusion ran
	Count    units.Quantity `json:"count,omitzero"`     // dose forms given: "3 devices"
}

// LoadRecord reads a session record in YAML or JSON as strictly as a
// protocol: unknown fields, duplicate keys, values of the wrong type or unit,
// and fields that contradict each other or the entry's outcome are refused,
// every problem at once, each a *FieldError with its path
// ("entries[2].given.dose"). Whether the sessions follow each other as a
// series allows is a matter of the plan: SessionPlan.ReplanRecord checks it.
func LoadRecord(data []byte) (*Record, error) {
	var r Record
	decodeErr, complete := decodeStrict(data, &r, nil)
	if !complete {
		return nil, decodeErr
	}
	if err := r.validate(); err != nil || decodeErr != nil {
		all := append(flatten(decodeErr), flatten(withoutFields(err, fieldsOfErr(decodeErr)))...)
		return nil, errors.Join(all...)
	}
	return &r, nil
}

// validate checks the record on its own, every problem at once (see
// LoadRecord); call it for a record built in Go.
func (r *Record) validate() error {
	var es errs
	switch {
	case r.Format == 0:
		es.add("doseplan_record", "", ErrMissing, "required: the record format version, doseplan_record: "+strconv.Itoa(recordFormatVersion))
	case r.Format != recordFormatVersion:
		es.add("doseplan_record", strconv.Itoa(r.Format), ErrRange, "record format version must be "+strconv.Itoa(recordFormatVersion))
	}
	if strings.TrimSpace(r.Patient) == "" {
		es.add("patient", r.Patient, ErrMissing, "required: the clinic's reference for the patient (a record is about one patient)")
	}
	switch h := r.Protocol.SHA256; {
	case h == "":
		es.add("protocol.sha256", "", ErrMissing, "required: the SHA-256 of the protocol document the sessions follow")
	case !isSHA256(h):
		es.add("protocol.sha256", h, ErrSyntax, "must be 64 lower-case hexadecimal digits (the SHA-256 doseplan prints)")
	}
	correctedBy := map[int]int{} // entry id → the entry that corrects it
	var lastRecorded time.Time
	lastRecordedAt := 0
	for i, e := range r.Entries {
		p := "entries[" + strconv.Itoa(i) + "]"
		if e.ID != i+1 {
			es.add(p+".id", strconv.Itoa(e.ID), ErrConflict, "must be "+strconv.Itoa(i+1)+" (entries are numbered from 1 in the order they were written, and none is ever removed)")
		}
		if e.Corrects != 0 {
			switch by, twice := correctedBy[e.Corrects]; {
			case e.Corrects < 1 || e.Corrects >= i+1:
				es.add(p+".corrects", strconv.Itoa(e.Corrects), ErrConflict, "must name an earlier entry (1 to "+strconv.Itoa(i)+")")
			case twice:
				es.add(p+".corrects", strconv.Itoa(e.Corrects), ErrConflict,
					"entry "+strconv.Itoa(e.Corrects)+" was already corrected by entry "+strconv.Itoa(by)+" (correct entry "+strconv.Itoa(by)+" instead)")
			default:
				correctedBy[e.Corrects] = e.ID
			}
			if strings.TrimSpace(e.Reason) == "" && e.Outcome != Stopped { // a stop's reason is required anyway
				es.add(p+".reason", "", ErrMissing, "required for a correction: why the entry it corrects was wrong")
			}
		}
		e.validate(p, &es)
		if !e.RecordedAt.IsZero() {
			if !lastRecorded.IsZero() && e.RecordedAt.Before(lastRecorded) {
				es.add(p+".recorded_at", e.RecordedAt.Format(time.RFC3339), ErrConflict,
					"is before entries["+strconv.Itoa(lastRecordedAt)+"].recorded_at "+lastRecorded.Format(time.RFC3339)+" (entries are appended in the order they are recorded)")
			}
			lastRecorded, lastRecordedAt = e.RecordedAt, i
		}
	}
	return es.join()
}

// validate checks one entry against its outcome: the fields it needs, the
// fields it must not have, and the units of what it holds.
func (e RecordEntry) validate(p string, es *errs) {
	if strings.TrimSpace(e.RecordedBy) == "" {
		es.add(p+".recorded_by", e.RecordedBy, ErrMissing, "required: who recorded the entry")
	}
	// Fields an outcome does not use are refused rather than ignored: a
	// value a nurse wrote is never dropped in silence.
	type field struct {
		name string
		set  bool
		text string
	}
	fields := []field{
		{"session", e.Session != 0, strconv.Itoa(e.Session)},
		{"at", !e.At.IsZero(), e.At.Format(time.RFC3339)},
		{"date", !e.Date.IsZero(), e.Date.String()},
		{"to", !e.To.IsZero(), e.To.String()},
		{"given", e.Given != nil, ""},
		{"weight", e.Weight.IsValid(), e.Weight.String()},
		{"vitals", e.Vitals != nil, ""},
	}
	var uses string // the fields the outcome takes, for the message
	need := func(name, why string) {
		for _, f := range fields {
			if f.name == name && !f.set {
				es.add(p+"."+name, "", ErrMissing, "required for "+string(e.Outcome)+": "+why)
			}
		}
	}
	switch e.Outcome {
	case Done:
		uses = "session, at, given, weight, vitals"
		need("session", "the session's number in the series")
		need("at", "when the administration started, an RFC 3339 instant such as 2025-03-03T09:05:00-05:00")
		need("given", "what was given, given.dose at least")
	case Missed:
		uses = "session, date, vitals"
		need("session", "the session's number in the series")
	case Delayed:
		uses = "session, to"
		need("session", "the session's number in the series")
		need("to", "the day the session is moved to")
	case Stopped:
		uses = "at, date"
		if e.At.IsZero() && e.Date.IsZero() {
			es.add(p+".at", "", ErrMissing, "required for stopped: when the treatment stopped (at, or the day as date)")
		}
		if strings.TrimSpace(e.Reason) == "" {
			es.add(p+".reason", "", ErrMissing, "required for stopped: why the treatment stopped")
		}
	case EnteredInError:
		uses = "corrects, reason"
		if e.Corrects == 0 {
			es.add(p+".corrects", "", ErrMissing, "required for entered_in_error: the entry it withdraws")
		}
	case "":
		es.add(p+".outcome", "", ErrMissing, "required: done, missed, delayed, stopped or entered_in_error")
		return
	default:
		es.add(p+".outcome", string(e.Outcome), ErrRange, "is not an outcome (must be done, missed, delayed, stopped or entered_in_error)")
		return
	}
	for _, f := range fields {
		if !f.set || strings.Contains(", "+uses+",", ", "+f.name+",") {
			continue
		}
		msg := "is not used by " + string(e.Outcome) + " (it takes " + uses + ")"
		switch {
		case f.name == "session" && e.Outcome == Stopped:
			msg = "a stop ends the series, not one session (an infusion stopped early is a done session with the dose actually given)"
		case f.name == "date" && e.Outcome == Done:
			msg = "is not used by done: at gives the day and the time"
		}
		es.add(p+"."+f.name, f.text, ErrConflict, msg)
	}
	if e.Session < 0 {
		es.add(p+".session", strconv.Itoa(e.Session), ErrRange, "must be a session number from 1")
	}
	if !e.Date.IsZero() && !e.Date.IsValid() {
		es.add(p+".date", e.Date.String(), ErrRange, e.Date.invalid())
	}
	if !e.To.IsZero() && !e.To.IsValid() {
		es.add(p+".to", e.To.String(), ErrRange, e.To.invalid())
	}
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"at", e.At}, {"recorded_at", e.RecordedAt}} {
		_, off := t.at.Zone()
		switch {
		case t.at.IsZero():
		case t.at.Year() < FirstYear || t.at.Year() > LastYear:
			es.add(p+"."+t.name, t.at.String(), ErrRange, fmt.Sprintf("is not an instant of the years %d to %d (the dates doseplan reads)", FirstYear, LastYear))
		case off%60 != 0:
			es.add(p+"."+t.name, t.at.String(), ErrRange, "has a zone offset in seconds, which RFC 3339 cannot write (give it in UTC, or in minutes)")
		}
	}
	if e.Outcome == Stopped && !e.At.IsZero() && !e.Date.IsZero() && DateOf(e.At) != e.Date {
		es.add(p+".date", e.Date.String(), ErrConflict, "is not the day of at ("+DateOf(e.At).String()+"); give one of them")
	}
	if !e.RecordedAt.IsZero() && !e.At.IsZero() && e.RecordedAt.Before(e.At) {
		es.add(p+".recorded_at", e.RecordedAt.Format(time.RFC3339), ErrConflict, "is before at "+e.At.Format(time.RFC3339)+" (an outcome is recorded after it happened)")
	}
	if g := e.Given; g != nil {
		g.validate(p+".given", es)
	}
	if e.Weight.IsValid() {
		checkQuantity(es, p+".weight", e.Weight, units.Kilogram, "a body weight (kg or lb)", true)
	}
	if v := e.Vitals; v != nil {
		*es = append(*es, flatten(v.validate(p+".vitals"))...)
	}
}

// validate checks what was given: a drug mass, and settings of the right
// kind.
func (g *Given) validate(p string, es *errs) {
	switch {
	case !g.Dose.IsValid():
		es.add(p+".dose", "", ErrMissing, "required: the dose given, in mg or mcg (units for a drug dosed in units)")
	case g.Dose.Dimension() == units.ActivityUnit.Dimension():
		checkQuantity(es, p+".dose", g.Dose, units.ActivityUnit, "a drug amount", false)
	default: // the protocol's kind of amount is checked with the plan
		checkQuantity(es, p+".dose", g.Dose, units.Milligram, "a drug mass (mg or mcg) or an activity (units)", false)
	}
	if g.Level < 0 {
		es.add(p+".level", strconv.Itoa(g.Level), ErrRange, "must be a titration level from 1")
	}
	checkQuantity(es, p+".pump_rate", g.PumpRate, units.MLPerHour, "a pump rate (mL/h)", true)
	checkQuantity(es, p+".duration", g.Duration, units.Minute, "a duration (min or h)", true)
	if g.Count.IsValid() {
		switch g.Count.Dimension() {
		case units.Device.Dimension(), units.Spray.Dimension(), units.Troche.Dimension(), units.Tablet.Dimension():
			if g.Count.Sign() <= 0 {
				es.add(p+".count", g.Count.String(), ErrRange, "must be more than 0")
			}
		default:
			es.add(p+".count", g.Count.String(), ErrConflict, "must be a number of dose forms (devices, sprays, troches, tablets)")
		}
	}
}

// checkQuantity reports a set quantity q at path p that is not of unit u's
// dimension, or is negative (or zero, when positive is set).
func checkQuantity(es *errs, p string, q units.Quantity, u units.Unit, what string, positive bool) {
	switch {
	case !q.IsValid():
	case q.Dimension() != u.Dimension():
		es.add(p, q.String(), ErrConflict, "must be "+what)
	case positive && q.Sign() <= 0:
		es.add(p, q.String(), ErrRange, "must be more than 0 "+u.String())
	case q.Sign() < 0:
		es.add(p, q.String(), ErrRange, "must be 0 "+u.String()+" or more")
	}
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Effective returns the entries in force, in the order of the sessions they
// are about: each correction takes the place of the entry it corrects (a
// correction of a correction, of that one), and an entered_in_error entry
// removes it. The record itself is unchanged.
func (r *Record) Effective() []RecordEntry {
	replaced := make(map[int]RecordEntry) // original entry id → its latest version
	origin := make(map[int]int)           // entry id → the original entry it stands for
	var order []int
	for _, e := range r.Entries {
		if e.Corrects == 0 {
			origin[e.ID] = e.ID
			order = append(order, e.ID)
			replaced[e.ID] = e
			continue
		}
		o, ok := origin[e.Corrects]
		if !ok {
			continue // a broken reference: Validate reports it
		}
		origin[e.ID] = o
		replaced[o] = e
	}
	out := make([]RecordEntry, 0, len(order))
	for _, id := range order {
		if e := replaced[id]; e.Outcome != EnteredInError {
			out = append(out, e)
		}
	}
	return out
}

// Check refuses a record written for another protocol: its SHA-256 must be
// that of p's document. The error names both.
func (r *Record) Check(p *Protocol) error {
	if p == nil {
		return &FieldError{Field: "protocol", Msg: "is missing", Err: ErrMissing}
	}
	if r.Protocol.SHA256 != p.sha256 {
		return &FieldError{Field: "protocol.sha256", Value: r.Protocol.SHA256, Err: ErrConflict,
			Msg: "is not the SHA-256 of the protocol given (" + p.sha256 + "): the record was written for another protocol, or another version of it"}
	}
	var es errs
	for i, e := range r.Entries {
		g := e.Given
		if g == nil {
			continue
		}
		p0 := "entries[" + strconv.Itoa(i) + "].given"
		if g.Level > 0 {
			switch t := p.Titration; {
			case t == nil:
				es.add(p0+".level", strconv.Itoa(g.Level), ErrConflict, "sets a titration level, but the protocol has no titration ladder")
			case g.Level > len(t.Steps):
				es.add(p0+".level", strconv.Itoa(g.Level), ErrRange, "is not a level of the protocol's titration ladder (must be 1 to "+strconv.Itoa(len(t.Steps))+")")
			}
		}
		for _, f := range []struct {
			name string
			q    units.Quantity
		}{{"pump_rate", g.PumpRate}, {"duration", g.Duration}} {
			if f.q.IsValid() && p.Dosing.Infusion == nil {
				es.add(p0+"."+f.name, f.q.String(), ErrConflict, "records an infusion's setting, but the protocol has no infusion")
			}
		}
		if g.Count.IsValid() && p.Dosing.Form == nil {
			es.add(p0+".count", g.Count.String(), ErrConflict, "records dose forms, but the protocol gives none")
		}
	}
	return es.join()
}
