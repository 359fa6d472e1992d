package schedule_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// Dropped sessions and the restart rule (Series.Restart, Options.Check): a
// session the Check drops is left out on purpose and keeps the series going,
// so a gap that only dropping makes never restarts the series; a gap that a
// closure, the Check's rejections or the history make still does.

// droppedRows writes each Dropped as one line a person can read in a diff:
// "boosters 1 2025-02-03 test_drop".
func droppedRows(ds []schedule.Dropped) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Phase+" "+strconv.Itoa(d.Number)+" "+d.Date.String()+" "+string(d.Reason.Code))
	}
	return out
}

// dropOn returns a Check that drops every candidate on the given days, with
// code "test_drop", and accepts the others.
func dropOn(t *testing.T, days ...string) schedule.CheckFunc {
	set := map[schedule.Date]bool{}
	for _, d := range days {
		set[day(t, d)] = true
	}
	return func(c schedule.Slot, _ []schedule.Slot) (schedule.Verdict, error) {
		if set[c.Date] {
			return schedule.Verdict{Action: schedule.Drop, Code: "test_drop", Detail: "dropped by the test"}, nil
		}
		return schedule.Verdict{}, nil
	}
}

// rejectFrom returns a Check that rejects every candidate from day a
// through day b, with code "test_reject", and accepts the others.
func rejectFrom(t *testing.T, a, b string) schedule.CheckFunc {
	from, through := day(t, a), day(t, b)
	return func(c schedule.Slot, _ []schedule.Slot) (schedule.Verdict, error) {
		if !c.Date.Before(from) && !c.Date.After(through) {
			return schedule.Verdict{Action: schedule.Reject, Code: "test_reject", Detail: "rejected by the test"}, nil
		}
		return schedule.Verdict{}, nil
	}
}

// weeklyThenBoosters is the series of the drop and restart cases: three
// weekly induction sessions, then four boosters every 14 days, restarting
// induction after a gap of more than 28 days. On a calendar open every day,
// from Mon 2025-01-06: induction Jan 6, 13, 20; boosters Jan 20 + 14 = Feb 3,
// Feb 17, Mar 3, Mar 17.
func weeklyThenBoosters() schedule.Series {
	return schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 3, Every: qty("7 days")},
			{Name: "boosters", Sessions: 4, Every: qty("14 days")},
		},
		MinInterval: qty("0 h"),
		Restart:     &schedule.RestartRule{After: qty("28 days"), Phase: "induction"},
	}
}

// mondaysOnly is the series and calendar of the reported case: open Mondays
// only at 00:30 UTC; three phases of one session a day for 1, 2 and 3 weeks;
// restart after the given gap.
func mondaysOnly(after string) schedule.Series {
	return schedule.Series{
		Phases: []schedule.Phase{
			{Name: "a", Every: qty("1 day"), Duration: qty("1 week")},
			{Name: "b", Every: qty("1 day"), Duration: qty("2 weeks")},
			{Name: "c", Every: qty("1 day"), Duration: qty("3 weeks")},
		},
		MinInterval: qty("0 h"),
		Restart:     &schedule.RestartRule{After: qty(after), Phase: "a"},
	}
}

// dropAfterFirst drops every session after the first.
func dropAfterFirst(_ schedule.Slot, placed []schedule.Slot) (schedule.Verdict, error) {
	if len(placed) >= 1 {
		return schedule.Verdict{Action: schedule.Drop, Code: "test_drop", Detail: "dropped by the test"}, nil
	}
	return schedule.Verdict{}, nil
}

func TestPlanDropsAndRestart(t *testing.T) {
	everyDay := schedule.CalendarConfig{Zone: "UTC", Open: allWeek, Starts: at0900}
	mondays := schedule.CalendarConfig{Zone: "UTC", Open: []schedule.Weekday{schedule.Monday}, Starts: []schedule.TimeOfDay{{Minute: 30}}}
	withClosed := func(cfg schedule.CalendarConfig, cs ...schedule.Closure) schedule.CalendarConfig {
		cfg.Closed = cs
		return cfg
	}
	tests := []struct {
		name     string
		reason   string
		cfg      schedule.CalendarConfig
		series   schedule.Series
		check    schedule.CheckFunc
		start    string
		dates    []string
		dropped  []string
		restarts []schedule.Restart
		warnings []string // substrings, one per warning
	}{
		{
			name: "reported case: drops across closures end the series without a restart",
			reason: "a: Jan 1; Jan 2 is closed, Wed to Sun are not open, Mon Jan 8 is closed: a 2 goes to Mon Jan 15 and is dropped, " +
				"which ends a (its next day Jan 16 is after Jan 7). b runs Jan 16 to 29: Jan 22, Jan 29 dropped. " +
				"c runs Jan 30 to Feb 19: Feb 5, 12, 19 dropped. Feb 19 is 49 days after Jan 1 but 7 after the dropped Feb 12. " +
				"(Before the fix: restart at Feb 19, its first session dropped, restart again on Feb 26, … up to 1000 sessions.)",
			cfg: withClosed(mondays, schedule.Closure{Date: day(t, "2024-01-02")},
				schedule.Closure{Date: day(t, "2024-01-04"), Through: day(t, "2024-01-08")}),
			series:  mondaysOnly("42 days"),
			check:   dropAfterFirst,
			start:   "2024-01-01",
			dates:   []string{"2024-01-01"},
			dropped: []string{"a 2 2024-01-15 test_drop", "b 1 2024-01-22 test_drop", "b 2 2024-01-29 test_drop", "c 1 2024-02-05 test_drop", "c 2 2024-02-12 test_drop", "c 3 2024-02-19 test_drop"},
		},
		{
			name: "reported case without closures: no restart.after conflict",
			reason: "a 2: Jan 2 → Mon Jan 8, dropped; b Jan 9 to 22: Jan 15, 22; c Jan 23 to Feb 12: Jan 29, Feb 5, 12. " +
				"Feb 12 is 42 days after Jan 1, more than 41, but 7 after the dropped Feb 5. " +
				"(Before the fix: series.restart.after blamed on the rhythm and the open weekdays.)",
			cfg:     mondays,
			series:  mondaysOnly("41 days"),
			check:   dropAfterFirst,
			start:   "2024-01-01",
			dates:   []string{"2024-01-01"},
			dropped: []string{"a 2 2024-01-08 test_drop", "b 1 2024-01-15 test_drop", "b 2 2024-01-22 test_drop", "c 1 2024-01-29 test_drop", "c 2 2024-02-05 test_drop", "c 3 2024-02-12 test_drop"},
		},
		{
			name: "drops that fill a gap longer than restart.after do not restart, and the plan warns",
			reason: "boosters 1 and 2 (Feb 3, 17) dropped; booster 3 on Mar 3 is 42 days after Jan 20 (> 28) but 14 after Feb 17: " +
				"no restart, the rhythm goes on (Mar 17), and the 42-day gap is a warning",
			cfg:     everyDay,
			series:  weeklyThenBoosters(),
			check:   dropOn(t, "2025-02-03", "2025-02-17"),
			start:   "2025-01-06",
			dates:   []string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-03-03", "2025-03-17"},
			dropped: []string{"boosters 1 2025-02-03 test_drop", "boosters 2 2025-02-17 test_drop"},
			warnings: []string{"sessions 3 on 2025-01-20 and 4 on 2025-03-03 are 42 days apart, more than restart.after 28 days, " +
				"because 2 sessions between them were dropped (the last on 2025-02-17)"},
		},
		{
			name: "a closure after drops still restarts",
			reason: "booster 1 (Feb 3) dropped; booster 2 (Feb 17) moves past the closure Feb 11 to Mar 20, to Mar 21: " +
				"46 days after the dropped Feb 3 (> 28), 60 after session 3 on Jan 20. Induction again Mar 21, 28, Apr 4; " +
				"boosters Apr 18, May 2, 16, 30",
			cfg:      withClosed(everyDay, schedule.Closure{Date: day(t, "2025-02-11"), Through: day(t, "2025-03-20")}),
			series:   weeklyThenBoosters(),
			check:    dropOn(t, "2025-02-03"),
			start:    "2025-01-06",
			dates:    []string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-03-21", "2025-03-28", "2025-04-04", "2025-04-18", "2025-05-02", "2025-05-16", "2025-05-30"},
			dropped:  []string{"boosters 1 2025-02-03 test_drop"},
			restarts: []schedule.Restart{{Index: 4, Phase: "induction", Previous: day(t, "2025-01-20"), Date: day(t, "2025-03-21"), Days: 60}},
		},
		{
			name: "a restart whose first session is dropped restarts once",
			reason: "as above, and the restarted induction 1 on Mar 21 is dropped too: induction 2 on Mar 28 is 67 days after Jan 20 " +
				"but 7 after the dropped Mar 21, so it does not restart again. (Before the fix: a second restart on Mar 28, and the " +
				"first one without a date.)",
			cfg:      withClosed(everyDay, schedule.Closure{Date: day(t, "2025-02-11"), Through: day(t, "2025-03-20")}),
			series:   weeklyThenBoosters(),
			check:    dropOn(t, "2025-02-03", "2025-03-21"),
			start:    "2025-01-06",
			dates:    []string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-03-28", "2025-04-04", "2025-04-18", "2025-05-02", "2025-05-16", "2025-05-30"},
			dropped:  []string{"boosters 1 2025-02-03 test_drop", "induction 1 2025-03-21 test_drop"},
			restarts: []schedule.Restart{{Index: 4, Phase: "induction", Previous: day(t, "2025-01-20"), Date: day(t, "2025-03-21"), Days: 60}},
		},
		{
			name: "a drop ends a phase bounded by a duration; the next phase starts after it without a restart",
			reason: "induction every 7 days for 3 weeks: Jan 6, 13, and Jan 20 dropped. Boosters start 28 days after the phase's " +
				"last session, the dropped Jan 20: Feb 17, Mar 3, 17. Feb 17 is 35 days after Jan 13 (> 30) but 28 after Jan 20. " +
				"(Before the fix: series.restart.after conflict.)",
			cfg: everyDay,
			series: schedule.Series{
				Phases: []schedule.Phase{
					{Name: "induction", Duration: qty("3 weeks"), Every: qty("7 days")},
					{Name: "boosters", Sessions: 3, Every: qty("14 days"), StartAfter: qty("28 days")},
				},
				MinInterval: qty("0 h"),
				Restart:     &schedule.RestartRule{After: qty("30 days"), Phase: "induction"},
			},
			check:    dropOn(t, "2025-01-20"),
			start:    "2025-01-06",
			dates:    []string{"2025-01-06", "2025-01-13", "2025-02-17", "2025-03-03", "2025-03-17"},
			dropped:  []string{"induction 3 2025-01-20 test_drop"},
			warnings: []string{"sessions 2 on 2025-01-13 and 3 on 2025-02-17 are 35 days apart, more than restart.after 30 days, because 1 session between them was dropped"},
		},
		{
			name: "rejections up to restart.after move a session without restarting",
			reason: "booster 2 (Feb 17) is rejected through Mar 2 and goes to Mar 3, 28 days after booster 1 on Feb 3: not more " +
				"than 28. Boosters 3 and 4 follow 14 days apart: Mar 17, 31",
			cfg:    everyDay,
			series: weeklyThenBoosters(),
			check:  rejectFrom(t, "2025-02-04", "2025-03-02"),
			start:  "2025-01-06",
			dates:  []string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-02-03", "2025-03-03", "2025-03-17", "2025-03-31"},
		},
		{
			name: "rejections past restart.after restart the series, not a calendar conflict",
			reason: "booster 2 (Feb 17) is rejected through Mar 3 (28 days after Feb 3); Mar 4 is 29 days after: induction " +
				"begins again there, is rejected through Mar 10 and takes Mar 11 (36 days after Feb 3); then Mar 18, 25; " +
				"boosters Apr 8, 22, May 6, 20. (Before the fix: series.restart.after blamed on the rhythm and the calendar.)",
			cfg:      everyDay,
			series:   weeklyThenBoosters(),
			check:    rejectFrom(t, "2025-02-04", "2025-03-10"),
			start:    "2025-01-06",
			dates:    []string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-02-03", "2025-03-11", "2025-03-18", "2025-03-25", "2025-04-08", "2025-04-22", "2025-05-06", "2025-05-20"},
			restarts: []schedule.Restart{{Index: 5, Phase: "induction", Previous: day(t, "2025-02-03"), Date: day(t, "2025-03-11"), Days: 36}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := tt.series.Plan(day(t, tt.start), clinic(t, tt.cfg), schedule.Options{Check: tt.check})
			if err != nil {
				t.Fatalf("Plan: %v (%s)", err, tt.reason)
			}
			if diff := cmp.Diff(tt.dates, dates(tab.Slots)); diff != "" {
				t.Errorf("dates (-want +got):\n%s\n%s", diff, tt.reason)
			}
			if diff := cmp.Diff(tt.dropped, droppedRows(tab.Dropped)); diff != "" {
				t.Errorf("dropped (-want +got):\n%s\n%s", diff, tt.reason)
			}
			if diff := cmp.Diff(tt.restarts, tab.Restarts); diff != "" {
				t.Errorf("restarts (-want +got):\n%s\n%s", diff, tt.reason)
			}
			if len(tab.Warnings) != len(tt.warnings) {
				t.Fatalf("warnings %q, want %d", tab.Warnings, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.Contains(tab.Warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, tab.Warnings[i], w)
				}
			}
		})
	}
}

// TestPlanDroppedRestartExplained: the session after a restart says why it
// restarted, the drops before the restart included; when the Check dropped
// the restarted phase's first session, the next session and the table say
// that the phase began again on the dropped one's day.
func TestPlanDroppedRestartExplained(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: allWeek, Starts: at0900,
		Closed: []schedule.Closure{{Date: day(t, "2025-02-11"), Through: day(t, "2025-03-20")}}})
	tests := []struct {
		name   string
		check  schedule.CheckFunc
		reason string // the restart reason of session 4
		line   string // the table's restart line
	}{
		{
			name:   "first session placed",
			check:  dropOn(t, "2025-02-03"),
			reason: `restarts phase "induction": 60 days after session 3 on 2025-01-20, more than restart.after 28 days, and 46 days after the last session dropped before it, on 2025-02-03`,
			line:   `Restart: session 4 begins phase "induction" again, 60 days after the session on 2025-01-20`,
		},
		{
			name:  "first session dropped",
			check: dropOn(t, "2025-02-03", "2025-03-21"),
			reason: `phase "induction" began again on 2025-03-21, where its first session was dropped: 60 days after session 3 on 2025-01-20, ` +
				`more than restart.after 28 days, and 46 days after the last session dropped before it, on 2025-02-03`,
			line: `Restart: phase "induction" begins again on 2025-03-21, 60 days after the session on 2025-01-20; its first session there was dropped ` +
				`(session 4 is the first one after the restart)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := weeklyThenBoosters().Plan(day(t, "2025-01-06"), cal, schedule.Options{Check: tt.check})
			if err != nil {
				t.Fatal(err)
			}
			want := schedule.Reason{Date: day(t, "2025-03-21"), Code: schedule.ReasonRestart, Detail: tt.reason}
			if rs := tab.Slots[3].Reasons; len(rs) == 0 || rs[len(rs)-1] != want {
				t.Errorf("session 4 reasons = %+v\nwant last %+v", rs, want)
			}
			var b strings.Builder
			if err := tab.WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "\n"+tt.line+"\n") {
				t.Errorf("table has no line %q:\n%s", tt.line, b.String())
			}
		})
	}
}

// TestPlanEveryRestartedSessionDropped: a restart after which the Check drops
// every session is still listed, dated by the restarted phase's first
// (dropped) session, and the table says that no session follows it.
func TestPlanEveryRestartedSessionDropped(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: allWeek, Starts: at0900,
		Closed: []schedule.Closure{{Date: day(t, "2025-02-11"), Through: day(t, "2025-03-20")}}})
	// Booster 1 (Feb 3) is placed; booster 2 goes past the closure to Mar 21,
	// 46 days after Feb 3: induction begins again there, and from then on the
	// Check drops everything: induction Mar 21, 28, Apr 4, boosters Apr 18,
	// May 2, 16, 30.
	check := func(c schedule.Slot, _ []schedule.Slot) (schedule.Verdict, error) {
		if c.Date.After(day(t, "2025-03-20")) {
			return schedule.Verdict{Action: schedule.Drop, Code: "test_drop", Detail: "dropped by the test"}, nil
		}
		return schedule.Verdict{}, nil
	}
	tab, err := weeklyThenBoosters().Plan(day(t, "2025-01-06"), cal, schedule.Options{Check: check})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-02-03"}, dates(tab.Slots)); diff != "" {
		t.Errorf("dates (-want +got):\n%s", diff)
	}
	wantDropped := []string{"induction 1 2025-03-21 test_drop", "induction 2 2025-03-28 test_drop", "induction 3 2025-04-04 test_drop",
		"boosters 1 2025-04-18 test_drop", "boosters 2 2025-05-02 test_drop", "boosters 3 2025-05-16 test_drop", "boosters 4 2025-05-30 test_drop"}
	if diff := cmp.Diff(wantDropped, droppedRows(tab.Dropped)); diff != "" {
		t.Errorf("dropped (-want +got):\n%s", diff)
	}
	wantRestarts := []schedule.Restart{{Index: 5, Phase: "induction", Previous: day(t, "2025-02-03"), Date: day(t, "2025-03-21"), Days: 46}}
	if diff := cmp.Diff(wantRestarts, tab.Restarts); diff != "" {
		t.Errorf("restarts (-want +got):\n%s", diff)
	}
	var b strings.Builder
	if err := tab.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	line := `Restart: phase "induction" begins again on 2025-03-21, 46 days after the session on 2025-02-03; its first session there was dropped` + "\n"
	if !strings.Contains(b.String(), line) {
		t.Errorf("table has no line %q:\n%s", line, b.String())
	}
}

// doneAsPlanned is the history of the first n sessions of tab done at their
// planned starts.
func doneAsPlanned(tab *schedule.Timetable, n int) []schedule.Event {
	var h []schedule.Event
	for _, s := range tab.Slots[:n] {
		h = append(h, schedule.Event{Kind: schedule.Done, Session: s.Index, At: s.Start})
	}
	return h
}

// TestReplanAfterDrops: a history records sessions, not the sessions the
// plan dropped; Replan drops them again, so that they count towards their
// phase and fill the gap for the restart rule as they did in the plan.
func TestReplanAfterDrops(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: allWeek, Starts: at0900})
	// The plan: induction Jan 6, 13, 20; boosters 1 and 2 (Feb 3, 17)
	// dropped; boosters 3 and 4 on Mar 3, 17, without a restart.
	plan, err := weeklyThenBoosters().Plan(day(t, "2025-01-06"), cal, schedule.Options{Check: dropOn(t, "2025-02-03", "2025-02-17")})
	if err != nil {
		t.Fatal(err)
	}
	wantDropped := []string{"boosters 1 2025-02-03 test_drop", "boosters 2 2025-02-17 test_drop"}
	tests := []struct {
		name    string
		reason  string
		history []schedule.Event
		from    string
		rows    []string
	}{
		{
			name: "a history that followed the plan replans to the plan",
			reason: "session 4 done on Mar 3 is 42 days after Jan 20, but the dropped boosters 1 and 2 are dropped again " +
				"before it: it is booster 3, not a restart",
			history: doneAsPlanned(plan, 4),
			from:    "2025-03-04",
			rows: []string{
				"1 induction 1/3 2025-01-06 Mon 09:00 UTC done",
				"2 induction 2/3 2025-01-13 Mon 09:00 UTC done",
				"3 induction 3/3 2025-01-20 Mon 09:00 UTC done",
				"4 boosters 3/4 2025-03-03 Mon 09:00 UTC done",
				"5 boosters 4/4 2025-03-17 Mon 09:00 UTC",
			},
		},
		{
			name: "replanning after the drops, before the next session, does not restart",
			reason: "from Feb 25, 36 days after Jan 20: the drops on Feb 3 and 17 lie in the past and are dropped again; " +
				"booster 3 stays on Mar 3",
			history: doneAsPlanned(plan, 3),
			from:    "2025-02-25",
			rows: []string{
				"1 induction 1/3 2025-01-06 Mon 09:00 UTC done",
				"2 induction 2/3 2025-01-13 Mon 09:00 UTC done",
				"3 induction 3/3 2025-01-20 Mon 09:00 UTC done",
				"4 boosters 3/4 2025-03-03 Mon 09:00 UTC",
				"5 boosters 4/4 2025-03-17 Mon 09:00 UTC",
			},
		},
		{
			name: "a session missed after the drops is owed without a restart",
			reason: "booster 3 missed on Mar 3: the drops before it are dropped again, and it is owed from Mar 4, 15 days after " +
				"the dropped Feb 17; booster 4 follows 14 days later, Mar 18",
			history: append(doneAsPlanned(plan, 3), schedule.Event{Kind: schedule.Missed, Session: 4, Date: day(t, "2025-03-03")}),
			from:    "2025-03-04",
			rows: []string{
				"1 induction 1/3 2025-01-06 Mon 09:00 UTC done",
				"2 induction 2/3 2025-01-13 Mon 09:00 UTC done",
				"3 induction 3/3 2025-01-20 Mon 09:00 UTC done",
				"4 boosters 3/4 2025-03-04 Tue 09:00 UTC",
				"5 boosters 4/4 2025-03-18 Tue 09:00 UTC",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := plan.Replan(tt.history, day(t, tt.from))
			if err != nil {
				t.Fatalf("Replan: %v (%s)", err, tt.reason)
			}
			if diff := cmp.Diff(tt.rows, rows(got.Slots)); diff != "" {
				t.Errorf("Replan() mismatch (-want +got):\n%s\n%s", diff, tt.reason)
			}
			if diff := cmp.Diff(wantDropped, droppedRows(got.Dropped)); diff != "" {
				t.Errorf("dropped (-want +got):\n%s", diff)
			}
			if len(got.Restarts) != 0 {
				t.Errorf("Restarts = %+v, want none", got.Restarts)
			}
			if len(got.Warnings) != 1 || !strings.Contains(got.Warnings[0], "because 2 sessions between them were dropped (the last on 2025-02-17)") {
				t.Errorf("Warnings = %q, want the gap filled by the drops", got.Warnings)
			}
		})
	}
	t.Run("the plan itself", func(t *testing.T) {
		// What the cases above reproduce.
		want := []string{"2025-01-06", "2025-01-13", "2025-01-20", "2025-03-03", "2025-03-17"}
		if diff := cmp.Diff(want, dates(plan.Slots)); diff != "" {
			t.Errorf("dates (-want +got):\n%s", diff)
		}
	})
}

// TestPlanSeriesCapWithRestart is the reported realistic case: the example
// esketamine protocol (restart after 42 days) with a series cap of 1000 mg,
// for 72 kg, from Mon 2025-03-03 on a Mon–Fri 09:00 Berlin calendar.
//
// The doses are 56 mg, then 84 mg (the ladder advances after one session):
// 56 + 11 × 84 = 980 mg ≤ 1000 mg, and a 13th session would make 1064 mg. So
// the eight induction sessions (Mon/Thu) and the four maintenance Mondays
// are kept, and the six continuation sessions (every 2 weeks from the day
// after Apr 21: Apr 28, May 12, 26, Jun 9, 23, Jul 7) are dropped for the
// cap. Jun 9 is 49 days after Apr 21, but 14 after the dropped May 26: the
// cap's drops do not restart induction.
func TestPlanSeriesCapWithRestart(t *testing.T) {
	p := loadDoc(t, append(exampleDoc(t, "esketamine-nasal"), "caps: {per_series: 1000 mg}\n"...))
	if p.Series.Restart == nil {
		t.Fatal("the example protocol no longer has a restart rule: this test needs one")
	}
	cal := weekdaysAt(t, "Europe/Berlin", schedule.TimeOfDay{Hour: 9})
	patient := dosing.Patient{Weight: qty("72 kg"), AgeYears: 45}
	pl, err := schedule.Plan(p, patient, day(t, "2025-03-03"), cal, schedule.PlanOptions{})
	if err != nil {
		t.Fatalf("Plan: %v", err)
	}
	wantDates := []string{
		"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13", "2025-03-17", "2025-03-20", "2025-03-24", "2025-03-27", // induction
		"2025-03-31", "2025-04-07", "2025-04-14", "2025-04-21", // maintenance
	}
	wantDoses := []string{"56 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg", "84 mg"}
	var wantDropped []schedule.Dropped
	for i, d := range []string{"2025-04-28", "2025-05-12", "2025-05-26", "2025-06-09", "2025-06-23", "2025-07-07"} {
		wantDropped = append(wantDropped, schedule.Dropped{Phase: "continuation", PhaseIndex: 2, Number: i + 1, Date: day(t, d),
			Reason: schedule.Reason{Date: day(t, d), Code: "cumulative_cap_series", Detail: "series cap 1,000 mg would be exceeded (1,064 mg)"}})
	}
	check := func(t *testing.T, pl *schedule.SessionPlan) {
		t.Helper()
		if diff := cmp.Diff(wantDates, sessionDates(pl)); diff != "" {
			t.Errorf("dates (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantDoses, sessionDoses(pl)); diff != "" {
			t.Errorf("doses (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(wantDropped, pl.Dropped); diff != "" {
			t.Errorf("dropped (-want +got):\n%s", diff)
		}
		if len(pl.Restarts) != 0 || len(pl.Warnings) != 0 {
			t.Errorf("Restarts %+v, Warnings %q; want none", pl.Restarts, pl.Warnings)
		}
		if !pl.TotalDose.Equal(qty("980 mg")) {
			t.Errorf("TotalDose = %v, want 980 mg", pl.TotalDose)
		}
	}
	check(t, pl)

	// Replanning gives the same plan: with every session done as planned,
	// the day after the last; and months later, when the dropped sessions
	// lie in the past (they are dropped again, not a gap that restarts).
	var history []schedule.Event
	for _, s := range pl.Sessions {
		history = append(history, schedule.Event{Kind: schedule.Done, Session: s.Index, At: s.Start})
	}
	for _, from := range []string{"2025-04-22", "2025-06-01", "2025-09-01"} {
		t.Run("replan from "+from, func(t *testing.T) {
			rp, err := pl.Replan(history, day(t, from), nil)
			if err != nil {
				t.Fatalf("Replan: %v", err)
			}
			check(t, rp)
		})
	}
}

// checkRestartRule checks the restart rule (Series.Restart) of a timetable
// whose sessions are on days (session i+1 on days[i]): a session more than
// after days after the session before it restarts the series unless
// sessions dropped between them fill the gap; a restart is dated, more
// than after days after the session before it and after every session
// dropped since, and follows the session before the gap.
func checkRestartRule(t *rapid.T, after int, days []schedule.Date, dropped []schedule.Dropped, restarts []schedule.Restart) {
	// lastDrop returns the last dropped session strictly between a and b.
	lastDrop := func(a, b schedule.Date) (schedule.Date, bool) {
		var last schedule.Date
		for _, d := range dropped {
			if d.Date.After(a) && d.Date.Before(b) && d.Date.After(last) {
				last = d.Date
			}
		}
		return last, !last.IsZero()
	}
	restartAt := map[int]bool{}
	for _, r := range restarts {
		if r.Date.IsZero() || r.Days != r.Date.DaysSince(r.Previous) || r.Days <= after {
			t.Fatalf("restart %+v: not dated, or not more than %d days after the session before it", r, after)
		}
		if d, ok := lastDrop(r.Previous, r.Date); ok && r.Date.DaysSince(d) <= after {
			t.Fatalf("restart %+v in a gap that the session dropped on %v fills", r, d)
		}
		if r.Index < 2 || r.Index > len(days)+1 || days[r.Index-2] != r.Previous {
			t.Fatalf("restart %+v does not follow the session before the gap", r)
		}
		restartAt[r.Index] = true
	}
	for i := 1; i < len(days); i++ {
		gap := days[i].DaysSince(days[i-1])
		if gap <= after || restartAt[i+1] {
			continue
		}
		if d, ok := lastDrop(days[i-1], days[i]); !ok || days[i].DaysSince(d) > after {
			t.Fatalf("session %d is %d days after session %d without a restart, and no dropped session fills the gap", i+1, gap, i)
		}
	}
}

// TestPlanCheckVerdictProperties plans generated series (genWorld) with a
// Check that drops or rejects the candidates of drawn days, sometimes a run
// of days longer than any restart rule's gap, and checks that planning ends
// (never a restart.after conflict, which only the calendar and the rhythm
// can cause, nor the session bound), the restart rule against the dropped
// sessions, and that the history of the plan done as planned replans to the
// plan, drops and all.
func TestPlanCheckVerdictProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		w := genWorld(t)
		verdicts := map[schedule.Date]schedule.Action{}
		for range rapid.IntRange(0, 12).Draw(t, "verdict days") {
			d := w.start.AddDays(rapid.IntRange(1, 150).Draw(t, "verdict day"))
			verdicts[d] = rapid.SampledFrom([]schedule.Action{schedule.Reject, schedule.Drop}).Draw(t, "verdict")
		}
		if rapid.Bool().Draw(t, "a long run") {
			first := rapid.IntRange(1, 100).Draw(t, "run start")
			action := rapid.SampledFrom([]schedule.Action{schedule.Reject, schedule.Drop}).Draw(t, "run verdict")
			for i := range rapid.IntRange(20, 80).Draw(t, "run days") {
				verdicts[w.start.AddDays(first+i)] = action
			}
		}
		check := func(c schedule.Slot, _ []schedule.Slot) (schedule.Verdict, error) {
			switch verdicts[c.Date] {
			case schedule.Reject:
				return schedule.Verdict{Action: schedule.Reject, Code: "test_reject", Detail: "rejected by the test"}, nil
			case schedule.Drop:
				return schedule.Verdict{Action: schedule.Drop, Code: "test_drop", Detail: "dropped by the test"}, nil
			}
			return schedule.Verdict{}, nil
		}
		tab, err := w.series.Plan(w.start, w.cal, schedule.Options{Check: check})
		var pe *schedule.PlaceError
		switch {
		case errors.As(err, &pe):
			return // a run of rejections longer than the search
		case err != nil:
			t.Fatalf("Plan: %v", err)
		}
		after := 0
		if rs := w.series.Restart; rs != nil {
			d, err := rs.After.Convert(units.Day)
			if err != nil {
				t.Fatal(err)
			}
			after = int(d.Value().IntPart())
		} else if len(tab.Restarts) > 0 {
			t.Fatalf("restarts %+v without a restart rule", tab.Restarts)
		}
		if after > 0 {
			checkRestartRule(t, after, slotDays(tab.Slots), tab.Dropped, tab.Restarts)
		}
		for i, s := range tab.Slots {
			if s.Index != i+1 || i > 0 && !s.Date.After(tab.Slots[i-1].Date) || verdicts[s.Date] != schedule.Accept {
				t.Fatalf("session %d on %v: out of order, or on a day the Check refuses", s.Index, s.Date)
			}
		}
		for _, d := range tab.Dropped {
			if verdicts[d.Date] != schedule.Drop {
				t.Fatalf("dropped %+v on a day the Check does not drop", d)
			}
		}
		if len(tab.Slots) == 0 || len(tab.Restarts) > 0 {
			return // a restart's run starts on the day the history gives, which may differ from the plan's
		}
		// Done as planned up to session n, replanned from the day after it
		// or after a session dropped before session n+1, or a later day up
		// to the one the rhythm gave session n+1: the plan again, drops and
		// all. (Replanning from a day after a session's nominal day asks
		// the rhythm again from the replanning day, which may end a phase
		// bounded by a date before that session: not what this checks.)
		n := rapid.IntRange(1, len(tab.Slots)).Draw(t, "done")
		var history []schedule.Event
		for _, s := range tab.Slots[:n] {
			history = append(history, schedule.Event{Kind: schedule.Done, Session: s.Index, At: s.Start})
		}
		froms := []schedule.Date{tab.Slots[n-1].Date.AddDays(1)}
		for _, d := range tab.Dropped {
			if d.Date.After(tab.Slots[n-1].Date) && (n == len(tab.Slots) || d.Date.Before(tab.Slots[n].Date)) {
				froms = append(froms, d.Date.AddDays(1))
			}
		}
		k := rapid.IntRange(0, len(froms)-1).Draw(t, "from")
		from := froms[k]
		if k == len(froms)-1 && n < len(tab.Slots) {
			next := tab.Slots[n]
			last := next.Date
			if !next.MovedFrom.IsZero() && next.MovedFrom.Before(last) {
				last = next.MovedFrom
			}
			if last.After(from) {
				from = from.AddDays(rapid.IntRange(0, last.DaysSince(from)).Draw(t, "from days"))
			}
		}
		got, err := tab.Replan(history, from)
		if err != nil {
			t.Fatalf("Replan(%d done, %v): %v", n, from, err)
		}
		want := make([]schedule.Slot, len(tab.Slots))
		for i, s := range tab.Slots {
			want[i] = schedule.Slot{Index: s.Index, Phase: s.Phase, Number: s.Number, Of: s.Of, Date: s.Date, Done: i < n}
		}
		gotSlots := make([]schedule.Slot, len(got.Slots))
		for i, s := range got.Slots {
			gotSlots[i] = schedule.Slot{Index: s.Index, Phase: s.Phase, Number: s.Number, Of: s.Of, Date: s.Date, Done: s.Done}
		}
		if diff := cmp.Diff(want, gotSlots); diff != "" {
			t.Fatalf("the plan done as planned to session %d and replanned from %v differs (-plan +replan):\n%s", n, from, diff)
		}
		if diff := cmp.Diff(droppedRows(tab.Dropped), droppedRows(got.Dropped)); diff != "" {
			t.Fatalf("dropped sessions differ (-plan +replan):\n%s", diff)
		}
		if len(got.Restarts) != 0 {
			t.Fatalf("Replan restarts %+v where the plan did not", got.Restarts)
		}
	})
}

func slotDays(slots []schedule.Slot) []schedule.Date {
	out := make([]schedule.Date, len(slots))
	for i, s := range slots {
		out[i] = s.Date
	}
	return out
}

// TestRestartIntoAPhaseThatHasEnded: a restart rule whose phase ends on a
// fixed day (until) before the restart cannot begin it again. Planning and
// replanning stop with the conflict. (Before the fix, Replan restarted the
// empty phase, went on to the next and restarted again, without end.)
func TestRestartIntoAPhaseThatHasEnded(t *testing.T) {
	// Induction every 7 days until Jan 31: Jan 6, 13, 20, 27; boosters every
	// 14 days: Feb 10, 24, Mar 10.
	s := schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Until: day(t, "2025-01-31"), Every: qty("7 days")},
			{Name: "boosters", Sessions: 3, Every: qty("14 days")},
		},
		MinInterval: qty("0 h"),
		Restart:     &schedule.RestartRule{After: qty("28 days"), Phase: "induction"},
	}
	const want = `schedule: series.restart.phase "induction": cannot begin again: the restart after session 1 on 2025-01-06 falls on 2025-04-01, ` +
		`after the phase's last day 2025-01-31`
	t.Run("replan after a long absence", func(t *testing.T) {
		cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: allWeek, Starts: at0900})
		tab, err := s.Plan(day(t, "2025-01-06"), cal, schedule.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Session 1 done, nothing since: from Apr 1, session 2 is 85 days
		// after it, and induction ended on Jan 31.
		_, err = tab.Replan(doneAsPlanned(tab, 1), day(t, "2025-04-01"))
		if !hasField(err, "series.restart.phase", schedule.ErrConflict) || err.Error() != want {
			t.Fatalf("Replan() error = %v\nwant %s", err, want)
		}
	})
	t.Run("plan across a long closure", func(t *testing.T) {
		// Booster 2 (Feb 24) moves past the closure to Apr 1, 50 days after
		// booster 1 on Feb 10.
		cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: allWeek, Starts: at0900,
			Closed: []schedule.Closure{{Date: day(t, "2025-02-11"), Through: day(t, "2025-03-31")}}})
		_, err := s.Plan(day(t, "2025-01-06"), cal, schedule.Options{})
		want := `schedule: series.restart.phase "induction": cannot begin again: the restart after session 5 on 2025-02-10 falls on 2025-04-01, ` +
			`after the phase's last day 2025-01-31`
		if !hasField(err, "series.restart.phase", schedule.ErrConflict) || err.Error() != want {
			t.Fatalf("Plan() error = %v\nwant %s", err, want)
		}
	})
}
