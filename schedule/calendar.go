package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// CalendarConfig is a clinic's calendar as data, the way a settings file
// writes it:
//
//	zone: Europe/Berlin
//	open: [mon, tue, wed, thu, fri]
//	closed: [{date: 2025-04-21, name: Easter Monday},
//	         {date: 2025-12-24, through: 2026-01-01, name: winter closure}]
//	starts: ["09:00", "14:00"]
//
// NewCalendar validates it into a Calendar.
type CalendarConfig struct {
	Zone   string      `json:"zone"`             // IANA time zone name, e.g. "America/New_York"
	Open   []Weekday   `json:"open"`             // the weekdays the clinic runs sessions
	Closed []Closure   `json:"closed,omitempty"` // holidays and closures
	Starts []TimeOfDay `json:"starts"`           // session start times, local wall clock
}

// Closure is a day, or a run of days through Through (inclusive), on which
// the clinic runs no sessions. Name is shown wherever a session had to move.
type Closure struct {
	Date    Date   `json:"date"`
	Through Date   `json:"through,omitzero"`
	Name    string `json:"name,omitempty"`
}

// maxClosureDays bounds one closure's length, so that expanding closures into
// days costs memory in proportion to the input.
const maxClosureDays = 366

// Calendar is a validated, immutable clinic calendar: a time zone, the open
// weekdays, the closed dates and the session start times. Build it with
// NewCalendar; it is safe for concurrent use.
//
// Session days are civil dates and session starts are wall-clock times in the
// calendar's zone, so a 09:00 session stays at 09:00 across a daylight-saving
// change (and the instants of two such sessions two days apart are then 47 h
// or 49 h apart). A start time that does not exist on a day (it falls in the
// hour skipped when clocks spring forward) is never shifted silently: that
// start is unavailable on that day, and the planner moves the session to the
// next start or day that works, with the reason. A start time that occurs
// twice (clocks fall back) is resolved to its first occurrence, and the
// session says so.
type Calendar struct {
	cfg    CalendarConfig
	loc    *time.Location
	open   weekdaySet
	closed map[Date]string // closure name, "" when unnamed
	starts []TimeOfDay     // ascending
}

// NewCalendar validates c and returns the Calendar it describes. Every
// problem is reported at once, each as a *FieldError with its path
// ("calendar.closed[2].through"). The zone is loaded with time.LoadLocation;
// a program that may run where the system has no zone database should import
// time/tzdata.
func NewCalendar(c CalendarConfig) (*Calendar, error) {
	var el errs
	cal := &Calendar{closed: make(map[Date]string)}

	switch c.Zone {
	case "":
		el.add("calendar.zone", "", ErrMissing, "is missing (give an IANA time zone name, e.g. \"Europe/Berlin\")")
	case "Local":
		el.add("calendar.zone", c.Zone, ErrUnknownZone, "depends on the host's settings (give an IANA time zone name, e.g. \"Europe/Berlin\")")
	default:
		loc, err := time.LoadLocation(c.Zone)
		if err != nil {
			el = append(el, &FieldError{Field: "calendar.zone", Value: c.Zone,
				Msg: "is not a time zone known to this program (give an IANA name, e.g. \"Europe/Berlin\"; " +
					"programs without a system zone database should import time/tzdata)", Err: ErrUnknownZone})
		}
		cal.loc = loc
	}

	if len(c.Open) == 0 {
		el.add("calendar.open", "", ErrMissing, "is missing (list the weekdays the clinic runs sessions, e.g. [mon, wed, fri])")
	}
	for i, w := range c.Open {
		field := "calendar.open[" + strconv.Itoa(i) + "]"
		switch {
		case !w.IsValid():
			el.add(field, strconv.Itoa(int(w)), ErrRange, "is not a weekday (must be mon to sun)")
		case cal.open.has(time.Weekday(w)):
			el.add(field, w.String(), ErrConflict, "is listed twice")
		}
		if w.IsValid() {
			cal.open |= 1 << w
		}
	}

	for i, cl := range c.Closed {
		field := "calendar.closed[" + strconv.Itoa(i) + "]"
		if !cl.Date.IsValid() {
			el.add(field+".date", cl.Date.String(), ErrRange, cl.Date.invalid())
			continue
		}
		last := cl.Date
		if !cl.Through.IsZero() {
			switch {
			case !cl.Through.IsValid():
				el.add(field+".through", cl.Through.String(), ErrRange, cl.Through.invalid())
				continue
			case cl.Through.Before(cl.Date):
				el.add(field+".through", cl.Through.String(), ErrRange, "is before the closure's date "+cl.Date.String()+" (must be on or after it)")
				continue
			case cl.Through.daysSince(cl.Date) >= maxClosureDays:
				el.add(field+".through", cl.Through.String(), ErrRange,
					fmt.Sprintf("makes a closure of %d days (must be at most %d; split longer closures)", cl.Through.daysSince(cl.Date)+1, maxClosureDays))
				continue
			}
			last = cl.Through
		}
		for d := cl.Date; !d.After(last); d = d.AddDays(1) {
			if _, dup := cal.closed[d]; !dup {
				cal.closed[d] = cl.Name
			}
		}
	}

	if len(c.Starts) == 0 {
		el.add("calendar.starts", "", ErrMissing, "is missing (give at least one session start time, e.g. [\"09:00\"])")
	}
	for i, t := range c.Starts {
		field := "calendar.starts[" + strconv.Itoa(i) + "]"
		switch {
		case !t.isValid():
			el.add(field, t.String(), ErrRange, "is out of range (must be 00:00 to 23:59)")
		case slices.Contains(cal.starts, t):
			el.add(field, t.String(), ErrConflict, "is listed twice")
		default:
			cal.starts = append(cal.starts, t)
		}
	}
	slices.SortFunc(cal.starts, func(a, b TimeOfDay) int { return a.minutes() - b.minutes() })

	if err := el.join(); err != nil {
		return nil, err
	}
	cal.cfg = CalendarConfig{
		Zone:   c.Zone,
		Open:   slices.Clone(c.Open),
		Closed: slices.Clone(c.Closed),
		Starts: slices.Clone(cal.starts),
	}
	return cal, nil
}

// location returns the calendar's time zone.
func (c *Calendar) location() *time.Location { return c.loc }

// config returns the configuration the calendar was built from, with the
// start times in ascending order.
func (c *Calendar) config() CalendarConfig {
	cfg := c.cfg
	cfg.Open = slices.Clone(cfg.Open)
	cfg.Closed = slices.Clone(cfg.Closed)
	cfg.Starts = slices.Clone(cfg.Starts)
	return cfg
}

// isOpen reports whether the clinic runs sessions on d: d is one of the open
// weekdays and not a closed date.
func (c *Calendar) isOpen(d Date) bool {
	_, closed := c.closed[d]
	return c.open.has(d.Weekday()) && !closed
}

// closedReason says why the clinic is not open on d, or returns "" when it
// is.
func (c *Calendar) closedReason(d Date) (ReasonCode, string) {
	if name, closed := c.closed[d]; closed {
		if name == "" {
			return ReasonClosed, "clinic closed"
		}
		return ReasonClosed, "clinic closed (" + name + ")"
	}
	if wd := d.Weekday(); !c.open.has(wd) {
		return ReasonWeekday, "clinic not open on " + wd.String() + "s"
	}
	return "", ""
}

// localKind classifies a wall-clock time on a date in a zone.
type localKind uint8

const (
	localOK          localKind = iota
	localNonexistent           // skipped when clocks spring forward
	localAmbiguous             // occurs twice when clocks fall back
)

// resolve returns the instant of wall-clock time t on date d in the
// calendar's zone. time.Date leaves the choice unspecified for a time that
// does not exist or exists twice, so resolve detects both cases itself: a
// nonexistent time is reported, never shifted; an ambiguous one resolves to
// its earlier instant.
func (c *Calendar) resolve(d Date, t TimeOfDay) (time.Time, localKind) {
	x := time.Date(d.Year, d.Month, d.Day, t.Hour, t.Minute, 0, 0, c.loc)
	if DateOf(x) != d || x.Hour() != t.Hour || x.Minute() != t.Minute {
		return time.Time{}, localNonexistent
	}
	if y, twice := otherReading(x); twice {
		if y.Before(x) {
			x = y
		}
		return x, localAmbiguous
	}
	return x, localOK
}

// otherReading returns the other instant whose wall clock in x's zone is
// x's, when there is one (the repeated hour of a fall-back night).
func otherReading(x time.Time) (time.Time, bool) {
	// The same wall time is another valid reading under the offset in force
	// just before or just after x's zone period.
	loc := x.Location()
	_, off := x.Zone()
	wall := x.UTC().Add(time.Duration(off) * time.Second) // x's wall clock, read as UTC
	start, end := x.ZoneBounds()
	var neighbours [2]time.Time
	if !start.IsZero() {
		neighbours[0] = start.Add(-time.Second)
	}
	if !end.IsZero() {
		neighbours[1] = end
	}
	for _, n := range neighbours {
		if n.IsZero() {
			continue
		}
		_, o := n.In(loc).Zone()
		if o == off {
			continue
		}
		y := wall.Add(-time.Duration(o) * time.Second).In(loc)
		if _, oy := y.Zone(); oy == o {
			return y, true
		}
	}
	return time.Time{}, false
}
