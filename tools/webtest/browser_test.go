package webtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/doseplan/doseplan/examples/protocols"
	"github.com/doseplan/doseplan/internal/tooltest"
)

var (
	screenshot = flag.String("screenshot", "", "also write the README's screenshot of the page to this PNG file")
	keep       = flag.String("keep", "", "also keep the printed PDFs in this folder")
)

// TestBrowser builds the page, serves it on 127.0.0.1 and drives it in
// headless Chromium: every form against the command line, the
// acknowledgement of a review warning, a protocol from a local file, the
// plan and its calendar file, printing, accessibility, the display rules,
// and that the page works offline and from the disk.
func TestBrowser(t *testing.T) {
	tooltest.LookPath(t, "chromium", install)
	s := buildSite(t)
	ctx := browser(t)
	requests := watchRequests(ctx)
	d := open(t, ctx, s.url)
	t.Logf("page ready %v after the navigation (the WebAssembly fetched, compiled and started in %v ms); %s",
		d.Round(time.Millisecond), eval[float64](t, ctx, `window.doseplanLoadMs`), eval[string](t, ctx, `(() => {
			const r = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/doseplan.wasm'));
			return r ? 'doseplan.wasm ' + (r.decodedBodySize / 1e6).toFixed(1) + ' MB' : 'doseplan.wasm not fetched';
		})()`))
	loaded := requests.count()

	t.Run("forms", func(t *testing.T) {
		for _, c := range pageCases() {
			t.Run(c.name, func(t *testing.T) {
				got := checkCase(t, ctx, s, c)
				checkDisplay(t, c.name, got.Text)
			})
		}
	})
	t.Run("acknowledgement", func(t *testing.T) { testAcknowledgement(t, ctx, s) })
	t.Run("protocol file", func(t *testing.T) { testProtocolFile(t, ctx, s) })
	t.Run("lint on load", func(t *testing.T) { testLint(t, ctx, s) })
	t.Run("plan", func(t *testing.T) { testPlan(t, ctx, s) })
	t.Run("print", func(t *testing.T) { testPrint(t, ctx, s) })
	t.Run("accessibility", func(t *testing.T) { testAccessibility(t, ctx, s) })
	t.Run("screenshot", func(t *testing.T) { testScreenshot(t, ctx, s) })
	t.Run("offline", func(t *testing.T) {
		if n := requests.count(); n != loaded {
			t.Errorf("the page made %d requests after it had loaded, want none: %q", n-loaded, requests.urls()[loaded:])
		}
	})
	t.Run("from the disk", func(t *testing.T) { testFromDisk(t, s) })
}

// requestLog records the URLs the tab requests (blob: and data: URLs are
// not requests to the network).
type requestLog struct {
	mu   sync.Mutex
	list []string
}

func watchRequests(ctx context.Context) *requestLog {
	l := &requestLog{}
	events := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			if u := ev.Request.URL; !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
				l.mu.Lock()
				l.list = append(l.list, u)
				l.mu.Unlock()
			}
		}
	}()
	return l
}

func (l *requestLog) count() int {
	time.Sleep(200 * time.Millisecond) // events arrive after the action that caused them
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.list)
}

func (l *requestLog) urls() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.list)
}

// testAcknowledgement: a dose above the soft limit needs review; an
// acknowledgement without a reason is refused on the page; with a reason,
// typed on the keyboard, it is recorded in the worksheet, as the command
// line records --ack.
func testAcknowledgement(t *testing.T, ctx context.Context, s site) {
	// 0.8 mg/kg is above the protocol's soft maximum 0.75 mg/kg and below
	// its hard maximum 1 mg/kg: 64 mg for 80 kg.
	c := pageCase{name: "ack", command: "dose", protocol: "iv-ketamine-trd",
		fields: [][2]string{{"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}, {"dose", "0.8 mg/kg"}}, exit: 4,
		values: map[string]string{"dose": "64 mg"}, json: map[string]string{"dose": "result.dose"}}
	checkCase(t, ctx, s, c)
	key := "dose_per_kg.soft_max"
	warning := `#result-dose [data-warning="` + key + `"]`
	if got := eval[string](t, ctx, `document.querySelector('`+warning+` .badge').textContent`); got != "NEEDS REVIEW" {
		t.Errorf("the warning's badge reads %q, want NEEDS REVIEW", got)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(warning+` button`))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector('`+warning+` .field-error').textContent`); got != "A reason is required to acknowledge this warning; it is recorded in the worksheet." {
		t.Errorf("acknowledging without a reason: %q", got)
	}
	if got := readState(t, ctx, "dose"); got.Exit != "4" {
		t.Errorf("an acknowledgement without a reason ran the dose again: exit %s", got.Exit)
	}
	reason := "tolerated 0.75 mg/kg at session 3"
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(warning+` input`), reason+"\r")); err != nil {
		t.Fatal(err)
	}
	got := readState(t, ctx, "dose")
	text, _, code := s.cliRun(t, append(c.cliArgs(), "--ack", key+"="+reason)...)
	if got.Exit != "0" || code != 0 {
		t.Errorf("acknowledged: the page exits %s, the command line %d; want 0", got.Exit, code)
	}
	if got.Worksheet != text {
		t.Errorf("the acknowledged worksheet differs from the command line's with --ack:\n%s\nwant:\n%s", got.Worksheet, text)
	}
	if !strings.Contains(got.Worksheet, "acknowledged: "+reason) {
		t.Errorf("the worksheet does not record the reason:\n%s", got.Worksheet)
	}
	if ack := eval[string](t, ctx, `document.getElementById('dose-ack').value`); ack != key+"="+reason {
		t.Errorf("the acknowledgement field holds %q, want %q", ack, key+"="+reason)
	}
	pdf := printPDF(t, ctx, "A4")
	if text := pdfText(t, pdf); !strings.Contains(text, reason) {
		t.Errorf("the printout does not show the reason %q:\n%s", reason, text)
	}
}

// testProtocolFile loads the clinic's protocol from a local file: its
// SHA-256 is the file's, and a dose from it carries that identity.
func testProtocolFile(t *testing.T, ctx context.Context, s site) {
	b, err := protocols.Read("iv-ketamine-trd")
	if err != nil {
		t.Fatal(err)
	}
	b = append([]byte("# our clinic's copy, reviewed 2026-11-01\n"), b...)
	sum := sha256.Sum256(b)
	want := hex.EncodeToString(sum[:])
	file := filepath.Join(t.TempDir(), "clinic-iv.yaml")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("protocol-file"), []string{file})); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#protocol-info [data-value=sha256]')?.textContent === '`+want+`'`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the protocol panel does not show the file's SHA-256 %s: %v (shows %q)", want, err,
			eval[string](t, ctx, `document.getElementById('protocol-info').innerText`))
	}
	c := pageCase{command: "dose", fields: [][2]string{{"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"}}}
	fill(t, ctx, c)
	got := readState(t, ctx, "dose")
	if got.Exit != "0" || got.Values["sha256"] != want {
		t.Errorf("a dose from the file: exit %s, SHA-256 %q; want 0 and %s", got.Exit, got.Values["sha256"], want)
	}
	if !strings.Contains(got.Worksheet, "SHA-256:   "+want) {
		t.Errorf("the worksheet does not carry the file's SHA-256:\n%s", got.Worksheet)
	}
	// A protocol with an error is shown with the lint's findings, as the
	// command line's lint finds them.
	bad := filepath.Join(t.TempDir(), "typo.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(string(b), "\nname:", "\nnmae:", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("protocol-file"), []string{bad})); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	doc, _ := s.cliJSON(t, "lint", bad)
	findings, _ := path(doc, "protocols.0.findings").([]any)
	shown := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#lint-findings li')).map((e) => e.textContent)`)
	if len(findings) == 0 || len(shown) != len(findings) {
		t.Fatalf("the page shows %d findings %q, the command line's lint %d", len(shown), shown, len(findings))
	}
	for i, f := range findings {
		fm := f.(map[string]any)
		if want := fmt.Sprintf("%s %s: %s", map[string]string{"error": "ERROR", "warning": "warning"}[fm["severity"].(string)], fm["field"], fm["message"]); shown[i] != want {
			t.Errorf("finding %d: %q, want %q", i, shown[i], want)
		}
	}
	if got := eval[string](t, ctx, `document.getElementById('lint-summary').textContent`); !strings.Contains(got, "cannot be used") {
		t.Errorf("the lint summary %q does not say the protocol cannot be used", got)
	}
}

// testLint: an example's findings are shown as it is chosen.
func testLint(t *testing.T, ctx context.Context, s site) {
	for _, name := range protocols.Names() {
		eval[bool](t, ctx, `(() => { const s = document.getElementById('example'); s.value = 'example:`+name+`'; s.dispatchEvent(new Event('change')); return true; })()`)
		doc, _ := s.cliJSON(t, "lint", "example:"+name)
		findings, _ := path(doc, "protocols.0.findings").([]any)
		shown := eval[int](t, ctx, `document.querySelectorAll('#lint-findings li').length`)
		if shown != len(findings) {
			t.Errorf("%s: %d findings shown, the command line's lint has %d", name, shown, len(findings))
		}
		if got, want := eval[string](t, ctx, `document.querySelector('#protocol-info [data-value=protocol-version]').textContent`), path(doc, "protocols.0.protocol.version"); got != want {
			t.Errorf("%s: version %q, want %q", name, got, want)
		}
	}
}

// testPlan: a series with a closed day, the escalations proposed and
// marked in the table and the calendar, and the iCalendar file, written
// in memory, as the command line writes it.
func testPlan(t *testing.T, ctx context.Context, s site) {
	c := pageCase{name: "plan", command: "plan", protocol: "iv-ketamine-trd", exit: 0,
		fields: [][2]string{{"weight", "80 kg"}, {"height", "175 cm"}, {"sex", "male"}, {"age", "45"},
			{"start", "2025-03-03"}, {"tz", "America/New_York"}, {"open", "mon-fri"}, {"at", "09:00"}, {"closed", "2025-03-05=Staff day"}},
		// Three sessions at 0.5 mg/kg (40 mg), three proposed at 0.6 mg/kg
		// (48 mg) and three boosters proposed at 0.75 mg/kg (60 mg):
		// 120 mg + 144 mg + 180 mg.
		values: map[string]string{"total": "444 mg: 120 mg decided, 324 mg proposed (escalations not yet decided)"},
	}
	checkCase(t, ctx, s, c)
	checkDisplay(t, "plan", readState(t, ctx, "plan").Text)
	rows := eval[[][]string](t, ctx, `Array.from(document.querySelectorAll('#plan-sessions tbody tr')).map((r) => [r.className, ...Array.from(r.cells).map((c) => c.textContent)])`)
	doc, _ := s.cliJSON(t, c.cliArgs()...)
	sessions, _ := path(doc, "plan.sessions").([]any)
	if len(rows) != 9 || len(sessions) != 9 {
		t.Fatalf("%d rows on the page, %d sessions from the command line; want 9", len(rows), len(sessions))
	}
	for i, r := range rows {
		proposed := path(sessions[i], "proposed") == true
		dose := path(sessions[i], "dose.dose").(string)
		want := dose
		if proposed {
			want += " ▲ proposed"
		}
		if r[6] != want || (r[0] == "proposed") != proposed {
			t.Errorf("session %d: dose %q, class %q; the command line's %s, proposed %v", i+1, r[6], r[0], dose, proposed)
		}
		if date := path(sessions[i], "date").(string); r[3] != date {
			t.Errorf("session %d on %s, the command line's %s", i+1, r[3], date)
		}
	}
	if !strings.Contains(rows[1][10], "moved from 2025-03-05: 03-05 clinic closed (Staff day)") {
		t.Errorf("session 2's notes %q do not say why it moved", rows[1][10])
	}
	cell := func(date string) []string {
		return eval[[]string](t, ctx, `(() => { const c = document.querySelector('#result-plan td[data-date="`+date+`"]'); return c ? [c.className, c.innerText] : []; })()`)
	}
	if got := cell("2025-03-05"); len(got) != 2 || got[0] != "closed" || !strings.Contains(got[1], "closed: Staff day") {
		t.Errorf("the calendar's 2025-03-05: %q, want the closed day named", got)
	}
	if got := cell("2025-03-12"); len(got) != 2 || got[0] != "session proposed" || !strings.Contains(got[1], "▲ proposed") || !strings.Contains(got[1], "48 mg") {
		t.Errorf("the calendar's 2025-03-12 (session 4, proposed 48 mg): %q", got)
	}
	if got := cell("2025-03-03"); len(got) != 2 || got[0] != "session" || strings.Contains(got[1], "proposed") {
		t.Errorf("the calendar's 2025-03-03 (session 1, decided): %q", got)
	}

	// The calendar file needs the plan's reference: the command line's
	// refusal, next to the reference's field.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("plan-ics"))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.getElementById('plan-plan-id-err').textContent`); got != "--ics needs --plan-id: a reference for the plan (event UIDs are derived from it)" {
		t.Errorf("downloading without a reference: %q", got)
	}
	downloads := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("plan-plan-id"), "MRN-1234"), chromedp.Click(chromedp.ID("plan-ics"))); err != nil {
		t.Fatal(err)
	}
	// The browser saves the Blob as a download, as a user would get it.
	var saved []byte
	for range 50 {
		if b, err := os.ReadFile(filepath.Join(downloads, "doseplan-plan.ics")); err == nil && len(b) > 0 {
			saved = b
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	ics := string(saved)
	if page := eval[string](t, ctx, `window.doseplanLastICS || ''`); ics != page {
		t.Errorf("the saved download (%d bytes) is not the file the page made (%d bytes)", len(ics), len(page))
	}
	file := filepath.Join(t.TempDir(), "plan.ics")
	s.cliRun(t, append(c.cliArgs(), "--ics", file, "--plan-id", "MRN-1234", "--stamp", "2025-03-01T12:00:00Z")...)
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`(?m)^DTSTAMP:\d{8}T\d{6}Z\r?\n`)
	if n := strings.Count(ics, "BEGIN:VEVENT"); n != 9 {
		t.Errorf("the downloaded calendar has %d events, want 9", n)
	}
	if diff := cmp.Diff(strings.Split(stamp.ReplaceAllString(string(want), ""), "\n"), strings.Split(stamp.ReplaceAllString(ics, ""), "\n")); diff != "" {
		t.Errorf("the downloaded calendar differs from the command line's --ics, DTSTAMP aside (-command line +page):\n%s", diff)
	}
}

// checkDisplay applies the ISMP display rules to text shown on the page or
// on paper: a leading zero, no trailing zero, mcg and mL and units, a space
// between number and unit, thousands separated.
func checkDisplay(t *testing.T, what, text string) {
	t.Helper()
	rules := []struct{ name, re string }{
		{"naked decimal", `(^|[^\w.,'])\.\d`},
		{"trailing zero", `\b\d+\.\d*0 ?(mg|mcg|g|mL|L|kg|lb|h|min|units|%|mg/kg|mg/mL|mL/h|mg/h)\b`},
		{"µg for mcg", `[µμ]g`},
		{"cc for mL", `\d ?cc\b`},
		{"U or IU for units", `\d ?(I?U)\b`},
		{"no space before the unit", `\b\d(mg|mcg|mL|kg|lb|units)\b`},
		{"no thousands separator", `(^|[^\w.,])\d{4,} ?(mg|mcg|mL|units|mcg/min|mg/h|mL/h)\b`},
	}
	for _, r := range rules {
		if m := regexp.MustCompile(r.re).FindString(text); m != "" {
			t.Errorf("%s: %s in %q", what, r.name, m)
		}
	}
}

// testFromDisk opens the built folder's index.html as a file, as from a
// USB stick, and calculates.
func testFromDisk(t *testing.T, s site) {
	ctx := browser(t)
	open(t, ctx, "file://"+filepath.Join(s.dir, "index.html"))
	c := caseNamed(t, "dose: the README's patient")
	got := checkCase(t, ctx, s, c)
	if got.Values["dose"] != "40 mg" {
		t.Errorf("from the disk, the dose is %q", got.Values["dose"])
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := tooltest.LookPath(t, "pdftotext", "install Debian's poppler-utils (.ci/run does)")
	file := filepath.Join(t.TempDir(), "page.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
