package bridge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/internal/cli"
)

// iv is the patient of the worked example in the README: 80 kg, 175 cm,
// male, 45 years, on the embedded IV protocol.
func iv(extra ...Flag) []Flag {
	return append([]Flag{{"protocol", "example:iv-ketamine-trd"}, {"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}}, extra...)
}

// TestRunRefusals checks that each refusal keeps the command line's text
// and is placed at the field it is about.
func TestRunRefusals(t *testing.T) {
	cases := []struct {
		name string
		req  Request
		exit int
		want []FieldError
	}{
		{
			name: "a weight and a height without their units, and two ways to choose the dose",
			req:  Request{Command: "dose", Flags: []Flag{{"protocol", "example:iv-ketamine-trd"}, {"weight", "80"}, {"height", "175"}, {"level", "2"}, {"dose", "1mg/kg"}}},
			exit: 2,
			want: []FieldError{
				{`--weight "80": missing unit; write a body weight with its unit, e.g. "80 kg"`, []string{"weight"}},
				{`--height "175": missing unit; write a height with its unit, e.g. "175 cm"`, []string{"height"}},
				{`--level and --dose both choose the dose; give one`, []string{"level", "dose"}},
			},
		},
		{
			name: "a required flag left blank",
			req:  Request{Command: "dose", Flags: []Flag{{"protocol", "example:iv-ketamine-trd"}, {"weight", ""}}},
			exit: 2,
			want: []FieldError{{`--weight is required: body weight with its unit: 80kg, "80 kg", 176lb`, []string{"weight"}}},
		},
		{
			name: "an implausible weight: the library's error, from the JSON document's flag",
			req:  Request{Command: "dose", Flags: []Flag{{"protocol", "example:iv-ketamine-trd"}, {"weight", "800 kg"}, {"height", "175 cm"}, {"age", "45"}}},
			exit: 1,
			want: []FieldError{{`dosing: patient.weight "800 kg": out of range (must be 0.25 kg to 500 kg) (--weight)`, []string{"weight"}}},
		},
		{
			name: "a protocol file the page was not given",
			req:  Request{Command: "dose", Flags: []Flag{{"protocol", "clinic.yaml"}, {"weight", "80 kg"}}},
			exit: 1,
			want: []FieldError{{`protocol "clinic.yaml": no such file or directory`, []string{"protocol"}}},
		},
		{
			name: "convert: a naked decimal and a negative quantity are the quantity's, an unknown unit the unit's",
			req:  Request{Command: "convert", Args: []Arg{{"quantity", "-.5 mg"}, {"unit", "mgg"}}},
			exit: 2,
			want: []FieldError{
				{`"-.5 mg": negative quantity; doses, volumes, rates, weights and durations cannot be negative`, []string{"quantity"}},
				{`unit "mgg": unknown unit "mgg"`, []string{"unit"}},
			},
		},
		{
			name: "convert: a conversion that needs an outside number names its flag",
			req:  Request{Command: "convert", Args: []Arg{{"quantity", "5 mg"}, {"unit", "mL"}}},
			exit: 2,
			want: []FieldError{{`converting mg to mL needs --concentration: concentration, between drug amounts and volumes: 1mg/mL, "250 mg in 500 mL", "1 % w/v", 1:1000`, []string{"concentration"}}},
		},
		{
			name: "plan: the calendar file needs a reference and a stamp; the page has the reference's field",
			req: Request{Command: "plan", Flags: iv(Flag{"start", "2025-03-03"}, Flag{"tz", "America/New_York"}, Flag{"open", "mon-fri"},
				Flag{"at", "09:00"}, Flag{"ics", "plan.ics"})},
			exit: 2,
			want: []FieldError{
				{`--ics needs --plan-id: a reference for the plan (event UIDs are derived from it)`, []string{"ics", "plan-id"}},
				{`--ics needs --stamp: the DTSTAMP of the events, an RFC 3339 time (2025-03-01T12:00:00Z) or "now"`, []string{"ics", "stamp"}},
			},
		},
		{
			name: "an acknowledgement without a reason",
			req:  Request{Command: "dose", Flags: iv(Flag{"dose", "0.8 mg/kg"}, Flag{"ack", "dose_per_kg.soft_max="})},
			exit: 2,
			want: []FieldError{{`--ack "dose_per_kg.soft_max=": write KEY=REASON, e.g. --ack "dose_per_kg.soft_max=tolerated 0.75 mg/kg at session 3"`, []string{"ack"}}},
		},
		{
			name: "a flag name the page should never send",
			req:  Request{Command: "dose", Flags: []Flag{{"json=false --weight", "80 kg"}}},
			exit: 2,
			want: []FieldError{{`bridge: flag "json=false --weight" is not a flag name`, []string{}}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Run(c.req, nil, nil)
			if got.ExitCode != c.exit {
				t.Errorf("exit %d, want %d (%s)", got.ExitCode, c.exit, got.CommandLine)
			}
			if diff := cmp.Diff(c.want, got.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunIsTheCommandLine checks that a run gives what the command line
// gives for the same arguments: the exit code, the text and the JSON
// document, byte for byte.
func TestRunIsTheCommandLine(t *testing.T) {
	cases := []struct {
		name string
		req  Request
		args []string
	}{
		{"a dose", Request{Command: "dose", Flags: iv()},
			[]string{"dose", "--protocol", "example:iv-ketamine-trd", "--weight", "80 kg", "--height", "175 cm", "--sex", "male", "--age", "45"}},
		{"a dose above the soft limit, not acknowledged", Request{Command: "dose", Flags: iv(Flag{"dose", "0.8 mg/kg"})},
			[]string{"dose", "--protocol", "example:iv-ketamine-trd", "--weight", "80 kg", "--height", "175 cm", "--sex", "male", "--age", "45", "--dose", "0.8 mg/kg"}},
		{"a dose refused by a hard limit", Request{Command: "dose", Flags: iv(Flag{"dose", "1.2 mg/kg"})},
			[]string{"dose", "--protocol", "example:iv-ketamine-trd", "--weight", "80 kg", "--height", "175 cm", "--sex", "male", "--age", "45", "--dose", "1.2 mg/kg"}},
		{"a tenfold order", Request{Command: "check", Flags: iv(Flag{"dose", "400 mg"}, Flag{"draw-volume", "40 mL"})},
			[]string{"check", "--protocol", "example:iv-ketamine-trd", "--weight", "80 kg", "--height", "175 cm", "--sex", "male", "--age", "45", "--dose", "400 mg", "--draw-volume", "40 mL"}},
		{"a plan with a closed day", Request{Command: "plan", Flags: iv(Flag{"start", "2025-03-03"}, Flag{"tz", "America/New_York"}, Flag{"open", "mon-fri"}, Flag{"at", "09:00"}, Flag{"closed", "2025-03-05=Staff day"})},
			[]string{"plan", "--protocol", "example:iv-ketamine-trd", "--weight", "80 kg", "--height", "175 cm", "--sex", "male", "--age", "45", "--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00", "--closed", "2025-03-05=Staff day"}},
		{"body size", Request{Command: "body", Flags: []Flag{{"weight", "176 lb"}, {"height", "5ft10in"}, {"sex", "female"}}},
			[]string{"body", "--weight", "176 lb", "--height", "5ft10in", "--sex", "female"}},
		{"a conversion", Request{Command: "convert", Args: []Arg{{"quantity", "12.5 mcg/kg/min"}, {"unit", "mg/h"}}, Flags: []Flag{{"weight", "80 kg"}}},
			[]string{"convert", "12.5 mcg/kg/min", "mg/h", "--weight", "80 kg"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Run(c.req, nil, nil)
			var text, errText, doc, errDoc bytes.Buffer
			code := cli.Run(c.args, strings.NewReader(""), &text, &errText)
			cli.Run(append(c.args, "--json"), strings.NewReader(""), &doc, &errDoc)
			if got.ExitCode != code {
				t.Errorf("exit %d, the command line's %d", got.ExitCode, code)
			}
			if got.Text != text.String() {
				t.Errorf("text differs from the command line's:\n%s\nwant:\n%s", got.Text, text.String())
			}
			if string(got.Document) != doc.String() {
				t.Errorf("document differs from the command line's:\n%s\nwant:\n%s", got.Document, doc.String())
			}
		})
	}
}

// TestRunShowsDisplayForms checks the display map against values worked
// out by hand from the README's worked example (80 kg, 175 cm).
func TestRunShowsDisplayForms(t *testing.T) {
	got := Run(Request{Command: "dose", Flags: iv()}, nil, nil)
	want := map[string]string{
		// 40 mg ÷ 104 mL = 0.384615… mg/mL, four places: ≈ 0.3846.
		"0.384615384615384615384615384615 mg/mL": "≈ 0.3846 mg/mL",
		// 80 kg ÷ (1.75 m)² = 26.122448… kg/m².
		"26.12244897959183673469387755102 kg/m²": "≈ 26.1224 kg/m²",
	}
	for canonical, display := range want {
		if got.Display[canonical] != display {
			t.Errorf("display of %q = %q, want %q", canonical, got.Display[canonical], display)
		}
	}
	if d, ok := got.Display["40 mg"]; ok {
		t.Errorf("40 mg is shown as it is written, but the display map has %q", d)
	}
	// 12.5 mcg/kg/min × 80 kg = 1000 mcg/min = 60 mg/h, and 1000 mcg/min
	// reads with a thousands separator.
	conv := Run(Request{Command: "convert", Args: []Arg{{"quantity", "12.5 mcg/kg/min"}, {"unit", "mcg/min"}}, Flags: []Flag{{"weight", "80 kg"}}}, nil, nil)
	if conv.Display["1000 mcg/min"] != "1,000 mcg/min" {
		t.Errorf("display of 1000 mcg/min = %q, want 1,000 mcg/min (display map %v)", conv.Display["1000 mcg/min"], conv.Display)
	}
}

// TestRunProtocolInMemory runs a protocol given as bytes, as a file the
// user picked: its SHA-256 is the file's.
func TestRunProtocolInMemory(t *testing.T) {
	b, err := protocols.Read("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	b = append([]byte("# the clinic's copy\n"), b...)
	sum := sha256.Sum256(b)
	got := Run(Request{Command: "dose", Flags: []Flag{{"protocol", "clinic.yaml"}, {"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}}},
		map[string][]byte{"clinic.yaml": b}, nil)
	if got.ExitCode != 0 {
		t.Fatalf("exit %d: %v", got.ExitCode, got.Errors)
	}
	var doc struct {
		Result struct {
			Provenance struct{ SHA256 string } `json:"provenance"`
		} `json:"result"`
	}
	if err := json.Unmarshal(got.Document, &doc); err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(sum[:]); doc.Result.Provenance.SHA256 != want {
		t.Errorf("sha256 %s, want the file's %s", doc.Result.Provenance.SHA256, want)
	}
}

// TestRunWritesFilesInMemory downloads a plan's calendar: the file comes
// back in the response, stamped with the clock given, and nothing is
// written to the disk.
func TestRunWritesFilesInMemory(t *testing.T) {
	t.Chdir(t.TempDir())
	stamp := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	got := Run(Request{Command: "plan", Flags: iv(Flag{"start", "2025-03-03"}, Flag{"tz", "America/New_York"}, Flag{"open", "mon-fri"},
		Flag{"at", "09:00"}, Flag{"ics", "plan.ics"}, Flag{"plan-id", "MRN-1"}, Flag{"stamp", "now"})}, nil, func() time.Time { return stamp })
	if got.ExitCode != 0 {
		t.Fatalf("exit %d: %v", got.ExitCode, got.Errors)
	}
	ics := got.Files["plan.ics"]
	// The protocol's series is six induction sessions and three boosters.
	if n := strings.Count(ics, "BEGIN:VEVENT"); n != 9 {
		t.Errorf("%d events, want 9:\n%s", n, ics)
	}
	if !strings.Contains(ics, "DTSTAMP:20250301T120000Z") {
		t.Errorf("the events are not stamped with the clock given (2025-03-01 12:00 UTC):\n%s", ics)
	}
	if entries, _ := os.ReadDir("."); len(entries) > 0 {
		t.Errorf("the run wrote to the disk: %v", entries)
	}
}

func TestCommandLineIsQuotedForAShell(t *testing.T) {
	got := Run(Request{Command: "convert", Args: []Arg{{"quantity", "7 lb 4 oz"}, {"unit", "kg"}}, Flags: []Flag{{"round", "0.01kg"}}}, nil, nil)
	want := `doseplan convert --round=0.01kg -- '7 lb 4 oz' kg`
	if got.CommandLine != want {
		t.Errorf("command line %s, want %s", got.CommandLine, want)
	}
	if q := shellQuote([]string{"it's"}); q != `'it'\''s'` {
		t.Errorf("shellQuote(it's) = %s", q)
	}
}

func TestVersion(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "doseplan ") {
		t.Errorf("Version() = %q, want doseplan VERSION", v)
	}
}
