//go:build browser

package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// searchFlow runs the explorer from the playground's Rules tab: with
// election-restriction off, a search from a new cluster finds the
// shortest break (13 steps, as TestFromTheStartFindsTheShortestBreak
// finds natively) while the cluster goes on playing; Play it loads the
// schedule, which ends in the violation, marked on the timeline; the way
// back restores the playground. A search can be stopped, and one that the
// explorer cannot run says why in plain words.
func searchFlow(t *testing.T, b *browser, page, shot string) {
	b.do(t, chromedp.Navigate(page))
	waitFor(t, b, widget+`.dataset.leader`, 30*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`.rw-tab[id$="-t-rules"]`)))
	waitFor(t, b, `!document.querySelector('[data-part="search"]').hidden`, 5*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-rule="election-restriction"]`)))
	waitFor(t, b, `!document.querySelector('[data-rule="election-restriction"]').checked`, 5*time.Second)

	// Nothing of the explorer is loaded until a search is asked for.
	if n := eval[int](t, b, explorerLoaded); n != 0 {
		t.Errorf("%d of the explorer's files were loaded before any search", n)
	}
	before := eval[int](t, b, `+`+widget+`.dataset.time`)
	began := time.Now()
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-start"]`)))
	waitFor(t, b, `document.querySelector('[data-part="search"]').dataset.verdict`, 120*time.Second)
	t.Logf("election-restriction off, from a new cluster: found in %v", time.Since(began).Round(100*time.Millisecond))
	status := eval[string](t, b, `document.querySelector('.rw-searchstatus').textContent`)
	if v := eval[string](t, b, `document.querySelector('[data-part="search"]').dataset.verdict`); v != "broken" || !strings.Contains(status, "13") {
		t.Fatalf("verdict %q: %q", v, status)
	}
	// The page went on playing while the worker searched.
	if after := eval[int](t, b, `+`+widget+`.dataset.time`); after <= before {
		t.Errorf("the cluster's time went from %d to %d during the search", before, after)
	}
	// (and then it is: the check above can see it.)
	if n := eval[int](t, b, explorerLoaded); n == 0 {
		t.Error("the explorer's files do not show among the page's resources")
	}
	// The tab's panel shows what was found, Play it included.
	if !eval[bool](t, b, `(() => { const p = document.querySelector('.rw-panel:not([hidden])').getBoundingClientRect(), q = document.querySelector('[data-action="search-play"]').getBoundingClientRect(); return q.top >= p.top && q.bottom <= p.bottom; })()`) {
		t.Error("Play it is out of the panel's view", eval[string](t, b, `(() => { const P = document.querySelector('.rw-panel:not([hidden])'); const p = P.getBoundingClientRect(), q = document.querySelector('[data-action="search-play"]').getBoundingClientRect(); return JSON.stringify([p.top, p.bottom, q.top, q.bottom, P.scrollTop, P.scrollHeight, P.clientHeight]); })()`))
	}
	b.viewShot(t, shot)

	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-play"]`)))
	waitFor(t, b, `document.querySelectorAll('[data-server]').length === 3`, 5*time.Second)
	waitFor(t, b, `+document.querySelector('[data-violations]').dataset.violations > 0`, 60*time.Second)
	waitFor(t, b, `document.querySelector('.rw-tmark[data-kind="violation"]')`, 5*time.Second)
	// Its last line of narration names what broke, in the page's language.
	broken := "is broken:"
	if strings.Contains(page, "/zh/") {
		broken = "被破坏："
	}
	waitFor(t, b, `document.querySelector('.rw-say').textContent.includes(`+strconv.Quote(broken)+`)`, 5*time.Second)
	// What was found stays in view, with the way back.
	if s := eval[string](t, b, `document.querySelector('.rw-searchstatus').textContent`); s != status {
		t.Errorf("the status became %q", s)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-back"]`)))
	waitFor(t, b, `document.querySelectorAll('[data-server]').length === 5`, 5*time.Second)
	waitFor(t, b, `document.querySelector('[data-action="search-back"]').hidden`, 5*time.Second)

	// Back, the rules are the playground's own; a search from this
	// moment of its five servers takes long, and is stopped.
	if !eval[bool](t, b, `document.querySelector('[data-rule="election-restriction"]').checked`) {
		t.Error("back in the playground, election-restriction is still shown off")
	}
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-here"]`)))
	waitForOr(t, b, `/\d/.test(document.querySelector('.rw-searchstatus').textContent)`, 30*time.Second,
		`document.querySelector('.rw-searchstatus').textContent + ' ' + (document.querySelector('[data-part="search"]').dataset.verdict || '')`)
	// The progress moves on while the search runs.
	first := eval[string](t, b, `document.querySelector('.rw-searchstatus').textContent`)
	waitFor(t, b, `(() => { const s = document.querySelector('.rw-searchstatus').textContent; return /\d/.test(s) && s !== `+strconv.Quote(first)+`; })()`, 30*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-stop"]`)))
	waitFor(t, b, `document.querySelector('[data-part="search"]').dataset.verdict === 'stopped-by-you'`, 5*time.Second)
	if eval[bool](t, b, `document.querySelector('[data-action="search-here"]').disabled`) {
		t.Error("the search buttons stay disabled after Stop")
	}

	// Prevote on: the explorer refuses, in the page's words.
	eval[bool](t, b, `(document.querySelector('[data-rule="prevote"]').click(), true)`)
	waitForOr(t, b, `document.querySelector('[data-rule="prevote"]').checked`, 5*time.Second,
		`document.querySelector('.rw-rulespanel .rw-err').textContent + ' | ' + document.querySelector('[data-rule="prevote"]').disabled + ' ' + document.querySelector('[data-rule="prevote"]').title`)
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-here"]`)))
	waitFor(t, b, `document.querySelector('[data-part="search"]').dataset.verdict === 'error'`, 60*time.Second)
	if s := eval[string](t, b, `document.querySelector('.rw-searchstatus').textContent`); !strings.Contains(s, "prevote") {
		t.Errorf("with prevote on the search says %q", s)
	}
}

// explorerLoaded counts what the page loaded of the explorer: the
// worker's script fetched (on the site), or the script that carries it
// added to the page (offline, where files show in no resource timing).
const explorerLoaded = `performance.getEntriesByType('resource').filter(e => /explorer/.test(e.name)).length +
	document.querySelectorAll('script[src*="explorer"]').length`

func TestBrowserSearch(t *testing.T) {
	site := staticSite(t)
	b := newBrowser(t, 1280, 800, false)
	searchFlow(t, b, site+"/playground/index.html", "search-found-laptop-light")
	// With every rule on, the search from a new cluster exhausts its
	// bounds, and says so with them.
	eval[bool](t, b, `(document.querySelector('[data-rule="prevote"]').click(), true)`)
	waitFor(t, b, `!document.querySelector('[data-rule="prevote"]').checked`, 5*time.Second)
	began := time.Now()
	b.do(t, chromedp.Click(chromedp.CSS(`[data-action="search-start"]`)))
	waitFor(t, b, `document.querySelector('[data-part="search"]').dataset.verdict === 'holds'`, 90*time.Second)
	status := eval[string](t, b, `document.querySelector('.rw-searchstatus').textContent`)
	t.Logf("all rules on, from a new cluster, in %v: %s %s", time.Since(began).Round(100*time.Millisecond), status,
		eval[string](t, b, `document.querySelector('.rw-searchresult').textContent`))
	if !strings.HasPrefix(status, "Safe for every schedule within these bounds: 642,806 states, the longest schedule 40 steps") {
		t.Errorf("all rules on: %q", status)
	}
	// One worker per search.
	if n := b.requested(func(u string) bool { return strings.Contains(u, "/explorer-worker.") }); n < 3 {
		t.Errorf("the explorer's worker was loaded %d times, want one per search", n)
	}
	b.onlyLocal(t, site)
}

func TestBrowserSearchChinese(t *testing.T) {
	b := newBrowser(t, 390, 844, true)
	searchFlow(t, b, staticSite(t)+"/zh/playground/index.html", "search-found-phone-dark-zh")
}

func TestBrowserSearchOffline(t *testing.T) {
	dir := builtSiteDir(t, siteOptions{offline: true})
	b := newBrowser(t, 1280, 800, false)
	searchFlow(t, b, "file://"+filepath.Join(dir, "playground", "index.html"), "search-found-offline")
	onlyFiles(t, b)
}

// TestBrowserSearchFigure8 searches as the previous-terms lesson asks:
// from the pause after Figure 8's panel (c), with current-term-commit
// off, the explorer finds the lesson's 15-step story
// (TestLessonFigure8FromPanelC checks its steps natively).
func TestBrowserSearchFigure8(t *testing.T) {
	b := newBrowser(t, 1280, 800, false)
	b.do(t, chromedp.Navigate(staticSite(t)+"/lessons/previous-terms/index.html"))
	markWidget(t, b, widgetWithSource(`/rule current-term-commit off/`))
	// Play to the third pause: (a), (b), (c).
	for i := 1; i <= 3; i++ {
		if i == 1 {
			b.do(t, chromedp.Evaluate[chromedp.Void](under+`._rw.play()`))
		} else {
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="continue"]`)))
		}
		waitFor(t, b, `(() => { const c = `+under+`.querySelector('[data-action="continue"]'); return c && c.offsetParent !== null && !`+under+`._rw.playing; })()`, 30*time.Second)
	}
	if s := eval[string](t, b, under+`.querySelector('.rw-say').textContent`); !strings.Contains(s, "(c)") {
		t.Fatalf("at the third pause the widget says %q", s)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-tab[id$="-t-rules"]`)))
	began := time.Now()
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="search-here"]`)))
	waitFor(t, b, under+`.querySelector('[data-part="search"]').dataset.verdict`, 120*time.Second)
	status := eval[string](t, b, under+`.querySelector('.rw-searchstatus').textContent`)
	t.Logf("from panel (c), in %v: %s", time.Since(began).Round(100*time.Millisecond), status)
	if !strings.HasPrefix(status, "Broken in 15 steps: Leader Completeness") {
		t.Fatalf("from panel (c): %q", status)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="search-play"]`)))
	waitForOr(t, b, `+`+under+`.querySelector('[data-violations]').dataset.violations > 0`, 60*time.Second,
		`'time ' + `+under+`.dataset.time + ' playing ' + `+under+`._rw.playing + ' say ' + `+under+`.querySelector('.rw-say').textContent + ' | ' + `+under+`.querySelector('.rw-scriptbox').textContent + ' | ' + `+under+`._rw.text.slice(-600)`)
}
