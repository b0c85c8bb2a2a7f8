package sim_test

import (
	"reflect"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// manualCluster returns a 3-server cluster whose network went manual at
// time 0.
func manualCluster(t *testing.T, edit func(*sim.Config)) *sim.Cluster {
	t.Helper()
	c := newCluster(t, func(cfg *sim.Config) {
		cfg.Servers = 3
		if edit != nil {
			edit(cfg)
		}
	})
	do(t, c, sim.Action{Kind: sim.ActNetworkManual})
	return c
}

// msgAct builds a deliver, drop or duplicate action.
func msgAct(k sim.ActionKind, from, to raft.ID, kind sim.MsgKind, nth int) sim.Action {
	return sim.Action{Kind: k, From: from, To: to, Msg: kind, Nth: nth}
}

func deliver(t *testing.T, c *sim.Cluster, from, to raft.ID, kind sim.MsgKind) {
	t.Helper()
	do(t, c, msgAct(sim.ActDeliver, from, to, kind, 0))
}

// inFlight lists the messages in flight as "S1->S2 vote", oldest first.
func inFlight(c *sim.Cluster) []string {
	fl := c.Snapshot(1, 0).InFlight
	var out []string
	for _, k := range orderSent(fl) {
		m := &fl[k].Msg
		out = append(out, m.From.String()+"->"+m.To.String()+" "+sim.KindOf(m).String())
	}
	return out
}

// orderSent returns the indexes of fl in the order the messages were sent.
func orderSent(fl []sim.MessageState) []int {
	idx := make([]int, len(fl))
	for i := range idx {
		idx[i] = i
		for j := i; j > 0 && fl[idx[j]].ID < fl[idx[j-1]].ID; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	return idx
}

// In the manual network nothing happens by itself: no timer fires and no
// message arrives, however long the cluster runs, and there is no next
// event to step to.
func TestManualNothingHappensByItself(t *testing.T) {
	c := manualCluster(t, nil)
	timeout(t, c, 1)
	before := c.TraceLen()
	run(t, c, 60_000)
	if c.Events() != 0 || c.TraceLen() != before {
		t.Fatalf("something happened by itself: %d events, trace %v", c.Events(), traceStrings(c, before))
	}
	if c.Step() {
		t.Fatal("Step found an event")
	}
	if _, ok := c.NextEventTime(); ok {
		t.Fatal("NextEventTime found an event")
	}
	if got := inFlight(c); !reflect.DeepEqual(got, []string{"S1->S2 vote", "S1->S3 vote"}) {
		t.Errorf("in flight: %v", got)
	}
	sn := c.Snapshot(1, 0)
	if !sn.Manual {
		t.Error("the snapshot does not say the network is manual")
	}
	for _, m := range sn.InFlight {
		if !m.Waiting {
			t.Errorf("message %d is not waiting", m.ID)
		}
	}
	for _, s := range sn.Servers {
		if s.TimerDeadline != 0 {
			t.Errorf("%v shows a running timer (deadline %d)", s.ID, s.TimerDeadline)
		}
	}
}

// Each step happens ManualStep after the one before (or after the network
// went manual); time already let pass counts toward it.
func TestManualStepsTakeManualStep(t *testing.T) {
	c := manualCluster(t, nil)
	var times []int
	for _, a := range []sim.Action{
		{Kind: sim.ActTimeout, Server: 1},
		msgAct(sim.ActDeliver, 1, 2, sim.KindVote, 0),
		{Kind: sim.ActRule, Rule: raft.LeaderNoop, On: true}, // not a step
	} {
		do(t, c, a)
		times = append(times, c.Now())
	}
	run(t, c, 3)
	do(t, c, msgAct(sim.ActDeliver, 2, 1, sim.KindVoteReply, 0))
	times = append(times, c.Now())
	run(t, c, 100)
	do(t, c, msgAct(sim.ActDropOne, 1, 3, sim.KindVote, 0))
	times = append(times, c.Now())
	want := []int{10, 20, 20, 30, 130}
	if !reflect.DeepEqual(times, want) {
		t.Errorf("steps at %v ms, want %v", times, want)
	}
	for _, ta := range c.Actions() {
		if ta.Action.Kind.IsStep() != (ta.Action.Kind != sim.ActRule && ta.Action.Kind != sim.ActNetworkManual) {
			t.Errorf("%v: IsStep is %v", ta.Action, ta.Action.Kind.IsStep())
		}
	}
}

// An election and a replication, one message at a time.
func TestManualElectionAndReplication(t *testing.T) {
	c := manualCluster(t, nil)
	timeout(t, c, 1)
	if c.Role(1) != raft.Candidate || c.Term(1) != 1 {
		t.Fatalf("S1 %v in term %d after its timer ran out", c.Role(1), c.Term(1))
	}
	deliver(t, c, 1, 2, sim.KindVote)
	deliver(t, c, 2, 1, sim.KindVoteReply)
	if c.Role(1) != raft.Leader {
		t.Fatalf("S1 is %v after a majority's votes", c.Role(1))
	}
	want := []string{"S1->S3 vote", "S1->S2 heartbeat", "S1->S3 heartbeat"}
	if got := inFlight(c); !reflect.DeepEqual(got, want) {
		t.Fatalf("in flight %v, want %v", got, want)
	}
	proposeTo(t, c, 1, "x")
	deliver(t, c, 1, 2, sim.KindAppend)
	if got := c.Log(2); len(got) != 1 || got[0].Cmd != "x" {
		t.Fatalf("S2's log %v", got)
	}
	deliver(t, c, 2, 1, sim.KindAppendReply)
	if c.Commit(1) != 1 || len(c.Applied(1)) != 1 {
		t.Fatalf("S1 committed %d, applied %v", c.Commit(1), c.Applied(1))
	}
	heartbeatTo := func() int {
		n := 0
		for _, m := range inFlight(c) {
			if m == "S1->S2 heartbeat" {
				n++
			}
		}
		return n
	}
	if n := heartbeatTo(); n != 1 {
		t.Fatalf("%d heartbeats from S1 to S2 in flight, want 1 (the first one)", n)
	}
	do(t, c, sim.Action{Kind: sim.ActHeartbeat, Server: 1})
	if n := heartbeatTo(); n != 2 {
		t.Fatalf("%d heartbeats from S1 to S2 in flight after heartbeat S1, want 2", n)
	}
	// The newer heartbeat carries the commit index: deliver it, the 2nd.
	do(t, c, msgAct(sim.ActDeliver, 1, 2, sim.KindHeartbeat, 2))
	if c.Commit(2) != 1 {
		t.Errorf("S2 committed %d after the newer heartbeat, want 1", c.Commit(2))
	}
	checkSafe(t, c)
}

// A message is named by its link and type, and by its place in the order
// sent when several match; the errors say what is there and how to name it.
func TestManualPickErrors(t *testing.T) {
	c := manualCluster(t, nil)
	timeout(t, c, 1)
	deliver(t, c, 1, 2, sim.KindVote)
	deliver(t, c, 2, 1, sim.KindVoteReply)
	do(t, c, sim.Action{Kind: sim.ActHeartbeat, Server: 1})
	do(t, c, sim.Action{Kind: sim.ActHeartbeat, Server: 1})
	for _, tt := range []struct {
		a    sim.Action
		want string
	}{
		{msgAct(sim.ActDeliver, 1, 2, sim.KindVote, 0), "no vote in flight from S1 to S2 (3 heartbeat)"},
		{msgAct(sim.ActDeliver, 2, 1, sim.KindVoteReply, 0), "no vote-reply in flight from S2 to S1 (nothing is in flight from S2 to S1)"},
		{msgAct(sim.ActDropOne, 1, 2, sim.KindHeartbeat, 0), "3 heartbeat messages are in flight from S1 to S2: say which by its place in the order sent, from drop S1->S2 heartbeat 1 (the oldest) to drop S1->S2 heartbeat 3"},
		{msgAct(sim.ActDuplicateOne, 1, 2, sim.KindHeartbeat, 4), "only 3 heartbeat messages are in flight from S1 to S2, so there is no number 4"},
		{msgAct(sim.ActDeliver, 1, 3, sim.KindVote, 2), "only 1 vote is in flight from S1 to S3, so there is no number 2"},
		{msgAct(sim.ActDeliver, 1, 1, sim.KindVote, 0), "a link joins two different servers"},
		{msgAct(sim.ActDeliver, 1, 4, sim.KindVote, 0), "no server 4 (servers are S1..S3)"},
		{msgAct(sim.ActDeliver, 1, 2, 0, 0), "unknown message type (types: vote, vote-reply, prevote, prevote-reply, append, heartbeat, append-reply, timeout-now)"},
		{sim.Action{Kind: sim.ActHeartbeat, Server: 2}, "S2 is not a leader"},
		{sim.Action{Kind: sim.ActTimeout, Server: 1}, "S1 is a leader: a leader has no election timer (heartbeat S1 fires its heartbeat)"},
		{sim.Action{Kind: sim.ActTimer, Server: 2, Delay: 100}, "the network is manual: timers do not run (set one after network auto)"},
		{sim.Action{Kind: sim.ActNetworkManual}, "the network is manual already"},
	} {
		before := c.Hash()
		err := c.Do(tt.a)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%v: got %v, want %q", tt.a, err, tt.want)
		}
		if c.Hash() != before {
			t.Errorf("%v: refused, but changed the cluster", tt.a)
		}
	}
	// The ordinal counts in the order sent: the 1st heartbeat is the one
	// S1 sent as it became leader, with no commit index and no entry.
	fl := c.Snapshot(1, 0).InFlight
	var oldest uint64
	for _, m := range fl {
		if m.Msg.From == 1 && m.Msg.To == 2 && (oldest == 0 || m.ID < oldest) {
			oldest = m.ID
		}
	}
	do(t, c, msgAct(sim.ActDropOne, 1, 2, sim.KindHeartbeat, 1))
	for _, m := range c.Snapshot(1, 0).InFlight {
		if m.ID == oldest {
			t.Errorf("drop ... heartbeat 1 did not drop the oldest heartbeat (%d)", oldest)
		}
	}
	do(t, c, sim.Action{Kind: sim.ActNetworkAuto})
	if err := c.Do(msgAct(sim.ActDeliver, 1, 2, sim.KindHeartbeat, 1)); err == nil ||
		!strings.Contains(err.Error(), "the network is not manual") {
		t.Errorf("deliver with the network running by itself: %v", err)
	}
	if err := c.Do(sim.Action{Kind: sim.ActNetworkAuto}); err == nil {
		t.Error("network auto twice was accepted")
	}
}

// Dropping a message loses it by hand; duplicating one delivers a copy
// and keeps it in flight.
func TestManualDropAndDuplicate(t *testing.T) {
	c := manualCluster(t, nil)
	timeout(t, c, 1)
	mark := c.TraceLen()
	do(t, c, msgAct(sim.ActDropOne, 1, 3, sim.KindVote, 0))
	if lost := losses(c, mark, sim.LossByHand); len(lost) != 1 || lost[0].To != 3 || lost[0].Type != raft.MsgVote {
		t.Errorf("dropping S1->S3 vote lost %v", lost)
	}
	if c.Term(3) != 0 {
		t.Errorf("S3 heard of term %d from a dropped message", c.Term(3))
	}
	do(t, c, msgAct(sim.ActDuplicateOne, 1, 2, sim.KindVote, 0))
	if got := inFlight(c); !reflect.DeepEqual(got, []string{"S1->S2 vote", "S2->S1 vote-reply"}) {
		t.Fatalf("after duplicating S1->S2 vote, in flight: %v", got)
	}
	mark = c.TraceLen()
	deliver(t, c, 1, 2, sim.KindVote)
	granted := events(c, mark, func(e raft.Event) bool { return e.Kind == raft.EvVoteGranted })
	if len(granted) != 1 || granted[0].Reason != raft.ReasonSameCandidate {
		t.Errorf("the original, after its copy: %v", granted)
	}
	// The copy is the older reply; each is a vote for S1 and it counts once.
	do(t, c, msgAct(sim.ActDeliver, 2, 1, sim.KindVoteReply, 2))
	do(t, c, msgAct(sim.ActDeliver, 2, 1, sim.KindVoteReply, 0))
	if c.Role(1) != raft.Leader {
		t.Errorf("S1 is %v", c.Role(1))
	}
}

// Loss and duplication rates do not apply to the manual network: a
// message arrives when the script delivers it, and once.
func TestManualIgnoresLossAndDuplicationRates(t *testing.T) {
	c := manualCluster(t, func(cfg *sim.Config) { cfg.Drop, cfg.Duplicate = 1, 1 })
	timeout(t, c, 1)
	if got := inFlight(c); len(got) != 2 {
		t.Fatalf("duplicated in the manual network: %v", got)
	}
	deliver(t, c, 1, 2, sim.KindVote)
	if c.Term(2) != 1 {
		t.Errorf("lost in the manual network: S2 in term %d", c.Term(2))
	}
}

// A message to a crashed server stays in flight; delivered, it is lost,
// as the simulator loses any message that reaches a crashed server. A
// cut link loses it too.
func TestManualDeliverToCrashedOrCut(t *testing.T) {
	c := manualCluster(t, nil)
	crash(t, c, 2)
	timeout(t, c, 1)
	if got := inFlight(c); len(got) != 2 {
		t.Fatalf("in flight: %v", got)
	}
	mark := c.TraceLen()
	deliver(t, c, 1, 2, sim.KindVote)
	if lost := losses(c, mark, sim.LossDown); len(lost) != 1 {
		t.Errorf("delivered to a crashed server: lost %v, trace %v", lost, traceStrings(c, mark))
	}
	linkDown(t, c, 1, 3)
	mark = c.TraceLen()
	deliver(t, c, 1, 3, sim.KindVote)
	if lost := losses(c, mark, sim.LossCut); len(lost) != 1 || c.Term(3) != 0 {
		t.Errorf("delivered over a cut link: lost %v, S3 in term %d", lost, c.Term(3))
	}
}

// Under pre-vote, the election timer running out starts a pre-vote round.
// The servers' clocks stand still in the manual network: a leader heard
// from stays recent however long the script waits, so its followers deny
// pre-votes (ReasonLeaderAlive) until the network runs by itself again.
func TestManualPreVoteLeaseStandsStill(t *testing.T) {
	c := manualCluster(t, func(cfg *sim.Config) { cfg.Rules = cfg.Rules.With(raft.PreVote, true) })
	timeout(t, c, 1)
	if c.Role(1) != raft.PreCandidate {
		t.Fatalf("S1 is %v after its timer ran out under prevote", c.Role(1))
	}
	deliver(t, c, 1, 2, sim.KindPreVote)
	deliver(t, c, 2, 1, sim.KindPreVoteReply)
	deliver(t, c, 1, 2, sim.KindVote)
	deliver(t, c, 2, 1, sim.KindVoteReply)
	deliver(t, c, 1, 2, sim.KindHeartbeat)
	deliver(t, c, 1, 3, sim.KindVote) // S3 moves to term 1: its pre-vote asks for 2
	crash(t, c, 1)
	run(t, c, 60_000)
	timeout(t, c, 3)
	mark := c.TraceLen()
	deliver(t, c, 3, 2, sim.KindPreVote)
	denied := events(c, mark, func(e raft.Event) bool { return e.Kind == raft.EvVoteDenied })
	if len(denied) != 1 || denied[0].Reason != raft.ReasonLeaderAlive {
		t.Errorf("S2, a minute after it heard from S1: %v", denied)
	}
}

// Back to auto: timers start afresh from now, and every message in flight
// arrives after a latency drawn from now; nothing happens in the past.
func TestManualBackToAuto(t *testing.T) {
	c := manualCluster(t, nil)
	timeout(t, c, 1)
	run(t, c, 5000)
	do(t, c, sim.Action{Kind: sim.ActNetworkAuto})
	now := c.Now()
	sn := c.Snapshot(1, 0)
	cfg := c.Config()
	for _, m := range sn.InFlight {
		if m.Waiting || m.At < now+cfg.LatencyMin || m.At > now+cfg.LatencyMax {
			t.Errorf("message %d arrives at %d (waiting %v), want within latency of %d", m.ID, m.At, m.Waiting, now)
		}
	}
	for _, s := range sn.Servers {
		if s.TimerDeadline < now+cfg.ElectionMin || s.TimerDeadline > now+cfg.ElectionMax {
			t.Errorf("%v's timer runs out at %d, want a fresh one from %d", s.ID, s.TimerDeadline, now)
		}
	}
	mark := c.TraceLen()
	run(t, c, 2000)
	for _, r := range c.Trace(mark) {
		if r.Time < now {
			t.Fatalf("after going back to auto at %d, something happened at %d: %v", now, r.Time, r)
		}
	}
	if c.Events() == 0 || c.Leader() == raft.None {
		t.Errorf("the cluster did not run by itself: %d events, leader %v", c.Events(), c.Leader())
	}
	checkSafe(t, c)
}

// Going back and forth in time across manual steps gives the same states.
// A step happens at its moment: a seek to that very moment stops just
// before it (as before any action: a script replaying its own action
// there takes it up), and any later one, up to the next step, after it.
func TestManualSeek(t *testing.T) {
	c := manualCluster(t, nil)
	var snaps []sim.Snapshot // after each step
	var times []int          // each step's moment
	keep := func() {
		sn := c.Snapshot(1, 100)
		sn.Horizon = 0
		snaps = append(snaps, sn)
		times = append(times, c.Now())
	}
	keep()
	for _, a := range []sim.Action{
		{Kind: sim.ActTimeout, Server: 1},
		msgAct(sim.ActDeliver, 1, 2, sim.KindVote, 0),
		msgAct(sim.ActDuplicateOne, 2, 1, sim.KindVoteReply, 0),
		{Kind: sim.ActPropose, Cmd: "x"},
		msgAct(sim.ActDropOne, 1, 3, sim.KindVote, 0),
		msgAct(sim.ActDeliver, 1, 3, sim.KindAppend, 0),
		{Kind: sim.ActCrash, Server: 2},
		{Kind: sim.ActRestart, Server: 2},
	} {
		do(t, c, a)
		keep()
	}
	end := c.Now()
	check := func(at int, want sim.Snapshot) {
		t.Helper()
		if err := c.Seek(at); err != nil {
			t.Fatal(err)
		}
		sn := c.Snapshot(1, 100)
		sn.Horizon = 0
		want.Time = at
		if !reflect.DeepEqual(sn, want) {
			t.Errorf("at %dms after a seek:\n got %+v\nwant %+v", at, sn, want)
		}
	}
	both := func(i int) {
		check(times[i]+sim.ManualStep/2, snaps[i])
		if i > 0 {
			check(times[i], snaps[i-1])
		}
	}
	for i := len(snaps) - 1; i >= 0; i-- {
		both(i)
	}
	for i := range snaps {
		both(i)
	}
	if err := c.Seek(end); err != nil || c.Now() != end {
		t.Fatalf("seek to the end: %v, at %d", err, c.Now())
	}
}
