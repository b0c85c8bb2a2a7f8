package main

import (
	"fmt"
	"io"
	"strings"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

func runRun(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("run", stderr)
	verbose := fs.Bool("v", false, "show every trace record, lost heartbeats and stale messages included")
	setUsage(fs, stderr, "usage: raftplay run [-v] FILE...\n\nRuns every scenario in the .raft or .md files and prints the narrated trace.")
	if !parsePaths(fs, args) {
		return exitUsage
	}
	files, err := scenarioFiles(fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "raftplay run:", err)
		return exitUsage
	}
	status := exitOK
	for _, f := range files {
		scens, err := loadScenarios(f)
		if err != nil {
			fmt.Fprintln(stdout, err)
			status = exitFail
		}
		for _, s := range scens {
			if !playScenario(s, stdout, *verbose) {
				status = exitFail
			}
		}
	}
	return status
}

// playScenario runs s to its end, printing its narrated trace and what
// the script says; it reports whether every expectation held.
func playScenario(s *scenario.Scenario, w io.Writer, verbose bool) bool {
	title := s.Title
	if title == "" {
		title = "scenario"
	}
	fmt.Fprintf(w, "== %s:%d: %s\n", s.File, s.Line, title)
	r, err := player.NewRunner(s, nil)
	if err != nil {
		fmt.Fprintln(w, err)
		return false
	}
	c := r.Cluster
	seen := 0
	flush := func() {
		for _, rec := range c.Trace(seen) {
			if verbose || !noise(rec) {
				fmt.Fprintf(w, "%7dms  %s\n", rec.Time, narration.Narrate(rec))
			}
		}
		seen = c.TraceLen()
	}
	const limit = 3_600_000
	for !r.Ended() && r.Err() == nil && c.Now() < limit {
		outs := r.Advance(limit)
		flush()
		for _, o := range outs {
			printOutput(w, o)
		}
	}
	if r.Err() != nil {
		return false
	}
	fmt.Fprintf(w, "-- %d events, %dms of virtual time, leader %s, %d violations\n",
		c.Events(), c.Now(), c.Leader(), len(c.Violations()))
	return true
}

// noise reports whether rec is left out of the default trace: messages
// lost because their receiver is down, and stale messages ignored.
func noise(rec sim.Record) bool {
	return (rec.Kind == sim.RecLost && rec.Loss == sim.LossDown) ||
		(rec.Kind == sim.RecEvent && rec.Event.Kind == raft.EvStaleMessage)
}

func printOutput(w io.Writer, o player.Output) {
	switch o.Kind {
	case player.OutSay:
		fmt.Fprintf(w, "%7dms  » %s\n", o.Time, o.Text)
	case player.OutPause:
		fmt.Fprintf(w, "%7dms  ‖ pause (%s)\n", o.Time, o.Pos)
	case player.OutQuestion:
		fmt.Fprintf(w, "%7dms  ? %s\n", o.Time, o.Text)
		for i, ch := range o.Question.Choices {
			fmt.Fprintf(w, "            %c) %s\n", 'a'+i, ch.Text)
		}
	case player.OutAnswer:
		var right []string
		for _, i := range o.Right {
			right = append(right, string(rune('a'+i)))
		}
		if len(right) == 0 {
			right = []string{"none"}
		}
		fmt.Fprintf(w, "%7dms  ✓ right: %s (%q)\n", o.Time, strings.Join(right, ", "), o.Question.Text)
	case player.OutFail:
		fmt.Fprintf(w, "%s: %s\n", o.Pos, o.Text)
	case player.OutSolved:
		fmt.Fprintf(w, "%7dms  ★ goal reached\n", o.Time)
	}
}
