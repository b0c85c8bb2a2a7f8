package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

const exitLiveness = 3

func runSweep(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sweep", stderr)
	seeds := fs.Int("seeds", 100, "number of seeded runs")
	start := fs.Uint64("start", 1, "first seed")
	nodes := fs.Int("nodes", sim.DefaultSweep.Servers, "servers per cluster (1-9)")
	dur := durationFlag{ms: sim.DefaultSweep.Duration}
	fs.Var(&dur, "duration", "virtual time of faults per run (e.g. 10s)")
	rules := rulesFlag{rules: sim.DefaultSweep.Rules}
	fs.Var(&rules, "rule", "switch a rule, NAME=on|off (repeatable)")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "parallel runs")
	verbose := fs.Bool("v", false, "print a line per run")
	keepGoing := fs.Bool("keep-going", false, "run every seed even after a violation (reports how many runs violate)")
	shrink := fs.Bool("shrink", false, "reduce the first violating run to a minimal scenario and print it")
	trace := fs.Bool("trace", false, "print each run's narrated trace (use with -seeds 1)")
	style := fs.String("style", "", "every run of one style of faults: "+strings.Join(sim.SweepStyles(), ", ")+
		" (partial, links cut and flaky, is kept out of the default rotation, which draws a style from each seed)")
	if !parseNoArgs(fs, args, stderr) {
		return exitUsage
	}
	if *style != "" && !slices.Contains(sim.SweepStyles(), *style) {
		fmt.Fprintf(stderr, "raftplay sweep: unknown -style %q (styles: %s)\n", *style, strings.Join(sim.SweepStyles(), ", "))
		return exitUsage
	}
	styleArg := ""
	if *style != "" {
		styleArg = " -style " + *style
	}
	if *seeds < 1 || *nodes < 1 || *nodes > raft.MaxServers || *workers < 1 || dur.ms < 1 {
		fmt.Fprintln(stderr, "raftplay sweep: -seeds and -workers must be at least 1, -nodes 1-9, -duration positive")
		return exitUsage
	}

	began := time.Now()
	results := make([]sim.SweepResult, *seeds)
	var (
		mu     sync.Mutex
		next   int
		stopAt = *seeds // no run at or after this index is needed
		wg     sync.WaitGroup
	)
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				limit := stopAt
				mu.Unlock()
				if i >= limit {
					return
				}
				r := sim.Sweep(sim.SweepConfig{Servers: *nodes, Duration: dur.ms, Rules: rules.rules, Seed: *start + uint64(i), Trace: *trace, Style: *style})
				mu.Lock()
				results[i] = r
				if len(r.Violations) > 0 && i < stopAt && !*keepGoing {
					stopAt = i + 1 // runs after the first violating seed can stop
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(began)

	var runs, events, virtual, committed, violations, liveness, badRuns int
	reported := 0
	var firstLive *sim.SweepResult
	engineErrors := 0
	for i := 0; i < stopAt; i++ {
		r := &results[i]
		runs++
		events += r.Events
		virtual += r.Time
		committed += r.Committed
		violations += len(r.Violations)
		if r.EngineErrors > 0 {
			if engineErrors == 0 {
				fmt.Fprintf(stdout, "ENGINE ERROR with seed %d: the engine refused %d messages that its nodes made (replay with -trace)\n", r.Seed, r.EngineErrors)
			}
			engineErrors += r.EngineErrors
		}
		if *trace {
			for _, rec := range r.Trace {
				fmt.Fprintf(stdout, "%6dms #%d %s\n", rec.Time, rec.Seq, narration.Narrate(rec))
			}
		}
		if *verbose {
			fmt.Fprintf(stdout, "seed %d (%s): %d events, %d committed, %d violations, hash %016x; %s\n", r.Seed, r.Style, r.Events, r.Committed, len(r.Violations), r.Hash, r.Tail)
		}
		if r.Liveness != nil {
			liveness++
			if firstLive == nil {
				firstLive = r
			}
		}
		if len(r.Violations) > 0 {
			badRuns++
		}
		if len(r.Violations) > 0 && reported < 3 {
			reported++
			fmt.Fprintf(stdout, "VIOLATION with seed %d (replay: raftplay sweep -seeds 1 -start %d -nodes %d -duration %s%s%s)\n",
				r.Seed, r.Seed, *nodes, dur.String(), ruleArgs(rules.rules), styleArg)
			for j, v := range r.Violations {
				if j == 5 {
					fmt.Fprintf(stdout, "  … and %d more\n", len(r.Violations)-j)
					break
				}
				fmt.Fprintf(stdout, "  t=%dms %s\n", v.Time, v)
			}
		}
	}
	if *shrink && violations > 0 {
		for i := 0; i < stopAt; i++ {
			if r := &results[i]; len(r.Violations) > 0 {
				sc := sim.SweepConfig{Servers: *nodes, Duration: dur.ms, Rules: rules.rules, Seed: r.Seed, Style: *style}
				printShrunk(stdout, sc, r)
				break
			}
		}
	}
	if firstLive != nil && violations == 0 {
		fmt.Fprintf(stdout, "LIVENESS failure with seed %d (replay: raftplay sweep -seeds 1 -start %d -nodes %d -duration %s%s%s -v): %v\n",
			firstLive.Seed, firstLive.Seed, *nodes, dur.String(), ruleArgs(rules.rules), styleArg, firstLive.Liveness)
	}
	fmt.Fprintln(stdout, tailSummary(results[:stopAt], sim.TailBounds(*nodes)))
	rate := float64(events) / elapsed.Seconds()
	styleNote := ""
	if *style != "" {
		styleNote = ", style: " + *style
	}
	fmt.Fprintf(stdout, "sweep: %d runs, %ds virtual, %d events, %d entries committed, %d violations in %d runs, %d liveness failures, %.0f events/s (%d workers, rules: %s%s)\n",
		runs, virtual/1000, events, committed, violations, badRuns, liveness, rate, *workers, rules.rules, styleNote)
	switch {
	case violations > 0 || engineErrors > 0:
		return exitFail
	case liveness > 0:
		return exitLiveness
	}
	return exitOK
}

func ruleArgs(r raft.Rules) string {
	s := ""
	for _, rule := range raft.AllRules() {
		if r.Has(rule) != raft.DefaultRules.Has(rule) {
			if r.Has(rule) {
				s += " -rule " + rule.String() + "=on"
			} else {
				s += " -rule " + rule.String() + "=off"
			}
		}
	}
	return s
}

// printShrunk reduces a violating run's schedule to a minimal scenario,
// checks that the scenario shows the violation, and prints it.
func printShrunk(w io.Writer, sc sim.SweepConfig, r *sim.SweepResult) {
	v := r.Violations[0]
	began := time.Now()
	reduced, text, ok := player.Shrink(sc.ClusterConfig(), r.Schedule, v.Kind, v.Time+2000, 4000)
	if !ok {
		fmt.Fprintf(w, "shrink: replaying seed %d's schedule did not reproduce %s\n", r.Seed, v.Kind)
		return
	}
	fmt.Fprintf(w, "shrink: %d of %d actions are enough for %s (%.1fs); as a scenario:\n\n",
		len(reduced), len(r.Schedule), v.Kind, time.Since(began).Seconds())
	fmt.Fprintf(w, "# Found by raftplay sweep, seed %d, shrunk.\n%s\n", r.Seed, text)
	if err := verifyScenario(fmt.Sprintf("seed-%d.raft", r.Seed), text); err != nil {
		fmt.Fprintln(w, "shrink: the scenario does not hold when run:", err)
	}
}

// verifyScenario parses and checks a generated scenario.
func verifyScenario(name, text string) error {
	s, err := scenario.Parse(name, text)
	if err != nil {
		return err
	}
	errs, _ := player.Check(s)
	return errors.Join(errs...)
}

// tailSummary sums up what the runs' quiet tails measured, against the
// bounds of the liveness check: the median, the 99th percentile and the
// largest of each quantity, over the runs where it was measured.
func tailSummary(results []sim.SweepResult, bounds sim.Tail) string {
	quantities := []struct {
		name, unit string
		get        func(sim.Tail) int
		has        func(sim.Tail) bool // whether the run measured it
	}{
		{"leader elected after the faults stopped", "ms", func(t sim.Tail) int { return t.Leader }, func(t sim.Tail) bool { return t.Leader >= 0 }},
		{"settled after the leader's election, beyond a round trip for each a follower may need to catch up", "ms", sim.Tail.SettleSlack, func(t sim.Tail) bool { return t.Settle >= 0 }},
		{"a proposal committed on every server once settled", "ms", func(t sim.Tail) int { return t.Latency }, func(t sim.Tail) bool { return t.Latency > 0 }},
		{"leader changes after the first election", "", func(t sim.Tail) int { return t.Changes }, func(t sim.Tail) bool { return t.Leader >= 0 }},
		{"leader changes once settled", "", func(t sim.Tail) int { return t.Unsettled }, func(t sim.Tail) bool { return t.Settle >= 0 }},
	}
	s := "quiet tail: median / 99th percentile / largest (bound)"
	for _, q := range quantities {
		var xs []int
		for _, r := range results {
			if q.has(r.Tail) {
				xs = append(xs, q.get(r.Tail))
			}
		}
		s += "\n  " + q.name + ": "
		if len(xs) == 0 {
			s += "none"
			continue
		}
		slices.Sort(xs)
		rank := func(pct int) int { return xs[(len(xs)*pct+99)/100-1] } // the nearest rank
		s += fmt.Sprintf("%d / %d / %d%s (%d%s)", rank(50), rank(99), xs[len(xs)-1], q.unit, q.get(bounds), q.unit)
	}
	return s
}
