package bridge

import (
	"strconv"
	"strings"
	"testing"
)

// No call that runs the cluster does more than MaxEvents events, however
// far it is asked to go: it stops short and says more, and calling again
// goes on from there. (A share link of 13 "run 86400s" lines once froze a
// page for two minutes in one call and then ran out of memory.)
func TestCallsThatRunAreBounded(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 9\nrun 86400s\n")
	events := func() float64 { return decode(t, b.Hash(id))["events"].(float64) }
	last := 0.0
	for i := 0; i < 3; i++ {
		m := decode(t, b.Advance(id, MaxTime))
		if m["more"] != true {
			t.Fatalf("advance %d: no more, at %vms: %v", i, m["time"], m)
		}
		if n := events(); n-last > MaxEvents || n <= last {
			t.Fatalf("advance %d processed %v events (budget %d)", i, n-last, MaxEvents)
		}
		last = events()
	}
	// Seeking past what has been run plays on, within the same budget.
	m := decode(t, b.Seek(id, 80_000_000))
	if m["more"] != true || events()-last > MaxEvents {
		t.Fatalf("seek beyond the horizon: %v, %v events", m, events()-last)
	}
	last = events()
	// A call that can finish says nothing of more.
	id2 := mustCreate(t, b, "cluster 3\n")
	if m := decode(t, b.Advance(id2, 1000)); m["more"] != nil {
		t.Fatalf("a short advance: %v", m)
	}
}

// A long run keeps only its newest history: events say from where the
// trace and the run's history are kept, a cursor before that moves up to
// it, and a seek before it is refused with a clear error.
func TestEventsOfATrimmedTrace(t *testing.T) {
	b := New()
	b.traceLimit = 2000
	id := mustCreate(t, b, "cluster 5\ntimeout S1\nrun until leader S1 within 1s\n")
	decode(t, b.Advance(id, 2000))
	for i := 0; i < 400; i++ {
		decode(t, b.Act(id, "propose c"+strconv.Itoa(i)))
		decode(t, b.Advance(id, 5))
	}
	m := decode(t, b.Events(id, 0))
	start, _ := m["start"].(float64)
	earliest, _ := m["earliest"].(float64)
	if start <= 0 || earliest <= 0 {
		t.Fatalf("no start or earliest in %v", m["start"])
	}
	if recs := m["records"].([]any); len(recs) == 0 || m["cursor"].(float64) != start+float64(len(recs)) {
		t.Fatalf("cursor %v for %d records from %v", m["cursor"], len(recs), start)
	}
	if e := decode(t, b.Seek(id, earliest-1))["error"]; e == nil || !strings.Contains(e.(string), "keeps its history from") {
		t.Fatalf("seek before the earliest moment: %v", e)
	}
	if e := decode(t, b.Seek(id, earliest))["error"]; e != nil {
		t.Fatalf("seek to the earliest moment: %v", e)
	}
}
