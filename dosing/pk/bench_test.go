package pk_test

import (
	"math"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"gonum.org/v1/gonum/mat"
)

// The targets (figures in the closing note, not in assertions): the
// standard task — Domino, 70 kg, 0.5 mg/kg over 40 min, Cp every 10 s for
// 6 h, 2,161 points — through the public API with the model looked up ≤ 40
// µs/op and ≤ 20 allocs/op, with a reused model ≤ 15 µs/op; one
// concentration ≤ 0.5 µs. The floors beside them are the same task written
// as plainly as float64 allows, so the ratio shows in every run.

var (
	benchPatient = dosing.Patient{Weight: q("70 kg")}
	benchAdmins  = []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))}
)

func BenchmarkStandardTask(b *testing.B) {
	from, to, step := q("0 min"), q("6 h"), q("10 s")
	b.Run("decimal_curve_model_built", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, _ := pk.Lookup("domino")
			p, _ := m.Predict(benchPatient, benchAdmins)
			c, err := p.Curve(from, to, step)
			if err != nil || len(c) != 2161 {
				b.Fatal(err)
			}
		}
	})
	b.Run("float_model_built", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m, _ := pk.Lookup("domino")
			p, _ := m.Predict(benchPatient, benchAdmins)
			l, err := p.Levels(pk.Plasma, from, to, step)
			if err != nil || len(l.Values) != 2161 {
				b.Fatal(err)
			}
		}
	})
	m, _ := pk.Lookup("domino")
	b.Run("float_model_reused", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, _ := m.Predict(benchPatient, benchAdmins)
			l, err := p.Levels(pk.Plasma, from, to, step)
			if err != nil || len(l.Values) != 2161 {
				b.Fatal(err)
			}
		}
	})
	p, _ := m.Predict(benchPatient, benchAdmins)
	b.Run("float_prediction_reused", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := p.Levels(pk.Plasma, from, to, step)
			if err != nil || len(l.Values) != 2161 {
				b.Fatal(err)
			}
		}
	})
	b.Run("float_effect_site", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			l, err := p.Levels(pk.EffectSite, from, to, step)
			if err != nil || len(l.Values) != 2161 {
				b.Fatal(err)
			}
		}
	})
	f := dominoFloor()
	vals := make([]float64, 2161)
	b.Run("floor_closed_form", func(b *testing.B) {
		for b.Loop() {
			f.closedForm(vals)
		}
	})
	b.Run("floor_recurrence", func(b *testing.B) {
		for b.Loop() {
			f.recurrence(vals)
		}
	})
}

// BenchmarkPredict is the model looked up and individualized, and the
// administration checked and converted: the fixed cost of every prediction.
func BenchmarkPredict(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, _ := pk.Lookup("domino")
		if _, err := m.Predict(benchPatient, benchAdmins); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLevel is one full-precision concentration.
func BenchmarkLevel(b *testing.B) {
	m, _ := pk.Lookup("domino")
	p, _ := m.Predict(benchPatient, benchAdmins)
	at := q("45 min")
	b.ReportAllocs()
	for b.Loop() {
		if cp, err := p.Level(pk.Plasma, at); err != nil || cp <= 0 {
			b.Fatal(cp, err)
		}
	}
}

func BenchmarkCurve3Compartments6h10s(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	from, to, step := q("0 min"), q("6 h"), q("10 s")
	b.ReportAllocs()
	for b.Loop() {
		p, err := m.Predict(benchPatient, benchAdmins)
		if err != nil {
			b.Fatal(err)
		}
		c, err := p.Curve(from, to, step)
		if err != nil || len(c) != 2161 {
			b.Fatal(len(c), err)
		}
	}
}

// BenchmarkAt is one concentration at both sites, rounded into quantities.
func BenchmarkAt(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	p, err := m.Predict(benchPatient, benchAdmins)
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
// looked up, individualized, then evaluated.
func BenchmarkLookupPredictAt(b *testing.B) {
	at := q("45 min")
	b.ReportAllocs()
	for b.Loop() {
		m, err := pk.Lookup("domino")
		if err != nil {
			b.Fatal(err)
		}
		p, err := m.Predict(benchPatient, benchAdmins)
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
	p, err := m.Predict(benchPatient, benchAdmins)
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

// BenchmarkCurveFloat64 is Cp and Ce at the 2,161 points of the standard
// task without decimals.
func BenchmarkCurveFloat64(b *testing.B) {
	m, err := pk.Lookup("domino")
	if err != nil {
		b.Fatal(err)
	}
	from, to, step := q("0 min"), q("6 h"), q("10 s")
	b.ReportAllocs()
	for b.Loop() {
		p, err := m.Predict(benchPatient, benchAdmins)
		if err != nil {
			b.Fatal(err)
		}
		cp, err1 := p.Levels(pk.Plasma, from, to, step)
		ce, err2 := p.Levels(pk.EffectSite, from, to, step)
		if err1 != nil || err2 != nil || cp.Values[240] <= 0 || ce.Values[240] <= 0 {
			b.Fatal(err1, err2)
		}
	}
}

// floor is the standard task written as plainly as float64 allows, with
// nothing of the package: Domino at 70 kg, 35 mg over 40 min, Cp every 10 s
// for 6 h. Its modes come from gonum's symmetric eigen-decomposition of the
// rate matrix, outside the timed loop.
type floor struct {
	alpha, c     [3]float64 // /min; mg/L per mg in each mode
	rate, dur, h float64
}

func dominoFloor() floor {
	k10, k12, k21, k13, k31, v1 := 0.4381, 0.5921, 0.247, 0.59, 0.0146, 0.063*70
	m := mat.NewSymDense(3, []float64{
		-(k10 + k12 + k13), math.Sqrt(k12 * k21), math.Sqrt(k13 * k31),
		math.Sqrt(k12 * k21), -k21, 0,
		math.Sqrt(k13 * k31), 0, -k31})
	var eig mat.EigenSym
	if !eig.Factorize(m, true) {
		panic("no eigen-decomposition")
	}
	var u mat.Dense
	eig.VectorsTo(&u)
	f := floor{rate: 35.0 / 40, dur: 40, h: 1.0 / 6}
	for i, l := range eig.Values(nil) {
		f.alpha[i] = -l
		f.c[i] = u.At(0, i) * u.At(0, i) / v1
	}
	return f
}

// closedForm evaluates Σ c·R·ψ(α, t) during the infusion and
// Σ c·R·ψ(α, T)·exp(−α·(t − T)) after it, at every point.
func (f floor) closedForm(out []float64) {
	for k := range out {
		t := float64(k) * f.h
		cp := 0.0
		for i := range 3 {
			a := f.alpha[i]
			if t < f.dur {
				cp += f.c[i] * f.rate * -math.Expm1(-a*t) / a
			} else {
				cp += f.c[i] * f.rate * -math.Expm1(-a*f.dur) / a * math.Exp(-a*(t-f.dur))
			}
		}
		out[k] = cp
	}
}

// recurrence steps each mode by exp(−α·h), computed once, and restarts from
// the closed form at the end of the infusion.
func (f floor) recurrence(out []float64) {
	var e, p, a [3]float64
	for i := range 3 {
		e[i] = math.Exp(-f.alpha[i] * f.h)
		p[i] = -math.Expm1(-f.alpha[i]*f.h) / f.alpha[i]
	}
	stop := int(f.dur / f.h)
	for k := range out {
		r := f.rate
		if k >= stop {
			r = 0
		}
		cp := 0.0
		for i := range 3 {
			if k == stop {
				a[i] = f.rate * -math.Expm1(-f.alpha[i]*f.dur) / f.alpha[i]
			}
			cp += f.c[i] * a[i]
			a[i] = a[i]*e[i] + r*p[i]
		}
		out[k] = cp
	}
}
