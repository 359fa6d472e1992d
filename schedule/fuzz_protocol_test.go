package schedule_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
)

// FuzzLoadProtocol feeds the loader YAML and JSON documents, seeded from the
// example protocols (in both forms) and the documents of the strict-loading
// tests. Whatever the input: no panic; an error comes without a protocol and
// names its fields; a protocol that loads validates again, has the SHA-256
// of the input, lints without errors, encodes as JSON that loads back to the
// same protocol, and plans without a panic.
//
// go test -run=^$ -fuzz=FuzzLoadProtocol -fuzztime=90s ./schedule
func FuzzLoadProtocol(f *testing.F) {
	for _, name := range protocols.Names() {
		doc, err := protocols.Read(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(doc)
		p, err := schedule.LoadProtocol(doc)
		if err != nil {
			f.Fatal(err)
		}
		j, err := json.Marshal(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(j)
	}
	f.Add([]byte(baseYAML))
	f.Add([]byte(baseJSON))
	f.Add([]byte(nasalYAML))
	f.Add([]byte(unitsYAML))  // a protocol in units of activity
	f.Add([]byte(perDayYAML)) // a dose per day divided into doses
	for _, c := range strictCases(f) {
		f.Add([]byte(c.doc))
	}
	for _, c := range syntaxCases(f) {
		f.Add([]byte(c.doc))
	}
	for _, c := range tagCases(f) {
		f.Add([]byte(c.doc))
	}
	for _, c := range zeroCases(f) {
		f.Add([]byte(c.doc))
	}
	for _, s := range []string{"", "---\n", "~", "[", "{}", "- 1", "a: &a [*a]", "<<: {}", "? [a]\n: 1", baseYAML + "---\n" + baseYAML, billionLaughs()} {
		f.Add([]byte(s))
	}
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{Zone: "Europe/Berlin", Open: allWeek, Starts: at0900})
	if err != nil {
		f.Fatal(err)
	}
	start := schedule.Date{Year: 2025, Month: 3, Day: 3}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := schedule.LoadProtocol(data)
		if err != nil {
			if p != nil {
				t.Fatal("a protocol with an error")
			}
			if len(fieldErrors(err)) == 0 {
				t.Fatalf("error without a field: %v", err)
			}
			for _, fe := range fieldErrors(err) {
				if fe.Field == "" || fe.Msg == "" {
					t.Fatalf("field error without a field or a message: %#v", fe)
				}
				checkPosition(t, data, fe)
			}
			return
		}
		sum := sha256.Sum256(data)
		if p.SHA256() != hex.EncodeToString(sum[:]) || !hex64.MatchString(p.SHA256()) {
			t.Fatalf("SHA256() = %q", p.SHA256())
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("a loaded protocol does not validate: %v", err)
		}
		for _, fd := range p.Lint() {
			if fd.Severity == schedule.SevError {
				t.Fatalf("a loaded protocol has a lint error: %v", fd)
			}
		}
		j, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		back, err := schedule.LoadProtocol(j)
		if err != nil {
			t.Fatalf("the JSON form does not load: %v\n%s", err, j)
		}
		if diff := cmp.Diff(p, back, ignoreProtocolState); diff != "" {
			t.Fatalf("JSON round trip (-loaded +json):\n%s", diff)
		}
		// Planning a loaded protocol: a result or an error, never a panic.
		pl, err := schedule.Plan(p, adult80(), start, cal, schedule.PlanOptions{})
		if err == nil && pl == nil {
			t.Fatal("Plan returned neither a plan nor an error")
		}
		var se *schedule.SessionError
		if err != nil && errors.As(err, &se) && se.Index < 1 {
			t.Fatalf("session error at position %d", se.Index)
		}
		_, _ = p.Calculate(adult80(), dosing.Options{})
	})
}

var positionText = regexp.MustCompile(`^line ([0-9]+), column ([0-9]+) \(byte ([0-9]+)\)`)

// checkPosition checks that a position an error gives is in the document:
// its byte within it, on the line and column that byte is at.
func checkPosition(t *testing.T, data []byte, fe *schedule.FieldError) {
	t.Helper()
	m := positionText.FindStringSubmatch(fe.Msg)
	if m == nil {
		return
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	off, _ := strconv.Atoi(m[3])
	if off > len(data) {
		t.Fatalf("%v: byte %d of a %d-byte document", fe, off, len(data))
	}
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	if wantLine := bytes.Count(data[:off], []byte("\n")) + 1; line != wantLine || col != utf8.RuneCount(data[start:off])+1 {
		t.Fatalf("%v: byte %d is on line %d, column %d", fe, off, wantLine, utf8.RuneCount(data[start:off])+1)
	}
}
