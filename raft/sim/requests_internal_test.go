package sim

import (
	"slices"
	"testing"

	"raftplay/raft"
)

// A checkpoint's copy of the requests does not change as the run goes on:
// neither the records it shares nor the list of those still waiting.
func TestRequestsCloneIsIndependent(t *testing.T) {
	var r requests
	for i, to := range []raft.ID{1, 2, 1} {
		r.send(10*i, "c", to)
		r.observe(10*i, &raft.Event{Kind: raft.EvProposed, Node: to, Index: i + 1, Term: 1})
	}
	cp := r.clone()
	r.observe(50, &raft.Event{Kind: raft.EvApplied, Node: 1, Entries: []raft.Entry{{Index: 1, Term: 1}}})
	r.crashed(2, 60)
	r.send(70, "d", 3)
	r.observe(70, &raft.Event{Kind: raft.EvProposalRejected, Node: 3, Peer: 1})
	for i, want := range []RequestState{RequestWaiting, RequestWaiting, RequestWaiting} {
		if q := cp.current(i); q.State != want || q.Done != 0 {
			t.Fatalf("the copy's request %d: %+v", i, q)
		}
	}
	if len(cp.sent) != 3 || !slices.Equal(cp.waiting, []int{0, 1, 2}) {
		t.Fatalf("the copy has %d requests, waiting %v", len(cp.sent), cp.waiting)
	}
	for i, want := range []RequestState{RequestAnswered, RequestUnanswered, RequestWaiting, RequestRedirected} {
		if q := r.current(i); q.State != want {
			t.Fatalf("request %d: %+v, want %v", i, q, want)
		}
	}
}
