package sim

import (
	"encoding/binary"
	"errors"

	"raftplay/raft"
	"raftplay/raft/chunk"
)

// This file holds the monitor's record of the past as bytes, for the
// explorer: a state of its search is the servers' states and this record,
// so that two states with different pasts, which the invariants would
// judge differently from then on, are never taken for one.

// AppendHistory appends to b, canonically and with every server named as
// names says (nil: as they are), what the monitor remembers of the past:
// who led each term, each committed index's entry term, log hash and the
// term it was committed in, and the entry applied at each index. What it
// knows of the present is left out, since the servers' own state gives it
// (see Resume), and so are the violations found, and which server was the
// first to apply each entry (which only names a server in a violation).
func (m *Monitor) AppendHistory(b []byte, names *raft.Renaming) []byte {
	b = binary.AppendUvarint(b, uint64(len(m.leaders)))
	for _, id := range m.leaders {
		if names != nil {
			id = names[id]
		}
		b = append(b, byte(id))
	}
	b = binary.AppendUvarint(b, uint64(len(m.committed)))
	for i := range m.committed {
		r := &m.committed[i]
		b = binary.AppendUvarint(b, uint64(r.term))
		b = binary.AppendUvarint(b, uint64(r.inTerm))
		b = binary.LittleEndian.AppendUint64(b, r.hash)
	}
	b = binary.AppendUvarint(b, uint64(len(m.applied)))
	for i := range m.applied {
		b = raft.AppendEntry(b, m.applied[i].entry)
	}
	return b
}

// LoadHistory replaces the monitor's record of the past with the one that
// b encodes (written by AppendHistory with names nil) and returns the rest
// of b. The servers' present must then be given with Resume; violations
// found before are forgotten.
func (m *Monitor) LoadHistory(b []byte) ([]byte, error) {
	bad := errors.New("sim: bad monitor history")
	num := func() int {
		v, k := binary.Uvarint(b)
		if k <= 0 || v > raft.MaxIndex {
			b = nil
			return -1
		}
		b = b[k:]
		return int(v)
	}
	n := num()
	if n < 0 || n > len(b) {
		return nil, bad
	}
	m.leaders = make([]raft.ID, n)
	for i := range m.leaders {
		m.leaders[i] = raft.ID(b[i])
		if m.leaders[i] > raft.ID(m.n) {
			return nil, bad
		}
	}
	b = b[n:]
	n = num()
	if n < 0 || n > len(b) {
		return nil, bad
	}
	m.committed = make([]commitRec, n)
	for i := range m.committed {
		r := &m.committed[i]
		r.term, r.inTerm = num(), num()
		if r.term < 0 || r.inTerm < 0 || len(b) < 8 {
			return nil, bad
		}
		r.hash = binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	n = num()
	if n < 0 || n > len(b) {
		return nil, bad
	}
	m.applied = make([]applyRec, n)
	for i := range m.applied {
		e, rest, err := raft.ReadEntry(b, i+1)
		if err != nil {
			return nil, bad
		}
		m.applied[i], b = applyRec{entry: e}, rest
	}
	m.found, m.counts = nil, [numInvariants]int{}
	return b, nil
}

// Resume tells the monitor where server id stands now: its log (the
// durable one if it is down), its commitIndex in this incarnation (0 if it
// is down) and the term it leads (0 if it does not lead).
func (m *Monitor) Resume(id raft.ID, log []raft.Entry, commit, leads int) {
	l := &m.logs[id]
	*l = chunk.List[mark]{}
	var h uint64
	for i := range log {
		h = entryHash(h, &log[i])
		l.Append(mark{term: log[i].Term, hash: h})
	}
	m.commit[id], m.leading[id] = commit, leads
}
