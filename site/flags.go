package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"raftplay/raft"
)

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("raftplay "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// durationFlag reads a virtual duration such as 300ms, 2s or 1.5s, in ms.
type durationFlag struct{ ms int }

func (d *durationFlag) String() string { return strconv.Itoa(d.ms) + "ms" }

func (d *durationFlag) Set(s string) error {
	ms, err := parseDuration(s)
	if err != nil {
		return err
	}
	d.ms = ms
	return nil
}

func parseDuration(s string) (int, error) {
	unit := 0
	num := s
	switch {
	case strings.HasSuffix(s, "ms"):
		unit, num = 1, s[:len(s)-2]
	case strings.HasSuffix(s, "s"):
		unit, num = 1000, s[:len(s)-1]
	case strings.HasSuffix(s, "m"):
		unit, num = 60000, s[:len(s)-1]
	default:
		return 0, fmt.Errorf("%q is not a duration like 300ms, 10s or 2m", s)
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 || v*float64(unit) > 24*3600*1000 {
		return 0, fmt.Errorf("%q is not a duration like 300ms, 10s or 2m (at most 24h)", s)
	}
	return int(v * float64(unit)), nil
}

// rulesFlag collects -rule NAME=on|off switches over the default rules.
type rulesFlag struct{ rules raft.Rules }

func (r *rulesFlag) String() string { return r.rules.String() }

func (r *rulesFlag) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok || (val != "on" && val != "off") {
		return errors.New("want NAME=on or NAME=off, e.g. election-restriction=off")
	}
	rule, err := raft.ParseRule(name)
	if err != nil {
		return err
	}
	r.rules = r.rules.With(rule, val == "on")
	return nil
}
