package main

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"raftplay/lessons"
)

// devAssets are the stable asset names raftplay serve uses (it sends them
// with no-cache, and rebuilds them when their sources change).
var devAssets = assetNames{App: "app.js", CSS: "site.css", Wasm: "raftplay.wasm", Explorer: "explorer.wasm", ExplorerWorker: "explorer-worker.js"}

// server serves the site from the source tree, rebuilding what changed.
type server struct {
	root, wasmPath string
	log            io.Writer

	mu       sync.Mutex
	checked  time.Time // when sources were last looked at
	stamp    string    // what the built files were built from
	files    map[string][]byte
	gzipped  map[string][]byte
	csp      string // the pages' Content-Security-Policy, sent as a header too
	buildErr error
}

func runServe(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(stderr, "raftplay serve:", err)
		return exitFail
	}
	s := &server{root: root, wasmPath: filepath.Join(root, "dist", "raftplay.wasm"), log: stderr}
	if err := s.refresh(true); err != nil {
		fmt.Fprintln(stderr, "raftplay serve:", err)
		return exitFail
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "raftplay serve:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "raftplay: serving on http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		fmt.Fprintln(stderr, "raftplay serve:", err)
		return exitFail
	}
	return exitOK
}

// sourceStamp summarizes the modification times of everything the site
// is built from.
func (s *server) sourceStamp() (string, error) {
	wasmSrc, err := newestSource(s.root)
	if err != nil {
		return "", err
	}
	parts := []time.Time{wasmSrc, newestIn(webDir(s.root)), newestIn(filepath.Join(s.root, "lessons"))}
	var b strings.Builder
	for _, t := range parts {
		b.WriteString(t.UTC().Format(time.RFC3339Nano))
		b.WriteByte(' ')
	}
	return b.String(), nil
}

// refresh rebuilds the site if its sources changed since the last build
// (looking at most every half second unless forced).
func (s *server) refresh(force bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !force && time.Since(s.checked) < 500*time.Millisecond {
		return s.buildErr
	}
	s.checked = time.Now()
	stamp, err := s.sourceStamp()
	if err != nil {
		return err
	}
	if stamp == s.stamp && !force {
		return s.buildErr
	}
	s.stamp = stamp
	s.buildErr = s.build()
	if s.buildErr != nil {
		fmt.Fprintln(s.log, "raftplay serve: build failed:", s.buildErr)
	}
	return s.buildErr
}

func (s *server) build() error {
	began := time.Now()
	built, err := ensureWasm(s.root, s.wasmPath)
	if err != nil {
		return err
	}
	fe, err := buildFrontEnd(s.root, s.wasmPath)
	if err != nil {
		return err
	}
	ls, err := lessons.LoadFS(os.DirFS(filepath.Join(s.root, "lessons")), "lessons")
	if err != nil {
		return err
	}
	names := devAssets
	names.Early = fe.early
	st := &site{lessons: ls, assets: names}
	pages, err := st.pages()
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"assets/" + devAssets.App:  fe.app,
		"assets/" + devAssets.CSS:  fe.css,
		"assets/" + devAssets.Wasm: fe.wasm,

		"assets/" + devAssets.Explorer:       fe.explorer,
		"assets/" + devAssets.ExplorerWorker: fe.explorerWorker,
	}
	for _, p := range pages {
		files[p.Path] = p.HTML
	}
	gz := map[string][]byte{}
	for name, b := range files {
		if len(b) > 1024 {
			gz[name] = gzipBytes(b)
		}
	}
	s.files, s.gzipped = files, gz
	s.csp = cspHeader(string(names.Early), false)
	what := "site"
	if built {
		what = "wasm and site"
	}
	fmt.Fprintf(s.log, "raftplay serve: built %s in %v\n", what, time.Since(began).Round(time.Millisecond))
	return nil
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := s.refresh(false); err != nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "raftplay serve: the site does not build:\n\n%v\n", err)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" || strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	s.mu.Lock()
	body, ok := s.files[name]
	gz := s.gzipped[name]
	notFound := s.files["404.html"]
	csp := s.csp
	s.mu.Unlock()
	w.Header().Set("Content-Security-Policy", csp)
	if !ok {
		if _, dir := s.files[name+"/index.html"]; dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(notFound)
		return
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Vary", "Accept-Encoding")
	if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}
