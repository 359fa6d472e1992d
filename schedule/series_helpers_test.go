package schedule_test

import (
	"errors"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the host's zone database

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// day parses a date literal of a test.
func day(t testing.TB, s string) schedule.Date {
	t.Helper()
	d, err := schedule.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// clinic builds a calendar of a test.
func clinic(t testing.TB, cfg schedule.CalendarConfig) *schedule.Calendar {
	t.Helper()
	c, err := schedule.NewCalendar(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// qty is units.MustParse, for literal quantities.
func qty(s string) units.Quantity { return units.MustParse(s) }

var (
	monToFri = []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday}
	allWeek  = []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday, schedule.Saturday, schedule.Sunday}
	at0900   = []schedule.TimeOfDay{{Hour: 9}}
)

// row is a slot as one line a person can read in a diff:
// "3 induction 3/8 2025-03-10 Mon 09:00 EST".
func row(s schedule.Slot) string {
	r := fmt.Sprintf("%d %s %d/%d %s %s %s", s.Index, s.Phase, s.Number, s.Of, s.Date, s.Date.Weekday().String()[:3], s.Start.Format("15:04 MST"))
	if !s.MovedFrom.IsZero() {
		r += " moved from " + s.MovedFrom.String()
	}
	if s.Done {
		r += " done"
	}
	return r
}

func rows(slots []schedule.Slot) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = row(s)
	}
	return out
}

func dates(slots []schedule.Slot) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = s.Date.String()
	}
	return out
}

// fieldErrors flattens a joined error into its *FieldErrors.
func fieldErrors(err error) []*schedule.FieldError {
	var out []*schedule.FieldError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, fieldErrors(e)...)
		}
		return out
	}
	var fe *schedule.FieldError
	if errors.As(err, &fe) {
		out = append(out, fe)
	}
	return out
}

// hasField reports whether err holds a *FieldError for field that wraps want.
func hasField(err error, field string, want error) bool {
	for _, fe := range fieldErrors(err) {
		if fe.Field == field && errors.Is(fe, want) {
			return true
		}
	}
	return false
}

func fields(err error) []string {
	var out []string
	for _, fe := range fieldErrors(err) {
		out = append(out, fe.Field)
	}
	return out
}

// inZone is a wall-clock instant of a test.
func inZone(t testing.TB, zone string, y int, m time.Month, d, h, min int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, h, min, 0, 0, loc)
}
