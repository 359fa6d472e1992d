package dosing

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// WriteWorksheet writes the result as a pharmacist's worksheet: the rule and
// its provenance, the patient, each step with its formula, inputs and result
// (exact and rounded, with the deviation), the final dose, preparation and
// pump settings, the warnings with their acknowledgements, and the
// verification notice. Values with more than four decimal places are shown
// rounded to four and marked "≈", except a value about to be rounded, which
// is cut at four places and marked "…" (see cut); the trail in JSON keeps
// every digit.
func (r Result) WriteWorksheet(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	var a arith // a comparison of quantities of different dimensions is an error
	writeHeader(p, "DOSE WORKSHEET", r.Provenance, r.Drug, r.Route, r.Patient)
	p("\nCALCULATION\n")
	for i, s := range r.Steps {
		writeStep(p, i+1, s)
	}
	p("\nRESULT\n")
	weightBased := len(r.Weight.UsedFor) > 0
	if weightBased {
		p("Dosing weight:   %s (%s)\n", show(r.Weight.Value), r.Weight.Reason)
		if r.Weight.Policy != string(r.Weight.Basis) { // not for a plain "actual → actual"
			p("                 policy: %s → %s\n", r.Weight.Policy, r.Weight.Basis)
		}
	} else {
		p("Dosing weight:   none: nothing in the rule is per kg; per-kg values are of the actual weight %s\n", show(r.Weight.Actual))
	}
	p("Dose:            %s (%s)\n", show(r.Dose), r.doseBasis(&a))
	if rv, rounded := r.RoundedValue("dose"); rounded || a.cmp(r.RequestedDose, r.Dose) != 0 {
		// The requested dose, capped (a cap is a declared clamp, with its
		// own warning), then rounded: each change said where it happens.
		line := show(r.RequestedDose)
		capped := r.Dose
		if rounded {
			capped = rv.Requested
		}
		if a.cmp(capped, r.RequestedDose) != 0 {
			line += " → capped to " + show(capped)
		}
		if rounded {
			line += strings.TrimPrefix(rv.String(), "requested "+cut(rv.Requested))
		}
		p("Requested dose:  %s\n", line)
	}
	if n := r.DosesPerDay; n.IsValid() {
		p("Per day:         %s of %s = %s (%s on the dosing weight)\n", dosesText(int(n.Value().IntPart())), show(r.Dose), show(r.DosePerDay), show(r.DosePerKgPerDay))
	}
	if f := r.Form; f != nil {
		p("Dose forms:      %s of %s", show(f.Count), show(f.Strength))
		if len(f.Offsets) > 0 {
			var offs []string
			for _, o := range f.Offsets {
				offs = append(offs, o.String())
			}
			p(", at %s", strings.Join(offs, ", "))
		}
		p("\n")
	}
	if pr := r.Preparation; pr != nil {
		p("Draw:            %s of %s\n", show(pr.Draw), show(pr.Stock))
		switch {
		case pr.Container == "bag" && pr.Method == WithdrawFirst:
			p("Bag:             withdraw %s from a %s bag, then add the drug\n", show(pr.Withdraw), show(pr.Diluent))
		case pr.Container == "bag":
			p("Bag:             add the drug to a %s bag\n", show(pr.Diluent))
		case pr.Container == "syringe":
			p("Syringe:         drug plus %s diluent\n", show(pr.Diluent))
		}
		p("Final:           %s at %s\n", show(pr.FinalVolume), show(pr.FinalConc))
	}
	if ir := r.Infusion; ir != nil {
		if l := ir.Loading; l != nil {
			p("Loading:         %s (%s) over %s at %s\n", show(l.Dose), show(l.Volume), show(l.Duration), show(l.PumpRate))
		}
		p("Pump rate:       %s (VTBI %s over %s; runs %s)\n", show(ir.PumpRate), show(ir.VTBI), show(ir.Duration), show(ir.RunTime))
		rates := show(ir.DoseRate) + ", " + show(ir.DoseRatePerKgH)
		if ir.DoseRatePerKgMin.IsValid() { // none for a rule in units
			rates += ", " + show(ir.DoseRatePerKgMin)
		}
		p("Dose rate:       %s\n", rates)
		p("                 (intended %s; deviation %s)\n", show(ir.IntendedDoseRate), signed(ir.DoseRateDevPct))
		if d := ir.Drip; d != nil {
			p("Drip rate:       %s with a %s set\n", show(d.Rate), show(d.DropFactor))
		}
	}
	first := true
	for _, v := range r.Rounded {
		if v.Field == "dose" {
			continue // on the requested-dose line
		}
		label := "                 "
		if first {
			label, first = "Rounded:         ", false
		}
		p("%s%s: %s\n", label, words(v.Field), v.String())
	}
	p("\nWARNINGS\n")
	if len(r.Warnings) == 0 {
		p("none\n")
	}
	for _, w := range r.Warnings {
		p("- [%s] %s: %s\n", w.Severity, w.Key, w.Message)
		if w.Ack != nil {
			p("  acknowledged: %s", w.Ack.Reason)
			if w.Ack.By != "" {
				p(" (%s)", w.Ack.By)
			}
			p("\n")
		}
	}
	if n := len(r.Unacknowledged()); n > 0 {
		p("NEEDS REVIEW: %d warning(s) not acknowledged\n", n)
	}
	p("\n%s\n", r.Notice)
	if err := b.Flush(); err != nil {
		return err
	}
	return a.err
}

// doseBasis says what the dose is per, as the result's fields give it: per
// m² of the BSA and its formula, where the rule names one; per kg of the
// dosing weight the rule used, and of the actual weight where that one
// differs; only of the actual weight for a rule that is not weight based.
func (r Result) doseBasis(a *arith) string {
	var parts []string
	if bs := r.BodySize; r.DosePerM2.IsValid() {
		parts = append(parts, show(r.DosePerM2)+" on the BSA "+show(bs.BSA)+" ("+bsaNames[bs.BSAFormula]+")")
	}
	switch {
	case len(r.Weight.UsedFor) == 0:
		if len(parts) == 0 {
			parts = append(parts, "not weight based")
		}
		parts = append(parts, show(r.DosePerKgActual)+" of the actual weight")
	case a.cmp(r.Weight.Value, r.Weight.Actual) != 0:
		parts = append(parts, show(r.DosePerKg)+" on the dosing weight "+show(r.Weight.Value),
			show(r.DosePerKgActual)+" of the actual weight "+show(r.Weight.Actual))
	default:
		parts = append(parts, show(r.DosePerKg)+" on the dosing weight")
	}
	return strings.Join(parts, "; ")
}

// bsaNames are the BSA formulas as cited.
var bsaNames = map[BSAFormula]string{Mosteller: "Mosteller", DuBois: "DuBois", Haycock: "Haycock", Boyd: "Boyd"}

// patientSummary describes the patient as given: "80 kg, 175 cm, male, age 46 years".
func patientSummary(pt Patient) string {
	parts := []string{pt.Weight.String()}
	if pt.Height.IsValid() {
		parts = append(parts, pt.Height.String())
	}
	if pt.Sex != 0 {
		parts = append(parts, pt.Sex.String())
	}
	if age, ok := pt.Age(); ok {
		parts = append(parts, "age "+Years(age).String())
	}
	return strings.Join(parts, ", ")
}

// writeStep writes one trail step for a pharmacist to redo by hand: title,
// formula and citation, inputs, the value (exact → rounded with the
// deviation, where the step changed it), note and flags. The dose worksheet
// and the order-check worksheet both use it, so a step reads the same in
// both.
func writeStep(p func(string, ...any), n int, s Step) {
	p("%2d. %s [%s]\n", n, s.Title, s.ID)
	p("    %s\n", s.Formula)
	if s.Citation != "" {
		p("    (%s)\n", s.Citation)
	}
	var in []string
	for _, t := range s.Inputs {
		if !t.Value.IsValid() {
			text := t.Text
			if strings.Contains(text, ", ") { // the inputs are listed with commas
				text = `"` + text + `"`
			}
			in = append(in, t.Name+" "+text)
			continue
		}
		in = append(in, t.Name+" "+show(t.Value))
	}
	if len(in) > 0 {
		p("    with %s\n", strings.Join(in, ", "))
	}
	if s.Deviation.IsValid() || s.Flags&(Rounded|Capped|Stretched) != 0 {
		p("    = %s → %s", cut(s.Exact), show(s.Value))
		if s.Deviation.IsValid() {
			p(" (%s", signed(s.Deviation))
			if s.DeviationPct.IsValid() {
				p(", %s", signed(s.DeviationPct))
			}
			p(")")
		}
		p("\n")
	} else if s.Value.IsValid() {
		p("    %s\n", equals(s.Value))
	}
	if s.Note != "" {
		p("    note: %s\n", s.Note)
	}
	if f := s.Flags &^ (Rounded | Capped | Stretched); f != 0 {
		p("    flags: %s\n", f)
	}
}

// writeHeader writes a worksheet's title, the rule with its provenance, the
// drug and the patient.
func writeHeader(p func(string, ...any), title string, prov Provenance, drug, route string, pt Patient) {
	p("%s\n", title)
	p("Rule:      %s (version %s)\n", prov.Name, prov.Version)
	if prov.Source != "" {
		p("Source:    %s\n", prov.Source)
	}
	if prov.SHA256 != "" {
		p("SHA-256:   %s\n", prov.SHA256)
	}
	if drug != "" || route != "" {
		p("Drug:      %s\n", strings.TrimSpace(drug+" "+route))
	}
	p("Patient:   %s\n", patientSummary(pt))
}
