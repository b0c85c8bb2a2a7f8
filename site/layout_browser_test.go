//go:build browser

// Browser tests of the widget's layout: it fits one screen, on a laptop
// and on a phone, in light and dark; nothing under the pointer moves when
// a violation is found or the run is rewound; the timeline shows the
// run's moments and jumps to them.

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// screen is a size of screen the layout is tested on.
type screen struct {
	name          string
	width, height int64
}

var (
	laptop  = screen{"laptop", 1280, 800}
	phone   = screen{"phone", 390, 844}
	screens = []screen{laptop, phone}
)

// frames waits in the page for two frames: what a widget was given is
// drawn.
const frames = `await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));`

// showWidget is a function of the page: it scrolls the page so that
// widget i's top is at the top of the screen (the page is given room
// below its end for that), where it starts playing as the page asks,
// and then plays its script at once, past its pauses, to its first
// question (or 6 s of virtual time), as a learner who watched would have
// it: what the script says (or asks) is shown when the widget is
// measured.
const showWidget = `async (i) => {
	document.body.style.paddingBottom = '100vh';
	const root = document.querySelectorAll('.raft-widget')[i], w = root._rw;
	root.scrollIntoView({block: 'start', behavior: 'instant'});
	` + frames + `
	w.pause();
	for (let k = 0; k < 80 && w.script.blocked() !== 'question' && !w.failed && w.t < 6000; k++) {
		if (w.script.blocked() === 'pause') w.script.pause.hidden = true;
		const r = raftplay.advance(w.id, 100);
		if (r.error) return r.error;
		w.handle(r);
	}
	w.vt = w.t;
	w.invalidate();
	return '';
}`

// fitWidget is a function of the page: once the widget has drawn, it
// lists the parts of widget i that are not wholly on the screen, or are
// missing or empty, or not inside the widget. narration: whether what
// the script says must be on the screen too.
const fitWidget = `async (i, narration) => {
	` + frames + `
	const w = document.querySelectorAll('.raft-widget')[i];
	const H = innerHeight, W = document.documentElement.clientWidth;
	const top = w.getBoundingClientRect().top;
	if (Math.abs(top) > 1) return 'the widget cannot be scrolled to the top (at ' + top + ')';
	const bad = [];
	const parts = ['cluster', 'logs', 'timeline', 'controls'];
	if (narration) parts.push('narration');
	for (const p of parts) {
		const all = document.querySelectorAll('[data-part="' + p + '"]');
		const e = w.querySelector('[data-part="' + p + '"]');
		if (!e) { bad.push(p + ': missing'); continue; }
		if ([...all].filter(x => w.contains(x)).length !== 1) bad.push(p + ': more than one');
		const r = e.getBoundingClientRect();
		if (p !== 'narration' && (r.width < 20 || r.height < 20)) bad.push(p + ': empty (' + r.width + 'x' + r.height + ')');
		if (r.top < -0.5 || r.left < -0.5 || r.bottom > H + 0.5 || r.right > W + 0.5) {
			bad.push(p + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round).join(',') + ' on a screen of ' + W + 'x' + H);
		}
	}
	// Every control of the player's bar and of the cluster's tools has
	// words one can see.
	for (const b of w.querySelectorAll('[data-part="controls"] button, .rw-tools button')) {
		if (!b.innerText.trim()) bad.push('the button ' + b.dataset.action + ' has no visible words');
	}
	return bad.join('; ');
}`

// Every widget fits one screen, on a laptop (1280x800) and a phone
// (390x844), light and dark: with its top at the top of the screen, the
// cluster, every server's log row, the player's bar and the timeline are
// on the screen, and on the laptop so is what the script says (its
// caption, or its question). On a phone what the script says comes after
// the player's bar, and may reach below the screen: it is not required
// there. Every lesson in both languages, and the playground; one page
// load per page and screen, the colour scheme switched in place.
func TestBrowserWidgetFitsOneScreen(t *testing.T) {
	site := testSite(t)
	pages := []string{"/playground/index.html"}
	for _, lang := range []string{"", "zh/"} {
		for _, slug := range lessonSlugs(t) {
			pages = append(pages, "/"+lang+"lessons/"+slug+"/index.html")
		}
	}
	for _, vp := range screens {
		narration := vp == laptop
		t.Run(vp.name, func(t *testing.T) {
			t.Parallel() // the two screens at once: the test's time is the longer's
			b := newBrowser(t, vp.width, vp.height, false)
			defer b.close()
			for _, pg := range pages {
				name := strings.TrimSuffix(strings.TrimPrefix(pg, "/"), "/index.html")
				name = strings.ReplaceAll(strings.ReplaceAll(name, "lessons/", ""), "/", "-")
				if strings.HasPrefix(pg, "/lessons/") {
					name = "en-" + name
				}
				began := time.Now()
				b.media(t, "prefers-color-scheme=light", "prefers-reduced-motion=reduce")
				b.do(t, chromedp.Navigate(site+pg))
				waitFor(t, b, `document.querySelectorAll('.raft-widget').length > 0 && [...document.querySelectorAll('.raft-widget')].every(w => w._rw && w._rw.id)`, 40*time.Second)
				n := eval[int](t, b, `document.querySelectorAll('.raft-widget').length`)
				var shots time.Duration
				for i := 0; i < n; i++ {
					if e := eval[string](t, b, `(`+showWidget+`)(`+strconv.Itoa(i)+`)`); e != "" {
						t.Errorf("%s widget %d: %s", pg, i+1, e)
					}
					// Every widget in light; the first of each page in dark
					// too (the colours change, not the layout). A person
					// looks at the screenshots.
					themes := []string{"light", "dark"}
					if i > 0 {
						themes = themes[:1]
					}
					for _, theme := range themes {
						// Without motion: what comes in is shown as it
						// ends, not as it fades in.
						b.media(t, "prefers-color-scheme="+theme, "prefers-reduced-motion=reduce")
						if bad := eval[string](t, b, `(`+fitWidget+`)(`+strconv.Itoa(i)+`, `+strconv.FormatBool(narration)+`)`); bad != "" {
							t.Errorf("%s widget %d, %s %s: %s", pg, i+1, vp.name, theme, bad)
						}
						t0 := time.Now()
						b.viewShot(t, fmt.Sprintf("fit-%s-%d-%s-%s", name, i+1, vp.name, theme))
						shots += time.Since(t0)
					}
					if len(themes) > 1 {
						b.media(t, "prefers-color-scheme=light", "prefers-reduced-motion=reduce")
					}
				}
				t.Logf("%s: %d widgets in %v (screenshots %v)", pg, n, time.Since(began), shots)
			}
			b.onlyLocal(t, site)
		})
	}
}

// media emulates media features (prefers-color-scheme, prefers-reduced-
// motion...), name=value, in the page shown and the pages opened after.
func (b *browser) media(t testing.TB, features ...string) {
	t.Helper()
	var fs []*emulation.MediaFeature
	for _, f := range features {
		name, value, _ := strings.Cut(f, "=")
		fs = append(fs, &emulation.MediaFeature{Name: name, Value: value})
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: fs}); err != nil {
		t.Fatal(err)
	}
}

// boxes is where the parts the pointer works on are on the screen.
const boxes = `(() => ['cluster', 'controls', 'timeline', 'logs'].map(p => {
	const r = document.querySelector('.raft-widget [data-part="' + p + '"]').getBoundingClientRect();
	return p + ' ' + [r.left, r.top, r.width, r.height].map(x => x.toFixed(1)).join(',');
}).join('; '))()`

// overServers reports what of element sel (in the stage) lies over a
// server's shape.
const overServers = `((sel) => {
	const e = document.querySelector(sel).getBoundingClientRect();
	const hits = [];
	for (const g of document.querySelectorAll('.raft-widget [data-server]')) {
		for (const shape of g.querySelectorAll('.rw-body, .rw-diamond, .rw-name, .rw-crown, .rw-votes')) {
			const r = shape.getBoundingClientRect();
			if (!r.width || !r.height) continue;
			if (r.left < e.right && r.right > e.left && r.top < e.bottom && r.bottom > e.top) hits.push(g.dataset.server);
		}
	}
	return [...new Set(hits)].join(' ');
})`

// Nothing moves under the pointer: when a safety rule off lets the
// monitor find a violation, its banner lies over the bar at the top of the
// cluster's picture, and when the learner rewinds, the "Rewound" chip
// takes a place kept for it: the cluster, the player's bar, the timeline
// and the logs stay where they were, to the pixel, on a laptop and on a
// phone. The banner and the partition tool's draft cover no server (every
// server can still be clicked), and applying a partition keeps the
// draft's side letters.
func TestBrowserNothingMoves(t *testing.T) {
	site := testSite(t)
	text := restrictionOff(t)
	for _, vp := range screens {
		t.Run(vp.name, func(t *testing.T) {
			b := newBrowser(t, vp.width, vp.height, false)
			defer b.close()
			b.do(t, chromedp.Navigate(site+"/playground/index.html"))
			runInPlayground(t, b, text)
			waitFor(t, b, `+`+widget+`.dataset.time > 0`, 10*time.Second)
			b.do(t, chromedp.Evaluate[chromedp.Void](widget+`.scrollIntoView({block: 'start', behavior: 'instant'})`))
			before := eval[string](t, b, boxes)
			waitFor(t, b, `+document.querySelector('[data-violations]').dataset.violations > 0 && `+visible0(`[data-part="banner"]`), 30*time.Second)
			if got := eval[string](t, b, boxes); got != before {
				t.Errorf("a violation moved the widget's parts:\nbefore %s\nafter  %s", before, got)
			}
			if hit := eval[string](t, b, `(`+overServers+`)('[data-part="banner"]')`); hit != "" {
				t.Errorf("the violation banner lies over %s", hit)
			}
			b.viewShot(t, "still-violation-"+vp.name)
			// Rewind with the timeline, as a drag does.
			b.do(t, chromedp.Click(chromedp.CSS(`[data-action="pause"]`)))
			b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
				const r = document.querySelector('[data-action="timeline"]');
				r.value = String(Math.floor(+r.closest('.raft-widget').dataset.time / 2));
				r.dispatchEvent(new Event('input', {bubbles: true}));
			})()`))
			waitFor(t, b, `!document.querySelector('[data-part="rewound"]').hasAttribute('data-off')`, 10*time.Second)
			if got := eval[string](t, b, boxes); got != before {
				t.Errorf("rewinding moved the widget's parts:\nbefore %s\nafter  %s", before, got)
			}
			b.viewShot(t, "still-rewound-"+vp.name)

			// The partition draft covers no server, and each can be clicked.
			b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-action="hide-violation"]') && document.querySelector('[data-action="hide-violation"]').click()`))
			b.do(t, chromedp.Click(chromedp.CSS(`[data-action="partition"]`)))
			waitFor(t, b, visible0(`[data-part="partition-draft"]`), 5*time.Second)
			if hit := eval[string](t, b, `(`+overServers+`)('[data-part="partition-draft"]')`); hit != "" {
				t.Errorf("the partition draft lies over %s", hit)
			}
			b.viewShot(t, "still-partition-draft-"+vp.name)
			tags := `[...document.querySelectorAll('.raft-widget [data-server]')].map(g => g.dataset.server + ':' + g.querySelector('.rw-tag text').textContent).join(' ')`
			for _, sv := range []string{"S3", "S4"} {
				was := eval[string](t, b, tags)
				b.do(t, chromedp.Click(chromedp.CSS(`[data-server="`+sv+`"] .rw-body`)))
				waitFor(t, b, tags+` !== `+strconv.Quote(was), 5*time.Second)
			}
			draft := eval[string](t, b, tags)
			if b.do(t, chromedp.Click(chromedp.CSS(`[data-action="apply-partition"]`))); true {
				waitFor(t, b, `!`+visible0(`[data-part="partition-draft"]`), 5*time.Second)
			}
			if got := eval[string](t, b, tags); got != draft {
				t.Errorf("applying the partition changed its sides' letters: draft %s, applied %s", draft, got)
			}
			b.onlyLocal(t, site)
		})
	}
}

// visible0 reports whether the first element sel on the page is shown.
func visible0(sel string) string {
	return `(() => { const e = document.querySelector('` + sel + `'); return !!e && e.offsetParent !== null; })()`
}

// marksRun makes one of each kind of moment the timeline marks but the
// violation (see TestBrowserChineseViolation), far enough apart to be
// drawn apart.
const marksRun = `cluster 5
timeout S1
run until leader S1 within 1s
run 400ms
crash S1
run 600ms
restart S1
run 600ms
partition S1 S2 | S3 S4 S5
run 600ms
heal
run 600ms
pause
run 300ms
`

// The timeline is empty before anything has run; it marks elections,
// crashes and restarts, partitions and heals and the script's pauses,
// each with its words; clicking a mark, or moving to it with the arrow
// keys and pressing Enter, goes to its moment; clicking the track goes
// there too.
func TestBrowserTimeline(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 800, false)
	// Without motion the playground does not start by itself.
	b.media(t, "prefers-reduced-motion=reduce")
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	waitFor(t, b, widget+` && `+widget+`._rw && `+widget+`._rw.id`, 30*time.Second)
	const track = `document.querySelector('[data-part="timeline"] [data-action="timeline"]')`
	if got := eval[string](t, b, `(() => { const r = `+track+`; return r.max + ' ' + document.querySelector('[data-part="timeline"] .rw-tplayed').getBoundingClientRect().width + ' ' + document.querySelectorAll('.rw-tmark').length; })()`); got != "0 0 0" {
		t.Errorf("at 0 ms the timeline's max, its played part and its marks are %q, want an empty track", got)
	}
	runInPlayground(t, b, marksRun)
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`._rw.seek(5000)`))
	waitFor(t, b, `+`+under+`.dataset.time === 5000`, 20*time.Second)
	kinds := `[...document.querySelectorAll('.rw-tmark')].map(m => m.dataset.kind).join(' ')`
	waitFor(t, b, kinds+` === 'leader crash leader restart partition leader heal pause'`, 10*time.Second)
	label := func(kind string) string {
		return eval[string](t, b, `document.querySelector('.rw-tmark[data-kind="`+kind+`"]').getAttribute('aria-label')`)
	}
	for kind, want := range map[string]string{"crash": "S1 crashed", "restart": "S1 restarted", "partition": "Network partitioned", "heal": "Network healed", "pause": "The script pauses", "leader": "S1 elected leader of term 1"} {
		if got := label(kind); !strings.HasPrefix(got, want+" · ") {
			t.Errorf("the %s mark is labelled %q, want %q and its time", kind, got, want)
		}
	}
	b.viewShot(t, "timeline-marks")
	// A click on the crash goes to its moment.
	crashAt := eval[int](t, b, `+document.querySelector('.rw-tmark[data-kind="crash"]').dataset.t`)
	b.do(t, chromedp.Click(chromedp.CSS(`.rw-tmark[data-kind="crash"]`)))
	waitFor(t, b, `+`+under+`.dataset.time === `+strconv.Itoa(crashAt), 5*time.Second)
	// The keyboard: one tab stop, the arrows move along the marks (their
	// words shown), Enter goes.
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('.rw-tmark[tabindex="0"]').focus()`))
	if got := eval[string](t, b, `document.activeElement.dataset.kind`); got != "crash" {
		t.Errorf("the marks' tab stop is the %s mark, want the crash (the latest reached)", got)
	}
	b.do(t, chromedp.KeyEvent(kb.ArrowRight), chromedp.KeyEvent(kb.ArrowRight))
	if got := eval[string](t, b, `document.activeElement.dataset.kind + ' ' + document.querySelector('.rw-tip').textContent`); !strings.HasPrefix(got, "restart S1 restarted") {
		t.Errorf("after two right arrows the focus and the tip are %q, want the restart", got)
	}
	restartAt := eval[int](t, b, `+document.activeElement.dataset.t`)
	b.do(t, chromedp.KeyEvent(kb.Enter))
	waitFor(t, b, `+`+under+`.dataset.time === `+strconv.Itoa(restartAt), 5*time.Second)
	if n := eval[int](t, b, `document.querySelectorAll('.rw-tmark[data-future]').length`); n != 4 {
		t.Errorf("%d marks drawn as the future after going back to the restart, want 4", n)
	}
	// A click on the track, a quarter of the way.
	x, y := eval[float64](t, b, `(() => { const r = `+track+`.getBoundingClientRect(); return r.left + 8.5 + (r.width - 17) / 4; })()`), eval[float64](t, b, `(() => { const r = `+track+`.getBoundingClientRect(); return r.top + r.height / 2; })()`)
	b.do(t, chromedp.MouseClickXY(x, y))
	waitFor(t, b, `Math.abs(+`+under+`.dataset.time - 1250) < 60`, 5*time.Second)
	b.onlyLocal(t, site)
}

// restrictionOff is a scenario with the election restriction off, whose
// run the monitor finds unsafe (leader completeness, then state machine
// safety) within a fifth of a second.
func restrictionOff(t *testing.T) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(root, "raft", "scenario", "testdata", "election-restriction-off.raft"))
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// On a touch screen the words that name the pointer's action say "tap":
// the partition draft's help, and a timeline mark's tip.
func TestBrowserTouchWords(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 390, 844, false)
	if _, err := chromedp.Call(b.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}); err != nil {
		t.Fatal(err)
	}
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	waitFor(t, b, widget+` && `+widget+`._rw && `+widget+`._rw.id`, 30*time.Second)
	if !eval[bool](t, b, `matchMedia('(pointer: coarse)').matches`) {
		t.Fatal("touch emulation does not make the pointer coarse: the test cannot see the touch words")
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-action="partition"]').click()`))
	waitFor(t, b, visible0(`[data-part="partition-draft"]`), 5*time.Second)
	if got := eval[string](t, b, `document.querySelector('[data-part="partition-draft"]').textContent`); !strings.Contains(got, "Tap servers") || strings.Contains(got, "Click") {
		t.Errorf("on a touch screen the partition draft says %q, want \"Tap servers…\"", got)
	}
}

// A learner's own scenario fits one screen too, however big: nine servers
// (the most a cluster has), a title of two lines, and a long question.
func TestBrowserBigClusterFits(t *testing.T) {
	site := testSite(t)
	const big = "cluster 9\ntitle \"Nine servers, and a title long enough to need a second line on a laptop's screen, which it must not push the widget off\"\ntimeout S1\nrun until leader S1 within 1s\nquestion \"Nine servers: how many of them must store an entry before the leader may commit it, counting the leader itself, and why is that number enough to survive any four crashes?\"\nchoice \"five\" when leader S1\nchoice \"nine\" when leader none\nrun 1s\n"
	for _, vp := range screens {
		t.Run(vp.name, func(t *testing.T) {
			b := newBrowser(t, vp.width, vp.height, false)
			defer b.close()
			b.media(t, "prefers-reduced-motion=reduce")
			b.do(t, chromedp.Navigate(site+"/playground/index.html"))
			runInPlayground(t, b, big)
			waitFor(t, b, visible(`[data-choice="0"]`), 30*time.Second)
			if e := eval[string](t, b, `(`+showWidget+`)(0)`); e != "" {
				t.Fatal(e)
			}
			if bad := eval[string](t, b, `(`+fitWidget+`)(0, `+strconv.FormatBool(vp == laptop)+`)`); bad != "" {
				t.Errorf("nine servers, %s: %s", vp.name, bad)
			}
			if over := eval[bool](t, b, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); over {
				t.Error("the page is wider than the screen")
			}
			b.viewShot(t, "fit-nine-"+vp.name)
		})
	}
}
