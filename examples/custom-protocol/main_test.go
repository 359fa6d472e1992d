package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/internal/golden"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "custom-protocol", out.Bytes())
	// By hand: 5 ft = 60 in, so Robinson IBW (female) = 49 kg, less than
	// 95 kg; 0.5 mg/kg × 49 kg = 24.5 mg = 0.49 mL of 50 mg/mL, made up to
	// 24.5 mL at 1 mg/mL; 24.5 mL over 40 min = 36.75 mL/h → 36.8 (half even).
	for _, want := range []string{"From YAML: 24.5 mg, draw 0.49 mL of 50 mg/mL, syringe 24.5 mL, pump 36.8 mL/h",
		"Same dose: true", `"0.1 cc"`, "session.drive_home", "dose.per_kg", "dose.limits.concentration.hard_max"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
