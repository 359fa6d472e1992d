package protocols_test

// This package renders nothing to compare with a golden file (its examples
// pin the names and the first line of a file), but `go test ./... -update`
// passes -update to every test binary, and a binary that does not define
// the flag refuses to run. Importing the shared golden helper defines it,
// with the same meaning as everywhere else.
import _ "github.com/doseplan/doseplan/internal/golden"
