package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A model of the clinic's own, from a file: the Clements 250 parameters
// written out by hand give the same end-of-infusion level as the built-in
// set (177.31 ng/mL for 0.5 mg/kg over 40 min at 70 kg; clinical.md §8.2).
func TestPKModelFile(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model.yaml")
	doc := "name: Clinic model\ndrug: ketamine (racemic)\ncitation: clinic PK service\nscaling: linear\nreference_weight: 1 kg\n" +
		"v1: 1.7522 L\nk10: 0.0109 /min\nk12: 0.0186 /min\nk21: 0.0137 /min\n"
	if err := os.WriteFile(model, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(doc+"colour: blue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // in stdout, or in stderr for a failure
	}{
		{"model file predicts like the built-in set", []string{"pk", "--model-file", model, "--weight", "70kg", "--dose", "0.5 mg/kg", "--over", "40 min"}, exitOK, "Cp 177.31 ng/mL"},
		{"a model file with an unknown field is refused", []string{"pk", "--model-file", bad, "--weight", "70kg", "--dose", "35 mg"}, exitInput, "colour"},
		{"a missing model file is an input error", []string{"pk", "--model-file", filepath.Join(dir, "none.yaml"), "--weight", "70kg", "--dose", "35 mg"}, exitInput, "none.yaml"},
		{"both --model and --model-file is a usage error", []string{"pk", "--model", "domino", "--model-file", model, "--weight", "70kg", "--dose", "35 mg"}, exitUsage, "give one of --model and --model-file"},
		{"neither is a usage error", []string{"pk", "--weight", "70kg", "--dose", "35 mg"}, exitUsage, "give one of --model and --model-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tt.args, strings.NewReader(""), &out, &errOut)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out.String(), errOut.String())
			}
			text := out.String()
			if code != exitOK {
				text = errOut.String()
			}
			if !strings.Contains(text, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, text)
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line ends in white space: %q", line)
				}
			}
		})
	}
}
