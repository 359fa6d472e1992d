package protocols_test

import (
	"bytes"
	"fmt"

	"github.com/doseplan/doseplan/examples/protocols"
)

func ExampleNames() {
	for _, name := range protocols.Names() {
		fmt.Println(name)
	}
	// Output:
	// chronic-pain-infusion
	// esketamine-nasal
	// iv-ketamine-trd
	// troche-maintenance
}

// Read gives the file's bytes as embedded, starting with the notice that
// it is an example for the clinic to review.
func ExampleRead() {
	doc, err := protocols.Read("iv-ketamine-trd")
	if err != nil {
		fmt.Println(err)
		return
	}
	first, _, _ := bytes.Cut(doc, []byte("\n"))
	fmt.Println(string(first))

	_, err = protocols.Read("ketamine")
	fmt.Println(err)
	// Output:
	// # EXAMPLE PROTOCOL: to be reviewed and adapted by the clinic before any use.
	// protocols: no example protocol "ketamine" (have: chronic-pain-infusion, esketamine-nasal, iv-ketamine-trd, troche-maintenance)
}

func ExampleLoad() {
	p, err := protocols.Load("esketamine-nasal")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Dosing.Route, p.Dosing.Dose, p.Dosing.Form.Strength)
	// Output:
	// intranasal 56 mg 28 mg/device
}
