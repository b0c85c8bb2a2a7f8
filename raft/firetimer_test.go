package raft

import "testing"

// Timers fired by hand, for a driver that holds the clock still (the
// simulator's manual network).

// FireElectionTimer is the election timer running out now, without the
// clock: what the timer would do (§5.2), with pre-vote first under that
// rule, and nothing on a leader, which has no election timer.
func TestFireElectionTimerRunsItOutNow(t *testing.T) {
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
func TestFireHeartbeatRunsTheLeadersOutNow(t *testing.T) {
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
