package schedule_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
)

// Helpers of the protocol and dosed-plan tests. Names are specific to these
// files, so that they do not collide with the series tests' helpers.

// exampleDoc returns the bytes of an embedded example protocol.
func exampleDoc(t testing.TB, name string) []byte {
	t.Helper()
	b, err := protocols.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadDoc loads a protocol document that must be valid.
func loadDoc(t testing.TB, doc []byte) *schedule.Protocol {
	t.Helper()
	p, err := schedule.LoadProtocol(doc)
	if err != nil {
		t.Fatalf("LoadProtocol: %v\n--- document:\n%s", err, doc)
	}
	return p
}

// loadExample loads an embedded example protocol.
func loadExample(t testing.TB, name string) *schedule.Protocol {
	t.Helper()
	return loadDoc(t, exampleDoc(t, name))
}

// edit replaces each old text of doc by its new text; each old text must
// occur exactly once, so that a test never edits what it does not mean to.
func edit(t testing.TB, doc string, oldNew ...string) string {
	t.Helper()
	if len(oldNew)%2 != 0 {
		t.Fatal("edit: odd number of arguments")
	}
	for i := 0; i < len(oldNew); i += 2 {
		if n := strings.Count(doc, oldNew[i]); n != 1 {
			t.Fatalf("edit: %q occurs %d times in the document, want once", oldNew[i], n)
		}
		doc = strings.Replace(doc, oldNew[i], oldNew[i+1], 1)
	}
	return doc
}

// errPaths returns the sorted field paths of the *FieldErrors in err.
func errPaths(err error) []string {
	out := fields(err)
	slices.Sort(out)
	return out
}

// baseYAML is a small, valid protocol the loading and lint tests edit: one
// phase of six infusions, a per-kg dose with limits, a bag and a pump.
const baseYAML = `doseplan: 1
name: Test protocol
version: "1"
drug: ketamine
route: intravenous
source: test fixture
population: {age: {hard_min: 18 years}, why: adults}
dose:
  per_kg: 0.5 mg/kg
  weight: {basis: actual}
  limits:
    dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}
  rounding_tolerance: {dose: 5 %, draw_volume: 5 %, pump_rate: 5 %}
preparation: {stock: 10 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up, bag: {volume: 100 mL, method: add}}
infusion: {duration: 40 min, pump: {rate_step: 0.1 mL/h, rate_rounding: half_up, max_rate: 999 mL/h}}
series:
  phases:
    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}
  min_interval: 44 h
policy: {weight: baseline, on_dose_change: keep_duration}
session: {pre_checks: 30 min, observation: 30 min}
`

// nasalYAML is a small device-dose protocol: 56 mg as 28 mg devices, five
// minutes apart, twice a week.
const nasalYAML = `doseplan: 1
name: Nasal test protocol
version: "1"
drug: esketamine
route: intranasal
source: test fixture
population: {age: {hard_min: 18 years}, why: adults}
dose:
  fixed: 56 mg
  weight: {basis: actual}
  form: {strength: 28 mg/device, step: 1 device, rounding: down, min_count: 1 device, max_count: 3 devices, interval: 5 min}
  limits:
    dose: {hard_min: 28 mg, hard_max: 84 mg}
  rounding_tolerance: {dose: 0 %}
series:
  phases:
    - {name: induction, sessions: 8, weekdays: [mon, thu]}
  min_interval: 48 h
  max_per_7_days: 2
policy: {weight: baseline, on_dose_change: keep_duration}
session: {observation: 2 h, driver_required: true}
`

// adult80 is the patient of the worked cases: 80 kg, 175 cm, male, 45
// years (an adult, as every example protocol requires), BMI 80 / 1.75² =
// 26.1 kg/m² (below 30, so the actual weight is the dosing weight under
// every example protocol).
func adult80() dosing.Patient {
	return dosing.Patient{Weight: qty("80 kg"), Height: qty("175 cm"), Sex: dosing.Male, AgeYears: 45}
}

// weekdaysAt builds a calendar open Monday to Friday in zone, with sessions
// at the given start and the given closed dates.
func weekdaysAt(t testing.TB, zone string, start schedule.TimeOfDay, closed ...schedule.Closure) *schedule.Calendar {
	t.Helper()
	return clinic(t, schedule.CalendarConfig{Zone: zone, Open: monToFri, Starts: []schedule.TimeOfDay{start}, Closed: closed})
}

// mustPlan plans or fails the test.
func mustPlan(t testing.TB, p *schedule.Protocol, pt dosing.Patient, start string, cal *schedule.Calendar, opt schedule.PlanOptions) *schedule.SessionPlan {
	t.Helper()
	pl, err := schedule.Plan(p, pt, day(t, start), cal, opt)
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	return pl
}

// sessionDates returns the sessions' dates.
func sessionDates(pl *schedule.SessionPlan) []string {
	out := make([]string, len(pl.Sessions))
	for i, s := range pl.Sessions {
		out[i] = s.Date.String()
	}
	return out
}

// sessionDoses returns the sessions' doses as text.
func sessionDoses(pl *schedule.SessionPlan) []string {
	out := make([]string, len(pl.Sessions))
	for i, s := range pl.Sessions {
		out[i] = s.Dose.Dose.String()
	}
	return out
}
