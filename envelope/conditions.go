package envelope

import (
	"errors"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Severity grades a region.
type Severity string

const (
	// Within: a result with no review warning (it may carry notes, such as
	// a cap applied).
	Within Severity = "within"
	// Refused: no result: a hard limit, a hard bound of the population, or
	// an input the rule cannot take.
	Refused Severity = "refused"
	// Review: a result with a warning that needs a clinician's
	// acknowledgement.
	Review Severity = "review"
	// Info: a result with a note that needs none (dose capped, duration
	// stretched, dosed on the ideal weight).
	Info Severity = "info"
)

// Status is the one category a patient is shown in on a status map: the
// gravest of what happened to it. The library's warnings and errors name
// every condition; a status orders them for a picture.
type Status uint8

const (
	StatusWithin            Status = iota // within the limits, nothing to note
	StatusCapped                          // within the limits, dose capped
	StatusStretched                       // within the limits, duration stretched for the pump
	StatusReviewPatient                   // review: the patient (plausibility, population soft bound, age)
	StatusReviewWeight                    // review: the dosing weight above the actual weight
	StatusReviewLimit                     // review: a soft limit crossed, or rounding beyond tolerance
	StatusRefusedInput                    // refused: an input the rule cannot take
	StatusRefusedLimit                    // refused: a hard limit
	StatusRefusedPopulation               // refused: outside a hard bound of the population
	numStatus
)

var statusNames = [numStatus]string{
	"within the limits",
	"within the limits, dose capped",
	"within the limits, duration stretched",
	"review: patient (plausibility, population)",
	"review: dosing weight above actual",
	"review: soft limit or rounding",
	"refused: input the rule cannot take",
	"refused: hard limit",
	"refused: outside the population",
}

// String names the status as a legend does.
func (s Status) String() string {
	if s < numStatus {
		return statusNames[s]
	}
	return "invalid status"
}

// Keys of the conditions the envelope adds to the library's warnings and
// errors.
const (
	keyWithin       = "within_limits"
	keyIdeal        = "dosing_weight.ideal" // an actual-weight policy chose the ideal weight
	prefixRefused   = "refused:"
	prefixPKWarn    = "pk."
	keyPKError      = "pk.not_predicted"
	keyOtherRefusal = "refused:error"
)

// condition is one thing that happened to a patient: a warning's key, or
// a refusal, with the bound it names and its message.
type condition struct {
	key      string
	severity Severity
	bound    units.Quantity // the limit or bound, where it is a quantity
	text     string         // the bound as text where it is not (an age); for an input refused, its message when that is the same for every patient
	message  string
}

// refusals turns a Calculate error into its conditions, one per error
// joined in it.
func refusals(err error, out []condition) []condition {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = refusals(e, out)
		}
		return out
	}
	var le *dosing.LimitError
	var pe *dosing.PopulationError
	var ie *dosing.FieldError
	switch {
	case errors.As(err, &le):
		return append(out, condition{key: prefixRefused + "limit." + le.Field + "." + string(le.Kind), severity: Refused, bound: le.Bound, message: err.Error()})
	case errors.As(err, &pe):
		return append(out, condition{key: prefixRefused + pe.Field + "." + string(pe.Kind), severity: Refused, text: pe.Bound, message: err.Error()})
	case errors.As(err, &ie):
		c := condition{key: prefixRefused + "input." + ie.Field, severity: Refused, message: err.Error()}
		if ie.Value == "" { // the same for every patient: "patient.age: required: …"
			c.text = ie.Field + ": " + ie.Msg
		}
		return append(out, c)
	}
	return append(out, condition{key: keyOtherRefusal, severity: Refused, message: err.Error()})
}

// statusOf is the status a condition puts a patient in (StatusWithin for a
// note that changes nothing).
func statusOf(key string, sev Severity) Status {
	switch {
	case strings.HasPrefix(key, prefixRefused+"population."):
		return StatusRefusedPopulation
	case strings.HasPrefix(key, prefixRefused+"limit."):
		return StatusRefusedLimit
	case sev == Refused:
		return StatusRefusedInput
	case key == "dosing_weight.above_actual":
		return StatusReviewWeight
	case sev == Review && (strings.HasPrefix(key, "patient.") || strings.HasPrefix(key, "population.")):
		return StatusReviewPatient
	case sev == Review:
		return StatusReviewLimit
	case key == "dose.capped":
		return StatusCapped
	case key == "infusion.duration_stretched":
		return StatusStretched
	}
	return StatusWithin
}

// what describes a condition for people: "dose capped at 100 mg",
// "refused: dose per kg above the hard maximum 1 mg/kg". bound is the
// bound's range over the region, as text ("100 mg", "60–100 mg"), or "".
func what(key string, sev Severity, bound string) string {
	at := func(prefix string) string {
		if bound == "" {
			return ""
		}
		return prefix + bound
	}
	if rest, ok := strings.CutPrefix(key, prefixRefused); ok {
		switch {
		case strings.HasPrefix(rest, "limit."):
			field, kind := splitKind(strings.TrimPrefix(rest, "limit."))
			return "refused: " + words(field) + " " + rel(kind) + " the hard " + end(kind) + at(" ")
		case strings.HasPrefix(rest, "population."):
			field, kind := splitKind(strings.TrimPrefix(rest, "population."))
			return "refused: " + words(field) + " " + rel(kind) + " the hard " + end(kind) + at(" ") + " of the population the rule was written for"
		case strings.HasPrefix(rest, "input.") && bound != "":
			return "refused: " + bound
		case strings.HasPrefix(rest, "input."):
			return "refused: " + strings.TrimPrefix(rest, "input.") + " (an input the rule cannot take; the example says why)"
		}
		return "refused: another error"
	}
	switch key {
	case keyWithin:
		return "within the limits: a result with no review warning"
	case keyIdeal:
		return "dosed on the ideal body weight (the policy's switch from the actual weight)"
	case keyPKError:
		return "no PK prediction for the result"
	case "dose.capped":
		return "dose capped" + at(" at ")
	case "infusion.duration_stretched":
		return "duration stretched" + at(" to keep the pump at or below ")
	case "dosing_weight.above_actual":
		return "dosing weight above the actual weight"
	case "patient.weight_may_be_pounds":
		return "weight looks like pounds entered as kilograms"
	case "patient.adult_bounds":
		return "adult plausibility bounds applied to a patient under 18 years"
	}
	if rest, ok := strings.CutPrefix(key, prefixPKWarn); ok {
		return "PK model: " + words(rest)
	}
	if field, ok := strings.CutSuffix(key, ".rounding_tolerance"); ok {
		return "rounding changes the " + words(field) + " by more than the tolerance" + at(" ")
	}
	if field, ok := strings.CutSuffix(key, ".missing"); ok {
		return words(strings.TrimPrefix(field, "population.")) + " not given: not checked against the population"
	}
	field, kind := splitKind(key)
	if kind == "soft_min" || kind == "soft_max" {
		switch {
		case strings.HasPrefix(field, "patient."):
			return words(strings.TrimPrefix(field, "patient.")) + " " + rel(kind) + " the plausibility bound" + at(" ")
		case strings.HasPrefix(field, "population."):
			return words(strings.TrimPrefix(field, "population.")) + " " + rel(kind) + " the soft " + end(kind) + at(" ") + " of the population the rule was written for"
		}
		return words(field) + " " + rel(kind) + " the soft " + end(kind) + at(" ")
	}
	return key
}

// splitKind splits "dose_per_kg.soft_max" into the field and the limit kind.
func splitKind(s string) (field, kind string) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

func rel(kind string) string {
	if strings.HasSuffix(kind, "_min") {
		return "below"
	}
	return "above"
}

func end(kind string) string {
	if strings.HasSuffix(kind, "_min") {
		return "minimum"
	}
	return "maximum"
}

// words turns a field name into words: "dose_per_kg" → "dose per kg",
// "bmi" → "BMI".
func words(field string) string {
	s := strings.ReplaceAll(strings.ReplaceAll(field, "_", " "), ".", " ")
	if s == "bmi" {
		return "BMI"
	}
	return s
}
