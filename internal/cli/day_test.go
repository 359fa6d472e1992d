package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A clinic's day, command by command, on one patient's record: the gate
// before the session, the sessions recorded (done, missed, done with
// another dose than planned and then corrected, done with vitals that
// warn), the replanning, the refusals that must leave the record as it is,
// and the stop. Each step is a golden transcript (day_<step>.golden), and
// the record as the day leaves it is one too (day_record.golden).

// dayStep is one command of the day.
type dayStep struct {
	name string
	args []string
	exit int
}

func daySteps() []dayStep {
	iv := args("--protocol", "testdata/iv.yaml")
	plan := args("--weight", "80kg", "--height", "175cm", "--sex", "male", "--age", "45",
		"--start", "2025-03-03", "--tz", "America/New_York", "--open", "mon-fri", "--at", "09:00")
	rec := args("--record", "$TMP/mrn-1234.yaml", "--patient", "MRN-1234", "--by", "RN Lee")
	record := func(extra ...string) []string { return cat(args("record"), iv, rec, extra, plan) }
	replan := func(extra ...string) []string {
		return cat(args("replan"), iv, args("--record", "$TMP/mrn-1234.yaml"), extra, plan)
	}
	gate := func(extra ...string) []string { return cat(args("gate"), iv, extra) }
	return []dayStep{
		// Session 1: vitals, the gate, the infusion as planned.
		{"gate_proceed", gate("--vitals", "bp=132/84 hr=72 spo2=98"), exitOK},
		{"record_done", record("--session", "1", "--outcome", "done", "--when", "2025-03-03 09:05", "--dose", "40mg", "--pump-rate", "156mL/h",
			"--duration", "40min", "--vitals", "bp=132/84 hr=72 spo2=98", "--stamp", "2025-03-03T10:20:00-05:00"), exitOK},
		// Session 2 is missed on Wednesday, given on Friday, with a dose
		// typed as 45 mg (flagged: the plan has 40 mg, +5 mg = +12.5 %),
		// then corrected.
		{"record_missed", record("--session", "2", "--outcome", "missed", "--date", "2025-03-05", "--notes", "flu"), exitOK},
		{"record_done_deviating", record("--session", "2", "--outcome", "done", "--when", "2025-03-07 09:00", "--dose", "45mg", "--pump-rate", "156mL/h"), exitOK},
		{"record_correction", record("--corrects", "3", "--session", "2", "--outcome", "done", "--when", "2025-03-07 09:00", "--dose", "40mg",
			"--pump-rate", "156mL/h", "--reason", "45 mg was a typing error: 4 mL of 10 mg/mL were given"), exitOK},
		// Session 3, given with a blood pressure above the warn gate.
		{"gate_warn", gate("--vitals", "bp=150/92 hr=80 spo2=97"), exitReview},
		{"record_done_warn_json", record("--session", "3", "--outcome", "done", "--when", "2025-03-10 09:00", "--dose", "40mg",
			"--vitals", "bp=150/92 hr=80 spo2=97", "--json"), exitOK},
		// The rest of the series, and what changed.
		{"replan", replan("--from", "2025-03-11"), exitOK},
		{"replan_json", replan("--from", "2025-03-11", "--json"), exitOK},
		{"replan_ics", replan("--from", "2025-03-11", "--ics", "$TMP/replan.ics", "--plan-id", "MRN-1234", "--stamp", "2025-03-10T12:00:00Z"), exitOK},

		// Refused: nothing is written.
		{"record_wrong_session", record("--session", "5", "--outcome", "done", "--when", "2025-03-12 09:00", "--dose", "48mg"), exitInput},
		{"record_other_protocol", cat(args("record", "--protocol", "testdata/nasal.yaml"), rec, args("--session", "4", "--outcome", "missed"),
			args("--weight", "70kg", "--age", "45", "--start", "2025-03-03", "--tz", "Europe/Berlin", "--open", "mon,thu", "--at", "10:00")), exitInput},
		{"record_other_patient", cat(args("record"), iv, args("--record", "$TMP/mrn-1234.yaml", "--patient", "MRN-9999", "--by", "RN Lee",
			"--session", "4", "--outcome", "missed"), plan), exitInput},
		{"record_impossible_vitals", record("--session", "4", "--outcome", "missed", "--vitals", "bp=400/20 spo2=140"), exitInput},
		{"record_after_replanning_date", record("--session", "4", "--outcome", "delayed", "--to", "2025-03-10"), exitInput},
		{"record_json_refused", record("--session", "4", "--outcome", "done", "--when", "2025-03-09 09:00", "--dose", "48mg", "--json"), exitInput},
		{"record_usage_missing", record("--outcome", "done", "--session", "4"), exitUsage},
		{"record_usage_flags", record("--session", "4", "--outcome", "missed", "--to", "2025-03-14", "--dose", "48mg", "--when", "2025-03-12 9am"), exitUsage},
		{"record_usage_outcome", record("--session", "4", "--outcome", "skipped", "--vitals", "bp=150"), exitUsage},
		{"replan_usage", cat(args("replan"), iv, plan), exitUsage},
		{"replan_before_the_record", replan("--from", "2025-03-05"), exitInput},
		{"replan_no_record", cat(args("replan"), iv, args("--record", "$TMP/nonexistent.yaml", "--from", "2025-03-11"), plan), exitInput},

		// The gate's other answers.
		{"gate_hold", gate("--vitals", "bp=185/95, hr=88, spo2=97%"), exitHold},
		{"gate_not_measured_json", gate("--vitals", "bp=128/82 hr=70", "--json"), exitReview},
		{"gate_impossible", gate("--vitals", "bp=400/20 spo2=140"), exitInput},
		{"gate_impossible_json", gate("--vitals", "bp=80/120", "--json"), exitInput},
		{"gate_unreadable", gate("--vitals", "bp=150 hr=fast temp=37"), exitUsage},
		{"gate_no_gates", cat(args("gate", "--protocol", "testdata/pain.yaml", "--vitals", "bp=120/80")), exitInput},

		// The treatment stops; nothing more is planned.
		{"record_stopped", record("--outcome", "stopped", "--when", "2025-03-12 10:00", "--reason", "the patient's choice"), exitOK},
		{"replan_after_stop", replan("--from", "2025-03-13"), exitOK},
	}
}

func TestDay(t *testing.T) {
	tmp := t.TempDir()
	for _, s := range daySteps() {
		r := runDoseplan(t, tmp, "", s.args...)
		if r.code != s.exit {
			t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, r.code, s.exit, r.stdout, r.stderr)
		}
		golden(t, "day_"+s.name, transcript(s.args, "", r))
		if strings.Contains(strings.Join(s.args, " "), "--json") {
			checkDayJSON(t, s.name, r)
		}
	}
	for _, f := range []string{"mrn-1234.yaml", "replan.ics"} {
		b, err := os.ReadFile(filepath.Join(tmp, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "day_file_"+strings.TrimSuffix(f, filepath.Ext(f)), string(b))
	}
}

// The same day with the files in memory, as a browser gives them: the same
// transcripts, the same record, and nothing on the disk.
func TestDayInMemory(t *testing.T) {
	files := map[string][]byte{}
	for n, f := range testdataFS(t) {
		files[n] = f.Data
	}
	for _, s := range daySteps() {
		args := make([]string, len(s.args))
		for i, a := range s.args {
			args[i] = strings.ReplaceAll(a, tmpToken+"/", "mem/")
		}
		var out, errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Open: func(name string) (io.ReadCloser, error) {
				b, ok := files[name]
				if !ok {
					return nil, &fs.PathError{Op: "open", Path: name, Err: syscall.ENOENT} // as the disk says it

				}
				return io.NopCloser(bytes.NewReader(b)), nil
			},
			WriteFile: memoryFiles(nil, files)}
		code := env.Run(args)
		want, err := os.ReadFile(filepath.Join("testdata", "day_"+s.name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		got := transcript(s.args, "", result{code: code,
			stdout: strings.ReplaceAll(out.String(), "mem/", tmpToken+"/"), stderr: strings.ReplaceAll(errb.String(), "mem/", tmpToken+"/")})
		if got != string(want) {
			t.Errorf("%s in memory differs from its golden transcript:\n%s", s.name, got)
		}
	}
	want, err := os.ReadFile(filepath.Join("testdata", "day_file_mrn-1234.golden"))
	if err != nil {
		t.Fatal(err)
	}
	if string(files["mem/mrn-1234.yaml"]) != string(want) {
		t.Errorf("the record in memory differs from day_file_mrn-1234.golden:\n%s", files["mem/mrn-1234.yaml"])
	}
}

// The documents of the day decode into the types that mirror SCHEMA.md,
// unknown fields refused.
func checkDayJSON(t *testing.T, step string, r result) {
	t.Helper()
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &head); err != nil {
		t.Fatalf("%s: stdout is not JSON: %v\n%s", step, err, r.stdout)
	}
	docs := map[string]any{"doseplan/record/v1": new(mRecordDoc), "doseplan/replan/v1": new(mReplanDoc),
		"doseplan/gate/v1": new(mGateDoc), "doseplan/error/v1": new(mErrorDoc)}
	doc, ok := docs[head.Schema]
	if !ok {
		t.Fatalf("%s: schema %q", step, head.Schema)
	}
	decodeStrict(t, r.stdout, doc)
}

// Mirrors of the day's documents (see SCHEMA.md).

type mReadings struct {
	Systolic  qty `json:"systolic"`
	Diastolic qty `json:"diastolic"`
	HeartRate qty `json:"heart_rate"`
	SpO2      qty `json:"spo2"`
}

type mRecordEntry struct {
	ID       int       `json:"id"`
	Corrects int       `json:"corrects"`
	Session  int       `json:"session"`
	Outcome  string    `json:"outcome"`
	At       time.Time `json:"at"`
	Date     civilDate `json:"date"`
	To       civilDate `json:"to"`
	Given    *struct {
		Dose     qty `json:"dose"`
		Level    int `json:"level"`
		PumpRate qty `json:"pump_rate"`
		Duration qty `json:"duration"`
		Count    qty `json:"count"`
	} `json:"given"`
	Weight     qty        `json:"weight"`
	Vitals     *mReadings `json:"vitals"`
	Reason     string     `json:"reason"`
	Notes      string     `json:"notes"`
	RecordedBy string     `json:"recorded_by"`
	RecordedAt time.Time  `json:"recorded_at"`
}

type mVitalsFinding struct {
	Level   string `json:"level"`
	Gate    string `json:"gate"`
	Reading qty    `json:"reading"`
	Limit   qty    `json:"limit"`
	Detail  string `json:"detail"`
}

type mSessionState struct {
	Index    int       `json:"index"`
	Phase    string    `json:"phase"`
	Number   int       `json:"number"`
	Of       int       `json:"of"`
	Date     civilDate `json:"date"`
	Start    time.Time `json:"start"`
	Level    int       `json:"level"`
	Proposed bool      `json:"proposed"`
	Dose     qty       `json:"dose"`
	Done     bool      `json:"done"`
	Given    qty       `json:"given"`
}

type mRecordDoc struct {
	Schema   string `json:"schema"`
	Notice   string `json:"notice"`
	File     string `json:"file"`
	Created  bool   `json:"created"`
	Patient  string `json:"patient"`
	Protocol struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		SHA256  string `json:"sha256"`
	} `json:"protocol"`
	Entry      mRecordEntry `json:"entry"`
	Flagged    bool         `json:"flagged"`
	Deviations []struct {
		Session int    `json:"session"`
		Field   string `json:"field"`
		Given   qty    `json:"given"`
		Planned qty    `json:"planned"`
		Detail  string `json:"detail"`
	} `json:"deviations"`
	VitalsCheck *struct {
		Decision string           `json:"decision"`
		Findings []mVitalsFinding `json:"findings"`
	} `json:"vitals_check"`
	From    civilDate      `json:"replanned_from"`
	Next    *mSessionState `json:"next_session"`
	Stopped *mEvent        `json:"stopped"`
}

type mReplanDoc struct {
	Schema        string   `json:"schema"`
	Notice        string   `json:"notice"`
	NeedsReview   bool     `json:"needs_review"`
	UnmatchedAcks []string `json:"unmatched_acks"`
	Record        struct {
		File     string `json:"file"`
		Patient  string `json:"patient"`
		Entries  int    `json:"entries"`
		InForce  int    `json:"in_force"`
		Protocol string `json:"protocol_sha256"`
	} `json:"record"`
	ICS *struct {
		File   string    `json:"file"`
		Events int       `json:"events"`
		PlanID string    `json:"plan_id"`
		Stamp  time.Time `json:"stamp"`
	} `json:"ics"`
	Plan    mPlan `json:"plan"`
	Changes struct {
		From    civilDate `json:"from"`
		Changes []struct {
			Index   int            `json:"index"`
			Kind    string         `json:"kind"`
			Before  *mSessionState `json:"before"`
			After   *mSessionState `json:"after"`
			Reasons []string       `json:"reasons"`
		} `json:"changes"`
		Unchanged int `json:"unchanged"`
	} `json:"changes"`
}

type mGateDoc struct {
	Schema   string           `json:"schema"`
	Notice   string           `json:"notice"`
	Protocol mProvenance      `json:"protocol"`
	Readings mReadings        `json:"readings"`
	Decision string           `json:"decision"`
	Findings []mVitalsFinding `json:"findings"`
	Gates    []struct {
		Level   string `json:"level"`
		Gate    string `json:"gate"`
		Vital   string `json:"vital"`
		Reading qty    `json:"reading"`
		Limit   qty    `json:"limit"`
		Met     bool   `json:"met"`
		Detail  string `json:"detail"`
	} `json:"gates"`
}
