package main

import (
	"fmt"
	"io"
	"os"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
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
	patient := dosing.Patient{Weight: q("80 kg"), Height: q("175 cm"), Sex: dosing.Male, AgeYears: 45}
	rule := protocol.Rule()

	// The order as written on the chart: 40 mg in 104 mL over 40 min.
	good := dosing.Order{Dose: q("40 mg"), Stock: q("10 mg/mL"), DrawVolume: q("4 mL"),
		FinalVolume: q("104 mL"), PumpRate: q("156 mL/h"), Duration: q("40 min")}
	// The same order as the pump was programmed: 15.6 mL/h.
	slip := good
	slip.PumpRate = q("15.6 mL/h")

	for _, o := range []struct {
		title string
		order dosing.Order
	}{{"ORDER 1: as written", good}, {"ORDER 2: as programmed on the pump", slip}} {
		res, err := dosing.Check(o.order, patient, rule, dosing.CheckOptions{})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s\n%s\n\n", o.title, res.Summary)
		if err := res.WriteWorksheet(w); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return nil
}

// q parses a literal quantity of this program.
func q(s string) units.Quantity { return units.MustParse(s) }
