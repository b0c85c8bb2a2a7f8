package sim_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"raftplay/raft"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// checkSentence fails unless s reads as a sentence: not empty, starting
// with a capital letter, ending with a full stop, naming no server 0.
func checkSentence(t *testing.T, r sim.Record, s string) {
	t.Helper()
	first, _ := utf8.DecodeRuneInString(s)
	switch {
	case s == "":
		t.Fatalf("%s: empty narration", r)
	case !unicode.IsUpper(first):
		t.Fatalf("%s: narration %q does not start with a capital", r, s)
	case !strings.HasSuffix(s, "."):
		t.Fatalf("%s: narration %q does not end with a full stop", r, s)
	case strings.Contains(s, "S0") || strings.Contains(s, "%!"):
		t.Fatalf("%s: narration %q is garbled", r, s)
	case strings.Contains(strings.ReplaceAll(s, "knows of none", ""), "none"):
		t.Fatalf("%s: narration %q names no one", r, s)
	}
}

// TestNarrateLongRuns narrates every record of several long, eventful
// runs: sweeps with every rule on, with every rule that can be switched
// off switched off (so violations get narrated too), and the scripted
// run of the determinism tests.
func TestNarrateLongRuns(t *testing.T) {
	var off raft.Rules
	kinds := map[string]bool{}
	check := func(recs []sim.Record) {
		for _, r := range recs {
			checkSentence(t, r, narration.Narrate(r))
			switch r.Kind {
			case sim.RecEvent:
				kinds["event "+r.Event.Kind.String()] = true
			case sim.RecAction:
				kinds["action "+r.Action.Kind.String()] = true
			case sim.RecLost:
				kinds["lost "+r.Loss.String()] = true
			case sim.RecViolation:
				kinds["violation"] = true
			}
		}
	}
	for seed := uint64(1); seed <= 3; seed++ {
		for _, rules := range []raft.Rules{allRules(), off, raft.DefaultRules} {
			r := sim.Sweep(sim.SweepConfig{Servers: 5, Duration: 10000, Rules: rules, Seed: seed, Trace: true})
			if len(r.Trace) < 1000 {
				t.Fatalf("seed %d: only %d records", seed, len(r.Trace))
			}
			check(r.Trace)
		}
	}
	c := scripted(t, 1, nil)
	check(c.Trace(0))
	c = figure8(t, raft.DefaultRules.With(raft.CurrentTermCommit, false))
	check(c.Trace(0))

	// The runs must have covered most of what can be narrated.
	for _, k := range []string{
		"event timeout", "event became-follower", "event became-candidate", "event became-leader",
		"event vote-granted", "event vote-denied", "event appended", "event truncated",
		"event append-rejected", "event committed", "event applied", "event proposed",
		"event proposal-rejected", "event backed-up", "event commit-held", "event stale-message",
		"action propose", "action crash", "action restart", "action partition", "action heal",
		"lost cut", "lost random", "lost receiver-down", "lost sender-crashed", "violation",
	} {
		if !kinds[k] {
			t.Errorf("no %s narrated in the long runs", k)
		}
	}
}

// TestNarrateEveryAction narrates one action of each kind.
func TestNarrateEveryAction(t *testing.T) {
	c := steadyCluster(t, nil)
	proposeTo(t, c, 1, "x")
	msg := c.Snapshot(1, 0).InFlight[0].ID
	acts := []sim.Action{
		{Kind: sim.ActPropose, Cmd: "set x 1"},
		{Kind: sim.ActTimeout, Server: 2},
		{Kind: sim.ActPropose, Server: 3, Cmd: "y"},
		{Kind: sim.ActCrash, Server: 4},
		{Kind: sim.ActRestart, Server: 4},
		{Kind: sim.ActCrash, Server: 4, BeforeSend: true},
		{Kind: sim.ActCrash, Server: 3, AfterSend: true},
		{Kind: sim.ActPartition, Groups: [][]raft.ID{{1, 2}, {3}}},
		{Kind: sim.ActIsolate, Server: 5},
		{Kind: sim.ActLinkDown, From: 1, To: 2},
		{Kind: sim.ActLinkUp, From: 1, To: 2},
		{Kind: sim.ActHeal},
		{Kind: sim.ActDrop, Rate: 0.25},
		{Kind: sim.ActDuplicate, Rate: 0.05},
		{Kind: sim.ActLatency, Min: 5, Max: 50},
		{Kind: sim.ActDropNext, From: 2, To: 3},
		{Kind: sim.ActRule, Rule: raft.PreVote, On: true},
		{Kind: sim.ActRule, Rule: raft.PreVote, On: false},
		{Kind: sim.ActTimer, Server: 3, Delay: 25},
		{Kind: sim.ActDropMessage, MsgID: msg},
	}
	mark := c.TraceLen()
	for _, a := range acts {
		do(t, c, a)
	}
	n := 0
	for _, r := range c.Trace(mark) {
		if r.Kind != sim.RecAction {
			continue
		}
		s := narration.Narrate(r)
		checkSentence(t, r, s)
		if r.Action.Kind != acts[n].Kind {
			t.Fatalf("action %d recorded as %v, taken as %v", n, r.Action.Kind, acts[n].Kind)
		}
		n++
	}
	if n != len(acts) {
		t.Fatalf("%d action records for %d actions", n, len(acts))
	}
	want := map[string]string{
		"drop 0.25":            "From now on the network loses 25% of messages.",
		"link S1->S2 down":     "Messages from S1 to S2 are now lost.",
		"timer S3 25ms":        "S3's election timer is set to fire in 25ms.",
		"drop next S2->S3":     "The next message from S2 to S3 will be lost.",
		"partition S1 S2 | S3": "The network splits: S1 S2 | S3.",
	}
	for _, r := range c.Trace(mark) {
		if r.Kind == sim.RecAction {
			if w, ok := want[r.Action.String()]; ok {
				if got := narration.Narrate(r); got != w {
					t.Fatalf("%s narrated %q, want %q", r.Action, got, w)
				}
				delete(want, r.Action.String())
			}
		}
	}
	if len(want) > 0 {
		t.Fatalf("actions not found in the trace: %v", want)
	}
}

// voteDenial builds the situation of the election restriction: S4's last
// entry is of term 2, S2's of term 3, and S4 asks S2 for its vote.
func voteDenial(t *testing.T) *sim.Cluster {
	c := scheduleCluster(t, raft.DefaultRules)
	timeout(t, c, 1)
	run(t, c, 100)
	expectLeader(t, c, 1, 1)
	timeout(t, c, 4)
	run(t, c, 100)
	expectLeader(t, c, 4, 2)
	proposeTo(t, c, 4, "a")
	run(t, c, 100)
	timeout(t, c, 2)
	run(t, c, 100)
	expectLeader(t, c, 2, 3)
	linkDown(t, c, 2, 4)
	proposeTo(t, c, 2, "b")
	run(t, c, 100)
	expectLog(t, c, 4, "2:a")
	expectLog(t, c, 3, "2:a 3:b")
	timeout(t, c, 4)
	run(t, c, 100)
	return c
}

// TestNarrateVoteDenial spot-checks the narration of the election
// restriction and of a few other decisions.
func TestNarrateVoteDenial(t *testing.T) {
	c := voteDenial(t)
	want := map[raft.ID]string{
		2: "S2 denies its vote to S4: S4's last log term 2 is older than S2's 3 (election restriction, §5.4.1).",
		3: "S3 denies its vote to S4: S4's last log term 2 is older than S3's 3 (election restriction, §5.4.1).",
	}
	found := 0
	for _, r := range c.Trace(0) {
		if r.Kind == sim.RecEvent && r.Event.Kind == raft.EvVoteDenied && r.Event.Peer == 4 {
			if w, ok := want[r.Event.Node]; ok {
				if got := narration.Narrate(r); got != w {
					t.Fatalf("narration:\n got %q\nwant %q", got, w)
				}
				if got := r.String(); !strings.Contains(got, "S"+itoa(int(r.Event.Node))+" vote-denied peer=S4 term=4") ||
					!strings.Contains(got, "cand=1/2 own=2/3") || !strings.Contains(got, "reason=log-older-term") {
					t.Fatalf("record %q", got)
				}
				found++
			}
		}
	}
	if found != 2 {
		t.Fatalf("%d denials found, want 2", found)
	}
	if c.Role(4) == raft.Leader {
		t.Fatal("S4 won with a stale log")
	}
	checkSafe(t, c)

	// A few more sentences, each from a situation built for it.
	n := steadyCluster(t, nil)
	do(t, n, sim.Action{Kind: sim.ActCrash, Server: 1, BeforeSend: true})
	proposeTo(t, n, 1, "x")
	for _, r := range n.Trace(0) {
		if r.Kind == sim.RecLost && r.Msg.To == 2 {
			if got, w := narration.Narrate(r), `S1's AppendEntries to S2 was never sent: S1 crashed first.`; got != w {
				t.Fatalf("narration %q, want %q", got, w)
			}
		}
		if r.Kind == sim.RecEvent && r.Event.Kind == raft.EvProposed {
			if got, w := narration.Narrate(r), "S1 takes the command as entry 1 and sends it to the followers at once."; got != w {
				t.Fatalf("narration %q, want %q", got, w)
			}
		}
	}
	// A follower that acknowledges an entry and crashes before writing it.
	u := steadyCluster(t, func(cfg *sim.Config) { cfg.Rules = cfg.Rules.With(raft.PersistBeforeSend, false) })
	do(t, u, sim.Action{Kind: sim.ActCrash, Server: 2, AfterSend: true})
	mark := u.TraceLen()
	proposeTo(t, u, 1, "x")
	run(t, u, 100)
	said := 0
	for _, r := range u.Trace(mark) {
		if r.Kind == sim.RecUnwritten {
			w := `S2 crashes after sending and before writing to disk, because persist-before-send is off: it loses entry 1 "x" (term 1), which it has acknowledged to S1. When it restarts from its disk, it knows nothing of what it told the others.`
			if got := narration.Narrate(r); got != w {
				t.Fatalf("narration %q, want %q", got, w)
			}
			said++
		}
	}
	if said != 1 {
		t.Fatalf("%d records of lost writes, want 1", said)
	}
	for _, r := range u.Trace(0) {
		if r.Kind == sim.RecAction && r.Action.AfterSend {
			w := "S2 will crash at its next step, after sending and before writing to disk: whatever that step has not yet written is lost (nothing, if it writes before it sends, as it should)."
			if got := narration.Narrate(r); got != w {
				t.Fatalf("narration %q, want %q", got, w)
			}
		}
	}
	f := figure8(t, raft.DefaultRules)
	held := false
	for _, r := range f.Trace(0) {
		if r.Kind == sim.RecEvent && r.Event.Kind == raft.EvCommitHeld && r.Event.Node == 1 {
			w := "S1 sees entry 2 (term 2) on a majority but does not commit it: it is not from the current term 4 (§5.4.2)."
			if got := narration.Narrate(r); got != w {
				t.Fatalf("narration %q, want %q", got, w)
			}
			held = true
		}
	}
	if !held {
		t.Fatal("no commit held in Figure 8")
	}
}

// TestNarrateRepairLines: the leader's and the follower's repair of a log
// say what actually decided them: a truncation with truncate-on-conflict
// off does not claim a conflict, a refusal with no hint is not said to use
// one, and a nextIndex that cannot move is not said to move.
func TestNarrateRepairLines(t *testing.T) {
	e := func(ev raft.Event) sim.Record { return sim.Record{Kind: sim.RecEvent, Event: ev} }
	two := []raft.Entry{{Index: 2, Term: 1, Cmd: "a"}, {Index: 3, Term: 1, Cmd: "b"}}
	tests := []struct {
		rec  sim.Record
		want string
	}{
		{e(raft.Event{Kind: raft.EvTruncated, Node: 2, Index: 2, Last: 3, Entries: two}), "event.truncated.many"},
		{e(raft.Event{Kind: raft.EvTruncated, Node: 2, Index: 2, Last: 3, Entries: two, Reason: raft.ReasonRuleOff}), "event.truncated.unchecked.many"},
		{e(raft.Event{Kind: raft.EvTruncated, Node: 2, Index: 3, Last: 3, Entries: two[1:], Reason: raft.ReasonRuleOff, Committed: true}), "event.truncated.unchecked.one.committed"},
		{e(raft.Event{Kind: raft.EvBackedUp, Node: 1, Peer: 2, Index: 4, Last: 7, Reason: raft.ReasonHint}), "event.backed-up.hint"},
		{e(raft.Event{Kind: raft.EvBackedUp, Node: 1, Peer: 2, Index: 1, Last: 7, Reason: raft.ReasonNoHint}), "event.backed-up.no-hint"},
		{e(raft.Event{Kind: raft.EvBackedUp, Node: 1, Peer: 2, Index: 6, Last: 7, Reason: raft.ReasonOneStep}), "event.backed-up"},
		{e(raft.Event{Kind: raft.EvBackedUp, Node: 1, Peer: 2, Index: 2, Last: 2, Reason: raft.ReasonHint}), "event.backed-up.stuck"},
	}
	for _, tt := range tests {
		if got := sim.Describe(tt.rec).Key; got != tt.want {
			t.Errorf("%v: key %q, want %q", tt.rec.Event, got, tt.want)
		}
	}
}
