package dosing

import (
	"strings"

	"github.com/doseplan/doseplan/units"
)

// ImpliedValue is what the order as written gives the patient, in the
// patient's terms: a value the order states, or one its stated values imply
// (volume drawn × stock concentration, pump rate × final concentration,
// number of devices × strength), checked against the rule's caps and hard
// and soft limits. A dose and a dose rate also carry their value per kg of
// the patient's dosing weight, checked against the per-kg limits.
type ImpliedValue struct {
	// Value names what it is a value of, as an Order field: "dose",
	// "dose_per_kg", "dose_rate", "dose_rate_per_kg", "final_concentration",
	// "final_volume", "pump_rate", "duration" or "count".
	Value string `json:"value"`
	// Gives is the value, in the protocol's unit; a value derived by a
	// division is kept at 20 decimal places (the digits beyond are the
	// trace of the division).
	Gives units.Quantity `json:"gives"`
	// PerKg is a dose (mg/kg) or a dose rate (mg/kg/h) per kg of the
	// patient's dosing weight.
	PerKg units.Quantity `json:"per_kg,omitzero"`
	// From lists each way the order gives this value; the verdict names
	// the first.
	From []Derivation `json:"from"`
	// Limits are the caps and limits that Gives or PerKg crosses (each
	// crossing's Value says which): on each side the hard ones, or the
	// soft ones where no hard one is crossed.
	Limits []LimitCrossing `json:"limits,omitempty"`
	// NoLimit is set when the rule has no cap or limit on this value, nor
	// on its value per kg: nothing was checked, which is not the same as
	// "within the limits".
	NoLimit bool `json:"no_limit,omitempty"`
}

// beyond reports whether the value crosses a hard limit or a cap.
func (v ImpliedValue) beyond() bool {
	for _, l := range v.Limits {
		if l.Kind == HardMax || l.Kind == HardMin {
			return true
		}
	}
	return false
}

// Derivation is one way an order gives a value: as stated, or by a formula
// of its stated values and, where the order cannot state them, the
// protocol's and the patient's (the strength of a dose form, the dosing
// weight).
type Derivation struct {
	ID      string `json:"id"`      // "dose_from_draw", or the field for a value as stated
	Formula string `json:"formula"` // "volume drawn × stock concentration"; "as stated"
	Inputs  []Term `json:"inputs"`  // each with its source: "order", "protocol", "patient"
}

// impliedSource is an input of an implication: a field of the order (an
// orderField), or a value the order cannot state, taken from the protocol
// or the patient.
type impliedSource uint8

const (
	// srcWeight is the order's weight, or the patient's dosing weight
	// where the order states none.
	srcWeight impliedSource = iota + impliedSource(numOrderFields)
	// srcStrength is the strength of the protocol's dose form.
	srcStrength
	// srcDuration is the order's duration, or the protocol's where the
	// order states neither a duration nor a pump rate (a pump rate sets its
	// own run time).
	srcDuration
	// srcProtocolConc and srcProtocolVolume are the final concentration
	// and the volume to infuse of the protocol's own preparation, for an
	// order that states nothing of its preparation (no dose, dose per kg,
	// stock, volume, concentration or count): the bag it runs is the
	// protocol's.
	srcProtocolConc
	srcProtocolVolume
	// srcDosesPerDay is the protocol's doses per day, as a quantity per day
	// ("3 /day"), for a protocol that has them.
	srcDosesPerDay
)

// implication is one way an order gives a value: the product of its
// inputs, divided by the last one where div is set.
type implication struct {
	id     string
	value  orderField
	inputs []impliedSource
	div    bool
	// noDose: only for an order that does not state its dose (by a dose,
	// a dose per kg, a draw with its stock, a final volume with its
	// concentration, a count). A rate over a duration gives the dose only
	// then: where the order states what the bag holds, the pump cannot give
	// more, and the rate is checked as a rate and against the dose by the
	// order's relations.
	noDose bool
	// unless: not where the order states this field: a volume pumped or a
	// run time where it states the bag's volume or the duration (the same
	// reasoning), and the arithmetic of a dose per kg × weight where it
	// states the dose that arithmetic gave (a capped order is written "1
	// mg/kg, 100 mg"); what is drawn, hung or counted always counts.
	unless orderField
	// wholeVolume marks implications that do not hold with a loading dose
	// (the maintenance rate runs only part of the bag).
	wholeVolume bool
}

// implications is a read-only table of what an order can give, each value
// first as stated. It is a table so that a new kind of order is a new row,
// every row checked against the same limits.
var implications = func() []implication {
	row := func(id string, v orderField, div bool, in ...impliedSource) implication {
		return implication{id: id, value: v, inputs: in, div: div, unless: noField}
	}
	f := func(o orderField) impliedSource { return impliedSource(o) }
	noDose := func(i implication) implication { i.noDose, i.wholeVolume = true, true; return i }
	unless := func(o orderField, i implication) implication { i.unless = o; return i }
	whole := func(i implication) implication { i.wholeVolume = true; return i }
	return []implication{
		row("dose", ofDose, false, f(ofDose)),
		row("dose_from_draw", ofDose, false, f(ofDrawVolume), f(ofStock)),
		row("dose_from_final", ofDose, false, f(ofFinalVolume), f(ofFinalConc)),
		unless(ofDose, row("dose_from_per_kg", ofDose, false, f(ofDosePerKg), srcWeight)),
		row("dose_from_count", ofDose, false, f(ofCount), srcStrength),
		noDose(row("dose_from_pump", ofDose, false, f(ofPumpRate), f(ofDuration), f(ofFinalConc))),
		noDose(row("dose_from_dose_rate", ofDose, false, f(ofDoseRate), srcDuration)),
		noDose(row("dose_from_dose_rate_per_kg", ofDose, false, f(ofDoseRatePerKg), srcWeight, srcDuration)),
		row("dose_per_kg", ofDosePerKg, false, f(ofDosePerKg)),
		unless(ofDose, row("dose_from_dose_per_day", ofDose, true, f(ofDosePerDay), srcDosesPerDay)),
		row("dose_per_day", ofDosePerDay, false, f(ofDosePerDay)),
		unless(ofDosePerDay, row("dose_per_day_from_dose", ofDosePerDay, false, f(ofDose), srcDosesPerDay)),
		unless(ofDosePerDay, row("dose_per_day_from_per_kg", ofDosePerDay, false, f(ofDosePerKgPerDay), srcWeight)),
		row("dose_per_kg_per_day", ofDosePerKgPerDay, false, f(ofDosePerKgPerDay)),
		row("dose_rate", ofDoseRate, false, f(ofDoseRate)),
		row("dose_rate_from_pump", ofDoseRate, false, f(ofPumpRate), f(ofFinalConc)),
		row("dose_rate_from_pump_draw", ofDoseRate, true, f(ofPumpRate), f(ofDrawVolume), f(ofStock), f(ofFinalVolume)),
		row("dose_rate_from_pump_dose", ofDoseRate, true, f(ofPumpRate), f(ofDose), f(ofFinalVolume)),
		row("dose_rate_from_pump_protocol", ofDoseRate, false, f(ofPumpRate), srcProtocolConc),
		unless(ofDoseRate, row("dose_rate_from_per_kg", ofDoseRate, false, f(ofDoseRatePerKg), srcWeight)),
		whole(row("dose_rate_from_dose", ofDoseRate, true, f(ofDose), srcDuration)),
		whole(row("dose_rate_from_draw", ofDoseRate, true, f(ofDrawVolume), f(ofStock), srcDuration)),
		row("dose_rate_per_kg", ofDoseRatePerKg, false, f(ofDoseRatePerKg)),
		row("final_concentration", ofFinalConc, false, f(ofFinalConc)),
		row("final_concentration_from_draw", ofFinalConc, true, f(ofDrawVolume), f(ofStock), f(ofFinalVolume)),
		row("final_concentration_from_dose", ofFinalConc, true, f(ofDose), f(ofFinalVolume)),
		row("final_volume", ofFinalVolume, false, f(ofFinalVolume)),
		whole(unless(ofFinalVolume, row("final_volume_from_pump", ofFinalVolume, false, f(ofPumpRate), f(ofDuration)))),
		row("pump_rate", ofPumpRate, false, f(ofPumpRate)),
		row("duration", ofDuration, false, f(ofDuration)),
		whole(unless(ofDuration, row("duration_from_pump", ofDuration, true, f(ofFinalVolume), f(ofPumpRate)))),
		unless(ofDuration, row("duration_from_pump_protocol", ofDuration, true, srcProtocolVolume, f(ofPumpRate))),
		row("count", ofCount, false, f(ofCount)),
	}
}()

// protocolUnit is the unit the protocol states values of q's dimension in:
// its dose's, where that is of the same dimension (a protocol in mcg/kg/min
// is answered in mcg/kg/min), else def.
func (k *checker) protocolUnit(q units.Quantity, def units.Unit) units.Unit {
	if d := k.rule.Dose; d.IsValid() && d.Dimension() == q.Dimension() {
		return d.Unit()
	}
	if !def.IsValid() {
		return q.Unit()
	}
	return def
}

// settle keeps a derived value at exactPlaces decimal places: beyond them
// its digits are the trace of a division kept at units.Places, and a limit
// is not crossed by a trace.
func settle(q units.Quantity) units.Quantity {
	if !q.IsValid() || q.Exponent() >= -exactPlaces {
		return q
	}
	return q.Round(exactPlaces)
}

// source returns an implication's input: its value, its name in a formula,
// and where it comes from; ok is false where it is not available.
func (k *checker) source(s impliedSource) (Term, bool) {
	o := &k.order
	if s < impliedSource(numOrderFields) {
		f := orderField(s)
		q := *f.of(o)
		return term(orderFields[f].title, q, "order"), q.IsValid()
	}
	exp := k.exp
	switch s {
	case srcWeight:
		if o.Weight.IsValid() {
			return term("weight", o.Weight, "order"), true
		}
		return term("dosing weight", exp.Weight.Value, "patient"), exp.Weight.Value.IsValid()
	case srcStrength:
		if f := k.rule.Form; f != nil {
			return term("strength", f.Strength, "protocol"), true
		}
	case srcDuration:
		if o.Duration.IsValid() {
			return term("duration", o.Duration, "order"), true
		}
		if ir := exp.Infusion; ir != nil && !o.PumpRate.IsValid() {
			d := ir.Duration
			if in := k.rule.Infusion; in != nil && k.cmp(in.Duration, d) == 0 {
				d = in.Duration // as the protocol writes it: 4 h, not 240 min
			}
			return term("the protocol's duration", d, "protocol"), true
		}
	case srcProtocolConc:
		if pr := exp.Preparation; pr != nil && pr.FinalConc.IsValid() && !o.statesPreparation() {
			return term("the protocol's final concentration", pr.FinalConc, "protocol"), true
		}
	case srcProtocolVolume:
		if ir := exp.Infusion; ir != nil && !o.statesPreparation() {
			return term("the protocol's volume", ir.VTBI, "protocol"), true
		}
	case srcDosesPerDay:
		if n := k.rule.DosesPerDay; n > 0 {
			return term("the protocol's doses per day", units.NewInt(int64(n), units.TimesPerDay), "protocol"), true
		}
	}
	return Term{}, false
}

// implied evaluates every implication the order's values allow and
// checks each value against the rule's limits. Values that come out equal
// are one ImpliedValue with each derivation in From. An implication whose
// arithmetic fails (a product beyond what a quantity holds) is left out
// with a note.
func (k *checker) implied() ([]ImpliedValue, []string) {
	out := []ImpliedValue{} // always a list in JSON, empty for a stock alone
	var notes []string
	loading := k.rule.Infusion != nil && k.rule.Infusion.Loading != nil
	statesDose := k.order.statesDose()
	for _, im := range implications {
		if im.noDose && statesDose || im.wholeVolume && loading || im.unless < numOrderFields && im.unless.of(&k.order).IsValid() {
			continue
		}
		d := Derivation{ID: im.id, Inputs: make([]Term, 0, len(im.inputs))}
		names := make([]string, 0, len(im.inputs))
		vals := make([]units.Quantity, 0, 4) // on the stack: four inputs at most, so far
		ok := true
		for _, s := range im.inputs {
			t, have := k.source(s)
			if !have {
				ok = false
				break
			}
			d.Inputs = append(d.Inputs, t)
			names = append(names, t.Name)
			vals = append(vals, t.Value)
		}
		if !ok {
			continue
		}
		q, err := formulaValue(vals, im.div)
		if err == nil {
			q, err = q.Convert(k.protocolUnit(q, k.unitOf(im.value.desc())))
		}
		if err != nil {
			notes = append(notes, "what the order gives by "+im.id+" could not be computed: "+err.Error())
			continue
		}
		q = settle(q)
		switch {
		case len(names) == 1:
			d.Formula = "as stated"
		case im.div:
			d.Formula = strings.Join(names[:len(names)-1], " × ") + " ÷ " + names[len(names)-1]
		default:
			d.Formula = strings.Join(names, " × ")
		}
		merged := false
		for i := range out {
			if out[i].Value == orderFields[im.value].name && out[i].Gives.Dimension() == q.Dimension() && k.cmp(out[i].Gives, q) == 0 {
				out[i].From = append(out[i].From, d)
				merged = true
				break
			}
		}
		if merged {
			continue
		}
		v := ImpliedValue{Value: orderFields[im.value].name, Gives: q, From: []Derivation{d}}
		v.Limits = k.crossings(im.value, q)
		limited := k.hasLimit(im.value, q)
		if d := im.value.desc(); d.perKg != noField && k.exp.Weight.Value.IsValid() {
			u := k.amt.unit(d.perKgRole)
			if pk, err := q.DivTo(k.exp.Weight.Value, k.protocolUnit(units.NewInt(1, u), u)); err == nil {
				v.PerKg = settle(pk)
				v.Limits = append(v.Limits, k.crossings(d.perKg, v.PerKg)...)
				limited = limited || k.hasLimit(d.perKg, v.PerKg)
			}
		}
		v.NoLimit = !limited
		out = append(out, v)
	}
	return out, notes
}

// hasLimit reports whether the rule sets any cap or limit on field f that
// a value such as q can be compared with.
func (k *checker) hasLimit(f orderField, q units.Quantity) bool {
	for _, l := range k.limitsFor(f) {
		if l.q.IsValid() && l.q.Dimension() == q.Dimension() {
			return true
		}
	}
	return false
}

// crossings returns every cap and limit of the rule on field f that q
// crosses: on each side the hard ones, or the soft ones where no hard one
// is. A dose's cap per kg is left to its value per kg.
func (k *checker) crossings(f orderField, q units.Quantity) []LimitCrossing {
	var hard, soft [2][]LimitCrossing // [0] below, [1] above
	for _, l := range k.limitsFor(f) {
		if !l.q.IsValid() || l.q.Dimension() != q.Dimension() || f == ofDose && l.name == "cap_per_kg × dosing weight" {
			continue
		}
		c := k.cmp(q, l.q)
		side := -1
		switch {
		case (l.kind == HardMax || l.kind == SoftMax) && c > 0:
			side = 1
		case (l.kind == HardMin || l.kind == SoftMin) && c < 0:
			side = 0
		}
		if side < 0 {
			continue
		}
		x := LimitCrossing{Limit: l.name, Kind: l.kind, Bound: l.q, Value: q}
		if l.kind == HardMax || l.kind == HardMin {
			hard[side] = append(hard[side], x)
		} else {
			soft[side] = append(soft[side], x)
		}
	}
	var out []LimitCrossing
	for side := range 2 {
		xs := soft[side]
		if len(hard[side]) > 0 {
			xs = hard[side]
		}
		// The limits first, then the caps (a cap clamps the protocol's own
		// dose; an order past it is past a hard maximum all the same).
		for _, caps := range []bool{false, true} {
			for _, x := range xs {
				if strings.HasPrefix(x.Limit, "cap") == caps {
					out = append(out, x)
				}
			}
		}
	}
	return out
}
