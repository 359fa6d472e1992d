package schedule

import "github.com/doseplan/doseplan/dosing"

// Check double-checks an order as written against the protocol for a
// patient (see dosing.Check), with the protocol's provenance, including the
// SHA-256 of its document, in the result and in its independent calculation.
// The protocol's check_tolerances apply where opt.Tolerances sets none;
// fields neither sets keep the defaults (dosing.OrderField.DefaultTolerance).
func (p *Protocol) Check(order dosing.Order, patient dosing.Patient, opt dosing.CheckOptions) (dosing.CheckResult, error) {
	if p == nil {
		return dosing.CheckResult{}, &FieldError{Field: "protocol", Msg: "is missing", Err: ErrMissing}
	}
	opt.Tolerances = p.CheckTolerances.With(opt.Tolerances)
	res, err := dosing.Check(order, patient, p.Dosing, opt)
	if err != nil {
		return dosing.CheckResult{}, err
	}
	res.Provenance.SHA256 = p.sha256
	res.Expected.Provenance.SHA256 = p.sha256
	return res, nil
}
