package sim_test

import (
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// allRules has every rule on, the optional ones included.
func allRules() raft.Rules {
	var r raft.Rules
	for _, rule := range raft.AllRules() {
		r = r.With(rule, true)
	}
	return r
}

var ruleSets = []struct {
	name  string
	rules raft.Rules
}{
	{"default", raft.DefaultRules},
	{"all", allRules()},
}

// TestFigure8 is 6.824's TestFigure8: over and over, propose to every up
// server, wait a little, crash whoever took the proposal as leader, and
// bring back random servers whenever fewer than three are up. Leaders
// keep losing entries of their term that may or may not have reached
// others, which is the situation of the paper's Figure 8.
func TestFigure8(t *testing.T) {
	for _, rs := range ruleSets {
		t.Run(rs.name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, func(cfg *sim.Config) { cfg.Rules = rs.rules; cfg.Seed = 8 })
			rng := testRand(8)
			one(t, c, "start", 1)
			nup := 5
			for iter := 0; iter < 3000; iter++ {
				leader := raft.None
				for _, id := range upServers(c) {
					proposeTo(t, c, id, cmdN("f", iter))
					if c.Role(id) == raft.Leader {
						leader = id
					}
				}
				if rng.IntN(1000) < 100 {
					run(t, c, rng.IntN(75)) // up to half an election timeout
				} else {
					run(t, c, rng.IntN(13))
				}
				if leader != raft.None && c.Up(leader) {
					crash(t, c, leader)
					nup--
				}
				if nup < 3 {
					if id := raft.ID(1 + rng.IntN(5)); !c.Up(id) {
						restart(t, c, id)
						nup++
					}
				}
			}
			for _, id := range downServers(c) {
				restart(t, c, id)
			}
			one(t, c, "final", 5)
			checkSafe(t, c)
			checkAgreedPrefix(t, c)
			checkBusy(t, c, 20)
		})
	}
}

// TestFigure8Unreliable is 6.824's TestFigure8Unreliable: the same churn
// of leaders, with cuts instead of crashes, on a network that loses 10-20%
// of messages, duplicates some and delays them 1-200ms, so that old
// messages arrive long after newer ones.
func TestFigure8Unreliable(t *testing.T) {
	for _, rs := range ruleSets {
		t.Run(rs.name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, func(cfg *sim.Config) { cfg.Rules = rs.rules; cfg.Seed = 88 })
			rng := testRand(88)
			one(t, c, "start", 1)
			do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0.1})
			do(t, c, sim.Action{Kind: sim.ActLatency, Min: 1, Max: 200})
			connected := map[raft.ID]bool{1: true, 2: true, 3: true, 4: true, 5: true}
			reconnect := func() {
				var in []raft.ID
				for _, id := range all(c) {
					if connected[id] {
						in = append(in, id)
					}
				}
				partition(t, c, in) // the others stand alone
			}
			for iter := 0; iter < 3000; iter++ {
				if iter%50 == 0 {
					do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0.1 + 0.1*rng.Float64()})
				}
				leader := raft.None
				for _, id := range all(c) {
					proposeTo(t, c, id, cmdN("u", iter))
					if connected[id] && c.Role(id) == raft.Leader {
						leader = id
					}
				}
				if rng.IntN(1000) < 100 {
					run(t, c, rng.IntN(45))
				} else {
					run(t, c, rng.IntN(13))
				}
				if leader != raft.None && rng.IntN(1000) < 500 {
					connected[leader] = false
					reconnect()
				}
				n := 0
				for _, up := range connected {
					if up {
						n++
					}
				}
				if n < 3 {
					if id := raft.ID(1 + rng.IntN(5)); !connected[id] {
						connected[id] = true
						reconnect()
					}
				}
			}
			do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0})
			do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0})
			do(t, c, sim.Action{Kind: sim.ActLatency, Min: 10, Max: 20})
			heal(t, c)
			one(t, c, "final", 5)
			checkSafe(t, c)
			checkAgreedPrefix(t, c)
			checkBusy(t, c, 5)
			if n := len(losses(c, 0, sim.LossRandom)); n == 0 {
				t.Fatalf("no message was lost on an unreliable network")
			}
		})
	}
}

// TestChurn is 6.824's churn test: many clients propose to random servers
// while servers crash, restart and are cut off, on a reliable and on an
// unreliable network. At the end everything is healed and restarted; a
// final proposal must commit everywhere, every committed command must be
// one a client proposed, each at most once, and no invariant may break.
func TestChurn(t *testing.T) {
	for _, unreliable := range []bool{false, true} {
		name := "reliable"
		if unreliable {
			name = "unreliable"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCluster(t, func(cfg *sim.Config) {
				cfg.Seed = 11
				if unreliable {
					cfg.Drop, cfg.Duplicate = 0.1, 0.1
					cfg.LatencyMin, cfg.LatencyMax = 1, 100
				}
			})
			rng := testRand(11)
			proposed := map[string]bool{}
			k := 0
			for c.Now() < 10000 {
				for client := 0; client < 3; client++ { // three clients
					if up := upServers(c); len(up) > 0 && rng.IntN(2) == 0 {
						k++
						cmd := cmdN("k", k)
						proposed[cmd] = true
						proposeTo(t, c, up[rng.IntN(len(up))], cmd)
					}
				}
				run(t, c, 1+rng.IntN(10))
				if rng.IntN(20) != 0 {
					continue
				}
				switch r := rng.IntN(10); {
				case r < 3:
					if up := upServers(c); len(up) > 0 {
						crash(t, c, up[rng.IntN(len(up))])
					}
				case r < 6:
					if down := downServers(c); len(down) > 0 {
						restart(t, c, down[rng.IntN(len(down))])
					}
				case r < 8:
					isolate(t, c, raft.ID(1+rng.IntN(5)))
				default:
					heal(t, c)
				}
			}
			do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0})
			do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0})
			heal(t, c)
			for _, id := range downServers(c) {
				restart(t, c, id)
			}
			last := one(t, c, "final", 5)
			checkSafe(t, c)
			checkAgreedPrefix(t, c)
			seen := map[string]bool{}
			for i := 1; i < last; i++ {
				_, e := nCommitted(t, c, i)
				if e.Noop || e.Cmd == "final" {
					// one() proposes "final" again when its first try has
					// not committed within 2 s, as a client retries; an
					// earlier try may commit too (with seed 11, it does).
					continue
				}
				if !proposed[e.Cmd] {
					t.Fatalf("index %d holds %q, which no client proposed", i, e.Cmd)
				}
				if seen[e.Cmd] {
					t.Fatalf("%q committed twice", e.Cmd)
				}
				seen[e.Cmd] = true
			}
			t.Logf("%d of %d proposals committed", len(seen), len(proposed))
			if len(seen) < 20 {
				t.Fatalf("only %d of %d proposals committed under churn", len(seen), len(proposed))
			}
		})
	}
}

// checkAgreedPrefix checks that every server's state machine applied the
// same sequence, one a prefix of the longest.
func checkAgreedPrefix(t *testing.T, c *sim.Cluster) {
	t.Helper()
	var longest []raft.Entry
	for _, id := range all(c) {
		if a := c.Applied(id); len(a) > len(longest) {
			longest = a
		}
	}
	for _, id := range all(c) {
		a := c.Applied(id)
		if !slices.Equal(a, longest[:len(a)]) {
			t.Fatalf("%v applied a sequence that is not a prefix of the others'", id)
		}
	}
}

// checkBusy makes sure a churn test really churned: many leaders came and
// went, and entries were both committed and thrown away.
func checkBusy(t *testing.T, c *sim.Cluster, minWon int) {
	t.Helper()
	won := len(events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader }))
	truncated := len(events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvTruncated }))
	committed := 0
	for _, id := range all(c) {
		committed = max(committed, c.Commit(id))
	}
	t.Logf("%d elections won, %d truncations, %d entries committed", won, truncated, committed)
	if won < minWon || truncated == 0 || committed < 10 {
		t.Fatalf("too little happened: %d elections won, %d truncations, %d entries committed", won, truncated, committed)
	}
}
