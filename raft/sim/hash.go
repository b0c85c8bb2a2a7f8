package sim

import "raftplay/raft"

// hasher is 64-bit FNV-1a over words; it summarizes a run so that two runs
// (or a native and a WebAssembly run) can be compared cheaply.
type hasher uint64

const (
	fnvOffset hasher = 14695981039346656037
	fnvPrime  hasher = 1099511628211
)

func (h *hasher) int(v int) {
	*h ^= hasher(uint64(v))
	*h *= fnvPrime
}

func (h *hasher) str(s string) {
	h.int(len(s))
	for i := 0; i < len(s); i++ {
		*h ^= hasher(s[i])
		*h *= fnvPrime
	}
}

func (h *hasher) event(e *raft.Event) {
	h.int(int(e.Kind)<<24 | int(e.Node)<<16 | int(e.Peer)<<8 | int(e.Reason))
	h.int(e.Term)
	h.int(e.Index)
	h.int(e.Last)
	h.int(e.Votes)
}

func (h *hasher) msg(m *raft.Message) {
	h.int(int(m.Type)<<16 | int(m.From)<<8 | int(m.To))
	h.int(m.Term)
	h.int(m.PrevIndex)
	h.int(m.PrevTerm)
	h.int(len(m.Entries))
	h.int(m.Commit)
	h.int(m.Match)
	h.int(m.LastIndex<<1 | b2i(m.Reject))
	if m.Transfer {
		// Only for a transfer's vote requests, so that the hash of
		// every other run stays what it was.
		h.int(-7)
	}
}
