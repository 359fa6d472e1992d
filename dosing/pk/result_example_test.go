package pk_test

import (
	"fmt"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

// A calculated dose becomes the administrations its pump settings deliver,
// and then a model estimate.
func ExampleFromResult() {
	q := units.MustParse
	rule := dosing.Rule{Name: "iv", Version: "1", Dose: q("0.5 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: q("10 mg/mL"), DrawStep: q("0.1 mL"), DrawRounding: units.RoundHalfUp,
			Bag: &dosing.Bag{Volume: q("100 mL"), Method: dosing.WithdrawFirst}},
		Infusion: &dosing.Infusion{Duration: q("40 min"),
			Pump: dosing.Pump{RateStep: q("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: q("999 mL/h")}}}
	res, err := dosing.Calculate(rule, dosing.Patient{Weight: q("70 kg")}, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	admins, err := pk.FromResult(res)
	if err != nil {
		fmt.Println(err)
		return
	}
	model, _ := pk.Lookup("clements250")
	pred, err := model.Predict(dosing.Patient{Weight: q("70 kg"), AgeYears: 40}, admins)
	if err != nil {
		fmt.Println(err)
		return
	}
	end, _ := pred.EndOfInfusion()
	fmt.Println(admins[0].Amount, "over", admins[0].Duration, "at", res.Infusion.PumpRate)
	fmt.Println("Cp at the end of the infusion:", end.Cp, "("+pred.Label+")")
	// Output:
	// 35 mg over 40 min at 150 mL/h
	// Cp at the end of the infusion: 177.31 ng/mL (model estimate, not a measured level)
}

// A clinic's own model, from a file it keeps next to its protocols.
func ExampleLoadParameters() {
	doc := []byte(`
name: Clinic model (Clements 250, refitted)
drug: ketamine (racemic)
citation: clinic pharmacokinetics service, 2026
scaling: linear
reference_weight: 1 kg
v1: 1.7522 L
k10: 0.0109 /min
k12: 0.0186 /min
k21: 0.0137 /min
`)
	params, err := pk.LoadParameters(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	model, err := pk.New(params)
	if err != nil {
		fmt.Println(err)
		return
	}
	pred, err := model.Predict(dosing.Patient{Weight: units.MustParse("70 kg")},
		[]pk.Administration{pk.Infusion(units.MustParse("0.5 mg/kg"), units.MustParse("40 min"))})
	if err != nil {
		fmt.Println(err)
		return
	}
	end, _ := pred.EndOfInfusion()
	fmt.Println(model.Compartments(), "compartments; Cp at the end:", end.Cp)
	// Output:
	// 2 compartments; Cp at the end: 177.31 ng/mL
}
