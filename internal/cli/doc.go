// Package cli is the doseplan command line: every command's flags, checks,
// library calls and output, behind one entry point, Run. cmd/doseplan is a
// few lines around it, so that another front end (a browser calculator)
// runs the same code and gives the same refusals and error texts.
//
// The commands, their flags, exit codes and outputs are documented in
// cmd/doseplan (go doc github.com/doseplan/doseplan/cmd/doseplan) and the
// JSON documents in cmd/doseplan/SCHEMA.md. The tests here run the command
// line in-process against the golden transcripts in testdata (go test
// -update rewrites them; review every diff).
package cli
