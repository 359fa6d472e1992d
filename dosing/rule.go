package dosing

import (
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// WeightBasis names the body weight a dose is calculated on.
type WeightBasis string

const (
	Actual            WeightBasis = "actual"
	Ideal             WeightBasis = "ideal"
	Adjusted          WeightBasis = "adjusted"
	Lean              WeightBasis = "lean"
	LesserActualIdeal WeightBasis = "lesser_of_actual_and_ideal"
)

// WeightPolicy says which body weight a rule doses on. Every clinical choice
// is explicit: there is no default formula or factor.
type WeightPolicy struct {
	Basis WeightBasis `json:"basis"`
	// IdealWhenBMIAtLeast switches an actual-weight policy to ideal body
	// weight when the BMI is at least this (e.g. 30 kg/m²).
	IdealWhenBMIAtLeast units.Quantity  `json:"ideal_when_bmi_at_least,omitzero"`
	IBWFormula          IBWFormula      `json:"ibw_formula,omitempty"`
	AdjustFactor        decimal.Decimal `json:"adjust_factor,omitzero"`
	// LeanFormula is the formula of a lean-weight basis: janmahasatian
	// (unset reads as janmahasatian, the one formula the basis had before
	// there was a choice), james or boer.
	LeanFormula  LeanFormula  `json:"lean_formula,omitempty"`
	ShortStature ShortStature `json:"short_stature,omitempty"`
}

// String describes the policy as the worksheet shows it: "actual, ideal
// (Devine) when BMI ≥ 30 kg/m²; IBW below 60 in: height clamped at 60 in".
func (p WeightPolicy) String() string {
	ibw := p.IBWFormula.name()
	var s string
	switch p.Basis {
	case Actual:
		s = "actual"
		if p.IdealWhenBMIAtLeast.IsValid() {
			s += ", ideal (" + ibw + ") when BMI ≥ " + p.IdealWhenBMIAtLeast.String()
		}
	case Ideal:
		s = "ideal (" + ibw + ")"
	case Adjusted:
		s = "adjusted (" + ibw + " IBW + " + p.AdjustFactor.String() + " × (actual − IBW))"
	case Lean:
		s = "lean (" + p.leanFormula().name() + ")"
	case LesserActualIdeal:
		s = "lesser of actual and ideal (" + ibw + ")"
	default:
		s = string(p.Basis)
	}
	if p.needsIdeal() {
		switch p.ShortStature {
		case ClampAt60In:
			s += "; IBW below 60 in: height clamped at 60 in"
		case Extrapolate:
			s += "; IBW below 60 in: formula extrapolated"
		}
	}
	return s
}

// leanFormula is the policy's lean-weight formula, Janmahasatian where it
// names none.
func (p WeightPolicy) leanFormula() LeanFormula {
	if p.LeanFormula == "" {
		return Janmahasatian
	}
	return p.LeanFormula
}

func (p WeightPolicy) needsIdeal() bool {
	return p.Basis == Ideal || p.Basis == Adjusted || p.Basis == LesserActualIdeal || p.IdealWhenBMIAtLeast.IsValid()
}

// Band is a weight band [Min, Max) with its dose (fixed or per kg). An unset
// Max is open-ended.
type Band struct {
	Min  units.Quantity `json:"min"`
	Max  units.Quantity `json:"max,omitzero"`
	Dose units.Quantity `json:"dose"`
}

// Rounding is a declared rounding: to a multiple of Step, in Mode.
type Rounding struct {
	Step units.Quantity     `json:"step"`
	Mode units.RoundingMode `json:"mode"`
}

// RoundingTolerance is how far the rule's declared roundings may change
// each value, in % of the value before rounding. A larger change is a
// review warning, "<value>.rounding_tolerance", that needs an
// acknowledgement; the edge is inside (with 5 %, 42 mg for 40 mg is within).
// An unset field declares no tolerance: the change is still reported
// (Result.Rounded) but never warned about, and package schedule's lint names
// the value. There is no default: how much rounding is acceptable is the
// clinic's decision.
type RoundingTolerance struct {
	// Dose bounds the change of the dose after caps to the dose given: by
	// the dose rounding, the whole (or half) dose forms, the measured draw.
	Dose units.Quantity `json:"dose,omitzero"`
	// DrawVolume bounds the volume drawn against dose ÷ stock.
	DrawVolume units.Quantity `json:"draw_volume,omitzero"`
	// FinalVolume bounds a syringe made up to a concentration, rounded to
	// the draw step.
	FinalVolume units.Quantity `json:"final_volume,omitzero"`
	// PumpRate bounds the programmed pump rates (maintenance and loading)
	// against the exact ones; the dose rate delivered deviates by the same
	// fraction.
	PumpRate units.Quantity `json:"pump_rate,omitzero"`
	// DripRate bounds a gravity drip rate rounded to whole drops.
	DripRate units.Quantity `json:"drip_rate,omitzero"`
}

// maxRoundingTolerancePct is the widest rounding tolerance a rule may
// declare, in %: a change of more than the whole value is no rounding.
const maxRoundingTolerancePct = 100

// each lists the tolerances with their field names.
func (t RoundingTolerance) each() [5]struct {
	field string
	q     units.Quantity
} {
	return [...]struct {
		field string
		q     units.Quantity
	}{{"dose", t.Dose}, {"draw_volume", t.DrawVolume}, {"final_volume", t.FinalVolume}, {"pump_rate", t.PumpRate}, {"drip_rate", t.DripRate}}
}

// Tolerance returns the declared tolerance of a value by its field name
// ("dose", "pump_rate"; "loading_pump_rate" takes PumpRate), and whether
// one is declared.
func (t RoundingTolerance) Tolerance(field string) (units.Quantity, bool) {
	if field == "loading_pump_rate" {
		field = "pump_rate"
	}
	for _, e := range t.each() {
		if e.field == field {
			return e.q, e.q.IsValid()
		}
	}
	return units.Quantity{}, false
}

// RoundedValues lists the values, by their RoundingTolerance field names,
// that the rule's declared roundings can change: the dose (dose rounding,
// dose forms, a measured draw), the volume drawn, a syringe made up to a
// concentration, the pump rates, a drip rate.
func (r Rule) RoundedValues() []string {
	var out []string
	if r.DoseRounding != nil || r.Form != nil || r.Preparation != nil {
		out = append(out, "dose")
	}
	if p := r.Preparation; p != nil {
		out = append(out, "draw_volume")
		if p.Syringe != nil && p.Syringe.Concentration.IsValid() {
			out = append(out, "final_volume")
		}
	}
	if in := r.Infusion; in != nil {
		out = append(out, "pump_rate")
		if in.DropFactor.IsValid() {
			out = append(out, "drip_rate")
		}
	}
	return out
}

// Form quantizes a dose into whole (or half) dose forms: 28 mg nasal
// devices, 100 mg troches, half tablets.
type Form struct {
	Strength units.Quantity     `json:"strength"` // 28 mg/device: the unit names the form
	Step     units.Quantity     `json:"step"`     // 1 device, 0.5 tablet
	Rounding units.RoundingMode `json:"rounding"`
	MinCount units.Quantity     `json:"min_count,omitzero"`
	MaxCount units.Quantity     `json:"max_count,omitzero"`
	Interval units.Quantity     `json:"interval,omitzero"` // time between forms: 5 min between devices
}

// DiluentMethod says how a drug volume enters a bag.
type DiluentMethod string

const (
	// AddToBag adds the drug to the bag: final volume = bag + drug.
	AddToBag DiluentMethod = "add"
	// WithdrawFirst removes a volume equal to the drug first: final volume =
	// bag.
	WithdrawFirst DiluentMethod = "withdraw"
)

// Bag is a diluent bag of a nominal volume.
type Bag struct {
	Volume units.Quantity `json:"volume"`
	Method DiluentMethod  `json:"method"`
}

// Syringe is a syringe made up to a volume or to a concentration (exactly
// one).
type Syringe struct {
	Volume        units.Quantity `json:"volume,omitzero"`
	Concentration units.Quantity `json:"concentration,omitzero"`
}

// Preparation is how a dose is drawn from stock and made up.
type Preparation struct {
	Stock        units.Quantity     `json:"stock"`     // 10 mg/mL
	DrawStep     units.Quantity     `json:"draw_step"` // 0.1 mL: what the syringe can measure
	DrawRounding units.RoundingMode `json:"draw_rounding"`
	Bag          *Bag               `json:"bag,omitempty"`
	Syringe      *Syringe           `json:"syringe,omitempty"`
	// Stocks lists other concentrations the clinic stocks; Check uses them to
	// recognise an order made with the wrong vial.
	Stocks []units.Quantity `json:"other_stocks,omitempty"`
}

// Pump holds the infusion device's limits.
type Pump struct {
	RateStep     units.Quantity     `json:"rate_step"` // 0.1 mL/h
	RateRounding units.RoundingMode `json:"rate_rounding"`
	MaxRate      units.Quantity     `json:"max_rate"` // 999 mL/h
	MinRate      units.Quantity     `json:"min_rate,omitzero"`
	MinDuration  units.Quantity     `json:"min_duration,omitzero"`
	// StretchToMaxRate lets a rate above MaxRate run at MaxRate for longer
	// instead of failing; the result reports the new duration.
	StretchToMaxRate bool `json:"stretch_to_max_rate,omitempty"`
}

// Loading is a loading dose run from the same preparation before the
// maintenance infusion.
type Loading struct {
	Dose     units.Quantity `json:"dose"`     // mg or mg/kg
	Duration units.Quantity `json:"duration"` // over how long
}

// Infusion turns a prepared dose into pump settings.
type Infusion struct {
	Duration     units.Quantity     `json:"duration"`
	Pump         Pump               `json:"pump"`
	Loading      *Loading           `json:"loading,omitempty"`
	DropFactor   units.Quantity     `json:"drop_factor,omitzero"` // gtt/mL of a gravity set
	DripRounding units.RoundingMode `json:"drip_rounding,omitzero"`
}

// Bound is a smart-pump style limit on one value. Any of the four may be
// unset. Hard limits refuse; soft limits warn and need acknowledgement.
type Bound struct {
	HardMin units.Quantity `json:"hard_min,omitzero"`
	SoftMin units.Quantity `json:"soft_min,omitzero"`
	SoftMax units.Quantity `json:"soft_max,omitzero"`
	HardMax units.Quantity `json:"hard_max,omitzero"`
}

// isSet reports whether any bound is set.
func (b Bound) isSet() bool {
	return b.HardMin.IsValid() || b.SoftMin.IsValid() || b.SoftMax.IsValid() || b.HardMax.IsValid()
}

// Limits are the rule's limits, checked on final, rounded values. Those on
// a dose, a concentration or a dose rate are in the rule's kind of amount:
// mg, mg/mL, mg/h for a rule in drug mass; units, units/mL, units/h for one
// in activity.
type Limits struct {
	Dose          Bound `json:"dose,omitzero"`             // mg
	DosePerKg     Bound `json:"dose_per_kg,omitzero"`      // mg/kg on the dosing weight
	Concentration Bound `json:"concentration,omitzero"`    // final mg/mL
	Volume        Bound `json:"volume,omitzero"`           // final mL
	PumpRate      Bound `json:"pump_rate,omitzero"`        // mL/h
	DoseRate      Bound `json:"dose_rate,omitzero"`        // mg/h
	DoseRatePerKg Bound `json:"dose_rate_per_kg,omitzero"` // mg/kg/h or mcg/kg/min
	Duration      Bound `json:"duration,omitzero"`         // min
	// DosePerDay and DosePerKgPerDay bound the day's total, DosesPerDay ×
	// the dose given (mg/day; mg/kg/day on the dosing weight).
	DosePerDay      Bound `json:"dose_per_day,omitzero"`
	DosePerKgPerDay Bound `json:"dose_per_kg_per_day,omitzero"`
}

// Rule is a clinic's dose definition: what to give, on which weight, how to
// round, prepare and infuse it, and within which limits. Rules usually come
// from a protocol file (package schedule); they are plain data.
type Rule struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Source  string `json:"source,omitempty"`
	Drug    string `json:"drug,omitempty"`
	Route   string `json:"route,omitempty"`

	// Dose is the dose definition; its unit says what kind: mg (fixed),
	// mg/kg or mcg/kg (per dosing weight), mg/m² (per BSA), mg/h (a fixed
	// rate) or mg/kg/h, mcg/kg/min (a weight-based rate, given over
	// Infusion.Duration). Bands replace it for banded rules. The same kinds
	// in units of activity (units, units/kg, units/m², units/h, units/kg/h)
	// make a rule in activity: then every cap, dose rounding, stock and
	// limit on a dose, a concentration or a dose rate is in units too
	// (AmountUnit; a value in mg is refused by name).
	Dose       units.Quantity `json:"dose,omitzero"`
	Bands      []Band         `json:"bands,omitempty"`
	Weight     WeightPolicy   `json:"weight"`
	BSAFormula BSAFormula     `json:"bsa_formula,omitempty"`

	Cap      units.Quantity `json:"cap,omitzero"`        // per session, mg (units)
	CapPerKg units.Quantity `json:"cap_per_kg,omitzero"` // mg/kg (units/kg)

	// DosesPerDay is how many doses make the day: it divides a dose per day
	// (mg/kg/day, mg/day, units/kg/day) into doses, and with a dose per dose
	// (mg, mg/kg, mg/m², bands) it says how often it is given, for the cap
	// and limits per day. 1 to 24; unset (0) for a rule with nothing per day.
	// A dose rate (mg/h) has none: it runs continuously.
	DosesPerDay int `json:"doses_per_day,omitempty"`
	// CapPerDay caps the day's total (mg/day, units/day): each dose is at
	// most CapPerDay ÷ DosesPerDay.
	CapPerDay units.Quantity `json:"cap_per_day,omitzero"`

	// TitrationStep is the change between two titration levels of this
	// rule (0.1 mg/kg, 28 mg), in the dose's dimension. The library never
	// titrates by itself: a caller (package schedule) proposes the next
	// level, and a clinician's choice enters as Options.Dose.
	TitrationStep units.Quantity `json:"titration_step,omitzero"`

	DoseRounding *Rounding `json:"dose_rounding,omitempty"`
	// RoundingTolerance bounds how far each rounding may change its value.
	RoundingTolerance RoundingTolerance `json:"rounding_tolerance,omitzero"`
	Form              *Form             `json:"form,omitempty"`
	Preparation       *Preparation      `json:"preparation,omitempty"`
	Infusion          *Infusion         `json:"infusion,omitempty"`

	Limits       Limits       `json:"limits,omitzero"`
	Plausibility Plausibility `json:"plausibility,omitzero"`
	// Population is the patients the rule was written for; a patient
	// outside a hard bound is refused, outside a soft one warned.
	Population Population `json:"population,omitzero"`
}

// doseKind classifies a dose definition by its dimension.
type doseKind uint8

const (
	kindInvalid doseKind = iota
	kindFixed
	kindPerKg
	kindPerM2
	kindRate
	kindRatePerKg
	kindPerDay      // a dose per day, divided into Rule.DosesPerDay doses
	kindPerKgPerDay // the same per kg of the dosing weight
)

var (
	dimVolume     = units.Milliliter.Dimension()
	dimTime       = units.Minute.Dimension()
	dimPumpRate   = units.MLPerHour.Dimension()
	dimBodyMass   = units.Kilogram.Dimension()
	dimBMI        = units.KgPerM2.Dimension()
	dimLength     = units.Centimeter.Dimension()
	dimDropFactor = units.DropsPerML.Dimension()
)

// kindOf classifies a dose by its dimension, in either kind of amount.
func kindOf(q units.Quantity) doseKind {
	_, r, ok := amountAndRole(q)
	switch {
	case !ok:
		return kindInvalid
	case r == roleDose:
		return kindFixed
	case r == rolePerKg:
		return kindPerKg
	case r == rolePerM2:
		return kindPerM2
	case r == roleRate:
		return kindRate
	case r == roleRatePerKg:
		return kindRatePerKg
	case r == rolePerDay:
		return kindPerDay
	case r == rolePerKgPerDay:
		return kindPerKgPerDay
	}
	return kindInvalid
}

// perDay reports a dose per day, divided into doses.
func (k doseKind) perDay() bool { return k == kindPerDay || k == kindPerKgPerDay }

// rate reports a dose rate, run continuously over the infusion's duration.
func (k doseKind) rate() bool { return k == kindRate || k == kindRatePerKg }

// maxDosesPerDay is the most doses a day may be divided into: one an hour.
// More often is a continuous rate (mg/h).
const maxDosesPerDay = 24

const doseDims = "mg, mg/kg, mg/m², mg/h, mg/kg/h or mcg/kg/min, mg/day or mg/kg/day (or units, units/kg, units/m², units/h, units/kg/h, units/day, units/kg/day)"

// Validate checks the rule's own consistency and reports every problem at
// once: required fields, dimensions, positive values, min < max, soft inside
// hard, bands without gaps or overlaps, settings that contradict.
func (r Rule) Validate() error {
	v := validator{amt: r.amount(), src: r.amountFrom()}
	switch {
	case r.Dose.IsValid() && len(r.Bands) > 0:
		v.add(&FieldError{Field: "dose", Value: r.Dose.String(), Msg: "set either dose or bands, not both", Err: ErrConflict})
	case r.Dose.IsValid():
		v.dose("dose", r.Dose)
	case len(r.Bands) > 0:
		v.bands(r.Bands)
	default:
		v.add(missing("dose", "a dose ("+doseDims+") or weight bands"))
	}
	kind := kindOf(r.Dose) // bands are fixed or per kg, checked above
	if kind.rate() && (r.Infusion == nil || !r.Infusion.Duration.IsValid()) {
		v.add(missing("infusion.duration", "a duration, for a dose given as a rate"))
	}
	v.perDay(r, kind)
	if kind == kindPerM2 && r.BSAFormula == "" {
		v.add(missing("bsa_formula", "mosteller, dubois, haycock or boyd, for a dose per m²"))
	}
	switch r.BSAFormula {
	case "", Mosteller, DuBois, Haycock, Boyd:
	default:
		v.add(&FieldError{Field: "bsa_formula", Value: string(r.BSAFormula), Msg: "unknown formula (allowed: mosteller, dubois, haycock, boyd)", Err: ErrRange})
	}
	v.weight(r.Weight)
	if r.TitrationStep.IsValid() {
		switch {
		case !r.Dose.IsValid():
			v.add(&FieldError{Field: "titration_step", Value: r.TitrationStep.String(), Msg: "needs a dose to step from (a banded rule takes its dose from the band)", Err: ErrConflict})
		case r.TitrationStep.Dimension() == r.Dose.Dimension() && r.TitrationStep.Unit().PerDay() != r.Dose.Unit().PerDay():
			_, role, _ := amountAndRole(r.Dose)
			v.add(wrongPerDay("titration_step", r.TitrationStep, v.amt, role))
		default:
			v.positive("titration_step", r.TitrationStep, r.Dose.Dimension(), "the dose's unit ("+r.Dose.Unit().String()+")")
		}
	}
	v.amountValue("cap", r.Cap, roleDose)
	v.amountValue("cap_per_kg", r.CapPerKg, rolePerKg)
	if r.DoseRounding != nil {
		v.amountValue("dose_rounding.step", r.DoseRounding.Step, roleDose)
		v.required("dose_rounding.step", r.DoseRounding.Step)
		v.mode("dose_rounding.mode", r.DoseRounding.Mode)
	}
	if f := r.Form; f != nil {
		v.form(*f)
	}
	if p := r.Preparation; p != nil {
		v.prep(*p)
	}
	if in := r.Infusion; in != nil {
		v.infusion(*in, r.Preparation != nil)
	}
	v.limits(r.Limits)
	v.roundingTolerance(r.RoundingTolerance)
	v.population(r.Population)
	return v.err()
}

// perDay checks the doses per day and what is per day: a dose per day
// needs them (1 to maxDosesPerDay), a dose rate has none, and a cap or a
// limit per day needs to know how many doses make the day.
func (v *validator) perDay(r Rule, kind doseKind) {
	n := r.DosesPerDay
	switch {
	case n < 0 || n > maxDosesPerDay:
		v.add(&FieldError{Field: "doses_per_day", Value: strconv.Itoa(n), Msg: "out of range (1 to " + strconv.Itoa(maxDosesPerDay) + "; more often than hourly is a rate in " + v.amt.wants[roleRate] + ")", Err: ErrRange})
	case n == 0 && kind.perDay():
		v.add(missing("doses_per_day", "how many doses the dose per day "+quoteQ(r.Dose)+" is divided into (1 to "+strconv.Itoa(maxDosesPerDay)+")"))
	case n > 0 && kind.rate():
		v.add(&FieldError{Field: "doses_per_day", Value: strconv.Itoa(n), Msg: "a dose rate (" + r.Dose.String() + ") runs continuously and has no doses per day", Err: ErrConflict})
	}
	v.amountValue("cap_per_day", r.CapPerDay, rolePerDay)
	perDayLimits := r.Limits.DosePerDay.isSet() || r.Limits.DosePerKgPerDay.isSet()
	if n == 0 && !kind.perDay() && (r.CapPerDay.IsValid() || perDayLimits) { // a dose per day has its own error
		field := "cap_per_day"
		if !r.CapPerDay.IsValid() {
			field = "limits.dose_per_day"
			if !r.Limits.DosePerDay.isSet() {
				field = "limits.dose_per_kg_per_day"
			}
		}
		v.add(&FieldError{Field: field, Msg: "needs doses_per_day: how many doses make the day", Err: ErrMissing})
	}
}

// roundingTolerance checks each declared tolerance: a percentage from 0 %
// to maxRoundingTolerancePct.
func (v *validator) roundingTolerance(t RoundingTolerance) {
	max := units.NewInt(maxRoundingTolerancePct, units.Percent)
	for _, e := range t.each() {
		switch {
		case !e.q.IsValid():
		case e.q.Dimension() != max.Dimension():
			v.add(wrongDim("rounding_tolerance."+e.field, e.q, "in % (of the value before rounding)"))
		case e.q.Sign() < 0 || v.cmp(e.q, max) > 0:
			v.add(outOfRange("rounding_tolerance."+e.field, e.q, "must be from 0 % to "+max.String()))
		}
	}
}

type validator struct {
	errs []error
	a    arith // for comparisons, which fail across dimensions
	// amt is the rule's kind of amount, for the values that must be in
	// it; src says where it comes from in their errors.
	amt *amount
	src amountFrom
}

func (v *validator) add(err error) { v.errs = append(v.errs, err) }
func (v *validator) err() error    { return v.a.join(v.errs) }

// cmp compares two quantities whose dimensions are checked before.
func (v *validator) cmp(x, y units.Quantity) int { return v.a.cmp(x, y) }

func (v *validator) required(field string, q units.Quantity) {
	if !q.IsValid() {
		v.add(missing(field, "a value"))
	}
}

// positive checks an optional quantity: if set, of the dimension and > 0.
func (v *validator) positive(field string, q units.Quantity, dim units.Dimension, want string) bool {
	if !q.IsValid() {
		return false
	}
	if q.Dimension() != dim {
		v.add(wrongDim(field, q, "in "+want))
		return false
	}
	if q.Sign() <= 0 {
		v.add(outOfRange(field, q, "must be > 0"))
		return false
	}
	return true
}

// amountValue checks an optional value of role r in the rule's kind of
// amount: of its dimension and > 0. A value in the other kind of amount (mg
// in a rule dosed in units) is refused by name.
func (v *validator) amountValue(field string, q units.Quantity, r role) bool {
	if !v.amountKind(field, q, r) {
		return false
	}
	return v.positive(field, q, v.amt.dim(r), v.amt.wants[r])
}

// amountKind reports whether a value of role r's dimension is in the rule's
// kind of amount and counted as the role is (per day or not); else it adds
// the error. A value of another dimension is left to the caller.
func (v *validator) amountKind(field string, q units.Quantity, r role) bool {
	switch {
	case !q.IsValid():
	case v.amt.other().is(q, r):
		v.add(mixedAmount(field, q, v.amt, r, v.src.String()))
		return false
	case q.Dimension() == v.amt.dim(r) && !r.fits(q):
		v.add(wrongPerDay(field, q, v.amt, r))
		return false
	}
	return true
}

// doseOf checks a dose of a band or a loading dose: fixed or per kg, in the
// rule's kind of amount, and > 0.
func (v *validator) doseOf(field string, q units.Quantity) {
	k := kindOf(q)
	switch {
	case k != kindFixed && k != kindPerKg:
		v.add(wrongDim(field, q, v.amt.wants[roleDose]+" or "+v.amt.wants[rolePerKg]))
	case v.amt.other().is(q, roleDose):
		v.add(mixedAmount(field, q, v.amt, roleDose, v.src.String()))
	case v.amt.other().is(q, rolePerKg):
		v.add(mixedAmount(field, q, v.amt, rolePerKg, v.src.String()))
	case q.Sign() <= 0:
		v.add(outOfRange(field, q, "must be > 0"))
	}
}

func (v *validator) mode(field string, m units.RoundingMode) {
	if _, err := units.ParseRoundingMode(m.String()); err != nil {
		v.add(&FieldError{Field: field, Msg: "rounding mode required (half_up, half_even, down or up)", Err: ErrMissing})
	}
}

func (v *validator) dose(field string, q units.Quantity) {
	if kindOf(q) == kindInvalid {
		v.add(wrongDim(field, q, doseDims))
		return
	}
	if q.Sign() <= 0 {
		v.add(outOfRange(field, q, "must be > 0"))
	}
}

func (v *validator) bands(bs []Band) {
	for i, b := range bs {
		f := "bands[" + strconv.Itoa(i) + "]"
		v.required(f+".min", b.Min)
		if b.Min.IsValid() && b.Min.Dimension() != dimBodyMass {
			v.add(wrongDim(f+".min", b.Min, "a body weight (kg)"))
		}
		if b.Max.IsValid() && b.Max.Dimension() != dimBodyMass {
			v.add(wrongDim(f+".max", b.Max, "a body weight (kg)"))
		}
		if !b.Dose.IsValid() {
			v.add(missing(f+".dose", "a fixed ("+v.amt.wants[roleDose]+") or per-kg ("+v.amt.wants[rolePerKg]+") dose"))
		} else {
			v.doseOf(f+".dose", b.Dose)
		}
		if b.Min.IsValid() && b.Max.IsValid() && b.Min.Dimension() == b.Max.Dimension() && v.cmp(b.Min, b.Max) >= 0 {
			v.add(&FieldError{Field: f, Value: "[" + b.Min.String() + ", " + b.Max.String() + ")", Msg: "min must be below max", Err: ErrConflict})
		}
		if i == 0 {
			continue
		}
		prev := bs[i-1]
		if !prev.Max.IsValid() {
			v.add(&FieldError{Field: "bands[" + strconv.Itoa(i-1) + "].max", Msg: "only the last band may be open-ended", Err: ErrConflict})
			continue
		}
		if b.Min.IsValid() && b.Min.Dimension() == prev.Max.Dimension() {
			switch c := v.cmp(b.Min, prev.Max); {
			case c > 0:
				v.add(&FieldError{Field: f + ".min", Value: b.Min.String(), Msg: "gap after the band ending at " + prev.Max.String() + " (bands are [min, max) and must touch)", Err: ErrConflict})
			case c < 0:
				v.add(&FieldError{Field: f + ".min", Value: b.Min.String(), Msg: "overlaps the band ending at " + prev.Max.String(), Err: ErrConflict})
			}
		}
	}
}

func (v *validator) weight(p WeightPolicy) {
	switch p.Basis {
	case Actual, Ideal, Adjusted, Lean, LesserActualIdeal:
	case "":
		v.add(missing("weight.basis", "actual, ideal, adjusted, lean or lesser_of_actual_and_ideal"))
	default:
		v.add(&FieldError{Field: "weight.basis", Value: string(p.Basis), Msg: "unknown basis (allowed: actual, ideal, adjusted, lean, lesser_of_actual_and_ideal)", Err: ErrRange})
	}
	if p.needsIdeal() {
		switch p.IBWFormula {
		case Devine, Robinson, Miller:
		case "":
			v.add(missing("weight.ibw_formula", "devine, robinson or miller, for an ideal-weight policy"))
		default:
			v.add(&FieldError{Field: "weight.ibw_formula", Value: string(p.IBWFormula), Msg: "unknown formula (allowed: devine, robinson, miller)", Err: ErrRange})
		}
	}
	if p.Basis == Adjusted {
		if p.AdjustFactor.Sign() <= 0 || p.AdjustFactor.GreaterThan(decimal.NewFromInt(1)) {
			v.add(&FieldError{Field: "weight.adjust_factor", Value: p.AdjustFactor.String(), Msg: "required for an adjusted weight: > 0 and ≤ 1 (often 0.4)", Err: ErrRange})
		}
	}
	if p.IdealWhenBMIAtLeast.IsValid() {
		if p.Basis != Actual {
			v.add(&FieldError{Field: "weight.ideal_when_bmi_at_least", Value: p.IdealWhenBMIAtLeast.String(), Msg: "applies only to an actual-weight basis", Err: ErrConflict})
		}
		v.positive("weight.ideal_when_bmi_at_least", p.IdealWhenBMIAtLeast, dimBMI, "kg/m²")
	}
	switch p.LeanFormula {
	case "", Janmahasatian, James, Boer:
		if p.LeanFormula != "" && p.Basis != Lean {
			v.add(&FieldError{Field: "weight.lean_formula", Value: string(p.LeanFormula), Msg: "applies only to a lean-weight basis", Err: ErrConflict})
		}
	default:
		v.add(&FieldError{Field: "weight.lean_formula", Value: string(p.LeanFormula), Msg: "unknown formula (allowed: janmahasatian, james, boer)", Err: ErrRange})
	}
	switch p.ShortStature {
	case "", ClampAt60In, Extrapolate:
	default:
		v.add(&FieldError{Field: "weight.short_stature", Value: string(p.ShortStature), Msg: "allowed: clamp, extrapolate", Err: ErrRange})
	}
}

func (v *validator) form(f Form) {
	v.required("form.strength", f.Strength)
	v.required("form.step", f.Step)
	if !f.Strength.IsValid() || !f.Step.IsValid() {
		return
	}
	one, err := units.NewInt(1, v.amt.unit(roleDose)).Div(f.Strength) // mg ÷ mg/device = devices
	if err != nil || !isFormStrength(f.Strength, v.amt) || f.Strength.Sign() <= 0 {
		v.add(&FieldError{Field: "form.strength", Value: f.Strength.String(), Msg: "must be a positive strength per dose form (mg/device, mg/troche, mg/tablet)", Err: ErrDimension})
		return
	}
	count := one.Dimension()
	v.positive("form.step", f.Step, count, one.Unit().String())
	v.positive("form.min_count", f.MinCount, count, one.Unit().String())
	v.positive("form.max_count", f.MaxCount, count, one.Unit().String())
	if f.MinCount.IsValid() && f.MaxCount.IsValid() && f.MinCount.Dimension() == f.MaxCount.Dimension() && v.cmp(f.MinCount, f.MaxCount) > 0 {
		v.add(&FieldError{Field: "form.min_count", Value: f.MinCount.String(), Msg: "above max_count " + f.MaxCount.String(), Err: ErrConflict})
	}
	v.positive("form.interval", f.Interval, dimTime, "min")
	v.mode("form.rounding", f.Rounding)
}

// isFormStrength reports a strength per dose form: the rule's amount over
// exactly one dose form (mg/device, mg/spray, mg/troche, mg/tablet).
func isFormStrength(q units.Quantity, a *amount) bool {
	d := q.Dimension()
	forms := []int8{d.Device, d.Spray, d.Troche, d.Tablet}
	n := 0
	for _, e := range forms {
		switch e {
		case 0:
		case -1:
			n++
		default:
			return false
		}
	}
	d.Device, d.Spray, d.Troche, d.Tablet = 0, 0, 0, 0
	return n == 1 && d == a.dim(roleDose)
}

func (v *validator) prep(p Preparation) {
	v.required("preparation.stock", p.Stock)
	v.amountValue("preparation.stock", p.Stock, roleConc)
	v.required("preparation.draw_step", p.DrawStep)
	v.positive("preparation.draw_step", p.DrawStep, dimVolume, "mL")
	v.mode("preparation.draw_rounding", p.DrawRounding)
	for i, s := range p.Stocks {
		v.amountValue("preparation.other_stocks["+strconv.Itoa(i)+"]", s, roleConc)
	}
	if p.Bag != nil && p.Syringe != nil {
		v.add(&FieldError{Field: "preparation", Msg: "set a bag or a syringe, not both", Err: ErrConflict})
	}
	if b := p.Bag; b != nil {
		v.required("preparation.bag.volume", b.Volume)
		v.positive("preparation.bag.volume", b.Volume, dimVolume, "mL")
		switch b.Method {
		case AddToBag, WithdrawFirst:
		default:
			v.add(&FieldError{Field: "preparation.bag.method", Value: string(b.Method), Msg: "required: add or withdraw", Err: ErrMissing})
		}
	}
	if s := p.Syringe; s != nil {
		switch {
		case s.Volume.IsValid() == s.Concentration.IsValid():
			v.add(&FieldError{Field: "preparation.syringe", Msg: "set exactly one of volume or concentration", Err: ErrConflict})
		case s.Volume.IsValid():
			v.positive("preparation.syringe.volume", s.Volume, dimVolume, "mL")
		default:
			v.amountValue("preparation.syringe.concentration", s.Concentration, roleConc)
			if v.amt.is(p.Stock, roleConc) && v.amt.is(s.Concentration, roleConc) && v.cmp(s.Concentration, p.Stock) > 0 {
				v.add(&FieldError{Field: "preparation.syringe.concentration", Value: s.Concentration.String(), Msg: "above the stock concentration " + p.Stock.String(), Err: ErrConflict})
			}
		}
	}
}

func (v *validator) infusion(in Infusion, hasPrep bool) {
	v.required("infusion.duration", in.Duration)
	v.positive("infusion.duration", in.Duration, dimTime, "min or h")
	if !hasPrep {
		v.add(missing("preparation", "a preparation (stock and bag or syringe), for an infusion"))
	}
	p := in.Pump
	v.required("infusion.pump.rate_step", p.RateStep)
	v.positive("infusion.pump.rate_step", p.RateStep, dimPumpRate, "mL/h")
	v.mode("infusion.pump.rate_rounding", p.RateRounding)
	v.required("infusion.pump.max_rate", p.MaxRate)
	v.positive("infusion.pump.max_rate", p.MaxRate, dimPumpRate, "mL/h")
	v.positive("infusion.pump.min_rate", p.MinRate, dimPumpRate, "mL/h")
	v.positive("infusion.pump.min_duration", p.MinDuration, dimTime, "min")
	if p.MinRate.IsValid() && p.MaxRate.IsValid() && p.MinRate.Dimension() == p.MaxRate.Dimension() && v.cmp(p.MinRate, p.MaxRate) >= 0 {
		v.add(&FieldError{Field: "infusion.pump.min_rate", Value: p.MinRate.String(), Msg: "must be below max_rate " + p.MaxRate.String(), Err: ErrConflict})
	}
	if l := in.Loading; l != nil {
		v.required("infusion.loading.dose", l.Dose)
		if l.Dose.IsValid() {
			v.doseOf("infusion.loading.dose", l.Dose)
		}
		v.required("infusion.loading.duration", l.Duration)
		v.positive("infusion.loading.duration", l.Duration, dimTime, "min")
	}
	if in.DropFactor.IsValid() {
		v.positive("infusion.drop_factor", in.DropFactor, dimDropFactor, "gtt/mL")
		v.mode("infusion.drip_rounding", in.DripRounding)
	} else if in.DripRounding != 0 {
		v.add(&FieldError{Field: "infusion.drip_rounding", Value: in.DripRounding.String(), Msg: "set without a drop_factor", Err: ErrConflict})
	}
}

// limitField is one limit of Limits with its field name and dimension:
// that of a role of the rule's amount where amountRole is set, else dim.
type limitField struct {
	field      string
	b          Bound
	dim        units.Dimension
	want       string
	role       role
	amountRole bool
}

// each lists the limits with their field names and dimensions, those of a
// dose, a concentration or a dose rate in the amount a.
func (l Limits) each(a *amount) [10]limitField {
	of := func(field string, b Bound, r role) limitField {
		return limitField{field: field, b: b, dim: a.dim(r), want: a.wants[r], role: r, amountRole: true}
	}
	return [...]limitField{
		of("limits.dose", l.Dose, roleDose),
		of("limits.dose_per_kg", l.DosePerKg, rolePerKg),
		of("limits.concentration", l.Concentration, roleConc),
		{field: "limits.volume", b: l.Volume, dim: dimVolume, want: "mL"},
		{field: "limits.pump_rate", b: l.PumpRate, dim: dimPumpRate, want: "mL/h"},
		of("limits.dose_rate", l.DoseRate, roleRate),
		of("limits.dose_rate_per_kg", l.DoseRatePerKg, roleRatePerKg),
		{field: "limits.duration", b: l.Duration, dim: dimTime, want: "min"},
		of("limits.dose_per_day", l.DosePerDay, rolePerDay),
		of("limits.dose_per_kg_per_day", l.DosePerKgPerDay, rolePerKgPerDay),
	}
}

func (v *validator) limits(l Limits) {
	for _, e := range l.each(v.amt) {
		v.bound(e)
	}
}

// bound checks one limit's values: of the dimension (a value in the other
// kind of amount refused by name), ≥ 0, and in order.
func (v *validator) bound(e limitField) {
	field, b, dim, want := e.field, e.b, e.dim, e.want
	if !b.isSet() {
		return
	}
	named := [...]struct {
		k LimitKind
		q units.Quantity
	}{{HardMin, b.HardMin}, {SoftMin, b.SoftMin}, {SoftMax, b.SoftMax}, {HardMax, b.HardMax}}
	set := make([]int, 0, len(named))
	for i, n := range named {
		if !n.q.IsValid() {
			continue
		}
		if e.amountRole && !v.amountKind(field+"."+string(n.k), n.q, e.role) {
			continue
		}
		if n.q.Dimension() != dim {
			v.add(wrongDim(field+"."+string(n.k), n.q, "in "+want))
			continue
		}
		if n.q.Sign() < 0 {
			v.add(outOfRange(field+"."+string(n.k), n.q, "must be ≥ 0"))
			continue
		}
		set = append(set, i)
	}
	// hard_min ≤ soft_min ≤ soft_max ≤ hard_max, and min < max.
	for a := 0; a < len(set); a++ {
		for b := a + 1; b < len(set); b++ {
			lo, hi := named[set[a]], named[set[b]]
			c := v.cmp(lo.q, hi.q)
			bad := c > 0 || c == 0 && (lo.k == HardMin || lo.k == SoftMin) && (hi.k == SoftMax || hi.k == HardMax)
			if bad {
				v.add(&FieldError{Field: field + "." + string(lo.k), Value: lo.q.String(),
					Msg: "must be below " + field + "." + string(hi.k) + " " + strconv.Quote(hi.q.String()), Err: ErrConflict})
			}
		}
	}
}
