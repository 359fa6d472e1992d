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
	golden.Check(t, "esketamine-nasal", out.Bytes())
	// WC14: Mon/Thu in weeks 1–4, then Mondays; 56 mg = 2 devices at 0 and
	// 5 min, 84 mg = 3 devices at 0, 5 and 10 min; 2 h from the last device.
	for _, want := range []string{"Mon 2025-03-03  56 mg = 2 devices", "Thu 2025-03-06", "Thu 2025-03-27",
		"Mon 2025-03-31", "Mon 2025-04-21", "devices at 09:00, 09:05\n", "devices at 09:00, 09:05, 09:10\n",
		"observation until 11:05", "observation until 11:10"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
