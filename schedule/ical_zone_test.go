package schedule

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

// ruleOnlyZone is a zone whose offsets all come from a POSIX TZ rule, with
// no transition listed: what Go's embedded slim zone database gives for the
// years after its last listed transition.
func ruleOnlyZone(t *testing.T, name, rule, std string, stdOffset int32) *time.Location {
	t.Helper()
	var b bytes.Buffer
	for range 2 { // the version 1 block, then the version 2 block
		b.WriteString("TZif2")
		b.Write(make([]byte, 15))
		// isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
		for _, n := range []uint32{0, 0, 0, 0, 1, uint32(len(std) + 1)} {
			binary.Write(&b, binary.BigEndian, n)
		}
		binary.Write(&b, binary.BigEndian, stdOffset)
		b.Write([]byte{0, 0}) // not DST; the name at index 0
		b.WriteString(std + "\x00")
	}
	b.WriteString("\n" + rule + "\n")
	loc, err := time.LoadLocationFromTZData(name, b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestTimezoneFromARule checks the VTIMEZONE of a zone given by its rule
// alone: each observance starts at the real change, not at the year
// boundary Go's ZoneBounds reports for such a zone.
func TestTimezoneFromARule(t *testing.T) {
	ny := ruleOnlyZone(t, "America/New_York", "EST5EDT,M3.2.0,M11.1.0", "EST", -5*3600)
	from := time.Date(2025, time.March, 3, 9, 0, 0, 0, ny)
	to := time.Date(2025, time.April, 14, 10, 10, 0, 0, ny)
	var b icsBuilder
	b.timezone(ny, from, to)
	// The first Sunday of November 2024 is the 3rd: at 02:00 EDT (-04:00)
	// the clocks go back to EST; the second Sunday of March 2025 is the 9th:
	// at 02:00 EST (-05:00) they go forward to EDT. Nothing changes on 1 January.
	want := strings.Join([]string{
		"BEGIN:VTIMEZONE", "TZID:America/New_York",
		"BEGIN:STANDARD", "DTSTART:20241103T020000", "TZOFFSETFROM:-0400", "TZOFFSETTO:-0500", "TZNAME:EST", "END:STANDARD",
		"BEGIN:DAYLIGHT", "DTSTART:20250309T020000", "TZOFFSETFROM:-0500", "TZOFFSETTO:-0400", "TZNAME:EDT", "END:DAYLIGHT",
		"END:VTIMEZONE", ""}, "\r\n")
	if got := b.buf.String(); got != want {
		t.Errorf("VTIMEZONE:\n%s\nwant:\n%s", got, want)
	}
	// Across a year end in standard time: one observance, not one per year.
	b = icsBuilder{}
	b.timezone(ny, time.Date(2025, time.December, 1, 9, 0, 0, 0, ny), time.Date(2026, time.January, 20, 9, 0, 0, 0, ny))
	if n := strings.Count(b.buf.String(), "BEGIN:STANDARD"); n != 1 {
		t.Errorf("%d STANDARD observances from December to January, want 1:\n%s", n, b.buf.String())
	}
}
