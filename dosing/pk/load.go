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
		return Parameters{}, fieldError("model", strconv.Itoa(len(data))+" bytes", "at most "+strconv.Itoa(MaxModelBytes)+" bytes", ErrRange)
	}
	var p Parameters
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return Parameters{}, fieldError("model", "", "a YAML or JSON model document", ErrMissing)
		}
		return Parameters{}, fieldError("model", strings.TrimPrefix(err.Error(), "yaml: "), "the fields of a model with their units", ErrConflict)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return Parameters{}, fieldError("model", "a second document", "one model per document", ErrConflict)
	}
	return p, nil
}
