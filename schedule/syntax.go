package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A document that cannot be read is refused with where: the line and
// column (and, for a byte, its offset) and, where it can be known, the path
// of the field. YAML's parser says a line for most of its errors and
// nothing for some; the errors a clinic's editor or a truncated transfer
// make are found here first, exactly: a byte that is not UTF-8 or not a
// character YAML allows, a JSON document that breaks off or has a stray
// character, an alias of an anchor never defined.

// syntaxError returns the error of data, which yaml could not parse with
// yerr.
func syntaxError(data []byte, yerr error) *FieldError {
	msg := strings.TrimPrefix(yerr.Error(), "yaml: ")
	if off, what := badCharacter(data); off >= 0 {
		return positioned(data, off, what, repaired(data, off))
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		if e := jsonError(data); e != nil {
			return e
		}
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if off := aliasOffset(data, m[1]); off >= 0 {
			// The alias as null, to find where it is.
			fixed := bytes.Clone(data)
			copy(fixed[off:], "~"+strings.Repeat(" ", len(m[1])))
			return positioned(data, off, "*"+m[1]+" refers to no anchor &"+m[1]+" defined before it", fixed)
		}
	}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		where := "line " + m[1]
		if p := pathBefore(data, line); p != "" {
			where += " (after " + p + ")"
		}
		return &FieldError{Field: "document", Msg: where + ": not valid YAML or JSON: " + m[2], Err: ErrSyntax}
	}
	return &FieldError{Field: "document", Msg: "not valid YAML or JSON: " + msg, Err: ErrSyntax}
}

var (
	unknownAnchor = regexp.MustCompile(`^unknown anchor '([^']*)' referenced$`)
	yamlLine      = regexp.MustCompile(`^line ([0-9]+): (.*)$`)
)

// badCharacter returns the offset of the first byte of data that is not
// UTF-8 or not a character YAML allows (the C0 and C1 controls but tab,
// line feed and carriage return, U+FFFE and U+FFFF), and what is wrong
// with it; -1 when there is none.
func badCharacter(data []byte) (int, string) {
	for off := 0; off < len(data); {
		r, n := utf8.DecodeRune(data[off:])
		switch {
		case r == utf8.RuneError && n <= 1:
			return off, fmt.Sprintf("the byte 0x%02X is not UTF-8 (save the document as UTF-8)", data[off])
		case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		case r < 0x20 || r == 0x7F || r >= 0x80 && r < 0xA0 || r == 0xFFFE || r == 0xFFFF:
			return off, fmt.Sprintf("the control character U+%04X is not allowed in a document", r)
		}
		off += n
	}
	return -1, ""
}

// repaired is data with the bad byte at off made a space, so that the
// document parses (when nothing else is wrong) and the path of the byte
// can be found.
func repaired(data []byte, off int) []byte {
	fixed := bytes.Clone(data)
	fixed[off] = ' '
	return fixed
}

// positioned is the error of the character at off, with its line, column
// and offset, and its path as found in fixed (data repaired to parse).
func positioned(data []byte, off int, what string, fixed []byte) *FieldError {
	line, col := lineColumn(data, off)
	field := "document"
	var root yaml.Node
	if yaml.Unmarshal(fixed, &root) == nil {
		if p := pathAt(&root, line, col); p != "" {
			field = p
		}
	}
	return &FieldError{Field: field, Msg: fmt.Sprintf("line %d, column %d (byte %d): %s", line, col, off, what), Err: ErrSyntax}
}

// lineColumn returns the 1-based line and column (in characters, a byte
// that is not UTF-8 counting as one) of the byte at off.
func lineColumn(data []byte, off int) (line, col int) {
	off = min(off, len(data))
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return bytes.Count(data[:start], []byte("\n")) + 1, utf8.RuneCount(data[start:off]) + 1
}

// aliasOffset returns the offset of the first alias *name in data, or -1.
func aliasOffset(data []byte, name string) int {
	alias := []byte("*" + name)
	for from := 0; ; {
		i := bytes.Index(data[from:], alias)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(alias)
		before := i == 0 || strings.IndexByte(" \t\n[{,:-?", data[i-1]) >= 0
		after := end == len(data) || strings.IndexByte(" \t\r\n]},", data[end]) >= 0
		if before && after {
			return i
		}
		from = i + 1
	}
}

// pathAt returns the document path of the last value that begins at or
// before line:col in the parsed document root: the field a position is in.
func pathAt(root *yaml.Node, line, col int) string {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	var path []segment
	before := func(m *yaml.Node) bool { return m.Line < line || m.Line == line && m.Column <= col }
	for {
		switch n.Kind {
		case yaml.MappingNode:
			i := -1
			for j := 0; j+1 < len(n.Content); j += 2 {
				if before(n.Content[j]) {
					i = j
				}
			}
			if i < 0 {
				return (&decoder{path: path}).pathOrEmpty()
			}
			path = append(path, segment{name: n.Content[i].Value})
			n = n.Content[i+1]
		case yaml.SequenceNode:
			i := -1
			for j, c := range n.Content {
				if before(c) {
					i = j
				}
			}
			if i < 0 {
				return (&decoder{path: path}).pathOrEmpty()
			}
			path = append(path, segment{index: i})
			n = n.Content[i]
		default:
			return (&decoder{path: path}).pathOrEmpty()
		}
	}
}

// pathOrEmpty is pathText, or "" at the top.
func (d *decoder) pathOrEmpty() string {
	if len(d.path) == 0 {
		return ""
	}
	return d.pathText()
}

// pathBefore returns the path of the last value that begins before the
// given line, when the lines before it parse: where a YAML error is.
func pathBefore(data []byte, line int) string {
	end := 0
	for i := 1; i < line && end < len(data); i++ {
		j := bytes.IndexByte(data[end:], '\n')
		if j < 0 {
			return ""
		}
		end += j + 1
	}
	var root yaml.Node
	if end == 0 || yaml.Unmarshal(data[:end], &root) != nil {
		return ""
	}
	return pathAt(&root, line, 0)
}

// jsonError returns the error of a JSON document, with its position and
// the path of the value it is in; nil when the JSON is valid (the problem
// is YAML's only).
func jsonError(data []byte) *FieldError {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []jsonLevel // the objects and lists the reader is in
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) && len(stack) == 0 {
			return nil
		}
		if err != nil {
			return jsonSyntaxError(data, dec, stack, err)
		}
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			if k, ok := tok.(string); ok && top.object && top.at == nil {
				top.at = &segment{name: k} // a key: its value comes next
				continue
			}
			if !top.object && tok != json.Delim(']') {
				top.at = &segment{index: top.n}
				top.n++
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, jsonLevel{object: true})
			continue
		case json.Delim('['):
			stack = append(stack, jsonLevel{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			stack[len(stack)-1].at = nil // a value read: between values now
		}
	}
}

// jsonLevel is an object or a list the JSON reader is in, and the key or
// index of the value it is reading (nil between values).
type jsonLevel struct {
	object bool
	n      int // a list's next index
	at     *segment
}

// jsonSyntaxError is err of the JSON reader dec, at the path stack is at.
func jsonSyntaxError(data []byte, dec *json.Decoder, stack []jsonLevel, err error) *FieldError {
	off := int(dec.InputOffset())
	what := "not valid JSON: " + err.Error()
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off = int(se.Offset) // the bytes read before the one that is wrong
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		off = len(data)
		what = "the JSON document ends before its last value does (was it cut short?)"
	}
	d := &decoder{}
	for _, l := range stack {
		if l.at != nil {
			d.push(*l.at)
		}
	}
	line, col := lineColumn(data, off)
	return &FieldError{Field: d.pathText(), Msg: fmt.Sprintf("line %d, column %d (byte %d): %s", line, col, off, what), Err: ErrSyntax}
}
