package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// startClient starts the client workload with a request every ms.
func startClient(t testing.TB, c *sim.Cluster, every int) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActClient, Delay: every})
}

// The client sends a request every interval, from a whole interval after
// it starts, named r1, r2, …; each is a client request the requests
// monitor follows; client off stops it, and a new start goes on counting.
func TestClientSendsOnSchedule(t *testing.T) {
	c := newCluster(t, nil)
	timeout(t, c, 1)
	run(t, c, 100)
	startClient(t, c, 100)
	if at, ok := c.NextEventTime(); !ok || at > 200 {
		t.Fatalf("next event at %d (%v), want the client's request by 200ms at the latest", at, ok)
	}
	run(t, c, 1000)
	qs := c.Requests(0)
	if len(qs) != 10 || c.Client().Sent != 10 {
		t.Fatalf("%d requests (client: %+v), want 10 in a second at one every 100ms", len(qs), c.Client())
	}
	for i, q := range qs {
		if q.Time != 200+100*i || q.Cmd != sim.ClientCmd(i+1) || q.Cmd != cmdN("r", i+1) {
			t.Fatalf("request %d: %+v, want %s at %dms", i+1, q, sim.ClientCmd(i+1), 200+100*i)
		}
	}
	// The first goes to S2 (seed 1), which sends the client to S1; every
	// later one reaches S1 and is answered within 100ms, the last one sent
	// just now.
	if qs[0].To != 2 || qs[0].Redirect != 1 || qs[1].To != 1 || c.Answered() != 8 || qs[9].State != sim.RequestWaiting {
		t.Fatalf("requests %+v, %d answered: want r1 sent from S2 to S1, and r2..r9 answered there", qs, c.Answered())
	}
	do(t, c, sim.Action{Kind: sim.ActClient})
	if st := c.Client(); st.Every != 0 {
		t.Fatalf("client %+v after client off", st)
	}
	run(t, c, 1000)
	if n := len(c.Requests(0)); n != 10 {
		t.Fatalf("%d requests a second after client off, want still 10", n)
	}
	startClient(t, c, 250)
	run(t, c, 500)
	qs = c.Requests(0)
	if len(qs) != 12 || qs[10].Cmd != "r11" || qs[10].Time != c.Now()-250 || qs[11].Time != c.Now() {
		t.Fatalf("after a new start every 250ms: %+v, want r11 and r12, 250ms apart", qs[10:])
	}
}

// The first request goes to the server the seed names (1 + seed mod N);
// one that is not the leader refuses it and names the leader, where the
// next request goes; one that knows no leader names none, and the next
// request goes to the next server in turn; a crashed server gets a
// request that is never answered, and the next goes to the next server in
// turn.
func TestClientFollowsRedirects(t *testing.T) {
	// Seed 1, five servers: the client starts with S2.
	c := newCluster(t, nil)
	startClient(t, c, 20)
	run(t, c, 20) // before any election: S2 knows no leader
	q := c.Requests(0)[0]
	if q.To != 2 || q.State != sim.RequestRedirected || q.Redirect != raft.None {
		t.Fatalf("first request %+v, want S2's refusal naming no leader", q)
	}
	run(t, c, 20)
	if q := c.Requests(0)[1]; q.To != 3 {
		t.Fatalf("second request %+v, want it sent to S3, the next in turn", q)
	}
	do(t, c, sim.Action{Kind: sim.ActClient})

	c = newCluster(t, nil)
	timeout(t, c, 4)
	run(t, c, 200)
	if c.Leader() != 4 {
		t.Fatalf("leader %v, want S4", c.Leader())
	}
	startClient(t, c, 100)
	run(t, c, 200)
	qs := c.Requests(0)
	if qs[0].To != 2 || qs[0].State != sim.RequestRedirected || qs[0].Redirect != 4 {
		t.Fatalf("first request %+v, want S2's refusal naming S4", qs[0])
	}
	if qs[1].To != 4 || qs[1].State == sim.RequestRedirected {
		t.Fatalf("second request %+v, want it taken by S4", qs[1])
	}
	// The leader crashes: the next request is lost, and the one after goes
	// to S5, the next in turn.
	crash(t, c, 4)
	run(t, c, 100)
	qs = c.Requests(0)
	if q := qs[2]; q.To != 4 || q.State != sim.RequestUnanswered || q.Done != q.Time {
		t.Fatalf("request to crashed S4: %+v, want it unanswered at once", q)
	}
	if st := c.Client(); st.Target != 5 {
		t.Fatalf("client %+v, want S5 next", st)
	}
	var down sim.Record
	for _, r := range c.Trace(0) {
		if r.Kind == sim.RecClient && r.Action.Cmd == "r3" {
			down = r
		}
	}
	if down.Loss != sim.LossDown || down.Action.Server != 4 || down.Action.To != 5 {
		t.Fatalf("trace record of r3: %v, want lost at S4, S5 next", down)
	}
}

// The client is part of the cluster's state: a seek back and forth, and a
// replay of the recorded actions on a new cluster, give exactly the run
// the first pass gave, requests included. A client whose state were not
// checkpointed would, after a seek back, send nothing until the time its
// next request was due before the seek, and name its requests anew.
func TestClientTimeTravel(t *testing.T) {
	type moment struct {
		hash   uint64
		client sim.ClientState
		reqs   []sim.Request
	}
	seen := map[int]moment{}
	c := newCluster(t, func(c *sim.Config) { c.CheckpointEvery = 16; c.Seed = 3 })
	step := func(ms int) {
		for end := c.Now() + ms; c.Now() < end; {
			run(t, c, 50)
			seen[c.Now()] = moment{c.Hash(), c.Client(), c.Requests(0)}
		}
	}
	startClient(t, c, 60)
	step(700)
	crash(t, c, c.Leader())
	step(500)
	do(t, c, sim.Action{Kind: sim.ActClient})
	step(300)
	startClient(t, c, 40)
	step(500)
	end, trace := c.Now(), traceStrings(c, 0)
	if n := len(c.Requests(0)); n < 30 || c.Answered() < 20 {
		t.Fatalf("%d requests, %d answered: want a busy run", n, c.Answered())
	}
	for _, at := range []int{650, 100, 1300, 1700, 50, end} {
		if err := c.Seek(at); err != nil {
			t.Fatal(err)
		}
		want := seen[at]
		if got := (moment{c.Hash(), c.Client(), c.Requests(0)}); !reflect.DeepEqual(got, want) {
			t.Fatalf("at %dms after a seek: client %+v and %d requests, want %+v and %d", at, got.client, len(got.reqs), want.client, len(want.reqs))
		}
	}
	if !slices.Equal(traceStrings(c, 0), trace) {
		t.Fatalf("after seeking back and forth, the trace differs from the first pass")
	}
	r := sim.Replay(c.Config(), c.Actions(), end, nil)
	if got, want := (moment{r.Hash(), r.Client(), r.Requests(0)}), seen[end]; !reflect.DeepEqual(got, want) {
		t.Fatalf("a replay of the actions differs: client %+v and %d requests, want %+v and %d", got.client, len(got.reqs), want.client, len(want.reqs))
	}
}

// The client's interval is 10ms to 1h, or 0 (off); anything else is
// refused, and changes nothing.
func TestClientRefusesBadIntervals(t *testing.T) {
	c := newCluster(t, nil)
	for _, every := range []int{-1, 1, 9, 3_600_001} {
		if err := c.Do(sim.Action{Kind: sim.ActClient, Delay: every}); err == nil {
			t.Errorf("client every %dms accepted", every)
		}
	}
	if st := c.Client(); st != (sim.ClientState{}) || len(c.Actions()) != 0 {
		t.Fatalf("client %+v after refusals", st)
	}
	startClient(t, c, sim.MinClientEvery)
	startClient(t, c, sim.MaxClientEvery)
}

// In the manual network the client sends nothing; back to auto, it sends
// its next request a whole interval later.
func TestClientWaitsInManualNetwork(t *testing.T) {
	c := newCluster(t, nil)
	startClient(t, c, 100)
	run(t, c, 150)
	do(t, c, sim.Action{Kind: sim.ActNetworkManual})
	if _, ok := c.NextEventTime(); ok {
		t.Fatal("an event is due in the manual network")
	}
	run(t, c, 1000)
	do(t, c, sim.Action{Kind: sim.ActNetworkAuto})
	back := c.Now()
	run(t, c, 100)
	qs := c.Requests(0)
	if len(qs) != 2 || qs[1].Time != back+100 {
		t.Fatalf("requests %+v, want r1 at 100ms and r2 at %dms", qs, back+100)
	}
}

// Window counts the elections and the answers after a moment, as a
// count over the whole record would; a seek back forgets what had not
// happened yet.
func TestClientWindow(t *testing.T) {
	c := newCluster(t, func(c *sim.Config) { c.Seed = 9 })
	startClient(t, c, 50)
	run(t, c, 1000)
	crash(t, c, c.Leader())
	run(t, c, 1500)
	count := func(from int) (e, a int) {
		for _, x := range c.Elections() {
			if x.Time > from {
				e++
			}
		}
		for _, q := range c.Requests(0) {
			if q.State == sim.RequestAnswered && q.Done > from {
				a++
			}
		}
		return e, a
	}
	if e, a := c.Window(-1); e != 2 || a != c.Answered() || a < 30 {
		t.Fatalf("whole run: %d elections, %d answered (of %d): want 2 and a busy client", e, a, c.Answered())
	}
	for from := -1; from <= c.Now(); from += 37 {
		ge, ga := c.Window(from)
		if we, wa := count(from); ge != we || ga != wa {
			t.Fatalf("after %dms: %d elections, %d answered, want %d and %d", from, ge, ga, we, wa)
		}
	}
	if e, a := c.Window(c.Now()); e != 0 || a != 0 {
		t.Fatalf("after now: %d, %d", e, a)
	}
	first := c.Elections()[0].Time
	if err := c.Seek(first); err != nil {
		t.Fatal(err)
	}
	if e, a := c.Window(-1); e != 1 || a != 0 {
		t.Fatalf("back at the first election: %d elections, %d answered, want 1 and 0", e, a)
	}
}
