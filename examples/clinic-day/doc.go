// Command clinic-day is a clinic's day with one patient's series, through
// the library calls clinic software makes: the vital signs against the
// protocol's gates before a session, the session recorded in the patient's
// record (schedule.AppendEntry, which only ever adds), a missed session and
// the rest of the series replanned from the record with what changed and
// why (schedule.Diff), a session given with a dose typed wrong, flagged
// against the plan and corrected by a new entry, and the pharmacist's check
// of the next day's orders. It ends with the record as written, the file
// mrn-1234.yaml beside this program.
//
//	go run ./examples/clinic-day
//
// The same day from the command line is in the README ("A clinic's day").
// Everything it prints is for clinician verification, not a prescription.
package main
