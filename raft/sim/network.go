package sim

import (
	"raftplay/raft"
)

// flight is a message on its way: it is delivered, or lost, at time At.
type flight struct {
	ID     uint64 // in send order; also the tie-break between equal times
	SentAt int
	At     int
	// Cut records that the message's link was cut when it was sent: it
	// never left, so it is lost even if the link heals before At. A
	// message is delivered only if its link is up both when it is sent
	// and when it arrives.
	Cut bool
	Msg raft.Message
}

// doomed reports whether f will be lost to a cut if it arrives now.
func (l *links) doomed(f *flight) bool {
	return f.Cut || !l.connected(f.Msg.From, f.Msg.To)
}

// queue holds the flights in a binary min-heap ordered by (At, ID). The
// heap itself holds only small keys without pointers; the flights stay
// put in a slab. Sifting a key is then a plain copy of three words, where
// moving a whole flight (its message has an entry slice) is a copy with
// the garbage collector's write barrier, which under WebAssembly, where
// the collector shares the one thread, was a tenth of the time of a busy
// run. It is written out by hand to keep the per-event path free of
// interface calls.
type queue struct {
	heap    []flightKey
	flights []flight // the slab; freed slots are zero and listed in free
	free    []int32
}

// flightKey is a flight's place in the heap: its order, and its slot.
type flightKey struct {
	At   int
	ID   uint64
	slot int32
}

func (k *flightKey) before(l *flightKey) bool {
	return k.At < l.At || (k.At == l.At && k.ID < l.ID)
}

// size is the number of flights.
func (q *queue) size() int { return len(q.heap) }

// first is the next flight to land. The queue must not be empty.
func (q *queue) first() *flight { return &q.flights[q.heap[0].slot] }

// at is the i-th flight in the heap's order (which is not landing order).
func (q *queue) at(i int) *flight { return &q.flights[q.heap[i].slot] }

func (q *queue) push(f flight) {
	var slot int32
	if n := len(q.free); n > 0 {
		slot = q.free[n-1]
		q.free = q.free[:n-1]
		q.flights[slot] = f
	} else {
		slot = int32(len(q.flights))
		q.flights = append(q.flights, f)
	}
	q.heap = append(q.heap, flightKey{At: f.At, ID: f.ID, slot: slot})
	h := q.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h[i].before(&h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *queue) pop() flight {
	return q.take(0)
}

// take removes the flight at heap position i and returns it.
func (q *queue) take(i int) flight {
	h := q.heap
	slot := h[i].slot
	f := q.flights[slot]
	q.flights[slot] = flight{} // let the entries be collected
	q.free = append(q.free, slot)
	// Sift the key up to the top, as if it landed first, then pop it.
	for i > 0 {
		p := (i - 1) / 2
		h[i], h[p] = h[p], h[i]
		i = p
	}
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	i = 0
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].before(&h[m]) {
			m = l
		}
		if r < len(h) && h[r].before(&h[m]) {
			m = r
		}
		if m == i {
			break
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
	q.heap = h
	return f
}

// find returns the heap position of the flight with the given id, or -1.
// It is linear, which is fine for a learner's click.
func (q *queue) find(id uint64) int {
	for i := range q.heap {
		if q.heap[i].ID == id {
			return i
		}
	}
	return -1
}

// remove takes out the flight with the given id, reporting whether it was
// there.
func (q *queue) remove(id uint64) (flight, bool) {
	i := q.find(id)
	if i < 0 {
		return flight{}, false
	}
	return q.take(i), true
}

// retime gives every flight a new arrival time, at(f), and puts them back
// in landing order. It is rare (the manual network ending), so it simply
// takes them all out and pushes them back in.
func (q *queue) retime(at func(*flight) int) {
	fs := make([]flight, 0, q.size())
	for q.size() > 0 {
		fs = append(fs, q.pop())
	}
	for _, f := range fs {
		f.At = at(&f)
		q.push(f)
	}
}

// clone copies the queue for a checkpoint. The flights' entry slices are
// shared: nothing writes to a message's entries once it is sent.
func (q *queue) clone() queue {
	return queue{
		heap:    append([]flightKey(nil), q.heap...),
		flights: append([]flight(nil), q.flights...),
		free:    append([]int32(nil), q.free...),
	}
}

// links is the state of the network's connectivity. Arrays, not maps, so
// that it copies by value into checkpoints and never depends on map order.
type links struct {
	// group is each server's side of the current partition; servers on
	// different sides cannot talk. All zero: no partition.
	group    [raft.MaxServers + 1]int
	isolated [raft.MaxServers + 1]bool
	down     [raft.MaxServers + 1][raft.MaxServers + 1]bool
	dropNext [raft.MaxServers + 1][raft.MaxServers + 1]int
	// loss is each link's own loss rate, a flaky link: a message on it is
	// lost with this probability, independently of the network's rate
	// (Cluster.drop), which it comes on top of. Like that rate, it is not
	// a cut: heal leaves it, and it waits while the network is manual.
	loss [raft.MaxServers + 1][raft.MaxServers + 1]float64
}

// connected reports whether a message can go from a to b right now.
func (l *links) connected(a, b raft.ID) bool {
	return l.group[a] == l.group[b] && !l.isolated[a] && !l.isolated[b] && !l.down[a][b]
}

// partition puts each group on its own side; servers not named are each
// alone on a side of their own.
func (l *links) partition(servers int, groups [][]raft.ID) {
	side := 1
	for i := range l.group {
		l.group[i] = 0
	}
	for _, g := range groups {
		for _, id := range g {
			l.group[id] = side
		}
		side++
	}
	for id := 1; id <= servers; id++ {
		if l.group[id] == 0 {
			l.group[id] = side
			side++
		}
	}
}

// heal removes every cut: partitions, isolation and links down. Loss
// rates, the network's and the links' own, stay.
func (l *links) heal() {
	l.group = [raft.MaxServers + 1]int{}
	l.isolated = [raft.MaxServers + 1]bool{}
	l.down = [raft.MaxServers + 1][raft.MaxServers + 1]bool{}
}

// partitioned reports whether any cut is in force.
func (l *links) partitioned() bool {
	return l.group != [raft.MaxServers + 1]int{} || l.isolated != [raft.MaxServers + 1]bool{} ||
		l.down != [raft.MaxServers + 1][raft.MaxServers + 1]bool{}
}

// The network's random choices (latency, loss, duplication) are a hash of
// the run's seed, the message and the moment it was sent, not draws from
// one stream: so a message's fate does not depend on how many other
// messages went before it. Removing an unrelated action from a schedule
// then leaves the rest of the run alone, which is what lets the sweep's
// shrinker cut a failing run down to the actions that matter.
const (
	saltLatency uint64 = iota + 1
	saltCopy
	saltDuplicate
	saltLoss
	saltLinkLoss
)

func (c *Cluster) netRand(m *raft.Message, sentAt int, salt uint64) uint64 {
	h := c.cfg.Seed ^ salt<<56
	for _, v := range [...]uint64{
		uint64(sentAt), uint64(m.Type)<<16 | uint64(m.From)<<8 | uint64(m.To),
		uint64(m.Term), uint64(m.PrevIndex)<<32 | uint64(m.LastIndex), uint64(len(m.Entries))<<32 | uint64(m.Match),
		uint64(m.Commit)<<1 | uint64(b2i(m.Reject)),
	} {
		h = splitmix(h ^ v)
	}
	return h
}

// chance returns a number in [0, 1) for a random choice about m.
func (c *Cluster) chance(m *raft.Message, sentAt int, salt uint64) float64 {
	return float64(c.netRand(m, sentAt, salt)>>11) / (1 << 53)
}

// splitmix is the SplitMix64 finalizer: a cheap, well-mixed hash step.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
