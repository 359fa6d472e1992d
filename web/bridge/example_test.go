package bridge_test

import (
	"fmt"

	"github.com/doseplan/doseplan/web/bridge"
)

// A form's fields run as the command line's flags: the same refusal, next
// to the field it names.
func ExampleRun() {
	resp := bridge.Run(bridge.Request{Command: "dose", Flags: []bridge.Flag{
		{Name: "protocol", Value: "example:iv-ketamine-trd"},
		{Name: "weight", Value: "80"},
	}}, nil, nil)
	fmt.Println(resp.ExitCode)
	for _, e := range resp.Errors {
		fmt.Println(e.Fields, e.Message)
	}
	// Output:
	// 2
	// [weight] --weight "80": missing unit; write a body weight with its unit, e.g. "80 kg"
}

// The page's forms are the command line's flags, as its help lists them.
func ExampleForms() {
	for _, f := range bridge.Forms() {
		if f.Command != "body" {
			continue
		}
		for _, fd := range f.Fields[:2] {
			fmt.Printf("%s (%s %s): %s\n", fd.Label, fd.Flag, fd.Arg, fd.Usage)
		}
	}
	// Output:
	// Weight (--weight W): body weight with its unit: 80kg, "80 kg", 176lb
	// Height (--height H): height with its unit: 175cm, 1.75m, 69in, 5ft9in
}
