package sim_test

import (
	"math"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// steadyCluster returns a default cluster whose leader is S1, elected by
// a forced timeout and settled, with long election timeouts so that no
// one else campaigns while a test pokes at the network.
func steadyCluster(t *testing.T, edit func(*sim.Config)) *sim.Cluster {
	t.Helper()
	c := newCluster(t, func(cfg *sim.Config) {
		cfg.ElectionMin, cfg.ElectionMax = 1000, 1500
		if edit != nil {
			edit(cfg)
		}
	})
	timeout(t, c, 1)
	run(t, c, 100)
	expectLeader(t, c, 1, 1)
	return c
}

// appendsInFlight returns the AppendEntries in flight that carry the entry
// at index, by receiver.
func appendsInFlight(c *sim.Cluster, index int) map[raft.ID][]sim.MessageState {
	out := map[raft.ID][]sim.MessageState{}
	for _, m := range c.Snapshot(1, 0).InFlight {
		if m.Msg.Type != raft.MsgApp {
			continue
		}
		for _, e := range m.Msg.Entries {
			if e.Index == index {
				out[m.Msg.To] = append(out[m.Msg.To], m)
			}
		}
	}
	return out
}

// hasEntry reports whether id's log holds cmd.
func hasEntry(c *sim.Cluster, id raft.ID, cmd string) bool {
	for _, e := range c.Log(id) {
		if e.Cmd == cmd && !e.Noop {
			return true
		}
	}
	return false
}

// TestNetworkCutInFlight: a message is lost if a cut stands between its
// ends when it arrives, even if it was sent before the cut, and if one
// stood there when it was sent, even if the cut heals before it arrives.
func TestNetworkCutInFlight(t *testing.T) {
	c := steadyCluster(t, nil)
	proposeTo(t, c, 1, "x")
	flying := appendsInFlight(c, 1)
	if len(flying) != 4 {
		t.Fatalf("AppendEntries in flight to %d followers, want 4", len(flying))
	}
	for _, ms := range flying {
		if ms[0].Cut {
			t.Fatalf("message %d marked cut on a healthy network", ms[0].ID)
		}
	}
	isolate(t, c, 3)
	for _, m := range appendsInFlight(c, 1)[3] {
		if !m.Cut {
			t.Fatalf("message %d to isolated S3 not marked cut", m.ID)
		}
	}
	mark := c.TraceLen()
	run(t, c, 30)
	if hasEntry(c, 3, "x") {
		t.Fatal("isolated S3 received x sent before the cut")
	}
	cut := losses(c, mark, sim.LossCut)
	found := false
	for _, m := range cut {
		if m.From == 1 && m.To == 3 && len(m.Entries) == 1 && m.Entries[0].Cmd == "x" {
			found = true
		}
		if m.From != 3 && m.To != 3 {
			t.Fatalf("a message between connected servers was lost to a cut: %v", m)
		}
	}
	if !found {
		t.Fatalf("no cut loss recorded for S1's AppendEntries to S3: %v", cut)
	}
	for _, id := range []raft.ID{2, 4, 5} {
		if !hasEntry(c, id, "x") {
			t.Fatalf("%v did not receive x", id)
		}
	}

	// A message sent while its link is cut never left: it is lost even
	// when the link comes back before it would have arrived.
	linkDown(t, c, 1, 2)
	proposeTo(t, c, 1, "y")
	if ms := appendsInFlight(c, 2)[2]; len(ms) != 1 || !ms[0].Cut {
		t.Fatalf("AppendEntries with y to S2: %v, want one, marked cut", ms)
	}
	do(t, c, sim.Action{Kind: sim.ActLinkUp, From: 1, To: 2})
	if ms := appendsInFlight(c, 2)[2]; len(ms) != 1 || !ms[0].Cut {
		t.Fatalf("after the link came back, AppendEntries with y to S2: %v, want it still marked cut", ms)
	}
	mark = c.TraceLen()
	run(t, c, 30)
	if hasEntry(c, 2, "y") {
		t.Fatal("S2 received y, sent while its link was cut, because the link came back before it arrived")
	}
	lostY := false
	for _, m := range losses(c, mark, sim.LossCut) {
		lostY = lostY || (m.From == 1 && m.To == 2 && len(m.Entries) > 0 && m.Entries[len(m.Entries)-1].Cmd == "y")
	}
	if !lostY {
		t.Fatal("no cut loss recorded for the AppendEntries with y sent across the cut")
	}
	// The next heartbeat, sent on the healed link, repairs S2's log.
	run(t, c, 100)
	if !hasEntry(c, 2, "y") {
		t.Fatal("S2 never received y after the link came back")
	}
	checkSafe(t, c)
}

// TestNetworkCrashes: a message to a crashed server is lost; messages a
// server sent before it crashed are still delivered; "crash before-send"
// persists the step's state but loses its messages.
func TestNetworkCrashes(t *testing.T) {
	t.Run("receiver-down", func(t *testing.T) {
		c := steadyCluster(t, nil)
		proposeTo(t, c, 1, "x")
		crash(t, c, 4)
		mark := c.TraceLen()
		run(t, c, 30)
		lost := losses(c, mark, sim.LossDown)
		found := false
		for _, m := range lost {
			if m.To != 4 {
				t.Fatalf("lost to a crashed receiver, but addressed to %v: %v", m.To, m)
			}
			found = found || (m.From == 1 && len(m.Entries) == 1 && m.Entries[0].Cmd == "x")
		}
		if !found {
			t.Fatalf("no receiver-down loss of x to S4: %v", lost)
		}
		if hasEntry(c, 4, "x") {
			t.Fatal("crashed S4 stored x")
		}
	})
	t.Run("sent-then-crashed", func(t *testing.T) {
		c := steadyCluster(t, nil)
		proposeTo(t, c, 1, "x")
		crash(t, c, 1)
		run(t, c, 30)
		for _, id := range []raft.ID{2, 3, 4, 5} {
			if !hasEntry(c, id, "x") {
				t.Fatalf("%v did not receive x sent before S1 crashed", id)
			}
		}
		if n := len(losses(c, 0, sim.LossCrashed)); n != 0 {
			t.Fatalf("%d messages lost as never sent after a plain crash", n)
		}
	})
	t.Run("before-send", func(t *testing.T) {
		c := steadyCluster(t, nil)
		do(t, c, sim.Action{Kind: sim.ActCrash, Server: 1, BeforeSend: true})
		if !c.Up(1) || !c.ServerState(1, 1, 0).CrashArmed {
			t.Fatalf("S1 after arming: up %v, armed %v", c.Up(1), c.ServerState(1, 1, 0).CrashArmed)
		}
		mark := c.TraceLen()
		proposeTo(t, c, 1, "x")
		if c.Up(1) {
			t.Fatal("S1 still up after the step a before-send crash was armed for")
		}
		if st := c.ServerState(1, 1, 0); st.CrashArmed {
			t.Fatal("crash still armed after it happened")
		}
		if log := c.Log(1); len(log) != 1 || log[0].Cmd != "x" || log[0].Term != 1 {
			t.Fatalf("S1's durable log %v, want the proposal persisted", log)
		}
		never := losses(c, mark, sim.LossCrashed)
		if len(never) != 4 {
			t.Fatalf("%d messages never sent, want the 4 AppendEntries: %v", len(never), never)
		}
		for _, m := range never {
			if m.From != 1 || m.Type != raft.MsgApp || len(m.Entries) != 1 {
				t.Fatalf("unexpected message never sent: %v", m)
			}
		}
		if got := len(appendsInFlight(c, 1)); got != 0 {
			t.Fatalf("AppendEntries with x in flight to %d servers", got)
		}
		run(t, c, 500)
		for _, id := range []raft.ID{2, 3, 4, 5} {
			if hasEntry(c, id, "x") {
				t.Fatalf("%v received x although S1 crashed before sending", id)
			}
		}
		// Restarted, S1 still has x; it is its own term's entry and may yet
		// commit if S1 leads again, or be overwritten otherwise.
		restart(t, c, 1)
		if !hasEntry(c, 1, "x") {
			t.Fatal("restarted S1 lost x")
		}
		checkSafe(t, c)
	})
	t.Run("before-send-vote", func(t *testing.T) {
		// A voter armed to crash persists its vote but never sends it.
		c := newCluster(t, func(cfg *sim.Config) { cfg.ElectionMin, cfg.ElectionMax = 1000, 1500 })
		do(t, c, sim.Action{Kind: sim.ActCrash, Server: 2, BeforeSend: true})
		timeout(t, c, 1)
		run(t, c, 100)
		if c.Up(2) {
			t.Fatal("S2 did not crash at its next step")
		}
		if st := c.ServerState(2, 1, 0); st.Term != 1 || st.Vote != 1 {
			t.Fatalf("crashed S2 persisted term %d vote %v, want term 1 vote S1", st.Term, st.Vote)
		}
		lost := losses(c, 0, sim.LossCrashed)
		if len(lost) != 1 || lost[0].Type != raft.MsgVoteResp || lost[0].To != 1 || lost[0].Reject {
			t.Fatalf("messages never sent: %v, want S2's granted vote", lost)
		}
		expectLeader(t, c, 1, 1) // three other votes suffice
	})
}

// TestNetworkDropNext: "drop next" loses exactly one message on its link,
// and counts up when repeated.
func TestNetworkDropNext(t *testing.T) {
	c := steadyCluster(t, nil)
	do(t, c, sim.Action{Kind: sim.ActDropNext, From: 1, To: 3})
	mark := c.TraceLen()
	proposeTo(t, c, 1, "x")
	run(t, c, 500)
	lost := losses(c, mark, sim.LossDropNext)
	if len(lost) != 1 || lost[0].From != 1 || lost[0].To != 3 || len(lost[0].Entries) != 1 {
		t.Fatalf("dropped: %v, want exactly S1's AppendEntries with x to S3", lost)
	}
	if !hasEntry(c, 3, "x") || c.Commit(3) != 1 {
		t.Fatalf("S3 did not recover x from the next heartbeat: log %v commit %d", c.Log(3), c.Commit(3))
	}

	do(t, c, sim.Action{Kind: sim.ActDropNext, From: 2, To: 1})
	do(t, c, sim.Action{Kind: sim.ActDropNext, From: 2, To: 1})
	mark = c.TraceLen()
	run(t, c, 500)
	lost = losses(c, mark, sim.LossDropNext)
	if len(lost) != 2 {
		t.Fatalf("%d messages dropped after two drop-nexts, want 2", len(lost))
	}
	for _, m := range lost {
		if m.From != 2 || m.To != 1 || m.Type != raft.MsgAppResp {
			t.Fatalf("dropped %v, want S2's responses to S1", m)
		}
	}
	if len(losses(c, 0, sim.LossRandom))+len(losses(c, 0, sim.LossCut)) != 0 {
		t.Fatal("other losses on a healthy network")
	}
}

// TestNetworkDropMessage: a message in flight can be dropped by its id.
func TestNetworkDropMessage(t *testing.T) {
	c := steadyCluster(t, nil)
	proposeTo(t, c, 1, "x")
	m := appendsInFlight(c, 1)[4][0]
	do(t, c, sim.Action{Kind: sim.ActDropMessage, MsgID: m.ID})
	for _, ms := range appendsInFlight(c, 1)[4] {
		if ms.ID == m.ID {
			t.Fatalf("message %d still in flight after being dropped", m.ID)
		}
	}
	lost := losses(c, 0, sim.LossByHand)
	if len(lost) != 1 || lost[0].To != 4 || lost[0].Entries[0].Cmd != "x" {
		t.Fatalf("dropped by hand: %v", lost)
	}
	run(t, c, 15)
	if hasEntry(c, 4, "x") {
		t.Fatal("S4 received the dropped message")
	}
	if err := c.Do(sim.Action{Kind: sim.ActDropMessage, MsgID: m.ID}); err == nil {
		t.Fatal("dropping a message twice was accepted")
	}
}

// TestNetworkLatency: every message takes a delay within the range in
// force when it was sent; a wide range reorders messages.
func TestNetworkLatency(t *testing.T) {
	c := steadyCluster(t, nil)
	do(t, c, sim.Action{Kind: sim.ActLatency, Min: 37, Max: 37})
	for i := 0; i < 20; i++ {
		proposeTo(t, c, 1, cmdN("x", i))
		for _, m := range c.Snapshot(1, 0).InFlight {
			if m.SentAt == c.Now() && m.At-m.SentAt != 37 {
				t.Fatalf("message sent at %d arrives at %d with latency 37ms", m.SentAt, m.At)
			}
		}
		run(t, c, 7)
	}
	do(t, c, sim.Action{Kind: sim.ActLatency, Min: 1, Max: 200})
	reordered := false
	for i := 0; i < 100; i++ {
		proposeTo(t, c, 1, cmdN("y", i))
		sn := c.Snapshot(1, 0)
		if sn.Network.LatMin != 1 || sn.Network.LatMax != 200 {
			t.Fatalf("snapshot latency %d-%d", sn.Network.LatMin, sn.Network.LatMax)
		}
		for _, m := range sn.InFlight {
			if m.SentAt == c.Now() && (m.At-m.SentAt < 1 || m.At-m.SentAt > 200) {
				t.Fatalf("latency %d outside 1-200ms", m.At-m.SentAt)
			}
		}
		// In flight in delivery order; a later-sent message ahead of an
		// earlier one on the same link is a reordering.
		for i, a := range sn.InFlight {
			for _, b := range sn.InFlight[i+1:] {
				if a.Msg.From == b.Msg.From && a.Msg.To == b.Msg.To && a.SentAt > b.SentAt {
					reordered = true
				}
			}
			if i > 0 && (sn.InFlight[i-1].At > a.At || (sn.InFlight[i-1].At == a.At && sn.InFlight[i-1].ID > a.ID)) {
				t.Fatal("snapshot's messages are not in delivery order")
			}
		}
		run(t, c, 5)
	}
	if !reordered {
		t.Fatal("no reordering with latency 1-200ms")
	}
	do(t, c, sim.Action{Kind: sim.ActLatency, Min: 10, Max: 20})
	one(t, c, "z", 5)
	checkSafe(t, c)
}

// TestNetworkDuplicate: with duplication 1 every message is sent twice;
// with 0.3 about 30% are. Duplicates are harmless.
func TestNetworkDuplicate(t *testing.T) {
	c := steadyCluster(t, nil)
	do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 1})
	proposeTo(t, c, 1, "x")
	for id, ms := range appendsInFlight(c, 1) {
		if len(ms) != 2 || ms[0].ID == ms[1].ID || ms[0].Msg.String() != ms[1].Msg.String() {
			t.Fatalf("%d copies of the AppendEntries to %v with duplicate 1", len(ms), id)
		}
	}
	run(t, c, 200)

	do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0.3})
	twice, sent := 0, 0
	for i := 0; i < 300; i++ {
		proposeTo(t, c, 1, cmdN("d", i))
		idx := len(c.Log(1))
		for _, ms := range appendsInFlight(c, idx) {
			sent++
			if len(ms) == 2 {
				twice++
			}
		}
		run(t, c, 30) // everything sent arrives before the next proposal
	}
	if sent != 1200 {
		t.Fatalf("%d AppendEntries sent for 300 proposals to 4 followers", sent)
	}
	t.Logf("duplicated %d of %d", twice, sent)
	if rate := float64(twice) / float64(sent); math.Abs(rate-0.3) > 0.05 {
		t.Fatalf("duplicated %.3f of messages, want about 0.3", rate)
	}
	do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0})
	one(t, c, "end", 5)
	for _, id := range all(c) {
		if got := len(c.Applied(id)); got != 302 {
			t.Fatalf("%v applied %d entries, want 302 (no duplicates)", id, got)
		}
	}
	checkSafe(t, c)
}

// TestNetworkDrop: with loss 1 nothing arrives and no one is elected; with
// loss 0.25 about a quarter of what arrives is lost.
func TestNetworkDrop(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.Drop = 1 })
	run(t, c, 3000)
	if won := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader }); len(won) != 0 {
		t.Fatalf("a leader elected with every message lost: %v", won)
	}
	if got := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvVoteGranted }); len(got) != 0 {
		t.Fatal("a vote request arrived with every message lost")
	}
	if len(losses(c, 0, sim.LossRandom)) == 0 {
		t.Fatal("no random losses recorded")
	}

	c = steadyCluster(t, nil)
	do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0.25})
	mark := c.TraceLen()
	// Every step is one event; a delivery (or loss) takes one message out
	// of flight.
	prev := map[uint64]bool{}
	for _, m := range c.Snapshot(1, 0).InFlight {
		prev[m.ID] = true
	}
	arrived := 0
	for c.Now() < 5000 {
		proposeTo(t, c, 1, cmdN("p", c.Now()))
		for range 20 {
			if !c.Step() {
				t.Fatal("no next event")
			}
			now := map[uint64]bool{}
			for _, m := range c.Snapshot(1, 0).InFlight {
				now[m.ID] = true
			}
			for id := range prev {
				if !now[id] {
					arrived++
				}
			}
			prev = now
		}
	}
	lost := len(losses(c, mark, sim.LossRandom))
	t.Logf("lost %d of %d", lost, arrived)
	if arrived < 1000 {
		t.Fatalf("only %d messages arrived", arrived)
	}
	if rate := float64(lost) / float64(arrived); math.Abs(rate-0.25) > 0.04 {
		t.Fatalf("lost %d of %d (%.3f), want about 0.25", lost, arrived, rate)
	}
	if n := len(losses(c, mark, sim.LossCut)) + len(losses(c, mark, sim.LossDown)); n != 0 {
		t.Fatalf("%d losses of another kind", n)
	}
	checkSafe(t, c)
}

// TestNetworkPartitions: partition groups, isolation and one-way links
// cut what they should, and heal clears them all but not loss or
// duplication rates or latency.
func TestNetworkPartitions(t *testing.T) {
	c := steadyCluster(t, nil)
	partition(t, c, []raft.ID{1, 2})
	net := c.Snapshot(1, 0).Network
	seen := map[int]bool{}
	for _, id := range []raft.ID{3, 4, 5} {
		if seen[net.Group[id]] || net.Group[id] == net.Group[1] || net.Group[id] == 0 {
			t.Fatalf("unnamed servers should each stand alone: groups %v", net.Group)
		}
		seen[net.Group[id]] = true
	}
	if net.Group[1] != net.Group[2] {
		t.Fatalf("S1 and S2 on different sides: %v", net.Group)
	}
	mark := c.TraceLen()
	run(t, c, 2000)
	for _, m := range losses(c, mark, sim.LossCut) {
		if (m.From == 1 && m.To == 2) || (m.From == 2 && m.To == 1) {
			t.Fatalf("lost within a group: %v", m)
		}
	}
	if won := events(c, mark, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader }); len(won) != 0 {
		t.Fatalf("elected with no majority on any side: %v", won)
	}

	// One-way link: S2's messages reach S1, S1's do not reach S2.
	heal(t, c)
	run(t, c, 1000)
	l := checkOneLeader(t, c)
	f := next(c, l, 1)
	linkDown(t, c, l, f)
	mark = c.TraceLen()
	run(t, c, 200)
	for _, m := range losses(c, mark, sim.LossCut) {
		if m.From != l || m.To != f {
			t.Fatalf("lost on a link that is up: %v", m)
		}
	}
	if len(losses(c, mark, sim.LossCut)) == 0 {
		t.Fatal("nothing lost on a link that is down")
	}
	if net := c.Snapshot(1, 0).Network; len(net.LinksDown) != 1 || net.LinksDown[0] != [2]raft.ID{l, f} {
		t.Fatalf("links down: %v", net.LinksDown)
	}

	// Heal clears cuts, not rates.
	isolate(t, c, 3)
	partition(t, c, []raft.ID{1, 2, 3}, []raft.ID{4, 5})
	do(t, c, sim.Action{Kind: sim.ActDrop, Rate: 0.2})
	do(t, c, sim.Action{Kind: sim.ActDuplicate, Rate: 0.1})
	do(t, c, sim.Action{Kind: sim.ActLatency, Min: 5, Max: 50})
	heal(t, c)
	net = c.Snapshot(1, 0).Network
	for id := range net.Group {
		if net.Group[id] != 0 || net.Isolated[id] {
			t.Fatalf("heal left a cut: groups %v isolated %v", net.Group, net.Isolated)
		}
	}
	if len(net.LinksDown) != 0 {
		t.Fatalf("heal left links down: %v", net.LinksDown)
	}
	if net.Drop != 0.2 || net.Duplicate != 0.1 || net.LatMin != 5 || net.LatMax != 50 {
		t.Fatalf("heal changed the rates: drop %v dup %v latency %d-%d", net.Drop, net.Duplicate, net.LatMin, net.LatMax)
	}
	mark = c.TraceLen()
	run(t, c, 2000)
	if n := len(losses(c, mark, sim.LossCut)); n != 0 {
		t.Fatalf("%d cut losses after heal", n)
	}
	if n := len(losses(c, mark, sim.LossRandom)); n == 0 {
		t.Fatal("no random losses after heal with drop 0.2")
	}
}

// TestTimerAction: "timer" makes a server's election timer fire after the
// given delay, unless something resets it first.
func TestTimerAction(t *testing.T) {
	c := newCluster(t, nil)
	setTimer(t, c, 3, 40)
	if st := c.ServerState(3, 1, 0); st.TimerDeadline != 40 || st.TimerStart != 0 {
		t.Fatalf("S3's timer %d..%d, want 0..40", st.TimerStart, st.TimerDeadline)
	}
	run(t, c, 39)
	if c.Role(3) != raft.Follower {
		t.Fatal("S3 campaigned early")
	}
	run(t, c, 1)
	if c.Role(3) != raft.Candidate || c.Term(3) != 1 {
		t.Fatalf("S3 at 40ms: %v of term %d", c.Role(3), c.Term(3))
	}
	fired := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvTimeout })
	if len(fired) != 1 || fired[0].Node != 3 {
		t.Fatalf("timeouts: %v", fired)
	}
	checkOneLeader(t, c)
	if c.Leader() != 3 {
		t.Fatalf("leader %v, want S3", c.Leader())
	}
	// A timer set on a leader has no effect until it steps down.
	setTimer(t, c, 3, 1)
	run(t, c, 1000)
	if c.Leader() != 3 || c.Term(3) != 1 {
		t.Fatalf("a timer on the leader disturbed it: leader %v term %d", c.Leader(), c.Term(3))
	}
}
