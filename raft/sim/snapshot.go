package sim

import (
	"raftplay/raft"
)

// ServerState is everything the view shows about one server.
type ServerState struct {
	ID          raft.ID
	Up          bool
	Incarnation int
	Role        raft.Role // a crashed server shows the role it had: Follower
	Term        int       // durable, so known even while crashed
	Vote        raft.ID
	Leader      raft.ID
	Commit      int
	Applied     int
	LastIndex   int
	LastTerm    int
	// Log holds the entries LogFrom..LogFrom+len(Log)-1 (a window).
	LogFrom int
	Log     []raft.Entry
	// On a leader, nextIndex and matchIndex of each server (by id; index 0
	// unused).
	Next, Match []int
	// Election timer, in virtual ms (zero on leaders and crashed servers,
	// and while the network is manual: no timer runs then).
	TimerStart, TimerDeadline int
	// Votes granted to this candidate (or pre-candidate).
	Votes []raft.ID
	// CrashArmed: "crash before-send" or "crash after-send" waits for
	// this server's next step; CrashAfter says it is after-send.
	CrashArmed, CrashAfter bool
}

// MessageState is a message in flight.
type MessageState struct {
	ID     uint64
	SentAt int
	At     int
	Msg    raft.Message
	// Cut: the message will be lost to a cut, because its link was cut
	// when it was sent (it never left) or is cut now (unless it heals
	// before At).
	Cut bool
	// Waiting: the network is manual, so the message waits in flight,
	// whatever At says, until an action delivers, drops or duplicates it.
	Waiting bool
}

// NetworkState describes connectivity and loss.
type NetworkState struct {
	// Group is each server's side of the partition (by id; all zero when
	// there is no partition).
	Group     []int
	Isolated  []bool
	LinksDown [][2]raft.ID
	// LinkLoss lists the flaky links: each link with a loss rate of its
	// own, From->To.
	LinkLoss  []LinkLoss
	Drop      float64
	Duplicate float64
	LatMin    int
	LatMax    int
	// ElectionMin and ElectionMax are the election timeout range in
	// force (each server draws from it at its next reset).
	ElectionMin, ElectionMax int
}

// LinkLoss is one flaky link: messages from From to To are lost at Rate.
type LinkLoss struct {
	From, To raft.ID
	Rate     float64
}

// Snapshot is the whole cluster at one moment.
type Snapshot struct {
	Time       int
	Events     int
	Horizon    int
	Leader     raft.ID
	Rules      raft.Rules
	Servers    []ServerState
	InFlight   []MessageState
	Network    NetworkState
	Violations int
	Manual     bool // the network is manual: nothing happens by itself
}

// Snapshot returns the state now, with each log limited to the indexes
// logFrom..logTo (pass 1 and a large number for whole logs).
func (c *Cluster) Snapshot(logFrom, logTo int) Snapshot {
	sn := Snapshot{
		Time:    c.now,
		Events:  c.events,
		Horizon: c.Horizon(),
		Leader:  c.Leader(),
		Rules:   c.rules,
		Manual:  c.manual,
	}
	for _, id := range c.peers {
		sn.Servers = append(sn.Servers, c.ServerState(id, logFrom, logTo))
	}
	sn.InFlight = make([]MessageState, c.inflight.size())
	for i := range sn.InFlight {
		f := c.inflight.at(i)
		sn.InFlight[i] = MessageState{ID: f.ID, SentAt: f.SentAt, At: f.At, Msg: f.Msg, Cut: c.links.doomed(f), Waiting: c.manual}
	}
	// In delivery order. The heap is nearly sorted already and small, so
	// an insertion sort does (and keeps a generic sort out of the
	// WebAssembly build).
	fl := sn.InFlight
	for i := 1; i < len(fl); i++ {
		for j := i; j > 0 && (fl[j].At < fl[j-1].At || (fl[j].At == fl[j-1].At && fl[j].ID < fl[j-1].ID)); j-- {
			fl[j], fl[j-1] = fl[j-1], fl[j]
		}
	}
	net := &sn.Network
	net.Drop, net.Duplicate, net.LatMin, net.LatMax = c.drop, c.dup, c.latMin, c.latMax
	net.ElectionMin, net.ElectionMax = c.elecMin, c.elecMax
	net.Group = make([]int, c.cfg.Servers+1)
	net.Isolated = make([]bool, c.cfg.Servers+1)
	for _, a := range c.peers {
		net.Group[a] = c.links.group[a]
		net.Isolated[a] = c.links.isolated[a]
		for _, b := range c.peers {
			if c.links.down[a][b] {
				net.LinksDown = append(net.LinksDown, [2]raft.ID{a, b})
			}
			if r := c.links.loss[a][b]; r > 0 {
				net.LinkLoss = append(net.LinkLoss, LinkLoss{From: a, To: b, Rate: r})
			}
		}
	}
	for _, n := range c.mon.counts {
		sn.Violations += n
	}
	return sn
}

// ServerState returns one server's state, its log limited to lo..hi.
func (c *Cluster) ServerState(id raft.ID, lo, hi int) ServerState {
	if c.checkServer(id) != nil {
		return ServerState{}
	}
	s := &c.servers[id]
	st := ServerState{
		ID:          id,
		Up:          s.node != nil,
		Incarnation: s.incarnation,
		Term:        s.hs.Term,
		Vote:        s.hs.Vote,
		LastIndex:   s.log.Len(),
		CrashArmed:  s.armed != armNone,
		CrashAfter:  s.armed == armAfterSend,
	}
	if n := s.log.Len(); n > 0 {
		st.LastTerm = s.log.At(n - 1).Term
	}
	lo, hi = max(lo, 1), min(hi, s.log.Len())
	st.LogFrom = lo
	if lo <= hi {
		st.Log = s.log.Slice(lo-1, hi)
	}
	n := s.node
	if n == nil {
		return st
	}
	st.Role, st.Leader, st.Commit, st.Applied = n.Role(), n.Leader(), n.Commit(), n.Applied()
	st.Votes = n.Votes()
	if start, end := n.ElectionTimer(); end != 0 && !c.manual {
		st.TimerStart, st.TimerDeadline = s.startedAt+start, s.startedAt+end
	}
	if n.Role() == raft.Leader {
		st.Next = make([]int, c.cfg.Servers+1)
		st.Match = make([]int, c.cfg.Servers+1)
		for _, p := range c.peers {
			st.Next[p], st.Match[p] = n.Progress(p)
		}
	}
	return st
}

// Servers returns the number of servers.
func (c *Cluster) Servers() int { return c.cfg.Servers }

// Up reports whether server id is running.
func (c *Cluster) Up(id raft.ID) bool {
	return c.checkServer(id) == nil && c.servers[id].node != nil
}

// Log returns server id's log: the durable one, so also for a crashed
// server (perhaps shared; do not modify).
func (c *Cluster) Log(id raft.ID) []raft.Entry {
	if c.checkServer(id) != nil {
		return nil
	}
	l := &c.servers[id].log
	return l.Slice(0, l.Len())
}

// Applied returns what the state machine of id's current incarnation has
// applied, in order (nil while crashed).
func (c *Cluster) Applied(id raft.ID) []raft.Entry {
	if c.checkServer(id) != nil {
		return nil
	}
	s := &c.servers[id]
	return s.applied.Slice(0, s.appliedN)
}

// Commit returns id's commitIndex (0 while crashed).
func (c *Cluster) Commit(id raft.ID) int {
	if !c.Up(id) {
		return 0
	}
	return c.servers[id].node.Commit()
}

// Role returns id's role (Follower while crashed).
func (c *Cluster) Role(id raft.ID) raft.Role {
	if !c.Up(id) {
		return raft.Follower
	}
	return c.servers[id].node.Role()
}

// Term returns id's durable currentTerm, crashed or not.
func (c *Cluster) Term(id raft.ID) int {
	if c.checkServer(id) != nil {
		return 0
	}
	return c.servers[id].hs.Term
}

// NodeCopy returns a copy of server id's node, in the state it is in now,
// or nil while the server is down (or there is no such server). A driver
// that takes the cluster further by other means, the explorer, starts
// from it; the cluster's own node is untouched.
func (c *Cluster) NodeCopy(id raft.ID) *raft.Node {
	if !c.Up(id) {
		return nil
	}
	return c.servers[id].node.Clone()
}

// MonitorCopy returns a copy of the invariant monitor as it stands now,
// with its record of the past (see Monitor) and the violations found.
func (c *Cluster) MonitorCopy() *Monitor {
	m := c.mon.Monitor.Clone()
	return &m
}
