package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// schemaPrefix starts every JSON document's "schema" field; see SCHEMA.md.
const schemaPrefix = "doseplan/"

func schemaName(cmd string) string { return schemaPrefix + cmd + "/v1" }

// writeJSON writes v as indented JSON, without HTML escaping (so "→" and
// "<" stay readable), ending with a newline.
func writeJSON(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// output writes a command's result: JSON, or text through the function.
// A failure to write is an error of its own (exit 1).
func (e *Env) output(asJSON bool, doc any, text func(io.Writer) error) int {
	var err error
	if asJSON {
		err = writeJSON(e.Stdout, doc)
	} else {
		var b bytes.Buffer
		if err = text(&b); err == nil {
			_, err = e.Stdout.Write(trimLineEnds(b.Bytes()))
		}
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "doseplan: writing the output: %v\n", err)
		return exitInput
	}
	return exitOK
}

// trimLineEnds drops the spaces that tables pad their last column with, so
// no line of text output ends in white space. ("protocols NAME" prints a
// file byte for byte and does not come through here.)
func trimLineEnds(b []byte) []byte {
	lines := bytes.Split(b, []byte("\n"))
	for i, l := range lines {
		lines[i] = bytes.TrimRight(l, " \t")
	}
	return bytes.Join(lines, []byte("\n"))
}

// show displays a value like the worksheets do: at most four decimal places,
// marked "≈" when that drops a digit that matters. Digits beyond the 20th
// place are the trace of a division kept at units.Places, not information.
func show(q units.Quantity) string {
	if !q.IsValid() {
		return "—"
	}
	d := rounded(q, 4)
	if d.Equal(q) || d.Value().Equal(q.Value().Round(20)) {
		return d.String()
	}
	return "≈ " + d.String()
}

// Show is the display of q in every text output of the command line (see
// show), for a front end that shows the values of a JSON document: the
// browser calculator shows "≈ 0.3846 mg/mL" where the document keeps
// "0.384615384615384615384615384615 mg/mL".
func Show(q units.Quantity) string { return show(q) }

// rounded returns q rounded half away from zero to the given places, or q
// itself when it has no more places.
func rounded(q units.Quantity, places int32) units.Quantity {
	if !q.IsValid() || q.Value().Exponent() >= -places {
		return q
	}
	return units.New(q.Value().Round(places), q.Unit())
}

// errorLeaf is one error of a joined error, with the prefix of the wrappers
// around it and the plan session it belongs to.
type errorLeaf struct {
	msg     string
	err     error
	session int
}

// leaves flattens err into its errors: every error joined with errors.Join
// is a leaf of its own, and a wrapper that adds a prefix to a joined error
// ("schedule: session 3: …") keeps the prefix on each.
func leaves(err error) []errorLeaf { return appendLeaves(nil, err, "", 0) }

func appendLeaves(out []errorLeaf, err error, prefix string, session int) []errorLeaf {
	if err == nil {
		return out
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, c := range j.Unwrap() {
			out = appendLeaves(out, c, prefix, session)
		}
		return out
	}
	var se *schedule.SessionError
	if errors.As(err, &se) {
		session = se.Index
	}
	msg := err.Error()
	if inner := errors.Unwrap(err); inner != nil && strings.Contains(msg, "\n") {
		if p, ok := strings.CutSuffix(msg, inner.Error()); ok {
			return appendLeaves(out, inner, prefix+p, session)
		}
	}
	lines := strings.Split(msg, "\n")
	if fl := flagOf(err); fl != "" && len(lines) == 1 && !strings.Contains(msg, fl) {
		lines[0] += " (" + fl + ")"
	}
	for _, l := range lines {
		out = append(out, errorLeaf{msg: prefix + l, err: err, session: session})
	}
	return out
}

// flagOf names the command-line flag behind the field a library error is
// about, so that "patient.height: required" also says --height.
func flagOf(err error) string {
	var ie *dosing.FieldError
	var pe *pk.FieldError
	var se *schedule.FieldError
	var ef entryFlagError
	switch {
	case errors.As(err, &ie):
		f := ie.Field
		switch {
		case strings.HasPrefix(f, "patient."):
			return map[string]string{"patient.weight": "--weight", "patient.height": "--height", "patient.sex": "--sex",
				"patient.birth_date": "--birth-date", "patient.as_of": "--as-of", "patient.age": "--age or --birth-date"}[f]
		case strings.HasPrefix(f, "order."):
			return "--" + orderFlagName(strings.TrimPrefix(f, "order."))
		case strings.HasPrefix(f, "tolerances."):
			return "--tolerance"
		case f == "options.dose":
			return "--dose"
		case f == "options.acks":
			return "--ack"
		}
	case errors.As(err, &ef):
		return ef.flag
	case errors.As(err, &se) && (se.Field == "readings" || strings.HasPrefix(se.Field, "readings.")):
		return "--vitals"
	case errors.As(err, &pe):
		f := pe.Field
		switch {
		case f == "weight":
			return "--weight"
		case f == "age_years":
			return "--age"
		case strings.HasSuffix(f, ".amount"):
			return "--dose"
		case strings.HasSuffix(f, ".duration"):
			return "--over"
		case f == "threshold":
			return "--threshold"
		case f == "step", f == "to", f == "from":
			return "--every or --until"
		}
	}
	return ""
}

// exitCodeFor is exitHard when every error is a hard-limit refusal (a
// limit of the dose, or a hard bound of the protocol's population), and
// exitInput otherwise.
func exitCodeFor(err error) int {
	ls := leaves(err)
	if len(ls) == 0 {
		return exitInput
	}
	for _, l := range ls {
		var le *dosing.LimitError
		var pe *dosing.PopulationError
		if !errors.As(l.err, &le) && !errors.As(l.err, &pe) {
			return exitInput
		}
	}
	return exitHard
}

// errorDoc is the JSON document of a failed command run with --json: the
// same errors as on stderr, with their structure. See SCHEMA.md.
type errorDoc struct {
	Schema   string      `json:"schema"`
	Command  string      `json:"command"`
	ExitCode int         `json:"exit_code"`
	Errors   []errorItem `json:"errors"`
	Notice   string      `json:"notice"`
}

type errorItem struct {
	Message string         `json:"message"`
	Kind    string         `json:"kind"` // "hard_limit", "population" or "input"
	Field   string         `json:"field,omitempty"`
	Value   string         `json:"value,omitempty"`
	Limit   string         `json:"limit,omitempty"` // hard_max or hard_min
	Bound   units.Quantity `json:"bound,omitzero"`
	// PopulationBound is a population's bound as text ("18 years": an age
	// is not a quantity).
	PopulationBound string `json:"population_bound,omitempty"`
	Session         int    `json:"session,omitempty"`
	Flag            string `json:"flag,omitempty"` // the command-line flag behind the field
}

func newErrorDoc(cmd string, err error) errorDoc {
	d := errorDoc{Schema: schemaName("error"), Command: cmd, ExitCode: exitCodeFor(err), Errors: []errorItem{}, Notice: dosing.Notice}
	for _, l := range leaves(err) {
		it := errorItem{Message: l.msg, Kind: "input", Session: l.session, Flag: flagOf(l.err)}
		var le *dosing.LimitError
		var pe *dosing.PopulationError
		var ie *dosing.FieldError
		var fe *schedule.FieldError
		switch {
		case errors.As(l.err, &le):
			it.Kind, it.Field, it.Value, it.Limit, it.Bound = "hard_limit", le.Field, le.Value.Text(), string(le.Kind), le.Bound
		case errors.As(l.err, &pe):
			it.Kind, it.Field, it.Value, it.Limit, it.PopulationBound = "population", pe.Field, pe.Value, string(pe.Kind), pe.Bound
		case errors.As(l.err, &ie):
			it.Field, it.Value = ie.Field, ie.Value
		case errors.As(l.err, &fe):
			it.Field, it.Value = fe.Field, fe.Value
		}
		d.Errors = append(d.Errors, it)
	}
	return d
}

// failWith reports err on stderr, one line per error, and with --json also
// as an error document on stdout; it returns the exit code err calls for.
func (e *Env) failWith(cmd string, asJSON bool, err error) int {
	code := e.fail(err)
	if asJSON {
		if werr := writeJSON(e.Stdout, newErrorDoc(cmd, err)); werr != nil {
			fmt.Fprintf(e.Stderr, "doseplan: writing the output: %v\n", werr)
		}
	}
	return code
}
