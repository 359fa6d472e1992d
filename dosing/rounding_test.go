package dosing_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// rounded is a dosing.RoundedValue reduced to what a table states by hand:
// values to six places, the deviation in % to four.
type rounded struct {
	Field, Requested, Gives, Deviation, Pct string
	By                                      []string
	Tolerance                               string
	Beyond                                  bool
}

func roundedOf(r dosing.Result) []rounded {
	var out []rounded
	for _, v := range r.Rounded {
		tol := ""
		if v.Tolerance.IsValid() {
			tol = v.Tolerance.String()
		}
		at := func(q units.Quantity, places int32) string {
			return units.New(q.Value().Round(places), q.Unit()).String()
		}
		out = append(out, rounded{v.Field, at(v.Requested, 6), at(v.Gives, 6), at(v.Deviation, 6), at(v.DeviationPct, 4), v.By, tol, v.Beyond})
	}
	return out
}

// devicesRule is a fixed dose in 28 mg devices, rounded down.
func devicesRule(tol string) dosing.Rule {
	r := dosing.Rule{Name: "devices", Version: "1", Dose: mq("56 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form: &dosing.Form{Strength: mq("28 mg/device"), Step: mq("1 device"), Rounding: units.RoundDown}}
	if tol != "" {
		r.RoundingTolerance.Dose = mq(tol)
	}
	return r
}

// bagRule is chkIVRule's infusion (10 mg/mL drawn to 0.1 mL half up, a
// 100 mL bag, 40 min, 0.1 mL/h half up, a 20 gtt/mL set) with the given
// rounding tolerances.
func bagRule(tol dosing.RoundingTolerance) dosing.Rule {
	r := chkIVRule()
	r.Cap = units.Quantity{}
	r.RoundingTolerance = tol
	return r
}

// TestRoundingChanges: every value a declared rounding changes is listed,
// requested (or calculated) → given, and a change beyond the rule's
// tolerance for it, and only such a change, is a review warning. Every
// number is worked out by hand in the comments.
func TestRoundingChanges(t *testing.T) {
	t.Parallel()
	troche := dosing.Rule{Name: "troches", Version: "1", Dose: mq("1.25 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form:              &dosing.Form{Strength: mq("50 mg/troche"), Step: mq("0.5 troche"), Rounding: units.RoundDown},
		RoundingTolerance: dosing.RoundingTolerance{Dose: mq("15 %")}}
	capped := dosing.Rule{Name: "capped", Version: "1", Dose: mq("1 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Cap: mq("100 mg"),
		DoseRounding: &dosing.Rounding{Step: mq("3 mg"), Mode: units.RoundDown}, RoundingTolerance: dosing.RoundingTolerance{Dose: mq("1 %")}}
	loading := bagRule(dosing.RoundingTolerance{PumpRate: mq("0.02 %")})
	loading.Preparation.Bag, loading.Preparation.Syringe = nil, &dosing.Syringe{Volume: mq("40 mL")}
	loading.Infusion.DropFactor, loading.Infusion.DripRounding = units.Quantity{}, 0
	loading.Infusion.Loading = &dosing.Loading{Dose: mq("0.1 mg/kg"), Duration: mq("5 min")}
	p734 := dosing.Patient{Weight: mq("73.4 kg")}

	tests := []struct {
		name     string
		rule     dosing.Rule
		patient  dosing.Patient
		opt      dosing.Options
		want     []rounded
		warnings []string
	}{
		{
			// 70 ÷ 28 = 2.5 devices, down to 2 = 56 mg: −14 mg, −14 ÷ 70
			// = −20 %, beyond 0 %.
			name: "devices rounded down, beyond 0 %", rule: devicesRule("0 %"), patient: dosing.Patient{Weight: mq("80 kg")},
			opt:      dosing.Options{Dose: mq("70 mg")},
			want:     []rounded{{"dose", "70 mg", "56 mg", "-14 mg", "-20 %", []string{"form_dose"}, "0 %", true}},
			warnings: []string{"dose.rounding_tolerance"},
		},
		{
			// The same −20 % at a tolerance of 20 %: the edge is inside.
			name: "devices at the tolerance's edge", rule: devicesRule("20 %"), patient: dosing.Patient{Weight: mq("80 kg")},
			opt:  dosing.Options{Dose: mq("70 mg")},
			want: []rounded{{"dose", "70 mg", "56 mg", "-14 mg", "-20 %", []string{"form_dose"}, "20 %", false}},
		},
		{
			// 20 % > 19.99 %.
			name: "devices just beyond the tolerance", rule: devicesRule("19.99 %"), patient: dosing.Patient{Weight: mq("80 kg")},
			opt:      dosing.Options{Dose: mq("70 mg")},
			want:     []rounded{{"dose", "70 mg", "56 mg", "-14 mg", "-20 %", []string{"form_dose"}, "19.99 %", true}},
			warnings: []string{"dose.rounding_tolerance"},
		},
		{
			// No tolerance declared: still reported, never warned about.
			name: "devices without a tolerance", rule: devicesRule(""), patient: dosing.Patient{Weight: mq("80 kg")},
			opt:  dosing.Options{Dose: mq("70 mg")},
			want: []rounded{{"dose", "70 mg", "56 mg", "-14 mg", "-20 %", []string{"form_dose"}, "", false}},
		},
		{
			// 84 ÷ 28 = 3 devices exactly: nothing rounded.
			name: "whole devices change nothing", rule: devicesRule("0 %"), patient: dosing.Patient{Weight: mq("80 kg")},
			opt: dosing.Options{Dose: mq("84 mg")},
		},
		{
			// WC11: 0.5 × 73.4 = 36.7 mg; 3.67 mL → 3.7 mL (+0.03 mL,
			// +0.03 ÷ 3.67 = +0.8174 %) = 37 mg (+0.3 mg, the same
			// +0.8174 %); 100 + 3.7 = 103.7 mL over 40 min = 155.55 mL/h →
			// 155.6 (+0.05 ÷ 155.55 = +0.0321 %); 103.7 × 20 ÷ 40 = 51.85
			// gtt/min → 52 (+0.15 ÷ 51.85 = +0.2893 %). Beyond: the draw
			// (0.8174 > 0.8) and the pump rate (0.0321 > 0.03).
			name: "draw, pump and drip", patient: p734,
			rule: bagRule(dosing.RoundingTolerance{Dose: mq("1 %"), DrawVolume: mq("0.8 %"), PumpRate: mq("0.03 %"), DripRate: mq("0.3 %")}),
			want: []rounded{
				{"dose", "36.7 mg", "37 mg", "0.3 mg", "0.8174 %", []string{"delivered_dose"}, "1 %", false},
				{"draw_volume", "3.67 mL", "3.7 mL", "0.03 mL", "0.8174 %", []string{"draw_volume"}, "0.8 %", true},
				{"pump_rate", "155.55 mL/h", "155.6 mL/h", "0.05 mL/h", "0.0321 %", []string{"pump_rate"}, "0.03 %", true},
				{"drip_rate", "51.85 gtt/min", "52 gtt/min", "0.15 gtt/min", "0.2893 %", []string{"drip_rate"}, "0.3 %", false},
			},
			warnings: []string{"draw_volume.rounding_tolerance", "pump_rate.rounding_tolerance"},
		},
		{
			// 1 × 130 = 130 mg, capped to 100 mg (a cap is not rounding),
			// then down to a multiple of 3 mg: 99 mg, −1 mg = −1 %, at the
			// 1 % tolerance.
			name: "capped, then rounded", rule: capped, patient: dosing.Patient{Weight: mq("130 kg")},
			want:     []rounded{{"dose", "100 mg", "99 mg", "-1 mg", "-1 %", []string{"dose_rounding"}, "1 %", false}},
			warnings: []string{"dose.capped"},
		},
		{
			// 1.25 × 70 = 87.5 mg = 1.75 troches, down to 1.5 = 75 mg:
			// −12.5 ÷ 87.5 = −14.2857 %, within 15 %.
			name: "half troches", rule: troche, patient: dosing.Patient{Weight: mq("70 kg")},
			want: []rounded{{"dose", "87.5 mg", "75 mg", "-12.5 mg", "-14.2857 %", []string{"form_dose"}, "15 %", false}},
		},
		{
			// 36.7 mg → 3.7 mL = 37 mg in a 40 mL syringe. Loading 0.1 ×
			// 73.4 = 7.34 mg = 7.34 × 40 ÷ 37 = 293.6/37 mL over 5 min =
			// 3523.2/37 = 95.221622 mL/h → 95.2 (−0.8/37 = −0.021622 mL/h,
			// −0.8 ÷ 3523.2 = −0.0227 %, beyond 0.02 %). Maintenance (40 −
			// 293.6/37) mL over 40 min = 1779.6/37 = 48.097297 → 48.1
			// (+0.1/37 = +0.002703 mL/h, +0.1 ÷ 1779.6 = +0.0056 %, within).
			name: "loading rate under the pump-rate tolerance", rule: loading, patient: p734,
			want: []rounded{
				{"dose", "36.7 mg", "37 mg", "0.3 mg", "0.8174 %", []string{"delivered_dose"}, "", false},
				{"draw_volume", "3.67 mL", "3.7 mL", "0.03 mL", "0.8174 %", []string{"draw_volume"}, "", false},
				{"loading_pump_rate", "95.221622 mL/h", "95.2 mL/h", "-0.021622 mL/h", "-0.0227 %", []string{"loading_rate"}, "0.02 %", true},
				{"pump_rate", "48.097297 mL/h", "48.1 mL/h", "0.002703 mL/h", "0.0056 %", []string{"pump_rate"}, "0.02 %", false},
			},
			warnings: []string{"loading_pump_rate.rounding_tolerance"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := dosing.Calculate(tt.rule, tt.patient, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, roundedOf(res)); diff != "" {
				t.Errorf("Rounded (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warnings, warningKeys(res)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if !res.NeedsReview() && slices.ContainsFunc(tt.warnings, func(k string) bool { return k != "dose.capped" }) {
				t.Error("a rounding beyond its tolerance does not need review")
			}
		})
	}
}

// TestRoundingWarningAcknowledged: the warning is a soft one: an
// acknowledgement with a reason clears the review and is recorded.
func TestRoundingWarningAcknowledged(t *testing.T) {
	ack := dosing.Ack{Key: "dose.rounding_tolerance", Reason: "two devices agreed with the prescriber"}
	res, err := dosing.Calculate(devicesRule("0 %"), dosing.Patient{Weight: mq("80 kg")}, dosing.Options{Dose: mq("70 mg"), Acks: []dosing.Ack{ack}})
	if err != nil {
		t.Fatal(err)
	}
	if res.NeedsReview() || len(res.Warnings) != 1 || res.Warnings[0].Ack == nil || *res.Warnings[0].Ack != ack {
		t.Fatalf("warnings %+v: want the one rounding warning, acknowledged", res.Warnings)
	}
}

// rndFormCase draws a dose given in dose forms: a fixed dose of 5 to 300 mg,
// 28 mg devices or 50 mg troches in whole or half steps, in any rounding
// mode, up to 20 forms.
func rndFormCase(t *rapid.T) (dosing.Rule, dosing.Patient) {
	strength := rapid.SampledFrom([]string{"28 mg/device", "50 mg/troche"}).Draw(t, "strength")
	step := "1 device"
	if strength == "50 mg/troche" {
		step = rapid.SampledFrom([]string{"1 troche", "0.5 troche"}).Draw(t, "step")
	}
	max := "20 devices"
	if strength == "50 mg/troche" {
		max = "20 troches"
	}
	mode := rapid.SampledFrom([]units.RoundingMode{units.RoundDown, units.RoundUp, units.RoundHalfUp, units.RoundHalfEven}).Draw(t, "mode")
	dose := units.NewInt(int64(rapid.IntRange(5, 300).Draw(t, "dose_mg")), units.Milligram)
	return dosing.Rule{Name: "forms", Version: "1", Dose: dose, Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form: &dosing.Form{Strength: mq(strength), Step: mq(step), Rounding: mode, MaxCount: mq(max)}}, dosing.Patient{Weight: mq("70 kg")}
}

// TestRoundingToleranceLaw is the law of rounding tolerances, over
// generated IV rules (bags and syringes, capped or not, gravity sets) and
// dose forms, each tolerance unset or 0 % to 5 %: a value the result changed
// by rounding (the dose given against the dose after caps, the draw, the
// pump rate, the drip rate, each against its exact value) is in Rounded,
// and a value it did not change is not; a change beyond the declared
// tolerance (|gives − requested| × 100 > tolerance × requested) carries
// the review warning "<value>.rounding_tolerance", and one within it does
// not.
func TestRoundingToleranceLaw(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		var rule dosing.Rule
		var p dosing.Patient
		if rapid.Bool().Draw(t, "forms") {
			rule, p = rndFormCase(t)
		} else {
			rule, p = chkGenCase(t)
			rule, p = chkVaried(t, rule, p)
		}
		tol := func(name string) units.Quantity {
			if rapid.Bool().Draw(t, name+"_unset") {
				return units.Quantity{}
			}
			return units.New(decimal.New(int64(rapid.IntRange(0, 500).Draw(t, name+"_x100")), -2), units.Percent)
		}
		rule.RoundingTolerance = dosing.RoundingTolerance{Dose: tol("dose"), DrawVolume: tol("draw"), PumpRate: tol("pump"), DripRate: tol("drip")}
		res, err := dosing.Calculate(rule, p, dosing.Options{})
		if err != nil {
			t.Skip(err) // a generated dose the pump or a form count refuses
		}
		// What rounding changed, read from the result's own values.
		capped := res.RequestedDose
		if s, ok := res.Step("cap"); ok {
			capped = s.Value
		}
		type change struct {
			field, tolerance string
			from, to         units.Quantity
		}
		changes := []change{{"dose", "dose", capped, res.Dose}}
		if pr := res.Preparation; pr != nil {
			changes = append(changes, change{"draw_volume", "draw_volume", pr.DrawExact, pr.Draw})
		}
		if in := res.Infusion; in != nil {
			changes = append(changes, change{"pump_rate", "pump_rate", in.PumpRateExact, in.PumpRate})
			if d := in.Drip; d != nil {
				changes = append(changes, change{"drip_rate", "drip_rate", d.Exact, d.Rate})
			}
		}
		for _, c := range changes {
			v, listed := res.RoundedValue(c.field)
			cm, err := c.from.Cmp(c.to)
			if err != nil {
				t.Fatal(err)
			}
			if listed != (cm != 0) {
				t.Fatalf("%s: %s → %s, listed in Rounded: %v", c.field, c.from, c.to, listed)
			}
			warned := slices.Contains(warningKeys(res), c.field+".rounding_tolerance")
			if !listed {
				if warned {
					t.Fatalf("%s: warned about a rounding that changed nothing", c.field)
				}
				continue
			}
			if !v.Requested.Equal(c.from) && c.field != "dose" || !v.Gives.Equal(c.to) {
				t.Fatalf("%s: Rounded %s → %s, the result %s → %s", c.field, v.Requested, v.Gives, c.from, c.to)
			}
			limit, declared := rule.RoundingTolerance.Tolerance(c.tolerance)
			from, err := c.from.Convert(c.to.Unit())
			if err != nil {
				t.Fatal(err)
			}
			dev := c.to.Value().Sub(from.Value()).Abs()
			beyond := declared && dev.Mul(decimal.NewFromInt(100)).GreaterThan(limit.Value().Mul(from.Value().Abs()))
			if v.Beyond != beyond || warned != beyond {
				t.Fatalf("%s: %s → %s with tolerance %v: beyond %v, warned %v, want %v", c.field, c.from, c.to, limit, v.Beyond, warned, beyond)
			}
		}
	})
}
