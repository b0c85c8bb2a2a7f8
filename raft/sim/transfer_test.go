package sim_test

import (
	"math/rand/v2"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// Leadership transfers under faults (the sweep makes none, to keep its
// seeds' runs): a cluster of five asked again and again to hand
// leadership over, while messages are lost, duplicated and delayed and
// servers crash, restart and are cut off, with the optional rules on or
// off. No invariant breaks, the engine refuses no message, and once the
// faults stop the cluster elects a leader that commits. Transfers both
// finish and are given up along the way.
func TestTransfersUnderFaults(t *testing.T) {
	seeds := 300
	if testing.Short() {
		seeds = 40
	}
	var done, abandoned, refused int
	for seed := 1; seed <= seeds; seed++ {
		r := rand.New(rand.NewPCG(uint64(seed), 0x7472616e73666572)) // "transfer"
		c := newCluster(t, func(cfg *sim.Config) {
			cfg.Seed = uint64(seed)
			cfg.Drop, cfg.Duplicate = 0.05, 0.02
			cfg.LatencyMin, cfg.LatencyMax = 5, 40
			for _, rule := range []raft.Rule{raft.PreVote, raft.CheckQuorum, raft.VoteLease, raft.LeaderNoop} {
				cfg.Rules = cfg.Rules.With(rule, r.IntN(2) == 0)
			}
		})
		cmd := 0
		for c.Now() < 6000 {
			run(t, c, 1+r.IntN(40))
			l := leading(c)
			switch k := r.IntN(100); {
			case k < 40 && l != raft.None:
				cmd++
				_ = c.Do(sim.Action{Kind: sim.ActPropose, Cmd: "v" + itoa(cmd), Server: l})
			case k < 60 && l != raft.None:
				if c.Do(sim.Action{Kind: sim.ActTransfer, Server: l, To: raft.ID(1 + r.IntN(5))}) != nil {
					refused++
				}
			case k < 64 && len(down(c)) < 2:
				_ = c.Do(sim.Action{Kind: sim.ActCrash, Server: raft.ID(1 + r.IntN(5))})
			case k < 72 && len(down(c)) > 0:
				d := down(c)
				_ = c.Do(sim.Action{Kind: sim.ActRestart, Server: d[r.IntN(len(d))]})
			case k < 75:
				_ = c.Do(sim.Action{Kind: sim.ActIsolate, Server: raft.ID(1 + r.IntN(5))})
			case k < 80:
				_ = c.Do(sim.Action{Kind: sim.ActHeal})
			}
		}
		do(t, c, sim.Action{Kind: sim.ActHeal})
		do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0})
		do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0})
		for _, id := range all(c) {
			if !c.Up(id) {
				do(t, c, sim.Action{Kind: sim.ActRestart, Server: id})
			}
		}
		run(t, c, 3000)
		if c.Leader() == raft.None {
			t.Fatalf("seed %d: no leader 3s after the faults stopped", seed)
		}
		before := c.ServerState(c.Leader(), 1, 0).Commit
		do(t, c, sim.Action{Kind: sim.ActPropose, Cmd: "last"})
		run(t, c, 500)
		if after := c.ServerState(c.Leader(), 1, 0).Commit; after <= before {
			t.Fatalf("seed %d: the leader's commit index stays at %d", seed, after)
		}
		if vs := c.Violations(); len(vs) > 0 {
			t.Fatalf("seed %d: %v", seed, vs[0])
		}
		if n := c.EngineErrors(); n > 0 {
			t.Fatalf("seed %d: the engine refused %d messages", seed, n)
		}
		for _, rec := range c.Trace(0) {
			switch {
			case rec.Kind != sim.RecEvent:
			case rec.Event.Kind == raft.EvBecameCandidate && rec.Event.Reason == raft.ReasonTransfer:
				done++
			case rec.Event.Kind == raft.EvTransferAbandoned:
				abandoned++
			}
		}
	}
	t.Logf("%d seeds: %d transfers' elections, %d transfers given up, %d refused", seeds, done, abandoned, refused)
	if done < seeds || abandoned == 0 || refused == 0 {
		t.Errorf("the faults did not exercise transfers: %d elections, %d given up, %d refused", done, abandoned, refused)
	}
}

// leading returns the up server that leads the latest term, if any (while
// a server cut off has moved to a later term, Leader says none).
func leading(c *sim.Cluster) raft.ID {
	l, term := raft.None, 0
	for _, id := range all(c) {
		if c.Up(id) && c.Role(id) == raft.Leader && c.ServerState(id, 1, 0).Term > term {
			l, term = id, c.ServerState(id, 1, 0).Term
		}
	}
	return l
}

// down lists the servers that are crashed.
func down(c *sim.Cluster) []raft.ID {
	var ids []raft.ID
	for _, id := range all(c) {
		if !c.Up(id) {
			ids = append(ids, id)
		}
	}
	return ids
}
