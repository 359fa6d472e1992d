package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

// seriesFlags are the flags that say which plan a command works on: the
// patient, the clinic's calendar, the choices made for sessions, and the
// acknowledgements. replan and record take the plan's own flags, so that
// a record is always read against the plan it follows.
type seriesFlags struct {
	patient *patientFlags
	start   *schedule.Date
	tz      *string
	open    *[]string
	at      *[]string
	closed  *[]string
	levels  *[]string
	weights *[]string
	acks    *ackFlags
}

// seriesFlags defines the patient, calendar and session flags of plan.
func (f *flagSet) seriesFlags() *seriesFlags {
	s := &seriesFlags{patient: f.patientFlags(", or the start date is used")}
	f.heading("Calendar")
	s.start = f.date("start", "the first session's day")
	s.tz = f.zone("tz", "the clinic's IANA time zone, e.g. America/New_York")
	s.open = f.list("open", "DAYS", "the weekdays the clinic runs sessions: mon,wed,fri or mon-fri", true)
	s.at = f.list("at", "HH:MM", "session start time on the 24-hour clock; repeatable or comma-separated for several", true)
	s.closed = f.list("closed", "DATE[..DATE][=NAME]", "a closed day or range of days, optionally named: 2025-04-18=Good Friday, 2025-12-24..2026-01-01; repeatable", false)
	f.require("start", "tz", "open", "at")
	f.heading("Sessions")
	s.levels = f.list("level", "S=N", "session S at titration level N (1 is the first), a clinician's choice; repeatable", false)
	s.weights = f.list("session-weight", "S=W", "the weight measured for session S, for protocols dosing on the session-day weight; repeatable", false)
	s.acks = f.ackFlags()
	return s
}

// seriesInput is the plan the flags describe: everything schedule.Plan
// needs but the protocol.
type seriesInput struct {
	Patient  dosing.Patient
	Start    schedule.Date
	Calendar schedule.CalendarConfig
	Options  schedule.PlanOptions
}

// input reads the flags, recording every usage error in f.
func (s *seriesFlags) input(f *flagSet) seriesInput {
	in := seriesInput{Start: *s.start, Calendar: schedule.CalendarConfig{Zone: *s.tz}}
	in.Patient, _ = s.patient.patient(f, *s.start)
	in.Calendar.Open = readWeekdays(f, *s.open)
	for _, v := range *s.at {
		t, err := schedule.ParseTimeOfDay(v)
		if err != nil {
			f.bad("at", v, "is not a time of day (write HH:MM on the 24-hour clock, e.g. 09:00)")
			continue
		}
		in.Calendar.Starts = append(in.Calendar.Starts, t)
	}
	for _, v := range *s.closed {
		if c, ok := readClosure(f, v); ok {
			in.Calendar.Closed = append(in.Calendar.Closed, c)
		}
	}
	in.Options = schedule.PlanOptions{Acks: s.acks.acks(f)}
	in.Options.Levels = readSessionInts(f, "level", *s.levels)
	in.Options.SessionWeights = readSessionWeights(f, *s.weights)
	return in
}

// plan plans the series of protocol p the input describes.
func (in seriesInput) plan(p *schedule.Protocol) (*schedule.SessionPlan, error) {
	if err := checkSessionOptions(p, in.Options); err != nil {
		return nil, err
	}
	cal, err := schedule.NewCalendar(in.Calendar)
	if err != nil {
		return nil, err
	}
	return schedule.Plan(p, in.Patient, in.Start, cal, in.Options)
}

// icsFlags are --ics, --plan-id, --stamp and --force, for a command that
// writes its sessions as an iCalendar file.
type icsFlags struct {
	file, planID, stamp *string
	force               *bool
}

func (f *flagSet) icsFlags() icsFlags {
	return icsFlags{
		file:   f.str("ics", "FILE", "also write the sessions to FILE as iCalendar (RFC 5545)"),
		planID: f.str("plan-id", "ID", "with --ics: the plan's reference (e.g. the patient's record number); event UIDs are derived from it"),
		stamp:  f.str("stamp", "TIME", `with --ics: DTSTAMP, an RFC 3339 time such as 2025-03-01T12:00:00Z, or "now"`),
		force:  f.forceFlag("ics"),
	}
}

// icsExport is the iCalendar export a command line asks for.
type icsExport struct {
	File   string // "" for none, "-" for standard output
	PlanID string
	Stamp  stamp
	Force  bool
}

// export reads the flags: --ics needs --plan-id and --stamp, which are
// only used with it.
func (x icsFlags) export(f *flagSet, asJSON bool) icsExport {
	out := icsExport{File: *x.file, PlanID: *x.planID, Force: *x.force}
	checkFiles(f, asJSON, outFile{flag: "ics", name: out.File})
	if out.File == "" {
		for _, n := range []string{"plan-id", "stamp"} {
			if f.given(n) {
				f.errs = append(f.errs, "--"+n+" is only used with --ics")
			}
		}
		return out
	}
	if !f.given("plan-id") {
		f.errs = append(f.errs, "--ics needs --plan-id: a reference for the plan (event UIDs are derived from it)")
	}
	if !f.given("stamp") {
		f.errs = append(f.errs, `--ics needs --stamp: the DTSTAMP of the events, an RFC 3339 time (2025-03-01T12:00:00Z) or "now"`)
		return out
	}
	out.Stamp = readStamp(f, *x.stamp)
	return out
}

// icsFile is --ics FILE: the plan's sessions as iCalendar events.
func icsFile(name string, pl *schedule.SessionPlan, planID string, stamp time.Time) outFile {
	return outFile{flag: "ics", name: name, wrote: plural(len(pl.Sessions), "event"),
		write: func(w io.Writer) error { return pl.WriteICal(w, planID, stamp) }}
}

// instantFlag reads a time as a clinic writes it: "2025-03-03 09:05" (or
// with a T) on the wall clock of zone, or an RFC 3339 instant with its
// offset. A wall-clock time the clocks skip, or show twice, is refused:
// it needs the offset.
func instantFlag(f *flagSet, name, s, zone string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	loc, err := time.LoadLocation(zone)
	if zone == "" || err != nil {
		f.bad(name, s, "is a wall-clock time, which needs --tz (or write an RFC 3339 instant such as 2025-03-03T09:05:00-05:00)")
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", strings.Replace(s, "T", " ", 1), loc)
	if err != nil {
		f.bad(name, s, `is not a time (write "2025-03-03 09:05" on the clinic's clock, or 2025-03-03T09:05:00-05:00)`)
		return time.Time{}
	}
	if _, off := t.Zone(); off%60 != 0 {
		f.bad(name, s, "is before "+zone+" kept standard time (its offset then had seconds); write an RFC 3339 instant")
		return time.Time{}
	}
	// time.ParseInLocation picks one reading of a time the clocks show
	// twice and moves one they skip: say so rather than guess.
	if t.Format("2006-01-02 15:04") != strings.Replace(s, "T", " ", 1) {
		f.bad(name, s, "does not exist in "+zone+" (the clocks skip it); write the instant with its offset")
		return time.Time{}
	}
	for _, other := range []time.Time{t.Add(time.Hour), t.Add(-time.Hour)} {
		if other.Format("2006-01-02 15:04") == t.Format("2006-01-02 15:04") {
			_, o1 := t.Zone()
			_, o2 := other.Zone()
			f.bad(name, s, "happens twice in "+zone+" (the clocks go back): write it with its offset, "+
				t.Format("2006-01-02T15:04:05")+offsetText(o1)+" or "+offsetText(o2))
			return time.Time{}
		}
	}
	return t
}

func offsetText(seconds int) string {
	return time.Unix(0, 0).In(time.FixedZone("", seconds)).Format("-07:00")
}

// openReview is a review warning not acknowledged, with the sessions still
// to come it concerns.
type openReview struct {
	w        dosing.Warning
	sessions []string
}

// openReviews are the unacknowledged review warnings of the sessions not
// done: a session done is a fact, and its warnings no longer call for a
// decision.
func openReviews(pl *schedule.SessionPlan) []*openReview {
	var out []*openReview
	byKey := map[string]*openReview{}
	for _, s := range pl.Sessions {
		if s.Done {
			continue
		}
		for _, w := range s.Dose.Unacknowledged() {
			o, ok := byKey[w.Key]
			if !ok {
				o = &openReview{w: w}
				byKey[w.Key] = o
				out = append(out, o)
			}
			o.sessions = append(o.sessions, strconv.Itoa(s.Index))
		}
	}
	return out
}

// reportOpenReviews lists each open review warning once on standard error
// and returns exitReview; exitOK when there are none.
func (e *Env) reportOpenReviews(pl *schedule.SessionPlan) int {
	open := openReviews(pl)
	for _, o := range open {
		where := "session " + o.sessions[0]
		if len(o.sessions) > 1 {
			where = "sessions " + strings.Join(o.sessions, ", ")
		}
		fmt.Fprintf(e.Stderr, "doseplan: warning %s needs review (%s): %s; acknowledge with --ack %q\n", o.w.Key, where, o.w.Message, o.w.Key+"=REASON")
	}
	if len(open) > 0 {
		return exitReview
	}
	return exitOK
}
