package main

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"raftplay/raft/player"
	"raftplay/raft/scenario"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	seeds := fs.Int("seeds", 0, "check every scenario under seeds 1..N in place of the default seed (0: each scenario's own seed)")
	setUsage(fs, stderr, "usage: raftplay check [-seeds N] PATH...\n\nRuns every scenario in the .raft and .md files under PATH: every expect must\nhold, every exercise's solution must reach its goal, every question must have\nexactly one right choice, and none may hold when it is asked. With -seeds N,\nevery scenario is checked under seeds 1..N (a scenario that pins seed= keeps\nit), and each question must have the same right choice under all of them.\n\nFlags (before the paths):")
	if !parsePaths(fs, args) {
		return exitUsage
	}
	if *seeds < 0 || *seeds > maxCheckSeeds {
		fmt.Fprintf(stderr, "raftplay check: -seeds must be between 0 and %d, got %d\n", maxCheckSeeds, *seeds)
		return exitUsage
	}
	for _, a := range fs.Args() {
		if strings.HasPrefix(a, "-") {
			fmt.Fprintf(stderr, "raftplay check: flag %q after a path: give flags before the paths\n", a)
			return exitUsage
		}
	}
	files, err := scenarioFiles(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "raftplay check:", err)
		return exitUsage
	}
	var st player.CheckStats
	failures := 0
	report := func(err error) {
		var list scenario.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stdout, e)
			}
			failures += len(list)
			return
		}
		fmt.Fprintln(stdout, err)
		failures++
	}
	// Scenarios are checked in parallel, one per core, and reported in
	// file order.
	type job struct {
		s    *scenario.Scenario
		errs []error
		st   player.CheckStats
		done chan struct{}
	}
	var jobs []*job
	for _, f := range files {
		scens, err := loadScenarios(f)
		if err != nil {
			jobs = append(jobs, &job{errs: []error{err}, done: closed()})
		}
		for _, s := range scens {
			jobs = append(jobs, &job{s: s, done: make(chan struct{})})
		}
	}
	work := make(chan *job)
	for range runtime.GOMAXPROCS(0) {
		go func() {
			for j := range work {
				j.errs, j.st = player.CheckSeeds(j.s, *seeds)
				close(j.done)
			}
		}()
	}
	go func() {
		for _, j := range jobs {
			if j.s != nil {
				work <- j
			}
		}
		close(work)
	}()
	for _, j := range jobs {
		<-j.done
		st.Add(j.st)
		for _, e := range j.errs {
			report(e)
		}
	}
	verdict := "all hold"
	if failures > 0 {
		verdict = fmt.Sprintf("%d failures", failures)
	}
	under := ""
	if *seeds > 0 {
		under = fmt.Sprintf(" under seeds 1..%d", *seeds)
	}
	fmt.Fprintf(stdout, "check: %d files, %d scenarios, %d expects, %d exercises, %d questions%s: %s\n",
		len(files), st.Scenarios, st.Expects, st.Exercises, st.Questions, under, verdict)
	if failures > 0 {
		return exitFail
	}
	return exitOK
}

// maxCheckSeeds bounds -seeds: far more than any lesson needs, and a
// check that still ends in minutes.
const maxCheckSeeds = 100000

func closed() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}
