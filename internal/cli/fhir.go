package cli

import (
	"fmt"
	"io"
	"time"

	"github.com/doseplan/doseplan/fhir"
)

// fhirFlags are the flags of a FHIR R4 export, shared by dose and plan.
type fhirFlags struct {
	file, patient *string
}

// fhirFlags defines --fhir and --fhir-patient; what says what is exported,
// and instead what standard output has without --fhir -.
func (f *flagSet) fhirFlags(what, instead string) fhirFlags {
	return fhirFlags{
		file:    f.str("fhir", "FILE", "also write "+what+" as a FHIR R4 Bundle (draft proposals, never orders, with their Provenance) to FILE; with -, to standard output instead of the "+instead),
		patient: f.str("fhir-patient", "REF", `with --fhir: the patient's FHIR reference, e.g. Patient/123 (without it the export says the patient is not identified)`),
	}
}

// check reports the usage errors of the FHIR flags: --fhir - and --json
// both want standard output, and --fhir-patient needs --fhir.
func (x fhirFlags) check(f *flagSet, asJSON bool) {
	if *x.file == "-" && asJSON {
		f.errs = append(f.errs, "--fhir - and --json both write to standard output; give one")
	}
	if *x.file == "" && f.given("fhir-patient") {
		f.errs = append(f.errs, "--fhir-patient is only used with --fhir")
	}
}

// stamp checks --stamp and --plan-id for a command that uses them only
// with --fhir, and returns the stamp.
func (x fhirFlags) stamp(e *Env, f *flagSet, s string) time.Time {
	if *x.file == "" {
		for _, n := range []string{"plan-id", "stamp"} {
			if f.given(n) {
				f.errs = append(f.errs, "--"+n+" is only used with --fhir")
			}
		}
		return time.Time{}
	}
	if !f.given("stamp") {
		f.errs = append(f.errs, fhirNeedsStamp)
		return time.Time{}
	}
	return readStamp(e, f, s)
}

const fhirNeedsStamp = `--fhir needs --stamp: the time of the export, which its Provenance records: an RFC 3339 time (2025-03-01T12:00:00Z) or "now"`

// readStamp reads --stamp: an RFC 3339 time, or "now" for the clock.
func readStamp(e *Env, f *flagSet, s string) time.Time {
	if s == "now" {
		return e.Now().UTC().Truncate(time.Second)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		f.bad("stamp", s, `is not an RFC 3339 time (write e.g. 2025-03-01T12:00:00Z) or "now"`)
	}
	return t
}

// options are the export's options: the stamp, the plan's reference and the
// patient, with this program's version as the software.
func (x fhirFlags) options(stamp time.Time, id string) fhir.Options {
	return fhir.Options{Recorded: stamp, Software: versionText(), ID: id, Subject: fhir.Subject{Reference: *x.patient}}
}

// write writes an exported Bundle to --fhir's file through the CLI's file
// writer (to standard output for "-"), and says so on standard error.
func (x fhirFlags) write(e *Env, data []byte) error {
	if *x.file == "-" {
		_, err := e.Stdout.Write(data)
		return err
	}
	if err := e.writeFile("fhir", *x.file, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return err
	}
	fmt.Fprintf(e.Stderr, "doseplan: wrote a FHIR R4 bundle to %s\n", *x.file)
	return nil
}
