// Package fhir exports doses and session plans as FHIR R4 (4.0.1) JSON, so
// that an EHR or a FHIR server can take them as they are instead of a person
// re-typing them.
//
// Dose writes one dosing.Result; Plan writes a schedule.SessionPlan. Each
// returns a Bundle of type collection, and every export carries:
//
//   - MedicationRequests with status "draft" and intent "proposal", never an
//     active order: doseplan proposes, a clinician prescribes. The notice
//     "For clinician verification — not a prescription" is the first note of
//     each. The medication is the protocol's drug as text, coded with the
//     protocol's drug_code when it has one (doseplan supplies no code).
//   - A Dosage with doseAndRate entries typed from the R4 code system
//     http://terminology.hl7.org/CodeSystem/dose-rate-type: "ordered" for
//     the protocol's dose definition (0.5 mg/kg, or the titration level) and
//     "calculated" for what it gives this patient (40 mg at 156 mL/h; for
//     dose forms also the count, 2 {device}; for a gravity set the drip
//     rate). timing carries the infusion's duration, route a SNOMED CT route
//     code where the route is one the package knows, maxDosePerAdministration
//     the protocol's cap, and maxDosePerPeriod one cumulative cap (R4 allows
//     one: per day if the protocol has it, else per 7 days; every cap is in
//     the CarePlan's notes). A loading dose is a Dosage of its own (sequence
//     1) and the rest of the dose follows (sequence 2), so that the two
//     doses add up to the session's.
//   - A Provenance naming the protocol (name, version, SHA-256 of its
//     document) and the software (Options.Software), recorded at
//     Options.Recorded.
//
// A plan adds one Appointment per session (status "proposed", from the start
// of its pre-checks to its earliest discharge, the patient a participant who
// needs to act) and a CarePlan (draft, proposal) linking the requests and the
// appointments, with each timed check of the protocol as an activity listing
// its instants. Sessions resting on a titration step nobody decided yet are
// requests of their own with the category ProposedEscalation.
//
// # Quantities
//
// Every Quantity has system http://unitsofmeasure.org, the UCUM code of its
// unit in code (mg, ug, mL, mg/kg, ug/kg/min, mL/h, {device}) and the ISMP
// display in unit (mcg, devices). Values are the exact decimals of
// package units, written as JSON numbers from their text, never through
// float64; a value that does not terminate within 20 decimal places is
// refused (ErrInexact) rather than passed off as exact. UCUM's drop [drp] is
// a fixed 1/20 mL, not a giving set's drop: a drip rate is written in
// [drp]/min only with a 20 gtt/mL set, otherwise in {drop}/min, and the set's
// drop factor always goes beside it in the extension DropFactorURL.
//
// # Identity and determinism
//
// Nothing is read from the clock or the environment. Resource ids
// ("appt-3861b1e1e3f1c487-4") and fullUrls (name-based urn:uuid) derive from
// the protocol's SHA-256, Options.ID and the series position only, so the
// same plan exports byte for byte the same, and a replanned plan keeps each
// session's ids. The https://github.com/doseplan/doseplan/fhir/… URLs are
// identifiers of doseplan's own code system, extension and identifier
// namespaces, not pages.
//
// # Validation
//
// The tests validate every export against the official R4 definitions with
// Google's FHIR library (tools/fhirvalidate, a module of its own so that this
// package never links protobuf), read each one back to compare instants,
// doses and rates, check them against the R4 JSON schema as a second, weaker
// check (tools/fhirschema), and check every UCUM code with @lhncbc/ucum-lhc
// (tools/ucum). This package imports dosing, schedule and units; nothing in
// the library imports it.
package fhir
