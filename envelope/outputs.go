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
	kind  outputKind
	// rounded is the RoundedValue field of a rounding deviation output.
	rounded string
}

// outputKind names an output of a result, so that reading one is a
// switch on a small integer.
type outputKind uint8

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

// The outputs of a result, as resultOutputs lists them.
const (
	_ outputKind = iota
	outDosingWeight
	outDose
	outDosePerKg
	outDosePerKgActual
	outDosePerM2
	outFormCount
	outDrawVolume
	outFinalVolume
	outFinalConcentration
	outLoadingPumpRate
	outPumpRate
	outDuration
	outDoseRate
	outDoseRatePerKg
	outDoseRatePerKgMin
	outDripRate
	outCmax // with a PK model: not read from the result
)

// The outputs of a dosing.Result, in the order of the worksheet. Read
// only.
var resultOutputs = [...]output{
	{kind: outDosingWeight, id: "dosing_weight", name: "dosing weight"},
	{kind: outDose, id: "dose", name: "dose"},
	{kind: outDosePerKg, id: "dose_per_kg", name: "dose per kg of dosing weight"},
	{kind: outDosePerKgActual, id: "dose_per_kg_actual", name: "dose per kg of actual weight"},
	{kind: outDosePerM2, id: "dose_per_m2", name: "dose per m²", needs: "bsa"},
	{kind: outFormCount, id: "form_count", name: "dose forms", needs: "form"},
	{kind: outDrawVolume, id: "draw_volume", name: "volume to draw", needs: "preparation"},
	{kind: outFinalVolume, id: "final_volume", name: "final volume", needs: "preparation"},
	{kind: outFinalConcentration, id: "final_concentration", name: "final concentration", needs: "preparation"},
	{kind: outLoadingPumpRate, id: "loading_pump_rate", name: "loading pump rate", needs: "loading"},
	{kind: outPumpRate, id: "pump_rate", name: "pump rate", needs: "infusion"},
	{kind: outDuration, id: "duration", name: "duration", needs: "infusion"},
	{kind: outDoseRate, id: "dose_rate", name: "dose rate", needs: "infusion"},
	{kind: outDoseRatePerKg, id: "dose_rate_per_kg", name: "dose rate per kg", needs: "infusion"},
	{kind: outDoseRatePerKgMin, id: "dose_rate_per_kg_min", name: "dose rate per kg per minute", needs: "infusion"},
	{kind: outDripRate, id: "drip_rate", name: "drip rate", needs: "drip"},
}

var zeroPct = units.NewInt(0, units.Percent) // read only

// value returns the output's value in a result, or the zero Quantity where
// the result has none. A plain function rather than a table of closures:
// the result, which the row's loop reuses, does not escape to the heap.
func (o *output) value(r *dosing.Result) units.Quantity {
	if o.rounded != "" {
		for i := range r.Rounded {
			if r.Rounded[i].Field == o.rounded {
				return r.Rounded[i].DeviationPct
			}
		}
		return zeroPct // rounding left the value as it was
	}
	in, prep := r.Infusion, r.Preparation
	switch o.kind {
	case outDosingWeight:
		return weightBased(r, r.Weight.Value)
	case outDose:
		return r.Dose
	case outDosePerKg:
		return weightBased(r, r.DosePerKg)
	case outDosePerKgActual:
		return r.DosePerKgActual
	case outDosePerM2:
		return r.DosePerM2
	case outFormCount:
		if r.Form != nil {
			return r.Form.Count
		}
	case outDrawVolume:
		if prep != nil {
			return prep.Draw
		}
	case outFinalVolume:
		if prep != nil {
			return prep.FinalVolume
		}
	case outFinalConcentration:
		if prep != nil {
			return prep.FinalConc
		}
	case outLoadingPumpRate:
		if in != nil && in.Loading != nil {
			return in.Loading.PumpRate
		}
	case outPumpRate:
		if in != nil {
			return in.PumpRate
		}
	case outDuration:
		if in != nil {
			return in.Duration
		}
	case outDoseRate:
		if in != nil {
			return in.DoseRate
		}
	case outDoseRatePerKg:
		if in != nil {
			return in.DoseRatePerKgH
		}
	case outDoseRatePerKgMin:
		if in != nil {
			return in.DoseRatePerKgMin
		}
	case outDripRate:
		if in != nil && in.Drip != nil {
			return in.Drip.Rate
		}
	}
	return units.Quantity{}
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
	for _, f := range fields {
		outs = append(outs, output{id: "rounding." + f, name: words(f) + " rounding", rounded: f})
	}
	if withPK {
		outs = append(outs, output{kind: outCmax, id: cmaxOutput, name: "predicted peak plasma level (Cmax)"})
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
