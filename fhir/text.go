package fhir

import (
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// isAmount reports a dimension whose drug amount is one drug mass or one
// unit of activity (mg, mg/kg, units/kg/h; not mg × units).
func isAmount(d units.Dimension) bool {
	return d.Mass == 1 && d.Activity == 0 || d.Activity == 1 && d.Mass == 0
}

// dosageText is the dosage for people, as the worksheet states it: the
// dose and what it comes from, how it is made up and how it is given.
// Values with more than four decimal places are shown rounded and marked
// "≈"; the structured elements carry the exact values.
func dosageText(res dosing.Result, ordered units.Quantity) string {
	var b strings.Builder
	b.WriteString(show(res.Dose))
	if ordered.IsValid() {
		dim, w := ordered.Dimension(), res.Weight
		from := show(ordered)
		if dim.BodyMass < 0 && w.Value.IsValid() {
			from += " × " + show(w.Value) + " " + strings.ReplaceAll(string(w.Basis), "_", " ") + " body weight"
		}
		if dim.Time < 0 && res.Infusion != nil {
			from += " over " + show(res.Infusion.Duration)
		}
		if dim != (units.Dimension{Mass: 1}) && dim != (units.Dimension{Activity: 1}) { // a fixed dose is its own definition
			b.WriteString(" (" + from + ")")
		}
	}
	if f := res.Form; f != nil {
		b.WriteString(": " + show(f.Count) + " of " + show(f.Strength))
		if len(f.Offsets) > 1 {
			var at []string
			for _, o := range f.Offsets {
				at = append(at, show(o))
			}
			b.WriteString(", one at each of " + strings.Join(at, ", ") + " from the start")
		}
	}
	if pr := res.Preparation; pr != nil {
		b.WriteString("; draw " + show(pr.Draw) + " of " + show(pr.Stock))
		switch {
		case pr.Container == "bag":
			b.WriteString(" into a " + show(pr.Diluent) + " bag (" + string(pr.Method) + ")")
		case pr.Container == "syringe" && pr.Diluent.IsValid():
			b.WriteString(" into a syringe with " + show(pr.Diluent) + " diluent")
		}
		if pr.FinalVolume.IsValid() {
			b.WriteString(", final volume " + show(pr.FinalVolume))
		}
		if pr.FinalConc.IsValid() {
			b.WriteString(" at " + show(pr.FinalConc))
		}
	}
	if in := res.Infusion; in != nil {
		b.WriteString("; infuse " + show(in.VTBI) + " over " + show(in.Duration) + " at " + show(in.PumpRate))
		var rates []string
		for _, q := range []units.Quantity{in.DoseRate, in.DoseRatePerKgH, in.DoseRatePerKgMin} {
			if q.IsValid() {
				rates = append(rates, show(q))
			}
		}
		if len(rates) > 0 {
			b.WriteString(" (dose rate " + strings.Join(rates, ", ") + ")")
		}
		if d := in.Drip; d != nil {
			b.WriteString("; by gravity " + show(d.Rate) + " with a " + show(d.DropFactor) + " set (the set's drops, not UCUM's fixed 1/20 mL drop)")
		}
	}
	if res.Route != "" {
		b.WriteString("; " + res.Route)
	}
	return b.String()
}
