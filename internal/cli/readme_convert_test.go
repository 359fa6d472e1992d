package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README pastes the output of two convert runs; each must be the output
// its golden file holds, so that the README cannot drift from the program.
func TestReadmeConvertOutputs(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"convert_dose_rate_per_kg_to_drip", "convert_infusion_time"} {
		g, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		_, out, ok := strings.Cut(string(g), "-- stdout --\n")
		out, _, ok2 := strings.Cut(out, "-- stderr --")
		if !ok || !ok2 {
			t.Fatalf("%s.golden has no stdout section", name)
		}
		block := "```text\n" + out + "```"
		if !strings.Contains(string(readme), block) {
			t.Errorf("README.md does not show the output of %s.golden; paste it again:\n%s", name, block)
		}
	}
}
