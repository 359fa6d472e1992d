package envelope

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

func TestDefaultGrid(t *testing.T) {
	iv, _ := ivRule(t)
	withPop := iv
	withPop.Population.Weight = dosing.Bound{HardMin: q("100 lb"), SoftMax: q("180 kg")}
	withPop.Population.Height = dosing.Bound{SoftMin: q("5 ft"), HardMax: q("210 cm")}
	withPop.Population.Age = dosing.AgeBound{HardMin: 18, SoftMax: 65}
	ownPl := iv
	ownPl.Population = dosing.Population{}
	ownPl.Plausibility = dosing.Plausibility{WeightSoftMin: q("40 kg"), WeightSoftMax: q("160 kg"), BMISoftMin: q("16 kg/m²"), BMISoftMax: q("50 kg/m²")}
	tests := []struct {
		name                 string
		rule                 dosing.Rule
		opt                  Options
		weights, heights     Axis
		nWeights, nHeights   int
		ages                 []dosing.Years
		agesWhy, heightsFrom string
	}{
		{
			// No weight bound in the population: the library's 30–250 kg.
			// Heights: √(30 kg ÷ 60 kg/m²) = 0.7071 m, rounded down to 70
			// cm; √(250 ÷ 15) = 4.08 m is above 275 cm, so 275 cm. Ages:
			// either side of hard_min 18 years, and of the adult defaults'
			// 18 years.
			name: "the IV example", rule: iv,
			weights: Axis{From: kg(30), To: kg(250), Step: kg(1)}, nWeights: 221,
			heights: Axis{From: cm(70), To: cm(275), Step: cm(1)}, nHeights: 206,
			ages: []dosing.Years{17, 18}, agesWhy: "17, 18 years: either side of population.age.hard_min 18 years and the library's adult plausibility defaults (from 18 years)",
			heightsFrom: "from where 30 kg has the BMI 60 kg/m²",
		},
		{
			// 100 lb = 45.359237 kg, rounded down to the 1 kg step: 45 kg;
			// the soft maximum 180 kg. Heights: 5 ft = 152.4 cm, rounded
			// down to 152 cm, to 210 cm. Ages either side of 18 (hard_min,
			// and the adult defaults) and of 65 (soft_max: 65, 66).
			name: "the population's bounds, in other units", rule: withPop,
			weights: Axis{From: kg(45), To: kg(180), Step: kg(1)}, nWeights: 136,
			heights: Axis{From: cm(152), To: cm(210), Step: cm(1)}, nHeights: 59,
			ages: []dosing.Years{17, 18, 65, 66}, agesWhy: "17, 18, 65, 66 years: either side of population.age.hard_min 18 years and population.age.soft_max 65 years and the library's adult plausibility defaults (from 18 years)",
			heightsFrom: "from population.height.soft_min 5 ft, rounded down to the step",
		},
		{
			// The protocol's own plausibility, no population: weights 40–160
			// kg; heights from √(40 ÷ 50) = 0.894 m (89 cm) to √(160 ÷ 16)
			// = 3.162 m, above 275 cm. No age matters.
			name: "the protocol's plausibility", rule: ownPl,
			weights: Axis{From: kg(40), To: kg(160), Step: kg(1)}, nWeights: 121,
			heights: Axis{From: cm(89), To: cm(275), Step: cm(1)}, nHeights: 187,
			ages: []dosing.Years{0}, agesWhy: "not given: the rule's results depend on no age",
			heightsFrom: "from where 40 kg has the BMI 50 kg/m² (plausibility.bmi_soft_max 50 kg/m²)",
		},
		{
			// Steps given, ends defaulted and rounded outwards to them: 30
			// kg ÷ 4 kg = 7.5, down to 28 kg; 250 ÷ 4 = 62.5, up to 252 kg
			// (57 values). Heights from the grid's lightest weight: √(28 ÷
			// 60) = 0.6831 m, down to a multiple of 5 cm: 65 cm, to 275 cm
			// (43 values).
			name: "steps given", rule: iv, opt: Options{Weights: Axis{Step: kg(4)}, Heights: Axis{Step: cm(5)}},
			weights: Axis{From: kg(28), To: kg(252), Step: kg(4)}, nWeights: 57,
			heights: Axis{From: cm(65), To: cm(275), Step: cm(5)}, nHeights: 43,
			ages: []dosing.Years{17, 18}, agesWhy: "17, 18 years: either side of population.age.hard_min 18 years and the library's adult plausibility defaults (from 18 years)",
			heightsFrom: "from where 28 kg has the BMI 60 kg/m²",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := resolve(tt.opt, tt.rule)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.weights, g.Weights.Axis, quantityCmp); diff != "" {
				t.Errorf("weights (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.heights, g.Heights.Axis, quantityCmp); diff != "" {
				t.Errorf("heights (-want +got):\n%s", diff)
			}
			if g.Weights.Count != tt.nWeights || len(g.weights) != tt.nWeights || g.Heights.Count != tt.nHeights || len(g.heights) != tt.nHeights {
				t.Errorf("counts %d × %d (%d × %d values), want %d × %d", g.Weights.Count, g.Heights.Count, len(g.weights), len(g.heights), tt.nWeights, tt.nHeights)
			}
			if diff := cmp.Diff(tt.ages, g.Ages); diff != "" {
				t.Errorf("ages (-want +got):\n%s", diff)
			}
			if g.AgesWhy != tt.agesWhy {
				t.Errorf("ages why %q, want %q", g.AgesWhy, tt.agesWhy)
			}
			if !strings.HasPrefix(g.Heights.Why, tt.heightsFrom) {
				t.Errorf("heights why %q, want it to start %q", g.Heights.Why, tt.heightsFrom)
			}
			if diff := cmp.Diff([]dosing.Sex{dosing.Male, dosing.Female}, g.Sexes); diff != "" {
				t.Errorf("sexes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGridValuesAreExact(t *testing.T) {
	// 60 kg to 61 kg by 0.1 kg: eleven values, each From + k × Step
	// exactly (never 60.30000000000001).
	iv, _ := ivRule(t)
	g, err := resolve(Options{Weights: Axis{From: q("60 kg"), To: q("61 kg"), Step: q("0.1 kg")}}, iv)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range g.weights {
		got = append(got, w.String())
	}
	want := []string{"60 kg", "60.1 kg", "60.2 kg", "60.3 kg", "60.4 kg", "60.5 kg", "60.6 kg", "60.7 kg", "60.8 kg", "60.9 kg", "61 kg"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("weights (-want +got):\n%s", diff)
	}
}

func TestGridErrors(t *testing.T) {
	iv, _ := ivRule(t)
	opt := Options{
		Weights: Axis{From: q("80 kg"), To: q("60 kg")},
		Heights: Axis{From: q("150 cm"), To: q("160.5 cm"), Step: q("1 cm")},
		Sexes:   []dosing.Sex{dosing.Male, dosing.Male},
		Ages:    []dosing.Years{18, 140},
		Levels:  []int{4, 0},
		Keep:    []string{"doze"},
		Workers: -1,
	}
	_, err := evaluate(iv, []units.Quantity{q("0.5 mg/kg"), q("0.6 mg/kg"), q("0.75 mg/kg")}, opt)
	want := []string{
		`envelope: weights.from "80 kg": must not be above weights.to "60 kg"`,
		`envelope: heights.to "160.5 cm": must be a whole number of heights.step "1 cm" from heights.from "150 cm"`,
		`envelope: ages[1] "140 years": out of range (0, not given, or 1 to 130 years)`,
		`envelope: sexes[1] "male": given twice`,
		`envelope: levels[0] "4": is not a level (1 to 3)`,
		`envelope: levels[1] "0": is not a level (1 to 3)`,
		`envelope: keep[0] "doze": is not an output of the rule (dosing_weight, dose, dose_per_kg, dose_per_kg_actual, draw_volume, final_volume, final_concentration, pump_rate, duration, dose_rate, dose_rate_per_kg, dose_rate_per_kg_min, rounding.dose, rounding.draw_volume, rounding.pump_rate)`,
		`envelope: workers "-1": must be ≥ 0 (0 is one per CPU)`,
	}
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		got = append(got, e.Error())
		if !errors.Is(e, ErrRange) {
			t.Errorf("%v: not ErrRange", e)
		}
		var ie *FieldError
		if !errors.As(e, &ie) {
			t.Errorf("%v: not an *FieldError", e)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestGridTooLarge(t *testing.T) {
	iv, _ := ivRule(t)
	// 30 kg … 230 kg by 0.1 kg is 2,001 weights, one over MaxAxisValues.
	_, err := evaluate(iv, nil, Options{Weights: Axis{From: q("30 kg"), To: q("230 kg"), Step: q("0.1 kg")}})
	if want := `envelope: weights "30 kg to 230 kg by 0.1 kg": has 2,001 values (at most 2,000)`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
	// 2,000 weights × 246 heights (0.3 m … 2.75 m by 0.01 m) × 2 sexes ×
	// 2 ages × 3 levels = 5,904,000 patients, over MaxPatients.
	_, err = evaluate(iv, []units.Quantity{q("0.5 mg/kg"), q("0.6 mg/kg"), q("0.75 mg/kg")},
		Options{Weights: Axis{From: q("30 kg"), To: q("229.9 kg"), Step: q("0.1 kg")}, Heights: Axis{From: q("0.3 m"), To: q("2.75 m"), Step: q("0.01 m")}})
	if want := `envelope: grid "5,904,000 patients": is too large (at most 5,000,000; use larger steps or fewer levels)`; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %s", err, want)
	}
}

// TestHeightBoundsAreTheLibrarys keeps minHeight and maxHeight the bounds
// dosing refuses a patient outside.
func TestHeightBoundsAreTheLibrarys(t *testing.T) {
	for _, tt := range []struct {
		h  string
		ok bool
	}{{"29.9 cm", false}, {"30 cm", true}, {"275 cm", true}, {"275.1 cm", false}} {
		_, err := dosing.Patient{Weight: q("70 kg"), Height: q(tt.h)}.Validate(dosing.Plausibility{})
		if (err == nil) != tt.ok {
			t.Errorf("height %s: Validate error %v, want ok %v", tt.h, err, tt.ok)
		}
	}
	if !minHeight.Equal(q("30 cm")) || !maxHeight.Equal(q("275 cm")) {
		t.Errorf("minHeight, maxHeight = %v, %v; want 30 cm, 275 cm", minHeight, maxHeight)
	}
}
