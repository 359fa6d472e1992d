package fhir_test

import (
	"testing"

	"github.com/doseplan/doseplan/fhir"
)

// BenchmarkPlan exports the esketamine series (18 sessions).
func BenchmarkPlan(b *testing.B) {
	p, pl := esketaminePlan(b)
	opt := testOptions()
	for b.Loop() {
		if _, err := fhir.Plan(pl, p, opt); err != nil {
			b.Fatal(err)
		}
	}
}
