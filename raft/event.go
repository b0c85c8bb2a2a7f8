package raft

import (
	"strconv"
	"strings"
)

// EventKind says what happened inside a node.
type EventKind uint8

const (
	// EvTimeout: the election timer fired (Role is the role it fired in).
	EvTimeout EventKind = iota
	// EvBecameFollower: Peer is the known leader (or None), Reason why.
	EvBecameFollower
	// EvBecamePreCandidate: a pre-vote round for term Term+1 began.
	EvBecamePreCandidate
	// EvBecameCandidate: an election for Term began (Reason: timeout or forced).
	EvBecameCandidate
	// EvBecameLeader: won Term with Votes votes.
	EvBecameLeader
	// EvVoteGranted / EvVoteDenied: Node answered Peer's RequestVote (or
	// PreVote when Pre is set). CandIndex/CandTerm is the candidate's last
	// entry, OwnIndex/OwnTerm the voter's; Reason says why.
	EvVoteGranted
	EvVoteDenied
	// EvVoteReceived: a candidate counted Peer's vote; Votes is the tally.
	EvVoteReceived
	// EvAppended: entries Index..Last were appended (Entries holds them).
	EvAppended
	// EvTruncated: entries Index..Last were removed because they conflict
	// with the leader's (§5.3), or, with Reason ReasonRuleOff, whether or
	// not they did (truncate-on-conflict off). Committed is set if any of
	// them had been committed by this node: only possible with a rule off.
	EvTruncated
	// EvAppendRejected: Node rejected Peer's AppendEntries (Reason).
	// Index/PrevTerm is the PrevIndex/PrevTerm it could not match.
	EvAppendRejected
	// EvCommitted: commitIndex advanced from Index-1 to Last (Reason).
	EvCommitted
	// EvApplied: entries Index..Last were applied to the state machine.
	EvApplied
	// EvProposed: a client command was appended by the leader at Index.
	EvProposed
	// EvProposalRejected: Node is not the leader; Peer is its leader hint.
	// Or (Reason transferring) Node leads but is handing leadership to Peer.
	EvProposalRejected
	// EvBackedUp: the leader moved Peer's nextIndex from Last to Index
	// after a rejection (Reason says whether it used the hint, or had
	// none). Index equals Last when nextIndex could not move: it never
	// goes below matchIndex+1.
	EvBackedUp
	// EvCommitHeld: Index is stored on a majority but is from an earlier
	// term (EntryTerm), so the leader, whose commitIndex is Last, does not
	// count it (§5.4.2): entries Last+1..Index are held back.
	EvCommitHeld
	// EvStaleMessage: Node ignored a message of an older term from Peer
	// (requests are answered with the newer term so the sender steps down).
	EvStaleMessage
	// EvMistake: Node just made the implementation mistake that switching
	// Rule off makes, and it changed what Node did (see the mistake rules
	// in rules.go). Peer is the server the message came from, if any;
	// Index and Last say which entries it touched (per rule: see the
	// code that emits it).
	EvMistake
	// Leadership transfer (dissertation §3.10), on the leader.
	// EvTransferStarted: the leader began handing leadership to Peer; it
	// takes no new commands meanwhile. Index is Peer's matchIndex, Last
	// the leader's last index: Peer must reach it first.
	EvTransferStarted
	// EvTimeoutNow: Peer's log matches the leader's up to Index, its last
	// entry, so the leader sent it TimeoutNow: start an election now.
	EvTimeoutNow
	// EvTransferAbandoned: the transfer to Peer did not finish within an
	// election timeout; the leader takes commands again.
	EvTransferAbandoned

	numEventKinds
)

var eventKindNames = [numEventKinds]string{
	"timeout", "became-follower", "became-precandidate", "became-candidate",
	"became-leader", "vote-granted", "vote-denied", "vote-received",
	"appended", "truncated", "append-rejected", "committed", "applied",
	"proposed", "proposal-rejected", "backed-up", "commit-held", "stale-message",
	"mistake", "transfer-started", "timeout-now", "transfer-abandoned",
}

func (k EventKind) String() string {
	if k < numEventKinds {
		return eventKindNames[k]
	}
	return "event(" + strconv.Itoa(int(k)) + ")"
}

// Reason says why a node decided what it did. Each names the rule of the
// paper behind the decision, so that narration can cite it.
type Reason uint8

const (
	ReasonNone Reason = iota
	// ReasonHigherTerm: a message carried a newer term (§5.1: "If a server
	// receives a request with a stale term number, it rejects the request";
	// one with a newer term makes it a follower).
	ReasonHigherTerm
	// ReasonLeaderSeen: a candidate heard from a leader of its term (§5.2).
	ReasonLeaderSeen
	// ReasonTwoLeaders: a leader heard from another leader of its own term,
	// which Election Safety forbids; possible only with a safety rule off.
	ReasonTwoLeaders
	// ReasonElectionTimeout: no word from a leader within the timeout (§5.2).
	ReasonElectionTimeout
	// ReasonForced: started by hand (Campaign).
	ReasonForced
	// ReasonPreVoteWon: a majority said it could win.
	ReasonPreVoteWon
	// ReasonQuorumLost: check-quorum: no word from a majority in an election
	// timeout.
	ReasonQuorumLost
	// ReasonRestart: the server (re)started.
	ReasonRestart

	// Vote decisions (§5.2, §5.4.1).
	ReasonUpToDate        // granted: candidate's log at least as up-to-date
	ReasonRuleOff         // granted although the candidate's log is behind: election-restriction off
	ReasonSameCandidate   // granted again to the candidate already voted for
	ReasonAlreadyVoted    // denied: voted for Voted this term
	ReasonStaleTerm       // denied or rejected: request's term older than ours
	ReasonLogOlderTerm    // denied: candidate's last log term is older
	ReasonLogShorter      // denied: same last term, candidate's log shorter
	ReasonLeaderAlive     // pre-vote denied, or a vote request ignored (vote-lease): heard from a leader within an election timeout
	ReasonMissingPrev     // append rejected: no entry at PrevIndex
	ReasonPrevMismatch    // append rejected: entry at PrevIndex has another term
	ReasonMajority        // committed: stored on a majority, of the current term (§5.4.2)
	ReasonMajorityAnyTerm // committed by counting replicas of an earlier-term entry: current-term-commit off
	ReasonLeaderCommit    // committed: the leader's commitIndex (§5.3)
	ReasonHint            // backed up using the follower's conflict hint
	ReasonOneStep         // backed up one entry (fast-backtrack off)
	ReasonNoHint          // backed up past matchIndex: the refusal carried no hint (it answered a request of an earlier term)

	// Leadership transfer (dissertation §3.10).
	ReasonTransfer     // an election started by TimeoutNow
	ReasonTransferring // proposal refused: the leader is handing leadership to Peer

	numReasons
)

var reasonNames = [numReasons]string{
	"", "higher-term", "leader-seen", "two-leaders", "election-timeout",
	"forced", "prevote-won", "quorum-lost", "restart",
	"up-to-date", "rule-off", "same-candidate", "already-voted",
	"stale-term", "log-older-term", "log-shorter", "leader-alive",
	"missing-prev", "prev-mismatch", "majority", "majority-any-term",
	"leader-commit", "hint", "one-step", "no-hint",
	"transfer", "transferring",
}

func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return "reason(" + strconv.Itoa(int(r)) + ")"
}

// Event is one structured thing that happened inside a node. Which fields
// are set depends on Kind (see the EventKind constants). Events are cheap
// to make; turning them into words is left to whoever reads them.
type Event struct {
	Kind   EventKind
	Node   ID
	Term   int // the node's term after the event
	Role   Role
	Peer   ID
	Reason Reason
	Pre    bool // a pre-vote, not a vote
	Asked  int  // for a pre-vote decision, or a vote denied for a stale term or ignored (vote-lease): the term the candidate asks about
	Voted  ID   // for ReasonAlreadyVoted: whom the voter chose
	Votes  int  // tally for EvVoteReceived / EvBecameLeader

	Index, Last int
	// Candidate's and voter's last log entries, for vote decisions (the
	// voter's also for a rejected append).
	CandIndex, CandTerm int
	OwnIndex, OwnTerm   int
	PrevTerm            int // EvAppendRejected: the leader's prevLogTerm, which did not match
	EntryTerm           int // EvCommitHeld: the term of the entry held back

	Committed bool    // EvTruncated: some removed entry had been committed
	Entries   []Entry // EvAppended, EvTruncated, EvApplied
	Rule      Rule    // EvMistake: the rule switched off
}

// String writes e compactly for traces and golden tests, e.g.
// "S2 vote-denied to=S4 term=3 reason=log-older-term cand=5/2 own=4/3".
func (e Event) String() string {
	var b strings.Builder
	b.WriteString(e.Node.String())
	b.WriteByte(' ')
	b.WriteString(e.Kind.String())
	if e.Pre {
		b.WriteString(" pre")
	}
	num := func(k string, v int) {
		b.WriteByte(' ')
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(strconv.Itoa(v))
	}
	if e.Peer != None {
		b.WriteString(" peer=")
		b.WriteString(e.Peer.String())
	}
	num("term", e.Term)
	switch e.Kind {
	case EvTimeout:
		b.WriteString(" role=")
		b.WriteString(e.Role.String())
	case EvVoteGranted, EvVoteDenied:
		b.WriteString(" cand=")
		b.WriteString(strconv.Itoa(e.CandIndex) + "/" + strconv.Itoa(e.CandTerm))
		b.WriteString(" own=")
		b.WriteString(strconv.Itoa(e.OwnIndex) + "/" + strconv.Itoa(e.OwnTerm))
		if e.Voted != None {
			b.WriteString(" voted=")
			b.WriteString(e.Voted.String())
		}
	case EvVoteReceived, EvBecameLeader:
		num("votes", e.Votes)
	case EvAppended, EvTruncated, EvCommitted, EvApplied, EvBackedUp:
		b.WriteString(" idx=")
		b.WriteString(strconv.Itoa(e.Index) + ".." + strconv.Itoa(e.Last))
		if e.Committed {
			b.WriteString(" committed")
		}
	case EvAppendRejected:
		b.WriteString(" prev=")
		b.WriteString(strconv.Itoa(e.Index) + "/" + strconv.Itoa(e.PrevTerm))
	case EvProposed, EvCommitHeld, EvTimeoutNow:
		num("idx", e.Index)
	case EvTransferStarted:
		num("match", e.Index)
		num("last", e.Last)
	case EvMistake:
		b.WriteString(" rule=")
		b.WriteString(e.Rule.String())
		b.WriteString(" idx=")
		b.WriteString(strconv.Itoa(e.Index) + ".." + strconv.Itoa(e.Last))
	}
	if e.Reason != ReasonNone {
		b.WriteString(" reason=")
		b.WriteString(e.Reason.String())
	}
	return b.String()
}
