package dosing_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

var chkUpdate = flag.Bool("update", false, "rewrite the golden files in testdata")

func chkQ(s string) units.Quantity { return units.MustParse(s) }

// chkIVRule is the 40-minute IV infusion of the clinical brief (WC5, WC7,
// WC8): 0.5 mg/kg on actual weight, 10 mg/mL stock (50 and 100 mg/mL also
// stocked), drawn to 0.1 mL, added to a 100 mL bag, a pump with 0.1 mL/h
// steps and 999 mL/h at most, a 20 gtt/mL set, a 100 mg cap.
//
// For an 80 kg patient, by hand: dose 0.5 × 80 = 40 mg; draw 40 ÷ 10 =
// 4 mL; final volume 100 + 4 = 104 mL; concentration 40 ÷ 104 =
// 0.384615… mg/mL; pump rate 104 mL ÷ (40/60 h) = 156 mL/h; dose rate
// 156 × 40 ÷ 104 = 60 mg/h = 0.75 mg/kg/h = 12.5 mcg/kg/min; drip rate
// 104 × 20 ÷ 40 = 52 gtt/min.
func chkIVRule() dosing.Rule {
	return dosing.Rule{
		Name: "IV ketamine 0.5 mg/kg over 40 min", Version: "1", Source: "clinical brief WC5", Drug: "ketamine", Route: "intravenous",
		Dose:   chkQ("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Cap:    chkQ("100 mg"),
		Preparation: &dosing.Preparation{
			Stock: chkQ("10 mg/mL"), DrawStep: chkQ("0.1 mL"), DrawRounding: units.RoundHalfUp,
			Bag:    &dosing.Bag{Volume: chkQ("100 mL"), Method: dosing.AddToBag},
			Stocks: []units.Quantity{chkQ("50 mg/mL"), chkQ("100 mg/mL")},
		},
		Infusion: &dosing.Infusion{
			Duration:   chkQ("40 min"),
			Pump:       dosing.Pump{RateStep: chkQ("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: chkQ("999 mL/h")},
			DropFactor: chkQ("20 gtt/mL"), DripRounding: units.RoundHalfUp,
		},
	}
}

func chkPatient80() dosing.Patient {
	return dosing.Patient{Weight: chkQ("80 kg"), Height: chkQ("175 cm"), Sex: dosing.Male}
}

// chkObese is WC2: male, 175 cm (68.8976 in), 120 kg; IBW Devine 50 + 2.3 ×
// 8.8976 = 70.4646 kg, Robinson 68.9055 kg, Miller 68.7457 kg.
func chkObese() dosing.Patient {
	return dosing.Patient{Weight: chkQ("120 kg"), Height: chkQ("175 cm"), Sex: dosing.Male}
}

// chkFullIVOrder is the WC5 order written out in full, as a prescriber would:
// the concentration to four places.
func chkFullIVOrder() dosing.Order {
	return dosing.Order{
		Dose: chkQ("40 mg"), DosePerKg: chkQ("0.5 mg/kg"), Weight: chkQ("80 kg"),
		Stock: chkQ("10 mg/mL"), DrawVolume: chkQ("4 mL"), FinalVolume: chkQ("104 mL"), FinalConc: chkQ("0.3846 mg/mL"),
		PumpRate: chkQ("156 mL/h"), Duration: chkQ("40 min"), DoseRate: chkQ("60 mg/h"), DoseRatePerKg: chkQ("12.5 mcg/kg/min"),
		DripRate: chkQ("52 gtt/min"), DropFactor: chkQ("20 gtt/mL"),
	}
}

// chkIdealRule doses 0.5 mg/kg on ideal body weight (Devine), no preparation.
// For chkObese(): 0.5 × 70.4646 = 35.2323 mg.
func chkIdealRule() dosing.Rule {
	return dosing.Rule{Name: "0.5 mg/kg on IBW", Version: "1", Dose: chkQ("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Ideal, IBWFormula: dosing.Devine}}
}

// chkActualRule doses 0.5 mg/kg on actual weight, no preparation. For chkObese():
// 0.5 × 120 = 60 mg.
func chkActualRule() dosing.Rule {
	return dosing.Rule{Name: "0.5 mg/kg on actual weight", Version: "1", Dose: chkQ("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual}}
}

// chkCapRule is WC10-like: 1 mg/kg capped at 100 mg. At 130 kg: requested
// 130 mg, capped to 100 mg, effective 100 ÷ 130 = 0.769 mg/kg.
func chkCapRule() dosing.Rule {
	return dosing.Rule{Name: "1 mg/kg capped at 100 mg", Version: "1", Dose: chkQ("1 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual}, Cap: chkQ("100 mg")}
}

// chkNasalRule is esketamine 56 mg as 28 mg devices: 2 devices.
func chkNasalRule() dosing.Rule {
	return dosing.Rule{Name: "esketamine 56 mg", Version: "1", Dose: chkQ("56 mg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form:   &dosing.Form{Strength: chkQ("28 mg/device"), Step: chkQ("1 device"), Rounding: units.RoundDown, Interval: chkQ("5 min")}}
}

// chkRateRule is WC9: 0.35 mg/kg/h for 4 h, 10 mg/mL stock drawn to 0.1 mL,
// a syringe made up to 1 mg/mL. At 70 kg: 24.5 mg/h, dose 98 mg, draw
// 9.8 mL, final 98 mL, pump 98 mL ÷ 4 h = 24.5 mL/h, 0.35 mg/kg/h =
// 0.35 × 1000 ÷ 60 = 5.8333 mcg/kg/min.
func chkRateRule() dosing.Rule {
	return dosing.Rule{Name: "chronic pain 0.35 mg/kg/h for 4 h", Version: "1", Dose: chkQ("0.35 mg/kg/h"),
		Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: chkQ("10 mg/mL"), DrawStep: chkQ("0.1 mL"), DrawRounding: units.RoundHalfUp,
			Syringe: &dosing.Syringe{Concentration: chkQ("1 mg/mL")}},
		Infusion: &dosing.Infusion{Duration: chkQ("4 h"),
			Pump: dosing.Pump{RateStep: chkQ("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: chkQ("999 mL/h")}},
	}
}

// chkFixedRule is a fixed 50 mg dose with nothing else: the protocol is silent
// on preparation and infusion.
func chkFixedRule() dosing.Rule {
	return dosing.Rule{Name: "fixed 50 mg", Version: "1", Dose: chkQ("50 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual}}
}

// chkWithoutSet is chkIVRule run by pump only: no drop factor.
func chkWithoutSet() dosing.Rule {
	r := chkIVRule()
	in := *r.Infusion
	in.DropFactor, in.DripRounding = units.Quantity{}, 0
	r.Infusion = &in
	return r
}

// chkWithLoading is chkIVRule with a 10 mg loading dose over 10 min.
func chkWithLoading() dosing.Rule {
	r := chkIVRule()
	in := *r.Infusion
	in.Loading = &dosing.Loading{Dose: chkQ("10 mg"), Duration: chkQ("10 min")}
	r.Infusion = &in
	return r
}

// chkWithSoftMax is chkIVRule with a soft maximum dose of 41 mg.
func chkWithSoftMax() dosing.Rule {
	r := chkIVRule()
	r.Limits.Dose.SoftMax = chkQ("41 mg")
	return r
}

// chkOutcome is what a check found, reduced to what a table states by hand.
type chkOutcome struct {
	Agreement   dosing.Verdict
	Consistency dosing.Verdict
	Mismatched  []string                      // fields that disagree, in Order field order
	Failed      []string                      // relations that fail
	Causes      map[string][]dosing.CauseKind // by field or relation id
	Limits      map[string][]string           // limits crossed, by field
	Notes       int                           // notes on what was not checked
	// Beyond lists what the order gives as written beyond a hard limit
	// or cap: "dose 400 mg".
	Beyond []string
}

func chkOutcomeOf(r dosing.CheckResult) chkOutcome {
	o := chkOutcome{Agreement: r.Agreement, Consistency: r.Consistency, Causes: map[string][]dosing.CauseKind{}, Limits: map[string][]string{}, Notes: len(r.Notes)}
	for _, f := range r.Fields {
		if f.Verdict == dosing.Mismatch {
			o.Mismatched = append(o.Mismatched, f.Field)
		}
		for _, c := range f.Causes {
			o.Causes[f.Field] = append(o.Causes[f.Field], c.Kind)
		}
		for _, l := range f.Limits {
			o.Limits[f.Field] = append(o.Limits[f.Field], l.Limit)
		}
	}
	for _, v := range r.Implied {
		if beyondHard(v) {
			o.Beyond = append(o.Beyond, v.Value+" "+v.Gives.Text())
		}
	}
	for _, c := range r.Relations {
		if c.Verdict == dosing.Mismatch {
			o.Failed = append(o.Failed, c.ID)
		}
		for _, k := range c.Causes {
			o.Causes[c.ID] = append(o.Causes[c.ID], k.Kind)
		}
	}
	return o
}

type chkCauses = map[string][]dosing.CauseKind

const (
	chkMatch      = dosing.Match
	chkMismatch   = dosing.Mismatch
	chkNotChecked = dosing.NotChecked
)

// TestCheckOrders runs realistic orders through Check. Every expected
// verdict and cause is derived by hand in the comments, from the values
// worked out on the rules above; none is read from the code.
func TestCheckOrders(t *testing.T) {
	t.Parallel()
	iv, p80 := chkIVRule(), chkPatient80()
	tests := []struct {
		name    string
		rule    dosing.Rule
		patient dosing.Patient
		order   dosing.Order
		tol     dosing.Tolerances
		want    chkOutcome
	}{
		{
			// Every value as worked out on chkIVRule; 0.3846 mg/mL is
			// −0.004 % from 0.384615…. Relations: 4 × 10 = 40 mg; 104 ×
			// 0.3846 = 39.9984 mg (−0.004 %); 0.5 × 80 = 40 mg; 156 mL/h ×
			// 40 min = 104 mL; 156 × 0.3846 = 59.9976 mg/h; 40 mg ÷ 40 min
			// = 60 mg/h; 60 ÷ 80 = 0.75 mg/kg/h = 12.5 mcg/kg/min; 156 ×
			// 20 ÷ 60 = 52 gtt/min.
			name: "WC5 full IV order as worked out", rule: iv, patient: p80, order: chkFullIVOrder(),
			want: chkOutcome{Agreement: chkMatch, Consistency: chkMatch},
		},
		{
			// 40,000 mcg = 40 mg; 4 mL × 10 mg/mL = 40 mg = 40,000 mcg.
			name: "dose written in mcg", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("40000 mcg"), DrawVolume: chkQ("4 mL"), Stock: chkQ("10 mg/mL")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkMatch},
		},
		{
			// 100 vs 104 mL: −4 ÷ 104 = −3.85 %, inside 5 %; 156 mL/h ×
			// 40 min = 104 mL vs 100 stated: −3.85 %, inside.
			name: "bag written by its nominal volume", rule: iv, patient: p80,
			order: dosing.Order{FinalVolume: chkQ("100 mL"), PumpRate: chkQ("156 mL/h"), Duration: chkQ("40 min")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkMatch},
		},
		{
			// 400 = 40 × 10 and 40 mL = 4 × 10: tenfold; 400 mg > cap
			// 100 mg. 40 mL × 10 mg/mL = 400 mg: the order agrees with
			// itself, and gives 400 mg both ways.
			name: "tenfold dose and draw, consistent", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("400 mg"), DrawVolume: chkQ("40 mL"), Stock: chkQ("10 mg/mL")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkMatch, Mismatched: []string{"dose", "draw_volume"},
				Causes: chkCauses{"dose": {dosing.CauseTenfold}, "draw_volume": {dosing.CauseTenfold}},
				Limits: map[string][]string{"dose": {"cap"}}, Beyond: []string{"dose 400 mg"}},
		},
		{
			// 400 = 40 × 10; 4 mL × 10 mg/mL = 40 mg, and 400 ÷ 40 = 10:
			// the relation fails by the same tenfold factor. The stated
			// 400 mg is beyond the cap; the draw's 40 mg is not.
			name: "tenfold dose with the right draw", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("400 mg"), DrawVolume: chkQ("4 mL"), Stock: chkQ("10 mg/mL")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkMismatch, Mismatched: []string{"dose"}, Failed: []string{"dose_from_draw"},
				Causes: chkCauses{"dose": {dosing.CauseTenfold}, "dose_from_draw": {dosing.CauseTenfold}},
				Limits: map[string][]string{"dose": {"cap"}}, Beyond: []string{"dose 400 mg"}},
		},
		{
			// 0.04 ÷ 4 = 1/100.
			name: "hundredfold draw", rule: iv, patient: p80,
			order: dosing.Order{DrawVolume: chkQ("0.04 mL")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"draw_volume"},
				Causes: chkCauses{"draw_volume": {dosing.CauseHundredfold}}},
		},
		{
			// 40 mcg = 0.04 mg = 40 mg ÷ 1000.
			name: "mcg written for mg", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("40 mcg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"},
				Causes: chkCauses{"dose": {dosing.CauseThousandfold}}},
		},
		{
			// 0.3846 mcg/mL = 0.0003846 mg/mL = 0.3846 mg/mL ÷ 1000.
			name: "concentration in mcg/mL for mg/mL", rule: iv, patient: p80,
			order: dosing.Order{FinalConc: chkQ("0.3846 mcg/mL")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"final_concentration"},
				Causes: chkCauses{"final_concentration": {dosing.CauseThousandfold}}},
		},
		{
			// 80 kg = 80 ÷ 0.45359237 = 176.37 lb, read as 176.37 kg: 0.5 ×
			// 176.37 = 88.18 mg, drawn as 8.8 mL = 88 mg; 88.2 is 0.2 %
			// from 88. 176.4 kg is 0.02 % from 176.37. 0.5 × 176.4 =
			// 88.2: consistent.
			name: "weight in pounds used as kilograms", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("88.2 mg"), DosePerKg: chkQ("0.5 mg/kg"), Weight: chkQ("176.4 kg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkMatch, Mismatched: []string{"dose", "weight"},
				Causes: chkCauses{"dose": {dosing.CausePoundsKilograms}, "weight": {dosing.CausePoundsKilograms}}},
		},
		{
			// 156 mL/h is 2.6 mL/min; 2.6 mL/h = 156 mL/h ÷ 60.
			name: "pump rate per minute written per hour", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("2.6 mL/h")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"pump_rate"},
				Causes: chkCauses{"pump_rate": {dosing.CauseMinuteHour}}},
		},
		{
			// 156 mL/min = 9,360 mL/h = 156 mL/h × 60, above the pump's
			// 999 mL/h.
			name: "pump rate per hour written per minute", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("156 mL/min")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"pump_rate"},
				Causes: chkCauses{"pump_rate": {dosing.CauseMinuteHour}}, Limits: map[string][]string{"pump_rate": {"infusion.pump.max_rate"}},
				Beyond: []string{"pump_rate 9360 mL/h"}},
		},
		{
			// The mg/kg/h number with the mcg/kg/min unit: 0.75 ÷ 12.5 =
			// 0.06 = 60 ÷ 1000.
			name: "mg/kg/h number written as mcg/kg/min", rule: iv, patient: p80,
			order: dosing.Order{DoseRatePerKg: chkQ("0.75 mcg/kg/min")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose_rate_per_kg"},
				Causes: chkCauses{"dose_rate_per_kg": {dosing.CauseMcgMinMgHour}}},
		},
		{
			// 0.75 mg/kg/min = 45 mg/kg/h = 0.75 mg/kg/h × 60. Over the
			// protocol's 40 min on 80 kg: 0.75 × 80 × 40 = 2,400 mg, far
			// above the 100 mg cap.
			name: "dose rate per kg per minute for per hour", rule: iv, patient: p80,
			order: dosing.Order{DoseRatePerKg: chkQ("0.75 mg/kg/min")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose_rate_per_kg"},
				Causes: chkCauses{"dose_rate_per_kg": {dosing.CauseMinuteHour}}, Beyond: []string{"dose 2400 mg"}},
		},
		{
			// 40 h = 2,400 min = 40 min × 60.
			name: "duration in hours for minutes", rule: iv, patient: p80,
			order: dosing.Order{Duration: chkQ("40 h")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"duration"},
				Causes: chkCauses{"duration": {dosing.CauseMinuteHour}}},
		},
		{
			// 50 mg/mL is listed in preparation.other_stocks; 40 mg ÷ 50
			// mg/mL = 0.8 mL. 50 ÷ 10 = 5 and 0.8 ÷ 4 = 0.2 are no
			// recognised factor. 0.8 × 50 = 40 mg: consistent.
			name: "drawn from the 50 mg/mL vial", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("40 mg"), Stock: chkQ("50 mg/mL"), DrawVolume: chkQ("0.8 mL")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkMatch, Mismatched: []string{"stock", "draw_volume"},
				Causes: chkCauses{"stock": {dosing.CauseWrongStock}, "draw_volume": {dosing.CauseWrongStock}}},
		},
		{
			// 100 mg/mL is listed too; 40 ÷ 100 = 0.4 mL. Both are also
			// tenfold: 100 = 10 × 10, 0.4 = 4 ÷ 10. No dose, no final
			// volume: no relation can be formed.
			name: "drawn from the 100 mg/mL vial", rule: iv, patient: p80,
			order: dosing.Order{Stock: chkQ("100 mg/mL"), DrawVolume: chkQ("0.4 mL")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"stock", "draw_volume"},
				Causes: chkCauses{"stock": {dosing.CauseWrongStock, dosing.CauseTenfold}, "draw_volume": {dosing.CauseWrongStock, dosing.CauseTenfold}}},
		},
		{
			// 15.6 = 156 ÷ 10, the same digits.
			name: "decimal slip in the pump rate", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("15.6 mL/h")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"pump_rate"},
				Causes: chkCauses{"pump_rate": {dosing.CauseTenfold, dosing.CausePumpDecimalSlip}}},
		},
		{
			// 1,560 = 156 × 10, and above the pump's 999 mL/h.
			name: "decimal slip beyond the pump's maximum", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("1560 mL/h")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"pump_rate"},
				Causes: chkCauses{"pump_rate": {dosing.CauseTenfold, dosing.CausePumpDecimalSlip}}, Limits: map[string][]string{"pump_rate": {"infusion.pump.max_rate"}},
				Beyond: []string{"pump_rate 1560 mL/h"}},
		},
		{
			// A 60 gtt/mL set where the protocol names 20: 156 × 60 ÷ 60 =
			// 156 gtt/min, consistent, but the protocol's drip is 52 (×3,
			// no recognised factor) and its set 20 gtt/mL (×3).
			name: "microdrip set for the protocol's 20 gtt/mL", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("156 mL/h"), DripRate: chkQ("156 gtt/min"), DropFactor: chkQ("60 gtt/mL")},
			want:  chkOutcome{Agreement: chkMismatch, Consistency: chkMatch, Mismatched: []string{"drip_rate", "drop_factor"}},
		},
		{
			// 156 × 20 ÷ 60 = 52 gtt/min, not 26 (−50 %, no factor).
			name: "drip rate miscalculated", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("156 mL/h"), DripRate: chkQ("26 gtt/min"), DropFactor: chkQ("20 gtt/mL")},
			want:  chkOutcome{Agreement: chkMismatch, Consistency: chkMismatch, Mismatched: []string{"drip_rate"}, Failed: []string{"drip_from_pump"}},
		},
		{
			// The protocol names no set: the drip rate is the protocol's
			// 104 mL over 40 min through the order's 15 gtt/mL set, 104 ×
			// 15 ÷ 40 = 39 gtt/min; 156 × 15 ÷ 60 = 39 as well. The drop
			// factor itself has nothing to compare with.
			name: "drip rate for a set the protocol does not name", rule: chkWithoutSet(), patient: p80,
			order: dosing.Order{PumpRate: chkQ("156 mL/h"), DripRate: chkQ("39 gtt/min"), DropFactor: chkQ("15 gtt/mL")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkMatch},
		},
		{
			// A 10 mg loading dose over 10 min takes 10 × 104 ÷ 40 = 26 mL;
			// the maintenance infusion runs 104 − 26 = 78 mL over 40 min
			// = 117 mL/h. Rate × duration is not the whole bag, so that
			// relation is not formed, and a note says so.
			name: "loading dose: the whole-volume relation is not formed", rule: chkWithLoading(), patient: p80,
			order: dosing.Order{FinalVolume: chkQ("104 mL"), PumpRate: chkQ("117 mL/h"), Duration: chkQ("40 min")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked, Notes: 1},
		},
		{
			// 42 mg is +5 %, inside the tolerance, but above the soft
			// maximum of 41 mg: reported for review, still a match.
			name: "within tolerance, beyond a soft limit", rule: chkWithSoftMax(), patient: p80,
			order: dosing.Order{Dose: chkQ("42 mg")},
			want: chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked,
				Limits: map[string][]string{"dose": {"limits.dose.soft_max"}}},
		},
		{
			// (42 − 40) ÷ 40 = 5 %: the edge is inside.
			name: "dose at the +5 % edge", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("42 mg")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked},
		},
		{
			// 2.01 ÷ 40 = 5.025 %.
			name: "dose just over +5 %", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("42.01 mg")},
			want:  chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"}},
		},
		{
			// −2 ÷ 40 = −5 %.
			name: "dose at the −5 % edge", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("38 mg")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked},
		},
		{
			// −2.01 ÷ 40 = −5.025 %.
			name: "dose just under −5 %", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("37.99 mg")},
			want:  chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"}},
		},
		{
			// 156 × 1.05 = 163.8.
			name: "pump rate at the +5 % edge", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("163.8 mL/h")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked},
		},
		{
			// 7.9 ÷ 156 = 5.06 %.
			name: "pump rate just over +5 %", rule: iv, patient: p80,
			order: dosing.Order{PumpRate: chkQ("163.9 mL/h")},
			want:  chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"pump_rate"}},
		},
		{
			// The protocol allows 2 % on the final volume: 100 vs 104 mL is
			// −3.85 %.
			name: "nominal bag volume under a 2 % protocol tolerance", rule: iv, patient: p80,
			order: dosing.Order{FinalVolume: chkQ("100 mL")}, tol: dosing.Tolerances{FinalVolume: chkQ("2 %")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"final_volume"}},
		},
		{
			// 41.9 mg is +4.75 % and 3.81 mL −4.75 %, each inside 5 %; but
			// 3.81 × 10 = 38.1 mg, and 41.9 ÷ 38.1 = +9.97 %.
			name: "each value within tolerance, the order contradicts itself", rule: iv, patient: p80,
			order: dosing.Order{Dose: chkQ("41.9 mg"), DrawVolume: chkQ("3.81 mL"), Stock: chkQ("10 mg/mL")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkMismatch, Failed: []string{"dose_from_draw"}},
		},
		{
			// 10,000 mcg/mL = 10 mg/mL exactly (the stock's tolerance is 0).
			name: "stock written in mcg/mL", rule: iv, patient: p80,
			order: dosing.Order{Stock: chkQ("10000 mcg/mL")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked},
		},
		{
			// 1 mg/kg × 130 kg = 130 mg, capped to 100 mg. The ordered
			// 1 mg/kg is the protocol's dose per kg before the cap (the
			// effective 0.769 mg/kg is 30 % away). No weight: no relation.
			name: "capped dose ordered as capped", rule: chkCapRule(), patient: dosing.Patient{Weight: chkQ("130 kg")},
			order: dosing.Order{Dose: chkQ("100 mg"), DosePerKg: chkQ("1 mg/kg")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked},
		},
		{
			// 130 vs 100 mg: +30 %, no factor, and above the cap.
			name: "capped dose ordered uncapped", rule: chkCapRule(), patient: dosing.Patient{Weight: chkQ("130 kg")},
			order: dosing.Order{Dose: chkQ("130 mg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"},
				Limits: map[string][]string{"dose": {"cap"}}, Beyond: []string{"dose 130 mg"}},
		},
		{
			// 104 vs 100 mg is +4 %, inside the tolerance, but a cap is a
			// hard line.
			name: "within tolerance but above the cap", rule: chkCapRule(), patient: dosing.Patient{Weight: chkQ("130 kg")},
			order: dosing.Order{Dose: chkQ("104 mg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"},
				Limits: map[string][]string{"dose": {"cap"}}, Beyond: []string{"dose 104 mg"}},
		},
		{
			// Ideal basis: 0.5 × 70.4646 = 35.23 mg. 0.5 × 120 (actual) =
			// 60 mg; 60 ÷ 35.23 = 1.70 is no factor. 0.5 × 120 = 60:
			// consistent.
			name: "actual weight where ideal was due", rule: chkIdealRule(), patient: chkObese(),
			order: dosing.Order{Dose: chkQ("60 mg"), DosePerKg: chkQ("0.5 mg/kg"), Weight: chkQ("120 kg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkMatch, Mismatched: []string{"dose", "weight"},
				Causes: chkCauses{"dose": {dosing.CauseWrongWeight}, "weight": {dosing.CauseWrongWeight}}},
		},
		{
			// Actual basis: 60 mg. 35.2 mg is 0.5 × 70.4646 (Devine IBW)
			// to 0.1 %.
			name: "ideal weight where actual was due", rule: chkActualRule(), patient: chkObese(),
			order: dosing.Order{Dose: chkQ("35.2 mg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"},
				Causes: chkCauses{"dose": {dosing.CauseWrongWeight}}},
		},
		{
			// 56 mg ÷ 28 mg/device = 2 devices.
			name: "nasal doses in whole devices", rule: chkNasalRule(), patient: p80,
			order: dosing.Order{Dose: chkQ("56 mg"), Count: chkQ("2 devices")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkNotChecked},
		},
		{
			// 3 vs 2 devices: +50 %, and a count has no tolerance.
			name: "a device too many", rule: chkNasalRule(), patient: p80,
			order: dosing.Order{Count: chkQ("3 devices")},
			want:  chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"count"}},
		},
		{
			// WC9 at 70 kg: 24.5 mL/h, 1 mg/mL, 0.35 mg/kg/h, 4 h; 24.5 ×
			// 1 ÷ 70 = 0.35 mg/kg/h.
			name: "WC9 chronic-pain infusion as worked out", rule: chkRateRule(), patient: dosing.Patient{Weight: chkQ("70 kg")},
			order: dosing.Order{PumpRate: chkQ("24.5 mL/h"), FinalConc: chkQ("1 mg/mL"), DoseRatePerKg: chkQ("0.35 mg/kg/h"), Weight: chkQ("70 kg"), Duration: chkQ("4 h")},
			want:  chkOutcome{Agreement: chkMatch, Consistency: chkMatch},
		},
		{
			// 0.35 mcg/kg/min = 0.021 mg/kg/h; 0.021 ÷ 0.35 = 0.06 = 60 ÷
			// 1000.
			name: "WC9 rate per kg in the wrong unit", rule: chkRateRule(), patient: dosing.Patient{Weight: chkQ("70 kg")},
			order: dosing.Order{DoseRatePerKg: chkQ("0.35 mcg/kg/min")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose_rate_per_kg"},
				Causes: chkCauses{"dose_rate_per_kg": {dosing.CauseMcgMinMgHour}}},
		},
		{
			// The protocol has no infusion: nothing to compare, but 150
			// mL/h × 40 min = 100 mL holds.
			name: "protocol silent, order consistent", rule: chkFixedRule(), patient: p80,
			order: dosing.Order{FinalVolume: chkQ("100 mL"), PumpRate: chkQ("150 mL/h"), Duration: chkQ("40 min")},
			want:  chkOutcome{Agreement: chkNotChecked, Consistency: chkMatch},
		},
		{
			// 150 mL/h × 40 min = 100 mL, not 1,000 mL: ×10.
			name: "protocol silent, order off by ten", rule: chkFixedRule(), patient: p80,
			order: dosing.Order{FinalVolume: chkQ("1000 mL"), PumpRate: chkQ("150 mL/h"), Duration: chkQ("40 min")},
			want: chkOutcome{Agreement: chkNotChecked, Consistency: chkMismatch, Failed: []string{"volume_from_rate"},
				Causes: chkCauses{"volume_from_rate": {dosing.CauseTenfold}}},
		},
	}
	if len(tests) < 25 {
		t.Fatalf("the table has %d orders; the issue asks for at least 25", len(tests))
	}
	opts := cmpopts.EquateEmpty()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := dosing.Check(tc.order, tc.patient, tc.rule, dosing.CheckOptions{Tolerances: tc.tol})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if diff := cmp.Diff(tc.want, chkOutcomeOf(res), opts); diff != "" {
				t.Errorf("Check() mismatch (-want +got):\n%s", diff)
			}
			wantOK := tc.want.Agreement == chkMatch && tc.want.Consistency != chkMismatch && len(tc.want.Beyond) == 0
			if res.Matches() != wantOK {
				t.Errorf("Matches() = %v, want %v", res.Matches(), wantOK)
			}
			// The summary opens with what the order gives beyond a hard
			// limit, one line each; then the verdict: MATCH, MISMATCH
			// where something disagrees or is beyond a hard limit, NOT
			// CONFIRMED where nothing did but nothing could be compared
			// with the protocol either.
			wantPrefix := "MATCH: "
			switch {
			case wantOK:
			case tc.want.Agreement == chkMismatch || tc.want.Consistency == chkMismatch || len(tc.want.Beyond) > 0:
				wantPrefix = "MISMATCH: "
			default:
				wantPrefix = "NOT CONFIRMED: "
			}
			lines := strings.Split(res.Summary, "\n")
			if !strings.HasPrefix(lines[len(lines)-1], wantPrefix) {
				t.Errorf("Summary = %q, want its last line to open with the verdict", res.Summary)
			}
			for i, b := range tc.want.Beyond {
				value, gives, _ := strings.Cut(b, " ")
				if i >= len(lines) || !strings.HasPrefix(lines[i], "as written this order ") || !strings.Contains(lines[i], " "+chkQ(gives).String()) {
					t.Errorf("Summary line %d = %q, want it to say what the order gives: %s %s", i+1, lines[min(i, len(lines)-1)], value, gives)
				}
			}
			// Deviations read from the order's side, a factor once the
			// order gives at least twice or at most half the reference:
			// never "ratio 1,000 %", nor a percentage that hides a factor.
			var ws bytes.Buffer
			if err := res.WriteWorksheet(&ws); err != nil {
				t.Fatal(err)
			}
			if chkRatioWord.MatchString(ws.String()) {
				t.Errorf("the worksheet speaks of a ratio:\n%s", ws.String())
			}
			for _, m := range chkPctInParens.FindAllStringSubmatch(ws.String(), -1) {
				pct, err := decimal.NewFromString(strings.ReplaceAll(m[2], ",", ""))
				if err != nil {
					t.Fatal(err)
				}
				if m[1] == "+" && pct.GreaterThanOrEqual(decimal.NewFromInt(100)) || m[1] == "−" && pct.GreaterThanOrEqual(decimal.NewFromInt(50)) {
					t.Errorf("the worksheet shows a deviation %s as a percentage, not as a factor", m[0])
				}
			}
			for _, f := range res.Fields {
				for _, c := range f.Causes {
					if c.Factor == "" || !strings.HasPrefix(c.Factor, "× ") && !strings.HasPrefix(c.Factor, "÷ ") && !strings.HasPrefix(c.Factor, "≈ ") {
						t.Errorf("%s: cause %s has the factor %q", f.Field, c.Kind, c.Factor)
					}
					if c.Evidence == "" || !c.Ratio.IsValid() {
						t.Errorf("%s: cause %s has no evidence or ratio", f.Field, c.Kind)
					}
				}
				for _, l := range f.Limits {
					soft := l.Kind == dosing.SoftMax || l.Kind == dosing.SoftMin
					if soft && !strings.Contains(res.Summary, "beyond a soft limit, for review: "+f.Field) {
						t.Errorf("Summary %q does not ask to review %s", res.Summary, f.Field)
					}
				}
			}
		})
	}
}

// TestCheckFieldValues checks the numbers of one comparison against values
// worked out by hand.
func TestCheckFieldValues(t *testing.T) {
	t.Parallel()
	res, err := dosing.Check(dosing.Order{Dose: chkQ("400 mg"), PumpRate: chkQ("15.6 mL/h")}, chkPatient80(), chkIVRule(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 400 − 40 = 360 mg, 360 ÷ 40 = 900 %, ratio 1000 % (× 10). 15.6 −
	// 156 = −140.4 mL/h, −90 %, ratio 10 % (÷ 10). The protocol states
	// both in the order's units.
	want := []dosing.FieldCheck{
		{Field: "dose", Ordered: chkQ("400 mg"), Expected: chkQ("40 mg"), ProtocolValue: chkQ("40 mg"), Step: "dose", Deviation: chkQ("360 mg"), DeviationPct: chkQ("900 %"),
			Tolerance: chkQ("5 %"), Verdict: chkMismatch, Limits: []dosing.LimitCrossing{{Limit: "cap", Kind: dosing.HardMax, Bound: chkQ("100 mg")}},
			Causes: []dosing.Cause{{Kind: dosing.CauseTenfold, Ratio: chkQ("1000 %"), Factor: "× 10"}}},
		{Field: "pump_rate", Ordered: chkQ("15.6 mL/h"), Expected: chkQ("156 mL/h"), ProtocolValue: chkQ("156 mL/h"), Step: "pump_rate", Deviation: chkNeg("140.4 mL/h"), DeviationPct: chkNeg("90 %"),
			Tolerance: chkQ("5 %"), Verdict: chkMismatch,
			Causes: []dosing.Cause{{Kind: dosing.CauseTenfold, Ratio: chkQ("10 %"), Factor: "÷ 10"}, {Kind: dosing.CausePumpDecimalSlip, Ratio: chkQ("10 %"), Factor: "÷ 10"}}},
	}
	ignoreEvidence := cmpopts.IgnoreFields(dosing.Cause{}, "Evidence")
	if diff := cmp.Diff(want, res.Fields, ignoreEvidence); diff != "" {
		t.Errorf("Fields mismatch (-want +got):\n%s", diff)
	}
	for _, f := range res.Fields {
		for _, c := range f.Causes {
			// The evidence names the ordered and the expected values.
			if !strings.Contains(c.Evidence, f.Ordered.String()) || !strings.Contains(c.Evidence, f.Expected.String()) {
				t.Errorf("%s: evidence %q does not name %s and %s", f.Field, c.Evidence, f.Ordered, f.Expected)
			}
		}
	}
}

// chkRatioWord finds the word "ratio" (not "duration").
var chkRatioWord = regexp.MustCompile(`\bratio\b`)

// chkPctInParens finds a deviation in % in parentheses: "(+900 %)".
var chkPctInParens = regexp.MustCompile(`\((?:≈ )?([+−])([\d,]+(?:\.\d+)?) %\)`)

// TestCheckFromTheOrdersSide: a relation's deviation is what the order's
// other values give beyond the value it states, in % of the stated value;
// a cause's factor reads the same way; an expected value is given in the
// protocol's unit beside the order's.
func TestCheckFromTheOrdersSide(t *testing.T) {
	t.Parallel()
	iv := chkIVRule()
	// 4 mL × 50 mg/mL = 200 mg against the stated 40 mg: +160 mg, +400 %
	// (× 5, no factor Check names). 156 mL/h… written 15.6: 15.6 × 40 min
	// = 10.4 mL against the stated 104 mL: −93.6 mL, −90 %, ÷ 10.
	res, err := dosing.Check(dosing.Order{Dose: chkQ("40 mg"), Stock: chkQ("50 mg/mL"), DrawVolume: chkQ("4 mL"),
		FinalVolume: chkQ("104 mL"), PumpRate: chkQ("15.6 mL/h"), Duration: chkQ("40 min")}, chkPatient80(), iv, dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type rel struct {
		ID, Derived, Deviation, Pct string
		Factors                     []string
	}
	var got []rel
	for _, c := range res.Relations {
		r := rel{c.ID, c.Derived.String(), c.Deviation.Text(), c.DeviationPct.Text(), nil}
		for _, k := range c.Causes {
			r.Factors = append(r.Factors, string(k.Kind)+" "+k.Factor+" "+k.Ratio.Text())
		}
		got = append(got, r)
	}
	want := []rel{
		{"dose_from_draw", "200 mg", "160 mg", "400 %", nil},
		{"volume_from_rate", "10.4 mL", "-93.6 mL", "-90 %", []string{"tenfold ÷ 10 10 %"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("relations (-want +got):\n%s", diff)
	}
	// 0.35 mcg/kg/min ordered on the 0.35 mg/kg/h rule: expected 0.35
	// mg/kg/h, which is 0.35 × 1000 ÷ 60 = 5.8333 mcg/kg/min; the order
	// gives 0.35 ÷ 5.8333 = 0.06 of it, ÷ 16.67 (1,000 ÷ 60).
	res, err = dosing.Check(dosing.Order{DoseRatePerKg: chkQ("0.35 mcg/kg/min")}, dosing.Patient{Weight: chkQ("70 kg")}, chkRateRule(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := res.Fields[0]
	if !f.ProtocolValue.Equal(chkQ("0.35 mg/kg/h")) || f.Expected.Unit() != units.McgPerKgPerMin || f.Causes[0].Factor != "÷ 16.67 (1,000 ÷ 60)" {
		t.Errorf("protocol value %s, expected %s, factor %q", f.ProtocolValue, f.Expected, f.Causes[0].Factor)
	}
	var ws bytes.Buffer
	if err := res.WriteWorksheet(&ws); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0.35 mg/kg/h (≈ 5.8333 mcg/kg/min)", "≈ −5.4833 mcg/kg/min (≈ ÷ 16.67)"} {
		if !strings.Contains(ws.String(), want) {
			t.Errorf("the worksheet lacks %q:\n%s", want, ws.String())
		}
	}
}

func chkNeg(s string) units.Quantity {
	v := chkQ(s)
	return units.New(v.Value().Neg(), v.Unit())
}

// TestCheckTrail checks that a matching order says so and carries the
// independent calculation with its trail.
func TestCheckTrail(t *testing.T) {
	t.Parallel()
	res, err := dosing.Check(chkFullIVOrder(), chkPatient80(), chkIVRule(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Matches() || !strings.HasPrefix(res.Summary, "MATCH: all 13 values") {
		t.Errorf("Summary = %q, want a match of all 13 values", res.Summary)
	}
	var ids []string
	for _, s := range res.Expected.Steps {
		ids = append(ids, s.ID)
	}
	for _, id := range []string{"dosing_weight", "dose", "draw_volume", "final_volume", "final_concentration", "pump_rate", "dose_rate", "drip_rate"} {
		if !slices.Contains(ids, id) {
			t.Errorf("trail %v has no step %q", ids, id)
		}
	}
	if res.Notice != dosing.Notice {
		t.Errorf("Notice = %q, want %q", res.Notice, dosing.Notice)
	}
}

// TestCheckBadInput: every bad field at once, each a *dosing.FieldError
// naming the field, and no result.
func TestCheckBadInput(t *testing.T) {
	t.Parallel()
	iv, p80 := chkIVRule(), chkPatient80()
	noBasis := chkIVRule()
	noBasis.Weight = dosing.WeightPolicy{}
	tests := []struct {
		name   string
		order  dosing.Order
		rule   dosing.Rule
		tol    dosing.Tolerances
		fields []string
		is     []error
	}{
		{name: "no fields", order: dosing.Order{}, rule: iv,
			fields: []string{"order"}, is: []error{dosing.ErrMissing}},
		{name: "pump rate in mg", order: dosing.Order{PumpRate: chkQ("40 mg")}, rule: iv,
			fields: []string{"order.pump_rate"}, is: []error{dosing.ErrDimension}},
		{name: "every field of the wrong dimension",
			order: dosing.Order{Dose: chkQ("40 mL"), DosePerKg: chkQ("0.5 mg"), Weight: chkQ("80 mg"), Stock: chkQ("10 mg"), DrawVolume: chkQ("4 mg"),
				FinalVolume: chkQ("104 mL/h"), FinalConc: chkQ("0.4 mg/kg"), PumpRate: chkQ("156 mg/h"), Duration: chkQ("40 mL"), DoseRate: chkQ("60 mg/kg/h"),
				DoseRatePerKg: chkQ("0.75 mg/h"), DripRate: chkQ("52 mL/h"), DropFactor: chkQ("20 gtt/min"), Count: chkQ("2 mg")},
			rule: iv,
			fields: []string{"order.dose", "order.dose_per_kg", "order.weight", "order.stock", "order.draw_volume", "order.final_volume",
				"order.final_concentration", "order.pump_rate", "order.duration", "order.dose_rate", "order.dose_rate_per_kg",
				"order.drip_rate", "order.drop_factor", "order.count"},
			is: []error{dosing.ErrDimension}},
		{name: "drop factor without drip rate", order: dosing.Order{DropFactor: chkQ("20 gtt/mL")}, rule: iv,
			fields: []string{"order.drip_rate"}, is: []error{dosing.ErrMissing}},
		{name: "drip rate without drop factor", order: dosing.Order{DripRate: chkQ("52 gtt/min")}, rule: iv,
			fields: []string{"order.drop_factor"}, is: []error{dosing.ErrMissing}},
		{name: "zero and negative values", order: dosing.Order{Dose: chkQ("0 mg"), PumpRate: chkNeg("156 mL/h")}, rule: iv,
			fields: []string{"order.dose", "order.pump_rate"}, is: []error{dosing.ErrRange}},
		{name: "tolerances of the wrong dimension and out of range", order: dosing.Order{Dose: chkQ("40 mg")}, rule: iv,
			tol:    dosing.Tolerances{Dose: chkQ("5 mg"), PumpRate: chkQ("25 %"), Count: chkNeg("1 %")},
			fields: []string{"tolerances.dose", "tolerances.pump_rate", "tolerances.count"}, is: []error{dosing.ErrDimension, dosing.ErrRange}},
		{name: "a bad order and a bad rule together", order: dosing.Order{Duration: chkQ("40 mg")}, rule: noBasis,
			fields: []string{"order.duration", "weight.basis"}, is: []error{dosing.ErrDimension, dosing.ErrMissing}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := dosing.Check(tc.order, p80, tc.rule, dosing.CheckOptions{Tolerances: tc.tol})
			if err == nil {
				t.Fatalf("Check() = %+v, want an error", res.Summary)
			}
			if diff := cmp.Diff(tc.fields, chkInputFields(err)); diff != "" {
				t.Errorf("error fields mismatch (-want +got):\n%s\n%v", diff, err)
			}
			for _, target := range tc.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v) = false", target)
				}
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "dosing: ") {
					t.Errorf("error line %q lacks the dosing: prefix", line)
				}
			}
		})
	}
}

// inputFields lists the Field of every *dosing.FieldError in err's tree.
func chkInputFields(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if ie, ok := e.(*dosing.FieldError); ok {
			out = append(out, ie.Field)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// TestCheckErrorMessage pins the shape of an error: prefix, field, quoted
// value, what is allowed.
func TestCheckErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := dosing.Check(dosing.Order{PumpRate: chkQ("40 mg")}, chkPatient80(), chkIVRule(), dosing.CheckOptions{})
	want := `dosing: order.pump_rate "40 mg": must be a pump rate (mL/h or mL/min), not drug mass`
	if err == nil || err.Error() != want {
		t.Errorf("Check() error = %v, want %s", err, want)
	}
}

func TestDefaultTolerances(t *testing.T) {
	t.Parallel()
	// 5 % for calculated values, 0 % for what is read off a product; a
	// tolerance the caller sets stays.
	five, zero := chkQ("5 %"), chkQ("0 %")
	want := dosing.Tolerances{Dose: five, DosePerKg: five, DosePerDay: five, DosePerKgPerDay: five, Weight: five, Stock: zero, DrawVolume: five, FinalVolume: five, FinalConc: five,
		PumpRate: chkQ("2 %"), Duration: five, DoseRate: five, DoseRatePerKg: five, DripRate: five, DropFactor: zero, Count: zero}
	res, err := dosing.Check(dosing.Order{Dose: chkQ("40 mg")}, chkPatient80(), chkIVRule(), dosing.CheckOptions{Tolerances: dosing.Tolerances{PumpRate: chkQ("2 %")}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, res.Tolerances); diff != "" {
		t.Errorf("the tolerances Check used (-want +got):\n%s", diff)
	}
}

// beyondHard reports whether an implied value crosses a hard limit or a
// cap (a cap is a hard maximum).
func beyondHard(v dosing.ImpliedValue) bool {
	for _, l := range v.Limits {
		if l.Kind == dosing.HardMax || l.Kind == dosing.HardMin {
			return true
		}
	}
	return false
}

// TestCheckJSON: every quantity is a string with its unit, and the result
// reads back to what was written.
func TestCheckJSON(t *testing.T) {
	t.Parallel()
	res, err := dosing.Check(dosing.Order{Dose: chkQ("400 mg"), DrawVolume: chkQ("4 mL"), Stock: chkQ("10 mg/mL")}, chkPatient80(), chkIVRule(), dosing.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	// The golden holds what Check writes; the calculation it embeds under
	// "expected" is Calculate's Result, whose JSON its own tests pin: here
	// it must be embedded verbatim.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	wantExpected, err := json.Marshal(res.Expected)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, top["expected"]); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(compact.Bytes(), wantExpected) {
		t.Errorf(`"expected" is not the calculation's own JSON`)
	}
	delete(top, "expected")
	own, err := json.MarshalIndent(chkOrdered(b, top), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	chkGolden(t, "check_tenfold_json.golden", append(own, '\n'))

	var generic map[string]any
	if err := json.Unmarshal(b, &generic); err != nil {
		t.Fatal(err)
	}
	quantityKeys := map[string]bool{"ordered": true, "expected": true, "deviation": true, "deviation_pct": true, "tolerance": true,
		"ratio": true, "bound": true, "stated": true, "derived": true, "dose": true, "stock": true, "draw_volume": true}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && quantityKeys[k] && !strings.HasPrefix(path, ".expected") {
					var qty units.Quantity
					if err := qty.UnmarshalText([]byte(s)); err != nil || !qty.IsValid() {
						t.Errorf("%s.%s = %q is not a quantity with its unit: %v", path, k, s, err)
					}
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		case float64:
			t.Errorf("%s is a bare JSON number %v", path, x)
		}
	}
	walk("", generic)

	var back dosing.CheckResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res, back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("JSON round trip mismatch (-want +got):\n%s", diff)
	}
}

// chkOrdered returns the members of top as a JSON object in the order
// they appear in doc (json.Marshal would sort a map's keys).
func chkOrdered(doc []byte, top map[string]json.RawMessage) json.RawMessage {
	type kv struct {
		at  int
		key string
	}
	var keys []kv
	for k := range top {
		keys = append(keys, kv{bytes.Index(doc, []byte("\n  \""+k+"\": ")), k})
	}
	slices.SortFunc(keys, func(a, b kv) int { return a.at - b.at })
	var out bytes.Buffer
	out.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			out.WriteByte(',')
		}
		name, _ := json.Marshal(k.key)
		out.Write(name)
		out.WriteByte(':')
		out.Write(top[k.key])
	}
	out.WriteByte('}')
	return out.Bytes()
}

// TestCheckWorksheet compares worksheets with testdata/check_*.golden; run
// with -update to rewrite them, then read the diff. The golden holds what
// Check writes from its own findings; the section INDEPENDENT CALCULATION
// renders Calculate's trail, whose wording its owner's tests pin, and is
// checked here step by step against res.Expected.Steps.
func TestCheckWorksheet(t *testing.T) {
	t.Parallel()
	iv, p80 := chkIVRule(), chkPatient80()
	tests := []struct {
		name    string
		order   dosing.Order
		rule    dosing.Rule
		patient dosing.Patient
	}{
		{"match", chkFullIVOrder(), iv, p80},
		{"tenfold", dosing.Order{Dose: chkQ("400 mg"), DrawVolume: chkQ("4 mL"), Stock: chkQ("10 mg/mL"), PumpRate: chkQ("1560 mL/h")}, iv, p80},
		{"wrong_stock", dosing.Order{Dose: chkQ("40 mg"), Stock: chkQ("50 mg/mL"), DrawVolume: chkQ("0.8 mL")}, iv, p80},
		{"pounds", dosing.Order{Dose: chkQ("88.2 mg"), DosePerKg: chkQ("0.5 mg/kg"), Weight: chkQ("176.4 kg")}, iv, p80},
		{"wrong_weight", dosing.Order{Dose: chkQ("60 mg"), DosePerKg: chkQ("0.5 mg/kg"), Weight: chkQ("120 kg")}, chkIdealRule(), chkObese()},
		{"protocol_silent", dosing.Order{FinalVolume: chkQ("1000 mL"), PumpRate: chkQ("150 mL/h"), Duration: chkQ("40 min")}, chkFixedRule(), p80},
		{"soft_limit_and_loading", dosing.Order{Dose: chkQ("42 mg"), FinalVolume: chkQ("104 mL"), PumpRate: chkQ("117 mL/h"), Duration: chkQ("40 min")},
			func() dosing.Rule { r := chkWithLoading(); r.Limits.Dose.SoftMax = chkQ("41 mg"); return r }(), p80},
		// The pump keyed at 135 mL/h for 13.5 mL/h: 135 × 100 units/mL =
		// 13,500 units/h as written, beyond the hard maximum 2,000 units/h.
		{"heparin_tenfold", dosing.Order{DoseRate: chkQ("1350 units/h"), PumpRate: chkQ("135 mL/h")}, heparinInfusion(), dosing.Patient{Weight: chkQ("75 kg")}},
		// 15 mg/kg 4 times a day for 80 kg, at most 4,000 mg/day: 4,000 mg
		// written as each dose is the day's dose, × 4; 16,000 mg/day as written.
		{"per_day_as_each_dose", dosing.Order{Dose: chkQ("4000 mg")}, perDayRule(), dosing.Patient{Weight: chkQ("80 kg")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := dosing.Check(tc.order, tc.patient, tc.rule, dosing.CheckOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := res.WriteWorksheet(&buf); err != nil {
				t.Fatal(err)
			}
			own, trail, ok := strings.Cut(buf.String(), "\nINDEPENDENT CALCULATION\n")
			if !ok {
				t.Fatalf("no INDEPENDENT CALCULATION section:\n%s", buf.String())
			}
			chkGolden(t, "check_"+tc.name+".golden", []byte(own+"\n"))
			chkCheckTrail(t, trail, res.Expected)
		})
	}
}

// chkCheckTrail checks that the trail section shows every step of the
// calculation, in order, with its title, id and formula, and ends with the
// notice.
func chkCheckTrail(t *testing.T, trail string, r dosing.Result) {
	t.Helper()
	at := 0
	for i, s := range r.Steps {
		head := fmt.Sprintf("%2d. %s [%s]\n    %s\n", i+1, s.Title, s.ID, s.Formula)
		j := strings.Index(trail[at:], head)
		if j < 0 {
			t.Errorf("trail lacks step %d after byte %d:\n%s\nin\n%s", i+1, at, head, trail)
			return
		}
		at += j + len(head)
	}
	if !strings.HasSuffix(trail, "\n"+dosing.Notice+"\n") {
		t.Errorf("the worksheet does not end with the notice")
	}
}

// chkGolden compares got with testdata/name, or rewrites it under -update.
func chkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *chkUpdate {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// chkGenCase draws a realistic IV rule and patient: weight 40–150 kg, 0.1–1
// mg/kg, a 10, 50 or 100 mg/mL stock (the others listed), a bag (add or
// withdraw) or a syringe made up to a volume, 30–120 min, a pump with
// 0.1 mL/h steps, and for bags of 100 mL or more a gravity set. Gravity
// drips are kept at 10 gtt/min or more (a bag of at least 100 mL over at
// most 100 min through a set of at least 10 gtt/mL), where whole-drop
// rounding stays within 5 %, as it must at any tolerance a pharmacist uses.
func chkGenCase(t *rapid.T) (dosing.Rule, dosing.Patient) {
	weight := units.New(decimal.New(int64(rapid.IntRange(400, 1500).Draw(t, "weight_x10")), -1), units.Kilogram)
	perKg := units.New(decimal.New(int64(rapid.IntRange(10, 100).Draw(t, "dose_x100")), -2), units.MgPerKg)
	stocks := []units.Quantity{chkQ("10 mg/mL"), chkQ("50 mg/mL"), chkQ("100 mg/mL")}
	si := rapid.IntRange(0, 2).Draw(t, "stock")
	drawStep := chkQ("0.01 mL")
	if si == 0 {
		drawStep = chkQ("0.1 mL")
	}
	prep := &dosing.Preparation{Stock: stocks[si], DrawStep: drawStep, DrawRounding: units.RoundHalfUp,
		Stocks: slices.Delete(slices.Clone(stocks), si, si+1)}
	duration := units.NewInt(int64(rapid.SampledFrom([]int{30, 40, 60, 100}).Draw(t, "duration_min")), units.Minute)
	inf := &dosing.Infusion{Duration: duration, Pump: dosing.Pump{RateStep: chkQ("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: chkQ("999 mL/h")}}
	if rapid.Bool().Draw(t, "bag") {
		vol := rapid.SampledFrom([]int64{50, 100, 250}).Draw(t, "bag_mL")
		method := rapid.SampledFrom([]dosing.DiluentMethod{dosing.AddToBag, dosing.WithdrawFirst}).Draw(t, "method")
		prep.Bag = &dosing.Bag{Volume: units.NewInt(vol, units.Milliliter), Method: method}
		if vol >= 100 && rapid.Bool().Draw(t, "gravity") {
			inf.DropFactor = units.NewInt(rapid.SampledFrom([]int64{10, 15, 20, 60}).Draw(t, "drop_factor"), units.DropsPerML)
			inf.DripRounding = units.RoundHalfUp
		}
	} else {
		prep.Syringe = &dosing.Syringe{Volume: units.NewInt(rapid.SampledFrom([]int64{50, 60}).Draw(t, "syringe_mL"), units.Milliliter)}
	}
	rule := dosing.Rule{Name: "generated", Version: "1", Dose: perKg, Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: prep, Infusion: inf}
	return rule, dosing.Patient{Weight: weight}
}

// chkOrderFrom writes the calculation out as an order, every value exact, the
// dose rate per kg in mg/kg/h or mcg/kg/min.
func chkOrderFrom(t *rapid.T, r dosing.Result) dosing.Order {
	o := dosing.Order{Dose: r.Dose, DosePerKg: r.DosePerKg, Weight: r.Weight.Value}
	if p := r.Preparation; p != nil {
		o.Stock, o.DrawVolume, o.FinalVolume, o.FinalConc = p.Stock, p.Draw, p.FinalVolume, p.FinalConc
	}
	if in := r.Infusion; in != nil {
		o.PumpRate, o.Duration, o.DoseRate = in.PumpRate, in.Duration, in.DoseRate
		o.DoseRatePerKg = in.DoseRatePerKgH
		if rapid.Bool().Draw(t, "per_kg_in_mcg_kg_min") {
			o.DoseRatePerKg = in.DoseRatePerKgMin
		}
		if d := in.Drip; d != nil {
			o.DripRate, o.DropFactor = d.Rate, d.DropFactor
		}
	}
	return o
}

// chkFieldsOf lists the order's fields by JSON name, with a setter each; the
// tests read and write orders through it rather than through the package.
func chkFieldsOf(o *dosing.Order) map[string]*units.Quantity {
	return map[string]*units.Quantity{
		"dose": &o.Dose, "dose_per_kg": &o.DosePerKg, "weight": &o.Weight, "stock": &o.Stock, "draw_volume": &o.DrawVolume,
		"final_volume": &o.FinalVolume, "final_concentration": &o.FinalConc, "pump_rate": &o.PumpRate, "duration": &o.Duration,
		"dose_rate": &o.DoseRate, "dose_rate_per_kg": &o.DoseRatePerKg, "drip_rate": &o.DripRate, "drop_factor": &o.DropFactor, "count": &o.Count,
	}
}

func chkCalculated(t *rapid.T) (dosing.Rule, dosing.Patient, dosing.Result) {
	rule, p := chkGenCase(t)
	return rule, p, chkMustCalculate(t, rule, p)
}

func chkMustCalculate(t *rapid.T, rule dosing.Rule, p dosing.Patient) dosing.Result {
	res, err := dosing.Calculate(rule, p, dosing.Options{})
	if err != nil {
		t.Fatalf("Calculate of a generated rule: %v", err)
	}
	return res
}

// chkVaried widens a generated case: dosing on ideal body weight (Devine),
// a cap of 50 or 80 mg, the weight entered in pounds.
func chkVaried(t *rapid.T, rule dosing.Rule, p dosing.Patient) (dosing.Rule, dosing.Patient) {
	if rapid.Bool().Draw(t, "ideal") {
		rule.Weight = dosing.WeightPolicy{Basis: dosing.Ideal, IBWFormula: dosing.Devine, ShortStature: dosing.ClampAt60In}
		p.Height = units.NewInt(int64(rapid.IntRange(150, 200).Draw(t, "height_cm")), units.Centimeter)
		p.Sex = rapid.SampledFrom([]dosing.Sex{dosing.Male, dosing.Female}).Draw(t, "sex")
	}
	if rapid.Bool().Draw(t, "capped") {
		rule.Cap = units.NewInt(rapid.SampledFrom([]int64{50, 80}).Draw(t, "cap_mg"), units.Milligram)
	}
	if rapid.Bool().Draw(t, "pounds") {
		lb, err := p.Weight.Convert(units.Pound)
		if err != nil {
			t.Fatal(err)
		}
		p.Weight = lb
	}
	return rule, p
}

// TestCheckOwnResultMatches: an order written from the library's own
// calculation (on actual or ideal weight, capped or not, the weight in kg
// or lb) always matches, value by value and relation by relation.
func TestCheckOwnResultMatches(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		rule, p := chkGenCase(t)
		rule, p = chkVaried(t, rule, p)
		res := chkMustCalculate(t, rule, p)
		order := chkOrderFrom(t, res)
		got, err := dosing.Check(order, p, rule, dosing.CheckOptions{})
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if !got.Matches() || got.Agreement != chkMatch || got.Consistency != chkMatch {
			t.Fatalf("Check of Calculate's own result: %s", got.Summary)
		}
		if n := len(chkFieldsWith(order)); len(got.Fields) != n {
			t.Fatalf("%d fields checked, want %d", len(got.Fields), n)
		}
	})
}

func chkFieldsWith(o dosing.Order) []string {
	var names []string
	for name, p := range chkFieldsOf(&o) {
		if p.IsValid() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// scalings are the factors of the issue, each with the cause it must be
// named as. 2.2046 is the rounded factor, as a person writes it.
var chkScalings = []struct {
	factor string
	kind   dosing.CauseKind
}{
	{"10", dosing.CauseTenfold}, {"100", dosing.CauseHundredfold}, {"1000", dosing.CauseThousandfold},
	{"2.2046", dosing.CausePoundsKilograms}, {"60", dosing.CauseMinuteHour},
}

// TestCheckSingleFieldScaled: any one value multiplied or divided by 10,
// 100, 1000, 2.2046 or 60 never matches, and the cause is named on it.
func TestCheckSingleFieldScaled(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		rule, p, res := chkCalculated(t)
		order := chkOrderFrom(t, res)
		field := rapid.SampledFrom(chkFieldsWith(order)).Draw(t, "field")
		s := rapid.SampledFrom(chkScalings).Draw(t, "factor")
		f := decimal.RequireFromString(s.factor)
		ptr := chkFieldsOf(&order)[field]
		if rapid.Bool().Draw(t, "divide") {
			*ptr = units.New(ptr.Value().DivRound(f, units.Places), ptr.Unit())
		} else {
			*ptr = units.New(ptr.Value().Mul(f), ptr.Unit())
		}
		got, err := dosing.Check(order, p, rule, dosing.CheckOptions{})
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if got.Matches() {
			t.Fatalf("%s scaled by %s matches: %s", field, s.factor, got.Summary)
		}
		for _, fc := range got.Fields {
			if fc.Field != field {
				continue
			}
			if fc.Verdict != chkMismatch {
				t.Fatalf("%s scaled by %s: verdict %s", field, s.factor, fc.Verdict)
			}
			for _, c := range fc.Causes {
				if c.Kind == s.kind {
					return
				}
			}
			t.Fatalf("%s scaled by %s: causes %+v do not name %s", field, s.factor, fc.Causes, s.kind)
		}
		t.Fatalf("%s not among the checked fields", field)
	})
}

// TestCheckConsistentButWrong: two values altered together so that the
// order still agrees with itself is still flagged against the protocol.
func TestCheckConsistentButWrong(t *testing.T) {
	t.Parallel()
	// Each relation with the two values scaled together; the third is
	// left alone, so the relation holds exactly.
	relations := []struct {
		id               string
		keep             []string
		scaled1, scaled2 string
	}{
		{"dose_from_draw", []string{"dose", "draw_volume", "stock"}, "dose", "draw_volume"},
		{"dose_from_per_kg", []string{"dose", "dose_per_kg", "weight"}, "dose", "dose_per_kg"},
		{"volume_from_rate", []string{"final_volume", "pump_rate", "duration"}, "final_volume", "pump_rate"},
		{"dose_rate_from_pump", []string{"dose_rate", "pump_rate", "final_concentration"}, "dose_rate", "pump_rate"},
		{"dose_rate_from_dose", []string{"dose_rate", "dose", "duration"}, "dose_rate", "dose"},
	}
	rapid.Check(t, func(t *rapid.T) {
		rule, p, res := chkCalculated(t)
		full := chkOrderFrom(t, res)
		rel := rapid.SampledFrom(relations).Draw(t, "relation")
		// k in [0.20, 0.90] or [1.10, 5.00]: outside any 5 % tolerance.
		k := decimal.New(int64(rapid.OneOf(rapid.IntRange(20, 90), rapid.IntRange(110, 500)).Draw(t, "k_x100")), -2)
		var order dosing.Order
		src, dst := chkFieldsOf(&full), chkFieldsOf(&order)
		for _, name := range rel.keep {
			*dst[name] = *src[name]
		}
		for _, name := range []string{rel.scaled1, rel.scaled2} {
			*dst[name] = units.New(dst[name].Value().Mul(k), dst[name].Unit())
		}
		got, err := dosing.Check(order, p, rule, dosing.CheckOptions{})
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		if got.Consistency != chkMatch {
			t.Fatalf("%s scaled by %s: consistency %s, want match: %s", rel.id, k, got.Consistency, got.Summary)
		}
		if got.Agreement != chkMismatch || got.Matches() {
			t.Fatalf("%s scaled by %s: agreement %s, want mismatch: %s", rel.id, k, got.Agreement, got.Summary)
		}
	})
}

// TestCheckArbitraryOrders: any order, with any field absent or in any
// unit, zero or huge, gives a result or input errors, never a panic, and a
// result always has a verdict on each field it was given.
func TestCheckArbitraryOrders(t *testing.T) {
	t.Parallel()
	all := units.Units()
	rule, p := chkIVRule(), chkPatient80()
	full := chkFullIVOrder()
	full.Count = chkQ("2 devices")
	own := chkFieldsOf(&full) // each field's own unit
	var checked, refused int
	defer func() {
		// Half the draws keep every field's own unit: a good share of
		// orders must reach a result, or the property tests only refusals.
		if total := checked + refused; total >= 100 && checked*4 < total {
			t.Errorf("only %d of %d orders were checked; the generator mostly makes refusals", checked, total)
		}
	}()
	rapid.Check(t, func(t *rapid.T) {
		var order dosing.Order
		fields := chkFieldsOf(&order)
		// Either anything goes (any unit, zero), or each field keeps its
		// own unit, a positive value, and the drip rate comes with its
		// drop factor.
		anyUnits := rapid.Bool().Draw(t, "any_units")
		least := int64(1)
		if anyUnits {
			least = 0
		}
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			if rapid.IntRange(0, 2).Draw(t, name+"_given") == 0 {
				continue
			}
			v := decimal.New(rapid.Int64Range(least, 1_000_000_000).Draw(t, name+"_digits"), int32(-rapid.IntRange(0, 12).Draw(t, name+"_places")))
			u := own[name].Unit()
			if anyUnits && rapid.Bool().Draw(t, name+"_any_unit") {
				u = rapid.SampledFrom(all).Draw(t, name+"_unit")
			}
			*fields[name] = units.New(v, u)
		}
		if !anyUnits && order.DripRate.IsValid() != order.DropFactor.IsValid() {
			order.DripRate, order.DropFactor = units.Quantity{}, units.Quantity{}
		}
		res, err := dosing.Check(order, p, rule, dosing.CheckOptions{})
		if err != nil {
			var bad []error
			for _, e := range chkLeaves(err) {
				var ie *dosing.FieldError
				if !errors.As(e, &ie) {
					bad = append(bad, e)
				}
			}
			if len(bad) > 0 {
				t.Fatalf("errors that are not *dosing.FieldError: %v", bad)
			}
			refused++
			return
		}
		checked++
		if len(res.Fields) != len(chkFieldsWith(order)) {
			t.Fatalf("%d fields checked, %d given", len(res.Fields), len(chkFieldsWith(order)))
		}
		for _, f := range res.Fields {
			if f.Verdict != chkMatch && f.Verdict != chkMismatch && f.Verdict != chkNotChecked {
				t.Fatalf("%s: verdict %q", f.Field, f.Verdict)
			}
		}
	})
}

// chkLeaves lists the errors joined in err.
func chkLeaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, chkLeaves(e)...)
		}
		return out
	}
	return []error{err}
}

// BenchmarkCheck reports the cost of a full IV order that matches (one
// calculation) and of one that does not (the calculation plus one per
// hypothesis: two other stocks, three ideal weights, pounds), with the
// calculation alone for reference.
func BenchmarkCheck(b *testing.B) {
	rule, p := chkIVRule(), chkPatient80()
	b.Run("calculate_alone_for_reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := dosing.Calculate(rule, p, dosing.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, bc := range []struct {
		name  string
		order dosing.Order
	}{
		{"full_IV_order_matching", chkFullIVOrder()},
		{"full_IV_order_tenfold", func() dosing.Order { o := chkFullIVOrder(); o.Dose = chkQ("400 mg"); return o }()},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := dosing.Check(bc.order, p, rule, dosing.CheckOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCheckPoundsWhicheverWeight: a weight in pounds taken as kilograms is
// named as the likely cause whatever weight the protocol doses on, and
// whichever weight was entered wrong, the patient's or the order's. Each
// value is worked out by hand: 1 lb = 0.45359237 kg; at 175 cm (68.8976 in,
// 1.75² = 3.0625 m²) Devine's IBW for a man is 50 + 2.3 × 8.8976 =
// 70.4646 kg.
func TestCheckPoundsWhicheverWeight(t *testing.T) {
	t.Parallel()
	// The IV rule on the ideal weight from BMI 30 (as iv-ketamine-trd).
	obeseIdeal := chkIVRule()
	obeseIdeal.Weight = dosing.WeightPolicy{Basis: dosing.Actual, IdealWhenBMIAtLeast: chkQ("30 kg/m²"), IBWFormula: dosing.Devine}
	adjusted := dosing.Rule{Name: "0.5 mg/kg on ABW", Version: "1", Dose: chkQ("0.5 mg/kg"),
		Weight: dosing.WeightPolicy{Basis: dosing.Adjusted, IBWFormula: dosing.Devine, AdjustFactor: decimal.RequireFromString("0.4")}}
	entered176 := dosing.Patient{Weight: chkQ("176 kg"), Height: chkQ("175 cm"), Sex: dosing.Male}
	tests := []struct {
		name    string
		rule    dosing.Rule
		patient dosing.Patient
		order   dosing.Order
		want    chkOutcome
		first   dosing.CauseKind // the first likely cause
	}{
		{
			// The patient is entered as 176 kg, who weighs 176 lb =
			// 79.8323 kg. As entered: BMI 57.47 ≥ 30, so the ideal weight,
			// 0.5 × 70.4646 = 35.2323 mg, drawn as 3.5 mL = 35 mg. The
			// order was written for 79.8323 kg: BMI 26.07 < 30, the actual
			// weight, 39.9162 mg, drawn as 4.0 mL = 40 mg. 40 ÷ 35 = 1.14
			// is no factor: only the recalculation with 176 lb finds it.
			// (With the 100 mg/mL stock the protocol also lists, 35.2323
			// mg is 0.35 mL, drawn as 0.4 mL = 40 mg: a coincidence, which
			// comes second, since the patient's weight looks like pounds.)
			name: "the patient's weight in pounds, on the ideal weight above BMI 30", rule: obeseIdeal, patient: entered176,
			order: dosing.Order{Dose: chkQ("40 mg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"},
				Causes: chkCauses{"dose": {dosing.CauseWrongStock, dosing.CausePoundsKilograms}}},
			first: dosing.CausePoundsKilograms,
		},
		{
			// The protocol doses on the ideal weight, 70.4646 kg, which the
			// patient's weight does not change; the order states 176.4 kg,
			// the 80 kg patient's 176.37 lb, against the expected 70.4646
			// (× 2.5, no factor): only against the actual weight, 80 ×
			// 2.2046 = 176.37 (0.02 % off), is it pounds.
			name: "the order's weight in pounds, on the ideal weight", rule: chkIdealRule(), patient: chkPatient80(),
			order: dosing.Order{Dose: chkQ("35.2323 mg"), Weight: chkQ("176.4 kg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"weight"},
				Causes: chkCauses{"weight": {dosing.CausePoundsKilograms}}},
			first: dosing.CausePoundsKilograms,
		},
		{
			// The adjusted weight of 176 kg: 70.4646 + 0.4 × (176 −
			// 70.4646) = 112.6788 kg, 56.3394 mg; of 79.8323 kg: 70.4646 +
			// 0.4 × 9.3677 = 74.2117 kg, 37.1058 mg. 37.1 ÷ 56.34 = 0.66 is
			// no factor.
			name: "the patient's weight in pounds, on the adjusted weight", rule: adjusted, patient: entered176,
			order: dosing.Order{Dose: chkQ("37.1 mg")},
			want: chkOutcome{Agreement: chkMismatch, Consistency: chkNotChecked, Mismatched: []string{"dose"},
				Causes: chkCauses{"dose": {dosing.CausePoundsKilograms}}},
			first: dosing.CausePoundsKilograms,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res, err := dosing.Check(tc.order, tc.patient, tc.rule, dosing.CheckOptions{})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if diff := cmp.Diff(tc.want, chkOutcomeOf(res), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Check() mismatch (-want +got):\n%s", diff)
			}
			if len(res.LikelyCauses) == 0 || res.LikelyCauses[0].Kind != tc.first {
				t.Errorf("likely causes %v, want %s first", res.LikelyCauses, tc.first)
			}
		})
	}
}
