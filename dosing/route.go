package dosing

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/doseplan/doseplan/units"
)

// Route is a route of administration, spelled out (ISMP: never "IN", "SL"
// or "NAS").
type Route string

const (
	RouteIntravenous   Route = "intravenous"
	RouteIntramuscular Route = "intramuscular"
	RouteIntranasal    Route = "intranasal"
	RouteSublingual    Route = "sublingual"
	RouteOral          Route = "oral"
)

// knownRoutes is a read-only list of the routes ConvertRoute accepts.
var knownRoutes = [...]Route{RouteIntravenous, RouteIntramuscular, RouteIntranasal, RouteSublingual, RouteOral}

// Bioavailability is the fraction F of a dose given by a route that reaches
// the systemic circulation, as a source reports it, with that source. The
// library has no built-in fractions: they come from the caller or the
// protocol, with the citation. Intravenous is 100 % by definition; its
// Fraction and Citation may be left unset.
type Bioavailability struct {
	Route Route `json:"route"`
	// Fraction is F in %: more than 0 % and at most 100 % (F in (0, 1]).
	Fraction units.Quantity `json:"fraction,omitzero"`
	Citation string         `json:"citation,omitempty"`
	// Caveats are the source's own reservations: study size, variability,
	// formulation.
	Caveats []string `json:"caveats,omitempty"`
}

// routeEstimateLabel heads every route conversion.
const routeEstimateLabel = "ESTIMATE by bioavailability — not dose equivalence for effect; illustrative, for clinician review"

// routeCaveats are stated with every conversion, whatever the drug.
var routeCaveats = [...]string{
	"Bioavailability is not dose equivalence: the same systemic amount by another route does not give the same effect, onset, duration or side effects.",
	"Active metabolites are not counted: after oral and sublingual doses, first-pass metabolism can make them far higher than after an intravenous dose.",
	"Bioavailability varies widely between people and between studies; the fraction used here is one figure from one source.",
}

// swallowedCaveat applies to routes from which part of a dose is swallowed.
const swallowedCaveat = "Part of a sublingual or intranasal dose is swallowed and absorbed as an oral dose, with the oral route's lower bioavailability."

// RouteEstimate is a dose by one route converted to another by the ratio of
// their bioavailabilities. It is an estimate of equal systemic exposure,
// never a dose equivalence, and is never used by Calculate or Check.
type RouteEstimate struct {
	Label string          `json:"label"` // routeEstimateLabel
	Dose  units.Quantity  `json:"dose"`  // by From.Route
	From  Bioavailability `json:"from"`
	To    Bioavailability `json:"to"`
	// Systemic is Dose × F(from): the amount estimated to reach the
	// systemic circulation (the intravenous-equivalent amount).
	Systemic units.Quantity `json:"systemic"`
	// Estimate is Systemic ÷ F(to): the dose by To.Route estimated to give
	// the same systemic amount. It is exact or, where the division does not
	// terminate, kept at units.Places decimal places and flagged inexact in
	// the trail; it is not rounded to a product strength.
	Estimate units.Quantity `json:"estimate"`
	Steps    []Step         `json:"steps"`
	Caveats  []string       `json:"caveats"`
	Notice   string         `json:"notice"`
}

// ConvertRoute estimates the dose by to.Route that gives the same systemic
// amount as dose by from.Route: dose × F(from) ÷ F(to). The dose is a drug
// mass (mg) or a dose per kg (mg/kg). Each non-intravenous route needs its
// fraction and citation; the result states the citations and the caveats,
// including that bioavailability is not dose equivalence for effect.
//
// Worked case (clinical brief WC13): 35 mg intravenous to sublingual at
// F = 30 % is 35 × 100 % ÷ 30 % = 116.67 mg; 300 mg sublingual at F = 25 %
// is 75 mg intravenous-equivalent.
func ConvertRoute(dose units.Quantity, from, to Bioavailability) (RouteEstimate, error) {
	errs := []error{validRouteDose(dose)}
	fromF, err := from.fraction("conversion.from")
	errs = append(errs, err)
	toF, err := to.fraction("conversion.to")
	errs = append(errs, err)
	if from.Route != "" && from.Route == to.Route {
		errs = append(errs, &FieldError{Field: "conversion.to.route", Value: string(to.Route),
			Msg: "the same route as conversion.from.route: nothing to convert", Err: ErrConflict})
	}
	if err := errors.Join(errs...); err != nil {
		return RouteEstimate{}, err
	}
	systemic, err := dose.Mul(fromF)
	if err != nil {
		return RouteEstimate{}, err
	}
	systemic, err = systemic.Convert(dose.Unit())
	if err != nil {
		return RouteEstimate{}, err
	}
	estimate, err := systemic.DivTo(toF, dose.Unit())
	if err != nil {
		return RouteEstimate{}, err
	}
	from.Fraction, to.Fraction = fromF, toF
	e := RouteEstimate{
		Label:    routeEstimateLabel,
		Dose:     dose,
		From:     from,
		To:       to,
		Systemic: systemic,
		Estimate: estimate,
		Notice:   Notice,
	}
	e.Steps = []Step{
		{ID: "systemic_amount", Title: "Systemic amount by the " + string(from.Route) + " route",
			Formula: "systemic amount = dose × F(" + string(from.Route) + ")", Citation: from.citation(),
			Inputs: []Term{{Name: "dose", Value: dose, Source: "caller"}, {Name: "F", Value: fromF, Source: from.source()}},
			Exact:  systemic, Value: systemic, Flags: inexactFlag(systemic)},
		{ID: "route_estimate", Title: "Estimated " + string(to.Route) + " dose",
			Formula: "estimate = systemic amount ÷ F(" + string(to.Route) + ")", Citation: to.citation(),
			Inputs: []Term{{Name: "systemic amount", Value: systemic, Source: "step systemic_amount"}, {Name: "F", Value: toF, Source: to.source()}},
			Exact:  estimate, Value: estimate, Flags: inexactFlag(estimate), Note: "an estimate of equal systemic exposure, not a dose equivalence"},
	}
	e.Caveats = append(e.Caveats, routeCaveats[:]...)
	if from.Route == RouteSublingual || to.Route == RouteSublingual || from.Route == RouteIntranasal || to.Route == RouteIntranasal {
		e.Caveats = append(e.Caveats, swallowedCaveat)
	}
	for _, b := range []Bioavailability{from, to} {
		for _, c := range b.Caveats {
			e.Caveats = append(e.Caveats, c+" ("+string(b.Route)+": "+b.Citation+")")
		}
	}
	return e, nil
}

func validRouteDose(dose units.Quantity) error {
	switch {
	case !dose.IsValid():
		return &FieldError{Field: "conversion.dose", Msg: "required: a dose in mg or mg/kg", Err: ErrMissing}
	case dose.Dimension() != units.Milligram.Dimension() && dose.Dimension() != units.MgPerKg.Dimension():
		return &FieldError{Field: "conversion.dose", Value: dose.String(), Msg: "must be a drug mass (mg) or a dose per kg (mg/kg), not " + dose.Dimension().String(), Err: ErrDimension}
	case dose.Sign() <= 0:
		return &FieldError{Field: "conversion.dose", Value: dose.String(), Msg: "out of range (must be > 0)", Err: ErrRange}
	}
	return nil
}

// fraction validates b and returns its fraction in %, 100 % for an
// intravenous route given without one. field prefixes error fields.
func (b Bioavailability) fraction(field string) (units.Quantity, error) {
	var errs []error
	known := false
	for _, r := range knownRoutes {
		known = known || b.Route == r
	}
	const allowed = "intravenous, intramuscular, intranasal, sublingual or oral"
	switch {
	case b.Route == "":
		errs = append(errs, &FieldError{Field: field + ".route", Msg: "required: " + allowed, Err: ErrMissing})
	case !known:
		errs = append(errs, &FieldError{Field: field + ".route", Value: string(b.Route), Msg: "unknown route (allowed: " + allowed + ")", Err: ErrRange})
	}
	full := units.NewInt(100, units.Percent)
	f := b.Fraction
	var a arith
	switch {
	case !f.IsValid() && b.Route == RouteIntravenous:
		f = full
	case !f.IsValid():
		errs = append(errs, &FieldError{Field: field + ".fraction", Msg: "required: the bioavailability F of the route in %, from a cited source", Err: ErrMissing})
	case f.Dimension() != full.Dimension():
		errs = append(errs, &FieldError{Field: field + ".fraction", Value: f.String(), Msg: "must be a fraction in % (F = 0.3 is \"30 %\"), not " + f.Dimension().String(), Err: ErrDimension})
	case f.Sign() <= 0 || a.cmp(f, full) > 0:
		errs = append(errs, &FieldError{Field: field + ".fraction", Value: f.String(), Msg: "out of range (> 0 % and ≤ 100 %, that is F in (0, 1])", Err: ErrRange})
	case b.Route == RouteIntravenous && a.cmp(f, full) != 0:
		errs = append(errs, &FieldError{Field: field + ".fraction", Value: f.String(), Msg: "out of range (intravenous is 100 % by definition)", Err: ErrRange})
	}
	if b.Route != RouteIntravenous && strings.TrimSpace(b.Citation) == "" {
		errs = append(errs, &FieldError{Field: field + ".citation", Msg: "required: the source of the bioavailability figure", Err: ErrMissing})
	}
	if err := a.join(errs); err != nil {
		return units.Quantity{}, err
	}
	return f, nil
}

func (b Bioavailability) citation() string {
	if b.Citation == "" && b.Route == RouteIntravenous {
		return "intravenous bioavailability is 100 % by definition"
	}
	return b.Citation
}

func (b Bioavailability) source() string {
	if b.Citation == "" && b.Route == RouteIntravenous {
		return "by definition"
	}
	return "caller (cited)"
}

// inexactFlag flags a value that a division kept at units.Places.
func inexactFlag(q units.Quantity) Flags {
	if q.IsValid() && q.Exponent() <= -units.Places {
		return Inexact
	}
	return 0
}

// WriteWorksheet writes the estimate for a pharmacist: the label, the two
// steps with their fractions and citations, the estimate, the caveats and
// the verification notice.
func (e RouteEstimate) WriteWorksheet(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("ROUTE CONVERSION — %s\n", e.Label)
	p("From:     %s %s (F %s; %s)\n", show(e.Dose), e.From.Route, show(e.From.Fraction), e.From.citation())
	p("To:       %s (F %s; %s)\n", e.To.Route, show(e.To.Fraction), e.To.citation())
	p("\nCALCULATION\n")
	for i, s := range e.Steps {
		writeStep(p, i+1, s)
	}
	p("\nESTIMATE\n%s %s → %s %s (systemic amount %s)\n", show(e.Dose), e.From.Route, show(e.Estimate), e.To.Route, show(e.Systemic))
	p("\nCAVEATS\n")
	for _, c := range e.Caveats {
		p("- %s\n", c)
	}
	p("\n%s\n", e.Notice)
	return b.Flush()
}
