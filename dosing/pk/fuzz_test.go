package pk_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/units"
)

// Fuzz targets for what a protocol file gives this package: the scaling's
// name, and whole parameter sets in YAML or JSON. Run one with
//
//	go test -run='^$' -fuzz='^FuzzParameters$' -fuzztime=60s ./dosing/pk
//
// A crasher goes to testdata/fuzz/<Fuzz…>/ and stays there as a regression
// case.

func FuzzScalingUnmarshalText(f *testing.F) {
	for _, tt := range scalingTextTests {
		f.Add([]byte(tt.text))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		const sentinel = pk.Scaling(200)
		s := sentinel
		err := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() error { return s.UnmarshalText(b) })
		if err != nil {
			var ie *pk.FieldError
			if !errors.As(err, &ie) || ie.Field != "scaling" || !errors.Is(err, pk.ErrRange) {
				t.Fatalf("UnmarshalText(%q) error %#v, want an *FieldError for scaling wrapping ErrRange", b, err)
			}
			if s != sentinel {
				t.Fatalf("UnmarshalText(%q) failed but changed its receiver to %d", b, s)
			}
			return
		}
		text, err := s.MarshalText()
		if err != nil || string(text) != string(b) || s.String() != string(b) {
			// The names are exact: what is accepted is the canonical form.
			t.Fatalf("UnmarshalText(%q) = %v, which writes %q, %v", b, s, text, err)
		}
		var back pk.Scaling
		if err := back.UnmarshalText(text); err != nil || back != s {
			t.Fatalf("UnmarshalText(MarshalText(%v) = %q) = %v, %v", s, text, back, err)
		}
	})
}

// parameterSeeds are parameter sets as text: the Herd document, the texts
// the decoder refuses, every built-in set and every refused change of
// TestNewRefusesBadParameters, in YAML and JSON.
func parameterSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{[]byte(herdYAML)}
	for _, tt := range badParameterTexts {
		seeds = append(seeds, []byte(tt.yaml))
	}
	sets := []pk.Parameters{herd(), twoCompartments()}
	for _, m := range pk.Models() {
		sets = append(sets, m.Parameters())
	}
	for _, tt := range newRefusalTests {
		p := twoCompartments()
		tt.change(&p)
		sets = append(sets, p)
	}
	for _, p := range sets {
		// A set without a scaling cannot be written (MarshalText refuses
		// the zero Scaling); the documents lacking one come from the others
		// by mutation.
		j, jerr := json.Marshal(p)
		y, yerr := yaml.Marshal(p)
		if jerr == nil && yerr == nil {
			seeds = append(seeds, j, y)
		} else if p.Scaling != 0 {
			f.Fatalf("writing %+v: %v, %v", p, jerr, yerr)
		}
	}
	return seeds
}

// decodeYAML and decodeJSON decode strictly, as the protocol loader does.
func decodeYAML(b []byte) (pk.Parameters, error) {
	var p pk.Parameters
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	return p, dec.Decode(&p)
}

func decodeJSON(b []byte) (pk.Parameters, error) {
	var p pk.Parameters
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return p, dec.Decode(&p)
}

// FuzzParameters decodes the text as YAML and as JSON. Every set decoded is
// given to New, which must answer without a panic and in bounded time.
// A set New accepts must write JSON and YAML that decode to the same set,
// which New accepts again with the same compartments, and a model that
// predicts (or refuses) a bolus without a panic.
func FuzzParameters(f *testing.F) {
	for _, s := range parameterSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, dec := range []struct {
			name   string
			decode func([]byte) (pk.Parameters, error)
		}{{"YAML", decodeYAML}, {"JSON", decodeJSON}} {
			type decoded struct {
				p   pk.Parameters
				err error
			}
			d := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() decoded { p, err := dec.decode(b); return decoded{p, err} })
			if d.err != nil {
				continue
			}
			p := d.p
			type built struct {
				m   *pk.Model
				err error
			}
			r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() built { m, err := pk.New(p); return built{m, err} })
			if r.err != nil {
				if r.m != nil {
					t.Fatalf("%s: New returned a model with the error %v", dec.name, r.err)
				}
				checkFieldErrors(t, r.err)
				continue
			}
			m := r.m
			if n := m.Compartments(); n < 1 || n > 3 {
				t.Fatalf("%s: %d compartments", dec.name, n)
			}
			if diff := cmp.Diff(p, m.Parameters()); diff != "" {
				t.Fatalf("%s: Parameters() differs from what was given to New (-want +got):\n%s", dec.name, diff)
			}
			checkParametersRoundTrip(t, dec.name, p, m)
			fuzzcheck.Bounded(t, fuzzcheck.Limit, func() error {
				_, err := m.Predict(dosing.Patient{Weight: units.NewInt(70, units.Kilogram)},
					[]pk.Administration{pk.Bolus(units.NewInt(35, units.Milligram))})
				return err
			})
		}
	})
}

// checkFieldErrors checks New's refusal: every error joined in it is an
// *FieldError naming its field.
func checkFieldErrors(t *testing.T, err error) {
	t.Helper()
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("New error %T is not a joined list of field errors: %v", err, err)
	}
	for _, e := range j.Unwrap() {
		var ie *pk.FieldError
		if !errors.As(e, &ie) || ie.Field == "" || !strings.HasPrefix(e.Error(), "pk: ") {
			t.Fatalf("New error %#v is not an *FieldError naming its field", e)
		}
	}
}

// checkParametersRoundTrip writes p as JSON and YAML, reads each back
// strictly, and checks the set is the same, writes the same text again,
// and gives a model of the same compartments.
func checkParametersRoundTrip(t *testing.T, from string, p pk.Parameters, m *pk.Model) {
	t.Helper()
	for _, enc := range []struct {
		name   string
		encode func(any) ([]byte, error)
		decode func([]byte) (pk.Parameters, error)
	}{{"JSON", json.Marshal, decodeJSON}, {"YAML", yaml.Marshal, decodeYAML}} {
		text, err := enc.encode(p)
		if err != nil {
			t.Fatalf("%s set: writing %s: %v", from, enc.name, err)
		}
		back, err := enc.decode(text)
		if err != nil {
			t.Fatalf("%s set: reading back its %s: %v\n%s", from, enc.name, err, text)
		}
		if diff := cmp.Diff(p, back); diff != "" {
			t.Fatalf("%s set: %s round trip mismatch (-want +got):\n%s\n%s", from, enc.name, diff, text)
		}
		again, err := enc.encode(back)
		if err != nil || !bytes.Equal(again, text) {
			t.Fatalf("%s set: %s not stable:\n%s\nthen\n%s", from, enc.name, text, again)
		}
		m2, err := pk.New(back)
		if err != nil || m2.Compartments() != m.Compartments() {
			t.Fatalf("%s set: New of its %s round trip = %v, %v; want %d compartments", from, enc.name, m2, err, m.Compartments())
		}
	}
}
