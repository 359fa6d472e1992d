// Command pharmacist-check double-checks two IV ketamine orders against the
// embedded example protocol, the way a pharmacist verifies a high-alert
// infusion: it recomputes the order independently, compares every value the
// order states, tests the order's own arithmetic, and explains a mismatch.
// The second order has the pump rate keyed in ten times too low.
//
//	go run ./examples/pharmacist-check
package main
