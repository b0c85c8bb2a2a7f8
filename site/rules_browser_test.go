//go:build browser

package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"raftplay/raft"
	"raftplay/raft/sim/narration"
)

// rulesTab opens the Rules tab of the widget under test.
func rulesTab(t *testing.T, b *browser) {
	t.Helper()
	b.do(t, chromedp.Click(chromedp.CSS(`#ut [role="tab"][id$="-t-rules"]`)))
	waitFor(t, b, visible(`.rw-rulespanel`), 5*time.Second)
}

// templatePieces are the words of a narration template around its
// placeholders, each as long as a word at least: what any line written
// with it shows, whatever its facts.
func templatePieces(tmpl string) []string {
	var out []string
	for _, p := range regexp.MustCompile(`\{\w+\}`).Split(tmpl, -1) {
		if p = strings.TrimSpace(p); len([]rune(p)) >= 3 {
			out = append(out, p)
		}
	}
	return out
}

// The Rules tab, in English and in Chinese: Raft's rules, then the
// implementation mistakes in a group of their own under its heading, each
// with its line in the page's language; switching a mistake off with the
// keyboard marks its row as making the mistake, and the narration names
// the mistake when a server makes it (keep-vote: at the leader's next
// AppendEntries, each follower that voted for it forgets its vote).
// Screenshots of the tab at a laptop's and a phone's size, light and dark.
func TestBrowserRules(t *testing.T) {
	site := testSite(t)
	tables, err := uiTables()
	if err != nil {
		t.Fatal(err)
	}
	var mistakes, others []string
	for _, r := range raft.AllRules() {
		if r.Kind() == raft.KindMistake {
			mistakes = append(mistakes, r.String())
		} else {
			others = append(others, r.String())
		}
	}
	for _, sc := range []struct {
		lang, heading string
		width, height int64
		dark          bool
	}{
		{"en", "Implementation mistakes", 1280, 800, false},
		{"zh", "实现中的错误", 390, 844, false},
		{"en", "Implementation mistakes", 390, 844, true},
		{"zh", "实现中的错误", 1280, 800, true},
	} {
		name := fmt.Sprintf("rules-%s-%dx%d-%s", sc.lang, sc.width, sc.height, map[bool]string{false: "light", true: "dark"}[sc.dark])
		t.Run(name, func(t *testing.T) {
			if tables[sc.lang]["rulesMistakes"] != sc.heading {
				t.Fatalf("the heading in %s.json is %q", sc.lang, tables[sc.lang]["rulesMistakes"])
			}
			b := newBrowser(t, sc.width, sc.height, sc.dark)
			path := "/playground/index.html"
			if sc.lang != "en" {
				path = "/" + sc.lang + path
			}
			b.do(t, chromedp.Navigate(site+path))
			markWidget(t, b, `document.querySelector('.raft-widget')`)
			rulesTab(t, b)

			// The two groups, each rule in its own, in the engine's order,
			// with its line in the page's language.
			group := func(g string) string {
				return `[...` + under + `.querySelectorAll('.rw-rulegroup[data-group="` + g + `"] input[data-rule]')].map(i => i.dataset.rule).join(' ')`
			}
			if got := eval[string](t, b, group("raft")); got != strings.Join(others, " ") {
				t.Errorf("Raft's rules: %q, want %q", got, strings.Join(others, " "))
			}
			if got := eval[string](t, b, group("mistakes")); got != strings.Join(mistakes, " ") {
				t.Errorf("the mistakes: %q, want %q", got, strings.Join(mistakes, " "))
			}
			if got := eval[string](t, b, `(() => { const g = `+under+`.querySelector('.rw-rulegroup[data-group="mistakes"]'); return g.getAttribute('role') + '|' + document.getElementById(g.getAttribute('aria-labelledby')).textContent; })()`); got != "group|"+sc.heading {
				t.Errorf("the mistakes' group and its heading: %q", got)
			}
			for _, m := range mistakes {
				row := `document.querySelector('#ut input[data-rule="` + m + `"]')`
				desc := eval[string](t, b, `document.getElementById(`+row+`.getAttribute('aria-describedby')).textContent`)
				if want := tables[sc.lang]["r-"+m]; desc != want {
					t.Errorf("%s's line: %q, want %q", m, desc, want)
				}
				if eval[bool](t, b, `!!`+row+`.closest('li').querySelector('.rw-made').offsetParent`) {
					t.Errorf("%s is on, yet its row says it makes the mistake", m)
				}
			}
			if tip := eval[string](t, b, `document.querySelector('#ut input[data-rule="keep-vote"]').closest('label').title`); tip != tables[sc.lang]["mistakeTip"] {
				t.Errorf("keep-vote's tip: %q", tip)
			}

			// Once there is a leader, switch keep-vote off from the keyboard.
			waitFor(t, b, under+`.dataset.leader`, 30*time.Second)
			nt, err := narration.For(sc.lang)
			if err != nil {
				t.Fatal(err)
			}
			pieces := templatePieces(nt["event.mistake.keep-vote"])
			if len(pieces) < 2 {
				t.Fatalf("the narration of keep-vote has too few words to find: %q", pieces)
			}
			said := `[...` + under + `.querySelectorAll('li[data-t]')].some(li => ` + func() string {
				var conds []string
				for _, p := range append(pieces, "keep-vote") {
					conds = append(conds, `li.textContent.includes(`+strconv.Quote(p)+`)`)
				}
				return strings.Join(conds, " && ")
			}() + `)`
			if eval[bool](t, b, said) {
				t.Fatal("the narration names the keep-vote mistake before it was switched off")
			}
			b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('#ut input[data-rule="keep-vote"]').focus()`))
			b.do(t, chromedp.KeyEvent(" "))
			waitFor(t, b, `!document.querySelector('#ut input[data-rule="keep-vote"]').checked`, 5*time.Second)
			if !eval[bool](t, b, `!!document.querySelector('#ut input[data-rule="keep-vote"]').closest('li').querySelector('.rw-made').offsetParent`) {
				t.Error("keep-vote is off, and its row does not say it makes the mistake")
			}
			if got := eval[string](t, b, `document.querySelector('#ut input[data-rule="keep-vote"]').closest('li').querySelector('.rw-made').textContent`); got != tables[sc.lang]["mistakeMade"] {
				t.Errorf("keep-vote's row says %q", got)
			}
			waitForOr(t, b, said, 20*time.Second, `[...`+under+`.querySelectorAll('li[data-t]')].slice(-6).map(li => li.textContent).join('\n')`)

			// Nothing in the tab is wider than it; a person looks at the
			// screenshots (dist/screenshots).
			if over := eval[string](t, b, `(() => {
				const p = `+under+`.querySelector('.rw-rulespanel'), r = p.getBoundingClientRect();
				const out = [...p.querySelectorAll('*')].find(e => { const q = e.getBoundingClientRect(); return q.width > 0 && (q.right > r.right + 1 || q.left < r.left - 1); });
				return out ? out.tagName.toLowerCase() + '.' + out.className + ': ' + out.textContent.slice(0, 40) : '';
			})()`); over != "" {
				t.Errorf("sticks out of the Rules tab: %s", over)
			}
			// The tab from its top, at the mistakes' heading, and at
			// keep-vote's row.
			b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
				const p = `+under+`.querySelector('[id$="-p-rules"]');
				p.scrollTop = 0;
				(innerWidth < 700 ? p : `+under+`).scrollIntoView({block: 'start'});
			})()`))
			b.viewShot(t, name)
			b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
				const p = `+under+`.querySelector('[id$="-p-rules"]'), g = p.querySelector('.rw-rulegroup[data-group="mistakes"]');
				p.scrollTop += g.getBoundingClientRect().top - p.getBoundingClientRect().top;
			})()`))
			b.viewShot(t, name+"-heading")
			b.do(t, chromedp.Evaluate[chromedp.Void](`(() => {
				const p = `+under+`.querySelector('[id$="-p-rules"]'), li = p.querySelector('input[data-rule="keep-vote"]').closest('li');
				p.scrollTop += li.getBoundingClientRect().bottom - p.getBoundingClientRect().bottom + 8;
				const r = li.getBoundingClientRect();
				if (r.top < 0 || r.bottom > innerHeight) scrollBy(0, r.bottom - innerHeight + 16);
			})()`))
			b.viewShot(t, name+"-keep-vote")
			b.onlyLocal(t, site)
		})
	}
	if !t.Failed() {
		fmt.Fprintln(os.Stderr, "browser: rules tab ok")
	}
}
