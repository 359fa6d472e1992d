// Command fhirvalidate validates FHIR R4 JSON files against the official R4
// definitions, as compiled into Google's FHIR protocol buffers
// (github.com/google/fhir/go): required elements, cardinalities, value types,
// the codes of required bindings and unknown elements are all checked.
// It is a test tool of doseplan, in a module of its own so that the library
// never depends on protobuf.
//
// Usage:
//
//	fhirvalidate [-canonical DIR] FILE...
//
// Each FILE holds one resource (a Bundle, say). On top of the unmarshaller's
// checks, fhirvalidate refuses a Bundle reference ("urn:uuid:…") that names
// no entry's fullUrl and a code outside the fixed R4 code systems that
// doseplan writes (dose-rate-type, provenance-participant-type), which the
// unmarshaller does not check. With -canonical it also writes each resource
// as the validator read it, re-marshalled from the protocol buffers, to
// DIR/<base name of FILE>, so that a test can compare what was read with what
// was written. It prints "ok FILE" per valid file and "FILE: error" per
// problem, and exits 1 if any file failed.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/google/fhir/go/fhirversion"
	"github.com/google/fhir/go/jsonformat"
)

// fixedCodes are the codes of the R4 (4.0.1) code systems that doseplan
// writes and that the unmarshaller leaves unchecked (their bindings are
// example or extensible), from terminology.hl7.org.
var fixedCodes = map[string][]string{
	"http://terminology.hl7.org/CodeSystem/dose-rate-type": {"calculated", "ordered"},
	"http://terminology.hl7.org/CodeSystem/provenance-participant-type": {"enterer", "performer", "author", "verifier",
		"legal", "attester", "informant", "custodian", "assembler", "composer"},
}

func main() {
	canonical := flag.String("canonical", "", "write each resource as read back to this directory")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: fhirvalidate [-canonical DIR] FILE...")
		os.Exit(2)
	}
	um, err := jsonformat.NewUnmarshaller("UTC", fhirversion.R4)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fhirvalidate:", err)
		os.Exit(2)
	}
	m, err := jsonformat.NewPrettyMarshaller(fhirversion.R4)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fhirvalidate:", err)
		os.Exit(2)
	}
	failed := false
	for _, name := range flag.Args() {
		problems := validate(um, m, name, *canonical)
		for _, p := range problems {
			fmt.Printf("%s: %s\n", name, p)
		}
		if len(problems) > 0 {
			failed = true
			continue
		}
		fmt.Printf("ok %s\n", name)
	}
	if failed {
		os.Exit(1)
	}
}

func validate(um *jsonformat.Unmarshaller, m *jsonformat.Marshaller, name, canonical string) []string {
	data, err := os.ReadFile(name)
	if err != nil {
		return []string{err.Error()}
	}
	res, err := um.Unmarshal(data)
	if err != nil {
		return []string{err.Error()}
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return []string{err.Error()}
	}
	problems := append(references(doc), codes(doc, "$")...)
	if len(problems) > 0 {
		return problems
	}
	if canonical != "" {
		out, err := m.Marshal(res)
		if err != nil {
			return []string{"re-marshalling: " + err.Error()}
		}
		if err := os.WriteFile(filepath.Join(canonical, filepath.Base(name)), out, 0o644); err != nil {
			return []string{err.Error()}
		}
	}
	return nil
}

// references lists every "urn:uuid:" reference of a Bundle that names no
// entry's fullUrl.
func references(doc any) []string {
	b, ok := doc.(map[string]any)
	if !ok || b["resourceType"] != "Bundle" {
		return nil
	}
	urls := map[string]bool{}
	entries, _ := b["entry"].([]any)
	for _, e := range entries {
		if em, ok := e.(map[string]any); ok {
			if u, ok := em["fullUrl"].(string); ok {
				urls[u] = true
			}
		}
	}
	var out []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch t := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if s, ok := t[k].(string); ok && k == "reference" && strings.HasPrefix(s, "urn:") && !urls[s] {
					out = append(out, fmt.Sprintf("%s.reference %q names no entry of the bundle", path, s))
				}
				walk(t[k], path+"."+k)
			}
		case []any:
			for i, x := range t {
				walk(x, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(doc, "$")
	return out
}

// codes lists every Coding of a fixed code system whose code the system
// does not have.
func codes(v any, path string) []string {
	var out []string
	switch t := v.(type) {
	case map[string]any:
		if sys, ok := t["system"].(string); ok {
			if allowed, fixed := fixedCodes[sys]; fixed {
				code, _ := t["code"].(string)
				found := false
				for _, a := range allowed {
					found = found || a == code
				}
				if !found {
					out = append(out, fmt.Sprintf("%s.code %q is not a code of %s (%s)", path, code, sys, strings.Join(allowed, ", ")))
				}
			}
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out = append(out, codes(t[k], path+"."+k)...)
		}
	case []any:
		for i, x := range t {
			out = append(out, codes(x, fmt.Sprintf("%s[%d]", path, i))...)
		}
	}
	return out
}
