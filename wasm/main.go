//go:build js && wasm

// Command wasm is the simulator in the browser: it puts one object,
// globalThis.raftplay, on the page, whose functions create clusters from
// scenario text, advance them, act on them, rewind them and describe them.
//
// Every function answers with a plain object: a result, or {error: "..."}.
// Arguments are checked here; whatever the page passes (wrong types, NaN,
// huge numbers, unknown ids, bad scenario text), no call panics the Go
// runtime, which would stop every cluster on the page.
//
// It uses syscall/js itself, each call guarded by a recover, and no
// wrapper package: the one it used (safejs) brought fmt, reflect and os
// into the wasm for its error messages, a sixth of the binary.
package main

import (
	"errors"
	"math"
	"strconv"
	"syscall/js"

	"raftplay/wasm/bridge"
)

func main() {
	b := bridge.New()
	global := js.Global()
	api := global.Get("Object").New()
	for name, fn := range functions(b) {
		api.Set(name, js.FuncOf(guard(name, fn)))
	}
	api.Set("version", "1")
	global.Set("raftplay", api)
	// The page's loader may have left a function to call when ready. A
	// throw in it is the page's problem, not a reason to stop.
	func() {
		defer func() { _ = recover() }()
		if ready := global.Get("__raftplayReady"); ready.Type() == js.TypeFunction {
			ready.Invoke(api)
		}
	}()
	select {}
}

// call is one API function: it gets checked arguments and answers JSON.
type call func(a args) (string, error)

func functions(b *bridge.Bridge) map[string]call {
	return map[string]call{
		"create": func(a args) (string, error) {
			return b.Create(a.str(0, "scenario text"), a.optStr(1, "name", "scenario")), a.err
		},
		"parse": func(a args) (string, error) {
			return b.Parse(a.str(0, "scenario text"), a.optStr(1, "name", "scenario")), a.err
		},
		"dispose": func(a args) (string, error) { return b.Dispose(a.int(0, "cluster id")), a.err },
		"advance": func(a args) (string, error) {
			return b.Advance(a.int(0, "cluster id"), a.num(1, "milliseconds")), a.err
		},
		"step": func(a args) (string, error) { return b.Step(a.int(0, "cluster id")), a.err },
		"until": func(a args) (string, error) {
			return b.Until(a.int(0, "cluster id"), a.str(1, "condition"), a.num(2, "time limit")), a.err
		},
		"act": func(a args) (string, error) {
			return b.Act(a.int(0, "cluster id"), a.str(1, "command")), a.err
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
		"rules":      func(a args) (string, error) { return b.Rules(), nil },
		"invariants": func(a args) (string, error) { return b.Invariants(), nil },
	}
}

// guard turns a call into a JavaScript function that checks its
// arguments, recovers from any panic (a JavaScript exception inside a
// syscall/js call is one too), and parses the JSON answer into an object.
func guard(name string, fn call) func(this js.Value, in []js.Value) any {
	return func(this js.Value, in []js.Value) (result any) {
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
// fmt, which would add a sixth to the wasm (see the README).
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

// errorObject is {error: msg}; nil if even that cannot be made.
func errorObject(msg string) (obj any) {
	defer func() {
		if recover() != nil {
			obj = nil
		}
	}()
	o := js.Global().Get("Object").New()
	o.Set("error", msg)
	return o
}

// parseJSON turns the bridge's JSON answer into a JavaScript object.
func parseJSON(s string) (v any) {
	defer func() {
		if recover() != nil {
			v = errorObject("internal error: bad JSON from the bridge")
		}
	}()
	return js.Global().Get("JSON").Call("parse", s)
}

// args reads a call's arguments, keeping the first problem in err.
type args struct {
	name string
	in   []js.Value
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

func (a *args) str(i int, what string) string {
	if !a.present(i) || a.in[i].Type() != js.TypeString {
		a.fail(i, what, "a string")
		return ""
	}
	return a.in[i].String()
}

func (a *args) optStr(i int, what, def string) string {
	if !a.present(i) {
		return def
	}
	return a.str(i, what)
}

func (a *args) num(i int, what string) float64 {
	if !a.present(i) || a.in[i].Type() != js.TypeNumber {
		a.fail(i, what, "a number")
		return 0
	}
	f := a.in[i].Float()
	if math.IsNaN(f) || math.IsInf(f, 0) {
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
