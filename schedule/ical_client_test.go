package schedule_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/internal/tooltest"
	"github.com/doseplan/doseplan/schedule"
)

// fallBackPlans are weekly Sunday sessions (30 min pre-checks, a 40 min
// infusion, 30 min observation) whose second session falls on the night the
// clocks fall back, with the instants of that session worked out by hand,
// and which of its event's times have a wall clock that occurs twice.
func fallBackPlans(t *testing.T) []struct {
	name                 string
	pl                   *schedule.SessionPlan
	arrive, leave        time.Time // session 2
	arriveUTC, leaveUTC  bool      // written in UTC: the wall clock occurs twice
	arriveText, leaveTxt string    // as the description shows them
} {
	weekly := edit(t, baseYAML, "{name: induction, sessions: 6, weekdays: [mon, wed, fri]}", "{name: weekly, sessions: 3, weekdays: [sun]}")
	p := loadDoc(t, []byte(weekly))
	plan := func(zone, start string, at schedule.TimeOfDay) *schedule.SessionPlan {
		cal := clinic(t, schedule.CalendarConfig{Zone: zone, Open: allWeek, Starts: []schedule.TimeOfDay{at}})
		return mustPlan(t, p, adult80(), start, cal, schedule.PlanOptions{})
	}
	utc := func(m time.Month, d, h, min int) time.Time { return time.Date(2025, m, d, h, min, 0, 0, time.UTC) }
	return []struct {
		name                 string
		pl                   *schedule.SessionPlan
		arrive, leave        time.Time
		arriveUTC, leaveUTC  bool
		arriveText, leaveTxt string
	}{
		// 2025-11-02, clocks fall back at 02:00 EDT to 01:00 EST. 01:30 is
		// the first 01:30, EDT: 05:30 UTC. Arrival 05:00 UTC = 01:00 EDT
		// (01:00 EST comes an hour later); discharge 05:30 + 40 + 30 min =
		// 06:40 UTC = 01:40 EST (01:40 EDT was an hour earlier): both twice.
		{"New York, 01:30 on 2025-11-02", plan("America/New_York", "2025-10-26", schedule.TimeOfDay{Hour: 1, Minute: 30}),
			utc(11, 2, 5, 0), utc(11, 2, 6, 40), true, true, "01:00 EDT, UTC-04:00", "01:40 EST, UTC-05:00"},
		// 2025-10-26, 03:00 CEST falls back to 02:00 CET. 02:30 is the first,
		// CEST: 00:30 UTC. Arrival 00:00 UTC = 02:00 CEST, discharge 01:40
		// UTC = 02:40 CET: both twice.
		{"Berlin, 02:30 on 2025-10-26", plan("Europe/Berlin", "2025-10-19", schedule.TimeOfDay{Hour: 2, Minute: 30}),
			utc(10, 26, 0, 0), utc(10, 26, 1, 40), true, true, "02:00 CEST, UTC+02:00", "02:40 CET, UTC+01:00"},
		// Lord Howe, 2025-04-06: 02:00 +11 falls back half an hour to 01:30
		// +10:30. 02:00 occurs once, +10:30: 15:30 UTC on 04-05. Arrival
		// 15:00 UTC = 01:30 +10:30, the second 01:30; discharge 16:40 UTC =
		// 03:10 +10:30, once.
		{"Lord Howe, 02:00 on 2025-04-06", plan("Australia/Lord_Howe", "2025-03-30", schedule.TimeOfDay{Hour: 2}),
			utc(4, 5, 15, 0), utc(4, 5, 16, 40), true, false, "01:30 +1030, UTC+10:30", "03:10"},
	}
}

func exportPlan(t *testing.T, pl *schedule.SessionPlan) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pl.WriteICal(&b, "MRN-7", stamp); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// Each event runs from its session's arrival to its own discharge, and a
// time whose wall clock occurs twice is written in UTC, so that go-ical
// reads every instant the plan has.
func TestSessionPlanWriteICalFallBack(t *testing.T) {
	for _, tc := range fallBackPlans(t) {
		t.Run(tc.name, func(t *testing.T) {
			s2 := tc.pl.Sessions[1]
			if !s2.Timeline.PreChecks.Equal(tc.arrive) || !s2.Timeline.EarliestDischarge.Equal(tc.leave) {
				t.Fatalf("session 2: arrival %v, discharge %v; worked out %v, %v", s2.Timeline.PreChecks.UTC(), s2.Timeline.EarliestDischarge.UTC(), tc.arrive, tc.leave)
			}
			out := exportPlan(t, tc.pl)
			parsed, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
			if err != nil {
				t.Fatalf("go-ical: %v\n%s", err, out)
			}
			events := parsed.Events()
			if len(events) != len(tc.pl.Sessions) {
				t.Fatalf("%d events for %d sessions", len(events), len(tc.pl.Sessions))
			}
			for i, ev := range events {
				s := tc.pl.Sessions[i]
				start, err1 := ev.DateTimeStart(nil)
				end, err2 := ev.DateTimeEnd(nil)
				if err1 != nil || err2 != nil || !start.Equal(s.Timeline.PreChecks) || !end.Equal(s.Timeline.EarliestDischarge) {
					t.Errorf("event %d: go-ical reads %v to %v (%v, %v); the session is %v to %v", i+1, start.UTC(), end.UTC(), err1, err2,
						s.Timeline.PreChecks.UTC(), s.Timeline.EarliestDischarge.UTC())
				}
				for _, p := range []struct {
					name    string
					twice   bool
					instant time.Time
				}{{ical.PropDateTimeStart, i == 1 && tc.arriveUTC, s.Timeline.PreChecks}, {ical.PropDateTimeEnd, i == 1 && tc.leaveUTC, s.Timeline.EarliestDischarge}} {
					prop := ev.Props.Get(p.name)
					inUTC := strings.HasSuffix(prop.Value, "Z") && prop.Params.Get(ical.PropTimezoneID) == ""
					if inUTC != p.twice {
						t.Errorf("event %d %s = %s (TZID %q): in UTC %v, want %v", i+1, p.name, prop.Value, prop.Params.Get(ical.PropTimezoneID), inUTC, p.twice)
					}
					if inUTC && prop.Value != p.instant.UTC().Format("20060102T150405Z") {
						t.Errorf("event %d %s = %s, want %s", i+1, p.name, prop.Value, p.instant.UTC().Format("20060102T150405Z"))
					}
				}
			}
			desc, _ := events[1].Props.Text(ical.PropDescription)
			for _, w := range []string{"Pre-checks from " + tc.arriveText, "Earliest discharge: " + tc.leaveTxt} {
				if !strings.Contains(desc, w) {
					t.Errorf("session 2's description lacks %q:\n%s", w, desc)
				}
			}
		})
	}
}

// Python's icalendar library (Debian's python3-icalendar, as a calendar
// application would read the file) reads every event at the plan's
// instants: the fall-back nights' repeated times included, which it would
// otherwise read as their second occurrence.
func TestSessionPlanWriteICalClients(t *testing.T) {
	python := "/usr/bin/python3"
	if _, err := os.Stat(python); err != nil {
		tooltest.Missing(t, python+" not found; .ci/run installs python3-icalendar (APT_PACKAGES)")
	}
	if out, err := exec.Command(python, "-c", "import icalendar").CombinedOutput(); err != nil {
		tooltest.Missing(t, "Python's icalendar is not installed ("+strings.TrimSpace(string(out))+"); .ci/run installs python3-icalendar (APT_PACKAGES)")
	}
	script, err := filepath.Abs(filepath.Join("testdata", "ics_instants.py"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range fallBackPlans(t) {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "plan.ics")
			if err := os.WriteFile(file, exportPlan(t, tc.pl), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(python, script, file).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", script, err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != len(tc.pl.Sessions) {
				t.Fatalf("icalendar read %d events for %d sessions:\n%s", len(lines), len(tc.pl.Sessions), out)
			}
			for i, l := range lines {
				s := tc.pl.Sessions[i]
				f := strings.Fields(l)
				want := []string{s.Timeline.PreChecks.UTC().Format(time.RFC3339), s.Timeline.EarliestDischarge.UTC().Format(time.RFC3339)}
				if len(f) != 3 || f[1] != want[0] || f[2] != want[1] {
					t.Errorf("event %d: icalendar reads %q; the session is %s to %s", i+1, l, want[0], want[1])
				}
			}
		})
	}
}

// twiceBySearch reports whether another instant within 3 h of x shows the
// same wall clock in x's zone, by trying every minute: an oracle for the
// repeated hour of a fall-back night that does not use the package's.
func twiceBySearch(x time.Time) bool {
	wall := x.Format("2006-01-02 15:04:05")
	for m := -180; m <= 180; m++ {
		if y := x.Add(time.Duration(m) * time.Minute); m != 0 && y.Format("2006-01-02 15:04:05") == wall {
			return true
		}
	}
	return false
}

// On any daylight-saving night of any zone, at any start time near the
// change, the exported event runs from the session's arrival to its
// discharge for go-ical, and a time is in UTC exactly when its wall clock
// occurs twice.
func TestSessionPlanWriteICalDSTNights(t *testing.T) {
	zones := slices.DeleteFunc(slices.Clone(propZones), func(z string) bool { return z == "UTC" || z == "Asia/Kolkata" })
	daily := edit(t, baseYAML, "{name: induction, sessions: 6, weekdays: [mon, wed, fri]}", "{name: daily, sessions: 2, every: 1 day}",
		"min_interval: 44 h", "min_interval: 0 h")
	rapid.Check(t, func(t *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
		if err != nil {
			t.Fatal(err)
		}
		// The zone's changes in a year, and one of them.
		var changes []time.Time
		for x := time.Date(rapid.IntRange(2024, 2030).Draw(t, "year"), 1, 1, 0, 0, 0, 0, loc); len(changes) < 4; {
			_, end := x.ZoneBounds()
			if end.IsZero() {
				break
			}
			changes, x = append(changes, end), end
		}
		if len(changes) == 0 {
			t.Skip("no change")
		}
		change := rapid.SampledFrom(changes).Draw(t, "change").In(loc)
		at := schedule.TimeOfDay{Hour: min(23, max(0, change.Hour()+rapid.IntRange(-3, 2).Draw(t, "hours from the change"))),
			Minute: 10 * rapid.IntRange(0, 5).Draw(t, "tens of minutes")}
		doc := strings.Replace(daily, "session: {pre_checks: 30 min, observation: 30 min}",
			"session: {pre_checks: "+strconv.Itoa(rapid.IntRange(0, 120).Draw(t, "pre-check minutes"))+" min, observation: "+
				strconv.Itoa(rapid.IntRange(0, 240).Draw(t, "observation minutes"))+" min}", 1)
		p, err := schedule.LoadProtocol([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		cal, err := schedule.NewCalendar(schedule.CalendarConfig{Zone: loc.String(), Open: allWeek, Starts: []schedule.TimeOfDay{at}})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := schedule.Plan(p, adult80(), schedule.DateOf(change).AddDays(-1), cal, schedule.PlanOptions{})
		if err != nil {
			t.Fatalf("Plan: %v", err)
		}
		var b bytes.Buffer
		if err := pl.WriteICal(&b, "MRN-7", stamp); err != nil {
			t.Fatal(err)
		}
		parsed, err := ical.NewDecoder(&b).Decode()
		if err != nil {
			t.Fatal(err)
		}
		for i, ev := range parsed.Events() {
			tl := pl.Sessions[i].Timeline
			for _, p := range []struct {
				name string
				want time.Time
			}{{ical.PropDateTimeStart, tl.PreChecks}, {ical.PropDateTimeEnd, tl.EarliestDischarge}} {
				got, err := ev.Props.DateTime(p.name, nil)
				prop := ev.Props.Get(p.name)
				if err != nil || !got.Equal(p.want) {
					t.Fatalf("event %d %s %s reads %v (%v), want %v", i+1, p.name, prop.Value, got, err, p.want)
				}
				if inUTC := strings.HasSuffix(prop.Value, "Z"); inUTC != twiceBySearch(p.want) {
					t.Fatalf("event %d %s %s: in UTC %v, but %s occurs twice: %v", i+1, p.name, prop.Value, inUTC, p.want.Format("15:04 MST"), !inUTC)
				}
			}
		}
	})
}

// The plan table shows a time the clocks show twice with its zone and
// offset, so that a reader knows which 01:40 is meant.
func TestSessionPlanWriteTableFallBack(t *testing.T) {
	for _, tc := range fallBackPlans(t) {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			if err := tc.pl.WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			var row string
			for _, l := range strings.Split(b.String(), "\n") {
				if strings.HasPrefix(l, "2  ") {
					row = l
				}
			}
			if !tc.leaveUTC {
				if strings.Contains(row, "UTC") {
					t.Errorf("session 2 has no repeated time, yet its row names an offset:\n%s", row)
				}
				return
			}
			if !strings.Contains(row, tc.leaveTxt) {
				t.Errorf("session 2's row lacks the discharge %q:\n%s", tc.leaveTxt, row)
			}
		})
	}
}
