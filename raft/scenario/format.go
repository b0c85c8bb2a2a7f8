package scenario

import (
	"strconv"
	"strings"

	"raftplay/raft"
)

// Format writes s back as canonical scenario text: the cluster line (if s
// has one, with only the options that differ from the defaults), the
// batch line, the title, the commands, then the exercise lines (goal, allow, hints,
// solution). Comments, blank lines and spacing are not kept. The result
// parses to a scenario equal to s except for positions.
func Format(s *Scenario) string {
	var b strings.Builder
	if s.ClusterGiven {
		b.WriteString(s.Cluster.String() + "\n")
	}
	if s.Batch != 0 {
		b.WriteString(BatchLine(s.Batch) + "\n")
	}
	if s.Title != "" {
		b.WriteString("title ")
		b.WriteString(quote(s.Title))
		b.WriteByte('\n')
	}
	for i := range s.Commands {
		b.WriteString(s.Commands[i].String())
		b.WriteByte('\n')
	}
	if s.Goal != nil {
		b.WriteString("goal ")
		b.WriteString(s.Goal.String())
		b.WriteByte('\n')
		if s.GoalWhy != "" {
			b.WriteString("why ")
			b.WriteString(quote(s.GoalWhy))
			b.WriteByte('\n')
		}
	}
	if s.AllowGiven {
		b.WriteString("allow")
		for _, w := range s.Allow {
			b.WriteByte(' ')
			b.WriteString(w)
		}
		b.WriteByte('\n')
	}
	for _, h := range s.Hints {
		b.WriteString("hint ")
		b.WriteString(quote(h))
		b.WriteByte('\n')
	}
	if len(s.Solution) > 0 {
		b.WriteString("solution\n")
		for i := range s.Solution {
			b.WriteString(s.Solution[i].String())
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// BatchLine writes the batch line for a batch of n entries.
func BatchLine(n int) string { return "batch " + strconv.Itoa(n) }

// String writes the cluster line, with only the options that differ from
// the defaults (and seed= when the line pins it).
func (c Cluster) String() string {
	d := DefaultCluster()
	s := "cluster " + strconv.Itoa(c.N)
	if c.Seed != d.Seed || c.SeedGiven {
		s += " seed=" + strconv.FormatUint(c.Seed, 10)
	}
	if c.ElectionMin != d.ElectionMin || c.ElectionMax != d.ElectionMax {
		s += " election=" + formatRange(c.ElectionMin, c.ElectionMax)
	}
	if c.Heartbeat != d.Heartbeat {
		s += " heartbeat=" + formatDur(c.Heartbeat)
	}
	if c.LatencyMin != d.LatencyMin || c.LatencyMax != d.LatencyMax {
		s += " latency=" + formatRange(c.LatencyMin, c.LatencyMax)
	}
	if c.Drop != d.Drop {
		s += " drop=" + formatProb(c.Drop)
	}
	if c.Duplicate != d.Duplicate {
		s += " duplicate=" + formatProb(c.Duplicate)
	}
	return s
}

// String writes the command as one canonical line. A question is followed
// by its choices, one a line.
func (c Command) String() string {
	var b strings.Builder
	b.WriteString(c.Kind.String())
	arg := func(s string) { appendArg(&b, s) }
	switch c.Kind {
	case CmdRule:
		arg(c.Rule.String())
		if c.On {
			arg("on")
		} else {
			arg("off")
		}
	case CmdTimer:
		arg(c.Server.String())
		arg(formatDur(c.Dur))
	case CmdTimeout, CmdRestart, CmdIsolate:
		arg(c.Server.String())
	case CmdPropose:
		arg(FormatCmd(c.Cmd))
		if c.Server != raft.None {
			arg("to")
			arg(c.Server.String())
		}
	case CmdCrash:
		arg(c.Server.String())
		if c.BeforeSend {
			arg("before-send")
		} else if c.AfterSend {
			arg("after-send")
		}
	case CmdPartition:
		for i, g := range c.Groups {
			if i > 0 {
				arg("|")
			}
			for _, id := range g {
				arg(id.String())
			}
		}
	case CmdLink, CmdLinkDrop:
		way := "->"
		if c.Both {
			way = "<->"
		}
		arg(c.From.String() + way + c.To.String())
		switch {
		case c.Kind == CmdLinkDrop:
			arg("drop")
			arg(formatProb(c.Rate))
		case c.On:
			arg("up")
		default:
			arg("down")
		}
	case CmdElection:
		arg(formatRange(c.Min, c.Max))
	case CmdDrop, CmdDuplicate:
		arg(formatProb(c.Rate))
	case CmdLatency:
		arg(formatRange(c.Min, c.Max))
	case CmdDropNext:
		arg(c.From.String() + "->" + c.To.String())
	case CmdDropMessage:
		arg(strconv.Itoa(c.N))
	case CmdNetwork:
		if c.On {
			arg("manual")
		} else {
			arg("auto")
		}
	case CmdHeartbeat:
		arg(c.Server.String())
	case CmdTransfer:
		arg(c.Server.String())
		arg("to")
		arg(c.To.String())
	case CmdClient:
		if c.Dur == 0 {
			arg("off")
		} else {
			arg("every")
			arg(formatDur(c.Dur))
		}
	case CmdDeliver, CmdDropOne, CmdDuplicateOne:
		arg(c.From.String() + "->" + c.To.String())
		arg(c.Msg.String())
		if c.N > 0 {
			arg(strconv.Itoa(c.N))
		}
	case CmdRun:
		arg(formatDur(c.Dur))
	case CmdStep:
		if c.N != 1 {
			arg(strconv.Itoa(c.N))
		}
	case CmdRunUntil, CmdExpect:
		if c.Cond != nil {
			arg(c.Cond.String())
		}
		if c.Kind == CmdRunUntil && c.Dur != DefaultWithin {
			arg("within")
			arg(formatDur(c.Dur))
		}
	case CmdSay:
		arg(quote(c.Text))
	case CmdQuestion:
		arg(quote(c.Text))
		if c.Question != nil {
			for _, ch := range c.Question.Choices {
				b.WriteByte('\n')
				b.WriteString(ch.String())
			}
		}
	}
	return b.String()
}

// String writes the choice as a canonical line, and its why line after
// it if it has one.
func (ch Choice) String() string {
	s := "choice " + quote(ch.Text) + " when " + ch.When.String()
	if ch.Why != "" {
		s += "\nwhy " + quote(ch.Why)
	}
	return s
}

// String writes the condition canonically, atoms joined by " and ".
func (c Cond) String() string {
	var b strings.Builder
	for i := range c.Terms {
		if i > 0 {
			b.WriteString(" and ")
		}
		c.Terms[i].appendTo(&b)
	}
	return b.String()
}

// String writes the atom canonically.
func (a Atom) String() string {
	var b strings.Builder
	a.appendTo(&b)
	return b.String()
}

func (a *Atom) appendTo(b *strings.Builder) {
	b.WriteString(a.Kind.String())
	arg := func(s string) { appendArg(b, s) }
	switch a.Kind {
	case AtomLeader:
		if a.None {
			arg("none")
		} else if a.Server != raft.None {
			arg(a.Server.String())
		}
	case AtomRole:
		arg(a.Server.String())
		arg(a.Role.String())
	case AtomTerm:
		if a.Server != raft.None {
			arg(a.Server.String())
		}
		if a.Op != "=" && a.Op != "" {
			arg(a.Op)
		}
		arg(strconv.Itoa(a.N))
	case AtomTime:
		if a.Op != "=" && a.Op != "" {
			arg(a.Op)
		}
		arg(formatDur(a.N))
	case AtomElections, AtomAnswered:
		if a.Op != "=" && a.Op != "" {
			arg(a.Op)
		}
		arg(strconv.Itoa(a.N))
	case AtomCommitted:
		arg(strconv.Itoa(a.N))
		if a.All {
			arg("on all")
		} else if len(a.Servers) > 0 {
			arg("on")
			for _, id := range a.Servers {
				arg(id.String())
			}
		}
	case AtomLog, AtomRemoved:
		arg(a.Server.String())
		if len(a.Entries) == 0 && a.Kind == AtomLog {
			arg("empty")
		}
		for _, e := range a.Entries {
			arg(e.String())
		}
	case AtomApplied:
		arg(a.Server.String())
		if len(a.Cmds) == 0 {
			arg("empty")
		}
		for _, c := range a.Cmds {
			arg(FormatCmd(c))
		}
	case AtomViolation:
		if a.Name != "" {
			arg(a.Name)
		}
	case AtomCrashed, AtomUp, AtomLeads:
		arg(a.Server.String())
	case AtomVotedFor:
		arg(a.Server.String())
		if a.Peer == raft.None {
			arg("none")
		} else {
			arg(a.Peer.String())
		}
	case AtomHeld:
		arg(a.Server.String())
		arg(strconv.Itoa(a.N))
	case AtomElected:
		arg(a.Server.String())
		appendInTerm(b, a.InTerm)
	case AtomVoted, AtomDenied, AtomRejected:
		arg(a.Server.String())
		switch a.Kind {
		case AtomVoted:
			arg("for")
		case AtomDenied:
			arg("to")
		default:
			arg("from")
		}
		arg(a.Peer.String())
		appendInTerm(b, a.InTerm)
		if a.Reason != raft.ReasonNone {
			arg("because")
			arg(a.Reason.String())
		}
	}
}

// String writes the entry as log and removed conditions spell it: 1:x,
// 1:"x y", or 1:- for an empty (noop) entry.
func (e LogEntry) String() string {
	if e.Noop {
		return strconv.Itoa(e.Term) + ":-"
	}
	return strconv.Itoa(e.Term) + ":" + FormatCmd(e.Cmd)
}

func appendInTerm(b *strings.Builder, term int) {
	if term > 0 {
		appendArg(b, "in")
		appendArg(b, strconv.Itoa(term))
	}
}

// appendArg writes a space and s.

func appendArg(b *strings.Builder, s string) {
	b.WriteByte(' ')
	b.WriteString(s)
}
