package tooltest

import "testing"

func TestLookPathFindsAProgramThatIsAlwaysThere(t *testing.T) {
	if p := LookPath(t, "go", "install Go"); p == "" {
		t.Fatal("LookPath returned an empty path for go")
	}
}

func TestRequiredReadsTheEnvironment(t *testing.T) {
	t.Setenv(RequireEnv, "1")
	if !Required() {
		t.Errorf("Required() = false with %s=1", RequireEnv)
	}
	t.Setenv(RequireEnv, "")
	if Required() {
		t.Errorf("Required() = true with %s unset", RequireEnv)
	}
}
