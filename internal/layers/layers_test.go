package layers

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const module = "github.com/doseplan/doseplan"

// anything is the rule of the top layer: a package that may import every
// package of the module.
const anything = "*"

// rules gives each package of the module (a path relative to the module,
// or a prefix ending in "/...") the packages it may import. The first rule
// that matches a package is its rule.
func rules() []rule {
	library := []string{"units", "dosing", "dosing/pk", "schedule"}
	return []rule{
		{"units", nil},
		{"dosing", []string{"units"}},
		{"dosing/pk", []string{"units", "dosing"}},
		{"schedule", []string{"units", "dosing"}},
		{"fhir", library},
		{"envelope", library},
		{"examples/protocols", []string{"units", "dosing", "schedule"}},
		{"internal/golden", nil},
		{"internal/fuzzcheck", nil},
		{"internal/tooltest", nil},
		{"internal/layers", nil},
		{"internal/cli", []string{anything}},
		{"cmd/...", []string{anything}},
		{"web/...", []string{anything}},
		{"examples/...", []string{anything}},
	}
}

// testHelpers are imported by tests only; testData is what any test may
// import besides.
var (
	testHelpers = []string{"internal/golden", "internal/fuzzcheck", "internal/tooltest"}
	testData    = []string{"examples/protocols"}
)

type rule struct {
	pkg string   // "schedule", or "cmd/..." for the folder and all below it
	may []string // the packages it may import; anything for all
}

// file is one Go file's imports of the module's packages.
type file struct {
	name    string // for messages: "schedule/plan.go"
	pkg     string // its package's path in the module: "schedule"
	test    bool   // a _test.go file
	imports []string
}

func (r rule) matches(pkg string) bool {
	if prefix, ok := strings.CutSuffix(r.pkg, "/..."); ok {
		return pkg == prefix || strings.HasPrefix(pkg, prefix+"/")
	}
	return pkg == r.pkg
}

func ruleFor(rs []rule, pkg string) (rule, bool) {
	for _, r := range rs {
		if r.matches(pkg) {
			return r, true
		}
	}
	return rule{}, false
}

// violations lists the imports of files that rs does not allow, one line
// each, and the packages rs gives no layer.
func violations(rs []rule, files []file) []string {
	var out []string
	noLayer := map[string]bool{}
	for _, f := range files {
		r, ok := ruleFor(rs, f.pkg)
		if !ok {
			if !noLayer[f.pkg] {
				out = append(out, fmt.Sprintf("%s: package %s has no layer in the table (internal/layers)", f.name, f.pkg))
				noLayer[f.pkg] = true
			}
			continue
		}
		for _, imp := range f.imports {
			if !allowed(r, f, imp) {
				out = append(out, fmt.Sprintf("%s: %s imports %s, which its layer may not", f.name, f.pkg, imp))
			}
		}
	}
	return out
}

func allowed(r rule, f file, imp string) bool {
	switch {
	case slices.Contains(testHelpers, imp):
		return f.test
	case f.test && (imp == f.pkg || slices.Contains(testData, imp)):
		return true
	}
	return slices.Contains(r.may, anything) || slices.Contains(r.may, imp)
}

// moduleFiles parses the imports of every Go file of the module rooted at
// root: not of testdata, of hidden folders, or of modules of their own
// (tools/).
func moduleFiles(t *testing.T, root string) []file {
	t.Helper()
	var files []file
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			name := d.Name()
			if rel != "." && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil && rel != "." {
				return filepath.SkipDir // a module of its own
			}
			return nil
		}
		if !strings.HasSuffix(rel, ".go") {
			return nil
		}
		af, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		f := file{name: rel, pkg: path.Dir(rel), test: strings.HasSuffix(rel, "_test.go")}
		for _, is := range af.Imports {
			imp, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				return err
			}
			if imp == module {
				f.imports = append(f.imports, ".")
			} else if rest, ok := strings.CutPrefix(imp, module+"/"); ok {
				f.imports = append(f.imports, rest)
			}
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestImportsPointDown checks every file of the module against the table.
func TestImportsPointDown(t *testing.T) {
	files := moduleFiles(t, filepath.Join("..", ".."))
	found := map[string]bool{}
	for _, f := range files {
		found[f.pkg] = true
	}
	// The walk is the module's: it finds the packages of every layer.
	for _, pkg := range []string{"units", "dosing", "dosing/pk", "schedule", "fhir", "examples/protocols", "internal/cli", "cmd/doseplan", "internal/golden"} {
		if !found[pkg] {
			t.Errorf("the walk found no package %s", pkg)
		}
	}
	for _, v := range violations(rules(), files) {
		t.Error(v)
	}
}

// TestViolations checks the checker itself on files made up for it: each
// kind of import the table refuses, and those it allows.
func TestViolations(t *testing.T) {
	tests := []struct {
		name string
		file file
		want []string
	}{
		{"units imports nothing", file{name: "units/x.go", pkg: "units", imports: []string{"dosing"}},
			[]string{"units/x.go: units imports dosing, which its layer may not"}},
		{"dosing imports units", file{name: "dosing/x.go", pkg: "dosing", imports: []string{"units"}}, nil},
		{"dosing does not import schedule", file{name: "dosing/x.go", pkg: "dosing", imports: []string{"units", "schedule"}},
			[]string{"dosing/x.go: dosing imports schedule, which its layer may not"}},
		{"pk and schedule do not import each other", file{name: "schedule/x.go", pkg: "schedule", imports: []string{"dosing/pk"}},
			[]string{"schedule/x.go: schedule imports dosing/pk, which its layer may not"}},
		{"fhir and envelope do not import each other", file{name: "fhir/x.go", pkg: "fhir", imports: []string{"schedule", "envelope"}},
			[]string{"fhir/x.go: fhir imports envelope, which its layer may not"}},
		{"no library package imports the CLI", file{name: "envelope/x.go", pkg: "envelope", imports: []string{"internal/cli"}},
			[]string{"envelope/x.go: envelope imports internal/cli, which its layer may not"}},
		{"the library's code does not import the example protocols", file{name: "schedule/x.go", pkg: "schedule", imports: []string{"examples/protocols"}},
			[]string{"schedule/x.go: schedule imports examples/protocols, which its layer may not"}},
		{"the library's tests may", file{name: "schedule/x_test.go", pkg: "schedule", test: true, imports: []string{"examples/protocols", "schedule", "internal/golden"}}, nil},
		{"a test may not import above its package", file{name: "dosing/x_test.go", pkg: "dosing", test: true, imports: []string{"schedule"}},
			[]string{"dosing/x_test.go: dosing imports schedule, which its layer may not"}},
		{"a test helper is for tests only", file{name: "internal/cli/x.go", pkg: "internal/cli", imports: []string{"internal/tooltest"}},
			[]string{"internal/cli/x.go: internal/cli imports internal/tooltest, which its layer may not"}},
		{"a test helper imports no package of the module", file{name: "internal/golden/x.go", pkg: "internal/golden", imports: []string{"units"}},
			[]string{"internal/golden/x.go: internal/golden imports units, which its layer may not"}},
		{"the CLI, commands, the web page and examples import anything",
			file{name: "web/calc/x.go", pkg: "web/calc", imports: []string{"internal/cli", "examples/protocols", "fhir", "envelope"}}, nil},
		{"a command in a folder of its own", file{name: "cmd/doseplan-web/x.go", pkg: "cmd/doseplan-web", imports: []string{"internal/cli"}}, nil},
		{"a package the table does not name", file{name: "records/x.go", pkg: "records", imports: []string{"units"}},
			[]string{"records/x.go: package records has no layer in the table (internal/layers)"}},
		{"the module's root package has no layer", file{name: "x.go", pkg: ".", imports: nil},
			[]string{"x.go: package . has no layer in the table (internal/layers)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, violations(rules(), []file{tt.file})); diff != "" {
				t.Errorf("violations mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
