package dosing_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

var mq = units.MustParse

// round4 is a value rounded half up to four decimal places, as the worked
// table of clinical.md §7 prints it.
func round4(q units.Quantity) string {
	if !q.IsValid() {
		return q.String()
	}
	return units.New(q.Value().Round(4), q.Unit()).String()
}

// bodyRow is one row of the body-size table, every value to 4 decimals.
type bodyRow struct {
	BMI, Mosteller, DuBois, Haycock string
	Devine, Robinson, Miller        string
	ABWDevine04, Janmahasatian      string
}

// TestBodySizeWorkedTable checks every body-size formula against the worked
// table of clinical.md §7 to its 4 decimals. The cells the table leaves
// empty ("—") were derived here by hand from the same equations (height in
// inches = cm ÷ 2.54; the rest as in §7) and are marked "derived".
func TestBodySizeWorkedTable(t *testing.T) {
	tests := []struct {
		name           string
		sex            dosing.Sex
		weight, height string
		want           bodyRow
	}{
		{
			// 68.8976 in: Devine 50 + 2.3 × 8.8976 = 70.4646; Robinson
			// 52 + 1.9 × 8.8976 = 68.9055; Miller 56.2 + 1.41 × 8.8976 =
			// 68.7457; ABW 70.4646 + 0.4 × 9.5354 = 74.2787.
			name: "male 175 cm 80 kg", sex: dosing.Male, weight: "80 kg", height: "175 cm",
			want: bodyRow{"26.1224 kg/m²", "1.972 m²", "1.9561 m²", "1.9843 m²",
				"70.4646 kg", "68.9055 kg", "68.7457 kg", "74.2787 kg", "60.1828 kg"},
		},
		{
			// 62.9921 in: Devine 45.5 + 2.3 × 2.9921 = 52.3819; Robinson
			// 49 + 1.7 × 2.9921 = 54.0866; Miller 53.1 + 1.36 × 2.9921 =
			// 57.1693; ABW (derived) 52.3819 + 0.4 × 7.6181 = 55.4291.
			name: "female 160 cm 60 kg", sex: dosing.Female, weight: "60 kg", height: "160 cm",
			want: bodyRow{"23.4375 kg/m²", "1.633 m²", "1.6221 m²", "1.6405 m²",
				"52.3819 kg", "54.0866 kg", "57.1693 kg", "55.4291 kg", "38.3619 kg"},
		},
		{
			// BSA (derived): Mosteller √(175 × 120 / 3600) = √5.8333 =
			// 2.4152; DuBois 0.007184 × 120^0.425 × 175^0.725 = 2.3239;
			// Haycock 0.024265 × 120^0.5378 × 175^0.3964 = 2.4678.
			// Robinson, Miller (derived): as for 80 kg, they do not
			// depend on weight. LBW 9270 × 120 / (6680 + 216 × 39.1837)
			// = 1112400 / 15143.673 = 73.4564.
			name: "male 175 cm 120 kg", sex: dosing.Male, weight: "120 kg", height: "175 cm",
			want: bodyRow{"39.1837 kg/m²", "2.4152 m²", "2.3239 m²", "2.4678 m²",
				"70.4646 kg", "68.9055 kg", "68.7457 kg", "90.2787 kg", "73.4564 kg"},
		},
		{
			// 64.1732 in. Derived: Mosteller √(163 × 110 / 3600) =
			// √4.98056 = 2.2317; DuBois 2.1271; Haycock 2.2896; Robinson
			// 49 + 1.7 × 4.1732 = 56.0945; Miller 53.1 + 1.36 × 4.1732 =
			// 58.7756; LBW 9270 × 110 / (8780 + 244 × 41.4016) =
			// 1019700 / 18882.0 = 54.0038.
			name: "female 163 cm 110 kg", sex: dosing.Female, weight: "110 kg", height: "163 cm",
			want: bodyRow{"41.4016 kg/m²", "2.2317 m²", "2.1271 m²", "2.2896 m²",
				"55.0984 kg", "56.0945 kg", "58.7756 kg", "77.0591 kg", "54.0038 kg"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := mq(tt.weight), mq(tt.height)
			must := func(q units.Quantity, err error) string {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
				return round4(q)
			}
			ibw := func(f dosing.IBWFormula) units.Quantity {
				t.Helper()
				q, _, err := dosing.IBW(f, tt.sex, h, "")
				if err != nil {
					t.Fatal(err)
				}
				return q
			}
			devine := ibw(dosing.Devine)
			got := bodyRow{
				BMI:           must(noFlags(dosing.BMI(w, h))),
				Mosteller:     must(dosing.BSA(dosing.Mosteller, w, h)),
				DuBois:        must(dosing.BSA(dosing.DuBois, w, h)),
				Haycock:       must(dosing.BSA(dosing.Haycock, w, h)),
				Devine:        round4(devine),
				Robinson:      round4(ibw(dosing.Robinson)),
				Miller:        round4(ibw(dosing.Miller)),
				ABWDevine04:   must(dosing.AdjustedBodyWeight(w, devine, decimal.RequireFromString("0.4"))),
				Janmahasatian: must(noFlags(dosing.LeanWeight(dosing.Janmahasatian, tt.sex, w, h))),
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("body size of %s (-want +got):\n%s", tt.name, diff)
			}
		})
	}
}

// TestBodySizeUnitsAgree: the same patient in other units gives the same
// values (pounds are converted exactly: 0.45359237 kg; inches are exactly
// 2.54 cm).
func TestBodySizeUnitsAgree(t *testing.T) {
	// 80 kg = 80 ÷ 0.45359237 lb does not terminate, so take a weight in
	// pounds: 176 lb = 79.83225712 kg exactly; 175 cm = 1.75 m; 70 in =
	// 177.8 cm exactly.
	tests := []struct {
		name           string
		w1, h1, w2, h2 string
	}{
		{"pounds and kilograms", "176 lb", "175 cm", "79.83225712 kg", "175 cm"},
		{"metres and centimetres", "80 kg", "1.75 m", "80 kg", "175 cm"},
		{"inches and centimetres", "80 kg", "70 in", "80 kg", "177.8 cm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := bodyValues(t, mq(tt.w1), mq(tt.h1))
			b := bodyValues(t, mq(tt.w2), mq(tt.h2))
			if diff := cmp.Diff(b, a); diff != "" {
				t.Errorf("%s %s vs %s %s (-want +got):\n%s", tt.w1, tt.h1, tt.w2, tt.h2, diff)
			}
		})
	}
}

func bodyValues(t *testing.T, w, h units.Quantity) []units.Quantity {
	t.Helper()
	var out []units.Quantity
	add := func(q units.Quantity, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
	add(noFlags(dosing.BMI(w, h)))
	for _, f := range []dosing.BSAFormula{dosing.Mosteller, dosing.DuBois, dosing.Haycock, dosing.Boyd} {
		add(dosing.BSA(f, w, h))
	}
	for _, f := range []dosing.IBWFormula{dosing.Devine, dosing.Robinson, dosing.Miller} {
		q, _, err := dosing.IBW(f, dosing.Male, h, dosing.Extrapolate)
		add(q, err)
	}
	for _, f := range []dosing.LeanFormula{dosing.Janmahasatian, dosing.James, dosing.Boer} {
		add(noFlags(dosing.LeanWeight(f, dosing.Male, w, h)))
	}
	return out
}

// TestIBWShortStature: below 60 in the protocol chooses clamp or extrapolate
// and the flags say which; unset is refused. Female 150 cm = 59.055118 in:
//
//	Devine   45.5 + 2.3 × (59.055118 − 60) = 45.5 − 2.173228 = 43.3268 (clamp 45.5)
//	Robinson 49 + 1.7 × (−0.944882) = 49 − 1.606299 = 47.3937 (clamp 49)
//	Miller   53.1 + 1.36 × (−0.944882) = 53.1 − 1.285039 = 51.8150 (clamp 53.1)
//
// Male 150 cm, Devine: 50 − 2.173228 = 47.8268.
// Exactly 60 in (152.4 cm) is not short: Devine female 45.5 kg, no flag.
func TestIBWShortStature(t *testing.T) {
	tests := []struct {
		name      string
		f         dosing.IBWFormula
		sex       dosing.Sex
		height    string
		short     dosing.ShortStature
		want      string
		wantFlags dosing.Flags
	}{
		{"Devine female extrapolated", dosing.Devine, dosing.Female, "150 cm", dosing.Extrapolate, "43.3268 kg", dosing.Extrapolated | dosing.Inexact},
		{"Devine female clamped", dosing.Devine, dosing.Female, "150 cm", dosing.ClampAt60In, "45.5 kg", dosing.Clamped},
		{"Robinson female extrapolated", dosing.Robinson, dosing.Female, "150 cm", dosing.Extrapolate, "47.3937 kg", dosing.Extrapolated | dosing.Inexact},
		{"Robinson female clamped", dosing.Robinson, dosing.Female, "150 cm", dosing.ClampAt60In, "49 kg", dosing.Clamped},
		{"Miller female extrapolated", dosing.Miller, dosing.Female, "150 cm", dosing.Extrapolate, "51.815 kg", dosing.Extrapolated | dosing.Inexact},
		{"Miller female clamped", dosing.Miller, dosing.Female, "150 cm", dosing.ClampAt60In, "53.1 kg", dosing.Clamped},
		{"Devine male extrapolated", dosing.Devine, dosing.Male, "150 cm", dosing.Extrapolate, "47.8268 kg", dosing.Extrapolated | dosing.Inexact},
		{"exactly 60 in is not short", dosing.Devine, dosing.Female, "152.4 cm", "", "45.5 kg", 0},
		{"60 in given in inches", dosing.Devine, dosing.Female, "60 in", "", "45.5 kg", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, flags, err := dosing.IBW(tt.f, tt.sex, mq(tt.height), tt.short)
			if err != nil {
				t.Fatal(err)
			}
			if got := round4(q); got != tt.want {
				t.Errorf("IBW(%s, %s, %s, %q) = %s (%s), want %s", tt.f, tt.sex, tt.height, tt.short, got, q, tt.want)
			}
			if flags != tt.wantFlags {
				t.Errorf("flags = %q, want %q", flags, tt.wantFlags)
			}
		})
	}
	t.Run("unset policy is refused for a short patient", func(t *testing.T) {
		_, _, err := dosing.IBW(dosing.Devine, dosing.Female, mq("150 cm"), "")
		var ie *dosing.FieldError
		if !errors.As(err, &ie) || ie.Field != "weight.short_stature" || !errors.Is(err, dosing.ErrMissing) {
			t.Errorf("err = %v, want a *FieldError for weight.short_stature wrapping ErrMissing", err)
		}
	})
}

// TestBodySizeRefusals: the body-size functions refuse bad input with an
// *FieldError naming the field, never a guess.
func TestBodySizeRefusals(t *testing.T) {
	w, h := mq("80 kg"), mq("175 cm")
	ibw := func(s dosing.Sex, h units.Quantity, f dosing.IBWFormula) error {
		_, _, err := dosing.IBW(f, s, h, dosing.Extrapolate)
		return err
	}
	q := func(_ units.Quantity, err error) error { return err }
	tests := []struct {
		name     string
		err      error
		field    string
		sentinel error
	}{
		{"BMI without weight", q(noFlags(dosing.BMI(units.Quantity{}, h))), "patient.weight", dosing.ErrMissing},
		{"BMI with a drug mass as weight", q(noFlags(dosing.BMI(mq("80 mg"), h))), "patient.weight", dosing.ErrDimension},
		{"BMI with zero weight", q(noFlags(dosing.BMI(mq("0 kg"), h))), "patient.weight", dosing.ErrRange},
		{"BMI without height", q(noFlags(dosing.BMI(w, units.Quantity{}))), "patient.height", dosing.ErrMissing},
		{"BMI with a height in kilograms", q(noFlags(dosing.BMI(w, mq("175 kg")))), "patient.height", dosing.ErrDimension},
		{"BMI with zero height", q(noFlags(dosing.BMI(w, mq("0 cm")))), "patient.height", dosing.ErrRange},
		{"Mosteller without height", q(dosing.BSA(dosing.Mosteller, w, units.Quantity{})), "patient.height", dosing.ErrMissing},
		{"DuBois with a volume as weight", q(dosing.BSA(dosing.DuBois, mq("80 mL"), h)), "patient.weight", dosing.ErrDimension},
		{"Haycock with zero weight", q(dosing.BSA(dosing.Haycock, mq("0 kg"), h)), "patient.weight", dosing.ErrRange},
		{"unknown BSA formula", q(dosing.BSA("meeh", w, h)), "bsa_formula", dosing.ErrRange},
		{"IBW without sex", ibw(0, h, dosing.Devine), "patient.sex", dosing.ErrMissing},
		{"IBW unknown formula", ibw(dosing.Male, h, "hamwi"), "weight.ibw_formula", dosing.ErrRange},
		{"IBW without height", ibw(dosing.Male, units.Quantity{}, dosing.Devine), "patient.height", dosing.ErrMissing},
		{"IBW extrapolated to nothing", ibw(dosing.Female, mq("31 cm"), dosing.Devine), "patient.height", dosing.ErrRange},
		{"adjusted weight factor 0", q(dosing.AdjustedBodyWeight(w, mq("70 kg"), decimal.Zero)), "weight.adjust_factor", dosing.ErrRange},
		{"adjusted weight factor above 1", q(dosing.AdjustedBodyWeight(w, mq("70 kg"), decimal.RequireFromString("1.1"))), "weight.adjust_factor", dosing.ErrRange},
		{"adjusted weight without ideal", q(dosing.AdjustedBodyWeight(w, units.Quantity{}, decimal.RequireFromString("0.4"))), "patient.weight", dosing.ErrMissing},
		{"lean weight without sex", q(noFlags(dosing.LeanWeight(dosing.Janmahasatian, 0, w, h))), "patient.sex", dosing.ErrMissing},
		{"lean weight without height", q(noFlags(dosing.LeanWeight(dosing.Boer, dosing.Female, w, units.Quantity{}))), "patient.height", dosing.ErrMissing},
		{"lean weight unknown formula", q(noFlags(dosing.LeanWeight("hume", dosing.Male, w, h))), "weight.lean_formula", dosing.ErrRange},
		// James reaches zero at twice its turning BMI: 1.1 × W = 128 × W² ÷
		// 175² at W = 1.1 × 30625 ÷ 128 = 263.18… kg; 270 kg is past it.
		{"James past zero", q(noFlags(dosing.LeanWeight(dosing.James, dosing.Male, mq("270 kg"), h))), "patient.weight", dosing.ErrRange},
		// Boer for a tiny patient: 0.252 × 2 + 0.473 × 50 − 48.3 = −24.146.
		{"Boer not positive", q(noFlags(dosing.LeanWeight(dosing.Boer, dosing.Female, mq("2 kg"), mq("50 cm")))), "patient.height", dosing.ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ie *dosing.FieldError
			if !errors.As(tt.err, &ie) {
				t.Fatalf("err = %v, want a *FieldError", tt.err)
			}
			if ie.Field != tt.field {
				t.Errorf("field = %q, want %q", ie.Field, tt.field)
			}
			if !errors.Is(tt.err, tt.sentinel) {
				t.Errorf("err = %v, want it to wrap %v", tt.err, tt.sentinel)
			}
		})
	}
}

// noFlags drops the flags of a body-size function, for tests that compare
// only the value.
func noFlags(q units.Quantity, _ dosing.Flags, err error) (units.Quantity, error) { return q, err }
