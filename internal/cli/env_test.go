package cli

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// memEnv is an Env whose files are in memory, as a browser would give
// them: inputs from fsys, outputs into written (see memoryFiles).
func memEnv(fsys fs.FS, stdin io.Reader, stdout, stderr io.Writer, written map[string][]byte) *Env {
	return &Env{
		Stdin: stdin, Stdout: stdout, Stderr: stderr,
		Open:      func(name string) (io.ReadCloser, error) { return fsys.Open(name) },
		WriteFile: memoryFiles(fsys, written),
	}
}

// memoryFiles is an Env's WriteFile that writes into the map files, by
// name, under the rules the disk keeps (writeDiskFile), a file's identity
// being its cleaned name: a name of fsys (the inputs) or of files exists.
func memoryFiles(fsys fs.FS, files map[string][]byte) func(string, WriteRules, func(io.Writer) error) error {
	return func(name string, rules WriteRules, write func(io.Writer) error) error {
		name = path.Clean(name)
		old, exists := files[name]
		if !exists && fsys != nil {
			if b, err := fs.ReadFile(fsys, name); err == nil {
				old, exists = b, true
			}
		}
		for _, in := range rules.Inputs {
			if path.Clean(in.Name) == name {
				return inputError(in)
			}
		}
		switch {
		case rules.Extends != nil && (!exists || !bytes.Equal(old, rules.Extends)):
			return changedError()
		case exists && !rules.Replace && rules.Extends == nil:
			return existsError()
		case write == nil:
			return nil
		}
		var b bytes.Buffer
		if err := write(&b); err != nil {
			return err
		}
		files[name] = b.Bytes()
		return nil
	}
}

// testdataFS holds the protocol files of testdata, under the names the
// golden cases give them ("testdata/iv.yaml").
func testdataFS(t testing.TB) fstest.MapFS {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no protocols in testdata (%v)", err)
	}
	fsys := fstest.MapFS{}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		fsys[filepath.ToSlash(n)] = &fstest.MapFile{Data: b}
	}
	return fsys
}

// TestEnvInMemory runs every golden case that writes files with the files
// in memory: the same transcript and the same file contents, and nothing
// written to the disk, so that every file a command reads or writes goes
// through the Env.
func TestEnvInMemory(t *testing.T) {
	fsys := testdataFS(t)
	n := 0
	for _, c := range goldenCases() {
		if len(c.files) == 0 {
			continue
		}
		n++
		t.Run(c.name, func(t *testing.T) {
			want := map[string]string{"": readGolden(t, c.name)}
			for _, f := range c.files {
				want[f] = readGolden(t, c.name+"."+f)
			}
			t.Chdir(t.TempDir()) // a file written to the disk would land here
			written := map[string][]byte{}
			var out, errb bytes.Buffer
			code := memEnv(fsys, strings.NewReader(""), &out, &errb, written).Run(c.args)
			if code != c.exit {
				t.Errorf("exit %d, want %d\nstderr:\n%s", code, c.exit, errb.String())
			}
			if got := transcript(c.args, c.stdin, result{code, out.String(), errb.String()}); got != want[""] {
				t.Errorf("in memory, the transcript differs from testdata/%s.golden:\n%s", c.name, got)
			}
			for _, f := range c.files {
				got, ok := written[tmpToken+"/"+f]
				if !ok {
					t.Errorf("%s was not written through Env.WriteFile (wrote %d files)", f, len(written))
					continue
				}
				if string(got) != want[f] {
					t.Errorf("in memory, %s differs from testdata/%s.%s.golden", f, c.name, f)
				}
			}
			if ents, err := os.ReadDir("."); err != nil || len(ents) > 0 {
				t.Errorf("the run wrote to the disk: %v (%v)", ents, err)
			}
		})
	}
	if n == 0 {
		t.Fatal("no golden case writes a file")
	}
}

// TestEnvInMemoryPK writes pk's plot and reads its model file through the
// Env: the golden cases have neither.
func TestEnvInMemoryPK(t *testing.T) {
	model := "name: Clinic model\ndrug: ketamine (racemic)\ncitation: clinic PK service\nscaling: linear\nreference_weight: 1 kg\n" +
		"v1: 1.7522 L\nk10: 0.0109 /min\nk12: 0.0186 /min\nk21: 0.0137 /min\n"
	fsys := fstest.MapFS{"clinic/model.yaml": &fstest.MapFile{Data: []byte(model)}}
	t.Chdir(t.TempDir())
	written := map[string][]byte{}
	var out, errb bytes.Buffer
	code := memEnv(fsys, strings.NewReader(""), &out, &errb, written).Run([]string{"pk", "--model-file", "clinic/model.yaml",
		"--weight", "70kg", "--dose", "0.5 mg/kg", "--over", "40 min", "--plot", "out/cp.svg"})
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstderr:\n%s", code, errb.String())
	}
	// The same level as the built-in Clements 250 set (TestPKModelFile).
	if !strings.Contains(out.String(), "Cp 177.31 ng/mL") {
		t.Errorf("the model from memory does not predict 177.31 ng/mL at the end of the infusion:\n%s", out.String())
	}
	if svg := string(written["out/cp.svg"]); !strings.Contains(svg, "<svg") {
		t.Errorf("no SVG written to out/cp.svg through Env.WriteFile (got %d bytes)", len(svg))
	}
	if got, want := errb.String(), "doseplan: wrote the plot to out/cp.svg\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if ents, err := os.ReadDir("."); err != nil || len(ents) > 0 {
		t.Errorf("the run wrote to the disk: %v (%v)", ents, err)
	}
}

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".golden"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
