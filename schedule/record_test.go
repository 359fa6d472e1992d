package schedule_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// testSHA is a SHA-256 for the record tests that need none in particular.
const testSHA = "81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce"

// recordYAML is a small, valid record the strictness tests edit: a session
// done, the next one missed, then delayed.
const recordYAML = `doseplan_record: 1
patient: MRN-1
protocol: {name: Test protocol, version: "1", sha256: ` + testSHA + `}
entries:
  - {id: 1, session: 1, outcome: done, at: "2025-03-03T09:05:00-05:00", given: {dose: 40 mg, pump_rate: 156 mL/h, duration: 40 min}, vitals: {systolic: 128 mmHg, diastolic: 82 mmHg, heart_rate: 76 /min, spo2: 98 %}, recorded_by: RN Lee}
  - {id: 2, session: 2, outcome: missed, date: 2025-03-05, reason: flu, recorded_by: RN Lee}
  - {id: 3, session: 2, outcome: delayed, to: 2025-03-10, recorded_by: RN Lee}
`

// badRecords are the strict-loading cases; the fuzz target is seeded from
// them.
func badRecords(t testing.TB) []badDoc {
	r := func(oldNew ...string) string { return edit(t, recordYAML, oldNew...) }
	stop := func(entry string) string { return recordYAML + "  - {id: 4, " + entry + ", recorded_by: RN Lee}\n" }
	return []badDoc{
		// Unknown fields, at every level, and duplicates.
		{"unknown top-level field", recordYAML + "colour: blue\n", []string{"colour"}, schedule.ErrSyntax},
		{"unknown field in an entry", r("session: 1,", "session: 1, dosage: 40 mg,"), []string{"entries[0].dosage"}, schedule.ErrSyntax},
		{"unknown field in given", r("{dose: 40 mg,", "{dose: 40 mg, rate: 60 mg/h,"), []string{"entries[0].given.rate"}, schedule.ErrSyntax},
		{"unknown field in vitals", r("spo2: 98 %}", "spo2: 98 %, temperature: 37 Cel}"), []string{"entries[0].vitals.temperature"}, schedule.ErrSyntax},
		{"unknown field in protocol", r("{name: Test protocol,", "{title: Test protocol,"), []string{"protocol.title"}, schedule.ErrSyntax},
		{"duplicate key in an entry", r("{id: 2, session: 2,", "{id: 2, session: 2, session: 3,"), []string{"entries[1].session"}, schedule.ErrConflict},

		// The header.
		{"no format version", r("doseplan_record: 1\n", ""), []string{"doseplan_record"}, schedule.ErrMissing},
		{"another format version", r("doseplan_record: 1", "doseplan_record: 2"), []string{"doseplan_record"}, schedule.ErrRange},
		{"no patient", r("patient: MRN-1\n", ""), []string{"patient"}, schedule.ErrMissing},
		{"no protocol hash", r(", sha256: "+testSHA, ""), []string{"protocol.sha256"}, schedule.ErrMissing},
		{"an upper-case protocol hash", r(testSHA, strings.ToUpper(testSHA)), []string{"protocol.sha256"}, schedule.ErrSyntax},
		{"a short protocol hash", r(testSHA, testSHA[:63]), []string{"protocol.sha256"}, schedule.ErrSyntax},

		// Entries: numbering, outcomes and the fields each takes.
		{"entries out of order", r("{id: 2, session: 2, outcome: missed", "{id: 3, session: 2, outcome: missed", "{id: 3, session: 2, outcome: delayed", "{id: 2, session: 2, outcome: delayed"), []string{"entries[1].id", "entries[2].id"}, schedule.ErrConflict},
		{"an unknown outcome", r("outcome: missed", "outcome: skipped"), []string{"entries[1].outcome"}, schedule.ErrRange},
		{"no outcome", r("outcome: missed, ", ""), []string{"entries[1].outcome"}, schedule.ErrMissing},
		{"done without a time or a dose", r(`at: "2025-03-03T09:05:00-05:00", given: {dose: 40 mg, pump_rate: 156 mL/h, duration: 40 min}, `, ""),
			[]string{"entries[0].at", "entries[0].given"}, schedule.ErrMissing},
		{"done with a date", r(`outcome: done,`, `outcome: done, date: 2025-03-03,`), []string{"entries[0].date"}, schedule.ErrConflict},
		{"done without its session", r("{id: 1, session: 1,", "{id: 1,"), []string{"entries[0].session"}, schedule.ErrMissing},
		{"a session number below 1", r("{id: 1, session: 1,", "{id: 1, session: -1,"), []string{"entries[0].session"}, schedule.ErrRange},
		{"missed with a dose given", r("outcome: missed,", "outcome: missed, given: {dose: 40 mg},"), []string{"entries[1].given"}, schedule.ErrConflict},
		{"delayed without its day", r(", to: 2025-03-10", ""), []string{"entries[2].to"}, schedule.ErrMissing},
		{"delayed with a time", r("outcome: delayed,", `outcome: delayed, at: "2025-03-10T09:00:00-04:00",`), []string{"entries[2].at"}, schedule.ErrConflict},
		{"a stop of one session, without a reason", stop(`session: 3, outcome: stopped, date: 2025-03-12`), []string{"entries[3].reason", "entries[3].session"}, nil},
		{"a stop without its day", stop("outcome: stopped, reason: patient's choice"), []string{"entries[3].at"}, schedule.ErrMissing},
		{"a stop on two days", stop(`outcome: stopped, at: "2025-03-12T10:00:00-04:00", date: 2025-03-13, reason: patient's choice`), []string{"entries[3].date"}, schedule.ErrConflict},
		{"no one recorded it", r("reason: flu, recorded_by: RN Lee", "reason: flu"), []string{"entries[1].recorded_by"}, schedule.ErrMissing},
		{"a day that does not exist", r("date: 2025-03-05", "date: 2025-02-30"), []string{"entries[1].date"}, schedule.ErrRange},
		{"a time without its offset", r(`"2025-03-03T09:05:00-05:00"`, `"2025-03-03T09:05:00"`), []string{"entries[0].at"}, schedule.ErrSyntax},
		{"an instant of the year 0", r(`"2025-03-03T09:05:00-05:00"`, `"0000-03-03T09:05:00-05:00"`), []string{"entries[0].at"}, schedule.ErrRange},
		{"a time on the wrong clock", r(`"2025-03-03T09:05:00-05:00"`, `"2025-03-03 9:05"`), []string{"entries[0].at"}, schedule.ErrSyntax},
		{"recorded before it happened", r(`recorded_by: RN Lee}
  - {id: 2`, `recorded_by: RN Lee, recorded_at: "2025-03-03T09:00:00-05:00"}
  - {id: 2`), []string{"entries[0].recorded_at"}, schedule.ErrConflict},
		{"recorded out of order", r(`reason: flu, recorded_by: RN Lee`, `reason: flu, recorded_by: RN Lee, recorded_at: "2025-03-05T12:00:00-05:00"`,
			`to: 2025-03-10, recorded_by: RN Lee`, `to: 2025-03-10, recorded_by: RN Lee, recorded_at: "2025-03-05T11:00:00-05:00"`),
			[]string{"entries[2].recorded_at"}, schedule.ErrConflict},

		// Units, dimensions and readings.
		{"a dose in mL", r("{dose: 40 mg,", "{dose: 4 mL,"), []string{"entries[0].given.dose"}, schedule.ErrConflict},
		{"a dose without its unit", r("{dose: 40 mg,", "{dose: 40,"), []string{"entries[0].given.dose"}, units.ErrSyntax},
		{"a dose in cc", r("{dose: 40 mg,", "{dose: 4 cc,"), []string{"entries[0].given.dose"}, units.ErrUnknownUnit},
		{"a negative dose", r("{dose: 40 mg,", "{dose: -40 mg,"), []string{"entries[0].given.dose"}, nil},
		{"a pump rate as a dose rate", r("pump_rate: 156 mL/h", "pump_rate: 60 mg/h"), []string{"entries[0].given.pump_rate"}, schedule.ErrConflict},
		{"a duration of 0 min", r("duration: 40 min", "duration: 0 min"), []string{"entries[0].given.duration"}, schedule.ErrRange},
		{"a count in mg", r("duration: 40 min}", "duration: 40 min, count: 2 mg}"), []string{"entries[0].given.count"}, schedule.ErrConflict},
		{"a level below 1", r("duration: 40 min}", "duration: 40 min, level: -1}"), []string{"entries[0].given.level"}, schedule.ErrRange},
		{"a weight in mg", r("outcome: done,", "outcome: done, weight: 80 mg,"), []string{"entries[0].weight"}, schedule.ErrConflict},
		{"a blood pressure of 400/20", r("systolic: 128 mmHg, diastolic: 82 mmHg", "systolic: 400 mmHg, diastolic: 20 mmHg"),
			[]string{"entries[0].vitals.diastolic", "entries[0].vitals.systolic"}, schedule.ErrRange},
		{"an SpO2 of 140 %", r("spo2: 98 %", "spo2: 140 %"), []string{"entries[0].vitals.spo2"}, schedule.ErrRange},
		{"a diastolic above the systolic", r("systolic: 128 mmHg, diastolic: 82 mmHg", "systolic: 82 mmHg, diastolic: 128 mmHg"),
			[]string{"entries[0].vitals.diastolic"}, schedule.ErrConflict},
		{"a heart rate in mmHg", r("heart_rate: 76 /min", "heart_rate: 76 mmHg"), []string{"entries[0].vitals.heart_rate"}, units.ErrDimension},

		// Corrections.
		{"a correction of a later entry", r("{id: 2, session: 2,", "{id: 2, corrects: 3, session: 2,"), []string{"entries[1].corrects"}, schedule.ErrConflict},
		{"a correction without a reason", recordYAML + "  - {id: 4, corrects: 3, session: 2, outcome: delayed, to: 2025-03-11, recorded_by: RN Lee}\n",
			[]string{"entries[3].reason"}, schedule.ErrMissing},
		{"an entry corrected twice", recordYAML +
			"  - {id: 4, corrects: 3, session: 2, outcome: delayed, to: 2025-03-11, reason: typo, recorded_by: RN Lee}\n" +
			"  - {id: 5, corrects: 3, session: 2, outcome: delayed, to: 2025-03-12, reason: typo, recorded_by: RN Lee}\n",
			[]string{"entries[4].corrects"}, schedule.ErrConflict},
		{"a withdrawal of nothing", stop("outcome: entered_in_error, reason: wrong patient"), []string{"entries[3].corrects"}, schedule.ErrMissing},
		{"a withdrawal with a session", stop("corrects: 3, session: 2, outcome: entered_in_error, reason: wrong patient"), []string{"entries[3].session"}, schedule.ErrConflict},

		// Every problem at once.
		{"many problems at once", r("patient: MRN-1\n", "", "{dose: 40 mg,", "{dose: 4 mL,", "outcome: missed", "outcome: skipped", ", to: 2025-03-10", "") + "colour: blue\n",
			[]string{"colour", "entries[0].given.dose", "entries[1].outcome", "entries[2].to", "patient"}, nil},
	}
}

func TestLoadRecordStrict(t *testing.T) {
	if _, err := schedule.LoadRecord([]byte(recordYAML)); err != nil {
		t.Fatalf("the base record does not load: %v", err)
	}
	for _, c := range badRecords(t) {
		t.Run(c.name, func(t *testing.T) {
			r, err := schedule.LoadRecord([]byte(c.doc))
			if err == nil || r != nil {
				t.Fatalf("LoadRecord = %+v, %v; want no record and an error at %v", r, err, c.paths)
			}
			if diff := cmp.Diff(c.paths, errPaths(err)); diff != "" {
				t.Errorf("field paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("errors.Is(err, %v) = false; err: %v", c.is, err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "schedule: ") {
					t.Errorf("message %q does not start with the package", line)
				}
			}
		})
	}
}

// A protocol is not a record, nor a record a protocol: each loader refuses
// the other's document by its format key.
func TestRecordAndProtocolAreNotConfused(t *testing.T) {
	_, err := schedule.LoadRecord([]byte(baseYAML))
	if !hasField(err, "doseplan_record", schedule.ErrMissing) || !hasField(err, "doseplan", schedule.ErrSyntax) {
		t.Errorf("LoadRecord(protocol) = %v; want doseplan_record missing and doseplan unknown", err)
	}
	_, err = schedule.LoadProtocol([]byte(recordYAML))
	if !hasField(err, "doseplan_record", schedule.ErrSyntax) || !hasField(err, "doseplan", schedule.ErrMissing) {
		t.Errorf("LoadProtocol(record) = %v; want doseplan_record unknown and doseplan missing", err)
	}
}

func TestLoadRecordMessages(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"an instant without its offset", edit(t, recordYAML, `"2025-03-03T09:05:00-05:00"`, `"2025-03-03T09:05:00"`),
			`schedule: entries[0].at "2025-03-03T09:05:00": is not an RFC 3339 instant (write e.g. 2025-03-03T09:05:00-05:00, with the zone's offset)`},
		{"a stop of one session", recordYAML + "  - {id: 4, session: 3, outcome: stopped, date: 2025-03-12, reason: hypertension, recorded_by: RN Lee}\n",
			`schedule: entries[3].session "3": a stop ends the series, not one session (an infusion stopped early is a done session with the dose actually given)`},
		{"an impossible reading", edit(t, recordYAML, "spo2: 98 %", "spo2: 140 %"),
			`schedule: entries[0].vitals.spo2 "140 %": is not a possible reading of SpO2 (more than 0 %, at most 100 %): take it again`},
		{"a field the outcome does not take", edit(t, recordYAML, "outcome: missed,", "outcome: missed, to: 2025-03-06,"),
			`schedule: entries[1].to "2025-03-06": is not used by missed (it takes session, date, vitals)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := schedule.LoadRecord([]byte(tt.doc))
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n%v\nwant:\n%s", err, tt.want)
			}
		})
	}
}

// recordCases are records built in Go for the round-trip tests and the fuzz
// seeds: every outcome, corrections, and text that YAML would read as
// something else unless it is quoted.
func recordCases(t testing.TB) []*schedule.Record {
	ny := func(d, h, m int) time.Time { return inZone(t, "America/New_York", 2025, time.March, d, h, m) }
	return []*schedule.Record{
		{Format: 1, Patient: "MRN-1", Protocol: schedule.RecordOrigin{SHA256: testSHA}},
		{Format: 1, Patient: "MRN-1234", Protocol: schedule.RecordOrigin{Name: "IV ketamine: test", Version: "2026-11", SHA256: testSHA},
			Entries: []schedule.RecordEntry{
				{ID: 1, Session: 1, Outcome: schedule.Done, At: ny(3, 9, 5),
					Given:  &schedule.Given{Dose: qty("40 mg"), Level: 1, PumpRate: qty("156 mL/h"), Duration: qty("40 min")},
					Vitals: &schedule.Vitals{Systolic: qty("128 mmHg"), Diastolic: qty("82 mmHg"), HeartRate: qty("76 /min"), SpO2: qty("98 %")},
					Weight: qty("176 lb"), Notes: "tolerated well\n\nno nausea: none at all\n", RecordedBy: "RN Lee", RecordedAt: ny(3, 10, 20)},
				{ID: 2, Session: 2, Outcome: schedule.Missed, Date: schedule.Date{Year: 2025, Month: 3, Day: 5}, Reason: "flu",
					Vitals: &schedule.Vitals{Systolic: qty("185 mmHg"), Diastolic: qty("101 mmHg")}, RecordedBy: "true"},
				{ID: 3, Session: 2, Outcome: schedule.Delayed, To: schedule.Date{Year: 2025, Month: 3, Day: 10}, Reason: "- yes: no #1", RecordedBy: "1"},
				{ID: 4, Corrects: 1, Session: 1, Outcome: schedule.Done, At: ny(3, 9, 5).UTC(), Given: &schedule.Given{Dose: qty("38 mg")},
					Reason: "dose typed as 40 mg", RecordedBy: "  Dr. Ng ", RecordedAt: ny(10, 8, 0)},
				{ID: 5, Corrects: 2, Outcome: schedule.EnteredInError, Reason: "wrong patient's chart", RecordedBy: "Dr. Ng"},
				{ID: 6, Outcome: schedule.Stopped, At: ny(12, 9, 30), Reason: "patient's choice — « unicode »", RecordedBy: "RN Lee"},
			}},
		{Format: 1, Patient: "null", Protocol: schedule.RecordOrigin{Name: "~", Version: "0.10", SHA256: testSHA},
			Entries: []schedule.RecordEntry{
				{ID: 1, Session: 1, Outcome: schedule.Done, At: time.Date(2025, 3, 3, 14, 0, 0, 500_000_000, time.UTC),
					Given: &schedule.Given{Dose: qty("56 mg"), Count: qty("2 devices")}, RecordedBy: "a\tb \"c\" 'd'"},
				{ID: 2, Outcome: schedule.Stopped, Date: schedule.Date{Year: 2025, Month: 4, Day: 1}, Reason: "'", RecordedBy: "@nurse"},
			}},
	}
}

// A record doseplan writes reads back to the same record, and writing that
// again gives the same bytes; the JSON form reads back the same too.
func TestRecordRoundTrip(t *testing.T) {
	for i, rec := range recordCases(t) {
		if err := rec.Validate(); err != nil {
			t.Fatalf("case %d does not validate: %v", i, err)
		}
		doc, err := rec.Encode()
		if err != nil {
			t.Fatal(err)
		}
		back, err := schedule.LoadRecord(doc)
		if err != nil {
			t.Fatalf("case %d: the encoded record does not load: %v\n%s", i, err, doc)
		}
		if diff := cmp.Diff(rec, back); diff != "" {
			t.Errorf("case %d: round trip (-built +loaded):\n%s\n%s", i, diff, doc)
		}
		again, err := back.Encode()
		if err != nil || !bytes.Equal(doc, again) {
			t.Errorf("case %d: Encode(LoadRecord(doc)) differs from doc (%v):\n%s\n---\n%s", i, err, doc, again)
		}
		j, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		fromJSON, err := schedule.LoadRecord(j)
		if err != nil {
			t.Fatalf("case %d: the JSON form does not load: %v\n%s", i, err, j)
		}
		if diff := cmp.Diff(rec, fromJSON); diff != "" {
			t.Errorf("case %d: JSON round trip (-built +loaded):\n%s", i, diff)
		}
	}
}

// The form doseplan writes, field by field, for people to read.
func TestRecordEncodeForm(t *testing.T) {
	ny := func(d, h, m int) time.Time { return inZone(t, "America/New_York", 2025, time.March, d, h, m) }
	rec := &schedule.Record{Format: 1, Patient: "MRN-1", Protocol: schedule.RecordOrigin{Name: "Test protocol", Version: "1", SHA256: testSHA},
		Entries: []schedule.RecordEntry{{ID: 1, Session: 1, Outcome: schedule.Done, At: ny(3, 9, 5),
			Given:  &schedule.Given{Dose: qty("40 mg"), PumpRate: qty("156 mL/h")},
			Vitals: &schedule.Vitals{Systolic: qty("128 mmHg"), Diastolic: qty("82 mmHg")}, RecordedBy: "RN Lee"}}}
	got, err := rec.Encode()
	if err != nil {
		t.Fatal(err)
	}
	want := `# doseplan session record: append-only. Add an entry for each outcome; to correct one,
# add an entry that names it (corrects: ID) and says why (reason).
doseplan_record: 1
patient: MRN-1
protocol:
  name: Test protocol
  version: "1"
  sha256: ` + testSHA + `
entries:
  - id: 1
    session: 1
    outcome: done
    at: "2025-03-03T09:05:00-05:00"
    given: {dose: 40 mg, pump_rate: 156 mL/h}
    vitals: {systolic: 128 mmHg, diastolic: 82 mmHg}
    recorded_by: RN Lee
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
}

func TestAppendEntry(t *testing.T) {
	base, err := (&schedule.Record{Format: 1, Patient: "MRN-1", Protocol: schedule.RecordOrigin{SHA256: testSHA}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	missed := schedule.RecordEntry{Session: 1, Outcome: schedule.Missed, RecordedBy: "RN Lee"}
	// A clinic's own comment at the end stays, byte for byte; so does a
	// last line without its newline.
	for _, doc := range [][]byte{base, append(bytes.Clone(base), "# checked by pharmacy\n"...), bytes.TrimSuffix(base, []byte("\n"))} {
		out, err := schedule.AppendEntry(doc, missed)
		if err != nil {
			t.Fatalf("AppendEntry: %v\n%s", err, doc)
		}
		if !bytes.HasPrefix(out, doc) {
			t.Errorf("the document was rewritten:\n%s\n--- became ---\n%s", doc, out)
		}
		rec, err := schedule.LoadRecord(out)
		if err != nil || len(rec.Entries) != 1 || rec.Entries[0].ID != 1 {
			t.Fatalf("the appended record: %+v, %v", rec, err)
		}
		// The next entry gets the next number.
		out2, err := schedule.AppendEntry(out, schedule.RecordEntry{Session: 1, Outcome: schedule.Delayed, To: day(t, "2025-03-10"), RecordedBy: "RN Lee"})
		if err != nil {
			t.Fatal(err)
		}
		if rec2, _ := schedule.LoadRecord(out2); rec2 == nil || len(rec2.Entries) != 2 || rec2.Entries[1].ID != 2 || !bytes.HasPrefix(out2, out) {
			t.Errorf("the second entry: %+v", rec2)
		}
	}

	t.Run("an entry wrong on its own is refused with its path", func(t *testing.T) {
		bad := schedule.RecordEntry{Session: 1, Outcome: schedule.Done, Given: &schedule.Given{Dose: qty("4 mL")}, RecordedBy: "RN Lee"}
		out, err := schedule.AppendEntry(base, bad)
		if out != nil || !hasField(err, "entries[0].given.dose", schedule.ErrConflict) || !hasField(err, "entries[0].at", schedule.ErrMissing) {
			t.Errorf("AppendEntry = %q, %v", out, err)
		}
	})
	t.Run("an id that is not the next is refused", func(t *testing.T) {
		e := missed
		e.ID = 7
		if _, err := schedule.AppendEntry(base, e); !hasField(err, "entries[0].id", schedule.ErrConflict) {
			t.Errorf("AppendEntry with id 7: %v", err)
		}
	})
	t.Run("a record that is not a record is refused", func(t *testing.T) {
		if _, err := schedule.AppendEntry([]byte(baseYAML), missed); !hasField(err, "doseplan_record", schedule.ErrMissing) {
			t.Errorf("AppendEntry on a protocol: %v", err)
		}
	})
	// A record in JSON, or with its entries before another field, loads but
	// cannot take an entry without being rewritten: it is refused.
	rec, _ := schedule.LoadRecord(base)
	asJSON, _ := json.Marshal(rec)
	entriesFirst := "entries:\n  - {id: 1, session: 1, outcome: missed, recorded_by: RN Lee}\ndoseplan_record: 1\npatient: MRN-1\nprotocol: {sha256: " + testSHA + "}\n"
	for name, doc := range map[string][]byte{"JSON": asJSON, "entries first": []byte(entriesFirst)} {
		if _, err := schedule.LoadRecord(doc); err != nil {
			t.Fatalf("%s: the record does not load: %v", name, err)
		}
		if out, err := schedule.AppendEntry(doc, missed); out != nil || !hasField(err, "document", schedule.ErrSyntax) {
			t.Errorf("%s: AppendEntry = %q, %v; want the document refused", name, out, err)
		}
	}
}

func TestRecordEffective(t *testing.T) {
	doc := recordYAML +
		"  - {id: 4, corrects: 1, session: 1, outcome: done, at: \"2025-03-03T09:05:00-05:00\", given: {dose: 38 mg}, reason: dose typed wrong, recorded_by: Dr. Ng}\n" +
		"  - {id: 5, corrects: 3, outcome: entered_in_error, reason: wrong chart, recorded_by: Dr. Ng}\n" +
		"  - {id: 6, corrects: 4, session: 1, outcome: done, at: \"2025-03-03T09:10:00-05:00\", given: {dose: 38 mg}, reason: time typed wrong, recorded_by: Dr. Ng}\n" +
		"  - {id: 7, session: 2, outcome: done, at: \"2025-03-07T09:00:00-05:00\", given: {dose: 40 mg}, recorded_by: RN Lee}\n"
	rec, err := schedule.LoadRecord([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	// Entry 1 was corrected by 4, which 6 corrects: 6 stands in 1's place.
	// Entry 3 is withdrawn by 5. Entries 2 and 7 stand as written.
	var got []int
	for _, e := range rec.Effective() {
		got = append(got, e.ID)
	}
	if diff := cmp.Diff([]int{6, 2, 7}, got); diff != "" {
		t.Errorf("Effective ids (-want +got):\n%s", diff)
	}
	if len(rec.Entries) != 7 {
		t.Errorf("Effective changed the record: %d entries", len(rec.Entries))
	}
}

func TestRecordCheck(t *testing.T) {
	iv, nasal := loadDoc(t, []byte(baseYAML+"titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}\n")), loadDoc(t, []byte(nasalYAML))
	rec := func(p *schedule.Protocol, g schedule.Given) *schedule.Record {
		r := schedule.NewRecord("MRN-1", p)
		r.Entries = []schedule.RecordEntry{{ID: 1, Session: 1, Outcome: schedule.Done, At: inZone(t, "UTC", 2025, 3, 3, 9, 0), Given: &g, RecordedBy: "RN"}}
		return r
	}
	if err := rec(iv, schedule.Given{Dose: qty("40 mg"), Level: 2, PumpRate: qty("156 mL/h")}).Check(iv); err != nil {
		t.Errorf("a record of the protocol: %v", err)
	}
	other := rec(nasal, schedule.Given{Dose: qty("56 mg")})
	err := other.Check(iv)
	if !hasField(err, "protocol.sha256", schedule.ErrConflict) || !strings.Contains(err.Error(), nasal.SHA256()) || !strings.Contains(err.Error(), iv.SHA256()) {
		t.Errorf("a record of another protocol: %v; want both hashes named", err)
	}
	err = rec(iv, schedule.Given{Dose: qty("40 mg"), Level: 3, Count: qty("2 devices")}).Check(iv)
	if diff := cmp.Diff([]string{"entries[0].given.count", "entries[0].given.level"}, errPaths(err)); diff != "" {
		t.Errorf("a level beyond the ladder and dose forms on an infusion (-want +got):\n%s", diff)
	}
	err = rec(nasal, schedule.Given{Dose: qty("56 mg"), Level: 1, PumpRate: qty("1 mL/h"), Duration: qty("10 min")}).Check(nasal)
	if diff := cmp.Diff([]string{"entries[0].given.duration", "entries[0].given.level", "entries[0].given.pump_rate"}, errPaths(err)); diff != "" {
		t.Errorf("pump settings and a level on a nasal protocol without a ladder (-want +got):\n%s", diff)
	}
}
