package main

import (
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // time zones without the host's zoneinfo

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(w io.Writer, _ []string) error {
	protocol, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		return err
	}
	patient := dosing.Patient{Weight: q("80 kg"), Height: q("175 cm"), Sex: dosing.Male, AgeYears: 45}
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	if err != nil {
		return err
	}
	ny, err := time.LoadLocation("America/New_York") // the clinic's zone, for the times a nurse records
	if err != nil {
		return err
	}
	plan, err := schedule.Plan(protocol, patient, schedule.Date{Year: 2025, Month: time.March, Day: 3}, cal, schedule.PlanOptions{})
	if err != nil {
		return err
	}

	// Monday 09:00, session 1: the vital signs against the protocol's
	// gates, then the infusion as planned, recorded in a new record.
	fmt.Fprintln(w, "MON 2025-03-03, SESSION 1")
	readings, err := schedule.ParseVitals("bp=132/84 hr=72 spo2=98")
	if err != nil {
		return err
	}
	if err := gate(w, protocol, readings); err != nil {
		return err
	}
	doc, err := schedule.NewRecord("MRN-1234", protocol).Encode()
	if err != nil {
		return err
	}
	first := schedule.RecordEntry{Session: 1, Outcome: schedule.Done, At: time.Date(2025, time.March, 3, 9, 5, 0, 0, ny),
		Given:  &schedule.Given{Dose: q("40 mg"), PumpRate: q("156 mL/h"), Duration: q("40 min")},
		Vitals: &readings, RecordedBy: "RN Lee"}
	if doc, err = record(w, plan, doc, first); err != nil {
		return err
	}

	// Wednesday: the patient calls in with flu. Session 2 is missed, and
	// owed: the rest of the series is replanned from Thursday.
	fmt.Fprintln(w, "\nWED 2025-03-05, SESSION 2")
	missed := schedule.RecordEntry{Session: 2, Outcome: schedule.Missed, Date: schedule.Date{Year: 2025, Month: time.March, Day: 5},
		Notes: "flu; called in at 07:40", RecordedBy: "RN Lee"}
	if doc, err = record(w, plan, doc, missed); err != nil {
		return err
	}
	rec, err := schedule.LoadRecord(doc)
	if err != nil {
		return err
	}
	replanned, err := plan.ReplanRecord(rec, schedule.Date{Year: 2025, Month: time.March, Day: 6})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nTHE REST OF THE SERIES")
	for _, s := range replanned.Sessions[:6] {
		fmt.Fprintf(w, "  %d  %s %d/%d  %s %s  %s  %s\n", s.Index, s.Phase, s.Number, s.Of, s.Date.Weekday().String()[:3], s.Date,
			s.Start.Format("15:04"), doneOr(s))
	}
	fmt.Fprintln(w)
	if err := schedule.Diff(plan, replanned).WriteText(indent{w}); err != nil {
		return err
	}

	// Friday: session 2, with a blood pressure above the warn gate; the
	// clinician looks and proceeds. The dose is typed as 45 mg, flagged,
	// then corrected by a new entry: nothing written is ever changed.
	fmt.Fprintln(w, "\nFRI 2025-03-07, SESSION 2")
	if readings, err = schedule.ParseVitals("bp=146/88 hr=80 spo2=97"); err != nil {
		return err
	}
	if err := gate(w, protocol, readings); err != nil {
		return err
	}
	given := schedule.RecordEntry{Session: 2, Outcome: schedule.Done, At: time.Date(2025, time.March, 7, 9, 0, 0, 0, ny),
		Given: &schedule.Given{Dose: q("45 mg"), PumpRate: q("156 mL/h")}, Vitals: &readings,
		Notes: "warn gate seen by Dr. Ng, who proceeded", RecordedBy: "RN Lee"}
	if doc, err = record(w, replanned, doc, given); err != nil {
		return err
	}
	fixed := given
	fixed.Given = &schedule.Given{Dose: q("40 mg"), PumpRate: q("156 mL/h")}
	fixed.Corrects, fixed.Reason, fixed.Notes = 3, "45 mg was a typing error: 4 mL of 10 mg/mL were given", ""
	if doc, err = record(w, replanned, doc, fixed); err != nil {
		return err
	}

	// Friday afternoon: the pharmacist checks Monday's orders.
	fmt.Fprintln(w, "\nMONDAY'S ORDERS")
	orders := []struct {
		id    string
		order dosing.Order
	}{
		{"ORD-301", dosing.Order{Dose: q("40 mg"), DrawVolume: q("4 mL"), PumpRate: q("156 mL/h")}},
		{"ORD-302", dosing.Order{Dose: q("40 mg"), DrawVolume: q("4 mL"), PumpRate: q("15.6 mL/h")}},
		{"ORD-303", dosing.Order{Dose: q("400 mg"), DrawVolume: q("40 mL")}},
	}
	for _, o := range orders {
		res, err := protocol.Check(o.order, patient, dosing.CheckOptions{})
		if err != nil {
			return err
		}
		verdict := "confirmed"
		if !res.Matches() {
			verdict = "NOT CONFIRMED"
		}
		var causes []string
		for _, c := range res.LikelyCauses {
			causes = append(causes, string(c.Kind)+" ("+strings.Join(c.Where, ", ")+")")
		}
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  %s  %-13s  %s", o.id, verdict, strings.Join(causes, "; ")), " "))
	}

	fmt.Fprintln(w, "\nTHE RECORD, AS WRITTEN")
	_, err = w.Write(doc)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(w, "\n"+dosing.Notice)
	return err
}

// gate checks the readings against the protocol's gates and says so.
func gate(w io.Writer, p *schedule.Protocol, v schedule.Vitals) error {
	check, err := schedule.CheckVitals(p, v)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  vitals %s/%s, %s, SpO2 %s: %s\n", v.Systolic.Value(), v.Diastolic, v.HeartRate, v.SpO2, check.Decision)
	for _, f := range check.Findings {
		fmt.Fprintf(w, "    %s\n", f.Detail)
	}
	return nil
}

// record appends an entry to the record, after checking it against the
// plan the session was given from: what differs is recorded, and said.
func record(w io.Writer, pl *schedule.SessionPlan, doc []byte, e schedule.RecordEntry) ([]byte, error) {
	devs, err := pl.Deviations(e)
	if err != nil {
		return nil, err
	}
	out, err := schedule.AppendEntry(doc, e)
	if err != nil {
		return nil, err
	}
	rec, err := schedule.LoadRecord(out)
	if err != nil {
		return nil, err
	}
	last := rec.Entries[len(rec.Entries)-1]
	what := string(last.Outcome)
	if last.Corrects > 0 {
		what += fmt.Sprintf(", correcting entry %d (%s)", last.Corrects, last.Reason)
	}
	fmt.Fprintf(w, "  recorded entry %d: session %d %s\n", last.ID, last.Session, what)
	for _, d := range devs {
		fmt.Fprintf(w, "    FLAGGED: %s\n", d.Detail)
	}
	return out, nil
}

func doneOr(s schedule.Session) string {
	if s.Done {
		return "done, " + s.Given.String() + " given"
	}
	d := s.Dose.Dose.String()
	if s.Proposed {
		d += " (proposed)"
	}
	return d
}

// indent writes what is written to it two spaces in.
type indent struct{ w io.Writer }

func (i indent) Write(b []byte) (int, error) {
	s := strings.TrimSuffix(string(b), "\n")
	_, err := io.WriteString(i.w, "  "+strings.ReplaceAll(s, "\n", "\n  ")+"\n")
	return len(b), err
}

func q(s string) units.Quantity { return units.MustParse(s) }
