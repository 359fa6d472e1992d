// Package protocols embeds the example protocol files, so that
// `go run ./examples/...` and the doseplan CLI (`--protocol
// example:iv-ketamine-trd`) work from any directory with no files around.
//
// Every file is an example to be reviewed by a clinic, never a
// recommendation; each cites its sources.
package protocols
