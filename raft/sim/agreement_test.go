package sim_test

import (
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// TestBasicAgreement: proposals commit on every server, in order, at
// consecutive indexes, and every state machine applies them in order.
func TestBasicAgreement(t *testing.T) {
	c := newCluster(t, nil)
	checkOneLeader(t, c)
	var want []string
	for i := 1; i <= 10; i++ {
		if n, _ := nCommitted(t, c, i); n > 0 {
			t.Fatalf("index %d committed before it was proposed", i)
		}
		cmd := cmdN("x", i)
		if got := one(t, c, cmd, 5); got != i {
			t.Fatalf("%q went to index %d, want %d", cmd, got, i)
		}
		want = append(want, cmd)
	}
	run(t, c, 200)
	for _, id := range all(c) {
		if got := cmds(c.Log(id)); !slices.Equal(got, want) {
			t.Fatalf("%v's log %v, want %v", id, got, want)
		}
		if got := cmds(c.Applied(id)); !slices.Equal(got, want) {
			t.Fatalf("%v applied %v, want %v", id, got, want)
		}
		for i, e := range c.Applied(id) {
			if e.Index != i+1 {
				t.Fatalf("%v applied index %d in position %d", id, e.Index, i+1)
			}
		}
		if c.Commit(id) != 10 {
			t.Fatalf("%v commitIndex %d, want 10", id, c.Commit(id))
		}
		if st := c.ServerState(id, 1, 0); st.Applied != 10 || st.LastIndex != 10 {
			t.Fatalf("%v state: applied %d, last index %d", id, st.Applied, st.LastIndex)
		}
	}
	checkSafe(t, c)
}

// TestAgreementLeaderNoop: with leader-noop on, each leader's first entry
// is an empty one; the state machines still see exactly the commands.
func TestAgreementLeaderNoop(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.Rules = raft.DefaultRules.With(raft.LeaderNoop, true) })
	l := checkOneLeader(t, c)
	e := waitCommitted(t, c, 1, 5, 1000)
	if !e.Noop || e.Term != c.Term(l) {
		t.Fatalf("first entry %v, want the leader's no-op of term %d", e, c.Term(l))
	}
	one(t, c, "a", 5)
	one(t, c, "b", 5)
	for _, id := range all(c) {
		if got := cmds(c.Applied(id)); !slices.Equal(got, []string{"a", "b"}) {
			t.Fatalf("%v applied %v", id, got)
		}
		if len(c.Applied(id)) != 3 {
			t.Fatalf("%v applied %d entries, want 3 (no-op, a, b)", id, len(c.Applied(id)))
		}
	}
}

// TestAgreementFollowerDown: with one follower crashed the rest still
// commit; restarted, it catches up and its state machine applies
// everything from index 1.
func TestAgreementFollowerDown(t *testing.T) {
	c := newCluster(t, nil)
	one(t, c, "a", 5)
	l := c.Leader()
	f := next(c, l, 2)
	crash(t, c, f)
	if c.Up(f) || c.Commit(f) != 0 || c.Applied(f) != nil || c.Role(f) != raft.Follower {
		t.Fatalf("crashed %v: up %v commit %d applied %v role %v", f, c.Up(f), c.Commit(f), c.Applied(f), c.Role(f))
	}
	if len(c.Log(f)) != 1 {
		t.Fatalf("crashed %v lost its durable log: %v", f, c.Log(f))
	}
	one(t, c, "b", 4)
	run(t, c, 500)
	one(t, c, "c", 4)
	one(t, c, "d", 4)
	if len(c.Log(f)) != 1 {
		t.Fatalf("crashed %v's log changed: %v", f, c.Log(f))
	}

	restart(t, c, f)
	if !c.Up(f) || c.Commit(f) != 0 || len(c.Applied(f)) != 0 {
		t.Fatalf("restarted %v: up %v commit %d applied %v", f, c.Up(f), c.Commit(f), c.Applied(f))
	}
	if st := c.ServerState(f, 1, 0); st.Incarnation != 1 {
		t.Fatalf("restarted %v has incarnation %d, want 1", f, st.Incarnation)
	}
	waitCommitted(t, c, 4, 5, 2000)
	one(t, c, "e", 5)
	want := []string{"a", "b", "c", "d", "e"}
	for _, id := range all(c) {
		if got := cmds(c.Applied(id)); !slices.Equal(got, want) {
			t.Fatalf("%v applied %v, want %v", id, got, want)
		}
	}
	checkSafe(t, c)
}

// TestNoCommitWithoutMajority: with three of five servers crashed, or cut
// off, a proposal is stored by the leader but commits nowhere; once a
// majority is back it commits everywhere.
func TestNoCommitWithoutMajority(t *testing.T) {
	t.Run("crash", func(t *testing.T) {
		c := newCluster(t, nil)
		one(t, c, "a", 5)
		l := c.Leader()
		down := []raft.ID{next(c, l, 1), next(c, l, 2), next(c, l, 3)}
		for _, id := range down {
			crash(t, c, id)
		}
		proposeTo(t, c, l, "b")
		if got := c.Log(l); len(got) != 2 || got[1].Cmd != "b" {
			t.Fatalf("leader %v's log %v, want b at index 2", l, got)
		}
		run(t, c, 2000)
		if n, _ := nCommitted(t, c, 2); n > 0 {
			t.Fatalf("index 2 committed on %d servers with only 2 of 5 up", n)
		}
		if c.Role(l) != raft.Leader {
			t.Fatalf("%v stopped leading while the others were down", l)
		}
		for _, id := range down {
			restart(t, c, id)
		}
		e := waitCommitted(t, c, 2, 5, 3000)
		if e.Cmd != "b" {
			t.Fatalf("index 2 committed as %v, want b", e)
		}
		checkSafe(t, c)
	})
	t.Run("partition", func(t *testing.T) {
		c := newCluster(t, nil)
		one(t, c, "a", 5)
		l := c.Leader()
		minority := []raft.ID{l, next(c, l, 1)}
		majority := without(all(c), minority...)
		partition(t, c, minority, majority)
		proposeTo(t, c, l, "lost")
		run(t, c, 2000)
		if n, _ := nCommitted(t, c, 2); n > 0 {
			t.Fatalf("index 2 committed on %d servers in a minority partition", n)
		}
		l2 := checkOneLeaderAmong(t, c, majority, 1000)
		idx := one(t, c, "kept", 3)
		if idx != 2 {
			t.Fatalf("the majority put its entry at %d, want 2", idx)
		}
		heal(t, c)
		waitCommitted(t, c, 2, 5, 3000)
		run(t, c, 500)
		if c.Leader() != l2 {
			t.Fatalf("leader %v after healing, want %v", c.Leader(), l2)
		}
		for _, id := range all(c) {
			if got := cmds(c.Applied(id)); !slices.Equal(got, []string{"a", "kept"}) {
				t.Fatalf("%v applied %v", id, got)
			}
		}
		checkSafe(t, c)
	})
}

// TestOldLeaderEntriesOverwritten: entries a partitioned old leader took
// but could not commit are removed when it rejoins, replaced by what the
// new leader committed; no state machine ever applies them.
func TestOldLeaderEntriesOverwritten(t *testing.T) {
	c := newCluster(t, nil)
	one(t, c, "base", 5)
	l1 := c.Leader()
	f := next(c, l1, 1)
	majority := without(all(c), l1, f)
	partition(t, c, []raft.ID{l1, f}, majority)
	for i := 1; i <= 5; i++ {
		proposeTo(t, c, l1, cmdN("stale", i))
	}
	run(t, c, 300)
	if got := cmds(c.Log(f)); len(got) != 6 {
		t.Fatalf("%v, with the old leader, holds %v; want base and 5 stale entries", f, got)
	}
	checkOneLeaderAmong(t, c, majority, 2000)
	for i := 1; i <= 3; i++ {
		one(t, c, cmdN("new", i), 3)
	}
	staleTerm := c.Term(l1)
	heal(t, c)
	waitCommitted(t, c, 4, 5, 3000)
	one(t, c, "after", 5)

	want := []string{"base", "new1", "new2", "new3", "after"}
	for _, id := range all(c) {
		if got := cmds(c.Log(id)); !slices.Equal(got, want) {
			t.Fatalf("%v's log %v, want %v", id, got, want)
		}
		if got := cmds(c.Applied(id)); !slices.Equal(got, want) {
			t.Fatalf("%v applied %v, want %v", id, got, want)
		}
	}
	for _, id := range []raft.ID{l1, f} {
		tr := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvTruncated && e.Node == id })
		if len(tr) == 0 {
			t.Fatalf("no truncation on %v", id)
		}
		for _, e := range tr {
			if e.Committed {
				t.Fatalf("%v removed committed entries: %v", id, e)
			}
			for _, x := range e.Entries {
				if x.Term != staleTerm {
					t.Fatalf("%v removed %v, not one of the stale term-%d entries", id, x, staleTerm)
				}
			}
		}
	}
	checkSafe(t, c)
}

// TestFollowerFarBehind: a follower 300 entries behind gets
// more entries than fit in one AppendEntries, and still catches up.
func TestFollowerFarBehind(t *testing.T) {
	c := newCluster(t, nil)
	one(t, c, "first", 5)
	l := c.Leader()
	f := next(c, l, 1)
	crash(t, c, f)
	for i := 1; i <= 300; i++ {
		proposeTo(t, c, l, cmdN("c", i))
		if i%10 == 0 {
			run(t, c, 5)
		}
	}
	waitCommitted(t, c, 301, 4, 2000)
	restart(t, c, f)
	waitCommitted(t, c, 301, 5, 3000)
	if got := len(c.Applied(f)); got != 301 {
		t.Fatalf("%v applied %d entries, want 301", f, got)
	}
	checkSafe(t, c)
}

// fastCatchUp builds 6.824's TestBackup situation: a leader and one
// follower cut off take 50 entries of their term that never commit; the
// other three elect a leader and commit 50 different entries at the same
// indexes, then elect another leader, whose nextIndex for everyone starts
// past those entries. When the network heals, that leader must find where
// the two stale servers' logs diverge from its own. It returns the cluster, the two stale servers
// and the trace length at the heal.
func fastCatchUp(t *testing.T, rules raft.Rules) (*sim.Cluster, []raft.ID, int) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.Rules = rules })
	one(t, c, "base", 5)
	l1 := c.Leader()
	stale := []raft.ID{l1, next(c, l1, 1)}
	majority := without(all(c), stale...)
	partition(t, c, stale, majority)
	for i := 1; i <= 50; i++ {
		proposeTo(t, c, l1, cmdN("old", i))
	}
	run(t, c, 300)
	for _, id := range stale {
		if len(c.Log(id)) != 51 {
			t.Fatalf("%v holds %d entries, want 51", id, len(c.Log(id)))
		}
	}
	l2 := checkOneLeaderAmong(t, c, majority, 2000)
	for i := 1; i <= 50; i++ {
		proposeTo(t, c, l2, cmdN("new", i))
	}
	waitCommitted(t, c, 51, 3, 2000)
	if len(c.Log(l2)) != 51 {
		t.Fatalf("new leader holds %d entries, want 51", len(c.Log(l2)))
	}
	l3 := without(majority, l2)[0]
	timeout(t, c, l3)
	run(t, c, 200)
	if c.Leader() != l3 {
		t.Fatalf("leader %v after %v's timeout, want %v", c.Leader(), l3, l3)
	}
	mark := c.TraceLen()
	heal(t, c)
	waitCommitted(t, c, 51, 5, 10000)
	for _, id := range stale {
		if got := c.Log(id)[50]; got.Cmd != "new50" {
			t.Fatalf("%v has %v at index 51 after catching up", id, got)
		}
	}
	checkSafe(t, c)
	return c, stale, mark
}

// TestFastBacktrack counts the leader's back-ups after rejected
// AppendEntries: with the hint, one round trip skips the whole conflicting
// term; without it, nextIndex moves back one entry per round trip.
func TestFastBacktrack(t *testing.T) {
	backups := func(c *sim.Cluster, mark int, peer raft.ID) []raft.Event {
		return events(c, mark, func(e raft.Event) bool { return e.Kind == raft.EvBackedUp && e.Peer == peer })
	}
	rejections := func(c *sim.Cluster, mark int, node raft.ID) int {
		return len(events(c, mark, func(e raft.Event) bool { return e.Kind == raft.EvAppendRejected && e.Node == node }))
	}

	t.Run("on", func(t *testing.T) {
		c, stale, mark := fastCatchUp(t, raft.DefaultRules)
		for _, id := range stale {
			bs := backups(c, mark, id)
			t.Logf("%v: %d back-ups, %d rejections", id, len(bs), rejections(c, mark, id))
			if len(bs) < 1 || len(bs) > 2 {
				t.Fatalf("%d back-ups for %v with fast-backtrack on, want about 1: %v", len(bs), id, bs)
			}
			if bs[0].Reason != raft.ReasonHint || bs[len(bs)-1].Index != 2 {
				t.Fatalf("back-ups for %v: %v; want a hint straight to index 2", id, bs)
			}
			if r := rejections(c, mark, id); r > 4 {
				t.Fatalf("%v rejected %d AppendEntries with fast-backtrack on", id, r)
			}
		}
	})
	t.Run("off", func(t *testing.T) {
		c, stale, mark := fastCatchUp(t, raft.DefaultRules.With(raft.FastBacktrack, false))
		for _, id := range stale {
			bs := backups(c, mark, id)
			t.Logf("%v: %d back-ups, %d rejections", id, len(bs), rejections(c, mark, id))
			if len(bs) < 45 || len(bs) > 60 {
				t.Fatalf("%d back-ups for %v with fast-backtrack off, want about 50 (one per entry)", len(bs), id)
			}
			for _, b := range bs {
				if b.Reason != raft.ReasonOneStep || b.Last-b.Index != 1 {
					t.Fatalf("back-up %v is not one step", b)
				}
			}
			if r := rejections(c, mark, id); r < 45 {
				t.Fatalf("%v rejected only %d AppendEntries with fast-backtrack off", id, r)
			}
		}
	})
}
