package sim

import (
	"strconv"
	"strings"

	"raftplay/raft"
	"raftplay/raft/chunk"
)

// Invariant is one of the safety properties the monitor checks (§5.2,
// §5.3, §5.4 and Figure 3 of the paper), plus two monotonicity checks.
type Invariant uint8

const (
	// ElectionSafety: at most one leader per term, over the whole run.
	ElectionSafety Invariant = iota
	// LeaderAppendOnly: a leader never overwrites or deletes its entries.
	LeaderAppendOnly
	// LogMatching: two logs with an entry of the same index and term are
	// identical up to that index.
	LogMatching
	// LeaderCompleteness: an entry committed in a term is in the log of
	// every leader of a later term.
	LeaderCompleteness
	// StateMachineSafety: no two servers apply different entries at the
	// same index (crashed servers' applied entries are remembered).
	StateMachineSafety
	// TermMonotonic: a server's currentTerm never goes down.
	TermMonotonic
	// CommitMonotonic: within one incarnation, commitIndex never goes down.
	CommitMonotonic

	numInvariants
)

var invariantNames = [numInvariants]string{
	"election-safety", "leader-append-only", "log-matching",
	"leader-completeness", "state-machine-safety", "term-monotonic",
	"commit-monotonic",
}

func (v Invariant) String() string {
	if v < numInvariants {
		return invariantNames[v]
	}
	return "invariant(" + strconv.Itoa(int(v)) + ")"
}

// Invariants lists every invariant in a fixed order.
func Invariants() []Invariant {
	vs := make([]Invariant, numInvariants)
	for i := range vs {
		vs[i] = Invariant(i)
	}
	return vs
}

// ParseInvariant reads a name such as "state-machine-safety".
func ParseInvariant(name string) (Invariant, bool) {
	for i, n := range invariantNames {
		if n == name {
			return Invariant(i), true
		}
	}
	return 0, false
}

// InvariantNames lists the invariants' names.
func InvariantNames() []string { return invariantNames[:] }

// Violation is one breach of an invariant.
type Violation struct {
	Kind    Invariant
	Time    int
	Seq     int
	Servers []raft.ID
	Index   int
	Term    int
	// Was is what went down, before it did: a term or a commitIndex.
	Was int
	// Entry is the entry Servers[1] applied, and Want the one it should
	// have held or applied: the committed entry a leader lacks (its index
	// and term), or the entry Servers[0] applied at the same index.
	Entry, Want raft.Entry
}

func (v Violation) String() string {
	var b strings.Builder
	b.WriteString(v.Kind.String())
	for _, s := range v.Servers {
		b.WriteByte(' ')
		b.WriteString(s.String())
	}
	if v.Index > 0 {
		b.WriteString(" index=")
		b.WriteString(strconv.Itoa(v.Index))
	}
	if v.Term > 0 {
		b.WriteString(" term=")
		b.WriteString(strconv.Itoa(v.Term))
	}
	if v.Was > 0 {
		b.WriteString(" was=")
		b.WriteString(strconv.Itoa(v.Was))
	}
	if v.Entry.Index > 0 {
		b.WriteString(" entry=")
		b.WriteString(v.Entry.String())
	}
	if v.Want.Index > 0 {
		b.WriteString(" want=")
		b.WriteString(v.Want.String())
	}
	return b.String()
}

// mark summarizes a log position: the entry's term and a running hash of
// the whole log up to and including it, so that comparing two logs'
// prefixes costs one comparison.
type mark struct {
	term int
	hash uint64
}

type commitRec struct {
	mark
	inTerm int // the committing server's term when it was first committed
}

type applyRec struct {
	entry raft.Entry
	by    raft.ID
}

// maxViolations bounds how many violations are kept in detail; all are
// counted.
const maxViolations = 1000

// Monitor checks the invariants incrementally, after every event, from the
// nodes' events: it never scans a whole log. The simulator runs one over
// its cluster, and the explorer one in every state it reaches, so that
// both check exactly the same properties in exactly the same way.
//
// A driver hands it every event of every server in order (Observe), each
// change of a server's durable term (TermChanged), and each crash and
// restart. It keeps what the invariants need of the past: who led each
// term, what was committed, and in which term, and what was applied at
// each index, with a summary of every server's log.
type Monitor struct {
	n         int
	logs      [raft.MaxServers + 1]chunk.List[mark] // in chunks, so that checkpoints share them
	leaders   []raft.ID                             // by term
	committed []commitRec
	applied   []applyRec
	commit    [raft.MaxServers + 1]int // this incarnation's commitIndex
	leading   [raft.MaxServers + 1]int // the term a server leads now (0: it does not)
	found     []Violation
	counts    [numInvariants]int
}

// A Reporter hears of each violation as the monitor finds it: it may stamp
// it with the moment (Time, Seq). kept says whether v is the monitor's
// own record (the first maxViolations are kept in detail) or a copy.
type Reporter interface {
	Violated(v *Violation, kept bool)
}

// NewMonitor returns a monitor for a cluster of the given size in which
// nothing has happened yet.
func NewMonitor(servers int) *Monitor {
	m := &Monitor{}
	m.init(servers)
	return m
}

func (m *Monitor) init(n int) { m.n = n }

// Clone returns a copy of m that goes on independently.
func (m *Monitor) Clone() Monitor {
	var d Monitor
	m.CopyTo(&d)
	return d
}

// CopyTo makes d a copy of m that goes on independently, as Clone does,
// reusing what d held: the explorer copies a monitor for every move it
// tries.
func (m *Monitor) CopyTo(d *Monitor) {
	logs, leaders := d.logs, d.leaders[:0]
	*d = *m
	for i := range logs {
		if i >= 1 && i <= m.n {
			m.logs[i].CopyTo(&logs[i])
		} else {
			logs[i] = chunk.List[mark]{} // no such server
		}
	}
	d.logs = logs
	// leaders is written in place (a late leader of an older term), so it
	// is copied; the rest only ever grows at the end.
	d.leaders = append(leaders, m.leaders...)
	d.committed = m.committed[:len(m.committed):len(m.committed)]
	d.applied = m.applied[:len(m.applied):len(m.applied)]
	d.found = m.found[:len(m.found):len(m.found)]
}

// Restarted tells the monitor that server id restarted: its commitIndex
// starts again from 0.
func (m *Monitor) Restarted(id raft.ID) { m.commit[id] = 0 }

// Crashed tells the monitor that server id crashed: it leads no more.
func (m *Monitor) Crashed(id raft.ID) { m.leading[id] = 0 }

// Violations returns the violations found so far (at most the first 1000
// in detail).
func (m *Monitor) Violations() []Violation {
	return m.found[:len(m.found):len(m.found)]
}

// Count returns how many times invariant v was found broken.
func (m *Monitor) Count(v Invariant) int {
	if v >= numInvariants {
		return 0
	}
	return m.counts[v]
}

// Safe reports whether no invariant has been violated so far.
func (m *Monitor) Safe() bool { return m.counts == [numInvariants]int{} }

func entryHash(prev uint64, e *raft.Entry) uint64 {
	h := hasher(prev ^ uint64(fnvOffset))
	h.int(e.Term)
	h.int(b2i(e.Noop))
	h.str(e.Cmd)
	return uint64(h)
}

// violate records a violation and tells rep of it.
func (m *Monitor) violate(v Violation, rep Reporter) {
	m.counts[v.Kind]++
	kept := len(m.found) < maxViolations
	p := &v
	if kept {
		m.found = append(m.found, v)
		p = &m.found[len(m.found)-1]
	}
	if rep != nil {
		rep.Violated(p, kept)
	}
}

// Violated stamps a violation with the moment the cluster found it, and
// records it in the hash and the trace.
func (c *clusterReporter) Violated(v *Violation, kept bool) {
	v.Time, v.Seq = c.now, c.events
	c.hash.int(-10000 - int(v.Kind))
	if kept && !c.cfg.NoTrace {
		c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecViolation, Violation: v})
	}
}

// clusterReporter is the cluster as its monitor's Reporter.
type clusterReporter Cluster

func (c *Cluster) reporter() Reporter { return (*clusterReporter)(c) }

// TermChanged checks a server's durable term as it is written: it must
// never go down.
func (m *Monitor) TermChanged(id raft.ID, old, now int, rep Reporter) {
	if now < old {
		m.violate(Violation{Kind: TermMonotonic, Servers: []raft.ID{id}, Term: now, Was: old}, rep)
	}
}

// LogRestored tells the monitor that server id's log is, from index from
// on, its durable log again: it crashed before writing what its events
// had told (persist-before-send off, a crash after sending). The entries
// it is back to are checked as if appended anew.
func (m *Monitor) LogRestored(id raft.ID, durable raft.Log, from int, rep Reporter) {
	if k := from - 1; k < m.logs[id].Len() {
		m.logs[id].Truncate(k)
	}
	for i := m.logs[id].Len(); i < durable.Len(); i++ {
		e := durable.At(i)
		m.appended(id, &e, rep)
	}
}

// Observe checks the invariants that ev could break.
func (m *Monitor) Observe(ev *raft.Event, rep Reporter) {
	id := ev.Node
	switch ev.Kind {
	case raft.EvAppended:
		for i := range ev.Entries {
			m.appended(id, &ev.Entries[i], rep)
		}
	case raft.EvTruncated:
		if ev.Role == raft.Leader {
			m.violate(Violation{Kind: LeaderAppendOnly, Servers: []raft.ID{id}, Index: ev.Index, Term: ev.Term}, rep)
		}
		if k := ev.Index - 1; k < m.logs[id].Len() {
			m.logs[id].Truncate(k)
		}
	case raft.EvBecameLeader:
		m.leading[id] = ev.Term
		m.becameLeader(id, ev.Term, rep)
	case raft.EvBecameFollower, raft.EvBecameCandidate, raft.EvBecamePreCandidate:
		m.leading[id] = 0
	case raft.EvCommitted:
		m.committedTo(id, ev, rep)
	case raft.EvApplied:
		for i := range ev.Entries {
			m.appliedOne(id, &ev.Entries[i], rep)
		}
	}
}

func (m *Monitor) appended(id raft.ID, e *raft.Entry, rep Reporter) {
	log := &m.logs[id]
	if e.Index != log.Len()+1 {
		return // cannot happen: events arrive in log order
	}
	var prev uint64
	if log.Len() > 0 {
		prev = log.At(log.Len() - 1).hash
	}
	mk := mark{term: e.Term, hash: entryHash(prev, e)}
	log.Append(mk)
	// Log Matching, checked against every other log as it stands (crashed
	// servers' durable logs included). Report only where two logs first
	// diverge, not at every later index.
	for p := 1; p <= m.n; p++ {
		other := &m.logs[p]
		if raft.ID(p) == id || other.Len() < e.Index {
			continue
		}
		o := other.At(e.Index - 1)
		if o.term != mk.term || o.hash == mk.hash {
			continue
		}
		if e.Index > 1 {
			if a, b := other.At(e.Index-2), log.At(e.Index-2); a.term == b.term && a.hash != b.hash {
				continue // already diverged earlier
			}
		}
		m.violate(Violation{Kind: LogMatching, Servers: []raft.ID{id, raft.ID(p)}, Index: e.Index, Term: e.Term}, rep)
	}
}

func (m *Monitor) becameLeader(id raft.ID, term int, rep Reporter) {
	for len(m.leaders) <= term {
		m.leaders = append(m.leaders, raft.None)
	}
	if other := m.leaders[term]; other != raft.None && other != id {
		m.violate(Violation{Kind: ElectionSafety, Servers: []raft.ID{other, id}, Term: term}, rep)
	} else {
		m.leaders[term] = id
	}
	// Leader Completeness: the new leader must hold every entry committed
	// in an earlier term. Commit terms rise with the index in a safe run,
	// so find the last index committed before this term by bisection.
	lo, hi := 0, len(m.committed)
	for lo < hi {
		mid := (lo + hi) / 2
		if m.committed[mid].inTerm < term {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	m.checkHolds(id, term, lo, rep)
}

// checkHolds reports a Leader Completeness violation if leader id of term
// lacks the committed entries 1..k.
func (m *Monitor) checkHolds(id raft.ID, term, k int, rep Reporter) {
	if k == 0 {
		return
	}
	log := &m.logs[id]
	if log.Len() >= k && log.At(k-1).hash == m.committed[k-1].hash {
		return
	}
	// Find the first committed index it lacks, for the message.
	i := 1
	for i <= k && i <= log.Len() && log.At(i-1).hash == m.committed[i-1].hash {
		i++
	}
	m.violate(Violation{Kind: LeaderCompleteness, Servers: []raft.ID{id}, Index: i, Term: term,
		Want: raft.Entry{Index: i, Term: m.committed[i-1].term}}, rep)
}

func (m *Monitor) committedTo(id raft.ID, ev *raft.Event, rep Reporter) {
	if ev.Last < m.commit[id] {
		m.violate(Violation{Kind: CommitMonotonic, Servers: []raft.ID{id}, Index: ev.Last, Was: m.commit[id]}, rep)
	}
	m.commit[id] = ev.Last
	log := &m.logs[id]
	first := len(m.committed) + 1
	for i := first; i <= ev.Last && i <= log.Len(); i++ {
		m.committed = append(m.committed, commitRec{mark: log.At(i - 1), inTerm: ev.Term})
	}
	if len(m.committed) < first {
		return
	}
	// A leader of a later term elected before this commit must hold it too.
	for p := 1; p <= m.n; p++ {
		if t := m.leading[p]; t > ev.Term {
			m.checkHolds(raft.ID(p), t, len(m.committed), rep)
		}
	}
}

func (m *Monitor) appliedOne(id raft.ID, e *raft.Entry, rep Reporter) {
	if e.Index <= len(m.applied) {
		r := &m.applied[e.Index-1]
		if r.entry.Term != e.Term || r.entry.Cmd != e.Cmd || r.entry.Noop != e.Noop {
			m.violate(Violation{Kind: StateMachineSafety, Servers: []raft.ID{r.by, id}, Index: e.Index, Term: e.Term,
				Entry: *e, Want: r.entry}, rep)
		}
		return
	}
	if e.Index == len(m.applied)+1 {
		m.applied = append(m.applied, applyRec{entry: *e, by: id})
	}
}

// monitor is the cluster's monitor: the invariants' Monitor, and the
// records of what happened and of client requests that lessons and the
// page read, which follow the cluster into checkpoints with it.
type monitor struct {
	Monitor
	happened happened // for history conditions (happened.go)
	requests requests // client requests and their answers (requests.go)
}

func (m *monitor) clone() monitor {
	return monitor{Monitor: m.Monitor.Clone(), happened: m.happened.clone(), requests: m.requests.clone()}
}

// observe records ev and checks the invariants it could break.
func (c *Cluster) observe(ev *raft.Event) {
	m := &c.mon
	m.happened.observe(c.now, ev)
	m.requests.observe(c.now, ev)
	m.Observe(ev, c.reporter())
}

// Violations returns the violations found so far (at most the first 1000
// in detail).
func (c *Cluster) Violations() []Violation { return c.mon.Violations() }

// ViolationCount returns how many times invariant v was found broken.
func (c *Cluster) ViolationCount(v Invariant) int { return c.mon.Count(v) }

// Safe reports whether no invariant has been violated so far.
func (c *Cluster) Safe() bool { return c.mon.Safe() }
