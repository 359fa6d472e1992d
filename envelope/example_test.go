package envelope_test

import (
	"fmt"
	"os"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/examples/protocols"
)

// The IV example at its highest level, 0.75 mg/kg, over men of 40 years,
// 60 to 140 kg and 160 to 190 cm: who is within the limits, and where the
// soft limit on the dose per kg bites.
func ExampleEvaluate() {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		fmt.Println(err)
		return
	}
	env, err := envelope.Evaluate(p, envelope.Options{
		Weights: axis("60 kg", "140 kg", "20 kg"),
		Heights: axis("160 cm", "190 cm", "10 cm"),
		Sexes:   []dosing.Sex{dosing.Male},
		Ages:    []dosing.Years{40},
		Levels:  []int{3},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	l := env.Levels[0]
	fmt.Printf("level %d (%v): %d patients, %d within the limits, %d need review, %d refused\n", l.Number, l.Dose, l.Patients, l.Within, l.Review, l.Refused)
	for _, r := range l.Ranges {
		if r.Output == "dose" {
			fmt.Printf("dose from %v to %v\n", r.Min.Value, r.Max.Value)
		}
	}
	for _, r := range l.Regions {
		fmt.Printf("%s: %d patients\n", r.What, r.Patients)
	}
	// A man of 120 kg and 190 cm (BMI 33.2) is dosed on his ideal weight,
	// 84.047 kg: 63 mg, 0.7496 mg/kg, within the limits.
	patient := envelope.Patient{Sex: dosing.Male, Age: 40, Weight: q("120 kg"), Height: q("190 cm")}
	for _, r := range l.Regions {
		if r.Contains(patient) {
			fmt.Println(patient, "is in", r.Key)
		}
	}
	// By hand: a BMI of 30 or more (80 kg and up at 160 cm, 100 kg and up
	// at 170 and 180 cm, 120 kg and up at 190 cm: 12 patients) doses on
	// the Devine ideal weight, 56.882 kg at 160 cm: 0.75 mg/kg gives
	// 42.66 mg, drawn as 4.3 mL of 10 mg/mL = 43 mg, 0.756 mg/kg: above
	// the soft maximum 0.75 mg/kg, for the 4 patients at 160 cm. At 170,
	// 180 and 190 cm the draw rounds down (49, 56, 63 mg: 0.743, 0.747,
	// 0.7496 mg/kg); on the actual weight, 0.75 × 60, 80, 100 kg draws
	// exactly. Doses run from 43 mg to 75 mg (100 kg at 190 cm, BMI 27.7).
	//
	// Output:
	// level 3 (0.75 mg/kg): 20 patients, 16 within the limits, 4 need review, 0 refused
	// dose from 43 mg to 75 mg
	// within the limits: a result with no review warning: 16 patients
	// dose per kg above the soft maximum 0.75 mg/kg: 4 patients
	// dosed on the ideal body weight (the policy's switch from the actual weight): 12 patients
	// male, 40 years, 120 kg, 190 cm is in within_limits
	// male, 40 years, 120 kg, 190 cm is in dosing_weight.ideal
}

func ExampleEnvelope_WriteText() {
	p, err := protocols.Load("troche-maintenance")
	if err != nil {
		fmt.Println(err)
		return
	}
	env, err := envelope.Evaluate(p, envelope.Options{
		Weights: axis("40 kg", "200 kg", "40 kg"), Heights: axis("170 cm", "170 cm", "1 cm"),
		Sexes: []dosing.Sex{dosing.Female}, Ages: []dosing.Years{30},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := env.WriteText(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// By hand, at 1.25 mg/kg in 50 mg troches rounded down to half a
	// troche, capped at 200 mg: 40 kg → 50 mg, 1 troche (BMI 13.8, below
	// 15); 80 kg → 100 mg; 120 kg → 150 mg, not above the soft maximum
	// 150 mg; 160 kg → 200 mg (soft maximum crossed); 200 kg → 250 mg,
	// capped at 200 mg (BMI 69.2; read as 200 lb it would be 31.4).
	//
	// Output:
	// PROTOCOL ENVELOPE
	// Protocol: Sublingual ketamine troches, home maintenance (example), version 2026-11-example
	// SHA-256:  e8d6da0a29d0a0b5b2a627ea2f5e3fd6f4f79ca920e9f67a9e9337d4c413162c
	// Drug:     ketamine (racemic), compounded troche 50 mg sublingual
	//
	// GRID
	//   weights   40 kg to 200 kg by 40 kg (5): given
	//   heights   170 cm (1): given
	//   sexes     female
	//   ages      30 years: given
	//   levels    1: 1.25 mg/kg
	//   patients  5, 5 at each level
	//
	// A region is a set of grid patients: "weight ≥ W" means every grid weight from W to the last,
	// 200 kg; a boundary lies within one step of where it is shown. A band whose rows differ is
	// summarised here; the JSON lists every row.
	//
	// LEVEL 1: 1.25 mg/kg
	//   5 patients: 2 (40 %) within the limits, 3 (60 %) need review, 0 (0 %) refused
	//
	//   RANGES over the 5 results
	//     dosing weight: 40 kg to 200 kg
	//       min at 1 patient: female, 30 years, height 170 cm: weight 40 kg
	//       max at 1 patient: female, 30 years, height 170 cm: weight 200 kg
	//     dose: 50 mg to 200 mg
	//       min at 1 patient: female, 30 years, height 170 cm: weight 40 kg
	//       max at 2 patients: female, 30 years, height 170 cm: weight ≥ 160 kg
	//     dose per kg of dosing weight: 1 mg/kg to 1.25 mg/kg
	//       min at 1 patient: female, 30 years, height 170 cm: weight 200 kg
	//       max at 4 patients: female, 30 years, height 170 cm: weight ≤ 160 kg
	//     dose per kg of actual weight: 1 mg/kg to 1.25 mg/kg
	//       min at 1 patient: female, 30 years, height 170 cm: weight 200 kg
	//       max at 4 patients: female, 30 years, height 170 cm: weight ≤ 160 kg
	//     dose forms: 1 troche to 4 troches
	//       min at 1 patient: female, 30 years, height 170 cm: weight 40 kg
	//       max at 2 patients: female, 30 years, height 170 cm: weight ≥ 160 kg
	//     dose rounding: 0 % at every result
	//
	//   REGIONS
	//   - within the limits: a result with no review warning [within_limits]: 2 (40 %)
	//       female, 30 years:
	//         height 170 cm: weight 80–120 kg
	//   - dose above the soft maximum 150 mg [dose.soft_max]: 2 (40 %)
	//       female, 30 years:
	//         height 170 cm: weight ≥ 160 kg
	//   - BMI above the plausibility bound 60 kg/m² [patient.bmi.soft_max]: 1 (20 %)
	//       female, 30 years:
	//         height 170 cm: weight 200 kg
	//   - BMI below the plausibility bound 15 kg/m² [patient.bmi.soft_min]: 1 (20 %)
	//       female, 30 years:
	//         height 170 cm: weight 40 kg
	//   - weight looks like pounds entered as kilograms [patient.weight_may_be_pounds]: 1 (20 %)
	//       female, 30 years:
	//         height 170 cm: weight 200 kg
	//   - dose capped at 200 mg [dose.capped]: 1 (20 %)
	//       female, 30 years:
	//         height 170 cm: weight 200 kg
	//
	// For clinician verification — not a prescription
}

func ExampleOutputs() {
	p, err := protocols.Load("esketamine-nasal")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(envelope.Outputs(p.Rule(), false))
	// Fixed doses in devices, with no preparation or infusion: the dose,
	// its per-kg values (of the actual weight: the rule doses on no
	// weight, so no result has a dosing weight), the devices, and how far
	// quantizing to devices moves the dose.
	//
	// Output:
	// [dosing_weight dose dose_per_kg dose_per_kg_actual form_count rounding.dose]
}
