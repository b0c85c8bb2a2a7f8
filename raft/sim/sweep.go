package sim

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"

	"raftplay/raft"
)

// SweepConfig describes one randomized run of the safety sweep.
type SweepConfig struct {
	Servers  int
	Duration int // virtual ms of faults, before the quiet tail
	Rules    raft.Rules
	Seed     uint64
	// Trace keeps the run's trace in the result (for looking into a seed).
	Trace bool
	// Style names the run's style of faults (SweepStyles); "" draws one
	// of the default rotation from the seed.
	Style string
}

// DefaultSweep is the sweep's default run (the command line's defaults):
// five servers, ten virtual seconds of faults, every rule of the paper on
// and no implementation mistake made. Seed is left to the caller.
var DefaultSweep = SweepConfig{Servers: 5, Duration: 10000, Rules: raft.DefaultRules}

// SweepResult is what one sweep run found.
type SweepResult struct {
	Seed       uint64
	Style      string // the style of faults the run had
	Events     int
	Time       int // virtual ms, quiet tail included
	Committed  int // highest commitIndex reached
	Violations []Violation
	// EngineErrors counts messages the engine refused: a bug in the
	// engine, which fails the sweep like a violation.
	EngineErrors int
	// Liveness is set when the quiet tail broke a liveness bound: no
	// leader soon enough, too many leader changes, a proposal too slow to
	// commit on every server (see quiet). It says which, and by how much.
	Liveness error
	// Tail is what the quiet tail measured.
	Tail Tail
	// Schedule is every action the run took, at its moment, in a form the
	// scenario language can express.
	Schedule []TimedAction
	Hash     uint64
	Trace    []Record // with SweepConfig.Trace
}

// Sweep runs one randomized fault-injection run: a steady stream of client
// proposals under crashes (also right after a proposal, during elections,
// between persisting and sending, and right after sending), quick
// crash-restart, partitions, one-way cuts, loss, duplication, reordering
// and long delays, leaders re-elected at once, with a batch size of its
// own and the invariant monitor on; then a quiet tail that checks
// liveness.
func Sweep(sc SweepConfig) SweepResult {
	cfg := sc.ClusterConfig()
	cfg.NoTrace = !sc.Trace
	cfg.CheckpointEvery = -1
	c, err := New(cfg)
	if err != nil {
		return SweepResult{Seed: sc.Seed, Liveness: err}
	}
	f := faults{c: c, rng: rand.New(rand.NewPCG(sc.Seed, 0x6661756c7473)), load: 4, after: newAfterFaults(sc)} // "faults"
	// The draw is made whatever the style, so that a run of a style
	// named draws the rest of its faults from the same stream.
	f.style = &styles[f.rng.IntN(len(styles))]
	if sc.Style != "" {
		if f.style = findStyle(sc.Style); f.style == nil {
			return SweepResult{Seed: sc.Seed, Liveness: errors.New("unknown sweep style " + strconv.Quote(sc.Style) + " (styles: " + strings.Join(SweepStyles(), ", ") + ")")}
		}
	}
	f.chaos(sc.Duration)
	tail, live := f.quiet()
	return SweepResult{
		Seed:         sc.Seed,
		Style:        f.style.name,
		Events:       c.Events(),
		Time:         c.Now(),
		Committed:    f.maxCommit(),
		Violations:   c.Violations(),
		EngineErrors: c.EngineErrors(),
		Liveness:     live,
		Tail:         tail,
		Schedule:     c.Actions(),
		Hash:         c.Hash(),
		Trace:        c.Trace(0),
	}
}

// ClusterConfig is the configuration of a sweep run's cluster: the paper's
// timings, the run's seed, servers and rules.
func (sc SweepConfig) ClusterConfig() Config {
	cfg := DefaultConfig()
	cfg.Servers = sc.Servers
	cfg.Seed = sc.Seed
	cfg.Rules = sc.Rules
	cfg.MaxEntries = sc.Batch()
	return cfg
}

// faults drives a cluster with random faults.
type faults struct {
	c       *Cluster
	rng     *rand.Rand
	nextCmd int
	load    int // chance in 4 that a client proposes in a given step
	style   *faultStyle

	// Faults scheduled for later, by server: a restart after a crash, and
	// a crash or an isolation of a newly elected leader.
	restartAt [raft.MaxServers + 1]int
	crashAt   [raft.MaxServers + 1]int
	isolateAt [raft.MaxServers + 1]int

	leaderTerm int     // term of the last leader seen
	leaderID   raft.ID // and who it was
	leaderCom  int     // its commitIndex when last looked at

	after afterFaults // crashes after sending, drawn apart (sweep_aftersend.go)
}

func (f *faults) pick(ids []raft.ID) raft.ID { return ids[f.rng.IntN(len(ids))] }

func (f *faults) servers(up bool) []raft.ID {
	var ids []raft.ID
	for id := raft.ID(1); int(id) <= f.c.Servers(); id++ {
		if f.c.Up(id) == up {
			ids = append(ids, id)
		}
	}
	return ids
}

func (f *faults) role(r raft.Role) []raft.ID {
	var ids []raft.ID
	for _, id := range f.servers(true) {
		if f.c.Role(id) == r {
			ids = append(ids, id)
		}
	}
	return ids
}

func (f *faults) do(a Action) { _ = f.c.Do(a) } // refused actions change nothing

// crash crashes id (maybe between persisting and sending) and schedules its
// restart: at once, soon, or after long enough for the others to move on.
func (f *faults) crash(id raft.ID) {
	if id == raft.None || !f.c.Up(id) {
		return
	}
	before, after := f.crashWhen(f.rng.IntN(3) == 0)
	f.do(Action{Kind: ActCrash, Server: id, BeforeSend: before, AfterSend: after})
	f.crashAt[id] = 0
	switch k := f.rng.IntN(10); {
	case k < 2:
		f.restartNow(id) // back at once (an armed crash: once it strikes)
	case k < 7:
		f.restartAt[id] = f.c.Now() + 50 + f.rng.IntN(500)
	default:
		f.restartAt[id] = f.c.Now() + 1000 + f.rng.IntN(2000)
	}
}

func (f *faults) propose() {
	f.nextCmd++
	cmd := "v" + strconv.Itoa(f.nextCmd)
	if f.c.Leader() != raft.None && f.rng.IntN(8) != 0 {
		f.do(Action{Kind: ActPropose, Cmd: cmd})
		return
	}
	if up := f.servers(true); len(up) > 0 {
		f.do(Action{Kind: ActPropose, Cmd: cmd, Server: f.pick(up)})
	}
}

func (f *faults) chaos(duration int) {
	c := f.c
	for c.Now() < duration {
		_ = c.RunUntil(min(duration, c.Now()+1+f.rng.IntN(20)))
		// Clients come and go: bursts of proposals, and quiet spells in
		// which a new leader has nothing of its own term to replicate.
		if f.rng.IntN(100) == 0 {
			f.load = max(0, f.rng.IntN(6)-1)
			if f.style.quiet && f.rng.IntN(2) == 0 {
				f.load = 0
			}
		}
		if f.rng.IntN(4) < f.load {
			f.propose()
		}
		f.scheduled()
		f.react()
		f.reactAfter()
		if f.rng.IntN(20) < f.style.rate {
			f.random()
		}
	}
}

// scheduled carries out the faults whose time has come.
func (f *faults) scheduled() {
	now := f.c.Now()
	for id := raft.ID(1); int(id) <= f.c.Servers(); id++ {
		if t := f.restartAt[id]; t != 0 && now >= t {
			if f.c.Up(id) && f.c.ServerState(id, 1, 0).CrashArmed {
				continue // its crash has yet to happen: restart after it
			}
			f.restartAt[id] = 0
			f.do(Action{Kind: ActRestart, Server: id})
		}
		if t := f.crashAt[id]; t != 0 && now >= t {
			f.crash(id)
		}
		if t := f.isolateAt[id]; t != 0 && now >= t {
			f.isolateAt[id] = 0
			f.do(Action{Kind: ActIsolate, Server: id})
		}
	}
}

// react injects the faults that find the subtle bugs, timed by what the
// cluster is doing: a new leader lost soon after its election (perhaps with
// entries of its term on no one else), a leader crashing just after it
// commits, and a voter crashing and restarting in the middle of an
// election.
func (f *faults) react() {
	c := f.c
	if l := c.Leader(); l != raft.None {
		if t := c.Term(l); t != f.leaderTerm || l != f.leaderID {
			f.leaderTerm, f.leaderID, f.leaderCom = t, l, c.Commit(l)
			if f.style.lone && f.rng.IntN(2) == 0 {
				f.do(f.armedCrash(l))
				f.propose()
				f.restartAt[l] = c.Now() + 100 + f.rng.IntN(300)
				return
			}
			switch k := f.rng.IntN(8); {
			case k < 2:
				f.crashAt[l] = c.Now() + 1 + f.rng.IntN(80)
			case k < 4:
				f.isolateAt[l] = c.Now() + 1 + f.rng.IntN(80)
			case k < 6:
				// Crash at its next step, after persisting (or, now and
				// then, after sending): if that step is a client's
				// proposal, the new entry stays on this server alone
				// (Figure 8's panels (a) and (b)).
				f.do(f.armedCrash(l))
				f.restartAt[l] = c.Now() + 100 + f.rng.IntN(1500)
			}
		} else if com := c.Commit(l); com > f.leaderCom {
			f.leaderCom = com
			if f.rng.IntN(6) == 0 {
				f.crash(l)
			}
		}
	}
	// A voter that forgets its vote could vote again in the same term:
	// crash and restart one while another candidate of its term campaigns.
	if f.rng.IntN(4) == 0 {
		var voters []raft.ID
		for _, cand := range f.role(raft.Candidate) {
			t := c.Term(cand)
			for _, id := range f.servers(true) {
				if v := c.ServerState(id, 1, 0).Vote; id != cand && v != raft.None && v != cand && c.Term(id) == t && c.Role(id) == raft.Follower {
					voters = append(voters, id)
				}
			}
		}
		if len(voters) > 0 {
			id := f.pick(voters)
			f.do(Action{Kind: ActCrash, Server: id})
			f.do(Action{Kind: ActRestart, Server: id})
		}
	}
}

// The kinds of random fault, and each run style's weights for them.
const (
	fCrash = iota
	fCrashOnPropose
	fCrashCandidate
	fPartition
	fIsolate
	fLinkDown
	fLinkUp
	fHeal
	fDrop
	fDuplicate
	fLatency
	fDropNext
	// Partial connectivity: the partial style's alone.
	fCutBoth  // a link cut both ways
	fMendBoth // a link restored both ways
	fReach    // a server that reaches some servers and not others
	fFlaky    // a link, one way or both, loses a share of its messages (or mends)
	numFaultKinds
)

// styles give runs different characters, so that a sweep covers both
// broad chaos and the long, specific fault chains that the subtle bugs need
// (Figure 8 takes two leaders each losing a fresh entry, then a quiet
// spell). Each row is the weight of each fault kind; the last column is
// the chance in 20 that a step injects a random fault at all.
type faultStyle struct {
	name    string
	weights [numFaultKinds]int
	rate    int
	quiet   bool // clients often stop for long spells
	// lone: a new leader often takes one client request and crashes
	// before sending it, leaving the entry on itself alone; it is back
	// soon. Chains of these are how Figure 8 starts.
	lone bool
}

// styles are the default rotation: a run draws one of them from its seed.
// Their weights of the partial-connectivity faults are zero, so that they
// draw exactly as they did before those faults existed.
var styles = [...]faultStyle{
	{"mixed", [numFaultKinds]int{15, 12, 6, 10, 7, 6, 3, 13, 6, 5, 9, 8}, 2, false, false},
	{"leader-churn", [numFaultKinds]int{10, 40, 8, 4, 4, 2, 2, 10, 0, 0, 4, 4}, 3, true, false},
	{"network", [numFaultKinds]int{4, 4, 2, 20, 12, 14, 6, 14, 8, 6, 14, 10}, 3, false, false},
	{"elections", [numFaultKinds]int{25, 10, 25, 6, 4, 4, 2, 10, 4, 2, 4, 4}, 3, true, false},
	{"lone-entries", [numFaultKinds]int{8, 10, 4, 4, 4, 2, 2, 10, 0, 0, 2, 4}, 1, true, true},
}

// ownStyles run only when named (raftplay sweep -style NAME), never in
// the default rotation, so that every seed of the default sweep replays
// as it did before they existed. partial is the network failing in part
// (the November 2020 outage's kind of fault): links cut one way or both,
// a server that reaches some servers and not others, flaky links that
// lose a share of their messages, over the other faults at a lower rate.
var ownStyles = [...]faultStyle{
	{"partial", [numFaultKinds]int{6, 4, 2, 2, 2, 8, 4, 6, 2, 2, 4, 4, 14, 6, 10, 12}, 3, false, false},
}

// SweepStyles names the styles of faults a sweep can be asked for: the
// default rotation's, then those kept out of it.
func SweepStyles() []string {
	var names []string
	for _, st := range styles {
		names = append(names, st.name)
	}
	for _, st := range ownStyles {
		names = append(names, st.name)
	}
	return names
}

func findStyle(name string) *faultStyle {
	for i := range styles {
		if styles[i].name == name {
			return &styles[i]
		}
	}
	for i := range ownStyles {
		if ownStyles[i].name == name {
			return &ownStyles[i]
		}
	}
	return nil
}

// random injects one fault drawn at random, by the run's style.
func (f *faults) random() {
	c := f.c
	w := &f.style.weights
	total := 0
	for _, x := range w {
		total += x
	}
	k, kind := f.rng.IntN(total), 0
	for k >= w[kind] {
		k -= w[kind]
		kind++
	}
	switch kind {
	case fCrash: // someone, the leader half the time
		if up := f.servers(true); len(up) > 0 {
			id := f.pick(up)
			if l := c.Leader(); l != raft.None && f.rng.IntN(2) == 0 {
				id = l
			}
			f.crash(id)
		}
	case fCrashOnPropose: // the leader, right after or while it takes a proposal
		if l := c.Leader(); l != raft.None {
			if f.rng.IntN(2) == 0 {
				f.do(f.armedCrash(l))
				f.restartAt[l] = c.Now() + 50 + f.rng.IntN(1500)
				f.propose()
			} else {
				f.propose()
				f.crash(l)
			}
		}
	case fCrashCandidate: // during an election
		if cands := f.role(raft.Candidate); len(cands) > 0 {
			f.crash(f.pick(cands))
		}
	case fPartition:
		f.do(Action{Kind: ActPartition, Groups: f.split()})
	case fIsolate:
		f.do(Action{Kind: ActIsolate, Server: raft.ID(1 + f.rng.IntN(c.Servers()))})
	case fLinkDown:
		if a, b := f.link(); a != b {
			f.do(Action{Kind: ActLinkDown, From: a, To: b})
		}
	case fLinkUp:
		if a, b := f.link(); a != b {
			f.do(Action{Kind: ActLinkUp, From: a, To: b})
		}
	case fHeal:
		f.do(Action{Kind: ActHeal})
	case fDrop:
		f.do(Action{Kind: ActDrop, Rate: float64(f.rng.IntN(5)) / 20})
	case fDuplicate:
		f.do(Action{Kind: ActDuplicate, Rate: float64(f.rng.IntN(3)) / 20})
	case fLatency: // reordering and long delays, or back to normal
		if f.rng.IntN(2) == 0 {
			f.do(Action{Kind: ActLatency, Min: 1 + f.rng.IntN(10), Max: 50 + f.rng.IntN(250)})
		} else {
			f.do(Action{Kind: ActLatency, Min: 10, Max: 20})
		}
	case fDropNext:
		// One pending loss per link at most: a cut link (or a crashed
		// server) consumes none, and a pile of them would outlast the
		// faults, losing messages well into the quiet tail.
		if a, b := f.link(); a != b && c.links.dropNext[a][b] == 0 {
			f.do(Action{Kind: ActDropNext, From: a, To: b})
		}
	case fCutBoth, fMendBoth:
		if a, b := f.link(); a != b {
			kind := ActLinkDown
			if kind == fMendBoth {
				kind = ActLinkUp
			}
			f.do(Action{Kind: kind, From: a, To: b, Both: true})
		}
	case fReach:
		f.reach()
	case fFlaky:
		if a, b := f.link(); a != b {
			rate := [...]float64{0, 0.1, 0.3, 0.5, 0.8}[f.rng.IntN(5)]
			f.do(Action{Kind: ActLinkDrop, From: a, To: b, Rate: rate, Both: f.rng.IntN(2) == 0})
		}
	}
}

// reach leaves a server reaching some of the others and not the rest:
// its links to between one and all but one of them are cut, both ways,
// or only its messages to them, or only theirs to it.
func (f *faults) reach() {
	n := f.c.Servers()
	if n < 3 {
		return
	}
	x := raft.ID(1 + f.rng.IntN(n))
	var others []raft.ID
	for id := raft.ID(1); int(id) <= n; id++ {
		if id != x {
			others = append(others, id)
		}
	}
	f.rng.Shuffle(len(others), func(i, j int) { others[i], others[j] = others[j], others[i] })
	way := f.rng.IntN(3)
	for _, y := range others[:1+f.rng.IntN(len(others)-1)] {
		switch way {
		case 0:
			f.do(Action{Kind: ActLinkDown, From: x, To: y, Both: true})
		case 1:
			f.do(Action{Kind: ActLinkDown, From: x, To: y})
		default:
			f.do(Action{Kind: ActLinkDown, From: y, To: x})
		}
	}
}

// split draws a random partition into two non-empty sides.
func (f *faults) split() [][]raft.ID {
	n := f.c.Servers()
	if n < 2 {
		return [][]raft.ID{{1}}
	}
	// Each server goes to side a or b; server 1 always to a, and one
	// other server is forced to b so that neither side is empty.
	forced := raft.ID(2 + f.rng.IntN(n-1))
	a := []raft.ID{1}
	var b []raft.ID
	for id := raft.ID(2); int(id) <= n; id++ {
		if id == forced || f.rng.IntN(2) == 0 {
			b = append(b, id)
		} else {
			a = append(a, id)
		}
	}
	return [][]raft.ID{a, b}
}

func (f *faults) link() (raft.ID, raft.ID) {
	n := f.c.Servers()
	return raft.ID(1 + f.rng.IntN(n)), raft.ID(1 + f.rng.IntN(n))
}

// committedEverywhere reports whether every server is up, holds cmd at
// index idx and has committed it.
func (f *faults) committedEverywhere(idx int, cmd string) bool {
	for id := raft.ID(1); int(id) <= f.c.Servers(); id++ {
		log := f.c.Log(id)
		if f.c.Commit(id) < idx || len(log) < idx || log[idx-1].Cmd != cmd || log[idx-1].Noop {
			return false
		}
	}
	return true
}

func (f *faults) maxCommit() int {
	m := 0
	for id := raft.ID(1); int(id) <= f.c.Servers(); id++ {
		m = max(m, f.c.Commit(id))
	}
	return m
}

// Replay runs a schedule (such as a sweep's) on a fresh cluster with cfg,
// skipping actions that are refused (a shrunk schedule may have dropped
// what made them possible), and runs on to the end time given. If stop is
// not nil, it is checked after every event and the run ends at the first
// event after which it holds. It returns the cluster, so the caller can
// look at what happened.
func Replay(cfg Config, schedule []TimedAction, end int, stop func(*Cluster) bool) *Cluster {
	cfg.NoTrace = true
	cfg.CheckpointEvery = -1
	c, err := New(cfg)
	if err != nil {
		return nil
	}
	stopped := func() bool { return stop != nil && stop(c) }
	runTo := func(t int) bool {
		for !stopped() && c.StepUntil(t) {
		}
		if stopped() {
			return false
		}
		_ = c.RunUntil(t)
		return true
	}
	for _, ta := range schedule {
		if !runTo(max(ta.Time, c.Now())) {
			return c
		}
		_ = c.Do(ta.Action)
	}
	runTo(max(end, c.Now()))
	return c
}
