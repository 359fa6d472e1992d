package schedule_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// esketamine is the WC14 series: weeks 1–4 twice weekly on Monday and
// Thursday, weeks 5–8 weekly on Monday (clinical.md §3.2, §9 WC14).
func esketamine() schedule.Series {
	return schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 8, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}},
			{Name: "maintenance", Sessions: 4, Weekdays: []schedule.Weekday{schedule.Monday}},
		},
		MinInterval: qty("48 h"),
		MaxPer7Days: 2,
	}
}

// ivKetamine is the WC15 series: six infusions Monday, Wednesday, Friday,
// then boosters every 4 weeks after the last infusion (clinical.md §2, §9
// WC15).
func ivKetamine() schedule.Series {
	return schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 6, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday}},
			{Name: "boosters", Sessions: 3, Every: qty("4 weeks"), StartAfter: qty("4 weeks")},
		},
		MinInterval: qty("44 h"),
		MaxPer7Days: 3,
	}
}

func TestPlanWorkedCases(t *testing.T) {
	ny := schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Starts: at0900}
	tests := []struct {
		name   string
		reason string
		series schedule.Series
		start  string
		want   []string
	}{
		{
			name:   "WC14 esketamine Mon/Thu weeks 1-4 then Mondays",
			reason: "clinical.md §9 WC14; gaps 3,4,3,4,3,4,3,4,7,7,7 days; 09:00 stays 09:00 across the March DST change",
			series: esketamine(),
			start:  "2025-03-03",
			want: []string{
				"1 induction 1/8 2025-03-03 Mon 09:00 EST",
				"2 induction 2/8 2025-03-06 Thu 09:00 EST",
				"3 induction 3/8 2025-03-10 Mon 09:00 EDT",
				"4 induction 4/8 2025-03-13 Thu 09:00 EDT",
				"5 induction 5/8 2025-03-17 Mon 09:00 EDT",
				"6 induction 6/8 2025-03-20 Thu 09:00 EDT",
				"7 induction 7/8 2025-03-24 Mon 09:00 EDT",
				"8 induction 8/8 2025-03-27 Thu 09:00 EDT",
				"9 maintenance 1/4 2025-03-31 Mon 09:00 EDT",
				"10 maintenance 2/4 2025-04-07 Mon 09:00 EDT",
				"11 maintenance 3/4 2025-04-14 Mon 09:00 EDT",
				"12 maintenance 4/4 2025-04-21 Mon 09:00 EDT",
			},
		},
		{
			name:   "WC14 alternative Tue/Fri from Tue 2025-03-04",
			reason: "clinical.md §9 WC14: Mar 4, 7, 11, 14, 18, 21, 25, 28",
			series: schedule.Series{
				Phases:      []schedule.Phase{{Name: "induction", Duration: qty("4 weeks"), Weekdays: []schedule.Weekday{schedule.Tuesday, schedule.Friday}}},
				MinInterval: qty("48 h"),
			},
			start: "2025-03-04",
			want: []string{
				"1 induction 1/8 2025-03-04 Tue 09:00 EST",
				"2 induction 2/8 2025-03-07 Fri 09:00 EST",
				"3 induction 3/8 2025-03-11 Tue 09:00 EDT",
				"4 induction 4/8 2025-03-14 Fri 09:00 EDT",
				"5 induction 5/8 2025-03-18 Tue 09:00 EDT",
				"6 induction 6/8 2025-03-21 Fri 09:00 EDT",
				"7 induction 7/8 2025-03-25 Tue 09:00 EDT",
				"8 induction 8/8 2025-03-28 Fri 09:00 EDT",
			},
		},
		{
			name:   "WC15 IV induction Mon/Wed/Fri then boosters every 4 weeks",
			reason: "clinical.md §9 WC15: Mar 3, 5, 7, 10, 12, 14; boosters Apr 11, May 9, Jun 6",
			series: ivKetamine(),
			start:  "2025-03-03",
			want: []string{
				"1 induction 1/6 2025-03-03 Mon 09:00 EST",
				"2 induction 2/6 2025-03-05 Wed 09:00 EST",
				"3 induction 3/6 2025-03-07 Fri 09:00 EST",
				"4 induction 4/6 2025-03-10 Mon 09:00 EDT",
				"5 induction 5/6 2025-03-12 Wed 09:00 EDT",
				"6 induction 6/6 2025-03-14 Fri 09:00 EDT",
				"7 boosters 1/3 2025-04-11 Fri 09:00 EDT",
				"8 boosters 2/3 2025-05-09 Fri 09:00 EDT",
				"9 boosters 3/3 2025-06-06 Fri 09:00 EDT",
			},
		},
		{
			name:   "esketamine week 9 every 2 weeks",
			reason: "clinical.md §3.2: week 9 and after every 2 weeks; start_after 2 weeks puts the first two weeks after session 12",
			series: func() schedule.Series {
				s := esketamine()
				s.Phases = append(s.Phases, schedule.Phase{Name: "continuation", Sessions: 3, Weekdays: []schedule.Weekday{schedule.Monday},
					Every: qty("2 weeks"), StartAfter: qty("2 weeks")})
				return s
			}(),
			start: "2025-03-03",
			want:  nil, // checked below: only the tail matters
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := tt.series.Plan(day(t, tt.start), clinic(t, ny), schedule.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := rows(tab.Slots)
			if tt.want == nil {
				got = got[12:]
				tt.want = []string{
					"13 continuation 1/3 2025-05-05 Mon 09:00 EDT",
					"14 continuation 2/3 2025-05-19 Mon 09:00 EDT",
					"15 continuation 3/3 2025-06-02 Mon 09:00 EDT",
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
			}
			for _, s := range tab.Slots {
				if len(s.Reasons) != 0 || !s.MovedFrom.IsZero() {
					t.Errorf("session %d moved or noted on a calendar without closures: %+v", s.Index, s.Reasons)
				}
			}
		})
	}
}

func TestPlanHolidays(t *testing.T) {
	tests := []struct {
		name    string
		reason  string
		series  schedule.Series
		closed  []schedule.Closure
		start   string
		want    []string
		reasons map[int][]schedule.ReasonCode // by session index
	}{
		{
			name:   "Easter Monday moves a maintenance session to Tuesday",
			reason: "the next open day keeps the 48 h interval",
			series: esketamine(),
			closed: []schedule.Closure{{Date: day(t, "2025-04-21"), Name: "Easter Monday"}},
			start:  "2025-03-03",
			want: []string{
				"9 maintenance 1/4 2025-03-31 Mon 09:00 EDT",
				"10 maintenance 2/4 2025-04-07 Mon 09:00 EDT",
				"11 maintenance 3/4 2025-04-14 Mon 09:00 EDT",
				"12 maintenance 4/4 2025-04-22 Tue 09:00 EDT moved from 2025-04-21",
			},
			// 04-14 → 04-22 is 8 days, not the weekly rhythm's 7: noted.
			reasons: map[int][]schedule.ReasonCode{12: {schedule.ReasonClosed, schedule.ReasonRhythm}},
		},
		{
			name: "a closed Wednesday pushes the induction into the next week",
			reason: "Wed closed → Thu; Fri is then 24 h after Thu (< 44 h) and the weekend is closed → Mon, " +
				"which takes a place of that week's rhythm: the count of 6 is kept",
			series: func() schedule.Series { s := ivKetamine(); s.Phases = s.Phases[:1]; return s }(),
			closed: []schedule.Closure{{Date: day(t, "2025-03-05")}},
			start:  "2025-03-03",
			want: []string{
				"1 induction 1/6 2025-03-03 Mon 09:00 EST",
				"2 induction 2/6 2025-03-06 Thu 09:00 EST moved from 2025-03-05",
				"3 induction 3/6 2025-03-10 Mon 09:00 EDT moved from 2025-03-07",
				"4 induction 4/6 2025-03-12 Wed 09:00 EDT",
				"5 induction 5/6 2025-03-14 Fri 09:00 EDT",
				"6 induction 6/6 2025-03-17 Mon 09:00 EDT",
			},
			// Gaps: Mon → Thu 3 days where Mon → Wed gives 2; Thu (standing
			// for Wed) → Mon 4 days where Wed → Fri gives 2; Mon → Wed 2
			// days, the rhythm's again.
			reasons: map[int][]schedule.ReasonCode{
				2: {schedule.ReasonClosed, schedule.ReasonRhythm},
				3: {schedule.ReasonMinInterval, schedule.ReasonWeekday, schedule.ReasonWeekday, schedule.ReasonRhythm},
			},
		},
		{
			name:   "Good Friday to Easter Monday moves a booster to Tuesday",
			reason: "a closure with a through date; the booster after it counts 4 weeks from the day it moved to",
			series: ivKetamine(),
			closed: []schedule.Closure{{Date: day(t, "2025-04-18"), Through: day(t, "2025-04-21"), Name: "Easter"}},
			start:  "2025-03-10",
			want: []string{
				"7 boosters 1/3 2025-04-22 Tue 09:00 EDT moved from 2025-04-18",
				"8 boosters 2/3 2025-05-20 Tue 09:00 EDT",
				"9 boosters 3/3 2025-06-17 Tue 09:00 EDT",
			},
			reasons: map[int][]schedule.ReasonCode{7: {schedule.ReasonClosed, schedule.ReasonClosed, schedule.ReasonClosed, schedule.ReasonClosed}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := clinic(t, schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Closed: tt.closed, Starts: at0900})
			tab, err := tt.series.Plan(day(t, tt.start), cal, schedule.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := rows(tab.Slots)
			if first := len(got) - len(tt.want); first > 0 {
				got = got[first:]
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
			}
			for _, s := range tab.Slots {
				var codes []schedule.ReasonCode
				for _, r := range s.Reasons {
					codes = append(codes, r.Code)
				}
				if diff := cmp.Diff(tt.reasons[s.Index], codes); diff != "" {
					t.Errorf("session %d reasons mismatch (-want +got):\n%s", s.Index, diff)
				}
			}
		})
	}
}

func TestPlanYearBoundary(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "Europe/Berlin", Open: monToFri, Starts: at0900,
		Closed: []schedule.Closure{{Date: day(t, "2025-12-24"), Through: day(t, "2026-01-01"), Name: "winter closure"}}})
	s := esketamine()
	s.Phases[1].Sessions = 2
	tab, err := s.Plan(day(t, "2025-12-01"), cal, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1 induction 1/8 2025-12-01 Mon 09:00 CET",
		"2 induction 2/8 2025-12-04 Thu 09:00 CET",
		"3 induction 3/8 2025-12-08 Mon 09:00 CET",
		"4 induction 4/8 2025-12-11 Thu 09:00 CET",
		"5 induction 5/8 2025-12-15 Mon 09:00 CET",
		"6 induction 6/8 2025-12-18 Thu 09:00 CET",
		"7 induction 7/8 2025-12-22 Mon 09:00 CET",
		"8 induction 8/8 2026-01-02 Fri 09:00 CET moved from 2025-12-25",
		"9 maintenance 1/2 2026-01-05 Mon 09:00 CET",
		"10 maintenance 2/2 2026-01-12 Mon 09:00 CET",
	}
	if diff := cmp.Diff(want, rows(tab.Slots)); diff != "" {
		t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
	}
	if got := tab.Slots[7].Reasons[0].Detail; got != "clinic closed (winter closure)" {
		t.Errorf("reason = %q, want the closure's name", got)
	}
}

func TestPlanLeapDay(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "Europe/Berlin", Open: monToFri, Starts: at0900})
	s := schedule.Series{
		Phases:      []schedule.Phase{{Name: "boosters", Sessions: 3, Every: qty("4 weeks")}},
		MinInterval: qty("44 h"),
	}
	tab, err := s.Plan(day(t, "2028-02-01"), cal, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2028-02-01", "2028-02-29", "2028-03-28"}
	if diff := cmp.Diff(want, dates(tab.Slots)); diff != "" {
		t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
	}
}

// TestPlanDST checks that sessions keep their wall-clock time across
// daylight-saving changes, that the gap between their instants is then 23 h
// or 25 h, and that min_interval is measured between instants.
func TestPlanDST(t *testing.T) {
	daily := func(n int, min string) schedule.Series {
		return schedule.Series{Phases: []schedule.Phase{{Name: "daily", Sessions: n, Every: qty("1 day")}}, MinInterval: qty(min)}
	}
	tests := []struct {
		name    string
		reason  string
		zone    string
		series  schedule.Series
		starts  []schedule.TimeOfDay
		start   string
		want    []string
		gaps    []time.Duration
		reasons map[int]schedule.ReasonCode
	}{
		{
			name:   "New York spring forward: a 23 h day",
			reason: "2025-03-09 has 23 h; with min_interval 23 h the Sunday session keeps its day",
			zone:   "America/New_York", series: daily(4, "23 h"), starts: at0900, start: "2025-03-07",
			want: []string{
				"1 daily 1/4 2025-03-07 Fri 09:00 EST",
				"2 daily 2/4 2025-03-08 Sat 09:00 EST",
				"3 daily 3/4 2025-03-09 Sun 09:00 EDT",
				"4 daily 4/4 2025-03-10 Mon 09:00 EDT",
			},
			gaps: []time.Duration{24 * time.Hour, 23 * time.Hour, 24 * time.Hour},
		},
		{
			name:   "New York spring forward: min_interval 24 h moves the Sunday session",
			reason: "Sat 09:00 EST to Sun 09:00 EDT is 23 h, less than 24 h, although the dates are one day apart",
			zone:   "America/New_York", series: daily(4, "24 h"), starts: at0900, start: "2025-03-07",
			want: []string{
				"1 daily 1/4 2025-03-07 Fri 09:00 EST",
				"2 daily 2/4 2025-03-08 Sat 09:00 EST",
				"3 daily 3/4 2025-03-10 Mon 09:00 EDT moved from 2025-03-09",
				"4 daily 4/4 2025-03-11 Tue 09:00 EDT",
			},
			gaps:    []time.Duration{24 * time.Hour, 47 * time.Hour, 24 * time.Hour},
			reasons: map[int]schedule.ReasonCode{3: schedule.ReasonMinInterval},
		},
		{
			name:   "Berlin fall back: a 25 h day",
			reason: "2025-10-26 has 25 h: Sat 09:00 CEST to Sun 09:00 CET is 25 h",
			zone:   "Europe/Berlin", series: daily(3, "24 h"), starts: at0900, start: "2025-10-25",
			want: []string{
				"1 daily 1/3 2025-10-25 Sat 09:00 CEST",
				"2 daily 2/3 2025-10-26 Sun 09:00 CET",
				"3 daily 3/3 2025-10-27 Mon 09:00 CET",
			},
			gaps: []time.Duration{25 * time.Hour, 24 * time.Hour},
		},
		{
			name:   "Berlin spring forward: min_interval 24 h moves the Sunday session",
			reason: "2025-03-30 has 23 h: Sat 09:00 CET to Sun 09:00 CEST is 23 h, less than 24 h",
			zone:   "Europe/Berlin", series: daily(3, "24 h"), starts: at0900, start: "2025-03-29",
			want: []string{
				"1 daily 1/3 2025-03-29 Sat 09:00 CET",
				"2 daily 2/3 2025-03-31 Mon 09:00 CEST moved from 2025-03-30",
				"3 daily 3/3 2025-04-01 Tue 09:00 CEST",
			},
			gaps:    []time.Duration{47 * time.Hour, 24 * time.Hour},
			reasons: map[int]schedule.ReasonCode{2: schedule.ReasonMinInterval},
		},
		{
			name:   "Berlin spring forward: 02:30 does not exist",
			reason: "a nonexistent start is never shifted silently: the session moves to the next day and says why",
			zone:   "Europe/Berlin", series: daily(3, "0 h"), starts: []schedule.TimeOfDay{{Hour: 2, Minute: 30}}, start: "2025-03-29",
			want: []string{
				"1 daily 1/3 2025-03-29 Sat 02:30 CET",
				"2 daily 2/3 2025-03-31 Mon 02:30 CEST moved from 2025-03-30",
				"3 daily 3/3 2025-04-01 Tue 02:30 CEST",
			},
			gaps:    []time.Duration{47 * time.Hour, 24 * time.Hour},
			reasons: map[int]schedule.ReasonCode{2: schedule.ReasonNonexistent},
		},
		{
			name:   "Berlin spring forward: 02:30 does not exist, the 09:00 start does",
			reason: "a later start time on the same day is preferred to another day",
			zone:   "Europe/Berlin", series: daily(2, "0 h"), starts: []schedule.TimeOfDay{{Hour: 2, Minute: 30}, {Hour: 9}}, start: "2025-03-29",
			want: []string{
				"1 daily 1/2 2025-03-29 Sat 02:30 CET",
				"2 daily 2/2 2025-03-30 Sun 09:00 CEST",
			},
			gaps:    []time.Duration{29*time.Hour + 30*time.Minute},
			reasons: map[int]schedule.ReasonCode{2: schedule.ReasonNonexistent},
		},
		{
			name:   "Havana spring forward at midnight: 00:30 does not exist",
			reason: "time.Date normalises 2025-03-09 00:30 to 2025-03-08 23:30 CST, another day; the planner sees it and moves the session",
			zone:   "America/Havana", series: daily(3, "0 h"), starts: []schedule.TimeOfDay{{Minute: 30}}, start: "2025-03-08",
			want: []string{
				"1 daily 1/3 2025-03-08 Sat 00:30 CST",
				"2 daily 2/3 2025-03-10 Mon 00:30 CDT moved from 2025-03-09",
				"3 daily 3/3 2025-03-11 Tue 00:30 CDT",
			},
			gaps:    []time.Duration{47 * time.Hour, 24 * time.Hour},
			reasons: map[int]schedule.ReasonCode{2: schedule.ReasonNonexistent},
		},
		{
			name:   "New York fall back: 01:30 occurs twice",
			reason: "the first occurrence (EDT) is used, and the session says so",
			zone:   "America/New_York", series: daily(2, "0 h"), starts: []schedule.TimeOfDay{{Hour: 1, Minute: 30}}, start: "2025-11-01",
			want: []string{
				"1 daily 1/2 2025-11-01 Sat 01:30 EDT",
				"2 daily 2/2 2025-11-02 Sun 01:30 EDT",
			},
			gaps:    []time.Duration{24 * time.Hour},
			reasons: map[int]schedule.ReasonCode{2: schedule.ReasonAmbiguous},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := clinic(t, schedule.CalendarConfig{Zone: tt.zone, Open: allWeek, Starts: tt.starts})
			tab, err := tt.series.Plan(day(t, tt.start), cal, schedule.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, rows(tab.Slots)); diff != "" {
				t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
			}
			var gaps []time.Duration
			for i := 1; i < len(tab.Slots); i++ {
				gaps = append(gaps, tab.Slots[i].Start.Sub(tab.Slots[i-1].Start))
			}
			if diff := cmp.Diff(tt.gaps, gaps); diff != "" {
				t.Errorf("gaps between start instants mismatch (-want +got):\n%s", diff)
			}
			for _, s := range tab.Slots {
				want, ok := tt.reasons[s.Index]
				switch {
				case ok && (len(s.Reasons) == 0 || s.Reasons[0].Code != want):
					t.Errorf("session %d reasons = %+v, want %s", s.Index, s.Reasons, want)
				case !ok && len(s.Reasons) > 0:
					t.Errorf("session %d reasons = %+v, want none", s.Index, s.Reasons)
				}
			}
		})
	}
}

func TestPlanRhythms(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		phase  schedule.Phase
		closed []schedule.Closure
		start  string
		want   []string
	}{
		{
			name:   "two a week on mon, wed, fri takes the open days",
			reason: "with Monday closed, Wednesday and Friday are used; no session moved",
			phase:  schedule.Phase{Name: "p", Sessions: 4, PerWeek: 2, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday}},
			closed: []schedule.Closure{{Date: day(t, "2025-03-10")}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-05", "2025-03-12", "2025-03-14"},
		},
		{
			name:   "every 2 weeks on Monday",
			reason: "weeks count from the first day: weeks 1, 3, 5 are active",
			phase:  schedule.Phase{Name: "p", Sessions: 3, Weekdays: []schedule.Weekday{schedule.Monday}, Every: qty("2 weeks")},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-17", "2025-03-31"},
		},
		{
			name:   "bounded by duration",
			reason: "weeks 1-4 twice weekly is 8 sessions",
			phase:  schedule.Phase{Name: "p", Duration: qty("4 weeks"), Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13", "2025-03-17", "2025-03-20", "2025-03-24", "2025-03-27"},
		},
		{
			name:   "bounded by until, inclusive",
			reason: "the last day may hold a session",
			phase:  schedule.Phase{Name: "p", Until: day(t, "2025-03-17"), Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-13", "2025-03-17"},
		},
		{
			name:   "count and until: whichever comes first",
			reason: "the count ends the phase before its last day",
			phase:  schedule.Phase{Name: "p", Sessions: 2, Until: day(t, "2025-03-31"), Every: qty("3 day")},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-06"},
		},
		{
			name:   "an interval landing on a weekend moves to Monday",
			reason: "every 3 days from Thursday gives Sunday, which the clinic does not open",
			phase:  schedule.Phase{Name: "p", Sessions: 3, Every: qty("3 day")},
			start:  "2025-03-06",
			want:   []string{"2025-03-06", "2025-03-10", "2025-03-13"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Closed: tt.closed, Starts: at0900})
			s := schedule.Series{Phases: []schedule.Phase{tt.phase}, MinInterval: qty("44 h")}
			tab, err := s.Plan(day(t, tt.start), cal, schedule.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, dates(tab.Slots)); diff != "" {
				t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestPlanCheck exercises the hook the dose planner uses for cumulative
// caps: a Reject moves a session with the check's reason, a Drop leaves it
// out but counts it, an error stops planning.
func TestPlanCheck(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900})
	s := ivKetamine()
	s.Phases = s.Phases[:1]
	start := day(t, "2025-03-03")

	t.Run("reject moves the session", func(t *testing.T) {
		check := func(c schedule.Slot, placed []schedule.Slot) (schedule.Verdict, error) {
			if c.Date == day(t, "2025-03-05") {
				return schedule.Verdict{Action: schedule.Reject, Code: "cumulative_cap_7_days", Detail: "7-day cap 100 mg would be exceeded"}, nil
			}
			if len(placed) != c.Index-1 {
				t.Errorf("check of session %d saw %d placed sessions", c.Index, len(placed))
			}
			return schedule.Verdict{}, nil
		}
		tab, err := s.Plan(start, cal, schedule.Options{Check: check})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2025-03-03", "2025-03-06", "2025-03-10", "2025-03-12", "2025-03-14", "2025-03-17"}
		if diff := cmp.Diff(want, dates(tab.Slots)); diff != "" {
			t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
		}
		wantReason := schedule.Reason{Date: day(t, "2025-03-05"), Code: "cumulative_cap_7_days", Detail: "7-day cap 100 mg would be exceeded"}
		// Mon 03-03 → Thu 03-06 is 3 days; the rhythm's Mon → Wed is 2.
		gap := schedule.Reason{Date: day(t, "2025-03-06"), Code: schedule.ReasonRhythm, Detail: "3 days after session 1 on 2025-03-03, not the 2 days the rhythm gives"}
		if diff := cmp.Diff([]schedule.Reason{wantReason, gap}, tab.Slots[1].Reasons); diff != "" {
			t.Errorf("reasons mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("drop leaves the session out and counts it", func(t *testing.T) {
		check := func(c schedule.Slot, placed []schedule.Slot) (schedule.Verdict, error) {
			if len(placed) >= 4 {
				return schedule.Verdict{Action: schedule.Drop, Code: "cumulative_cap_series", Detail: "series cap reached"}, nil
			}
			return schedule.Verdict{}, nil
		}
		tab, err := s.Plan(start, cal, schedule.Options{Check: check})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(tab.Slots); got != 4 {
			t.Errorf("len(Slots) = %d, want 4", got)
		}
		want := []schedule.Dropped{
			{Phase: "induction", Number: 5, Date: day(t, "2025-03-12"), Reason: schedule.Reason{Date: day(t, "2025-03-12"), Code: "cumulative_cap_series", Detail: "series cap reached"}},
			{Phase: "induction", Number: 6, Date: day(t, "2025-03-14"), Reason: schedule.Reason{Date: day(t, "2025-03-14"), Code: "cumulative_cap_series", Detail: "series cap reached"}},
		}
		if diff := cmp.Diff(want, tab.Dropped); diff != "" {
			t.Errorf("Dropped mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("an error stops planning", func(t *testing.T) {
		boom := errors.New("dose above hard limit")
		check := func(schedule.Slot, []schedule.Slot) (schedule.Verdict, error) { return schedule.Verdict{}, boom }
		_, err := s.Plan(start, cal, schedule.Options{Check: check})
		if !errors.Is(err, boom) {
			t.Fatalf("Plan() error = %v, want it to wrap %v", err, boom)
		}
	})

	t.Run("an action that is not one is an error", func(t *testing.T) {
		check := func(schedule.Slot, []schedule.Slot) (schedule.Verdict, error) {
			return schedule.Verdict{Action: 9}, nil
		}
		_, err := s.Plan(start, cal, schedule.Options{Check: check})
		if !hasField(err, "verdict.action", schedule.ErrRange) {
			t.Fatalf("Plan() error = %v, want verdict.action: out of range", err)
		}
	})

	t.Run("rejecting every day is a PlaceError", func(t *testing.T) {
		check := func(c schedule.Slot, _ []schedule.Slot) (schedule.Verdict, error) {
			if c.Index == 2 {
				return schedule.Verdict{Action: schedule.Reject, Detail: "never"}, nil
			}
			return schedule.Verdict{}, nil
		}
		_, err := s.Plan(start, cal, schedule.Options{Check: check})
		var pe *schedule.PlaceError
		if !errors.As(err, &pe) || !errors.Is(err, schedule.ErrNoDate) || pe.Index != 2 {
			t.Fatalf("Plan() error = %v, want a *PlaceError for session 2", err)
		}
	})
}

// TestPlanRestartAfterClosure: a closure longer than the restart rule's gap
// makes the plan begin the named phase again, and say so.
func TestPlanRestartAfterClosure(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900,
		Closed: []schedule.Closure{{Date: day(t, "2025-04-14"), Through: day(t, "2025-05-18"), Name: "renovation"}}})
	s := ivKetamine()
	s.Restart = &schedule.RestartRule{After: qty("5 weeks"), Phase: "induction"}
	tab, err := s.Plan(day(t, "2025-03-03"), cal, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12", "2025-03-14", "2025-04-11",
		"2025-05-19", "2025-05-21", "2025-05-23", "2025-05-26", "2025-05-28", "2025-05-30", "2025-06-27", "2025-07-25", "2025-08-22"}
	if diff := cmp.Diff(want, dates(tab.Slots)); diff != "" {
		t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
	}
	wantRestart := []schedule.Restart{{Index: 8, Phase: "induction", Previous: day(t, "2025-04-11"), Date: day(t, "2025-05-19"), Days: 38}}
	if diff := cmp.Diff(wantRestart, tab.Restarts); diff != "" {
		t.Errorf("Restarts mismatch (-want +got):\n%s", diff)
	}
	if s8 := tab.Slots[7]; s8.Phase != "induction" || s8.Number != 1 || s8.Reasons[len(s8.Reasons)-1].Code != schedule.ReasonRestart {
		t.Errorf("session 8 = %s %d, reasons %+v; want induction 1 with a restart reason", s8.Phase, s8.Number, s8.Reasons)
	}
}

func TestPlanBadInput(t *testing.T) {
	good := ivKetamine
	cfg := schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Starts: at0900,
		Closed: []schedule.Closure{{Date: day(t, "2025-12-25"), Name: "Christmas Day"}}}
	type want struct {
		field string
		err   error
	}
	tests := []struct {
		name   string
		reason string
		series func() schedule.Series
		start  string
		want   []want
	}{
		{
			name: "empty series", reason: "a series needs at least one phase",
			series: func() schedule.Series { return schedule.Series{MinInterval: qty("44 h")} },
			start:  "2025-03-03", want: []want{{"series.phases", schedule.ErrMissing}},
		},
		{
			name: "weekday pattern that cannot keep the minimum interval", reason: "mon and tue are 24 h apart, min_interval 48 h",
			series: func() schedule.Series {
				s := good()
				s.Phases[0].Weekdays = []schedule.Weekday{schedule.Monday, schedule.Tuesday}
				s.MinInterval = qty("48 h")
				return s
			},
			start: "2025-03-03", want: []want{{"series.phases[0].weekdays", schedule.ErrConflict}},
		},
		{
			name: "per week larger than the weekdays given", reason: "3 sessions a week on 2 weekdays",
			series: func() schedule.Series {
				s := good()
				s.Phases[0].Weekdays = []schedule.Weekday{schedule.Monday, schedule.Thursday}
				s.Phases[0].PerWeek = 3
				return s
			},
			start: "2025-03-03", want: []want{{"series.phases[0].per_week", schedule.ErrRange}},
		},
		{
			name: "start on a closed date", reason: "the start date is the first session's day",
			series: good, start: "2025-12-25", want: []want{{"start", schedule.ErrUnavailable}},
		},
		{
			name: "start on a weekday the clinic is closed", reason: "Saturday is not open",
			series: good, start: "2025-03-08", want: []want{{"start", schedule.ErrUnavailable}},
		},
		{
			name: "start on a day outside the first phase's weekdays", reason: "Tuesday is open but not mon, wed, fri",
			series: good, start: "2025-03-04", want: []want{{"start", schedule.ErrConflict}},
		},
		{
			name: "min interval in the wrong unit", reason: "44 mg is not a time",
			series: func() schedule.Series { s := good(); s.MinInterval = qty("44 mg"); return s },
			start:  "2025-03-03", want: []want{{"series.min_interval", units.ErrDimension}},
		},
		{
			name: "min interval missing", reason: "no hidden default: the protocol states it, 0 h included",
			series: func() schedule.Series { s := good(); s.MinInterval = units.Quantity{}; return s },
			start:  "2025-03-03", want: []want{{"series.min_interval", schedule.ErrMissing}},
		},
		{
			name: "interval not in whole days", reason: "sessions fall on days at the calendar's start times",
			series: func() schedule.Series { s := good(); s.Phases[1].Every = qty("36 h"); return s },
			start:  "2025-03-03", want: []want{{"series.phases[1].every", schedule.ErrRange}},
		},
		{
			name: "weekly every not in whole weeks", reason: "weekly rhythms repeat in weeks",
			series: func() schedule.Series { s := good(); s.Phases[0].Every = qty("10 day"); return s },
			start:  "2025-03-03", want: []want{{"series.phases[0].every", schedule.ErrRange}},
		},
		{
			name: "an interval too long to plan", reason: "a huge number is refused by range, never wrapped into one",
			series: func() schedule.Series {
				s := good()
				s.Phases[1].Every = qty("100000000000000000000000 weeks")
				return s
			},
			start: "2025-03-03", want: []want{{"series.phases[1].every", schedule.ErrRange}},
		},
		{
			name: "a zero interval", reason: "every 0 days would put every session on one day",
			series: func() schedule.Series { s := good(); s.Phases[1].Every = qty("0 day"); return s },
			start:  "2025-03-03", want: []want{{"series.phases[1].every", schedule.ErrRange}},
		},
		{
			name: "phase without an end", reason: "sessions, until or duration",
			series: func() schedule.Series { s := good(); s.Phases[1].Sessions = 0; return s },
			start:  "2025-03-03", want: []want{{"series.phases[1]", schedule.ErrMissing}},
		},
		{
			name: "start_after on the first phase", reason: "the first phase begins on the start date",
			series: func() schedule.Series { s := good(); s.Phases[0].StartAfter = qty("1 week"); return s },
			start:  "2025-03-03", want: []want{{"series.phases[0].start_after", schedule.ErrConflict}},
		},
		{
			name: "restart names no phase", reason: "the rule must name a phase of the series",
			series: func() schedule.Series {
				s := good()
				s.Restart = &schedule.RestartRule{After: qty("6 weeks"), Phase: "inducton"}
				return s
			},
			start: "2025-03-03", want: []want{{"series.restart.phase", schedule.ErrRange}},
		},
		{
			name: "restart shorter than the booster interval", reason: "every booster would restart the series",
			series: func() schedule.Series {
				s := good()
				s.Restart = &schedule.RestartRule{After: qty("3 weeks"), Phase: "induction"}
				return s
			},
			start: "2025-03-03", want: []want{{"series.phases[1].every", schedule.ErrConflict}, {"series.phases[1].start_after", schedule.ErrConflict}},
		},
		{
			name: "duplicate phase names", reason: "the restart rule refers to phases by name",
			series: func() schedule.Series { s := good(); s.Phases[1].Name = "induction"; return s },
			start:  "2025-03-03", want: []want{{"series.phases[1].name", schedule.ErrConflict}},
		},
		{
			name: "weekdays the calendar is never open", reason: "a Saturday session could never take place",
			series: func() schedule.Series {
				s := good()
				s.Phases[0].Weekdays = []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Saturday}
				return s
			},
			start: "2025-03-03", want: []want{{"series.phases[0].weekdays", schedule.ErrConflict}},
		},
		{
			name: "more sessions a week than max_per_7_days", reason: "3 a week against a maximum of 2",
			series: func() schedule.Series { s := good(); s.MaxPer7Days = 2; return s },
			start:  "2025-03-03", want: []want{{"series.phases[0].weekdays", schedule.ErrConflict}},
		},
		{
			name: "every problem at once", reason: "errors.Join reports all fields in one error",
			series: func() schedule.Series {
				return schedule.Series{
					Phases: []schedule.Phase{
						{Name: "", Sessions: 6, Weekdays: []schedule.Weekday{schedule.Monday}, PerWeek: 2},
						{Name: "b", Every: qty("4 weeks")},
					},
					MaxPer7Days: 9,
				}
			},
			start: "2025-03-03",
			want: []want{
				{"series.phases[0].name", schedule.ErrMissing},
				{"series.phases[0].per_week", schedule.ErrRange},
				{"series.phases[1]", schedule.ErrMissing},
				{"series.min_interval", schedule.ErrMissing},
				{"series.max_per_7_days", schedule.ErrRange},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.series().Plan(day(t, tt.start), clinic(t, cfg), schedule.Options{})
			if err == nil {
				t.Fatal("Plan() succeeded, want an error")
			}
			for _, w := range tt.want {
				if !hasField(err, w.field, w.err) {
					t.Errorf("Plan() error has no %s wrapping %v; got fields %v:\n%v", w.field, w.err, fields(err), err)
				}
			}
			if got := len(fieldErrors(err)); got != len(tt.want) {
				t.Errorf("Plan() reported %d problems, want %d:\n%v", got, len(tt.want), err)
			}
		})
	}
}

func TestPlanNilCalendar(t *testing.T) {
	_, err := ivKetamine().Plan(day(t, "2025-03-03"), nil, schedule.Options{})
	if !hasField(err, "calendar", schedule.ErrMissing) {
		t.Errorf("Plan(nil calendar) error = %v, want calendar: missing", err)
	}
}

// TestErrorMessages pins the exact wording of a few errors; other tests
// match on fields and sentinels only.
func TestErrorMessages(t *testing.T) {
	s := ivKetamine()
	s.Phases[1].PerWeek = 2
	s.Phases[0].Weekdays = []schedule.Weekday{schedule.Monday, schedule.Tuesday}
	s.Phases[0].PerWeek = 3
	s.MinInterval = qty("48 h")
	_, err := schedule.NewCalendar(schedule.CalendarConfig{Zone: "Mars/Olympus_Mons", Open: monToFri, Starts: at0900})
	errs := []error{s.Validate(), err}
	_, err = schedule.ParseDate("2025-02-29")
	errs = append(errs, err)
	got := errors.Join(errs...).Error()
	want := strings.Join([]string{
		`schedule: series.phases[0].per_week "3": is more than the 2 weekdays given (must be 1 to 2)`,
		`schedule: series.phases[1].per_week "2": needs weekdays (per_week counts sessions on the weekdays given)`,
		`schedule: calendar.zone "Mars/Olympus_Mons": is not a time zone known to this program (give an IANA name, e.g. "Europe/Berlin"; programs without a system zone database should import time/tzdata)`,
		`schedule: date "2025-02-29": is not a day of the calendar (February 2025 has 28 days)`,
	}, "\n")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}

	s = ivKetamine()
	s.Phases[0].Weekdays = []schedule.Weekday{schedule.Monday, schedule.Tuesday}
	s.MinInterval = qty("48 h")
	s.Phases = s.Phases[:1]
	s.Phases[0].Weekdays = append(s.Phases[0].Weekdays, schedule.Friday)
	want = `schedule: series.phases[0].weekdays "mon, tue, fri": cannot keep min_interval 48 h (mon to tue is 1 day, 24 h)`
	if got := s.Validate().Error(); got != want {
		t.Errorf("Validate() = %s\nwant         %s", got, want)
	}
}

// TestPlanRestartTheCalendarCannotKeep: when the open weekdays alone push a
// session past the restart rule's gap, restarting would recur forever; the
// plan refuses with the conflict instead of guessing.
func TestPlanRestartTheCalendarCannotKeep(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900})
	s := schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 1, Weekdays: []schedule.Weekday{schedule.Thursday}},
			{Name: "boosters", Sessions: 3, Every: qty("30 day")},
		},
		MinInterval: qty("44 h"),
		Restart:     &schedule.RestartRule{After: qty("30 day"), Phase: "induction"},
	}
	// Thu Mar 13 + 30 days is Saturday Apr 12: the booster moves to Monday,
	// 32 days after, more than 30.
	_, err := s.Plan(day(t, "2025-03-13"), cal, schedule.Options{})
	if !hasField(err, "series.restart.after", schedule.ErrConflict) {
		t.Fatalf("Plan() error = %v, want series.restart.after: conflict", err)
	}
}

// TestSeriesJSON reads a series and a calendar the way a protocol file and a
// clinic's settings write them (snake_case, quantities and dates as text),
// strictly, and plans WC15 from them.
func TestSeriesJSON(t *testing.T) {
	const seriesJSON = `{
		"phases": [
			{"name": "induction", "sessions": 6, "weekdays": ["mon", "wed", "fri"]},
			{"name": "boosters", "sessions": 3, "every": "4 weeks", "start_after": "4 weeks"}
		],
		"min_interval": "44 h",
		"max_per_7_days": 3,
		"restart": {"after": "6 weeks", "phase": "induction"}
	}`
	const calendarJSON = `{"zone": "America/New_York", "open": ["mon", "tue", "wed", "thu", "fri"],
		"closed": [{"date": "2025-12-24", "through": "2025-12-26", "name": "Christmas"}], "starts": ["09:00", "14:00"]}`
	var s schedule.Series
	var cfg schedule.CalendarConfig
	for _, doc := range []struct {
		text string
		into any
	}{{seriesJSON, &s}, {calendarJSON, &cfg}} {
		dec := json.NewDecoder(strings.NewReader(doc.text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(doc.into); err != nil {
			t.Fatal(err)
		}
	}
	want := ivKetamine()
	want.Restart = &schedule.RestartRule{After: qty("6 weeks"), Phase: "induction"}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("decoded series mismatch (-want +got):\n%s", diff)
	}
	out, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	const compact = `{"phases":[{"name":"induction","sessions":6,"weekdays":["mon","wed","fri"]},` +
		`{"name":"boosters","sessions":3,"every":"4 weeks","start_after":"4 weeks"}],` +
		`"min_interval":"44 h","max_per_7_days":3,"restart":{"after":"6 weeks","phase":"induction"}}`
	if string(out) != compact {
		t.Errorf("Marshal(series) = %s\nwant              %s", out, compact)
	}
	tab, err := s.Plan(day(t, "2025-03-03"), clinic(t, cfg), schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantDates := []string{"2025-03-03", "2025-03-05", "2025-03-07", "2025-03-10", "2025-03-12", "2025-03-14", "2025-04-11", "2025-05-09", "2025-06-06"}
	if diff := cmp.Diff(wantDates, dates(tab.Slots)); diff != "" {
		t.Errorf("Plan() mismatch (-want +got):\n%s", diff)
	}

	b, err := json.Marshal(tab.Slots[0])
	if err != nil {
		t.Fatal(err)
	}
	const wantSlot = `{"index":1,"phase":"induction","phase_index":0,"number":1,"of":6,"date":"2025-03-03","start":"2025-03-03T09:00:00-05:00"}`
	if string(b) != wantSlot {
		t.Errorf("Slot JSON = %s\nwant       %s", b, wantSlot)
	}
	if err := json.Unmarshal([]byte(`{"phases":[{"name":"x","sessions":1,"weekdays":["someday"]}]}`), &s); !errors.Is(err, schedule.ErrSyntax) {
		t.Errorf("a bad weekday in JSON: error = %v, want ErrSyntax", err)
	}
	var tod schedule.TimeOfDay
	if err := json.Unmarshal([]byte(`"25:00"`), &tod); !errors.Is(err, schedule.ErrRange) {
		t.Errorf("a bad time of day in JSON: error = %v, want ErrRange", err)
	}
	if b, err := json.Marshal(schedule.TimeOfDay{Hour: 14, Minute: 5}); err != nil || string(b) != `"14:05"` {
		t.Errorf("TimeOfDay JSON = %s, %v", b, err)
	}
}

func TestPlanEmptyPhase(t *testing.T) {
	s := ivKetamine()
	s.Phases[1] = schedule.Phase{Name: "boosters", Until: day(t, "2025-03-20"), Every: qty("4 weeks")}
	cal := clinic(t, schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900})
	_, err := s.Plan(day(t, "2025-03-03"), cal, schedule.Options{})
	if !hasField(err, "series.phases[1]", schedule.ErrConflict) {
		t.Errorf("Plan() error = %v, want series.phases[1]: conflict (the phase ends before it can begin)", err)
	}
}

func TestPlaceErrorMessage(t *testing.T) {
	e := &schedule.PlaceError{Index: 4, Phase: "boosters", Number: 2, Nominal: day(t, "2025-05-09"),
		Last: schedule.Reason{Date: day(t, "2026-05-10"), Code: schedule.ReasonClosed, Detail: "clinic closed"}}
	want := "schedule: session 4 (boosters 2): no date from 2025-05-09 to 2026-05-10 keeps every constraint (last refusal: 2026-05-10, clinic closed)"
	if e.Error() != want || !errors.Is(e, schedule.ErrNoDate) {
		t.Errorf("Error() = %s\nwant      %s", e.Error(), want)
	}
}

// TestPlanRhythmAfterAMove: the rhythm goes on from where a moved session
// fell (an interval from its day; a weekly rhythm from its week, on its
// weekdays), and every gap between two sessions of a run that is not the
// rhythm's is noted on the later session. Each row lists the dates and the
// notes by session; the derivation is in the reason.
func TestPlanRhythmAfterAMove(t *testing.T) {
	mon := []schedule.Weekday{schedule.Monday}
	tests := []struct {
		name   string
		reason string
		series schedule.Series
		open   []schedule.Weekday
		closed []schedule.Closure
		start  string
		check  schedule.CheckFunc
		want   []string
		notes  map[int]string // the rhythm_gap detail, by session
	}{
		{
			name: "every 2 weeks: a session moved a week by the new-year closure keeps the interval after it",
			reason: "Mondays from 12-15: 12-29 is closed (12-24 to 01-02), so session 2 moves to Mon 01-05 (21 days " +
				"after 12-15, noted); its week becomes the active one, so session 3 is 01-19, 14 days later, not 01-12 (7 days)",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "continuation", Sessions: 4, Weekdays: mon, Every: qty("2 weeks")}},
				MinInterval: qty("48 h"), MaxPer7Days: 2},
			open:   []schedule.Weekday{schedule.Monday, schedule.Thursday},
			closed: []schedule.Closure{{Date: day(t, "2025-12-24"), Through: day(t, "2026-01-02")}},
			start:  "2025-12-15",
			want:   []string{"2025-12-15", "2026-01-05", "2026-01-19", "2026-02-02"},
			notes:  map[int]string{2: "21 days after session 1 on 2025-12-15, not the 14 days the rhythm gives"},
		},
		{
			name: "every 3 weeks: a two-week closure moves a session into a skipped week",
			reason: "Mondays 03-03, 03-24 (closed to 04-06) → Mon 04-07, 35 days after 03-03 (noted; the rhythm gives " +
				"21); the next is 21 days after 04-07, 04-28, not 04-14 on the old grid",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "boosters", Sessions: 3, Weekdays: mon, Every: qty("3 weeks")}},
				MinInterval: qty("0 h")},
			open:   monToFri,
			closed: []schedule.Closure{{Date: day(t, "2025-03-24"), Through: day(t, "2025-04-04")}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-04-07", "2025-04-28"},
			notes:  map[int]string{2: "35 days after session 1 on 2025-03-03, not the 21 days the rhythm gives"},
		},
		{
			name: "every 2 weeks: a session moved within its week leaves the next on its weekday",
			reason: "Mon 03-17 is closed → Tue 03-18 (15 days after 03-03, noted); the rhythm keeps Mondays, so the next " +
				"is Mon 03-31, 13 days after Tue 03-18 (noted: the rhythm gives 14 from the Monday it stood for)",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "continuation", Sessions: 3, Weekdays: mon, Every: qty("2 weeks")}},
				MinInterval: qty("48 h")},
			open:   monToFri,
			closed: []schedule.Closure{{Date: day(t, "2025-03-17")}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-18", "2025-03-31"},
			notes: map[int]string{
				2: "15 days after session 1 on 2025-03-03, not the 14 days the rhythm gives",
				3: "13 days after session 2 on 2025-03-18, not the 14 days the rhythm gives",
			},
		},
		{
			name: "a one-day move across the phase's week boundary leaves the weeks where they are",
			reason: "the continuation begins Tue 12-09 (the day after the first phase), so its weeks run Tue to Mon: " +
				"Mon 12-15, then Mon 12-29, closed → Tue 12-30, the first day of a skipped week but only a day late " +
				"(15 days, noted); the next stays on its Monday, 01-12 (13 days after Tue, noted), not a week later",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "first", Sessions: 1, Weekdays: mon},
				{Name: "continuation", Sessions: 3, Weekdays: mon, Every: qty("2 weeks")}}, MinInterval: qty("48 h")},
			open:   monToFri,
			closed: []schedule.Closure{{Date: day(t, "2025-12-29")}},
			start:  "2025-12-08",
			want:   []string{"2025-12-08", "2025-12-15", "2025-12-30", "2026-01-12"},
			notes: map[int]string{
				3: "15 days after session 2 on 2025-12-15, not the 14 days the rhythm gives",
				4: "13 days after session 3 on 2025-12-30, not the 14 days the rhythm gives",
			},
		},
		{
			name: "weekly: a Monday moved to the Tuesday that begins the phase's next week keeps the next Monday",
			reason: "maintenance begins Tue 03-04 (after Mon 03-03), its weeks Tue to Mon: Mon 03-10, then Mon 03-17 " +
				"closed → Tue 03-18 (8 days, noted), which stands for 03-17 in its week; the next is Mon 03-24, 6 days " +
				"later (noted), not 03-31",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "first", Sessions: 1, Weekdays: mon},
				{Name: "maintenance", Sessions: 3, Weekdays: mon}}, MinInterval: qty("48 h")},
			open:   monToFri,
			closed: []schedule.Closure{{Date: day(t, "2025-03-17")}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-10", "2025-03-18", "2025-03-24"},
			notes: map[int]string{
				3: "8 days after session 2 on 2025-03-10, not the 7 days the rhythm gives",
				4: "6 days after session 3 on 2025-03-18, not the 7 days the rhythm gives",
			},
		},
		{
			name: "an interval phase counts from the day a session moved to",
			reason: "every 10 days from Mon 03-03: 03-13 (Thu) is closed → Fri 03-14, 11 days (noted); the next is " +
				"10 days after 03-14, Mon 03-24, with no note",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "boosters", Sessions: 3, Every: qty("10 days")}}, MinInterval: qty("0 h")},
			open:   monToFri,
			closed: []schedule.Closure{{Date: day(t, "2025-03-13")}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-14", "2025-03-24"},
			notes:  map[int]string{2: "11 days after session 1 on 2025-03-03, not the 10 days the rhythm gives"},
		},
		{
			name: "twice weekly: a Monday moved to Tuesday makes the Thursday 2 days after it",
			reason: "Mon/Thu from 03-03: Mon 03-10 is closed → Tue 03-11, 5 days after Thu 03-06 (the rhythm's Thu → Mon " +
				"is 4, noted); Thu 03-13 is 2 days after it where the Monday it stood for gives 3 (noted); Mon 03-17 is " +
				"Thu → Mon, 4 days, the rhythm's",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "induction", Sessions: 5,
				Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}}}, MinInterval: qty("0 h")},
			open:   monToFri,
			closed: []schedule.Closure{{Date: day(t, "2025-03-10")}},
			start:  "2025-03-03",
			want:   []string{"2025-03-03", "2025-03-06", "2025-03-11", "2025-03-13", "2025-03-17"},
			notes: map[int]string{
				3: "5 days after session 2 on 2025-03-06, not the 4 days the rhythm gives",
				4: "2 days after session 3 on 2025-03-11, not the 3 days the rhythm gives",
			},
		},
		{
			name:   "a dropped session leaves a gap that says so",
			reason: "weekly Mondays; the check drops the one on 03-10, so 03-03 → 03-17 is 14 days with one session of the rhythm dropped between",
			series: schedule.Series{Phases: []schedule.Phase{{Name: "maintenance", Sessions: 3, Weekdays: mon}}, MinInterval: qty("0 h")},
			open:   monToFri,
			start:  "2025-03-03",
			check: func(c schedule.Slot, _ []schedule.Slot) (schedule.Verdict, error) {
				if c.Date.String() == "2025-03-10" {
					return schedule.Verdict{Action: schedule.Drop, Code: "cumulative_cap_series", Detail: "series cap"}, nil
				}
				return schedule.Verdict{}, nil
			},
			want:  []string{"2025-03-03", "2025-03-17"},
			notes: map[int]string{2: "14 days after session 1 on 2025-03-03: 1 session of the rhythm between them was dropped"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := clinic(t, schedule.CalendarConfig{Zone: "Europe/Berlin", Open: tt.open, Closed: tt.closed, Starts: at0900})
			tab, err := tt.series.Plan(day(t, tt.start), cal, schedule.Options{Check: tt.check})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, dates(tab.Slots)); diff != "" {
				t.Errorf("Plan() dates mismatch (-want +got):\n%s", diff)
			}
			got := map[int]string{}
			for _, s := range tab.Slots {
				for _, r := range s.Reasons {
					if r.Code == schedule.ReasonRhythm {
						got[s.Index] = r.Detail
					}
				}
			}
			if diff := cmp.Diff(tt.notes, got); diff != "" {
				t.Errorf("rhythm notes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// The shape of every error of the package (ERRORS-DECISION, after
// strconv.NumError): the package, the field, the value quoted, then what is
// wrong; without a value, the field then what is wrong. Sentinels carry the
// package prefix too.
func TestErrorShape(t *testing.T) {
	for _, tc := range []struct {
		err  *schedule.FieldError
		want string
	}{
		{&schedule.FieldError{Field: "series.phases[1].per_week", Value: "3", Msg: "is more than the 2 weekdays given", Err: schedule.ErrRange},
			`schedule: series.phases[1].per_week "3": is more than the 2 weekdays given`},
		{&schedule.FieldError{Field: "session.observation", Msg: "required", Err: schedule.ErrMissing}, `schedule: session.observation: required`},
		{&schedule.FieldError{Field: "name", Value: `a "quoted" name`, Msg: "is too long", Err: schedule.ErrRange}, `schedule: name "a \"quoted\" name": is too long`},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %s\nwant      %s", got, tc.want)
		}
		if !errors.Is(tc.err, tc.err.Err) {
			t.Errorf("%v does not unwrap to %v", tc.err, tc.err.Err)
		}
	}
	for _, s := range []error{schedule.ErrSyntax, schedule.ErrMissing, schedule.ErrRange, schedule.ErrConflict,
		schedule.ErrUnknownZone, schedule.ErrUnavailable, schedule.ErrNoDate, schedule.ErrHistory} {
		if !strings.HasPrefix(s.Error(), "schedule: ") {
			t.Errorf("sentinel %q has no package prefix", s)
		}
	}
}
