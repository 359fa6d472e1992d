// Command doseplan-web builds doseplan's browser calculator, a static
// folder that runs the library in the browser (WebAssembly) with nothing on
// a server, and serves it on 127.0.0.1 to try it or test it.
//
// Usage, from the repository:
//
//	go run ./cmd/doseplan-web -o site          # build the folder site/
//	go run ./cmd/doseplan-web -o site -serve   # build it, then serve it on 127.0.0.1
//
// The folder holds index.html, style.css, app.js, Go's wasm_exec.js (from
// the Go that builds it: the two must match), doseplan.wasm and
// doseplan.wasm.js (the same program gzipped in a script, for a page
// opened from the disk, where a browser does not let a page fetch a file).
// Copy it to any static host, an intranet share or a USB stick. The wasm
// is built with GOOS=js GOARCH=wasm and the build tag doseplan_noplot
// (the page draws no plots; the plotting library and its fonts would
// double its size).
//
// -serve listens on 127.0.0.1 only, on a port chosen at run time unless
// -addr names one, prints the page's address on the first line of its
// output, and stops on an interrupt. Serving to other machines is a job
// for the clinic's web server.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/doseplan/doseplan/web"
)

// noPlotTag leaves the plotting libraries out of the WebAssembly: the page
// draws no plots.
const noPlotTag = "doseplan_noplot"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("doseplan-web", flag.ContinueOnError)
	fl.SetOutput(stderr)
	out := fl.String("o", "site", "the folder to build the page in")
	serve := fl.Bool("serve", false, "serve the folder on 127.0.0.1 after building it")
	noBuild := fl.Bool("no-build", false, "with -serve: serve the folder as it is, without building it")
	addr := fl.String("addr", "127.0.0.1:0", "with -serve: the loopback address and port to listen on (port 0: chosen at run time)")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "doseplan-web: unexpected argument %q (the folder is -o DIR)\n", fl.Arg(0))
		return 2
	}
	if *noBuild && !*serve {
		fmt.Fprintln(stderr, "doseplan-web: -no-build is only used with -serve")
		return 2
	}
	if !*noBuild {
		if err := build(ctx, *out, stderr); err != nil {
			fmt.Fprintf(stderr, "doseplan-web: %v\n", err)
			return 1
		}
	}
	if *serve {
		if err := serveDir(ctx, *out, *addr, stdout); err != nil {
			fmt.Fprintf(stderr, "doseplan-web: %v\n", err)
			return 1
		}
	}
	return 0
}

// build writes the page into dir: its static files, wasm_exec.js and the
// WebAssembly program, and reports the program's size on w.
func build(ctx context.Context, dir string, w io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := fs.WalkDir(web.Static(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web.Static(), name)
		if err != nil {
			return err
		}
		return writeFile(filepath.Join(dir, filepath.FromSlash(name)), b)
	}); err != nil {
		return err
	}
	goroot, err := goEnv(ctx, "GOROOT")
	if err != nil {
		return err
	}
	var support []byte
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} { // Go 1.24 moved it to lib/
		if support, err = os.ReadFile(filepath.Join(goroot, filepath.FromSlash(p))); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("wasm_exec.js not found in GOROOT %s: %w", goroot, err)
	}
	if err := writeFile(filepath.Join(dir, "wasm_exec.js"), support); err != nil {
		return err
	}
	wasm := filepath.Join(dir, "doseplan.wasm")
	tmp := wasm + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", noPlotTag, "-trimpath", "-ldflags=-s -w", "-o", tmp, "github.com/doseplan/doseplan/web/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("building the WebAssembly: %w", err)
	}
	if err := os.Rename(tmp, wasm); err != nil {
		return err
	}
	b, err := os.ReadFile(wasm)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	script := "// doseplan.wasm, gzipped, for a page opened from the disk (file://), where it cannot be fetched.\n" +
		"window.doseplanWasmGzip = \"" + base64.StdEncoding.EncodeToString(gz.Bytes()) + "\";\n"
	if err := writeFile(filepath.Join(dir, "doseplan.wasm.js"), []byte(script)); err != nil {
		return err
	}
	fmt.Fprintf(w, "doseplan-web: built %s: doseplan.wasm %s (%s gzipped)\n", dir, megabytes(len(b)), megabytes(gz.Len()))
	return nil
}

func megabytes(n int) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func writeFile(name string, b []byte) error {
	tmp := name + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, name)
}

// goEnv reads a setting of the go command that builds the program, so that
// wasm_exec.js comes from the same Go.
func goEnv(ctx context.Context, key string) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", key).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", key, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// serveDir serves dir on addr, a loopback address, until ctx is done; the
// first line on w is the page's address.
func serveDir(ctx context.Context, dir, addr string, w io.Writer) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: serves on a loopback address only (127.0.0.1); serving the page to other machines is a job for a web server", addr)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return fmt.Errorf("%s has no page (build it with -o %s): %w", dir, dir, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler(dir), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(w, "http://%s/\n", ln.Addr())
	fmt.Fprintf(w, "doseplan-web: serving %s (interrupt to stop)\n", dir)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shut); err != nil {
			return err
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// handler serves the folder's files, never cached (a rebuilt page is seen
// at once) and never sniffed.
func handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/wasm")
		}
		files.ServeHTTP(w, r)
	})
}
