package cli

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
	"github.com/shopspring/decimal"
)

func convertCommand() command {
	return command{
		name:     "convert",
		summary:  "convert between units, and between dose, pump and drip rates",
		synopsis: "doseplan convert QUANTITY UNIT [--weight W] [--concentration C] [--drop-factor F] [--duration T] [--rate R] [--start HH:MM] [--elapsed T] [--round STEP[:MODE]] [--json]",
		about: `Converts a quantity to another unit exactly: "12.5 mcg/kg/min" to mg/kg/h,
176lb to kg, 5ft10in to cm, "7 lb 4 oz" to kg, 4h30min to h. Conversions that
need an outside number take it from a flag, and only then:

  dose rate per kg  ⇄ dose rate   with --weight         (mcg/kg/min ⇄ mg/h)
  dose rate         ⇄ pump rate   with --concentration  (mg/h ⇄ mL/h)
  pump rate         ⇄ drip rate   with --drop-factor    (mL/h ⇄ gtt/min)
  amount            ⇄ rate        with --duration       (mg/kg ⇄ mg/kg/h, mL ⇄ mL/h)
  amount            ⇄ duration    with --rate           (500 mL at 125 mL/h: 4 h)

The same chain works for amounts (mg/kg ⇄ mg ⇄ mL ⇄ gtt), in either
direction, and the steps are combined as needed: mcg/kg/min to gtt/min takes
--weight, --concentration and --drop-factor. Which flags a conversion needs
is worked out from the units alone; a flag it does not use is an error, so
that a number is never silently ignored, and so is a zero or negative one.
The arithmetic is exact throughout; every step is shown with its reason.

--concentration also reads an amount in a volume ("250 mg in 500 mL"),
percent strength ("1 % w/v": 1 g in 100 mL = 10 mg/mL) and ratio strength
("1:1000": 1 g in 1000 mL = 1 mg/mL), and shows the reading; a bare "1 %"
is a percentage, never a concentration. Durations may be compound
("4h30min"), weights in pounds and ounces ("7 lb 4 oz"). A decimal number
of feet or hours that also reads as feet and inches or hours and minutes
("5.10 ft", "1.30 h") is refused: write "5ft10in" or "1h30min".

A result that is a duration (a volume at a rate) gives the clock time the
infusion ends with --start, and the volume infused and left after --elapsed.
--round shows the result rounded to a step (whole drops: 1gtt/min; 0.1mL/h),
half_up unless a mode is given (half_up, half_even, down, up), with the
deviation. Results with more than four decimal places are shown rounded and
marked ≈, with the exact value when it has one; --json keeps every digit.`,
		examples: []string{
			`doseplan convert "12.5 mcg/kg/min" mg/kg/h`,
			`doseplan convert "7 lb 4 oz" kg`,
			`doseplan convert "2 mcg/kg/min" mL/h --weight 70kg --concentration 1mg/mL`,
			`doseplan convert "5 mcg/kg/min" gtt/min --weight 50kg --concentration 0.8mg/mL --drop-factor 60gtt/mL --round 1gtt/min`,
			`doseplan convert "10 mg/h" gtt/min --concentration "250 mg in 500 mL" --drop-factor 20gtt/mL`,
			`doseplan convert "1 mcg/kg/min" mL/h --weight 80kg --concentration 1:1000`,
			`doseplan convert "30 mg/kg/day" mg/day --weight 20kg`,
			`doseplan convert "500 mL" h --rate "120 mL/h" --start 09:00 --elapsed 1h30min`,
			`doseplan convert "500 mL" mL/h --duration 4h30min --round 0.1mL/h:half_up`,
		},
		exits: "0 done; 1 the conversion is impossible (different kinds of quantity) or a flag value is refused (zero, negative); 2 usage error",
		steps: func() steps { return typed[convertRequest, convertDoc]{new(convertCmd)} },
	}
}

// convertCmd is "doseplan convert": its flags, and its steps.
type convertCmd struct {
	factors []*units.Entry // by convertFactors
	start   *schedule.TimeOfDay
	elapsed *units.Entry
	round   *string
	asJSON  *bool
}

// convertRequest is a convert command line, read.
type convertRequest struct {
	Output
	Input   units.Entry
	To      units.Unit
	Factors map[string]units.Entry // the outside numbers given, by flag name
	Start   *schedule.TimeOfDay    // --start; nil when not given
	Elapsed *units.Entry           // --elapsed; nil when not given
	Round   rounding               // --round; the zero rounding when not given
	// Written has the outside numbers, --start, --elapsed and --round
	// given, by flag name, as written: for messages the library's answer
	// calls for.
	Written map[string]string
}

// factorFlag is a flag of convert whose value may be a factor of the
// conversion: an outside number.
type factorFlag struct {
	name, arg, usage string
	kind             qkind
}

// convertFactors are convert's outside numbers, in the order of the help
// and of the conversion's factors.
func convertFactors() []factorFlag {
	return []factorFlag{
		{"weight", "W", "body weight, between per-kg and absolute doses and rates: 80kg, 176lb, \"7 lb 4 oz\"", kWeight()},
		{"concentration", "C", "concentration, between drug amounts and volumes: 1mg/mL, \"250 mg in 500 mL\", \"1 % w/v\", 1:1000", kConvertConcentration()},
		{"drop-factor", "F", "the IV set's drop factor, between volumes and drops: 20gtt/mL", kDropFactor()},
		{"duration", "T", "duration, between amounts and rates: 40min, 4h, 4h30min", kDuration()},
		{"rate", "R", "rate, between amounts and durations: \"125 mL/h\", \"25 mg/h\"", kRate()},
	}
}

func (c *convertCmd) define(f *flagSet) {
	f.heading("Outside numbers")
	for _, fl := range convertFactors() {
		c.factors = append(c.factors, f.entry(fl.name, fl.arg, fl.usage, fl.kind))
	}
	f.heading("Infusion time (for a result that is a duration)")
	c.start = f.clock("start", "HH:MM", "the clock time the infusion starts: shows when it ends")
	c.elapsed = f.entry("elapsed", "T", "time since the start: shows the volume infused and left", kDuration())
	f.heading("Output")
	c.round = f.str("round", "STEP[:MODE]", "show the result rounded to STEP (1gtt/min, 0.1mL/h), half_up unless MODE is half_even, down or up")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/convert/v1)")
}

func (c *convertCmd) parse(f *flagSet, args []string) convertRequest {
	r := convertRequest{Output: Output{JSON: *c.asJSON}, Factors: map[string]units.Entry{}, Written: map[string]string{}}
	for i, fl := range convertFactors() {
		if f.given(fl.name) {
			r.Factors[fl.name] = *c.factors[i]
		}
	}
	for _, name := range append(slices.Collect(maps.Keys(r.Factors)), "start", "elapsed", "round") {
		if text, ok := f.seen[name]; ok {
			r.Written[name] = text
		}
	}
	if f.given("start") {
		r.Start = c.start
	}
	if f.given("elapsed") {
		r.Elapsed = c.elapsed
	}
	if n := len(args); n >= 3 && args[n-2] == "to" {
		args = append(args[:n-2:n-2], args[n-1])
	}
	if len(args) == 3 && isNumber(args[0]) {
		args = []string{args[0] + " " + args[1], args[2]}
	}
	if len(args) != 2 {
		f.errs = append(f.errs, fmt.Sprintf("convert takes a quantity and a unit (got %d arguments): doseplan convert \"12.5 mcg/kg/min\" mg/kg/h", len(args)))
	} else {
		var msg string
		if r.Input, msg = readEntry(args[0], qkind{what: "a quantity", example: "12.5 mcg/kg/min"}); msg != "" {
			f.errs = append(f.errs, fmt.Sprintf("%q: %s", args[0], msg))
		}
		u, err := units.ParseUnit(strings.TrimSpace(args[1]))
		if err != nil {
			f.errs = append(f.errs, fmt.Sprintf("unit %q: %s", args[1], parseErrorText(err, qkind{})))
		}
		r.To = u
	}
	var msg string
	if r.Round, msg = readRound(*c.round); f.given("round") && msg != "" {
		f.bad("round", *c.round, msg)
	}
	return r
}

func (c *convertCmd) run(_ *Env, r convertRequest) (convertDoc, error) {
	in, to := r.Input, r.To
	var factors []units.Factor
	usage := map[string]string{}
	for _, fl := range convertFactors() {
		e, given := r.Factors[fl.name]
		factors = append(factors, factorOf(fl, e, given))
		usage["--"+fl.name] = fl.usage
	}
	conv, err := in.Quantity.ConvertWith(to, factors...)
	if len(conv.Missing) > 0 || len(conv.Unused) > 0 {
		var errs usageErrors
		for _, name := range conv.Missing {
			errs = append(errs, fmt.Sprintf("converting %s to %s needs %s: %s", in.Quantity.Unit(), to, name, usage[name]))
		}
		for _, name := range conv.Unused {
			errs = append(errs, fmt.Sprintf("%s %q is not used converting %s to %s; leave it out", name, r.Written[strings.TrimPrefix(name, "--")], in.Quantity.Unit(), to))
		}
		return convertDoc{}, errs
	}
	if err != nil {
		var de *units.DimensionError
		if errors.As(err, &de) && de.Ways == nil {
			err = fmt.Errorf("cannot convert %s to %s: %s and %s are different kinds of quantity, and no outside number links them",
				in.Quantity, to, in.Quantity.Dimension(), to.Dimension())
		}
		return convertDoc{}, err
	}
	isTime := to.Dimension() == units.Minute.Dimension()
	var errs usageErrors
	for _, fl := range []string{"start", "elapsed"} {
		if text, given := r.Written[fl]; given && !isTime {
			errs = append(errs, fmt.Sprintf("--%s %q: used only when the result is a duration (a volume at a rate: doseplan convert \"500 mL\" h --rate 125mL/h)", fl, text))
		}
	}
	if r.Round.Step.IsValid() && r.Round.Step.Dimension() != to.Dimension() {
		errs = append(errs, fmt.Sprintf("--round %q: is not a step of the result's kind (%s); e.g. \"1 %s\"", r.Written["round"], to.Dimension(), to))
	}
	if len(errs) > 0 {
		return convertDoc{}, errs
	}
	doc := newConvertDoc(r, conv)
	if r.Round.Step.IsValid() {
		if doc.Rounded, err = roundResult(conv.Result, r.Round); err != nil {
			return convertDoc{}, err
		}
	}
	if isTime && (r.Start != nil || r.Elapsed != nil) {
		if doc.Infusion, err = infusion(in.Quantity, conv, factors, r.Start, r.Elapsed); err != nil {
			return convertDoc{}, err
		}
	}
	return doc, nil
}

func (c *convertCmd) render(e *Env, r convertRequest, doc convertDoc) int {
	return e.output(r.JSON, doc, doc.write)
}

// kConvertConcentration is convert's concentration: a drug mass or units of
// activity in a volume.
func kConvertConcentration() qkind {
	return qkind{what: "a concentration", example: "10 mg/mL", dims: dims(units.MgPerML, units.UnitsPerML)}
}

// kRate is a rate an amount is given at: a pump, dose, drip or activity
// rate. Not a rate per kg: with one, a dose would "convert" to a weight.
func kRate() qkind {
	return qkind{what: "a rate", example: "125 mL/h", dims: dims(units.MLPerHour, units.MgPerHour, units.DropsPerMin, units.UnitsPerHour)}
}

// factorOf is an outside number as a factor: an amount in a volume keeps
// its parts, so that the conversion stays exact; a flag not given offers
// its dimensions, so that a conversion that needs it names it.
func factorOf(fl factorFlag, e units.Entry, given bool) units.Factor {
	f := units.Factor{Name: "--" + fl.name}
	switch {
	case !given:
		f.Dims = fl.kind.dims
	case len(e.Parts) == 2 && e.Parts[0].Dimension() != e.Parts[1].Dimension():
		f.Value, f.Per = e.Parts[0], e.Parts[1]
	default:
		f.Value = e.Quantity
	}
	return f
}

// clock defines a single-valued HH:MM flag.
func (f *flagSet) clock(name, arg, usage string) *schedule.TimeOfDay {
	p := new(schedule.TimeOfDay)
	f.define(name, arg, usage, &funcValue{set: func(s string) {
		if !f.once(name, s) {
			return
		}
		t, err := schedule.ParseTimeOfDay(s)
		if err != nil {
			msg := err.Error()
			var fe *schedule.FieldError
			if errors.As(err, &fe) {
				msg = fe.Msg
			}
			f.bad(name, s, msg)
			return
		}
		*p = t
	}})
	return p
}

// convertStep is one step of a conversion.
type convertStep struct {
	Operation string         `json:"operation"`       // "×", "÷" or "convert"
	Left      units.Quantity `json:"left"`            // the value so far
	Right     units.Quantity `json:"right,omitzero"`  // the outside number; absent for a unit conversion
	Given     string         `json:"given,omitempty"` // the flag the outside number came from
	Why       string         `json:"why,omitempty"`   // what the step does: "cancels per body mass"
	Result    units.Quantity `json:"result"`
	Exact     bool           `json:"exact"` // false: the result does not terminate and is kept at 30 decimal places
}

// convertReading is a flag value (or the input) written otherwise than as
// one quantity, and what it was read as.
type convertReading struct {
	Given string           `json:"given"` // "--concentration", or "input"
	Text  string           `json:"text"`  // "1:1000"
	Parts []units.Quantity `json:"parts"` // ["1 g", "1000 mL"]
	Value units.Quantity   `json:"value"` // "1 mg/mL"
}

// convertRounded is the result rounded for display (--round).
type convertRounded struct {
	Step             units.Quantity     `json:"step"`
	Mode             units.RoundingMode `json:"mode"`
	Value            units.Quantity     `json:"value"`
	Deviation        units.Quantity     `json:"deviation"`
	DeviationPercent units.Quantity     `json:"deviation_percent,omitzero"`
}

// convertInfusion is when an infusion whose duration was converted ends,
// and where it is after a time.
type convertInfusion struct {
	Duration  units.Quantity `json:"duration"`
	Start     string         `json:"start,omitempty"`    // HH:MM
	End       string         `json:"end,omitempty"`      // HH:MM or HH:MM:SS
	EndDays   int            `json:"end_days,omitempty"` // days after the start day
	EndExact  bool           `json:"end_exact"`          // false: rounded to the second
	Elapsed   units.Quantity `json:"elapsed,omitzero"`
	elapsed   string         // as written, when it was a compound ("1 h 30 min")
	runs      string         // the duration in hours, minutes and seconds
	left      string
	Infused   units.Quantity `json:"infused,omitzero"`
	Remaining units.Quantity `json:"remaining,omitzero"`
	TimeLeft  units.Quantity `json:"time_left,omitzero"`
}

// convertDoc is the JSON document of "doseplan convert" (doseplan/convert/v1).
type convertDoc struct {
	Schema   string           `json:"schema"`
	Notice   string           `json:"notice"`
	Input    units.Quantity   `json:"input"`
	Unit     string           `json:"unit"`
	Readings []convertReading `json:"readings,omitempty"`
	Steps    []convertStep    `json:"steps"`
	Result   units.Quantity   `json:"result"`
	Exact    bool             `json:"exact"`
	Display  string           `json:"display"`
	Rounded  *convertRounded  `json:"rounded,omitempty"`
	Infusion *convertInfusion `json:"infusion,omitempty"`
}

func newConvertDoc(r convertRequest, c units.Conversion) convertDoc {
	in, to := r.Input, r.To
	doc := convertDoc{Schema: schemaName("convert"), Notice: dosing.Notice, Input: in.Quantity, Unit: to.String(), Result: c.Result, Exact: c.Exact}
	if in.Parts != nil {
		doc.Readings = append(doc.Readings, convertReading{"input", in.Text, in.Parts, in.Quantity})
	}
	for _, fl := range convertFactors() {
		if e, ok := r.Factors[fl.name]; ok && e.Parts != nil && usedFactor(c, "--"+fl.name) {
			doc.Readings = append(doc.Readings, convertReading{"--" + fl.name, e.Text, e.Parts, e.Quantity})
		}
	}
	left := in.Quantity
	for _, s := range c.Steps {
		st := convertStep{Operation: s.Op, Left: left, Right: s.By, Given: s.Factor, Why: s.Why, Result: s.Result, Exact: s.Exact}
		if s.Op == "=" {
			st.Operation = "convert"
		}
		doc.Steps = append(doc.Steps, st)
		left = s.Result
	}
	doc.Display = show(c.Result)
	if !doc.Exact && !strings.HasPrefix(doc.Display, "≈") {
		doc.Display = "≈ " + doc.Display
	}
	return doc
}

func usedFactor(c units.Conversion, name string) bool {
	for _, s := range c.Steps {
		if s.Factor == name {
			return true
		}
	}
	return false
}

// rounding is a --round value.
type rounding struct {
	Step units.Quantity
	Mode units.RoundingMode
}

// readRound reads STEP[:MODE]; the mode is half_up when left out.
func readRound(s string) (rounding, string) {
	if s == "" {
		return rounding{}, ""
	}
	stepText, modeText, hasMode := strings.Cut(s, ":")
	r := rounding{Mode: units.RoundHalfUp}
	if hasMode {
		m, err := units.ParseRoundingMode(modeText)
		if err != nil {
			return rounding{}, fmt.Sprintf("unknown rounding mode %q (allowed: half_up, half_even, down, up)", modeText)
		}
		r.Mode = m
	}
	q, msg := readQuantity(stepText, qkind{what: "a rounding step", example: "1 gtt/min"})
	switch {
	case msg != "":
		return rounding{}, "the step: " + msg
	case q.Sign() <= 0:
		return rounding{}, "the step must be greater than 0"
	}
	r.Step = q
	return r, ""
}

// roundResult rounds the result for display and states the deviation.
func roundResult(q units.Quantity, r rounding) (*convertRounded, error) {
	v, _, err := q.RoundTo(r.Step, r.Mode)
	if err != nil {
		return nil, err
	}
	out := &convertRounded{Step: r.Step, Mode: r.Mode, Value: v}
	exact, err := q.Convert(v.Unit())
	if err == nil {
		out.Deviation, err = v.Sub(exact)
	}
	if err == nil && q.Sign() != 0 {
		out.DeviationPercent, err = out.Deviation.Div(exact)
	}
	return out, err
}

// infusion is the end of an infusion whose duration is c.Result, given a
// start, and where it is after elapsed: what the rate has delivered by then
// (elapsed × the same factors) and what is left of the input.
func infusion(in units.Quantity, c units.Conversion, factors []units.Factor, start *schedule.TimeOfDay, elapsed *units.Entry) (*convertInfusion, error) {
	out := &convertInfusion{Duration: c.Result}
	// The end to the second, from the exact duration (not the one rounded at
	// 30 places).
	secs, err := in.ConvertWith(units.Second, factors...)
	if err != nil {
		return nil, err
	}
	if out.runs, err = hms(secs.Result, secs.Exact); err != nil {
		return nil, err
	}
	if start != nil {
		whole, _, err := secs.Result.RoundTo(units.NewInt(1, units.Second), units.RoundHalfUp)
		if err != nil {
			return nil, err
		}
		total := whole.Value().Add(decimal.NewFromInt(int64(start.Hour*3600 + start.Minute*60)))
		days, rest := total.QuoRem(decimal.NewFromInt(86400), 0)
		if days.GreaterThan(decimal.NewFromInt(36500)) {
			return nil, fmt.Errorf("the infusion runs %s: too long to give an end time", show(c.Result))
		}
		s := rest.IntPart()
		out.Start = start.String()
		out.End = fmt.Sprintf("%02d:%02d", s/3600, s/60%60)
		if s%60 != 0 {
			out.End += fmt.Sprintf(":%02d", s%60)
		}
		out.EndDays = int(days.IntPart())
		out.EndExact = secs.Exact && whole.Value().Equal(secs.Result.Value())
	}
	if elapsed == nil {
		return out, nil
	}
	out.Elapsed = elapsed.Quantity
	if elapsed.Parts != nil {
		out.elapsed = elapsed.Text
	}
	if elapsed.Quantity.Sign() <= 0 {
		return nil, fmt.Errorf("--elapsed %q must be greater than 0", elapsed.Text)
	}
	if after, err := elapsed.Quantity.Cmp(secs.Result); err != nil || after > 0 {
		return nil, fmt.Errorf("--elapsed %s is after the end of the infusion, which runs %s", show(elapsed.Quantity), out.runs)
	}
	done, err := elapsed.Quantity.ConvertWith(in.Unit(), factors...)
	if err != nil {
		return nil, err
	}
	out.Infused = done.Result
	if out.Remaining, err = in.Sub(done.Result); err != nil {
		return nil, err
	}
	left, err := secs.Result.Sub(elapsed.Quantity)
	if err == nil {
		out.TimeLeft, err = left.Convert(c.Result.Unit())
	}
	if err == nil {
		out.left, err = hms(left, secs.Exact)
	}
	return out, err
}

// hms writes a duration in seconds as hours, minutes and seconds ("4 h 10
// min"), marked ≈ when it is not a whole number of seconds.
func hms(secs units.Quantity, exact bool) (string, error) {
	whole, changed, err := secs.RoundTo(units.NewInt(1, units.Second), units.RoundHalfUp)
	if err != nil {
		return "", err
	}
	n := whole.Value()
	if n.GreaterThan(decimal.NewFromInt(1e12)) {
		return "", fmt.Errorf("a duration of %s is too long to be an infusion", show(secs))
	}
	s := n.IntPart()
	var parts []string
	for _, p := range []struct {
		n    int64
		unit string
	}{{s / 3600, "h"}, {s / 60 % 60, "min"}, {s % 60, "s"}} {
		if p.n != 0 {
			parts = append(parts, strconv.FormatInt(p.n, 10)+" "+p.unit)
		}
	}
	if len(parts) == 0 {
		parts = []string{"0 s"}
	}
	text := strings.Join(parts, " ")
	if changed || !exact {
		text = "≈ " + text
	}
	return text, nil
}

// write writes the conversion for people.
func (d convertDoc) write(w io.Writer) error {
	for _, r := range d.Readings {
		label := r.Given + ": "
		if r.Given == "input" {
			label = ""
		}
		reading := r.Text
		if partsText(r.Parts, false) != r.Text {
			reading += " = " + partsText(r.Parts, true)
		}
		fmt.Fprintf(w, "%s%s = %s\n", label, reading, show(r.Value))
	}
	if len(d.Steps) > 1 || d.Steps[0].Operation != "convert" {
		for _, s := range d.Steps {
			if s.Operation == "convert" {
				fmt.Fprintf(w, "%s = %s\n", show(s.Left), show(s.Result))
				continue
			}
			res := show(s.Result)
			if !s.Exact && !strings.HasPrefix(res, "≈") {
				res = "≈ " + res
			}
			fmt.Fprintf(w, "%s %s %s = %s   (%s: %s)\n", show(s.Left), s.Operation, show(s.Right), res, s.Given, s.Why)
		}
		fmt.Fprintln(w)
	} else if len(d.Readings) > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%s = %s\n", show(d.Input), d.Display)
	if strings.HasPrefix(d.Display, "≈") {
		if d.Exact {
			fmt.Fprintf(w, "exact: %s\n", d.Result)
		} else {
			fmt.Fprintln(w, "(not exact: the value does not terminate within 30 decimal places; shown to four)")
		}
	}
	if r := d.Rounded; r != nil {
		dev := signed(r.Deviation)
		if r.DeviationPercent.IsValid() {
			dev += ", " + signed(r.DeviationPercent)
		}
		fmt.Fprintf(w, "rounded to %s (%s): %s (%s)\n", show(r.Step), r.Mode, show(r.Value), dev)
	}
	if in := d.Infusion; in != nil {
		if in.Start != "" {
			end := in.End
			if !in.EndExact {
				end = "≈ " + end + " (to the second)"
			}
			switch in.EndDays {
			case 0:
			case 1:
				end += " the next day"
			default:
				end += fmt.Sprintf(" %d days later", in.EndDays)
			}
			fmt.Fprintf(w, "starts %s, runs %s, ends %s\n", in.Start, in.runs, end)
		}
		if in.Elapsed.IsValid() {
			after := show(in.Elapsed)
			if in.elapsed != "" {
				after = in.elapsed + " (" + after + ")"
			}
			fmt.Fprintf(w, "after %s: %s infused, %s left, %s to go (of %s)\n", after, show(in.Infused), show(in.Remaining), in.left, in.runs)
		}
	}
	fmt.Fprintf(w, "\n%s\n", d.Notice)
	return nil
}

// partsText writes the parts of a reading ("5 ft 10 in", "1 g in 100 mL"),
// for display or in the canonical form units.Entry.Text has.
func partsText(parts []units.Quantity, display bool) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = p.Text()
		if display {
			s[i] = p.String()
		}
	}
	if len(parts) == 2 && parts[0].Dimension() != parts[1].Dimension() {
		return s[0] + " in " + s[1]
	}
	return strings.Join(s, " ")
}

// signed shows a deviation with its sign ("+0.25 gtt/min", "−1.3333 %");
// zero has none.
func signed(q units.Quantity) string {
	s := strings.TrimPrefix(show(q.Abs()), "≈ ")
	approx := s != show(q.Abs())
	switch {
	case q.Sign() < 0:
		s = "−" + s
	case q.Sign() > 0:
		s = "+" + s
	}
	if approx {
		s = "≈ " + s
	}
	return s
}
