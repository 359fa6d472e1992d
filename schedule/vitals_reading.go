package schedule

import (
	"strings"

	"github.com/doseplan/doseplan/units"
)

// The range a reading must be in to be a reading at all. These are not
// clinical thresholds (those are the protocol's gates, and doseplan has
// none): they are the library's guard against impossible input, like the
// patient's hard weight and height bounds. Outside them the number is a
// slip of the keyboard or a probe that fell off (a blood pressure of
// 400/20 mmHg, an SpO2 of 140 %), and no gate should be asked about it:
// the reading is refused, to be taken again.
//
//	systolic    50 to 300 mmHg
//	diastolic   30 to 200 mmHg, and below the systolic
//	heart rate  20 to 300 /min
//	SpO2        more than 0 %, at most 100 %
func readingBounds() [4]struct{ lo, hi units.Quantity } {
	return [4]struct{ lo, hi units.Quantity }{
		{units.NewInt(50, units.MmHg), units.NewInt(300, units.MmHg)},
		{units.NewInt(30, units.MmHg), units.NewInt(200, units.MmHg)},
		{units.NewInt(20, units.PerMinute), units.NewInt(300, units.PerMinute)},
		{units.NewInt(0, units.Percent), units.NewInt(100, units.Percent)}, // lo is exclusive
	}
}

// validate reports every reading that cannot be one: of the wrong unit (an
// SpO2 in mmHg), outside the physiological range above, or a diastolic
// pressure not below the systolic, with paths under prefix
// ("readings.systolic"). VitalGates.Check, CheckVitals and ParseVitals
// validate the readings first: an impossible reading is an input error,
// never a gate decision.
func (v Vitals) validate(prefix string) error {
	var el errs
	bounds := readingBounds()
	rs := v.readings()
	for i, r := range rs {
		if !r.q.IsValid() {
			continue
		}
		field := prefix + "." + r.field
		lo, hi := bounds[i].lo, bounds[i].hi
		cl, err := r.q.Cmp(lo)
		if err != nil {
			el.add(field, r.q.String(), err, "is not in "+r.unit.String()+" (the unit of "+r.name+")")
			continue
		}
		ch, _ := r.q.Cmp(hi)
		below := cl < 0 || i == 3 && cl == 0
		if below || ch > 0 {
			rng := lo.String() + " to " + hi.String()
			if i == 3 {
				rng = "more than " + lo.String() + ", at most " + hi.String()
			}
			el.add(field, r.q.String(), ErrRange, "is not a possible reading of "+r.name+" ("+rng+"): take it again")
		}
	}
	if s, d := v.Systolic, v.Diastolic; s.IsValid() && d.IsValid() {
		if c, err := d.Cmp(s); err == nil && c >= 0 {
			el.add(prefix+".diastolic", d.String(), ErrConflict, "is not below the systolic "+s.String()+" (were the two swapped?)")
		}
	}
	return el.join()
}

// ParseVitals reads readings as a nurse types them:
//
//	bp=150/95 hr=88 spo2=97
//
// Pairs are separated by spaces or commas. The keys are bp (systolic and
// diastolic, "150/95"), systolic, diastolic, hr (or heart_rate) and spo2.
// Each key names its vital, and each vital has one unit (mmHg, /min, %), so
// a bare number is read in it; a unit may be written ("spo2=97%",
// "hr=88/min", "bp=150/95mmHg") and must then be that one. The readings are
// validated (Vitals.Validate): every problem is reported at once, each a
// *FieldError with the path of the reading ("readings.spo2").
func ParseVitals(s string) (Vitals, error) {
	var v Vitals
	var el errs
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' })
	if len(fields) == 0 {
		return Vitals{}, &FieldError{Field: "readings", Value: s, Msg: "has no reading (write e.g. bp=150/95 hr=88 spo2=97)", Err: ErrMissing}
	}
	set := [4]bool{}
	put := func(i int, key, text string) {
		r := v.readings()[i]
		field := "readings." + r.field
		if set[i] {
			el.add(field, key+"="+text, ErrConflict, "is given twice")
			return
		}
		set[i] = true
		q, ok := readingValue(text, r.unit)
		if !ok {
			el.add(field, key+"="+text, ErrSyntax, "is not a number in "+r.unit.String()+" (write e.g. "+exampleReading(i)+")")
			return
		}
		switch i {
		case 0:
			v.Systolic = q
		case 1:
			v.Diastolic = q
		case 2:
			v.HeartRate = q
		case 3:
			v.SpO2 = q
		}
	}
	for _, f := range fields {
		key, val, ok := strings.Cut(f, "=")
		key = strings.ToLower(key)
		if !ok || val == "" {
			el.add("readings", f, ErrSyntax, "is not KEY=VALUE (write e.g. bp=150/95 hr=88 spo2=97)")
			continue
		}
		switch key {
		case "bp":
			text := strings.TrimSpace(strings.TrimSuffix(val, "mmHg"))
			sys, dia, ok := strings.Cut(text, "/")
			if !ok {
				el.add("readings.systolic", f, ErrSyntax, "is not a blood pressure SYSTOLIC/DIASTOLIC (write e.g. bp=150/95)")
				continue
			}
			put(0, key, sys)
			put(1, key, dia)
		case "systolic", "sbp":
			put(0, key, val)
		case "diastolic", "dbp":
			put(1, key, val)
		case "hr", "heart_rate", "pulse":
			put(2, key, val)
		case "spo2":
			put(3, key, val)
		default:
			el.add("readings", f, ErrSyntax, "is not a reading doseplan knows (keys: bp, systolic, diastolic, hr, spo2)")
		}
	}
	if err := el.join(); err != nil {
		return Vitals{}, err
	}
	if err := v.validate("readings"); err != nil {
		return Vitals{}, err
	}
	return v, nil
}

// readingValue reads a plain number in unit u, or a quantity written with a
// unit of u's dimension.
func readingValue(s string, u units.Unit) (units.Quantity, bool) {
	s = strings.TrimSpace(s)
	if plainDecimal(s) && !strings.HasPrefix(s, "-") {
		s += " " + u.String()
	}
	q, err := units.Parse(s)
	if err != nil || q.Dimension() != u.Dimension() || q.Unit() != u {
		return units.Quantity{}, false
	}
	return q, true
}

func exampleReading(i int) string {
	return [4]string{"bp=150/95", "bp=150/95", "hr=88", "spo2=97"}[i]
}

// GateReading is one gate of a protocol with the reading it looks at: what
// a clinician reads to see each reading against its bound.
type GateReading struct {
	Level   Decision       `json:"level"`            // Warn or Hold
	Gate    string         `json:"gate"`             // the threshold's field: "hold.systolic_above"
	Vital   string         `json:"vital"`            // the reading's field: "systolic"
	Reading units.Quantity `json:"reading,omitzero"` // the zero Quantity when not measured
	Limit   units.Quantity `json:"limit"`
	Met     bool           `json:"met"`    // the gate is met (or its reading is missing)
	Detail  string         `json:"detail"` // "systolic 150 mmHg is not above the hold limit 180 mmHg"
}

// Readings lists every gate the protocol sets, hold gates first, in the
// order of Thresholds' fields, each with its reading and whether it is met:
// the decision of Check, shown bound by bound. Impossible readings and
// invalid gates are errors, as for Check.
func (g VitalGates) Readings(r Vitals) ([]GateReading, error) {
	if err := g.validate(); err != nil {
		return nil, err
	}
	if err := r.validate("readings"); err != nil {
		return nil, err
	}
	rs := r.readings()
	var out []GateReading
	for _, lv := range g.levels() {
		for _, gt := range lv.t.gates() {
			if !gt.limit.IsValid() {
				continue
			}
			v := rs[gt.vital]
			gr := GateReading{Level: lv.decision, Gate: lv.name + "." + gt.field, Vital: v.field, Reading: v.q, Limit: gt.limit}
			dir := "above"
			if !gt.above {
				dir = "below"
			}
			if !v.q.IsValid() {
				gr.Met = true
				gr.Detail = v.name + " not measured; the " + lv.name + " gate " + dir + " " + gt.limit.String() + " needs it"
			} else {
				c, _ := v.q.Cmp(gt.limit) // dimensions validated above
				gr.Met = gt.above && c > 0 || !gt.above && c < 0
				not := "not "
				if gr.Met {
					not = ""
				}
				gr.Detail = v.name + " " + v.q.String() + " is " + not + dir + " the " + lv.name + " limit " + gt.limit.String()
			}
			out = append(out, gr)
		}
	}
	return out, nil
}
