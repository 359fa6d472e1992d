package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/dosing/pk"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

func pkCommand() command {
	return command{
		name:     "pk",
		summary:  "predicted plasma and effect-site levels (a model estimate, not a measured level)",
		synopsis: "doseplan pk (--model M | --model-file FILE) --weight W --dose D [--over T] [--age N] [--threshold C] [--every T] [--until T] [--plot FILE] [--full-precision] [--json]",
		about: `Predicts the plasma (Cp) and effect-site (Ce) concentrations a dose is
expected to produce, from a published compartment model for a typical patient
of the given weight: the level at the end of the infusion, the peaks, and
optionally when the level falls below a threshold, a table over time and a
plot. Every value is a population model's estimate, not a measured level;
the models differ widely, and none was validated for 40-minute infusions in
psychiatric outpatients. A patient outside a model's validity range gets a
prediction with a warning.

Models: domino (3 compartments), clements250 and hijazi (see each
prediction's citation and notes).

Levels are shown at 0.01 ng/mL and the time of a peak at 0.1 min (finer
where the peak is sharp). --full-precision shows every level as the float64
the model computed, in full (the shortest decimal that reads back as the
same number), and each peak at the instant the search found, to 1e-7 min;
the times below --threshold stay rounded up to 0.1 min.

` + filesAbout("--plot", false),
		examples: []string{
			`doseplan pk --model domino --weight 70kg --dose "0.5 mg/kg" --over "40 min"`,
			`doseplan pk --model-file clinic-model.yaml --weight 70kg --dose 35mg --over 40min`,
			`doseplan pk --model clements250 --weight 80kg --dose 40mg --over 40min --threshold 100ng/mL --every 10min --until 2h --plot cp.svg`,
			`doseplan pk --model domino --weight 70kg --dose 35mg --over 40min --full-precision`,
		},
		exits: "0 done; 1 input or file error; 2 usage error",
		steps: func() steps { return typed[pkRequest, pkResponse]{new(pkCmd)} },
	}
}

// pkCmd is "doseplan pk": its flags, and its steps.
type pkCmd struct {
	model, modelFile, plot  *string
	weight, dose, over      *units.Quantity
	age                     *int
	threshold, every, until *units.Quantity
	full, asJSON, force     *bool
}

// pkRequest is a pk command line, read.
type pkRequest struct {
	Output
	Model     string // --model, a built-in parameter set; "" with --model-file
	ModelFile string
	Weight    units.Quantity
	Age       int // 0 when not given
	Dose      units.Quantity
	Over      units.Quantity // invalid for a bolus
	Plot      string         // --plot FILE; "" for none
	Format    pk.Format      // of the plot, from its extension
	Levels    pkLevels       // Until as given: invalid for the default
	Force     bool           // --force
}

// pkLevels is what the output flags ask of a prediction.
type pkLevels struct {
	Threshold, Every, Until units.Quantity
	Full                    bool // levels at full float64 precision
}

// pkResponse is the report, and the prediction the plot draws.
type pkResponse struct {
	doc  pkDoc
	pred *pk.Prediction
	end  units.Quantity // of the plot's time axis
}

func (c *pkCmd) define(f *flagSet) {
	f.heading("Model and patient")
	c.model = f.str("model", "M", "the parameter set: domino, clements250 or hijazi")
	c.modelFile = f.str("model-file", "FILE", "or a model of your own: a YAML or JSON file of its parameters with units")
	c.weight = f.quantity("weight", "W", "total body weight: 70kg, 154lb", kWeight())
	c.age = f.integer("age", "N", "age in completed years, to check the model's validity range", 1, 150)
	f.heading("Dose")
	c.dose = f.quantity("dose", "D", "the amount given: 35mg, or per kg: 0.5mg/kg", kAmount())
	c.over = f.quantity("over", "T", "the infusion's duration: 40min; without it, a bolus", kDuration())
	f.heading("Output")
	c.threshold = f.quantity("threshold", "C", "also tell when the level falls below C for good, and draw C on the --plot: 100ng/mL", kNgPerML())
	c.every = f.quantity("every", "T", "also print the levels every T from 0 to --until: 10min", kDuration())
	c.until = f.quantity("until", "T", "the end of the --every table and of the --plot time axis (default: 3 h after the end of the dose)", kDuration())
	c.plot = f.str("plot", "FILE", "draw Cp and Ce to FILE, a .png or .svg")
	c.full = f.boolean("full-precision", "show each level at full float64 precision rather than at 0.01 ng/mL")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/pk/v1) instead of the report")
	c.force = f.forceFlag("plot")
	f.require("weight", "dose")
}

func (c *pkCmd) parse(f *flagSet, args []string) pkRequest {
	r := pkRequest{Output: Output{JSON: *c.asJSON}, Model: *c.model, ModelFile: *c.modelFile, Weight: *c.weight, Age: *c.age,
		Dose: *c.dose, Over: *c.over, Plot: *c.plot, Force: *c.force,
		Levels: pkLevels{Threshold: *c.threshold, Every: *c.every, Until: *c.until, Full: *c.full}}
	if f.given("model") == f.given("model-file") {
		f.errs = append(f.errs, "give one of --model and --model-file")
	}
	if f.given("model") {
		if _, err := pk.Lookup(r.Model); err != nil {
			var names []string
			for _, x := range pk.Models() {
				names = append(names, x.Parameters().ID)
			}
			f.bad("model", r.Model, "is not a built-in model (have: "+strings.Join(names, ", ")+")")
		}
	}
	if r.Plot != "" {
		switch strings.ToLower(filepath.Ext(r.Plot)) {
		case ".png":
			r.Format = pk.PNG
		case ".svg":
			r.Format = pk.SVG
		default:
			f.bad("plot", r.Plot, "must end in .png or .svg")
		}
	}
	checkFiles(f, r.JSON, outFile{flag: "plot", name: r.Plot})
	if f.given("until") && !f.given("every") && !f.given("plot") {
		f.errs = append(f.errs, "--until is only used with --every or --plot")
	}
	noArgs(f, args)
	return r
}

// model is the request's model: built in, or read from --model-file.
func (e *Env) model(r pkRequest) (*pk.Model, error) {
	if r.ModelFile == "" {
		return pk.Lookup(r.Model)
	}
	doc, err := e.readFile("model-file", r.ModelFile, pk.MaxModelBytes)
	if err != nil {
		return nil, fmt.Errorf("--model-file %q: %w", r.ModelFile, err)
	}
	params, err := pk.LoadParameters(doc)
	var m *pk.Model
	if err == nil {
		m, err = pk.New(params)
	}
	if err != nil {
		return nil, fmt.Errorf("--model-file %q: %w", r.ModelFile, err)
	}
	return m, nil
}

func (c *pkCmd) run(e *Env, r pkRequest) (pkResponse, error) {
	m, err := e.model(r)
	if err != nil {
		return pkResponse{}, err
	}
	levels := r.Levels
	if !levels.Until.IsValid() {
		levels.Until = units.NewInt(180, units.Minute)
		if r.Over.IsValid() {
			if levels.Until, err = levels.Until.Add(r.Over); err != nil {
				return pkResponse{}, err
			}
		}
	}
	admin := pk.Bolus(r.Dose)
	if r.Over.IsValid() {
		admin = pk.Infusion(r.Dose, r.Over)
	}
	pred, err := m.Predict(dosing.Patient{Weight: r.Weight, AgeYears: dosing.Years(r.Age)}, []pk.Administration{admin})
	if err != nil {
		return pkResponse{}, err
	}
	doc, err := pkReport(m, pred, levels)
	if err != nil {
		return pkResponse{}, err
	}
	doc.Plot = r.Plot
	return pkResponse{doc: doc, pred: pred, end: levels.Until}, nil
}

func (c *pkCmd) render(e *Env, r pkRequest, resp pkResponse) int {
	var files []outFile
	if r.Plot != "" {
		files = append(files, outFile{flag: "plot", name: r.Plot, wrote: "the plot", write: func(w io.Writer) error {
			return resp.pred.Plot(w, pk.PlotOptions{Format: r.Format, To: resp.end, Threshold: r.Levels.Threshold})
		}})
	}
	if err := e.writeFiles(r.Force, files...); err != nil {
		return e.failWith("pk", r.JSON, err)
	}
	code := e.output(r.JSON, resp.doc, resp.doc.write)
	if code == exitOK {
		e.noteWritten(files...)
	}
	return code
}

// pkDoc is the JSON document of "doseplan pk" (doseplan/pk/v1).
type pkDoc struct {
	Schema        string         `json:"schema"`
	Notice        string         `json:"notice"`
	Label         string         `json:"label"`               // "model estimate, not a measured level"
	Precision     string         `json:"precision,omitempty"` // "full" with --full-precision
	Prediction    *pk.Prediction `json:"prediction"`
	Compartments  int            `json:"compartments"`
	ModelNotes    string         `json:"model_notes,omitempty"`
	Amount        units.Quantity `json:"amount_mg"` // the dose in mg (per-kg doses times the weight)
	EndOfInfusion pk.Sample      `json:"end_of_infusion"`
	PeakPlasma    pk.Sample      `json:"peak_plasma"`
	PeakEffect    *pk.Sample     `json:"peak_effect_site,omitempty"`
	Below         *pkBelow       `json:"below,omitempty"`
	Curve         []pk.Sample    `json:"curve,omitempty"`
	Plot          string         `json:"plot,omitempty"`

	kinetics pk.Kinetics
}

// pkBelow is when the levels fall below --threshold for good.
type pkBelow struct {
	Threshold  units.Quantity `json:"threshold"`
	Plasma     units.Quantity `json:"plasma,omitzero"` // absent: never reaches the threshold
	EffectSite units.Quantity `json:"effect_site,omitzero"`
}

func pkReport(m *pk.Model, pred *pk.Prediction, r pkLevels) (pkDoc, error) {
	doc := pkDoc{Schema: schemaName("pk"), Notice: dosing.Notice, Label: pk.Estimate, Prediction: pred,
		Compartments: m.Compartments(), ModelNotes: m.Parameters().Notes}
	if r.Full {
		doc.Precision = "full"
	}
	var err error
	if doc.kinetics, err = pred.Kinetics(); err != nil {
		return doc, err
	}
	a := pred.Administrations[0].Amount
	if a.Dimension() == units.MgPerKg.Dimension() {
		mg, err := a.Mul(pred.Weight)
		if err == nil {
			mg, err = mg.Convert(units.Milligram)
		}
		if err != nil {
			return doc, err
		}
		a = mg
	}
	doc.Amount = a
	hasCe := doc.kinetics.Ke0.IsValid()
	if r.Full {
		err = pkFull(&doc, pred, hasCe, r)
	} else {
		err = pkRounded(&doc, pred, hasCe, r)
	}
	if err != nil {
		return doc, err
	}
	if r.Threshold.IsValid() {
		b := &pkBelow{Threshold: r.Threshold}
		if t, ok, err := pred.TimeBelow(pk.Plasma, r.Threshold); err != nil {
			return doc, err
		} else if ok {
			b.Plasma = t
		}
		if hasCe {
			if t, ok, err := pred.TimeBelow(pk.EffectSite, r.Threshold); err != nil {
				return doc, err
			} else if ok {
				b.EffectSite = t
			}
		}
		doc.Below = b
	}
	return doc, nil
}

// pkRounded fills the levels as the library rounds them for display.
func pkRounded(doc *pkDoc, pred *pk.Prediction, hasCe bool, r pkLevels) error {
	var err error
	if doc.EndOfInfusion, err = pred.EndOfInfusion(); err != nil {
		return err
	}
	if doc.PeakPlasma, err = pred.Peak(pk.Plasma); err != nil {
		return err
	}
	if hasCe {
		s, err := pred.Peak(pk.EffectSite)
		if err != nil {
			return err
		}
		doc.PeakEffect = &s
	}
	if r.Every.IsValid() {
		if doc.Curve, err = pred.Curve(units.NewInt(0, r.Every.Unit()), r.Until, r.Every); err != nil {
			return err
		}
	}
	return nil
}

// pkFull fills the levels from the library's float64 values, each written
// in full: the shortest decimal that reads back as the same float64. A
// peak's sample is taken at the instant its search found, written the same
// way, so its time and levels are one evaluation.
func pkFull(doc *pkDoc, pred *pk.Prediction, hasCe bool, r pkLevels) error {
	at := func(t units.Quantity) (pk.Sample, error) {
		s := pk.Sample{Time: t}
		cp, err := pred.Level(pk.Plasma, t)
		if err != nil {
			return s, err
		}
		s.Cp = fullLevel(cp)
		if hasCe {
			ce, err := pred.Level(pk.EffectSite, t)
			if err != nil {
				return s, err
			}
			s.Ce = fullLevel(ce)
		}
		return s, nil
	}
	peak := func(site pk.Site) (pk.Sample, error) {
		p, err := pred.PeakLevel(site)
		if err != nil {
			return pk.Sample{}, err
		}
		return at(units.New(decimal.NewFromFloat(p.Time), units.Minute))
	}
	end, err := pred.EndOfInfusion() // for its exact time
	if err != nil {
		return err
	}
	if doc.EndOfInfusion, err = at(end.Time); err != nil {
		return err
	}
	if doc.PeakPlasma, err = peak(pk.Plasma); err != nil {
		return err
	}
	if hasCe {
		s, err := peak(pk.EffectSite)
		if err != nil {
			return err
		}
		doc.PeakEffect = &s
	}
	if !r.Every.IsValid() {
		return nil
	}
	from := units.NewInt(0, r.Every.Unit())
	cp, err := pred.Levels(pk.Plasma, from, r.Until, r.Every)
	if err != nil {
		return err
	}
	var ce pk.Levels
	if hasCe {
		if ce, err = pred.Levels(pk.EffectSite, from, r.Until, r.Every); err != nil {
			return err
		}
	}
	doc.Curve = make([]pk.Sample, len(cp.Values))
	for k, v := range cp.Values {
		doc.Curve[k] = pk.Sample{Time: cp.Time(k), Cp: fullLevel(v)}
		if hasCe {
			doc.Curve[k].Ce = fullLevel(ce.Values[k])
		}
	}
	return nil
}

// fullLevel writes a level in ng/mL exactly as the float64 it is.
func fullLevel(x float64) units.Quantity { return units.New(decimal.NewFromFloat(x), units.NgPerML) }

func (d pkDoc) write(w io.Writer) error {
	p := d.Prediction
	fmt.Fprintf(w, "PHARMACOKINETIC ESTIMATE (%s)\n", d.Label)
	fmt.Fprintf(w, "Model:    %s, %d compartments\n", p.ModelName, d.Compartments)
	fmt.Fprintf(w, "Source:   %s\n", p.Citation)
	fmt.Fprintf(w, "Patient:  %s\n", show(p.Weight))
	ad := p.Administrations[0]
	given := show(ad.Amount)
	if !ad.Amount.Equal(d.Amount) {
		given += " (" + show(d.Amount) + ")"
	}
	if ad.Duration.IsValid() {
		given += " over " + show(ad.Duration)
	} else {
		given += " as a bolus"
	}
	fmt.Fprintf(w, "Given:    %s, from %s\n", given, show(ad.Start))
	k := d.kinetics
	fmt.Fprintf(w, "Kinetics: volumes %s; clearances %s; half-lives %s", list(k.Volumes), list(k.Clearances), list(k.HalfLives))
	if k.Ke0.IsValid() {
		fmt.Fprintf(w, "; ke0 %s", show(k.Ke0))
	}
	fmt.Fprintln(w)

	if d.Precision == "full" {
		fmt.Fprintln(w, "\nPREDICTED LEVELS (full float64 precision)")
	} else {
		fmt.Fprintln(w, "\nPREDICTED LEVELS")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "End of infusion (%s)\tCp %s\t%s\n", show(d.EndOfInfusion.Time), d.num(d.EndOfInfusion.Cp), d.ceText(d.EndOfInfusion))
	fmt.Fprintf(tw, "Peak plasma level\tCp %s\tat %s\n", d.num(d.PeakPlasma.Cp), d.num(d.PeakPlasma.Time))
	if d.PeakEffect != nil {
		fmt.Fprintf(tw, "Peak effect-site level\tCe %s\tat %s\n", d.num(d.PeakEffect.Ce), d.num(d.PeakEffect.Time))
	}
	if b := d.Below; b != nil {
		fmt.Fprintf(tw, "Below %s for good\tCp %s\t%s\n", show(b.Threshold), belowText(b.Plasma), effectBelow(b, d.PeakEffect != nil))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(d.Curve) > 0 {
		fmt.Fprintln(w, "\nOVER TIME")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "time\tCp\tCe\t")
		for _, s := range d.Curve {
			ce := "—"
			if s.Ce.IsValid() {
				ce = d.num(s.Ce)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t\n", show(s.Time), d.num(s.Cp), ce)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "\nWARNINGS")
	if len(p.Warnings) == 0 {
		fmt.Fprintln(w, "none")
	}
	for _, wn := range p.Warnings {
		fmt.Fprintf(w, "- %s: %s\n", wn.Key, wn.Message)
	}
	if d.ModelNotes != "" {
		fmt.Fprintln(w, "\nMODEL NOTES")
		fmt.Fprintln(w, wrap(d.ModelNotes, 80, "", ""))
	}
	fmt.Fprintf(w, "\nEvery level above is a %s.\n", d.Label)
	fmt.Fprintf(w, "\n%s\n", d.Notice)
	return nil
}

// num shows a level or a peak's time: as the library rounded it, or in
// full with --full-precision (show would round it to 4 places).
func (d pkDoc) num(q units.Quantity) string {
	if d.Precision == "full" {
		return q.String()
	}
	return show(q)
}

func (d pkDoc) ceText(s pk.Sample) string {
	if !s.Ce.IsValid() {
		return ""
	}
	return "Ce " + d.num(s.Ce)
}

func belowText(t units.Quantity) string {
	if !t.IsValid() {
		return "never reaches it"
	}
	return "after " + show(t)
}

func effectBelow(b *pkBelow, hasCe bool) string {
	if !hasCe {
		return ""
	}
	return "Ce " + belowText(b.EffectSite)
}

func list(qs []units.Quantity) string {
	var s []string
	for _, q := range qs {
		s = append(s, show(q))
	}
	return strings.Join(s, ", ")
}
