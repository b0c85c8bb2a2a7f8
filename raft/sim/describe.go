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
		return NewLine("violation").Text("code", v.Kind.String()).Gloss("name", "inv."+v.Kind.String()).Sub("detail", v.Line())
	case RecEngineError:
		m := r.Msg
		return NewLine("engine-error").Text("message", m.String()).Text("type", m.Type.String()).
			Server("from", m.From).Server("to", m.To).Text("error", r.Err)
	case RecEvent:
		return describeEvent(&r.Event)
	case RecUnwritten:
		return describeUnwritten(r.Unwritten)
	case RecClient:
		a := r.Action
		k := "client.request"
		if r.Loss != 0 {
			k = "client.request.down"
		}
		return NewLine(k).Text("cmd", strconv.Quote(a.Cmd)).Server("s", a.Server).Server("next", a.To)
	}
	return NewLine("unknown")
}

func describeAction(a *Action) Line {
	k := "action." + a.Kind.String()
	switch a.Kind {
	case ActTimeout, ActRestart, ActIsolate:
		return NewLine(k).Server("s", a.Server)
	case ActPropose:
		if a.Server == raft.None {
			return NewLine(k+".to-leader").Text("cmd", strconv.Quote(a.Cmd))
		}
		return NewLine(k).Text("cmd", strconv.Quote(a.Cmd)).Server("s", a.Server)
	case ActCrash:
		switch {
		case a.BeforeSend:
			k += ".before-send"
		case a.AfterSend:
			k += ".after-send"
		}
		return NewLine(k).Server("s", a.Server)
	case ActPartition:
		sides := make([]string, len(a.Groups))
		for i, g := range a.Groups {
			ids := make([]string, len(g))
			for j, id := range g {
				ids[j] = id.String()
			}
			sides[i] = strings.Join(ids, " ")
		}
		return NewLine(k).Text("groups", strings.Join(sides, " | "))
	case ActLinkDown, ActLinkUp, ActDropNext, ActLinkDrop:
		if a.Both && a.Kind != ActDropNext {
			k += ".both"
		}
		l := NewLine(k).Server("from", a.From).Server("to", a.To)
		if a.Kind == ActLinkDrop {
			l = l.Text("rate", strconv.FormatFloat(a.Rate*100, 'g', 3, 64))
		}
		return l
	case ActElection:
		return NewLine(k).Num("min", a.Min).Num("max", a.Max)
	case ActDrop, ActDuplicate:
		return NewLine(k).Text("rate", strconv.FormatFloat(a.Rate*100, 'g', 3, 64))
	case ActLatency:
		if a.Min == a.Max {
			return NewLine(k+".fixed").Num("ms", a.Min)
		}
		return NewLine(k).Num("min", a.Min).Num("max", a.Max)
	case ActRule:
		if a.On {
			k += ".on"
		} else {
			k += ".off"
		}
		return NewLine(k).Text("code", a.Rule.String()).Gloss("name", "rule."+a.Rule.String())
	case ActTimer:
		return NewLine(k).Server("s", a.Server).Num("ms", a.Delay)
	case ActDropMessage, ActHeal, ActNetworkManual, ActNetworkAuto:
		return NewLine(k)
	case ActHeartbeat:
		return NewLine(k).Server("s", a.Server)
	case ActTransfer:
		return NewLine(k).Server("s", a.Server).Server("to", a.To)
	case ActClient:
		if a.Delay == 0 {
			return NewLine("action.client.off")
		}
		return NewLine(k).Num("ms", a.Delay)
	case ActDeliver, ActDropOne, ActDuplicateOne:
		return NewLine(k).Sub("msg", describeKind(a.Msg, a.From, a.To)).Server("from", a.From).Server("to", a.To)
	}
	return NewLine("action.unknown").Text("what", a.Kind.String())
}

// describeUnwritten tells what a server lost by crashing after sending and
// before writing: the mistake persist-before-send off makes possible.
func describeUnwritten(u *Unwritten) Line {
	var what []Line
	if u.Term > 0 {
		what = append(what, NewLine("unwritten.term").Num("term", u.Term).Num("was", u.Was))
	}
	if u.Vote != raft.None {
		what = append(what, NewLine("unwritten.vote").Server("voted", u.Vote).Num("term", u.VoteTerm))
	}
	if u.Lost > 0 {
		es := entryList(u.Entries)
		switch {
		case u.AckedTo != raft.None:
			what = append(what, NewLine("unwritten.entries.acked").Sub("entries", es).Server("p", u.AckedTo))
		case u.SentTo > 0:
			what = append(what, NewLine("unwritten.entries.sent").Sub("entries", es))
		default:
			what = append(what, NewLine("unwritten.entries").Sub("entries", es))
		}
	}
	if u.Back > 0 {
		what = append(what, NewLine("unwritten.back").Sub("range", indexRange(u.From, u.From+u.Back-1)))
	}
	return NewLine("unwritten").Server("s", u.Server).Text("code", raft.PersistBeforeSend.String()).
		ListSep("what", "unwritten.sep", what)
}

func describeLoss(m *raft.Message, why Loss) Line {
	k := "lost." + why.String()
	if why == 0 || int(why) >= len(lossNames) {
		k = "lost.unknown"
	}
	return NewLine(k).Sub("msg", describeMsg(m)).Server("from", m.From).Server("to", m.To)
}

func describeMsg(m *raft.Message) Line {
	return describeKind(KindOf(m), m.From, m.To)
}

// describeKind names a message by its type, sender and receiver.
func describeKind(kind MsgKind, from, to raft.ID) Line {
	k := "message.reply"
	switch kind {
	case KindAppend:
		k = "message.append"
	case KindHeartbeat:
		k = "message.heartbeat"
	case KindVote:
		k = "message.vote"
	case KindPreVote:
		k = "message.prevote"
	case KindTimeoutNow:
		k = "message.timeout-now"
	}
	return NewLine(k).Server("from", from).Server("to", to)
}

// Line describes the violation's details, without its name.
func (v *Violation) Line() Line {
	l := NewLine("violation." + v.Kind.String())
	for i, s := range v.Servers {
		l = l.Server(string(rune('a'+i)), s)
	}
	switch v.Kind {
	case TermMonotonic, CommitMonotonic:
		l = l.Num("was", v.Was)
	case LeaderCompleteness:
		l = l.Num("entryTerm", v.Want.Term)
	case StateMachineSafety:
		l = l.Sub("entry", appliedEntry(v.Entry)).Sub("want", appliedEntry(v.Want))
	}
	return l.Num("index", v.Index).Num("term", v.Term)
}

func appliedEntry(e raft.Entry) Line {
	if e.Noop {
		return NewLine("applied.empty").Num("index", e.Index).Num("term", e.Term)
	}
	return NewLine("applied.cmd").Num("index", e.Index).Num("term", e.Term).Text("cmd", strconv.Quote(e.Cmd))
}

func describeEvent(e *raft.Event) Line {
	k := "event." + e.Kind.String()
	l := NewLine(k).Server("s", e.Node)
	switch e.Kind {
	case raft.EvTimeout:
		if e.Role == raft.Candidate {
			return NewLine(k+".again").Server("s", e.Node).Num("term", e.Term)
		}
		return l
	case raft.EvBecameFollower:
		switch e.Reason {
		case raft.ReasonRestart, raft.ReasonHigherTerm, raft.ReasonLeaderSeen, raft.ReasonTwoLeaders, raft.ReasonQuorumLost:
			k += "." + e.Reason.String()
		}
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Num("term", e.Term)
	case raft.EvBecamePreCandidate:
		return l.Num("next", e.Term+1)
	case raft.EvBecameCandidate:
		why := "candidate.timer"
		switch e.Reason {
		case raft.ReasonForced:
			why = "candidate.forced"
		case raft.ReasonPreVoteWon:
			why = "candidate.prevote-won"
		case raft.ReasonTransfer:
			why = "candidate.transfer"
		}
		return l.Num("term", e.Term).Sub("why", NewLine(why).Server("p", e.Peer))
	case raft.EvBecameLeader:
		return l.Num("term", e.Term).Num("votes", e.Votes)
	case raft.EvVoteGranted, raft.EvVoteDenied:
		return describeVote(e)
	case raft.EvVoteReceived:
		if e.Pre {
			k += ".pre"
		}
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Num("votes", e.Votes)
	case raft.EvAppended:
		if e.Role == raft.Leader {
			if len(e.Entries) == 1 && e.Entries[0].Noop {
				return NewLine(k+".empty").Server("s", e.Node).Num("index", e.Index)
			}
			k += ".leader"
		}
		return NewLine(k).Server("s", e.Node).Sub("entries", entryList(e.Entries))
	case raft.EvTruncated:
		if e.Reason == raft.ReasonRuleOff {
			k += ".unchecked"
		}
		if len(e.Entries) == 1 {
			k += ".one"
		} else {
			k += ".many"
		}
		if e.Committed {
			k += ".committed"
		}
		return NewLine(k).Server("s", e.Node).Sub("entries", entryList(e.Entries))
	case raft.EvAppendRejected:
		switch {
		case e.Reason == raft.ReasonMissingPrev && e.OwnIndex == 0:
			k += ".missing-prev.empty"
		case e.Reason == raft.ReasonMissingPrev, e.Reason == raft.ReasonPrevMismatch:
			k += "." + e.Reason.String()
		}
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Num("index", e.Index).
			Num("ownIndex", e.OwnIndex).Num("ownTerm", e.OwnTerm).Num("prevTerm", e.PrevTerm)
	case raft.EvCommitted:
		switch {
		case e.Reason == raft.ReasonMajority, e.Reason == raft.ReasonMajorityAnyTerm:
			k += "." + e.Reason.String()
		case e.Last > e.Index:
			k += ".many"
		}
		return NewLine(k).Server("s", e.Node).Sub("range", indexRange(e.Index, e.Last))
	case raft.EvApplied:
		return l.Sub("entries", entryList(e.Entries))
	case raft.EvProposed:
		return l.Num("index", e.Index)
	case raft.EvProposalRejected:
		switch {
		case e.Reason == raft.ReasonTransferring:
			k += ".transferring"
		case e.Peer == raft.None:
			k += ".no-leader"
		}
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer)
	case raft.EvTransferStarted:
		if e.Index == e.Last {
			k += ".ready"
		}
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Num("match", e.Index).Num("last", e.Last)
	case raft.EvTimeoutNow:
		return l.Server("p", e.Peer).Num("index", e.Index)
	case raft.EvTransferAbandoned:
		return l.Server("p", e.Peer)
	case raft.EvBackedUp:
		switch {
		case e.Index == e.Last:
			k += ".stuck"
		case e.Reason == raft.ReasonHint, e.Reason == raft.ReasonNoHint:
			k += "." + e.Reason.String()
		}
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Num("from", e.Last).Num("to", e.Index)
	case raft.EvCommitHeld:
		return l.Num("index", e.Index).Num("entryTerm", e.EntryTerm).Num("term", e.Term)
	case raft.EvStaleMessage:
		return l.Server("p", e.Peer)
	case raft.EvMistake:
		return describeMistake(e)
	}
	return NewLine("event.unknown").Server("s", e.Node).Text("what", e.Kind.String())
}

// describeMistake names the implementation mistake a node just made, and
// what it did because of it.
func describeMistake(e *raft.Event) Line {
	k := "event.mistake." + e.Rule.String()
	l := NewLine(k).Server("s", e.Node).Server("p", e.Peer).Text("code", e.Rule.String())
	switch e.Rule {
	case raft.HeartbeatCheck:
		return l.Num("index", e.Index)
	case raft.TruncateOnConflict, raft.CommitMatched:
		return l.Sub("range", indexRange(e.Index, e.Last))
	case raft.CheckReplies:
		if e.Reason == raft.ReasonStaleTerm {
			return NewLine(k+".stale").Server("s", e.Node).Server("p", e.Peer).Text("code", e.Rule.String()).
				Num("asked", e.Asked).Num("term", e.Term)
		}
		return l.Num("match", e.Index-1).Num("last", e.Last)
	case raft.CompareLastTerm:
		return l.Num("candIndex", e.CandIndex).Num("candTerm", e.CandTerm).Num("ownIndex", e.OwnIndex).Num("ownTerm", e.OwnTerm)
	case raft.StrictTimerReset:
		return l
	case raft.KeepVote:
		return l.Server("voted", e.Voted).Num("term", e.Term)
	}
	return NewLine("event.mistake").Server("s", e.Node).Text("code", e.Rule.String()).Gloss("name", "rule."+e.Rule.String())
}

// describeVote tells a granted or denied vote: the sentence says whether
// it was a pre-vote, and the reason is a phrase of its own.
func describeVote(e *raft.Event) Line {
	k := "event." + e.Kind.String()
	// A pre-vote, a request of a stale term and one the vote lease ignores
	// are about the term the (pre-)candidate asks for.
	term := e.Term
	if e.Pre || e.Reason == raft.ReasonStaleTerm || e.Reason == raft.ReasonLeaderAlive {
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
		return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Num("term", term)
	}
	if e.Pre {
		k += ".pre"
	}
	var why Line
	switch e.Reason {
	case raft.ReasonAlreadyVoted:
		why = NewLine("deny.already-voted")
		if e.Voted == e.Node {
			why = NewLine("deny.already-voted.self")
		}
		why = why.Server("voted", e.Voted).Num("term", e.Term)
	case raft.ReasonLogOlderTerm:
		why = NewLine("deny.log-older-term").Server("s", e.Node).Server("p", e.Peer).
			Num("candTerm", e.CandTerm).Num("ownTerm", e.OwnTerm)
	case raft.ReasonLogShorter:
		why = NewLine("deny.log-shorter").Server("s", e.Node).Server("p", e.Peer).
			Num("candIndex", e.CandIndex).Num("ownIndex", e.OwnIndex)
	case raft.ReasonLeaderAlive:
		switch {
		case e.Pre:
			why = NewLine("deny.leader-alive")
		case e.Role == raft.Leader:
			why = NewLine("deny.vote-lease.leader").Num("term", e.Term).Num("asked", term)
		default:
			why = NewLine("deny.vote-lease").Num("term", e.Term).Num("asked", term)
		}
	case raft.ReasonStaleTerm:
		why = NewLine("deny.stale-term").Num("term", e.Term).Num("asked", term)
	default:
		why = NewLine("deny.other").Text("reason", e.Reason.String())
	}
	return NewLine(k).Server("s", e.Node).Server("p", e.Peer).Sub("why", why)
}

// indexRange names one index or a range of them.
func indexRange(lo, hi int) Line {
	if lo == hi {
		return NewLine("range.one").Num("index", lo)
	}
	return NewLine("range.many").Num("from", lo).Num("to", hi)
}

// entryList names entries: each with its command and term when there are
// at most three, else their range (the trace keeps only the first three
// and the last; see traced).
func entryList(es []raft.Entry) Line {
	switch {
	case len(es) == 0:
		return NewLine("entries.none")
	case len(es) > 3:
		return indexRange(es[0].Index, es[len(es)-1].Index)
	}
	items := make([]Line, len(es))
	for i, e := range es {
		if e.Noop {
			items[i] = NewLine("entry.empty").Num("index", e.Index).Num("term", e.Term)
		} else {
			items[i] = NewLine("entry.cmd").Num("index", e.Index).Text("cmd", strconv.Quote(e.Cmd)).Num("term", e.Term)
		}
	}
	if len(items) == 1 {
		return NewLine("entries.one").Sub("entry", items[0])
	}
	return NewLine("entries.many").List("entries", items)
}
