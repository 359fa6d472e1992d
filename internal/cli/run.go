package cli

import (
	"fmt"
	"io"
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
)

// env is what a command may touch: its input and output streams and the
// clock. The clock is read only for "--stamp now"; nothing else reads it.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	now    func() time.Time
}

// Run runs the doseplan command line args (without the program name) and
// returns the exit code. It writes results to stdout and errors to stderr,
// one line each, and never calls os.Exit, so tests run it in-process.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now}
	return e.main(args)
}

func (e *env) main(args []string) int {
	if len(args) == 0 {
		e.writeTopHelp(e.stderr)
		return exitUsage
	}
	switch name := args[0]; name {
	case "-h", "-help", "--help":
		e.writeTopHelp(e.stdout)
		return exitOK
	case "-version", "--version", "version":
		if len(args) > 1 {
			return e.usageError("", fmt.Sprintf("%s takes no arguments (got %q)", name, args[1]))
		}
		fmt.Fprintln(e.stdout, versionText())
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
func (e *env) help(args []string) int {
	switch len(args) {
	case 0:
		e.writeTopHelp(e.stdout)
		return exitOK
	case 1:
		c, ok := findCommand(args[0])
		if !ok {
			return e.usageError("", fmt.Sprintf("no help for %q (commands: %s)", args[0], strings.Join(commandNames(), ", ")))
		}
		c.writeHelp(e.stdout)
		return exitOK
	}
	return e.usageError("", fmt.Sprintf("help takes one command name (got %d arguments)", len(args)))
}

// usageError reports a command-line error, points to the help, and returns
// exitUsage. cmd is "" for errors before a command was chosen.
func (e *env) usageError(cmd string, lines ...string) int {
	for _, l := range lines {
		fmt.Fprintln(e.stderr, "doseplan: "+l)
	}
	if cmd == "" {
		fmt.Fprintln(e.stderr, `run "doseplan help" for usage`)
	} else {
		fmt.Fprintf(e.stderr, "run \"doseplan help %s\" for usage\n", cmd)
	}
	return exitUsage
}

// fail reports err on stderr, every joined error on a line of its own, and
// returns the exit code it calls for: exitHard when every error is a
// hard-limit refusal, exitInput otherwise.
func (e *env) fail(err error) int {
	for _, l := range leaves(err) {
		fmt.Fprintln(e.stderr, "doseplan: "+l.msg)
	}
	return exitCodeFor(err)
}
