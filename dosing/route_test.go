package dosing_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// rtIV() is the intravenous route, 100 % by definition, given without a
// fraction or citation.
func rtIV() dosing.Bioavailability { return dosing.Bioavailability{Route: dosing.RouteIntravenous} }

func rtRoute(r dosing.Route, pct, citation string) dosing.Bioavailability {
	return dosing.Bioavailability{Route: r, Fraction: chkQ(pct), Citation: citation}
}

// TestConvertRouteWC13 is worked case WC13 of the clinical brief: the
// systemic equivalent of 0.5 mg/kg IV at 70 kg is 35 mg; the nominal dose
// by another route is 35 ÷ F, shown to 2 decimal places (half up).
func TestConvertRouteWC13(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		to   dosing.Bioavailability
		want string // 35 ÷ F, by hand
	}{
		{"intramuscular 0.93", rtRoute(dosing.RouteIntramuscular, "93 %", "Clements 1982 (as cited)"), "37.63 mg"}, // 37.634408…
		{"intranasal 0.45", rtRoute(dosing.RouteIntranasal, "45 %", "Yanagihara 2003"), "77.78 mg"},                // 77.777…
		{"sublingual 0.30", rtRoute(dosing.RouteSublingual, "30 %", "Yanagihara 2003"), "116.67 mg"},               // 116.666…
		{"sublingual 0.25", rtRoute(dosing.RouteSublingual, "25 %", "Andrade 2019"), "140 mg"},                     // exact
		{"oral 0.20", rtRoute(dosing.RouteOral, "20 %", "Yanagihara 2003"), "175 mg"},                              // exact
		{"oral 0.17", rtRoute(dosing.RouteOral, "17 %", "Clements 1982 (as cited)"), "205.88 mg"},                  // 205.882352…
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := dosing.ConvertRoute(chkQ("35 mg"), rtIV(), tc.to)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := e.Estimate.RoundTo(chkQ("0.01 mg"), units.RoundHalfUp)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(chkQ(tc.want)) {
				t.Errorf("estimate %s rounds to %s, want %s", e.Estimate, got, tc.want)
			}
			if !e.Systemic.Equal(chkQ("35 mg")) {
				t.Errorf("systemic amount %s, want 35 mg (intravenous is 100 %%)", e.Systemic)
			}
			// The estimate given by the route delivers 35 mg systemically,
			// to the 30 places a non-terminating division keeps.
			back, err := e.Estimate.Mul(tc.to.Fraction)
			if err != nil {
				t.Fatal(err)
			}
			if d := back.Value().Sub(decimal.NewFromInt(35)).Abs(); d.GreaterThan(decimal.New(1, -27)) {
				t.Errorf("estimate × F = %s, want 35 mg", back)
			}
			rtCheckLabelled(t, e)
		})
	}
}

// TestConvertRouteWC13Reverse: a 300 mg sublingual troche at F 0.25–0.30
// is about 75–90 mg of systemic (intravenous-equivalent) ketamine.
func TestConvertRouteWC13Reverse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ f, want string }{{"25 %", "75 mg"}, {"30 %", "90 mg"}} { // 300 × 0.25, 300 × 0.30
		e, err := dosing.ConvertRoute(chkQ("300 mg"), rtRoute(dosing.RouteSublingual, tc.f, "Yanagihara 2003; Rolan 2014"), rtIV())
		if err != nil {
			t.Fatal(err)
		}
		if !e.Estimate.Equal(chkQ(tc.want)) || !e.Systemic.Equal(chkQ(tc.want)) {
			t.Errorf("300 mg sublingual at F %s: estimate %s, systemic %s, want %s", tc.f, e.Estimate, e.Systemic, tc.want)
		}
		rtCheckLabelled(t, e)
	}
}

// rtCheckLabelled checks what every estimate must say.
func rtCheckLabelled(t *testing.T, e dosing.RouteEstimate) {
	t.Helper()
	if e.Label != "ESTIMATE by bioavailability — not dose equivalence for effect; illustrative, for clinician review" {
		t.Errorf("Label = %q", e.Label)
	}
	if len(e.Caveats) == 0 || !strings.Contains(e.Caveats[0], "not dose equivalence") {
		t.Errorf("Caveats %q do not open with 'not dose equivalence'", e.Caveats)
	}
	if e.Notice != dosing.Notice {
		t.Errorf("Notice = %q", e.Notice)
	}
	for _, b := range []dosing.Bioavailability{e.From, e.To} {
		if b.Route == dosing.RouteIntravenous {
			continue
		}
		cited := false
		for _, s := range e.Steps {
			cited = cited || s.Citation == b.Citation
		}
		if !cited {
			t.Errorf("no step cites %q", b.Citation)
		}
	}
}

// TestConvertRouteOtherPairs covers conversions between two non-IV routes
// and per-kg doses, worked by hand.
func TestConvertRouteOtherPairs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		dose             string
		from, to         dosing.Bioavailability
		systemic, result string
	}{
		// Andrade 2019: 0.5 mg/kg IV ≈ 2.5 mg/kg oral at 20 %: 0.5 ÷ 0.2.
		{"per kg, IV to oral", "0.5 mg/kg", rtIV(), rtRoute(dosing.RouteOral, "20 %", "Andrade 2019"), "0.5 mg/kg", "2.5 mg/kg"},
		// 100 mg sublingual at 30 % = 30 mg systemic; ÷ 0.20 oral = 150 mg.
		{"sublingual to oral", "100 mg", rtRoute(dosing.RouteSublingual, "30 %", "A"), rtRoute(dosing.RouteOral, "20 %", "B"), "30 mg", "150 mg"},
		// 50 mg intramuscular at 93 % = 46.5 mg; ÷ 0.45 = 103.333… mg.
		{"intramuscular to intranasal", "50 mg", rtRoute(dosing.RouteIntramuscular, "93 %", "A"), rtRoute(dosing.RouteIntranasal, "45 %", "B"), "46.5 mg", "103.33 mg"},
		// 40,000 mcg = 40 mg IV; ÷ 0.25 = 160,000 mcg.
		{"dose in mcg keeps its unit", "40000 mcg", rtIV(), rtRoute(dosing.RouteSublingual, "25 %", "A"), "40000 mcg", "160000 mcg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := dosing.ConvertRoute(chkQ(tc.dose), tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			step := units.New(decimal.New(1, -2), chkQ(tc.result).Unit()) // 0.01 of the result's unit
			got, _, _ := e.Estimate.RoundTo(step, units.RoundHalfUp)
			if !e.Systemic.Equal(chkQ(tc.systemic)) || !got.Equal(chkQ(tc.result)) {
				t.Errorf("systemic %s, estimate %s (rounded %s); want %s, %s", e.Systemic, e.Estimate, got, tc.systemic, tc.result)
			}
		})
	}
}

// TestConvertRouteCaveats: the swallowed-fraction caveat appears exactly
// when a sublingual or intranasal route is involved, and a source's own
// caveats carry its citation.
func TestConvertRouteCaveats(t *testing.T) {
	t.Parallel()
	swallowed := func(e dosing.RouteEstimate) bool {
		for _, c := range e.Caveats {
			if strings.Contains(c, "swallowed") {
				return true
			}
		}
		return false
	}
	im, err := dosing.ConvertRoute(chkQ("35 mg"), rtIV(), rtRoute(dosing.RouteIntramuscular, "93 %", "Clements 1982"))
	if err != nil {
		t.Fatal(err)
	}
	sl := rtRoute(dosing.RouteSublingual, "29 %", "Rolan 2014")
	sl.Caveats = []string{"wafer formulation, n = 8"}
	slE, err := dosing.ConvertRoute(chkQ("35 mg"), rtIV(), sl)
	if err != nil {
		t.Fatal(err)
	}
	if swallowed(im) || !swallowed(slE) {
		t.Errorf("swallowed caveat: intramuscular %v, sublingual %v; want false, true", swallowed(im), swallowed(slE))
	}
	if last := slE.Caveats[len(slE.Caveats)-1]; last != "wafer formulation, n = 8 (sublingual: Rolan 2014)" {
		t.Errorf("source caveat = %q", last)
	}
}

// TestConvertRouteBadInput: every bad field at once, no panic.
func TestConvertRouteBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		dose     units.Quantity
		from, to dosing.Bioavailability
		fields   []string
		is       []error
	}{
		{"no dose", units.Quantity{}, rtIV(), rtRoute(dosing.RouteOral, "20 %", "A"), []string{"conversion.dose"}, []error{dosing.ErrMissing}},
		{"dose rate, not a dose", chkQ("35 mg/h"), rtIV(), rtRoute(dosing.RouteOral, "20 %", "A"), []string{"conversion.dose"}, []error{dosing.ErrDimension}},
		{"zero dose", chkQ("0 mg"), rtIV(), rtRoute(dosing.RouteOral, "20 %", "A"), []string{"conversion.dose"}, []error{dosing.ErrRange}},
		{"fraction 0 %", chkQ("35 mg"), rtIV(), rtRoute(dosing.RouteOral, "0 %", "A"), []string{"conversion.to.fraction"}, []error{dosing.ErrRange}},
		{"fraction above 100 %", chkQ("35 mg"), rtIV(), rtRoute(dosing.RouteOral, "100.1 %", "A"), []string{"conversion.to.fraction"}, []error{dosing.ErrRange}},
		{"negative fraction", chkQ("35 mg"), dosing.Bioavailability{Route: dosing.RouteOral, Fraction: chkNeg("20 %"), Citation: "A"}, rtIV(), []string{"conversion.from.fraction"}, []error{dosing.ErrRange}},
		{"fraction in mg", chkQ("35 mg"), rtIV(), dosing.Bioavailability{Route: dosing.RouteOral, Fraction: chkQ("20 mg"), Citation: "A"}, []string{"conversion.to.fraction"}, []error{dosing.ErrDimension}},
		{"no fraction", chkQ("35 mg"), rtIV(), dosing.Bioavailability{Route: dosing.RouteOral, Citation: "A"}, []string{"conversion.to.fraction"}, []error{dosing.ErrMissing}},
		{"no citation", chkQ("35 mg"), rtIV(), dosing.Bioavailability{Route: dosing.RouteOral, Fraction: chkQ("20 %")}, []string{"conversion.to.citation"}, []error{dosing.ErrMissing}},
		{"intravenous below 100 %", chkQ("35 mg"), dosing.Bioavailability{Route: dosing.RouteIntravenous, Fraction: chkQ("93 %")}, rtRoute(dosing.RouteOral, "20 %", "A"), []string{"conversion.from.fraction"}, []error{dosing.ErrRange}},
		{"no route", chkQ("35 mg"), dosing.Bioavailability{Fraction: chkQ("20 %"), Citation: "A"}, rtIV(), []string{"conversion.from.route"}, []error{dosing.ErrMissing}},
		{"abbreviated route", chkQ("35 mg"), rtIV(), rtRoute("SL", "30 %", "A"), []string{"conversion.to.route"}, []error{dosing.ErrRange}},
		{"same route", chkQ("35 mg"), rtRoute(dosing.RouteOral, "20 %", "A"), rtRoute(dosing.RouteOral, "17 %", "B"), []string{"conversion.to.route"}, []error{dosing.ErrConflict}},
		{"everything wrong at once", chkQ("35 mL"), dosing.Bioavailability{Route: "PO", Fraction: chkQ("2 mg")}, dosing.Bioavailability{},
			[]string{"conversion.dose", "conversion.from.route", "conversion.from.fraction", "conversion.from.citation", "conversion.to.route", "conversion.to.fraction", "conversion.to.citation"},
			[]error{dosing.ErrDimension, dosing.ErrRange, dosing.ErrMissing}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := dosing.ConvertRoute(tc.dose, tc.from, tc.to)
			if err == nil {
				t.Fatal("ConvertRoute() succeeded, want an error")
			}
			if diff := cmp.Diff(tc.fields, chkInputFields(err)); diff != "" {
				t.Errorf("error fields mismatch (-want +got):\n%s\n%v", diff, err)
			}
			for _, target := range tc.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v) = false: %v", target, err)
				}
			}
		})
	}
}

func TestConvertRouteErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := dosing.ConvertRoute(chkQ("35 mg"), rtIV(), rtRoute(dosing.RouteSublingual, "130 %", "A"))
	want := `dosing: conversion.to.fraction "130 %": out of range (> 0 % and ≤ 100 %, that is F in (0, 1])`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// TestConvertRouteRoundTrip: converting there and back gives the dose
// again, to the places a non-terminating division keeps.
func TestConvertRouteRoundTrip(t *testing.T) {
	t.Parallel()
	routes := []dosing.Route{dosing.RouteIntravenous, dosing.RouteIntramuscular, dosing.RouteIntranasal, dosing.RouteSublingual, dosing.RouteOral}
	bio := func(t *rapid.T, label string, from []dosing.Route) dosing.Bioavailability {
		r := rapid.SampledFrom(from).Draw(t, label+"_route")
		if r == dosing.RouteIntravenous {
			return rtIV()
		}
		pct := decimal.New(int64(rapid.IntRange(1, 1000).Draw(t, label+"_pct_x10")), -1)
		return dosing.Bioavailability{Route: r, Fraction: units.New(pct, units.Percent), Citation: "generated"}
	}
	rapid.Check(t, func(t *rapid.T) {
		dose := units.New(decimal.New(int64(rapid.IntRange(1, 100000).Draw(t, "dose_x100")), -2), units.Milligram)
		a := bio(t, "a", routes)
		b := bio(t, "b", slices.DeleteFunc(slices.Clone(routes), func(r dosing.Route) bool { return r == a.Route }))
		there, err := dosing.ConvertRoute(dose, a, b)
		if err != nil {
			t.Fatal(err)
		}
		back, err := dosing.ConvertRoute(there.Estimate, b, a)
		if err != nil {
			t.Fatal(err)
		}
		if d := back.Estimate.Value().Sub(dose.Value()).Abs(); d.GreaterThan(decimal.New(1, -24)) {
			t.Fatalf("%s → %s → %s, off by %s", dose, there.Estimate, back.Estimate, d)
		}
	})
}

func TestRouteEstimateWorksheet(t *testing.T) {
	t.Parallel()
	sl := rtRoute(dosing.RouteSublingual, "30 %", "Yanagihara Y et al. Biopharm Drug Dispos 2003;24:37")
	sl.Caveats = []string{"n = 3 to 11; high variability"}
	e, err := dosing.ConvertRoute(chkQ("35 mg"), rtIV(), sl)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := e.WriteWorksheet(&buf); err != nil {
		t.Fatal(err)
	}
	chkGolden(t, "check_route_estimate.golden", buf.Bytes())
}
