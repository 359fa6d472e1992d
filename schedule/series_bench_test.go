package schedule_test

import (
	"io"
	"testing"

	"github.com/doseplan/doseplan/schedule"
)

// maintenanceYear is 52 weekly Monday sessions from 2025-01-06 on a calendar
// with 20 closed dates, 8 of them Mondays.
func maintenanceYear(b *testing.B) (schedule.Series, *schedule.Calendar, schedule.Date) {
	var closed []schedule.Closure
	for i, s := range []string{
		"2025-01-01", "2025-01-20", "2025-02-17", "2025-04-18", "2025-04-21", "2025-05-01", "2025-05-26", "2025-05-29",
		"2025-06-09", "2025-06-19", "2025-07-04", "2025-09-01", "2025-10-03", "2025-10-13", "2025-11-11", "2025-11-27",
		"2025-12-24", "2025-12-25", "2025-12-26", "2025-12-31",
	} {
		closed = append(closed, schedule.Closure{Date: day(b, s), Name: "holiday " + string(rune('A'+i))})
	}
	cal := clinic(b, schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Closed: closed, Starts: at0900})
	s := schedule.Series{
		Phases:      []schedule.Phase{{Name: "maintenance", Sessions: 52, Weekdays: []schedule.Weekday{schedule.Monday}}},
		MinInterval: qty("44 h"),
		MaxPer7Days: 2,
		Restart:     &schedule.RestartRule{After: qty("4 weeks"), Phase: "maintenance"},
	}
	return s, cal, day(b, "2025-01-06")
}

func BenchmarkPlanInduction6(b *testing.B) {
	s := ivKetamine()
	s.Phases = s.Phases[:1]
	cal := clinic(b, schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Starts: at0900})
	start := day(b, "2025-03-03")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Plan(start, cal, schedule.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPlanMaintenance52Weeks20Closed(b *testing.B) {
	s, cal, start := maintenanceYear(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Plan(start, cal, schedule.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplanMaintenance52Weeks replans the same year after 20 sessions
// done (each an hour late) and one missed.
func BenchmarkReplanMaintenance52Weeks(b *testing.B) {
	s, cal, start := maintenanceYear(b)
	tab, err := s.Plan(start, cal, schedule.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var h []schedule.Event
	for _, sl := range tab.Slots[:20] {
		h = append(h, schedule.Event{Kind: schedule.Done, Session: sl.Index, At: sl.Start.Add(3600e9)})
	}
	h = append(h, schedule.Event{Kind: schedule.Missed, Session: 21})
	from := tab.Slots[20].Date.AddDays(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tab.Replan(h, from); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteICal52(b *testing.B) {
	s, cal, start := maintenanceYear(b)
	tab, err := s.Plan(start, cal, schedule.Options{})
	if err != nil {
		b.Fatal(err)
	}
	opt := schedule.ICalOptions{PlanID: "bench", Stamp: stamp, Length: qty("2 h")}
	b.ReportAllocs()
	for b.Loop() {
		if err := schedule.WriteICal(io.Discard, tab.Slots, opt); err != nil {
			b.Fatal(err)
		}
	}
}
