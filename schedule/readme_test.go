package schedule_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's library snippet is the body of ExamplePlan, so the snippet a
// newcomer copies is one that compiles and whose output is verified.
func TestReadmeSnippetIsExamplePlan(t *testing.T) {
	src, err := os.ReadFile("plan_example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(src)
	start := strings.Index(s, "func ExamplePlan() {\n")
	if start < 0 {
		t.Fatal("ExamplePlan not found")
	}
	body := s[start+len("func ExamplePlan() {\n"):]
	body = body[:strings.Index(body, "\t// Output:")]
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		lines = append(lines, strings.TrimPrefix(l, "\t"))
	}
	snippet := "```go\n" + strings.Join(lines, "\n") + "\n```"
	if !strings.Contains(string(readme), snippet) {
		t.Errorf("README.md's library snippet differs from ExamplePlan's body; paste it again:\n%s", snippet)
	}
}
