package schedule_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// exampleDay plans the IV example for an 80 kg man from Mon 2025-03-03 on
// a Monday-to-Friday New York calendar: the plan the record examples use.
func exampleDay() (*schedule.Protocol, *schedule.SessionPlan) {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		panic(err)
	}
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{Zone: "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 9}}})
	if err != nil {
		panic(err)
	}
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male, AgeYears: 45}
	pl, err := schedule.Plan(p, patient, schedule.Date{Year: 2025, Month: time.March, Day: 3}, cal, schedule.PlanOptions{})
	if err != nil {
		panic(err)
	}
	return p, pl
}

// exampleRecord is a record of that plan: session 1 done, session 2
// missed.
func exampleRecord(p *schedule.Protocol) []byte {
	return []byte(`doseplan_record: 1
patient: MRN-1234
protocol: {sha256: ` + p.SHA256() + `}
entries:
  - id: 1
    session: 1
    outcome: done
    at: "2025-03-03T09:05:00-05:00"
    given: {dose: 40 mg, pump_rate: 156 mL/h, duration: 40 min}
    recorded_by: RN Lee
  - {id: 2, session: 2, outcome: missed, date: 2025-03-05, notes: flu, recorded_by: RN Lee}
`)
}

func ExampleLoadRecord() {
	p, _ := exampleDay()
	rec, err := schedule.LoadRecord(exampleRecord(p))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range rec.Entries {
		fmt.Println(e.ID, e.Session, e.Outcome, e.RecordedBy)
	}
	_, err = schedule.LoadRecord([]byte("doseplan_record: 1\npatient: MRN-1\nprotocol: {sha256: " + p.SHA256() + "}\nentries:\n" +
		"  - {id: 1, session: 1, outcome: done, at: \"2025-03-03T09:05:00-05:00\", given: {dose: 4 mL}, vitals: {spo2: 140 %}}\n"))
	fmt.Println(err)
	// Output:
	// 1 1 done RN Lee
	// 2 2 missed RN Lee
	// schedule: entries[0].recorded_by: required: who recorded the entry
	// schedule: entries[0].given.dose "4 mL": must be a drug mass (mg or mcg) or an activity (units)
	// schedule: entries[0].vitals.spo2 "140 %": is not a possible reading of SpO2 (more than 0 %, at most 100 %): take it again
}

func demoRecordValidate(w io.Writer) {
	rec := &schedule.Record{Format: 1, Patient: "MRN-1", Protocol: schedule.RecordOrigin{SHA256: "81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce"},
		Entries: []schedule.RecordEntry{{ID: 1, Session: 2, Outcome: schedule.Delayed, RecordedBy: "RN Lee"}}}
	fmt.Fprintln(w, rec.Validate())
}

func ExampleNewRecord() {
	p, _ := exampleDay()
	doc, err := schedule.NewRecord("MRN-1234", p).Encode()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(doc))
	// Output:
	// # doseplan session record: append-only. Add an entry for each outcome; to correct one,
	// # add an entry that names it (corrects: ID) and says why (reason).
	// doseplan_record: 1
	// patient: MRN-1234
	// protocol:
	//   name: IV racemic ketamine, treatment-resistant depression (example)
	//   version: 2026-11-example
	//   sha256: 81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce
	// entries:
}

func ExampleRecord_Encode() {
	p, _ := exampleDay()
	rec, _ := schedule.LoadRecord(exampleRecord(p))
	doc, err := rec.Encode()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(doc))
	// Output:
	// # doseplan session record: append-only. Add an entry for each outcome; to correct one,
	// # add an entry that names it (corrects: ID) and says why (reason).
	// doseplan_record: 1
	// patient: MRN-1234
	// protocol:
	//   sha256: 81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce
	// entries:
	//   - id: 1
	//     session: 1
	//     outcome: done
	//     at: "2025-03-03T09:05:00-05:00"
	//     given: {dose: 40 mg, pump_rate: 156 mL/h, duration: 40 min}
	//     recorded_by: RN Lee
	//   - id: 2
	//     session: 2
	//     outcome: missed
	//     date: "2025-03-05"
	//     notes: flu
	//     recorded_by: RN Lee
}

func ExampleAppendEntry() {
	p, _ := exampleDay()
	doc := exampleRecord(p)
	out, err := schedule.AppendEntry(doc, schedule.RecordEntry{Session: 2, Outcome: schedule.Done,
		At:     time.Date(2025, time.March, 7, 9, 0, 0, 0, time.FixedZone("EST", -5*3600)),
		Given:  &schedule.Given{Dose: units.MustParse("40 mg")},
		Vitals: &schedule.Vitals{Systolic: units.MustParse("132 mmHg"), Diastolic: units.MustParse("84 mmHg")}, RecordedBy: "RN Lee"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(out[len(doc):])) // what was there is unchanged: the entry is added after it
	// Output:
	//   - id: 3
	//     session: 2
	//     outcome: done
	//     at: "2025-03-07T09:00:00-05:00"
	//     given: {dose: 40 mg}
	//     vitals: {systolic: 132 mmHg, diastolic: 84 mmHg}
	//     recorded_by: RN Lee
}

func ExampleRecord_Effective() {
	p, _ := exampleDay()
	doc, _ := schedule.AppendEntry(exampleRecord(p), schedule.RecordEntry{Corrects: 2, Outcome: schedule.EnteredInError,
		Reason: "written in the wrong chart", RecordedBy: "Dr. Ng"})
	rec, _ := schedule.LoadRecord(doc)
	fmt.Println(len(rec.Entries), "entries written;", len(rec.Effective()), "in force")
	// Output:
	// 3 entries written; 1 in force
}

func ExampleRecord_Check() {
	p, _ := exampleDay()
	nasal, _ := protocols.Load("esketamine-nasal")
	rec, _ := schedule.LoadRecord(exampleRecord(p))
	fmt.Println(rec.Check(p))
	err := rec.Check(nasal)
	var fe *schedule.FieldError
	if errors.As(err, &fe) {
		fmt.Println(fe.Field, errors.Is(err, schedule.ErrConflict))
		fmt.Println("names the record's hash:", fe.Value == p.SHA256(), "and the protocol's:", strings.Contains(fe.Msg, nasal.SHA256()))
	}
	// Output:
	// <nil>
	// protocol.sha256 true
	// names the record's hash: true and the protocol's: true
}

func ExampleSessionPlan_ReplanRecord() {
	p, pl := exampleDay()
	rec, _ := schedule.LoadRecord(exampleRecord(p))
	replanned, err := pl.ReplanRecord(rec, schedule.Date{Year: 2025, Month: time.March, Day: 6})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range replanned.Sessions[:4] {
		fmt.Println(s.Index, s.Date, s.Start.Format("15:04"), s.Dose.Dose, s.Done)
	}
	// Output:
	// 1 2025-03-03 09:05 40 mg true
	// 2 2025-03-07 09:00 40 mg false
	// 3 2025-03-10 09:00 40 mg false
	// 4 2025-03-12 09:00 48 mg false
}

func ExampleSessionPlan_Deviations() {
	p, pl := exampleDay()
	rec, _ := schedule.LoadRecord(exampleRecord(p))
	replanned, _ := pl.ReplanRecord(rec, schedule.Date{Year: 2025, Month: time.March, Day: 6})
	devs, err := replanned.Deviations(schedule.RecordEntry{Session: 2, Outcome: schedule.Done,
		Given: &schedule.Given{Dose: units.MustParse("45 mg"), PumpRate: units.MustParse("156 mL/h")}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range devs {
		fmt.Println(d.Field+":", d.Detail)
	}
	// Output:
	// dose: the dose given 45 mg differs from the plan's 40 mg (+5 mg, +12.5 %)
}

func ExampleDiff() {
	p, pl := exampleDay()
	rec, _ := schedule.LoadRecord(exampleRecord(p))
	replanned, _ := pl.ReplanRecord(rec, schedule.Date{Year: 2025, Month: time.March, Day: 6})
	d := schedule.Diff(pl, replanned)
	for _, c := range d.Changes[:3] {
		fmt.Printf("%d %s %s → %s: %s\n", c.Index, c.Kind, c.Before.Date, c.After.Date, c.Reasons[0])
	}
	fmt.Println(len(d.Changes), "changes,", d.Unchanged, "unchanged")
	// Output:
	// 1 moved 2025-03-03 → 2025-03-03: done at 09:05 (planned 09:00)
	// 2 moved 2025-03-05 → 2025-03-07: missed on 2025-03-05 (flu): it is owed and planned again
	// 3 moved 2025-03-07 → 2025-03-10: session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 9 changes, 0 unchanged
}

func ExamplePlanDiff_WriteText() {
	p, pl := exampleDay()
	rec, _ := schedule.LoadRecord(exampleRecord(p))
	replanned, _ := pl.ReplanRecord(rec, schedule.Date{Year: 2025, Month: time.March, Day: 6})
	if err := schedule.Diff(pl, replanned).WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// CHANGES AGAINST THE PLAN (replanned from 2025-03-06)
	// #  Change  Before                After                 Why
	// 1  moved   Mon 2025-03-03 09:00  Mon 2025-03-03 09:05  done at 09:05 (planned 09:00)
	// 2  moved   Wed 2025-03-05 09:00  Fri 2025-03-07 09:00  missed on 2025-03-05 (flu): it is owed and planned again
	// 3  moved   Fri 2025-03-07 09:00  Mon 2025-03-10 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 4  moved   Mon 2025-03-10 09:00  Wed 2025-03-12 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 5  moved   Wed 2025-03-12 09:00  Fri 2025-03-14 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 6  moved   Fri 2025-03-14 09:00  Mon 2025-03-17 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 7  moved   Fri 2025-04-11 09:00  Mon 2025-04-14 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 8  moved   Fri 2025-05-09 09:00  Mon 2025-05-12 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 9  moved   Fri 2025-06-06 09:00  Mon 2025-06-09 09:00  session 2 was missed on 2025-03-05: the series goes on from its next attempt
	// 0 sessions unchanged
}

func ExampleParseVitals() {
	v, err := schedule.ParseVitals("bp=150/95 hr=88 spo2=97")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Systolic, v.Diastolic, v.HeartRate, v.SpO2)
	_, err = schedule.ParseVitals("bp=400/20 spo2=140")
	fmt.Println(err)
	// Output:
	// 150 mmHg 95 mmHg 88 /min 97 %
	// schedule: readings.systolic "400 mmHg": is not a possible reading of systolic (50 mmHg to 300 mmHg): take it again
	// schedule: readings.diastolic "20 mmHg": is not a possible reading of diastolic (30 mmHg to 200 mmHg): take it again
	// schedule: readings.spo2 "140 %": is not a possible reading of SpO2 (more than 0 %, at most 100 %): take it again
}

func demoVitalsValidate(w io.Writer) {
	v := schedule.Vitals{Systolic: units.MustParse("80 mmHg"), Diastolic: units.MustParse("120 mmHg")}
	fmt.Fprintln(w, v.Validate())
}

func ExampleVitalGates_Readings() {
	p, _ := exampleDay() // warn above 140/90 mmHg or SpO2 below 94 %; hold above 180/100 mmHg or 110 /min
	v, _ := schedule.ParseVitals("bp=150/85 hr=88 spo2=97")
	rows, err := p.Vitals.Readings(v)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Println(r.Gate, r.Met, "—", r.Detail)
	}
	// Output:
	// hold.systolic_above false — systolic 150 mmHg is not above the hold limit 180 mmHg
	// hold.diastolic_above false — diastolic 85 mmHg is not above the hold limit 100 mmHg
	// hold.heart_rate_above false — heart rate 88 /min is not above the hold limit 110 /min
	// warn.systolic_above true — systolic 150 mmHg is above the warn limit 140 mmHg
	// warn.diastolic_above false — diastolic 85 mmHg is not above the warn limit 90 mmHg
	// warn.spo2_below false — SpO2 97 % is not below the warn limit 94 %
}

func ExampleSessionPlan_WriteChecklist() {
	_, pl := exampleDay()
	if err := pl.WriteChecklist(os.Stdout, 1); err != nil {
		fmt.Println(err)
	}
	// Output:
	// CHECKLIST: session 1 (induction 1 of 6), Mon 2025-03-03, America/New_York
	// Protocol: IV racemic ketamine, treatment-resistant depression (example) (version 2026-11-example)
	// Protocol SHA-256: 81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce
	// Patient: 80 kg, 175 cm, male
	//
	// [ ] 08:30  Pre-checks, from 30 min before the start: vital signs against the protocol's gates
	//            hold if systolic above 180 mmHg, diastolic above 100 mmHg, heart rate above 110 /min
	//            warn if systolic above 140 mmHg, diastolic above 90 mmHg, SpO2 below 94 %
	// [ ] 09:00  Start: 40 mg
	//            draw 4 mL of 10 mg/mL; add to a 100 mL bag: 104 mL
	//            pump 156 mL/h, VTBI 104 mL, over 40 min
	// [ ] 09:10  blood pressure and heart rate
	// [ ] 09:20  blood pressure and heart rate
	// [ ] 09:30  blood pressure and heart rate
	// [ ] 09:40  blood pressure and heart rate
	// [ ] 09:40  End of administration
	// [ ] 10:10  End of observation (30 min after the end of administration): earliest discharge
	// [ ]        Discharge with a driver: no driving until the next day
	// [ ]        Record what was given (the dose, the pump rate and the duration), the vitals and who recorded it
	//
	// For clinician verification — not a prescription
}
