package raft

import (
	"errors"
	"strconv"
	"strings"
)

// Rule is one of the engine's teaching switches. Each safety rule of the
// paper can be switched off so that the playground can show why it exists
// by breaking it; a few optional extensions can be switched on.
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
	// it increments its term (Ongaro's thesis §9.6). Off by default.
	PreVote
	// CheckQuorum: a leader steps down when it has not heard from a
	// majority within an election timeout. Off by default.
	CheckQuorum

	numRules
)

var ruleNames = [numRules]string{
	"election-restriction",
	"current-term-commit",
	"randomized-timeouts",
	"persist-vote",
	"fast-backtrack",
	"leader-noop",
	"prevote",
	"check-quorum",
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

// Safety reports whether switching r off can break a safety property
// (rather than only liveness or speed).
func (r Rule) Safety() bool {
	return r == ElectionRestriction || r == CurrentTermCommit || r == PersistVote
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
type Rules uint16

// DefaultRules has every safety and liveness rule of the paper on and the
// optional extensions (leader-noop, prevote, check-quorum) off.
const DefaultRules Rules = 1<<ElectionRestriction | 1<<CurrentTermCommit |
	1<<RandomizedTimeouts | 1<<PersistVote | 1<<FastBacktrack

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
