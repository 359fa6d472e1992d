package schedule

import (
	"fmt"

	"github.com/doseplan/doseplan/units"
)

// VitalGates are a protocol's pre-session vital-sign thresholds, at two
// levels: Hold (do not proceed) and Warn (proceed with a clinician's look).
// Every threshold is optional and comes from the protocol; the package has
// no numbers of its own. In a protocol file:
//
//	vitals:
//	  warn: {systolic_above: 140 mmHg, diastolic_above: 90 mmHg}
//	  hold: {systolic_above: 180 mmHg, diastolic_above: 100 mmHg, heart_rate_above: 110 /min}
type VitalGates struct {
	Warn Thresholds `json:"warn,omitzero"`
	Hold Thresholds `json:"hold,omitzero"`
}

// Thresholds are the limits of one level. A reading strictly above an
// "above" limit, or strictly below a "below" limit, meets the gate: with
// systolic_above 180 mmHg, 180 mmHg passes and 181 mmHg does not. Blood
// pressures are in mmHg, the heart rate in /min, SpO2 in %.
type Thresholds struct {
	SystolicAbove  units.Quantity `json:"systolic_above,omitzero"`
	SystolicBelow  units.Quantity `json:"systolic_below,omitzero"`
	DiastolicAbove units.Quantity `json:"diastolic_above,omitzero"`
	DiastolicBelow units.Quantity `json:"diastolic_below,omitzero"`
	HeartRateAbove units.Quantity `json:"heart_rate_above,omitzero"`
	HeartRateBelow units.Quantity `json:"heart_rate_below,omitzero"`
	SpO2Above      units.Quantity `json:"spo2_above,omitzero"`
	SpO2Below      units.Quantity `json:"spo2_below,omitzero"`
}

// Vitals are the readings taken before a session. A reading that is not
// given (the zero Quantity) is "not measured".
type Vitals struct {
	Systolic  units.Quantity `json:"systolic,omitzero"`   // mmHg
	Diastolic units.Quantity `json:"diastolic,omitzero"`  // mmHg
	HeartRate units.Quantity `json:"heart_rate,omitzero"` // /min
	SpO2      units.Quantity `json:"spo2,omitzero"`       // %
}

// Decision is the outcome of a vital-sign check, in increasing order of
// concern.
type Decision uint8

// The decisions.
const (
	Proceed Decision = iota // no gate met
	Warn                    // a warn gate met: a clinician looks before proceeding
	Hold                    // a hold gate met, or a reading it needs is missing
)

// String returns "proceed", "warn" or "hold".
func (d Decision) String() string {
	switch d {
	case Proceed:
		return "proceed"
	case Warn:
		return "warn"
	case Hold:
		return "hold"
	}
	return fmt.Sprintf("invalid decision %d", int(d))
}

// MarshalText implements encoding.TextMarshaler.
func (d Decision) MarshalText() ([]byte, error) {
	if d > Hold {
		return nil, &FieldError{Field: "decision", Value: fmt.Sprint(int(d)), Msg: "is not a decision (must be proceed, warn or hold)", Err: ErrRange}
	}
	return []byte(d.String()), nil
}

// VitalsCheck is the result of VitalGates.Check: the decision and every
// gate that led to it.
type VitalsCheck struct {
	Decision Decision        `json:"decision"`
	Findings []VitalsFinding `json:"findings,omitempty"` // hold findings first, then warn, in the order of Thresholds' fields
}

// VitalsFinding is one gate met, or one reading missing that a gate needs.
type VitalsFinding struct {
	Level   Decision       `json:"level"`            // Warn or Hold
	Gate    string         `json:"gate"`             // the threshold's field: "hold.systolic_above"
	Reading units.Quantity `json:"reading,omitzero"` // the zero Quantity when not measured
	Limit   units.Quantity `json:"limit"`
	Detail  string         `json:"detail"` // "systolic 182 mmHg is above the hold limit 180 mmHg"
}

// reading is one vital sign of a Vitals: its name in messages, its field,
// its unit and its value.
type reading struct {
	name  string // "heart rate"
	field string // "heart_rate"
	unit  units.Unit
	q     units.Quantity
}

func (v Vitals) readings() [4]reading {
	return [4]reading{
		{"systolic", "systolic", units.MmHg, v.Systolic},
		{"diastolic", "diastolic", units.MmHg, v.Diastolic},
		{"heart rate", "heart_rate", units.PerMinute, v.HeartRate},
		{"SpO2", "spo2", units.Percent, v.SpO2},
	}
}

// gate is one threshold of one level.
type gate struct {
	field string // "systolic_above"
	vital int    // index in Vitals.readings
	above bool
	limit units.Quantity
}

func (t Thresholds) gates() [8]gate {
	return [8]gate{
		{"systolic_above", 0, true, t.SystolicAbove},
		{"systolic_below", 0, false, t.SystolicBelow},
		{"diastolic_above", 1, true, t.DiastolicAbove},
		{"diastolic_below", 1, false, t.DiastolicBelow},
		{"heart_rate_above", 2, true, t.HeartRateAbove},
		{"heart_rate_below", 2, false, t.HeartRateBelow},
		{"spo2_above", 3, true, t.SpO2Above},
		{"spo2_below", 3, false, t.SpO2Below},
	}
}

// level is one level of gates with its decision.
type level struct {
	name     string
	decision Decision
	t        Thresholds
}

func (g VitalGates) levels() [2]level {
	return [2]level{{"hold", Hold, g.Hold}, {"warn", Warn, g.Warn}}
}

// validate reports every threshold that is not a non-negative quantity of
// its vital's unit (SpO2 at most 100 %), with paths such as
// "vitals.hold.spo2_below".
func (g VitalGates) validate() error {
	var el errs
	kinds := Vitals{}.readings()
	for _, lv := range g.levels() {
		for _, gt := range lv.t.gates() {
			if !gt.limit.IsValid() {
				continue
			}
			field, v := "vitals."+lv.name+"."+gt.field, kinds[gt.vital]
			switch c, err := gt.limit.Cmp(units.NewInt(0, v.unit)); {
			case err != nil:
				el.add(field, gt.limit.String(), err, "is not in "+v.unit.String()+" (the unit of "+v.name+")")
			case c < 0:
				el.add(field, gt.limit.String(), ErrRange, "is negative (must be 0 "+v.unit.String()+" or more)")
			}
			if c, err := gt.limit.Cmp(units.NewInt(100, units.Percent)); err == nil && c > 0 {
				el.add(field, gt.limit.String(), ErrRange, "is above 100 % (must be 0 % to 100 %)")
			}
		}
	}
	return el.join()
}

// Check compares the readings with the gates and decides: Hold if any hold
// gate is met, else Warn if any warn gate is met, else Proceed. A gate whose
// reading is missing counts as met at its level: a check the protocol asks
// for cannot pass unmeasured. Invalid gates, a reading of the wrong
// dimension (an SpO2 in mmHg) or one that cannot be a reading (a blood
// pressure of 400/20 mmHg, an SpO2 of 140 %) are
// errors, never a decision.
func (g VitalGates) Check(r Vitals) (VitalsCheck, error) {
	if err := g.validate(); err != nil {
		return VitalsCheck{}, err
	}
	if err := r.validate("readings"); err != nil {
		return VitalsCheck{}, err // an impossible reading is an input error, never a decision
	}
	rs := r.readings()

	var res VitalsCheck
	var metField [8]bool // a gate met at hold is not repeated at warn
	var missing [4]bool  // a missing reading is reported once, at the highest level
	for _, lv := range g.levels() {
		for i, gt := range lv.t.gates() {
			v := rs[gt.vital]
			if !gt.limit.IsValid() || metField[i] {
				continue
			}
			f := VitalsFinding{Level: lv.decision, Gate: lv.name + "." + gt.field, Reading: v.q, Limit: gt.limit}
			if !v.q.IsValid() {
				if missing[gt.vital] {
					continue
				}
				missing[gt.vital] = true
				f.Detail = fmt.Sprintf("%s not measured; the %s gate %s %s needs it", v.name, lv.name, gt.field, gt.limit)
			} else {
				c, _ := v.q.Cmp(gt.limit) // dimensions checked above
				if gt.above && c <= 0 || !gt.above && c >= 0 {
					continue
				}
				dir := "above"
				if !gt.above {
					dir = "below"
				}
				f.Detail = fmt.Sprintf("%s %s is %s the %s limit %s", v.name, v.q, dir, lv.name, gt.limit)
			}
			metField[i] = true
			res.Findings = append(res.Findings, f)
			res.Decision = max(res.Decision, lv.decision)
		}
	}
	return res, nil
}
