package explore

import (
	"bytes"
	"encoding/binary"

	"raftplay/raft"
)

// Symmetry reduction. Servers are interchangeable: the engine treats
// every server alike, each move can be made by any of them, the bounds
// count moves for the cluster as a whole and the invariants name no
// server in particular. So a state and the same state with the servers
// renamed lead to the same states renamed, and one is broken exactly when
// the other is: the search keeps one of each such family. It fingerprints
// a state's canonical form, the smallest of its encodings under every
// renaming, and keeps (and expands) the state as it found it, so that the
// way back to the start is a real run and needs no renaming.
//
// That holds from any start state, symmetric or not: the path found is a
// run from the start, and a state's family is reached in as few steps as
// its nearest member (renaming a run's states gives a run of its own from
// the start's renaming, which the family of the start contains).
//
// Trying all n! renamings of every state would cost more than it saves;
// a renaming can only give the smallest encoding if it orders the servers
// by a signature that renaming does not change (what a server's own state
// and the messages to and from it say without naming anyone), so only the
// orderings of servers with equal signatures are tried.

// canonical returns the fingerprint of s's canonical form and leaves s's
// encoding under the servers' own names in x.own (encoding it only if
// asked: see own).
func (x *search) canonical(s *state) uint64 {
	x.ownValid = false
	if !x.Symmetry {
		x.own = x.encode(x.own[:0], s, nil)
		x.ownValid = true
		return fingerprint(x.own)
	}
	x.signatures(s)
	// Order the servers by signature (ties by id: any order will do, as
	// every ordering of a tie is tried).
	n := len(x.peers)
	order := x.order[:0]
	for _, id := range x.peers {
		j := len(order)
		order = append(order, id)
		for j > 0 && x.sig[order[j-1]] > x.sig[id] {
			order[j] = order[j-1]
			j--
		}
		order[j] = id
	}
	x.order = order
	// Each position's class: the run of equal signatures it falls in.
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && x.sig[order[hi]] == x.sig[order[lo]] {
			hi++
		}
		for k := lo; k < hi; k++ {
			x.classLo[k], x.classHi[k] = lo, hi
		}
		lo = hi
	}
	x.best = x.best[:0]
	x.bestIsOwn = false
	x.used = [raft.MaxServers + 1]bool{}
	x.tryRenamings(s, 0)
	return fingerprint(x.best)
}

// tryRenamings gives position pos, and every later one, each server of its
// class not named yet, and keeps the smallest encoding.
func (x *search) tryRenamings(s *state, pos int) {
	if pos == len(x.peers) {
		x.cand = x.encode(x.cand[:0], s, &x.names)
		if len(x.best) == 0 || bytes.Compare(x.cand, x.best) < 0 {
			x.best, x.cand = x.cand, x.best
			x.bestIsOwn = true
			for _, id := range x.peers {
				if x.names[id] != id {
					x.bestIsOwn = false
				}
			}
		}
		return
	}
	for k := x.classLo[pos]; k < x.classHi[pos]; k++ {
		id := x.order[k]
		if x.used[id] {
			continue
		}
		x.used[id] = true
		x.names[id] = raft.ID(pos + 1)
		x.tryRenamings(s, pos+1)
		x.used[id] = false
	}
}

// ownEncoding returns s's encoding under the servers' own names, the one
// the search stores; canonical must have been called on s just before.
func (x *search) ownEncoding(s *state) []byte {
	if !x.ownValid {
		if x.Symmetry && x.bestIsOwn {
			x.own = append(x.own[:0], x.best...)
		} else {
			x.own = x.encode(x.own[:0], s, nil)
		}
		x.ownValid = true
	}
	return x.own
}

// signatures computes each server's signature into x.sig: a hash of its
// state and of the messages it sent and is to receive, with every server
// named None, so that renaming the servers moves signatures along with
// them and changes none.
func (x *search) signatures(s *state) {
	anon := &raft.Renaming{} // everyone is None
	for _, id := range x.peers {
		sv := &s.servers[id]
		b := x.sigBuf[:0]
		if sv.node != nil {
			b = append(b, 1+b2i(sv.armed))
			if sv.node.Vote() == id {
				b = append(b, 1)
			}
			b = sv.node.AppendState(b, anon)
		} else {
			b = binary.AppendUvarint(append(b, 0), uint64(sv.hs.Term))
			b = binary.AppendUvarint(b, uint64(sv.log.Len()))
			for i := range sv.log.Len() {
				b = raft.AppendEntry(b, sv.log.At(i))
			}
		}
		x.sig[id] = fingerprint(b)
		x.sigBuf = b
	}
	for i := range s.msgs {
		m := &s.msgs[i]
		x.sigBuf = raft.AppendMessage(x.sigBuf[:0], m, anon)
		k := fingerprint(x.sigBuf)
		// Sums, so that the order of the bag does not matter.
		x.sig[m.From] += k ^ 0x5555
		x.sig[m.To] += k<<1 | 1
	}
}
