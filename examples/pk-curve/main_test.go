package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/internal/golden"
)

// TestRun compares the program's output with testdata/pk-curve.golden. The
// output is decimal text only (every number went through units.Quantity), so
// it is the same on every platform. After a deliberate change, rewrite it
// with
//
//	go test ./examples/pk-curve -update
//
// and read the diff before committing it.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatalf("run: %v", err)
	}
	golden.Check(t, "pk-curve", out.Bytes())
	// Independent of the golden file: every model's section is labelled, and
	// the end-of-infusion levels are clinical.md WC17's (177.3, 225.3 and
	// 240.3 ng/mL at 0.1 ng/mL).
	if n := strings.Count(out.String(), "(model estimate, not a measured level)"); n != 3 {
		t.Errorf("%d model sections labelled as model estimates, want 3", n)
	}
	for _, want := range []string{"240.3", "177.3", "225.3"} {
		if !strings.Contains(out.String(), "end of infusion    "+want) {
			t.Errorf("output lacks an end-of-infusion level of %s ng/mL", want)
		}
	}
}

func TestRunWritesOnePlotPerModel(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := run(&buf, []string{"-plot", dir, "-format", "png"}); err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, id := range []string{"domino", "clements250", "hijazi"} {
		name := filepath.Join(dir, "pk-curve-"+id+".png")
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f.Close()
		if !strings.Contains(buf.String(), "wrote "+name) {
			t.Errorf("output does not mention %s", name)
		}
	}
}

func TestRunRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"weight_without_unit", []string{"-weight", "70"}, `units: parsing "70": missing unit`},
		{"dose_as_a_volume", []string{"-dose", "4 mL"}, `pk: administrations[0].amount "4 mL": wrong kind of quantity`},
		{"unknown_format", []string{"-plot", ".", "-format", "gif"}, `pk-curve: -format "gif": allowed: svg or png`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(&bytes.Buffer{}, tt.args)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) error = %v, want it to contain %q", tt.args, err, tt.want)
			}
		})
	}
}
