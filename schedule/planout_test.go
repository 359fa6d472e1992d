package schedule_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// goldenPlans are the plans whose text tables are golden files in testdata
// ("go test ./schedule -run TestSessionPlanWriteTable -update" rewrites them).
func goldenPlans(t *testing.T) map[string]*schedule.SessionPlan {
	t.Helper()
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	closed := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9}, schedule.Closure{Date: day(t, "2025-03-12"), Name: "staff training"})
	iv := loadExample(t, "iv-ketamine-trd")
	nasal := loadExample(t, "esketamine-nasal")
	ivPlan := mustPlan(t, iv, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	ivClosed := mustPlan(t, iv, adult80(), "2025-03-03", closed, schedule.PlanOptions{})
	at := func(d, h, m int) time.Time { return inZone(t, "America/New_York", 2025, time.March, d, h, m) }
	replanned, err := ivClosed.Replan([]schedule.Event{
		{Kind: schedule.Done, Session: 1, At: at(3, 9, 5)},
		{Kind: schedule.Done, Session: 2, At: at(5, 9, 0), Note: "BP 150/92 at 40 min"},
		{Kind: schedule.Missed, Session: 3, Date: day(t, "2025-03-07")},
	}, day(t, "2025-03-08"), &schedule.PlanOptions{GivenDoses: map[int]units.Quantity{1: qty("38 mg")}, Levels: map[int]int{4: 0}})
	if err != nil {
		t.Fatal(err)
	}
	stopped, err := ivPlan.Replan([]schedule.Event{
		{Kind: schedule.Done, Session: 1, At: at(3, 9, 0)},
		{Kind: schedule.Stopped, Date: day(t, "2025-03-04"), Note: "patient's choice"},
	}, day(t, "2025-03-04"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// 56, 56, then 84 mg; 7-day cap 140 mg, series cap 300 mg: session 4
	// (84 mg) cannot be on Thu Mar 13 or Fri Mar 14, within 7 days of
	// session 3's 84 mg (168 mg), and moves to Mon Mar 17; session 5 moves
	// the same way to Mon Mar 24, where 56 + 56 + 84 × 3 = 364 mg would pass
	// the series cap: it is dropped.
	caps := loadDoc(t, []byte(edit(t, nasalYAML, "sessions: 8,", "sessions: 5,")+
		"titration: {steps: [56 mg, 84 mg], advance_after_sessions: 2}\ncaps: {per_7_days: 140 mg, per_series: 300 mg}\n"))
	return map[string]*schedule.SessionPlan{
		"plan_iv":           ivPlan,
		"plan_esketamine":   mustPlan(t, nasal, adult80(), "2025-03-03", cal, schedule.PlanOptions{Levels: map[int]int{2: 0}}),
		"plan_iv_replanned": replanned,
		"plan_iv_stopped":   stopped,
		"plan_caps":         mustPlan(t, caps, adult80(), "2025-03-03", cal, schedule.PlanOptions{}),
	}
}

func TestSessionPlanWriteTable(t *testing.T) {
	for name, pl := range goldenPlans(t) {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := pl.WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
			}
			out := b.String()
			if !strings.HasSuffix(out, "\n"+dosing.Notice+"\n") {
				t.Error("the table does not end with the notice")
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("trailing space: %q", line)
				}
			}
		})
	}
}

// What the tables say, checked here by meaning rather than by layout.
func TestSessionPlanWriteTableContent(t *testing.T) {
	plans := goldenPlans(t)
	text := func(name string) string {
		var b bytes.Buffer
		if err := plans[name].WriteTable(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	tests := []struct {
		plan string
		want []string
	}{
		{"plan_iv", []string{
			"Plan: IV racemic ketamine, treatment-resistant depression (example) (version 2026-11-example)",
			"Protocol SHA-256: " + plans["plan_iv"].Protocol.SHA256,
			"Patient: 80 kg, 175 cm, male",
			"min_interval 44 h; max_per_7_days 3",
			"48 mg (proposed)",
			"156 mL/h × 40 min",
			// Sessions 1–3 at the first level, 3 × 40 mg = 120 mg, decided;
			// 4–9 proposed escalations, 3 × 48 + 3 × 60 = 324 mg.
			"Total over the series: 444 mg: 120 mg decided (3 sessions), 324 mg proposed (6 sessions, escalations not yet decided)",
		}},
		{"plan_esketamine", []string{"56 mg", "2 devices of 28 mg/device", "84 mg (proposed)", "3 devices of 28 mg/device", "11:10"}},
		// Session 3, missed, goes to Mon Mar 10; Wed Mar 12 is closed, so
		// session 4 takes Thu Mar 13; Fri Mar 14 is 24 h after it (less than
		// 44 h), so session 5 takes Mon Mar 17 and session 6 Wed Mar 19; the
		// boosters follow 28 days apart: Apr 16, May 14, Jun 11. Session 4 is
		// kept at level 1 by a clinician, so level 2 (0.6 mg/kg × 80 kg =
		// 48 mg) is proposed from session 5 for three sessions (5, 6 and the
		// first booster), then level 3 (60 mg): 38 + 40 × 3 + 48 × 3 + 60 × 2
		// = 422 mg.
		{"plan_iv_replanned", []string{"Replanned from 2025-03-08", "done, 38 mg given", "done (BP 150/92 at 40 min)",
			"7  booster 1/3    2025-04-16  Wed  09:00  48 mg (proposed)", "8  booster 2/3    2025-05-14  Wed  09:00  60 mg (proposed)",
			"2025-03-13  Thu", "moved from 2025-03-12: 03-12 clinic closed (staff training)",
			"2025-03-17  Mon", "moved from 2025-03-14: 03-14 09:00 would be 24 h after session 4 (min_interval 44 h)",
			"2025-03-19", "2025-04-16", "2025-05-14", "2025-06-11"}},
		{"plan_iv_stopped", []string{"Stopped on 2025-03-04: patient's choice; nothing more is planned",
			"Total over the series: 40 mg, all decided (no escalation proposed)"}},
		{"plan_caps", []string{"2025-03-17", "moved from 2025-03-13: 03-13 to 03-14 7-day cap 140 mg would be exceeded (168 mg)",
			"Dropped: induction session 5 on 2025-03-24: series cap 300 mg would be exceeded (364 mg)",
			"Total over the series: 280 mg: 112 mg decided (2 sessions), 168 mg proposed (2 sessions, escalations not yet decided)"}},
	}
	for _, tc := range tests {
		got := text(tc.plan)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: table does not contain %q\n%s", tc.plan, w, got)
			}
		}
	}
}

// The iCalendar export, parsed back with go-ical: one event per session,
// each checked.
func TestSessionPlanWriteICal(t *testing.T) {
	plans := goldenPlans(t)
	stamp := time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC)
	export := func(pl *schedule.SessionPlan, id string) []byte {
		var b bytes.Buffer
		if err := pl.WriteICal(&b, id, stamp); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	type event struct {
		uid, summary, desc string
		start, end         time.Time
		tzid               string
	}
	parse := func(out []byte) ([]event, *ical.Calendar) {
		t.Helper()
		cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
		if err != nil {
			t.Fatalf("go-ical cannot parse the export: %v\n%s", err, out)
		}
		var evs []event
		for _, ev := range cal.Events() {
			var e event
			e.uid, _ = ev.Props.Text(ical.PropUID)
			e.summary, _ = ev.Props.Text(ical.PropSummary)
			e.desc, _ = ev.Props.Text(ical.PropDescription)
			if ds := ev.Props.Get(ical.PropDateTimeStamp); ds == nil || ds.Value != "20250301T120000Z" {
				t.Errorf("DTSTAMP = %v, want the given stamp 20250301T120000Z", ds)
			}
			p := ev.Props.Get(ical.PropDateTimeStart)
			e.tzid = p.Params.Get(ical.ParamTimezoneID)
			if e.start, err = ev.DateTimeStart(nil); err != nil {
				t.Fatal(err)
			}
			if e.end, err = ev.DateTimeEnd(nil); err != nil {
				t.Fatal(err)
			}
			evs = append(evs, e)
		}
		return evs, cal
	}

	for _, tc := range []struct {
		plan   string
		length map[string]time.Duration // each session's own, from pre-checks to discharge, by its dose
	}{
		// 08:30 arrival, 09:00 start, 40 min infusion, 30 min observation:
		// discharge 10:10, whatever the level.
		{"plan_iv", map[string]time.Duration{"40 mg": 100 * time.Minute, "48 mg": 100 * time.Minute, "60 mg": 100 * time.Minute}},
		// Devices 5 min apart, 2 h observation from the last: 56 mg (two
		// devices) ends 09:05 and leaves at 11:05; 84 mg (three) 09:10, 11:10.
		{"plan_esketamine", map[string]time.Duration{"56 mg": 155 * time.Minute, "84 mg": 160 * time.Minute}},
	} {
		t.Run(tc.plan, func(t *testing.T) {
			pl := plans[tc.plan]
			out := export(pl, "patient 123")
			if !bytes.Equal(out, export(pl, "patient 123")) {
				t.Error("two exports of the same plan differ")
			}
			evs, cal := parse(out)
			if len(evs) != len(pl.Sessions) {
				t.Fatalf("%d events, want one per session (%d)", len(evs), len(pl.Sessions))
			}
			var tz *ical.Component
			for _, c := range cal.Children {
				if c.Name == ical.CompTimezone {
					tz = c
				}
			}
			if tz == nil || tz.Props.Get(ical.PropTimezoneID).Value != "America/New_York" {
				t.Fatal("no VTIMEZONE for America/New_York")
			}
			uids := map[string]bool{}
			for i, e := range evs {
				s := pl.Sessions[i]
				if uids[e.uid] || !strings.HasSuffix(e.uid, "@doseplan") {
					t.Errorf("event %d: UID %q repeated or malformed", i, e.uid)
				}
				uids[e.uid] = true
				if e.tzid != "America/New_York" {
					t.Errorf("event %d: DTSTART TZID %q", i, e.tzid)
				}
				// From the pre-checks (30 min before the start) to this
				// session's own discharge.
				length, ok := tc.length[s.Dose.Dose.String()]
				if !ok || !e.start.Equal(s.Start.Add(-30*time.Minute)) || !e.end.Equal(e.start.Add(length)) {
					t.Errorf("event %d (%v): %v to %v; want %v for %v", i, s.Dose.Dose, e.start, e.end, s.Start.Add(-30*time.Minute), length)
				}
				if e.start.In(s.Start.Location()).Format("15:04") != "08:30" {
					t.Errorf("event %d starts at %v local, want 08:30", i, e.start.In(s.Start.Location()))
				}
				for _, w := range []string{
					dosing.Notice,
					"Pre-checks from 08:30",
					"Start of administration: 09:00",
					"Earliest discharge: " + s.Timeline.EarliestDischarge.Format("15:04"),
					"Dose: " + s.Dose.Dose.String(),
					"A driver is required",
				} {
					if !strings.Contains(e.desc, w) {
						t.Errorf("event %d: description does not contain %q:\n%s", i, w, e.desc)
					}
				}
				if !strings.HasSuffix(e.desc, dosing.Notice) {
					t.Errorf("event %d: the description does not end with the notice", i)
				}
				if want := s.Dose.Dose.String(); !strings.Contains(e.summary, want) || strings.Contains(e.summary, "(proposed)") != s.Proposed {
					t.Errorf("event %d: summary %q, dose %s, proposed %v", i, e.summary, want, s.Proposed)
				}
			}

			// Another plan identity, other UIDs.
			other, _ := parse(export(pl, "patient 456"))
			for i := range other {
				if other[i].uid == evs[i].uid {
					t.Errorf("event %d has the same UID for two patients", i)
				}
			}
		})
	}

	// After a replan, the sessions keep their UIDs by position; the new
	// export says what changed (session 1 done at 09:05, session 3 moved).
	before, _ := parse(export(plans["plan_iv"], "patient 123"))
	after, _ := parse(export(plans["plan_iv_replanned"], "patient 123"))
	if len(before) != len(after) {
		t.Fatalf("%d events before the replan, %d after", len(before), len(after))
	}
	for i := range before {
		if before[i].uid != after[i].uid {
			t.Errorf("event %d: UID changed by the replan", i)
		}
	}
	if !strings.Contains(after[0].desc, "Done") || !strings.Contains(after[0].desc, "Pre-checks from 08:35") {
		t.Errorf("replanned session 1 description:\n%s", after[0].desc)
	}

	// A plan without sessions has nothing to export.
	var empty schedule.SessionPlan
	if err := empty.WriteICal(&bytes.Buffer{}, "x", stamp); !hasField(err, "slots", schedule.ErrMissing) {
		t.Errorf("WriteICal of no sessions = %v", err)
	}
	if err := plans["plan_iv"].WriteICal(&bytes.Buffer{}, "x", time.Time{}); !hasField(err, "ical.stamp", schedule.ErrMissing) {
		t.Errorf("WriteICal without a stamp = %v", err)
	}
}

// planMirror is the JSON of a SessionPlan as a client in another language
// would declare it: every quantity is a string carrying its unit, every
// instant an RFC 3339 string.
type planMirror struct {
	Notice   string `json:"notice"`
	Protocol struct {
		Name    string `json:"name"`
		Version string `json:"version"`
		Source  string `json:"source"`
		SHA256  string `json:"sha256"`
	} `json:"protocol"`
	Patient struct {
		Weight string `json:"weight"`
		Height string `json:"height"`
		Sex    string `json:"sex"`
		Age    string `json:"age"`
	} `json:"patient"`
	Start    string `json:"start"`
	Calendar struct {
		Zone   string   `json:"zone"`
		Open   []string `json:"open"`
		Closed []struct {
			Date string `json:"date"`
			Name string `json:"name"`
		} `json:"closed"`
		Starts []string `json:"starts"`
	} `json:"calendar"`
	Sessions []struct {
		Index      int    `json:"index"`
		Phase      string `json:"phase"`
		PhaseIndex int    `json:"phase_index"`
		Number     int    `json:"number"`
		Of         int    `json:"of"`
		Date       string `json:"date"`
		Start      string `json:"start"`
		Done       bool   `json:"done"`
		MovedFrom  string `json:"moved_from"`
		Reasons    []struct {
			Date   string `json:"date"`
			Code   string `json:"code"`
			Detail string `json:"detail"`
		} `json:"reasons"`
		Note     string          `json:"note"`
		Level    int             `json:"level"`
		Proposed bool            `json:"proposed"`
		Dose     json.RawMessage `json:"dose"` // dosing.Result: its own mirror below
		Given    string          `json:"given"`
		Timeline struct {
			PreChecks           string   `json:"pre_checks"`
			Start               string   `json:"start"`
			Administrations     []string `json:"administrations"`
			EndOfAdministration string   `json:"end_of_administration"`
			Checks              []struct {
				Name string `json:"name"`
				At   string `json:"at"`
			} `json:"checks"`
			ObservationEnd    string `json:"observation_end"`
			EarliestDischarge string `json:"earliest_discharge"`
			DriverRequired    bool   `json:"driver_required"`
		} `json:"timeline"`
		Warnings []string `json:"warnings"`
	} `json:"sessions"`
	Dropped    []json.RawMessage `json:"dropped"`
	Restarts   []json.RawMessage `json:"restarts"`
	Stopped    json.RawMessage   `json:"stopped"`
	History    []json.RawMessage `json:"history"`
	Warnings   []string          `json:"warnings"`
	Findings   []json.RawMessage `json:"protocol_findings"`
	TotalDose  string            `json:"total_dose"`
	Decided    string            `json:"decided_dose"`
	Proposed   string            `json:"proposed_dose"`
	NeedReview int               `json:"sessions_needing_review"`
}

// doseMirror is the part of a session's dosing.Result a client reads.
type doseMirror struct {
	RequestedDose string `json:"requested_dose"`
	Dose          string `json:"dose"`
	DosePerKg     string `json:"dose_per_kg"`
	Preparation   *struct {
		Draw        string `json:"draw"`
		FinalVolume string `json:"final_volume"`
	} `json:"preparation"`
	Infusion *struct {
		Duration string `json:"duration"`
		PumpRate string `json:"pump_rate"`
		DoseRate string `json:"dose_rate"`
	} `json:"infusion"`
	Form *struct {
		Count    string   `json:"count"`
		Strength string   `json:"strength"`
		Offsets  []string `json:"offsets"`
	} `json:"form"`
}

func TestSessionPlanJSON(t *testing.T) {
	for name, pl := range goldenPlans(t) {
		t.Run(name, func(t *testing.T) {
			b, err := json.Marshal(pl)
			if err != nil {
				t.Fatal(err)
			}
			var m planMirror
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&m); err != nil {
				t.Fatalf("decode into the mirror: %v\n%s", err, b)
			}
			if m.Notice != dosing.Notice || m.Protocol.SHA256 != pl.Protocol.SHA256 || len(m.Sessions) != len(pl.Sessions) {
				t.Fatalf("mirror: notice %q, sha %q, %d sessions", m.Notice, m.Protocol.SHA256, len(m.Sessions))
			}
			quantities := []string{m.Patient.Weight, m.Patient.Height}
			if pl.TotalDose.IsValid() {
				quantities = append(quantities, m.TotalDose, m.Decided, m.Proposed)
			}
			for i, s := range m.Sessions {
				var d doseMirror
				if err := json.Unmarshal(s.Dose, &d); err != nil {
					t.Fatal(err)
				}
				quantities = append(quantities, d.RequestedDose, d.Dose, d.DosePerKg)
				if d.Preparation != nil {
					quantities = append(quantities, d.Preparation.Draw, d.Preparation.FinalVolume)
				}
				if d.Infusion != nil {
					quantities = append(quantities, d.Infusion.Duration, d.Infusion.PumpRate, d.Infusion.DoseRate)
				}
				if d.Form != nil {
					quantities = append(quantities, d.Form.Count, d.Form.Strength)
					quantities = append(quantities, d.Form.Offsets...)
				}
				if s.Given != "" {
					quantities = append(quantities, s.Given)
				}
				if got, want := d.Dose, pl.Sessions[i].Dose.Dose.Text(); got != want {
					t.Errorf("session %d dose %q, want %q", i+1, got, want)
				}
				for _, ts := range append([]string{s.Start, s.Timeline.Start, s.Timeline.EndOfAdministration, s.Timeline.EarliestDischarge}, s.Timeline.Administrations...) {
					if _, err := time.Parse(time.RFC3339, ts); err != nil {
						t.Errorf("session %d: instant %q: %v", i+1, ts, err)
					}
				}
			}
			for _, q := range quantities {
				var v units.Quantity
				if err := v.UnmarshalText([]byte(q)); err != nil || !v.IsValid() {
					t.Errorf("quantity %q does not read back: %v", q, err)
				}
			}
			checkJSONQuantities(t, b)
		})
	}
}

var (
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	clockRE  = regexp.MustCompile(`^\d{2}:\d{2}$`)
	hex64RE  = regexp.MustCompile(`^[0-9a-f]{64}$`)
	leadNumR = regexp.MustCompile(`^-?\d`)
)

// countKeys are the JSON keys whose values are plain numbers: counts and
// positions, never a clinical quantity.
var countKeys = []string{"index", "phase_index", "number", "of", "level", "sessions_needing_review", "days", "session", "doseplan"}

// checkJSONQuantities walks a JSON document: every number is a count under
// one of countKeys, and every text that starts with a number is a date, an
// instant, a clock time, a hash, or a quantity with its unit.
func checkJSONQuantities(t *testing.T, b []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case json.Number:
			if !slices.Contains(countKeys, key) {
				t.Errorf("%q: bare number %s (a quantity needs its unit)", key, x)
			}
		case string:
			if !leadNumR.MatchString(x) || dateRE.MatchString(x) || clockRE.MatchString(x) || hex64RE.MatchString(x) {
				return
			}
			if _, err := time.Parse(time.RFC3339, x); err == nil {
				return
			}
			var q units.Quantity
			var y dosing.Years // an age, "45 years": whole years are not a unit of units
			if err := q.UnmarshalText([]byte(x)); err != nil && y.UnmarshalText([]byte(x)) != nil {
				if key == "detail" || key == "message" || key == "note" || key == "reason" || key == "name" || key == "source" || key == "version" {
					return // text for people that happens to start with a digit
				}
				t.Errorf("%q: %q is not a quantity with its unit: %v", key, x, err)
			}
		}
	}
	walk("", v)
}

// How a dose is given, in the table: an injection drawn from stock, a dose
// with nothing to prepare, and a capped dose's note (0.5 mg/kg × 140 kg =
// 70 mg, capped to 60 mg).
func TestSessionPlanWriteTableGivenAs(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	injection := edit(t, baseYAML, "preparation: {stock: 10 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up, bag: {volume: 100 mL, method: add}}",
		"preparation: {stock: 50 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up}",
		"infusion: {duration: 40 min, pump: {rate_step: 0.1 mL/h, rate_rounding: half_up, max_rate: 999 mL/h}}\n", "")
	oral := edit(t, injection, "per_kg: 0.5 mg/kg", "fixed: 50 mg", "preparation: {stock: 50 mg/mL, draw_step: 0.1 mL, draw_rounding: half_up}\n", "",
		"dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose: {hard_max: 60 mg}")
	capped := edit(t, baseYAML, "  weight: {basis: actual}\n", "  weight: {basis: actual}\n  cap: 60 mg\n")
	strict := edit(t, baseYAML, "{dose: 5 %,", "{dose: 0.1 %,")
	tests := []struct {
		name, doc string
		weight    string
		want      string // the first session's row, from "Dose" on
	}{
		// 0.5 mg/kg × 80 kg = 40 mg = 0.8 mL of 50 mg/mL; given at 09:00,
		// discharge 30 min later.
		{"injection", injection, "80 kg", "40 mg  0.8 mL of 50 mg/mL  09:00  09:30"},
		{"nothing to prepare", oral, "80 kg", "50 mg  09:00  09:30"},
		// 60 mg = 6 mL; 106 mL over 40 min = 159 mL/h.
		{"capped", capped, "140 kg", "60 mg  159 mL/h × 40 min  09:40  10:10      capped from 70 mg to 60 mg (cap 60 mg)"},
		// 0.5 × 79.9 = 39.95 mg = 3.995 mL, drawn as 4 mL = 40 mg: +0.05 ÷
		// 39.95 = +0.1252 %, within 5 %, beyond 0.1 % (a review).
		{"rounded by the draw", baseYAML, "79.9 kg", "40 mg  156 mL/h × 40 min  09:40  10:10      requested 39.95 mg → gives 40 mg (≈ +0.1252 %), within the rounding tolerance 5 %"},
		{"rounded beyond the tolerance", strict, "79.9 kg", "40 mg  156 mL/h × 40 min  09:40  10:10      requested 39.95 mg → gives 40 mg (≈ +0.1252 %), beyond the rounding tolerance 0.1 %; needs review"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl := mustPlan(t, loadDoc(t, []byte(tc.doc)), dosing.Patient{Weight: qty(tc.weight), AgeYears: 45}, "2025-03-03", cal, schedule.PlanOptions{})
			var b bytes.Buffer
			if err := pl.WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			var row string
			for _, line := range strings.Split(b.String(), "\n") {
				if strings.HasPrefix(line, "1  ") {
					row = strings.Join(strings.Fields(line[strings.Index(line, "Mon")+len("Mon  09:00"):]), " ")
				}
			}
			if want := strings.Join(strings.Fields(tc.want), " "); !strings.HasPrefix(row, want) {
				t.Errorf("row %q, want it to start %q\n%s", row, want, b.String())
			}
		})
	}
}
