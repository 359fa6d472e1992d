//go:build !doseplan_noplot

package pk

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// plotPoints is the number of steps across a plot; event times are added so
// the corners at the start and end of an infusion are drawn sharp.
const plotPoints = 600

// Plot draws Cp (and Ce, when the model has ke0) from time 0 to o.To, with
// infusions shaded, boluses marked and o.Threshold drawn, and writes the
// image to w in o.Format. The title names the model, the drug, the weight
// and every administration, and says the curves are a model estimate; the
// axes carry their units (min, ng/mL); the foot carries the verification
// notice. Plots are drawn from the float64 solution and are not rounded:
// they are pictures, not numbers to read off.
func (p *Prediction) Plot(w io.Writer, o PlotOptions) error {
	c := &checker{}
	end := c.time("to", o.To, true)
	if o.To.IsValid() && o.To.Sign() == 0 {
		c.add(fieldError("to", o.To.String(), "greater than 0 min", ErrRange))
	}
	if o.Format != PNG && o.Format != SVG {
		c.add(fieldError("format", o.Format.String(), "png or svg", ErrRange))
	}
	limit := math.NaN()
	if o.Threshold.IsValid() {
		n := len(c.errs)
		c.value("threshold", o.Threshold, units.NgPerML, "a concentration", false, units.NewInt(1000000000, units.NgPerML))
		if len(c.errs) == n {
			ng, _ := o.Threshold.Convert(units.NgPerML)
			limit = ng.InexactFloat64()
		}
	}
	if err := c.err(); err != nil {
		return err
	}

	times := make([]float64, 0, plotPoints+2*len(p.doses)+1)
	for i := 0; i <= plotPoints; i++ {
		times = append(times, end*float64(i)/plotPoints)
	}
	for _, t := range p.events() {
		if t < end {
			// Just before and at an event, so a bolus is drawn as a jump.
			times = append(times, math.Nextafter(t, math.Inf(-1)), t)
		}
	}
	slices.Sort(times)
	hasCe := p.sys.ke0 > 0
	cp := make(plotter.XYs, 0, len(times))
	ce := make(plotter.XYs, 0, len(times))
	top := 0.0
	for _, t := range times {
		if t < 0 {
			continue
		}
		a, e := p.sys.state(p.doses, t, hasCe)
		var x, y float64
		for i := 0; i < p.sys.modes; i++ {
			x += p.sys.c[i] * a[i]
			y += p.sys.c[i] * e[i]
		}
		cp = append(cp, plotter.XY{X: t, Y: x})
		ce = append(ce, plotter.XY{X: t, Y: y})
		top = math.Max(top, math.Max(x, y))
	}
	if !math.IsNaN(limit) {
		top = math.Max(top, limit)
	}
	if top == 0 || math.IsNaN(top) || math.IsInf(top, 0) {
		top = 1
	}

	pl := plot.New()
	pl.Title.Text = fmt.Sprintf("%s model, %s, %v: predicted concentration\n%s\n%s",
		p.ModelName, p.Model.p.Drug, p.Weight, p.given(), Estimate)
	pl.X.Label.Text = "time (min)"
	pl.Y.Label.Text = "concentration (ng/mL)"
	pl.X.Min, pl.X.Max = 0, end
	pl.Y.Min, pl.Y.Max = 0, 1.1*top
	// Label every major tick, the ISMP way: no trailing zeros ("250", not
	// "250.00"); gonum's default would print two ends with two decimals.
	pl.X.Tick.Marker = ismpTicks{}
	pl.Y.Tick.Marker = ismpTicks{}
	pl.Add(plotter.NewGrid())
	pl.Legend.Top = true

	shade := color.RGBA{R: 200, G: 215, B: 235, A: 255}
	var infusionShown, bolusShown bool
	for _, d := range p.doses {
		if d.start >= end {
			continue
		}
		if d.dur == 0 {
			l, err := plotter.NewLine(plotter.XYs{{X: d.start, Y: 0}, {X: d.start, Y: 1.1 * top}})
			if err != nil {
				return err
			}
			l.Color = color.Gray{Y: 110}
			l.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
			pl.Add(l)
			if !bolusShown {
				pl.Legend.Add("bolus", l)
				bolusShown = true
			}
			continue
		}
		x1 := math.Min(d.start+d.dur, end)
		poly, err := plotter.NewPolygon(plotter.XYs{{X: d.start, Y: 0}, {X: x1, Y: 0}, {X: x1, Y: 1.1 * top}, {X: d.start, Y: 1.1 * top}})
		if err != nil {
			return err
		}
		poly.Color = shade
		poly.LineStyle.Width = 0
		pl.Add(poly)
		if !infusionShown {
			pl.Legend.Add("infusion", poly)
			infusionShown = true
		}
	}
	if !math.IsNaN(limit) {
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: limit}, {X: end, Y: limit}})
		if err != nil {
			return err
		}
		l.Color = color.RGBA{R: 150, G: 30, B: 120, A: 255}
		l.Width = vg.Points(1)
		l.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
		pl.Add(l)
		pl.Legend.Add("threshold "+o.Threshold.String(), l)
	}

	lcp, err := plotter.NewLine(cp)
	if err != nil {
		return err
	}
	lcp.Color = color.RGBA{R: 20, G: 60, B: 160, A: 255}
	lcp.Width = vg.Points(1.5)
	pl.Add(lcp)
	pl.Legend.Add("Cp (plasma)", lcp)
	if hasCe {
		lce, err := plotter.NewLine(ce)
		if err != nil {
			return err
		}
		lce.Color = color.RGBA{R: 190, G: 70, B: 20, A: 255}
		lce.Width = vg.Points(1.5)
		lce.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		pl.Add(lce)
		pl.Legend.Add("Ce (effect site)", lce)
	}
	pl.Legend.Padding = vg.Points(2)

	const width, height = 16 * vg.Centimeter, 11 * vg.Centimeter
	var cv vg.CanvasSizer
	if o.Format == SVG {
		cv = vgsvg.New(width, height)
	} else {
		cv = vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(150)) // sharp enough to print
	}
	drawWithNotice(pl, draw.New(cv))
	if svg, ok := cv.(*vgsvg.Canvas); ok {
		_, err = svg.WriteTo(w)
		return err
	}
	_, err = vgimg.PngCanvas{Canvas: cv.(*vgimg.Canvas)}.WriteTo(w)
	return err
}

// drawWithNotice draws the plot above a foot line carrying the verification
// notice, so the picture never travels without it.
func drawWithNotice(pl *plot.Plot, dc draw.Canvas) {
	sty := pl.X.Label.TextStyle
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
	foot := sty.Rectangle(dosing.Notice).Size().Y + vg.Points(4)
	dc.FillText(sty, vg.Point{X: dc.Center().X, Y: dc.Min.Y + vg.Points(2)}, dosing.Notice)
	pl.Draw(draw.Crop(dc, 0, 0, foot, 0))
}

// given describes the administrations as the title shows them: each with
// its amount (and its mg for a per-kg dose), its duration and its start;
// more than three as a count and a total.
func (p *Prediction) given() string {
	var parts []string
	total := units.NewInt(0, units.Milligram)
	for _, a := range p.Administrations {
		mg := p.milligrams(a.Amount)
		total, _ = total.Add(mg)
		amount := a.Amount.String()
		if !mg.Equal(a.Amount) {
			amount += " (" + mg.String() + ")"
		}
		if a.Duration.IsValid() && a.Duration.Sign() > 0 {
			parts = append(parts, amount+" over "+a.Duration.String()+" from "+a.Start.String())
		} else {
			parts = append(parts, amount+" bolus at "+a.Start.String())
		}
	}
	if len(parts) > 3 {
		return fmt.Sprintf("%d administrations, %v in all, the first %s", len(parts), total, parts[0])
	}
	return strings.Join(parts, "; ")
}

// milligrams returns an amount in mg: a per-kg dose times the weight. Both
// were checked by Predict.
func (p *Prediction) milligrams(amount units.Quantity) units.Quantity {
	mg := amount
	if amount.Dimension() == units.MgPerKg.Dimension() {
		mg, _ = amount.Mul(p.Weight)
	}
	mg, _ = mg.Convert(units.Milligram)
	return mg
}

// ismpTicks places ticks at 1, 2 or 5 × 10ⁿ, about five to eight labelled
// ones over the range, labelled without trailing zeros.
type ismpTicks struct{}

// Ticks implements plot.Ticker.
func (ismpTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	// As many decimals as the step has, then trimmed: 0.15, never the
	// float64 product 0.15000000000000002.
	decimals := int(math.Max(0, math.Ceil(-math.Log10(step)-1e-9)))
	var ticks []plot.Tick
	for i := math.Ceil(lo / step); i*step <= hi+step*1e-9; i++ {
		v := i * step
		label := strconv.FormatFloat(v, 'f', decimals, 64)
		if strings.Contains(label, ".") {
			label = strings.TrimRight(strings.TrimRight(label, "0"), ".")
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: label})
		if len(ticks) > 50 {
			break
		}
	}
	return ticks
}
