package dosing

import (
	"errors"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/units"
)

// checked is one value checked against a bound: final is the rounded value,
// exact the value before rounding (soft limits warn if either crosses).
type checked struct {
	field        string
	b            Bound
	final, exact units.Quantity
}

func (c *calc) checkLimits() {
	if !c.ok() {
		return
	}
	l, r := c.rule.Limits, c.rule
	c.res.Dose = c.dose
	perKg := c.amt.unit(rolePerKg)
	c.res.DosePerKg = c.divTo(c.dose, c.weight, perKg)
	c.res.DosePerKgActual = c.res.DosePerKg
	if !c.weight.Equal(c.actualKg) {
		c.res.DosePerKgActual = c.divTo(c.dose, c.actualKg, perKg)
	}
	if bsa := c.res.BodySize.BSA; bsa.IsValid() {
		c.res.DosePerM2 = c.divTo(c.conv(c.dose, c.amt.unit(roleDose)), bsa, c.amt.unit(rolePerM2))
	}
	c.warnAboveActual()
	c.dayGiven()
	list := make([]checked, 0, 9)
	if l.Dose.isSet() || r.Cap.IsValid() || r.CapPerKg.IsValid() || r.CapPerDay.IsValid() {
		list = append(list, checked{"dose", l.Dose, c.dose, c.capped})
	}
	if l.DosePerKg.isSet() {
		exact := c.res.DosePerKg
		if !c.capped.Equal(c.dose) {
			exact = c.divTo(c.capped, c.weight, perKg)
		}
		list = append(list, checked{"dose_per_kg", l.DosePerKg, c.res.DosePerKg, exact})
	}
	if c.finalVol.IsValid() {
		if l.Concentration.isSet() {
			list = append(list, checked{"concentration", l.Concentration, c.finalConc, c.finalConc})
		}
		if l.Volume.isSet() {
			list = append(list, checked{"volume", l.Volume, c.finalVol, c.finalVol})
		}
	}
	if ir := c.res.Infusion; ir != nil {
		if l.PumpRate.isSet() {
			list = append(list, checked{"pump_rate", l.PumpRate, ir.PumpRate, ir.PumpRateExact})
			if ld := ir.Loading; ld != nil {
				list = append(list, checked{"loading_pump_rate", l.PumpRate, ld.PumpRate, c.loadingRateExact})
			}
		}
		if l.DoseRate.isSet() {
			list = append(list, checked{"dose_rate", l.DoseRate, ir.DoseRate, ir.IntendedDoseRate})
		}
		if l.DoseRatePerKg.isSet() {
			list = append(list, checked{"dose_rate_per_kg", l.DoseRatePerKg, ir.DoseRatePerKgH, c.divTo(ir.IntendedDoseRate, c.weight, c.amt.unit(roleRatePerKg))})
		}
		if l.Duration.isSet() {
			list = append(list, checked{"duration", l.Duration, ir.Duration, ir.Duration})
		}
	}
	if l.DosePerDay.isSet() {
		list = append(list, checked{"dose_per_day", l.DosePerDay, c.res.DosePerDay, c.perDay(c.capped)})
	}
	if l.DosePerKgPerDay.isSet() {
		list = append(list, checked{"dose_per_kg_per_day", l.DosePerKgPerDay, c.res.DosePerKgPerDay,
			c.divTo(c.perDay(c.capped), c.weight, c.amt.unit(rolePerKgPerDay))})
	}
	if !c.ok() {
		return
	}
	var hard []error
	for _, k := range list {
		hard = append(hard, c.check(k)...)
	}
	if err := errors.Join(hard...); err != nil {
		c.fail(err)
		return
	}
	for _, k := range list {
		c.limitStep(k)
	}
}

// dayGiven records, for a rule with doses per day, what the day's doses
// give: doses per day × the dose given, against the day's dose the rule
// asked for before caps and rounding (the dose per day, or doses per day ×
// the requested dose), and per kg of the dosing weight.
func (c *calc) dayGiven() {
	n := c.rule.DosesPerDay
	if n == 0 || !c.ok() {
		return
	}
	asked := c.daily
	if !asked.IsValid() {
		asked = c.perDay(c.res.RequestedDose)
	}
	given := c.perDay(c.dose)
	c.res.DosesPerDay, c.res.DosePerDay = units.NewInt(int64(n), units.TimesPerDay), given
	c.res.DosePerKgPerDay = c.divTo(given, c.weight, c.amt.unit(rolePerKgPerDay))
	c.step(Step{ID: "dose_per_day_given", Title: "Dose per day as given", Formula: "dose per day = doses per day × dose",
		Inputs: []Term{{Name: "doses per day", Text: strconv.Itoa(n), Source: "rule"}, term("dose", c.dose, "previous step")},
		Exact:  asked, Value: given, Deviation: c.devIf(asked, given), DeviationPct: c.pctIf(asked, given),
		Note: "given " + show(c.res.DosePerKgPerDay) + " on the dosing weight"})
}

// limitStep records in the trail which limits a value was checked against
// and how it fared, so the worksheet shows every limit of the rule.
func (c *calc) limitStep(k checked) {
	in := make([]Term, 0, 7)
	if !k.exact.Equal(k.final) {
		in = append(in, term("before rounding", k.exact, "previous steps"))
	}
	if k.field == "dose" {
		if c.rule.Cap.IsValid() {
			in = append(in, term("cap", c.rule.Cap, "rule"))
		}
		if c.rule.CapPerKg.IsValid() {
			in = append(in, term("cap per kg", c.rule.CapPerKg, "rule"))
		}
		if c.rule.CapPerDay.IsValid() {
			in = append(in, term("cap per day", c.rule.CapPerDay, "rule"))
		}
	}
	for _, b := range [...]struct {
		name string
		q    units.Quantity
	}{{"hard min", k.b.HardMin}, {"soft min", k.b.SoftMin}, {"soft max", k.b.SoftMax}, {"hard max", k.b.HardMax}} {
		if b.q.IsValid() {
			in = append(in, term(b.name, b.q, "rule limits"))
		}
	}
	note := "within the limits"
	for _, w := range c.res.Warnings {
		key, ok := strings.CutPrefix(w.Key, k.field)
		switch {
		case !ok:
		case key == ".soft_max":
			note = "above the soft maximum: needs review"
		case key == ".soft_min":
			note = "below the soft minimum: needs review"
		}
	}
	t := limitNamesOf(k.field)
	c.step(Step{ID: t.id, Title: t.title, Formula: "the final value, and the value before rounding, within the rule's caps and limits",
		Value: k.final, Note: note}, in...)
}

func (c *calc) check(k checked) []error {
	b := k.b
	// Hard limits refuse if the final value or the value before rounding
	// crosses: rounding never launders an intended value beyond a limit.
	var errs []error
	if b.HardMax.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.HardMax, 1); crossed {
			errs = append(errs, &LimitError{Field: k.field, Kind: HardMax, Value: v, Bound: b.HardMax})
		}
	}
	if b.HardMin.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.HardMin, -1); crossed {
			errs = append(errs, &LimitError{Field: k.field, Kind: HardMin, Value: v, Bound: b.HardMin})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	// Soft limits: the final value and the value before rounding are both
	// checked, each side on its own, so rounding can never hide a warning;
	// the warning quotes the value that crosses further.
	if b.SoftMax.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.SoftMax, 1); crossed {
			c.res.Warnings = append(c.res.Warnings, Warning{Key: k.field + ".soft_max", Severity: Review, Value: v, Bound: b.SoftMax,
				Message: limitNamesOf(k.field).words + " " + apart(v, b.SoftMax) + " is above the soft limit " + b.SoftMax.String()})
		}
	}
	if b.SoftMin.IsValid() {
		if v, crossed := c.further(k.final, k.exact, b.SoftMin, -1); crossed {
			c.res.Warnings = append(c.res.Warnings, Warning{Key: k.field + ".soft_min", Severity: Review, Value: v, Bound: b.SoftMin,
				Message: limitNamesOf(k.field).words + " " + apart(v, b.SoftMin) + " is below the soft limit " + b.SoftMin.String()})
		}
	}
	return nil
}

// words turns a field name into words for a message: "dose per kg".
func words(field string) string { return strings.ReplaceAll(field, "_", " ") }

// further returns whichever of final and exact lies further beyond bound
// in direction dir (+1 above, −1 below), and whether either crosses it.
func (a *arith) further(final, exact, bound units.Quantity, dir int) (units.Quantity, bool) {
	v := final
	if a.cmp(exact, final)*dir > 0 {
		v = exact
	}
	return v, a.cmp(v, bound)*dir > 0
}
