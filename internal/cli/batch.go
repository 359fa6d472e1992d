package cli

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
)

// A batch runs a command once per row of a CSV file: each row is the
// command line's flags and the flags its cells give, read by the command's
// own parse step, so a cell takes what the flag takes ("80kg", "176 lb",
// "40 mg") and is refused as the flag would refuse it. The header names the
// columns: each is a flag of the command without its dashes (weight,
// dose-per-kg, pump-rate), or id, a reference the output repeats. An empty
// cell is a flag not given.

// maxBatchBytes bounds a batch file: far above any day's orders (10,000
// rows are about a megabyte), so that no input makes the reader allocate
// without bound.
const maxBatchBytes = 64 << 20

const batchUsage = `run the command once per row of FILE, a CSV file with a header of flag names without their dashes (weight, dose, pump-rate…) and an optional id column; the other flags given apply to every row. One output row each, then a summary; with --json, JSON Lines`

// Batch statuses, in the order of the exit code they lead to.
const (
	statusRefused     = "refused"      // the row's values, or its protocol, were refused: exit 1 (2 for an unreadable cell)
	statusHardLimit   = "hard_limit"   // a hard limit refused the calculation: exit 3
	statusMismatch    = "mismatch"     // the order does not match: exit 5
	statusNotCompared = "not_compared" // nothing could be compared: exit 5
	statusReview      = "review"       // review warnings not acknowledged: exit 4
	statusConfirmed   = "confirmed"    // done, and nothing to review: exit 0
)

// rower is a command that runs as a batch: its flags, and one row's run.
type rower interface {
	define(f *flagSet)
	row(e *Env, cmd string, args []string) batchRow
}

// batched runs a command's steps for one row and says what the row gives.
// Each row has steps of its own (a command's steps hold its flags), made by
// steps.
type batched[Req request, Resp any] struct {
	steps     func() stepper[Req, Resp]
	summarize func(Req, Resp) batchRow
}

func (b batched[Req, Resp]) define(f *flagSet) { b.steps().define(f) }

func (b batched[Req, Resp]) row(e *Env, cmd string, args []string) batchRow {
	var msgs bytes.Buffer
	f := newFlagSet(cmd, &msgs)
	st := b.steps()
	st.define(f)
	pos, err := f.parse(args)
	if err != nil {
		return refusedRow(exitUsage, flagMessages(msgs.String())...)
	}
	req := st.parse(f, pos)
	if len(f.errs) > 0 {
		return refusedRow(exitUsage, cellMessages(f.errs)...)
	}
	resp, err := st.run(e, req)
	var ue usageErrors
	switch {
	case errors.As(err, &ue):
		return refusedRow(exitUsage, cellMessages(ue)...)
	case err != nil:
		var msgs []string
		for _, l := range leaves(err) {
			msgs = append(msgs, l.msg)
		}
		code := exitCodeFor(err)
		r := refusedRow(code, msgs...)
		if code == exitHard {
			r.Status = statusHardLimit
		}
		return r
	}
	return b.summarize(req, resp)
}

func refusedRow(code int, msgs ...string) batchRow {
	return batchRow{Status: statusRefused, ExitCode: code, Result: "—", Causes: msgs}
}

// flagMessages are the flag package's messages, as errorWriter wrote them.
func flagMessages(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		out = append(out, strings.TrimPrefix(l, "doseplan: "))
	}
	return cellMessages(out)
}

// cellMessages say a flag's problem as the cell's: `weight "80": …` for
// `--weight "80": …`.
func cellMessages(msgs []string) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = strings.TrimPrefix(m, "--")
	}
	return out
}

// batchRow is one row of a batch's output; it is also the row's JSON line.
type batchRow struct {
	Schema   string       `json:"schema"`
	Notice   string       `json:"notice"`
	Kind     string       `json:"kind"` // "row"
	Line     int          `json:"line"` // the row's line in the file
	ID       string       `json:"id,omitempty"`
	Status   string       `json:"status"`
	ExitCode int          `json:"exit_code"` // what the row's command would exit with alone
	Result   string       `json:"result"`    // for people: "40 mg: 4 mL of 10 mg/mL, 156 mL/h × 40 min"
	Causes   []string     `json:"causes"`    // the likely causes of a mismatch, the warnings to review, the refusals
	Check    *checkRowDoc `json:"check,omitempty"`
	Dose     *doseRowDoc  `json:"dose,omitempty"`
}

// batchSummary is the batch's last JSON line.
type batchSummary struct {
	Schema       string `json:"schema"`
	Notice       string `json:"notice"`
	Kind         string `json:"kind"` // "summary"
	File         string `json:"file"`
	Rows         int    `json:"rows"`
	Confirmed    int    `json:"confirmed"`
	Mismatch     int    `json:"mismatch"`
	NotCompared  int    `json:"not_compared"`
	Review       int    `json:"review"`
	HardLimit    int    `json:"hard_limit"`
	Refused      int    `json:"refused"`
	NotConfirmed []int  `json:"not_confirmed"` // the lines of the rows not confirmed
	ExitCode     int    `json:"exit_code"`
}

// batchArgs splits a command line into the batch file, --json, and the
// flags every row shares. ok is false when --batch is not there.
func batchArgs(args []string) (file string, asJSON, given bool, rest []string, errs []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "--" {
			rest = append(rest, a)
			continue
		}
		switch name {
		case "batch":
			if given {
				errs = append(errs, "--batch given twice; give it once")
			}
			given = true
			switch {
			case hasValue:
				file = value
			case i+1 < len(args):
				i++
				file = args[i]
			default:
				errs = append(errs, "--batch needs a file: --batch orders.csv")
			}
		case "json":
			b, err := strconv.ParseBool(value)
			if !hasValue {
				b, err = true, nil
			}
			if err != nil {
				errs = append(errs, fmt.Sprintf("--json %q is not true or false", value))
			}
			asJSON = b
		default:
			rest = append(rest, a)
		}
	}
	return file, asJSON, given, rest, errs
}

// runBatch runs the command once per row of the --batch file.
func (c command) runBatch(e *Env, args []string) int {
	file, asJSON, _, common, errs := batchArgs(args)
	rw := c.batch()
	// The shared flags are read once, without the flags a row may give.
	var msgs bytes.Buffer
	f := newFlagSet(c.name, &msgs)
	rw.define(f)
	f.required = nil
	pos, err := f.parse(common)
	switch {
	case errors.Is(err, flag.ErrHelp):
		c.writeHelp(e.Stdout)
		return exitOK
	case err != nil:
		io.Copy(e.Stderr, &msgs)
		return e.usageError(c.name, errs...)
	}
	errs = append(errs, f.errs...)
	if len(pos) > 0 {
		errs = append(errs, fmt.Sprintf("unexpected argument %q (with --batch, the rows give the values)", pos[0]))
	}
	if file == "" && len(errs) == 0 {
		errs = append(errs, "--batch needs a file: --batch orders.csv")
	}
	if len(errs) > 0 {
		return e.usageError(c.name, errs...)
	}
	b, err := e.readFile("batch", file, maxBatchBytes)
	if err == nil && len(b) > maxBatchBytes {
		err = fmt.Errorf("larger than %d bytes", maxBatchBytes)
	}
	if err != nil {
		return e.failBatch(c.name, asJSON, fmt.Errorf("batch %q: %w", file, unwrapPath(err)))
	}
	rd := csv.NewReader(bytes.NewReader(b))
	rd.Comment = '#'
	rd.ReuseRecord = true
	header, err := rd.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("is empty (the first line names the columns: id, weight, …)")
		}
		return e.failBatch(c.name, asJSON, fmt.Errorf("batch %q: line 1: %w", file, err))
	}
	header = slices.Clone(header)
	if err := checkHeader(f, header); err != nil {
		return e.failBatch(c.name, asJSON, fmt.Errorf("batch %q: %w", file, err))
	}
	rd.FieldsPerRecord = len(header)

	e.protocols = &protocolCache{m: map[string]loadedProtocol{}} // each protocol is loaded once for the batch
	defer func() { e.protocols = nil }()
	schema := schemaName(c.name + "-batch")
	// Read every row, then run them, then write them in their order.
	var jobs []batchJob
	for {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		j := batchJob{}
		if err == nil && len(rec) > 0 {
			j.line, _ = rd.FieldPos(0)
		}
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe) && errors.Is(err, csv.ErrFieldCount):
			r := refusedRow(exitInput, fmt.Sprintf("has %d cells; the header names %d columns", len(rec), len(header)))
			if i := slices.Index(header, "id"); i >= 0 && i < len(rec) {
				r.ID = strings.TrimSpace(rec[i])
			}
			j.line, j.refused = pe.StartLine, &r
		case errors.As(err, &pe):
			r := refusedRow(exitInput, "cannot be read as CSV: "+pe.Err.Error())
			j.line, j.refused = pe.StartLine, &r
		case err != nil:
			return e.failBatch(c.name, asJSON, fmt.Errorf("batch %q: %w", file, err))
		default:
			j.args = slices.Clone(common)
			for i, cell := range rec {
				cell = strings.TrimSpace(cell)
				switch {
				case cell == "":
				case header[i] == "id":
					j.id = cell
				default:
					j.args = append(j.args, "--"+header[i], cell)
				}
			}
		}
		jobs = append(jobs, j)
	}
	// What is kept of each row is what the output needs: a few strings, or
	// the JSON line, so that the heap does not grow with every row's
	// calculation.
	rows := make([]batchOut, len(jobs))
	runJob := func(i int) {
		j := jobs[i]
		var row batchRow
		if j.refused != nil {
			row = *j.refused
		} else {
			row = rw.row(e, c.name, j.args)
			row.ID = j.id
		}
		row.Schema, row.Notice, row.Kind, row.Line = schema, dosing.Notice, "row", j.line
		if row.Causes == nil {
			row.Causes = []string{}
		}
		rows[i] = batchOut{line: row.Line, id: row.ID, status: row.Status, result: row.Result, causes: strings.Join(row.Causes, "; ")}
		if asJSON {
			var b bytes.Buffer
			if err := writeJSONCompact(&b, row); err == nil {
				rows[i].json = b.Bytes()
			} else {
				rows[i].jsonErr = err
			}
		}
	}
	// Rows are independent: they run on every core, each writing its own
	// slot, so the output keeps the file's order.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(jobs)/64))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				runJob(i)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()

	sum := batchSummary{Schema: schema, Notice: dosing.Notice, Kind: "summary", File: file, NotConfirmed: []int{}}
	out := bufio.NewWriter(e.Stdout)
	for _, row := range rows {
		sum.count(row)
		if asJSON {
			if row.jsonErr != nil {
				return e.failBatch(c.name, false, fmt.Errorf("line %d: the row cannot be written as JSON: %w", row.line, row.jsonErr))
			}
			if _, err := out.Write(row.json); err != nil {
				fmt.Fprintf(e.Stderr, "doseplan: writing the output: %v\n", err)
				return exitInput
			}
		}
	}
	sum.ExitCode = sum.exitCode()
	if asJSON {
		err = writeJSONCompact(out, sum)
	} else {
		err = writeBatchText(out, c.name, file, rows, sum)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		fmt.Fprintf(e.Stderr, "doseplan: writing the output: %v\n", err)
		return exitInput
	}
	if sum.ExitCode != exitOK {
		fmt.Fprintf(e.Stderr, "doseplan: %s --batch: %s\n", c.name, sum.notConfirmedText())
	}
	return sum.ExitCode
}

// failBatch is failWith for a batch: with --json the error document is one
// line, as every line of JSON Lines is.
func (e *Env) failBatch(cmd string, asJSON bool, err error) int {
	code := e.fail(err)
	if asJSON {
		if werr := writeJSONCompact(e.Stdout, newErrorDoc(cmd, err)); werr != nil {
			fmt.Fprintf(e.Stderr, "doseplan: writing the output: %v\n", werr)
		}
	}
	return code
}

// checkHeader refuses columns that are not flags of the command, are named
// twice, or are also given on the command line: all at once.
func checkHeader(f *flagSet, header []string) error {
	var errs []error
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(h), "--"))
		header[i] = h
		col := fmt.Sprintf("line 1: column %d %q", i+1, h)
		switch {
		case seen[h]:
			errs = append(errs, plainError(col+" is named twice"))
		case h == "id":
		case h == "":
			errs = append(errs, plainError(fmt.Sprintf("line 1: column %d has no name (name it after a flag of %s, or id)", i+1, f.cmd)))
		case h == "json" || h == "batch":
			errs = append(errs, plainError(col+" is for the whole batch: give --"+h+" on the command line"))
		case f.fs.Lookup(h) == nil:
			msg := col + " is not a flag of " + f.cmd
			if near := f.nearest(h); near != "" {
				msg += " (did you mean " + near + "?)"
			}
			errs = append(errs, plainError(msg))
		case f.given(h):
			errs = append(errs, plainError(col+" is also given on the command line (--"+h+"): give it in one place"))
		}
		seen[h] = true
	}
	return errors.Join(errs...)
}

func (s *batchSummary) count(r batchOut) {
	s.Rows++
	switch r.status {
	case statusConfirmed:
		s.Confirmed++
		return
	case statusMismatch:
		s.Mismatch++
	case statusNotCompared:
		s.NotCompared++
	case statusReview:
		s.Review++
	case statusHardLimit:
		s.HardLimit++
	case statusRefused:
		s.Refused++
	}
	s.NotConfirmed = append(s.NotConfirmed, r.line)
}

// exitCode is the first that applies of 1 (a row refused), 3 (a hard
// limit), 5 (an order that does not match, or with nothing to compare), 4
// (review warnings), else 0: the order in which a single run's codes win.
func (s batchSummary) exitCode() int {
	switch {
	case s.Refused > 0:
		return exitInput
	case s.HardLimit > 0:
		return exitHard
	case s.Mismatch+s.NotCompared > 0:
		return exitMismatch
	case s.Review > 0:
		return exitReview
	}
	return exitOK
}

func (s batchSummary) text() string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{s.Mismatch, "mismatch"}, {s.NotCompared, "nothing compared"}, {s.Review, "to review"}, {s.HardLimit, "refused by a hard limit"}, {s.Refused, "refused"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	t := fmt.Sprintf("%d rows, %d confirmed", s.Rows, s.Confirmed)
	if len(parts) > 0 {
		t += "; not confirmed: " + strings.Join(parts, ", ")
	}
	return t
}

func (s batchSummary) notConfirmedText() string {
	return fmt.Sprintf("%d of %d rows not confirmed (%s)", len(s.NotConfirmed), s.Rows, s.linesText())
}

// linesText lists the lines of the rows not confirmed: "lines 3, 5", the
// first 20 of them (the rows themselves are all in the output).
func (s batchSummary) linesText() string {
	const most = 20
	var lines []string
	for _, l := range s.NotConfirmed[:min(len(s.NotConfirmed), most)] {
		lines = append(lines, strconv.Itoa(l))
	}
	if n := len(s.NotConfirmed) - most; n > 0 {
		lines = append(lines, fmt.Sprintf("and %d more", n))
	}
	if len(lines) == 1 {
		return "line " + lines[0]
	}
	return "lines " + strings.Join(lines, ", ")
}

// writeBatchText writes the rows as a table, then the summary.
func writeBatchText(w io.Writer, cmd, file string, rows []batchOut, sum batchSummary) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s --batch %s\n\n", strings.ToUpper(cmd), file)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "line\tid\tstatus\tresult\tlikely cause or reason")
	for _, r := range rows {
		status := r.status
		if r.status != statusConfirmed {
			status = strings.ToUpper(status)
		}
		id := r.id
		if id == "" {
			id = "—"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", r.line, id, status, r.result, r.causes)
	}
	tw.Flush()
	fmt.Fprintf(&b, "\nSUMMARY: %s\n", sum.text())
	if len(sum.NotConfirmed) > 0 {
		fmt.Fprintf(&b, "Not confirmed: %s\n", sum.linesText())
	}
	b.WriteString("\n" + dosing.Notice + "\n")
	_, err := w.Write(trimLineEnds(b.Bytes()))
	return err
}

// batchOut is what the output keeps of a row.
type batchOut struct {
	line                       int
	id, status, result, causes string
	json                       []byte // the row's JSON line, with --json
	jsonErr                    error
}

// batchJob is one row of the file, read: its command line, or why it
// could not be read.
type batchJob struct {
	line    int
	id      string
	args    []string
	refused *batchRow
}

// protocolCache holds the protocols a batch has loaded, by their name on
// the command line, for rows that run at the same time. A protocol is
// only read once loaded (Check and Calculate do not change it).
type protocolCache struct {
	mu sync.Mutex
	m  map[string]loadedProtocol
}

// loadedProtocol is a protocol a batch has loaded, or why it could not.
type loadedProtocol struct {
	p   *schedule.Protocol
	err error
}
