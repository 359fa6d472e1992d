//go:build !unix

package cli

import (
	"runtime"
	"testing"
)

// mkfifo skips: the system has no named pipes (js/wasm, windows).
func mkfifo(t *testing.T, path string) { t.Skip("no named pipes on " + runtime.GOOS) }
