package player

import (
	"testing"

	"raftplay/raft/scenario"
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
// run: the script's own actions and the learner's actions after them. The
// learner's action took the cluster over from the script; replayed, it
// takes it over again.
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
	const end = 1500
	r.Advance(end)
	hash, events := r.Cluster.Hash(), r.Cluster.Events()
	for _, back := range []int{0, 100, 350, 599, 600, 800} {
		if err := r.Seek(back); err != nil {
			t.Fatal(err)
		}
		if r.Cluster.Now() != back {
			t.Fatalf("seek to %d landed at %d", back, r.Cluster.Now())
		}
		if over, _ := r.TakenOver(); over != (back > 600) {
			t.Errorf("after seek to %dms: taken over %v", back, over)
		}
		for i := 0; r.Cluster.Now() < end && r.Err() == nil && i < 100; i++ {
			r.Advance(end)
			// The call that replays the takeover returns there, as at
			// the script's end, in the middle of the script's run 500ms.
			if over, _ := r.TakenOver(); over && back < 600 && i == 0 && r.Cluster.Now() > 650 {
				t.Errorf("after seek to %dms: the call that replayed the takeover ran on to %dms", back, r.Cluster.Now())
			}
		}
		if r.Err() != nil {
			t.Fatalf("after seek to %d: %v", back, r.Err())
		}
		if over, at := r.TakenOver(); !over || at != 600 {
			t.Errorf("after seek to %dms and replay: taken over %v at %dms, want at 600ms", back, over, at)
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
// learner takes the cluster over from there: the script's later actions
// do not happen.
func TestSeekBackThenActForks(t *testing.T) {
	s := mustParse(t, seekScript)
	r, _ := NewRunner(s, nil)
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	if err := r.Seek(350); err != nil {
		t.Fatal(err)
	}
	if over, _ := r.TakenOver(); over || r.Ended() {
		t.Fatal("after a seek back the script should be in control")
	}
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 2}); err != nil {
		t.Fatal(err)
	}
	r.Advance(2000)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	if over, at := r.TakenOver(); !over || at != 350 || r.Cluster.Now() != 2000 {
		t.Errorf("taken over %v at %dms; now %dms", over, at, r.Cluster.Now())
	}
	if r.Cluster.Up(2) {
		t.Error("the learner's crash of S2 at 350ms did not take")
	}
	for _, ta := range r.Cluster.ActionsTaken() {
		if ta.Time > 350 {
			t.Errorf("the script acted after the learner took over: %v at %dms", ta.Action.Kind, ta.Time)
		}
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

// The script's pauses and questions are found where it reached them, in
// the future already run: after a seek back they are still there, and
// acting in the past before them forgets them until the new future
// reaches them again.
func TestStops(t *testing.T) {
	s := mustParse(t, `cluster 5
timeout S1
run until leader S1 within 1s
pause
run 200ms
question "Who leads?"
choice "S1" when leader S1
choice "S2" when leader S2
run 300ms
pause
run 100ms
`)
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st := r.Stops(); len(st) != 0 {
		t.Fatalf("stops before running: %v", st)
	}
	r.Advance(5000)
	first := r.Cluster.Now()
	if st := r.Stops(); len(st) != 1 || st[0].Kind != OutPause || st[0].Time != first || st[0].Pos.Line != 4 {
		t.Fatalf("stops at the first pause (%dms): %+v", first, st)
	}
	r.Advance(5000) // to the question
	asked := r.Cluster.Now()
	r.Advance(5000) // to the second pause
	second := r.Cluster.Now()
	r.Advance(5000) // to the end
	want := []Stop{{OutPause, scenario.Pos{Line: 4}, first}, {OutQuestion, scenario.Pos{Line: 6}, asked}, {OutPause, scenario.Pos{Line: 10}, second}}
	same := func(got []Stop, want []Stop) bool {
		if len(got) != len(want) {
			return false
		}
		for i := range got {
			if got[i].Kind != want[i].Kind || got[i].Pos.Line != want[i].Pos.Line || got[i].Time != want[i].Time {
				return false
			}
		}
		return true
	}
	if got := r.Stops(); !same(got, want) || asked != first+200 || second != asked+300 {
		t.Fatalf("stops %+v, want %+v", got, want)
	}
	// Back before the question: every stop of the future already run stays.
	if err := r.Seek(first + 50); err != nil {
		t.Fatal(err)
	}
	if got := r.Stops(); !same(got, want) {
		t.Fatalf("after a seek back: stops %+v, want %+v", got, want)
	}
	// Acting there takes the script over: its later stops are gone.
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 2}); err != nil {
		t.Fatal(err)
	}
	if got := r.Stops(); !same(got, want[:1]) {
		t.Fatalf("after acting in the past: stops %+v, want %+v", got, want[:1])
	}
}
