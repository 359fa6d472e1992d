package schedule_test

import (
	"bytes"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

var stamp = time.Date(2025, time.March, 1, 8, 30, 0, 0, time.UTC)

func exportICal(t *testing.T, slots []schedule.Slot, opt schedule.ICalOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := schedule.WriteICal(&b, slots, opt); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// checkLines checks RFC 5545 §3.1: CRLF line endings, lines of at most 75
// octets.
func checkLines(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Error("output does not end with CRLF")
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d has %d octets, more than 75: %q", i+1, len(line), line)
		}
	}
}

// offsetAt finds the UTC offset a VTIMEZONE gives a local time, from its
// observances alone, without the zone database: the observance with the
// latest onset at or before the local time applies.
func offsetAt(t *testing.T, tz *ical.Component, local string) string {
	t.Helper()
	best, off := "", ""
	for _, obs := range tz.Children {
		onset := obs.Props.Get(ical.PropDateTimeStart).Value
		if onset <= local && onset > best {
			best, off = onset, obs.Props.Get(ical.PropTimezoneOffsetTo).Value
		}
	}
	if off == "" {
		t.Fatalf("no observance of the VTIMEZONE covers %s", local)
	}
	return off
}

func TestWriteICal(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		start string
	}{
		{"WC14 in New York across the March DST change", "America/New_York", "2025-03-03"},
		{"WC14 in Berlin across the March DST change", "Europe/Berlin", "2025-03-03"},
		{"WC14 in Berlin across the October DST change and the year end", "Europe/Berlin", "2025-10-06"},
		{"WC14 in UTC", "UTC", "2025-03-03"},
		{"WC14 in Tokyo, a zone without DST", "Asia/Tokyo", "2025-03-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := clinic(t, schedule.CalendarConfig{Zone: tt.zone, Open: monToFri, Starts: at0900})
			tab, err := esketamine().Plan(day(t, tt.start), cal, schedule.Options{})
			if err != nil {
				t.Fatal(err)
			}
			opt := schedule.ICalOptions{PlanID: "protocol sha256 0f3a…; patient 123; start " + tt.start, Stamp: stamp, Length: qty("130 min")}
			out := exportICal(t, tab.Slots, opt)
			checkLines(t, out)
			if again := exportICal(t, tab.Slots, opt); !bytes.Equal(out, again) {
				t.Error("two exports of the same plan differ")
			}

			parsed, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
			if err != nil {
				t.Fatalf("go-ical cannot parse the output: %v\n%s", err, out)
			}
			if err := ical.NewEncoder(io.Discard).Encode(parsed); err != nil {
				t.Errorf("go-ical refuses to encode what it parsed: %v", err)
			}
			var tz *ical.Component
			for _, c := range parsed.Children {
				if c.Name == ical.CompTimezone {
					tz = c
				}
			}
			if (tz == nil) != (tt.zone == "UTC") {
				t.Fatalf("VTIMEZONE present = %v for zone %s", tz != nil, tt.zone)
			}
			if tz != nil {
				if got := tz.Props.Get(ical.PropTimezoneID).Value; got != tt.zone {
					t.Errorf("VTIMEZONE TZID = %q, want %q", got, tt.zone)
				}
			}

			events := parsed.Events()
			if len(events) != len(tab.Slots) {
				t.Fatalf("%d events, want one per session (%d)", len(events), len(tab.Slots))
			}
			uids := map[string]bool{}
			for i, ev := range events {
				s := tab.Slots[i]
				uid, _ := ev.Props.Text(ical.PropUID)
				if uids[uid] || !strings.HasSuffix(uid, "@doseplan") {
					t.Errorf("event %d UID %q is repeated or malformed", i, uid)
				}
				uids[uid] = true
				if got, err := ev.Props.DateTime(ical.PropDateTimeStamp, nil); err != nil || !got.Equal(stamp) {
					t.Errorf("event %d DTSTAMP = %v, %v; want %v", i, got, err, stamp)
				}
				start, err := ev.DateTimeStart(nil)
				if err != nil || !start.Equal(s.Start) {
					t.Errorf("event %d DTSTART = %v, %v; want %v", i, start, err, s.Start)
				}
				if end, err := ev.DateTimeEnd(nil); err != nil || end.Sub(start) != 130*time.Minute {
					t.Errorf("event %d DTEND = %v, %v; want 130 min after %v", i, end, err, start)
				}
				summary, _ := ev.Props.Text(ical.PropSummary)
				if want := s.Phase + " session " + strconv.Itoa(s.Number) + " of " + strconv.Itoa(s.Of); summary != want {
					t.Errorf("event %d SUMMARY = %q, want %q", i, summary, want)
				}
				desc, _ := ev.Props.Text(ical.PropDescription)
				if !strings.HasSuffix(desc, "\nFor clinician verification — not a prescription") {
					t.Errorf("event %d DESCRIPTION lacks the notice: %q", i, desc)
				}
				prop := ev.Props.Get(ical.PropDateTimeStart)
				if tz != nil {
					if got := prop.Params.Get(ical.PropTimezoneID); got != tt.zone {
						t.Errorf("event %d DTSTART TZID = %q, want %q", i, got, tt.zone)
					}
					want := s.Start.Format("-0700")
					if got := offsetAt(t, tz, prop.Value); got != want {
						t.Errorf("event %d at %s: the VTIMEZONE gives offset %s, the zone database %s", i, prop.Value, got, want)
					}
					if prop.Value[9:13] != "0900" {
						t.Errorf("event %d DTSTART = %s, want 09:00 local", i, prop.Value)
					}
				} else if !strings.HasSuffix(prop.Value, "Z") {
					t.Errorf("event %d DTSTART = %s, want a UTC time", i, prop.Value)
				}
			}
		})
	}
}

// TestWriteICalText checks escaping and folding of text the caller supplies,
// with commas, semicolons, backslashes, line breaks and multi-byte UTF-8
// characters, by reading it back.
func TestWriteICalText(t *testing.T) {
	cal := clinic(t, schedule.CalendarConfig{Zone: "Europe/Berlin", Open: monToFri, Starts: at0900})
	tab, err := ivKetamine().Plan(day(t, "2025-03-03"), cal, schedule.Options{})
	if err != nil {
		t.Fatal(err)
	}
	summary := "Ketamin i.v., 0,5 mg/kg; Sitzung — Überwachung ≥ 30 min \\ Fahrer nötig " + strings.Repeat("é", 40)
	details := []string{"Dose: 40 mg (4 mL of 10 mg/mL) in 100 mL; pump 156 mL/h", "line\r\nwith a break and a\ttab and a \x07 bell"}
	opt := schedule.ICalOptions{PlanID: "p", Stamp: stamp, Length: qty("2 h"),
		Describe: func(schedule.Slot) (string, []string) { return summary, details }}
	out := exportICal(t, tab.Slots[:1], opt)
	checkLines(t, out)
	parsed, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	ev := parsed.Events()[0]
	if got, _ := ev.Props.Text(ical.PropSummary); got != summary {
		t.Errorf("SUMMARY read back = %q\nwant %q", got, summary)
	}
	desc, _ := ev.Props.Text(ical.PropDescription)
	for _, want := range []string{details[0], "line\nwith a break and a\ttab and a   bell", dosing.Notice} {
		if !strings.Contains(desc, want) {
			t.Errorf("DESCRIPTION read back lacks %q:\n%s", want, desc)
		}
	}
}

// TestWriteICalUIDsFollowPositions: a replanned timetable keeps each
// position's UID, so calendar applications update events in place.
func TestWriteICalUIDsFollowPositions(t *testing.T) {
	tab := wc15(t, nil)
	later, err := tab.Replan([]schedule.Event{{Kind: schedule.Missed, Session: 1}}, day(t, "2025-03-04"))
	if err != nil {
		t.Fatal(err)
	}
	uids := func(slots []schedule.Slot) []string {
		out := exportICal(t, slots, schedule.ICalOptions{PlanID: "plan-7", Stamp: stamp, Length: qty("90 min")})
		parsed, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		var u []string
		for _, ev := range parsed.Events() {
			s, _ := ev.Props.Text(ical.PropUID)
			u = append(u, s)
		}
		return u
	}
	before, after := uids(tab.Slots), uids(later.Slots)
	if tab.Slots[0].Date == later.Slots[0].Date {
		t.Fatal("the replan did not move session 1")
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("session %d UID changed from %s to %s", i+1, before[i], after[i])
		}
	}
	other := exportICal(t, tab.Slots[:1], schedule.ICalOptions{PlanID: "plan-8", Stamp: stamp, Length: qty("90 min")})
	if bytes.Contains(other, []byte(before[0])) {
		t.Error("another plan has the same UID")
	}
}

func TestWriteICalBadInput(t *testing.T) {
	tab := wc15(t, nil)
	ok := schedule.ICalOptions{PlanID: "p", Stamp: stamp, Length: qty("2 h")}
	berlin := inZone(t, "Europe/Berlin", 2025, 3, 4, 9, 0)
	mixed := append([]schedule.Slot{}, tab.Slots[:2]...)
	mixed[1].Start = berlin
	tests := []struct {
		name  string
		slots []schedule.Slot
		opt   func(schedule.ICalOptions) schedule.ICalOptions
		field string
	}{
		{"no plan id", tab.Slots, func(o schedule.ICalOptions) schedule.ICalOptions { o.PlanID = ""; return o }, "ical.plan_id"},
		{"no stamp", tab.Slots, func(o schedule.ICalOptions) schedule.ICalOptions { o.Stamp = time.Time{}; return o }, "ical.stamp"},
		{"no length", tab.Slots, func(o schedule.ICalOptions) schedule.ICalOptions { o.Length = qty("0 min"); return o }, "ical.length"},
		{"length not a time", tab.Slots, func(o schedule.ICalOptions) schedule.ICalOptions { o.Length = qty("2 mL"); return o }, "ical.length"},
		{"no sessions", nil, func(o schedule.ICalOptions) schedule.ICalOptions { return o }, "slots"},
		{"an end before the start", tab.Slots, func(o schedule.ICalOptions) schedule.ICalOptions {
			o.End = func(s schedule.Slot) time.Time { return s.Start.Add(-time.Minute) }
			return o
		}, "slots[0].end"},
		{"an end more than 24 h after the start", tab.Slots, func(o schedule.ICalOptions) schedule.ICalOptions {
			o.End = func(s schedule.Slot) time.Time { return s.Start.Add(25 * time.Hour) }
			return o
		}, "slots[0].end"},
		{"two time zones", mixed, func(o schedule.ICalOptions) schedule.ICalOptions { return o }, "slots[1].start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := schedule.WriteICal(&b, tt.slots, tt.opt(ok))
			if !slices.Contains(fields(err), tt.field) || b.Len() != 0 {
				t.Errorf("WriteICal() = %v with %d bytes written; want a %s error and no output", err, b.Len(), tt.field)
			}
		})
	}
}

// With End, each event ends when its slot says, and Length is not needed:
// here session n lasts n × 10 min.
func TestWriteICalEnd(t *testing.T) {
	tab := wc15(t, nil)
	end := func(s schedule.Slot) time.Time { return s.Start.Add(time.Duration(s.Index) * 10 * time.Minute) }
	out := exportICal(t, tab.Slots, schedule.ICalOptions{PlanID: "p", Stamp: stamp, End: end})
	parsed, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range parsed.Events() {
		start, err1 := ev.DateTimeStart(nil)
		stop, err2 := ev.DateTimeEnd(nil)
		if err1 != nil || err2 != nil || stop.Sub(start) != time.Duration(i+1)*10*time.Minute {
			t.Errorf("event %d: %v to %v (%v, %v), want %d min", i+1, start, stop, err1, err2, (i+1)*10)
		}
	}
}
