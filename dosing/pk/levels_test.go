package pk_test

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The peak's sample is one evaluation: its levels are At its time. Before
// the fix, Peak rounded tmax to 0.1 min but evaluated the levels at the
// unrounded time, so Domino's effect-site peak read "40 min, Cp 238.3
// ng/mL" while At(40 min) gives Cp 240.33 ng/mL.
func TestPeakTimeAndLevelsAreOneInstant(t *testing.T) {
	t.Parallel()
	for _, m := range pk.Models() {
		p, err := m.Predict(dosing.Patient{Weight: q("70 kg"), AgeYears: 40}, []pk.Administration{pk.Infusion(q("35 mg"), q("40 min"))})
		if err != nil {
			t.Fatal(err)
		}
		for _, site := range []pk.Site{pk.Plasma, pk.EffectSite} {
			t.Run(m.Parameters().ID+"/"+site.String(), func(t *testing.T) {
				peak, err := p.Peak(site)
				if err != nil {
					t.Fatal(err)
				}
				at, err := p.At(peak.Time)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(at, peak); diff != "" {
					t.Errorf("Peak vs At(tmax) mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// The regression of the issue in numbers: Domino, 35 mg over 40 min at
// 70 kg. Ce peaks just after the end of the infusion; at 40 min Ce is
// 238.29 ng/mL, below the maximum's 238.30, so tmax needs 0.01 min: 40.01.
// There Cp has fallen to 238.38 ng/mL, close to Ce, as it must be at Ce's
// maximum (dCe/dt = ke0·(Cp − Ce) = 0).
func TestDominoEffectSitePeak(t *testing.T) {
	t.Parallel()
	m, _ := pk.Lookup("domino")
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, []pk.Administration{pk.Infusion(q("35 mg"), q("40 min"))})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Peak(pk.EffectSite)
	if err != nil {
		t.Fatal(err)
	}
	want := pk.Sample{Time: q("40.01 min"), Cp: q("238.38 ng/mL"), Ce: q("238.3 ng/mL")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Peak(EffectSite) mismatch (-want +got):\n%s", diff)
	}
	at40, _ := p.At(q("40 min"))
	if c, _ := at40.Ce.Cmp(want.Ce); c >= 0 {
		t.Errorf("Ce at 40 min = %v, not below the maximum %v: 0.1 min would have done", at40.Ce, want.Ce)
	}
}

// Laws of Peak and PeakLevel on random models and regimens.
func TestLawPeakIsOneInstant(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		p := predict(t, m.model, genRegimen().Draw(t, "regimen"))
		sites := []pk.Site{pk.Plasma}
		if m.effectOn {
			sites = append(sites, pk.EffectSite)
		}
		for _, site := range sites {
			peak, err := p.Peak(site)
			if err != nil {
				t.Fatal(err)
			}
			at, err := p.At(peak.Time)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(at, peak); diff != "" {
				t.Fatalf("%s: Peak vs At(tmax) mismatch (-want +got):\n%s", site, diff)
			}
			// The level shown is the maximum found, rounded; tmax is at most
			// 1e−7 min from where it was found.
			full, err := p.PeakLevel(site)
			if err != nil {
				t.Fatal(err)
			}
			c := map[pk.Site]units.Quantity{pk.Plasma: peak.Cp, pk.EffectSite: peak.Ce}[site]
			if want := units.New(decimal.NewFromFloat(full.Value).Round(2), units.NgPerML); !c.Equal(want) && full.Time != minutes(peak.Time) {
				t.Fatalf("%s: Peak shows %v, PeakLevel %v ng/mL at %v min", site, c, full.Value, full.Time)
			}
			if d := math.Abs(minutes(peak.Time) - full.Time); d > 0.05+1e-9 {
				t.Fatalf("%s: tmax %v is %v min from PeakLevel's %v min", site, peak.Time, d, full.Time)
			}
			// PeakLevel's value is the level at its time: one evaluation.
			v, err := p.Level(site, units.New(decimal.NewFromFloat(full.Time), units.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if v != full.Value {
				t.Fatalf("%s: PeakLevel %v ng/mL at %v min, but Level there %v", site, full.Value, full.Time, v)
			}
		}
	})
}

// At the effect site's maximum Cp equals Ce, since dCe/dt = ke0·(Cp − Ce)
// vanishes there: a law of the model, not of the search, checked to the
// search's 1e−7 min.
func TestLawPlasmaMeetsTheEffectSiteAtItsPeak(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		if !m.effectOn {
			t.Skip("no effect site")
		}
		admins := genRegimen().Draw(t, "regimen")
		p := predict(t, m.model, admins)
		peak, err := p.PeakLevel(pk.EffectSite)
		if err != nil {
			t.Fatal(err)
		}
		at := units.New(decimal.NewFromFloat(peak.Time), units.Minute)
		cp, _ := p.Level(pk.Plasma, at)
		// |Cp − Ce| ≤ |d(Cp − Ce)/dt|·1e−7 min; the fastest rates drawn are
		// below 10 /min, so 1e−5 relative is ample.
		if math.Abs(cp-peak.Value) > 1e-5*peak.Value {
			t.Fatalf("at the Ce peak (%v min): Cp %v, Ce %v ng/mL, for %v", peak.Time, cp, peak.Value, admins)
		}
	})
}

// Each sample of Curve equals At at its time, on random models, regimens
// and grids: a curve and a single time never round one instant differently.
func TestLawCurveEqualsAt(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		admins := genRegimen().Draw(t, "regimen")
		p := predict(t, m.model, admins)
		from, to, step := genGrid(t)
		curve, err := p.Curve(from, to, step)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range curve {
			at, err := p.At(s.Time)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(at, s); diff != "" {
				t.Fatalf("Curve sample vs At mismatch for %v (-want +got):\n%s", admins, diff)
			}
		}
	})
}

// genGrid draws a curve's window and step: up to 12 h from a start in the
// first two hours, every 1 s to 30 min, at most 2,000 points.
func genGrid(t *rapid.T) (from, to, step units.Quantity) {
	unit := rapid.SampledFrom([]units.Unit{units.Second, units.Minute}).Draw(t, "unit")
	per := int64(1)
	if unit == units.Second {
		per = 60
	}
	f := rapid.Int64Range(0, 120*per).Draw(t, "from")
	s := rapid.Int64Range(1, 30*per).Draw(t, "step")
	n := rapid.Int64Range(0, min(1999, 720*per/s)).Draw(t, "points")
	return units.NewInt(f, unit), units.NewInt(f+n*s, unit), units.NewInt(s, unit)
}

// The stepped curve of Levels agrees with the closed form of Level at every
// time to 1e−11 relative, and is exactly 0 where the closed form is (before
// the first administration).
func TestLawLevelsAgreeWithLevel(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		admins := genRegimen().Draw(t, "regimen")
		p := predict(t, m.model, admins)
		from, to, step := genGrid(t)
		sites := []pk.Site{pk.Plasma}
		if m.effectOn {
			sites = append(sites, pk.EffectSite)
		}
		for _, site := range sites {
			lv, err := p.Levels(site, from, to, step)
			if err != nil {
				t.Fatal(err)
			}
			first := math.Inf(1)
			for _, a := range admins {
				first = math.Min(first, minutes(a.Start))
			}
			for k, v := range lv.Values {
				want, err := p.Level(site, lv.Time(k))
				if err != nil {
					t.Fatal(err)
				}
				if lv.Minutes(k) < first && v != 0 {
					t.Fatalf("%s at %v, before the first administration: %v", site, lv.Time(k), v)
				}
				// Below float64's normal range (2.2e−308) only the absolute
				// error is small: the closed form underflows to 0 where the
				// stepping still carries a subnormal.
				if math.Abs(v-want) > 1e-11*want+1e-300 {
					t.Fatalf("%s at %v: Levels %.17g, Level %.17g, for %v", site, lv.Time(k), v, want, admins)
				}
			}
		}
	})
}

func TestLevelsTimes(t *testing.T) {
	t.Parallel()
	p := ketamineSession()
	tests := []struct {
		name           string
		from, to, step string
		want           []string // the times of the values
		minutes        []float64
	}{
		{"seconds_step", "0 min", "1 min", "20 s", []string{"0 s", "20 s", "40 s", "60 s"}, []float64{0, 1.0 / 3, 2.0 / 3, 1}},
		{"hours_window_minutes_step", "1 h", "2 h", "30 min", []string{"60 min", "90 min", "120 min"}, []float64{60, 90, 120}},
		{"end_off_the_grid", "0 min", "25 min", "10 min", []string{"0 min", "10 min", "20 min"}, []float64{0, 10, 20}},
		{"one_point", "45 min", "45 min", "1 min", []string{"45 min"}, []float64{45}},
		{"decimal_step", "0.5 min", "0.8 min", "0.1 min", []string{"0.5 min", "0.6 min", "0.7 min", "0.8 min"}, []float64{0.5, 0.6, 0.7, 0.8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lv, err := p.Levels(pk.Plasma, q(tt.from), q(tt.to), q(tt.step))
			if err != nil {
				t.Fatal(err)
			}
			if lv.Unit != units.NgPerML || lv.Site != pk.Plasma || len(lv.Values) != len(tt.want) {
				t.Fatalf("Levels = %v %v with %d values, want ng/mL plasma with %d", lv.Unit, lv.Site, len(lv.Values), len(tt.want))
			}
			var got []string
			for k := range lv.Values {
				got = append(got, lv.Time(k).String())
				if m := lv.Minutes(k); math.Abs(m-tt.minutes[k]) > 1e-13 {
					t.Errorf("Minutes(%d) = %v, want %v", k, m, tt.minutes[k])
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Levels times mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The built-in models are built once and shared; no caller can change what
// another gets.
func TestBuiltinsAreBuiltOnce(t *testing.T) {
	a, _ := pk.Lookup("domino")
	b, _ := pk.Lookup(" DOMINO ")
	if a != b {
		t.Error("Lookup built the model again")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = pk.Lookup("hijazi") }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
	ms := pk.Models()
	ms[0] = nil
	if pk.Models()[0] == nil {
		t.Error("Models returned the package's own array")
	}
	params := a.Parameters()
	params.V1, params.Name = q("1 L"), "changed"
	if again := a.Parameters(); again.Name != "Domino" || !again.V1.Equal(q("0.063 L")) {
		t.Errorf("a caller changed the shared model's parameters: %v %v", again.Name, again.V1)
	}
	_, err := pk.Lookup("marsh")
	var unknown *pk.UnknownModelError
	if !errors.As(err, &unknown) {
		t.Fatalf("Lookup(marsh) = %v", err)
	}
	unknown.Known[0] = "changed"
	_, err = pk.Lookup("marsh")
	if errors.As(err, &unknown); unknown.Known[0] != "domino" {
		t.Errorf("the list of known models was shared: %v", unknown.Known)
	}
}

// The standard task's allocations, through the public API with the model
// looked up: the bound is 20 (a count, not a timing).
func TestStandardTaskAllocations(t *testing.T) {
	n := testing.AllocsPerRun(20, func() {
		m, _ := pk.Lookup("domino")
		p, _ := m.Predict(benchPatient, benchAdmins)
		if _, err := p.Levels(pk.Plasma, q("0 min"), q("6 h"), q("10 s")); err != nil {
			t.Fatal(err)
		}
	})
	if n > 20 {
		t.Errorf("the standard task allocates %v times, want at most 20", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ketamineSession().Level(pk.Plasma, q("45 min")) }); n > 20 {
		t.Errorf("one level allocates %v times", n)
	}
}

// Predict reads the age the way dosing does: completed years, or a birth
// date with the day of the calculation; Hijazi is valid from 18 years.
func TestPredictReadsTheDosingPatient(t *testing.T) {
	t.Parallel()
	m, _ := pk.Lookup("hijazi")
	date := func(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		patient dosing.Patient
		want    []string // warning keys
	}{
		{"adult_by_age_in_years", dosing.Patient{Weight: q("70 kg"), AgeYears: 40}, []string{}},
		// 2008-06-01 to 2026-05-31 is 17 completed years; a day later 18.
		{"birth_date_17_years", dosing.Patient{Weight: q("70 kg"), BirthDate: date(2008, 6, 1), AsOf: date(2026, 5, 31)},
			[]string{pk.WarnAgeOutOfRange}},
		{"birth_date_18_years", dosing.Patient{Weight: q("70 kg"), BirthDate: date(2008, 6, 1), AsOf: date(2026, 6, 1)}, []string{}},
		{"no_age", dosing.Patient{Weight: q("70 kg")}, []string{pk.WarnAgeNotGiven}},
		{"birth_date_without_the_day", dosing.Patient{Weight: q("70 kg"), BirthDate: date(2008, 6, 1)}, []string{pk.WarnAgeNotGiven}},
		{"height_and_sex_are_not_covariates", dosing.Patient{Weight: q("70 kg"), Height: q("175 cm"), Sex: dosing.Female, AgeYears: 30},
			[]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := m.Predict(tt.patient, []pk.Administration{pk.Bolus(q("10 mg"))})
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, w := range p.Warnings {
				got = append(got, w.Key)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
	_, err := m.Predict(dosing.Patient{Weight: q("70 kg"), BirthDate: date(2027, 1, 1), AsOf: date(2026, 1, 1)},
		[]pk.Administration{pk.Bolus(q("10 mg"))})
	if diff := cmp.Diff([]inputError{{"age_years", pk.ErrRange}}, fieldsOf(err), cmp.Comparer(errorsEqual)); diff != "" {
		t.Errorf("a birth date after the day of the calculation (-want +got):\n%s", diff)
	}
}
