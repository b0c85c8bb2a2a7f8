package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The WebAssembly binary, built as the site builds it, stays within its
// size budgets (raw, gzip -9 and brotli).
func TestWasmWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the WebAssembly binary; run without -short")
	}
	out := filepath.Join(t.TempDir(), "raftplay.wasm")
	var stdout, stderr bytes.Buffer
	code := runWasm([]string{"-out", out}, &stdout, &stderr)
	t.Log(strings.TrimSpace(stdout.String()))
	if code != exitOK {
		t.Fatalf("raftplay wasm: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}

func TestWasmExecComesFromTheToolchain(t *testing.T) {
	b, err := wasmExecJS()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("globalThis.Go")) && !bytes.Contains(b, []byte("global.Go")) {
		t.Errorf("wasm_exec.js does not define Go (%d bytes)", len(b))
	}
}
