package fhir

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/schedule"
	"github.com/doseplan/doseplan/units"
)

// Options are the inputs of an export besides the protocol and what was
// calculated from it. Nothing is read from the clock or the environment.
type Options struct {
	// Recorded is when the export is made: the Provenance's recorded
	// instant, the Bundle's timestamp, authoredOn and created. Required.
	Recorded time.Time
	// Software names the program and version that made the export
	// ("doseplan v1.4.0"), for the Provenance's agent. Required.
	Software string
	// ID is the caller's reference for the plan or order (a patient's
	// record number with the start date, an order number). Resource ids and
	// fullUrls derive from it and the protocol's SHA-256 only, so exporting
	// the same plan again, or a replanned one, gives every session the same
	// ids and a server updates rather than duplicates. Optional, but without
	// it two patients' exports of one protocol share ids.
	ID string
	// Subject is the patient the requests are for. doseplan holds no
	// patient identity, so without one the requests say so in
	// subject.display and a receiver must link them before use.
	Subject Subject
}

// Subject is a FHIR reference to the patient: a literal reference such as
// "Patient/123", a display, or both.
type Subject struct {
	Reference string
	Display   string
}

// unidentified is the subject's display when the caller names no patient.
const unidentified = "patient not identified: doseplan holds no patient identity; link before use"

// Dose exports one calculated dose as a FHIR R4 Bundle (type collection)
// holding a MedicationRequest (status draft, intent proposal) and the
// Provenance that names the protocol and the software. level is the dose
// definition the result was calculated with (dosing.Options.Dose, e.g. a
// titration level of 0.6 mg/kg), or the zero Quantity for the protocol's own
// dose; it becomes the "ordered" doseAndRate entry, and for a fixed or per-kg
// dose it must give the result's requested dose.
func Dose(p *schedule.Protocol, res dosing.Result, level units.Quantity, opt Options) ([]byte, error) {
	x, err := newExport(p, res.Provenance, opt)
	if err != nil {
		return nil, err
	}
	ordered := level
	if !ordered.IsValid() {
		ordered = protocolDose(p)
	}
	x.checkOrdered("level", ordered, res)
	id := x.id("mr", "dose")
	mr := x.request(id, res, ordered, &timing{Repeat: &timingRepeat{Count: 1}}, "result")
	mr.Note = append(mr.Note, x.reviewNotes(res)...)
	x.add(id, mr)
	return x.finish()
}

// Plan exports a session plan as a FHIR R4 Bundle (type collection): one
// MedicationRequest per run of sessions with the same phase, titration level
// and dose (its timing lists every session's start, within a boundsPeriod;
// sessions resting on an escalation nobody decided are requests of their
// own, marked ProposedEscalation), one Appointment per session (proposed;
// fulfilled for a done one), a CarePlan that links them with the protocol's
// timed checks as activities, and the Provenance. p is the protocol the plan
// was made from.
func Plan(pl *schedule.SessionPlan, p *schedule.Protocol, opt Options) ([]byte, error) {
	if pl == nil {
		return nil, &FieldError{Field: "plan", Msg: "is required", Err: ErrMissing}
	}
	x, err := newExport(p, pl.Protocol, opt)
	if err != nil {
		return nil, err
	}
	var acts []activity
	groups := groupSessions(pl.Sessions)
	requestOf := map[int]reference{} // series position → its request
	for gi, g := range groups {
		first, last := g[0], g[len(g)-1]
		ordered := levelDose(p, first.Level)
		t := &timing{Repeat: &timingRepeat{Count: len(g),
			BoundsPeriod: &period{Start: instant(first.Timeline.Start), End: instant(last.Timeline.EndOfAdministration)}}}
		for _, s := range g {
			t.Event = append(t.Event, instant(s.Timeline.Start))
			x.checkOrdered(fmt.Sprintf("sessions[%d].level", s.Index), ordered, s.Dose)
		}
		id := x.id("mr", fmt.Sprint(gi+1))
		mr := x.request(id, first.Dose, ordered, t, fmt.Sprintf("sessions[%d].dose", first.Index))
		mr.GroupIdentifier = &identifier{System: planSystem, Value: x.key}
		mr.Note = append(mr.Note, annotation{Text: groupText(p, g)})
		if first.Proposed {
			mr.Category = []codeableConcept{{Coding: []coding{{System: TitrationSystem, Code: ProposedEscalation,
				Display: "Proposed titration escalation: needs a clinician's decision"}}}}
			mr.Note = append(mr.Note, annotation{Text: fmt.Sprintf("Proposed escalation to titration level %d (%s): "+
				"a clinician decides at each session; escalation is never automatic.", first.Level+1, show(ordered))})
		}
		seen := map[string]bool{}
		for _, s := range g {
			for _, w := range s.Warnings {
				if !seen[w] {
					seen[w] = true
					mr.Note = append(mr.Note, annotation{Text: w})
				}
			}
		}
		mr.Note = append(mr.Note, x.reviewNotes(first.Dose)...)
		ref := x.add(id, mr)
		acts = append(acts, activity{Reference: &ref})
		for _, s := range g {
			requestOf[s.Index] = ref
		}
	}
	for _, s := range pl.Sessions {
		id := x.id("appt", fmt.Sprint(s.Index))
		ref := x.add(id, x.appointmentOf(p, s, requestOf))
		acts = append(acts, activity{Reference: &ref})
	}
	acts = append(acts, checkActivities(pl.Sessions)...)
	x.add(x.id("careplan", "plan"), x.carePlanOf(p, pl, acts))
	return x.finish()
}

// export builds one Bundle.
type export struct {
	p       *schedule.Protocol
	opt     Options
	prov    dosing.Provenance
	key     string // 16 hex digits naming the export's resources
	full    string // the whole key, for fullUrls
	subject reference
	entries []entry
	errs    []error
}

func newExport(p *schedule.Protocol, prov dosing.Provenance, opt Options) (*export, error) {
	var errs []error
	if p == nil {
		errs = append(errs, &FieldError{Field: "protocol", Msg: "is required", Err: ErrMissing})
	} else if p.Dosing.Name != prov.Name || p.Dosing.Version != prov.Version || p.SHA256() != prov.SHA256 {
		errs = append(errs, &FieldError{Field: "protocol", Value: p.Dosing.Name + " " + p.Dosing.Version,
			Msg: fmt.Sprintf("is not the protocol the result was calculated from (%q version %q, SHA-256 %q)", prov.Name, prov.Version, prov.SHA256),
			Err: ErrConflict})
	}
	if opt.Recorded.IsZero() {
		errs = append(errs, &FieldError{Field: "options.recorded", Msg: "is required: the time of the export (the package never reads the clock)", Err: ErrMissing})
	}
	if strings.TrimSpace(opt.Software) == "" {
		errs = append(errs, &FieldError{Field: "options.software", Msg: `is required: the program and version making the export ("doseplan v1.4.0")`, Err: ErrMissing})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	identity := p.SHA256()
	if identity == "" {
		identity = p.Dosing.Name + "\x00" + p.Dosing.Version
	}
	sum := sha256.Sum256([]byte("doseplan fhir\x00" + identity + "\x00" + opt.ID))
	x := &export{p: p, opt: opt, prov: prov, full: hex.EncodeToString(sum[:])}
	x.key = x.full[:16]
	x.subject = reference{Reference: opt.Subject.Reference, Display: opt.Subject.Display}
	if x.subject == (reference{}) {
		x.subject.Display = unidentified
	}
	return x, nil
}

// id is a resource id: its kind, the export's key and n ("appt-3861b1e1e3f1c487-4").
func (x *export) id(kind, n string) string { return kind + "-" + x.key + "-" + n }

// fullURL is a name-based UUID URN for a resource id: the SHA-256 of the
// export's key and the id, with the version and variant bits of an RFC 9562
// version 8 UUID.
func (x *export) fullURL(id string) string {
	b := sha256.Sum256([]byte(x.full + "/" + id))
	b[6] = b[6]&0x0f | 0x80
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:16])
	return "urn:uuid:" + h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func (x *export) add(id string, res any) reference {
	url := x.fullURL(id)
	x.entries = append(x.entries, entry{FullURL: url, Resource: res})
	return reference{Reference: url}
}

func (x *export) fail(field string, q units.Quantity, msg string, err error) {
	x.errs = append(x.errs, &FieldError{Field: field, Value: q.Text(), Msg: msg, Err: err})
}

// q is the FHIR Quantity of v, or nil (and an error) when v does not
// terminate.
func (x *export) q(field string, v units.Quantity) *quantity {
	fq, ok := quantityOf(v)
	if !ok {
		x.fail(field, v, fmt.Sprintf("has more than %d decimal places; FHIR would read it as exact", maxPlaces), ErrInexact)
		return nil
	}
	return &fq
}

// finish adds the Provenance and encodes the Bundle.
func (x *export) finish() ([]byte, error) {
	if len(x.errs) > 0 {
		return nil, errors.Join(x.errs...)
	}
	var targets []reference
	for _, e := range x.entries {
		targets = append(targets, reference{Reference: e.FullURL})
	}
	what := reference{Display: fmt.Sprintf("protocol %q version %q", x.prov.Name, x.prov.Version)}
	if x.prov.SHA256 != "" {
		what.Identifier = &identifier{System: protocolSystem, Value: x.prov.SHA256}
		what.Display += " (SHA-256 " + x.prov.SHA256 + ")"
	}
	pid := x.id("provenance", "export")
	x.add(pid, provenance{
		ResourceType: "Provenance", ID: pid, Target: targets, Recorded: instant(x.opt.Recorded),
		Agent: []provenanceAgent{{
			Type: &codeableConcept{Coding: []coding{{System: agentSystem, Code: "assembler", Display: "Assembler"}}},
			Who:  reference{Display: x.opt.Software},
		}},
		Entity: []provenanceEntity{{Role: "source", What: what}},
	})
	b := bundle{ResourceType: "Bundle", ID: x.id("bundle", "export"), Identifier: &identifier{System: planSystem, Value: x.key},
		Type: "collection", Timestamp: instant(x.opt.Recorded), Entry: x.entries}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// request is a MedicationRequest for res: draft, a proposal, the notice
// first among its notes.
func (x *export) request(id string, res dosing.Result, ordered units.Quantity, t *timing, field string) medicationRequest {
	drug := res.Drug
	if drug == "" {
		drug = x.p.Dosing.Drug
	}
	med := codeableConcept{Text: drug}
	if c := x.p.DrugCode; c != nil {
		med.Coding = []coding{{System: c.System, Code: c.Code, Display: c.Display}}
	}
	return medicationRequest{
		ResourceType: "MedicationRequest", ID: id,
		Identifier: []identifier{{System: planSystem, Value: x.key + "/" + id}},
		Status:     "draft", Intent: "proposal",
		MedicationCodeableConcept: med,
		Subject:                   x.subject,
		AuthoredOn:                instant(x.opt.Recorded),
		Note:                      []annotation{{Text: res.Notice}},
		DosageInstruction:         x.dosages(res, ordered, t, field),
	}
}

// reviewNotes states each review warning of res, acknowledged or not.
func (x *export) reviewNotes(res dosing.Result) []annotation {
	var out []annotation
	for _, v := range res.Rounded {
		// Rounding is never silent: what was asked for and what is given.
		out = append(out, annotation{Text: "Rounded " + strings.ReplaceAll(v.Field, "_", " ") + ": " + v.String() + "."})
	}
	for _, w := range res.Warnings {
		switch {
		case w.Severity != dosing.Review:
			out = append(out, annotation{Text: w.Message})
		case w.Ack != nil:
			out = append(out, annotation{Text: fmt.Sprintf("Review warning %s: %s (acknowledged: %s)", w.Key, w.Message, w.Ack.Reason)})
		default:
			out = append(out, annotation{Text: fmt.Sprintf("Review warning %s: %s (NOT acknowledged: needs review)", w.Key, w.Message)})
		}
	}
	return out
}

// dosages are the dosage instructions of res: a loading dose first when
// there is one (sequence 1), then the dose itself.
func (x *export) dosages(res dosing.Result, ordered units.Quantity, t *timing, field string) []dosage {
	d := dosage{Text: dosageText(res, ordered), Timing: t, Route: routeOf(res.Route)}
	if ordered.IsValid() {
		e := doseAndRate{Type: doseRateType("ordered")}
		if ordered.Dimension().Time < 0 {
			e.RateQuantity = x.q(field+".ordered", ordered)
		} else {
			e.DoseQuantity = x.q(field+".ordered", ordered)
		}
		d.DoseAndRate = append(d.DoseAndRate, e)
	}
	calc := doseAndRate{Type: doseRateType("calculated"), DoseQuantity: x.q(field+".dose", res.Dose)}
	in := res.Infusion
	if in != nil {
		calc.RateQuantity = x.q(field+".infusion.pump_rate", in.PumpRate)
		if t.Repeat == nil {
			t.Repeat = &timingRepeat{}
		}
		x.duration(t.Repeat, field+".infusion.duration", in.Duration)
	}
	d.DoseAndRate = append(d.DoseAndRate, calc)
	if f := res.Form; f != nil {
		d.DoseAndRate = append(d.DoseAndRate, doseAndRate{Type: doseRateType("calculated"), DoseQuantity: x.q(field+".form.count", f.Count)})
	}
	if in != nil && in.Drip != nil {
		rate := x.q(field+".infusion.drip.rate", in.Drip.Rate)
		if rate != nil {
			rate.Code = dripRateCode(in.Drip.DropFactor)
		}
		d.DoseAndRate = append(d.DoseAndRate, doseAndRate{
			Extension: []extension{{URL: DropFactorURL, ValueQuantity: x.q(field+".infusion.drip.drop_factor", in.Drip.DropFactor)}},
			Type:      doseRateType("calculated"), RateQuantity: rate})
	}
	d.MaxDosePerAdministration = x.cap(res, field)
	d.MaxDosePerPeriod = x.periodCap(field)
	if in == nil || in.Loading == nil {
		return []dosage{d}
	}
	// The loading dose runs first from the same preparation: this dosage
	// gives the rest, so that the two doseQuantity values add up to the
	// session's dose rather than count the loading dose twice.
	l := in.Loading
	rest, err := res.Dose.Sub(l.Dose)
	if err != nil {
		x.fail(field+".infusion.loading.dose", l.Dose, "cannot be taken from the dose "+res.Dose.String(), ErrConflict)
		return nil
	}
	calcAt := 0
	if ordered.IsValid() {
		calcAt = 1
	}
	d.DoseAndRate[calcAt].DoseQuantity = x.q(field+".dose", rest)
	d.Text = show(rest) + " after the loading dose, of " + d.Text
	ld := dosage{Sequence: 1, Route: d.Route,
		Text: fmt.Sprintf("loading dose %s (%s) over %s at %s, then the dose below from the same preparation",
			show(l.Dose), show(l.Volume), show(l.Duration), show(l.PumpRate)),
		DoseAndRate: []doseAndRate{{Type: doseRateType("calculated"),
			DoseQuantity: x.q(field+".infusion.loading.dose", l.Dose), RateQuantity: x.q(field+".infusion.loading.pump_rate", l.PumpRate)}},
		Timing: &timing{Repeat: &timingRepeat{}},
	}
	x.duration(ld.Timing.Repeat, field+".infusion.loading.duration", l.Duration)
	d.Sequence = 2
	return []dosage{ld, d}
}

// duration sets a Timing's duration: UCUM's s, min, h, d and wk are also
// the codes of R4's UnitsOfTime.
func (x *export) duration(r *timingRepeat, field string, q units.Quantity) {
	fq := x.q(field, q)
	if fq == nil {
		return
	}
	switch fq.Code {
	case "s", "min", "h", "d", "wk":
		r.Duration, r.DurationUnit = fq.Value, fq.Code
	default:
		x.fail(field, q, "is not a duration in s, min, h, d or wk", ErrConflict)
	}
}

// cap is maxDosePerAdministration: the protocol's cap, or its cap per kg
// on the result's dosing weight, whichever is lower (as package dosing
// applies them).
func (x *export) cap(res dosing.Result, field string) *quantity {
	c, perKg := x.p.Dosing.Cap, x.p.Dosing.CapPerKg
	if perKg.IsValid() && res.Weight.Value.IsValid() {
		if m, err := perKg.Mul(res.Weight.Value); err == nil {
			if !c.IsValid() {
				c = m
			} else if cmp, err := m.Cmp(c); err == nil && cmp < 0 {
				c = m
			}
		}
	}
	if !c.IsValid() {
		return nil
	}
	return x.q(field+".cap", c)
}

// periodCap is maxDosePerPeriod, which R4 allows once: the cumulative cap
// per day if the protocol has one, else per 7 days. Every cap, per series
// too, is also stated in the CarePlan's notes.
func (x *export) periodCap(field string) *ratio {
	caps := x.p.Caps
	num, days := caps.PerDay, int64(1)
	if !num.IsValid() {
		num, days = caps.Per7Days, 7
	}
	if !num.IsValid() {
		return nil
	}
	n := x.q(field+".caps", num)
	d := x.q(field+".caps", units.NewInt(days, units.Day))
	if n == nil || d == nil {
		return nil
	}
	return &ratio{Numerator: *n, Denominator: *d}
}

// checkOrdered refuses a dose definition that does not give the result's
// requested dose: a fixed dose must equal it; a per-kg dose times the dosing
// weight; a rate (per kg on the dosing weight) times the protocol's infusion
// duration. Doses per m² and bands are not checked.
func (x *export) checkOrdered(field string, ordered units.Quantity, res dosing.Result) {
	if !ordered.IsValid() || !res.RequestedDose.IsValid() {
		return
	}
	want, dim := ordered, ordered.Dimension()
	if !isAmount(dim) || dim.BSA != 0 || dim.BodyMass < -1 || dim.Time < -1 || dim.Volume != 0 {
		return
	}
	var err error
	if dim.BodyMass == -1 {
		want, err = want.Mul(res.Weight.Value)
	}
	if dim.Time == -1 {
		if x.p.Dosing.Infusion == nil {
			return
		}
		if err == nil {
			want, err = want.Mul(x.p.Dosing.Infusion.Duration)
		}
	}
	if err != nil {
		x.fail(field, ordered, "cannot be compared with the result's requested dose: "+err.Error(), ErrConflict)
		return
	}
	if c, err := want.Cmp(res.RequestedDose); err != nil || c != 0 {
		x.fail(field, ordered, fmt.Sprintf("does not give the result's requested dose %s on %s", res.RequestedDose, res.Weight.Value), ErrConflict)
	}
}

// protocolDose is the protocol's own dose definition (none for bands).
func protocolDose(p *schedule.Protocol) units.Quantity { return p.Dosing.Dose }

// levelDose is the dose definition of a titration level (0-based).
func levelDose(p *schedule.Protocol, level int) units.Quantity {
	if t := p.Titration; t != nil && level >= 0 && level < len(t.Steps) {
		return t.Steps[level]
	}
	return protocolDose(p)
}

// instant writes t as a FHIR dateTime/instant with its offset.
func instant(t time.Time) string { return t.Format(time.RFC3339Nano) }
