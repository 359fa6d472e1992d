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
	golden.Check(t, "pharmacist-check", out.Bytes())
	// By hand: 104 mL over 40 min is 156 mL/h; 15.6 mL/h is a tenth of it,
	// which would run the bag over 400 min. The check must name the cause.
	got := out.String()
	for _, want := range []string{"15.6 mL/h", "tenfold", "156 mL/h"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
