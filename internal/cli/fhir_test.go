package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/internal/tooltest"
)

// TestFHIRValidates runs the FHIR R4 validator (tools/fhirvalidate, which
// .ci/run builds and puts on PATH) over every bundle the golden runs wrote:
// the files of --fhir FILE and the standard output of --fhir -.
func TestFHIRValidates(t *testing.T) {
	bin := tooltest.LookPath(t, "fhirvalidate", "build it with: (cd tools/fhirvalidate && go build -o DIR/fhirvalidate .) and put DIR on PATH (.ci/run does)")
	files := []string{filepath.Join("testdata", "dose_iv_fhir.dose.fhir.json.golden"), filepath.Join("testdata", "plan_nasal_fhir.plan.fhir.json.golden")}
	dir := t.TempDir()
	for _, name := range []string{"dose_nasal_fhir_stdout", "plan_iv_fhir_stdout"} {
		b, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		_, out, _ := strings.Cut(string(b), "-- stdout --\n")
		out, _, _ = strings.Cut(out, "-- stderr --\n")
		f := filepath.Join(dir, name+".json")
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(bin, files...).CombinedOutput()
	if err != nil {
		t.Fatalf("fhirvalidate: %v\n%s", err, out)
	}
	for _, f := range files {
		if !strings.Contains(string(out), "ok "+f+"\n") {
			t.Errorf("no ok line for %s in:\n%s", f, out)
		}
	}
}

// TestFHIROutput: a refused dose or plan writes no FHIR file.
func TestFHIROutput(t *testing.T) {
	dir := t.TempDir()
	r := runDoseplan(t, dir, "", "dose", "--protocol", "testdata/iv.yaml", "--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45",
		"--dose", "1.2mg/kg", "--fhir", "$TMP/dose.json", "--stamp", "now")
	if r.code != exitHard {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	r = runDoseplan(t, dir, "", "plan", "--protocol", "testdata/smallbag.yaml", "--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45",
		"--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00", "--fhir", "$TMP/plan.json", "--stamp", "now")
	if r.code != exitHard {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused export left files: %v", entries)
	}
}

// TestREADMEFHIRExcerpt: the README's FHIR excerpt is real output, the
// dosage of the golden run dose_iv_fhir (same command but for --plan-id,
// which changes only ids, outside the excerpt).
func TestREADMEFHIRExcerpt(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "### FHIR R4 export")
	_, rest, ok2 := strings.Cut(rest, "```json\n")
	excerpt, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no FHIR excerpt")
	}
	out, err := os.ReadFile(filepath.Join("testdata", "dose_iv_fhir.dose.fhir.json.golden"))
	if err != nil {
		t.Fatal(err)
	}
	flat := func(s string) string {
		lines := strings.Split(strings.TrimSpace(s), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimSpace(l)
		}
		return strings.Join(lines, "\n")
	}
	if !strings.Contains(flat(string(out)), flat(excerpt)) {
		t.Errorf("README.md's FHIR excerpt is not in testdata/dose_iv_fhir.dose.fhir.json.golden; paste it again")
	}
}
