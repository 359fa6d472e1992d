package dosing_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
)

// sexTextTests are the texts Sex reads: its three values, and a refusal.
var sexTextTests = []struct {
	text string
	want dosing.Sex
	ok   bool
}{
	{"", 0, true},
	{"male", dosing.Male, true},
	{"female", dosing.Female, true},
	{"M", 0, false},
}

// yearsTextTests are texts Years reads and refuses.
var yearsTextTests = []struct {
	text string
	want dosing.Years
	ok   bool
}{
	{"45 years", 45, true},
	{"1 year", 1, true},
	{"45", 0, false},
	{"45 yrs", 0, false},
	{"+45 years", 0, false},
	{"forty years", 0, false},
}

// flagsJSONTests are JSON texts Flags reads and refuses.
var flagsJSONTests = []struct {
	json string
	want dosing.Flags
	ok   bool
}{
	{`["rounded","inexact","stretched"]`, dosing.Rounded | dosing.Inexact | dosing.Stretched, true},
	{`[]`, 0, true},
	{`["rounded","fuzzy"]`, 0, false},
}

// TestTextForms: the enumerations and small types read back what they
// write, and refuse anything else with a *FieldError.
func TestTextForms(t *testing.T) {
	t.Run("sex", func(t *testing.T) {
		for _, tt := range sexTextTests {
			var s dosing.Sex
			err := s.UnmarshalText([]byte(tt.text))
			if (err == nil) != tt.ok || s != tt.want {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v, ok %v", tt.text, s, err, tt.want, tt.ok)
			}
			var ie *dosing.FieldError
			if !tt.ok && (!errors.As(err, &ie) || ie.Field != "patient.sex") {
				t.Errorf("UnmarshalText(%q) = %v, want a *FieldError for patient.sex", tt.text, err)
			}
		}
		for _, s := range []dosing.Sex{0, dosing.Male, dosing.Female} {
			b, err := s.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			var back dosing.Sex
			if err := back.UnmarshalText(b); err != nil || back != s {
				t.Errorf("%q reads back as %v, %v", b, back, err)
			}
		}
	})
	t.Run("years", func(t *testing.T) {
		for _, tt := range yearsTextTests {
			var y dosing.Years
			err := y.UnmarshalText([]byte(tt.text))
			if (err == nil) != tt.ok || y != tt.want {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v, ok %v", tt.text, y, err, tt.want, tt.ok)
			}
			if tt.ok {
				if b, _ := y.MarshalText(); string(b) != tt.text {
					t.Errorf("%v writes %q, want %q", y, b, tt.text)
				}
			}
		}
	})
	t.Run("flags", func(t *testing.T) {
		for _, tt := range flagsJSONTests {
			var f dosing.Flags
			err := json.Unmarshal([]byte(tt.json), &f)
			if (err == nil) != tt.ok || f != tt.want {
				t.Errorf("Unmarshal(%s) = %v, %v; want %v, ok %v", tt.json, f, err, tt.want, tt.ok)
			}
			if !tt.ok && !errors.Is(err, dosing.ErrRange) {
				t.Errorf("Unmarshal(%s) gave %v, want ErrRange", tt.json, err)
			}
			if tt.ok {
				if b, err := json.Marshal(f); err != nil || string(b) != tt.json {
					t.Errorf("%v encodes as %s, %v; want %s", f, b, err, tt.json)
				}
			}
		}
	})
}

// TestReviewState: only review warnings need an acknowledgement; an
// acknowledgement is recorded on its warning; a key that matches no
// warning acknowledges nothing.
func TestReviewState(t *testing.T) {
	capped := standardIV()
	capped.Weight = dosing.WeightPolicy{Basis: dosing.Actual}
	heavy := dosing.Patient{Weight: mq("140 kg")}
	tests := []struct {
		name       string
		rule       dosing.Rule
		patient    dosing.Patient
		opt        dosing.Options
		wantKeys   []string
		wantReview bool
	}{
		{"no warning", standardIV(), standardPatient(), dosing.Options{}, nil, false},
		{"an info warning needs no review", capped, heavy, dosing.Options{Dose: mq("0.75 mg/kg")}, []string{"dose.capped"}, false},
		{"a soft limit needs review", standardIV(), standardPatient(), dosing.Options{Dose: mq("0.8 mg/kg")}, []string{"dose_per_kg.soft_max"}, true},
		{"an acknowledged soft limit does not", standardIV(), standardPatient(),
			dosing.Options{Dose: mq("0.8 mg/kg"), Acks: []dosing.Ack{{Key: "dose_per_kg.soft_max", Reason: "planned"}}}, []string{"dose_per_kg.soft_max"}, false},
		{"an acknowledgement of another key does not count", standardIV(), standardPatient(),
			dosing.Options{Dose: mq("0.8 mg/kg"), Acks: []dosing.Ack{{Key: "dose.soft_max", Reason: "planned"}}}, []string{"dose_per_kg.soft_max"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := dosing.Calculate(tt.rule, tt.patient, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantKeys, warningKeys(res)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			if got := res.NeedsReview(); got != tt.wantReview {
				t.Errorf("NeedsReview() = %v, want %v", got, tt.wantReview)
			}
			if got := len(res.Unacknowledged()) > 0; got != tt.wantReview {
				t.Errorf("Unacknowledged() = %v", res.Unacknowledged())
			}
		})
	}
}

func TestResultStepLookup(t *testing.T) {
	res, err := dosing.Calculate(standardIV(), standardPatient(), dosing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := res.Step("pump_rate"); !ok || !s.Value.Equal(mq("156 mL/h")) {
		t.Errorf(`Step("pump_rate") = %v, %v; want 156 mL/h (WC5)`, s.Value, ok)
	}
	if _, ok := res.Step("no_such_step"); ok {
		t.Error(`Step("no_such_step") found a step`)
	}
	seen := map[string]bool{}
	for _, s := range res.Steps {
		if seen[s.ID] {
			t.Errorf("step id %q appears twice", s.ID)
		}
		seen[s.ID] = true
	}
}
