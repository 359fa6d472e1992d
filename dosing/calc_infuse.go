package dosing

import (
	"github.com/doseplan/doseplan/units"
)

// infuse turns the prepared dose into pump settings: a loading dose first
// where the rule has one, the maintenance rate over the (possibly
// stretched) duration, the dose rates that rate delivers, and a drip rate.
func (c *calc) infuse() {
	in := c.rule.Infusion
	if !c.ok() || in == nil {
		return
	}
	ir := &InfusionResult{}
	vtbi := c.finalVol
	c.maint = c.dose
	pump := in.Pump
	rateStep := Rounding{Step: pump.RateStep, Mode: pump.RateRounding}
	intended := "dose ÷ duration"
	if l := in.Loading; l != nil {
		ir.Loading = c.loading(*l, rateStep)
		if !c.ok() {
			return
		}
		vtbi = c.sub(vtbi, ir.Loading.Volume)
		intended = "maintenance dose ÷ duration"
	}
	duration := c.conv(c.duration, units.Minute)
	exact := c.divTo(vtbi, duration, units.MLPerHour)
	if !c.ok() {
		return
	}
	if c.less(pump.MaxRate, exact) {
		if !pump.StretchToMaxRate {
			c.fail(&LimitError{Field: "pump_rate", Kind: HardMax, Value: exact, Bound: pump.MaxRate})
			return
		}
		need := c.divTo(vtbi, pump.MaxRate, units.Minute)
		stretched := c.roundTo(need, Rounding{Step: units.NewInt(1, units.Minute), Mode: units.RoundUp}, bounds{}).value
		c.step(Step{ID: "duration_stretch", Title: "Duration stretched", Formula: "duration = volume ÷ pump maximum rate, rounded up to a whole minute",
			Exact: duration, Value: stretched, Flags: Stretched,
			Note: "the pump cannot run " + show(exact) + "; duration stretched from " + duration.String() + " to " + stretched.String()}, term("volume", vtbi, "computed"), term("max rate", pump.MaxRate, "rule pump"))
		c.res.Warnings = append(c.res.Warnings, Warning{Key: "infusion.duration_stretched", Severity: Info, Value: stretched, Bound: pump.MaxRate,
			Message: "duration stretched from " + duration.String() + " to " + stretched.String() + " to keep the pump at or below " + pump.MaxRate.String()})
		duration = stretched
		exact = c.divTo(vtbi, duration, units.MLPerHour)
	}
	c.duration = duration
	c.pumpExact = exact
	ceil, floor := c.rateBounds(true)
	rr := c.roundTo(exact, rateStep, bounds{ceil: ceil, floor: floor})
	rate := rr.value
	pumpPct := zeroPct
	if rr.flags.Has(Rounded) {
		pumpPct = c.pct(exact, rate)
	}
	c.stepRounded(roundedStep{id: "pump_rate", title: "Pump rate", formula: "rate = volume ÷ duration, rounded " + pump.RateRounding.String() + " to " + pump.RateStep.String(),
		inputs: []Term{term("volume", vtbi, "computed"), term("duration", duration, "rule infusion")}, exact: exact, rounded: rr, pct: pumpPct})
	if !c.checkPumpMin("pump_rate", rate) {
		return
	}
	if pump.MinDuration.IsValid() && c.less(duration, pump.MinDuration) {
		c.fail(&LimitError{Field: "duration", Kind: HardMin, Value: duration, Bound: pump.MinDuration})
		return
	}
	ir.Duration, ir.PumpRateExact, ir.PumpRate, ir.VTBI = duration, exact, rate, vtbi
	ir.RunTime = c.divTo(vtbi, rate, units.Minute)
	c.step(Step{ID: "run_time", Title: "Run time at the programmed rate", Formula: "run time = volume ÷ pump rate",
		Value: ir.RunTime}, term("volume", vtbi, "computed"), term("pump rate", rate, "step pump_rate"))
	ir.IntendedDoseRate = c.divTo(c.maint, duration, c.amt.unit(roleRate))
	ir.DoseRate = c.mulDiv(rate, c.conv(c.dose, c.amt.unit(roleDose)), c.finalVol) // mL/h × mg ÷ mL: mg/h, one rounding
	if ir.Loading == nil {
		// Without a loading dose the dose rate deviates from the intended
		// one exactly as the programmed pump rate does from the exact one.
		ir.DoseRateDevPct = pumpPct
	} else {
		ir.DoseRateDevPct = c.pct(ir.IntendedDoseRate, ir.DoseRate)
	}
	var stepPct units.Quantity // the step shows a deviation only where there is one
	if ir.DoseRateDevPct.Sign() != 0 {
		stepPct = ir.DoseRateDevPct
	}
	c.step(Step{ID: "dose_rate", Title: "Dose rate the pump delivers", Formula: "dose rate = pump rate × dose ÷ final volume (back-calculated from the programmed rate)",

		Exact: ir.IntendedDoseRate, Value: ir.DoseRate, Deviation: c.devIf(ir.IntendedDoseRate, ir.DoseRate), DeviationPct: stepPct,
		Note: "intended " + show(ir.IntendedDoseRate) + " (" + intended + ")"}, term("pump rate", rate, "step pump_rate"), term("dose", c.dose, "previous step"), term("final volume", c.finalVol, "step final_volume"))
	ir.DoseRatePerKgH = c.divTo(ir.DoseRate, c.weight, c.amt.unit(roleRatePerKg))
	if u := c.amt.ratePerKgMin; u.IsValid() { // none in units: heparin is dosed per hour
		ir.DoseRatePerKgMin = c.divTo(ir.DoseRate, c.weight, u)
	}
	weightName := "dosing weight"
	if len(c.res.Weight.UsedFor) == 0 {
		weightName = "actual weight"
	}
	c.step(Step{ID: "dose_rate_per_kg", Title: "Dose rate per kg", Formula: "dose rate per kg = dose rate ÷ " + weightName,

		Value: ir.DoseRatePerKgH, Note: equalsIf(ir.DoseRatePerKgMin)}, term("dose rate", ir.DoseRate, "step dose_rate"), term(weightName, c.weight, "step dosing_weight"))
	if in.DropFactor.IsValid() {
		dexact := c.conv(c.mulDiv(vtbi, in.DropFactor, duration), units.DropsPerMin)
		dr := c.roundTo(dexact, Rounding{Step: units.NewInt(1, units.DropsPerMin), Mode: in.DripRounding}, bounds{})
		c.stepRounded(roundedStep{id: "drip_rate", title: "Drip rate", formula: "drip rate = volume ÷ duration × drop factor, to whole drops " + in.DripRounding.String(),
			inputs: []Term{term("volume", vtbi, "computed"), term("drop factor", in.DropFactor, "rule infusion"), term("duration", duration, "rule infusion")}, exact: dexact, rounded: dr})
		ir.Drip = &DripResult{DropFactor: in.DropFactor, Exact: dexact, Rate: dr.value}
	}
	c.res.Infusion = ir
}

// rateBounds returns the pump rates that rounding may not cross: the pump's
// maximum and minimum and the hard limits on the pump rate, and, for the
// maintenance rate, the hard limits on the dose rate (mg/h and per kg)
// expressed as pump rates at the final concentration.
func (c *calc) rateBounds(doseRate bool) (ceil, floor edge) {
	pump, l := c.rule.Infusion.Pump, c.rule.Limits
	ceil = c.tightest(true, plainEdge("the pump's maximum rate", pump.MaxRate), plainEdge("the hard maximum pump rate", l.PumpRate.HardMax))
	floor = c.tightest(false, plainEdge("the pump's minimum rate", pump.MinRate), plainEdge("the hard minimum pump rate", l.PumpRate.HardMin))
	if !doseRate {
		return ceil, floor
	}
	asPumpRate := func(e edge) edge {
		if !e.q.IsValid() || !c.ok() {
			return edge{}
		}
		e.q, e.rate = c.conv(c.mulDiv(e.q, c.finalVol, c.dose), units.MLPerHour), true
		return e
	}
	ceil = c.tightest(true, ceil, asPumpRate(plainEdge("the hard maximum dose rate", l.DoseRate.HardMax)),
		asPumpRate(c.perKgEdge("the hard maximum dose rate per kg", l.DoseRatePerKg.HardMax)))
	floor = c.tightest(false, floor, asPumpRate(plainEdge("the hard minimum dose rate", l.DoseRate.HardMin)),
		asPumpRate(c.perKgEdge("the hard minimum dose rate per kg", l.DoseRatePerKg.HardMin)))
	return ceil, floor
}

// checkPumpMin refuses a programmed rate of zero or below the pump's
// minimum; it reports whether the rate is deliverable.
func (c *calc) checkPumpMin(field string, rate units.Quantity) bool {
	if !c.ok() {
		return false
	}
	pump := c.rule.Infusion.Pump
	if rate.Sign() == 0 || pump.MinRate.IsValid() && c.less(rate, pump.MinRate) {
		bound := pump.MinRate
		if !bound.IsValid() {
			bound = pump.RateStep
		}
		c.fail(&LimitError{Field: field, Kind: HardMin, Value: rate, Bound: bound})
		return false
	}
	return true
}

// loading runs the rule's loading dose from the prepared bag: its dose,
// the volume that holds it and the pump rate over its duration, rounded
// like the maintenance rate and never across the pump's limits. The rest of
// the dose is the maintenance dose.
func (c *calc) loading(l Loading, rateStep Rounding) *LoadingResult {
	pump := c.rule.Infusion.Pump
	ld := l.Dose
	inputs := []Term{term("loading dose", l.Dose, "rule infusion")}
	formula := "loading dose = fixed loading dose"
	if kindOf(ld) == kindPerKg {
		ld = c.mul(ld, c.weight)
		inputs = append(inputs, term("dosing weight", c.weight, "step dosing_weight"))
		formula = "loading dose = loading dose per kg × dosing weight"
	}
	ld = c.conv(ld, c.dose.Unit())
	if c.ok() && !c.less(ld, c.dose) {
		c.fail(&FieldError{Field: "infusion.loading.dose", Value: l.Dose.String(), Msg: "not less than the whole dose " + display(c.dose).String(), Err: ErrRange})
		return nil
	}
	c.step(Step{ID: "loading_dose", Title: "Loading dose", Formula: formula, Value: ld}, inputs...)
	lvol := c.conv(c.mulDiv(ld, c.finalVol, c.dose), units.Milliliter)
	lrateExact := c.divTo(lvol, l.Duration, units.MLPerHour)
	if c.ok() && c.less(pump.MaxRate, lrateExact) {
		c.fail(&LimitError{Field: "loading_pump_rate", Kind: HardMax, Value: lrateExact, Bound: pump.MaxRate})
		return nil
	}
	ceil, floor := c.rateBounds(false)
	lr := c.roundTo(lrateExact, rateStep, bounds{ceil: ceil, floor: floor})
	c.stepRounded(roundedStep{id: "loading_rate", title: "Loading pump rate",
		formula: "rate = loading dose × final volume ÷ dose ÷ loading duration, rounded " + pump.RateRounding.String() + " to " + pump.RateStep.String(),
		inputs:  []Term{term("loading volume", lvol, "loading dose × final volume ÷ dose"), term("duration", l.Duration, "rule infusion")}, exact: lrateExact, rounded: lr})
	if !c.checkPumpMin("loading_pump_rate", lr.value) {
		return nil
	}
	c.loadingRateExact = lrateExact
	c.maint = c.sub(c.dose, ld)
	c.step(Step{ID: "maintenance_volume", Title: "Maintenance volume", Formula: "volume = final volume − loading volume",

		Value: c.sub(c.finalVol, lvol), Note: "maintenance dose " + display(c.maint).String()}, term("final volume", c.finalVol, "step final_volume"), term("loading volume", lvol, "step loading_rate"))
	return &LoadingResult{Dose: ld, Volume: lvol, Duration: l.Duration, PumpRate: lr.value}
}
