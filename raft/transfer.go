package raft

import (
	"errors"
	"strconv"
)

// This file holds leadership transfer (Ongaro's dissertation §3.10): a
// leader hands leadership to a server it chooses. It stops taking client
// commands, brings the server's log up to date with its own by the usual
// AppendEntries, and then sends it TimeoutNow, which has the effect of
// the server's election timer running out: the server starts an election
// at once and, its log being as up-to-date as any, most likely wins it.
// Its first message of the new term deposes the old leader, which ends
// the transfer. If the transfer has not ended within an election timeout
// (the server crashed, or is cut off), the leader gives it up and takes
// commands again: at worst the mistake costs an extra election.

// TransferLeadership starts handing leadership to server to. It refuses,
// with the error CheckTransfer gives, on a node that is not the leader,
// for the leader itself or a server not of the cluster, and while another
// transfer is under way. Proposals are refused (with a *TransferringError)
// until the transfer ends.
func (n *Node) TransferLeadership(to ID) error {
	if err := n.CheckTransfer(to); err != nil {
		return err
	}
	n.transferee = to
	n.transferAt = n.now + n.cfg.ElectionMin
	pr := &n.prs[to]
	n.emit(Event{Kind: EvTransferStarted, Peer: to, Index: pr.match, Last: n.LastIndex()})
	if pr.match == n.LastIndex() {
		n.sendTimeoutNow()
		return nil
	}
	// Catch it up now rather than at the next heartbeat; its answers
	// bring more until it matches (handleAppendResp).
	n.sendAppend(to, true)
	return nil
}

// CheckTransfer says why TransferLeadership(to) would be refused now, or
// returns nil: a *NotLeaderError on a node that is not the leader, or an
// error for the leader itself, a server not of the cluster, or a transfer
// already under way.
func (n *Node) CheckTransfer(to ID) error {
	why := ""
	switch {
	case n.role != Leader:
		return &NotLeaderError{Node: n.id, Leader: n.leader}
	case to == n.id:
		why = " leads already: leadership goes to another server"
	case to < 1 || to > MaxServers || !isIn(to, n.peers):
		why = " has no server " + strconv.Itoa(int(to)) + " to hand leadership to"
	case n.transferee != None:
		why = " is already handing leadership to " + n.transferee.String()
	default:
		return nil
	}
	return errors.New(n.id.String() + why)
}

// sendTimeoutNow tells the transferee, whose log matches the leader's to
// its last entry, to start an election now. It is sent again on each
// answer that shows the match until the transfer ends, in case one is
// lost; once the transferee is a candidate, a later one is of an older
// term and it ignores it.
func (n *Node) sendTimeoutNow() {
	n.emit(Event{Kind: EvTimeoutNow, Peer: n.transferee, Index: n.LastIndex()})
	n.send(Message{Type: MsgTimeoutNow, To: n.transferee})
}

// abandonTransfer gives a transfer up: it did not end within an election
// timeout of its start. The leader takes client commands again.
func (n *Node) abandonTransfer() {
	n.emit(Event{Kind: EvTransferAbandoned, Peer: n.transferee})
	n.transferee = None
}

// handleTimeoutNow is the transferee's side: TimeoutNow from the leader of
// its term. It starts an election now, as if its timer had run out, but
// with no pre-vote round (the leader asked for the election; a pre-vote
// would be denied, since everyone hears from that leader), and its vote
// requests carry the transfer flag for voters that keep a vote lease.
func (n *Node) handleTimeoutNow(m Message) {
	if n.role == Leader {
		return // two leaders of one term: only with a safety rule off
	}
	n.becomeCandidate(ReasonTransfer, m.From)
}
