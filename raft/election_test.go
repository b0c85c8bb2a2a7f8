package raft

import (
	"slices"
	"testing"
)

// §5.2: a follower that hears nothing for an election timeout starts an
// election. Each timer is drawn from [ElectionMin, ElectionMax], or is
// exactly ElectionMin with randomized-timeouts off.
func TestFollowerTimeoutIsDrawnFromTheRange(t *testing.T) {
	tests := []struct {
		name       string
		lo, hi     int
		randomized bool
		wantAll    []int // every value in the range must occur
	}{
		{"randomized", 10, 20, true, []int{10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}},
		{"randomized, one-value range", 7, 7, true, []int{7}},
		{"randomized-timeouts off", 10, 20, false, []int{10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[int]int{}
			for seed := range uint64(4) {
				n := newTestNode(t, 1, ids(3), withTimeouts(tt.lo, tt.hi), withSeed(seed),
					withRule(RandomizedTimeouts, tt.randomized))
				// The first timer is the follower's; after that, each timeout
				// starts a new election and draws again.
				for range 100 {
					start, deadline := n.ElectionTimer()
					role, term := n.Role(), n.Term()
					if start != n.Now() {
						t.Fatalf("timer started at %d, now is %d", start, n.Now())
					}
					got, rd := ticksUntil(n, EvTimeout, tt.hi+1)
					if got != deadline-start {
						t.Fatalf("timed out after %d ticks, ElectionTimer said %d", got, deadline-start)
					}
					if got < tt.lo || got > tt.hi {
						t.Fatalf("timed out after %d ticks, want %d..%d", got, tt.lo, tt.hi)
					}
					wantEvent(t, rd.Events, Event{Kind: EvTimeout, Node: 1, Term: term, Role: role, Reason: ReasonElectionTimeout})
					seen[got]++
				}
			}
			var values []int
			for v := range seen {
				values = append(values, v)
			}
			slices.Sort(values)
			if !slices.Equal(values, tt.wantAll) {
				t.Errorf("timeouts drawn: %v, want exactly %v", values, tt.wantAll)
			}
		})
	}
}

// The same seed gives the same timers: runs are reproducible.
func TestTimeoutsAreReproducibleFromTheSeed(t *testing.T) {
	draws := func(seed uint64) []int {
		n := newTestNode(t, 2, ids(3), withTimeouts(10, 50), withSeed(seed))
		var out []int
		for range 20 {
			got, _ := ticksUntil(n, EvTimeout, 60)
			out = append(out, got)
		}
		return out
	}
	a, b, c := draws(5), draws(5), draws(6)
	if !slices.Equal(a, b) {
		t.Errorf("seed 5 gave %v then %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 5 and 6 gave the same timers %v", a)
	}
}

// On timeout a follower becomes a candidate: term+1, votes for itself,
// RequestVote with its last entry to every other server (§5.2, §5.4.1).
func TestTimeoutStartsAnElection(t *testing.T) {
	n := newTestNode(t, 2, ids(5), withState(2, 1, 1, 1, 2))
	for i := 1; i < testElection; i++ {
		n.Tick()
		if n.HasReady() {
			t.Fatalf("tick %d: unexpected output: %+v", i, drain(n))
		}
	}
	n.Tick()
	rd := drain(n)
	wantKinds(t, rd.Events, EvTimeout, EvBecameCandidate)
	wantEvent(t, rd.Events, Event{Kind: EvTimeout, Node: 2, Term: 2, Role: Follower, Reason: ReasonElectionTimeout})
	wantEvent(t, rd.Events, Event{Kind: EvBecameCandidate, Node: 2, Term: 3, Role: Candidate, Reason: ReasonElectionTimeout})
	wantState(t, n, Candidate, 3, 2, None)
	if !rd.HardStateChanged || rd.HardState != (HardState{Term: 3, Vote: 2}) {
		t.Errorf("hard state %v changed=%v, want term=3 vote=S2 changed", rd.HardState, rd.HardStateChanged)
	}
	var want []Message
	for _, p := range []ID{1, 3, 4, 5} {
		want = append(want, Message{Type: MsgVote, From: 2, To: p, Term: 3, LastIndex: 3, LastTerm: 2})
	}
	wantMsgs(t, rd.Messages, want...)
	if got := n.Votes(); !slices.Equal(got, []ID{2}) {
		t.Errorf("Votes() = %v, want [S2]", got)
	}
	if start, deadline := n.ElectionTimer(); start != 10 || deadline != 20 {
		t.Errorf("ElectionTimer() = %d, %d; want 10, 20", start, deadline)
	}
	if len(rd.Entries) != 0 || rd.TruncateTo != -1 {
		t.Errorf("an election wrote log entries: %v truncate=%d", rd.Entries, rd.TruncateTo)
	}
}

// A candidate that wins votes from a majority (itself included) becomes
// leader and at once sends every other server an empty AppendEntries.
// Denials and duplicate grants do not count.
func TestCandidateWinsWithAMajority(t *testing.T) {
	for _, size := range []int{2, 3, 4, 5, 9} {
		t.Run(ids(size)[size-1].String(), func(t *testing.T) {
			quorum := size/2 + 1
			n := newTestNode(t, 1, ids(size), withState(1, None, 1, 1))
			n.Campaign()
			drain(n)
			peers := ids(size)[1:]
			// Denials from the highest-numbered peers that cannot stop a win.
			for _, p := range peers[quorum-1:] {
				mustStep(t, n, Message{Type: MsgVoteResp, From: p, To: 1, Term: 2, Reject: true})
			}
			for i, p := range peers[:quorum-1] {
				mustStep(t, n, Message{Type: MsgVoteResp, From: p, To: 1, Term: 2})
				rd := drain(n)
				wantEvent(t, rd.Events, Event{Kind: EvVoteReceived, Node: 1, Term: 2, Role: Candidate, Peer: p, Votes: i + 2})
				if i+2 < quorum {
					if n.Role() != Candidate {
						t.Fatalf("leader with %d of %d votes", i+2, size)
					}
					wantMsgs(t, rd.Messages)
					// A duplicate grant is not counted again.
					mustStep(t, n, Message{Type: MsgVoteResp, From: p, To: 1, Term: 2})
					if rd := drain(n); len(rd.Events) != 0 || len(rd.Messages) != 0 {
						t.Fatalf("duplicate vote changed something: %+v", rd)
					}
					continue
				}
				wantKinds(t, rd.Events, EvVoteReceived, EvBecameLeader)
				wantEvent(t, rd.Events, Event{Kind: EvBecameLeader, Node: 1, Term: 2, Role: Leader, Votes: quorum})
				var want []Message
				for _, q := range peers {
					want = append(want, Message{Type: MsgApp, From: 1, To: q, Term: 2, PrevIndex: 2, PrevTerm: 1})
				}
				wantMsgs(t, rd.Messages, want...)
			}
			wantState(t, n, Leader, 2, 1, 1)
			if n.Votes() != nil {
				t.Errorf("Votes() = %v on a leader, want nil", n.Votes())
			}
			for _, p := range peers {
				if next, match := n.Progress(p); next != 3 || match != 0 {
					t.Errorf("Progress(%v) = %d, %d; want 3, 0", p, next, match)
				}
			}
			if next, match := n.Progress(1); next != 3 || match != 2 {
				t.Errorf("Progress(self) = %d, %d; want 3, 2", next, match)
			}
		})
	}
}

// §5.2: a candidate that receives AppendEntries from a leader of its term
// recognizes it and returns to follower, then handles the request.
func TestCandidateStepsDownOnAppendEntriesOfItsTerm(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(1, None, 1))
	n.Campaign()
	drain(n)
	mustStep(t, n, Message{Type: MsgApp, From: 3, To: 1, Term: 2, PrevIndex: 1, PrevTerm: 1, Entries: entriesOf(2, 2)})
	rd := drain(n)
	wantKinds(t, rd.Events, EvBecameFollower, EvAppended)
	wantEvent(t, rd.Events, Event{Kind: EvBecameFollower, Node: 1, Term: 2, Role: Follower, Peer: 3, Reason: ReasonLeaderSeen})
	wantState(t, n, Follower, 2, 1, 3) // the vote for itself stands
	if rd.HardStateChanged {
		t.Errorf("hard state changed to %v; term and vote did not", rd.HardState)
	}
	wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 1, To: 3, Term: 2, PrevIndex: 1, Match: 2})
	wantLog(t, n, 1, 2)
}

// A stale AppendEntries does not make a candidate step down.
func TestCandidateIgnoresStaleAppendEntries(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(3, None))
	n.Campaign()
	drain(n)
	mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: 3})
	rd := drain(n)
	wantState(t, n, Candidate, 4, 1, None)
	wantKinds(t, rd.Events, EvStaleMessage)
	wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 1, To: 2, Term: 4, Reject: true})
}

// A split vote: the candidate's timer fires again and it starts a new
// election in the next term, with a fresh tally.
func TestCandidateTimesOutAndStartsTheNextTerm(t *testing.T) {
	n := newTestNode(t, 1, ids(5), withState(1, None, 1))
	n.Campaign()
	mustStep(t, n, Message{Type: MsgVoteResp, From: 2, To: 1, Term: 2})
	mustStep(t, n, Message{Type: MsgVoteResp, From: 3, To: 1, Term: 2, Reject: true})
	drain(n)
	got, rd := ticksUntil(n, EvTimeout, 100)
	if got != testElection {
		t.Fatalf("candidate timed out after %d ticks, want %d", got, testElection)
	}
	wantKinds(t, rd.Events, EvTimeout, EvBecameCandidate)
	wantEvent(t, rd.Events, Event{Kind: EvTimeout, Node: 1, Term: 2, Role: Candidate, Reason: ReasonElectionTimeout})
	wantEvent(t, rd.Events, Event{Kind: EvBecameCandidate, Node: 1, Term: 3, Role: Candidate, Reason: ReasonElectionTimeout})
	wantState(t, n, Candidate, 3, 1, None)
	if !slices.Equal(n.Votes(), []ID{1}) {
		t.Errorf("Votes() = %v, want only S1 in the new term", n.Votes())
	}
	if rd.HardState != (HardState{Term: 3, Vote: 1}) || !rd.HardStateChanged {
		t.Errorf("hard state %v changed=%v, want term=3 vote=S1", rd.HardState, rd.HardStateChanged)
	}
	if len(rd.Messages) != 4 {
		t.Fatalf("sent %d messages, want 4:\n%s", len(rd.Messages), fmtMsgs(rd.Messages))
	}
	for _, m := range rd.Messages {
		if m.Type != MsgVote || m.Term != 3 || m.LastIndex != 1 || m.LastTerm != 1 {
			t.Errorf("unexpected message %v", m)
		}
	}
	// A vote of the old term does not count in the new one.
	mustStep(t, n, Message{Type: MsgVoteResp, From: 4, To: 1, Term: 2})
	if rd := drain(n); len(eventsOf(rd.Events, EvVoteReceived)) != 0 {
		t.Errorf("counted a vote of the previous term: %v", rd.Events)
	}
}

// A single-server cluster is its own majority: its first timeout makes it
// leader, and its proposals commit at once.
func TestSingleServerClusterBecomesLeaderOnTimeout(t *testing.T) {
	n := newTestNode(t, 1, []ID{1})
	got, rd := ticksUntil(n, EvTimeout, 100)
	if got != testElection {
		t.Fatalf("timed out after %d ticks, want %d", got, testElection)
	}
	wantKinds(t, rd.Events, EvTimeout, EvBecameCandidate, EvBecameLeader)
	wantEvent(t, rd.Events, Event{Kind: EvBecameLeader, Node: 1, Term: 1, Role: Leader, Votes: 1})
	wantMsgs(t, rd.Messages)
	wantState(t, n, Leader, 1, 1, 1)

	idx, err := n.Propose("x")
	if err != nil || idx != 1 {
		t.Fatalf("Propose = %d, %v; want 1, nil", idx, err)
	}
	rd = drain(n)
	x := Entry{Index: 1, Term: 1, Cmd: "x"}
	wantKinds(t, rd.Events, EvAppended, EvProposed, EvCommitted, EvApplied)
	wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 1, Role: Leader, Index: 1, Last: 1, Reason: ReasonMajority})
	if !slices.Equal(rd.CommittedEntries, []Entry{x}) || !slices.Equal(rd.Entries, []Entry{x}) {
		t.Errorf("Entries %v CommittedEntries %v, want both [%v]", rd.Entries, rd.CommittedEntries, x)
	}
	if n.Commit() != 1 || n.Applied() != 1 {
		t.Errorf("commit=%d applied=%d, want 1, 1", n.Commit(), n.Applied())
	}
}

// A restarted single server holds entries of an old term: it may not
// count them as committed (§5.4.2) until an entry of its own term is.
func TestSingleServerHoldsOldEntriesUntilItsOwnTermCommits(t *testing.T) {
	n := newTestNode(t, 1, []ID{1}, withState(3, 1, 1, 3))
	_, rd := ticksUntil(n, EvBecameLeader, 100)
	wantEvent(t, rd.Events, Event{Kind: EvCommitHeld, Node: 1, Term: 4, Role: Leader, Index: 2, EntryTerm: 3, Last: 0})
	if n.Commit() != 0 {
		t.Fatalf("commit = %d, want 0", n.Commit())
	}
	n.Propose("y")
	rd = drain(n)
	wantEvent(t, rd.Events, Event{Kind: EvCommitted, Node: 1, Term: 4, Role: Leader, Index: 1, Last: 3, Reason: ReasonMajority})
	if got := termsOf(rd.CommittedEntries); !slices.Equal(got, []int{1, 3, 4}) {
		t.Errorf("committed entries of terms %v, want [1 3 4]", got)
	}
}

// Campaign forces an election for term+1 from any role.
func TestCampaignFromAnyRole(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T) *Node
	}{
		{"follower", func(t *testing.T) *Node {
			return newTestNode(t, 1, ids(3), withState(4, 2, 1, 3))
		}},
		{"candidate", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(3, None, 1, 3))
			n.Campaign()
			return n
		}},
		{"precandidate", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(4, None, 1, 3), withRule(PreVote, true))
			n.Advance(testElection)
			if n.Role() != PreCandidate {
				t.Fatalf("setup: role %v, want precandidate", n.Role())
			}
			return n
		}},
		{"leader", func(t *testing.T) *Node {
			return newLeader(t, 1, ids(3), withState(3, None, 1, 3))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.setup(t)
			drain(n)
			if n.Term() != 4 {
				t.Fatalf("setup: term %d, want 4", n.Term())
			}
			n.Campaign()
			rd := drain(n)
			wantKinds(t, rd.Events, EvBecameCandidate)
			wantEvent(t, rd.Events, Event{Kind: EvBecameCandidate, Node: 1, Term: 5, Role: Candidate, Reason: ReasonForced})
			wantState(t, n, Candidate, 5, 1, None)
			wantMsgs(t, rd.Messages,
				Message{Type: MsgVote, From: 1, To: 2, Term: 5, LastIndex: 2, LastTerm: 3},
				Message{Type: MsgVote, From: 1, To: 3, Term: 5, LastIndex: 2, LastTerm: 3})
			if _, deadline := n.ElectionTimer(); deadline != n.Now()+testElection {
				t.Errorf("election timer fires at %d, want %d", deadline, n.Now()+testElection)
			}
		})
	}
}

// §5.1: a server that sees a newer term in any message adopts it, clears
// its vote and becomes a follower. Only AppendEntries names a leader.
func TestHigherTermMakesAFollower(t *testing.T) {
	roles := []struct {
		name  string
		setup func(t *testing.T) *Node
	}{
		{"follower with a leader", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(2, 3, 1))
			mustStep(t, n, Message{Type: MsgApp, From: 3, To: 1, Term: 2, PrevIndex: 1, PrevTerm: 1})
			return n
		}},
		{"candidate", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(1, None, 1))
			n.Campaign()
			return n
		}},
		{"precandidate", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(2, None, 1), withRule(PreVote, true))
			n.Advance(testElection)
			return n
		}},
		{"leader", func(t *testing.T) *Node {
			return newLeader(t, 1, ids(3), withState(1, None, 1))
		}},
	}
	msgs := []struct {
		name       string
		m          Message
		wantVote   ID
		wantLeader ID
		wantReply  []Message
	}{
		{"AppendEntries",
			Message{Type: MsgApp, From: 2, To: 1, Term: 5, PrevIndex: 1, PrevTerm: 1, Commit: 1},
			None, 2,
			[]Message{{Type: MsgAppResp, From: 1, To: 2, Term: 5, PrevIndex: 1, Match: 1}}},
		{"RequestVote from a behind candidate",
			Message{Type: MsgVote, From: 2, To: 1, Term: 5},
			None, None,
			[]Message{{Type: MsgVoteResp, From: 1, To: 2, Term: 5, Reject: true}}},
		{"RequestVote from an up-to-date candidate",
			Message{Type: MsgVote, From: 2, To: 1, Term: 5, LastIndex: 1, LastTerm: 1},
			2, None,
			[]Message{{Type: MsgVoteResp, From: 1, To: 2, Term: 5}}},
		{"RequestVote response",
			Message{Type: MsgVoteResp, From: 2, To: 1, Term: 5},
			None, None, nil},
		{"AppendEntries response",
			Message{Type: MsgAppResp, From: 2, To: 1, Term: 5, Reject: true},
			None, None, nil},
		{"PreVote refusal",
			Message{Type: MsgPreVoteResp, From: 2, To: 1, Term: 5, Reject: true},
			None, None, nil},
	}
	for _, role := range roles {
		for _, tt := range msgs {
			t.Run(role.name+"/"+tt.name, func(t *testing.T) {
				n := role.setup(t)
				drain(n)
				mustStep(t, n, tt.m)
				rd := drain(n)
				if len(rd.Events) == 0 {
					t.Fatalf("no events")
				}
				if got, want := rd.Events[0], (Event{Kind: EvBecameFollower, Node: 1, Term: 5, Role: Follower, Peer: tt.wantLeader, Reason: ReasonHigherTerm}); got.Kind != want.Kind || got.Term != want.Term || got.Peer != want.Peer || got.Reason != want.Reason || got.Role != want.Role {
					t.Errorf("first event %v, want %v", got, want)
				}
				wantState(t, n, Follower, 5, tt.wantVote, tt.wantLeader)
				if !rd.HardStateChanged || rd.HardState != (HardState{Term: 5, Vote: tt.wantVote}) {
					t.Errorf("hard state %v changed=%v, want term=5 vote=%v", rd.HardState, rd.HardStateChanged, tt.wantVote)
				}
				wantMsgs(t, rd.Messages, tt.wantReply...)
				if _, deadline := n.ElectionTimer(); deadline != n.Now()+testElection {
					t.Errorf("election timer fires at %d, want %d (reset on stepping down)", deadline, n.Now()+testElection)
				}
			})
		}
	}
}

// RequestVote receiver (Figure 2): grant if votedFor is null or the
// candidate, and the candidate's log is at least as up-to-date (§5.4.1).
func TestRequestVoteReceiver(t *testing.T) {
	const (
		voterTerm = 3
		ownIndex  = 3 // the voter's log is 1/1 2/1 3/2
		ownTerm   = 2
	)
	erOff := DefaultRules.With(ElectionRestriction, false)
	tests := []struct {
		name               string
		rules              Rules
		vote               ID  // the voter's vote in voterTerm
		term               int // the request's term
		lastIndex, lastTer int
		granted            bool
		reason             Reason
		voted              ID  // Event.Voted
		wantTerm           int // voter's term afterwards (and the reply's)
		wantVote           ID
	}{
		{"no vote yet, same log", DefaultRules, None, 3, 3, 2, true, ReasonUpToDate, None, 3, 2},
		{"no vote yet, longer log of the same last term", DefaultRules, None, 3, 7, 2, true, ReasonUpToDate, None, 3, 2},
		{"newer last term wins over a shorter log", DefaultRules, None, 3, 1, 3, true, ReasonUpToDate, None, 3, 2},
		{"the same candidate asks again", DefaultRules, 2, 3, 3, 2, true, ReasonSameCandidate, None, 3, 2},
		{"already voted for another", DefaultRules, 4, 3, 9, 3, false, ReasonAlreadyVoted, 4, 3, 4},
		{"older last term loses to a longer log", DefaultRules, None, 3, 10, 1, false, ReasonLogOlderTerm, None, 3, None},
		{"same last term, shorter log", DefaultRules, None, 3, 2, 2, false, ReasonLogShorter, None, 3, None},
		{"empty candidate log", DefaultRules, None, 3, 0, 0, false, ReasonLogOlderTerm, None, 3, None},
		{"election-restriction off: older last term granted", erOff, None, 3, 10, 1, true, ReasonRuleOff, None, 3, 2},
		{"election-restriction off: shorter log granted", erOff, None, 3, 2, 2, true, ReasonRuleOff, None, 3, 2},
		{"election-restriction off: up-to-date is still up-to-date", erOff, None, 3, 3, 2, true, ReasonUpToDate, None, 3, 2},
		{"election-restriction off: still one vote per term", erOff, 4, 3, 1, 1, false, ReasonAlreadyVoted, 4, 3, 4},
		{"newer term: the old vote no longer binds", DefaultRules, 4, 4, 3, 2, true, ReasonUpToDate, None, 4, 2},
		{"newer term, behind candidate: term adopted, vote denied", DefaultRules, 4, 4, 2, 2, false, ReasonLogShorter, None, 4, None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestNode(t, 1, ids(5), withRules(tt.rules), withState(voterTerm, tt.vote, 1, 1, 2))
			mustStep(t, n, Message{Type: MsgVote, From: 2, To: 1, Term: tt.term, LastIndex: tt.lastIndex, LastTerm: tt.lastTer})
			rd := drain(n)
			kind := EvVoteDenied
			if tt.granted {
				kind = EvVoteGranted
			}
			wantEvent(t, rd.Events, Event{Kind: kind, Node: 1, Term: tt.wantTerm, Role: Follower, Peer: 2, Reason: tt.reason,
				Voted: tt.voted, CandIndex: tt.lastIndex, CandTerm: tt.lastTer, OwnIndex: ownIndex, OwnTerm: ownTerm})
			if got := len(eventsOf(rd.Events, EvVoteGranted)) + len(eventsOf(rd.Events, EvVoteDenied)); got != 1 {
				t.Errorf("%d vote decisions, want 1:\n%s", got, fmtEvents(rd.Events))
			}
			wantMsgs(t, rd.Messages, Message{Type: MsgVoteResp, From: 1, To: 2, Term: tt.wantTerm, Reject: !tt.granted})
			wantState(t, n, Follower, tt.wantTerm, tt.wantVote, None)
			changed := tt.wantTerm != voterTerm || tt.wantVote != tt.vote
			if rd.HardStateChanged != changed || rd.HardState != (HardState{Term: tt.wantTerm, Vote: tt.wantVote}) {
				t.Errorf("hard state %v changed=%v, want term=%d vote=%v changed=%v",
					rd.HardState, rd.HardStateChanged, tt.wantTerm, tt.wantVote, changed)
			}
		})
	}
}

// A request of an older term is denied with the voter's term, so that the
// stale candidate learns of it and steps down; nothing else changes.
func TestRequestVoteOfAStaleTermIsDenied(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(5, 3, 1))
	n.Advance(4)
	mustStep(t, n, Message{Type: MsgVote, From: 2, To: 1, Term: 4, LastIndex: 9, LastTerm: 4})
	rd := drain(n)
	wantKinds(t, rd.Events, EvVoteDenied)
	wantEvent(t, rd.Events, Event{Kind: EvVoteDenied, Node: 1, Term: 5, Role: Follower, Peer: 2, Reason: ReasonStaleTerm,
		Asked: 4, CandIndex: 9, CandTerm: 4, OwnIndex: 1, OwnTerm: 1})
	wantMsgs(t, rd.Messages, Message{Type: MsgVoteResp, From: 1, To: 2, Term: 5, Reject: true})
	wantState(t, n, Follower, 5, 3, None)
	if rd.HardStateChanged {
		t.Errorf("hard state changed")
	}
	if start, _ := n.ElectionTimer(); start != 0 {
		t.Errorf("a stale request reset the election timer (start %d)", start)
	}
	// The candidate, on its side, steps down when it reads the reply.
	c := newTestNode(t, 2, ids(3), withState(3, None, 1, 1, 1, 1, 1, 1, 1, 1, 3))
	c.Campaign()
	drain(c)
	mustStep(t, c, rd.Messages[0])
	wantState(t, c, Follower, 5, None, None)
}

// Each server votes for at most one candidate in a term (§5.2).
func TestOneVotePerTerm(t *testing.T) {
	n := newTestNode(t, 1, ids(5))
	steps := []struct {
		from    ID
		granted bool
		reason  Reason
		voted   ID
	}{
		{2, true, ReasonUpToDate, None},
		{3, false, ReasonAlreadyVoted, 2},
		{2, true, ReasonSameCandidate, None}, // a retransmission
		{4, false, ReasonAlreadyVoted, 2},
	}
	for _, s := range steps {
		mustStep(t, n, Message{Type: MsgVote, From: s.from, To: 1, Term: 1})
		rd := drain(n)
		kind := EvVoteDenied
		if s.granted {
			kind = EvVoteGranted
		}
		wantEvent(t, rd.Events, Event{Kind: kind, Node: 1, Term: 1, Role: Follower, Peer: s.from, Reason: s.reason, Voted: s.voted})
		wantMsgs(t, rd.Messages, Message{Type: MsgVoteResp, From: 1, To: s.from, Term: 1, Reject: !s.granted})
		if n.Vote() != 2 {
			t.Fatalf("vote = %v after %v asked, want S2", n.Vote(), s.from)
		}
	}
}

// Candidates and leaders have voted for themselves in their term.
func TestCandidatesAndLeadersDenyOthersInTheirTerm(t *testing.T) {
	for _, leader := range []bool{false, true} {
		n := newTestNode(t, 1, ids(3))
		n.Campaign()
		if leader {
			mustStep(t, n, Message{Type: MsgVoteResp, From: 2, To: 1, Term: 1})
		}
		role := n.Role()
		drain(n)
		mustStep(t, n, Message{Type: MsgVote, From: 3, To: 1, Term: 1, LastIndex: 5, LastTerm: 1})
		rd := drain(n)
		wantEvent(t, rd.Events, Event{Kind: EvVoteDenied, Node: 1, Term: 1, Role: role, Peer: 3, Reason: ReasonAlreadyVoted, Voted: 1, CandIndex: 5, CandTerm: 1})
		wantMsgs(t, rd.Messages, Message{Type: MsgVoteResp, From: 1, To: 3, Term: 1, Reject: true})
		if n.Role() != role {
			t.Errorf("%v became %v", role, n.Role())
		}
	}
}

// Figure 2, Followers: granting a vote resets the election timer; a denial
// does not.
func TestGrantingAVoteResetsTheElectionTimer(t *testing.T) {
	tests := []struct {
		name      string
		vote      ID
		wantFires int // ticks after the request until the timeout
	}{
		{"granted", None, testElection},
		{"denied", 3, testElection - 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestNode(t, 1, ids(3), withState(1, tt.vote))
			n.Advance(7)
			mustStep(t, n, Message{Type: MsgVote, From: 2, To: 1, Term: 1})
			drain(n)
			if got, _ := ticksUntil(n, EvTimeout, 100); got != tt.wantFires {
				t.Errorf("timed out %d ticks after the request, want %d", got, tt.wantFires)
			}
		})
	}
}

// Vote responses count only on a candidate of the same term.
func TestVoteResponsesAreIgnoredUnlessCandidate(t *testing.T) {
	follower := newTestNode(t, 1, ids(3), withState(2, None))
	leader := newLeader(t, 1, ids(3), withState(1, None))
	for _, n := range []*Node{follower, leader} {
		role := n.Role()
		mustStep(t, n, Message{Type: MsgVoteResp, From: 3, To: 1, Term: 2})
		if rd := drain(n); len(rd.Events) != 0 || len(rd.Messages) != 0 || n.Role() != role {
			t.Errorf("%v reacted to a vote: role %v, %+v", role, n.Role(), rd)
		}
	}
}

// prevote: a pre-candidate asks for votes in term+1 without changing its
// own term or vote.
func TestPreVoteCandidateKeepsItsTerm(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(2, 3, 1, 2), withRule(PreVote, true))
	n.Advance(testElection)
	rd := drain(n)
	wantKinds(t, rd.Events, EvTimeout, EvBecamePreCandidate)
	wantEvent(t, rd.Events, Event{Kind: EvBecamePreCandidate, Node: 1, Term: 2, Role: PreCandidate})
	wantState(t, n, PreCandidate, 2, 3, None)
	if rd.HardStateChanged {
		t.Errorf("a pre-vote round changed the hard state to %v", rd.HardState)
	}
	wantMsgs(t, rd.Messages,
		Message{Type: MsgPreVote, From: 1, To: 2, Term: 3, LastIndex: 2, LastTerm: 2},
		Message{Type: MsgPreVote, From: 1, To: 3, Term: 3, LastIndex: 2, LastTerm: 2})
	if got := n.Votes(); !slices.Equal(got, []ID{1}) {
		t.Errorf("Votes() = %v, want [S1]", got)
	}
	// Another timeout starts another pre-vote round, still in term 2.
	got, rd := ticksUntil(n, EvTimeout, 100)
	if got != testElection {
		t.Errorf("pre-candidate timed out after %d ticks, want %d", got, testElection)
	}
	wantKinds(t, rd.Events, EvTimeout, EvBecamePreCandidate)
	wantState(t, n, PreCandidate, 2, 3, None)
	if len(msgsOf(rd.Messages, MsgPreVote)) != 2 {
		t.Errorf("second round sent:\n%s", fmtMsgs(rd.Messages))
	}
}

// prevote voter: would it vote for the sender in the proposed term? It
// answers without changing its own term, vote or timer.
func TestPreVoteVoter(t *testing.T) {
	withLeader := func(sinceHeartbeat int) func(t *testing.T, n *Node) {
		return func(t *testing.T, n *Node) {
			mustStep(t, n, Message{Type: MsgApp, From: 3, To: 2, Term: 2, PrevIndex: 2, PrevTerm: 2})
			n.SetElectionTimer(100) // keep it a follower while time passes
			n.Advance(sinceHeartbeat)
		}
	}
	tests := []struct {
		name               string
		rules              Rules
		prep               func(t *testing.T, n *Node)
		term               int
		lastIndex, lastTer int
		granted            bool
		reason             Reason
	}{
		{"up to date", DefaultRules, nil, 3, 2, 2, true, ReasonUpToDate},
		{"far future term", DefaultRules, nil, 9, 2, 2, true, ReasonUpToDate},
		{"proposed term not newer", DefaultRules, nil, 2, 2, 2, false, ReasonStaleTerm},
		{"log of an older term", DefaultRules, nil, 3, 5, 1, false, ReasonLogOlderTerm},
		{"shorter log", DefaultRules, nil, 3, 1, 2, false, ReasonLogShorter},
		{"election-restriction off", DefaultRules.With(ElectionRestriction, false), nil, 3, 1, 2, true, ReasonRuleOff},
		{"leader heard just now", DefaultRules, withLeader(0), 3, 2, 2, false, ReasonLeaderAlive},
		{"leader heard ElectionMin-1 ago", DefaultRules, withLeader(testElection - 1), 3, 2, 2, false, ReasonLeaderAlive},
		{"leader heard ElectionMin ago", DefaultRules, withLeader(testElection), 3, 2, 2, true, ReasonUpToDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestNode(t, 2, ids(3), withRules(tt.rules.With(PreVote, true)), withState(2, 3, 1, 2))
			if tt.prep != nil {
				tt.prep(t, n)
			}
			drain(n)
			start, deadline := n.ElectionTimer()
			mustStep(t, n, Message{Type: MsgPreVote, From: 1, To: 2, Term: tt.term, LastIndex: tt.lastIndex, LastTerm: tt.lastTer})
			rd := drain(n)
			kind, replyTerm := EvVoteDenied, 2
			if tt.granted {
				kind, replyTerm = EvVoteGranted, tt.term
			}
			wantKinds(t, rd.Events, kind)
			wantEvent(t, rd.Events, Event{Kind: kind, Pre: true, Asked: tt.term, Node: 2, Term: 2, Role: Follower, Peer: 1, Reason: tt.reason,
				CandIndex: tt.lastIndex, CandTerm: tt.lastTer, OwnIndex: 2, OwnTerm: 2})
			wantMsgs(t, rd.Messages, Message{Type: MsgPreVoteResp, From: 2, To: 1, Term: replyTerm, Reject: !tt.granted})
			if n.Term() != 2 || n.Vote() != 3 || n.Role() != Follower || rd.HardStateChanged {
				t.Errorf("pre-vote changed the voter: term=%d vote=%v role=%v hard-state-changed=%v", n.Term(), n.Vote(), n.Role(), rd.HardStateChanged)
			}
			if s, d := n.ElectionTimer(); s != start || d != deadline {
				t.Errorf("pre-vote moved the election timer from %d..%d to %d..%d", start, deadline, s, d)
			}
		})
	}
}

// A leader denies pre-votes: it is alive.
func TestPreVoteDeniedByTheLeader(t *testing.T) {
	n := newLeader(t, 1, ids(3), withRule(PreVote, true))
	mustStep(t, n, Message{Type: MsgPreVote, From: 2, To: 1, Term: 2})
	rd := drain(n)
	wantEvent(t, rd.Events, Event{Kind: EvVoteDenied, Pre: true, Asked: 2, Node: 1, Term: 1, Role: Leader, Peer: 2, Reason: ReasonLeaderAlive})
	wantMsgs(t, rd.Messages, Message{Type: MsgPreVoteResp, From: 1, To: 2, Term: 1, Reject: true})
	wantState(t, n, Leader, 1, 1, 1)
}

// A majority of pre-votes leads to a real election in term+1. Denials,
// duplicates and grants for another term do not count.
func TestPreVoteMajorityStartsARealElection(t *testing.T) {
	n := newTestNode(t, 1, ids(5), withState(2, None, 1, 2), withRule(PreVote, true))
	n.Advance(testElection)
	drain(n)
	ignored := []Message{
		{Type: MsgPreVoteResp, From: 2, To: 1, Term: 2, Reject: true},
		{Type: MsgPreVoteResp, From: 3, To: 1, Term: 4}, // not the term it asked about
		{Type: MsgPreVoteResp, From: 3, To: 1, Term: 2},
		{Type: MsgVoteResp, From: 3, To: 1, Term: 2}, // a real vote: no election is running
	}
	for _, m := range ignored {
		mustStep(t, n, m)
		if rd := drain(n); len(rd.Events) != 0 || len(rd.Messages) != 0 {
			t.Fatalf("%v changed something: %+v", m, rd)
		}
	}
	mustStep(t, n, Message{Type: MsgPreVoteResp, From: 4, To: 1, Term: 3})
	rd := drain(n)
	wantKinds(t, rd.Events, EvVoteReceived)
	wantEvent(t, rd.Events, Event{Kind: EvVoteReceived, Pre: true, Node: 1, Term: 2, Role: PreCandidate, Peer: 4, Votes: 2})
	mustStep(t, n, Message{Type: MsgPreVoteResp, From: 4, To: 1, Term: 3}) // duplicate
	if rd := drain(n); len(rd.Events) != 0 {
		t.Fatalf("duplicate pre-vote counted: %v", rd.Events)
	}
	mustStep(t, n, Message{Type: MsgPreVoteResp, From: 5, To: 1, Term: 3})
	rd = drain(n)
	wantKinds(t, rd.Events, EvVoteReceived, EvBecameCandidate)
	wantEvent(t, rd.Events, Event{Kind: EvBecameCandidate, Node: 1, Term: 3, Role: Candidate, Reason: ReasonPreVoteWon})
	wantState(t, n, Candidate, 3, 1, None)
	if rd.HardState != (HardState{Term: 3, Vote: 1}) || !rd.HardStateChanged {
		t.Errorf("hard state %v changed=%v", rd.HardState, rd.HardStateChanged)
	}
	var want []Message
	for _, p := range []ID{2, 3, 4, 5} {
		want = append(want, Message{Type: MsgVote, From: 1, To: p, Term: 3, LastIndex: 2, LastTerm: 2})
	}
	wantMsgs(t, rd.Messages, want...)
	if got := n.Votes(); !slices.Equal(got, []ID{1}) {
		t.Errorf("Votes() = %v; pre-votes must not count as votes", got)
	}
	// Late pre-votes are ignored by the candidate.
	mustStep(t, n, Message{Type: MsgPreVoteResp, From: 2, To: 1, Term: 3})
	if rd := drain(n); len(rd.Events) != 0 || n.Role() != Candidate {
		t.Errorf("late pre-vote changed something: %v", rd.Events)
	}
}

// A pre-vote refusal that carries a newer term makes the pre-candidate a
// follower of that term.
func TestPreVoteRefusalWithANewerTerm(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(2, None), withRule(PreVote, true))
	n.Advance(testElection)
	drain(n)
	mustStep(t, n, Message{Type: MsgPreVoteResp, From: 2, To: 1, Term: 6, Reject: true})
	rd := drain(n)
	wantEvent(t, rd.Events, Event{Kind: EvBecameFollower, Node: 1, Term: 6, Role: Follower, Reason: ReasonHigherTerm})
	wantState(t, n, Follower, 6, None, None)
}

// A pre-candidate that hears from a leader of its term follows it.
func TestPreCandidateStepsDownOnAppendEntries(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(2, None), withRule(PreVote, true))
	n.Advance(testElection)
	drain(n)
	mustStep(t, n, Message{Type: MsgApp, From: 3, To: 1, Term: 2})
	rd := drain(n)
	wantEvent(t, rd.Events, Event{Kind: EvBecameFollower, Node: 1, Term: 2, Role: Follower, Peer: 3, Reason: ReasonLeaderSeen})
	wantState(t, n, Follower, 2, None, 3)
	wantMsgs(t, rd.Messages, Message{Type: MsgAppResp, From: 1, To: 3, Term: 2})
}

// A single server with prevote wins its own pre-vote and election at once.
func TestPreVoteSingleServer(t *testing.T) {
	n := newTestNode(t, 1, []ID{1}, withRule(PreVote, true))
	n.Advance(testElection)
	rd := drain(n)
	wantKinds(t, rd.Events, EvTimeout, EvBecamePreCandidate, EvBecameCandidate, EvBecameLeader)
	wantEvent(t, rd.Events, Event{Kind: EvBecameCandidate, Node: 1, Term: 1, Role: Candidate, Reason: ReasonPreVoteWon})
	wantState(t, n, Leader, 1, 1, 1)
}

// What prevote is for: a server cut off from the others keeps timing out,
// but its term does not grow, so when it comes back it does not depose the
// leader.
func TestPreVoteKeepsAPartitionedServerFromDisruptingTheCluster(t *testing.T) {
	for _, prevote := range []bool{false, true} {
		c := newCluster(t, 3, withRule(PreVote, prevote), withHeartbeat(2))
		c.nodes[1].Campaign()
		c.deliver()
		if c.nodes[1].Role() != Leader {
			t.Fatalf("S1 is %v", c.nodes[1].Role())
		}
		cut := func(m Message) bool { return m.From == 3 || m.To == 3 }
		c.drop = cut
		for range 5 * testElection {
			for _, id := range ids(3) {
				c.nodes[id].Tick()
			}
			c.deliver()
		}
		wantTerm3 := 1
		if !prevote {
			wantTerm3 = 6 // one election per timeout
		}
		if got := c.nodes[3].Term(); got != wantTerm3 {
			t.Errorf("prevote=%v: isolated S3 at term %d, want %d", prevote, got, wantTerm3)
		}
		c.drop = nil
		for range 2 * testElection {
			for _, id := range ids(3) {
				c.nodes[id].Tick()
			}
			c.deliver()
		}
		leaderKept := c.nodes[1].Role() == Leader && c.nodes[1].Term() == 1
		if leaderKept != prevote {
			t.Errorf("prevote=%v: after healing S1 is %v of term %d", prevote, c.nodes[1].Role(), c.nodes[1].Term())
		}
		if prevote && (c.nodes[3].Role() != Follower || c.nodes[3].Leader() != 1) {
			t.Errorf("S3 is %v following %v, want follower of S1", c.nodes[3].Role(), c.nodes[3].Leader())
		}
	}
}

// check-quorum (dissertation §6.2): a leader steps down as soon as an
// election timeout has passed since it last heard from a majority, itself
// included: since the quorum-1'th latest answer of the others.
func TestCheckQuorum(t *testing.T) {
	ack := func(from ID) Message { return Message{Type: MsgAppResp, From: from, To: 1, Term: 1} }
	nack := func(from ID) Message {
		return Message{Type: MsgAppResp, From: from, To: 1, Term: 1, Reject: true, PrevIndex: 99}
	}
	every := func(gap int, ms ...func(ID) Message) map[int][]Message {
		out := map[int][]Message{}
		for at, i := gap, 0; at < 5*testElection; at, i = at+gap, i+1 {
			f := ms[i%len(ms)]
			out[at] = []Message{f(ID(2 + i%2))}
		}
		return out
	}
	tests := []struct {
		name     string
		size     int
		on       bool
		answers  map[int][]Message // by the leader's clock (answers come before that tick)
		stepDown int               // the time at which it steps down; 0: never
	}{
		{"silence", 3, true, nil, testElection},
		{"an answer every timeout-1", 3, true, every(testElection-1, ack), 0},
		{"a rejection is an answer too", 3, true, every(testElection-1, nack), 0},
		{"answers stop", 3, true, map[int][]Message{4: {ack(2)}, 13: {ack(3)}}, 23},
		{"a gap of a whole timeout is too long", 3, true, map[int][]Message{4: {ack(2)}, 14: {ack(3)}}, 14},
		{"a minority answers", 5, true, map[int][]Message{3: {ack(2)}, 8: {ack(2)}, 9: {ack(2)}}, testElection},
		{"the second latest answer of five counts", 5, true, map[int][]Message{4: {ack(2)}, 7: {ack(3)}, 12: {ack(2)}}, 17},
		{"a bare majority of five", 5, true, map[int][]Message{
			5: {ack(2), ack(5)}, 12: {ack(3), ack(4)}, 20: {ack(2), ack(3)}, 28: {ack(4), ack(5)}, 36: {ack(2), ack(4)}, 44: {ack(3), ack(5)}}, 0},
		{"a single server", 1, true, nil, 0},
		{"rule off", 3, false, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newLeader(t, 1, ids(tt.size), withRule(CheckQuorum, tt.on))
			for n.Now() < 5*testElection {
				for _, m := range tt.answers[n.Now()] {
					mustStep(t, n, m)
				}
				n.Tick()
				rd := drain(n)
				if n.Now() != tt.stepDown {
					if n.Role() != Leader {
						t.Fatalf("time %d: stepped down: %v", n.Now(), rd.Events)
					}
					continue
				}
				wantKinds(t, rd.Events, EvBecameFollower)
				wantEvent(t, rd.Events, Event{Kind: EvBecameFollower, Node: 1, Term: 1, Role: Follower, Reason: ReasonQuorumLost})
				wantState(t, n, Follower, 1, 1, None)
				wantMsgs(t, rd.Messages) // no heartbeat from a deposed leader
				return
			}
			if tt.stepDown != 0 {
				t.Errorf("never stepped down, want at time %d", tt.stepDown)
			}
		})
	}
}

// The test the issue asks for, on a whole cluster: a leader cut off from
// every other server steps down within an election timeout of the last
// answer it had under check-quorum, and believes it leads for ever
// without it. Either way the others elect a leader of a later term.
func TestCheckQuorumDeposesACutOffLeader(t *testing.T) {
	for _, on := range []bool{false, true} {
		c := newCluster(t, 3, withRule(CheckQuorum, on), withHeartbeat(2), withTimeouts(testElection, 2*testElection))
		c.nodes[1].Campaign()
		c.deliver()
		tick := func() {
			for _, id := range ids(3) {
				c.nodes[id].Tick()
			}
			c.deliver()
		}
		for range 3 * testElection {
			tick()
		}
		if c.nodes[1].Role() != Leader || c.nodes[1].Term() != 1 {
			t.Fatalf("check-quorum %v: S1 is %v of term %d before the cut", on, c.nodes[1].Role(), c.nodes[1].Term())
		}
		cutAt := c.nodes[1].Now()
		c.drop = func(m Message) bool { return m.From == 1 || m.To == 1 }
		downAt := -1
		for range 6 * testElection {
			tick()
			if downAt < 0 && c.nodes[1].Role() != Leader {
				downAt = c.nodes[1].Now()
			}
		}
		switch {
		case on && (downAt < 0 || downAt > cutAt+testElection):
			t.Errorf("check-quorum on: cut at %d, S1 stepped down at %d, want by %d", cutAt, downAt, cutAt+testElection)
		case !on && downAt >= 0:
			t.Errorf("check-quorum off: S1 stepped down at %d", downAt)
		}
		if c.nodes[2].Role() != Leader && c.nodes[3].Role() != Leader {
			t.Errorf("check-quorum %v: S2 and S3 elected no leader: %v and %v", on, c.nodes[2].Role(), c.nodes[3].Role())
		}
	}
}
