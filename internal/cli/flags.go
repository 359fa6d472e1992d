package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// flagSet is a flag.FlagSet (ContinueOnError, its own messages to stderr)
// with doseplan's conventions:
//
//   - flags are written --name value or --name=value, before, between or
//     after the positional arguments;
//   - a value that cannot be read (a quantity without a unit, a date that is
//     not YYYY-MM-DD) is recorded and parsing goes on, so that every bad flag
//     is reported at once, each on a line naming the flag and quoting the value;
//   - a single-valued flag given twice is an error, never "the last one wins";
//   - help lists the flags in the order they were defined, under headings.
type flagSet struct {
	fs       *flag.FlagSet
	cmd      string
	errs     []string   // usage errors found while parsing values, one line each
	help     []flagHelp // in definition order, with group headings
	required []string   // flag names that must be given
	seen     map[string]string
	kinds    map[string]qkind // quantity flags, to suggest the right flag for a value
}

// flagHelp is one line of a command's flag list, or a heading (name "").
type flagHelp struct {
	name, arg, usage, heading string
	repeat                    bool // a list flag: given once per value
}

func newFlagSet(cmd string, stderr io.Writer) *flagSet {
	fs := flag.NewFlagSet("doseplan "+cmd, flag.ContinueOnError)
	f := &flagSet{fs: fs, cmd: cmd, seen: map[string]string{}, kinds: map[string]qkind{}}
	fs.SetOutput(errorWriter{w: stderr, f: f})
	fs.Usage = func() {} // help is doseplan's own ("doseplan help CMD")
	return f
}

// errorWriter writes the flag package's own messages as doseplan errors:
// "flag provided but not defined: -wieght" becomes "unknown flag --wieght
// (did you mean --weight?)".
type errorWriter struct {
	w io.Writer
	f *flagSet
}

func (e errorWriter) Write(b []byte) (int, error) {
	s := strings.TrimSuffix(string(b), "\n")
	for _, l := range strings.Split(s, "\n") {
		if name, ok := strings.CutPrefix(l, "flag provided but not defined: -"); ok {
			l = "unknown flag --" + name
			if near := e.f.nearest(name); near != "" {
				l += " (did you mean --" + near + "?)"
			}
		}
		if _, err := io.WriteString(e.w, "doseplan: "+l+"\n"); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// nearest returns the defined flag closest to name, if one is close: at
// most two edits away, or name is its prefix.
func (f *flagSet) nearest(name string) string {
	best, dist := "", 3
	for _, h := range f.help {
		if h.name == "" {
			continue
		}
		if strings.HasPrefix(h.name, name) && len(name) >= 3 {
			return h.name
		}
		if d := editDistance(name, h.name); d < dist {
			best, dist = h.name, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (f *flagSet) heading(h string) { f.help = append(f.help, flagHelp{heading: h}) }

func (f *flagSet) define(name, arg, usage string, v flag.Value) {
	f.fs.Var(v, name, usage)
	f.help = append(f.help, flagHelp{name: name, arg: arg, usage: usage})
}

// require marks flags that must be given.
func (f *flagSet) require(names ...string) { f.required = append(f.required, names...) }

// optional undoes require for the named flags, for a command that needs
// less than the flags it shares with others (body: no weight for the ideal
// body weight).
func (f *flagSet) optional(names ...string) {
	f.required = slices.DeleteFunc(f.required, func(n string) bool { return slices.Contains(names, n) })
}

// bad records a usage error about a flag value.
func (f *flagSet) bad(name, value, msg string) {
	f.errs = append(f.errs, fmt.Sprintf("--%s %q: %s", name, value, msg))
}

// once records a flag's value and refuses a second one.
func (f *flagSet) once(name, value string) bool {
	if prev, ok := f.seen[name]; ok {
		f.errs = append(f.errs, fmt.Sprintf("--%s given twice (%q and %q); give it once", name, prev, value))
		return false
	}
	f.seen[name] = value
	return true
}

// given reports whether the flag was on the command line.
func (f *flagSet) given(name string) bool {
	_, ok := f.seen[name]
	return ok
}

// parse parses args, which may mix flags and positional arguments ("--"
// ends the flags), and returns the positional arguments. The error is
// flag.ErrHelp for -h or --help, or the flag package's error (already
// written to stderr); value errors and missing required flags are in f.errs.
func (f *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.fs.Parse(args); err != nil {
			return nil, err
		}
		rest := f.fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	for _, name := range f.required {
		if !f.given(name) {
			f.errs = append(f.errs, "--"+name+" is required: "+f.fs.Lookup(name).Usage)
		}
	}
	return pos, nil
}

// funcValue is a flag.Value whose Set never fails: it records problems in
// the flagSet instead, so parsing goes on and every bad flag is reported.
type funcValue struct {
	text string
	set  func(string)
}

func (v *funcValue) String() string     { return v.text }
func (v *funcValue) Set(s string) error { v.text = s; v.set(s); return nil }

// str defines a single-valued string flag; an empty value is an error.
func (f *flagSet) str(name, arg, usage string) *string {
	p := new(string)
	f.define(name, arg, usage, &funcValue{set: func(s string) {
		switch {
		case !f.once(name, s):
		case strings.TrimSpace(s) == "":
			f.bad(name, s, "is empty")
		default:
			*p = s
		}
	}})
	return p
}

// list defines a repeatable string flag; each value may also be a
// comma-separated list when split is set.
func (f *flagSet) list(name, arg, usage string, split bool) *[]string {
	p := new([]string)
	f.define(name, arg, usage, &funcValue{set: func(s string) {
		f.seen[name] = s
		if !split {
			*p = append(*p, s)
			return
		}
		for _, part := range strings.Split(s, ",") {
			*p = append(*p, strings.TrimSpace(part))
		}
	}})
	f.help[len(f.help)-1].repeat = true
	return p
}

// boolValue is a single-valued boolean flag (--json, --json=false).
type boolValue struct {
	f    *flagSet
	name string
	p    *bool
}

func (v *boolValue) String() string   { return "false" }
func (v *boolValue) IsBoolFlag() bool { return true }
func (v *boolValue) Set(s string) error {
	if !v.f.once(v.name, s) {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		v.f.bad(v.name, s, "is not true or false")
		return nil
	}
	*v.p = b
	return nil
}

func (f *flagSet) boolean(name, usage string) *bool {
	p := new(bool)
	f.define(name, "", usage, &boolValue{f: f, name: name, p: p})
	return p
}

// integer defines a single-valued whole-number flag between lo and hi.
func (f *flagSet) integer(name, arg, usage string, lo, hi int) *int {
	p := new(int)
	f.define(name, arg, usage, &funcValue{set: func(s string) {
		if !f.once(name, s) {
			return
		}
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			f.bad(name, s, "is not a whole number")
		case n < lo || n > hi:
			f.bad(name, s, fmt.Sprintf("is out of range (must be %d to %d)", lo, hi))
		default:
			*p = n
		}
	}})
	return p
}

// qkind says what a quantity flag accepts.
type qkind struct {
	what    string            // "a body weight", for messages
	example string            // "80 kg", for messages
	dims    []units.Dimension // accepted dimensions
}

func dims(us ...units.Unit) []units.Dimension {
	ds := make([]units.Dimension, len(us))
	for i, u := range us {
		ds[i] = u.Dimension()
	}
	return ds
}

// The quantity kinds of doseplan's flags, one function each so that no
// table is package state.
func kWeight() qkind {
	return qkind{what: "a body weight", example: "80 kg", dims: dims(units.Kilogram)}
}

func kHeight() qkind {
	return qkind{what: "a height", example: "175 cm", dims: dims(units.Centimeter)}
}

func kDuration() qkind {
	return qkind{what: "a duration", example: "40 min", dims: dims(units.Minute)}
}

func kDropFactor() qkind {
	return qkind{what: "a drop factor", example: "20 gtt/mL", dims: dims(units.DropsPerML)}
}

func kPercent() qkind {
	return qkind{what: "a percentage", example: "5 %", dims: dims(units.Percent)}
}

func kNgPerML() qkind {
	return qkind{what: "a plasma concentration", example: "100 ng/mL", dims: dims(units.NgPerML)}
}

func kAmount() qkind {
	return qkind{what: "a dose or a dose per kg", example: "0.5 mg/kg", dims: dims(units.Milligram, units.MgPerKg)}
}

func kDoseLevel() qkind {
	return qkind{what: "a dose of the protocol's kind", example: "0.6 mg/kg", dims: dims(units.Milligram, units.MgPerKg, units.MgPerM2, units.MgPerHour, units.MgPerKgPerHour,
		units.ActivityUnit, units.UnitsPerKg, units.UnitsPerM2, units.UnitsPerHour, units.UnitsPerKgPerHour)}
}

func (k qkind) accepts(d units.Dimension) bool {
	if k.dims == nil {
		return true
	}
	for _, x := range k.dims {
		if x == d {
			return true
		}
	}
	return false
}

// quantity defines a single-valued quantity flag of the given kind.
func (f *flagSet) quantity(name, arg, usage string, k qkind) *units.Quantity {
	return &f.entry(name, arg, usage, k).Quantity
}

// entry defines a single-valued quantity flag of the given kind that keeps
// how the value was written ("5ft10in", "250 mg in 500 mL", "1:1000").
func (f *flagSet) entry(name, arg, usage string, k qkind) *units.Entry {
	p := new(units.Entry)
	f.kinds[name] = k
	f.define(name, arg, usage, &funcValue{set: func(s string) {
		if !f.once(name, s) {
			return
		}
		e, msg := readEntry(s, k)
		if msg == "" && !k.accepts(e.Quantity.Dimension()) {
			msg = "is not " + k.what + " (write e.g. " + strconv.Quote(k.example) + ")"
			if other := f.flagFor(name, e.Quantity.Dimension()); other != "" {
				msg += "; for " + f.kinds[other].what + " use --" + other
			}
			if e.Quantity.Unit() == units.Percent && k.accepts(units.MgPerML.Dimension()) {
				msg += `; a percent strength is weight in volume, written "1 % w/v" (1 g in 100 mL)`
			}
		}
		if msg != "" {
			f.bad(name, s, msg)
			return
		}
		*p = e
	}})
	return p
}

// flagFor names another quantity flag of the command that takes values of
// dimension d, if exactly one does.
func (f *flagSet) flagFor(except string, d units.Dimension) string {
	found := ""
	for _, h := range f.help {
		k, ok := f.kinds[h.name]
		if !ok || h.name == except || k.dims == nil || !k.accepts(d) {
			continue
		}
		if found != "" {
			return ""
		}
		found = h.name
	}
	return found
}

// readQuantity parses a quantity flag value and returns a message (without
// the flag) when it cannot be read.
func readQuantity(s string, k qkind) (units.Quantity, string) {
	e, msg := readEntry(s, k)
	return e.Quantity, msg
}

// readEntry reads a quantity as people write it (units.ParseEntry: also
// "5ft10in", "7 lb 4 oz", "4h30min", "250 mg in 500 mL", "1 % w/v",
// "1:1000") and returns a message (without the flag) when it cannot be read.
func readEntry(s string, k qkind) (units.Entry, string) {
	e, err := units.ParseEntry(s)
	if err != nil {
		return units.Entry{}, parseErrorText(err, k)
	}
	return e, ""
}

// parseErrorText is a units parse error as a flag's message, without the
// flag: what is wrong, then what to write instead: the parser's fix, or for
// a number without its unit, k with an example (none when k says nothing).
func parseErrorText(err error, k qkind) string {
	var pe *units.ParseError
	if !errors.As(err, &pe) {
		return err.Error()
	}
	switch {
	case pe.Fix != "":
		return pe.Msg + "; write " + strconv.Quote(pe.Fix)
	case errors.Is(err, units.ErrMissingUnit) && k.what != "":
		return pe.Msg + "; write " + k.what + " with its unit, e.g. " + strconv.Quote(k.example)
	}
	return pe.Msg
}

// isNumber reports whether s is digits with at most a decimal point in them.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' {
			return false
		}
	}
	return true
}

// date defines a single-valued YYYY-MM-DD flag.
func (f *flagSet) date(name, usage string) *schedule.Date {
	p := new(schedule.Date)
	f.define(name, "YYYY-MM-DD", usage, &funcValue{set: func(s string) {
		if !f.once(name, s) {
			return
		}
		d, msg := readDate(s)
		if msg != "" {
			f.bad(name, s, msg)
			return
		}
		*p = d
	}})
	return p
}

func readDate(s string) (schedule.Date, string) {
	d, err := schedule.ParseDate(s)
	if err != nil {
		var fe *schedule.FieldError
		if errors.As(err, &fe) {
			return d, fe.Msg
		}
		return d, err.Error()
	}
	return d, ""
}

// zone defines a single-valued IANA time zone flag.
func (f *flagSet) zone(name, usage string) *string {
	p := new(string)
	f.define(name, "ZONE", usage, &funcValue{set: func(s string) {
		if !f.once(name, s) {
			return
		}
		switch {
		case s == "" || s == "Local":
			f.bad(name, s, `is not an IANA time zone name (e.g. "America/New_York", "Europe/Berlin", "UTC")`)
		case !validZone(s):
			f.bad(name, s, `is not a known IANA time zone (e.g. "America/New_York", "Europe/Berlin", "UTC")`)
		default:
			*p = s
		}
	}})
	return p
}

func validZone(s string) bool {
	_, err := time.LoadLocation(s)
	return err == nil
}
