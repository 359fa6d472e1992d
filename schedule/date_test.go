package schedule_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/doseplan/doseplan/schedule"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    schedule.Date
		wantErr error
	}{
		{"2025-03-03", schedule.Date{Year: 2025, Month: time.March, Day: 3}, nil},
		{"2028-02-29", schedule.Date{Year: 2028, Month: time.February, Day: 29}, nil},
		{"0001-01-01", schedule.Date{Year: 1, Month: time.January, Day: 1}, nil},
		{"9999-12-31", schedule.Date{Year: 9999, Month: time.December, Day: 31}, nil},
		{"2025-02-29", schedule.Date{}, schedule.ErrRange},
		{"2100-02-29", schedule.Date{}, schedule.ErrRange},
		{"2025-04-31", schedule.Date{}, schedule.ErrRange},
		{"2025-13-01", schedule.Date{}, schedule.ErrRange},
		{"2025-00-10", schedule.Date{}, schedule.ErrRange},
		{"0000-01-01", schedule.Date{}, schedule.ErrRange},
		{"2025-3-3", schedule.Date{}, schedule.ErrSyntax},
		{"2025/03/03", schedule.Date{}, schedule.ErrSyntax},
		{"03/03/2025", schedule.Date{}, schedule.ErrSyntax},
		{"2025-03-0x", schedule.Date{}, schedule.ErrSyntax},
		{"+025-03-03", schedule.Date{}, schedule.ErrSyntax},
		{"", schedule.Date{}, schedule.ErrSyntax},
		{"2025-03-03T09:00", schedule.Date{}, schedule.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
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

func TestParseWeekday(t *testing.T) {
	for i, s := range []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"} {
		w, err := schedule.ParseWeekday(s)
		if err != nil || w != schedule.Weekday(i) || w.String() != s {
			t.Errorf("ParseWeekday(%q) = %v, %v; want %v", s, w, err, time.Weekday(i))
		}
	}
	if w, err := schedule.ParseWeekday("Thu"); err != nil || w != schedule.Thursday {
		t.Errorf(`ParseWeekday("Thu") = %v, %v; want thu`, w, err)
	}
	for _, bad := range []string{"", "monday", "m", "lun", "7"} {
		if _, err := schedule.ParseWeekday(bad); !errors.Is(err, schedule.ErrSyntax) {
			t.Errorf("ParseWeekday(%q) error = %v, want ErrSyntax", bad, err)
		}
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

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		in      string
		want    schedule.TimeOfDay
		wantErr error
	}{
		{"09:00", schedule.TimeOfDay{Hour: 9}, nil},
		{"00:00", schedule.TimeOfDay{}, nil},
		{"23:59", schedule.TimeOfDay{Hour: 23, Minute: 59}, nil},
		{"24:00", schedule.TimeOfDay{}, schedule.ErrRange},
		{"12:60", schedule.TimeOfDay{}, schedule.ErrRange},
		{"9:00", schedule.TimeOfDay{}, schedule.ErrSyntax},
		{"09h00", schedule.TimeOfDay{}, schedule.ErrSyntax},
		{"+9:00", schedule.TimeOfDay{}, schedule.ErrSyntax},
		{"09:-1", schedule.TimeOfDay{}, schedule.ErrSyntax},
		{"9 am", schedule.TimeOfDay{}, schedule.ErrSyntax},
	}
	for _, tt := range tests {
		got, err := schedule.ParseTimeOfDay(tt.in)
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) || got != tt.want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

// genDate draws a valid date between years 1 and 9999.
func genDate() *rapid.Generator[schedule.Date] {
	return rapid.Custom(func(t *rapid.T) schedule.Date {
		y := rapid.IntRange(1, 9999).Draw(t, "year")
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
		if e.Year < 1 || e.Year > 9999 {
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

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-03-03", "2028-02-29", "2025-02-29", "0000-01-01", "9999-12-31", "2025-3-3", "", "२०२५-०३-०३"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := schedule.ParseDate(s)
		if err != nil {
			if !errors.Is(err, schedule.ErrSyntax) && !errors.Is(err, schedule.ErrRange) {
				t.Fatalf("ParseDate(%q) error %v wraps no sentinel", s, err)
			}
			return
		}
		if !d.IsValid() || d.String() != s {
			t.Fatalf("ParseDate(%q) = %v, which reads back as %q", s, d, d.String())
		}
	})
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"09:00", "23:59", "24:00", "9:00", "+9:00", "０９:００"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tod, err := schedule.ParseTimeOfDay(s)
		if err == nil && (!tod.IsValid() || tod.String() != s) {
			t.Fatalf("ParseTimeOfDay(%q) = %v", s, tod)
		}
		w, err := schedule.ParseWeekday(s)
		if err == nil && !w.IsValid() {
			t.Fatalf("ParseWeekday(%q) = %v", s, w)
		}
	})
}
