package schedule

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// The checks of Lint, one table each: every case builds a protocol in Go
// from nothing but what its check reads, and the findings are written out
// by hand.

var q = units.MustParse // literals only

// lintCase is a protocol and the findings one check gives it.
type lintCase struct {
	name string
	p    Protocol
	want []Finding
}

func runLintCases(t *testing.T, check func(*linted) []Finding, cases []lintCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			got := check(newLinted(&p, ruleDoseView(p.Dosing).key))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func ladder(steps ...string) *Titration {
	t := &Titration{AdvanceAfterSessions: 3}
	for _, s := range steps {
		t.Steps = append(t.Steps, q(s))
	}
	return t
}

func TestLintLadderStart(t *testing.T) {
	perKg := dosing.Rule{Dose: q("0.5 mg/kg")}
	runLintCases(t, lintLadderStart, []lintCase{
		{"no ladder", Protocol{Dosing: perKg}, nil},
		{"a ladder from the dose", Protocol{Dosing: perKg, Titration: ladder("0.5 mg/kg", "0.6 mg/kg")}, nil},
		{"from the dose in another unit", Protocol{Dosing: perKg, Titration: ladder("500 mcg/kg")}, nil}, // 500 mcg/kg = 0.5 mg/kg
		{"an empty ladder", Protocol{Dosing: perKg, Titration: &Titration{}}, nil},
		{"a ladder of another kind", Protocol{Dosing: perKg, Titration: ladder("28 mg")}, nil}, // Validate says so
		{"no dose", Protocol{Titration: ladder("0.6 mg/kg")}, nil},
		{"a ladder from above the dose", Protocol{Dosing: perKg, Titration: ladder("0.6 mg/kg", "0.7 mg/kg")}, []Finding{{
			SevWarning, "titration.steps[0]",
			"the ladder starts at 0.6 mg/kg, not at dose.per_kg 0.5 mg/kg: every session is dosed from the ladder, so dose.per_kg is never given"}}},
	})
}

func TestLintLevelLimits(t *testing.T) {
	// A per-kg dose bounded by soft_max 0.75 and hard_max 1 mg/kg; 10 ×
	// 1 mg/kg = 10 mg/kg is a unit slip, 9.99 mg/kg only above hard_max.
	perKg := func(dose string, b dosing.Bound) Protocol {
		return Protocol{Dosing: dosing.Rule{Dose: q(dose), Limits: dosing.Limits{DosePerKg: b}}}
	}
	soft := dosing.Bound{SoftMax: q("0.75 mg/kg"), HardMax: q("1 mg/kg")}
	floor := dosing.Bound{HardMin: q("0.1 mg/kg"), SoftMin: q("0.2 mg/kg"), HardMax: q("1 mg/kg")}
	const ack = ": every session at this level needs an acknowledgement"
	withLadder := perKg("0.5 mg/kg", soft)
	withLadder.Titration = ladder("0.5 mg/kg", "0.8 mg/kg", "1.2 mg/kg")
	runLintCases(t, lintLevelLimits, []lintCase{
		{"within the limits", perKg("0.5 mg/kg", soft), nil},
		{"at soft_max", perKg("0.75 mg/kg", soft), nil},
		{"at hard_max", perKg("1 mg/kg", dosing.Bound{HardMax: q("1 mg/kg")}), nil},
		{"above soft_max", perKg("0.8 mg/kg", soft), []Finding{{SevWarning, "dose.per_kg", "0.8 mg/kg is above dose.limits.dose_per_kg.soft_max 0.75 mg/kg" + ack}}},
		{"above hard_max", perKg("9.99 mg/kg", soft), []Finding{{SevError, "dose.per_kg", "9.99 mg/kg is above dose.limits.dose_per_kg.hard_max 1 mg/kg"}}},
		{"ten times hard_max", perKg("10 mg/kg", soft), []Finding{{SevError, "dose.per_kg",
			"implausible magnitude: 10 mg/kg is at least 10 times dose.limits.dose_per_kg.hard_max 1 mg/kg (a unit slip?)"}}},
		{"ten times hard_max in mcg/kg", perKg("10000 mcg/kg", soft), []Finding{{SevError, "dose.per_kg", // 10,000 mcg/kg = 10 mg/kg
			"implausible magnitude: 10,000 mcg/kg is at least 10 times dose.limits.dose_per_kg.hard_max 1 mg/kg (a unit slip?)"}}},
		{"ten times soft_max without a hard_max", perKg("7.5 mg/kg", dosing.Bound{SoftMax: q("0.75 mg/kg")}), []Finding{{SevError, "dose.per_kg",
			"implausible magnitude: 7.5 mg/kg is at least 10 times dose.limits.dose_per_kg.soft_max 0.75 mg/kg (a unit slip?)"}}},
		{"at hard_min", perKg("0.1 mg/kg", dosing.Bound{HardMin: q("0.1 mg/kg")}), nil},
		{"below soft_min", perKg("0.15 mg/kg", floor), []Finding{{SevWarning, "dose.per_kg", "0.15 mg/kg is below dose.limits.dose_per_kg.soft_min 0.2 mg/kg" + ack}}},
		{"below hard_min", perKg("0.05 mg/kg", floor), []Finding{{SevError, "dose.per_kg", "0.05 mg/kg is below dose.limits.dose_per_kg.hard_min 0.1 mg/kg"}}},
		{"a tenth of hard_min", perKg("0.01 mg/kg", floor), []Finding{{SevError, "dose.per_kg",
			"implausible magnitude: 0.01 mg/kg is at most a tenth of dose.limits.dose_per_kg.hard_min 0.1 mg/kg (a unit slip?)"}}},
		{"limits out of order say nothing more", perKg("5 mg/kg", dosing.Bound{SoftMax: q("2 mg/kg"), HardMax: q("1 mg/kg")}), nil},
		{"a mass limit does not bound a per-kg dose", Protocol{Dosing: dosing.Rule{Dose: q("0.5 mg/kg"), Limits: dosing.Limits{Dose: dosing.Bound{HardMax: q("1 mg")}}}}, nil},
		{"a fixed dose against the mass limit", Protocol{Dosing: dosing.Rule{Dose: q("112 mg"), Limits: dosing.Limits{Dose: dosing.Bound{HardMax: q("84 mg")}}}},
			[]Finding{{SevError, "dose.fixed", "112 mg is above dose.limits.dose.hard_max 84 mg"}}},
		{"a rate per kg against its limit", Protocol{Dosing: dosing.Rule{Dose: q("12.5 mcg/kg/min"), // = 0.75 mg/kg/h
			Limits: dosing.Limits{DoseRatePerKg: dosing.Bound{HardMax: q("0.5 mg/kg/h")}}}},
			[]Finding{{SevError, "dose.rate_per_kg", "12.5 mcg/kg/min is above dose.limits.dose_rate_per_kg.hard_max 0.5 mg/kg/h"}}},
		{"a rate against its limit", Protocol{Dosing: dosing.Rule{Dose: q("60 mg/h"), Limits: dosing.Limits{DoseRate: dosing.Bound{SoftMax: q("50 mg/h")}}}},
			[]Finding{{SevWarning, "dose.rate", "60 mg/h is above dose.limits.dose_rate.soft_max 50 mg/h" + ack}}},
		{"a dose per m² has no limit of its kind", Protocol{Dosing: dosing.Rule{Dose: q("500 mg/m²"), Limits: dosing.Limits{Dose: dosing.Bound{HardMax: q("1 mg")}}}}, nil},
		{"each titration step", withLadder, []Finding{
			{SevWarning, "titration.steps[1]", "0.8 mg/kg is above dose.limits.dose_per_kg.soft_max 0.75 mg/kg" + ack},
			{SevError, "titration.steps[2]", "1.2 mg/kg is above dose.limits.dose_per_kg.hard_max 1 mg/kg"},
		}},
	})
}

func TestLintCap(t *testing.T) {
	capped := func(cap, hardMax string) Protocol {
		r := dosing.Rule{Dose: q("56 mg"), Cap: q(cap)}
		if hardMax != "" {
			r.Limits.Dose.HardMax = q(hardMax)
		}
		return Protocol{Dosing: r}
	}
	runLintCases(t, lintCap, []lintCase{
		{"no cap", Protocol{Dosing: dosing.Rule{Limits: dosing.Limits{Dose: dosing.Bound{HardMax: q("84 mg")}}}}, nil},
		{"no hard maximum", capped("100 mg", ""), nil},
		{"at the hard maximum", capped("84 mg", "84 mg"), nil},
		{"below it in another unit", capped("84000 mcg", "84 mg"), nil}, // 84,000 mcg = 84 mg
		{"above the hard maximum", capped("100 mg", "84 mg"), []Finding{{SevWarning, "dose.cap",
			"cap 100 mg is above dose.limits.dose.hard_max 84 mg: the hard limit refuses first"}}},
	})
}

func TestLintConcentration(t *testing.T) {
	// Stock 10 mg/mL = 10,000 mcg/mL: a limit of 10 mcg/mL or 0.01 mg/mL is
	// a thousandth of it.
	stocked := func(c dosing.Bound) Protocol {
		return Protocol{Dosing: dosing.Rule{Preparation: &dosing.Preparation{Stock: q("10 mg/mL")}, Limits: dosing.Limits{Concentration: c}}}
	}
	runLintCases(t, lintConcentration, []lintCase{
		{"in the stock's unit", stocked(dosing.Bound{HardMax: q("1 mg/mL")}), nil},
		{"no preparation", Protocol{Dosing: dosing.Rule{Limits: dosing.Limits{Concentration: dosing.Bound{HardMax: q("10 mcg/mL")}}}}, nil},
		{"a limit of another dimension", stocked(dosing.Bound{HardMax: q("1 mg")}), nil}, // Validate says so
		{"in mcg/mL", stocked(dosing.Bound{HardMax: q("1000 mcg/mL")}), []Finding{{SevWarning, "dose.limits.concentration.hard_max",
			"1,000 mcg/mL is in mcg/mL while preparation.stock is 10 mg/mL: check the unit"}}},
		{"a thousandth of the stock", stocked(dosing.Bound{HardMax: q("10 mcg/mL")}), []Finding{{SevError, "dose.limits.concentration.hard_max",
			"implausible magnitude: preparation.stock 10 mg/mL is at least 1,000 times 10 mcg/mL (mcg/mL written for mg/mL?)"}}},
		{"just above a thousandth", stocked(dosing.Bound{SoftMax: q("0.011 mg/mL")}), nil},
		{"each bound, from hard_min to hard_max", stocked(dosing.Bound{HardMin: q("0.01 mg/mL"), SoftMin: q("100 mcg/mL"), SoftMax: q("0.5 mg/mL"), HardMax: q("2000 mcg/mL")}),
			[]Finding{
				{SevError, "dose.limits.concentration.hard_min", "implausible magnitude: preparation.stock 10 mg/mL is at least 1,000 times 0.01 mg/mL (mcg/mL written for mg/mL?)"},
				{SevWarning, "dose.limits.concentration.soft_min", "100 mcg/mL is in mcg/mL while preparation.stock is 10 mg/mL: check the unit"},
				{SevWarning, "dose.limits.concentration.hard_max", "2,000 mcg/mL is in mcg/mL while preparation.stock is 10 mg/mL: check the unit"},
			}},
	})
}

func TestLintFormCount(t *testing.T) {
	devices := &dosing.Form{Strength: q("28 mg/device"), Step: q("1 device"), Rounding: units.RoundDown}
	runLintCases(t, lintFormCount, []lintCase{
		{"whole devices", Protocol{Dosing: dosing.Rule{Dose: q("56 mg"), Form: devices}}, nil},
		{"no form", Protocol{Dosing: dosing.Rule{Dose: q("70 mg")}}, nil},
		{"a per-kg dose: its mass depends on the patient", Protocol{Dosing: dosing.Rule{Dose: q("0.5 mg/kg"), Form: devices}}, nil},
		{"half a device", Protocol{Dosing: dosing.Rule{Dose: q("70 mg"), Form: devices}}, []Finding{{SevWarning, "dose.fixed", // 70 ÷ 28 = 2.5 devices
			"70 mg is not a whole number of 1 device of 28 mg/device: it will be rounded down"}}},
		{"a step of the ladder", Protocol{Dosing: dosing.Rule{Dose: q("28 mg"), Form: devices}, Titration: ladder("28 mg", "42 mg", "56 mg")},
			[]Finding{{SevWarning, "titration.steps[1]", "42 mg is not a whole number of 1 device of 28 mg/device: it will be rounded down"}}}, // 1.5 devices
	})
}

func TestLintPumpRate(t *testing.T) {
	// A 100 mL bag over 40 min runs at 100 ÷ 40 × 60 = 150 mL/h.
	infused := func(maxRate string, stretch bool) Protocol {
		return Protocol{Dosing: dosing.Rule{
			Preparation: &dosing.Preparation{Bag: &dosing.Bag{Volume: q("100 mL")}},
			Infusion:    &dosing.Infusion{Duration: q("40 min"), Pump: dosing.Pump{MaxRate: q(maxRate), StretchToMaxRate: stretch}},
		}}
	}
	runLintCases(t, lintPumpRate, []lintCase{
		{"within the pump's range", infused("999 mL/h", false), nil},
		{"at its maximum", infused("150 mL/h", false), nil},
		{"stretched to the maximum", infused("100 mL/h", true), nil},
		{"no bag", Protocol{Dosing: dosing.Rule{Infusion: &dosing.Infusion{Duration: q("40 min"), Pump: dosing.Pump{MaxRate: q("1 mL/h")}}}}, nil},
		{"above the pump's maximum", infused("100 mL/h", false), []Finding{{SevError, "infusion.duration",
			"a 100 mL bag over 40 min needs 150 mL/h, above infusion.pump.max_rate 100 mL/h"}}},
	})
}

func TestLintRoundingTolerance(t *testing.T) {
	// A preparation rounds the dose and the draw volume, an infusion its
	// pump rate (dosing.Rule.RoundedValues).
	iv := dosing.Rule{Preparation: &dosing.Preparation{Stock: q("10 mg/mL")}, Infusion: &dosing.Infusion{Duration: q("40 min")}}
	declared := iv
	declared.RoundingTolerance = dosing.RoundingTolerance{Dose: q("5 %"), DrawVolume: q("5 %"), PumpRate: q("5 %")}
	unused := declared
	unused.RoundingTolerance.DripRate = q("0 %")
	partly := iv
	partly.RoundingTolerance = dosing.RoundingTolerance{DrawVolume: q("5 %")}
	const never = ": rounding is reported but never warned about, however far it changes the value (doseplan supplies no default)"
	runLintCases(t, lintRoundingTolerance, []lintCase{
		{"every rounded value has one", Protocol{Dosing: declared}, nil},
		{"nothing rounded, none declared", Protocol{}, nil},
		{"none declared", Protocol{Dosing: iv}, []Finding{{SevWarning, "dose.rounding_tolerance", "no rounding tolerance for dose, draw_volume, pump_rate" + never}}},
		{"some declared", Protocol{Dosing: partly}, []Finding{{SevWarning, "dose.rounding_tolerance", "no rounding tolerance for dose, pump_rate" + never}}},
		{"one for a value never rounded", Protocol{Dosing: unused}, []Finding{{SevWarning, "dose.rounding_tolerance.drip_rate",
			"the protocol never rounds the drip rate: this tolerance never applies"}}},
	})
}

func TestLintPopulation(t *testing.T) {
	adults := dosing.Population{Age: dosing.AgeBound{HardMin: 18}, Why: "the trials enrolled adults"}
	runLintCases(t, lintPopulation, []lintCase{
		{"declared, with why", Protocol{Dosing: dosing.Rule{Population: adults}}, nil},
		{"weights only", Protocol{Dosing: dosing.Rule{Population: dosing.Population{Weight: dosing.Bound{SoftMin: q("40 kg")}, Why: "the trial's weights"}}}, nil},
		{"not declared", Protocol{}, []Finding{{SevWarning, "population",
			"not declared: the protocol does not say which patients it was written for (population.age, weight, height, bmi), so a child or a patient outside the studied range is dosed with no warning"}}},
		{"without why", Protocol{Dosing: dosing.Rule{Population: dosing.Population{Age: dosing.AgeBound{HardMin: 18}}}}, []Finding{{SevWarning, "population.why",
			"not given: say which patients the protocol's sources studied"}}},
	})
}

func TestLintObservation(t *testing.T) {
	runLintCases(t, lintObservation, []lintCase{
		{"30 min", Protocol{Session: SessionSpec{Observation: q("30 min")}}, nil},
		{"not given (Validate says so)", Protocol{}, nil},
		{"none", Protocol{Session: SessionSpec{Observation: q("0 h")}}, []Finding{{SevWarning, "session.observation", "no observation time after the administration"}}},
	})
}

func TestLintMinInterval(t *testing.T) {
	phases := []Phase{{Name: "induction", Sessions: 6, Every: q("2 days")}}
	runLintCases(t, lintMinInterval, []lintCase{
		{"44 h", Protocol{Series: Series{Phases: phases, MinInterval: q("44 h")}}, nil},
		{"none, and no phases", Protocol{Series: Series{MinInterval: q("0 h")}}, nil},
		{"none", Protocol{Series: Series{Phases: phases, MinInterval: q("0 min")}}, []Finding{{SevWarning, "series.min_interval", "no minimum interval between sessions"}}},
	})
}

func TestLintVitalGates(t *testing.T) {
	gates := func(warn, hold Thresholds) Protocol { return Protocol{Vitals: &VitalGates{Warn: warn, Hold: hold}} }
	const swapped = ": the hold gate is less strict than the warn gate, so a reading between them holds and the warn gate never decides (were the two swapped?)"
	const always = ", so the gates are met whatever is measured"
	runLintCases(t, lintVitalGates, []lintCase{
		{"no gates", Protocol{}, nil},
		{"the example's gates", gates(Thresholds{SystolicAbove: q("140 mmHg"), DiastolicAbove: q("90 mmHg"), SpO2Below: q("94 %")},
			Thresholds{SystolicAbove: q("180 mmHg"), DiastolicAbove: q("100 mmHg"), HeartRateAbove: q("110 /min"), SpO2Below: q("90 %")}), nil},
		// Hold above 120 with warn above 140: 130 holds, and every reading
		// above 140 holds before it can warn.
		{"hold above below warn above", gates(Thresholds{SystolicAbove: q("140 mmHg")}, Thresholds{SystolicAbove: q("120 mmHg")}),
			[]Finding{{SevError, "vitals.hold.systolic_above", "120 mmHg is below vitals.warn.systolic_above 140 mmHg" + swapped}}},
		// The other direction: hold below 96 % with warn below 94 %.
		{"hold below above warn below", gates(Thresholds{SpO2Below: q("94 %")}, Thresholds{SpO2Below: q("96 %")}),
			[]Finding{{SevError, "vitals.hold.spo2_below", "96 % is above vitals.warn.spo2_below 94 %" + swapped}}},
		{"heart rate, below", gates(Thresholds{HeartRateBelow: q("50 /min")}, Thresholds{HeartRateBelow: q("60 /min")}),
			[]Finding{{SevError, "vitals.hold.heart_rate_below", "60 /min is above vitals.warn.heart_rate_below 50 /min" + swapped}}},
		{"hold at warn", gates(Thresholds{DiastolicAbove: q("90 mmHg")}, Thresholds{DiastolicAbove: q("90 mmHg")}),
			[]Finding{{SevWarning, "vitals.hold.diastolic_above", "90 mmHg is also vitals.warn.diastolic_above: the warn gate never decides (the hold gate at the same limit holds first)"}}},
		{"gates of other readings are not compared", gates(Thresholds{SystolicAbove: q("140 mmHg")}, Thresholds{DiastolicAbove: q("100 mmHg")}), nil},
		{"a unit of another kind: Validate's", gates(Thresholds{SystolicAbove: q("140 mmHg")}, Thresholds{SystolicAbove: q("120 /min")}), nil},
		// Above 100 or below 120: every systolic pressure is one or the
		// other; above 120 and below 100 leaves 100–120 to pass.
		{"above below a below", gates(Thresholds{}, Thresholds{SystolicAbove: q("100 mmHg"), SystolicBelow: q("120 mmHg")}),
			[]Finding{{SevError, "vitals.hold.systolic_above", "100 mmHg is below vitals.hold.systolic_below 120 mmHg: every systolic reading is above the one or below the other" + always}}},
		{"across the levels", gates(Thresholds{HeartRateBelow: q("120 /min")}, Thresholds{HeartRateAbove: q("100 /min")}),
			[]Finding{{SevError, "vitals.hold.heart_rate_above", "100 /min is below vitals.warn.heart_rate_below 120 /min: every heart rate reading is above the one or below the other" + always}}},
		{"a band that passes", gates(Thresholds{}, Thresholds{SystolicAbove: q("120 mmHg"), SystolicBelow: q("100 mmHg")}), nil},
		{"above and below at one limit", gates(Thresholds{}, Thresholds{SystolicAbove: q("120 mmHg"), SystolicBelow: q("120 mmHg")}), nil}, // 120 passes
		// The readings Check accepts: systolic 50–300 mmHg, SpO2 above 0 %.
		{"above every possible reading's floor", gates(Thresholds{SystolicAbove: q("40 mmHg")}, Thresholds{}),
			[]Finding{{SevError, "vitals.warn.systolic_above", "40 mmHg is below every possible systolic reading (from 50 mmHg): the gate is met whatever is measured"}}},
		{"SpO2 above 0 %", gates(Thresholds{}, Thresholds{SpO2Above: q("0 %")}),
			[]Finding{{SevError, "vitals.hold.spo2_above", "0 % is below every possible SpO2 reading (from 0 %): the gate is met whatever is measured"}}},
		{"below above every possible reading's ceiling", gates(Thresholds{}, Thresholds{SystolicBelow: q("310 mmHg")}),
			[]Finding{{SevError, "vitals.hold.systolic_below", "310 mmHg is above every possible systolic reading (to 300 mmHg): the gate is met whatever is measured"}}},
		{"at the floor: a reading of 50 passes", gates(Thresholds{SystolicAbove: q("50 mmHg")}, Thresholds{}), nil},
	})
}

// order answers only for quantities of one dimension, never "equal" for
// two that cannot be compared; compare fails on them with the path of the
// setting.
func TestOrderAndCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		c     int
		ok    bool
		above bool
	}{
		{"0.5 mg", "500 mcg", 0, true, false}, // 500 mcg = 0.5 mg
		{"0.6 mg/kg", "0.5 mg/kg", 1, true, true},
		{"150 mL/h", "2.5 mL/min", 0, true, false}, // 2.5 mL/min × 60 = 150 mL/h
		{"1 mg", "1 mL", 0, false, false},
		{"1 mg", "", 0, false, false},
		{"", "1 mg", 0, false, false},
	} {
		var a, b units.Quantity
		if tc.a != "" {
			a = q(tc.a)
		}
		if tc.b != "" {
			b = q(tc.b)
		}
		if c, ok := order(a, b); c != tc.c || ok != tc.ok {
			t.Errorf("order(%v, %v) = %d, %t; want %d, %t", a, b, c, ok, tc.c, tc.ok)
		}
		if got := above(a, b); got != tc.above {
			t.Errorf("above(%v, %v) = %t, want %t", a, b, got, tc.above)
		}
	}

	if c, err := compare("caps.per_day", q("120 mg"), q("0.1 g")); err != nil || c != 1 {
		t.Errorf("compare(120 mg, 0.1 g) = %d, %v; want 1", c, err)
	}
	_, err := compare("caps.per_day", q("120 mg"), q("300 mL"))
	var fe *FieldError
	var de *units.DimensionError
	if !errors.As(err, &fe) || fe.Field != "caps.per_day" || fe.Value != "300 mL" || !errors.Is(err, ErrConflict) || !errors.As(err, &de) {
		t.Fatalf("compare(120 mg, 300 mL) error = %#v, want a FieldError at caps.per_day wrapping ErrConflict and the DimensionError", err)
	}
	if want := `schedule: caps.per_day "300 mL": cannot be compared with 120 mg (not of one dimension)`; err.Error() != want {
		t.Errorf("error = %s\nwant    %s", err, want)
	}
}
