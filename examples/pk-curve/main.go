package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// times are the columns of clinical.md §8.2.
var times = []string{"10 min", "20 min", "30 min", "40 min", "45 min", "60 min", "120 min", "240 min"}

func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("pk-curve", flag.ContinueOnError)
	fs.SetOutput(w)
	weightText := fs.String("weight", "70 kg", "patient weight")
	age := fs.Int("age", 0, "age in completed years, checked against each model's validity range (0: not given)")
	doseText := fs.String("dose", "0.5 mg/kg", "dose, in mg or per kg")
	overText := fs.String("over", "40 min", "infusion duration")
	belowText := fs.String("below", "50 ng/mL", "threshold for the time below")
	plotDir := fs.String("plot", "", "write one chart per model into this directory")
	formatText := fs.String("format", "svg", "chart format: svg or png")
	if err := fs.Parse(args); err != nil {
		return err
	}
	weight, err := units.Parse(*weightText)
	if err != nil {
		return err
	}
	dose, err := units.Parse(*doseText)
	if err != nil {
		return err
	}
	over, err := units.Parse(*overText)
	if err != nil {
		return err
	}
	threshold, err := units.Parse(*belowText)
	if err != nil {
		return err
	}
	format := pk.SVG
	switch *formatText {
	case "svg":
	case "png":
		format = pk.PNG
	default:
		return fmt.Errorf("pk-curve: -format %q: allowed: svg or png", *formatText)
	}

	patient := dosing.Patient{Weight: weight, AgeYears: dosing.Years(*age)}
	admins := []pk.Administration{pk.Infusion(dose, over)}
	var preds []*pk.Prediction
	for _, m := range pk.Models() {
		p, err := m.Predict(patient, admins)
		if err != nil {
			return err
		}
		preds = append(preds, p)
	}

	fmt.Fprintf(w, "Predicted plasma ketamine concentration (Cp) for %v, %v over %v\n", weight, dose, over)
	fmt.Fprintf(w, "Every number below is a %s, in ng/mL at 0.01 ng/mL.\n\n", pk.Estimate)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "  time")
	for _, p := range preds {
		fmt.Fprintf(tw, "\t%s", p.ModelName)
	}
	fmt.Fprintln(tw)
	for _, at := range times {
		t, err := units.Parse(at)
		if err != nil {
			return err
		}
		fmt.Fprintf(tw, "  %v", t)
		for _, p := range preds {
			s, err := p.At(t)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "\t%v", s.Cp)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	for _, p := range preds {
		if err := summary(w, p, threshold); err != nil {
			return err
		}
	}

	if *plotDir != "" {
		if err := os.MkdirAll(*plotDir, 0o755); err != nil {
			return err
		}
		fmt.Fprintln(w)
		for _, p := range preds {
			name := filepath.Join(*plotDir, "pk-curve-"+p.Model.Parameters().ID+"."+format.String())
			if err := writePlot(name, p, format, threshold); err != nil {
				return err
			}
			fmt.Fprintf(w, "wrote %s\n", name)
		}
	}
	return nil
}

// summary prints one model's peaks, end-of-infusion level, time below the
// threshold, kinetics and warnings.
func summary(w io.Writer, p *pk.Prediction, threshold units.Quantity) error {
	fmt.Fprintf(w, "\n%s (%s)\n", p.ModelName, pk.Estimate)
	fmt.Fprintf(w, "  source: %s\n", p.Citation)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	peak, err := p.Peak(pk.Plasma)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "  Cmax, plasma\t%v at %v\n", peak.Cp, peak.Time)
	effect, err := p.Peak(pk.EffectSite)
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "  Cmax, effect site\t%v at %v\n", effect.Ce, effect.Time)
	end, err := p.EndOfInfusion()
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "  end of infusion\t%v at %v\n", end.Cp, end.Time)
	below, reached, err := p.TimeBelow(pk.Plasma, threshold)
	switch {
	case err != nil:
		return err
	case reached:
		fmt.Fprintf(tw, "  Cp below %v\tfrom %v\n", threshold, below)
	default:
		fmt.Fprintf(tw, "  Cp below %v\talways (never reached)\n", threshold)
	}
	k, err := p.Kinetics()
	if err != nil {
		return err
	}
	var hl []string
	for _, h := range k.HalfLives {
		hl = append(hl, h.String())
	}
	fmt.Fprintf(tw, "  half-lives\t%s\n", strings.Join(hl, ", "))
	for _, warn := range p.Warnings {
		fmt.Fprintf(tw, "  warning\t%s\n", warn)
	}
	return tw.Flush()
}

// writePlot draws one model's curves over the table's window, with the
// threshold of -below.
func writePlot(name string, p *pk.Prediction, format pk.Format, threshold units.Quantity) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	window, err := units.Parse(times[len(times)-1])
	if err != nil {
		return err
	}
	if err := p.Plot(f, pk.PlotOptions{Format: format, To: window, Threshold: threshold}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
