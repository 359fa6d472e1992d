package dosing_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// chkExampleIVRule is the 40-minute IV infusion of the clinical brief (WC5):
// 0.5 mg/kg, 10 mg/mL stock (50 mg/mL also stocked), a 100 mL bag, a pump
// with 0.1 mL/h steps.
func chkExampleIVRule() dosing.Rule {
	q := units.MustParse
	return dosing.Rule{
		Name: "IV ketamine 0.5 mg/kg over 40 min", Version: "3",
		Dose: q("0.5 mg/kg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Preparation: &dosing.Preparation{Stock: q("10 mg/mL"), DrawStep: q("0.1 mL"), DrawRounding: units.RoundHalfUp,
			Bag: &dosing.Bag{Volume: q("100 mL"), Method: dosing.AddToBag}, Stocks: []units.Quantity{q("50 mg/mL")}},
		Infusion: &dosing.Infusion{Duration: q("40 min"),
			Pump: dosing.Pump{RateStep: q("0.1 mL/h"), RateRounding: units.RoundHalfUp, MaxRate: q("999 mL/h")}},
	}
}

// An order with the dose and the draw ten times too large, and the pump
// rate keyed with the decimal point in the wrong place. The dose and the
// draw agree with each other, so only the independent calculation finds
// them.
func ExampleCheck() {
	q := units.MustParse
	order := dosing.Order{Dose: q("400 mg"), Stock: q("10 mg/mL"), DrawVolume: q("40 mL"), PumpRate: q("15.6 mL/h")}
	res, err := dosing.Check(order, dosing.Patient{Weight: q("80 kg")}, chkExampleIVRule(), dosing.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Summary)
	for _, f := range res.Fields {
		fmt.Printf("%-12s %-10s expected %-9s %s\n", f.Field, f.Ordered, f.Expected, f.Verdict)
		for _, c := range f.Causes {
			fmt.Printf("  %s: %s\n", c.Kind, c.Evidence)
		}
	}
	// Output:
	// MISMATCH: 3 of 4 values disagree with the protocol (dose, draw_volume, pump_rate); the order is consistent with itself (1 relation): a consistent but wrong order. Likely cause: tenfold (dose, draw_volume, pump_rate).
	// dose         400 mg     expected 40 mg     mismatch
	//   tenfold: 400 mg = the expected 40 mg × 10: a tenfold error (a slipped decimal point, or a zero added or dropped)
	// stock        10 mg/mL   expected 10 mg/mL  match
	// draw_volume  40 mL      expected 4 mL      mismatch
	//   tenfold: 40 mL = the expected 4 mL × 10: a tenfold error (a slipped decimal point, or a zero added or dropped)
	// pump_rate    15.6 mL/h  expected 156 mL/h  mismatch
	//   tenfold: 15.6 mL/h = the expected 156 mL/h ÷ 10: a tenfold error (a slipped decimal point, or a zero added or dropped)
	//   pump_rate_decimal_slip: 15.6 mL/h programmed for 156 mL/h: the same digits with the decimal point moved
}

// A protocol can tighten a tolerance: the bag written by its nominal 100 mL
// (104 mL with the drug) passes the default 5 % but not 2 %.
func ExampleCheck_tolerances() {
	q := units.MustParse
	order := dosing.Order{FinalVolume: q("100 mL")}
	for _, tol := range []dosing.Tolerances{{}, {FinalVolume: q("2 %")}} {
		res, err := dosing.Check(order, dosing.Patient{Weight: q("80 kg")}, chkExampleIVRule(), dosing.CheckOptions{Tolerances: tol})
		if err != nil {
			fmt.Println(err)
			return
		}
		f := res.Fields[0]
		fmt.Printf("±%s: %s vs %s is %s: %s\n", f.Tolerance, f.Ordered, f.Expected, chkShowPct(f.DeviationPct), f.Verdict)
	}
	// Output:
	// ±5 %: 100 mL vs 104 mL is −3.85 %: match
	// ±2 %: 100 mL vs 104 mL is −3.85 %: mismatch
}

func chkShowPct(q units.Quantity) string {
	r, _, _ := q.RoundTo(units.MustParse("0.01 %"), units.RoundHalfUp)
	if r.Sign() < 0 {
		return "−" + r.Abs().String()
	}
	return "+" + r.String()
}

// Matches needs both verdicts: agreement with the protocol and the order's
// consistency with itself.
func ExampleCheckResult_Matches() {
	q := units.MustParse
	// 41.9 mg (+4.75 %) and 3.81 mL (−4.75 %) are each within 5 % of the
	// protocol, but 3.81 mL of 10 mg/mL is 38.1 mg, not 41.9 mg.
	order := dosing.Order{Dose: q("41.9 mg"), DrawVolume: q("3.81 mL"), Stock: q("10 mg/mL")}
	res, err := dosing.Check(order, dosing.Patient{Weight: q("80 kg")}, chkExampleIVRule(), dosing.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("agreement:", res.Agreement)
	fmt.Println("consistency:", res.Consistency)
	fmt.Println("matches:", res.Matches())
	// Output:
	// agreement: match
	// consistency: mismatch
	// matches: false
}

// The worksheet of a check: a fixed-dose nasal order with one device too
// many.
func ExampleCheckResult_WriteWorksheet() {
	q := units.MustParse
	rule := dosing.Rule{Name: "esketamine 56 mg", Version: "2", Drug: "esketamine", Route: "intranasal",
		Dose: q("56 mg"), Weight: dosing.WeightPolicy{Basis: dosing.Actual},
		Form: &dosing.Form{Strength: q("28 mg/device"), Step: q("1 device"), Rounding: units.RoundDown}}
	order := dosing.Order{Dose: q("84 mg"), Count: q("3 devices")}
	res, err := dosing.Check(order, dosing.Patient{Weight: q("70 kg")}, rule, dosing.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := res.WriteWorksheet(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ORDER CHECK WORKSHEET
	// Rule:      esketamine 56 mg (version 2)
	// Drug:      esketamine intranasal
	// Patient:   70 kg
	//
	// VERDICT
	// MISMATCH: 2 of 2 values disagree with the protocol (dose, count); no relation of the order could be checked.
	//
	// WHAT THE ORDER GIVES AS WRITTEN (per kg of the actual weight, 70 kg)
	//   value  gives      per kg     limits        from
	//   dose   84 mg      1.2 mg/kg  no limit set  as stated; number of dose forms 3 devices × strength 28 mg/device
	//   count  3 devices             no limit set  as stated
	//
	// THE ORDER AGAINST THE PROTOCOL
	//   value  ordered    expected   deviation          tolerance  verdict   trail
	//   dose   84 mg      56 mg      +28 mg (+50 %)     ±5 %       MISMATCH  step 4
	//   count  3 devices  2 devices  +1 device (+50 %)  ±0 %       MISMATCH  step 3
	//
	// THE ORDER AGAINST ITSELF
	//   none: no relation of the order has all its values
	//
	// PROTOCOL WARNINGS
	// none
	//
	// INDEPENDENT CALCULATION
	// Dosing weight: 70 kg: not used: nothing in the rule is per kg (dose, caps, bands, limits); per-kg values are of the actual weight
	//  1. Dosing weight [dosing_weight]
	//     no dosing weight: per-kg values are of the actual weight
	//     with policy actual, actual weight 70 kg
	//     = 70 kg
	//     note: not used: nothing in the rule is per kg (dose, caps, bands, limits); per-kg values are of the actual weight
	//  2. Dose [dose]
	//     dose = fixed dose
	//     with dose 56 mg
	//     = 56 mg
	//  3. Number of devices [form_count]
	//     count = dose ÷ strength, rounded down to 1 device
	//     with dose 56 mg, strength 28 mg/device
	//     = 2 devices
	//  4. Dose as given [form_dose]
	//     dose = count × strength
	//     with count 2 devices, strength 28 mg/device
	//     = 56 mg
	//
	// For clinician verification — not a prescription
}

// The default tolerances: 5 % for a calculated value, 0 % for what is read
// off a product (the stock, the drop factor, the number of dose forms).
func ExampleOrderField_DefaultTolerance() {
	for _, f := range dosing.OrderFields() {
		fmt.Println(f.Name(), f.DefaultTolerance())
	}
	// Output:
	// dose 5 %
	// dose_per_kg 5 %
	// dose_per_day 5 %
	// dose_per_kg_per_day 5 %
	// weight 5 %
	// stock 0 %
	// draw_volume 5 %
	// final_volume 5 %
	// final_concentration 5 %
	// pump_rate 5 %
	// duration 5 %
	// dose_rate 5 %
	// dose_rate_per_kg 5 %
	// drip_rate 5 %
	// drop_factor 0 %
	// count 0 %
}

// An order that cannot be checked is refused with every bad field: a pump
// rate written in mg/h, a drop factor without the drip rate it is checked
// through.
func ExampleCheck_invalidOrder() {
	q := units.MustParse
	order := dosing.Order{PumpRate: q("156 mg/h"), DropFactor: q("20 gtt/mL")}
	_, err := dosing.Check(order, dosing.Patient{Weight: q("80 kg")}, chkExampleIVRule(), dosing.CheckOptions{})
	fmt.Println(err)
	// Output:
	// dosing: order.pump_rate "156 mg/h": must be a pump rate (mL/h or mL/min), not drug mass / time
	// dosing: order.drip_rate: required with order.drop_factor "20 gtt/mL": a drop factor is checked through the drip rate it gives
}

// Worked case WC13: the systemic equivalent of 35 mg IV given sublingually
// at a bioavailability of 30 %, and a 300 mg sublingual troche at 25 %
// back to its intravenous equivalent. Every fraction comes from the caller
// with its citation.
func ExampleConvertRoute() {
	q := units.MustParse
	iv := dosing.Bioavailability{Route: dosing.RouteIntravenous}
	sl := dosing.Bioavailability{Route: dosing.RouteSublingual, Fraction: q("30 %"), Citation: "Yanagihara 2003"}
	e, err := dosing.ConvertRoute(q("35 mg"), iv, sl)
	if err != nil {
		fmt.Println(err)
		return
	}
	rounded, _, _ := e.Estimate.RoundTo(q("0.01 mg"), units.RoundHalfUp)
	fmt.Println(e.Label)
	fmt.Printf("%s intravenous → %s sublingual (%s)\n", e.Dose, rounded, e.To.Citation)

	sl.Fraction = q("25 %")
	back, err := dosing.ConvertRoute(q("300 mg"), sl, iv)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s sublingual → %s systemic\n", back.Dose, back.Estimate)
	fmt.Println(back.Caveats[0])
	// Output:
	// ESTIMATE by bioavailability — not dose equivalence for effect; illustrative, for clinician review
	// 35 mg intravenous → 116.67 mg sublingual (Yanagihara 2003)
	// 300 mg sublingual → 75 mg systemic
	// Bioavailability is not dose equivalence: the same systemic amount by another route does not give the same effect, onset, duration or side effects.
}

func ExampleRouteEstimate_WriteWorksheet() {
	q := units.MustParse
	e, err := dosing.ConvertRoute(q("35 mg"),
		dosing.Bioavailability{Route: dosing.RouteIntravenous},
		dosing.Bioavailability{Route: dosing.RouteIntramuscular, Fraction: q("93 %"), Citation: "Clements 1982, as cited"})
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := e.WriteWorksheet(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// ROUTE CONVERSION — ESTIMATE by bioavailability — not dose equivalence for effect; illustrative, for clinician review
	// From:     35 mg intravenous (F 100 %; intravenous bioavailability is 100 % by definition)
	// To:       intramuscular (F 93 %; Clements 1982, as cited)
	//
	// CALCULATION
	//  1. Systemic amount by the intravenous route [systemic_amount]
	//     systemic amount = dose × F(intravenous)
	//     (intravenous bioavailability is 100 % by definition)
	//     with dose 35 mg, F 100 %
	//     = 35 mg
	//  2. Estimated intramuscular dose [route_estimate]
	//     estimate = systemic amount ÷ F(intramuscular)
	//     (Clements 1982, as cited)
	//     with systemic amount 35 mg, F 93 %
	//     ≈ 37.6344 mg
	//     note: an estimate of equal systemic exposure, not a dose equivalence
	//     flags: inexact
	//
	// ESTIMATE
	// 35 mg intravenous → ≈ 37.6344 mg intramuscular (systemic amount 35 mg)
	//
	// CAVEATS
	// - Bioavailability is not dose equivalence: the same systemic amount by another route does not give the same effect, onset, duration or side effects.
	// - Active metabolites are not counted: after oral and sublingual doses, first-pass metabolism can make them far higher than after an intravenous dose.
	// - Bioavailability varies widely between people and between studies; the fraction used here is one figure from one source.
	//
	// For clinician verification — not a prescription
}

// What an order as written gives the patient: the dose is right, but 4 mL
// of the 50 mg/mL vial is 200 mg, 2.5 mg/kg for 80 kg, above the rule's
// hard maxima of 100 mg and 1 mg/kg. That is the verdict's first line.
func ExampleImpliedValue() {
	q := units.MustParse
	rule := chkExampleIVRule()
	rule.Limits = dosing.Limits{Dose: dosing.Bound{HardMax: q("100 mg")}, DosePerKg: dosing.Bound{HardMax: q("1 mg/kg")}}
	order := dosing.Order{Dose: q("40 mg"), Stock: q("50 mg/mL"), DrawVolume: q("4 mL")}
	res, err := dosing.Check(order, dosing.Patient{Weight: q("80 kg")}, rule, dosing.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range res.Implied {
		fmt.Println(v.Value, v.Gives, v.PerKg, v.From[0].Formula, len(v.Limits) > 0)
	}
	first, _, _ := strings.Cut(res.Summary, "\n")
	fmt.Println(first)
	fmt.Println(res.Limits, res.Matches())
	// Output:
	// dose 40 mg 0.5 mg/kg as stated false
	// dose 200 mg 2.5 mg/kg volume drawn × stock concentration true
	// dose_rate 60 mg/h 0.75 mg/kg/h dose ÷ the protocol's duration false
	// dose_rate 300 mg/h 3.75 mg/kg/h volume drawn × stock concentration ÷ the protocol's duration false
	// as written this order gives 200 mg (2.5 mg/kg), by volume drawn 4 mL × stock concentration 50 mg/mL: above the hard maximum 100 mg (limits.dose.hard_max); 2.5 mg/kg is above the hard maximum 1 mg/kg (limits.dose_per_kg.hard_max)
	// mismatch false
}
