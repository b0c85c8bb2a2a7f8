package explore

import (
	"strconv"
	"strings"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// Scenario writes a broken search's path as a scenario that the simulator
// replays to the violation, with its network run by hand: a comment on
// what was searched, the cluster and its batch size if the search set one
// (or prelude, the scenario that built the start state), the rules that
// differ from its own, "network manual" (unless the prelude left the
// network manual), one line per step, a line of narration naming what
// broke and the expectation of the violation. The result must be Broken.
func Scenario(r Result, prelude string) string {
	return ScenarioSaying(r, prelude, Explain(r.Violation))
}

// ScenarioSaying is Scenario with its line of narration given (say, in
// the reader's language, for instance).
func ScenarioSaying(r Result, prelude, say string) string {
	var b strings.Builder
	v := r.Violation
	cfg := r.Config
	bounds := cfg.Bounds
	before := raft.DefaultRules
	if cfg.From != nil {
		bounds.Servers, bounds.Batch = cfg.From.Servers(), cfg.From.Config().MaxEntries
		before = cfg.From.Rules()
	}
	b.WriteString("# The shortest way to break " + v.Kind.String() + " that raftplay explore found: " +
		strconv.Itoa(len(r.Path)) + " steps.\n")
	b.WriteString("# Searched with " + bounds.String() + " symmetry=" + onOff(cfg.Symmetry) + " (rules: " + cfg.Rules.String() + ").\n")
	if prelude == "" {
		b.WriteString("cluster " + strconv.Itoa(bounds.Servers) + "\n")
		if bounds.Batch > 0 {
			b.WriteString(scenario.BatchLine(bounds.Batch) + "\n")
		}
	} else {
		b.WriteString(strings.TrimRight(prelude, "\n") + "\n")
	}
	for _, rule := range raft.AllRules() {
		if cfg.Rules.Has(rule) != before.Has(rule) {
			b.WriteString("rule " + rule.String() + " " + onOff(cfg.Rules.Has(rule)) + "\n")
		}
	}
	if cfg.From == nil || !cfg.From.Manual() {
		b.WriteString("network manual\n")
	}
	for _, st := range r.Path {
		b.WriteString(st.String() + "\n")
	}
	b.WriteString("say " + quote(say) + "\n")
	b.WriteString("expect violation " + v.Kind.String() + "\n")
	return b.String()
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// Explain says in a sentence what a violation broke.
func Explain(v *sim.Violation) string {
	at := func(i int) string { return strconv.Itoa(i) }
	srv := func(k int) string {
		if k < len(v.Servers) {
			return v.Servers[k].String()
		}
		return "a server"
	}
	name := v.Kind.String() + " is broken: "
	switch v.Kind {
	case sim.ElectionSafety:
		return name + srv(0) + " and " + srv(1) + " are both leaders of term " + at(v.Term) + "."
	case sim.LeaderAppendOnly:
		return name + srv(0) + ", leader of term " + at(v.Term) + ", removed entries of its own log from index " + at(v.Index) + "."
	case sim.LogMatching:
		return name + srv(0) + " and " + srv(1) + " both hold an entry of term " + at(v.Term) + " at index " + at(v.Index) + ", but their logs differ up to it."
	case sim.LeaderCompleteness:
		return name + srv(0) + " leads term " + at(v.Term) + " without the entry committed at index " + at(v.Index) + " (of term " + at(v.Want.Term) + ")."
	case sim.StateMachineSafety:
		return name + srv(0) + " applied " + v.Want.String() + " and " + srv(1) + " applied " + v.Entry.String() + " at index " + at(v.Index) + "."
	case sim.TermMonotonic:
		return name + srv(0) + "'s term went down from " + at(v.Was) + " to " + at(v.Term) + "."
	case sim.CommitMonotonic:
		return name + srv(0) + "'s commit index went down from " + at(v.Was) + " to " + at(v.Index) + "."
	}
	return name + v.String()
}

// quote writes s as a scenario's quoted string: backslashes, quotes, new
// lines and tabs escaped.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}
