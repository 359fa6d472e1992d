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
	golden.Check(t, "troche-maintenance", out.Bytes())
	// By hand: 1.25 mg/kg × 80 kg = 100 mg = 2 troches of 50 mg exactly;
	// × 130 kg = 162.5 mg = 3.25 troches, down to half troches: 3 = 150 mg.
	// Twice weekly at 100 mg is 200 mg per 7 days (cap 300 mg).
	for _, want := range []string{"= 100 mg → 2 troches of 50 mg/troche = 100 mg", "= 162.5 mg → 3 troches of 50 mg/troche = 150 mg", "200 mg\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
