package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// command is one subcommand: its help, and its steps.
type command struct {
	name     string
	summary  string   // one line, for the command list
	synopsis string   // "doseplan dose --protocol P --weight W [flags]"
	about    string   // paragraphs for the help; blank lines separate them
	examples []string // command lines, each shown after "$ "
	exits    string   // the exit codes this command uses
	// steps returns the command's steps, for one run: its flags are
	// defined on that run's flagSet. The same steps serve "doseplan help
	// CMD", which lists the flags without running.
	steps func() steps
	// batch, for a command that runs once per row of a CSV file (--batch
	// FILE), is its steps for one row.
	batch func() rower
}

// steps is a command as run: its flags, and what it does once they are
// parsed. typed builds it from a command's parse, run and render steps.
type steps interface {
	define(f *flagSet)
	exec(e *Env, f *flagSet, args []string) int
}

// stepper is a command's three steps, typed by the request its command line
// reads as and the response of its library calls.
type stepper[Req request, Resp any] interface {
	// define defines the command's flags on f, in the order the help
	// lists them.
	define(f *flagSet)
	// parse reads the flags, once f has parsed the command line, and the
	// positional arguments into a request, recording every usage error in
	// f. It reads nothing else: no file, no clock.
	parse(f *flagSet, args []string) Req
	// run makes the library calls the request asks for. An error is the
	// command's failure (exit 1 or 3), or, a usageErrors, a usage error
	// (exit 2) that needed the library to find.
	run(e *Env, req Req) (Resp, error)
	// render writes the response — text or JSON on standard output, the
	// files the flags name, notes on standard error — and returns the exit
	// code.
	render(e *Env, req Req, resp Resp) int
}

// request is what every command's request says: whether the output, and
// so an error document, is JSON.
type request interface{ jsonOutput() bool }

// Output is the part of a request every command has: --json.
type Output struct {
	JSON bool // --json: a JSON document instead of text
}

func (o Output) jsonOutput() bool { return o.JSON }

// usageErrors are usage errors that only the library could find (a
// conversion that needs a flag not given): reported as the command line's,
// with exit 2.
type usageErrors []string

func (u usageErrors) Error() string { return strings.Join(u, "\n") }

// typed runs a stepper's steps in order, stopping at the first that fails.
type typed[Req request, Resp any] struct{ stepper[Req, Resp] }

func (t typed[Req, Resp]) exec(e *Env, f *flagSet, args []string) int {
	req := t.parse(f, args)
	if len(f.errs) > 0 {
		return e.usageError(f.cmd, f.errs...)
	}
	resp, err := t.run(e, req)
	var ue usageErrors
	switch {
	case errors.As(err, &ue):
		return e.usageError(f.cmd, ue...)
	case err != nil:
		return e.failWith(f.cmd, req.jsonOutput(), err)
	}
	return t.render(e, req, resp)
}

// commands returns the subcommands in the order the help lists them.
func commands() []command {
	return []command{
		bodyCommand(),
		doseCommand(),
		checkCommand(),
		planCommand(),
		recordCommand(),
		replanCommand(),
		gateCommand(),
		convertCommand(),
		pkCommand(),
		envelopeCommand(),
		lintCommand(),
		protocolsCommand(),
	}
}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func commandNames() []string {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

// run parses the command's flags and runs it.
func (c command) run(e *Env, args []string) int {
	if _, _, given, _, _ := batchArgs(args); given && c.batch != nil {
		return c.runBatch(e, args)
	}
	f := newFlagSet(c.name, e.Stderr)
	st := c.steps()
	st.define(f)
	pos, err := f.parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.writeHelp(e.Stdout)
		return exitOK
	case err != nil:
		// The flag package has written its message to stderr.
		return e.usageError(c.name, f.errs...)
	}
	// exec checks the values together (--birth-date needs --as-of, …) and
	// reports every usage error in f.errs at once before doing anything.
	return st.exec(e, f, pos)
}

// writeHelp writes the command's help: synopsis, description, flags,
// examples and exit codes.
func (c command) writeHelp(w io.Writer) {
	f := newFlagSet(c.name, io.Discard)
	c.defineAll(f)
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s\n\n", c.synopsis)
	for _, para := range strings.Split(c.about, "\n\n") {
		if strings.HasPrefix(para, "  ") {
			b.WriteString(para) // a table: as written
		} else {
			b.WriteString(wrap(para, 80, "", ""))
		}
		b.WriteString("\n\n")
	}
	width := 0
	for _, h := range f.help {
		if n := len(flagLabel(h)); h.name != "" && n > width {
			width = n
		}
	}
	for i, h := range f.help {
		if h.name == "" {
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(h.heading + ":\n")
			continue
		}
		label := flagLabel(h)
		first := "  " + label + strings.Repeat(" ", width-len(label)+2)
		usage := h.usage
		for _, r := range f.required {
			if r == h.name {
				usage += " (required)"
			}
		}
		b.WriteString(wrap(usage, 80, first, strings.Repeat(" ", len(first))))
		b.WriteString("\n")
	}
	if len(c.examples) > 0 {
		b.WriteString("\nExamples:\n")
		for _, ex := range c.examples {
			b.WriteString("  $ " + ex + "\n")
		}
	}
	if c.exits != "" {
		b.WriteString("\n" + wrap("Exit codes: "+c.exits+".", 80, "", "") + "\n")
	}
	io.WriteString(w, b.String())
}

// Flag describes one flag of a command as its help lists it, for a front
// end that builds its form from the command line's own flags (the browser
// calculator), so that a form field is a flag, named and explained alike.
type Flag struct {
	Name       string // without the dashes: "weight"
	Arg        string // the value's placeholder: "W", "YYYY-MM-DD", "male|female"; "" for a boolean
	Usage      string // the help's text
	Heading    string // the group the help lists it under: "Patient"
	Required   bool
	Repeatable bool // given once per value (--ack, --closed)
}

// defineAll defines every flag the command takes, for its help: its steps'
// and, for a command that runs in batches, --batch.
func (c command) defineAll(f *flagSet) {
	c.steps().define(f)
	if c.batch != nil {
		f.heading("Batch")
		f.str("batch", "FILE", batchUsage)
	}
}

// Flags lists the flags of the named command in the order its help lists
// them; ok is false for an unknown command.
func Flags(command string) (flags []Flag, ok bool) {
	c, ok := findCommand(command)
	if !ok {
		return nil, false
	}
	f := newFlagSet(c.name, io.Discard)
	c.defineAll(f)
	heading := ""
	for _, h := range f.help {
		if h.name == "" {
			heading = h.heading
			continue
		}
		fl := Flag{Name: h.name, Arg: h.arg, Usage: h.usage, Heading: heading, Repeatable: h.repeat}
		for _, r := range f.required {
			fl.Required = fl.Required || r == h.name
		}
		flags = append(flags, fl)
	}
	return flags, true
}

func flagLabel(h flagHelp) string {
	if h.arg == "" {
		return "--" + h.name
	}
	return "--" + h.name + " " + h.arg
}

// wrap fills text to width columns, the first line starting with first
// and the others with rest. Words are never broken.
func wrap(text string, width int, first, rest string) string {
	var b strings.Builder
	line := first
	empty := true
	for _, w := range strings.Fields(text) {
		if !empty && len([]rune(line))+1+len([]rune(w)) > width {
			b.WriteString(line + "\n")
			line, empty = rest, true
		}
		if !empty {
			line += " "
		}
		line += w
		empty = false
	}
	b.WriteString(line)
	return b.String()
}

// writeTopHelp writes "doseplan help": the commands, the conventions shared
// by all of them, and the exit codes.
func (e *Env) writeTopHelp(w io.Writer) {
	var b strings.Builder
	b.WriteString(`doseplan computes weight-based doses, preparation volumes, infusion rates and
treatment-session plans from a clinic's protocol, showing every step of the
work. Everything it prints is for clinician verification — not a prescription.

usage: doseplan COMMAND [flags]
       doseplan help COMMAND
       doseplan --version

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	b.WriteString(`
Quantities carry their unit: --weight 80kg, --weight "80 kg", --weight 176lb,
--height 178cm, --height 5ft10in, --dose "0.5 mg/kg". A number without a unit,
a naked decimal (.5 mg) and ambiguous units (cc, U, IU) are refused. Dates are
YYYY-MM-DD; --tz takes an IANA zone name (America/New_York). A protocol is a
YAML or JSON file, "-" for standard input, or example:NAME for an embedded
example ("doseplan protocols" lists them).

Output is a text worksheet or table ending with the verification notice;
--json writes a versioned JSON document instead ({"schema":
"doseplan/<command>/v1", ...}; quantities are strings such as "40 mg").
Review warnings (a soft limit crossed, an implausible patient) need
--ack "KEY=REASON", which is recorded in the output.

Exit codes:
  0  done
  1  input or protocol error (the value, the protocol or a file was refused)
  2  usage error (unknown command or flag, missing or unreadable flag value)
  3  refused by a hard limit: no result
  4  soft-limit warnings not acknowledged: the result is printed, then exit 4
  5  check did not confirm the order (a mismatch, or nothing to compare)
  6  gate: a hold gate is met, the session does not proceed
`)
	io.WriteString(w, b.String())
}

// versionText is the --version line: the module version when the binary was
// built from a released module, else "devel" with the VCS revision when the
// build recorded one.
func versionText() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "doseplan devel"
	}
	return "doseplan " + versionOf(info)
}

func versionOf(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	return "devel (" + rev + modified + ")"
}
