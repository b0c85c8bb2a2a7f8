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
	lastNew := m.PrevIndex + len(m.Entries)
	// If leaderCommit > commitIndex, set commitIndex = min(leaderCommit,
	// index of last new entry). Only what this message proved to match may
	// be committed: entries past it may still be wrong.
	if c := min(m.Commit, lastNew); c > n.commit {
		n.commitTo(c, ReasonLeaderCommit)
	}
	resp.Match = lastNew
	n.send(resp)
}

// truncate removes the entries from index i on.
func (n *Node) truncate(i int) {
	removed := n.log.Slice(i-1, n.log.Len())
	n.emit(Event{Kind: EvTruncated, Index: i, Last: n.LastIndex(), Committed: i <= n.commit, Entries: removed})
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
	pr.active = true
	if m.Reject {
		if m.PrevIndex != pr.next-1 {
			return // answers a message sent before nextIndex last moved
		}
		old := pr.next
		next, why := old-1, ReasonOneStep
		if n.rules.Has(FastBacktrack) {
			why = ReasonHint
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
	if m.Match > pr.match {
		pr.match = m.Match
		n.maybeCommit()
	}
	pr.next = max(pr.next, pr.match+1)
	pr.sent = max(pr.sent, pr.match)
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
