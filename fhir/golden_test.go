package fhir_test

import (
	"testing"

	"github.com/doseplan/doseplan/internal/golden"
)

// TestGoldens pins the JSON of each export (review every diff: run with
// -update to rewrite). TestValidator checks the same bytes against the
// official definitions.
func TestGoldens(t *testing.T) {
	for _, c := range exportCases(t) {
		t.Run(c.name, func(t *testing.T) { golden.Check(t, c.name, c.data) })
	}
}
