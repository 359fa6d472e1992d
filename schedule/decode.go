package schedule

import (
	"encoding"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/doseplan/doseplan/units"
)

// MaxDocumentBytes bounds a protocol document, so that no input can make the
// loader allocate without bound.
const MaxDocumentBytes = 1 << 20

// maxDepth bounds nesting, for the same reason.
const maxDepth = 32

// decodeStrict decodes a YAML (or JSON, which YAML reads) document into out,
// strictly: an unknown field, a duplicate key, a wrong type or a value its
// type refuses is a *FieldError naming the field's path
// ("series.phases[1].per_week"). It reports every problem it finds, joined.
// Field names come from the json struct tags, so the same Go types serve
// JSON, YAML and the API.
func decodeStrict(data []byte, out any) error {
	if len(data) > MaxDocumentBytes {
		return &FieldError{Field: "document", Value: strconv.Itoa(len(data)) + " bytes", Msg: "larger than " + strconv.Itoa(MaxDocumentBytes) + " bytes", Err: ErrRange}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return &FieldError{Field: "document", Msg: "not valid YAML or JSON: " + strings.TrimPrefix(err.Error(), "yaml: "), Err: ErrSyntax}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return &FieldError{Field: "document", Msg: "empty document", Err: ErrMissing}
	}
	d := &decoder{}
	d.value(root.Content[0], reflect.ValueOf(out).Elem(), "", 0)
	return d.errs.join()
}

type decoder struct {
	errs    errs
	aliases int
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func field(path string) string {
	if path == "" {
		return "document"
	}
	return path
}

func (d *decoder) fail(path, value, msg string, err error) {
	d.errs.add(field(path), value, err, msg)
}

func (d *decoder) value(n *yaml.Node, v reflect.Value, path string, depth int) {
	if depth > maxDepth {
		d.fail(path, "", "nested more than "+strconv.Itoa(maxDepth)+" levels", ErrRange)
		return
	}
	if n.Kind == yaml.AliasNode {
		d.aliases++
		if d.aliases > 100 || n.Alias == nil {
			d.fail(path, "", "too many YAML aliases (at most 100)", ErrRange)
			return
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // leave the zero value: "not set"
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path, depth+1)
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(textUnmarshaler) {
		if n.Kind != yaml.ScalarNode {
			d.fail(path, "", "must be a single value, not a "+kindName(n.Kind), ErrSyntax)
			return
		}
		if err := v.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(n.Value)); err != nil {
			msg := unprefixed(err)
			var pe *units.ParseError
			if errors.As(err, &pe) {
				msg = pe.Msg
				if pe.Fix != "" {
					msg += "; write " + strconv.Quote(pe.Fix)
				}
			}
			d.errs = append(d.errs, &FieldError{Field: field(path), Value: n.Value, Msg: msg, Err: err})
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.object(n, v, path, depth)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.fail(path, n.Value, "must be a list", ErrSyntax)
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.value(c, s.Index(i), path+"["+strconv.Itoa(i)+"]", depth+1)
		}
		v.Set(s)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(path, "", "must be text, not a "+kindName(n.Kind), ErrSyntax)
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil || n.Tag != "!!bool" {
			d.fail(path, n.Value, "must be true or false", ErrSyntax)
			return
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, v.Type().Bits())
		if n.Kind != yaml.ScalarNode || err != nil {
			d.fail(path, n.Value, "must be a whole number", ErrSyntax)
			return
		}
		v.SetInt(i)
	default:
		d.fail(path, n.Value, "unsupported field type "+v.Type().String(), ErrSyntax)
	}
}

func (d *decoder) object(n *yaml.Node, v reflect.Value, path string, depth int) {
	if n.Kind != yaml.MappingNode {
		d.fail(path, n.Value, "must be a mapping of fields", ErrSyntax)
		return
	}
	fields := fieldsOf(v.Type())
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := k.Value
		p := join(path, name)
		if seen[name] {
			d.fail(p, "", "appears twice", ErrConflict)
			continue
		}
		seen[name] = true
		idx, ok := fields[name]
		if !ok {
			d.fail(p, "", "unknown field (allowed: "+allowed(v.Type())+")", ErrSyntax)
			continue
		}
		d.value(val, v.Field(idx), p, depth+1)
	}
}

// fieldsOf maps the json names of t's exported fields to their indexes.
func fieldsOf(t reflect.Type) map[string]int {
	m := make(map[string]int, t.NumField())
	for i := range t.NumField() {
		if name := tagName(t.Field(i)); name != "" {
			m[name] = i
		}
	}
	return m
}

func tagName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "-" {
		return ""
	}
	if name == "" {
		return strings.ToLower(f.Name)
	}
	return name
}

func allowed(t reflect.Type) string {
	var names []string
	for i := range t.NumField() {
		if n := tagName(t.Field(i)); n != "" {
			names = append(names, n)
		}
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
