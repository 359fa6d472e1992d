// Package fuzzcheck holds what every fuzz target of the module checks
// besides its own properties: that one input neither panics nor runs for
// an unbounded time. Go's fuzzer stops at a panic by itself but has no
// per-input deadline, so a parser that loops forever on some text would
// hang the fuzzing run instead of failing it; Bounded turns that into a
// failure the fuzzer records in testdata/fuzz.
package fuzzcheck
