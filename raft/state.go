package raft

import (
	"encoding/binary"
	"errors"
	"strconv"
)

// This file holds a node's state as bytes: a canonical encoding, for a
// driver that must tell whether two nodes are in the same state (the
// explorer, which searches a cluster's states and keeps each only once),
// and the node rebuilt from it.
//
// Two nodes of one cluster and configuration with equal encodings behave
// alike: given the same inputs they send the same messages, make the same
// durable state and report the same decisions. Time is left out, on
// purpose: the clock, the timers' deadlines and the random source that
// draws them, the "heard from a leader recently" of prevote and
// vote-lease, check-quorum's record of who answered and when a transfer
// is given up. So is what a node only reports: the leader a
// follower last heard from (the hint a refused client gets) and the commit
// index it last reported held back. A driver that fires timers by hand
// (FireElectionTimer, FireHeartbeat) and leaves prevote, check-quorum and
// vote-lease off sees no difference; with them on, equal encodings may still differ
// in time.

// Renaming gives each server the name it takes in an encoding: a
// permutation of the cluster's servers (None stays None). The explorer
// encodes a state under each renaming that could make it smallest, so
// that states equal up to the servers' names are kept once.
type Renaming [MaxServers + 1]ID

func (r *Renaming) of(id ID) ID {
	if r == nil {
		return id
	}
	return r[id]
}

// AppendState appends the node's state to b in canonical form, with every
// server named as names says (nil: as they are), and returns the extended
// slice. It encodes the persistent state (term, vote, log), the role, the
// commit and applied indexes, a candidate's votes and a leader's progress
// for each server (nextIndex, matchIndex and the highest index sent), in
// the renamed servers' order, and the server a leader is handing
// leadership to. Call it between inputs, once Ready has been taken.
func (n *Node) AppendState(b []byte, names *Renaming) []byte {
	// A leader's transfer under way shares the role's byte (a role takes
	// two bits), so that every other state encodes as it did before
	// transfers existed.
	b = append(b, byte(n.role)|byte(names.of(n.transferee))<<4, byte(names.of(n.vote)))
	b = binary.AppendUvarint(b, uint64(n.term))
	b = binary.AppendUvarint(b, uint64(n.commit))
	b = binary.AppendUvarint(b, uint64(n.applied))
	b = binary.AppendUvarint(b, uint64(n.log.Len()))
	for i := range n.log.Len() {
		b = AppendEntry(b, n.log.At(i))
	}
	switch n.role {
	case Candidate, PreCandidate:
		var votes uint16
		for _, p := range n.peers {
			if n.votes&(1<<p) != 0 {
				votes |= 1 << names.of(p)
			}
		}
		b = binary.AppendUvarint(b, uint64(votes))
	case Leader:
		// By new name: the renamed servers are the same set of ids.
		var was Renaming
		for _, p := range n.peers {
			was[names.of(p)] = p
		}
		for _, p := range n.peers {
			pr := &n.prs[was[p]]
			b = binary.AppendUvarint(b, uint64(pr.next))
			b = binary.AppendUvarint(b, uint64(pr.match))
			b = binary.AppendUvarint(b, uint64(pr.sent))
		}
	}
	return b
}

// AppendEntry appends an entry in canonical form to b, without its index,
// which its place gives: the term, then the command's length plus one (0
// for a no-op) and the command.
func AppendEntry(b []byte, e Entry) []byte {
	b = binary.AppendUvarint(b, uint64(e.Term))
	if e.Noop {
		return append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Cmd))+1)
	return append(b, e.Cmd...)
}

// AppendMessage appends m in canonical form to b, its servers named as
// names says (nil: as they are): the type, sender and receiver, term and
// the fields of its type (see Message).
func AppendMessage(b []byte, m *Message, names *Renaming) []byte {
	// A RequestVote's transfer flag shares the type's byte, so that every
	// other message encodes as it did before transfers existed.
	b = append(b, byte(m.Type)|b2u8(m.Transfer)<<7, byte(names.of(m.From)), byte(names.of(m.To)))
	b = binary.AppendUvarint(b, uint64(m.Term))
	switch m.Type {
	case MsgVote, MsgPreVote:
		b = binary.AppendUvarint(b, uint64(m.LastIndex))
		b = binary.AppendUvarint(b, uint64(m.LastTerm))
	case MsgApp:
		b = binary.AppendUvarint(b, uint64(m.PrevIndex))
		b = binary.AppendUvarint(b, uint64(m.PrevTerm))
		b = binary.AppendUvarint(b, uint64(m.Commit))
		b = binary.AppendUvarint(b, uint64(len(m.Entries)))
		for _, e := range m.Entries {
			b = AppendEntry(b, e)
		}
	case MsgVoteResp, MsgPreVoteResp:
		b = append(b, b2u8(m.Reject))
	case MsgAppResp:
		b = append(b, b2u8(m.Reject))
		b = binary.AppendUvarint(b, uint64(m.PrevIndex))
		b = binary.AppendUvarint(b, uint64(m.Match))
		b = binary.AppendUvarint(b, uint64(m.HintTerm))
		b = binary.AppendUvarint(b, uint64(m.HintIndex))
	}
	return b
}

func b2u8(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// stateReader reads an encoding, remembering the first thing wrong.
type stateReader struct {
	b   []byte
	err error
}

func (r *stateReader) fail(what string) {
	if r.err == nil {
		r.err = errors.New("raft: bad state encoding: " + what)
	}
}

func (r *stateReader) byte() byte {
	if len(r.b) == 0 {
		r.fail("too short")
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *stateReader) flag() bool {
	c := r.byte()
	if c > 1 {
		r.fail("a flag of " + strconv.Itoa(int(c)))
	}
	return c == 1
}

// num reads a number in 0..limit.
func (r *stateReader) num(limit int) int {
	v, k := binary.Uvarint(r.b)
	if k <= 0 {
		r.fail("too short")
		return 0
	}
	if k > 1 && r.b[k-1] == 0 {
		r.fail("a number written long") // so that one state has one encoding
		return 0
	}
	r.b = r.b[k:]
	if v > uint64(limit) {
		r.fail(strconv.FormatUint(v, 10) + " out of range 0.." + strconv.Itoa(limit))
		return 0
	}
	return int(v)
}

// ReadEntry reads an entry encoded by AppendEntry and gives it index i; it
// returns the rest of b.
func ReadEntry(b []byte, i int) (Entry, []byte, error) {
	r := stateReader{b: b}
	e := r.entry(i)
	return e, r.b, r.err
}

func (r *stateReader) entry(i int) Entry {
	e := Entry{Index: i, Term: r.num(MaxTerm)}
	k := r.num(len(r.b))
	if k == 0 {
		e.Noop = true
		return e
	}
	if k-1 > len(r.b) {
		r.fail("command past the end")
		return e
	}
	e.Cmd = string(r.b[:k-1])
	r.b = r.b[k-1:]
	return e
}

// ReadMessage reads a message written by AppendMessage (with names nil)
// and returns the rest of b. Its entries are a slice of their own. A
// message read is as the encoding says, not checked as Step checks it.
func ReadMessage(b []byte) (Message, []byte, error) {
	r := stateReader{b: b}
	t := r.byte()
	m := Message{Type: MsgType(t &^ 0x80), Transfer: t&0x80 != 0, From: ID(r.byte()), To: ID(r.byte()), Term: r.num(MaxTerm)}
	if m.Transfer && m.Type != MsgVote {
		r.fail("a transfer flag on " + m.Type.String())
	}
	switch m.Type {
	case MsgVote, MsgPreVote:
		m.LastIndex, m.LastTerm = r.num(MaxIndex), r.num(MaxTerm)
	case MsgTimeoutNow:
	case MsgApp:
		m.PrevIndex, m.PrevTerm, m.Commit = r.num(MaxIndex), r.num(MaxTerm), r.num(MaxIndex)
		if k := r.num(len(r.b)); k > 0 {
			m.Entries = make([]Entry, k)
			for i := range m.Entries {
				m.Entries[i] = r.entry(m.PrevIndex + 1 + i)
			}
		}
	case MsgVoteResp, MsgPreVoteResp:
		m.Reject = r.flag()
	case MsgAppResp:
		m.Reject = r.flag()
		m.PrevIndex, m.Match, m.HintTerm, m.HintIndex = r.num(MaxIndex), r.num(MaxIndex), r.num(MaxTerm), r.num(MaxIndex)
	default:
		r.fail("message type " + strconv.Itoa(int(m.Type)))
	}
	if m.From > MaxServers || m.To > MaxServers {
		r.fail("no server " + strconv.Itoa(int(max(m.From, m.To))))
	}
	if r.err != nil {
		return Message{}, b, r.err
	}
	return m, r.b, nil
}

// LoadState makes a node of configuration cfg in the state that b encodes
// (written by AppendState with names nil) and returns it with the rest of
// b. What the encoding leaves out starts afresh: the clock at 0, a fresh
// election timer on a follower or candidate, a heartbeat an interval away
// on a leader (and an election timeout for check-quorum, and for a
// transfer under way), no leader known to a follower. The node has nothing to
// hand out in Ready. Like Step, it does not panic on bad input: an
// encoding that no node could have written is an error.
func LoadState(cfg Config, b []byte) (*Node, []byte, error) {
	if err := cfg.validate(); err != nil {
		return nil, b, err
	}
	n := newNode(cfg, HardState{}, Log{})
	rest, err := n.Load(b)
	if err != nil {
		return nil, b, err
	}
	return n, rest, nil
}

// Load puts n in the state that b encodes, as LoadState makes a new node,
// keeping n's configuration, rules and random source and reusing its
// buffers (what it handed out in a Ready is no longer valid), and returns
// the rest of b. A driver that takes up states by the million (the
// explorer) reuses its nodes this way. On an error, n is unchanged.
func (n *Node) Load(b []byte) ([]byte, error) {
	r := stateReader{b: b}
	rb := r.byte()
	role, transferee := Role(rb&0x0f), ID(rb>>4)
	hs := HardState{Vote: ID(r.byte())}
	hs.Term = r.num(MaxTerm)
	commit, applied := r.num(MaxIndex), r.num(MaxIndex)
	var log Log
	for i := range r.num(len(r.b)) {
		log.Append(r.entry(i + 1))
		if r.err != nil {
			break
		}
	}
	if r.err == nil && role > PreCandidate {
		r.fail("role " + strconv.Itoa(int(role)))
	}
	if r.err == nil && transferee != None && (role != Leader || transferee == n.id || !isIn(transferee, n.peers)) {
		r.fail("a " + role.String() + " handing leadership to " + transferee.String())
	}
	if r.err != nil {
		return b, r.err
	}
	if err := checkDurable(&n.cfg, hs, &log); err != nil {
		return b, err
	}
	var votes uint16
	var prs [MaxServers + 1]progress
	switch role {
	case Candidate, PreCandidate:
		votes = uint16(r.num(1<<(MaxServers+1) - 1))
		for id := range ID(MaxServers + 1) {
			if votes&(1<<id) != 0 && !isIn(id, n.peers) {
				r.fail("a vote from " + id.String() + ", which is not a server of this cluster")
			}
		}
	case Leader:
		for _, p := range n.peers {
			prs[p] = progress{next: r.num(MaxIndex), match: r.num(MaxIndex), sent: r.num(MaxIndex)}
		}
	}
	if r.err != nil {
		return b, r.err
	}
	*n = Node{
		id: n.id, peers: n.peers, cfg: n.cfg, rules: n.rules, rng: n.rng, rnd: n.rnd,
		term: hs.Term, vote: hs.Vote, log: log,
		role: role, commit: commit, applied: applied, votes: votes, prs: prs, transferee: transferee,
		msgs: n.msgs[:0], events: n.events[:0], applyBuf: n.applyBuf[:0],
	}
	if role == Leader {
		n.leader = n.id
		n.heartbeatAt = n.cfg.Heartbeat
		n.transferAt = n.cfg.ElectionMin
	} else {
		n.resetElectionTimer()
	}
	return r.b, nil
}
