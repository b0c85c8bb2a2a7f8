package bridge

import (
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
	// Running until something that never happens stops too.
	id2 := mustCreate(t, b, "cluster 3\n")
	m = decode(t, b.Until(id2, "violation", MaxTime))
	if m["held"] != false || m["more"] != true {
		t.Fatalf("until a violation: %v", m)
	}
	// A call that can finish says nothing of more.
	if m := decode(t, b.Advance(id2, 1000)); m["more"] != nil {
		t.Fatalf("a short advance: %v", m)
	}
}
