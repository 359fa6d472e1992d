package pk

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxModelBytes bounds a model document, so that no input can make the
// loader allocate without bound.
const MaxModelBytes = 64 << 10

// LoadParameters reads a user-supplied model from a YAML or JSON document
// (the fields of Parameters, with units: "v1: 38.7 L"), strictly: an unknown
// field, a second document or a value of the wrong unit is refused. Pass the
// result to New, which validates the model as a whole.
func LoadParameters(data []byte) (Parameters, error) {
	if len(data) > MaxModelBytes {
		return Parameters{}, &InputError{Field: "model", Value: strconv.Itoa(len(data)) + " bytes", Allowed: "at most " + strconv.Itoa(MaxModelBytes) + " bytes", Err: ErrRange}
	}
	var p Parameters
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return Parameters{}, &InputError{Field: "model", Allowed: "a YAML or JSON model document", Err: ErrMissing}
		}
		return Parameters{}, &InputError{Field: "model", Value: strings.TrimPrefix(err.Error(), "yaml: "), Allowed: "the fields of a model with their units", Err: ErrConflict}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Parameters{}, &InputError{Field: "model", Value: "a second document", Allowed: "one model per document", Err: ErrConflict}
	}
	return p, nil
}
