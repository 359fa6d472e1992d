package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// orderFlag is a check flag: the order field it sets (and whose tolerance
// --tolerance names by the flag's name), with the CLI's wording for it.
type orderFlag struct {
	field            dosing.OrderField
	name, arg, usage string
	kind             qkind
}

// orderWords is the CLI's wording of an order field's flag: its argument
// and help, and what it takes and an example, for errors.
type orderWords struct{ arg, usage, what, example string }

// orderFlagWords is the wording of each order field's flag, keyed by the
// field's name in package dosing, which owns the fields, their order and
// their dimensions (TestOrderFlags: one row per field).
func orderFlagWords() map[string]orderWords {
	return map[string]orderWords{
		"dose":                {"D", "the dose ordered: 40mg", "a drug amount", "40 mg"},
		"dose_per_kg":         {"D", "the dose per kg ordered: 0.5mg/kg", "a dose per kg", "0.5 mg/kg"},
		"dose_per_day":        {"D", "the dose per day ordered, for a protocol with doses per day: 400mg/day (--dose is then each dose)", "a dose per day", "400 mg/day"},
		"dose_per_kg_per_day": {"D", "the dose per kg per day ordered: 40mg/kg/day", "a dose per kg per day", "40 mg/kg/day"},
		"weight":              {"W", "the dosing weight the order was written on (the patient's is --weight)", "a body weight", "80 kg"},
		"stock":               {"C", "the stock (vial) concentration used: 10mg/mL", "a concentration", "10 mg/mL"},
		"draw_volume":         {"V", "the volume drawn from the vial: 4mL", "a volume", "104 mL"},
		"final_volume":        {"V", "the final volume of the bag or syringe: 104mL", "a volume", "104 mL"},
		"final_concentration": {"C", "the final concentration: 0.3846mg/mL", "a concentration", "10 mg/mL"},
		"pump_rate":           {"R", "the pump rate: 156mL/h", "a pump rate", "156 mL/h"},
		"duration":            {"T", "the infusion duration: 40min", "a duration", "40 min"},
		"dose_rate":           {"R", "the dose rate: 60mg/h", "a dose rate", "60 mg/h"},
		"dose_rate_per_kg":    {"R", "the dose rate per kg: 0.75mg/kg/h or 12.5mcg/kg/min", "a dose rate per kg", "0.75 mg/kg/h"},
		"drip_rate":           {"R", "the gravity drip rate: 52gtt/min (with --drop-factor)", "a drip rate", "26 gtt/min"},
		"drop_factor":         {"F", "the IV set's drop factor: 20gtt/mL (with --drip-rate)", "a drop factor", "20 gtt/mL"},
		"count":               {"N", `the number of dose forms: "2 devices"`, "a number of dose forms", "2 devices"},
	}
}

// orderFlagName is the flag of the order field named name ("dose_per_kg"
// is --dose-per-kg); the order's weight is --order-weight, the patient's
// being --weight.
func orderFlagName(name string) string {
	if name == "weight" {
		return "order-weight"
	}
	return strings.ReplaceAll(name, "_", "-")
}

// orderFlags lists the order's fields in the order the help shows them:
// dosing's.
func orderFlags() []orderFlag {
	words := orderFlagWords()
	var out []orderFlag
	for _, fd := range dosing.OrderFields() {
		w := words[fd.Name()]
		out = append(out, orderFlag{field: fd, name: orderFlagName(fd.Name()), arg: w.arg, usage: w.usage,
			kind: qkind{what: w.what, example: w.example, dims: fd.Dimensions()}})
	}
	return out
}

func checkCommand() command {
	return command{
		name:     "check",
		summary:  "verify an order as written against the protocol and the patient",
		synopsis: "doseplan check --protocol P --weight W [patient flags] ORDER FLAGS... [--level N] [--tolerance FIELD=PCT]... [--json]\n       doseplan check [--protocol P] [shared flags] --batch orders.csv [--json]",
		about: `A pharmacist's independent double check of an order. Give the patient and
the values the order states, each with the unit it was written in (40mcg is
0.04 mg, never 40 mg); doseplan recomputes the dose from the protocol,
compares each value with the expected one within a tolerance, tests the
order's own arithmetic (volume × concentration = dose, rate × duration =
volume, …), and names the likely cause of each mismatch where the numbers
point to one: a tenfold error, mg and mcg swapped, pounds used as kilograms,
per minute read per hour, the wrong vial, the wrong dosing weight, a decimal
slip in the pump rate.

It also works out what the order as written gives the patient, in the
patient's terms: every dose and rate it states or implies (volume drawn ×
stock, final volume × concentration, devices × strength, pump rate ×
concentration, a dose rate over the duration, the pump's run time), in mg and
mg/kg of the dosing weight, mg/h and mg/kg/h (units, units/kg, units/h for a
protocol in units, where an order in mg is refused by name), each checked
against the protocol's caps and hard and soft limits. For a protocol with doses
per day, --dose is each dose and --dose-per-day the day's total: each dose ×
the doses per day is checked against the cap and limits per day, and a dose
per day written as each dose is named. A value beyond a hard limit or cap
is the first line of the verdict ("as written this order gives 200 mg
(2.5 mg/kg) …: above the hard maximum 100 mg") and the order does not match.

The default tolerance is 5 % for calculated values (room for a syringe
graduation or a pump step) and 0 % for what is read off a product (stock
concentration, drop factor, number of devices); --tolerance pump-rate=2%
changes one, up to 20 %. The order is for the protocol's first dose level unless
--level says otherwise. check exits 5 when the order does not match, or when
nothing could be compared.

--batch FILE checks every order of a CSV file: a header naming the columns,
each a flag of check without its dashes (weight, height, sex, age, dose,
dose-per-kg, stock, draw-volume, final-volume, pump-rate, duration, count,
level, protocol…) or id, then one order a row, each cell written as on the
flag (80kg, "176 lb", 40mg, 156mL/h); an empty cell is a flag not given, and
the flags on the command line apply to every row. It prints one row per order
(its line, id, status, result and the likely cause or the reason) and a
summary; with --json, one JSON line per order and a summary line (schema
doseplan/check-batch/v1). A row that cannot be read is reported with its line
number and the others still run. The exit code is the first that applies of 1
(a row refused), 3 (a hard limit), 5 (an order not confirmed) and 4 (a
warning to review), else 0: every order confirmed.`,
		examples: []string{
			"doseplan check --protocol example:iv-ketamine-trd --weight 80kg --height 175cm --sex male --age 45 --dose 40mg --draw-volume 4mL --pump-rate 156mL/h",
			"doseplan check --protocol clinic.yaml --weight 176lb --dose 400mg --stock 10mg/mL --draw-volume 40mL",
			"doseplan check --protocol example:iv-ketamine-trd --batch orders.csv --json",
			"doseplan check --protocol heparin-clinic.yaml --weight 75kg --age 60 --dose-rate 1350units/h --pump-rate 13.5mL/h",
			"doseplan check --protocol amoxicillin.yaml --weight 22lb --age 1 --dose 200mg --dose-per-day 400mg/day",
		},
		exits: "0 the order matches; 1 input or protocol error; 2 usage error; 3 the protocol's own dose is refused by a hard limit; 4 it matches but the protocol's warnings need --ack; 5 mismatch, or nothing compared",
		steps: func() steps { return typed[checkRequest, checkResponse]{new(checkCmd)} },
		batch: checkBatch,
	}
}

// checkCmd is "doseplan check": its flags, and its steps.
type checkCmd struct {
	protocol   *string
	patient    *patientFlags
	orderFlags []orderFlag
	order      []*units.Quantity // by orderFlags
	level      *int
	tolerances *[]string
	acks       *ackFlags
	asJSON     *bool
}

// checkRequest is a check command line, read.
type checkRequest struct {
	Output
	Protocol   string
	Patient    dosing.Patient
	Order      dosing.Order
	Level      int // --level, from 1; 0 when not given
	Tolerances dosing.Tolerances
	Acks       []dosing.Ack
}

// checkResponse is the check's document.
type checkResponse struct{ doc checkDoc }

func (c *checkCmd) define(f *flagSet) {
	c.protocol = f.protocolFlag()
	c.patient = f.patientFlags("")
	f.heading("Order (each value with the unit it was written in)")
	if c.orderFlags == nil { // a batch makes them once for all its rows
		c.orderFlags = orderFlags()
	}
	for _, of := range c.orderFlags {
		c.order = append(c.order, f.quantity(of.name, of.arg, of.usage, of.kind))
	}
	f.heading("Check")
	c.level = f.integer("level", "N", "the titration level the order is for: 1 is the first", 1, 1000)
	c.tolerances = f.list("tolerance", "FIELD=PCT", "the tolerance for one order field, e.g. pump-rate=2% (0 % to 20 %); repeatable", false)
	c.acks = f.ackFlags()
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/check/v1) instead of the worksheet")
}

func (c *checkCmd) parse(f *flagSet, args []string) checkRequest {
	r := checkRequest{Output: Output{JSON: *c.asJSON}, Protocol: *c.protocol, Level: *c.level}
	r.Patient, _ = c.patient.patient(f, schedule.Date{})
	r.Acks = c.acks.acks(f)
	given := 0
	for i, of := range c.orderFlags {
		if f.given(of.name) {
			of.field.Set(&r.Order, *c.order[i])
			given++
		}
	}
	if given == 0 {
		var names []string
		for _, of := range c.orderFlags {
			names = append(names, "--"+of.name)
		}
		f.errs = append(f.errs, "give at least one value of the order to check: "+strings.Join(names, ", "))
	}
	for _, t := range *c.tolerances {
		readTolerance(f, t, c.orderFlags, &r.Tolerances)
	}
	noArgs(f, args)
	return r
}

func (c *checkCmd) run(e *Env, r checkRequest) (checkResponse, error) {
	p, choice, err := e.protocolAt(r.Protocol, r.Level, units.Quantity{})
	if err != nil {
		return checkResponse{}, err
	}
	// The protocol's check_tolerances apply where --tolerance sets none.
	res, err := p.Check(r.Order, r.Patient, dosing.CheckOptions{
		Options: dosing.Options{Dose: choice.dose, Acks: r.Acks}, Tolerances: r.Tolerances})
	if err != nil {
		return checkResponse{}, err
	}
	return checkResponse{doc: checkDoc{
		Schema:         schemaName("check"),
		Notice:         dosing.Notice,
		TitrationLevel: choice.level,
		Notes:          choice.notes,
		Findings:       findingsOrEmpty(p.Findings()),
		Matches:        res.Matches(),
		NeedsReview:    res.Expected.NeedsReview(),
		UnmatchedAcks:  unmatchedAcks(r.Acks, res.Expected.Warnings),
		Check:          res,
	}}, nil
}

func (c *checkCmd) render(e *Env, r checkRequest, resp checkResponse) int {
	doc := resp.doc
	if code := e.output(r.JSON, doc, func(w io.Writer) error {
		writeNotes(w, doc.Notes, doc.Findings)
		return doc.Check.WriteWorksheet(w)
	}); code != exitOK {
		return code
	}
	e.noteUnmatched(doc.UnmatchedAcks, doc.Check.Expected.Warnings)
	if !doc.Matches {
		fmt.Fprintf(e.Stderr, "doseplan: check: %s\n", mismatchLine(doc.Check))
		return exitMismatch
	}
	return e.reportReview(doc.Check.Expected.Unacknowledged(), "protocol ")
}

// checkDoc is the JSON document of "doseplan check" (doseplan/check/v1).
type checkDoc struct {
	Schema         string             `json:"schema"`
	Notice         string             `json:"notice"`
	TitrationLevel int                `json:"titration_level,omitempty"`
	Notes          []string           `json:"notes"`
	Findings       []schedule.Finding `json:"protocol_findings"`
	Matches        bool               `json:"matches"`
	NeedsReview    bool               `json:"needs_review"`
	UnmatchedAcks  []string           `json:"unmatched_acks,omitempty"`
	Check          dosing.CheckResult `json:"check"`
}

// readTolerance reads --tolerance FIELD=PCT, FIELD being a check flag name.
func readTolerance(f *flagSet, s string, ofs []orderFlag, tol *dosing.Tolerances) {
	name, pct, ok := strings.Cut(s, "=")
	name = strings.ReplaceAll(strings.TrimPrefix(strings.TrimSpace(name), "--"), "_", "-")
	var of *orderFlag
	for i := range ofs {
		if ofs[i].name == name {
			of = &ofs[i]
		}
	}
	if !ok || of == nil {
		var names []string
		for _, o := range ofs {
			names = append(names, o.name)
		}
		f.bad("tolerance", s, "write FIELD=PCT, e.g. pump-rate=2%, with FIELD one of "+strings.Join(names, ", "))
		return
	}
	q, msg := readQuantity(strings.TrimSpace(pct), kPercent())
	if msg == "" && !kPercent().accepts(q.Dimension()) {
		msg = "is not a percentage (write e.g. pump-rate=2%)"
	}
	if msg != "" {
		f.bad("tolerance", s, msg)
		return
	}
	if of.field.Tolerance(*tol).IsValid() {
		f.bad("tolerance", s, "the tolerance for "+name+" is given twice")
		return
	}
	of.field.SetTolerance(tol, q)
}

// mismatchLine says in one line why check exits 5.
func mismatchLine(r dosing.CheckResult) string {
	var bad []string
	for _, fc := range r.Fields {
		if fc.Verdict == dosing.Mismatch {
			bad = append(bad, fc.Field)
		}
	}
	for _, rc := range r.Relations {
		if rc.Verdict == dosing.Mismatch {
			bad = append(bad, rc.ID)
		}
	}
	// What the order gives beyond a hard limit comes first, as in the
	// worksheet's verdict.
	lead := ""
	if first, _, _ := strings.Cut(r.Summary, "\n"); strings.HasPrefix(first, "as written") {
		lead = first + "; "
	}
	if len(bad) == 0 && lead == "" {
		return "no value of the order could be compared with the protocol; the order is not confirmed"
	}
	if len(bad) == 0 {
		return lead + "the order does not match; see the worksheet"
	}
	return lead + "the order does not match (" + strings.Join(bad, ", ") + "); see the worksheet"
}
