package envelope

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/units"
)

// axisOf returns n grid values from..from+n−1 in the unit.
func axisOf(from, n int, u units.Unit) []units.Quantity {
	out := make([]units.Quantity, n)
	for i := range out {
		out[i] = units.NewInt(int64(from+i), u)
	}
	return out
}

// maskOf reads a picture: one string per row (the first string is row 0,
// the first height), "#" a cell in the set.
func maskOf(rows ...string) mask {
	m := newMask(len(rows), len(rows[0]))
	for r, s := range rows {
		for c, ch := range s {
			if ch == '#' {
				m.set(r, c)
			}
		}
	}
	return m
}

func kg(n int) units.Quantity { return units.NewInt(int64(n), units.Kilogram) }
func cm(n int) units.Quantity { return units.NewInt(int64(n), units.Centimeter) }

func sp(from, to units.Quantity) Span { return Span{From: from, To: to} }

// quantities compare by value and unit (a Quantity holds a pointer).
var quantityCmp = cmp.Comparer(func(a, b units.Quantity) bool { return a.Equal(b) })

func TestDescribe(t *testing.T) {
	// Rows are heights 150, 151, … cm; columns weights 40, 41, … kg.
	tests := []struct {
		name string
		m    mask
		want []Band
	}{
		{"an empty set has no band", maskOf("....", "...."), nil},
		{
			// Every row holds weights 42–43 kg: one band of identical rows.
			"the same spans at every height", maskOf("..##", "..##", "..##"),
			[]Band{{From: cm(150), To: cm(152), Shape: Same, Spans: []Span{sp(kg(42), kg(43))}, Patients: 6}},
		},
		{
			// Rows 0–1 identical, row 2 different, row 3 empty, row 4 again:
			// the empty row separates bands, and three runs of a shape
			// (at most maxExactRuns) stay exact.
			"runs of identical rows, an empty row between", maskOf("#...", "#...", "##..", "....", ".#.."),
			[]Band{
				{From: cm(150), To: cm(151), Shape: Same, Spans: []Span{sp(kg(40), kg(40))}, Patients: 2},
				{From: cm(152), To: cm(152), Shape: Same, Spans: []Span{sp(kg(40), kg(41))}, Patients: 2},
				{From: cm(154), To: cm(154), Shape: Same, Spans: []Span{sp(kg(41), kg(41))}, Patients: 1},
			},
		},
		{
			// Four rows, each "weight ≥ a" with a = 44, 43, 42, 41 kg: four
			// runs of the From shape (more than maxExactRuns) become one band
			// listing each row.
			"a threshold that moves at every height", maskOf("....#", "...##", "..###", ".####"),
			[]Band{{From: cm(150), To: cm(153), Shape: From, Patients: 10, Rows: []Row{
				{At: cm(150), Spans: []Span{sp(kg(44), kg(44))}},
				{At: cm(151), Spans: []Span{sp(kg(43), kg(44))}},
				{At: cm(152), Spans: []Span{sp(kg(42), kg(44))}},
				{At: cm(153), Spans: []Span{sp(kg(41), kg(44))}},
			}}},
		},
		{
			// Each row "weight ≤ b", b = 40, 41, 42, 43 kg.
			"an upper threshold that moves", maskOf("#....", "##...", "###..", "####."),
			[]Band{{From: cm(150), To: cm(153), Shape: UpTo, Patients: 10, Rows: []Row{
				{At: cm(150), Spans: []Span{sp(kg(40), kg(40))}},
				{At: cm(151), Spans: []Span{sp(kg(40), kg(41))}},
				{At: cm(152), Spans: []Span{sp(kg(40), kg(42))}},
				{At: cm(153), Spans: []Span{sp(kg(40), kg(43))}},
			}}},
		},
		{
			// Row 0 touches the first weight (the UpTo shape, a group of
			// its own); rows 1–3 are three Between runs, no more than
			// maxExactRuns, so they stay exact bands.
			"short groups stay exact", maskOf("#.....", ".#....", "..#...", "...#.."),
			[]Band{
				{From: cm(150), To: cm(150), Shape: Same, Spans: []Span{sp(kg(40), kg(40))}, Patients: 1},
				{From: cm(151), To: cm(151), Shape: Same, Spans: []Span{sp(kg(41), kg(41))}, Patients: 1},
				{From: cm(152), To: cm(152), Shape: Same, Spans: []Span{sp(kg(42), kg(42))}, Patients: 1},
				{From: cm(153), To: cm(153), Shape: Same, Spans: []Span{sp(kg(43), kg(43))}, Patients: 1},
			},
		},
		{
			// Rows with two spans or more, each different: scattered.
			"scattered rows", maskOf("#.#.", ".#.#", "#..#", "##.#"),
			[]Band{{From: cm(150), To: cm(153), Shape: Scattered, Patients: 9, Rows: []Row{
				{At: cm(150), Spans: []Span{sp(kg(40), kg(40)), sp(kg(42), kg(42))}},
				{At: cm(151), Spans: []Span{sp(kg(41), kg(41)), sp(kg(43), kg(43))}},
				{At: cm(152), Spans: []Span{sp(kg(40), kg(40)), sp(kg(43), kg(43))}},
				{At: cm(153), Spans: []Span{sp(kg(40), kg(41)), sp(kg(43), kg(43))}},
			}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(tt.m, axisOf(150, tt.m.rows, units.Centimeter), axisOf(40, tt.m.cols, units.Kilogram))
			if diff := cmp.Diff(tt.want, got, quantityCmp); diff != "" {
				t.Errorf("describe (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDescribeBetween(t *testing.T) {
	// Four rows, each one interval touching neither end, moving right:
	// four Between runs, one band listing them.
	m := maskOf(".#....", "..#...", "...#..", "....#.")
	got := describe(m, axisOf(150, 4, units.Centimeter), axisOf(40, 6, units.Kilogram))
	want := []Band{{From: cm(150), To: cm(153), Shape: Between, Patients: 4, Rows: []Row{
		{At: cm(150), Spans: []Span{sp(kg(41), kg(41))}},
		{At: cm(151), Spans: []Span{sp(kg(42), kg(42))}},
		{At: cm(152), Spans: []Span{sp(kg(43), kg(43))}},
		{At: cm(153), Spans: []Span{sp(kg(44), kg(44))}},
	}}}
	if diff := cmp.Diff(want, got, quantityCmp); diff != "" {
		t.Errorf("describe (-want +got):\n%s", diff)
	}
}

func TestDescribePlaneChoosesTheShorter(t *testing.T) {
	heights, weights := axisOf(150, 5, units.Centimeter), axisOf(40, 5, units.Kilogram)
	tests := []struct {
		name, by string
		m        mask
		want     []Band
	}{
		{
			// By height: rows 0, 1–2 and 3–4 differ (three bands, cost
			// 2+3+2 = 7); by weight: column 1 is heights 150–152, column 3
			// heights 151–154 (two bands, cost 4).
			"two columns of different heights read by weight", "weight",
			maskOf(".#...", ".#.#.", ".#.#.", "...#.", "...#."),
			[]Band{
				{From: kg(41), To: kg(41), Shape: Same, Spans: []Span{sp(cm(150), cm(152))}, Patients: 3},
				{From: kg(43), To: kg(43), Shape: Same, Spans: []Span{sp(cm(151), cm(154))}, Patients: 4},
			},
		},
		{
			// Weights 42–43 kg at every height: one band either way (cost
			// 2), so by height.
			"a tie reads by height", "height",
			maskOf("..##.", "..##.", "..##.", "..##.", "..##."),
			[]Band{{From: cm(150), To: cm(154), Shape: Same, Spans: []Span{sp(kg(42), kg(43))}, Patients: 10}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by, got := describePlane(tt.m, heights, weights)
			if by != tt.by {
				t.Errorf("by %q, want %q", by, tt.by)
			}
			if diff := cmp.Diff(tt.want, got, quantityCmp); diff != "" {
				t.Errorf("bands (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPartContainsNoPatientItCannotCompare(t *testing.T) {
	// A part of every height 150–152 cm, weights 40–42 kg. A patient whose
	// height is a weight, or is missing, cannot be placed: the part does not
	// contain them (a comparison that answered "equal" would put them in).
	bands := []Band{{From: cm(150), To: cm(152), Shape: Same, Spans: []Span{sp(kg(40), kg(42))}}}
	pt := Part{Slices: []Slice{{Sex: 1, Age: 30}}, By: "height", Bands: bands}
	for _, tc := range []struct {
		name string
		p    Patient
		want bool
	}{
		{"inside", Patient{Sex: 1, Age: 30, Weight: kg(41), Height: cm(151)}, true},
		{"height given in kg", Patient{Sex: 1, Age: 30, Weight: kg(41), Height: kg(151)}, false},
		{"weight given in cm", Patient{Sex: 1, Age: 30, Weight: cm(41), Height: cm(151)}, false},
		{"no height", Patient{Sex: 1, Age: 30, Weight: kg(41)}, false},
	} {
		if got := pt.contains(tc.p); got != tc.want {
			t.Errorf("%s: contains = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestPartContains(t *testing.T) {
	// A part read from a mask contains exactly the mask's cells, by either
	// axis.
	heights, weights := axisOf(150, 6, units.Centimeter), axisOf(40, 7, units.Kilogram)
	for _, m := range []mask{
		maskOf("....#..", "...##..", "..###..", ".####..", "#####..", "##.##.#"),
		maskOf(".#.....", ".#.#...", ".#.#...", "...#...", "...#...", "......."),
	} {
		by, bands := describePlane(m, heights, weights)
		pt := Part{Slices: []Slice{{Sex: 1, Age: 30}}, By: by, Bands: bands}
		for r := range m.rows {
			for c := range m.cols {
				p := Patient{Sex: 1, Age: 30, Weight: weights[c], Height: heights[r]}
				if got := pt.contains(p); got != m.has(r, c) {
					t.Errorf("by %s: contains(%v) = %v, want %v", by, p, got, m.has(r, c))
				}
				p.Age = 31
				if pt.contains(p) {
					t.Errorf("contains %v, of a slice not in the part", p)
				}
			}
		}
	}
}

func TestBandText(t *testing.T) {
	heights, weights := axisOf(150, 5, units.Centimeter), axisOf(40, 5, units.Kilogram)
	tests := []struct {
		name string
		m    mask
		want []string // rowsText: bandText, one per band
	}{
		{"every weight at some heights", maskOf("#####", "#####", ".....", ".....", "....."),
			[]string{"heights 150–151 cm: every weight"}},
		{"a threshold at every height", maskOf("...##", "...##", "...##", "...##", "...##"),
			[]string{"every height: weight ≥ 43 kg"}},
		{"an upper bound, and two spans", maskOf("##...", "##...", "....#", "#.#..", "....."),
			[]string{"heights 150–151 cm: weight ≤ 41 kg", "height 152 cm: weight 44 kg", "height 153 cm: weight 40 kg or 42 kg"}},
		// weight ≥ a with a = 44, 43, 42, 41 kg at 150–153 cm.
		{"a threshold falling with height", maskOf("....#", "...##", "..###", ".####", "....."),
			[]string{"heights 150–153 cm: weight ≥ a threshold falling with height from 44 kg at 150 cm to 41 kg at 153 cm"}},
		// a = 41, 43, 42, 44 kg: neither rising nor falling.
		{"a threshold that goes up and down", maskOf(".####", "...##", "..###", "....#", "....."),
			[]string{"heights 150–153 cm: weight ≥ a threshold between 41 kg at 150 cm and 44 kg at 153 cm"}},
		{"an interval moving inside", maskOf(".#...", ".##..", "..##.", "...#.", "....."),
			[]string{"heights 150–153 cm: one weight interval per height, from 41 kg at 150 cm to 43 kg at 153 cm"}},
		// Rows of 2, 2, 3 and 3 cells in 2, 2, 3 and 2 spans: 10 patients, weights 40–44 kg.
		{"scattered", maskOf("#.#..", ".#.#.", "#.#.#", "##..#", "....."),
			[]string{"heights 150–153 cm: 10 patients in 2 to 3 weight intervals per height, weight 40–44 kg; at 150 cm: weight 40 kg or 42 kg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, b := range describe(tt.m, heights, weights) {
				got = append(got, rowsText(b, heights, "height")+": "+bandText(b, weights, "height", "weight"))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpansTextCutsLongLists(t *testing.T) {
	// Weights 40, 42, …, 56 kg: 9 spans of one weight each; the line shows
	// five, then how many there are and the last.
	weights := axisOf(40, 17, units.Kilogram)
	var spans []Span
	for w := 40; w <= 56; w += 2 {
		spans = append(spans, sp(kg(w), kg(w)))
	}
	got := spansText(spans, weights, "weight")
	want := "weight 40 kg or 42 kg or 44 kg or 46 kg or 48 kg or … (9 intervals in all, up to 56 kg)"
	if got != want {
		t.Errorf("spansText = %q, want %q", got, want)
	}
	if strings.Count(got, " or ") != 5 {
		t.Errorf("spansText lists %d spans, want 5 and the count", strings.Count(got, " or ")+1)
	}
}

// TestMaskRuns checks the word-at-a-time runs against a cell-by-cell scan,
// on rows that cross word boundaries.
func TestMaskRuns(t *testing.T) {
	m := newMask(3, 150)
	for c := 60; c < 70; c++ { // a run across the first word's end
		m.set(0, c)
	}
	for c := 0; c < 150; c += 3 { // every third cell, rows 1 and 2
		m.set(1, c)
	}
	for c := 100; c < 150; c++ { // to the end of the row
		m.set(2, c)
	}
	m.set(2, 0)
	for r := range 3 {
		var want [][2]int
		for c := 0; c < m.cols; c++ {
			if !m.has(r, c) {
				continue
			}
			lo := c
			for c+1 < m.cols && m.has(r, c+1) {
				c++
			}
			want = append(want, [2]int{lo, c})
		}
		if diff := cmp.Diff(want, m.runs(r)); diff != "" {
			t.Errorf("row %d runs (-cell by cell +word by word):\n%s", r, diff)
		}
	}
	if got := len(m.runs(1)); got != 50 {
		t.Errorf("row 1 has %d runs, want 50 (cells 0, 3, …, 147)", got)
	}
}
