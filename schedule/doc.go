// Package schedule plans treatment-session series on a clinic's calendar:
// which day and at what local time each session of a protocol's series falls,
// why a session had to move, and what remains after sessions were done,
// missed or delayed. It also checks pre-session vital signs against a
// protocol's gates and exports sessions as a text table or an iCalendar file.
//
// Every output is for clinician verification, not a prescription ([dosing.Notice]).
// Every clinical number (intervals, counts, thresholds) comes from the
// caller; the package adds none.
//
// # Entry points
//
// [LoadProtocol] reads a clinic's protocol document (YAML or JSON) strictly,
// validates and lints it, and records its SHA-256; its dosing rule
// ([Protocol.Dosing]) is the one package dosing calculates with
// ([Protocol.Calculate], [Protocol.Check]). [Plan] lays the protocol's series
// out on a clinic's [Calendar] from a start date, with each session's dose,
// level and timeline, within the protocol's cumulative caps.
// [SessionPlan.Replan] plans what remains from a history of [Event]s (done,
// missed, delayed, stopped), [SessionPlan.ReplanRecord] from a session
// [Record]. A plan writes itself as a table, an iCalendar file or a
// checklist ([SessionPlan.WriteTable], [SessionPlan.WriteICal],
// [SessionPlan.WriteChecklist]).
//
// # Calendar
//
// A [Calendar] ([NewCalendar]) is a time zone, the weekdays the clinic is
// open, its closed dates and its session start times. Days are civil [Date]s
// and start times are wall-clock [TimeOfDay]s in the calendar's zone, so a
// 09:00 session stays at 09:00 across a daylight-saving change; no day is
// ever computed by adding 24 hours. A start time that does not exist on a day
// is unavailable on that day (the session moves, and says why); one that
// occurs twice resolves to its first occurrence (and the session says so).
//
// # Series
//
// A protocol's [Series] is a list of [Phase]s, each with a rhythm (so many
// sessions a week on given weekdays, or one every so many days or weeks) and
// an end (a count, a last day, or a duration), plus the constraints every
// session keeps: a minimum interval between start instants and a maximum per
// 7 calendar days. A session whose day is closed or breaks a constraint (a
// cumulative cap included) moves to the next start or day that keeps them
// all; its [Slot] records the day it moved from and a [Reason] for each
// refused day. The rhythm goes on from where a moved session fell ("every 2
// weeks" stays 14 days after it), and any gap between two sessions of a
// phase that is not the rhythm's is noted on the later one ([ReasonRhythm]).
// A session a cap leaves out is [Dropped]; it counts towards its phase and
// keeps the series going: a gap that only dropping makes never restarts the
// series ([Series.Restart]). Replanning measures every constraint from what
// actually happened, and applies the series' [RestartRule] when a gap is too
// long.
//
// # Session records
//
// A [Record] is what happened at one patient's sessions on one protocol
// (identified by its SHA-256): each session done (when, what was given, the
// vitals taken, who recorded it), missed, delayed or stopped. [LoadRecord]
// reads it as strictly as a protocol; [AppendEntry] adds an entry without
// changing a byte of what is written, and a correction is a new entry that
// names the one it corrects ([Record.Effective]). [SessionPlan.ReplanRecord]
// plans the rest of the series from it, with the doses given counted
// towards the caps; [Diff] says what that changed against the plan, and
// why; [SessionPlan.Deviations] flags what was given otherwise than planned.
//
// # Vital signs
//
// [CheckVitals] ([VitalGates.Check]) turns pre-session readings into
// proceed, warn or hold with the reasons; a reading that cannot be one (a
// blood pressure of 400/20 mmHg, an SpO2 of 140 %) is an input error, not a
// decision, and [ParseVitals] reads "bp=150/95 hr=88 spo2=97". The plan's
// table is for people; its iCalendar file has RFC 5545 events with stable
// UIDs.
//
// # Errors
//
// Bad input is reported all at once (errors.Join) as [*FieldError]s naming
// the field's path and quoting its value:
//
//	schedule: series.phases[1].per_week "3": is more than the 2 weekdays given (must be 1 to 2)
//
// Errors wrap the sentinels ([ErrMissing], [ErrRange], [ErrConflict], …) for
// errors.Is. Nothing in the package reads the clock or the environment:
// "today" and the export stamp are arguments.
package schedule
