//go:build browser

// Browser tests of "show before tell": every lesson opens with a live
// widget in its first screen, and the home page runs a cluster of its own.

package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"raftplay/lessons"
)

// firstScreen is the height of the screen the first widget must start in
// (a laptop's 1280×800), and firstScreenShown how much of the widget must
// be on it: its title and the top of its cluster, not only its border.
const (
	firstScreen      = 800
	firstScreenShown = 160
)

// Every lesson, in both languages, opens with a live widget: at 1280×800,
// before any scrolling, the first widget starts high enough on the screen
// for its title and the top of its cluster to show.
func TestBrowserFirstWidgetOnFirstScreen(t *testing.T) {
	site := testSite(t)
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, firstScreen, false)
	for _, l := range all {
		t.Run(l.Lang+"/"+l.Slug, func(t *testing.T) {
			b.do(t, chromedp.Navigate(site+"/"+prefix(l.Lang)+"lessons/"+l.Slug+"/index.html"))
			// Measured once the widget is built and the fonts are in:
			// what is above it is then laid out as the learner sees it.
			waitFor(t, b, `document.fonts.status === 'loaded' && document.querySelector('.lesson-body .raft-widget.rw-live')`, 20*time.Second)
			top := eval[float64](t, b, `document.querySelector('.lesson-body .raft-widget').getBoundingClientRect().top + scrollY`)
			t.Logf("first widget at %.0f px", top)
			b.viewShot(t, "first-screen-"+l.Lang+"-"+l.Slug)
			if top > firstScreen-firstScreenShown {
				t.Errorf("the first widget starts %.0f px down the page: at 1280×%d it must start by %d px, so that it shows before any scrolling", top, firstScreen, firstScreen-firstScreenShown)
			}
		})
	}
}

// home is the home page's live cluster.
const home = `document.querySelector('.raft-home')`

// homeRuns opens a home page and waits, without a click, for its cluster
// to elect a leader and to commit the first command everywhere.
func homeRuns(t *testing.T, b *browser, pageURL string) {
	t.Helper()
	b.do(t, chromedp.Navigate(pageURL))
	waitFor(t, b, home+` && `+home+`.dataset.leader && document.querySelectorAll('.raft-home .rw-log .rw-cell.on.c').length >= 5`, 60*time.Second)
	// The servers keep the hooks every widget has.
	if got := eval[string](t, b, `[...document.querySelectorAll('.raft-home [data-server]')].map(s => s.dataset.server + ':' + (s.dataset.role || '?')).join(' ')`); strings.Count(got, ":") != 5 || strings.Contains(got, "?") || !strings.Contains(got, ":leader") {
		t.Errorf("the home cluster's servers: %q (want five, each with its data-role, one the leader)", got)
	}
}

// The home page runs a live cluster as it opens, with no click: it elects
// a leader and replicates commands, in its first screen. For a learner who
// prefers reduced motion it runs too, without messages moving.
func TestBrowserHomeCluster(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, firstScreen, false)
	homeRuns(t, b, site+"/index.html")
	if top := eval[float64](t, b, home+`.getBoundingClientRect().top + scrollY`); top > firstScreen-firstScreenShown {
		t.Errorf("the home cluster starts %.0f px down the page, below the first screen", top)
	}
	if n := eval[int](t, b, `document.querySelectorAll('.raft-home .rw-stage .rw-msg').length`); n == 0 {
		// Messages fly while it runs (a heartbeat every 50 ms).
		waitFor(t, b, `document.querySelectorAll('.raft-home .rw-stage .rw-msg').length > 0`, 10*time.Second)
	}
	b.viewShot(t, "home-live-laptop-light")
	homeRuns(t, b, site+"/zh/index.html")
	b.onlyLocal(t, site)

	// Reduced motion: it still runs, and draws no message in flight.
	rm := newBrowser(t, 1280, firstScreen, false)
	if _, err := chromedp.Call(rm.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatal(err)
	}
	homeRuns(t, rm, site+"/index.html")
	t0 := eval[int](t, rm, `+`+home+`.dataset.time`)
	waitFor(t, rm, `+`+home+`.dataset.time > `+fmt.Sprint(t0+200), 20*time.Second)
	if shown := eval[int](t, rm, `[...document.querySelectorAll('.raft-home .rw-stage .rw-msg')].filter(m => getComputedStyle(m).display !== 'none').length`); shown != 0 {
		t.Errorf("with reduced motion, %d messages are drawn moving", shown)
	}
	// A lesson's widget still waits for the learner under reduced motion.
	rm.do(t, chromedp.Navigate(site+"/lessons/overview/index.html"))
	waitFor(t, rm, `document.querySelector('.lesson-body .raft-widget')._rw`, 20*time.Second)
	time.Sleep(500 * time.Millisecond)
	if eval[bool](t, rm, `document.querySelector('.lesson-body .raft-widget')._rw.playing`) {
		t.Error("with reduced motion, a lesson's widget started playing by itself")
	}
}

// Expandable sections: closed at first, opened by the keyboard, printed
// open; in both languages.
func TestBrowserLessonDetails(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, firstScreen, false)
	for _, lang := range []string{"", "zh/"} {
		b.do(t, chromedp.Navigate(site+"/"+lang+"lessons/overview/index.html"))
		waitFor(t, b, `document.querySelectorAll('.lesson-body details.aside').length > 0`, 10*time.Second)
		if n := eval[int](t, b, `document.querySelectorAll('.lesson-body details.aside[open]').length`); n != 0 {
			t.Errorf("%s: %d sections open at first", lang, n)
		}
		// Tab to the first summary and press Enter: it opens, and its table shows.
		b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('.lesson-body details.aside > summary').focus()`))
		if !eval[bool](t, b, `document.activeElement.matches('details.aside > summary')`) {
			t.Fatalf("%s: a summary cannot take the focus", lang)
		}
		b.do(t, chromedp.KeyEvent("\r"))
		waitFor(t, b, `document.querySelector('.lesson-body details.aside').open && document.querySelector('.lesson-body details.aside table').getBoundingClientRect().height > 0`, 5*time.Second)
		b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('.lesson-body details.aside').scrollIntoView({block: 'center'})`))
		b.viewShot(t, "details-open-"+strings.TrimSuffix("en"+lang, "/"))
		// Printing opens every section, and closes again those that were.
		b.do(t, chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event('beforeprint'))`))
		if n := eval[int](t, b, `document.querySelectorAll('.lesson-body details.aside:not([open])').length`); n != 0 {
			t.Errorf("%s: %d sections stay closed for printing", lang, n)
		}
		b.do(t, chromedp.Evaluate[chromedp.Void](`dispatchEvent(new Event('afterprint'))`))
		if n := eval[int](t, b, `document.querySelectorAll('.lesson-body details.aside[open]').length`); n != 1 {
			t.Errorf("%s: %d sections open after printing, want the one the reader opened", lang, n)
		}
		// In print media a closed section's content is laid out too.
		b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('.lesson-body details.aside').open = false`))
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		if h := eval[float64](t, b, `document.querySelector('.lesson-body details.aside table').getBoundingClientRect().height`); h == 0 {
			t.Errorf("%s: a closed section's table is not laid out for print", lang)
		}
		if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""}); err != nil {
			t.Fatal(err)
		}
	}
	b.onlyLocal(t, site)
}

// Screenshots of the first screen, for a person to look at: the home page
// and Lesson 1 in both languages, on a laptop (1280×800) and a phone
// (390×844), light and dark.
func TestBrowserShowScreens(t *testing.T) {
	site := testSite(t)
	pages := map[string]string{"home": "/index.html", "home-zh": "/zh/index.html", "lesson": "/lessons/overview/index.html", "lesson-zh": "/zh/lessons/overview/index.html"}
	for _, dark := range []bool{false, true} {
		for _, phone := range []bool{false, true} {
			screen := map[bool]string{false: "laptop", true: "phone"}[phone] + map[bool]string{false: "-light", true: "-dark"}[dark]
			b := newBrowser(t, map[bool]int64{false: 1280, true: 390}[phone], map[bool]int64{false: 800, true: 844}[phone], dark)
			for _, name := range []string{"home", "home-zh", "lesson", "lesson-zh"} {
				b.do(t, chromedp.Navigate(site+pages[name]))
				ready := `document.querySelector('.raft-widget') && document.querySelector('.raft-widget')._rw && document.querySelector('.raft-widget')._rw.id`
				if strings.HasPrefix(name, "home") {
					ready += ` && ` + home + `.dataset.leader`
				}
				waitFor(t, b, ready, 30*time.Second)
				b.viewShot(t, "show-"+name+"-"+screen)
			}
			b.close()
		}
	}
}
