package dosing

import (
	"errors"
)

// CheckOptions are the inputs of Check besides the order, the patient and
// the rule.
type CheckOptions struct {
	// Options go to Calculate: the titration level the order is for
	// (Options.Dose) and acknowledgements of the protocol's own warnings.
	Options Options
	// Tolerances override the default tolerances field by field.
	Tolerances Tolerances
}

// Verdict is the outcome of one comparison.
type Verdict string

const (
	// Match: within tolerance (and, for an ordered value, inside the
	// protocol's hard limits).
	Match Verdict = "match"
	// Mismatch: outside tolerance, or beyond a hard limit or cap.
	Mismatch Verdict = "mismatch"
	// NotChecked: nothing to compare with. The protocol does not define the
	// value (a pump rate for a rule without an infusion), or no relation of
	// the order had all its values.
	NotChecked Verdict = "not_checked"
)

// CheckResult is a pharmacist's independent double check of an order.
// Agreement with the protocol and the order's own consistency are separate
// verdicts: an order can be consistent and still wrong.
type CheckResult struct {
	Notice     string     `json:"notice"`
	Provenance Provenance `json:"provenance"`
	Drug       string     `json:"drug,omitempty"`
	Route      string     `json:"route,omitempty"`
	Patient    Patient    `json:"patient"`
	Order      Order      `json:"order"`

	// Agreement is Mismatch if any ordered value disagrees with the
	// protocol, Match if at least one agrees and none disagrees, and
	// NotChecked if the protocol defines none of the values.
	Agreement Verdict `json:"agreement"`
	// Consistency is Mismatch if any relation of the order fails, Match if
	// at least one holds and none fails, NotChecked if none could be formed.
	Consistency Verdict `json:"consistency"`
	// Limits is Mismatch if a value the order gives as written (Implied)
	// is beyond a hard limit or a cap, Match if the order gives values and
	// none is, NotChecked if it gives none (a weight or a stock alone).
	Limits Verdict `json:"limits"`
	// Summary is the verdict: first one line for each value the order
	// gives beyond a hard limit or cap ("as written this order gives
	// 200 mg (2.5 mg/kg) …: above the hard maximum 100 mg …"), then one
	// for each beyond a soft limit, then the paragraph on agreement and
	// consistency.
	Summary string `json:"summary"`
	// Implied lists what the order as written gives the patient: every
	// value it states or implies, in the patient's terms, with the limits
	// each crosses.
	Implied      []ImpliedValue     `json:"implied"`
	Fields       []FieldCheck       `json:"fields"`
	Relations    []ConsistencyCheck `json:"relations"`
	LikelyCauses []LikelyCause      `json:"likely_causes,omitempty"`
	Notes        []string           `json:"notes,omitempty"`
	Tolerances   Tolerances         `json:"tolerances"` // as used, defaults filled in

	// Expected is the independent calculation, with its trail.
	Expected Result `json:"expected"`
}

// Matches reports whether the order agrees with the protocol and is
// consistent with itself: no mismatch, and at least one value compared.
func (r CheckResult) Matches() bool {
	return r.Agreement == Match && r.Consistency != Mismatch && r.Limits != Mismatch
}

// Check is a pharmacist's independent double check of an order: it
// recomputes the dose with Calculate from the patient and the rule, compares
// every value the order states with the expected one within the field's
// tolerance, tests the order's own relations (volume × concentration = dose,
// rate × duration = volume, …), checks the ordered values against the
// rule's caps and limits, and names the likely cause of each mismatch where
// the numbers point to one (a tenfold error, mg ↔ mcg, pounds used as
// kilograms, per minute ↔ per hour, the wrong stock, the wrong dosing
// weight, a decimal slip in the pump rate).
//
// An invalid order, invalid tolerances and the errors of Calculate are
// reported together; a hard limit of the protocol's own calculation is a
// *LimitError and no result.
func Check(order Order, patient Patient, rule Rule, opt CheckOptions) (CheckResult, error) {
	// The order and the tolerances are read in place, in the checker: the
	// field table's accessors take pointers, and a pointer to a local would
	// move it to the heap.
	k := &checker{order: order, patient: patient, rule: rule, opt: opt.Options, tol: opt.Tolerances, amt: rule.amount()}
	tolErr := k.tol.resolve()
	orderErr := k.order.validate()
	amountErr := k.order.inAmount(k.amt, rule.amountSource())
	expected, calcErr := Calculate(rule, patient, opt.Options)
	if err := errors.Join(orderErr, amountErr, tolErr, calcErr); err != nil {
		return CheckResult{}, err
	}
	k.exp = expected
	tol := k.tol
	res := CheckResult{
		Notice:     Notice,
		Provenance: expected.Provenance,
		Drug:       expected.Drug,
		Route:      expected.Route,
		Patient:    patient,
		Order:      order,
		Tolerances: tol,
		Expected:   expected,
		Fields:     make([]FieldCheck, 0, numOrderFields),
		Relations:  make([]ConsistencyCheck, 0, len(orderRelations)),
	}
	for f := range numOrderFields {
		if q := *f.of(&k.order); q.IsValid() {
			res.Fields = append(res.Fields, k.compare(f, q))
		}
	}
	if rule.Infusion != nil && rule.Infusion.Loading != nil {
		res.Notes = append(res.Notes, "the protocol has a loading dose: relations that take the whole volume or dose over the maintenance duration are not checked")
	}
	for _, rel := range orderRelations {
		if c, ok := k.relate(rel); ok {
			res.Relations = append(res.Relations, c)
		}
	}
	var notes []string
	res.Implied, notes = k.implied()
	res.Notes = append(res.Notes, notes...)
	if k.err != nil {
		return CheckResult{}, k.err
	}
	res.Limits = overallVerdict(len(res.Implied), func(i int) Verdict {
		if res.Implied[i].beyond() {
			return Mismatch
		}
		return Match
	})
	res.Agreement = overallVerdict(len(res.Fields), func(i int) Verdict { return res.Fields[i].Verdict })
	res.Consistency = overallVerdict(len(res.Relations), func(i int) Verdict { return res.Relations[i].Verdict })
	res.LikelyCauses = poundsFirst(likelyCauses(res.Fields, res.Relations), k.exp)
	res.Summary = checkSummary(res)
	return res, nil
}

// overallVerdict is Mismatch if any verdict is, else Match if any is, else
// NotChecked.
func overallVerdict(n int, verdict func(int) Verdict) Verdict {
	v := NotChecked
	for i := range n {
		switch verdict(i) {
		case Mismatch:
			return Mismatch
		case Match:
			v = Match
		}
	}
	return v
}

// checker carries one Check. Like calc, its arithmetic (arith) records the
// first error, which Check reports at the end rather than return a
// half-built result.
type checker struct {
	order   Order
	patient Patient
	rule    Rule
	opt     Options
	tol     Tolerances
	exp     Result
	amt     *amount // the rule's kind of amount
	arith

	hyps     []hypothesis // built on the first mismatch
	hypsDone bool
}
