package schedule_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// unitsYAML is a test protocol in units of activity: 80 units/kg from a
// 1,000 units/mL vial, capped at 10,000 units, with a weekly cumulative cap
// in units. A test fixture, not a clinical protocol.
const unitsYAML = `doseplan: 1
name: Units test protocol
version: "1"
drug: heparin
route: intravenous
source: test fixture (80 units/kg after Raschke RA et al., Ann Intern Med 1993;119:874)
population: {age: {hard_min: 18 years}, why: adults}
dose:
  per_kg: 80 units/kg
  weight: {basis: actual}
  cap: 10000 units
  limits:
    dose_per_kg: {soft_max: 90 units/kg, hard_max: 100 units/kg}
  rounding_tolerance: {dose: 5 %, draw_volume: 5 %}
preparation: {stock: 1000 units/mL, draw_step: 0.1 mL, draw_rounding: half_up}
series:
  phases:
    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}
  min_interval: 44 h
policy: {weight: baseline, on_dose_change: keep_duration}
session: {observation: 30 min}
caps: {per_7_days: 20000 units}
`

// TestProtocolInUnits: a protocol document in units loads, lints clean and
// plans as one in mg. 80 units/kg × 75 kg = 6,000 units (6 mL of
// 1,000 units/mL) at each of six sessions, three a week: 18,000 units in
// any 7 days, within the weekly cap of 20,000 units; 36,000 units over the
// series.
func TestProtocolInUnits(t *testing.T) {
	p := loadDoc(t, []byte(unitsYAML))
	if f := p.Findings(); len(f) != 0 {
		t.Errorf("findings: %v", f)
	}
	if u := p.Dosing.AmountUnit(); u != units.ActivityUnit {
		t.Errorf("AmountUnit() = %s, want units", u)
	}
	pt := dosing.Patient{Weight: qty("75 kg"), AgeYears: 60}
	pl := mustPlan(t, p, pt, "2025-03-03", weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9}), schedule.PlanOptions{})
	want := []string{"6,000 units", "6,000 units", "6,000 units", "6,000 units", "6,000 units", "6,000 units"}
	if diff := cmp.Diff(want, sessionDoses(pl)); diff != "" {
		t.Errorf("session doses (-want +got):\n%s", diff)
	}
	if !pl.TotalDose.Equal(qty("36000 units")) {
		t.Errorf("TotalDose = %s, want 36,000 units", pl.TotalDose)
	}
	// 25 kg more: 80 × 100 = 8,000 units a session, 24,000 units in the
	// first week, above the weekly cap of 20,000 units: the third session
	// moves to the next week.
	pl = mustPlan(t, p, dosing.Patient{Weight: qty("100 kg"), AgeYears: 60}, "2025-03-03",
		weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9}), schedule.PlanOptions{})
	if got := sessionDates(pl)[2]; got == "2025-03-07" {
		t.Errorf("the third session is on %s, within the week of 24,000 units", got)
	}
}

// TestProtocolInUnitsRefusesMass: everything in a protocol dosed in units
// is in units, and a value in mg is refused at its document path, by name.
func TestProtocolInUnitsRefusesMass(t *testing.T) {
	doc := edit(t, unitsYAML, "cap: 10000 units", "cap: 500 mg",
		"caps: {per_7_days: 20000 units}", "caps: {per_7_days: 2 g}",
		"stock: 1000 units/mL", "stock: 10 mg/mL")
	_, err := schedule.LoadProtocol([]byte(doc))
	var got []string
	for _, fe := range fieldErrors(err) {
		got = append(got, fe.Error())
	}
	mixed := `is a drug mass (mg), but the rule is in an activity (units, from its dose "80 units/kg"): ` +
		"a rule is in one kind of amount throughout, and mg never convert to units; write it in "
	want := []string{
		`schedule: dose.cap "500 mg": ` + mixed + "units",
		`schedule: preparation.stock "10 mg/mL": ` + mixed + "units/mL",
		`schedule: caps.per_7_days "2 g": must be in units, as the protocol's dose is`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadProtocol errors (-want +got):\n%s", diff)
	}
	p := loadDoc(t, []byte(unitsYAML))
	_, err = schedule.Plan(p, dosing.Patient{Weight: qty("75 kg"), AgeYears: 60}, day(t, "2025-03-03"),
		weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9}), schedule.PlanOptions{GivenDoses: map[int]units.Quantity{1: qty("60 mg")}})
	if !hasField(err, "options.given_doses[1]", schedule.ErrConflict) {
		t.Errorf("Plan with a dose given in mg: %v, want options.given_doses[1] refused", err)
	}
}

// TestLintLevelsInUnits: a titration ladder in units is checked against
// the limits in units as one in mg is: 95 units/kg is above the soft
// maximum 90 units/kg (a warning), 110 units/kg above the hard maximum
// 100 units/kg (an error, which refuses the protocol).
func TestLintLevelsInUnits(t *testing.T) {
	p := loadDoc(t, []byte(unitsYAML+"titration: {steps: [80 units/kg, 95 units/kg], advance_after_sessions: 2}\n"))
	var got []string
	for _, f := range p.Findings() {
		got = append(got, f.String())
	}
	want := []string{"warning: titration.steps[1]: 95 units/kg is above dose.limits.dose_per_kg.soft_max 90 units/kg: every session at this level needs an acknowledgement"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	_, err := schedule.LoadProtocol([]byte(unitsYAML + "titration: {steps: [80 units/kg, 110 units/kg], advance_after_sessions: 2}\n"))
	if want := "schedule: titration.steps[1]: 110 units/kg is above dose.limits.dose_per_kg.hard_max 100 units/kg"; err == nil || err.Error() != want {
		t.Errorf("LoadProtocol = %v, want %q", err, want)
	}
}
