package raft

import (
	"errors"
	"strconv"
)

// Step hands the node one message addressed to it. Whatever the message
// says, Step does not panic: malformed messages are refused with an error.
func (n *Node) Step(m Message) error {
	if m.To != n.id {
		return errors.New("raft: message for " + m.To.String() + " stepped on " + n.id.String())
	}
	if m.From < 1 || m.From > MaxServers || m.From == n.id || !n.isPeer(m.From) {
		return errors.New("raft: message from unknown server " + strconv.Itoa(int(m.From)))
	}
	if m.Term < 0 || m.PrevIndex < 0 || m.LastIndex < 0 || m.Commit < 0 {
		return errors.New("raft: " + m.Type.String() + " from " + m.From.String() + " has a negative term or index")
	}
	if m.Type == MsgApp {
		for i, e := range m.Entries {
			if e.Index != m.PrevIndex+1+i {
				return errors.New("raft: AppendEntries from " + m.From.String() + " has entries out of sequence")
			}
		}
	}

	switch {
	case m.Type == MsgPreVote:
		// A pre-vote carries the term the sender would campaign in; it
		// changes no one's term.
		n.handlePreVote(m)
		return nil
	case m.Type == MsgPreVoteResp && !m.Reject:
		// A granted pre-vote echoes the proposed term (our term + 1).
		if n.role == PreCandidate && m.Term == n.term+1 {
			n.handleVoteResp(m)
		}
		return nil
	case m.Term > n.term:
		// §5.1: a server that sees a newer term adopts it and becomes a
		// follower. Only AppendEntries tells it who the leader is.
		leader := None
		if m.Type == MsgApp {
			leader = m.From
		}
		n.becomeFollower(m.Term, leader, ReasonHigherTerm)
	case m.Term < n.term:
		n.emit(Event{Kind: EvStaleMessage, Peer: m.From, Reason: ReasonStaleTerm})
		// Answer stale requests with our term, so that the sender learns
		// it is out of date; ignore stale responses.
		switch m.Type {
		case MsgApp:
			n.send(Message{Type: MsgAppResp, To: m.From, Reject: true, PrevIndex: m.PrevIndex})
		case MsgVote:
			n.send(Message{Type: MsgVoteResp, To: m.From, Reject: true})
		}
		return nil
	}

	switch m.Type {
	case MsgVote:
		n.handleVote(m)
	case MsgVoteResp:
		if n.role == Candidate {
			n.handleVoteResp(m)
		}
	case MsgPreVoteResp:
		// A pre-vote refused with our own term: nothing to learn.
	case MsgApp:
		switch n.role {
		case Candidate, PreCandidate:
			// Another server won this term (§5.2): return to follower.
			n.becomeFollower(n.term, m.From, ReasonLeaderSeen)
		case Leader:
			// Two leaders in one term: Election Safety is broken (only
			// possible with a safety rule off). Defer to the other.
			n.becomeFollower(n.term, m.From, ReasonTwoLeaders)
		}
		if n.leader != m.From {
			n.leader = m.From
		}
		n.noteLeader()
		// A valid AppendEntries from the current leader resets the
		// election timer (§5.2).
		n.resetElectionTimer()
		n.handleAppend(m)
	case MsgAppResp:
		if n.role == Leader {
			n.handleAppendResp(m)
		}
	default:
		return errors.New("raft: unknown message type " + strconv.Itoa(int(m.Type)))
	}
	return nil
}

func (n *Node) isPeer(id ID) bool {
	for _, p := range n.peers {
		if p == id {
			return true
		}
	}
	return false
}
