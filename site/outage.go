package main

import (
	"fmt"
	"io"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// runOutage replays the partial network failure of the November 2020
// etcd outage (raft/sim/outage.go) and prints, over seeds 1..N, the
// leaders elected and the client requests committed per minute: on a
// healthy network, with pre-vote and check-quorum off, with each alone,
// and with both on.
func runOutage(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("outage", stderr)
	seeds := fs.Int("seeds", 20, "number of seeded replays of each case")
	servers := fs.Int("servers", 5, "the topology: 5 (S4 reaches only S2, S5 only S3) or 3 (S1 and S3 cut from each other)")
	dur := durationFlag{ms: sim.OutageDuration}
	fs.Var(&dur, "duration", "virtual time of each replay (e.g. 60s)")
	if !parseNoArgs(fs, args, stderr) {
		return exitUsage
	}
	top := sim.OutageFive
	switch {
	case *servers == 3:
		top = sim.OutageThree
	case *servers != 5:
		fmt.Fprintln(stderr, "raftplay outage: -servers is 5 or 3")
		return exitUsage
	}
	if *seeds < 1 || dur.ms < 1000 {
		fmt.Fprintln(stderr, "raftplay outage: -seeds must be at least 1, -duration at least 1s")
		return exitUsage
	}
	rules := func(pv, cq bool) raft.Rules {
		return raft.DefaultRules.With(raft.PreVote, pv).With(raft.CheckQuorum, cq)
	}
	fmt.Fprintf(stdout, "outage replay: %d servers, links cut both ways:", top.Servers)
	for _, l := range top.Cuts {
		fmt.Fprintf(stdout, " %v-%v", l[0], l[1])
	}
	fmt.Fprintf(stdout, "; election timeout 150-300ms, heartbeat 50ms, latency 10-20ms; a request every %dms; %gs of virtual time; seeds 1..%d\n",
		sim.OutageEvery, float64(dur.ms)/1000, *seeds)
	fmt.Fprintln(stdout, "per minute: mean (fewest-most)")
	for _, c := range []struct {
		name string
		top  sim.OutageTopology
		r    raft.Rules
	}{
		{"healthy network", top.Healthy(), rules(false, false)},
		{"prevote and check-quorum off", top, rules(false, false)},
		{"prevote alone", top, rules(true, false)},
		{"check-quorum alone", top, rules(false, true)},
		{"prevote and check-quorum on", top, rules(true, true)},
	} {
		f := sim.MeasureOutage(sim.Outage{Topology: c.top, Rules: c.r, Duration: dur.ms}, *seeds)
		fmt.Fprintf(stdout, "  %-30s elections %6.1f (%.0f-%.0f)   commits %6.1f (%.0f-%.0f)\n", c.name,
			f.ElectionsMean, f.ElectionsMin, f.ElectionsMax, f.CommitsMean, f.CommitsMin, f.CommitsMax)
	}
	return exitOK
}
