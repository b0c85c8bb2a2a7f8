package sim_test

import (
	"testing"

	"raftplay/raft/sim"
)

// lastRequest returns the newest client request as it stands now.
func lastRequest(t *testing.T, c *sim.Cluster) sim.Request {
	t.Helper()
	rs := c.Requests(1)
	if len(rs) != 1 {
		t.Fatalf("%d requests, want the last one", len(rs))
	}
	return rs[0]
}

func expectRequest(t *testing.T, q sim.Request, state sim.RequestState, index int) {
	t.Helper()
	if q.State != state || q.Index != index {
		t.Fatalf("request %+v: want %v at index %d", q, state, index)
	}
}

// A request to the leader is answered once the leader has applied it; one
// to a follower is redirected to the leader at once (§8).
func TestRequestAnsweredOrRedirected(t *testing.T) {
	c := steadyCluster(t, nil)
	proposeTo(t, c, 1, "x")
	q := lastRequest(t, c)
	expectRequest(t, q, sim.RequestWaiting, 1)
	if q.To != 1 || q.Cmd != "x" || q.Term != 1 || q.Done != 0 {
		t.Fatalf("request %+v", q)
	}
	run(t, c, 100)
	q = lastRequest(t, c)
	expectRequest(t, q, sim.RequestAnswered, 1)
	if q.Done <= q.Time {
		t.Fatalf("answered at %d, sent at %d", q.Done, q.Time)
	}

	proposeTo(t, c, 3, "y")
	q = lastRequest(t, c)
	expectRequest(t, q, sim.RequestRedirected, 0)
	if q.Redirect != 1 || q.Seq != 2 || q.Done != q.Time {
		t.Fatalf("redirect %+v", q)
	}
	if rs := c.Requests(0); len(rs) != 2 || rs[0].State != sim.RequestAnswered {
		t.Fatalf("all requests: %+v", rs)
	}
}

// A request whose leader crashes before applying it gets no answer, and
// neither does one whose entry the deposed leader later removes.
func TestRequestUnanswered(t *testing.T) {
	c := steadyCluster(t, nil)
	isolate(t, c, 1)
	proposeTo(t, c, 1, "lost")
	crash(t, c, 1)
	expectRequest(t, lastRequest(t, c), sim.RequestUnanswered, 1)

	c = steadyCluster(t, nil)
	isolate(t, c, 1)
	proposeTo(t, c, 1, "overwritten")
	timeout(t, c, 2)
	run(t, c, 100)
	proposeTo(t, c, 2, "kept")
	run(t, c, 100)
	expectRequest(t, lastRequest(t, c), sim.RequestAnswered, 1)
	if q := c.Requests(2)[0]; q.State != sim.RequestWaiting {
		t.Fatalf("before the heal: %+v", q)
	}
	heal(t, c)
	run(t, c, 1500)
	q := c.Requests(2)[0]
	expectRequest(t, q, sim.RequestUnanswered, 1)
	if q.Cmd != "overwritten" || q.Term != 1 {
		t.Fatalf("overwritten request %+v", q)
	}
}

// What became of requests follows time travel: rewound before the answer,
// a request waits again; played forward, it is answered again.
func TestRequestsFollowTimeTravel(t *testing.T) {
	c := steadyCluster(t, nil)
	run(t, c, 500)
	sent := c.Now()
	proposeTo(t, c, 1, "x")
	run(t, c, 1000)
	q := lastRequest(t, c)
	expectRequest(t, q, sim.RequestAnswered, 1)
	if q.Time != sent || q.Done <= sent+1 {
		t.Fatalf("request %+v, sent at %d", q, sent)
	}
	if err := c.Seek(q.Done - 1); err != nil {
		t.Fatal(err)
	}
	expectRequest(t, lastRequest(t, c), sim.RequestWaiting, 1)
	if err := c.Seek(sent + 1000); err != nil {
		t.Fatal(err)
	}
	expectRequest(t, lastRequest(t, c), sim.RequestAnswered, 1)
	if err := c.Seek(sent - 1); err != nil {
		t.Fatal(err)
	}
	if rs := c.Requests(0); len(rs) != 0 {
		t.Fatalf("before it was sent: %+v", rs)
	}
}
