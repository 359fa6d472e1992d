package dosing

import (
	"github.com/doseplan/doseplan/units"
)

func (c *calc) bodySize() {
	p, r := c.p, c.rule
	bs := &c.res.BodySize
	c.actualKg = c.conv(p.Weight, units.Kilogram)
	if p.Weight.Unit() != units.Kilogram {
		c.step(Step{ID: "weight_kg", Title: "Weight in kilograms", Formula: "weight kg = weight lb × 0.45359237",
			Value: c.actualKg}, term("weight", p.Weight, "patient"))
	}
	if !p.Height.IsValid() || !c.ok() { // Calculate refused a missing height the rule needs
		return
	}
	bmi := c.bmi
	bs.BMI = bmi
	_, bmiFlags, _ := BMI(p.Weight, p.Height) // the flags of the value validate computed
	c.formulaStep("bmi", []Term{term("weight", c.actualKg, "patient"), term("height", p.Height, "patient")}, bmi, bmiFlags)
	if r.BSAFormula != "" {
		v, err := BSA(r.BSAFormula, p.Weight, p.Height)
		if err != nil {
			c.fail(err)
			return
		}
		bs.BSA, bs.BSAFormula = v, r.BSAFormula
		c.formulaStep(formulaStepName("bsa_", string(r.BSAFormula)).id, []Term{term("weight", c.actualKg, "patient"), term("height", p.Height, "patient")}, v, Inexact)
	}
	if r.Weight.IBWFormula != "" && (p.Sex != 0 || r.Weight.needsIdeal()) {
		ibw, flags, inches, err := ibwAndInches(r.Weight.IBWFormula, p.Sex, p.Height, r.Weight.ShortStature)
		if err != nil {
			c.fail(err)
			return
		}
		bs.IBW, bs.IBWFormula = ibw, r.Weight.IBWFormula
		bs.HeightShort = flags&(Clamped|Extrapolated) != 0
		note := ""
		switch {
		case flags.Has(Clamped):
			note = "height below 60 in: clamped at 60 in by the protocol"
		case flags.Has(Extrapolated):
			note = "height below 60 in: formula extrapolated by the protocol"
		}
		in := []Term{{Name: "sex", Text: p.Sex.String(), Source: "patient"}, term("height", p.Height, "patient")}
		if p.Height.Unit() != units.Inch {
			in = append(in, term("height in inches", inches, "height ÷ 2.54 cm/in"))
		}
		ibwStep := formulaStepName("ibw_", string(r.Weight.IBWFormula))
		c.formulaStepNote(ibwStep.id, in, ibw, flags, note)
		if r.Weight.Basis == Adjusted {
			abw, err := AdjustedBodyWeight(c.actualKg, ibw, r.Weight.AdjustFactor)
			if err != nil {
				c.fail(err)
				return
			}
			bs.AdjustedBW = abw
			c.formulaStep("adjusted_bw", []Term{term("actual", c.actualKg, "patient"), term("IBW", ibw, ibwStep.source),
				{Name: "factor", Text: r.Weight.AdjustFactor.String(), Source: "rule"}}, abw, 0)
		}
	}
	if r.Weight.Basis == Lean {
		f := r.Weight.leanFormula()
		lbw, flags, err := LeanWeight(f, p.Sex, p.Weight, p.Height)
		if err != nil {
			c.fail(err)
			return
		}
		bs.LeanBW, bs.LeanFormula = lbw, f
		in := []Term{{Name: "sex", Text: p.Sex.String(), Source: "patient"}, term("weight", c.actualKg, "patient")}
		if f == Janmahasatian {
			in = append(in, term("BMI", bmi, "step bmi"))
		} else {
			in = append(in, term("height", p.Height, "patient"))
		}
		note := ""
		if flags.Has(Unreliable) {
			turn := jamesTurn(p.Sex)
			note = "BMI " + display(bmi).String() + " is above " + display(turn).String() + ", where the James formula turns down: a heavier patient would get less"
			c.res.Warnings = append(c.res.Warnings, Warning{Key: "lean_weight.james_turns_down", Severity: Review, Value: bmi, Bound: turn,
				Message: "the lean body mass " + display(lbw).String() + " (James) is past the formula's turning point: at BMI " + display(bmi).String() +
					", above " + display(turn).String() + ", it falls as the weight rises, so it understates the lean weight; the protocol doses on it"})
		}
		c.formulaStepNote("lbw_"+string(f), in, lbw, flags, note)
	}
}

// needHeight is the error of a patient without the height the rule's
// formulas need.
func (r Rule) needHeight(p Patient) error {
	if p.Height.IsValid() || !r.Weight.needsIdeal() && r.Weight.Basis != Lean && kindOf(r.Dose) != kindPerM2 {
		return nil
	}
	return missing("patient.height", "a height, for the rule's "+needHeightFor(r))
}

func needHeightFor(r Rule) string {
	switch {
	case kindOf(r.Dose) == kindPerM2:
		return "dose per m²"
	case r.Weight.Basis == Lean:
		return "lean-weight basis"
	case r.Weight.IdealWhenBMIAtLeast.IsValid():
		return "BMI threshold"
	}
	return string(r.Weight.Basis) + "-weight basis"
}

func (c *calc) formulaStep(id string, in []Term, v units.Quantity, flags Flags) {
	c.formulaStepNote(id, in, v, flags, "")
}

func (c *calc) formulaStepNote(id string, in []Term, v units.Quantity, flags Flags, note string) {
	f := formulas[id]
	c.step(Step{ID: id, Title: f.title, Formula: f.expression(c.p.Sex), Citation: f.citation, Value: v, Flags: flags, Note: note}, in...)
}
