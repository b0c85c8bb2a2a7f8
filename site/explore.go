package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"raftplay/raft"
	"raftplay/raft/explore"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// exitBudget is explore's status when a budget ran out before the search
// could finish.
const exitBudget = 4

func runExplore(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explore", stderr)
	d := explore.DefaultBounds()
	b := &explore.Bounds{}
	fs.IntVar(&b.Servers, "servers", d.Servers, "servers in the cluster (1-5; with -from, the scenario's)")
	fs.IntVar(&b.Terms, "terms", d.Terms, "no server's term goes past this")
	fs.IntVar(&b.Log, "log", d.Log, "no log grows longer than this")
	fs.IntVar(&b.Requests, "requests", d.Requests, "client requests, in all")
	fs.IntVar(&b.Crashes, "crashes", d.Crashes, "crashes, in all")
	fs.IntVar(&b.Restarts, "restarts", d.Restarts, "restarts, in all")
	fs.IntVar(&b.InFlight, "inflight", d.InFlight, "messages in flight at once")
	fs.IntVar(&b.Depth, "depth", d.Depth, "steps from the start")
	fs.IntVar(&b.Batch, "batch", d.Batch, "entries one AppendEntries carries at most (0: the engine's 64; with -from, the scenario's)")
	mem := fs.Int64("mem", d.Memory>>20, "memory budget in MB for what the search keeps")
	var rules ruleSwitches
	fs.Var(&rules, "rule", "switch a rule, NAME=on|off (repeatable; over the defaults, or the scenario's with -from)")
	symmetry := fs.Bool("symmetry", true, "keep one state of each family equal up to renaming the servers")
	out := fs.String("out", "", "write the counterexample to this .raft file (default: print it)")
	from := fs.String("from", "", "start from the state at the end of this scenario (.raft)")
	quiet := fs.Bool("q", false, "print no progress lines")
	limit := fs.Duration("time", 0, "stop after this long (e.g. 2m; 0: no limit)")
	setUsage(fs, stderr, `usage: raftplay explore [flags]

Searches every schedule of a small cluster breadth first, with time
abstracted away (a step delivers, duplicates or drops a message in flight,
fires an election timer or a heartbeat, takes a client request, crashes a
server, after its next send too with persist-before-send off, or restarts
one), and checks every invariant in every state reached. It
prints the shortest schedule that breaks one, as a scenario, or says that
the space within the bounds holds. Exit status: 0 it holds, 1 broken,
2 usage error, 4 a budget ran out first. See docs/explore.md.

Flags:`)
	if !parseNoArgs(fs, args, stderr) {
		return exitUsage
	}
	b.Memory = *mem << 20
	cfg := explore.Config{Bounds: *b, Rules: rules.over(raft.DefaultRules), Symmetry: *symmetry}
	prelude := ""
	if *from != "" {
		c, text, err := clusterAfter(*from)
		if err != nil {
			fmt.Fprintln(stderr, "raftplay explore: -from:", err)
			return exitUsage
		}
		cfg.From, cfg.Rules, prelude = c, rules.over(c.Rules()), text
		cfg.Bounds.Servers, cfg.Bounds.Batch = c.Servers(), c.Config().MaxEntries
	}
	if *limit < 0 {
		fmt.Fprintln(stderr, "raftplay explore: -time must not be negative")
		return exitUsage
	}
	began := time.Now()
	timedOut := false
	if *limit > 0 {
		cfg.Stop = func() bool {
			timedOut = time.Since(began) > *limit
			return timedOut
		}
	}
	if !*quiet {
		// A line as each level begins, at most one a second, and one
		// every ten seconds within a long level.
		var last time.Time
		lastDepth := -1
		cfg.Progress = func(p explore.Progress) {
			since := time.Since(last)
			if since < time.Second || (p.Depth == lastDepth && since < 10*time.Second) {
				return
			}
			last, lastDepth = time.Now(), p.Depth
			fmt.Fprintf(stdout, "explore: depth %d, %d states (%d to expand), %.0f states/s, %s\n",
				p.Depth, p.States, p.Frontier, p.Rate(), memoryWords(p.Memory))
		}
	}
	res, err := explore.Search(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "raftplay explore:", strings.TrimPrefix(err.Error(), "explore: "))
		return exitUsage
	}
	elapsed := time.Since(began)
	status := exitOK
	what := ""
	switch res.Verdict {
	case explore.Holds:
		if res.Exhausted {
			what = fmt.Sprintf("holds: no state within the bounds breaks an invariant (every one reached, the last at depth %d)", res.Depth)
		} else {
			what = fmt.Sprintf("holds to depth %d: no state within it breaks an invariant (the depth bound cut the search)", res.Depth)
		}
	case explore.Broken:
		status = exitFail
		text := explore.Scenario(res, prelude)
		if *out != "" {
			if err := os.WriteFile(*out, []byte(text), 0o644); err != nil {
				fmt.Fprintln(stderr, "raftplay explore:", err)
				return exitFail
			}
			fmt.Fprintf(stdout, "explore: wrote the counterexample to %s\n", *out)
		} else {
			fmt.Fprint(stdout, "\n"+text+"\n")
		}
		what = fmt.Sprintf("broken at depth %d: %s", res.Depth, res.Violation)
	case explore.Stopped:
		status = exitBudget
		why := res.Reason
		if timedOut {
			why = "time budget of " + limit.String() + " reached"
		}
		what = fmt.Sprintf("stopped at depth %d before the search could finish (no state within %d steps breaks an invariant): %s", res.Depth, res.Depth, why)
	}
	bounds := cfg.Bounds
	fmt.Fprintf(stdout, "explore: %s; %d states, %d moves in %.1fs (%.0f states/s), %s; bounds: %s; rules: %s; symmetry %s\n",
		what, res.States, res.Transitions, elapsed.Seconds(), float64(res.States)/elapsed.Seconds(), memoryWords(res.Memory),
		bounds, cfg.Rules, onOff(cfg.Symmetry))
	return status
}

// memoryWords says how much the search keeps and the process's heap.
func memoryWords(kept int64) string {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return fmt.Sprintf("%d MB kept (heap %d MB)", kept>>20, ms.HeapAlloc>>20)
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// clusterAfter runs the scenario in path to its end and returns the
// cluster then, with the scenario's text. Every expectation on the way
// must hold.
func clusterAfter(path string) (*sim.Cluster, string, error) {
	scens, err := loadScenarios(path)
	if err != nil {
		return nil, "", err
	}
	if len(scens) != 1 {
		return nil, "", fmt.Errorf("%s holds %d scenarios; -from takes one", path, len(scens))
	}
	s := scens[0]
	if s.IsExercise() {
		return nil, "", errors.New(path + " is an exercise; -from takes a scenario")
	}
	r, err := player.NewRunner(s, nil)
	if err != nil {
		return nil, "", err
	}
	ended, err := r.RunToEnd(3_600_000)
	if err != nil {
		return nil, "", err
	}
	if !ended {
		return nil, "", fmt.Errorf("%s did not end within an hour of virtual time", path)
	}
	return r.Cluster, scenario.Format(s), nil
}
