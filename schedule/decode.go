package schedule

import (
	"bytes"
	"encoding"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// MaxDocumentBytes bounds a protocol document, so that no input can make the
// loader allocate without bound.
const MaxDocumentBytes = 1 << 20

// Bounds of the decoder, for the same reason: they are limits of the program,
// far above any real protocol (a few hundred values, nested six deep).
const (
	maxDepth    = 32    // nesting of the Go types a document fills
	maxAliases  = 100   // YAML aliases followed in one document
	maxValues   = 20000 // values decoded, aliases expanded
	maxProblems = 50    // problems listed before the decoder gives up
)

// decodeStrict decodes a YAML (or JSON, which YAML reads) document into out,
// strictly: an unknown field, a duplicate key, a wrong type or a value its
// type refuses is a *FieldError naming the field's path
// ("series.phases[1].per_week"). It reports every problem it finds, joined.
// The document's top level has the given fields (a layout, such as
// documentFields), or, for nil, those of out's type; below it, field names
// come from the json struct tags, so the same Go types serve JSON, YAML and
// the API.
//
// complete is false when the input is not a document of fields at all (not
// YAML, empty, more than one document, not a mapping) or had more problems
// than are listed: then nothing more is worth checking.
func decodeStrict(data []byte, out any, fields []field) (err error, complete bool) {
	if len(data) > MaxDocumentBytes {
		return &FieldError{Field: "document", Value: strconv.Itoa(len(data)) + " bytes", Msg: "larger than " + strconv.Itoa(MaxDocumentBytes) + " bytes", Err: ErrRange}, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	switch err := dec.Decode(&root); {
	case errors.Is(err, io.EOF):
		return &FieldError{Field: "document", Msg: "empty document", Err: ErrMissing}, false
	case err != nil:
		return syntaxError(data, err), false
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return &FieldError{Field: "document", Msg: "holds more than one YAML document (\"---\"): a protocol is one document", Err: ErrSyntax}, false
	}
	if len(root.Content) == 0 || root.Content[0].Kind == yaml.ScalarNode && root.Content[0].Tag == "!!null" {
		return &FieldError{Field: "document", Msg: "empty document", Err: ErrMissing}, false
	}
	top := root.Content[0]
	d := &decoder{}
	if !d.tagAllowed(top) {
		return d.errs.join(), false
	}
	if top.Kind != yaml.MappingNode {
		return &FieldError{Field: "document", Value: top.Value, Msg: "must be a mapping of fields (doseplan: 1, name: …)", Err: ErrSyntax}, false
	}
	v := reflect.ValueOf(out).Elem()
	if fields == nil {
		fields = fieldsFor(v.Type())
	}
	d.object(top, v, fields, 0)
	if d.full {
		d.errs = append(d.errs, &FieldError{Field: "document", Msg: "has more problems than the " + strconv.Itoa(maxProblems) + " listed", Err: ErrRange})
		return d.errs.join(), false
	}
	return d.errs.join(), true
}

type decoder struct {
	errs    errs
	full    bool // maxProblems reached, or a bound of the decoder: stop
	aliases int
	values  int
	path    []segment // where the decoder is; made into text only for an error
}

// segment is one step of a field path: a field's name, or a list index
// (name "").
type segment struct {
	name  string
	index int
}

func (d *decoder) push(s segment) { d.path = append(d.path, s) }
func (d *decoder) pop()           { d.path = d.path[:len(d.path)-1] }

// pathText is the current field path as a document spells it
// ("series.phases[1].per_week"), or "document" at the top.
func (d *decoder) pathText() string {
	if len(d.path) == 0 {
		return "document"
	}
	var b strings.Builder
	for i, s := range d.path {
		switch {
		case s.name == "":
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		case i > 0:
			b.WriteString("." + s.name)
		default:
			b.WriteString(s.name)
		}
	}
	return b.String()
}

var decimalType = reflect.TypeFor[decimal.Decimal]()

// textUnmarshalerOf returns v's encoding.TextUnmarshaler, if its address has
// one. Every value the decoder fills is addressable: it is reached from the
// pointer it was given.
func textUnmarshalerOf(v reflect.Value) (encoding.TextUnmarshaler, bool) {
	u, ok := v.Addr().Interface().(encoding.TextUnmarshaler)
	return u, ok
}

// fail records a problem of the value at the current path.
func (d *decoder) fail(value, msg string, err error) {
	d.add(&FieldError{Field: d.pathText(), Value: value, Msg: msg, Err: err})
}

// add records a problem, up to maxProblems.
func (d *decoder) add(e *FieldError) {
	if len(d.errs) >= maxProblems {
		d.full = true
		return
	}
	d.errs = append(d.errs, e)
}

// resolve follows an alias, within the alias budget, and counts the value
// against the value budget. It returns nil when a budget is spent.
func (d *decoder) resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		d.aliases++
		if d.aliases > maxAliases || n.Alias == nil {
			d.fail("", "uses more than "+strconv.Itoa(maxAliases)+" YAML aliases", ErrRange)
			d.full = true
			return nil
		}
		n = n.Alias
	}
	d.values++
	if d.values > maxValues {
		d.fail("", "makes the document hold more than "+strconv.Itoa(maxValues)+" values", ErrRange)
		d.full = true
		return nil
	}
	return n
}

// coreTags are the tags of YAML's core schema, the only ones a document may
// write explicitly ("!!str 6"). Any other (!!python/object:…, !!binary,
// !!timestamp, !!set, a custom !tag) asks a reader to build something else
// from the value, which this one never does: it is refused, not ignored.
var coreTags = map[string]bool{"!!null": true, "!!bool": true, "!!int": true, "!!float": true, "!!str": true, "!!seq": true, "!!map": true}

// tagAllowed reports whether n's tag, if written, is one of coreTags, and
// records the problem when it is not.
func (d *decoder) tagAllowed(n *yaml.Node) bool {
	if n.Style&yaml.TaggedStyle == 0 || coreTags[n.Tag] {
		return true
	}
	d.fail(n.Tag, "is a YAML tag, which protocol documents do not use (only the core schema's: !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)", ErrSyntax)
	return false
}

// node returns the value node n stands for at depth, following an alias;
// nil when there is nothing to decode: null ("not set", the zero value stays),
// a refused tag, or a bound of the decoder reached.
func (d *decoder) node(n *yaml.Node, depth int) *yaml.Node {
	if d.full {
		return nil
	}
	if depth > maxDepth {
		d.fail("", "nested more than "+strconv.Itoa(maxDepth)+" levels", ErrRange)
		return nil
	}
	if n = d.resolve(n); n == nil || !d.tagAllowed(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	return n
}

// value decodes n into v. zeroUnset says that v's field holds its zero
// value as "not set" (its json tag omits it): a zero written there is
// refused (notUnset).
func (d *decoder) value(n *yaml.Node, v reflect.Value, depth int, zeroUnset bool) {
	if n = d.node(n, depth); n == nil {
		return
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), depth+1, zeroUnset)
		return
	}
	if v.Type() == decimalType {
		if n.Kind != yaml.ScalarNode || !plainDecimal(n.Value) {
			d.fail(n.Value, "must be a plain decimal number such as 0.4 (a leading digit, no exponent)", ErrSyntax)
			return
		}
	}
	if u, ok := textUnmarshalerOf(v); ok {
		if n.Kind != yaml.ScalarNode {
			d.fail("", "must be a single value, not a "+kindName(n.Kind), ErrSyntax)
			return
		}
		if err := u.UnmarshalText([]byte(n.Value)); err != nil {
			msg := unprefixed(err)
			var pe *units.ParseError
			var ie *dosing.FieldError
			var te *time.ParseError
			if errors.As(err, &ie) {
				msg = ie.Msg // the path names the field
			}
			if errors.As(err, &te) {
				msg = "is not an RFC 3339 instant (write e.g. 2025-03-03T09:05:00-05:00, with the zone's offset)"
				err = ErrSyntax // time's own error names a layout, not the problem
			}
			if errors.As(err, &pe) {
				msg = pe.Msg
				if pe.Fix != "" {
					msg += "; write " + strconv.Quote(pe.Fix)
				}
			}
			d.add(&FieldError{Field: d.pathText(), Value: n.Value, Msg: msg, Err: err})
			return
		}
		if zeroUnset {
			d.notUnset(v, n.Value)
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.object(n, v, fieldsFor(v.Type()), depth)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(n.Value, "must be a list", ErrSyntax)
			return
		}
		if len(n.Content) == 0 {
			return // an empty list is no list, as JSON encoding omits it
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.push(segment{index: i})
			item := c
			if item.Kind == yaml.AliasNode && item.Alias != nil {
				item = item.Alias
			}
			if item.Kind == yaml.ScalarNode && item.Tag == "!!null" {
				// A null field is "not set"; a null item would be read as
				// its type's zero value (Sunday, for a weekday).
				d.fail("", "is empty (null): a list holds values", ErrMissing)
			} else {
				d.value(c, s.Index(i), depth+1, false)
			}
			d.pop()
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail("", "must be text, not a "+kindName(n.Kind), ErrSyntax)
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil || n.Tag != "!!bool" {
			d.fail(n.Value, "must be true or false", ErrSyntax)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		// A whole number too large for an int64 is tagged !!float by YAML.
		if n.Kind != yaml.ScalarNode || n.Tag != "!!int" && n.Tag != "!!float" || !plainInteger(n.Value) {
			d.fail(n.Value, "must be a whole number such as 6 (not text, not a fraction)", ErrSyntax)
			return
		}
		i, err := strconv.ParseInt(n.Value, 10, v.Type().Bits())
		if err != nil {
			d.fail(n.Value, "is out of range for a whole number here", ErrRange)
			return
		}
		v.SetInt(i)
		d.notUnset(v, n.Value) // a whole number counts from 1, whatever its tag
	default:
		d.fail(n.Value, "unsupported field type "+v.Type().String(), ErrSyntax)
	}
}

// notUnset refuses a number the document writes that its field would hold
// as its zero value, which the Go types read as "not set": a field written
// is never the same as a field left out, so "max_per_7_days: 0" is not read
// as "no limit", nor "sessions: 0" as "no count". Every whole number of a
// document counts from 1, and a decimal or a number with a unit of its own
// (an age in years) whose field leaves its zero out is above 0; the field's
// own check states the rest of its range (and refuses a negative value).
func (d *decoder) notUnset(v reflect.Value, text string) {
	if v.Kind() == reflect.Struct && v.Type() != decimalType {
		return // a quantity keeps its unit, and so that it was written
	}
	var msg string
	switch {
	case v.Type() == decimalType:
		if !v.Interface().(decimal.Decimal).IsZero() {
			return
		}
		msg = "must be greater than 0"
	case v.CanInt():
		if v.Int() != 0 {
			return
		}
		msg = "must be 1 or more"
	default:
		return
	}
	d.fail(text, msg+" (a zero would read as the field left out; to set nothing, leave the field out)", ErrRange)
}

// object decodes the mapping n into v by its fields: each key fills the
// value its field names in v (a section fills v itself, by its own fields).
func (d *decoder) object(n *yaml.Node, v reflect.Value, fields []field, depth int) {
	if n.Kind != yaml.MappingNode {
		d.fail(n.Value, "must be a mapping of fields", ErrSyntax)
		return
	}
	var seen uint64     // fields already set, by index
	var seenMore []bool // and for more than 64 fields
	if len(fields) > 64 {
		seenMore = make([]bool, len(fields))
	}
	isSeen := func(i int) bool { return i < 64 && seen&(1<<i) != 0 || i >= 64 && seenMore[i] }
	for i := 0; i+1 < len(n.Content) && !d.full; i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k = d.resolve(k); k == nil {
			return
		}
		if k.Style&yaml.TaggedStyle != 0 && !coreTags[k.Tag] {
			d.push(segment{name: k.Value}) // the key's tag is said at the key
			d.tagAllowed(k)
			d.pop()
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail("", "has a "+kindName(k.Kind)+" as a key (keys are field names)", ErrSyntax)
			continue
		}
		name := k.Value
		if name == "" {
			name = `""` // no field has it; the path shows it
		}
		idx := -1
		if k.Tag != "!!merge" {
			idx = indexOf(fields, name)
		}
		d.push(segment{name: name})
		switch {
		case k.Tag == "!!merge":
			d.fail("", "merge keys are not supported (write the fields out)", ErrSyntax)
		case idx < 0:
			d.fail("", "unknown field (allowed: "+allowed(fields)+")", ErrSyntax)
		case isSeen(idx):
			d.fail("", "appears twice", ErrConflict)
		default:
			if idx < 64 {
				seen |= 1 << idx
			} else {
				seenMore[idx] = true
			}
			if f := &fields[idx]; f.section != nil {
				if sn := d.node(val, depth+1); sn != nil {
					d.object(sn, v, f.section, depth+1)
				}
			} else {
				d.value(val, f.at(v), depth+1, omitsZero(structField(v.Type(), f.path)))
			}
		}
		d.pop()
	}
}

// plainInteger reports an optional minus sign and decimal digits, without a
// leading zero: the only integer spelling a protocol needs, and one that
// YAML and JSON read alike.
func plainInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plainDecimal reports digits with an optional fraction ("0.4", "1"), and an
// optional minus sign: no naked decimal point (".4"), no exponent.
func plainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(s, ".")
	digits := func(t string) bool {
		if t == "" {
			return false
		}
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return true
	}
	return digits(whole) && (!dot || digits(frac))
}

// fieldNames returns the json names of t's fields, by index ("" for a
// field without one).
func fieldNames(t reflect.Type) []string {
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = tagName(t.Field(i))
	}
	return names
}

func tagName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag, ok := strings.CutPrefix(string(f.Tag), `json:"`) // the usual form, read without StructTag's general parser
	if ok {
		tag, _, ok = strings.Cut(tag, `"`)
	}
	if !ok {
		tag = f.Tag.Get("json")
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

// indexOf returns the index of the field named name, or -1.
func indexOf(fields []field, name string) int {
	for i := range fields {
		if fields[i].name == name {
			return i
		}
	}
	return -1
}

// typeFields holds the fields of every struct type a protocol document or a
// session record fills, worked out once rather than for each document (it
// is read, never written, after the package's initialization).
var typeFields = structFields(reflect.TypeFor[Record](), structFields(reflect.TypeFor[document](), map[reflect.Type][]field{}))

// structFields adds to m the fields of t and of the struct types inside it
// that the decoder fills by their fields (not those that read text), and
// returns m.
func structFields(t reflect.Type, m map[reflect.Type][]field) map[reflect.Type][]field {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return structFields(t.Elem(), m)
	case reflect.Struct:
	default:
		return m
	}
	if _, done := m[t]; done || t == decimalType || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return m
	}
	m[t] = fieldsOf(t)
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			structFields(t.Field(i).Type, m)
		}
	}
	return m
}

// fieldsFor returns the fields of a struct type.
func fieldsFor(t reflect.Type) []field {
	if fs, ok := typeFields[t]; ok {
		return fs
	}
	return fieldsOf(t) // a type no document holds
}

var textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()

// fieldsOf returns the fields of a struct type: one a field with a json
// name, by that name.
func fieldsOf(t reflect.Type) []field {
	names := fieldNames(t)
	fs := make([]field, 0, len(names))
	index := make([]int, len(names)) // the paths, one backing array for all
	for i, n := range names {
		if n != "" {
			index[i] = i
			fs = append(fs, field{name: n, path: index[i : i+1 : i+1]})
		}
	}
	return fs
}

func allowed(fields []field) string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	return strings.Join(names, ", ")
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

// unprefixed drops a package prefix ("units: ") from a wrapped error's text,
// since the FieldError adds its own.
func unprefixed(err error) string {
	s := err.Error()
	for _, p := range []string{"units: ", "dosing: ", "schedule: "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// omitsZero reports whether encoding/json leaves the field out when its
// value is zero (omitempty, omitzero): its zero is "not set".
func omitsZero(sf reflect.StructField) bool {
	_, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
	for _, o := range strings.Split(opts, ",") {
		if o == "omitempty" || o == "omitzero" {
			return true
		}
	}
	return false
}
