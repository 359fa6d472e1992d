// Command custom-protocol shows how a clinic writes its own protocol: once in
// Go, as a schedule.Protocol value, and once as a YAML document, which
// LoadProtocol reads strictly and lints. Both give the same dose. It then
// shows what the loader says about a document with mistakes in it.
//
//	go run ./examples/custom-protocol
package main
