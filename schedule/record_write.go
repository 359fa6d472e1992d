package schedule

import (
	"bytes"
	"encoding/json"
	"strings"

	"go.yaml.in/yaml/v3"
)

// recordComment opens every record doseplan writes.
const recordComment = "# doseplan session record: append-only. Add an entry for each outcome; to correct one,\n" +
	"# add an entry that names it (corrects: ID) and says why (reason).\n"

// NewRecord starts the record of a patient's series on protocol p: no
// entries yet, and the protocol's name, version and SHA-256.
func NewRecord(patient string, p *Protocol) *Record {
	r := &Record{Format: recordFormatVersion, Patient: patient}
	if p != nil {
		r.Protocol = RecordOrigin{Name: p.Dosing.Name, Version: p.Dosing.Version, SHA256: p.sha256}
	}
	return r
}

// Encode writes the record as doseplan writes records: YAML, a comment, the
// header, then one block per entry, fields in a fixed order, "entries" last
// so that an entry is appended by adding text (AppendEntry). LoadRecord reads
// the bytes back to an equal record, and Encode of that record writes the
// same bytes again.
func (r *Record) Encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(recordComment)
	head, err := yamlOf(struct {
		Format   int          `json:"doseplan_record"`
		Patient  string       `json:"patient"`
		Protocol RecordOrigin `json:"protocol"`
	}{r.Format, r.Patient, r.Protocol}, false)
	if err != nil {
		return nil, err
	}
	b.Write(head)
	b.WriteString("entries:\n")
	for _, e := range r.Entries {
		eb, err := encodeEntry(e)
		if err != nil {
			return nil, err
		}
		b.Write(eb)
	}
	return b.Bytes(), nil
}

// AppendEntry appends entry e to the record document doc and returns the new
// document: doc's bytes unchanged, then the entry's. e's ID is set to the
// next one (an ID already set must be that one). The result is checked as
// LoadRecord checks a record, so an entry that is wrong on its own is
// refused with its path ("entries[4].given.dose"); a document that does not
// end with its list of entries (a record written in JSON, or with entries
// before other fields) cannot take an entry without being rewritten, and
// is refused.
func AppendEntry(doc []byte, e RecordEntry) ([]byte, error) {
	r, err := LoadRecord(doc)
	if err != nil {
		return nil, err
	}
	n := len(r.Entries)
	if e.ID == 0 {
		e.ID = n + 1
	}
	next := *r
	next.Entries = append(r.Entries[:n:n], e)
	if err := next.validate(); err != nil {
		return nil, err
	}
	eb, err := encodeEntry(e)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(doc)+1+len(eb))
	out = append(out, doc...)
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	out = append(out, eb...)
	back, err := LoadRecord(out)
	if err != nil || !sameRecord(back, &next) {
		return nil, &FieldError{Field: "document", Err: ErrSyntax,
			Msg: "does not end with its list of entries, so an entry cannot be added without rewriting what is written (doseplan appends to the YAML records it writes)"}
	}
	return out, nil
}

// sameRecord reports whether a and b encode alike.
func sameRecord(a, b *Record) bool {
	ea, err1 := a.Encode()
	eb, err2 := b.Encode()
	return err1 == nil && err2 == nil && bytes.Equal(ea, eb)
}

// encodeEntry writes one entry as an item of the record's entries list.
func encodeEntry(e RecordEntry) ([]byte, error) {
	body, err := yamlOf(e, true)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for i, line := range strings.SplitAfter(string(body), "\n") {
		switch {
		case line == "":
		case i == 0:
			b.WriteString("  - " + line)
		case line == "\n":
			b.WriteString(line) // an empty line of a block of notes: no trailing spaces
		default:
			b.WriteString("    " + line)
		}
	}
	return b.Bytes(), nil
}

// yamlOf writes v as a YAML mapping, its fields in the order and with the
// names of its JSON encoding. With flow set, the mappings inside it (given,
// vitals) are written on one line each.
func yamlOf(v any, flow bool) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var n yaml.Node
	if err := yaml.Unmarshal(j, &n); err != nil {
		return nil, err
	}
	plain(&n, 0, flow)
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// plain drops the JSON quoting, so that the encoder quotes only what YAML
// would read otherwise, and makes the nested mappings flow ones when asked.
func plain(n *yaml.Node, depth int, flow bool) {
	if n.Kind == yaml.ScalarNode {
		n.Style = 0
		if strings.Contains(n.Value, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return
	}
	n.Style = 0
	if flow && n.Kind == yaml.MappingNode && depth > 1 {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		plain(c, depth+1, flow)
	}
}
