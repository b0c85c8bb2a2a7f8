package sim

import (
	"errors"
	"math"
	"math/rand/v2"

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
	applied  raft.Log
	appliedN int
	detached bool
	armed    crashArm // a crash waiting for the next step
}

// crashArm is a crash that waits for a server's next step (one that
// produces a Ready), and where in that step it strikes.
type crashArm uint8

const (
	armNone       crashArm = iota
	armBeforeSend          // after persisting, before sending: the step's messages are lost
	armAfterSend           // after sending: with persist-before-send off, before persisting
)

// now returns the node's clock in sim time.
func (s *server) clock() int { return s.startedAt + s.node.Now() }

// Cluster is a simulated Raft cluster.
type Cluster struct {
	cfg    Config
	peers  []raft.ID
	rules  raft.Rules
	now    int
	events int // events processed so far
	// engineErrors counts messages the engine refused (see engineError).
	engineErrors int
	servers      [raft.MaxServers + 1]server

	inflight queue
	lastID   uint64
	links    links
	drop     float64
	dup      float64
	latMin   int
	latMax   int
	// elecMin and elecMax are the election timeout range in force: the
	// configuration's until an election action changes it. A server
	// (re)started later starts with it.
	elecMin, elecMax int
	// manual: the network is manual (see manual.go); stepAt is when its
	// last step happened, or when it became manual.
	manual bool
	stepAt int
	// client is the client workload (client.go).
	client client

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
		cfg:     cfg,
		rules:   cfg.Rules,
		drop:    cfg.Drop,
		dup:     cfg.Duplicate,
		latMin:  cfg.LatencyMin,
		latMax:  cfg.LatencyMax,
		hash:    fnvOffset,
		elecMin: cfg.ElectionMin,
		elecMax: cfg.ElectionMax,
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
		ElectionMin: c.elecMin,
		ElectionMax: c.elecMax,
		Heartbeat:   c.cfg.Heartbeat,
		Rules:       c.rules,
		Rand:        src,
		MaxEntries:  c.cfg.MaxEntries,
	}, s.hs, s.log)
	if err != nil {
		return err
	}
	s.node = n
	s.startedAt = c.now
	s.applied, s.appliedN, s.detached = raft.Log{}, 0, false
	c.mon.Restarted(s.id)
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

// source says what the next event is.
type source uint8

const (
	srcNone    source = iota // nothing is due
	srcTimer                 // a server's timer fires
	srcMessage               // a message arrives
	srcClient                // the client sends a request (client.go)
)

// next finds the next event: the earliest timer of an up server, message
// delivery or client request. At equal times timers come first (lowest
// id first), then messages in send order, then the client, which thus
// sends after everything else due at that moment.
func (c *Cluster) next() (at int, src source, timer raft.ID) {
	at = math.MaxInt
	if c.manual {
		return at, srcNone, raft.None // nothing happens by itself
	}
	for _, id := range c.peers {
		s := &c.servers[id]
		if s.node == nil {
			continue
		}
		if d := s.clock() + s.node.UntilTimer(); d < at {
			at, src, timer = d, srcTimer, id
		}
	}
	if c.inflight.size() > 0 && c.inflight.first().At < at {
		at, src, timer = c.inflight.first().At, srcMessage, raft.None
	}
	if due, ok := c.clientDue(); ok && due < at {
		at, src, timer = due, srcClient, raft.None
	}
	return at, src, timer
}

// NextEventTime returns when the next event will happen, if any will.
func (c *Cluster) NextEventTime() (int, bool) {
	at, src, _ := c.next()
	return at, src != srcNone
}

// process handles the next event.
func (c *Cluster) process() {
	at, src, timer := c.next()
	c.hist.maybeCheckpoint(c)
	c.events++
	c.now = at
	switch src {
	case srcTimer:
		s := &c.servers[timer]
		c.hash.int(-int(timer))
		s.node.Advance(c.now - s.clock()) // the timer fires
		c.collect(s)
	case srcMessage:
		c.deliver(c.inflight.pop())
	case srcClient:
		c.clientRequest()
	}
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
	case c.drop > 0 && !c.manual && c.chance(m, c.now, saltLoss) < c.drop:
		loss = LossRandom
	case c.links.loss[m.From][m.To] > 0 && !c.manual && c.chance(m, c.now, saltLinkLoss) < c.links.loss[m.From][m.To]:
		loss = LossFlaky
	}
	if loss != 0 {
		c.lost(f.Msg, loss)
		return
	}
	if !c.manual {
		to.node.Advance(c.now - to.clock())
	}
	if err := to.node.Step(*m); err != nil {
		// The simulator only carries messages nodes made; this cannot
		// happen unless the engine is broken, so make it loud.
		c.engineError(f.Msg, err)
		return
	}
	c.collect(to)
}

// engineError records that the engine refused a message it should have
// taken: in the hash, in the count the sweep checks, and in the trace.
func (c *Cluster) engineError(m raft.Message, err error) {
	c.engineErrors++
	c.hash.int(-300)
	if !c.cfg.NoTrace {
		c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecEngineError, Msg: &m, Err: err.Error()})
	}
}

// EngineErrors returns how many messages the engine refused (0 unless the
// engine is broken).
func (c *Cluster) EngineErrors() int { return c.engineErrors }

func (c *Cluster) lost(m raft.Message, why Loss) {
	c.hash.int(-100 - int(why))
	if !c.cfg.NoTrace {
		c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecLost, Msg: &m, Loss: why})
	}
}

// collect takes a node's Ready: persist, observe, then send. An armed
// crash strikes before sending (the messages are lost) or after (with
// persist-before-send off, the step's writes are lost instead).
func (c *Cluster) collect(s *server) {
	if !s.node.HasReady() {
		return
	}
	rd := s.node.Ready()
	// A server that sends before it persists (persist-before-send off)
	// and crashes in between never writes this step's state: its disk,
	// s.hs and s.log, keeps the last step's, and so does what the monitor
	// is told of it.
	unwritten := s.armed == armAfterSend && !c.rules.Has(raft.PersistBeforeSend)
	if !unwritten {
		if rd.HardStateChanged {
			c.mon.TermChanged(s.id, s.hs.Term, rd.HardState.Term, c.reporter())
			s.hs = rd.HardState
		}
		if rd.TruncateTo >= 0 {
			s.log = s.node.LogView()
		}
	}
	appliedBefore, appliedTo, removesApplied := s.appliedN, s.appliedN, false
	for i := range rd.Events {
		ev := &rd.Events[i]
		c.hash.event(ev)
		if !c.cfg.NoTrace {
			c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecEvent, Event: traced(ev)})
		}
		c.observe(ev)
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
	if s.armed == armBeforeSend {
		for _, m := range rd.Messages {
			c.lost(m, LossCrashed)
		}
		c.crash(s)
		return
	}
	for _, m := range rd.Messages {
		c.send(m)
	}
	if s.armed == armAfterSend {
		var u *Unwritten
		if unwritten {
			u = c.unwritten(s, &rd)
		}
		c.crash(s)
		if u != nil && u.From > 0 {
			// The monitor follows the log the server will restart from.
			c.mon.LogRestored(s.id, s.log, u.From, c.reporter())
		}
	}
}

func (c *Cluster) send(m raft.Message) {
	c.enqueue(m, saltLatency)
	if c.dup > 0 && !c.manual && c.chance(&m, c.now, saltDuplicate) < c.dup {
		c.enqueue(m, saltCopy)
	}
}

func (c *Cluster) enqueue(m raft.Message, salt uint64) {
	c.lastID++
	c.inflight.push(flight{ID: c.lastID, SentAt: c.now, At: c.now + c.latency(&m, salt), Cut: !c.links.connected(m.From, m.To), Msg: m})
}

// latency draws how long m, sent now, takes to arrive.
func (c *Cluster) latency(m *raft.Message, salt uint64) int {
	lat := c.latMin
	if c.latMax > c.latMin {
		lat += int(c.netRand(m, c.now, salt) % uint64(c.latMax-c.latMin+1))
	}
	return lat
}

func (c *Cluster) crash(s *server) {
	c.mon.requests.crashed(s.id, c.now)
	c.mon.Crashed(s.id)
	s.node = nil
	s.applied, s.appliedN, s.detached = raft.Log{}, 0, false
	s.armed = armNone
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
