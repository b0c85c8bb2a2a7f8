//go:build browser

// Browser tests of the learner's flow through a widget: lost messages
// grouped in the Events panel, Play and Step while a question waits, a
// single Continue at a pause, the keys on a focused server, the solved
// state (why, the actions against the reference, where to go next) and
// each lesson's state on the home page.

package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// lostLines counts, in the widget under test, the lost records the bridge
// has and how the Events panel shows them: lines of their own and runs
// (with the losses they count).
const lostLines = `(() => {
	const R = document.getElementById('ut');
	const recs = raftplay.events(R._rw.id, 0).records.filter(r => r.kind === 'lost').length;
	const top = [...R.querySelectorAll('.rw-events > li')];
	const runs = top.filter(li => li.hasAttribute('data-lost'));
	const single = top.filter(li => li.classList.contains('k-lost') && !li.hasAttribute('data-lost')).length;
	return {recs, lines: top.length, runs: runs.length, single, counted: runs.reduce((n, li) => n + +li.dataset.count, 0) + single};
})()`

type lostCount struct {
	Recs, Lines, Runs, Single, Counted int
}

// playgroundAt opens the playground in a new browser of that size and
// colour scheme, and runs text there (the widget under test).
func playgroundAt(t *testing.T, width, height int64, dark bool, text string) (string, *browser) {
	t.Helper()
	site := testSite(t)
	b := newBrowser(t, width, height, dark)
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	runInPlayground(t, b, text)
	return site, b
}

// During a partition the Events panel groups the lost heartbeats: runs of
// losses are one line each, which counts them and names the cut, and
// opens in place to list them; a listed loss still goes back to its
// moment. Ungrouped, every loss has its own line again. A crashed
// server's losses are grouped the same way.
func TestBrowserLostMessagesGrouped(t *testing.T) {
	site, b := playgroundAt(t, 1280, 800, false, "cluster 5\ntimeout S1\nrun until leader S1 within 1s\npartition S1 S2 | S3 S4 S5\nrun 1s\npause\n")
	waitFor(t, b, visible(`[data-action="continue"]`), 60*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('[role="tab"][id$="-t-events"]').click()`))
	n := eval[lostCount](t, b, lostLines)
	if n.Recs < 30 || n.Lines >= 300 {
		t.Fatalf("the scene should lose dozens of messages and show them all: %+v", n)
	}
	if n.Counted != n.Recs {
		t.Errorf("the panel accounts for %d losses, the trace has %d: %+v", n.Counted, n.Recs, n)
	}
	if n.Runs == 0 || n.Runs+n.Single > n.Recs/3 {
		t.Errorf("%d losses shown in %d runs and %d lines of their own: not grouped", n.Recs, n.Runs, n.Single)
	}
	run := `#ut .rw-events > li[data-lost]`
	text := eval[string](t, b, `document.querySelector('`+run+`').textContent`)
	if !regexp.MustCompile(`\d+ messages lost \(cut S\d↔S\d`).MatchString(text) {
		t.Errorf("a run of losses says %q", text)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+run+`').scrollIntoView({block: 'center'})`))
	count := eval[int](t, b, `+document.querySelector('`+run+`').dataset.count`)
	if eval[bool](t, b, `!!document.querySelector('`+run+` .rw-lostlist li') && document.querySelector('`+run+` .rw-lostlist').offsetParent !== null`) {
		t.Error("a run's losses are listed before it is opened")
	}
	b.do(t, chromedp.Click(chromedp.CSS(run+` .rw-lostbtn`)))
	waitFor(t, b, `document.querySelector('`+run+` .rw-lostbtn').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	items := eval[[]string](t, b, `[...document.querySelectorAll('`+run+` .rw-lostlist li')].map(li => li.textContent)`)
	if len(items) != count {
		t.Errorf("the run counts %d losses and lists %d", count, len(items))
	}
	for _, it := range items {
		if !strings.Contains(it, "is lost: the network is cut between them.") {
			t.Errorf("a listed loss says %q", it)
			break
		}
	}
	b.viewShot(t, "events-lost-grouped")
	// A listed loss goes back to its moment.
	at := eval[int](t, b, `+document.querySelector('`+run+` .rw-lostlist li:last-child').dataset.t`)
	b.do(t, chromedp.Click(chromedp.CSS(run+` .rw-lostlist li:last-child`)))
	waitFor(t, b, `+`+under+`.dataset.time === `+strconv.Itoa(at), 10*time.Second)
	// Ungrouped: a line for every loss.
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('[data-input="group-lost"]').click()`))
	waitFor(t, b, `!`+under+`.querySelector('.rw-events li[data-lost]')`, 5*time.Second)
	if n := eval[lostCount](t, b, lostLines); n.Runs != 0 || n.Single != n.Recs {
		t.Errorf("ungrouped, the panel shows %+v", n)
	}

	// Ungrouping holds for the widget's next scenario.
	runInPlayground(t, b, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\ncrash S3\nrun 2s\npause\n")
	waitFor(t, b, visible(`[data-action="continue"]`), 60*time.Second)
	if n := eval[lostCount](t, b, lostLines); n.Runs != 0 || n.Recs < 10 {
		t.Errorf("ungrouped, then another scenario: %+v", n)
	}
	b.onlyLocal(t, site)

	// Messages to a crashed server, on a phone in dark mode: grouped too,
	// and the run says who.
	_, bp := playgroundAt(t, 390, 844, true, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\ncrash S3\nrun 2s\npause\n")
	waitFor(t, bp, visible(`[data-action="continue"]`), 60*time.Second)
	n = eval[lostCount](t, bp, lostLines)
	text = eval[string](t, bp, `document.querySelector('`+run+`') ? document.querySelector('`+run+`').textContent : ''`)
	if n.Recs < 10 || n.Runs == 0 || n.Counted != n.Recs || !strings.Contains(text, "S3 crashed") {
		t.Errorf("losses to a crashed server: %+v, a run says %q", n, text)
	}
	bp.do(t, chromedp.Click(chromedp.CSS(run+` .rw-lostbtn`)))
	bp.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('`+run+`').scrollIntoView({block: 'start'})`))
	bp.viewShot(t, "events-lost-crashed-phone-dark")
	if over := eval[bool](t, bp, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); over {
		t.Errorf("the page is wider than the phone's screen: %s", eval[string](t, bp, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')`))
	}
}

// After a seek far forward over a long run, the Events panel shows the
// tail at the new moment at once: it does not read on from where it had
// read, thousands of records a frame.
func TestBrowserEventsJumpOnSeek(t *testing.T) {
	// The unreliable network loses messages all the time: thousands of
	// records in ten minutes.
	_, b := playgroundAt(t, 1280, 800, false, "cluster 5 drop=0.05\nrun 1s\npause\n")
	waitFor(t, b, visible(`[data-action="continue"]`), 60*time.Second)
	// Every events call the page makes is counted, with the records it
	// reads. The losses are not grouped, so that the last line is the
	// last record.
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('[data-input="group-lost"]').click()`))
	inPage(t, b, `const events = raftplay.events;
		window.__ut = {calls: 0, most: 0};
		raftplay.events = (...a) => { const r = events(...a); window.__ut.calls++; window.__ut.most = Math.max(window.__ut.most, (r.records || []).length); return r; };
		for (let i = 0; i < 400 && R._rw.t < 600000; i++) { R._rw.seek(600000); if (R._rw.t < 600000) await frame(); }
		Object.assign(window.__ut, {
			t: R._rw.t,
			last: +R.querySelector('.rw-events > li:last-child').dataset.t,
			lines: R.querySelectorAll('.rw-events > li').length,
			total: events(R._rw.id, -1).total,
		});
		raftplay.events = events;`)
	got := eval[map[string]float64](t, b, `window.__ut`)
	if got["t"] != 600000 || got["total"] < 2000 || got["calls"] == 0 {
		t.Fatalf("the run did not get to 600 s with enough records: %v", got)
	}
	if got["most"] > 300 {
		t.Errorf("a call of the seek read %v records: the panel read on from where it had been, not just the tail it shows (%v)", got["most"], got)
	}
	if got["last"] < 590000 {
		t.Errorf("right after the seek to 600 s the last line is at %v ms: the panel did not jump to the new moment (%v)", got["last"], got)
	}
	if got["lines"] == 0 || got["lines"] > 300 {
		t.Errorf("%v lines shown", got["lines"])
	}
}

// While a question waits for an answer, Play and Step (the buttons and
// their keys) say so and do not move the run; the choices are focused.
// At a plain pause, Continue is the one control that goes on: Play steps
// back beside it. (On a phone.)
func TestBrowserQuestionWaitsForAnAnswer(t *testing.T) {
	_, b := playgroundAt(t, 390, 844, false, `cluster 3
timeout S1
question "Who will lead?"
choice "S1" when leader S1
choice "S2" when leader S2
run until leader S1 within 1s
pause
`)
	waitFor(t, b, visible(`[data-choice="0"]`), 60*time.Second)
	if got := eval[string](t, b, under+`.querySelector('.rw-qnote').textContent`); got != "Pick an answer to go on." {
		t.Errorf("the question's note says %q", got)
	}
	for _, sel := range []string{`[data-action="play"]`, `[data-action="step"]`} {
		if !eval[bool](t, b, under+`.querySelector('`+sel+`').getAttribute('aria-disabled') === 'true' && /Answer the question first/.test(`+under+`.querySelector('`+sel+`').title)`) {
			t.Errorf("%s does not say that an answer is needed", sel)
		}
	}
	at := eval[int](t, b, `+`+under+`.dataset.time`)
	still := func(what string) {
		t.Helper()
		inPage(t, b, `for (let i = 0; i < 10; i++) await frame();`)
		if now := eval[int](t, b, `+`+under+`.dataset.time`); now != at || eval[bool](t, b, under+`._rw.playing`) {
			t.Errorf("%s while the question waits: the time went from %d to %d", what, at, now)
		}
	}
	toast := func(what string) {
		t.Helper()
		waitForOr(t, b, visible(`.rw-toast`)+` && /Answer the question first/.test(`+under+`.querySelector('.rw-toast').textContent)`, 5*time.Second,
			`'toast: ' + `+under+`.querySelector('.rw-toast').textContent + ' hidden: ' + `+under+`.querySelector('.rw-toast').hidden`)
		b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-toast').hidden = true`))
	}
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="play"]`)))
	still("Play")
	toast("Play")
	if !eval[bool](t, b, `document.activeElement && document.activeElement.matches('#ut [data-choice]')`) {
		t.Error("Play did not take the learner to the choices")
	}
	b.viewShot(t, "question-waits-phone")
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="step"]`)))
	still("Step")
	toast("Step")
	// The keys, from the stage.
	for _, k := range []string{" ", "."} {
		b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-stage').focus()`))
		b.do(t, chromedp.KeyEvent(k))
		still(fmt.Sprintf("the key %q", k))
	}
	// An answer plays on, to the pause.
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-choice="0"]`)))
	waitFor(t, b, visible(`[data-action="continue"]`), 30*time.Second)
	// At the pause, one control says Continue; Play steps back.
	conts := eval[int](t, b, `[...`+under+`.querySelectorAll('button')].filter(b => b.offsetParent !== null && b.textContent.trim() === 'Continue' && b.getAttribute('aria-disabled') !== 'true').length`)
	if conts != 1 {
		t.Errorf("%d controls say Continue at the pause", conts)
	}
	if !eval[bool](t, b, under+`.querySelector('[data-action="play"]').getAttribute('aria-disabled') === 'true' && `+under+`.querySelector('[data-action="play"]').dataset.wait === 'pause'`) {
		t.Error("at a pause, Play stands beside Continue as a second way on")
	}
	if eval[bool](t, b, under+`.querySelector('[data-action="step"]').getAttribute('aria-disabled') === 'true'`) {
		t.Error("at a pause Step is marked as unavailable")
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('[data-action="continue"]').scrollIntoView({block: 'center'})`))
	b.viewShot(t, "pause-one-continue-phone")
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="continue"]`)))
	waitFor(t, b, under+`._rw.playing && `+under+`.querySelector('[data-action="pause"]') && !`+under+`.querySelector('[data-action="pause"]').hasAttribute('aria-disabled')`, 10*time.Second)
}

// Space on a focused server plays and pauses, as the keyboard help says,
// also after the server's menu has closed and given the focus back; only
// Enter opens the menu. Neither key ever takes a server action unless a
// button of the open menu has the focus.
func TestBrowserSpaceOnAFocusedServer(t *testing.T) {
	_, b := playgroundAt(t, 1280, 800, false, "cluster 5\ntimeout S1\nrun until leader S1 within 1s\npause\n")
	waitFor(t, b, visible(`[data-action="continue"]`), 60*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="continue"]`)))
	waitFor(t, b, under+`._rw.playing`, 10*time.Second)
	actions := func() int {
		return eval[int](t, b, `raftplay.events(`+under+`._rw.id, 0).records.filter(r => r.kind === 'action').length`)
	}
	before := actions()
	menuOpen := visible(`.rw-menu`)
	focusedServer := `document.activeElement && document.activeElement.matches('#ut [data-server="S2"]')`
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('[data-server="S2"]').focus()`))
	// Space: pause, then play, the focus staying on the server.
	b.do(t, chromedp.KeyEvent(" "))
	waitFor(t, b, `!`+under+`._rw.playing`, 5*time.Second)
	b.do(t, chromedp.KeyEvent(" "))
	waitFor(t, b, under+`._rw.playing`, 5*time.Second)
	if eval[bool](t, b, menuOpen) || !eval[bool](t, b, focusedServer) {
		t.Fatal("space on a focused server opened its menu or moved the focus")
	}
	// Enter opens the menu, whose first action takes the focus; Escape
	// closes it and gives the focus back to the server.
	b.do(t, chromedp.KeyEvent(kb.Enter))
	waitFor(t, b, menuOpen+` && document.activeElement.matches('#ut .rw-menu [data-action="timeout"]')`, 5*time.Second)
	b.do(t, chromedp.KeyEvent(kb.Escape))
	waitFor(t, b, `!`+menuOpen+` && `+focusedServer, 5*time.Second)
	// Space twice more: play/pause, never the menu nor "Time out now".
	playing := eval[bool](t, b, under+`._rw.playing`)
	for i := 0; i < 2; i++ {
		b.do(t, chromedp.KeyEvent(" "))
		playing = !playing
		waitFor(t, b, under+`._rw.playing === `+strconv.FormatBool(playing), 5*time.Second)
		inPage(t, b, `await frame(); await frame(); await new Promise(r => setTimeout(r, 100));`)
		if eval[bool](t, b, menuOpen) {
			t.Fatalf("space %d after the menu closed opened it again", i+1)
		}
	}
	if n := actions(); n != before {
		t.Errorf("the keys took %d server action(s)", n-before)
	}
	// After an action by mouse, the focus is back on the server, where
	// space is play/pause again.
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-server="S2"]`)))
	b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-menu [data-action="timeout"]`)))
	waitFor(t, b, `!`+menuOpen+` && `+focusedServer, 5*time.Second)
	playing = eval[bool](t, b, under+`._rw.playing`)
	b.do(t, chromedp.KeyEvent(" "))
	waitFor(t, b, under+`._rw.playing === `+strconv.FormatBool(!playing), 5*time.Second)
	if n := actions(); n != before+1 || eval[bool](t, b, menuOpen) {
		t.Errorf("after one timeout by mouse and a space: %d action(s), menu open %v", n-before, eval[bool](t, b, menuOpen))
	}
	// The help lists what the keys do.
	help := eval[string](t, b, under+`.querySelector('.rw-help').textContent`)
	for _, want := range []string{"Play / pause, or Continue (on a focused server too)", "Open the menu of the focused server"} {
		if !strings.Contains(help, want) {
			t.Errorf("the keyboard help lacks %q: %q", want, help)
		}
	}
}

// Solving says why the goal holds, the learner's actions against the
// reference solution's, and where to go next: the lesson's next exercise,
// or the next lesson.
func TestBrowserSolvedShowsWhyCountsAndNext(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 800, false)
	solveOverviewExercise(t, b, site+"/lessons/overview/index.html")
	ex := `document.querySelector('.raft-widget.raft-exercise')`
	if why := eval[string](t, b, ex+`.querySelector('.rw-goalwhy').textContent`); why == "" || !eval[bool](t, b, ex+`.querySelector('.rw-goalwhy').offsetParent !== null`) {
		t.Errorf("the explanation of why the goal holds is not shown (%q)", why)
	}
	if got := eval[string](t, b, ex+`.querySelector('.rw-excompare').textContent`); got != "You took 1 action; the reference solution takes 1 action. As few as the reference." {
		t.Errorf("the actions against the reference: %q", got)
	}
	// The overview has one exercise: next is the next lesson.
	waitFor(t, b, ex+`.querySelector('.rw-next a')`, 10*time.Second)
	next := eval[map[string]string](t, b, `(() => { const a = `+ex+`.querySelector('.rw-next a'); return {kind: a.dataset.next, href: a.href, text: a.textContent, pager: document.querySelector('a[rel="next"]').href}; })()`)
	if next["kind"] != "lesson" || next["href"] != next["pager"] || !strings.HasPrefix(next["text"], "Next lesson: ") {
		t.Errorf("next after the overview's exercise: %v", next)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](ex+`.querySelector('.rw-exercise').scrollIntoView({block: 'center'})`))
	b.viewShot(t, "solved-next-lesson")
	b.do(t, chromedp.Click(chromedp.CSS(`.raft-exercise .rw-next a`)))
	waitFor(t, b, `location.href === `+strconv.Quote(next["href"]), 10*time.Second)

	// A lesson with two exercises, on a phone in dark mode: solving the
	// first (by the reference solution) says what the solution takes and
	// leads to the second.
	b.close()
	b = newBrowser(t, 390, 844, true)
	b.do(t, chromedp.Navigate(site+"/lessons/election/index.html"))
	markWidget(t, b, `document.querySelector('.raft-widget.raft-exercise')`)
	if n := eval[int](t, b, `document.querySelectorAll('.raft-widget.raft-exercise').length`); n < 2 {
		t.Skipf("the election lesson has %d exercise(s): the next-exercise link is not tested", n)
	}
	playSetup(t, b)
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="solve"]`)))
	waitFor(t, b, under+`.hasAttribute('data-solved') && `+under+`.querySelector('.rw-next a')`, 40*time.Second)
	if got := eval[string](t, b, under+`.querySelector('.rw-excompare').textContent`); !regexp.MustCompile(`^The reference solution takes \d+ actions?\.$`).MatchString(got) {
		t.Errorf("solved by the reference solution: %q", got)
	}
	second := eval[string](t, b, `document.querySelectorAll('.raft-widget.raft-exercise')[1].id`)
	if href := eval[string](t, b, under+`.querySelector('.rw-next a').getAttribute('href')`); href != "#"+second || eval[string](t, b, under+`.querySelector('.rw-next a').dataset.next`) != "exercise" {
		t.Errorf("next after the first exercise: %q, want #%s", href, second)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-exercise').scrollIntoView({block: 'center'})`))
	b.viewShot(t, "solved-next-exercise-phone-dark")
	// The link goes to the second exercise.
	b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-next a`)))
	waitFor(t, b, `location.hash === '#`+second+`' && Math.abs(document.getElementById('`+second+`').getBoundingClientRect().top) < 40`, 10*time.Second)
}

// The home page's lesson list says of each lesson whether it is done,
// started or not started, from the stored progress, in both languages.
func TestBrowserLessonStatesOnHome(t *testing.T) {
	site := testSite(t)
	en, zh := [3]string{"Done", "Started", "Not started"}, [3]string{"已完成", "进行中", "未开始"}
	type screen struct{ width, height int64 }
	for _, sc := range []struct {
		lang   string
		screen screen
		dark   bool
		words  [3]string
	}{{"", screen{1280, 800}, false, en}, {"zh/", screen{390, 844}, true, zh}, {"", screen{1280, 800}, true, en}} {
		b := newBrowser(t, sc.screen.width, sc.screen.height, sc.dark)
		b.do(t, chromedp.Navigate(site+"/"+sc.lang+"index.html"))
		waitFor(t, b, `document.querySelectorAll('.lesson-card[data-state]').length >= 3`, 10*time.Second)
		// Progress: every exercise and question of the first lesson, one
		// answer in the second, nothing in the others.
		b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
			const [a, c] = document.querySelectorAll('.lesson-card');
			const p = {v: 2, lang: '', last: null, name: '', exercises: {}, answers: {}};
			for (let i = 1; i <= +a.dataset.exercises; i++) p.exercises[a.dataset.lesson + '/' + i] = {solved: true, moves: 1, time: 5, code: ''};
			for (let i = 1; i <= +a.dataset.questions; i++) p.answers[a.dataset.lesson + '#' + i] = {choice: 0, right: i % 2 === 0};
			p.answers[c.dataset.lesson + '#1'] = {choice: 1, right: true};
			localStorage.setItem('raftplay.progress', JSON.stringify(p));
		})()`), chromedp.Reload())
		waitFor(t, b, `document.querySelector('.lesson-card').dataset.state === 'done'`, 10*time.Second)
		states := eval[[]string](t, b, `[...document.querySelectorAll('.lesson-card')].map(c => c.dataset.state + ':' + c.querySelector('.lp-state').textContent)`)
		want := []string{"done:" + sc.words[0], "started:" + sc.words[1]}
		for range states[2:] {
			want = append(want, "new:"+sc.words[2])
		}
		if strings.Join(states, " ") != strings.Join(want, " ") {
			t.Errorf("%s: the lessons' states are %q, want %q", sc.lang, states, want)
		}
		b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('#lessons').scrollIntoView({block: 'start'})`))
		b.viewShot(t, fmt.Sprintf("home-lesson-states-%s%d-dark=%v", strings.TrimSuffix(sc.lang, "/"), sc.screen.width, sc.dark))
		// The second lesson's page says the same of its neighbours, on the
		// links to the previous and the next lesson.
		b.do(t, chromedp.Navigate(eval[string](t, b, `document.querySelectorAll('.lesson-card a')[1].href`)))
		waitFor(t, b, `document.querySelectorAll('.lesson-pager .lp-state').length === 2`, 10*time.Second)
		pager := eval[string](t, b, `[...document.querySelectorAll('.lesson-pager a')].map(a => a.rel + ':' + a.dataset.state + ':' + a.querySelector('.lp-state').textContent).join(' ')`)
		if want := "prev:done:" + sc.words[0] + " next:new:" + sc.words[2]; pager != want {
			t.Errorf("%s: the second lesson's pager says %q, want %q", sc.lang, pager, want)
		}
		b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('.lesson-pager').scrollIntoView({block: 'center'})`))
		b.viewShot(t, fmt.Sprintf("lesson-pager-states-%s%d-dark=%v", strings.TrimSuffix(sc.lang, "/"), sc.screen.width, sc.dark))
		b.close()
	}
}
