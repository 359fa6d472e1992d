package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/doseplan/doseplan/dosing"
	"github.com/doseplan/doseplan/units"
)

// A protocol document's layout is written once, here: its keys in order,
// and the field each one sets, of the Protocol or of its rule
// (Protocol.Dosing, named by the json name of the dosing.Rule field). The
// loader decodes by it, MarshalJSON encodes by it, and a dosing error's field
// is turned into the document's path by it. Nothing is copied between a
// document's dose section and the rule: the section's keys fill the rule's
// own fields.

// A field is one key of a mapping in a document and the value it fills: a
// path of struct fields (or array elements) from the value the mapping
// decodes into, or, for a section (a protocol's dose), the keys of the
// mapping under the key, which fill the same value.
type field struct {
	name    string
	path    []int
	section []field
}

// at returns the value the field fills in v.
func (f *field) at(v reflect.Value) reflect.Value {
	for _, i := range f.path {
		if v.Kind() == reflect.Array {
			v = v.Index(i)
		} else {
			v = v.Field(i)
		}
	}
	return v
}

// document is what a protocol document decodes into: the protocol, and its
// dose as the document spells it, by kind (doseKinds). The dose becomes the
// rule's once its unit agrees with its key (spell).
type document struct {
	Protocol Protocol
	Dose     [len(doseKinds)]units.Quantity
}

// doseKinds are the keys that set the dose, in the order of the dose
// section: each names a kind of dose, and the dose's unit must be of it, in
// drug mass or in units of activity (the rule then checks that everything
// else is in the same kind of amount).
var doseKinds = [...]doseKind{
	{"per_kg", [2]units.Unit{units.MgPerKg, units.UnitsPerKg}, "mg/kg, mcg/kg or units/kg", false},
	{"per_m2", [2]units.Unit{units.MgPerM2, units.UnitsPerM2}, "mg/m² or units/m²", false},
	{"fixed", [2]units.Unit{units.Milligram, units.ActivityUnit}, "mg, mcg or units", false},
	{"rate", [2]units.Unit{units.MgPerHour, units.UnitsPerHour}, "mg/h, mg/min or units/h", true},
	{"rate_per_kg", [2]units.Unit{units.MgPerKgPerHour, units.UnitsPerKgPerHour}, "mg/kg/h, mcg/kg/min or units/kg/h", true},
	{"per_day", [2]units.Unit{units.MgPerDay, units.UnitsPerDay}, "mg/day, mcg/day or units/day", false},
	{"per_kg_per_day", [2]units.Unit{units.MgPerKgPerDay, units.UnitsPerKgPerDay}, "mg/kg/day, mcg/kg/day or units/kg/day", false},
}

// doseKind is a key that sets the dose, with the units of its kind.
type doseKind struct {
	key   string
	units [2]units.Unit // of the kind's dimension, in drug mass and in activity
	want  string        // the kind's units, for a message
	rate  bool          // given as a rate, over the infusion's duration
}

// is reports whether q is a dose of the kind, in either kind of amount: of
// its dimension, and per day exactly when the kind is (mg/day and mg/h are
// both drug mass / time; a dose per day is never a rate).
func (k doseKind) is(q units.Quantity) bool {
	d := q.Dimension()
	return q.IsValid() && (d == k.units[0].Dimension() || d == k.units[1].Dimension()) && q.Unit().PerDay() == k.units[0].PerDay()
}

// documentFields is the layout of a protocol document; rulePaths maps the
// json name of each dosing.Rule field a document sets to its path there
// ("dose_rounding" → "dose.rounding", "preparation" → "preparation").
var documentFields, rulePaths = protocolLayout()

// protocolLayout builds the layout of a protocol document. The rule's
// provenance, preparation, infusion and patient bounds are at the top level,
// its other settings in the dose section. A rule field no key names is set
// in the dose section by its own json name, so that a field dosing.Rule
// gains is in documents with nothing more to write; the rule's dose is set
// by the keys of doseKinds, and its titration_step is not in documents (a
// protocol's titration ladder steps its dose).
func protocolLayout() ([]field, map[string]string) {
	pt, rt := reflect.TypeFor[Protocol](), reflect.TypeFor[dosing.Rule]()
	dosingField, _ := pt.FieldByName("Dosing")
	own, rule := fieldNames(pt), fieldNames(rt)
	placed := map[string]bool{"dose": true, "titration_step": true}
	paths := map[string]string{}
	index := func(names []string, name string) int {
		i := slices.Index(names, name)
		if i < 0 {
			panic("schedule: the protocol layout names " + name + ", which is no field") // a programming error, caught by every test
		}
		return i
	}
	of := func(name string) field { return field{name: name, path: []int{0, index(own, name)}} }
	ruleAs := func(prefix, name, ruleName string) field {
		placed[ruleName], paths[ruleName] = true, prefix+name
		return field{name: name, path: []int{0, dosingField.Index[0], index(rule, ruleName)}}
	}
	top := func(name string) field { return ruleAs("", name, name) }
	dose := func(name string) field { return ruleAs("dose.", name, name) }

	section := make([]field, 0, len(doseKinds)+10)
	for i, k := range doseKinds {
		section = append(section, field{name: k.key, path: []int{1, i}})
	}
	section = append(section, dose("doses_per_day"), dose("bands"), dose("weight"), dose("bsa_formula"), dose("cap"), dose("cap_per_kg"), dose("cap_per_day"),
		ruleAs("dose.", "rounding", "dose_rounding"), dose("form"), dose("limits"), dose("rounding_tolerance"))
	fields := []field{
		of("doseplan"), top("name"), top("version"), top("drug"), of("drug_code"), top("route"), top("source"), of("notes"),
		{name: "dose"}, // the section, filled in below
		top("preparation"), top("infusion"), top("plausibility"), top("population"),
		of("series"), of("policy"), of("titration"), of("session"), of("vitals"), of("caps"), of("check_tolerances"),
	}
	for _, n := range rule {
		if n != "" && !placed[n] {
			section = append(section, dose(n))
		}
	}
	fields[slices.IndexFunc(fields, func(f field) bool { return f.name == "dose" })].section = section
	return fields, paths
}

// spell sets the rule's dose from the key of the dose section that names its
// kind, when its unit is of that kind, and says how the document set it.
func (d *document) spell() doseView {
	var es errs
	v := doseView{key: "dose"}
	set, key := 0, ""
	for i, k := range doseKinds {
		q := d.Dose[i]
		if !q.IsValid() {
			continue
		}
		set, key = set+1, "dose."+k.key
		v.rate = v.rate || k.rate
		if !k.is(q) {
			msg := "must be in " + k.want + " (the key names the kind of dose)"
			if k.rate && q.Unit().PerDay() {
				msg += "; a dose per day is divided into doses, never run as a rate: write dose.per_day or dose.per_kg_per_day with dose.doses_per_day"
			}
			es.add(key, q.String(), ErrConflict, msg)
			continue
		}
		d.Protocol.Dosing.Dose = q
	}
	if len(d.Protocol.Dosing.Bands) > 0 {
		set, key = set+1, "dose.bands"
	}
	switch {
	case set == 0:
		es.add("dose", "", ErrMissing, "one of "+doseKeyList()+" or bands is required")
	case set > 1:
		es.add("dose", "", ErrConflict, "set only one of "+doseKeyList()+" and bands")
	default:
		v.key = key
	}
	v.errs = es
	return v
}

// doseKeyList is "per_kg, per_m2, fixed, rate, rate_per_kg".
func doseKeyList() string {
	keys := make([]string, len(doseKinds))
	for i, k := range doseKinds {
		keys[i] = k.key
	}
	return strings.Join(keys, ", ")
}

// doseView is what validation knows of how a protocol sets its dose: the
// path that names it in a document, whether it is given as a rate, and, for
// a document, the problems of its keys (a unit of another kind, no key or
// several).
type doseView struct {
	key  string
	rate bool
	errs []error
}

// ruleDoseView is the view of a rule's dose: its key is the one its unit
// names ("dose.per_kg" for mg/kg), "dose.bands" for bands, or "dose".
func ruleDoseView(r dosing.Rule) doseView {
	v := doseView{key: "dose"}
	switch {
	case r.Dose.IsValid() && len(r.Bands) > 0:
	case len(r.Bands) > 0:
		v.key = "dose.bands"
	case r.Dose.IsValid():
		if i := kindIndex(r.Dose); i >= 0 {
			v.key, v.rate = "dose."+doseKinds[i].key, doseKinds[i].rate
		}
	}
	return v
}

// kindIndex returns the index in doseKinds of q's kind, or -1.
func kindIndex(q units.Quantity) int {
	for i, k := range doseKinds {
		if k.is(q) {
			return i
		}
	}
	return -1
}

// docPath returns where a document sets the rule field a dosing error names
// ("limits.dose_per_kg.soft_max" → "dose.limits.dose_per_kg.soft_max"); the
// rule's dose is at doseKey.
func docPath(ruleField, doseKey string) string {
	if ruleField == "dose" {
		return doseKey
	}
	name := ruleField
	if i := strings.IndexAny(ruleField, ".["); i >= 0 {
		name = ruleField[:i]
	}
	if p, ok := rulePaths[name]; ok {
		return p + ruleField[len(name):]
	}
	return "dose." + ruleField
}

// docPaths rewrites the rule paths a dosing message names ("must be below
// limits.dose_per_kg.hard_max") as the document's paths. A path is a field's
// name after a space, followed by "." and a name or by "[": a word at the
// end of a sentence is left as it is.
func docPaths(msg string) string {
	for name, p := range rulePaths {
		if p == name {
			continue
		}
		for _, sep := range []string{".", "["} {
			old := " " + name + sep
			var b strings.Builder
			rest := msg
			for {
				i := strings.Index(rest, old)
				if i < 0 {
					break
				}
				next := rest[i+len(old):]
				b.WriteString(rest[:i])
				if sep == "[" || next != "" && (next[0] >= 'a' && next[0] <= 'z' || next[0] == '_') {
					b.WriteString(" " + p + sep)
				} else {
					b.WriteString(old)
				}
				rest = next
			}
			b.WriteString(rest)
			msg = b.String()
		}
	}
	return msg
}

// MarshalJSON writes the protocol as a protocol document in JSON, in the
// layout LoadProtocol reads: the rule's dose under the key that names its
// kind, its other fields where a document sets them. A rule whose dose is of
// no kind a document can name is an error.
func (p Protocol) MarshalJSON() ([]byte, error) {
	doc := document{Protocol: p}
	if q := p.Dosing.Dose; q.IsValid() {
		i := kindIndex(q)
		if i < 0 {
			return nil, &FieldError{Field: "dose", Value: q.String(), Msg: "is of no kind a document can write (" + doseKeyList() + ")", Err: ErrConflict}
		}
		doc.Dose[i] = q
	}
	var b bytes.Buffer
	err := encodeFields(&b, reflect.ValueOf(&doc).Elem(), documentFields)
	return b.Bytes(), err
}

// UnmarshalJSON reads a protocol document as LoadProtocol does, strictly,
// reporting every problem of the document at once; it neither validates
// the protocol (call Validate) nor records the document's SHA-256.
func (p *Protocol) UnmarshalJSON(data []byte) error {
	var doc document
	err, complete := decodeStrict(data, &doc, documentFields)
	if !complete {
		return err
	}
	v := doc.spell()
	*p = doc.Protocol
	return errors.Join(append(flatten(err), v.errs...)...)
}

// encodeFields writes the fields of v as a JSON object, leaving out those
// their json tags say to omit when empty or zero.
func encodeFields(b *bytes.Buffer, v reflect.Value, fields []field) error {
	b.WriteByte('{')
	n := 0
	for i := range fields {
		f := &fields[i]
		var val []byte
		if f.section != nil {
			var sb bytes.Buffer
			if err := encodeFields(&sb, v, f.section); err != nil {
				return err
			}
			val = sb.Bytes()
		} else {
			fv := f.at(v)
			if omitted(structField(v.Type(), f.path), fv) {
				continue
			}
			var err error
			if val, err = json.Marshal(fv.Interface()); err != nil {
				return err
			}
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		name, _ := json.Marshal(f.name)
		b.Write(name)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return nil
}

// structField returns the struct field at the end of path from t, or the
// zero StructField for an array element.
func structField(t reflect.Type, path []int) reflect.StructField {
	var sf reflect.StructField
	for _, i := range path {
		if t.Kind() == reflect.Array {
			t, sf = t.Elem(), reflect.StructField{Tag: `json:",omitzero"`}
			continue
		}
		sf = t.Field(i)
		t = sf.Type
	}
	return sf
}

// omitted reports whether encoding/json would leave v out under sf's tag
// (omitempty: false, 0, "", nil, empty list; omitzero: the zero value, or
// IsZero).
func omitted(sf reflect.StructField, v reflect.Value) bool {
	_, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
	for _, o := range strings.Split(opts, ",") {
		switch o {
		case "omitempty":
			switch v.Kind() {
			case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
				if v.Len() == 0 {
					return true
				}
			case reflect.Pointer, reflect.Interface:
				if v.IsNil() {
					return true
				}
			case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
				if v.IsZero() {
					return true
				}
			}
		case "omitzero":
			if z, ok := v.Interface().(interface{ IsZero() bool }); ok {
				if z.IsZero() {
					return true
				}
			} else if v.IsZero() {
				return true
			}
		}
	}
	return false
}
