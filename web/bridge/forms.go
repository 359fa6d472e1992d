package bridge

import (
	"strings"

	"github.com/doseplan/doseplan/internal/cli"
)

// Form is one of the page's forms: the flags of a command that the page
// asks for, with the command line's own names, help texts and groups, so
// that each field of the form is a flag of the command line.
type Form struct {
	Command string  `json:"command"`
	Args    []Field `json:"args,omitempty"` // positional arguments, first
	Fields  []Field `json:"fields"`
	// LeftOut names the command's flags the form does not show, each with
	// the reason.
	LeftOut map[string]string `json:"left_out"`
}

// Field is one field of a form.
type Field struct {
	Name       string   `json:"name"`  // the flag without its dashes, or a positional argument's field
	Label      string   `json:"label"` // "Weight", "Time zone"
	Arg        string   `json:"arg"`   // the help's placeholder: "W", "YYYY-MM-DD"
	Usage      string   `json:"usage"` // the help's text
	Heading    string   `json:"heading"`
	Required   bool     `json:"required"`
	Repeatable bool     `json:"repeatable"`        // one value per line
	Choices    []string `json:"choices,omitempty"` // for a flag of a few words (male|female)
	Positional bool     `json:"positional"`        // not a flag: a positional argument
	Flag       string   `json:"flag,omitempty"`    // "--weight", as the command line spells it
}

// formCommands are the commands the page has a form for, in its order.
func formCommands() []string { return []string{"dose", "check", "plan", "body", "convert"} }

// leftOut are the flags the page does not show as fields, and why.
func leftOut(command string) map[string]string {
	m := map[string]string{"json": "the page runs every command with and without --json, for the results and the worksheet"}
	if command != "body" && command != "convert" {
		m["protocol"] = "the protocol is chosen once, above the forms"
	}
	fhir := "FHIR export is not offered in the page; use the command line"
	if command == "dose" || command == "check" {
		m["batch"] = "a batch of patients or orders from a CSV file is a job for the command line"
	}
	if command == "dose" || command == "plan" {
		m["force"] = "the page writes no file on the disk: a download replaces nothing"
	}
	switch command {
	case "dose":
		for _, n := range []string{"fhir", "fhir-patient", "stamp", "plan-id"} {
			m[n] = fhir
		}
	case "plan":
		m["fhir"], m["fhir-patient"] = fhir, fhir
		m["ics"] = "the iCalendar download writes the file, in memory"
		m["stamp"] = "the iCalendar download stamps the events with the time of the download"
		m["plan-id"] = "asked for by the iCalendar download, the only output that uses it"
		m["worksheet"] = "a session's worksheet is the dose form's, at that session's level"
	}
	return m
}

// labels are the form labels of flags whose name alone does not say what
// they are; other labels are the flag's name in words ("birth-date":
// "Birth date").
func labels() map[string]string {
	return map[string]string{
		"tz":             "Time zone",
		"at":             "Session start time",
		"open":           "Clinic open on",
		"closed":         "Clinic closed on",
		"ack":            "Acknowledgements",
		"ack-by":         "Acknowledged by",
		"as-of":          "Age as of",
		"abw-factor":     "Adjusted body weight factor",
		"bsa-formula":    "Body surface area formula",
		"ibw-formula":    "Ideal body weight formula",
		"level":          "Titration level",
		"session-weight": "Session weights",
		"start":          "First session",
		"order-weight":   "Dosing weight on the order",
		"count":          "Number of dose forms",
		"round":          "Round to",
	}
}

// Forms returns the page's forms, each built from the command line's own
// flags (cli.Flags) less those the page leaves out.
func Forms() []Form {
	var forms []Form
	names := labels()
	for _, cmd := range formCommands() {
		flags, _ := cli.Flags(cmd)
		form := Form{Command: cmd, Fields: []Field{}, LeftOut: leftOut(cmd)}
		if cmd == "convert" {
			form.Args = []Field{
				{Name: "quantity", Label: "Quantity", Arg: "QUANTITY", Usage: `the value to convert, with its unit: "12.5 mcg/kg/min", 176lb, "7 lb 4 oz"`, Heading: "Convert", Required: true, Positional: true},
				{Name: "unit", Label: "To unit", Arg: "UNIT", Usage: "the unit to convert to: mg/kg/h, kg, mL/h", Heading: "Convert", Required: true, Positional: true},
			}
		}
		for _, f := range flags {
			if _, out := form.LeftOut[f.Name]; out {
				continue
			}
			fd := Field{Name: f.Name, Label: names[f.Name], Arg: f.Arg, Usage: f.Usage, Heading: f.Heading,
				Required: f.Required, Repeatable: f.Repeatable, Flag: "--" + f.Name}
			if fd.Label == "" {
				fd.Label = strings.ToUpper(f.Name[:1]) + strings.ReplaceAll(f.Name[1:], "-", " ")
			}
			if strings.Contains(f.Arg, "|") && !strings.ContainsAny(f.Arg, "[]. ") {
				fd.Choices = strings.Split(f.Arg, "|")
			}
			form.Fields = append(form.Fields, fd)
		}
		forms = append(forms, form)
	}
	return forms
}
