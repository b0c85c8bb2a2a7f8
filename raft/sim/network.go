package sim

import (
	"raftplay/raft"
)

// flight is a message on its way: it is delivered, or lost, at time At.
type flight struct {
	ID     uint64 // in send order; also the tie-break between equal times
	SentAt int
	At     int
	Msg    raft.Message
}

func (f *flight) before(g *flight) bool {
	return f.At < g.At || (f.At == g.At && f.ID < g.ID)
}

// queue is a binary min-heap of flights ordered by (At, ID). It is written
// out by hand to keep the per-event path free of interface calls.
type queue []flight

func (q *queue) push(f flight) {
	*q = append(*q, f)
	h := *q
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
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h[last] = flight{} // let the entries be collected
	h = h[:last]
	i := 0
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
	*q = h
	return top
}

// remove takes out the flight with the given id, reporting whether it was
// there. It is linear, which is fine for a learner's click.
func (q *queue) remove(id uint64) (flight, bool) {
	h := *q
	for i := range h {
		if h[i].ID == id {
			f := h[i]
			h[i].At = -1 // sift it to the top, then pop it
			for i > 0 {
				p := (i - 1) / 2
				h[i], h[p] = h[p], h[i]
				i = p
			}
			q.pop()
			return f, true
		}
	}
	return flight{}, false
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
