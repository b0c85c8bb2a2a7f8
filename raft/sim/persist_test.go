package sim_test

import (
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// TestPersistAllServers crashes and restarts every server between commits:
// the logs survive, a leader is elected again, commitment resumes, and each
// new state machine re-applies the log from index 1.
func TestPersistAllServers(t *testing.T) {
	c := newCluster(t, nil)
	var want []string
	for round := 1; round <= 4; round++ {
		cmd := cmdN("r", round)
		one(t, c, cmd, 5)
		want = append(want, cmd)
		run(t, c, 100)

		terms := map[raft.ID]int{}
		for _, id := range all(c) {
			terms[id] = c.Term(id)
			crash(t, c, id)
		}
		if l := c.Leader(); l != raft.None {
			t.Fatalf("round %d: leader %v with every server crashed", round, l)
		}
		if err := c.Do(sim.Action{Kind: sim.ActPropose, Cmd: "nobody"}); err == nil {
			t.Fatalf("round %d: a proposal was accepted with every server crashed", round)
		}
		run(t, c, 1000)
		for _, id := range all(c) {
			if got := cmds(c.Log(id)); !slices.Equal(got, want) {
				t.Fatalf("round %d: crashed %v's durable log %v, want %v", round, id, got, want)
			}
			if c.Term(id) != terms[id] {
				t.Fatalf("round %d: crashed %v's durable term %d, want %d", round, id, c.Term(id), terms[id])
			}
			restart(t, c, id)
			if c.Commit(id) != 0 || len(c.Applied(id)) != 0 {
				t.Fatalf("round %d: restarted %v has commit %d and applied %v", round, id, c.Commit(id), c.Applied(id))
			}
		}
		checkOneLeader(t, c)
	}
	one(t, c, "last", 5)
	want = append(want, "last")
	for _, id := range all(c) {
		if got := cmds(c.Applied(id)); !slices.Equal(got, want) {
			t.Fatalf("%v re-applied %v, want %v from index 1", id, got, want)
		}
		if e := c.Applied(id)[0]; e.Index != 1 {
			t.Fatalf("%v's state machine started at index %d", id, e.Index)
		}
	}
	checkSafe(t, c)
}

// TestPersistLeaderAndFollowers crashes the leader, then a follower, then
// everyone in turn while proposals keep coming (6.824's TestPersist2).
func TestPersistLeaderAndFollowers(t *testing.T) {
	c := newCluster(t, nil)
	index := 1
	for iter := 0; iter < 5; iter++ {
		one(t, c, cmdN("a", index), 5)
		index++

		l1 := c.Leader()
		a, b := next(c, l1, 1), next(c, l1, 2)
		crash(t, c, a)
		crash(t, c, b)
		one(t, c, cmdN("a", index), 3)
		index++

		crash(t, c, l1)
		crash(t, c, next(c, l1, 3))
		crash(t, c, next(c, l1, 4))
		restart(t, c, a)
		restart(t, c, b)
		run(t, c, 500)
		restart(t, c, next(c, l1, 3))
		one(t, c, cmdN("a", index), 3)
		index++

		restart(t, c, next(c, l1, 4))
		restart(t, c, l1)
	}
	one(t, c, "end", 5)
	checkSafe(t, c)
}

// TestPersistTermAndVote: a crashed server keeps its term and vote; a
// restarted one starts as a follower of that term and does not vote twice.
func TestPersistTermAndVote(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.ElectionMin, cfg.ElectionMax = 1000, 1000 })
	timeout(t, c, 2)
	run(t, c, 100)
	if c.Leader() != 2 {
		t.Fatalf("leader %v, want S2", c.Leader())
	}
	crash(t, c, 4)
	st := c.ServerState(4, 1, 0)
	if st.Up || st.Term != 1 || st.Vote != 2 {
		t.Fatalf("crashed S4: up %v term %d vote %v, want down, term 1, vote S2", st.Up, st.Term, st.Vote)
	}
	restart(t, c, 4)
	if c.Role(4) != raft.Follower || c.Term(4) != 1 || c.ServerState(4, 1, 0).Vote != 2 {
		t.Fatalf("restarted S4: %v term %d vote %v", c.Role(4), c.Term(4), c.ServerState(4, 1, 0).Vote)
	}
	if ev := events(c, 0, func(e raft.Event) bool {
		return e.Kind == raft.EvBecameFollower && e.Node == 4 && e.Reason == raft.ReasonRestart && e.Term == 1
	}); len(ev) != 1 {
		t.Fatalf("no restart as a follower of term 1 in the trace")
	}
}
