//go:build !doseplan_noplot

package pk_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/internal/golden"
	"github.com/doseplan/doseplan/units"
)

func plotted(t *testing.T) *pk.Prediction {
	t.Helper()
	m, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg"), AgeYears: 45}, []pk.Administration{
		pk.Infusion(q("0.5 mg/kg"), q("40 min")),
		{Start: q("90 min"), Amount: q("10 mg")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// svgStructure describes an SVG by what a reader sees rather than by its
// pixels: the root element's size and every text that is not a tick number
// (tick numbers follow float axis ranges, so they may differ by platform).
func svgStructure(t *testing.T, r io.Reader) string {
	t.Helper()
	var b strings.Builder
	dec := xml.NewDecoder(r)
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "svg" {
				b.WriteString("svg")
				for _, a := range el.Attr {
					if a.Name.Local == "width" || a.Name.Local == "height" {
						b.WriteString(" " + a.Name.Local + "=" + a.Value)
					}
				}
				b.WriteString("\n")
			}
			inText = el.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if s := strings.TrimSpace(string(el)); inText && s != "" && strings.Trim(s, "0123456789.") != "" {
				b.WriteString("text: " + s + "\n")
			}
		}
	}
	return b.String()
}

func TestPlotSVGStructure(t *testing.T) {
	t.Parallel()
	var svg bytes.Buffer
	if err := plotted(t).Plot(&svg, pk.PlotOptions{Format: pk.SVG, To: q("4 h"), Threshold: q("100 ng/mL")}); err != nil {
		t.Fatal(err)
	}
	got := svgStructure(t, &svg)
	golden.Check(t, "plot-svg-structure", []byte(got))
	for _, must := range []string{"Domino model", pk.Estimate, "time (min)", "concentration (ng/mL)", "infusion", "bolus", "Cp (plasma)", "Ce (effect site)",
		"0.5 mg/kg (35 mg) over 40 min from 0 min; 10 mg bolus at 90 min", "threshold 100 ng/mL", dosing.Notice} {
		if !strings.Contains(got, must) {
			t.Errorf("the SVG has no text %q", must)
		}
	}
}

func TestPlotPNG(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := plotted(t).Plot(&b, pk.PlotOptions{Format: pk.PNG, To: q("4 h")}); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	// 16 cm × 11 cm at 150 dpi: 16 / 2.54 × 150 = 944.9, 11 / 2.54 × 150 = 649.6.
	if got, want := img.Bounds().Size(), (struct{ X, Y int }{945, 650}); got.X != want.X || got.Y != want.Y {
		t.Errorf("PNG size = %v, want %dx%d", got, want.X, want.Y)
	}
}

// A window that ends mid-infusion and a model without ke0 still plot, with
// no effect-site curve.
func TestPlotWithoutEffectSite(t *testing.T) {
	t.Parallel()
	params := twoCompartments()
	params.Ke0 = units.Quantity{}
	m, err := pk.New(params)
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("35 mg"), q("40 min"))})
	if err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := p.Plot(&svg, pk.PlotOptions{Format: pk.SVG, To: q("30 min")}); err != nil {
		t.Fatal(err)
	}
	got := svgStructure(t, &svg)
	if strings.Contains(got, "Ce (effect site)") || !strings.Contains(got, "Cp (plasma)") {
		t.Errorf("legend of a model without ke0:\n%s", got)
	}
}

// The threshold is drawn where its value lies on the concentration axis:
// three plots with thresholds 50, 100 and 150 ng/mL (the axis, set by the
// curves, is the same in all three) put their lines on equally spaced rows,
// the higher threshold higher up. The legend's sample of the line, on the
// same row in all three, is left out. (16 cm × 11 cm at 150 dpi; the
// axis runs to 1.1 × the bolus peak of about 2,290 ng/mL, so 50 ng/mL is
// about 8.5 pixels.)
func TestPlotDrawsTheThresholdAtItsLevel(t *testing.T) {
	t.Parallel()
	p := plotted(t)
	purple := func(r, g, b uint32) bool { // the threshold's colour, 150, 30, 120, give or take antialiasing
		d := func(x uint32, want int) bool { return int(x>>8)-want < 40 && want-int(x>>8) < 40 }
		return d(r, 150) && d(g, 30) && d(b, 120)
	}
	rows := map[string]map[int]int{} // threshold → row → purple pixels
	for _, th := range []string{"50 ng/mL", "100 ng/mL", "150 ng/mL"} {
		var b bytes.Buffer
		if err := p.Plot(&b, pk.PlotOptions{Format: pk.PNG, To: q("4 h"), Threshold: q(th)}); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatal(err)
		}
		rows[th] = map[int]int{}
		for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
			for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
				if r, g, bl, _ := img.At(x, y).RGBA(); purple(r, g, bl) {
					rows[th][y]++
				}
			}
		}
	}
	// The line is the rows with at least 50 purple pixels (the legend's
	// sample has 8, antialiased curves a few): its centre, weighted.
	line := func(th string) float64 {
		sum, n := 0.0, 0
		for y, c := range rows[th] {
			if c >= 50 {
				sum += float64(y * c)
				n += c
			}
		}
		if n == 0 {
			t.Fatalf("threshold %s: no line across the plot: %v", th, rows[th])
		}
		return sum / float64(n)
	}
	r50, r100, r150 := line("50 ng/mL"), line("100 ng/mL"), line("150 ng/mL")
	if !(r150 < r100 && r100 < r50) || math.Abs(r50-r100-(r100-r150)) > 1.5 {
		t.Errorf("threshold rows 50: %.1f, 100: %.1f, 150 ng/mL: %.1f; want equally spaced, higher values higher", r50, r100, r150)
	}
}
