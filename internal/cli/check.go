package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// orderFlag maps a check flag to the order field it sets and the tolerance
// that applies to it.
type orderFlag struct {
	name, arg, usage string
	kind             qkind
	field            func(*dosing.Order) *units.Quantity
	tol              func(*dosing.Tolerances) *units.Quantity
}

// orderFlags lists the order's fields in the order the help shows them.
func orderFlags() []orderFlag {
	return []orderFlag{
		{"dose", "D", "the dose ordered: 40mg", kDose(),
			func(o *dosing.Order) *units.Quantity { return &o.Dose }, func(t *dosing.Tolerances) *units.Quantity { return &t.Dose }},
		{"dose-per-kg", "D", "the dose per kg ordered: 0.5mg/kg", kDosePerKg(),
			func(o *dosing.Order) *units.Quantity { return &o.DosePerKg }, func(t *dosing.Tolerances) *units.Quantity { return &t.DosePerKg }},
		{"order-weight", "W", "the dosing weight the order was written on (the patient's is --weight)", kWeight(),
			func(o *dosing.Order) *units.Quantity { return &o.Weight }, func(t *dosing.Tolerances) *units.Quantity { return &t.Weight }},
		{"stock", "C", "the stock (vial) concentration used: 10mg/mL", kConcentration(),
			func(o *dosing.Order) *units.Quantity { return &o.Stock }, func(t *dosing.Tolerances) *units.Quantity { return &t.Stock }},
		{"draw-volume", "V", "the volume drawn from the vial: 4mL", kVolume(),
			func(o *dosing.Order) *units.Quantity { return &o.DrawVolume }, func(t *dosing.Tolerances) *units.Quantity { return &t.DrawVolume }},
		{"final-volume", "V", "the final volume of the bag or syringe: 104mL", kVolume(),
			func(o *dosing.Order) *units.Quantity { return &o.FinalVolume }, func(t *dosing.Tolerances) *units.Quantity { return &t.FinalVolume }},
		{"final-concentration", "C", "the final concentration: 0.3846mg/mL", kConcentration(),
			func(o *dosing.Order) *units.Quantity { return &o.FinalConc }, func(t *dosing.Tolerances) *units.Quantity { return &t.FinalConc }},
		{"pump-rate", "R", "the pump rate: 156mL/h", kPumpRate(),
			func(o *dosing.Order) *units.Quantity { return &o.PumpRate }, func(t *dosing.Tolerances) *units.Quantity { return &t.PumpRate }},
		{"duration", "T", "the infusion duration: 40min", kDuration(),
			func(o *dosing.Order) *units.Quantity { return &o.Duration }, func(t *dosing.Tolerances) *units.Quantity { return &t.Duration }},
		{"dose-rate", "R", "the dose rate: 60mg/h", kDoseRate(),
			func(o *dosing.Order) *units.Quantity { return &o.DoseRate }, func(t *dosing.Tolerances) *units.Quantity { return &t.DoseRate }},
		{"dose-rate-per-kg", "R", "the dose rate per kg: 0.75mg/kg/h or 12.5mcg/kg/min", kDoseRatePerKg(),
			func(o *dosing.Order) *units.Quantity { return &o.DoseRatePerKg }, func(t *dosing.Tolerances) *units.Quantity { return &t.DoseRatePerKg }},
		{"drip-rate", "R", "the gravity drip rate: 52gtt/min (with --drop-factor)", kDripRate(),
			func(o *dosing.Order) *units.Quantity { return &o.DripRate }, func(t *dosing.Tolerances) *units.Quantity { return &t.DripRate }},
		{"drop-factor", "F", "the IV set's drop factor: 20gtt/mL (with --drip-rate)", kDropFactor(),
			func(o *dosing.Order) *units.Quantity { return &o.DropFactor }, func(t *dosing.Tolerances) *units.Quantity { return &t.DropFactor }},
		{"count", "N", `the number of dose forms: "2 devices"`, kCount(),
			func(o *dosing.Order) *units.Quantity { return &o.Count }, func(t *dosing.Tolerances) *units.Quantity { return &t.Count }},
	}
}

func checkCommand() command {
	return command{
		name:     "check",
		summary:  "verify an order as written against the protocol and the patient",
		synopsis: "doseplan check --protocol P --weight W [patient flags] ORDER FLAGS... [--level N] [--tolerance FIELD=PCT]... [--json]",
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
mg/kg of the dosing weight, mg/h and mg/kg/h, each checked against the
protocol's caps and hard and soft limits. A value beyond a hard limit or cap
is the first line of the verdict ("as written this order gives 200 mg
(2.5 mg/kg) …: above the hard maximum 100 mg") and the order does not match.

The default tolerance is 5 % for calculated values (room for a syringe
graduation or a pump step) and 0 % for what is read off a product (stock
concentration, drop factor, number of devices); --tolerance pump-rate=2%
changes one, up to 20 %. The order is for the protocol's first dose level unless
--level says otherwise. check exits 5 when the order does not match, or when
nothing could be compared.`,
		examples: []string{
			"doseplan check --protocol example:iv-ketamine-trd --weight 80kg --height 175cm --sex male --age 45 --dose 40mg --draw-volume 4mL --pump-rate 156mL/h",
			"doseplan check --protocol clinic.yaml --weight 176lb --dose 400mg --stock 10mg/mL --draw-volume 40mL",
		},
		exits: "0 the order matches; 1 input or protocol error; 2 usage error; 3 the protocol's own dose is refused by a hard limit; 4 it matches but the protocol's warnings need --ack; 5 mismatch, or nothing compared",
		steps: func() steps {
			return &closure{setup: func(f *flagSet) func(*Env, []string) int {
				proto := f.protocolFlag()
				pf := f.patientFlags("")
				f.heading("Order (each value with the unit it was written in)")
				ofs := orderFlags()
				vals := make([]*units.Quantity, len(ofs))
				for i, of := range ofs {
					vals[i] = f.quantity(of.name, of.arg, of.usage, of.kind)
				}
				f.heading("Check")
				level := f.integer("level", "N", "the titration level the order is for: 1 is the first", 1, 1000)
				tols := f.list("tolerance", "FIELD=PCT", "the tolerance for one order field, e.g. pump-rate=2% (0 % to 20 %); repeatable", false)
				af := f.ackFlags()
				f.heading("Output")
				asJSON := f.boolean("json", "write JSON (schema doseplan/check/v1) instead of the worksheet")
				return func(e *Env, args []string) int {
					pt, _ := pf.patient(f, schedule.Date{})
					acks := af.acks(f)
					var order dosing.Order
					given := 0
					for i, of := range ofs {
						if f.given(of.name) {
							*of.field(&order) = *vals[i]
							given++
						}
					}
					if given == 0 {
						var names []string
						for _, of := range ofs {
							names = append(names, "--"+of.name)
						}
						f.errs = append(f.errs, "give at least one value of the order to check: "+strings.Join(names, ", "))
					}
					var tol dosing.Tolerances
					for _, t := range *tols {
						readTolerance(f, t, ofs, &tol)
					}
					noArgs(f, args)
					if len(f.errs) > 0 {
						return e.usageError("check", f.errs...)
					}
					p, err := e.loadProtocol(*proto)
					if err != nil {
						return e.failWith("check", *asJSON, err)
					}
					choice, err := chooseLevel(p, *level, units.Quantity{})
					if err != nil {
						return e.failWith("check", *asJSON, err)
					}
					// The protocol's check_tolerances apply where --tolerance sets none.
					res, err := p.Check(order, pt, dosing.CheckOptions{
						Options: dosing.Options{Dose: choice.dose, Acks: acks}, Tolerances: tol})
					if err != nil {
						return e.failWith("check", *asJSON, err)
					}
					doc := checkDoc{
						Schema:         schemaName("check"),
						Notice:         dosing.Notice,
						TitrationLevel: choice.level,
						Notes:          choice.notes,
						Findings:       findingsOrEmpty(p.Findings()),
						Matches:        res.Matches(),
						NeedsReview:    res.Expected.NeedsReview(),
						UnmatchedAcks:  unmatchedAcks(acks, res.Expected.Warnings),
						Check:          res,
					}
					code := e.output(*asJSON, doc, func(w io.Writer) error {
						writeNotes(w, doc.Notes, doc.Findings)
						return res.WriteWorksheet(w)
					})
					if code != exitOK {
						return code
					}
					e.noteUnmatched(doc.UnmatchedAcks, res.Expected.Warnings)
					if !res.Matches() {
						fmt.Fprintf(e.Stderr, "doseplan: check: %s\n", mismatchLine(res))
						return exitMismatch
					}
					return e.reportReview(res.Expected.Unacknowledged(), "protocol ")
				}
			}}
		},
	}
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
	if p := of.tol(tol); p.IsValid() {
		f.bad("tolerance", s, "the tolerance for "+name+" is given twice")
		return
	}
	*of.tol(tol) = q
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
