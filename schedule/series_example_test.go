package schedule_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func ExampleParseDate() {
	d, err := schedule.ParseDate("2028-02-28")
	if err != nil {
		panic(err)
	}
	fmt.Println(d, d.Weekday(), d.AddDays(1), d.AddDays(2))

	_, err = schedule.ParseDate("2025-02-29")
	fmt.Println(err)
	// Output:
	// 2028-02-28 Monday 2028-02-29 2028-03-01
	// schedule: date "2025-02-29": is not a day of the calendar (February 2025 has 28 days)
}

func ExampleDate_AddDays() {
	// Day arithmetic is civil: the day after the US spring-forward day is
	// simply the next date, though that day had 23 hours.
	d := schedule.Date{Year: 2025, Month: time.March, Day: 8}
	fmt.Println(d.AddDays(1), d.AddDays(2), d.AddDays(-67), d.AddDays(2).DaysSince(d))
	// Output:
	// 2025-03-09 2025-03-10 2024-12-31 2
}

func ExampleDateOf() {
	loc, _ := time.LoadLocation("America/New_York")
	t := time.Date(2025, time.March, 3, 23, 30, 0, 0, loc)
	fmt.Println(schedule.DateOf(t), schedule.DateOf(t.UTC()))
	// Output:
	// 2025-03-03 2025-03-04
}

func ExampleParseWeekday() {
	w, _ := schedule.ParseWeekday("thu")
	fmt.Println(w, time.Weekday(w))
	_, err := schedule.ParseWeekday("thursday")
	fmt.Println(err)
	// Output:
	// thu Thursday
	// schedule: weekday "thursday": is not a weekday (must be one of mon, tue, wed, thu, fri, sat, sun)
}

func ExampleParseTimeOfDay() {
	t, _ := schedule.ParseTimeOfDay("09:00")
	fmt.Println(t)
	_, err := schedule.ParseTimeOfDay("24:00")
	fmt.Println(err)
	// Output:
	// 09:00
	// schedule: time of day "24:00": is out of range (must be 00:00 to 23:59)
}

func ExampleNewCalendar() {
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "Europe/Berlin",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday},
		Closed: []schedule.Closure{{Date: schedule.Date{Year: 2025, Month: time.April, Day: 21}, Name: "Easter Monday"}},
		Starts: []schedule.TimeOfDay{{Hour: 9}, {Hour: 14}},
	})
	if err != nil {
		panic(err)
	}
	for _, d := range []schedule.Date{{Year: 2025, Month: time.April, Day: 21}, {Year: 2025, Month: time.April, Day: 23}} {
		fmt.Println(d, cal.IsOpen(d))
	}

	// Every problem is reported at once, each with its field.
	_, err = schedule.NewCalendar(schedule.CalendarConfig{Zone: "Europe/Berln", Starts: []schedule.TimeOfDay{{Hour: 9}}})
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		fmt.Println(e.(*schedule.FieldError).Field, errors.Is(e, schedule.ErrUnknownZone))
	}
	// Output:
	// 2025-04-21 false
	// 2025-04-23 true
	// calendar.zone true
	// calendar.open false
}

func demoCalendarIsOpen(w io.Writer) {
	cal, _ := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "UTC",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Closed: []schedule.Closure{{Date: schedule.Date{Year: 2025, Month: time.December, Day: 24}, Through: schedule.Date{Year: 2026, Month: time.January, Day: 1}}},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	for d := (schedule.Date{Year: 2025, Month: time.December, Day: 22}); d.Before(schedule.Date{Year: 2026, Month: time.January, Day: 6}); d = d.AddDays(1) {
		if cal.IsOpen(d) {
			fmt.Fprint(w, d, " ")
		}
	}
	fmt.Fprintln(w)
}

// newYorkClinic is a Monday-to-Friday clinic with 09:00 sessions.
func newYorkClinic(closed ...schedule.Closure) *schedule.Calendar {
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Tuesday, schedule.Wednesday, schedule.Thursday, schedule.Friday},
		Closed: closed,
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	if err != nil {
		panic(err)
	}
	return cal
}

// The IV ketamine series of clinical.md WC15: six infusions Monday,
// Wednesday, Friday, then boosters every 4 weeks after the last one.
func demoSeriesPlan(w io.Writer) {
	s := schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 6, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday}},
			{Name: "boosters", Sessions: 3, Every: units.MustParse("4 weeks"), StartAfter: units.MustParse("4 weeks")},
		},
		MinInterval: units.MustParse("44 h"),
		MaxPer7Days: 3,
	}
	tab, err := s.Plan(schedule.Date{Year: 2025, Month: time.March, Day: 3}, newYorkClinic(), schedule.Options{})
	if err != nil {
		panic(err)
	}
	for _, sl := range tab.Slots {
		fmt.Fprintln(w, sl.Index, sl.Phase, sl.Number, sl.Date, sl.Start.Format("Mon 15:04 MST"))
	}
}

// A closed date moves a session to the next day that keeps every
// constraint, and the slot says from where and why.
func demoSeriesPlanClosedDate(w io.Writer) {
	s := schedule.Series{
		Phases:      []schedule.Phase{{Name: "boosters", Sessions: 2, Every: units.MustParse("4 weeks")}},
		MinInterval: units.MustParse("44 h"),
	}
	cal := newYorkClinic(schedule.Closure{Date: schedule.Date{Year: 2025, Month: time.May, Day: 26}, Name: "Memorial Day"})
	tab, _ := s.Plan(schedule.Date{Year: 2025, Month: time.April, Day: 28}, cal, schedule.Options{})
	moved := tab.Slots[1]
	fmt.Fprintln(w, moved.Date, "moved from", moved.MovedFrom)
	for _, r := range moved.Reasons {
		fmt.Fprintln(w, r.Date, r.Code, r.Detail)
	}
}

// Options.Check is where a caller refuses a slot for reasons of its own,
// such as a cumulative dose cap: Reject moves the session, Drop leaves it
// out.
func demoSeriesPlanCheck(w io.Writer) {
	s := schedule.Series{
		Phases:      []schedule.Phase{{Name: "induction", Sessions: 3, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday}}},
		MinInterval: units.MustParse("44 h"),
	}
	capWeek := func(c schedule.Slot, placed []schedule.Slot) (schedule.Verdict, error) {
		if c.Date.Weekday() == time.Wednesday {
			return schedule.Verdict{Action: schedule.Reject, Code: "cumulative_cap_7_days", Detail: "7-day cap would be exceeded"}, nil
		}
		return schedule.Verdict{}, nil
	}
	tab, _ := s.Plan(schedule.Date{Year: 2025, Month: time.March, Day: 3}, newYorkClinic(), schedule.Options{Check: capWeek})
	for _, sl := range tab.Slots {
		var codes []schedule.ReasonCode
		for _, r := range sl.Reasons {
			codes = append(codes, r.Code)
		}
		fmt.Fprintln(w, sl.Date, sl.Date.Weekday(), codes)
	}
}

func demoSeriesValidate(w io.Writer) {
	s := schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 8, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}, PerWeek: 3},
			{Name: "maintenance", Weekdays: []schedule.Weekday{schedule.Monday}},
		},
		MinInterval: units.MustParse("48 mg"),
	}
	fmt.Fprintln(w, s.Validate())
}

// Replan plans the rest of a series from what happened: here session 2 was
// done late in the day, and session 3 missed.
func demoTimetableReplan(w io.Writer) {
	s := schedule.Series{
		Phases:      []schedule.Phase{{Name: "induction", Sessions: 6, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday}}},
		MinInterval: units.MustParse("44 h"),
	}
	cal := newYorkClinic()
	tab, _ := s.Plan(schedule.Date{Year: 2025, Month: time.March, Day: 3}, cal, schedule.Options{})
	at := func(day, hour int) time.Time { return time.Date(2025, time.March, day, hour, 0, 0, 0, cal.Location()) }
	history := []schedule.Event{
		{Kind: schedule.Done, Session: 1, At: at(3, 9)},
		{Kind: schedule.Done, Session: 2, At: at(5, 16)},
		{Kind: schedule.Missed, Session: 3, Note: "no transport"},
	}
	later, err := tab.Replan(history, schedule.Date{Year: 2025, Month: time.March, Day: 8})
	if err != nil {
		panic(err)
	}
	for _, sl := range later.Slots {
		fmt.Fprintln(w, sl.Index, sl.Date, sl.Start.Format("15:04"), sl.Done)
	}
}

func demoTimetableWriteTable(w io.Writer) {
	s := schedule.Series{
		Phases: []schedule.Phase{
			{Name: "induction", Sessions: 2, Weekdays: []schedule.Weekday{schedule.Monday, schedule.Thursday}},
			{Name: "maintenance", Sessions: 2, Weekdays: []schedule.Weekday{schedule.Monday}},
		},
		MinInterval: units.MustParse("48 h"),
	}
	cal := newYorkClinic(schedule.Closure{Date: schedule.Date{Year: 2025, Month: time.March, Day: 10}, Name: "staff training"})
	tab, _ := s.Plan(schedule.Date{Year: 2025, Month: time.March, Day: 3}, cal, schedule.Options{})
	if err := tab.WriteTable(w); err != nil {
		panic(err)
	}
}

func demoWriteICal(w io.Writer) {
	s := schedule.Series{
		Phases:      []schedule.Phase{{Name: "boosters", Sessions: 1, Every: units.MustParse("4 weeks")}},
		MinInterval: units.MustParse("44 h"),
	}
	tab, _ := s.Plan(schedule.Date{Year: 2025, Month: time.April, Day: 11}, newYorkClinic(), schedule.Options{})
	var b strings.Builder
	err := schedule.WriteICal(&b, tab.Slots, schedule.ICalOptions{
		PlanID: "example plan",
		Stamp:  time.Date(2025, time.March, 1, 12, 0, 0, 0, time.UTC),
		Length: units.MustParse("150 min"),
		Describe: func(sl schedule.Slot) (string, []string) {
			return "IV ketamine booster", []string{"Dose: see the worksheet"}
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Fprint(w, strings.ReplaceAll(b.String(), "\r\n", "\n"))
}

func ExampleVitalGates_Check() {
	gates := schedule.VitalGates{ // the clinic's numbers, from its protocol
		Warn: schedule.Thresholds{SystolicAbove: units.MustParse("140 mmHg")},
		Hold: schedule.Thresholds{
			SystolicAbove:  units.MustParse("180 mmHg"),
			DiastolicAbove: units.MustParse("100 mmHg"),
			HeartRateAbove: units.MustParse("110 /min"),
		},
	}
	res, err := gates.Check(schedule.Vitals{
		Systolic:  units.MustParse("152 mmHg"),
		Diastolic: units.MustParse("104 mmHg"),
		HeartRate: units.MustParse("88 /min"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Decision)
	for _, f := range res.Findings {
		fmt.Println(f.Level, f.Detail)
	}
	// Output:
	// hold
	// hold diastolic 104 mmHg is above the hold limit 100 mmHg
	// warn systolic 152 mmHg is above the warn limit 140 mmHg
}

func demoVitalGatesValidate(w io.Writer) {
	gates := schedule.VitalGates{
		Hold: schedule.Thresholds{SpO2Below: units.MustParse("92 mmHg"), HeartRateAbove: units.MustParse("110 /min")},
	}
	fmt.Fprintln(w, gates.Validate())
}
