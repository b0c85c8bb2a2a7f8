package main

import (
	"errors"
	"fmt"
	"io"

	"raftplay/raft/scenario"
)

func runCheck(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("check", stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: raftplay check PATH...\n\nRuns every scenario in the .raft and .md files under PATH: every expect must\nhold, every exercise's solution must reach its goal, every question must have\na right choice.")
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return exitUsage
	}
	files, err := scenarioFiles(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "raftplay check:", err)
		return exitUsage
	}
	var st scenario.CheckStats
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
	for _, f := range files {
		scens, err := loadScenarios(f)
		if err != nil {
			report(err)
		}
		for _, s := range scens {
			errs, one := scenario.Check(s)
			st.Add(one)
			for _, e := range errs {
				report(e)
			}
		}
	}
	verdict := "all hold"
	if failures > 0 {
		verdict = fmt.Sprintf("%d failures", failures)
	}
	fmt.Fprintf(stdout, "check: %d files, %d scenarios, %d expects, %d exercises, %d questions: %s\n",
		len(files), st.Scenarios, st.Expects, st.Exercises, st.Questions, verdict)
	if failures > 0 {
		return exitFail
	}
	return exitOK
}
