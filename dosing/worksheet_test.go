package dosing_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// The golden files are rewritten with `go test ./dosing -update`. Each was
// read line by line and recomputed by hand before it was accepted; review
// any change to one the same way.
func init() {
	// The flag may already be defined by another test file of this package.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it, then review it by hand)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

type goldenCase struct {
	name    string
	rule    dosing.Rule
	patient dosing.Patient
	opt     dosing.Options
}

// goldenCases are the worksheets kept as golden files.
func goldenCases() []goldenCase {
	obese := standardPatient()
	obese.Weight = mq("120 kg")

	capped := standardIV()
	capped.Weight = dosing.WeightPolicy{Basis: dosing.Actual}

	loading := standardIV()
	loading.Name, loading.Source = "IV ketamine with a loading dose", "rule feature test"
	loading.Preparation.Bag = nil
	loading.Preparation.Syringe = &dosing.Syringe{Volume: mq("40 mL")}
	loading.Infusion.Loading = &dosing.Loading{Dose: mq("0.1 mg/kg"), Duration: mq("5 min")}

	stretched := standardIV()
	stretched.Infusion.Duration = mq("5 min")
	stretched.Infusion.Pump.StretchToMaxRate = true

	review := standardIV()
	review.Preparation.DrawStep = mq("0.01 mL")

	clamped := standardIV()
	clamped.Weight.ShortStature = dosing.ClampAt60In

	perM2 := dosing.Rule{Name: "a dose per m²", Version: "1", Dose: mq("100 mg/m²"), BSAFormula: dosing.Mosteller,
		Weight: dosing.WeightPolicy{Basis: dosing.Actual}, DoseRounding: &dosing.Rounding{Step: mq("10 mg"), Mode: units.RoundDown}}

	return []goldenCase{
		{name: "iv_standard", rule: standardIV(), patient: standardPatient()},
		{name: "iv_obese", rule: standardIV(), patient: obese},
		{name: "iv_capped", rule: capped, patient: dosing.Patient{Weight: mq("140 kg"), Height: mq("190 cm"), Sex: dosing.Male},
			opt: dosing.Options{Dose: mq("0.75 mg/kg")}},
		{name: "syringe_loading", rule: loading, patient: standardPatient()},
		{name: "esketamine_devices", rule: esketamineRule(), patient: dosing.Patient{Weight: mq("70 kg"), AgeYears: 45},
			opt: dosing.Options{Dose: mq("84 mg")}},
		{name: "iv_stretched", rule: stretched, patient: standardPatient()},
		{name: "iv_review", rule: review, patient: dosing.Patient{Weight: mq("200 kg"), Height: mq("170 cm"), Sex: dosing.Male},
			opt: dosing.Options{Dose: mq("0.8 mg/kg"), Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "planned titration step", By: "Dr A. Example"}}}},
		{name: "iv_child_above_actual", rule: clamped, patient: dosing.Patient{Weight: mq("45 kg"), Height: mq("120 cm"), Sex: dosing.Male, AgeYears: 11}},
		{name: "per_m2", rule: perM2, patient: standardPatient()},
		{name: "heparin_units", rule: heparinInfusion(), patient: dosing.Patient{Weight: mq("189 lb")}, opt: dosing.Options{Dose: mq("12 units/kg/h")}},
		{name: "per_day_divided", rule: amoxicillinPerDay(), patient: dosing.Patient{Weight: mq("22 lb"), AgeYears: 1}},
	}
}

// TestWorksheetGolden renders the worksheets of goldenCases.
//
// iv_standard, checked by hand: BMI 80 ÷ 1.75² = 26.1224 < 30, so actual
// weight; 0.5 × 80 = 40 mg; 40 ÷ 10 = 4 mL; 100 + 4 = 104 mL; 40 ÷ 104 =
// 0.3846 mg/mL; 104 × 60 ÷ 40 = 156 mL/h; 104 ÷ 156 h = 40 min; 156 × 40 ÷
// 104 = 60 mg/h = 0.75 mg/kg/h = 12.5 mcg/kg/min; no warning (0.5 mg/kg is
// below the 0.75 soft maximum).
//
// iv_obese: BMI 39.1837 ≥ 30, so ideal weight 70.4646 kg (WC2); 35.2323 mg
// = 3.52323 mL → 3.5 mL = 35 mg (−0.2323 mg, −0.6593 %); 103.5 mL × 1.5 =
// 155.25 mL/h → 155.3 mL/h; 155.3 × 35 ÷ 103.5 = 52.5169 mg/h.
//
// iv_capped: 0.75 × 140 = 105 mg → cap 100 mg (WC10); 10 mL; 110 mL × 1.5
// = 165 mL/h; 165 × 100 ÷ 110 = 150 mg/h; 100 ÷ 140 = 0.7143 mg/kg.
//
// syringe_loading: 8 mg = 8 mL over 5 min = 96 mL/h, then 32 mL over 40 min
// = 48 mL/h = 48 mg/h = 0.6 mg/kg/h = 10 mcg/kg/min.
//
// esketamine_devices: 84 ÷ 28 = 3 devices at 0, 5 and 10 min; 84 ÷ 70 =
// 1.2 mg/kg.
//
// iv_stretched: 104 mL in 5 min would be 1248 mL/h; 104 ÷ 999 × 60 =
// 6.2462 min → 7 min; 104 × 60 ÷ 7 = 891.4286 → 891.4 mL/h.
//
// iv_review: BMI 200 ÷ 1.7² = 69.2042 > 60, and 200 lb = 90.7185 kg would be
// BMI 31.3905, so the weight may be pounds; ideal weight (BMI ≥ 30) 50 +
// 2.3 × (66.9291 − 60) = 65.9370 kg; 0.8 × 65.9370 = 52.7496 mg = 5.27496 mL
// → 5.27 mL = 52.7 mg; 0.8 mg/kg is above the 0.75 soft maximum and is
// acknowledged, the two patient warnings are not.
//
// iv_child_above_actual (the 11-year-old): BMI 45 ÷ 1.2² = 31.25 ≥
// 30, so ideal weight; 120 cm = 47.2441 in, clamped at 60 in: IBW 50 kg,
// above the actual 45 kg by 11.1111 %; 0.5 × 50 = 25 mg = 2.5 mL; 102.5 mL
// × 1.5 = 153.75 → 153.8 mL/h; 25 ÷ 45 = 0.5556 mg/kg of the actual
// weight; the review warning dosing_weight.above_actual quotes 50 kg and
// 45 kg.
//
// per_m2: BSA (Mosteller) √(175 × 80 ÷ 3600) = 1.972027 m²; 100 mg/m² ×
// 1.972027 = 197.2027 mg, down to 10 mg: 190 mg = 96.3476 mg/m² of that
// BSA and 190 ÷ 80 = 2.375 mg/kg of the actual weight; nothing per kg, so
// no dosing weight.
//
// heparin_units (testdata/activity.cases hep02, registerednursern.com
// problem 1): 189 lb = 85.72895793 kg; 12 units/kg/h × 85.72895793 =
// 1,028.7475 units/h, over 1 h the same in units; 10.2875 mL of 100 units/mL
// → 10.3 mL = 1,030 units (+0.1218 %); 10.3 mL/h (the published answer);
// 1,030 units/h = 12.0146 units/kg/h; no per-minute rate in units; below
// the soft maximum 1,800 units/h.
//
// per_day_divided (testdata/per_day.cases pd01, Davis's Drug Guide example
// 1): 22 lb = 9.97903214 kg; 40 mg/kg/day × 9.97903214 = 399.1613 mg/day;
// ÷ 2 = 199.5806 mg; ÷ 80 mg/mL = 2.4948 mL → 2.5 mL = 200 mg (+0.2101 %);
// 2 × 200 = 400 mg/day (+0.8387 mg/day) = 40.084 mg/kg/day. The child's own
// plausibility (3 kg to 150 kg) replaces the adult defaults.
func TestWorksheetGolden(t *testing.T) {
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			res, err := dosing.Calculate(c.rule, c.patient, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := res.WriteWorksheet(&b); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "worksheet_"+c.name+".golden", b.Bytes())
			ws := b.String()
			if !strings.HasSuffix(ws, "\n"+dosing.Notice+"\n") {
				t.Errorf("the worksheet does not end with the notice %q", dosing.Notice)
			}
			for _, bad := range []string{".0 ", " .", "µg", "mcg.", " cc", " U ", " IU"} {
				if strings.Contains(ws, bad) {
					t.Errorf("the worksheet contains %q, which ISMP display forbids", bad)
				}
			}
		})
	}
}

// TestResultJSONGolden keeps the JSON of the standard IV result.
func TestResultJSONGolden(t *testing.T) {
	res, err := dosing.Calculate(standardIV(), standardPatient(), dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "result_iv_standard.json", append(b, '\n'))
}

// TestResultJSONQuantitiesCarryUnits: in the JSON of every golden result,
// each quantity field is a string with a number and a unit that reads back
// exactly, and no bare JSON number appears anywhere.
func TestResultJSONQuantitiesCarryUnits(t *testing.T) {
	qKeys, otherKeys := map[string]bool{}, map[string]bool{}
	jsonKeys(reflect.TypeFor[dosing.Result](), qKeys, otherKeys, map[reflect.Type]bool{})
	for k := range qKeys {
		if otherKeys[k] {
			t.Fatalf("JSON key %q is a quantity in one place and not in another: this test cannot tell them apart", k)
		}
	}
	for _, c := range goldenCases() {
		t.Run(c.name, func(t *testing.T) {
			res, err := dosing.Calculate(c.rule, c.patient, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			d := json.NewDecoder(bytes.NewReader(b))
			d.UseNumber()
			var doc any
			if err := d.Decode(&doc); err != nil {
				t.Fatal(err)
			}
			n := checkJSONQuantities(t, "", doc, qKeys)
			if n < 20 {
				t.Errorf("only %d quantities checked", n)
			}
			var back dosing.Result
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("the JSON does not read back: %v", err)
			}
			if diff := cmp.Diff(res, back); diff != "" {
				t.Errorf("the JSON does not read back to the same result (-want +got):\n%s", diff)
			}
		})
	}
}

var quantityType = reflect.TypeFor[units.Quantity]()

// jsonKeys collects the JSON keys of t's fields that hold quantities (or
// lists of them) and those that hold anything else.
func jsonKeys(t reflect.Type, q, other map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == quantityType || seen[t] {
		return
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft == quantityType {
			q[name] = true
			continue
		}
		other[name] = true
		jsonKeys(f.Type, q, other, seen)
	}
}

// checkJSONQuantities walks the document and returns how many quantities it
// checked.
func checkJSONQuantities(t *testing.T, path string, v any, qKeys map[string]bool) int {
	t.Helper()
	n := 0
	switch x := v.(type) {
	case json.Number:
		t.Errorf("%s: bare JSON number %s", path, x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			child := x[k]
			if !qKeys[k] {
				n += checkJSONQuantities(t, path+"."+k, child, qKeys)
				continue
			}
			items := []any{child}
			if list, ok := child.([]any); ok {
				items = list
			}
			for _, it := range items {
				s, ok := it.(string)
				if !ok {
					t.Errorf("%s.%s: %v is not a string", path, k, it)
					continue
				}
				var q units.Quantity
				if err := q.UnmarshalText([]byte(s)); err != nil || !q.IsValid() {
					t.Errorf("%s.%s: %q is not a quantity with a unit: %v", path, k, s, err)
					continue
				}
				if q.Text() != s {
					t.Errorf("%s.%s: %q reads back as %q", path, k, s, q.Text())
				}
				n++
			}
		}
	case []any:
		for i, e := range x {
			n += checkJSONQuantities(t, path+"["+string(rune('0'+i%10))+"]", e, qKeys)
		}
	}
	return n
}
