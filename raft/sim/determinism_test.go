package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// script drives a cluster for 10 virtual seconds through a fixed plan of
// faults, proposing to the leader every 100ms. The plan reacts to the
// cluster (it crashes whoever leads), so two runs take the same actions
// only if the cluster behaves the same. Actions are taken at whole
// multiples of 100ms; observe, if not nil, is called 50ms after each, at
// a moment when no action is taken (so that the state observed is the
// same whichever way a seek treats actions due at the moment it stops).
// The run ends at 10050ms.
func script(t testing.TB, c *sim.Cluster, observe func(*sim.Cluster)) {
	t.Helper()
	var crashed raft.ID
	for step := 1; step <= 100; step++ {
		now := step * 100
		if err := c.RunUntil(now); err != nil {
			t.Fatal(err)
		}
		switch now {
		case 2000:
			if crashed = c.Leader(); crashed != raft.None {
				do(t, c, sim.Action{Kind: sim.ActCrash, Server: crashed})
			}
		case 3000:
			if crashed != raft.None {
				restart(t, c, crashed)
			}
		case 4000:
			partition(t, c, []raft.ID{1, 2}, []raft.ID{3, 4, 5})
		case 5000:
			heal(t, c)
			do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0.1})
		case 6000:
			do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0.1})
			do(t, c, sim.Action{Kind: sim.ActLatency, Min: 1, Max: 100})
		case 7000:
			if l := c.Leader(); l != raft.None {
				do(t, c, sim.Action{Kind: sim.ActCrash, Server: l, BeforeSend: true})
				proposeTo(t, c, l, "doomed")
				restart(t, c, l)
			}
		case 8000:
			do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0})
			do(t, c, sim.Action{Kind: sim.ActRule, Rule: raft.LeaderNoop, On: true})
			isolate(t, c, 2)
		case 9000:
			heal(t, c)
			timeout(t, c, 4)
		}
		if c.Leader() != raft.None {
			do(t, c, sim.Action{Kind: sim.ActPropose, Cmd: cmdN("s", now)})
		}
		if err := c.RunUntil(now + 50); err != nil {
			t.Fatal(err)
		}
		if observe != nil {
			observe(c)
		}
	}
}

func scripted(t testing.TB, seed uint64, edit func(*sim.Config)) *sim.Cluster {
	t.Helper()
	c := newCluster(t, func(cfg *sim.Config) {
		cfg.Seed = seed
		if edit != nil {
			edit(cfg)
		}
	})
	script(t, c, nil)
	return c
}

// TestDeterminism: the same configuration, seed and actions give the same
// run, hash and trace, byte for byte; another seed gives another run.
func TestDeterminism(t *testing.T) {
	a := scripted(t, 7, nil)
	b := scripted(t, 7, nil)
	if a.Hash() != b.Hash() {
		t.Fatalf("same seed, different hashes: %x, %x", a.Hash(), b.Hash())
	}
	ta, tb := traceStrings(a, 0), traceStrings(b, 0)
	if !slices.Equal(ta, tb) {
		for i := range min(len(ta), len(tb)) {
			if ta[i] != tb[i] {
				t.Fatalf("traces differ at record %d:\n%s\n%s", i, ta[i], tb[i])
			}
		}
		t.Fatalf("traces differ in length: %d, %d", len(ta), len(tb))
	}
	if len(ta) < 1000 {
		t.Fatalf("only %d trace records: the script did little", len(ta))
	}
	if !reflect.DeepEqual(a.Snapshot(1, 1<<30), b.Snapshot(1, 1<<30)) {
		t.Fatal("same seed, different final states")
	}
	if !reflect.DeepEqual(a.Actions(), b.Actions()) {
		t.Fatal("same seed, different actions")
	}
	if a.Events() != b.Events() || a.Now() != b.Now() || a.Now() != 10050 {
		t.Fatalf("events %d/%d, time %d/%d", a.Events(), b.Events(), a.Now(), b.Now())
	}

	// Other seeds, other runs.
	hashes := map[uint64]uint64{7: a.Hash()}
	for seed := uint64(1); seed <= 6; seed++ {
		h := scripted(t, seed, nil).Hash()
		for s, g := range hashes {
			if g == h {
				t.Fatalf("seeds %d and %d give the same hash %x", s, seed, h)
			}
		}
		hashes[seed] = h
	}
}

// TestDeterminismWithoutTraceOrCheckpoints: the trace and the checkpoints
// only record the run; they do not change it.
func TestDeterminismWithoutTraceOrCheckpoints(t *testing.T) {
	want := scripted(t, 3, nil)
	for _, edit := range []func(*sim.Config){
		func(cfg *sim.Config) { cfg.NoTrace = true },
		func(cfg *sim.Config) { cfg.CheckpointEvery = -1 },
		func(cfg *sim.Config) { cfg.CheckpointEvery = 1 },
		func(cfg *sim.Config) { cfg.CheckpointEvery = 100 },
	} {
		got := scripted(t, 3, edit)
		if got.Hash() != want.Hash() {
			var cfg sim.Config
			edit(&cfg)
			t.Fatalf("NoTrace=%v CheckpointEvery=%d: hash %x, want %x", cfg.NoTrace, cfg.CheckpointEvery, got.Hash(), want.Hash())
		}
		gs, ws := got.Snapshot(1, 1<<30), want.Snapshot(1, 1<<30)
		if !reflect.DeepEqual(gs, ws) {
			t.Fatal("a run without trace or checkpoints ends in another state")
		}
	}
	if c := scripted(t, 3, func(cfg *sim.Config) { cfg.NoTrace = true }); c.TraceLen() != 0 || c.Trace(0) != nil {
		t.Fatalf("NoTrace run has %d trace records", c.TraceLen())
	}
}

// TestDeterminismSteps: stepping one event at a time, in batches, or
// running by time all reach the same states.
func TestDeterminismSteps(t *testing.T) {
	a := newCluster(t, nil)
	b := newCluster(t, nil)
	for i := 0; i < 3000; i++ {
		if !a.Step() {
			t.Fatal("no next event")
		}
	}
	for range 428 {
		if n := b.StepN(7); n != 7 {
			t.Fatalf("StepN(7) processed %d events", n)
		}
	}
	b.StepN(4)
	if a.Hash() != b.Hash() || a.Events() != b.Events() {
		t.Fatalf("Step and StepN differ: %d/%d events", a.Events(), b.Events())
	}
	c := newCluster(t, nil)
	run(t, c, a.Now())
	// RunUntil processes every event at that time; Step may stop partway.
	for a.Events() < c.Events() {
		a.Step()
	}
	if a.Events() != c.Events() || a.Hash() != c.Hash() {
		t.Fatalf("stepping and running to %dms differ: events %d, %d", c.Now(), a.Events(), c.Events())
	}
	if at, ok := c.NextEventTime(); !ok || at <= c.Now() {
		t.Fatalf("next event at %d (ok %v), want after %d", at, ok, c.Now())
	}
}

// TestDeterminismSweep: a sweep run is a function of its seed, and the
// schedule it returns replays to the same run.
func TestDeterminismSweep(t *testing.T) {
	t.Parallel()
	for _, rules := range []raft.Rules{raft.DefaultRules, raft.DefaultRules.With(raft.CurrentTermCommit, false),
		raft.DefaultRules.With(raft.PersistBeforeSend, false), raft.DefaultRules.With(raft.CommitMatched, false)} {
		for seed := uint64(1); seed <= 5; seed++ {
			sc := sim.SweepConfig{Servers: 5, Duration: 3000, Rules: rules, Seed: seed}
			a, b := sim.Sweep(sc), sim.Sweep(sc)
			if a.Hash != b.Hash || a.Events != b.Events || len(a.Schedule) != len(b.Schedule) {
				t.Fatalf("seed %d: two sweeps differ", seed)
			}
			c := sim.Replay(sc.ClusterConfig(), a.Schedule, a.Time, nil)
			if c == nil {
				t.Fatalf("seed %d: Replay failed", seed)
			}
			if c.Hash() != a.Hash || c.Events() != a.Events {
				t.Fatalf("seed %d: replay hash %x events %d, sweep %x events %d", seed, c.Hash(), c.Events(), a.Hash, a.Events)
			}
			if len(c.Violations()) != len(a.Violations) {
				t.Fatalf("seed %d: replay found %d violations, sweep %d", seed, len(c.Violations()), len(a.Violations))
			}
		}
	}
}
