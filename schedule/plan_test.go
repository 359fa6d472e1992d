package schedule_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// sessionRow is what a pharmacist reads of a session: the number in the
// series, the date, the dose and how it is given, and whether the dose is a
// proposal.
type sessionRow struct {
	Index    int
	Phase    string
	Date     string
	Dose     string
	Given    string // draw and pump rate, or devices
	Proposed bool
}

func sessionRows(pl *schedule.SessionPlan) []sessionRow {
	out := make([]sessionRow, len(pl.Sessions))
	for i, s := range pl.Sessions {
		r := sessionRow{Index: s.Index, Phase: s.Phase, Date: s.Date.String(), Dose: s.Dose.Dose.String(), Proposed: s.Proposed}
		switch d := s.Dose; {
		case d.Infusion != nil:
			r.Given = d.Preparation.Draw.String() + ", " + d.Preparation.FinalVolume.String() + ", " + d.Infusion.PumpRate.String() + " × " + d.Infusion.Duration.String()
		case d.Form != nil:
			r.Given = d.Form.Count.String()
		}
		out[i] = r
	}
	return out
}

// WC15 (clinical.md §2, §9 WC15): six infusions Monday, Wednesday, Friday
// from Mon 2025-03-03, then boosters every 28 days after the last, with the
// example protocol's ladder 0.5 → 0.6 → 0.75 mg/kg advancing every three
// sessions. For 80 kg (BMI 80 / 1.75² = 26.1 < 30: actual weight):
//
//	0.5 mg/kg × 80 kg = 40 mg; 40 mg ÷ 10 mg/mL = 4 mL; 100 + 4 = 104 mL; 104 mL ÷ 40 min = 156 mL/h
//	0.6 mg/kg × 80 kg = 48 mg; 4.8 mL; 104.8 mL; 104.8 × 60/40 = 157.2 mL/h
//	0.75 mg/kg × 80 kg = 60 mg; 6 mL; 106 mL; 106 × 60/40 = 159 mL/h
//
// Boosters: Mar 14 + 28 days = Apr 11, + 28 = May 9, + 28 = Jun 6.
func TestPlanWC15IVSeries(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})

	l0 := "4 mL, 104 mL, 156 mL/h × 40 min"
	l1 := "4.8 mL, 104.8 mL, 157.2 mL/h × 40 min"
	l2 := "6 mL, 106 mL, 159 mL/h × 40 min"
	want := []sessionRow{
		{1, "induction", "2025-03-03", "40 mg", l0, false},
		{2, "induction", "2025-03-05", "40 mg", l0, false},
		{3, "induction", "2025-03-07", "40 mg", l0, false},
		// The ladder's second level from session 4: a proposal, and so is
		// every session resting on it until a clinician decides.
		{4, "induction", "2025-03-10", "48 mg", l1, true},
		{5, "induction", "2025-03-12", "48 mg", l1, true},
		{6, "induction", "2025-03-14", "48 mg", l1, true},
		{7, "booster", "2025-04-11", "60 mg", l2, true},
		{8, "booster", "2025-05-09", "60 mg", l2, true},
		{9, "booster", "2025-06-06", "60 mg", l2, true},
	}
	if diff := cmp.Diff(want, sessionRows(pl)); diff != "" {
		t.Errorf("sessions (-want +got):\n%s", diff)
	}
	for _, s := range pl.Sessions {
		wantLevel := (s.Index - 1) / 3
		if s.Level != wantLevel {
			t.Errorf("session %d level = %d, want %d", s.Index, s.Level, wantLevel)
		}
		st, ok := s.Dose.Step("dose")
		if !ok || st.Flags.Has(dosing.Proposed) != s.Proposed {
			t.Errorf("session %d: dose step flags %v, want proposed = %v", s.Index, st.Flags, s.Proposed)
		}
		if s.Dose.Provenance.SHA256 != p.SHA256() || s.Dose.Notice != dosing.Notice {
			t.Errorf("session %d: provenance %+v", s.Index, s.Dose.Provenance)
		}
		// 60 mg ÷ 80 kg = 0.75 mg/kg, at the soft maximum, not above it.
		if s.Dose.NeedsReview() {
			t.Errorf("session %d needs review: %v", s.Index, s.Dose.Unacknowledged())
		}
	}
	if want := "proposed: escalation requires a clinician's decision"; !strings.Contains(strings.Join(pl.Sessions[3].Warnings, "|"), want) {
		t.Errorf("session 4 warnings %q do not say it is proposed", pl.Sessions[3].Warnings)
	}
	// 3 × 40 + 3 × 48 + 3 × 60 = 444 mg.
	if !pl.TotalDose.Equal(qty("444 mg")) {
		t.Errorf("TotalDose = %v, want 444 mg", pl.TotalDose)
	}
	// The example declares no rounding tolerance: lint says so, once.
	if pl.NeedReview != 0 || len(pl.Dropped) != 0 || len(pl.Warnings) != 0 || len(pl.Findings) != 1 || pl.Findings[0].Field != "dose.rounding_tolerance" {
		t.Errorf("NeedReview %d, Dropped %v, Warnings %v, Findings %v; want only the rounding-tolerance finding", pl.NeedReview, pl.Dropped, pl.Warnings, pl.Findings)
	}
	if pl.Notice != dosing.Notice || pl.Protocol.SHA256 != p.SHA256() || pl.Protocol.Name != p.Dosing.Name || pl.Protocol.Version != p.Dosing.Version {
		t.Errorf("plan provenance %+v, notice %q", pl.Protocol, pl.Notice)
	}
	if pl.Start != day(t, "2025-03-03") || pl.Calendar.Zone != "America/New_York" || !pl.Patient.Weight.Equal(qty("80 kg")) {
		t.Errorf("plan header: start %v, zone %q, patient %v", pl.Start, pl.Calendar.Zone, pl.Patient.Weight)
	}
	if pl.Table() == nil || len(pl.Table().Slots) != 9 {
		t.Error("Table() does not hold the nine slots")
	}
}

// The timeline of the WC15 sessions in New York: 30 min pre-checks, blood
// pressure every 10 min of the 40 min infusion, 30 min observation. Mar 7
// is before the DST change (EST, UTC−5), Mar 10 after it (EDT, UTC−4): the
// session stays at 09:00 local and its instants move by an hour.
func TestPlanWC15Timeline(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	utc := func(m time.Month, d, h, min int) time.Time { return time.Date(2025, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		session           int
		pre, start        time.Time
		checks            []time.Time
		end, obs, dischar time.Time
	}{
		{3, utc(3, 7, 13, 30), utc(3, 7, 14, 0), // 08:30 and 09:00 EST
			[]time.Time{utc(3, 7, 14, 10), utc(3, 7, 14, 20), utc(3, 7, 14, 30), utc(3, 7, 14, 40)},
			utc(3, 7, 14, 40), utc(3, 7, 15, 10), utc(3, 7, 15, 10)}, // 09:40, 10:10 EST
		{4, utc(3, 10, 12, 30), utc(3, 10, 13, 0), // 08:30 and 09:00 EDT
			[]time.Time{utc(3, 10, 13, 10), utc(3, 10, 13, 20), utc(3, 10, 13, 30), utc(3, 10, 13, 40)},
			utc(3, 10, 13, 40), utc(3, 10, 14, 10), utc(3, 10, 14, 10)},
	}
	for _, tc := range tests {
		s := pl.Sessions[tc.session-1]
		tl := s.Timeline
		if !tl.PreChecks.Equal(tc.pre) || !tl.Start.Equal(tc.start) || !s.Start.Equal(tc.start) {
			t.Errorf("session %d: pre-checks %v, start %v; want %v, %v", tc.session, tl.PreChecks, tl.Start, tc.pre, tc.start)
		}
		var got []time.Time
		for _, c := range tl.Checks {
			if c.Name != "blood pressure and heart rate" {
				t.Errorf("check name %q", c.Name)
			}
			got = append(got, c.At)
		}
		if diff := cmp.Diff(tc.checks, got); diff != "" {
			t.Errorf("session %d checks (-want +got):\n%s", tc.session, diff)
		}
		if !tl.EndOfAdministration.Equal(tc.end) || !tl.ObservationEnd.Equal(tc.obs) || !tl.EarliestDischarge.Equal(tc.dischar) || !tl.DriverRequired {
			t.Errorf("session %d: end %v, observation end %v, discharge %v, driver %v", tc.session, tl.EndOfAdministration, tl.ObservationEnd, tl.EarliestDischarge, tl.DriverRequired)
		}
		if got := tl.Start.Format("15:04 MST"); got[:5] != "09:00" || tl.Start.Location().String() != "America/New_York" {
			t.Errorf("session %d starts at %s in %v, want 09:00 in America/New_York", tc.session, got, tl.Start.Location())
		}
	}
	// Between the starts of sessions 3 and 4: Fri 09:00 EST to Mon 09:00
	// EDT is 72 h less the hour the clocks skipped.
	if gap := pl.Sessions[3].Start.Sub(pl.Sessions[2].Start); gap != 71*time.Hour {
		t.Errorf("sessions 3 to 4: %v apart, want 71h", gap)
	}
}

// WC14 (clinical.md §3.2, §9 WC14) with the example esketamine protocol:
// induction twice weekly Mon/Thu for 4 weeks, then 4 weekly Mondays (12
// sessions), then every second Monday from week 9 (Apr 28, then + 14 days).
// Doses from the ladder 56 → 84 mg, advancing after the first session:
// 56 mg = 2 devices of 28 mg, 84 mg = 3 devices.
func TestPlanWC14Esketamine(t *testing.T) {
	p := loadExample(t, "esketamine-nasal")
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	wantDates := []string{
		"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13", "2025-03-17", "2025-03-20", "2025-03-24", "2025-03-27", // induction
		"2025-03-31", "2025-04-07", "2025-04-14", "2025-04-21", // maintenance: WC14 ends here
		"2025-04-28", "2025-05-12", "2025-05-26", "2025-06-09", "2025-06-23", "2025-07-07", // every 2 weeks
	}
	if diff := cmp.Diff(wantDates, sessionDates(pl)); diff != "" {
		t.Errorf("dates (-want +got):\n%s", diff)
	}
	for _, s := range pl.Sessions {
		wantDose, wantCount, wantProposed := "84 mg", "3 devices", true
		if s.Index == 1 {
			wantDose, wantCount, wantProposed = "56 mg", "2 devices", false
		}
		if s.Dose.Dose.String() != wantDose || s.Dose.Form == nil || s.Dose.Form.Count.String() != wantCount || s.Proposed != wantProposed {
			t.Errorf("session %d: %v as %v, proposed %v; want %s as %s, proposed %v", s.Index, s.Dose.Dose, s.Dose.Form, s.Proposed, wantDose, wantCount, wantProposed)
		}
	}

	// Session 1, Mon Mar 3 (EST): devices at 09:00 and 09:05; observation
	// 2 h from the last device: 11:05. Session 2 (84 mg): 09:00, 09:05,
	// 09:10; 11:10. Pre-checks from 08:30; blood pressure at 0 and 40 min.
	local := func(d, h, m int) time.Time { return inZone(t, "America/New_York", 2025, time.March, d, h, m) }
	tests := []struct {
		i               int
		devices         []time.Time
		end, discharge  time.Time
		pre, bp2, oxime time.Time
	}{
		{1, []time.Time{local(3, 9, 0), local(3, 9, 5)}, local(3, 9, 5), local(3, 11, 5), local(3, 8, 30), local(3, 9, 40), local(3, 9, 0)},
		{2, []time.Time{local(6, 9, 0), local(6, 9, 5), local(6, 9, 10)}, local(6, 9, 10), local(6, 11, 10), local(6, 8, 30), local(6, 9, 40), local(6, 9, 0)},
		{3, []time.Time{local(10, 9, 0), local(10, 9, 5), local(10, 9, 10)}, local(10, 9, 10), local(10, 11, 10), local(10, 8, 30), local(10, 9, 40), local(10, 9, 0)},
	}
	for _, tc := range tests {
		tl := pl.Sessions[tc.i-1].Timeline
		if diff := cmp.Diff(tc.devices, tl.Administrations); diff != "" {
			t.Errorf("session %d devices (-want +got):\n%s", tc.i, diff)
		}
		if !tl.EndOfAdministration.Equal(tc.end) || !tl.EarliestDischarge.Equal(tc.discharge) || !tl.PreChecks.Equal(tc.pre) {
			t.Errorf("session %d: end %v, discharge %v, pre-checks %v", tc.i, tl.EndOfAdministration, tl.EarliestDischarge, tl.PreChecks)
		}
		want := []schedule.TimelineEvent{{Name: "blood pressure", At: tc.oxime}, {Name: "blood pressure", At: tc.bp2}, {Name: "pulse oximetry", At: tc.oxime}}
		if diff := cmp.Diff(want, tl.Checks); diff != "" {
			t.Errorf("session %d checks (-want +got):\n%s", tc.i, diff)
		}
	}
}

// A level a clinician chose is a decision: not proposed, and the ladder's
// proposals are measured from it. A proposal never skips a level: it is the
// level of the session before, one higher after advance_after_sessions
// sessions in a row at that level (decided ones counted). The IV ladder is
// 0.5, 0.6, 0.75 mg/kg × 80 kg = 40, 48, 60 mg, three sessions a level;
// the nasal one 56, 84 mg, one session a level. Levels in the options are
// 0-based.
func TestPlanLevelsAreDecisions(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	iv := loadExample(t, "iv-ketamine-trd")
	nasal := loadExample(t, "esketamine-nasal")
	tests := []struct {
		name     string
		p        *schedule.Protocol
		levels   map[int]int
		doses    []string
		proposed []bool
	}{
		// 1–3 at the first level; 4 decided at the second; 5, 6 complete
		// its three; 7–9 rise to the third, above the decided second.
		{"IV: escalation at session 4 decided", iv, map[int]int{4: 1},
			[]string{"40 mg", "40 mg", "40 mg", "48 mg", "48 mg", "48 mg", "60 mg", "60 mg", "60 mg"},
			[]bool{false, false, false, false, false, false, true, true, true}},
		// 1–4 at the first level (4 decided): 5 rises to the second, which
		// 6 and 7 complete; 8 rises to the third.
		{"IV: session 4 kept at the first level", iv, map[int]int{4: 0},
			[]string{"40 mg", "40 mg", "40 mg", "40 mg", "48 mg", "48 mg", "48 mg", "60 mg", "60 mg"},
			[]bool{false, false, false, false, true, true, true, true, true}},
		// The case: 4–6 kept at the first level, so the boosters are
		// proposed one level up (48 mg), never two (60 mg).
		{"IV: sessions 4 to 6 kept at the first level", iv, map[int]int{4: 0, 5: 0, 6: 0},
			[]string{"40 mg", "40 mg", "40 mg", "40 mg", "40 mg", "40 mg", "48 mg", "48 mg", "48 mg"},
			[]bool{false, false, false, false, false, false, true, true, true}},
		{"IV: whole series decided", iv, map[int]int{1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1},
			[]string{"40 mg", "40 mg", "40 mg", "48 mg", "48 mg", "48 mg", "48 mg", "48 mg", "48 mg"},
			[]bool{false, false, false, false, false, false, false, false, false}},
		// 7 decided back at the first level: 8 and 9 stay there (two more
		// of its three), not proposals.
		{"IV: a de-escalation is a decision too", iv, map[int]int{7: 0},
			[]string{"40 mg", "40 mg", "40 mg", "48 mg", "48 mg", "48 mg", "40 mg", "40 mg", "40 mg"},
			[]bool{false, false, false, true, true, true, false, false, false}},
		// A clinician may decide a jump (session 2 at the third level); the
		// proposals go on from it, at the top of the ladder.
		{"IV: a decided jump", iv, map[int]int{2: 2},
			[]string{"40 mg", "60 mg", "60 mg", "60 mg", "60 mg"},
			[]bool{false, false, false, false, false}},
		// Session 5 decided at the third level: 4, before it, is proposed at
		// the second (rising from 1–3); 6 on stays at the decided third.
		{"IV: a later decision does not change the proposals before it", iv, map[int]int{5: 2},
			[]string{"40 mg", "40 mg", "40 mg", "48 mg", "60 mg", "60 mg"},
			[]bool{false, false, false, true, false, false}},
		{"nasal: session 2 kept at 56 mg", nasal, map[int]int{2: 0},
			[]string{"56 mg", "56 mg", "84 mg"}, []bool{false, false, true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl := mustPlan(t, tc.p, adult80(), "2025-03-03", cal, schedule.PlanOptions{Levels: tc.levels})
			n := len(tc.doses)
			var proposed []bool
			for _, s := range pl.Sessions[:n] {
				proposed = append(proposed, s.Proposed)
			}
			if diff := cmp.Diff(tc.doses, sessionDoses(pl)[:n]); diff != "" {
				t.Errorf("doses (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.proposed, proposed); diff != "" {
				t.Errorf("proposed (-want +got):\n%s", diff)
			}
		})
	}
}

// The session-day timeline across daylight-saving changes. Offsets within a
// day are elapsed time: a session that starts at 01:30 EST on 2025-03-09 in
// New York (06:30 UTC) ends its 40 min infusion at 07:10 UTC, which the
// clocks show as 03:10 EDT. Every instant below is worked out in UTC by
// hand from the start instant, then shown on the local clock.
func TestPlanTimelineAcrossDST(t *testing.T) {
	single := edit(t, baseYAML,
		"{name: induction, sessions: 6, weekdays: [mon, wed, fri]}", "{name: single, sessions: 1, weekdays: [sun]}",
		"session: {pre_checks: 30 min, observation: 30 min}",
		"session: {pre_checks: 30 min, observation: 30 min, checks: [{name: bp, at: 10 min}, {name: bp, at: 20 min}, {name: bp, at: 30 min}, {name: bp, at: 40 min}]}")
	p := loadDoc(t, []byte(single))
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name   string
		zone   string
		date   string
		at     schedule.TimeOfDay
		start  time.Time
		wall   []string // pre-checks, checks ×4, end, observation end, as the local clock shows them
		starts string
	}{
		{"New York springs forward at 02:00 EST", "America/New_York", "2025-03-09", schedule.TimeOfDay{Hour: 1, Minute: 30}, utc(2025, 3, 9, 6, 30),
			[]string{"01:00 EST", "01:40 EST", "01:50 EST", "03:00 EDT", "03:10 EDT", "03:10 EDT", "03:40 EDT"}, "01:30 EST"},
		{"New York falls back at 02:00 EDT (first 01:30)", "America/New_York", "2025-11-02", schedule.TimeOfDay{Hour: 1, Minute: 30}, utc(2025, 11, 2, 5, 30),
			[]string{"01:00 EDT", "01:40 EDT", "01:50 EDT", "01:00 EST", "01:10 EST", "01:10 EST", "01:40 EST"}, "01:30 EDT"},
		{"Berlin springs forward at 02:00 CET", "Europe/Berlin", "2025-03-30", schedule.TimeOfDay{Hour: 1, Minute: 30}, utc(2025, 3, 30, 0, 30),
			[]string{"01:00 CET", "01:40 CET", "01:50 CET", "03:00 CEST", "03:10 CEST", "03:10 CEST", "03:40 CEST"}, "01:30 CET"},
		{"Berlin falls back at 03:00 CEST (first 02:30)", "Europe/Berlin", "2025-10-26", schedule.TimeOfDay{Hour: 2, Minute: 30}, utc(2025, 10, 26, 0, 30),
			[]string{"02:00 CEST", "02:40 CEST", "02:50 CEST", "02:00 CET", "02:10 CET", "02:10 CET", "02:40 CET"}, "02:30 CEST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cal := clinic(t, schedule.CalendarConfig{Zone: tc.zone, Open: allWeek, Starts: []schedule.TimeOfDay{tc.at}})
			pl := mustPlan(t, p, adult80(), tc.date, cal, schedule.PlanOptions{})
			if len(pl.Sessions) != 1 {
				t.Fatalf("%d sessions, want 1", len(pl.Sessions))
			}
			tl := pl.Sessions[0].Timeline
			if !tl.Start.Equal(tc.start) || tl.Start.Format("15:04 MST") != tc.starts {
				t.Errorf("start %v (%s), want %v (%s)", tl.Start.UTC(), tl.Start.Format("15:04 MST"), tc.start, tc.starts)
			}
			// Elapsed time, in UTC: −30 min, +10, +20, +30, +40, +40, +70.
			offsets := []time.Duration{-30, 10, 20, 30, 40, 40, 70}
			got := []time.Time{tl.PreChecks}
			for _, c := range tl.Checks {
				got = append(got, c.At)
			}
			got = append(got, tl.EndOfAdministration, tl.ObservationEnd)
			var wall []string
			for i, g := range got {
				if want := tc.start.Add(offsets[i] * time.Minute); !g.Equal(want) {
					t.Errorf("instant %d = %v, want %v", i, g.UTC(), want)
				}
				wall = append(wall, g.Format("15:04 MST"))
			}
			if diff := cmp.Diff(tc.wall, wall); diff != "" {
				t.Errorf("local clock (-want +got):\n%s", diff)
			}
		})
	}
}

// Session-day weights, under a protocol that doses on them: session 2's
// weight of 90 kg gives 0.5 mg/kg × 90 kg = 45 mg, 4.5 mL, 104.5 mL,
// 104.5 × 60/40 = 156.75 → 156.8 mL/h (half up to 0.1 mL/h); the others are
// dosed on the baseline 80 kg and say so.
func TestPlanSessionDayWeight(t *testing.T) {
	p := loadDoc(t, []byte(edit(t, baseYAML, "weight: baseline,", "weight: session_day,")))
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{SessionWeights: map[int]units.Quantity{2: qty("90 kg")}})
	want := []string{"40 mg", "45 mg", "40 mg", "40 mg", "40 mg", "40 mg"}
	if diff := cmp.Diff(want, sessionDoses(pl)); diff != "" {
		t.Errorf("doses (-want +got):\n%s", diff)
	}
	s2 := pl.Sessions[1].Dose
	if !s2.Weight.Value.Equal(qty("90 kg")) || !s2.Preparation.FinalVolume.Equal(qty("104.5 mL")) || !s2.Infusion.PumpRate.Equal(qty("156.8 mL/h")) {
		t.Errorf("session 2: weight %v, final volume %v, pump rate %v", s2.Weight.Value, s2.Preparation.FinalVolume, s2.Infusion.PumpRate)
	}
	for _, s := range pl.Sessions {
		warned := strings.Contains(strings.Join(s.Warnings, "|"), "dosed on the baseline weight 80 kg: no session-day weight given yet")
		if warned != (s.Index != 2) {
			t.Errorf("session %d warnings %q", s.Index, s.Warnings)
		}
	}

	// Under a baseline policy, a session-day weight is not used, and the
	// plan says so rather than ignoring it in silence.
	base := loadDoc(t, []byte(baseYAML))
	pl = mustPlan(t, base, adult80(), "2025-03-03", cal, schedule.PlanOptions{SessionWeights: map[int]units.Quantity{2: qty("90 kg")}})
	if got := sessionDoses(pl)[1]; got != "40 mg" {
		t.Errorf("baseline policy: session 2 dose %s, want 40 mg", got)
	}
	if want := []string{"the weight 90 kg given for session 2 is not used: the protocol doses every session on the baseline weight (policy.weight baseline)"}; !cmp.Equal(want, pl.Warnings) {
		t.Errorf("Warnings = %q, want %q", pl.Warnings, want)
	}
}

// keep_rate keeps the first session's dose rate when the dose changes, and
// recomputes the duration: dose ÷ rate, up to the whole minute.
func TestPlanKeepRate(t *testing.T) {
	doc := edit(t, baseYAML, "on_dose_change: keep_duration", "on_dose_change: keep_rate") +
		"titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}\n"
	p := loadDoc(t, []byte(doc))
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	tests := []struct {
		name     string
		weight   string
		dose     [2]string // sessions 1 and 4
		duration [2]string
		rate     [2]string
		end      string // session 4's end of administration, local
	}{
		// 80 kg: 40 mg over 40 min = 60 mg/h. Session 4: 48 mg ÷ 60 mg/h =
		// 48 min; 104.8 mL ÷ 48 min = 131 mL/h; ends 09:48.
		{"80 kg", "80 kg", [2]string{"40 mg", "48 mg"}, [2]string{"40 min", "48 min"}, [2]string{"156 mL/h", "131 mL/h"}, "09:48"},
		// 73 kg: 36.5 mg → 3.65 mL → 3.7 mL (half up) = 37 mg over 40 min
		// = 55.5 mg/h; 107.7... no: 103.7 mL × 60/40 = 155.55 → 155.6 mL/h.
		// Session 4: 43.8 mg → 4.38 mL → 4.4 mL = 44 mg; 44 ÷ 55.5 × 60 =
		// 47.57 min → 48 min (up, so the rate stays at or below 55.5 mg/h);
		// 104.4 mL ÷ 48 min = 130.5 mL/h.
		{"73 kg", "73 kg", [2]string{"37 mg", "44 mg"}, [2]string{"40 min", "48 min"}, [2]string{"155.6 mL/h", "130.5 mL/h"}, "09:48"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl := mustPlan(t, p, dosing.Patient{Weight: qty(tc.weight), AgeYears: 45}, "2025-03-03", cal, schedule.PlanOptions{})
			for i, idx := range []int{1, 4} {
				s := pl.Sessions[idx-1]
				in := s.Dose.Infusion
				if s.Dose.Dose.String() != tc.dose[i] || in.Duration.String() != tc.duration[i] || in.PumpRate.String() != tc.rate[i] {
					t.Errorf("session %d: %v over %v at %v; want %s over %s at %s", idx, s.Dose.Dose, in.Duration, in.PumpRate, tc.dose[i], tc.duration[i], tc.rate[i])
				}
			}
			s4 := pl.Sessions[3]
			if got := s4.Timeline.EndOfAdministration.Format("15:04"); got != tc.end {
				t.Errorf("session 4 ends at %s, want %s", got, tc.end)
			}
			// The delivered dose rate never exceeds the first session's.
			if c, _ := s4.Dose.Infusion.IntendedDoseRate.Cmp(pl.Sessions[0].Dose.Infusion.IntendedDoseRate); c > 0 {
				t.Errorf("session 4 dose rate %v above session 1's %v", s4.Dose.Infusion.IntendedDoseRate, pl.Sessions[0].Dose.Infusion.IntendedDoseRate)
			}
			if w := strings.Join(s4.Warnings, "|"); !strings.Contains(w, "the duration is 48 min, to keep the first session's dose rate") {
				t.Errorf("session 4 warnings %q", s4.Warnings)
			}
			if w := strings.Join(pl.Sessions[1].Warnings, "|"); strings.Contains(w, "keep_rate") {
				t.Errorf("session 2 (same dose) warns about keep_rate: %q", w)
			}
		})
	}

	// keep_duration (the base protocol) keeps 40 min: 104.8 mL × 60/40 =
	// 157.2 mL/h.
	kd := loadDoc(t, []byte(baseYAML+"titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}\n"))
	pl := mustPlan(t, kd, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	if in := pl.Sessions[3].Dose.Infusion; in.Duration.String() != "40 min" || in.PumpRate.String() != "157.2 mL/h" {
		t.Errorf("keep_duration: session 4 over %v at %v, want 40 min at 157.2 mL/h", in.Duration, in.PumpRate)
	}
}

// Cumulative caps: the 7-day cap moves a session, the daily and series caps
// drop one, and the plan says so.
func TestPlanCumulativeCaps(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	nasal4 := edit(t, nasalYAML, "sessions: 8,", "sessions: 4,")
	tests := []struct {
		name    string
		doc     string
		dates   []string
		moved   map[int]string // session → the date it moved from
		dropped []schedule.Dropped
		total   string
	}{
		{
			// 56 mg Mon + 56 mg Thu = 112 mg > 100 mg in 7 days: each Thursday
			// session moves to the next day whose 7 days hold one session.
			// Thu Mar 6 and Fri Mar 7 still see Mon Mar 3; Sat, Sun closed;
			// Mon Mar 10 sees only itself. Then Thu 13 → Mon 17, Thu 20 →
			// Mon 24.
			name:  "7-day cap moves",
			doc:   nasal4 + "caps: {per_7_days: 100 mg}\n",
			dates: []string{"2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"},
			moved: map[int]string{2: "2025-03-06", 3: "2025-03-13", 4: "2025-03-20"},
			total: "224 mg",
		},
		{
			// 5 × 40 mg = 200 mg, not above 200 mg; a sixth would be 240 mg.
			name:    "series cap drops",
			doc:     baseYAML + "caps: {per_series: 200 mg}\n",
			dates:   []string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12"},
			dropped: []schedule.Dropped{{Phase: "induction", Number: 6, Date: day(t, "2025-03-14")}},
			total:   "200 mg",
		},
		{
			// 56 mg on day 1, then 84 mg > 70 mg a day: every later session
			// is dropped.
			name:  "daily cap drops",
			doc:   nasal4 + "titration: {steps: [56 mg, 84 mg], advance_after_sessions: 1}\ncaps: {per_day: 70 mg}\n",
			dates: []string{"2025-03-03"},
			dropped: []schedule.Dropped{
				{Phase: "induction", Number: 2, Date: day(t, "2025-03-06")},
				{Phase: "induction", Number: 3, Date: day(t, "2025-03-10")},
				{Phase: "induction", Number: 4, Date: day(t, "2025-03-13")},
			},
			total: "56 mg",
		},
		{
			// One 56 mg dose alone is above 50 mg in 7 days: no day can take
			// it, so it is dropped at once rather than searched for a year.
			name:  "7-day cap below one dose drops",
			doc:   edit(t, nasal4, "sessions: 4,", "sessions: 2,") + "caps: {per_7_days: 50 mg}\n",
			dates: []string{},
			dropped: []schedule.Dropped{
				{Phase: "induction", Number: 1, Date: day(t, "2025-03-03")},
				{Phase: "induction", Number: 2, Date: day(t, "2025-03-06")},
			},
		},
		{
			name:  "caps that hold change nothing",
			doc:   nasal4 + "caps: {per_day: 56 mg, per_7_days: 112 mg, per_series: 224 mg}\n",
			dates: []string{"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13"},
			total: "224 mg",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := loadDoc(t, []byte(tc.doc))
			pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
			if diff := cmp.Diff(tc.dates, sessionDates(pl)); diff != "" {
				t.Errorf("dates (-want +got):\n%s", diff)
			}
			for _, s := range pl.Sessions {
				want, moved := tc.moved[s.Index]
				if got := s.MovedFrom.String(); got != want {
					t.Errorf("session %d moved from %q, want %q", s.Index, got, want)
				}
				if moved && !hasReason(s.Reasons, "cumulative_cap_7_days") {
					t.Errorf("session %d reasons %v do not name the 7-day cap", s.Index, s.Reasons)
				}
			}
			var dropped []schedule.Dropped
			for _, d := range pl.Dropped {
				if !strings.HasPrefix(string(d.Reason.Code), "cumulative_cap_") || d.Reason.Detail == "" {
					t.Errorf("dropped %+v: reason is not a cumulative cap", d)
				}
				d.Reason = schedule.Reason{}
				dropped = append(dropped, d)
			}
			if diff := cmp.Diff(tc.dropped, dropped); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
			if tc.total == "" {
				if pl.TotalDose.IsValid() {
					t.Errorf("TotalDose = %v, want none", pl.TotalDose)
				}
			} else if !pl.TotalDose.Equal(qty(tc.total)) {
				t.Errorf("TotalDose = %v, want %s", pl.TotalDose, tc.total)
			}
		})
	}
}

func hasReason(rs []schedule.Reason, code schedule.ReasonCode) bool {
	for _, r := range rs {
		if r.Code == code {
			return true
		}
	}
	return false
}

// The caps' messages, as the plan shows them.
func TestPlanCumulativeCapMessages(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	p := loadDoc(t, []byte(baseYAML+"caps: {per_series: 200 mg}\n"))
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	want := schedule.Reason{Date: day(t, "2025-03-14"), Code: "cumulative_cap_series", Detail: "series cap 200 mg would be exceeded (240 mg)"}
	if len(pl.Dropped) != 1 || pl.Dropped[0].Reason != want {
		t.Errorf("Dropped = %+v, want reason %+v", pl.Dropped, want)
	}
	p = loadDoc(t, []byte(edit(t, nasalYAML, "sessions: 8,", "sessions: 2,")+"caps: {per_7_days: 100 mg}\n"))
	pl = mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	r := pl.Sessions[1].Reasons
	if len(r) == 0 || r[0] != (schedule.Reason{Date: day(t, "2025-03-06"), Code: "cumulative_cap_7_days", Detail: "7-day cap 100 mg would be exceeded (112 mg)"}) {
		t.Errorf("session 2 reasons = %+v", r)
	}
}

// A titration level whose dose crosses a hard limit fails the plan with the
// session's position and the dosing error: 0.6 mg/kg × 80 kg = 48 mg > 45 mg.
func TestPlanHardLimit(t *testing.T) {
	doc := edit(t, baseYAML, "dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}", "dose_per_kg: {soft_max: 0.75 mg/kg, hard_max: 1 mg/kg}\n    dose: {hard_max: 45 mg}") +
		"titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}\n"
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	for _, withCaps := range []bool{false, true} {
		d := doc
		if withCaps { // the cap hook meets the error first
			d += "caps: {per_series: 1000 mg}\n"
		}
		p := loadDoc(t, []byte(d))
		pl, err := schedule.Plan(p, adult80(), day(t, "2025-03-03"), cal, schedule.PlanOptions{})
		var se *schedule.SessionError
		var le *dosing.LimitError
		if pl != nil || !errors.As(err, &se) || !errors.As(err, &le) {
			t.Fatalf("caps %v: Plan = %v, %v; want a *SessionError wrapping a *dosing.LimitError", withCaps, pl, err)
		}
		if se.Index != 4 || le.Field != "dose" || le.Kind != dosing.HardMax || !le.Value.Equal(qty("48 mg")) || !le.Bound.Equal(qty("45 mg")) {
			t.Errorf("caps %v: session %d, limit %+v", withCaps, se.Index, le)
		}
		if !errors.Is(err, dosing.ErrLimitExceeded) || !strings.Contains(err.Error(), "session 4") {
			t.Errorf("caps %v: error %q", withCaps, err)
		}
	}
}

// Bad options and inputs: each a clear error with its path, all at once.
func TestPlanBadOptions(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	iv := loadExample(t, "iv-ketamine-trd")
	flat := loadDoc(t, []byte(baseYAML))
	tests := []struct {
		name  string
		p     *schedule.Protocol
		opt   schedule.PlanOptions
		paths []string
		is    error
	}{
		{"levels without a titration", flat, schedule.PlanOptions{Levels: map[int]int{2: 1}}, []string{"options.levels[2]"}, schedule.ErrConflict},
		{"level beyond the ladder", iv, schedule.PlanOptions{Levels: map[int]int{4: 3, 5: -1}}, []string{"options.levels[4]", "options.levels[5]"}, schedule.ErrRange},
		{"session position 0", iv, schedule.PlanOptions{Levels: map[int]int{0: 1}}, []string{"options.levels[0]"}, schedule.ErrRange},
		{"a given dose in mL", iv, schedule.PlanOptions{GivenDoses: map[int]units.Quantity{1: qty("4 mL")}}, []string{"options.given_doses[1]"}, schedule.ErrConflict},
		{"a negative given dose", iv, schedule.PlanOptions{GivenDoses: map[int]units.Quantity{1: units.New(qty("40 mg").Value().Neg(), units.Milligram)}}, []string{"options.given_doses[1]"}, schedule.ErrRange},
		{"a session weight in mg", iv, schedule.PlanOptions{SessionWeights: map[int]units.Quantity{2: qty("80 mg")}}, []string{"options.session_weights[2]"}, schedule.ErrConflict},
		{"a session weight of 0 kg", iv, schedule.PlanOptions{SessionWeights: map[int]units.Quantity{2: qty("0 kg")}}, []string{"options.session_weights[2]"}, schedule.ErrRange},
		{"an unset given dose", iv, schedule.PlanOptions{GivenDoses: map[int]units.Quantity{2: {}}}, []string{"options.given_doses[2]"}, schedule.ErrMissing},
		{"an unset session weight", iv, schedule.PlanOptions{SessionWeights: map[int]units.Quantity{2: {}}}, []string{"options.session_weights[2]"}, schedule.ErrMissing},
		{"all at once", flat, schedule.PlanOptions{Levels: map[int]int{1: 0}, GivenDoses: map[int]units.Quantity{1: qty("4 mL")}, SessionWeights: map[int]units.Quantity{-1: qty("80 kg")}},
			[]string{"options.given_doses[1]", "options.levels[1]", "options.session_weights[-1]"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl, err := schedule.Plan(tc.p, adult80(), day(t, "2025-03-03"), cal, tc.opt)
			if pl != nil || err == nil {
				t.Fatalf("Plan = %v, %v; want an error", pl, err)
			}
			if diff := cmp.Diff(tc.paths, errPaths(err)); diff != "" {
				t.Errorf("paths (-want +got):\n%s\n%v", diff, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v) = false: %v", tc.is, err)
			}
		})
	}

	// Inputs of Plan itself.
	if _, err := schedule.Plan(nil, adult80(), day(t, "2025-03-03"), cal, schedule.PlanOptions{}); !hasField(err, "protocol", schedule.ErrMissing) {
		t.Errorf("nil protocol: %v", err)
	}
	if _, err := schedule.Plan(iv, adult80(), day(t, "2025-03-03"), nil, schedule.PlanOptions{}); !hasField(err, "calendar", schedule.ErrMissing) {
		t.Errorf("nil calendar: %v", err)
	}
	if _, err := schedule.Plan(iv, adult80(), day(t, "2025-03-04"), cal, schedule.PlanOptions{}); !hasField(err, "start", schedule.ErrConflict) {
		t.Errorf("start on a Tuesday for a Mon/Wed/Fri phase: %v", err)
	}
	closed := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9}, schedule.Closure{Date: day(t, "2025-03-03"), Name: "staff training"})
	if _, err := schedule.Plan(iv, adult80(), day(t, "2025-03-03"), closed, schedule.PlanOptions{}); !hasField(err, "start", schedule.ErrUnavailable) {
		t.Errorf("start on a closed day: %v", err)
	}
	// A patient without a height, under a protocol that needs one for the
	// BMI threshold: the dosing error, with the session.
	_, err := schedule.Plan(iv, dosing.Patient{Weight: qty("80 kg"), AgeYears: 45}, day(t, "2025-03-03"), cal, schedule.PlanOptions{})
	var se *schedule.SessionError
	var ie *dosing.FieldError
	if !errors.As(err, &se) || se.Index != 1 || !errors.As(err, &ie) || ie.Field != "patient.height" {
		t.Errorf("no height: %v", err)
	}
	// An invalid protocol is refused with its own errors.
	bad := *flat
	bad.Policy.Weight = "yesterday"
	if _, err := schedule.Plan(&bad, adult80(), day(t, "2025-03-03"), cal, schedule.PlanOptions{}); !hasField(err, "policy.weight", schedule.ErrRange) {
		t.Errorf("invalid protocol: %v", err)
	}
}

// Replan from what happened, with the dosing carried along: done sessions
// (with the dose given), a missed session, a delay, a stop, and a restart
// after a long gap.
func TestPlanReplan(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	at := func(m time.Month, d, h, min int) time.Time { return inZone(t, "America/New_York", 2025, m, d, h, min) }
	done12 := []schedule.Event{
		{Kind: schedule.Done, Session: 1, At: at(3, 3, 9, 5)},
		{Kind: schedule.Done, Session: 2, At: at(3, 5, 9, 0)},
	}

	t.Run("missed", func(t *testing.T) {
		// Session 3 missed on Fri Mar 7: still owed, planned on the first day
		// the rhythm allows from Sat Mar 8: Mon Mar 10; the weekly grid goes
		// on (Mar 12, 14, then Mon Mar 17), then boosters 28 days apart.
		h := append(done12, schedule.Event{Kind: schedule.Missed, Session: 3, Date: day(t, "2025-03-07")})
		rp, err := pl.Replan(h, day(t, "2025-03-08"), &schedule.PlanOptions{GivenDoses: map[int]units.Quantity{1: qty("38 mg")}})
		if err != nil {
			t.Fatal(err)
		}
		want := []sessionRow{
			{1, "induction", "2025-03-03", "40 mg", "4 mL, 104 mL, 156 mL/h × 40 min", false},
			{2, "induction", "2025-03-05", "40 mg", "4 mL, 104 mL, 156 mL/h × 40 min", false},
			{3, "induction", "2025-03-10", "40 mg", "4 mL, 104 mL, 156 mL/h × 40 min", false},
			{4, "induction", "2025-03-12", "48 mg", "4.8 mL, 104.8 mL, 157.2 mL/h × 40 min", true},
			{5, "induction", "2025-03-14", "48 mg", "4.8 mL, 104.8 mL, 157.2 mL/h × 40 min", true},
			{6, "induction", "2025-03-17", "48 mg", "4.8 mL, 104.8 mL, 157.2 mL/h × 40 min", true},
			{7, "booster", "2025-04-14", "60 mg", "6 mL, 106 mL, 159 mL/h × 40 min", true},
			{8, "booster", "2025-05-12", "60 mg", "6 mL, 106 mL, 159 mL/h × 40 min", true},
			{9, "booster", "2025-06-09", "60 mg", "6 mL, 106 mL, 159 mL/h × 40 min", true},
		}
		if diff := cmp.Diff(want, sessionRows(rp)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		if !rp.Sessions[0].Done || !rp.Sessions[1].Done || rp.Sessions[2].Done {
			t.Error("done flags wrong")
		}
		// Session 1 was done at 09:05: its timeline starts there.
		if tl := rp.Sessions[0].Timeline; !tl.Start.Equal(at(3, 3, 9, 5)) || !tl.EndOfAdministration.Equal(at(3, 3, 9, 45)) {
			t.Errorf("session 1 timeline %v to %v", tl.Start, tl.EndOfAdministration)
		}
		if !rp.Sessions[0].Given.Equal(qty("38 mg")) || rp.Sessions[1].Given.IsValid() {
			t.Errorf("given: %v, %v", rp.Sessions[0].Given, rp.Sessions[1].Given)
		}
		// 38 (given) + 40 + 40 + 3 × 48 + 3 × 60 = 442 mg.
		if !rp.TotalDose.Equal(qty("442 mg")) {
			t.Errorf("TotalDose = %v, want 442 mg", rp.TotalDose)
		}
		if len(rp.History) != 3 || rp.Protocol != pl.Protocol {
			t.Errorf("history %v, provenance %+v", rp.History, rp.Protocol)
		}
		// Replan returns a new plan; the first one is unchanged.
		if pl.Sessions[2].Date != day(t, "2025-03-07") || pl.Sessions[0].Done {
			t.Error("Replan changed the plan it started from")
		}
	})

	t.Run("delayed", func(t *testing.T) {
		h := append(done12, schedule.Event{Kind: schedule.Delayed, Session: 3, Date: day(t, "2025-03-10"), Note: "patient asked"})
		rp, err := pl.Replan(h, day(t, "2025-03-06"), nil)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2025-03-03", "2025-03-05", "2025-03-10", "2025-03-12", "2025-03-14", "2025-03-17", "2025-04-14", "2025-05-12", "2025-06-09"}
		if diff := cmp.Diff(want, sessionDates(rp)); diff != "" {
			t.Errorf("dates (-want +got):\n%s", diff)
		}
		s3 := rp.Sessions[2]
		if s3.MovedFrom != day(t, "2025-03-07") || !hasReason(s3.Reasons, schedule.ReasonDelayed) {
			t.Errorf("session 3 moved from %v, reasons %v", s3.MovedFrom, s3.Reasons)
		}
	})

	t.Run("stopped", func(t *testing.T) {
		h := append(done12, schedule.Event{Kind: schedule.Stopped, Date: day(t, "2025-03-06"), Note: "patient's choice"})
		rp, err := pl.Replan(h, day(t, "2025-03-06"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rp.Sessions) != 2 || rp.Stopped == nil || rp.Stopped.Note != "patient's choice" {
			t.Errorf("sessions %v, stopped %+v", sessionDates(rp), rp.Stopped)
		}
		if !rp.TotalDose.Equal(qty("80 mg")) {
			t.Errorf("TotalDose = %v, want 80 mg (two sessions of 40 mg)", rp.TotalDose)
		}
	})

	t.Run("restart after a long gap", func(t *testing.T) {
		// Sessions 1–7 as planned, then nothing until Mon Sep 1: 143 days
		// after Apr 11, more than restart.after 120 days. Induction starts
		// again from Sep 1 (Mon/Wed/Fri: Sep 1, 3, 5, 8, 10, 12), then the
		// boosters 28 days after Sep 12: Oct 10, Nov 7, Dec 5.
		var h []schedule.Event
		for i, d := range []string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12", "2025-03-14", "2025-04-11"} {
			dd := day(t, d)
			h = append(h, schedule.Event{Kind: schedule.Done, Session: i + 1, At: inZone(t, "America/New_York", dd.Year, dd.Month, dd.Day, 9, 0)})
		}
		rp, err := pl.Replan(h, day(t, "2025-09-01"), &schedule.PlanOptions{Levels: map[int]int{4: 1, 7: 2}})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12", "2025-03-14", "2025-04-11",
			"2025-09-01", "2025-09-03", "2025-09-05", "2025-09-08", "2025-09-10", "2025-09-12", "2025-10-10", "2025-11-07", "2025-12-05"}
		if diff := cmp.Diff(want, sessionDates(rp)); diff != "" {
			t.Errorf("dates (-want +got):\n%s", diff)
		}
		if len(rp.Restarts) != 1 || rp.Restarts[0].Index != 8 || rp.Restarts[0].Days != 143 || rp.Restarts[0].Phase != "induction" {
			t.Errorf("Restarts = %+v", rp.Restarts)
		}
		// Session 7 was done at the ladder's last level (0.75 mg/kg × 80 kg =
		// 60 mg). The restart begins the ladder again, three sessions a
		// level, never skipping one: sessions 8–10 at 0.5 mg/kg = 40 mg (the
		// first level, not a proposal), 11–13 at 0.6 mg/kg = 48 mg and 14–16
		// at 60 mg, both proposed until a clinician decides.
		want8 := []struct {
			dose     string
			proposed bool
		}{{"40 mg", false}, {"40 mg", false}, {"40 mg", false}, {"48 mg", true}, {"48 mg", true}, {"48 mg", true},
			{"60 mg", true}, {"60 mg", true}, {"60 mg", true}}
		for i, s := range rp.Sessions[7:] {
			if w := want8[i]; s.Dose.Dose.String() != w.dose || s.Proposed != w.proposed {
				t.Errorf("session %d: %v, proposed %v; want %s, proposed %v", s.Index, s.Dose.Dose, s.Proposed, w.dose, w.proposed)
			}
		}
		if rp.Sessions[6].Proposed {
			t.Error("session 7 was done: not a proposal")
		}
	})

	t.Run("bad history", func(t *testing.T) {
		h := []schedule.Event{{Kind: schedule.Done, Session: 2, At: at(3, 3, 9, 0)}}
		if _, err := pl.Replan(h, day(t, "2025-03-04"), nil); !hasField(err, "history[0].session", schedule.ErrHistory) {
			t.Errorf("Replan = %v", err)
		}
		if _, err := pl.Replan(nil, day(t, "2025-03-04"), &schedule.PlanOptions{Levels: map[int]int{1: 9}}); !hasField(err, "options.levels[1]", schedule.ErrRange) {
			t.Errorf("Replan with bad options = %v", err)
		}
		var zero schedule.SessionPlan
		if _, err := zero.Replan(nil, day(t, "2025-03-04"), nil); !hasField(err, "plan", schedule.ErrMissing) {
			t.Errorf("Replan of the zero plan = %v", err)
		}
	})
}

// Replan counts the sessions already done towards the cumulative caps: with
// a series cap of 200 mg and three 40 mg sessions done, sessions 4 and 5
// reach 200 mg and session 6 is dropped. With the doses given recorded as
// 0 mg for sessions 1 and 2, 40 + 3 × 40 = 160 mg: nothing is dropped.
func TestPlanReplanCountsDoneSessionsTowardsCaps(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML+"caps: {per_series: 200 mg}\n"))
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	pl := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	var h []schedule.Event
	for i, d := range []int{3, 5, 7} {
		h = append(h, schedule.Event{Kind: schedule.Done, Session: i + 1, At: inZone(t, "America/New_York", 2025, time.March, d, 9, 0)})
	}
	rp, err := pl.Replan(h, day(t, "2025-03-08"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := sessionDates(rp); len(got) != 5 || len(rp.Dropped) != 1 || rp.Dropped[0].Number != 6 || !rp.TotalDose.Equal(qty("200 mg")) {
		t.Errorf("dates %v, dropped %+v, total %v; want 5 sessions, session 6 dropped, 200 mg", got, rp.Dropped, rp.TotalDose)
	}
	given := map[int]units.Quantity{1: qty("0 mg"), 2: qty("0 mg")}
	rp, err = pl.Replan(h, day(t, "2025-03-08"), &schedule.PlanOptions{GivenDoses: given})
	if err != nil {
		t.Fatal(err)
	}
	if got := sessionDates(rp); len(got) != 6 || len(rp.Dropped) != 0 || !rp.TotalDose.Equal(qty("160 mg")) {
		t.Errorf("with given doses: dates %v, dropped %+v, total %v; want 6 sessions, none dropped, 160 mg", got, rp.Dropped, rp.TotalDose)
	}
	// A given dose for a session not done is not counted, and the plan says so.
	rp, err = pl.Replan(h[:1], day(t, "2025-03-04"), &schedule.PlanOptions{GivenDoses: map[int]units.Quantity{2: qty("10 mg")}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"the dose 10 mg given at session 2 is not counted: the history does not record session 2 as done"}; !cmp.Equal(want, rp.Warnings) {
		t.Errorf("Warnings = %q", rp.Warnings)
	}
}

func TestCheckVitals(t *testing.T) {
	iv := loadExample(t, "iv-ketamine-trd")
	v := func(sys, dia, hr, spo2 string) schedule.Vitals {
		var r schedule.Vitals
		for _, f := range []struct {
			dst *units.Quantity
			s   string
		}{{&r.Systolic, sys}, {&r.Diastolic, dia}, {&r.HeartRate, hr}, {&r.SpO2, spo2}} {
			if f.s != "" {
				*f.dst = qty(f.s)
			}
		}
		return r
	}
	// The example's gates: warn above 140/90 mmHg or SpO2 below 94 %; hold
	// above 180/100 mmHg or a heart rate above 110 /min.
	tests := []struct {
		name     string
		readings schedule.Vitals
		decision schedule.Decision
		gates    []string
	}{
		{"all within", v("120 mmHg", "80 mmHg", "70 /min", "98 %"), schedule.Proceed, nil},
		{"at the limits", v("140 mmHg", "90 mmHg", "110 /min", "94 %"), schedule.Proceed, nil},
		{"systolic above the warn limit", v("150 mmHg", "85 mmHg", "80 /min", "98 %"), schedule.Warn, []string{"warn.systolic_above"}},
		{"systolic above the hold limit", v("185 mmHg", "95 mmHg", "80 /min", "98 %"), schedule.Hold, []string{"hold.systolic_above", "warn.diastolic_above"}},
		{"low SpO2 warns", v("120 mmHg", "80 mmHg", "70 /min", "93 %"), schedule.Warn, []string{"warn.spo2_below"}},
		{"heart rate not measured holds", v("120 mmHg", "80 mmHg", "", "98 %"), schedule.Hold, []string{"hold.heart_rate_above"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := schedule.CheckVitals(iv, tc.readings)
			if err != nil {
				t.Fatal(err)
			}
			var gates []string
			for _, f := range c.Findings {
				gates = append(gates, f.Gate)
			}
			if c.Decision != tc.decision || !cmp.Equal(tc.gates, gates) {
				t.Errorf("CheckVitals = %v %v, want %v %v", c.Decision, gates, tc.decision, tc.gates)
			}
		})
	}
	// No vitals section: an error, never a silent "proceed".
	pain := loadExample(t, "chronic-pain-infusion")
	if _, err := schedule.CheckVitals(pain, v("250 mmHg", "150 mmHg", "150 /min", "80 %")); !hasField(err, "vitals", schedule.ErrMissing) {
		t.Errorf("CheckVitals without gates = %v", err)
	}
	if _, err := schedule.CheckVitals(nil, schedule.Vitals{}); !hasField(err, "vitals", schedule.ErrMissing) {
		t.Errorf("CheckVitals(nil) = %v", err)
	}
	// A reading in the wrong unit is an error.
	if _, err := schedule.CheckVitals(iv, v("120 mmHg", "80 mmHg", "70 %", "98 %")); err == nil {
		t.Error("a heart rate in % was accepted")
	}
}

// Plan, Replan and Calculate only read the protocol: many goroutines may
// use one loaded protocol at once (run with -race).
func TestPlanConcurrentUse(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	want := mustPlan(t, p, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	var wg sync.WaitGroup
	results := make([]*schedule.SessionPlan, 8)
	errs := make([]error, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = schedule.Plan(p, adult80(), day(t, "2025-03-03"), cal, schedule.PlanOptions{})
			if errs[i] == nil {
				_, errs[i] = results[i].Replan(nil, day(t, "2025-03-03"), nil)
			}
			if errs[i] == nil {
				_, errs[i] = p.Calculate(adult80(), dosing.Options{})
			}
		}()
	}
	wg.Wait()
	for i, r := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if diff := cmp.Diff(sessionRows(want), sessionRows(r)); diff != "" {
			t.Errorf("goroutine %d (-want +got):\n%s", i, diff)
		}
	}
}

// The end of an infusion is when the pump stops at its programmed rate
// (WC11: 0.5 mg/kg × 73.4 kg = 36.7 mg = 3.67 mL of 10 mg/mL with a 0.01 mL
// step; 103.67 mL ÷ 40 min = 155.505 mL/h, programmed 155.5 mL/h, which runs
// 103.67 ÷ 155.5 h = 40.0013 min = 2400.08 s: the end is 2401 s after the
// start, to the second above), and a loading dose runs before it (10 min
// more).
func TestPlanTimelineRunTimeAndLoading(t *testing.T) {
	cal := weekdaysAt(t, "Europe/Berlin", schedule.TimeOfDay{Hour: 9})
	start := inZone(t, "Europe/Berlin", 2025, time.March, 3, 9, 0)
	wc11 := loadDoc(t, []byte(edit(t, baseYAML, "draw_step: 0.1 mL", "draw_step: 0.01 mL")))
	pl := mustPlan(t, wc11, dosing.Patient{Weight: qty("73.4 kg"), AgeYears: 45}, "2025-03-03", cal, schedule.PlanOptions{})
	in := pl.Sessions[0].Dose.Infusion
	if !in.PumpRate.Equal(qty("155.5 mL/h")) || !pl.Sessions[0].Dose.Preparation.FinalVolume.Equal(qty("103.67 mL")) {
		t.Fatalf("pump rate %v, final volume %v; want WC11's 155.5 mL/h, 103.67 mL", in.PumpRate, pl.Sessions[0].Dose.Preparation.FinalVolume)
	}
	tl := pl.Sessions[0].Timeline
	if want := start.Add(2401 * time.Second); !tl.EndOfAdministration.Equal(want) || !tl.ObservationEnd.Equal(want.Add(30*time.Minute)) {
		t.Errorf("end %v, observation end %v; want %v and 30 min later", tl.EndOfAdministration, tl.ObservationEnd, want)
	}

	loading := loadDoc(t, []byte(edit(t, baseYAML, "infusion: {duration: 40 min,", "infusion: {duration: 40 min, loading: {dose: 0.1 mg/kg, duration: 10 min},")))
	pl = mustPlan(t, loading, adult80(), "2025-03-03", cal, schedule.PlanOptions{})
	if got, want := pl.Sessions[0].Timeline.EndOfAdministration, start.Add(50*time.Minute); !got.Equal(want) {
		t.Errorf("with a loading dose, end %v, want %v (10 + 40 min)", got, want)
	}
}

// Civil dates across the year end and a leap day, with doses: Mon/Thu from
// Mon 2027-12-27 with Dec 30 closed: Dec 31 (Fri) keeps 48 h and two in 7
// days; Mon Jan 3; Thu Jan 6 would be the third session in Dec 31 – Jan 6
// (max_per_7_days 2), so Fri Jan 7. Tue/Fri from Tue 2028-02-22 takes Tue
// Feb 29.
func TestPlanYearEndAndLeapDay(t *testing.T) {
	p := loadDoc(t, []byte(edit(t, nasalYAML, "sessions: 8,", "sessions: 4,")))
	closed := weekdaysAt(t, "Europe/Berlin", schedule.TimeOfDay{Hour: 9}, schedule.Closure{Date: day(t, "2027-12-30"), Name: "year-end closure"})
	pl := mustPlan(t, p, adult80(), "2027-12-27", closed, schedule.PlanOptions{})
	if diff := cmp.Diff([]string{"2027-12-27", "2027-12-31", "2028-01-03", "2028-01-07"}, sessionDates(pl)); diff != "" {
		t.Errorf("year end (-want +got):\n%s", diff)
	}
	if pl.Sessions[1].MovedFrom != day(t, "2027-12-30") || pl.Sessions[3].MovedFrom != day(t, "2028-01-06") || !pl.TotalDose.Equal(qty("224 mg")) {
		t.Errorf("session 2 moved from %v; total %v (want 4 × 56 = 224 mg)", pl.Sessions[1].MovedFrom, pl.TotalDose)
	}
	leap := loadDoc(t, []byte(edit(t, nasalYAML, "sessions: 8, weekdays: [mon, thu]", "sessions: 4, weekdays: [tue, fri]")))
	pl = mustPlan(t, leap, adult80(), "2028-02-22", weekdaysAt(t, "Europe/Berlin", schedule.TimeOfDay{Hour: 9}), schedule.PlanOptions{})
	if diff := cmp.Diff([]string{"2028-02-22", "2028-02-25", "2028-02-29", "2028-03-03"}, sessionDates(pl)); diff != "" {
		t.Errorf("leap day (-want +got):\n%s", diff)
	}
	if got := pl.Sessions[2].Timeline.EarliestDischarge; !got.Equal(inZone(t, "Europe/Berlin", 2028, time.February, 29, 11, 5)) {
		t.Errorf("Feb 29 discharge %v, want 11:05 (devices at 0 and 5 min, 2 h after the last)", got)
	}
}

// An observation time the timeline cannot hold is an error, not a wrap.
func TestPlanTimelineTooLong(t *testing.T) {
	p := loadDoc(t, []byte(edit(t, baseYAML, "observation: 30 min", "observation: 100000 h")))
	_, err := schedule.Plan(p, adult80(), day(t, "2025-03-03"), weekdaysAt(t, "UTC", schedule.TimeOfDay{Hour: 9}), schedule.PlanOptions{})
	if !hasField(err, "session", schedule.ErrRange) {
		t.Errorf("Plan = %v, want a session range error", err)
	}
}

// The plan's total is split into the doses at decided levels and the
// proposed ones, which add up to it. IV, 80 kg: 0.5, 0.6, 0.75 mg/kg give
// 40, 48, 60 mg.
func TestPlanTotalDecidedAndProposed(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	iv := loadExample(t, "iv-ketamine-trd")
	nasal := loadExample(t, "esketamine-nasal")
	tests := []struct {
		name                     string
		p                        *schedule.Protocol
		levels                   map[int]int
		total, decided, proposed string
		proposedSessions, allOf  int
	}{
		// 1–3 at 40 mg decided (120 mg); 4–6 at 48 and 7–9 at 60 mg
		// proposed (144 + 180 = 324 mg).
		{"no decision", iv, nil, "444 mg", "120 mg", "324 mg", 6, 9},
		// 1–6 at 40 mg (240 mg), the boosters proposed at 48 mg (144 mg).
		{"sessions 4 to 6 kept", iv, map[int]int{4: 0, 5: 0, 6: 0}, "384 mg", "240 mg", "144 mg", 3, 9},
		// Every level chosen: 3 × 40 + 6 × 48 = 408 mg, nothing proposed.
		{"all decided", iv, map[int]int{1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1}, "408 mg", "408 mg", "0 mg", 0, 9},
		// Nasal, 18 sessions: 56 mg decided at session 1, then 17 × 84 mg
		// proposed = 1,428 mg; 1,484 mg in all.
		{"nasal", nasal, nil, "1,484 mg", "56 mg", "1,428 mg", 17, 18},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl := mustPlan(t, tc.p, adult80(), "2025-03-03", cal, schedule.PlanOptions{Levels: tc.levels})
			got := []string{pl.TotalDose.String(), pl.DecidedDose.String(), pl.ProposedDose.String()}
			if diff := cmp.Diff([]string{tc.total, tc.decided, tc.proposed}, got); diff != "" {
				t.Errorf("total, decided, proposed (-want +got):\n%s", diff)
			}
			n := 0
			for _, s := range pl.Sessions {
				if s.Proposed {
					n++
				}
			}
			if n != tc.proposedSessions || len(pl.Sessions) != tc.allOf {
				t.Errorf("%d of %d sessions proposed, want %d of %d", n, len(pl.Sessions), tc.proposedSessions, tc.allOf)
			}
		})
	}
}

// An acknowledged warning is in the plan table, with its reason and who
// gave it: 176 lb = 79.8323 kg, 60 mg = 0.7516 mg/kg, above the soft
// maximum 0.75 mg/kg at sessions 7–9.
func TestPlanTableShowsAcknowledgements(t *testing.T) {
	cal := weekdaysAt(t, "America/New_York", schedule.TimeOfDay{Hour: 9})
	iv := loadExample(t, "iv-ketamine-trd")
	pt := adult80()
	pt.Weight = qty("176 lb")
	pl := mustPlan(t, iv, pt, "2025-03-03", cal, schedule.PlanOptions{Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "booster level agreed", By: "Dr A"}}})
	var b strings.Builder
	if err := pl.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		acked := strings.Contains(line, "acknowledged dose_per_kg.soft_max: booster level agreed (Dr A)")
		booster := strings.Contains(line, "booster ")
		if strings.Contains(line, "induction ") && acked || booster && !acked {
			t.Errorf("booster rows carry the acknowledgement, induction rows none:\n%s", line)
		}
	}
	if pl.NeedReview != 0 {
		t.Errorf("NeedReview = %d after the acknowledgement", pl.NeedReview)
	}
}
