package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The build itself (a WebAssembly compile) is exercised by the browser
// tests in tools/webtest, which build the page with this command.

func TestServeRefusesAnAddressOtherMachinesReach(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html>"), 0o644)
	for _, addr := range []string{"0.0.0.0:8080", ":8080", "192.168.1.10:80", "localhost:80"} {
		err := serveDir(context.Background(), dir, addr, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("serveDir on %q: %v, want a refusal naming the loopback address", addr, err)
		}
	}
}

func TestServeRefusesAFolderWithoutAPage(t *testing.T) {
	err := serveDir(context.Background(), t.TempDir(), "127.0.0.1:0", io.Discard)
	if err == nil || !strings.Contains(err.Error(), "has no page") {
		t.Errorf("serveDir on an empty folder: %v, want a refusal", err)
	}
}

// TestServe serves a folder on a port chosen at run time, printed first,
// with WebAssembly as application/wasm, and stops when asked.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "index.html"), []byte("<!doctype html><title>t</title>"), 0o644)
	os.WriteFile(filepath.Join(dir, "doseplan.wasm"), []byte("\x00asm\x01\x00\x00\x00"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serveDir(ctx, dir, "127.0.0.1:0", w); w.Close() }()
	url, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, r)
	url = strings.TrimSpace(url)
	if !strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasSuffix(url, ":0/") {
		t.Fatalf("address %q, want http://127.0.0.1:PORT/ with a port chosen at run time", url)
	}
	for path, want := range map[string]string{"doseplan.wasm": "application/wasm", "": "text/html; charset=utf-8"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || got != want {
			t.Errorf("GET /%s: %d %q, want 200 %q", path, resp.StatusCode, got, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serveDir stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serveDir did not stop")
	}
}

func TestUsage(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"site"}, `unexpected argument "site" (the folder is -o DIR)`},
		{[]string{"-no-build"}, "-no-build is only used with -serve"},
	}
	for _, c := range cases {
		var errb bytes.Buffer
		if code := run(context.Background(), c.args, io.Discard, &errb); code != 2 || !strings.Contains(errb.String(), c.want) {
			t.Errorf("doseplan-web %v: exit %d, %q; want 2 and %q", c.args, code, errb.String(), c.want)
		}
	}
}

// TestWasmLeavesOutThePlots checks that the WebAssembly program, as build
// builds it, links no plotting library: every package that draws plots
// leaves them out with the build tag doseplan_noplot (9 MB of WebAssembly
// rather than 19).
func TestWasmLeavesOutThePlots(t *testing.T) {
	cmd := exec.Command("go", "list", "-tags", noPlotTag, "-deps", "github.com/doseplan/doseplan/web/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "gonum.org/v1/plot") {
			t.Errorf("the WebAssembly links %s", pkg)
		}
	}
}
