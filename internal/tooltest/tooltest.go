package tooltest

import (
	"os"
	"os/exec"
	"runtime"
	"testing"
)

// RequireEnv is the environment variable that turns a skip into a failure.
// .ci/run sets it to 1, so that CI never passes by skipping.
const RequireEnv = "DOSEPLAN_REQUIRE_TOOLS"

// Required reports whether this run forbids skipping for a missing tool.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Missing skips the test with a one-line reason, or fails it when the run
// requires every tool. Under WebAssembly (GOOS js or wasip1) no program can
// be started at all, so it skips whatever the run requires: .ci/run runs
// those tests natively as well.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip(reason + " (no program can be started under WebAssembly)")
	}
	if Required() {
		t.Fatalf("%s (%s=1 forbids skipping)", reason, RequireEnv)
	}
	t.Skip(reason)
}

// LookPath returns the path of the named program, or calls Missing with a
// reason that names it and says how CI installs it.
func LookPath(t testing.TB, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, name+" not found; "+install)
	}
	return p
}
