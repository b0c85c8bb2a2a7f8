package player

import (
	"strconv"
	"strings"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// Record writes what has happened to c so far as a scenario: the cluster
// line, its batch size, the rules it started with, and every action at its moment, with
// run and step lines between them. Running the result gives the same run,
// event for event (this is how a run becomes a share link, and how an
// exercise solution is recorded).
func Record(c *sim.Cluster) string {
	cfg := c.Config()
	var b strings.Builder
	b.WriteString(scenario.Cluster{
		N: cfg.Servers, Seed: cfg.Seed,
		ElectionMin: cfg.ElectionMin, ElectionMax: cfg.ElectionMax,
		Heartbeat:  cfg.Heartbeat,
		LatencyMin: cfg.LatencyMin, LatencyMax: cfg.LatencyMax,
		Drop: cfg.Drop, Duplicate: cfg.Duplicate,
	}.String())
	b.WriteByte('\n')
	if cfg.MaxEntries != 0 {
		b.WriteString(scenario.BatchLine(cfg.MaxEntries) + "\n")
	}
	for _, r := range raft.AllRules() {
		if cfg.Rules.Has(r) != raft.DefaultRules.Has(r) {
			b.WriteString(scenario.Command{Kind: scenario.CmdRule, Rule: r, On: cfg.Rules.Has(r)}.String())
			b.WriteByte('\n')
		}
	}
	writeRun(&b, c, nil, c.ActionsTaken(), 0, 0)
	return b.String()
}

// writeRun writes actions (taken on c after the actions before) as
// scenario lines, with run and step lines that reach each action's moment
// from the moment (seq, at), and then c's present moment.
func writeRun(b *strings.Builder, c *sim.Cluster, before, actions []sim.TimedAction, seq, at int) {
	advance := func(toSeq, toTime int, aligned bool) {
		switch {
		case aligned && (toTime > at || toSeq > seq):
			b.WriteString(scenario.Command{Kind: scenario.CmdRun, Dur: toTime - at}.String() + "\n")
		case !aligned && toSeq > seq:
			b.WriteString("step " + strconv.Itoa(toSeq-seq) + "\n")
		}
		seq, at = toSeq, toTime
	}
	// In the manual network a step comes by itself ManualStep after the
	// step before (sim.Cluster.NextStep): no run line leads to it then.
	manual, stepAt := false, 0
	follow := func(ta sim.TimedAction) {
		switch k := ta.Action.Kind; {
		case k == sim.ActNetworkManual:
			manual, stepAt = true, ta.Time
		case k == sim.ActNetworkAuto:
			manual = false
		case manual && k.IsStep():
			stepAt = ta.Time
		}
	}
	for _, ta := range before {
		follow(ta)
	}
	for _, ta := range actions {
		if manual && ta.Action.Kind.IsStep() && ta.Seq == seq && ta.Time == max(at, stepAt+sim.ManualStep) {
			at = ta.Time
		} else {
			advance(ta.Seq, ta.Time, ta.Aligned)
		}
		b.WriteString(CommandOf(ta.Action).String())
		b.WriteByte('\n')
		follow(ta)
	}
	advance(c.Events(), c.Now(), c.Aligned())
}

// RecordMoves writes what the learner did after an exercise's setup ended:
// their actions at their moments, and the time they let pass, as lines
// that can be run after the setup (as a solution is). It is empty before
// the setup ends.
func (r *Runner) RecordMoves() string {
	if !r.setupDone {
		return ""
	}
	var b strings.Builder
	taken := r.Cluster.ActionsTaken()
	if r.setupActions <= len(taken) {
		writeRun(&b, r.Cluster, taken[:r.setupActions], taken[r.setupActions:], r.setupEvents, r.setupTime)
	}
	return b.String()
}

// CommandOf translates a simulator action to the command that does it.
func CommandOf(a sim.Action) scenario.Command {
	c := scenario.Command{Server: a.Server, From: a.From, To: a.To, Cmd: a.Cmd, BeforeSend: a.BeforeSend, AfterSend: a.AfterSend,
		Rate: a.Rate, Min: a.Min, Max: a.Max, Rule: a.Rule, On: a.On, Dur: a.Delay, Msg: a.Msg, Both: a.Both}
	for _, k := range actionKinds {
		if k.act == a.Kind {
			c.Kind = k.cmd
			break
		}
	}
	switch a.Kind {
	case sim.ActLinkUp, sim.ActLinkDown:
		c.On = a.Kind == sim.ActLinkUp
	case sim.ActDropMessage:
		c.N = int(a.MsgID)
	case sim.ActNetworkManual, sim.ActNetworkAuto:
		c.On = a.Kind == sim.ActNetworkManual
	case sim.ActDeliver, sim.ActDropOne, sim.ActDuplicateOne:
		c.N = a.Nth
	}
	for _, g := range a.Groups {
		if len(g) > 0 {
			c.Groups = append(c.Groups, g)
		}
	}
	return c
}
