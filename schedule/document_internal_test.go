package schedule

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
)

// Every field of dosing.Rule has a place in a protocol document, except
// the two the document sets otherwise: the dose (by the key that names its
// kind) and titration_step (a protocol's titration ladder steps its dose).
// A field dosing.Rule gains is in the dose section by its own name with
// nothing more written, so this test needs no update for it.
func TestLayoutPlacesEveryRuleField(t *testing.T) {
	for _, name := range fieldNames(reflect.TypeFor[dosing.Rule]()) {
		_, placed := rulePaths[name]
		switch name {
		case "":
		case "dose", "titration_step":
			if placed {
				t.Errorf("rule field %s has a document path %q; it is set otherwise", name, rulePaths[name])
			}
		default:
			if !placed {
				t.Errorf("rule field %s has no place in a protocol document", name)
			}
		}
	}
	// The places as protocol documents have always had them (read off the
	// example protocols and the strict-loading tests).
	for rule, doc := range map[string]string{
		"name": "name", "version": "version", "drug": "drug", "route": "route", "source": "source",
		"preparation": "preparation", "infusion": "infusion", "plausibility": "plausibility", "population": "population",
		"bands": "dose.bands", "weight": "dose.weight", "bsa_formula": "dose.bsa_formula", "cap": "dose.cap",
		"cap_per_kg": "dose.cap_per_kg", "dose_rounding": "dose.rounding", "form": "dose.form", "limits": "dose.limits",
		"rounding_tolerance": "dose.rounding_tolerance",
	} {
		if rulePaths[rule] != doc {
			t.Errorf("rule field %s is at %q in a document, want %q", rule, rulePaths[rule], doc)
		}
	}
}

// The keys of a protocol document, in the order the "unknown field"
// message lists them (the order of the documents' sections).
func TestLayoutKeys(t *testing.T) {
	var top, dose []string
	for _, f := range documentFields {
		top = append(top, f.name)
		for _, s := range f.section {
			dose = append(dose, s.name)
		}
	}
	wantTop := []string{"doseplan", "name", "version", "drug", "drug_code", "route", "source", "notes", "dose", "preparation",
		"infusion", "plausibility", "population", "series", "policy", "titration", "session", "vitals", "caps", "check_tolerances"}
	wantDose := []string{"per_kg", "per_m2", "fixed", "rate", "rate_per_kg", "per_day", "per_kg_per_day", "doses_per_day", "bands", "weight",
		"bsa_formula", "cap", "cap_per_kg", "cap_per_day", "rounding", "form", "limits", "rounding_tolerance"}
	if diff := cmp.Diff(wantTop, top); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantDose, dose); diff != "" {
		t.Errorf("dose keys (-want +got):\n%s", diff)
	}
}

// A dosing error's field, as the document names it.
func TestDocPath(t *testing.T) {
	for _, tc := range []struct{ rule, doseKey, want string }{
		{"dose", "dose.per_kg", "dose.per_kg"},
		{"dose", "dose", "dose"},
		{"limits.dose_per_kg.soft_max", "dose.per_kg", "dose.limits.dose_per_kg.soft_max"},
		{"bands[1].min", "dose.bands", "dose.bands[1].min"},
		{"dose_rounding.step", "dose.fixed", "dose.rounding.step"},
		{"dose_rounding", "dose.fixed", "dose.rounding"},
		{"weight.ibw_formula", "dose.per_kg", "dose.weight.ibw_formula"},
		{"preparation.syringe.concentration", "dose.per_kg", "preparation.syringe.concentration"},
		{"infusion.duration", "dose.rate", "infusion.duration"},
		{"population.age.hard_min", "dose.per_kg", "population.age.hard_min"},
		{"plausibility.weight_soft_min", "dose.per_kg", "plausibility.weight_soft_min"},
		{"titration_step", "dose.per_kg", "dose.titration_step"}, // not in documents: under dose, as before
	} {
		if got := docPath(tc.rule, tc.doseKey); got != tc.want {
			t.Errorf("docPath(%q, %q) = %q, want %q", tc.rule, tc.doseKey, got, tc.want)
		}
	}
}

// The rule paths inside a dosing message, as the document names them; a
// word that only looks like a field is left alone.
func TestDocPaths(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{`must be below limits.dose_per_kg.hard_max "1 mg/kg"`, `must be below dose.limits.dose_per_kg.hard_max "1 mg/kg"`},
		{"above form.max_count", "above dose.form.max_count"},
		{"overlaps bands[0]", "overlaps dose.bands[0]"},
		{"needs dose_rounding.step", "needs dose.rounding.step"},
		{"must not be above population.age.hard_max", "must not be above population.age.hard_max"},
		{"is not the actual weight. limits.", "is not the actual weight. limits."},
		{"limits.dose at the start", "limits.dose at the start"}, // no space before it: not a path in prose
		{"", ""},
	} {
		if got := docPaths(tc.msg); got != tc.want {
			t.Errorf("docPaths(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}
