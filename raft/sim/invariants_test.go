package sim_test

import (
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// The invariant monitor is only worth something if it can fail. Each
// schedule below steers the cluster, step by step, into the situation a
// safety rule exists to prevent. With that rule off, the monitor must
// record the violation the rule guards against; with every rule on, the
// same schedule must be safe.
//
// The schedules use long election timeouts so that no server times out on
// its own while they run: every election is one the schedule starts.

func scheduleCluster(t *testing.T, rules raft.Rules) *sim.Cluster {
	t.Helper()
	return newCluster(t, func(cfg *sim.Config) {
		cfg.Rules = rules
		cfg.ElectionMin, cfg.ElectionMax = 1000, 1500
	})
}

// expectLeader checks that id leads term.
func expectLeader(t *testing.T, c *sim.Cluster, id raft.ID, term int) {
	t.Helper()
	if c.Leader() != id || c.Term(id) != term {
		t.Fatalf("t=%d: leader %v of term %d, want %v of term %d", c.Now(), c.Leader(), c.Term(c.Leader()), id, term)
	}
}

// expectLog checks id's log, written as "term:cmd" words.
func expectLog(t *testing.T, c *sim.Cluster, id raft.ID, want string) {
	t.Helper()
	var got []string
	for _, e := range c.Log(id) {
		got = append(got, itoa(e.Term)+":"+e.Cmd)
	}
	if strings.Join(got, " ") != want {
		t.Fatalf("t=%d: %v's log is %q, want %q", c.Now(), id, strings.Join(got, " "), want)
	}
}

func itoa(i int) string { return cmdN("", i) }

// lostCommittedEntry: S1 commits x on S1, S2 and S3 only. S4, whose log
// is empty, then runs for term 2. With the election restriction, S1, S2
// and S3 refuse: S4 cannot win. Without it, S4 wins lacking the committed
// x, and its own entry y overwrites x on the servers that applied it.
func lostCommittedEntry(t *testing.T, rules raft.Rules) *sim.Cluster {
	c := scheduleCluster(t, rules)
	timeout(t, c, 1)
	run(t, c, 100)
	expectLeader(t, c, 1, 1)
	linkDown(t, c, 1, 4)
	linkDown(t, c, 1, 5)
	proposeTo(t, c, 1, "x")
	x := len(c.Log(1)) // 2 with leader-noop
	run(t, c, 150)
	for _, id := range []raft.ID{1, 2, 3} {
		if c.Commit(id) != x {
			t.Fatalf("%v's commitIndex %d, want %d", id, c.Commit(id), x)
		}
	}
	if len(c.Log(4)) >= x || len(c.Log(5)) >= x {
		t.Fatalf("S4 or S5 has x: %v, %v", c.Log(4), c.Log(5))
	}
	timeout(t, c, 4)
	run(t, c, 100)
	if c.Leader() == 4 {
		proposeTo(t, c, 4, "y")
	}
	run(t, c, 300)
	return c
}

// twoLeaders: S1 wins term 1 with the votes of S3 and S4 (its requests to
// S2 and S5 are lost). S3 crashes and restarts; then S2 runs in term 1 and
// asks S3 and S5. Without persist-vote S3 has forgotten its vote and votes
// again: S2 becomes a second leader of term 1.
func twoLeaders(t *testing.T, rules raft.Rules) *sim.Cluster {
	c := scheduleCluster(t, rules)
	linkDown(t, c, 1, 2)
	linkDown(t, c, 1, 5)
	timeout(t, c, 1)
	run(t, c, 100)
	expectLeader(t, c, 1, 1)
	if c.Term(2) != 0 || c.Term(5) != 0 {
		t.Fatalf("S2 and S5 heard of term 1: terms %d and %d", c.Term(2), c.Term(5))
	}
	crash(t, c, 3)
	restart(t, c, 3)
	timeout(t, c, 2)
	run(t, c, 100)
	return c
}

// figure8 replays the paper's Figure 8 (terms as in the paper, plus an
// entry a of term 1 committed everywhere first).
func figure8(t *testing.T, rules raft.Rules) *sim.Cluster {
	c := scheduleCluster(t, rules)
	timeout(t, c, 1)
	run(t, c, 100)
	proposeTo(t, c, 1, "a")
	run(t, c, 100)
	waitCommitted(t, c, 1, 5, 100)

	// (a) S1 leads term 2; its entry b reaches S2 only.
	timeout(t, c, 1)
	run(t, c, 100)
	expectLeader(t, c, 1, 2)
	for _, id := range []raft.ID{3, 4, 5} {
		linkDown(t, c, 1, id)
	}
	proposeTo(t, c, 1, "b")
	run(t, c, 50)
	expectLog(t, c, 2, "1:a 2:b")
	expectLog(t, c, 3, "1:a")

	// (b) S1 crashes; S5 wins term 3 with S3's and S4's votes and takes c,
	// which reaches no one. (Messages are lost to a cut only if it still
	// stands when they arrive, so let those in flight arrive before
	// healing.)
	crash(t, c, 1)
	run(t, c, 25)
	heal(t, c)
	timeout(t, c, 5)
	run(t, c, 100)
	expectLeader(t, c, 5, 3)
	isolate(t, c, 5)
	proposeTo(t, c, 5, "c")
	run(t, c, 50)
	expectLog(t, c, 5, "1:a 3:c")
	expectLog(t, c, 2, "1:a 2:b")

	// (c) S5 crashes; S1 restarts and, at its second try (S3 and S4 voted
	// for S5 in term 3), wins term 4, then copies b to S3 and S4: b is on
	// a majority.
	crash(t, c, 5)
	run(t, c, 25)
	heal(t, c)
	restart(t, c, 1)
	timeout(t, c, 1)
	run(t, c, 100)
	if c.Role(1) != raft.Candidate || c.Term(1) != 3 {
		t.Fatalf("S1 is %v of term %d, want a candidate of term 3 that lost", c.Role(1), c.Term(1))
	}
	timeout(t, c, 1)
	run(t, c, 100)
	expectLeader(t, c, 1, 4)
	expectLog(t, c, 3, "1:a 2:b")

	// (d) S1 crashes before any entry of term 4 leaves it. S5 restarts and,
	// at its second try, wins term 5 with votes from S2, S3 and S4, whose
	// last term (2) is older than its own (3). It overwrites b with c.
	crash(t, c, 1)
	restart(t, c, 5)
	timeout(t, c, 5)
	run(t, c, 100)
	timeout(t, c, 5)
	run(t, c, 100)
	expectLeader(t, c, 5, 5)
	run(t, c, 200)
	expectLog(t, c, 3, "1:a 3:c")
	return c
}

func TestInvariantElectionRestriction(t *testing.T) {
	t.Run("off", func(t *testing.T) {
		c := lostCommittedEntry(t, raft.DefaultRules.With(raft.ElectionRestriction, false))
		if c.ViolationCount(sim.LeaderCompleteness) == 0 {
			t.Fatalf("no leader-completeness violation: %v", c.Violations())
		}
		if c.ViolationCount(sim.StateMachineSafety) == 0 {
			t.Fatalf("no state-machine-safety violation: %v", c.Violations())
		}
		if c.Safe() {
			t.Fatal("Safe() after a committed entry was lost")
		}
		for _, id := range all(c) {
			if e := c.Log(id)[0]; e.Cmd != "y" {
				t.Fatalf("%v still has %v at index 1", id, e)
			}
		}
		lost := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvTruncated && e.Committed })
		if len(lost) == 0 {
			t.Fatal("no truncation of a committed entry in the trace")
		}
		granted := events(c, 0, func(e raft.Event) bool {
			return e.Kind == raft.EvVoteGranted && e.Peer == 4 && e.Reason == raft.ReasonRuleOff
		})
		if len(granted) < 2 {
			t.Fatalf("%d votes granted to S4 against the rule, want at least 2", len(granted))
		}
		checkViolationRecords(t, c)
	})
	t.Run("on", func(t *testing.T) {
		c := lostCommittedEntry(t, raft.DefaultRules)
		checkSafe(t, c)
		denied := events(c, 0, func(e raft.Event) bool {
			return e.Kind == raft.EvVoteDenied && e.Peer == 4 && e.Reason == raft.ReasonLogOlderTerm
		})
		if len(denied) != 3 {
			t.Fatalf("%d denials for S4's stale log, want 3 (S1, S2, S3)", len(denied))
		}
		if c.Log(1)[0].Cmd != "x" {
			t.Fatalf("S1 lost x: %v", c.Log(1))
		}
	})
	t.Run("switched-off-mid-run", func(t *testing.T) {
		c := scheduleCluster(t, raft.DefaultRules)
		do(t, c, sim.Action{Kind: sim.ActRule, Rule: raft.ElectionRestriction, On: false})
		if c.Rules().Has(raft.ElectionRestriction) {
			t.Fatal("rule still on")
		}
		// The same schedule, on a cluster whose rule was switched by action.
		timeout(t, c, 1)
		run(t, c, 100)
		linkDown(t, c, 1, 4)
		linkDown(t, c, 1, 5)
		proposeTo(t, c, 1, "x")
		run(t, c, 150)
		timeout(t, c, 4)
		run(t, c, 100)
		proposeTo(t, c, 4, "y")
		run(t, c, 300)
		if c.ViolationCount(sim.StateMachineSafety) == 0 {
			t.Fatalf("no violation with the rule switched off by action")
		}
	})
}

func TestInvariantPersistVote(t *testing.T) {
	t.Run("off", func(t *testing.T) {
		c := twoLeaders(t, raft.DefaultRules.With(raft.PersistVote, false))
		if n := c.ViolationCount(sim.ElectionSafety); n == 0 {
			t.Fatalf("no election-safety violation: %v", c.Violations())
		}
		v := firstViolation(c, sim.ElectionSafety)
		if v.Term != 1 || len(v.Servers) != 2 || v.Servers[0] != 1 || v.Servers[1] != 2 {
			t.Fatalf("violation %v, want S1 and S2 in term 1", v)
		}
		won := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader && e.Term == 1 })
		if len(won) != 2 || won[0].Node != 1 || won[1].Node != 2 {
			t.Fatalf("elections won in term 1: %v, want S1 then S2", won)
		}
		// S2's heartbeats reach S1, which learns of the other leader.
		if ev := events(c, 0, func(e raft.Event) bool {
			return e.Kind == raft.EvBecameFollower && e.Node == 1 && e.Reason == raft.ReasonTwoLeaders && e.Peer == 2
		}); len(ev) != 1 {
			t.Fatalf("S1 did not step down for S2: %v", ev)
		}
		checkViolationRecords(t, c)
	})
	t.Run("on", func(t *testing.T) {
		c := twoLeaders(t, raft.DefaultRules)
		checkSafe(t, c)
		if c.Role(2) == raft.Leader {
			t.Fatal("S2 won term 1 although S3 remembers its vote")
		}
		denied := events(c, 0, func(e raft.Event) bool {
			return e.Kind == raft.EvVoteDenied && e.Node == 3 && e.Peer == 2 && e.Reason == raft.ReasonAlreadyVoted && e.Voted == 1
		})
		if len(denied) != 1 {
			t.Fatalf("S3 should deny S2 having voted for S1: %v", denied)
		}
	})
}

func TestInvariantCurrentTermCommit(t *testing.T) {
	t.Run("off", func(t *testing.T) {
		c := figure8(t, raft.DefaultRules.With(raft.CurrentTermCommit, false))
		if c.ViolationCount(sim.StateMachineSafety) == 0 {
			t.Fatalf("no state-machine-safety violation: %v", c.Violations())
		}
		if c.ViolationCount(sim.LeaderCompleteness) == 0 {
			t.Fatalf("no leader-completeness violation: %v", c.Violations())
		}
		early := events(c, 0, func(e raft.Event) bool {
			return e.Kind == raft.EvCommitted && e.Node == 1 && e.Reason == raft.ReasonMajorityAnyTerm && e.Last == 2
		})
		if len(early) != 1 || early[0].Term != 4 {
			t.Fatalf("S1 should commit b (term 2) by counting in term 4: %v", early)
		}
		v := firstViolation(c, sim.StateMachineSafety)
		if v.Index != 2 {
			t.Fatalf("state-machine-safety violated at index %d, want 2: %v", v.Index, v)
		}
		checkViolationRecords(t, c)
	})
	t.Run("on", func(t *testing.T) {
		c := figure8(t, raft.DefaultRules)
		checkSafe(t, c)
		held := events(c, 0, func(e raft.Event) bool {
			return e.Kind == raft.EvCommitHeld && e.Node == 1 && e.Index == 2 && e.EntryTerm == 2
		})
		if len(held) != 1 {
			t.Fatalf("S1 should hold back b: %v", held)
		}
		if n, _ := nCommitted(t, c, 2); n > 0 {
			t.Fatalf("index 2 committed on %d servers before an entry of term 5", n)
		}
		// An entry of S5's term commits c with it.
		proposeTo(t, c, 5, "e")
		waitCommitted(t, c, 3, 4, 500)
		expectLog(t, c, 4, "1:a 3:c 5:e")
		checkSafe(t, c)
	})
	t.Run("all-rules", func(t *testing.T) {
		// Leader-noop changes the story (S1 would commit a no-op of term 4
		// with b), but nothing unsafe may happen whatever the schedule does.
		c := scheduleCluster(t, allRules())
		timeout(t, c, 1)
		run(t, c, 100)
		proposeTo(t, c, 1, "a")
		run(t, c, 200)
		crash(t, c, 1)
		timeout(t, c, 5)
		run(t, c, 200)
		restart(t, c, 1)
		one(t, c, "z", 5)
		checkSafe(t, c)
	})
}

// TestInvariantsSafeSchedulesAllRules runs the three schedules with every
// rule on, the optional ones included.
func TestInvariantsSafeSchedulesAllRules(t *testing.T) {
	for name, sched := range map[string]func(*testing.T, raft.Rules) *sim.Cluster{
		"lost-committed-entry": lostCommittedEntry,
		"two-leaders":          twoLeaders,
	} {
		t.Run(name, func(t *testing.T) {
			c := sched(t, allRules())
			checkSafe(t, c)
			heal(t, c)
			run(t, c, 3000)
			one(t, c, "after", 5)
			checkSafe(t, c)
		})
	}
}

func firstViolation(c *sim.Cluster, kind sim.Invariant) sim.Violation {
	for _, v := range c.Violations() {
		if v.Kind == kind {
			return v
		}
	}
	return sim.Violation{}
}

// checkViolationRecords checks that every violation is in the trace, is
// counted, and reads well.
func checkViolationRecords(t *testing.T, c *sim.Cluster) {
	t.Helper()
	var recs []*sim.Violation
	for _, r := range c.Trace(0) {
		if r.Kind == sim.RecViolation {
			recs = append(recs, r.Violation)
			if !strings.Contains(r.String(), "VIOLATION "+r.Violation.Kind.String()) {
				t.Fatalf("record %q does not name the invariant", r.String())
			}
			if n := narration.Narrate(r); !strings.HasPrefix(n, "Safety violated: "+r.Violation.Kind.String()) {
				t.Fatalf("narration %q", n)
			}
		}
	}
	vs := c.Violations()
	if len(recs) != len(vs) || len(vs) == 0 {
		t.Fatalf("%d violation records in the trace, %d violations", len(recs), len(vs))
	}
	total := 0
	for _, inv := range sim.Invariants() {
		total += c.ViolationCount(inv)
	}
	if total != len(vs) {
		t.Fatalf("counts add up to %d, %d violations", total, len(vs))
	}
	if sn := c.Snapshot(1, 0); sn.Violations != total {
		t.Fatalf("snapshot counts %d violations, want %d", sn.Violations, total)
	}
	for i, v := range vs {
		if recs[i].String() != v.String() || recs[i].Time != v.Time {
			t.Fatalf("record %d: %v, violation %v", i, recs[i], v)
		}
		if len(v.Line().Args) < 3 || v.Time > c.Now() || len(v.Servers) == 0 {
			t.Fatalf("violation %d is incomplete: %+v", i, v)
		}
		name := v.Kind.String()
		if k, ok := sim.ParseInvariant(name); !ok || k != v.Kind {
			t.Fatalf("ParseInvariant(%q) = %v, %v", name, k, ok)
		}
	}
}

// TestInvariantNames checks the names of the invariants round-trip.
func TestInvariantNames(t *testing.T) {
	names := sim.InvariantNames()
	if len(names) != len(sim.Invariants()) {
		t.Fatalf("%d names for %d invariants", len(names), len(sim.Invariants()))
	}
	for i, inv := range sim.Invariants() {
		if inv.String() != names[i] {
			t.Fatalf("invariant %d is %q, listed as %q", i, inv, names[i])
		}
		if got, ok := sim.ParseInvariant(names[i]); !ok || got != inv {
			t.Fatalf("ParseInvariant(%q) = %v, %v", names[i], got, ok)
		}
	}
	if _, ok := sim.ParseInvariant("liveness"); ok {
		t.Fatal("ParseInvariant accepted an unknown name")
	}
	if c := newCluster(t, nil); c.ViolationCount(sim.Invariant(200)) != 0 {
		t.Fatal("an unknown invariant has violations")
	}
}
