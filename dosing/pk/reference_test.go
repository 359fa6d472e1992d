package pk_test

import (
	"math"
	"math/big"
	"sort"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

// The accuracy contract of the package documentation: every full-precision
// value (Levels, and Level at the same times) is within 1e−12 relative of
// an independent reference computed here at 256 bits, over the whole curve,
// for every built-in model and three more forms (clearances, fixed and
// allometric scaling, one compartment), for an infusion, a bolus and
// multi-dose regimens with events off the sampling grid.
//
// The reference shares nothing with the package: no eigenvalues, no closed
// form. It integrates the equations of clinical.md §8.2, extended by the
// infusion rate R as a state that only the administrations change,
//
//	d/dt (A1, A2, A3, Ce, R) = B·(A1, A2, A3, Ce, R),
//
// by the exact propagator exp(B·Δt) between events, each computed from its
// Taylor series with scaling and squaring in big.Float, and the sample and
// event times as exact rationals.
//
// Relative error near zero: before the first administration (and at its
// very start) the reference level is exactly 0, and so must the package's
// be; wherever the reference is not 0 the bound is relative, however small
// the level (Ce rises as t² at the start of an infusion, and the bound
// holds there too).

const refBits = 256

// refParams are a model's individualized rate constants as exact decimal
// text, and how they are built, written from the published sets and not
// read from the package.
type refParams struct {
	name   string
	params func(*testing.T) *pk.Model
	weight string
	// v1 in L; k[0] = k10, k[1] = k12, k[2] = k21, k[3] = k13, k[4] = k31
	// (/min), as big values built from the published decimals.
	v1, ke0 *big.Float
	k       [5]*big.Float
}

func bigf(s string) *big.Float {
	f, ok := new(big.Float).SetPrec(refBits).SetString(s)
	if !ok {
		panic("bad decimal " + s)
	}
	return f
}

func mul(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(refBits).Mul(a, b) }
func quo(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(refBits).Quo(a, b) }
func add(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(refBits).Add(a, b) }
func sub(a, b *big.Float) *big.Float { return new(big.Float).SetPrec(refBits).Sub(a, b) }
func zero() *big.Float               { return new(big.Float).SetPrec(refBits) }

// perKg is a linearly scaled rate-constant set at kg: V1 scales, the rate
// constants do not.
func perKg(v1PerKg, kg string, k10, k12, k21, k13, k31, ke0 string) (v1 *big.Float, k [5]*big.Float, e *big.Float) {
	v1 = mul(bigf(v1PerKg), bigf(kg))
	for i, s := range []string{k10, k12, k21, k13, k31} {
		k[i] = bigf(s)
	}
	if ke0 != "" {
		e = bigf(ke0)
	}
	return v1, k, e
}

// exactRates derives the rate constants exactly: k10 = CL/V1,
// k1j = Qj/V1, kj1 = Qj/Vj, with volumes in L and clearances in L/min.
func exactRates(v1, v2, v3, cl, q2, q3 *big.Float) (*big.Float, [5]*big.Float) {
	k := [5]*big.Float{quo(cl, v1), zero(), zero(), zero(), zero()}
	if v2 != nil {
		k[1], k[2] = quo(q2, v1), quo(q2, v2)
	}
	if v3 != nil {
		k[3], k[4] = quo(q3, v1), quo(q3, v3)
	}
	return v1, k
}

func refModels() []refParams {
	var ms []refParams
	add3 := func(name string, m func(*testing.T) *pk.Model, weight string, v1 *big.Float, k [5]*big.Float, ke0 *big.Float) {
		ms = append(ms, refParams{name: name, params: m, weight: weight, v1: v1, k: k, ke0: ke0})
	}
	v, k, e := perKg("0.063", "70", "0.4381", "0.5921", "0.247", "0.59", "0.0146", "0.652")
	add3("domino", lookup("domino"), "70 kg", v, k, e)
	v, k, e = perKg("1.7522", "70", "0.0109", "0.0186", "0.0137", "0", "0", "5.2")
	add3("clements250", lookup("clements250"), "70 kg", v, k, e)
	v, k, e = perKg("1.08", "82", "0.0333", "0.0088", "0.003", "0", "0", "4.773")
	add3("hijazi_82kg", lookup("hijazi"), "82 kg", v, k, e)

	// Domino 1982, fixed: V 3.47, 11, 134 L; CL 1.296, Q 2.276, 2.058 L/min.
	v, k = exactRates(bigf("3.47"), bigf("11"), bigf("134"), bigf("1.296"), bigf("2.276"), bigf("2.058"))
	add3("domino1982_fixed_clearance_form", build(domino1982Fixed()), "110 kg", v, k, nil)

	// Kamp 2020 at 95 kg, allometric: volumes × r, clearances × r^0.75
	// with r = 95/70, and r^0.75 = √r·√√r exactly enough at 256 bits.
	r := quo(bigf("95"), bigf("70"))
	sq := new(big.Float).SetPrec(refBits).Sqrt(r)
	r75 := mul(sq, new(big.Float).SetPrec(refBits).Sqrt(sq))
	v, k = exactRates(mul(bigf("25.8"), r), mul(bigf("115"), r), nil,
		mul(bigf("1.78"), r75), mul(bigf("2.1"), r75), nil)
	add3("kamp2020_allometric_95kg", build(kamp2020Allometric()), "95 kg", v, k, nil)

	// One compartment with an effect site: V1 20 L, k10 0.05 /min, ke0 0.3 /min.
	one := pk.Parameters{Name: "one", Drug: "test drug", Citation: "test", Scaling: pk.ScaleNone,
		V1: q("20 L"), K10: q("0.05 /min"), Ke0: q("0.3 /min")}
	add3("one_compartment", build(one), "70 kg", bigf("20"),
		[5]*big.Float{bigf("0.05"), zero(), zero(), zero(), zero()}, bigf("0.3"))
	return ms
}

// refDose is one administration in exact terms: start and duration in
// minutes as rationals, the amount in mg.
type refDose struct {
	start, dur *big.Rat
	mg         *big.Float
}

type refRegimen struct {
	name   string
	admins []pk.Administration
	doses  func(kg string) []refDose
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("bad rational " + s)
	}
	return r
}

func refRegimens() []refRegimen {
	return []refRegimen{
		{"0.5mg_per_kg_over_40min", []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))},
			func(kg string) []refDose { return []refDose{{rat("0"), rat("40"), mul(bigf("0.5"), bigf(kg))}} }},
		{"bolus_0.25mg_per_kg", []pk.Administration{pk.Bolus(q("0.25 mg/kg"))},
			func(kg string) []refDose { return []refDose{{rat("0"), rat("0"), mul(bigf("0.25"), bigf(kg))}} }},
		{"bolus_overlapping_infusions_events_off_the_grid", []pk.Administration{
			pk.Bolus(q("20 mg")),
			{Start: q("10 min"), Amount: q("30 mg"), Duration: q("1 h")},
			{Start: q("12.345 min"), Amount: q("4 mg"), Duration: q("7.77 min")},
			{Start: q("30 min"), Amount: q("6 mg"), Duration: q("600 s")},
			{Start: q("90 min"), Amount: q("5 mg")},
			{Start: q("2 h"), Amount: q("0.1 mg/kg"), Duration: q("0 min")},
			{Start: q("151.01 min"), Amount: q("2.5 mg")},
		}, func(kg string) []refDose {
			return []refDose{{rat("0"), rat("0"), bigf("20")}, {rat("10"), rat("60"), bigf("30")},
				{rat("12.345"), rat("7.77"), bigf("4")}, {rat("30"), rat("10"), bigf("6")},
				{rat("90"), rat("0"), bigf("5")}, {rat("120"), rat("0"), mul(bigf("0.1"), bigf(kg))},
				{rat("151.01"), rat("0"), bigf("2.5")}}
		}},
		{"nothing_before_5.05min_then_infusion_and_bolus", []pk.Administration{
			{Start: q("5.05 min"), Amount: q("10 mg"), Duration: q("33.3 min")},
			{Start: q("47.123 min"), Amount: q("3 mg")},
		}, func(string) []refDose {
			return []refDose{{rat("5.05"), rat("33.3"), bigf("10")}, {rat("47.123"), rat("0"), bigf("3")}}
		}},
	}
}

// reference integrates a model and a regimen at 256 bits.
type reference struct {
	b     [5][5]*big.Float // d/dt of (A1, A2, A3, Ce, R)
	v1    *big.Float
	cache map[string]*[5][5]*big.Float
}

func newReference(m refParams) *reference {
	r := &reference{v1: m.v1, cache: map[string]*[5][5]*big.Float{}}
	for i := range r.b {
		for j := range r.b[i] {
			r.b[i][j] = zero()
		}
	}
	k10, k12, k21, k13, k31 := m.k[0], m.k[1], m.k[2], m.k[3], m.k[4]
	r.b[0][0] = new(big.Float).SetPrec(refBits).Neg(add(add(k10, k12), k13))
	r.b[0][1], r.b[0][2], r.b[0][4] = k21, k31, bigf("1")
	r.b[1][0], r.b[1][1] = k12, new(big.Float).SetPrec(refBits).Neg(k21)
	r.b[2][0], r.b[2][2] = k13, new(big.Float).SetPrec(refBits).Neg(k31)
	if m.ke0 != nil {
		r.b[3][0], r.b[3][3] = quo(m.ke0, m.v1), new(big.Float).SetPrec(refBits).Neg(m.ke0)
	}
	return r
}

func matmul(a, b *[5][5]*big.Float) *[5][5]*big.Float {
	var c [5][5]*big.Float
	for i := range 5 {
		for j := range 5 {
			s := zero()
			for k := range 5 {
				if a[i][k].Sign() != 0 && b[k][j].Sign() != 0 {
					s.Add(s, mul(a[i][k], b[k][j]))
				}
			}
			c[i][j] = s
		}
	}
	return &c
}

// propagator returns exp(B·dt): the Taylor series of exp(B·dt/2^s), where
// 2^s brings the norm below 1/2, squared s times.
func (r *reference) propagator(dt *big.Rat) *[5][5]*big.Float {
	key := dt.RatString()
	if e, ok := r.cache[key]; ok {
		return e
	}
	h := new(big.Float).SetPrec(refBits).SetRat(dt)
	var x [5][5]*big.Float
	norm := 0.0
	for i := range 5 {
		row := 0.0
		for j := range 5 {
			x[i][j] = mul(r.b[i][j], h)
			f, _ := x[i][j].Float64()
			row += math.Abs(f)
		}
		norm = math.Max(norm, row)
	}
	s := 0
	for norm > 0.5 {
		norm /= 2
		s++
	}
	scale := new(big.Float).SetPrec(refBits).SetMantExp(bigf("1"), -s)
	for i := range 5 {
		for j := range 5 {
			x[i][j] = mul(x[i][j], scale)
		}
	}
	var e, term [5][5]*big.Float
	for i := range 5 {
		for j := range 5 {
			e[i][j], term[i][j] = zero(), zero()
			if i == j {
				e[i][j], term[i][j] = bigf("1"), bigf("1")
			}
		}
	}
	tiny := new(big.Float).SetMantExp(bigf("1"), -refBits-16)
	for n := 1; n < 200; n++ {
		next := matmul(&term, &x)
		largest := zero()
		for i := range 5 {
			for j := range 5 {
				next[i][j] = quo(next[i][j], new(big.Float).SetPrec(refBits).SetInt64(int64(n)))
				e[i][j] = add(e[i][j], next[i][j])
				if a := new(big.Float).Abs(next[i][j]); a.Cmp(largest) > 0 {
					largest = a
				}
			}
		}
		term = *next
		if largest.Cmp(tiny) < 0 {
			break
		}
	}
	p := &e
	for range s {
		p = matmul(p, p)
	}
	r.cache[key] = p
	return p
}

// levels returns Cp and Ce (ng/mL, at 256 bits) at the given exact times
// (min, ascending). An administration at a sample time is included.
func (r *reference) levels(doses []refDose, times []*big.Rat) (cp, ce []*big.Float) {
	type event struct {
		at         *big.Rat
		bolus, inc *big.Float // mg; mg/min added to R
	}
	var evs []event
	for _, d := range doses {
		if d.dur.Sign() == 0 {
			evs = append(evs, event{d.start, d.mg, zero()})
			continue
		}
		rate := quo(d.mg, new(big.Float).SetPrec(refBits).SetRat(d.dur))
		evs = append(evs, event{d.start, zero(), rate},
			event{new(big.Rat).Add(d.start, d.dur), zero(), new(big.Float).SetPrec(refBits).Neg(rate)})
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Cmp(evs[j].at) < 0 })
	y := [5]*big.Float{zero(), zero(), zero(), zero(), zero()}
	now := new(big.Rat)
	advance := func(to *big.Rat) {
		if to.Cmp(now) <= 0 {
			return
		}
		e := r.propagator(new(big.Rat).Sub(to, now))
		var ny [5]*big.Float
		for i := range 5 {
			s := zero()
			for k := range 5 {
				if e[i][k].Sign() != 0 && y[k].Sign() != 0 {
					s.Add(s, mul(e[i][k], y[k]))
				}
			}
			ny[i] = s
		}
		y, now = ny, new(big.Rat).Set(to)
	}
	thousand := bigf("1000")
	next := 0
	for _, t := range times {
		for next < len(evs) && evs[next].at.Cmp(t) <= 0 {
			advance(evs[next].at)
			y[0] = add(y[0], evs[next].bolus)
			y[4] = add(y[4], evs[next].inc)
			next++
		}
		advance(t)
		cp = append(cp, mul(quo(y[0], r.v1), thousand))
		ce = append(ce, mul(y[3], thousand))
	}
	return cp, ce
}

// relErr returns |got − want| / |want|, with 0/0 = 0 and x/0 = +Inf.
func relErr(got float64, want *big.Float) float64 {
	if want.Sign() == 0 {
		if got == 0 {
			return 0
		}
		return math.Inf(1)
	}
	g := new(big.Float).SetPrec(refBits).SetFloat64(got)
	d := quo(sub(g, want), want)
	f, _ := d.Float64()
	return math.Abs(f)
}

func TestAccuracyAgainstHighPrecisionReference(t *testing.T) {
	t.Parallel()
	const bound = 1e-12
	// The standard sampling, 0 to 6 h every 10 s: exact times k/6 min.
	var times []*big.Rat
	for k := range int64(2161) {
		times = append(times, big.NewRat(k, 6))
	}
	for _, m := range refModels() {
		for _, rg := range refRegimens() {
			t.Run(m.name+"/"+rg.name, func(t *testing.T) {
				t.Parallel()
				p, err := m.params(t).Predict(dosing.Patient{Weight: q(m.weight), AgeYears: 40}, rg.admins)
				if err != nil {
					t.Fatal(err)
				}
				kg := m.weight[:len(m.weight)-3]
				wantCp, wantCe := newReference(m).levels(rg.doses(kg), times)
				sites := []struct {
					site pk.Site
					want []*big.Float
				}{{pk.Plasma, wantCp}}
				if m.ke0 != nil {
					sites = append(sites, struct {
						site pk.Site
						want []*big.Float
					}{pk.EffectSite, wantCe})
				}
				for _, s := range sites {
					lv, err := p.Levels(s.site, q("0 min"), q("6 h"), q("10 s"))
					if err != nil {
						t.Fatal(err)
					}
					if len(lv.Values) != len(times) {
						t.Fatalf("%d values, want %d", len(lv.Values), len(times))
					}
					worst, at := 0.0, 0
					for k, v := range lv.Values {
						if e := relErr(v, s.want[k]); e > worst {
							worst, at = e, k
						}
						one, err := p.Level(s.site, units.NewInt(int64(k*10), units.Second))
						if err != nil {
							t.Fatal(err)
						}
						if e := relErr(one, s.want[k]); e > bound {
							t.Errorf("%s Level at %d s = %.17g, reference %.20g: relative error %.3g", s.site, k*10, one, s.want[k], e)
						}
					}
					if worst > bound {
						t.Errorf("%s Levels at %d s = %.17g, reference %.20g: relative error %.3g > %g",
							s.site, at*10, lv.Values[at], s.want[at], worst, bound)
					}
					t.Logf("%s: worst relative error %.2g", s.site, worst)
				}
			})
		}
	}
}

// A long curve, 3 days every 10 s (25,921 points), keeps the accuracy of a
// short one: the restarts from the closed form every 256 steps stop the
// stepping's rounding from growing with the number of steps (without them
// this curve reached 3.4e−14; with them 5e−15, the bound here being 2e−14).
func TestAccuracyOfALongCurve(t *testing.T) {
	t.Parallel()
	m := refModels()[2] // Hijazi: the slowest tail
	rg := refRegimens()[0]
	var times []*big.Rat
	for k := range int64(3*24*360 + 1) {
		times = append(times, big.NewRat(k, 6))
	}
	p, err := m.params(t).Predict(dosing.Patient{Weight: q(m.weight), AgeYears: 40}, rg.admins)
	if err != nil {
		t.Fatal(err)
	}
	wantCp, wantCe := newReference(m).levels(rg.doses("82"), times)
	for _, s := range []struct {
		site pk.Site
		want []*big.Float
	}{{pk.Plasma, wantCp}, {pk.EffectSite, wantCe}} {
		lv, err := p.Levels(s.site, q("0 min"), q("3 day"), q("10 s"))
		if err != nil {
			t.Fatal(err)
		}
		worst := 0.0
		for k, v := range lv.Values {
			worst = math.Max(worst, relErr(v, s.want[k]))
		}
		if worst > 2e-14 {
			t.Errorf("%s over 3 days: worst relative error %.3g", s.site, worst)
		}
		t.Logf("%s: worst relative error %.2g over %d points", s.site, worst, len(lv.Values))
	}
}
