package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

func gateCommand() command {
	return command{
		name:     "gate",
		summary:  "pre-session vital signs against the protocol's gates: proceed, warn or hold",
		synopsis: `doseplan gate --protocol P --vitals "bp=S/D hr=N spo2=N" [--json]`,
		about: `Compares the readings taken before a session with the protocol's vital-sign
gates (its vitals section: hold and warn thresholds) and decides: hold if a
hold gate is met, warn (a clinician looks before proceeding) if a warn gate is
met, else proceed. Every gate is shown with its reading and its bound. A
reading a gate needs but that was not taken meets the gate: a check the
protocol asks for cannot pass unmeasured.

--vitals takes bp (systolic/diastolic), hr and spo2, separated by spaces or
commas; each key has one unit (mmHg, /min, %), which may be written
("spo2=97%"). A reading that cannot be one (a blood pressure of 400/20 mmHg,
an SpO2 of 140 %, a diastolic not below the systolic) is refused as an input
error (exit 1), never decided on: take it again. doseplan has no thresholds of
its own: a protocol without gates is refused with exit 1, never passed.`,
		examples: []string{
			`doseplan gate --protocol example:iv-ketamine-trd --vitals "bp=150/95 hr=88 spo2=97"`,
			`doseplan gate --protocol clinic.yaml --vitals "bp=128/82, hr=74, spo2=98%" --json`,
		},
		exits: "0 proceed; 4 warn: a clinician looks before proceeding; 6 hold: do not proceed; 1 input or protocol error (an impossible reading, a protocol without gates); 2 usage error",
		steps: func() steps { return typed[gateRequest, gateDoc]{new(gateCmd)} },
	}
}

// gateCmd is "doseplan gate": its flags, and its steps.
type gateCmd struct {
	protocol, vitals *string
	asJSON           *bool
}

// gateRequest is a gate command line, read: the readings as typed, since
// whether they are possible is for the run step to say (exit 1, not 2).
type gateRequest struct {
	Output
	Protocol string
	Vitals   string
}

// gateDoc is the JSON document of "doseplan gate" (doseplan/gate/v1).
type gateDoc struct {
	Schema   string                   `json:"schema"`
	Notice   string                   `json:"notice"`
	Protocol dosing.Provenance        `json:"protocol"`
	Readings schedule.Vitals          `json:"readings"`
	Decision schedule.Decision        `json:"decision"`
	Findings []schedule.VitalsFinding `json:"findings"`
	Gates    []schedule.GateReading   `json:"gates"`
}

func (c *gateCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	f.heading("Readings")
	c.vitals = f.str("vitals", "READINGS", `the readings before the session: "bp=150/95 hr=88 spo2=97" (mmHg, /min, %)`)
	f.require("vitals")
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/gate/v1) instead of text")
}

func (c *gateCmd) parse(f *flagSet, args []string) gateRequest {
	r := gateRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, Vitals: *c.vitals}
	if f.given("vitals") {
		// What cannot be read is the command line's error; what cannot be
		// a reading is the input's, reported by run.
		if _, err := schedule.ParseVitals(*c.vitals); err != nil && !onlyRange(err) {
			badVitals(f, err)
		}
	}
	noArgs(f, args)
	return r
}

// badVitals records the usage errors of --vitals, one a reading.
func badVitals(f *flagSet, err error) {
	for _, l := range leaves(err) {
		var fe *schedule.FieldError
		if errors.As(l.err, &fe) {
			f.errs = append(f.errs, fmt.Sprintf("--vitals: %q %s", fe.Value, fe.Msg))
		} else {
			f.errs = append(f.errs, "--vitals: "+l.msg)
		}
	}
}

// onlyRange reports whether every error of err is a value out of range or
// in conflict with another: readings that were read, but cannot be.
func onlyRange(err error) bool {
	for _, l := range leaves(err) {
		if !errors.Is(l.err, schedule.ErrRange) && !errors.Is(l.err, schedule.ErrConflict) || strings.Contains(l.msg, "given twice") {
			return false
		}
	}
	return true
}

func (c *gateCmd) run(e *Env, r gateRequest) (gateDoc, error) {
	p, err := e.loadProtocol(r.Protocol)
	if err != nil {
		return gateDoc{}, err
	}
	v, err := schedule.ParseVitals(r.Vitals)
	if err != nil {
		return gateDoc{}, err
	}
	check, err := schedule.CheckVitals(p, v)
	if err != nil {
		return gateDoc{}, err
	}
	gates, err := p.Vitals.Readings(v)
	if err != nil {
		return gateDoc{}, err
	}
	doc := gateDoc{Schema: schemaName("gate"), Notice: dosing.Notice,
		Protocol: dosing.Provenance{Name: p.Dosing.Name, Version: p.Dosing.Version, Source: p.Dosing.Source, SHA256: p.SHA256()},
		Readings: v, Decision: check.Decision, Findings: check.Findings, Gates: gates}
	if doc.Findings == nil {
		doc.Findings = []schedule.VitalsFinding{}
	}
	return doc, nil
}

func (c *gateCmd) render(e *Env, r gateRequest, doc gateDoc) int {
	if code := e.output(r.JSON, doc, func(w io.Writer) error { return doc.write(w) }); code != exitOK {
		return code
	}
	switch doc.Decision {
	case schedule.Warn:
		fmt.Fprintln(e.Stderr, "doseplan: gate: warn: a clinician looks before the session proceeds")
		return exitReview
	case schedule.Hold:
		fmt.Fprintln(e.Stderr, "doseplan: gate: hold: the session does not proceed")
		return exitHold
	}
	return exitOK
}

// write writes the decision for people: the decision, then each gate
// against its reading.
func (d gateDoc) write(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "VITAL-SIGN GATES: %s\n", strings.ToUpper(d.Decision.String()))
	switch d.Decision {
	case schedule.Proceed:
		b.WriteString("No gate is met: the session may proceed.\n")
	case schedule.Warn:
		b.WriteString("A warn gate is met: a clinician looks before the session proceeds.\n")
	case schedule.Hold:
		b.WriteString("A hold gate is met: the session does not proceed.\n")
	}
	fmt.Fprintf(&b, "Protocol: %s (version %s)\nProtocol SHA-256: %s\nReadings: %s\n\n", d.Protocol.Name, d.Protocol.Version, d.Protocol.SHA256, vitalsText(d.Readings))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "gate\treading\tbound\tresult")
	for _, g := range d.Gates {
		reading := "not measured"
		if g.Reading.IsValid() {
			reading = g.Reading.String()
		}
		dir := "above"
		if strings.HasSuffix(g.Gate, "_below") {
			dir = "below"
		}
		result := "within"
		if g.Met {
			result = strings.ToUpper(g.Level.String())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\n", g.Gate, reading, dir, g.Limit, result)
	}
	tw.Flush()
	if len(d.Findings) > 0 {
		b.WriteString("\n")
		for _, f := range d.Findings {
			fmt.Fprintf(&b, "%s: %s\n", f.Level, f.Detail)
		}
	}
	b.WriteString("\n" + dosing.Notice + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}
