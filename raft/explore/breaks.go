package explore

import "raftplay/raft"

// breaks lists, for each rule whose switching off the explorer breaks
// from a new cluster of three servers, bounds within which it finds the
// shortest break in seconds on one core: the fastest searches first.
// The tests (TestExploreBreaks) check the depth and invariant of each.
//
// Two rules with Safety() are missing: their breaks are too deep to
// search from a new cluster, and they are searched from a scenario's end
// instead (docs/explore.md). current-term-commit needs more terms and
// steps (Figure 8, from its panel (c): testdata/figure8-c.raft).
// commit-matched off needs a small batch and a leader's nextIndex for a
// follower below the first entry where their logs part, which happens
// only when the leader, re-elected, takes a refusal of its previous
// term's AppendEntries (which says nothing of the follower's log) for an
// answer of its new term: 28 steps through testdata/commit-matched.raft,
// with a crash, while the searches from a new cluster stopped, none
// broken, at depth 25 (four terms) and 21 (three and a crash).
var breaks = []struct {
	rule   raft.Rule
	bounds Bounds
}{
	// Two leaders of term 1: a follower forgets its vote on the
	// leader's heartbeat and votes again.
	{raft.KeepVote, breakBounds(1, 0, 0, 0, 0, 6, 0)},
	// Two leaders of term 1: a voter sends its vote and crashes before
	// writing it.
	{raft.PersistBeforeSend, breakBounds(1, 0, 0, 1, 1, 6, 0)},
	// A leader elected on a log as long as the voter's, but older.
	{raft.CompareLastTerm, breakBounds(3, 1, 2, 0, 0, 2, 0)},
	// The command line's defaults (which the lessons quote).
	{raft.PersistVote, DefaultBounds()},
	// An unchecked heartbeat commits a follower's stale entry.
	{raft.HeartbeatCheck, breakBounds(3, 1, 2, 0, 0, 2, 0)},
	{raft.ElectionRestriction, DefaultBounds()},
	// A heartbeat's success taken as matching the leader's new entry.
	{raft.CheckReplies, breakBounds(2, 1, 1, 0, 0, 7, 0)},
	// A delayed heartbeat removes an entry its follower acknowledged.
	{raft.TruncateOnConflict, breakBounds(2, 1, 1, 0, 0, 7, 0)},
}

func breakBounds(terms, log, requests, crashes, restarts, inflight, batch int) Bounds {
	b := DefaultBounds()
	b.Terms, b.Log, b.Requests, b.Crashes, b.Restarts, b.InFlight, b.Batch = terms, log, requests, crashes, restarts, inflight, batch
	return b
}

// BreakBounds returns bounds for a search from a new cluster of three
// servers with rules in force: with a rule that breaks safety switched
// off, ones within which the explorer finds the shortest break of one
// such rule (the one found fastest) in seconds; true if there is one. It
// returns false, and DefaultBounds, when no rule off is one whose break
// the explorer finds from a new cluster (every safety rule on, or only
// current-term-commit or commit-matched off).
func BreakBounds(rules raft.Rules) (Bounds, bool) {
	for _, b := range breaks {
		if !rules.Has(b.rule) {
			return b.bounds, true
		}
	}
	return DefaultBounds(), false
}
