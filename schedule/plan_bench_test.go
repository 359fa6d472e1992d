package schedule_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/doseplan/doseplan/schedule"
)

// Targets (issue 5, "Speed"): load + lint a protocol ≤ 300 µs/op; plan a
// 6-session series with doses ≤ 500 µs/op; plan 52 weeks of weekly
// maintenance with 20 closed dates ≤ 5 ms/op; Replan ≤ the cost of Plan.
// Benchmarks report; they assert nothing about time.

func BenchmarkLoadProtocolAndLint(b *testing.B) {
	for _, name := range []string{"iv-ketamine-trd", "esketamine-nasal"} {
		doc := exampleDoc(b, name)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := schedule.LoadProtocol(doc)
				if err != nil {
					b.Fatal(err)
				}
				// The examples may carry review warnings (iv-ketamine-trd
				// declares no rounding tolerance); Lint must find what
				// loading kept, and no error.
				if fs := p.Lint(); len(fs) != len(p.Findings()) {
					b.Fatal(fs)
				}
			}
		})
	}
	b.Run("json", func(b *testing.B) {
		doc := []byte(baseJSON)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := schedule.LoadProtocol(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPlanDosedInduction6 plans the six infusions of baseYAML, each
// with its dose, preparation, pump rate and timeline.
func BenchmarkPlanDosedInduction6(b *testing.B) {
	p := loadDoc(b, []byte(baseYAML+"titration: {steps: [0.5 mg/kg, 0.6 mg/kg], advance_after_sessions: 3}\n"))
	cal := weekdaysAt(b, "America/New_York", schedule.TimeOfDay{Hour: 9})
	start := day(b, "2025-03-03")
	b.ReportAllocs()
	for b.Loop() {
		pl, err := schedule.Plan(p, adult80(), start, cal, schedule.PlanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(pl.Sessions) != 6 {
			b.Fatalf("%d sessions", len(pl.Sessions))
		}
	}
}

// maintenance52 is a year of weekly maintenance infusions on Tuesdays, with
// a 7-day cap, on a calendar with 20 closed dates (10 of them Tuesdays).
func maintenance52(b *testing.B) (*schedule.Protocol, *schedule.Calendar) {
	doc := edit(b, baseYAML, "{name: induction, sessions: 6, weekdays: [mon, wed, fri]}", "{name: maintenance, sessions: 52, weekdays: [tue]}",
		"min_interval: 44 h", "min_interval: 72 h\n  max_per_7_days: 1") + "caps: {per_7_days: 60 mg}\n"
	p := loadDoc(b, []byte(doc))
	var closed []schedule.Closure
	first := day(b, "2025-01-14") // a Tuesday, a week after the start
	for i := range 10 {
		closed = append(closed,
			schedule.Closure{Date: first.AddDays(35 * i), Name: "Tuesday closure"},
			schedule.Closure{Date: first.AddDays(35*i + 2), Name: "Thursday closure"})
	}
	return p, weekdaysAt(b, "Europe/Berlin", schedule.TimeOfDay{Hour: 9}, closed...)
}

func BenchmarkPlanDosedMaintenance52Weeks(b *testing.B) {
	p, cal := maintenance52(b)
	start := day(b, "2025-01-07")
	b.ReportAllocs()
	for b.Loop() {
		pl, err := schedule.Plan(p, adult80(), start, cal, schedule.PlanOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(pl.Sessions) != 52 {
			b.Fatalf("%d sessions", len(pl.Sessions))
		}
	}
}

// BenchmarkReplanDosedMaintenance52Weeks replans the year after 20 sessions
// done and one missed.
func BenchmarkReplanDosedMaintenance52Weeks(b *testing.B) {
	p, cal := maintenance52(b)
	pl, err := schedule.Plan(p, adult80(), day(b, "2025-01-07"), cal, schedule.PlanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var h []schedule.Event
	for _, s := range pl.Sessions[:20] {
		h = append(h, schedule.Event{Kind: schedule.Done, Session: s.Index, At: s.Start})
	}
	missed := pl.Sessions[20]
	h = append(h, schedule.Event{Kind: schedule.Missed, Session: missed.Index, Date: missed.Date})
	from := missed.Date.AddDays(1)
	b.ReportAllocs()
	for b.Loop() {
		rp, err := pl.Replan(h, from, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(rp.Sessions) != 52 {
			b.Fatalf("%d sessions", len(rp.Sessions))
		}
	}
}

func BenchmarkSessionPlanExport52Weeks(b *testing.B) {
	p, cal := maintenance52(b)
	pl, err := schedule.Plan(p, adult80(), day(b, "2025-01-07"), cal, schedule.PlanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	stamp := time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	b.Run("table", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := pl.WriteTable(&buf); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ical", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf.Reset()
			if err := pl.WriteICal(&buf, "patient", stamp); err != nil {
				b.Fatal(err)
			}
		}
	})
}
