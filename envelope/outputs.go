package envelope

import (
	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// An output is one value of a result whose range an envelope reports.
type output struct {
	id   string // "dose", "rounding.pump_rate", "cmax"
	name string // "dose", "pump rate rounding"
	get  func(r *dosing.Result) units.Quantity
}

// The outputs of a dosing.Result, in the order of the worksheet. Each
// returns the zero Quantity where the result has no such value. Read only.
var resultOutputs = [...]output{
	{"dosing_weight", "dosing weight", func(r *dosing.Result) units.Quantity { return r.Weight.Value }},
	{"dose", "dose", func(r *dosing.Result) units.Quantity { return r.Dose }},
	{"dose_per_kg", "dose per kg of dosing weight", func(r *dosing.Result) units.Quantity { return r.DosePerKg }},
	{"dose_per_kg_actual", "dose per kg of actual weight", func(r *dosing.Result) units.Quantity { return r.DosePerKgActual }},
	{"dose_per_m2", "dose per m²", func(r *dosing.Result) units.Quantity { return r.DosePerM2 }},
	{"form_count", "dose forms", func(r *dosing.Result) units.Quantity {
		if r.Form == nil {
			return units.Quantity{}
		}
		return r.Form.Count
	}},
	{"draw_volume", "volume to draw", func(r *dosing.Result) units.Quantity {
		if r.Preparation == nil {
			return units.Quantity{}
		}
		return r.Preparation.Draw
	}},
	{"final_volume", "final volume", func(r *dosing.Result) units.Quantity {
		if r.Preparation == nil {
			return units.Quantity{}
		}
		return r.Preparation.FinalVolume
	}},
	{"final_concentration", "final concentration", func(r *dosing.Result) units.Quantity {
		if r.Preparation == nil {
			return units.Quantity{}
		}
		return r.Preparation.FinalConc
	}},
	{"loading_pump_rate", "loading pump rate", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil || r.Infusion.Loading == nil {
			return units.Quantity{}
		}
		return r.Infusion.Loading.PumpRate
	}},
	{"pump_rate", "pump rate", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.PumpRate
	}},
	{"duration", "duration", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.Duration
	}},
	{"dose_rate", "dose rate", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.DoseRate
	}},
	{"dose_rate_per_kg", "dose rate per kg", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.DoseRatePerKgH
	}},
	{"dose_rate_per_kg_min", "dose rate per kg per minute", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil {
			return units.Quantity{}
		}
		return r.Infusion.DoseRatePerKgMin
	}},
	{"drip_rate", "drip rate", func(r *dosing.Result) units.Quantity {
		if r.Infusion == nil || r.Infusion.Drip == nil {
			return units.Quantity{}
		}
		return r.Infusion.Drip.Rate
	}},
}

// cmaxOutput is the predicted peak plasma level, with Options.PK.
const cmaxOutput = "cmax"

// outputsFor returns the outputs an envelope of the rule reports: those of
// every result, then the deviation of each value the rule's roundings can
// change ("rounding.dose": 0 % where rounding left it as it was), then
// Cmax with a PK model.
func outputsFor(r dosing.Rule, withPK bool) []output {
	outs := resultOutputs[:]
	outs = append([]output(nil), outs...)
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

// Outputs lists the names of the outputs Options.Keep and PlotOptions.Output
// accept for a rule (a rounding deviation only where the rule rounds the
// value; "cmax" only with a PK model).
func Outputs(r dosing.Rule, withPK bool) []string {
	var ids []string
	for _, o := range outputsFor(r, withPK) {
		ids = append(ids, o.id)
	}
	return ids
}
