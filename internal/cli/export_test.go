package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/units"
)

// TestFlagsListTheHelp checks Flags against each command's help: the same
// flags, in the same order.
func TestFlagsListTheHelp(t *testing.T) {
	for _, name := range commandNames() {
		flags, ok := Flags(name)
		if !ok {
			t.Fatalf("Flags(%q): not found", name)
		}
		var got, want []string
		for _, f := range flags {
			got = append(got, "--"+f.Name)
		}
		var help bytes.Buffer
		Run([]string{"help", name}, strings.NewReader(""), &help, &help)
		for _, l := range strings.Split(help.String(), "\n") {
			if strings.HasPrefix(l, "  --") {
				want = append(want, strings.Fields(l)[0])
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: Flags and the help's flags (-help +Flags):\n%s", name, diff)
		}
	}
	if _, ok := Flags("dosage"); ok {
		t.Error(`Flags("dosage") found a command`)
	}
}

func TestFlagsDescribeEachFlag(t *testing.T) {
	flags, _ := Flags("dose")
	byName := map[string]Flag{}
	for _, f := range flags {
		byName[f.Name] = f
	}
	want := []Flag{
		{Name: "weight", Arg: "W", Usage: `body weight with its unit: 80kg, "80 kg", 176lb`, Heading: "Patient", Required: true},
		{Name: "level", Arg: "N", Usage: "titration level of the protocol's ladder: 1 is the first", Heading: "Dose"},
		{Name: "ack", Arg: "KEY=REASON", Usage: "acknowledge the review warning KEY (e.g. dose_per_kg.soft_max) with a reason; repeatable; recorded in the output", Heading: "Acknowledgements", Repeatable: true},
		{Name: "json", Usage: "write JSON (schema doseplan/dose/v1) instead of the worksheet", Heading: "Output"},
	}
	for _, w := range want {
		if diff := cmp.Diff(w, byName[w.Name]); diff != "" {
			t.Errorf("--%s (-want +got):\n%s", w.Name, diff)
		}
	}
}

func TestShow(t *testing.T) {
	cases := []struct{ in, want string }{
		{"40 mg", "40 mg"},
		{"1000 mg", "1,000 mg"}, // thousands separator
		{"0.384615384615384615384615384615 mg/mL", "≈ 0.3846 mg/mL"}, // 40 mg ÷ 104 mL, four places
		{"0.5 mg/kg", "0.5 mg/kg"},                                   // leading zero kept
		{"1.23456 mL", "≈ 1.2346 mL"},                                // half away from zero at the fourth place
	}
	for _, c := range cases {
		if got := Show(units.MustParse(c.in)); got != c.want {
			t.Errorf("Show(%s) = %q, want %q", c.in, got, c.want)
		}
	}
}

// windowsNotFound is a missing file as another system words it.
type windowsNotFound struct{}

func (windowsNotFound) Error() string        { return "The system cannot find the file specified." }
func (windowsNotFound) Is(target error) bool { return target == fs.ErrNotExist }

// TestMissingFileWords: a missing file reads the same on every system (the
// goldens expect these words; under Node.js the system says "No such file
// or directory"), and is still fs.ErrNotExist; other errors keep the
// system's words.
func TestMissingFileWords(t *testing.T) {
	for _, err := range []error{
		&fs.PathError{Op: "open", Path: "clinic.yaml", Err: windowsNotFound{}},
		&fs.PathError{Op: "open", Path: "clinic.yaml", Err: fs.ErrNotExist},
		windowsNotFound{},
	} {
		got := unwrapPath(err)
		if got.Error() != "no such file or directory" || !errors.Is(got, fs.ErrNotExist) {
			t.Errorf("unwrapPath(%v) = %q (errors.Is fs.ErrNotExist: %v)", err, got, errors.Is(got, fs.ErrNotExist))
		}
	}
	denied := &fs.PathError{Op: "open", Path: "clinic.yaml", Err: fs.ErrPermission}
	if got := unwrapPath(denied); got != fs.ErrPermission {
		t.Errorf("unwrapPath(%v) = %v, want the error inside", denied, got)
	}
}
