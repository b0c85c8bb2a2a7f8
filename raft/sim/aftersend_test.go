package sim_test

import (
	"reflect"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// afterSendCluster is a manual 3-server cluster with persist-before-send
// on or off.
func afterSendCluster(t *testing.T, persistFirst bool) *sim.Cluster {
	return manualCluster(t, func(cfg *sim.Config) {
		cfg.Rules = cfg.Rules.With(raft.PersistBeforeSend, persistFirst)
	})
}

func crashAfterSend(t *testing.T, c *sim.Cluster, id raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActCrash, Server: id, AfterSend: true})
}

// unwrittenRecords returns the trace's records of lost writes from index
// from on.
func unwrittenRecords(c *sim.Cluster, from int) []sim.Unwritten {
	var out []sim.Unwritten
	for _, r := range c.Trace(from) {
		if r.Kind == sim.RecUnwritten {
			out = append(out, *r.Unwritten)
		}
	}
	return out
}

// A crash after sending waits for the server's next step, which sends its
// messages; with persist-before-send on, that step's state is on disk
// first: the vote survives the crash and the candidate gets it.
func TestAfterSendPersistFirstKeepsTheVote(t *testing.T) {
	c := afterSendCluster(t, true)
	timeout(t, c, 1)
	crashAfterSend(t, c, 2)
	if st := c.ServerState(2, 1, 0); !st.Up || !st.CrashArmed || !st.CrashAfter {
		t.Fatalf("armed S2: up %v, armed %v, after-send %v", st.Up, st.CrashArmed, st.CrashAfter)
	}
	from := c.TraceLen()
	deliver(t, c, 1, 2, sim.KindVote)
	st := c.ServerState(2, 1, 0)
	if st.Up || st.CrashArmed || st.Term != 1 || st.Vote != 1 {
		t.Fatalf("S2 after its step: up %v, armed %v, durable term %d, vote %v; want crashed, term 1, vote S1", st.Up, st.CrashArmed, st.Term, st.Vote)
	}
	if got := inFlight(c); !reflect.DeepEqual(got, []string{"S1->S3 vote", "S2->S1 vote-reply"}) {
		t.Fatalf("in flight: %v (the vote was not sent)", got)
	}
	if u := unwrittenRecords(c, from); len(u) != 0 {
		t.Fatalf("lost writes recorded with persist-before-send on: %v", u)
	}
	// It comes back with its vote: S3's request of term 1 is denied.
	restart(t, c, 2)
	timeout(t, c, 3)
	deliver(t, c, 3, 2, sim.KindVote)
	if b := c.Ballots(); len(b) != 2 || b[1].Granted {
		t.Fatalf("ballots %+v: S2 voted twice in term 1", b)
	}
	checkSafe(t, c)
}

// With persist-before-send off the vote reaches the candidate but never
// the disk: S2 restarts in term 0 with no vote, votes again in term 1,
// and the term gets two leaders.
func TestAfterSendSendFirstLosesTheVote(t *testing.T) {
	c := afterSendCluster(t, false)
	timeout(t, c, 1)
	crashAfterSend(t, c, 2)
	from := c.TraceLen()
	deliver(t, c, 1, 2, sim.KindVote)
	st := c.ServerState(2, 1, 0)
	if st.Up || st.Term != 0 || st.Vote != raft.None {
		t.Fatalf("S2 after its step: up %v, durable term %d, vote %v; want crashed, term 0, no vote", st.Up, st.Term, st.Vote)
	}
	if got := inFlight(c); !reflect.DeepEqual(got, []string{"S1->S3 vote", "S2->S1 vote-reply"}) {
		t.Fatalf("in flight: %v (the vote was not sent)", got)
	}
	u := unwrittenRecords(c, from)
	want := []sim.Unwritten{{Server: 2, Term: 1, Was: 0, Vote: 1, VoteTerm: 1}}
	if !reflect.DeepEqual(u, want) {
		t.Fatalf("lost writes %+v, want %+v", u, want)
	}
	if c.ViolationCount(sim.TermMonotonic) != 0 {
		t.Fatal("the monitor saw S2's term go down: it must see only what was written")
	}
	deliver(t, c, 2, 1, sim.KindVoteReply)
	if !isLeader(c, 1) {
		t.Fatal("S1 did not win with S2's vote")
	}
	restart(t, c, 2)
	timeout(t, c, 3)
	deliver(t, c, 3, 2, sim.KindVote)
	deliver(t, c, 2, 3, sim.KindVoteReply)
	if c.ViolationCount(sim.ElectionSafety) != 1 {
		t.Fatalf("want one Election Safety violation, got %v", c.Violations())
	}
}

func isLeader(c *sim.Cluster, id raft.ID) bool {
	return c.Up(id) && c.Role(id) == raft.Leader
}

// electS1 makes S1 leader of term 1 in a manual 3-server cluster and
// replicates its first entry x (index 1) to everyone.
func electS1(t *testing.T, c *sim.Cluster) {
	t.Helper()
	timeout(t, c, 1)
	deliver(t, c, 1, 2, sim.KindVote)
	deliver(t, c, 2, 1, sim.KindVoteReply)
	deliver(t, c, 1, 3, sim.KindVote)
	deliver(t, c, 3, 1, sim.KindVoteReply)
	if !isLeader(c, 1) {
		t.Fatal("S1 is not leader")
	}
	// The heartbeats of its election, answered.
	for _, p := range []raft.ID{2, 3} {
		deliver(t, c, 1, p, sim.KindHeartbeat)
		deliver(t, c, p, 1, sim.KindAppendReply)
	}
}

// A follower that acknowledges an entry and crashes before writing it
// (persist-before-send off): the leader counts the acknowledgement and
// commits, the follower comes back without the entry, and a leader
// without it is elected by the two servers that lack it.
func TestAfterSendSendFirstLosesAnAcknowledgedEntry(t *testing.T) {
	for _, persistFirst := range []bool{true, false} {
		c := afterSendCluster(t, persistFirst)
		electS1(t, c)
		proposeTo(t, c, 1, "x")
		crashAfterSend(t, c, 2)
		from := c.TraceLen()
		deliver(t, c, 1, 2, sim.KindAppend)
		if c.Up(2) {
			t.Fatal("S2 did not crash at its step")
		}
		if got := inFlight(c); !reflect.DeepEqual(got, []string{"S1->S3 append", "S2->S1 append-reply"}) {
			t.Fatalf("in flight: %v (the acknowledgement was not sent)", got)
		}
		u := unwrittenRecords(c, from)
		got := cmds(c.Log(2))
		if persistFirst {
			if len(u) != 0 || !reflect.DeepEqual(got, []string{"x"}) {
				t.Fatalf("persist-before-send on: S2's disk holds %v, lost %+v", got, u)
			}
			continue
		}
		if len(got) != 0 {
			t.Fatalf("persist-before-send off: S2's disk holds %v, want nothing", got)
		}
		if len(u) != 1 || u[0].From != 1 || u[0].Lost != 1 || u[0].AckedTo != 1 || u[0].Term != 0 || u[0].Vote != raft.None ||
			len(u[0].Entries) != 1 || u[0].Entries[0].Cmd != "x" {
			t.Fatalf("lost writes %+v, want entry 1 acknowledged to S1", u)
		}
		deliver(t, c, 2, 1, sim.KindAppendReply)
		if c.Commit(1) != 1 {
			t.Fatalf("S1 did not commit x on S2's acknowledgement: commit %d", c.Commit(1))
		}
		crash(t, c, 1)
		restart(t, c, 2)
		do(t, c, sim.Action{Kind: sim.ActDropOne, From: 1, To: 3, Msg: sim.KindAppend})
		timeout(t, c, 3)
		deliver(t, c, 3, 2, sim.KindVote)
		deliver(t, c, 2, 3, sim.KindVoteReply)
		if !isLeader(c, 3) || c.ViolationCount(sim.LeaderCompleteness) == 0 {
			t.Fatalf("S3 leader %v, violations %v: want a leader lacking the committed entry", isLeader(c, 3), c.Violations())
		}
	}
}

// A leader that crashes after sending a new entry, with
// persist-before-send off, loses it from its own disk; the record says it
// had sent it.
func TestAfterSendLeaderLosesItsEntry(t *testing.T) {
	c := afterSendCluster(t, false)
	electS1(t, c)
	crashAfterSend(t, c, 1)
	from := c.TraceLen()
	proposeTo(t, c, 1, "x")
	if c.Up(1) || len(c.Log(1)) != 0 {
		t.Fatalf("S1 up %v, disk %v: want crashed with nothing written", c.Up(1), cmds(c.Log(1)))
	}
	u := unwrittenRecords(c, from)
	if len(u) != 1 || u[0].Lost != 1 || u[0].SentTo != 2 || u[0].AckedTo != raft.None {
		t.Fatalf("lost writes %+v, want entry 1 sent to 2 followers", u)
	}
	line := sim.Describe(sim.Record{Kind: sim.RecUnwritten, Unwritten: &u[0]}).String()
	if !strings.Contains(line, "unwritten.entries.sent") || !strings.Contains(line, `code="persist-before-send"`) {
		t.Fatalf("narrated as %s", line)
	}
}

// A step that writes nothing new loses nothing, and is not told as a
// loss: a heartbeat answered, with persist-before-send off.
func TestAfterSendNothingToLose(t *testing.T) {
	c := afterSendCluster(t, false)
	electS1(t, c)
	do(t, c, sim.Action{Kind: sim.ActHeartbeat, Server: 1})
	crashAfterSend(t, c, 2)
	from := c.TraceLen()
	deliver(t, c, 1, 2, sim.KindHeartbeat)
	if c.Up(2) || c.Term(2) != 1 || c.ServerState(2, 1, 0).Vote != 1 {
		t.Fatalf("S2 up %v, term %d: want crashed in term 1 with its vote", c.Up(2), c.Term(2))
	}
	if u := unwrittenRecords(c, from); len(u) != 0 {
		t.Fatalf("lost writes %+v after a step that wrote nothing", u)
	}
}

// Before-send and after-send are two different crashes: not both at once.
func TestAfterSendAndBeforeSendExclusive(t *testing.T) {
	c := newCluster(t, nil)
	err := c.Do(sim.Action{Kind: sim.ActCrash, Server: 1, BeforeSend: true, AfterSend: true})
	if err == nil || !strings.Contains(err.Error(), "not both") {
		t.Fatalf("got %v", err)
	}
	if got := (sim.Action{Kind: sim.ActCrash, Server: 2, AfterSend: true}).String(); got != "crash S2 after-send" {
		t.Fatalf("String: %q", got)
	}
}

// afterSendRun drives a 5-server cluster with persist-before-send off and
// batches of 2 through crashes after sending, restarts and proposals drawn
// from seed.
func afterSendRun(t *testing.T, seed uint64, noTrace bool) *sim.Cluster {
	c := newCluster(t, func(cfg *sim.Config) {
		cfg.Seed = seed
		cfg.Rules = cfg.Rules.With(raft.PersistBeforeSend, false)
		cfg.MaxEntries = 2
		cfg.NoTrace = noTrace
	})
	rng := testRand(seed)
	for c.Now() < 5000 {
		run(t, c, 1+rng.IntN(40))
		if c.Leader() != raft.None {
			_ = c.Do(sim.Action{Kind: sim.ActPropose, Cmd: cmdN("c", c.Now())})
		}
		id := raft.ID(1 + rng.IntN(5))
		switch rng.IntN(5) {
		case 0:
			_ = c.Do(sim.Action{Kind: sim.ActCrash, Server: id, AfterSend: true})
		case 1:
			_ = c.Do(sim.Action{Kind: sim.ActRestart, Server: id})
		}
	}
	return c
}

// The same seed gives the same run with crashes after sending, traced or
// not, and the lost writes are in the trace and the hash.
func TestDeterminismAfterSend(t *testing.T) {
	a, b := afterSendRun(t, 11, false), afterSendRun(t, 11, false)
	if a.Hash() != b.Hash() || !reflect.DeepEqual(traceStrings(a, 0), traceStrings(b, 0)) {
		t.Fatal("same seed, different runs")
	}
	if !reflect.DeepEqual(a.Snapshot(1, 1<<30), b.Snapshot(1, 1<<30)) {
		t.Fatal("same seed, different final states")
	}
	if n := afterSendRun(t, 11, true); n.Hash() != a.Hash() {
		t.Fatalf("without the trace: hash %x, want %x", n.Hash(), a.Hash())
	}
	if len(unwrittenRecords(a, 0)) == 0 {
		t.Fatal("no crash lost a write")
	}
	if afterSendRun(t, 12, false).Hash() == a.Hash() {
		t.Fatal("seeds 11 and 12 give the same hash")
	}
}

// MaxEntries bounds the entries of one AppendEntries; 0 keeps the
// engine's default.
func TestMaxEntries(t *testing.T) {
	for _, tc := range []struct{ batch, want int }{{0, 10}, {3, 3}, {1, 1}, {64, 10}} {
		c := newCluster(t, func(cfg *sim.Config) {
			cfg.Servers = 3
			cfg.MaxEntries = tc.batch
		})
		timeout(t, c, 1)
		run(t, c, 100)
		isolate(t, c, 2)
		for i := range 10 {
			proposeTo(t, c, 1, cmdN("c", i))
		}
		run(t, c, 100)
		heal(t, c)
		most := 0
		for c.Now() < 2000 {
			for _, f := range c.Snapshot(1, 0).InFlight {
				if f.Msg.Type == raft.MsgApp && f.Msg.To == 2 {
					most = max(most, len(f.Msg.Entries))
				}
			}
			c.Step()
		}
		if most != tc.want || len(c.Log(2)) != 10 {
			t.Fatalf("batch %d: at most %d entries in one AppendEntries (want %d); S2 holds %d of 10", tc.batch, most, tc.want, len(c.Log(2)))
		}
	}
}

// A sweep run's batch size is a function of its seed, in its cluster's
// configuration (so that a replay or a shrunk scenario has it too), and
// runs have different ones.
func TestSweepBatch(t *testing.T) {
	seen := map[int]bool{}
	for seed := uint64(1); seed <= 40; seed++ {
		sc := sim.SweepConfig{Servers: 5, Duration: 1000, Rules: raft.DefaultRules, Seed: seed}
		b := sc.Batch()
		if b != sc.Batch() || sc.ClusterConfig().MaxEntries != b {
			t.Fatalf("seed %d: batch %d, then %d; in the config %d", seed, b, sc.Batch(), sc.ClusterConfig().MaxEntries)
		}
		if b < 0 || b > raft.DefaultMaxEntries {
			t.Fatalf("seed %d: batch %d", seed, b)
		}
		seen[b] = true
	}
	if len(seen) < 3 || !seen[0] {
		t.Fatalf("batches drawn in 40 seeds: %v", seen)
	}
}
