//go:build !doseplan_noplot

package envelope_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/examples/protocols"
)

// TestWorkersDoNotChangeTheEnvelope evaluates the same grid with one,
// two and seven goroutines: the text and JSON are the same byte for byte.
func TestWorkersDoNotChangeTheEnvelope(t *testing.T) {
	p, err := protocols.Load("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	domino, err := pk.Lookup("domino")
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for _, workers := range []int{1, 2, 7} {
		env, err := envelope.Evaluate(p, envelope.Options{Weights: axis("30 kg", "247 kg", "7 kg"), Heights: axis("100 cm", "250 cm", "6 cm"),
			PK: domino, Keep: []string{"dose", "cmax"}, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := env.WriteText(&out); err != nil {
			t.Fatal(err)
		}
		js, err := json.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(js)
		for _, opt := range []envelope.PlotOptions{{Format: envelope.SVG}, {Format: envelope.SVG, Output: "cmax", Level: 2}} {
			if err := env.Plot(&out, opt); err != nil {
				t.Fatal(err)
			}
		}
		if first == nil {
			first = out.Bytes()
			continue
		}
		if !bytes.Equal(first, out.Bytes()) {
			t.Errorf("%d workers: the envelope differs from one worker's", workers)
		}
	}
}
