package dosing

import (
	"github.com/doseplan/doseplan/units"
)

// A rule's drug amount is a drug mass (mg, mcg, g) or an activity (units,
// as heparin and insulin are dosed). The two never convert: a unit of
// heparin is a measured effect, not a weight. A rule is in one kind of
// amount throughout: its dose, caps, dose rounding, stock and every limit on
// a dose, a concentration or a dose rate; a value in the other kind is
// refused by name. The calculation is the same for both, with units in place
// of mg: dose = 80 units/kg × 75 kg = 6,000 units as 0.5 mg/kg × 80 kg =
// 40 mg, and 1,350 units/h ÷ 100 units/mL = 13.5 mL/h as 60 mg/h ÷ 1 mg/mL =
// 60 mL/h.

// role is what an amount-bearing value of a rule is: a dose, a dose per kg,
// a concentration, …
type role uint8

const (
	roleDose        role = iota // mg, units
	rolePerKg                   // mg/kg, units/kg
	rolePerM2                   // mg/m², units/m²
	roleConc                    // mg/mL, units/mL
	roleRate                    // mg/h, units/h
	roleRatePerKg               // mg/kg/h, units/kg/h
	rolePerDay                  // mg/day, units/day: a dose per day, never a rate
	rolePerKgPerDay             // mg/kg/day, units/kg/day
	numRoles
)

// perDay reports a role counted by the day. A dose per day has a dose
// rate's dimension (mg/day and mg/h are both drug mass / time); the unit
// tells them apart (units.Unit.PerDay), and a value of one is never read as
// the other.
func (r role) perDay() bool { return r == rolePerDay || r == rolePerKgPerDay }

// fits reports whether q's unit is of role r's kind: per day for a role per
// day, not per day for any other (a dose rate in mg/day is a dose per day).
func (r role) fits(q units.Quantity) bool { return q.Unit().PerDay() == r.perDay() }

// amount is one kind of drug amount: the unit a calculation gives each role
// in, and the units a message offers for it.
type amount struct {
	name  string // "a drug mass", "an activity"
	short string // "mg", "units": the amount in a message
	units [numRoles]units.Unit
	wants [numRoles]string
	// ratePerKgMin is the per-minute weight-based rate the result also
	// shows (mcg/kg/min); invalid where the amount has none (activity).
	ratePerKgMin units.Unit
}

// amounts is a read-only table; amounts[0], drug mass, is the kind a rule
// whose dose gives none is taken to be in, so that its messages read as
// they always have.
var amounts = [...]amount{
	{name: "a drug mass", short: "mg",
		units: [numRoles]units.Unit{units.Milligram, units.MgPerKg, units.MgPerM2, units.MgPerML, units.MgPerHour, units.MgPerKgPerHour, units.MgPerDay, units.MgPerKgPerDay},
		wants: [numRoles]string{"mg", "mg/kg", "mg/m²", "mg/mL", "mg/h", "mg/kg/h or mcg/kg/min", "mg/day", "mg/kg/day"}, ratePerKgMin: units.McgPerKgPerMin},
	{name: "an activity", short: "units",
		units: [numRoles]units.Unit{units.ActivityUnit, units.UnitsPerKg, units.UnitsPerM2, units.UnitsPerML, units.UnitsPerHour, units.UnitsPerKgPerHour, units.UnitsPerDay, units.UnitsPerKgPerDay},
		wants: [numRoles]string{"units", "units/kg", "units/m²", "units/mL", "units/h", "units/kg/h", "units/day", "units/kg/day"}},
}

var massAmount, activityAmount = &amounts[0], &amounts[1]

// unit is the unit the amount gives a value of role r in.
func (a *amount) unit(r role) units.Unit { return a.units[r] }

// dim is the dimension of a value of role r in this amount.
func (a *amount) dim(r role) units.Dimension { return a.units[r].Dimension() }

// is reports whether q is a value of role r in this amount (a dose per day
// only for a role per day).
func (a *amount) is(q units.Quantity, r role) bool {
	return q.IsValid() && q.Dimension() == a.dim(r) && r.fits(q)
}

// other is the amount that is not a.
func (a *amount) other() *amount {
	if a == massAmount {
		return activityAmount
	}
	return massAmount
}

// amountAndRole returns the kind of amount of q and its role, if q is a
// value of one.
func amountAndRole(q units.Quantity) (*amount, role, bool) {
	if !q.IsValid() {
		return nil, 0, false
	}
	d := q.Dimension()
	for i := range amounts {
		for r := range numRoles {
			if amounts[i].units[r].Dimension() == d && r.fits(q) {
				return &amounts[i], r, true
			}
		}
	}
	return nil, 0, false
}

// amount returns the kind of amount the rule is in: that of its dose, or of
// its first band's; a drug mass when neither gives one.
func (r Rule) amount() *amount {
	q := r.Dose
	if !q.IsValid() && len(r.Bands) > 0 {
		q = r.Bands[0].Dose
	}
	if a, _, ok := amountAndRole(q); ok {
		return a
	}
	return massAmount
}

// AmountUnit returns the unit of a dose of the rule's kind of amount: mg
// for a rule in drug mass, units for one in activity (its dose, or its
// first band's, says which). Package schedule states its cumulative caps,
// given doses and records in it.
func (r Rule) AmountUnit() units.Unit { return r.amount().unit(roleDose) }

// amountSource names where the rule's kind of amount comes from, for a
// message: `dose "18 units/kg/h"`.
func (r Rule) amountSource() string { return r.amountFrom().String() }

// amountFrom is the value the rule's kind of amount comes from, which
// amountSource names (kept as values: the text is built for an error only).
type amountFrom struct{ dose, band0 units.Quantity }

func (r Rule) amountFrom() amountFrom {
	f := amountFrom{dose: r.Dose}
	if len(r.Bands) > 0 {
		f.band0 = r.Bands[0].Dose
	}
	return f
}

func (f amountFrom) String() string {
	if f.dose.IsValid() {
		return "dose " + quoteQ(f.dose)
	}
	if f.band0.IsValid() {
		return "bands[0].dose " + quoteQ(f.band0)
	}
	return "dose"
}

func quoteQ(q units.Quantity) string { return `"` + q.String() + `"` }

// mixedAmount is the error of a value in the other kind of amount than the
// rule's: a drug mass in a rule dosed in units, or the reverse.
func mixedAmount(field string, q units.Quantity, a *amount, r role, source string) error {
	return &FieldError{Field: field, Value: q.String(),
		Msg: "is " + a.other().name + " (" + a.other().short + "), but the rule is in " + a.name + " (" + a.short + ", from its " + source +
			"): a rule is in one kind of amount throughout, and " + a.other().short + " never convert to " + a.short + "; write it in " + a.wants[r],
		Err: ErrDimension}
}

// wrongPerDay is the error of a value of a role's dimension counted the
// other way: a dose per day where a dose rate belongs (mg/day is never a
// rate), or a rate where a dose per day belongs.
func wrongPerDay(field string, q units.Quantity, a *amount, r role) error {
	msg := "is a dose per day, not a rate: a dose per day is divided into doses (doses_per_day), never run as a rate; write a rate in " + a.wants[r]
	if r.perDay() {
		msg = "is a rate, not a dose per day; write it in " + a.wants[r]
	}
	return &FieldError{Field: field, Value: q.String(), Msg: msg, Err: ErrDimension}
}
