package webtest

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/doseplan/doseplan/internal/tooltest"
)

// printPDF prints the page as Chromium's print dialog would, on paper of
// the given size (Letter or A4), with the page's own margins.
func printPDF(t *testing.T, ctx context.Context, paper string) []byte {
	t.Helper()
	size := map[string]chromedp.PaperSize{"Letter": chromedp.PaperLetter, "A4": chromedp.PaperA4}[paper]
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(size), chromedp.PDFMargin(0)))
	if err != nil {
		t.Fatalf("printing to PDF: %v", err)
	}
	return pdf
}

// pdfPages renders a PDF's pages with poppler's pdftoppm and returns how
// many there are, and the pixel width of the first.
func pdfPages(t *testing.T, pdf []byte) (pages, width int) {
	t.Helper()
	tool := tooltest.LookPath(t, "pdftoppm", "install Debian's poppler-utils (.ci/run does)")
	dir := t.TempDir()
	file := filepath.Join(dir, "page.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, "-r", "20", "-png", file, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
	if len(pngs) > 0 {
		b, err := os.ReadFile(pngs[0])
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("pdftoppm's page 1: %v", err)
		}
		width = img.Bounds().Dx()
	}
	return len(pngs), width
}

// testPrint prints a dose and a check: each fits one or two pages of
// Letter and of A4, and has the protocol's identity, every step of the
// calculation, the verification notice and the signature lines, and
// nothing of the form.
func testPrint(t *testing.T, ctx context.Context, s site) {
	// A dose, a tenfold check and a check of an order that states every
	// value (the longest worksheet).
	for _, c := range []pageCase{caseNamed(t, "dose: the README's patient"), caseNamed(t, "check: a tenfold"), caseNamed(t, "check: an order that states every value")} {
		fill(t, ctx, c)
		doc, _ := s.cliJSON(t, c.cliArgs()...)
		steps := path(doc, "result.steps")
		title := "Dose worksheet"
		if c.command == "check" {
			steps, title = path(doc, "check.expected.steps"), "Order check worksheet"
		}
		list, _ := steps.([]any)
		if len(list) == 0 {
			t.Fatalf("%s: the command line's document has no steps", c.name)
		}
		for _, paper := range []string{"Letter", "A4"} {
			pdf := printPDF(t, ctx, paper)
			if *keep != "" {
				os.WriteFile(filepath.Join(*keep, strings.NewReplacer(" ", "-", ":", "", "/", "-").Replace(c.name)+"-"+paper+".pdf"), pdf, 0o644)
			}
			pages, width := pdfPages(t, pdf)
			if pages < 1 || pages > 2 {
				t.Errorf("%s on %s: %d pages, want one or two", c.name, paper, pages)
			}
			if width == 0 {
				t.Errorf("%s on %s: pdftoppm rendered no page", c.name, paper)
			}
			text := pdfText(t, pdf)
			want := []string{title, "IV racemic ketamine, treatment-resistant depression (example)", "2026-11-example",
				"81374e464fd63ed32c515f769b640ec639fc8adcb921739e779fd27c693a69ce", "For clinician verification — not a prescription",
				"Prepared by (name, signature)", "Checked by (independent double check)", "Date and time", "Patient:   80 kg, 175 cm, male, age 45 years"}
			for i, st := range list {
				m := st.(map[string]any)
				want = append(want, fmt.Sprintf("%d. %s", i+1, m["title"]))
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s on %s: the printout lacks %q", c.name, paper, w)
				}
			}
			if n := strings.Count(text, "Date and time"); n != 2 {
				t.Errorf("%s on %s: %d date-and-time lines, want 2 (prepared, checked)", c.name, paper, n)
			}
			for _, never := range []string{"Calculate the dose", "Check the order", "Choose a protocol", "Skip to", "Print the"} {
				if strings.Contains(text, never) {
					t.Errorf("%s on %s: the printout shows %q of the page", c.name, paper, never)
				}
			}
			checkDisplay(t, c.name+" on "+paper, withoutCommandLine(text))
		}
	}
}

// withoutCommandLine drops the printout's command line, which quotes the
// values as they were typed.
func withoutCommandLine(text string) string {
	if i := strings.Index(text, "Command line: "); i >= 0 {
		if j := strings.Index(text[i:], "Prepared by"); j >= 0 {
			return text[:i] + text[i+j:]
		}
	}
	return text
}

// testAccessibility: a label on every field, the tabs and forms by
// keyboard, errors said in words, and the page readable at 200 % zoom
// (a 1280 px window is 640 CSS px wide) without scrolling sideways.
func testAccessibility(t *testing.T, ctx context.Context, s site) {
	unlabelled := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('input, select, textarea'))
		.filter((e) => !(e.labels && e.labels.length && e.labels[0].textContent.trim()) && !e.getAttribute('aria-label'))
		.map((e) => e.id || e.name || e.outerHTML)`)
	if len(unlabelled) > 0 {
		t.Errorf("fields without a label: %q", unlabelled)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('form input, form select, form textarea').length`); n < 40 {
		t.Errorf("only %d form fields: the forms were not built", n)
	}

	// The tabs: arrow keys, Home and End move between them.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.ID("tab-dose")), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	if got := eval[[]any](t, ctx, `[document.activeElement.id, document.getElementById('panel-check').hidden, document.getElementById('panel-dose').hidden]`); got[0] != "tab-check" || got[1] != false || got[2] != true {
		t.Errorf("ArrowRight on the Dose tab: focus %v, check panel hidden %v, dose panel hidden %v", got[0], got[1], got[2])
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.End)); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.activeElement.id`); got != "tab-convert" {
		t.Errorf("End: focus on %s, want the last tab", got)
	}

	// A form typed and submitted with the keyboard alone: Enter in a field.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("tab-convert")),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('form-convert').reset()`),
		chromedp.SendKeys(chromedp.ID("convert-quantity"), "2 mcg/kg/min"),
		chromedp.SendKeys(chromedp.ID("convert-unit"), "mL/h"),
		chromedp.SendKeys(chromedp.ID("convert-weight"), "70 kg"),
		chromedp.SendKeys(chromedp.ID("convert-concentration"), "1 mg/mL\r"),
	); err != nil {
		t.Fatal(err)
	}
	// 2 mcg/kg/min × 70 kg = 140 mcg/min = 0.14 mg/min; ÷ 1 mg/mL × 60 min/h = 8.4 mL/h.
	if got := readState(t, ctx, "convert").Values["result"]; got != "8.4 mL/h" {
		t.Errorf("the conversion submitted with Enter gives %q, want 8.4 mL/h", got)
	}

	// An error is said in words, not by colour alone.
	fill(t, ctx, caseNamed(t, "refused: a weight and a dose"))
	before := eval[string](t, ctx, `getComputedStyle(document.getElementById('dose-weight-err'), '::before').content`)
	if !strings.Contains(before, "Error") {
		t.Errorf("a field error's marker is %s, want the word Error", before)
	}
	if got := eval[string](t, ctx, `document.getElementById('dose-weight').getAttribute('aria-invalid')`); got != "true" {
		t.Errorf("the refused field is not marked invalid (aria-invalid %q)", got)
	}
	if got := eval[string](t, ctx, `document.activeElement.className`); got != "error-summary" {
		t.Errorf("after a refusal the focus is on %q, want the error summary", got)
	}

	// 200 % zoom: nothing wider than the window, with a dose and a plan
	// shown (wide tables scroll inside their own box).
	fill(t, ctx, caseNamed(t, "dose: the README's patient"))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(640, 900, chromedp.EmulateScale(2))); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
	for _, tab := range []string{"dose", "plan", "check"} {
		chromedp.Do(ctx, chromedp.Click(chromedp.ID("tab-"+tab)))
		if got := eval[[]float64](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); got[0] > got[1] {
			wide := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('body *')).filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && !e.closest('.scroll')).slice(0, 5).map((e) => e.tagName + '.' + e.className)`)
			t.Errorf("at 200 %% zoom the %s tab is %v px wide in a %v px window: %q", tab, got[0], got[1], wide)
		}
	}
}

// testScreenshot takes the README's picture: the page in a 1100 px window
// with a dose calculated, from the top to the result's summary, at half
// scale; with -screenshot FILE it is written there.
func testScreenshot(t *testing.T, ctx context.Context, s site) {
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1100, 900)); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900))
	fill(t, ctx, caseNamed(t, "dose: the README's patient"))
	bottom := eval[float64](t, ctx, `document.querySelector('#result-dose .summary').getBoundingClientRect().bottom + window.scrollY + 16`)
	shot, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Clip:                  &page.Viewport{Width: 1100, Height: bottom, Scale: 0.5},
		CaptureBeyondViewport: ptr(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot.Data))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	t.Logf("screenshot %d × %d px, %d kB", img.Bounds().Dx(), img.Bounds().Dy(), len(shot.Data)/1000)
	if *screenshot != "" {
		if err := os.WriteFile(*screenshot, shot.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	// The README's picture is this one: a page whose layout changed shows
	// another size (pixels differ with fonts, sizes less).
	b, err := os.ReadFile(filepath.Join(s.root, readmeShot))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", readmeShot, err)
	}
	if committed.Width != img.Bounds().Dx() || committed.Height != img.Bounds().Dy() {
		t.Errorf("%s is %d × %d px, the page now %d × %d: take it again (go test -run TestBrowser/screenshot -screenshot ../../%s)",
			readmeShot, committed.Width, committed.Height, img.Bounds().Dx(), img.Bounds().Dy(), readmeShot)
	}
}

// readmeShot is the README's screenshot of the page, from the repository.
const readmeShot = "docs/web-calculator.png"

func ptr[T any](v T) *T { return &v }
