package sim

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"raftplay/raft"
)

// checkMonitorLogs fails unless the monitor's summary of every server's
// log is that server's durable log: after a crash that lost writes, the
// monitor must follow the log the server restarts from.
func checkMonitorLogs(t *testing.T, c *Cluster, when string) {
	t.Helper()
	for _, id := range c.peers {
		disk, sum := &c.servers[id].log, &c.mon.logs[id]
		if disk.Len() != sum.Len() {
			t.Fatalf("%s: the monitor sees %v's log as %d entries long, its disk holds %d", when, id, sum.Len(), disk.Len())
		}
		var h uint64
		for i := range disk.Len() {
			e := disk.At(i)
			h = entryHash(h, &e)
			if m := sum.At(i); m.term != e.Term || m.hash != h {
				t.Fatalf("%s: the monitor's summary of %v's log differs from its disk at index %d", when, id, i+1)
			}
		}
	}
}

// A follower that acknowledged an entry and crashed before writing it
// holds none: the monitor must see it so, and go on following its log
// when it takes another entry at that index after restarting.
func TestAfterSendMonitorFollowsTheDisk(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Servers = 3
	cfg.Rules = cfg.Rules.With(raft.PersistBeforeSend, false)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	must := func(a Action) {
		t.Helper()
		if err := c.Do(a); err != nil {
			t.Fatalf("%v: %v", a, err)
		}
	}
	deliver := func(from, to raft.ID, k MsgKind) {
		t.Helper()
		must(Action{Kind: ActDeliver, From: from, To: to, Msg: k})
	}
	must(Action{Kind: ActNetworkManual})
	must(Action{Kind: ActTimeout, Server: 1})
	deliver(1, 2, KindVote)
	deliver(2, 1, KindVoteReply)
	must(Action{Kind: ActDropOne, From: 1, To: 3, Msg: KindVote})
	must(Action{Kind: ActPropose, Server: 1, Cmd: "x"})
	must(Action{Kind: ActCrash, Server: 2, AfterSend: true})
	deliver(1, 2, KindHeartbeat) // the election's heartbeat: it carries nothing
	must(Action{Kind: ActRestart, Server: 2})
	must(Action{Kind: ActCrash, Server: 2, AfterSend: true})
	deliver(1, 2, KindAppend)
	checkMonitorLogs(t, c, "after S2 lost x")
	if len(c.Log(2)) != 0 {
		t.Fatalf("S2's disk holds %v", c.Log(2))
	}
	must(Action{Kind: ActRestart, Server: 2})
	must(Action{Kind: ActCrash, Server: 1})
	deliver(1, 3, KindHeartbeat) // S3 learns of term 1, not of x
	must(Action{Kind: ActTimeout, Server: 3})
	deliver(3, 2, KindVote)
	deliver(2, 3, KindVoteReply)
	must(Action{Kind: ActPropose, Server: 3, Cmd: "y"})
	deliver(3, 2, KindHeartbeat)
	deliver(3, 2, KindAppend)
	checkMonitorLogs(t, c, "after S2 took y")
	if l := c.Log(2); len(l) != 1 || l[0].Cmd != "y" {
		t.Fatalf("S2's log %v", l)
	}
}

// The same under random faults, after-send crashes among them, with
// persist-before-send off and a small batch.
func TestAfterSendMonitorFollowsTheDiskUnderFaults(t *testing.T) {
	lost := 0
	for seed := uint64(1); seed <= 40; seed++ {
		cfg := DefaultConfig()
		cfg.Seed = seed
		cfg.Rules = cfg.Rules.With(raft.PersistBeforeSend, false)
		cfg.MaxEntries = 2
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(seed, 7))
		for c.Now() < 4000 {
			_ = c.RunUntil(c.Now() + 1 + rng.IntN(30))
			if l := c.Leader(); l != raft.None {
				_ = c.Do(Action{Kind: ActPropose, Cmd: "c"})
			}
			id := raft.ID(1 + rng.IntN(cfg.Servers))
			switch rng.IntN(6) {
			case 0:
				_ = c.Do(Action{Kind: ActCrash, Server: id, AfterSend: true})
			case 1:
				_ = c.Do(Action{Kind: ActRestart, Server: id})
			}
		}
		for _, r := range c.Trace(0) {
			if r.Kind == RecUnwritten {
				lost++
			}
		}
		checkMonitorLogs(t, c, "seed "+strconv.FormatUint(seed, 10))
	}
	if lost == 0 {
		t.Fatal("no crash lost a write: the test tests nothing")
	}
}
