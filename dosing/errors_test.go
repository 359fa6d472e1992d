package dosing_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// negQty builds a negative quantity, which units.Parse refuses to read.
func negQty(n int64, u units.Unit) units.Quantity { return units.New(decimal.NewFromInt(-n), u) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// calculateSafely runs Calculate and turns a panic into a test failure.
func calculateSafely(t *testing.T, r dosing.Rule, p dosing.Patient, o dosing.Options) (res dosing.Result, err error) {
	t.Helper()
	defer func() {
		if v := recover(); v != nil {
			t.Fatalf("Calculate panicked: %v", v)
		}
	}()
	return dosing.Calculate(r, p, o)
}

type badInput struct {
	name   string
	change func(r *dosing.Rule, p *dosing.Patient, o *dosing.Options)
	// For a *FieldError: every field reported, in order. For a
	// *LimitError: the one field, and its kind.
	fields   []string
	kind     dosing.LimitKind
	sentinel error
}

// badInputs are single faults on the standard IV case (and the esketamine
// rule where it says so). Each must be refused with the right error type,
// field and sentinel, without a panic and without a result.
var badInputs = []badInput{
	// Patient: missing, zero, negative, absurd, wrong dimension.
	{"missing weight", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Weight = units.Quantity{} },
		[]string{"patient.weight"}, "", dosing.ErrMissing},
	{"zero weight", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Weight = mq("0 kg") },
		[]string{"patient.weight"}, "", dosing.ErrRange},
	{"negative weight", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Weight = negQty(80, units.Kilogram) },
		[]string{"patient.weight"}, "", dosing.ErrRange},
	{"700 kg", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Weight = mq("700 kg") },
		[]string{"patient.weight"}, "", dosing.ErrRange},
	{"1200 lb is above 500 kg", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Weight = mq("1200 lb") },
		[]string{"patient.weight"}, "", dosing.ErrRange},
	{"weight in mg is a drug mass", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Weight = mq("80 mg") },
		[]string{"patient.weight"}, "", dosing.ErrDimension},
	{"12 cm height", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Height = mq("12 cm") },
		[]string{"patient.height"}, "", dosing.ErrRange},
	{"300 cm height", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Height = mq("3 m") },
		[]string{"patient.height"}, "", dosing.ErrRange},
	{"height in kg", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Height = mq("175 kg") },
		[]string{"patient.height"}, "", dosing.ErrDimension},
	{"no height for a BMI threshold", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Height = units.Quantity{} },
		[]string{"patient.height"}, "", dosing.ErrMissing},
	{"no sex for an ideal weight", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Sex = 0 },
		[]string{"patient.sex"}, "", dosing.ErrMissing},
	{"no height for an ideal basis", func(r *dosing.Rule, p *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{Basis: dosing.Ideal, IBWFormula: dosing.Miller}
		p.Height = units.Quantity{}
	}, []string{"patient.height"}, "", dosing.ErrMissing},
	{"no height for a lean basis", func(r *dosing.Rule, p *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{Basis: dosing.Lean}
		p.Height = units.Quantity{}
	}, []string{"patient.height"}, "", dosing.ErrMissing},
	{"no height for a dose per m²", func(r *dosing.Rule, p *dosing.Patient, _ *dosing.Options) {
		r.Dose, r.BSAFormula, r.Weight, r.Limits = mq("20 mg/m²"), dosing.Haycock, dosing.WeightPolicy{Basis: dosing.Actual}, dosing.Limits{}
		p.Height = units.Quantity{}
	}, []string{"patient.height"}, "", dosing.ErrMissing},
	{"no sex for a lean basis", func(r *dosing.Rule, p *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{Basis: dosing.Lean}
		p.Sex = 0
	}, []string{"patient.sex"}, "", dosing.ErrMissing},
	{"unknown sex value", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.Sex = 7 },
		[]string{"patient.sex"}, "", dosing.ErrRange},
	{"birth date without as-of date", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.BirthDate = day(1980, 5, 1) },
		[]string{"patient.as_of"}, "", dosing.ErrMissing},
	{"birth date after the as-of date", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) {
		p.BirthDate, p.AsOf = day(2030, 1, 1), day(2026, 1, 1)
	}, []string{"patient.birth_date"}, "", dosing.ErrRange},
	{"negative age", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) { p.AgeYears = -1 },
		[]string{"patient.age"}, "", dosing.ErrRange},
	{"age contradicts the birth date", func(_ *dosing.Rule, p *dosing.Patient, _ *dosing.Options) {
		p.BirthDate, p.AsOf, p.AgeYears = day(1980, 5, 1), day(2026, 4, 30), 46 // 45 on that day
	}, []string{"patient.age"}, "", dosing.ErrConflict},
	{"plausibility bounds inverted", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Plausibility = dosing.Plausibility{WeightSoftMin: mq("100 kg"), WeightSoftMax: mq("90 kg")}
	}, []string{"plausibility.weight_soft_min"}, "", dosing.ErrConflict},
	{"plausibility bound in the wrong unit", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Plausibility = dosing.Plausibility{BMISoftMax: mq("60 kg")}
	}, []string{"plausibility.bmi_soft_max"}, "", dosing.ErrDimension},

	// Rule: the dose.
	{"no dose", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Dose = units.Quantity{} },
		[]string{"dose"}, "", dosing.ErrMissing},
	{"zero dose", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Dose = mq("0 mg/kg") },
		[]string{"dose"}, "", dosing.ErrRange},
	{"dose as a concentration", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Dose = mq("0.5 mg/mL") },
		[]string{"dose"}, "", dosing.ErrDimension},
	{"dose and bands both", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Bands = []dosing.Band{{Min: mq("30 kg"), Dose: mq("40 mg")}}
	}, []string{"dose"}, "", dosing.ErrConflict},
	{"bands with a gap", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Dose = units.Quantity{}
		r.Bands = []dosing.Band{{Min: mq("30 kg"), Max: mq("60 kg"), Dose: mq("30 mg")}, {Min: mq("61 kg"), Dose: mq("40 mg")}}
	}, []string{"bands[1].min"}, "", dosing.ErrConflict},
	{"overlapping bands", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Dose = units.Quantity{}
		r.Bands = []dosing.Band{{Min: mq("30 kg"), Max: mq("60 kg"), Dose: mq("30 mg")}, {Min: mq("59 kg"), Dose: mq("40 mg")}}
	}, []string{"bands[1].min"}, "", dosing.ErrConflict},
	{"band min not below its max", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Dose = units.Quantity{}
		r.Bands = []dosing.Band{{Min: mq("60 kg"), Max: mq("60 kg"), Dose: mq("30 mg")}, {Min: mq("60 kg"), Dose: mq("40 mg")}}
	}, []string{"bands[0]"}, "", dosing.ErrConflict},
	{"open band before the last", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Dose = units.Quantity{}
		r.Bands = []dosing.Band{{Min: mq("30 kg"), Dose: mq("30 mg")}, {Min: mq("60 kg"), Dose: mq("40 mg")}}
	}, []string{"bands[0].max"}, "", dosing.ErrConflict},
	{"band dose per m²", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Dose = units.Quantity{}
		r.Bands = []dosing.Band{{Min: mq("30 kg"), Dose: mq("20 mg/m²")}}
	}, []string{"bands[0].dose"}, "", dosing.ErrDimension},
	{"per m² without a BSA formula", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Dose = mq("20 mg/m²") },
		[]string{"bsa_formula"}, "", dosing.ErrMissing},
	{"rate dose without a duration", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Dose, r.Infusion = mq("0.35 mg/kg/h"), nil
	}, []string{"infusion.duration"}, "", dosing.ErrMissing},
	{"titration step in another dimension", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.TitrationStep = mq("5 mg") },
		[]string{"titration_step"}, "", dosing.ErrDimension},
	{"cap per kg given as a dose", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.CapPerKg = mq("1 mg") },
		[]string{"cap_per_kg"}, "", dosing.ErrDimension},
	{"negative cap", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Cap = negQty(100, units.Milligram) },
		[]string{"cap"}, "", dosing.ErrRange},
	{"dose rounding without a mode", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.DoseRounding = &dosing.Rounding{Step: mq("0.1 mg")}
	}, []string{"dose_rounding.mode"}, "", dosing.ErrMissing},

	// Rule: the weight policy.
	{"no weight basis", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{}
	}, []string{"weight.basis"}, "", dosing.ErrMissing},
	{"unknown weight basis", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{Basis: "total"}
	}, []string{"weight.basis"}, "", dosing.ErrRange},
	{"ideal basis without a formula", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{Basis: dosing.Ideal}
	}, []string{"weight.ibw_formula"}, "", dosing.ErrMissing},
	{"adjusted basis without a factor", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Weight = dosing.WeightPolicy{Basis: dosing.Adjusted, IBWFormula: dosing.Devine}
	}, []string{"weight.adjust_factor"}, "", dosing.ErrRange},
	{"BMI threshold on an ideal basis", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Weight.Basis = dosing.Ideal
	}, []string{"weight.ideal_when_bmi_at_least"}, "", dosing.ErrConflict},
	{"unknown short-stature policy", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Weight.ShortStature = "round"
	}, []string{"weight.short_stature"}, "", dosing.ErrRange},

	// Rule: dose forms.
	{"form strength without a form", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		*r = esketamineRule()
		r.Form.Strength = mq("28 mg")
	}, []string{"form.strength"}, "", dosing.ErrDimension},
	{"form min count above max count", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		*r = esketamineRule()
		r.Form.MinCount = mq("4 devices")
	}, []string{"form.min_count"}, "", dosing.ErrConflict},

	// Rule: preparation.
	{"no stock concentration", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Preparation.Stock = units.Quantity{} },
		[]string{"preparation.stock"}, "", dosing.ErrMissing},
	{"stock as a mass", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Preparation.Stock = mq("10 mg") },
		[]string{"preparation.stock"}, "", dosing.ErrDimension},
	{"zero draw step", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Preparation.DrawStep = mq("0 mL") },
		[]string{"preparation.draw_step"}, "", dosing.ErrRange},
	{"bag and syringe both", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Preparation.Syringe = &dosing.Syringe{Volume: mq("50 mL")}
	}, []string{"preparation"}, "", dosing.ErrConflict},
	{"syringe with volume and concentration", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Preparation.Bag = nil
		r.Preparation.Syringe = &dosing.Syringe{Volume: mq("50 mL"), Concentration: mq("1 mg/mL")}
	}, []string{"preparation.syringe"}, "", dosing.ErrConflict},
	{"syringe stronger than the stock", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Preparation.Bag = nil
		r.Preparation.Syringe = &dosing.Syringe{Concentration: mq("20 mg/mL")}
	}, []string{"preparation.syringe.concentration"}, "", dosing.ErrConflict},
	{"bag without a method", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Preparation.Bag.Method = "" },
		[]string{"preparation.bag.method"}, "", dosing.ErrMissing},
	{"withdraw more than the bag holds", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Preparation.Bag = &dosing.Bag{Volume: mq("2 mL"), Method: dosing.WithdrawFirst}
	}, []string{"preparation.bag.volume"}, "", dosing.ErrRange},
	{"syringe smaller than the drug volume", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Preparation.Bag = nil
		r.Preparation.Syringe = &dosing.Syringe{Volume: mq("3 mL")}
	}, []string{"preparation.syringe.volume"}, "", dosing.ErrRange},
	{"draw step too coarse for the dose", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Preparation.DrawStep, r.Preparation.DrawRounding = mq("10 mL"), units.RoundDown
	}, []string{"preparation.draw_step"}, "", dosing.ErrRange},

	// Rule: infusion.
	{"infusion without a preparation", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Preparation = nil },
		[]string{"preparation"}, "", dosing.ErrMissing},
	{"zero duration", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Infusion.Duration = mq("0 min") },
		[]string{"infusion.duration"}, "", dosing.ErrRange},
	{"no pump maximum rate", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Infusion.Pump.MaxRate = units.Quantity{} },
		[]string{"infusion.pump.max_rate"}, "", dosing.ErrMissing},
	{"pump rate step in mL", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) { r.Infusion.Pump.RateStep = mq("0.1 mL") },
		[]string{"infusion.pump.rate_step"}, "", dosing.ErrDimension},
	{"pump minimum rate above its maximum", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.Pump.MinRate = mq("1000 mL/h")
	}, []string{"infusion.pump.min_rate"}, "", dosing.ErrConflict},
	{"loading dose as a rate", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.Loading = &dosing.Loading{Dose: mq("10 mg/h"), Duration: mq("5 min")}
	}, []string{"infusion.loading.dose"}, "", dosing.ErrDimension},
	{"loading dose as large as the dose", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.Loading = &dosing.Loading{Dose: mq("0.5 mg/kg"), Duration: mq("5 min")}
	}, []string{"infusion.loading.dose"}, "", dosing.ErrRange},
	{"drip rounding without a drop factor", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.DripRounding = units.RoundHalfUp
	}, []string{"infusion.drip_rounding"}, "", dosing.ErrConflict},

	// Rule: limits.
	{"soft limit outside the hard limit", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.DosePerKg.SoftMax = mq("1.2 mg/kg")
	}, []string{"limits.dose_per_kg.soft_max"}, "", dosing.ErrConflict},
	{"soft min not below soft max", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.Dose = dosing.Bound{SoftMin: mq("50 mg"), SoftMax: mq("50 mg")}
	}, []string{"limits.dose.soft_min"}, "", dosing.ErrConflict},
	{"hard min above hard max", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.Duration = dosing.Bound{HardMin: mq("1 h"), HardMax: mq("50 min")}
	}, []string{"limits.duration.hard_min"}, "", dosing.ErrConflict},
	{"pump-rate limit in mg/h", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.PumpRate.HardMax = mq("500 mg/h")
	}, []string{"limits.pump_rate.hard_max"}, "", dosing.ErrDimension},
	{"concentration limit in mcg/mL is fine, in mg is not", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.Concentration = dosing.Bound{SoftMax: mq("500 mcg/mL"), HardMax: mq("1 mg")}
	}, []string{"limits.concentration.hard_max"}, "", dosing.ErrDimension},

	// Rule: rounding tolerances, in % of the value before rounding, 0 % to 100 %.
	{"rounding tolerance in mg", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.RoundingTolerance.Dose = mq("5 mg")
	}, []string{"rounding_tolerance.dose"}, "", dosing.ErrDimension},
	{"rounding tolerance above 100 %", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.RoundingTolerance.PumpRate = mq("100.1 %")
	}, []string{"rounding_tolerance.pump_rate"}, "", dosing.ErrRange},
	{"negative rounding tolerance", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.RoundingTolerance.DrawVolume = negQty(1, units.Percent)
	}, []string{"rounding_tolerance.draw_volume"}, "", dosing.ErrRange},

	// Options.
	{"titration level of another kind", func(_ *dosing.Rule, _ *dosing.Patient, o *dosing.Options) { o.Dose = mq("40 mg") },
		[]string{"options.dose"}, "", dosing.ErrDimension},
	{"zero titration level", func(_ *dosing.Rule, _ *dosing.Patient, o *dosing.Options) { o.Dose = mq("0 mg/kg") },
		[]string{"options.dose"}, "", dosing.ErrRange},
	{"titration level on a banded rule", func(r *dosing.Rule, _ *dosing.Patient, o *dosing.Options) {
		r.Dose = units.Quantity{}
		r.Bands = []dosing.Band{{Min: mq("30 kg"), Dose: mq("0.5 mg/kg")}}
		o.Dose = mq("0.6 mg/kg")
	}, []string{"options.dose"}, "", dosing.ErrConflict},
	{"acknowledgement without a reason", func(_ *dosing.Rule, _ *dosing.Patient, o *dosing.Options) {
		o.Acks = []dosing.Ack{{Key: "dose_per_kg.soft_max"}}
	}, []string{"options.acks"}, "", dosing.ErrMissing},
	{"acknowledgement without a key", func(_ *dosing.Rule, _ *dosing.Patient, o *dosing.Options) {
		o.Acks = []dosing.Ack{{Reason: "seen"}}
	}, []string{"options.acks"}, "", dosing.ErrMissing},

	// Hard limits: a *LimitError and no result.
	{"dose per kg above its hard limit", func(_ *dosing.Rule, _ *dosing.Patient, o *dosing.Options) { o.Dose = mq("1.2 mg/kg") },
		[]string{"dose_per_kg"}, dosing.HardMax, dosing.ErrLimitExceeded},
	{"dose per kg above its hard limit before rounding only", func(r *dosing.Rule, _ *dosing.Patient, o *dosing.Options) {
		// 0.501 mg/kg × 80 kg = 40.08 mg = 4.008 mL → 4 mL = 0.5 mg/kg: the
		// drawn dose is within a 0.5 mg/kg hard maximum, the intended one not.
		r.Limits.DosePerKg = dosing.Bound{HardMax: mq("0.5 mg/kg")}
		o.Dose = mq("0.501 mg/kg")
	}, []string{"dose_per_kg"}, dosing.HardMax, dosing.ErrLimitExceeded},
	{"dose below its hard minimum", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.Dose.HardMin = mq("50 mg")
	}, []string{"dose"}, dosing.HardMin, dosing.ErrLimitExceeded},
	{"pump rate above the pump's maximum", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.Duration = mq("5 min") // 104 mL in 5 min = 1248 mL/h
	}, []string{"pump_rate"}, dosing.HardMax, dosing.ErrLimitExceeded},
	{"pump rate below the pump's minimum", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.Duration, r.Infusion.Pump.MinRate = mq("24 h"), mq("5 mL/h") // 104 mL in 24 h = 4.33 mL/h
	}, []string{"pump_rate"}, dosing.HardMin, dosing.ErrLimitExceeded},
	{"duration below the pump's minimum", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Infusion.Pump.MinDuration = mq("45 min")
	}, []string{"duration"}, dosing.HardMin, dosing.ErrLimitExceeded},
	{"final volume above its hard limit", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.Volume.HardMax = mq("100 mL") // 104 mL
	}, []string{"volume"}, dosing.HardMax, dosing.ErrLimitExceeded},
	{"concentration above its hard limit", func(r *dosing.Rule, _ *dosing.Patient, _ *dosing.Options) {
		r.Limits.Concentration.HardMax = mq("300 mcg/mL") // 0.3846 mg/mL
	}, []string{"concentration"}, dosing.HardMax, dosing.ErrLimitExceeded},
	{"four devices above a maximum of three", func(r *dosing.Rule, _ *dosing.Patient, o *dosing.Options) {
		*r = esketamineRule()
		o.Dose = mq("112 mg")
	}, []string{"form.count"}, dosing.HardMax, dosing.ErrLimitExceeded},
}

// TestBadInputRefused runs every row of badInputs.
func TestBadInputRefused(t *testing.T) {
	if n := len(badInputs); n < 40 {
		t.Fatalf("only %d refused inputs; the issue asks for at least 40", n)
	}
	seen := map[string]bool{}
	for _, tt := range badInputs {
		if seen[tt.name] {
			t.Fatalf("duplicate row name %q", tt.name)
		}
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			r, p, o := standardIV(), standardPatient(), dosing.Options{}
			tt.change(&r, &p, &o)
			res, err := calculateSafely(t, r, p, o)
			if err == nil {
				t.Fatal("Calculate accepted it")
			}
			if diff := cmp.Diff(dosing.Result{}, res); diff != "" {
				t.Errorf("Calculate returned a result with its error (-want +got):\n%s", diff)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			if tt.kind != "" {
				var le *dosing.LimitError
				if !errors.As(err, &le) {
					t.Fatalf("error %v is not a *LimitError", err)
				}
				if le.Field != tt.fields[0] || le.Kind != tt.kind {
					t.Errorf("LimitError{%s, %s}, want {%s, %s}", le.Field, le.Kind, tt.fields[0], tt.kind)
				}
				if !le.Value.IsValid() || !le.Bound.IsValid() {
					t.Errorf("LimitError without value or bound: %+v", le)
				}
				return
			}
			var ie *dosing.FieldError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not a *FieldError", err)
			}
			var got []string
			for _, e := range inputErrors(err) {
				got = append(got, e.Field)
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("fields reported (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

// TestRuleValidateAgreesWithCalculate: a rule fault is found by
// Rule.Validate alone, before any patient is seen.
func TestRuleValidateAgreesWithCalculate(t *testing.T) {
	if err := standardIV().Validate(); err != nil {
		t.Fatalf("the standard rule is refused: %v", err)
	}
	for _, tt := range badInputs {
		r, p, o := standardIV(), standardPatient(), dosing.Options{}
		tt.change(&r, &p, &o)
		if !cmp.Equal(p, standardPatient()) || o.Dose.IsValid() || o.Acks != nil || tt.kind != "" {
			continue // a patient, option or calculation fault
		}
		t.Run(tt.name, func(t *testing.T) {
			err := r.Validate()
			var got []string
			for _, e := range inputErrors(err) {
				got = append(got, e.Field)
			}
			if len(got) == 0 {
				// Faults found only while calculating (a bag smaller than
				// the drug volume) need the dose; Validate cannot see them.
				if _, err := dosing.Calculate(r, standardPatient(), dosing.Options{}); err == nil {
					t.Errorf("neither Validate nor Calculate refused it")
				}
				return
			}
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("Validate fields (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAllBadFieldsReportedAtOnce: faults in the patient, the rule and the
// options come back together, joined, each findable with errors.As.
func TestAllBadFieldsReportedAtOnce(t *testing.T) {
	r, p := standardIV(), standardPatient()
	p.Weight = mq("0 kg")
	p.Height = mq("12 cm")
	r.Dose = units.Quantity{}
	r.Preparation.Stock = mq("10 mg")
	r.Infusion.Pump.MaxRate = units.Quantity{}
	r.Limits.DosePerKg.SoftMax = mq("2 mg/kg")
	o := dosing.Options{Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max"}}}
	_, err := calculateSafely(t, r, p, o)
	var got []string
	for _, e := range inputErrors(err) {
		got = append(got, e.Field)
	}
	want := []string{
		"dose",
		"preparation.stock",
		"infusion.pump.max_rate",
		"limits.dose_per_kg.soft_max",
		"options.acks",
		"patient.weight",
		"patient.height",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("fields reported (-want +got):\n%s\nerror: %v", diff, err)
	}
	if u, ok := err.(interface{ Unwrap() []error }); !ok || len(u.Unwrap()) < 2 {
		t.Errorf("error %T is not an errors.Join of the faults", err)
	}
	for _, s := range []error{dosing.ErrMissing, dosing.ErrRange, dosing.ErrDimension, dosing.ErrConflict} {
		if !errors.Is(err, s) {
			t.Errorf("errors.Is(err, %v) = false", s)
		}
	}
}

// TestErrorMessages is the one test of exact message strings: lower case,
// the package prefix, the field by its API name, the value quoted, the
// allowed range.
func TestErrorMessages(t *testing.T) {
	limit := func(field string, kind dosing.LimitKind, v, b string) error {
		return &dosing.LimitError{Field: field, Kind: kind, Value: mq(v), Bound: mq(b)}
	}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"weight out of range",
			validate(dosing.Patient{Weight: mq("700 kg")}),
			`dosing: patient.weight "700 kg": out of range (must be 0.25 kg to 500 kg)`},
		{"missing weight",
			validate(dosing.Patient{}),
			`dosing: patient.weight: required: a body weight such as "80 kg"`},
		{"weight of the wrong dimension",
			validate(dosing.Patient{Weight: mq("80 mg")}),
			`dosing: patient.weight "80 mg": must be a body mass (kg or lb), not drug mass`},
		{"two bad fields, one per line",
			validate(dosing.Patient{Weight: mq("0 kg"), Height: mq("12 cm")}),
			"dosing: patient.weight \"0 kg\": out of range (must be 0.25 kg to 500 kg)\n" +
				"dosing: patient.height \"12 cm\": out of range (must be 30–275 cm)"},
		{"a height of the wrong dimension names every length unit, mm too",
			validate(dosing.Patient{Weight: mq("80 kg"), Height: mq("175 mL")}),
			`dosing: patient.height "175 mL": must be a length (cm, mm, m, in or ft), not volume`},
		{"a population height of the wrong kind",
			dosing.Rule{Dose: mq("1 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
				Population: dosing.Population{Height: dosing.Bound{HardMin: mq("40 kg")}}}.Validate(),
			`dosing: population.height.hard_min "40 kg": must be in cm, mm, m, in or ft, not body mass`},
		{"band gap",
			dosing.Rule{Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Bands: []dosing.Band{
				{Min: mq("30 kg"), Max: mq("60 kg"), Dose: mq("30 mg")}, {Min: mq("61 kg"), Dose: mq("40 mg")}}}.Validate(),
			`dosing: bands[1].min "61 kg": gap after the band ending at 60 kg (bands are [min, max) and must touch)`},
		{"soft outside hard",
			dosing.Rule{Dose: mq("1 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
				Limits: dosing.Limits{Dose: dosing.Bound{SoftMax: mq("120 mg"), HardMax: mq("100 mg")}}}.Validate(),
			`dosing: limits.dose.soft_max "120 mg": must be below limits.dose.hard_max "100 mg"`},
		{"hard limit",
			limit("dose_per_kg", dosing.HardMax, "1.2 mg/kg", "1 mg/kg"),
			`dosing: dose_per_kg "1.2 mg/kg": above the hard limit "1 mg/kg" (dose_per_kg.hard_max)`},
		{"hard minimum",
			limit("pump_rate", dosing.HardMin, "4.3 mL/h", "5 mL/h"),
			`dosing: pump_rate "4.3 mL/h": below the hard limit "5 mL/h" (pump_rate.hard_min)`},
		{"a value just past its limit is shown apart from it",
			limit("dose_per_kg", dosing.HardMax, "1.000001 mg/kg", "1 mg/kg"),
			`dosing: dose_per_kg "1.000001 mg/kg": above the hard limit "1 mg/kg" (dose_per_kg.hard_max)`},
		{"outside the population",
			&dosing.PopulationError{Field: "population.age", Kind: dosing.HardMin, Value: "11 years", Bound: "18 years"},
			`dosing: population.age "11 years": below the hard minimum "18 years" of the population the rule was written for (population.age.hard_min)`},
		{"a population bound of the wrong kind",
			dosing.Rule{Dose: mq("1 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
				Population: dosing.Population{Weight: dosing.Bound{HardMin: mq("150 cm")}, Age: dosing.AgeBound{HardMin: 65, HardMax: 18}}}.Validate(),
			"dosing: population.age.hard_min \"65 years\": must not be above population.age.hard_max \"18 years\"\n" +
				`dosing: population.weight.hard_min "150 cm": must be in kg or lb, not length`},
		{"a long value is rounded for the message",
			&dosing.LimitError{Field: "pump_rate", Kind: dosing.HardMax, Value: mq("1246.846153846153846153846153846154 mL/h"), Bound: mq("999 mL/h")},
			`dosing: pump_rate "≈ 1,246.8462 mL/h": above the hard limit "999 mL/h" (pump_rate.hard_max)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err == nil {
				t.Fatal("no error")
			}
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("message:\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestPopulationAllAtOnce: every hard bound the patient is outside is
// reported, joined, each a *PopulationError wrapping ErrOutsidePopulation,
// and there is no result.
func TestPopulationAllAtOnce(t *testing.T) {
	r := standardIV()
	r.Population = dosing.Population{Age: dosing.AgeBound{HardMin: 18}, Weight: dosing.Bound{HardMin: mq("40 kg")}, BMI: dosing.Bound{HardMin: mq("16 kg/m²")}}
	// 11 years, 30 kg, 140 cm: BMI 30 ÷ 1.96 = 15.3061 kg/m² < 16.
	res, err := dosing.Calculate(r, dosing.Patient{Weight: mq("30 kg"), Height: mq("140 cm"), Sex: dosing.Male, AgeYears: 11}, dosing.Options{})
	if err == nil {
		t.Fatalf("Calculate = %+v, want a refusal", res)
	}
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var pe *dosing.PopulationError
		if !errors.As(e, &pe) || !errors.Is(e, dosing.ErrOutsidePopulation) {
			t.Fatalf("%v is not a *PopulationError", e)
		}
		got = append(got, pe.Field+"."+string(pe.Kind)+" "+pe.Value+" / "+pe.Bound)
	}
	want := []string{"population.age.hard_min 11 years / 18 years", "population.weight.hard_min 30 kg / 40 kg",
		"population.bmi.hard_min ≈ 15.3061 kg/m² / 16 kg/m²"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("refusals (-want +got):\n%s", diff)
	}
}

func validate(p dosing.Patient) error {
	_, err := p.Validate(dosing.DefaultPlausibility())
	return err
}

// TestImplausibleInputWarned: values that are possible but implausible are
// not refused; they come back with a named review warning.
func TestImplausibleInputWarned(t *testing.T) {
	tests := []struct {
		name   string
		weight string
		height string
		want   []string
	}{
		// 200 ÷ 1.7² = 69.2 kg/m² > 60; 200 lb = 90.72 kg → 31.4 kg/m².
		{"pounds entered as kilograms", "200 kg", "170 cm", []string{"patient.bmi.soft_max", "patient.weight_may_be_pounds"}},
		// 26 kg < 30 kg; 26 ÷ 1.5² = 11.6 kg/m² < 15.
		{"very light", "26 kg", "150 cm", []string{"patient.weight.soft_min", "patient.bmi.soft_min"}},
		// 260 kg > 250 kg; 260 ÷ 2.1² = 59.0 kg/m², within 60; but 260 lb =
		// 117.9 kg → 26.7 kg/m², and 59.0 × 26.7 = 1,576 > 15 × 60 = 900:
		// the pounds reading is nearer the middle (see the next rows).
		{"very heavy", "260 kg", "210 cm", []string{"patient.weight.soft_max", "patient.weight_may_be_pounds"}},
		// The pounds rule: the BMI of the number read as pounds within
		// 15–60 kg/m² and the product of the two BMIs above 15 × 60 = 900
		// (the pounds reading nearer, by ratio, to √900 = 30 kg/m²). At
		// 175 cm (1.75² = 3.0625 m²), 176 kg is 57.47 kg/m², 176 lb =
		// 79.83 kg is 26.07 kg/m²: 1,498 > 900, and 57.47 is within 60, so
		// the only warning is the pounds one.
		{"176 kg at 175 cm: pounds", "176 kg", "175 cm", []string{"patient.weight_may_be_pounds"}},
		// 136 kg: 44.41 × (61.69 ÷ 3.0625 = 20.14) = 894.5 ≤ 900; 137 kg:
		// 44.73 × 20.29 = 907.7 > 900. The edge is 30 × √2.2046 = 44.54
		// kg/m², 136.4 kg at 175 cm.
		{"136 kg at 175 cm: a plausible weight", "136 kg", "175 cm", nil},
		{"137 kg at 175 cm: pounds", "137 kg", "175 cm", []string{"patient.weight_may_be_pounds"}},
		// 110 kg at 175 cm: 35.92 kg/m²; 110 lb is 16.29 kg/m², within the
		// bounds, but 35.92 × 16.29 = 585 < 900.
		{"110 kg at 175 cm: a plausible weight", "110 kg", "175 cm", nil},
		// 40 ÷ 1.8² = 12.3 kg/m² < 15.
		{"very thin", "40 kg", "180 cm", []string{"patient.bmi.soft_min"}},
		// 99 lb = 44.9 kg: 44.9 ÷ 1.6² = 17.5; a weight in pounds is never
		// suspected of being pounds.
		{"a weight given in pounds", "99 lb", "160 cm", nil},
	}
	rule := dosing.Rule{Name: "plausibility", Version: "1", Dose: mq("0.5 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := calculateSafely(t, rule, dosing.Patient{Weight: mq(tt.weight), Height: mq(tt.height)}, dosing.Options{})
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if diff := cmp.Diff(tt.want, warningKeys(res)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if res.NeedsReview() != (len(tt.want) > 0) {
				t.Errorf("NeedsReview() = %v", res.NeedsReview())
			}
		})
	}
}

// TestWeightRefusedAsTheWeight: a weight below the least a patient weighs
// (0.25 kg) is refused as the weight, first, not by the draw step the dose
// it gives falls under; a weight above it whose dose rounds to no volume
// is refused by the step, which names the weight.
func TestWeightRefusedAsTheWeight(t *testing.T) {
	iv := chkIVRule() // 0.5 mg/kg, 10 mg/mL drawn to 0.1 mL, half up
	for _, c := range []struct {
		weight, msg string
	}{
		{"0.2 kg", `dosing: patient.weight "0.2 kg": out of range (must be 0.25 kg to 500 kg)`},
		{"0.00000000000000000001 kg", `dosing: patient.weight "0.00000000000000000001 kg": out of range (must be 0.25 kg to 500 kg)`},
		{"0 kg", `dosing: patient.weight "0 kg": out of range (must be 0.25 kg to 500 kg)`},
		// 0.5 lb = 0.2268 kg.
		{"0.5 lb", `dosing: patient.weight "0.5 lb": out of range (must be 0.25 kg to 500 kg)`},
		// 0.5 × 0.3 = 0.15 mg is 0.015 mL: below half a 0.1 mL step.
		{"0.3 kg", `dosing: preparation.draw_step "0.1 mL": the dose 0.15 mg rounds to no volume at this step (it is the dose for the dosing weight 0.3 kg)`},
	} {
		_, err := dosing.Calculate(iv, dosing.Patient{Weight: mq(c.weight)}, dosing.Options{})
		if err == nil || err.Error() != c.msg || !errors.Is(err, dosing.ErrRange) {
			t.Errorf("%s: %v\nwant %s", c.weight, err, c.msg)
		}
	}
	// 0.25 kg itself is a weight (a very light one: below 30 kg, reviewed).
	if _, err := (dosing.Patient{Weight: mq("0.25 kg")}).Validate(dosing.Plausibility{}); err != nil {
		t.Errorf("0.25 kg: %v", err)
	}
}
