package sim

import (
	"errors"
	"math"
	"math/rand/v2"
	"strconv"

	"raftplay/raft"
)

// server is one slot of the cluster: a running node, or the durable state a
// crashed one left behind.
type server struct {
	id          raft.ID
	node        *raft.Node // nil while crashed
	hs          raft.HardState
	log         raft.Log // durable log: a read-only view of the node's, taken at each write
	startedAt   int      // sim time at which node's clock read 0
	incarnation int
	// The first appliedN entries of applied are what this incarnation's
	// state machine has applied, in order. Normally applied is a view of
	// the node's log, not a copy, so that a restart, which applies the
	// whole log again, costs nothing per entry. Only when a safety rule is
	// off and the node removes entries it had applied does applied become
	// a list of its own (detached).
	applied   raft.Log
	appliedN  int
	detached  bool
	crashNext bool // crash at the next step, after persisting
}

// now returns the node's clock in sim time.
func (s *server) clock() int { return s.startedAt + s.node.Now() }

// Cluster is a simulated Raft cluster.
type Cluster struct {
	cfg     Config
	peers   []raft.ID
	rules   raft.Rules
	now     int
	events  int // events processed so far
	servers [raft.MaxServers + 1]server

	inflight queue
	lastID   uint64
	links    links
	drop     float64
	dup      float64
	latMin   int
	latMax   int

	mon   monitor
	hash  hasher
	trace traceLog

	hist history
}

// New builds a cluster at virtual time 0: every server a follower of term 0
// with an empty log and a freshly drawn election timer.
func New(cfg Config) (*Cluster, error) {
	if cfg.Rules == 0 && cfg.ElectionMin == 0 {
		return nil, errors.New("sim: config has no timings; start from DefaultConfig()")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Cluster{
		cfg:    cfg,
		rules:  cfg.Rules,
		drop:   cfg.Drop,
		dup:    cfg.Duplicate,
		latMin: cfg.LatencyMin,
		latMax: cfg.LatencyMax,
		hash:   fnvOffset,
	}
	for id := 1; id <= cfg.Servers; id++ {
		c.peers = append(c.peers, raft.ID(id))
	}
	c.mon.init(cfg.Servers)
	for _, id := range c.peers {
		s := &c.servers[id]
		s.id = id
		if err := c.boot(s); err != nil {
			return nil, err
		}
	}
	c.hist.init(c)
	return c, nil
}

// boot starts a node on s from its durable state.
func (c *Cluster) boot(s *server) error {
	// Each incarnation draws from its own stream, seeded from the run's
	// seed, the server and the incarnation, so that a restart never shifts
	// another server's randomness.
	src := rand.NewPCG(c.cfg.Seed, uint64(s.id)<<32|uint64(s.incarnation))
	n, err := raft.Restart(raft.Config{
		ID:          s.id,
		Peers:       c.peers,
		ElectionMin: c.cfg.ElectionMin,
		ElectionMax: c.cfg.ElectionMax,
		Heartbeat:   c.cfg.Heartbeat,
		Rules:       c.rules,
		Rand:        src,
	}, s.hs, s.log)
	if err != nil {
		return err
	}
	s.node = n
	s.startedAt = c.now
	s.applied, s.appliedN, s.detached = raft.Log{}, 0, false
	c.mon.restarted(s.id)
	c.collect(s)
	return nil
}

// Config returns the configuration the cluster was built with.
func (c *Cluster) Config() Config { return c.cfg }

// Now returns the virtual time in ms.
func (c *Cluster) Now() int { return c.now }

// Events returns the number of events processed so far.
func (c *Cluster) Events() int { return c.events }

// Rules returns the rules in force now.
func (c *Cluster) Rules() raft.Rules { return c.rules }

// Hash summarizes everything that has happened so far.
func (c *Cluster) Hash() uint64 { return uint64(c.hash) }

// Trace returns the records from index i on (perhaps shared with the
// cluster: do not modify them).
func (c *Cluster) Trace(i int) []Record { return c.trace.slice(i, c.trace.n) }

// TraceRange returns records i up to j, at most (perhaps shared with the
// cluster: do not modify them). Unlike Trace, it copies no more than it
// returns, however long the trace.
func (c *Cluster) TraceRange(i, j int) []Record { return c.trace.slice(i, j) }

// TraceLen returns the number of trace records.
func (c *Cluster) TraceLen() int { return c.trace.n }

// next finds the next event: the earliest timer of an up server or
// message delivery. At equal times timers come first (lowest id first),
// then messages in send order.
func (c *Cluster) next() (at int, timer raft.ID, ok bool) {
	at = math.MaxInt
	for _, id := range c.peers {
		s := &c.servers[id]
		if s.node == nil {
			continue
		}
		if d := s.clock() + s.node.UntilTimer(); d < at {
			at, timer = d, id
		}
	}
	if c.inflight.size() > 0 && c.inflight.first().At < at {
		return c.inflight.first().At, raft.None, true
	}
	return at, timer, timer != raft.None
}

// NextEventTime returns when the next event will happen, if any will.
func (c *Cluster) NextEventTime() (int, bool) {
	at, _, ok := c.next()
	return at, ok
}

// process handles the next event.
func (c *Cluster) process() {
	at, timer, _ := c.next()
	c.hist.maybeCheckpoint(c)
	c.events++
	c.now = at
	if timer != raft.None {
		s := &c.servers[timer]
		c.hash.int(-int(timer))
		s.node.Advance(c.now - s.clock()) // the timer fires
		c.collect(s)
		return
	}
	c.deliver(c.inflight.pop())
}

func (c *Cluster) deliver(f flight) {
	m := &f.Msg
	c.hash.msg(m)
	to := &c.servers[m.To]
	var loss Loss
	switch {
	case c.links.doomed(&f):
		loss = LossCut
	case to.node == nil:
		loss = LossDown
	case c.links.dropNext[m.From][m.To] > 0:
		c.links.dropNext[m.From][m.To]--
		loss = LossDropNext
	case c.drop > 0 && c.chance(m, c.now, saltLoss) < c.drop:
		loss = LossRandom
	}
	if loss != 0 {
		c.lost(f.Msg, loss)
		return
	}
	to.node.Advance(c.now - to.clock())
	if err := to.node.Step(*m); err != nil {
		// The simulator only carries messages nodes made; this cannot
		// happen unless the engine is broken, so make it loud in the trace.
		c.lost(f.Msg, LossByHand)
		return
	}
	c.collect(to)
}

func (c *Cluster) lost(m raft.Message, why Loss) {
	c.hash.int(-100 - int(why))
	if !c.cfg.NoTrace {
		c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecLost, Msg: &m, Loss: why})
	}
}

// collect takes a node's Ready: persist, observe, then send (or crash
// before sending, if a before-send crash is armed).
func (c *Cluster) collect(s *server) {
	if !s.node.HasReady() {
		return
	}
	rd := s.node.Ready()
	if rd.HardStateChanged {
		c.mon.termChanged(c, s.id, s.hs.Term, rd.HardState.Term)
		s.hs = rd.HardState
	}
	if rd.TruncateTo >= 0 {
		s.log = s.node.LogView()
	}
	appliedBefore, appliedTo, removesApplied := s.appliedN, s.appliedN, false
	for i := range rd.Events {
		ev := &rd.Events[i]
		c.hash.event(ev)
		if !c.cfg.NoTrace {
			c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecEvent, Event: traced(ev)})
		}
		c.mon.observe(c, ev)
		switch ev.Kind {
		case raft.EvApplied:
			appliedTo = ev.Last
		case raft.EvTruncated:
			removesApplied = removesApplied || ev.Index <= appliedTo
		}
	}
	if removesApplied && !s.detached {
		// The node removed entries it had applied (a safety rule is off):
		// from now on the state machine keeps a list of its own. The view
		// from before this step still shows what was applied.
		s.applied = s.applied.Copy()
		s.applied.Truncate(appliedBefore)
		s.detached = true
	}
	if len(rd.CommittedEntries) > 0 {
		if s.detached {
			s.applied.Append(rd.CommittedEntries...)
			s.appliedN = s.applied.Len()
		} else {
			s.applied, s.appliedN = s.node.LogView(), s.node.Applied()
		}
	}
	if s.crashNext {
		for _, m := range rd.Messages {
			c.lost(m, LossCrashed)
		}
		c.crash(s)
		return
	}
	for _, m := range rd.Messages {
		c.send(m)
	}
}

func (c *Cluster) send(m raft.Message) {
	c.enqueue(m, saltLatency)
	if c.dup > 0 && c.chance(&m, c.now, saltDuplicate) < c.dup {
		c.enqueue(m, saltCopy)
	}
}

func (c *Cluster) enqueue(m raft.Message, salt uint64) {
	lat := c.latMin
	if c.latMax > c.latMin {
		lat += int(c.netRand(&m, c.now, salt) % uint64(c.latMax-c.latMin+1))
	}
	c.lastID++
	c.inflight.push(flight{ID: c.lastID, SentAt: c.now, At: c.now + lat, Cut: !c.links.connected(m.From, m.To), Msg: m})
}

// The network's random choices (latency, loss, duplication) are a hash of
// the run's seed, the message and the moment it was sent, not draws from
// one stream: so a message's fate does not depend on how many other
// messages went before it. Removing an unrelated action from a schedule
// then leaves the rest of the run alone, which is what lets the sweep's
// shrinker cut a failing run down to the actions that matter.
const (
	saltLatency uint64 = iota + 1
	saltCopy
	saltDuplicate
	saltLoss
)

func (c *Cluster) netRand(m *raft.Message, sentAt int, salt uint64) uint64 {
	h := c.cfg.Seed ^ salt<<56
	for _, v := range [...]uint64{
		uint64(sentAt), uint64(m.Type)<<16 | uint64(m.From)<<8 | uint64(m.To),
		uint64(m.Term), uint64(m.PrevIndex)<<32 | uint64(m.LastIndex), uint64(len(m.Entries))<<32 | uint64(m.Match),
		uint64(m.Commit)<<1 | uint64(b2i(m.Reject)),
	} {
		h = splitmix(h ^ v)
	}
	return h
}

// chance returns a number in [0, 1) for a random choice about m.
func (c *Cluster) chance(m *raft.Message, sentAt int, salt uint64) float64 {
	return float64(c.netRand(m, sentAt, salt)>>11) / (1 << 53)
}

// splitmix is the SplitMix64 finalizer: a cheap, well-mixed hash step.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (c *Cluster) crash(s *server) {
	s.node = nil
	s.applied, s.appliedN, s.detached = raft.Log{}, 0, false
	s.crashNext = false
}

// record appends an action to the trace.
func (c *Cluster) record(a Action) {
	c.hash.int(-1000 - int(a.Kind))
	c.hash.int(int(a.Server)<<8 | int(a.From)<<4 | int(a.To))
	c.hash.str(a.Cmd)
	c.hash.int(int(math.Float64bits(a.Rate)>>1) ^ a.Min<<40 ^ a.Max<<20)
	c.hash.int(int(a.Rule)<<3 | b2i(a.On)<<1 | b2i(a.BeforeSend))
	c.hash.int(a.Delay)
	c.hash.int(int(a.MsgID))
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
	// fire as its own event, after this action.
	s.node.Sync(c.now - s.clock())
	c.collect(s)
	return s, nil
}

// apply carries out an action now. It changes nothing when it returns an
// error.
func (c *Cluster) apply(a Action) error {
	if err := c.validate(a); err != nil {
		return err
	}
	switch a.Kind {
	case ActTimeout:
		s, _ := c.upServer(a.Server)
		c.record(a)
		s.node.Campaign()
		c.collect(s)
	case ActPropose:
		target := a.Server
		if target == raft.None {
			target = c.Leader()
		}
		s, _ := c.upServer(target)
		c.record(a)
		s.node.Propose(a.Cmd) // a refusal is in the trace
		c.collect(s)
	case ActCrash:
		s := &c.servers[a.Server]
		c.record(a)
		if a.BeforeSend {
			s.crashNext = true
		} else {
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
	switch a.Kind {
	case ActTimeout, ActTimer:
		if a.Kind == ActTimer && (a.Delay < 0 || a.Delay > maxDuration) {
			return errors.New("a timer is between 0ms and 1h")
		}
		return needUp(a.Server)
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
		return link()
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
	default:
		return errors.New("unknown action " + a.Kind.String())
	}
	return nil
}

// Leader returns the leader in the sense of the scenario language: an up
// server that is leader while no up server has a higher term (the lowest
// id if, with a safety rule off, there are two).
func (c *Cluster) Leader() raft.ID {
	top := 0
	for _, id := range c.peers {
		if n := c.servers[id].node; n != nil {
			top = max(top, n.Term())
		}
	}
	for _, id := range c.peers {
		if n := c.servers[id].node; n != nil && n.Role() == raft.Leader && n.Term() == top {
			return id
		}
	}
	return raft.None
}

// itoa is strconv.Itoa, kept out of line: the narration calls it from
// many places, and inlining it there made the WebAssembly build larger.
//
//go:noinline
func itoa(i int) string { return strconv.Itoa(i) }
