package envelope_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/internal/golden"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

func q(s string) units.Quantity { return units.MustParse(s) }

// axis is from:to:step, each with its unit.
func axis(from, to, step string) envelope.Axis {
	return envelope.Axis{From: q(from), To: q(to), Step: q(step)}
}

// goldenCases are the envelopes the golden files hold: each example
// protocol on a coarse grid (the default grid at 1 kg × 1 cm would make
// files of megabytes), with the default sexes and ages; JSON for three of
// them.
func goldenCases(t testing.TB) []struct {
	name     string
	protocol string
	opt      envelope.Options
	json     bool
} {
	domino, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	return []struct {
		name     string
		protocol string
		opt      envelope.Options
		json     bool
	}{
		{"iv", "iv-ketamine-trd", envelope.Options{Weights: axis("40 kg", "200 kg", "20 kg"), Heights: axis("140 cm", "210 cm", "10 cm")}, false},
		{"iv_pk", "iv-ketamine-trd", envelope.Options{Weights: axis("50 kg", "150 kg", "25 kg"), Heights: axis("150 cm", "200 cm", "25 cm"), Levels: []int{1}, PK: domino}, true},
		{"esketamine", "esketamine-nasal", envelope.Options{Weights: axis("30 kg", "250 kg", "20 kg"), Heights: axis("70 cm", "270 cm", "20 cm")}, false},
		{"pain", "chronic-pain-infusion", envelope.Options{Weights: axis("30 kg", "250 kg", "20 kg"), Heights: axis("70 cm", "270 cm", "20 cm")}, true},
		{"troche", "troche-maintenance", envelope.Options{Weights: axis("30 kg", "250 kg", "10 kg"), Heights: axis("150 cm", "190 cm", "20 cm")}, true},
		// testdata/stretch.yaml: the pump's 156 mL/h stretches the larger
		// doses' infusions, 80 mg refuses, 60 mg needs review.
		{"stretch", "testdata/stretch.yaml", envelope.Options{Weights: axis("60 kg", "200 kg", "10 kg"), Heights: axis("160 cm", "200 cm", "10 cm"),
			Ages: []dosing.Years{40}, Levels: []int{1, 3}}, false},
		// testdata/heparin.yaml: a protocol in units of activity, 18 units/kg/h
		// of 100 units/mL, at most 2,000 units/h (soft 1,800): 40 kg gives
		// 720 units/h, 100 kg 1,800, 120 kg 2,160, refused.
		{"heparin_units", "testdata/heparin.yaml", envelope.Options{Weights: axis("40 kg", "120 kg", "20 kg"), Heights: axis("150 cm", "190 cm", "20 cm"),
			Ages: []dosing.Years{60}}, true},
	}
}

// load reads an example protocol by name, or a file of testdata.
func load(name string) (*schedule.Protocol, error) {
	if !strings.HasPrefix(name, "testdata/") {
		return protocols.Load(name)
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return schedule.LoadProtocol(b)
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			p, err := load(tc.protocol)
			if err != nil {
				t.Fatal(err)
			}
			env, err := envelope.Evaluate(p, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			var text bytes.Buffer
			if err := env.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.name+"_text", text.Bytes())
			if !tc.json {
				return
			}
			js, err := json.MarshalIndent(env, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, tc.name+"_json", append(js, '\n'))
		})
	}
}
