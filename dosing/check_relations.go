package dosing

import (
	"strings"

	"github.com/doseplan/doseplan/units"
)

// ConsistencyCheck tests one relation between values of the order itself,
// whatever the protocol says: the stated value against the value derived
// from the others.
type ConsistencyCheck struct {
	ID       string         `json:"id"`       // "dose_from_draw"
	Relation string         `json:"relation"` // "dose = volume drawn × stock concentration"
	Fields   []string       `json:"fields"`   // the order fields involved, stated first
	Stated   units.Quantity `json:"stated"`
	Derived  units.Quantity `json:"derived"` // in the stated unit
	// Deviation is read from the order's side: Derived − Stated, what the
	// order's other values give beyond the value it states; DeviationPct
	// is the same in % of Stated.
	Deviation    units.Quantity `json:"deviation"`
	DeviationPct units.Quantity `json:"deviation_pct"`
	Tolerance    units.Quantity `json:"tolerance"`
	Verdict      Verdict        `json:"verdict"`
	Causes       []Cause        `json:"causes,omitempty"`
}

// orderRelation is a relation between values of an order.
type orderRelation struct {
	id      string
	formula string
	stated  orderField
	inputs  []orderField
	// unless names fields whose presence makes the relation redundant
	// (another relation covers it).
	unless []orderField
	// wholeVolume marks relations that do not hold with a loading dose.
	wholeVolume bool
	// div: the stated value is the product of the inputs divided by the
	// last, as for an implication (formulaValue).
	div bool
}

// orderRelations is a read-only table of the relations Check tests.
var orderRelations = []orderRelation{
	{"dose_from_draw", "dose = volume drawn × stock concentration", ofDose, []orderField{ofDrawVolume, ofStock}, nil, false, false},
	{"dose_from_final", "dose = final volume × final concentration", ofDose, []orderField{ofFinalVolume, ofFinalConc}, nil, false, false},
	{"dose_from_per_kg", "dose = dose per kg × weight", ofDose, []orderField{ofDosePerKg, ofWeight}, nil, false, false},
	{"concentration_from_draw", "final concentration = volume drawn × stock concentration ÷ final volume", ofFinalConc, []orderField{ofDrawVolume, ofStock, ofFinalVolume}, []orderField{ofDose}, false, true},
	{"volume_from_rate", "final volume = pump rate × duration", ofFinalVolume, []orderField{ofPumpRate, ofDuration}, nil, true, false},
	{"dose_rate_from_pump", "dose rate = pump rate × final concentration", ofDoseRate, []orderField{ofPumpRate, ofFinalConc}, nil, false, false},
	{"dose_rate_from_dose", "dose rate = dose ÷ duration", ofDoseRate, []orderField{ofDose, ofDuration}, nil, true, true},
	{"dose_rate_per_kg_from_rate", "dose rate per kg = dose rate ÷ weight", ofDoseRatePerKg, []orderField{ofDoseRate, ofWeight}, nil, false, true},
	{"dose_rate_per_kg_from_pump", "dose rate per kg = pump rate × final concentration ÷ weight", ofDoseRatePerKg, []orderField{ofPumpRate, ofFinalConc, ofWeight}, []orderField{ofDoseRate}, false, true},
	{"drip_from_pump", "drip rate = pump rate × drop factor", ofDripRate, []orderField{ofPumpRate, ofDropFactor}, nil, false, false},
	{"drip_from_volume", "drip rate = final volume × drop factor ÷ duration", ofDripRate, []orderField{ofFinalVolume, ofDropFactor, ofDuration}, []orderField{ofPumpRate}, true, true},
}

// relate tests one relation of the order, if the order states all of its
// values.
func (k *checker) relate(rel orderRelation) (ConsistencyCheck, bool) {
	o := &k.order
	stated := *rel.stated.of(o)
	if !stated.IsValid() {
		return ConsistencyCheck{}, false
	}
	var in [3]units.Quantity
	for i, f := range rel.inputs {
		if in[i] = *f.of(o); !in[i].IsValid() {
			return ConsistencyCheck{}, false
		}
	}
	for _, f := range rel.unless {
		if f.of(o).IsValid() {
			return ConsistencyCheck{}, false
		}
	}
	if rel.wholeVolume && k.rule.Infusion != nil && k.rule.Infusion.Loading != nil {
		return ConsistencyCheck{}, false
	}
	derived, err := formulaValue(in[:len(rel.inputs)], rel.div)
	if k.fail(err); k.err != nil {
		return ConsistencyCheck{}, false
	}
	tol := *rel.stated.tolOf(&k.tol)
	c := ConsistencyCheck{ID: rel.id, Relation: rel.formula, Stated: stated, Tolerance: tol, Verdict: Match}
	c.Fields = make([]string, 0, 1+len(rel.inputs))
	c.Fields = append(c.Fields, rel.stated.String())
	for _, f := range rel.inputs {
		c.Fields = append(c.Fields, f.String())
	}
	c.Derived = k.conv(derived, stated.Unit())
	// From the order's side: what its other values give against what it
	// states, in % of the stated value.
	var within bool
	c.Deviation, c.DeviationPct, within = k.deviation(c.Derived, stated, stated, tol)
	if !within {
		c.Verdict = Mismatch
		_, rhs, _ := strings.Cut(rel.formula, " = ")
		c.Causes = k.factorCauses(c.Derived, stated, k.causeTolerance(tol), rhs+" gives ", "the stated "+orderFields[rel.stated].title)
	}
	return c, true
}

// formulaValue is the product of the inputs, divided by the last where
// div is set: every product exact, one division at the end. With a
// division the first input multiplies last (a × (b × c) ÷ d, through
// MulDiv), so that a pump rate times a dose over a volume never needs a
// unit for mL/h × mg. The order's relations and its implications compute
// their formulas with it.
func formulaValue(in []units.Quantity, div bool) (units.Quantity, error) {
	mul := func(qs []units.Quantity) (units.Quantity, error) {
		q := qs[0]
		for _, x := range qs[1:] {
			var err error
			if q, err = q.Mul(x); err != nil {
				return units.Quantity{}, err
			}
		}
		return q, nil
	}
	n := len(in)
	switch {
	case !div:
		return mul(in)
	case n == 2:
		return in[0].Div(in[1])
	}
	m, err := mul(in[1 : n-1])
	if err != nil {
		return units.Quantity{}, err
	}
	return in[0].MulDiv(m, in[n-1])
}
