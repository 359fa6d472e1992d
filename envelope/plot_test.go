//go:build !doseplan_noplot

package envelope

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
)

// share returns the fraction of the image's pixels of exactly colour c.
func shareOf(img image.Image, c color.RGBA) float64 {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				n++
			}
		}
	}
	return float64(n) / float64(b.Dx()*b.Dy())
}

func TestPlotColoursByStatus(t *testing.T) {
	iv, ladder := ivRule(t)
	opt := Options{Weights: Axis{From: q("60 kg"), To: q("80 kg"), Step: q("10 kg")}, Heights: Axis{From: q("170 cm"), To: q("180 cm"), Step: q("5 cm")}}
	tests := []struct {
		name      string
		age       dosing.Years
		main, not Status
	}{
		// At 17 years every patient is refused: outside the population.
		{"all refused", 17, StatusRefusedPopulation, StatusWithin},
		// 60–80 kg at 170–180 cm, 40 years: BMI 18.5 to 27.7, within the
		// limits at 0.5 mg/kg.
		{"all within", 40, StatusWithin, StatusRefusedPopulation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opt
			o.Ages = []dosing.Years{tt.age}
			o.Levels = []int{1}
			env, err := evaluate(iv, ladder, o)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := env.Plot(&b, PlotOptions{Format: PNG}); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&b)
			if err != nil {
				t.Fatal(err)
			}
			// The two panels fill about half the picture; the legend's
			// swatch of a status is a few hundred pixels.
			if s := shareOf(img, statusColors[tt.main]); s < 0.2 {
				t.Errorf("%v covers %.3f of the map, want most of the panels", tt.main, s)
			}
			if s := shareOf(img, statusColors[tt.not]); s > 0.005 {
				t.Errorf("%v covers %.3f of the map, want only its legend swatch", tt.not, s)
			}
		})
	}
}

func TestPlotSVGIsLabelled(t *testing.T) {
	iv, ladder := ivRule(t)
	env, err := evaluate(iv, ladder, Options{Weights: Axis{From: q("40 kg"), To: q("200 kg"), Step: q("40 kg")},
		Heights: Axis{From: q("140 cm"), To: q("200 cm"), Step: q("20 cm")}, Keep: []string{"pump_rate"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		opt  PlotOptions
		want []string
	}{
		{PlotOptions{Format: SVG}, append([]string{dosing.Notice, "level 3: 0.75 mg/kg, 18 years", "weight (kg)", "height (cm)", "male", "female"}, statusNames[:]...)},
		{PlotOptions{Format: SVG, Level: 1, Age: 18, Output: "pump_rate"}, []string{dosing.Notice, "level 1: 0.5 mg/kg, 18 years",
			"pump rate (mL/h) of each grid patient with a result", "no result: refused"}},
	} {
		var b bytes.Buffer
		if err := env.Plot(&b, tt.opt); err != nil {
			t.Fatal(err)
		}
		// The SVG is well formed, and its text says what the map shows.
		var text strings.Builder
		d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%+v: not XML: %v", tt.opt, err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				text.Write(cd)
				text.WriteString("\n")
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(text.String(), w) {
				t.Errorf("%+v: no text %q in the SVG", tt.opt, w)
			}
		}
	}
}

func TestPlotErrors(t *testing.T) {
	iv, ladder := ivRule(t)
	env, err := evaluate(iv, ladder, Options{Weights: Axis{From: q("60 kg"), To: q("80 kg"), Step: q("10 kg")},
		Heights: Axis{From: q("170 cm"), To: q("180 cm"), Step: q("10 cm")}, Levels: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		opt  PlotOptions
		want string
	}{
		{PlotOptions{}, `envelope: format "invalid format": must be png or svg`},
		{PlotOptions{Format: PNG, Level: 1}, `envelope: level "1": is not a level of the envelope`},
		{PlotOptions{Format: PNG, Age: 40}, `envelope: age "40 years": is not an age of the grid`},
		{PlotOptions{Format: PNG, Output: "dose"}, `envelope: output "dose": was not kept: evaluate with Options.Keep naming it (dosing_weight, dose, dose_per_kg, dose_per_kg_actual, draw_volume, final_volume, final_concentration, pump_rate, duration, dose_rate, dose_rate_per_kg, dose_rate_per_kg_min, rounding.dose, rounding.draw_volume, rounding.pump_rate)`},
	} {
		err := env.Plot(io.Discard, tt.opt)
		var ie *FieldError
		if err == nil || err.Error() != tt.want || !errors.As(err, &ie) {
			t.Errorf("%+v: err %v, want %s", tt.opt, err, tt.want)
		}
	}
}

// TestStatusesTellApartWithoutColour: every status but "within the
// limits" has a glyph of its own, and every status a colour of its own.
func TestStatusesTellApartWithoutColour(t *testing.T) {
	for a := range numStatus {
		for b := a + 1; b < numStatus; b++ {
			if statusColors[a] == statusColors[b] {
				t.Errorf("%v and %v share a colour", a, b)
			}
			if reflect.TypeOf(statusGlyphs[a]) == reflect.TypeOf(statusGlyphs[b]) {
				t.Errorf("%v and %v share a glyph", a, b)
			}
		}
	}
}
