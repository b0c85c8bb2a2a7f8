package raft

import "testing"

// A new election timeout range redraws nothing: the timer running keeps
// its deadline, and the next draw (here, the election it starts) uses the
// new range.
func TestNewElectionTimeoutAppliesAtTheNextDraw(t *testing.T) {
	n := newTestNode(t, 1, ids(3))
	n.Advance(3)
	if err := n.SetElectionTimeout(40, 40); err != nil {
		t.Fatal(err)
	}
	if got, _ := ticksUntil(n, EvTimeout, 100); got != testElection-3 {
		t.Fatalf("timed out %d ticks after the change, want %d (the deadline drawn before it)", got, testElection-3)
	}
	if got, _ := ticksUntil(n, EvTimeout, 100); got != 40 {
		t.Errorf("the candidate's next timeout came after %d ticks, want 40 (the new range)", got)
	}
	if lo, hi := n.ElectionTimeout(); lo != 40 || hi != 40 {
		t.Errorf("ElectionTimeout() = %d-%d, want 40-40", lo, hi)
	}
}

// Check-quorum measures the time since a majority last answered against
// the minimum in force: a longer minimum set on a running leader delays
// its stepping down, a shorter one brings it forward (at once if it has
// already passed).
func TestCheckQuorumUsesTheCurrentMinimum(t *testing.T) {
	t.Run("longer", func(t *testing.T) {
		n := newLeader(t, 1, ids(3), withRule(CheckQuorum, true))
		n.Advance(2)
		if err := n.SetElectionTimeout(30, 60); err != nil {
			t.Fatal(err)
		}
		if got, _ := ticksUntil(n, EvBecameFollower, 100); got != 30-2 {
			t.Errorf("stepped down %d ticks after the change, want %d (30 since the last answers)", got, 30-2)
		}
	})
	t.Run("after an answer", func(t *testing.T) {
		n := newLeader(t, 1, ids(3), withRule(CheckQuorum, true))
		if err := n.SetElectionTimeout(30, 60); err != nil {
			t.Fatal(err)
		}
		n.Advance(20)
		mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: n.Term()})
		drain(n)
		if got, _ := ticksUntil(n, EvBecameFollower, 100); got != 30 {
			t.Errorf("stepped down %d ticks after a majority's last answer, want 30 (the new minimum)", got)
		}
	})
	t.Run("shorter, already passed", func(t *testing.T) {
		n := newLeader(t, 1, ids(3), withRule(CheckQuorum, true))
		n.Advance(testElection - 2)
		drain(n)
		if n.Role() != Leader {
			t.Fatalf("stepped down before the election timeout passed")
		}
		if err := n.SetElectionTimeout(3, 6); err != nil {
			t.Fatal(err)
		}
		if got, _ := ticksUntil(n, EvBecameFollower, 100); got != 1 {
			t.Errorf("stepped down %d ticks after the change, want 1 (the new minimum had passed)", got)
		}
	})
}

// Pre-vote's "heard from a leader within the minimum election timeout"
// compares with the minimum in force when the pre-vote arrives.
func TestPreVoteLeaderAliveUsesTheCurrentMinimum(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withRule(PreVote, true))
	mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: 1})
	drain(n)
	n.Advance(8) // under the minimum of 10: the leader is alive
	ask := Message{Type: MsgPreVote, From: 3, To: 1, Term: 2}
	mustStep(t, n, ask)
	if rd := drain(n); len(eventsOf(rd.Events, EvVoteDenied)) != 1 || eventsOf(rd.Events, EvVoteDenied)[0].Reason != ReasonLeaderAlive {
		t.Fatalf("with a minimum of 10, 8 ticks after the leader: want a denial (leader alive), got %v", rd.Events)
	}
	if err := n.SetElectionTimeout(5, 10); err != nil {
		t.Fatal(err)
	}
	mustStep(t, n, ask)
	if rd := drain(n); len(eventsOf(rd.Events, EvVoteGranted)) != 1 {
		t.Fatalf("with a minimum of 5, 8 ticks after the leader: want the pre-vote granted, got %v", rd.Events)
	}
}

func TestSetElectionTimeoutRefusesABadRange(t *testing.T) {
	n := newTestNode(t, 1, ids(3))
	for _, r := range [][2]int{{0, 10}, {-1, 5}, {20, 10}} {
		if err := n.SetElectionTimeout(r[0], r[1]); err == nil {
			t.Errorf("SetElectionTimeout(%d, %d) accepted", r[0], r[1])
		}
	}
	if lo, hi := n.ElectionTimeout(); lo != testElection || hi != testElection {
		t.Errorf("a refused range changed the range to %d-%d", lo, hi)
	}
}
