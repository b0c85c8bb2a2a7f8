package scenario

import (
	"testing"

	"raftplay/raft/sim"
)

const seekScript = `cluster 5
timeout S1
run until leader S1 within 1s
propose a
run 300ms
crash S1
run until leader within 2s
propose b
run 500ms
say "done"
run 200ms
`

// Seeking back and playing forward again, without acting, replays the same
// run: the script's own actions and the learner's actions after them.
func TestSeekBackReplaysScriptAndLearnerActions(t *testing.T) {
	s := mustParse(t, seekScript)
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Advance(600) // past the crash
	// The learner restarts S1 at 600ms, after the script crashed it.
	if err := r.Do(sim.Action{Kind: sim.ActRestart, Server: 1}); err != nil {
		t.Fatal(err)
	}
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	end, hash, events := r.Cluster.Now(), r.Cluster.Hash(), r.Cluster.Events()
	for _, back := range []int{0, 100, 350, 599, 600, 800} {
		if err := r.Seek(back); err != nil {
			t.Fatal(err)
		}
		if r.Cluster.Now() != back {
			t.Fatalf("seek to %d landed at %d", back, r.Cluster.Now())
		}
		for !r.Ended() && r.Err() == nil {
			r.Advance(1 << 30)
		}
		if r.Err() != nil {
			t.Fatalf("after seek to %d: %v", back, r.Err())
		}
		if r.Cluster.Now() != end || r.Cluster.Hash() != hash || r.Cluster.Events() != events {
			t.Errorf("after seek to %dms and replay: %d events at %dms, want %d at %dms", back, r.Cluster.Events(), r.Cluster.Now(), events, end)
		}
		if !r.Cluster.Up(1) {
			t.Errorf("after seek to %dms: the learner's restart of S1 was lost", back)
		}
	}
}

// Acting after seeking back forks: the recorded future is dropped, and the
// script runs on from there.
func TestSeekBackThenActForks(t *testing.T) {
	s := mustParse(t, seekScript)
	r, _ := NewRunner(s, nil)
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	if err := r.Seek(350); err != nil {
		t.Fatal(err)
	}
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 2}); err != nil {
		t.Fatal(err)
	}
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	if r.Cluster.Up(2) {
		t.Error("the learner's crash of S2 at 350ms did not take")
	}
	if r.Cluster.Up(1) {
		t.Error("the script's own crash of S1 (after the fork point) should still happen")
	}
}

func TestStepIsOneEvent(t *testing.T) {
	s := mustParse(t, "cluster 3\ntimeout S1\nrun 1s\n")
	r, _ := NewRunner(s, nil)
	for i := 1; i <= 20; i++ {
		r.Step()
		if r.Cluster.Events() != i {
			t.Fatalf("after %d steps: %d events", i, r.Cluster.Events())
		}
	}
}
