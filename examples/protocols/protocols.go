package protocols

import (
	"embed"
	"github.com/doseplan/doseplan/schedule"
	"io/fs"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS // read-only

// Names lists the embedded protocols by name ("iv-ketamine-trd"), sorted.
func Names() []string {
	entries, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Read returns the bytes of the named protocol.
func Read(name string) ([]byte, error) {
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, &NotFoundError{Name: name}
	}
	return b, nil
}

// NotFoundError reports an unknown example name.
type NotFoundError struct{ Name string }

func (e *NotFoundError) Error() string {
	return "protocols: no example protocol " + `"` + e.Name + `"` + " (have: " + strings.Join(Names(), ", ") + ")"
}

// Load reads and validates the named protocol: the two steps every example
// program starts with.
func Load(name string) (*schedule.Protocol, error) {
	doc, err := Read(name)
	if err != nil {
		return nil, err
	}
	return schedule.LoadProtocol(doc)
}
