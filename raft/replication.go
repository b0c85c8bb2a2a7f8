package raft

// This file holds log replication (§5.3) and commitment (§5.4.2): the
// leader's side of AppendEntries, the follower's consistency check and
// repair, and the commit rule.

// appendLocal appends one entry of the current term to the leader's own log
// and returns its index.
func (n *Node) appendLocal(e Entry) int {
	e.Index = n.LastIndex() + 1
	e.Term = n.term
	n.log.Append(e)
	n.markUnstable(e.Index)
	n.prs[n.id].match = e.Index
	n.prs[n.id].next = e.Index + 1
	n.emit(Event{Kind: EvAppended, Index: e.Index, Last: e.Index, Entries: n.log.Slice(e.Index-1, e.Index)})
	return e.Index
}

func (n *Node) markUnstable(from int) {
	if n.unstable == 0 || from < n.unstable {
		n.unstable = from
	}
}

// broadcastAppend sends AppendEntries to every follower. On a heartbeat
// every follower gets a message from its nextIndex on, empty if it is up to
// date; otherwise followers get the entries not yet in flight to them.
func (n *Node) broadcastAppend(heartbeat bool) {
	for _, p := range n.peers {
		if p != n.id {
			n.sendAppend(p, heartbeat)
		}
	}
}

// sendAppend sends p the entries from its nextIndex on (at most
// MaxEntries of them), preceded by the entry before them for the
// consistency check (§5.3). Unless always is set (a heartbeat, or a retry
// after a rejection), it sends only if the message would carry an entry
// not yet sent: a leader sends new entries at once, but a burst of
// proposals, or of answers, does not become a flood of messages that
// carry nothing new.
func (n *Node) sendAppend(p ID, always bool) {
	pr := &n.prs[p]
	last := n.LastIndex()
	prev := pr.next - 1
	hi := min(last, prev+n.cfg.MaxEntries)
	if !always && hi <= pr.sent {
		return // nothing new to send
	}
	m := Message{Type: MsgApp, To: p, PrevIndex: prev, PrevTerm: n.termAt(prev), Commit: n.commit}
	if hi > prev {
		m.Entries = n.log.Slice(prev, hi)
	}
	pr.sent = max(pr.sent, hi)
	n.send(m)
}

// handleAppend is the follower's side of AppendEntries (Figure 2, receiver
// implementation), for a request of the current term from its leader.
func (n *Node) handleAppend(m Message) {
	resp := Message{Type: MsgAppResp, To: m.From, PrevIndex: m.PrevIndex}
	if len(m.Entries) == 0 && !n.rules.Has(HeartbeatCheck) {
		n.acceptHeartbeat(m, resp)
		return
	}
	// Consistency check (§5.3): the log must hold an entry at PrevIndex
	// whose term is PrevTerm.
	if m.PrevIndex > n.LastIndex() {
		resp.Reject = true
		resp.HintIndex = n.LastIndex() + 1
		n.emit(Event{Kind: EvAppendRejected, Peer: m.From, Reason: ReasonMissingPrev, Index: m.PrevIndex, PrevTerm: m.PrevTerm, OwnIndex: n.LastIndex()})
		n.send(resp)
		return
	}
	if t := n.termAt(m.PrevIndex); t != m.PrevTerm {
		// The hint: the conflicting term and the first index we hold of it,
		// so the leader can skip the whole term in one round trip.
		first := m.PrevIndex
		for first > 1 && n.termAt(first-1) == t {
			first--
		}
		resp.Reject = true
		resp.HintTerm, resp.HintIndex = t, first
		n.emit(Event{Kind: EvAppendRejected, Peer: m.From, Reason: ReasonPrevMismatch, Index: m.PrevIndex, PrevTerm: m.PrevTerm, OwnTerm: t})
		n.send(resp)
		return
	}
	// Skip entries we already hold; at the first conflict (same index,
	// different term) delete it and all that follow, then append the rest.
	// Entries that match are never removed: an old, reordered message must
	// not cut off entries that a later one appended.
	lastNew := m.PrevIndex + len(m.Entries)
	if !n.rules.Has(TruncateOnConflict) && n.LastIndex() > m.PrevIndex {
		n.truncateAll(m)
	}
	for i, e := range m.Entries {
		if e.Index <= n.LastIndex() {
			if n.termAt(e.Index) == e.Term {
				continue
			}
			n.truncate(e.Index)
		}
		n.appendEntries(m.Entries[i:])
		break
	}
	// If leaderCommit > commitIndex, set commitIndex = min(leaderCommit,
	// index of last new entry). Only what this message proved to match may
	// be committed: entries past it may still be wrong.
	c := min(m.Commit, lastNew)
	if wrong := min(m.Commit, n.LastIndex()); wrong > c && wrong > n.commit && !n.rules.Has(CommitMatched) {
		// The mistake: commitIndex = min(leaderCommit, last index), which
		// commits whatever the log holds past the entries this message
		// matched: perhaps a tail of an old term the leader has not yet
		// repaired.
		n.emit(Event{Kind: EvMistake, Rule: CommitMatched, Peer: m.From, Index: lastNew + 1, Last: wrong})
		c = wrong
	}
	if c > n.commit {
		n.commitTo(c, ReasonLeaderCommit)
	}
	resp.Match = lastNew
	n.send(resp)
}

// acceptHeartbeat is the mistake of heartbeat-check off: an AppendEntries
// with no entries is taken as success without the consistency check. The
// reply claims a match up to prevLogIndex, which the leader believes, and
// the follower commits up to it, whatever its log holds there.
func (n *Node) acceptHeartbeat(m Message, resp Message) {
	if m.PrevIndex > n.LastIndex() || n.termAt(m.PrevIndex) != m.PrevTerm {
		n.emit(Event{Kind: EvMistake, Rule: HeartbeatCheck, Peer: m.From, Index: m.PrevIndex, Last: m.PrevIndex, PrevTerm: m.PrevTerm, OwnIndex: n.LastIndex(), OwnTerm: n.termAt(m.PrevIndex)})
	}
	if c := min(m.Commit, m.PrevIndex, n.LastIndex()); c > n.commit {
		n.commitTo(c, ReasonLeaderCommit)
	}
	resp.Match = m.PrevIndex
	n.send(resp)
}

// truncateAll is the mistake of truncate-on-conflict off: the follower
// deletes every entry after prevLogIndex before appending, whether or not
// it conflicts. It is a mistake only when some of them did not conflict:
// entries that match the message's, or lie past its end.
func (n *Node) truncateAll(m Message) {
	from := m.PrevIndex + 1
	// Where the rule would truncate: at the first entry of the message
	// that conflicts, if any.
	conflict := 0
	for _, e := range m.Entries {
		if e.Index > n.LastIndex() {
			break
		}
		if n.termAt(e.Index) != e.Term {
			conflict = e.Index
			break
		}
	}
	if conflict == from {
		n.truncate(from) // a real conflict: what the rule would do too
		return
	}
	n.emit(Event{Kind: EvMistake, Rule: TruncateOnConflict, Peer: m.From, Index: from, Last: n.LastIndex()})
	n.truncateWhy(from, ReasonRuleOff)
}

// truncate removes the entries from index i on, where they conflict with
// the leader's.
func (n *Node) truncate(i int) { n.truncateWhy(i, 0) }

// truncateWhy removes the entries from index i on; why is ReasonRuleOff
// when they go whether or not they conflict (truncate-on-conflict off).
func (n *Node) truncateWhy(i int, why Reason) {
	removed := n.log.Slice(i-1, n.log.Len())
	n.emit(Event{Kind: EvTruncated, Index: i, Last: n.LastIndex(), Committed: i <= n.commit, Entries: removed, Reason: why})
	// The removed entries stay where they are, for the checkpoints,
	// messages and events that share them; the next append goes to a
	// new chunk (see chunk.List.Truncate).
	n.log.Truncate(i - 1)
	n.markUnstable(i)
}

func (n *Node) appendEntries(es []Entry) {
	first := n.LastIndex() + 1
	n.log.Append(es...)
	n.markUnstable(first)
	n.emit(Event{Kind: EvAppended, Index: first, Last: n.LastIndex(), Entries: n.log.Slice(first-1, n.log.Len())})
}

// handleAppendResp is the leader's side of an AppendEntries response.
func (n *Node) handleAppendResp(m Message) {
	pr := &n.prs[m.From]
	pr.acked = n.now // an answer, success or not, is word from a follower (check-quorum)
	if m.Reject {
		if m.PrevIndex != pr.next-1 {
			return // answers a message sent before nextIndex last moved
		}
		old := pr.next
		next, why := old-1, ReasonOneStep
		if n.rules.Has(FastBacktrack) {
			why = ReasonHint
			if m.HintIndex == 0 {
				// A refusal of a request of an earlier term (see Step)
				// says nothing of the follower's log; with no hint to go
				// by, start again just past what the follower is known to
				// hold. A low guess is safe (§5.3): it costs entries sent
				// twice.
				why = ReasonNoHint
			}
			next = m.HintIndex
			if m.HintTerm > 0 {
				// If we hold entries of the follower's conflicting term, its
				// log may match ours up to our last entry of that term.
				for i := min(m.PrevIndex, n.LastIndex()); i > 0 && n.termAt(i) >= m.HintTerm; i-- {
					if n.termAt(i) == m.HintTerm {
						next = i + 1
						break
					}
				}
			}
			next = min(next, old-1)
		}
		pr.next = max(next, pr.match+1, 1)
		pr.sent = pr.next - 1
		n.emit(Event{Kind: EvBackedUp, Peer: m.From, Index: pr.next, Last: old, Reason: why})
		n.sendAppend(m.From, true)
		return
	}
	// A reply of this term never matches past the leader's log (see
	// checkMessage); one of an earlier term, taken as current with
	// check-replies off, may, from a log since cut short.
	match := min(m.Match, n.LastIndex())
	if !n.rules.Has(CheckReplies) && n.LastIndex() > match {
		// The mistake: matchIndex from the leader's log as it is now,
		// not from the request answered, which may have carried less.
		n.emit(Event{Kind: EvMistake, Rule: CheckReplies, Peer: m.From, Index: match + 1, Last: n.LastIndex()})
		match = n.LastIndex()
	}
	if match > pr.match {
		pr.match = match
		n.maybeCommit()
	}
	pr.next = max(pr.next, pr.match+1)
	pr.sent = max(pr.sent, pr.match)
	if m.From == n.transferee && pr.match == n.LastIndex() {
		n.sendTimeoutNow() // the server taken over by a transfer is up to date
		return
	}
	n.sendAppend(m.From, false) // more, if there is more and room for it
}

// maybeCommit advances the leader's commitIndex to the highest index stored
// on a majority, provided that entry is from the current term (§5.4.2):
// Figure 8 shows how counting replicas of an older entry can commit an
// entry that a later leader then overwrites. Older entries commit
// indirectly, by the Log Matching Property, when a newer one does.
func (n *Node) maybeCommit() {
	var matches [MaxServers]int
	k := 0
	for _, p := range n.peers {
		// insertion sort, descending; at most nine values
		v := n.prs[p].match
		j := k
		for j > 0 && matches[j-1] < v {
			matches[j] = matches[j-1]
			j--
		}
		matches[j] = v
		k++
	}
	idx := matches[n.quorum()-1] // stored on at least a majority
	if idx <= n.commit {
		return
	}
	t := n.termAt(idx)
	if t == n.term {
		n.commitTo(idx, ReasonMajority)
		return
	}
	if !n.rules.Has(CurrentTermCommit) {
		n.commitTo(idx, ReasonMajorityAnyTerm)
		return
	}
	if idx > n.held {
		n.held = idx
		n.emit(Event{Kind: EvCommitHeld, Index: idx, EntryTerm: t, Last: n.commit})
	}
}

// commitTo advances commitIndex to c and applies the newly committed
// entries at once (the simulator's state machines apply as they commit).
func (n *Node) commitTo(c int, why Reason) {
	from := n.commit + 1
	n.commit = c
	n.emit(Event{Kind: EvCommitted, Index: from, Last: c, Reason: why})
	if c > n.applied {
		lo := n.applied + 1
		n.applied = c
		n.emit(Event{Kind: EvApplied, Index: lo, Last: c, Entries: n.log.Slice(lo-1, c)})
	}
}
