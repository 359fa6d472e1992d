// Package webtest drives doseplan's browser calculator in a real browser
// (Debian's Chromium, headless, through the DevTools protocol with
// chromedp): it builds the page with cmd/doseplan-web, serves it on
// 127.0.0.1, fills the forms, reads the results from the page and compares
// them with the command line's own output for the same inputs, prints
// worksheets to PDF and checks them with poppler's pdftotext and pdftoppm.
//
// It is a module of its own so that the library's go.mod never depends on
// chromedp. Without Chromium the tests skip with a one-line reason; .ci/run
// installs it and sets DOSEPLAN_REQUIRE_TOOLS=1, which turns a skip into a
// failure.
package webtest
