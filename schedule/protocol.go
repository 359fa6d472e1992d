package schedule

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// FormatVersion is the protocol document format this package reads; a
// document says which format it is written in with "doseplan: 1".
const FormatVersion = 1

// Protocol is a clinic's whole protocol as one document: what to give, how
// to prepare and infuse it, the series of sessions, titration, the session
// timeline, vital-sign gates and cumulative caps. It is loaded from YAML or
// JSON by LoadProtocol, which validates and lints it and records the SHA-256
// of its bytes; every plan and dose computed from it carries that provenance.
//
// A document sets the protocol's dosing rule (Dosing) with these keys: name,
// version, drug, route and source (the provenance every result carries),
// preparation, infusion, plausibility and population at the top level; the
// rule's other settings in the dose section, where the dose itself is set
// with the key that names its kind (per_kg, per_m2, fixed, rate, rate_per_kg)
// or as bands, and dose_rounding is spelt rounding:
//
//	dose: {per_kg: 0.5 mg/kg, weight: {basis: actual}, cap: 100 mg, limits: {…}}
type Protocol struct {
	Format int `json:"doseplan"`
	// Dosing is the protocol's dosing rule, from name and version to the
	// limits and the population it was written for; Calculate, Plan and
	// Check dose with it. Rule returns a copy.
	Dosing dosing.Rule `json:"-"`
	// DrugCode optionally codes the drug in a terminology the clinic's EHR
	// uses (RxNorm, SNOMED CT, a national drug code); exports write it beside
	// the drug's name (package fhir). doseplan never supplies a code.
	DrugCode *DrugCode `json:"drug_code,omitempty"`
	Notes    string    `json:"notes,omitempty"` // free text for people, e.g. "example: to be reviewed by the clinic"

	Series    Series         `json:"series"`
	Policy    SeriesPolicy   `json:"policy"`
	Titration *Titration     `json:"titration,omitempty"`
	Session   SessionSpec    `json:"session"`
	Vitals    *VitalGates    `json:"vitals,omitempty"`
	Caps      CumulativeCaps `json:"caps,omitzero"`

	// CheckTolerances are the protocol's tolerances for order checks
	// (Protocol.Check), field by field, in %; unset fields keep
	// the defaults (dosing.OrderField.DefaultTolerance).
	CheckTolerances dosing.Tolerances `json:"check_tolerances,omitzero"`

	sha256   string
	findings []Finding
}

// DrugCode is a code of the drug in a code system, as the clinic's EHR
// knows it:
//
//	drug_code: {system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "…", display: "…"}
//
// System is the code system's URI, Code the code in it, Display optional
// text. The code is the clinic's to check against its source: doseplan
// carries it unchanged and supplies none.
type DrugCode struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

// validate reports a missing or malformed system or code.
func (c *DrugCode) validate() errs {
	var es errs
	switch {
	case c.System == "":
		es.add("drug_code.system", "", ErrMissing, "required: the code system's URI, e.g. http://snomed.info/sct")
	case !isAbsoluteURI(c.System):
		es.add("drug_code.system", c.System, ErrSyntax, "must be an absolute URI with no white space (http://snomed.info/sct, urn:oid:…)")
	}
	switch {
	case c.Code == "":
		es.add("drug_code.code", "", ErrMissing, "required: the drug's code in the system")
	case strings.TrimSpace(c.Code) != c.Code || strings.ContainsAny(c.Code, "\t\n\r") || strings.Contains(c.Code, "  "):
		es.add("drug_code.code", c.Code, ErrSyntax, "must not start or end with white space, hold tabs or line breaks, or two spaces in a row")
	}
	return es
}

// isAbsoluteURI reports whether s is a scheme ("http", "urn") followed by a
// colon and more, with no white space.
func isAbsoluteURI(s string) bool {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok || scheme == "" || rest == "" || strings.ContainsAny(s, " \t\n\r") {
		return false
	}
	for i, r := range scheme {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return true
}

// SeriesPolicy declares what happens across a series when inputs change.
type SeriesPolicy struct {
	// Weight is "baseline" (every session dosed on the patient's baseline
	// weight) or "session_day" (each session on the weight given for its day).
	Weight WeightSource `json:"weight"`
	// OnDoseChange is "keep_duration" (a changed dose keeps the infusion
	// duration and recomputes the rate) or "keep_rate" (it keeps the first
	// session's dose rate and recomputes the duration).
	OnDoseChange DoseChange `json:"on_dose_change"`
}

// WeightSource says which weight a session is dosed on.
type WeightSource string

// The weight sources.
const (
	BaselineWeight   WeightSource = "baseline"
	SessionDayWeight WeightSource = "session_day"
)

// DoseChange says how an infusion adapts to a changed dose.
type DoseChange string

// The dose-change policies.
const (
	KeepDuration DoseChange = "keep_duration"
	KeepRate     DoseChange = "keep_rate"
)

// Titration is a clinic's ladder of dose levels across sessions. Escalation
// is never automatic: a session whose level is above the one before is
// marked proposed, for a clinician to decide.
type Titration struct {
	Steps                []units.Quantity `json:"steps"`                  // dose levels, of the dose's kind, increasing
	AdvanceAfterSessions int              `json:"advance_after_sessions"` // propose the next level after this many sessions
}

// SessionSpec is the session-day timeline around the administration.
type SessionSpec struct {
	PreChecks      units.Quantity `json:"pre_checks,omitzero"` // before the start: consent, vitals, questionnaire
	Observation    units.Quantity `json:"observation"`         // after the end of administration, before discharge
	Checks         []TimedCheck   `json:"checks,omitempty"`    // e.g. blood pressure 40 min after the start
	DriverRequired bool           `json:"driver_required"`
}

// TimedCheck is a check at an offset from the start of administration.
type TimedCheck struct {
	Name string         `json:"name"`
	At   units.Quantity `json:"at"`
}

// CumulativeCaps bound the total dose per calendar day, per rolling 7 days
// and per series.
type CumulativeCaps struct {
	PerDay    units.Quantity `json:"per_day,omitzero"`
	Per7Days  units.Quantity `json:"per_7_days,omitzero"`
	PerSeries units.Quantity `json:"per_series,omitzero"`
}

// Severity grades a lint finding.
type Severity string

// The severities of findings. Errors stop a protocol from loading; warnings
// are kept with it for review.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Finding is one lint result.
type Finding struct {
	Severity Severity `json:"severity"`
	Field    string   `json:"field"`
	Message  string   `json:"message"`
}

func (f Finding) String() string { return string(f.Severity) + ": " + f.Field + ": " + f.Message }

// LoadProtocol reads a protocol document in YAML or JSON, strictly: unknown
// fields, duplicate keys and values of the wrong type or unit are refused
// with their field path, all at once. It then validates the protocol and
// lints it; findings of error severity refuse it as well (as *FieldErrors
// wrapping ErrConflict), warnings stay available from Findings. The SHA-256
// of data becomes part of every result's provenance.
func LoadProtocol(data []byte) (*Protocol, error) {
	var doc document
	decodeErr, complete := decodeStrict(data, &doc, documentFields)
	if !complete {
		return nil, decodeErr // not a document of fields, or too broken to say more
	}
	dose := doc.spell()
	p := &doc.Protocol
	sum := sha256.Sum256(data)
	p.sha256 = hex.EncodeToString(sum[:])
	findings, err := p.validate(dose)
	if err != nil || decodeErr != nil {
		// Every problem at once, but not twice: a field that did not decode
		// is not reported again as missing.
		all := append(flatten(decodeErr), flatten(withoutFields(err, fieldsOfErr(decodeErr)))...)
		return nil, errors.Join(all...)
	}
	p.findings = findings
	return p, nil
}

// SHA256 returns the hex SHA-256 of the document's bytes ("" for a protocol
// built in Go rather than loaded).
func (p *Protocol) SHA256() string { return p.sha256 }

// Findings returns the lint warnings found when the protocol was validated
// (a copy: the protocol does not change).
func (p *Protocol) Findings() []Finding { return slices.Clone(p.findings) }

// Validate checks the whole protocol, reports every error at once, and keeps
// the lint warnings (see Findings). LoadProtocol calls it; call it yourself
// for a protocol built in Go. Validate records the warnings in p, so, like
// any write, it must not run while another goroutine uses p; Plan, Replan
// and Calculate only read a protocol and may run concurrently.
func (p *Protocol) Validate() error {
	findings, err := p.validate(ruleDoseView(p.Dosing))
	p.findings = findings
	return err
}

// validate checks the protocol without changing it, and returns its lint
// warnings; dose says how the protocol sets its dose (for a document, with
// the problems of its keys).
func (p *Protocol) validate(dose doseView) ([]Finding, error) {
	var es errs
	switch {
	case p.Format == 0:
		es.add("doseplan", "", ErrMissing, "required: the format version, doseplan: "+strconv.Itoa(FormatVersion))
	case p.Format != FormatVersion:
		es.add("doseplan", strconv.Itoa(p.Format), ErrRange, "format version must be "+strconv.Itoa(FormatVersion))
	}
	r := &p.Dosing
	for _, f := range []struct{ name, v string }{{"name", r.Name}, {"version", r.Version}, {"drug", r.Drug}, {"route", r.Route}, {"source", r.Source}} {
		if f.v == "" {
			es.add(f.name, "", ErrMissing, "required")
		}
	}
	if c := p.DrugCode; c != nil {
		es = append(es, c.validate()...)
	}
	es = append(es, dose.errs...)
	if err := r.Validate(); err != nil {
		for _, e := range atPath(dose.key, err) {
			var fe *FieldError
			if len(dose.errs) > 0 && errors.As(e, &fe) && (fe.Field == "dose" || fe.Field == dose.key) {
				continue // the dose itself: already said by its keys
			}
			es = append(es, e)
		}
	}
	if _, err := p.Series.compile(); err != nil {
		es = append(es, flatten(err)...)
	}
	switch p.Policy.Weight {
	case BaselineWeight, SessionDayWeight:
	case "":
		es.add("policy.weight", "", ErrMissing, "required: baseline or session_day")
	default:
		es.add("policy.weight", string(p.Policy.Weight), ErrRange, "must be baseline or session_day")
	}
	switch p.Policy.OnDoseChange {
	case KeepDuration, KeepRate:
	case "":
		es.add("policy.on_dose_change", "", ErrMissing, "required: keep_duration or keep_rate")
	default:
		es.add("policy.on_dose_change", string(p.Policy.OnDoseChange), ErrRange, "must be keep_duration or keep_rate")
	}
	if p.Policy.OnDoseChange == KeepRate {
		switch {
		case r.Infusion == nil:
			es.add("policy.on_dose_change", string(p.Policy.OnDoseChange), ErrConflict, "keep_rate needs an infusion")
		case dose.rate:
			es.add("policy.on_dose_change", string(p.Policy.OnDoseChange), ErrConflict,
				"keep_rate applies to a dose given over the infusion's duration; a dose given as a rate ("+dose.key+") keeps its duration")
		}
	}
	p.validateSession(&es, dose.key)
	p.validateCaps(&es)
	for _, e := range flatten(p.CheckTolerances.Validate()) {
		var ie *dosing.FieldError
		if errors.As(e, &ie) { // "tolerances.pump_rate" → "check_tolerances.pump_rate"
			e = &FieldError{Field: "check_" + ie.Field, Value: ie.Value, Msg: ie.Msg, Err: e}
		}
		es = append(es, e)
	}
	if p.Vitals != nil {
		es = append(es, flatten(p.Vitals.validate())...) // paths "vitals.hold.spo2_below"
	}
	var warnings []Finding
	for _, f := range p.lint(dose.key) {
		if f.Severity == SevError {
			es.add(f.Field, "", ErrConflict, f.Message)
		} else {
			warnings = append(warnings, f)
		}
	}
	return warnings, es.join()
}

// atPath flattens err (joined or single) and turns each dosing field error
// into a FieldError with the field's path in a protocol document; the rule's
// dose is at doseKey ("dose.per_kg").
func atPath(doseKey string, err error) []error {
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			list = append(list, atPath(doseKey, e)...)
		}
		return list
	}
	var ie *dosing.FieldError
	if errors.As(err, &ie) {
		return []error{&FieldError{Field: docPath(ie.Field, doseKey), Value: ie.Value, Msg: docPaths(ie.Msg), Err: err}}
	}
	return []error{err}
}

// Rule returns the protocol's dosing rule, with its provenance (name,
// version, source; the SHA-256 is added to each result by Plan and
// Calculate): a copy, which the caller may change without changing the
// protocol.
func (p *Protocol) Rule() dosing.Rule { return p.Dosing.Clone() }

func (p *Protocol) validateSession(es *errs, doseKey string) {
	s := p.Session
	dimTime := units.Minute.Dimension()
	checkDur := func(field string, q units.Quantity, required bool) {
		switch {
		case !q.IsValid():
			if required {
				es.add(field, "", ErrMissing, "required (a duration such as \"30 min\"; \"0 min\" states none)")
			}
		case q.Dimension() != dimTime:
			es.add(field, q.String(), ErrConflict, "must be a duration (min or h)")
		case q.Sign() < 0:
			es.add(field, q.String(), ErrRange, "must be ≥ 0 min")
		}
	}
	checkDur("session.pre_checks", s.PreChecks, false)
	checkDur("session.observation", s.Observation, true)
	for i, c := range s.Checks {
		f := "session.checks[" + strconv.Itoa(i) + "]"
		if c.Name == "" {
			es.add(f+".name", "", ErrMissing, "required")
		}
		checkDur(f+".at", c.At, true)
	}
	if t := p.Titration; t != nil {
		if len(t.Steps) == 0 {
			es.add("titration.steps", "", ErrMissing, "at least one dose level")
		}
		if t.AdvanceAfterSessions < 1 {
			es.add("titration.advance_after_sessions", strconv.Itoa(t.AdvanceAfterSessions), ErrRange, "must be ≥ 1")
		}
		dose := p.Dosing.Dose
		switch {
		case len(p.Dosing.Bands) > 0:
			es.add("titration", "", ErrConflict, "a titration ladder needs a single dose ("+doseKeyList()+"), not weight bands")
			return
		case !dose.IsValid():
			return // the dose's own error says it
		}
		doseDim := dose.Dimension()
		for i, st := range t.Steps {
			f := "titration.steps[" + strconv.Itoa(i) + "]"
			switch {
			case !st.IsValid():
				es.add(f, "", ErrMissing, "required")
			case st.Dimension() != doseDim || st.Unit().PerDay() != dose.Unit().PerDay():
				es.add(f, st.String(), ErrConflict, "must be of the dose's kind, like "+doseKey+" "+dose.String())
			case st.Sign() <= 0:
				es.add(f, st.String(), ErrRange, "must be > 0")
			case i > 0 && notAbove(st, t.Steps[i-1]):
				es.add(f, st.String(), ErrConflict, "must be above the step before ("+t.Steps[i-1].String()+")")
			}
		}
	}
}

// validateCaps checks the cumulative caps: each a dose in the rule's kind
// of amount (mg, or units for a rule in units), > 0.
func (p *Protocol) validateCaps(es *errs) {
	amount := p.Dosing.AmountUnit()
	for _, c := range []struct {
		field string
		q     units.Quantity
	}{{"caps.per_day", p.Caps.PerDay}, {"caps.per_7_days", p.Caps.Per7Days}, {"caps.per_series", p.Caps.PerSeries}} {
		if !c.q.IsValid() {
			continue
		}
		if c.q.Dimension() != amount.Dimension() {
			es.add(c.field, c.q.String(), ErrConflict, "must be "+amountWords(amount))
		} else if c.q.Sign() <= 0 {
			es.add(c.field, c.q.String(), ErrRange, "must be > 0 "+amount.String())
		}
	}
}

// amountWords names a dose in the rule's kind of amount for a message:
// "a drug mass (mg)", or "in units, as the protocol's dose is".
func amountWords(amount units.Unit) string {
	if amount == units.Milligram {
		return "a drug mass (mg)"
	}
	return "in " + amount.String() + ", as the protocol's dose is"
}

// order compares a and b, exactly and across units, when they can be
// compared: both set and of one dimension. ok is false otherwise, and there
// is no answer, rather than "equal": validation asks only of comparable
// values, and a value of the wrong dimension is reported with its own path
// by the check of its field.
func order(a, b units.Quantity) (c int, ok bool) {
	if !a.IsValid() || !b.IsValid() || a.Dimension() != b.Dimension() {
		return 0, false
	}
	c, err := a.Cmp(b)
	return c, err == nil
}

// compare compares a and b, exactly and across units. Where a plan needs the
// answer, a quantity of another dimension (or none) fails it: the error is
// a *FieldError at field, the path of the setting b comes from, wrapping
// ErrConflict and the units error.
func compare(field string, a, b units.Quantity) (int, error) {
	c, err := a.Cmp(b)
	if err != nil {
		return 0, &FieldError{Field: field, Value: b.String(), Msg: "cannot be compared with " + a.String() + " (not of one dimension)",
			Err: errors.Join(ErrConflict, err)}
	}
	return c, nil
}

// notAbove reports whether a is at most b, both of one dimension.
func notAbove(a, b units.Quantity) bool {
	c, ok := order(a, b)
	return ok && c <= 0
}

// fieldsOfErr lists the field paths of the FieldErrors in err.
func fieldsOfErr(err error) []string {
	var out []string
	for _, e := range flatten(err) {
		var fe *FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Field)
		}
	}
	return out
}

// withoutFields drops from err the field errors at, under or above one of
// the given paths.
func withoutFields(err error, paths []string) error {
	if err == nil || len(paths) == 0 {
		return err
	}
	var keep []error
	for _, e := range flatten(err) {
		var fe *FieldError
		if errors.As(e, &fe) && related(fe.Field, paths) {
			continue
		}
		keep = append(keep, e)
	}
	return errors.Join(keep...)
}

func related(f string, paths []string) bool {
	for _, p := range paths {
		if f == p || strings.HasPrefix(f, p+".") || strings.HasPrefix(f, p+"[") || strings.HasPrefix(p, f+".") || strings.HasPrefix(p, f+"[") {
			return true
		}
	}
	return false
}

func flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
