package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	_ "time/tzdata" // time zones without the host's zoneinfo

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
	protocol, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		return err
	}
	weight, err := units.Parse("176 lb")
	if err != nil {
		return err
	}
	height, err := units.Parse("175 cm")
	if err != nil {
		return err
	}
	patient := dosing.Patient{Weight: weight, Height: height, Sex: dosing.Male, AgeYears: 45} // the protocol is for adults: an age is required
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
		Closed: []schedule.Closure{{Date: schedule.Date{Year: 2025, Month: 4, Day: 18}, Name: "Good Friday"}},
	})
	if err != nil {
		return err
	}
	start := schedule.Date{Year: 2025, Month: 3, Day: 3}
	plan, err := schedule.Plan(protocol, patient, start, cal, schedule.PlanOptions{})
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "Protocol: %s, version %s\n", protocol.Dosing.Name, protocol.Dosing.Version)
	fmt.Fprintf(w, "SHA-256:  %s\n\n", protocol.SHA256())

	first := plan.Sessions[0].Dose
	bs := first.BodySize
	fmt.Fprintln(w, "PATIENT")
	fmt.Fprintf(w, "  weight %s, height %s, %s\n", weight, height, patient.Sex)
	fmt.Fprintf(w, "  BMI %s, ideal body weight (%s) %s\n", round(bs.BMI), bs.IBWFormula, round(bs.IBW))
	fmt.Fprintf(w, "  dosing weight %s: %s\n\n", round(first.Weight.Value), first.Weight.Reason)

	fmt.Fprintln(w, "SERIES")
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tphase\tdate\tstart\tdose\tdraw\tbag\tpump\tends\tdischarge\tnotes")
	for _, s := range plan.Sessions {
		d := s.Dose
		notes := []string{}
		if s.Proposed {
			notes = append(notes, "proposed escalation")
		}
		if !s.MovedFrom.IsZero() {
			notes = append(notes, "moved from "+s.MovedFrom.String())
		}
		if d.NeedsReview() {
			notes = append(notes, "needs review")
		}
		if v, ok := d.RoundedValue("dose"); ok {
			notes = append(notes, v.String()) // rounding is never silent
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Index, s.Phase, s.Date.Weekday().String()[:3], s.Date,
			s.Start.Format("15:04"), d.Dose, d.Preparation.Draw, round(d.Preparation.FinalVolume), d.Infusion.PumpRate,
			s.Timeline.EndOfAdministration.Format("15:04"), s.Timeline.EarliestDischarge.Format("15:04"), strings.Join(notes, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(table.String(), "\n") {
		fmt.Fprint(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n")))
	}
	fmt.Fprintf(w, "  total over the series: %s\n", plan.TotalText())
	if plan.Sessions[0].Timeline.DriverRequired {
		fmt.Fprintln(w, "  a driver is required after every session")
	}

	fmt.Fprintln(w, "\nWORKSHEET OF SESSION 1")
	return first.WriteWorksheet(w)
}

// round shows a derived value to four decimal places for the summary; the
// worksheet shows every step exactly.
func round(q units.Quantity) units.Quantity {
	r, _, err := q.RoundTo(units.New(units.NewInt(1, q.Unit()).Value().Shift(-4), q.Unit()), units.RoundHalfUp)
	if err != nil {
		return q
	}
	return r
}
