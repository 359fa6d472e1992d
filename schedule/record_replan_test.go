package schedule_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/schedule"
)

// changeLines writes a diff compactly, one change a line, for the tests'
// expectations: "3 moved Fri 2025-03-07 09:00 → Mon 2025-03-10 09:00: why".
func changeLines(d schedule.PlanDiff) []string {
	var out []string
	for _, c := range d.Changes {
		out = append(out, fmt.Sprintf("%d %s %s → %s: %s", c.Index, c.Kind, stateText(c.Before, c.Kind), stateText(c.After, c.Kind), strings.Join(c.Reasons, "; ")))
	}
	return out
}

func stateText(s *schedule.SessionState, k schedule.ChangeKind) string {
	switch {
	case s == nil:
		return "—"
	case k == schedule.ChangePhase:
		return fmt.Sprintf("%s %d/%d", s.Phase, s.Number, s.Of)
	case k == schedule.ChangeRelevelled:
		return fmt.Sprintf("level %d %s", s.Level+1, s.Dose)
	case k == schedule.ChangeDose && s.Given.IsValid():
		return s.Given.String() + " given"
	case k == schedule.ChangeDose:
		return s.Dose.String()
	}
	return s.Date.Weekday().String()[:3] + " " + s.Date.String() + " " + s.Start.Format("15:04")
}

// recordOf builds a record of protocol p from entries, numbered in order,
// each recorded by "RN".
func recordOf(p *schedule.Protocol, entries ...schedule.RecordEntry) *schedule.Record {
	r := schedule.NewRecord("MRN-1", p)
	for i, e := range entries {
		e.ID = i + 1
		if e.RecordedBy == "" {
			e.RecordedBy = "RN"
		}
		r.Entries = append(r.Entries, e)
	}
	return r
}

func doneAt(n int, at time.Time, dose string) schedule.RecordEntry {
	return schedule.RecordEntry{Session: n, Outcome: schedule.Done, At: at, Given: &schedule.Given{Dose: qty(dose)}}
}

func replanRecord(t *testing.T, pl *schedule.SessionPlan, rec *schedule.Record, from string) *schedule.SessionPlan {
	t.Helper()
	np, err := pl.ReplanRecord(rec, day(t, from))
	if err != nil {
		t.Fatalf("ReplanRecord: %v", err)
	}
	return np
}

// The cumulative caps count the doses actually given. baseYAML gives 0.5
// mg/kg × 80 kg = 40 mg on Mon, Wed, Fri; with a series cap of 200 mg the
// plan has five sessions (5 × 40 = 200 mg) and drops the sixth (240 mg).
// Sessions 1 and 2 were given 60 mg each: 120 mg, so 3 and 4 take the total
// to 200 mg, and 5 (Wed Mar 12, 240 mg) and 6 (Fri Mar 14) are dropped.
func TestReplanRecordCapsCountDosesGiven(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML+"caps: {per_series: 200 mg}\n"))
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	if diff := cmp.Diff([]string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12"}, sessionDates(pl)); diff != "" {
		t.Fatalf("the plan's dates (-want +got):\n%s", diff)
	}
	rec := recordOf(p, doneAt(1, ny(t, 3, 3, 9, 0), "60 mg"), doneAt(2, ny(t, 3, 5, 9, 0), "60 mg"))
	np := replanRecord(t, pl, rec, "2025-03-06")
	if diff := cmp.Diff([]string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10"}, sessionDates(np)); diff != "" {
		t.Errorf("the replanned dates (-want +got):\n%s", diff)
	}
	if got := np.TotalDose.String(); got != "200 mg" {
		t.Errorf("total %s, want 60 + 60 + 40 + 40 = 200 mg", got)
	}
	want := []string{
		"1 dose 40 mg → 60 mg given: 60 mg was given, as recorded; the plan had 40 mg (+20 mg, +50 %)",
		"2 dose 40 mg → 60 mg given: 60 mg was given, as recorded; the plan had 40 mg (+20 mg, +50 %)",
		"5 dropped Wed 2025-03-12 09:00 → —: left out on 2025-03-12: series cap 200 mg would be exceeded (240 mg)",
	}
	d := schedule.Diff(pl, np)
	if diff := cmp.Diff(want, changeLines(d)); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if d.Unchanged != 2 || d.From != day(t, "2025-03-06") {
		t.Errorf("Unchanged %d, From %s; want sessions 3 and 4 unchanged, from 2025-03-06", d.Unchanged, d.From)
	}
}

// The restart rule applies to the gap the record shows. Sessions 1 and 2
// were done on Mar 3 and 5; replanned from Mon May 5, session 3 comes 61
// days (26 in March, 30 in April, 5 in May) after session 2, more than the
// rule's 30: induction starts again at session 3, whose six sessions fall on
// May 5, 7, 9, 12, 14 and 16, so the series has two sessions more.
func TestReplanRecordRestart(t *testing.T) {
	p := loadDoc(t, []byte(edit(t, baseYAML, "  min_interval: 44 h\n", "  min_interval: 44 h\n  restart: {after: 30 days, phase: induction}\n")))
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	rec := recordOf(p, doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"), doneAt(2, ny(t, 3, 5, 9, 0), "40 mg"))
	np := replanRecord(t, pl, rec, "2025-05-05")
	if diff := cmp.Diff([]string{"2025-03-03", "2025-03-05", "2025-05-05", "2025-05-07", "2025-05-09", "2025-05-12", "2025-05-14", "2025-05-16"}, sessionDates(np)); diff != "" {
		t.Errorf("the replanned dates (-want +got):\n%s", diff)
	}
	restart := `the 61-day gap after the session on 2025-03-05 restarts phase "induction" (series.restart)`
	later := "the series restarted at session 3: " + restart
	want := []string{
		"3 phase induction 3/6 → induction 1/6: " + restart,
		"3 moved Fri 2025-03-07 09:00 → Mon 2025-05-05 09:00: no outcome recorded for 2025-03-07; planned again from 2025-05-05; " + restart,
		"4 phase induction 4/6 → induction 2/6: " + later,
		"4 moved Mon 2025-03-10 09:00 → Wed 2025-05-07 09:00: no outcome recorded for 2025-03-10; planned again from 2025-05-05",
		"5 phase induction 5/6 → induction 3/6: " + later,
		"5 moved Wed 2025-03-12 09:00 → Fri 2025-05-09 09:00: no outcome recorded for 2025-03-12; planned again from 2025-05-05",
		"6 phase induction 6/6 → induction 4/6: " + later,
		"6 moved Fri 2025-03-14 09:00 → Mon 2025-05-12 09:00: no outcome recorded for 2025-03-14; planned again from 2025-05-05",
		"7 added — → Wed 2025-05-14 09:00: " + later,
		"8 added — → Fri 2025-05-16 09:00: " + later,
	}
	if diff := cmp.Diff(want, changeLines(schedule.Diff(pl, np))); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

// A level given is a clinician's decision the ladder goes on from. The IV
// example proposes level 2 after three sessions at level 1 (advance after
// 3), and level 3 after three more: sessions 1–3 at 40 mg (0.5 mg/kg ×
// 80 kg), 4–6 at 48 mg, 7–9 at 60 mg. Session 4 was given at level 1: four
// sessions in a row at level 1, so 5, 6 and 7 are proposed at level 2
// (48 mg) and 8 and 9 at level 3.
func TestReplanRecordLevelGiven(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	fourth := doneAt(4, ny(t, 3, 10, 9, 0), "40 mg")
	fourth.Given.Level = 1
	rec := recordOf(p, doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"), doneAt(2, ny(t, 3, 5, 9, 0), "40 mg"), doneAt(3, ny(t, 3, 7, 9, 0), "40 mg"), fourth)
	np := replanRecord(t, pl, rec, "2025-03-11")
	if diff := cmp.Diff([]string{"40 mg", "40 mg", "40 mg", "40 mg", "48 mg", "48 mg", "48 mg", "60 mg", "60 mg"}, sessionDoses(np)); diff != "" {
		t.Errorf("the replanned doses (-want +got):\n%s", diff)
	}
	want := []string{
		"4 relevelled level 2 48 mg → level 1 40 mg: level 1 (0.5 mg/kg) was given, as recorded",
		"7 relevelled level 3 60 mg → level 2 48 mg: session 4 was given level 1 (0.5 mg/kg), not level 2 (0.6 mg/kg): the ladder goes on from the level given",
	}
	if diff := cmp.Diff(want, changeLines(schedule.Diff(pl, np))); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	// Against the plan it was given from, session 4 differs in level and
	// dose: 40 − 48 = −8 mg, −8 ÷ 48 = −16.666…%.
	devs, err := pl.Deviations(rec.Entries[3])
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range devs {
		got = append(got, d.Field+": "+d.Detail)
	}
	wantDev := []string{
		"level: level 1 (0.5 mg/kg) was given; the plan had level 2 (0.6 mg/kg), as a proposal",
		"dose: the dose given 40 mg differs from the plan's 48 mg (−8 mg, ≈ −16.6667 %)",
	}
	if diff := cmp.Diff(wantDev, got); diff != "" {
		t.Errorf("Deviations (-want +got):\n%s", diff)
	}
}

// A missed session is owed: it goes to the next day its rhythm allows, and
// the series goes on from there (the boosters start 28 days after the last
// induction session, Mar 17 instead of Mar 14).
func TestReplanRecordMissed(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	rec := recordOf(p, doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"), doneAt(2, ny(t, 3, 5, 9, 0), "40 mg"),
		schedule.RecordEntry{Session: 3, Outcome: schedule.Missed, Date: day(t, "2025-03-07"), Notes: "flu"})
	np := replanRecord(t, pl, rec, "2025-03-08")
	cause := "session 3 was missed on 2025-03-07: the series goes on from its next attempt"
	want := []string{
		"3 moved Fri 2025-03-07 09:00 → Mon 2025-03-10 09:00: missed on 2025-03-07 (flu): it is owed and planned again",
		"4 moved Mon 2025-03-10 09:00 → Wed 2025-03-12 09:00: " + cause,
		"5 moved Wed 2025-03-12 09:00 → Fri 2025-03-14 09:00: " + cause,
		"6 moved Fri 2025-03-14 09:00 → Mon 2025-03-17 09:00: " + cause,
		"7 moved Fri 2025-04-11 09:00 → Mon 2025-04-14 09:00: " + cause,
		"8 moved Fri 2025-05-09 09:00 → Mon 2025-05-12 09:00: " + cause,
		"9 moved Fri 2025-06-06 09:00 → Mon 2025-06-09 09:00: " + cause,
	}
	d := schedule.Diff(pl, np)
	if diff := cmp.Diff(want, changeLines(d)); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
	if d.Unchanged != 2 {
		t.Errorf("Unchanged = %d, want 2", d.Unchanged)
	}
}

// After a stop nothing more is planned, and the diff says why each planned
// session is gone.
func TestReplanRecordStopped(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML))
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	rec := recordOf(p, doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"),
		schedule.RecordEntry{Outcome: schedule.Stopped, At: ny(t, 3, 6, 10, 0), Reason: "hypertension"})
	np := replanRecord(t, pl, rec, "2025-03-07")
	var want []string
	for i, d := range []string{"Wed 2025-03-05", "Fri 2025-03-07", "Mon 2025-03-10", "Wed 2025-03-12", "Fri 2025-03-14"} {
		want = append(want, fmt.Sprintf("%d dropped %s 09:00 → —: treatment stopped on 2025-03-06: hypertension", i+2, d))
	}
	if diff := cmp.Diff(want, changeLines(schedule.Diff(pl, np))); diff != "" {
		t.Errorf("Diff (-want +got):\n%s", diff)
	}
}

// A correction takes the place of what it corrects, and a withdrawn entry
// does not count: the record below says session 1 was done with 38 mg and
// session 2 done on Mar 5, so session 2's missed entry (withdrawn) is not
// a history of its own.
func TestReplanRecordCorrections(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML))
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	fixed := doneAt(1, ny(t, 3, 3, 9, 0), "38 mg")
	fixed.Corrects, fixed.Reason = 1, "38 mg were given, not 40 mg"
	rec := recordOf(p, doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"),
		schedule.RecordEntry{Session: 2, Outcome: schedule.Missed, Date: day(t, "2025-03-05")},
		fixed,
		schedule.RecordEntry{Corrects: 2, Outcome: schedule.EnteredInError, Reason: "another patient's session"},
		doneAt(2, ny(t, 3, 5, 9, 0), "40 mg"))
	np := replanRecord(t, pl, rec, "2025-03-06")
	if got := np.TotalDose.String(); got != "238 mg" {
		t.Errorf("total %s, want 38 mg given + 5 × 40 mg = 238 mg", got)
	}
	if diff := cmp.Diff(sessionDates(pl), sessionDates(np)); diff != "" {
		t.Errorf("the dates changed (-plan +replanned):\n%s", diff)
	}
}

// Replan's history errors name the record's entries.
func TestReplanRecordErrors(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML))
	pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9()), schedule.PlanOptions{})
	tests := []struct {
		name    string
		entries []schedule.RecordEntry
		from    string
		field   string
		is      error
	}{
		{"session 2 before session 1", []schedule.RecordEntry{doneAt(2, ny(t, 3, 3, 9, 0), "40 mg")}, "2025-03-04", "entries[0].session", schedule.ErrHistory},
		{"a done session after the replanning date", []schedule.RecordEntry{doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"), doneAt(2, ny(t, 3, 5, 9, 0), "40 mg")},
			"2025-03-04", "entries[1].at", schedule.ErrHistory},
		{"a delay to a day already past", []schedule.RecordEntry{doneAt(1, ny(t, 3, 3, 9, 0), "40 mg"),
			{Session: 2, Outcome: schedule.Delayed, To: day(t, "2025-03-06")}}, "2025-03-10", "entries[1].to", schedule.ErrHistory},
		{"an entry after the stop", []schedule.RecordEntry{{Outcome: schedule.Stopped, Date: day(t, "2025-03-04"), Reason: "moved away"},
			doneAt(1, ny(t, 3, 5, 9, 0), "40 mg")}, "2025-03-06", "entries[1]", schedule.ErrHistory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := pl.ReplanRecord(recordOf(p, tt.entries...), day(t, tt.from))
			if !hasField(err, tt.field, tt.is) {
				t.Errorf("ReplanRecord: %v; want %s", err, tt.field)
			}
		})
	}
	other := recordOf(loadDoc(t, []byte(nasalYAML)))
	if _, err := pl.ReplanRecord(other, day(t, "2025-03-03")); !hasField(err, "protocol.sha256", schedule.ErrConflict) {
		t.Errorf("a record of another protocol: %v", err)
	}
}

// A record that followed the plan replans to the plan: whatever number of
// sessions were done as planned (at their planned start, with their planned
// dose), and whichever days the clinic closed, replanning from the day
// after the last one changes nothing.
func TestReplanRecordFollowingThePlanIsThePlan(t *testing.T) {
	p := loadExample(t, "iv-ketamine-trd")
	rapid.Check(t, func(rt *rapid.T) {
		var closed []schedule.Closure
		for _, off := range rapid.SliceOfNDistinct(rapid.IntRange(1, 120), 0, 4, rapid.ID).Draw(rt, "closed days after the start") {
			closed = append(closed, schedule.Closure{Date: day(t, "2025-03-03").AddDays(off)})
		}
		pl := mustPlan(t, p, adult80(), "2025-03-03", weekdaysAt(t, "America/New_York", at9(), closed...), schedule.PlanOptions{})
		k := rapid.IntRange(0, len(pl.Sessions)).Draw(rt, "sessions done")
		var entries []schedule.RecordEntry
		from := pl.Start
		for _, s := range pl.Sessions[:k] {
			entries = append(entries, doneAt(s.Index, s.Start, s.Dose.Dose.String()))
			from = s.Date.AddDays(1)
		}
		np, err := pl.ReplanRecord(recordOf(p, entries...), from)
		if err != nil {
			rt.Fatalf("ReplanRecord: %v", err)
		}
		d := schedule.Diff(pl, np)
		if len(d.Changes) != 0 || d.Unchanged != len(pl.Sessions) {
			rt.Fatalf("a record that followed the plan changed it:\n%s", strings.Join(changeLines(d), "\n"))
		}
	})
}

func at9() schedule.TimeOfDay { return schedule.TimeOfDay{Hour: 9} }
