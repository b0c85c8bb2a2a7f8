package sim_test

import (
	"slices"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// TestHappenedRecordsAndFollowsRewinds: elections, ballots and removed
// entries are recorded as they happen, with or without the trace, and a
// seek back forgets what had not happened yet.
func TestHappenedRecordsAndFollowsRewinds(t *testing.T) {
	for _, noTrace := range []bool{false, true} {
		c := newCluster(t, func(cfg *sim.Config) { cfg.NoTrace = noTrace; cfg.CheckpointEvery = 64 })
		timeout(t, c, 1)
		run(t, c, 100)
		if got := c.Elections(); len(got) != 1 || got[0].Term != 1 || got[0].Leader != 1 || got[0].Time <= 0 || got[0].Time > 100 {
			t.Fatalf("elections %v, want S1 in term 1, within 100ms", got)
		}
		for _, b := range c.Ballots() {
			if b.Term != 1 || b.Candidate != 1 || !b.Granted || b.Reason != raft.ReasonUpToDate {
				t.Fatalf("ballot %+v, want a vote granted to S1 in term 1 because its log is up to date", b)
			}
		}
		if n := len(c.Ballots()); n != 4 {
			t.Fatalf("%d ballots, want S2..S5's four", n)
		}
		// S1, cut off, appends x; S2 wins term 2 and S1, back, deletes x.
		isolate(t, c, 1)
		proposeTo(t, c, 1, "x")
		mark := c.Now()
		timeout(t, c, 2)
		run(t, c, 100)
		heal(t, c)
		proposeTo(t, c, 2, "y") // y, at index 1, takes x's place on S1
		run(t, c, 300)
		if n := len(c.Elections()); n != 2 || c.Elections()[1] != (sim.Election{Term: 2, Leader: 2, Time: c.Elections()[1].Time}) || c.Elections()[1].Time <= mark {
			t.Fatalf("elections %v, want S2 in term 2 second", c.Elections())
		}
		rm := c.Removals()
		if len(rm) != 1 || rm[0].Server != 1 || rm[0].Entry.Cmd != "x" || rm[0].Entry.Term != 1 {
			t.Fatalf("removals %+v, want S1's entry x of term 1", rm)
		}
		// S1 was cut off and never heard S2's request; S3 granted it.
		granted := false
		for _, b := range c.Ballots() {
			granted = granted || (b.Term == 2 && b.Voter == 3 && b.Candidate == 2 && b.Granted)
		}
		if !granted {
			t.Fatalf("no ballot of S3 for S2 in term 2: %+v", c.Ballots())
		}
		if err := c.Seek(mark); err != nil {
			t.Fatal(err)
		}
		if len(c.Elections()) != 1 || len(c.Removals()) != 0 || len(c.Ballots()) != 4 {
			t.Fatalf("after seeking back before term 2: elections %v, removals %v, %d ballots",
				c.Elections(), c.Removals(), len(c.Ballots()))
		}
	}
}

// TestBallotsSayWhyAVoteWasDenied: each denial carries its reason, and a
// request of a stale term counts under the term it asked for.
func TestBallotsSayWhyAVoteWasDenied(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.Servers = 3 })
	timeout(t, c, 1)
	run(t, c, 100) // S1 leads term 1
	proposeTo(t, c, 1, "x")
	run(t, c, 100) // x on all three
	isolate(t, c, 3)
	proposeTo(t, c, 1, "y")
	run(t, c, 100) // y on S1 and S2 only
	heal(t, c)
	timeout(t, c, 3) // S3, its log behind, asks for term 2
	run(t, c, 30)
	want := []sim.Ballot{
		{Term: 2, Voter: 1, Candidate: 3, Reason: raft.ReasonLogShorter},
		{Term: 2, Voter: 2, Candidate: 3, Reason: raft.ReasonLogShorter},
	}
	inTerm := func(term int) []sim.Ballot {
		var got []sim.Ballot
		for _, b := range c.Ballots() {
			if b.Term == term {
				got = append(got, b)
			}
		}
		slices.SortFunc(got, func(a, b sim.Ballot) int { return int(a.Voter) - int(b.Voter) })
		return got
	}
	if got := inTerm(2); !slices.Equal(got, want) {
		t.Fatalf("term 2 ballots %+v, want %+v", got, want)
	}
	// S3 asks for term 3 while S1 jumps to term 4: S1 gets the request in
	// a later term and denies it for that, under term 3.
	timeout(t, c, 3)
	timeout(t, c, 1)
	timeout(t, c, 1)
	run(t, c, 30)
	stale := false
	for _, b := range inTerm(3) {
		stale = stale || (b == sim.Ballot{Term: 3, Voter: 1, Candidate: 3, Reason: raft.ReasonStaleTerm})
	}
	if !stale {
		t.Fatalf("no stale-term denial of S3 by S1 under term 3: %+v", inTerm(3))
	}
}

// A restarted server applies its whole log in one event; the trace keeps
// the first entries and the last of such an event, and the narration
// still names the whole range.
func TestTraceKeepsFewEntriesOfALongEvent(t *testing.T) {
	c := newCluster(t, nil)
	timeout(t, c, 1)
	run(t, c, 100)
	for i := 0; i < 10; i++ {
		proposeTo(t, c, 1, cmdN("e", i))
	}
	run(t, c, 200)
	crash(t, c, 2)
	restart(t, c, 2)
	mark := c.TraceLen()
	run(t, c, 200)
	var applied []sim.Record
	for _, r := range c.Trace(mark) {
		if r.Kind == sim.RecEvent && r.Event.Kind == raft.EvApplied && r.Event.Node == 2 {
			applied = append(applied, r)
		}
	}
	if len(applied) == 0 {
		t.Fatal("the restarted S2 applied nothing")
	}
	r := applied[0]
	es := r.Event.Entries
	if r.Event.Index != 1 || r.Event.Last != 10 || len(es) != 4 || es[0].Index != 1 || es[2].Index != 3 || es[3].Index != 10 {
		t.Fatalf("applied event %v keeps entries %v, want 1, 2, 3 and 10", r.Event, es)
	}
	if got := narration.Narrate(r); !strings.Contains(got, "entries 1–10") {
		t.Errorf("narration %q does not name entries 1–10", got)
	}
}
