package fhir

import "encoding/json"

// The structs below are the small subset of FHIR R4 (4.0.1) that the export
// writes, field names and order as the specification's JSON form has them.
// Numbers are json.Number written from each quantity's exact decimal text,
// never through float64. Optional elements are omitted when empty; every
// element R4 requires (1..1 or 1..*) is a field without omitempty, so that a
// missing one shows as an empty value the validator refuses rather than as
// silence.

type bundle struct {
	ResourceType string      `json:"resourceType"` // "Bundle"
	ID           string      `json:"id"`
	Identifier   *identifier `json:"identifier,omitempty"`
	Type         string      `json:"type"` // "collection"
	Timestamp    string      `json:"timestamp,omitempty"`
	Entry        []entry     `json:"entry"`
}

type entry struct {
	FullURL  string `json:"fullUrl"`
	Resource any    `json:"resource"`
}

type medicationRequest struct {
	ResourceType              string            `json:"resourceType"` // "MedicationRequest"
	ID                        string            `json:"id"`
	Identifier                []identifier      `json:"identifier,omitempty"`
	Status                    string            `json:"status"` // "draft"
	Intent                    string            `json:"intent"` // "proposal"
	Category                  []codeableConcept `json:"category,omitempty"`
	MedicationCodeableConcept codeableConcept   `json:"medicationCodeableConcept"`
	Subject                   reference         `json:"subject"`
	AuthoredOn                string            `json:"authoredOn,omitempty"`
	GroupIdentifier           *identifier       `json:"groupIdentifier,omitempty"`
	Note                      []annotation      `json:"note,omitempty"`
	DosageInstruction         []dosage          `json:"dosageInstruction"`
}

type dosage struct {
	Sequence                 int              `json:"sequence,omitempty"`
	Text                     string           `json:"text,omitempty"`
	Timing                   *timing          `json:"timing,omitempty"`
	Route                    *codeableConcept `json:"route,omitempty"`
	DoseAndRate              []doseAndRate    `json:"doseAndRate,omitempty"`
	MaxDosePerPeriod         *ratio           `json:"maxDosePerPeriod,omitempty"`
	MaxDosePerAdministration *quantity        `json:"maxDosePerAdministration,omitempty"`
}

type doseAndRate struct {
	Extension    []extension     `json:"extension,omitempty"`
	Type         codeableConcept `json:"type"`
	DoseQuantity *quantity       `json:"doseQuantity,omitempty"`
	RateQuantity *quantity       `json:"rateQuantity,omitempty"`
}

type timing struct {
	Event  []string      `json:"event,omitempty"`
	Repeat *timingRepeat `json:"repeat,omitempty"`
}

type timingRepeat struct {
	BoundsPeriod *period     `json:"boundsPeriod,omitempty"`
	Count        int         `json:"count,omitempty"`
	Duration     json.Number `json:"duration,omitempty"`
	DurationUnit string      `json:"durationUnit,omitempty"`
}

type appointment struct {
	ResourceType          string        `json:"resourceType"` // "Appointment"
	ID                    string        `json:"id"`
	Identifier            []identifier  `json:"identifier,omitempty"`
	Status                string        `json:"status"` // "proposed", "fulfilled"
	Description           string        `json:"description,omitempty"`
	SupportingInformation []reference   `json:"supportingInformation,omitempty"`
	Start                 string        `json:"start,omitempty"`
	End                   string        `json:"end,omitempty"`
	MinutesDuration       int           `json:"minutesDuration,omitempty"`
	Comment               string        `json:"comment,omitempty"`
	Participant           []participant `json:"participant"`
}

type participant struct {
	Actor    reference `json:"actor"`
	Required string    `json:"required,omitempty"` // "required"
	Status   string    `json:"status"`             // "needs-action", "accepted"
}

type carePlan struct {
	ResourceType string       `json:"resourceType"` // "CarePlan"
	ID           string       `json:"id"`
	Identifier   []identifier `json:"identifier,omitempty"`
	Status       string       `json:"status"` // "draft"
	Intent       string       `json:"intent"` // "proposal"
	Title        string       `json:"title,omitempty"`
	Description  string       `json:"description,omitempty"`
	Subject      reference    `json:"subject"`
	Period       *period      `json:"period,omitempty"`
	Created      string       `json:"created,omitempty"`
	Activity     []activity   `json:"activity,omitempty"`
	Note         []annotation `json:"note,omitempty"`
}

type activity struct {
	Reference *reference      `json:"reference,omitempty"`
	Detail    *activityDetail `json:"detail,omitempty"`
}

type activityDetail struct {
	Code            *codeableConcept `json:"code,omitempty"`
	Status          string           `json:"status"` // "not-started"
	ScheduledTiming *timing          `json:"scheduledTiming,omitempty"`
	Description     string           `json:"description,omitempty"`
}

type provenance struct {
	ResourceType string             `json:"resourceType"` // "Provenance"
	ID           string             `json:"id"`
	Target       []reference        `json:"target"`
	Recorded     string             `json:"recorded"`
	Agent        []provenanceAgent  `json:"agent"`
	Entity       []provenanceEntity `json:"entity,omitempty"`
}

type provenanceAgent struct {
	Type *codeableConcept `json:"type,omitempty"`
	Who  reference        `json:"who"`
}

type provenanceEntity struct {
	Role string    `json:"role"` // "source"
	What reference `json:"what"`
}

type codeableConcept struct {
	Coding []coding `json:"coding,omitempty"`
	Text   string   `json:"text,omitempty"`
}

type coding struct {
	System  string `json:"system"`
	Code    string `json:"code"`
	Display string `json:"display,omitempty"`
}

type quantity struct {
	Value  json.Number `json:"value"`
	Unit   string      `json:"unit"`
	System string      `json:"system"`
	Code   string      `json:"code"`
}

type ratio struct {
	Numerator   quantity `json:"numerator"`
	Denominator quantity `json:"denominator"`
}

type period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

type reference struct {
	Reference  string      `json:"reference,omitempty"`
	Identifier *identifier `json:"identifier,omitempty"`
	Display    string      `json:"display,omitempty"`
}

type identifier struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

type annotation struct {
	Text string `json:"text"`
}

type extension struct {
	URL           string    `json:"url"`
	ValueQuantity *quantity `json:"valueQuantity,omitempty"`
}
