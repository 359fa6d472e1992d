package dosing_test

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// The outputs below were worked out by hand from the formulas of the
// clinical brief (clinical.md §6.1, §7, §9) before the examples were run.

// to4 rounds a quantity half up to 4 decimal places for printing, the way
// the clinical brief's tables do.
func to4(q units.Quantity) units.Quantity {
	return units.New(q.Value().Round(4), q.Unit())
}

// exampleIVRule is the standard IV rule: 0.5 mg/kg over 40 min from
// 10 mg/mL in a 100 mL bag, with limits.
func exampleIVRule() dosing.Rule {
	return dosing.Rule{
		Name:    "IV ketamine 0.5 mg/kg over 40 min",
		Version: "2026-01",
		Dose:    units.MustParse("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{
			Basis:               dosing.Actual,
			IdealWhenBMIAtLeast: units.MustParse("30 kg/m²"),
			IBWFormula:          dosing.Devine,
		},
		Cap: units.MustParse("100 mg"),
		Preparation: &dosing.Preparation{
			Stock:        units.MustParse("10 mg/mL"),
			DrawStep:     units.MustParse("0.1 mL"),
			DrawRounding: units.RoundHalfUp,
			Bag:          &dosing.Bag{Volume: units.MustParse("100 mL"), Method: dosing.AddToBag},
		},
		Infusion: &dosing.Infusion{
			Duration: units.MustParse("40 min"),
			Pump: dosing.Pump{
				RateStep:     units.MustParse("0.1 mL/h"),
				RateRounding: units.RoundHalfUp,
				MaxRate:      units.MustParse("999 mL/h"),
			},
		},
		Limits: dosing.Limits{DosePerKg: dosing.Bound{
			SoftMax: units.MustParse("0.75 mg/kg"),
			HardMax: units.MustParse("1 mg/kg"),
		}},
	}
}

// An 80 kg, 175 cm man (BMI 26.1, so his actual weight) on the standard IV
// rule: 0.5 × 80 = 40 mg = 4 mL of 10 mg/mL; 104 mL over 40 min = 156 mL/h,
// which delivers 60 mg/h = 12.5 mcg/kg/min.
func ExampleCalculate() {
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male}
	res, err := dosing.Calculate(exampleIVRule(), patient, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("weight:   ", res.Weight.Value, res.Weight.Basis)
	fmt.Println("dose:     ", res.Dose, "=", res.DosePerKg)
	fmt.Println("draw:     ", res.Preparation.Draw, "of", res.Preparation.Stock)
	fmt.Println("bag:      ", res.Preparation.FinalVolume)
	fmt.Println("pump rate:", res.Infusion.PumpRate, "for", res.Infusion.Duration)
	fmt.Println("delivers: ", res.Infusion.DoseRate, "=", res.Infusion.DoseRatePerKgMin)
	fmt.Println("review:   ", res.NeedsReview())
	// Output:
	// weight:    80 kg actual
	// dose:      40 mg = 0.5 mg/kg
	// draw:      4 mL of 10 mg/mL
	// bag:       104 mL
	// pump rate: 156 mL/h for 40 min
	// delivers:  60 mg/h = 12.5 mcg/kg/min
	// review:    false
}

// A titration ladder chosen by the clinic (WC12): Options.Dose replaces the
// rule's dose for one calculation; 80 kg × 0.5, 0.6, 0.75, 0.9, 1 mg/kg.
func ExampleCalculate_titration() {
	rule := dosing.Rule{Name: "ladder", Version: "1", Dose: units.MustParse("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual}}
	patient := dosing.Patient{Weight: units.MustParse("80 kg")}
	for _, level := range []string{"0.5 mg/kg", "0.6 mg/kg", "0.75 mg/kg", "0.9 mg/kg", "1 mg/kg"} {
		res, err := dosing.Calculate(rule, patient, dosing.Options{Dose: units.MustParse(level)})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(level, "→", res.Dose)
	}
	// Output:
	// 0.5 mg/kg → 40 mg
	// 0.6 mg/kg → 48 mg
	// 0.75 mg/kg → 60 mg
	// 0.9 mg/kg → 72 mg
	// 1 mg/kg → 80 mg
}

// A cap clamps and says so (WC10): 0.75 mg/kg × 140 kg = 105 mg, capped at
// 100 mg = 0.7143 mg/kg.
func ExampleCalculate_cap() {
	rule := dosing.Rule{Name: "capped", Version: "1", Dose: units.MustParse("0.75 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Cap: units.MustParse("100 mg")}
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("140 kg")}, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.RequestedDose, "→", res.Dose, "=", to4(res.DosePerKg))
	fmt.Println(res.Warnings[0].Message)
	// Output:
	// 105 mg → 100 mg = 0.7143 mg/kg
	// capped from 105 mg to 100 mg (cap 100 mg)
}

// A hard limit refuses with a *LimitError and no result: 1.2 mg/kg is above
// the rule's hard maximum of 1 mg/kg.
func ExampleLimitError() {
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male}
	_, err := dosing.Calculate(exampleIVRule(), patient, dosing.Options{Dose: units.MustParse("1.2 mg/kg")})
	var le *dosing.LimitError
	if errors.As(err, &le) {
		fmt.Println(le.Field, le.Kind, le.Value, le.Bound)
	}
	fmt.Println(errors.Is(err, dosing.ErrLimitExceeded))
	fmt.Println(err)
	// Output:
	// dose_per_kg hard_max 1.2 mg/kg 1 mg/kg
	// true
	// dosing: dose_per_kg "1.2 mg/kg": above the hard limit "1 mg/kg" (dose_per_kg.hard_max)
}

// Bad input is a *FieldError naming the field; every bad field is
// reported at once.
func ExampleFieldError() {
	_, err := dosing.Calculate(exampleIVRule(), dosing.Patient{Weight: units.MustParse("700 kg"), Height: units.MustParse("12 cm")}, dosing.Options{})
	var ie *dosing.FieldError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field, ie.Value, errors.Is(err, dosing.ErrRange))
	}
	fmt.Println(err)
	// Output:
	// patient.weight 700 kg true
	// dosing: patient.weight "700 kg": out of range (must be 0.25 kg to 500 kg)
	// dosing: patient.height "12 cm": out of range (must be 30–275 cm)
}

// A 0.8 mg/kg dose is above the soft maximum of 0.75 mg/kg: the result
// needs review until the warning is acknowledged with a reason.
func ExampleResult_NeedsReview() {
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male}
	opt := dosing.Options{Dose: units.MustParse("0.8 mg/kg")}
	res, err := dosing.Calculate(exampleIVRule(), patient, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.NeedsReview())
	for _, w := range res.Unacknowledged() {
		fmt.Println(w.Key+":", w.Message)
	}

	opt.Acks = []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "planned step-up after session 3", By: "Dr A. Example"}}
	res, err = dosing.Calculate(exampleIVRule(), patient, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.NeedsReview())
	fmt.Println(res.Warnings[0].Ack.Reason, "—", res.Warnings[0].Ack.By)
	// Output:
	// true
	// dose_per_kg.soft_max: dose per kg 0.8 mg/kg is above the soft limit 0.75 mg/kg
	// false
	// planned step-up after session 3 — Dr A. Example
}

// Step finds a step of the trail by its stable id: here the draw volume of
// WC11, 36.7 mg of 10 mg/mL = 3.67 mL, rounded half up to 3.7 mL (+0.82 %).
func ExampleResult_Step() {
	rule := dosing.Rule{Name: "WC11", Version: "1", Dose: units.MustParse("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: units.MustParse("10 mg/mL"),
			DrawStep: units.MustParse("0.1 mL"), DrawRounding: units.RoundHalfUp}}
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("73.4 kg")}, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := res.Step("draw_volume")
	fmt.Println(s.Exact, "→", s.Value, s.Flags)
	d, _ := res.Step("delivered_dose")
	fmt.Println(d.Exact, "→", d.Value, "=", units.New(d.DeviationPct.Value().Round(2), units.Percent))
	// Output:
	// 3.67 mL → 3.7 mL rounded
	// 36.7 mg → 37 mg = 0.82 %
}

// The worksheet of an esketamine session: 84 mg = 3 devices of 28 mg, one
// every 5 minutes.
func ExampleResult_WriteWorksheet() {
	rule := dosing.Rule{
		Name: "esketamine nasal spray", Version: "2026-01", Drug: "esketamine", Route: "intranasal",
		Dose:   units.MustParse("56 mg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form: &dosing.Form{Strength: units.MustParse("28 mg/device"), Step: units.MustParse("1 device"),
			Rounding: units.RoundHalfUp, MaxCount: units.MustParse("3 devices"), Interval: units.MustParse("5 min")},
	}
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("70 kg")}, dosing.Options{Dose: units.MustParse("84 mg")})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := res.WriteWorksheet(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// DOSE WORKSHEET
	// Rule:      esketamine nasal spray (version 2026-01)
	// Drug:      esketamine intranasal
	// Patient:   70 kg
	//
	// CALCULATION
	//  1. Dosing weight [dosing_weight]
	//     no dosing weight: per-kg values are of the actual weight
	//     with policy actual, actual weight 70 kg
	//     = 70 kg
	//     note: not used: nothing in the rule is per kg (dose, caps, bands, limits); per-kg values are of the actual weight
	//  2. Dose [dose]
	//     dose = fixed dose
	//     with dose 84 mg
	//     = 84 mg
	//  3. Number of devices [form_count]
	//     count = dose ÷ strength, rounded half_up to 1 device
	//     with dose 84 mg, strength 28 mg/device
	//     = 3 devices
	//  4. Dose as given [form_dose]
	//     dose = count × strength
	//     with count 3 devices, strength 28 mg/device
	//     = 84 mg
	//  5. Administration timeline [form_timeline]
	//     dose form k is given at (k − 1) × interval from the first
	//     with count 3 devices, interval 5 min
	//     = 10 min
	//     note: at 0 min, 5 min, 10 min
	//
	// RESULT
	// Dosing weight:   none: nothing in the rule is per kg; per-kg values are of the actual weight 70 kg
	// Dose:            84 mg (not weight based; 1.2 mg/kg of the actual weight)
	// Dose forms:      3 devices of 28 mg/device, at 0 min, 5 min, 10 min
	//
	// WARNINGS
	// none
	//
	// For clinician verification — not a prescription
}

// BMI = 80 kg ÷ (1.75 m)² = 26.1224… kg/m².
func ExampleBMI() {
	bmi, flags, err := dosing.BMI(units.MustParse("80 kg"), units.MustParse("175 cm"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(to4(bmi), flags)
	// Output: 26.1224 kg/m² inexact
}

// Mosteller: √(175 × 80 ÷ 3600) = √3.8889 = 1.9720266… m², kept at six
// decimal places.
func ExampleBSA_mosteller() {
	bsa, err := dosing.BSA(dosing.Mosteller, units.MustParse("80 kg"), units.MustParse("175 cm"))
	fmt.Println(bsa, err)
	// Output: 1.972027 m² <nil>
}

// DuBois & DuBois: 0.007184 × 80^0.425 × 175^0.725 = 1.956060 m².
func ExampleBSA_dubois() {
	bsa, err := dosing.BSA(dosing.DuBois, units.MustParse("80 kg"), units.MustParse("175 cm"))
	fmt.Println(bsa, err)
	// Output: 1.95606 m² <nil>
}

// Haycock: 0.024265 × 80^0.5378 × 175^0.3964 = 1.984277 m².
func ExampleBSA_haycock() {
	bsa, err := dosing.BSA(dosing.Haycock, units.MustParse("80 kg"), units.MustParse("175 cm"))
	fmt.Println(bsa, err)
	// Output: 1.984277 m² <nil>
}

// BSA picks the formula by name, as a protocol names it. Boyd, by
// logarithms: log10 BSA = log10 0.0003207 + 0.3 × log10 175 + (0.7285 −
// 0.0188 × log10 80000) × log10 80000 = −3.493901 + 0.672911 + 0.636322 ×
// 4.903090 = 0.298955, so BSA = 10^0.298955 = 1.9905 m².
func ExampleBSA() {
	for _, f := range []dosing.BSAFormula{dosing.Mosteller, dosing.DuBois, dosing.Haycock, dosing.Boyd, "meeh"} {
		bsa, err := dosing.BSA(f, units.MustParse("80 kg"), units.MustParse("175 cm"))
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(f, to4(bsa))
	}
	// Output:
	// mosteller 1.972 m²
	// dubois 1.9561 m²
	// haycock 1.9843 m²
	// boyd 1.9905 m²
	// dosing: bsa_formula "meeh": unknown formula (allowed: mosteller, dubois, haycock, boyd)
}

// A 160 cm woman (62.9921 in, 2.9921 in over 60 in): Devine 45.5 + 2.3 ×
// 2.9921 = 52.3819 kg; Robinson 49 + 1.7 × 2.9921 = 54.0866 kg; Miller
// 53.1 + 1.36 × 2.9921 = 57.1693 kg.
func ExampleIBW() {
	for _, f := range []dosing.IBWFormula{dosing.Devine, dosing.Robinson, dosing.Miller} {
		ibw, _, err := dosing.IBW(f, dosing.Female, units.MustParse("160 cm"), "")
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(f, to4(ibw))
	}
	// Output:
	// devine 52.3819 kg
	// robinson 54.0866 kg
	// miller 57.1693 kg
}

// Devine, male 175 cm: 50 + 2.3 × (68.8976 − 60) = 70.4646 kg. Below 60 in
// the protocol decides: a 150 cm woman is 45.5 − 2.3 × 0.9449 = 43.3268 kg
// extrapolated, or 45.5 kg clamped at 60 in.
func ExampleIBW_devine() {
	ibw, flags, _ := dosing.IBW(dosing.Devine, dosing.Male, units.MustParse("175 cm"), "")
	fmt.Printf("%s [%s]\n", to4(ibw), flags)
	ibw, flags, _ = dosing.IBW(dosing.Devine, dosing.Female, units.MustParse("150 cm"), dosing.Extrapolate)
	fmt.Printf("%s [%s]\n", to4(ibw), flags)
	ibw, flags, _ = dosing.IBW(dosing.Devine, dosing.Female, units.MustParse("150 cm"), dosing.ClampAt60In)
	fmt.Printf("%s [%s]\n", to4(ibw), flags)
	_, _, err := dosing.IBW(dosing.Devine, dosing.Female, units.MustParse("150 cm"), "")
	fmt.Println(err)
	// Output:
	// 70.4646 kg [inexact]
	// 43.3268 kg [inexact, extrapolated]
	// 45.5 kg [clamped]
	// dosing: weight.short_stature "150 cm": height is below 60 in (152.4 cm): the protocol must say clamp or extrapolate
}

// Robinson, male 70 in: 52 + 1.9 × 10 = 71 kg (exact: the height is in
// inches).
func ExampleIBW_robinson() {
	ibw, flags, err := dosing.IBW(dosing.Robinson, dosing.Male, units.MustParse("70 in"), "")
	fmt.Println(ibw, flags == 0, err)
	// Output: 71 kg true <nil>
}

// Miller, male 175 cm: 56.2 + 1.41 × 8.8976 = 68.7457 kg.
func ExampleIBW_miller() {
	ibw, _, err := dosing.IBW(dosing.Miller, dosing.Male, units.MustParse("175 cm"), "")
	fmt.Println(to4(ibw), err)
	// Output: 68.7457 kg <nil>
}

// Adjusted body weight, WC2: 70.4646 + 0.4 × (120 − 70.4646) = 90.2787 kg.
func ExampleAdjustedBodyWeight() {
	ibw, _, _ := dosing.IBW(dosing.Devine, dosing.Male, units.MustParse("175 cm"), "")
	abw, err := dosing.AdjustedBodyWeight(units.MustParse("120 kg"), ibw, decimal.RequireFromString("0.4"))
	fmt.Println(to4(abw), err)
	// Output: 90.2787 kg <nil>
}

// Janmahasatian: male 80 kg, 175 cm: 9270 × 80 ÷ (6680 + 216 × 26.1224) =
// 60.1828 kg; female 60 kg, 160 cm: 9270 × 60 ÷ (8780 + 244 × 23.4375) =
// 38.3619 kg.
func ExampleLeanWeight() {
	m, _, _ := dosing.LeanWeight(dosing.Janmahasatian, dosing.Male, units.MustParse("80 kg"), units.MustParse("175 cm"))
	f, _, _ := dosing.LeanWeight(dosing.Janmahasatian, dosing.Female, units.MustParse("60 kg"), units.MustParse("160 cm"))
	fmt.Println(to4(m), to4(f))
	// Output: 60.1828 kg 38.3619 kg
}

// James: 1.1 × 80 − 128 × (80 ÷ 175)² = 88 − 128 × 0.2089796 = 61.2506 kg
// (clinical.md §7). For 175 cm it turns down above BMI 42.96875, at
// 42.96875 × 1.75² = 131.591796875 kg; at 200 kg (BMI 65.3) it gives
// 1.1 × 200 − 128 × (200 ÷ 175)² = 220 − 167.1837 = 52.8163 kg, less than
// at 120 kg, and is flagged unreliable. Boer: 0.407 × 80 + 0.267 × 175 −
// 19.2 = 32.56 + 46.725 − 19.2 = 60.085 kg, exactly.
func ExampleLeanWeight_jamesAndBoer() {
	q := units.MustParse
	j, flags, _ := dosing.LeanWeight(dosing.James, dosing.Male, q("80 kg"), q("175 cm"))
	fmt.Println(to4(j), flags)
	j, flags, _ = dosing.LeanWeight(dosing.James, dosing.Male, q("200 kg"), q("175 cm"))
	fmt.Println(to4(j), flags)
	b, flags, _ := dosing.LeanWeight(dosing.Boer, dosing.Male, q("80 kg"), q("175 cm"))
	fmt.Println(b, flags == 0)
	// Output:
	// 61.2506 kg inexact
	// 52.8163 kg inexact, unreliable
	// 60.085 kg true
}

// Validate refuses impossible values and warns about implausible ones: 200
// kg at 170 cm is a BMI of 69.2, and 200 lb would be a plausible 90.7 kg.
func ExamplePatient_Validate() {
	_, err := dosing.Patient{Weight: units.MustParse("700 kg")}.Validate(dosing.DefaultPlausibility())
	fmt.Println(err)
	ws, err := dosing.Patient{Weight: units.MustParse("200 kg"), Height: units.MustParse("170 cm")}.Validate(dosing.DefaultPlausibility())
	for _, w := range ws {
		fmt.Println(w.Key)
	}
	fmt.Println(err)
	// Output:
	// dosing: patient.weight "700 kg": out of range (must be 0.25 kg to 500 kg)
	// patient.bmi.soft_max
	// patient.weight_may_be_pounds
	// <nil>
}

// Age counts completed years up to the as-of date, an argument rather than
// the clock.
func ExamplePatient_Age() {
	p := dosing.Patient{BirthDate: time.Date(1980, 5, 1, 0, 0, 0, 0, time.UTC)}
	p.AsOf = time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)
	fmt.Println(p.Age())
	p.AsOf = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	fmt.Println(p.Age())
	fmt.Println(dosing.Patient{AgeYears: 70}.Age())
	fmt.Println(dosing.Patient{}.Age())
	// Output:
	// 45 true
	// 46 true
	// 70 true
	// 0 false
}

// Validate reports every inconsistency of a rule at once.
func ExampleRule_Validate() {
	rule := dosing.Rule{
		Dose:   units.MustParse("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Adjusted, IBWFormula: dosing.Devine},
		Limits: dosing.Limits{DosePerKg: dosing.Bound{SoftMax: units.MustParse("1.2 mg/kg"), HardMax: units.MustParse("1 mg/kg")}},
	}
	fmt.Println(rule.Validate())
	// Output:
	// dosing: weight.adjust_factor "0": required for an adjusted weight: > 0 and ≤ 1 (often 0.4)
	// dosing: limits.dose_per_kg.soft_max "1.2 mg/kg": must be below limits.dose_per_kg.hard_max "1 mg/kg"
}

// The library's own plausibility bounds only warn; a protocol may change
// them.
func ExampleDefaultPlausibility() {
	pl := dosing.DefaultPlausibility()
	fmt.Println("weight", pl.WeightSoftMin, "to", pl.WeightSoftMax)
	fmt.Println("BMI", pl.BMISoftMin, "to", pl.BMISoftMax)
	// Output:
	// weight 30 kg to 250 kg
	// BMI 15 kg/m² to 60 kg/m²
}

func ExampleFlags_String() {
	fmt.Println(dosing.Rounded | dosing.Capped)
	fmt.Println(dosing.Inexact | dosing.Extrapolated)
	fmt.Printf("%q\n", dosing.Flags(0))
	// Output:
	// rounded, capped
	// inexact, extrapolated
	// ""
}

func ExampleFlags_Has() {
	f := dosing.Rounded | dosing.Capped
	fmt.Println(f.Has(dosing.Capped), f.Has(dosing.Capped|dosing.Stretched))
	// Output: true false
}

func ExampleYears_String() {
	fmt.Println(dosing.Years(1), dosing.Years(45))
	// Output: 1 year 45 years
}

func ExampleSex_String() {
	fmt.Printf("%s %s %q\n", dosing.Male, dosing.Female, dosing.Sex(0))
	// Output: male female ""
}

// Unacknowledged lists the review warnings still waiting for a reason: a
// 200 kg, 170 cm patient (BMI 69.2) may have been weighed in pounds.
func ExampleResult_Unacknowledged() {
	rule := dosing.Rule{Name: "plausibility", Version: "1", Dose: units.MustParse("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual}}
	patient := dosing.Patient{Weight: units.MustParse("200 kg"), Height: units.MustParse("170 cm")}
	res, err := dosing.Calculate(rule, patient, dosing.Options{Acks: []dosing.Ack{
		{Key: "patient.bmi.soft_max", Reason: "weighed on the clinic scale today"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range res.Unacknowledged() {
		fmt.Println(w.Message)
	}
	// Output:
	// weight 200 kg looks like pounds entered as kilograms: 200 lb would be 90.7185 kg with BMI 31.3905 kg/m², nearer the middle of 15–60 kg/m² than BMI 69.2042 kg/m²
}

func ExampleBodySizeFormula() {
	f, _ := dosing.BodySizeFormula("bsa_mosteller")
	fmt.Println(f.Title)
	fmt.Println(f.Expression)
	fmt.Println(f.Citation)
	_, ok := dosing.BodySizeFormula("james")
	fmt.Println(ok)
	// Output:
	// Body surface area (Mosteller)
	// BSA = √(height cm × weight kg ÷ 3600)
	// Mosteller RD. N Engl J Med 1987;317:1098
	// false
}

// A protocol's tolerances, then one check's own: each field keeps the last
// one set.
func ExampleTolerances_With() {
	protocol := dosing.Tolerances{PumpRate: units.MustParse("2 %"), Dose: units.MustParse("3 %")}
	caller := dosing.Tolerances{PumpRate: units.MustParse("4 %")}
	t := protocol.With(caller)
	fmt.Println(t.PumpRate, t.Dose, t.Duration.IsValid())
	// Output:
	// 4 % 3 % false
}

func ExampleTolerances_Validate() {
	err := dosing.Tolerances{PumpRate: units.MustParse("30 %"), Dose: units.MustParse("5 mg")}.Validate()
	fmt.Println(err)
	// Output:
	// dosing: tolerances.dose "5 mg": must be a percentage (%), not drug mass
	// dosing: tolerances.pump_rate "30 %": out of range (0 % to 20 %)
}

// The policy in words, as the worksheet and the JSON "policy" show it.
func ExampleWeightPolicy_String() {
	fmt.Println(dosing.WeightPolicy{Basis: dosing.Actual, IdealWhenBMIAtLeast: units.MustParse("30 kg/m²"), IBWFormula: dosing.Devine, ShortStature: dosing.ClampAt60In})
	fmt.Println(dosing.WeightPolicy{Basis: dosing.Adjusted, IBWFormula: dosing.Devine, AdjustFactor: decimal.RequireFromString("0.4")})
	fmt.Println(dosing.WeightPolicy{Basis: dosing.Lean})
	// Output:
	// actual, ideal (Devine) when BMI ≥ 30 kg/m²; IBW below 60 in: height clamped at 60 in
	// adjusted (Devine IBW + 0.4 × (actual − IBW))
	// lean (Janmahasatian)
}

// A dose that whole devices change is shown requested → given, and a
// change beyond the rule's rounding tolerance is a review warning: 70 mg is
// 2.5 devices of 28 mg, rounded down to 2 = 56 mg, −20 %.
func ExampleResult_RoundedValue() {
	rule := dosing.Rule{Name: "esketamine", Version: "1", Dose: units.MustParse("56 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form:              &dosing.Form{Strength: units.MustParse("28 mg/device"), Step: units.MustParse("1 device"), Rounding: units.RoundDown},
		RoundingTolerance: dosing.RoundingTolerance{Dose: units.MustParse("0 %")}}
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("80 kg")}, dosing.Options{Dose: units.MustParse("70 mg")})
	if err != nil {
		fmt.Println(err)
		return
	}
	if v, ok := res.RoundedValue("dose"); ok {
		fmt.Println(v.Field, v.Requested, "→", v.Gives, v.DeviationPct, v.By)
	}
	fmt.Println(res.Warnings[0].Key, res.NeedsReview())
	// Output:
	// dose 70 mg → 56 mg -20 % [form_dose]
	// dose.rounding_tolerance true
}

// String is how worksheets and plans show a rounded value: 36.7 mg is
// 3.67 mL of 10 mg/mL, drawn as 3.7 mL = 37 mg, +0.3 ÷ 36.7 = +0.8174 %.
func ExampleRoundedValue_String() {
	v := dosing.RoundedValue{Field: "dose", Requested: units.MustParse("36.7 mg"), Gives: units.MustParse("37 mg"),
		Deviation: units.MustParse("0.3 mg"), DeviationPct: units.MustParse("0.8174386920980926430517711172 %"),
		Tolerance: units.MustParse("1 %")}
	fmt.Println(v)
	v.Field, v.Requested, v.Gives, v.Tolerance = "draw_volume", units.MustParse("3.67 mL"), units.MustParse("3.7 mL"), units.Quantity{}
	fmt.Println(v)
	// Output:
	// requested 36.7 mg → gives 37 mg (≈ +0.8174 %), within the rounding tolerance 1 %
	// calculated 3.67 mL → gives 3.7 mL (≈ +0.8174 %)
}

// RoundedValues lists what a rule's roundings can change, the values a
// RoundingTolerance can bound; Tolerance reads one back (the loading rate
// shares the pump rate's).
func ExampleRule_RoundedValues() {
	r := exampleIVRule()
	r.RoundingTolerance = dosing.RoundingTolerance{PumpRate: units.MustParse("1 %")}
	fmt.Println(r.RoundedValues())
	fmt.Println(r.RoundingTolerance.Tolerance("loading_pump_rate"))
	fmt.Println(r.RoundingTolerance.Tolerance("dose"))
	// Output:
	// [dose draw_volume pump_rate]
	// 1 % true
	// invalid quantity false
}

// A rule written for adults refuses a child and requires an age; its soft
// weight bound warns.
func ExamplePopulation() {
	rule := dosing.Rule{Name: "adults", Version: "1", Dose: units.MustParse("0.5 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Population: dosing.Population{Age: dosing.AgeBound{HardMin: 18}, Weight: dosing.Bound{SoftMin: units.MustParse("40 kg")}, Why: "the trials enrolled adults"}}
	_, err := dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("45 kg"), AgeYears: 11}, dosing.Options{})
	fmt.Println(err)
	fmt.Println(errors.Is(err, dosing.ErrOutsidePopulation))
	_, err = dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("80 kg")}, dosing.Options{})
	fmt.Println(err)
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: units.MustParse("38 kg"), AgeYears: 30}, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range res.Warnings {
		fmt.Println(w.Key+":", w.Message)
	}
	// Output:
	// dosing: population.age "11 years": below the hard minimum "18 years" of the population the rule was written for (population.age.hard_min)
	// true
	// dosing: patient.age: required: the patient's age (in completed years, or a birth date with the date of the calculation), for the population the rule was written for
	// population.weight.soft_min: weight 38 kg is below 40 kg, the soft minimum of the population the rule was written for (the trials enrolled adults)
}

func ExamplePopulation_IsSet() {
	fmt.Println(dosing.Population{Why: "adults"}.IsSet(), dosing.Population{Age: dosing.AgeBound{HardMin: 18}}.IsSet())
	// Output: false true
}

// The default bounds are adult ranges: applied to a child they say so. A
// 6-year-old of 20 kg is below the adult minimum of 30 kg; with the
// protocol's own bounds for children nothing is adult.
func ExamplePatient_Validate_child() {
	child := dosing.Patient{Weight: units.MustParse("20 kg"), AgeYears: 6}
	ws, _ := child.Validate(dosing.Plausibility{})
	for _, w := range ws {
		fmt.Println(w.Key)
	}
	ws, _ = child.Validate(dosing.Plausibility{WeightSoftMin: units.MustParse("10 kg"), WeightSoftMax: units.MustParse("60 kg"),
		BMISoftMin: units.MustParse("12 kg/m²"), BMISoftMax: units.MustParse("30 kg/m²")})
	fmt.Println(len(ws))
	// Output:
	// patient.adult_bounds
	// patient.weight.soft_min
	// 0
}
