package dosing_test

import (
	"encoding/json"
	"fmt"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Flags are written to JSON as the list of their names, an empty list when
// none is set.
func ExampleFlags_MarshalJSON() {
	b, err := json.Marshal(dosing.Rounded | dosing.Capped)
	fmt.Println(string(b), err)
	b, _ = json.Marshal(dosing.Flags(0))
	fmt.Println(string(b))
	// Output:
	// ["rounded","capped"] <nil>
	// []
}

// A name that is not a flag is refused, never dropped.
func ExampleFlags_UnmarshalJSON() {
	var f dosing.Flags
	err := json.Unmarshal([]byte(`["inexact","stretched"]`), &f)
	fmt.Println(f, err)
	err = json.Unmarshal([]byte(`["rounded","fuzzy"]`), &f)
	fmt.Println(err)
	// Output:
	// inexact, stretched <nil>
	// dosing: flags "fuzzy": unknown flag
}

// A patient's sex is written by name; not given, it is left out.
func ExampleSex_MarshalText() {
	b, _ := dosing.Female.MarshalText()
	fmt.Printf("%s\n", b)
	doc, _ := json.Marshal(dosing.Patient{Weight: units.MustParse("60 kg"), Sex: dosing.Female})
	fmt.Println(string(doc))
	doc, _ = json.Marshal(dosing.Patient{Weight: units.MustParse("60 kg")})
	fmt.Println(string(doc))
	// Output:
	// female
	// {"weight":"60 kg","sex":"female"}
	// {"weight":"60 kg"}
}

func ExampleSex_UnmarshalText() {
	var s dosing.Sex
	fmt.Println(s.UnmarshalText([]byte("male")), s)
	fmt.Println(s.UnmarshalText([]byte("M")), s)
	// Output:
	// <nil> male
	// dosing: patient.sex "M": must be "male" or "female" male
}

// An age carries its unit, as every number of the package does.
func ExampleYears_MarshalText() {
	b, _ := dosing.Years(45).MarshalText()
	fmt.Printf("%s\n", b)
	doc, _ := json.Marshal(dosing.Patient{Weight: units.MustParse("80 kg"), AgeYears: 1})
	fmt.Println(string(doc))
	// Output:
	// 45 years
	// {"weight":"80 kg","age":"1 year"}
}

func ExampleYears_UnmarshalText() {
	var y dosing.Years
	fmt.Println(y.UnmarshalText([]byte("1 year")), int(y))
	fmt.Println(y.UnmarshalText([]byte("45")))
	// Output:
	// <nil> 1
	// dosing: patient.age "45": must be whole years, such as "45 years"
}
