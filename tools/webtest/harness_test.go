package webtest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/doseplan/doseplan/internal/tooltest"
)

const install = "install Debian's chromium (.ci/run does: apt-get install chromium)"

// site is the page, built by the documented command and served by it, and
// the command line built from the same source, to compare with.
type site struct {
	url  string // http://127.0.0.1:PORT/
	dir  string // the built folder
	cli  string // the doseplan binary
	root string // the repository
}

// buildSite builds cmd/doseplan and cmd/doseplan-web, builds the page with
// "doseplan-web -o DIR -serve" and returns once it serves; the server is
// stopped (interrupted) when the test ends.
func buildSite(t *testing.T) site {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	s := site{root: root, dir: filepath.Join(bin, "site"), cli: filepath.Join(bin, "doseplan")}
	for _, b := range [][2]string{{s.cli, "./cmd/doseplan"}, {filepath.Join(bin, "doseplan-web"), "./cmd/doseplan-web"}} {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", b[1], err, out)
		}
	}
	start := time.Now()
	srv := exec.Command(filepath.Join(bin, "doseplan-web"), "-o", s.dir, "-serve")
	srv.Dir = root
	var stderr bytes.Buffer
	srv.Stderr = &stderr
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		srv.Process.Signal(os.Interrupt)
		if err := srv.Wait(); err != nil {
			t.Errorf("doseplan-web -serve did not stop cleanly: %v\n%s", err, stderr.String())
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("doseplan-web -serve printed no address: %v\n%s", err, stderr.String())
	}
	s.url = strings.TrimSpace(line)
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Fatalf("doseplan-web serves on %q, want http://127.0.0.1:PORT/", s.url)
	}
	t.Logf("built and serving in %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(stderr.String()))
	return s
}

// browser starts Debian's Chromium, headless, with a fresh profile and the
// flags that keep it off the network, and returns a tab's context.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := tooltest.LookPath(t, "chromium", install)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // as root, in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", path, err)
	}
	return ctx
}

// open loads the page and waits until the calculator has started; it
// returns how long that took, from the navigation to ready.
func open(t *testing.T, ctx context.Context, url string) time.Duration {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate %s: %v", url, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.dataset.ready === 'true' || (document.getElementById('status').className === 'problem' && (() => { throw new Error(document.getElementById('status').textContent) })())`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
		t.Fatalf("the page did not start: %v (status: %q)", err, status)
	}
	return time.Since(start)
}

// eval evaluates a JavaScript expression in the page and decodes its
// result into T.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// cliRun runs the command line with args and returns its stdout, stderr
// and exit code.
func (s site) cliRun(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(s.cli, args...)
	cmd.Dir = t.TempDir()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("doseplan %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errb.String(), code
}

// cliJSON runs the command line with --json and decodes its document.
func (s site) cliJSON(t *testing.T, args ...string) (doc map[string]any, code int) {
	t.Helper()
	out, stderr, code := s.cliRun(t, append(args, "--json")...)
	if out == "" {
		return nil, code
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("doseplan %s --json: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
	}
	return doc, code
}

// path reads a value of a decoded JSON document by a dotted path
// ("result.preparation.draw", "check.fields.0.verdict").
func path(doc any, p string) any {
	for _, k := range strings.Split(p, ".") {
		switch d := doc.(type) {
		case map[string]any:
			doc = d[k]
		case []any:
			var i int
			if _, err := fmt.Sscan(k, &i); err != nil || i >= len(d) {
				return nil
			}
			doc = d[i]
		default:
			return nil
		}
	}
	return doc
}
