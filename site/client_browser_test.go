//go:build browser

// A browser test of the client workload in the page: the Network tab's
// Client menu, and the timeline's readout of elections and commits.

package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// clientPage is a function of the page: it loads text into the first
// widget, plays it by ms of virtual time as the page does (the
// simulator's answers handled, the widget drawn), and waits a few frames
// and the readout's quarter of a second, so that what the timeline shows
// is the present moment's.
const clientPage = `async (text, ms) => {
	const w = document.querySelector('.raft-widget')._rw;
	if (text) w.load(text);
	w.pause();
	for (let left = ms; left > 0; left -= 1000) {
		const r = raftplay.advance(w.id, Math.min(left, 1000));
		if (r.error) return r.error;
		w.handle(r);
	}
	w.vt = w.t;
	w.invalidate();
	await new Promise(r => setTimeout(r, 400));
	await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
	return '';
}`

// The client from the page: in the playground, on a laptop and a phone,
// in English and Chinese, the Network tab's Client menu starts a client
// (the run records client every 100ms) and the timeline's readout, hidden
// before (one leader, no client), counts the leaders elected and the
// requests answered over the run so far and then over the last minute,
// as the simulator counts them; client off stops the requests. In an
// exercise that does not allow client, the menu is disabled. Screenshots
// in light and dark, for a person to look at.
func TestBrowserClientRates(t *testing.T) {
	site := testSite(t)
	const start = "cluster 5\ntimeout S1\nrun until leader S1 within 1s\n"
	w := widget + `._rw`
	rates := `document.querySelector('.raft-widget [data-part="rates"]')`
	for _, vp := range screens {
		for _, lang := range []string{"en", "zh"} {
			t.Run(vp.name+"-"+lang, func(t *testing.T) {
				b := newBrowser(t, vp.width, vp.height, false)
				defer b.close()
				prefix := "/"
				if lang == "zh" {
					prefix = "/zh/"
				}
				b.media(t, "prefers-color-scheme=light", "prefers-reduced-motion=reduce")
				b.do(t, chromedp.Navigate(site+prefix+"playground/index.html"))
				waitFor(t, b, w+` && `+w+`.id`, 40*time.Second)
				play := func(text string, ms int) {
					t.Helper()
					if e := eval[string](t, b, `(`+clientPage+`)(`+strconv.Quote(text)+`, `+strconv.Itoa(ms)+`)`); e != "" {
						t.Fatal(e)
					}
				}
				play(start, 2000)
				if eval[bool](t, b, `!`+rates+`.hidden`) {
					t.Fatalf("the readout shows with one leader and no client: %q", eval[string](t, b, rates+`.textContent`))
				}
				// The Network tab's Client menu, as a learner picks from it.
				b.do(t, chromedp.Click(chromedp.CSS(`.raft-widget [role="tab"][id$="-t-net"]`)))
				sel := `.raft-widget select[data-net="client"]`
				waitFor(t, b, `document.querySelector('`+sel+`').offsetParent !== null`, 5*time.Second)
				if got := eval[string](t, b, `document.querySelector('`+sel+`').value`); got != "off" {
					t.Fatalf("the Client menu shows %q before any client, want off", got)
				}
				pick := func(value string) {
					t.Helper()
					b.do(t, chromedp.Evaluate[chromedp.Void](`{ const s = document.querySelector('`+sel+`'); s.value = '`+value+`'; s.dispatchEvent(new Event('change')); }`))
				}
				pick("every 100ms")
				play("", 5000)
				check := func(want string) {
					t.Helper()
					waitFor(t, b, `!`+rates+`.hidden`, 5*time.Second)
					got := eval[string](t, b, rates+`.textContent`)
					r := eval[map[string]any](t, b, `raftplay.rates(`+w+`.id, 60000)`)
					a := int(r["answered"].(float64))
					want = strings.NewReplacer("SPAN", regexp.QuoteMeta(strconv.FormatFloat(r["span"].(float64)/1000, 'f', 1, 64)),
						"A", strconv.Itoa(a)).Replace(want)
					if !regexp.MustCompile(want).MatchString(got) || a < 40 {
						t.Fatalf("readout %q, want it to match %s", got, want)
					}
				}
				// SPAN and A stand for the run so far and the commits the
				// simulator counts. S1 was elected at once: in the run so
				// far, and not in the last minute of a run over a minute.
				soFar, last := `^In SPAN s so far: 1 election · A commits$`, `^Last minute: 0 elections · A commits$`
				if lang == "zh" {
					soFar, last = `^至今 SPAN s：1 次选举 · A 次提交$`, `^最近一分钟：0 次选举 · A 次提交$`
				}
				check(soFar)
				if got := eval[string](t, b, `document.querySelector('`+sel+`').value`); got != "every 100ms" {
					t.Fatalf("the Client menu shows %q, want every 100ms", got)
				}
				// Every list of the Network tab is wide enough for its
				// longest option (a range like 1000-2000ms cut to "1000-2("
				// would say nothing).
				if cut := eval[string](t, b, `(() => { const c = document.createElement('canvas').getContext('2d'); const out = [];
					for (const s of document.querySelectorAll('.raft-widget .rw-netpanel select')) {
						const cs = getComputedStyle(s); c.font = cs.fontSize + ' ' + cs.fontFamily;
						const need = Math.max(...[...s.options].map(o => c.measureText(o.textContent).width));
						if (s.clientWidth < need + parseFloat(cs.paddingLeft)) out.push(s.dataset.net + ' ' + s.clientWidth + '<' + Math.ceil(need));
					}
					return out.join(', '); })()`); cut != "" {
					t.Errorf("Network tab lists narrower than their options: %s", cut)
				}
				for _, theme := range []string{"light", "dark"} {
					b.media(t, "prefers-color-scheme="+theme, "prefers-reduced-motion=reduce")
					b.do(t, chromedp.Evaluate[chromedp.Void](widget+`.scrollIntoView({block: 'start'})`))
					b.viewShot(t, fmt.Sprintf("client-%s-%s-%s", vp.name, lang, theme))
					if vp == phone {
						b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').scrollIntoView({block: 'center'})`))
						b.viewShot(t, fmt.Sprintf("client-%s-%s-%s-net", vp.name, lang, theme))
					}
				}
				b.media(t, "prefers-color-scheme=light", "prefers-reduced-motion=reduce")
				if vp == laptop {
					// The narration of the client's requests, for a person
					// to read.
					b.do(t, chromedp.Click(chromedp.CSS(`.raft-widget [role="tab"][id$="-t-events"]`)))
					b.viewShot(t, fmt.Sprintf("client-%s-%s-events", vp.name, lang))
					b.do(t, chromedp.Click(chromedp.CSS(`.raft-widget [role="tab"][id$="-t-net"]`)))
				}
				play("", 60_000)
				check(last)
				text := eval[string](t, b, `raftplay.record(`+w+`.id).text`)
				if !strings.Contains(text, "client every 100ms\n") {
					t.Fatalf("the run recorded:\n%s", text)
				}
				// Client off: the requests stop.
				pick("off")
				sent := eval[int](t, b, `raftplay.snapshot(`+w+`.id).requests.at(-1).seq`)
				play("", 3000)
				if now := eval[int](t, b, `raftplay.snapshot(`+w+`.id).requests.at(-1).seq`); now != sent {
					t.Fatalf("%d requests sent after client off, want none", now-sent)
				}
				if text := eval[string](t, b, `raftplay.record(`+w+`.id).text`); !strings.Contains(text, "client every 100ms\nrun ") || !strings.HasSuffix(text, "client off\nrun 3s\n") {
					t.Fatalf("the run recorded:\n%s", text)
				}
				// An exercise that does not allow the client: the menu is off.
				play("cluster 3\ngoal time >= 60s\nallow rule\n", 100)
				waitFor(t, b, `document.querySelector('`+sel+`').disabled`, 5*time.Second)
				if eval[bool](t, b, `!`+rates+`.hidden`) {
					t.Fatalf("the readout shows in a new run without a client")
				}
				b.onlyLocal(t, site)
			})
		}
	}
}

// Lesson 9's replay of the outage, as a learner plays it, in English and
// Chinese, on a laptop and a phone: the question waits for an answer, the
// minute plays to the pause, and the timeline's readout then gives the
// elections and commits of that minute as the simulator counts them (at
// least fifty leaders, fewer than 300 of the 600 requests: what the
// lesson says). Screenshots in light and dark.
func TestBrowserOutageReplayInTheLesson(t *testing.T) {
	site := testSite(t)
	for _, vp := range screens {
		for _, lang := range []string{"en", "zh"} {
			t.Run(vp.name+"-"+lang, func(t *testing.T) {
				b := newBrowser(t, vp.width, vp.height, false)
				defer b.close()
				prefix := "/"
				if lang == "zh" {
					prefix = "/zh/"
				}
				b.do(t, chromedp.Navigate(site+prefix+"lessons/half-failed-network/index.html"))
				markWidget(t, b, widgetWithSource(`/client every 100ms\nexpect leader S1 and elections 1\nsay[^\n]*\nquestion/`))
				rates := under + `.querySelector('[data-part="rates"]')`
				inPage(t, b, `const s = R.querySelector('.rw-speed'); s.value = s.max; s.dispatchEvent(new Event('input', {bubbles: true}));`)
				b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="play"]`)))
				waitFor(t, b, visible(`[data-choice="1"]`), 60*time.Second)
				b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-choice="1"]`)))
				waitFor(t, b, visible(`[data-action="continue"]`), 180*time.Second)
				// The readout refreshes a few times a second.
				time.Sleep(600 * time.Millisecond)
				r := eval[map[string]any](t, b, `raftplay.rates(`+under+`._rw.id, 60000)`)
				elections, answered := int(r["elections"].(float64)), int(r["answered"].(float64))
				if elections < 50 || answered >= 300 {
					t.Fatalf("the minute replayed: %d elections, %d answered; the lesson says at least 50 and fewer than 300", elections, answered)
				}
				got := eval[string](t, b, `!`+rates+`.hidden && `+rates+`.textContent`)
				want := fmt.Sprintf("Last minute: %d elections · %d commits", elections, answered)
				if lang == "zh" {
					want = fmt.Sprintf("最近一分钟：%d 次选举 · %d 次提交", elections, answered)
				}
				if got != want {
					t.Fatalf("the timeline's readout says %q, want %q", got, want)
				}
				for _, theme := range []string{"light", "dark"} {
					b.media(t, "prefers-color-scheme="+theme, "prefers-reduced-motion=reduce")
					b.do(t, chromedp.Evaluate[chromedp.Void](under+`.scrollIntoView({block: 'start'})`))
					b.viewShot(t, fmt.Sprintf("outage-replay-%s-%s-%s", vp.name, lang, theme))
				}
			})
		}
	}
}
