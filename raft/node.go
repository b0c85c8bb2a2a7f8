package raft

import (
	"errors"
	"math/rand/v2"
	"strconv"

	"raftplay/raft/chunk"
)

// Log is a log of entries, kept in chunks that copies share (see package
// chunk): a node's log, and what a simulator keeps of it on disk. Entry i
// of a log (1-based, as in the paper) is At(i-1).
type Log = chunk.List[Entry]

// progress is the leader's view of one follower (Figure 2, "Volatile state
// on leaders"), plus what it needs for flow control.
type progress struct {
	next, match int
	// sent is the highest index sent and not known to be lost; a leader
	// does not resend entries still in flight except on its heartbeat.
	sent int
	// acked is when (in the leader's ticks) the follower last answered an
	// AppendEntries: check-quorum's record of who is still in touch.
	acked int
}

// Node is one Raft server. Its methods are not safe for concurrent use.
type Node struct {
	id    ID
	peers []ID
	cfg   Config
	rules Rules
	rng   *rand.PCG
	rnd   *rand.Rand

	// Persistent state (Figure 2).
	term int
	vote ID
	log  Log // entry i is log.At(i-1)

	// Volatile state.
	role    Role
	leader  ID
	commit  int
	applied int
	votes   uint16 // bit i set: server i granted its vote (or pre-vote)
	prs     [MaxServers + 1]progress
	held    int // highest index reported as EvCommitHeld this term

	// Timers, in ticks since the node started.
	now            int
	timerStart     int // when the election timer was last reset
	electionAt     int // election timer deadline (followers, candidates)
	heartbeatAt    int // next heartbeat (leaders)
	lastLeaderSeen int // for prevote's and vote-lease's "leader alive" test
	seenLeader     bool
	timerReset     bool // the election timer restarted in the Step under way

	// Leadership transfer (dissertation §3.10): the server the leader is
	// handing over to (None: no transfer under way), and when it gives up.
	transferee ID
	transferAt int

	// Output collected since the last Ready.
	msgs      []Message
	events    []Event
	applyBuf  []Entry // Ready's CommittedEntries, a buffer reused like msgs and events
	hardDirty bool
	unstable  int // first log index not yet handed out for persistence; 0: none
}

// ErrNotLeader is returned by Propose on a node that is not the leader.
var ErrNotLeader = errors.New("not the leader")

// NotLeaderError says who the node believes the leader is.
type NotLeaderError struct {
	Node, Leader ID
}

func (e *NotLeaderError) Error() string {
	if e.Leader == None {
		return e.Node.String() + " is not the leader and knows no leader"
	}
	return e.Node.String() + " is not the leader (try " + e.Leader.String() + ")"
}

func (e *NotLeaderError) Unwrap() error { return ErrNotLeader }

// NewNode starts (or restarts) a node from its durable state: the hard
// state and log it had written to stable storage, both empty on first
// boot. Everything volatile starts fresh: the node is a follower with
// commitIndex and lastApplied 0 (Figure 2). The log is copied; Restart
// shares it instead.
func NewNode(cfg Config, hs HardState, log []Entry) (*Node, error) {
	return Restart(cfg, hs, chunk.Of(log))
}

// Restart is NewNode for a durable log kept as a Log (for example a View
// of the node that crashed). The node shares its chunks, copy-on-write,
// and never changes what the caller sees: a restart costs one chunk at
// most, however long the log.
func Restart(cfg Config, hs HardState, log Log) (*Node, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := checkDurable(&cfg, hs, &log); err != nil {
		return nil, err
	}
	n := newNode(cfg, hs, log.Copy())
	if !n.rules.Has(PersistVote) {
		// With persist-vote off, votedFor is treated as if it had never
		// reached stable storage: a restarted server may vote again in a
		// term in which it already voted, which breaks Election Safety.
		n.vote = None
		n.hardDirty = hs.Vote != None
	}
	n.becomeFollower(n.term, None, ReasonRestart)
	return n, nil
}

// checkDurable refuses durable state that no node could have written: a
// node must never start from a state it could not have reached.
func checkDurable(cfg *Config, hs HardState, log *Log) error {
	if hs.Term < 0 || hs.Term > MaxTerm {
		return errors.New("raft: durable term " + strconv.Itoa(hs.Term) + " out of range 0.." + strconv.Itoa(MaxTerm))
	}
	if hs.Vote != None && !isIn(hs.Vote, cfg.Peers) {
		return errors.New("raft: durable vote for " + strconv.Itoa(int(hs.Vote)) + ", which is not a server of this cluster")
	}
	prev := 1
	for i := range log.Len() {
		e := log.At(i)
		if e.Index != i+1 || e.Term < prev || e.Term > hs.Term {
			return errors.New("raft: durable log is malformed at position " + strconv.Itoa(i+1))
		}
		prev = e.Term
	}
	return nil
}

// newNode makes a follower with the given durable state, which it owns,
// and nothing else: the caller sets the role and its timers.
func newNode(cfg Config, hs HardState, log Log) *Node {
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	n := &Node{
		id:    cfg.ID,
		peers: cfg.Peers,
		cfg:   cfg,
		rules: cfg.Rules,
		rng:   cfg.Rand,
		term:  hs.Term,
		vote:  hs.Vote,
		log:   log,
	}
	n.rnd = rand.New(n.rng)
	return n
}

// Clone returns an independent copy of n (for checkpoints). The log is
// shared copy-on-write (chunk.List.Copy), and every slice of it the node
// hands out is capped, so neither copy ever writes where the other reads.
func (n *Node) Clone() *Node {
	c := new(Node)
	n.CopyTo(c)
	return c
}

// CopyTo makes c an independent copy of n, as Clone does, reusing what c
// held: its random source and its output buffers. A driver that copies
// nodes by the million and uses each copy briefly (the explorer) then
// allocates next to nothing per copy. Whatever c handed out before (a
// Ready's slices) is no longer valid.
func (n *Node) CopyTo(c *Node) {
	rng, rnd := c.rng, c.rnd
	msgs, events, applyBuf := c.msgs[:0], c.events[:0], c.applyBuf[:0]
	log := c.log
	*c = *n
	if rng == nil {
		rng = new(rand.PCG)
		rnd = rand.New(rng)
	}
	*rng = *n.rng
	c.rng, c.rnd = rng, rnd
	n.log.CopyTo(&log)
	c.log = log
	c.msgs, c.events, c.applyBuf = nil, nil, applyBuf
	if len(n.msgs) > 0 || msgs != nil {
		c.msgs = append(msgs, n.msgs...)
	}
	if len(n.events) > 0 || events != nil {
		c.events = append(events, n.events...)
	}
}

// SetRules switches rules on or off from now on: a change applies from the
// next timer draw and the next message handled.
func (n *Node) SetRules(r Rules) { n.rules = r }

// Rules returns the rules in force.
func (n *Node) Rules() Rules { return n.rules }

// ID returns the node's id.
func (n *Node) ID() ID { return n.id }

// Role returns the current role.
func (n *Node) Role() Role { return n.role }

// Term returns currentTerm.
func (n *Node) Term() int { return n.term }

// Vote returns votedFor in the current term.
func (n *Node) Vote() ID { return n.vote }

// Leader returns the leader this node knows of for its term, or None.
func (n *Node) Leader() ID { return n.leader }

// HardState returns the state that must be durable.
func (n *Node) HardState() HardState { return HardState{Term: n.term, Vote: n.vote} }

// Commit returns commitIndex.
func (n *Node) Commit() int { return n.commit }

// Applied returns lastApplied.
func (n *Node) Applied() int { return n.applied }

// LastIndex returns the index of the last log entry (0 if empty).
func (n *Node) LastIndex() int { return n.log.Len() }

// LastTerm returns the term of the last log entry (0 if empty).
func (n *Node) LastTerm() int { return n.termAt(n.log.Len()) }

// Log returns the log entries with indexes lo..hi inclusive (clamped):
// shared with the node when they lie in one chunk, else a copy. Either
// way it must not be modified.
func (n *Node) Log(lo, hi int) []Entry {
	lo = max(lo, 1)
	hi = min(hi, n.log.Len())
	if lo > hi {
		return nil
	}
	return n.log.Slice(lo-1, hi)
}

// LogView returns the whole log as a read-only Log, in constant time; it
// keeps showing this moment's log however the node changes afterwards.
// The simulator keeps it as the server's durable log.
func (n *Node) LogView() Log { return n.log.View() }

// Progress returns the leader's nextIndex and matchIndex for peer (zeros if
// this node is not the leader).
func (n *Node) Progress(peer ID) (next, match int) {
	if n.role != Leader || peer < 1 || peer > MaxServers {
		return 0, 0
	}
	return n.prs[peer].next, n.prs[peer].match
}

// Votes returns the servers that granted this candidate (or pre-candidate)
// their vote in the current round, in id order.
func (n *Node) Votes() []ID {
	if n.role != Candidate && n.role != PreCandidate {
		return nil
	}
	var ids []ID
	for _, p := range n.peers {
		if n.votes&(1<<p) != 0 {
			ids = append(ids, p)
		}
	}
	return ids
}

// TransferringError is Propose's refusal on a leader that is handing
// leadership over: it takes no new commands until the transfer ends
// (dissertation §3.10), and sends the client to the server it hands over to.
type TransferringError struct {
	Leader, To ID
}

func (e *TransferringError) Error() string {
	return e.Leader.String() + " is handing leadership to " + e.To.String() + " and takes no new commands (try " + e.To.String() + ")"
}

// Propose appends a client command to the leader's log and sends it to the
// followers at once. It returns the entry's index, or a *NotLeaderError,
// or a *TransferringError while the leader hands leadership over.
func (n *Node) Propose(cmd string) (int, error) {
	if n.role != Leader {
		n.emit(Event{Kind: EvProposalRejected, Peer: n.leader})
		return 0, &NotLeaderError{Node: n.id, Leader: n.leader}
	}
	if n.transferee != None {
		// §3.10, step 1: "the prior leader stops accepting new client
		// requests", or the target could never catch up with its log.
		n.emit(Event{Kind: EvProposalRejected, Peer: n.transferee, Reason: ReasonTransferring})
		return 0, &TransferringError{Leader: n.id, To: n.transferee}
	}
	idx := n.appendLocal(Entry{Cmd: cmd})
	n.emit(Event{Kind: EvProposed, Index: idx})
	n.broadcastAppend(false)
	n.maybeCommit() // a single-server cluster commits at once
	return idx, nil
}

// Transferee returns the server this leader is handing leadership to, or
// None when no transfer is under way.
func (n *Node) Transferee() ID { return n.transferee }

// Campaign starts an election for term+1 now, whatever the node's role.
func (n *Node) Campaign() {
	n.becomeCandidate(ReasonForced, None)
}

func (n *Node) setTerm(t int) {
	if t != n.term {
		n.term = t
		n.vote = None
		n.hardDirty = true
	}
}

func (n *Node) setVote(v ID) {
	if v != n.vote {
		n.vote = v
		n.hardDirty = true
	}
}

func (n *Node) quorum() int { return len(n.peers)/2 + 1 }

func (n *Node) count(bits uint16) int {
	c := 0
	for _, p := range n.peers {
		if bits&(1<<p) != 0 {
			c++
		}
	}
	return c
}

// termAt returns the term of the entry at index i (0 for index 0 or past
// the end).
func (n *Node) termAt(i int) int {
	if i < 1 || i > n.log.Len() {
		return 0
	}
	return n.log.At(i - 1).Term
}

func isIn(id ID, ids []ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
