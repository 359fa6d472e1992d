package pk_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"
)

// A 70 kg patient, 0.5 mg/kg over 40 min: the prediction every example uses.
func ketamineSession() *pk.Prediction {
	m, err := pk.Lookup("domino")
	if err != nil {
		panic(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("70 kg"), AgeYears: 45},
		[]pk.Administration{pk.Infusion(units.MustParse("0.5 mg/kg"), units.MustParse("40 min"))})
	if err != nil {
		panic(err)
	}
	return p
}

func ExampleLookup() {
	m, err := pk.Lookup("clements250")
	if err != nil {
		fmt.Println(err)
		return
	}
	p := m.Parameters()
	fmt.Println(p.Name, "-", m.Compartments(), "compartments, V1", p.V1, "per", p.ReferenceWeight)

	_, err = pk.Lookup("propofol")
	fmt.Println(err)
	// Output:
	// Clements 250 - 2 compartments, V1 1.7522 L per 1 kg
	// pk: unknown model "propofol" (allowed: domino, clements250, hijazi)
}

func ExampleModels() {
	for _, m := range pk.Models() {
		p := m.Parameters()
		fmt.Printf("%-12s %-13s %d compartments, ke0 %v\n", p.ID, m, m.Compartments(), p.Ke0)
	}
	// Output:
	// domino       Domino        3 compartments, ke0 0.652 /min
	// clements250  Clements 250  2 compartments, ke0 5.2 /min
	// hijazi       Hijazi        2 compartments, ke0 4.773 /min
}

// A user-supplied model in Go: volumes and clearances, scaled allometrically.
func ExampleNew() {
	m, err := pk.New(pk.Parameters{
		Name:            "Clinic model",
		Drug:            "ketamine (racemic)",
		Citation:        "clinic pharmacokinetics review 2025 (internal)",
		Scaling:         pk.ScaleAllometric,
		ReferenceWeight: units.MustParse("70 kg"),
		Exponent:        decimal.RequireFromString("0.75"),
		V1:              units.MustParse("25.8 L"),
		V2:              units.MustParse("115 L"),
		CL:              units.MustParse("1780 mL/min"),
		Q2:              units.MustParse("2100 mL/min"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("120 kg")},
		[]pk.Administration{pk.Infusion(units.MustParse("60 mg"), units.MustParse("40 min"))})
	if err != nil {
		fmt.Println(err)
		return
	}
	end, _ := p.EndOfInfusion()
	k, _ := p.Kinetics()
	fmt.Println("V1", k.Volumes[0], "CL", k.Clearances[0])
	fmt.Println("Cp at", end.Time, "=", end.Cp, "("+p.Label+")")

	_, err = pk.New(pk.Parameters{Name: "typo", Drug: "x", Citation: "x", Scaling: pk.ScaleNone,
		V1: units.MustParse("0 L"), K10: units.MustParse("0.1 mL/min")})
	fmt.Println(err)
	// Output:
	// V1 44.229 L CL 2,666.8 mL/min
	// Cp at 40 min = 304.93 ng/mL (model estimate, not a measured level)
	// pk: v1 "0 L": value out of range (allowed: greater than 0 L and at most 100,000 L)
	// pk: k10 "0.1 mL/min": wrong kind of quantity (allowed: a rate constant in /min, /day)
}

// A model as a protocol file carries it, decoded from YAML.
func ExampleParameters_yaml() {
	const text = `
name: Herd 2007
drug: ketamine (racemic)
citation: Herd DW et al. PMID 17564643, as in opentiva
scaling: allometric
reference_weight: 70 kg
exponent: 0.75
v1: 38.7 L
v2: 102 L
cl: 90000 mL/h
q2: 215000 mL/h
validity: {min_weight: 10.8 kg, max_weight: 74.8 kg, min_age_years: 1, max_age_years: 14}
`
	var params pk.Parameters
	dec := yaml.NewDecoder(strings.NewReader(text))
	dec.KnownFields(true)
	if err := dec.Decode(&params); err != nil {
		fmt.Println(err)
		return
	}
	m, err := pk.New(params)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("80 kg"), AgeYears: 30},
		[]pk.Administration{pk.Bolus(units.MustParse("1 mg/kg"))})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range p.Warnings {
		fmt.Println(w.Key+":", w)
	}
	// Output:
	// weight_out_of_range: weight 80 kg is outside the Herd 2007 model's validity range (10.8 kg to 74.8 kg)
	// age_out_of_range: age 30 years is outside the Herd 2007 model's validity range (1 to 14 years)
}

func ExampleModel_Parameters() {
	m, _ := pk.Lookup("hijazi")
	p := m.Parameters()
	fmt.Println(p.Scaling, "scaling, V1", p.V1, "at", p.ReferenceWeight, "- k10", p.K10, "k12", p.K12, "k21", p.K21)
	fmt.Println("valid from", p.Validity.MinAgeYears, "years")
	// Output:
	// linear scaling, V1 1.08 L at 1 kg - k10 0.0333 /min k12 0.0088 /min k21 0.003 /min
	// valid from 18 years
}

func ExampleModel_Predict() {
	m, _ := pk.Lookup("hijazi")
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("176 lb")}, []pk.Administration{
		pk.Infusion(units.MustParse("0.5 mg/kg"), units.MustParse("40 min")),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.ModelName, "-", p.Citation)
	k, _ := p.Kinetics()
	fmt.Println("half-lives", k.HalfLives)
	fmt.Println(p.Warnings)
	// Output:
	// Hijazi - Hijazi Y et al. Br J Anaesth 2003;90:155. PMID 12538370, doi:10.1093/bja/aeg028, as in opentiva
	// half-lives [16.21 min 296.71 min]
	// [age not given: the Hijazi model's validity range (from 18 years) was not checked]
}

func ExampleInfusion() {
	// A calculated dose and its infusion duration, e.g. from a dosing result.
	dose, duration := units.MustParse("36.5 mg"), units.MustParse("40 min")
	a := pk.Infusion(dose, duration)
	fmt.Println(a.Start, a.Amount, a.Duration)
	// Output: 0 min 36.5 mg 40 min
}

func ExampleBolus() {
	m, _ := pk.Lookup("domino")
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("70 kg")}, []pk.Administration{
		pk.Bolus(units.MustParse("0.25 mg/kg")),
		{Start: units.MustParse("1 h"), Amount: units.MustParse("10 mg")}, // a second bolus an hour later
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, at := range []string{"1 min", "59 min", "60 min", "61 min"} {
		s, _ := p.At(units.MustParse(at))
		fmt.Println(s.Time, s.Cp)
	}
	// Output:
	// 1 min 888.71 ng/mL
	// 59 min 22.93 ng/mL
	// 60 min 2,290.36 ng/mL
	// 61 min 530.48 ng/mL
}

func ExamplePrediction_At() {
	p := ketamineSession()
	s, err := p.At(units.MustParse("45 min"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("at %v: Cp %v, Ce %v (%s)\n", s.Time, s.Cp, s.Ce, pk.Estimate)
	// Output: at 45 min: Cp 91.41 ng/mL, Ce 108.18 ng/mL (model estimate, not a measured level)
}

func ExamplePrediction_Curve() {
	p := ketamineSession()
	curve, err := p.Curve(units.MustParse("0 min"), units.MustParse("1 h"), units.MustParse("15 min"))
	if err != nil {
		fmt.Println(err)
		return
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "time\tCp\tCe\t")
	for _, s := range curve {
		fmt.Fprintf(w, "%v\t%v\t%v\t\n", s.Time, s.Cp, s.Ce)
	}
	w.Flush()
	// Output:
	// time            Cp            Ce
	//    0 min       0 ng/mL       0 ng/mL
	//   15 min  198.13 ng/mL  193.47 ng/mL
	//   30 min  226.47 ng/mL  224.12 ng/mL
	//   45 min   91.41 ng/mL  108.18 ng/mL
	//   60 min   55.11 ng/mL   56.68 ng/mL
}

func ExamplePrediction_Peak() {
	p := ketamineSession()
	for _, site := range []pk.Site{pk.Plasma, pk.EffectSite} {
		s, err := p.Peak(site)
		if err != nil {
			fmt.Println(err)
			return
		}
		c := s.Cp
		if site == pk.EffectSite {
			c = s.Ce
		}
		fmt.Printf("%s: Cmax %v at tmax %v\n", site, c, s.Time)
	}
	// Output:
	// plasma: Cmax 240.33 ng/mL at tmax 40 min
	// effect site: Cmax 238.3 ng/mL at tmax 40.01 min
}

func ExamplePrediction_EndOfInfusion() {
	s, err := ketamineSession().EndOfInfusion()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("end of infusion", s.Time, "Cp", s.Cp)
	// Output: end of infusion 40 min Cp 240.33 ng/mL
}

func ExamplePrediction_TimeBelow() {
	p := ketamineSession()
	for _, threshold := range []string{"100 ng/mL", "50 ng/mL", "500 ng/mL"} {
		t, reached, err := p.TimeBelow(pk.Plasma, units.MustParse(threshold))
		switch {
		case err != nil:
			fmt.Println(err)
		case !reached:
			fmt.Println("never reaches", threshold)
		default:
			fmt.Println("below", threshold, "from", t)
		}
	}
	// Output:
	// below 100 ng/mL from 43.7 min
	// below 50 ng/mL from 68.4 min
	// never reaches 500 ng/mL
}

// A plot with a threshold line; the title carries the model, the weight and
// the dose, the foot the verification notice.
func ExamplePrediction_Plot() {
	var svg bytes.Buffer
	err := ketamineSession().Plot(&svg, pk.PlotOptions{Format: pk.SVG, To: units.MustParse("4 h"), Threshold: units.MustParse("100 ng/mL")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, want := range []string{"Domino model", "0.5 mg/kg (35 mg) over 40 min from 0 min", "model estimate, not a measured level",
		"time (min)", "concentration (ng/mL)", "threshold 100 ng/mL", "For clinician verification — not a prescription"} {
		fmt.Printf("%q in the SVG: %t\n", want, strings.Contains(svg.String(), want))
	}
	// Output:
	// "Domino model" in the SVG: true
	// "0.5 mg/kg (35 mg) over 40 min from 0 min" in the SVG: true
	// "model estimate, not a measured level" in the SVG: true
	// "time (min)" in the SVG: true
	// "concentration (ng/mL)" in the SVG: true
	// "threshold 100 ng/mL" in the SVG: true
	// "For clinician verification — not a prescription" in the SVG: true
}

func ExampleFieldError() {
	m, _ := pk.Lookup("domino")
	_, err := m.Predict(dosing.Patient{Weight: units.MustParse("70 kg")}, []pk.Administration{
		pk.Infusion(units.MustParse("4 mL"), units.MustParse("40 min")),
	})
	var ie *pk.FieldError
	if errors.As(err, &ie) {
		fmt.Println("field:", ie.Field)
		fmt.Println("value:", ie.Value)
		fmt.Println("msg:", ie.Msg)
		fmt.Println(errors.Is(err, pk.ErrDimension))
	}
	// Output:
	// field: administrations[0].amount
	// value: 4 mL
	// msg: wrong kind of quantity (allowed: a drug mass (mg, mcg, g) or a dose per kg (mg/kg, mcg/kg))
	// true
}

func ExampleScaling_UnmarshalText() {
	var s pk.Scaling
	fmt.Println(s.UnmarshalText([]byte("allometric")), s)
	fmt.Println(s.UnmarshalText([]byte("per-kg")))
	// Output:
	// <nil> allometric
	// pk: scaling "per-kg": value out of range (allowed: none, linear or allometric)
}
