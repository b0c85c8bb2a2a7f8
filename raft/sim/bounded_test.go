package sim_test

import (
	"strings"
	"testing"

	"raftplay/raft/sim"
)

// A long run keeps checkpoints dense near the present and about 32 apart
// (in units of CheckpointEvery) in the past, not one per CheckpointEvery
// events, and every moment is still reached exactly by a seek.
func TestCheckpointsThinOutAndSeeksStayExact(t *testing.T) {
	const every = 8
	c := newCluster(t, func(cfg *sim.Config) { cfg.Seed = 5; cfg.CheckpointEvery = every })
	seen := map[int]moment{}
	script(t, c, func(c *sim.Cluster) {
		if c.Now()%500 == 50 {
			seen[c.Now()] = remember(c)
		}
	})
	cps := c.Checkpoints()
	if max := 64 + c.Events()/(16*every) + 2; len(cps) > max {
		t.Errorf("%d checkpoints for %d events, want at most %d", len(cps), c.Events(), max)
	}
	for i := 1; i+64 < len(cps); i++ {
		if gap := cps[i] - cps[i-1]; gap > 32*every+every {
			t.Errorf("checkpoints %d and %d are %d events apart, more than %d", i-1, i, gap, 32*every)
		}
	}
	if len(seen) < 10 {
		t.Fatalf("only %d moments remembered", len(seen))
	}
	for at := range seen {
		if err := c.Seek(at); err != nil {
			t.Fatalf("Seek(%d): %v", at, err)
		}
		checkMoment(t, c, seen[at], at)
	}
}

// Past its limit the trace drops its oldest records, and with them the
// time before them: the run says how far back it can go, refuses to go
// further with a clear error, and seeks exactly within what it keeps.
func TestTraceLimitBoundsHistory(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.Seed = 5; cfg.CheckpointEvery = 16; cfg.TraceLimit = 500 })
	seen := map[int]moment{}
	script(t, c, func(c *sim.Cluster) {
		if c.Now()%500 == 50 {
			seen[c.Now()] = remember(c)
		}
	})
	if c.TraceStart() == 0 || c.TraceLen()-c.TraceStart() > 500+1024 {
		t.Fatalf("trace keeps records %d..%d with a limit of 500", c.TraceStart(), c.TraceLen())
	}
	if got := c.Trace(0); len(got) != c.TraceLen()-c.TraceStart() {
		t.Fatalf("Trace(0) returned %d records, want the %d kept", len(got), c.TraceLen()-c.TraceStart())
	}
	early := c.Earliest()
	if early <= 0 || early >= c.Now() {
		t.Fatalf("Earliest() = %d", early)
	}
	if err := c.Seek(early - 1); err == nil || !strings.Contains(err.Error(), "keeps its history from") {
		t.Fatalf("Seek before the earliest moment: %v", err)
	}
	for at, m := range seen {
		if at < early {
			continue
		}
		if err := c.Seek(at); err != nil {
			t.Fatalf("Seek(%d): %v", at, err)
		}
		checkMoment(t, c, m, at)
	}
}
