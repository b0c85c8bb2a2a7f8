package sim

import (
	"strconv"
	"strings"

	"raftplay/raft"
)

// Narrate tells what a trace record means in plain words, naming the rule
// of the paper that decided it. It is built only when asked for, so that
// running without a reader costs nothing.
func Narrate(r Record) string {
	switch r.Kind {
	case RecAction:
		return narrateAction(r.Action)
	case RecLost:
		return narrateLoss(r.Msg, r.Loss)
	case RecViolation:
		return "Safety violated: " + r.Violation.Kind.String() + ". " + r.Violation.Detail + "."
	case RecEngineError:
		return "The engine refused " + r.Msg.String() + ": " + r.Err + ". This is a bug in raftplay's Raft engine, not in the run."
	case RecEvent:
		return narrateEvent(&r.Event)
	}
	return ""
}

func narrateAction(a *Action) string {
	switch a.Kind {
	case ActTimeout:
		return "You made " + a.Server.String() + " time out: it starts an election now."
	case ActPropose:
		if a.Server == raft.None {
			return "A client sends " + strconv.Quote(a.Cmd) + " to the leader."
		}
		return "A client sends " + strconv.Quote(a.Cmd) + " to " + a.Server.String() + "."
	case ActCrash:
		if a.BeforeSend {
			return a.Server.String() + " will crash at its next step, after writing its state to disk but before sending anything."
		}
		return a.Server.String() + " crashes. It keeps currentTerm, votedFor and its log on disk; everything else is lost."
	case ActRestart:
		return a.Server.String() + " restarts from what it had on disk, as a follower with an empty state machine."
	case ActPartition:
		var sides []string
		for _, g := range a.Groups {
			var ids []string
			for _, id := range g {
				ids = append(ids, id.String())
			}
			sides = append(sides, strings.Join(ids, " "))
		}
		return "The network splits: " + strings.Join(sides, " | ") + "."
	case ActIsolate:
		return a.Server.String() + " is cut off from every other server."
	case ActLinkDown:
		return "Messages from " + a.From.String() + " to " + a.To.String() + " are now lost."
	case ActLinkUp:
		return "Messages from " + a.From.String() + " to " + a.To.String() + " get through again."
	case ActHeal:
		return "The network heals: every server can reach every other."
	case ActDrop:
		return "From now on the network loses " + pct(a.Rate) + " of messages."
	case ActDuplicate:
		return "From now on the network duplicates " + pct(a.Rate) + " of messages."
	case ActLatency:
		return "Messages now take " + rangeString(a.Min, a.Max) + " to arrive."
	case ActDropNext:
		return "The next message from " + a.From.String() + " to " + a.To.String() + " will be lost."
	case ActRule:
		if a.On {
			return "Rule " + a.Rule.String() + " switched on."
		}
		return "Rule " + a.Rule.String() + " switched off."
	case ActTimer:
		return a.Server.String() + "'s election timer is set to fire in " + itoa(a.Delay) + "ms."
	case ActDropMessage:
		return "You dropped a message in flight."
	}
	return a.Kind.String()
}

func pct(r float64) string {
	return strconv.FormatFloat(r*100, 'g', 3, 64) + "%"
}

func narrateLoss(m *raft.Message, why Loss) string {
	what := describeMsg(m)
	switch why {
	case LossCut:
		return what + " is lost: the network is cut between them."
	case LossRandom:
		return what + " is lost by the unreliable network."
	case LossDown:
		return what + " is lost: " + m.To.String() + " is crashed."
	case LossDropNext:
		return what + " is lost, as you asked."
	case LossByHand:
		return what + " was dropped by hand."
	case LossCrashed:
		return what + " was never sent: " + m.From.String() + " crashed first."
	}
	return what + " is lost."
}

func describeMsg(m *raft.Message) string {
	switch m.Type {
	case raft.MsgApp:
		if len(m.Entries) == 0 {
			return m.From.String() + "'s heartbeat to " + m.To.String()
		}
		return m.From.String() + "'s AppendEntries to " + m.To.String()
	case raft.MsgVote:
		return m.From.String() + "'s RequestVote to " + m.To.String()
	case raft.MsgPreVote:
		return m.From.String() + "'s PreVote to " + m.To.String()
	}
	return m.From.String() + "'s reply to " + m.To.String()
}

func narrateEvent(e *raft.Event) string {
	s, p := e.Node.String(), e.Peer.String()
	term := itoa(e.Term)
	switch e.Kind {
	case raft.EvTimeout:
		if e.Role == raft.Candidate {
			return s + "'s election timer fires again with no winner in term " + term + " (a split vote, or lost messages): it tries again (§5.2)."
		}
		return s + " heard nothing from a leader before its election timer fired (§5.2)."
	case raft.EvBecameFollower:
		switch e.Reason {
		case raft.ReasonRestart:
			return s + " starts as a follower in term " + term + "."
		case raft.ReasonHigherTerm:
			return s + " sees the newer term " + term + " and becomes a follower (§5.1)."
		case raft.ReasonLeaderSeen:
			return s + " hears from " + p + ", leader of its term " + term + ", and stops campaigning (§5.2)."
		case raft.ReasonTwoLeaders:
			return s + " is a leader of term " + term + " and hears from another leader of the same term, " + p + ": Election Safety is broken. It steps down."
		case raft.ReasonQuorumLost:
			return s + " has not heard from a majority for an election timeout and steps down (check-quorum)."
		}
		return s + " becomes a follower in term " + term + "."
	case raft.EvBecamePreCandidate:
		return s + " asks whether it could win term " + itoa(e.Term+1) + " before starting an election (prevote)."
	case raft.EvBecameCandidate:
		why := "its election timer fired"
		switch e.Reason {
		case raft.ReasonForced:
			why = "you told it to"
		case raft.ReasonPreVoteWon:
			why = "a majority said it could win"
		}
		return s + " becomes a candidate for term " + term + " (" + why + "), votes for itself and asks the others for their votes (§5.2)."
	case raft.EvBecameLeader:
		return s + " wins the election for term " + term + " with " + itoa(e.Votes) + " votes and becomes leader (§5.2)."
	case raft.EvVoteGranted:
		return narrateVote(e, true)
	case raft.EvVoteDenied:
		return narrateVote(e, false)
	case raft.EvVoteReceived:
		what := "vote"
		if e.Pre {
			what = "pre-vote"
		}
		return s + " counts " + p + "'s " + what + ": " + itoa(e.Votes) + " so far."
	case raft.EvAppended:
		if e.Role == raft.Leader {
			if len(e.Entries) == 1 && e.Entries[0].Noop {
				return s + " appends an empty entry of its new term at index " + itoa(e.Index) + " (leader-noop, §8)."
			}
			return s + " appends " + entryList(e.Entries) + " to its log."
		}
		return s + " appends " + entryList(e.Entries) + " from the leader."
	case raft.EvTruncated:
		if len(e.Entries) == 1 {
			msg := s + " deletes " + entryList(e.Entries) + ": it conflicts with the leader's log (§5.3)."
			if e.Committed {
				msg += " It had been committed, which a safe Raft never allows."
			}
			return msg
		}
		msg := s + " deletes " + entryList(e.Entries) + ": they conflict with the leader's log (§5.3)."
		if e.Committed {
			msg += " Some had been committed, which a safe Raft never allows."
		}
		return msg
	case raft.EvAppendRejected:
		idx := itoa(e.Index)
		switch e.Reason {
		case raft.ReasonMissingPrev:
			return s + " rejects " + p + "'s AppendEntries: it has no entry at index " + idx + " (its log ends at " + itoa(e.OwnIndex) + "; consistency check, §5.3)."
		case raft.ReasonPrevMismatch:
			return s + " rejects " + p + "'s AppendEntries: its entry at index " + idx + " is from term " + itoa(e.OwnTerm) +
				", not " + itoa(e.PrevTerm) + " (consistency check, §5.3)."
		}
		return s + " rejects " + p + "'s AppendEntries."
	case raft.EvCommitted:
		rng := indexRange(e.Index, e.Last)
		switch e.Reason {
		case raft.ReasonMajority:
			return s + " commits " + rng + ": stored on a majority, and of its current term (§5.3, §5.4.2)."
		case raft.ReasonMajorityAnyTerm:
			return s + " commits " + rng + " by counting replicas of an entry from an earlier term: with current-term-commit off, this is Figure 8's mistake."
		}
		verb := " is"
		if e.Last > e.Index {
			verb = " are"
		}
		return s + " learns from the leader that " + rng + verb + " committed."
	case raft.EvApplied:
		return s + " applies " + entryList(e.Entries) + " to its state machine."
	case raft.EvProposed:
		return s + " takes the command as entry " + itoa(e.Index) + " and sends it to the followers at once."
	case raft.EvProposalRejected:
		if e.Peer == raft.None {
			return s + " is not the leader and knows of none: the client must try elsewhere."
		}
		return s + " is not the leader; it tells the client to try " + p + "."
	case raft.EvBackedUp:
		msg := s + " moves " + p + "'s nextIndex back from " + itoa(e.Last) + " to " + itoa(e.Index)
		if e.Reason == raft.ReasonHint {
			return msg + ", skipping a whole conflicting term using the follower's hint (fast-backtrack)."
		}
		return msg + ", one entry at a time (§5.3)."
	case raft.EvCommitHeld:
		return s + " sees entry " + itoa(e.Index) + " (term " + itoa(e.EntryTerm) + ") on a majority but does not commit it: it is not from the current term " + term + " (§5.4.2)."
	case raft.EvStaleMessage:
		return s + " ignores a message from " + p + " of an older term (§5.1)."
	}
	return s + " " + e.Kind.String() + "."
}

func narrateVote(e *raft.Event, granted bool) string {
	s, p := e.Node.String(), e.Peer.String()
	what := "its vote"
	if e.Pre {
		what = "its pre-vote"
	}
	cand := "last log term " + itoa(e.CandTerm)
	own := itoa(e.OwnTerm)
	term := itoa(e.Term)
	if e.Pre || e.Reason == raft.ReasonStaleTerm {
		term = itoa(e.Asked) // the term the (pre-)candidate asks about
	}
	if granted {
		switch e.Reason {
		case raft.ReasonRuleOff:
			return s + " grants " + what + " to " + p + " for term " + term + " although " + p + "'s log is behind its own: election-restriction is off."
		case raft.ReasonSameCandidate:
			return s + " grants " + what + " to " + p + " again (it already chose " + p + " this term)."
		}
		return s + " grants " + what + " to " + p + " for term " + term + ": its log is at least as up-to-date (§5.4.1)."
	}
	base := s + " denies " + what + " to " + p + ": "
	switch e.Reason {
	case raft.ReasonAlreadyVoted:
		return base + "it already voted for " + e.Voted.String() + " in term " + itoa(e.Term) + " (one vote per term, §5.2)."
	case raft.ReasonLogOlderTerm:
		return base + p + "'s " + cand + " is older than " + s + "'s " + own + " (election restriction, §5.4.1)."
	case raft.ReasonLogShorter:
		return base + p + "'s log ends at index " + itoa(e.CandIndex) + ", before " + s + "'s " + itoa(e.OwnIndex) +
			", with the same last term (election restriction, §5.4.1)."
	case raft.ReasonLeaderAlive:
		return base + "it has heard from a leader recently (prevote)."
	case raft.ReasonStaleTerm:
		return base + "it is already in term " + itoa(e.Term) + ", so term " + term + " would not be a new term."
	}
	return base + e.Reason.String() + "."
}

func indexRange(lo, hi int) string {
	if lo == hi {
		return "entry " + itoa(lo)
	}
	return "entries " + itoa(lo) + "–" + itoa(hi)
}

func entryList(es []raft.Entry) string {
	if len(es) == 0 {
		return "nothing"
	}
	if len(es) > 3 {
		return indexRange(es[0].Index, es[len(es)-1].Index)
	}
	parts := make([]string, len(es))
	for i, e := range es {
		if e.Noop {
			parts[i] = itoa(e.Index) + " (empty, term " + itoa(e.Term) + ")"
		} else {
			parts[i] = itoa(e.Index) + " " + strconv.Quote(e.Cmd) + " (term " + itoa(e.Term) + ")"
		}
	}
	if len(parts) == 1 {
		return "entry " + parts[0]
	}
	return "entries " + strings.Join(parts, ", ")
}
