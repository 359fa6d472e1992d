package schedule_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestWriteTable compares rendered timetables with testdata/table/*.golden.
// Run "go test ./schedule -run TestWriteTable -update" to rewrite them after
// a deliberate change, and review the diff.
func TestWriteTable(t *testing.T) {
	berlin := func(closed ...schedule.Closure) *schedule.Calendar {
		return clinic(t, schedule.CalendarConfig{Zone: "Europe/Berlin", Open: monToFri, Starts: at0900, Closed: closed})
	}
	tests := []struct {
		name   string
		reason string
		table  func(t *testing.T) *schedule.Timetable
	}{
		{
			name:   "wc14_new_york",
			reason: "the esketamine calendar of clinical.md WC14, across the US DST change",
			table: func(t *testing.T) *schedule.Timetable {
				tab, err := esketamine().Plan(day(t, "2025-03-03"), clinic(t, schedule.CalendarConfig{Zone: "America/New_York", Open: monToFri, Starts: at0900}), schedule.Options{})
				must(t, err)
				return tab
			},
		},
		{
			name:   "wc15_holidays_berlin",
			reason: "a closed Wednesday and Easter move sessions; each move says from where and why",
			table: func(t *testing.T) *schedule.Timetable {
				cal := berlin(schedule.Closure{Date: day(t, "2025-03-12"), Name: "staff training"},
					schedule.Closure{Date: day(t, "2025-04-18"), Through: day(t, "2025-04-21"), Name: "Easter"})
				tab, err := ivKetamine().Plan(day(t, "2025-03-10"), cal, schedule.Options{})
				must(t, err)
				return tab
			},
		},
		{
			name:   "dst_start_times_berlin",
			reason: "02:30 does not exist on 2025-03-30; 09:00 is used, and the next day keeps 24 h",
			table: func(t *testing.T) *schedule.Timetable {
				cal := clinic(t, schedule.CalendarConfig{Zone: "Europe/Berlin", Open: allWeek, Starts: []schedule.TimeOfDay{{Hour: 2, Minute: 30}, {Hour: 9}}})
				s := schedule.Series{Phases: []schedule.Phase{{Name: "daily", Sessions: 4, Every: qty("1 day")}}, MinInterval: qty("24 h")}
				tab, err := s.Plan(day(t, "2025-03-28"), cal, schedule.Options{})
				must(t, err)
				return tab
			},
		},
		{
			name:   "replan_restart_berlin",
			reason: "done, late and missed sessions, a restart after a long gap, a dropped session and a warning",
			table: func(t *testing.T) *schedule.Timetable {
				s := ivKetamine()
				s.Restart = &schedule.RestartRule{After: qty("6 weeks"), Phase: "induction"}
				drop := func(c schedule.Slot, placed []schedule.Slot) (schedule.Verdict, error) {
					if c.Phase == "boosters" && c.Number == 3 {
						return schedule.Verdict{Action: schedule.Drop, Code: "cumulative_cap_series", Detail: "series cap 500 mg would be exceeded (520 mg)"}, nil
					}
					return schedule.Verdict{}, nil
				}
				tab, err := s.Plan(day(t, "2025-03-03"), berlin(), schedule.Options{Check: drop})
				must(t, err)
				at := func(m, d, h, min int) schedule.Event {
					return schedule.Event{Kind: schedule.Done, At: inZone(t, "Europe/Berlin", 2025, time.Month(m), d, h, min)}
				}
				h := []schedule.Event{at(3, 3, 9, 0), at(3, 5, 9, 20), at(3, 6, 15, 0)}
				for i := range h {
					h[i].Session = i + 1
				}
				h[2].Note = "came a day early"
				h = append(h, schedule.Event{Kind: schedule.Missed, Session: 4, Note: "unwell"})
				tab, err = tab.Replan(h, day(t, "2025-04-28"))
				must(t, err)
				return tab
			},
		},
		{
			name:   "stopped",
			reason: "after a stop nothing more is planned",
			table: func(t *testing.T) *schedule.Timetable {
				tab, err := ivKetamine().Plan(day(t, "2025-03-03"), berlin(), schedule.Options{})
				must(t, err)
				tab, err = tab.Replan([]schedule.Event{
					{Kind: schedule.Done, Session: 1, At: inZone(t, "Europe/Berlin", 2025, 3, 3, 9, 0)},
					{Kind: schedule.Stopped, Date: day(t, "2025-03-04"), Note: "patient's decision"},
				}, day(t, "2025-03-04"))
				must(t, err)
				return tab
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.table(t).WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "table", tt.name+".golden")
			if *update {
				must(t, os.MkdirAll(filepath.Dir(path), 0o755))
				must(t, os.WriteFile(path, b.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("WriteTable() mismatch with %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestWriteTableZeroValues: a timetable built by hand, with zero dates and
// no calendar, renders without a panic.
func TestWriteTableZeroValues(t *testing.T) {
	tab := &schedule.Timetable{Slots: []schedule.Slot{{Reasons: []schedule.Reason{{Detail: "by hand"}}}, {MovedFrom: day(t, "2025-03-03")}},
		Stopped: &schedule.Event{Kind: schedule.Stopped}}
	var b bytes.Buffer
	if err := tab.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.Bytes(), []byte("by hand")) || !bytes.Contains(b.Bytes(), []byte(dosing.Notice)) {
		t.Errorf("WriteTable() = %s", b.String())
	}
}
