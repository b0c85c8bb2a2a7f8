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

// FireElectionTimer is the election timer running out now, without the clock: what
// the timer would do (§5.2), with pre-vote first under that rule, and
// nothing on a leader, which has no election timer.
func TestTimeoutFiresTheElectionTimerNow(t *testing.T) {
	t.Run("follower", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3))
		n.FireElectionTimer()
		rd := drain(n)
		wantKinds(t, rd.Events, EvTimeout, EvBecameCandidate)
		wantState(t, n, Candidate, 1, 1, None)
		if len(msgsOf(rd.Messages, MsgVote)) != 2 {
			t.Errorf("want a RequestVote to each of 2 peers: %v", fmtMsgs(rd.Messages))
		}
		if got, _ := ticksUntil(n, EvTimeout, 100); got != testElection {
			t.Errorf("the next timeout came %d ticks later, want a fresh %d", got, testElection)
		}
	})
	t.Run("prevote", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3), withRule(PreVote, true))
		n.FireElectionTimer()
		rd := drain(n)
		wantKinds(t, rd.Events, EvTimeout, EvBecamePreCandidate)
		wantState(t, n, PreCandidate, 0, None, None)
		if len(msgsOf(rd.Messages, MsgPreVote)) != 2 {
			t.Errorf("want a PreVote to each of 2 peers: %v", fmtMsgs(rd.Messages))
		}
	})
	t.Run("leader", func(t *testing.T) {
		n := newLeader(t, 1, ids(3))
		n.FireElectionTimer()
		if n.HasReady() || n.Role() != Leader {
			t.Errorf("a leader's election timer fired: role %v, %v", n.Role(), n.Ready().Events)
		}
	})
}

// FireHeartbeat is the leader's heartbeat timer running out now: AppendEntries
// to every follower, and the next heartbeat a whole interval later.
func TestHeartbeatFiresTheLeadersHeartbeatNow(t *testing.T) {
	n := newLeader(t, 1, ids(3))
	n.Advance(testHeartbeat - 1)
	drain(n)
	n.FireHeartbeat()
	rd := drain(n)
	if got := msgsOf(rd.Messages, MsgApp); len(got) != 2 || !got[0].IsHeartbeat() {
		t.Errorf("want a heartbeat to each of 2 followers: %v", fmtMsgs(rd.Messages))
	}
	if got := n.UntilTimer(); got != testHeartbeat {
		t.Errorf("next heartbeat in %d ticks, want a whole interval, %d", got, testHeartbeat)
	}
	f := newTestNode(t, 2, ids(3))
	if f.FireHeartbeat(); f.HasReady() {
		t.Error("a follower's heartbeat fired")
	}
}

// RestartTimers gives a node whose timers were held still whole new ones
// from now, and fires none of them, however overdue.
func TestRestartTimersStartsThemAfresh(t *testing.T) {
	f := newTestNode(t, 1, ids(3))
	f.Sync(testElection) // due now
	f.RestartTimers()
	if f.HasReady() {
		t.Errorf("restarting the timers did something: %v", f.Ready().Events)
	}
	if got := f.UntilTimer(); got != testElection {
		t.Errorf("follower: timer due in %d ticks, want %d", got, testElection)
	}
	l := newLeader(t, 1, ids(3), withRule(CheckQuorum, true))
	l.Sync(testHeartbeat)
	l.RestartTimers()
	if got := l.UntilTimer(); got != testHeartbeat {
		t.Errorf("leader: heartbeat due in %d ticks, want %d", got, testHeartbeat)
	}
}
