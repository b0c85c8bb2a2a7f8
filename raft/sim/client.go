package sim

import (
	"strconv"

	"raftplay/raft"
)

// This file holds the cluster's client workload: a client that sends a
// request at a steady interval of virtual time, as §8 of the paper
// describes clients. It sends each request to the server it believes
// leads (at first the server the seed names); a server that is not the
// leader refuses it and names the leader it last heard from, and the
// client sends its next request there (or, when none is named, to the
// next server in turn). A request sent to a crashed server gets no
// answer: the client counts it as lost at once and tries the next server
// in turn. The client has no other timeout: a leader that takes its
// requests and can no longer commit them (deposed without knowing it,
// cut off from a majority) keeps getting them, as long as it believes
// it leads. Each request is a proposal like a propose action's, which the
// requests monitor follows to its answer (requests.go); the replay of an
// outage (outage.go) measures with this client.
//
// The client's state is part of the cluster's, so that a checkpoint, a
// seek and a replay carry it exactly; its next request is one of the
// cluster's events (see next), after every timer and message due at the
// same moment.

// client is the client workload's state.
type client struct {
	every  int     // ms between requests (0: the client is off)
	due    int     // when its next request goes
	target raft.ID // the server it believes leads (None: none chosen yet)
	sent   int     // requests sent so far; the nth is named "r<n>"
}

// ClientState is the client workload as it stands: its interval (0: off),
// when its next request goes, the server it will go to (0 before the
// first), and how many requests it has sent.
type ClientState struct {
	Every, Due int
	Target     raft.ID
	Sent       int
}

// Client returns the client workload's state.
func (c *Cluster) Client() ClientState {
	cl := &c.client
	return ClientState{Every: cl.every, Due: cl.due, Target: cl.target, Sent: cl.sent}
}

// MinClientEvery and MaxClientEvery bound the client's interval: no more
// than a request every 10 ms (a faster client only floods the logs), no
// less than one an hour.
const (
	MinClientEvery = 10
	MaxClientEvery = maxDuration
)

// ClientCmd is the command of the client's nth request.
func ClientCmd(n int) string { return "r" + strconv.Itoa(n) }

// setClient starts the client with a request every every ms from now, or
// stops it (0). It keeps what the client believes (the leader, the count
// of its requests) across a stop and a new start.
func (c *Cluster) setClient(every int) {
	c.client.every = every
	c.client.due = c.now + every
}

// clientDue returns when the client's next request goes, if it runs: not
// while the network is manual, where nothing happens by itself.
func (c *Cluster) clientDue() (int, bool) {
	if c.client.every == 0 || c.manual {
		return 0, false
	}
	return c.client.due, true
}

// clientRequest sends the client's next request, now.
func (c *Cluster) clientRequest() {
	cl := &c.client
	n := raft.ID(c.cfg.Servers)
	if cl.target == raft.None {
		cl.target = raft.ID(1 + c.cfg.Seed%uint64(n))
	}
	cl.due = c.now + cl.every
	cl.sent++
	to, cmd := cl.target, ClientCmd(cl.sent)
	c.hash.int(-400 - int(to))
	s := &c.servers[to]
	if s.node == nil {
		cl.target = to%n + 1
		c.traceClient(to, cmd, cl.target)
		c.mon.requests.lostTo(c.now, cmd, to)
		return
	}
	c.traceClient(to, cmd, raft.None)
	s.node.Sync(c.now - s.clock())
	c.collect(s)
	if q := c.propose(s, cmd); q.State == RequestRedirected {
		if q.Redirect != raft.None {
			cl.target = q.Redirect
		} else {
			cl.target = to%n + 1
		}
	}
}

// traceClient records a client request in the trace: the command, the
// server it goes to (a propose action's Server and Cmd), and, when that
// server is down, the server tried next (To), the request being lost.
func (c *Cluster) traceClient(to raft.ID, cmd string, next raft.ID) {
	if c.cfg.NoTrace {
		return
	}
	r := Record{Time: c.now, Seq: c.events, Kind: RecClient, Action: &Action{Kind: ActPropose, Server: to, Cmd: cmd, To: next}}
	if next != raft.None {
		r.Loss = LossDown
	}
	c.trace.add(r)
}

// propose hands cmd to server s as a client request and returns the
// request as its server decided it: taken (waiting) or refused.
func (c *Cluster) propose(s *server, cmd string) Request {
	r := &c.mon.requests
	r.send(c.now, cmd, s.id)
	s.node.Propose(cmd) // a refusal is in the trace
	c.collect(s)
	if q := r.asking; q != nil {
		// The server said nothing of it (no engine does): as good as
		// refused, with no leader named.
		q.State, q.Done = RequestRedirected, c.now
		r.decided(*q)
	}
	return r.sent[len(r.sent)-1]
}

// Window counts what happened in the window of virtual time after from
// and up to now: the leaders elected and the client requests answered.
// It costs a binary search, whatever the run's length.
func (c *Cluster) Window(from int) (elections, answered int) {
	h, r := &c.mon.happened, &c.mon.requests
	return countAfter(len(h.elections), func(i int) int { return h.elections[i].Time }, from),
		countAfter(len(r.answered), func(i int) int { return r.answered[i] }, from)
}

// Answered returns how many client requests have been answered so far.
func (c *Cluster) Answered() int { return len(c.mon.requests.answered) }

// RequestsSent returns how many client requests have been sent so far
// (by the client workload and by propose actions).
func (c *Cluster) RequestsSent() int { return len(c.mon.requests.sent) }

// countAfter counts the items i < n whose time(i), nondecreasing in i,
// is after t.
func countAfter(n int, time func(int) int, t int) int {
	lo, hi := 0, n
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if time(mid) <= t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return n - lo
}
