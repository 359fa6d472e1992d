package dosing

import (
	"errors"
	"strconv"

	"github.com/doseplan/doseplan/units"
)

// Order is a dose order as written, for Check. Every field is optional: set
// those the order states, each with the unit it was written in. A value is
// compared in its own unit, so "40 mcg" is 0.04 mg, never 40 mg.
// OrderFields describes each field.
type Order struct {
	Dose      units.Quantity `json:"dose,omitzero"`        // mg, mcg or g
	DosePerKg units.Quantity `json:"dose_per_kg,omitzero"` // mg/kg or mcg/kg
	// DosePerDay and DosePerKgPerDay are the day's total an order states
	// for a protocol with doses per day (mg/day; mg/kg/day, "40 mg/kg/day
	// divided in 2 doses"); Dose is then each dose.
	DosePerDay      units.Quantity `json:"dose_per_day,omitzero"`
	DosePerKgPerDay units.Quantity `json:"dose_per_kg_per_day,omitzero"`
	// Weight is the dosing weight the order was written on (kg or lb).
	Weight      units.Quantity `json:"weight,omitzero"`
	Stock       units.Quantity `json:"stock,omitzero"`               // vial concentration, mg/mL
	DrawVolume  units.Quantity `json:"draw_volume,omitzero"`         // drawn from the vial, mL
	FinalVolume units.Quantity `json:"final_volume,omitzero"`        // bag or syringe, mL
	FinalConc   units.Quantity `json:"final_concentration,omitzero"` // mg/mL
	PumpRate    units.Quantity `json:"pump_rate,omitzero"`           // mL/h
	Duration    units.Quantity `json:"duration,omitzero"`            // min or h
	DoseRate    units.Quantity `json:"dose_rate,omitzero"`           // mg/h
	// DoseRatePerKg is a weight-based dose rate in any of its units:
	// mg/kg/h, mcg/kg/min, mcg/kg/h or mg/kg/min.
	DoseRatePerKg units.Quantity `json:"dose_rate_per_kg,omitzero"`
	DripRate      units.Quantity `json:"drip_rate,omitzero"`   // gtt/min; needs DropFactor
	DropFactor    units.Quantity `json:"drop_factor,omitzero"` // gtt/mL of the set; needs DripRate
	Count         units.Quantity `json:"count,omitzero"`       // devices, sprays, troches or tablets
}

// Tolerances are the largest deviations, in % of the expected value, at
// which an ordered value still agrees with the protocol; the same tolerance
// applies to a relation of the order whose stated side is that field. A
// tolerance is between 0 % and 20 %; the edge is inside: with 5 %, 42 mg
// agrees with 40 mg.
//
// An unset field takes its default (OrderField.DefaultTolerance). The
// defaults are mathematics, not clinical judgement: 5 % for every
// calculated value, wide enough for a value rounded to a syringe
// graduation, a pump step or a whole drop, or for a bag written by its
// nominal volume (100 mL for 104 mL is 3.8 %); 0 % for what is read off a
// product rather than calculated: the stock concentration, the drop factor
// of the set and the number of dose forms. A protocol sets its own.
type Tolerances struct {
	Dose            units.Quantity `json:"dose,omitzero"`
	DosePerKg       units.Quantity `json:"dose_per_kg,omitzero"`
	DosePerDay      units.Quantity `json:"dose_per_day,omitzero"`
	DosePerKgPerDay units.Quantity `json:"dose_per_kg_per_day,omitzero"`
	Weight          units.Quantity `json:"weight,omitzero"`
	Stock           units.Quantity `json:"stock,omitzero"`
	DrawVolume      units.Quantity `json:"draw_volume,omitzero"`
	FinalVolume     units.Quantity `json:"final_volume,omitzero"`
	FinalConc       units.Quantity `json:"final_concentration,omitzero"`
	PumpRate        units.Quantity `json:"pump_rate,omitzero"`
	Duration        units.Quantity `json:"duration,omitzero"`
	DoseRate        units.Quantity `json:"dose_rate,omitzero"`
	DoseRatePerKg   units.Quantity `json:"dose_rate_per_kg,omitzero"`
	DripRate        units.Quantity `json:"drip_rate,omitzero"`
	DropFactor      units.Quantity `json:"drop_factor,omitzero"`
	Count           units.Quantity `json:"count,omitzero"`
}

// maxTolerancePct is the widest tolerance Check accepts, in %. Below 25 %
// the bands of the factors Check recognises (×1, ×2.2046, ×10, ×16.67, ×60,
// ×100, ×1000 and their inverses) cannot overlap, so a deviation is never
// explained by two factors at once; 20 % keeps a margin.
const maxTolerancePct = 20

// defaultTolerances is a read-only table of the defaults, for resolve.
var defaultTolerances = func() Tolerances {
	var t Tolerances
	for f := range numOrderFields {
		*f.tolOf(&t) = units.NewInt(orderFields[f].defaultTol, units.Percent)
	}
	return t
}()

// validate checks the order on its own and reports every bad field at once:
// at least one value, each of its field's dimension and greater than zero,
// and a drip rate and drop factor only together.
func (o *Order) validate() error {
	var errs []error
	given := 0
	for f := range numOrderFields {
		q := *f.of(o)
		if !q.IsValid() {
			continue
		}
		given++
		info := f.desc()
		field := "order." + info.name
		switch {
		case !hasDim(info.dims, q.Dimension()):
			errs = append(errs, &FieldError{Field: field, Value: q.String(),
				Msg: "must be " + info.want + ", not " + q.Dimension().String(), Err: ErrDimension})
		case info.role < numRoles && !info.role.fits(q):
			a, _, _ := amountAndRole(q)
			errs = append(errs, wrongPerDay(field, q, a, info.role))
		case q.Sign() <= 0:
			errs = append(errs, &FieldError{Field: field, Value: q.String(), Msg: "out of range (must be > 0)", Err: ErrRange})
		}
	}
	if given == 0 {
		errs = append(errs, &FieldError{Field: "order",
			Msg: "required: at least one value to check (dose, dose per kg, dose per day, weight, stock, volume drawn, final volume or concentration, pump rate, duration, dose rate, drip rate with drop factor, count)",
			Err: ErrMissing})
	}
	if o.DropFactor.IsValid() && !o.DripRate.IsValid() {
		errs = append(errs, &FieldError{Field: "order.drip_rate", Msg: "required with order.drop_factor " + strconv.Quote(o.DropFactor.String()) + ": a drop factor is checked through the drip rate it gives", Err: ErrMissing})
	}
	if o.DripRate.IsValid() && !o.DropFactor.IsValid() {
		errs = append(errs, &FieldError{Field: "order.drop_factor", Msg: "required with order.drip_rate " + strconv.Quote(o.DripRate.String()) + ": a drip rate means nothing without the set's drop factor (gtt/mL)", Err: ErrMissing})
	}
	return errors.Join(errs...)
}

// inAmount refuses, by name, each ordered amount (a dose, a concentration,
// a dose rate, each maybe per kg) in the other kind of amount than the
// rule's: an order in mg for a protocol in units, or the reverse.
func (o *Order) inAmount(a *amount, source string) error {
	var errs []error
	for f := range numOrderFields {
		d := f.desc()
		if q := *d.order(o); d.role < numRoles && a.other().is(q, d.role) {
			errs = append(errs, mixedAmount("order."+d.name, q, a, d.role, source))
		}
	}
	return errors.Join(errs...)
}

func hasDim(ds []units.Dimension, d units.Dimension) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

// Validate reports every set tolerance that is not a percentage from 0 % to
// maxTolerancePct, all at once.
func (t Tolerances) Validate() error { return t.resolve() }

// With returns t with every tolerance that o sets replaced by o's: a
// protocol's tolerances, then a caller's for one check.
func (t Tolerances) With(o Tolerances) Tolerances {
	for f := range numOrderFields {
		if q := f.tolOf(&o); q.IsValid() {
			*f.tolOf(&t) = *q
		}
	}
	return t
}

// resolve fills unset tolerances with the defaults and validates the rest.
func (t *Tolerances) resolve() error {
	var errs []error
	var a arith
	for f := range numOrderFields {
		q := f.tolOf(t)
		if !q.IsValid() {
			*q = *f.tolOf(&defaultTolerances)
			continue
		}
		field := "tolerances." + orderFields[f].name
		if q.Dimension() != units.Percent.Dimension() {
			errs = append(errs, &FieldError{Field: field, Value: q.String(), Msg: "must be a percentage (%), not " + q.Dimension().String(), Err: ErrDimension})
			continue
		}
		if max := units.NewInt(maxTolerancePct, units.Percent); q.Sign() < 0 || a.cmp(*q, max) > 0 {
			errs = append(errs, &FieldError{Field: field, Value: q.String(), Msg: "out of range (0 % to " + max.String() + ")", Err: ErrRange})
		}
	}
	return a.join(errs)
}

// statesDose reports whether the order states what its bag (or its dose
// forms) holds: a dose, a dose per kg, a count, a draw with its stock, a
// final volume with its concentration.
func (o *Order) statesDose() bool {
	return o.Dose.IsValid() || o.DosePerKg.IsValid() || o.DosePerDay.IsValid() || o.DosePerKgPerDay.IsValid() || o.Count.IsValid() ||
		o.DrawVolume.IsValid() && o.Stock.IsValid() || o.FinalVolume.IsValid() && o.FinalConc.IsValid()
}

// statesPreparation reports whether the order states anything of what is
// prepared; if not, what it runs is the protocol's preparation.
func (o *Order) statesPreparation() bool {
	return o.Dose.IsValid() || o.DosePerKg.IsValid() || o.DosePerDay.IsValid() || o.DosePerKgPerDay.IsValid() || o.Count.IsValid() || o.Stock.IsValid() ||
		o.DrawVolume.IsValid() || o.FinalVolume.IsValid() || o.FinalConc.IsValid()
}
