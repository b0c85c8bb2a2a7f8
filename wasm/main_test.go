//go:build js && wasm

package main

import (
	"math"
	"strings"
	"testing"

	"github.com/hack-pad/safejs"

	"raftplay/wasm/bridge"
)

// callJS calls an API function the way the page does, through guard.
func callJS(t *testing.T, fns map[string]call, name string, in ...any) safejs.Value {
	t.Helper()
	var vals []safejs.Value
	for _, x := range in {
		v, err := safejs.ValueOf(x)
		if err != nil {
			t.Fatalf("ValueOf(%v): %v", x, err)
		}
		vals = append(vals, v)
	}
	out := guard(name, fns[name])(safejs.Undefined(), vals)
	v, ok := out.(safejs.Value)
	if !ok {
		t.Fatalf("%s: answer is %T, not a JavaScript value", name, out)
	}
	return v
}

func errorOf(t *testing.T, v safejs.Value) string {
	t.Helper()
	e, err := v.Get("error")
	if err != nil || e.Type() != safejs.TypeString {
		return ""
	}
	s, _ := e.String()
	return s
}

// Whatever the page passes, every function answers, with an error that
// says what was wrong, and nothing panics (a recovered panic would show
// as "internal error").
func TestBadArgumentsNeverPanic(t *testing.T) {
	fns := functions(bridge.New())
	obj := map[string]any{"a": 1}
	arr := []any{1, 2}
	bad := [][]any{
		{},
		{nil},
		{true},
		{obj},
		{arr},
		{math.NaN()},
		{math.Inf(1)},
		{-1},
		{1e300},
		{0.5},
		{"text"},
		{1, "x", "y", "z", obj},
		{1, math.NaN(), math.Inf(-1)},
		{strings.Repeat("x", 300_000)},
		{1, strings.Repeat("crash S1 ", 500)},
	}
	for name := range fns {
		for _, in := range bad {
			v := callJS(t, fns, name, in...)
			if e := errorOf(t, v); strings.Contains(e, "internal error") {
				t.Errorf("%s%v: %s", name, in, e)
			}
		}
	}
	// Well-typed calls on unknown clusters say so.
	if e := errorOf(t, callJS(t, fns, "snapshot", 12345)); !strings.Contains(e, "no cluster 12345") {
		t.Errorf("snapshot of an unknown cluster: %q", e)
	}
	if e := errorOf(t, callJS(t, fns, "advance", "1", 10)); !strings.Contains(e, "argument 1 (cluster id) must be a number") {
		t.Errorf("advance with a string id: %q", e)
	}
}

// A string too long for its argument is refused before it is copied into
// Go (once, an 805 MB string took 13.5 s to copy before being refused).
func TestLongStringsAreRefusedUnread(t *testing.T) {
	fns := functions(bridge.New())
	huge := strings.Repeat("x", bridge.MaxScriptSize+1)
	for _, c := range []struct {
		name string
		in   []any
		want string
	}{
		{"create", []any{huge}, "argument 1 (scenario text) must be a string of at most"},
		{"parse", []any{"cluster 3", huge}, "argument 2 (name) must be a string of at most"},
		{"act", []any{1, huge}, "argument 2 (command) must be a string of at most"},
	} {
		if e := errorOf(t, callJS(t, fns, c.name, c.in...)); !strings.Contains(e, c.want) {
			t.Errorf("%s: %q, want %q", c.name, e, c.want)
		}
	}
}

func TestCreateAndSnapshotAsObjects(t *testing.T) {
	fns := functions(bridge.New())
	v := callJS(t, fns, "create", "cluster 5\ntimeout S1\nrun until leader S1 within 1s\n", "t.raft")
	if e := errorOf(t, v); e != "" {
		t.Fatal(e)
	}
	idv, _ := v.Get("id")
	id, _ := idv.Int()
	callJS(t, fns, "advance", id, 1000)
	sn := callJS(t, fns, "snapshot", id, 1, 200)
	leader, _ := sn.Get("leader")
	if n, _ := leader.Int(); n != 1 {
		t.Errorf("leader %d", n)
	}
	servers, _ := sn.Get("servers")
	if n, _ := servers.Length(); n != 5 {
		t.Errorf("%d servers", n)
	}
}

// BenchmarkSnapshotObject measures what the page pays per frame: a
// snapshot of 5 servers (logs limited to a 200-index window) made in Go,
// crossing into JavaScript and parsed into a ready object.
func BenchmarkSnapshotObject(b *testing.B) {
	br := bridge.New()
	fns := functions(br)
	t := &testing.T{}
	v := callJS(t, fns, "create", "cluster 5\ntimeout S1\nrun until leader S1 within 1s\n", "t.raft")
	idv, _ := v.Get("id")
	id, _ := idv.Int()
	callJS(t, fns, "advance", id, 1000)
	for i := 0; i < 300; i++ {
		callJS(t, fns, "act", id, "propose c"+itoa(i))
		callJS(t, fns, "advance", id, 3)
	}
	callJS(t, fns, "advance", id, 500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sn := callJS(t, fns, "snapshot", id, 101, 300)
		if servers, _ := sn.Get("servers"); servers.IsUndefined() {
			b.Fatal("no servers")
		}
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}
