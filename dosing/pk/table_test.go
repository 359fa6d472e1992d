package pk_test

import (
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

var q = units.MustParse

// times8_2 are the columns of the table in clinical.md §8.2: Cp in ng/mL for
// 70 kg, 0.5 mg/kg (35 mg) over 40 min, computed independently of this
// package.
var times8_2 = []string{"10 min", "20 min", "30 min", "40 min", "45 min", "60 min", "120 min", "240 min"}

// tolerance8_2 is the agreement the issue asks for; the table prints 0.1 ng/mL.
var tolerance8_2 = q("0.2 ng/mL")

// The three sets of §8.2 that are not built in, written the way a protocol
// file would carry them: they exercise the clearance form, fixed and
// allometric scaling against published numbers.
func clements125() pk.Parameters {
	return pk.Parameters{Name: "Clements 125", Drug: "ketamine (racemic)", Citation: "clinical.md §8.1 (unverified simulator)",
		Scaling: pk.ScaleLinear, ReferenceWeight: q("1 kg"),
		V1: q("1.202 L"), V2: q("2.114 L"), CL: q("16.6 mL/min"), Q2: q("26.3 mL/min")}
}

func domino1982Fixed() pk.Parameters {
	return pk.Parameters{Name: "Domino 1982 (fixed)", Drug: "ketamine (racemic)", Citation: "clinical.md §8.1 (unverified simulator)",
		Scaling: pk.ScaleNone,
		V1:      q("3.47 L"), V2: q("11 L"), V3: q("134 L"), CL: q("1296 mL/min"), Q2: q("2276 mL/min"), Q3: q("2058 mL/min")}
}

func kamp2020Allometric() pk.Parameters {
	return pk.Parameters{Name: "Kamp 2020 (allometric, unverified)", Drug: "ketamine (racemic)", Citation: "clinical.md §8.1 (unverified simulator)",
		Scaling: pk.ScaleAllometric, ReferenceWeight: q("70 kg"), Exponent: decimal.RequireFromString("0.75"),
		V1: q("25.8 L"), V2: q("115 L"), CL: q("1780 mL/min"), Q2: q("2100 mL/min")}
}

func TestClinicalReferenceTable8_2(t *testing.T) {
	t.Parallel()
	builtin := func(id string) func(*testing.T) *pk.Model {
		return func(t *testing.T) *pk.Model {
			m, err := pk.Lookup(id)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	custom := func(p pk.Parameters) func(*testing.T) *pk.Model {
		return func(t *testing.T) *pk.Model {
			m, err := pk.New(p)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	tests := []struct {
		name  string
		model func(*testing.T) *pk.Model
		want  []string // ng/mL at times8_2
	}{
		{"domino", builtin("domino"), []string{"181.8", "209.6", "226.5", "240.3", "91.4", "55.1", "35.8", "17.3"}},
		{"clements250", builtin("clements250"), []string{"62", "109.5", "146.9", "177.3", "157.4", "115.4", "58.8", "34.6"}},
		{"hijazi", builtin("hijazi"), []string{"94.5", "156.7", "197.9", "225.3", "183.3", "99.7", "13.1", "4.6"}},
		{"clements125_clearance_form", custom(clements125()), []string{"87.8", "151.2", "198.5", "235.3", "203.3", "139", "64.3", "37.6"}},
		{"domino1982_fixed_scaling", custom(domino1982Fixed()), []string{"233.9", "278", "305.8", "327.9", "141.3", "88", "56.2", "28.4"}},
		{"kamp2020_allometric", custom(kamp2020Allometric()), []string{"179.4", "231.4", "256.7", "275.6", "164.1", "75.7", "42.4", "16.6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.model(t).Predict(dosing.Patient{Weight: q("70 kg"), AgeYears: 40},
				[]pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))})
			if err != nil {
				t.Fatal(err)
			}
			for i, at := range times8_2 {
				got, err := p.At(q(at))
				if err != nil {
					t.Fatal(err)
				}
				within(t, "Cp at "+at, got.Cp, q(tt.want[i]+" ng/mL"), tolerance8_2)
			}
		})
	}
}

// TestWorkedCase17 is clinical.md WC17: end-of-infusion Cp for 120 kg dosed on
// total, ideal and adjusted body weight with the allometric set, and the
// weight independence of a linearly scaled set.
func TestWorkedCase17(t *testing.T) {
	t.Parallel()
	kamp, err := pk.New(kamp2020Allometric())
	if err != nil {
		t.Fatal(err)
	}
	clements, err := pk.Lookup("clements250")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		model  *pk.Model
		weight string
		dose   string
		want   string
	}{
		{"kamp_120kg_total_body_weight_60mg", kamp, "120 kg", "60 mg", "304.9 ng/mL"},
		{"kamp_120kg_ideal_body_weight_35.23mg", kamp, "120 kg", "35.23 mg", "179.1 ng/mL"},
		{"kamp_120kg_adjusted_body_weight_45.14mg", kamp, "120 kg", "45.14 mg", "229.4 ng/mL"},
		{"clements250_70kg", clements, "70 kg", "0.5 mg/kg", "177.31 ng/mL"},
		{"clements250_120kg_same_level_linear_scaling", clements, "120 kg", "0.5 mg/kg", "177.31 ng/mL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.model.Predict(dosing.Patient{Weight: q(tt.weight)}, []pk.Administration{pk.Infusion(q(tt.dose), q("40 min"))})
			if err != nil {
				t.Fatal(err)
			}
			end, err := p.EndOfInfusion()
			if err != nil {
				t.Fatal(err)
			}
			within(t, "Cp at the end of the infusion", end.Cp, q(tt.want), q("0.05 ng/mL"))
		})
	}
}

// TestDerivedKinetics cross-checks the individualized kinetics against the
// values clinical.md §8.1–8.2 derives by hand (and Hijazi's against the
// paper's abstract), each to half a unit of the last digit printed there.
func TestDerivedKinetics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id        string
		halfLives map[int]string // index (fastest first) → half-life
		clPerKg   string         // mL/min/kg
		vssPerKg  string         // L/kg; empty when not published
	}{
		{"domino", map[int]string{0: "0.40 min", 1: "4.57 min", 2: "114.6 min"}, "27.6", "2.76"},
		{"clements250", map[int]string{0: "17.6 min", 1: "183 min"}, "19.1", "4.13"},
		{"hijazi", map[int]string{1: "4.95 h"}, "35.96", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			m, err := pk.Lookup(tt.id)
			if err != nil {
				t.Fatal(err)
			}
			p, err := m.Predict(dosing.Patient{Weight: q("70 kg"), AgeYears: 40}, []pk.Administration{pk.Bolus(q("1 mg"))})
			if err != nil {
				t.Fatal(err)
			}
			k, err := p.Kinetics()
			if err != nil {
				t.Fatal(err)
			}
			if len(k.HalfLives) != m.Compartments() {
				t.Fatalf("got %d half-lives, want %d", len(k.HalfLives), m.Compartments())
			}
			for i, h := range tt.halfLives {
				want := q(h)
				within(t, "half-life", k.HalfLives[i], want, units.New(decimal.New(5, want.Value().Exponent()-1), want.Unit()))
			}
			// Per-kg values have no unit in the units package (no mL/min/kg,
			// no L/kg), so they are compared as plain decimals.
			perKg := func(what, published string, xs ...units.Quantity) {
				sum := decimal.Zero
				for _, x := range xs {
					sum = sum.Add(x.Value())
				}
				got, want := sum.Div(decimal.NewFromInt(70)), decimal.RequireFromString(published)
				if got.Sub(want).Abs().GreaterThan(decimal.New(5, want.Exponent()-1)) {
					t.Errorf("%s = %s, want %s", what, got.StringFixed(4), published)
				}
			}
			perKg("CL (mL/min/kg)", tt.clPerKg, k.Clearances[0])
			if tt.vssPerKg != "" {
				perKg("Vss (L/kg)", tt.vssPerKg, k.Volumes...)
			}
		})
	}
}

// within fails t unless got is within tol of want (all of one dimension).
func within(t *testing.T, what string, got, want, tol units.Quantity) {
	t.Helper()
	d, err := got.Sub(want)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if c, err := d.Abs().Cmp(tol); err != nil || c > 0 {
		t.Errorf("%s = %v, want %v ± %v", what, got, want, tol)
	}
}
