package fuzzcheck

import (
	"fmt"
	"runtime/debug"
	"testing"
	"time"
)

// Limit is how long one call may take. Every function the fuzz targets call
// answers in microseconds (a whole CLI run in milliseconds); the limit is
// far above that so that a loaded machine or the race detector does not
// fail a correct input, and far below the time the fuzzer would otherwise
// wait on a hang.
const Limit = 2 * time.Second

// Bounded calls f on its own goroutine and returns its result. It fails t
// (from t's goroutine, as t.Fatal requires) when f panics, with the panic
// and its stack, or when f has not returned within limit. A stuck f is left
// running: the test has failed and the process ends with it.
func Bounded[T any](t testing.TB, limit time.Duration, f func() T) T {
	t.Helper()
	type outcome struct {
		v     T
		panic string
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if r := recover(); r != nil {
				o.panic = fmt.Sprintf("%v\n%s", r, debug.Stack())
			}
			done <- o
		}()
		o.v = f()
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case o := <-done:
		if o.panic != "" {
			t.Fatalf("panic: %s", o.panic)
		}
		return o.v
	case <-timer.C:
		t.Fatalf("no answer within %v", limit)
		panic("unreachable")
	}
}
