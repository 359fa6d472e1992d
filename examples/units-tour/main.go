package main

import (
	"fmt"
	"io"
	"os"

	"github.com/doseplan/doseplan/units"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(w io.Writer, _ []string) error {
	p := func(s string) (units.Quantity, error) { return units.Parse(s) }
	dosePerKg, err := p("0.5 mg/kg")
	if err != nil {
		return err
	}
	weight, err := p("176 lb")
	if err != nil {
		return err
	}
	stock, err := p("10 mg/mL")
	if err != nil {
		return err
	}
	duration, err := p("40 min")
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Parsing, dimension algebra and exact conversion")
	kg, err := weight.Convert(units.Kilogram)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  weight         %v = %v (1 lb = 0.45359237 kg exactly)\n", weight, kg)
	dose, err := dosePerKg.Mul(kg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  dose           %v × %v = %v\n", dosePerKg, kg, dose)
	volume, err := dose.Div(stock)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  volume         %v ÷ %v = %v\n", dose, stock, volume)
	drawStep, err := p("0.1 mL")
	if err != nil {
		return err
	}
	drawn, changed, err := volume.RoundTo(drawStep, units.RoundHalfUp)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  draw           %v to the nearest %v = %v (rounded: %t)\n", volume, drawStep, drawn, changed)
	rate, err := dosePerKg.Div(duration)
	if err != nil {
		return err
	}
	perMin, err := rate.Convert(units.McgPerKgPerMin)
	if err != nil {
		return err
	}
	perHour, err := rate.Convert(units.MgPerKgPerHour)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  dose rate      %v over %v = %v = %v\n", dosePerKg, duration, perMin, perHour)

	fmt.Fprintln(w, "\nISMP display")
	for _, s := range []string{"0.50 mg", "5.0 mg", "1000 mg", "12 ug", "2 device", "100000 units"} {
		q, err := p(s)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-14q -> %v\n", s, q)
	}

	fmt.Fprintln(w, "\nRefused input, with what to write instead")
	for _, s := range []string{".5 mg", "5 cc", "10 U", "1,000 mg", "0.5 mg/kg/d"} {
		if _, err := p(s); err != nil {
			fmt.Fprintf(w, "  %v\n", err)
		}
	}
	mg500, err := p("500 mg")
	if err != nil {
		return err
	}
	if _, err := dosePerKg.Mul(mg500); err != nil {
		fmt.Fprintf(w, "  %v\n", err)
	}
	return nil
}
