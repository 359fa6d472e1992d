package schedule_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/doseplan/doseplan/schedule"
)

// The SHA-256 of the document as loaded names the exact protocol a plan
// came from: another byte anywhere, even in a comment, is another protocol.
func ExampleProtocol_SHA256() {
	p, err := schedule.LoadProtocol([]byte(exampleYAML))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.SHA256())
	sum := sha256.Sum256([]byte(exampleYAML))
	fmt.Println(p.SHA256() == hex.EncodeToString(sum[:]))

	reviewed, err := schedule.LoadProtocol([]byte(exampleYAML + "# reviewed 2025-03-01\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(reviewed.SHA256() == p.SHA256())
	// Output:
	// e09a8f8572c7a9bb322f5c5c7f769c31419fadf4da27c1a0b79a05a6dd934eca
	// true
	// false
}

// Config gives back the configuration, with the start times sorted.
func demoCalendarConfig(w io.Writer) {
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "Europe/Berlin",
		Open:   []schedule.Weekday{schedule.Monday, schedule.Thursday},
		Starts: []schedule.TimeOfDay{{Hour: 14}, {Hour: 10}},
	})
	if err != nil {
		fmt.Fprintln(w, err)
		return
	}
	cfg := cal.Config()
	fmt.Fprintln(w, cfg.Zone, cfg.Open, cfg.Starts)
}

// Session times are wall-clock times in the calendar's zone: 09:00 in New
// York is 13:00 UTC once daylight saving time has begun.
func demoCalendarLocation(w io.Writer) {
	cal, err := schedule.NewCalendar(schedule.CalendarConfig{
		Zone:   "America/New_York",
		Open:   []schedule.Weekday{schedule.Monday},
		Starts: []schedule.TimeOfDay{{Hour: 9}},
	})
	if err != nil {
		fmt.Fprintln(w, err)
		return
	}
	loc := cal.Location()
	fmt.Fprintln(w, loc)
	for _, day := range []int{3, 10} {
		fmt.Fprintln(w, time.Date(2025, time.March, day, 9, 0, 0, 0, loc).UTC().Format(time.RFC3339))
	}
}

func ExampleDate_After() {
	d := schedule.Date{Year: 2025, Month: time.December, Day: 31}
	next := d.AddDays(1)
	fmt.Println(next.After(d), d.After(next), d.After(d))
	// Output: true false false
}

func ExampleDate_Before() {
	d := schedule.Date{Year: 2025, Month: time.December, Day: 31}
	next := d.AddDays(1)
	fmt.Println(d.Before(next), next.Before(d), d.Before(d))
	// Output: true false false
}

// Compare orders dates, for sorting.
func demoDateCompare(w io.Writer) {
	dates := []schedule.Date{
		{Year: 2026, Month: time.January, Day: 1},
		{Year: 2025, Month: time.December, Day: 31},
		{Year: 2025, Month: time.March, Day: 3},
	}
	slices.SortFunc(dates, schedule.Date.Compare)
	fmt.Fprintln(w, dates)
	fmt.Fprintln(w, dates[0].Compare(dates[1]), dates[1].Compare(dates[1]), dates[2].Compare(dates[1]))
}

// DaysSince counts calendar days, whatever their length in hours.
func demoDateDaysSince(w io.Writer) {
	first := schedule.Date{Year: 2025, Month: time.March, Day: 3}
	last := schedule.Date{Year: 2025, Month: time.March, Day: 14}
	fmt.Fprintln(w, last.DaysSince(first), first.DaysSince(last))
	leap := schedule.Date{Year: 2028, Month: time.March, Day: 1}
	fmt.Fprintln(w, leap.DaysSince(schedule.Date{Year: 2028, Month: time.February, Day: 28}))
}

func ExampleDate_IsValid() {
	fmt.Println(schedule.Date{Year: 2028, Month: time.February, Day: 29}.IsValid())
	fmt.Println(schedule.Date{Year: 2025, Month: time.February, Day: 29}.IsValid())
	fmt.Println(schedule.Date{}.IsValid())
	// Output:
	// true
	// false
	// false
}

// The zero Date is an unset field: invalid, and written as empty text.
func ExampleDate_IsZero() {
	var d schedule.Date
	fmt.Printf("%v %v %q\n", d.IsZero(), d.IsValid(), d.String())
	fmt.Println(schedule.Date{Year: 2025, Month: time.February, Day: 30}.IsZero())
	// Output:
	// true false ""
	// false
}

// An unset Date is left out with omitzero; a Date that is not a day of the
// calendar is not written at all.
func ExampleDate_MarshalText() {
	type course struct {
		Start schedule.Date `json:"start"`
		Until schedule.Date `json:"until,omitzero"`
	}
	b, err := json.Marshal(course{Start: schedule.Date{Year: 2025, Month: time.March, Day: 3}})
	fmt.Println(string(b), err)
	_, err = schedule.Date{Year: 2025, Month: time.February, Day: 30}.MarshalText()
	fmt.Println(err)
	// Output:
	// {"start":"2025-03-03"} <nil>
	// schedule: date "invalid date 2025-02-30": cannot be written: it is not a day of the calendar (February 2025 has 28 days)
}

func ExampleDate_String() {
	fmt.Println(schedule.Date{Year: 2025, Month: time.March, Day: 3})
	fmt.Printf("%q\n", schedule.Date{})
	fmt.Println(schedule.Date{Year: 2025, Month: time.February, Day: 30})
	// Output:
	// 2025-03-03
	// ""
	// invalid date 2025-02-30
}

// Empty text is the zero Date, so optional fields read back.
func ExampleDate_UnmarshalText() {
	var d schedule.Date
	fmt.Println(d.UnmarshalText([]byte("2025-03-03")), d)
	fmt.Println(d.UnmarshalText([]byte("")), d.IsZero())
	fmt.Println(d.UnmarshalText([]byte("03/03/2025")))
	// Output:
	// <nil> 2025-03-03
	// <nil> true
	// schedule: date "03/03/2025": is not a date (write YYYY-MM-DD, e.g. 2025-03-03)
}

func ExampleDate_Weekday() {
	d := schedule.Date{Year: 2025, Month: time.March, Day: 3}
	fmt.Println(d.Weekday(), d.AddDays(4).Weekday(), schedule.Weekday(d.Weekday()))
	// Output: Monday Friday mon
}

func ExampleDecision_String() {
	fmt.Println(schedule.Proceed, schedule.Warn, schedule.Hold)
	fmt.Println(schedule.Decision(7))
	// Output:
	// proceed warn hold
	// invalid decision 7
}

func ExampleDecision_MarshalText() {
	b, err := json.Marshal(schedule.VitalsCheck{Decision: schedule.Hold})
	fmt.Println(string(b), err)
	_, err = schedule.Decision(7).MarshalText()
	fmt.Println(err)
	// Output:
	// {"decision":"hold"} <nil>
	// schedule: decision "7": is not a decision (must be proceed, warn or hold)
}

func ExampleFinding_String() {
	f := schedule.Finding{Severity: schedule.SevWarning, Field: "session.observation", Message: "shorter than 60 min"}
	fmt.Println(f)
	// Output: warning: session.observation: shorter than 60 min
}

func demoTimeOfDayIsValid(w io.Writer) {
	fmt.Fprintln(w, schedule.TimeOfDay{Hour: 23, Minute: 59}.IsValid())
	fmt.Fprintln(w, schedule.TimeOfDay{Hour: 24}.IsValid(), schedule.TimeOfDay{Hour: 12, Minute: 60}.IsValid())
}

func ExampleTimeOfDay_MarshalText() {
	b, err := json.Marshal([]schedule.TimeOfDay{{Hour: 9}, {Hour: 14, Minute: 30}})
	fmt.Println(string(b), err)
	_, err = schedule.TimeOfDay{Hour: 24}.MarshalText()
	fmt.Println(err)
	// Output:
	// ["09:00","14:30"] <nil>
	// schedule: time of day "24:00": is out of range (must be 00:00 to 23:59)
}

func ExampleTimeOfDay_String() {
	fmt.Println(schedule.TimeOfDay{Hour: 9}, schedule.TimeOfDay{Hour: 14, Minute: 5})
	// Output: 09:00 14:05
}

func ExampleTimeOfDay_UnmarshalText() {
	var t schedule.TimeOfDay
	fmt.Println(t.UnmarshalText([]byte("14:30")), t)
	fmt.Println(t.UnmarshalText([]byte("2:30 pm")))
	// Output:
	// <nil> 14:30
	// schedule: time of day "2:30 pm": is not a time of day (write HH:MM on the 24-hour clock, e.g. 09:00)
}

func ExampleWeekday_IsValid() {
	fmt.Println(schedule.Monday.IsValid(), schedule.Weekday(7).IsValid())
	// Output: true false
}

func ExampleWeekday_MarshalText() {
	b, err := json.Marshal([]schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday})
	fmt.Println(string(b), err)
	_, err = schedule.Weekday(9).MarshalText()
	fmt.Println(err)
	// Output:
	// ["mon","wed","fri"] <nil>
	// schedule: weekday "9": is not a weekday (must be 0 to 6, Sunday to Saturday)
}

func ExampleWeekday_String() {
	fmt.Println(schedule.Sunday, schedule.Saturday, schedule.Weekday(7))
	// Output: sun sat invalid weekday 7
}

// Case is ignored when reading; the written form is lower case.
func ExampleWeekday_UnmarshalText() {
	var w schedule.Weekday
	fmt.Println(w.UnmarshalText([]byte("Fri")), w)
	fmt.Println(w.UnmarshalText([]byte("friday")))
	// Output:
	// <nil> fri
	// schedule: weekday "friday": is not a weekday (must be one of mon, tue, wed, thu, fri, sat, sun)
}
