package envelope

import "github.com/doseplan/doseplan/dosing"

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

// PlotOptions choose what Plot draws.
type PlotOptions struct {
	Format Format
	// Level is the level's number (1 is the first); 0 is the last level
	// evaluated.
	Level int
	// Age is the age of the slices drawn; 0 chooses the first age of the
	// grid at which a patient gets a result (the first age if none does).
	Age dosing.Years
	// Output is "" or "status" for a map of each patient's Status, or an
	// output kept with Options.Keep ("dose", "pump_rate", "cmax") for a
	// map of its value.
	Output string
}
