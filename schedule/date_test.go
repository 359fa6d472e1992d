package schedule_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/schedule"
)

// parseDateTests are texts ParseDate reads and refuses. Every row is named:
// an empty input would give the subtest the name "#00", and a "/" in the
// input would nest it.
var parseDateTests = []struct {
	name    string
	in      string
	want    schedule.Date
	wantErr error
}{
	{"ordinary day", "2025-03-03", schedule.Date{Year: 2025, Month: time.March, Day: 3}, nil},
	{"leap day", "2028-02-29", schedule.Date{Year: 2028, Month: time.February, Day: 29}, nil},
	{"first supported day", "1900-01-01", schedule.Date{Year: 1900, Month: time.January, Day: 1}, nil},
	{"last supported day", "2199-12-31", schedule.Date{Year: 2199, Month: time.December, Day: 31}, nil},
	{"the day before the first", "1899-12-31", schedule.Date{}, schedule.ErrRange},
	{"the day after the last", "2200-01-01", schedule.Date{}, schedule.ErrRange},
	{"year 0001: a birth date 2,024 years ago", "0001-01-01", schedule.Date{}, schedule.ErrRange},
	{"year 9999", "9999-12-31", schedule.Date{}, schedule.ErrRange},
	{"no leap day in 2025", "2025-02-29", schedule.Date{}, schedule.ErrRange},
	{"no leap day in 2100", "2100-02-29", schedule.Date{}, schedule.ErrRange},
	{"April has 30 days", "2025-04-31", schedule.Date{}, schedule.ErrRange},
	{"month 13", "2025-13-01", schedule.Date{}, schedule.ErrRange},
	{"month 00", "2025-00-10", schedule.Date{}, schedule.ErrRange},
	{"year 0000", "0000-01-01", schedule.Date{}, schedule.ErrRange},
	{"month and day without leading zeros", "2025-3-3", schedule.Date{}, schedule.ErrSyntax},
	{"slashes", "2025/03/03", schedule.Date{}, schedule.ErrSyntax},
	{"day first with slashes", "03/03/2025", schedule.Date{}, schedule.ErrSyntax},
	{"letter in the day", "2025-03-0x", schedule.Date{}, schedule.ErrSyntax},
	{"sign in the year", "+025-03-03", schedule.Date{}, schedule.ErrSyntax},
	{"empty", "", schedule.Date{}, schedule.ErrSyntax},
	{"date and time", "2025-03-03T09:00", schedule.Date{}, schedule.ErrSyntax},
}

func TestParseDate(t *testing.T) {
	for _, tt := range parseDateTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := schedule.ParseDate(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("ParseDate(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateArithmetic(t *testing.T) {
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		{"year boundary", "2025-12-31", 1, "2026-01-01"},
		{"back over the year boundary", "2026-01-01", -1, "2025-12-31"},
		{"into a leap day", "2028-02-28", 1, "2028-02-29"},
		{"out of a leap day", "2028-02-29", 1, "2028-03-01"},
		{"no leap day in 2027", "2027-02-28", 1, "2027-03-01"},
		{"no leap day in 2100", "2100-02-28", 1, "2100-03-01"},
		{"over the US spring-forward day", "2025-03-08", 2, "2025-03-10"},
		{"over the EU fall-back day", "2025-10-25", 2, "2025-10-27"},
		{"four weeks", "2025-03-14", 28, "2025-04-11"},
		{"a leap year", "2028-01-01", 366, "2029-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := day(t, tt.from)
			got := from.AddDays(tt.n)
			if got.String() != tt.want {
				t.Errorf("%s.AddDays(%d) = %s, want %s", tt.from, tt.n, got, tt.want)
			}
			if back := got.DaysSince(from); back != tt.n {
				t.Errorf("%s.DaysSince(%s) = %d, want %d", got, from, back, tt.n)
			}
		})
	}
}

func TestDateWeekdayAndCompare(t *testing.T) {
	if got := day(t, "2025-03-03").Weekday(); got != time.Monday {
		t.Errorf("2025-03-03 is a %v, want Monday", got)
	}
	if got := day(t, "2028-02-29").Weekday(); got != time.Tuesday {
		t.Errorf("2028-02-29 is a %v, want Tuesday", got)
	}
	a, b := day(t, "2025-12-31"), day(t, "2026-01-01")
	if !a.Before(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Errorf("comparisons of %s and %s are wrong", a, b)
	}
}

func TestDateJSON(t *testing.T) {
	type doc struct {
		Start schedule.Date `json:"start"`
		Until schedule.Date `json:"until,omitzero"`
	}
	in := doc{Start: day(t, "2025-03-03")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"start":"2025-03-03"}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`{"start":"2025-02-30"}`), &out); !errors.Is(err, schedule.ErrRange) {
		t.Errorf("Unmarshal of Feb 30 error = %v, want ErrRange", err)
	}
	if _, err := (schedule.Date{Year: 2025, Month: 2, Day: 30}).MarshalText(); !errors.Is(err, schedule.ErrRange) {
		t.Errorf("MarshalText of Feb 30 error = %v, want ErrRange", err)
	}
}

// parseWeekdayTests are texts ParseWeekday reads and refuses.
var parseWeekdayTests = []struct {
	name    string
	in      string
	want    schedule.Weekday
	wantErr error
}{
	{"sunday", "sun", schedule.Sunday, nil},
	{"monday", "mon", schedule.Monday, nil},
	{"tuesday", "tue", schedule.Tuesday, nil},
	{"wednesday", "wed", schedule.Wednesday, nil},
	{"thursday", "thu", schedule.Thursday, nil},
	{"friday", "fri", schedule.Friday, nil},
	{"saturday", "sat", schedule.Saturday, nil},
	{"case is ignored", "Thu", schedule.Thursday, nil},
	{"all upper case", "MON", schedule.Monday, nil},
	{"empty", "", 0, schedule.ErrSyntax},
	{"full name", "monday", 0, schedule.ErrSyntax},
	{"one letter", "m", 0, schedule.ErrSyntax},
	{"another language", "lun", 0, schedule.ErrSyntax},
	{"a number", "7", 0, schedule.ErrSyntax},
}

func TestParseWeekday(t *testing.T) {
	for _, tt := range parseWeekdayTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := schedule.ParseWeekday(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("ParseWeekday(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseWeekday(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if tt.wantErr == nil && got.String() != strings.ToLower(tt.in) {
				t.Errorf("ParseWeekday(%q).String() = %q", tt.in, got.String())
			}
		})
	}
	var ws []schedule.Weekday
	if err := json.Unmarshal([]byte(`["mon","wed","fri"]`), &ws); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]schedule.Weekday{schedule.Monday, schedule.Wednesday, schedule.Friday}, ws); diff != "" {
		t.Errorf("Unmarshal mismatch (-want +got):\n%s", diff)
	}
	if _, err := schedule.Weekday(9).MarshalText(); !errors.Is(err, schedule.ErrRange) {
		t.Errorf("MarshalText(9) error = %v, want ErrRange", err)
	}
}

// parseTimeOfDayTests are texts ParseTimeOfDay reads and refuses.
var parseTimeOfDayTests = []struct {
	name    string
	in      string
	want    schedule.TimeOfDay
	wantErr error
}{
	{"morning", "09:00", schedule.TimeOfDay{Hour: 9}, nil},
	{"midnight", "00:00", schedule.TimeOfDay{}, nil},
	{"last minute of the day", "23:59", schedule.TimeOfDay{Hour: 23, Minute: 59}, nil},
	{"hour 24", "24:00", schedule.TimeOfDay{}, schedule.ErrRange},
	{"minute 60", "12:60", schedule.TimeOfDay{}, schedule.ErrRange},
	{"hour without leading zero", "9:00", schedule.TimeOfDay{}, schedule.ErrSyntax},
	{"h for the colon", "09h00", schedule.TimeOfDay{}, schedule.ErrSyntax},
	{"sign", "+9:00", schedule.TimeOfDay{}, schedule.ErrSyntax},
	{"negative minute", "09:-1", schedule.TimeOfDay{}, schedule.ErrSyntax},
	{"12-hour clock", "9 am", schedule.TimeOfDay{}, schedule.ErrSyntax},
}

func TestParseTimeOfDay(t *testing.T) {
	for _, tt := range parseTimeOfDayTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := schedule.ParseTimeOfDay(tt.in)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || got != tt.want {
				t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// genDate draws a valid date, of the years FirstYear to LastYear.
func genDate() *rapid.Generator[schedule.Date] {
	return rapid.Custom(func(t *rapid.T) schedule.Date {
		y := rapid.IntRange(schedule.FirstYear, schedule.LastYear).Draw(t, "year")
		m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		last := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
		return schedule.Date{Year: y, Month: m, Day: rapid.IntRange(1, last).Draw(t, "day")}
	})
}

func TestDateProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := genDate().Draw(t, "d")
		n := rapid.IntRange(-3660, 3660).Draw(t, "n")
		p, err := schedule.ParseDate(d.String())
		if err != nil || p != d {
			t.Fatalf("ParseDate(%s.String()) = %v, %v", d, p, err)
		}
		e := d.AddDays(n)
		if !e.IsValid() {
			t.Skip("outside the supported years")
		}
		if got := e.DaysSince(d); got != n {
			t.Fatalf("%s.AddDays(%d).DaysSince = %d", d, n, got)
		}
		if e.AddDays(-n) != d {
			t.Fatalf("%s.AddDays(%d).AddDays(%d) = %s", d, n, -n, e.AddDays(-n))
		}
		if want := time.Weekday(((int(d.Weekday())+n)%7 + 7) % 7); e.Weekday() != want {
			t.Fatalf("%s is a %v, want %v", e, e.Weekday(), want)
		}
		if c := e.Compare(d); c != cmpSign(n) {
			t.Fatalf("%s.Compare(%s) = %d, want %d", e, d, c, cmpSign(n))
		}
	})
}

func cmpSign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

// The fuzz targets of the three text forms are seeded from the tables
// above. Each checks that an input never panics or hangs, that a refusal
// wraps ErrSyntax or ErrRange and leaves an UnmarshalText receiver as it
// was, that UnmarshalText agrees with the parser, and that what is
// accepted writes a text (String, MarshalText) that reads back to the same
// value and writes the same text again. Run one with
//
//	go test -run='^$' -fuzz='^FuzzParseDate$' -fuzztime=60s ./schedule

func FuzzParseDate(f *testing.F) {
	for _, tt := range parseDateTests {
		f.Add(tt.in)
	}
	f.Add("२०२५-०३-०३")
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			d   schedule.Date
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { d, err := schedule.ParseDate(s); return res{d, err} })
		sentinel := schedule.Date{Year: 1234, Month: time.May, Day: 6}
		u := sentinel
		uerr := u.UnmarshalText([]byte(s))
		if r.err != nil {
			if !errors.Is(r.err, schedule.ErrSyntax) && !errors.Is(r.err, schedule.ErrRange) {
				t.Fatalf("ParseDate(%q) error %v wraps no sentinel", s, r.err)
			}
			if !r.d.IsZero() {
				t.Fatalf("ParseDate(%q) returned %v with its error", s, r.d)
			}
			switch {
			case s == "":
				if uerr != nil || !u.IsZero() {
					t.Fatalf("UnmarshalText of empty text = %v, %v; want the zero Date", u, uerr)
				}
			case uerr == nil || u != sentinel:
				t.Fatalf("UnmarshalText(%q) = %v and left %v; ParseDate refused it", s, uerr, u)
			}
			return
		}
		// YYYY-MM-DD has one spelling per day: what is accepted is canonical.
		if !r.d.IsValid() || r.d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, which reads back as %q", s, r.d, r.d.String())
		}
		if uerr != nil || u != r.d {
			t.Fatalf("UnmarshalText(%q) = %v, %v; ParseDate gave %v", s, u, uerr, r.d)
		}
		b, err := r.d.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("MarshalText(%v) = %q, %v", r.d, b, err)
		}
		var back schedule.Date
		if err := back.UnmarshalText(b); err != nil || back != r.d || back.String() != s {
			t.Fatalf("UnmarshalText(MarshalText(%v) = %q) = %v, %v", r.d, b, back, err)
		}
	})
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, tt := range parseTimeOfDayTests {
		f.Add(tt.in)
	}
	f.Add("０９:００")
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			tod schedule.TimeOfDay
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { tod, err := schedule.ParseTimeOfDay(s); return res{tod, err} })
		sentinel := schedule.TimeOfDay{Hour: 7, Minute: 7}
		u := sentinel
		uerr := u.UnmarshalText([]byte(s))
		if r.err != nil {
			if !errors.Is(r.err, schedule.ErrSyntax) && !errors.Is(r.err, schedule.ErrRange) {
				t.Fatalf("ParseTimeOfDay(%q) error %v wraps no sentinel", s, r.err)
			}
			if uerr == nil || u != sentinel {
				t.Fatalf("UnmarshalText(%q) = %v and left %v; ParseTimeOfDay refused it", s, uerr, u)
			}
			return
		}
		// HH:MM has one spelling per minute: what is accepted is canonical.
		if !r.tod.IsValid() || r.tod.String() != s {
			t.Fatalf("ParseTimeOfDay(%q) = %v", s, r.tod)
		}
		if uerr != nil || u != r.tod {
			t.Fatalf("UnmarshalText(%q) = %v, %v; ParseTimeOfDay gave %v", s, u, uerr, r.tod)
		}
		b, err := r.tod.MarshalText()
		if err != nil || string(b) != s {
			t.Fatalf("MarshalText(%v) = %q, %v", r.tod, b, err)
		}
		var back schedule.TimeOfDay
		if err := back.UnmarshalText(b); err != nil || back != r.tod {
			t.Fatalf("UnmarshalText(MarshalText(%v) = %q) = %v, %v", r.tod, b, back, err)
		}
	})
}

func FuzzParseWeekday(f *testing.F) {
	for _, tt := range parseWeekdayTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			w   schedule.Weekday
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { w, err := schedule.ParseWeekday(s); return res{w, err} })
		const sentinel = schedule.Weekday(42)
		u := sentinel
		uerr := u.UnmarshalText([]byte(s))
		if r.err != nil {
			if !errors.Is(r.err, schedule.ErrSyntax) {
				t.Fatalf("ParseWeekday(%q) error %v does not wrap ErrSyntax", s, r.err)
			}
			if uerr == nil || u != sentinel {
				t.Fatalf("UnmarshalText(%q) = %v and left %v; ParseWeekday refused it", s, uerr, u)
			}
			return
		}
		if !r.w.IsValid() || !strings.EqualFold(r.w.String(), s) {
			t.Fatalf("ParseWeekday(%q) = %v", s, r.w)
		}
		if uerr != nil || u != r.w {
			t.Fatalf("UnmarshalText(%q) = %v, %v; ParseWeekday gave %v", s, u, uerr, r.w)
		}
		// Case is ignored; the written form is lower case.
		b, err := r.w.MarshalText()
		if err != nil || string(b) != r.w.String() {
			t.Fatalf("MarshalText(%v) = %q, %v", r.w, b, err)
		}
		var back schedule.Weekday
		if err := back.UnmarshalText(b); err != nil || back != r.w {
			t.Fatalf("UnmarshalText(MarshalText(%v) = %q) = %v, %v", r.w, b, back, err)
		}
		if again, _ := back.MarshalText(); string(again) != string(b) {
			t.Fatalf("not stable: %q then %q", b, again)
		}
	})
}

// One range of dates, FirstYear to LastYear, everywhere a date is read: a
// plan's start and its sessions, and a patient's birth and as-of dates
// (package dosing).
func TestDateRange(t *testing.T) {
	p := loadDoc(t, []byte(baseYAML)) // six sessions, Monday, Wednesday, Friday
	cal := weekdaysAt(t, "UTC", at0900[0])
	// 2199-12-23 is a Monday: sessions on the 23rd, 25th, 27th and 30th
	// (a Monday), then Wednesday 2200-01-01, past the last day.
	_, err := schedule.Plan(p, adult80(), day(t, "2199-12-23"), cal, schedule.PlanOptions{})
	want := `schedule: series: would plan a session after 2199-12-31, the last day doseplan plans (is the start date right?)`
	if err == nil || err.Error() != want || !errors.Is(err, schedule.ErrRange) {
		t.Errorf("Plan from 2199-12-23: %v, want %q", err, want)
	}
	four := loadDoc(t, []byte(edit(t, baseYAML, "sessions: 6", "sessions: 4")))
	if pl, err := schedule.Plan(four, adult80(), day(t, "2199-12-23"), cal, schedule.PlanOptions{}); err != nil || sessionDates(pl)[3] != "2199-12-30" {
		t.Errorf("four sessions from 2199-12-23, the last on 2199-12-30: %v", err)
	}
	_, err = schedule.Plan(p, adult80(), schedule.Date{Year: 1, Month: time.January, Day: 1}, cal, schedule.PlanOptions{})
	if want := `start "0001-01-01": is outside the dates doseplan reads (1900-01-01 to 2199-12-31)`; !errors.Is(err, schedule.ErrRange) || !strings.Contains(err.Error(), want) {
		t.Errorf("Plan from year 1: %v, want %q", err, want)
	}
	// A patient's dates, in the API.
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name        string
		birth, asOf time.Time
		field       string // "" when accepted
	}{
		{"born on the first day", date(1900, time.January, 1), date(1950, time.January, 1), ""},
		{"as of the last day", date(2150, time.January, 1), date(2199, time.December, 31), ""},
		// (0001-01-01 at midnight UTC is time.Time's zero: not given.)
		{"born in year 1 (age 2,024)", date(1, time.January, 2), date(2025, time.March, 3), "patient.birth_date"},
		{"born the day before the first", date(1899, time.December, 31), date(1950, time.January, 1), "patient.birth_date"},
		{"as of the day after the last", date(2150, time.January, 1), date(2200, time.January, 1), "patient.as_of"},
	} {
		_, err := dosing.Patient{Weight: qty("80 kg"), BirthDate: c.birth, AsOf: c.asOf}.Validate(dosing.Plausibility{})
		var fe *dosing.FieldError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v, want none", c.name, err)
		case c.field != "" && (!errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, dosing.ErrRange) ||
			!strings.HasSuffix(fe.Msg, "the years 1900 to 2199 (the dates doseplan reads)")):
			t.Errorf("%s: %v, want a range error at %s", c.name, err, c.field)
		}
	}
}
