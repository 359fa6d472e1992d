package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/doseplan/doseplan/units"
)

// pageCase is one calculation through a form: the fields typed, what the
// page must show (worked out by hand), and where the command line's JSON
// document has the same values.
type pageCase struct {
	name     string
	command  string
	protocol string      // an example's name; "" for body and convert
	args     [][2]string // convert's quantity and unit: field, value
	fields   [][2]string // flag (form field), value; in the form's order
	exit     int
	values   map[string]string // data-value on the page → its text
	json     map[string]string // data-value → the path of the same value in the command line's --json
	errors   map[string]string // form field → the refusal shown next to it
}

// cliArgs is the command line of the case: the same inputs as the form.
func (c pageCase) cliArgs() []string {
	args := []string{c.command}
	for _, a := range c.args {
		args = append(args, a[1])
	}
	if c.protocol != "" {
		args = append(args, "--protocol", "example:"+c.protocol)
	}
	for _, f := range c.fields {
		for _, line := range strings.Split(f[1], "\n") {
			args = append(args, "--"+f[0], line)
		}
	}
	return args
}

func pageCases() []pageCase {
	readme := [][2]string{{"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}}
	with := func(base [][2]string, more ...[2]string) [][2]string { return append(slices.Clone(base), more...) }
	return []pageCase{
		{
			name: "dose: the README's patient on the IV protocol", command: "dose", protocol: "iv-ketamine-trd", fields: readme, exit: 0,
			values: map[string]string{
				"dose":                "40 mg",          // 0.5 mg/kg × 80 kg (BMI 26.1 < 30: the actual weight)
				"dose-per-kg":         "0.5 mg/kg",      // the protocol's first level
				"draw":                "4 mL",           // 40 mg ÷ 10 mg/mL
				"stock":               "10 mg/mL",       // the protocol's vial
				"final-volume":        "104 mL",         // 100 mL bag + 4 mL
				"final-concentration": "≈ 0.3846 mg/mL", // 40 mg ÷ 104 mL = 0.384615… mg/mL
				"pump-rate":           "156 mL/h",       // 104 mL over 40 min = 2.6 mL/min
				"dose-rate":           "60 mg/h",        // 40 mg over 40 min
				"sha256":              "81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce",
			},
			json: map[string]string{"dose": "result.dose", "dose-per-kg": "result.dose_per_kg", "draw": "result.preparation.draw",
				"final-volume": "result.preparation.final_volume", "final-concentration": "result.preparation.final_concentration",
				"pump-rate": "result.infusion.pump_rate", "dose-rate": "result.infusion.dose_rate", "sha256": "result.provenance.sha256"},
		},
		{
			name: "dose: a fixed dose of nasal spray devices, the weight in pounds", command: "dose", protocol: "esketamine-nasal",
			fields: [][2]string{{"weight", "154 lb"}, {"age", "38"}}, exit: 0,
			values: map[string]string{
				"dose":        "56 mg",          // the protocol's first dose, not weight based
				"form-count":  "2 devices",      // 56 mg ÷ 28 mg/device
				"dose-per-kg": "≈ 0.8017 mg/kg", // of the actual weight: 56 mg ÷ (154 lb × 0.45359237 kg/lb = 69.85322498 kg) = 0.80168…
			},
			json: map[string]string{"dose": "result.dose", "form-count": "result.form.count", "dose-per-kg": "result.dose_per_kg"},
		},
		{
			name: "check: a tenfold dose and draw volume", command: "check", protocol: "iv-ketamine-trd",
			fields: with(readme, [2]string{"dose", "400 mg"}, [2]string{"draw-volume", "40 mL"}, [2]string{"pump-rate", "156 mL/h"}), exit: 5,
			values: map[string]string{
				"verdict-dose":        "✗ MISMATCH", // 400 mg against 40 mg: × 10
				"verdict-draw_volume": "✗ MISMATCH", // 40 mL against 4 mL: × 10
				"verdict-pump_rate":   "✓ match",    // 156 mL/h, as computed above
			},
			json: map[string]string{"verdict": "check.summary"},
		},
		{
			name: "check: an order that states every value, all matching", command: "check", protocol: "iv-ketamine-trd",
			fields: with(readme, [2]string{"dose", "40 mg"}, [2]string{"dose-per-kg", "0.5 mg/kg"}, [2]string{"stock", "10 mg/mL"},
				[2]string{"draw-volume", "4 mL"}, [2]string{"final-volume", "104 mL"}, [2]string{"final-concentration", "0.3846 mg/mL"},
				[2]string{"pump-rate", "156 mL/h"}, [2]string{"duration", "40 min"}, [2]string{"dose-rate", "60 mg/h"},
				[2]string{"dose-rate-per-kg", "0.75 mg/kg/h"}), exit: 0,
			values: map[string]string{
				"verdict-dose":                "✓ match", // 0.5 mg/kg × 80 kg
				"verdict-final_concentration": "✓ match", // 40 mg ÷ 104 mL = 0.384615…, 0.3846 within 5 %
				"verdict-dose_rate_per_kg":    "✓ match", // 60 mg/h ÷ 80 kg
			},
			json: map[string]string{"verdict": "check.summary"},
		},
		{
			name: "refused: a weight and a dose that cannot be read", command: "dose", protocol: "iv-ketamine-trd",
			fields: [][2]string{{"weight", "80"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}, {"dose", ".5 mg/kg"}}, exit: 2,
			errors: map[string]string{
				"weight": `--weight "80": missing unit; write a body weight with its unit, e.g. "80 kg"`,
				"dose":   `--dose ".5 mg/kg": naked decimal; write "0.5 mg/kg"`,
			},
		},
		{
			name: "refused: an implausible weight, from the library", command: "dose", protocol: "iv-ketamine-trd",
			fields: [][2]string{{"weight", "800 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}}, exit: 1,
			errors: map[string]string{"weight": `dosing: patient.weight "800 kg": out of range (must be 0.25 kg to 500 kg) (--weight)`},
		},
		{
			name: "refused by a hard limit: 1.2 mg/kg above the protocol's 1 mg/kg", command: "dose", protocol: "iv-ketamine-trd",
			fields: with(readme, [2]string{"dose", "1.2 mg/kg"}), exit: 3,
		},
		{
			name: "body size: the README's patient", command: "body", fields: [][2]string{{"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}}, exit: 0,
			values: map[string]string{
				"bmi":           "≈ 26.1224 kg/m²", // 80 kg ÷ (1.75 m)² = 26.12244…
				"bsa-mosteller": "≈ 1.972 m²",      // √(175 × 80 ÷ 3600) = √3.8889 = 1.97203
				"ibw-devine":    "≈ 70.4646 kg",    // 50 kg + 2.3 kg × (175 cm ÷ 2.54 − 60 = 8.8976)
			},
			json: map[string]string{"bmi": "bmi.value", "ibw-devine": "ibw.0.value"},
		},
		{
			name: "convert: a dose rate per kg to a dose rate", command: "convert", args: [][2]string{{"quantity", "12.5 mcg/kg/min"}, {"unit", "mg/h"}},
			fields: [][2]string{{"weight", "80 kg"}}, exit: 0,
			values: map[string]string{"result": "60 mg/h"}, // 12.5 mcg/kg/min × 80 kg = 1,000 mcg/min = 60 mg/h
			json:   map[string]string{"result": "result"},
		},
		{
			name: "convert: a volume at a rate is a time that does not terminate", command: "convert", args: [][2]string{{"quantity", "500 mL"}, {"unit", "h"}},
			fields: [][2]string{{"rate", "120 mL/h"}}, exit: 0,
			values: map[string]string{"result": "≈ 4.1667 h"}, // 500 ÷ 120 = 4.1666… h
			json:   map[string]string{"result": "result"},
		},
		{
			name: "convert refused: a naked decimal", command: "convert", args: [][2]string{{"quantity", ".5 mg"}, {"unit", "mcg"}}, exit: 2,
			errors: map[string]string{"quantity": `".5 mg": naked decimal; write "0.5 mg"`},
		},
	}
}

// caseNamed returns the case whose name begins with prefix.
func caseNamed(t *testing.T, prefix string) pageCase {
	t.Helper()
	for _, c := range pageCases() {
		if strings.HasPrefix(c.name, prefix) {
			return c
		}
	}
	t.Fatalf("no case named %q…", prefix)
	return pageCase{}
}

// pageState is what a test reads of a form and its result.
type pageState struct {
	Exit      string            `json:"exit"`
	Values    map[string]string `json:"values"`
	Worksheet string            `json:"worksheet"`
	Errors    map[string]string `json:"errors"`  // visible field errors, by field name
	Summary   []string          `json:"summary"` // the list above the form
	Refused   []string          `json:"refused"` // the refusal box's lines
	Text      string            `json:"text"`    // the result as shown, without the command line and the refusals, which quote what was typed
}

// readState reads the form and result of command.
func readState(t *testing.T, ctx context.Context, command string) pageState {
	t.Helper()
	raw := eval[[]byte](t, ctx, fmt.Sprintf(`(() => {
		const form = document.getElementById('form-%[1]s'), out = document.getElementById('result-%[1]s');
		const values = {};
		for (const e of out.querySelectorAll('[data-value]')) if (!(e.dataset.value in values)) values[e.dataset.value] = e.textContent;
		const errors = {};
		for (const e of document.getElementById('panel-%[1]s').querySelectorAll('.field-error:not([hidden])')) errors[e.id.replace(/^%[1]s-/, '').replace(/-err$/, '')] = e.textContent;
		let text = out.innerText;
		for (const c of out.querySelectorAll('.command, .refused, .ack-form')) text = text.replace(c.innerText, '');
		return JSON.stringify({
			exit: out.dataset.exit || '',
			values,
			worksheet: (out.querySelector('pre[data-value=worksheet]') || {}).textContent || '',
			errors,
			summary: Array.from(form.querySelectorAll('.error-summary li')).map((e) => e.textContent),
			refused: Array.from(out.querySelectorAll('.refused li')).map((e) => e.textContent),
			text,
		});
	})()`, command))
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	var st pageState
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		t.Fatal(err)
	}
	return st
}

// fill shows the command's tab, chooses the protocol, clears the form and
// types the fields (as input events, as typing does), then submits it with
// the form's button.
func fill(t *testing.T, ctx context.Context, c pageCase) {
	t.Helper()
	fields, _ := json.Marshal(append(slices.Clone(c.args), c.fields...))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("tab-"+c.command))); err != nil {
		t.Fatal(err)
	}
	eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const sel = document.getElementById('example');
		if (%[2]q !== '' && sel.value !== 'example:' + %[2]q) {
			sel.value = 'example:' + %[2]q;
			sel.dispatchEvent(new Event('change'));
		}
		const form = document.getElementById('form-%[1]s');
		form.reset();
		for (const [name, value] of %[3]s) {
			const e = form.elements[name];
			e.value = value;
			e.dispatchEvent(new Event('input', { bubbles: true }));
		}
		return true;
	})()`, c.command, c.protocol, fields))
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#form-`+c.command+` button[type=submit]`))); err != nil {
		t.Fatal(err)
	}
}

// checkCase runs c in the page and compares it with the command line.
func checkCase(t *testing.T, ctx context.Context, s site, c pageCase) pageState {
	t.Helper()
	fill(t, ctx, c)
	got := readState(t, ctx, c.command)
	args := c.cliArgs()
	text, stderr, code := s.cliRun(t, args...)
	if got.Exit != fmt.Sprint(c.exit) || code != c.exit {
		t.Errorf("exit: the page %s, the command line %d; want %d\ncommand line stderr:\n%s", got.Exit, code, c.exit, stderr)
	}
	switch c.exit {
	case 0, 4, 5:
		if got.Worksheet != text {
			t.Errorf("the page's worksheet differs from the command line's output:\n%s\nwant:\n%s", got.Worksheet, text)
		}
	default:
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(stderr), "\n") {
			if !strings.HasPrefix(l, `run "doseplan help`) {
				lines = append(lines, strings.TrimPrefix(l, "doseplan: "))
			}
		}
		if !slices.Equal(got.Refused, lines) {
			t.Errorf("refusals on the page %q, the command line's stderr %q", got.Refused, lines)
		}
		if !slices.Equal(got.Summary, lines) {
			t.Errorf("the page's error summary %q, the command line's stderr %q", got.Summary, lines)
		}
	}
	for field, want := range c.errors {
		if got.Errors[field] != want {
			t.Errorf("next to %s the page shows %q, want %q (all: %q)", field, got.Errors[field], want, got.Errors)
		}
	}
	if len(c.errors) == 0 && len(got.Errors) > 0 {
		t.Errorf("field errors shown for a case without any: %q", got.Errors)
	}
	for key, want := range c.values {
		if got.Values[key] != want {
			t.Errorf("%s on the page %q, want %q", key, got.Values[key], want)
		}
	}
	if len(c.json) > 0 {
		doc, _ := s.cliJSON(t, args...)
		for key, p := range c.json {
			want, _ := path(doc, p).(string)
			page := got.Values[key]
			if key == "verdict" {
				page = eval[string](t, ctx, `document.querySelector('#result-check [data-value=verdict]').textContent`)
				want = strings.TrimRight(want, "\n")
			}
			if !sameValue(page, want) {
				t.Errorf("%s: the page shows %q, the command line's --json %s is %q", key, page, p, want)
			}
		}
	}
	return got
}

// sameValue reports whether a value shown on the page is the JSON
// document's: the same text, or the same quantity shown as the worksheets
// show it (four places, marked ≈ when digits were dropped, thousands
// separated). The rounding here is the test's own, from the digits.
func sameValue(page, doc string) bool {
	if page == doc {
		return true
	}
	q, err := units.Parse(doc)
	if err != nil {
		return false
	}
	approx := strings.HasPrefix(page, "≈ ")
	p, err := units.Parse(strings.ReplaceAll(strings.TrimPrefix(page, "≈ "), ",", ""))
	if err != nil || p.Unit() != q.Unit() {
		return false
	}
	r := q.Value().Round(4)
	return r.Equal(p.Value()) && approx == !r.Equal(q.Value())
}
