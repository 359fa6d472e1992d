package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/doseplan/doseplan/internal/fuzzcheck"
)

// instantTests are values of record's --when, read in the clinic's zone
// (America/New_York: EST, UTC−5, until 2025-03-09 02:00, then EDT, UTC−4;
// back to EST on 2025-11-02 at 02:00, so 01:30 happens twice that night).
var instantTests = []struct {
	name, in string
	want     string // RFC 3339, "" when refused
	msg      string
}{
	{"the clinic's wall clock", "2025-03-03 09:05", "2025-03-03T09:05:00-05:00", ""},
	{"with a T", "2025-03-10T09:00", "2025-03-10T09:00:00-04:00", ""},
	{"an instant with its offset", "2025-03-03T14:05:00Z", "2025-03-03T14:05:00Z", ""},
	{"a time the clocks skip", "2025-03-09 02:30", "", "does not exist in America/New_York (the clocks skip it); write the instant with its offset"},
	{"a time the clocks show twice", "2025-11-02 01:30", "",
		"happens twice in America/New_York (the clocks go back): write it with its offset, 2025-11-02T01:30:00-04:00 or -05:00"},
	{"am and pm", "2025-03-03 9am", "", `is not a time (write "2025-03-03 09:05" on the clinic's clock, or 2025-03-03T09:05:00-05:00)`},
	{"a day alone", "2025-03-03", "", `is not a time (write "2025-03-03 09:05" on the clinic's clock, or 2025-03-03T09:05:00-05:00)`},
	{"February 30", "2025-02-30 09:00", "", `is not a time (write "2025-03-03 09:05" on the clinic's clock, or 2025-03-03T09:05:00-05:00)`},
}

func TestInstantFlag(t *testing.T) {
	for _, tt := range instantTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("record", io.Discard)
			got := instantFlag(f, "when", tt.in, "America/New_York")
			msg := ""
			if len(f.errs) > 0 {
				msg = strings.TrimPrefix(f.errs[0], `--when "`+tt.in+`": `)
			}
			text := ""
			if !got.IsZero() {
				text = got.Format(time.RFC3339)
			}
			if text != tt.want || msg != tt.msg || len(f.errs) > 1 {
				t.Errorf("instantFlag(%q) = %q, %q; want %q, %q", tt.in, text, f.errs, tt.want, tt.msg)
			}
		})
	}
	f := newFlagSet("record", io.Discard)
	if got := instantFlag(f, "when", "2025-03-03 09:05", ""); !got.IsZero() || len(f.errs) != 1 {
		t.Errorf("a wall-clock time without a zone: %v, %q", got, f.errs)
	}
}

// FuzzInstantFlag: whatever is typed, one instant or one refusal on one
// line; an instant read writes an RFC 3339 text that reads back to it.
//
// go test -run='^$' -fuzz='^FuzzInstantFlag$' -fuzztime=20s ./internal/cli
func FuzzInstantFlag(f *testing.F) {
	for _, tt := range instantTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			at   time.Time
			errs []string
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res {
			fs := newFlagSet("record", io.Discard)
			at := instantFlag(fs, "when", s, "America/New_York")
			return res{at, fs.errs}
		})
		switch {
		case s == "" && (len(r.errs) > 0 || !r.at.IsZero()):
			t.Fatalf("an empty --when: %v, %q", r.at, r.errs)
		case s == "":
		case len(r.errs) == 1 && r.at.IsZero():
			if strings.ContainsAny(r.errs[0], "\n\r") {
				t.Fatalf("a refusal on more than one line: %q", r.errs[0])
			}
		case len(r.errs) == 0 && !r.at.IsZero():
			back, err := time.Parse(time.RFC3339, r.at.Format(time.RFC3339))
			if err != nil || !back.Equal(r.at.Truncate(time.Second)) {
				t.Fatalf("%q read as %v, which does not read back (%v)", s, r.at, err)
			}
		default:
			t.Fatalf("%q: %v and %q", s, r.at, r.errs)
		}
	})
}

// batchArgsTests are command lines with --batch.
var batchArgsTests = []struct {
	name   string
	args   []string
	file   string
	asJSON bool
	rest   []string
	errs   int
}{
	{"a file and shared flags", []string{"--protocol", "p.yaml", "--batch", "o.csv", "--level", "2"}, "o.csv", false, []string{"--protocol", "p.yaml", "--level", "2"}, 0},
	{"= forms and JSON", []string{"-batch=o.csv", "--json"}, "o.csv", true, nil, 0},
	{"JSON turned off", []string{"--batch", "o.csv", "--json=false"}, "o.csv", false, nil, 0},
	{"no file", []string{"--batch"}, "", false, nil, 1},
	{"twice", []string{"--batch", "a.csv", "--batch", "b.csv"}, "b.csv", false, nil, 1},
	{"JSON not a boolean", []string{"--batch", "o.csv", "--json=yes"}, "o.csv", false, nil, 1},
	{"positional arguments kept for the command to refuse", []string{"80kg", "--batch", "o.csv", "--", "x"}, "o.csv", false, []string{"80kg", "--", "x"}, 0},
}

func TestBatchArgs(t *testing.T) {
	for _, tt := range batchArgsTests {
		t.Run(tt.name, func(t *testing.T) {
			file, asJSON, given, rest, errs := batchArgs(tt.args)
			if !given || file != tt.file || asJSON != tt.asJSON || strings.Join(rest, "|") != strings.Join(tt.rest, "|") || len(errs) != tt.errs {
				t.Errorf("batchArgs(%q) = %q, %v, %v, %q, %q", tt.args, file, asJSON, given, rest, errs)
			}
		})
	}
	if _, _, given, _, _ := batchArgs([]string{"--weight", "80kg", "--json"}); given {
		t.Error("batchArgs found --batch where there is none")
	}
}

// FuzzBatchFile feeds check --batch and dose --batch files, seeded from the
// test files. Whatever the file: no panic or hang; the exit code is one a
// batch has; with --json every line is one JSON document, the rows' lines
// increase, and the last line is the summary (or the only line, an error).
//
// go test -run='^$' -fuzz='^FuzzBatchFile$' -fuzztime=20s ./internal/cli
func FuzzBatchFile(f *testing.F) {
	for _, name := range []string{"testdata/orders.csv", "testdata/patients.csv", "testdata/orders_mixed.csv",
		"testdata/orders_bad_header.csv", "testdata/orders_match.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, name == "testdata/patients.csv")
	}
	f.Add([]byte("id,weight\n\"a,b\n"), false)
	f.Add([]byte(""), true)
	fsys := testdataFS(f)
	f.Fuzz(func(t *testing.T, file []byte, dose bool) {
		fs := fstest.MapFS{}
		for k, v := range fsys {
			fs[k] = v
		}
		fs["batch.csv"] = &fstest.MapFile{Data: file}
		cmd := "check"
		if dose {
			cmd = "dose"
		}
		var out, errb bytes.Buffer
		env := memEnv(fs, strings.NewReader(""), &out, &errb, map[string][]byte{})
		code := fuzzcheck.Bounded(t, fuzzcheck.Limit*5, func() int {
			return env.Run([]string{cmd, "--protocol", "testdata/iv.yaml", "--batch", "batch.csv", "--json"})
		})
		switch code {
		case exitOK, exitInput, exitHard, exitReview, exitMismatch:
		default:
			t.Fatalf("exit %d\n%s", code, errb.String())
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		last := 0
		for i, l := range lines {
			var doc struct {
				Schema string `json:"schema"`
				Kind   string `json:"kind"`
				Line   int    `json:"line"`
			}
			if err := json.Unmarshal([]byte(l), &doc); err != nil {
				t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
			}
			switch {
			case doc.Schema == "doseplan/error/v1" && len(lines) == 1:
			case doc.Kind == "summary" && i == len(lines)-1:
			case doc.Kind == "row" && doc.Line > last:
				last = doc.Line
			default:
				t.Fatalf("line %d of %d: %s", i+1, len(lines), l)
			}
		}
	})
}
