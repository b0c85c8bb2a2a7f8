package bridge

import (
	"testing"
)

// A negative cursor asks for the trace's last records: after a seek far
// forward the page reads just the tail it shows, in one call, instead of
// everything between where it had read and the new moment.
func TestEventsTail(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 5\ntimeout S1\nrun until leader S1 within 1s\npartition S1 S2 | S3 S4 S5\n")
	// A seek stops where the script ends, and plays on when called again.
	for i := 0; i < 10 && decode(t, b.Seek(id, 30_000))["time"] != float64(30_000); i++ {
	}
	all := decode(t, b.Events(id, 0))
	total := int(all["total"].(float64))
	if total < 400 {
		t.Fatalf("only %d records in 30 s of a partition: the test needs more", total)
	}
	tail := decode(t, b.Events(id, -300))
	recs := tail["records"].([]any)
	if len(recs) != 300 || int(tail["cursor"].(float64)) != total || tail["reset"] != false {
		t.Fatalf("the last 300 of %d records: got %d, cursor %v, reset %v", total, len(recs), tail["cursor"], tail["reset"])
	}
	// They are the same records as read from the start.
	if first, want := recs[0].(map[string]any)["seq"], all["records"].([]any)[total-300].(map[string]any)["seq"]; first != want {
		t.Errorf("the tail starts at record seq %v, want %v", first, want)
	}
	// More than there is: all of it, from the start.
	if m := decode(t, b.Events(id, -(total+50))); len(m["records"].([]any)) != total || m["reset"] != false {
		t.Errorf("a tail longer than the trace: %d records of %d", len(m["records"].([]any)), total)
	}
	// After a seek back, the tail ends at the new moment.
	decode(t, b.Seek(id, 10_000))
	m := decode(t, b.Events(id, -5))
	recs = m["records"].([]any)
	if len(recs) != 5 {
		t.Fatalf("%d records", len(recs))
	}
	if last := recs[4].(map[string]any)["time"].(float64); last > 10_000 {
		t.Errorf("after a seek back to 10 s the tail ends at %v ms", last)
	}
}

// An exercise says how many actions its reference solution takes, for
// the page to set beside the learner's.
func TestReferenceSolutionMoves(t *testing.T) {
	b := New()
	m := decode(t, b.Create("cluster 3\ngoal leader S3\nallow timeout crash\nsolution\ncrash S1\nrun 100ms\ntimeout S3\nrun until leader S3 within 1s\n", "t.raft"))
	ex, _ := m["exercise"].(map[string]any)
	if ex == nil || ex["solutionMoves"] != float64(2) {
		t.Fatalf("solutionMoves: %v", ex)
	}
	m = decode(t, b.Create("cluster 3\ngoal leader\n", "t.raft"))
	if ex := m["exercise"].(map[string]any); ex["solutionMoves"] != float64(0) {
		t.Errorf("an exercise without a solution: solutionMoves %v", ex["solutionMoves"])
	}
}
