package cli

import (
	"fmt"
	"io"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

func replanCommand() command {
	return command{
		name:     "replan",
		summary:  "the rest of the series from the patient's record, and what changed against the plan",
		synopsis: "doseplan replan --protocol P --record FILE --from YYYY-MM-DD [plan flags] [--ics FILE --plan-id ID --stamp TIME] [--json]",
		about: `Plans the rest of the series from what the patient's record says happened
(see "doseplan record"), from --from on: "today", or the first day a session
may be planned. The plan is the one "doseplan plan" makes with the same
flags (patient, calendar, sessions); replanning keeps every constraint of
the protocol, measured from what actually happened: the minimum interval and
the sessions per 7 days from the sessions done, the cumulative caps with the
doses actually given, a missed session owed and planned again, a delayed one
on its new day, and the restart rule when a gap is too long. A level given at
a session is a clinician's decision the titration proposals go on from.
After a stop, nothing more is planned.

It prints the new plan, then every change against the plan without the
record, session by session with its reasons: moved (and why: missed,
delayed, done on another day, a closed day, the minimum interval), re-levelled,
another dose (the dose given), in another phase (a restart), dropped (a cap,
the stop) or added. The record must be of the protocol given: its SHA-256 is
checked.

` + filesAbout("--ics", true) + "\n\n" + exportsAbout,
		examples: []string{
			`doseplan replan --protocol example:iv-ketamine-trd --record mrn-1234.yaml --from 2025-03-06 --weight 80kg --height 175cm --sex male --age 45 --start 2025-03-03 --tz America/New_York --open mon-fri --at 09:00`,
			`doseplan replan --protocol clinic.yaml --record mrn-1234.yaml --from 2025-03-06 --weight 80kg --age 45 --start 2025-03-03 --tz Europe/Berlin --open mon,wed,fri --at 10:00 --ics plan.ics --plan-id MRN-1234 --stamp now`,
		},
		exits: "0 done; 1 input, protocol, record or file error; 2 usage error; 3 a session refused by a hard limit; 4 review warnings of sessions still to come not acknowledged",
		steps: func() steps { return typed[replanRequest, replanResponse]{new(replanCmd)} },
	}
}

// replanCmd is "doseplan replan": its flags, and its steps.
type replanCmd struct {
	protocol, file *string
	from           *schedule.Date
	series         *seriesFlags
	ics            icsFlags
	asJSON         *bool
}

// replanRequest is a replan command line, read.
type replanRequest struct {
	Output
	Protocol string
	File     string // --record
	From     schedule.Date
	Series   seriesInput
	ICS      icsExport
}

type replanResponse struct {
	doc replanDoc
	pl  *schedule.SessionPlan
}

// replanDoc is the JSON document of "doseplan replan" (doseplan/replan/v1).
type replanDoc struct {
	Schema        string                `json:"schema"`
	Notice        string                `json:"notice"`
	NeedsReview   bool                  `json:"needs_review"`
	UnmatchedAcks []string              `json:"unmatched_acks,omitempty"`
	Record        recordSummary         `json:"record"`
	ICS           *icsDoc               `json:"ics,omitempty"`
	Plan          *schedule.SessionPlan `json:"plan"`
	Changes       schedule.PlanDiff     `json:"changes"`
}

// recordSummary says which record a plan was replanned from.
type recordSummary struct {
	File     string `json:"file"`
	Patient  string `json:"patient"`
	Entries  int    `json:"entries"`
	InForce  int    `json:"in_force"` // the entries not corrected or withdrawn
	Protocol string `json:"protocol_sha256"`
}

func (c *replanCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	f.heading("Record")
	c.file = f.str("record", "FILE", `the patient's record file (see "doseplan record")`)
	c.from = f.date("from", `the first day a session may be planned: "today", or the day after`)
	f.require("record", "from")
	c.series = f.seriesFlags()
	f.heading("Output")
	c.ics = f.icsFlags()
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/replan/v1) instead of the table")
}

func (c *replanCmd) parse(f *flagSet, args []string) replanRequest {
	r := replanRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, File: *c.file, From: *c.from}
	r.Series = c.series.input(f)
	r.ICS = c.ics.export(f, r.JSON)
	noArgs(f, args)
	return r
}

func (c *replanCmd) run(e *Env, r replanRequest) (replanResponse, error) {
	p, err := e.loadProtocol(r.Protocol)
	if err != nil {
		return replanResponse{}, err
	}
	b, err := e.readFile("record", r.File, schedule.MaxDocumentBytes)
	if err != nil {
		return replanResponse{}, fmt.Errorf("record %q: %w", r.File, unwrapPath(err))
	}
	rec, err := schedule.LoadRecord(b)
	if err != nil {
		return replanResponse{}, fmt.Errorf("record %q: %w", r.File, err)
	}
	pl, err := r.Series.plan(p)
	if err != nil {
		return replanResponse{}, err
	}
	np, err := pl.ReplanRecord(rec, r.From)
	if err != nil {
		return replanResponse{}, fmt.Errorf("record %q: %w", r.File, err)
	}
	var all []dosing.Warning
	for _, s := range np.Sessions {
		all = append(all, s.Dose.Warnings...)
	}
	doc := replanDoc{Schema: schemaName("replan"), Notice: dosing.Notice, NeedsReview: len(openReviews(np)) > 0,
		UnmatchedAcks: unmatchedAcks(r.Series.Options.Acks, all),
		Record:        recordSummary{File: r.File, Patient: rec.Patient, Entries: len(rec.Entries), InForce: len(rec.Effective()), Protocol: rec.Protocol.SHA256},
		Plan:          np, Changes: schedule.Diff(pl, np)}
	return replanResponse{doc: doc, pl: np}, nil
}

func (c *replanCmd) render(e *Env, r replanRequest, resp replanResponse) int {
	doc := resp.doc
	var files []outFile
	if x := r.ICS; x.File != "" {
		when := x.Stamp.time(e)
		files = append(files, icsFile(x.File, resp.pl, x.PlanID, when))
		doc.ICS = &icsDoc{File: x.File, Events: len(resp.pl.Sessions), PlanID: x.PlanID, Stamp: when.UTC()}
	}
	stdout := onStdout(files...) // then the calendar is the output, not the table
	if files = e.heldForReview(len(openReviews(resp.pl)), "the plan", files); files == nil {
		doc.ICS = nil
	}
	if err := e.writeFiles(r.ICS.Force, files...); err != nil {
		return e.failWith("replan", r.JSON, err)
	}
	if !stdout {
		if code := e.output(r.JSON, doc, func(w io.Writer) error {
			fmt.Fprintf(w, "Record: %s, patient %s (entries: %d written, %d in force)\n", doc.Record.File, doc.Record.Patient, doc.Record.Entries, doc.Record.InForce)
			if err := resp.pl.WriteTable(w); err != nil {
				return err
			}
			fmt.Fprintln(w)
			return doc.Changes.WriteText(w)
		}); code != exitOK {
			return code
		}
	}
	e.noteWritten(files...)
	var all []dosing.Warning
	for _, s := range resp.pl.Sessions {
		all = append(all, s.Dose.Warnings...)
	}
	e.noteUnmatched(doc.UnmatchedAcks, all)
	return e.reportOpenReviews(resp.pl)
}
