package sim_test

import (
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// TestSnapshotState checks the view of the cluster against what the
// individual queries say.
func TestSnapshotState(t *testing.T) {
	c := steadyCluster(t, nil)
	for i := 1; i <= 6; i++ {
		proposeTo(t, c, 1, cmdN("e", i))
	}
	run(t, c, 100)
	crash(t, c, 5)
	proposeTo(t, c, 1, "e7")
	run(t, c, 100)

	sn := c.Snapshot(3, 5)
	if sn.Time != c.Now() || sn.Events != c.Events() || sn.Leader != 1 || sn.Rules != c.Rules() || len(sn.Servers) != 5 {
		t.Fatalf("snapshot header: %+v", sn)
	}
	for i, st := range sn.Servers {
		id := raft.ID(i + 1)
		if st.ID != id || st.Up != c.Up(id) || st.Term != c.Term(id) || st.Commit != c.Commit(id) || st.Role != c.Role(id) {
			t.Fatalf("%v: snapshot %+v disagrees with the queries", id, st)
		}
		log := c.Log(id)
		if st.LastIndex != len(log) || st.LastTerm != log[len(log)-1].Term {
			t.Fatalf("%v: last entry %d/%d, log %v", id, st.LastIndex, st.LastTerm, log)
		}
		if st.LogFrom != 3 || !slices.Equal(st.Log, log[2:5]) {
			t.Fatalf("%v: window from %d: %v, want entries 3..5", id, st.LogFrom, st.Log)
		}
	}
	if sn.Servers[4].Up || sn.Servers[4].Commit != 0 || sn.Servers[4].LastIndex != 6 {
		t.Fatalf("crashed S5: %+v", sn.Servers[4])
	}
	l := sn.Servers[0]
	if len(l.Next) != 6 || len(l.Match) != 6 {
		t.Fatalf("leader's progress arrays: next %v match %v", l.Next, l.Match)
	}
	for id := 2; id <= 4; id++ {
		if l.Match[id] != 7 || l.Next[id] != 8 {
			t.Fatalf("leader's progress for S%d: next %d match %d, want 8 and 7", id, l.Next[id], l.Match[id])
		}
	}
	if l.Match[5] != 6 {
		t.Fatalf("leader's match for crashed S5: %d, want 6", l.Match[5])
	}
	if l.TimerDeadline != 0 {
		t.Fatal("a leader shows an election timer")
	}
	for _, st := range sn.Servers[1:4] {
		if st.TimerDeadline <= c.Now() || st.TimerStart > c.Now() || st.Leader != 1 || st.Applied != 7 {
			t.Fatalf("follower %v: %+v", st.ID, st)
		}
	}
	if sn.Servers[1].Next != nil {
		t.Fatal("a follower shows progress arrays")
	}

	// Windows past the end and inverted are empty, not errors.
	for _, w := range [][2]int{{8, 20}, {5, 2}, {0, 0}} {
		for _, st := range c.Snapshot(w[0], w[1]).Servers {
			if len(st.Log) != 0 {
				t.Fatalf("window %v of %v: %v", w, st.ID, st.Log)
			}
		}
	}
	if got := c.Snapshot(-5, 1<<30).Servers[0]; got.LogFrom != 1 || len(got.Log) != 7 {
		t.Fatalf("whole log from -5: from %d, %d entries", got.LogFrom, len(got.Log))
	}
}

// TestSnapshotCandidateVotes: a candidate's snapshot lists who voted for
// it in this round.
func TestSnapshotCandidateVotes(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.ElectionMin, cfg.ElectionMax = 1000, 1500 })
	for _, id := range []raft.ID{3, 4, 5} {
		linkDown(t, c, id, 1) // S1 hears only from S2
	}
	timeout(t, c, 1)
	run(t, c, 100)
	st := c.ServerState(1, 1, 0)
	if st.Role != raft.Candidate || !slices.Equal(st.Votes, []raft.ID{1, 2}) {
		t.Fatalf("S1: %v with votes %v, want a candidate with S1 and S2", st.Role, st.Votes)
	}
}
