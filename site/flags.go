package main

import (
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"raftplay/raft"
	"raftplay/raft/scenario"
)

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("raftplay "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// setUsage makes the flag set's usage the text, then its flags.
func setUsage(fs *flag.FlagSet, stderr io.Writer, text string) {
	fs.Usage = func() {
		io.WriteString(stderr, text+"\n")
		fs.PrintDefaults()
	}
}

// parseNoArgs parses a command's flags and refuses any argument after
// them; it reports false when the command must stop with a usage error.
func parseNoArgs(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() > 0 {
		io.WriteString(stderr, fs.Name()+": unexpected argument "+strconv.Quote(fs.Arg(0))+"\n")
		return false
	}
	return true
}

// parsePaths parses a command's flags and requires at least one argument
// after them (a path); it reports false, after the usage where there is
// none, when the command must stop with a usage error.
func parsePaths(fs *flag.FlagSet, args []string) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return false
	}
	return true
}

// durationFlag reads a virtual duration such as 300ms, 2s or 1.5s, in ms.
type durationFlag struct{ ms int }

func (d *durationFlag) String() string { return strconv.Itoa(d.ms) + "ms" }

func (d *durationFlag) Set(s string) error {
	ms, err := scenario.ParseDuration(s)
	if err != nil {
		return err
	}
	d.ms = ms
	return nil
}

// rulesFlag collects -rule NAME=on|off switches over the default rules.
type rulesFlag struct{ rules raft.Rules }

func (r *rulesFlag) String() string { return r.rules.String() }

func (r *rulesFlag) Set(s string) error {
	rule, on, err := parseRuleSwitch(s)
	if err != nil {
		return err
	}
	r.rules = r.rules.With(rule, on)
	return nil
}

// parseRuleSwitch reads NAME=on or NAME=off.
func parseRuleSwitch(s string) (raft.Rule, bool, error) {
	name, val, ok := strings.Cut(s, "=")
	if !ok || (val != "on" && val != "off") {
		return 0, false, errors.New("want NAME=on or NAME=off, e.g. election-restriction=off")
	}
	rule, err := raft.ParseRule(name)
	if err != nil {
		return 0, false, err
	}
	return rule, val == "on", nil
}

// ruleSwitches collects -rule NAME=on|off switches, to be applied over
// rules known only later (a scenario's, when a command starts from one).
type ruleSwitches struct {
	rules []raft.Rule
	on    []bool
}

func (r *ruleSwitches) String() string { return strconv.Itoa(len(r.rules)) + " switches" }

func (r *ruleSwitches) Set(s string) error {
	rule, on, err := parseRuleSwitch(s)
	if err != nil {
		return err
	}
	r.rules, r.on = append(r.rules, rule), append(r.on, on)
	return nil
}

// over returns base with the switches applied, in order.
func (r *ruleSwitches) over(base raft.Rules) raft.Rules {
	for i, rule := range r.rules {
		base = base.With(rule, r.on[i])
	}
	return base
}

// fromRoot is where an output path given on the command line goes: as
// given when absolute, else below the module's root (so that make's
// targets work from anywhere in the tree).
func fromRoot(root, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(root, path)
}
