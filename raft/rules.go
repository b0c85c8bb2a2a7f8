package raft

import (
	"errors"
	"strconv"
	"strings"
)

// Rule is one of the engine's teaching switches. Each safety rule of the
// paper can be switched off so that the playground can show why it exists
// by breaking it; a few optional extensions can be switched on; and the
// classic implementation mistakes are rules too, named for the correct
// behaviour and on by default, so that switching one off makes the
// mistake.
type Rule uint8

const (
	// ElectionRestriction: a voter denies its vote to a candidate whose log
	// is less up-to-date than its own (§5.4.1).
	ElectionRestriction Rule = iota
	// CurrentTermCommit: a leader counts replicas only for entries of its
	// current term; earlier entries commit indirectly (§5.4.2, Figure 8).
	CurrentTermCommit
	// RandomizedTimeouts: election timeouts are drawn at random from the
	// configured range (§5.2). Off, every timer is the range's lower bound.
	RandomizedTimeouts
	// PersistVote: votedFor is kept on stable storage (Figure 2). Off, a
	// restarted server forgets whom it voted for and may vote twice.
	PersistVote
	// FastBacktrack: a rejected AppendEntries carries a hint so that the
	// leader backs up nextIndex a whole term at a time (§5.3). Off, it backs
	// up one entry per round trip.
	FastBacktrack
	// LeaderNoop: a new leader appends an empty entry of its own term so
	// that earlier entries commit promptly (§8). Off by default, as in
	// Figure 2.
	LeaderNoop
	// PreVote: a server first asks whether it could win an election before
	// it increments its term, and a server grants a pre-vote only if its
	// log allows it and it has not heard from a leader for an election
	// timeout (Ongaro's dissertation §9.6). Off by default.
	PreVote
	// CheckQuorum: a leader steps down when an election timeout passes
	// without an answer from a majority (dissertation §6.2). Off by default.
	CheckQuorum

	// The implementation mistakes (KindMistake). Each is the correct
	// behaviour, on by default; off, the engine makes the mistake that
	// implementers of Raft commonly make, and says so with EvMistake.

	// HeartbeatCheck: an AppendEntries with no entries runs the same
	// consistency check as any other (Figure 2, receiver step 2). Off, a
	// follower accepts a heartbeat unchecked and answers success, so the
	// leader's matchIndex claims entries the follower does not hold.
	HeartbeatCheck
	// TruncateOnConflict: a follower deletes entries only at a real
	// conflict (Figure 2, receiver step 3). Off, it deletes everything
	// after prevLogIndex on every AppendEntries, so a delayed or repeated
	// one takes back entries it already acknowledged.
	TruncateOnConflict
	// CommitMatched: a follower sets commitIndex to min(leaderCommit,
	// index of last new entry) (Figure 2, receiver step 5). Off, it commits
	// up to leaderCommit as far as its log goes, a stale tail included.
	CommitMatched
	// CheckReplies: a leader ignores AppendEntries replies of an older term
	// and sets matchIndex from the request that was answered. Off, it takes
	// a stale reply as current, and a success as matching its whole log.
	CheckReplies
	// CompareLastTerm: "at least as up-to-date" compares the last entries'
	// terms first, and lengths only when they are equal (§5.4.1). Off, it
	// compares lengths alone.
	CompareLastTerm
	// PersistBeforeSend: a server writes its state to stable storage before
	// it sends the messages that depend on it (Figure 2, "updated on stable
	// storage before responding to RPCs"). Off, it sends first, so a crash
	// in between loses a vote or an acknowledged entry. The engine hands
	// out both at once in Ready; the driver honours the order.
	PersistBeforeSend
	// StrictTimerReset: the election timer restarts only on an
	// AppendEntries from the current leader, on granting a vote and on
	// starting an election (Figure 2, Followers). Off, any message
	// restarts it: a denied vote request, a stale AppendEntries.
	StrictTimerReset
	// KeepVote: votedFor holds for the whole term (Figure 2). Off, a
	// follower clears it when an AppendEntries of the term arrives, and
	// may then vote for a second candidate of that term.
	KeepVote

	// VoteLease (an option, appended after the mistakes so that every
	// rule keeps its bit): a server that has heard from a current leader
	// within the minimum election timeout ignores RequestVote: it neither
	// adopts the candidate's term nor grants its vote (dissertation
	// §4.2.3). A leader counts as hearing from itself. A RequestVote sent
	// for a leadership transfer is heard anyway (§3.10). Off by default.
	VoteLease

	numRules
)

// RuleKind says what switching a rule shows: a safety rule of the paper, a
// rule for liveness or speed, an optional extension, or an implementation
// mistake.
type RuleKind uint8

const (
	KindSafety RuleKind = iota
	KindLiveness
	KindOption
	KindMistake
)

var ruleKindNames = [...]string{"safety", "liveness", "option", "mistake"}

func (k RuleKind) String() string {
	if int(k) < len(ruleKindNames) {
		return ruleKindNames[k]
	}
	return "unknown-kind"
}

var ruleNames = [numRules]string{
	"election-restriction",
	"current-term-commit",
	"randomized-timeouts",
	"persist-vote",
	"fast-backtrack",
	"leader-noop",
	"prevote",
	"check-quorum",
	"heartbeat-check",
	"truncate-on-conflict",
	"commit-matched",
	"check-replies",
	"compare-last-term",
	"persist-before-send",
	"strict-timer-reset",
	"keep-vote",
	"vote-lease",
}

// AllRules lists every rule in a fixed order.
func AllRules() []Rule {
	rs := make([]Rule, numRules)
	for i := range rs {
		rs[i] = Rule(i)
	}
	return rs
}

func (r Rule) String() string {
	if r < numRules {
		return ruleNames[r]
	}
	return "unknown-rule"
}

// Kind says what sort of rule r is.
func (r Rule) Kind() RuleKind {
	switch {
	case r == ElectionRestriction || r == CurrentTermCommit || r == PersistVote:
		return KindSafety
	case r == RandomizedTimeouts || r == FastBacktrack:
		return KindLiveness
	case r >= HeartbeatCheck && r <= KeepVote:
		return KindMistake
	}
	return KindOption
}

// Safety reports whether switching r off can break a safety property
// (rather than only liveness or speed): a safety rule of the paper, or a
// mistake that loses committed entries or elects two leaders.
func (r Rule) Safety() bool {
	return r.Kind() == KindSafety || (r.Kind() == KindMistake && r != StrictTimerReset)
}

// Timed reports whether what r does depends on time: prevote's and the
// vote lease's "heard from a leader within an election timeout", and
// check-quorum's. A driver that abstracts time away (the explorer) cannot
// honour them.
func (r Rule) Timed() bool {
	return r == PreVote || r == CheckQuorum || r == VoteLease
}

// ErrUnknownRule is wrapped by ParseRule's errors.
var ErrUnknownRule = errors.New("unknown rule")

// ParseRule reads a rule name such as "election-restriction".
func ParseRule(name string) (Rule, error) {
	for i, n := range ruleNames {
		if n == name {
			return Rule(i), nil
		}
	}
	return 0, &RuleError{Name: name}
}

// RuleError reports an unknown rule name and lists the known ones.
type RuleError struct{ Name string }

func (e *RuleError) Error() string {
	return "unknown rule " + strconv.Quote(e.Name) + " (rules: " + strings.Join(ruleNames[:], ", ") + ")"
}

func (e *RuleError) Unwrap() error { return ErrUnknownRule }

// Rules is a set of rules that are on.
type Rules uint32

// DefaultRules has every safety and liveness rule of the paper on, the
// optional extensions (leader-noop, prevote, check-quorum, vote-lease)
// off, and no
// implementation mistake made (their rules on).
const DefaultRules Rules = 1<<ElectionRestriction | 1<<CurrentTermCommit |
	1<<RandomizedTimeouts | 1<<PersistVote | 1<<FastBacktrack |
	1<<HeartbeatCheck | 1<<TruncateOnConflict | 1<<CommitMatched |
	1<<CheckReplies | 1<<CompareLastTerm | 1<<PersistBeforeSend |
	1<<StrictTimerReset | 1<<KeepVote

// Has reports whether r is on.
func (s Rules) Has(r Rule) bool { return s&(1<<r) != 0 }

// With returns s with r switched on or off.
func (s Rules) With(r Rule, on bool) Rules {
	if on {
		return s | 1<<r
	}
	return s &^ (1 << r)
}

// String lists the rules that differ from DefaultRules, e.g.
// "election-restriction=off prevote=on", or "default".
func (s Rules) String() string {
	var parts []string
	for r := Rule(0); r < numRules; r++ {
		if s.Has(r) != DefaultRules.Has(r) {
			if s.Has(r) {
				parts = append(parts, r.String()+"=on")
			} else {
				parts = append(parts, r.String()+"=off")
			}
		}
	}
	if len(parts) == 0 {
		return "default"
	}
	return strings.Join(parts, " ")
}
