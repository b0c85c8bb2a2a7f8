package main

import (
	"fmt"
	"io"

	"raftplay/raft"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

func runDemo(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("demo", stderr)
	seed := fs.Uint64("seed", 1, "random seed")
	nodes := fs.Int("nodes", 5, "servers (1-9)")
	dur := durationFlag{ms: 3000}
	fs.Var(&dur, "duration", "virtual time to run")
	rules := rulesFlag{rules: raft.DefaultRules}
	fs.Var(&rules, "rule", "switch a rule, NAME=on|off (repeatable)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	cfg := sim.DefaultConfig()
	cfg.Seed, cfg.Servers, cfg.Rules = *seed, *nodes, rules.rules
	c, err := sim.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "raftplay demo:", err)
		return exitUsage
	}
	// A client proposes a command every 500ms once there is a leader.
	for t, k := 500, 1; t <= dur.ms; t, k = t+500, k+1 {
		_ = c.RunUntil(t)
		if c.Leader() != raft.None {
			_ = c.Do(sim.Action{Kind: sim.ActPropose, Cmd: fmt.Sprintf("x%d", k)})
		}
	}
	_ = c.RunUntil(dur.ms)
	for _, r := range c.Trace(0) {
		if r.Kind == sim.RecLost && r.Loss == sim.LossDown {
			continue
		}
		fmt.Fprintf(stdout, "%6dms  %s\n", r.Time, narration.Narrate(r))
	}
	fmt.Fprintf(stdout, "%d events in %dms of virtual time; leader %s; %d violations\n", c.Events(), c.Now(), c.Leader(), len(c.Violations()))
	return exitOK
}
