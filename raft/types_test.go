package raft

import (
	"strconv"
	"testing"
)

func TestIDString(t *testing.T) {
	tests := []struct {
		id   ID
		want string
	}{
		{None, "none"},
		{1, "S1"},
		{5, "S5"},
		{MaxServers, "S9"},
		{12, "S12"}, // out of range, but still printable
	}
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("ID(%d).String() = %q, want %q", int(tt.id), got, tt.want)
		}
	}
}

func TestParseID(t *testing.T) {
	tests := []struct {
		in     string
		want   ID
		wantOK bool
	}{
		{"S1", 1, true},
		{"S3", 3, true},
		{"s3", 3, true},
		{"S9", 9, true},
		{"S0", None, false},  // 0 is nobody, not a server
		{"S10", None, false}, // at most nine servers
		{"", None, false},
		{"S", None, false},
		{"3", None, false},
		{"X3", None, false},
		{"S-", None, false},
		{" S3", None, false},
		{"none", None, false},
	}
	for _, tt := range tests {
		got, ok := ParseID(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseID(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseIDRoundTrip(t *testing.T) {
	for id := ID(1); id <= MaxServers; id++ {
		got, ok := ParseID(id.String())
		if !ok || got != id {
			t.Errorf("ParseID(%q) = %v, %v; want %v, true", id.String(), got, ok, id)
		}
	}
}

func TestRoleString(t *testing.T) {
	tests := []struct {
		r    Role
		want string
	}{
		{Follower, "follower"},
		{Candidate, "candidate"},
		{Leader, "leader"},
		{PreCandidate, "precandidate"},
		{Role(7), "role(7)"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("Role(%d).String() = %q, want %q", tt.r, got, tt.want)
		}
	}
}

func TestEntryString(t *testing.T) {
	tests := []struct {
		e    Entry
		want string
	}{
		{Entry{Index: 5, Term: 3, Cmd: "x"}, `5/3 "x"`},
		{Entry{Index: 6, Term: 3, Noop: true}, `6/3 noop`},
		{Entry{Index: 6, Term: 3, Cmd: "ignored", Noop: true}, `6/3 noop`},
		{Entry{Index: 1, Term: 1}, `1/1 ""`},
		{Entry{Index: 2, Term: 1, Cmd: `say "hi"`}, `2/1 "say \"hi\""`},
		{Entry{Index: 3, Term: 2, Cmd: "a\nb"}, `3/2 "a\nb"`},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("%+v.String() = %s, want %s", tt.e, got, tt.want)
		}
	}
}

func TestHardStateString(t *testing.T) {
	tests := []struct {
		hs   HardState
		want string
	}{
		{HardState{}, "term=0 vote=none"},
		{HardState{Term: 3, Vote: 2}, "term=3 vote=S2"},
		{HardState{Term: 12, Vote: None}, "term=12 vote=none"},
	}
	for _, tt := range tests {
		if got := tt.hs.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.hs, got, tt.want)
		}
	}
}

func TestMsgTypeStringAndIsResponse(t *testing.T) {
	tests := []struct {
		typ      MsgType
		name     string
		response bool
	}{
		{MsgVote, "RequestVote", false},
		{MsgVoteResp, "RequestVoteResp", true},
		{MsgApp, "AppendEntries", false},
		{MsgAppResp, "AppendEntriesResp", true},
		{MsgPreVote, "PreVote", false},
		{MsgPreVoteResp, "PreVoteResp", true},
		{MsgTimeoutNow, "TimeoutNow", false},
		{MsgType(9), "msg(9)", false},
	}
	for _, tt := range tests {
		if got := tt.typ.String(); got != tt.name {
			t.Errorf("MsgType(%d).String() = %q, want %q", tt.typ, got, tt.name)
		}
		if got := tt.typ.IsResponse(); got != tt.response {
			t.Errorf("%v.IsResponse() = %v, want %v", tt.typ, got, tt.response)
		}
	}
}

func TestIsHeartbeat(t *testing.T) {
	tests := []struct {
		m    Message
		want bool
	}{
		{Message{Type: MsgApp}, true},
		{Message{Type: MsgApp, Entries: []Entry{}}, true},
		{Message{Type: MsgApp, Entries: logOf(1)}, false},
		{Message{Type: MsgAppResp}, false},
		{Message{Type: MsgVote}, false},
	}
	for _, tt := range tests {
		if got := tt.m.IsHeartbeat(); got != tt.want {
			t.Errorf("IsHeartbeat(%v) = %v, want %v", tt.m, got, tt.want)
		}
	}
}

func TestMessageString(t *testing.T) {
	tests := []struct {
		name string
		m    Message
		want string
	}{
		{
			"append with one entry",
			Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 4, PrevTerm: 2, Entries: []Entry{{Index: 5, Term: 3, Cmd: "x"}}, Commit: 4},
			`S1->S2 AppendEntries term=3 prev=4/2 entries=[5/3 "x"] commit=4`,
		},
		{
			"heartbeat",
			Message{Type: MsgApp, From: 1, To: 3, Term: 2},
			`S1->S3 AppendEntries term=2 prev=0/0 entries=[] commit=0`,
		},
		{
			"noop entry",
			Message{Type: MsgApp, From: 2, To: 1, Term: 4, PrevIndex: 3, PrevTerm: 3, Entries: []Entry{{Index: 4, Term: 4, Noop: true}}, Commit: 3},
			`S2->S1 AppendEntries term=4 prev=3/3 entries=[4/4 noop] commit=3`,
		},
		{
			"four entries are all shown",
			Message{Type: MsgApp, From: 1, To: 2, Term: 1, Entries: logOf(1, 1, 1, 1)},
			`S1->S2 AppendEntries term=1 prev=0/0 entries=[1/1 "c1" 2/1 "c2" 3/1 "c3" 4/1 "c4"] commit=0`,
		},
		{
			"five entries: the fifth is counted",
			Message{Type: MsgApp, From: 1, To: 2, Term: 1, Entries: logOf(1, 1, 1, 1, 1)},
			`S1->S2 AppendEntries term=1 prev=0/0 entries=[1/1 "c1" 2/1 "c2" 3/1 "c3" 4/1 "c4" …+1] commit=0`,
		},
		{
			"many entries",
			Message{Type: MsgApp, From: 1, To: 2, Term: 2, Entries: logOf(1, 1, 2, 2, 2, 2, 2, 2), Commit: 2},
			`S1->S2 AppendEntries term=2 prev=0/0 entries=[1/1 "c1" 2/1 "c2" 3/2 "c3" 4/2 "c4" …+4] commit=2`,
		},
		{
			"request vote",
			Message{Type: MsgVote, From: 2, To: 1, Term: 4, LastIndex: 7, LastTerm: 3},
			`S2->S1 RequestVote term=4 last=7/3`,
		},
		{
			"pre-vote",
			Message{Type: MsgPreVote, From: 2, To: 1, Term: 5},
			`S2->S1 PreVote term=5 last=0/0`,
		},
		{
			"a transfer's vote request",
			Message{Type: MsgVote, From: 3, To: 2, Term: 5, LastIndex: 4, LastTerm: 3, Transfer: true},
			`S3->S2 RequestVote term=5 last=4/3 transfer`,
		},
		{
			"timeout now",
			Message{Type: MsgTimeoutNow, From: 1, To: 3, Term: 4},
			`S1->S3 TimeoutNow term=4`,
		},
		{
			"vote granted",
			Message{Type: MsgVoteResp, From: 1, To: 2, Term: 4},
			`S1->S2 RequestVoteResp term=4 granted`,
		},
		{
			"vote denied",
			Message{Type: MsgVoteResp, From: 1, To: 2, Term: 4, Reject: true},
			`S1->S2 RequestVoteResp term=4 denied`,
		},
		{
			"pre-vote denied",
			Message{Type: MsgPreVoteResp, From: 3, To: 2, Term: 4, Reject: true},
			`S3->S2 PreVoteResp term=4 denied`,
		},
		{
			"append accepted",
			Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, Match: 5, PrevIndex: 4},
			`S2->S1 AppendEntriesResp term=3 match=5`,
		},
		{
			"append rejected",
			Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, Reject: true, HintIndex: 4, HintTerm: 2},
			`S2->S1 AppendEntriesResp term=3 rejected hint=4/2`,
		},
		{
			"unknown type and no receiver",
			Message{Type: MsgType(9), From: 1, Term: 1, LastIndex: 3},
			`S1->none msg(9) term=1`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.String(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestEventString(t *testing.T) {
	tests := []struct {
		e    Event
		want string
	}{
		{
			Event{Kind: EvTimeout, Node: 1, Term: 2, Role: Candidate, Reason: ReasonElectionTimeout},
			"S1 timeout term=2 role=candidate reason=election-timeout",
		},
		{
			Event{Kind: EvBecameFollower, Node: 2, Term: 0, Reason: ReasonRestart},
			"S2 became-follower term=0 reason=restart",
		},
		{
			Event{Kind: EvBecameFollower, Node: 2, Term: 4, Peer: 1, Reason: ReasonHigherTerm},
			"S2 became-follower peer=S1 term=4 reason=higher-term",
		},
		{
			Event{Kind: EvBecamePreCandidate, Node: 3, Term: 2, Role: PreCandidate},
			"S3 became-precandidate term=2",
		},
		{
			Event{Kind: EvBecameCandidate, Node: 3, Term: 3, Role: Candidate, Reason: ReasonForced},
			"S3 became-candidate term=3 reason=forced",
		},
		{
			Event{Kind: EvBecameLeader, Node: 1, Term: 3, Role: Leader, Votes: 2},
			"S1 became-leader term=3 votes=2",
		},
		{
			Event{Kind: EvVoteGranted, Node: 2, Term: 3, Peer: 1, Reason: ReasonUpToDate, CandIndex: 5, CandTerm: 2, OwnIndex: 4, OwnTerm: 2},
			"S2 vote-granted peer=S1 term=3 cand=5/2 own=4/2 reason=up-to-date",
		},
		{
			Event{Kind: EvVoteDenied, Node: 2, Term: 3, Peer: 4, Reason: ReasonLogOlderTerm, CandIndex: 5, CandTerm: 2, OwnIndex: 4, OwnTerm: 3},
			"S2 vote-denied peer=S4 term=3 cand=5/2 own=4/3 reason=log-older-term",
		},
		{
			Event{Kind: EvVoteDenied, Node: 2, Term: 3, Peer: 4, Reason: ReasonAlreadyVoted, Voted: 3, CandIndex: 1, CandTerm: 1, OwnIndex: 1, OwnTerm: 1},
			"S2 vote-denied peer=S4 term=3 cand=1/1 own=1/1 voted=S3 reason=already-voted",
		},
		{
			Event{Kind: EvVoteGranted, Node: 2, Term: 3, Peer: 1, Pre: true, Reason: ReasonRuleOff},
			"S2 vote-granted pre peer=S1 term=3 cand=0/0 own=0/0 reason=rule-off",
		},
		{
			Event{Kind: EvVoteReceived, Node: 1, Term: 3, Peer: 2, Votes: 2},
			"S1 vote-received peer=S2 term=3 votes=2",
		},
		{
			Event{Kind: EvAppended, Node: 2, Term: 3, Index: 5, Last: 6, Entries: logOf(1, 1, 1, 1, 3, 3)[4:]},
			"S2 appended term=3 idx=5..6",
		},
		{
			Event{Kind: EvTruncated, Node: 2, Term: 3, Index: 3, Last: 4},
			"S2 truncated term=3 idx=3..4",
		},
		{
			Event{Kind: EvTruncated, Node: 2, Term: 3, Index: 3, Last: 4, Committed: true},
			"S2 truncated term=3 idx=3..4 committed",
		},
		{
			Event{Kind: EvAppendRejected, Node: 2, Term: 3, Peer: 1, Index: 5, PrevTerm: 2, Reason: ReasonMissingPrev},
			"S2 append-rejected peer=S1 term=3 prev=5/2 reason=missing-prev",
		},
		{
			Event{Kind: EvCommitted, Node: 1, Term: 3, Index: 1, Last: 3, Reason: ReasonMajority},
			"S1 committed term=3 idx=1..3 reason=majority",
		},
		{
			Event{Kind: EvApplied, Node: 1, Term: 3, Index: 1, Last: 3},
			"S1 applied term=3 idx=1..3",
		},
		{
			Event{Kind: EvProposed, Node: 1, Term: 3, Index: 7},
			"S1 proposed term=3 idx=7",
		},
		{
			Event{Kind: EvProposalRejected, Node: 2, Term: 3, Peer: 1},
			"S2 proposal-rejected peer=S1 term=3",
		},
		{
			Event{Kind: EvBackedUp, Node: 1, Term: 3, Peer: 2, Index: 6, Last: 11, Reason: ReasonHint},
			"S1 backed-up peer=S2 term=3 idx=6..11 reason=hint",
		},
		{
			Event{Kind: EvCommitHeld, Node: 1, Term: 3, Index: 2, CandTerm: 2},
			"S1 commit-held term=3 idx=2",
		},
		{
			Event{Kind: EvStaleMessage, Node: 1, Term: 5, Peer: 2, Reason: ReasonStaleTerm},
			"S1 stale-message peer=S2 term=5 reason=stale-term",
		},
		{
			Event{Kind: EvTransferStarted, Node: 1, Term: 3, Peer: 4, Index: 5, Last: 9},
			"S1 transfer-started peer=S4 term=3 match=5 last=9",
		},
		{
			Event{Kind: EvTimeoutNow, Node: 1, Term: 3, Peer: 4, Index: 9},
			"S1 timeout-now peer=S4 term=3 idx=9",
		},
		{
			Event{Kind: EvTransferAbandoned, Node: 1, Term: 3, Peer: 4},
			"S1 transfer-abandoned peer=S4 term=3",
		},
		{
			Event{Kind: EvBecameCandidate, Node: 4, Term: 4, Peer: 1, Reason: ReasonTransfer},
			"S4 became-candidate peer=S1 term=4 reason=transfer",
		},
		{
			Event{Kind: EvProposalRejected, Node: 1, Term: 3, Peer: 4, Reason: ReasonTransferring},
			"S1 proposal-rejected peer=S4 term=3 reason=transferring",
		},
		{
			Event{Kind: EventKind(99), Node: 1, Reason: Reason(99)},
			"S1 event(99) term=0 reason=reason(99)",
		},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

// Every event kind and reason has its own name: a constant added without a
// name would print as "" or collide with another.
func TestEventKindAndReasonNamesAreDistinct(t *testing.T) {
	seen := map[string]EventKind{}
	for k := EventKind(0); k < numEventKinds; k++ {
		name := k.String()
		if name == "" {
			t.Errorf("EventKind(%d) has no name", k)
		}
		if prev, dup := seen[name]; dup {
			t.Errorf("EventKind(%d) and EventKind(%d) are both %q", prev, k, name)
		}
		seen[name] = k
	}
	if got, want := numEventKinds.String(), "event("+strconv.Itoa(int(numEventKinds))+")"; got != want {
		t.Errorf("numEventKinds.String() = %q, want %q", got, want)
	}
	seenR := map[string]Reason{}
	for r := Reason(1); r < numReasons; r++ {
		name := r.String()
		if name == "" {
			t.Errorf("Reason(%d) has no name", r)
		}
		if prev, dup := seenR[name]; dup {
			t.Errorf("Reason(%d) and Reason(%d) are both %q", prev, r, name)
		}
		seenR[name] = r
	}
	if ReasonNone.String() != "" {
		t.Errorf("ReasonNone.String() = %q, want empty", ReasonNone.String())
	}
	// Spot-check names that narration and golden traces rely on.
	for r, want := range map[Reason]string{
		ReasonHigherTerm:      "higher-term",
		ReasonLeaderSeen:      "leader-seen",
		ReasonAlreadyVoted:    "already-voted",
		ReasonLogOlderTerm:    "log-older-term",
		ReasonLogShorter:      "log-shorter",
		ReasonRuleOff:         "rule-off",
		ReasonMissingPrev:     "missing-prev",
		ReasonPrevMismatch:    "prev-mismatch",
		ReasonMajorityAnyTerm: "majority-any-term",
		ReasonOneStep:         "one-step",
	} {
		if got := r.String(); got != want {
			t.Errorf("Reason(%d).String() = %q, want %q", r, got, want)
		}
	}
}
