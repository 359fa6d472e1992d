package schedule_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// finding is a lint finding without its message, for comparing sets.
type finding struct {
	Sev   schedule.Severity
	Field string
}

func findingsOf(fs []schedule.Finding) []finding {
	out := []finding{}
	for _, f := range fs {
		out = append(out, finding{f.Severity, f.Field})
	}
	return out
}

// Each kind of finding of Lint, from a protocol changed in Go: one change
// that triggers it and one at the boundary that does not. The base protocol
// (baseYAML) doses 0.5 mg/kg with soft_max 0.75 mg/kg and hard_max 1 mg/kg,
// from 10 mg/mL stock into a 100 mL bag over 40 min, pump max 999 mL/h.
func TestLint(t *testing.T) {
	errAt := func(field string) []finding { return []finding{{schedule.SevError, field}} }
	warnAt := func(field string) []finding { return []finding{{schedule.SevWarning, field}} }
	none := []finding{}
	ladder := func(steps ...string) *schedule.Titration {
		tt := &schedule.Titration{AdvanceAfterSessions: 3}
		for _, s := range steps {
			tt.Steps = append(tt.Steps, qty(s))
		}
		return tt
	}
	tests := []struct {
		name   string
		base   string // baseYAML or nasalYAML
		change func(p *schedule.Protocol)
		want   []finding
		msg    string // a substring of the one finding's message
	}{
		{"base protocol", baseYAML, func(*schedule.Protocol) {}, none, ""},

		// Dose levels against the protocol's own limits of their kind.
		{"dose ten times hard_max", baseYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("10 mg/kg") },
			errAt("dose.per_kg"), "implausible magnitude: 10 mg/kg is at least 10 times dose.limits.dose_per_kg.hard_max 1 mg/kg"},
		{"dose just under ten times hard_max", baseYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("9.99 mg/kg") },
			errAt("dose.per_kg"), "9.99 mg/kg is above dose.limits.dose_per_kg.hard_max 1 mg/kg"},
		{"dose in mcg/kg ten times hard_max", baseYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("10000 mcg/kg") },
			errAt("dose.per_kg"), "implausible magnitude"},
		{"dose at hard_max is not above it", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Dose = qty("1 mg/kg")
			p.Dosing.Limits.DosePerKg.SoftMax = units.Quantity{}
		}, none, ""},
		{"dose above soft_max", baseYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("0.8 mg/kg") },
			warnAt("dose.per_kg"), "0.8 mg/kg is above dose.limits.dose_per_kg.soft_max 0.75 mg/kg"},
		{"dose at soft_max", baseYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("0.75 mg/kg") }, none, ""},
		{"only a soft_max: ten times it", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Limits.DosePerKg.HardMax = units.Quantity{}
			p.Dosing.Dose = qty("7.5 mg/kg")
		}, errAt("dose.per_kg"), "at least 10 times dose.limits.dose_per_kg.soft_max 0.75 mg/kg"},
		{"dose a tenth of hard_min", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Limits.DosePerKg.HardMin = qty("0.1 mg/kg")
			p.Dosing.Dose = qty("0.01 mg/kg")
		}, errAt("dose.per_kg"), "implausible magnitude: 0.01 mg/kg is at most a tenth of dose.limits.dose_per_kg.hard_min 0.1 mg/kg"},
		{"dose below hard_min", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Limits.DosePerKg.HardMin = qty("0.1 mg/kg")
			p.Dosing.Dose = qty("0.05 mg/kg")
		}, errAt("dose.per_kg"), "0.05 mg/kg is below dose.limits.dose_per_kg.hard_min 0.1 mg/kg"},
		{"dose at hard_min", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Limits.DosePerKg.HardMin = qty("0.1 mg/kg")
			p.Dosing.Dose = qty("0.1 mg/kg")
		}, none, ""},
		{"dose below soft_min", baseYAML, func(p *schedule.Protocol) { p.Dosing.Limits.DosePerKg.SoftMin = qty("0.6 mg/kg") },
			warnAt("dose.per_kg"), "0.5 mg/kg is below dose.limits.dose_per_kg.soft_min 0.6 mg/kg"},
		{"fixed dose against a mass limit", nasalYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("112 mg") },
			errAt("dose.fixed"), "112 mg is above dose.limits.dose.hard_max 84 mg"},
		{"dose rate per kg against its limit", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Dose = units.Quantity{}
			p.Dosing.Dose = qty("12.5 mcg/kg/min")
			p.Dosing.Limits.DosePerKg = dosing.Bound{}
			p.Dosing.Limits.DoseRatePerKg = dosing.Bound{HardMax: qty("0.5 mg/kg/h")}
		}, errAt("dose.rate_per_kg"), "12.5 mcg/kg/min is above dose.limits.dose_rate_per_kg.hard_max 0.5 mg/kg/h"},
		{"dose rate per kg at its limit", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Dose = units.Quantity{}
			p.Dosing.Dose = qty("12.5 mcg/kg/min") // = 0.75 mg/kg/h
			p.Dosing.Limits.DosePerKg = dosing.Bound{}
			p.Dosing.Limits.DoseRatePerKg = dosing.Bound{HardMax: qty("0.75 mg/kg/h")}
		}, none, ""},
		{"a per-kg dose has no mass limit to meet", baseYAML, func(p *schedule.Protocol) { p.Dosing.Limits.Dose = dosing.Bound{HardMax: qty("1 mg")} }, none, ""},

		// Titration steps inside the limits, starting at the dose.
		{"titration step above hard_max", baseYAML, func(p *schedule.Protocol) { p.Titration = ladder("0.5 mg/kg", "0.75 mg/kg", "1.2 mg/kg") },
			errAt("titration.steps[2]"), "1.2 mg/kg is above dose.limits.dose_per_kg.hard_max 1 mg/kg"},
		{"titration step above soft_max", baseYAML, func(p *schedule.Protocol) { p.Titration = ladder("0.5 mg/kg", "0.75 mg/kg", "0.9 mg/kg") },
			warnAt("titration.steps[2]"), "needs an acknowledgement"},
		{"titration steps inside the limits", baseYAML, func(p *schedule.Protocol) { p.Titration = ladder("0.5 mg/kg", "0.6 mg/kg", "0.75 mg/kg") }, none, ""},
		{"ladder not starting at the dose", baseYAML, func(p *schedule.Protocol) { p.Titration = ladder("0.6 mg/kg", "0.75 mg/kg") },
			warnAt("titration.steps[0]"), "the ladder starts at 0.6 mg/kg, not at dose.per_kg 0.5 mg/kg"},
		{"ladder starting at the dose in other units", baseYAML, func(p *schedule.Protocol) { p.Titration = ladder("500 mcg/kg", "0.75 mg/kg") }, none, ""},

		// Cap and hard limit.
		{"cap above the hard maximum", nasalYAML, func(p *schedule.Protocol) { p.Dosing.Cap = qty("100 mg") },
			warnAt("dose.cap"), "cap 100 mg is above dose.limits.dose.hard_max 84 mg"},
		{"cap at the hard maximum", nasalYAML, func(p *schedule.Protocol) { p.Dosing.Cap = qty("84 mg") }, none, ""},

		// Concentration limits against the stock (10 mg/mL).
		{"concentration limit in mcg/mL", baseYAML, func(p *schedule.Protocol) { p.Dosing.Limits.Concentration.HardMax = qty("1000 mcg/mL") },
			warnAt("dose.limits.concentration.hard_max"), "1,000 mcg/mL is in mcg/mL while preparation.stock is 10 mg/mL: check the unit"},
		{"concentration limit a thousandth of the stock", baseYAML, func(p *schedule.Protocol) { p.Dosing.Limits.Concentration.HardMax = qty("10 mcg/mL") },
			errAt("dose.limits.concentration.hard_max"), "preparation.stock 10 mg/mL is at least 1,000 times 10 mcg/mL"},
		{"soft concentration limit a thousandth of the stock", baseYAML, func(p *schedule.Protocol) { p.Dosing.Limits.Concentration.SoftMax = qty("0.01 mg/mL") },
			errAt("dose.limits.concentration.soft_max"), "(mcg/mL written for mg/mL?)"},
		{"concentration limit in the stock's unit", baseYAML, func(p *schedule.Protocol) { p.Dosing.Limits.Concentration.HardMax = qty("1 mg/mL") }, none, ""},

		// Dose forms.
		{"fixed dose not a whole number of devices", nasalYAML, func(p *schedule.Protocol) { p.Dosing.Dose = qty("70 mg") },
			warnAt("dose.fixed"), "70 mg is not a whole number of 1 device of 28 mg/device: it will be rounded down"},
		{"titration step not a whole number of devices", nasalYAML, func(p *schedule.Protocol) { p.Titration = ladder("56 mg", "70 mg") },
			warnAt("titration.steps[1]"), "70 mg is not a whole number"},
		{"device doses", nasalYAML, func(p *schedule.Protocol) { p.Titration = ladder("56 mg", "84 mg") }, none, ""},

		// The pump: 100 mL over 6 min is 1,000 mL/h, over 7 min 857 mL/h.
		{"bag too fast for the pump", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Infusion.Duration = qty("6 min")
		}, errAt("infusion.duration"), "a 100 mL bag over 6 min needs 1,000 mL/h, above infusion.pump.max_rate 999 mL/h"},
		{"bag the pump can run", baseYAML, func(p *schedule.Protocol) { p.Dosing.Infusion.Duration = qty("7 min") }, none, ""},
		{"bag too fast, stretched", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Infusion.Duration = qty("6 min")
			p.Dosing.Infusion.Pump.StretchToMaxRate = true
		}, none, ""},

		// Rounding tolerances: the base declares dose, draw_volume and
		// pump_rate (it has a preparation and a pump, no drip set); the
		// nasal base declares dose (its devices).
		{"no rounding tolerance", baseYAML, func(p *schedule.Protocol) { p.Dosing.RoundingTolerance = dosing.RoundingTolerance{} },
			warnAt("dose.rounding_tolerance"), "no rounding tolerance for dose, draw_volume, pump_rate: rounding is reported but never warned about"},
		{"no rounding tolerance for the pump rate", baseYAML, func(p *schedule.Protocol) { p.Dosing.RoundingTolerance.PumpRate = units.Quantity{} },
			warnAt("dose.rounding_tolerance"), "no rounding tolerance for pump_rate:"},
		{"no rounding tolerance for devices", nasalYAML, func(p *schedule.Protocol) { p.Dosing.RoundingTolerance = dosing.RoundingTolerance{} },
			warnAt("dose.rounding_tolerance"), "no rounding tolerance for dose:"},
		{"a drip set adds the drip rate", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Infusion.DropFactor, p.Dosing.Infusion.DripRounding = qty("20 gtt/mL"), units.RoundHalfUp
		}, warnAt("dose.rounding_tolerance"), "no rounding tolerance for drip_rate:"},
		{"a tolerance for a value never rounded", baseYAML, func(p *schedule.Protocol) { p.Dosing.RoundingTolerance.DripRate = qty("5 %") },
			warnAt("dose.rounding_tolerance.drip_rate"), "the protocol never rounds the drip rate: this tolerance never applies"},
		{"a 0 % tolerance is declared", nasalYAML, func(p *schedule.Protocol) { p.Dosing.RoundingTolerance.Dose = qty("0 %") }, none, ""},

		// Sessions.
		{"no observation", baseYAML, func(p *schedule.Protocol) { p.Session.Observation = qty("0 min") },
			warnAt("session.observation"), "no observation time"},
		{"no minimum interval", baseYAML, func(p *schedule.Protocol) { p.Series.MinInterval = qty("0 h") },
			warnAt("series.min_interval"), "no minimum interval"},

		// The patients the protocol was written for.
		{"no population", baseYAML, func(p *schedule.Protocol) { p.Dosing.Population = dosing.Population{} },
			warnAt("population"), "not declared: the protocol does not say which patients it was written for"},
		{"a population without why", baseYAML, func(p *schedule.Protocol) { p.Dosing.Population.Why = "" },
			warnAt("population.why"), "say which patients the protocol's sources studied"},
		{"a population of weights only", baseYAML, func(p *schedule.Protocol) {
			p.Dosing.Population = dosing.Population{Weight: dosing.Bound{SoftMin: qty("40 kg")}, Why: "the trial's weights"}
		}, none, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := loadDoc(t, []byte(tc.base))
			tc.change(p)
			fs := p.Lint()
			if diff := cmp.Diff(tc.want, findingsOf(fs)); diff != "" {
				t.Fatalf("findings (-want +got):\n%s\n%v", diff, fs)
			}
			if tc.msg != "" && !strings.Contains(fs[0].Message, tc.msg) {
				t.Errorf("message %q does not contain %q", fs[0].Message, tc.msg)
			}
			// Validate agrees: errors refuse the protocol with the
			// finding's path, warnings are kept.
			err := p.Validate()
			var errs, warns []string
			for _, f := range tc.want {
				if f.Sev == schedule.SevError {
					errs = append(errs, f.Field)
				} else {
					warns = append(warns, f.Field)
				}
			}
			if diff := cmp.Diff(errs, errPaths(err)); diff != "" {
				t.Errorf("Validate() error paths (-want +got):\n%s", diff)
			}
			if len(errs) > 0 && !errors.Is(err, schedule.ErrConflict) {
				t.Errorf("Validate() = %v, want ErrConflict", err)
			}
			var got []string
			for _, f := range p.Findings() {
				got = append(got, f.Field)
			}
			if diff := cmp.Diff(warns, got); diff != "" {
				t.Errorf("Findings() (-want +got):\n%s", diff)
			}
		})
	}
}

// Lint findings of a loaded document, with the document's paths.
func TestLintThroughLoadProtocol(t *testing.T) {
	doc := edit(t, baseYAML, "dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}",
		"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}\n    concentration: {hard_max: 1000 mcg/mL}") +
		"titration: {steps: [0.5 mg/kg, 0.6 mg/kg, 0.9 mg/kg], advance_after_sessions: 3}\n"
	p := loadDoc(t, []byte(doc))
	want := []schedule.Finding{
		{Severity: schedule.SevWarning, Field: "titration.steps[2]", Message: "0.9 mg/kg is above dose.limits.dose_per_kg.soft_max 0.75 mg/kg: every session at this level needs an acknowledgement"},
		{Severity: schedule.SevWarning, Field: "dose.limits.concentration.hard_max", Message: "1,000 mcg/mL is in mcg/mL while preparation.stock is 10 mg/mL: check the unit"},
	}
	if diff := cmp.Diff(want, p.Findings()); diff != "" {
		t.Errorf("Findings() (-want +got):\n%s", diff)
	}
	if s := p.Findings()[0].String(); s != "warning: titration.steps[2]: "+want[0].Message {
		t.Errorf("Finding.String() = %q", s)
	}

	// An error finding refuses the document, naming the path.
	bad := edit(t, baseYAML, "per_kg: 0.5 mg/kg", "per_kg: 10 mg/kg")
	_, err := schedule.LoadProtocol([]byte(bad))
	if diff := cmp.Diff([]string{"dose.per_kg"}, errPaths(err)); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if want := `schedule: dose.per_kg: implausible magnitude: 10 mg/kg is at least 10 times dose.limits.dose_per_kg.hard_max 1 mg/kg (a unit slip?)`; err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant    %s", err, want)
	}
}

// Consistency the dosing rule checks (dosing.Rule.Validate) and the series
// checks: reported by LoadProtocol with their document paths.
func TestLoadProtocolRuleConsistency(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		paths []string
		is    error
		msg   string
	}{
		{"soft_max above hard_max", edit(t, baseYAML, "{soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "{soft_max: 1.2 mg/kg, hard_max: 1 mg/kg}"),
			[]string{"dose.limits.dose_per_kg.soft_max"}, dosing.ErrConflict, `must be below dose.limits.dose_per_kg.hard_max "1 mg/kg"`},
		{"soft limit inside hard: fine", edit(t, baseYAML, "{soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "{hard_min: 0.1 mg/kg, soft_min: 0.2 mg/kg, soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}"),
			nil, nil, ""},
		{"soft_min below hard_min", edit(t, baseYAML, "{soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "{hard_min: 0.2 mg/kg, soft_min: 0.1 mg/kg, hard_max: 1 mg/kg}"),
			[]string{"dose.limits.dose_per_kg.hard_min"}, dosing.ErrConflict, ""},
		{"min above max", edit(t, nasalYAML, "dose: {hard_min: 28 mg, hard_max: 84 mg}", "dose: {hard_min: 90 mg, hard_max: 84 mg}"),
			[]string{"dose.limits.dose.hard_min"}, dosing.ErrConflict, ""},
		{"min equal to max", edit(t, nasalYAML, "dose: {hard_min: 28 mg, hard_max: 84 mg}", "dose: {soft_min: 56 mg, soft_max: 56 mg}"),
			[]string{"dose.limits.dose.soft_min"}, dosing.ErrConflict, ""},
		{"a concentration limit in mg", edit(t, baseYAML, "dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}",
			"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}\n    concentration: {hard_max: 1 mg}"),
			[]string{"dose.limits.concentration.hard_max"}, dosing.ErrDimension, ""},
		{"weight bands with a gap", edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  bands: [{min: 40 kg, max: 60 kg, dose: 30 mg}, {min: 70 kg, dose: 40 mg}]\n",
			"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose: {hard_max: 50 mg}"),
			[]string{"dose.bands[1].min"}, dosing.ErrConflict, "gap after the band ending at 60 kg"},
		{"weight bands overlapping", edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  bands: [{min: 40 kg, max: 60 kg, dose: 30 mg}, {min: 50 kg, dose: 40 mg}]\n",
			"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose: {hard_max: 50 mg}"),
			[]string{"dose.bands[1].min"}, dosing.ErrConflict, "overlaps the band ending at 60 kg"},
		{"weight bands touching: fine", edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  bands: [{min: 40 kg, max: 60 kg, dose: 30 mg}, {min: 60 kg, dose: 40 mg}]\n",
			"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose: {hard_max: 50 mg}"),
			nil, nil, ""},
		{"open band not last", edit(t, baseYAML, "  per_kg: 0.5 mg/kg\n", "  bands: [{min: 40 kg, dose: 30 mg}, {min: 60 kg, dose: 40 mg}]\n"),
			[]string{"dose.bands[0].max"}, dosing.ErrConflict, ""},
		{"weekdays that cannot keep the interval", edit(t, baseYAML, "min_interval: 44 h", "min_interval: 72 h"),
			[]string{"series.phases[0].weekdays"}, schedule.ErrConflict, "cannot keep min_interval 72 h (mon to wed is 2 days, 48 h)"},
		{"weekdays that keep it exactly", edit(t, baseYAML, "min_interval: 44 h", "min_interval: 48 h"), nil, nil, ""},
		{"an interval shorter than min_interval", edit(t, baseYAML, "weekdays: [mon, wed, fri]}", "every: 2 days}", "min_interval: 44 h", "min_interval: 72 h"),
			[]string{"series.phases[0].every"}, schedule.ErrConflict, "is shorter than min_interval 72 h"},
		// A pump limit of the wrong dimension is its own error; the pump
		// check of Lint cannot compare with it and says nothing (it never
		// reads "equal": 100 mL is no rate at all).
		{"a max_rate in mL", edit(t, baseYAML, "max_rate: 999 mL/h", "max_rate: 100 mL"),
			[]string{"infusion.pump.max_rate"}, dosing.ErrDimension, `infusion.pump.max_rate "100 mL": must be in mL/h`},
		{"more a week than max_per_7_days", edit(t, baseYAML, "min_interval: 44 h", "min_interval: 44 h\n  max_per_7_days: 2"),
			[]string{"series.phases[0].weekdays"}, schedule.ErrConflict, "more than max_per_7_days 2"},
		// per_week sets the count: the conflict is per_week's with
		// max_per_7_days, not the weekdays' (five weekdays, 24 h apart,
		// keep a 24 h interval).
		{"per_week more than max_per_7_days", edit(t, baseYAML, "sessions: 6, weekdays: [mon, wed, fri]", "sessions: 6, per_week: 4, weekdays: [mon, tue, wed, thu, fri]",
			"min_interval: 44 h", "min_interval: 24 h\n  max_per_7_days: 3"),
			[]string{"series.phases[0].per_week"}, schedule.ErrConflict, `series.phases[0].per_week "4": asks for 4 sessions a week, more than series.max_per_7_days 3`},
		// Four of mon–fri 44 h apart cannot be had (mon, wed, fri are three).
		{"per_week that cannot keep the interval", edit(t, baseYAML, "sessions: 6, weekdays: [mon, wed, fri]", "sessions: 6, per_week: 4, weekdays: [mon, tue, wed, thu, fri]"),
			[]string{"series.phases[0].per_week"}, schedule.ErrConflict,
			`series.phases[0].per_week "4": asks for 4 sessions a week, and no 4 of the weekdays mon, tue, wed, thu, fri keep series.min_interval 44 h`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schedule.LoadProtocol([]byte(tc.doc))
			if diff := cmp.Diff(tc.paths, errPaths(err)); diff != "" {
				t.Fatalf("paths (-want +got):\n%s\n%v", diff, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v) = false: %v", tc.is, err)
			}
			if tc.msg != "" && !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not contain %q", err, tc.msg)
			}
		})
	}
}
