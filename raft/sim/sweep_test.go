package sim_test

import (
	"regexp"
	"sync"
	"sync/atomic"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// sweepSeeds runs seeds lo..hi over workers goroutines and calls found
// with each result; once found reports true, the workers take no more
// seeds.
func sweepSeeds(sc sim.SweepConfig, lo, hi uint64, workers int, found func(sim.SweepResult) bool) {
	var next atomic.Uint64
	var stop atomic.Bool
	next.Store(lo)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				seed := next.Add(1) - 1
				if seed > hi {
					return
				}
				run := sc
				run.Seed = seed
				if found(sim.Sweep(run)) {
					stop.Store(true)
				}
			}
		}()
	}
	wg.Wait()
}

// TestSweepSafe: with every safety rule on, seeds 1..200 of the sweep (10
// virtual seconds of faults each) find no violation and no liveness
// failure, in the default rotation of styles and in the partial style
// (links cut and flaky), whose quiet tail mends every link. `make sweep`
// runs 10,000, and 2,000 of the partial style.
func TestSweepSafe(t *testing.T) {
	for _, style := range []string{"", "partial"} {
		for _, rs := range ruleSets {
			name := rs.name
			if style != "" {
				name += "-" + style
			}
			sweepSafe(t, name, sim.SweepConfig{Servers: 5, Duration: 10000, Rules: rs.rules, Style: style})
		}
	}
}

func sweepSafe(t *testing.T, name string, sc sim.SweepConfig) {
	t.Run(name, func(t *testing.T) {
		t.Parallel()
		var mu sync.Mutex
		var bad []sim.SweepResult
		var events, committed atomic.Int64
		sweepSeeds(sc, 1, 200, 4, func(r sim.SweepResult) bool {
			events.Add(int64(r.Events))
			committed.Add(int64(r.Committed))
			if len(r.Violations) > 0 || r.Liveness != nil || r.Committed == 0 {
				mu.Lock()
				bad = append(bad, r)
				mu.Unlock()
			}
			return false
		})
		for _, r := range bad {
			if len(r.Violations) > 0 {
				t.Errorf("seed %d: %v", r.Seed, r.Violations[0])
			}
			if r.Liveness != nil {
				t.Errorf("seed %d: %v", r.Seed, r.Liveness)
			}
			if r.Committed == 0 {
				t.Errorf("seed %d: nothing committed", r.Seed)
			}
		}
		t.Logf("200 seeds: %d events, %d committed", events.Load(), committed.Load())
	})
}

// TestSweepFindsViolations: with one safety rule off, the sweep finds a
// violation within seeds 1..2000 (it stops at the first).
func TestSweepFindsViolations(t *testing.T) {
	unsafe := []struct {
		name  string
		rules raft.Rules
	}{
		{"current-term-commit", raft.DefaultRules.With(raft.CurrentTermCommit, false)},
		{"election-restriction", raft.DefaultRules.With(raft.ElectionRestriction, false)},
		{"persist-vote", raft.DefaultRules.With(raft.PersistVote, false)},
		{"all-three", raft.DefaultRules.With(raft.CurrentTermCommit, false).With(raft.ElectionRestriction, false).With(raft.PersistVote, false)},
	}
	for _, u := range unsafe {
		t.Run(u.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			first := uint64(0)
			var v sim.Violation
			sweepSeeds(sim.SweepConfig{Servers: 5, Duration: 10000, Rules: u.rules}, 1, 2000, 4, func(r sim.SweepResult) bool {
				if len(r.Violations) == 0 {
					return false
				}
				mu.Lock()
				defer mu.Unlock()
				if first == 0 || r.Seed < first {
					first, v = r.Seed, r.Violations[0]
				}
				return true
			})
			if first == 0 {
				t.Fatalf("no violation in seeds 1..2000 with %s off", u.name)
			}
			t.Logf("%s off: seed %d: %v", u.name, first, v)
			// The seed reproduces, and its trace shows the violation.
			r := sim.Sweep(sim.SweepConfig{Servers: 5, Duration: 10000, Rules: u.rules, Seed: first, Trace: true})
			if len(r.Violations) == 0 || r.Violations[0].String() != v.String() {
				t.Fatalf("seed %d does not reproduce: %v", first, r.Violations)
			}
			recorded := false
			for _, rec := range r.Trace {
				recorded = recorded || rec.Kind == sim.RecViolation
			}
			if !recorded {
				t.Fatal("no violation record in the trace")
			}
		})
	}
}

// TestSweepResult checks what a sweep run reports about itself.
func TestSweepResult(t *testing.T) {
	t.Parallel()
	for _, servers := range []int{1, 2, 3, 4, 7, 9} {
		for seed := uint64(1); seed <= 10; seed++ {
			r := sim.Sweep(sim.SweepConfig{Servers: servers, Duration: 5000, Rules: raft.DefaultRules, Seed: seed})
			if r.Seed != seed || r.Time < 5000 || r.Events == 0 || len(r.Schedule) == 0 {
				t.Fatalf("%d servers, seed %d: %+v", servers, seed, r)
			}
			if len(r.Violations) > 0 || r.Liveness != nil {
				t.Fatalf("%d servers, seed %d: violations %v liveness %v", servers, seed, r.Violations, r.Liveness)
			}
			if r.Committed == 0 {
				t.Fatalf("%d servers, seed %d: nothing committed", servers, seed)
			}
			if r.Trace != nil {
				t.Fatalf("%d servers, seed %d: a trace without asking", servers, seed)
			}
			for i := 1; i < len(r.Schedule); i++ {
				if r.Schedule[i].Time < r.Schedule[i-1].Time {
					t.Fatalf("schedule out of order at %d", i)
				}
			}
		}
	}
	if r := sim.Sweep(sim.SweepConfig{Servers: 0, Duration: 1000, Rules: raft.DefaultRules, Seed: 1}); r.Liveness == nil {
		t.Fatal("a sweep of 0 servers reported no error")
	}
}

// TestSweepFindsMistakes: with any implementation mistake made (its rule
// off, every other setting the sweep's default), the sweep fails within
// seeds 1..3000: with a violation of an invariant if the mistake breaks
// safety (Rule.Safety), with a violation or a liveness failure otherwise.
// It logs the first failing seed and what broke (and for a mistake that
// breaks safety, a liveness failure at an earlier seed), which the
// README's table of the mistakes reports.
func TestSweepFindsMistakes(t *testing.T) {
	howMuch := regexp.MustCompile(`within \d+ms.*(\d+ms late|not even after \d+ms|once more than the \d+ allowed|must not change)`)
	const seeds = 3000
	for _, rule := range raft.AllRules() {
		if rule.Kind() != raft.KindMistake {
			continue
		}
		t.Run(rule.String(), func(t *testing.T) {
			t.Parallel()
			sc := sim.DefaultSweep
			sc.Rules = sc.Rules.With(rule, false)
			var mu sync.Mutex
			var found, live sim.SweepResult // the first of the kind sought; the first liveness failure
			sweepSeeds(sc, 1, seeds, 4, func(r sim.SweepResult) bool {
				mu.Lock()
				defer mu.Unlock()
				if r.Liveness != nil && (live.Seed == 0 || r.Seed < live.Seed) {
					live = r
				}
				if len(r.Violations) == 0 && (rule.Safety() || r.Liveness == nil) {
					return false
				}
				if found.Seed == 0 || r.Seed < found.Seed {
					found = r
				}
				return true
			})
			if live.Seed != 0 && (found.Seed == 0 || live.Seed <= found.Seed) {
				t.Logf("%s=off: seed %d: liveness: %v", rule, live.Seed, live.Liveness)
				// It says which bound, and by how much it was broken.
				if !howMuch.MatchString(live.Liveness.Error()) {
					t.Errorf("the liveness failure says no bound or not by how much: %v", live.Liveness)
				}
			}
			switch {
			case found.Seed == 0 && rule.Safety():
				t.Fatalf("%s=off: no violation in seeds 1..%d", rule, seeds)
			case found.Seed == 0:
				t.Fatalf("%s=off: no violation and no liveness failure in seeds 1..%d", rule, seeds)
			case len(found.Violations) > 0:
				t.Logf("%s=off: seed %d: %v", rule, found.Seed, found.Violations[0])
			}
		})
	}
}
