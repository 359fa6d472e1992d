"""Reads an iCalendar file with Python's icalendar library, as a calendar
application would, and prints each event's UID, start and end as UTC
instants (RFC 3339), one event a line. Used by the schedule package's tests
(TestSessionPlanWriteICalClients): every instant must be the plan's."""
import datetime
import sys

import icalendar


def utc(prop):
    value = prop.dt
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        sys.exit("not an instant: %r" % (value,))
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


with open(sys.argv[1], "rb") as f:
    cal = icalendar.Calendar.from_ical(f.read())
for event in cal.walk("VEVENT"):
    print(str(event["UID"]), utc(event["DTSTART"]), utc(event["DTEND"]))
