package raft

// This file holds leader election (§5.2) and the election restriction
// (§5.4.1): role changes, RequestVote on both sides, pre-vote
// (dissertation §9.6), the vote lease (§4.2.3) and check-quorum (§6.2).

func (n *Node) becomeFollower(term int, leader ID, why Reason) {
	// Figure 2 restarts the election timer on three things only: an
	// AppendEntries from the current leader, granting a vote, and starting
	// an election. Stepping down to a newer term is none of them, so a
	// follower or candidate keeps its deadline: a server that denies a
	// vote request with a newer term still times out when it would have.
	// (Restarting it here is a classic implementation mistake: a stream of
	// hopeless candidates could then hold off the one that could win.) A
	// leader has no election timer, nor does a node just booted, so they
	// draw a fresh one.
	hadTimer := n.role != Leader && why != ReasonRestart
	n.setTerm(term)
	n.role = Follower
	n.leader = leader
	n.votes = 0
	n.transferee = None // a leader's transfer ends when it steps down (§3.10: then it is complete)
	if !hadTimer {
		n.resetElectionTimer()
	}
	if leader != None {
		n.noteLeader()
	}
	n.emit(Event{Kind: EvBecameFollower, Peer: leader, Reason: why})
}

// noteLeader records that the leader was heard from just now (for the
// "leader alive" test of prevote and vote-lease).
func (n *Node) noteLeader() {
	n.seenLeader = true
	n.lastLeaderSeen = n.now
}

// leaderAlive reports whether this node believes a leader is still in
// charge: it is the leader, or it has heard from the leader of its term
// within the minimum election timeout. Then an election is needless, and
// it would only disrupt the cluster: prevote denies the pre-vote
// (dissertation §9.6) and vote-lease ignores the vote request (§4.2.3).
// The baseline is the minimum timeout because no follower that hears
// from the leader times out sooner than that.
func (n *Node) leaderAlive() bool {
	return n.role == Leader || (n.seenLeader && n.leader != None && n.now-n.lastLeaderSeen < n.cfg.ElectionMin)
}

// startElection runs when the election timer fires: with pre-vote, first
// ask whether an election could be won; otherwise start one.
func (n *Node) startElection(why Reason) {
	if n.rules.Has(PreVote) {
		n.becomePreCandidate()
		return
	}
	n.becomeCandidate(why, None)
}

// becomePreCandidate asks the others whether they would vote for this node
// in term+1, without changing anyone's term. A server cut off from the rest
// can no longer push the cluster's term up every time its timer fires.
func (n *Node) becomePreCandidate() {
	n.role = PreCandidate
	n.leader = None
	n.votes = 1 << n.id
	n.transferee = None
	n.resetElectionTimer()
	n.emit(Event{Kind: EvBecamePreCandidate})
	if n.count(n.votes) >= n.quorum() {
		n.becomeCandidate(ReasonPreVoteWon, None)
		return
	}
	for _, p := range n.peers {
		if p != n.id {
			n.send(Message{Type: MsgPreVote, To: p, Term: n.term + 1, LastIndex: n.LastIndex(), LastTerm: n.LastTerm()})
		}
	}
}

// becomeCandidate starts an election: increment currentTerm, vote for self,
// reset the election timer, send RequestVote to all others (§5.2). by is
// the leader that asked for it, for an election of a leadership transfer
// (why is ReasonTransfer): its vote requests say so, so that voters hear
// them despite the vote lease (dissertation §4.2.3).
func (n *Node) becomeCandidate(why Reason, by ID) {
	if n.term >= MaxTerm {
		// No term left: refuse to overflow, but wait a timeout before
		// trying again, or the due timer would fire forever.
		n.resetElectionTimer()
		return
	}
	n.setTerm(n.term + 1)
	n.setVote(n.id)
	n.role = Candidate
	n.leader = None
	n.votes = 1 << n.id
	n.transferee = None
	n.resetElectionTimer()
	n.emit(Event{Kind: EvBecameCandidate, Reason: why, Peer: by})
	if n.count(n.votes) >= n.quorum() {
		n.becomeLeader()
		return
	}
	for _, p := range n.peers {
		if p != n.id {
			n.send(Message{Type: MsgVote, To: p, LastIndex: n.LastIndex(), LastTerm: n.LastTerm(), Transfer: why == ReasonTransfer})
		}
	}
}

// becomeLeader takes over: nextIndex starts just past the leader's log and
// matchIndex at 0 (Figure 2), and heartbeats go out at once so that no
// follower times out and starts another election (§5.2).
func (n *Node) becomeLeader() {
	n.role = Leader
	n.leader = n.id
	votes := n.count(n.votes)
	n.votes = 0
	n.held = 0
	n.transferee = None
	// The votes that elected it are the last word from a majority: the
	// check-quorum clock starts now.
	for _, p := range n.peers {
		n.prs[p] = progress{next: n.LastIndex() + 1, acked: n.now}
	}
	n.prs[n.id].match = n.LastIndex()
	n.heartbeatAt = n.now + n.cfg.Heartbeat
	n.emit(Event{Kind: EvBecameLeader, Votes: votes})
	if n.rules.Has(LeaderNoop) {
		// §8: an empty entry of the new term lets the leader commit the
		// entries of earlier terms that it holds (see §5.4.2).
		n.appendLocal(Entry{Noop: true})
	}
	n.broadcastAppend(true)
	n.maybeCommit()
}

// quorumDeadline is when check-quorum deposes this leader unless more
// answers come: an election timeout after the moment by which it had last
// heard from a majority, itself included (dissertation §6.2: "the leader
// steps down if an election timeout elapses without a successful round of
// heartbeats to a majority of its cluster"). By then a follower of that
// majority may have timed out and a new leader may lead; a deposed
// leader's clients can retry elsewhere. A single server never steps down.
func (n *Node) quorumDeadline() (at int, ok bool) {
	var acked [MaxServers]int // the others' last answers, latest first
	k := 0
	for _, p := range n.peers {
		if p == n.id {
			continue
		}
		v := n.prs[p].acked
		j := k
		for j > 0 && acked[j-1] < v {
			acked[j] = acked[j-1]
			j--
		}
		acked[j] = v
		k++
	}
	need := n.quorum() - 1 // answers besides its own
	if need == 0 {
		return 0, false
	}
	return acked[need-1] + n.cfg.ElectionMin, true
}

// logUpToDate reports whether a log ending at lastIndex/lastTerm is at least
// as up-to-date as this node's (§5.4.1): the later last term wins; with the
// same last term, the longer log wins. It also returns the reason it is not,
// and, with compare-last-term off, whether the mistaken comparison (of
// lengths alone) decided otherwise than the rule would have.
func (n *Node) logUpToDate(lastIndex, lastTerm int) (ok bool, why Reason, mistaken bool) {
	switch {
	case lastTerm > n.LastTerm():
		ok, why = true, ReasonUpToDate
	case lastTerm < n.LastTerm():
		ok, why = false, ReasonLogOlderTerm
	case lastIndex >= n.LastIndex():
		ok, why = true, ReasonUpToDate
	default:
		ok, why = false, ReasonLogShorter
	}
	if n.rules.Has(CompareLastTerm) {
		return ok, why, false
	}
	byLength := lastIndex >= n.LastIndex()
	if byLength == ok {
		return ok, why, false
	}
	if byLength {
		return true, ReasonUpToDate, true
	}
	return false, ReasonLogShorter, true
}

// mistakeUpToDate says that compare-last-term off decided a vote.
func (n *Node) mistakeUpToDate(m Message) {
	n.emit(Event{Kind: EvMistake, Rule: CompareLastTerm, Peer: m.From, Pre: m.Type == MsgPreVote,
		CandIndex: m.LastIndex, CandTerm: m.LastTerm, OwnIndex: n.LastIndex(), OwnTerm: n.LastTerm()})
}

// handleVote answers a RequestVote whose term is not older than ours (the
// caller has already moved to a newer term if the request carried one).
func (n *Node) handleVote(m Message) {
	ev := Event{Kind: EvVoteDenied, Peer: m.From, CandIndex: m.LastIndex, CandTerm: m.LastTerm, OwnIndex: n.LastIndex(), OwnTerm: n.LastTerm()}
	upToDate, why, mistaken := n.logUpToDate(m.LastIndex, m.LastTerm)
	if mistaken && (n.vote == None || n.vote == m.From) && (upToDate || n.rules.Has(ElectionRestriction)) {
		n.mistakeUpToDate(m)
	}
	switch {
	case n.vote != None && n.vote != m.From:
		// Each server votes for at most one candidate in a term (§5.2).
		ev.Reason, ev.Voted = ReasonAlreadyVoted, n.vote
	case !upToDate && n.rules.Has(ElectionRestriction):
		ev.Reason = why
	default:
		ev.Kind = EvVoteGranted
		switch {
		case n.vote == m.From:
			ev.Reason = ReasonSameCandidate
		case !upToDate:
			ev.Reason = ReasonRuleOff
		default:
			ev.Reason = ReasonUpToDate
		}
		n.setVote(m.From)
		// Granting a vote resets the election timer (Figure 2, Followers):
		// the server expects the candidate to become leader.
		n.resetElectionTimer()
	}
	n.emit(ev)
	n.send(Message{Type: MsgVoteResp, To: m.From, Reject: ev.Kind == EvVoteDenied})
}

// handlePreVote answers a pre-vote for term m.Term without changing any
// state: would this node vote for the sender in that term?
func (n *Node) handlePreVote(m Message) {
	ev := Event{Kind: EvVoteDenied, Pre: true, Asked: m.Term, Peer: m.From, CandIndex: m.LastIndex, CandTerm: m.LastTerm, OwnIndex: n.LastIndex(), OwnTerm: n.LastTerm()}
	upToDate, why, mistaken := n.logUpToDate(m.LastIndex, m.LastTerm)
	leaderAlive := n.leaderAlive()
	if mistaken && m.Term > n.term && !leaderAlive && (upToDate || n.rules.Has(ElectionRestriction)) {
		n.mistakeUpToDate(m)
	}
	switch {
	case m.Term <= n.term:
		ev.Reason = ReasonStaleTerm
	case leaderAlive:
		// A leader that is still heard from makes an election needless.
		ev.Reason = ReasonLeaderAlive
	case !upToDate && n.rules.Has(ElectionRestriction):
		ev.Reason = why
	default:
		ev.Kind = EvVoteGranted
		ev.Reason = ReasonUpToDate
		if !upToDate {
			ev.Reason = ReasonRuleOff
		}
	}
	n.emit(ev)
	resp := Message{Type: MsgPreVoteResp, To: m.From, Reject: ev.Kind == EvVoteDenied, Term: m.Term}
	if resp.Reject {
		resp.Term = n.term
	}
	n.send(resp)
}

// handleVoteResp counts a vote for a candidate or pre-candidate.
func (n *Node) handleVoteResp(m Message) {
	if m.Reject {
		return // a refusal counts for nothing; the newer term it may carry was handled in Step
	}
	if n.votes&(1<<m.From) != 0 {
		return // a duplicate
	}
	n.votes |= 1 << m.From
	tally := n.count(n.votes)
	n.emit(Event{Kind: EvVoteReceived, Peer: m.From, Votes: tally, Pre: m.Type == MsgPreVoteResp})
	if tally < n.quorum() {
		return
	}
	if n.role == PreCandidate {
		n.becomeCandidate(ReasonPreVoteWon, None)
	} else {
		n.becomeLeader()
	}
}
