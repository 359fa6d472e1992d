package web_test

import (
	"fmt"
	"io/fs"

	"github.com/doseplan/doseplan/web"
)

// The page's own files; cmd/doseplan-web adds wasm_exec.js and the
// WebAssembly program.
func ExampleStatic() {
	names, _ := fs.Glob(web.Static(), "*")
	fmt.Println(names)
	// Output:
	// [app.js icon.svg index.html style.css]
}
