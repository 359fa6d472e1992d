//go:build !doseplan_noplot

package envelope

import (
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// The colours of the statuses: light enough for the black pattern drawn
// over them, and told apart by their pattern as well (a grey print or a
// reader who does not see colour loses nothing).
var statusColors = [numStatus]color.RGBA{
	{R: 199, G: 233, B: 192, A: 255}, // within: light green
	{R: 166, G: 206, B: 227, A: 255}, // capped: light blue
	{R: 202, G: 178, B: 214, A: 255}, // stretched: lilac
	{R: 255, G: 241, B: 168, A: 255}, // review patient: pale yellow
	{R: 253, G: 191, B: 111, A: 255}, // review weight: light orange
	{R: 244, G: 140, B: 100, A: 255}, // review limit: orange-red
	{R: 210, G: 210, B: 210, A: 255}, // refused input: light grey
	{R: 222, G: 90, B: 90, A: 255},   // refused limit: red
	{R: 150, G: 150, B: 150, A: 255}, // refused population: grey
}

// The pattern of each status: a glyph drawn on a sparse lattice of the
// map's cells. Within the limits has none.
var statusGlyphs = [numStatus]draw.GlyphDrawer{
	nil,
	draw.PlusGlyph{},
	draw.CircleGlyph{},
	draw.RingGlyph{},
	draw.SquareGlyph{},
	draw.TriangleGlyph{},
	draw.PyramidGlyph{},
	draw.CrossGlyph{},
	draw.BoxGlyph{},
}

var noValue = color.RGBA{R: 235, G: 235, B: 235, A: 255} // a patient without the output: refused

// Plot draws one level of the envelope as a map: weight across, height
// up, one panel per sex, every grid patient a cell, coloured by its
// status (with a pattern and a legend naming each status) or by the value
// of an output (with a colour bar in the output's unit, and the status
// pattern over patients refused or needing review). The title names the
// protocol, the level and the age and carries the verification notice.
// The colours come from float64 copies of the exact values: a map is a
// picture, not numbers to read off.
func (env *Envelope) Plot(w io.Writer, opt PlotOptions) error {
	if opt.Format != PNG && opt.Format != SVG {
		return &FieldError{Field: "format", Value: opt.Format.String(), Msg: "must be png or svg", Err: ErrRange}
	}
	li := len(env.Levels) - 1
	if opt.Level != 0 {
		li = -1
		for i, l := range env.Levels {
			if l.Number == opt.Level {
				li = i
			}
		}
		if li < 0 {
			return &FieldError{Field: "level", Value: strconv.Itoa(opt.Level), Msg: "is not a level of the envelope", Err: ErrRange}
		}
	}
	if li < 0 {
		return &FieldError{Field: "level", Msg: "the envelope has no level", Err: ErrMissing}
	}
	L := &env.Levels[li]
	g := env.Grid
	ai, err := env.plotAge(L, opt.Age)
	if err != nil {
		return err
	}
	byStatus := opt.Output == "" || opt.Output == "status"
	var values []float64
	var name, unit string
	if !byStatus {
		var ok bool
		if values, ok = L.kept[opt.Output]; !ok {
			return &FieldError{Field: "output", Value: opt.Output, Msg: "was not kept: evaluate with Options.Keep naming it (" + strings.Join(env.outputIDs(), ", ") + ")", Err: ErrRange}
		}
		for _, o := range env.output {
			if o.id == opt.Output {
				name = o.name
			}
		}
		for _, r := range L.Ranges {
			if r.Output == opt.Output {
				unit = r.Min.Value.Unit().String()
			}
		}
	}
	nh, nw, na := len(g.heights), len(g.weights), len(g.Ages)
	status := func(s, h, w int) Status {
		return env.sets[L.cells[((s*na+ai)*nh+h)*nw+w]].status
	}

	// The value range and its colour map, for an output.
	var cmap palette.ColorMap
	lo, hi := math.Inf(1), math.Inf(-1)
	if !byStatus {
		for _, v := range values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		if lo > hi { // no patient has a value
			lo, hi = 0, 1
		}
		if lo == hi {
			lo, hi = lo-0.5, hi+0.5
		}
		cmap = moreland.Kindlmann()
		cmap.SetMin(lo)
		cmap.SetMax(hi)
	}

	const width, height = 26 * vg.Centimeter, 15 * vg.Centimeter
	var cv vg.CanvasWriterTo
	if opt.Format == SVG {
		cv = vgsvg.New(width, height)
	} else {
		cv = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(110))}
	}
	dc := draw.New(cv)
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	proto := plot.New() // for its fonts
	titleStyle, textStyle := proto.Title.TextStyle, proto.Legend.TextStyle
	titleStyle.XAlign, textStyle.XAlign = draw.XCenter, draw.XLeft

	// Title: the protocol, the level, the age; then what the map shows
	// and the notice.
	what := "status of each grid patient"
	if !byStatus {
		what = name + " (" + unit + ") of each grid patient with a result"
	}
	level := "level " + strconv.Itoa(L.Number)
	if L.Dose.IsValid() {
		level += ": " + L.Dose.String()
	}
	lines := []string{
		env.Provenance.Name + " — " + level + ", " + ageText(g.Ages[ai]),
		what + " (steps " + g.Weights.Step.String() + " × " + g.Heights.Step.String() + ") — " + env.Notice,
	}
	top := dc.Max.Y - vg.Points(6)
	for i, l := range lines {
		st := titleStyle
		if i > 0 {
			st = textStyle
			st.XAlign = draw.XCenter
		}
		st.YAlign = draw.YTop
		dc.FillText(st, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: top}, l)
		top -= st.Font.Size * 1.5
	}

	// The legend or the colour bar, at the bottom.
	legendH := 2.4 * vg.Centimeter
	if byStatus {
		var n [numStatus]int
		for s := range g.Sexes {
			for h := range nh {
				for w := range nw {
					n[status(s, h, w)]++
				}
			}
		}
		var entries []legendEntry
		for st := range numStatus {
			entries = append(entries, legendEntry{fill: statusColors[st], glyph: st, text: st.String() + " (" + count(n[st]) + ")"})
		}
		drawLegend(dc, dc.Min.Y+legendH, 3, textStyle, entries)
	} else {
		bar := plot.New()
		bar.HideY()
		bar.X.Label.Text = name + " (" + unit + ")"
		bar.X.Tick.Marker = ticks{}
		bar.Add(&plotter.ColorBar{ColorMap: cmap})
		bar.X.Min, bar.X.Max = lo, hi
		bar.Draw(draw.Crop(dc, vg.Centimeter, -width/2, vg.Points(4), legendH-dc.Max.Y+dc.Min.Y-vg.Points(6)))
		// What the pattern over the colours means.
		var n [numStatus]int
		for s := range g.Sexes {
			for h := range nh {
				for w := range nw {
					n[status(s, h, w)]++
				}
			}
		}
		entries := []legendEntry{{fill: noValue, glyph: StatusWithin, text: "no result: refused"}}
		for st := StatusReviewPatient; st < numStatus; st++ {
			if n[st] > 0 {
				entries = append(entries, legendEntry{fill: color.White, glyph: st, text: st.String() + " (" + count(n[st]) + ")"})
			}
		}
		drawLegend(draw.Crop(dc, width/2, 0, 0, 0), dc.Min.Y+legendH, 2, textStyle, entries)
	}

	// The panels, one per sex.
	area := draw.Crop(dc, 0, 0, legendH, top-dc.Max.Y-vg.Points(4))
	plots := make([][]*plot.Plot, 1)
	for s, sex := range g.Sexes {
		p := plot.New()
		p.Title.Text = sexText(sex)
		p.X.Label.Text = "weight (" + g.Weights.From.Unit().String() + ")"
		p.Y.Label.Text = "height (" + g.Heights.From.Unit().String() + ")"
		p.X.Tick.Marker, p.Y.Tick.Marker = ticks{}, ticks{}
		grid := newCellGrid(g.weights, g.heights)
		var pal palette.Palette
		if byStatus {
			grid.z = func(c, r int) float64 { return float64(status(s, r, c)) }
			pal = statusPalette{}
			grid.min, grid.max = 0, float64(numStatus-1)
		} else {
			off := (s*na + ai) * nh * nw
			grid.z = func(c, r int) float64 { return values[off+r*nw+c] }
			pal = cmap.Palette(255)
			grid.min, grid.max = lo, hi
		}
		hm := plotter.NewHeatMap(grid, pal)
		hm.Rasterized = true
		hm.NaN = noValue
		p.Add(hm)
		// The pattern: a glyph per status on every k-th cell both ways
		// (none for "within the limits"; on a value map, only over
		// patients refused or needing review).
		k := max(1, (max(nw, nh)+23)/24)
		var pts [numStatus][2]plotter.XYs // [status][dark background]
		for h := k / 2; h < nh; h += k {
			for w := k / 2; w < nw; w += k {
				st := status(s, h, w)
				if !byStatus && st < StatusReviewPatient {
					continue
				}
				dark := 0
				if !byStatus {
					if v := grid.z(w, h); !math.IsNaN(v) {
						if c, err := cmap.At(v); err == nil && contrast(c) == color.White {
							dark = 1
						}
					}
				}
				pts[st][dark] = append(pts[st][dark], plotter.XY{X: grid.X(w), Y: grid.Y(h)})
			}
		}
		for st, byBg := range pts {
			for dark, xy := range byBg {
				if len(xy) == 0 || statusGlyphs[st] == nil {
					continue
				}
				sc, err := plotter.NewScatter(xy)
				if err != nil {
					return err
				}
				c := color.Color(color.Gray{Y: 30})
				if dark == 1 {
					c = color.White
				}
				sc.GlyphStyle = glyphStyle(Status(st), c)
				p.Add(sc)
			}
		}
		plots[0] = append(plots[0], p)
	}
	tiles := draw.Tiles{Rows: 1, Cols: len(plots[0]), PadX: vg.Centimeter, PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align(plots, tiles, area)
	for i, p := range plots[0] {
		p.Draw(canvases[0][i])
	}
	_, err = cv.WriteTo(w)
	return err
}

func glyphStyle(s Status, c color.Color) draw.GlyphStyle {
	return draw.GlyphStyle{Color: c, Radius: vg.Points(2.2), Shape: statusGlyphs[s]}
}

// contrast returns a glyph colour that shows on the fill: near black on a
// light fill, white on a dark one.
func contrast(fill color.Color) color.Color {
	r, g, b, _ := fill.RGBA()
	if 0.2126*float64(r)+0.7152*float64(g)+0.0722*float64(b) < 0.5*0xffff {
		return color.White
	}
	return color.Gray{Y: 30}
}

func (env *Envelope) outputIDs() []string {
	var ids []string
	for _, o := range env.output {
		ids = append(ids, o.id)
	}
	return ids
}

// plotAge finds the index of the age to plot.
func (env *Envelope) plotAge(L *Level, age dosing.Years) (int, error) {
	g := env.Grid
	if age != 0 {
		for i, a := range g.Ages {
			if a == age {
				return i, nil
			}
		}
		return 0, &FieldError{Field: "age", Value: age.String(), Msg: "is not an age of the grid", Err: ErrRange}
	}
	per := len(g.heights) * len(g.weights)
	for a := range g.Ages {
		for s := range g.Sexes {
			off := (s*len(g.Ages) + a) * per
			for _, c := range L.cells[off : off+per] {
				if env.sets[c].severity != Refused {
					return a, nil
				}
			}
		}
	}
	return 0, nil
}

// legendEntry is a swatch, a pattern glyph and a text.
type legendEntry struct {
	fill  color.Color
	glyph Status // its glyph; StatusWithin has none
	text  string
}

// drawLegend draws the entries in columns, top to bottom, from the given
// height down, each column as wide as its longest text.
func drawLegend(dc draw.Canvas, top vg.Length, cols int, st draw.TextStyle, entries []legendEntry) {
	rows := (len(entries) + cols - 1) / cols
	sw := vg.Points(9)
	rowH := st.Font.Size * 1.6
	x := dc.Min.X + vg.Centimeter
	for c := range cols {
		colW := vg.Length(0)
		for r := range rows {
			i := c*rows + r
			if i >= len(entries) {
				break
			}
			e := entries[i]
			y := top - vg.Length(r+1)*rowH
			box := []vg.Point{{X: x, Y: y}, {X: x + sw, Y: y}, {X: x + sw, Y: y + sw}, {X: x, Y: y + sw}}
			dc.FillPolygon(e.fill, box)
			dc.StrokeLines(draw.LineStyle{Color: color.Gray{Y: 90}, Width: vg.Points(0.5)}, append(box, box[0]))
			if statusGlyphs[e.glyph] != nil {
				dc.DrawGlyph(glyphStyle(e.glyph, color.Gray{Y: 30}), vg.Point{X: x + sw/2, Y: y + sw/2})
			}
			dc.FillText(st, vg.Point{X: x + sw + vg.Points(4), Y: y + vg.Points(1)}, e.text)
			colW = max(colW, sw+vg.Points(4)+st.Width(e.text))
		}
		x += colW + vg.Centimeter
	}
}

// statusPalette gives each status its colour (HeatMap maps the value s
// to colour s exactly, with Min 0 and Max numStatus − 1).
type statusPalette struct{}

func (statusPalette) Colors() []color.Color {
	out := make([]color.Color, numStatus)
	for i, c := range statusColors {
		out[i] = c
	}
	return out
}

// cellGrid is a weight × height plane for a heat map: column c is weight
// c, row r height r.
type cellGrid struct {
	x, y     []float64
	z        func(c, r int) float64
	min, max float64
}

func newCellGrid(w, h []units.Quantity) *cellGrid {
	g := &cellGrid{x: make([]float64, len(w)), y: make([]float64, len(h))}
	for i, q := range w {
		g.x[i] = q.Value().InexactFloat64()
	}
	for i, q := range h {
		g.y[i] = q.Value().InexactFloat64()
	}
	return g
}

func (g *cellGrid) Dims() (c, r int)   { return len(g.x), len(g.y) }
func (g *cellGrid) Z(c, r int) float64 { return g.z(c, r) }
func (g *cellGrid) X(c int) float64    { return g.x[c] }
func (g *cellGrid) Y(r int) float64    { return g.y[r] }
func (g *cellGrid) Min() float64       { return g.min }
func (g *cellGrid) Max() float64       { return g.max }

// ticks places ticks at 1, 2 or 5 × 10ⁿ, five to eight labelled ones over
// the range, labelled without trailing zeros (ISMP).
type ticks struct{}

// Ticks implements plot.Ticker.
func (ticks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	raw := (hi - lo) / 6
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	decimals := int(math.Max(0, math.Ceil(-math.Log10(step)-1e-9)))
	var out []plot.Tick
	for i := math.Ceil(lo / step); i*step <= hi+step*1e-9 && len(out) <= 50; i++ {
		label := strconv.FormatFloat(i*step, 'f', decimals, 64)
		if strings.Contains(label, ".") {
			label = strings.TrimRight(strings.TrimRight(label, "0"), ".")
		}
		if label == "-0" {
			label = "0"
		}
		out = append(out, plot.Tick{Value: i * step, Label: strings.Replace(label, "-", "−", 1)})
	}
	return out
}
