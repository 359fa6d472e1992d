package schedule_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the examples must not depend on the host's zone database

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// exampleYAML is a clinic's protocol, small enough to read at once.
const exampleYAML = `doseplan: 1
name: Riverside IV ketamine
version: "3"
drug: ketamine
route: intravenous
source: Murrough et al. 2013 (six infusions of 0.5 mg/kg over 40 min in 12 days)
population: {age: {hard_min: 18 years}, why: the trial enrolled adults}
dose:
  per_kg: 0.5 mg/kg
  weight: {basis: actual}
  cap: 100 mg
  limits:
    dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}
  rounding_tolerance: {dose: 2 %, draw_volume: 2 %, pump_rate: 1 %}
preparation: {stock: 10 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up, bag: {volume: 100 mL, method: add}}
infusion: {duration: 40 min, pump: {rate_step: 0.1 mL/h, rate_rounding: half_up, max_rate: 999 mL/h}}
series:
  phases:
    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}
  min_interval: 44 h
policy: {weight: baseline, on_dose_change: keep_duration}
titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}
session: {pre_checks: 30 min, observation: 30 min, driver_required: true}
`

// A protocol document loads strictly: every problem is reported at once,
// each with its field path.
func ExampleLoadProtocol() {
	p, err := schedule.LoadProtocol([]byte(exampleYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Dosing.Name, "version", p.Dosing.Version)
	fmt.Println("dose", p.Dosing.Dose, "from", p.Dosing.Preparation.Stock, "over", p.Dosing.Infusion.Duration)
	fmt.Println("SHA-256 of the document:", len(p.SHA256()), "hex digits")

	broken := strings.NewReplacer("per_kg: 0.5 mg/kg", "per_kg: 0.5 cc", "observation: 30 min", "observation: 30 mg",
		"sessions: 6,", "sessions: six,").Replace(exampleYAML) + "colour: blue\n"
	_, err = schedule.LoadProtocol([]byte(broken))
	fmt.Println(err)
	// Output:
	// Riverside IV ketamine version 3
	// dose 0.5 mg/kg from 10 mg/mL over 40 min
	// SHA-256 of the document: 64 hex digits
	// schedule: dose.per_kg "0.5 cc": ambiguous unit "cc"; write "0.5 mL"
	// schedule: series.phases[0].sessions "six": must be a whole number such as 6 (not text, not a fraction)
	// schedule: colour: unknown field (allowed: doseplan, name, version, drug, drug_code, route, source, notes, dose, preparation, infusion, plausibility, population, series, policy, titration, session, vitals, caps, check_tolerances)
	// schedule: session.observation "30 mg": must be a duration (min or h)
}

// How to embed doseplan in your software: load the clinic's protocol,
// describe the clinic's calendar, plan the series for a patient, and show
// each session with its dose, pump setting and times. Every number comes
// from the protocol; every output is for a clinician to verify.
func ExamplePlan() {
	doc, err := protocols.Read("iv-ketamine-trd") // or os.ReadFile("protocol.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	protocol, err := schedule.LoadProtocol(doc)
	if err != nil {
		fmt.Println(err) // every problem, each with its field path
		return
	}
	clinic, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male, AgeYears: 45}
	start := schedule.Date{Year: 2025, Month: time.March, Day: 3}

	plan, err := schedule.Plan(protocol, patient, start, clinic, schedule.PlanOptions{})
	if err != nil {
		fmt.Println(err) // a hard limit names the session and the limit
		return
	}
	for _, s := range plan.Sessions {
		d := s.Dose
		fmt.Printf("%d %s %s: %s, draw %s, pump %s, discharge %s", s.Index, s.Date.Weekday().String()[:3], s.Date,
			d.Dose, d.Preparation.Draw, d.Infusion.PumpRate, s.Timeline.EarliestDischarge.Format("15:04"))
		if s.Proposed {
			fmt.Print(" (proposed)")
		}
		fmt.Println()
	}
	fmt.Println(plan.Notice)
	// Output:
	// 1 Mon 2025-03-03: 40 mg, draw 4 mL, pump 156 mL/h, discharge 10:10
	// 2 Wed 2025-03-05: 40 mg, draw 4 mL, pump 156 mL/h, discharge 10:10
	// 3 Fri 2025-03-07: 40 mg, draw 4 mL, pump 156 mL/h, discharge 10:10
	// 4 Mon 2025-03-10: 48 mg, draw 4.8 mL, pump 157.2 mL/h, discharge 10:10 (proposed)
	// 5 Wed 2025-03-12: 48 mg, draw 4.8 mL, pump 157.2 mL/h, discharge 10:10 (proposed)
	// 6 Fri 2025-03-14: 48 mg, draw 4.8 mL, pump 157.2 mL/h, discharge 10:10 (proposed)
	// 7 Fri 2025-04-11: 60 mg, draw 6 mL, pump 159 mL/h, discharge 10:10 (proposed)
	// 8 Fri 2025-05-09: 60 mg, draw 6 mL, pump 159 mL/h, discharge 10:10 (proposed)
	// 9 Fri 2025-06-06: 60 mg, draw 6 mL, pump 159 mL/h, discharge 10:10 (proposed)
	// For clinician verification — not a prescription
}

// exampleWeekdays is a Monday-to-Friday clinic in New York, sessions at 09:00.
func exampleWeekdays() *schedule.Calendar {
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	if err != nil {
		panic(err)
	}
	return cal
}

// examplePlan plans exampleYAML for an 80 kg patient from Mon 2025-03-03.
func examplePlan(opt schedule.PlanOptions) *schedule.SessionPlan {
	p, err := schedule.LoadProtocol([]byte(exampleYAML))
	if err != nil {
		panic(err)
	}
	pl, err := schedule.Plan(p, dosing.Patient{Weight: units.MustParse("80 kg"), AgeYears: 45}, schedule.Date{Year: 2025, Month: time.March, Day: 3}, exampleWeekdays(), opt)
	if err != nil {
		panic(err)
	}
	return pl
}

// A chosen titration level is a decision: session 4 stays at 0.5 mg/kg and
// is not a proposal; session 5 proposes 0.6 mg/kg again.
func ExamplePlan_levels() {
	pl := examplePlan(schedule.PlanOptions{Levels: map[int]int{4: 0}})
	for _, s := range pl.Sessions {
		fmt.Println(s.Index, s.Dose.Dose, s.Proposed)
	}
	// Output:
	// 1 40 mg false
	// 2 40 mg false
	// 3 40 mg false
	// 4 40 mg false
	// 5 48 mg true
	// 6 48 mg true
}

// Replan from what happened: sessions 1 and 2 done (session 1 with the dose
// given), session 3 missed on Friday. The missed session is still owed and
// goes to the next Monday; the rhythm continues from there.
func ExampleSessionPlan_Replan() {
	pl := examplePlan(schedule.PlanOptions{})
	ny, _ := time.LoadLocation("America/New_York")
	history := []schedule.Event{
		{Kind: schedule.Done, Session: 1, At: time.Date(2025, time.March, 3, 9, 10, 0, 0, ny)},
		{Kind: schedule.Done, Session: 2, At: time.Date(2025, time.March, 5, 9, 0, 0, 0, ny)},
		{Kind: schedule.Missed, Session: 3, Date: schedule.Date{Year: 2025, Month: time.March, Day: 7}},
	}
	given := map[int]units.Quantity{1: units.MustParse("38 mg")}
	rp, err := pl.Replan(history, schedule.Date{Year: 2025, Month: time.March, Day: 8}, &schedule.PlanOptions{GivenDoses: given})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range rp.Sessions {
		fmt.Println(s.Index, s.Date, s.Start.Format("15:04"), s.Dose.Dose, doneText(s))
	}
	fmt.Println("total", rp.TotalDose) // 38 + 40 + 40 + 3 × 48
	// Output:
	// 1 2025-03-03 09:10 40 mg done, 38 mg given
	// 2 2025-03-05 09:00 40 mg done
	// 3 2025-03-10 09:00 40 mg planned
	// 4 2025-03-12 09:00 48 mg planned
	// 5 2025-03-14 09:00 48 mg planned
	// 6 2025-03-17 09:00 48 mg planned
	// total 262 mg
}

func doneText(s schedule.Session) string {
	switch {
	case s.Done && s.Given.IsValid():
		return "done, " + s.Given.String() + " given"
	case s.Done:
		return "done"
	}
	return "planned"
}

// The text table of a plan, for people.
func ExampleSessionPlan_WriteTable() {
	pl := examplePlan(schedule.PlanOptions{})
	if err := pl.WriteTable(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Plan: Riverside IV ketamine (version 3)
	// Protocol SHA-256: e09a8f8572c7a9bb322f5c5c7f769c31419fadf4da27c1a0b79a05a6dd934eca
	// Patient: 80 kg
	// Series from 2025-03-03 (America/New_York); min_interval 44 h
	//
	// #  Phase          Date        Day  Start  Dose              Given as             End    Discharge  Notes
	// 1  induction 1/6  2025-03-03  Mon  09:00  40 mg             156 mL/h × 40 min    09:40  10:10
	// 2  induction 2/6  2025-03-05  Wed  09:00  40 mg             156 mL/h × 40 min    09:40  10:10
	// 3  induction 3/6  2025-03-07  Fri  09:00  40 mg             156 mL/h × 40 min    09:40  10:10
	// 4  induction 4/6  2025-03-10  Mon  09:00  48 mg (proposed)  157.2 mL/h × 40 min  09:40  10:10
	// 5  induction 5/6  2025-03-12  Wed  09:00  48 mg (proposed)  157.2 mL/h × 40 min  09:40  10:10
	// 6  induction 6/6  2025-03-14  Fri  09:00  48 mg (proposed)  157.2 mL/h × 40 min  09:40  10:10
	//
	// Session day: pre-checks from 30 min before the start; observation 30 min after the end of administration; a driver is required
	// Total over the series: 264 mg: 120 mg decided (3 sessions), 144 mg proposed (3 sessions, escalations not yet decided)
	//
	// For clinician verification — not a prescription
}

// The total, with the doses at decided levels apart from the proposed ones:
// sessions 1 to 4 kept at the first level (4 × 40 mg), 5 and 6 proposed at
// the second (2 × 48 mg).
func ExampleSessionPlan_TotalText() {
	pl := examplePlan(schedule.PlanOptions{Levels: map[int]int{4: 0}})
	fmt.Println(pl.TotalText())
	fmt.Println(pl.DecidedDose, "+", pl.ProposedDose, "=", pl.TotalDose)
	// Output:
	// 256 mg: 160 mg decided (4 sessions), 96 mg proposed (2 sessions, escalations not yet decided)
	// 160 mg + 96 mg = 256 mg
}

// The iCalendar export: one event per session, from the pre-checks to the
// earliest discharge, in the clinic's time zone.
func ExampleSessionPlan_WriteICal() {
	pl := examplePlan(schedule.PlanOptions{})
	var b bytes.Buffer
	if err := pl.WriteICal(&b, "patient 123", time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)); err != nil {
		fmt.Println(err)
		return
	}
	events := 0
	sc := bufio.NewScanner(&b)
	for sc.Scan() {
		line := sc.Text()
		if line == "BEGIN:VEVENT" {
			events++
		}
		if events == 1 && (strings.HasPrefix(line, "DTSTART") || strings.HasPrefix(line, "DTEND") || strings.HasPrefix(line, "SUMMARY") || strings.HasPrefix(line, "DTSTAMP")) {
			fmt.Println(line)
		}
	}
	fmt.Println(events, "events")
	// Output:
	// DTSTAMP:20250301T120000Z
	// DTSTART;TZID=America/New_York:20250303T083000
	// DTEND;TZID=America/New_York:20250303T101000
	// SUMMARY:ketamine 40 mg
	// 6 events
}

// The timetable behind a plan: dates and start instants only.
func demoSessionPlanTable(w io.Writer) {
	pl := examplePlan(schedule.PlanOptions{})
	tt := pl.Table()
	fmt.Fprintln(w, len(tt.Slots), "slots from", tt.Start, "to", tt.Slots[len(tt.Slots)-1].Date)
}

// Pre-session vital signs against the protocol's gates: the thresholds are
// the protocol's, never built in.
func ExampleCheckVitals() {
	doc, _ := protocols.Read("esketamine-nasal")
	p, err := schedule.LoadProtocol(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := schedule.CheckVitals(p, schedule.Vitals{
		Systolic:  units.MustParse("146 mmHg"),
		Diastolic: units.MustParse("88 mmHg"),
		HeartRate: units.MustParse("72 /min"),
		SpO2:      units.MustParse("98 %"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Decision)
	for _, f := range c.Findings {
		fmt.Println(f.Gate+":", f.Detail)
	}

	// A protocol without gates has nothing to decide with.
	doc, _ = protocols.Read("chronic-pain-infusion")
	p, _ = schedule.LoadProtocol(doc)
	_, err = schedule.CheckVitals(p, schedule.Vitals{})
	fmt.Println(err)
	// Output:
	// warn
	// warn.systolic_above: systolic 146 mmHg is above the warn limit 140 mmHg
	// schedule: vitals: the protocol has no vital-sign gates (doseplan has no built-in thresholds)
}

// Lint reviews what is valid but suspicious: here a titration step above
// the soft limit (a warning, kept with the protocol) and a concentration
// limit in mcg/mL against a stock in mg/mL.
func demoProtocolLint(w io.Writer) {
	p, err := schedule.LoadProtocol([]byte(exampleYAML))
	if err != nil {
		fmt.Fprintln(w, err)
		return
	}
	p.Titration.Steps = append(p.Titration.Steps, units.MustParse("0.9 mg/kg"))
	p.Dosing.Limits.Concentration.HardMax = units.MustParse("1000 mcg/mL")
	for _, f := range p.Lint() {
		fmt.Fprintln(w, f)
	}
	// A dose ten times the hard limit is an error: LoadProtocol refuses it.
	p.Dosing.Dose = units.MustParse("5 mg/kg")
	p.Dosing.Limits.DosePerKg = dosing.Bound{HardMax: units.MustParse("0.5 mg/kg")}
	p.Titration = nil
	fmt.Fprintln(w, p.Lint()[0])
}

// Findings are the warnings a protocol was loaded with.
func ExampleProtocol_Findings() {
	p, err := schedule.LoadProtocol([]byte(strings.Replace(exampleYAML, "observation: 30 min", "observation: 0 min", 1)))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Findings())
	// Output:
	// [warning: session.observation: no observation time after the administration]
}

// Validate checks a protocol built in Go, every problem at once. In Go the
// rule's dose says its kind by its unit (a document says it with its key,
// per_kg or fixed, and the unit must agree): here a volume, of no kind.
func ExampleProtocol_Validate() {
	p := &schedule.Protocol{
		Format: schedule.FormatVersion,
		Dosing: dosing.Rule{Name: "Built in Go", Version: "1", Drug: "ketamine", Route: "intravenous", Source: "clinic",
			Dose: units.MustParse("0.5 mL"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}},
		Series:  schedule.Series{Phases: []schedule.Phase{{Name: "induction", Sessions: 6, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}}}, MinInterval: units.MustParse("48 h")},
		Policy:  schedule.SeriesPolicy{Weight: "base_line", OnDoseChange: schedule.KeepDuration},
		Session: schedule.SessionSpec{Observation: units.MustParse("30 min")},
	}
	err := p.Validate()
	fmt.Println(err)
	fmt.Println(p.SHA256() == "") // no document behind it
	// Output:
	// schedule: dose "0.5 mL": must be mg, mg/kg, mg/m², mg/h, mg/kg/h or mcg/kg/min, mg/day or mg/kg/day (or units, units/kg, units/m², units/h, units/kg/h, units/day, units/kg/day), not volume
	// schedule: policy.weight "base_line": must be baseline or session_day
	// true
}

// Rule is the protocol's dose rule, for package dosing.
func ExampleProtocol_Rule() {
	p, _ := schedule.LoadProtocol([]byte(exampleYAML))
	r := p.Rule()
	fmt.Println(r.Name, r.Version)
	fmt.Println(r.Dose, "cap", r.Cap, "hard max", r.Limits.DosePerKg.HardMax)
	// Output:
	// Riverside IV ketamine 3
	// 0.5 mg/kg cap 100 mg hard max 1 mg/kg
}

// Calculate works out one session's dose, with the protocol's provenance:
// 0.5 mg/kg × 80 kg = 40 mg = 4 mL of 10 mg/mL; 104 mL over 40 min =
// 156 mL/h.
func ExampleProtocol_Calculate() {
	p, _ := schedule.LoadProtocol([]byte(exampleYAML))
	r, err := p.Calculate(dosing.Patient{Weight: units.MustParse("80 kg"), AgeYears: 45}, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Dose, r.Preparation.Draw, r.Preparation.FinalVolume, r.Infusion.PumpRate)
	fmt.Println(r.Provenance.SHA256 == p.SHA256())
	// Output:
	// 40 mg 4 mL 104 mL 156 mL/h
	// true
}

// A dose beyond a hard limit fails the plan with the session and the limit.
// Without the cap, for 180 kg: sessions 1 to 3 are 0.5 mg/kg × 180 kg =
// 90 mg; session 4 proposes 0.6 mg/kg × 180 kg = 108 mg, above the hard
// limit of 100 mg.
func ExampleSessionError() {
	doc := strings.Replace(exampleYAML, "  cap: 100 mg\n", "", 1)
	doc = strings.Replace(doc, "dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}\n    dose: {hard_max: 100 mg}", 1)
	p, err := schedule.LoadProtocol([]byte(doc))
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = schedule.Plan(p, dosing.Patient{Weight: units.MustParse("180 kg"), AgeYears: 45}, schedule.Date{Year: 2025, Month: time.March, Day: 3}, exampleWeekdays(), schedule.PlanOptions{})
	var se *schedule.SessionError
	var le *dosing.LimitError
	if errors.As(err, &se) && errors.As(err, &le) {
		fmt.Println("session", se.Index, le.Field, le.Kind, le.Value, "above", le.Bound)
	}
	// Output:
	// session 4 dose hard_max 108 mg above 100 mg
}
