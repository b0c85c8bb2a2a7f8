package main

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"raftplay/lessons"
)

// An offline bundle is the site in one zip that a learner unpacks and opens
// by double-clicking index.html, from file://, with no server and no
// network. Pages opened from disk may not fetch() or import modules, so the
// bundle carries the esbuild-made scripts only, and the wasm inside a
// script: gzip, then base64, which the page decodes with
// DecompressionStream. The paths are the site's, so links work from disk.

// bundleBudget is the most an offline bundle may weigh, in bytes: the
// simulator and the explorer (about 1.1 and 1.3 MB) with every lesson.
const bundleBudget = 3_000_000

// wasmScript writes the script that carries the wasm.
// It sets globalThis.__raftplayWasmGzipBase64 and then runs starter
// (embedded.js), which begins unpacking and compiling it.
func wasmScript(wasm []byte, starter string) []byte {
	gz := gzipBytes(wasm)
	var b bytes.Buffer
	b.WriteString("globalThis.__raftplayWasmGzipBase64=\"")
	b.WriteString(base64.StdEncoding.EncodeToString(gz))
	b.WriteString("\";\n")
	b.WriteString(starter)
	b.WriteString("\n")
	return b.Bytes()
}

// explorerScript writes the script that carries the explorer in an
// offline bundle, for a page to add when a learner asks for a search: it
// sets globalThis.__raftplayExplorerPacked to the explorer's wasm
// (gzip, base64) and its worker's script (a page opened from file://
// makes the worker from a Blob of it).
func explorerScript(wasm, worker []byte) []byte {
	var b bytes.Buffer
	b.WriteString("globalThis.__raftplayExplorerPacked={gzip:\"")
	b.WriteString(base64.StdEncoding.EncodeToString(gzipBytes(wasm)))
	b.WriteString("\",worker:")
	b.Write(jsString(worker))
	b.WriteString("};\n")
	return b.Bytes()
}

// jsString quotes s as a JavaScript string literal.
func jsString(s []byte) []byte {
	q, _ := json.Marshal(string(s))
	// JSON leaves U+2028 and U+2029 as they are, which ES2019 allows in
	// string literals; escaping them costs nothing and suits older parsers.
	q = bytes.ReplaceAll(q, []byte("\u2028"), []byte(`\u2028`))
	return bytes.ReplaceAll(q, []byte("\u2029"), []byte(`\u2029`))
}

// writeZip writes files into a zip, in a stable order, with fixed times
// so that the same sources give the same zip.
func writeZip(w io.Writer, files map[string][]byte) error {
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	zw := zip.NewWriter(w)
	stamp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range names {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: "raftplay/" + n, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[n]); err != nil {
			return err
		}
	}
	return zw.Close()
}

func runBundle(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("bundle", stderr)
	out := fs.String("out", "dist/raftplay-offline.zip", "where to write the zip")
	only := fs.String("lessons", "", "comma-separated lesson slugs to include (default: all)")
	lang := fs.String("lang", "", "one language only: en or zh (default: both)")
	if !parseNoArgs(fs, args, stderr) {
		return exitUsage
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(stderr, "raftplay bundle:", err)
		return exitFail
	}
	var langs []string
	if *lang != "" {
		if *lang != "en" && *lang != "zh" {
			fmt.Fprintf(stderr, "raftplay bundle: -lang must be en or zh, not %q\n", *lang)
			return exitUsage
		}
		langs = []string{*lang}
	}
	var pick map[string]bool
	if *only != "" {
		all, err := lessons.LoadFS(os.DirFS(filepath.Join(root, "lessons")), "lessons")
		if err != nil {
			fmt.Fprintln(stderr, "raftplay bundle:", err)
			return exitFail
		}
		pick = map[string]bool{}
		for _, slug := range strings.Split(*only, ",") {
			slug = strings.TrimSpace(slug)
			if _, ok := lessons.Find(all, "en", slug); !ok {
				fmt.Fprintf(stderr, "raftplay bundle: no lesson %q (lessons: %s)\n", slug, slugList(all))
				return exitUsage
			}
			pick[slug] = true
		}
	}
	built, err := buildSite(root, siteOptions{langs: langs, only: pick, offline: true})
	if err != nil {
		fmt.Fprintln(stderr, "raftplay bundle:", err)
		return exitFail
	}
	path := fromRoot(root, *out)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintln(stderr, "raftplay bundle:", err)
		return exitFail
	}
	var buf bytes.Buffer
	files := built.files
	if err := writeZip(&buf, files); err != nil {
		fmt.Fprintln(stderr, "raftplay bundle:", err)
		return exitFail
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(stderr, "raftplay bundle:", err)
		return exitFail
	}
	fmt.Fprintf(stdout, "raftplay bundle: %s, %d files, %d bytes (budget %d); unzip it and open raftplay/index.html\n", *out, len(files), buf.Len(), bundleBudget)
	if buf.Len() > bundleBudget {
		fmt.Fprintln(stdout, "over budget")
		return exitFail
	}
	return exitOK
}

func slugList(all []lessons.Lesson) string {
	var s []string
	for _, l := range lessons.In(all, "en") {
		s = append(s, l.Slug)
	}
	return strings.Join(s, ", ")
}
