package cli

import (
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

// fhirExport is the FHIR export a command line asks for.
type fhirExport struct {
	File    string // --fhir: "" for none, "-" for standard output
	Patient string // --fhir-patient
}

func (x fhirFlags) export() fhirExport { return fhirExport{File: *x.file, Patient: *x.patient} }

// check reports the usage errors of the FHIR flags: --fhir-patient needs
// --fhir (standard output is checkFiles').
func (x fhirExport) check(f *flagSet) {
	if x.File == "" && f.given("fhir-patient") {
		f.errs = append(f.errs, "--fhir-patient is only used with --fhir")
	}
}

// fhirStamp reads --stamp and checks --plan-id for a command that uses them
// only with --fhir.
func fhirStamp(f *flagSet, x fhirExport, s string) stamp {
	if x.File == "" {
		for _, n := range []string{"plan-id", "stamp"} {
			if f.given(n) {
				f.errs = append(f.errs, "--"+n+" is only used with --fhir")
			}
		}
		return stamp{}
	}
	if !f.given("stamp") {
		f.errs = append(f.errs, fhirNeedsStamp)
		return stamp{}
	}
	return readStamp(f, s)
}

const fhirNeedsStamp = `--fhir needs --stamp: the time of the export, which its Provenance records: an RFC 3339 time (2025-03-01T12:00:00Z) or "now"`

// stamp is --stamp: a time, or the clock's when the command runs ("now").
type stamp struct {
	At  time.Time
	Now bool
}

// time is the stamp's time; only "now" reads the Env's clock.
func (s stamp) time(e *Env) time.Time {
	if s.Now {
		return e.Now().UTC().Truncate(time.Second)
	}
	return s.At
}

// readStamp reads --stamp: an RFC 3339 time, or "now" for the clock.
func readStamp(f *flagSet, s string) stamp {
	if s == "now" {
		return stamp{Now: true}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		f.bad("stamp", s, `is not an RFC 3339 time (write e.g. 2025-03-01T12:00:00Z) or "now"`)
	}
	return stamp{At: t}
}

// options are the export's options: the stamp, the plan's reference and the
// patient, with this program's version as the software.
func (x fhirExport) options(stamp time.Time, id string) fhir.Options {
	return fhir.Options{Recorded: stamp, Software: versionText(), ID: id, Subject: fhir.Subject{Reference: x.Patient}}
}

// file is the export's output file (standard output for "-"), with the
// bundle data.
func (x fhirExport) file(data []byte) outFile {
	return outFile{flag: "fhir", name: x.File, write: writeBytes(data), wrote: "a FHIR R4 bundle"}
}
