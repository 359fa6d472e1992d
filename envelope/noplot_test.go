package envelope_test

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestNoPlotLeavesThePlotLibraryOut: the browser calculator's WebAssembly,
// built with the tag doseplan_noplot, links the command line (and so this
// package) but not gonum/plot and its fonts.
func TestNoPlotLeavesThePlotLibraryOut(t *testing.T) {
	if testing.Short() {
		t.Skip("lists the browser build's packages with the go command")
	}
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command(gotool, "list", "-deps", "-tags", "doseplan_noplot", "../web/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/doseplan/doseplan/envelope") {
		t.Fatalf("the browser build no longer links package envelope; this test guards nothing:\n%s", out)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "gonum.org/v1/plot") {
			t.Errorf("the browser build links %s", d)
		}
	}
}
