// Command troche-maintenance computes home-maintenance doses of sublingual
// ketamine troches from the embedded example protocol: a per-kg dose rounded
// down to half troches of one strength, capped per session, with a 7-day and
// a series cap on the total, for two patients.
//
//	go run ./examples/troche-maintenance
package main
