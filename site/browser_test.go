//go:build browser

// Browser tests: the real pages in headless Chromium (Debian's chromium),
// driven by chromedp. Run with `make browser` (go test -tags browser).
// Without chromium they skip, saying so, unless RAFTPLAY_REQUIRE_BROWSER=1
// (as in CI), which makes that a failure.

package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"raftplay/lessons"
)

// chromiumPath finds the browser.
func chromiumPath(t testing.TB) string {
	for _, p := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("RAFTPLAY_REQUIRE_BROWSER") == "1" {
		t.Fatal("chromium is not installed and RAFTPLAY_REQUIRE_BROWSER=1: install it with apt-get install -y chromium")
	}
	t.Skip("SKIPPED: chromium is not installed (apt-get install -y chromium); the browser tests did not run")
	return ""
}

var (
	siteOnce sync.Once
	siteURL  string
	siteErr  error
)

// testSite serves the site from the source tree, built once for all tests.
func testSite(t testing.TB) string {
	siteOnce.Do(func() {
		root, err := moduleRoot()
		if err != nil {
			siteErr = err
			return
		}
		s := &server{root: root, wasmPath: filepath.Join(root, "dist", "raftplay.wasm"), log: os.Stderr}
		if err := s.refresh(true); err != nil {
			siteErr = err
			return
		}
		siteURL = httptest.NewServer(s).URL
	})
	if siteErr != nil {
		t.Fatal(siteErr)
	}
	return siteURL
}

// lessonSlugs lists the lessons' slugs in their order, as the site does:
// the browser tests that visit every lesson take them from here.
func lessonSlugs(t testing.TB) []string {
	t.Helper()
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, l := range lessons.In(all, "en") {
		slugs = append(slugs, l.Slug)
	}
	return slugs
}

// browserCtx starts a headless browser (one per test) and records every
// request the pages make.
type browser struct {
	ctx      context.Context
	close    func() // ends the browser process
	mu       sync.Mutex
	requests []string
	logs     []string
	// csp collects the Content-Security-Policy violations of every page
	// the browser shows (see newBrowser); onlyLocal fails on any.
	csp []string
}

func newBrowser(t testing.TB, width, height int64, dark bool) *browser {
	path := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), int(height)),
	}
	if dark {
		opts = append(opts, chromedp.Flag("force-dark-mode", true), chromedp.Flag("blink-settings", "preferredColorScheme=0"))
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &browser{ctx: ctx, close: func() { cancel(); cancelA() }}
	t.Cleanup(b.close)
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.mu.Unlock()
		case *cdpruntime.EventBindingCalled:
			if e.Name == "raftplayCSPViolation" {
				b.mu.Lock()
				b.csp = append(b.csp, e.Payload)
				b.mu.Unlock()
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	// Every document reports its Content-Security-Policy violations to the
	// test, through a binding the debugger adds (outside the policy).
	if _, err := chromedp.Call(ctx, cdpruntime.AddBinding, cdpruntime.AddBindingParams{Name: "raftplayCSPViolation"}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `document.addEventListener('securitypolicyviolation', e => raftplayCSPViolation(location.pathname + ': ' + e.violatedDirective + ' ' + e.blockedURI))`,
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) do(t testing.TB, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression; a promise is waited for (30 s
// at most).
func eval[T any](t testing.TB, b *browser, expr string) T {
	t.Helper()
	return evalWithin[T](t, b, expr, 30*time.Second)
}

// evalWithin is eval for an expression that may take longer.
func evalWithin[T any](t testing.TB, b *browser, expr string, within time.Duration) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, within)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(t testing.TB, b *browser, expr string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, time.Until(deadline)+5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool]("!!("+expr+")", chromedp.WithPollingTimeout(time.Until(deadline))))
		cancel()
		// A page that has just been opened may still replace the
		// document the poll began in: poll again in the new one.
		if err != nil && strings.Contains(err.Error(), "Cannot find context with specified id") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if err != nil {
			t.Fatalf("waiting for %s: %v", expr, err)
		}
		return
	}
}

// screenshot saves the page to dist/screenshots for a person to look at.
func (b *browser) screenshot(t testing.TB, name string) {
	t.Helper()
	b.shot(t, name, chromedp.FullScreenshot(100))
}

// viewShot saves what the screen shows (not the whole page).
func (b *browser) viewShot(t testing.TB, name string) {
	t.Helper()
	b.shot(t, name, chromedp.CaptureScreenshot())
}

func (b *browser) shot(t testing.TB, name string, take chromedp.Action[[]byte]) {
	t.Helper()
	root, _ := moduleRoot()
	dir := filepath.Join(root, "dist", "screenshots")
	os.MkdirAll(dir, 0o755)
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, take)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
}

// onlyLocal fails the test if the page asked anything of another host,
// or if any page broke its Content-Security-Policy.
func (b *browser) onlyLocal(t testing.TB, site string) {
	t.Helper()
	u, _ := url.Parse(site)
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, v := range b.csp {
		t.Errorf("Content-Security-Policy violation: %s", v)
	}
	for _, r := range b.requests {
		if strings.HasPrefix(r, "data:") || strings.HasPrefix(r, "blob:") {
			continue
		}
		ru, err := url.Parse(r)
		if err != nil || ru.Host != u.Host {
			t.Errorf("third-party request: %s", r)
		}
	}
}

const widget = `document.querySelector('.raft-widget')`

func TestBrowserPlayground(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 900, false)
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	// It plays by itself and elects a leader within a few seconds.
	waitFor(t, b, widget+`.dataset.leader`, 20*time.Second)
	if n := eval[int](t, b, `document.querySelectorAll('[data-server]').length`); n != 5 {
		t.Fatalf("%d servers drawn, want 5", n)
	}
	// The event list follows its end.
	waitFor(t, b, `(() => { const l = document.querySelector('.rw-events'); return l.scrollHeight > l.clientHeight && l.scrollTop + l.clientHeight >= l.scrollHeight - 10; })()`, 10*time.Second)
	b.screenshot(t, "playground-laptop-light")
	loadedBy(t, b, "early-streaming")
	// Preloaded and taken over by the early script: downloaded once.
	if wasmRequests := b.requested(func(u string) bool { return strings.HasSuffix(u, ".wasm") }); wasmRequests != 1 {
		t.Errorf("the wasm was requested %d times", wasmRequests)
	}

	// Crash the leader: another one is elected.
	leader := eval[string](t, b, widget+`.dataset.leader`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-server="`+leader+`"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="crash"]`)))
	waitFor(t, b, `document.querySelector('[data-server="`+leader+`"]').dataset.state === 'crashed'`, 5*time.Second)
	waitFor(t, b, widget+`.dataset.leader && `+widget+`.dataset.leader !== '`+leader+`'`, 20*time.Second)

	// Restart the old leader: it comes back as a follower.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-server="`+leader+`"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="restart-server"]`)))
	waitFor(t, b, `document.querySelector('[data-server="`+leader+`"]').dataset.state === 'up'`, 5*time.Second)

	// No violation with the rules on.
	if v := eval[string](t, b, `document.querySelector('[data-violations]').dataset.violations`); v != "0" {
		t.Errorf("violations: %s", v)
	}

	// Propose a command to the new leader: it is committed in the log view.
	leader = eval[string](t, b, widget+`.dataset.leader`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-server="`+leader+`"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="propose"]`)))
	waitFor(t, b, `document.querySelectorAll('.rw-log .rw-cell.on.c').length >= 4`, 20*time.Second)

	// Partition the leader away with the partition tool: a new leader is
	// elected on the majority side, in a later term.
	term := eval[int](t, b, `+document.querySelector('[data-server="`+leader+`"]').dataset.term`)
	// (The tool's draft puts the leader and a minority on one side.)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="partition"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="apply-partition"]`)))
	waitFor(t, b, `[...document.querySelectorAll('[data-server]')].some(s => s.dataset.role === 'leader' && +s.dataset.term > `+fmt.Sprint(term)+`)`, 20*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="heal"]`)))

	// Rewind with the slider: the clock goes back, and the share link of
	// that moment opens the same state in a new page.
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="pause"]`)))
	before := eval[int](t, b, `+`+widget+`.dataset.time`)
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const r = document.querySelector('[data-action="timeline"]');
		r.value = String(Math.floor(+r.closest('.raft-widget').dataset.time / 2));
		r.dispatchEvent(new Event('input', {bubbles: true}));
	})()`))
	waitFor(t, b, `+`+widget+`.dataset.time < `+fmt.Sprint(before), 10*time.Second)
	rewound := eval[int](t, b, `+`+widget+`.dataset.time`)
	if rewound <= 0 || rewound >= before {
		t.Errorf("rewound to %d from %d", rewound, before)
	}
	roles := `[...document.querySelectorAll('[data-server]')].map(s => s.dataset.server + ':' + s.dataset.role + ':' + s.dataset.term + ':' + s.dataset.state).join(' ')`
	state := eval[string](t, b, roles)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="share"]`)))
	waitFor(t, b, `location.hash.startsWith('#run=')`, 10*time.Second)
	link := eval[string](t, b, `location.href`)
	// The link opens in a browser where the head's early start cannot
	// leave its result, so engine.js loads the simulator itself.
	b2 := newBrowser(t, 1280, 900, false)
	if _, err := chromedp.Call(b2.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: `Object.defineProperty(globalThis, '__raftplayEarly', {get() {}, set() {}})`}); err != nil {
		t.Fatal(err)
	}
	b2.do(t, chromedp.Navigate(link))
	waitFor(t, b2, `+`+widget+`.dataset.time === `+fmt.Sprint(rewound), 20*time.Second)
	if got := eval[string](t, b2, roles); got != state {
		t.Errorf("the share link opened another state:\n got %s\nwant %s", got, state)
	}
	loadedBy(t, b2, "page-streaming")

	// Switch the election restriction off from the rules panel.
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		document.querySelector('input[data-rule="election-restriction"]').click();
	})()`))
	waitFor(t, b, `[...document.querySelectorAll('li[data-t]')].some(li => li.textContent.includes('election-restriction'))`, 10*time.Second)

	b.onlyLocal(t, site)
	b2.onlyLocal(t, site)
	fmt.Fprintln(os.Stderr, "browser: playground ok")
}

// On a Chinese page the safety banner says what was seen in Chinese, and
// so does the timeline's mark of the violation.
func TestBrowserChineseViolation(t *testing.T) {
	site := testSite(t)
	text := restrictionOff(t)
	b := newBrowser(t, 1280, 900, false)
	b.do(t, chromedp.Navigate(site+"/zh/playground/index.html"))
	waitFor(t, b, widget+` && `+widget+`._rw && `+widget+`._rw.id`, 20*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const ta = document.querySelector('.raft-widget textarea');
		ta.value = `+strconv.Quote(text)+`;
		ta.dispatchEvent(new Event('input', {bubbles: true}));
		document.querySelector('[data-action="run"]').click();
	})()`))
	waitFor(t, b, `+document.querySelector('[data-violations]').dataset.violations > 0`, 30*time.Second)
	detail := eval[string](t, b, `document.querySelector('.rw-banner .rw-bdetail').textContent`)
	if !strings.Contains(detail, "领导者 S4") || !strings.Contains(detail, "缺少索引 2 处已提交的条目") || strings.Contains(detail, "leader") {
		t.Errorf("the banner's detail on a Chinese page: %q", detail)
	}
	waitFor(t, b, `document.querySelector('.rw-tmark[data-kind="violation"]')`, 5*time.Second)
	if mark := eval[string](t, b, `document.querySelector('.rw-tmark[data-kind="violation"]').getAttribute('aria-label')`); !strings.Contains(mark, "安全性被破坏：领导者完整性 Leader Completeness · ") && !strings.Contains(mark, "安全性被破坏：领导者完整性 Leader Completeness; ") {
		t.Errorf("the violation's mark on a Chinese page: %q", mark)
	}
	b.screenshot(t, "violation-zh")
}

// The pages fit a phone's width (nothing wider than the screen) and follow
// a dark colour scheme; the screenshots are for a person to look at.
func TestBrowserScreens(t *testing.T) {
	site := testSite(t)
	for _, sc := range []struct {
		name          string
		width, height int64
		dark          bool
	}{
		{"phone-light", 390, 844, false},
		{"phone-dark", 390, 844, true},
		{"laptop-dark", 1280, 900, true},
	} {
		b := newBrowser(t, sc.width, sc.height, sc.dark)
		for _, pg := range []struct{ name, path string }{
			{"home", "/index.html"},
			{"playground", "/playground/index.html"},
			{"lesson-zh", "/zh/lessons/previous-terms/index.html"},
		} {
			b.do(t, chromedp.Navigate(site+pg.path))
			if pg.name != "home" {
				waitFor(t, b, widget+` && `+widget+`._rw && `+widget+`._rw.id`, 20*time.Second)
			}
			// Nothing sticks out sideways (a page that scrolls sideways on
			// a phone is broken).
			if over := eval[string](t, b, `(() => {
				const w = document.documentElement.clientWidth;
				if (document.documentElement.scrollWidth <= w + 1) return '';
				const out = [...document.querySelectorAll('body *')].find(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.rw-logscroll, pre, .rw-ebox, .rw-events, table'));
				return document.documentElement.scrollWidth + 'px wide, ' + (out ? out.tagName.toLowerCase() + '.' + out.className : '?');
			})()`); over != "" {
				t.Errorf("%s %s: the page is wider than the screen (%d px): %s", sc.name, pg.name, sc.width, over)
			}
			// The colour scheme is followed: a dark page has a dark background.
			lum := eval[float64](t, b, `(() => {
				const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
				return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
			})()`)
			if sc.dark != (lum < 0.3) {
				t.Errorf("%s %s: background luminance %.2f", sc.name, pg.name, lum)
			}
			b.screenshot(t, pg.name+"-"+sc.name)
			if pg.name != "home" {
				// The first widget, as a learner scrolled to it sees it.
				b.do(t, chromedp.Evaluate[chromedp.Void](widget+`.scrollIntoView({block: 'start'})`))
				b.viewShot(t, pg.name+"-"+sc.name+"-widget")
			}
		}
		b.close()
	}
}

// pageWidgetsAlive opens a page and waits for its first widget to come
// alive (its virtual clock runs) and to elect a leader.
func pageWidgetsAlive(t *testing.T, b *browser, pageURL string) {
	t.Helper()
	b.do(t, chromedp.Navigate(pageURL))
	waitFor(t, b, `document.querySelectorAll('.raft-widget').length > 0`, 10*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('.raft-widget').scrollIntoView()`))
	// A lesson's script may pause (or ask) before anything happens: the
	// learner would press Continue, or pick an answer; so does this.
	waitFor(t, b, `(() => {
		const w = document.querySelector('.raft-widget');
		for (const sel of ['[data-action="continue"]', '[data-choice]']) {
			const b = w.querySelector(sel);
			if (b && b.offsetParent !== null && !b.disabled) b.click();
		}
		return Number(w.dataset.time || 0) > 0 && w.dataset.leader;
	})()`, 40*time.Second)
}

// loadedBy checks how the page loaded the simulator (see engine.js).
func loadedBy(t testing.TB, b *browser, want string) {
	t.Helper()
	if got := eval[string](t, b, `document.body.dataset.wasmLoad || ''`); got != want {
		t.Errorf("the simulator was loaded by %q, want %q", got, want)
	}
}

// Every lesson, in both languages, has widgets that come alive.
func TestBrowserLessons(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 900, false)
	for _, lang := range []string{"", "zh/"} {
		for _, slug := range lessonSlugs(t) {
			t.Run(lang+slug, func(t *testing.T) {
				pageWidgetsAlive(t, b, site+"/"+lang+"lessons/"+slug+"/index.html")
				if got := eval[int](t, b, `document.querySelectorAll('.raft-widget [data-server]').length`); got == 0 {
					t.Error("no servers drawn")
				}
			})
		}
	}
	b.onlyLocal(t, site)
}

// A static host that is not raftplay serves the built site under a
// sub-path, with .wasm sent as application/octet-stream (so the page falls
// back from streaming instantiation); the lessons still work.
func TestBrowserStaticSiteUnderSubPath(t *testing.T) {
	dir := builtSiteDir(t, siteOptions{base: "/raftplay/"})
	fsrv := http.FileServer(http.Dir(dir))
	mux := http.NewServeMux()
	mux.Handle("/raftplay/", http.StripPrefix("/raftplay/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		// As GitHub Pages does: 404.html for a missing file.
		name := filepath.Join(dir, filepath.FromSlash(r.URL.Path))
		if _, err := os.Stat(name); err != nil && r.URL.Path != "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			nf, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Write(nf)
			return
		}
		fsrv.ServeHTTP(w, r)
	})))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	b := newBrowser(t, 1280, 900, false)
	pageWidgetsAlive(t, b, srv.URL+"/raftplay/lessons/election/index.html")
	// The wrong MIME type refuses the streaming compile; the page compiles
	// the bytes instead.
	loadedBy(t, b, "early-bytes")
	solveOverviewExercise(t, b, srv.URL+"/raftplay/lessons/overview/index.html")
	// Links are relative: the home page is reached under the sub-path.
	b.do(t, chromedp.Navigate(srv.URL+"/raftplay/index.html"))
	waitFor(t, b, `document.querySelectorAll('.lesson-card').length >= 6`, 10*time.Second)
	href := eval[string](t, b, `document.querySelector('.lesson-card a').href`)
	if !strings.HasPrefix(href, srv.URL+"/raftplay/") {
		t.Errorf("lesson link %s leaves the sub-path", href)
	}
	// A missing page deep under the sub-path gets the styled 404 page,
	// whose link leads home.
	b.do(t, chromedp.Navigate(srv.URL+"/raftplay/lessons/no-such-lesson/deeper/index.html"))
	waitFor(t, b, `document.querySelector('.hero h1') && getComputedStyle(document.querySelector('.site-header')).display === 'flex'`, 10*time.Second)
	if home := eval[string](t, b, `document.querySelector('.hero a').href`); home != srv.URL+"/raftplay/index.html" {
		t.Errorf("the 404 page leads to %s", home)
	}
	b.screenshot(t, "not-found-under-sub-path")
	b.onlyLocal(t, srv.URL)
}

// On a slow connection the widget shows how much of the simulator has
// arrived, rising to 100%, then the cluster.
func TestBrowserLoadingProgress(t *testing.T) {
	site := staticSite(t) // a plain file server: the wasm's length is known
	b := newBrowser(t, 1280, 900, false)
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{DownloadThroughput: 1_000_000, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	// Every value the progress bar shows, as it shows it.
	const watch = `(() => {
		window.__progress = [];
		new MutationObserver(ms => {
			for (const m of ms) if (m.attributeName === 'aria-valuenow' && m.target.getAttribute('aria-valuenow') !== null) window.__progress.push(+m.target.getAttribute('aria-valuenow'));
		}).observe(document, { attributes: true, subtree: true, attributeFilter: ['aria-valuenow'] });
	})()`
	if _, err := chromedp.Call(b.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: watch}); err != nil {
		t.Fatal(err)
	}
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	waitFor(t, b, widget+`._rw && `+widget+`._rw.id`, 40*time.Second)
	seen := eval[[]float64](t, b, `window.__progress`)
	t.Logf("progress shown: %v", seen)
	between := 0
	for i, v := range seen {
		if v > 0 && v < 100 {
			between++
		}
		if i > 0 && v < seen[i-1] {
			t.Errorf("the progress went back: %v", seen)
			break
		}
	}
	if between < 2 || seen[len(seen)-1] != 100 {
		t.Errorf("the progress bar showed %v: want several values between 0 and 100, ending at 100", seen)
	}
}

// A host that has lost the wasm: every widget says the simulator could
// not be loaded and why, and offers a reload; the page does not hang.
func TestBrowserMissingWasm(t *testing.T) {
	dir := builtSiteDir(t, siteOptions{})
	fsrv := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".wasm") {
			http.NotFound(w, r)
			return
		}
		fsrv.ServeHTTP(w, r)
	}))
	defer srv.Close()
	b := newBrowser(t, 1280, 900, false)
	b.do(t, chromedp.Navigate(srv.URL+"/lessons/election/index.html"))
	waitFor(t, b, `[...document.querySelectorAll('.raft-widget')].every(w => w.hasAttribute('data-dead'))`, 20*time.Second)
	msg := eval[string](t, b, widget+`.querySelector('.rw-dead').textContent`)
	if !strings.Contains(msg, "HTTP 404") || eval[int](t, b, `document.querySelectorAll('[data-action=reload]').length`) == 0 {
		t.Errorf("a widget without its simulator says %q", msg)
	}
}

// The offline bundle opens from file:// with the network off: a lesson's
// widget elects a leader, and nothing is requested but files.
func TestBrowserOfflineBundle(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	built, err := buildSite(root, siteOptions{offline: true})
	if err != nil {
		t.Fatal(err)
	}
	var zipBuf bytes.Buffer
	if err := writeZip(&zipBuf, built.files); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(zipBuf.Bytes()), int64(zipBuf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		os.WriteFile(p, data, 0o644)
	}
	b := newBrowser(t, 1280, 900, false)
	// The network is off: any request to a host would fail.
	if _, err := chromedp.Call(b.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	pageWidgetsAlive(t, b, "file://"+filepath.Join(dir, "raftplay", "lessons", "election", "index.html"))
	loadedBy(t, b, "embedded")
	t.Logf("offline lesson elected a leader %v after navigation", time.Since(began).Round(time.Millisecond))
	solveOverviewExercise(t, b, "file://"+filepath.Join(dir, "raftplay", "lessons", "overview", "index.html"))
	b.do(t, chromedp.Navigate("file://"+filepath.Join(dir, "raftplay", "index.html")))
	waitFor(t, b, `document.querySelectorAll('.lesson-card').length >= 6`, 10*time.Second)
	// The home page's own cluster runs from disk too.
	waitFor(t, b, `document.querySelector('.raft-home').dataset.leader`, 30*time.Second)
	// Progress is kept as on the website.
	waitFor(t, b, `/1/.test(document.querySelector('[data-progress="overview"]').textContent)`, 10*time.Second)
	onlyFiles(t, b)
}

// requested counts the requests the pages made whose URL matches.
func (b *browser) requested(match func(url string) bool) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, u := range b.requests {
		if match(u) {
			n++
		}
	}
	return n
}

// onlyFiles fails the test if the pages of an offline bundle asked for
// anything but files, data and blobs.
func onlyFiles(t *testing.T, b *browser) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, r := range b.requests {
		if !strings.HasPrefix(r, "file://") && !strings.HasPrefix(r, "data:") && !strings.HasPrefix(r, "blob:") {
			t.Errorf("the offline bundle requested %s", r)
		}
	}
}

// BenchmarkBrowserOfflineStartup measures the time from opening the
// offline bundle's first lesson from disk to its first widget being ready
// to use (mounted), and running, by the page's own clock.
func BenchmarkBrowserOfflineStartup(b *testing.B) {
	dir := builtSiteDir(b, siteOptions{offline: true})
	other := anotherSite(b)
	const phases = `(() => {
		const m = {};
		for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('raftplay:')) m[e.name.slice(9)] = e.startTime;
		return m;
	})()`
	// The first lesson's widget plays when it is scrolled to; the learner
	// can use it once it is mounted (interactive); the page's other
	// widgets are mounted after it.
	const ready = `performance.getEntriesByName('raftplay:mounted').length > 0`
	all := map[string][]float64{}
	for i := 0; i < b.N; i++ {
		for k, v := range coldOpen(b, other, "file://"+filepath.Join(dir, "lessons", "overview", "index.html"), "", ready, phases) {
			all[k] = append(all[k], v)
		}
	}
	for _, k := range []string{"script", "compiled", "ready", "interactive", "mounted"} {
		if len(all[k]) == b.N {
			b.ReportMetric(median(all[k]), "ms-"+k+"(median)")
		}
	}
}

// frameProbe wraps requestAnimationFrame before the page's scripts run,
// recording how long each frame's callbacks take.
const frameProbe = `(() => {
  const raf = window.requestAnimationFrame.bind(window);
  window.__frameTimes = [];
  window.requestAnimationFrame = cb => raf(ts => {
    const t0 = performance.now();
    try { cb(ts); } finally { window.__frameTimes.push(performance.now() - t0); }
  });
})();`

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

func percentile(xs []float64, p float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[int(float64(len(s)-1)*p)]
}

// builtSiteDir builds the site with opt and writes it to a temporary
// folder, which it returns.
func builtSiteDir(tb testing.TB, opt siteOptions) string {
	root, err := moduleRoot()
	if err != nil {
		tb.Fatal(err)
	}
	built, err := buildSite(root, opt)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	if err := writeSite(dir, built.files, false); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// staticSite builds the static site and serves it with a plain file
// server (as a static host would), returning its URL.
func staticSite(tb testing.TB) string {
	dir := builtSiteDir(tb, siteOptions{})
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	tb.Cleanup(srv.Close)
	return srv.URL
}

// runningProbe records when the first widget is first seen running.
const runningProbe = `(() => {
  if (location.protocol === 'about:') return;
  const check = () => {
    const w = document.querySelector('.raft-widget');
    if (w && document.querySelectorAll('[data-server]').length > 0 && Number(w.dataset.time) > 0) {
      window.__runningAt = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})();`

// anotherSite serves one page of text, which a start-up benchmark shows
// before the page it measures, as a learner's browser has shown pages
// before.
func anotherSite(b *testing.B) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>another site</title><p style="font-family: system-ui">Some text, <code>some code</code>, <b>bold</b> and <i>italic</i>.</p>`)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// coldOpen loads url in a new browser with an empty cache, after showing
// warmURL (unless it is empty), and returns what the page measured by its
// own clock, which starts at navigation.
func coldOpen(b *testing.B, warmURL, url, probe, ready, measure string) map[string]float64 {
	br := newBrowser(b, 1280, 900, false)
	defer br.close() // a browser left open keeps playing and slows the next one
	if _, err := chromedp.Call(br.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		b.Fatal(err)
	}
	if warmURL != "" {
		br.do(b, chromedp.Navigate(warmURL))
	}
	br.do(b, chromedp.Navigate("about:blank"))
	if _, err := chromedp.Call(br.ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
		b.Fatal(err)
	}
	br.do(b, chromedp.Navigate(url))
	waitFor(b, br, ready, 20*time.Second)
	return eval[map[string]float64](b, br, measure)
}

// helloGoSite serves a page whose Go program does nothing but tell the
// page it has started, built and loaded the way raftplay's is (the
// compile begun at the top of the head). It is the start-up benchmark's
// second peer: the least any page that runs Go in WebAssembly costs here.
func helloGoSite(b *testing.B) string {
	dir := b.TempDir()
	files := map[string]string{
		"go.mod":  "module hello\n\ngo 1.21\n",
		"main.go": "//go:build js && wasm\n\npackage main\n\nimport \"syscall/js\"\n\nfunc main() {\n\tjs.Global().Call(\"__goStarted\")\n\tselect {}\n}\n",
		"index.html": `<!doctype html><meta charset="utf-8"><title>hello</title>
<script>window.__mod = WebAssembly.compileStreaming(fetch('hello.wasm'));</script>
<p>Hello</p>
<script src="wasm_exec.js"></script>
<script>
window.__goStarted = () => { window.__goAt = performance.now(); };
(async () => { const go = new Go(); go.run(await WebAssembly.instantiate(await window.__mod, go.importObject)); })();
</script>
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	build := exec.Command(goTool(), "build", "-trimpath", "-ldflags=-s -w", "-o", "hello.wasm", ".")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOWORK=off")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building the hello program: %v\n%s", err, out)
	}
	support, err := wasmExecJS()
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "wasm_exec.js"), support, 0o644); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	b.Cleanup(srv.Close)
	return srv.URL
}

// BenchmarkBrowserStartup measures the time from navigation to a running,
// rendered cluster (servers drawn and the virtual clock moving) on the
// static site served from localhost, with a cold cache: nothing of the
// site is cached. The browser has shown one page of another site before,
// as a learner's browser has; a browser that has just started spends
// extra time finding its fonts and starting its processes, and that is
// reported too (fresh-browser). The page's phases are the marks engine.js
// and main.js leave. The peer is the first paint of a page of the same
// site with no simulator (404.html), opened the same way: what any page
// costs in this browser on this machine.
func BenchmarkBrowserStartup(b *testing.B) {
	site := staticSite(b)
	hello := helloGoSite(b)
	other := anotherSite(b)
	const paint = `(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime`
	const phases = `(() => {
		const m = {paint: ` + paint + `, running: window.__runningAt};
		for (const e of performance.getEntriesByType('mark')) if (e.name.startsWith('raftplay:')) m[e.name.slice(9)] = e.startTime;
		const w = performance.getEntriesByType('resource').find(e => e.name.endsWith('.wasm'));
		if (w) { m['wasm-requested'] = w.startTime; m['wasm-downloaded'] = w.responseEnd; }
		return m;
	})()`
	all := map[string][]float64{}
	var plain, fresh, goStart []float64
	for i := 0; i < b.N; i++ {
		for k, v := range coldOpen(b, other, site+"/playground/index.html", runningProbe, `window.__runningAt > 0`, phases) {
			all[k] = append(all[k], v)
		}
		plain = append(plain, coldOpen(b, other, site+"/404.html", "", paint+` > 0`, `({paint: `+paint+`})`)["paint"])
		goStart = append(goStart, coldOpen(b, other, hello+"/index.html", "", `window.__goAt > 0`, `({go: window.__goAt})`)["go"])
		fresh = append(fresh, coldOpen(b, "", site+"/playground/index.html", runningProbe, `window.__runningAt > 0`, phases)["running"])
	}
	for _, k := range []string{"wasm-requested", "wasm-downloaded", "paint", "script", "compiled", "ready", "interactive", "mounted"} {
		if len(all[k]) == b.N {
			b.ReportMetric(median(all[k]), "ms-"+k+"(median)")
		}
	}
	b.ReportMetric(median(all["running"]), "ms-to-running(median)")
	b.ReportMetric(median(plain), "ms-plain-page-paint(median)")
	b.ReportMetric(median(all["running"])/median(plain), "ratio-to-plain")
	b.ReportMetric(median(goStart), "ms-hello-go-started(median)")
	b.ReportMetric(median(all["running"])/median(goStart), "ratio-to-hello-go")
	b.ReportMetric(median(fresh), "ms-to-running-fresh-browser(median)")
}

// BenchmarkBrowserFrame measures the script time of each animation frame
// with 9 servers at normal speed and messages in flight (p95 and median).
func BenchmarkBrowserFrame(b *testing.B) {
	site := staticSite(b)
	t := b
	br := newBrowser(t, 1280, 900, false)
	if _, err := chromedp.Call(br.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: frameProbe}); err != nil {
		b.Fatal(err)
	}
	br.do(t, chromedp.Navigate(site+"/playground/index.html"))
	waitFor(t, br, `document.querySelector('.raft-widget').dataset.leader`, 30*time.Second)
	// Nine servers: put them in the editor and run.
	br.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const ta = document.querySelector('.raft-widget textarea');
		ta.value = 'cluster 9 seed=3\n';
		ta.dispatchEvent(new Event('input', {bubbles: true}));
		document.querySelector('[data-action="run"]').click();
	})()`))
	waitFor(t, br, `document.querySelectorAll('[data-server]').length === 9 && document.querySelector('.raft-widget').dataset.leader`, 30*time.Second)
	var all []float64
	for i := 0; i < b.N; i++ {
		br.do(t, chromedp.Evaluate[chromedp.Void](`window.__frameTimes = []`), chromedp.Sleep(2*time.Second))
		ft := eval[[]float64](t, br, `window.__frameTimes`)
		all = append(all, ft...)
	}
	if len(all) == 0 {
		b.Fatal("no frames")
	}
	b.ReportMetric(percentile(all, 0.95), "ms/frame(p95)")
	b.ReportMetric(median(all), "ms/frame(median)")
	b.ReportMetric(float64(len(all))/(2*float64(b.N)), "frames/s")
}

// solveOverviewExercise opens the first lesson and solves its exercise by
// clicking the allowed actions, as a learner would: the setup makes S1 the
// leader, the goal is S3 as leader, and timeouts are allowed.
func solveOverviewExercise(t *testing.T, b *browser, lessonURL string) {
	t.Helper()
	b.do(t, chromedp.Navigate(lessonURL))
	const ex = `document.querySelector('.raft-widget.raft-exercise')`
	waitFor(t, b, ex+` && `+ex+`._rw && `+ex+`._rw.id`, 20*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](ex+`.scrollIntoView()`))
	waitFor(t, b, ex+`.dataset.leader === 'S1'`, 30*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](ex+`._rw.pause()`))
	b.do(t, chromedp.Click(chromedp.CSS(`.raft-exercise [data-server="S3"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`.raft-exercise [data-action="timeout"]`)))
	b.do(t, chromedp.Evaluate[chromedp.Void](ex+`._rw.play()`))
	waitFor(t, b, ex+`.hasAttribute('data-solved')`, 20*time.Second)
}

// An exercise solved by clicking its allowed actions is marked solved,
// offers a code that raftplay verify accepts, and is remembered: after a
// reload, on the home page, and through an export and import of progress.
func TestBrowserExerciseAndProgress(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 900, false)
	solveOverviewExercise(t, b, site+"/lessons/overview/index.html")
	b.screenshot(t, "exercise-solved")

	// Progress keeps the solve with a code; the code verifies.
	stored := eval[string](t, b, `localStorage.getItem('raftplay.progress') || ''`)
	if !strings.Contains(stored, `"overview/1"`) {
		t.Fatalf("progress does not hold the solve: %s", stored)
	}
	code := eval[string](t, b, `JSON.parse(localStorage.getItem('raftplay.progress')).exercises['overview/1'].code`)
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	if v := verifyCode(all, code); !v.solved {
		t.Errorf("the page's solution code does not verify: %s", v.why)
	}

	// After a reload the exercise says it was solved, and offers the code.
	b.do(t, chromedp.Reload())
	waitFor(t, b, `document.querySelector('.raft-exercise [data-action="copy-code"]')`, 20*time.Second)

	// The home page shows the lesson's progress.
	b.do(t, chromedp.Navigate(site+"/index.html"))
	waitFor(t, b, `/1/.test(document.querySelector('[data-progress="overview"]').textContent)`, 10*time.Second)

	// Export (read back from storage, as the download holds it), clear,
	// import the file: the progress is back.
	file := filepath.Join(t.TempDir(), "progress.json")
	if err := os.WriteFile(file, []byte(stored), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`), chromedp.Reload())
	waitFor(t, b, `document.querySelector('[data-action="import-progress"]')`, 10*time.Second)
	if got := eval[string](t, b, `document.querySelector('[data-progress="overview"]').textContent`); strings.Contains(got, "1 of") {
		t.Fatalf("progress still shown after clearing storage: %q", got)
	}
	b.do(t, chromedp.SetUploadFiles(chromedp.CSS(`[data-progress-tools] input[type="file"]`), []string{file}))
	waitFor(t, b, `JSON.parse(localStorage.getItem('raftplay.progress') || '{}').exercises?.['overview/1']`, 10*time.Second)

	// Corrupt stored progress: a notice, and a working page.
	b.do(t, chromedp.Evaluate[chromedp.Void](`localStorage.setItem('raftplay.progress', '{bad')`), chromedp.Reload())
	waitFor(t, b, `document.querySelectorAll('.lesson-card').length >= 6 && document.querySelector('[data-notice="corrupt"]')`, 10*time.Second)
	if got := eval[string](t, b, `localStorage.getItem('raftplay.progress.backup')`); got != "{bad" {
		t.Errorf("the unreadable progress was not backed up: %q", got)
	}

	// Progress of a newer version survives a reload untouched: the page
	// says so, works, and writes nothing over it.
	newer := `{"v":99,"exercises":{"overview/1":{"solved":true}},"future":[1,2,3]}`
	b.do(t, chromedp.Evaluate[chromedp.Void](`localStorage.clear(); localStorage.setItem('raftplay.progress', '`+newer+`')`), chromedp.Reload())
	waitFor(t, b, `document.querySelectorAll('.lesson-card').length >= 6 && document.querySelector('[data-notice="newer"]')`, 10*time.Second)
	b.do(t, chromedp.SetValue(`#progress-name`, "Ada"), chromedp.Evaluate[chromedp.Void](`document.querySelector('#progress-name').dispatchEvent(new Event('change'))`), chromedp.Reload())
	waitFor(t, b, `document.querySelector('[data-notice="newer"]')`, 10*time.Second)
	if got := eval[string](t, b, `localStorage.getItem('raftplay.progress')`); got != newer {
		t.Errorf("progress of a newer version was changed: %q", got)
	}
	b.onlyLocal(t, site)
}

// A hostile share link: a few dozen characters that ask nine servers,
// heartbeating every millisecond, to run for thirteen days. The page once froze for two minutes in one call and then
// ran out of memory. Now the run loads in slices with its progress and a
// Stop button in view; the page answers a click meanwhile (Stop takes
// effect at once: the run stays where it got to), and the simulator is
// alive afterwards.
func TestBrowserHostileShareLink(t *testing.T) {
	site := testSite(t)
	run := encodeCodeRaw("cluster 9 heartbeat=1ms\n" + strings.Repeat("run 86400s\n", 13))
	if len(run) > 80 {
		t.Fatalf("the link is %d characters; the point is that it is short", len(run))
	}
	b := newBrowser(t, 1280, 800, false)
	b.do(t, chromedp.Navigate(site+"/playground/index.html#run="+run))
	waitFor(t, b, `document.querySelector('[data-part="replay"] [data-action="stop-replay"]')`, 30*time.Second)
	waitFor(t, b, `+document.querySelector('.raft-widget').dataset.time > 1000`, 30*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="stop-replay"]`)))
	waitFor(t, b, `!document.querySelector('[data-part="replay"]')`, 5*time.Second)
	stopped := eval[float64](t, b, `+document.querySelector('.raft-widget').dataset.time`)
	if stopped <= 0 || stopped >= 3_600_000 {
		t.Fatalf("stopped at %vms", stopped)
	}
	time.Sleep(500 * time.Millisecond)
	if now := eval[float64](t, b, `+document.querySelector('.raft-widget').dataset.time`); now != stopped {
		t.Fatalf("the run went on after Stop: %v, then %v", stopped, now)
	}
	// The simulator is alive, and the widget works: played, it moves on.
	if !eval[bool](t, b, `Array.isArray(raftplay.rules()) && raftplay.rules().length > 0`) {
		t.Fatalf("the simulator does not answer")
	}
	b.do(t, chromedp.Click(chromedp.CSS(`.raft-widget [data-action="play"]`)))
	waitFor(t, b, `+document.querySelector('.raft-widget').dataset.time > `+strconv.FormatFloat(stopped, 'f', 0, 64), 10*time.Second)
	b.onlyLocal(t, site)
}
