package units_test

import (
	"testing"

	"github.com/doseplan/doseplan/units"
)

// Targets (issue 2, "Speed"): Parse of a compound unit ≤ 1.5 µs/op, Convert
// ≤ 1 µs/op, String ≤ 1 µs/op, each ≤ 20 allocs/op. The benchmarks report;
// no test asserts a timing.

var (
	benchQuantity units.Quantity
	benchString   string
	benchBool     bool
)

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		q, err := units.Parse("12.5 mcg/kg/min")
		if err != nil {
			b.Fatal(err)
		}
		benchQuantity = q
	}
}

func BenchmarkConvert(b *testing.B) {
	cases := []struct {
		name string
		from string
		to   units.Unit
	}{
		{"mg_kg_h_to_mcg_kg_min", "0.75 mg/kg/h", units.McgPerKgPerMin},
		{"lb_to_kg", "176 lb", units.Kilogram},
	}
	for _, c := range cases {
		q := units.MustParse(c.from)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := q.Convert(c.to)
				if err != nil {
					b.Fatal(err)
				}
				benchQuantity = r
			}
		})
	}
}

func BenchmarkString(b *testing.B) {
	q := units.MustParse("12500.75 mcg/kg/min")
	b.ReportAllocs()
	for b.Loop() {
		benchString = q.String()
	}
}

func BenchmarkMul(b *testing.B) {
	dose, weight := units.MustParse("0.5 mg/kg"), units.MustParse("79.83 kg")
	b.ReportAllocs()
	for b.Loop() {
		r, err := dose.Mul(weight)
		if err != nil {
			b.Fatal(err)
		}
		benchQuantity = r
	}
}

func BenchmarkDiv(b *testing.B) {
	dose, conc := units.MustParse("39.9 mg"), units.MustParse("10 mg/mL")
	b.ReportAllocs()
	for b.Loop() {
		r, err := dose.Div(conc)
		if err != nil {
			b.Fatal(err)
		}
		benchQuantity = r
	}
}

func BenchmarkRoundTo(b *testing.B) {
	volume, step := units.MustParse("3.991612856 mL"), units.MustParse("0.1 mL")
	b.ReportAllocs()
	for b.Loop() {
		r, changed, err := volume.RoundTo(step, units.RoundHalfUp)
		if err != nil {
			b.Fatal(err)
		}
		benchQuantity, benchBool = r, changed
	}
}

// BenchmarkConvertWith: issue 15's drip rate, three factors found from
// their dimensions; and ParseEntry of the compounds and strengths.
func BenchmarkConvertWith(b *testing.B) {
	q := units.MustParse("5 mcg/kg/min")
	factors := []units.Factor{
		{Name: "weight", Value: units.MustParse("50 kg")},
		{Name: "concentration", Value: units.MustParse("0.8 mg/mL")},
		{Name: "drop factor", Value: units.MustParse("60 gtt/mL")},
		{Name: "duration", Dims: []units.Dimension{units.Hour.Dimension()}},
	}
	b.ReportAllocs()
	for b.Loop() {
		c, err := q.ConvertWith(units.DropsPerMin, factors...)
		if err != nil {
			b.Fatal(err)
		}
		benchQuantity = c.Result
	}
}

func BenchmarkParseEntry(b *testing.B) {
	for _, s := range []string{"5ft10in", "250 mg in 500 mL", "1:1000"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				e, err := units.ParseEntry(s)
				if err != nil {
					b.Fatal(err)
				}
				benchQuantity = e.Quantity
			}
		})
	}
}

// BenchmarkDivTo is a dose rate per kg in another unit (mg/h ÷ kg →
// mcg/kg/min: a factor 50/3, so the quotient is kept at Places).
func BenchmarkDivTo(b *testing.B) {
	rate, weight := units.MustParse("39 mg/h"), units.MustParse("80 kg")
	b.ReportAllocs()
	for b.Loop() {
		r, err := rate.DivTo(weight, units.McgPerKgPerMin)
		if err != nil {
			b.Fatal(err)
		}
		benchQuantity = r
	}
}

// BenchmarkCmp compares across units (mL/min against mL/h) and a quotient
// kept at Places against a limit.
func BenchmarkCmp(b *testing.B) {
	for _, c := range [][2]string{{"2.6 mL/min", "156 mL/h"}, {"0.4875 mg/kg/h", "0.75 mg/kg/h"}, {"3.3333333333333333333333333333 mL", "3.4 mL"}} {
		x, y := units.MustParse(c[0]), units.MustParse(c[1])
		b.Run(c[0]+" vs "+c[1], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n, err := x.Cmp(y)
				if err != nil {
					b.Fatal(err)
				}
				benchBool = n < 0
			}
		})
	}
}
