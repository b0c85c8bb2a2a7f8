package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A stray token in the stylesheet is only a warning to esbuild, and a
// browser silently drops the rules it swallows (a merge's "=======" once
// left every rule after it inside an unclosed @media block): the build
// refuses it, saying where.
func TestStylesheetWarningFailsTheBuild(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(webDir(root), "css")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(css string) {
		if err := os.WriteFile(filepath.Join(dir, "site.css"), []byte(css), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("@media (prefers-reduced-motion: reduce) {\n  .a { display: none; }\n}\n.b { color: red; }\n")
	if _, err := minifyCSS(root); err != nil {
		t.Fatalf("a sound stylesheet: %v", err)
	}
	write("@media (prefers-reduced-motion: reduce) {\n  .a { display: none; }\n=======\n.b { color: red; }\n")
	_, err := minifyCSS(root)
	if err == nil || !strings.Contains(err.Error(), "site/web/css/site.css:3:1: ") {
		t.Errorf("a stylesheet with a stray token built with %v, want an error at site/web/css/site.css:3:1", err)
	}
}
