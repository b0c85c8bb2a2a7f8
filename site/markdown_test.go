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

// renderMD renders markdown with no front matter, for the tests below.
func renderMD(t *testing.T, src string) (string, error) {
	t.Helper()
	html, _, err := renderMarkdown("lessons/en/x.md", "en", []byte(src))
	return string(html), err
}

// A ::: details container becomes a <details> whose summary is inline
// markdown and whose body is any markdown, raft widgets included; a longer
// outer fence holds a section inside another.
func TestDetailsSections(t *testing.T) {
	out, err := renderMD(t, "Before.\n\n::: details Reference: the `RPC` fields\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\nSome *text* and <b>raw</b> HTML.\n:::\n\nAfter.\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<p>Before.</p>\n<details class=\"aside\">\n<summary>Reference: the <code>RPC</code> fields</summary>\n<table>",
		"<td>1</td>",
		"<p>Some <em>text</em> and <!-- raw HTML omitted -->raw<!-- raw HTML omitted --> HTML.</p>\n</details>\n<p>After.</p>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "<b>") || strings.Contains(out, ":::") {
		t.Errorf("raw HTML or a fence got through:\n%s", out)
	}

	// Nested, with a longer outer fence; a widget inside; indentation of up
	// to three spaces; a fence interrupting a paragraph; trailing spaces.
	out, err = renderMD(t, "Text\n:::: details Outer  \n  ::: details Inner\n  inner text\n  :::\n\n```raft\ncluster 3\n```\n::::\n")
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>Text</p>\n<details class=\"aside\">\n<summary>Outer</summary>\n<details class=\"aside\">\n<summary>Inner</summary>\n<p>inner text</p>\n</details>\n<figure class=\"raft-widget\""
	if !strings.Contains(out, want) || !strings.HasSuffix(out, "</figure>\n</details>\n") {
		t.Errorf("nested sections:\n%s\nwant it to contain\n%s", out, want)
	}

	// A fence inside code is code; an indented one (4 spaces) is code too.
	out, err = renderMD(t, "```markdown\n::: details X\n:::\n```\n\n    ::: details Y\n")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "<details") || strings.Count(out, "::: details") != 2 {
		t.Errorf("fences in code blocks were read:\n%s", out)
	}
}

// Malformed containers are errors that name the line, never a panic.
func TestDetailsMistakes(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"Intro.\n\n::: details Never closed\ntext\n", "x.md:3: this ::: details is never closed"},
		{":::: details Outer\n::: details Inner\n::::\n", "x.md:2: this ::: details is never closed"},
		{"::: details A\n::: details B\n:::\n:::\n", "x.md:2: this ::: details is never closed"},
		{"::: details X\n:::x\n:::\n", `x.md:2: unknown container "x"`},
		{"Text.\n\n:::\n", "x.md:3: a closing ::: with no section open"},
		{"::: note Careful\n:::\n", `x.md:1: unknown container "note"`},
		{"::: details\ntext\n:::\n", "x.md:1: ::: details needs a summary"},
		{"::: details   \n:::\n", "x.md:1: ::: details needs a summary"},
		{"- item\n\n  ::: details In a list\n  text\n- next\n", "x.md:3: this ::: details is never closed"},
		{"> ::: details In a quote\n> text\n\nout\n", "x.md:1: this ::: details is never closed"},
		{":::::::\n", "x.md:1: a closing ::::::: with no section open"},
	} {
		_, err := renderMD(t, c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got error %v, want %q", c.src, err, c.want)
		}
	}
	// Colons that are no fence are text.
	for _, src := range []string{":: two colons\n", "a ::: b\n", "Time 10:00:00\n"} {
		if _, err := renderMD(t, src); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// Whatever the input, the parser ends without a panic (an error is fine).
func FuzzDetails(f *testing.F) {
	for _, s := range []string{"::: details A\n:::\n", ":::: details A\n::: details B\n:::\n::::\n", "> ::: details\n", "- ::: details X\n  :::\n", "::: details\t\x00\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		_, _, _ = renderMarkdown("x.md", "en", []byte(src))
	})
}
