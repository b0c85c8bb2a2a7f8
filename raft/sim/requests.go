package sim

import (
	"slices"

	"raftplay/raft"
)

// This file follows each client request from the moment a client sends
// it to the answer it gets: a redirect from a server that is not the
// leader (§8: "if the client contacts a follower, the follower rejects
// it and supplies the most recent leader it has heard from"), or, from
// the leader that took it, the result once that leader has applied it
// (§5.3). A request whose leader crashes first, or whose entry is
// removed from that leader's log, never gets an answer: a real client
// would time out and try again. Like the history (happened.go), what
// happened to requests lives in the monitor, so it follows a rewind.

// RequestState says where a client request stands.
type RequestState uint8

const (
	RequestWaiting    RequestState = iota // taken by a leader, not yet answered
	RequestAnswered                       // the leader applied it and answered
	RequestRedirected                     // refused by a server that is not the leader
	RequestUnanswered                     // its leader crashed or lost the entry: no answer will come
)

var requestStateNames = [...]string{"waiting", "answered", "redirected", "unanswered"}

func (s RequestState) String() string {
	if int(s) < len(requestStateNames) {
		return requestStateNames[s]
	}
	return "request-state"
}

// Request is one client command and what became of it.
type Request struct {
	Seq   int     // counts requests from 1
	Time  int     // when the client sent it
	Cmd   string  // the command
	To    raft.ID // the server it went to
	State RequestState
	// Redirect is the leader a refusing server named (None: it knew of
	// none).
	Redirect raft.ID
	// Index and Term are the entry the leader made of it.
	Index, Term int
	// Done is when the answer came, or when it became clear that none
	// would (0 while waiting).
	Done int
}

// requests is the monitor's record of client requests. Their states
// change after they are made, so what is kept only ever grows: a log of
// requests and a log of changes (a request's new state), which a
// checkpoint shares, and the few requests still waiting, which it copies.
type requests struct {
	sent    []Request
	changes []requestChange // each request changes at most once: from waiting to settled
	waiting []int           // indexes into sent of requests still waiting (none has a change yet)
	asking  *Request        // a request just sent, its server not yet decided
	// answered holds when each answer came, in order (for counts over a
	// window of time, see Cluster.Window).
	answered []int
}

type requestChange struct {
	i    int // index into sent
	next Request
}

func (r *requests) clone() requests {
	return requests{
		sent:     slices.Clip(r.sent),
		changes:  slices.Clip(r.changes),
		waiting:  slices.Clone(r.waiting),
		answered: slices.Clip(r.answered),
	}
}

// send notes a request the instant before its server takes it; sent
// records it once the server has decided (a checkpoint shares sent, so
// a record there is never changed).
func (r *requests) send(now int, cmd string, to raft.ID) {
	r.asking = &Request{Seq: len(r.sent) + 1, Time: now, Cmd: cmd, To: to}
}

// lostTo records a request sent to a server that is down: no answer
// will come.
func (r *requests) lostTo(now int, cmd string, to raft.ID) {
	r.decided(Request{Seq: len(r.sent) + 1, Time: now, Cmd: cmd, To: to, State: RequestUnanswered, Done: now})
}

// decided records the request just sent, with what its server decided.
func (r *requests) decided(q Request) {
	r.asking = nil
	r.sent = append(r.sent, q)
	if q.State == RequestWaiting {
		r.waiting = append(r.waiting, len(r.sent)-1)
	}
}

// current returns request i as it stands now. A request changes at most
// once, after it is sent: the search from the end is short for recent
// ones, and none for one that is waiting or was redirected.
func (r *requests) current(i int) Request {
	q := r.sent[i]
	if q.State != RequestWaiting || slices.Contains(r.waiting, i) {
		return q
	}
	for j := len(r.changes) - 1; j >= 0; j-- {
		if r.changes[j].i == i {
			return r.changes[j].next
		}
	}
	return q
}

func (r *requests) change(i int, next Request) {
	r.changes = append(r.changes, requestChange{i: i, next: next})
}

// observe follows a request through its server's events.
func (r *requests) observe(now int, ev *raft.Event) {
	switch ev.Kind {
	case raft.EvProposed, raft.EvProposalRejected:
		q := r.asking
		if q == nil || ev.Node != q.To {
			return
		}
		if ev.Kind == raft.EvProposed {
			// Its entry is the one the leader just appended.
			q.Index, q.Term = ev.Index, ev.Term
		} else {
			q.State, q.Redirect, q.Done = RequestRedirected, ev.Peer, now
		}
		r.decided(*q)
	case raft.EvApplied:
		if len(r.waiting) == 0 || len(ev.Entries) == 0 {
			return
		}
		// The entries applied are consecutive: the request's own entry,
		// if among them, is at its index's offset.
		first := ev.Entries[0].Index
		r.settle(ev.Node, func(q *Request) bool {
			k := q.Index - first
			if k < 0 || k >= len(ev.Entries) || ev.Entries[k].Term != q.Term {
				return false
			}
			r.answered = append(r.answered, now)
			return setState(q, RequestAnswered)
		}, now)
	case raft.EvTruncated:
		if len(r.waiting) == 0 {
			return
		}
		r.settle(ev.Node, func(q *Request) bool {
			return q.Index >= ev.Index && setState(q, RequestUnanswered)
		}, now)
	}
}

func setState(q *Request, s RequestState) bool {
	q.State = s
	return true
}

// crashed settles the requests waiting on a server that crashed: its
// clients' connections are gone, and no answer will come.
func (r *requests) crashed(id raft.ID, now int) {
	r.settle(id, func(q *Request) bool { return setState(q, RequestUnanswered) }, now)
}

// settle changes the waiting requests of server id for which decide
// reports true (having set their state).
func (r *requests) settle(id raft.ID, decide func(*Request) bool, now int) {
	kept := r.waiting[:0]
	for _, i := range r.waiting {
		q := r.sent[i] // a waiting request has no change yet
		if q.To == id && decide(&q) {
			q.Done = now
			r.change(i, q)
			continue
		}
		kept = append(kept, i)
	}
	r.waiting = kept
}

// Requests returns the last n client requests (all of them if n <= 0),
// oldest first, each as it stands now.
func (c *Cluster) Requests(n int) []Request {
	r := &c.mon.requests
	from := 0
	if n > 0 && len(r.sent) > n {
		from = len(r.sent) - n
	}
	out := make([]Request, 0, len(r.sent)-from)
	for i := from; i < len(r.sent); i++ {
		out = append(out, r.current(i))
	}
	return out
}
