package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	_ "time/tzdata"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(w io.Writer, _ []string) error {
	protocol, err := protocols.Load("esketamine-nasal")
	if err != nil {
		return err
	}
	weight, err := units.Parse("72 kg")
	if err != nil {
		return err
	}
	patient := dosing.Patient{Weight: weight, AgeYears: 38} // the protocol is for adults: an age is required
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "Europe/Berlin",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	if err != nil {
		return err
	}
	// The ladder proposes 84 mg from session 2. Here the clinician kept
	// 56 mg for sessions 2 and 3 and chose 84 mg at session 4: chosen levels
	// are decisions, not proposals.
	levels := map[int]int{2: 0, 3: 0, 4: 1}
	plan, err := schedule.Plan(protocol, patient, schedule.Date{Year: 2025, Month: 3, Day: 3}, cal, schedule.PlanOptions{Levels: levels})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, version %s\n\n", protocol.Dosing.Name, protocol.Dosing.Version)
	for _, s := range plan.Sessions {
		d := s.Dose
		flag := ""
		if s.Proposed {
			flag = " (proposed: clinician decides)"
		}
		fmt.Fprintf(w, "%2d  %-12s %s %s  %s = %s%s\n", s.Index, s.Phase, s.Date.Weekday().String()[:3], s.Date, d.Dose, d.Form.Count, flag)
		if s.Index > 4 {
			continue // the timeline is the same shape every session; show the first few
		}
		tl := s.Timeline
		var devices []string
		for _, t := range tl.Administrations {
			devices = append(devices, t.Format("15:04"))
		}
		fmt.Fprintf(w, "      checks from %s; devices at %s\n", tl.PreChecks.Format("15:04"), strings.Join(devices, ", "))
		for _, c := range tl.Checks {
			fmt.Fprintf(w, "      %s at %s\n", c.Name, c.At.Format("15:04"))
		}
		fmt.Fprintf(w, "      observation until %s (last device + %s); driver required: %t\n",
			tl.EarliestDischarge.Format("15:04"), protocol.Session.Observation, tl.DriverRequired)
	}
	fmt.Fprintf(w, "\ntotal over the plan (%d sessions): %s\n\n", len(plan.Sessions), plan.TotalText())

	// Before session 1: blood pressure 146/88 mmHg, SpO2 98 %. The gates are
	// the protocol's; doseplan has no thresholds of its own.
	readings := schedule.Vitals{Systolic: must("146 mmHg"), Diastolic: must("88 mmHg"), SpO2: must("98 %")}
	check, err := schedule.CheckVitals(protocol, readings)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "PRE-DOSE CHECK (146/88 mmHg, SpO2 98 %%): %s\n", check.Decision)
	for _, f := range check.Findings {
		fmt.Fprintf(w, "  %s: %s\n", f.Level, f.Detail)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "WORKSHEET OF SESSION 4")
	return plan.Sessions[3].Dose.WriteWorksheet(w)
}

// must parses a literal quantity of this program.
func must(s string) units.Quantity { return units.MustParse(s) }
