package schedule

import (
	"io"
	"time"
)

// The timetable layer under Plan, the linter and a few helpers are the
// package's own; these names give the package's external tests the handles
// they had when they were exported. They exist only in the test binary.

type (
	Timetable   = timetable
	Options     = seriesOptions
	CheckFunc   = checkFunc
	Verdict     = verdict
	Action      = action
	ICalOptions = icalOptions
)

const (
	Accept              = acceptSlot
	Reject              = rejectSlot
	Drop                = dropSlot
	RecordFormatVersion = recordFormatVersion
	ReasonRejected      = reasonRejected
)

func (s Series) Plan(start Date, cal *Calendar, opt Options) (*Timetable, error) {
	return s.plan(start, cal, opt)
}
func (s Series) Validate() error { return s.validate() }
func (t *timetable) Replan(history []Event, from Date) (*Timetable, error) {
	return t.replan(history, from)
}
func (t *timetable) WriteTable(w io.Writer) error { return t.writeTable(w) }
func WriteICal(w io.Writer, slots []Slot, opt ICalOptions) error {
	return writeICal(w, slots, opt)
}
func (pl *SessionPlan) Table() *Timetable    { return pl.table }
func (p *Protocol) Lint() []Finding          { return p.lint(ruleDoseView(p.Dosing).key) }
func (c *Calendar) Location() *time.Location { return c.location() }
func (c *Calendar) Config() CalendarConfig   { return c.config() }
func (c *Calendar) IsOpen(d Date) bool       { return c.isOpen(d) }
func (d Date) Compare(o Date) int            { return d.compare(o) }
func (d Date) DaysSince(o Date) int          { return d.daysSince(o) }
func (t TimeOfDay) IsValid() bool            { return t.isValid() }
func (g VitalGates) Validate() error         { return g.validate() }
func (v Vitals) Validate() error             { return v.validate("readings") }
func (r *Record) Validate() error            { return r.validate() }
