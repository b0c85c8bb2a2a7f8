package main

import (
	"fmt"
	"io"
	"strings"

	"raftplay/raft"
)

// runRules lists the engine's rules, one a line: its name, whether it is
// on by default, its kind and what it does. The words are the page's
// (site/web/text/en.json, "r-NAME"), so the command line and the Rules
// tab say the same thing.
func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("rules", stderr)
	setUsage(fs, stderr, `usage: raftplay rules

Lists the engine's rules, one a line, tab-separated: the name (as in
-rule NAME=off and the scenario line "rule NAME off"), its default (on or
off), its kind (safety, liveness, option or mistake) and what it does.
A rule of kind mistake is the correct behaviour: switching it off makes
the mistake.`)
	if !parseNoArgs(fs, args, stderr) {
		return exitUsage
	}
	lines, err := ruleLines()
	if err != nil {
		fmt.Fprintln(stderr, "raftplay rules:", err)
		return exitFail
	}
	for _, l := range lines {
		fmt.Fprintln(stdout, strings.Join(l[:], "\t"))
	}
	return exitOK
}

// ruleLines gives each rule's name, default, kind and description, in
// raft.AllRules() order.
func ruleLines() ([][4]string, error) {
	tables, err := uiTables()
	if err != nil {
		return nil, err
	}
	var out [][4]string
	for _, r := range raft.AllRules() {
		desc := tables["en"]["r-"+r.String()]
		if desc == "" {
			return nil, fmt.Errorf("rule %s has no description (key %q in site/web/text/en.json)", r, "r-"+r.String())
		}
		def := "off"
		if raft.DefaultRules.Has(r) {
			def = "on"
		}
		out = append(out, [4]string{r.String(), def, r.Kind().String(), desc})
	}
	return out, nil
}
