package raft

import "testing"

// Figure 2 restarts a server's election timer on three inputs only: an
// AppendEntries from the current leader, granting a vote, and starting an
// election. These tests take each input that could plausibly restart it,
// seven ticks into a ten-tick timeout, and check when the server times
// out: on its original deadline (3 ticks later) or a whole timeout later.
func TestElectionTimerRestartsOnlyAsFigure2Says(t *testing.T) {
	const (
		elapsed = 7
		kept    = testElection - elapsed // the original deadline
		fresh   = testElection           // a restarted timer
	)
	follower := func(t *testing.T) *Node {
		// Term 1, voted for no one, log [1 1].
		return newTestNode(t, 1, ids(3), withState(1, None, 1, 1))
	}
	candidate := func(t *testing.T) *Node {
		n := newTestNode(t, 1, ids(3), withState(1, None, 1, 1))
		n.Campaign() // term 2, timer restarted
		drain(n)
		return n
	}
	tests := []struct {
		name  string
		start func(*testing.T) *Node
		input Message
		role  Role // after the input
		want  int  // ticks from the input to the timeout
	}{
		{
			"follower denies a newer term's candidate whose log is behind",
			follower, Message{Type: MsgVote, From: 2, To: 1, Term: 5, LastIndex: 1, LastTerm: 1},
			Follower, kept,
		},
		{
			"follower grants a newer term's candidate",
			follower, Message{Type: MsgVote, From: 2, To: 1, Term: 5, LastIndex: 2, LastTerm: 1},
			Follower, fresh,
		},
		{
			"follower sees a newer term in a response",
			follower, Message{Type: MsgAppResp, From: 2, To: 1, Term: 5, Reject: true},
			Follower, kept,
		},
		{
			"follower gets AppendEntries from a newer term's leader",
			follower, Message{Type: MsgApp, From: 2, To: 1, Term: 5, PrevIndex: 2, PrevTerm: 1},
			Follower, fresh,
		},
		{
			"follower gets AppendEntries from its term's leader",
			follower, Message{Type: MsgApp, From: 2, To: 1, Term: 1, PrevIndex: 2, PrevTerm: 1},
			Follower, fresh,
		},
		{
			"follower refuses a stale AppendEntries",
			follower, Message{Type: MsgApp, From: 2, To: 1, Term: 0},
			Follower, kept,
		},
		{
			"follower grants a pre-vote",
			follower, Message{Type: MsgPreVote, From: 2, To: 1, Term: 2, LastIndex: 2, LastTerm: 1},
			Follower, kept,
		},
		{
			"candidate steps down to a newer term and denies the vote",
			candidate, Message{Type: MsgVote, From: 2, To: 1, Term: 5, LastIndex: 1, LastTerm: 1},
			Follower, kept,
		},
		{
			"candidate steps down on a newer term's vote denial",
			candidate, Message{Type: MsgVoteResp, From: 2, To: 1, Term: 5, Reject: true},
			Follower, kept,
		},
		{
			"candidate learns of its term's leader",
			candidate, Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevIndex: 2, PrevTerm: 1},
			Follower, fresh,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.start(t)
			n.Advance(elapsed)
			if rd := drain(n); len(eventsOf(rd.Events, EvTimeout)) > 0 {
				t.Fatalf("timed out before the input")
			}
			mustStep(t, n, tt.input)
			rd := drain(n)
			if n.Role() != tt.role {
				t.Fatalf("role %v after the input, want %v: %v", n.Role(), tt.role, rd.Events)
			}
			if got, _ := ticksUntil(n, EvTimeout, 100); got != tt.want {
				t.Errorf("timed out %d ticks after the input, want %d (%s)", got, tt.want,
					map[bool]string{true: "the original deadline", false: "a restarted timer"}[tt.want == kept])
			}
		})
	}
}

// A leader has no election timer. When it steps down, for a newer term or
// because check-quorum found no majority, it draws a fresh one: a whole
// timeout from that moment.
func TestDeposedLeaderDrawsAFreshElectionTimer(t *testing.T) {
	t.Run("newer term", func(t *testing.T) {
		n := newLeader(t, 1, ids(3))
		n.Advance(25) // long past any deadline drawn before it led
		drain(n)
		mustStep(t, n, Message{Type: MsgVoteResp, From: 2, To: 1, Term: n.Term() + 1, Reject: true})
		wantState(t, n, Follower, 2, None, None)
		drain(n)
		if got, _ := ticksUntil(n, EvTimeout, 100); got != testElection {
			t.Errorf("timed out %d ticks after stepping down, want %d", got, testElection)
		}
	})
	t.Run("check-quorum", func(t *testing.T) {
		n := newLeader(t, 1, ids(3), withRule(CheckQuorum, true))
		got, rd := ticksUntil(n, EvBecameFollower, 100)
		if got != testElection {
			t.Fatalf("stepped down at tick %d, want %d: %v", got, testElection, rd.Events)
		}
		if len(eventsOf(rd.Events, EvTimeout)) > 0 {
			t.Fatalf("timed out as it stepped down, on a deadline from before it led: %v", rd.Events)
		}
		if got, _ := ticksUntil(n, EvTimeout, 100); got != testElection {
			t.Errorf("timed out %d ticks after stepping down, want %d", got, testElection)
		}
	})
}

// The consequence that matters: a follower whose log is more up to date
// than a stream of hopeless candidates' is not held off by them. Each
// candidate raises the term and is denied, and the follower still times
// out on its first deadline and can win.
func TestDenyingHopelessCandidatesDoesNotDelayATimeout(t *testing.T) {
	n := newTestNode(t, 1, ids(5), withState(1, None, 1, 1, 1))
	for i := 0; i < 3; i++ {
		n.Advance(3)
		mustStep(t, n, Message{Type: MsgVote, From: ID(2 + i), To: 1, Term: 2 + i, LastIndex: 1, LastTerm: 1})
		rd := drain(n)
		if len(eventsOf(rd.Events, EvVoteDenied)) != 1 {
			t.Fatalf("request %d: want one denial, got %v", i, rd.Events)
		}
	}
	// 9 ticks have passed; the first deadline is at 10.
	if got, _ := ticksUntil(n, EvTimeout, 100); got != 1 {
		t.Errorf("timed out %d ticks after the last denial, want 1 (the deadline drawn at start)", got)
	}
}

// Firing a timer by hand does what its deadline coming does, at once: the
// same messages, events and durable state, with or without pre-vote; the
// next heartbeat falls an interval after the one fired. A timer that the
// node's role does not have fires nothing.
func TestFiringATimerNowIsItsDeadlineComing(t *testing.T) {
	same := func(t *testing.T, n *Node, fire func(*Node)) {
		t.Helper()
		byClock, byHand := n.Clone(), n.Clone()
		byClock.Advance(byClock.UntilTimer())
		fire(byHand)
		want, got := drain(byClock), drain(byHand)
		if isEmptyReady(want) || !sameReady(got, want) {
			t.Fatalf("fired by hand:\n%s\n%s\nby the clock:\n%s\n%s", fmtMsgs(got.Messages), fmtEvents(got.Events),
				fmtMsgs(want.Messages), fmtEvents(want.Events))
		}
		if byHand.Role() != byClock.Role() || byHand.Term() != byClock.Term() {
			t.Fatalf("fired by hand: %v of term %d; by the clock: %v of term %d", byHand.Role(), byHand.Term(), byClock.Role(), byClock.Term())
		}
	}
	t.Run("follower", func(t *testing.T) {
		same(t, newTestNode(t, 1, ids(3), withState(1, None, 1)), (*Node).FireElectionTimer)
	})
	t.Run("follower with prevote", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3), withRule(PreVote, true))
		same(t, n, (*Node).FireElectionTimer)
	})
	t.Run("candidate", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3))
		n.Campaign()
		drain(n)
		same(t, n, (*Node).FireElectionTimer)
	})
	t.Run("leader heartbeat", func(t *testing.T) {
		n := newLeader(t, 1, ids(3))
		same(t, n, (*Node).FireHeartbeat)
		n.Advance(1)
		n.FireHeartbeat()
		if got := n.UntilTimer(); got != testHeartbeat {
			t.Errorf("next heartbeat in %d ticks, want %d", got, testHeartbeat)
		}
	})
	t.Run("timers a role lacks", func(t *testing.T) {
		leader := newLeader(t, 1, ids(3))
		leader.FireElectionTimer()
		follower := newTestNode(t, 2, ids(3))
		follower.FireHeartbeat()
		for _, n := range []*Node{leader, follower} {
			if rd := drain(n); !isEmptyReady(rd) {
				t.Errorf("%v %v fired a timer it does not have: %s", n.Role(), n.ID(), fmtEvents(rd.Events))
			}
		}
	})
}
