package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// clinicYAML is the clinic's protocol as a document: a syringe-pump infusion
// at 0.5 mg/kg over 40 min, made up to 1 mg/mL.
const clinicYAML = `
doseplan: 1
name: Riverside clinic IV ketamine (syringe pump)
version: "3"
drug: ketamine (racemic)
route: intravenous
source: clinic pharmacy and therapeutics committee, after Zarate 2006 and Murrough 2013
dose:
  per_kg: 0.5 mg/kg
  weight: {basis: lesser_of_actual_and_ideal, ibw_formula: robinson, short_stature: extrapolate}
  cap: 80 mg
  limits:
    dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}
preparation:
  stock: 50 mg/mL
  draw_step: 0.01 mL
  draw_rounding: half_even
  syringe: {concentration: 1 mg/mL}
infusion:
  duration: 40 min
  pump: {rate_step: 0.1 mL/h, rate_rounding: half_even, max_rate: 200 mL/h}
series:
  phases: [{name: induction, sessions: 6, weekdays: [tue, thu]}]
  min_interval: 44 h
policy: {weight: baseline, on_dose_change: keep_duration}
session: {observation: 45 min, driver_required: true}
`

// clinicGo is the same protocol written in Go.
func clinicGo() (*schedule.Protocol, error) {
	q := func(s string) units.Quantity { return units.MustParse(s) } // literals only
	p := &schedule.Protocol{
		Format: schedule.FormatVersion,
		// The document's top-level name, drug, preparation and infusion and
		// its dose section are one dosing.Rule; the dose's unit says its kind.
		Dosing: dosing.Rule{
			Name: "Riverside clinic IV ketamine (syringe pump)", Version: "3",
			Drug: "ketamine (racemic)", Route: "intravenous",
			Source: "clinic pharmacy and therapeutics committee, after Zarate 2006 and Murrough 2013",
			Dose:   q("0.5 mg/kg"),
			Weight: dosing.WeightPolicy{Basis: dosing.LesserActualIdeal, IBWFormula: dosing.Robinson, ShortStature: dosing.Extrapolate},
			Cap:    q("80 mg"),
			Limits: dosing.Limits{DosePerKg: dosing.Bound{SoftMax: q("0.75 mg/kg"), HardMax: q("1 mg/kg")}},
			Preparation: &dosing.Preparation{Stock: q("50 mg/mL"), DrawStep: q("0.01 mL"), DrawRounding: units.RoundHalfEven,
				Syringe: &dosing.Syringe{Concentration: q("1 mg/mL")}},
			Infusion: &dosing.Infusion{Duration: q("40 min"),
				Pump: dosing.Pump{RateStep: q("0.1 mL/h"), RateRounding: units.RoundHalfEven, MaxRate: q("200 mL/h")}},
		},
		Series: schedule.Series{
			Phases:      []schedule.Phase{{Name: "induction", Sessions: 6, Weekdays: []schedule.Weekday{schedule.Tuesday, schedule.Thursday}}},
			MinInterval: q("44 h"),
		},
		Policy:  schedule.SeriesPolicy{Weight: schedule.BaselineWeight, OnDoseChange: schedule.KeepDuration},
		Session: schedule.SessionSpec{Observation: q("45 min"), DriverRequired: true},
	}
	return p, p.Validate()
}

// broken has four mistakes: a per-kg dose written in mg, "cc", an unknown
// field, and a concentration limit in mcg/mL against a stock in mg/mL that
// every preparation would break.
const broken = `
doseplan: 1
name: draft
version: "0"
drug: ketamine
route: intravenous
source: draft
dose:
  per_kg: 0.5 mg
  weight: {basis: actual}
  limits: {concentration: {hard_max: 1 mcg/mL}}
preparation: {stock: 10 mg/mL, draw_step: 0.1 cc, draw_rounding: half_up, bag: {volume: 100 mL, method: add}}
infusion: {duration: 40 min, pump: {rate_step: 0.1 mL/h, rate_rounding: half_up, max_rate: 999 mL/h}}
series: {phases: [{name: induction, sessions: 6, weekdays: [mon, wed, fri]}], min_interval: 44 h}
policy: {weight: baseline, on_dose_change: keep_duration}
session: {observation: 30 min, driver_required: true, drive_home: false}
`

func run(w io.Writer, _ []string) error {
	fromYAML, err := schedule.LoadProtocol([]byte(clinicYAML))
	if err != nil {
		return err
	}
	fromGo, err := clinicGo()
	if err != nil {
		return err
	}
	weight, err := units.Parse("95 kg")
	if err != nil {
		return err
	}
	height, err := units.Parse("5 ft")
	if err != nil {
		return err
	}
	patient := dosing.Patient{Weight: weight, Height: height, Sex: dosing.Female}
	a, err := fromYAML.Calculate(patient, dosing.Options{})
	if err != nil {
		return err
	}
	b, err := fromGo.Calculate(patient, dosing.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "From YAML: %s, draw %s of %s, syringe %s, pump %s\n", a.Dose, a.Preparation.Draw, a.Preparation.Stock, a.Preparation.FinalVolume, a.Infusion.PumpRate)
	fmt.Fprintf(w, "From Go:   %s, draw %s of %s, syringe %s, pump %s\n", b.Dose, b.Preparation.Draw, b.Preparation.Stock, b.Preparation.FinalVolume, b.Infusion.PumpRate)
	fmt.Fprintf(w, "Same dose: %t; dosing weight %s (%s)\n", a.Dose.Equal(b.Dose), a.Weight.Value, a.Weight.Reason)
	fmt.Fprintf(w, "YAML provenance: %s version %s, SHA-256 %s…\n\n", a.Provenance.Name, a.Provenance.Version, a.Provenance.SHA256[:16])

	fmt.Fprintln(w, "A draft with mistakes is refused, every problem at once:")
	_, err = schedule.LoadProtocol([]byte(broken))
	var fe *schedule.FieldError
	for _, e := range unjoin(err) {
		if errors.As(e, &fe) {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	fmt.Fprintf(w, "\n%s\n", dosing.Notice)
	return nil
}

// unjoin lists the errors inside a joined error.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
