package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
)

// A model of the clinic's own, from a file: the Clements 250 parameters
// written out by hand give the same end-of-infusion level as the built-in
// set (177.31 ng/mL for 0.5 mg/kg over 40 min at 70 kg; clinical.md §8.2).
func TestPKModelFile(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model.yaml")
	doc := "name: Clinic model\ndrug: ketamine (racemic)\ncitation: clinic PK service\nscaling: linear\nreference_weight: 1 kg\n" +
		"v1: 1.7522 L\nk10: 0.0109 /min\nk12: 0.0186 /min\nk21: 0.0137 /min\n"
	if err := os.WriteFile(model, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(doc+"colour: blue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string // in stdout, or in stderr for a failure
	}{
		{"model file predicts like the built-in set", []string{"pk", "--model-file", model, "--weight", "70kg", "--dose", "0.5 mg/kg", "--over", "40 min"}, exitOK, "Cp 177.31 ng/mL"},
		{"a model file with an unknown field is refused", []string{"pk", "--model-file", bad, "--weight", "70kg", "--dose", "35 mg"}, exitInput, "colour"},
		{"a missing model file is an input error", []string{"pk", "--model-file", filepath.Join(dir, "none.yaml"), "--weight", "70kg", "--dose", "35 mg"}, exitInput, "none.yaml"},
		{"both --model and --model-file is a usage error", []string{"pk", "--model", "domino", "--model-file", model, "--weight", "70kg", "--dose", "35 mg"}, exitUsage, "give one of --model and --model-file"},
		// Exit codes: where several apply, 2 wins over 1; the file is not
		// read before the command line is known to be right.
		{"a usage error wins over a missing model file", []string{"pk", "--model-file", filepath.Join(dir, "none.yaml"), "--weight", "70kg"}, exitUsage, "--dose is required"},
		{"neither is a usage error", []string{"pk", "--weight", "70kg", "--dose", "35 mg"}, exitUsage, "give one of --model and --model-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := Run(tt.args, strings.NewReader(""), &out, &errOut)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out.String(), errOut.String())
			}
			text := out.String()
			if code != exitOK {
				text = errOut.String()
			}
			if !strings.Contains(text, tt.wantOut) {
				t.Errorf("output lacks %q:\n%s", tt.wantOut, text)
			}
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line ends in white space: %q", line)
				}
			}
		})
	}
}

// --full-precision prints every level as the float64 the library computed:
// the shortest decimal that reads back as that float64, so parsing the
// printed text gives the library's Level exactly. The golden keeps the
// transcript; the check below ties it to the library.
func TestPKFullPrecision(t *testing.T) {
	args := []string{"pk", "--model", "domino", "--weight", "70kg", "--dose", "35 mg", "--over", "40 min",
		"--every", "1h", "--until", "3h", "--threshold", "100ng/mL", "--full-precision"}
	r := runDoseplan(t, "", "", args...)
	golden(t, "pk_full_precision", transcript(args, "", r))
	js := runDoseplan(t, "", "", append(args, "--json")...)
	golden(t, "pk_full_precision_json", transcript(append(args, "--json"), "", js))

	var doc struct {
		Precision string `json:"precision"`
		Curve     []struct {
			Time, Cp, Ce string
		} `json:"curve"`
		PeakEffect struct {
			Time, Cp, Ce string
		} `json:"peak_effect_site"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	m, _ := pk.Lookup("domino")
	pred, err := m.Predict(dosing.Patient{Weight: units.MustParse("70 kg")}, []pk.Administration{pk.Infusion(units.MustParse("35 mg"), units.MustParse("40 min"))})
	if err != nil {
		t.Fatal(err)
	}
	same := func(what string, want float64, printed string) {
		t.Helper()
		got, err := strconv.ParseFloat(strings.TrimSuffix(strings.ReplaceAll(printed, ",", ""), " ng/mL"), 64)
		if err != nil || got != want {
			t.Errorf("%s printed %q, the library's float64 is %v", what, printed, want)
		}
	}
	if doc.Precision != "full" || len(doc.Curve) != 4 {
		t.Fatalf("precision %q, %d curve points", doc.Precision, len(doc.Curve))
	}
	// The curve is the library's Levels, value for value.
	for _, site := range []pk.Site{pk.Plasma, pk.EffectSite} {
		lv, err := pred.Levels(site, units.MustParse("0 h"), units.MustParse("3 h"), units.MustParse("1 h"))
		if err != nil {
			t.Fatal(err)
		}
		for k, s := range doc.Curve {
			printed := map[pk.Site]string{pk.Plasma: s.Cp, pk.EffectSite: s.Ce}[site]
			same(site.String()+" at "+s.Time, lv.Values[k], printed)
		}
	}
	// The effect-site peak's levels are Level at the instant printed.
	for site, printed := range map[pk.Site]string{pk.Plasma: doc.PeakEffect.Cp, pk.EffectSite: doc.PeakEffect.Ce} {
		want, err := pred.Level(site, units.MustParse(doc.PeakEffect.Time))
		if err != nil {
			t.Fatal(err)
		}
		same(site.String()+" at the effect-site peak, "+doc.PeakEffect.Time, want, printed)
	}
}

// --threshold is drawn on the --plot.
func TestPKPlotDrawsTheThreshold(t *testing.T) {
	dir := t.TempDir()
	r := runDoseplan(t, dir, "", "pk", "--model", "domino", "--weight", "70kg", "--dose", "35mg", "--over", "40min",
		"--threshold", "100ng/mL", "--plot", "$TMP/cp.svg")
	if r.code != exitOK {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "cp.svg"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"threshold 100 ng/mL", "35 mg over 40 min from 0 min", notice} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the plot lacks %q", want)
		}
	}
}
