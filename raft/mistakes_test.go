package raft

import "testing"

// The implementation mistakes (rules of KindMistake): with each rule on
// the node does what Figure 2 says and reports no mistake; with it off it
// makes the mistake, and says so with EvMistake, only where the mistake
// changes what it does.

// mistakeFollower is S2 of a cluster of k in term 3, with the given log
// and S1 as its leader, with rule r on or off. Ready is drained.
func mistakeFollower(t *testing.T, k int, r Rule, on bool, logTerms ...int) *Node {
	t.Helper()
	return newTestNode(t, 2, ids(k), withState(3, None, logTerms...), withRule(r, on))
}

func mistakes(evs []Event) []Event { return eventsOf(evs, EvMistake) }

func TestHeartbeatCheck(t *testing.T) {
	// The leader believes S2 holds its entry 4 (term 3); S2 holds two
	// entries of term 1. A heartbeat with leaderCommit 4 arrives.
	hb := Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 4, PrevTerm: 3, Commit: 4}
	t.Run("on: the heartbeat is checked and rejected", func(t *testing.T) {
		n := mistakeFollower(t, 3, HeartbeatCheck, true, 1, 1)
		mustStep(t, n, hb)
		rd := drain(n)
		wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, Reject: true, PrevIndex: 4, HintIndex: 3})
		wantNoEvent(t, rd.Events, EvMistake)
		if n.Commit() != 0 {
			t.Errorf("commit = %d, want 0", n.Commit())
		}
	})
	t.Run("off: accepted unchecked, success claimed, own entries committed", func(t *testing.T) {
		n := mistakeFollower(t, 3, HeartbeatCheck, false, 1, 1)
		mustStep(t, n, hb)
		rd := drain(n)
		wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: 4, Match: 4})
		wantEvent(t, rd.Events, Event{Kind: EvMistake, Rule: HeartbeatCheck, Node: 2, Term: 3, Role: Follower, Peer: 1,
			Index: 4, Last: 4, PrevTerm: 3, OwnIndex: 2})
		if n.Commit() != 2 {
			t.Errorf("commit = %d, want 2 (as far as its log goes)", n.Commit())
		}
	})
	t.Run("off: a heartbeat that would pass the check is no mistake", func(t *testing.T) {
		n := mistakeFollower(t, 3, HeartbeatCheck, false, 1, 1)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 1, Commit: 1})
		rd := drain(n)
		wantNoEvent(t, rd.Events, EvMistake)
		wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: 2, Match: 2})
	})
	t.Run("off: entries are still checked", func(t *testing.T) {
		n := mistakeFollower(t, 3, HeartbeatCheck, false, 1, 1)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 4, PrevTerm: 3, Commit: 4, Entries: entriesOf(5, 3)})
		rd := drain(n)
		wantNoEvent(t, rd.Events, EvMistake)
		if ms := msgsOf(rd.Messages, MsgAppResp); len(ms) != 1 || !ms[0].Reject {
			t.Errorf("replies %s, want one rejection", fmtMsgs(rd.Messages))
		}
	})
}

func TestTruncateOnConflict(t *testing.T) {
	// S2 acknowledged entries 3 and 4 of term 3; the leader's older
	// AppendEntries with entry 3 alone arrives late.
	late := Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 1, Entries: entriesOf(3, 3)}
	t.Run("on: matching entries are kept", func(t *testing.T) {
		n := mistakeFollower(t, 3, TruncateOnConflict, true, 1, 1, 3, 3)
		mustStep(t, n, late)
		rd := drain(n)
		wantLog(t, n, 1, 1, 3, 3)
		wantNoEvent(t, rd.Events, EvTruncated)
		wantNoEvent(t, rd.Events, EvMistake)
	})
	t.Run("off: everything after prevLogIndex goes", func(t *testing.T) {
		n := mistakeFollower(t, 3, TruncateOnConflict, false, 1, 1, 3, 3)
		mustStep(t, n, late)
		rd := drain(n)
		wantLog(t, n, 1, 1, 3)
		wantEvent(t, rd.Events, Event{Kind: EvMistake, Rule: TruncateOnConflict, Node: 2, Term: 3, Role: Follower, Peer: 1, Index: 3, Last: 4})
		if len(eventsOf(rd.Events, EvTruncated)) != 1 {
			t.Errorf("want one truncation, got events:\n%s", fmtEvents(rd.Events))
		}
	})
	t.Run("off: a real conflict at the first entry is no mistake", func(t *testing.T) {
		n := mistakeFollower(t, 3, TruncateOnConflict, false, 1, 1, 2, 2)
		mustStep(t, n, late)
		rd := drain(n)
		wantLog(t, n, 1, 1, 3)
		wantNoEvent(t, rd.Events, EvMistake)
	})
	t.Run("off: a heartbeat in the middle of the log takes the rest", func(t *testing.T) {
		n := mistakeFollower(t, 3, TruncateOnConflict, false, 1, 1, 3)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 1})
		rd := drain(n)
		wantLog(t, n, 1, 1)
		if len(mistakes(rd.Events)) != 1 {
			t.Errorf("want one mistake, got events:\n%s", fmtEvents(rd.Events))
		}
	})
}

func TestCommitMatched(t *testing.T) {
	// S2's log ends in two entries of term 2 that the leader of term 3
	// does not have; an AppendEntries that matches up to index 2 says
	// leaderCommit is 4 (the leader's own entries 3 and 4, of term 3).
	m := Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 1, Commit: 4}
	t.Run("on: commit only what the message matched", func(t *testing.T) {
		n := mistakeFollower(t, 3, CommitMatched, true, 1, 1, 2, 2)
		mustStep(t, n, m)
		rd := drain(n)
		if n.Commit() != 2 {
			t.Errorf("commit = %d, want 2", n.Commit())
		}
		wantNoEvent(t, rd.Events, EvMistake)
	})
	t.Run("off: the stale tail is committed", func(t *testing.T) {
		n := mistakeFollower(t, 3, CommitMatched, false, 1, 1, 2, 2)
		mustStep(t, n, m)
		rd := drain(n)
		if n.Commit() != 4 {
			t.Errorf("commit = %d, want 4", n.Commit())
		}
		wantEvent(t, rd.Events, Event{Kind: EvMistake, Rule: CommitMatched, Node: 2, Term: 3, Role: Follower, Peer: 1, Index: 3, Last: 4})
	})
	t.Run("off: no mistake when the message covers the commit", func(t *testing.T) {
		n := mistakeFollower(t, 3, CommitMatched, false, 1, 1, 2, 2)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 1, Commit: 3, Entries: entriesOf(3, 3, 3)})
		rd := drain(n)
		wantNoEvent(t, rd.Events, EvMistake)
		wantLog(t, n, 1, 1, 3, 3)
		if n.Commit() != 3 {
			t.Errorf("commit = %d, want 3", n.Commit())
		}
	})
}

func TestCheckReplies(t *testing.T) {
	// S1 leads term 3 with a log of two entries of term 1, and has just
	// appended c at index 3. S2 answers the election's heartbeat, which
	// matched up to index 2.
	setup := func(t *testing.T, on bool) *Node {
		n := newLeader(t, 1, ids(3), withState(2, None, 1, 1), withRule(CheckReplies, on))
		if _, err := n.Propose("c"); err != nil {
			t.Fatal(err)
		}
		drain(n)
		return n
	}
	reply := Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: 2, Match: 2}
	t.Run("on: matchIndex from the request answered", func(t *testing.T) {
		n := setup(t, true)
		mustStep(t, n, reply)
		rd := drain(n)
		if _, match := n.Progress(2); match != 2 || n.Commit() != 0 {
			t.Errorf("match %d commit %d, want 2 and 0", match, n.Commit())
		}
		wantNoEvent(t, rd.Events, EvMistake)
	})
	t.Run("off: matchIndex from the leader's log, and c commits on one copy", func(t *testing.T) {
		n := setup(t, false)
		mustStep(t, n, reply)
		rd := drain(n)
		if _, match := n.Progress(2); match != 3 || n.Commit() != 3 {
			t.Errorf("match %d commit %d, want 3 and 3", match, n.Commit())
		}
		wantEvent(t, rd.Events, Event{Kind: EvMistake, Rule: CheckReplies, Node: 1, Term: 3, Role: Leader, Peer: 2, Index: 3, Last: 3})
	})
	stale := Message{Type: MsgAppResp, From: 2, To: 1, Term: 2, PrevIndex: 1, Match: 1}
	t.Run("on: a reply of an older term is ignored", func(t *testing.T) {
		n := setup(t, true)
		mustStep(t, n, stale)
		rd := drain(n)
		wantKinds(t, rd.Events, EvStaleMessage)
		if _, match := n.Progress(2); match != 0 {
			t.Errorf("match %d, want 0", match)
		}
	})
	t.Run("off: a reply of an older term is taken as current", func(t *testing.T) {
		n := setup(t, false)
		mustStep(t, n, stale)
		rd := drain(n)
		wantEvent(t, rd.Events, Event{Kind: EvMistake, Rule: CheckReplies, Node: 1, Term: 3, Role: Leader, Peer: 2, Reason: ReasonStaleTerm, Asked: 2})
		if _, match := n.Progress(2); match != 3 {
			t.Errorf("match %d, want 3", match)
		}
	})
}

func TestCompareLastTerm(t *testing.T) {
	tests := []struct {
		name                 string
		on                   bool
		candIndex, candTerm  int
		granted, mistakeMade bool
		reason               Reason
	}{
		// S2's log: 1 1 3. A longer log ending in term 2 is less up to
		// date (§5.4.1); a shorter one ending in term 4 is more.
		{"on: longer but older last term is denied", true, 5, 2, false, false, ReasonLogOlderTerm},
		{"off: longer but older last term is granted", false, 5, 2, true, true, ReasonUpToDate},
		{"on: shorter but newer last term is granted", true, 2, 4, true, false, ReasonUpToDate},
		{"off: shorter but newer last term is denied", false, 2, 4, false, true, ReasonLogShorter},
		{"off: same last term, lengths decide as the rule does", false, 2, 3, false, false, ReasonLogShorter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mistakeFollower(t, 3, CompareLastTerm, tt.on, 1, 1, 3)
			mustStep(t, n, Message{Type: MsgVote, From: 1, To: 2, Term: 5, LastIndex: tt.candIndex, LastTerm: tt.candTerm})
			rd := drain(n)
			kind := EvVoteDenied
			if tt.granted {
				kind = EvVoteGranted
			}
			wantEvent(t, rd.Events, Event{Kind: kind, Node: 2, Term: 5, Role: Follower, Peer: 1, Reason: tt.reason,
				CandIndex: tt.candIndex, CandTerm: tt.candTerm, OwnIndex: 3, OwnTerm: 3})
			if got := len(mistakes(rd.Events)); got != map[bool]int{false: 0, true: 1}[tt.mistakeMade] {
				t.Errorf("%d mistakes, want mistake=%v; events:\n%s", got, tt.mistakeMade, fmtEvents(rd.Events))
			}
		})
	}
	t.Run("off: no mistake reported when the vote is already cast", func(t *testing.T) {
		n := newTestNode(t, 2, ids(3), withState(5, 3, 1, 1, 3), withRule(CompareLastTerm, false))
		mustStep(t, n, Message{Type: MsgVote, From: 1, To: 2, Term: 5, LastIndex: 5, LastTerm: 2})
		rd := drain(n)
		wantNoEvent(t, rd.Events, EvMistake)
		wantNoEvent(t, rd.Events, EvVoteGranted)
	})
}

func TestStrictTimerReset(t *testing.T) {
	// S2 has waited 30 ticks of its election timeout when a vote request
	// arrives from a candidate whose log is behind, and then a stale
	// AppendEntries: Figure 2 restarts the timer for neither.
	for _, on := range []bool{true, false} {
		n := newTestNode(t, 2, ids(3), withState(3, None, 1, 1, 3), withRule(StrictTimerReset, on), withTimeouts(100, 100))
		n.Advance(30)
		start, deadline := n.ElectionTimer()
		mustStep(t, n, Message{Type: MsgVote, From: 3, To: 2, Term: 4, LastIndex: 1, LastTerm: 1})
		rd := drain(n)
		s2, d2 := n.ElectionTimer()
		restarted := s2 != start || d2 != deadline
		if restarted == on {
			t.Errorf("strict-timer-reset=%v: after a denied vote request the timer went from %d..%d to %d..%d", on, start, deadline, s2, d2)
		}
		if got := len(mistakes(rd.Events)); got != map[bool]int{true: 0, false: 1}[on] {
			t.Errorf("strict-timer-reset=%v: %d mistakes; events:\n%s", on, got, fmtEvents(rd.Events))
		}
		n.Advance(5)
		start, deadline = n.ElectionTimer()
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 3, PrevTerm: 3})
		rd = drain(n)
		s2, d2 = n.ElectionTimer()
		if restarted := s2 != start || d2 != deadline; restarted == on {
			t.Errorf("strict-timer-reset=%v: after a stale AppendEntries the timer went from %d..%d to %d..%d", on, start, deadline, s2, d2)
		}
		wantEvent(t, rd.Events, Event{Kind: EvStaleMessage, Node: 2, Term: 4, Role: Follower, Peer: 1, Reason: ReasonStaleTerm})
		// The current leader's AppendEntries restarts it either way, and
		// that is no mistake.
		n.Advance(5)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 4, PrevIndex: 3, PrevTerm: 3})
		rd = drain(n)
		if s, _ := n.ElectionTimer(); s != n.Now() {
			t.Errorf("strict-timer-reset=%v: the leader's AppendEntries did not restart the timer", on)
		}
		wantNoEvent(t, rd.Events, EvMistake)
	}
}

func TestKeepVote(t *testing.T) {
	// S2 voted for S3 in term 3; S1 won the term (it needs three of five)
	// and its AppendEntries arrives; then S4's vote request of term 3,
	// delayed, arrives.
	for _, on := range []bool{true, false} {
		n := newTestNode(t, 2, ids(5), withState(3, 3, 1), withRule(KeepVote, on))
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 1, PrevTerm: 1})
		rd := drain(n)
		if on {
			wantState(t, n, Follower, 3, 3, 1)
			wantNoEvent(t, rd.Events, EvMistake)
		} else {
			wantState(t, n, Follower, 3, None, 1)
			wantEvent(t, rd.Events, Event{Kind: EvMistake, Rule: KeepVote, Node: 2, Term: 3, Role: Follower, Peer: 1, Voted: 3})
			if !rd.HardStateChanged {
				t.Errorf("keep-vote=off: the cleared vote was not handed out to persist")
			}
		}
		mustStep(t, n, Message{Type: MsgVote, From: 4, To: 2, Term: 3, LastIndex: 1, LastTerm: 1})
		rd = drain(n)
		granted := len(eventsOf(rd.Events, EvVoteGranted)) == 1
		if granted == on {
			t.Errorf("keep-vote=%v: a second vote in term 3 granted=%v", on, granted)
		}
	}
}
