package raft

import "errors"

// This file holds the node's clock and its timers: the election timer of
// followers and candidates (§5.2) and the leader's heartbeat, its
// check-quorum deadline and its time for a leadership transfer.

// Now returns the ticks this node has seen since it started.
func (n *Node) Now() int { return n.now }

// UntilTimer returns the ticks until the node's next timer fires: the
// election timer on followers and candidates; on leaders the heartbeat,
// check-quorum's deadline, or the end of a leadership transfer's time. Zero means a timer is due now (see
// Sync).
func (n *Node) UntilTimer() int {
	at := n.electionAt
	if n.role == Leader {
		at = n.heartbeatAt
		if q, ok := n.quorumDeadline(); ok && n.rules.Has(CheckQuorum) {
			at = min(at, q)
		}
		if n.transferee != None {
			at = min(at, n.transferAt)
		}
	}
	return max(at-n.now, 0)
}

// ElectionTimer returns when the current election timer started and when it
// fires, in ticks since the node started (for drawing it draining). On a
// leader, which has no election timer, both are zero.
func (n *Node) ElectionTimer() (start, deadline int) {
	if n.role == Leader {
		return 0, 0
	}
	return n.timerStart, n.electionAt
}

// Tick advances the node's clock by one tick.
func (n *Node) Tick() { n.Advance(1) }

// Advance advances the node's clock by d ticks, firing timers as they fall
// due, as d calls to Tick would, but in time proportional to the number of
// timers that fire rather than to d. A timer already due (see Sync) fires
// even when d is 0.
func (n *Node) Advance(d int) {
	n.advance(d, true)
}

// Sync advances the clock by d ticks like Advance, except that a timer due
// exactly at the end does not fire: it stays due (UntilTimer returns 0).
// A driver that acts on a node between two events of the same instant uses
// it, so that the action comes before that timer, as its own event, and
// may replace it.
func (n *Node) Sync(d int) {
	n.advance(d, false)
}

func (n *Node) advance(d int, fireAtEnd bool) {
	for d >= 0 {
		until := n.UntilTimer()
		if until > d || (until == d && !fireAtEnd) {
			n.now += d
			return
		}
		n.now += until
		d -= until
		n.fireTimers()
	}
}

func (n *Node) fireTimers() {
	if n.role == Leader {
		if q, ok := n.quorumDeadline(); ok && n.rules.Has(CheckQuorum) && n.now >= q {
			n.becomeFollower(n.term, None, ReasonQuorumLost)
			return
		}
		if n.transferee != None && n.now >= n.transferAt {
			n.abandonTransfer()
		}
		if n.now >= n.heartbeatAt {
			n.FireHeartbeat()
		}
		return
	}
	if n.now >= n.electionAt {
		n.FireElectionTimer()
	}
}

// FireElectionTimer makes the election timer run out now, as if its time
// had come: a follower or candidate starts an election (§5.2), or first a
// pre-vote round under the prevote rule. A leader has no election timer:
// on a leader it does nothing. (Campaign, by contrast, starts an election
// at once whatever the role, without pre-vote.) FireElectionTimer and
// FireHeartbeat are for a driver that decides itself when timers fire,
// stepping the cluster by hand, instead of letting its clock decide.
func (n *Node) FireElectionTimer() {
	if n.role == Leader {
		return
	}
	n.emit(Event{Kind: EvTimeout, Role: n.role, Reason: ReasonElectionTimeout})
	n.startElection(ReasonElectionTimeout)
}

// FireHeartbeat makes the leader's heartbeat timer run out now: it sends
// AppendEntries to every follower, with entries to those that lack them
// (§5.2, §5.3), and its next heartbeat is due a full interval from now.
// It leaves check-quorum's deadline alone. On a node that is not leader
// it does nothing.
func (n *Node) FireHeartbeat() {
	if n.role != Leader {
		return
	}
	n.heartbeatAt = n.now + n.cfg.Heartbeat
	n.broadcastAppend(true)
}

// RestartTimers starts the node's timers afresh from now, which a driver
// that held them still (firing them by hand with FireElectionTimer and
// FireHeartbeat) needs when it lets the clock run them again: a newly
// drawn election timeout on a follower or candidate; on a leader, a whole
// heartbeat interval, a whole election timeout for check-quorum (as if
// every follower had answered just now) and for a transfer under way.
// Nothing fires.
func (n *Node) RestartTimers() {
	if n.role == Leader {
		n.heartbeatAt = n.now + n.cfg.Heartbeat
		for _, p := range n.peers {
			n.prs[p].acked = n.now
		}
		if n.transferee != None {
			n.transferAt = n.now + n.cfg.ElectionMin
		}
		return
	}
	n.resetElectionTimer()
}

// resetElectionTimer restarts the election timer with a fresh draw (§5.2).
func (n *Node) resetElectionTimer() {
	d := n.cfg.ElectionMin
	if n.rules.Has(RandomizedTimeouts) && n.cfg.ElectionMax > n.cfg.ElectionMin {
		d += n.rnd.IntN(n.cfg.ElectionMax - n.cfg.ElectionMin + 1)
	}
	n.timerStart = n.now
	n.electionAt = n.now + d
	n.timerReset = true
}

// SetElectionTimeout changes the election timeout range from now on, as an
// operator retunes a running cluster (§5.6: broadcastTime ≪
// electionTimeout ≪ MTBF). Nothing is redrawn: a timer already running
// keeps its deadline, and the new range applies from the next draw (the
// next reset of the election timer: an AppendEntries from the leader, a
// vote granted, an election started, stepping down from leadership).
// Check-quorum's "heard from a majority within the minimum election
// timeout", and pre-vote's and vote-lease's "heard from a leader within
// it", compare with the new minimum at once. It reports an error, and changes nothing,
// unless 1 <= min <= max.
func (n *Node) SetElectionTimeout(min, max int) error {
	if min < 1 || max < min {
		return errors.New("raft: election timeout range must satisfy 1 <= min <= max")
	}
	n.cfg.ElectionMin, n.cfg.ElectionMax = min, max
	return nil
}

// ElectionTimeout returns the election timeout range in force.
func (n *Node) ElectionTimeout() (min, max int) { return n.cfg.ElectionMin, n.cfg.ElectionMax }

// SetElectionTimer makes the election timer fire d ticks from now unless it
// is reset first (a heartbeat or a granted vote); later resets draw as usual.
// A leader has no election timer, and stepping down draws a new one, so on
// a leader it has no effect.
func (n *Node) SetElectionTimer(d int) {
	n.timerStart = n.now
	n.electionAt = n.now + max(d, 1)
}
