package sim

import (
	"errors"
	"strconv"
	"strings"

	"raftplay/raft"
)

// This file holds the manual network: a mode in which nothing happens by
// itself. No message is delivered and no timer fires until an action says
// so (deliver, drop or duplicate one message in flight; a server's
// election timer or a leader's heartbeat fires), so that a run can be
// told one step at a time: a lesson's step-by-step story, or a
// counterexample found by an exhaustive search, replayed exactly.
//
// While the network is manual the servers' clocks stand still: no time
// passes for their timers or for pre-vote's "heard from a leader
// recently" (a leader heard from stays recent, one not heard from for an
// election timeout before stays stale), check-quorum never deposes a
// leader, a leadership transfer is never given up for taking too long
// and the client workload sends nothing. The cluster's clock moves
// ManualStep per step, so that the run still has a timeline. Leaving the
// mode restarts every timer afresh (the client's too: its next request
// goes a whole interval later) and gives each message in flight a new
// delivery time.

// ManualStep is the virtual time a step of the manual network takes: a
// step happens ManualStep after the step before it (or after the network
// became manual), or at once if more time than that has passed since.
const ManualStep = 10

// MsgKind is a message's type as the scenario language names it: the
// type of the RPC, with AppendEntries told apart by whether it carries
// entries (append) or none (heartbeat).
type MsgKind uint8

const (
	KindVote MsgKind = iota + 1
	KindVoteReply
	KindPreVote
	KindPreVoteReply
	KindAppend
	KindHeartbeat
	KindAppendReply
	KindTimeoutNow

	numMsgKinds
)

var msgKindNames = [numMsgKinds]string{
	"", "vote", "vote-reply", "prevote", "prevote-reply", "append", "heartbeat", "append-reply", "timeout-now",
}

func (k MsgKind) String() string {
	if k > 0 && k < numMsgKinds {
		return msgKindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MsgKindNames lists the message types' names, in a fixed order.
func MsgKindNames() []string { return append([]string(nil), msgKindNames[1:]...) }

// ParseMsgKind reads a message type's name, such as "vote-reply".
func ParseMsgKind(name string) (MsgKind, bool) {
	for k := KindVote; k < numMsgKinds; k++ {
		if msgKindNames[k] == name {
			return k, true
		}
	}
	return 0, false
}

// KindOf returns m's type as the scenario language names it (0 for a type
// it does not know).
func KindOf(m *raft.Message) MsgKind {
	switch m.Type {
	case raft.MsgVote:
		return KindVote
	case raft.MsgVoteResp:
		return KindVoteReply
	case raft.MsgPreVote:
		return KindPreVote
	case raft.MsgPreVoteResp:
		return KindPreVoteReply
	case raft.MsgApp:
		if m.IsHeartbeat() {
			return KindHeartbeat
		}
		return KindAppend
	case raft.MsgAppResp:
		return KindAppendReply
	case raft.MsgTimeoutNow:
		return KindTimeoutNow
	}
	return 0
}

// IsStep reports whether an action of kind k is one step of the manual
// network: it makes a server or a message do something (so it takes
// ManualStep), where the others set the network or the rules up.
func (k ActionKind) IsStep() bool {
	switch k {
	case ActTimeout, ActHeartbeat, ActPropose, ActCrash, ActRestart,
		ActDeliver, ActDropOne, ActDuplicateOne, ActDropMessage, ActTransfer:
		return true
	}
	return false
}

// Manual reports whether the network is manual.
func (c *Cluster) Manual() bool { return c.manual }

// NextStep returns the virtual time at which a step of the manual network
// taken now happens: ManualStep after the last step (or the switch to the
// manual network), or now if that has passed.
func (c *Cluster) NextStep() int { return max(c.now, c.stepAt+ManualStep) }

// goManual stops the network and the servers' timers. Each server is
// caught up to now first, so that its clock stands still at the moment
// the network became manual.
func (c *Cluster) goManual() {
	for _, id := range c.peers {
		if s := &c.servers[id]; s.node != nil {
			s.node.Sync(c.now - s.clock())
			c.collect(s)
		}
	}
	c.manual = true
	c.stepAt = c.now
}

// goAuto lets time run the cluster again. A server's clock resumes where
// it stood (time in the manual network did not pass for it) and its
// timers start afresh; each message in flight arrives after a latency
// drawn from now, as if sent now.
func (c *Cluster) goAuto() {
	c.manual = false
	for _, id := range c.peers {
		if s := &c.servers[id]; s.node != nil {
			s.startedAt = c.now - s.node.Now()
			s.node.RestartTimers()
		}
	}
	c.inflight.retime(func(f *flight) int { return c.now + c.latency(&f.Msg, saltLatency) })
	if c.client.every > 0 {
		c.setClient(c.client.every) // its next request a whole interval from now
	}
}

// pick finds the message in flight that a deliver, drop or duplicate
// action names: the one from a.From to a.To of type a.Msg, or, when
// several are, the a.Nth oldest of them (in the order sent). It says what
// is wrong when none is, or when the action must say which.
func (c *Cluster) pick(a Action) (uint64, error) {
	var match []uint64 // oldest first
	var onLink [numMsgKinds]int
	for i := range c.inflight.size() {
		f := c.inflight.at(i)
		if f.Msg.From != a.From || f.Msg.To != a.To {
			continue
		}
		k := KindOf(&f.Msg)
		onLink[k]++
		if k != a.Msg {
			continue
		}
		// Insertion, keeping send order: the heap holds them in its own.
		j := len(match)
		match = append(match, f.ID)
		for j > 0 && match[j-1] > f.ID {
			match[j], match[j-1] = match[j-1], match[j]
			j--
		}
	}
	link := " in flight from " + a.From.String() + " to " + a.To.String()
	switch {
	case len(match) == 0:
		var have []string
		for k := KindVote; k < numMsgKinds; k++ {
			if onLink[k] > 0 {
				have = append(have, strconv.Itoa(onLink[k])+" "+k.String())
			}
		}
		if len(have) == 0 {
			return 0, errors.New("no " + a.Msg.String() + link + " (nothing is" + link + ")")
		}
		return 0, errors.New("no " + a.Msg.String() + link + " (" + strings.Join(have, ", ") + ")")
	case a.Nth == 0 && len(match) > 1:
		first, last := a, a
		first.Nth, last.Nth = 1, len(match)
		return 0, errors.New(strconv.Itoa(len(match)) + " " + a.Msg.String() + " messages are" + link +
			": say which by its place in the order sent, from " + first.String() + " (the oldest) to " + last.String())
	case a.Nth > len(match):
		n := "only 1 " + a.Msg.String() + " is"
		if len(match) > 1 {
			n = "only " + strconv.Itoa(len(match)) + " " + a.Msg.String() + " messages are"
		}
		return 0, errors.New(n + link + ", so there is no number " + strconv.Itoa(a.Nth))
	}
	return match[max(a.Nth, 1)-1], nil
}

// manualLink checks a deliver, drop or duplicate action before pick.
func (c *Cluster) manualLink(a Action) error {
	if !c.manual {
		return errors.New("the network is not manual: it delivers messages by itself (write network manual first)")
	}
	for _, id := range [...]raft.ID{a.From, a.To} {
		if err := c.checkServer(id); err != nil {
			return err
		}
	}
	if a.From == a.To {
		return errors.New("a link joins two different servers")
	}
	if a.Msg == 0 || a.Msg >= numMsgKinds {
		return errors.New("unknown message type (types: " + strings.Join(MsgKindNames(), ", ") + ")")
	}
	if a.Nth < 0 {
		return errors.New("a message's place in the order sent counts from 1")
	}
	_, err := c.pick(a)
	return err
}
