package pk_test

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"strings"
	"testing"

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
	p, err := m.Predict(pk.Patient{Weight: q("70 kg"), AgeYears: 45}, []pk.Administration{
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
	if err := plotted(t).Plot(&svg, pk.SVG, q("4 h")); err != nil {
		t.Fatal(err)
	}
	got := svgStructure(t, &svg)
	golden.Check(t, "plot-svg-structure", []byte(got))
	for _, must := range []string{"Domino model", pk.Estimate, "time (min)", "concentration (ng/mL)", "infusion", "bolus", "Cp (plasma)", "Ce (effect site)"} {
		if !strings.Contains(got, must) {
			t.Errorf("the SVG has no text %q", must)
		}
	}
}

func TestPlotPNG(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := plotted(t).Plot(&b, pk.PNG, q("4 h")); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	// 16 cm × 10 cm at 150 dpi.
	if got, want := img.Bounds().Size(), (struct{ X, Y int }{945, 591}); got.X != want.X || got.Y != want.Y {
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
	p, err := m.Predict(pk.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("35 mg"), q("40 min"))})
	if err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := p.Plot(&svg, pk.SVG, q("30 min")); err != nil {
		t.Fatal(err)
	}
	got := svgStructure(t, &svg)
	if strings.Contains(got, "Ce (effect site)") || !strings.Contains(got, "Cp (plasma)") {
		t.Errorf("legend of a model without ke0:\n%s", got)
	}
}
