package pk_test

import (
	"testing"

	"github.com/doseplan/doseplan/dosing/pk"
)

// The budgets: a 3-compartment prediction of a 40-min infusion over
// 6 h at 10 s resolution ≤ 1 ms/op; one concentration ≤ 20 µs/op. The
// figures go in the closing note, not in assertions.

func BenchmarkCurve3Compartments6h10s(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	pt := pk.Patient{Weight: q("70 kg")}
	admins := []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))}
	from, to, step := q("0 min"), q("6 h"), q("10 s")
	b.ReportAllocs()
	for b.Loop() {
		p, err := m.Predict(pt, admins)
		if err != nil {
			b.Fatal(err)
		}
		c, err := p.Curve(from, to, step)
		if err != nil || len(c) != 2161 {
			b.Fatal(len(c), err)
		}
	}
}

func BenchmarkAt(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	p, err := m.Predict(pk.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))})
	if err != nil {
		b.Fatal(err)
	}
	at := q("45 min")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.At(at); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookupPredictAt is one concentration from nothing: the model
// validated, individualized and decomposed, then evaluated.
func BenchmarkLookupPredictAt(b *testing.B) {
	pt := pk.Patient{Weight: q("70 kg")}
	admins := []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))}
	at := q("45 min")
	b.ReportAllocs()
	for b.Loop() {
		m, err := pk.Lookup("domino")
		if err != nil {
			b.Fatal(err)
		}
		p, err := m.Predict(pt, admins)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := p.At(at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPeakAndTimeBelow(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	p, err := m.Predict(pk.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))})
	if err != nil {
		b.Fatal(err)
	}
	threshold := q("50 ng/mL")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Peak(pk.EffectSite); err != nil {
			b.Fatal(err)
		}
		if _, _, err := p.TimeBelow(pk.Plasma, threshold); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCurveFloat64 is the same curve without the decimal quantities:
// the cost of the closed-form solution alone (the difference is the three
// decimals allocated per point).
func BenchmarkCurveFloat64(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	pt := pk.Patient{Weight: q("70 kg")}
	admins := []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))}
	b.ReportAllocs()
	for b.Loop() {
		p, err := m.Predict(pt, admins)
		if err != nil {
			b.Fatal(err)
		}
		sum := 0.0
		for k := 0; k <= 2160; k++ {
			cp, ce := p.Exact(float64(k) / 6)
			sum += cp + ce
		}
		if sum <= 0 {
			b.Fatal(sum)
		}
	}
}
