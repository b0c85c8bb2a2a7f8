package sim_test

import (
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// This file tests partial connectivity and the timing knobs: a link cut
// both ways, a flaky link with a loss rate of its own, and the election
// timeout range changed at run time.

// TestLinkBothWays: a link cut both ways loses what each of its two
// directions carries and nothing else; other servers still reach both
// ends. Up both ways restores both; up one way restores one.
func TestLinkBothWays(t *testing.T) {
	c := steadyCluster(t, nil) // S1 leads
	do(t, c, sim.Action{Kind: sim.ActLinkDown, From: 1, To: 3, Both: true})
	if got := c.Snapshot(1, 0).Network.LinksDown; len(got) != 2 || got[0] != [2]raft.ID{1, 3} || got[1] != [2]raft.ID{3, 1} {
		t.Fatalf("links down after S1<->S3 down: %v", got)
	}
	mark := c.TraceLen()
	proposeTo(t, c, 1, "x")
	run(t, c, 500)
	cut := losses(c, mark, sim.LossCut)
	if len(cut) == 0 {
		t.Fatal("nothing lost between S1 and S3")
	}
	for _, m := range cut {
		if !(m.From == 1 && m.To == 3 || m.From == 3 && m.To == 1) {
			t.Fatalf("lost on a link that is up: %v", m)
		}
	}
	// S2 still reaches both: S3 has heard from no leader, S1 still leads.
	if c.Leader() != 1 {
		t.Fatalf("leader %v, want S1", c.Leader())
	}
	if got := c.Commit(2); got < 1 {
		t.Fatalf("S2 did not commit x: commit %d", got)
	}
	if got := c.Snapshot(1, 0).Network.LinksDown; len(got) != 2 {
		t.Fatalf("links down: %v", got)
	}

	do(t, c, sim.Action{Kind: sim.ActLinkUp, From: 3, To: 1})
	if got := c.Snapshot(1, 0).Network.LinksDown; len(got) != 1 || got[0] != [2]raft.ID{1, 3} {
		t.Fatalf("after S3->S1 up, links down %v, want only S1->S3", got)
	}
	do(t, c, sim.Action{Kind: sim.ActLinkUp, From: 1, To: 3, Both: true})
	if got := c.Snapshot(1, 0).Network.LinksDown; len(got) != 0 {
		t.Fatalf("after S1<->S3 up, links down %v", got)
	}
	for _, a := range []sim.Action{
		{Kind: sim.ActLinkDown, From: 1, To: 1, Both: true},
		{Kind: sim.ActLinkUp, From: 1, To: 7, Both: true},
		{Kind: sim.ActDropNext, From: 1, To: 2, Both: true},
	} {
		if err := c.Do(a); err == nil {
			t.Errorf("%v accepted", a)
		}
	}
}

// TestFlakyLink: a link's own loss rate loses about that share of the
// messages on it, one way or both, and none elsewhere; it is narrated as
// a flaky link; heal keeps it (it is a rate, like drop, not a cut); rate 0
// clears it; the manual network does not apply it.
func TestFlakyLink(t *testing.T) {
	c := steadyCluster(t, nil)
	do(t, c, sim.Action{Kind: sim.ActLinkDrop, From: 1, To: 2, Rate: 1})
	mark := c.TraceLen()
	run(t, c, 500)
	flaky := losses(c, mark, sim.LossFlaky)
	if len(flaky) < 5 {
		t.Fatalf("%d messages lost on a link losing all", len(flaky))
	}
	for _, m := range flaky {
		if m.From != 1 || m.To != 2 {
			t.Fatalf("lost to the flaky link S1->S2: %v", m)
		}
	}
	said := strings.Join(traceStrings(c, mark), "\n")
	if !strings.Contains(said, "flaky-link") {
		t.Fatalf("the trace does not say flaky-link:\n%s", said)
	}

	do(t, c, sim.Action{Kind: sim.ActLinkDrop, From: 1, To: 2, Rate: 0.3, Both: true})
	if got := c.Snapshot(1, 0).Network.LinkLoss; len(got) != 2 || got[0] != (sim.LinkLoss{From: 1, To: 2, Rate: 0.3}) || got[1] != (sim.LinkLoss{From: 2, To: 1, Rate: 0.3}) {
		t.Fatalf("link loss %v", got)
	}
	heal(t, c)
	if got := c.Snapshot(1, 0).Network.LinkLoss; len(got) != 2 {
		t.Fatalf("heal cleared link loss: %v", got)
	}
	mark = c.TraceLen()
	for i := 0; i < 100; i++ {
		proposeTo(t, c, c.Leader(), cmdN("v", i))
		run(t, c, 50)
	}
	var sent [2]int
	for _, r := range c.Trace(mark) {
		if r.Kind == sim.RecEvent && r.Event.Kind == raft.EvBecameLeader {
			t.Fatalf("a new leader under 30%% loss on one link: %v", r)
		}
	}
	lost := losses(c, mark, sim.LossFlaky)
	for _, m := range lost {
		switch {
		case m.From == 1 && m.To == 2:
			sent[0]++
		case m.From == 2 && m.To == 1:
			sent[1]++
		default:
			t.Fatalf("lost to a flaky link elsewhere: %v", m)
		}
	}
	// About 100 heartbeats and 100 appends each way over 5 s: 30% of
	// about 200 is 60.
	for i, n := range sent {
		if n < 35 || n > 90 {
			t.Errorf("direction %d lost %d messages, want about 60 (30%%)", i, n)
		}
	}

	do(t, c, sim.Action{Kind: sim.ActLinkDrop, From: 2, To: 1, Rate: 0, Both: true})
	if got := c.Snapshot(1, 0).Network.LinkLoss; len(got) != 0 {
		t.Fatalf("rate 0 both ways left %v", got)
	}

	// The manual network applies no rate.
	do(t, c, sim.Action{Kind: sim.ActLinkDrop, From: 1, To: 2, Rate: 1})
	do(t, c, sim.Action{Kind: sim.ActNetworkManual})
	do(t, c, sim.Action{Kind: sim.ActHeartbeat, Server: 1})
	mark = c.TraceLen()
	do(t, c, sim.Action{Kind: sim.ActDeliver, From: 1, To: 2, Msg: sim.KindHeartbeat})
	if n := len(losses(c, mark, sim.LossFlaky)); n != 0 {
		t.Fatalf("the manual network lost %d messages to a flaky link", n)
	}

	for _, a := range []sim.Action{
		{Kind: sim.ActLinkDrop, From: 1, To: 2, Rate: 1.5},
		{Kind: sim.ActLinkDrop, From: 1, To: 2, Rate: -0.1},
		{Kind: sim.ActLinkDrop, From: 2, To: 2, Rate: 0.1},
		{Kind: sim.ActLinkDrop, From: 2, To: 0, Rate: 0.1},
	} {
		if err := c.Do(a); err == nil {
			t.Errorf("%v accepted", a)
		}
	}
}

// TestElectionRangeAction: a new election timeout range redraws nothing;
// each server uses it from its next draw, a restarted server from the
// start; a rewind before it restores the old range.
func TestElectionRangeAction(t *testing.T) {
	c := steadyCluster(t, nil) // election 1000-1500ms, S1 leads
	run(t, c, 30)
	before := c.ServerState(2, 1, 0)
	at := c.Now()
	do(t, c, sim.Action{Kind: sim.ActElection, Min: 300, Max: 400})
	if st := c.ServerState(2, 1, 0); st.TimerStart != before.TimerStart || st.TimerDeadline != before.TimerDeadline {
		t.Fatalf("S2's timer was redrawn: %d..%d, was %d..%d", st.TimerStart, st.TimerDeadline, before.TimerStart, before.TimerDeadline)
	}
	if net := c.Snapshot(1, 0).Network; net.ElectionMin != 300 || net.ElectionMax != 400 {
		t.Fatalf("snapshot says election %d-%d", net.ElectionMin, net.ElectionMax)
	}
	run(t, c, 100) // heartbeats reset the followers' timers
	for _, id := range []raft.ID{2, 3, 4, 5} {
		st := c.ServerState(id, 1, 0)
		if d := st.TimerDeadline - st.TimerStart; st.TimerStart <= at || d < 300 || d > 400 {
			t.Fatalf("S%d's timer after a heartbeat: %d..%d (%dms), want a draw from 300-400ms", id, st.TimerStart, st.TimerDeadline, d)
		}
	}
	crash(t, c, 4)
	restart(t, c, 4)
	if st := c.ServerState(4, 1, 0); st.TimerDeadline-st.TimerStart < 300 || st.TimerDeadline-st.TimerStart > 400 {
		t.Fatalf("restarted S4 drew %dms, want 300-400ms", st.TimerDeadline-st.TimerStart)
	}
	if err := c.Seek(at - 1); err != nil {
		t.Fatal(err)
	}
	if net := c.Snapshot(1, 0).Network; net.ElectionMin != 1000 || net.ElectionMax != 1500 {
		t.Fatalf("after a rewind before the change, election %d-%d, want 1000-1500", net.ElectionMin, net.ElectionMax)
	}
	for _, a := range []sim.Action{
		{Kind: sim.ActElection, Min: 0, Max: 300},
		{Kind: sim.ActElection, Min: 300, Max: 200},
		{Kind: sim.ActElection, Min: 300, Max: 3_600_001},
	} {
		if err := c.Do(a); err == nil {
			t.Errorf("%v accepted", a)
		}
	}
}
