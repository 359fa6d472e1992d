package bridge

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/internal/cli"
)

// TestFormsAreTheCommandLinesFlags checks that every flag of each form's
// command is a field of the form or left out with a reason, and that
// nothing is left out that the command does not have (a renamed flag
// fails here, not in a browser).
func TestFormsAreTheCommandLinesFlags(t *testing.T) {
	forms := Forms()
	var commands []string
	for _, f := range forms {
		commands = append(commands, f.Command)
		flags, ok := cli.Flags(f.Command)
		if !ok {
			t.Fatalf("form %s: no such command", f.Command)
		}
		var have []string
		for _, fl := range flags {
			have = append(have, fl.Name)
		}
		for name, why := range f.LeftOut {
			if !slices.Contains(have, name) {
				t.Errorf("form %s leaves out --%s, which the command does not have", f.Command, name)
			}
			if why == "" {
				t.Errorf("form %s leaves out --%s without a reason", f.Command, name)
			}
		}
		var shown []string
		for _, fd := range f.Fields {
			shown = append(shown, fd.Name)
			if fd.Label == "" || fd.Usage == "" || fd.Heading == "" {
				t.Errorf("form %s: field %s has no label, usage or heading: %+v", f.Command, fd.Name, fd)
			}
			if fd.Flag != "--"+fd.Name {
				t.Errorf("form %s: field %s is flag %q", f.Command, fd.Name, fd.Flag)
			}
		}
		for _, name := range have {
			_, out := f.LeftOut[name]
			if in := slices.Contains(shown, name); in == out {
				t.Errorf("form %s: --%s is shown %v and left out %v; want exactly one", f.Command, name, in, out)
			}
		}
	}
	if diff := cmp.Diff([]string{"dose", "check", "plan", "body", "convert"}, commands); diff != "" {
		t.Errorf("forms (-want +got):\n%s", diff)
	}
}

// TestFormFields checks fields the page depends on, as the command line's
// help describes them.
func TestFormFields(t *testing.T) {
	fields := map[string]map[string]Field{}
	for _, f := range Forms() {
		fields[f.Command] = map[string]Field{}
		for _, fd := range append(f.Args, f.Fields...) {
			fields[f.Command][fd.Name] = fd
		}
	}
	cases := []struct {
		command, name string
		want          Field
	}{
		{"dose", "weight", Field{Name: "weight", Label: "Weight", Arg: "W", Usage: `body weight with its unit: 80kg, "80 kg", 176lb`, Heading: "Patient", Required: true, Flag: "--weight"}},
		{"dose", "sex", Field{Name: "sex", Label: "Sex", Arg: "male|female", Usage: "sex, for the sex-specific formulas (ideal and lean body weight)", Heading: "Patient", Choices: []string{"male", "female"}, Flag: "--sex"}},
		{"dose", "ack", Field{Name: "ack", Label: "Acknowledgements", Arg: "KEY=REASON", Usage: "acknowledge the review warning KEY (e.g. dose_per_kg.soft_max) with a reason; repeatable; recorded in the output", Heading: "Acknowledgements", Repeatable: true, Flag: "--ack"}},
		{"plan", "tz", Field{Name: "tz", Label: "Time zone", Arg: "ZONE", Usage: "the clinic's IANA time zone, e.g. America/New_York", Heading: "Calendar", Required: true, Flag: "--tz"}},
		{"plan", "closed", Field{Name: "closed", Label: "Clinic closed on", Arg: "DATE[..DATE][=NAME]", Usage: "a closed day or range of days, optionally named: 2025-04-18=Good Friday, 2025-12-24..2026-01-01; repeatable", Heading: "Calendar", Repeatable: true, Flag: "--closed"}},
		{"check", "draw-volume", Field{Name: "draw-volume", Label: "Draw volume", Arg: "V", Usage: "the volume drawn from the vial: 4mL", Heading: "Order (each value with the unit it was written in)", Flag: "--draw-volume"}},
		{"convert", "quantity", Field{Name: "quantity", Label: "Quantity", Arg: "QUANTITY", Usage: `the value to convert, with its unit: "12.5 mcg/kg/min", 176lb, "7 lb 4 oz"`, Heading: "Convert", Required: true, Positional: true}},
	}
	for _, c := range cases {
		got, ok := fields[c.command][c.name]
		if !ok {
			t.Errorf("form %s has no field %s", c.command, c.name)
			continue
		}
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("form %s, field %s (-want +got):\n%s", c.command, c.name, diff)
		}
	}
}

// TestFormsAskForNoFileName: a page cannot name a file on the disk (a new
// flag that takes one is left out with a reason, or given the file in
// memory as the protocol is), and shows no switch (--force) as a field.
func TestFormsAskForNoFileName(t *testing.T) {
	for _, f := range Forms() {
		for _, fd := range f.Fields {
			if strings.Contains(fd.Arg, "FILE") || strings.HasSuffix(fd.Arg, ".csv") {
				t.Errorf("form %s asks for a file name in --%s %s", f.Command, fd.Name, fd.Arg)
			}
			if fd.Arg == "" {
				t.Errorf("form %s shows the switch --%s as a text field (the page has no switches: leave it out, with the reason)", f.Command, fd.Name)
			}
		}
	}
}
