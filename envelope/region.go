package envelope

import (
	"slices"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Span is an interval of grid values on one axis, both ends included: the
// grid values From, From + step, …, To. A patient between two grid values
// was not evaluated; a boundary is known to within one step.
type Span struct {
	From units.Quantity `json:"from"`
	To   units.Quantity `json:"to"`
}

// Row is one grid value of a band's axis with the spans of the other axis
// that are in the region there.
type Row struct {
	At    units.Quantity `json:"at"`
	Spans []Span         `json:"spans"`
}

// Shape says how a band's rows relate to each other.
type Shape string

const (
	// Same: every row of the band has the same spans (Band.Spans).
	Same Shape = "same"
	// From: each row is one span that runs to the last grid value of the
	// other axis ("weight ≥ a"), a changing from row to row.
	From Shape = "from"
	// UpTo: each row is one span from the first grid value ("weight ≤ b").
	UpTo Shape = "up_to"
	// Between: each row is one span inside the axis, touching neither end.
	Between Shape = "between"
	// Scattered: the rows have two spans or more, and differ.
	Scattered Shape = "scattered"
)

// Band is a run of consecutive grid values of one axis (heights, or
// weights) at which a region has the same shape. A Same band lists its
// spans once; any other band lists every row, so that the description is
// complete: every patient in the region is in exactly one band, and no
// other patient is.
type Band struct {
	From     units.Quantity `json:"from"` // the first and last grid value of the band's axis
	To       units.Quantity `json:"to"`
	Shape    Shape          `json:"shape"`
	Spans    []Span         `json:"spans,omitempty"` // Same
	Rows     []Row          `json:"rows,omitempty"`  // every other shape
	Patients int            `json:"patients"`        // in one slice of the part
}

// Slice is one sex and age of the grid: a weight × height plane of
// patients. Age 0 is "not given".
type Slice struct {
	Sex dosing.Sex   `json:"sex,omitempty"`
	Age dosing.Years `json:"age,omitempty"`
}

// Part is the region within some slices of the grid that have the same
// region in their weight × height plane. Every is set when that is the
// whole plane; otherwise the bands describe it, by height (each band a run
// of heights, its spans weights) or by weight, whichever reads shorter.
type Part struct {
	Slices   []Slice `json:"slices"`
	Every    bool    `json:"every,omitempty"`
	By       string  `json:"by,omitempty"` // "height" or "weight": the axis of the bands
	Bands    []Band  `json:"bands,omitempty"`
	Patients int     `json:"patients"` // in all of its slices
}

// contains reports whether a grid patient is in the part, from the
// description alone.
func (pt Part) contains(p Patient) bool {
	if !slices.Contains(pt.Slices, Slice{Sex: p.Sex, Age: p.Age}) {
		return false
	}
	if pt.Every {
		return true
	}
	at, across := p.Height, p.Weight
	if pt.By == "weight" {
		at, across = p.Weight, p.Height
	}
	for _, b := range pt.Bands {
		if !within(at, b.From, b.To) {
			continue
		}
		if b.Shape == Same {
			return inSpans(across, b.Spans)
		}
		for _, r := range b.Rows {
			if c, ok := compare(r.At, at); ok && c == 0 {
				return inSpans(across, r.Spans)
			}
		}
	}
	return false
}

func inSpans(q units.Quantity, spans []Span) bool {
	for _, s := range spans {
		if within(q, s.From, s.To) {
			return true
		}
	}
	return false
}

// maxExactRuns is the most runs of identical rows of one shape that are
// written out as bands of their own; more become one band listing every
// row, summarised in the text.
const maxExactRuns = 3

// rowClass is the shape of one row: its spans' relation to the axis.
type rowClass uint8

const (
	classFull rowClass = iota
	classFrom
	classUpTo
	classBetween
	classMulti
)

func classOf(spans [][2]int, cols int) rowClass {
	if len(spans) > 1 {
		return classMulti
	}
	s := spans[0]
	switch {
	case s[0] == 0 && s[1] == cols-1:
		return classFull
	case s[1] == cols-1:
		return classFrom
	case s[0] == 0:
		return classUpTo
	}
	return classBetween
}

// run is a run of consecutive rows with identical spans.
type run struct {
	r0, r1 int
	spans  [][2]int
	class  rowClass
}

// describe returns the bands of m, whose rows are the grid values rowAt
// and columns colAt.
func describe(m mask, rowAt, colAt []units.Quantity) []Band {
	var runs []run
	for r := 0; r < m.rows; r++ {
		spans := m.runs(r)
		if len(spans) == 0 {
			continue
		}
		if n := len(runs); n > 0 && runs[n-1].r1 == r-1 && slices.Equal(runs[n-1].spans, spans) {
			runs[n-1].r1 = r
			continue
		}
		runs = append(runs, run{r0: r, r1: r, spans: spans, class: classOf(spans, m.cols)})
	}
	var bands []Band
	for i := 0; i < len(runs); {
		// A group: consecutive runs on adjacent rows of one shape.
		j := i + 1
		for j < len(runs) && runs[j].r0 == runs[j-1].r1+1 && runs[j].class == runs[i].class {
			j++
		}
		if j-i <= maxExactRuns {
			for _, rn := range runs[i:j] {
				bands = append(bands, Band{From: rowAt[rn.r0], To: rowAt[rn.r1], Shape: Same,
					Spans: toSpans(rn.spans, colAt), Patients: (rn.r1 - rn.r0 + 1) * cells(rn.spans)})
			}
		} else {
			b := Band{From: rowAt[runs[i].r0], To: rowAt[runs[j-1].r1], Shape: shapeOf(runs[i].class)}
			for _, rn := range runs[i:j] {
				for r := rn.r0; r <= rn.r1; r++ {
					b.Rows = append(b.Rows, Row{At: rowAt[r], Spans: toSpans(rn.spans, colAt)})
					b.Patients += cells(rn.spans)
				}
			}
			bands = append(bands, b)
		}
		i = j
	}
	return bands
}

func shapeOf(c rowClass) Shape {
	switch c {
	case classFrom:
		return From
	case classUpTo:
		return UpTo
	case classBetween:
		return Between
	}
	return Scattered // classFull rows are identical, so never form a group of several runs
}

func toSpans(spans [][2]int, at []units.Quantity) []Span {
	out := make([]Span, len(spans))
	for i, s := range spans {
		out[i] = Span{From: at[s[0]], To: at[s[1]]}
	}
	return out
}

func cells(spans [][2]int) int {
	n := 0
	for _, s := range spans {
		n += s[1] - s[0] + 1
	}
	return n
}

// cost is how long the bands read: a line per band, and a phrase per
// span of a Same band.
func cost(bands []Band) int {
	n := 0
	for _, b := range bands {
		n++
		if b.Shape == Same {
			n += len(b.Spans)
		} else {
			n++
		}
	}
	return n
}

// describePlane describes the set m of a weight × height plane (rows are
// heights, columns weights) by height or by weight, whichever reads
// shorter; by height when both read the same.
func describePlane(m mask, heights, weights []units.Quantity) (by string, bands []Band) {
	byHeight := describe(m, heights, weights)
	if cost(byHeight) <= 2 { // one band of one span: nothing reads shorter
		return "height", byHeight
	}
	byWeight := describe(m.transpose(), weights, heights)
	if cost(byWeight) < cost(byHeight) {
		return "weight", byWeight
	}
	return "height", byHeight
}

// compare orders two quantities of one dimension (grid values and
// bounds). ok is false when they cannot be compared (different dimensions,
// or an invalid quantity), so that no caller reads "equal" into that: every
// test built on compare answers false for such a pair.
func compare(a, b units.Quantity) (c int, ok bool) {
	c, err := a.Cmp(b)
	return c, err == nil
}

// below reports whether a < b, false when they cannot be compared.
func below(a, b units.Quantity) bool {
	c, ok := compare(a, b)
	return ok && c < 0
}

// above reports whether a > b, false when they cannot be compared.
func above(a, b units.Quantity) bool {
	c, ok := compare(a, b)
	return ok && c > 0
}

// within reports whether lo ≤ q ≤ hi, false when they cannot be compared.
func within(q, lo, hi units.Quantity) bool {
	c1, ok1 := compare(q, lo)
	c2, ok2 := compare(q, hi)
	return ok1 && ok2 && c1 >= 0 && c2 <= 0
}
