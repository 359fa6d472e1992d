package pk_test

import (
	"errors"
	"math"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// ng returns a quantity in ng/mL as a float, for comparison with Exact (mg/L).
func ng(q units.Quantity) float64 {
	c, _ := q.Convert(units.NgPerML)
	return c.Value().InexactFloat64() / 1000
}

// Peak's Cmax is at least every value on a fine grid, at both sites, and is
// attained at the time it reports (to its rounding).
func TestPeakIsTheHighestPoint(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		admins := genRegimen().Draw(t, "regimen")
		p := predict(t, m.model, admins)
		sites := []pk.Site{pk.Plasma}
		if m.effectOn {
			sites = append(sites, pk.EffectSite)
		}
		for _, site := range sites {
			s, err := p.Peak(site)
			if err != nil {
				t.Fatal(err)
			}
			cmax := ng(s.Cp)
			if site == pk.EffectSite {
				cmax = ng(s.Ce)
			}
			for i := 0; i <= 20000; i++ {
				at := float64(i) * 0.02 // 0 to 400 min
				cp, ce := p.Exact(at)
				c := cp
				if site == pk.EffectSite {
					c = ce
				}
				if c > cmax+0.005e-3 { // half of the 0.01 ng/mL rounding
					t.Fatalf("%s at %v min = %g mg/L above Cmax %v at %v, for %v, v1 %v cl %v ke0 %v", site, at, c, cmax, s.Time, admins, m.parameter.V1, m.parameter.CL, m.parameter.Ke0)
				}
			}
		}
	})
}

// TimeBelow is rounded up: the level is below the threshold at the time
// returned and at every later time, and above it 0.1 min earlier (once the
// input has stopped, where the level only falls).
func TestTimeBelowIsTheLastCrossing(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := genModel(1, 2, 3).Draw(t, "model")
		p := predict(t, m.model, genRegimen().Draw(t, "regimen"))
		peak, err := p.Peak(pk.Plasma)
		if err != nil {
			t.Fatal(err)
		}
		frac := decimal.New(rapid.Int64Range(1, 120).Draw(t, "percent_of_cmax"), -2)
		threshold, _ := peak.Cp.Scale(frac)
		if threshold.Sign() == 0 {
			t.Skip("Cmax rounds to 0 ng/mL")
		}
		below, reached, err := p.TimeBelow(pk.Plasma, threshold)
		if errors.Is(err, pk.ErrRange) {
			t.Skip("the crossing is more than a year after the last administration")
		}
		if err != nil {
			t.Fatal(err)
		}
		limit := ng(threshold)
		if !reached {
			if frac.LessThan(decimal.NewFromInt(1)) {
				t.Fatalf("threshold %v under Cmax %v not reached", threshold, peak.Cp)
			}
			return
		}
		tb := minutes(below)
		for i := 0; i <= 2000; i++ {
			at := tb + float64(i)*float64(i)*0.001
			if cp, _ := p.Exact(at); cp >= limit {
				t.Fatalf("Cp at %v min = %g mg/L, at or above %v after TimeBelow %v", at, cp, threshold, below)
			}
		}
		end, _ := p.EndOfInfusion()
		if before := tb - 0.1; before > minutes(end.Time) {
			if cp, _ := p.Exact(before); cp < limit {
				t.Fatalf("Cp at %v min = %g mg/L, already below %v: TimeBelow %v is late", before, cp, threshold, below)
			}
		}
	})
}

// A regimen whose level falls below the threshold during the administrations
// and never returns: the crossing is found between events, not after them.
func TestTimeBelowDuringTheAdministrations(t *testing.T) {
	t.Parallel()
	m, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Predict(dosing.Patient{Weight: q("70 kg")}, []pk.Administration{
		pk.Bolus(q("35 mg")),
		{Start: q("10 min"), Amount: q("1 mg"), Duration: q("2 h")}, // a trickle that keeps the input going
	})
	if err != nil {
		t.Fatal(err)
	}
	below, reached, err := p.TimeBelow(pk.Plasma, q("1000 ng/mL"))
	if err != nil || !reached {
		t.Fatal(below, reached, err)
	}
	tb := minutes(below)
	if tb <= 0 || tb >= 10 {
		t.Fatalf("TimeBelow = %v, want within the first 10 min", below)
	}
	if cp, _ := p.Exact(tb); cp >= 1 {
		t.Errorf("Cp at %v = %g mg/L, not below 1 mg/L", below, cp)
	}
	if cp, _ := p.Exact(tb - 0.1); cp < 1 {
		t.Errorf("Cp at %v min = %g mg/L, already below 1 mg/L", tb-0.1, cp)
	}
	if _, frac := math.Modf(tb * 10); frac > 1e-9 && frac < 1-1e-9 {
		t.Errorf("TimeBelow %v is not a multiple of 0.1 min", below)
	}
}

// For the 40-min infusion, at both sites and for each built-in model, the
// level is below the threshold at TimeBelow and at or above it 0.1 min
// earlier: the crossing lies in the last 0.1 min, as the rounding up says.
func TestTimeBelowBracketsTheCrossing(t *testing.T) {
	t.Parallel()
	for _, m := range pk.Models() {
		p, err := m.Predict(dosing.Patient{Weight: q("70 kg"), AgeYears: 40}, []pk.Administration{pk.Infusion(q("0.5 mg/kg"), q("40 min"))})
		if err != nil {
			t.Fatal(err)
		}
		for _, site := range []pk.Site{pk.Plasma, pk.EffectSite} {
			for _, threshold := range []string{"200 ng/mL", "100 ng/mL", "50 ng/mL", "10 ng/mL"} {
				t.Run(m.Parameters().ID+"/"+site.String()+"/"+threshold, func(t *testing.T) {
					below, reached, err := p.TimeBelow(site, q(threshold))
					if err != nil {
						t.Fatal(err)
					}
					if !reached { // then the peak is under the threshold
						peak, _ := p.Peak(site)
						if c := map[pk.Site]units.Quantity{pk.Plasma: peak.Cp, pk.EffectSite: peak.Ce}[site]; ng(c) >= ng(q(threshold)) {
							t.Errorf("not reached, but the peak is %v", c)
						}
						return
					}
					at := func(m float64) float64 {
						cp, ce := p.Exact(m)
						if site == pk.EffectSite {
							return ce
						}
						return cp
					}
					limit, tb := ng(q(threshold)), minutes(below)
					if c := at(tb); c >= limit {
						t.Errorf("level at %v = %g mg/L, not below %s", below, c, threshold)
					}
					if c := at(tb - 0.1); c < limit {
						t.Errorf("level 0.1 min before %v = %g mg/L, already below %s", below, c, threshold)
					}
				})
			}
		}
	}
}

// A prediction is read from several goroutines at once (run with -race).
func TestPredictionIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	p := ketamineSession()
	want, err := p.Curve(q("0 min"), q("2 h"), q("1 min"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []pk.Sample)
	for range 4 {
		go func() {
			got, _ := p.Curve(q("0 min"), q("2 h"), q("1 min"))
			_, _ = p.Peak(pk.EffectSite)
			done <- got
		}()
	}
	for range 4 {
		if diff := cmp.Diff(want, <-done); diff != "" {
			t.Errorf("concurrent Curve mismatch (-want +got):\n%s", diff)
		}
	}
}
