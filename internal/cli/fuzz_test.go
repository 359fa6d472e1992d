package cli

import (
	"bytes"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// Fuzz targets for the parsers of flag values, one each, seeded from the
// tables of cli_test.go, and FuzzRun, which runs whole convert and body
// command lines seeded from the golden cases. Every target checks that an
// input never panics or hangs; a parser's target checks that a refusal is
// reported on one line, and that a value read writes a text (the form the
// flag takes) that reads back to the same value and writes the same text
// again. Run one with
//
//	go test -run='^$' -fuzz='^FuzzReadQuantity$' -fuzztime=60s ./internal/cli
//
// A crasher goes to testdata/fuzz/<Fuzz…>/ and stays there as a regression
// case. A flag that takes a list is fuzzed as one text with a value on each
// line.

// fuzzKinds are the kinds of quantity flag, for the targets to pick from.
func fuzzKinds() []qkind {
	// In the order the seeds and any crasher in testdata/fuzz index them.
	return []qkind{kWeight(), kHeight(), orderKind("dose"), orderKind("dose_per_kg"), orderKind("stock"), orderKind("draw_volume"),
		orderKind("pump_rate"), kDuration(), orderKind("dose_rate"), orderKind("dose_rate_per_kg"), orderKind("drip_rate"), kDropFactor(),
		orderKind("count"), kPercent(), kNgPerML(), kAmount(), kDoseLevel()}
}

// kindIndex returns k's index in fuzzKinds (by its example, which is
// distinct for each kind).
func kindIndex(f *testing.F, k qkind) uint8 {
	for i, x := range fuzzKinds() {
		if x.example == k.example && x.what == k.what {
			return uint8(i)
		}
	}
	f.Fatalf("kind %q is not in fuzzKinds", k.what)
	return 0
}

// lines splits a fuzzed text into flag values, one per line; "" is none.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// checkLines checks the usage errors recorded: each is one line, as
// doseplan prints them.
func checkLines(t *testing.T, f *flagSet) {
	t.Helper()
	for _, e := range f.errs {
		if strings.ContainsAny(e, "\n\r") {
			t.Fatalf("usage error %q is more than one line", e)
		}
	}
}

// fuzzFlags is a flag set whose messages go nowhere.
func fuzzFlags(cmd string) *flagSet { return newFlagSet(cmd, io.Discard) }

func FuzzReadQuantity(f *testing.F) {
	for _, tt := range quantityFlagTests {
		f.Add(tt.in, kindIndex(f, tt.kind))
	}
	for _, tt := range feetInchesTests {
		f.Add(tt.in, kindIndex(f, kHeight()))
	}
	f.Fuzz(func(t *testing.T, s string, kind uint8) {
		kinds := fuzzKinds()
		k := kinds[int(kind)%len(kinds)]
		type res struct {
			q   units.Quantity
			msg string
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { q, msg := readQuantity(s, k); return res{q, msg} })
		if r.msg != "" {
			if r.q.IsValid() || strings.ContainsAny(r.msg, "\n\r") {
				t.Fatalf("readQuantity(%q) = %v with the message %q", s, r.q, r.msg)
			}
			return
		}
		if !r.q.IsValid() || r.q.Sign() < 0 {
			t.Fatalf("readQuantity(%q) = %v: want a valid, non-negative quantity", s, r.q)
		}
		checkQuantityFlagRoundTrip(t, r.q, k)
	})
}

// checkQuantityFlagRoundTrip checks that q's Text, given as the flag's
// value, reads back as q and writes the same Text.
func checkQuantityFlagRoundTrip(t *testing.T, q units.Quantity, k qkind) {
	t.Helper()
	back, msg := readQuantity(q.Text(), k)
	if msg != "" || !back.Equal(q) || back.Unit() != q.Unit() || back.Text() != q.Text() {
		t.Fatalf("readQuantity(Text(%v) = %q) = %v, %q", q, q.Text(), back, msg)
	}
}

func FuzzReadRound(f *testing.F) {
	for _, tt := range roundFlagTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			r   rounding
			msg string
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { r, msg := readRound(s); return res{r, msg} })
		switch {
		case r.msg != "":
			if r.r.Step.IsValid() || strings.ContainsAny(r.msg, "\n\r") {
				t.Fatalf("readRound(%q) = %+v with the message %q", s, r.r, r.msg)
			}
		case s == "":
			if r.r.Step.IsValid() {
				t.Fatalf("readRound(\"\") = %+v", r.r)
			}
		default:
			if r.r.Step.Sign() <= 0 || r.r.Mode.String() == "invalid rounding mode" {
				t.Fatalf("readRound(%q) = %+v: want a positive step and a mode", s, r.r)
			}
			again, msg := readRound(r.r.Step.Text() + ":" + r.r.Mode.String())
			if msg != "" || !again.Step.Equal(r.r.Step) || again.Mode != r.r.Mode {
				t.Fatalf("readRound(%q) = %+v, which reads back as %+v, %q", s, r.r, again, msg)
			}
		}
	})
}

func FuzzReadDate(f *testing.F) {
	for _, tt := range dateFlagTests {
		f.Add(tt.in)
	}
	for _, tt := range closureTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			d   schedule.Date
			msg string
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { d, msg := readDate(s); return res{d, msg} })
		if r.msg != "" {
			if !r.d.IsZero() || strings.ContainsAny(r.msg, "\n\r") {
				t.Fatalf("readDate(%q) = %v with the message %q", s, r.d, r.msg)
			}
			return
		}
		if !r.d.IsValid() {
			t.Fatalf("readDate(%q) = %v, not a valid date", s, r.d)
		}
		back, msg := readDate(r.d.String())
		if msg != "" || back != r.d || back.String() != r.d.String() {
			t.Fatalf("readDate(String(%v) = %q) = %v, %q", r.d, r.d.String(), back, msg)
		}
	})
}

func FuzzReadWeekdays(f *testing.F) {
	for _, tt := range weekdaysTests {
		f.Add(strings.Join(tt.vals, "\n"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		vals := lines(text)
		fs := fuzzFlags("plan")
		got := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() []schedule.Weekday { return readWeekdays(fs, vals) })
		checkLines(t, fs)
		if len(fs.errs) > len(vals) {
			t.Fatalf("readWeekdays(%q): %d errors for %d values", vals, len(fs.errs), len(vals))
		}
		seen := map[schedule.Weekday]bool{}
		for _, w := range got {
			if !w.IsValid() || seen[w] {
				t.Fatalf("readWeekdays(%q) = %v: an invalid or repeated day", vals, got)
			}
			seen[w] = true
		}
		again := fuzzFlags("plan")
		back := readWeekdays(again, strings.Split(weekdaysText(got), ","))
		if len(got) > 0 && (len(again.errs) > 0 || !slices.Equal(back, got)) {
			t.Fatalf("readWeekdays(%q) = %v, which reads back as %v, errors %q", vals, got, back, again.errs)
		}
	})
}

// closureText writes a closure as --closed takes it.
func closureText(c schedule.Closure) string {
	s := c.Date.String()
	if !c.Through.IsZero() {
		s += ".." + c.Through.String()
	}
	if c.Name != "" {
		s += "=" + c.Name
	}
	return s
}

func FuzzReadClosure(f *testing.F) {
	for _, tt := range closureTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := fuzzFlags("plan")
		type res struct {
			c  schedule.Closure
			ok bool
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { c, ok := readClosure(fs, s); return res{c, ok} })
		checkLines(t, fs)
		if !r.ok {
			if len(fs.errs) != 1 {
				t.Fatalf("readClosure(%q) refused it with %d errors: %q", s, len(fs.errs), fs.errs)
			}
			return
		}
		if len(fs.errs) != 0 || !r.c.Date.IsValid() || !r.c.Through.IsZero() && r.c.Through.Before(r.c.Date) {
			t.Fatalf("readClosure(%q) = %+v, errors %q", s, r.c, fs.errs)
		}
		text := closureText(r.c)
		again := fuzzFlags("plan")
		back, ok := readClosure(again, text)
		if !ok || back != r.c || closureText(back) != text {
			t.Fatalf("readClosure(%q) = %+v, written %q, which reads back as %+v, %v %q", s, r.c, text, back, ok, again.errs)
		}
	})
}

func FuzzReadSessionInts(f *testing.F) {
	for _, tt := range sessionIntsTests {
		f.Add(strings.Join(tt.vals, "\n"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		vals := lines(text)
		fs := fuzzFlags("plan")
		got := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() map[int]int { return readSessionInts(fs, "level", vals) })
		checkLines(t, fs)
		if len(fs.errs)+len(got) != len(vals) {
			t.Fatalf("readSessionInts(%q) = %v with %d errors: every value is read or refused", vals, got, len(fs.errs))
		}
		var written []string
		for s, n := range got {
			if s < 1 || n < 0 {
				t.Fatalf("readSessionInts(%q) = %v: a session below 1 or a level below 0", vals, got)
			}
			written = append(written, strconv.Itoa(s)+"="+strconv.Itoa(n+1))
		}
		if len(got) == 0 {
			return
		}
		again := fuzzFlags("plan")
		if back := readSessionInts(again, "level", written); len(again.errs) != 0 || !cmp.Equal(back, got) {
			t.Fatalf("readSessionInts(%q) = %v, written %q, which reads back as %v, errors %q", vals, got, written, back, again.errs)
		}
	})
}

func FuzzReadSessionWeights(f *testing.F) {
	for _, tt := range sessionWeightsTests {
		f.Add(strings.Join(tt.vals, "\n"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		vals := lines(text)
		fs := fuzzFlags("plan")
		got := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() map[int]units.Quantity { return readSessionWeights(fs, vals) })
		checkLines(t, fs)
		if len(fs.errs)+len(got) != len(vals) {
			t.Fatalf("readSessionWeights(%q) = %v with %d errors: every value is read or refused", vals, got, len(fs.errs))
		}
		var written []string
		for s, q := range got {
			if s < 1 || !kWeight().accepts(q.Dimension()) || q.Sign() < 0 {
				t.Fatalf("readSessionWeights(%q) = %v: a session below 1 or not a body weight", vals, got)
			}
			written = append(written, strconv.Itoa(s)+"="+q.Text())
		}
		if len(got) == 0 {
			return
		}
		again := fuzzFlags("plan")
		back := readSessionWeights(again, written)
		if len(again.errs) != 0 || !cmp.Equal(sessionWeightsText(back), sessionWeightsText(got)) {
			t.Fatalf("readSessionWeights(%q) = %v, written %q, which reads back as %v, errors %q", vals, got, written, back, again.errs)
		}
	})
}

func FuzzReadTolerance(f *testing.F) {
	for _, tt := range toleranceTests {
		f.Add(strings.Join(tt.vals, "\n"))
	}
	f.Fuzz(func(t *testing.T, text string) {
		vals := lines(text)
		fs := fuzzFlags("check")
		var tol dosing.Tolerances
		fuzzcheck.Bounded(t, fuzzcheck.Limit, func() int {
			for _, v := range vals {
				readTolerance(fs, v, orderFlags(), &tol)
			}
			return 0
		})
		checkLines(t, fs)
		written := tolerancesText(tol)
		set := 0
		for _, of := range orderFlags() {
			if q := of.field.Tolerance(tol); q.IsValid() {
				set++
				if q.Unit() != units.Percent || q.Sign() < 0 {
					t.Fatalf("readTolerance(%q): --tolerance %s=%v is not a percentage", vals, of.name, q)
				}
			}
		}
		if len(fs.errs)+set != len(vals) {
			t.Fatalf("readTolerance(%q) set %d fields with %d errors: every value is read or refused", vals, set, len(fs.errs))
		}
		if written == "" {
			return
		}
		again := fuzzFlags("check")
		var back dosing.Tolerances
		for _, v := range strings.Split(written, ",") {
			readTolerance(again, v, orderFlags(), &back)
		}
		if diff := cmp.Diff(tol, back); diff != "" || len(again.errs) != 0 || tolerancesText(back) != written {
			t.Fatalf("readTolerance(%q), written %q, reads back with errors %q; mismatch (-want +got):\n%s", vals, written, again.errs, diff)
		}
	})
}

func FuzzReadFactor(f *testing.F) {
	for _, tt := range factorTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := fuzzFlags("body")
		k := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() string { return readFactor(fs, "abw-factor", s).String() })
		checkLines(t, fs)
		if len(fs.errs) > 0 {
			if len(fs.errs) != 1 || k != "0" {
				t.Fatalf("readFactor(%q) = %s with errors %q", s, k, fs.errs)
			}
			return
		}
		again := fuzzFlags("body")
		back := readFactor(again, "abw-factor", k)
		if len(again.errs) != 0 || back.String() != k || back.Sign() <= 0 || back.GreaterThan(decimal.NewFromInt(1)) {
			t.Fatalf("readFactor(%q) = %s, which reads back as %s, errors %q", s, k, back, again.errs)
		}
	})
}

// acksText writes acknowledgements as --ack takes them.
func acksText(acks []dosing.Ack) []string {
	var out []string
	for _, a := range acks {
		out = append(out, a.Key+"="+a.Reason)
	}
	return out
}

func FuzzAcks(f *testing.F) {
	for _, tt := range ackTests {
		f.Add(strings.Join(tt.vals, "\n"), tt.by)
	}
	f.Fuzz(func(t *testing.T, text, by string) {
		vals := lines(text)
		fs := fuzzFlags("dose")
		got := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() []dosing.Ack { return (&ackFlags{raw: &vals, by: &by}).acks(fs) })
		checkLines(t, fs)
		wantErrs := len(vals) - len(got)
		if by != "" && len(vals) == 0 {
			wantErrs = 1
		}
		if len(fs.errs) != wantErrs {
			t.Fatalf("acks(%q, by %q) = %v with errors %q: every value is read or refused", vals, by, got, fs.errs)
		}
		for _, a := range got {
			if a.Key == "" || a.Reason == "" || a.By != by || strings.Contains(a.Key, "=") {
				t.Fatalf("acks(%q, by %q) = %+v", vals, by, got)
			}
		}
		written := acksText(got)
		again := fuzzFlags("dose")
		back := (&ackFlags{raw: &written, by: &by}).acks(again)
		if len(got) > 0 && (len(again.errs) != 0 || !cmp.Equal(back, got)) {
			t.Fatalf("acks(%q) = %+v, written %q, which reads back as %+v, errors %q", vals, got, written, back, again.errs)
		}
	})
}

// runCommands are the commands FuzzRun runs: they read no file and write
// none, so any flag value is safe to give them.
var runCommands = []string{"convert", "body"}

// FuzzRun runs "doseplan convert" or "doseplan body" in-process with fuzzed
// arguments (one per line), seeded from the golden cases of those
// commands. The exit code is one of the documented ones, and every line of
// standard error is a doseplan message.
func FuzzRun(f *testing.F) {
	for _, c := range goldenCases() {
		if len(c.args) == 0 {
			continue
		}
		if i := slices.Index(runCommands, c.args[0]); i >= 0 {
			f.Add(uint8(i), strings.Join(c.args[1:], "\n"))
		}
	}
	f.Fuzz(func(t *testing.T, cmd uint8, text string) {
		args := append([]string{runCommands[int(cmd)%len(runCommands)]}, lines(text)...)
		var out, errb strings.Builder
		code := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() int { return Run(args, strings.NewReader(""), &out, &errb) })
		if code < exitOK || code > exitMismatch {
			t.Fatalf("doseplan %q: exit %d", args, code)
		}
		stderr := strings.TrimSuffix(errb.String(), "\n")
		if stderr == "" {
			return
		}
		for _, l := range strings.Split(stderr, "\n") {
			if !strings.HasPrefix(l, "doseplan: ") && !strings.HasPrefix(l, `run "doseplan help`) {
				t.Fatalf("doseplan %q: exit %d, stderr line %q is not a doseplan message\n%s", args, code, l, errb.String())
			}
		}
	})
}

// FuzzRunInMemory runs any command with fuzzed arguments (one per line) in
// an Env whose files are in memory: the testdata protocols, a calendar
// already exported (mem/kept.ics) and the day's record after its first
// entry (mem/mrn-1234.yaml). Seeded
// from every golden case and from the refusals of the file rules. Whatever
// the arguments, no input changes, mem/kept.ics changes only with --force,
// the record only by an entry added after its bytes, and the exit code is
// a documented one with every line of standard error a doseplan message.
func FuzzRunInMemory(f *testing.F) {
	for _, c := range goldenCases() {
		f.Add(strings.ReplaceAll(strings.Join(c.args, "\n"), tmpToken+"/", "mem/"))
	}
	for _, s := range daySteps() {
		f.Add(strings.ReplaceAll(strings.Join(s.args, "\n"), tmpToken+"/", "mem/"))
	}
	plan := strings.Join(planTo("testdata/iv.yaml"), "\n")
	for _, extra := range []string{
		"--ics\nmem/kept.ics", "--ics\nmem/kept.ics\n--force", "--ics\ntestdata/iv.yaml\n--force", "--fhir\n./testdata/iv.yaml",
		"--ics\n-", "--ics\n-\n--json", "--ics\n-\n--fhir\n-", "--ics\nmem/new.ics\n--fhir\nmem/kept.ics",
		"--weight\n28kg\n--ics\nmem/new.ics", "--record\nmem/mrn-1234.yaml",
	} {
		f.Add(plan + "\n" + extra)
	}
	protocols := testdataFS(f)
	inMemory := func(files map[string][]byte) (*Env, *strings.Builder) {
		var errb strings.Builder
		return &Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb,
			Open: func(name string) (io.ReadCloser, error) {
				b, ok := files[path.Clean(name)]
				if !ok {
					return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
				}
				return io.NopCloser(bytes.NewReader(b)), nil
			},
			WriteFile: memoryFiles(nil, files)}, &errb
	}
	// The day's record after its first entry, for a run to add to.
	start := map[string][]byte{}
	for n, fl := range protocols {
		start[n] = fl.Data
	}
	for _, s := range daySteps()[:2] {
		env, errb := inMemory(start)
		if code := env.Run(strings.Split(strings.ReplaceAll(strings.Join(s.args, "\n"), tmpToken+"/", "mem/"), "\n")); code != s.exit {
			f.Fatalf("%s in memory: exit %d\n%s", s.name, code, errb)
		}
	}
	record := start["mem/mrn-1234.yaml"]
	f.Fuzz(func(t *testing.T, text string) {
		args := lines(text)
		files := map[string][]byte{"mem/kept.ics": []byte("kept"), "mem/mrn-1234.yaml": record}
		for n, fl := range protocols {
			files[n] = fl.Data
		}
		env, errb := inMemory(files)
		code := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() int { return env.Run(args) })
		if code < exitOK || code > exitHold {
			t.Fatalf("doseplan %q: exit %d", args, code)
		}
		for n, fl := range protocols {
			if !bytes.Equal(files[n], fl.Data) {
				t.Fatalf("doseplan %q changed its input %s", args, n)
			}
		}
		if string(files["mem/kept.ics"]) != "kept" && !slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(strings.TrimLeft(a, "-"), "force") }) {
			t.Fatalf("doseplan %q replaced mem/kept.ics without --force", args)
		}
		if !bytes.HasPrefix(files["mem/mrn-1234.yaml"], record) {
			t.Fatalf("doseplan %q rewrote the record instead of adding to it", args)
		}
		if len(args) == 0 {
			return // the help, on standard error
		}
		for _, l := range strings.Split(strings.TrimSuffix(errb.String(), "\n"), "\n") {
			if l != "" && !strings.HasPrefix(l, "doseplan: ") && !strings.HasPrefix(l, `run "doseplan help`) {
				t.Fatalf("doseplan %q: exit %d, stderr line %q is not a doseplan message\n%s", args, code, l, errb.String())
			}
		}
	})
}
