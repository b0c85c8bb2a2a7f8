//go:build js && wasm

// Command wasm is the simulator in the browser: it puts one object,
// globalThis.raftplay, on the page, whose functions create clusters from
// scenario text, advance them, act on them, rewind them and describe them.
//
// Every function answers with a plain object: a result, or {error: "..."}.
// Arguments are checked here; whatever the page passes (wrong types, NaN,
// huge numbers, unknown ids, bad scenario text), no call panics the Go
// runtime, which would stop every cluster on the page.
package main

import (
	"errors"
	"math"
	"strconv"

	"github.com/hack-pad/safejs"

	"raftplay/wasm/bridge"
)

func main() {
	b := bridge.New()
	api, err := safejs.ValueOf(map[string]any{})
	if err != nil {
		panic(err)
	}
	for name, fn := range functions(b) {
		f, err := safejs.FuncOf(guard(name, fn))
		if err != nil {
			panic(err)
		}
		if err := api.Set(name, f.Value()); err != nil {
			panic(err)
		}
	}
	_ = api.Set("version", "1")
	global := safejs.Global()
	if err := global.Set("raftplay", api); err != nil {
		panic(err)
	}
	// The page's loader may have left a function to call when ready.
	if ready, err := global.Get("__raftplayReady"); err == nil && ready.Type() == safejs.TypeFunction {
		_, _ = ready.Invoke(api)
	}
	select {}
}

// call is one API function: it gets checked arguments and answers JSON.
type call func(a args) (string, error)

func functions(b *bridge.Bridge) map[string]call {
	return map[string]call{
		"create": func(a args) (string, error) {
			return b.Create(a.str(0, "scenario text", bridge.MaxScriptSize), a.optStr(1, "name", "scenario", maxName)), a.err
		},
		"parse": func(a args) (string, error) {
			return b.Parse(a.str(0, "scenario text", bridge.MaxScriptSize), a.optStr(1, "name", "scenario", maxName)), a.err
		},
		"dispose": func(a args) (string, error) { return b.Dispose(a.int(0, "cluster id")), a.err },
		"advance": func(a args) (string, error) {
			return b.Advance(a.int(0, "cluster id"), a.num(1, "milliseconds")), a.err
		},
		"step": func(a args) (string, error) { return b.Step(a.int(0, "cluster id")), a.err },
		"act": func(a args) (string, error) {
			return b.Act(a.int(0, "cluster id"), a.str(1, "command", maxCommand)), a.err
		},
		"seek": func(a args) (string, error) {
			return b.Seek(a.int(0, "cluster id"), a.num(1, "time")), a.err
		},
		"solve":  func(a args) (string, error) { return b.Solve(a.int(0, "cluster id")), a.err },
		"goal":   func(a args) (string, error) { return b.Goal(a.int(0, "cluster id")), a.err },
		"record": func(a args) (string, error) { return b.Record(a.int(0, "cluster id")), a.err },
		"solution": func(a args) (string, error) {
			return b.Solution(a.int(0, "cluster id")), a.err
		},
		"hash": func(a args) (string, error) { return b.Hash(a.int(0, "cluster id")), a.err },
		"snapshot": func(a args) (string, error) {
			return b.Snapshot(a.int(0, "cluster id"), a.optInt(1, "first log index", 1), a.optInt(2, "last log index", 1<<30)), a.err
		},
		"events": func(a args) (string, error) {
			return b.Events(a.int(0, "cluster id"), a.optInt(1, "cursor", 0)), a.err
		},
		"marks": func(a args) (string, error) {
			return b.Marks(a.int(0, "cluster id"), a.optInt(1, "cursor", 0)), a.err
		},
		"rates": func(a args) (string, error) {
			return b.Rates(a.int(0, "cluster id"), a.num(1, "window")), a.err
		},
		"rules": func(a args) (string, error) { return b.Rules(), nil },
	}
}

// guard turns a call into a JavaScript function that checks its
// arguments, recovers from any panic, and parses the JSON answer into an
// object.
func guard(name string, fn call) func(this safejs.Value, in []safejs.Value) any {
	return func(this safejs.Value, in []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = errorObject("raftplay." + name + ": internal error: " + panicText(r))
			}
		}()
		out, err := fn(args{name: name, in: in})
		if err != nil {
			return errorObject(err.Error())
		}
		return parseJSON(out)
	}
}

// panicText describes a recovered panic's value. The package does without
// fmt, so that only safejs brings it into the wasm (see the README).
func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	case interface{ String() string }:
		return v.String()
	default:
		return "a panic"
	}
}

func errorObject(msg string) any {
	obj, err := safejs.ValueOf(map[string]any{"error": msg})
	if err != nil {
		return nil
	}
	return obj
}

func parseJSON(s string) any {
	jsonObj, err := safejs.Global().Get("JSON")
	if err != nil {
		return errorObject("no JSON object in this JavaScript environment")
	}
	v, err := jsonObj.Call("parse", s)
	if err != nil {
		return errorObject("internal error: bad JSON from the bridge")
	}
	return v
}

// args reads a call's arguments, keeping the first problem in err.
type args struct {
	name string
	in   []safejs.Value
	err  error
}

func (a *args) fail(i int, what, want string) {
	if a.err == nil {
		a.err = errors.New("raftplay." + a.name + ": argument " + strconv.Itoa(i+1) + " (" + what + ") must be " + want)
	}
}

func (a *args) present(i int) bool {
	return i < len(a.in) && !a.in[i].IsUndefined() && !a.in[i].IsNull()
}

// Bounds on the strings a call takes, checked before they are copied
// into Go: a string of a JavaScript length n takes at least n bytes of
// UTF-8, so one longer than the byte limit is refused unread.
const (
	maxName    = 200
	maxCommand = 2000
)

func (a *args) str(i int, what string, maxBytes int) string {
	if !a.present(i) || a.in[i].Type() != safejs.TypeString {
		a.fail(i, what, "a string")
		return ""
	}
	if n, err := jsLength(a.in[i]); err != nil || n > maxBytes {
		a.fail(i, what, "a string of at most "+strconv.Itoa(maxBytes)+" bytes")
		return ""
	}
	s, err := a.in[i].String()
	if err != nil {
		a.fail(i, what, "a string")
	}
	return s
}

// jsLength returns a JavaScript string's length without copying it: Go can
// read the length property of an object only, so of the string's wrapper,
// Object(s).
func jsLength(s safejs.Value) (int, error) {
	object, err := safejs.Global().Get("Object")
	if err != nil {
		return 0, err
	}
	wrapped, err := object.Invoke(s)
	if err != nil {
		return 0, err
	}
	n, err := wrapped.Get("length")
	if err != nil {
		return 0, err
	}
	return n.Int()
}

func (a *args) optStr(i int, what, def string, maxBytes int) string {
	if !a.present(i) {
		return def
	}
	return a.str(i, what, maxBytes)
}

func (a *args) num(i int, what string) float64 {
	if !a.present(i) || a.in[i].Type() != safejs.TypeNumber {
		a.fail(i, what, "a number")
		return 0
	}
	f, err := a.in[i].Float()
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		a.fail(i, what, "a finite number")
		return 0
	}
	return f
}

func (a *args) int(i int, what string) int {
	f := a.num(i, what)
	if a.err == nil && (f != math.Trunc(f) || f < -(1<<40) || f > 1<<40) {
		a.fail(i, what, "a whole number")
		return 0
	}
	return int(f)
}

func (a *args) optInt(i int, what string, def int) int {
	if !a.present(i) {
		return def
	}
	return a.int(i, what)
}
