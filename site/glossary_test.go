package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// The Chinese names of the safety properties are one glossary, kept with
// the narration (raft/sim/narration/zh.json), which the Events panel and
// the Safety panel both read; the lessons use the same words, and no
// lesson uses a shortened variant (选举安全 where the glossary says
// 选举安全性).
func TestChineseGlossaryAgrees(t *testing.T) {
	zh, err := narration.For("zh")
	if err != nil {
		t.Fatal(err)
	}
	lessons, err := filepath.Glob("../lessons/zh/*.md")
	if err != nil || len(lessons) == 0 {
		t.Fatalf("no Chinese lessons: %v", err)
	}
	texts := map[string]string{}
	for _, l := range lessons {
		b, err := os.ReadFile(l)
		if err != nil {
			t.Fatal(err)
		}
		texts[l] = string(b)
	}
	checked := 0
	for _, name := range sim.InvariantNames() {
		term := zh["inv."+name]
		if term == "" {
			t.Errorf("the glossary has no Chinese for %s", name)
		}
		if !strings.HasSuffix(term, "性") {
			continue
		}
		checked++
		short := strings.TrimSuffix(term, "性")
		for l, text := range texts {
			if n := strings.Count(text, short) - strings.Count(text, term); n > 0 {
				t.Errorf("%s: %d uses of %q where the glossary says %q", l, n, short, term)
			}
		}
	}
	if checked < 2 {
		t.Fatalf("only %d glossary terms checked", checked)
	}
}
