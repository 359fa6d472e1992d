package pk

import "github.com/doseplan/doseplan/units"

// Format is an image format for Plot.
type Format uint8

const (
	_ Format = iota
	PNG
	SVG
)

// String returns "png" or "svg".
func (f Format) String() string {
	switch f {
	case PNG:
		return "png"
	case SVG:
		return "svg"
	}
	return "invalid format"
}

// PlotOptions says what Plot draws.
type PlotOptions struct {
	Format Format         // PNG or SVG; required
	To     units.Quantity // the end of the time axis, which starts at 0; required
	// Threshold, when set, is drawn as a horizontal line and named in the
	// legend: a concentration such as "100 ng/mL".
	Threshold units.Quantity
}
