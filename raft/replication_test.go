package raft

import (
	"errors"
	"slices"
	"testing"
)

// follower returns S2 of a three-server cluster in term 3 with the given
// log, that has committed (and applied) commit entries and knows S1 as its
// leader. Ready is drained.
func follower(t *testing.T, commit int, logTerms ...int) *Node {
	t.Helper()
	n := newTestNode(t, 2, ids(3), withState(3, 1, logTerms...))
	prevTerm := 0
	if commit > 0 {
		prevTerm = logTerms[commit-1]
	}
	mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: commit, PrevTerm: prevTerm, Commit: commit})
	drain(n)
	if n.Commit() != commit || n.Leader() != 1 {
		t.Fatalf("setup: commit %d leader %v", n.Commit(), n.Leader())
	}
	return n
}

// AppendEntries receiver (Figure 2), steps 2 to 4: the consistency check
// on PrevIndex/PrevTerm, conflict repair, and appending new entries.
func TestAppendEntriesReceiver(t *testing.T) {
	tests := []struct {
		name     string
		log      []int // the follower's log (terms)
		prev     int
		prevTerm int
		entries  []Entry
		// Expected reply: Match on success; hint on rejection.
		reject              bool
		match               int
		hintIndex, hintTerm int
		reason              Reason // of EvAppendRejected
		wantLog             []int
		truncated           []Entry // EvTruncated's entries, if any
		appended            []Entry // EvAppended's entries, if any
	}{
		{name: "append to an empty log",
			entries: entriesOf(1, 1, 1),
			match:   2, wantLog: []int{1, 1}, appended: entriesOf(1, 1, 1)},
		{name: "append after the last entry",
			log: []int{1, 1}, prev: 2, prevTerm: 1, entries: entriesOf(3, 3),
			match: 3, wantLog: []int{1, 1, 3}, appended: entriesOf(3, 3)},
		{name: "heartbeat at the end of the log",
			log: []int{1, 1}, prev: 2, prevTerm: 1,
			match: 2, wantLog: []int{1, 1}},
		{name: "heartbeat in the middle of the log leaves the rest",
			log: []int{1, 1, 2}, prev: 1, prevTerm: 1,
			match: 1, wantLog: []int{1, 1, 2}},
		{name: "no entry at prev",
			log: []int{1, 1}, prev: 5, prevTerm: 3, entries: entriesOf(6, 3),
			reject: true, hintIndex: 3, hintTerm: 0, reason: ReasonMissingPrev, wantLog: []int{1, 1}},
		{name: "no entry at prev, empty log",
			prev: 1, prevTerm: 1,
			reject: true, hintIndex: 1, hintTerm: 0, reason: ReasonMissingPrev},
		{name: "prev has another term: hint is the first index of that term",
			log: []int{1, 2, 2, 2}, prev: 3, prevTerm: 3, entries: entriesOf(4, 3),
			reject: true, hintIndex: 2, hintTerm: 2, reason: ReasonPrevMismatch, wantLog: []int{1, 2, 2, 2}},
		{name: "prev mismatch in the first term of the log",
			log: []int{1, 1, 1}, prev: 3, prevTerm: 2,
			reject: true, hintIndex: 1, hintTerm: 1, reason: ReasonPrevMismatch, wantLog: []int{1, 1, 1}},
		{name: "prev mismatch at the last entry",
			log: []int{1, 1, 2}, prev: 3, prevTerm: 3,
			reject: true, hintIndex: 3, hintTerm: 2, reason: ReasonPrevMismatch, wantLog: []int{1, 1, 2}},
		{name: "conflict: truncate from it and append",
			log: []int{1, 1, 2, 2}, prev: 2, prevTerm: 1, entries: entriesOf(3, 3),
			match: 3, wantLog: []int{1, 1, 3}, truncated: entriesOf(3, 2, 2), appended: entriesOf(3, 3)},
		{name: "conflict after matching entries",
			log: []int{1, 1, 2, 2}, prev: 1, prevTerm: 1, entries: entriesOf(2, 1, 3, 3),
			match: 4, wantLog: []int{1, 1, 3, 3}, truncated: entriesOf(3, 2, 2), appended: entriesOf(3, 3, 3)},
		{name: "conflict at the first new entry",
			log: []int{1, 2, 2}, prev: 1, prevTerm: 1, entries: entriesOf(2, 3),
			match: 2, wantLog: []int{1, 3}, truncated: entriesOf(2, 2, 2), appended: entriesOf(2, 3)},
		{name: "an older, reordered message does not cut entries off",
			log: []int{1, 1, 1, 1}, prev: 1, prevTerm: 1, entries: entriesOf(2, 1),
			match: 2, wantLog: []int{1, 1, 1, 1}},
		{name: "an older message that matches all it carries, from index 1",
			log: []int{1, 1, 3}, entries: entriesOf(1, 1, 1),
			match: 2, wantLog: []int{1, 1, 3}},
		{name: "overlap: only the new part is appended",
			log: []int{1, 1}, prev: 1, prevTerm: 1, entries: entriesOf(2, 1, 1, 3),
			match: 4, wantLog: []int{1, 1, 1, 3}, appended: entriesOf(3, 1, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := follower(t, 0, tt.log...)
			mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: tt.prev, PrevTerm: tt.prevTerm, Entries: tt.entries})
			rd := drain(n)

			want := Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: tt.prev, Match: tt.match}
			if tt.reject {
				want = Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: tt.prev, Reject: true, HintIndex: tt.hintIndex, HintTerm: tt.hintTerm}
			}
			wantMsgs(t, rd.Messages, want)
			wantLog(t, n, tt.wantLog...)

			var kinds []EventKind
			if tt.reject {
				kinds = append(kinds, EvAppendRejected)
				ev := Event{Kind: EvAppendRejected, Node: 2, Term: 3, Role: Follower, Peer: 1, Reason: tt.reason, Index: tt.prev, PrevTerm: tt.prevTerm}
				if tt.reason == ReasonMissingPrev {
					ev.OwnIndex = len(tt.log)
				} else {
					ev.OwnTerm = tt.hintTerm
				}
				wantEvent(t, rd.Events, ev)
			}
			if tt.truncated != nil {
				kinds = append(kinds, EvTruncated)
				first := tt.truncated[0].Index
				wantEvent(t, rd.Events, Event{Kind: EvTruncated, Node: 2, Term: 3, Role: Follower,
					Index: first, Last: len(tt.log), Entries: tt.truncated})
			}
			if tt.appended != nil {
				kinds = append(kinds, EvAppended)
				first := tt.appended[0].Index
				wantEvent(t, rd.Events, Event{Kind: EvAppended, Node: 2, Term: 3, Role: Follower,
					Index: first, Last: first + len(tt.appended) - 1, Entries: tt.appended})
			}
			wantKinds(t, rd.Events, kinds...)

			// Ready asks to persist exactly what changed.
			switch {
			case tt.truncated != nil:
				if first := tt.truncated[0].Index; !slices.Equal(rd.Entries, n.Log(first, n.LastIndex())) || rd.TruncateTo != n.LastIndex() {
					t.Errorf("Ready writes %v truncate=%d, want entries from %d and truncate=%d", rd.Entries, rd.TruncateTo, first, n.LastIndex())
				}
			case tt.appended != nil:
				if !slices.Equal(rd.Entries, tt.appended) || rd.TruncateTo != n.LastIndex() {
					t.Errorf("Ready writes %v truncate=%d, want %v truncate=%d", rd.Entries, rd.TruncateTo, tt.appended, n.LastIndex())
				}
			default:
				if rd.Entries != nil || rd.TruncateTo != -1 {
					t.Errorf("Ready writes %v truncate=%d, want nothing", rd.Entries, rd.TruncateTo)
				}
			}
			if rd.HardStateChanged {
				t.Errorf("hard state changed")
			}
		})
	}
}

// An AppendEntries of an older term is rejected with our term, so that the
// old leader steps down; nothing else changes.
func TestAppendEntriesOfAStaleTermIsRejected(t *testing.T) {
	n := follower(t, 1, 1, 1)
	n.Advance(4)
	mustStep(t, n, Message{Type: MsgApp, From: 3, To: 2, Term: 2, PrevIndex: 2, PrevTerm: 1, Entries: entriesOf(3, 2), Commit: 3})
	rd := drain(n)
	wantKinds(t, rd.Events, EvStaleMessage)
	wantEvent(t, rd.Events, Event{Kind: EvStaleMessage, Node: 2, Term: 3, Role: Follower, Peer: 3, Reason: ReasonStaleTerm})
	wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 2, To: 3, Term: 3, Reject: true, PrevIndex: 2})
	wantLog(t, n, 1, 1)
	wantState(t, n, Follower, 3, 1, 1)
	if n.Commit() != 1 {
		t.Errorf("commit = %d, want 1", n.Commit())
	}
	if start, _ := n.ElectionTimer(); start != 0 {
		t.Errorf("a stale AppendEntries reset the election timer (start %d)", start)
	}
	// The old leader steps down when it reads the reply.
	old := newLeader(t, 3, ids(3), withState(1, None, 1, 1))
	mustStep(t, old, rd.Messages[0])
	rd = drain(old)
	wantEvent(t, rd.Events, Event{Kind: EvBecameFollower, Node: 3, Term: 3, Role: Follower, Reason: ReasonHigherTerm})
	wantState(t, old, Follower, 3, None, None)
}

// Figure 2, AppendEntries receiver step 5: if leaderCommit > commitIndex,
// commitIndex = min(leaderCommit, index of last new entry). It never goes
// down, and what is committed is applied at once.
func TestAppendEntriesAdvancesCommit(t *testing.T) {
	tests := []struct {
		name         string
		log          []int
		commit       int // before
		prev         int
		entries      []Entry
		leaderCommit int
		want         int
	}{
		{"leader commit within the new entries", []int{1}, 0, 1, entriesOf(2, 3, 3), 2, 2},
		{"leader commit past the new entries", []int{1}, 0, 1, entriesOf(2, 3, 3), 9, 3},
		{"heartbeat: no further than prev", []int{1, 1, 1}, 0, 1, nil, 3, 1},
		{"old message: no further than what it carries", []int{1, 1, 1, 1}, 0, 1, entriesOf(2, 1), 4, 2},
		{"leader commit behind ours: unchanged", []int{1, 1, 1}, 3, 3, nil, 1, 3},
		{"leader commit equal to ours: unchanged", []int{1, 1, 1}, 2, 3, nil, 2, 2},
		{"leader commit zero", []int{1, 1}, 0, 2, nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := follower(t, tt.commit, tt.log...)
			mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: tt.prev, PrevTerm: n.Log(tt.prev, tt.prev)[0].Term, Entries: tt.entries, Commit: tt.leaderCommit})
			rd := drain(n)
			if n.Commit() != tt.want || n.Applied() != tt.want {
				t.Fatalf("commit=%d applied=%d, want %d", n.Commit(), n.Applied(), tt.want)
			}
			if tt.want == tt.commit {
				wantNoEvent(t, rd.Events, EvCommitted)
				wantNoEvent(t, rd.Events, EvApplied)
				if rd.CommittedEntries != nil {
					t.Errorf("CommittedEntries = %v, want none", rd.CommittedEntries)
				}
				return
			}
			applied := n.Log(tt.commit+1, tt.want)
			wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 2, Term: 3, Role: Follower, Index: tt.commit + 1, Last: tt.want, Reason: ReasonLeaderCommit})
			wantEvent(t, rd.Events, Event{Kind: EvApplied, Node: 2, Term: 3, Role: Follower, Index: tt.commit + 1, Last: tt.want, Entries: applied})
			if !slices.Equal(rd.CommittedEntries, applied) {
				t.Errorf("CommittedEntries = %v, want %v", rd.CommittedEntries, applied)
			}
		})
	}
}

// With a safety rule off, a follower may have to remove entries it had
// committed: the event says so. Its commitIndex does not go down.
func TestTruncatingCommittedEntriesIsFlagged(t *testing.T) {
	tests := []struct {
		commit    int
		conflict  int // first index that the leader's entries replace
		committed bool
	}{
		{3, 2, true},
		{2, 2, true},
		{1, 2, false},
		{0, 2, false},
	}
	for _, tt := range tests {
		n := follower(t, tt.commit, 1, 1, 1)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: tt.conflict - 1, PrevTerm: 1, Entries: entriesOf(tt.conflict, 2)})
		rd := drain(n)
		wantEvent(t, rd.Events, Event{Kind: EvTruncated, Node: 2, Term: 3, Role: Follower,
			Index: tt.conflict, Last: 3, Committed: tt.committed, Entries: entriesOf(tt.conflict, 1, 1)})
		wantLog(t, n, 1, 2)
		if !slices.Equal(rd.Entries, entriesOf(2, 2)) || rd.TruncateTo != 2 {
			t.Errorf("Ready writes %v truncate=%d, want [2/2] truncate=2", rd.Entries, rd.TruncateTo)
		}
		if n.Commit() != tt.commit {
			t.Errorf("commit = %d, want %d (it never goes down)", n.Commit(), tt.commit)
		}
	}
}

// A valid AppendEntries from the current leader resets the election timer
// (§5.2), even when the consistency check fails.
func TestAppendEntriesResetsTheElectionTimer(t *testing.T) {
	for _, prev := range []int{0, 7} { // accepted, rejected
		n := newTestNode(t, 2, ids(3), withState(1, None))
		n.Advance(testElection - 1)
		mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 1, PrevIndex: prev, PrevTerm: min(prev, 1)})
		drain(n)
		if start, deadline := n.ElectionTimer(); start != testElection-1 || deadline != 2*testElection-1 {
			t.Errorf("prev=%d: ElectionTimer() = %d, %d; want %d, %d", prev, start, deadline, testElection-1, 2*testElection-1)
		}
		if got, _ := ticksUntil(n, EvTimeout, 100); got != testElection {
			t.Errorf("prev=%d: timed out %d ticks after the heartbeat, want %d", prev, got, testElection)
		}
	}
}

// A follower learns its leader from AppendEntries of its term.
func TestFollowerLearnsTheLeaderFromAppendEntries(t *testing.T) {
	n := newTestNode(t, 2, ids(3), withState(4, 3))
	if n.Leader() != None {
		t.Fatalf("leader %v after restart, want none", n.Leader())
	}
	mustStep(t, n, Message{Type: MsgApp, From: 3, To: 2, Term: 4})
	rd := drain(n)
	wantState(t, n, Follower, 4, 3, 3)
	wantKinds(t, rd.Events) // no role change to report
	_, err := n.Propose("x")
	if nl, ok := err.(*NotLeaderError); !ok || nl.Leader != 3 {
		t.Errorf("Propose error %v, want a hint to S3", err)
	}
}

// A leader that hears from another leader of its own term (possible only
// with a safety rule off) defers to it.
func TestLeaderDefersToAnotherLeaderOfItsTerm(t *testing.T) {
	n := newLeader(t, 1, ids(3), withState(1, None, 1))
	mustStep(t, n, Message{Type: MsgApp, From: 3, To: 1, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: entriesOf(2, 2)})
	rd := drain(n)
	wantEvent(t, rd.Events, Event{Kind: EvBecameFollower, Node: 1, Term: 2, Role: Follower, Peer: 3, Reason: ReasonTwoLeaders})
	wantState(t, n, Follower, 2, 1, 3)
	wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 1, To: 3, Term: 2, PrevIndex: 1, Match: 2})
}

// A leader appends a proposal to its own log and sends it at once.
func TestLeaderAppendsAndSendsProposals(t *testing.T) {
	n := newLeader(t, 1, ids(3), withState(1, None, 1))
	idx, err := n.Propose("x")
	if err != nil || idx != 2 {
		t.Fatalf("Propose = %d, %v; want 2, nil", idx, err)
	}
	rd := drain(n)
	x := Entry{Index: 2, Term: 2, Cmd: "x"}
	wantKinds(t, rd.Events, EvAppended, EvProposed)
	wantEvent(t, rd.Events, Event{Kind: EvAppended, Node: 1, Term: 2, Role: Leader, Index: 2, Last: 2, Entries: []Entry{x}})
	wantEvent(t, rd.Events, Event{Kind: EvProposed, Node: 1, Term: 2, Role: Leader, Index: 2})
	if !slices.Equal(rd.Entries, []Entry{x}) || rd.TruncateTo != 2 {
		t.Errorf("Ready writes %v truncate=%d, want [%v] truncate=2", rd.Entries, rd.TruncateTo, x)
	}
	wantMsgs(t, rd.Messages,
		Message{Type: MsgApp, From: 1, To: 2, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: []Entry{x}},
		Message{Type: MsgApp, From: 1, To: 3, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: []Entry{x}})

	// A second proposal before any answer: the followers' nextIndex has not
	// moved, so each gets both entries.
	n.Propose("y")
	rd = drain(n)
	y := Entry{Index: 3, Term: 2, Cmd: "y"}
	wantMsgs(t, rd.Messages,
		Message{Type: MsgApp, From: 1, To: 2, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: []Entry{x, y}},
		Message{Type: MsgApp, From: 1, To: 3, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: []Entry{x, y}})

	// S2 stores both: with the leader that is a majority of three. Entry 1,
	// of term 1, commits with them (indirectly, §5.4.2).
	mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 2, PrevIndex: 1, Match: 3})
	rd = drain(n)
	wantKinds(t, rd.Events, EvCommitted, EvApplied)
	wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 2, Role: Leader, Index: 1, Last: 3, Reason: ReasonMajority})
	all := []Entry{{Index: 1, Term: 1, Cmd: "c1"}, x, y}
	wantEvent(t, rd.Events, Event{Kind: EvApplied, Node: 1, Term: 2, Role: Leader, Index: 1, Last: 3, Entries: all})
	if !slices.Equal(rd.CommittedEntries, all) {
		t.Errorf("CommittedEntries = %v, want %v", rd.CommittedEntries, all)
	}
	wantMsgs(t, rd.Messages) // the commit index travels with the next heartbeat
	if next, match := n.Progress(2); next != 4 || match != 3 {
		t.Errorf("Progress(S2) = %d, %d; want 4, 3", next, match)
	}

	// The next heartbeat tells everyone, and resends to S3 what it lacks.
	n.Advance(testHeartbeat)
	rd = drain(n)
	wantMsgs(t, rd.Messages,
		Message{Type: MsgApp, From: 1, To: 2, Term: 2, PrevIndex: 3, PrevTerm: 2, Commit: 3},
		Message{Type: MsgApp, From: 1, To: 3, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: []Entry{x, y}, Commit: 3})
}

// Propose on a server that is not the leader fails with a hint.
func TestProposeOnANonLeader(t *testing.T) {
	tests := []struct {
		name    string
		n       func(t *testing.T) *Node
		leader  ID
		message string
	}{
		{"follower that knows the leader", func(t *testing.T) *Node { return follower(t, 0) }, 1, "S2 is not the leader (try S1)"},
		{"follower that knows no leader", func(t *testing.T) *Node { return newTestNode(t, 2, ids(3)) }, None, "S2 is not the leader and knows no leader"},
		{"candidate", func(t *testing.T) *Node {
			n := newTestNode(t, 2, ids(3))
			n.Campaign()
			drain(n)
			return n
		}, None, "S2 is not the leader and knows no leader"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.n(t)
			last := n.LastIndex()
			idx, err := n.Propose("x")
			if idx != 0 || err == nil {
				t.Fatalf("Propose = %d, %v; want an error", idx, err)
			}
			var nl *NotLeaderError
			if !errors.As(err, &nl) || nl.Node != 2 || nl.Leader != tt.leader {
				t.Fatalf("error %#v, want *NotLeaderError{Node: S2, Leader: %v}", err, tt.leader)
			}
			if !errors.Is(err, ErrNotLeader) {
				t.Errorf("error does not wrap ErrNotLeader")
			}
			if err.Error() != tt.message {
				t.Errorf("error %q, want %q", err.Error(), tt.message)
			}
			rd := drain(n)
			wantKinds(t, rd.Events, EvProposalRejected)
			wantEvent(t, rd.Events, Event{Kind: EvProposalRejected, Node: 2, Term: n.Term(), Role: n.Role(), Peer: tt.leader})
			wantMsgs(t, rd.Messages)
			if n.LastIndex() != last || rd.Entries != nil {
				t.Errorf("the log changed")
			}
		})
	}
}

// A leader commits an entry once a majority stores it; an ack below what
// it already knows changes nothing.
func TestLeaderCommitsOnAMajority(t *testing.T) {
	n := newLeader(t, 1, ids(5))
	n.Propose("x")
	n.Propose("y")
	drain(n)
	ack := func(from ID, match int) {
		mustStep(t, n, Message{Type: MsgAppResp, From: from, To: 1, Term: 1, Match: match})
	}
	ack(2, 2)
	if rd := drain(n); n.Commit() != 0 || len(rd.Events) != 0 {
		t.Fatalf("commit %d with 2 of 5: %v", n.Commit(), rd.Events)
	}
	ack(3, 1)
	rd := drain(n)
	if n.Commit() != 1 {
		t.Fatalf("commit = %d, want 1", n.Commit())
	}
	wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 1, Role: Leader, Index: 1, Last: 1, Reason: ReasonMajority})
	ack(2, 1) // stale: S2 already acknowledged 2
	if next, match := n.Progress(2); next != 3 || match != 2 {
		t.Errorf("Progress(S2) = %d, %d after a stale ack; want 3, 2", next, match)
	}
	ack(4, 2)
	rd = drain(n)
	if n.Commit() != 2 {
		t.Fatalf("commit = %d, want 2", n.Commit())
	}
	wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 1, Role: Leader, Index: 2, Last: 2, Reason: ReasonMajority})
	if !slices.Equal(rd.CommittedEntries, []Entry{{Index: 2, Term: 1, Cmd: "y"}}) {
		t.Errorf("CommittedEntries = %v", rd.CommittedEntries)
	}
}

// §5.4.2: a leader does not count replicas of entries from earlier terms;
// they commit once an entry of its own term does. With current-term-commit
// off it counts them, which Figure 8 shows to be unsafe.
func TestLeaderCommitOfEarlierTermEntries(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run("current-term-commit="+onOff(on), func(t *testing.T) {
			n := newLeader(t, 1, ids(5), withState(2, None, 1, 2), withRule(CurrentTermCommit, on))
			mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: 2, Match: 2})
			if rd := drain(n); len(rd.Events) != 0 {
				t.Fatalf("2 of 5: %v", rd.Events)
			}
			mustStep(t, n, Message{Type: MsgAppResp, From: 3, To: 1, Term: 3, PrevIndex: 2, Match: 2})
			rd := drain(n)
			if !on {
				wantKinds(t, rd.Events, EvCommitted, EvApplied)
				wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 3, Role: Leader, Index: 1, Last: 2, Reason: ReasonMajorityAnyTerm})
				if n.Commit() != 2 {
					t.Errorf("commit = %d, want 2", n.Commit())
				}
				return
			}
			wantKinds(t, rd.Events, EvCommitHeld)
			wantEvent(t, rd.Events, Event{Kind: EvCommitHeld, Node: 1, Term: 3, Role: Leader, Index: 2, EntryTerm: 2})
			if n.Commit() != 0 {
				t.Fatalf("commit = %d, want 0", n.Commit())
			}
			// Held once: another replica does not repeat the event.
			mustStep(t, n, Message{Type: MsgAppResp, From: 4, To: 1, Term: 3, PrevIndex: 2, Match: 2})
			if rd := drain(n); len(rd.Events) != 0 {
				t.Errorf("held again: %v", rd.Events)
			}
			// An entry of term 3 on a majority commits everything before it.
			n.Propose("x")
			drain(n)
			mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: 2, Match: 3})
			mustStep(t, n, Message{Type: MsgAppResp, From: 3, To: 1, Term: 3, PrevIndex: 2, Match: 3})
			rd = drain(n)
			wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 3, Role: Leader, Index: 1, Last: 3, Reason: ReasonMajority})
			if got := termsOf(rd.CommittedEntries); !slices.Equal(got, []int{1, 2, 3}) {
				t.Errorf("committed entries of terms %v, want [1 2 3]", got)
			}
		})
	}
}

// §8: with leader-noop on, a new leader appends an empty entry of its term,
// so that earlier entries commit without waiting for a client.
func TestLeaderNoopAppendsAnEntryOfTheNewTerm(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run("leader-noop="+onOff(on), func(t *testing.T) {
			n := newTestNode(t, 1, ids(3), withState(2, None, 1, 2), withRule(LeaderNoop, on))
			n.Campaign()
			mustStep(t, n, Message{Type: MsgVoteResp, From: 3, To: 1, Term: 3})
			rd := drain(n)
			noop := Entry{Index: 3, Term: 3, Noop: true}
			if on {
				wantKinds(t, rd.Events, EvBecameCandidate, EvVoteReceived, EvBecameLeader, EvAppended)
				wantEvent(t, rd.Events, Event{Kind: EvAppended, Node: 1, Term: 3, Role: Leader, Index: 3, Last: 3, Entries: []Entry{noop}})
				if !slices.Equal(rd.Entries, []Entry{noop}) {
					t.Errorf("Ready writes %v, want [%v]", rd.Entries, noop)
				}
				wantMsgs(t, msgsOf(rd.Messages, MsgApp),
					Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 2, Entries: []Entry{noop}},
					Message{Type: MsgApp, From: 1, To: 3, Term: 3, PrevIndex: 2, PrevTerm: 2, Entries: []Entry{noop}})
			} else {
				wantKinds(t, rd.Events, EvBecameCandidate, EvVoteReceived, EvBecameLeader)
				wantMsgs(t, msgsOf(rd.Messages, MsgApp),
					Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 2, PrevTerm: 2},
					Message{Type: MsgApp, From: 1, To: 3, Term: 3, PrevIndex: 2, PrevTerm: 2})
			}
			mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: 2, Match: n.LastIndex()})
			rd = drain(n)
			if on {
				wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 3, Role: Leader, Index: 1, Last: 3, Reason: ReasonMajority})
			} else {
				wantKinds(t, rd.Events, EvCommitHeld)
				if n.Commit() != 0 {
					t.Errorf("commit = %d without a noop, want 0", n.Commit())
				}
			}
		})
	}
}

// The Figure 7 leader (log 1 1 1 4 4 5 5 6 6 6, term 8) backs up a
// follower's nextIndex after a rejection, using the follower's hint with
// fast-backtrack on (§5.3), one entry at a time with it off, and resends at
// once.
func TestLeaderBacksUpOnRejection(t *testing.T) {
	leaderLog := []int{1, 1, 1, 4, 4, 5, 5, 6, 6, 6}
	tests := []struct {
		name                string
		fast                bool
		match               int // S2's matchIndex before the rejection
		hintIndex, hintTerm int
		wantNext            int
		reason              Reason
	}{
		{"follower log too short: jump to its end", true, 0, 7, 0, 7, ReasonHint},
		{"conflicting term the leader has: past its last entry of it", true, 0, 4, 4, 6, ReasonHint},
		{"conflicting term the leader lacks: to the first index of it", true, 0, 7, 3, 7, ReasonHint},
		{"conflicting term at the start of the log", true, 0, 1, 1, 4, ReasonHint},
		{"a hint past nextIndex still backs up one", true, 0, 20, 0, 10, ReasonHint},
		{"no hint (a refusal of an older request): back to the start", true, 0, 0, 0, 1, ReasonNoHint},
		{"never below matchIndex+1", true, 3, 1, 0, 4, ReasonHint},
		{"fast-backtrack off: one step, hint ignored", false, 0, 7, 0, 10, ReasonOneStep},
		{"fast-backtrack off, term hint ignored", false, 0, 4, 4, 10, ReasonOneStep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newLeader(t, 1, ids(3), withState(7, None, leaderLog...), withRule(FastBacktrack, tt.fast))
			if tt.match > 0 {
				mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 8, Match: tt.match})
				drain(n)
			}
			if next, _ := n.Progress(2); next != 11 {
				t.Fatalf("setup: next = %d, want 11", next)
			}
			mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 8, PrevIndex: 10, Reject: true, HintIndex: tt.hintIndex, HintTerm: tt.hintTerm})
			rd := drain(n)
			wantKinds(t, rd.Events, EvBackedUp)
			wantEvent(t, rd.Events, Event{Kind: EvBackedUp, Node: 1, Term: 8, Role: Leader, Peer: 2, Index: tt.wantNext, Last: 11, Reason: tt.reason})
			prev := tt.wantNext - 1
			prevTerm := 0
			if prev > 0 {
				prevTerm = leaderLog[prev-1]
			}
			wantMsgs(t, rd.Messages, Message{Type: MsgApp, From: 1, To: 2, Term: 8, PrevIndex: prev, PrevTerm: prevTerm,
				Entries: entriesOf(tt.wantNext, leaderLog[prev:]...)})
			if next, match := n.Progress(2); next != tt.wantNext || match != tt.match {
				t.Errorf("Progress(S2) = %d, %d; want %d, %d", next, match, tt.wantNext, tt.match)
			}
		})
	}
}

// A rejection that answers an AppendEntries sent before nextIndex last
// moved (its PrevIndex is not nextIndex-1) is ignored.
func TestLeaderIgnoresStaleRejections(t *testing.T) {
	n := newLeader(t, 1, ids(3), withState(2, None, 1, 1, 2, 2))
	reject := func(prev, hint int) {
		mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, PrevIndex: prev, Reject: true, HintIndex: hint})
	}
	reject(4, 3)
	if next, _ := n.Progress(2); next != 3 {
		t.Fatalf("next = %d after the first rejection, want 3", next)
	}
	drain(n)
	for _, prev := range []int{4, 3, 1, 0} { // a duplicate, then answers to messages never sent
		reject(prev, 1)
		if rd := drain(n); len(rd.Events) != 0 || len(rd.Messages) != 0 {
			t.Errorf("stale rejection (prev %d) acted on: %+v", prev, rd)
		}
		if next, _ := n.Progress(2); next != 3 {
			t.Errorf("next = %d after a stale rejection, want 3", next)
		}
	}
	reject(2, 1) // answers the current probe
	if next, _ := n.Progress(2); next != 1 {
		t.Errorf("next = %d, want 1", next)
	}
}

// The leader sends a heartbeat round every Heartbeat ticks: an empty
// AppendEntries to an up-to-date follower, the missing entries to others.
func TestLeaderSendsHeartbeatsEveryInterval(t *testing.T) {
	n := newLeader(t, 1, ids(3), withHeartbeat(4), withState(1, None, 1))
	mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 2, PrevIndex: 1, Match: 1})
	// S3 lacks entry 1; its answers to what follows are lost.
	mustStep(t, n, Message{Type: MsgAppResp, From: 3, To: 1, Term: 2, PrevIndex: 1, Reject: true, HintIndex: 1})
	drain(n)
	rounds := 0
	for tick := 1; tick <= 40; tick++ {
		if got, want := n.UntilTimer(), 4-(tick-1)%4; got != want {
			t.Fatalf("tick %d: UntilTimer() = %d, want %d", tick, got, want)
		}
		n.Tick()
		rd := drain(n)
		if tick%4 != 0 {
			wantMsgs(t, rd.Messages)
			continue
		}
		rounds++
		wantMsgs(t, rd.Messages,
			Message{Type: MsgApp, From: 1, To: 2, Term: 2, PrevIndex: 1, PrevTerm: 1},
			Message{Type: MsgApp, From: 1, To: 3, Term: 2, PrevIndex: 0, PrevTerm: 0, Entries: logOf(1)})
		if len(rd.Events) != 0 {
			t.Errorf("tick %d: events %v", tick, rd.Events)
		}
		if start, deadline := n.ElectionTimer(); start != 0 || deadline != 0 {
			t.Errorf("a leader reports an election timer %d..%d", start, deadline)
		}
	}
	if rounds != 10 {
		t.Errorf("%d heartbeat rounds in 40 ticks, want 10", rounds)
	}
	if n.Role() != Leader {
		t.Errorf("leader stepped down without check-quorum")
	}
}

// One AppendEntries carries at most MaxEntries entries (64 by default); on
// each success the leader sends the next batch at once.
func TestLeaderSendsLongLogsInBatches(t *testing.T) {
	tests := []struct {
		max, batch int
	}{
		{0, 64},
		{-3, 64},
		{10, 10},
		{1, 1},
	}
	for _, tt := range tests {
		terms := make([]int, 100)
		for i := range terms {
			terms[i] = 1
		}
		n := newLeader(t, 1, ids(3), withState(1, None, terms...), withMaxEntries(tt.max))
		mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 2, PrevIndex: 100, Reject: true, HintIndex: 1})
		match := 0
		for steps := 0; match < 100; steps++ {
			rd := drain(n)
			if len(rd.Messages) != 1 {
				t.Fatalf("max=%d: after match %d sent:\n%s", tt.max, match, fmtMsgs(rd.Messages))
			}
			m := rd.Messages[0]
			want := min(tt.batch, 100-match)
			if m.PrevIndex != match || len(m.Entries) != want {
				t.Fatalf("max=%d: sent prev=%d with %d entries, want prev=%d with %d", tt.max, m.PrevIndex, len(m.Entries), match, want)
			}
			match += len(m.Entries)
			mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 2, PrevIndex: m.PrevIndex, Match: match})
		}
		if rd := drain(n); len(rd.Messages) != 0 {
			t.Errorf("max=%d: sent more once caught up:\n%s", tt.max, fmtMsgs(rd.Messages))
		}
	}
}

// A success that claims to match past the end of the leader's log is
// refused: within its term a leader's log only grows, so no follower can.
// (Trusting it made the leader commit entries it lacks, and panic with
// current-term-commit off.)
func TestLeaderRefusesAMatchPastItsLog(t *testing.T) {
	for _, ctc := range []bool{true, false} {
		n := newLeader(t, 1, ids(3), withRule(CurrentTermCommit, ctc))
		for _, from := range []ID{2, 3} {
			err := n.Step(Message{Type: MsgAppResp, From: from, To: 1, Term: 1, Match: 5})
			want := "raft: AppendEntriesResp from " + from.String() + " claims to match index 5, past the leader's log (0)"
			if err == nil || err.Error() != want {
				t.Errorf("current-term-commit=%v: error %v, want %q", ctc, err, want)
			}
		}
		if rd := drain(n); len(rd.Events) != 0 || len(rd.Messages) != 0 {
			t.Errorf("a refused response produced output: %+v", rd)
		}
		for _, cmd := range []string{"a", "b", "c"} {
			n.Propose(cmd)
		}
		if n.Commit() != 0 {
			t.Errorf("current-term-commit=%v: committed %d entries that only the leader stores", ctc, n.Commit())
		}
		if next, match := n.Progress(2); next != 1 || match != 0 {
			t.Errorf("Progress(S2) = %d, %d; want 1, 0", next, match)
		}
	}
	// The same claim is not checked against a follower's own log: it is a
	// response it ignores anyway; nor in another term, where it is stale.
	f := follower(t, 0)
	mustStep(t, f, Message{Type: MsgAppResp, From: 3, To: 2, Term: 3, Match: 5})
	l := newLeader(t, 1, ids(3), withState(3, None))
	mustStep(t, l, Message{Type: MsgAppResp, From: 2, To: 1, Term: 2, Match: 5})
}

// Responses to AppendEntries count only on the leader.
func TestAppendResponsesAreIgnoredUnlessLeader(t *testing.T) {
	n := follower(t, 0, 1)
	mustStep(t, n, Message{Type: MsgAppResp, From: 3, To: 2, Term: 3, Reject: true, PrevIndex: 0})
	mustStep(t, n, Message{Type: MsgAppResp, From: 3, To: 2, Term: 3, Match: 1})
	if rd := drain(n); len(rd.Events) != 0 || len(rd.Messages) != 0 {
		t.Errorf("a follower acted on AppendEntries responses: %+v", rd)
	}
}

// Figure 7: a new leader brings every follower's log in line with its own,
// whatever it held, and backs up quickly with the hint.
func TestLeaderRepairsTheLogsOfFigure7(t *testing.T) {
	leaderLog := []int{1, 1, 1, 4, 4, 5, 5, 6, 6, 6}
	followers := map[ID]struct {
		term int
		log  []int
	}{
		2: {6, []int{1, 1, 1, 4, 4, 5, 5, 6, 6}},          // (a)
		3: {4, []int{1, 1, 1, 4}},                         // (b)
		4: {6, []int{1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}},    // (c)
		5: {7, []int{1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}}, // (d)
		6: {4, []int{1, 1, 1, 4, 4, 4, 4}},                // (e)
		7: {3, []int{1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}},    // (f)
	}
	for _, fast := range []bool{true, false} {
		t.Run("fast-backtrack="+onOff(fast), func(t *testing.T) {
			c := &cluster{t: t, nodes: map[ID]*Node{}}
			c.nodes[1] = newTestNode(t, 1, ids(7), withState(7, None, leaderLog...), withRule(FastBacktrack, fast))
			for id, f := range followers {
				c.nodes[id] = newTestNode(t, id, ids(7), withState(f.term, None, f.log...), withRule(FastBacktrack, fast))
			}
			leader := c.nodes[1]
			leader.Campaign()
			backups := 0
			var denied []ID
			c.deliverWatching(func(id ID, rd Ready) {
				if id == 1 {
					backups += len(eventsOf(rd.Events, EvBackedUp))
				}
				for _, e := range eventsOf(rd.Events, EvVoteDenied) {
					denied = append(denied, e.Node)
				}
			})
			if leader.Role() != Leader || leader.Term() != 8 {
				t.Fatalf("S1 is %v of term %d", leader.Role(), leader.Term())
			}
			slices.Sort(denied)
			if !slices.Equal(denied, []ID{4, 5}) {
				t.Errorf("votes denied by %v, want (c) and (d): S4, S5", denied)
			}
			wantBackups := 19
			if fast {
				wantBackups = 6
			}
			if backups != wantBackups {
				t.Errorf("nextIndex backed up %d times, want %d", backups, wantBackups)
			}
			leader.Propose("x")
			c.deliver()
			leader.Advance(testHeartbeat)
			c.deliver()
			want := append(slices.Clone(leaderLog), 8)
			for _, id := range ids(7) {
				n := c.nodes[id]
				if got := termsOf(n.Log(1, n.LastIndex())); !slices.Equal(got, want) {
					t.Errorf("%v log %v, want %v", id, got, want)
				}
				if n.Commit() != 11 {
					t.Errorf("%v commit %d, want 11", id, n.Commit())
				}
			}
		})
	}
}

// deliverWatching is deliver, showing each node's Ready to watch.
func (c *cluster) deliverWatching(watch func(ID, Ready)) {
	c.t.Helper()
	for _, id := range ids(len(c.nodes)) {
		rd := drain(c.nodes[id])
		watch(id, rd)
		c.queue = append(c.queue, rd.Messages...)
	}
	for steps := 0; len(c.queue) > 0; steps++ {
		if steps > 10000 {
			c.t.Fatalf("network did not settle")
		}
		m := c.queue[0]
		c.queue = c.queue[1:]
		mustStep(c.t, c.nodes[m.To], m)
		rd := drain(c.nodes[m.To])
		watch(m.To, rd)
		c.queue = append(c.queue, rd.Messages...)
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}
