package schedule_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/schedule"
)

// wc15 plans the WC15 series on a New York Monday-to-Friday calendar.
func wc15(t *testing.T, restart *schedule.RestartRule) *schedule.Timetable {
	t.Helper()
	s := ivKetamine()
	s.Restart = restart
	cal := clinic(t, schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Starts: at0900})
	tab, err := s.Plan(day(t, "2025-03-03"), cal, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func ny(t *testing.T, m time.Month, d, h, min int) time.Time {
	return inZone(t, "America/New_York", 2025, m, d, h, min)
}

func TestReplanWithoutHistoryIsThePlan(t *testing.T) {
	tab := wc15(t, nil)
	again, err := tab.Replan(nil, tab.Start)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tab.Slots, again.Slots); diff != "" {
		t.Errorf("Replan(nil) mismatch (-want +got):\n%s", diff)
	}
}

func TestReplan(t *testing.T) {
	done := func(n int, at time.Time) schedule.Event {
		return schedule.Event{Kind: schedule.Done, Session: n, At: at}
	}
	tests := []struct {
		name     string
		reason   string
		history  []schedule.Event
		from     string
		want     []string
		warnings int
	}{
		{
			name:   "a missed session is owed and planned on the next rhythm day",
			reason: "session 3 (Fri Mar 7) missed; from Sat Mar 8 the rhythm gives Mon Mar 10, and the count of 6 is kept",
			history: []schedule.Event{
				done(1, ny(t, 3, 3, 9, 5)), done(2, ny(t, 3, 5, 9, 0)),
				{Kind: schedule.Missed, Session: 3, Date: day(t, "2025-03-07")},
			},
			from: "2025-03-08",
			want: []string{
				"1 induction 1/6 2025-03-03 Mon 09:05 EST done",
				"2 induction 2/6 2025-03-05 Wed 09:00 EST done",
				"3 induction 3/6 2025-03-10 Mon 09:00 EDT",
				"4 induction 4/6 2025-03-12 Wed 09:00 EDT",
				"5 induction 5/6 2025-03-14 Fri 09:00 EDT",
				"6 induction 6/6 2025-03-17 Mon 09:00 EDT",
				"7 boosters 1/3 2025-04-14 Mon 09:00 EDT",
				"8 boosters 2/3 2025-05-12 Mon 09:00 EDT",
				"9 boosters 3/3 2025-06-09 Mon 09:00 EDT",
			},
		},
		{
			name:   "a delayed session goes to its new date",
			reason: "session 3 delayed from Fri Mar 7 to Mon Mar 10; the week grid continues",
			history: []schedule.Event{
				done(1, ny(t, 3, 3, 9, 0)), done(2, ny(t, 3, 5, 9, 0)),
				{Kind: schedule.Delayed, Session: 3, Date: day(t, "2025-03-10"), Note: "patient unwell"},
			},
			from: "2025-03-06",
			want: []string{
				"1 induction 1/6 2025-03-03 Mon 09:00 EST done",
				"2 induction 2/6 2025-03-05 Wed 09:00 EST done",
				"3 induction 3/6 2025-03-10 Mon 09:00 EDT moved from 2025-03-07",
				"4 induction 4/6 2025-03-12 Wed 09:00 EDT",
				"5 induction 5/6 2025-03-14 Fri 09:00 EDT",
				"6 induction 6/6 2025-03-17 Mon 09:00 EDT",
				"7 boosters 1/3 2025-04-14 Mon 09:00 EDT",
				"8 boosters 2/3 2025-05-12 Mon 09:00 EDT",
				"9 boosters 3/3 2025-06-09 Mon 09:00 EDT",
			},
		},
		{
			name:   "the minimum interval counts from the actual start",
			reason: "session 2 done Wed 16:00: Fri 09:00 is 41 h later, under 44 h, so session 3 moves to Monday",
			history: []schedule.Event{
				done(1, ny(t, 3, 3, 9, 0)), done(2, ny(t, 3, 5, 16, 0)),
			},
			from: "2025-03-06",
			want: []string{
				"1 induction 1/6 2025-03-03 Mon 09:00 EST done",
				"2 induction 2/6 2025-03-05 Wed 16:00 EST done",
				"3 induction 3/6 2025-03-10 Mon 09:00 EDT moved from 2025-03-07",
				"4 induction 4/6 2025-03-12 Wed 09:00 EDT",
				"5 induction 5/6 2025-03-14 Fri 09:00 EDT",
				"6 induction 6/6 2025-03-17 Mon 09:00 EDT",
				"7 boosters 1/3 2025-04-14 Mon 09:00 EDT",
				"8 boosters 2/3 2025-05-12 Mon 09:00 EDT",
				"9 boosters 3/3 2025-06-09 Mon 09:00 EDT",
			},
		},
		{
			name:   "boosters count from the last one done",
			reason: "booster 1 done 3 days late (Mon Apr 14): booster 2 is 4 weeks after it, May 12",
			history: []schedule.Event{
				done(1, ny(t, 3, 3, 9, 0)), done(2, ny(t, 3, 5, 9, 0)), done(3, ny(t, 3, 7, 9, 0)),
				done(4, ny(t, 3, 10, 9, 0)), done(5, ny(t, 3, 12, 9, 0)), done(6, ny(t, 3, 14, 9, 0)),
				done(7, ny(t, 4, 14, 9, 0)),
			},
			from: "2025-04-15",
			want: []string{
				"7 boosters 1/3 2025-04-14 Mon 09:00 EDT done",
				"8 boosters 2/3 2025-05-12 Mon 09:00 EDT",
				"9 boosters 3/3 2025-06-09 Mon 09:00 EDT",
			},
		},
		{
			name:   "done sessions that broke a constraint are facts, with a warning",
			reason: "sessions 1 and 2 done 24 h apart, under min_interval 44 h; session 3 keeps 44 h from session 2",
			history: []schedule.Event{
				done(1, ny(t, 3, 3, 9, 0)), done(2, ny(t, 3, 4, 9, 0)),
			},
			from: "2025-03-04",
			want: []string{
				"1 induction 1/6 2025-03-03 Mon 09:00 EST done",
				"2 induction 2/6 2025-03-04 Tue 09:00 EST done",
				"3 induction 3/6 2025-03-06 Thu 09:00 EST moved from 2025-03-05",
				"4 induction 4/6 2025-03-10 Mon 09:00 EDT",
				"5 induction 5/6 2025-03-12 Wed 09:00 EDT",
				"6 induction 6/6 2025-03-14 Fri 09:00 EDT",
				"7 boosters 1/3 2025-04-11 Fri 09:00 EDT",
				"8 boosters 2/3 2025-05-09 Fri 09:00 EDT",
				"9 boosters 3/3 2025-06-06 Fri 09:00 EDT",
			},
			warnings: 1,
		},
		{
			name:   "stopped: nothing more is planned",
			reason: "a stop ends the series",
			history: []schedule.Event{
				done(1, ny(t, 3, 3, 9, 0)),
				{Kind: schedule.Stopped, Date: day(t, "2025-03-04"), Note: "patient's decision"},
			},
			from: "2025-03-04",
			want: []string{"1 induction 1/6 2025-03-03 Mon 09:00 EST done"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab := wc15(t, nil)
			got, err := tab.Replan(tt.history, day(t, tt.from))
			if err != nil {
				t.Fatal(err)
			}
			r := rows(got.Slots)
			if first := len(r) - len(tt.want); first > 0 {
				r = r[first:]
			}
			if diff := cmp.Diff(tt.want, r); diff != "" {
				t.Errorf("Replan() mismatch (-want +got):\n%s", diff)
			}
			if len(got.Warnings) != tt.warnings {
				t.Errorf("Warnings = %q, want %d", got.Warnings, tt.warnings)
			}
			if diff := cmp.Diff(tt.history, got.History); diff != "" {
				t.Errorf("History mismatch (-want +got):\n%s", diff)
			}
			// Replanning from the replanned timetable gives the same result.
			again, err := got.Replan(tt.history, day(t, tt.from))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got.Slots, again.Slots); diff != "" {
				t.Errorf("Replan() is not idempotent (-first +second):\n%s", diff)
			}
		})
	}
}

func TestReplanDelayedReason(t *testing.T) {
	tab := wc15(t, nil)
	got, err := tab.Replan([]schedule.Event{
		{Kind: schedule.Done, Session: 1, At: ny(t, 3, 3, 9, 0)},
		{Kind: schedule.Delayed, Session: 2, Date: day(t, "2025-03-06"), Note: "transport"},
	}, day(t, "2025-03-04"))
	if err != nil {
		t.Fatal(err)
	}
	// Mon 03-03 → Thu 03-06 is 3 days; the rhythm's Mon → Wed is 2.
	want := []schedule.Reason{{Date: day(t, "2025-03-05"), Code: schedule.ReasonDelayed, Detail: "delayed to 2025-03-06: transport"},
		{Date: day(t, "2025-03-06"), Code: schedule.ReasonRhythm, Detail: "3 days after session 1 on 2025-03-03, not the 2 days the rhythm gives"}}
	if diff := cmp.Diff(want, got.Slots[1].Reasons); diff != "" {
		t.Errorf("reasons mismatch (-want +got):\n%s", diff)
	}
}

// TestReplanRestart: a gap longer than the restart rule's begins induction
// again, and a later replan with that session done agrees.
func TestReplanRestart(t *testing.T) {
	tab := wc15(t, &schedule.RestartRule{After: qty("6 weeks"), Phase: "induction"})
	var h []schedule.Event
	for i, d := range []int{3, 5, 7, 10, 12, 14} {
		h = append(h, schedule.Event{Kind: schedule.Done, Session: i + 1, At: ny(t, 3, d, 9, 0)})
	}
	h = append(h, schedule.Event{Kind: schedule.Done, Session: 7, At: ny(t, 4, 11, 9, 0)},
		schedule.Event{Kind: schedule.Missed, Session: 8, Date: day(t, "2025-05-09")})

	got, err := tab.Replan(h, day(t, "2025-06-02"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"7 boosters 1/3 2025-04-11 Fri 09:00 EDT done",
		"8 induction 1/6 2025-06-02 Mon 09:00 EDT",
		"9 induction 2/6 2025-06-04 Wed 09:00 EDT",
		"10 induction 3/6 2025-06-06 Fri 09:00 EDT",
		"11 induction 4/6 2025-06-09 Mon 09:00 EDT",
		"12 induction 5/6 2025-06-11 Wed 09:00 EDT",
		"13 induction 6/6 2025-06-13 Fri 09:00 EDT",
		"14 boosters 1/3 2025-07-11 Fri 09:00 EDT",
		"15 boosters 2/3 2025-08-08 Fri 09:00 EDT",
		"16 boosters 3/3 2025-09-05 Fri 09:00 EDT",
	}
	if diff := cmp.Diff(want, rows(got.Slots)[6:]); diff != "" {
		t.Errorf("Replan() mismatch (-want +got):\n%s", diff)
	}
	wantRestart := []schedule.Restart{{Index: 8, Phase: "induction", Previous: day(t, "2025-04-11"), Date: day(t, "2025-06-02"), Days: 52}}
	if diff := cmp.Diff(wantRestart, got.Restarts); diff != "" {
		t.Errorf("Restarts mismatch (-want +got):\n%s", diff)
	}
	r := got.Slots[7].Reasons
	if len(r) == 0 || r[len(r)-1].Code != schedule.ReasonRestart || !strings.Contains(r[len(r)-1].Detail, "52 days") {
		t.Errorf("session 8 reasons = %+v, want the restart stated", r)
	}

	// The restarted session done as planned: the same plan, now from facts.
	h = append(h, schedule.Event{Kind: schedule.Done, Session: 8, At: ny(t, 6, 2, 9, 0)})
	later, err := got.Replan(h, day(t, "2025-06-03"))
	if err != nil {
		t.Fatal(err)
	}
	want[1] = "8 induction 1/6 2025-06-02 Mon 09:00 EDT done"
	if diff := cmp.Diff(want, rows(later.Slots)[6:]); diff != "" {
		t.Errorf("Replan() after the restart mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantRestart, later.Restarts); diff != "" {
		t.Errorf("Restarts after the restart mismatch (-want +got):\n%s", diff)
	}
}

func TestReplanBadHistory(t *testing.T) {
	at := func(d, h int) time.Time { return ny(t, 3, d, h, 0) }
	tests := []struct {
		name    string
		reason  string
		history []schedule.Event
		from    string
		field   string
	}{
		{"wrong session number", "session 2 is next, not 3",
			[]schedule.Event{{Kind: schedule.Done, Session: 1, At: at(3, 9)}, {Kind: schedule.Done, Session: 3, At: at(5, 9)}},
			"2025-03-06", "history[1].session"},
		{"done without a time", "a done session has an actual start",
			[]schedule.Event{{Kind: schedule.Done, Session: 1}}, "2025-03-06", "history[0].at"},
		{"done in the future", "a history records the past",
			[]schedule.Event{{Kind: schedule.Done, Session: 1, At: at(10, 9)}}, "2025-03-06", "history[0].at"},
		{"two sessions on one day", "one session a day",
			[]schedule.Event{{Kind: schedule.Done, Session: 1, At: at(3, 9)}, {Kind: schedule.Done, Session: 2, At: at(3, 15)}},
			"2025-03-06", "history[1].at"},
		{"unknown kind", "done, missed, delayed or stopped",
			[]schedule.Event{{Kind: "cancelled", Session: 1}}, "2025-03-06", "history[0].kind"},
		{"entry after the stop", "nothing happens after a stop",
			[]schedule.Event{{Kind: schedule.Stopped}, {Kind: schedule.Done, Session: 1, At: at(3, 9)}}, "2025-03-06", "history[1]"},
		{"pending delay in the past", "was the delayed session done or missed?",
			[]schedule.Event{{Kind: schedule.Delayed, Session: 1, Date: day(t, "2025-03-05")}}, "2025-03-06", "history[0].date"},
		{"delay without a date", "a delay needs the new day",
			[]schedule.Event{{Kind: schedule.Delayed, Session: 1}}, "2025-03-06", "history[0].date"},
		{"done beyond the series", "the series has 9 sessions",
			func() []schedule.Event {
				var h []schedule.Event
				for i := range 10 {
					h = append(h, schedule.Event{Kind: schedule.Done, Session: i + 1, At: at(3, 9).AddDate(0, 0, 2*i)})
				}
				return h
			}(), "2025-04-06", "history[9].session"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := wc15(t, nil).Replan(tt.history, day(t, tt.from))
			if !hasField(err, tt.field, schedule.ErrHistory) {
				t.Errorf("Replan() error = %v\nwant %s wrapping ErrHistory; fields %v", err, tt.field, fields(err))
			}
		})
	}
}

func TestReplanZeroTimetable(t *testing.T) {
	var tab *schedule.Timetable
	if _, err := tab.Replan(nil, day(t, "2025-03-03")); !hasField(err, "timetable", schedule.ErrMissing) {
		t.Errorf("Replan on nil = %v, want timetable: missing", err)
	}
	if _, err := wc15(t, nil).Replan(nil, schedule.Date{Year: 2025, Month: 2, Day: 30}); !hasField(err, "from", schedule.ErrRange) {
		t.Errorf("Replan from Feb 30 = %v, want from: out of range", err)
	}
}

func TestReplanWarnsAboutDoneSessionsOverTheWeeklyMaximum(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Starts: at0900})
	tab, err := esketamine().Plan(day(t, "2025-03-03"), cal, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var h []schedule.Event
	for i, d := range []int{3, 5, 7} {
		h = append(h, schedule.Event{Kind: schedule.Done, Session: i + 1, At: ny(t, 3, d, 9, 0)})
	}
	got, err := tab.Replan(h, day(t, "2025-03-08"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"session 3 was the 3rd in the 7 days 2025-03-01 to 2025-03-07, more than max_per_7_days 2"}
	if diff := cmp.Diff(want, got.Warnings); diff != "" {
		t.Errorf("Warnings mismatch (-want +got):\n%s", diff)
	}
	// The next session keeps the maximum from what happened: Monday Mar 10
	// and Tuesday Mar 11 would each make a third session in 7 days with
	// Wednesday Mar 5 and Friday Mar 7.
	s := got.Slots[3]
	if s.Date != day(t, "2025-03-12") || s.MovedFrom != day(t, "2025-03-10") || s.Reasons[0].Code != schedule.ReasonMaxPer7Days {
		t.Errorf("session 4: %s, reasons %+v; want 2025-03-12 moved from 2025-03-10 for max_per_7_days", row(s), s.Reasons)
	}
}
