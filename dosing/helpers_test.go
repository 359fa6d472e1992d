package dosing_test

import (
	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// standardIV is the standard IV case of the issue: 0.5 mg/kg on actual
// weight, ideal (Devine) when BMI ≥ 30, cap 100 mg, 10 mg/mL stock drawn to
// 0.1 mL half up, added to a 100 mL bag, over 40 min on a pump with a
// 0.1 mL/h step (half up) and a 999 mL/h maximum, soft max 0.75 mg/kg,
// hard max 1 mg/kg. Each call returns fresh pointers, so a test may change
// it freely.
func standardIV() dosing.Rule {
	return dosing.Rule{
		Name:    "IV ketamine 0.5 mg/kg over 40 min",
		Version: "2026-01",
		Source:  "clinical.md §1.1, §9 WC5",
		Drug:    "ketamine",
		Route:   "IV",
		Dose:    mq("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{
			Basis:               dosing.Actual,
			IdealWhenBMIAtLeast: mq("30 kg/m²"),
			IBWFormula:          dosing.Devine,
		},
		Cap: mq("100 mg"),
		Preparation: &dosing.Preparation{
			Stock:        mq("10 mg/mL"),
			DrawStep:     mq("0.1 mL"),
			DrawRounding: units.RoundHalfUp,
			Bag:          &dosing.Bag{Volume: mq("100 mL"), Method: dosing.AddToBag},
		},
		Infusion: &dosing.Infusion{
			Duration: mq("40 min"),
			Pump:     dosing.Pump{RateStep: mq("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: mq("999 mL/h")},
		},
		Limits: dosing.Limits{DosePerKg: dosing.Bound{SoftMax: mq("0.75 mg/kg"), HardMax: mq("1 mg/kg")}},
	}
}

// standardPatient is the 80 kg, 175 cm man of the worked cases.
func standardPatient() dosing.Patient {
	return dosing.Patient{Weight: mq("80 kg"), Height: mq("175 cm"), Sex: dosing.Male}
}

// esketamineRule is intranasal esketamine in 28 mg devices, one every 5 min,
// 1 to 3 devices.
func esketamineRule() dosing.Rule {
	return dosing.Rule{
		Name:          "esketamine nasal spray",
		Version:       "2026-01",
		Source:        "clinical.md §3",
		Drug:          "esketamine",
		Route:         "intranasal",
		Dose:          mq("56 mg"),
		TitrationStep: mq("28 mg"),
		Weight:        dosing.WeightPolicy{Basis: dosing.Actual},
		Form: &dosing.Form{
			Strength: mq("28 mg/device"),
			Step:     mq("1 device"),
			Rounding: units.RoundHalfUp,
			MinCount: mq("1 device"),
			MaxCount: mq("3 devices"),
			Interval: mq("5 min"),
		},
	}
}
