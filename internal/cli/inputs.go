package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// patientFlags are the flags that describe a patient.
type patientFlags struct {
	weight *units.Quantity
	height *units.Quantity
	sex    *string
	birth  *schedule.Date
	asOf   *schedule.Date
	age    *int
}

// patientFlags defines --weight (required), --height, --sex, --birth-date
// and --as-of, or --age. With asOfDefault, --birth-date may come without
// --as-of (the caller supplies the date, e.g. the plan's start).
func (f *flagSet) patientFlags(asOfDefault string) *patientFlags {
	f.heading("Patient")
	p := &patientFlags{
		weight: f.quantity("weight", "W", `body weight with its unit: 80kg, "80 kg", 176lb`, kWeight()),
		height: f.quantity("height", "H", "height with its unit: 175cm, 1.75m, 69in, 5ft9in", kHeight()),
	}
	p.sex = f.str("sex", "male|female", "sex, for the sex-specific formulas (ideal and lean body weight)")
	p.birth = f.date("birth-date", "birth date, to state the age (needs --as-of"+asOfDefault+")")
	p.asOf = f.date("as-of", "the date the age is computed for; the clock is never read")
	p.age = f.integer("age", "N", "age in completed years, instead of --birth-date (an age under one year needs the birth date)", 1, 130)
	f.require("weight")
	return p
}

// patient returns the patient the flags describe, or usage errors.
func (p *patientFlags) patient(f *flagSet, asOf schedule.Date) (dosing.Patient, bool) {
	pt := dosing.Patient{Weight: *p.weight, Height: *p.height}
	ok := true
	switch s := strings.ToLower(*p.sex); s {
	case "":
	case "male":
		pt.Sex = dosing.Male
	case "female":
		pt.Sex = dosing.Female
	default:
		f.bad("sex", *p.sex, "must be male or female")
		ok = false
	}
	if !p.asOf.IsZero() {
		asOf = *p.asOf
	}
	if f.given("birth-date") && p.birth.IsZero() || f.given("as-of") && p.asOf.IsZero() {
		return pt, false // unreadable; already reported
	}
	if f.given("age") && (f.given("birth-date") || f.given("as-of")) {
		f.errs = append(f.errs, "--age and --birth-date/--as-of both state the age; give one")
		return pt, false
	}
	pt.AgeYears = dosing.Years(*p.age)
	if !p.birth.IsZero() {
		if asOf.IsZero() {
			f.errs = append(f.errs, fmt.Sprintf("--birth-date %q needs --as-of YYYY-MM-DD, the date the age is computed for", p.birth.String()))
			ok = false
		}
		pt.BirthDate, pt.AsOf = midnight(*p.birth), midnight(asOf)
	} else if f.given("as-of") {
		f.errs = append(f.errs, fmt.Sprintf("--as-of %q is only used with --birth-date", p.asOf.String()))
		ok = false
	}
	return pt, ok
}

func midnight(d schedule.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// protocolFlag defines --protocol (required).
func (f *flagSet) protocolFlag() *string {
	f.heading("Protocol")
	p := f.str("protocol", "P", `the protocol: a YAML or JSON file, "-" for standard input, or example:NAME (see "doseplan protocols")`)
	f.require("protocol")
	return p
}

// readProtocol returns the bytes of a protocol named on the command line: a
// file, "-" for stdin, or example:NAME.
func (e *Env) readProtocol(src string) ([]byte, error) {
	if name, ok := strings.CutPrefix(src, "example:"); ok {
		return protocols.Read(name)
	}
	var r io.Reader
	if src == "-" {
		r = e.Stdin
	} else {
		e.inputs.add(FileInput{Flag: "protocol", Name: src})
		f, err := e.Open(src)
		if err != nil {
			return nil, fmt.Errorf("protocol %q: %w", src, unwrapPath(err))
		}
		defer f.Close()
		r = f
	}
	// One byte more than the library accepts, so that it reports the size.
	b, err := io.ReadAll(io.LimitReader(r, schedule.MaxDocumentBytes+1))
	if err != nil {
		return nil, fmt.Errorf("protocol %q: %w", src, err)
	}
	return b, nil
}

// loadProtocol reads and validates a protocol; every problem of the document
// is an error line naming the protocol and the field.
func (e *Env) loadProtocol(src string) (*schedule.Protocol, error) {
	if c := e.protocols; c != nil {
		c.mu.Lock()
		defer c.mu.Unlock()
		l, ok := c.m[src]
		if !ok {
			l.p, l.err = e.readAndLoadProtocol(src)
			c.m[src] = l
		}
		return l.p, l.err
	}
	return e.readAndLoadProtocol(src)
}

func (e *Env) readAndLoadProtocol(src string) (*schedule.Protocol, error) {
	b, err := e.readProtocol(src)
	if err != nil {
		return nil, err
	}
	p, err := schedule.LoadProtocol(b)
	if err != nil {
		return nil, fmt.Errorf("protocol %q: %w", src, err)
	}
	return p, nil
}

// ackFlags are --ack KEY=REASON (repeatable) and --ack-by NAME.
type ackFlags struct {
	raw *[]string
	by  *string
}

func (f *flagSet) ackFlags() *ackFlags {
	f.heading("Acknowledgements")
	return &ackFlags{
		raw: f.list("ack", "KEY=REASON", `acknowledge the review warning KEY (e.g. dose_per_kg.soft_max) with a reason; repeatable; recorded in the output`, false),
		by:  f.str("ack-by", "NAME", "who acknowledges, recorded with each --ack"),
	}
}

// acks returns the acknowledgements, or records usage errors.
func (a *ackFlags) acks(f *flagSet) []dosing.Ack {
	var out []dosing.Ack
	for _, s := range *a.raw {
		key, reason, ok := strings.Cut(s, "=")
		key, reason = strings.TrimSpace(key), strings.TrimSpace(reason)
		if !ok || key == "" || reason == "" {
			f.bad("ack", s, `write KEY=REASON, e.g. --ack "dose_per_kg.soft_max=tolerated 0.75 mg/kg at session 3"`)
			continue
		}
		out = append(out, dosing.Ack{Key: key, Reason: reason, By: *a.by})
	}
	if *a.by != "" && len(*a.raw) == 0 {
		f.errs = append(f.errs, fmt.Sprintf("--ack-by %q is only used with --ack", *a.by))
	}
	return out
}

// unmatchedAcks returns the acknowledgement keys no warning has.
func unmatchedAcks(acks []dosing.Ack, warnings []dosing.Warning) []string {
	var out []string
	for _, a := range acks {
		found := false
		for _, w := range warnings {
			if w.Key == a.Key {
				found = true
				break
			}
		}
		if !found {
			out = append(out, a.Key)
		}
	}
	return out
}

// noteUnmatched tells on stderr about acknowledgements that match no
// warning, so that a mistyped key is seen.
func (e *Env) noteUnmatched(keys []string, warnings []dosing.Warning) {
	var have []string
	for _, w := range warnings {
		if w.Severity == dosing.Review {
			have = append(have, w.Key)
		}
	}
	list := "there are no review warnings"
	if len(have) > 0 {
		list = "the review warnings are " + strings.Join(have, ", ")
	}
	for _, k := range keys {
		fmt.Fprintf(e.Stderr, "doseplan: note: --ack %s matches no warning (%s)\n", strconv.Quote(k), list)
	}
}

// reportReview lists the unacknowledged review warnings on stderr, each
// with the flag that acknowledges it, and returns exitReview; it returns
// exitOK when there are none.
func (e *Env) reportReview(ws []dosing.Warning, where string) int {
	if len(ws) == 0 {
		return exitOK
	}
	for _, w := range ws {
		fmt.Fprintf(e.Stderr, "doseplan: %swarning %s needs review: %s; acknowledge with --ack %q\n", where, w.Key, w.Message, w.Key+"=REASON")
	}
	return exitReview
}
