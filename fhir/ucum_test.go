package fhir_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/internal/tooltest"
	"github.com/doseplan/doseplan/units"
)

// ucumLHC runs tools/ucum/check.js (the npm package @lhncbc/ucum-lhc, a
// real UCUM implementation) over the requests and returns its answers.
func ucumLHC(t *testing.T, requests []string) []map[string]any {
	t.Helper()
	node, dir := nodeTool(t, "ucum", "@lhncbc/ucum-lhc")
	cmd := exec.Command(node, "check.js")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(strings.Join(requests, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("check.js: %v\n%s", err, stderr.String())
	}
	var answers []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var a map[string]any
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("check.js answer %q: %v", sc.Text(), err)
		}
		answers = append(answers, a)
	}
	if len(answers) != len(requests) {
		t.Fatalf("check.js answered %d of %d requests", len(answers), len(requests))
	}
	return answers
}

// nodeTool returns Node.js and the folder tools/<name>, whose package.json
// installs pkg, or skips (fails under .ci/run) when either is missing.
func nodeTool(t *testing.T, name, pkg string) (node, dir string) {
	t.Helper()
	node = tooltest.LookPath(t, "node", "install Node.js (Debian package nodejs)")
	dir = filepath.Join("..", "tools", name)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", filepath.FromSlash(pkg))); err != nil {
		tooltest.Missing(t, pkg+" not installed; run: npm ci --prefix tools/"+name+" (.ci/run does)")
	}
	return node, dir
}

// ucumCodes collects the code of every UCUM Quantity in a JSON tree.
func ucumCodes(v any, into map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		if t["system"] == "http://unitsofmeasure.org" {
			into[t["code"].(string)] = true
		}
		for _, x := range t {
			ucumCodes(x, into)
		}
	case []any:
		for _, x := range t {
			ucumCodes(x, into)
		}
	}
}

// TestUCUM checks every UCUM code the exports write, and every code of
// doseplan's unit table, against a real UCUM implementation: each must be
// valid as written, and each unit must mean what doseplan means by it
// (1 unit converted to the first unit of its dimension in the table gives
// doseplan's own factor; units of activity excepted).
func TestUCUM(t *testing.T) {
	codes := map[string]bool{"[drp]/min": true}
	for _, c := range exportCases(t) {
		ucumCodes(decodeTree(t, c.data), codes)
	}
	for _, u := range units.Units() {
		codes[u.UCUM()] = true
	}
	var sorted []string
	for c := range codes {
		sorted = append(sorted, c)
	}
	sort.Strings(sorted)
	var reqs []string
	for _, c := range sorted {
		reqs = append(reqs, "validate "+c)
	}
	type conv struct {
		from, to units.Unit
		want     float64
	}
	var convs []conv
	first := map[units.Dimension]units.Unit{}
	for _, u := range units.Units() {
		if u.Dimension().Activity != 0 {
			// UCUM's [iU] is an arbitrary unit: ucum-lhc converts nothing
			// with it, not even its time part. Its codes are validated above.
			continue
		}
		ref, ok := first[u.Dimension()]
		if !ok {
			first[u.Dimension()] = u
			continue
		}
		q, err := units.NewInt(1, u).Convert(ref)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := q.Value().Float64()
		convs = append(convs, conv{u, ref, f})
		reqs = append(reqs, fmt.Sprintf("convert 1 %s %s", u.UCUM(), ref.UCUM()))
	}
	// Facts behind dripRateCode: UCUM's drop is a fixed 1/20 mL (so
	// [drp]/min is right only for a 20 gtt/mL set), and an annotated drop
	// cannot be turned into a volume at all.
	reqs = append(reqs, "convert 1 [drp] mL", "convert 1 {drop}/min mL/min")

	answers := ucumLHC(t, reqs)
	for i, c := range sorted {
		a := answers[i]
		if a["valid"] != true || a["ucum"] != c {
			t.Errorf("UCUM code %q: ucum-lhc says valid=%v as %q %v", c, a["valid"], a["ucum"], a["msg"])
		}
	}
	for j, c := range convs {
		a := answers[len(sorted)+j]
		got, err := strconv.ParseFloat(fmt.Sprint(a["result"]), 64)
		if a["ok"] != true || err != nil || math.Abs(got-c.want) > 1e-9*math.Abs(c.want) {
			t.Errorf("1 %s in %s: ucum-lhc says %v (%v), doseplan %v", c.from.UCUM(), c.to.UCUM(), a["result"], a["msg"], c.want)
		}
	}
	drp, drop := answers[len(reqs)-2], answers[len(reqs)-1]
	if drp["ok"] != true || drp["result"] != "0.05" {
		t.Errorf("1 [drp] in mL: ucum-lhc says %v %v, want 0.05 (1/20 mL)", drp["result"], drp["msg"])
	}
	if drop["ok"] == true {
		t.Errorf("1 {drop}/min in mL/min: ucum-lhc converted it (%v); an annotated drop must not be a volume", drop["result"])
	}
}
