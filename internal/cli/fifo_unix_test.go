//go:build unix

package cli

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path.
func mkfifo(t *testing.T, path string) { mustDo(t, syscall.Mkfifo(path, 0o644)) }
