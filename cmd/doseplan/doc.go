// Command doseplan computes weight-based doses, preparation volumes, infusion
// rates and treatment-session plans from a clinic's protocol, for a
// pharmacist or clinician to verify. Everything it prints is for clinician
// verification — not a prescription, and every text output ends with that
// notice.
//
// Usage:
//
//	doseplan COMMAND [flags]
//	doseplan help COMMAND
//	doseplan --version
//
// The commands:
//
//	body       body size: BMI, BSA, ideal, adjusted and lean body weight
//	dose       one session's dose, preparation, pump settings and worksheet
//	check      verify an order as written against the protocol and the patient
//	plan       the series of sessions on the clinic's calendar (text, JSON, iCalendar)
//	record     add what happened at a session to the patient's record file
//	replan     the rest of the series from the record, and what changed
//	gate       pre-session vital signs against the protocol's gates
//	convert    convert between units, and between dose, pump and drip rates
//	pk         predicted plasma and effect-site levels (a model estimate)
//	envelope   a protocol over a grid of patients: ranges, refusals, warnings, caps
//	lint       check protocol files: errors and findings for review
//	protocols  list the embedded example protocols, or print one
//
// For example:
//
//	doseplan dose --protocol example:iv-ketamine-trd --weight 80kg --height 175cm --sex male --age 45
//	doseplan plan --protocol clinic.yaml --weight 176lb --height 5ft10in --sex male \
//	    --start 2025-03-03 --tz America/New_York --open mon-fri --at 09:00 --closed 2025-04-18
//	doseplan convert "12.5 mcg/kg/min" mL/h --weight 80kg --concentration 1mg/mL
//	doseplan convert "500 mL" h --rate "120 mL/h" --start 22:00 --elapsed 1h30min
//
// # Input
//
// Every quantity carries its unit and follows the grammar of package units:
// --weight 80kg, --weight "80 kg", --weight 176lb, --height 178cm; and, read
// by units.ParseEntry, compounds (--height 5ft10in, --weight "7 lb 4 oz",
// --duration 4h30min), an amount in a volume (--concentration "250 mg in
// 500 mL"), percent and ratio strength ("1 % w/v", 1:1000). A number without
// a unit, a naked decimal (".5 mg"), scientific notation, thousands
// separators, ambiguous units (cc, U, IU, mg/kg/d) and decimal feet or hours
// that read two ways (5.10ft, 1.30h) are refused with what to write instead.
// An age is --age N in completed years, or --birth-date with --as-of (not
// both); a protocol that bounds the patients' age needs one of them.
// Dates are YYYY-MM-DD; --tz is an IANA zone name (the binary embeds the zone
// database, so zones work on any host). A protocol is a YAML or JSON file, "-"
// for standard input, or example:NAME for one of the embedded examples.
//
// Flags may come before or after positional arguments. Every unreadable
// flag value is reported at once, one line each; a single-valued flag given
// twice is an error rather than "the last one wins"; a flag a command does
// not use for the values given is an error rather than silently ignored.
//
// Nothing reads the clock or the time zone of the machine, with one
// exception the user asks for by name: "--stamp now" reads the clock, for
// the DTSTAMP of an iCalendar export, the time of a FHIR export, or when a
// record's entry was written. Ages come from --birth-date and --as-of.
//
// # Output
//
// By default each command writes a text worksheet or table for people,
// ending with "For clinician verification — not a prescription". With --json
// it writes one JSON document with a versioned schema,
// {"schema": "doseplan/<command>/v1", …}, documented in SCHEMA.md beside this
// file; every quantity in it is a string with its value and unit ("40 mg"),
// which package units parses back exactly. "plan --ics FILE" also writes the
// sessions as an iCalendar (RFC 5545) file, and "dose --fhir FILE" and
// "plan --fhir FILE" the dose or plan as a FHIR R4 Bundle of draft proposals
// (package fhir; "-" writes it to standard output instead). A file a flag
// names is created where nothing is: one already there is replaced only with
// --force, and never a link, a device, a directory or a file the command
// reads; no export is written while a review warning is unacknowledged.
//
// "record" adds to a patient's session record, a YAML file it creates and
// then only ever appends to (a correction is a new entry); "replan" reads it.
// "dose --batch FILE" and "check --batch FILE" run once per row of a CSV file
// whose header names the command's flags; --json then writes JSON Lines.
//
// Soft-limit and plausibility warnings need an acknowledgement with a
// reason, --ack "KEY=REASON" (repeatable, with --ack-by NAME), which is
// recorded in the worksheet and the JSON.
//
// # Exit codes
//
//	0  done
//	1  input or protocol error: the library refused a value, the protocol is
//	   invalid, a file could not be read or written
//	2  usage error: unknown command or flag, a missing required flag, a flag
//	   value that cannot be read (a quantity without a unit, a bad date, an
//	   unknown time zone)
//	3  refused by a hard limit: no result is printed
//	4  soft-limit (review) warnings not acknowledged: the result is printed,
//	   then doseplan exits 4
//	5  check did not confirm the order: a mismatch, or nothing could be
//	   compared
//	6  gate: a hold gate is met; the session does not proceed
//
// Where several apply, the first in this order wins: 2, 1, 3, 5, 4. Errors
// go to standard error, one line each, prefixed "doseplan: ", naming the flag
// or field and quoting the value; with --json, errors after the command line
// was read are also written to standard output as a doseplan/error/v1
// document.
package main
