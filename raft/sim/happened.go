package sim

import (
	"slices"

	"raftplay/raft"
)

// This file keeps what happened, as opposed to what is: every election,
// every vote decision, every AppendEntries refused by the consistency
// check, every entry a leader held back from commitment and every entry a
// server removed from its log. Lessons narrate why things
// happened ("S4 refused S3 because it had already voted"), and the scenario
// language checks those claims with history conditions that hold once the
// thing has happened. The records live in the monitor, so they are part of
// every checkpoint and follow a rewind; they are kept with or without the
// trace.

// Ballot is one vote decision: Voter granted or denied its vote (not a
// pre-vote) to Candidate, for term Term.
type Ballot struct {
	Term             int
	Voter, Candidate raft.ID
	Granted          bool
	Reason           raft.Reason // why (see raft.Reason: up-to-date, already-voted, …)
}

// Removal is one entry that a server deleted from its log because it
// conflicted with a leader's (§5.3), or that a leader overwrote with a
// safety rule off.
type Removal struct {
	Server raft.ID
	Entry  raft.Entry
}

// Rejection is one AppendEntries that a follower refused because its log
// failed the consistency check (§5.3).
type Rejection struct {
	Server, Leader raft.ID
	Term           int
	Reason         raft.Reason // missing-prev or prev-mismatch
}

// Hold is a leader seeing entries From..To stored on a majority and not
// committing them, because they are from an earlier term (§5.4.2).
type Hold struct {
	Leader   raft.ID
	Term     int
	From, To int
}

// Election is one server becoming leader of a term, at a moment.
type Election struct {
	Term   int
	Leader raft.ID
	Time   int
}

// happened is the monitor's record of elections, ballots and removals.
// The slices only grow at the end, so a checkpoint shares them, capped.
type happened struct {
	elections []Election
	ballots   []Ballot
	removals  []Removal
	rejects   []Rejection
	holds     []Hold
}

func (h *happened) clone() happened {
	return happened{
		elections: slices.Clip(h.elections),
		ballots:   slices.Clip(h.ballots),
		removals:  slices.Clip(h.removals),
		rejects:   slices.Clip(h.rejects),
		holds:     slices.Clip(h.holds),
	}
}

// observe records the elections, vote decisions and removals among a
// node's events.
func (h *happened) observe(now int, ev *raft.Event) {
	switch ev.Kind {
	case raft.EvBecameLeader:
		h.elections = append(h.elections, Election{Term: ev.Term, Leader: ev.Node, Time: now})
	case raft.EvVoteGranted, raft.EvVoteDenied:
		if ev.Pre {
			return
		}
		term := ev.Term
		if ev.Reason == raft.ReasonStaleTerm || ev.Reason == raft.ReasonLeaderAlive {
			// A stale request (the voter is in a later term), or one the
			// vote lease ignored (in an earlier one): the ballot is
			// about the term asked for.
			term = ev.Asked
		}
		h.ballots = append(h.ballots, Ballot{Term: term, Voter: ev.Node, Candidate: ev.Peer,
			Granted: ev.Kind == raft.EvVoteGranted, Reason: ev.Reason})
	case raft.EvCommitHeld:
		h.holds = append(h.holds, Hold{Leader: ev.Node, Term: ev.Term, From: ev.Last + 1, To: ev.Index})
	case raft.EvAppendRejected:
		h.rejects = append(h.rejects, Rejection{Server: ev.Node, Leader: ev.Peer, Term: ev.Term, Reason: ev.Reason})
	case raft.EvTruncated:
		for _, e := range ev.Entries {
			h.removals = append(h.removals, Removal{Server: ev.Node, Entry: e})
		}
	}
}

// Ballots returns every vote decision so far, in the order they were made
// (shared with the cluster: do not modify).
func (c *Cluster) Ballots() []Ballot {
	return slices.Clip(c.mon.happened.ballots)
}

// Removals returns every entry removed from a log so far, in order (shared
// with the cluster: do not modify).
func (c *Cluster) Removals() []Removal {
	return slices.Clip(c.mon.happened.removals)
}

// Rejections returns every AppendEntries refused by the consistency check
// so far, in order (shared with the cluster: do not modify).
func (c *Cluster) Rejections() []Rejection {
	return slices.Clip(c.mon.happened.rejects)
}

// Holds returns every time a leader held back entries of an earlier term
// that a majority stored, in order (shared with the cluster: do not
// modify).
func (c *Cluster) Holds() []Hold {
	return slices.Clip(c.mon.happened.holds)
}

// Elections returns every election won so far, in order: who became
// leader of which term, and when (two in one term when election-safety is broken).
// The result is shared with the cluster: do not modify it.
func (c *Cluster) Elections() []Election {
	return slices.Clip(c.mon.happened.elections)
}
