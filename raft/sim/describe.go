package sim

import (
	"strconv"
	"strings"

	"raftplay/raft"
)

// Describe says what a trace record means as a Line: which sentence of the
// narration tells it (naming the rule of the paper that decided it), and
// with which facts. It decides everything a sentence depends on, so that
// a language's table holds words only.
func Describe(r Record) Line {
	switch r.Kind {
	case RecAction:
		return describeAction(r.Action)
	case RecLost:
		return describeLoss(r.Msg, r.Loss)
	case RecViolation:
		v := r.Violation
		return line("violation").text("code", v.Kind.String()).gloss("name", "inv."+v.Kind.String()).sub("detail", v.Line())
	case RecEngineError:
		m := r.Msg
		return line("engine-error").text("message", m.String()).text("type", m.Type.String()).
			server("from", m.From).server("to", m.To).text("error", r.Err)
	case RecEvent:
		return describeEvent(&r.Event)
	}
	return line("unknown")
}

func describeAction(a *Action) Line {
	k := "action." + a.Kind.String()
	switch a.Kind {
	case ActTimeout, ActRestart, ActIsolate:
		return line(k).server("s", a.Server)
	case ActPropose:
		if a.Server == raft.None {
			return line(k+".to-leader").text("cmd", strconv.Quote(a.Cmd))
		}
		return line(k).text("cmd", strconv.Quote(a.Cmd)).server("s", a.Server)
	case ActCrash:
		if a.BeforeSend {
			k += ".before-send"
		}
		return line(k).server("s", a.Server)
	case ActPartition:
		sides := make([]string, len(a.Groups))
		for i, g := range a.Groups {
			ids := make([]string, len(g))
			for j, id := range g {
				ids[j] = id.String()
			}
			sides[i] = strings.Join(ids, " ")
		}
		return line(k).text("groups", strings.Join(sides, " | "))
	case ActLinkDown, ActLinkUp, ActDropNext:
		return line(k).server("from", a.From).server("to", a.To)
	case ActDrop, ActDuplicate:
		return line(k).text("rate", strconv.FormatFloat(a.Rate*100, 'g', 3, 64))
	case ActLatency:
		if a.Min == a.Max {
			return line(k+".fixed").num("ms", a.Min)
		}
		return line(k).num("min", a.Min).num("max", a.Max)
	case ActRule:
		if a.On {
			k += ".on"
		} else {
			k += ".off"
		}
		return line(k).text("code", a.Rule.String()).gloss("name", "rule."+a.Rule.String())
	case ActTimer:
		return line(k).server("s", a.Server).num("ms", a.Delay)
	case ActDropMessage, ActHeal:
		return line(k)
	}
	return line("action.unknown").text("what", a.Kind.String())
}

func describeLoss(m *raft.Message, why Loss) Line {
	k := "lost." + why.String()
	if why == 0 || int(why) >= len(lossNames) {
		k = "lost.unknown"
	}
	return line(k).sub("msg", describeMsg(m)).server("from", m.From).server("to", m.To)
}

func describeMsg(m *raft.Message) Line {
	k := "message.reply"
	switch m.Type {
	case raft.MsgApp:
		k = "message.append"
		if m.IsHeartbeat() {
			k = "message.heartbeat"
		}
	case raft.MsgVote:
		k = "message.vote"
	case raft.MsgPreVote:
		k = "message.prevote"
	}
	return line(k).server("from", m.From).server("to", m.To)
}

// Line describes the violation's details, without its name.
func (v *Violation) Line() Line {
	l := line("violation." + v.Kind.String())
	for i, s := range v.Servers {
		l = l.server(string(rune('a'+i)), s)
	}
	switch v.Kind {
	case TermMonotonic, CommitMonotonic:
		l = l.num("was", v.Was)
	case LeaderCompleteness:
		l = l.num("entryTerm", v.Want.Term)
	case StateMachineSafety:
		l = l.sub("entry", appliedEntry(v.Entry)).sub("want", appliedEntry(v.Want))
	}
	return l.num("index", v.Index).num("term", v.Term)
}

func appliedEntry(e raft.Entry) Line {
	if e.Noop {
		return line("applied.empty").num("index", e.Index).num("term", e.Term)
	}
	return line("applied.cmd").num("index", e.Index).num("term", e.Term).text("cmd", strconv.Quote(e.Cmd))
}

func describeEvent(e *raft.Event) Line {
	k := "event." + e.Kind.String()
	l := line(k).server("s", e.Node)
	switch e.Kind {
	case raft.EvTimeout:
		if e.Role == raft.Candidate {
			return line(k+".again").server("s", e.Node).num("term", e.Term)
		}
		return l
	case raft.EvBecameFollower:
		switch e.Reason {
		case raft.ReasonRestart, raft.ReasonHigherTerm, raft.ReasonLeaderSeen, raft.ReasonTwoLeaders, raft.ReasonQuorumLost:
			k += "." + e.Reason.String()
		}
		return line(k).server("s", e.Node).server("p", e.Peer).num("term", e.Term)
	case raft.EvBecamePreCandidate:
		return l.num("next", e.Term+1)
	case raft.EvBecameCandidate:
		why := "candidate.timer"
		switch e.Reason {
		case raft.ReasonForced:
			why = "candidate.forced"
		case raft.ReasonPreVoteWon:
			why = "candidate.prevote-won"
		}
		return l.num("term", e.Term).sub("why", line(why))
	case raft.EvBecameLeader:
		return l.num("term", e.Term).num("votes", e.Votes)
	case raft.EvVoteGranted, raft.EvVoteDenied:
		return describeVote(e)
	case raft.EvVoteReceived:
		if e.Pre {
			k += ".pre"
		}
		return line(k).server("s", e.Node).server("p", e.Peer).num("votes", e.Votes)
	case raft.EvAppended:
		if e.Role == raft.Leader {
			if len(e.Entries) == 1 && e.Entries[0].Noop {
				return line(k+".empty").server("s", e.Node).num("index", e.Index)
			}
			k += ".leader"
		}
		return line(k).server("s", e.Node).sub("entries", entryList(e.Entries))
	case raft.EvTruncated:
		if len(e.Entries) == 1 {
			k += ".one"
		} else {
			k += ".many"
		}
		if e.Committed {
			k += ".committed"
		}
		return line(k).server("s", e.Node).sub("entries", entryList(e.Entries))
	case raft.EvAppendRejected:
		switch {
		case e.Reason == raft.ReasonMissingPrev && e.OwnIndex == 0:
			k += ".missing-prev.empty"
		case e.Reason == raft.ReasonMissingPrev, e.Reason == raft.ReasonPrevMismatch:
			k += "." + e.Reason.String()
		}
		return line(k).server("s", e.Node).server("p", e.Peer).num("index", e.Index).
			num("ownIndex", e.OwnIndex).num("ownTerm", e.OwnTerm).num("prevTerm", e.PrevTerm)
	case raft.EvCommitted:
		switch {
		case e.Reason == raft.ReasonMajority, e.Reason == raft.ReasonMajorityAnyTerm:
			k += "." + e.Reason.String()
		case e.Last > e.Index:
			k += ".many"
		}
		return line(k).server("s", e.Node).sub("range", indexRange(e.Index, e.Last))
	case raft.EvApplied:
		return l.sub("entries", entryList(e.Entries))
	case raft.EvProposed:
		return l.num("index", e.Index)
	case raft.EvProposalRejected:
		if e.Peer == raft.None {
			return line(k+".no-leader").server("s", e.Node)
		}
		return l.server("p", e.Peer)
	case raft.EvBackedUp:
		if e.Reason == raft.ReasonHint {
			k += ".hint"
		}
		return line(k).server("s", e.Node).server("p", e.Peer).num("from", e.Last).num("to", e.Index)
	case raft.EvCommitHeld:
		return l.num("index", e.Index).num("entryTerm", e.EntryTerm).num("term", e.Term)
	case raft.EvStaleMessage:
		return l.server("p", e.Peer)
	}
	return line("event.unknown").server("s", e.Node).text("what", e.Kind.String())
}

// describeVote tells a granted or denied vote: the sentence says whether
// it was a pre-vote, and the reason is a phrase of its own.
func describeVote(e *raft.Event) Line {
	k := "event." + e.Kind.String()
	// A pre-vote, and a request of a stale term, are about the term the
	// (pre-)candidate asks for.
	term := e.Term
	if e.Pre || e.Reason == raft.ReasonStaleTerm {
		term = e.Asked
	}
	if e.Kind == raft.EvVoteGranted {
		switch e.Reason {
		case raft.ReasonRuleOff, raft.ReasonSameCandidate:
			k += "." + e.Reason.String()
		}
		if e.Pre {
			k += ".pre"
		}
		return line(k).server("s", e.Node).server("p", e.Peer).num("term", term)
	}
	if e.Pre {
		k += ".pre"
	}
	var why Line
	switch e.Reason {
	case raft.ReasonAlreadyVoted:
		why = line("deny.already-voted")
		if e.Voted == e.Node {
			why = line("deny.already-voted.self")
		}
		why = why.server("voted", e.Voted).num("term", e.Term)
	case raft.ReasonLogOlderTerm:
		why = line("deny.log-older-term").server("s", e.Node).server("p", e.Peer).
			num("candTerm", e.CandTerm).num("ownTerm", e.OwnTerm)
	case raft.ReasonLogShorter:
		why = line("deny.log-shorter").server("s", e.Node).server("p", e.Peer).
			num("candIndex", e.CandIndex).num("ownIndex", e.OwnIndex)
	case raft.ReasonLeaderAlive:
		why = line("deny.leader-alive")
	case raft.ReasonStaleTerm:
		why = line("deny.stale-term").num("term", e.Term).num("asked", term)
	default:
		why = line("deny.other").text("reason", e.Reason.String())
	}
	return line(k).server("s", e.Node).server("p", e.Peer).sub("why", why)
}

// indexRange names one index or a range of them.
func indexRange(lo, hi int) Line {
	if lo == hi {
		return line("range.one").num("index", lo)
	}
	return line("range.many").num("from", lo).num("to", hi)
}

// entryList names entries: each with its command and term when there are
// at most three, else their range (the trace keeps only the first three
// and the last; see traced).
func entryList(es []raft.Entry) Line {
	switch {
	case len(es) == 0:
		return line("entries.none")
	case len(es) > 3:
		return indexRange(es[0].Index, es[len(es)-1].Index)
	}
	items := make([]Line, len(es))
	for i, e := range es {
		if e.Noop {
			items[i] = line("entry.empty").num("index", e.Index).num("term", e.Term)
		} else {
			items[i] = line("entry.cmd").num("index", e.Index).text("cmd", strconv.Quote(e.Cmd)).num("term", e.Term)
		}
	}
	if len(items) == 1 {
		return line("entries.one").sub("entry", items[0])
	}
	return line("entries.many").list("entries", items)
}
