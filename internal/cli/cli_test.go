package cli

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

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

const notice = "For clinician verification — not a prescription"

// TestExitCodes runs one case for each documented exit code.
func TestExitCodes(t *testing.T) {
	iv := []string{"--protocol", "testdata/iv.yaml", "--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45"}
	cases := []struct {
		name string
		code int
		args []string
	}{
		{"0 ok: the protocol's dose", exitOK, append([]string{"dose"}, iv...)},
		{"1 input: a protocol that does not load", exitInput, []string{"dose", "--protocol", "testdata/bad.yaml", "--weight", "80kg"}},
		{"2 usage: a weight without its unit", exitUsage, []string{"dose", "--protocol", "testdata/iv.yaml", "--weight", "80"}},
		{"3 hard limit: a dose above the hard maximum", exitHard, append([]string{"dose", "--dose", "1.2mg/kg"}, iv...)},
		{"4 review: a dose above the soft maximum, not acknowledged", exitReview, append([]string{"dose", "--dose", "0.8mg/kg"}, iv...)},
		{"5 mismatch: a tenfold dose ordered", exitMismatch, append([]string{"check", "--dose", "400mg"}, iv...)},
		{"6 hold: a systolic above the hold gate", exitHold, []string{"gate", "--protocol", "testdata/iv.yaml", "--vitals", "bp=185/95 hr=80 spo2=97"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runDoseplan(t, "", "", c.args...)
			if r.code != c.code {
				t.Fatalf("doseplan %s: exit %d, want %d\nstderr:\n%s", strings.Join(c.args, " "), r.code, c.code, r.stderr)
			}
			switch c.code {
			case exitOK, exitReview, exitMismatch, exitHold:
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
			c.steps().define(f)
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
	for code := 0; code <= 6; code++ {
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
	d := runDoseplan(t, "", "", "dose", "--protocol", "example:iv-ketamine-trd", "--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45")
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

// The tables below are the flag-value parsers' cases; fuzz_test.go seeds
// its targets from them.

// quantityFlagTests are values of quantity flags, read by readQuantity for
// a flag of the given kind. The flag's dimension is checked by the flag
// (flagSet.quantity), not by readQuantity.
var quantityFlagTests = []struct {
	name string
	kind qkind
	in   string
	want string // Text of the quantity read, "" when refused
	msg  string
}{
	{"weight in kilograms", kWeight(), "80kg", "80 kg", ""},
	{"weight in pounds with a space", kWeight(), "176 lb", "176 lb", ""},
	{"height in centimetres", kHeight(), "175cm", "175 cm", ""},
	{"height in feet and inches", kHeight(), "5ft9in", "69 in", ""},
	{"percentage", kPercent(), "2%", "2 %", ""},
	{"dose forms", orderKind("count"), "2 devices", "2 devices", ""},
	{"a drug mass for a weight flag is the flag's to refuse", kWeight(), "80mg", "80 mg", ""},
	{"weight without its unit", kWeight(), "80", "", `missing unit; write a body weight with its unit, e.g. "80 kg"`},
	{"naked decimal", kWeight(), ".5kg", "", `naked decimal; write "0.5 kg"`},
	{"cc for mL", orderKind("draw_volume"), "5 cc", "", `ambiguous unit "cc"; write "5 mL"`},
	{"negative dose", orderKind("dose"), "-5 mg", "", "negative quantity; doses, volumes, rates, weights and durations cannot be negative"},
	{"feet and inches are read for any flag; the flag checks the dimension", kWeight(), "5ft9in", "69 in", ""},
	{"pounds and ounces", kWeight(), "7 lb 4 oz", "116 oz", ""},
	{"hours and minutes", kDuration(), "4h30min", "270 min", ""},
	{"amount in a volume", orderKind("stock"), "250 mg in 500 mL", "0.5 mg/mL", ""},
	{"percent strength", orderKind("stock"), "1 % w/v", "10 mg/mL", ""},
	{"ratio strength", orderKind("stock"), "1:1000", "1 mg/mL", ""},
	// issue 17: 5.10 ft was read as 5.1 ft (155 cm) by someone meaning 5 ft 10 in.
	{"decimal feet that read as feet and inches", kHeight(), "5.10ft", "", `ambiguous decimal feet: 5.1 ft (61.2 in) or 5 ft 10 in (70 in)? write "5ft10in", or inches ("70 in" or "61.2 in")`},
	{"decimal hours that read as hours and minutes", kDuration(), "1.30h", "", `ambiguous decimal hours: 1.3 h (78 min) or 1 h 30 min (90 min)? write "1h30min", or minutes ("90 min" or "78 min")`},
	{"decimal hours of one reading", kDuration(), "1.5h", "1.5 h", ""},
}

func TestReadQuantity(t *testing.T) {
	for _, tt := range quantityFlagTests {
		t.Run(tt.name, func(t *testing.T) {
			q, msg := readQuantity(tt.in, tt.kind)
			if msg != tt.msg || q.IsValid() != (tt.want != "") || tt.want != "" && q.Text() != tt.want {
				t.Errorf("readQuantity(%q) = %q, %q; want %q, %q", tt.in, q.Text(), msg, tt.want, tt.msg)
			}
		})
	}
}

// feetInchesTests are heights written in feet and inches, read by
// readQuantity for --height (units.ParseEntry reads them; its own tables
// hold the other compounds).
var feetInchesTests = []struct {
	name, in, want, msg string
}{
	{"no spaces", "5ft10in", "70 in", ""},
	{"spaces", "5 ft 10 in", "70 in", ""},
	{"decimal inches", "5ft 10.5in", "70.5 in", ""},
	{"zero inches", "6ft0in", "72 in", ""},
	{"plain centimetres", "178cm", "178 cm", ""},
	{"whole feet", "5ft", "5 ft", ""},
	{"decimal feet of one reading", "5.75 ft", "5.75 ft", ""},
	{"inches without their unit", "5ft10", "", `inches need their unit: write "5ft10in"`},
	{"13 inches", "5ft13in", "", "the inches after the feet must be below 12"},
	{"decimal feet before inches", "5.5ft2in", "", `write whole feet before the inches ("5ft10in")`},
	{"decimal feet", "5.5 ft", "", `ambiguous decimal feet: 5.5 ft (66 in) or 5 ft 5 in (65 in)? write "5ft5in", or inches ("65 in" or "66 in")`},
	{"centimetres after the feet", "5ft10cm", "", `after the feet come inches (write e.g. "5ft10in")`},
	{"prime and double prime", `5'10"`, "", `feet and inches are written "5ft10in", pounds and ounces "15lb5oz" (or give one unit: "70 in", "178 cm")`},
	{"naked decimal in the inches", "5ft.5in", "", `in the inches: naked decimal; write "0.5 in"`},
	{"text before the feet", "x5ft10in", "", "missing number before the unit"},
	// 60 digits of feet are read, but 12 times them in inches are more
	// digits than a value may have: refused rather than never readable again.
	{"more inches than digits allow", strings.Repeat("9", 60) + "ft1in", "", "in inches: more than 60 digits"},
}

func TestReadFeetInches(t *testing.T) {
	for _, c := range feetInchesTests {
		t.Run(c.name, func(t *testing.T) {
			q, msg := readQuantity(c.in, kHeight())
			if msg != c.msg || q.IsValid() != (c.want != "") || c.want != "" && q.Text() != c.want {
				t.Errorf("readQuantity(%q) = %q, %q; want %q, %q", c.in, q.Text(), msg, c.want, c.msg)
			}
		})
	}
}

// roundFlagTests are values of convert's --round STEP[:MODE].
var roundFlagTests = []struct {
	name, in, step string
	mode           units.RoundingMode
	msg            string
}{
	{"whole drops, half_up unless told", "1gtt/min", "1 gtt/min", units.RoundHalfUp, ""},
	{"pump resolution rounded down", "0.1 mL/h:down", "0.1 mL/h", units.RoundDown, ""},
	{"half even", "0.5 h:half_even", "0.5 h", units.RoundHalfEven, ""},
	{"unknown mode", "1gtt/min:nearest", "", 0, `unknown rounding mode "nearest" (allowed: half_up, half_even, down, up)`},
	{"empty mode", "1gtt/min:", "", 0, `unknown rounding mode "" (allowed: half_up, half_even, down, up)`},
	{"zero step", "0 gtt/min", "", 0, "the step must be greater than 0"},
	{"step without its unit", "1", "", 0, `the step: missing unit; write a rounding step with its unit, e.g. "1 gtt/min"`},
	{"step in cc", "0.1 cc/h", "", 0, `the step: ambiguous unit "cc"; write "0.1 mL/h"`},
}

func TestReadRound(t *testing.T) {
	for _, tt := range roundFlagTests {
		t.Run(tt.name, func(t *testing.T) {
			r, msg := readRound(tt.in)
			if msg != tt.msg || r.Step.Text() != tt.step || r.Mode != tt.mode {
				t.Errorf("readRound(%q) = %q %v, %q; want %q %v, %q", tt.in, r.Step.Text(), r.Mode, msg, tt.step, tt.mode, tt.msg)
			}
		})
	}
}

// dateFlagTests are values of date flags.
var dateFlagTests = []struct {
	name, in, want, msg string
}{
	{"a date", "2025-03-03", "2025-03-03", ""},
	{"February 30", "1980-02-30", "", "is not a day of the calendar (February 1980 has 29 days)"},
	{"no leading zeros", "2025-3-3", "", "is not a date (write YYYY-MM-DD, e.g. 2025-03-03)"},
	{"empty", "", "", "is not a date (write YYYY-MM-DD, e.g. 2025-03-03)"},
	{"a birth date in year 1", "0001-01-01", "", "is outside the dates doseplan reads (1900-01-01 to 2199-12-31)"},
	{"the day before the first", "1899-12-31", "", "is outside the dates doseplan reads (1900-01-01 to 2199-12-31)"},
	{"the first day", "1900-01-01", "1900-01-01", ""},
	{"the last day", "2199-12-31", "2199-12-31", ""},
	{"year 9999", "9999-12-31", "", "is outside the dates doseplan reads (1900-01-01 to 2199-12-31)"},
}

func TestReadDate(t *testing.T) {
	for _, tt := range dateFlagTests {
		t.Run(tt.name, func(t *testing.T) {
			d, msg := readDate(tt.in)
			if msg != tt.msg || d.String() != tt.want {
				t.Errorf("readDate(%q) = %q, %q; want %q, %q", tt.in, d, msg, tt.want, tt.msg)
			}
		})
	}
}

// weekdaysTests are --open values.
var weekdaysTests = []struct {
	name string
	vals []string
	want string // the days read, in order
	errs int
}{
	{"a range over the weekend, a day and a repeat", []string{"fri-mon", "wed", "mon"}, "fri,sat,sun,mon,wed", 0},
	{"the working week", []string{"mon-fri"}, "mon,tue,wed,thu,fri", 0},
	{"a range of one day", []string{"wed-wed"}, "wed", 0},
	{"spaces and capitals", []string{" Mon", "thu "}, "mon,thu", 0},
	{"a misspelt day", []string{"mon", "wed", "fry"}, "mon,wed", 1},
	{"a range without its end", []string{"mon-"}, "", 1},
}

func TestReadWeekdays(t *testing.T) {
	for _, tt := range weekdaysTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("plan", &bytes.Buffer{})
			if got := weekdaysText(readWeekdays(f, tt.vals)); got != tt.want || len(f.errs) != tt.errs {
				t.Errorf("readWeekdays(%q) = %q, errors %q; want %q, %d errors", tt.vals, got, f.errs, tt.want, tt.errs)
			}
		})
	}
}

// weekdaysText writes days as --open takes them: "mon,wed".
func weekdaysText(ws []schedule.Weekday) string {
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.String()
	}
	return strings.Join(names, ",")
}

// closureTests are --closed values.
var closureTests = []struct {
	name string
	in   string
	want schedule.Closure // when ok
	ok   bool
}{
	{"a named range", "2025-12-24..2026-01-01=winter closure",
		schedule.Closure{Date: schedule.Date{Year: 2025, Month: 12, Day: 24}, Through: schedule.Date{Year: 2026, Month: 1, Day: 1}, Name: "winter closure"}, true},
	{"a day", "2025-04-18", schedule.Closure{Date: schedule.Date{Year: 2025, Month: 4, Day: 18}}, true},
	{"a named day with spaces", " 2025-04-18 = Good Friday ", schedule.Closure{Date: schedule.Date{Year: 2025, Month: 4, Day: 18}, Name: "Good Friday"}, true},
	{"month 13", "2025-13-01", schedule.Closure{}, false},
	{"a range that ends before it starts", "2025-04-20..2025-04-18", schedule.Closure{}, false},
	{"a range without its end", "2025-04-18..", schedule.Closure{}, false},
}

func TestReadClosure(t *testing.T) {
	for _, tt := range closureTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("plan", &bytes.Buffer{})
			c, ok := readClosure(f, tt.in)
			if ok != tt.ok || ok && c != tt.want || ok == (len(f.errs) == 1) {
				t.Errorf("readClosure(%q) = %+v, %v, errors %q; want %+v, %v", tt.in, c, ok, f.errs, tt.want, tt.ok)
			}
		})
	}
}

// sessionIntsTests are --level values (levels from 1 on the command line,
// from 0 in the map).
var sessionIntsTests = []struct {
	name string
	vals []string
	want map[int]int
	errs int
}{
	{"none", nil, nil, 0},
	{"one session", []string{"4=2"}, map[int]int{4: 1}, 0},
	{"spaces around the numbers", []string{" 2 = 3 "}, map[int]int{2: 2}, 0},
	{"a session given twice", []string{"4=2", "4=3"}, map[int]int{4: 1}, 1},
	{"not a number", []string{"x=1"}, map[int]int{}, 1},
	{"session 0", []string{"0=1"}, map[int]int{}, 1},
	{"level 0", []string{"1=0"}, map[int]int{}, 1},
	{"no equals sign", []string{"4"}, map[int]int{}, 1},
}

func TestReadSessionInts(t *testing.T) {
	for _, tt := range sessionIntsTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("plan", &bytes.Buffer{})
			got := readSessionInts(f, "level", tt.vals)
			if diff := cmp.Diff(tt.want, got); diff != "" || len(f.errs) != tt.errs {
				t.Errorf("readSessionInts(%q) mismatch (-want +got):\n%s\nerrors %q, want %d", tt.vals, diff, f.errs, tt.errs)
			}
		})
	}
}

// sessionWeightsTests are --session-weight values.
var sessionWeightsTests = []struct {
	name string
	vals []string
	want map[int]string // Text of each weight
	errs int
}{
	{"none", nil, nil, 0},
	{"a weight", []string{"3=81kg"}, map[int]string{3: "81 kg"}, 0},
	{"pounds", []string{"2=180 lb"}, map[int]string{2: "180 lb"}, 0},
	{"a weight without its unit", []string{"5=81"}, map[int]string{}, 1},
	{"a drug mass is not a weight", []string{"6=81mg"}, map[int]string{}, 1},
	{"a session given twice", []string{"3=81kg", "3=82kg"}, map[int]string{3: "81 kg"}, 1},
	{"session 0", []string{"0=81kg"}, map[int]string{}, 1},
}

func TestReadSessionWeights(t *testing.T) {
	for _, tt := range sessionWeightsTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("plan", &bytes.Buffer{})
			got := sessionWeightsText(readSessionWeights(f, tt.vals))
			if diff := cmp.Diff(tt.want, got); diff != "" || len(f.errs) != tt.errs {
				t.Errorf("readSessionWeights(%q) mismatch (-want +got):\n%s\nerrors %q, want %d", tt.vals, diff, f.errs, tt.errs)
			}
		})
	}
}

// sessionWeightsText gives the Text of each weight; nil for nil.
func sessionWeightsText(m map[int]units.Quantity) map[int]string {
	if m == nil {
		return nil
	}
	out := map[int]string{}
	for s, q := range m {
		out[s] = q.Text()
	}
	return out
}

// toleranceTests are --tolerance values.
var toleranceTests = []struct {
	name string
	vals []string
	want string // tolerancesText of the tolerances read
	errs int
}{
	{"pump rate", []string{"pump-rate=2%"}, "pump-rate=2 %", 0},
	{"two fields", []string{"dose=2%", "pump-rate=1.5 %"}, "dose=2 %,pump-rate=1.5 %", 0},
	{"underscores and dashes", []string{"--dose_rate_per_kg=2%"}, "dose-rate-per-kg=2 %", 0},
	{"unknown field", []string{"speed=2%"}, "", 1},
	{"not a percentage", []string{"dose=2 mg"}, "", 1},
	{"no equals sign", []string{"dose"}, "", 1},
	{"a field given twice", []string{"dose=2%", "dose=3%"}, "dose=2 %", 1},
}

func TestReadTolerance(t *testing.T) {
	for _, tt := range toleranceTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("check", &bytes.Buffer{})
			var tol dosing.Tolerances
			for _, v := range tt.vals {
				readTolerance(f, v, orderFlags(), &tol)
			}
			if got := tolerancesText(tol); got != tt.want || len(f.errs) != tt.errs {
				t.Errorf("readTolerance(%q) = %q, errors %q; want %q, %d errors", tt.vals, got, f.errs, tt.want, tt.errs)
			}
		})
	}
}

// tolerancesText writes the tolerances set as --tolerance takes them, in
// the order of the check flags: "dose=2 %,pump-rate=1.5 %".
func tolerancesText(tol dosing.Tolerances) string {
	var parts []string
	for _, of := range orderFlags() {
		if q := of.field.Tolerance(tol); q.IsValid() {
			parts = append(parts, of.name+"="+q.Text())
		}
	}
	return strings.Join(parts, ",")
}

// factorTests are --abw-factor values.
var factorTests = []struct {
	name, in, want, msg string
}{
	{"0.4", "0.4", "0.4", ""},
	{"one", "1", "1", ""},
	{"trailing zero", "0.40", "0.4", ""},
	{"naked decimal", ".4", "", `naked decimal; write "0.4"`},
	{"trailing decimal point", "1.", "", `trailing decimal point; write "1"`},
	{"zero", "0", "", "is out of range (must be > 0 and ≤ 1, e.g. 0.4)"},
	{"above one", "1.5", "", "is out of range (must be > 0 and ≤ 1, e.g. 0.4)"},
	{"a percentage", "40%", "", "is not a number such as 0.4"},
	{"empty", "", "", "is not a number such as 0.4"},
}

func TestReadFactor(t *testing.T) {
	for _, tt := range factorTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("body", &bytes.Buffer{})
			k := readFactor(f, "abw-factor", tt.in)
			var want []string
			if tt.msg != "" {
				want = []string{fmt.Sprintf("--abw-factor %q: %s", tt.in, tt.msg)}
			}
			got := ""
			if len(f.errs) == 0 {
				got = k.String()
			}
			if diff := cmp.Diff(want, f.errs); diff != "" || got != tt.want {
				t.Errorf("readFactor(%q) = %q, want %q; errors mismatch (-want +got):\n%s", tt.in, got, tt.want, diff)
			}
		})
	}
}

// ackTests are --ack values with --ack-by.
var ackTests = []struct {
	name string
	vals []string
	by   string
	want []dosing.Ack
	errs int
}{
	{"a key and a reason", []string{"dose_per_kg.soft_max=tolerated 0.75 mg/kg"}, "A. Pharmacist",
		[]dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "tolerated 0.75 mg/kg", By: "A. Pharmacist"}}, 0},
	{"spaces trimmed and = in the reason", []string{" patient.bmi.soft_max = weighed = twice "}, "",
		[]dosing.Ack{{Key: "patient.bmi.soft_max", Reason: "weighed = twice"}}, 0},
	{"two acknowledgements", []string{"a=b", "c=d"}, "", []dosing.Ack{{Key: "a", Reason: "b"}, {Key: "c", Reason: "d"}}, 0},
	{"no reason", []string{"dose.soft_max="}, "", nil, 1},
	{"no key", []string{"=a reason"}, "", nil, 1},
	{"no equals sign", []string{"dose.soft_max"}, "", nil, 1},
	{"ack-by without ack", nil, "A. Pharmacist", nil, 1},
}

func TestAcks(t *testing.T) {
	for _, tt := range ackTests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFlagSet("dose", &bytes.Buffer{})
			vals, by := tt.vals, tt.by
			got := (&ackFlags{raw: &vals, by: &by}).acks(f)
			if diff := cmp.Diff(tt.want, got); diff != "" || len(f.errs) != tt.errs {
				t.Errorf("acks(%q, by %q) mismatch (-want +got):\n%s\nerrors %q, want %d", tt.vals, tt.by, diff, f.errs, tt.errs)
			}
		})
	}
}

// TestErrorLines checks that joined errors, also inside a wrapper that
// adds a prefix, come out one per line, and the exit code each calls for.
func TestErrorLines(t *testing.T) {
	limit := &dosing.LimitError{Field: "dose", Kind: dosing.HardMax, Value: units.MustParse("120 mg"), Bound: units.MustParse("100 mg")}
	input := &dosing.FieldError{Field: "preparation.stock", Value: "0 mg/mL", Msg: "out of range"}
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
	weight := &dosing.FieldError{Field: "patient.weight", Value: "700 kg", Msg: "out of range"}
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
	base := []string{"plan", "--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45", "--start", "2025-03-03", "--tz", "America/New_York",
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

// TestParseErrorText checks the one place a units parse error becomes a
// flag's message, by the error's fields: the parser's fix, or for a number
// without its unit the flag's kind with an example.
func TestParseErrorText(t *testing.T) {
	parseErr := func(s string) error { _, err := units.Parse(s); return err }
	unitErr := func(s string) error { _, err := units.ParseUnit(s); return err }
	tests := []struct {
		name string
		err  error
		kind qkind
		want string
	}{
		{"the parser's fix", parseErr("5 cc"), kWeight(), `ambiguous unit "cc"; write "5 mL"`},
		{"a number without its unit, for a weight", parseErr("80"), kWeight(), `missing unit; write a body weight with its unit, e.g. "80 kg"`},
		{"a missing unit, for no kind", unitErr(""), qkind{}, "missing unit"},
		{"no fix and a unit given", parseErr("5 frobs"), kWeight(), `unknown unit "frobs"`},
		{"not a parse error", errors.New("units: something else"), kWeight(), "units: something else"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseErrorText(tt.err, tt.kind); got != tt.want {
				t.Errorf("parseErrorText(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}
