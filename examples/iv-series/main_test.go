package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/internal/golden"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "iv-series", out.Bytes())
	// Independent of the golden file: WC15's dates and the 80 kg
	// arithmetic (0.5 mg/kg × 79.83 kg → 3.99 mL → 4 mL of 10 mg/mL = 40 mg;
	// 104 mL over 40 min = 156 mL/h).
	for _, want := range []string{"Mon 2025-03-03", "Wed 2025-03-05", "Fri 2025-03-07", "Mon 2025-03-10",
		"Wed 2025-03-12", "Fri 2025-03-14", "40 mg  4 mL    104 mL    156 mL/h",
		"For clinician verification — not a prescription"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// The README shows this program's output as the main job; it must be the
// real output, not a stale copy.
func TestReadmeShowsRealOutput(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```text\n"+out.String()+"```") {
		t.Error("README.md does not contain the current output of go run ./examples/iv-series; paste it again")
	}
}
