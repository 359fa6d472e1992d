// Package web is doseplan's browser calculator: a static page (static/:
// index.html, style.css, app.js) and a WebAssembly program (web/wasm) that
// runs the command line's own code in the browser, through package
// web/bridge, so that the page takes the same inputs, gives the same
// refusals with the same texts, and shows the same results as the command
// line. Nothing is computed on a server and nothing leaves the browser:
// the folder works from any static host, from the clinic's intranet, or
// opened from a USB stick.
//
// cmd/doseplan-web builds the folder (and serves it on 127.0.0.1); this
// package holds the page's files for it. The page is plain HTML, CSS and
// a little JavaScript, without a framework: it is a handful of forms and
// tables, the forms are built from the command line's flags, and a page
// without dependencies needs no build step, no updates and no network.
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS // read-only

// Static returns the page's files: index.html, style.css and app.js.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		panic("web: the embedded folder is missing: " + err.Error()) // a build defect, not data
	}
	return sub
}
