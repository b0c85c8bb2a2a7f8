package explore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"strconv"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// server is one server of a state: a running node, or, while it is down,
// the durable state it left, exactly as the simulator keeps it.
type server struct {
	node *raft.Node     // nil while down
	hs   raft.HardState // durable: kept in step with the node while it runs
	log  raft.Log       // the durable log while down (a read-only view)
	// armed: up, and to crash after it sends at its next step that
	// produces anything, losing that step's durable writes (the move
	// CrashAfterSend, with persist-before-send off).
	armed bool
}

// state is one state of the search: every server, the messages in flight
// (a bag: their order means nothing) and the monitor's record of the
// past, with what the bounds count so far. A state is never changed once
// its successors may share its nodes: a move works on a copy of the one
// node it touches.
type state struct {
	servers                     [MaxServers + 1]server
	msgs                        []raft.Message
	mon                         *sim.Monitor
	requests, crashes, restarts int
	// monShared: mon is the monitor of the state this one came from,
	// to be copied before it changes; keep: copy it into one of its own,
	// not into the search's scratch (see take).
	monShared, keep bool
}

// lastIndex is a server's log length, up or down.
func (sv *server) lastIndex() int {
	if sv.node != nil {
		return sv.node.LastIndex()
	}
	return sv.log.Len()
}

// entries returns a server's whole log (shared: do not modify).
func (sv *server) entries() []raft.Entry {
	if sv.node != nil {
		return sv.node.Log(1, sv.node.LastIndex())
	}
	return sv.log.Slice(0, sv.log.Len())
}

// nodeConfig is server id's configuration: the simulator's timings (which
// never come into play: time is abstracted away), the rules in force.
func (x *search) nodeConfig(id raft.ID) raft.Config {
	d := sim.DefaultConfig()
	return raft.Config{
		ID:          id,
		Peers:       x.peers,
		ElectionMin: d.ElectionMin,
		ElectionMax: d.ElectionMax,
		Heartbeat:   d.Heartbeat,
		MaxEntries:  x.bounds.Batch,
		Rules:       x.rules,
		Rand:        rand.NewPCG(1, uint64(id)),
	}
}

// collect takes what server id's node produced, as the simulator does:
// persist (checking that the durable term never goes down), hand every
// event to the monitor, put the messages in flight. A server armed to
// crash after it sends does not persist: it sends, then crashes with
// durable, its log before the step, and its term and vote as they were.
func (x *search) collect(s *state, id raft.ID, durable raft.Log) {
	sv := &s.servers[id]
	if !sv.node.HasReady() {
		return
	}
	rd := sv.node.Ready()
	if rd.HardStateChanged || len(rd.Events) > 0 || sv.armed {
		x.ownMonitor(s)
	}
	if rd.HardStateChanged && !sv.armed {
		s.mon.TermChanged(id, sv.hs.Term, rd.HardState.Term, &x.rep)
		sv.hs = rd.HardState
	}
	for i := range rd.Events {
		s.mon.Observe(&rd.Events[i], &x.rep)
	}
	s.msgs = append(s.msgs, rd.Messages...)
	if sv.armed {
		sv.node, sv.log, sv.armed = nil, durable, false
		s.mon.Crashed(id)
		// The monitor's summary of the server's log follows the disk:
		// the entries the step appended (or removed) never got there.
		s.mon.Resume(id, durable.Slice(0, durable.Len()), 0, 0)
	}
}

// armed returns the server armed to crash after it sends, if any (at most
// one is: see moves).
func (s *state) armed() raft.ID {
	for id := range s.servers {
		if s.servers[id].armed {
			return raft.ID(id)
		}
	}
	return raft.None
}

// encode appends s to b canonically, with every server named as names
// says (nil: as they are): the counts the bounds limit, each server in the
// order of its new name, the messages in flight sorted, the monitor's
// record of the past. Two states encode alike exactly when they are the
// same state up to time: the same servers in the same states, the same
// messages in flight and the same past as far as the invariants go.
func (x *search) encode(b []byte, s *state, names *raft.Renaming) []byte {
	b = binary.AppendUvarint(b, uint64(s.requests))
	b = binary.AppendUvarint(b, uint64(s.crashes))
	b = binary.AppendUvarint(b, uint64(s.restarts))
	var was [raft.MaxServers + 1]raft.ID
	for _, id := range x.peers {
		was[rename(names, id)] = id
	}
	for _, id := range x.peers {
		sv := &s.servers[was[id]]
		if sv.node != nil {
			b = append(b, 1+b2i(sv.armed))
			b = sv.node.AppendState(b, names)
			continue
		}
		// A crashed server is its durable state. With persist-vote off
		// the vote it wrote is forgotten at restart, so it is no part
		// of the state.
		vote := sv.hs.Vote
		if !x.rules.Has(raft.PersistVote) {
			vote = raft.None
		}
		b = append(b, 0, byte(rename(names, vote)))
		b = binary.AppendUvarint(b, uint64(sv.hs.Term))
		b = binary.AppendUvarint(b, uint64(sv.log.Len()))
		for i := range sv.log.Len() {
			b = raft.AppendEntry(b, sv.log.At(i))
		}
	}
	b = x.appendBag(b, s.msgs, names)
	return s.mon.AppendHistory(b, names)
}

// appendBag appends the messages in flight, each encoded, in the order of
// their encodings: a bag has no order of its own.
func (x *search) appendBag(b []byte, msgs []raft.Message, names *raft.Renaming) []byte {
	b = binary.AppendUvarint(b, uint64(len(msgs)))
	buf, spans := x.msgBuf[:0], x.spans[:0]
	for i := range msgs {
		start := len(buf)
		buf = raft.AppendMessage(buf, &msgs[i], names)
		sp := span{start, len(buf)}
		// insertion sort: a handful of messages
		j := len(spans)
		spans = append(spans, sp)
		for j > 0 && bytes.Compare(buf[spans[j-1].lo:spans[j-1].hi], buf[sp.lo:sp.hi]) > 0 {
			spans[j] = spans[j-1]
			j--
		}
		spans[j] = sp
	}
	for _, sp := range spans {
		b = append(b, buf[sp.lo:sp.hi]...)
	}
	x.msgBuf, x.spans = buf, spans
	return b
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// span is a piece of a buffer, lo up to hi.
type span struct{ lo, hi int }

func rename(names *raft.Renaming, id raft.ID) raft.ID {
	if names == nil {
		return id
	}
	return names[id]
}

// decode rebuilds a state from its encoding (written with names nil). With
// reuse, the state is the search's own (x.parent), its nodes and monitor
// reused: it is good until the next decode with reuse.
func (x *search) decode(b []byte, reuse bool) (*state, error) {
	s := &state{}
	if reuse {
		s = &x.parent
		*s = state{msgs: s.msgs[:0]}
	}
	r := reader{b: b}
	s.requests, s.crashes, s.restarts = r.num(), r.num(), r.num()
	for _, id := range x.peers {
		sv := &s.servers[id]
		if up := r.byte(); up == 1 || up == 2 {
			sv.armed = up == 2
			var err error
			n := x.parentNodes[id]
			if reuse && n != nil {
				r.b, err = n.Load(r.b)
			} else {
				n, r.b, err = raft.LoadState(x.nodeConfig(id), r.b)
				if reuse {
					x.parentNodes[id] = n
				}
			}
			if err != nil {
				return nil, err
			}
			sv.node, sv.hs = n, n.HardState()
			continue
		}
		sv.hs.Vote = raft.ID(r.byte())
		sv.hs.Term = r.num()
		for i := range r.num() {
			e, rest, err := raft.ReadEntry(r.b, i+1)
			if err != nil {
				return nil, err
			}
			r.b = rest
			sv.log.Append(e)
		}
	}
	if k := r.num(); k > 0 && r.err == nil {
		for range k {
			m, rest, err := raft.ReadMessage(r.b)
			if err != nil {
				return nil, err
			}
			s.msgs, r.b = append(s.msgs, m), rest
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if reuse {
		// LoadHistory and Resume below leave nothing of the state before.
		if x.parentMon == nil {
			x.parentMon = sim.NewMonitor(len(x.peers))
		}
		s.mon = x.parentMon
	} else {
		s.mon = sim.NewMonitor(len(x.peers))
	}
	if _, err := s.mon.LoadHistory(r.b); err != nil {
		return nil, err
	}
	for _, id := range x.peers {
		sv := &s.servers[id]
		commit, leads := 0, 0
		if sv.node != nil {
			commit = sv.node.Commit()
			if sv.node.Role() == raft.Leader {
				leads = sv.node.Term()
			}
		}
		s.mon.Resume(id, sv.entries(), commit, leads)
	}
	return s, nil
}

// reader reads the explorer's own numbers and bytes from an encoding.
type reader struct {
	b   []byte
	err error
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.err = errBadState
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) num() int {
	v, k := binary.Uvarint(r.b)
	if k <= 0 || v > raft.MaxIndex {
		r.err = errBadState
		return 0
	}
	r.b = r.b[k:]
	return int(v)
}

var errBadState = errors.New("explore: a state's encoding is corrupt")

// within reports whether s lies within the bounds that a move can cross:
// terms, log lengths and messages in flight. (Requests, crashes and
// restarts are counted before a move is offered.) A message's term and
// entries count too: a server that crashed after sending lost the term or
// the entries that its messages still carry.
func (x *search) within(s *state) bool {
	if len(s.msgs) > x.bounds.InFlight {
		return false
	}
	for i := range s.msgs {
		m := &s.msgs[i]
		if m.Term > x.bounds.Terms || len(m.Entries) > 0 && m.Entries[len(m.Entries)-1].Index > x.bounds.Log {
			return false
		}
	}
	for _, id := range x.peers {
		sv := &s.servers[id]
		if sv.hs.Term > x.bounds.Terms || sv.lastIndex() > x.bounds.Log {
			return false
		}
	}
	return true
}

// beyond says which bound s lies beyond, for a start state that does.
func (x *search) beyond(s *state) string {
	for _, id := range x.peers {
		sv := &s.servers[id]
		if sv.hs.Term > x.bounds.Terms {
			return id.String() + "'s term is " + strconv.Itoa(sv.hs.Term) + " (terms=" + strconv.Itoa(x.bounds.Terms) + ")"
		}
		if sv.lastIndex() > x.bounds.Log {
			n := sv.lastIndex()
			words := " entries"
			if n == 1 {
				words = " entry"
			}
			return id.String() + "'s log holds " + strconv.Itoa(n) + words + " (log=" + strconv.Itoa(x.bounds.Log) + ")"
		}
	}
	if len(s.msgs) > x.bounds.InFlight {
		return strconv.Itoa(len(s.msgs)) + " messages are in flight (inflight=" + strconv.Itoa(x.bounds.InFlight) + ")"
	}
	return ""
}
