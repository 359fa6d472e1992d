package pk_test

import (
	"fmt"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

func ExampleModel_Compartments() {
	for _, id := range []string{"domino", "hijazi"} {
		m, err := pk.Lookup(id)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(m, m.Compartments())
	}
	// Output:
	// Domino 3
	// Hijazi 2
}

// A model prints as its name, as every prediction and plot shows it.
func ExampleModel_String() {
	m, err := pk.Lookup("clements250")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m)
	fmt.Printf("the %s model\n", m)
	// Output:
	// Clements 250
	// the Clements 250 model
}

func ExampleFormat_String() {
	fmt.Println(pk.PNG, pk.SVG, pk.Format(0))
	// Output: png svg invalid format
}

func ExampleScaling_String() {
	fmt.Println(pk.ScaleNone, pk.ScaleLinear, pk.ScaleAllometric)
	fmt.Println(pk.Scaling(0))
	// Output:
	// none linear allometric
	// invalid scaling
}

// The zero Scaling is not written: a parameter set must say how it scales.
func ExampleScaling_MarshalText() {
	b, err := pk.ScaleAllometric.MarshalText()
	fmt.Printf("%s %v\n", b, err)
	_, err = pk.Scaling(0).MarshalText()
	fmt.Println(err)
	// Output:
	// allometric <nil>
	// pk: scaling: missing value (allowed: none, linear or allometric)
}

func ExampleSite_String() {
	fmt.Println(pk.Plasma, "and", pk.EffectSite)
	fmt.Println(pk.Site(0))
	// Output:
	// plasma and effect site
	// invalid site
}

// A warning prints as its message; its Key is for programs.
func ExampleWarning_String() {
	m, err := pk.Lookup("domino")
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := m.Predict(dosing.Patient{Weight: units.MustParse("70 kg")},
		[]pk.Administration{pk.Infusion(units.MustParse("35 mg"), units.MustParse("0 min"))})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, w := range p.Warnings {
		fmt.Println(w.Key+":", w)
	}
	// Output:
	// zero_duration_infusion: administrations[0]: an infusion over 0 min is predicted as a bolus at 0 min
}
