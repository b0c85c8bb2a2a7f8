package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
)

// wasmBuildFlags build raftplay.wasm. The cold packages (the scenario
// parser, its player and the bridge to JavaScript) are compiled without
// inlining, which keeps the binary within its size budget at no cost to
// the simulation's speed; the engine and simulator keep it.
var wasmBuildFlags = []string{
	"-trimpath",
	"-ldflags=-s -w",
	"-gcflags=raftplay/raft/scenario=-l",
	"-gcflags=raftplay/raft/player=-l",
	"-gcflags=raftplay/wasm/...=-l",
}

// Size budgets of raftplay.wasm, in bytes: the project's budget for the
// page's own wasm (4.0 MB raw, 1.1 MB gzip, 850 KB brotli).
const (
	wasmMaxRaw    = 4_000_000
	wasmMaxGzip   = 1_100_000
	wasmMaxBrotli = 850_000
)

// moduleRoot finds the raftplay source tree: the working directory or one
// of its parents, holding the go.mod of module raftplay.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module raftplay\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the raftplay source tree (a go.mod of module raftplay) here or above; run raftplay from inside it")
		}
		dir = parent
	}
}

// newestSource returns the modification time of the newest .go file or
// go.mod/go.sum that the WebAssembly binary is built from.
func newestSource(root string) (time.Time, error) {
	var newest time.Time
	for _, sub := range []string{"raft", "wasm"} {
		err := filepath.WalkDir(filepath.Join(root, sub), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			info, err := d.Info()
			if err == nil && info.ModTime().After(newest) {
				newest = info.ModTime()
			}
			return err
		})
		if err != nil {
			return newest, err
		}
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if info, err := os.Stat(filepath.Join(root, f)); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
	}
	return newest, nil
}

// The two WebAssembly programs: the page's simulator, and the explorer,
// which a page loads into a worker only when a learner asks for a search.
const (
	simulatorPkg = "./wasm"
	explorerPkg  = "./wasm/explorer"
)

// explorerPath is where the explorer's wasm is built, beside raftplay.wasm.
func explorerPath(wasmPath string) string {
	return filepath.Join(filepath.Dir(wasmPath), "explorer.wasm")
}

// ensureWasm builds out (raftplay.wasm) when it is missing or older than
// its sources, and the explorer's wasm beside it, and reports whether it
// built either.
func ensureWasm(root, out string) (bool, error) {
	newest, err := newestSource(root)
	if err != nil {
		return false, err
	}
	built := false
	for _, w := range []struct{ pkg, out string }{{simulatorPkg, out}, {explorerPkg, explorerPath(out)}} {
		if info, err := os.Stat(w.out); err == nil && !info.ModTime().Before(newest) {
			continue
		}
		built = true
		if err := buildWasmOf(root, w.pkg, w.out); err != nil {
			return built, err
		}
	}
	return built, nil
}

// buildWasm runs the Go toolchain to build raftplay.wasm.
func buildWasm(root, out string) error { return buildWasmOf(root, simulatorPkg, out) }

// buildWasmOf builds the WebAssembly program of package pkg into out.
func buildWasmOf(root, pkg, out string) error {
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	args := append([]string{"build"}, wasmBuildFlags...)
	args = append(args, "-o", abs, pkg)
	cmd := exec.Command(goTool(), args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", filepath.Base(out), err, msg)
	}
	return nil
}

// goTool is the go command: the one in GOROOT if there is one.
func goTool() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// wasmExecJS returns the JavaScript support file of the Go toolchain that
// builds the wasm; it must match the compiler, so it is copied at build
// time and never kept in the repository.
func wasmExecJS() ([]byte, error) {
	out, err := exec.Command(goTool(), "env", "GOROOT").Output()
	if err != nil {
		return nil, fmt.Errorf("asking the Go toolchain for GOROOT: %v", err)
	}
	root := strings.TrimSpace(string(out))
	for _, p := range []string{"lib/wasm/wasm_exec.js", "misc/wasm/wasm_exec.js"} {
		if b, err := os.ReadFile(filepath.Join(root, p)); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("wasm_exec.js not found under " + root)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	bw := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	bw.Write(b)
	bw.Close()
	return buf.Bytes()
}

// runWasm is "raftplay wasm": build raftplay.wasm and report its size
// against the budgets.
func runWasm(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("wasm", stderr)
	out := fs.String("out", "dist/raftplay.wasm", "where to write raftplay.wasm")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(stderr, "raftplay wasm:", err)
		return exitFail
	}
	path := fromRoot(root, *out)
	if err := buildWasm(root, path); err != nil {
		fmt.Fprintln(stderr, "raftplay wasm:", err)
		return exitFail
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(stderr, "raftplay wasm:", err)
		return exitFail
	}
	gz, br := gzipBytes(raw), brotliBytes(raw)
	fmt.Fprintf(stdout, "%s: %d bytes raw (budget %d), %d gzip -9 (budget %d), %d brotli (budget %d)\n",
		*out, len(raw), wasmMaxRaw, len(gz), wasmMaxGzip, len(br), wasmMaxBrotli)
	if len(raw) > wasmMaxRaw || len(gz) > wasmMaxGzip || len(br) > wasmMaxBrotli {
		fmt.Fprintln(stdout, "over budget")
		return exitFail
	}
	return exitOK
}
