// Command iv-series is doseplan's main job end to end: it loads the embedded
// example protocol for IV ketamine in treatment-resistant depression, works
// out a sample patient's body size and dosing weight, plans the series of
// sessions on a clinic calendar with each session's dose, preparation, pump
// rate and timeline, and prints the pharmacist's worksheet of the first
// session.
//
//	go run ./examples/iv-series
//
// Everything it prints is for clinician verification, not a prescription.
package main
