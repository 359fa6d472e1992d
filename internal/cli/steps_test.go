package cli

import (
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// parseArgs defines c's flags, parses args as the command line after the
// command's name, and returns c's request and the usage errors: the parse
// step alone, with no file, clock or library call.
func parseArgs[Req request, Resp any](t *testing.T, c stepper[Req, Resp], args ...string) (Req, []string) {
	t.Helper()
	f := newFlagSet("test", io.Discard)
	c.define(f)
	pos, err := f.parse(args)
	if err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return c.parse(f, pos), f.errs
}

// parseCase is a command line and what its parse step reads it as.
type parseCase[Req any] struct {
	name string
	args []string
	want Req
	errs []string // the usage errors, in order
}

// testParse runs the parse step of a fresh command from newCmd on each
// case.
func testParse[Req request, Resp any](t *testing.T, newCmd func() stepper[Req, Resp], tests []parseCase[Req]) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := parseArgs(t, newCmd(), tt.args...)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("request mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errs); diff != "" {
				t.Errorf("usage errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The patient most cases give, and the request fields it reads as.
var (
	man80     = []string{"--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45"}
	man80Read = dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male, AgeYears: 45}
)

func TestDoseParse(t *testing.T) {
	testParse(t, func() stepper[doseRequest, doseResponse] { return new(doseCmd) }, []parseCase[doseRequest]{
		{"the protocol's dose", append([]string{"--protocol", "example:iv-ketamine-trd"}, man80...),
			doseRequest{Protocol: "example:iv-ketamine-trd", Patient: man80Read}, nil},
		{"a level, acknowledged, as JSON", append([]string{"--protocol", "p.yaml", "--level", "3", "--json",
			"--ack", "dose_per_kg.soft_max=tolerated at session 4", "--ack-by", "A. Pharmacist"}, man80...),
			doseRequest{Output: Output{JSON: true}, Protocol: "p.yaml", Patient: man80Read, Level: 3,
				Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "tolerated at session 4", By: "A. Pharmacist"}}}, nil},
		{"a dose in pounds of patient", []string{"--protocol", "-", "--weight", "176lb", "--dose", "0.6 mg/kg"},
			doseRequest{Protocol: "-", Patient: dosing.Patient{Weight: units.MustParse("176 lb")}, Dose: units.MustParse("0.6 mg/kg")}, nil},
		{"a birth date and the day of the age", []string{"--protocol", "p.yaml", "--weight", "80kg", "--birth-date", "1980-05-06", "--as-of", "2025-03-03"},
			doseRequest{Protocol: "p.yaml", Patient: dosing.Patient{Weight: units.MustParse("80 kg"),
				BirthDate: time.Date(1980, 5, 6, 0, 0, 0, 0, time.UTC), AsOf: time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)}}, nil},
		{"a FHIR export to standard output, stamped by the clock when it runs", append([]string{"--protocol", "p.yaml",
			"--fhir", "-", "--stamp", "now", "--plan-id", "MRN-1", "--fhir-patient", "Patient/1"}, man80...),
			doseRequest{Protocol: "p.yaml", Patient: man80Read, FHIR: fhirExport{File: "-", Patient: "Patient/1"}, Stamp: stamp{Now: true}, PlanID: "MRN-1"}, nil},
		{"a FHIR export to a file at a given time", append([]string{"--protocol", "p.yaml", "--fhir", "out.json", "--stamp", "2025-03-01T12:00:00Z"}, man80...),
			doseRequest{Protocol: "p.yaml", Patient: man80Read, FHIR: fhirExport{File: "out.json"}, Stamp: stamp{At: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}}, nil},
		{"a level and a dose", append([]string{"--protocol", "p.yaml", "--level", "2", "--dose", "0.6mg/kg"}, man80...),
			doseRequest{Protocol: "p.yaml", Patient: man80Read, Level: 2, Dose: units.MustParse("0.6 mg/kg")},
			[]string{"--level and --dose both choose the dose; give one"}},
		{"a stamp without an export, and an argument", append([]string{"--protocol", "p.yaml", "--stamp", "now", "80kg"}, man80...),
			doseRequest{Protocol: "p.yaml", Patient: man80Read},
			[]string{"--stamp is only used with --fhir", `unexpected argument "80kg" (this command takes flags only; quote values with spaces: --weight "80 kg")`}},
		{"JSON and the bundle on standard output, with no stamp", append([]string{"--protocol", "p.yaml", "--fhir", "-", "--json"}, man80...),
			doseRequest{Output: Output{JSON: true}, Protocol: "p.yaml", Patient: man80Read, FHIR: fhirExport{File: "-"}},
			[]string{fhirNeedsStamp, "--fhir - and --json both write to standard output; give one"}},
		{"nothing", nil, doseRequest{}, []string{
			`--protocol is required: the protocol: a YAML or JSON file, "-" for standard input, or example:NAME (see "doseplan protocols")`,
			`--weight is required: body weight with its unit: 80kg, "80 kg", 176lb`}},
	})
}

// TestOrderFlags checks check's order flags against package dosing's
// table of order fields: a row of wording for each field and none other,
// and each flag's example a quantity the field takes, so that a new field
// is a row in dosing and a row of wording here.
func TestOrderFlags(t *testing.T) {
	words := orderFlagWords()
	fields := dosing.OrderFields()
	if len(words) != len(fields) {
		t.Errorf("%d rows of wording for %d order fields", len(words), len(fields))
	}
	names := map[string]bool{}
	for _, of := range orderFlags() {
		name := of.field.Name()
		w, ok := words[name]
		if !ok || w.arg == "" || w.usage == "" || w.what == "" || w.example == "" {
			t.Errorf("order field %s: no wording for its flag (%+v)", name, w)
			continue
		}
		if names[of.name] {
			t.Errorf("two order fields have the flag --%s", of.name)
		}
		names[of.name] = true
		q, err := units.Parse(w.example)
		if err != nil || !of.kind.accepts(q.Dimension()) {
			t.Errorf("--%s: the example %q is not a quantity the field takes (%v)", of.name, w.example, err)
		}
	}
}

func TestCheckParse(t *testing.T) {
	pt := []string{"--protocol", "p.yaml", "--weight", "80kg"}
	ptRead := dosing.Patient{Weight: units.MustParse("80 kg")}
	testParse(t, func() stepper[checkRequest, checkResponse] { return new(checkCmd) }, []parseCase[checkRequest]{
		{"values of the order with their units, a tolerance and a level",
			append([]string{"--dose", "40mg", "--draw-volume", "4mL", "--pump-rate", "156mL/h", "--tolerance", "pump-rate=2%", "--level", "2"}, pt...),
			checkRequest{Protocol: "p.yaml", Patient: ptRead, Level: 2,
				Order:      dosing.Order{Dose: units.MustParse("40 mg"), DrawVolume: units.MustParse("4 mL"), PumpRate: units.MustParse("156 mL/h")},
				Tolerances: dosing.Tolerances{PumpRate: units.MustParse("2 %")}}, nil},
		{"the order's weight beside the patient's, in pounds, and a count",
			append([]string{"--order-weight", "176lb", "--count", "2 devices", "--json"}, pt...),
			checkRequest{Output: Output{JSON: true}, Protocol: "p.yaml", Patient: ptRead,
				Order: dosing.Order{Weight: units.MustParse("176 lb"), Count: units.MustParse("2 devices")}}, nil},
		{"mcg is kept as written", append([]string{"--dose-rate-per-kg", "12.5mcg/kg/min"}, pt...),
			checkRequest{Protocol: "p.yaml", Patient: ptRead, Order: dosing.Order{DoseRatePerKg: units.MustParse("12.5 mcg/kg/min")}}, nil},
		{"no value of the order", pt, checkRequest{Protocol: "p.yaml", Patient: ptRead}, []string{
			"give at least one value of the order to check: --dose, --dose-per-kg, --dose-per-day, --dose-per-kg-per-day, --order-weight, --stock, --draw-volume, --final-volume, " +
				"--final-concentration, --pump-rate, --duration, --dose-rate, --dose-rate-per-kg, --drip-rate, --drop-factor, --count"}},
		{"a tolerance for no field", append([]string{"--dose", "40mg", "--tolerance", "rate=2%"}, pt...),
			checkRequest{Protocol: "p.yaml", Patient: ptRead, Order: dosing.Order{Dose: units.MustParse("40 mg")}}, []string{
				`--tolerance "rate=2%": write FIELD=PCT, e.g. pump-rate=2%, with FIELD one of dose, dose-per-kg, dose-per-day, dose-per-kg-per-day, order-weight, stock, ` +
					"draw-volume, final-volume, final-concentration, pump-rate, duration, dose-rate, dose-rate-per-kg, drip-rate, drop-factor, count"}},
		{"a volume for the dose", append([]string{"--dose", "4mL"}, pt...), checkRequest{Protocol: "p.yaml", Patient: ptRead},
			[]string{`--dose "4mL": is not a drug amount (write e.g. "40 mg")`}},
	})
}

func TestBodyParse(t *testing.T) {
	allLean := []string{"janmahasatian", "james", "boer"}
	all := func(r bodyRequest) bodyRequest {
		r.BSA, r.IBW, r.Lean = []string{"mosteller", "dubois", "haycock", "boyd"}, []string{"devine", "robinson", "miller"}, allLean
		return r
	}
	female := dosing.Patient{Weight: units.MustParse("140 kg"), Height: units.MustParse("150 cm"), Sex: dosing.Female}
	testParse(t, func() stepper[bodyRequest, bodyDoc] { return new(bodyCmd) }, []parseCase[bodyRequest]{
		{"every formula, and the adjusted weight", append([]string{"--abw-factor", "0.4"}, man80...),
			all(bodyRequest{Patient: man80Read, Factor: decimal.RequireFromString("0.4")}), nil},
		{"one formula of each, named in any case, clamped below 60 in",
			[]string{"--weight", "140kg", "--height", "150cm", "--sex", "female", "--bsa-formula", "DuBois", "--ibw-formula", "devine", "--lean-formula", "James",
				"--short-stature", "clamp", "--json"},
			bodyRequest{Output: Output{JSON: true}, Patient: female, BSA: []string{"dubois"}, IBW: []string{"devine"}, Lean: []string{"james"}, Short: dosing.ClampAt60In}, nil},
		{"an ideal-weight formula without the sex, and a rounding of the stature",
			[]string{"--weight", "80kg", "--height", "175cm", "--ibw-formula", "devine", "--short-stature", "round"},
			bodyRequest{Patient: dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm")},
				BSA: []string{"mosteller", "dubois", "haycock", "boyd"}, IBW: []string{"devine"}, Lean: allLean, Short: "round"},
			[]string{`--short-stature "round": must be clamp or extrapolate`, "--ibw-formula devine needs --sex male or female"}},
		{"a formula of no one's", append([]string{"--bsa-formula", "gehan"}, man80...),
			bodyRequest{Patient: man80Read, IBW: []string{"devine", "robinson", "miller"}, Lean: allLean},
			[]string{`--bsa-formula "gehan": must be one of mosteller, dubois, haycock, boyd`}},
		{"no weight: the ideal body weight alone", []string{"--height", "175cm", "--sex", "male"},
			all(bodyRequest{Patient: dosing.Patient{Height: units.MustParse("175 cm"), Sex: dosing.Male}}), nil},
		{"an adjustment factor without a weight, a lean formula without the sex",
			[]string{"--height", "175cm", "--abw-factor", "0.4", "--lean-formula", "boer"},
			bodyRequest{Patient: dosing.Patient{Height: units.MustParse("175 cm")}, BSA: []string{"mosteller", "dubois", "haycock", "boyd"},
				IBW: []string{"devine", "robinson", "miller"}, Lean: []string{"boer"}, Factor: decimal.RequireFromString("0.4")},
			[]string{"--lean-formula boer needs --sex male or female", "--abw-factor needs --weight: the adjusted body weight is of the actual weight"}},
	})
}

func TestPlanParse(t *testing.T) {
	base := []string{"--protocol", "p.yaml", "--weight", "80kg", "--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00"}
	pt := dosing.Patient{Weight: units.MustParse("80 kg")}
	weekdays := []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday}
	cal := schedule.CalendarConfig{Zone: "America/New_York", Open: weekdays, Starts: []schedule.TimeOfDay{{Hour: 9}}}
	start := schedule.Date{Year: 2025, Month: time.March, Day: 3}
	req := func(r planRequest) planRequest {
		r.Protocol, r.Patient, r.Start = "p.yaml", pt, start
		if r.Calendar.Zone == "" {
			r.Calendar = cal
		}
		return r
	}
	testParse(t, func() stepper[planRequest, planResponse] { return new(planCmd) }, []parseCase[planRequest]{
		{"a calendar", base, req(planRequest{}), nil},
		{"two start times, a weekend, closures, levels, a session weight and worksheets",
			append(base, "--at", "13:30", "--open", "sat-sun", "--closed", "2025-04-18=Good Friday", "--closed", "2025-12-24..2026-01-01",
				"--level", "4=2", "--session-weight", "3=81kg", "--worksheet", "4,5", "--ack", "dose_per_kg.soft_max=tolerated"),
			req(planRequest{
				Calendar: schedule.CalendarConfig{Zone: "America/New_York", Open: append(weekdays, schedule.Saturday, schedule.Sunday),
					Starts: []schedule.TimeOfDay{{Hour: 9}, {Hour: 13, Minute: 30}},
					Closed: []schedule.Closure{{Date: schedule.Date{Year: 2025, Month: time.April, Day: 18}, Name: "Good Friday"},
						{Date: schedule.Date{Year: 2025, Month: time.December, Day: 24}, Through: schedule.Date{Year: 2026, Month: time.January, Day: 1}}}},
				// Levels are 0-based in the library, from 1 on the command line.
				Options: schedule.PlanOptions{Levels: map[int]int{4: 1}, SessionWeights: map[int]units.Quantity{3: units.MustParse("81 kg")},
					Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "tolerated"}}},
				Worksheets: []int{4, 5}}), nil},
		{"an iCalendar export, and a FHIR one to a file", append(base, "--ics", "plan.ics", "--plan-id", "MRN-1", "--stamp", "now", "--fhir", "plan.json"),
			req(planRequest{ICS: "plan.ics", PlanID: "MRN-1", Stamp: stamp{Now: true}, FHIR: fhirExport{File: "plan.json"}}), nil},
		{"an iCalendar export without its id and stamp", append(base, "--ics", "plan.ics"),
			req(planRequest{ICS: "plan.ics"}), []string{
				"--ics needs --plan-id: a reference for the plan (event UIDs are derived from it)",
				`--ics needs --stamp: the DTSTAMP of the events, an RFC 3339 time (2025-03-01T12:00:00Z) or "now"`}},
		{"a FHIR export without a stamp", append(base, "--fhir", "-"),
			req(planRequest{FHIR: fhirExport{File: "-"}}), []string{fhirNeedsStamp}},
		{"an id and a stamp with no export, and session 0's worksheet", append(base, "--plan-id", "MRN-1", "--stamp", "now", "--worksheet", "0"),
			req(planRequest{PlanID: "MRN-1"}), []string{
				"--plan-id is only used with --ics or --fhir", "--stamp is only used with --ics or --fhir",
				`--worksheet "0": is not a session number (1 is the first session)`}},
		{"a time of day past noon written without the 24-hour clock", append(base, "--at", "1:30pm"),
			req(planRequest{}), []string{`--at "1:30pm": is not a time of day (write HH:MM on the 24-hour clock, e.g. 09:00)`}},
	})
}

func TestConvertParse(t *testing.T) {
	entry := func(s string) units.Entry { return units.Entry{Text: s, Quantity: units.MustParse(s)} }
	nine := schedule.TimeOfDay{Hour: 9}
	testParse(t, func() stepper[convertRequest, convertDoc] { return new(convertCmd) }, []parseCase[convertRequest]{
		{"a quantity and a unit", []string{"12.5 mcg/kg/min", "mg/kg/h"},
			convertRequest{Input: entry("12.5 mcg/kg/min"), To: units.MgPerKgPerHour, Factors: map[string]units.Entry{}, Written: map[string]string{}}, nil},
		{"the number apart from its unit, and the word to", []string{"500", "mL", "to", "h", "--rate", "125mL/h", "--start", "09:00", "--json"},
			convertRequest{Output: Output{JSON: true}, Input: entry("500 mL"), To: units.Hour, Start: &nine,
				Factors: map[string]units.Entry{"rate": entry("125 mL/h")}, Written: map[string]string{"rate": "125mL/h", "start": "09:00"}}, nil},
		// "250 mg in 500 mL" is 0.5 mg/mL, kept as its parts for an exact conversion.
		{"an amount in a volume, a drop factor, a rounding", []string{"10 mg/h", "gtt/min", "--concentration", "250 mg in 500 mL", "--drop-factor", "20gtt/mL", "--round", "1gtt/min:down"},
			convertRequest{Input: entry("10 mg/h"), To: units.DropsPerMin,
				Factors: map[string]units.Entry{"drop-factor": entry("20 gtt/mL"),
					"concentration": {Text: "250 mg in 500 mL", Quantity: units.MustParse("0.5 mg/mL"), Parts: []units.Quantity{units.MustParse("250 mg"), units.MustParse("500 mL")}}},
				Round:   rounding{Step: units.MustParse("1 gtt/min"), Mode: units.RoundDown},
				Written: map[string]string{"concentration": "250 mg in 500 mL", "drop-factor": "20gtt/mL", "round": "1gtt/min:down"}}, nil},
		{"one argument", []string{"12.5 mcg/kg/min"},
			convertRequest{Factors: map[string]units.Entry{}, Written: map[string]string{}},
			[]string{`convert takes a quantity and a unit (got 1 arguments): doseplan convert "12.5 mcg/kg/min" mg/kg/h`}},
		{"a number without its unit, a unit in cc, a rounding mode of no one's", []string{"12.5", "cc/h", "--round", "1gtt/min:nearest"},
			convertRequest{Factors: map[string]units.Entry{}, Written: map[string]string{"round": "1gtt/min:nearest"}},
			[]string{`"12.5": missing unit; write a quantity with its unit, e.g. "12.5 mcg/kg/min"`, `unit "cc/h": ambiguous unit "cc"; write "mL/h"`,
				`--round "1gtt/min:nearest": unknown rounding mode "nearest" (allowed: half_up, half_even, down, up)`}},
	})
}

func TestPKParse(t *testing.T) {
	q := units.MustParse
	testParse(t, func() stepper[pkRequest, pkResponse] { return new(pkCmd) }, []parseCase[pkRequest]{
		{"a built-in model and an infusion", []string{"--model", "domino", "--weight", "70kg", "--dose", "0.5 mg/kg", "--over", "40 min", "--age", "40"},
			pkRequest{Model: "domino", Weight: q("70 kg"), Age: 40, Dose: q("0.5 mg/kg"), Over: q("40 min")}, nil},
		{"a model file, a bolus, a plot to its time and every level in full",
			[]string{"--model-file", "clinic.yaml", "--weight", "70kg", "--dose", "35mg", "--plot", "cp.SVG", "--until", "2h", "--threshold", "100ng/mL", "--full-precision", "--json"},
			pkRequest{Output: Output{JSON: true}, ModelFile: "clinic.yaml", Weight: q("70 kg"), Dose: q("35 mg"), Plot: "cp.SVG", Format: pk.SVG,
				Levels: pkLevels{Threshold: q("100 ng/mL"), Until: q("2 h"), Full: true}}, nil},
		{"both models, one of no one's", []string{"--model", "marsh", "--model-file", "m.yaml", "--weight", "70kg", "--dose", "35mg"},
			pkRequest{Model: "marsh", ModelFile: "m.yaml", Weight: q("70 kg"), Dose: q("35 mg")}, []string{
				"give one of --model and --model-file", `--model "marsh": is not a built-in model (have: domino, clements250, hijazi)`}},
		{"an end of nothing, and a plot in PDF", []string{"--model", "domino", "--weight", "70kg", "--dose", "35mg", "--until", "2h", "--plot", "cp.pdf"},
			pkRequest{Model: "domino", Weight: q("70 kg"), Dose: q("35 mg"), Plot: "cp.pdf", Levels: pkLevels{Until: q("2 h")}},
			[]string{`--plot "cp.pdf": must end in .png or .svg`}},
		{"an end without a table or a plot", []string{"--model", "domino", "--weight", "70kg", "--dose", "35mg", "--until", "2h"},
			pkRequest{Model: "domino", Weight: q("70 kg"), Dose: q("35 mg"), Levels: pkLevels{Until: q("2 h")}},
			[]string{"--until is only used with --every or --plot"}},
	})
}

func TestLintAndProtocolsParse(t *testing.T) {
	lint, errs := parseArgs[lintRequest, lintDoc](t, new(lintCmd), "a.yaml", "--json", "example:iv-ketamine-trd", "-")
	if diff := cmp.Diff(lintRequest{Output: Output{JSON: true}, Sources: []string{"a.yaml", "example:iv-ketamine-trd", "-"}}, lint); diff != "" || errs != nil {
		t.Errorf("lint request mismatch (-want +got):\n%s\nerrors %q", diff, errs)
	}
	if _, errs := parseArgs[lintRequest, lintDoc](t, new(lintCmd), "--json"); len(errs) != 1 {
		t.Errorf("lint with no protocol: errors %q, want one", errs)
	}
	tests := []struct {
		args []string
		want protocolsRequest
		errs []string
	}{
		{nil, protocolsRequest{}, nil},
		{[]string{"iv-ketamine-trd"}, protocolsRequest{Name: "iv-ketamine-trd"}, nil},
		{[]string{"--json", "a", "b"}, protocolsRequest{Output: Output{JSON: true}}, []string{"give at most one example name (got 2)"}},
	}
	for _, tt := range tests {
		got, errs := parseArgs[protocolsRequest, protocolsDoc](t, new(protocolsCmd), tt.args...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("protocols %q: request mismatch (-want +got):\n%s", tt.args, diff)
		}
		if diff := cmp.Diff(tt.errs, errs); diff != "" {
			t.Errorf("protocols %q: usage errors mismatch (-want +got):\n%s", tt.args, diff)
		}
	}
}
