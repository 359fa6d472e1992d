package dosing_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// The case files in testdata/*.cases hold dose calculations written the way a
// pharmacist checks them: the patient, the rule by its protocol field names,
// and the expected results by their JSON names, each derived by hand in a
// comment. The grammar is described at the top of worked_cases.cases.

// TestCaseFiles runs every case of every testdata/*.cases file.
func TestCaseFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.cases"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.cases files")
	}
	for _, path := range files {
		cases, err := parseCaseFile(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		t.Run(strings.TrimSuffix(filepath.Base(path), ".cases"), func(t *testing.T) {
			for _, tc := range cases {
				t.Run(tc.id, func(t *testing.T) {
					tc.run(t)
				})
			}
		})
	}
}

// TestCaseFileParser checks that malformed case files are refused rather
// than silently skipped.
func TestCaseFileParser(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"setting outside a case", "rule dose = 1 mg\n", "outside a case"},
		{"case without id", "case\n", "case needs an id"},
		{"duplicate id", "case a x\nexpect dose = 1 mg\ncase a y\nexpect dose = 1 mg\n", "duplicate case id"},
		{"unknown section", "case a x\nrecipe dose = 1 mg\n", "unknown section"},
		{"missing operator", "case a x\nrule dose 1 mg\n", "want"},
		{"case without expectations", "case a x\nrule dose = 1 mg\n", "no expectations"},
		{"approximation on a setting", "case a x\nrule dose ≈ 1 mg\n", "for expectations only"},
		{"containment on a setting", "case a x\nrule name ∋ IV\n", "for expectations only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCases("test.cases", strings.NewReader(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("parseCases(%q) error = %v, want one containing %q", tt.text, err, tt.wantErr)
			}
		})
	}
}

type caseLine struct {
	line    int
	section string // patient, rule, options, expect
	path    string
	op      string // "=" or "≈"
	value   string
}

type testCase struct {
	file, id, title string
	line            int
	settings        []caseLine // defaults first, then the case's own
	expects         []caseLine
}

func parseCaseFile(path string) ([]testCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseCases(path, f)
}

func parseCases(path string, r interface{ Read([]byte) (int, error) }) ([]testCase, error) {
	var (
		cases    []testCase
		defaults []caseLine
		inDefs   bool
		cur      *testCase
		seen     = map[string]bool{}
	)
	finish := func() error {
		if cur == nil {
			return nil
		}
		if len(cur.expects) == 0 {
			return fmt.Errorf("%s:%d: case %s has no expectations", path, cur.line, cur.id)
		}
		cases = append(cases, *cur)
		cur = nil
		return nil
	}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, rest, _ := strings.Cut(line, " ")
		switch word {
		case "defaults":
			if err := finish(); err != nil {
				return nil, err
			}
			defaults, inDefs = nil, true
			continue
		case "case":
			if err := finish(); err != nil {
				return nil, err
			}
			id, title, _ := strings.Cut(strings.TrimSpace(rest), " ")
			if id == "" {
				return nil, fmt.Errorf("%s:%d: case needs an id", path, n)
			}
			if seen[id] {
				return nil, fmt.Errorf("%s:%d: duplicate case id %q", path, n, id)
			}
			seen[id] = true
			inDefs = false
			cur = &testCase{file: path, id: id, title: title, line: n, settings: append([]caseLine(nil), defaults...)}
			continue
		case "patient", "rule", "options", "expect":
		default:
			return nil, fmt.Errorf("%s:%d: unknown section %q (want case, defaults, patient, rule, options or expect)", path, n, word)
		}
		cl := caseLine{line: n, section: word}
		at := -1 // the first operator: a value may hold another ("∋ is ≈ 0.5 mg/kg")
		for _, op := range []string{" = ", " ≈ ", " ∋ "} {
			if i := strings.Index(rest, op); i >= 0 && (at < 0 || i < at) {
				at = i
				cl.path, cl.op, cl.value = strings.TrimSpace(rest[:i]), strings.TrimSpace(op), strings.TrimSpace(rest[i+len(op):])
			}
		}
		switch {
		case cl.op == "":
			return nil, fmt.Errorf("%s:%d: want %q or %q in %q", path, n, " = ", " ≈ ", line)
		case cl.op != "=" && word != "expect":
			return nil, fmt.Errorf("%s:%d: %s is for expectations only", path, n, cl.op)
		}
		switch {
		case inDefs && word == "expect":
			return nil, fmt.Errorf("%s:%d: expectations belong to a case", path, n)
		case inDefs:
			defaults = append(defaults, cl)
		case cur == nil:
			return nil, fmt.Errorf("%s:%d: %s line outside a case", path, n, word)
		case word == "expect":
			cur.expects = append(cur.expects, cl)
		default:
			cur.settings = append(cur.settings, cl)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := finish(); err != nil {
		return nil, err
	}
	return cases, nil
}

// build turns the settings into a rule, a patient and options. Rule and
// patient fields are set by their JSON (protocol) names and decoded strictly,
// so a misspelt field fails the case instead of being ignored.
func (tc testCase) build() (dosing.Rule, dosing.Patient, dosing.Options, error) {
	rule, patient := map[string]any{}, map[string]any{}
	var opt dosing.Options
	for _, s := range tc.settings {
		switch s.section {
		case "rule":
			if err := setPath(rule, s.path, s.value); err != nil {
				return dosing.Rule{}, dosing.Patient{}, opt, fmt.Errorf("line %d: %v", s.line, err)
			}
		case "patient":
			if err := setPath(patient, s.path, s.value); err != nil {
				return dosing.Rule{}, dosing.Patient{}, opt, fmt.Errorf("line %d: %v", s.line, err)
			}
		case "options":
			switch {
			case s.path == "dose":
				q, err := units.Parse(s.value)
				if err != nil {
					return dosing.Rule{}, dosing.Patient{}, opt, fmt.Errorf("line %d: %v", s.line, err)
				}
				opt.Dose = q
			case strings.HasPrefix(s.path, "ack."):
				opt.Acks = append(opt.Acks, dosing.Ack{Key: strings.TrimPrefix(s.path, "ack."), Reason: s.value})
			default:
				return dosing.Rule{}, dosing.Patient{}, opt, fmt.Errorf("line %d: unknown option %q", s.line, s.path)
			}
		}
	}
	var r dosing.Rule
	var p dosing.Patient
	if err := strictDecode(rule, &r); err != nil {
		return r, p, opt, fmt.Errorf("rule: %v", err)
	}
	if err := strictDecode(patient, &p); err != nil {
		return r, p, opt, fmt.Errorf("patient: %v", err)
	}
	return r, p, opt, nil
}

func strictDecode(m map[string]any, v any) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// setPath sets a dotted path ("preparation.bag.volume", "bands[1].min") in
// nested maps. "true" and "false" become booleans, and the value of a
// count (countFields) a number; everything else stays text, as a protocol
// file writes it.
func setPath(m map[string]any, path, value string) error {
	segs := strings.Split(path, ".")
	var v any = value
	if value == "true" || value == "false" {
		v = value == "true"
	}
	if countFields[segs[len(segs)-1]] {
		v = json.Number(value)
	}
	cur := m
	for i, seg := range segs {
		last := i == len(segs)-1
		name, idx, isIndex := strings.Cut(seg, "[")
		if !isIndex {
			if last {
				cur[name] = v
				return nil
			}
			next, ok := cur[name].(map[string]any)
			if !ok {
				next = map[string]any{}
				cur[name] = next
			}
			cur = next
			continue
		}
		k, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
		if err != nil || k < 0 {
			return fmt.Errorf("bad index in %q", seg)
		}
		list, _ := cur[name].([]any)
		for len(list) <= k {
			list = append(list, map[string]any{})
		}
		cur[name] = list
		if last {
			list[k] = v
			return nil
		}
		next, ok := list[k].(map[string]any)
		if !ok {
			return fmt.Errorf("%q is not an object", seg)
		}
		cur = next
	}
	return nil
}

// countFields are the rule fields that are plain counts, not quantities.
var countFields = map[string]bool{"doses_per_day": true}

func (tc testCase) run(t *testing.T) {
	t.Helper()
	where := fmt.Sprintf("%s:%d: %s %s", tc.file, tc.line, tc.id, tc.title)
	rule, patient, opt, err := tc.build()
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	res, calcErr := dosing.Calculate(rule, patient, opt)
	var doc map[string]any
	if calcErr == nil {
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatalf("%s: marshal result: %v", where, err)
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", where, err)
		}
	}
	wantErr := false
	for _, e := range tc.expects {
		at := fmt.Sprintf("%s:%d: %s", tc.file, e.line, tc.id)
		if e.path == "error" {
			wantErr = true
			if msg := checkError(calcErr, e.value); msg != "" {
				t.Errorf("%s: %s", at, msg)
			}
			continue
		}
		if calcErr != nil {
			t.Errorf("%s: Calculate: %v", at, calcErr)
			return
		}
		if msg := checkExpect(doc, e); msg != "" {
			t.Errorf("%s: expect %s %s %s: %s", at, e.path, e.op, e.value, msg)
		}
	}
	if !wantErr && calcErr != nil {
		t.Errorf("%s: unexpected error: %v", where, calcErr)
	}
}

// checkError checks "limit <field> <kind>", "population <field> <kind>" or
// "input <field>".
func checkError(err error, want string) string {
	f := strings.Fields(want)
	if err == nil {
		return "no error, want " + want
	}
	switch {
	case len(f) == 3 && f[0] == "limit":
		var le *dosing.LimitError
		if !errors.As(err, &le) {
			return fmt.Sprintf("error %v is not a *LimitError", err)
		}
		if le.Field != f[1] || string(le.Kind) != f[2] {
			return fmt.Sprintf("LimitError{%s %s}, want {%s %s}: %v", le.Field, le.Kind, f[1], f[2], err)
		}
	case len(f) == 3 && f[0] == "population":
		var pe *dosing.PopulationError
		if !errors.As(err, &pe) {
			return fmt.Sprintf("error %v is not a *PopulationError", err)
		}
		if pe.Field != f[1] || string(pe.Kind) != f[2] {
			return fmt.Sprintf("PopulationError{%s %s}, want {%s %s}: %v", pe.Field, pe.Kind, f[1], f[2], err)
		}
	case len(f) == 2 && f[0] == "input":
		for _, ie := range inputErrors(err) {
			if ie.Field == f[1] {
				return ""
			}
		}
		return fmt.Sprintf("no *FieldError for %s in %v", f[1], err)
	default:
		return fmt.Sprintf("bad error expectation %q (want \"limit <field> <kind>\", \"population <field> <kind>\" or \"input <field>\")", want)
	}
	return ""
}

// checkExpect compares one expectation with the result's JSON document.
func checkExpect(doc map[string]any, e caseLine) string {
	if e.path == "warnings" {
		var keys []string
		ws, _ := doc["warnings"].([]any)
		for _, w := range ws {
			keys = append(keys, w.(map[string]any)["key"].(string))
		}
		got := strings.Join(keys, ", ")
		if got == "" {
			got = "none"
		}
		if got != e.value {
			return "got " + got
		}
		return ""
	}
	node, ok := lookup(doc, e.path)
	if e.value == "absent" {
		if ok {
			return fmt.Sprintf("got %v, want it absent", node)
		}
		return ""
	}
	if !ok {
		return "absent from the result"
	}
	switch n := node.(type) {
	case []any:
		var parts []string
		for _, x := range n {
			parts = append(parts, fmt.Sprint(x))
		}
		if len(parts) > 0 && len(strings.Split(e.value, ", ")) == len(parts) {
			for i, w := range strings.Split(e.value, ", ") {
				if msg := compareText(parts[i], w, e.op); msg != "" {
					return fmt.Sprintf("item %d: %s", i, msg)
				}
			}
			return ""
		}
		got := strings.Join(parts, ", ")
		if got == "" {
			got = "none"
		}
		if e.op != "=" || got != e.value {
			return "got " + got
		}
		return ""
	case string:
		return compareText(n, e.value, e.op)
	default:
		if got := fmt.Sprint(n); e.op != "=" || got != e.value {
			return "got " + got
		}
	}
	return ""
}

// compareText compares a result value with an expected one: "∋" as text
// the value contains; as quantities when the expectation is one ("=": same
// unit, numerically equal; "≈": equal after rounding half up to the
// expectation's decimal places), else as text.
func compareText(got, want, op string) string {
	if op == "∋" {
		if !strings.Contains(got, want) {
			return fmt.Sprintf("got %q", got)
		}
		return ""
	}
	var wq units.Quantity
	if err := wq.UnmarshalText([]byte(want)); err != nil {
		if op != "=" || got != want {
			return fmt.Sprintf("got %q", got)
		}
		return ""
	}
	var gq units.Quantity
	if err := gq.UnmarshalText([]byte(got)); err != nil {
		return fmt.Sprintf("got %q, not a quantity: %v", got, err)
	}
	if gq.Unit() != wq.Unit() {
		return fmt.Sprintf("got %s, in %s rather than %s", gq, gq.Unit(), wq.Unit())
	}
	if op == "≈" {
		places := -wq.Value().Exponent()
		if places < 0 {
			places = 0
		}
		gq = units.New(gq.Value().Round(places), gq.Unit())
	}
	if !gq.Equal(wq) {
		return "got " + got
	}
	return ""
}

// lookup walks a dotted path through the JSON document; "step.<id>" selects
// the trail step with that id, and a number an element of a list.
func lookup(doc map[string]any, path string) (any, bool) {
	segs := strings.Split(path, ".")
	var cur any = doc
	for i := 0; i < len(segs); i++ {
		if segs[i] == "step" && i+1 < len(segs) {
			steps, _ := cur.(map[string]any)["steps"].([]any)
			var found any
			for _, s := range steps {
				if s.(map[string]any)["id"] == segs[i+1] {
					found = s
				}
			}
			if found == nil {
				return nil, false
			}
			cur = found
			i++
			continue
		}
		if list, ok := cur.([]any); ok {
			k, err := strconv.Atoi(segs[i])
			if err != nil || k < 0 || k >= len(list) {
				return nil, false
			}
			cur = list[k]
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[segs[i]]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// inputErrors returns every *FieldError in err's tree (errors.Join included).
func inputErrors(err error) []*dosing.FieldError {
	var out []*dosing.FieldError
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if ie, ok := e.(*dosing.FieldError); ok {
			out = append(out, ie)
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
