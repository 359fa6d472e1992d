package dosing

import (
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/units"
)

// OrderField describes one field of an Order, and the tolerance of the same
// name in Tolerances: its name, the kinds of quantity it takes, its default
// tolerance, and how to read and set it. OrderFields lists them all, so that
// a program building an order from its own input (the CLI's flags) keeps no
// list of its own. Obtain one from OrderFields; the zero OrderField is the
// dose.
type OrderField struct{ id orderField }

// OrderFields returns the fields of an Order in the order of the struct (the
// order in which Check reports them). The slice is the caller's.
func OrderFields() []OrderField {
	fs := make([]OrderField, numOrderFields)
	for f := range numOrderFields {
		fs[f] = OrderField{f}
	}
	return fs
}

// Name is the field's JSON name, "dose_per_kg"; errors call it
// "order.dose_per_kg" and "tolerances.dose_per_kg".
func (f OrderField) Name() string { return f.id.desc().name }

// Dimensions returns the dimensions the field accepts: one for each kind of
// amount (mg or units) for a dose, a concentration or a dose rate, one for
// a volume or a time, one per kind of dose form for the count. A field per
// day (dose_per_day, dose_per_kg_per_day) takes only a unit per day, and no
// other field takes one (mg/day and mg/h share a dimension; see
// units.Unit.PerDay). The slice is the caller's.
func (f OrderField) Dimensions() []units.Dimension {
	return append([]units.Dimension(nil), f.id.desc().dims...)
}

// Get returns the field's value in o (invalid when o does not state it).
func (f OrderField) Get(o Order) units.Quantity { return *f.id.desc().order(&o) }

// Set sets the field in o to q.
func (f OrderField) Set(o *Order, q units.Quantity) { *f.id.desc().order(o) = q }

// Tolerance returns the field's tolerance in t (invalid when t sets none).
func (f OrderField) Tolerance(t Tolerances) units.Quantity { return *f.id.desc().tol(&t) }

// SetTolerance sets the field's tolerance in t to q.
func (f OrderField) SetTolerance(t *Tolerances, q units.Quantity) { *f.id.desc().tol(t) = q }

// DefaultTolerance is the tolerance Check uses where none is set: 5 % for
// a calculated value, 0 % for what is read off a product (see Tolerances).
func (f OrderField) DefaultTolerance() units.Quantity {
	return units.NewInt(f.id.desc().defaultTol, units.Percent)
}

// orderField identifies a field of Order (and of Tolerances): an index
// into orderFields.
type orderField uint8

const (
	ofDose orderField = iota
	ofDosePerKg
	ofDosePerDay
	ofDosePerKgPerDay
	ofWeight
	ofStock
	ofDrawVolume
	ofFinalVolume
	ofFinalConc
	ofPumpRate
	ofDuration
	ofDoseRate
	ofDoseRatePerKg
	ofDripRate
	ofDropFactor
	ofCount
	numOrderFields
)

// noField is no order field: a row's perKg where the value has none.
const noField = numOrderFields

func (f orderField) desc() *fieldDesc { return &orderFields[f] }

// of returns the field in o; tolOf its tolerance in t.
func (f orderField) of(o *Order) *units.Quantity         { return orderFields[f].order(o) }
func (f orderField) tolOf(t *Tolerances) *units.Quantity { return orderFields[f].tol(t) }

func (f orderField) String() string { return orderFields[f].name }

// fieldDesc is everything the package knows about one order field. A new
// field of Order and Tolerances is one row of orderFields; a test checks
// the table against both structs.
type fieldDesc struct {
	name  string            // JSON name; "order.<name>" in errors
	title string            // for formulas, evidence and the worksheet
	dims  []units.Dimension // accepted dimensions
	want  string            // accepted units, for errors
	// defaultTol is the default tolerance in %: 5 for a calculated value, 0
	// for what is read off a product.
	defaultTol int64
	order      func(*Order) *units.Quantity
	tol        func(*Tolerances) *units.Quantity
	// expected is the value the protocol's calculation r gives for the
	// field, nil where it defines none; steps are the trail steps that can
	// compute it, the last one present in the result named.
	expected func(k *checker, r Result) fieldReference
	steps    []string
	// limits are the rule's caps and bounds on the field (nil: none).
	limits func(k *checker) []orderLimit
	// unit is the unit a value the order implies for the field is given in
	// where the protocol's dose names none of its dimension: that of role in
	// the rule's kind of amount for a field that is an amount (a dose, a
	// concentration, a dose rate), else unit; verb says what the order does
	// with it ("gives", "runs the pump at").
	unit units.Unit
	role role // noRole: the field is no amount
	verb string
	// perKg is the field of the same value per kg of the dosing weight (the
	// dose per kg of a dose), in the unit of perKgRole; noField for none.
	perKg     orderField
	perKgRole role
}

// noRole marks an order field that is no drug amount (a volume, a rate).
const noRole = numRoles

// amountDims are the dimensions of role r in either kind of amount: an
// order may be written in units or in mg, and Check refuses the one the
// rule is not in by name.
func amountDims(r role) []units.Dimension {
	ds := make([]units.Dimension, len(amounts))
	for i := range amounts {
		ds[i] = amounts[i].dim(r)
	}
	return ds
}

// unitOf is the unit a value the order implies for field d is given in.
func (k *checker) unitOf(d *fieldDesc) units.Unit {
	if d.role < numRoles {
		return k.amt.unit(d.role)
	}
	return d.unit
}

// orderFields is a read-only table indexed by orderField.
var orderFields = [numOrderFields]fieldDesc{
	ofDose: {name: "dose", title: "dose", dims: amountDims(roleDose), want: "a drug mass (mg, mcg or g) or an activity (units)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.Dose }, tol: func(t *Tolerances) *units.Quantity { return &t.Dose },
		expected: expectedDose, steps: []string{"dose", "cap", "dose_rounding", "form_dose", "delivered_dose"},
		limits: doseLimits, role: roleDose, verb: "gives", perKg: ofDosePerKg, perKgRole: rolePerKg},
	ofDosePerKg: {name: "dose_per_kg", title: "dose per kg", dims: amountDims(rolePerKg), want: "a dose per body weight (mg/kg, mcg/kg or units/kg)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DosePerKg }, tol: func(t *Tolerances) *units.Quantity { return &t.DosePerKg },
		expected: expectedDosePerKg, limits: dosePerKgLimits, role: rolePerKg, verb: "gives", perKg: noField},
	ofDosePerDay: {name: "dose_per_day", title: "dose per day", dims: amountDims(rolePerDay), want: "a dose per day (mg/day, mcg/day or units/day)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DosePerDay }, tol: func(t *Tolerances) *units.Quantity { return &t.DosePerDay },
		expected: expectedDosePerDay, steps: []string{"dose_per_day_given"}, limits: dosePerDayLimits, role: rolePerDay, verb: "gives",
		perKg: ofDosePerKgPerDay, perKgRole: rolePerKgPerDay},
	ofDosePerKgPerDay: {name: "dose_per_kg_per_day", title: "dose per kg per day", dims: amountDims(rolePerKgPerDay), want: "a dose per kg per day (mg/kg/day, mcg/kg/day or units/kg/day)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DosePerKgPerDay }, tol: func(t *Tolerances) *units.Quantity { return &t.DosePerKgPerDay },
		expected: expectedDosePerKgPerDay, steps: []string{"dose_per_day_given"}, limits: boundLimits("limits.dose_per_kg_per_day", func(l Limits) Bound { return l.DosePerKgPerDay }),
		role: rolePerKgPerDay, verb: "gives", perKg: noField},
	ofWeight: {name: "weight", title: "dosing weight", dims: dimsOf(units.Kilogram), want: "a body weight (kg or lb)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.Weight }, tol: func(t *Tolerances) *units.Quantity { return &t.Weight },
		expected: func(_ *checker, r Result) fieldReference { return fieldReference{q: r.Weight.Value} }, steps: []string{"dosing_weight"},
		role: noRole, verb: "gives", perKg: noField},
	ofStock: {name: "stock", title: "stock concentration", dims: amountDims(roleConc), want: "a concentration (mg/mL or units/mL)", defaultTol: 0,
		order: func(o *Order) *units.Quantity { return &o.Stock }, tol: func(t *Tolerances) *units.Quantity { return &t.Stock },
		expected: part(prepPart, func(p *PrepResult) units.Quantity { return p.Stock }), role: roleConc, verb: "gives", perKg: noField},
	ofDrawVolume: {name: "draw_volume", title: "volume drawn", dims: dimsOf(units.Milliliter), want: "a volume (mL)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DrawVolume }, tol: func(t *Tolerances) *units.Quantity { return &t.DrawVolume },
		expected: part(prepPart, func(p *PrepResult) units.Quantity { return p.Draw }), steps: []string{"draw_volume"},
		role: noRole, verb: "gives", perKg: noField},
	ofFinalVolume: {name: "final_volume", title: "final volume", dims: dimsOf(units.Milliliter), want: "a volume (mL)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.FinalVolume }, tol: func(t *Tolerances) *units.Quantity { return &t.FinalVolume },
		expected: part(prepPart, func(p *PrepResult) units.Quantity { return p.FinalVolume }), steps: []string{"final_volume"},
		limits: boundLimits("limits.volume", func(l Limits) Bound { return l.Volume }), unit: units.Milliliter, role: noRole, verb: "makes up a volume of", perKg: noField},
	ofFinalConc: {name: "final_concentration", title: "final concentration", dims: amountDims(roleConc), want: "a concentration (mg/mL or units/mL)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.FinalConc }, tol: func(t *Tolerances) *units.Quantity { return &t.FinalConc },
		expected: part(prepPart, func(p *PrepResult) units.Quantity { return p.FinalConc }), steps: []string{"final_concentration"},
		limits: boundLimits("limits.concentration", func(l Limits) Bound { return l.Concentration }), role: roleConc,
		verb: "makes up a concentration of", perKg: noField},
	ofPumpRate: {name: "pump_rate", title: "pump rate", dims: dimsOf(units.MLPerHour), want: "a pump rate (mL/h or mL/min)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.PumpRate }, tol: func(t *Tolerances) *units.Quantity { return &t.PumpRate },
		expected: part(infusionPart, func(ir *InfusionResult) units.Quantity { return ir.PumpRate }), steps: []string{"pump_rate"},
		limits: pumpRateLimits, unit: units.MLPerHour, role: noRole, verb: "runs the pump at", perKg: noField},
	ofDuration: {name: "duration", title: "duration", dims: dimsOf(units.Minute), want: "a time (min or h)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.Duration }, tol: func(t *Tolerances) *units.Quantity { return &t.Duration },
		expected: part(infusionPart, func(ir *InfusionResult) units.Quantity { return ir.Duration }), steps: []string{"duration_stretch"},
		limits: durationLimits, unit: units.Minute, role: noRole, verb: "runs for", perKg: noField},
	ofDoseRate: {name: "dose_rate", title: "dose rate", dims: amountDims(roleRate), want: "a dose rate (mg/h, mg/min, mcg/min or units/h)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DoseRate }, tol: func(t *Tolerances) *units.Quantity { return &t.DoseRate },
		expected: expectedDoseRate, steps: []string{"dose_rate"},
		limits: boundLimits("limits.dose_rate", func(l Limits) Bound { return l.DoseRate }), role: roleRate, verb: "gives",
		perKg: ofDoseRatePerKg, perKgRole: roleRatePerKg},
	ofDoseRatePerKg: {name: "dose_rate_per_kg", title: "dose rate per kg", dims: amountDims(roleRatePerKg), want: "a dose rate per kg (mg/kg/h, mcg/kg/min or units/kg/h)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DoseRatePerKg }, tol: func(t *Tolerances) *units.Quantity { return &t.DoseRatePerKg },
		expected: expectedDoseRatePerKg, steps: []string{"dose_rate_per_kg"},
		limits: boundLimits("limits.dose_rate_per_kg", func(l Limits) Bound { return l.DoseRatePerKg }), role: roleRatePerKg, verb: "gives", perKg: noField},
	ofDripRate: {name: "drip_rate", title: "drip rate", dims: dimsOf(units.DropsPerMin), want: "a drip rate (gtt/min)", defaultTol: 5,
		order: func(o *Order) *units.Quantity { return &o.DripRate }, tol: func(t *Tolerances) *units.Quantity { return &t.DripRate },
		expected: expectedDripRate, steps: []string{"drip_rate"}, role: noRole, verb: "gives", perKg: noField},
	ofDropFactor: {name: "drop_factor", title: "drop factor", dims: dimsOf(units.DropsPerML), want: "a drop factor (gtt/mL)", defaultTol: 0,
		order: func(o *Order) *units.Quantity { return &o.DropFactor }, tol: func(t *Tolerances) *units.Quantity { return &t.DropFactor },
		expected: part(dripPart, func(d *DripResult) units.Quantity { return d.DropFactor }), role: noRole, verb: "gives", perKg: noField},
	ofCount: {name: "count", title: "number of dose forms", dims: dimsOf(units.Device, units.Spray, units.Troche, units.Tablet),
		want: "a count of devices, sprays, troches or tablets", defaultTol: 0,
		order: func(o *Order) *units.Quantity { return &o.Count }, tol: func(t *Tolerances) *units.Quantity { return &t.Count },
		expected: part(formPart, func(f *FormResult) units.Quantity { return f.Count }), steps: []string{"form_count"}, limits: countLimits, role: noRole, verb: "gives", perKg: noField},
}

func dimsOf(us ...units.Unit) []units.Dimension {
	ds := make([]units.Dimension, len(us))
	for i, u := range us {
		ds[i] = u.Dimension()
	}
	return ds
}

// fieldByKey finds an order field by its JSON name.
func fieldByKey(key string) orderField {
	for f := range numOrderFields {
		if orderFields[f].name == key {
			return f
		}
	}
	return ofDose
}

// fieldReference is a value an ordered field is compared with.
type fieldReference struct {
	q    units.Quantity
	step string
	note string // why there is none, or where it comes from
	// alt is a second value the order may legitimately state (the
	// protocol's dose per kg before a cap; the intended rather than the
	// delivered dose rate), named by altWhat.
	alt     units.Quantity
	altWhat string
}

// expected returns the value of field f in the calculation r.
func (k *checker) expected(f orderField, r Result) fieldReference {
	d := f.desc()
	ref := d.expected(k, r)
	for _, id := range d.steps {
		if _, ok := r.Step(id); ok {
			ref.step = id
		}
	}
	return ref
}

// part returns the expected value read by get from a part of the result
// that may be absent (the preparation, the infusion, the dose form).
func part[T any](of func(Result) *T, get func(*T) units.Quantity) func(*checker, Result) fieldReference {
	return func(_ *checker, r Result) fieldReference {
		if p := of(r); p != nil {
			return fieldReference{q: get(p)}
		}
		return fieldReference{}
	}
}

func prepPart(r Result) *PrepResult         { return r.Preparation }
func infusionPart(r Result) *InfusionResult { return r.Infusion }
func formPart(r Result) *FormResult         { return r.Form }

func dripPart(r Result) *DripResult {
	if r.Infusion == nil {
		return nil
	}
	return r.Infusion.Drip
}

func expectedDose(_ *checker, r Result) fieldReference { return fieldReference{q: r.Dose} }

func expectedDosePerKg(k *checker, r Result) fieldReference {
	ref := fieldReference{q: r.DosePerKg}
	if !r.RequestedDose.Equal(r.Dose) && r.Weight.Value.IsValid() {
		ref.alt, ref.altWhat = k.divTo(r.RequestedDose, r.Weight.Value, k.amt.unit(rolePerKg)), "the protocol's dose per kg before caps and rounding"
	}
	return ref
}

// expectedDosePerDay is the day's total the protocol gives (doses per day ×
// the dose given), and, where rounding or a cap changed it, the day's dose
// the protocol asked for.
func expectedDosePerDay(k *checker, r Result) fieldReference {
	if !r.DosesPerDay.IsValid() {
		return fieldReference{}
	}
	ref := fieldReference{q: r.DosePerDay}
	if s, ok := r.Step("dose_per_day_given"); ok && s.Exact.IsValid() && !s.Exact.Equal(s.Value) {
		ref.alt, ref.altWhat = s.Exact, "the protocol's dose per day before caps and rounding"
	}
	return ref
}

func expectedDosePerKgPerDay(k *checker, r Result) fieldReference {
	if !r.DosesPerDay.IsValid() {
		return fieldReference{}
	}
	ref := fieldReference{q: r.DosePerKgPerDay}
	if s, ok := r.Step("dose_per_day_given"); ok && s.Exact.IsValid() && !s.Exact.Equal(s.Value) && r.Weight.Value.IsValid() {
		ref.alt, ref.altWhat = k.divTo(s.Exact, r.Weight.Value, k.amt.unit(rolePerKgPerDay)), "the protocol's dose per kg per day before caps and rounding"
	}
	return ref
}

func expectedDoseRate(_ *checker, r Result) fieldReference {
	ir := r.Infusion
	if ir == nil {
		return fieldReference{}
	}
	ref := fieldReference{q: ir.DoseRate}
	if !ir.IntendedDoseRate.Equal(ir.DoseRate) {
		ref.alt, ref.altWhat = ir.IntendedDoseRate, "the intended dose rate (dose ÷ duration)"
	}
	return ref
}

func expectedDoseRatePerKg(k *checker, r Result) fieldReference {
	ir := r.Infusion
	if ir == nil {
		return fieldReference{}
	}
	ref := fieldReference{q: ir.DoseRatePerKgH}
	if !ir.IntendedDoseRate.Equal(ir.DoseRate) {
		ref.alt, ref.altWhat = k.divTo(ir.IntendedDoseRate, r.Weight.Value, k.amt.unit(roleRatePerKg)), "the intended dose rate per kg (dose ÷ duration ÷ weight)"
	}
	return ref
}

func expectedDripRate(k *checker, r Result) fieldReference {
	ir := r.Infusion
	switch {
	case ir == nil:
		return fieldReference{}
	case ir.Drip != nil:
		return fieldReference{q: ir.Drip.Rate}
	case k.order.DropFactor.IsValid():
		// The protocol names no set: the drip rate is what the order's set
		// gives for the protocol's volume and duration.
		return fieldReference{q: k.conv(k.mulDiv(ir.VTBI, k.order.DropFactor, ir.Duration), units.DropsPerMin),
			note: "for the order's " + k.order.DropFactor.String() + " set (the protocol names no drop factor): volume × drop factor ÷ duration"}
	}
	return fieldReference{}
}

// orderLimit is one bound of the rule that applies to an order field.
type orderLimit struct {
	name string
	kind LimitKind
	q    units.Quantity
}

// limitsFor lists the rule's bounds on field f.
func (k *checker) limitsFor(f orderField) []orderLimit {
	if l := f.desc().limits; l != nil {
		return l(k)
	}
	return nil
}

// bound lists the four bounds of b, named after the rule's field, or none
// where b sets none.
func bound(name string, b Bound) []orderLimit {
	if !b.isSet() {
		return nil
	}
	return []orderLimit{{name + ".hard_min", HardMin, b.HardMin}, {name + ".soft_min", SoftMin, b.SoftMin},
		{name + ".soft_max", SoftMax, b.SoftMax}, {name + ".hard_max", HardMax, b.HardMax}}
}

func boundLimits(name string, get func(Limits) Bound) func(*checker) []orderLimit {
	return func(k *checker) []orderLimit { return bound(name, get(k.rule.Limits)) }
}

func doseLimits(k *checker) []orderLimit {
	r := k.rule
	ls := []orderLimit{{"cap", HardMax, r.Cap}}
	if r.CapPerKg.IsValid() {
		ls = append(ls, orderLimit{"cap_per_kg × dosing weight", HardMax, k.mul(r.CapPerKg, k.exp.Weight.Value)})
	}
	if r.CapPerDay.IsValid() && r.DosesPerDay > 0 {
		// Each dose may be at most the day's cap ÷ doses per day, cut down.
		day := k.conv(r.CapPerDay, k.amt.unit(rolePerDay))
		each, _ := day.Value().QuoRem(decimal.NewFromInt(int64(r.DosesPerDay)), units.Places)
		ls = append(ls, orderLimit{"cap_per_day ÷ doses_per_day", HardMax, units.New(each, k.amt.unit(roleDose))})
	}
	return append(ls, bound("limits.dose", r.Limits.Dose)...)
}

func dosePerDayLimits(k *checker) []orderLimit {
	return append([]orderLimit{{"cap_per_day", HardMax, k.rule.CapPerDay}}, bound("limits.dose_per_day", k.rule.Limits.DosePerDay)...)
}

func dosePerKgLimits(k *checker) []orderLimit {
	return append([]orderLimit{{"cap_per_kg", HardMax, k.rule.CapPerKg}}, bound("limits.dose_per_kg", k.rule.Limits.DosePerKg)...)
}

func pumpRateLimits(k *checker) []orderLimit {
	var ls []orderLimit
	if in := k.rule.Infusion; in != nil {
		ls = append(ls, orderLimit{"infusion.pump.min_rate", HardMin, in.Pump.MinRate}, orderLimit{"infusion.pump.max_rate", HardMax, in.Pump.MaxRate})
	}
	return append(ls, bound("limits.pump_rate", k.rule.Limits.PumpRate)...)
}

func durationLimits(k *checker) []orderLimit {
	var ls []orderLimit
	if in := k.rule.Infusion; in != nil {
		ls = append(ls, orderLimit{"infusion.pump.min_duration", HardMin, in.Pump.MinDuration})
	}
	return append(ls, bound("limits.duration", k.rule.Limits.Duration)...)
}

func countLimits(k *checker) []orderLimit {
	if fm := k.rule.Form; fm != nil {
		return []orderLimit{{"form.min_count", HardMin, fm.MinCount}, {"form.max_count", HardMax, fm.MaxCount}}
	}
	return nil
}
