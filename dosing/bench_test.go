package dosing_test

import (
	"io"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Targets (issue 3): a full IV calculation ≤ 30 µs/op and ≤ 300 allocs/op;
// each body-size function ≤ 5 µs/op. No test asserts a time: read the
// figures with go test -bench . -benchmem ./dosing.

// BenchmarkCalculateIVStandard is the full standard IV calculation: body
// size, dosing weight, dose, cap, preparation, pump rate and dose rates,
// limits and the trail.
func BenchmarkCalculateIVStandard(b *testing.B) {
	r, p := standardIV(), standardPatient()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dosing.Calculate(r, p, dosing.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCalculateIVRounded is the standard case with roundings on the
// draw and the pump rate (WC11: 73.4 kg, 3.67 mL → 3.7 mL).
func BenchmarkCalculateIVRounded(b *testing.B) {
	r, p := standardIV(), standardPatient()
	p.Weight = mq("73.4 kg")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dosing.Calculate(r, p, dosing.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalculateEsketamine(b *testing.B) {
	r, p := esketamineRule(), dosing.Patient{Weight: mq("70 kg")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dosing.Calculate(r, p, dosing.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteWorksheet(b *testing.B) {
	res, err := dosing.Calculate(standardIV(), standardPatient(), dosing.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := res.WriteWorksheet(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func benchBody(b *testing.B, f func(w, h units.Quantity) (units.Quantity, error)) {
	w, h := mq("80 kg"), mq("175 cm")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f(w, h); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBMI(b *testing.B) {
	benchBody(b, func(w, h units.Quantity) (units.Quantity, error) { q, _, err := dosing.BMI(w, h); return q, err })
}
func BenchmarkBSAMosteller(b *testing.B) { benchBody(b, bsaBy(dosing.Mosteller)) }
func BenchmarkBSADuBois(b *testing.B)    { benchBody(b, bsaBy(dosing.DuBois)) }
func BenchmarkBSAHaycock(b *testing.B)   { benchBody(b, bsaBy(dosing.Haycock)) }

func bsaBy(f dosing.BSAFormula) func(w, h units.Quantity) (units.Quantity, error) {
	return func(w, h units.Quantity) (units.Quantity, error) { return dosing.BSA(f, w, h) }
}
func BenchmarkLeanWeight(b *testing.B) {
	for _, f := range []dosing.LeanFormula{dosing.Janmahasatian, dosing.James, dosing.Boer} {
		b.Run(string(f), func(b *testing.B) {
			benchBody(b, func(w, h units.Quantity) (units.Quantity, error) {
				q, _, err := dosing.LeanWeight(f, dosing.Male, w, h)
				return q, err
			})
		})
	}
}

func benchIBW(b *testing.B, f dosing.IBWFormula) {
	h := mq("175 cm")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := dosing.IBW(f, dosing.Male, h, ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIBWDevine(b *testing.B)   { benchIBW(b, dosing.Devine) }
func BenchmarkIBWRobinson(b *testing.B) { benchIBW(b, dosing.Robinson) }
func BenchmarkIBWMiller(b *testing.B)   { benchIBW(b, dosing.Miller) }

func BenchmarkAdjustedBodyWeight(b *testing.B) {
	w, ibw, f := mq("120 kg"), mq("70.464566929133858267716535433072 kg"), decimal.RequireFromString("0.4")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dosing.AdjustedBodyWeight(w, ibw, f); err != nil {
			b.Fatal(err)
		}
	}
}
