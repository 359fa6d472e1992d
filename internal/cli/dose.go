package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/fhir"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func doseCommand() command {
	return command{
		name:     "dose",
		summary:  "one session's dose, preparation, pump settings and worksheet",
		synopsis: "doseplan dose --protocol P --weight W [--height H] [--sex male|female] [--age N | --birth-date D --as-of D] [--level N | --dose D] [--ack KEY=REASON]... [--json] [--fhir FILE --stamp TIME [--plan-id ID] [--fhir-patient REF]]\n       doseplan dose [--protocol P] [shared flags] --batch patients.csv [--json]",
		about: `Computes one session's dose from a protocol for a patient, the way a
pharmacist would on paper: body size, the dosing weight the protocol asks for,
the dose, caps and rounding, the volume to draw, the bag or syringe, the pump
rate and the dose rate that rate really delivers, with every limit checked on
the final, rounded values. The worksheet shows each step with its formula and
inputs, and ends with the verification notice.

A protocol is in mg or in units of activity, as heparin is dosed, never
both: the calculation is the same with units in place of mg, and a dose
given in the other kind is refused by name. A dose per day (40 mg/kg/day) is
divided into the protocol's doses_per_day doses, each rounding shown, and the
day as given is checked against its cap and limits per day.

The dose is the protocol's first level unless --level picks a level of its
titration ladder or --dose gives one (of the protocol's kind, e.g. 0.6 mg/kg);
choosing a higher level is a clinician's decision. A value beyond a hard limit
is refused (exit 3, no worksheet), and so is a patient outside a hard bound
of the population the protocol was written for (an 11-year-old on a protocol
for adults); a protocol that bounds the age needs --age or --birth-date. A
value beyond a soft limit, a patient outside a soft population bound, or a
dosing weight above the patient's actual weight prints the worksheet with a
review warning, and exits 4 until the warning is acknowledged with
--ack KEY=REASON. A dose or volume that rounding changes (whole devices,
half troches, the syringe's graduation, the pump's step) is shown "requested X
→ gives Y (deviation %)"; a change beyond the protocol's rounding_tolerance
for that value is a review warning too.

--fhir writes the dose for an EHR as a FHIR R4 Bundle: a MedicationRequest
(status draft, intent proposal) with the protocol's dose (ordered) and what it
gives this patient (calculated), in UCUM, and a Provenance naming the protocol
and its SHA-256. It needs --stamp, the time of the export: an RFC 3339 time
(2025-03-01T12:00:00Z), or "now" to read the clock.

--batch FILE works out the dose of every patient of a CSV file: a header
naming the columns, each a flag of dose without its dashes (weight, height,
sex, age, birth-date, as-of, level, dose, ack, protocol…) or id, then one
patient a row, each cell written as on the flag (80kg, 5ft9in, "0.6 mg/kg");
an empty cell is a flag not given, and the flags on the command line apply to
every row. It prints one row per patient (the dose and how it is given, or
why there is none) and a summary; with --json, JSON Lines (schema
doseplan/dose-batch/v1). A row that cannot be read is reported with its line
number and the others still run. The exit code is the first that applies of 1
(a row refused), 3 (a hard limit) and 4 (a warning to review), else 0.

` + filesAbout("--fhir", true) + "\n\n" + exportsAbout,
		examples: []string{
			"doseplan dose --protocol example:iv-ketamine-trd --weight 80kg --height 175cm --sex male --age 45",
			`doseplan dose --protocol clinic.yaml --weight 176lb --height 5ft10in --sex male --birth-date 1980-05-06 --as-of 2025-03-03 --level 3 --ack "dose_per_kg.soft_max=tolerated at session 4"`,
			"doseplan dose --protocol example:iv-ketamine-trd --batch patients.csv",
			"doseplan dose --protocol heparin-clinic.yaml --weight 189lb --age 60 --dose 12units/kg/h",
		},
		exits: "0 done; 1 input or protocol error; 2 usage error; 3 refused by a hard limit; 4 review warnings not acknowledged",
		steps: func() steps { return typed[doseRequest, doseResponse]{new(doseCmd)} },
		batch: func() rower {
			return batched[doseRequest, doseResponse]{
				func() stepper[doseRequest, doseResponse] { return new(doseCmd) }, doseRow}
		},
	}
}

// doseCmd is "doseplan dose": its flags, and its steps.
type doseCmd struct {
	protocol      *string
	patient       *patientFlags
	level         *int
	dose          *units.Quantity
	acks          *ackFlags
	asJSON, force *bool
	fhir          fhirFlags
	stamp, planID *string
}

// doseRequest is a dose command line, read.
type doseRequest struct {
	Output
	Protocol string // --protocol: a file, "-" or example:NAME
	Patient  dosing.Patient
	Level    int            // --level, from 1; 0 when not given
	Dose     units.Quantity // --dose; the zero Quantity when not given
	Acks     []dosing.Ack
	FHIR     fhirExport
	Stamp    stamp  // with --fhir
	PlanID   string // with --fhir
	Force    bool   // --force
}

// doseResponse is the dose computed, and its FHIR export when asked for.
type doseResponse struct {
	doc  doseDoc
	fhir []byte
}

func (c *doseCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	c.patient = f.patientFlags("")
	f.heading("Dose")
	c.level = f.integer("level", "N", "titration level of the protocol's ladder: 1 is the first", 1, 1000)
	c.dose = f.quantity("dose", "D", `the dose to calculate, of the protocol's kind ("0.6 mg/kg" for a per-kg protocol); instead of --level`, kDoseLevel())
	c.acks = f.ackFlags()
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/dose/v1) instead of the worksheet")
	c.fhir = f.fhirFlags("the dose", "worksheet")
	c.stamp = f.str("stamp", "TIME", `with --fhir: the time of the export, an RFC 3339 time such as 2025-03-01T12:00:00Z, or "now"`)
	c.planID = f.str("plan-id", "ID", "with --fhir: the reference of the order or plan (e.g. the patient's record number); resource ids derive from it")
	c.force = f.forceFlag("fhir")
}

func (c *doseCmd) parse(f *flagSet, args []string) doseRequest {
	r := doseRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, Level: *c.level, Dose: *c.dose, PlanID: *c.planID, Force: *c.force}
	r.Patient, _ = c.patient.patient(f, schedule.Date{})
	r.Acks = c.acks.acks(f)
	r.FHIR = c.fhir.export()
	r.Stamp = fhirStamp(f, r.FHIR, *c.stamp)
	r.FHIR.check(f)
	checkFiles(f, r.JSON, outFile{flag: "fhir", name: r.FHIR.File})
	if f.given("level") && f.given("dose") {
		f.errs = append(f.errs, "--level and --dose both choose the dose; give one")
	}
	noArgs(f, args)
	return r
}

func (c *doseCmd) run(e *Env, r doseRequest) (doseResponse, error) {
	p, choice, err := e.protocolAt(r.Protocol, r.Level, r.Dose)
	if err != nil {
		return doseResponse{}, err
	}
	res, err := p.Calculate(r.Patient, dosing.Options{Dose: choice.dose, Acks: r.Acks})
	if err != nil {
		return doseResponse{}, err
	}
	out := doseResponse{doc: doseDoc{
		Schema:         schemaName("dose"),
		Notice:         dosing.Notice,
		TitrationLevel: choice.level,
		Notes:          choice.notes,
		Findings:       findingsOrEmpty(p.Findings()),
		NeedsReview:    res.NeedsReview(),
		UnmatchedAcks:  unmatchedAcks(r.Acks, res.Warnings),
		Result:         res,
	}}
	if r.FHIR.File != "" {
		out.fhir, err = fhir.Dose(p, res, choice.dose, r.FHIR.options(r.Stamp.time(e), r.PlanID))
	}
	return out, err
}

func (c *doseCmd) render(e *Env, r doseRequest, resp doseResponse) int {
	doc := resp.doc
	var files []outFile
	if r.FHIR.File != "" {
		files = append(files, r.FHIR.file(resp.fhir))
	}
	stdout := onStdout(files...) // then the bundle is the output, not the worksheet
	files = e.heldForReview(len(doc.Result.Unacknowledged()), "the dose", files)
	if err := e.writeFiles(r.Force, files...); err != nil {
		return e.failWith("dose", r.JSON, err)
	}
	if !stdout {
		if code := e.output(r.JSON, doc, func(w io.Writer) error {
			writeNotes(w, doc.Notes, doc.Findings)
			return doc.Result.WriteWorksheet(w)
		}); code != exitOK {
			return code
		}
	}
	e.noteWritten(files...)
	e.noteUnmatched(doc.UnmatchedAcks, doc.Result.Warnings)
	return e.reportReview(doc.Result.Unacknowledged(), "")
}

// doseDoc is the JSON document of "doseplan dose" (doseplan/dose/v1).
type doseDoc struct {
	Schema         string             `json:"schema"`
	Notice         string             `json:"notice"`
	TitrationLevel int                `json:"titration_level,omitempty"`
	Notes          []string           `json:"notes"`
	Findings       []schedule.Finding `json:"protocol_findings"`
	NeedsReview    bool               `json:"needs_review"`
	UnmatchedAcks  []string           `json:"unmatched_acks,omitempty"`
	Result         dosing.Result      `json:"result"`
}

// levelChoice is the dose a command line asks for: the zero Quantity for
// the protocol's own dose, with the 1-based titration level when known and
// notes for the reader.
type levelChoice struct {
	dose  units.Quantity
	level int
	notes []string
}

// protocolAt loads the protocol src and chooses the dose --level (from 1;
// 0 when not given) or --dose asks of it.
func (e *Env) protocolAt(src string, level int, dose units.Quantity) (*schedule.Protocol, levelChoice, error) {
	p, err := e.loadProtocol(src)
	if err != nil {
		return nil, levelChoice{}, err
	}
	choice, err := chooseLevel(p, level, dose)
	return p, choice, err
}

// chooseLevel turns --level (from 1; 0 when not given) or --dose into the
// dose to calculate.
func chooseLevel(p *schedule.Protocol, level int, dose units.Quantity) (levelChoice, error) {
	var c levelChoice
	byLevel := level > 0
	t := p.Titration
	ladder := func() string {
		var s []string
		for i, q := range t.Steps {
			s = append(s, fmt.Sprintf("%d: %s", i+1, q))
		}
		return strings.Join(s, ", ")
	}
	switch {
	case byLevel && t == nil:
		return c, fmt.Errorf("--level %d: the protocol has no titration ladder (give --dose, or leave both out for the protocol's dose)", level)
	case byLevel && level > len(t.Steps):
		return c, fmt.Errorf("--level %d: the protocol's titration ladder has %d levels (%s)", level, len(t.Steps), ladder())
	case byLevel:
		c.dose, c.level = t.Steps[level-1], level
		c.notes = append(c.notes, fmt.Sprintf("titration level %d of %d (%s), chosen with --level", level, len(t.Steps), c.dose))
	case dose.IsValid():
		c.dose = dose
		if t != nil {
			for i, q := range t.Steps {
				if cmp, err := q.Cmp(dose); err == nil && cmp == 0 {
					c.level = i + 1
				}
			}
			if c.level == 0 {
				c.notes = append(c.notes, fmt.Sprintf("the dose %s given with --dose is not a level of the protocol's titration ladder (%s)", dose, ladder()))
			} else {
				c.notes = append(c.notes, fmt.Sprintf("titration level %d of %d (%s), chosen with --dose", c.level, len(t.Steps), dose))
			}
		} else {
			c.notes = append(c.notes, fmt.Sprintf("the dose %s was given with --dose instead of the protocol's", dose))
		}
	}
	if c.notes == nil {
		c.notes = []string{}
	}
	return c, nil
}

func findingsOrEmpty(fs []schedule.Finding) []schedule.Finding {
	if fs == nil {
		return []schedule.Finding{}
	}
	return fs
}

// writeNotes writes the notes and protocol findings that come before a
// worksheet, if there are any.
func writeNotes(w io.Writer, notes []string, findings []schedule.Finding) {
	if len(notes) == 0 && len(findings) == 0 {
		return
	}
	fmt.Fprintln(w, "NOTES")
	for _, n := range notes {
		fmt.Fprintf(w, "- %s\n", n)
	}
	for _, fd := range findings {
		fmt.Fprintf(w, "- protocol %s\n", fd)
	}
	fmt.Fprintln(w)
}

// noArgs records an error for positional arguments a command does not take.
func noArgs(f *flagSet, args []string) {
	if len(args) > 0 {
		f.errs = append(f.errs, fmt.Sprintf("unexpected argument %q (this command takes flags only; quote values with spaces: --weight \"80 kg\")", args[0]))
	}
}
