package main

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every page carries its Content-Security-Policy as a meta tag before any
// script, and the inline loader is allowed by its hash and nothing else
// inline is: the hash in the policy is the hash of the script as the
// page holds it.
func TestPagesCarryTheirPolicy(t *testing.T) {
	root, ls := sourceLessons(t)
	early, err := minifyEarly(root)
	if err != nil {
		t.Fatal(err)
	}
	names := assetNames{App: "app.js", CSS: "site.css", Wasm: "raftplay.wasm", Early: early}
	pages, err := (&site{lessons: ls, assets: names}).pages()
	if err != nil {
		t.Fatal(err)
	}
	meta := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)">`)
	inline := regexp.MustCompile(`(?s)<script data-wasm="[^"]*">(.*?)</script>`)
	for _, p := range pages {
		page := string(p.HTML)
		m := meta.FindStringSubmatch(page)
		if m == nil {
			t.Errorf("%s: no Content-Security-Policy meta tag", p.Path)
			continue
		}
		if strings.Index(page, m[0]) > strings.Index(page, "<script") {
			t.Errorf("%s: the policy comes after a script", p.Path)
		}
		policy := html.UnescapeString(m[1])
		for _, want := range []string{"script-src 'self'", "'wasm-unsafe-eval'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "worker-src 'self' blob:"} {
			if !strings.Contains(policy, want) {
				t.Errorf("%s: the policy lacks %q: %s", p.Path, want, policy)
			}
		}
		if strings.Contains(policy, "unsafe-inline") || strings.Contains(policy, "frame-ancestors") {
			t.Errorf("%s: %s", p.Path, policy)
		}
		if s := inline.FindStringSubmatch(page); s != nil {
			sum := sha256.Sum256([]byte(s[1]))
			if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy, hash) {
				t.Errorf("%s: the inline loader's hash %s is not in the policy %s", p.Path, hash, policy)
			}
		}
	}
}

// raftplay serve sends the policy as a header too, with frame-ancestors,
// which only a header can carry.
func TestServeSendsThePolicy(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{root: root, wasmPath: filepath.Join(t.TempDir(), "raftplay.wasm"), log: &strings.Builder{}}
	if err := s.refresh(true); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/lessons/election/index.html", "/no/such/page"} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		got := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(got, "script-src 'self'") || !strings.Contains(got, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy header %q", path, got)
		}
	}
}
