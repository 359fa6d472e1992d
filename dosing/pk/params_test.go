package pk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// herdYAML is the Herd 2007 paediatric set (clinical.md §8.1) as a protocol
// file would carry it: strings with units, clearances in L/h written as mL/h.
const herdYAML = `
name: Herd 2007
drug: ketamine (racemic)
citation: Herd DW et al. PMID 17564643, doi:10.1111/j.1460-9592.2006.02145.x, as in opentiva
scaling: allometric
reference_weight: 70 kg
exponent: 0.75
v1: 38.7 L
v2: 102 L
cl: 90000 mL/h
q2: 215000 mL/h
ke0: 2.995 /min
validity:
  min_weight: 10.8 kg
  max_weight: 74.8 kg
  min_age_years: 1
  max_age_years: 14
`

func herd() pk.Parameters {
	return pk.Parameters{
		Name: "Herd 2007", Drug: "ketamine (racemic)",
		Citation: "Herd DW et al. PMID 17564643, doi:10.1111/j.1460-9592.2006.02145.x, as in opentiva",
		Scaling:  pk.ScaleAllometric, ReferenceWeight: q("70 kg"), Exponent: decimal.RequireFromString("0.75"),
		V1: q("38.7 L"), V2: q("102 L"), CL: q("90000 mL/h"), Q2: q("215000 mL/h"), Ke0: q("2.995 /min"),
		Validity: pk.Validity{MinWeight: q("10.8 kg"), MaxWeight: q("74.8 kg"), MinAgeYears: 1, MaxAgeYears: 14},
	}
}

func TestParametersDecodeFromYAMLAndJSON(t *testing.T) {
	t.Parallel()
	var fromYAML pk.Parameters
	dec := yaml.NewDecoder(strings.NewReader(herdYAML))
	dec.KnownFields(true)
	if err := dec.Decode(&fromYAML); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	if diff := cmp.Diff(herd(), fromYAML); diff != "" {
		t.Errorf("YAML decoding mismatch (-want +got):\n%s", diff)
	}

	// JSON written by the package reads back the same.
	b, err := json.Marshal(herd())
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON pk.Parameters
	jd := json.NewDecoder(bytes.NewReader(b))
	jd.DisallowUnknownFields()
	if err := jd.Decode(&fromJSON); err != nil {
		t.Fatalf("json: %v\n%s", err, b)
	}
	if diff := cmp.Diff(herd(), fromJSON); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s\n%s", diff, b)
	}

	// And so does YAML.
	y, err := yaml.Marshal(herd())
	if err != nil {
		t.Fatal(err)
	}
	var again pk.Parameters
	if err := yaml.Unmarshal(y, &again); err != nil {
		t.Fatalf("yaml round trip: %v\n%s", err, y)
	}
	if diff := cmp.Diff(herd(), again); diff != "" {
		t.Errorf("YAML round trip mismatch (-want +got):\n%s\n%s", diff, y)
	}
	if strings.Contains(string(b), "k10") {
		t.Errorf("unset fields are written to JSON:\n%s", b)
	}

	m, err := pk.New(fromYAML)
	if err != nil {
		t.Fatal(err)
	}
	if m.Compartments() != 2 {
		t.Errorf("Compartments() = %d, want 2", m.Compartments())
	}
}

// badParameterTexts are YAML documents the strict decoder refuses.
var badParameterTexts = []struct {
	name string
	yaml string
}{
	{"unknown_scaling", "scaling: per-kg"},
	{"naked_decimal", "v1: .5 L"},
	{"unknown_unit", "k10: 0.4 /hr/kg"},
	{"unknown_field", "vc: 4 L"},
}

func TestParametersDecodingRefusesBadText(t *testing.T) {
	t.Parallel()
	for _, tt := range badParameterTexts {
		t.Run(tt.name, func(t *testing.T) {
			var p pk.Parameters
			dec := yaml.NewDecoder(strings.NewReader(tt.yaml))
			dec.KnownFields(true)
			if err := dec.Decode(&p); err == nil {
				t.Errorf("decoding %q succeeded: %+v", tt.yaml, p)
			}
		})
	}
}

// scalingTextTests are the texts Scaling reads, and some it refuses: the
// names are exact.
var scalingTextTests = []struct {
	name string
	text string
	want pk.Scaling
	ok   bool
}{
	{"none", "none", pk.ScaleNone, true},
	{"linear", "linear", pk.ScaleLinear, true},
	{"allometric", "allometric", pk.ScaleAllometric, true},
	{"empty", "", 0, false},
	{"upper case", "Linear", 0, false},
	{"per kg is linear with a 1 kg reference", "per-kg", 0, false},
	{"trailing space", "allometric ", 0, false},
}

func TestScalingText(t *testing.T) {
	t.Parallel()
	for _, tt := range scalingTextTests {
		t.Run(tt.name, func(t *testing.T) {
			var s pk.Scaling
			err := s.UnmarshalText([]byte(tt.text))
			if (err == nil) != tt.ok || s != tt.want {
				t.Fatalf("UnmarshalText(%q) = %v, %v; want %v, ok %v", tt.text, s, err, tt.want, tt.ok)
			}
			if !tt.ok {
				var ie *pk.FieldError
				if !errors.As(err, &ie) || ie.Field != "scaling" || !errors.Is(err, pk.ErrRange) {
					t.Errorf("UnmarshalText(%q) error %#v, want an *FieldError for scaling wrapping ErrRange", tt.text, err)
				}
				return
			}
			if b, err := s.MarshalText(); err != nil || string(b) != tt.text || s.String() != tt.text {
				t.Errorf("%v writes %q, %v and String() = %q; want %q", s, b, err, s.String(), tt.text)
			}
		})
	}
	for _, s := range []pk.Scaling{0, 4, 255} {
		if b, err := s.MarshalText(); err == nil || b != nil || s.String() != "invalid scaling" {
			t.Errorf("Scaling(%d): MarshalText() = %q, %v; String() = %q", s, b, err, s.String())
		}
	}
}

// The clearance form of Domino in clinical.md §8.1 is the rate-constant form
// rounded to three or four digits; the two predict within 0.2% over 4 h.
func TestRateAndClearanceFormsAgree(t *testing.T) {
	t.Parallel()
	rates, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	clearances, err := pk.New(pk.Parameters{Name: "Domino (clearance form)", Drug: "ketamine (racemic)", Citation: "clinical.md §8.1",
		Scaling: pk.ScaleLinear, ReferenceWeight: q("1 kg"),
		V1: q("0.063 L"), V2: q("0.1511 L"), V3: q("2.5517 L"), CL: q("27.6 mL/min"), Q2: q("37.3 mL/min"), Q3: q("37.2 mL/min"),
		Ke0: q("0.652 /min")})
	if err != nil {
		t.Fatal(err)
	}
	admins := []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))}
	a, err := rates.Predict(dosing.Patient{Weight: q("80 kg")}, admins)
	if err != nil {
		t.Fatal(err)
	}
	b, err := clearances.Predict(dosing.Patient{Weight: q("80 kg")}, admins)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []float64{1, 10, 40, 41, 60, 120, 240} {
		cpA, ceA := a.Exact(at)
		cpB, ceB := b.Exact(at)
		if !near(cpA, cpB, 2e-3) || !near(ceA, ceB, 2e-3) {
			t.Errorf("at %v min: rate form Cp %g Ce %g, clearance form Cp %g Ce %g", at, cpA, ceA, cpB, ceB)
		}
	}
}

// Every built-in set validates, carries its citation and notes, and is found
// by its ID.
func TestBuiltinModels(t *testing.T) {
	t.Parallel()
	var ids []string
	for _, m := range pk.Models() {
		p := m.Parameters()
		ids = append(ids, p.ID)
		if p.Citation == "" || p.Notes == "" || p.Drug == "" {
			t.Errorf("%s: citation, notes or drug missing", p.ID)
		}
		again, err := pk.Lookup(p.ID)
		if err != nil || again.String() != m.String() {
			t.Errorf("Lookup(%q) = %v, %v", p.ID, again, err)
		}
	}
	if diff := cmp.Diff([]string{"domino", "clements250", "hijazi"}, ids); diff != "" {
		t.Errorf("Models() mismatch (-want +got):\n%s", diff)
	}
	// The uncertainties clinical.md §8.1 records are in the notes.
	for id, phrase := range map[string]string{
		"domino":      "Domino 1984",
		"clements250": "250 mcg/kg",
		"hijazi":      "not representative of outpatients",
	} {
		m, _ := pk.Lookup(id)
		if p := m.Parameters(); !strings.Contains(p.Notes+p.Citation, phrase) {
			t.Errorf("%s: notes and citation do not mention %q", id, phrase)
		}
	}
}

// A prediction marshals to JSON with its label, its model and its citation,
// and warnings as an array even when there are none.
func TestPredictionJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(ketamineSession())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Model    string            `json:"model"`
		Label    string            `json:"label"`
		Citation string            `json:"citation"`
		Warnings []json.RawMessage `json:"warnings"`
		Kinetics struct {
			HalfLives []string `json:"half_lives"`
			Ke0       string   `json:"ke0"`
		} `json:"kinetics"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Model != "Domino" || got.Label != pk.Estimate || got.Citation == "" || got.Warnings == nil ||
		len(got.Kinetics.HalfLives) != 3 || got.Kinetics.Ke0 != "0.652 /min" {
		t.Errorf("JSON = %s", b)
	}
}
