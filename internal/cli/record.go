package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func recordCommand() command {
	return command{
		name:     "record",
		summary:  "add what happened at a session to the patient's record (done, missed, delayed, stopped)",
		synopsis: "doseplan record --record FILE --patient REF --protocol P --session N --outcome done|missed|delayed|stopped|entered_in_error [outcome flags] --by NAME [plan flags] [--json]",
		about: `Adds one outcome to a patient's session record, a YAML file that is only ever
added to: what is written stays as it is, byte for byte, and a correction is a
new entry that names the one it corrects (--corrects ID, with --reason). The
file is created with the first entry; it names the patient and the protocol by
its SHA-256, and a record is only ever used with that protocol.

The file is only ever added to. It is created where nothing is; an existing
record is replaced, through a new file moved into place, only by its own bytes
with the entry after them, and only if it still holds exactly what was read
(an entry another run added meanwhile is never lost: run the command again).
A symbolic link, a device or a directory is never written, nor the protocol.

Each outcome takes its own flags:

  done              --when (the start of administration), --dose, and what
                    else was given: --pump-rate, --duration, --count,
                    --level-given, --measured-weight; --vitals
  missed            --date (the day it was due), --vitals (a session held at
                    its vital-sign check is missed)
  delayed           --to (the day it moves to)
  stopped           --when or --date, --reason: the treatment stopped, the
                    series ends (an infusion stopped early is a done session
                    with the dose actually given)
  entered_in_error  --corrects and --reason: the entry is withdrawn

The entry is checked against the protocol and the plan it follows, given with
plan's own flags (patient, calendar, sessions): its session must be the one
the series is at, and what was given is compared with the plan's values for
that session. A dose, pump rate, duration, count or level that differs from
the plan's is recorded as given and flagged in the output, never silently;
so are vitals that meet one of the protocol's gates. Nothing is written when
the entry is refused.

--when takes the clinic's wall clock, "2025-03-03 09:05" in --tz, or an RFC
3339 instant; --stamp records when the entry was written (an RFC 3339 time, or
"now" to read the clock).`,
		examples: []string{
			`doseplan record --record mrn-1234.yaml --patient MRN-1234 --protocol example:iv-ketamine-trd --session 1 --outcome done --when "2025-03-03 09:05" --dose 40mg --pump-rate 156mL/h --duration 40min --vitals "bp=132/84 hr=72 spo2=98" --by "RN Lee" --weight 80kg --height 175cm --sex male --age 45 --start 2025-03-03 --tz America/New_York --open mon-fri --at 09:00`,
			`doseplan record --record mrn-1234.yaml --patient MRN-1234 --protocol example:iv-ketamine-trd --session 2 --outcome missed --date 2025-03-05 --notes "flu" --by "RN Lee" --weight 80kg --height 175cm --sex male --age 45 --start 2025-03-03 --tz America/New_York --open mon-fri --at 09:00`,
		},
		exits: "0 the entry was added (deviations from the plan are flagged, not refused); 1 the entry, the record or the protocol was refused, or the file could not be read or written: nothing is written; 2 usage error",
		steps: func() steps { return typed[recordRequest, recordResponse]{new(recordCmd)} },
	}
}

// recordCmd is "doseplan record": its flags, and its steps.
type recordCmd struct {
	protocol, file, patient       *string
	session, corrects, level      *int
	outcome                       *string
	when, to, date                *string
	dose, pumpRate, duration      *units.Quantity
	count, weight                 *units.Quantity
	vitals, reason, notes, by, at *string
	series                        *seriesFlags
	asJSON                        *bool
}

// recordRequest is a record command line, read.
type recordRequest struct {
	Output
	Protocol string
	File     string // --record
	Patient  string // --patient
	Entry    schedule.RecordEntry
	Stamp    *stamp // --stamp, when given
	Series   seriesInput
	Vitals   error // readings that were read but cannot be ones (bp=400/20)
}

// recordResponse is the record as it will be written, and what the entry
// means against the plan.
type recordResponse struct {
	doc     []byte // the whole record, the entry appended
	old     []byte // the record as read; nil when created
	created bool
	out     recordDoc
}

// recordDoc is the JSON document of "doseplan record" (doseplan/record/v1).
type recordDoc struct {
	Schema   string                 `json:"schema"`
	Notice   string                 `json:"notice"`
	File     string                 `json:"file"`
	Created  bool                   `json:"created"`
	Patient  string                 `json:"patient"`
	Protocol schedule.RecordOrigin  `json:"protocol"`
	Entry    schedule.RecordEntry   `json:"entry"`
	Flagged  bool                   `json:"flagged"`
	Deviate  []schedule.Deviation   `json:"deviations"`
	Gates    *schedule.VitalsCheck  `json:"vitals_check,omitempty"`
	From     schedule.Date          `json:"replanned_from"`
	Next     *schedule.SessionState `json:"next_session,omitempty"`
	Stopped  *schedule.Event        `json:"stopped,omitempty"`
}

// outcomeFlags are the flags each outcome takes besides --session, --by,
// --notes and --stamp, in the order the help gives them.
var outcomeFlags = map[schedule.EventKind][]string{
	schedule.Done:           {"when", "dose", "pump-rate", "duration", "count", "level", "measured-weight", "vitals", "reason"},
	schedule.Missed:         {"date", "vitals", "reason"},
	schedule.Delayed:        {"to", "reason"},
	schedule.Stopped:        {"when", "date", "reason"},
	schedule.EnteredInError: {"reason"},
}

func (c *recordCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	f.heading("Record")
	c.file = f.str("record", "FILE", "the patient's record file (YAML): created with the first entry, then only ever added to")
	c.patient = f.str("patient", "REF", "the clinic's reference for the patient (a record number), as the record names them")
	c.session = f.integer("session", "N", "the session's number in the series (1 is the first; a missed session keeps its number)", 1, schedule.MaxSessions)
	c.outcome = f.str("outcome", "KIND", "what happened: done, missed, delayed, stopped, or entered_in_error (withdraws --corrects)")
	c.corrects = f.integer("corrects", "ID", "the entry this one corrects (it takes that entry's place); needs --reason", 1, 1<<20)
	c.by = f.str("by", "NAME", "who records the entry")
	c.reason = f.str("reason", "TEXT", "why: required for stopped and for a correction")
	c.notes = f.str("notes", "TEXT", "free text for people")
	c.at = f.str("stamp", "TIME", `when the entry is written: an RFC 3339 time such as 2025-03-03T10:30:00-05:00, or "now"`)
	f.require("record", "patient", "outcome", "by")
	f.heading("Outcome")
	c.when = f.str("when", "TIME", `done: the start of administration; stopped: when it stopped. "2025-03-03 09:05" on the clinic's clock (--tz) or 2025-03-03T09:05:00-05:00`)
	c.date = f.str("date", "YYYY-MM-DD", "missed: the day the session was due; stopped: the day")
	c.to = f.str("to", "YYYY-MM-DD", "delayed: the day the session moves to")
	c.dose = f.quantity("dose", "D", "done: the dose given, in mg or mcg", orderKind("dose"))
	c.pumpRate = f.quantity("pump-rate", "R", "done: the pump rate programmed: 156mL/h", orderKind("pump_rate"))
	c.duration = f.quantity("duration", "T", "done: how long the infusion ran: 40min", kDuration())
	c.count = f.quantity("count", "N", `done: the dose forms given: "3 devices"`, orderKind("count"))
	c.level = f.integer("level-given", "N", "done: the titration level given (1 is the first), a clinician's decision", 1, 1000)
	c.weight = f.quantity("measured-weight", "W", "done: the weight measured at the session (for a protocol dosing on the session-day weight)", kWeight())
	c.vitals = f.str("vitals", "READINGS", `the readings taken before the session: "bp=132/84 hr=72 spo2=98" (mmHg, /min, %)`)
	c.series = f.seriesFlags()
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/record/v1) instead of text")
}

func (c *recordCmd) parse(f *flagSet, args []string) recordRequest {
	r := recordRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, File: *c.file, Patient: strings.TrimSpace(*c.patient)}
	if r.File == "-" {
		f.bad("record", r.File, "must name a file: a record is read, then added to (standard input and output cannot be)")
	}
	r.Series = c.series.input(f)
	kind := schedule.EventKind(*c.outcome)
	uses, known := outcomeFlags[kind]
	if *c.outcome != "" && !known {
		f.bad("outcome", *c.outcome, "is not an outcome (write done, missed, delayed, stopped or entered_in_error)")
	}
	e := schedule.RecordEntry{Outcome: kind, Session: *c.session, Corrects: *c.corrects, RecordedBy: *c.by, Reason: *c.reason, Notes: *c.notes}
	if known {
		var extra []string
		for _, name := range []string{"when", "date", "to", "dose", "pump-rate", "duration", "count", "level-given", "measured-weight", "vitals", "reason"} {
			if !f.given(name) || name == "reason" && *c.corrects > 0 {
				continue
			}
			if !contains(uses, name) && !(name == "level-given" && contains(uses, "level")) {
				extra = append(extra, "--"+name)
			}
		}
		if len(extra) > 0 {
			f.errs = append(f.errs, fmt.Sprintf("--outcome %s does not take %s (it takes %s)", kind, strings.Join(extra, ", "), flagList(uses)))
		}
		if kind != schedule.Stopped && kind != schedule.EnteredInError && !f.given("session") {
			f.errs = append(f.errs, "--outcome "+string(kind)+" needs --session: the session's number in the series")
		}
		for _, need := range []struct {
			ok   bool
			what string
		}{
			{kind != schedule.Done || f.given("when"), "--when: when the administration started"},
			{kind != schedule.Done || f.given("dose"), "--dose: the dose given"},
			{kind != schedule.Delayed || f.given("to"), "--to: the day the session moves to"},
			{kind != schedule.Stopped || f.given("when") || f.given("date"), "--when or --date: when the treatment stopped"},
			{kind != schedule.Stopped && kind != schedule.EnteredInError && *c.corrects == 0 || f.given("reason"), "--reason: why"},
			{kind != schedule.EnteredInError || f.given("corrects"), "--corrects: the entry it withdraws"},
		} {
			if !need.ok {
				f.errs = append(f.errs, "--outcome "+string(kind)+" needs "+need.what)
			}
		}
		if (kind == schedule.Stopped || kind == schedule.EnteredInError) && f.given("session") {
			f.errs = append(f.errs, "--outcome "+string(kind)+" does not take --session (a stop ends the series; an infusion stopped early is a done session with the dose actually given)")
		}
	}
	e.At = instantFlag(f, "when", *c.when, r.Series.Calendar.Zone)
	e.Date = dateFlag(f, "date", *c.date)
	e.To = dateFlag(f, "to", *c.to)
	if f.given("dose") || f.given("pump-rate") || f.given("duration") || f.given("count") || f.given("level-given") {
		e.Given = &schedule.Given{Dose: *c.dose, PumpRate: *c.pumpRate, Duration: *c.duration, Count: *c.count, Level: *c.level}
	}
	e.Weight = *c.weight
	if f.given("vitals") {
		v, err := schedule.ParseVitals(*c.vitals)
		switch {
		case err != nil && onlyRange(err):
			r.Vitals = err // readings that cannot be: the input's error, not the command line's
		case err != nil:
			badVitals(f, err)
		}
		e.Vitals = &v
	}
	if f.given("stamp") {
		s := readStamp(f, *c.at)
		r.Stamp = &s
	}
	r.Entry = e
	noArgs(f, args)
	return r
}

// orderKind is the kind of quantity the order field name takes: what was
// given is of the same kinds as what is ordered.
func orderKind(name string) qkind {
	for _, of := range orderFlags() {
		if of.field.Name() == name {
			return of.kind
		}
	}
	panic("cli: no order field " + name) // a programming error: the names are constants here
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func flagList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		if n == "level" {
			n = "level-given"
		}
		out[i] = "--" + n
	}
	return strings.Join(out, ", ")
}

func dateFlag(f *flagSet, name, s string) schedule.Date {
	if s == "" {
		return schedule.Date{}
	}
	d, msg := readDate(s)
	if msg != "" {
		f.bad(name, s, msg)
	}
	return d
}

func (c *recordCmd) run(e *Env, r recordRequest) (recordResponse, error) {
	if r.Vitals != nil {
		return recordResponse{}, r.Vitals
	}
	p, err := e.loadProtocol(r.Protocol)
	if err != nil {
		return recordResponse{}, err
	}
	if r.Stamp != nil {
		r.Entry.RecordedAt = r.Stamp.time(e)
	}
	doc, created, err := e.readRecord(r.File, r.Patient, p)
	if err != nil {
		return recordResponse{}, err
	}
	old, err := schedule.LoadRecord(doc)
	if err != nil {
		return recordResponse{}, fmt.Errorf("record %q: %w", r.File, err)
	}
	pl, err := r.Series.plan(p)
	if err != nil {
		return recordResponse{}, err
	}
	loc, err := time.LoadLocation(pl.Calendar.Zone) // the calendar loaded it already
	if err != nil {
		return recordResponse{}, err
	}
	before := pl // the plan the session was given from: before this entry
	if len(old.Entries) > 0 {
		if before, err = pl.ReplanRecord(old, recordedThrough(old, pl.Start, loc)); err != nil {
			return recordResponse{}, fmt.Errorf("record %q: %w", r.File, err)
		}
	}
	next, err := schedule.AppendEntry(doc, r.Entry)
	if err != nil {
		return recordResponse{}, entryError(err, len(old.Entries))
	}
	rec, err := schedule.LoadRecord(next)
	if err != nil {
		return recordResponse{}, entryError(err, len(old.Entries))
	}
	entry := rec.Entries[len(rec.Entries)-1]
	from := recordedThrough(rec, pl.Start, loc)
	after, err := pl.ReplanRecord(rec, from)
	if err != nil {
		return recordResponse{}, entryError(err, len(old.Entries))
	}
	devs, err := before.Deviations(entry)
	if err != nil {
		return recordResponse{}, entryError(err, len(old.Entries))
	}
	out := recordDoc{Schema: schemaName("record"), Notice: dosing.Notice, File: r.File, Created: created, Patient: rec.Patient,
		Protocol: rec.Protocol, Entry: entry, Deviate: devs, From: from, Stopped: after.Stopped}
	if out.Deviate == nil {
		out.Deviate = []schedule.Deviation{}
	}
	if entry.Vitals != nil && p.Vitals != nil {
		vc, err := p.Vitals.Check(*entry.Vitals)
		if err != nil {
			return recordResponse{}, entryError(err, len(old.Entries))
		}
		out.Gates = &vc
	}
	out.Flagged = len(out.Deviate) > 0 || out.Gates != nil && out.Gates.Decision != schedule.Proceed && entry.Outcome == schedule.Done
	for _, s := range after.Sessions {
		if !s.Done {
			st := s.State()
			out.Next = &st
			break
		}
	}
	resp := recordResponse{doc: next, created: created, out: out}
	if !created {
		resp.old = doc
	}
	return resp, nil
}

// readRecord reads the record file, or starts one when there is none yet.
// An existing record must be about the patient --patient names and follow
// the protocol given.
func (e *Env) readRecord(name, patient string, p *schedule.Protocol) ([]byte, bool, error) {
	b, err := e.readFile("record", name, schedule.MaxDocumentBytes)
	if errors.Is(err, fs.ErrNotExist) {
		doc, err := schedule.NewRecord(patient, p).Encode()
		return doc, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("record %q: %w", name, unwrapPath(err))
	}
	rec, err := schedule.LoadRecord(b)
	if err != nil {
		return nil, false, fmt.Errorf("record %q: %w", name, err)
	}
	if rec.Patient != patient {
		return nil, false, fmt.Errorf("record %q is about patient %q, not %q (--patient): is it the right file?", name, rec.Patient, patient)
	}
	if err := rec.Check(p); err != nil {
		return nil, false, fmt.Errorf("record %q: %w", name, err)
	}
	return b, false, nil
}

// recordedThrough is the first day the record leaves to plan: the day
// after the last day it records a session on (done, missed) or the stop,
// and the series' start when it records none.
func recordedThrough(rec *schedule.Record, start schedule.Date, loc *time.Location) schedule.Date {
	from := start
	later := func(d schedule.Date) {
		if d = d.AddDays(1); d.After(from) {
			from = d
		}
	}
	for _, e := range rec.Effective() {
		switch {
		case !e.At.IsZero():
			later(schedule.DateOf(e.At.In(loc)))
		case !e.Date.IsZero():
			later(e.Date)
		}
	}
	return from
}

// entryError names the flags behind the problems of the new entry (index
// n of the record) where the library names its fields.
func entryError(err error, n int) error {
	prefix := fmt.Sprintf("entries[%d]", n)
	var out []error
	for _, l := range leaves(err) {
		var fe *schedule.FieldError
		if errors.As(l.err, &fe) && (fe.Field == prefix || strings.HasPrefix(fe.Field, prefix+".")) {
			field := strings.TrimPrefix(strings.TrimPrefix(fe.Field, prefix), ".")
			out = append(out, entryFlagError{fe: fe, flag: entryFlag(field)})
			continue
		}
		out = append(out, l.err)
	}
	return errors.Join(out...)
}

// entryFlagError is a problem of the entry being recorded, said in the
// command line's terms: the flag, then the library's message.
type entryFlagError struct {
	fe   *schedule.FieldError
	flag string
}

func (e entryFlagError) Error() string {
	s := e.flag + ": "
	if e.fe.Value != "" {
		s += fmt.Sprintf("%q ", e.fe.Value)
	}
	return s + e.fe.Msg
}

func (e entryFlagError) Unwrap() error { return e.fe }

// entryFlag is the flag that sets a field of a record entry.
func entryFlag(field string) string {
	switch {
	case strings.HasPrefix(field, "vitals"):
		return "--vitals"
	case field == "":
		return "the entry"
	}
	return map[string]string{
		"id": "the entry's number", "corrects": "--corrects", "session": "--session", "outcome": "--outcome",
		"at": "--when", "date": "--date", "to": "--to", "given": "--dose", "given.dose": "--dose",
		"given.level": "--level-given", "given.pump_rate": "--pump-rate", "given.duration": "--duration",
		"given.count": "--count", "weight": "--measured-weight", "reason": "--reason", "notes": "--notes",
		"recorded_by": "--by", "recorded_at": "--stamp",
	}[field]
}

func (c *recordCmd) render(e *Env, r recordRequest, resp recordResponse) int {
	if err := e.writeRecord(r.File, resp.old, resp.doc); err != nil {
		return e.failWith("record", r.JSON, err)
	}
	doc := resp.out
	if code := e.output(r.JSON, doc, func(w io.Writer) error { return writeRecordText(w, doc) }); code != exitOK {
		return code
	}
	for _, d := range doc.Deviate {
		fmt.Fprintf(e.Stderr, "doseplan: note: session %d: %s (recorded as given)\n", d.Session, d.Detail)
	}
	if g := doc.Gates; g != nil && g.Decision != schedule.Proceed && doc.Entry.Outcome == schedule.Done {
		fmt.Fprintf(e.Stderr, "doseplan: note: session %d was given with vitals that meet a %s gate\n", doc.Entry.Session, g.Decision)
	}
	return exitOK
}

// writeRecord writes the whole record, its old bytes unchanged and the
// entry after them, through the Env: all or nothing. The record is the
// one file doseplan writes over, and only by adding to it: a new record is
// created where nothing is; an existing one is replaced only by bytes that
// begin with all of its own, and only if it still holds exactly what was
// read (WriteRules.Extends), so an entry another run added meanwhile is
// never lost; never a link, a device or a directory; never a file the run
// read besides the record itself (its protocol).
func (e *Env) writeRecord(name string, old, doc []byte) error {
	if old != nil && !bytes.HasPrefix(doc, old) {
		// AppendEntry only appends; a record that does not begin with the
		// old one would lose what was written.
		return fmt.Errorf("record %q: the new record does not begin with the old one (a defect of doseplan): nothing is written", name)
	}
	return e.writeFile("record", name, WriteRules{Extends: old, Inputs: e.inputs.all("record")}, writeBytes(doc))
}

func writeRecordText(w io.Writer, d recordDoc) error {
	var b strings.Builder
	created := ""
	if d.Created {
		created = " (a new record)"
	}
	en := d.Entry
	fmt.Fprintf(&b, "RECORDED in %s%s: entry %d for patient %s\n", d.File, created, en.ID, d.Patient)
	fmt.Fprintf(&b, "Protocol SHA-256: %s\n\n", d.Protocol.SHA256)
	what := string(en.Outcome)
	switch en.Outcome {
	case schedule.Done:
		what = "done at " + clock(en.At)
	case schedule.Missed:
		if !en.Date.IsZero() {
			what += " on " + en.Date.String()
		}
	case schedule.Delayed:
		what += " to " + en.To.String()
	case schedule.Stopped:
		what = "Treatment stopped"
		if !en.At.IsZero() {
			what += " at " + clock(en.At)
		} else {
			what += " on " + en.Date.String()
		}
	case schedule.EnteredInError:
		what = "entry " + fmt.Sprint(en.Corrects) + " withdrawn (entered in error)"
	}
	subject := fmt.Sprintf("Session %d: ", en.Session)
	if en.Session == 0 {
		subject = ""
	}
	if en.Corrects > 0 && en.Outcome != schedule.EnteredInError {
		subject = fmt.Sprintf("Correction of entry %d: %s", en.Corrects, strings.ToLower(subject))
	}
	fmt.Fprintf(&b, "%s%s, recorded by %s\n", subject, what, en.RecordedBy)
	if g := en.Given; g != nil {
		var parts []string
		for _, q := range []units.Quantity{g.Dose, g.PumpRate, g.Duration, g.Count} {
			if q.IsValid() {
				parts = append(parts, q.String())
			}
		}
		if g.Level > 0 {
			parts = append(parts, fmt.Sprintf("level %d", g.Level))
		}
		fmt.Fprintf(&b, "  given:   %s\n", strings.Join(parts, ", "))
	}
	if en.Weight.IsValid() {
		fmt.Fprintf(&b, "  weight:  %s\n", en.Weight)
	}
	if v := en.Vitals; v != nil {
		line := vitalsText(*v)
		if d.Gates != nil {
			line += " (the protocol's gates: " + d.Gates.Decision.String() + ")"
		}
		fmt.Fprintf(&b, "  vitals:  %s\n", line)
		if d.Gates != nil {
			for _, f := range d.Gates.Findings {
				fmt.Fprintf(&b, "           %s: %s\n", f.Level, f.Detail)
			}
		}
	}
	if en.Reason != "" {
		fmt.Fprintf(&b, "  reason:  %s\n", en.Reason)
	}
	if en.Notes != "" {
		fmt.Fprintf(&b, "  notes:   %s\n", strings.ReplaceAll(en.Notes, "\n", "\n           "))
	}
	b.WriteString("\n")
	switch {
	case len(d.Deviate) > 0 || d.Flagged:
		b.WriteString("FLAGGED (recorded as given; the plan differs):\n")
		for _, dv := range d.Deviate {
			fmt.Fprintf(&b, "  - %s\n", dv.Detail)
		}
		if g := d.Gates; g != nil && g.Decision != schedule.Proceed && en.Outcome == schedule.Done {
			fmt.Fprintf(&b, "  - the session was given with vitals that meet a %s gate\n", g.Decision)
		}
	case en.Outcome == schedule.Done && en.Given != nil:
		b.WriteString("As planned: what was given is the plan's for the session.\n")
	}
	switch {
	case d.Stopped != nil:
		b.WriteString("Nothing more is planned: the treatment stopped.\n")
	case d.Next != nil:
		n := d.Next
		dose := n.Dose.String()
		if n.Proposed {
			dose += " (proposed)"
		}
		fmt.Fprintf(&b, "Next: session %d (%s %d/%d) on %s %s at %s, %s; the plan replanned from %s\n",
			n.Index, n.Phase, n.Number, n.Of, n.Date.Weekday().String()[:3], n.Date, n.Start.Format("15:04"), dose, d.From)
	default:
		b.WriteString("The series has no session left to plan.\n")
	}
	b.WriteString("\n" + dosing.Notice + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// clock writes an instant as the record holds it, with its offset:
// "2025-03-03 09:05 (UTC-05:00)".
func clock(t time.Time) string {
	return t.Format("2006-01-02 15:04") + " (UTC" + t.Format("-07:00") + ")"
}

// vitalsText writes readings for people: "132/84 mmHg, heart rate 72 /min,
// SpO2 98 %".
func vitalsText(v schedule.Vitals) string {
	var parts []string
	switch {
	case v.Systolic.IsValid() && v.Diastolic.IsValid():
		parts = append(parts, "blood pressure "+v.Systolic.Value().String()+"/"+v.Diastolic.String())
	case v.Systolic.IsValid():
		parts = append(parts, "systolic "+v.Systolic.String())
	case v.Diastolic.IsValid():
		parts = append(parts, "diastolic "+v.Diastolic.String())
	}
	if v.HeartRate.IsValid() {
		parts = append(parts, "heart rate "+v.HeartRate.String())
	}
	if v.SpO2.IsValid() {
		parts = append(parts, "SpO2 "+v.SpO2.String())
	}
	return strings.Join(parts, ", ")
}

// unwrapPath drops the *fs.PathError around a file error (the message
// names the file already) and says a missing file in the same words on
// every system: the system's own text differs ("No such file or directory"
// under Node.js, where the browser calculator's code is tested; "The system
// cannot find the file specified." on Windows), so a missing file is
// recognised with errors.Is, and its error still matches fs.ErrNotExist.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &fileError{err, "no such file or directory"}
	}
	return err
}
