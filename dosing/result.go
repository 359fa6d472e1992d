package dosing

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/doseplan/doseplan/units"
)

// Notice is carried by every result and printed at the end of every
// worksheet.
const Notice = "For clinician verification — not a prescription"

// Flags mark what happened to a value in a step, like apd's conditions.
type Flags uint16

const (
	Rounded      Flags = 1 << iota // rounded to a declared step
	Capped                         // clamped to a cap
	Inexact                        // a division or float formula did not terminate; kept at a stated precision
	Clamped                        // a formula input clamped by policy (IBW below 60 in)
	Extrapolated                   // a formula used outside its derivation range by policy
	Stretched                      // duration lengthened to respect the pump's maximum rate
	Proposed                       // an escalation that needs a clinician's decision
	Unreliable                     // a formula used where it is known to fail (James above its turning point)
)

var flagNames = [...]string{"rounded", "capped", "inexact", "clamped", "extrapolated", "stretched", "proposed", "unreliable"}

// String lists the flags set: "rounded, capped".
func (f Flags) String() string {
	var names []string
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// Has reports whether every flag of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// MarshalJSON writes the flags as a list of names.
func (f Flags) MarshalJSON() ([]byte, error) {
	names := []string{}
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			names = append(names, n)
		}
	}
	return json.Marshal(names)
}

// UnmarshalJSON reads a list of flag names.
func (f *Flags) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	var g Flags
	for _, n := range names {
		found := false
		for i, fn := range flagNames {
			if fn == n {
				g |= 1 << i
				found = true
			}
		}
		if !found {
			return &FieldError{Field: "flags", Value: n, Msg: "unknown flag", Err: ErrRange}
		}
	}
	*f = g
	return nil
}

// Term is one input of a step: its name, its value and where it came from
// ("patient", "rule", "step bmi"). An input that is not a quantity (a sex, a
// weight policy) has Text instead of Value.
type Term struct {
	Name   string         `json:"name"`
	Value  units.Quantity `json:"value,omitzero"`
	Text   string         `json:"text,omitempty"`
	Source string         `json:"source"`
}

// Step is one line of the calculation trail: a pharmacist can redo it by hand
// from its formula and inputs.
type Step struct {
	ID       string         `json:"id"` // stable key: "dose", "draw_volume", "pump_rate"
	Title    string         `json:"title"`
	Formula  string         `json:"formula"`
	Citation string         `json:"citation,omitempty"`
	Inputs   []Term         `json:"inputs"`
	Exact    units.Quantity `json:"exact,omitzero"` // before rounding or capping; like Value, absent where the outcome is no quantity (population)
	Value    units.Quantity `json:"value,omitzero"` // what the next steps use
	// Deviation is Value − Exact, and DeviationPct the same in % of Exact;
	// both are set only when the step changed the value.
	Deviation    units.Quantity `json:"deviation,omitzero"`
	DeviationPct units.Quantity `json:"deviation_pct,omitzero"`
	Flags        Flags          `json:"flags"`
	Note         string         `json:"note,omitempty"`
}

// Severity orders warnings.
type Severity string

const (
	// Info notes something the pharmacist should see but need not
	// acknowledge: a cap applied, a duration stretched.
	Info Severity = "info"
	// Review is a soft-limit or plausibility warning: the result needs an
	// explicit acknowledgement with a reason before use.
	Review Severity = "review"
)

// Warning is a soft-limit crossing, a plausibility concern or a notice. Key is
// stable ("dose_per_kg.soft_max", "patient.weight_may_be_pounds") and is what
// an Ack names.
type Warning struct {
	Key      string         `json:"key"`
	Severity Severity       `json:"severity"`
	Message  string         `json:"message"`
	Value    units.Quantity `json:"value,omitzero"`
	Bound    units.Quantity `json:"bound,omitzero"`
	// Ack is the acknowledgement recorded for this warning, if any.
	Ack *Ack `json:"ack,omitempty"`
}

// Ack acknowledges a warning by key, with the reason and who gave it.
type Ack struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
	By     string `json:"by,omitempty"`
}

// Provenance ties a result to the exact rule it came from.
type Provenance struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Source  string `json:"source,omitempty"`
	SHA256  string `json:"sha256,omitempty"` // of the protocol document's bytes, when loaded from one
}

// WeightUsed says which body weight a dose was calculated on, and why.
// Basis is the weight the policy chose for this patient (an actual-weight
// policy with a BMI threshold may choose ideal), Policy the rule's policy
// in words, so that the two together read "actual, ideal (Devine) when
// BMI ≥ 30 kg/m² → ideal".
type WeightUsed struct {
	Basis  WeightBasis    `json:"basis"`
	Value  units.Quantity `json:"value"`
	Reason string         `json:"reason"`
	Policy string         `json:"policy"`
	Actual units.Quantity `json:"actual"` // the patient's weight in kg, to compare with Value
	// UsedFor lists what the dosing weight enters in the rule ("dose",
	// "bands", "cap_per_kg", "limits.dose_per_kg", …). Empty for a rule
	// that is not weight based: then no policy applies, Value is the
	// actual weight and per-kg values are of the actual weight.
	UsedFor []string `json:"used_for"`
}

// BodySize holds the body-size values computed for a patient. Values not
// computable (no height) are invalid quantities and omitted from JSON.
type BodySize struct {
	BMI         units.Quantity `json:"bmi,omitzero"`
	BSA         units.Quantity `json:"bsa,omitzero"`
	BSAFormula  BSAFormula     `json:"bsa_formula,omitempty"`
	IBW         units.Quantity `json:"ibw,omitzero"`
	IBWFormula  IBWFormula     `json:"ibw_formula,omitempty"`
	AdjustedBW  units.Quantity `json:"adjusted_bw,omitzero"`
	LeanBW      units.Quantity `json:"lean_bw,omitzero"`
	LeanFormula LeanFormula    `json:"lean_formula,omitempty"`
	HeightShort bool           `json:"height_below_60_in,omitempty"`
}

// FormResult is a dose given as whole (or half) dose forms.
type FormResult struct {
	Count    units.Quantity   `json:"count"`    // 2 devices
	Strength units.Quantity   `json:"strength"` // 28 mg/device
	Offsets  []units.Quantity `json:"offsets"`  // administration times from the first: 0, 5 min
}

// PrepResult is how the dose is made up.
type PrepResult struct {
	Stock       units.Quantity `json:"stock"`                 // 10 mg/mL
	DrawExact   units.Quantity `json:"draw_exact"`            // dose ÷ stock
	Draw        units.Quantity `json:"draw"`                  // rounded to the measurable step
	Container   string         `json:"container"`             // "bag", "syringe" or "none"
	Method      DiluentMethod  `json:"method,omitempty"`      // for bags
	Diluent     units.Quantity `json:"diluent,omitzero"`      // nominal bag volume or syringe diluent
	Withdraw    units.Quantity `json:"withdraw,omitzero"`     // volume removed from the bag first
	FinalVolume units.Quantity `json:"final_volume,omitzero"` //
	FinalConc   units.Quantity `json:"final_concentration,omitzero"`
}

// InfusionResult holds the pump settings and, separately, the dose rates they
// deliver. Pump rate (mL/h) and dose rate (mg/h, mg/kg/h, mcg/kg/min) are
// different fields on purpose: one number never carries two meanings. For
// a rule in units the dose rates are in units/h and units/kg/h (under the
// same JSON names, which name the mass form), and there is no per-minute
// rate.
type InfusionResult struct {
	Duration      units.Quantity `json:"duration"`        // as planned (after any stretch)
	PumpRateExact units.Quantity `json:"pump_rate_exact"` // final volume ÷ duration
	PumpRate      units.Quantity `json:"pump_rate"`       // rounded to the pump's step: what is programmed
	RunTime       units.Quantity `json:"run_time"`        // final volume ÷ programmed rate
	VTBI          units.Quantity `json:"vtbi"`            // volume to be infused

	IntendedDoseRate units.Quantity `json:"intended_dose_rate"` // dose ÷ duration, mg/h (units/h)
	DoseRate         units.Quantity `json:"dose_rate"`          // programmed rate × concentration, mg/h (units/h)
	DoseRatePerKgH   units.Quantity `json:"dose_rate_mg_kg_h"`  // mg/kg/h (units/kg/h) on the dosing weight
	// DoseRatePerKgMin is the same in mcg/kg/min; unset for a rule in units.
	DoseRatePerKgMin units.Quantity `json:"dose_rate_mcg_kg_min,omitzero"`
	DoseRateDevPct   units.Quantity `json:"dose_rate_deviation_pct"` // delivered vs intended

	Loading *LoadingResult `json:"loading,omitempty"`
	Drip    *DripResult    `json:"drip,omitempty"`
}

// LoadingResult is a loading dose run before the maintenance infusion from
// the same preparation.
type LoadingResult struct {
	Dose     units.Quantity `json:"dose"`
	Volume   units.Quantity `json:"volume"`
	Duration units.Quantity `json:"duration"`
	PumpRate units.Quantity `json:"pump_rate"`
}

// DripResult is a gravity drip rate for a stated drop factor.
type DripResult struct {
	DropFactor units.Quantity `json:"drop_factor"` // gtt/mL of the IV set
	Exact      units.Quantity `json:"exact"`       // gtt/min
	Rate       units.Quantity `json:"rate"`        // whole drops per minute
}

// Result is one calculated dose with everything a pharmacist needs to verify
// it. A Result is produced only when no hard limit was crossed.
type Result struct {
	Notice     string     `json:"notice"`
	Provenance Provenance `json:"provenance"`
	Drug       string     `json:"drug,omitempty"`
	Route      string     `json:"route,omitempty"`

	// Patient is the patient as given, so that the result can be checked
	// against the chart.
	Patient  Patient    `json:"patient"`
	BodySize BodySize   `json:"body_size"`
	Weight   WeightUsed `json:"dosing_weight"`

	// RequestedDose is the rule's dose before caps and rounding; Dose is what
	// is given, after caps, dose-form quantization and the measured draw.
	RequestedDose units.Quantity `json:"requested_dose"`
	Dose          units.Quantity `json:"dose"`
	DosePerKg     units.Quantity `json:"dose_per_kg"` // Dose ÷ dosing weight
	// DosePerKgActual is Dose ÷ the patient's actual weight: what the
	// patient receives per kg, whatever weight the rule doses on.
	DosePerKgActual units.Quantity `json:"dose_per_kg_actual"`
	// DosePerM2 is Dose ÷ BSA, when the rule names a BSA formula.
	DosePerM2 units.Quantity `json:"dose_per_m2,omitzero"`
	// DosesPerDay, DosePerDay and DosePerKgPerDay are set for a rule with
	// doses per day: how many doses make the day ("3 /day", a count with
	// its unit, as every number of a result), and the day's total of the
	// dose given (DosesPerDay × Dose), in mg/day and per kg of the dosing
	// weight.
	DosesPerDay     units.Quantity `json:"doses_per_day,omitzero"`
	DosePerDay      units.Quantity `json:"dose_per_day,omitzero"`
	DosePerKgPerDay units.Quantity `json:"dose_per_kg_per_day,omitzero"`

	Form        *FormResult     `json:"form,omitempty"`
	Preparation *PrepResult     `json:"preparation,omitempty"`
	Infusion    *InfusionResult `json:"infusion,omitempty"`

	// Rounded lists each value a declared rounding changed, requested (or
	// calculated) and given, in the order of the steps; nil when rounding
	// changed nothing.
	Rounded []RoundedValue `json:"rounded,omitempty"`

	Warnings []Warning `json:"warnings"`
	Steps    []Step    `json:"steps"`
}

// RoundedValue is a value that a declared rounding changed: a syringe
// graduation, a pump step, whole devices or half troches, whole drops, a
// dose rounding. It is reported whether or not the change is acceptable;
// where the rule declares a RoundingTolerance for the value, a change
// beyond it is also a review warning.
type RoundedValue struct {
	// Field names the value: "dose", "draw_volume", "final_volume",
	// "pump_rate", "loading_pump_rate" or "drip_rate".
	Field string `json:"field"`
	// Requested is the value before rounding: the dose after caps, or the
	// exact calculated volume or rate. Gives is what the patient receives.
	Requested units.Quantity `json:"requested"`
	Gives     units.Quantity `json:"gives"`
	// Deviation is Gives − Requested; DeviationPct the same in % of
	// Requested.
	Deviation    units.Quantity `json:"deviation"`
	DeviationPct units.Quantity `json:"deviation_pct"`
	// By lists the trail steps that changed the value.
	By []string `json:"by"`
	// Tolerance is the rule's rounding tolerance for the value, unset when
	// it declares none; Beyond reports a change larger than it (and the
	// warning "<field>.rounding_tolerance").
	Tolerance units.Quantity `json:"tolerance,omitzero"`
	Beyond    bool           `json:"beyond_tolerance,omitempty"`
}

// Clone returns a deep copy of r: every slice and pointer of the copy (the
// steps and their inputs, the warnings and their acknowledgements, the
// roundings, the dosing weight's uses, the form, the preparation, the
// infusion with its loading dose and drip) is its own, so that changing the
// copy never changes r. Quantities are immutable values and are shared.
func (r Result) Clone() Result {
	r.Weight.UsedFor = slices.Clone(r.Weight.UsedFor)
	r.Steps = slices.Clone(r.Steps)
	n := 0
	for i := range r.Steps {
		n += len(r.Steps[i].Inputs)
	}
	inputs := make([]Term, 0, n) // one allocation for the inputs of every step
	for i := range r.Steps {
		s := &r.Steps[i]
		if s.Inputs != nil {
			at := len(inputs)
			inputs = append(inputs, s.Inputs...)
			s.Inputs = inputs[at:len(inputs):len(inputs)]
		}
	}
	r.Warnings = slices.Clone(r.Warnings)
	for i := range r.Warnings {
		if a := r.Warnings[i].Ack; a != nil {
			ack := *a
			r.Warnings[i].Ack = &ack
		}
	}
	r.Rounded = slices.Clone(r.Rounded)
	for i := range r.Rounded {
		r.Rounded[i].By = slices.Clone(r.Rounded[i].By)
	}
	if f := r.Form; f != nil {
		c := *f
		c.Offsets = slices.Clone(f.Offsets)
		r.Form = &c
	}
	if p := r.Preparation; p != nil {
		c := *p
		r.Preparation = &c
	}
	if in := r.Infusion; in != nil {
		c := *in
		if l := in.Loading; l != nil {
			lc := *l
			c.Loading = &lc
		}
		if d := in.Drip; d != nil {
			dc := *d
			c.Drip = &dc
		}
		r.Infusion = &c
	}
	return r
}

// NeedsReview reports whether any review warning is not acknowledged.
func (r Result) NeedsReview() bool {
	for _, w := range r.Warnings {
		if w.Severity == Review && w.Ack == nil {
			return true
		}
	}
	return false
}

// Unacknowledged returns the review warnings without an acknowledgement.
func (r Result) Unacknowledged() []Warning {
	var out []Warning
	for _, w := range r.Warnings {
		if w.Severity == Review && w.Ack == nil {
			out = append(out, w)
		}
	}
	return out
}

// Step returns the trail step with the given id.
func (r Result) Step(id string) (Step, bool) {
	for _, s := range r.Steps {
		if s.ID == id {
			return s, true
		}
	}
	return Step{}, false
}

// String describes the change for people: "requested 70 mg → gives 56 mg
// (−20 %), beyond the rounding tolerance 0 %". A calculated value (a volume,
// a rate) reads "calculated …". The value before rounding is cut at four
// places ("3.9916… mL"), like the trail's; the trail step has the absolute
// deviation, and the JSON encoding keeps every digit.
func (v RoundedValue) String() string {
	word := "calculated "
	if v.Field == "dose" {
		word = "requested "
	}
	s := word + cut(v.Requested) + " → gives " + show(v.Gives) + " (" + signed(v.DeviationPct) + ")"
	switch {
	case !v.Tolerance.IsValid():
	case v.Beyond:
		s += ", beyond the rounding tolerance " + v.Tolerance.String()
	default:
		s += ", within the rounding tolerance " + v.Tolerance.String()
	}
	return s
}

// RoundedValue returns the rounded value of the given field ("dose",
// "pump_rate"), and whether rounding changed it.
func (r Result) RoundedValue(field string) (RoundedValue, bool) {
	for _, v := range r.Rounded {
		if v.Field == field {
			return v, true
		}
	}
	return RoundedValue{}, false
}
