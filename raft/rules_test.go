package raft

import (
	"errors"
	"testing"
)

// The rule table: name, whether it is on by default, whether switching it
// off can break safety, and its kind. The order is AllRules' order.
var ruleTable = []struct {
	rule      Rule
	name      string
	byDefault bool
	safety    bool
	kind      string
}{
	{ElectionRestriction, "election-restriction", true, true, "safety"},
	{CurrentTermCommit, "current-term-commit", true, true, "safety"},
	{RandomizedTimeouts, "randomized-timeouts", true, false, "liveness"},
	{PersistVote, "persist-vote", true, true, "safety"},
	{FastBacktrack, "fast-backtrack", true, false, "liveness"},
	{LeaderNoop, "leader-noop", false, false, "option"},
	{PreVote, "prevote", false, false, "option"},
	{CheckQuorum, "check-quorum", false, false, "option"},
	{HeartbeatCheck, "heartbeat-check", true, true, "mistake"},
	{TruncateOnConflict, "truncate-on-conflict", true, true, "mistake"},
	{CommitMatched, "commit-matched", true, true, "mistake"},
	{CheckReplies, "check-replies", true, true, "mistake"},
	{CompareLastTerm, "compare-last-term", true, true, "mistake"},
	{PersistBeforeSend, "persist-before-send", true, true, "mistake"},
	{StrictTimerReset, "strict-timer-reset", true, false, "mistake"},
	{KeepVote, "keep-vote", true, true, "mistake"},
	{VoteLease, "vote-lease", false, false, "option"},
}

func TestAllRulesOrderNamesAndDefaults(t *testing.T) {
	all := AllRules()
	if len(all) != len(ruleTable) {
		t.Fatalf("AllRules() has %d rules, want %d", len(all), len(ruleTable))
	}
	for i, tt := range ruleTable {
		if all[i] != tt.rule {
			t.Errorf("AllRules()[%d] = %v, want %v", i, all[i], tt.rule)
		}
		if got := tt.rule.String(); got != tt.name {
			t.Errorf("Rule(%d).String() = %q, want %q", tt.rule, got, tt.name)
		}
		if got := DefaultRules.Has(tt.rule); got != tt.byDefault {
			t.Errorf("DefaultRules.Has(%v) = %v, want %v", tt.rule, got, tt.byDefault)
		}
		if got := tt.rule.Safety(); got != tt.safety {
			t.Errorf("%v.Safety() = %v, want %v", tt.rule, got, tt.safety)
		}
		if got := tt.rule.Kind().String(); got != tt.kind {
			t.Errorf("%v.Kind() = %v, want %v", tt.rule, got, tt.kind)
		}
	}
	// AllRules returns a fresh slice each time.
	all[0] = CheckQuorum
	if AllRules()[0] != ElectionRestriction {
		t.Errorf("AllRules shares its slice between calls")
	}
}

// The rules whose meaning depends on time, which a driver that abstracts
// time away (the explorer) must refuse.
func TestTimedRules(t *testing.T) {
	for _, r := range AllRules() {
		want := r == PreVote || r == CheckQuorum || r == VoteLease
		if r.Timed() != want {
			t.Errorf("%v.Timed() = %v, want %v", r, r.Timed(), want)
		}
	}
}

func TestParseRule(t *testing.T) {
	for _, tt := range ruleTable {
		got, err := ParseRule(tt.name)
		if err != nil || got != tt.rule {
			t.Errorf("ParseRule(%q) = %v, %v; want %v, nil", tt.name, got, err, tt.rule)
		}
	}
}

func TestParseRuleUnknown(t *testing.T) {
	const list = "(rules: election-restriction, current-term-commit, randomized-timeouts, persist-vote, fast-backtrack, leader-noop, prevote, check-quorum, heartbeat-check, truncate-on-conflict, commit-matched, check-replies, compare-last-term, persist-before-send, strict-timer-reset, keep-vote, vote-lease)"
	for _, name := range []string{"nope", "", "Prevote", "prevote ", "pre-vote", "check_quorum"} {
		_, err := ParseRule(name)
		var re *RuleError
		if !errors.As(err, &re) {
			t.Errorf("ParseRule(%q) error = %v (%T), want *RuleError", name, err, err)
			continue
		}
		if re.Name != name {
			t.Errorf("RuleError.Name = %q, want %q", re.Name, name)
		}
		if !errors.Is(err, ErrUnknownRule) {
			t.Errorf("ParseRule(%q) error does not wrap ErrUnknownRule", name)
		}
		if want := `unknown rule "` + name + `" ` + list; err.Error() != want {
			t.Errorf("ParseRule(%q) error =\n  %s\nwant\n  %s", name, err, want)
		}
	}
}

func TestRuleStringUnknown(t *testing.T) {
	if got := Rule(42).String(); got != "unknown-rule" {
		t.Errorf("Rule(42).String() = %q, want %q", got, "unknown-rule")
	}
	if got := numRules.String(); got != "unknown-rule" {
		t.Errorf("numRules.String() = %q, want %q", got, "unknown-rule")
	}
}

func TestRulesWithAndHas(t *testing.T) {
	for _, tt := range ruleTable {
		off := DefaultRules.With(tt.rule, false)
		on := DefaultRules.With(tt.rule, true)
		if off.Has(tt.rule) || !on.Has(tt.rule) {
			t.Errorf("%v: With(false).Has = %v, With(true).Has = %v", tt.rule, off.Has(tt.rule), on.Has(tt.rule))
		}
		// Only that rule changes.
		for _, other := range AllRules() {
			if other == tt.rule {
				continue
			}
			if off.Has(other) != DefaultRules.Has(other) || on.Has(other) != DefaultRules.Has(other) {
				t.Errorf("switching %v also switched %v", tt.rule, other)
			}
		}
		// Switching twice is the same as once.
		if on.With(tt.rule, true) != on || off.With(tt.rule, false) != off {
			t.Errorf("%v: With is not idempotent", tt.rule)
		}
	}
	var none Rules
	for _, r := range AllRules() {
		if none.Has(r) {
			t.Errorf("the zero Rules has %v on", r)
		}
	}
}

func TestRulesString(t *testing.T) {
	tests := []struct {
		rules Rules
		want  string
	}{
		{DefaultRules, "default"},
		{DefaultRules.With(ElectionRestriction, false).With(PreVote, true), "election-restriction=off prevote=on"},
		{DefaultRules.With(PreVote, true).With(ElectionRestriction, false), "election-restriction=off prevote=on"},
		{DefaultRules.With(CheckQuorum, true).With(LeaderNoop, true), "leader-noop=on check-quorum=on"},
		{DefaultRules.With(CurrentTermCommit, false), "current-term-commit=off"},
		{0, "election-restriction=off current-term-commit=off randomized-timeouts=off persist-vote=off fast-backtrack=off heartbeat-check=off truncate-on-conflict=off commit-matched=off check-replies=off compare-last-term=off persist-before-send=off strict-timer-reset=off keep-vote=off"},
		{DefaultRules.With(KeepVote, false), "keep-vote=off"},
		{1<<numRules - 1, "leader-noop=on prevote=on check-quorum=on vote-lease=on"},
	}
	for _, tt := range tests {
		if got := tt.rules.String(); got != tt.want {
			t.Errorf("Rules(%#x).String() = %q, want %q", uint32(tt.rules), got, tt.want)
		}
	}
}

// SetRules takes effect from the next message handled: the same request is
// denied before the switch and granted after it.
func TestSetRulesAppliesToTheNextMessage(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(2, None, 1, 2))
	if n.Rules() != DefaultRules {
		t.Fatalf("Rules() = %v, want default", n.Rules())
	}
	behind := Message{Type: MsgVote, From: 2, To: 1, Term: 3, LastIndex: 1, LastTerm: 1}
	mustStep(t, n, behind)
	rd := drain(n)
	wantMsgs(t, rd.Messages, Message{Type: MsgVoteResp, From: 1, To: 2, Term: 3, Reject: true})

	n.SetRules(DefaultRules.With(ElectionRestriction, false))
	if got, want := n.Rules(), DefaultRules.With(ElectionRestriction, false); got != want {
		t.Fatalf("Rules() = %v, want %v", got, want)
	}
	behind.Term = 4
	mustStep(t, n, behind)
	rd = drain(n)
	wantMsgs(t, rd.Messages, Message{Type: MsgVoteResp, From: 1, To: 2, Term: 4})
	wantEvent(t, rd.Events, Event{Kind: EvVoteGranted, Node: 1, Term: 4, Role: Follower, Peer: 2,
		Reason: ReasonRuleOff, CandIndex: 1, CandTerm: 1, OwnIndex: 2, OwnTerm: 2})
}

// SetRules changes the timer draw from the next reset on.
func TestSetRulesAppliesToTheNextTimerDraw(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withTimeouts(10, 1000), withSeed(7))
	n.SetRules(DefaultRules.With(RandomizedTimeouts, false))
	// The current timer was drawn at random; the next ones are exactly 10.
	n.Campaign()
	for range 3 {
		if _, deadline := n.ElectionTimer(); deadline-n.Now() != 10 {
			t.Fatalf("timer after SetRules = %d ticks, want 10", deadline-n.Now())
		}
		if got, _ := ticksUntil(n, EvTimeout, 20); got != 10 {
			t.Fatalf("timed out after %d ticks, want 10", got)
		}
	}
}
