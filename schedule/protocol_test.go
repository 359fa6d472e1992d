package schedule_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ignoreProtocolState compares protocols by their fields, not by the hash
// and findings a load records.
var ignoreProtocolState = cmpopts.IgnoreUnexported(schedule.Protocol{})

func TestLoadProtocolExamples(t *testing.T) {
	for _, name := range protocols.Names() {
		t.Run(name, func(t *testing.T) {
			doc := exampleDoc(t, name)
			p := loadDoc(t, doc)
			// The hash is of the bytes, computed here independently.
			sum := sha256.Sum256(doc)
			if got, want := p.SHA256(), hex.EncodeToString(sum[:]); got != want {
				t.Errorf("SHA256() = %s, want %s", got, want)
			}
			// An example declares a rounding tolerance only where a source
			// or its own logic gives one (esketamine: the label's doses are
			// whole devices); the others leave it out, and lint says so.
			var want []string
			if name != "esketamine-nasal" {
				want = []string{"warning: dose.rounding_tolerance"}
			}
			var got []string
			for _, f := range p.Findings() {
				got = append(got, string(f.Severity)+": "+f.Field)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Findings() of an example protocol (-want +got):\n%s", diff)
			}
			if err := p.Validate(); err != nil {
				t.Errorf("Validate() of a loaded protocol = %v", err)
			}
			if p.Format != schedule.FormatVersion || p.Dosing.Name == "" || p.Dosing.Source == "" {
				t.Errorf("metadata not loaded: format %d, name %q, source %q", p.Format, p.Dosing.Name, p.Dosing.Source)
			}
		})
	}
}

func TestLoadProtocolIVExampleFields(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	// What the file says, read field by field (examples/protocols/iv-ketamine-trd.yaml).
	checks := []struct {
		field string
		got   units.Quantity
		want  string
	}{
		{"dose.per_kg", p.Dosing.Dose, "0.5 mg/kg"},
		{"dose.cap", p.Dosing.Cap, "100 mg"},
		{"dose.weight.ideal_when_bmi_at_least", p.Dosing.Weight.IdealWhenBMIAtLeast, "30 kg/m²"},
		{"dose.limits.dose_per_kg.soft_max", p.Dosing.Limits.DosePerKg.SoftMax, "0.75 mg/kg"},
		{"dose.limits.dose_per_kg.hard_max", p.Dosing.Limits.DosePerKg.HardMax, "1 mg/kg"},
		{"preparation.stock", p.Dosing.Preparation.Stock, "10 mg/mL"},
		{"preparation.bag.volume", p.Dosing.Preparation.Bag.Volume, "100 mL"},
		{"infusion.duration", p.Dosing.Infusion.Duration, "40 min"},
		{"series.min_interval", p.Series.MinInterval, "44 h"},
		{"series.phases[1].every", p.Series.Phases[1].Every, "28 days"},
		{"titration.steps[2]", p.Titration.Steps[2], "0.75 mg/kg"},
		{"session.observation", p.Session.Observation, "30 min"},
		{"caps.per_7_days", p.Caps.Per7Days, "300 mg"},
		{"vitals.hold.heart_rate_above", p.Vitals.Hold.HeartRateAbove, "110 /min"},
	}
	for _, c := range checks {
		if !c.got.Equal(qty(c.want)) {
			t.Errorf("%s = %v, want %s", c.field, c.got, c.want)
		}
	}
	if p.Series.Phases[0].Sessions != 6 || p.Series.MaxPer7Days != 3 || p.Titration.AdvanceAfterSessions != 3 || !p.Session.DriverRequired {
		t.Errorf("counts: sessions %d, max_per_7_days %d, advance_after_sessions %d, driver %v; want 6, 3, 3, true",
			p.Series.Phases[0].Sessions, p.Series.MaxPer7Days, p.Titration.AdvanceAfterSessions, p.Session.DriverRequired)
	}
	if p.Policy != (schedule.SeriesPolicy{Weight: schedule.BaselineWeight, OnDoseChange: schedule.KeepDuration}) {
		t.Errorf("policy = %+v", p.Policy)
	}
}

// baseJSON is baseYAML written by hand as JSON.
const baseJSON = `{
  "doseplan": 1,
  "name": "Test protocol",
  "version": "1",
  "drug": "ketamine",
  "route": "intravenous",
  "source": "test fixture",
  "population": {"age": {"hard_min": "18 years"}, "why": "adults"},
  "dose": {
    "per_kg": "0.5 mg/kg",
    "weight": {"basis": "actual"},
    "limits": {"dose_per_kg": {"soft_max": "0.75 mg/kg", "hard_max": "1 mg/kg"}},
    "rounding_tolerance": {"dose": "5 %", "draw_volume": "5 %", "pump_rate": "5 %"}
  },
  "preparation": {"stock": "10 mg/mL", "draw_step": "0.1 mL", "draw_rounding": "half_up", "bag": {"volume": "100 mL", "method": "add"}},
  "infusion": {"duration": "40 min", "pump": {"rate_step": "0.1 mL/h", "rate_rounding": "half_up", "max_rate": "999 mL/h"}},
  "series": {"phases": [{"name": "induction", "sessions": 6, "weekdays": ["mon", "wed", "fri"]}], "min_interval": "44 h"},
  "policy": {"weight": "baseline", "on_dose_change": "keep_duration"},
  "session": {"pre_checks": "30 min", "observation": "30 min"}
}`

func TestLoadProtocolJSONAndYAMLAgree(t *testing.T) {
	fromYAML := loadDoc(t, []byte(baseYAML))
	fromJSON := loadDoc(t, []byte(baseJSON))
	if diff := cmp.Diff(fromYAML, fromJSON, ignoreProtocolState); diff != "" {
		t.Errorf("YAML and JSON forms differ (-yaml +json):\n%s", diff)
	}
	// The hash is of the bytes: the two forms differ, the same bytes agree.
	if fromYAML.SHA256() == fromJSON.SHA256() {
		t.Error("YAML and JSON forms have the same SHA-256")
	}
	again := loadDoc(t, []byte(baseYAML))
	if again.SHA256() != fromYAML.SHA256() {
		t.Errorf("same bytes, different SHA-256: %s, %s", again.SHA256(), fromYAML.SHA256())
	}
	for _, p := range []*schedule.Protocol{fromYAML, fromJSON} {
		if !hex64.MatchString(p.SHA256()) {
			t.Errorf("SHA256() = %q, want 64 hex digits", p.SHA256())
		}
	}
	// One byte more (a trailing newline) is another document.
	if loadDoc(t, []byte(baseYAML+"\n")).SHA256() == fromYAML.SHA256() {
		t.Error("a different document has the same SHA-256")
	}
}

// Every example protocol, encoded as JSON by encoding/json, loads back to
// the same protocol: the JSON encoding is a protocol document too.
func TestLoadProtocolJSONRoundTrip(t *testing.T) {
	for _, name := range protocols.Names() {
		t.Run(name, func(t *testing.T) {
			p := loadExample(t, name)
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			back := loadDoc(t, b)
			if diff := cmp.Diff(p, back, ignoreProtocolState); diff != "" {
				t.Errorf("JSON round trip (-yaml +json):\n%s", diff)
			}
		})
	}
}

// badDoc is one strict-loading case: a document, the set of field paths its
// error must name, and a sentinel it must wrap.
type badDoc struct {
	name  string
	doc   string
	paths []string
	is    error
}

func strictCases(t testing.TB) []badDoc {
	b := func(oldNew ...string) string { return edit(t, baseYAML, oldNew...) }
	return []badDoc{
		// Unknown fields, at every level.
		{"unknown top-level field", baseYAML + "colour: blue\n", []string{"colour"}, schedule.ErrSyntax},
		{"unknown field in dose", b("  per_kg: 0.5 mg/kg\n", "  per_kg: 0.5 mg/kg\n  per_kilo: 0.5 mg/kg\n"), []string{"dose.per_kilo"}, schedule.ErrSyntax},
		{"unknown field in dose.weight", b("{basis: actual}", "{basis: actual, formula: devine}"), []string{"dose.weight.formula"}, schedule.ErrSyntax},
		{"unknown field in a limit", b("hard_max: 1 mg/kg}", "hard_max: 1 mg/kg, hardmax: 2 mg/kg}"), []string{"dose.limits.dose_per_kg.hardmax"}, schedule.ErrSyntax},
		{"unknown field in preparation.bag", b("method: add}", "method: add, size: 100 mL}"), []string{"preparation.bag.size"}, schedule.ErrSyntax},
		{"unknown field in infusion.pump", b("max_rate: 999 mL/h}", "max_rate: 999 mL/h, max: 1 mL/h}"), []string{"infusion.pump.max"}, schedule.ErrSyntax},
		{"unknown field in a phase", b("weekdays: [mon, wed, fri]}", "weekdays: [mon, wed, fri], per_weeks: 3}"), []string{"series.phases[0].per_weeks"}, schedule.ErrSyntax},
		{"unknown field in series", b("  min_interval: 44 h\n", "  min_interval: 44 h\n  max_per_week: 3\n"), []string{"series.max_per_week"}, schedule.ErrSyntax},
		{"unknown field in policy", b("on_dose_change: keep_duration}", "on_dose_change: keep_duration, weights: baseline}"), []string{"policy.weights"}, schedule.ErrSyntax},
		{"unknown field in session", b("observation: 30 min}", "observation: 30 min, drive_home: true}"), []string{"session.drive_home"}, schedule.ErrSyntax},
		{"unknown field in a timed check", b("observation: 30 min}", "observation: 30 min, checks: [{name: bp, at: 10 min, every: 5 min}]}"), []string{"session.checks[0].every"}, schedule.ErrSyntax},
		{"unknown field in titration", baseYAML + "titration: {steps: [0.5 mg/kg], advance_after_sessions: 3, auto: true}\n", []string{"titration.auto"}, schedule.ErrSyntax},
		{"unknown field in vitals", baseYAML + "vitals: {hold: {systolic_over: 180 mmHg}}\n", []string{"vitals.hold.systolic_over"}, schedule.ErrSyntax},
		{"unknown field in caps", baseYAML + "caps: {per_week: 300 mg}\n", []string{"caps.per_week"}, schedule.ErrSyntax},
		{"unknown fields at three levels at once", b("{basis: actual}", "{basis: actual, formula: devine}", "method: add}", "method: add, size: 100 mL}") + "colour: blue\n",
			[]string{"colour", "dose.weight.formula", "preparation.bag.size"}, schedule.ErrSyntax},

		// Duplicate keys.
		{"duplicate top-level key", baseYAML + "name: Another name\n", []string{"name"}, schedule.ErrConflict},
		{"duplicate nested key", b("{soft_max: 0.75 mg/kg,", "{soft_max: 0.75 mg/kg, soft_max: 0.7 mg/kg,"), []string{"dose.limits.dose_per_kg.soft_max"}, schedule.ErrConflict},

		// Wrong types.
		{"text for a count", b("sessions: 6,", "sessions: six,"), []string{"series.phases[0].sessions"}, schedule.ErrSyntax},
		{"quoted number for a count", b("sessions: 6,", `sessions: "6",`), []string{"series.phases[0].sessions"}, schedule.ErrSyntax},
		{"fraction for a count", b("sessions: 6,", "sessions: 6.5,"), []string{"series.phases[0].sessions"}, schedule.ErrSyntax},
		{"hexadecimal count", b("sessions: 6,", "sessions: 0x6,"), []string{"series.phases[0].sessions"}, schedule.ErrSyntax},
		{"count out of range of int", b("sessions: 6,", "sessions: 99999999999999999999,"), []string{"series.phases[0].sessions"}, schedule.ErrRange},
		{"yes for a boolean", b("observation: 30 min}", "observation: 30 min, driver_required: yes}"), []string{"session.driver_required"}, schedule.ErrSyntax},
		{"quoted boolean", b("observation: 30 min}", `observation: 30 min, driver_required: "true"}`), []string{"session.driver_required"}, schedule.ErrSyntax},
		{"mapping for text", b("name: Test protocol", "name: {first: Test}"), []string{"name"}, schedule.ErrSyntax},
		{"mapping for a quantity", b("min_interval: 44 h", "min_interval: {h: 44}"), []string{"series.min_interval"}, schedule.ErrSyntax},
		{"list for text", b("name: Test protocol", "name: [Test, protocol]"), []string{"name"}, schedule.ErrSyntax},
		{"mapping for a list", b("  phases:\n    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}\n", "  phases: {name: induction, sessions: 6}\n"), []string{"series.phases"}, schedule.ErrSyntax},
		{"value for a mapping", b("preparation: {stock: 10 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up, bag: {volume: 100 mL, method: add}}", "preparation: 10 mg/mL"), []string{"preparation"}, schedule.ErrSyntax},
		{"list for a quantity", b("min_interval: 44 h", "min_interval: [44 h]"), []string{"series.min_interval"}, schedule.ErrSyntax},
		{"naked decimal for a factor", b("{basis: actual}", "{basis: adjusted, ibw_formula: devine, adjust_factor: .4}"), []string{"dose.weight.adjust_factor"}, schedule.ErrSyntax},
		{"exponent for a factor", b("{basis: actual}", "{basis: adjusted, ibw_formula: devine, adjust_factor: 4e-1}"), []string{"dose.weight.adjust_factor"}, schedule.ErrSyntax},
		{"unknown weekday", b("[mon, wed, fri]", "[mon, wed, fry]"), []string{"series.phases[0].weekdays[2]"}, nil},
		{"null weekday", b("[mon, wed, fri]", "[mon, wed, ~]"), []string{"series.phases[0].weekdays[2]"}, schedule.ErrMissing},
		{"null weekday through an alias", "x-none: &none ~\n" + b("[mon, wed, fri]", "[mon, wed, *none]"), []string{"series.phases[0].weekdays[2]", "x-none"}, schedule.ErrMissing},
		{"null titration step", baseYAML + "titration: {steps: [0.5 mg/kg, null], advance_after_sessions: 3}\n", []string{"titration.steps[1]"}, schedule.ErrMissing},

		// Values with the wrong unit for their field.
		{"mass for an interval", b("min_interval: 44 h", "min_interval: 44 mg"), []string{"series.min_interval"}, nil},
		{"mass for an observation time", b("observation: 30 min}", "observation: 30 mg}"), []string{"session.observation"}, schedule.ErrConflict},
		{"mass for a per-kg dose", b("per_kg: 0.5 mg/kg", "per_kg: 0.5 mg"), []string{"dose.per_kg"}, schedule.ErrConflict},
		{"mass for a stock", b("stock: 10 mg/mL", "stock: 10 mg"), []string{"preparation.stock"}, dosing.ErrDimension},
		{"volume for a duration", b("duration: 40 min", "duration: 40 mL"), []string{"infusion.duration"}, dosing.ErrDimension},
		{"mass for a per-kg limit", b("soft_max: 0.75 mg/kg", "soft_max: 0.75 mg"), []string{"dose.limits.dose_per_kg.soft_max"}, dosing.ErrDimension},
		{"volume for a cap", baseYAML + "caps: {per_7_days: 300 mL}\n", []string{"caps.per_7_days"}, schedule.ErrConflict},
		{"mass for a rounding tolerance", b("{dose: 5 %,", "{dose: 5 mg,"), []string{"dose.rounding_tolerance.dose"}, dosing.ErrDimension},
		{"a rounding tolerance above 100 %", b("pump_rate: 5 %}", "pump_rate: 150 %}"), []string{"dose.rounding_tolerance.pump_rate"}, dosing.ErrRange},
		{"unknown value for a rounding tolerance", b("pump_rate: 5 %}", "pump_rate: 5 %, dose_rate: 5 %}"), []string{"dose.rounding_tolerance.dose_rate"}, schedule.ErrSyntax},
		{"a cap of 0 mg", baseYAML + "caps: {per_day: 0 mg}\n", []string{"caps.per_day"}, schedule.ErrRange},
		{"time for a titration step", baseYAML + "titration: {steps: [0.5 mg/kg, 40 min], advance_after_sessions: 3}\n", []string{"titration.steps[1]"}, schedule.ErrConflict},
		{"weekly every in days", b("weekdays: [mon, wed, fri]}", "weekdays: [mon, wed, fri], every: 10 days}"), []string{"series.phases[0].every"}, schedule.ErrRange},

		// Spellings the units package refuses, with their field path.
		{"cc", b("per_kg: 0.5 mg/kg", "per_kg: 0.5 cc"), []string{"dose.per_kg"}, units.ErrUnknownUnit},
		{"naked decimal", b("per_kg: 0.5 mg/kg", "per_kg: .5 mg/kg"), []string{"dose.per_kg"}, units.ErrSyntax},
		{"trailing decimal point", b("stock: 10 mg/mL", "stock: 10. mg/mL"), []string{"preparation.stock"}, units.ErrSyntax},
		{"scientific notation", b("volume: 100 mL", "volume: 1e2 mL"), []string{"preparation.bag.volume"}, units.ErrSyntax},
		{"ambiguous comma", b("min_interval: 44 h", "min_interval: 1,000 h"), []string{"series.min_interval"}, units.ErrSyntax},
		{"no unit", b("min_interval: 44 h", "min_interval: 44"), []string{"series.min_interval"}, units.ErrSyntax},
		{"U for units", b("per_kg: 0.5 mg/kg", "per_kg: 0.5 U/kg"), []string{"dose.per_kg"}, nil},
		{"negative dose", b("per_kg: 0.5 mg/kg", "per_kg: -0.5 mg/kg"), []string{"dose.per_kg"}, dosing.ErrRange},
		{"zero dose", b("per_kg: 0.5 mg/kg", "per_kg: 0 mg/kg"), []string{"dose.per_kg"}, dosing.ErrRange},

		// The population: strict like the rest, each bound of its kind.
		{"unknown population field", b("{age: {hard_min: 18 years}, why: adults}", "{age_min: 18 years, why: adults}"), []string{"population.age_min"}, schedule.ErrSyntax},
		{"an age without its unit", b("hard_min: 18 years", "hard_min: 18"), []string{"population.age.hard_min"}, dosing.ErrRange},
		{"an age in kilograms", b("hard_min: 18 years", "hard_min: 18 kg"), []string{"population.age.hard_min"}, dosing.ErrRange},
		{"an age of 200 years", b("hard_min: 18 years", "hard_min: 200 years"), []string{"population.age.hard_min"}, dosing.ErrRange},
		{"a negative age", b("hard_min: 18 years", "hard_min: -1 years"), []string{"population.age.hard_min"}, dosing.ErrRange},
		{"an age minimum above the maximum", b("hard_min: 18 years", "hard_min: 65 years, hard_max: 18 years"), []string{"population.age.hard_min"}, dosing.ErrConflict},
		{"a weight bound in years", b("{age: {hard_min: 18 years}", "{weight: {hard_min: 18 years}"), []string{"population.weight.hard_min"}, units.ErrUnknownUnit},
		{"a weight bound in cm", b("{age: {hard_min: 18 years}", "{weight: {hard_min: 150 cm}"), []string{"population.weight.hard_min"}, dosing.ErrDimension},
		{"a height bound in kg", b("{age: {hard_min: 18 years}", "{height: {soft_min: 60 kg}"), []string{"population.height.soft_min"}, dosing.ErrDimension},
		{"a BMI bound in kg", b("{age: {hard_min: 18 years}", "{bmi: {soft_max: 40 kg}"), []string{"population.bmi.soft_max"}, dosing.ErrDimension},
		{"a soft weight bound outside the hard one", b("{age: {hard_min: 18 years}", "{weight: {soft_min: 30 kg, hard_min: 40 kg}"), []string{"population.weight.hard_min"}, dosing.ErrConflict},

		// Missing and contradictory sections.
		{"no format version", b("doseplan: 1\n", ""), []string{"doseplan"}, schedule.ErrMissing},
		{"another format version", b("doseplan: 1\n", "doseplan: 2\n"), []string{"doseplan"}, schedule.ErrRange},
		{"no name and no source", b("name: Test protocol\n", "", "source: test fixture\n", ""), []string{"name", "source"}, schedule.ErrMissing},
		{"empty series", b("  phases:\n    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}\n", "  phases: []\n"), []string{"series.phases"}, schedule.ErrMissing},
		{"two doses", b("per_kg: 0.5 mg/kg", "per_kg: 0.5 mg/kg\n  fixed: 40 mg"), []string{"dose"}, schedule.ErrConflict},
		{"no dose", b("  per_kg: 0.5 mg/kg\n", ""), []string{"dose"}, schedule.ErrMissing},
		{"policy not given", b("policy: {weight: baseline, on_dose_change: keep_duration}\n", ""), []string{"policy.on_dose_change", "policy.weight"}, schedule.ErrMissing},
		{"policy misspelt", b("weight: baseline,", "weight: base_line,"), []string{"policy.weight"}, schedule.ErrRange},
		{"keep_rate without an infusion", edit(t, nasalYAML, "on_dose_change: keep_duration", "on_dose_change: keep_rate"), []string{"policy.on_dose_change"}, schedule.ErrConflict},
		{"keep_rate with a dose rate", b("per_kg: 0.5 mg/kg", "rate_per_kg: 0.75 mg/kg/h", "limits:\n    dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "limits: {}",
			"on_dose_change: keep_duration", "on_dose_change: keep_rate"), []string{"policy.on_dose_change"}, schedule.ErrConflict},
		{"titration with weight bands", b("  per_kg: 0.5 mg/kg\n", "  bands: [{min: 0 kg, max: 100 kg, dose: 40 mg}, {min: 100 kg, dose: 50 mg}]\n") +
			"titration: {steps: [40 mg, 50 mg], advance_after_sessions: 3}\n", []string{"titration"}, schedule.ErrConflict},
		{"titration steps not increasing", baseYAML + "titration: {steps: [0.6 mg/kg, 0.5 mg/kg], advance_after_sessions: 0}\n",
			[]string{"titration.advance_after_sessions", "titration.steps[1]"}, nil},
		{"observation missing", b("session: {pre_checks: 30 min, observation: 30 min}", "session: {pre_checks: 30 min}"), []string{"session.observation"}, schedule.ErrMissing},
		{"negative pre-checks", b("pre_checks: 30 min", "pre_checks: -30 min"), []string{"session.pre_checks"}, schedule.ErrRange},
		{"a check without a name", b("observation: 30 min}", "observation: 30 min, checks: [{at: 10 min}]}"), []string{"session.checks[0].name"}, schedule.ErrMissing},
		{"vitals in the wrong unit", baseYAML + "vitals: {hold: {heart_rate_above: 110 mmHg}}\n", []string{"vitals.hold.heart_rate_above"}, nil},

		// Every problem at once, each with its path, none twice.
		{"many problems at once", b("per_kg: 0.5 mg/kg", "per_kg: 0.5 cc", "min_interval: 44 h", "min_interval: 44 mg", "sessions: 6,", "sessions: six,",
			"name: Test protocol\n", "") + "colour: blue\n",
			[]string{"colour", "dose.per_kg", "name", "series.min_interval", "series.phases[0].sessions"}, nil},
	}
}

func TestLoadProtocolStrict(t *testing.T) {
	for _, c := range strictCases(t) {
		t.Run(c.name, func(t *testing.T) {
			p, err := schedule.LoadProtocol([]byte(c.doc))
			if err == nil {
				t.Fatalf("LoadProtocol = %+v, want an error at %v", p, c.paths)
			}
			if p != nil {
				t.Error("LoadProtocol returned a protocol with its error")
			}
			if diff := cmp.Diff(c.paths, errPaths(err)); diff != "" {
				t.Errorf("field paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(err, %v) = false; err: %v", c.is, err)
			}
			// Every message names its field and comes from this package.
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "schedule: ") {
					t.Errorf("message %q does not start with the package", line)
				}
			}
			// schedule: <field> "<value>": <msg>, or schedule: <field>: <msg>
			// (ERRORS-DECISION).
			for _, fe := range fieldErrors(err) {
				want := "schedule: " + fe.Field + ": "
				if fe.Value != "" {
					want = "schedule: " + fe.Field + " " + strconv.Quote(fe.Value) + ": "
				}
				if !strings.HasPrefix(fe.Error(), want) {
					t.Errorf("message %q does not begin with its field and value: %s", fe.Error(), want)
				}
			}
		})
	}
}

func TestLoadProtocolMessages(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // substrings of the error, in this order
	}{
		{"unknown field lists the allowed ones", edit(t, baseYAML, "method: add}", "method: add, size: 100 mL}"),
			[]string{`schedule: preparation.bag.size: unknown field (allowed: volume, method)`}},
		{"refused spelling quotes the value and the fix", edit(t, baseYAML, "per_kg: 0.5 mg/kg", "per_kg: 0.5 cc"),
			[]string{`schedule: dose.per_kg "0.5 cc": ambiguous unit "cc"; write "0.5 mL"`}},
		{"wrong unit quotes the value", edit(t, baseYAML, "min_interval: 44 h", "min_interval: 44 mg"),
			[]string{`schedule: series.min_interval "44 mg": `}},
		{"an age without its unit names only its own path", edit(t, baseYAML, "hard_min: 18 years", "hard_min: 18"),
			[]string{`schedule: population.age.hard_min "18": must be whole years, such as "45 years"`}},
		{"wrong kind of dose", edit(t, baseYAML, "per_kg: 0.5 mg/kg", "per_kg: 0.5 mg"),
			[]string{`schedule: dose.per_kg "0.5 mg": must be in mg/kg, mcg/kg or units/kg`}},
		{"duplicate", baseYAML + "name: Again\n", []string{"schedule: name: appears twice"}},
		{"count as text", edit(t, baseYAML, "sessions: 6,", `sessions: "6",`), []string{`schedule: series.phases[0].sessions "6": must be a whole number`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tc.doc))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tc.want {
				i := strings.Index(msg, w)
				if i < 0 {
					t.Fatalf("error %q\ndoes not contain %q", msg, w)
				}
				msg = msg[i+len(w):]
			}
		})
	}
}

// billionLaughs is the YAML alias bomb: ten levels of ten aliases each would
// expand to 10^10 values.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL, 10 mg/mL]\n")
	for i := 1; i < 10; i++ {
		prev := "*a" + strconv.Itoa(i-1)
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [" + strings.Repeat(prev+", ", 9) + prev + "]\n")
	}
	return b.String()
}

// Documents that are not protocol documents at all: one clear error at
// "document", never a panic, and nothing else checked.
func TestLoadProtocolNotADocument(t *testing.T) {
	deep := "notes: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + "\n"
	tooMany := edit(t, baseYAML, "  phases:\n    - {name: induction, sessions: 6, weekdays: [mon, wed, fri]}\n",
		"  phases: ["+strings.Repeat("1, ", 5000)+"1]\n")
	tooLarge := baseYAML + "notes: " + strings.Repeat("x", schedule.MaxDocumentBytes) + "\n"
	aliases := "x-stock: &s 10 mg/mL\n" + edit(t, baseYAML, "stock: 10 mg/mL,", "stock: 10 mg/mL, other_stocks: ["+strings.Repeat("*s, ", 200)+"*s],")
	// Many values, each valid, all under one list: the value budget.
	manyValues := edit(t, baseYAML, "stock: 10 mg/mL,", "stock: 10 mg/mL, other_stocks: ["+strings.Repeat("10 mg/mL, ", 30000)+"10 mg/mL],")
	tests := []struct {
		name string
		doc  string
		is   error
		msg  string // a substring of the message
	}{
		{"empty", "", schedule.ErrMissing, "schedule: document: empty document"},
		{"white space", " \n  \n", schedule.ErrMissing, "empty document"},
		{"comments only", "# nothing here\n", schedule.ErrMissing, "empty document"},
		{"document marker only", "---\n", schedule.ErrMissing, "empty document"},
		{"null", "~\n", schedule.ErrMissing, "empty document"},
		{"not YAML", "doseplan: [1\n", schedule.ErrSyntax, "not valid YAML or JSON"},
		{"not JSON", `{"doseplan": 1, "name": "x"`, schedule.ErrSyntax, "line 1, column 28 (byte 27): the JSON document ends before its last value does"},
		{"tab indentation", "dose:\n\tper_kg: 0.5 mg/kg\n", schedule.ErrSyntax, "not valid YAML or JSON"},
		{"binary", "\x00\x01\x02\xff", schedule.ErrSyntax, "line 1, column 1 (byte 0): the control character U+0000 is not allowed in a document"},
		{"a list", "- doseplan: 1\n", schedule.ErrSyntax, "must be a mapping of fields"},
		{"a scalar", "hello\n", schedule.ErrSyntax, "must be a mapping of fields"},
		{"two documents", baseYAML + "---\nname: Another protocol\n", schedule.ErrSyntax, "more than one YAML document"},
		{"a second document with an error", baseYAML + "---\n[\n", schedule.ErrSyntax, "more than one YAML document"},
		{"too large", tooLarge, schedule.ErrRange, "larger than 1048576 bytes"},
		{"nested too deep for YAML", deep, schedule.ErrSyntax, "not valid YAML or JSON"},
		{"too many aliases", aliases, schedule.ErrRange, "uses more than 100 YAML aliases"},
		{"too many problems", tooMany, schedule.ErrRange, "has more problems than the 50 listed"},
		{"too many values", manyValues, schedule.ErrRange, "more than 20000 values"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := schedule.LoadProtocol([]byte(tc.doc))
			if err == nil || p != nil {
				t.Fatalf("LoadProtocol = %v, %v; want an error", p, err)
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(err, %v) = false; err: %.300v", tc.is, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %.300q does not contain %q", err.Error(), tc.msg)
			}
			if n := len(fieldErrors(err)); n > 51 {
				t.Errorf("%d problems listed, want at most 50 and a summary", n)
			}
			if !strings.Contains(err.Error(), "document") {
				t.Errorf("error %.300q does not say it is about the document", err.Error())
			}
		})
	}
}

// The billion-laughs document: every alias the decoder follows leads to a
// value of a fixed Go type, so the expansion stops at the first level that
// does not fit, and the problems are listed without blowing up.
func TestLoadProtocolAliasBomb(t *testing.T) {
	bomb := billionLaughs() + edit(t, baseYAML, "stock: 10 mg/mL,", "stock: 10 mg/mL, other_stocks: *a9,")
	_, err := schedule.LoadProtocol([]byte(bomb))
	want := []string{"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9"}
	for i := range 10 {
		want = append(want, "preparation.other_stocks["+strconv.Itoa(i)+"]")
	}
	if diff := cmp.Diff(want, errPaths(err)); diff != "" {
		t.Errorf("field paths (-want +got):\n%s", diff)
	}
	if !errors.Is(err, schedule.ErrSyntax) {
		t.Errorf("err = %v, want ErrSyntax", err)
	}
}

// YAML features a protocol document does not use are refused by name.
func TestLoadProtocolYAMLFeatures(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		paths []string
		msg   string
	}{
		{"custom tag", edit(t, baseYAML, "name: Test protocol", "name: !secret Test protocol"), []string{"name"}, `name "!secret": is a YAML tag, which protocol documents do not use`},
		{"merge key", "base: &base {weight: {basis: actual}}\n" + edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  <<: *base\n  per_kg: 0.5 mg/kg\n"),
			[]string{"base", "dose.<<"}, "merge keys are not supported"},
		{"a list as a key", baseYAML + "? [a, b]\n: 1\n", []string{"document"}, "has a list as a key"},
		{"an empty key", baseYAML + `"": 1` + "\n", []string{`""`}, "unknown field"},
		{"anchors and aliases within bounds load", "x-stock: &stock 10 mg/mL\n" + edit(t, baseYAML, "stock: 10 mg/mL", "stock: *stock"), []string{"x-stock"}, "unknown field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tc.doc))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tc.paths, errPaths(err)); diff != "" {
				t.Errorf("field paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
		})
	}
	// An alias to a valid value is read as that value.
	p := loadDoc(t, []byte("name: &n Aliased\n"+edit(t, baseYAML, "name: Test protocol\n", "", "drug: ketamine", "drug: *n")))
	if p.Dosing.Name != "Aliased" || p.Dosing.Drug != "Aliased" {
		t.Errorf("name, drug = %q, %q; want the alias's value twice", p.Dosing.Name, p.Dosing.Drug)
	}
}

// A protocol built in Go validates like a loaded one, without a hash.
func TestValidateProtocolBuiltInGo(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML))
	built := *p // the same fields, no document behind them
	var fresh schedule.Protocol
	if err := json.Unmarshal(must1(json.Marshal(p)), &fresh); err != nil {
		t.Fatal(err)
	}
	if err := fresh.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if fresh.SHA256() != "" {
		t.Errorf("SHA256() of a protocol built in Go = %q, want empty", fresh.SHA256())
	}
	if diff := cmp.Diff(&built, &fresh, ignoreProtocolState); diff != "" {
		t.Errorf("(-loaded +built):\n%s", diff)
	}

	var empty schedule.Protocol
	err := empty.Validate()
	want := []string{"dose", "dose.weight.basis", "doseplan", "drug", "name", "policy.on_dose_change", "policy.weight",
		"route", "series.min_interval", "series.phases", "session.observation", "source", "version"}
	if diff := cmp.Diff(want, errPaths(err)); diff != "" {
		t.Errorf("Validate() of the zero Protocol, paths (-want +got):\n%s\n%v", diff, err)
	}
}

func must1[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Findings returns a copy: changing it does not change the protocol.
func TestProtocolFindingsIsACopy(t *testing.T) {
	p := loadDoc(t, []byte(edit(t, baseYAML, "session: {pre_checks: 30 min, observation: 30 min}", "session: {pre_checks: 30 min, observation: 0 min}")))
	f := p.Findings()
	if len(f) != 1 {
		t.Fatalf("Findings() = %v, want one warning", f)
	}
	f[0].Message = "changed"
	if p.Findings()[0].Message == "changed" {
		t.Error("Findings() shares its slice with the protocol")
	}
}

// Rule and Calculate carry the protocol into package dosing: WC1/WC5 for
// 80 kg, 0.5 mg/kg × 80 kg = 40 mg; 40 mg ÷ 10 mg/mL = 4 mL; 100 + 4 =
// 104 mL; 104 mL ÷ 40 min = 156 mL/h.
func TestProtocolRuleAndCalculate(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML))
	r := p.Rule()
	if r.Name != "Test protocol" || r.Version != "1" || r.Drug != "ketamine" || r.Route != "intravenous" || r.Source != "test fixture" {
		t.Errorf("Rule() provenance = %q %q %q %q %q", r.Name, r.Version, r.Drug, r.Route, r.Source)
	}
	if !r.Dose.Equal(qty("0.5 mg/kg")) || r.Preparation == nil || r.Infusion == nil || !r.Limits.DosePerKg.HardMax.Equal(qty("1 mg/kg")) {
		t.Errorf("Rule() = %+v", r)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("Rule().Validate() = %v", err)
	}
	res, err := p.Calculate(adult80(), dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		got  units.Quantity
		want string
	}{
		{"dose", res.Dose, "40 mg"},
		{"draw", res.Preparation.Draw, "4 mL"},
		{"final volume", res.Preparation.FinalVolume, "104 mL"},
		{"pump rate", res.Infusion.PumpRate, "156 mL/h"},
	} {
		if !c.got.Equal(qty(c.want)) {
			t.Errorf("%s = %v, want %s", c.name, c.got, c.want)
		}
	}
	if res.Provenance.SHA256 != p.SHA256() || res.Provenance.Name != p.Dosing.Name || res.Notice != dosing.Notice {
		t.Errorf("provenance = %+v, notice %q", res.Provenance, res.Notice)
	}
	// A hard limit is the dosing error, unchanged: 1.2 mg/kg > 1 mg/kg.
	_, err = p.Calculate(adult80(), dosing.Options{Dose: qty("1.2 mg/kg")})
	var le *dosing.LimitError
	if !errors.As(err, &le) || le.Field != "dose_per_kg" || le.Kind != dosing.HardMax {
		t.Errorf("Calculate(1.2 mg/kg) error = %v, want the dose_per_kg hard_max LimitError", err)
	}
}

// Rule returns a copy: changing the rule it returns, through its pointers
// and lists too, leaves the protocol as it was loaded.
func TestProtocolRuleIsACopy(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML))
	r := p.Rule()
	r.Name = "changed"
	r.Preparation.Stock = qty("50 mg/mL")
	r.Preparation.Bag.Volume = qty("250 mL")
	r.Infusion.Duration = qty("10 min")
	r.Limits.DosePerKg.HardMax = qty("9 mg/kg")
	again := p.Rule()
	for _, c := range []struct {
		field string
		got   string
		want  string
	}{
		{"name", again.Name, "Test protocol"},
		{"preparation.stock", again.Preparation.Stock.String(), "10 mg/mL"},
		{"preparation.bag.volume", again.Preparation.Bag.Volume.String(), "100 mL"},
		{"infusion.duration", again.Infusion.Duration.String(), "40 min"},
		{"dose.limits.dose_per_kg.hard_max", again.Limits.DosePerKg.HardMax.String(), "1 mg/kg"},
		{"Dosing.Preparation.Stock", p.Dosing.Preparation.Stock.String(), "10 mg/mL"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %s after changing the returned rule, want %s", c.field, c.got, c.want)
		}
	}
}

// The dose section fills the rule's own fields: each key that names a kind
// sets the rule's dose, and the section's other keys the rule's fields of
// the same name (rounding: DoseRounding).
func TestLoadProtocolDoseSectionIsTheRule(t *testing.T) {
	nasal := loadDoc(t, []byte(nasalYAML))
	if got := nasal.Dosing.Dose; !got.Equal(qty("56 mg")) {
		t.Errorf("fixed: Dosing.Dose = %v, want 56 mg", got)
	}
	if f := nasal.Dosing.Form; f == nil || !f.Strength.Equal(qty("28 mg/device")) {
		t.Errorf("form: Dosing.Form = %+v, want 28 mg/device", f)
	}
	rounded := loadDoc(t, []byte(edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  per_kg: 0.5 mg/kg\n  rounding: {step: 1 mg, mode: half_up}\n")))
	if r := rounded.Dosing.DoseRounding; r == nil || !r.Step.Equal(qty("1 mg")) || r.Mode != units.RoundHalfUp {
		t.Errorf("rounding: Dosing.DoseRounding = %+v, want 1 mg half_up", r)
	}
	rate := loadDoc(t, []byte(edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  rate_per_kg: 12.5 mcg/kg/min\n",
		"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose_rate_per_kg: {hard_max: 1 mg/kg/h}")))
	if got := rate.Dosing.Dose; !got.Equal(qty("12.5 mcg/kg/min")) {
		t.Errorf("rate_per_kg: Dosing.Dose = %v, want 12.5 mcg/kg/min", got)
	}
}

// encoding/json reads a protocol as LoadProtocol does, strictly, and writes
// one in the document's layout; a dose of no kind has no key to be written
// under.
func TestProtocolJSON(t *testing.T) {
	var p schedule.Protocol
	err := json.Unmarshal([]byte(`{"doseplan": 1, "colour": "red", "dose": {"per_kg": "0.5 mg"}}`), &p)
	if diff := cmp.Diff([]string{"colour", "dose.per_kg"}, errPaths(err)); diff != "" {
		t.Errorf("json.Unmarshal error paths (-want +got):\n%s\n%v", diff, err)
	}
	if !errors.Is(err, schedule.ErrSyntax) || !errors.Is(err, schedule.ErrConflict) {
		t.Errorf("json.Unmarshal error = %v, want ErrSyntax (unknown field) and ErrConflict (the key names the kind)", err)
	}

	built := &schedule.Protocol{Format: schedule.FormatVersion, Dosing: dosing.Rule{Name: "x", Dose: qty("0.5 mg/kg")}}
	b, err := json.Marshal(built)
	if err != nil {
		t.Fatal(err)
	}
	// Derived from the layout: the rule's name at the top, its version
	// (no omitempty) empty, its dose under the key its unit names, its
	// weight (no omitempty) in the section; the protocol's own sections as
	// their json tags say (series.phases and min_interval have no omitempty).
	const want = `{"doseplan":1,"name":"x","version":"","dose":{"per_kg":"0.5 mg/kg","weight":{"basis":""}},"series":{"phases":null,"min_interval":""},"policy":{"weight":"","on_dose_change":""},"session":{"observation":"","driver_required":false}}`
	if string(b) != want {
		t.Errorf("json.Marshal = %s\nwant           %s", b, want)
	}

	built.Dosing.Dose = qty("0.5 mL")
	_, err = json.Marshal(built)
	var fe *schedule.FieldError
	if !errors.As(err, &fe) || fe.Field != "dose" || fe.Value != "0.5 mL" || !errors.Is(err, schedule.ErrConflict) {
		t.Errorf("json.Marshal of a dose in mL: error %v, want a FieldError at dose wrapping ErrConflict", err)
	}
}

// A document that cannot be read says where: the line and column (in
// characters, counted by hand below), the byte's offset where a byte is
// wrong, and the field's path where it can be known.
func TestLoadProtocolSyntaxPositions(t *testing.T) {
	for _, tc := range syntaxCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tc.doc))
			var fe *schedule.FieldError
			if !errors.As(err, &fe) || !errors.Is(err, schedule.ErrSyntax) {
				t.Fatalf("err = %v, want a FieldError wrapping ErrSyntax", err)
			}
			if fe.Field != tc.field || !strings.HasPrefix(fe.Msg, tc.msg) {
				t.Errorf("got %q: %q\nwant %q: %q…", fe.Field, fe.Msg, tc.field, tc.msg)
			}
		})
	}
}

// syntaxCase is a document that cannot be read, and its error.
type syntaxCase struct {
	name  string
	doc   string
	field string
	msg   string // the start of the message after the field, with the position
}

func syntaxCases(t testing.TB) []syntaxCase {
	// baseYAML's lines: 1 doseplan, 2 name, 3 version, 4 drug, …, 18 the
	// first phase ("    - {name: induction, …").
	json3 := "{\n  \"doseplan\": 1,\n  \"series\": {\"phases\": [{\"name\": \"ind"
	return []syntaxCase{
		// "drug: " is 6 characters, "keta" 4: the byte is column 11.
		{"a byte that is not UTF-8", edit(t, baseYAML, "drug: ketamine", "drug: keta\xffmine"), "drug",
			"line 4, column 11 (byte 55): the byte 0xFF is not UTF-8 (save the document as UTF-8)"},
		// "    - {name: " is 13 characters, "induc" 5: column 19.
		{"a sequence cut short, in a list", edit(t, baseYAML, "induction", "induc\xc3tion"), "series.phases[0].name",
			"line 18, column 19 (byte " + strconv.Itoa(strings.Index(baseYAML, "induction")+5) + "): the byte 0xC3 is not UTF-8"},
		{"a control character", edit(t, baseYAML, "source: test fixture", "source: test\x07fixture"), "source",
			"line 6, column 13 (byte " + strconv.Itoa(strings.Index(baseYAML, "source:")+12) + "): the control character U+0007 is not allowed in a document"},
		{"an alias of no anchor", edit(t, baseYAML, "drug: ketamine", "drug: *nowhere"), "drug",
			"line 4, column 7 (byte 51): *nowhere refers to no anchor &nowhere defined before it"},
		{"an alias before its anchor", edit(t, baseYAML, "drug: ketamine", "drug: *d", "route: intravenous", "route: &d intravenous"), "drug",
			"line 4, column 7 (byte 51): *d refers to no anchor &d defined before it"},
		// Line 3 of json3 is 37 characters; the document 2 + 17 + 37 = 56
		// bytes.
		{"JSON cut short in a value", json3, "series.phases[0].name",
			"line 3, column 38 (byte 56): the JSON document ends before its last value does (was it cut short?)"},
		{"JSON cut short between values", `{"doseplan": 1,`, "document", "line 1, column 16 (byte 15): the JSON document ends"},
		// The second comma is the 16th character.
		{"a stray comma in JSON", `{"doseplan": 1,, "name": "x"}`, "document",
			"line 1, column 16 (byte 15): not valid JSON: invalid character ',' looking for beginning of object key string"},
		// `{"series": {"phases": [1,` is 25 characters.
		{"a stray comma in a JSON list", `{"series": {"phases": [1,, 2]}}`, "series.phases",
			"line 1, column 26 (byte 25): not valid JSON: invalid character ',' looking for beginning of value"},
		// Line 19 is min_interval, below the first phase's weekdays.
		{"YAML's own line, with where it is", edit(t, baseYAML, "  min_interval: 44 h", "  min_interval: 44 h: 3"), "document",
			"line 19 (after series.phases[0].weekdays[2]): not valid YAML or JSON: mapping values are not allowed in this context"},
	}
}

// Any tag a document writes that is not the core schema's is refused with
// its path, on a value, a key or the document.
func TestLoadProtocolTags(t *testing.T) {
	const msg = "is a YAML tag, which protocol documents do not use"
	for _, tc := range tagCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tc.doc))
			found := false
			for _, fe := range fieldErrors(err) {
				if fe.Field == tc.field && fe.Value == tc.tag && strings.HasPrefix(fe.Msg, msg) && errors.Is(fe, schedule.ErrSyntax) {
					found = true
				}
			}
			if !found {
				t.Errorf("no %s %q: %s… error in:\n%v", tc.field, tc.tag, msg, err)
			}
		})
	}
	// The core schema's tags are read as YAML reads them.
	p := loadDoc(t, []byte(edit(t, baseYAML, "sessions: 6", "sessions: !!int 6", "drug: ketamine", "drug: !!str ketamine")))
	if p.Series.Phases[0].Sessions != 6 || p.Dosing.Drug != "ketamine" {
		t.Errorf("sessions, drug = %d, %q; want 6, ketamine", p.Series.Phases[0].Sessions, p.Dosing.Drug)
	}
}

// tagCase is a document with a tag, and where it is.
type tagCase struct{ name, doc, field, tag string }

func tagCases(t testing.TB) []tagCase {
	return []tagCase{
		{"a Python object", edit(t, baseYAML, "doseplan: 1", "doseplan: !!python/object:os.system 1"), "doseplan", "!!python/object:os.system"},
		{"binary", edit(t, baseYAML, `version: "1"`, "version: !!binary MQ=="), "version", "!!binary"},
		{"a timestamp", edit(t, baseYAML, "drug: ketamine", "drug: !!timestamp 2025-03-03"), "drug", "!!timestamp"},
		{"a set, in a list", edit(t, baseYAML, "weekdays: [mon, wed, fri]", "weekdays: !!set {mon, wed}"), "series.phases[0].weekdays", "!!set"},
		{"the long form", edit(t, baseYAML, "drug: ketamine", "drug: !<tag:yaml.org,2002:python/name:os.system> ketamine"), "drug", "!!python/name:os.system"},
		{"a custom tag", edit(t, baseYAML, "route: intravenous", "route: !vault intravenous"), "route", "!vault"},
		{"on a key", edit(t, baseYAML, "drug: ketamine", "!!python/name:os.system drug: ketamine"), "drug", "!!python/name:os.system"},
		{"on the document", "--- !!python/object:x\n" + baseYAML, "document", "!!python/object:x"},
		{"behind an alias", "x-d: &d !!binary a2V0YW1pbmU=\n" + edit(t, baseYAML, "drug: ketamine", "drug: *d"), "drug", "!!binary"},
	}
}

// A number written as zero is never read as the field left out: each is
// refused at its path, alone (not again as "missing" or "no end").
func TestLoadProtocolWrittenZero(t *testing.T) {
	const tail = " (a zero would read as the field left out; to set nothing, leave the field out)"
	for _, tc := range zeroCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tc.doc))
			fes := fieldErrors(err)
			if len(fes) != 1 {
				t.Fatalf("%d errors, want 1: %v", len(fes), err)
			}
			want := []string{tc.field, tc.value, tc.msg + tail}
			if diff := cmp.Diff(want, []string{fes[0].Field, fes[0].Value, fes[0].Msg}); diff != "" || !errors.Is(fes[0], schedule.ErrRange) {
				t.Errorf("field, value, message (-want +got):\n%s\nerror: %v", diff, fes[0])
			}
		})
	}
	// A null is not set, as a field left out is; so is a weekday Sunday a
	// weekday, though its Go value is 0.
	for _, doc := range []string{
		edit(t, baseYAML, "min_interval: 44 h", "min_interval: 44 h\n  max_per_7_days: null"),
		edit(t, baseYAML, "weekdays: [mon, wed, fri]", "weekdays: [sun, tue, thu]"),
	} {
		loadDoc(t, []byte(doc))
	}
}

// zeroCase is a document that writes a zero, and its refusal.
type zeroCase struct{ name, doc, field, value, msg string }

func zeroCases(t testing.TB) []zeroCase {
	withTitration := baseYAML + "titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}\n"
	return []zeroCase{
		{"max_per_7_days 0 is not no limit", edit(t, baseYAML, "min_interval: 44 h", "min_interval: 44 h\n  max_per_7_days: 0"),
			"series.max_per_7_days", "0", "must be 1 or more"},
		{"per_week 0 is not one a weekday", edit(t, baseYAML, "sessions: 6,", "sessions: 6, per_week: 0,"), "series.phases[0].per_week", "0", "must be 1 or more"},
		{"sessions 0 is not no end", edit(t, baseYAML, "sessions: 6", "sessions: 0"), "series.phases[0].sessions", "0", "must be 1 or more"},
		{"doseplan 0 is not missing", edit(t, baseYAML, "doseplan: 1", "doseplan: 0"), "doseplan", "0", "must be 1 or more"},
		{"minus zero", edit(t, baseYAML, "doseplan: 1", "doseplan: -0"), "doseplan", "-0", "must be 1 or more"},
		{"advance_after_sessions 0", edit(t, withTitration, "advance_after_sessions: 3", "advance_after_sessions: 0"),
			"titration.advance_after_sessions", "0", "must be 1 or more"},
		{"an age bound of 0 years is not no bound", edit(t, baseYAML, "age: {hard_min: 18 years}", "age: {hard_min: 18 years, hard_max: 0 years}"),
			"population.age.hard_max", "0 years", "must be 1 or more"},
		{"an adjustment factor of 0", edit(t, baseYAML, "weight: {basis: actual}", "weight: {basis: adjusted, ibw_formula: devine, adjust_factor: 0.0}"),
			"dose.weight.adjust_factor", "0.0", "must be greater than 0"},
	}
}
