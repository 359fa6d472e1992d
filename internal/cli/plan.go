package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/fhir"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func planCommand() command {
	return command{
		name:     "plan",
		summary:  "the series of sessions on the clinic's calendar, with each session's dose",
		synopsis: "doseplan plan --protocol P --weight W --start YYYY-MM-DD --tz ZONE --open DAYS --at HH:MM [--closed DATE]... [--ics FILE --plan-id ID --stamp TIME] [--fhir FILE --stamp TIME [--fhir-patient REF]] [--json]",
		about: `Lays out the protocol's series of sessions on the clinic's calendar from the
start date (the first session's day) and works out each session's dose, pump
settings and timeline. Sessions keep every constraint of the protocol
(minimum interval, sessions per 7 days, cumulative caps); a session that
falls on a closed day moves to the next day that keeps them all, and says
why. Titration above the first level is proposed, never automatic.

The calendar is the clinic's, not the protocol's, so it is always given:
--tz, --open (the weekdays the clinic runs sessions; the protocol's phases
must fall on them) and --at (the session start time, local wall clock; the
earliest that keeps every constraint is used). Nothing is derived from the
machine's clock or time zone.

--ics writes the sessions as an iCalendar file: one event per session, from
its arrival (the start of the pre-checks) to its own earliest discharge, in
the clinic's time zone (a time the clocks show twice, on the night they fall
back, is written in UTC). It needs --plan-id (a patient or order reference;
event UIDs are derived from it, so exporting the plan again updates the
events instead of duplicating them) and --stamp, the DTSTAMP of the events:
an RFC 3339 time (2025-03-01T12:00:00Z), or "now" to read the clock.
Acknowledgements (--ack) apply to every session.

--fhir writes the plan for an EHR as a FHIR R4 Bundle: a MedicationRequest
(draft proposal) per phase and titration level, proposed escalations apart and
marked, an Appointment per session, a CarePlan linking them with the timed
checks, and a Provenance naming the protocol and its SHA-256. It needs
--stamp; --plan-id, when given, makes the resource ids the patient's own.

` + filesAbout("--ics or --fhir", true) + "\n\n" + exportsAbout,
		examples: []string{
			"doseplan plan --protocol example:iv-ketamine-trd --weight 80kg --height 175cm --sex male --age 45 --start 2025-03-03 --tz America/New_York --open mon-fri --at 09:00 --closed \"2025-04-18=Good Friday\"",
			"doseplan plan --protocol example:esketamine-nasal --weight 70kg --age 38 --start 2025-03-03 --tz Europe/Berlin --open mon,thu --at 10:00 --ics plan.ics --plan-id MRN-1234 --stamp now",
		},
		exits: "0 done; 1 input, protocol or file error; 2 usage error; 3 a session refused by a hard limit; 4 review warnings not acknowledged",
		steps: func() steps { return typed[planRequest, planResponse]{new(planCmd)} },
	}
}

// planCmd is "doseplan plan": its flags, and its steps.
type planCmd struct {
	protocol           *string
	series             *seriesFlags
	worksheets         *[]string
	ics, planID, stamp *string
	asJSON, force      *bool
	fhir               fhirFlags
}

// planRequest is a plan command line, read.
type planRequest struct {
	Output
	Protocol   string
	Patient    dosing.Patient
	Start      schedule.Date
	Calendar   schedule.CalendarConfig
	Options    schedule.PlanOptions // acknowledgements, --level, --session-weight
	Worksheets []int                // sessions whose worksheet follows the table
	ICS        string               // --ics FILE; "" for none
	PlanID     string               // with --ics or --fhir
	Stamp      stamp                // with --ics or --fhir
	FHIR       fhirExport
	Force      bool // --force
}

// planResponse is the plan, and what render writes of it.
type planResponse struct {
	doc      planDoc
	sessions []schedule.Session // the --worksheet sessions
	warnings []dosing.Warning   // every session's
	stamp    time.Time          // of the exports
	fhir     []byte
}

func (c *planCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	c.series = f.seriesFlags()
	f.heading("Output")
	c.worksheets = f.list("worksheet", "S", "also print the checklist of session S (each step of its day, in time order) and its dose worksheet after the table; repeatable or comma-separated", true)
	c.ics = f.str("ics", "FILE", "also write the sessions to FILE as iCalendar (RFC 5545)")
	c.planID = f.str("plan-id", "ID", "with --ics or --fhir: the plan's reference (e.g. the patient's record number); event UIDs and resource ids are derived from it")
	c.stamp = f.str("stamp", "TIME", `with --ics or --fhir: DTSTAMP and the export's time, an RFC 3339 time such as 2025-03-01T12:00:00Z, or "now"`)
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/plan/v1) instead of the table")
	c.fhir = f.fhirFlags("the plan", "table")
	c.force = f.forceFlag("ics", "fhir")
}

func (c *planCmd) parse(f *flagSet, args []string) planRequest {
	r := planRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, ICS: *c.ics, PlanID: *c.planID, Force: *c.force}
	in := c.series.input(f)
	r.Patient, r.Start, r.Calendar, r.Options = in.Patient, in.Start, in.Calendar, in.Options
	r.FHIR = c.fhir.export()
	r.FHIR.check(f)
	checkFiles(f, r.JSON, outFile{flag: "ics", name: r.ICS}, outFile{flag: "fhir", name: r.FHIR.File})
	r.Stamp = exportStamp(f, r.ICS, r.FHIR, *c.stamp)
	for _, s := range *c.worksheets {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			f.bad("worksheet", s, "is not a session number (1 is the first session)")
			continue
		}
		r.Worksheets = append(r.Worksheets, n)
	}
	noArgs(f, args)
	return r
}

// exportStamp reads --stamp and checks --plan-id, which the iCalendar and
// FHIR exports need (--ics both, --fhir the stamp) and nothing else uses.
func exportStamp(f *flagSet, ics string, x fhirExport, s string) stamp {
	if ics == "" && x.File == "" {
		for _, n := range []string{"plan-id", "stamp"} {
			if f.given(n) {
				f.errs = append(f.errs, "--"+n+" is only used with --ics or --fhir")
			}
		}
		return stamp{}
	}
	if ics != "" && !f.given("plan-id") {
		f.errs = append(f.errs, "--ics needs --plan-id: a reference for the plan (event UIDs are derived from it)")
	}
	switch {
	case !f.given("stamp") && ics != "":
		f.errs = append(f.errs, `--ics needs --stamp: the DTSTAMP of the events, an RFC 3339 time (2025-03-01T12:00:00Z) or "now"`)
	case !f.given("stamp"):
		f.errs = append(f.errs, fhirNeedsStamp)
	default:
		return readStamp(f, s)
	}
	return stamp{}
}

func (c *planCmd) run(e *Env, r planRequest) (planResponse, error) {
	p, err := e.loadProtocol(r.Protocol)
	if err != nil {
		return planResponse{}, err
	}
	pl, err := seriesInput{Patient: r.Patient, Start: r.Start, Calendar: r.Calendar, Options: r.Options}.plan(p)
	if err != nil {
		return planResponse{}, err
	}
	out := planResponse{stamp: r.Stamp.time(e)}
	for _, s := range pl.Sessions {
		out.warnings = append(out.warnings, s.Dose.Warnings...)
	}
	for _, n := range r.Worksheets {
		s, ok := sessionAt(pl, n)
		if !ok {
			return planResponse{}, fmt.Errorf("--worksheet %d: the plan has no session %d (sessions 1 to %d)", n, n, len(pl.Sessions))
		}
		out.sessions = append(out.sessions, s)
	}
	out.doc = planDoc{Schema: schemaName("plan"), Notice: dosing.Notice, NeedsReview: pl.NeedReview > 0,
		UnmatchedAcks: unmatchedAcks(r.Options.Acks, out.warnings), Plan: pl}
	if r.ICS != "" {
		out.doc.ICS = &icsDoc{File: r.ICS, Events: len(pl.Sessions), PlanID: r.PlanID, Stamp: out.stamp.UTC()}
	}
	if r.FHIR.File != "" {
		out.fhir, err = fhir.Plan(pl, p, r.FHIR.options(out.stamp, r.PlanID))
	}
	return out, err
}

func (c *planCmd) render(e *Env, r planRequest, resp planResponse) int {
	doc, pl := resp.doc, resp.doc.Plan
	var files []outFile
	if r.ICS != "" {
		files = append(files, icsFile(r.ICS, pl, r.PlanID, resp.stamp))
	}
	if r.FHIR.File != "" {
		files = append(files, r.FHIR.file(resp.fhir))
	}
	stdout := onStdout(files...) // then the file is the output, not the table
	if files = e.heldForReview(len(openReviews(pl)), "the plan", files); files == nil {
		doc.ICS = nil
	}
	if err := e.writeFiles(r.Force, files...); err != nil {
		return e.failWith("plan", r.JSON, err)
	}
	if !stdout {
		if code := e.output(r.JSON, doc, func(w io.Writer) error { return writePlan(w, pl, resp.sessions) }); code != exitOK {
			return code
		}
	}
	e.noteWritten(files...)
	e.noteUnmatched(doc.UnmatchedAcks, resp.warnings)
	return e.reportOpenReviews(pl)
}

// writePlan writes the plan's table, then for each --worksheet session its
// checklist, for the nurse, and its dose worksheet, for the pharmacist.
func writePlan(w io.Writer, pl *schedule.SessionPlan, sessions []schedule.Session) error {
	if err := pl.WriteTable(w); err != nil {
		return err
	}
	for _, s := range sessions {
		fmt.Fprintf(w, "\n\nSESSION %d: %s %d of %d, %s %s at %s\n\n", s.Index, s.Phase, s.Number, s.Of,
			s.Date.Weekday().String()[:3], s.Date, s.Start.Format("15:04"))
		if err := pl.WriteChecklist(w, s.Index); err != nil {
			return err
		}
		fmt.Fprintln(w)
		for _, wn := range s.Warnings {
			fmt.Fprintf(w, "- %s\n", wn)
		}
		if len(s.Warnings) > 0 {
			fmt.Fprintln(w)
		}
		if err := s.Dose.WriteWorksheet(w); err != nil {
			return err
		}
	}
	return nil
}

// sessionAt returns the session at series position n.
func sessionAt(pl *schedule.SessionPlan, n int) (schedule.Session, bool) {
	for _, s := range pl.Sessions {
		if s.Index == n {
			return s, true
		}
	}
	return schedule.Session{}, false
}

// planDoc is the JSON document of "doseplan plan" (doseplan/plan/v1).
type planDoc struct {
	Schema        string                `json:"schema"`
	Notice        string                `json:"notice"`
	NeedsReview   bool                  `json:"needs_review"`
	UnmatchedAcks []string              `json:"unmatched_acks,omitempty"`
	ICS           *icsDoc               `json:"ics,omitempty"`
	Plan          *schedule.SessionPlan `json:"plan"`
}

// icsDoc says what --ics wrote.
type icsDoc struct {
	File   string    `json:"file"`
	Events int       `json:"events"`
	PlanID string    `json:"plan_id"`
	Stamp  time.Time `json:"stamp"`
}

// weekdayOrder is Monday first, as clinics write weeks.
func weekdayOrder() [7]schedule.Weekday {
	return [7]schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday,
		schedule.Friday, schedule.Saturday, schedule.Sunday}
}

// readWeekdays reads --open values: days ("mon") and ranges ("mon-fri").
func readWeekdays(f *flagSet, vals []string) []schedule.Weekday {
	var out []schedule.Weekday
	has := map[schedule.Weekday]bool{}
	add := func(w schedule.Weekday) {
		if !has[w] {
			has[w] = true
			out = append(out, w)
		}
	}
	for _, v := range vals {
		from, to, isRange := strings.Cut(v, "-")
		a, errA := schedule.ParseWeekday(strings.TrimSpace(from))
		b, errB := a, error(nil)
		if isRange {
			b, errB = schedule.ParseWeekday(strings.TrimSpace(to))
		}
		if errA != nil || errB != nil {
			f.bad("open", v, "is not a weekday or a range of weekdays (write mon,wed,fri or mon-fri)")
			continue
		}
		week := weekdayOrder()
		i := indexOf(a)
		for {
			add(week[i])
			if week[i] == b {
				break
			}
			i = (i + 1) % 7
		}
	}
	return out
}

func indexOf(w schedule.Weekday) int {
	for i, x := range weekdayOrder() {
		if x == w {
			return i
		}
	}
	return 0
}

// readClosure reads --closed DATE[..DATE][=NAME].
func readClosure(f *flagSet, s string) (schedule.Closure, bool) {
	days, name, _ := strings.Cut(s, "=")
	from, through, isRange := strings.Cut(strings.TrimSpace(days), "..")
	var c schedule.Closure
	var msg string
	c.Date, msg = readDate(strings.TrimSpace(from))
	if msg == "" && isRange {
		c.Through, msg = readDate(strings.TrimSpace(through))
		if msg == "" && c.Through.Before(c.Date) {
			msg = "the range ends before it starts"
		}
	}
	if msg != "" {
		f.bad("closed", s, msg+` (write 2025-04-18, 2025-12-24..2026-01-01, or add a name: 2025-04-18=Good Friday)`)
		return c, false
	}
	c.Name = strings.TrimSpace(name)
	return c, true
}

// readSessionInts reads S=N pairs (1-based levels become 0-based).
func readSessionInts(f *flagSet, name string, vals []string) map[int]int {
	if len(vals) == 0 {
		return nil
	}
	out := map[int]int{}
	for _, v := range vals {
		s, n, ok := strings.Cut(v, "=")
		si, err1 := strconv.Atoi(strings.TrimSpace(s))
		ni, err2 := strconv.Atoi(strings.TrimSpace(n))
		if !ok || err1 != nil || err2 != nil || si < 1 || ni < 1 {
			f.bad(name, v, "write SESSION=LEVEL with whole numbers from 1, e.g. 4=2 (session 4 at level 2)")
			continue
		}
		if _, dup := out[si]; dup {
			f.bad(name, v, "session "+strconv.Itoa(si)+" is given twice")
			continue
		}
		out[si] = ni - 1
	}
	return out
}

// readSessionWeights reads S=WEIGHT pairs.
func readSessionWeights(f *flagSet, vals []string) map[int]units.Quantity {
	if len(vals) == 0 {
		return nil
	}
	out := map[int]units.Quantity{}
	for _, v := range vals {
		s, w, ok := strings.Cut(v, "=")
		si, err := strconv.Atoi(strings.TrimSpace(s))
		if !ok || err != nil || si < 1 {
			f.bad("session-weight", v, "write SESSION=WEIGHT, e.g. 3=81kg")
			continue
		}
		q, msg := readQuantity(strings.TrimSpace(w), kWeight())
		if msg == "" && !kWeight().accepts(q.Dimension()) {
			msg = "is not a body weight (write e.g. 3=81kg)"
		}
		if msg != "" {
			f.bad("session-weight", v, msg)
			continue
		}
		if _, dup := out[si]; dup {
			f.bad("session-weight", v, "session "+strconv.Itoa(si)+" is given twice")
			continue
		}
		out[si] = q
	}
	return out
}

// checkSessionOptions refuses --level and --session-weight values the
// protocol cannot use, in the command line's terms (levels from 1).
func checkSessionOptions(p *schedule.Protocol, opt schedule.PlanOptions) error {
	var errs []string
	sessions := make([]int, 0, len(opt.Levels))
	for s := range opt.Levels {
		sessions = append(sessions, s)
	}
	sort.Ints(sessions)
	for _, s := range sessions {
		n := opt.Levels[s] + 1
		switch {
		case p.Titration == nil:
			errs = append(errs, fmt.Sprintf("--level %d=%d: the protocol has no titration ladder", s, n))
		case n > len(p.Titration.Steps):
			errs = append(errs, fmt.Sprintf("--level %d=%d: the protocol's titration ladder has %d levels", s, n, len(p.Titration.Steps)))
		}
	}
	if len(opt.SessionWeights) > 0 && p.Policy.Weight != schedule.SessionDayWeight {
		errs = append(errs, fmt.Sprintf("--session-weight: the protocol doses every session on the baseline weight (policy.weight: %s)", p.Policy.Weight))
	}
	if len(errs) == 0 {
		return nil
	}
	return lineErrors(errs)
}

// lineErrors is several error messages joined, one per line.
func lineErrors(msgs []string) error {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		errs[i] = plainError(m)
	}
	return errors.Join(errs...)
}

type plainError string

func (e plainError) Error() string { return string(e) }
