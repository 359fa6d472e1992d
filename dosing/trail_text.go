package dosing

import "strings"

// Text of the trail that depends on nothing but a formula's or a field's
// name, built once here rather than on every calculation. Read only.

// stepName is a formula's trail step id and the source its value is cited
// with in later steps: "ibw_devine", "step ibw_devine".
type stepName struct{ id, source string }

// formulaSteps holds the step names of the body-size formulas, keyed by
// their prefix and name: {"ibw_", "devine"}.
var formulaSteps = func() map[[2]string]stepName {
	m := make(map[[2]string]stepName, len(formulas))
	for id := range formulas {
		if i := strings.IndexByte(id, '_'); i >= 0 {
			m[[2]string{id[:i+1], id[i+1:]}] = stepName{id, "step " + id}
		}
	}
	return m
}()

// formulaStepName returns the step name of the formula prefix+name.
func formulaStepName(prefix, name string) stepName {
	if s, ok := formulaSteps[[2]string{prefix, name}]; ok {
		return s
	}
	return stepName{prefix + name, "step " + prefix + name}
}

// limitNames is the id and title of a limit's trail step: "limit_dose_rate",
// "Limits on the dose rate"; and the field in words.
type limitNames struct{ id, title, words string }

// limitNameTable holds limitNames for every field checkLimits checks.
var limitNameTable = func() map[string]limitNames {
	m := map[string]limitNames{}
	for _, f := range [...]string{"dose", "dose_per_kg", "concentration", "volume", "pump_rate", "loading_pump_rate",
		"dose_rate", "dose_rate_per_kg", "duration"} {
		m[f] = newLimitNames(f)
	}
	return m
}()

func newLimitNames(field string) limitNames {
	return limitNames{"limit_" + field, "Limits on the " + words(field), words(field)}
}

// limitNamesOf returns the limit text of field.
func limitNamesOf(field string) limitNames {
	if t, ok := limitNameTable[field]; ok {
		return t
	}
	return newLimitNames(field)
}
