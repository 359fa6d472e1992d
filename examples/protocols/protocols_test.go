package protocols_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/schedule"
)

// Every embedded protocol loads strictly, lints without findings, cites its
// sources and says it is an example to be reviewed.
func TestEmbeddedProtocolsLoad(t *testing.T) {
	names := protocols.Names()
	if len(names) < 4 {
		t.Fatalf("Names() = %v, want at least the four example protocols", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			doc, err := protocols.Read(name)
			if err != nil {
				t.Fatal(err)
			}
			p, err := schedule.LoadProtocol(doc)
			if err != nil {
				t.Fatalf("LoadProtocol: %v", err)
			}
			text := string(doc)
			// A rounding tolerance is declared only where a source or the
			// protocol's own logic gives one; the file then says why it has
			// none, and lint's finding of it is the only one allowed.
			if !strings.Contains(text, "rounding_tolerance") {
				t.Error("the file neither declares a rounding_tolerance nor says why it has none")
			}
			for _, f := range p.Findings() {
				if f.Field != "dose.rounding_tolerance" || strings.Contains(text, "\n  rounding_tolerance:") {
					t.Errorf("lint finding: %v", f)
				}
			}
			if !strings.Contains(text, "EXAMPLE PROTOCOL: to be reviewed and adapted by the clinic") {
				t.Error("the file does not say it is an example to be reviewed by the clinic")
			}
			if len(p.Dosing.Source) < 40 {
				t.Errorf("source %q does not cite its sources", p.Dosing.Source)
			}
		})
	}
}

func TestReadUnknown(t *testing.T) {
	_, err := protocols.Read("no-such-protocol")
	var nf *protocols.NotFoundError
	if !errors.As(err, &nf) || nf.Name != "no-such-protocol" {
		t.Fatalf("Read(unknown) error = %v, want *NotFoundError naming it", err)
	}
	if !strings.Contains(err.Error(), "iv-ketamine-trd") {
		t.Errorf("error %q does not list the available protocols", err)
	}
}
