package dosing_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// TestLeanWeightJamesAndBoer: the James and Boer lean body masses, each
// value by hand (H in cm, W in kg), with the flags: inexact where (W ÷ H)²
// does not terminate, unreliable past James's turning point.
//
// James, male 175 cm (clinical.md §7): 80 kg: 1.1 × 80 − 128 × 6400 ÷
// 30625 = 88 − 26.749387… = 61.250612…; 120 kg: 132 − 60.186122… =
// 71.813877…; 200 kg: 220 − 167.183673… = 52.816326…; 240 kg: 264 −
// 240.744489… = 23.255510…. The top is at W = 1.1 × 30625 ÷ 256 =
// 131.591796875 kg (BMI 42.96875), where the value is a × W ÷ 2 =
// 72.37548828125 kg, exactly: there W² ÷ H² terminates. 140 kg: 154 − 128 ×
// 0.64 = 72.08 kg, exact, past the top. Female 160 cm, 60 kg: 64.2 − 148 ×
// 3600 ÷ 25600 = 64.2 − 20.8125 = 43.3875 kg, exact.
//
// Boer, male 175 cm, 80 kg: 0.407 × 80 + 0.267 × 175 − 19.2 = 32.56 +
// 46.725 − 19.2 = 60.085 kg; female 160 cm, 60 kg: 0.252 × 60 + 0.473 × 160
// − 48.3 = 15.12 + 75.68 − 48.3 = 42.5 kg. Both exact.
func TestLeanWeightJamesAndBoer(t *testing.T) {
	tests := []struct {
		name      string
		f         dosing.LeanFormula
		sex       dosing.Sex
		w, h      string
		want      string // rounded half up at the places shown, or exact
		wantFlags dosing.Flags
	}{
		{"James male 80 kg", dosing.James, dosing.Male, "80 kg", "175 cm", "61.2506 kg", dosing.Inexact},
		{"James male 120 kg", dosing.James, dosing.Male, "120 kg", "175 cm", "71.8139 kg", dosing.Inexact},
		{"James male at its top", dosing.James, dosing.Male, "131.591796875 kg", "175 cm", "72.37548828125 kg", 0},
		{"James male 140 kg, past its top", dosing.James, dosing.Male, "140 kg", "175 cm", "72.08 kg", dosing.Unreliable},
		{"James male 200 kg", dosing.James, dosing.Male, "200 kg", "175 cm", "52.8163 kg", dosing.Inexact | dosing.Unreliable},
		{"James male 240 kg", dosing.James, dosing.Male, "240 kg", "175 cm", "23.2555 kg", dosing.Inexact | dosing.Unreliable},
		{"James female 60 kg", dosing.James, dosing.Female, "60 kg", "160 cm", "43.3875 kg", 0},
		{"Boer male", dosing.Boer, dosing.Male, "80 kg", "175 cm", "60.085 kg", 0},
		{"Boer female", dosing.Boer, dosing.Female, "60 kg", "160 cm", "42.5 kg", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, flags, err := dosing.LeanWeight(tt.f, tt.sex, mq(tt.w), mq(tt.h))
			if err != nil {
				t.Fatal(err)
			}
			want := mq(tt.want)
			if got := units.New(q.Value().Round(-want.Value().Exponent()), q.Unit()); !got.Equal(want) || flags != tt.wantFlags {
				t.Errorf("LeanWeight = %s (%s), want %s (%s)", q, flags, tt.want, tt.wantFlags)
			}
		})
	}
}

// TestPropJamesTurnsDownAtItsBMI: d/dW (a × W − b × W² ÷ H²) = a − 2b × W
// ÷ H², zero at W = a × H² ÷ (2b), where the BMI is a × 10⁴ ÷ (2b):
// 42.96875 kg/m² for men, 36.1486… for women, at every height. Below that
// BMI a heavier patient has a larger James lean mass, above it a smaller
// one; the flag Unreliable is set exactly above it.
func TestPropJamesTurnsDownAtItsBMI(t *testing.T) {
	turn := map[dosing.Sex]decimal.Decimal{dosing.Male: decimal.RequireFromString("42.96875"),
		dosing.Female: decimal.NewFromInt(10700).DivRound(decimal.NewFromInt(296), units.Places)}
	rapid.Check(t, func(t *rapid.T) {
		sex := rapid.SampledFrom([]dosing.Sex{dosing.Male, dosing.Female}).Draw(t, "sex")
		h := genQ(t, "height_cm", 1400, 2100, 1, units.Centimeter)
		w1 := genQ(t, "weight_kg", 400, 2200, 1, units.Kilogram)
		w2, err := w1.Add(genQ(t, "more_kg", 1, 50, 1, units.Kilogram))
		if err != nil {
			t.Fatal(err)
		}
		bmi := func(w units.Quantity) decimal.Decimal {
			q, _, err := dosing.BMI(w, h)
			if err != nil {
				t.Fatal(err)
			}
			return q.Value()
		}
		l1, f1, err1 := dosing.LeanWeight(dosing.James, sex, w1, h)
		l2, f2, err2 := dosing.LeanWeight(dosing.James, sex, w2, h)
		if err1 != nil || err2 != nil {
			// Refused only where it is no longer positive: at twice the
			// turning BMI or beyond.
			for _, e := range []struct {
				w   units.Quantity
				err error
			}{{w1, err1}, {w2, err2}} {
				if e.err != nil && (bmi(e.w).LessThan(turn[sex].Mul(decimal.NewFromInt(2))) || !errors.Is(e.err, dosing.ErrRange)) {
					t.Fatalf("James refused at BMI %s: %v", bmi(e.w), e.err)
				}
			}
			return
		}
		for _, c := range []struct {
			w     units.Quantity
			flags dosing.Flags
		}{{w1, f1}, {w2, f2}} {
			if above := bmi(c.w).GreaterThan(turn[sex]); c.flags.Has(dosing.Unreliable) != above {
				t.Fatalf("BMI %s: unreliable %v, want %v", bmi(c.w), c.flags.Has(dosing.Unreliable), above)
			}
		}
		switch c := cmpQ(t, l2, l1); {
		case !bmi(w2).GreaterThan(turn[sex]) && c <= 0:
			t.Fatalf("below the turn (BMI %s to %s) James fell: %s → %s", bmi(w1), bmi(w2), l1, l2)
		case !bmi(w1).LessThan(turn[sex]) && c >= 0:
			t.Fatalf("above the turn (BMI %s to %s) James rose: %s → %s", bmi(w1), bmi(w2), l1, l2)
		}
	})
}

// TestDuBoisConstantForm: the DuBois BSA uses the paper's constant, 71.84
// cm² = 0.007184 m², with the height in cm. The form 0.20247 × H(m)^0.725 ×
// W^0.425 is that constant times 100^0.725 = 10^1.45 = 28.18382…, 0.2024726…,
// rounded to five places: it gives 0.20247 ÷ 0.2024726 − 1 = −1.30e-5 less.
// For 80 kg, 175 cm: 1.956060 m² (clinical.md §7: 1.9561), and 1.956035 m²
// by the rounded form; BSA keeps six places, at which the two differ.
func TestDuBoisConstantForm(t *testing.T) {
	got, err := dosing.BSA(dosing.DuBois, mq("80 kg"), mq("175 cm"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(mq("1.95606 m²")) {
		t.Errorf("DuBois BSA = %s, want 1.95606 m² (the 0.007184 form)", got)
	}
	rounded := 0.20247 * math.Pow(1.75, 0.725) * math.Pow(80, 0.425)
	if rel := rounded/got.Value().InexactFloat64() - 1; math.Abs(rel+1.3e-5) > 0.05e-5 {
		t.Errorf("the 0.20247 form differs by %.3g relative, want about −1.3e-5", rel)
	}
}

// TestBodySizeFlagsAreExactness: a value is flagged inexact exactly when a
// division did not terminate within units.Places. BMI: 80 ÷ 1.75² =
// 26.1224… (inexact); 81 ÷ 1.8² = 81 ÷ 3.24 = 25 (exact); 1 ÷ 1.28² = 1 ÷
// 1.6384 = 0.6103515625 (exact: 1.6384 = 2^14 ÷ 10^4). IBW: 175 cm ÷ 2.54
// = 68.8976… in (inexact); 177.8 cm = 70 in (exact): Devine 50 + 2.3 × 10
// = 73 kg.
func TestBodySizeFlagsAreExactness(t *testing.T) {
	bmi := func(w, h string) dosing.Flags {
		_, f, err := dosing.BMI(mq(w), mq(h))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	ibw := func(h string) (units.Quantity, dosing.Flags) {
		q, f, err := dosing.IBW(dosing.Devine, dosing.Male, mq(h), "")
		if err != nil {
			t.Fatal(err)
		}
		return q, f
	}
	got := []dosing.Flags{bmi("80 kg", "175 cm"), bmi("81 kg", "180 cm"), bmi("1 kg", "128 cm")}
	if diff := cmp.Diff([]dosing.Flags{dosing.Inexact, 0, 0}, got); diff != "" {
		t.Errorf("BMI flags (-want +got):\n%s", diff)
	}
	if _, f := ibw("175 cm"); f != dosing.Inexact {
		t.Errorf("IBW of 175 cm flags %s, want inexact", f)
	}
	if q, f := ibw("177.8 cm"); f != 0 || !q.Equal(mq("73 kg")) {
		t.Errorf("IBW of 177.8 cm = %s (%s), want 73 kg, exact", q, f)
	}
}
