package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raftplay/lessons"
)

// sourceLessons returns the source tree's root and its lessons.
func sourceLessons(t *testing.T) (string, []lessons.Lesson) {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	ls, err := lessons.LoadFS(os.DirFS(filepath.Join(root, "lessons")), "lessons")
	if err != nil {
		t.Fatal(err)
	}
	return root, ls
}

// 404.html is shown for a missing file at any depth, so when the site's
// path is known its links start there; otherwise they are relative, like
// every other page's.
func TestNotFoundPageBase(t *testing.T) {
	_, ls := sourceLessons(t)
	names := assetNames{App: "app.js", CSS: "site.css", Wasm: "raftplay.wasm", Early: "/* early */"}
	for _, tc := range []struct {
		base string
		want []string
	}{
		{"/raftplay/", []string{`href="/raftplay/assets/site.css"`, `href="/raftplay/index.html"`, `src="/raftplay/assets/app.js"`}},
		{"/", []string{`href="/assets/site.css"`, `href="/index.html"`}},
		{"", []string{`href="assets/site.css"`, `href="index.html"`}},
	} {
		pages, err := (&site{lessons: ls, assets: names, base: tc.base}).pages()
		if err != nil {
			t.Fatal(err)
		}
		var nf, lesson string
		for _, p := range pages {
			switch p.Path {
			case "404.html":
				nf = string(p.HTML)
			case "lessons/election/index.html":
				lesson = string(p.HTML)
			}
		}
		for _, w := range tc.want {
			if !strings.Contains(nf, w) {
				t.Errorf("base %q: 404.html lacks %s", tc.base, w)
			}
		}
		// Only pages with live clusters load the simulator.
		if strings.Contains(nf, "<script data-wasm=") || !strings.Contains(lesson, `<script data-wasm="../../assets/raftplay.wasm">`) {
			t.Errorf("base %q: the simulator is loaded where it should not be, or not where it should", tc.base)
		}
		// The other pages stay relative, whatever the base.
		if !strings.Contains(lesson, `href="../../assets/site.css"`) {
			t.Errorf("base %q: a lesson's stylesheet link is not relative", tc.base)
		}
	}
}

func TestCheckBase(t *testing.T) {
	for _, ok := range []string{"/", "/raftplay/", "/courses/raft-2026/"} {
		if err := checkBase(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "raftplay", "/raftplay", "raftplay/", "//", "/a//b/", "/a/../b/", "/./", "/a b/", "/a?b/", "/a#/", `/"x"/`, "/<x>/"} {
		if err := checkBase(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
