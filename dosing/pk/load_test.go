package pk_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

const herdModelDoc = `
name: Herd 2007
drug: ketamine (racemic)
citation: Herd DW et al. PMID 17564643, as in opentiva
scaling: allometric
reference_weight: 70 kg
exponent: 0.75
v1: 38.7 L
v2: 102 L
cl: 90000 mL/h
q2: 215000 mL/h
`

func TestLoadParameters(t *testing.T) {
	p, err := pk.LoadParameters([]byte(herdModelDoc))
	if err != nil {
		t.Fatal(err)
	}
	m, err := pk.New(p)
	if err != nil {
		t.Fatal(err)
	}
	if m.Compartments() != 2 || !p.V1.Equal(units.MustParse("38.7 L")) {
		t.Errorf("loaded %d compartments, V1 %s; want 2 and 38.7 L", m.Compartments(), p.V1)
	}
	// The same model as JSON loads the same.
	j, err := pk.LoadParameters([]byte(`{"name": "Herd 2007", "drug": "ketamine (racemic)", "citation": "Herd DW et al. PMID 17564643, as in opentiva",
		"scaling": "allometric", "reference_weight": "70 kg", "exponent": 0.75, "v1": "38.7 L", "v2": "102 L", "cl": "90000 mL/h", "q2": "215000 mL/h"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !j.V2.Equal(p.V2) || !j.CL.Equal(p.CL) {
		t.Errorf("JSON form loaded V2 %s CL %s, YAML form %s %s", j.V2, j.CL, p.V2, p.CL)
	}
}

func TestLoadParametersRefused(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want error
	}{
		{"unknown field", herdModelDoc + "colour: blue\n", pk.ErrConflict},
		{"value without a unit", strings.Replace(herdModelDoc, "v1: 38.7 L", "v1: 38.7", 1), pk.ErrConflict},
		{"second document", herdModelDoc + "---\nname: other\n", pk.ErrConflict},
		{"empty document", "", pk.ErrMissing},
		{"too large", strings.Repeat("#", pk.MaxModelBytes+1), pk.ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pk.LoadParameters([]byte(tt.doc))
			var ie *pk.FieldError
			if !errors.Is(err, tt.want) || !errors.As(err, &ie) || ie.Field != "model" {
				t.Errorf("LoadParameters error = %v, want *FieldError for model wrapping %v", err, tt.want)
			}
		})
	}
}
