package schedule_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/schedule"
)

func TestNewCalendarBadInput(t *testing.T) {
	d := func(s string) schedule.Date { return day(t, s) }
	type want struct {
		field string
		err   error
	}
	tests := []struct {
		name string
		cfg  schedule.CalendarConfig
		want []want
	}{
		{"unknown time zone", schedule.CalendarConfig{Zone: "Europe/Atlantis", Open: monToFri, Starts: at0900},
			[]want{{"calendar.zone", schedule.ErrUnknownZone}}},
		{"the host's zone", schedule.CalendarConfig{Zone: "Local", Open: monToFri, Starts: at0900},
			[]want{{"calendar.zone", schedule.ErrUnknownZone}}},
		{"a path, not a zone", schedule.CalendarConfig{Zone: "../../etc/passwd", Open: monToFri, Starts: at0900},
			[]want{{"calendar.zone", schedule.ErrUnknownZone}}},
		{"no zone", schedule.CalendarConfig{Open: monToFri, Starts: at0900},
			[]want{{"calendar.zone", schedule.ErrMissing}}},
		{"no open weekdays", schedule.CalendarConfig{Zone: "UTC", Starts: at0900},
			[]want{{"calendar.open", schedule.ErrMissing}}},
		{"a weekday twice", schedule.CalendarConfig{Zone: "UTC", Open: []schedule.Weekday{schedule.Monday, schedule.Monday}, Starts: at0900},
			[]want{{"calendar.open[1]", schedule.ErrConflict}}},
		{"not a weekday", schedule.CalendarConfig{Zone: "UTC", Open: []schedule.Weekday{7}, Starts: at0900},
			[]want{{"calendar.open[0]", schedule.ErrRange}}},
		{"no start time", schedule.CalendarConfig{Zone: "UTC", Open: monToFri},
			[]want{{"calendar.starts", schedule.ErrMissing}}},
		{"a start time out of range", schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: []schedule.TimeOfDay{{Hour: 25}}},
			[]want{{"calendar.starts[0]", schedule.ErrRange}}},
		{"a start time twice", schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: []schedule.TimeOfDay{{Hour: 9}, {Hour: 9}}},
			[]want{{"calendar.starts[1]", schedule.ErrConflict}}},
		{"a closure ending before it begins", schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900,
			Closed: []schedule.Closure{{Date: d("2025-12-31"), Through: d("2025-12-24")}}},
			[]want{{"calendar.closed[0].through", schedule.ErrRange}}},
		{"a closure of over a year", schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900,
			Closed: []schedule.Closure{{Date: d("2025-01-01"), Through: d("2026-01-02")}}},
			[]want{{"calendar.closed[0].through", schedule.ErrRange}}},
		{"a closed date that does not exist", schedule.CalendarConfig{Zone: "UTC", Open: monToFri, Starts: at0900,
			Closed: []schedule.Closure{{Date: schedule.Date{Year: 2025, Month: 2, Day: 29}}}},
			[]want{{"calendar.closed[0].date", schedule.ErrRange}}},
		{"every problem at once", schedule.CalendarConfig{Zone: "Nowhere/Town", Starts: []schedule.TimeOfDay{{Minute: 75}}},
			[]want{{"calendar.zone", schedule.ErrUnknownZone}, {"calendar.open", schedule.ErrMissing}, {"calendar.starts[0]", schedule.ErrRange}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal, err := schedule.NewCalendar(tt.cfg)
			if cal != nil || err == nil {
				t.Fatalf("NewCalendar() = %v, %v; want an error", cal, err)
			}
			for _, w := range tt.want {
				if !hasField(err, w.field, w.err) {
					t.Errorf("NewCalendar() error has no %s wrapping %v; got fields %v:\n%v", w.field, w.err, fields(err), err)
				}
			}
			if got := len(fieldErrors(err)); got != len(tt.want) {
				t.Errorf("NewCalendar() reported %d problems, want %d:\n%v", got, len(tt.want), err)
			}
		})
	}
}

func TestCalendar(t *testing.T) {
	cfg := schedule.CalendarConfig{
		Zone:   "Europe/Berlin",
		Open:   slices.Clone(monToFri),
		Closed: []schedule.Closure{{Date: day(t, "2025-12-24"), Through: day(t, "2025-12-26"), Name: "Christmas"}},
		Starts: []schedule.TimeOfDay{{Hour: 14}, {Hour: 9}},
	}
	cal := clinic(t, cfg)
	if got := cal.Location().String(); got != "Europe/Berlin" {
		t.Errorf("Location() = %s", got)
	}
	open := map[string]bool{
		"2025-12-22": true,  // Monday
		"2025-12-24": false, // closure, first day
		"2025-12-25": false,
		"2025-12-26": false, // closure, last day
		"2025-12-27": false, // Saturday
		"2025-12-29": true,
	}
	for s, want := range open {
		if got := cal.IsOpen(day(t, s)); got != want {
			t.Errorf("IsOpen(%s) = %v, want %v", s, got, want)
		}
	}
	want := cfg
	want.Starts = []schedule.TimeOfDay{{Hour: 9}, {Hour: 14}}
	if diff := cmp.Diff(want, cal.Config()); diff != "" {
		t.Errorf("Config() mismatch (-want +got):\n%s", diff)
	}
	cfg.Open[0] = schedule.Sunday // the calendar keeps its own copy
	if !cal.IsOpen(day(t, "2025-12-22")) {
		t.Error("changing the config after NewCalendar changed the calendar")
	}
}
