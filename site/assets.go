package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/evanw/esbuild/pkg/api"
)

// frontEnd is the built front end: the script bundle (Go's wasm_exec.js,
// then the page code bundled by esbuild as one IIFE, which also runs from
// file:// where module imports are refused), the stylesheet, and the
// WebAssembly binary.
type frontEnd struct {
	app, css, wasm []byte
	// early is the script inlined into the head of pages with a live
	// cluster, which starts downloading and compiling the wasm at once.
	early template.JS
	// embedded ends the offline bundle's wasm script: it unpacks and
	// compiles the wasm that the script carries.
	embedded string
	// explorer is the explorer's wasm, and explorerWorker the script of
	// the worker it runs in (wasm_exec.js, then explorer-worker.js): a
	// page loads both only when a learner asks for a search.
	explorer, explorerWorker []byte
}

// webDir is where the front end's sources are, in the source tree.
func webDir(root string) string { return filepath.Join(root, "site", "web") }

// bundleJS bundles site/web/js/main.js and everything it imports.
func bundleJS(root string) ([]byte, error) {
	entry := filepath.Join(webDir(root), "js", "main.js")
	if _, err := os.Stat(entry); err != nil {
		return nil, fmt.Errorf("front end entry point: %v", err)
	}
	res := api.Build(api.BuildOptions{
		EntryPoints:       []string{entry},
		Bundle:            true,
		Format:            api.FormatIIFE,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Outfile:           "app.js",
		Write:             false,
		LogLevel:          api.LogLevelSilent,
	})
	// A warning is an error: esbuild warns of what a browser would
	// silently drop (a stray token in the stylesheet swallows the rules
	// after it), which no test of the page sees at once.
	if msgs := append(res.Errors, res.Warnings...); len(msgs) > 0 {
		return nil, esbuildError(msgs)
	}
	for _, f := range res.OutputFiles {
		if strings.HasSuffix(f.Path, ".js") {
			return f.Contents, nil
		}
	}
	return nil, errors.New("esbuild produced no script")
}

// minifyScript minifies a script of site/web/js that is used as it is,
// not bundled: it imports nothing.
func minifyScript(root, name string) (string, error) {
	src, err := os.ReadFile(filepath.Join(webDir(root), "js", name))
	if err != nil {
		return "", err
	}
	res := api.Transform(string(src), api.TransformOptions{
		Loader:            api.LoaderJS,
		Target:            api.ES2020,
		MinifyWhitespace:  true,
		MinifyIdentifiers: true,
		MinifySyntax:      true,
		Charset:           api.CharsetUTF8,
		LegalComments:     api.LegalCommentsNone,
		Sourcefile:        "site/web/js/" + name,
		LogLevel:          api.LogLevelSilent,
	})
	if msgs := append(res.Errors, res.Warnings...); len(msgs) > 0 {
		return "", esbuildError(msgs)
	}
	return strings.TrimSpace(string(res.Code)), nil
}

// minifyEarly minifies site/web/js/early.js, which is inlined in pages.
func minifyEarly(root string) (template.JS, error) {
	code, err := minifyScript(root, "early.js")
	if err != nil {
		return "", err
	}
	// Inline, the script must not end its own element.
	if strings.Contains(strings.ToLower(code), "</script") {
		return "", errors.New("site/web/js/early.js: the minified script contains </script")
	}
	return template.JS(code), nil
}

// minifyCSS minifies the stylesheet site/web/css/site.css.
func minifyCSS(root string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(webDir(root), "css", "site.css"))
	if err != nil {
		return nil, err
	}
	res := api.Transform(string(src), api.TransformOptions{
		Loader:           api.LoaderCSS,
		MinifyWhitespace: true,
		MinifySyntax:     true,
		Charset:          api.CharsetUTF8,
		Sourcefile:       "site/web/css/site.css",
		LogLevel:         api.LogLevelSilent,
	})
	// A warning is an error: esbuild warns of what a browser would
	// silently drop (a stray token in the stylesheet swallows the rules
	// after it), which no test of the page sees at once.
	if msgs := append(res.Errors, res.Warnings...); len(msgs) > 0 {
		return nil, esbuildError(msgs)
	}
	return res.Code, nil
}

func esbuildError(msgs []api.Message) error {
	var parts []string
	for _, m := range msgs {
		if l := m.Location; l != nil {
			parts = append(parts, fmt.Sprintf("%s:%d:%d: %s", l.File, l.Line, l.Column+1, m.Text))
		} else {
			parts = append(parts, m.Text)
		}
	}
	return errors.New(strings.Join(parts, "\n"))
}

// buildFrontEnd builds the script bundle and the stylesheet, and reads
// the wasm (which the caller has made sure of).
func buildFrontEnd(root, wasmPath string) (*frontEnd, error) {
	exec, err := wasmExecJS()
	if err != nil {
		return nil, err
	}
	app, err := bundleJS(root)
	if err != nil {
		return nil, err
	}
	css, err := minifyCSS(root)
	if err != nil {
		return nil, err
	}
	early, err := minifyEarly(root)
	if err != nil {
		return nil, err
	}
	embedded, err := minifyScript(root, "embedded.js")
	if err != nil {
		return nil, err
	}
	wasm, err := os.ReadFile(wasmPath)
	if err != nil {
		return nil, err
	}
	explorer, err := os.ReadFile(explorerPath(wasmPath))
	if err != nil {
		return nil, err
	}
	worker, err := minifyScript(root, "explorer-worker.js")
	if err != nil {
		return nil, err
	}
	return &frontEnd{app: afterExec(exec, app), css: css, wasm: wasm, early: early, embedded: embedded,
		explorer: explorer, explorerWorker: afterExec(exec, []byte(worker))}, nil
}

// afterExec is a script that needs Go's wasm_exec.js, after it.
func afterExec(exec, script []byte) []byte {
	b := make([]byte, 0, len(exec)+len(script)+1)
	b = append(b, exec...)
	b = append(b, '\n')
	return append(b, script...)
}

// hashed names a file by its content: name.0123456789.ext, so that hosts
// may cache it forever.
func hashed(name string, content []byte) string {
	sum := sha256.Sum256(content)
	ext := filepath.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}

// newestIn returns the newest modification time of the files under dir.
func newestIn(dir string) time.Time {
	var newest time.Time
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	})
	return newest
}
