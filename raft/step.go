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
	if m.From < 1 || m.From > MaxServers || m.From == n.id || !isIn(m.From, n.peers) {
		return errors.New("raft: message from unknown server " + strconv.Itoa(int(m.From)))
	}
	if err := n.checkMessage(&m); err != nil {
		return err
	}
	n.timerReset = false
	err := n.step(m)
	if err == nil && !n.rules.Has(StrictTimerReset) && !n.timerReset && n.role != Leader {
		// The mistake: restarting the election timer on whatever arrives,
		// where Figure 2 restarts it only for the current leader's
		// AppendEntries, a granted vote or a new election. A server whose
		// log no one will vote for can then hold off, again and again,
		// the servers that could win.
		n.emit(Event{Kind: EvMistake, Rule: StrictTimerReset, Peer: m.From})
		n.resetElectionTimer()
	}
	return err
}

// step is Step for a message already checked.
func (n *Node) step(m Message) error {
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
	case m.Type == MsgVote && m.Term > n.term && !m.Transfer && n.rules.Has(VoteLease) && n.leaderAlive():
		// The vote lease (dissertation §4.2.3): a server that hears from
		// a current leader ignores a request for a newer term. It neither
		// adopts the term, which would depose the leader it follows, nor
		// answers: a server cut off from the leader, whose timer fired,
		// cannot disrupt a cluster that still works. A request of a
		// leadership transfer is heard: the leader asked for it.
		n.emit(Event{Kind: EvVoteDenied, Peer: m.From, Reason: ReasonLeaderAlive, Asked: m.Term,
			CandIndex: m.LastIndex, CandTerm: m.LastTerm, OwnIndex: n.LastIndex(), OwnTerm: n.LastTerm()})
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
		// Answer stale requests with our term, so that the sender learns
		// it is out of date; ignore stale responses.
		switch m.Type {
		case MsgApp:
			n.emit(Event{Kind: EvStaleMessage, Peer: m.From, Reason: ReasonStaleTerm})
			n.send(Message{Type: MsgAppResp, To: m.From, Reject: true, PrevIndex: m.PrevIndex})
		case MsgAppResp:
			if n.role == Leader && !n.rules.Has(CheckReplies) {
				// The mistake: a reply to an AppendEntries of an earlier
				// term, when this node was leader before, is taken as an
				// answer to this term's.
				n.emit(Event{Kind: EvMistake, Rule: CheckReplies, Peer: m.From, Reason: ReasonStaleTerm, Asked: m.Term})
				n.handleAppendResp(m)
				return nil
			}
			n.emit(Event{Kind: EvStaleMessage, Peer: m.From, Reason: ReasonStaleTerm})
		case MsgVote:
			// A vote request of an older term is denied like any other
			// (Figure 2, RequestVote: "reply false if term < currentTerm"),
			// and said so: Asked is the term the candidate asked for.
			n.emit(Event{Kind: EvVoteDenied, Peer: m.From, Reason: ReasonStaleTerm, Asked: m.Term,
				CandIndex: m.LastIndex, CandTerm: m.LastTerm, OwnIndex: n.LastIndex(), OwnTerm: n.LastTerm()})
			n.send(Message{Type: MsgVoteResp, To: m.From, Reject: true})
		default:
			n.emit(Event{Kind: EvStaleMessage, Peer: m.From, Reason: ReasonStaleTerm})
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
		if !n.rules.Has(KeepVote) && n.vote != None {
			// The mistake: forgetting votedFor once the term has a
			// leader. A vote request of this term that arrives late can
			// then win a second vote, and the term a second leader.
			n.emit(Event{Kind: EvMistake, Rule: KeepVote, Peer: m.From, Voted: n.vote})
			n.setVote(None)
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
	case MsgTimeoutNow:
		n.handleTimeoutNow(m)
	default:
		return errors.New("raft: unknown message type " + strconv.Itoa(int(m.Type)))
	}
	return nil
}

// MaxTerm and MaxIndex bound the terms and indexes a node accepts: far
// beyond any run (a term a millisecond for 30 years), and far from the
// overflow of an int.
const (
	MaxTerm  = 1 << 40
	MaxIndex = 1 << 40
)

// checkMessage refuses a message that no correct server could have sent,
// before it changes anything: a node must never adopt a term, or persist a
// log, that it could not restart from.
func (n *Node) checkMessage(m *Message) error {
	bad := func(what string) error {
		return errors.New("raft: " + m.Type.String() + " from " + m.From.String() + " " + what)
	}
	if m.Type >= numMsgTypes {
		return errors.New("raft: unknown message type " + strconv.Itoa(int(m.Type)))
	}
	if m.Transfer && m.Type != MsgVote {
		return bad("has the transfer flag, which only RequestVote carries")
	}
	for _, v := range [...]int{m.Term, m.LastTerm, m.PrevTerm, m.HintTerm, m.LastIndex, m.PrevIndex, m.Commit, m.Match, m.HintIndex} {
		if v < 0 {
			return bad("has a negative term or index")
		}
		if v > MaxTerm {
			return bad("has a term or index beyond " + strconv.Itoa(MaxTerm))
		}
	}
	switch m.Type {
	case MsgVote, MsgPreVote:
		if m.LastTerm > m.Term || (m.LastIndex == 0) != (m.LastTerm == 0) {
			return bad("names an impossible last entry " + strconv.Itoa(m.LastIndex) + "/" + strconv.Itoa(m.LastTerm))
		}
	case MsgApp:
		if len(m.Entries) > MaxIndex-m.PrevIndex {
			return bad("has too many entries")
		}
		for i, e := range m.Entries {
			if e.Index != m.PrevIndex+1+i {
				return bad("has entries out of sequence")
			}
		}
		if m.PrevTerm > m.Term || (m.PrevIndex == 0) != (m.PrevTerm == 0) {
			return bad("names an impossible previous entry " + strconv.Itoa(m.PrevIndex) + "/" + strconv.Itoa(m.PrevTerm))
		}
		prev := max(m.PrevTerm, 1)
		for _, e := range m.Entries {
			// A log's terms never go down, and no leader writes an entry
			// of a term later than its own.
			if e.Term < prev || e.Term > m.Term {
				return bad("has an entry of term " + strconv.Itoa(e.Term) + " out of place")
			}
			prev = e.Term
		}
	case MsgAppResp:
		if !m.Reject && m.Term == n.term && n.role == Leader && m.Match > n.LastIndex() {
			// A leader's log only grows within its term, so no follower
			// can match past its end.
			return bad("claims to match index " + strconv.Itoa(m.Match) + ", past the leader's log (" + strconv.Itoa(n.LastIndex()) + ")")
		}
	}
	return nil
}
