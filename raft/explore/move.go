package explore

import (
	"strconv"

	"raftplay/raft"
)

// MoveKind is a kind of step: one thing that can happen next. Time is
// abstracted away: a timer fires whenever the search likes, and a message
// stays in flight until the search delivers, drops or duplicates it.
type MoveKind uint8

const (
	// Deliver a message in flight to its receiver.
	Deliver MoveKind = iota
	// Duplicate a message: deliver a copy now and keep it in flight.
	Duplicate
	// Drop a message in flight: it is lost.
	Drop
	// Timeout: a follower's or candidate's election timer fires.
	Timeout
	// Heartbeat: a leader's heartbeat timer fires.
	Heartbeat
	// Propose: a client request reaches a leader.
	Propose
	// Crash: a server stops, keeping only what it persisted.
	Crash
	// Restart: a crashed server starts again from its durable state.
	Restart
	// CrashAfterSend arms a crash for a server's next step (one that
	// produces something), with persist-before-send off: the server sends
	// what the step produced, then crashes before the step's durable
	// writes (its term, vote and log entries) reach the disk. The step
	// that fires it is the next move, a move of that server's.
	CrashAfterSend

	numMoveKinds
)

var moveNames = [numMoveKinds]string{"deliver", "duplicate", "drop", "timeout", "heartbeat", "propose", "crash", "restart", "crash-after-send"}

func (k MoveKind) String() string {
	if k < numMoveKinds {
		return moveNames[k]
	}
	return "move(" + strconv.Itoa(int(k)) + ")"
}

// move is one step from a state, as the search keeps it (in 4 bytes): its
// kind and the server it acts on, or the index of its message in the
// state's bag as decoded (sorted by encoding).
type move struct {
	kind MoveKind
	arg  uint16
}

// moves lists the steps possible from s, in a fixed order: each distinct
// message in flight delivered, duplicated or dropped (a message to a
// crashed server can only be lost), then each server's timers, a client
// request to each leader, each crash (and, with persist-before-send off,
// each crash armed for after the next send) and restart, as the bounds
// allow.
//
// While a server is armed to crash after it sends, only its own steps are
// offered: the arming changes nothing until the step that fires it, so
// any schedule that arms it earlier and lets others move in between
// reaches the same states, in as many steps, with the arming moved to
// just before that step, and the states in between differ only by the
// arming, which no invariant looks at.
func (x *search) moves(s *state, enc [][]byte, out []move) []move {
	out = out[:0]
	armed := s.armed()
	for i := range s.msgs {
		if i > 0 && string(enc[i]) == string(enc[i-1]) {
			continue // the same message as the one before: the same steps
		}
		to := s.msgs[i].To
		if armed != raft.None && to != armed {
			continue
		}
		if s.servers[to].node != nil {
			out = append(out, move{Deliver, uint16(i)}, move{Duplicate, uint16(i)})
		}
		if armed == raft.None {
			out = append(out, move{Drop, uint16(i)})
		}
	}
	for _, id := range x.peers {
		if armed != raft.None && id != armed {
			continue
		}
		sv := &s.servers[id]
		a := uint16(id)
		switch {
		case sv.node == nil:
			if s.restarts < x.bounds.Restarts {
				out = append(out, move{Restart, a})
			}
			continue
		case sv.node.Role() == raft.Leader:
			out = append(out, move{Heartbeat, a})
			if s.requests < x.bounds.Requests {
				out = append(out, move{Propose, a})
			}
		default:
			out = append(out, move{Timeout, a})
		}
		if armed == raft.None && s.crashes < x.bounds.Crashes {
			out = append(out, move{Crash, a})
			if !x.rules.Has(raft.PersistBeforeSend) {
				out = append(out, move{CrashAfterSend, a})
			}
		}
	}
	return out
}

// take returns the state that mv leads to from p, which it leaves as it
// was, and the number of messages of p still in flight at the front of
// the new state's bag (those after them are new). Violations go to x.rep;
// an error is the engine refusing a message that a node of its own made.
//
// The new state is made of the search's scratch (x.child: its bag, its
// monitor, a node per server) and is good until the next take, unless
// keep asks for a state of its own: the search only encodes a successor,
// and copying a node into a node it reuses costs next to nothing.
func (x *search) take(p *state, mv move, keep bool) (*state, int, error) {
	var c *state
	if keep {
		c = new(state)
	} else {
		c = &x.child
	}
	// The monitor is p's until a move changes it (see ownMonitor).
	*c = state{servers: p.servers, requests: p.requests, crashes: p.crashes, restarts: p.restarts,
		mon: p.mon, monShared: true, keep: keep}
	// own copies the node of server id into the new state.
	own := func(id raft.ID) *raft.Node {
		sv := &c.servers[id]
		if keep {
			sv.node = sv.node.Clone()
		} else {
			if x.childNodes[id] == nil {
				x.childNodes[id] = new(raft.Node)
			}
			sv.node.CopyTo(x.childNodes[id])
			sv.node = x.childNodes[id]
		}
		return sv.node
	}
	kept := len(p.msgs)
	bag := x.childMsgs[:0]
	if keep {
		bag = make([]raft.Message, 0, kept+len(x.peers))
	}
	switch mv.kind {
	case Deliver, Duplicate, Drop:
		i := int(mv.arg)
		m := p.msgs[i]
		bag = append(bag, p.msgs[:i]...)
		if mv.kind == Duplicate {
			bag = append(bag, m)
		} else {
			kept--
		}
		c.msgs = append(bag, p.msgs[i+1:]...)
		if mv.kind == Drop {
			break
		}
		n := own(m.To)
		durable := x.durableLog(c, m.To)
		if err := n.Step(m); err != nil {
			return nil, kept, err
		}
		x.collect(c, m.To, durable)
	case Timeout, Heartbeat, Propose:
		c.msgs = append(bag, p.msgs...)
		id := raft.ID(mv.arg)
		n := own(id)
		durable := x.durableLog(c, id)
		switch mv.kind {
		case Timeout:
			n.FireElectionTimer()
		case Heartbeat:
			n.FireHeartbeat()
		default:
			c.requests++
			_, _ = n.Propose(x.command(c.requests))
		}
		x.collect(c, id, durable)
	case Crash:
		c.msgs = append(bag, p.msgs...)
		id := raft.ID(mv.arg)
		sv := &c.servers[id]
		c.crashes++
		sv.log = sv.node.LogView()
		sv.node = nil
		x.ownMonitor(c)
		c.mon.Crashed(id)
	case CrashAfterSend:
		// Nothing happens yet: the server's next step fires it (collect).
		c.msgs = append(bag, p.msgs...)
		c.crashes++
		c.servers[mv.arg].armed = true
	case Restart:
		c.msgs = append(bag, p.msgs...)
		id := raft.ID(mv.arg)
		sv := &c.servers[id]
		c.restarts++
		n, err := raft.Restart(x.nodeConfig(id), sv.hs, sv.log)
		if err != nil {
			return nil, kept, err
		}
		sv.node, sv.log = n, raft.Log{}
		x.ownMonitor(c)
		c.mon.Restarted(id)
		x.collect(c, id, raft.Log{})
	}
	if !keep {
		x.childMsgs = c.msgs
	}
	return c, kept, nil
}

// durableLog is what server id of s, up and about to step, has on disk:
// the log as it stands, if it is armed to crash after it sends (the step's
// own writes will be lost); otherwise nothing, which collect ignores.
func (x *search) durableLog(s *state, id raft.ID) raft.Log {
	if sv := &s.servers[id]; sv.armed {
		return sv.node.LogView()
	}
	return raft.Log{}
}

// ownMonitor gives c a monitor of its own, a copy of the one it shares
// with the state it came from, before anything changes it. Most moves
// change the monitor's record; a message dropped, or one that changes
// nothing its receiver reports, leaves it alone and costs no copy.
func (x *search) ownMonitor(c *state) {
	if !c.monShared {
		return
	}
	if c.keep {
		m := c.mon.Clone()
		c.mon = &m
	} else {
		c.mon.CopyTo(&x.childMon)
		c.mon = &x.childMon
	}
	c.monShared = false
}

// command is the k-th client request's command: c1, c2, … (after the
// commands of the start state, when it has any of that form).
func (x *search) command(k int) string {
	return "c" + strconv.Itoa(x.cmdBase+k)
}
