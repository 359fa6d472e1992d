package cli

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// planTo is a plan of testdata/iv.yaml for an 80 kg man, which has no
// review warning, with the given flags added.
func planTo(protocol string, extra ...string) []string {
	return cat(args("plan", "--protocol", protocol, "--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45",
		"--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00",
		"--plan-id", "MRN-1", "--stamp", "2025-03-01T12:00:00Z"), extra)
}

// TestOutputFileRules runs plan --ics over every kind of thing that may be
// at the name, on the disk: what is there is never destroyed.
func TestOutputFileRules(t *testing.T) {
	const precious = "precious: not to be lost\n"
	protocol, err := os.ReadFile(filepath.Join("testdata", "iv.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string) // makes what is at dir/out.ics
		force bool
		exit  int
		msg   string // in stderr
		// after checks what is there after the run
		after func(t *testing.T, dir string)
	}{
		{"nothing there: created", nil, false, exitOK, `wrote 9 events to `, isCalendar},
		{"a regular file, without --force: refused", writeAt(precious), false, exitInput,
			`--ics "` + tmpToken + `/out.ics": already exists: give --force to replace it, or choose another name`, keeps(precious)},
		{"a regular file, with --force: replaced", writeAt(precious), true, exitOK, `wrote 9 events to `, isCalendar},
		{"a symbolic link to a file, with --force: refused, the link and its file kept", linkAt("target.txt", precious), true, exitInput,
			`is a symbolic link, which doseplan never replaces (it writes regular files only; for standard output, write -)`,
			func(t *testing.T, dir string) {
				isLink(t, dir, "target.txt")
				holdsAt(t, filepath.Join(dir, "target.txt"), precious)
			}},
		{"a dangling symbolic link, with --force: refused", linkAt("nowhere", ""), true, exitInput, `is a symbolic link`,
			func(t *testing.T, dir string) { isLink(t, dir, "nowhere") }},
		{"a directory, with --force: refused", func(t *testing.T, dir string) { mustDo(t, os.Mkdir(filepath.Join(dir, "out.ics"), 0o755)) }, true, exitInput,
			`is a directory, which doseplan never replaces`, func(t *testing.T, dir string) { isDir(t, filepath.Join(dir, "out.ics")) }},
		{"a named pipe, with --force: refused", func(t *testing.T, dir string) { mkfifo(t, filepath.Join(dir, "out.ics")) }, true, exitInput,
			`is a named pipe, which doseplan never replaces`, func(t *testing.T, dir string) {
				fi, err := os.Lstat(filepath.Join(dir, "out.ics"))
				if err != nil || fi.Mode()&fs.ModeNamedPipe == 0 {
					t.Errorf("the named pipe is gone: %v %v", fi, err)
				}
			}},
		{"a hard link to the protocol, with --force: refused, the protocol kept", func(t *testing.T, dir string) {
			mustDo(t, os.Link(filepath.Join(dir, "p.yaml"), filepath.Join(dir, "out.ics")))
		}, true, exitInput, `--ics "` + tmpToken + `/out.ics": is the file --protocol reads ("` + tmpToken + `/p.yaml"): choose another name`,
			func(t *testing.T, dir string) { holdsAt(t, filepath.Join(dir, "p.yaml"), string(protocol)) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			mustDo(t, os.WriteFile(filepath.Join(dir, "p.yaml"), protocol, 0o644))
			if c.setup != nil {
				c.setup(t, dir)
			}
			a := planTo(tmpToken+"/p.yaml", "--ics", tmpToken+"/out.ics")
			if c.force {
				a = append(a, "--force")
			}
			r := runDoseplan(t, dir, "", a...)
			if r.code != c.exit || !strings.Contains(r.stderr, c.msg) {
				t.Errorf("exit %d, want %d; stderr does not say %q:\n%s", r.code, c.exit, c.msg, r.stderr)
			}
			c.after(t, dir)
			leftovers(t, dir)
		})
	}
}

// TestOutputIsNotAnInput: the protocol itself, by name or by another name
// of the same file, is never an output, with or without --force.
func TestOutputIsNotAnInput(t *testing.T) {
	protocol, err := os.ReadFile(filepath.Join("testdata", "iv.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mustDo(t, os.WriteFile(filepath.Join(dir, "p.yaml"), protocol, 0o644))
	mustDo(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	for _, out := range []string{tmpToken + "/p.yaml", tmpToken + "/sub/../p.yaml", tmpToken + "/./p.yaml"} {
		for _, flag := range []string{"--ics", "--fhir"} {
			r := runDoseplan(t, dir, "", planTo(tmpToken+"/p.yaml", flag, out, "--force")...)
			if want := "is the file --protocol reads"; r.code != exitInput || !strings.Contains(r.stderr, want) {
				t.Errorf("%s %s: exit %d, want 1 with %q:\n%s", flag, out, r.code, want, r.stderr)
			}
		}
	}
	holdsAt(t, filepath.Join(dir, "p.yaml"), string(protocol))
	// In memory too, where a file is its name.
	var out, errb bytes.Buffer
	written := map[string][]byte{}
	code := memEnv(testdataFS(t), strings.NewReader(""), &out, &errb, written).Run(planTo("testdata/iv.yaml", "--fhir", "./testdata/iv.yaml", "--force"))
	if code != exitInput || !strings.Contains(errb.String(), `--fhir "./testdata/iv.yaml": is the file --protocol reads ("testdata/iv.yaml")`) {
		t.Errorf("in memory: exit %d, want 1:\n%s", code, errb.String())
	}
	if len(written) > 0 {
		t.Errorf("in memory, wrote %d files", len(written))
	}
}

// TestOutputFilesAllOrNone: a refused second file leaves the first
// unwritten too.
func TestOutputFilesAllOrNone(t *testing.T) {
	dir := t.TempDir()
	mustDo(t, os.WriteFile(filepath.Join(dir, "b.json"), []byte("kept"), 0o644))
	r := runDoseplan(t, dir, "", planTo("testdata/iv.yaml", "--ics", tmpToken+"/a.ics", "--fhir", tmpToken+"/b.json")...)
	if r.code != exitInput || !strings.Contains(r.stderr, `--fhir "`+tmpToken+`/b.json": already exists`) {
		t.Errorf("exit %d, want 1:\n%s", r.code, r.stderr)
	}
	if _, err := os.Lstat(filepath.Join(dir, "a.ics")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a.ics was written although b.json was refused (%v)", err)
	}
	holdsAt(t, filepath.Join(dir, "b.json"), "kept")
	if r.stdout != "" {
		t.Errorf("the table was printed although the files were refused:\n%s", r.stdout)
	}
}

// TestDevicesAreNeverWritten checks the device files of this machine
// without writing anything (a nil write only checks): a test that could
// replace /dev/full when run as root must not try.
func TestDevicesAreNeverWritten(t *testing.T) {
	for _, name := range []string{"/dev/full", "/dev/null", "/dev/stdout"} {
		if _, err := os.Lstat(name); err != nil {
			continue
		}
		for _, rules := range []WriteRules{{}, {Replace: true}} {
			if err := writeDiskFile(name, rules, nil); !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s (%+v): %v, want ErrNotRegular", name, rules, err)
			}
		}
	}
}

// TestStandardOutputOnlyWithDash: "-" puts the file, alone, on standard
// output; it cannot share it with --json or another "-".
func TestStandardOutputOnlyWithDash(t *testing.T) {
	protocol := filepath.Join(wd(t), "testdata", "iv.yaml")
	dir := t.TempDir()
	t.Chdir(dir) // a file named "-" would land here
	r := runDoseplan(t, "", "", planTo(protocol, "--ics", "-")...)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(r.stdout, "END:VCALENDAR\r\n") {
		t.Errorf("--ics -: exit %d, want the calendar alone on standard output:\n%.300s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) > 0 {
		t.Errorf("--ics - wrote a file: %v", ents)
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{planTo("testdata/iv.yaml", "--ics", "-", "--json"), "--ics - and --json both write to standard output; give one"},
		{planTo("testdata/iv.yaml", "--ics", "-", "--fhir", "-"), "--ics - and --fhir - both write to standard output; give one"},
		{planTo("testdata/iv.yaml", "--ics", "-", "--fhir", "-", "--json"), "--ics -, --fhir -, --json all write to standard output; give one"},
		{args("dose", "--protocol", "testdata/iv.yaml", "--weight", "80kg", "--force"), "--force is only used with --fhir"},
		{args("pk", "--model", "clements-250", "--weight", "80kg", "--dose", "40mg", "--force"), "--force is only used with --plot"},
		{args("record", "--record", "-", "--patient", "P", "--protocol", "testdata/iv.yaml", "--outcome", "missed", "--session", "1", "--by", "RN"),
			`--record "-": must name a file`},
	} {
		r := runDoseplan(t, "", "", c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d, want 2 with %q:\n%s", c.args, r.code, c.msg, r.stderr)
		}
	}
}

// TestExportsWaitForReview: a result with review warnings not acknowledged
// is printed, exits 4, and writes no export (iCalendar, FHIR) until every
// warning is acknowledged.
func TestExportsWaitForReview(t *testing.T) {
	// 28 kg at 175 cm: weight below 30 kg and BMI 9.14 below 15 kg/m²,
	// the default plausibility bounds: two review warnings.
	small := args("--weight", "28kg", "--height", "175cm", "--sex", "male", "--age", "45")
	plan := func(extra ...string) []string {
		return cat(args("plan", "--protocol", "testdata/iv.yaml"), small, args("--start", "2025-03-03", "--tz", "America/New_York",
			"--open", "mon-fri", "--at", "09:00", "--plan-id", "MRN-1", "--stamp", "2025-03-01T12:00:00Z"), extra)
	}
	dose := func(extra ...string) []string {
		return cat(args("dose", "--protocol", "testdata/iv.yaml", "--stamp", "2025-03-01T12:00:00Z"), small, extra)
	}
	acks := args("--ack", "patient.weight.soft_min=small adult, weighed twice", "--ack", "patient.bmi.soft_min=as measured")
	for _, c := range []struct {
		name   string
		args   []string
		files  []string
		stdout string // a line of it
	}{
		{"plan --ics --fhir", plan("--ics", tmpToken+"/p.ics", "--fhir", tmpToken+"/p.json"), []string{"p.ics", "p.json"}, "Plan: IV racemic ketamine"},
		{"plan --ics -", plan("--ics", "-"), nil, ""},
		{"dose --fhir", dose("--fhir", tmpToken+"/d.json"), []string{"d.json"}, "DOSE"},
		{"dose --fhir -", dose("--fhir", "-"), nil, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			r := runDoseplan(t, dir, "", c.args...)
			if r.code != exitReview {
				t.Errorf("exit %d, want 4:\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "not written: the ") || !strings.Contains(r.stderr, "has 2 review warnings not acknowledged") {
				t.Errorf("stderr does not say the export waits for review:\n%s", r.stderr)
			}
			if !strings.Contains(r.stdout, c.stdout) {
				t.Errorf("standard output does not have %q:\n%.400s", c.stdout, r.stdout)
			}
			if ents, _ := os.ReadDir(dir); len(ents) > 0 {
				t.Errorf("wrote %v before the warnings were acknowledged", ents)
			}
			r = runDoseplan(t, dir, "", append(c.args, acks...)...)
			if r.code != exitOK {
				t.Errorf("acknowledged: exit %d, want 0:\n%s", r.code, r.stderr)
			}
			for _, f := range c.files {
				b, err := os.ReadFile(filepath.Join(dir, f))
				if err != nil || !bytes.Contains(b, []byte("small adult, weighed twice")) && !bytes.Contains(b, []byte("BEGIN:VCALENDAR")) {
					t.Errorf("acknowledged: %s not written (%v)", f, err)
				}
			}
			if len(c.files) == 0 && r.stdout == "" {
				t.Error("acknowledged: nothing on standard output")
			}
		})
	}
}

// TestPlotsHaveNoReviewState: pk and envelope never exit 4, so their plots
// are never written over an unacknowledged warning: a patient outside the
// model's range is a warning of the report (and of the plot's caption), and
// the envelope's map shows each patient's review status.
func TestPlotsHaveNoReviewState(t *testing.T) {
	for _, c := range []command{pkCommand(), envelopeCommand()} {
		if strings.Contains(c.exits, "4") {
			t.Errorf("%s exits with 4 (%s): its --plot must then wait for review as --ics does", c.name, c.exits)
		}
	}
}

// TestRecordIsOnlyAddedTo: the record file is created where nothing is,
// then only ever replaced by itself with an entry after it, keeping its
// permissions; a link, or a record that changed since it was read, is
// never written.
func TestRecordIsOnlyAddedTo(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "r.yaml")
	entry := func(session, date string) []string {
		return cat(args("record", "--record", tmpToken+"/r.yaml", "--patient", "MRN-1", "--protocol", "testdata/iv.yaml",
			"--outcome", "missed", "--session", session, "--date", date, "--by", "RN Lee",
			"--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45",
			"--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00"))
	}
	if r := runDoseplan(t, dir, "", entry("1", "2025-03-03")...); r.code != exitOK {
		t.Fatalf("first entry: exit %d:\n%s", r.code, r.stderr)
	}
	first, err := os.ReadFile(rec)
	mustDo(t, err)
	mustDo(t, os.Chmod(rec, 0o600)) // a clinic's own permissions
	if r := runDoseplan(t, dir, "", entry("1", "2025-03-05")...); r.code != exitOK {
		t.Fatalf("second entry: exit %d:\n%s", r.code, r.stderr)
	}
	second, err := os.ReadFile(rec)
	mustDo(t, err)
	if !bytes.HasPrefix(second, first) || len(second) <= len(first) {
		t.Errorf("the second entry did not only add to the record:\nbefore:\n%s\nafter:\n%s", first, second)
	}
	if fi, err := os.Stat(rec); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the record's permissions are %v (%v), want -rw------- kept", fi.Mode().Perm(), err)
	}

	// A link to the record is read but never written.
	mustDo(t, os.Symlink("r.yaml", filepath.Join(dir, "link.yaml")))
	a := entry("1", "2025-03-07")
	a[2] = tmpToken + "/link.yaml"
	if r := runDoseplan(t, dir, "", a...); r.code != exitInput || !strings.Contains(r.stderr, `--record "`+tmpToken+`/link.yaml": is a symbolic link`) {
		t.Errorf("through a link: exit %d, want 1:\n%s", r.code, r.stderr)
	}
	holdsAt(t, rec, string(second))
	leftovers(t, dir)

	// A record that changed between the read and the write: refused, and
	// what the other program wrote is kept.
	for _, c := range []struct {
		name   string
		change func(name string) error
	}{
		{"an entry added", func(name string) error { return appendTo(name, "# another entry\n") }},
		{"cut short", func(name string) error { return os.Truncate(name, 10) }},
		{"removed", os.Remove},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "r.yaml")
			mustDo(t, os.WriteFile(name, first, 0o644))
			err := writeDiskFile(name, WriteRules{Extends: first}, func(w io.Writer) error {
				if err := c.change(name); err != nil {
					return err
				}
				_, err := w.Write(second)
				return err
			})
			if !errors.Is(err, ErrChanged) {
				t.Errorf("err = %v, want ErrChanged", err)
			}
			if got, err := os.ReadFile(name); err == nil && bytes.Equal(got, second) {
				t.Error("the changed record was replaced")
			}
		})
	}
}

// TestCreateNeverReplaces: a file that appears at the name while doseplan
// writes its temporary file is kept; the new file is refused.
func TestCreateNeverReplaces(t *testing.T) {
	name := filepath.Join(t.TempDir(), "out.ics")
	err := writeDiskFile(name, WriteRules{}, func(w io.Writer) error {
		if err := os.WriteFile(name, []byte("theirs"), 0o644); err != nil {
			return err
		}
		_, err := io.WriteString(w, "ours")
		return err
	})
	if !errors.Is(err, ErrExists) {
		t.Errorf("err = %v, want ErrExists", err)
	}
	holdsAt(t, name, "theirs")
	leftovers(t, filepath.Dir(name))
}

// TestMemoryFilesKeepTheRules: the in-memory Env of these tests keeps the
// disk's rules, so that the golden cases run in memory mean the same.
func TestMemoryFilesKeepTheRules(t *testing.T) {
	fsys := fstest.MapFS{"in.yaml": &fstest.MapFile{Data: []byte("x")}}
	files := map[string][]byte{"old.ics": []byte("old")}
	w := memoryFiles(fsys, files)
	put := writeBytes([]byte("new"))
	for _, c := range []struct {
		name  string
		rules WriteRules
		want  error
	}{
		{"old.ics", WriteRules{}, ErrExists},
		{"in.yaml", WriteRules{Replace: true, Inputs: []FileInput{{Flag: "protocol", Name: "./in.yaml"}}}, ErrIsInput},
		{"old.ics", WriteRules{Extends: []byte("ol")}, ErrChanged},
		{"none.ics", WriteRules{Extends: []byte("x")}, ErrChanged},
		{"old.ics", WriteRules{Replace: true}, nil},
		{"new.ics", WriteRules{}, nil},
	} {
		if err := w(c.name, c.rules, put); !errors.Is(err, c.want) || c.want == nil && err != nil {
			t.Errorf("%s %+v: %v, want %v", c.name, c.rules, err, c.want)
		}
	}
}

func writeAt(content string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		mustDo(t, os.WriteFile(filepath.Join(dir, "out.ics"), []byte(content), 0o644))
	}
}

// linkAt makes out.ics a symbolic link to target, a file holding content
// ("" for a link to nothing).
func linkAt(target, content string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if content != "" {
			mustDo(t, os.WriteFile(filepath.Join(dir, target), []byte(content), 0o644))
		}
		mustDo(t, os.Symlink(target, filepath.Join(dir, "out.ics")))
	}
}

func isCalendar(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "out.ics"))
	if err != nil || !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR")) {
		t.Errorf("out.ics is not the calendar (%v):\n%.200s", err, b)
	}
}

func keeps(content string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) { holdsAt(t, filepath.Join(dir, "out.ics"), content) }
}

func holdsAt(t *testing.T, name, content string) {
	t.Helper()
	if b, err := os.ReadFile(name); err != nil || string(b) != content {
		t.Errorf("%s changed (%v):\n%.200s", filepath.Base(name), err, b)
	}
}

func isLink(t *testing.T, dir, target string) {
	t.Helper()
	if got, err := os.Readlink(filepath.Join(dir, "out.ics")); err != nil || got != target {
		t.Errorf("out.ics is no longer the link to %s (%q, %v)", target, got, err)
	}
}

func isDir(t *testing.T, name string) {
	t.Helper()
	if fi, err := os.Lstat(name); err != nil || !fi.IsDir() {
		t.Errorf("%s is no longer a directory (%v)", name, err)
	}
}

// leftovers fails on a temporary file left in dir.
func leftovers(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("a temporary file is left behind: %s", e.Name())
		}
	}
}

func appendTo(name, s string) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	return errors.Join(err, f.Close())
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wd(t *testing.T) string {
	t.Helper()
	d, err := os.Getwd()
	mustDo(t, err)
	return d
}
