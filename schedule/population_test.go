package schedule_test

import (
	"errors"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

// The example protocols are for adults (population.age.hard_min 18 years):
// the protocol's rule carries the population, so every calculation through
// it — Calculate, Check, Plan — refuses a child with a *PopulationError and
// no result, and needs an age.
func TestExampleProtocolsRefuseAChild(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	for _, name := range []string{"iv-ketamine-trd", "esketamine-nasal", "troche-maintenance", "chronic-pain-infusion"} {
		t.Run(name, func(t *testing.T) {
			p := loadExample(t, name)
			if got := p.Rule().Population.Age.HardMin; got != 18 {
				t.Fatalf("population.age.hard_min = %v, want 18 years", got)
			}
			if p.Dosing.Population.Why == "" {
				t.Error("population.why is empty: the protocol does not say why it is for adults")
			}
			child := dosing.Patient{Weight: qty("45 kg"), Height: qty("150 cm"), Sex: dosing.Female, AgeYears: 17}
			var pe *dosing.PopulationError
			if res, err := p.Calculate(child, dosing.Options{}); !errors.As(err, &pe) || pe.Field != "population.age" || pe.Kind != dosing.HardMin {
				t.Errorf("Calculate for a 17-year-old = %v, %v; want a population.age hard_min refusal", res.Dose, err)
			}
			start := "2025-03-03"
			if name == "troche-maintenance" {
				start = "2025-03-04"
			}
			if pl, err := schedule.Plan(p, child, day(t, start), cal, schedule.PlanOptions{}); pl != nil || !errors.As(err, &pe) {
				t.Errorf("Plan for a 17-year-old = %v, %v; want no plan and a *PopulationError", pl, err)
			}
			noAge := child
			noAge.AgeYears = 0
			if _, err := p.Calculate(noAge, dosing.Options{}); !errors.Is(err, dosing.ErrMissing) {
				t.Errorf("Calculate without an age: %v, want the age reported missing", err)
			}
			adult := child
			adult.AgeYears = 18 // the 18th year is within a minimum of 18
			if _, err := p.Calculate(adult, dosing.Options{}); err != nil {
				t.Errorf("Calculate for an 18-year-old: %v", err)
			}
		})
	}
}
