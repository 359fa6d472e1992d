package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/envelope"
	"github.com/doseplan/doseplan/schedule"
)

func envelopeCommand() command {
	return command{
		name:     "envelope",
		summary:  "a protocol over a grid of patients: every output's range, and who is refused, warned, capped",
		synopsis: "doseplan envelope --protocol P [--weights FROM:TO[:STEP]] [--heights FROM:TO[:STEP]] [--sexes S[,S]] [--ages N[,N]] [--level N|all] [--pk MODEL] [--plot FILE [--plot-output OUTPUT] [--plot-level N] [--plot-age N]] [--workers N] [--json]",
		about: `Evaluates the protocol for every patient of a grid — each combination of
a range of weights, heights, sexes and ages — at every level of its titration
ladder, with the same calculation as "doseplan dose", and reports the range of
every output (dosing weight, dose, volume to draw, final concentration, pump
rate, dose rate per kg, rounding deviations, dose forms) with where in the grid
its least and greatest values are, and the regions of the grid where the
protocol refuses a patient (a hard limit, a hard bound of its population),
needs review (a soft limit, a plausibility bound, a dosing weight above the
actual weight), caps the dose, stretches the duration or doses on the ideal
weight. A region is described by height (or by weight, where that reads
shorter): "heights 150–175 cm: weight ≥ 92 kg"; the JSON lists every row.

The grid spans the protocol's population (its weight and height bounds, the
hard one else the soft one); where it states none, the weights span the
plausibility soft bounds (the protocol's, else 30–250 kg) and the heights run
from where the lightest weight has the highest plausible BMI to where the
heaviest has the lowest (60 and 15 kg/m² by default), within 30–275 cm. Steps
are 1 kg and 1 cm. The ages are either side of each of the population's age
bounds and of 18 years where the adult plausibility defaults apply; both sexes.
The report says where each end came from. --weights and --heights take
FROM:TO[:STEP], any part left empty for its default (--weights ::0.5kg).

--pk adds each result's predicted peak plasma level (Cmax, a model estimate,
not a measured level). --plot draws a weight × height map of one level (the
highest evaluated unless --plot-level), one panel per sex, at one age (the
youngest at which a patient gets a result unless --plot-age), coloured by
status, each status also drawn as a pattern and named in the legend, or by
the value of an output (--plot-output dose). The default grid of the IV
example is about 550,000 patients: seconds on a few cores; a run longer than a
second shows its progress on standard error when that is a terminal.

The envelope is a report: refusals and warnings in it do not change the exit
code.

` + filesAbout("--plot", false),
		examples: []string{
			"doseplan envelope --protocol example:iv-ketamine-trd --level 3",
			"doseplan envelope --protocol clinic.yaml --weights 40kg:160kg:0.5kg --heights 150cm:200cm --pk domino --json",
			"doseplan envelope --protocol example:iv-ketamine-trd --plot envelope.png --plot-output dose",
		},
		exits: "0 done, whatever the envelope finds; 1 input or protocol error; 2 usage error",
		steps: func() steps { return typed[envelopeRequest, envelopeResponse]{new(envelopeCmd)} },
	}
}

// envelopeCmd is "doseplan envelope": its flags, and its steps.
type envelopeCmd struct {
	protocol           *string
	weights, heights   *string
	sexes, ages        *[]string
	level              *string
	model              *string
	plot, plotOutput   *string
	plotLevel, plotAge *int
	workers            *int
	asJSON, force      *bool
}

// envelopeRequest is an envelope command line, read.
type envelopeRequest struct {
	Output
	Protocol string
	Options  envelope.Options // without Progress, which run sets
	Level    int              // --level N, from 1; 0 is every level
	Plot     string           // --plot FILE
	PlotOpt  envelope.PlotOptions
	Force    bool // --force
}

// envelopeResponse is the envelope evaluated.
type envelopeResponse struct{ doc envelopeDoc }

// envelopeDoc is the JSON document of "doseplan envelope"
// (doseplan/envelope/v1).
type envelopeDoc struct {
	Schema   string             `json:"schema"`
	Notice   string             `json:"notice"`
	Findings []schedule.Finding `json:"protocol_findings"`
	Envelope *envelope.Envelope `json:"envelope"`
	Plot     string             `json:"plot,omitempty"`
}

func (c *envelopeCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	f.heading("Grid")
	c.weights = f.str("weights", "FROM:TO[:STEP]", "the weights: 30kg:250kg:1kg (default: the population's, else the plausibility bounds; step 1 kg)")
	c.heights = f.str("heights", "FROM:TO[:STEP]", "the heights: 140cm:210cm:1cm (default: the population's, else where the weights have a plausible BMI; step 1 cm)")
	c.sexes = f.list("sexes", "S[,S]", "male, female (default: both)", true)
	c.ages = f.list("ages", "N[,N]", `ages in completed years, "none" for not given (default: either side of each age bound)`, true)
	c.level = f.str("level", "N|all", "the titration level to evaluate, 1 the first, or all (default)")
	c.model = f.str("pk", "MODEL", "also predict each result's Cmax with a built-in PK model: domino, clements250 or hijazi")
	c.workers = f.integer("workers", "N", "goroutines that calculate (default: one per CPU)", 1, 1024)
	f.heading("Output")
	c.plot = f.str("plot", "FILE", "draw a weight × height map of a level to FILE, a .png or .svg")
	c.plotOutput = f.str("plot-output", "OUTPUT", `colour the map by status (default) or by an output: dose, pump_rate, dose_per_kg, cmax, …`)
	c.plotLevel = f.integer("plot-level", "N", "the level the map shows (default: the highest evaluated)", 1, 1000)
	c.plotAge = f.integer("plot-age", "N", "the age the map shows (default: the youngest with a result)", 1, 130)
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/envelope/v1) instead of the report")
	c.force = f.forceFlag("plot")
}

func (c *envelopeCmd) parse(f *flagSet, args []string) envelopeRequest {
	r := envelopeRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, Plot: *c.plot, Force: *c.force}
	checkFiles(f, r.JSON, outFile{flag: "plot", name: r.Plot})
	r.Options.Weights = readAxis(f, "weights", *c.weights, "40kg:160kg:1kg", kWeight())
	r.Options.Heights = readAxis(f, "heights", *c.heights, "140cm:210cm:1cm", kHeight())
	for _, s := range *c.sexes {
		var sex dosing.Sex
		if err := sex.UnmarshalText([]byte(s)); err != nil || s == "" {
			f.bad("sexes", s, `is not male or female`)
			continue
		}
		r.Options.Sexes = append(r.Options.Sexes, sex)
	}
	for _, s := range *c.ages {
		if s == "none" {
			r.Options.Ages = append(r.Options.Ages, 0)
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 130 {
			f.bad("ages", s, `is not an age in completed years from 1 to 130, or "none"`)
			continue
		}
		r.Options.Ages = append(r.Options.Ages, dosing.Years(n))
	}
	switch lv := *c.level; {
	case lv == "" || lv == "all":
	default:
		n, err := strconv.Atoi(lv)
		if err != nil || n < 1 {
			f.bad("level", lv, `is not a level (1 is the first) or "all"`)
			break
		}
		r.Level = n
		r.Options.Levels = []int{n}
	}
	if f.given("pk") {
		m, err := pk.Lookup(*c.model)
		if err != nil {
			var names []string
			for _, x := range pk.Models() {
				names = append(names, x.Parameters().ID)
			}
			f.bad("pk", *c.model, "is not a built-in model (have: "+strings.Join(names, ", ")+")")
		}
		r.Options.PK = m
	}
	r.Options.Workers = *c.workers
	if r.Plot != "" {
		switch strings.ToLower(filepath.Ext(r.Plot)) {
		case ".png":
			r.PlotOpt.Format = envelope.PNG
		case ".svg":
			r.PlotOpt.Format = envelope.SVG
		default:
			f.bad("plot", r.Plot, "must end in .png or .svg")
		}
	}
	for _, name := range []string{"plot-output", "plot-level", "plot-age"} {
		if f.given(name) && r.Plot == "" {
			f.errs = append(f.errs, "--"+name+" is only used with --plot")
		}
	}
	r.PlotOpt.Output, r.PlotOpt.Level, r.PlotOpt.Age = *c.plotOutput, *c.plotLevel, dosing.Years(*c.plotAge)
	if o := r.PlotOpt.Output; o != "" && o != "status" {
		r.Options.Keep = []string{o}
	}
	if r.Level != 0 && r.PlotOpt.Level != 0 && r.PlotOpt.Level != r.Level {
		f.errs = append(f.errs, fmt.Sprintf("--plot-level %d is not the level evaluated (--level %d)", r.PlotOpt.Level, r.Level))
	}
	noArgs(f, args)
	return r
}

// readAxis reads FROM:TO[:STEP], each part a quantity of the kind or left
// empty for its default; example is one such axis, for the message.
func readAxis(f *flagSet, name, s, example string, k qkind) envelope.Axis {
	var a envelope.Axis
	if s == "" {
		return a
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		f.bad(name, s, "is not FROM:TO or FROM:TO:STEP (e.g. "+example+"; leave a part empty for its default)")
		return a
	}
	bad := false
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		q, msg := readQuantity(p, k)
		if msg == "" && !k.accepts(q.Dimension()) {
			msg = "is not " + k.what + " (write e.g. " + strconv.Quote(k.example) + ")"
		}
		if msg != "" {
			f.bad(name, s, [...]string{"FROM", "TO", "STEP"}[i]+" "+strconv.Quote(p)+" "+msg)
			bad = true
			continue
		}
		switch i {
		case 0:
			a.From = q
		case 1:
			a.To = q
		default:
			a.Step = q
		}
	}
	if bad {
		return envelope.Axis{}
	}
	return a
}

func (c *envelopeCmd) run(e *Env, r envelopeRequest) (envelopeResponse, error) {
	p, err := e.loadProtocol(r.Protocol)
	if err != nil {
		return envelopeResponse{}, err
	}
	var ue usageErrors
	n := 1
	if p.Titration != nil {
		n = len(p.Titration.Steps)
	}
	for _, lv := range []struct {
		flag  string
		level int
	}{{"level", r.Level}, {"plot-level", r.PlotOpt.Level}} {
		switch {
		case lv.level <= n:
		case p.Titration == nil:
			ue = append(ue, fmt.Sprintf("--%s %d: the protocol has no titration ladder: one level, its dose", lv.flag, lv.level))
		default:
			ue = append(ue, fmt.Sprintf("--%s %d: the protocol's titration ladder has %d levels", lv.flag, lv.level, n))
		}
	}
	if o := r.PlotOpt.Output; o != "" && o != "status" {
		outs := envelope.Outputs(p.Rule(), r.Options.PK != nil)
		if !slices.Contains(outs, o) {
			ue = append(ue, fmt.Sprintf("--plot-output %q: not an output of the protocol (have: status, %s)", o, strings.Join(outs, ", ")))
		}
	}
	if len(ue) > 0 {
		return envelopeResponse{}, ue
	}
	opt := r.Options
	opt.Progress = progressLine(e.Stderr, e.Now)
	env, err := envelope.Evaluate(p, opt)
	if err != nil {
		return envelopeResponse{}, err
	}
	if r.PlotOpt.Age != 0 && !slices.Contains(env.Grid.Ages, r.PlotOpt.Age) {
		return envelopeResponse{}, usageErrors{fmt.Sprintf("--plot-age %d: not an age of the grid (%s)", r.PlotOpt.Age, env.Grid.AgesWhy)}
	}
	return envelopeResponse{doc: envelopeDoc{Schema: schemaName("envelope"), Notice: dosing.Notice, Findings: findingsOrEmpty(p.Findings()), Envelope: env}}, nil
}

func (c *envelopeCmd) render(e *Env, r envelopeRequest, resp envelopeResponse) int {
	doc := resp.doc
	var files []outFile
	if r.Plot != "" {
		files = append(files, outFile{flag: "plot", name: r.Plot, wrote: "the map",
			write: func(w io.Writer) error { return doc.Envelope.Plot(w, r.PlotOpt) }})
		doc.Plot = r.Plot
	}
	if err := e.writeFiles(r.Force, files...); err != nil {
		return e.failWith("envelope", r.JSON, err)
	}
	code := e.output(r.JSON, doc, func(w io.Writer) error {
		writeNotes(w, nil, doc.Findings)
		return doc.Envelope.WriteText(w)
	})
	if code == exitOK {
		e.noteWritten(files...)
	}
	return code
}

// progressLine returns the envelope's progress callback: nothing unless w
// is a terminal; there, once the run has taken a second, a line
// "doseplan: envelope: 120,000 of 546,624 patients (22 %)" rewritten in
// place at most every tenth of a second, ended when the run is done.
func progressLine(w io.Writer, now func() time.Time) func(done, total int) {
	if !isTerminal(w) {
		return nil
	}
	return progressTo(w, now)
}

// progressTo is progressLine on any writer.
func progressTo(w io.Writer, now func() time.Time) func(done, total int) {
	start := now()
	var last time.Time
	shown := false
	return func(done, total int) {
		t := now()
		if t.Sub(start) < time.Second || done < total && t.Sub(last) < 100*time.Millisecond {
			return
		}
		last, shown = t, true
		fmt.Fprintf(w, "\rdoseplan: envelope: %s of %s patients (%d %%)", thousands(done), thousands(total), done*100/max(1, total))
		if done == total && shown {
			fmt.Fprintf(w, " in %.1f s\n", t.Sub(start).Seconds())
		}
	}
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// thousands writes n with thousands separators.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
