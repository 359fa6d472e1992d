package bridge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/internal/cli"
	"github.com/doseplan/doseplan/units"
)

// Request is one run of a doseplan command, as the page's form gives it.
type Request struct {
	// Command is the doseplan command: dose, check, plan, body, convert,
	// lint or protocols.
	Command string `json:"command"`
	// Args are the command's positional arguments (convert's quantity and
	// unit, lint's protocol), each with the form field it was typed in.
	Args []Arg `json:"args,omitempty"`
	// Flags are the flag values in the form's order; a repeatable flag
	// (--ack, --closed) appears once per value. A flag whose value is
	// empty is a field left blank: it is not given.
	Flags []Flag `json:"flags,omitempty"`
}

// Arg is a positional argument and the form field it comes from.
type Arg struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Flag is a flag's value; Name is the flag without its dashes ("weight"),
// which is also the name of the form field it was typed in.
type Flag struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Response is what the page shows for a run: the same exit code, document,
// text and errors as the command line gives for the same inputs.
type Response struct {
	// CommandLine is the doseplan command line that ran, quoted for a
	// POSIX shell, so that the result can be reproduced outside the page.
	CommandLine string `json:"command_line"`
	// ExitCode is the command line's exit code (see "doseplan help").
	ExitCode int `json:"exit_code"`
	// Document is the command's --json output: its own document (exit 0,
	// 4 and 5) or a doseplan/error/v1 document (exit 1 and 3); absent
	// after a usage error (exit 2), which writes none.
	Document json.RawMessage `json:"document,omitempty"`
	// Text is the command's text output (the worksheet, the table).
	Text string `json:"text,omitempty"`
	// Errors are the refusals, one per line of the command's standard
	// error, each with the form fields it is about.
	Errors []FieldError `json:"errors"`
	// Messages are the other lines of standard error (a review warning
	// that needs an acknowledgement, a check that does not match).
	Messages []string `json:"messages"`
	// Files are the files the command wrote (--ics), by name.
	Files map[string]string `json:"files,omitempty"`
	// Display is the display form of every quantity in Document, by its
	// canonical text: "≈ 26.1224 kg/m²" for
	// "26.12244897959183673469387755102 kg/m²", "1,000 mg" for "1000 mg".
	// Quantities whose display is their canonical text are left out.
	Display map[string]string `json:"display"`
}

// FieldError is one refusal. Fields are the form fields it is about, most
// likely first (the flags it names, without dashes, or a positional
// argument's field); empty for an error about the form as a whole or the
// protocol.
type FieldError struct {
	Message string   `json:"message"`
	Fields  []string `json:"fields"`
}

// Run runs req through the command line's own code with the files in
// memory: files holds the inputs a flag may name (a protocol loaded from
// the user's disk), and now is the clock, read only for "--stamp now". It
// runs the command twice, once with --json for the document and once for
// the text, so that both are exactly the command line's.
func Run(req Request, files map[string][]byte, now func() time.Time) Response {
	args, bad := req.commandLine(false)
	resp := Response{CommandLine: shellQuote(append([]string{"doseplan"}, args...)), Errors: []FieldError{}, Messages: []string{}, Display: map[string]string{}}
	if bad != nil {
		resp.ExitCode = 2
		resp.Errors = append(resp.Errors, *bad)
		return resp
	}
	written := map[string]string{}
	withJSON, _ := req.commandLine(true)
	jsonOut, jsonErr, code := run(withJSON, files, now, func(name string, b []byte) { written[name] = string(b) })
	textOut, textErr, _ := run(args, files, now, nil)
	resp.ExitCode = code
	resp.Text = textOut
	if len(written) > 0 {
		resp.Files = written
	}
	if code != 2 && json.Valid([]byte(jsonOut)) {
		resp.Document = json.RawMessage(jsonOut)
		addDisplay(resp.Display, resp.Document)
	}
	switch code {
	case 1, 3:
		resp.Errors = req.docErrors(resp.Document, jsonErr)
	case 2:
		for _, l := range stderrLines(jsonErr) {
			resp.Errors = append(resp.Errors, FieldError{Message: l, Fields: req.fieldsOf(l)})
		}
	default:
		resp.Messages = stderrLines(textErr)
	}
	return resp
}

// commandLine is the doseplan command line of the request (without the
// program name), with --json after the flags when asJSON is set, or the
// error for a request the page should never send.
func (r Request) commandLine(asJSON bool) ([]string, *FieldError) {
	if !isName(r.Command) {
		return nil, &FieldError{Message: fmt.Sprintf("bridge: command %q is not a command name", r.Command), Fields: []string{}}
	}
	args := []string{r.Command}
	for _, f := range r.Flags {
		if !isName(f.Name) {
			return nil, &FieldError{Message: fmt.Sprintf("bridge: flag %q is not a flag name", f.Name), Fields: []string{}}
		}
		if f.Value != "" {
			args = append(args, "--"+f.Name+"="+f.Value)
		}
	}
	if asJSON {
		args = append(args, "--json")
	}
	if len(r.Args) > 0 {
		args = append(args, "--") // a positional argument is never read as a flag
		for _, a := range r.Args {
			args = append(args, a.Value)
		}
	}
	return args, nil
}

// run runs one command line in an Env with the files in memory; saved
// receives each file written (nil: discard it).
func run(args []string, files map[string][]byte, now func() time.Time, saved func(string, []byte)) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	env := &cli.Env{
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Now: now,
		Open: func(name string) (io.ReadCloser, error) {
			b, ok := files[name]
			if !ok {
				return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
			}
			return io.NopCloser(bytes.NewReader(b)), nil
		},
		// A file written is a download, which replaces nothing (the
		// browser names its own copy), so the rules have nothing to keep.
		WriteFile: func(name string, _ cli.WriteRules, write func(io.Writer) error) error {
			if write == nil {
				return nil // only a check
			}
			var b bytes.Buffer
			if err := write(&b); err != nil {
				return err
			}
			if saved != nil {
				saved(name, b.Bytes())
			}
			return nil
		},
	}
	code = env.Run(args)
	return out.String(), errb.String(), code
}

// stderrLines are the lines of a command's standard error without the
// "doseplan: " prefix, and without the pointer to the command line's help,
// which the page does not have.
func stderrLines(s string) []string {
	lines := []string{}
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if l == "" || strings.HasPrefix(l, `run "doseplan help`) {
			continue
		}
		lines = append(lines, strings.TrimPrefix(l, "doseplan: "))
	}
	return lines
}

// docErrors reads the errors of a doseplan/error/v1 document, each with
// the fields its "flag" names (or, without one, the fields its message
// names); stderr stands in for a document that could not be read.
func (r Request) docErrors(doc json.RawMessage, stderr string) []FieldError {
	var d struct {
		Errors []struct {
			Message string `json:"message"`
			Flag    string `json:"flag"`
		} `json:"errors"`
	}
	errs := []FieldError{}
	if doc == nil || json.Unmarshal(doc, &d) != nil || len(d.Errors) == 0 {
		for _, l := range stderrLines(stderr) {
			errs = append(errs, FieldError{Message: l, Fields: r.fieldsOf(l)})
		}
		return errs
	}
	for _, e := range d.Errors {
		fields := flagsNamed(e.Flag)
		for _, f := range r.fieldsOf(e.Message) {
			if !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
		errs = append(errs, FieldError{Message: e.Message, Fields: fields})
	}
	return errs
}

// flagsNamed lists the flags s names ("--age or --birth-date": age,
// birth-date), without their dashes, in order.
func flagsNamed(s string) []string {
	fields := []string{}
	for {
		i := strings.Index(s, "--")
		if i < 0 {
			return fields
		}
		s = s[i+2:]
		n := 0
		for n < len(s) && isNameByte(s[n], n) {
			n++
		}
		if n > 0 {
			fields = append(fields, s[:n])
		}
		s = s[n:]
	}
}

// isName reports whether s is a command or flag name: a lower-case
// letter, then lower-case letters, digits and dashes.
func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isNameByte(s[i], i) {
			return false
		}
	}
	return s != ""
}

func isNameByte(c byte, i int) bool {
	return 'a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '-')
}

// fieldsOf finds the form fields an error line is about, the way a reader
// would, most likely first: the flag it starts with (`--weight "80":
// missing unit`); the field whose value it quotes first (`".5 mg": naked
// decimal`, `unit "mgg/h": unknown unit`, `protocol "clinic.yaml": no such
// file or directory`); then the other
// flags it names (`--ics needs --plan-id`, `converting mg to mL needs
// --concentration`). The page shows the error at the first of them that it
// has; an error that names none is about the form as a whole.
func (r Request) fieldsOf(line string) []string {
	fields := []string{}
	named := flagsNamed(line)
	if strings.HasPrefix(line, "--") && len(named) > 0 {
		fields, named = append(fields, named[0]), named[1:]
	}
	if i := strings.IndexByte(line, '"'); i >= 0 && strings.Count(line[:i], " ") <= 1 {
		if p, err := strconv.QuotedPrefix(line[i:]); err == nil {
			q, _ := strconv.Unquote(p)
			word := strings.TrimSpace(line[:i])
			if f := r.quoted(word, q); f != "" {
				fields = append(fields, f)
			}
		}
	}
	for _, n := range named {
		if !slices.Contains(fields, n) {
			fields = append(fields, n)
		}
	}
	return fields
}

// quoted finds the field of a value an error quotes after a word: a flag
// of that name with that value (`protocol "clinic.yaml": no such file or
// directory`), or a positional argument with that value.
func (r Request) quoted(word, value string) string {
	for _, f := range r.Flags {
		if f.Name == word && f.Value == value {
			return f.Name
		}
	}
	for _, a := range r.Args {
		if a.Value == value {
			return a.Field
		}
	}
	return ""
}

// addDisplay records the display form of every quantity in the JSON
// document doc.
func addDisplay(display map[string]string, doc json.RawMessage) {
	var v any
	if json.Unmarshal(doc, &v) != nil {
		return
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if _, done := display[v]; done || !strings.Contains(v, " ") {
				return
			}
			q, err := units.Parse(v)
			if err != nil || q.Text() != v {
				return
			}
			if s := cli.Show(q); s != v {
				display[v] = s
			}
		}
	}
	walk(v)
}

// shellQuote writes args as a POSIX shell command line: a word of plain
// characters as it is, any other in single quotes.
func shellQuote(args []string) string {
	words := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, plainBytes) == "" {
			words[i] = a
		} else {
			words[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(words, " ")
}

const plainBytes = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-"

// Version is the version line of the command line ("doseplan devel").
func Version() string {
	out, _, _ := run([]string{"version"}, nil, nil, nil)
	return strings.TrimSpace(out)
}
