package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The files doseplan writes keep these rules, whatever the Env (see
// WriteRules): nothing that is there is destroyed. A flag's file is created
// where nothing is; an existing file is replaced only with --force, and
// only if it is a regular file (never a symbolic link, a device such as
// /dev/full, a directory); no run writes a file it reads (its protocol,
// its record, its model), compared by the file's identity on the disk, not
// by its name; standard output is written only when a flag says "-". A
// session record is only ever added to: see WriteRules.Extends.

// filesAbout is the help's paragraph on the output files of flags (and
// standard output, for a command whose flags take "-").
func filesAbout(flags string, dash bool) string {
	s := "The file " + flags + " names is created; a file already there is replaced only with --force, and never a " +
		"symbolic link, a device, a directory or a file the command reads (its protocol, its record)."
	if dash {
		s += " With -, the file goes to standard output, instead of the command's own output."
	}
	return s
}

// exportsAbout is the help's paragraph on exports of a result that needs
// review (see heldForReview).
const exportsAbout = "An export is never written while the result has review warnings not acknowledged: " +
	"the result is printed, the exit code is 4, and the file is written when the command runs again " +
	"with each warning acknowledged (--ack)."

// WriteRules say what writing an output file may replace.
type WriteRules struct {
	// Replace lets the write replace an existing regular file (--force).
	// Without it, and without Extends, a name where anything exists is
	// refused (ErrExists).
	Replace bool
	// Extends, when not nil, makes the write an addition to a file only
	// ever added to (a session record): the file must hold exactly these
	// bytes when it is replaced, else the write is refused (ErrChanged),
	// and the new content begins with them. A record written for the first
	// time has a nil Extends: it is created where nothing exists.
	Extends []byte
	// Inputs are the files the run has read; the output must be none of
	// them (ErrIsInput).
	Inputs []FileInput
}

// inputList is the files a run has read, for the rows of a batch that run
// at the same time.
type inputList struct {
	mu   sync.Mutex
	list []FileInput
}

func (l *inputList) add(in FileInput) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, in)
}

// all returns the files read, except those the flags named.
func (l *inputList) all(except ...string) []FileInput {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []FileInput
	for _, in := range l.list {
		if !slices.Contains(except, in.Flag) {
			out = append(out, in)
		}
	}
	return out
}

func (l *inputList) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = nil
}

// FileInput is a file a run read, and the flag that named it.
type FileInput struct {
	Flag string // without the dashes: "protocol"
	Name string
}

// The reasons an output file is refused. An Env's WriteFile returns them
// (wrapped, with more said) for a file it does not write.
var (
	ErrExists     = errors.New("already exists")
	ErrNotRegular = errors.New("is not a regular file")
	ErrIsInput    = errors.New("is a file this command reads")
	ErrChanged    = errors.New("changed since it was read")
)

// fileError is a refused output file, said for the person at the command
// line: what is there, and what to do.
type fileError struct {
	err error // one of the Err… above
	msg string
}

func (e *fileError) Error() string { return e.msg }
func (e *fileError) Unwrap() error { return e.err }

func existsError() error {
	return &fileError{ErrExists, "already exists: give --force to replace it, or choose another name"}
}

func notRegularError(m fs.FileMode) error {
	kind := "not a regular file"
	switch {
	case m&fs.ModeSymlink != 0:
		kind = "a symbolic link"
	case m.IsDir():
		kind = "a directory"
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		kind = "a device"
	case m&fs.ModeNamedPipe != 0:
		kind = "a named pipe"
	case m&fs.ModeSocket != 0:
		kind = "a socket"
	}
	return &fileError{ErrNotRegular, "is " + kind + ", which doseplan never replaces (it writes regular files only; for standard output, write -)"}
}

func inputError(in FileInput) error {
	return &fileError{ErrIsInput, fmt.Sprintf("is the file --%s reads (%q): choose another name", in.Flag, in.Name)}
}

func changedError() error {
	return &fileError{ErrChanged, "changed since this command read it (another program wrote to it?): nothing is written; run the command again"}
}

// readFile reads the input file name, which flag names, through e.Open: at
// most limit bytes and one more, so that a reader that bounds its input
// reports the size of a larger file rather than reading it whole. The file
// is one of the run's inputs from then on, which no output may be.
func (e *Env) readFile(flag, name string, limit int64) ([]byte, error) {
	e.inputs.add(FileInput{Flag: flag, Name: name})
	f, err := e.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// outFile is one output file of a command: the flag that names it, its
// name ("-" for standard output), and what to write.
type outFile struct {
	flag, name string
	write      func(io.Writer) error
	wrote      string // what a note on standard error says was written: "a FHIR R4 bundle"
}

// writeFiles writes a command's output files, none if any is refused: each
// is checked first, then each written through e.WriteFile, so that a
// refusal of the second never follows the writing of the first. force is
// --force. A file named "-" is written to standard output.
func (e *Env) writeFiles(force bool, files ...outFile) error {
	rules := WriteRules{Replace: force, Inputs: e.inputs.all()}
	var errs []error
	for _, f := range files {
		if f.name == "-" {
			continue
		}
		if err := e.WriteFile(f.name, rules, nil); err != nil {
			errs = append(errs, fmt.Errorf("--%s %q: %w", f.flag, f.name, err))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for _, f := range files {
		if err := e.writeFile(f.flag, f.name, rules, f.write); err != nil {
			return err
		}
	}
	return nil
}

// noteWritten says on standard error what was written to each file (not
// to standard output, which shows it).
func (e *Env) noteWritten(files ...outFile) {
	for _, f := range files {
		if f.name != "-" && f.wrote != "" {
			fmt.Fprintf(e.Stderr, "doseplan: wrote %s to %s\n", f.wrote, f.name)
		}
	}
}

// writeFile writes one output file through e.WriteFile, or to standard
// output for "-"; every file doseplan writes comes through here. An error
// names the flag and the file.
func (e *Env) writeFile(flag, name string, rules WriteRules, write func(io.Writer) error) error {
	if name == "-" {
		var b bytes.Buffer // all or nothing, as a file is
		if err := write(&b); err != nil {
			return fmt.Errorf("--%s -: %w", flag, err)
		}
		_, err := e.Stdout.Write(b.Bytes())
		return err
	}
	if err := e.WriteFile(name, rules, write); err != nil {
		return fmt.Errorf("--%s %q: %w", flag, name, err)
	}
	return nil
}

// writeBytes is a writeFile function that writes b.
func writeBytes(b []byte) func(io.Writer) error {
	return func(w io.Writer) error { _, err := w.Write(b); return err }
}

// writeDiskFile is the Env's WriteFile on the operating system's files. It
// writes a temporary file in the same directory and moves it into place,
// so that a failed write never leaves a partial file where a calendar
// application might read it; the rules are checked before the temporary
// file is written and again when it is moved, so that a file that appears
// or changes meanwhile is not lost. A new file is linked into place, which
// fails where anything exists (a rename would replace it). A replaced
// file keeps its permissions; a new one is readable by all (0644), as
// files a program writes usually are.
func writeDiskFile(name string, rules WriteRules, write func(io.Writer) error) error {
	perm, err := checkDiskFile(name, rules)
	if err != nil || write == nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful move, there is nothing to remove
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return err
	}
	if !rules.Replace && rules.Extends == nil {
		switch err := os.Link(tmp.Name(), name); {
		case err == nil:
			return nil
		case errors.Is(err, fs.ErrExist):
			return existsError()
		}
		// A file system without hard links: check again, then rename.
	}
	if _, err := checkDiskFile(name, rules); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// checkDiskFile checks that name may be written under rules, and returns
// the permissions the file is to have.
func checkDiskFile(name string, rules WriteRules) (fs.FileMode, error) {
	fi, err := os.Lstat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if rules.Extends != nil {
			return 0, &fileError{ErrChanged, "was removed since this command read it: nothing is written"}
		}
		return 0o644, nil
	case err != nil:
		return 0, err
	case !fi.Mode().IsRegular():
		return 0, notRegularError(fi.Mode())
	}
	for _, in := range rules.Inputs {
		if ifi, err := os.Stat(in.Name); err == nil && os.SameFile(fi, ifi) {
			return 0, inputError(in)
		}
	}
	switch {
	case rules.Extends != nil:
		if same, err := holds(name, rules.Extends); err != nil || !same {
			return 0, errors.Join(changedError(), err)
		}
	case !rules.Replace:
		return 0, existsError()
	}
	return fi.Mode().Perm(), nil
}

// holds reports whether the file name holds exactly b.
func holds(name string, b []byte) (bool, error) {
	f, err := os.Open(name)
	if err != nil {
		return false, err
	}
	defer f.Close()
	got, err := io.ReadAll(io.LimitReader(f, int64(len(b))+1))
	return err == nil && bytes.Equal(got, b), err
}

// forceFlag defines --force, for a command whose flags named write files.
func (f *flagSet) forceFlag(names ...string) *bool {
	return f.boolean("force", "replace the file "+dashed(names)+" names if it exists: a regular file only, never a link, a device or a directory, and never a file the command reads")
}

// dashed writes flag names as flags: "--ics or --fhir".
func dashed(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return strings.Join(out, " or ")
}

// checkFiles reports the usage errors of a command's output files (those
// not given have no name): --force without any of them, and more than one
// output on standard output ("-", or --json).
func checkFiles(f *flagSet, asJSON bool, files ...outFile) {
	var given, flags, stdout []string
	for _, o := range files {
		flags = append(flags, o.flag)
		switch o.name {
		case "":
		case "-":
			given, stdout = append(given, o.flag), append(stdout, "--"+o.flag+" -")
		default:
			given = append(given, o.flag)
		}
	}
	if asJSON && len(stdout) > 0 {
		stdout = append(stdout, "--json")
	}
	switch len(stdout) {
	case 0, 1:
	case 2:
		f.errs = append(f.errs, stdout[0]+" and "+stdout[1]+" both write to standard output; give one")
	default:
		f.errs = append(f.errs, strings.Join(stdout, ", ")+" all write to standard output; give one")
	}
	if f.given("force") && len(given) == 0 {
		f.errs = append(f.errs, "--force is only used with "+dashed(flags))
	}
}

// onStdout reports whether one of the files is standard output: then it is
// the command's output, instead of its text or JSON.
func onStdout(files ...outFile) bool {
	for _, f := range files {
		if f.name == "-" {
			return true
		}
	}
	return false
}

// heldForReview returns the files to write: all of them when the result
// has no review warning left unacknowledged, and none otherwise, saying
// so on standard error for each. An export (a calendar, a FHIR bundle) is
// read as clean by whatever imports it, so a result that needs review is
// never exported: the command prints it, exits 4, and writes its files once
// every warning is acknowledged (--ack).
func (e *Env) heldForReview(open int, what string, files []outFile) []outFile {
	if open == 0 {
		return files
	}
	for _, f := range files {
		name := strconv.Quote(f.name)
		if f.name == "-" {
			name = "-"
		}
		fmt.Fprintf(e.Stderr, "doseplan: --%s %s: not written: %s has %s not acknowledged; an export is written once every warning is acknowledged (--ack)\n",
			f.flag, name, what, plural(open, "review warning"))
	}
	return nil
}
