package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func bodyCommand() command {
	return command{
		name:     "body",
		summary:  "body size: BMI, BSA, ideal, adjusted and lean body weight",
		synopsis: "doseplan body --height H [--weight W] [--sex male|female] [--bsa-formula F] [--ibw-formula F] [--lean-formula F] [--abw-factor X] [--json]",
		about: `Computes a patient's body size: body mass index, body surface area
(Mosteller, DuBois, Haycock, Boyd), ideal body weight (Devine, Robinson,
Miller), adjusted body weight (with the factor you give) and lean body weight
(Janmahasatian, James, Boer), each with its formula, citation and known
limitation. Without --bsa-formula, --ibw-formula or --lean-formula every
formula is shown side by side; the ideal and lean weights need --sex. Without
--weight only the ideal body weight is computed, from height and sex.

Below 60 in (152.4 cm) the ideal-weight formulas were not derived: give
--short-stature clamp (use 60 in) or extrapolate. The James lean body mass
turns down in obesity (above BMI 42.97 kg/m² for men, 36.15 for women a
heavier patient gets less): past that point it is shown with a warning, and
from twice it, where it is no longer positive, it is not shown.

The patient is checked for plausibility (weight 30–250 kg, BMI 15–60 kg/m², a
weight that looks like pounds entered as kilograms): such warnings exit 4
unless acknowledged with --ack KEY=REASON. These bounds are adult ranges, and
body reads no protocol that could state a child's: for a patient known to be
under 18 (--age or --birth-date) they are not applied, the values are shown
with a note saying so, and body exits 0.`,
		examples: []string{
			"doseplan body --weight 80kg --height 175cm --sex male",
			"doseplan body --weight 264lb --height 5ft9in --sex female --ibw-formula devine --abw-factor 0.4",
			"doseplan body --height 5ft10in --sex male",
			"doseplan body --weight 140kg --height 175cm --sex male --lean-formula james",
		},
		exits: "0 done; 1 input error; 2 usage error; 4 plausibility warnings not acknowledged",
		steps: func() steps { return typed[bodyRequest, bodyDoc]{new(bodyCmd)} },
	}
}

// bodyCmd is "doseplan body": its flags, and its steps.
type bodyCmd struct {
	patient                       *patientFlags
	bsa, ibw, lean, factor, short *string
	acks                          *ackFlags
	asJSON                        *bool
}

// bodyRequest is a body command line, read.
type bodyRequest struct {
	Output
	Patient        dosing.Patient
	BSA, IBW, Lean []string        // the formulas to show: the one named, or all
	Factor         decimal.Decimal // --abw-factor; zero when not given
	Short          dosing.ShortStature
	Acks           []dosing.Ack
}

func (c *bodyCmd) define(f *flagSet) {
	c.patient = f.patientFlags("")
	f.optional("weight") // the ideal body weight needs only height and sex
	f.require("height")
	f.heading("Formulas")
	c.bsa = f.str("bsa-formula", "F", "body surface area formula: mosteller, dubois, haycock or boyd (default: all four)")
	c.ibw = f.str("ibw-formula", "F", "ideal body weight formula: devine, robinson or miller (default: all three)")
	c.lean = f.str("lean-formula", "F", "lean body weight formula: janmahasatian, james or boer (default: all three)")
	c.factor = f.str("abw-factor", "X", "adjusted body weight factor, > 0 and ≤ 1 (e.g. 0.4): ABW = IBW + X × (actual − IBW); shown only when given")
	c.short = f.str("short-stature", "clamp|extrapolate", "ideal body weight below 60 in: clamp the height at 60 in, or extrapolate the formula")
	c.acks = f.ackFlags()
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/body/v1) instead of the table")
}

func (c *bodyCmd) parse(f *flagSet, args []string) bodyRequest {
	r := bodyRequest{Output: Output{JSON: *c.asJSON}, Short: dosing.ShortStature(*c.short)}
	r.Patient, _ = c.patient.patient(f, schedule.Date{})
	r.Acks = c.acks.acks(f)
	r.BSA = pick(f, "bsa-formula", *c.bsa, []string{"mosteller", "dubois", "haycock", "boyd"})
	r.IBW = pick(f, "ibw-formula", *c.ibw, []string{"devine", "robinson", "miller"})
	r.Lean = pick(f, "lean-formula", *c.lean, []string{"janmahasatian", "james", "boer"})
	if f.given("abw-factor") {
		r.Factor = readFactor(f, "abw-factor", *c.factor)
	}
	switch *c.short {
	case "", "clamp", "extrapolate":
	default:
		f.bad("short-stature", *c.short, "must be clamp or extrapolate")
	}
	for _, g := range []struct{ flag, value string }{{"ibw-formula", *c.ibw}, {"lean-formula", *c.lean}} {
		if f.given(g.flag) && r.Patient.Sex == 0 {
			f.errs = append(f.errs, fmt.Sprintf("--%s %s needs --sex male or female", g.flag, g.value))
		}
	}
	if f.given("abw-factor") && !f.given("weight") {
		f.errs = append(f.errs, "--abw-factor needs --weight: the adjusted body weight is of the actual weight")
	}
	noArgs(f, args)
	return r
}

func (c *bodyCmd) run(_ *Env, r bodyRequest) (bodyDoc, error) {
	warnings, err := bodyPatient(r.Patient)
	if err != nil {
		return bodyDoc{}, err
	}
	doc, err := bodySize(r.Patient, r.BSA, r.IBW, r.Lean, r.Factor, r.Short)
	if err != nil {
		return bodyDoc{}, err
	}
	warnings = append(warnings, doc.formulaWarnings()...)
	doc.Warnings = acknowledge(warnings, r.Acks)
	doc.UnmatchedAcks = unmatchedAcks(r.Acks, warnings)
	doc.NeedsReview = len(doc.open()) > 0
	return doc, nil
}

func (c *bodyCmd) render(e *Env, r bodyRequest, doc bodyDoc) int {
	if code := e.output(r.JSON, doc, doc.write); code != exitOK {
		return code
	}
	e.noteUnmatched(doc.UnmatchedAcks, doc.Warnings)
	return e.reportReview(doc.open(), "")
}

// bodyPatient validates the patient of a body command. There is no protocol,
// so the plausibility bounds are the library's defaults, which are adult
// ranges: for a patient known to be under 18 none is applied, and an info
// note says so instead (body then exits 0); an adult, or a patient of no
// stated age, is checked against them. Every hard bound applies to
// everyone, and a missing weight is no error: without one only the ideal
// body weight is computed.
func bodyPatient(p dosing.Patient) ([]dosing.Warning, error) {
	warnings, err := p.Validate(dosing.Plausibility{})
	if !p.Weight.IsValid() {
		err = withoutField(err, "patient.weight", dosing.ErrMissing)
	}
	if err != nil {
		return nil, err
	}
	if age, known := p.Age(); known && age < 18 {
		return []dosing.Warning{{Key: "body.adult_bounds_not_applied", Severity: dosing.Info,
			Message: "the patient is " + dosing.Years(age).String() + " old: the library's plausibility bounds (weight 30–250 kg, BMI 15–60 kg/m²) are adult ranges and are not applied; " +
				"body reads no protocol, so no child's ranges either: check the values against the child's own"}}, nil
	}
	return warnings, nil
}

// withoutField is err without its *dosing.FieldError for field wrapping
// sentinel, nil if that was the only one.
func withoutField(err error, field string, sentinel error) error {
	var keep []error
	for _, l := range leaves(err) {
		var fe *dosing.FieldError
		if errors.As(l.err, &fe) && fe.Field == field && errors.Is(fe, sentinel) {
			continue
		}
		keep = append(keep, l.err)
	}
	return errors.Join(keep...)
}

// formulaWarnings are the notes of the formulas on this patient: the James
// lean body mass past its turning point. They are information, not a
// review: body shows every formula, and no dose is calculated from one.
func (d bodyDoc) formulaWarnings() []dosing.Warning {
	var ws []dosing.Warning
	for _, v := range d.LeanBW {
		if v.Flags.Has(dosing.Unreliable) {
			ws = append(ws, dosing.Warning{Key: "lean_weight.james_turns_down", Severity: dosing.Info, Value: d.BMI.Value,
				Message: "the James lean body mass " + show(v.Value) + " (BMI " + show(d.BMI.Value) + ") is past the formula's turning point, where a heavier patient gets a lower value: it understates the lean weight; prefer another formula"})
		}
	}
	return ws
}

// open returns the review warnings not acknowledged.
func (d bodyDoc) open() []dosing.Warning {
	var open []dosing.Warning
	for _, w := range d.Warnings {
		if w.Severity == dosing.Review && w.Ack == nil {
			open = append(open, w)
		}
	}
	return open
}

// pick returns the formulas to show: the one named, or all of them.
func pick(f *flagSet, flagName, v string, all []string) []string {
	if v == "" {
		return all
	}
	for _, a := range all {
		if strings.EqualFold(v, a) {
			return []string{a}
		}
	}
	f.bad(flagName, v, "must be one of "+strings.Join(all, ", "))
	return nil
}

// readFactor reads a plain decimal number in (0, 1], written like a
// quantity's number (leading zero, no exponent).
func readFactor(f *flagSet, name, s string) decimal.Decimal {
	if !isNumber(s) {
		f.bad(name, s, "is not a number such as 0.4")
		return decimal.Decimal{}
	}
	q, msg := readQuantity(s+" %", kPercent())
	if msg != "" {
		f.bad(name, s, strings.ReplaceAll(msg, " %", ""))
		return decimal.Decimal{}
	}
	k := q.Value()
	if k.Sign() <= 0 || k.GreaterThan(decimal.NewFromInt(1)) {
		f.bad(name, s, "is out of range (must be > 0 and ≤ 1, e.g. 0.4)")
		return decimal.Decimal{}
	}
	return k
}

// acknowledge records the acknowledgements on the warnings they name.
func acknowledge(ws []dosing.Warning, acks []dosing.Ack) []dosing.Warning {
	out := make([]dosing.Warning, len(ws))
	copy(out, ws)
	for i := range out {
		for _, a := range acks {
			if a.Key == out[i].Key {
				a := a
				out[i].Ack = &a
				break
			}
		}
	}
	return out
}

// bodyDoc is the JSON document of "doseplan body" (doseplan/body/v1).
type bodyDoc struct {
	Schema        string           `json:"schema"`
	Notice        string           `json:"notice"`
	Patient       dosing.Patient   `json:"patient"`
	Age           dosing.Years     `json:"age,omitempty"`
	HeightInches  units.Quantity   `json:"height_in"`
	BMI           bodyValue        `json:"bmi"`
	BSA           []bodyValue      `json:"bsa"`
	IBW           []bodyValue      `json:"ibw"`
	AdjustedBW    []bodyValue      `json:"adjusted_bw"`
	LeanBW        []bodyValue      `json:"lean_bw"`
	Warnings      []dosing.Warning `json:"warnings"`
	NeedsReview   bool             `json:"needs_review"`
	UnmatchedAcks []string         `json:"unmatched_acks,omitempty"`
}

// bodyValue is one body-size value with the formula it comes from. When
// the value cannot be computed, Unavailable says why and Value is absent.
type bodyValue struct {
	Formula     string         `json:"formula"` // "mosteller", "devine", …
	Expression  string         `json:"expression"`
	Citation    string         `json:"citation"`
	Limitation  string         `json:"limitation,omitempty"` // what the formula is known to get wrong
	Value       units.Quantity `json:"value,omitzero"`
	Flags       dosing.Flags   `json:"flags"`
	Factor      string         `json:"factor,omitempty"`      // adjusted body weight
	IBWFormula  string         `json:"ibw_formula,omitempty"` // adjusted body weight
	Unavailable string         `json:"unavailable,omitempty"`
}

// formulaText returns the description of a formula as the table shows it,
// from package dosing, so that it matches the trail.
func formulaText(formula string) dosing.Formula {
	id := map[string]string{"bmi": "bmi", "mosteller": "bsa_mosteller", "dubois": "bsa_dubois", "haycock": "bsa_haycock",
		"boyd": "bsa_boyd", "devine": "ibw_devine", "robinson": "ibw_robinson", "miller": "ibw_miller", "adjusted": "adjusted_bw",
		"janmahasatian": "lbw_janmahasatian", "james": "lbw_james", "boer": "lbw_boer"}[formula]
	f, _ := dosing.BodySizeFormula(id)
	return f
}

// formulaTitle is a formula's name in the table.
func formulaTitle(formula string) string {
	switch formula {
	case "dubois":
		return "DuBois"
	case "":
		return ""
	}
	return strings.ToUpper(formula[:1]) + formula[1:]
}

func newBodyValue(formula string) bodyValue {
	f := formulaText(formula)
	return bodyValue{Formula: formula, Expression: f.Expression, Citation: f.Citation, Limitation: f.Limitation}
}

// set records a value with the flags its formula reports (Inexact where a
// division did not terminate: units.Quotient's notion, not the digits).
func (v *bodyValue) set(q units.Quantity, flags dosing.Flags) {
	v.Value, v.Flags = q, flags
}

// bodySize computes the document's values: each formula shown, or why it
// cannot be (no weight, no sex, a height below 60 in without a policy).
func bodySize(pt dosing.Patient, bsas, ibws, leans []string, factor decimal.Decimal, short dosing.ShortStature) (bodyDoc, error) {
	doc := bodyDoc{Schema: schemaName("body"), Notice: dosing.Notice, Patient: pt,
		BSA: []bodyValue{}, IBW: []bodyValue{}, AdjustedBW: []bodyValue{}, LeanBW: []bodyValue{}}
	if age, ok := pt.Age(); ok {
		doc.Age = dosing.Years(age)
	}
	in, err := pt.Height.Convert(units.Inch)
	if err != nil {
		return doc, err
	}
	doc.HeightInches = in
	weighed := pt.Weight.IsValid()
	doc.BMI = newBodyValue("bmi")
	if weighed {
		bmi, flags, err := dosing.BMI(pt.Weight, pt.Height)
		if err != nil {
			return doc, err
		}
		doc.BMI.set(bmi, flags)
	} else {
		doc.BMI.Unavailable = "needs --weight"
	}
	for _, name := range bsas {
		v := newBodyValue(name)
		if weighed {
			q, err := dosing.BSA(dosing.BSAFormula(name), pt.Weight, pt.Height)
			if err != nil {
				return doc, err
			}
			v.set(q, dosing.Inexact) // a float64 power formula
		} else {
			v.Unavailable = "needs --weight"
		}
		doc.BSA = append(doc.BSA, v)
	}
	short60 := in.Value().LessThan(decimal.NewFromInt(60))
	ibwOf := map[string]bodyValue{}
	for _, name := range ibws {
		v := newBodyValue(name)
		switch {
		case pt.Sex == 0:
			v.Unavailable = "needs --sex"
		case short60 && short == "":
			v.Unavailable = "height below 60 in: give --short-stature clamp or extrapolate"
		default:
			q, flags, err := dosing.IBW(dosing.IBWFormula(name), pt.Sex, pt.Height, short)
			if err != nil {
				return doc, err
			}
			v.set(q, flags)
			ibwOf[name] = v
		}
		doc.IBW = append(doc.IBW, v)
	}
	if !factor.IsZero() {
		for _, name := range ibws {
			v := newBodyValue("adjusted")
			v.Formula, v.IBWFormula, v.Factor = "adjusted", name, factor.String()
			ibw, ok := ibwOf[name]
			if !ok {
				v.Unavailable = "needs the " + name + " ideal body weight"
			} else {
				q, err := dosing.AdjustedBodyWeight(pt.Weight, ibw.Value, factor)
				if err != nil {
					return doc, err
				}
				v.set(q, ibw.Flags&dosing.Inexact) // exact arithmetic on the IBW: as exact as it
			}
			doc.AdjustedBW = append(doc.AdjustedBW, v)
		}
	}
	for _, name := range leans {
		v := newBodyValue(name)
		switch {
		case !weighed:
			v.Unavailable = "needs --weight"
		case pt.Sex == 0:
			v.Unavailable = "needs --sex"
		default:
			q, flags, err := dosing.LeanWeight(dosing.LeanFormula(name), pt.Sex, pt.Weight, pt.Height)
			var fe *dosing.FieldError
			switch {
			case errors.As(err, &fe) && errors.Is(err, dosing.ErrRange):
				v.Unavailable = fe.Msg // the formula gives nothing positive for this patient
			case err != nil:
				return doc, err
			default:
				v.set(q, flags)
			}
		}
		doc.LeanBW = append(doc.LeanBW, v)
	}
	return doc, nil
}

// write writes the body-size table.
func (d bodyDoc) write(w io.Writer) error {
	fmt.Fprintln(w, "BODY SIZE")
	fmt.Fprintf(w, "Patient:  %s\n\n", patientText(d.Patient, d.HeightInches))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(label string, v bodyValue) {
		val := show(v.Value)
		if v.Unavailable != "" {
			val = "— (" + v.Unavailable + ")"
		}
		var notes []string
		if v.Flags.Has(dosing.Clamped) {
			notes = append(notes, "height clamped at 60 in")
		}
		if v.Flags.Has(dosing.Extrapolated) {
			notes = append(notes, "formula extrapolated below 60 in")
		}
		if v.Flags.Has(dosing.Unreliable) {
			notes = append(notes, "past the formula's turning point: see the warning")
		}
		if len(notes) > 0 {
			val += " (" + strings.Join(notes, ", ") + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\n", label, val)
	}
	row("Body mass index", d.BMI)
	for _, v := range d.BSA {
		row("Body surface area, "+formulaTitle(v.Formula), v)
	}
	for _, v := range d.IBW {
		row("Ideal body weight, "+formulaTitle(v.Formula), v)
	}
	for _, v := range d.AdjustedBW {
		row("Adjusted body weight ("+v.Factor+"), "+formulaTitle(v.IBWFormula)+" IBW", v)
	}
	for _, v := range d.LeanBW {
		row("Lean body weight, "+formulaTitle(v.Formula), v)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nFORMULAS")
	seen := map[string]bool{}
	all := append(append(append(append([]bodyValue{d.BMI}, d.BSA...), d.IBW...), d.AdjustedBW...), d.LeanBW...)
	for _, v := range all {
		if seen[v.Formula] {
			continue
		}
		seen[v.Formula] = true
		fmt.Fprintf(w, "- %s (%s)\n", v.Expression, v.Citation)
		if v.Limitation != "" {
			fmt.Fprintf(w, "  limitation: %s\n", v.Limitation)
		}
	}
	fmt.Fprintln(w, "Values with more than four decimal places are shown rounded and marked ≈; --json keeps every digit.")
	writeWarnings(w, d.Warnings)
	fmt.Fprintf(w, "\n%s\n", d.Notice)
	return nil
}

// patientText describes a patient on one line.
func patientText(p dosing.Patient, inches units.Quantity) string {
	var parts []string
	if p.Weight.IsValid() { // body needs none for the ideal body weight
		w := "weight " + show(p.Weight)
		if p.Weight.Unit() != units.Kilogram {
			if kg, err := p.Weight.Convert(units.Kilogram); err == nil {
				w += " (" + show(kg) + ")"
			}
		}
		parts = append(parts, w)
	}
	if p.Height.IsValid() {
		h := "height " + show(p.Height)
		if inches.IsValid() && p.Height.Unit() != units.Inch {
			h += " (" + show(inches) + ")"
		} else if cm, err := p.Height.Convert(units.Centimeter); err == nil && p.Height.Unit() != units.Centimeter {
			h += " (" + show(cm) + ")"
		}
		parts = append(parts, h)
	}
	if p.Sex != 0 {
		parts = append(parts, p.Sex.String())
	}
	if age, ok := p.Age(); ok && p.BirthDate.IsZero() {
		parts = append(parts, "age "+dosing.Years(age).String()) // --age: completed years, no date
	} else if ok {
		parts = append(parts, fmt.Sprintf("age %d years on %s", age, p.AsOf.Format("2006-01-02")))
	}
	return strings.Join(parts, ", ")
}

// writeWarnings writes a WARNINGS section like the dose worksheet's.
func writeWarnings(w io.Writer, ws []dosing.Warning) {
	fmt.Fprintln(w, "\nWARNINGS")
	if len(ws) == 0 {
		fmt.Fprintln(w, "none")
	}
	open := 0
	for _, wn := range ws {
		fmt.Fprintf(w, "- [%s] %s: %s\n", wn.Severity, wn.Key, wn.Message)
		if wn.Ack != nil {
			fmt.Fprintf(w, "  acknowledged: %s", wn.Ack.Reason)
			if wn.Ack.By != "" {
				fmt.Fprintf(w, " (%s)", wn.Ack.By)
			}
			fmt.Fprintln(w)
		} else if wn.Severity == dosing.Review {
			open++
		}
	}
	if open > 0 {
		fmt.Fprintf(w, "NEEDS REVIEW: %d warning(s) not acknowledged\n", open)
	}
}
