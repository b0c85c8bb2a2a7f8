package bridge

import (
	"raftplay/raft"
	"raftplay/raft/sim"
)

// The timeline's marks: the moments of a run worth finding again. They
// come from the trace (elections won, crashes and restarts, partitions and
// heals, safety violations) and from the script (its pauses and
// questions). A session keeps the marks it has read, so that after a seek
// back the timeline still shows the future already run, and it reads each
// trace record once: a call costs what happened since the last one.

// Limits on the marks kept and sent.
const (
	MaxMarks     = 10_000 // kept per cluster; past it the oldest half goes
	MaxMarksSent = 2_000  // per Marks call; the page asks again for the rest
	// markEpoch splits a Marks cursor into an epoch (bumped whenever marks
	// the page has were withdrawn) and a position in the list.
	markEpoch = 1 << 26
)

// mark is one moment of the run: kind, at virtual time t, for trace
// record at; server, to, term and what as the kind has them.
type mark struct {
	kind       string
	t, at      int
	server, to raft.ID
	term       int
	what       string
}

// markLog is what a session has read of its run's marks.
type markLog struct {
	list  []mark // in the order of the trace
	epoch int
	read  int // the trace has been read up to this record
	forks int // the cluster's forks accounted for
}

// sync reads what the trace holds beyond what was read, after dropping
// the marks of a future that acting in the past replaced.
func (m *markLog) sync(c *sim.Cluster) {
	if forks := c.Forks(); len(forks) > m.forks {
		cut := forks[m.forks]
		for _, f := range forks[m.forks+1:] {
			cut = min(cut, f)
		}
		m.forks = len(forks)
		k := len(m.list)
		for k > 0 && m.list[k-1].at >= cut {
			k--
		}
		if k < len(m.list) {
			m.list = m.list[:k]
			m.epoch++
		}
		m.read = min(m.read, cut)
	}
	n := c.TraceLen()
	for i := max(m.read, c.TraceStart()); i < n; {
		recs := c.TraceRange(i, min(n, i+4096))
		for j := range recs {
			if k, ok := markOf(&recs[j]); ok {
				k.at = i + j
				m.list = append(m.list, k)
			}
		}
		i += len(recs)
		if len(recs) == 0 {
			break
		}
	}
	m.read = max(m.read, n)
	if len(m.list) > MaxMarks {
		m.list = append(m.list[:0:0], m.list[len(m.list)-MaxMarks/2:]...)
		m.epoch++
	}
}

// markOf says whether a trace record is a mark, and which.
func markOf(r *sim.Record) (mark, bool) {
	k := mark{t: r.Time}
	switch r.Kind {
	case sim.RecEvent:
		if r.Event.Kind != raft.EvBecameLeader {
			return k, false
		}
		k.kind, k.server, k.term = "leader", r.Event.Node, r.Event.Term
	case sim.RecViolation:
		v := r.Violation
		k.kind, k.what, k.term = "violation", v.Kind.String(), v.Term
		if len(v.Servers) > 0 {
			k.server = v.Servers[0]
		}
	case sim.RecAction:
		a := r.Action
		switch a.Kind {
		case sim.ActCrash:
			k.kind, k.server = "crash", a.Server
		case sim.ActRestart:
			k.kind, k.server = "restart", a.Server
		case sim.ActPartition:
			k.kind = "partition"
		case sim.ActIsolate:
			k.kind, k.what, k.server = "partition", "isolate", a.Server
		case sim.ActLinkDown:
			k.kind, k.what, k.server, k.to = "partition", linkWhat(a), a.From, a.To
		case sim.ActHeal:
			k.kind = "heal"
		case sim.ActLinkUp:
			k.kind, k.what, k.server, k.to = "heal", linkWhat(a), a.From, a.To
		default:
			return k, false
		}
	default:
		return k, false
	}
	return k, true
}

// linkWhat names a link's mark: "link" one way, "link-both" both ways.
func linkWhat(a *sim.Action) string {
	if a.Both {
		return "link-both"
	}
	return "link"
}

// Marks returns the run's marks from cursor on (0: from the first): the
// moments the timeline shows, {t, kind} with server (S1 is 1), to, term
// and what as the kind has them. Kinds: "leader" (server won the election
// of term), "crash" and "restart" (server), "partition" (a partition; what
// "isolate": server isolated; what "link": the link server->to cut;
// "link-both": the link cut both ways), "heal" (every cut healed; what
// "link", "link-both": that link up again),
// "violation" (what: the invariant; server: the first involved). It says
// cursor, the cursor to ask from next time, and more when marks were
// left for the next call. A cursor whose marks no longer hold (acting in
// the past replaced the future they were in) gets "reset": true and the
// marks from the first. "stops" is every pause and question of the
// script reached so far, {t, kind: "pause"|"question", line}, always
// whole (they are few). Marks beyond the present (after a seek back) are
// those of the future already run.
func (b *Bridge) Marks(id int, cursor int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	m := &s.marks
	m.sync(s.r.Cluster)
	pos, reset := cursor%markEpoch, false
	if cursor < 0 || cursor/markEpoch != m.epoch || pos > len(m.list) {
		pos, reset = 0, true
	}
	end := min(len(m.list), pos+MaxMarksSent)
	var w jsonw
	w.obj()
	w.kint("cursor", m.epoch*markEpoch+end)
	w.kbool("reset", reset)
	if end < len(m.list) {
		w.kbool("more", true)
	}
	w.key("marks")
	w.arr()
	for _, k := range m.list[pos:end] {
		w.obj()
		w.kint("t", k.t)
		w.kstr("kind", k.kind)
		if k.server != 0 {
			w.kint("server", int(k.server))
		}
		if k.to != 0 {
			w.kint("to", int(k.to))
		}
		if k.term != 0 {
			w.kint("term", k.term)
		}
		if k.what != "" {
			w.kstr("what", k.what)
		}
		w.endObj()
	}
	w.endArr()
	w.key("stops")
	w.arr()
	for _, st := range s.r.Stops() {
		w.obj()
		w.kint("t", st.Time)
		w.kstr("kind", st.Kind.String())
		w.kint("line", st.Pos.Line)
		w.endObj()
	}
	w.endArr()
	w.endObj()
	return w.String()
}
