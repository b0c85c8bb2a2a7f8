package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"raftplay/raft/sim"
)

// The Chinese names of the safety properties are one glossary: the UI's
// strings (i18n.js), the Events narration (narrate-zh.js) and the lessons
// use the same words, and no lesson uses a shortened variant (选举安全
// where the glossary says 选举安全性).
func TestChineseGlossaryAgrees(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	ui, narr := read("web/js/i18n.js"), read("web/js/narrate-zh.js")
	lessons, err := filepath.Glob("../lessons/zh/*.md")
	if err != nil || len(lessons) == 0 {
		t.Fatalf("no Chinese lessons: %v", err)
	}
	for _, name := range sim.InvariantNames() {
		// i18n.js's Chinese table: 'name': '中文 English'; narrate-zh.js:
		// 'name': '中文',
		uiTerm := firstMatch(t, ui, `'`+regexp.QuoteMeta(name)+`': '(\p{Han}[^ ']*)`)
		narrTerm := firstMatch(t, narr, `'`+regexp.QuoteMeta(name)+`': '([^']+)'`)
		if uiTerm != narrTerm {
			t.Errorf("%s: the UI says %q, the narration %q", name, uiTerm, narrTerm)
		}
		if !strings.HasSuffix(uiTerm, "性") {
			continue
		}
		short := strings.TrimSuffix(uiTerm, "性")
		for _, l := range lessons {
			text := read(l)
			if n := strings.Count(text, short) - strings.Count(text, uiTerm); n > 0 {
				t.Errorf("%s: %d uses of %q where the glossary says %q", l, n, short, uiTerm)
			}
		}
	}
}

func firstMatch(t *testing.T, s, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no match for %s", pattern)
	}
	return m[1]
}
