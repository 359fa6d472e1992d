package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/units-tour.golden from the program's output")

// TestRun compares the program's output with testdata/units-tour.golden, so
// the tour cannot quietly rot. After a deliberate change, rewrite the golden
// file with
//
//	go test ./examples/units-tour -update
//
// and read the diff before committing it.
func TestRun(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf, nil); err != nil {
		t.Fatalf("run: %v", err)
	}
	golden := filepath.Join("testdata", "units-tour.golden")
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
