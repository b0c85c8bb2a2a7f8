package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"raftplay/lessons"
)

// builtSite is the static site as files, by path under the site root.
type builtSite struct {
	files map[string][]byte
	names assetNames
}

// siteOptions choose what goes into a built site.
type siteOptions struct {
	langs   []string        // languages (all when empty)
	only    map[string]bool // lesson slugs (all when nil)
	offline bool            // carry the wasm in a script, for file:// (see bundle.go)
	// base is the path the site is served under ("/raftplay/"), when
	// known. Only 404.html needs it: a host serves that page in place of
	// any missing file, at any depth, where relative links would not
	// find the site.
	base string
}

// buildSite makes every file of the static site: the pages, and the
// assets under content-hashed names so that hosts may cache them forever.
func buildSite(root string, opt siteOptions) (*builtSite, error) {
	wasmPath := filepath.Join(root, "dist", "raftplay.wasm")
	if _, err := ensureWasm(root, wasmPath); err != nil {
		return nil, err
	}
	fe, err := buildFrontEnd(root, wasmPath)
	if err != nil {
		return nil, err
	}
	ls, err := lessons.LoadFS(os.DirFS(filepath.Join(root, "lessons")), "lessons")
	if err != nil {
		return nil, err
	}
	names := assetNames{
		App: hashed("app.js", fe.app),
		CSS: hashed("site.css", fe.css),
	}
	b := &builtSite{files: map[string][]byte{
		"assets/" + names.App: fe.app,
		"assets/" + names.CSS: fe.css,
	}}
	if opt.offline {
		script := wasmScript(fe.wasm, fe.embedded)
		names.WasmScript = hashed("wasm.js", script)
		b.files["assets/"+names.WasmScript] = script
		explorer := explorerScript(fe.explorer, fe.explorerWorker)
		names.ExplorerScript = hashed("explorer.js", explorer)
		b.files["assets/"+names.ExplorerScript] = explorer
	} else {
		names.Wasm = hashed("raftplay.wasm", fe.wasm)
		names.Early = fe.early
		b.files["assets/"+names.Wasm] = fe.wasm
		names.Explorer = hashed("explorer.wasm", fe.explorer)
		names.ExplorerWorker = hashed("explorer-worker.js", fe.explorerWorker)
		b.files["assets/"+names.Explorer] = fe.explorer
		b.files["assets/"+names.ExplorerWorker] = fe.explorerWorker
	}
	b.names = names
	st := &site{lessons: ls, assets: names, langs: opt.langs, only: opt.only, base: opt.base}
	pages, err := st.pages()
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		b.files[p.Path] = p.HTML
	}
	return b, nil
}

// compressible reports whether a file gets precompressed copies: the
// large assets (pages are small and change with every build).
func compressible(name string) bool {
	return strings.HasPrefix(name, "assets/") && (strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".css") || strings.HasSuffix(name, ".wasm"))
}

func runBuild(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("build", stderr)
	out := fs.String("out", "dist/site", "folder to write the site to (replaced)")
	base := fs.String("base", "/", "the path the site will be served under, such as /raftplay/ (used by 404.html)")
	if !parseNoArgs(fs, args, stderr) {
		return exitUsage
	}
	if err := checkBase(*base); err != nil {
		fmt.Fprintf(stderr, "raftplay build: -base %q: %v\n", *base, err)
		return exitUsage
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(stderr, "raftplay build:", err)
		return exitFail
	}
	site, err := buildSite(root, siteOptions{base: *base})
	if err != nil {
		fmt.Fprintln(stderr, "raftplay build:", err)
		return exitFail
	}
	dir := fromRoot(root, *out)
	if err := writeSite(dir, site.files, true); err != nil {
		fmt.Fprintln(stderr, "raftplay build:", err)
		return exitFail
	}
	reportSite(stdout, dir, site)
	return exitOK
}

// checkBase accepts a URL path that starts and ends with a slash, with
// nothing a path may not hold: "/", "/raftplay/", "/courses/raft/".
func checkBase(base string) error {
	if !strings.HasPrefix(base, "/") || !strings.HasSuffix(base, "/") {
		return errors.New("must start and end with /")
	}
	if base == "/" {
		return nil
	}
	for _, seg := range strings.Split(strings.Trim(base, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." {
			return errors.New("has an empty, . or .. segment")
		}
		for _, r := range seg {
			if r <= ' ' || r == 0x7f || strings.ContainsRune(`"'<>\?#%`, r) {
				return fmt.Errorf("has %q, which a path segment here may not hold", r)
			}
		}
	}
	return nil
}

// writeSite replaces dir with the files, adding .gz and .br copies of the
// large assets when compress is set.
func writeSite(dir string, files map[string][]byte, compress bool) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
		if compress && compressible(name) {
			if err := os.WriteFile(p+".gz", gzipBytes(b), 0o644); err != nil {
				return err
			}
			if err := os.WriteFile(p+".br", brotliBytes(b), 0o644); err != nil {
				return err
			}
		}
	}
	return nil
}

// reportSite prints what was built and what the playground page costs to
// load, compressed.
func reportSite(w io.Writer, dir string, s *builtSite) {
	var names []string
	for n := range s.files {
		names = append(names, n)
	}
	sort.Strings(names)
	pages := 0
	for _, n := range names {
		if strings.HasSuffix(n, ".html") {
			pages++
		}
	}
	fmt.Fprintf(w, "raftplay build: %d pages and %d assets in %s\n", pages, len(names)-pages, dir)
	transfer := 0
	for _, n := range []string{"playground/index.html", "assets/" + s.names.CSS, "assets/" + s.names.App, "assets/" + s.names.Wasm} {
		b := s.files[n]
		br := len(brotliBytes(b))
		transfer += br
		fmt.Fprintf(w, "  %-32s %8d bytes, %8d brotli\n", n, len(b), br)
	}
	fmt.Fprintf(w, "  playground page transfer, compressed: %d bytes (budget 1000000)\n", transfer)
}
