package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// moment is what a test remembers of the cluster at one time.
type moment struct {
	snap     sim.Snapshot
	hash     uint64
	traceLen int
	events   int
	actions  int
}

func remember(c *sim.Cluster) moment {
	sn := c.Snapshot(1, 1<<30)
	sn.Horizon = 0 // how far the run has been, not where it is
	return moment{snap: sn, hash: c.Hash(), traceLen: c.TraceLen(), events: c.Events(), actions: len(c.Actions())}
}

// checkMoment checks that the cluster is exactly as remembered.
func checkMoment(t *testing.T, c *sim.Cluster, want moment, at int) {
	t.Helper()
	got := remember(c)
	if got.hash != want.hash || got.events != want.events || got.traceLen != want.traceLen {
		t.Fatalf("at %dms: hash %x events %d trace %d, want %x, %d, %d", at, got.hash, got.events, got.traceLen, want.hash, want.events, want.traceLen)
	}
	if !reflect.DeepEqual(got.snap, want.snap) {
		t.Fatalf("at %dms: the snapshot differs from the one taken the first time", at)
	}
}

// recordedRun runs the script, remembering the cluster at 50ms, 550ms,
// 1050ms and so on to the end at 10050ms, moments at which it takes no
// action, and returns the cluster, what it remembered, and the whole
// trace.
func recordedRun(t *testing.T, checkpointEvery int) (*sim.Cluster, map[int]moment, []string) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.Seed = 5; cfg.CheckpointEvery = checkpointEvery })
	seen := map[int]moment{0: remember(c)}
	script(t, c, func(c *sim.Cluster) {
		if c.Now()%500 == 50 {
			seen[c.Now()] = remember(c)
		}
	})
	return c, seen, traceStrings(c, 0)
}

// TestTimeTravelSeek: seeking back and forth to remembered moments gives
// exactly the state, hash and trace the cluster had then.
func TestTimeTravelSeek(t *testing.T) {
	for _, every := range []int{0, 97} {
		c, seen, trace := recordedRun(t, every)
		end := remember(c)
		for _, at := range []int{5050, 1050, 7550, 2550, 10050, 0, 9550, 550, 3050, 6550} {
			if err := c.Seek(at); err != nil {
				t.Fatalf("Seek(%d): %v", at, err)
			}
			if c.Now() != at {
				t.Fatalf("Seek(%d): now %d", at, c.Now())
			}
			checkMoment(t, c, seen[at], at)
			if got := traceStrings(c, 0); !slices.Equal(got, trace[:len(got)]) {
				t.Fatalf("at %dms the trace is not the first run's prefix", at)
			}
			if c.Horizon() != 10050 {
				t.Fatalf("horizon %d after seeking to %d, want 10050", c.Horizon(), at)
			}
			if len(c.Actions()) != end.actions {
				t.Fatalf("seeking changed the recorded actions: %d, want %d", len(c.Actions()), end.actions)
			}
			taken := c.ActionsTaken()
			if len(taken) != seen[at].actions || !reflect.DeepEqual(taken, c.Actions()[:len(taken)]) {
				t.Fatalf("at %dms: %d actions taken, want the first %d recorded", at, len(taken), seen[at].actions)
			}
			if !c.Aligned() {
				t.Fatalf("at %dms after a seek, events are still pending", at)
			}
		}
		// Forward from the past without acting: the recorded actions
		// replay at their moments and the run ends as before.
		if err := c.Seek(1550); err != nil {
			t.Fatal(err)
		}
		run(t, c, 8500)
		checkMoment(t, c, end, 10050)
		if got := traceStrings(c, 0); !slices.Equal(got, trace) {
			t.Fatal("the replayed trace differs from the recorded one")
		}
	}
}

// TestTimeTravelFork: acting in the past drops the recorded future and
// makes a new one.
func TestTimeTravelFork(t *testing.T) {
	c, seen, _ := recordedRun(t, 0)
	end := remember(c)
	before := c.Actions()

	// At 5050 the cluster is still electing after the heal at 5000 (the
	// messages sent across the partition are lost, not delivered late), so
	// the fork crashes the leader a little later.
	const forkAt = 5550
	if err := c.Seek(forkAt); err != nil {
		t.Fatal(err)
	}
	checkMoment(t, c, seen[forkAt], forkAt)
	l := c.Leader()
	if l == raft.None {
		t.Fatalf("no leader at %dms to crash", forkAt)
	}
	if len(c.Forks()) != 0 {
		t.Fatalf("forks %v before acting in the past", c.Forks())
	}
	traceAt := c.TraceLen()
	crash(t, c, l)
	if f := c.Forks(); len(f) != 1 || f[0] != traceAt {
		t.Fatalf("forks %v after acting at %dms, want [%d] (the trace's length then)", f, forkAt, traceAt)
	}
	acts := c.Actions()
	if len(acts) >= len(before) {
		t.Fatalf("%d actions after forking, %d before", len(acts), len(before))
	}
	for i, a := range acts[:len(acts)-1] {
		if a.Time > forkAt || !reflect.DeepEqual(a, before[i]) {
			t.Fatalf("action %d (%v at %d) is not from the shared past", i, a.Action, a.Time)
		}
	}
	if last := acts[len(acts)-1]; last.Action.Kind != sim.ActCrash || last.Time != forkAt {
		t.Fatalf("last action %v at %d, want the crash at %d", last.Action, last.Time, forkAt)
	}
	if c.Horizon() != forkAt {
		t.Fatalf("horizon %d after forking at %d", c.Horizon(), forkAt)
	}
	run(t, c, 10050-forkAt)
	forked := remember(c)
	if forked.hash == end.hash {
		t.Fatal("the new future ends exactly like the old one")
	}
	if c.Horizon() != 10050 {
		t.Fatalf("horizon %d at the end of the new future", c.Horizon())
	}

	// The new future is now the recorded one: going back before the fork
	// and forward again replays it, the fork action included.
	if err := c.Seek(2050); err != nil {
		t.Fatal(err)
	}
	checkMoment(t, c, seen[2050], 2050)
	if err := c.Seek(10050); err != nil {
		t.Fatal(err)
	}
	checkMoment(t, c, forked, 10050)

	// The same fork made on a fresh cluster from the start gives the same
	// run: a forked future is an ordinary run.
	fresh := newCluster(t, func(cfg *sim.Config) { cfg.Seed = 5 })
	for _, a := range acts {
		if err := fresh.RunUntil(a.Time); err != nil {
			t.Fatal(err)
		}
		do(t, fresh, a.Action)
	}
	run(t, fresh, 10050-fresh.Now())
	if fresh.Hash() != forked.hash {
		t.Fatalf("replaying the forked actions on a fresh cluster: hash %x, want %x", fresh.Hash(), forked.hash)
	}
	// Acting at the present replaces no future.
	do(t, c, sim.Action{Kind: sim.ActHeal})
	if n := len(c.Forks()); n != 1 {
		t.Fatalf("%d forks after acting at the present, want 1", n)
	}
}

// TestTimeTravelUnalignedActions: an action taken between two events of
// the same moment (after Step, not RunUntil) replays at exactly that
// point when the cluster seeks back and forth over it.
func TestTimeTravelUnalignedActions(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.CheckpointEvery = 50 })
	run(t, c, 1000)
	var marks []moment // each taken after the steps, before the actions
	for i := 0; i < 40; i++ {
		c.StepN(3)
		marks = append(marks, remember(c))
		if l := c.Leader(); l != raft.None {
			do(t, c, sim.Action{Kind: sim.ActPropose, Cmd: cmdN("u", i)})
		}
		if i == 20 {
			crash(t, c, c.Leader())
		}
		if i == 30 {
			heal(t, c)
			restart(t, c, downServers(c)[0])
		}
	}
	unaligned := 0
	for _, a := range c.Actions() {
		if !a.Aligned {
			unaligned++
		}
	}
	if unaligned == 0 {
		t.Fatal("no unaligned action: the test does not test what it says")
	}
	run(t, c, 100) // to a moment with no action of its own
	end := remember(c)
	endTime := c.Now()
	if err := c.Seek(0); err != nil {
		t.Fatal(err)
	}
	if c.Events() != 0 || c.TraceLen() != 5 { // five restarts at time 0
		t.Fatalf("at 0ms: %d events, %d records", c.Events(), c.TraceLen())
	}
	// Step forward through each remembered moment. Step applies the
	// actions recorded at a moment just before the event after it, so
	// after the steps the cluster is as it was before those actions.
	for i, m := range marks {
		for c.Events() < m.events {
			if !c.Step() {
				t.Fatal("no next event")
			}
		}
		if got := remember(c); got.hash != m.hash || !reflect.DeepEqual(got.snap, m.snap) {
			t.Fatalf("mark %d (%d events): the replayed state differs", i, m.events)
		}
	}
	if err := c.Seek(endTime); err != nil {
		t.Fatal(err)
	}
	if got := remember(c); got.hash != end.hash || got.actions != end.actions {
		t.Fatalf("after seeking back and forth: hash %x actions %d, want %x, %d", got.hash, got.actions, end.hash, end.actions)
	}
}

// TestTimeTravelErrors: a negative time, the past without checkpoints,
// running backwards.
func TestTimeTravelErrors(t *testing.T) {
	c := newCluster(t, nil)
	run(t, c, 500)
	if err := c.Seek(-1); err == nil {
		t.Fatal("Seek(-1) accepted")
	}
	if err := c.RunUntil(100); err == nil {
		t.Fatal("RunUntil into the past accepted")
	}
	if err := c.RunFor(-5); err == nil {
		t.Fatal("RunFor(-5) accepted")
	}
	if c.Now() != 500 {
		t.Fatalf("a refused call moved the clock to %d", c.Now())
	}

	nc := newCluster(t, func(cfg *sim.Config) { cfg.CheckpointEvery = -1 })
	run(t, nc, 500)
	if err := nc.Seek(200); err == nil {
		t.Fatal("seeking back without checkpoints accepted")
	}
	if nc.Now() != 500 {
		t.Fatalf("a refused seek moved the clock to %d", nc.Now())
	}
	if err := nc.Seek(800); err != nil {
		t.Fatalf("seeking forward without checkpoints: %v", err)
	}
	if nc.Now() != 800 {
		t.Fatalf("now %d after Seek(800)", nc.Now())
	}
}

// TestTimeTravelUnsafeRun seeks back and forth over a run in which the
// invariant monitor records a violation: the violations found by each
// moment, like everything else, are exactly those found the first time.
func TestTimeTravelUnsafeRun(t *testing.T) {
	rules := raft.DefaultRules.With(raft.ElectionRestriction, false).With(raft.CurrentTermCommit, false).With(raft.PersistVote, false)
	var r sim.SweepResult
	for seed := uint64(1); seed <= 50 && len(r.Violations) == 0; seed++ {
		r = sim.Sweep(sim.SweepConfig{Servers: 5, Duration: 10000, Rules: rules, Seed: seed})
	}
	if len(r.Violations) == 0 {
		t.Fatal("no violating run in seeds 1..50 with three safety rules off")
	}
	for _, every := range []int{5, 0} {
		cfg := sim.SweepConfig{Servers: 5, Rules: rules, Seed: r.Seed}.ClusterConfig()
		cfg.CheckpointEvery = every
		c, err := sim.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		acted := map[int]bool{} // moments at which the sweep acted
		for _, ta := range r.Schedule {
			acted[ta.Time] = true
		}
		seen := map[int]moment{}
		found := map[int][]string{}
		record := func(at int) {
			if err := c.RunUntil(at); err != nil {
				t.Fatal(err)
			}
			if acted[at] {
				return // what a seek to a moment of actions shows is not this test's business
			}
			seen[at] = remember(c)
			for _, v := range c.Violations() {
				found[at] = append(found[at], v.String())
			}
		}
		next := 100
		for _, ta := range r.Schedule {
			for ; next < ta.Time; next += 100 {
				record(next)
			}
			if err := c.RunUntil(ta.Time); err != nil {
				t.Fatal(err)
			}
			_ = c.Do(ta.Action) // as the sweep did, refused actions included
		}
		for ; next <= r.Time; next += 100 {
			record(next)
		}
		if len(c.Violations()) == 0 {
			t.Fatalf("seed %d replayed without its violation", r.Seed)
		}
		run(t, c, r.Time-c.Now())
		if c.Hash() != r.Hash {
			t.Fatalf("replaying seed %d by hand: hash %x, sweep %x", r.Seed, c.Hash(), r.Hash)
		}
		first := r.Violations[0].Time
		safe, unsafe := 0, 0
		for _, at := range []int{next - 100, 100, max(100, first/100*100), (first/100 + 1) * 100, 2000, next - 200, 500} {
			if _, ok := seen[at]; !ok {
				continue
			}
			if err := c.Seek(at); err != nil {
				t.Fatal(err)
			}
			checkMoment(t, c, seen[at], at)
			var got []string
			for _, v := range c.Violations() {
				got = append(got, v.String())
			}
			if !slices.Equal(got, found[at]) {
				t.Fatalf("every %d, at %dms: violations %v, want %v", every, at, got, found[at])
			}
			if (at < first) != c.Safe() {
				t.Fatalf("at %dms (first violation at %d): Safe() = %v", at, first, c.Safe())
			}
			if at < first {
				safe++
			} else {
				unsafe++
			}
		}
		if safe == 0 || unsafe == 0 {
			t.Fatalf("checked %d moments before the violation and %d after; want some of each", safe, unsafe)
		}
	}
}

// TestTimeTravelReplayNext: after a seek back to a moment at which actions
// were taken, those actions are still to come; a script that takes them
// again in the same order walks through the recorded future instead of
// forking it, and anything else forks.
func TestTimeTravelReplayNext(t *testing.T) {
	c := newCluster(t, nil)
	run(t, c, 1000)
	l := checkOneLeader(t, c)
	a1 := sim.Action{Kind: sim.ActPropose, Cmd: "one"}
	a2 := sim.Action{Kind: sim.ActPartition, Groups: [][]raft.ID{{1, 2}, {3, 4, 5}}}
	do(t, c, a1)
	do(t, c, a2)
	run(t, c, 1000)
	do(t, c, sim.Action{Kind: sim.ActHeal})
	run(t, c, 1000)
	end := remember(c)
	recorded := c.Actions()

	if err := c.Seek(1000); err != nil {
		t.Fatal(err)
	}
	if len(c.Actions()) != 3 {
		t.Fatalf("%d actions recorded after the seek, want 3", len(c.Actions()))
	}
	if c.ReplayNext(a2) {
		t.Fatal("ReplayNext took an action out of order")
	}
	if c.ReplayNext(sim.Action{Kind: sim.ActPropose, Cmd: "other"}) {
		t.Fatal("ReplayNext took an action that was not recorded")
	}
	if !c.ReplayNext(a1) || !c.ReplayNext(a2) {
		t.Fatal("ReplayNext refused the recorded actions, in order")
	}
	if got := c.ActionsTaken(); len(got) != 2 || !reflect.DeepEqual(got, recorded[:2]) {
		t.Fatalf("actions taken %v, want the first two recorded", got)
	}
	if len(c.Log(l)) != 1 {
		t.Fatalf("leader %v's log %v after replaying the proposal", l, c.Log(l))
	}
	run(t, c, 2000)
	checkMoment(t, c, end, 3000)

	// StepUntil takes one event at most, and none past its limit.
	if err := c.Seek(1500); err != nil {
		t.Fatal(err)
	}
	at, ok := c.NextEventTime()
	if !ok || c.StepUntil(at-1) {
		t.Fatalf("StepUntil(%d) processed an event due at %d", at-1, at)
	}
	before := c.Events()
	if !c.StepUntil(at) || c.Events() != before+1 {
		t.Fatalf("StepUntil(%d): %d events, want %d", at, c.Events(), before+1)
	}
}

// TestActionStrings: actions print compactly for traces, commands quoted
// (scenario text is the scenario package's to write; the player's tests
// round-trip actions through it).
func TestActionStrings(t *testing.T) {
	for _, tc := range []struct {
		a    sim.Action
		want string
	}{
		{sim.Action{Kind: sim.ActTimeout, Server: 3}, "timeout S3"},
		{sim.Action{Kind: sim.ActPropose, Cmd: "x"}, `propose "x"`},
		{sim.Action{Kind: sim.ActPropose, Cmd: "set_x-1.5", Server: 2}, `propose "set_x-1.5" to S2`},
		{sim.Action{Kind: sim.ActPropose, Cmd: "set x 1"}, `propose "set x 1"`},
		{sim.Action{Kind: sim.ActPropose, Cmd: ""}, `propose ""`},
		{sim.Action{Kind: sim.ActPropose, Cmd: "S1"}, `propose "S1"`},
		{sim.Action{Kind: sim.ActPropose, Cmd: "to"}, `propose "to"`},
		{sim.Action{Kind: sim.ActPropose, Cmd: "1st"}, `propose "1st"`},
		{sim.Action{Kind: sim.ActPropose, Cmd: "中文"}, `propose "中文"`},
		{sim.Action{Kind: sim.ActCrash, Server: 1}, "crash S1"},
		{sim.Action{Kind: sim.ActCrash, Server: 1, BeforeSend: true}, "crash S1 before-send"},
		{sim.Action{Kind: sim.ActCrash, Server: 1, AfterSend: true}, "crash S1 after-send"},
		{sim.Action{Kind: sim.ActRestart, Server: 9}, "restart S9"},
		{sim.Action{Kind: sim.ActPartition, Groups: [][]raft.ID{{1, 2}, {3}}}, "partition S1 S2 | S3"},
		{sim.Action{Kind: sim.ActIsolate, Server: 4}, "isolate S4"},
		{sim.Action{Kind: sim.ActLinkDown, From: 1, To: 2}, "link S1->S2 down"},
		{sim.Action{Kind: sim.ActLinkUp, From: 2, To: 1}, "link S2->S1 up"},
		{sim.Action{Kind: sim.ActHeal}, "heal"},
		{sim.Action{Kind: sim.ActDrop, Rate: 0.05}, "drop 0.05"},
		{sim.Action{Kind: sim.ActDuplicate, Rate: 1}, "duplicate 1"},
		{sim.Action{Kind: sim.ActLatency, Min: 1, Max: 200}, "latency 1-200ms"},
		{sim.Action{Kind: sim.ActDropNext, From: 3, To: 5}, "drop next S3->S5"},
		{sim.Action{Kind: sim.ActRule, Rule: raft.PreVote, On: true}, "rule prevote on"},
		{sim.Action{Kind: sim.ActRule, Rule: raft.CurrentTermCommit}, "rule current-term-commit off"},
		{sim.Action{Kind: sim.ActTimer, Server: 2, Delay: 25}, "timer S2 25ms"},
		{sim.Action{Kind: sim.ActDropMessage, MsgID: 17}, "drop message 17"},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("%+v prints as %q, want %q", tc.a, got, tc.want)
		}
	}
}
