// Package explore searches every schedule of a small Raft cluster, breadth
// first, for the shortest one that breaks a safety invariant.
//
// It drives the real engine (package raft), with time abstracted away: a
// step is one move (a message delivered, duplicated or dropped, an
// election timer or a heartbeat fired, a client request, a crash, armed
// for after a send when persist-before-send is off, a restart), and
// every state reached is checked by the simulator's own
// invariant monitor (sim.Monitor). A state is the servers' full state,
// the messages in flight as a bag and the monitor's record of the past;
// states are kept once, by a 64-bit fingerprint of a canonical encoding,
// and once per family of states equal up to renaming the servers
// (symmetry.go). Since the search goes level by level, the first
// violation found is one of the shortest, and it comes back as a path of
// steps, ready to be written as a scenario (scenario.go).
//
// Time-dependent rules cannot be abstracted away soundly without a notion
// of time (the "heard from a leader recently" of prevote and vote-lease,
// check-quorum's election timeout), so the explorer refuses them
// (raft.Rule.Timed).
package explore

import (
	"encoding/binary"
	"errors"
	"strconv"
	"time"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// Config says what to search.
type Config struct {
	Bounds Bounds
	Rules  raft.Rules
	// Symmetry keeps one state of each family of states equal up to
	// renaming the servers (sound from any start: see symmetry.go).
	Symmetry bool
	// From is the start: the state of this cluster now (its servers,
	// messages in flight and monitor's record of the past), taken further
	// under Rules. Nil: a new cluster of Bounds.Servers servers.
	From *sim.Cluster
	// Progress, if set, is called after each level and about once a
	// second within a long one.
	Progress func(Progress)
	// Stop, if set, is asked now and then whether to stop: the search
	// then ends with Verdict Stopped.
	Stop func() bool
}

// Progress is how far a search has come.
type Progress struct {
	Depth    int           // the level being expanded
	States   int           // distinct states so far
	Frontier int           // states of the level being expanded
	Elapsed  time.Duration // since the search began
	Memory   int64         // bytes the search keeps (see Bounds.Memory)
}

// Rate returns distinct states per second.
func (p Progress) Rate() float64 {
	if p.Elapsed <= 0 {
		return 0
	}
	return float64(p.States) / p.Elapsed.Seconds()
}

// Verdict is how a search ended.
type Verdict uint8

const (
	// Holds: no state within the bounds breaks an invariant.
	Holds Verdict = iota
	// Broken: a shortest path to a violation was found.
	Broken
	// Stopped: a budget ran out (or Stop said so) before the search could
	// finish; Result.Reason says which.
	Stopped
)

var verdictNames = [...]string{"holds", "broken", "stopped"}

func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "verdict(" + strconv.Itoa(int(v)) + ")"
}

// Result is what a search found.
type Result struct {
	Verdict Verdict
	// Exhausted: every state within the bounds was reached; otherwise the
	// depth bound cut the search short (or it stopped).
	Exhausted bool
	Reason    string // why it stopped
	// Depth is the number of levels searched in full; for Broken, the
	// length of the path.
	Depth       int
	States      int // distinct states
	Transitions int // moves taken
	Elapsed     time.Duration
	Memory      int64 // bytes kept at the end (see Bounds.Memory)
	Peak        int64 // and at most, at the end of a level
	// Violation and Path: what broke, and the steps from the start that
	// break it (Broken only).
	Violation *sim.Violation
	Path      []Step
	Config    Config // what was searched (the bounds, rules and symmetry)
}

// ErrTimeRule is the error for a rule whose meaning depends on time.
var ErrTimeRule = errors.New("explore: prevote, check-quorum and vote-lease depend on time, which the explorer abstracts away (a timer fires whenever the search likes); switch them off")

// link is the way back from a state: the state it came from (by number)
// and the move that led here.
type link struct {
	parent uint32
	mv     move
}

// level is the states of one depth, encoded, each after its length, in
// blocks of a quarter megabyte or so: a level of millions of states grows without
// ever being copied whole.
type level struct {
	blocks [][]byte
	states int
	first  int // number of its first state
	size   int64
}

const blockSize = 256 << 10

func (l *level) add(enc []byte) {
	need := binary.MaxVarintLen32 + len(enc)
	k := len(l.blocks) - 1
	if k < 0 || len(l.blocks[k])+need > cap(l.blocks[k]) {
		l.blocks = append(l.blocks, make([]byte, 0, max(blockSize, need)))
		k++
		l.size += int64(cap(l.blocks[k]))
	}
	b := binary.AppendUvarint(l.blocks[k], uint64(len(enc)))
	l.blocks[k] = append(b, enc...)
	l.states++
}

// search is one search's state and its scratch buffers.
type search struct {
	Config
	bounds  Bounds
	rules   raft.Rules
	peers   []raft.ID
	cmdBase int
	rep     reporter

	seen  visited
	links []link

	// scratch
	own, best, cand, msgBuf, sigBuf []byte
	ownValid, bestIsOwn             bool
	spans                           []span
	sig                             [raft.MaxServers + 1]uint64
	order                           []raft.ID
	classLo, classHi                [MaxServers]int
	names                           raft.Renaming
	used                            [raft.MaxServers + 1]bool
	msgEnc                          [][]byte
	codeBuf                         []byte
	mvs                             []move
	child                           state
	childMon                        sim.Monitor
	childNodes                      [MaxServers + 1]*raft.Node
	childMsgs                       []raft.Message
	parent                          state // the state being expanded (see decode)
	parentNodes                     [MaxServers + 1]*raft.Node
	parentMon                       *sim.Monitor
	root                            *state
	longest                         int       // the longest state's encoding yet
	sent                            []sentMsg // the start's messages in flight, in the order sent
}

// reporter keeps the first violation found by the move being taken.
type reporter struct{ v *sim.Violation }

func (r *reporter) Violated(v *sim.Violation, kept bool) {
	if r.v == nil {
		c := *v
		r.v = &c
	}
}

// Search searches the states reachable from the start within the bounds,
// breadth first, and returns the first violation of the shallowest level
// that has one, or that none does. Its error is a Config it cannot search
// (bad bounds, a time-dependent rule, a start beyond the bounds).
func Search(cfg Config) (Result, error) {
	began := time.Now()
	x, root, sent, err := newSearch(cfg)
	if err != nil {
		return Result{}, err
	}
	res := Result{Config: cfg}
	if vs := root.mon.Violations(); len(vs) > 0 {
		// Broken already at the start.
		v := vs[0]
		res.Verdict, res.Violation, res.States = Broken, &v, 1
		res.Elapsed = time.Since(began)
		return res, nil
	}
	x.sent, x.root = sent, root
	x.seen.add(x.canonical(root))
	cur := &level{}
	cur.add(x.ownEncoding(root))
	x.links = append(x.links, link{})
	next := &level{first: 1}

	memory := func() int64 {
		return x.seen.bytes() + cur.size + next.size + 8*int64(cap(x.links))
	}
	report := func(depth, frontier int) {
		if x.Progress != nil {
			x.Progress(Progress{Depth: depth, States: len(x.links), Frontier: frontier, Elapsed: time.Since(began), Memory: memory()})
		}
	}
	finish := func(v Verdict, depth int) (Result, error) {
		res.Verdict, res.Depth = v, depth
		res.States = len(x.links)
		res.Elapsed = time.Since(began)
		res.Memory = memory()
		res.Peak = max(res.Peak, res.Memory)
		return res, nil
	}
	lastReport := time.Now()
	for depth := 0; ; depth++ {
		if cur.states == 0 {
			res.Exhausted = true
			return finish(Holds, depth-1)
		}
		if depth == x.bounds.Depth {
			return finish(Holds, depth)
		}
		report(depth, cur.states)
		i := 0
		for _, block := range cur.blocks {
			for len(block) > 0 {
				size, k := binary.Uvarint(block)
				enc := block[k : k+int(size)]
				block = block[k+int(size):]
				id := cur.first + i
				i++
				if i&255 == 0 {
					if x.Stop != nil && x.Stop() {
						res.Reason = "stopped"
						return finish(Stopped, depth)
					}
					if time.Since(lastReport) >= time.Second {
						lastReport = time.Now()
						report(depth, cur.states)
					}
				}
				if memory()+x.headroom() > x.bounds.Memory {
					res.Reason = "memory budget of " + strconv.FormatInt(x.bounds.Memory>>20, 10) + " MB reached"
					return finish(Stopped, depth)
				}
				if len(x.links) >= 1<<32-1 {
					res.Reason = "4 billion states reached"
					return finish(Stopped, depth)
				}
				v, err := x.expand(enc, id, next, &res)
				if err != nil {
					return res, err
				}
				if v != nil {
					res.Violation = v
					return finish(Broken, depth+1)
				}
			}
		}
		res.Peak = max(res.Peak, memory()) // both levels held
		cur, next = next, &level{first: next.first + next.states}
	}
}

// headroom is what expanding one more state may add to the memory kept,
// at most: a state has at most three moves per message in flight and
// three per server, each adding a state (its fingerprint, its way back,
// its encoding in a block of the next level).
func (x *search) headroom() int64 {
	k := 3*x.bounds.InFlight + 3*x.bounds.Servers
	h := x.seen.growth(k) + int64(blockSize+k*x.longest)
	if len(x.links)+k > cap(x.links) {
		h += 2 * 8 * int64(len(x.links)+k) // appending may double it
	}
	return h
}

// expand takes every move from the state that enc encodes, numbered id,
// and adds each new state it leads to to next. It returns the violation
// of the first move that breaks an invariant, with the path to it in res.
func (x *search) expand(enc []byte, id int, next *level, res *Result) (*sim.Violation, error) {
	p, err := x.decode(enc, true)
	if err != nil {
		return nil, err
	}
	x.mvs = x.moves(p, x.messageCodes(p), x.mvs)
	for _, mv := range x.mvs {
		x.rep.v = nil
		c, _, err := x.take(p, mv, false)
		res.Transitions++
		if err != nil {
			return nil, errors.New("explore: the engine refused a message its own node made: " + err.Error())
		}
		if !x.within(c) {
			continue
		}
		if x.rep.v != nil {
			x.links = append(x.links, link{uint32(id), mv})
			res.Path, res.Violation, err = x.pathTo(x.root, x.movesTo(id, mv))
			return res.Violation, err
		}
		if x.seen.add(x.canonical(c)) {
			x.links = append(x.links, link{uint32(id), mv})
			enc := x.ownEncoding(c)
			x.longest = max(x.longest, binary.MaxVarintLen32+len(enc))
			next.add(enc)
		}
	}
	return nil, nil
}

// newSearch checks cfg and builds the start state.
func newSearch(cfg Config) (*search, *state, []sentMsg, error) {
	b := cfg.Bounds
	if cfg.From != nil {
		b.Servers, b.Batch = cfg.From.Servers(), cfg.From.Config().MaxEntries
	}
	if err := b.Validate(); err != nil {
		return nil, nil, nil, err
	}
	for _, r := range raft.AllRules() {
		if r.Timed() && cfg.Rules.Has(r) {
			return nil, nil, nil, ErrTimeRule
		}
	}
	x := &search{Config: cfg, bounds: b, rules: cfg.Rules}
	for id := 1; id <= b.Servers; id++ {
		x.peers = append(x.peers, raft.ID(id))
	}
	c := cfg.From
	if c == nil {
		sc := sim.DefaultConfig()
		sc.Servers, sc.Rules, sc.NoTrace, sc.CheckpointEvery = b.Servers, cfg.Rules, true, -1
		var err error
		if c, err = sim.New(sc); err != nil {
			return nil, nil, nil, err
		}
	}
	root, sent, err := x.rootOf(c)
	if err != nil {
		return nil, nil, nil, err
	}
	if why := x.beyond(root); why != "" {
		return nil, nil, nil, errors.New("explore: the start is beyond the bounds: " + why)
	}
	return x, root, sent, nil
}
