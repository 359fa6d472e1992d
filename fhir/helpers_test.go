package fhir_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the calendars' zones without the host's zoneinfo

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/fhir"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// recorded is the export time of every test export: an argument, never the
// clock.
var recorded = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func testOptions() fhir.Options {
	return fhir.Options{Recorded: recorded, Software: "doseplan test", ID: "MRN-1234/2025-03-03",
		Subject: fhir.Subject{Reference: "Patient/example", Display: "Example Patient"}}
}

func load(t testing.TB, name string) *schedule.Protocol {
	t.Helper()
	p, err := protocols.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func calendar(t testing.TB, zone string, hour int, open ...schedule.Weekday) *schedule.Calendar {
	t.Helper()
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{Zone: zone, Open: open, Starts: []schedule.TimeOfDay{{Hour: hour}}})
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

var start = schedule.Date{Year: 2025, Month: 3, Day: 3} // a Monday

func ivPatient() dosing.Patient {
	return dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male, AgeYears: 45}
}

// ivPlan is the IV ketamine example for an 80 kg, 175 cm man from Monday
// 3 March 2025 at 09:00 in New York, the clinic open Monday to Friday.
func ivPlan(t testing.TB) (*schedule.Protocol, *schedule.SessionPlan) {
	t.Helper()
	p := load(t, "iv-ketamine-trd")
	cal := calendar(t, "America/New_York", 9, schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday)
	pl, err := schedule.Plan(p, ivPatient(), start, cal, schedule.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p, pl
}

// esketaminePlan is the esketamine example for a 70 kg patient from Monday
// 3 March 2025 at 10:00 in Berlin, the clinic open Monday and Thursday. The
// series crosses the change to summer time on 30 March.
func esketaminePlan(t testing.TB) (*schedule.Protocol, *schedule.SessionPlan) {
	t.Helper()
	p := load(t, "esketamine-nasal")
	cal := calendar(t, "Europe/Berlin", 10, schedule.Monday, schedule.Thursday)
	pl, err := schedule.Plan(p, dosing.Patient{Weight: units.MustParse("70 kg"), AgeYears: 45}, start, cal, schedule.PlanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p, pl
}

func mustPlan(t testing.TB, pl *schedule.SessionPlan, p *schedule.Protocol, opt fhir.Options) []byte {
	t.Helper()
	b, err := fhir.Plan(pl, p, opt)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// exportCase is one export the goldens, the validator and the UCUM check
// all see.
type exportCase struct {
	name string
	data []byte
	plan *schedule.SessionPlan // nil for a single dose
	dose *dosing.Result
}

// exportCases are the three exports of the issue (an IV series, an
// esketamine series, one dose) and the gravity set with a loading dose.
func exportCases(t testing.TB) []exportCase {
	t.Helper()
	var out []exportCase
	p, pl := ivPlan(t)
	out = append(out, exportCase{name: "iv-series", data: mustPlan(t, pl, p, testOptions()), plan: pl})
	e, el := esketaminePlan(t)
	out = append(out, exportCase{name: "esketamine-series", data: mustPlan(t, el, e, testOptions()), plan: el})
	res, err := p.Calculate(ivPatient(), dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := fhir.Dose(p, res, units.Quantity{}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, exportCase{name: "iv-dose", data: b, dose: &res})
	pain := load(t, "chronic-pain-infusion")
	pres, err := pain.Calculate(dosing.Patient{Weight: units.MustParse("70 kg"), AgeYears: 45}, dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err = fhir.Dose(pain, pres, units.Quantity{}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, exportCase{name: "pain-rate-dose", data: b, dose: &pres})
	g := gravityProtocol(t, "20 gtt/mL")
	gres, err := g.Calculate(ivPatient(), dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err = fhir.Dose(g, gres, units.Quantity{}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, exportCase{name: "gravity-loading-dose", data: b, dose: &gres})
	h := heparinProtocol(t)
	hres, err := h.Calculate(dosing.Patient{Weight: units.MustParse("75 kg"), AgeYears: 60}, dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err = fhir.Dose(h, hres, units.Quantity{}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, exportCase{name: "heparin-units-dose", data: b, dose: &hres})
	return out
}

// heparinProtocol is a test protocol in units of activity: 18 units/kg/h
// from a premixed bag of 25,000 units in 250 mL (100 units/mL), the
// weight-based nomogram of Raschke RA et al., Ann Intern Med 1993;119:874.
// For 75 kg: 1,350 units/h, 13.5 mL/h. Not a clinical protocol.
func heparinProtocol(t testing.TB) *schedule.Protocol {
	t.Helper()
	p, err := schedule.LoadProtocol([]byte(`doseplan: 1
name: heparin weight-based infusion (test example)
version: test-1
drug: heparin sodium
route: intravenous
source: Raschke RA et al., Ann Intern Med 1993;119:874 (18 units/kg/h after an 80 units/kg bolus)
population: {age: {hard_min: 18 years}, why: the nomogram was validated in adults}
dose:
  rate_per_kg: 18 units/kg/h
  weight: {basis: actual}
  limits: {dose_rate: {hard_max: 2000 units/h}}
preparation: {stock: 100 units/mL, draw_step: 0.1 mL, draw_rounding: half_up}
infusion:
  duration: 1 h
  pump: {rate_step: 0.1 mL/h, rate_rounding: half_up, max_rate: 999 mL/h}
series:
  phases: [{name: start, sessions: 1, every: 1 day}]
  min_interval: 0 h
policy: {weight: baseline, on_dose_change: keep_duration}
session: {observation: 0 min}
caps: {per_day: 48000 units}
`))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// gravityProtocol is the IV example given with a gravity set of the drop
// factor, a loading dose of 0.1 mg/kg over 10 min and a drug code of a
// made-up clinic formulary.
func gravityProtocol(t testing.TB, dropFactor string) *schedule.Protocol {
	t.Helper()
	doc, err := protocols.Read("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	for _, r := range [][2]string{
		{"  duration: 40 min\n", "  duration: 40 min\n  drop_factor: " + dropFactor + "\n  drip_rounding: half_up\n  loading: {dose: 0.1 mg/kg, duration: 10 min}\n"},
		{"route: intravenous\n", "route: intravenous\ndrug_code: {system: \"https://formulary.example.org/drugs\", code: \"KET-10\", display: \"ketamine 10 mg/mL vial\"}\n"},
	} {
		if strings.Count(s, r[0]) != 1 {
			t.Fatalf("iv-ketamine-trd: %q is not there once", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	p, err := schedule.LoadProtocol([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// decodeTree decodes JSON keeping every number as its decimal text.
func decodeTree(t testing.TB, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
