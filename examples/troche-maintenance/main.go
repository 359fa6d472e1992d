package main

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"
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
	protocol, err := protocols.Load("troche-maintenance")
	if err != nil {
		return err
	}
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/Chicago",
		Open:   []schedule.Weekday{schedule.Tuesday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 19}},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s, version %s\n", protocol.Dosing.Name, protocol.Dosing.Version)
	fmt.Fprintf(w, "dose %s, form %s in steps of %s (rounded %s), cap %s per session, %s per 7 days, %s per series\n",
		protocol.Dosing.Dose, protocol.Dosing.Form.Strength, protocol.Dosing.Form.Step, protocol.Dosing.Form.Rounding,
		protocol.Dosing.Cap, protocol.Caps.Per7Days, protocol.Caps.PerSeries)

	for _, kg := range []string{"80 kg", "130 kg"} {
		weight, err := units.Parse(kg)
		if err != nil {
			return err
		}
		plan, err := schedule.Plan(protocol, dosing.Patient{Weight: weight, AgeYears: 50}, schedule.Date{Year: 2025, Month: 3, Day: 4}, cal, schedule.PlanOptions{})
		if err != nil {
			return err
		}
		first := plan.Sessions[0].Dose
		exact, _ := first.Step("form_count")
		fmt.Fprintf(w, "\nPATIENT %s: %s × %s = %s → %s of %s = %s (%s)\n", weight, protocol.Dosing.Dose, weight,
			first.RequestedDose, first.Form.Count, first.Form.Strength, first.Dose, exact.Note+flagText(exact))
		for _, warn := range first.Warnings {
			fmt.Fprintf(w, "  warning [%s] %s\n", warn.Severity, warn.Message)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  #\tphase\tdate\tdose\ttroches\t7-day total")
		for i, s := range plan.Sessions {
			week, _ := units.Parse("0 mg")
			for _, o := range plan.Sessions[:i+1] {
				if !o.Date.Before(s.Date.AddDays(-6)) {
					week, _ = week.Add(o.Dose.Dose)
				}
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s %s\t%s\t%s\t%s\n", s.Index, s.Phase, s.Date.Weekday().String()[:3], s.Date, s.Dose.Dose, s.Dose.Form.Count, week)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "  series total %s\n", plan.TotalText())
		for _, d := range plan.Dropped {
			fmt.Fprintf(w, "  dropped %s session %d (%s): %s\n", d.Phase, d.Number, d.Date, d.Reason.Detail)
		}
	}
	fmt.Fprintf(w, "\n%s\n", dosing.Notice)
	return nil
}

func flagText(s dosing.Step) string {
	if s.Flags == 0 {
		return "exact"
	}
	return s.Flags.String()
}
