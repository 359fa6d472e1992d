package pk_test

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

// One level at full precision, in ng/mL: a float64, not rounded to
// 0.01 ng/mL. Only the site asked for is computed.
func ExamplePrediction_Level() {
	p := ketamineSession()
	cp, err := p.Level(pk.Plasma, units.MustParse("45 min"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("Cp at 45 min: %.9f ng/mL (%s)\n", cp, pk.Estimate)
	// Output: Cp at 45 min: 91.412613748 ng/mL (model estimate, not a measured level)
}

// The standard curve, every 10 s for 6 h: 2,161 float64 values in ng/mL,
// without a decimal per point.
func ExamplePrediction_Levels() {
	p := ketamineSession()
	lv, err := p.Levels(pk.Plasma, units.MustParse("0 min"), units.MustParse("6 h"), units.MustParse("10 s"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(lv.Values), "values in", lv.Unit)
	for _, k := range []int{0, 240, 270, 2160} {
		fmt.Printf("%v: %.6f\n", lv.Time(k), lv.Values[k])
	}
	// Output:
	// 2161 values in ng/mL
	// 0 s: 0.000000
	// 2,400 s: 240.330811
	// 2,700 s: 91.412614
	// 21,600 s: 8.392772
}

// Time gives a value's exact time, in the finer unit of From and Step.
func ExampleLevels_Time() {
	lv, err := ketamineSession().Levels(pk.EffectSite, units.MustParse("1 h"), units.MustParse("2 h"), units.MustParse("30 min"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, ce := range lv.Values {
		fmt.Printf("%v  Ce %.4f ng/mL\n", lv.Time(k), ce)
	}
	// Output:
	// 60 min  Ce 56.6826 ng/mL
	// 90 min  Ce 43.4090 ng/mL
	// 120 min  Ce 36.1655 ng/mL
}

// Minutes gives the float64 time at which a value was evaluated, for a
// plot or further arithmetic: the float64 nearest the exact time.
func ExampleLevels_Minutes() {
	lv, err := ketamineSession().Levels(pk.Plasma, units.MustParse("0 s"), units.MustParse("30 s"), units.MustParse("10 s"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for k := range lv.Values {
		fmt.Println(lv.Time(k), "=", lv.Minutes(k), "min")
	}
	// Output:
	// 0 s = 0 min
	// 10 s = 0.16666666666666666 min
	// 20 s = 0.3333333333333333 min
	// 30 s = 0.5 min
}

// The peak at full precision: Value is the level at Time, one evaluation.
func ExamplePrediction_PeakLevel() {
	p := ketamineSession()
	for _, site := range []pk.Site{pk.Plasma, pk.EffectSite} {
		pt, err := p.PeakLevel(site)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %.4f ng/mL at %.4f min\n", site, pt.Value, pt.Time)
	}
	// Output:
	// plasma: 240.3308 ng/mL at 40.0000 min
	// effect site: 238.2964 ng/mL at 40.0104 min
}

func ExamplePrediction_Kinetics() {
	k, err := ketamineSession().Kinetics()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("volumes", k.Volumes)
	fmt.Println("clearances", k.Clearances)
	fmt.Println("half-lives", k.HalfLives, "ke0", k.Ke0)
	// Output:
	// volumes [4.41 L 10.572 L 178.212 L]
	// clearances [1,932 mL/min 2,611.2 mL/min 2,601.9 mL/min]
	// half-lives [0.4 min 4.57 min 114.62 min] ke0 0.652 /min
}

// A prediction's JSON carries its description and its kinetics; levels are
// asked for separately.
func ExamplePrediction_MarshalJSON() {
	m, _ := pk.Lookup("clements250")
	p, err := m.Predict(patient, []pk.Administration{pk.Bolus(units.MustParse("20 mg"))})
	if err != nil {
		fmt.Println(err)
		return
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(p); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"model":"Clements 250","citation":"Clements JA, Nimmo WS. Br J Anaesth 1981;53:27. PMID 7459184, doi:10.1093/bja/53.1.27 (250 mcg/kg bolus data), as in opentiva","label":"model estimate, not a measured level","weight":"70 kg","administrations":[{"start":"0 min","amount":"20 mg"}],"kinetics":{"volumes":["122.654 L","166.523 L"],"clearances":["1336.9 mL/min","2281.4 mL/min"],"half_lives":["17.59 min","182.93 min"],"ke0":"5.2 /min"},"warnings":[]}
}
