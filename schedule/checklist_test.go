package schedule_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

// TestSessionPlanWriteChecklist compares checklists with golden files
// ("go test ./schedule -run TestSessionPlanWriteChecklist -update" rewrites
// them): session 4 of the IV example (a proposed level, pre-checks with the
// gates, four timed checks, a driver) and session 1 of the nasal example
// (devices 5 minutes apart, 2 h of observation).
func TestSessionPlanWriteChecklist(t *testing.T) {
	plans := goldenPlans(t)
	for _, c := range []struct {
		plan    string
		session int
	}{{"plan_iv", 4}, {"plan_esketamine", 1}, {"plan_iv_replanned", 3}} {
		name := "checklist_" + strings.TrimPrefix(c.plan, "plan_")
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := plans[c.plan].WriteChecklist(&b, c.session); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
			}
		})
	}
}

// What a checklist says, by meaning: every time of the session's timeline is
// a box, in order, and nothing is left to memory. Session 4 of the IV plan
// starts Mon Mar 10 at 09:00: pre-checks 30 min before (08:30), checks at
// 10, 20, 30 and 40 min, the 40 min infusion ends at 09:40, 30 min of
// observation end at 10:10.
func TestSessionPlanWriteChecklistContent(t *testing.T) {
	pl := goldenPlans(t)["plan_iv"]
	var b bytes.Buffer
	if err := pl.WriteChecklist(&b, 4); err != nil {
		t.Fatal(err)
	}
	var boxes []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "[ ] ") {
			boxes = append(boxes, strings.TrimSpace(l[4:9]))
		}
	}
	want := []string{"08:30", "09:00", "09:10", "09:20", "09:30", "09:40", "09:40", "10:10", "", ""}
	if diff := cmp.Diff(want, boxes); diff != "" {
		t.Errorf("the boxes' times (-want +got):\n%s\n%s", diff, b.String())
	}
	for _, s := range []string{"48 mg (proposed: a clinician decides the level before the session)", "draw 4.8 mL of 10 mg/mL; add to a 100 mL bag: 104.8 mL",
		"pump 157.2 mL/h, VTBI 104.8 mL, over 40 min", "hold if systolic above 180 mmHg, diastolic above 100 mmHg, heart rate above 110 /min",
		"warn if systolic above 140 mmHg, diastolic above 90 mmHg, SpO2 below 94 %", "a driver", dosing.Notice} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("the checklist lacks %q:\n%s", s, b.String())
		}
	}
	if err := pl.WriteChecklist(&b, 10); !hasField(err, "session", schedule.ErrRange) {
		t.Errorf("WriteChecklist(10) on a plan of 9 sessions: %v", err)
	}
}
