package main

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/pk-curve.golden from the program's output")

// TestRun compares the program's output with testdata/pk-curve.golden. The
// output is decimal text only (every number went through units.Quantity), so
// it is the same on every platform. After a deliberate change, rewrite it
// with
//
//	go test ./examples/pk-curve -update
//
// and read the diff before committing it.
func TestRun(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, nil); err != nil {
		t.Fatalf("run: %v", err)
	}
	golden := filepath.Join("testdata", "pk-curve.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("run() output mismatch (-want +got):\n%s", diff)
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
