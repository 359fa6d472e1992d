package schedule

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// icalOptions are the inputs of writeICal besides the sessions. Nothing is
// read from the environment: the stamp is an argument, and the identifiers
// follow from PlanID.
type icalOptions struct {
	// PlanID names the plan, e.g. the protocol's SHA-256, the patient's
	// record number and the start date. Each event's UID is derived from it
	// and the session's series position, so exporting the same plan again
	// (or a replanned one) gives the same UIDs, and a calendar application
	// updates its events instead of duplicating them.
	PlanID string
	// Stamp is the DTSTAMP of every event: when the file is made.
	Stamp time.Time
	// Length is how long each event lasts, e.g. the session with its
	// observation time ("150 min"); 1 min to 24 h. Not used with End.
	Length units.Quantity
	// End, when set, gives each event's own end (DTEND), such as the
	// session's earliest discharge: after the event's start, at most 24 h
	// later.
	End func(Slot) time.Time
	// Describe, when set, gives an event's summary and extra description
	// lines (a dose, the timeline). An empty summary keeps the default,
	// "<phase> session <n> of <of>". dosing.Notice always ends the description.
	Describe func(Slot) (summary string, details []string)
}

// writeICal writes slots as an iCalendar (RFC 5545) file: one VEVENT per
// slot, with CRLF line endings and lines folded at 75 octets.
//
// Times are written in the slots' time zone (DTSTART;TZID=Europe/Berlin:
// 20250303T090000) with a VTIMEZONE component built from the zone database
// for the span of the sessions, rather than in UTC: the wall-clock time is
// what the clinic plans and what the patient is told, and a reader without
// the zone in its own database still places every event correctly. The
// VTIMEZONE lists each offset change in the span explicitly, with no RRULE,
// so no recurrence expansion is involved. Slots in UTC are written in UTC,
// and so is a time whose wall clock occurs twice (01:30 on a night the
// clocks fall back at 02:00): RFC 5545 §3.3.5 reads such a local time as
// its first occurrence, and clients differ, whereas a UTC time is one
// instant for every reader.
func writeICal(w io.Writer, slots []Slot, opt icalOptions) error {
	var el errs
	if opt.PlanID == "" {
		el.add("ical.plan_id", "", ErrMissing, "is missing (name the plan; event UIDs are derived from it)")
	}
	if opt.Stamp.IsZero() {
		el.add("ical.stamp", "", ErrMissing, "is missing (give the time the file is made)")
	}
	var length time.Duration
	switch {
	case opt.End != nil:
	case !opt.Length.IsValid():
		el.add("ical.length", "", ErrMissing, "is missing (give each event's length, e.g. \"150 min\", or its end)")
	default:
		length, _ = nanoseconds(opt.Length, "ical.length", time.Minute, 24*time.Hour, &el)
	}
	end := func(s Slot) time.Time { return s.Start.Add(length) }
	if opt.End != nil {
		end = func(s Slot) time.Time { return opt.End(s).In(s.Start.Location()) }
	}
	if len(slots) == 0 {
		el.add("slots", "", ErrMissing, "is empty (an iCalendar file needs at least one event)")
	}
	var loc *time.Location
	for i, s := range slots {
		field := "slots[" + strconv.Itoa(i) + "].start"
		switch {
		case s.Start.IsZero():
			el.add(field, "", ErrMissing, "is missing")
		case loc == nil:
			loc = s.Start.Location()
			if name := loc.String(); name == "" || name == "Local" {
				el.add(field, name, ErrUnknownZone, "is not in a named time zone (use the Calendar's)")
			}
		case s.Start.Location().String() != loc.String():
			el.add(field, s.Start.Location().String(), ErrConflict, "is in another time zone than slots[0] ("+loc.String()+")")
		}
		if e := end(s); opt.End != nil && !s.Start.IsZero() && (!e.After(s.Start) || e.Sub(s.Start) > 24*time.Hour) {
			el.add("slots["+strconv.Itoa(i)+"].end", e.Format(time.RFC3339), ErrRange,
				"is not after the event's start "+s.Start.Format(time.RFC3339)+" or is more than 24 h after it (must be within 24 h after the start)")
		}
	}
	if err := el.join(); err != nil {
		return err
	}

	var b icsBuilder
	b.line("BEGIN:VCALENDAR")
	b.line("VERSION:2.0")
	b.line("PRODID:-//doseplan//schedule//EN")
	b.line("CALSCALE:GREGORIAN")
	utc := loc == time.UTC || loc.String() == "UTC"
	if !utc {
		last := end(slots[0])
		for _, s := range slots {
			if e := end(s); e.After(last) {
				last = e
			}
		}
		b.timezone(loc, slots[0].Start, last)
	}
	stamp := opt.Stamp.UTC().Format("20060102T150405Z")
	for _, s := range slots {
		summary := fmt.Sprintf("%s session %d of %d", s.Phase, s.Number, s.Of)
		var details []string
		if opt.Describe != nil {
			if sum, d := opt.Describe(s); sum != "" {
				summary, details = sum, d
			} else {
				details = d
			}
		}
		b.line("BEGIN:VEVENT")
		b.line("UID:" + eventUID(opt.PlanID, s.Index))
		b.line("DTSTAMP:" + stamp)
		b.line("DTSTART" + b.when(s.Start, utc))
		b.line("DTEND" + b.when(end(s), utc))
		b.line("SUMMARY:" + escapeText(summary))
		b.line("DESCRIPTION:" + escapeText(strings.Join(describe(s, details), "\n")))
		b.line("END:VEVENT")
	}
	b.line("END:VCALENDAR")
	_, err := w.Write(b.buf.Bytes())
	return err
}

// eventUID is stable for a plan and a series position, and reveals neither.
func eventUID(planID string, index int) string {
	sum := sha256.Sum256([]byte(planID + "\x00" + strconv.Itoa(index)))
	return hex.EncodeToString(sum[:16]) + "@doseplan"
}

// describe returns the description lines of a slot's event.
func describe(s Slot, details []string) []string {
	lines := []string{fmt.Sprintf("%s session %d of %d (session %d of the series), %s %s",
		s.Phase, s.Number, s.Of, s.Index, s.Date.Weekday().String()[:3], s.Date)}
	if s.Done {
		done := "Done"
		if s.Note != "" {
			done += ": " + s.Note
		}
		lines = append(lines, done)
	}
	if !s.MovedFrom.IsZero() {
		lines = append(lines, "Moved from "+s.MovedFrom.String())
	}
	for _, r := range notableReasons(s.Reasons) {
		lines = append(lines, r.Date.String()+": "+r.Detail)
	}
	lines = append(lines, details...)
	return append(lines, dosing.Notice)
}

// notableReasons leaves out the days skipped only because the clinic is
// never open on that weekday, unless nothing else explains a move.
func notableReasons(rs []Reason) []Reason {
	var out []Reason
	for _, r := range rs {
		if r.Code != ReasonWeekday {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return rs
	}
	return out
}

// icsBuilder accumulates content lines, folded and CRLF-terminated.
type icsBuilder struct{ buf bytes.Buffer }

// line writes one content line, folded so that no line exceeds 75 octets
// (RFC 5545 §3.1) and no UTF-8 sequence is split.
func (b *icsBuilder) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.buf.WriteString(s[:cut])
		b.buf.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.buf.WriteString(s)
	b.buf.WriteString("\r\n")
}

// when formats a DATE-TIME property's parameters and value: local time
// with its zone, or UTC for a UTC calendar and for a wall clock that occurs
// twice.
func (b *icsBuilder) when(t time.Time, utc bool) string {
	if _, twice := otherReading(t); utc || twice {
		return ":" + t.UTC().Format("20060102T150405Z")
	}
	return ";TZID=" + paramValue(t.Location().String()) + ":" + t.Format("20060102T150405")
}

// timezone writes a VTIMEZONE for loc covering [from, to]: one observance
// for each period of constant offset, from the zone database.
func (b *icsBuilder) timezone(loc *time.Location, from, to time.Time) {
	b.line("BEGIN:VTIMEZONE")
	b.line("TZID:" + loc.String())
	t := from.In(loc)
	for {
		start, end := zonePeriod(t)
		name, off := t.Zone()
		prev := off
		onset := "19700101T000000" // the zone has had one offset since before any session
		if !start.IsZero() {
			_, prev = start.Add(-time.Second).Zone()
			onset = start.In(time.FixedZone("", prev)).Format("20060102T150405")
		}
		kind := "STANDARD"
		if t.IsDST() {
			kind = "DAYLIGHT"
		}
		b.line("BEGIN:" + kind)
		b.line("DTSTART:" + onset)
		b.line("TZOFFSETFROM:" + utcOffset(prev))
		b.line("TZOFFSETTO:" + utcOffset(off))
		b.line("TZNAME:" + escapeText(name))
		b.line("END:" + kind)
		if end.IsZero() || end.After(to) {
			break
		}
		t = end
	}
	b.line("END:VTIMEZONE")
}

// zonePeriod returns the bounds of t's period of constant offset. Go's
// ZoneBounds may end a period at a year boundary where nothing changes:
// it does for years the zone database gives by a rule rather than by
// transitions, as the slim database embedded with time/tzdata does (the
// command line on a machine without a zone database, and the browser
// calculator); such a bound is no change, and the period goes on across it.
func zonePeriod(t time.Time) (start, end time.Time) {
	name, off := t.Zone()
	dst := t.IsDST()
	same := func(u time.Time) bool {
		n, o := u.Zone()
		return n == name && o == off && u.IsDST() == dst
	}
	start, end = t.ZoneBounds()
	for !start.IsZero() && same(start.Add(-time.Second)) {
		start, _ = start.Add(-time.Second).ZoneBounds()
	}
	for !end.IsZero() && same(end) {
		_, end = end.ZoneBounds()
	}
	return start, end
}

// utcOffset formats seconds east of UTC as RFC 5545's UTC-OFFSET: "+0100",
// "-0430", with seconds only when there are some (old local mean times).
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

// paramValue quotes a parameter value that contains a character a bare one
// cannot.
func paramValue(s string) string {
	if strings.ContainsAny(s, ":;,") {
		return `"` + strings.ReplaceAll(s, `"`, "'") + `"`
	}
	return s
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11). Control characters,
// which TEXT does not allow, become spaces; line breaks become "\n".
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
		case unicode.IsControl(r) && r != '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
