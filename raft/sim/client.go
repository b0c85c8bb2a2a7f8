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
// in turn. The client reaches every server that is up: partitions, cuts
// and loss are between servers, as in the replay of an outage. It has no
// other timeout: a leader that takes its requests and can no longer
// commit them (deposed without knowing it, cut off from a majority)
// keeps getting them, as long as it believes it leads. Each request is a
// proposal like a propose action's, which the requests monitor follows
// to its answer (requests.go); the replay of an outage (outage.go)
// measures with this client.
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

// clientRequest sends the client's next request, now. It is recorded in
// the trace (RecClient) as the proposal it amounts to, and, when its
// server is down, as lost (Loss), with the server tried next (To).
func (c *Cluster) clientRequest() {
	cl := &c.client
	n := raft.ID(c.cfg.Servers)
	if cl.target == raft.None {
		cl.target = raft.ID(1 + c.cfg.Seed%uint64(n))
	}
	cl.due = c.now + cl.every
	cl.sent++
	to, cmd := cl.target, ClientCmd(cl.sent)
	s := &c.servers[to]
	rec := Record{Time: c.now, Seq: c.events, Kind: RecClient}
	if s.node == nil {
		cl.target = to%n + 1
		rec.Loss = LossDown
	}
	c.hash.int(-400 - int(to))
	if !c.cfg.NoTrace {
		rec.Action = &Action{Kind: ActPropose, Server: to, Cmd: cmd, To: cl.target}
		c.trace.add(rec)
	}
	if s.node == nil {
		c.mon.requests.lostTo(c.now, cmd, to)
		return
	}
	s, _ = c.upServer(to)
	if q := c.propose(s, cmd); q.State == RequestRedirected {
		cl.target = q.Redirect
		if cl.target == raft.None {
			cl.target = to%n + 1
		}
	}
}

// propose hands cmd to server s as a client request and returns the
// request as its server decided it: taken (waiting) or refused (shared
// with the monitor: read it at once).
func (c *Cluster) propose(s *server, cmd string) *Request {
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
	return &r.sent[len(r.sent)-1]
}

// Window counts what happened in the window of virtual time after from
// and up to now: the leaders elected and the client requests answered.
// Both are counted back from the newest, so a call costs what it counts
// (a minute of the outage replay: about 100 elections or 600 answers).
func (c *Cluster) Window(from int) (elections, answered int) {
	es, as := c.mon.happened.elections, c.mon.requests.answered
	for elections < len(es) && es[len(es)-1-elections].Time > from {
		elections++
	}
	for answered < len(as) && as[len(as)-1-answered] > from {
		answered++
	}
	return elections, answered
}

// Answered returns how many client requests have been answered so far.
func (c *Cluster) Answered() int { return len(c.mon.requests.answered) }
