package raft

import (
	"math"
	"testing"
)

// Step refuses malformed messages with an error and changes nothing.
func TestStepRejectsMalformedMessages(t *testing.T) {
	app := func(prev int, entries ...Entry) Message {
		return Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevIndex: prev, PrevTerm: 2, Entries: entries}
	}
	tests := []struct {
		name string
		m    Message
		want string // the error message
	}{
		{"addressed to another server", Message{Type: MsgVote, From: 2, To: 3, Term: 2}, "raft: message for S3 stepped on S1"},
		{"addressed to nobody", Message{Type: MsgVote, From: 2, Term: 2}, "raft: message for none stepped on S1"},
		{"from nobody", Message{Type: MsgVote, From: None, To: 1, Term: 2}, "raft: message from unknown server 0"},
		{"from a negative id", Message{Type: MsgVote, From: -3, To: 1, Term: 2}, "raft: message from unknown server -3"},
		{"from an id past S9", Message{Type: MsgVote, From: 12, To: 1, Term: 2}, "raft: message from unknown server 12"},
		{"from itself", Message{Type: MsgVote, From: 1, To: 1, Term: 2}, "raft: message from unknown server 1"},
		{"from a server outside the cluster", Message{Type: MsgVote, From: 5, To: 1, Term: 2}, "raft: message from unknown server 5"},
		{"negative term", Message{Type: MsgVote, From: 2, To: 1, Term: -1}, "raft: RequestVote from S2 has a negative term or index"},
		{"negative last index", Message{Type: MsgVote, From: 2, To: 1, Term: 3, LastIndex: -1}, "raft: RequestVote from S2 has a negative term or index"},
		{"negative prev index", app(-1), "raft: AppendEntries from S2 has a negative term or index"},
		{"negative commit", Message{Type: MsgApp, From: 2, To: 1, Term: 2, Commit: -2}, "raft: AppendEntries from S2 has a negative term or index"},
		{"entries do not follow prev", app(2, Entry{Index: 4, Term: 2}), "raft: AppendEntries from S2 has entries out of sequence"},
		{"entries overlap prev", app(2, Entry{Index: 2, Term: 2}), "raft: AppendEntries from S2 has entries out of sequence"},
		{"entries with a gap", app(2, Entry{Index: 3, Term: 2}, Entry{Index: 5, Term: 2}), "raft: AppendEntries from S2 has entries out of sequence"},
		{"entries in reverse", app(0, Entry{Index: 2, Term: 2}, Entry{Index: 1, Term: 2}), "raft: AppendEntries from S2 has entries out of sequence"},
		{"unknown type", Message{Type: MsgType(9), From: 2, To: 1, Term: 2}, "raft: unknown message type 9"},
		{"unknown type 7", Message{Type: MsgType(7), From: 2, To: 1, Term: 2}, "raft: unknown message type 7"},
		{"transfer flag off a RequestVote", Message{Type: MsgPreVote, From: 2, To: 1, Term: 3, Transfer: true}, "raft: PreVote from S2 has the transfer flag, which only RequestVote carries"},
		// Refused before the term is looked at: neither answered as stale
		// nor adopted as newer.
		{"unknown type, older term", Message{Type: MsgType(9), From: 2, To: 1, Term: 1}, "raft: unknown message type 9"},
		{"unknown type, newer term", Message{Type: MsgType(9), From: 2, To: 1, Term: 7}, "raft: unknown message type 9"},
		{"negative last term", Message{Type: MsgVote, From: 2, To: 1, Term: 3, LastTerm: -1}, "raft: RequestVote from S2 has a negative term or index"},
		{"negative prev term", Message{Type: MsgApp, From: 2, To: 1, Term: 3, PrevTerm: -1}, "raft: AppendEntries from S2 has a negative term or index"},
		{"negative match", Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, Match: -4}, "raft: AppendEntriesResp from S2 has a negative term or index"},
		{"negative hint index", Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, Reject: true, HintIndex: -1}, "raft: AppendEntriesResp from S2 has a negative term or index"},
		{"negative hint term", Message{Type: MsgAppResp, From: 2, To: 1, Term: 3, Reject: true, HintTerm: -1}, "raft: AppendEntriesResp from S2 has a negative term or index"},
		{"term past MaxTerm", Message{Type: MsgApp, From: 2, To: 1, Term: MaxTerm + 1}, "raft: AppendEntries from S2 has a term or index beyond 1099511627776"},
		{"huge term", Message{Type: MsgVote, From: 2, To: 1, Term: math.MaxInt}, "raft: RequestVote from S2 has a term or index beyond 1099511627776"},
		{"huge commit", Message{Type: MsgApp, From: 2, To: 1, Term: 3, Commit: MaxIndex + 1}, "raft: AppendEntries from S2 has a term or index beyond 1099511627776"},
		{"last entry newer than the request", Message{Type: MsgVote, From: 2, To: 1, Term: 3, LastIndex: 4, LastTerm: 4}, "raft: RequestVote from S2 names an impossible last entry 4/4"},
		{"last entry of term 0", Message{Type: MsgVote, From: 2, To: 1, Term: 3, LastIndex: 4}, "raft: RequestVote from S2 names an impossible last entry 4/0"},
		{"last entry at index 0 with a term", Message{Type: MsgPreVote, From: 2, To: 1, Term: 3, LastTerm: 1}, "raft: PreVote from S2 names an impossible last entry 0/1"},
		{"prev entry newer than the request", Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevIndex: 2, PrevTerm: 3}, "raft: AppendEntries from S2 names an impossible previous entry 2/3"},
		{"prev entry of term 0", Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevIndex: 2}, "raft: AppendEntries from S2 names an impossible previous entry 2/0"},
		{"prev at index 0 with a term", Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevTerm: 1}, "raft: AppendEntries from S2 names an impossible previous entry 0/1"},
		{"entry newer than the request", app(2, Entry{Index: 3, Term: 3}), "raft: AppendEntries from S2 has an entry of term 3 out of place"},
		{"entry of term 0", Message{Type: MsgApp, From: 2, To: 1, Term: 2, Entries: []Entry{{Index: 1}}}, "raft: AppendEntries from S2 has an entry of term 0 out of place"},
		{"entry older than prev", Message{Type: MsgApp, From: 2, To: 1, Term: 3, PrevIndex: 2, PrevTerm: 2, Entries: []Entry{{Index: 3, Term: 1}}}, "raft: AppendEntries from S2 has an entry of term 1 out of place"},
		{"entry terms go down", Message{Type: MsgApp, From: 2, To: 1, Term: 3, Entries: []Entry{{Index: 1, Term: 2}, {Index: 2, Term: 1}}}, "raft: AppendEntries from S2 has an entry of term 1 out of place"},
		{"entries past MaxIndex", Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevIndex: MaxIndex, PrevTerm: 2, Entries: []Entry{{Index: MaxIndex + 1, Term: 2}}}, "raft: AppendEntries from S2 has too many entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestNode(t, 1, ids(3), withState(2, 3, 1, 2))
			err := n.Step(tt.m)
			if err == nil {
				t.Fatalf("Step(%v) accepted it", tt.m)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q\nwant  %q", err, tt.want)
			}
			if n.HasReady() {
				t.Errorf("a refused message produced output: %+v", n.Ready())
			}
			wantState(t, n, Follower, 2, 3, None)
			wantLog(t, n, 1, 2)
		})
	}
}

// Step accepts every well-formed message in every role without error, even
// ones that make no sense where they arrive.
func TestStepAcceptsWellFormedMessagesInEveryRole(t *testing.T) {
	roles := map[string]func(t *testing.T) *Node{
		"follower": func(t *testing.T) *Node { return newTestNode(t, 1, ids(3), withState(2, None, 1, 2)) },
		"candidate": func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(1, None, 1))
			n.Campaign()
			return n
		},
		"leader": func(t *testing.T) *Node { return newLeader(t, 1, ids(3), withState(1, None, 1)) },
		"precandidate": func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3), withState(2, None, 1, 2), withRule(PreVote, true))
			n.Advance(testElection)
			return n
		},
	}
	for name, setup := range roles {
		for typ := MsgVote; typ < numMsgTypes; typ++ {
			for _, term := range []int{0, 1, 2, 3} {
				for _, reject := range []bool{false, true} {
					n := setup(t)
					// Last and previous entries no newer than the message.
					last, prev := min(term, 2), min(term, 1)
					m := Message{Type: typ, From: 2, To: 1, Term: term, Reject: reject, PrevIndex: prev, PrevTerm: prev, LastIndex: last, LastTerm: last, Match: 1, Commit: 1}
					if err := n.Step(m); err != nil {
						t.Errorf("%s: Step(%v): %v", name, m, err)
					}
				}
			}
		}
	}
}

// The largest term a message may carry is MaxTerm.
func TestStepAcceptsMaxTerm(t *testing.T) {
	n := newTestNode(t, 1, ids(3))
	mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: MaxTerm})
	wantState(t, n, Follower, MaxTerm, None, 2)
	// A server at MaxTerm cannot start an election: no term is left.
	n.Campaign()
	wantState(t, n, Follower, MaxTerm, None, 2)
}
