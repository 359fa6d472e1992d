package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
)

func protocolsCommand() command {
	return command{
		name:     "protocols",
		summary:  "list the embedded example protocols, or print one",
		synopsis: "doseplan protocols [NAME] [--json]",
		about: `Lists the example protocols built into doseplan, or prints one as it is
embedded, byte for byte, so that a saved copy has the same SHA-256. Use one
with --protocol example:NAME, or save it as the start of a clinic's own
protocol: every example cites its sources and is to be reviewed and adapted
by the clinic; none is a recommendation.`,
		examples: []string{
			"doseplan protocols",
			"doseplan protocols iv-ketamine-trd > clinic-iv.yaml",
		},
		exits: "0 done; 1 unknown example; 2 usage error",
		steps: func() steps { return typed[protocolsRequest, protocolsDoc]{new(protocolsCmd)} },
	}
}

// protocolsCmd is "doseplan protocols": its flags, and its steps.
type protocolsCmd struct{ asJSON *bool }

// protocolsRequest is a protocols command line, read.
type protocolsRequest struct {
	Output
	Name string // the example to print; "" lists them all
}

func (c *protocolsCmd) define(f *flagSet) {
	f.heading("Output")
	c.asJSON = f.boolean("json", "write JSON (schema doseplan/protocols/v1)")
}

func (c *protocolsCmd) parse(f *flagSet, args []string) protocolsRequest {
	r := protocolsRequest{Output: Output{JSON: *c.asJSON}}
	switch {
	case len(args) > 1:
		f.errs = append(f.errs, fmt.Sprintf("give at most one example name (got %d)", len(args)))
	case len(args) == 1:
		r.Name = args[0]
	}
	return r
}

func (c *protocolsCmd) run(_ *Env, r protocolsRequest) (protocolsDoc, error) {
	names := protocols.Names()
	if r.Name != "" {
		names = []string{r.Name}
	}
	doc := protocolsDoc{Schema: schemaName("protocols"), Notice: dosing.Notice, Protocols: []exampleDoc{}}
	for _, n := range names {
		b, err := protocols.Read(n)
		if err != nil {
			return doc, err
		}
		x := exampleDoc{Name: n, Use: "example:" + n}
		p, err := schedule.LoadProtocol(b)
		if err != nil {
			return doc, fmt.Errorf("example %q: %w", n, err)
		}
		x.Title, x.Version, x.Drug, x.Route, x.Source, x.SHA256 = p.Dosing.Name, p.Dosing.Version, p.Dosing.Drug, p.Dosing.Route, p.Dosing.Source, p.SHA256()
		if r.Name != "" {
			x.Document = string(b)
		}
		doc.Protocols = append(doc.Protocols, x)
	}
	return doc, nil
}

// render lists the examples, or prints the one asked for byte for byte
// (its JSON document has it as a string).
func (c *protocolsCmd) render(e *Env, r protocolsRequest, doc protocolsDoc) int {
	if r.Name == "" || r.JSON {
		return e.output(r.JSON, doc, doc.write)
	}
	if _, err := io.WriteString(e.Stdout, doc.Protocols[0].Document); err != nil {
		fmt.Fprintf(e.Stderr, "doseplan: writing the output: %v\n", err)
		return exitInput
	}
	return exitOK
}

// protocolsDoc is the JSON document of "doseplan protocols"
// (doseplan/protocols/v1).
type protocolsDoc struct {
	Schema    string       `json:"schema"`
	Notice    string       `json:"notice"`
	Protocols []exampleDoc `json:"protocols"`
}

type exampleDoc struct {
	Name     string `json:"name"` // "iv-ketamine-trd"
	Use      string `json:"use"`  // "example:iv-ketamine-trd", for --protocol
	Title    string `json:"title"`
	Version  string `json:"version"`
	Drug     string `json:"drug"`
	Route    string `json:"route"`
	Source   string `json:"source"`
	SHA256   string `json:"sha256"`
	Document string `json:"document,omitempty"` // the file, when one example is asked for
}

func (d protocolsDoc) write(w io.Writer) error {
	fmt.Fprintln(w, "EXAMPLE PROTOCOLS (to be reviewed and adapted by the clinic; none is a recommendation)")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDRUG\tROUTE\tVERSION")
	for _, x := range d.Protocols {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", x.Name, x.Drug, x.Route, x.Version)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	for _, x := range d.Protocols {
		fmt.Fprintf(w, "%s: %s\n", x.Name, x.Title)
	}
	fmt.Fprintln(w, "\nUse one with --protocol example:NAME; print it with \"doseplan protocols NAME\".")
	fmt.Fprintf(w, "\n%s\n", d.Notice)
	return nil
}
