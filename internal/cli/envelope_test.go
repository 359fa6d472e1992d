package cli

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/units"
)

// envelopeCases are the envelope command's golden transcripts: small grids,
// so that each file reads in a minute.
func envelopeCases() []goldenCase {
	iv := args("envelope", "--protocol", "example:iv-ketamine-trd", "--weights", "40kg:200kg:40kg", "--heights", "150cm:190cm:20cm")
	return []goldenCase{
		{name: "envelope_iv_level3", args: cat(iv, args("--level", "3", "--ages", "40")), exit: 0},
		{name: "envelope_iv_json", args: cat(iv, args("--level", "1", "--sexes", "female", "--ages", "17,40", "--json")), exit: 0},
		{name: "envelope_pk", args: cat(iv, args("--level", "1", "--sexes", "male", "--ages", "40", "--pk", "domino")), exit: 0},
		{name: "envelope_pain_pounds", args: args("envelope", "--protocol", "example:chronic-pain-infusion", "--weights", "66lb:396lb:66lb",
			"--heights", "5ft:6ft6in:6in", "--sexes", "female", "--ages", "none,50"), exit: 0},
		{name: "envelope_bad_flags", args: args("envelope", "--protocol", "example:iv-ketamine-trd", "--weights", "40kg", "--heights", "150:190cm",
			"--sexes", "man", "--ages", "0", "--level", "top", "--plot-age", "40"), exit: 2},
		{name: "envelope_level_beyond_ladder", args: cat(iv, args("--level", "4")), exit: 2},
		{name: "envelope_plot_output_unknown", args: cat(iv, args("--plot", "$TMP/map.svg", "--plot-output", "doze")), exit: 2},
		{name: "envelope_grid_refused", args: args("envelope", "--protocol", "example:iv-ketamine-trd", "--weights", "80kg:60kg", "--json"), exit: 1},
	}
}

func TestEnvelopeGolden(t *testing.T) {
	for _, c := range envelopeCases() {
		t.Run(c.name, func(t *testing.T) {
			tmp := ""
			if strings.Contains(strings.Join(c.args, " "), tmpToken) {
				tmp = t.TempDir()
			}
			r := runDoseplan(t, tmp, "", c.args...)
			if r.code != c.exit {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, c.exit, r.stdout, r.stderr)
			}
			golden(t, c.name, transcript(c.args, c.stdin, r))
		})
	}
}

// TestEnvelopeJSONIsTheLibrarys: the JSON document carries the envelope
// the library computes for the same options, unchanged.
func TestEnvelopeJSONIsTheLibrarys(t *testing.T) {
	r := runDoseplan(t, "", "", "envelope", "--protocol", "example:iv-ketamine-trd", "--weights", "50kg:150kg:50kg", "--heights", "160cm:180cm:20cm", "--level", "2", "--json")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var doc struct {
		Schema   string          `json:"schema"`
		Notice   string          `json:"notice"`
		Envelope json.RawMessage `json:"envelope"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	p, err := (&Env{}).loadProtocol("example:iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	env, err := envelope.Evaluate(p, envelope.Options{Weights: envelope.Axis{From: units.MustParse("50 kg"), To: units.MustParse("150 kg"), Step: units.MustParse("50 kg")},
		Heights: envelope.Axis{From: units.MustParse("160 cm"), To: units.MustParse("180 cm"), Step: units.MustParse("20 cm")}, Levels: []int{2}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := json.Compact(&got, doc.Envelope); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "doseplan/envelope/v1" || doc.Notice != notice {
		t.Errorf("schema %q, notice %q", doc.Schema, doc.Notice)
	}
	if diff := cmp.Diff(string(want), got.String()); diff != "" {
		t.Errorf("envelope (-library +command):\n%s", diff)
	}
}

func TestEnvelopePlotFile(t *testing.T) {
	tmp := t.TempDir()
	r := runDoseplan(t, tmp, "", "envelope", "--protocol", "example:iv-ketamine-trd", "--weights", "40kg:200kg:10kg", "--heights", "140cm:210cm:10cm",
		"--plot", "$TMP/map.png", "--plot-output", "dose", "--plot-level", "2")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if want := "doseplan: wrote the map to $TMP/map.png\n"; r.stderr != want {
		t.Errorf("stderr %q, want %q", r.stderr, want)
	}
	f, err := os.Open(filepath.Join(tmp, "map.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("the map is no PNG: %v", err)
	}
}

func TestEnvelopeParse(t *testing.T) {
	q := units.MustParse
	domino, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want envelopeRequest
		errs []string
	}{
		{"the defaults", args("--protocol", "p.yaml"), envelopeRequest{Protocol: "p.yaml"}, nil},
		{"every option", args("--protocol", "p.yaml", "--weights", "30kg:250kg:0.5kg", "--heights", "5ft:6ft6in:1in", "--sexes", "female,male",
			"--ages", "none, 18", "--level", "2", "--pk", "domino", "--workers", "3", "--plot", "m.svg", "--plot-output", "cmax", "--plot-age", "18", "--json"),
			envelopeRequest{Output: Output{JSON: true}, Protocol: "p.yaml", Level: 2, Plot: "m.svg",
				Options: envelope.Options{Weights: envelope.Axis{From: q("30 kg"), To: q("250 kg"), Step: q("0.5 kg")},
					Heights: envelope.Axis{From: q("5 ft"), To: q("78 in"), Step: q("1 in")},
					Sexes:   []dosing.Sex{dosing.Female, dosing.Male}, Ages: []dosing.Years{0, 18}, Levels: []int{2}, PK: domino, Keep: []string{"cmax"}, Workers: 3},
				PlotOpt: envelope.PlotOptions{Format: envelope.SVG, Output: "cmax", Age: 18}}, nil},
		{"a step alone, and every level", args("--protocol", "p.yaml", "--weights", "::2kg", "--level", "all"),
			envelopeRequest{Protocol: "p.yaml", Options: envelope.Options{Weights: envelope.Axis{Step: q("2 kg")}}}, nil},
		{"bad values, each named", args("--protocol", "p.yaml", "--weights", "40kg:80", "--heights", "1:2:3:4", "--level", "0", "--pk", "marsh",
			"--plot", "m.pdf"),
			envelopeRequest{Protocol: "p.yaml", Plot: "m.pdf"},
			[]string{`--weights "40kg:80": TO "80" missing unit; write a body weight with its unit, e.g. "80 kg"`,
				`--heights "1:2:3:4": is not FROM:TO or FROM:TO:STEP (e.g. 140cm:210cm:1cm; leave a part empty for its default)`,
				`--level "0": is not a level (1 is the first) or "all"`,
				`--pk "marsh": is not a built-in model (have: domino, clements250, hijazi)`,
				`--plot "m.pdf": must end in .png or .svg`}},
		{"a weight for a height", args("--protocol", "p.yaml", "--heights", "150kg:190kg"),
			envelopeRequest{Protocol: "p.yaml"},
			[]string{`--heights "150kg:190kg": FROM "150kg" is not a height (write e.g. "175 cm")`, `--heights "150kg:190kg": TO "190kg" is not a height (write e.g. "175 cm")`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := parseArgs[envelopeRequest, envelopeResponse](t, new(envelopeCmd), tt.args...)
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b units.Quantity) bool { return a.Equal(b) }),
				cmp.Comparer(func(a, b *pk.Model) bool {
					return a == b || a != nil && b != nil && a.Parameters().ID == b.Parameters().ID
				})); diff != "" {
				t.Errorf("request mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.errs, errs); diff != "" {
				t.Errorf("usage errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// fakeClock advances by the given steps, one each time it is read.
func fakeClock(steps ...time.Duration) func() time.Time {
	t := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	i := 0
	return func() time.Time {
		if i < len(steps) {
			t = t.Add(steps[i])
			i++
		}
		return t
	}
}

func TestProgressLine(t *testing.T) {
	// Read at the start, then at each call: 0.5 s (too early), 1.2 s
	// (shown), 1.25 s (too soon after), 1.5 s (shown), 1.55 s (the end:
	// always shown, with the time).
	var b bytes.Buffer
	progress := progressTo(&b, fakeClock(0, 500*time.Millisecond, 700*time.Millisecond, 50*time.Millisecond, 250*time.Millisecond, 50*time.Millisecond))
	for _, done := range []int{100, 2000, 3000, 5000, 10000} {
		progress(done, 10000)
	}
	want := "\rdoseplan: envelope: 2,000 of 10,000 patients (20 %)\rdoseplan: envelope: 5,000 of 10,000 patients (50 %)" +
		"\rdoseplan: envelope: 10,000 of 10,000 patients (100 %) in 1.6 s\n"
	if b.String() != want {
		t.Errorf("progress %q, want %q", b.String(), want)
	}
	// A run done within a second shows nothing.
	b.Reset()
	progress = progressTo(&b, fakeClock(0, 300*time.Millisecond))
	progress(10, 10)
	if b.Len() != 0 {
		t.Errorf("a short run shows %q", b.String())
	}
	// Standard error that is no terminal (a file, a pipe, a buffer) gets
	// no progress at all.
	if progressLine(&b, time.Now) != nil {
		t.Error("a progress line on a buffer")
	}
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progressLine(f, time.Now) != nil {
		t.Error("a progress line on a file")
	}
}

// The envelope document as SCHEMA.md describes it (see json_test.go).
type (
	mEnvSpan struct {
		From qty `json:"from"`
		To   qty `json:"to"`
	}
	mEnvPart struct {
		Slices []struct {
			Sex string `json:"sex"`
			Age string `json:"age"`
		} `json:"slices"`
		Every bool   `json:"every"`
		By    string `json:"by"`
		Bands []struct {
			From  qty        `json:"from"`
			To    qty        `json:"to"`
			Shape string     `json:"shape"`
			Spans []mEnvSpan `json:"spans"`
			Rows  []struct {
				At    qty        `json:"at"`
				Spans []mEnvSpan `json:"spans"`
			} `json:"rows"`
			Patients int `json:"patients"`
		} `json:"bands"`
		Patients int `json:"patients"`
	}
	mEnvExtreme struct {
		Value    qty        `json:"value"`
		Patients int        `json:"patients"`
		Where    []mEnvPart `json:"where"`
	}
	mEnvAxis struct {
		From  qty    `json:"from"`
		To    qty    `json:"to"`
		Step  qty    `json:"step"`
		Count int    `json:"count"`
		Why   string `json:"why"`
	}
	mEnvelopeDoc struct {
		Schema   string `json:"schema"`
		Notice   string `json:"notice"`
		Findings []struct {
			Severity string `json:"severity"`
			Field    string `json:"field"`
			Message  string `json:"message"`
		} `json:"protocol_findings"`
		Envelope struct {
			Notice     string      `json:"notice"`
			Provenance mProvenance `json:"provenance"`
			Drug       string      `json:"drug"`
			Route      string      `json:"route"`
			Grid       struct {
				Weights mEnvAxis `json:"weights"`
				Heights mEnvAxis `json:"heights"`
				Sexes   []string `json:"sexes"`
				Ages    []string `json:"ages"`
				AgesWhy string   `json:"ages_why"`
			} `json:"grid"`
			PK *struct {
				Model    string `json:"model"`
				Citation string `json:"citation"`
				Label    string `json:"label"`
			} `json:"pk"`
			Patients int `json:"patients"`
			Levels   []struct {
				Level    int `json:"level"`
				Dose     qty `json:"dose"`
				Patients int `json:"patients"`
				Within   int `json:"within_limits"`
				Review   int `json:"needs_review"`
				Refused  int `json:"refused"`
				Ranges   []struct {
					Output   string      `json:"output"`
					Name     string      `json:"name"`
					Patients int         `json:"patients"`
					Min      mEnvExtreme `json:"min"`
					Max      mEnvExtreme `json:"max"`
				} `json:"ranges"`
				Regions []struct {
					Key      string     `json:"key"`
					Severity string     `json:"severity"`
					What     string     `json:"what"`
					Patients int        `json:"patients"`
					BoundMin qty        `json:"bound_min"`
					BoundMax qty        `json:"bound_max"`
					Bound    string     `json:"bound"`
					Example  string     `json:"example"`
					Parts    []mEnvPart `json:"parts"`
				} `json:"regions"`
			} `json:"levels"`
		} `json:"envelope"`
		Plot string `json:"plot"`
	}
)

func TestEnvelopeJSONSchema(t *testing.T) {
	for _, a := range [][]string{
		{"envelope", "--protocol", "example:iv-ketamine-trd", "--weights", "40kg:200kg:20kg", "--heights", "140cm:210cm:10cm", "--pk", "domino",
			"--plot", "$TMP/map.svg", "--json"},
		{"envelope", "--protocol", "example:esketamine-nasal", "--weights", "30kg:250kg:20kg", "--heights", "70cm:270cm:20cm", "--ages", "none,40", "--json"},
	} {
		r := runDoseplan(t, t.TempDir(), "", a...)
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		var doc mEnvelopeDoc
		decodeStrict(t, r.stdout, &doc)
		if doc.Schema != "doseplan/envelope/v1" || doc.Notice != notice || doc.Envelope.Notice != notice {
			t.Errorf("schema %q, notices %q, %q", doc.Schema, doc.Notice, doc.Envelope.Notice)
		}
	}
}

// readmeMap is the picture the README shows, and the command line that
// draws it (the README's envelope run, with --plot).
const readmeMap = "../../docs/envelope-iv-level3.png"

var readmeMapArgs = []string{"envelope", "--protocol", "example:iv-ketamine-trd", "--level", "3", "--ages", "40",
	"--weights", "40kg:180kg:1kg", "--heights", "140cm:210cm:1cm", "--plot", "$TMP/map.png"}

// TestReadmeMap keeps the README's picture the real map of its run: the
// command draws it byte for byte (-update redraws it), and it stays small.
func TestReadmeMap(t *testing.T) {
	tmp := t.TempDir()
	if r := runDoseplan(t, tmp, "", readmeMapArgs...); r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	got, err := os.ReadFile(filepath.Join(tmp, "map.png"))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(readmeMap, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(readmeMap)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is not the map the README's command draws (go test -update redraws it)", readmeMap)
	}
	if len(got) > 200_000 {
		t.Errorf("the README's map is %d bytes; keep it under 200 kB", len(got))
	}
}

// axisFlagTests are values of --weights and --heights as read: the parts
// given, and the message of a refusal ("" for none).
var axisFlagTests = []struct {
	in             string
	height         bool
	from, to, step string // "" for a part left to its default
	msg            string
}{
	{in: "30kg:250kg:1kg", from: "30 kg", to: "250 kg", step: "1 kg"},
	{in: "66lb:396lb", from: "66 lb", to: "396 lb"},
	{in: "::0.5kg", step: "0.5 kg"},
	{in: " 40 kg : 80 kg ", from: "40 kg", to: "80 kg"},
	{in: "5ft:6ft6in:1in", height: true, from: "5 ft", to: "78 in", step: "1 in"}, // a compound reads in its smaller unit
	{in: "150cm:", height: true, from: "150 cm"},
	{in: "40kg", msg: `is not FROM:TO or FROM:TO:STEP (e.g. 40kg:160kg:1kg; leave a part empty for its default)`},
	{in: "1:2:3:4", msg: `is not FROM:TO or FROM:TO:STEP (e.g. 40kg:160kg:1kg; leave a part empty for its default)`},
	{in: "40kg:80", msg: `TO "80" missing unit; write a body weight with its unit, e.g. "80 kg"`},
	{in: "150kg:190cm", height: true, msg: `FROM "150kg" is not a height (write e.g. "175 cm")`},
}

// readAxisFlag reads one --weights (or --heights) value on its own.
func readAxisFlag(in string, height bool) (envelope.Axis, []string) {
	f := fuzzFlags("envelope")
	if height {
		return readAxis(f, "heights", in, "140cm:210cm:1cm", kHeight()), f.errs
	}
	return readAxis(f, "weights", in, "40kg:160kg:1kg", kWeight()), f.errs
}

func TestReadAxis(t *testing.T) {
	text := func(q units.Quantity) string {
		if !q.IsValid() {
			return ""
		}
		return q.String()
	}
	for _, tt := range axisFlagTests {
		a, errs := readAxisFlag(tt.in, tt.height)
		name := "weights"
		if tt.height {
			name = "heights"
		}
		var want []string
		if tt.msg != "" {
			want = []string{"--" + name + " " + strconv.Quote(tt.in) + ": " + tt.msg}
		}
		if diff := cmp.Diff(want, errs); diff != "" {
			t.Errorf("%q: usage errors (-want +got):\n%s", tt.in, diff)
		}
		// Each part keeps the unit written (a compound, its smaller one).
		if got := [3]string{text(a.From), text(a.To), text(a.Step)}; got != [3]string{tt.from, tt.to, tt.step} {
			t.Errorf("%q: read %q, want %q", tt.in, got, [3]string{tt.from, tt.to, tt.step})
		}
	}
}

func FuzzReadAxis(f *testing.F) {
	for _, tt := range axisFlagTests {
		f.Add(tt.in, tt.height)
	}
	f.Fuzz(func(t *testing.T, s string, height bool) {
		type res struct {
			a    envelope.Axis
			errs []string
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { a, errs := readAxisFlag(s, height); return res{a, errs} })
		for _, e := range r.errs {
			if strings.ContainsAny(e, "\n\r") {
				t.Fatalf("usage error %q is more than one line", e)
			}
		}
		parts := [3]units.Quantity{r.a.From, r.a.To, r.a.Step}
		if len(r.errs) > 0 {
			for _, q := range parts {
				if q.IsValid() {
					t.Fatalf("readAxis(%q) = %+v with the errors %q", s, r.a, r.errs)
				}
			}
			return
		}
		// What was read writes back as the flag's text and reads again
		// the same.
		k, back := kWeight(), ""
		if height {
			k = kHeight()
		}
		for i, q := range parts {
			if i > 0 {
				back += ":"
			}
			if q.IsValid() {
				if !k.accepts(q.Dimension()) {
					t.Fatalf("readAxis(%q) read %v, not %s", s, q, k.what)
				}
				back += q.Text()
			}
		}
		if s == "" {
			return
		}
		again, errs := readAxisFlag(back, height)
		if len(errs) > 0 || !reflect.DeepEqual([3]string{again.From.Text(), again.To.Text(), again.Step.Text()}, [3]string{parts[0].Text(), parts[1].Text(), parts[2].Text()}) {
			t.Fatalf("readAxis(%q) = %+v, written %q, reads back as %+v, %q", s, r.a, back, again, errs)
		}
	})
}
