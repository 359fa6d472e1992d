package envelope_test

import (
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/units"
)

// BenchmarkEnvelopeIV evaluates the IV example over one slice of adults
// (male, 18 years; weights 40–139 kg, heights 150–199 cm: 5,000 patients)
// at its first level, on one worker: patients/s is per core.
func BenchmarkEnvelopeIV(b *testing.B) {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		b.Fatal(err)
	}
	opt := envelope.Options{
		Weights: envelope.Axis{From: units.MustParse("40 kg"), To: units.MustParse("139 kg")},
		Heights: envelope.Axis{From: units.MustParse("150 cm"), To: units.MustParse("199 cm")},
		Sexes:   []dosing.Sex{dosing.Male}, Ages: []dosing.Years{18}, Levels: []int{1}, Workers: 1,
	}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		env, err := envelope.Evaluate(p, opt)
		if err != nil {
			b.Fatal(err)
		}
		n = env.Patients
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "patients/s")
}

// BenchmarkCalculateGrid calls dosing.Calculate for the same patients as
// BenchmarkEnvelopeIV and nothing else: the floor the envelope stands on.
func BenchmarkCalculateGrid(b *testing.B) {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		b.Fatal(err)
	}
	rule := p.Rule()
	opt := dosing.Options{Dose: p.Titration.Steps[0]}
	var patients []dosing.Patient
	for h := 150; h < 200; h++ {
		for w := 40; w < 140; w++ {
			patients = append(patients, dosing.Patient{Weight: units.NewInt(int64(w), units.Kilogram), Height: units.NewInt(int64(h), units.Centimeter), Sex: dosing.Male, AgeYears: 18})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, pt := range patients {
			if _, err := dosing.Calculate(rule, pt, opt); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(patients)*b.N)/b.Elapsed().Seconds(), "patients/s")
}
