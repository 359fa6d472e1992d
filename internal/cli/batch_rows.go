package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// What one row of "check --batch" and "dose --batch" shows: the verdict or
// the result, and why.

// checkRowDoc is a checked order in short (doseplan/check-batch/v1): the
// verdicts, each value compared, the likely causes, the warnings to review.
type checkRowDoc struct {
	Matches      bool                 `json:"matches"`
	Agreement    dosing.Verdict       `json:"agreement"`
	Consistency  dosing.Verdict       `json:"consistency"`
	Limits       dosing.Verdict       `json:"limits"`
	Fields       []checkRowField      `json:"fields"`
	LikelyCauses []dosing.LikelyCause `json:"likely_causes"`
	Review       []string             `json:"review"` // keys of the protocol's warnings not acknowledged
}

type checkRowField struct {
	Field        string         `json:"field"`
	Ordered      units.Quantity `json:"ordered"`
	Expected     units.Quantity `json:"expected,omitzero"`
	DeviationPct units.Quantity `json:"deviation_pct,omitzero"`
	Verdict      dosing.Verdict `json:"verdict"`
}

// checkBatch is check's steps for one row of a batch; the order's flags
// are made once, and only read.
func checkBatch() rower {
	ofs := orderFlags()
	return batched[checkRequest, checkResponse]{
		func() stepper[checkRequest, checkResponse] { return &checkCmd{orderFlags: ofs} }, checkRow}
}

// checkRow is the batch row of a checked order.
func checkRow(_ checkRequest, resp checkResponse) batchRow {
	res := resp.doc.Check
	doc := &checkRowDoc{Matches: res.Matches(), Agreement: res.Agreement, Consistency: res.Consistency, Limits: res.Limits,
		Fields: []checkRowField{}, LikelyCauses: res.LikelyCauses, Review: []string{}}
	if doc.LikelyCauses == nil {
		doc.LikelyCauses = []dosing.LikelyCause{}
	}
	var agree, differ []string
	for _, fc := range res.Fields {
		doc.Fields = append(doc.Fields, checkRowField{Field: fc.Field, Ordered: fc.Ordered, Expected: fc.Expected, DeviationPct: fc.DeviationPct, Verdict: fc.Verdict})
		switch fc.Verdict {
		case dosing.Match:
			agree = append(agree, fc.Field+" "+fc.Ordered.String())
		case dosing.Mismatch:
			t := fc.Field + " " + fc.Ordered.String()
			if fc.Expected.IsValid() {
				t += " (expected " + fc.Expected.String()
				if fc.DeviationPct.IsValid() {
					t += ", " + signed(fc.DeviationPct)
				}
				t += ")"
			}
			differ = append(differ, t)
		}
	}
	for _, rc := range res.Relations {
		if rc.Verdict == dosing.Mismatch {
			differ = append(differ, rc.Relation+": stated "+rc.Stated.String()+", derived "+show(rc.Derived))
		}
	}
	row := batchRow{Check: doc}
	for _, w := range res.Expected.Unacknowledged() {
		doc.Review = append(doc.Review, w.Key)
	}
	for _, lc := range res.LikelyCauses {
		row.Causes = append(row.Causes, string(lc.Kind)+" ("+strings.Join(lc.Where, ", ")+")")
	}
	switch {
	case res.Matches() && len(doc.Review) > 0:
		row.Status, row.ExitCode = statusReview, exitReview
		row.Result = "matches: " + strings.Join(agree, ", ")
		for _, w := range res.Expected.Unacknowledged() {
			row.Causes = append(row.Causes, w.Key+" needs review: "+w.Message)
		}
	case res.Matches():
		row.Status, row.ExitCode = statusConfirmed, exitOK
		row.Result = "matches: " + strings.Join(agree, ", ")
	case len(differ) == 0 && res.Limits != dosing.Mismatch:
		row.Status, row.ExitCode = statusNotCompared, exitMismatch
		row.Result = "nothing could be compared with the protocol"
	default:
		row.Status, row.ExitCode = statusMismatch, exitMismatch
		row.Result = "does not match: " + strings.Join(differ, "; ")
		if res.Limits == dosing.Mismatch {
			// The verdict's first line says what the order gives beyond a
			// hard limit or a cap.
			first, _, _ := strings.Cut(res.Summary, "\n")
			row.Causes = append([]string{first}, row.Causes...)
		}
	}
	return row
}

// doseRowDoc is a dose in short (doseplan/dose-batch/v1): what is given and
// how, and the warnings to review.
type doseRowDoc struct {
	Dose        units.Quantity `json:"dose"`
	DosePerKg   units.Quantity `json:"dose_per_kg,omitzero"`
	Count       units.Quantity `json:"count,omitzero"`
	Draw        units.Quantity `json:"draw,omitzero"`
	Stock       units.Quantity `json:"stock,omitzero"`
	FinalVolume units.Quantity `json:"final_volume,omitzero"`
	PumpRate    units.Quantity `json:"pump_rate,omitzero"`
	Duration    units.Quantity `json:"duration,omitzero"`
	DoseRate    units.Quantity `json:"dose_rate,omitzero"`
	Review      []string       `json:"review"`   // keys of the warnings not acknowledged
	Warnings    []string       `json:"warnings"` // every warning's key
	SHA256      string         `json:"protocol_sha256"`
}

// doseRow is the batch row of a dose.
func doseRow(_ doseRequest, resp doseResponse) batchRow {
	res := resp.doc.Result
	doc := &doseRowDoc{Dose: res.Dose, DosePerKg: res.DosePerKg, Review: []string{}, Warnings: []string{}, SHA256: res.Provenance.SHA256}
	parts := []string{res.Dose.String()}
	if f := res.Form; f != nil {
		doc.Count = f.Count
		parts = append(parts, f.Count.String()+" of "+f.Strength.String())
	}
	if p := res.Preparation; p != nil {
		doc.Draw, doc.Stock, doc.FinalVolume = p.Draw, p.Stock, p.FinalVolume
		parts = append(parts, p.Draw.String()+" of "+p.Stock.String())
	}
	if in := res.Infusion; in != nil {
		doc.PumpRate, doc.Duration, doc.DoseRate = in.PumpRate, in.Duration, in.DoseRate
		parts = append(parts, in.PumpRate.String()+" × "+in.Duration.String())
	}
	row := batchRow{Dose: doc, Result: strings.Join(parts, ", ")}
	for _, w := range res.Warnings {
		doc.Warnings = append(doc.Warnings, w.Key)
	}
	for _, w := range res.Unacknowledged() {
		doc.Review = append(doc.Review, w.Key)
		row.Causes = append(row.Causes, w.Key+" needs review: "+w.Message)
	}
	row.Status, row.ExitCode = statusConfirmed, exitOK
	if len(doc.Review) > 0 {
		row.Status, row.ExitCode = statusReview, exitReview
	}
	return row
}

// writeJSONCompact writes v as one line of JSON, without HTML escaping,
// ending with a newline: a line of JSON Lines.
func writeJSONCompact(w io.Writer, v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
