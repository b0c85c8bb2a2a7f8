package bridge

import (
	"strings"
	"testing"
)

// The client workload acted through the bridge as the page acts it (the
// Network tab's menu): the snapshot carries its interval, the trace its requests (kind "client"), rates the elections and
// answers over a window as the simulator counts them, the recording the
// lines; client off stops it; an exercise allows it only by its word.
func TestClientThroughTheBridge(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\n")
	decode(t, b.Advance(id, 100))
	if m := decode(t, b.Act(id, "client every 100ms")); m["error"] != nil {
		t.Fatalf("client every 100ms: %v", m)
	}
	decode(t, b.Advance(id, 2000))
	if cl := decode(t, b.Snapshot(id, 1, 10))["client"]; cl != 100.0 {
		t.Fatalf("snapshot's client %v, want every 100", cl)
	}
	kinds := map[string]int{}
	for _, x := range decode(t, b.Events(id, 0))["records"].([]any) {
		r := x.(map[string]any)
		if r["kind"] == "client" {
			kinds[r["what"].(string)]++
			if key := r["say"].(map[string]any)["key"]; key != "client.request" {
				t.Fatalf("a client record says %v", key)
			}
		}
	}
	if kinds["request"] != 20 {
		t.Fatalf("client records %v, want 20 requests", kinds)
	}
	c := b.sessions[id].r.Cluster
	for _, window := range []float64{1, 500, 60_000} {
		m := decode(t, b.Rates(id, window))
		e, a := c.Window(c.Now() - int(window))
		if m["elections"] != float64(e) || m["answered"] != float64(a) || m["span"] != min(window, float64(c.Now())) ||
			m["client"] != true {
			t.Fatalf("rates over %vms: %v, want %d elections and %d answered", window, m, e, a)
		}
	}
	if m := decode(t, b.Rates(id, 60_000)); m["answered"].(float64) < 18 {
		t.Fatalf("rates over a minute: %v, want the client's requests answered", m)
	}
	for _, w := range []float64{-1, 0.5, 2e9} {
		if m := decode(t, b.Rates(id, w)); m["error"] == nil {
			t.Errorf("rates over %v: %v, want an error", w, m)
		}
	}
	if m := decode(t, b.Act(id, "client off")); m["error"] != nil {
		t.Fatalf("client off: %v", m)
	}
	decode(t, b.Advance(id, 1000))
	if cl := decode(t, b.Snapshot(id, 1, 10))["client"]; cl != 0.0 {
		t.Fatalf("after client off: client %v", cl)
	}
	if m := decode(t, b.Rates(id, 100)); m["client"] != true || m["answered"] != 0.0 {
		t.Fatalf("rates over the last 100ms after client off: %v, want a run with a client, nothing answered", m)
	}
	text, _ := decode(t, b.Record(id))["text"].(string)
	if !strings.Contains(text, "client every 100ms\n") || !strings.Contains(text, "client off\n") {
		t.Errorf("recorded:\n%s", text)
	}
	if m := decode(t, b.Act(id, "client every 5ms")); m["error"] == nil {
		t.Errorf("client every 5ms acted: %v", m)
	}

	ex := mustCreate(t, b, "cluster 3\ngoal answered >= 5\nallow rule\n")
	decode(t, b.Advance(ex, 10))
	if m := decode(t, b.Act(ex, "client every 100ms")); m["code"] != "not-allowed" {
		t.Errorf("client acted though the exercise does not allow it: %v", m)
	}
	ex = mustCreate(t, b, "cluster 3\ngoal answered >= 5\nallow client\n")
	decode(t, b.Advance(ex, 10))
	if m := decode(t, b.Act(ex, "client every 100ms")); m["error"] != nil {
		t.Fatalf("client in an exercise that allows it: %v", m)
	}
	for i := 0; i < 20 && decode(t, b.Goal(ex))["solved"] != true; i++ {
		decode(t, b.Advance(ex, 500))
	}
	if g := decode(t, b.Goal(ex)); g["solved"] != true {
		t.Errorf("goal answered >= 5 not reached by a client: %v", g)
	}
}
