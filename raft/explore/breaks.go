package explore

import "raftplay/raft"

// breaks lists, for each rule whose switching off the explorer breaks
// from a new cluster of three servers, bounds within which it finds the
// shortest break in seconds on one core: the fastest searches first.
// The tests (TestExploreBreaks) check the depth and invariant of each.
//
// Two rules with Safety() are missing. current-term-commit needs more
// terms and steps than the search can cover from a new cluster (Figure 8
// is searched from its panel (c) instead: docs/explore.md).
// commit-matched off is never found to break anything, and cannot: in
// this engine a leader's nextIndex for a follower never falls below the
// first index at which the follower holds an entry that differs from the
// leader's (at the leader's election it is past the leader's log; a
// refusal's hint moves it back to that index at most; a success moves it
// past entries that match). So an AppendEntries with entries either
// begins after that index, and is refused, or at it, and replaces every
// entry from there on: the follower never holds a differing entry past
// the entries it accepted, and committing up to leaderCommit as far as
// its log goes, the mistake, commits only entries the leader holds too.
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
