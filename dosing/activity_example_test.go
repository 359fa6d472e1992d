package dosing_test

import (
	"fmt"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// A heparin infusion in units of activity, as a nursing text works it: 18
// units/kg/h for 75 kg from a premixed bag of 25,000 units in 250 mL
// (100 units/mL) is 1,350 units/h, 13.5 mL/h. The arithmetic is that of a
// dose in mg, with units in place of mg.
func ExampleCalculate_units() {
	q := units.MustParse
	rule := dosing.Rule{
		Name: "heparin infusion (example)", Version: "1",
		Dose: q("18 units/kg/h"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: q("100 units/mL"), DrawStep: q("0.1 mL"), DrawRounding: units.RoundHalfUp},
		Infusion: &dosing.Infusion{Duration: q("1 h"),
			Pump: dosing.Pump{RateStep: q("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: q("999 mL/h")}},
	}
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: q("75 kg")}, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ir := res.Infusion
	fmt.Println("dose rate:", ir.DoseRate, "=", ir.DoseRatePerKgH)
	fmt.Println("pump rate:", ir.PumpRate)
	fmt.Println("amount:", rule.AmountUnit())
	// Output:
	// dose rate: 1,350 units/h = 18 units/kg/h
	// pump rate: 13.5 mL/h
	// amount: units
}

// A rule is in one kind of amount: a limit in mg/h for a dose in units is
// refused by name, since mass and activity never convert.
func ExampleRule_Validate_mixedAmounts() {
	q := units.MustParse
	rule := dosing.Rule{
		Name: "heparin bolus (example)", Version: "1",
		Dose: q("80 units/kg"), Cap: q("10 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
	}
	fmt.Println(rule.Validate())
	// Output:
	// dosing: cap "10 mg": is a drug mass (mg), but the rule is in an activity (units, from its dose "80 units/kg"): a rule is in one kind of amount throughout, and mg never convert to units; write it in units
}
