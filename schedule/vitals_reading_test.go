package schedule_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/internal/fuzzcheck"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// parseVitalsTests are ParseVitals' cases; FuzzParseVitals is seeded from
// them.
var parseVitalsTests = []struct {
	name  string
	in    string
	want  schedule.Vitals // when paths is nil
	paths []string
	is    error
}{
	{"the four readings, units implied by the keys", "bp=150/95 hr=88 spo2=97",
		schedule.Vitals{Systolic: qty("150 mmHg"), Diastolic: qty("95 mmHg"), HeartRate: qty("88 /min"), SpO2: qty("97 %")}, nil, nil},
	{"units written, commas between", "bp=150/95mmHg, hr=88/min, spo2=97%",
		schedule.Vitals{Systolic: qty("150 mmHg"), Diastolic: qty("95 mmHg"), HeartRate: qty("88 /min"), SpO2: qty("97 %")}, nil, nil},
	{"each pressure on its own, capital keys", "SYSTOLIC=128 dbp=82.5", schedule.Vitals{Systolic: qty("128 mmHg"), Diastolic: qty("82.5 mmHg")}, nil, nil},
	{"pulse for the heart rate", "pulse=64", schedule.Vitals{HeartRate: qty("64 /min")}, nil, nil},
	{"the edges of the possible", "bp=300/30 hr=20 spo2=100", schedule.Vitals{Systolic: qty("300 mmHg"), Diastolic: qty("30 mmHg"), HeartRate: qty("20 /min"), SpO2: qty("100 %")}, nil, nil},

	// Impossible readings are input errors.
	{"a blood pressure of 400/20", "bp=400/20", schedule.Vitals{}, []string{"readings.diastolic", "readings.systolic"}, schedule.ErrRange},
	{"an SpO2 of 140 %", "spo2=140", schedule.Vitals{}, []string{"readings.spo2"}, schedule.ErrRange},
	{"an SpO2 of 0 %", "spo2=0", schedule.Vitals{}, []string{"readings.spo2"}, schedule.ErrRange},
	{"a heart rate of 400", "hr=400", schedule.Vitals{}, []string{"readings.heart_rate"}, schedule.ErrRange},
	{"the pressures swapped", "bp=80/120", schedule.Vitals{}, []string{"readings.diastolic"}, schedule.ErrConflict},

	// What cannot be read.
	{"nothing", "  ", schedule.Vitals{}, []string{"readings"}, schedule.ErrMissing},
	{"a key doseplan does not know", "temp=37", schedule.Vitals{}, []string{"readings"}, schedule.ErrSyntax},
	{"no value", "hr=", schedule.Vitals{}, []string{"readings"}, schedule.ErrSyntax},
	{"no key", "150/95", schedule.Vitals{}, []string{"readings"}, schedule.ErrSyntax},
	{"a blood pressure of one number", "bp=150", schedule.Vitals{}, []string{"readings.systolic"}, schedule.ErrSyntax},
	{"a reading twice", "bp=150/95 systolic=140", schedule.Vitals{}, []string{"readings.systolic"}, schedule.ErrConflict},
	{"a heart rate in mmHg", "hr=88mmHg", schedule.Vitals{}, []string{"readings.heart_rate"}, schedule.ErrSyntax},
	{"a naked decimal", "spo2=.97", schedule.Vitals{}, []string{"readings.spo2"}, schedule.ErrSyntax},
	{"a negative number", "hr=-88", schedule.Vitals{}, []string{"readings.heart_rate"}, schedule.ErrSyntax},
	{"the unit apart from the number", "bp=150/95 mmHg", schedule.Vitals{}, []string{"readings"}, schedule.ErrSyntax},
	{"every problem at once", "bp=400/95 hr=x temp=37", schedule.Vitals{}, []string{"readings", "readings.heart_rate"}, nil},
}

func TestParseVitals(t *testing.T) {
	for _, tt := range parseVitalsTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := schedule.ParseVitals(tt.in)
			if tt.paths == nil {
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("ParseVitals(%q) (-want +got):\n%s", tt.in, diff)
				}
				return
			}
			if diff := cmp.Diff(tt.paths, errPaths(err)); diff != "" {
				t.Errorf("ParseVitals(%q) paths (-want +got):\n%s\nerror: %v", tt.in, diff, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.is)
			}
			if got != (schedule.Vitals{}) {
				t.Errorf("readings with the error: %+v", got)
			}
		})
	}
}

// "bp=400/20" is refused as an input error by the gates too, never held:
// a hold would tell the clinic the patient's pressure is 400 mmHg.
func TestVitalGatesRefuseImpossibleReadings(t *testing.T) {
	for _, v := range []schedule.Vitals{
		{Systolic: qty("400 mmHg"), Diastolic: qty("20 mmHg"), HeartRate: qty("70 /min"), SpO2: qty("98 %")},
		{Systolic: qty("120 mmHg"), Diastolic: qty("80 mmHg"), HeartRate: qty("70 /min"), SpO2: qty("140 %")},
		{Systolic: qty("120 mmHg"), Diastolic: qty("130 mmHg"), HeartRate: qty("70 /min"), SpO2: qty("98 %")},
	} {
		got, err := gates().Check(v)
		if err == nil || got.Decision != schedule.Proceed || len(got.Findings) != 0 {
			t.Errorf("Check(%+v) = %+v, %v; want an input error and no decision", v, got, err)
		}
		var fe *schedule.FieldError
		if !errors.As(err, &fe) || fe.Field[:9] != "readings." {
			t.Errorf("Check(%+v): %v; want a readings field error", v, err)
		}
	}
	// The bounds include their ends: 300/30 mmHg is a reading (and holds).
	got, err := gates().Check(schedule.Vitals{Systolic: qty("300 mmHg"), Diastolic: qty("30 mmHg"), HeartRate: qty("70 /min"), SpO2: qty("98 %")})
	if err != nil || got.Decision != schedule.Hold {
		t.Errorf("300/30 mmHg: %+v, %v; want hold", got, err)
	}
	// An unset reading is "not measured", not an impossible one.
	if err := (schedule.Vitals{HeartRate: units.Quantity{}}).Validate(); err != nil {
		t.Errorf("no readings: %v", err)
	}
}

// FuzzParseVitals: whatever is typed, no panic; readings that parse are
// possible ones (Validate accepts them) and check against gates without an
// error; an error names the readings.
//
// go test -run=^$ -fuzz=FuzzParseVitals -fuzztime=20s ./schedule
func FuzzParseVitals(f *testing.F) {
	for _, tt := range parseVitalsTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		type res struct {
			v   schedule.Vitals
			err error
		}
		r := fuzzcheck.Bounded(t, fuzzcheck.Limit, func() res { v, err := schedule.ParseVitals(s); return res{v, err} })
		v, err := r.v, r.err
		if err != nil {
			if v != (schedule.Vitals{}) {
				t.Fatalf("readings with an error: %+v", v)
			}
			fes := fieldErrors(err)
			if len(fes) == 0 {
				t.Fatalf("an error without a field: %v", err)
			}
			for _, fe := range fes {
				if fe.Field != "readings" && fe.Field[:9] != "readings." {
					t.Fatalf("error outside readings: %v", fe)
				}
			}
			return
		}
		if err := v.Validate(); err != nil {
			t.Fatalf("parsed readings do not validate: %v", err)
		}
		if _, err := gates().Check(v); err != nil {
			t.Fatalf("parsed readings do not check: %v", err)
		}
	})
}

// Readings shows every gate against its reading, and agrees with Check:
// the gates met are the findings' gates, at each level. With the test
// gates (warn above 140/90 mmHg or below SpO2 95 %; hold above 180/100
// mmHg, heart rate above 110 /min, SpO2 below 92 %), 150/95 mmHg with no
// SpO2 meets warn.systolic_above and warn.diastolic_above, and both SpO2
// gates for want of a reading.
func TestVitalGatesReadings(t *testing.T) {
	v := schedule.Vitals{Systolic: qty("150 mmHg"), Diastolic: qty("95 mmHg"), HeartRate: qty("88 /min")}
	got, err := gates().Readings(v)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, g := range got {
		lines = append(lines, fmt.Sprintf("%s %v: %s", g.Gate, g.Met, g.Detail))
	}
	want := []string{
		"hold.systolic_above false: systolic 150 mmHg is not above the hold limit 180 mmHg",
		"hold.diastolic_above false: diastolic 95 mmHg is not above the hold limit 100 mmHg",
		"hold.heart_rate_above false: heart rate 88 /min is not above the hold limit 110 /min",
		"hold.spo2_below true: SpO2 not measured; the hold gate below 92 % needs it",
		"warn.systolic_above true: systolic 150 mmHg is above the warn limit 140 mmHg",
		"warn.diastolic_above true: diastolic 95 mmHg is above the warn limit 90 mmHg",
		"warn.spo2_below true: SpO2 not measured; the warn gate below 95 % needs it",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("Readings (-want +got):\n%s", diff)
	}
	check, err := gates().Check(v)
	if err != nil || check.Decision != schedule.Hold {
		t.Fatalf("Check = %+v, %v; want hold (SpO2 not measured)", check, err)
	}
	if _, err := gates().Readings(schedule.Vitals{SpO2: qty("140 %")}); !hasField(err, "readings.spo2", schedule.ErrRange) {
		t.Errorf("Readings of an impossible SpO2: %v", err)
	}
}
