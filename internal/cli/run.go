package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // --tz works on hosts (and in browsers) without a zone database
)

// Exit codes. They are documented in the package comment and in "doseplan
// help"; scripts depend on them, so they never change meaning.
const (
	exitOK       = 0 // done; the output is complete
	exitInput    = 1 // the input or the protocol was refused (or a file could not be read or written)
	exitUsage    = 2 // the command line is wrong: unknown command or flag, missing or unreadable flag value
	exitHard     = 3 // a hard limit refused the calculation: no result
	exitReview   = 4 // a result was printed, with soft-limit warnings not acknowledged (--ack)
	exitMismatch = 5 // check did not confirm the order: a mismatch, or nothing could be compared
	exitHold     = 6 // gate: a hold gate is met, the session does not proceed
)

// Env is everything a run of the command line may touch: its standard
// streams, the clock, and the files it reads and writes. Nothing else is
// read or written, so a front end without an operating system (a page in a
// browser) runs the same commands with its own Env: files in memory, a
// download for each file written.
type Env struct {
	// Stdin, Stdout and Stderr are the standard streams; they are required.
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Now is the clock, read only for "--stamp now" and to time the
	// envelope's progress line; nil is time.Now.
	Now func() time.Time
	// Open opens an input file named on the command line (a protocol, a
	// model file); nil is os.Open.
	Open func(name string) (io.ReadCloser, error)
	// WriteFile writes an output file named by a flag (--ics, --fhir,
	// --plot, --record) with what write writes, all or nothing: a failed
	// write leaves no partial file. It keeps the rules (see WriteRules):
	// nothing that exists is replaced unless they allow it, never anything
	// but a regular file, never a file the run read. With a nil write it
	// only checks them, so that a command refuses before it writes any of
	// its files. nil is the operating system's files (writeDiskFile).
	WriteFile func(name string, rules WriteRules, write func(io.Writer) error) error

	inputs inputList // the files this run has read, which it never writes

	// protocols holds, while a batch runs, each protocol it has loaded by
	// its name on the command line, so that 10,000 rows load it once.
	protocols *protocolCache
}

// Run runs the doseplan command line args (without the program name) with
// the operating system's clock and files, and returns the exit code. It
// writes results to stdout and errors to stderr, one line each, and never
// calls os.Exit, so tests run it in-process.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return (&Env{Stdin: stdin, Stdout: stdout, Stderr: stderr}).Run(args)
}

// Run runs the doseplan command line args (without the program name) in e
// and returns the exit code. An Env runs one command line at a time.
func (e *Env) Run(args []string) int {
	if e.Now == nil {
		e.Now = time.Now
	}
	if e.Open == nil {
		e.Open = func(name string) (io.ReadCloser, error) { return os.Open(name) }
	}
	if e.WriteFile == nil {
		e.WriteFile = writeDiskFile
	}
	e.inputs.reset()
	return e.main(args)
}

func (e *Env) main(args []string) int {
	if len(args) == 0 {
		e.writeTopHelp(e.Stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help":
		e.writeTopHelp(e.Stdout)
		return exitOK
	case "-version", "--version", "version":
		if len(args) > 1 {
			return e.usageError("", fmt.Sprintf("%s takes no arguments (got %q)", name, args[1]))
		}
		fmt.Fprintln(e.Stdout, versionText())
		return exitOK
	case "help":
		return e.help(args[1:])
	}
	c, ok := findCommand(args[0])
	if !ok {
		if strings.HasPrefix(args[0], "-") {
			return e.usageError("", fmt.Sprintf("unknown flag %s before the command (flags follow the command: doseplan dose --weight …)", args[0]))
		}
		return e.usageError("", fmt.Sprintf("unknown command %q (commands: %s)", args[0], strings.Join(commandNames(), ", ")))
	}
	return c.run(e, args[1:])
}

// help runs "doseplan help [command]".
func (e *Env) help(args []string) int {
	switch len(args) {
	case 0:
		e.writeTopHelp(e.Stdout)
		return exitOK
	case 1:
		c, ok := findCommand(args[0])
		if !ok {
			return e.usageError("", fmt.Sprintf("no help for %q (commands: %s)", args[0], strings.Join(commandNames(), ", ")))
		}
		c.writeHelp(e.Stdout)
		return exitOK
	}
	return e.usageError("", fmt.Sprintf("help takes one command name (got %d arguments)", len(args)))
}

// usageError reports a command-line error, points to the help, and returns
// exitUsage. cmd is "" for errors before a command was chosen.
func (e *Env) usageError(cmd string, lines ...string) int {
	for _, l := range lines {
		fmt.Fprintln(e.Stderr, "doseplan: "+l)
	}
	if cmd == "" {
		fmt.Fprintln(e.Stderr, `run "doseplan help" for usage`)
	} else {
		fmt.Fprintf(e.Stderr, "run \"doseplan help %s\" for usage\n", cmd)
	}
	return exitUsage
}

// fail reports err on stderr, every joined error on a line of its own, and
// returns the exit code it calls for: exitHard when every error is a
// hard-limit refusal, exitInput otherwise.
func (e *Env) fail(err error) int {
	for _, l := range leaves(err) {
		fmt.Fprintln(e.Stderr, "doseplan: "+l.msg)
	}
	return exitCodeFor(err)
}
