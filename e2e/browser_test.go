package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is Debian's Chromium; .ci/run installs it when it is missing.
const chromiumPath = "/usr/bin/chromium"

// envRequireBrowser makes a missing browser or axe-core a failure instead of
// a skip; .ci/run sets it.
const envRequireBrowser = "HEARTH_REQUIRE_BROWSER"

// testTimeout bounds one test's browser: a hung page fails the test instead
// of the whole run.
const testTimeout = 90 * time.Second

// Viewport widths of the screenshots: a desktop and a phone.
const (
	desktopWidth = 1280
	phoneWidth   = 390
)

// needBrowser skips (or, under HEARTH_REQUIRE_BROWSER=1, fails) when
// Chromium is not installed.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		missing(t, "Chromium is not installed at "+chromiumPath+" (apt-get install chromium); the browser tests need it")
	}
}

func missing(t *testing.T, why string) {
	t.Helper()
	if os.Getenv(envRequireBrowser) == "1" {
		t.Fatalf("%s, and %s=1 requires it", why, envRequireBrowser)
	}
	t.Skip(why)
}

// repoRoot is the module root, found from this file's place.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the source file")
	}
	return filepath.Dir(filepath.Dir(file))
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript reads axe-core as .ci/run installs it (.tools/node_modules).
func axeScript(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join(repoRoot(t), ".tools", "node_modules", "axe-core", "axe.min.js"))
		axeSource = string(b)
	})
	if axeErr != nil {
		missing(t, "axe-core is not installed in .tools/node_modules (npm install --prefix .tools axe-core, see .ci/run): "+axeErr.Error())
	}
	return axeSource
}

// browser is one headless Chromium with a fresh profile. Each tab it opens
// has a browser context of its own: its own cookies, like another device.
type browser struct {
	t   *testing.T
	ctx context.Context
	srv *server
}

// startBrowser starts Chromium for one test; it ends with the test.
func startBrowser(t *testing.T, srv *server) *browser {
	t.Helper()
	needBrowser(t)
	if _, err := exec.LookPath(chromiumPath); err != nil {
		missing(t, "Chromium at "+chromiumPath+" cannot run: "+err.Error())
	}
	parent, cancelTimeout := context.WithTimeout(context.Background(), testTimeout)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
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
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.WindowSize(desktopWidth, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, srv: srv}
}

// tab is one page in a browser context of its own.
type tab struct {
	t    *testing.T
	ctx  context.Context
	srv  *server
	name string
	// offsite collects requests to any host but the two loopback servers:
	// Hearth loads nothing from other hosts, ever.
	mu      sync.Mutex
	offsite []string
	// axe runs on every page unless the tab has JavaScript off.
	axe bool
}

// newTab opens a tab for one person (name is used in screenshot names).
func (b *browser) newTab(name string) *tab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	tb := &tab{t: b.t, ctx: ctx, srv: b.srv, name: name, axe: true}
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a tab: %v", err)
	}
	neutral := b.srv.neutral.URL
	if err := chromedp.Listen(ctx, func(ev any) {
		if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
			u := ev.Request.URL
			if strings.HasPrefix(u, b.srv.URL+"/") || strings.HasPrefix(u, neutral+"/") || strings.HasPrefix(u, "data:") ||
				strings.HasPrefix(u, "about:") {
				return
			}
			tb.mu.Lock()
			tb.offsite = append(tb.offsite, u)
			tb.mu.Unlock()
		}
	}); err != nil {
		b.t.Fatalf("listen to the tab: %v", err)
	}
	b.t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		if len(tb.offsite) > 0 {
			b.t.Errorf("%s: the pages asked other hosts for %v", name, tb.offsite)
		}
	})
	tb.viewport(desktopWidth)
	return tb
}

// do runs steps and fails the test on an error.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// eval evaluates JavaScript in the page and returns its value.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("%s: evaluate %q: %v", tb.name, expr, err)
	}
	return v
}

// open navigates to a path on the server and checks the page.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("open "+path, chromedp.Navigate(tb.srv.path(path)))
	tb.checkPage()
}

// navigate runs a trigger (a click, a key) that loads a new page, waits for
// the load, and checks the new page.
func (tb *tab) navigate(what string, trigger chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(page.LoadEventFired, nil, trigger)); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
	tb.checkPage()
}

// click clicks the element and waits for the page it loads.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.navigate("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// submit fills a form (fields: CSS selector → text) and submits it with its
// submit button (the button matched by button).
func (tb *tab) submit(fields map[string]string, button string) {
	tb.t.Helper()
	steps := []chromedp.Action[chromedp.Void]{}
	for sel, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.CSS(sel), v))
	}
	tb.do("fill a form", steps...)
	tb.click(button)
}

// text returns the visible text of the first element that matches sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("%s: read %s: %v", tb.name, sel, err)
	}
	return v
}

// path is the current page's path and query.
func (tb *tab) path() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("%s: location: %v", tb.name, err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("%s: location %q: %v", tb.name, loc, err)
	}
	return u.RequestURI()
}

// wantPath fails unless the current page is at want (path without query).
func (tb *tab) wantPath(want string) {
	tb.t.Helper()
	if got := tb.path(); got != want && !strings.HasPrefix(got, want+"?") {
		tb.t.Fatalf("%s: on %s, want %s\n%s", tb.name, got, want, tb.mainText())
	}
}

// mainText is the text of <main>, for failure messages and checks.
func (tb *tab) mainText() string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(document.querySelector("main") || document.body || {innerText: ""}).innerText`))
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return v
}

// wantText fails unless <main> shows every part.
func (tb *tab) wantText(parts ...string) {
	tb.t.Helper()
	body := tb.mainText()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			tb.t.Fatalf("%s: %s does not show %q\n%s", tb.name, tb.path(), p, body)
		}
	}
}

// checkPage runs on every page a journey visits: the page is Hearth's and
// has no serious or critical accessibility violation.
func (tb *tab) checkPage() {
	tb.t.Helper()
	if tb.axe {
		tb.runAxe()
	}
}

// axeViolation is what the test prints of one axe-core finding.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe fails the test on any serious or critical axe-core violation of
// the current page (WCAG 2.1 AA and axe's best practices).
func (tb *tab) runAxe() {
	tb.t.Helper()
	for _, v := range tb.axeViolations() {
		tb.t.Errorf("%s: %s: axe %s (%s): %s\n  %s", tb.name, tb.path(), v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n  "))
	}
	visited(tb.path())
}

// axeViolations injects axe-core through the DevTools protocol
// (Runtime.evaluate is not bound by the page's CSP, which forbids inline
// script), runs it, and returns the serious and critical violations.
func (tb *tab) axeViolations() []axeViolation {
	tb.t.Helper()
	src := axeScript(tb.t)
	loaded, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		tb.t.Fatalf("%s: look for axe: %v", tb.name, err)
	}
	if !loaded {
		if err := chromedp.Do(tb.ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
			tb.t.Fatalf("%s: inject axe-core: %v", tb.name, err)
		}
	}
	const run = `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
		.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))`
	found, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: run axe-core on %s: %v", tb.name, tb.path(), err)
	}
	return found
}

var (
	visitedMu    sync.Mutex
	visitedPages = map[string]bool{}
)

// visited records that axe checked a page, for the summary in the log.
func visited(path string) {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	visitedMu.Lock()
	visitedPages[path] = true
	visitedMu.Unlock()
}

// viewport sets the tab's width (the height follows a common screen).
func (tb *tab) viewport(width int64) {
	tb.t.Helper()
	height := int64(900)
	if width <= phoneWidth {
		height = 844
	}
	tb.do("set the viewport", chromedp.EmulateViewport(width, height))
}

// screenshot saves the whole page at desktop and phone width into
// testdata/screenshots at the repository root (git-ignored).
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	dir := filepath.Join(repoRoot(tb.t), "testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	for _, width := range []int64{desktopWidth, phoneWidth} {
		tb.viewport(width)
		img, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			tb.t.Fatalf("%s: screenshot %s: %v", tb.name, name, err)
		}
		file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width))
		if err := os.WriteFile(file, img, 0o644); err != nil {
			tb.t.Fatal(err)
		}
		if width == phoneWidth {
			tb.noSidewaysScroll(name)
		}
	}
	tb.viewport(desktopWidth)
}

// noSidewaysScroll fails when a page is wider than a phone: it must read at
// 360 px without scrolling sideways.
func (tb *tab) noSidewaysScroll(name string) {
	tb.t.Helper()
	if !tb.axe {
		return
	}
	wide := eval[int](tb, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
	if wide > 1 {
		tb.t.Errorf("%s: %s is %d px wider than a %d px phone", tb.name, name, wide, phoneWidth)
	}
}

// press sends keys to the focused element (kb.Tab, kb.Enter, text).
func (tb *tab) press(keys string) {
	tb.t.Helper()
	tb.do("press keys", chromedp.KeyEvent(keys))
}

// tabTo presses Tab until the focused element matches the CSS selector,
// at most limit times: a keyboard user reaches every control in order.
func (tb *tab) tabTo(sel string, limit int) {
	tb.t.Helper()
	check := fmt.Sprintf(`document.activeElement !== null && document.activeElement.matches(%q)`, sel)
	for range limit {
		tb.press(kb.Tab)
		if eval[bool](tb, check) {
			return
		}
	}
	tb.t.Fatalf("%s: %d presses of Tab on %s did not reach %s", tb.name, limit, tb.path(), sel)
}
