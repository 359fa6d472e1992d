package fhir_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/fhir"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// testBundle is an export into the fields these tests look at.
type testBundle struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Entry        []struct {
		FullURL  string       `json:"fullUrl"`
		Resource testResource `json:"resource"`
	} `json:"entry"`
}

type testResource struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	Status       string `json:"status"`
	Intent       string `json:"intent"`
	Category     []struct {
		Coding []struct{ System, Code string } `json:"coding"`
	} `json:"category"`
	Subject struct{ Reference, Display string } `json:"subject"`
	Note    []struct{ Text string }             `json:"note"`
	Start   string                              `json:"start"`
	End     string                              `json:"end"`
	Target  []struct{ Reference string }        `json:"target"`
	Entity  []struct {
		Role string `json:"role"`
		What struct {
			Identifier struct{ System, Value string } `json:"identifier"`
		} `json:"what"`
	} `json:"entity"`
	Participant []struct {
		Status string `json:"status"`
	} `json:"participant"`
	Activity []struct {
		Reference *struct{ Reference string } `json:"reference"`
		Detail    *struct {
			Description     string `json:"description"`
			ScheduledTiming struct {
				Event []string `json:"event"`
			} `json:"scheduledTiming"`
		} `json:"detail"`
	} `json:"activity"`
	DosageInstruction []struct {
		Timing struct {
			Event  []string `json:"event"`
			Repeat struct {
				BoundsPeriod struct{ Start, End string } `json:"boundsPeriod"`
				Count        int                         `json:"count"`
			} `json:"repeat"`
		} `json:"timing"`
		DoseAndRate []struct {
			Type struct {
				Coding []struct{ Code string } `json:"coding"`
			} `json:"type"`
			DoseQuantity *struct{ Value, Code, Unit string } `json:"doseQuantity"`
			RateQuantity *struct{ Value, Code, Unit string } `json:"rateQuantity"`
		} `json:"doseAndRate"`
	} `json:"dosageInstruction"`
}

func bundleOf(t *testing.T, b []byte) testBundle {
	t.Helper()
	// Numbers are read as their decimal text.
	var tb testBundle
	if err := json.Unmarshal([]byte(quoteNumbers(string(b))), &tb); err != nil {
		t.Fatal(err)
	}
	return tb
}

// quoteNumbers turns every JSON number after "value": into a string, so
// that the test structs read exact decimal text.
func quoteNumbers(s string) string {
	return regexp.MustCompile(`"value": (-?[0-9][0-9.]*)`).ReplaceAllString(s, `"value": "$1`+`"`)
}

func (tb testBundle) of(typ string) []testResource {
	var out []testResource
	for _, e := range tb.Entry {
		if e.Resource.ResourceType == typ {
			out = append(out, e.Resource)
		}
	}
	return out
}

// entry describes a doseAndRate entry as "ordered dose 0.5 mg/kg".
func entries(r testResource) []string {
	var out []string
	for _, d := range r.DosageInstruction {
		for _, dr := range d.DoseAndRate {
			s := dr.Type.Coding[0].Code
			if q := dr.DoseQuantity; q != nil {
				s += " dose " + q.Value + " " + q.Code
			}
			if q := dr.RateQuantity; q != nil {
				s += " rate " + q.Value + " " + q.Code
			}
			out = append(out, s)
		}
	}
	return out
}

// TestPlanRequests checks the IV series' requests against values worked out
// by hand. 80 kg, 175 cm man: BMI 26.1 < 30, so actual weight. Each level:
// dose = level × 80 kg; drawn at 10 mg/mL into a 100 mL bag; pump rate =
// (100 mL + dose ÷ 10 mg/mL) ÷ 40 min.
//
//	level 1, 0.5 mg/kg: 40 mg, 104 mL   → 156 mL/h
//	level 2, 0.6 mg/kg: 48 mg, 104.8 mL → 157.2 mL/h (proposed)
//	level 3, 0.75 mg/kg: 60 mg, 106 mL  → 159 mL/h (proposed)
//
// Induction Mon/Wed/Fri from 3 March 2025 at 09:00 New York time, three
// sessions a level (advance_after_sessions: 3); US summer time begins on
// 9 March, so sessions 4 to 6 are at -04:00. Boosters every 28 days from 28
// days after the last induction session (Fri 14 March): 11 April, 9 May,
// 6 June.
func TestPlanRequests(t *testing.T) {
	p, pl := ivPlan(t)
	tb := bundleOf(t, mustPlan(t, pl, p, testOptions()))
	type want struct {
		events   []string
		end      string // boundsPeriod.end: the last session's end of administration
		entries  []string
		proposed bool
	}
	wants := []want{
		{[]string{"2025-03-03T09:00:00-05:00", "2025-03-05T09:00:00-05:00", "2025-03-07T09:00:00-05:00"}, "2025-03-07T09:40:00-05:00",
			[]string{"ordered dose 0.5 mg/kg", "calculated dose 40 mg rate 156 mL/h"}, false},
		{[]string{"2025-03-10T09:00:00-04:00", "2025-03-12T09:00:00-04:00", "2025-03-14T09:00:00-04:00"}, "2025-03-14T09:40:00-04:00",
			[]string{"ordered dose 0.6 mg/kg", "calculated dose 48 mg rate 157.2 mL/h"}, true},
		{[]string{"2025-04-11T09:00:00-04:00", "2025-05-09T09:00:00-04:00", "2025-06-06T09:00:00-04:00"}, "2025-06-06T09:40:00-04:00",
			[]string{"ordered dose 0.75 mg/kg", "calculated dose 60 mg rate 159 mL/h"}, true},
	}
	mrs := tb.of("MedicationRequest")
	if len(mrs) != len(wants) {
		t.Fatalf("%d requests, want %d", len(mrs), len(wants))
	}
	for i, w := range wants {
		mr := mrs[i]
		if mr.Status != "draft" || mr.Intent != "proposal" {
			t.Errorf("request %d: status %q intent %q, want draft proposal", i+1, mr.Status, mr.Intent)
		}
		tm := mr.DosageInstruction[0].Timing
		got := want{tm.Event, tm.Repeat.BoundsPeriod.End, entries(mr), len(mr.Category) == 1 && mr.Category[0].Coding[0].Code == fhir.ProposedEscalation}
		if diff := cmp.Diff(w, got, cmp.AllowUnexported(want{})); diff != "" {
			t.Errorf("request %d (-want +got):\n%s", i+1, diff)
		}
		if tm.Repeat.BoundsPeriod.Start != w.events[0] || tm.Repeat.Count != len(w.events) {
			t.Errorf("request %d: bounds start %q count %d, want %q and %d", i+1, tm.Repeat.BoundsPeriod.Start, tm.Repeat.Count, w.events[0], len(w.events))
		}
		if len(mr.Note) == 0 || mr.Note[0].Text != dosing.Notice {
			t.Errorf("request %d: the first note is not the notice: %v", i+1, mr.Note)
		}
	}
	appts := tb.of("Appointment")
	if len(appts) != 9 {
		t.Fatalf("%d appointments, want 9 (one per session)", len(appts))
	}
	// Session 1: pre-checks 30 min before 09:00, then 40 min of infusion and
	// 30 min of observation: 08:30 to 10:10.
	if a := appts[0]; a.Status != "proposed" || a.Start != "2025-03-03T08:30:00-05:00" || a.End != "2025-03-03T10:10:00-05:00" {
		t.Errorf("appointment 1: %q from %q to %q, want proposed from 08:30 to 10:10", a.Status, a.Start, a.End)
	}
	cp := tb.of("CarePlan")
	if len(cp) != 1 {
		t.Fatalf("%d care plans, want 1", len(cp))
	}
	// 3 requests + 9 appointments + 4 timed checks (10, 20, 30, 40 min).
	var refs, checks int
	for _, a := range cp[0].Activity {
		if a.Reference != nil {
			refs++
		}
		if a.Detail != nil {
			checks++
			if len(a.Detail.ScheduledTiming.Event) != 9 {
				t.Errorf("check %q: %d instants, want one per session (9)", a.Detail.Description, len(a.Detail.ScheduledTiming.Event))
			}
		}
	}
	if refs != 12 || checks != 4 {
		t.Errorf("care plan: %d linked resources and %d checks, want 12 and 4", refs, checks)
	}
	if d := cp[0].Activity[12].Detail; d == nil || d.Description != "blood pressure and heart rate, 10 min after the start of administration" ||
		d.ScheduledTiming.Event[0] != "2025-03-03T09:10:00-05:00" {
		t.Errorf("first check: %+v", d)
	}
	prov := tb.of("Provenance")
	if len(prov) != 1 || len(prov[0].Target) != len(tb.Entry)-1 || prov[0].Entity[0].What.Identifier.Value != p.SHA256() {
		t.Errorf("provenance: %+v, want one naming every other entry and the protocol's SHA-256", prov)
	}
}

// TestDoneSessions: a replanned plan's done session is a fulfilled
// appointment and no request (doseplan proposes only what is ahead).
func TestDoneSessions(t *testing.T) {
	p, pl := ivPlan(t)
	history := []schedule.Event{{Kind: schedule.Done, Session: 1, At: pl.Sessions[0].Start}}
	re, err := pl.Replan(history, schedule.Date{Year: 2025, Month: 3, Day: 4}, nil)
	if err != nil {
		t.Fatal(err)
	}
	before, after := bundleOf(t, mustPlan(t, pl, p, testOptions())), bundleOf(t, mustPlan(t, re, p, testOptions()))
	a := after.of("Appointment")
	if len(a) != 9 || a[0].Status != "fulfilled" || a[0].Participant[0].Status != "accepted" || a[1].Status != "proposed" {
		t.Fatalf("appointments after session 1 was done: %+v", a)
	}
	if ev := after.of("MedicationRequest")[0].DosageInstruction[0].Timing.Event; len(ev) != 2 || ev[0] != "2025-03-05T09:00:00-05:00" {
		t.Errorf("first request's sessions after session 1 was done: %v, want sessions 2 and 3", ev)
	}
	// Ids follow the series position, so every appointment keeps its id.
	for i := range a {
		if b := before.of("Appointment")[i]; a[i].ID != b.ID || after.Entry[0].FullURL == "" {
			t.Errorf("appointment %d: id %q after replanning, %q before", i+1, a[i].ID, b.ID)
		}
	}
}

// TestIDs: ids are FHIR ids and fullUrls UUID URNs, both derived from the
// protocol's SHA-256 and Options.ID only, so an export is reproducible and
// two patients' exports differ.
func TestIDs(t *testing.T) {
	p, pl := ivPlan(t)
	a, b := mustPlan(t, pl, p, testOptions()), mustPlan(t, pl, p, testOptions())
	if string(a) != string(b) {
		t.Fatal("two exports of one plan differ")
	}
	other := testOptions()
	other.ID = "MRN-9999/2025-03-03"
	c := bundleOf(t, mustPlan(t, pl, p, other))
	idRE := regexp.MustCompile(`^[A-Za-z0-9\-.]{1,64}$`)
	urlRE := regexp.MustCompile(`^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for i, e := range bundleOf(t, a).Entry {
		if !idRE.MatchString(e.Resource.ID) || !urlRE.MatchString(e.FullURL) {
			t.Errorf("entry %d: id %q, fullUrl %q", i, e.Resource.ID, e.FullURL)
		}
		if seen[e.FullURL] {
			t.Errorf("entry %d: fullUrl %q twice", i, e.FullURL)
		}
		seen[e.FullURL] = true
		if c.Entry[i].FullURL == e.FullURL || c.Entry[i].Resource.ID == e.Resource.ID {
			t.Errorf("entry %d: another patient's export has the same id %q", i, e.Resource.ID)
		}
	}
}

// TestDripRateCode: a drip rate is in UCUM's [drp]/min only with a 20
// gtt/mL set, where UCUM's fixed 1/20 mL drop is the set's drop; otherwise
// in the annotation {drop}/min. 80 kg: 0.1 mg/kg loading = 8 mg = 20.8 mL
// of the 104 mL bag, leaving 83.2 mL over 40 min = 2.08 mL/min; times the
// drop factor, rounded half up: 20 gtt/mL → 41.6 → 42 gtt/min; 60 gtt/mL →
// 124.8 → 125 gtt/min; 15 gtt/mL → 31.2 → 31 gtt/min.
func TestDripRateCode(t *testing.T) {
	tests := []struct {
		factor, rate, code string
	}{
		{"20 gtt/mL", "42", "[drp]/min"},
		{"60 gtt/mL", "125", "{drop}/min"},
		{"15 gtt/mL", "31", "{drop}/min"},
	}
	for _, tt := range tests {
		t.Run(tt.factor, func(t *testing.T) {
			p := gravityProtocol(t, tt.factor)
			res, err := p.Calculate(ivPatient(), dosing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := fhir.Dose(p, res, units.Quantity{}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			e := entries(bundleOf(t, b).of("MedicationRequest")[0])
			if got := e[len(e)-1]; got != "calculated rate "+tt.rate+" "+tt.code {
				t.Errorf("drip entry %q, want %q", got, "calculated rate "+tt.rate+" "+tt.code)
			}
			doc := decodeTree(t, b).(map[string]any)
			mr := doc["entry"].([]any)[0].(map[string]any)["resource"].(map[string]any)
			drs := mr["dosageInstruction"].([]any)[1].(map[string]any)["doseAndRate"].([]any)
			ext := drs[len(drs)-1].(map[string]any)["extension"].([]any)[0].(map[string]any)
			vq := ext["valueQuantity"].(map[string]any)
			if got := fmt.Sprint(ext["url"], " ", vq["value"], " ", vq["code"]); got != fhir.DropFactorURL+" "+strings.TrimSuffix(tt.factor, " gtt/mL")+" {drop}/mL" {
				t.Errorf("drop factor beside the drip rate: %s", got)
			}
		})
	}
}

// TestErrors: every bad input is reported at once, with its field and a
// sentinel.
func TestErrors(t *testing.T) {
	p, pl := ivPlan(t)
	res := pl.Sessions[0].Dose
	other := load(t, "esketamine-nasal")
	tests := []struct {
		name   string
		export func() error
		fields []string
		is     []error
	}{
		{"no time and no software", func() error {
			_, err := fhir.Dose(p, res, units.Quantity{}, fhir.Options{})
			return err
		}, []string{"options.recorded", "options.software"}, []error{fhir.ErrMissing}},
		{"no protocol", func() error {
			_, err := fhir.Dose(nil, res, units.Quantity{}, testOptions())
			return err
		}, []string{"protocol"}, []error{fhir.ErrMissing}},
		{"no plan", func() error {
			_, err := fhir.Plan(nil, p, testOptions())
			return err
		}, []string{"plan"}, []error{fhir.ErrMissing}},
		{"another protocol", func() error {
			_, err := fhir.Plan(pl, other, testOptions())
			return err
		}, []string{"protocol"}, []error{fhir.ErrConflict}},
		// 0.6 mg/kg × 80 kg is 48 mg, not the result's 40 mg.
		{"level that does not give the dose", func() error {
			_, err := fhir.Dose(p, res, units.MustParse("0.6 mg/kg"), testOptions())
			return err
		}, []string{"level"}, []error{fhir.ErrConflict}},
		// 0.5 mg/kg/h × 70 kg × 240 min is 140 mg, not the result's 0.35
		// mg/kg/h × 70 kg × 4 h = 98 mg.
		{"rate that does not give the dose", func() error {
			pain := load(t, "chronic-pain-infusion")
			r, err := pain.Calculate(dosing.Patient{Weight: units.MustParse("70 kg"), AgeYears: 45}, dosing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = fhir.Dose(pain, r, units.MustParse("0.5 mg/kg/h"), testOptions())
			return err
		}, []string{"level"}, []error{fhir.ErrConflict}},
		// In units as in mg: 20 units/kg/h × 75 kg × 1 h is 1,500 units, not
		// the result's 18 units/kg/h × 75 kg × 1 h = 1,350 units.
		{"a rate in units that does not give the dose", func() error {
			h := heparinProtocol(t)
			r, err := h.Calculate(dosing.Patient{Weight: units.MustParse("75 kg"), AgeYears: 60}, dosing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = fhir.Dose(h, r, units.MustParse("20 units/kg/h"), testOptions())
			return err
		}, []string{"level"}, []error{fhir.ErrConflict}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.export()
			if err == nil {
				t.Fatal("no error")
			}
			var fields []string
			errs := []error{err}
			if j, ok := err.(interface{ Unwrap() []error }); ok {
				errs = j.Unwrap()
			}
			for _, e := range errs {
				var ie *fhir.FieldError
				if !errors.As(e, &ie) {
					t.Fatalf("%v is not an *FieldError", e)
				}
				fields = append(fields, ie.Field)
				if !strings.HasPrefix(e.Error(), "fhir: "+ie.Field) {
					t.Errorf("message %q does not start with the package and field", e)
				}
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			for _, s := range tt.is {
				if !errors.Is(err, s) {
					t.Errorf("%v does not wrap %v", err, s)
				}
			}
		})
	}
}

// TestSubject: without a patient the requests say that doseplan does not
// know who it is; with one they name it.
func TestSubject(t *testing.T) {
	p, pl := ivPlan(t)
	opt := testOptions()
	opt.Subject = fhir.Subject{}
	mr := bundleOf(t, mustPlan(t, pl, p, opt)).of("MedicationRequest")[0]
	if mr.Subject.Reference != "" || !strings.HasPrefix(mr.Subject.Display, "patient not identified") {
		t.Errorf("subject without a patient: %+v", mr.Subject)
	}
	mr = bundleOf(t, mustPlan(t, pl, p, testOptions())).of("MedicationRequest")[0]
	if mr.Subject.Reference != "Patient/example" || mr.Subject.Display != "Example Patient" {
		t.Errorf("subject: %+v", mr.Subject)
	}
}

// TestDoseLaws: for any plausible patient and titration level of the IV
// protocol, the export's quantities read back to the result's exact
// values: ordered is the level, calculated the dose and the pump rate,
// every Quantity is UCUM with a code doseplan's table reads.
func TestDoseLaws(t *testing.T) {
	p := load(t, "iv-ketamine-trd")
	rapid.Check(t, func(t *rapid.T) {
		kg := rapid.IntRange(400, 1500).Draw(t, "decikilograms")
		level := rapid.IntRange(0, len(p.Titration.Steps)-1).Draw(t, "level")
		pt := dosing.Patient{Weight: units.New(decimal.New(int64(kg), -1), units.Kilogram), Height: units.MustParse("175 cm"), Sex: dosing.Male, AgeYears: 45}
		lv := p.Titration.Steps[level]
		res, err := p.Calculate(pt, dosing.Options{Dose: lv, Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "test"}}})
		if err != nil {
			var le *dosing.LimitError
			if errors.As(err, &le) {
				t.Skip("a hard limit refuses this patient")
			}
			t.Fatal(err)
		}
		b, err := fhir.Dose(p, res, lv, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal([]byte(quoteNumbers(string(b))), &doc); err != nil {
			t.Fatal(err)
		}
		var got []units.Quantity
		forQuantities(doc, func(q map[string]any) {
			if q["system"] != "http://unitsofmeasure.org" {
				t.Fatalf("quantity %v is not UCUM", q)
			}
			u, err := units.ParseUCUM(q["code"].(string))
			if err != nil {
				t.Fatalf("quantity %v: %v", q, err)
			}
			v, err := units.Parse(q["value"].(string) + " " + u.String())
			if err != nil {
				t.Fatalf("quantity %v: %v", q, err)
			}
			got = append(got, v)
		})
		// ordered, dose, pump rate, then the 300 mg per 7 days and the 100 mg cap.
		want := []units.Quantity{lv, res.Dose, res.Infusion.PumpRate, units.NewInt(300, units.Milligram), units.NewInt(7, units.Day), units.NewInt(100, units.Milligram)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("quantities (-want +got):\n%s", diff)
		}
	})
}

// forQuantities calls f with every object that has a value and a code.
func forQuantities(v any, f func(map[string]any)) {
	switch t := v.(type) {
	case map[string]any:
		if _, ok := t["value"]; ok {
			if _, ok := t["code"]; ok {
				f(t)
				return
			}
		}
		for _, k := range sortedKeys(t) {
			forQuantities(t[k], f)
		}
	case []any:
		for _, x := range t {
			forQuantities(x, f)
		}
	}
}

// sortedKeys walks objects in the order the export writes them: the test
// compares a list, so the walk must be deterministic. The export writes
// doseAndRate before maxDosePerPeriod before maxDosePerAdministration, and
// ordered before calculated; a lexical order keeps those.
func sortedKeys(m map[string]any) []string {
	order := []string{"doseAndRate", "maxDosePerPeriod", "maxDosePerAdministration", "numerator", "denominator", "doseQuantity", "rateQuantity", "valueQuantity"}
	var out []string
	for _, k := range order {
		if _, ok := m[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range m {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// TestDrugCode: the medication is the protocol's drug as text, coded with
// the protocol's drug_code exactly as written, and with no code when the
// protocol has none.
func TestDrugCode(t *testing.T) {
	type med struct {
		Coding []struct{ System, Code, Display string } `json:"coding"`
		Text   string                                   `json:"text"`
	}
	medOf := func(b []byte) med {
		var doc struct {
			Entry []struct {
				Resource struct {
					Med med `json:"medicationCodeableConcept"`
				} `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Entry[0].Resource.Med
	}
	cases := exportCases(t)
	got := map[string]med{}
	for _, c := range cases {
		got[c.name] = medOf(c.data)
	}
	want := map[string]med{
		"iv-series":            {Text: "ketamine (racemic)"},
		"esketamine-series":    {Text: "esketamine (SPRAVATO 28 mg nasal spray device)"},
		"heparin-units-dose":   {Text: "heparin sodium"},
		"iv-dose":              {Text: "ketamine (racemic)"},
		"pain-rate-dose":       {Text: "ketamine (racemic)"},
		"gravity-loading-dose": {Text: "ketamine (racemic)", Coding: []struct{ System, Code, Display string }{{"https://formulary.example.org/drugs", "KET-10", "ketamine 10 mg/mL vial"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("medicationCodeableConcept (-want +got):\n%s", diff)
	}
}
