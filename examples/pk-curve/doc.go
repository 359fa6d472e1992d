// Command pk-curve prints what three published models predict for one
// planned IV ketamine infusion: the plasma concentration at the times of
// doseplan's clinical reference table (§8.2), the peaks, the level at the
// end of the infusion and when it falls below a threshold. Every number is a
// model estimate, not a measured level.
//
//	go run ./examples/pk-curve
//	go run ./examples/pk-curve -weight "80 kg" -dose "0.75 mg/kg" -over "40 min" -below "100 ng/mL"
//	go run ./examples/pk-curve -plot plots -format png   # one chart per model, in ./plots
package main
