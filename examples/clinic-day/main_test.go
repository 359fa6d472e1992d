package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/internal/golden"
	"github.com/doseplan/doseplan/schedule"
)

func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "clinic-day", out.Bytes())
	// Independent of the golden file: session 2, missed on Wednesday, is
	// owed on the next day of its Mon/Wed/Fri rhythm from Thursday, Friday;
	// session 3 follows on Monday. 45 mg against the plan's 0.5 mg/kg ×
	// 80 kg = 40 mg is +5 mg, 5 ÷ 40 = +12.5 %. A systolic of 146 mmHg is
	// above the example's warn gate of 140 mmHg and below its hold gate of
	// 180. The order at 15.6 mL/h is the pump rate 104 mL ÷ 40 min =
	// 156 mL/h, ÷ 10.
	for _, want := range []string{
		"  2  induction 2/6  Fri 2025-03-07  09:00  40 mg",
		"  3  induction 3/6  Mon 2025-03-10  09:00  40 mg",
		"FLAGGED: the dose given 45 mg differs from the plan's 40 mg (+5 mg, +12.5 %)",
		"vitals 146/88 mmHg, 80 /min, SpO2 97 %: warn",
		"ORD-302  NOT CONFIRMED  pump_rate_decimal_slip (pump_rate); tenfold (pump_rate)",
		"For clinician verification — not a prescription",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q", want)
		}
	}
}

// mrn-1234.yaml is the record the day writes, byte for byte: the example
// of the record format the README points to. It loads, it is of the
// embedded example protocol, and it replans.
func TestRecordFile(t *testing.T) {
	var out bytes.Buffer
	if err := run(&out, nil); err != nil {
		t.Fatal(err)
	}
	_, written, ok := strings.Cut(out.String(), "THE RECORD, AS WRITTEN\n")
	written, _, _ = strings.Cut(written, "\n\nFor clinician verification")
	file, err := os.ReadFile("mrn-1234.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !ok || written+"\n" != string(file) {
		t.Fatalf("mrn-1234.yaml is not the record the day writes; write it again:\n%s", written)
	}
	rec, err := schedule.LoadRecord(file)
	if err != nil {
		t.Fatal(err)
	}
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Check(p); err != nil {
		t.Errorf("the record is not of the example protocol: %v", err)
	}
	if got := len(rec.Effective()); got != 3 {
		t.Errorf("%d entries in force, want 3 (entry 4 takes the place of entry 3)", got)
	}
}

// The README shows the record file; it must be this one.
func TestReadmeShowsTheRecord(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile("mrn-1234.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```yaml\n"+string(file)+"```") {
		t.Error("README.md does not show examples/clinic-day/mrn-1234.yaml as it is; paste it again")
	}
}
