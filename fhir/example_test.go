package fhir_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/fhir"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// A dose exported for an EHR: a draft proposal with the protocol's dose
// (ordered) and what it gives this patient (calculated), and the
// Provenance naming the protocol.
func ExampleDose() {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		fmt.Println(err)
		return
	}
	patient := dosing.Patient{Weight: units.MustParse("80 kg"), Height: units.MustParse("175 cm"), Sex: dosing.Male, AgeYears: 45}
	res, err := p.Calculate(patient, dosing.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := fhir.Dose(p, res, units.Quantity{}, fhir.Options{
		Recorded: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
		Software: "doseplan example",
		ID:       "order-1",
		Subject:  fhir.Subject{Reference: "Patient/example"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var bundle struct {
		Entry []struct {
			Resource struct {
				ResourceType      string
				Status, Intent    string
				DosageInstruction []struct {
					DoseAndRate []struct {
						Type struct {
							Coding []struct{ Code string }
						}
						DoseQuantity, RateQuantity *struct {
							Value      json.Number
							Unit, Code string
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range bundle.Entry {
		r := e.Resource
		fmt.Println(r.ResourceType, r.Status, r.Intent)
		for _, d := range r.DosageInstruction {
			for _, dr := range d.DoseAndRate {
				fmt.Print("  ", dr.Type.Coding[0].Code, ":")
				if q := dr.DoseQuantity; q != nil {
					fmt.Printf(" dose %s %s (UCUM %s)", q.Value, q.Unit, q.Code)
				}
				if q := dr.RateQuantity; q != nil {
					fmt.Printf(" rate %s %s (UCUM %s)", q.Value, q.Unit, q.Code)
				}
				fmt.Println()
			}
		}
	}
	// Output:
	// MedicationRequest draft proposal
	//   ordered: dose 0.5 mg/kg (UCUM mg/kg)
	//   calculated: dose 40 mg (UCUM mg) rate 156 mL/h (UCUM mL/h)
	// Provenance
}

// A plan exported as a Bundle: one request per phase and level, one
// appointment per session, the care plan linking them, and the Provenance.
func ExamplePlan() {
	p, err := protocols.Load("esketamine-nasal")
	if err != nil {
		fmt.Println(err)
		return
	}
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{Zone: "Europe/Berlin",
		Open: []schedule.Weekday{schedule.Monday, schedule.Thursday}, Starts: []schedule.TimeOfDay{{Hour: 10}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	pl, err := schedule.Plan(p, dosing.Patient{Weight: units.MustParse("70 kg"), AgeYears: 45}, schedule.Date{Year: 2025, Month: 3, Day: 3}, cal, schedule.PlanOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := fhir.Plan(pl, p, fhir.Options{Recorded: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), Software: "doseplan example", ID: "MRN-1234"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var bundle struct {
		Entry []struct {
			Resource struct {
				ResourceType string
				Category     []struct{ Coding []struct{ Code string } }
				Note         []struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal(b, &bundle); err != nil {
		fmt.Println(err)
		return
	}
	count := map[string]int{}
	for _, e := range bundle.Entry {
		r := e.Resource
		count[r.ResourceType]++
		if r.ResourceType == "MedicationRequest" {
			marked := ""
			if len(r.Category) > 0 {
				marked = " [" + r.Category[0].Coding[0].Code + "]"
			}
			fmt.Println(r.Note[1].Text + marked)
		}
	}
	fmt.Println(count)
	// Output:
	// Covers session 1 of the series (induction 1 of 8), titration level 1 of 2 (56 mg).
	// Covers sessions 2 to 8 of the series (induction 2 to 8 of 8), titration level 2 of 2 (84 mg). [proposed-escalation]
	// Covers sessions 9 to 12 of the series (maintenance 1 to 4 of 4), titration level 2 of 2 (84 mg). [proposed-escalation]
	// Covers sessions 13 to 18 of the series (continuation 1 to 6 of 6), titration level 2 of 2 (84 mg). [proposed-escalation]
	// map[Appointment:18 CarePlan:1 MedicationRequest:4 Provenance:1]
}
