package envelope

import (
	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// An output is one value of a result whose range an envelope reports.
type output struct {
	id   string // "dose", "rounding.pump_rate", "cmax"
	name string // "dose", "pump rate rounding"
	// needs is what the rule must have for the output to exist: "" (any
	// rule), "form", "preparation", "infusion", "loading", "drip", "bsa".
	needs string
	get   func(r *dosing.Result) units.Quantity
}

// has reports whether the rule has what an output needs.
func has(r dosing.Rule, needs string) bool {
	switch needs {
	case "form":
		return r.Form != nil
	case "preparation":
		return r.Preparation != nil
	case "infusion":
		return r.Infusion != nil
	case "loading":
		return r.Infusion != nil && r.Infusion.Loading != nil
	case "drip":
		return r.Infusion != nil && r.Infusion.DropFactor.IsValid()
	case "bsa":
		return r.BSAFormula != ""
	}
	return true
}

// The outputs of a dosing.Result, in the order of the worksheet. Each
// returns the zero Quantity where the result has no such value. Read only.
var resultOutputs = [...]output{
	{"dosing_weight", "dosing weight", "", func(r *dosing.Result) units.Quantity { return weightBased(r, r.Weight.Value) }},
	{"dose", "dose", "", func(r *dosing.Result) units.Quantity { return r.Dose }},
	{"dose_per_kg", "dose per kg of dosing weight", "", func(r *dosing.Result) units.Quantity { return weightBased(r, r.DosePerKg) }},
	{"dose_per_kg_actual", "dose per kg of actual weight", "", func(r *dosing.Result) units.Quantity { return r.DosePerKgActual }},
	{"dose_per_m2", "dose per m²", "bsa", func(r *dosing.Result) units.Quantity { return r.DosePerM2 }},
	{"form_count", "dose forms", "form", func(r *dosing.Result) units.Quantity {
		if r.Form == nil {
			return units.Quantity{}
		}
		return r.Form.Count
	}},
	{"draw_volume", "volume to draw", "preparation", func(r *dosing.Result) units.Quantity {
		if r.Preparation == nil {
			return units.Quantity{}
		}
		return r.Preparation.Draw
	}},
	{"final_volume", "final volume", "preparation", func(r *dosing.Result) units.Quantity {
		if r.Preparation == nil {
			return units.Quantity{}
		}
		return r.Preparation.FinalVolume
	}},
	{"final_concentration", "final concentration", "preparation", func(r *dosing.Result) units.Quantity {
		if r.Preparation == nil {
			return units.Quantity{}
		}
		return r.Preparation.FinalConc
	}},
	{"loading_pump_rate", "loading pump rate", "loading", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil || r.Infusion.Loading == nil {
			return units.Quantity{}
		}
		return r.Infusion.Loading.PumpRate
	}},
	{"pump_rate", "pump rate", "infusion", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.PumpRate
	}},
	{"duration", "duration", "infusion", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.Duration
	}},
	{"dose_rate", "dose rate", "infusion", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.DoseRate
	}},
	{"dose_rate_per_kg", "dose rate per kg", "infusion", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.DoseRatePerKgH
	}},
	{"dose_rate_per_kg_min", "dose rate per kg per minute", "infusion", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.DoseRatePerKgMin
	}},
	{"drip_rate", "drip rate", "drip", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil || r.Infusion.Drip == nil {
			return units.Quantity{}
		}
		return r.Infusion.Drip.Rate
	}},
}

// weightBased returns q where the rule doses on a weight, and nothing for
// a rule that is not weight based (a fixed dose, a dose per m²): there the
// "dosing weight" is the actual weight and its per-kg dose is
// dose_per_kg_actual.
func weightBased(r *dosing.Result, q units.Quantity) units.Quantity {
	if len(r.Weight.UsedFor) == 0 {
		return units.Quantity{}
	}
	return q
}

// cmaxOutput is the predicted peak plasma level, with Options.PK.
const cmaxOutput = "cmax"

// outputsFor returns the outputs an envelope of the rule reports: those of
// every result, then the deviation of each value the rule's roundings can
// change ("rounding.dose": 0 % where rounding left it as it was), then
// Cmax with a PK model.
func outputsFor(r dosing.Rule, withPK bool) []output {
	var outs []output
	for _, o := range resultOutputs {
		if has(r, o.needs) {
			outs = append(outs, o)
		}
	}
	fields := r.RoundedValues()
	if r.Infusion != nil && r.Infusion.Loading != nil {
		fields = append(fields, "loading_pump_rate")
	}
	zero := units.NewInt(0, units.Percent)
	for _, f := range fields {
		outs = append(outs, output{id: "rounding." + f, name: words(f) + " rounding", get: func(res *dosing.Result) units.Quantity {
			if v, ok := res.RoundedValue(f); ok {
				return v.DeviationPct
			}
			return zero
		}})
	}
	if withPK {
		outs = append(outs, output{id: cmaxOutput, name: "predicted peak plasma level (Cmax)"})
	}
	return outs
}

// Outputs lists the names of the outputs an envelope of the rule reports,
// which Options.Keep and PlotOptions.Output accept: those the rule's
// sections make (a pump rate needs an infusion), the deviation of each
// value its roundings can change, and "cmax" with a PK model.
func Outputs(r dosing.Rule, withPK bool) []string {
	var ids []string
	for _, o := range outputsFor(r, withPK) {
		ids = append(ids, o.id)
	}
	return ids
}
