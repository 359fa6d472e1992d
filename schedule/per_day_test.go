package schedule_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

// perDayYAML is a test protocol with a dose per day divided into doses:
// 40 mg/kg/day in 2 doses, at most 1,000 mg a day, of an 80 mg/mL
// suspension. A test fixture, not a clinical protocol.
const perDayYAML = `doseplan: 1
name: Per-day test protocol
version: "1"
drug: amoxicillin
route: oral
source: test fixture (Davis's Drug Guide, Pediatric Dosage Calculations, example 1)
population: {age: {hard_max: 17 years}, why: children}
plausibility: {weight_soft_min: 3 kg, weight_soft_max: 150 kg, bmi_soft_min: 10 kg/m², bmi_soft_max: 40 kg/m²}
dose:
  per_kg_per_day: 40 mg/kg/day
  doses_per_day: 2
  weight: {basis: actual}
  cap_per_day: 1000 mg/day
  limits:
    dose_per_kg_per_day: {soft_max: 45 mg/kg/day}
  rounding_tolerance: {dose: 5 %, draw_volume: 5 %}
preparation: {stock: 80 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up}
series:
  phases:
    - {name: course, sessions: 3, every: 1 day}
  min_interval: 0 h
policy: {weight: baseline, on_dose_change: keep_duration}
session: {observation: 0 min}
`

// TestProtocolPerDay: a document's dose per day is read under its own key,
// divided into doses_per_day doses and capped per day; written back, it is
// under the same keys. 40 mg/kg/day × 20 kg = 800 mg/day ÷ 2 = 400 mg =
// 5 mL; 35 kg: 1,400 mg/day, capped at 1,000 ÷ 2 = 500 mg a dose = 6.25 mL,
// which half up to 0.1 mL would be 6.3 mL = 504 mg, past the cap per day:
// 6.2 mL = 496 mg instead, 992 mg/day.
func TestProtocolPerDay(t *testing.T) {
	p := loadDoc(t, []byte(perDayYAML))
	for _, tc := range []struct{ weight, dose, day string }{{"20 kg", "400 mg", "800 mg/day"}, {"35 kg", "496 mg", "992 mg/day"}} {
		res, err := p.Calculate(dosing.Patient{Weight: qty(tc.weight), AgeYears: 8}, dosing.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := []string{res.Dose.String(), res.DosePerDay.String()}; !cmp.Equal(got, []string{tc.dose, tc.day}) {
			t.Errorf("%s: dose and day %v, want %s, %s", tc.weight, got, tc.dose, tc.day)
		}
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	dose := doc["dose"].(map[string]any)
	want := map[string]any{"per_kg_per_day": "40 mg/kg/day", "doses_per_day": float64(2), "cap_per_day": "1000 mg/day"}
	for k, v := range want {
		if dose[k] != v {
			t.Errorf("written back: dose.%s = %v, want %v", k, dose[k], v)
		}
	}
	back, err := schedule.LoadProtocol(b)
	if err != nil {
		t.Fatalf("the protocol written back does not load: %v", err)
	}
	if diff := cmp.Diff(p.Dosing, back.Dosing); diff != "" {
		t.Errorf("read back (-written +read):\n%s", diff)
	}
}

// TestProtocolPerDayRefusals: a dose per day written as a rate, a dose per
// day without doses per day, a rate with doses per day and a titration step
// of the other kind are refused at their paths.
func TestProtocolPerDayRefusals(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string
	}{
		{"a dose per day under rate", edit(t, perDayYAML, "per_kg_per_day: 40 mg/kg/day\n  doses_per_day: 2", "rate: 800 mg/day"), []string{
			`schedule: dose.rate "800 mg/day": must be in mg/h, mg/min or units/h (the key names the kind of dose); a dose per day is divided into doses, never run as a rate: write dose.per_day or dose.per_kg_per_day with dose.doses_per_day`,
			"schedule: dose.cap_per_day: needs doses_per_day: how many doses make the day"}},
		{"a dose per day without doses per day", edit(t, perDayYAML, "  doses_per_day: 2\n", ""), []string{
			`schedule: dose.doses_per_day: required: how many doses the dose per day "40 mg/kg/day" is divided into (1 to 24)`}},
		{"a rate under per_kg_per_day", edit(t, perDayYAML, "per_kg_per_day: 40 mg/kg/day", "per_kg_per_day: 2 mg/kg/h"), []string{
			`schedule: dose.per_kg_per_day "2 mg/kg/h": must be in mg/kg/day, mcg/kg/day or units/kg/day (the key names the kind of dose)`}},
		{"a titration step per hour", perDayYAML + "titration: {steps: [40 mg/kg/day, 2 mg/kg/h], advance_after_sessions: 1}\n", []string{
			`schedule: titration.steps[1] "2 mg/kg/h": must be of the dose's kind, like dose.per_kg_per_day 40 mg/kg/day`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tt.doc))
			var got []string
			for _, fe := range fieldErrors(err) {
				got = append(got, fe.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("LoadProtocol (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}
