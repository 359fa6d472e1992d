package schedule_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// gates is an example clinic's rule set for the tests; the numbers are the
// caller's (clinical.md §5 lists examples), never the package's.
func gates() schedule.VitalGates {
	return schedule.VitalGates{
		Warn: schedule.Thresholds{SystolicAbove: qty("140 mmHg"), DiastolicAbove: qty("90 mmHg"), SpO2Below: qty("95 %")},
		Hold: schedule.Thresholds{SystolicAbove: qty("180 mmHg"), DiastolicAbove: qty("100 mmHg"), HeartRateAbove: qty("110 /min"),
			SpO2Below: qty("92 %")},
	}
}

func TestVitalGatesCheck(t *testing.T) {
	normal := schedule.Vitals{Systolic: qty("128 mmHg"), Diastolic: qty("82 mmHg"), HeartRate: qty("74 /min"), SpO2: qty("98 %")}
	with := func(f func(*schedule.Vitals)) schedule.Vitals { v := normal; f(&v); return v }
	tests := []struct {
		name  string
		in    schedule.Vitals
		want  schedule.Decision
		gates []string
	}{
		{"all readings normal", normal, schedule.Proceed, nil},
		{"systolic at the hold limit passes it", with(func(v *schedule.Vitals) { v.Systolic = qty("180 mmHg") }),
			schedule.Warn, []string{"warn.systolic_above"}},
		{"systolic above the hold limit holds", with(func(v *schedule.Vitals) { v.Systolic = qty("181 mmHg") }),
			schedule.Hold, []string{"hold.systolic_above"}},
		{"systolic above the warn limit warns", with(func(v *schedule.Vitals) { v.Systolic = qty("150 mmHg") }),
			schedule.Warn, []string{"warn.systolic_above"}},
		{"heart rate above the hold limit", with(func(v *schedule.Vitals) { v.HeartRate = qty("112 /min") }),
			schedule.Hold, []string{"hold.heart_rate_above"}},
		{"SpO2 below the warn limit", with(func(v *schedule.Vitals) { v.SpO2 = qty("94 %") }),
			schedule.Warn, []string{"warn.spo2_below"}},
		{"SpO2 below the hold limit", with(func(v *schedule.Vitals) { v.SpO2 = qty("91.5 %") }),
			schedule.Hold, []string{"hold.spo2_below"}},
		{"several gates at once", with(func(v *schedule.Vitals) { v.Systolic = qty("185 mmHg"); v.Diastolic = qty("95 mmHg") }),
			schedule.Hold, []string{"hold.systolic_above", "warn.diastolic_above"}},
		{"a missing reading a gate needs holds", with(func(v *schedule.Vitals) { v.SpO2 = units.Quantity{} }),
			schedule.Hold, []string{"hold.spo2_below"}},
		{"a reading in another unit of its dimension", with(func(v *schedule.Vitals) { v.SpO2 = qty("0.5 %") }),
			schedule.Hold, []string{"hold.spo2_below"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := gates().Check(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got.Decision != tt.want {
				t.Errorf("Decision = %v, want %v; findings %+v", got.Decision, tt.want, got.Findings)
			}
			var g []string
			for _, f := range got.Findings {
				g = append(g, f.Gate)
			}
			if diff := cmp.Diff(tt.gates, g); diff != "" {
				t.Errorf("gates met mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestVitalGatesFindingDetail(t *testing.T) {
	got, err := gates().Check(schedule.Vitals{Systolic: qty("182 mmHg"), Diastolic: qty("80 mmHg"), HeartRate: qty("70 /min")})
	if err != nil {
		t.Fatal(err)
	}
	want := []schedule.VitalsFinding{
		{Level: schedule.Hold, Gate: "hold.systolic_above", Reading: qty("182 mmHg"), Limit: qty("180 mmHg"),
			Detail: "systolic 182 mmHg is above the hold limit 180 mmHg"},
		{Level: schedule.Hold, Gate: "hold.spo2_below", Limit: qty("92 %"),
			Detail: "SpO2 not measured; the hold gate spo2_below 92 % needs it"},
	}
	if diff := cmp.Diff(want, got.Findings); diff != "" {
		t.Errorf("Findings mismatch (-want +got):\n%s", diff)
	}
	b, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Decision string `json:"decision"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.Decision != "hold" {
		t.Errorf("JSON decision = %q (%v), want hold", back.Decision, err)
	}
}

func TestVitalGatesNoGates(t *testing.T) {
	got, err := schedule.VitalGates{}.Check(schedule.Vitals{})
	if err != nil || got.Decision != schedule.Proceed || len(got.Findings) != 0 {
		t.Errorf("Check with no gates = %+v, %v; want proceed with no findings", got, err)
	}
}

func TestVitalGatesBadInput(t *testing.T) {
	bad := schedule.VitalGates{
		Warn: schedule.Thresholds{SpO2Below: qty("95 mmHg")},
		Hold: schedule.Thresholds{HeartRateAbove: qty("110 mg"), SpO2Below: qty("101 %")},
	}
	err := bad.Validate()
	for _, f := range []string{"vitals.warn.spo2_below", "vitals.hold.heart_rate_above"} {
		if !hasField(err, f, units.ErrDimension) {
			t.Errorf("Validate() has no %s wrapping units.ErrDimension: %v", f, err)
		}
	}
	if !hasField(err, "vitals.hold.spo2_below", schedule.ErrRange) {
		t.Errorf("Validate() has no vitals.hold.spo2_below out of range: %v", err)
	}
	if _, err := bad.Check(schedule.Vitals{}); err == nil {
		t.Error("Check with invalid gates succeeded")
	}

	_, err = gates().Check(schedule.Vitals{Systolic: qty("120 /min"), SpO2: qty("98 mmHg")})
	for _, f := range []string{"readings.systolic", "readings.spo2"} {
		if !hasField(err, f, units.ErrDimension) {
			t.Errorf("Check() has no %s wrapping units.ErrDimension: %v", f, err)
		}
	}
	if d := schedule.Decision(7); d.String() != "invalid decision 7" {
		t.Errorf("String() = %q", d.String())
	}
	if _, err := schedule.Decision(7).MarshalText(); !errors.Is(err, schedule.ErrRange) {
		t.Errorf("MarshalText(7) error = %v, want ErrRange", err)
	}
}
