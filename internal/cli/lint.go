package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

func lintCommand() command {
	return command{
		name:     "lint",
		summary:  "check protocol files: errors and findings for review",
		synopsis: "doseplan lint PROTOCOL... [--json]",
		about: `Loads each protocol (a YAML or JSON file, "-" for standard input, or
example:NAME) the way every other command does, and lists what is wrong with
it, all at once, each with its field path: errors (unknown fields, values of
the wrong unit, soft limits outside hard ones, contradictions across
sections), which stop the protocol from being used, and warnings, which are
valid but worth a reviewer's look (magnitudes that look like unit slips, a
cap the hard limit makes unreachable, a dose the dose form cannot give
exactly). Each protocol is identified by the SHA-256 of its bytes, which every
dose and plan computed from it carries.`,
		examples: []string{
			"doseplan lint clinic-protocol.yaml",
			"doseplan lint example:iv-ketamine-trd example:esketamine-nasal --json",
		},
		exits: "0 no errors (warnings may remain); 1 a protocol has errors or cannot be read; 2 usage error",
		steps: func() steps { return typed[lintRequest, lintDoc]{new(lintCmd)} },
	}
}

// lintCmd is "doseplan lint": its flags, and its steps.
type lintCmd struct{ asJSON *bool }

// lintRequest is a lint command line, read.
type lintRequest struct {
	Output
	Sources []string // protocols: files, "-" or example:NAME
}

func (c *lintCmd) define(f *flagSet) {
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/lint/v1) instead of the report")
}

func (c *lintCmd) parse(f *flagSet, args []string) lintRequest {
	if len(args) == 0 {
		f.errs = append(f.errs, "give at least one protocol to lint: a file, \"-\" or example:NAME")
	}
	return lintRequest{Output: Output{JSON: *c.asJSON}, Sources: args}
}

// run lints every protocol; one that cannot be read or loaded is a
// finding, not a failure of the command.
func (c *lintCmd) run(e *Env, r lintRequest) (lintDoc, error) {
	doc := lintDoc{Schema: schemaName("lint"), Notice: dosing.Notice, Protocols: []lintResult{}}
	for _, src := range r.Sources {
		res := e.lint(src)
		doc.Protocols = append(doc.Protocols, res)
		doc.Errors += res.count(schedule.SevError)
		doc.Warnings += res.count(schedule.SevWarning)
	}
	return doc, nil
}

func (c *lintCmd) render(e *Env, r lintRequest, doc lintDoc) int {
	code := e.output(r.JSON, doc, doc.write)
	if code != exitOK {
		return code
	}
	for _, res := range doc.Protocols {
		if n := res.count(schedule.SevError); n > 0 {
			fmt.Fprintf(e.Stderr, "doseplan: lint: %s: %s\n", res.Source, plural(n, "error"))
			code = exitInput
		}
	}
	return code
}

// lintDoc is the JSON document of "doseplan lint" (doseplan/lint/v1).
type lintDoc struct {
	Schema    string       `json:"schema"`
	Notice    string       `json:"notice"`
	Protocols []lintResult `json:"protocols"`
	Errors    int          `json:"errors"`
	Warnings  int          `json:"warnings"`
}

// lintResult is one protocol's lint.
type lintResult struct {
	Source   string             `json:"source"` // as named on the command line
	SHA256   string             `json:"sha256,omitempty"`
	Loaded   bool               `json:"loaded"` // no errors: usable by dose, check and plan
	Protocol *dosing.Provenance `json:"protocol,omitempty"`
	Findings []lintFinding      `json:"findings"`
}

type lintFinding struct {
	Severity schedule.Severity `json:"severity"`
	Field    string            `json:"field,omitempty"`
	Value    string            `json:"value,omitempty"`
	Message  string            `json:"message"`
}

func (r lintResult) count(sev schedule.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

func (e *Env) lint(src string) lintResult {
	r := lintResult{Source: src, Findings: []lintFinding{}}
	b, err := e.readProtocol(src)
	if err != nil {
		r.Findings = append(r.Findings, lintFinding{Severity: schedule.SevError, Message: err.Error()})
		return r
	}
	sum := sha256.Sum256(b)
	r.SHA256 = hex.EncodeToString(sum[:])
	p, err := schedule.LoadProtocol(b)
	if err != nil {
		for _, l := range leaves(err) {
			fd := lintFinding{Severity: schedule.SevError, Message: l.msg}
			var fe *schedule.FieldError
			if errors.As(l.err, &fe) {
				fd.Field, fd.Value, fd.Message = fe.Field, fe.Value, fe.Msg
			}
			r.Findings = append(r.Findings, fd)
		}
		return r
	}
	r.Loaded = true
	r.Protocol = &dosing.Provenance{Name: p.Dosing.Name, Version: p.Dosing.Version, Source: p.Dosing.Source, SHA256: p.SHA256()}
	for _, f := range p.Findings() {
		r.Findings = append(r.Findings, lintFinding{Severity: f.Severity, Field: f.Field, Message: f.Message})
	}
	return r
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// write writes the lint report for people.
func (d lintDoc) write(w io.Writer) error {
	for i, r := range d.Protocols {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if r.Protocol != nil {
			fmt.Fprintf(w, "%s: %s (version %s)\n", r.Source, r.Protocol.Name, r.Protocol.Version)
		} else {
			fmt.Fprintf(w, "%s: not usable\n", r.Source)
		}
		if r.SHA256 != "" {
			fmt.Fprintf(w, "  SHA-256: %s\n", r.SHA256)
		}
		for _, f := range r.Findings {
			line := "  " + string(f.Severity) + ": "
			if f.Field != "" {
				line += f.Field + ": "
			}
			if f.Value != "" {
				line += strconv.Quote(f.Value) + " "
			}
			fmt.Fprintln(w, line+f.Message)
		}
		fmt.Fprintf(w, "  %s, %s\n", plural(r.count(schedule.SevError), "error"), plural(r.count(schedule.SevWarning), "warning"))
	}
	fmt.Fprintf(w, "\n%s\n", d.Notice)
	return nil
}
