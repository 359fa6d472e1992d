package fhir

import (
	"encoding/json"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// Code systems and identifiers. The doseplan URLs are identifiers, not pages:
// FHIR names code systems, extensions and identifier namespaces by URI, and
// these are under the project's own repository address so that they cannot
// collide with anyone else's.
const (
	ucumSystem     = "http://unitsofmeasure.org"
	snomedSystem   = "http://snomed.info/sct"
	doseRateSystem = "http://terminology.hl7.org/CodeSystem/dose-rate-type"
	agentSystem    = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"

	base = "https://github.com/doseplan/doseplan/fhir"
	// DropFactorURL is the extension on a drip-rate doseAndRate entry that
	// carries the giving set's drop factor (valueQuantity in {drop}/mL).
	DropFactorURL = base + "/StructureDefinition/drop-factor"
	// TitrationSystem codes a MedicationRequest's category: ProposedEscalation
	// marks the sessions that rest on a titration step nobody decided yet.
	TitrationSystem    = base + "/CodeSystem/titration"
	ProposedEscalation = "proposed-escalation"

	planSystem     = base + "/plan"            // identifier: the plan's key
	sessionSystem  = base + "/session"         // identifier: plan key "/" series position
	protocolSystem = base + "/protocol-sha256" // identifier: the protocol document's SHA-256
)

// routeCodes are SNOMED CT route-of-administration concepts, with the
// display of the FHIR R4 (4.0.1) expansion of the example value set
// http://hl7.org/fhir/ValueSet/route-codes. A route not in this table is
// written as text only: a code is never guessed.
var routeCodes = map[dosing.Route]coding{
	dosing.RouteIntravenous:   {System: snomedSystem, Code: "47625008", Display: "Intravenous use"},
	dosing.RouteIntranasal:    {System: snomedSystem, Code: "46713006", Display: "Nasal use"},
	dosing.RouteSublingual:    {System: snomedSystem, Code: "37839007", Display: "Sublingual use"},
	dosing.RouteOral:          {System: snomedSystem, Code: "26643006", Display: "Oral use"},
	dosing.RouteIntramuscular: {System: snomedSystem, Code: "78421000", Display: "Intramuscular use"},
}

func routeOf(route string) *codeableConcept {
	if route == "" {
		return nil
	}
	cc := &codeableConcept{Text: route}
	if c, ok := routeCodes[dosing.Route(route)]; ok {
		cc.Coding = []coding{c}
	}
	return cc
}

// doseRateType is a doseAndRate.type from the R4 code system dose-rate-type:
// "ordered" (the protocol's dose definition, 0.5 mg/kg) or "calculated"
// (what it gives for this patient, 40 mg at 156 mL/h).
func doseRateType(code string) codeableConcept {
	display := map[string]string{"ordered": "Ordered", "calculated": "Calculated"}[code]
	return codeableConcept{Coding: []coding{{System: doseRateSystem, Code: code, Display: display}}}
}

// maxPlaces is the most decimal places an exported value may have. Every
// value the export writes is a protocol value, a product of exact values or
// a value rounded to a declared step, so it terminates; a value with more
// places is a division kept at units.Places, which the export refuses to
// pass off as exact.
const maxPlaces = 20

// quantityOf writes q as a FHIR Quantity: the exact decimal value, the ISMP
// display of the unit in unit ("mcg", "devices"), and the UCUM code in code.
func quantityOf(q units.Quantity) (quantity, bool) {
	if places(q) > maxPlaces {
		return quantity{}, false
	}
	num, _, _ := strings.Cut(q.Text(), " ")
	_, unit, _ := strings.Cut(q.String(), " ")
	return quantity{Value: json.Number(num), Unit: unit, System: ucumSystem, Code: q.Unit().UCUM()}, true
}

// dripRateCode is the UCUM code of a drip rate. UCUM's drop [drp] is a
// fixed metric drop of 1/20 mL, not the drop of the giving set, so a drip
// rate is written in [drp]/min only when the set's drop factor is 20 gtt/mL,
// where the two agree and a receiver that converts drops to millilitres gets
// the right volume. With any other set it is written in {drop}/min, an
// annotation a receiver cannot convert, and the set's drop factor is carried
// beside it (DropFactorURL) in either case.
func dripRateCode(dropFactor units.Quantity) string {
	if c, err := dropFactor.Cmp(units.NewInt(20, units.DropsPerML)); err == nil && c == 0 {
		return "[drp]/min"
	}
	return units.DropsPerMin.UCUM()
}

// show displays q as the worksheets do: at most four decimal places, marked
// "≈" when that drops digits.
func show(q units.Quantity) string {
	if !q.IsValid() {
		return "—"
	}
	if places(q) <= 4 {
		return q.String()
	}
	return "≈ " + units.New(q.Value().Round(4), q.Unit()).String()
}

// places is the number of decimal places of q's canonical text (trailing
// zeros never count), and more than any limit for the invalid Quantity.
func places(q units.Quantity) int {
	if !q.IsValid() {
		return units.Places + 1
	}
	num, _, _ := strings.Cut(q.Text(), " ")
	_, frac, _ := strings.Cut(num, ".")
	return len(frac)
}
