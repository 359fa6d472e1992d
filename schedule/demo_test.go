package schedule_test

import (
	"io"
	"strings"
	"testing"
)

// The package keeps to itself the timetable under Plan (Series.Plan,
// Timetable.Replan and WriteTable, WriteICal of bare slots), the linter
// (Validate and Findings report it), the Validate of a protocol's or a
// record's parts (their loaders and Check validate), and a few calendar and
// date helpers: no importer needs them. What their examples showed is
// checked here, with the outputs the examples had (export_test.go gives the
// tests the names).
func TestDemos(t *testing.T) {
	for _, d := range []struct {
		name string
		run  func(io.Writer)
		want string
	}{
		{"SessionPlan.Table", demoSessionPlanTable, `6 slots from 2025-03-03 to 2025-03-14`},
		{"Protocol.Lint", demoProtocolLint, `warning: titration.steps[2]: 0.9 mg/kg is above dose.limits.dose_per_kg.soft_max 0.75 mg/kg: every session at this level needs an acknowledgement
warning: dose.limits.concentration.hard_max: 1,000 mcg/mL is in mcg/mL while preparation.stock is 10 mg/mL: check the unit
error: dose.per_kg: implausible magnitude: 5 mg/kg is at least 10 times dose.limits.dose_per_kg.hard_max 0.5 mg/kg (a unit slip?)`},
		{"Record.Validate", demoRecordValidate, `schedule: entries[0].to: required for delayed: the day the session is moved to`},
		{"Vitals.Validate", demoVitalsValidate, `schedule: readings.diastolic "120 mmHg": is not below the systolic 80 mmHg (were the two swapped?)`},
		{"Calendar.IsOpen", demoCalendarIsOpen, `2025-12-22 2025-12-23 2026-01-02 2026-01-05`},
		{"Series.Plan", demoSeriesPlan, `1 induction 1 2025-03-03 Mon 09:00 EST
2 induction 2 2025-03-05 Wed 09:00 EST
3 induction 3 2025-03-07 Fri 09:00 EST
4 induction 4 2025-03-10 Mon 09:00 EDT
5 induction 5 2025-03-12 Wed 09:00 EDT
6 induction 6 2025-03-14 Fri 09:00 EDT
7 boosters 1 2025-04-11 Fri 09:00 EDT
8 boosters 2 2025-05-09 Fri 09:00 EDT
9 boosters 3 2025-06-06 Fri 09:00 EDT`},
		{"Series.Plan, a closed date", demoSeriesPlanClosedDate, `2025-05-27 moved from 2025-05-26
2025-05-26 closed clinic closed (Memorial Day)
2025-05-27 rhythm_gap 29 days after session 1 on 2025-04-28, not the 28 days the rhythm gives`},
		{"Series.Plan, a check", demoSeriesPlanCheck, `2025-03-03 Monday []
2025-03-06 Thursday [cumulative_cap_7_days rhythm_gap]
2025-03-10 Monday [min_interval weekday weekday rhythm_gap]`},
		{"Series.Validate", demoSeriesValidate, `schedule: series.phases[0].per_week "3": is more than the 2 weekdays given (must be 1 to 2)
schedule: series.phases[1]: has no end (give sessions, until or duration)
schedule: series.min_interval "48 mg": is not a time (write it in hours or minutes, e.g. "44 h")`},
		{"Timetable.Replan", demoTimetableReplan, `1 2025-03-03 09:00 true
2 2025-03-05 16:00 true
3 2025-03-10 09:00 false
4 2025-03-12 09:00 false
5 2025-03-14 09:00 false
6 2025-03-17 09:00 false`},
		{"Timetable.WriteTable", demoTimetableWriteTable, `Series from 2025-03-03 (America/New_York)
min_interval 48 h

#  Phase        Session  Date        Day  Start      Days  Hours  Notes
1  induction    1 of 2   2025-03-03  Mon  09:00 EST
2  induction    2 of 2   2025-03-06  Thu  09:00 EST  3     72 h
3  maintenance  1 of 2   2025-03-11  Tue  09:00 EDT  5     119 h  moved from Mon 2025-03-10: 03-10 clinic closed (staff training)
4  maintenance  2 of 2   2025-03-17  Mon  09:00 EDT  6     144 h  03-17 6 days after session 3 on 2025-03-11, not the 7 days the rhythm gives

For clinician verification — not a prescription`},
		{"WriteICal", demoWriteICal, `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//doseplan//schedule//EN
CALSCALE:GREGORIAN
BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
DTSTART:20250309T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VEVENT
UID:29a2911a952654ec0bc939bd2879b9b2@doseplan
DTSTAMP:20250301T120000Z
DTSTART;TZID=America/New_York:20250411T090000
DTEND;TZID=America/New_York:20250411T113000
SUMMARY:IV ketamine booster
DESCRIPTION:boosters session 1 of 1 (session 1 of the series)\, Fri 2025-04
 -11\nDose: see the worksheet\nFor clinician verification — not a prescri
 ption
END:VEVENT
END:VCALENDAR`},
		{"VitalGates.Validate", demoVitalGatesValidate, `schedule: vitals.hold.spo2_below "92 mmHg": is not in % (the unit of SpO2)`},
		{"Calendar.Config", demoCalendarConfig, `Europe/Berlin [mon thu] [10:00 14:00]`},
		{"Calendar.Location", demoCalendarLocation, `America/New_York
2025-03-03T14:00:00Z
2025-03-10T13:00:00Z`},
		{"Date.Compare", demoDateCompare, `[2025-03-03 2025-12-31 2026-01-01]
-1 0 1`},
		{"Date.DaysSince", demoDateDaysSince, `11 -11
2`},
		{"TimeOfDay.IsValid", demoTimeOfDayIsValid, `true
false false`},
	} {
		t.Run(d.name, func(t *testing.T) {
			var b strings.Builder
			d.run(&b)
			if got := strings.TrimSpace(b.String()); got != strings.TrimSpace(d.want) {
				t.Errorf("output:\n%s\nwant:\n%s", got, d.want)
			}
		})
	}
}
