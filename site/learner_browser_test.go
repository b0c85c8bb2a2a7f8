//go:build browser

// Browser tests of what the learner meets in a widget: taking a scripted
// demo over, exercises that wait for their setup, explanations with the
// answers, the leader chip, plain words for a failed script, and every
// exercise of the lessons solved through the page, its solution code
// checked by the same code as raftplay verify.

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"raftplay/lessons"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
)

// The widget under test is given this id, so that selectors can name it.
const under = `document.getElementById('ut')`

// markWidget gives the id "ut" to the widget that find (a JavaScript
// expression) returns, once it is mounted, and scrolls to it.
func markWidget(t *testing.T, b *browser, find string) {
	t.Helper()
	waitFor(t, b, `(() => { const w = `+find+`; if (!w || !w._rw || !w._rw.id) return false; w.id = 'ut'; return true; })()`, 30*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.scrollIntoView({block: 'start'})`))
}

// widgetWithSource finds the widget whose scenario text matches re.
func widgetWithSource(re string) string {
	return `[...document.querySelectorAll('.raft-widget')].find(w => w._rw && ` + re + `.test(w._rw.text))`
}

// visible reports whether the element sel (in the widget under test) is
// shown.
func visible(sel string) string {
	return `(() => { const e = ` + under + `.querySelector('` + sel + `'); return !!e && e.offsetParent !== null; })()`
}

// consoleWarnings records what the page writes with console.warn.
type consoleWarnings struct {
	mu   sync.Mutex
	msgs []string
}

func watchConsole(t *testing.T, b *browser) *consoleWarnings {
	cw := &consoleWarnings{}
	err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventConsoleAPICalled); ok && e.Type == runtime.ConsoleAPICalledTypeWarning {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value))
			}
			cw.mu.Lock()
			cw.msgs = append(cw.msgs, strings.Join(parts, " "))
			cw.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return cw
}

func (cw *consoleWarnings) text() string {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	return strings.Join(cw.msgs, "\n")
}

// technicalWording is what a learner must never read in a lesson's widget
// or a shared run: file names and positions, and the scenario player's
// own wording for a failed line.
var technicalWording = regexp.MustCompile(`\.md:\d|\.raft:\d|scenario:\d|no leader to propose|expected .*, got|not reached within|propose: `)

// Lesson 1's "Clients talk to the leader", in both languages: crashing S1
// at its pause hands the cluster over to the learner. The script stops
// (no error, whatever happens next), the widget says so in the page's
// language, rewinding to before the crash gives the cluster back to the
// script, and Replay starts the script afresh.
func TestBrowserTakeOverADemo(t *testing.T) {
	site := testSite(t)
	for _, lang := range []string{"", "zh/"} {
		t.Run("lang="+lang, func(t *testing.T) {
			// English on a laptop, Chinese on a phone in dark mode.
			b := newBrowser(t, 1280, 800, false)
			if lang != "" {
				b = newBrowser(t, 390, 844, true)
			}
			b.do(t, chromedp.Navigate(site+"/"+lang+"lessons/overview/index.html"))
			markWidget(t, b, widgetWithSource(`/pause\s+propose x\s+propose y/`))
			// It plays when seen, and stops at its pause.
			waitFor(t, b, visible(`[data-action="continue"]`), 40*time.Second)
			at := eval[int](t, b, `+`+under+`.dataset.time`)
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-server="S1"]`)))
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="crash"]`)))
			waitFor(t, b, visible(`.rw-takeover`), 5*time.Second)
			want := map[string]string{"": "You took over: the script has stopped.", "zh/": "你接管了集群：脚本已停止。"}[lang]
			if got := eval[string](t, b, under+`.querySelector('.rw-takeover').textContent`); !strings.Contains(got, want) {
				t.Errorf("the takeover notice says %q, want %q", got, want)
			}
			if eval[bool](t, b, visible(`[data-action="continue"]`)) {
				t.Error("Continue is still offered after the takeover")
			}
			b.viewShot(t, map[string]string{"": "takeover-laptop", "zh/": "takeover-zh-phone-dark"}[lang])
			// Play: the cluster runs freely and elects another leader; the
			// script's propose never runs, so nothing fails.
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="play"]`)))
			waitFor(t, b, `+`+under+`.dataset.time > `+strconv.Itoa(at+800)+` && !['', 'S1'].includes(`+under+`.dataset.leader)`, 40*time.Second)
			if eval[bool](t, b, visible(`.rw-fail`)) {
				t.Errorf("a failure is shown: %s", eval[string](t, b, under+`.querySelector('.rw-fail').textContent`))
			}
			if text := eval[string](t, b, under+`.textContent`); technicalWording.MatchString(text) {
				t.Errorf("the widget shows technical wording: %q", technicalWording.FindString(text))
			}
			// Rewind to before the crash: the script has the cluster again.
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="pause"]`)))
			b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
				const r = `+under+`.querySelector('[data-action="timeline"]');
				r.value = String(`+strconv.Itoa(at-1)+`);
				r.dispatchEvent(new Event('input', {bubbles: true}));
			})()`))
			waitFor(t, b, `+`+under+`.dataset.time === `+strconv.Itoa(at-1)+` && !`+under+`.hasAttribute('data-taken-over')`, 10*time.Second)
			if eval[bool](t, b, visible(`.rw-takeover`)) {
				t.Error("the takeover notice is still shown after rewinding to before the crash")
			}
			// Playing on replays the learner's crash, which takes over again.
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="play"]`)))
			waitFor(t, b, visible(`.rw-takeover`), 20*time.Second)
			// Replay: the script from its start, without the crash.
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="replay"]`)))
			waitFor(t, b, `!`+under+`.hasAttribute('data-taken-over') && `+visible(`[data-action="continue"]`)+` && `+under+`.dataset.leader === 'S1'`, 40*time.Second)
			if eval[bool](t, b, visible(`.rw-takeover`)) {
				t.Error("the takeover notice is shown after Replay")
			}
		})
	}
}

// A share link whose script fails: the lesson's widget (and the
// playground, opened from a link) says so in plain words, in the page's
// language, with a Replay button; the details go to the console. The
// playground's editor, running the same text, shows the error with its
// line, as an editor must.
func TestBrowserFailedScriptInPlainWords(t *testing.T) {
	site := testSite(t)
	run := encodeCodeRaw("cluster 3\ntimeout S1\nrun until leader S2 within 300ms\n")
	for _, pg := range []struct{ name, path, want string }{
		{"lesson", "/lessons/overview/index.html#run=" + run + "&w=2", "This demo could not continue. Replay it from the start."},
		{"lesson-zh", "/zh/lessons/overview/index.html#run=" + run + "&w=2", "这个演示无法继续。请从头重放。"},
		{"playground-link", "/playground/index.html#run=" + run, "This demo could not continue. Replay it from the start."},
	} {
		t.Run(pg.name, func(t *testing.T) {
			b := newBrowser(t, 1280, 800, false)
			if pg.name == "lesson-zh" {
				b = newBrowser(t, 390, 844, true)
			}
			cw := watchConsole(t, b)
			b.do(t, chromedp.Navigate(site+pg.path))
			markWidget(t, b, widgetWithSource(`/leader S2 within 300ms/`))
			waitFor(t, b, visible(`.rw-fail`), 20*time.Second)
			fail := eval[string](t, b, under+`.querySelector('.rw-fail').textContent`)
			if !strings.Contains(fail, pg.want) {
				t.Errorf("the failure says %q, want %q", fail, pg.want)
			}
			if text := eval[string](t, b, under+`.textContent`); technicalWording.MatchString(text) {
				t.Errorf("the widget shows technical wording: %q", technicalWording.FindString(text))
			}
			if !eval[bool](t, b, visible(`.rw-fail [data-action="replay"]`)) {
				t.Error("no Replay button beside the failure")
			}
			b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-fail').scrollIntoView({block: 'center'})`))
			b.viewShot(t, "failed-"+pg.name)
			waitFor(t, b, `true`, time.Second)
			if w := cw.text(); !strings.Contains(w, "run until leader S2") {
				t.Errorf("the console does not have the details: %q", w)
			}
			if pg.name != "playground-link" {
				return
			}
			// The same text, run from the editor: the error as it is.
			b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="run"]`)))
			waitFor(t, b, visible(`.rw-fail code`), 20*time.Second)
			if code := eval[string](t, b, under+`.querySelector('.rw-fail code').textContent`); !strings.Contains(code, ":3: run until leader S2") {
				t.Errorf("the editor's run shows %q", code)
			}
		})
	}
}

// runInPlayground puts a scenario in the playground's editor and runs it.
func runInPlayground(t *testing.T, b *browser, text string) {
	t.Helper()
	markWidget(t, b, `document.querySelector('.raft-widget')`)
	b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
		const ta = `+under+`.querySelector('textarea');
		ta.value = `+strconv.Quote(text)+`;
		ta.dispatchEvent(new Event('input', {bubbles: true}));
	})()`))
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="run"]`)))
}

// The leader chip names every up server in the leader role with its term:
// a leader cut off from a server of a higher term is still shown, with
// that term beside it; two leaders of one term are shown together, marked.
func TestBrowserLeaderChip(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 800, false)
	const isolated = "cluster 5\ntimeout S1\nrun until leader S1 within 1s\nisolate S5\nrun 1s\npause\n"
	for _, tc := range []struct{ lang, want string }{
		{"", `^S1 leads term 1 · S5 is at term ([2-9]|\d\d)$`},
		{"zh/", `^S1 领导任期 1 · S5 处于任期 ([2-9]|\d\d)$`},
	} {
		b.do(t, chromedp.Navigate(site+"/"+tc.lang+"playground/index.html"))
		runInPlayground(t, b, isolated)
		waitFor(t, b, visible(`[data-action="continue"]`), 40*time.Second)
		chip := eval[string](t, b, under+`.querySelector('.rw-leaderchip').textContent`)
		if !regexp.MustCompile(tc.want).MatchString(chip) {
			t.Errorf("%s: the chip says %q, want %s", tc.lang, chip, tc.want)
		}
		if eval[bool](t, b, under+`.querySelector('.rw-leaderchip').hasAttribute('data-warn')`) {
			t.Errorf("%s: one leader is marked as a warning", tc.lang)
		}
		b.viewShot(t, "leaderchip-stale-"+strings.TrimSuffix(tc.lang, "/"))
	}
	// persist-vote off: S3 forgets its vote, and S1 and S4 both lead term 1.
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	forgotten, err := readFile(root, "raft/scenario/testdata/forgotten-vote.raft")
	if err != nil {
		t.Fatal(err)
	}
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	runInPlayground(t, b, forgotten+"pause\n")
	waitFor(t, b, visible(`[data-action="continue"]`), 40*time.Second)
	chip := eval[string](t, b, under+`.querySelector('.rw-leaderchip').textContent`)
	if chip != "Two leaders in term 1: S1 and S4" || !eval[bool](t, b, under+`.querySelector('.rw-leaderchip').hasAttribute('data-warn')`) {
		t.Errorf("two leaders of term 1: the chip says %q (warn %v)", chip, eval[bool](t, b, under+`.querySelector('.rw-leaderchip').hasAttribute('data-warn')`))
	}
	if got := eval[string](t, b, under+`.dataset.leaders`); got != "S1 S4" {
		t.Errorf("data-leaders %q", got)
	}
	b.viewShot(t, "leaderchip-two")
	// On a phone, in dark mode.
	bp := newBrowser(t, 390, 844, true)
	bp.do(t, chromedp.Navigate(site+"/playground/index.html"))
	runInPlayground(t, bp, forgotten+"pause\n")
	waitFor(t, bp, visible(`[data-action="continue"]`), 40*time.Second)
	bp.do(t, chromedp.Evaluate[chromedp.Void](under+`.scrollIntoView({block: 'start'})`))
	bp.viewShot(t, "leaderchip-two-phone-dark")
	if over := eval[bool](t, bp, `document.documentElement.scrollWidth > document.documentElement.clientWidth + 1`); over {
		t.Error("the page is wider than the phone's screen")
	}
	bp.close()
	// The plain case is as before.
	runInPlayground(t, b, "cluster 3\ntimeout S2\nrun until leader S2 within 1s\npause\n")
	waitFor(t, b, visible(`[data-action="continue"]`), 40*time.Second)
	if chip := eval[string](t, b, under+`.querySelector('.rw-leaderchip').textContent`); chip != "Leader S2 · term 1" {
		t.Errorf("one leader: the chip says %q", chip)
	}
}

// A question's choices explain themselves once the answer is shown (the
// learner's pick and the right answer), and a solved exercise says why
// its goal holding means it is done.
func TestBrowserWhys(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 390, 844, true)
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	runInPlayground(t, b, `cluster 3
timeout S1
question "Who will lead?"
choice "S1" when leader S1
why "S1 timed out first and asked for votes."
choice "S2" when leader S2
why "S2 never started an election."
choice "S3" when leader S3
why "S3 did not either."
run until leader S1 within 1s
pause
`)
	waitFor(t, b, visible(`[data-choice="1"]`), 20*time.Second)
	if n := eval[int](t, b, under+`.querySelectorAll('.rw-why').length`); n != 0 {
		t.Errorf("%d explanations shown before the answer", n)
	}
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-choice="1"]`)))
	waitFor(t, b, visible(`[data-why="0"]`), 20*time.Second)
	whys := eval[[]string](t, b, `[...`+under+`.querySelectorAll('.rw-why')].map(e => e.dataset.why + ':' + e.textContent)`)
	if strings.Join(whys, "|") != "0:S1 timed out first and asked for votes.|1:S2 never started an election." {
		t.Errorf("explanations shown: %q (want the right answer's and the pick's)", whys)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-question').scrollIntoView({block: 'center'})`))
	b.viewShot(t, "whys-question-phone-dark")
	runInPlayground(t, b, `cluster 3
goal leader S3
why "S3 asked first in a new term, and the others voted for it."
allow timeout
solution
timeout S3
run until leader S3 within 1s
`)
	waitFor(t, b, `!`+under+`.hasAttribute('data-setup') && !`+under+`.querySelector('[data-action="solve"]').disabled`, 20*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="solve"]`)))
	waitFor(t, b, under+`.hasAttribute('data-solved')`, 20*time.Second)
	if got := eval[string](t, b, under+`.querySelector('.rw-goalwhy').textContent`); got != "S3 asked first in a new term, and the others voted for it." || !eval[bool](t, b, visible(`.rw-goalwhy`)) {
		t.Errorf("the goal's explanation: %q", got)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-exercise').scrollIntoView({block: 'center'})`))
	b.viewShot(t, "whys-solved-phone-dark")
	// An exercise without one shows none.
	runInPlayground(t, b, "cluster 3\ngoal leader S3\nallow timeout\nsolution\ntimeout S3\nrun until leader S3 within 1s\n")
	waitFor(t, b, `!`+under+`.hasAttribute('data-setup') && !`+under+`.querySelector('[data-action="solve"]').disabled`, 20*time.Second)
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="solve"]`)))
	waitFor(t, b, under+`.hasAttribute('data-solved')`, 20*time.Second)
	if eval[bool](t, b, visible(`.rw-goalwhy`)) {
		t.Error("an empty explanation is shown")
	}
}

// While an exercise is being set up, it says so and its move controls are
// disabled (lesson 5's setup once undid a Heal pressed while it ran); at
// the end of the setup the player stops, and the moves are there.
func TestBrowserExerciseWaitsForItsSetup(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 390, 844, false)
	b.do(t, chromedp.Navigate(site+"/lessons/previous-terms/index.html"))
	markWidget(t, b, `document.querySelector('.raft-widget.raft-exercise')`)
	pauseIfPlaying(t, b)
	waitFor(t, b, under+`.hasAttribute('data-setup')`, 5*time.Second)
	if got := eval[string](t, b, under+`.querySelector('.rw-exstatus').textContent`); got != "Setting up the exercise…" {
		t.Errorf("status during the setup: %q", got)
	}
	disabled := `(sel => { const e = ` + under + `.querySelector(sel); return !!e && e.disabled && +getComputedStyle(e).opacity < 0.6; })`
	for _, sel := range []string{`[data-action="heal"]`, `[data-action="partition"]`} {
		if !eval[bool](t, b, disabled+`('`+sel+`')`) {
			t.Errorf("%s is not visibly disabled during the setup", sel)
		}
	}
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-server="S2"]`)))
	for _, sel := range []string{`.rw-menu [data-action="propose"]`, `.rw-menu [data-action="timeout"]`, `.rw-menu input`} {
		if !eval[bool](t, b, disabled+`('`+sel+`')`) {
			t.Errorf("%s is not visibly disabled during the setup", sel)
		}
	}
	b.viewShot(t, "exercise-setting-up-phone")
	b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-menu .rw-x`)))
	// The setup runs to its end, and the player stops there.
	playSetup(t, b)
	if eval[bool](t, b, disabled+`('[data-action="heal"]')`) {
		t.Error("Heal is still disabled after the setup")
	}
	if got := eval[string](t, b, under+`.querySelector('.rw-exstatus').textContent`); !strings.HasPrefix(got, "Set up: your turn. Not yet: ") {
		t.Errorf("status after the setup: %q", got)
	}
	b.viewShot(t, "exercise-your-turn-phone")
}

// On a Chinese page the exercise's "Not yet" says what is seen in
// Chinese: here, after the setup of a split vote, that there is no leader
// and what each server is.
func TestBrowserChineseNotYet(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 900, false)
	b.do(t, chromedp.Navigate(site+"/zh/lessons/election/index.html"))
	markWidget(t, b, widgetWithSource(`/randomized-timeouts off\nrun 1s\ngoal leader\n/`))
	pauseIfPlaying(t, b)
	playSetup(t, b)
	status := eval[string](t, b, under+`.querySelector('.rw-exstatus').textContent`)
	if !strings.HasPrefix(status, "准备好了：轮到你了。 还没有：没有领导者（") ||
		!regexp.MustCompile(`S1 为任期 \d+ 的(候选人|跟随者|预候选人)`).MatchString(status) ||
		regexp.MustCompile(`leader|follower|candidate| t\d`).MatchString(status) {
		t.Errorf("status after the setup on a Chinese page: %q", status)
	}
}

// pauseIfPlaying pauses the widget under test if it started to play as it
// came into view.
func pauseIfPlaying(t *testing.T, b *browser) {
	t.Helper()
	inPage(t, b, `await frame(); await frame();
		if (R._rw.playing) {
			for (let i = 0; i < 100 && !R.querySelector('[data-action="pause"]'); i++) await frame();
			R.querySelector('[data-action="pause"]').click();
		}`)
}

// waitForOr is waitFor, saying what diag (a JavaScript expression giving
// a string) shows if cond does not come.
func waitForOr(t *testing.T, b *browser, cond string, within time.Duration, diag string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !eval[bool](t, b, `!!(`+cond+`)`) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: the page shows %s", cond, eval[string](t, b, diag))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// inPage runs JavaScript (which may await) with pageHelpers.
func inPage(t *testing.T, b *browser, js string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {`+pageHelpers+js+`; return true; })()`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
}

// playSetup plays the exercise under test's setup, fast, to its end,
// where the player stops. It presses Play unless the widget has started
// playing by itself as it came into view (its Play button may not say so
// yet: the widget is asked), or has already stopped at the setup's end
// (playing on would run past the moment the solution starts from).
func playSetup(t *testing.T, b *browser) {
	t.Helper()
	inPage(t, b, `const s = R.querySelector('.rw-speed'); s.value = '300'; s.dispatchEvent(new Event('input', {bubbles: true}));
		await frame(); await frame();
		if (R.hasAttribute('data-setup') && !R._rw.playing) R.querySelector('[data-action="play"]').click();`)
	waitForOr(t, b, `!`+under+`.hasAttribute('data-setup') && `+under+`.querySelector('[data-action="play"]')`, 90*time.Second,
		`JSON.stringify({time: `+under+`.dataset.time, setup: `+under+`.hasAttribute("data-setup"), playing: `+under+`._rw.playing, status: `+under+`.querySelector(".rw-exstatus").textContent})`)
}

// readFile reads a file of the source tree.
func readFile(root, rel string) (string, error) {
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	return string(b), err
}

// condJS writes a condition of the scenario language as a JavaScript test
// of what the widget under test shows: its leader (data-leader), its
// servers (role, term, state), its log view (the entries of a row, the
// commit marker) and its safety panel. It fails on a condition the page
// does not show.
func condJS(c *scenario.Cond, n int) (string, error) {
	var parts []string
	for _, a := range c.Terms {
		srv := fmt.Sprintf("srv(%d)", a.Server)
		switch a.Kind {
		case scenario.AtomLeader:
			switch {
			case a.None:
				parts = append(parts, `R.dataset.leader === ''`)
			case a.Server != 0:
				parts = append(parts, fmt.Sprintf(`R.dataset.leader === 'S%d'`, a.Server))
			default:
				parts = append(parts, `R.dataset.leader !== ''`)
			}
		case scenario.AtomRole, scenario.AtomLeads:
			role := a.Role.String()
			if a.Kind == scenario.AtomLeads {
				role = "leader"
			}
			parts = append(parts, fmt.Sprintf(`%s.dataset.state === 'up' && %s.dataset.role === '%s'`, srv, srv, role))
		case scenario.AtomCrashed, scenario.AtomUp:
			state := map[bool]string{true: "crashed", false: "up"}[a.Kind == scenario.AtomCrashed]
			parts = append(parts, fmt.Sprintf(`%s.dataset.state === '%s'`, srv, state))
		case scenario.AtomTime:
			parts = append(parts, fmt.Sprintf(`+R.dataset.time %s %d`, jsOp(a.Op), a.N))
		case scenario.AtomTerm:
			op := jsOp(a.Op)
			if a.Server == 0 {
				parts = append(parts, fmt.Sprintf(`Math.max(...[...R.querySelectorAll('[data-server]')].map(s => +s.dataset.term)) %s %d`, op, a.N))
			} else {
				parts = append(parts, fmt.Sprintf(`+%s.dataset.term %s %d`, srv, op, a.N))
			}
		case scenario.AtomCommitted:
			var ids []int
			for i := 1; i <= n; i++ {
				ids = append(ids, i)
			}
			if len(a.Servers) > 0 {
				ids = nil
				for _, s := range a.Servers {
					ids = append(ids, int(s))
				}
			}
			list := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(ids)), ","), "[]")
			need := len(ids)
			if !a.All && len(a.Servers) == 0 {
				need = n/2 + 1
			}
			parts = append(parts, fmt.Sprintf(`[%s].filter(i => commit(i) >= %d).length >= %d`, list, a.N, need))
		case scenario.AtomLog:
			var es []string
			for _, e := range a.Entries {
				cmd := e.Cmd
				if e.Noop {
					cmd = "·"
				}
				es = append(es, strconv.Itoa(e.Term)+":"+cmd)
			}
			parts = append(parts, fmt.Sprintf(`logOf(%d) === %s`, a.Server, strconv.Quote(strings.Join(es, " "))))
		case scenario.AtomViolation:
			if a.Name == "" {
				parts = append(parts, `+R.querySelector('[data-violations]').dataset.violations > 0`)
			} else {
				parts = append(parts, `!!R.querySelector('[data-inv="`+a.Name+`"][data-bad]')`)
			}
		case scenario.AtomSafe:
			parts = append(parts, `+R.querySelector('[data-violations]').dataset.violations === 0`)
		default:
			return "", fmt.Errorf("the page shows no %s condition (%s)", a.Kind, c)
		}
	}
	return "(" + strings.Join(parts, ") && (") + ")", nil
}

// jsOp writes a comparison of the scenario language in JavaScript.
func jsOp(op string) string {
	switch op {
	case "=", "":
		return "==="
	case "!=":
		return "!=="
	}
	return op
}

// pageHelpers are the functions condJS's tests use, reading the widget
// under test, R.
const pageHelpers = `
	const R = document.getElementById('ut');
	const srv = i => R.querySelector('[data-server="S' + i + '"]');
	const commit = i => +((R.querySelector('[data-row="S' + i + '"] .rw-cmark').title.match(/(\d+)$/) || [0, 0])[1]);
	const logOf = i => {
		if (R.querySelector('.rw-lhead span').textContent !== '1') return '(the log view does not start at index 1)';
		return [...R.querySelectorAll('[data-row="S' + i + '"] .rw-cell.on')].map(c => c.firstChild.textContent + ':' + c.lastChild.textContent).join(' ');
	};
	const frame = () => new Promise(r => requestAnimationFrame(() => r()));
`

// stepUntil presses Step until the page shows cond (checked before the
// first press and after each, once the widget has drawn), at most max
// times, and returns the number of presses (-1 if it never showed).
func stepUntil(t *testing.T, b *browser, cond string, max int) int {
	t.Helper()
	js := `(async () => {` + pageHelpers + `
		const step = R.querySelector('[data-action="step"]');
		for (let i = 0; ; i++) {
			await frame(); await frame();
			if (` + cond + `) return i;
			if (i >= ` + strconv.Itoa(max) + `) return -1;
			step.click();
		}
	})()`
	return evalWithin[int](t, b, js, 120*time.Second)
}

// pageState describes what the widget under test shows, as condJS reads
// it.
func pageState(t *testing.T, b *browser, n int) string {
	return eval[string](t, b, `(() => {`+pageHelpers+`
		const out = ['time ' + R.dataset.time, 'leader ' + R.dataset.leader, 'violations ' + R.querySelector('[data-violations]').dataset.violations];
		for (let i = 1; i <= `+strconv.Itoa(n)+`; i++) out.push('S' + i + ' ' + srv(i).dataset.state + ' ' + srv(i).dataset.role + ' t' + srv(i).dataset.term + ' commit ' + commit(i) + ' log ' + logOf(i));
		return out.join('; ');
	})()`)
}

// doInPage takes an action of a solution through the widget's controls:
// the server menu, the partition tool, the rules panel.
func doInPage(t *testing.T, b *browser, cmd *scenario.Command) {
	t.Helper()
	server := func(id int, action string) {
		b.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ut [data-server="S%d"]`, id))))
		waitFor(t, b, visible(`.rw-menu`), 5*time.Second)
		b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-menu [data-action="`+action+`"]`)))
	}
	switch cmd.Kind {
	case scenario.CmdTimeout:
		server(int(cmd.Server), "timeout")
	case scenario.CmdCrash:
		switch {
		case cmd.BeforeSend:
			t.Fatalf("%s: the page has no control for a crash before sending", cmd)
		case cmd.AfterSend:
			server(int(cmd.Server), "crash-after-send")
		default:
			server(int(cmd.Server), "crash")
		}
	case scenario.CmdRestart:
		server(int(cmd.Server), "restart-server")
	case scenario.CmdIsolate:
		server(int(cmd.Server), "isolate")
	case scenario.CmdTransfer:
		// On the server taking over: the menu hands it the leadership
		// of the leader the page shows.
		if l := eval[string](t, b, under+`.dataset.leader`); l != cmd.Server.String() {
			t.Fatalf("%s: the page shows leader %q", cmd, l)
		}
		server(int(cmd.To), "transfer")
	case scenario.CmdPropose:
		to := int(cmd.To)
		if to == 0 {
			l := eval[string](t, b, under+`.dataset.leader`)
			if l == "" {
				t.Fatalf("%s: no leader to propose to", cmd)
			}
			to, _ = strconv.Atoi(l[1:])
		}
		b.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ut [data-server="S%d"]`, to))))
		// The menu gives its first button the focus a moment after it
		// opens: type once it has.
		waitFor(t, b, visible(`.rw-menu`)+` && document.activeElement && document.activeElement.closest('#ut .rw-menu')`, 5*time.Second)
		// The box offers a command of its own (x1, x2...): erase it, and
		// type the solution's.
		old := eval[string](t, b, under+`.querySelector('.rw-menu input').value`)
		b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-menu input`)),
			chromedp.SendKeys(chromedp.CSS(`#ut .rw-menu input`), kb.End+strings.Repeat(kb.Backspace, len([]rune(old)))+cmd.Cmd))
		if got := eval[string](t, b, under+`.querySelector('.rw-menu input').value`); got != cmd.Cmd {
			t.Fatalf("%s: the command box holds %q", cmd, got)
		}
		b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-menu [data-action="propose"]`)))
	case scenario.CmdHeartbeat:
		server(int(cmd.Server), "heartbeat")
	case scenario.CmdDeliver, scenario.CmdDuplicateOne, scenario.CmdDropOne:
		// The message on the picture, by its link and type (the Nth
		// oldest of them when several): a click on it opens its panel.
		sel := fmt.Sprintf(`[...%s.querySelectorAll('.rw-msg[data-from="%s"][data-to="%s"][data-kind="%s"]')].sort((a, b) => a.dataset.msgId - b.dataset.msgId)`,
			under, cmd.From, cmd.To, cmd.Msg)
		nth := max(cmd.N, 1) - 1
		waitFor(t, b, fmt.Sprintf(`%s.length > %d`, sel, nth), 5*time.Second)
		// Messages on one link can lie over each other: the click goes
		// to this one's element, at its place.
		b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`{ const m = %s[%d]; const r = m.getBoundingClientRect();
			m.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 })); }`, sel, nth)))
		waitFor(t, b, visible(`.rw-msgpanel`), 5*time.Second)
		action := map[scenario.CommandKind]string{scenario.CmdDeliver: "deliver-message", scenario.CmdDuplicateOne: "duplicate-message", scenario.CmdDropOne: "drop-message"}[cmd.Kind]
		b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-msgpanel [data-action="`+action+`"]`)))
		waitFor(t, b, `!`+visible(`.rw-msgpanel`), 5*time.Second)
	case scenario.CmdHeal:
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="heal"]`)))
	case scenario.CmdPartition:
		if len(cmd.Groups) != 2 {
			t.Fatalf("%s: the partition tool makes two sides, not %d", cmd, len(cmd.Groups))
		}
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="partition"]`)))
		// The draft shows each server's side (g1: A, g2: B) once drawn.
		waitFor(t, b, `[...`+under+`.querySelectorAll('[data-server]')].every(s => /^g[12]$/.test(s.dataset.side || ''))`, 5*time.Second)
		for g, group := range cmd.Groups {
			for _, id := range group {
				side := eval[string](t, b, fmt.Sprintf(`%s.querySelector('[data-server="S%d"]').dataset.side`, under, id))
				if side != fmt.Sprintf("g%d", g+1) {
					b.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(`#ut [data-server="S%d"]`, id))))
				}
			}
		}
		var want []string
		for g, group := range cmd.Groups {
			for _, id := range group {
				want = append(want, fmt.Sprintf("S%d:g%d", id, g+1))
			}
		}
		sort.Strings(want)
		waitFor(t, b, `[...`+under+`.querySelectorAll('[data-server]')].map(s => s.dataset.server + ':' + s.dataset.side).sort().join(' ') === '`+strings.Join(want, " ")+`'`, 5*time.Second)
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-action="apply-partition"]`)))
	case scenario.CmdRule:
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [role="tab"][id$="-t-rules"]`)))
		sel := `#ut input[data-rule="` + cmd.Rule.String() + `"]`
		if eval[bool](t, b, `document.querySelector('`+sel+`').checked`) == cmd.On {
			t.Fatalf("%s: the rule is already %v", cmd, cmd.On)
		}
		// The switch's input is hidden under its track: click the label.
		b.do(t, chromedp.Click(chromedp.CSS(sel+` + .rw-track`)))
		waitFor(t, b, `document.querySelector('`+sel+`').checked === `+strconv.FormatBool(cmd.On), 5*time.Second)
	case scenario.CmdLatency, scenario.CmdElection:
		// The Network tab's latency and election timeout lists: their
		// options are written as the page acts them ("latency 5ms",
		// "election 1000-2000ms").
		want := fmt.Sprintf("%d-%dms", cmd.Min, cmd.Max)
		if cmd.Min == cmd.Max {
			want = fmt.Sprintf("%dms", cmd.Min)
		}
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [role="tab"][id$="-t-net"]`)))
		sel := `select[data-net="` + cmd.Kind.String() + `"]`
		waitFor(t, b, visible(sel), 5*time.Second)
		if !eval[bool](t, b, `[...`+under+`.querySelector('`+sel+`').options].some(o => o.value === '`+want+`')`) {
			t.Fatalf("%s: the %s list has no %s", cmd, cmd.Kind, want)
		}
		b.do(t, chromedp.Evaluate[chromedp.Void](`{ const s = `+under+`.querySelector('`+sel+`'); s.value = '`+want+`'; s.dispatchEvent(new Event('change')); }`))
	case scenario.CmdClient:
		// The Network tab's Client menu: its options are the words after
		// client ("every 100ms", "off").
		want := strings.TrimPrefix(cmd.String(), "client ")
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [role="tab"][id$="-t-net"]`)))
		const sel = `select[data-net="client"]`
		waitFor(t, b, visible(sel), 5*time.Second)
		if !eval[bool](t, b, `[...`+under+`.querySelector('`+sel+`').options].some(o => o.value === '`+want+`')`) {
			t.Fatalf("%s: the Client menu has no %s", cmd, want)
		}
		b.do(t, chromedp.Evaluate[chromedp.Void](`{ const s = `+under+`.querySelector('`+sel+`'); s.value = '`+want+`'; s.dispatchEvent(new Event('change')); }`))
	default:
		t.Fatalf("%s: the page has no control for %s", cmd, cmd.Kind)
	}
}

// Every exercise of every lesson (in English) is solved through the page,
// as a learner would: its reference solution's actions are clicks on the
// servers' menus, the partition tool, the rules panel; its run until
// lines are presses of Step until the page shows the condition (the same
// number of events as the simulator run natively needs). The solution
// code the page then keeps is replayed by raftplay verify's own code,
// which must say solved.
func TestBrowserSolveEveryExercise(t *testing.T) {
	site := testSite(t)
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, 1280, 900, false)
	count := 0
	for _, l := range all {
		if l.Lang != "en" {
			continue
		}
		exs, err := exercisesOf(l)
		if err != nil {
			t.Fatal(err)
		}
		for n, ex := range exs {
			id := fmt.Sprintf("%s/%d", l.Slug, n+1)
			t.Run(id, func(t *testing.T) {
				solveInPage(t, b, site, all, l.Slug, n, ex)
			})
			count++
		}
	}
	if count < 6 {
		t.Errorf("only %d exercises found", count)
	}
}

func solveInPage(t *testing.T, b *browser, site string, all []lessons.Lesson, slug string, n int, ex *scenario.Scenario) {
	id := fmt.Sprintf("%s/%d", slug, n+1)
	b.do(t, chromedp.Navigate(site+"/lessons/"+slug+"/index.html"))
	markWidget(t, b, fmt.Sprintf(`document.querySelectorAll('.raft-widget.raft-exercise')[%d]`, n))
	playSetup(t, b)
	// The same exercise, natively, beside it.
	r, err := player.NewRunner(ex, nil)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	if got := eval[int](t, b, `+`+under+`.dataset.time`); got != r.Cluster.Now() {
		t.Fatalf("the setup ended at %dms in the page, at %dms natively", got, r.Cluster.Now())
	}
	actions := 0
	for i := range ex.Solution {
		cmd := &ex.Solution[i]
		switch {
		case cmd.Kind.IsAction():
			doInPage(t, b, cmd)
			a := player.ActionOf(cmd)
			if cmd.Kind == scenario.CmdPropose && a.Server == 0 {
				// "propose x" goes to the leader; the page proposes
				// through the leader's menu, and records that server.
				a.Server = r.Cluster.Leader()
			}
			if err := r.Do(a); err != nil {
				t.Fatalf("%s natively: %v", cmd, err)
			}
			actions++
		case cmd.Kind == scenario.CmdRunUntil:
			want := 0
			for !player.Holds(cmd.Cond, r.Cluster) && want < 100_000 {
				r.Step()
				want++
			}
			js, err := condJS(cmd.Cond, ex.Cluster.N)
			if err != nil {
				t.Fatal(err)
			}
			got := stepUntil(t, b, js, want+50)
			if got != want {
				t.Fatalf("%s: the page showed it after %d steps, natively it holds after %d; the page shows %s", cmd, got, want, pageState(t, b, ex.Cluster.N))
			}
		case cmd.Kind == scenario.CmdStep:
			for k := 0; k < cmd.N; k++ {
				r.Step()
			}
			if got := stepUntil(t, b, `i >= `+strconv.Itoa(cmd.N), cmd.N); got != cmd.N {
				t.Fatalf("%s: %d steps pressed", cmd, got)
			}
		case cmd.Kind == scenario.CmdRun && cmd.Dur%100 == 0:
			// The arrow key moves the player 100 ms on, as a seek forward.
			b.do(t, chromedp.Evaluate[chromedp.Void](under+`.querySelector('.rw-stage').focus()`))
			for k := 0; k < cmd.Dur/100; k++ {
				if err := r.Seek(r.Cluster.Now() + 100); err != nil {
					t.Fatal(err)
				}
				b.do(t, chromedp.KeyEvent(kb.ArrowRight))
				waitFor(t, b, `+`+under+`.dataset.time === `+strconv.Itoa(r.Cluster.Now()), 5*time.Second)
			}
		default:
			t.Fatalf("%s: the page has no way to run this solution line", cmd)
		}
		// The page's cluster and the native one are the same run, event
		// for event (the trace hashes the simulator keeps).
		want := strconv.FormatUint(r.Cluster.Hash(), 16)
		waitForOr(t, b, `raftplay.hash(`+under+`._rw.id).hash === '`+want+`'`, 5*time.Second,
			`JSON.stringify(raftplay.hash(`+under+`._rw.id))`)
	}
	waitFor(t, b, under+`.hasAttribute('data-solved')`, 20*time.Second)
	waitForOr(t, b, `(JSON.parse(localStorage.getItem('raftplay.progress') || '{}').exercises || {})['`+id+`']?.code`, 20*time.Second,
		`localStorage.getItem('raftplay.progress') + ' | ' + `+under+`.querySelector('.rw-exstatus').textContent`)
	code := eval[string](t, b, `JSON.parse(localStorage.getItem('raftplay.progress')).exercises['`+id+`'].code`)
	v := verifyCode(all, code)
	if !v.solved {
		t.Fatalf("raftplay verify says the page's code does not solve %s: %s", id, v.why)
	}
	if v.moves != actions {
		t.Errorf("verify counted %d actions, the solution has %d", v.moves, actions)
	}
	if status := eval[string](t, b, under+`.querySelector('.rw-exstatus').textContent`); !strings.HasPrefix(status, "Solved!") || !strings.Contains(status, strconv.Itoa(actions)+" action") {
		t.Errorf("the page says %q", status)
	}
}

// Every widget of every Chinese lesson mounts, and no exercise fails.
func TestBrowserChineseLessonsMount(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 900, false)
	for _, slug := range lessonSlugs(t) {
		b.do(t, chromedp.Navigate(site+"/zh/lessons/"+slug+"/index.html"))
		waitFor(t, b, `performance.getEntriesByName('raftplay:mounted').length > 0 && [...document.querySelectorAll('.raft-widget')].every(w => w._rw && w._rw.id)`, 40*time.Second)
		if n := eval[int](t, b, `document.querySelectorAll('.raft-widget.raft-exercise [data-action="solve"]').length`); n == 0 {
			t.Errorf("%s: no exercise", slug)
		}
		if bad := eval[int](t, b, `[...document.querySelectorAll('.rw-fail')].filter(e => !e.hidden).length`); bad != 0 {
			t.Errorf("%s: %d widgets show a failure", slug, bad)
		}
	}
}

// A browser that cannot make a solution code still keeps the solve, and
// says so in the page's words; the reason (here the browser's own error)
// goes to the console.
func TestBrowserNoCodeInPlainWords(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 800, false)
	cw := watchConsole(t, b)
	if _, err := chromedp.Call(b.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `globalThis.CompressionStream = function () { throw new TypeError('no deflate in this test'); };`,
	}); err != nil {
		t.Fatal(err)
	}
	solveOverviewExercise(t, b, site+"/lessons/overview/index.html")
	const note = `document.querySelector('.raft-exercise .rw-exnote')`
	waitFor(t, b, note+`.textContent.includes('No solution code could be made in this browser.')`, 10*time.Second)
	if text := eval[string](t, b, note+`.textContent`); strings.Contains(text, "deflate") {
		t.Errorf("the note shows the browser's error: %q", text)
	}
	if w := cw.text(); !strings.Contains(w, "no deflate in this test") {
		t.Errorf("the console does not have the reason: %q", w)
	}
	if !strings.Contains(eval[string](t, b, `localStorage.getItem('raftplay.progress') || ''`), `"overview/1"`) {
		t.Error("the solve was not kept")
	}
}

// A question waiting for its answer is not skipped: the timeline, the
// arrow keys and a seek past what has run all stop before it (going back
// is free), and a seek past the future already run stops at a question it
// meets and asks it.
func TestBrowserQuestionNotSkipped(t *testing.T) {
	site := testSite(t)
	b := newBrowser(t, 1280, 800, false)
	b.do(t, chromedp.Navigate(site+"/playground/index.html"))
	const script = "cluster 3\ntimeout S1\nrun 100ms\nquestion \"Who will lead?\"\nchoice \"S1\" when leader S1\nchoice \"S2\" when leader S2\nrun until leader S1 within 1s\nrun 300ms\nquestion \"Is S1 still the leader?\"\nchoice \"yes\" when leader S1\nchoice \"no\" when leader none\nrun 1s\n"
	runInPlayground(t, b, script)
	waitFor(t, b, visible(`[data-choice="0"]`), 20*time.Second)
	at := eval[int](t, b, `+`+under+`.dataset.time`)
	seekBy := func(how string) {
		b.do(t, chromedp.Evaluate[chromedp.Void](how))
		time.Sleep(300 * time.Millisecond)
		if now := eval[int](t, b, `+`+under+`.dataset.time`); now != at {
			t.Errorf("%s moved the time from %d to %d while a question waits", how, at, now)
		}
		if !eval[bool](t, b, visible(`[data-choice="0"]`)) {
			t.Errorf("%s hid the waiting question", how)
		}
	}
	seekBy(`(() => { const r = ` + under + `.querySelector('[data-action="timeline"]'); r.value = String(+r.max); r.dispatchEvent(new Event('input', {bubbles: true})); })()`)
	seekBy(under + `._rw.scrub(1000)`)
	seekBy(under + `._rw.seek(5000)`)
	// Back is free; and then a seek far forward stops at the question.
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`._rw.seek(20)`))
	waitFor(t, b, `+`+under+`.dataset.time === 20`, 5*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`._rw.seek(5000)`))
	waitFor(t, b, visible(`[data-choice="0"]`)+` && +`+under+`.dataset.time === `+strconv.Itoa(at), 10*time.Second)
	// Answered, it lets the script on; a seek past the second question
	// stops there and asks it.
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-choice="0"]`)))
	b.do(t, chromedp.Evaluate[chromedp.Void](under+`._rw.seek(5000)`))
	waitFor(t, b, `[...`+under+`.querySelectorAll('.rw-question')].some(q => q.textContent.includes('still the leader') && q.offsetParent)`, 10*time.Second)
	if now := eval[int](t, b, `+`+under+`.dataset.time`); now >= 5000 || now <= at {
		t.Errorf("the seek past the second question ended at %d ms, want at the question (after %d, before 5000)", now, at)
	}
}

// In the manual network a click on a message offers to deliver it, or a
// copy of it, named as a script names it, and a leader's menu offers its
// heartbeat; in a network that runs by itself neither shows. Screenshots
// of the message's panel at laptop and phone sizes, light and dark.
func TestBrowserManualNetworkControls(t *testing.T) {
	site := testSite(t)
	for _, v := range []struct {
		w, h int64
		dark bool
	}{{1280, 800, false}, {390, 844, true}, {390, 844, false}, {1280, 800, true}} {
		name := fmt.Sprintf("manual-network-%dx%d", v.w, v.h)
		if v.dark {
			name += "-dark"
		}
		b := newBrowser(t, v.w, v.h, v.dark)
		b.do(t, chromedp.Navigate(site+"/lessons/bugs-replication/index.html"))
		markWidget(t, b, widgetWithSource(`/goal applied S1 a b and violation state-machine-safety/`))
		playSetup(t, b)
		// S2 leads term 3; S1 restarted: the heartbeat S2 sent it waits.
		if !eval[bool](t, b, under+`._rw.snap.manual`) {
			t.Fatal("the exercise's network is not manual after its setup")
		}
		sel := `[...` + under + `.querySelectorAll('.rw-msg[data-from="S2"][data-to="S1"][data-kind="heartbeat"]')]`
		before := eval[int](t, b, sel+`.length`)
		doInPage(t, b, &scenario.Command{Kind: scenario.CmdHeartbeat, Server: 2})
		waitFor(t, b, sel+`.length === `+strconv.Itoa(before+1), 5*time.Second)
		// Several heartbeats wait on the link: the panel names the oldest
		// by its place ("deliver S2->S1 heartbeat 1").
		b.do(t, chromedp.Evaluate[chromedp.Void](`{ const m = `+sel+`.sort((a, b) => a.dataset.msgId - b.dataset.msgId)[0]; const r = m.getBoundingClientRect();
			m.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 })); }`))
		waitFor(t, b, visible(`.rw-msgpanel [data-action="deliver-message"]`)+` && `+visible(`.rw-msgpanel [data-action="duplicate-message"]`), 5*time.Second)
		if !eval[bool](t, b, `(() => { const r = `+under+`.querySelector('.rw-msgpanel').getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth + 1; })()`) {
			t.Errorf("%s: the message's panel is wider than the screen", name)
		}
		time.Sleep(400 * time.Millisecond) // the panel's fade in
		b.viewShot(t, name)
		b.do(t, chromedp.Click(chromedp.CSS(`#ut .rw-msgpanel [data-action="deliver-message"]`)))
		// The heartbeat arrived (it was not lost): S1's answer is on its
		// way back.
		waitFor(t, b, sel+`.length === `+strconv.Itoa(before)+` && `+under+`.querySelector('.rw-msg[data-from="S1"][data-to="S2"][data-kind="append-reply"]')`, 5*time.Second)
		// A follower's menu has no heartbeat; the leader's has.
		b.do(t, chromedp.Click(chromedp.CSS(`#ut [data-server="S3"]`)))
		waitFor(t, b, visible(`.rw-menu`), 5*time.Second)
		if eval[bool](t, b, visible(`.rw-menu [data-action="heartbeat"]`)) {
			t.Errorf("%s: a follower's menu offers a heartbeat", name)
		}
	}
	// A network that runs by itself: a message's panel offers to drop it
	// only.
	b := newBrowser(t, 1280, 800, false)
	b.do(t, chromedp.Navigate(site+"/lessons/replication/index.html"))
	markWidget(t, b, `document.querySelector('.raft-widget')`)
	// Stepped until a message is in flight, and left paused so that it is
	// still there when clicked.
	waitFor(t, b, `(() => { const u = `+under+`; if (u.querySelector('.rw-msg[data-msg-id]')) return true;
		u.querySelector('[data-action="step"]').click(); return false; })()`, 20*time.Second)
	b.do(t, chromedp.Evaluate[chromedp.Void](`{ const m = `+under+`.querySelector('.rw-msg[data-msg-id]'); const r = m.getBoundingClientRect();
		m.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 })); }`))
	waitFor(t, b, visible(`.rw-msgpanel [data-action="drop-message"]`), 5*time.Second)
	if eval[bool](t, b, visible(`.rw-msgpanel [data-action="deliver-message"]`)) {
		t.Error("in a network that runs by itself a message's panel offers to deliver it")
	}
}
