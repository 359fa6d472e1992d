package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// batchCases are the batch transcripts (batch_<name>.golden). The files are
// in testdata: orders.csv has an order of each kind (as the protocol has
// it; tenfold; the pump rate ÷ 10; a weight without its unit; mcg for mg;
// no value of the order; a child the protocol refuses; a short row; a
// woman's order as it should be), patients.csv a patient of each kind.
func batchCases() []goldenCase {
	iv := args("--protocol", "testdata/iv.yaml")
	return []goldenCase{
		{name: "batch_check", args: cat(args("check"), iv, args("--batch", "testdata/orders.csv")), exit: exitInput},
		{name: "batch_check_json", args: cat(args("check"), iv, args("--batch", "testdata/orders.csv", "--json")), exit: exitInput},
		{name: "batch_check_all_match", args: cat(args("check"), iv, args("--batch", "testdata/orders_match.csv")), exit: exitOK},
		{name: "batch_check_protocol_column", args: args("check", "--batch", "testdata/orders_mixed.csv"), exit: exitMismatch},
		{name: "batch_check_tolerance", args: cat(args("check"), iv, args("--tolerance", "pump-rate=2%", "--batch=testdata/orders_match.csv")), exit: exitOK},
		{name: "batch_dose", args: cat(args("dose"), iv, args("--batch", "testdata/patients.csv")), exit: exitInput},
		{name: "batch_dose_json", args: cat(args("dose"), iv, args("--batch", "testdata/patients.csv", "--json")), exit: exitInput},
		{name: "batch_dose_review", args: cat(args("dose"), iv, args("--batch", "testdata/patients_review.csv")), exit: exitReview},
		{name: "batch_bad_header", args: cat(args("check"), iv, args("--batch", "testdata/orders_bad_header.csv")), exit: exitInput},
		{name: "batch_column_also_a_flag", args: cat(args("check"), iv, args("--weight", "80kg", "--batch", "testdata/orders.csv")), exit: exitInput},
		{name: "batch_empty", args: cat(args("dose"), iv, args("--batch", "testdata/empty.csv")), exit: exitInput},
		{name: "batch_missing_file", args: cat(args("dose"), iv, args("--batch", "testdata/nonexistent.csv", "--json")), exit: exitInput},
		{name: "batch_usage", args: cat(args("dose"), iv, args("--wieght", "80kg", "--batch")), exit: exitUsage},
		{name: "batch_usage_argument", args: cat(args("dose"), iv, args("--batch", "testdata/patients.csv", "80kg")), exit: exitUsage},
	}
}

func TestBatchGolden(t *testing.T) {
	for _, c := range batchCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := runDoseplan(t, "", "", c.args...)
			if r.code != c.exit {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, c.exit, r.stdout, r.stderr)
			}
			golden(t, c.name, transcript(c.args, "", r))
			if strings.Contains(strings.Join(c.args, " "), "--json") {
				checkBatchJSON(t, r.stdout)
			}
		})
	}
}

// checkBatchJSON decodes each line of a batch's JSON Lines into the types
// that mirror SCHEMA.md, unknown fields refused: rows, then one summary.
func checkBatchJSON(t *testing.T, out string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, `{"schema":"doseplan/error/v1"`) {
			decodeStrict(t, l, new(mErrorDoc))
			continue
		}
		var head struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal([]byte(l), &head); err != nil {
			t.Fatalf("line %d is not JSON: %v\n%s", i+1, err, l)
		}
		switch {
		case head.Kind == "row" && i < len(lines)-1:
			decodeStrict(t, l, new(mBatchRow))
		case head.Kind == "summary" && i == len(lines)-1:
			decodeStrict(t, l, new(mBatchSummary))
		default:
			t.Errorf("line %d of %d is a %q line", i+1, len(lines), head.Kind)
		}
	}
}

// Each row of a batch is what the command gives for the row's flags run on
// their own: the same exit code, for every row of the test files.
func TestBatchRowsAreSingleRuns(t *testing.T) {
	for _, c := range []struct{ cmd, file string }{{"check", "testdata/orders.csv"}, {"dose", "testdata/patients.csv"}} {
		r := runDoseplan(t, "", "", c.cmd, "--protocol", "testdata/iv.yaml", "--batch", c.file, "--json")
		var rows []mBatchRow
		sc := bufio.NewScanner(strings.NewReader(r.stdout))
		for sc.Scan() {
			var row mBatchRow
			if err := json.Unmarshal(sc.Bytes(), &row); err == nil && row.Kind == "row" {
				rows = append(rows, row)
			}
		}
		b, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		var header []string
		var k int
		for n, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if strings.HasPrefix(l, "#") {
				continue
			}
			cells := strings.Split(l, ",")
			if header == nil {
				header = cells
				continue
			}
			if len(cells) != len(header) {
				k++ // a short row: refused before any command runs
				continue
			}
			a := []string{c.cmd, "--protocol", "testdata/iv.yaml"}
			for i, cell := range cells {
				if cell = strings.Trim(cell, `" `); cell != "" && header[i] != "id" {
					a = append(a, "--"+header[i], cell)
				}
			}
			single := runDoseplan(t, "", "", a...)
			if k >= len(rows) || rows[k].Line != n+1 || rows[k].ExitCode != single.code {
				t.Errorf("%s line %d: the batch row %+v; the command alone exits %d\n%s", c.file, n+1, rows[min(k, len(rows)-1)], single.code, single.stderr)
			}
			k++
		}
		if k != len(rows) {
			t.Errorf("%s: %d rows in the file, %d in the output", c.file, k, len(rows))
		}
	}
}

type mBatchRow struct {
	Schema   string   `json:"schema"`
	Notice   string   `json:"notice"`
	Kind     string   `json:"kind"`
	Line     int      `json:"line"`
	ID       string   `json:"id"`
	Status   string   `json:"status"`
	ExitCode int      `json:"exit_code"`
	Result   string   `json:"result"`
	Causes   []string `json:"causes"`
	Check    *struct {
		Matches     bool   `json:"matches"`
		Agreement   string `json:"agreement"`
		Consistency string `json:"consistency"`
		Limits      string `json:"limits"`
		Fields      []struct {
			Field        string `json:"field"`
			Ordered      qty    `json:"ordered"`
			Expected     qty    `json:"expected"`
			DeviationPct qty    `json:"deviation_pct"`
			Verdict      string `json:"verdict"`
		} `json:"fields"`
		LikelyCauses []struct {
			Kind  string   `json:"kind"`
			Where []string `json:"where"`
		} `json:"likely_causes"`
		Review []string `json:"review"`
	} `json:"check"`
	Dose *struct {
		Dose        qty      `json:"dose"`
		DosePerKg   qty      `json:"dose_per_kg"`
		Count       qty      `json:"count"`
		Draw        qty      `json:"draw"`
		Stock       qty      `json:"stock"`
		FinalVolume qty      `json:"final_volume"`
		PumpRate    qty      `json:"pump_rate"`
		Duration    qty      `json:"duration"`
		DoseRate    qty      `json:"dose_rate"`
		Review      []string `json:"review"`
		Warnings    []string `json:"warnings"`
		SHA256      string   `json:"protocol_sha256"`
	} `json:"dose"`
}

type mBatchSummary struct {
	Schema       string `json:"schema"`
	Notice       string `json:"notice"`
	Kind         string `json:"kind"`
	File         string `json:"file"`
	Rows         int    `json:"rows"`
	Confirmed    int    `json:"confirmed"`
	Mismatch     int    `json:"mismatch"`
	NotCompared  int    `json:"not_compared"`
	Review       int    `json:"review"`
	HardLimit    int    `json:"hard_limit"`
	Refused      int    `json:"refused"`
	NotConfirmed []int  `json:"not_confirmed"`
	ExitCode     int    `json:"exit_code"`
}
