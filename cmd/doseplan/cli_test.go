package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

const notice = "For clinician verification — not a prescription"

// TestExitCodes runs one case for each documented exit code.
func TestExitCodes(t *testing.T) {
	iv := []string{"--protocol", "testdata/iv.yaml", "--weight", "80kg", "--height", "175cm", "--sex", "male"}
	cases := []struct {
		code int
		args []string
	}{
		{exitOK, append([]string{"dose"}, iv...)},
		{exitInput, []string{"dose", "--protocol", "testdata/bad.yaml", "--weight", "80kg"}},
		{exitUsage, []string{"dose", "--protocol", "testdata/iv.yaml", "--weight", "80"}},
		{exitHard, append([]string{"dose", "--dose", "1.2mg/kg"}, iv...)},
		{exitReview, append([]string{"dose", "--dose", "0.8mg/kg"}, iv...)},
		{exitMismatch, append([]string{"check", "--dose", "400mg"}, iv...)},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.code), func(t *testing.T) {
			r := runDoseplan(t, "", "", c.args...)
			if r.code != c.code {
				t.Fatalf("doseplan %s: exit %d, want %d\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, r.stderr)
			}
			switch c.code {
			case exitOK, exitReview, exitMismatch:
				if !strings.HasSuffix(r.stdout, notice+"\n") {
					t.Errorf("stdout does not end with the notice:\n%s", r.stdout)
				}
			default:
				if r.stdout != "" {
					t.Errorf("stdout is not empty after an error:\n%s", r.stdout)
				}
			}
			if c.code != exitOK {
				for _, l := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
					if !strings.HasPrefix(l, "doseplan: ") && !strings.HasPrefix(l, `run "doseplan help`) {
						t.Errorf("stderr line %q is not a doseplan error", l)
					}
				}
			}
		})
	}
}

// TestHelp checks each command's help: the three ways to ask give the same
// text, on stdout, with exit 0; it shows the usage, every flag and an
// example of the command.
func TestHelp(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			h := runDoseplan(t, "", "", "help", c.name)
			if h.code != 0 || h.stderr != "" {
				t.Fatalf("help %s: exit %d, stderr %q", c.name, h.code, h.stderr)
			}
			for _, flagForm := range []string{"--help", "-h", "-help"} {
				r := runDoseplan(t, "", "", c.name, flagForm)
				if r != h {
					t.Errorf("%s %s differs from help %s", c.name, flagForm, c.name)
				}
			}
			for _, want := range []string{"usage: doseplan " + c.name, "Examples:\n  $ doseplan " + c.name, "Exit codes: "} {
				if !strings.Contains(h.stdout, want) {
					t.Errorf("the help lacks %q", want)
				}
			}
			f := newFlagSet(c.name, &bytes.Buffer{})
			c.setup(f)
			for _, fh := range f.help {
				if fh.name != "" && !strings.Contains(h.stdout, "--"+fh.name) {
					t.Errorf("the help does not list --%s", fh.name)
				}
			}
			if len(c.examples) == 0 {
				t.Errorf("no example line")
			}
			for _, ex := range c.examples {
				if ex != "doseplan "+c.name && !strings.HasPrefix(ex, "doseplan "+c.name+" ") {
					t.Errorf("example %q is not a %s command line", ex, c.name)
				}
			}
		})
	}
	top := runDoseplan(t, "", "", "help")
	for _, c := range commands() {
		if !strings.Contains(top.stdout, "  "+c.name+" ") {
			t.Errorf("doseplan help does not list %s", c.name)
		}
	}
	for code := 0; code <= 5; code++ {
		if !strings.Contains(top.stdout, fmt.Sprintf("\n  %d  ", code)) {
			t.Errorf("doseplan help does not document exit code %d", code)
		}
	}
}

// TestProtocols checks the embedded examples through the CLI: the list
// names them all, each prints byte for byte, and each is usable by name.
func TestProtocols(t *testing.T) {
	list := runDoseplan(t, "", "", "protocols")
	if list.code != 0 || !strings.HasSuffix(list.stdout, notice+"\n") {
		t.Fatalf("protocols: exit %d\n%s%s", list.code, list.stdout, list.stderr)
	}
	for _, name := range protocols.Names() {
		if !strings.Contains(list.stdout, name+"  ") {
			t.Errorf("the list lacks %s", name)
		}
		want, err := protocols.Read(name)
		if err != nil {
			t.Fatal(err)
		}
		r := runDoseplan(t, "", "", "protocols", name)
		if r.code != 0 || r.stdout != string(want) {
			t.Errorf("protocols %s: exit %d; the output is not the embedded file", name, r.code)
		}
		l := runDoseplan(t, "", "", "lint", "example:"+name)
		sum := sha256.Sum256(want)
		if l.code != 0 || !strings.Contains(l.stdout, hex.EncodeToString(sum[:])) {
			t.Errorf("lint example:%s: exit %d, or without the SHA-256 of the file\n%s%s", name, l.code, l.stdout, l.stderr)
		}
	}
	d := runDoseplan(t, "", "", "dose", "--protocol", "example:iv-ketamine-trd", "--weight", "80kg", "--height", "175cm", "--sex", "male")
	if d.code != 0 || !strings.Contains(d.stdout, "Dose:            40 mg") {
		t.Errorf("dose with example:iv-ketamine-trd: exit %d\n%s%s", d.code, d.stdout, d.stderr)
	}
}

// TestPK checks the predictions against the published values of
// clinical.md §8.2 (70 kg, 0.5 mg/kg over 40 min) within 0.1 ng/mL, and
// the plots. The pk package's own tests check the mathematics; the numbers
// here are float64 results and are not kept in golden files.
func TestPK(t *testing.T) {
	for model, want := range map[string]string{"domino": "240.3", "clements250": "177.3", "hijazi": "225.3"} {
		r := runDoseplan(t, "", "", "pk", "--model", model, "--weight", "70kg", "--dose", "0.5 mg/kg", "--over", "40 min", "--json")
		if r.code != 0 {
			t.Fatalf("pk %s: exit %d: %s", model, r.code, r.stderr)
		}
		var doc struct {
			End struct {
				Time, Cp string
			} `json:"end_of_infusion"`
			Amount string `json:"amount_mg"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
			t.Fatal(err)
		}
		cp := units.MustParse(doc.End.Cp)
		diff, _ := cp.Sub(units.MustParse(want + " ng/mL"))
		if c, _ := diff.Abs().Cmp(units.MustParse("0.1 ng/mL")); c > 0 || doc.End.Time != "40 min" || doc.Amount != "35 mg" {
			t.Errorf("%s: end of infusion %s at %s for %s, want %s ng/mL at 40 min for 35 mg", model, doc.End.Cp, doc.End.Time, doc.Amount, want)
		}
		text := runDoseplan(t, "", "", "pk", "--model", model, "--weight", "70kg", "--dose", "0.5 mg/kg", "--over", "40 min")
		if !strings.Contains(text.stdout, "model estimate, not a measured level") || !strings.HasSuffix(text.stdout, notice+"\n") {
			t.Errorf("%s: the text output lacks the estimate label or the notice:\n%s", model, text.stdout)
		}
	}
	dir := t.TempDir()
	for _, f := range []struct{ name, magic string }{{"cp.svg", "<?xml"}, {"cp.png", "\x89PNG"}} {
		r := runDoseplan(t, dir, "", "pk", "--model", "domino", "--weight", "70kg", "--dose", "35mg", "--over", "40min", "--plot", "$TMP/"+f.name, "--until", "2h")
		if r.code != 0 || r.stderr != "doseplan: wrote the plot to $TMP/"+f.name+"\n" {
			t.Fatalf("plot %s: exit %d, stderr %q", f.name, r.code, r.stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		if err != nil || !bytes.HasPrefix(b, []byte(f.magic)) {
			t.Errorf("%s is not a %s image (%v)", f.name, filepath.Ext(f.name), err)
		}
	}
	below := runDoseplan(t, "", "", "pk", "--model", "domino", "--weight", "70kg", "--dose", "0.5mg/kg", "--over", "40min", "--threshold", "100ng/mL")
	if below.code != 0 || !strings.Contains(below.stdout, "Below 100 ng/mL for good  Cp after 43.7 min  Ce after 45.9 min") {
		t.Errorf("threshold: exit %d\n%s%s", below.code, below.stdout, below.stderr)
	}
	never := runDoseplan(t, "", "", "pk", "--model", "clements250", "--weight", "70kg", "--dose", "35mg", "--over", "40min", "--threshold", "1000ng/mL")
	if never.code != 0 || !strings.Contains(never.stdout, "Cp never reaches it") {
		t.Errorf("threshold never reached: exit %d\n%s%s", never.code, never.stdout, never.stderr)
	}
	bolus := runDoseplan(t, "", "", "pk", "--model", "clements250", "--weight", "154lb", "--dose", "0.25mg/kg", "--every", "15min", "--until", "1h")
	if bolus.code != 0 || !strings.Contains(bolus.stdout, "as a bolus") || !strings.Contains(bolus.stdout, "OVER TIME") {
		t.Errorf("bolus: exit %d\n%s%s", bolus.code, bolus.stdout, bolus.stderr)
	}
}

func TestReadFeetInches(t *testing.T) {
	for _, c := range []struct {
		in, want, msg string
	}{
		{"5ft10in", "70 in", ""},
		{"5 ft 10 in", "70 in", ""},
		{"5ft 10.5in", "70.5 in", ""},
		{"6ft0in", "72 in", ""},
		{"5ft10", "", `inches need their unit: write "5ft10in"`},
		{"5ft13in", "", "the inches after the feet must be below 12"},
		{"5.5ft2in", "", `write whole feet before the inches ("5ft10in"), or one unit ("5.5 ft")`},
		{"5ft10cm", "", `after the feet come inches (write e.g. "5ft10in")`},
		{`5'10"`, "", `feet and inches are written "5ft10in" (or give one unit: "70 in", "178 cm")`},
		{"5ft.5in", "", `in the inches: naked decimal; write "0.5 in"`},
		{"x5ft10in", "", "in the feet: missing number before the unit"},
	} {
		q, msg, ok := readFeetInches(c.in)
		if !ok || msg != c.msg || c.want != "" && q.Text() != c.want {
			t.Errorf("readFeetInches(%q) = %q, %q, %v; want %q, %q", c.in, q.Text(), msg, ok, c.want, c.msg)
		}
	}
	for _, s := range []string{"178cm", "5.5 ft", "5ft", "70 in"} {
		if _, _, ok := readFeetInches(s); ok {
			t.Errorf("readFeetInches(%q) claimed a plain quantity", s)
		}
	}
	// Through the flag: the value is exact in inches, which Devine uses.
	q, msg := readQuantity("5ft9in", kHeight())
	if msg != "" || q.Text() != "69 in" {
		t.Errorf("readQuantity(5ft9in) = %v, %q", q, msg)
	}
}

func TestReadCalendarFlags(t *testing.T) {
	f := newFlagSet("plan", &bytes.Buffer{})
	got := readWeekdays(f, []string{"fri-mon", "wed", "mon"})
	var names []string
	for _, w := range got {
		names = append(names, w.String())
	}
	if strings.Join(names, ",") != "fri,sat,sun,mon,wed" || len(f.errs) != 0 {
		t.Errorf("readWeekdays = %v, errors %v", names, f.errs)
	}
	c, ok := readClosure(f, "2025-12-24..2026-01-01=winter closure")
	want := schedule.Closure{Date: schedule.Date{Year: 2025, Month: 12, Day: 24}, Through: schedule.Date{Year: 2026, Month: 1, Day: 1}, Name: "winter closure"}
	if !ok || c != want {
		t.Errorf("readClosure = %+v, %v", c, ok)
	}
	if _, ok := readClosure(f, "2025-13-01"); ok || len(f.errs) != 1 {
		t.Errorf("readClosure accepted month 13 (errors %v)", f.errs)
	}
	levels := readSessionInts(f, "level", []string{"4=2", "4=3", "x=1", "0=1"})
	if len(levels) != 1 || levels[4] != 1 || len(f.errs) != 4 {
		t.Errorf("readSessionInts = %v, errors %v", levels, f.errs)
	}
	ws := readSessionWeights(f, []string{"3=81kg", "5=81", "6=81mg"})
	if len(ws) != 1 || ws[3].Text() != "81 kg" || len(f.errs) != 6 {
		t.Errorf("readSessionWeights = %v, errors %v", ws, f.errs)
	}
}

// TestErrorLines checks that joined errors, also inside a wrapper that
// adds a prefix, come out one per line, and the exit code each calls for.
func TestErrorLines(t *testing.T) {
	limit := &dosing.LimitError{Field: "dose", Kind: dosing.HardMax, Value: units.MustParse("120 mg"), Bound: units.MustParse("100 mg")}
	input := &dosing.InputError{Field: "preparation.stock", Value: "0 mg/mL", Msg: "out of range"}
	nested := &schedule.SessionError{Index: 3, Err: errors.Join(limit, limit)}
	cases := []struct {
		err   error
		lines []string
		code  int
	}{
		{limit, []string{limit.Error()}, exitHard},
		{errors.Join(input, limit), []string{input.Error(), limit.Error()}, exitInput},
		{nested, []string{"schedule: session 3: " + limit.Error(), "schedule: session 3: " + limit.Error()}, exitHard},
		{fmt.Errorf("protocol %q: %w", "p.yaml", errors.Join(input, input)), []string{`protocol "p.yaml": ` + input.Error(), `protocol "p.yaml": ` + input.Error()}, exitInput},
		{errors.New("a\nb"), []string{"a", "b"}, exitInput},
	}
	for _, c := range cases {
		var lines []string
		for _, l := range leaves(c.err) {
			lines = append(lines, l.msg)
		}
		if strings.Join(lines, "\n") != strings.Join(c.lines, "\n") {
			t.Errorf("leaves(%q) = %q, want %q", c.err, lines, c.lines)
		}
		if got := exitCodeFor(c.err); got != c.code {
			t.Errorf("exitCodeFor(%q) = %d, want %d", c.err, got, c.code)
		}
	}
	weight := &dosing.InputError{Field: "patient.weight", Value: "700 kg", Msg: "out of range"}
	if l := leaves(weight); len(l) != 1 || l[0].msg != weight.Error()+" (--weight)" {
		t.Errorf("leaves(%q) = %+v, want the flag named", weight, l)
	}
	doc := newErrorDoc("plan", nested)
	if doc.ExitCode != exitHard || len(doc.Errors) != 2 || doc.Errors[0].Session != 3 || doc.Errors[0].Bound.Text() != "100 mg" {
		t.Errorf("newErrorDoc = %+v", doc)
	}
}

func TestVersion(t *testing.T) {
	for _, c := range []struct {
		info debug.BuildInfo
		want string
	}{
		{debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}, "devel (0123456789ab, modified)"},
	} {
		if got := versionOf(&c.info); got != c.want {
			t.Errorf("versionOf = %q, want %q", got, c.want)
		}
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four", 9, "> ", "  ")
	if want := "> one two\n  three\n  four"; got != want {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}

// TestICSOutput checks the calendar file beyond its golden: it exists only
// after a successful plan, and a failed plan leaves no file behind.
func TestICSOutput(t *testing.T) {
	dir := t.TempDir()
	base := []string{"plan", "--weight", "80kg", "--height", "175cm", "--sex", "male", "--start", "2025-03-03", "--tz", "America/New_York",
		"--open", "mon-fri", "--at", "09:00", "--ics", "$TMP/p.ics", "--plan-id", "X", "--stamp", "now"}
	r := runDoseplan(t, dir, "", append(base, "--protocol", "testdata/smallbag.yaml")...)
	if r.code != exitHard {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed plan left files: %v", entries)
	}
	r = runDoseplan(t, dir, "", append(base, "--protocol", "testdata/iv.yaml")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "p.ics"))
	if err != nil || !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR\r\n")) || bytes.Count(b, []byte("BEGIN:VEVENT")) != 9 {
		t.Errorf("p.ics is not a calendar of 9 events (%v)", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
