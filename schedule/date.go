package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a civil date: a day on the wall calendar, with no time zone. Session
// days are Dates so that day arithmetic never goes through instants: the day
// after 2025-03-08 is 2025-03-09 whether that day has 23, 24 or 25 hours.
//
// The zero Date is invalid (IsValid reports false). Dates are comparable with
// ==, usable as map keys, and read and write as "2025-03-03".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// FirstYear and LastYear bound the dates doseplan reads and plans, from
// 1900-01-01 to 2199-12-31: the birth date of the oldest patient and the
// sessions of a series begun today, with room on both sides. A date
// outside (0001-01-01, a year 20255 for 2025) is a typing error, refused
// rather than computed with (an age of 2,024 years, a session "invalid date
// 10000-01-28"). A patient's birth date and as-of date (package dosing)
// keep the same range.
const (
	FirstYear = 1900
	LastYear  = 2199
)

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses a date written YYYY-MM-DD ("2025-03-03"), of the years
// FirstYear to LastYear.
func ParseDate(s string) (Date, error) {
	bad := func(msg string) (Date, error) {
		return Date{}, &FieldError{Field: "date", Value: s, Msg: msg, Err: ErrSyntax}
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return bad("is not a date (write YYYY-MM-DD, e.g. 2025-03-03)")
	}
	y, m, d := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	if y < 0 || m < 0 || d < 0 {
		return bad("is not a date (write YYYY-MM-DD, e.g. 2025-03-03)")
	}
	date := Date{y, time.Month(m), d}
	if !date.IsValid() {
		return Date{}, &FieldError{Field: "date", Value: s, Msg: date.invalid(), Err: ErrRange}
	}
	return date, nil
}

// invalid says why d, not valid, is refused: a day outside the years
// doseplan reads, or which part of it is not of the calendar.
func (d Date) invalid() string {
	if d.isDay() {
		return fmt.Sprintf("is outside the dates doseplan reads (%d-01-01 to %d-12-31)", FirstYear, LastYear)
	}
	return "is not a day of the calendar" + d.rangeHint()
}

// rangeHint says which part of a date that is not a day is out of range.
func (d Date) rangeHint() string {
	switch {
	case d.Year < 1 || d.Year > 9999:
		return " (the year must be 1 to 9999)"
	case d.Month < time.January || d.Month > time.December:
		return " (the month must be 01 to 12)"
	default:
		return fmt.Sprintf(" (%s %d has %d days)", d.Month, d.Year, daysIn(d.Year, d.Month))
	}
}

// digits returns the value of an all-digit string, or -1.
func digits(s string) int {
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// IsValid reports whether d is a day of the Gregorian calendar of the years
// FirstYear to LastYear.
func (d Date) IsValid() bool {
	return d.Year >= FirstYear && d.Year <= LastYear && d.isDay()
}

// isDay reports whether d is a day of the proleptic Gregorian calendar of
// the years 1 to 9999, which String writes as YYYY-MM-DD even outside the
// years doseplan reads, so that a message quotes the date as written.
func (d Date) isDay() bool {
	return d.Year >= 1 && d.Year <= 9999 && d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date (an unset field).
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as YYYY-MM-DD, and the zero Date as empty text (as
// MarshalText does).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	if !d.isDay() {
		return fmt.Sprintf("invalid date %04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler. The zero Date encodes as
// empty text, so optional fields round-trip; any other invalid Date is an
// error.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, nil
	}
	if !d.IsValid() {
		return nil, &FieldError{Field: "date", Value: d.String(), Msg: "cannot be written: it " + d.invalid(), Err: ErrRange}
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseDate's
// grammar. Empty text gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// noon returns d at 12:00 UTC. Day arithmetic goes through UTC, where every
// day has 86,400 seconds, and through time.Date's normalisation of an
// out-of-range day (March 32 is April 1), never through adding 24 h in a
// zone with daylight saving time.
func (d Date) noon() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays returns the date n days after d (before d when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// daysSince returns the number of days from o to d: 1 when d is the day
// after o.
func (d Date) daysSince(o Date) int {
	// Unix seconds rather than Sub: a time.Duration saturates after 292 years.
	return int((d.noon().Unix() - o.noon().Unix()) / 86400)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// compare returns -1, 0 or +1 when d is before, the same day as, or after o.
func (d Date) compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.compare(o) > 0 }

func maxDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}

// Weekday is a day of the week as protocol and calendar files write it:
// "mon", "tue", "wed", "thu", "fri", "sat", "sun". Its values are those of
// time.Weekday, so Weekday(time.Monday) == Monday.
type Weekday time.Weekday

// The days of the week.
const (
	Sunday    = Weekday(time.Sunday)
	Monday    = Weekday(time.Monday)
	Tuesday   = Weekday(time.Tuesday)
	Wednesday = Weekday(time.Wednesday)
	Thursday  = Weekday(time.Thursday)
	Friday    = Weekday(time.Friday)
	Saturday  = Weekday(time.Saturday)
)

// weekdayNames holds the seven names, three letters each, from Sunday: a
// constant, so that no package state can change.
const weekdayNames = "sunmontuewedthufrisat"

// weekdayName returns "sun" to "sat" for a valid day.
func weekdayName(d time.Weekday) string { return weekdayNames[3*d : 3*d+3] }

// ParseWeekday parses "mon" to "sun". Case is ignored ("Mon", "MON").
func ParseWeekday(s string) (Weekday, error) {
	l := strings.ToLower(s)
	for d := time.Sunday; d <= time.Saturday; d++ {
		if l == weekdayName(d) {
			return Weekday(d), nil
		}
	}
	return 0, &FieldError{Field: "weekday", Value: s, Msg: "is not a weekday (must be one of mon, tue, wed, thu, fri, sat, sun)", Err: ErrSyntax}
}

// IsValid reports whether w is one of the seven days.
func (w Weekday) IsValid() bool { return w >= Sunday && w <= Saturday }

// String returns "mon" to "sun".
func (w Weekday) String() string {
	if !w.IsValid() {
		return "invalid weekday " + strconv.Itoa(int(w))
	}
	return weekdayName(time.Weekday(w))
}

// MarshalText implements encoding.TextMarshaler.
func (w Weekday) MarshalText() ([]byte, error) {
	if !w.IsValid() {
		return nil, &FieldError{Field: "weekday", Value: strconv.Itoa(int(w)), Msg: "is not a weekday (must be 0 to 6, Sunday to Saturday)", Err: ErrRange}
	}
	return []byte(w.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseWeekday.
func (w *Weekday) UnmarshalText(b []byte) error {
	p, err := ParseWeekday(string(b))
	if err != nil {
		return err
	}
	*w = p
	return nil
}

// weekdaySet is a set of days of the week, bit i for time.Weekday(i).
type weekdaySet uint8

func (s weekdaySet) has(d time.Weekday) bool { return s&(1<<d) != 0 }

func (s weekdaySet) count() int {
	n := 0
	for d := time.Sunday; d <= time.Saturday; d++ {
		if s.has(d) {
			n++
		}
	}
	return n
}

// String lists the set in calendar order from Monday: "mon, wed, fri".
func (s weekdaySet) String() string {
	var names []string
	for i := 1; i <= 7; i++ {
		if d := time.Weekday(i % 7); s.has(d) {
			names = append(names, weekdayName(d))
		}
	}
	return strings.Join(names, ", ")
}

// weekdayList renders weekdays as given, for error values.
func weekdayList(ws []Weekday) string {
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.String()
	}
	return strings.Join(names, ", ")
}

// TimeOfDay is a wall-clock time of day in a calendar's time zone, to the
// minute: a session start such as 09:00. It reads and writes as "09:00"
// (24-hour clock).
type TimeOfDay struct {
	Hour   int // 0 to 23
	Minute int // 0 to 59
}

// ParseTimeOfDay parses "HH:MM" on the 24-hour clock ("09:00", "14:30").
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	if len(s) != 5 || s[2] != ':' {
		return TimeOfDay{}, &FieldError{Field: "time of day", Value: s, Msg: "is not a time of day (write HH:MM on the 24-hour clock, e.g. 09:00)", Err: ErrSyntax}
	}
	h, m := digits(s[0:2]), digits(s[3:5])
	if h < 0 || m < 0 {
		return TimeOfDay{}, &FieldError{Field: "time of day", Value: s, Msg: "is not a time of day (write HH:MM on the 24-hour clock, e.g. 09:00)", Err: ErrSyntax}
	}
	t := TimeOfDay{h, m}
	if !t.isValid() {
		return TimeOfDay{}, &FieldError{Field: "time of day", Value: s, Msg: "is out of range (must be 00:00 to 23:59)", Err: ErrRange}
	}
	return t, nil
}

// isValid reports whether t is between 00:00 and 23:59.
func (t TimeOfDay) isValid() bool {
	return t.Hour >= 0 && t.Hour <= 23 && t.Minute >= 0 && t.Minute <= 59
}

// String returns t as HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

// MarshalText implements encoding.TextMarshaler.
func (t TimeOfDay) MarshalText() ([]byte, error) {
	if !t.isValid() {
		return nil, &FieldError{Field: "time of day", Value: t.String(), Msg: "is out of range (must be 00:00 to 23:59)", Err: ErrRange}
	}
	return []byte(t.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseTimeOfDay.
func (t *TimeOfDay) UnmarshalText(b []byte) error {
	p, err := ParseTimeOfDay(string(b))
	if err != nil {
		return err
	}
	*t = p
	return nil
}

func (t TimeOfDay) minutes() int { return t.Hour*60 + t.Minute }
