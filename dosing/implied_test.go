package dosing_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// impIVRule is the example IV protocol's rule (examples/protocols,
// iv-ketamine-trd) on actual weight: 0.5 mg/kg over 40 min, cap 100 mg,
// hard maximum 100 mg and 1 mg/kg (soft 0.75 mg/kg), concentration at most
// 1 mg/mL, pump at most 999 mL/h, at least 30 min; 10 mg/mL (50 and
// 100 mg/mL also stocked) drawn to 0.1 mL into a 100 mL bag. For 80 kg: 40 mg,
// 4 mL, 104 mL at 0.3846 mg/mL, 156 mL/h, 60 mg/h.
func impIVRule() dosing.Rule {
	r := chkIVRule()
	r.Infusion.DropFactor, r.Infusion.DripRounding = units.Quantity{}, 0
	r.Limits = dosing.Limits{
		Dose:          dosing.Bound{HardMax: chkQ("100 mg")},
		DosePerKg:     dosing.Bound{SoftMax: chkQ("0.75 mg/kg"), HardMax: chkQ("1 mg/kg")},
		Concentration: dosing.Bound{HardMax: chkQ("1 mg/mL")},
		PumpRate:      dosing.Bound{HardMax: chkQ("999 mL/h")},
		Duration:      dosing.Bound{HardMin: chkQ("30 min")},
	}
	return r
}

// impPainRule is the example chronic-pain protocol's rule: 0.35 mg/kg/h
// for 4 h on actual weight, cap 200 mg, hard maximum 200 mg, dose rate per kg
// soft 0.5 and hard 1 mg/kg/h, pump at most 50 mL/h; 10 mg/mL (50 mg/mL also
// stocked) drawn to 0.2 mL into a 50 mL syringe. For 80 kg: 28 mg/h, 112 mg,
// 11.2 mL in 50 mL = 2.24 mg/mL, 12.5 mL/h.
func impPainRule() dosing.Rule {
	return dosing.Rule{Name: "pain", Version: "1", Dose: chkQ("0.35 mg/kg/h"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Cap: chkQ("200 mg"),
		Limits: dosing.Limits{Dose: dosing.Bound{HardMax: chkQ("200 mg")}, DoseRatePerKg: dosing.Bound{SoftMax: chkQ("0.5 mg/kg/h"), HardMax: chkQ("1 mg/kg/h")},
			PumpRate: dosing.Bound{HardMax: chkQ("50 mL/h")}},
		Preparation: &dosing.Preparation{Stock: chkQ("10 mg/mL"), DrawStep: chkQ("0.2 mL"), DrawRounding: units.RoundHalfUp,
			Syringe: &dosing.Syringe{Volume: chkQ("50 mL")}, Stocks: []units.Quantity{chkQ("50 mg/mL")}},
		Infusion: &dosing.Infusion{Duration: chkQ("4 h"), Pump: dosing.Pump{RateStep: chkQ("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: chkQ("200 mL/h")}},
	}
}

// impNasalRule is the example esketamine rule: 56 mg as 28 mg devices,
// rounded down, 1 to 3 devices, hard minimum 28 mg and maximum 84 mg.
func impNasalRule() dosing.Rule {
	return dosing.Rule{Name: "nasal", Version: "1", Dose: chkQ("56 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form:   &dosing.Form{Strength: chkQ("28 mg/device"), Step: chkQ("1 device"), Rounding: units.RoundDown, MinCount: chkQ("1 device"), MaxCount: chkQ("3 devices")},
		Limits: dosing.Limits{Dose: dosing.Bound{HardMin: chkQ("28 mg"), HardMax: chkQ("84 mg")}}}
}

// implied is a dosing.ImpliedValue reduced to what a table states by hand:
// values to six places, the limits by name, the derivations by id.
type implied struct {
	Value, Gives, PerKg string
	Limits, From        []string
}

func impliedOf(r dosing.CheckResult) []implied {
	at := func(q units.Quantity) string {
		if !q.IsValid() {
			return ""
		}
		return units.New(q.Value().Round(6), q.Unit()).Text()
	}
	var out []implied
	for _, v := range r.Implied {
		x := implied{Value: v.Value, Gives: at(v.Gives), PerKg: at(v.PerKg)}
		for _, l := range v.Limits {
			x.Limits = append(x.Limits, l.Limit)
		}
		for _, d := range v.From {
			x.From = append(x.From, d.ID)
		}
		out = append(out, x)
	}
	return out
}

// TestCheckImplied: what an order as written gives the patient, every
// value worked out by hand from the rules above, and the limits each
// crosses. A value beyond a hard limit or cap is the verdict's first line
// and the order does not match.
func TestCheckImplied(t *testing.T) {
	t.Parallel()
	p80 := dosing.Patient{Weight: chkQ("80 kg"), Height: chkQ("175 cm"), Sex: dosing.Male}
	tests := []struct {
		name    string
		rule    dosing.Rule
		patient dosing.Patient
		order   dosing.Order
		want    []implied
		first   string // the verdict's first line starts so, where something is beyond a hard limit
	}{
		{
			// The wrong vial: 4 mL × 50 mg/mL = 200 mg, 200 ÷ 80
			// = 2.5 mg/kg: above 100 mg (limit and cap) and 1 mg/kg.
			// Over the protocol's 40 min: 40 mg → 60 mg/h (0.75 mg/kg/h),
			// 200 mg → 300 mg/h (3.75 mg/kg/h).
			name: "wrong vial", rule: impIVRule(), patient: p80,
			order: dosing.Order{Dose: chkQ("40 mg"), Stock: chkQ("50 mg/mL"), DrawVolume: chkQ("4 mL")},
			want: []implied{
				{"dose", "40 mg", "0.5 mg/kg", nil, []string{"dose"}},
				{"dose", "200 mg", "2.5 mg/kg", []string{"limits.dose.hard_max", "cap", "limits.dose_per_kg.hard_max"}, []string{"dose_from_draw"}},
				{"dose_rate", "60 mg/h", "0.75 mg/kg/h", nil, []string{"dose_rate_from_dose"}},
				{"dose_rate", "300 mg/h", "3.75 mg/kg/h", nil, []string{"dose_rate_from_draw"}},
			},
			first: "as written this order gives 200 mg (2.5 mg/kg), by volume drawn 4 mL × stock concentration 50 mg/mL: above the hard maximum 100 mg (limits.dose.hard_max) and the cap 100 mg; 2.5 mg/kg is above the hard maximum 1 mg/kg (limits.dose_per_kg.hard_max)",
		},
		{
			// 0.5 mg/kg × 176.4 kg (pounds written as kg) = 88.2 mg, under
			// 100 mg, but 88.2 ÷ 80 = 1.1025 mg/kg, above 1 mg/kg.
			name: "dose per kg on a weight in pounds", rule: impIVRule(), patient: p80,
			order: dosing.Order{DosePerKg: chkQ("0.5 mg/kg"), Weight: chkQ("176.4 kg")},
			want: []implied{
				{"dose", "88.2 mg", "1.1025 mg/kg", []string{"limits.dose_per_kg.hard_max"}, []string{"dose_from_per_kg"}},
				{"dose_per_kg", "0.5 mg/kg", "", nil, []string{"dose_per_kg"}},
			},
			first: "as written this order gives 88.2 mg (1.1025 mg/kg), by dose per kg 0.5 mg/kg × weight 176.4 kg: above the hard maximum 1 mg/kg",
		},
		{
			// The bag written at ten times its concentration: 104 mL ×
			// 3.846 mg/mL = 399.984 mg = 4.9998 mg/kg; 3.846 mg/mL is above
			// 1 mg/mL.
			name: "concentration ten times", rule: impIVRule(), patient: p80,
			order: dosing.Order{FinalVolume: chkQ("104 mL"), FinalConc: chkQ("3.846 mg/mL")},
			want: []implied{
				{"dose", "399.984 mg", "4.9998 mg/kg", []string{"limits.dose.hard_max", "cap", "limits.dose_per_kg.hard_max"}, []string{"dose_from_final"}},
				{"final_concentration", "3.846 mg/mL", "", []string{"limits.concentration.hard_max"}, []string{"final_concentration"}},
				{"final_volume", "104 mL", "", nil, []string{"final_volume"}},
			},
			first: "as written this order gives 399.984 mg (4.9998 mg/kg), by final volume 104 mL × final concentration 3.846 mg/mL: above",
		},
		{
			// The pump alone, ten times: the bag is the protocol's (104 mL
			// at 40/104 mg/mL), so 1,560 × 40 ÷ 104 = 600 mg/h = 7.5
			// mg/kg/h, and it runs 104 ÷ 1,560 h = 4 min, below 30 min;
			// 1,560 mL/h is above 999 mL/h (the limit and the pump).
			name: "pump rate alone, ten times", rule: impIVRule(), patient: p80,
			order: dosing.Order{PumpRate: chkQ("1560 mL/h")},
			want: []implied{
				{"dose_rate", "600 mg/h", "7.5 mg/kg/h", nil, []string{"dose_rate_from_pump_protocol"}},
				{"pump_rate", "1560 mL/h", "", []string{"infusion.pump.max_rate", "limits.pump_rate.hard_max"}, []string{"pump_rate"}},
				{"duration", "4 min", "", []string{"limits.duration.hard_min"}, []string{"duration_from_pump_protocol"}},
			},
			first: "as written this order runs the pump at 1,560 mL/h: above the pump's maximum rate 999 mL/h",
		},
		{
			// Written "1 mg/kg, capped: 100 mg" for 130 kg: the dose given
			// is the stated 100 mg (100 ÷ 130 = 0.769231 mg/kg), at the cap
			// and not beyond it; 1 × 130 = 130 mg is the arithmetic the cap
			// replaced, not a second dose.
			name: "capped order written with its dose per kg", rule: chkCapRule(), patient: dosing.Patient{Weight: chkQ("130 kg")},
			order: dosing.Order{Dose: chkQ("100 mg"), DosePerKg: chkQ("1 mg/kg")},
			want: []implied{
				{"dose", "100 mg", "0.769231 mg/kg", nil, []string{"dose"}},
				{"dose_per_kg", "1 mg/kg", "", nil, []string{"dose_per_kg"}},
			},
		},
		{
			// A pump rate implying a dose rate past its limit: 40 mL/h ×
			// 2.24 mg/mL = 89.6 mg/h = 1.12 mg/kg/h, above 1 mg/kg/h (the
			// pump rate itself is within 50 mL/h).
			name: "pump rate past the dose-rate limit", rule: impPainRule(), patient: dosing.Patient{Weight: chkQ("80 kg")},
			order: dosing.Order{PumpRate: chkQ("40 mL/h"), FinalConc: chkQ("2.24 mg/mL")},
			want: []implied{
				{"dose_rate", "89.6 mg/h", "1.12 mg/kg/h", []string{"limits.dose_rate_per_kg.hard_max"}, []string{"dose_rate_from_pump"}},
				{"final_concentration", "2.24 mg/mL", "", nil, []string{"final_concentration"}},
				{"pump_rate", "40 mL/h", "", nil, []string{"pump_rate"}},
			},
			first: "as written this order gives 89.6 mg/h (1.12 mg/kg/h), by pump rate 40 mL/h × final concentration 2.24 mg/mL: above the hard maximum 1 mg/kg/h",
		},
		{
			// 30 mL/h of the protocol's 2.24 mg/mL = 67.2 mg/h = 0.84
			// mg/kg/h: above the soft 0.5, under the hard 1: for review
			// only. The syringe's 50 mL runs 50 ÷ 30 h = 100 min.
			name: "pump rate past the soft dose-rate limit", rule: impPainRule(), patient: dosing.Patient{Weight: chkQ("80 kg")},
			order: dosing.Order{PumpRate: chkQ("30 mL/h")},
			want: []implied{
				{"dose_rate", "67.2 mg/h", "0.84 mg/kg/h", []string{"limits.dose_rate_per_kg.soft_max"}, []string{"dose_rate_from_pump_protocol"}},
				{"pump_rate", "30 mL/h", "", nil, []string{"pump_rate"}},
				{"duration", "100 min", "", nil, []string{"duration_from_pump_protocol"}},
			},
		},
		{
			// A rate order on the mg/kg/h protocol: 100 mg/h = 1.25 mg/kg/h,
			// above 1; over the protocol's 4 h, 400 mg = 5 mg/kg, above
			// 200 mg (limit and cap).
			name: "dose rate order, over the limit", rule: impPainRule(), patient: dosing.Patient{Weight: chkQ("80 kg")},
			order: dosing.Order{DoseRate: chkQ("100 mg/h")},
			want: []implied{
				{"dose", "400 mg", "5 mg/kg", []string{"limits.dose.hard_max", "cap"}, []string{"dose_from_dose_rate"}},
				{"dose_rate", "100 mg/h", "1.25 mg/kg/h", []string{"limits.dose_rate_per_kg.hard_max"}, []string{"dose_rate"}},
			},
			first: "as written this order gives 400 mg (5 mg/kg), by dose rate 100 mg/h × the protocol's duration 4 h: above",
		},
		{
			// The wrong vial on the other protocol: 11.2 mL × 50 mg/mL =
			// 560 mg = 7 mg/kg, above 200 mg; over 4 h, 140 mg/h = 1.75
			// mg/kg/h, above 1.
			name: "wrong vial on the pain protocol", rule: impPainRule(), patient: dosing.Patient{Weight: chkQ("80 kg")},
			order: dosing.Order{Stock: chkQ("50 mg/mL"), DrawVolume: chkQ("11.2 mL")},
			want: []implied{
				{"dose", "560 mg", "7 mg/kg", []string{"limits.dose.hard_max", "cap"}, []string{"dose_from_draw"}},
				{"dose_rate", "140 mg/h", "1.75 mg/kg/h", []string{"limits.dose_rate_per_kg.hard_max"}, []string{"dose_rate_from_draw"}},
			},
			first: "as written this order gives 560 mg (7 mg/kg), by volume drawn 11.2 mL × stock concentration 50 mg/mL: above",
		},
		{
			// Too many devices: 4 × 28 = 112 mg = 1.6 mg/kg, above 84 mg;
			// 4 devices, above the largest number 3.
			name: "too many devices", rule: impNasalRule(), patient: dosing.Patient{Weight: chkQ("70 kg")},
			order: dosing.Order{Count: chkQ("4 devices")},
			want: []implied{
				{"dose", "112 mg", "1.6 mg/kg", []string{"limits.dose.hard_max"}, []string{"dose_from_count"}},
				{"count", "4 devices", "", []string{"form.max_count"}, []string{"count"}},
			},
			first: "as written this order gives 112 mg (1.6 mg/kg), by number of dose forms 4 devices × strength 28 mg/device: above the hard maximum 84 mg",
		},
		{
			// A dose at the hard maximum (40 mg here) with its rate
			// written rounded up: 60.1 mg/h × 40 min would be 40.07 mg,
			// but the order states what the bag holds, 40 mg, and a pump
			// gives no more than the bag: the rate is a rate (within 5 %
			// of 40 mg ÷ 40 min = 60 mg/h), not a second dose.
			name: "a rate written rounded, with the dose stated", rule: func() dosing.Rule { r := impIVRule(); r.Limits.Dose.HardMax = chkQ("40 mg"); return r }(),
			patient: p80,
			order:   dosing.Order{Dose: chkQ("40 mg"), DoseRate: chkQ("60.1 mg/h"), Duration: chkQ("40 min")},
			want: []implied{
				{"dose", "40 mg", "0.5 mg/kg", nil, []string{"dose"}},
				{"dose_rate", "60.1 mg/h", "0.75125 mg/kg/h", nil, []string{"dose_rate"}},
				{"dose_rate", "60 mg/h", "0.75 mg/kg/h", nil, []string{"dose_rate_from_dose"}},
				{"duration", "40 min", "", nil, []string{"duration"}},
			},
		},
		{
			// 2 devices and 56 mg: one value, two ways.
			name: "devices as the protocol gives them", rule: impNasalRule(), patient: dosing.Patient{Weight: chkQ("70 kg")},
			order: dosing.Order{Dose: chkQ("56 mg"), Count: chkQ("2 devices")},
			want: []implied{
				{"dose", "56 mg", "0.8 mg/kg", nil, []string{"dose", "dose_from_count"}},
				{"count", "2 devices", "", nil, []string{"count"}},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := dosing.Check(tc.order, tc.patient, tc.rule, dosing.CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, impliedOf(res)); diff != "" {
				t.Errorf("Implied (-want +got):\n%s", diff)
			}
			first, _, _ := strings.Cut(res.Summary, "\n")
			if tc.first == "" {
				if res.Limits == dosing.Mismatch || strings.HasPrefix(first, "as written") {
					t.Errorf("limits %s, first line %q: want nothing beyond a hard limit", res.Limits, first)
				}
				return
			}
			if !strings.HasPrefix(first, tc.first) {
				t.Errorf("the verdict's first line is\n%q, want it to start\n%q", first, tc.first)
			}
			if res.Limits != dosing.Mismatch || res.Matches() {
				t.Errorf("limits %s, matches %v: want a mismatch", res.Limits, res.Matches())
			}
		})
	}
}

// TestCheckImpliedNothing: a stock alone gives the patient nothing: no
// implied value (an empty list in JSON), and the limits are not checked.
func TestCheckImpliedNothing(t *testing.T) {
	res, err := dosing.Check(dosing.Order{Stock: chkQ("50 mg/mL")}, chkPatient80(), impIVRule(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if res.Limits != dosing.NotChecked || !strings.Contains(string(b), `"implied":[]`) || !strings.Contains(string(b), `"limits":"not_checked"`) {
		t.Errorf("limits %s, implied %v", res.Limits, res.Implied)
	}
}

// impRule draws an IV rule from chkGenCase (bags and syringes, any stock,
// capped or not, on actual or ideal weight) with hard maxima on the dose
// and the dose per kg between the protocol's own dose and three times it,
// or the nasal rule.
func impRule(t *rapid.T) (dosing.Rule, dosing.Patient) {
	if rapid.Bool().Draw(t, "nasal") {
		return impNasalRule(), dosing.Patient{Weight: units.NewInt(int64(rapid.IntRange(40, 150).Draw(t, "kg")), units.Kilogram)}
	}
	rule, p := chkGenCase(t)
	rule, p = chkVaried(t, rule, p)
	res := chkMustCalculate(t, rule, p)
	// The limits sit above the protocol's own dose before and after
	// rounding, so that the protocol itself is never refused.
	base := decimal.Max(res.Dose.Value(), res.RequestedDose.Value())
	k := decimal.New(int64(rapid.IntRange(100, 300).Draw(t, "limit_x100")), -2)
	rule.Limits.Dose.HardMax = units.New(base.Mul(k).Ceil(), units.Milligram)
	rule.Limits.DosePerKg.HardMax = units.New(base.Mul(k).DivRound(res.Weight.Value.Value(), 10).RoundUp(2), units.MgPerKg)
	return rule, p
}

// TestCheckImpliedDoseLaw: for every order, a dose it gives as written (as
// stated, volume drawn × stock, final volume × concentration, devices ×
// strength, each worked out here) beyond the rule's hard maximum, cap or
// hard maximum per kg is among Check's implied values, beyond; the order
// then does not match, and the verdict's first line is the first such
// value. Orders are the protocol's own values, some dropped, some scaled by
// 0.1 to 10.
func TestCheckImpliedDoseLaw(t *testing.T) {
	t.Parallel()
	var beyond, total int
	defer func() {
		if total >= 100 && beyond*10 < total {
			t.Errorf("only %d of %d orders give a dose beyond a hard limit; the generator tests too little", beyond, total)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		rule, p := impRule(t)
		exp := chkMustCalculate(t, rule, p)
		full := chkOrderFrom(t, exp)
		if exp.Form != nil {
			full = dosing.Order{Dose: exp.Dose, Count: exp.Form.Count}
		}
		var order dosing.Order
		src, dst := chkFieldsOf(&full), chkFieldsOf(&order)
		factors := []string{"1", "1", "0.1", "0.5", "2", "2.5", "5", "10"}
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for n := range src {
				if !yield(n) {
					return
				}
			}
		}) {
			if !src[name].IsValid() || !rapid.Bool().Draw(t, name+"_kept") {
				continue
			}
			f := decimal.RequireFromString(rapid.SampledFrom(factors).Draw(t, name+"_factor"))
			*dst[name] = units.New(src[name].Value().Mul(f), src[name].Unit())
		}
		if order.DripRate.IsValid() != order.DropFactor.IsValid() {
			order.DripRate, order.DropFactor = units.Quantity{}, units.Quantity{}
		}
		if order == (dosing.Order{}) {
			t.Skip("no value kept")
		}
		res, err := dosing.Check(order, p, rule, dosing.CheckOptions{})
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		total++
		// The doses the order gives, worked out here.
		var doses []units.Quantity
		mul := func(a, b units.Quantity) {
			if a.IsValid() && b.IsValid() {
				q, err := a.Mul(b)
				if err != nil {
					t.Fatal(err)
				}
				doses = append(doses, q)
			}
		}
		if order.Dose.IsValid() {
			doses = append(doses, order.Dose)
		}
		mul(order.DrawVolume, order.Stock)
		mul(order.FinalVolume, order.FinalConc)
		if rule.Form != nil {
			mul(order.Count, rule.Form.Strength)
		}
		weight := exp.Weight.Value
		var bounds []units.Quantity
		for _, b := range []units.Quantity{rule.Limits.Dose.HardMax, rule.Cap} {
			if b.IsValid() {
				bounds = append(bounds, b)
			}
		}
		if b := rule.Limits.DosePerKg.HardMax; b.IsValid() {
			q, err := b.Mul(weight)
			if err != nil {
				t.Fatal(err)
			}
			bounds = append(bounds, q)
		}
		var over []units.Quantity
		for _, d := range doses {
			mg, err := d.Convert(units.Milligram)
			if err != nil {
				t.Fatal(err)
			}
			mg = units.New(mg.Value().Round(20), units.Milligram) // a division's trace is no dose
			for _, b := range bounds {
				if c, err := mg.Cmp(b); err == nil && c > 0 {
					over = append(over, mg)
					break
				}
			}
		}
		if len(over) == 0 {
			return
		}
		beyond++
		for _, d := range over {
			found := false
			for _, v := range res.Implied {
				if c, err := v.Gives.Cmp(d); err == nil && c == 0 && v.Value == "dose" && beyondHard(v) {
					found = true
				}
			}
			if !found {
				t.Fatalf("the order gives %s, beyond a hard limit, but Implied is %+v", d, impliedOf(res))
			}
		}
		first, _, _ := strings.Cut(res.Summary, "\n")
		if res.Matches() || res.Limits != dosing.Mismatch || !strings.HasPrefix(first, "as written this order ") {
			t.Fatalf("a dose beyond a hard limit (%v): matches %v, limits %s, summary %q", over, res.Matches(), res.Limits, res.Summary)
		}
	})
}

// A value the protocol sets no limit on is reported as such (NoLimit), never
// as within the limits; a limit on the value or on its value per kg makes it
// checked. The IV rule limits the dose, the dose per kg, the concentration,
// the pump rate and the duration, but not the dose rate: for 40 mg in
// 104 mL at 156 mL/h over 40 min (80 kg), the dose rate 40 mg ÷ 40 min =
// 60 mg/h (0.75 mg/kg/h) and the final volume 104 mL are unchecked.
func TestCheckImpliedNoLimit(t *testing.T) {
	order := dosing.Order{Dose: chkQ("40 mg"), FinalVolume: chkQ("104 mL"), PumpRate: chkQ("156 mL/h"), Duration: chkQ("40 min")}
	noLimit := func(rule dosing.Rule) map[string]bool {
		res, err := dosing.Check(order, chkPatient80(), rule, dosing.CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, v := range res.Implied {
			got[v.Value] = got[v.Value] || v.NoLimit
		}
		return got
	}
	want := map[string]bool{"dose": false, "dose_rate": true, "final_concentration": false, "final_volume": true, "pump_rate": false, "duration": false}
	if diff := cmp.Diff(want, noLimit(impIVRule())); diff != "" {
		t.Errorf("IV rule: NoLimit by value (-want +got):\n%s", diff)
	}
	// A limit per kg of the dose rate (0.5 mg/kg/h soft, 1 mg/kg/h hard)
	// checks the dose rate through its value per kg; a volume limit checks
	// the final volume.
	limited := impIVRule()
	limited.Limits.DoseRatePerKg = dosing.Bound{SoftMax: chkQ("1 mg/kg/h"), HardMax: chkQ("2 mg/kg/h")}
	limited.Limits.Volume = dosing.Bound{HardMax: chkQ("250 mL")}
	want["dose_rate"], want["final_volume"] = false, false
	if diff := cmp.Diff(want, noLimit(limited)); diff != "" {
		t.Errorf("with dose rate per kg and volume limits: NoLimit by value (-want +got):\n%s", diff)
	}
}
