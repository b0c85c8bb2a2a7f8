package main

import (
	"strconv"
	"strings"
	"testing"

	"raftplay/lessons"
)

const sampleLesson = "---\ntitle: T\norder: 1\nsummary: S\n---\n# Title\n\n## First part\n\nSome <b>bold</b> text and <script>alert(1)</script>.\n\n```raft\ncluster 3\ntitle \"A <small> cluster\"\ntimeout S1\n```\n\n```go\nfunc main() {}\n```\n\n## Second `part`\n\n```raft exercise\ncluster 3\ngoal leader S2\nallow timeout\nsolution\ntimeout S2\nrun until leader S2\n```\n"

func TestRaftBlocksBecomeWidgets(t *testing.T) {
	html, toc, err := renderMarkdown("lessons/en/x.md", "en", []byte(sampleLesson))
	if err != nil {
		t.Fatal(err)
	}
	out := string(html)
	for _, want := range []string{
		`<figure class="raft-widget" id="scenario-1" data-name="lessons/en/x.md:12" data-index="1" data-autoplay="visible">`,
		`<figcaption class="raft-title">A &lt;small&gt; cluster</figcaption>`,
		`<pre class="raft-source"><code>cluster 3` + "\n" + `title &quot;A &lt;small&gt; cluster&quot;`,
		`<figure class="raft-widget raft-exercise" id="scenario-2" data-name="lessons/en/x.md:24"`,
		`<p class="raft-goal"><span>Goal:</span> <code>leader S2</code></p>`,
		`<pre><code class="language-go">func main() {}`,
		`<h2 id="first-part">First part</h2>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	// Raw HTML stays escaped: goldmark's default, kept.
	if strings.Contains(out, "<script>") || strings.Contains(out, "<b>") {
		t.Errorf("raw HTML got through:\n%s", out)
	}
	if strings.Contains(out, "title: T") {
		t.Error("front matter rendered as text")
	}
	if strings.Contains(out, "<h1") {
		t.Error("the lesson's own title heading should be left to the page header")
	}
	if len(toc) != 2 || toc[0].Text != "First part" || toc[1].Text != "Second part" {
		t.Errorf("toc %+v", toc)
	}
}

func TestEveryLessonRenders(t *testing.T) {
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		html, toc, err := renderMarkdown(l.Path, l.Lang, l.Source)
		if err != nil {
			t.Errorf("%s: %v", l.Path, err)
			continue
		}
		scens, _ := l.Scenarios()
		if n := strings.Count(string(html), `class="raft-widget`); n != len(scens) {
			t.Errorf("%s: %d widgets for %d scenarios", l.Path, n, len(scens))
		}
		for _, s := range scens {
			if !strings.Contains(string(html), `data-name="`+l.Path+":"+strconv.Itoa(s.Line)+`"`) {
				t.Errorf("%s: no widget names line %d", l.Path, s.Line)
			}
		}
		if len(toc) == 0 {
			t.Errorf("%s: no sections", l.Path)
		}
	}
}
