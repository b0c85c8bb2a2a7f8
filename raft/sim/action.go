package sim

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"raftplay/raft"
)

// ActionKind is a kind of learner (or fault-injector) action.
type ActionKind uint8

const (
	ActTimeout     ActionKind = iota // Server starts an election now
	ActPropose                       // Cmd to Server (None: to the leader)
	ActCrash                         // Server crashes (BeforeSend, AfterSend: at its next step; see Action)
	ActRestart                       // Server restarts from its durable state
	ActPartition                     // Groups replace any partition; unnamed servers stand alone
	ActIsolate                       // Server is cut from all others
	ActLinkDown                      // From->To messages are lost
	ActLinkUp                        // From->To messages flow again
	ActHeal                          // clear partitions, isolation and link cuts
	ActDrop                          // loss rate Rate from now on
	ActDuplicate                     // duplication rate Rate from now on
	ActLatency                       // latency Min-Max from now on
	ActDropNext                      // the next message delivered From->To is lost
	ActRule                          // Rule switched On or off
	ActTimer                         // Server's election timer fires in Delay ms
	ActDropMessage                   // the in-flight message with id MsgID is lost
	// The manual network (see manual.go).
	ActNetworkManual // nothing happens by itself from now on
	ActNetworkAuto   // time runs the cluster again
	ActHeartbeat     // leader Server's heartbeat timer fires now
	ActDeliver       // the message From->To of type Msg (the Nth oldest of them; 0: the only one) arrives now
	ActDropOne       // that message is lost
	ActDuplicateOne  // a copy of that message arrives now; it stays in flight
	// Partial connectivity and the timing requirement (see network.go).
	ActLinkDrop // the link From->To (with Both, both ways) loses messages at Rate, on top of the network's rate
	ActElection // the election timeout range is Min-Max from each server's next draw on
	// Leadership transfer.
	ActTransfer // leader Server hands leadership to To (dissertation §3.10)
	// The client workload (see client.go).
	ActClient // a client sends a request every Delay ms from now on (0: it stops)

	numActions
)

var actionNames = [numActions]string{
	"timeout", "propose", "crash", "restart", "partition", "isolate",
	"link-down", "link-up", "heal", "drop", "duplicate", "latency",
	"drop-next", "rule", "timer", "drop-message",
	"network-manual", "network-auto", "heartbeat", "deliver", "drop-one", "duplicate-one",
	"link-drop", "election",
	"transfer",
	"client",
}

func (k ActionKind) String() string {
	if k < numActions {
		return actionNames[k]
	}
	return "action(" + strconv.Itoa(int(k)) + ")"
}

// Action is one thing done to the cluster from outside.
type Action struct {
	Kind     ActionKind
	Server   raft.ID
	From, To raft.ID
	Groups   [][]raft.ID
	Cmd      string
	// BeforeSend: the crash waits for the server's next step, which
	// persists its state and then crashes before sending anything.
	// AfterSend: it waits for the next step too, which sends its messages
	// and then crashes; whether the step's state reached the disk first
	// is the rule persist-before-send's to say (on: it did; off: it did
	// not, and the crash loses it). At most one of the two.
	BeforeSend bool
	AfterSend  bool
	Rate       float64
	Min, Max   int
	Rule       raft.Rule
	On         bool
	Delay      int
	MsgID      uint64
	Msg        MsgKind // deliver, drop or duplicate one message: its type
	Nth        int     // and which of those of that type on the link (1: the oldest; 0: the only one)
	// Both: a link's cut, repair or loss rate (ActLinkDown, ActLinkUp,
	// ActLinkDrop) holds both ways, From->To and To->From.
	Both bool
}

// String describes a compactly for traces and messages, e.g. "crash S1
// before-send" or `propose "x"`. It reads like the scenario language but
// is not written to be parsed: the scenario package alone writes
// scenario text (player.CommandOf(a).String() gives a's line).
func (a Action) String() string {
	switch a.Kind {
	case ActTimeout:
		return "timeout " + a.Server.String()
	case ActPropose:
		s := "propose " + strconv.Quote(a.Cmd)
		if a.Server != raft.None {
			s += " to " + a.Server.String()
		}
		return s
	case ActCrash:
		switch {
		case a.BeforeSend:
			return "crash " + a.Server.String() + " before-send"
		case a.AfterSend:
			return "crash " + a.Server.String() + " after-send"
		}
		return "crash " + a.Server.String()
	case ActRestart:
		return "restart " + a.Server.String()
	case ActPartition:
		var b strings.Builder
		b.WriteString("partition")
		for i, g := range a.Groups {
			if i > 0 {
				b.WriteString(" |")
			}
			for _, id := range g {
				b.WriteByte(' ')
				b.WriteString(id.String())
			}
		}
		return b.String()
	case ActIsolate:
		return "isolate " + a.Server.String()
	case ActLinkDown:
		return "link " + a.link() + " down"
	case ActLinkUp:
		return "link " + a.link() + " up"
	case ActLinkDrop:
		return "link " + a.link() + " drop " + strconv.FormatFloat(a.Rate, 'g', -1, 64)
	case ActElection:
		return "election " + rangeString(a.Min, a.Max)
	case ActHeal:
		return "heal"
	case ActDrop:
		return "drop " + strconv.FormatFloat(a.Rate, 'g', -1, 64)
	case ActDuplicate:
		return "duplicate " + strconv.FormatFloat(a.Rate, 'g', -1, 64)
	case ActLatency:
		return "latency " + rangeString(a.Min, a.Max)
	case ActDropNext:
		return "drop next " + a.From.String() + "->" + a.To.String()
	case ActRule:
		if a.On {
			return "rule " + a.Rule.String() + " on"
		}
		return "rule " + a.Rule.String() + " off"
	case ActTimer:
		return "timer " + a.Server.String() + " " + strconv.Itoa(a.Delay) + "ms"
	case ActDropMessage:
		return "drop message " + strconv.FormatUint(a.MsgID, 10)
	case ActNetworkManual:
		return "network manual"
	case ActNetworkAuto:
		return "network auto"
	case ActHeartbeat:
		return "heartbeat " + a.Server.String()
	case ActTransfer:
		return "transfer " + a.Server.String() + " to " + a.To.String()
	case ActClient:
		if a.Delay == 0 {
			return "client off"
		}
		return "client every " + strconv.Itoa(a.Delay) + "ms"
	case ActDeliver, ActDropOne, ActDuplicateOne:
		s := "deliver "
		if a.Kind == ActDropOne {
			s = "drop "
		} else if a.Kind == ActDuplicateOne {
			s = "duplicate "
		}
		s += a.From.String() + "->" + a.To.String() + " " + a.Msg.String()
		if a.Nth > 0 {
			s += " " + strconv.Itoa(a.Nth)
		}
		return s
	}
	return a.Kind.String()
}

// link writes a link action's link: S1->S2, or S1<->S2 both ways.
func (a Action) link() string {
	if a.Both {
		return a.From.String() + "<->" + a.To.String()
	}
	return a.From.String() + "->" + a.To.String()
}

// record appends an action to the trace.
func (c *Cluster) record(a Action) {
	c.hash.int(-1000 - int(a.Kind))
	c.hash.int(int(a.Server)<<8 | int(a.From)<<4 | int(a.To))
	c.hash.str(a.Cmd)
	c.hash.int(int(math.Float64bits(a.Rate)>>1) ^ a.Min<<40 ^ a.Max<<20)
	c.hash.int(int(a.Rule)<<3 | b2i(a.AfterSend)<<2 | b2i(a.On)<<1 | b2i(a.BeforeSend))
	c.hash.int(a.Delay)
	c.hash.int(int(a.MsgID))
	if a.Msg != 0 || a.Nth != 0 {
		// Only for the manual network's actions, so that the hash of
		// every other run stays what it was.
		c.hash.int(int(a.Msg)<<32 | a.Nth)
	}
	if a.Both {
		c.hash.int(-3) // likewise only for a link both ways
	}
	for _, g := range a.Groups {
		c.hash.int(-2)
		for _, id := range g {
			c.hash.int(int(id))
		}
	}
	if !c.cfg.NoTrace {
		// A copy made here, not &a: that would move a to the heap on
		// every action, traced or not.
		kept := new(Action)
		*kept = a
		c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecAction, Action: kept})
	}
}

func (c *Cluster) checkServer(id raft.ID) error {
	if id < 1 || int(id) > c.cfg.Servers {
		return errors.New("no server " + strconv.Itoa(int(id)) + " (servers are S1.." + raft.ID(c.cfg.Servers).String() + ")")
	}
	return nil
}

func (c *Cluster) upServer(id raft.ID) (*server, error) {
	if err := c.checkServer(id); err != nil {
		return nil, err
	}
	s := &c.servers[id]
	if s.node == nil {
		return nil, errors.New(id.String() + " is crashed")
	}
	// Catch the node up to now, but leave a timer due at exactly now to
	// fire as its own event, after this action. In the manual network
	// the servers' clocks stand still.
	if !c.manual {
		s.node.Sync(c.now - s.clock())
		c.collect(s)
	}
	return s, nil
}

// syncAll catches every up server's clock up to now (upServer does it
// for one; in the manual network the clocks stand still), before an
// action that changes every server's deadlines: a rule, the election
// timeout range. A server's clock lags until its own next event; a
// deadline measured from it, such as check-quorum's, could fall before
// now, and the next event with it.
func (c *Cluster) syncAll() {
	for _, id := range c.peers {
		if c.servers[id].node != nil {
			_, _ = c.upServer(id)
		}
	}
}

// apply carries out an action now. It changes nothing when it returns an
// error.
func (c *Cluster) apply(a Action) error {
	if err := c.validate(a); err != nil {
		return err
	}
	if c.manual && a.Kind.IsStep() {
		c.stepAt = c.now
	}
	switch a.Kind {
	case ActTimeout:
		s, _ := c.upServer(a.Server)
		c.record(a)
		if c.manual {
			// The election timer runs out, as it would have by itself.
			s.node.FireElectionTimer()
		} else {
			s.node.Campaign()
		}
		c.collect(s)
	case ActPropose:
		target := a.Server
		if target == raft.None {
			target = c.Leader()
		}
		s, _ := c.upServer(target)
		c.record(a)
		c.propose(s, a.Cmd)
	case ActCrash:
		s := &c.servers[a.Server]
		c.record(a)
		switch {
		case a.BeforeSend:
			s.armed = armBeforeSend
		case a.AfterSend:
			s.armed = armAfterSend
		default:
			c.crash(s)
		}
	case ActRestart:
		s := &c.servers[a.Server]
		c.record(a)
		s.incarnation++
		if err := c.boot(s); err != nil {
			return err // the durable state was checked when written
		}
	case ActPartition:
		c.record(a)
		c.links.partition(c.cfg.Servers, a.Groups)
	case ActIsolate:
		c.record(a)
		c.links.isolated[a.Server] = true
	case ActLinkDown, ActLinkUp:
		c.record(a)
		c.links.down[a.From][a.To] = a.Kind == ActLinkDown
		if a.Both {
			c.links.down[a.To][a.From] = a.Kind == ActLinkDown
		}
	case ActLinkDrop:
		c.record(a)
		c.links.loss[a.From][a.To] = a.Rate
		if a.Both {
			c.links.loss[a.To][a.From] = a.Rate
		}
	case ActElection:
		c.record(a)
		c.elecMin, c.elecMax = a.Min, a.Max
		c.syncAll()
		for _, id := range c.peers {
			if n := c.servers[id].node; n != nil {
				_ = n.SetElectionTimeout(a.Min, a.Max) // validated
			}
		}
	case ActHeal:
		c.record(a)
		c.links.heal()
	case ActDrop:
		c.record(a)
		c.drop = a.Rate
	case ActDuplicate:
		c.record(a)
		c.dup = a.Rate
	case ActLatency:
		c.record(a)
		c.latMin, c.latMax = a.Min, a.Max
	case ActDropNext:
		c.record(a)
		c.links.dropNext[a.From][a.To]++
	case ActRule:
		c.record(a)
		c.rules = c.rules.With(a.Rule, a.On)
		c.syncAll()
		for _, id := range c.peers {
			if n := c.servers[id].node; n != nil {
				n.SetRules(c.rules)
			}
		}
	case ActTimer:
		s, _ := c.upServer(a.Server)
		c.record(a)
		s.node.SetElectionTimer(a.Delay)
		c.collect(s)
	case ActDropMessage:
		f, _ := c.inflight.remove(a.MsgID)
		c.record(a)
		c.lost(f.Msg, LossByHand)
	case ActNetworkManual:
		c.record(a)
		c.goManual()
	case ActNetworkAuto:
		c.record(a)
		c.goAuto()
	case ActHeartbeat:
		s, _ := c.upServer(a.Server)
		c.record(a)
		s.node.FireHeartbeat()
		c.collect(s)
	case ActDeliver, ActDropOne:
		id, _ := c.pick(a)
		f, _ := c.inflight.remove(id)
		c.record(a)
		if a.Kind == ActDropOne {
			c.lost(f.Msg, LossByHand)
		} else {
			c.deliver(f)
		}
	case ActDuplicateOne:
		id, _ := c.pick(a)
		f := *c.inflight.at(c.inflight.find(id))
		c.record(a)
		c.deliver(f)
	case ActTransfer:
		s, _ := c.upServer(a.Server)
		c.record(a)
		_ = s.node.TransferLeadership(a.To) // validate refused what the engine would
		c.collect(s)
	case ActClient:
		c.record(a)
		c.setClient(a.Delay)
	}
	return nil
}

// validate says what is wrong with a, if anything, without changing state.
func (c *Cluster) validate(a Action) error {
	needUp := func(id raft.ID) error {
		if err := c.checkServer(id); err != nil {
			return err
		}
		if c.servers[id].node == nil {
			return errors.New(id.String() + " is crashed")
		}
		return nil
	}
	link := func() error {
		if err := c.checkServer(a.From); err != nil {
			return err
		}
		if err := c.checkServer(a.To); err != nil {
			return err
		}
		if a.From == a.To {
			return errors.New("a link joins two different servers")
		}
		return nil
	}
	rate := func() error {
		if !(a.Rate >= 0 && a.Rate <= 1) {
			return errors.New("a rate is between 0 and 1, not " + strconv.FormatFloat(a.Rate, 'g', -1, 64))
		}
		return nil
	}
	if c.manual && a.Kind.IsStep() && c.NextStep() > maxTime {
		return errors.New("virtual time is over: no step fits before " + strconv.Itoa(maxTime) + "ms")
	}
	switch a.Kind {
	case ActTimeout, ActTimer:
		if a.Kind == ActTimer && (a.Delay < 0 || a.Delay > maxDuration) {
			return errors.New("a timer is between 0ms and 1h")
		}
		if err := needUp(a.Server); err != nil || !c.manual {
			return err
		}
		if a.Kind == ActTimer {
			return errors.New("the network is manual: timers do not run (set one after network auto)")
		}
		if c.servers[a.Server].node.Role() == raft.Leader {
			return errors.New(a.Server.String() + " is a leader: a leader has no election timer (heartbeat " + a.Server.String() + " fires its heartbeat)")
		}
	case ActPropose:
		if len(a.Cmd) > 1000 {
			return errors.New("a command is at most 1000 bytes")
		}
		if a.Server == raft.None {
			if c.Leader() == raft.None {
				return errors.New("no leader to propose to (wait for an election, or name a server: propose x to S1)")
			}
			return nil
		}
		return needUp(a.Server)
	case ActCrash:
		if a.BeforeSend && a.AfterSend {
			return errors.New("a crash is before-send or after-send, not both")
		}
		return needUp(a.Server)
	case ActRestart:
		if err := c.checkServer(a.Server); err != nil {
			return err
		}
		if c.servers[a.Server].node != nil {
			return errors.New(a.Server.String() + " is not crashed")
		}
	case ActIsolate:
		return c.checkServer(a.Server)
	case ActPartition:
		var seen [raft.MaxServers + 1]bool
		for _, g := range a.Groups {
			for _, id := range g {
				if err := c.checkServer(id); err != nil {
					return err
				}
				if seen[id] {
					return errors.New(id.String() + " is in two groups of the partition")
				}
				seen[id] = true
			}
		}
	case ActLinkDown, ActLinkUp, ActDropNext:
		if a.Both && a.Kind == ActDropNext {
			return errors.New("drop next takes one direction of a link")
		}
		return link()
	case ActLinkDrop:
		if err := link(); err != nil {
			return err
		}
		return rate()
	case ActElection:
		if a.Min < 1 || a.Max < a.Min || a.Max > maxDuration {
			return errors.New("election timeout range " + rangeString(a.Min, a.Max) + " must have 1ms <= min <= max <= 1h")
		}
	case ActHeal:
	case ActDrop, ActDuplicate:
		return rate()
	case ActLatency:
		if a.Min < 0 || a.Max < a.Min || a.Max > maxDuration {
			return errors.New("latency range " + rangeString(a.Min, a.Max) + " must have 0 <= min <= max <= 1h")
		}
	case ActRule:
		if a.Rule >= raft.Rule(len(raft.AllRules())) {
			return errors.New("unknown rule")
		}
	case ActDropMessage:
		if c.inflight.find(a.MsgID) >= 0 {
			return nil
		}
		return errors.New("no message " + strconv.FormatUint(a.MsgID, 10) + " in flight")
	case ActNetworkManual:
		if c.manual {
			return errors.New("the network is manual already")
		}
	case ActNetworkAuto:
		if !c.manual {
			return errors.New("the network is not manual (network manual makes it so)")
		}
	case ActHeartbeat:
		if err := needUp(a.Server); err != nil {
			return err
		}
		if c.servers[a.Server].node.Role() != raft.Leader {
			return errors.New(a.Server.String() + " is not a leader")
		}
	case ActDeliver, ActDropOne, ActDuplicateOne:
		return c.manualLink(a)
	case ActTransfer:
		return c.checkTransfer(a)
	case ActClient:
		if a.Delay != 0 && (a.Delay < MinClientEvery || a.Delay > MaxClientEvery) {
			return errors.New("a client sends a request every 10ms to 1h (0: off)")
		}
	default:
		return errors.New("unknown action " + a.Kind.String())
	}
	return nil
}

// checkTransfer says why leadership cannot pass from a.Server to a.To now,
// if it cannot: a transfer is the leader's to make (the engine says the
// rest: to another server of the cluster, one at a time), to a server
// that is up.
func (c *Cluster) checkTransfer(a Action) error {
	for _, id := range [...]raft.ID{a.Server, a.To} {
		if err := c.checkServer(id); err != nil {
			return err
		}
	}
	from := c.servers[a.Server].node
	switch {
	case from == nil:
		return errors.New(a.Server.String() + " is crashed")
	case from.Role() != raft.Leader:
		leads := ""
		if l := c.Leader(); l != raft.None {
			leads = " (" + l.String() + " is)"
		}
		return errors.New(a.Server.String() + " is not the leader" + leads + ": only a leader hands leadership over")
	case a.To != a.Server && c.servers[a.To].node == nil:
		return errors.New(a.To.String() + " is crashed: leadership goes to a server that is up")
	}
	return from.CheckTransfer(a.To)
}
