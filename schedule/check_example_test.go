package schedule_test

import (
	"fmt"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// A pump rate keyed in ten times too low is caught and explained, and the
// result names the exact protocol document it was checked against.
func ExampleProtocol_Check() {
	doc, _ := protocols.Read("iv-ketamine-trd")
	p, err := schedule.LoadProtocol(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	q := units.MustParse
	order := dosing.Order{Dose: q("40 mg"), FinalVolume: q("104 mL"), PumpRate: q("15.6 mL/h"), Duration: q("40 min")}
	res, err := p.Check(order, dosing.Patient{Weight: q("80 kg"), Height: q("175 cm"), Sex: dosing.Male, AgeYears: 45}, dosing.CheckOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Agreement, res.LikelyCauses[0].Kind, res.Provenance.SHA256 == p.SHA256())
	// Output:
	// mismatch tenfold true
}
