// Command esketamine-nasal plans an intranasal esketamine series from the
// embedded example protocol: 28 mg devices, twice weekly in weeks 1–4, weekly
// in weeks 5–8, then every 2 weeks; each session's devices 5 minutes apart,
// blood pressure before and about 40 minutes after, and at least 2 hours of
// observation counted from the last device.
//
//	go run ./examples/esketamine-nasal
package main
