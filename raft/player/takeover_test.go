package player

import (
	"errors"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// The persistence lesson's exercise (lesson 6): its setup runs for a
// while before the learner's moves count.
const persistenceExercise = `cluster 5
timeout S1
run until leader S1 within 1s
run 200ms
goal violation election-safety
allow rule crash restart partition isolate timeout heal
solution
rule persist-vote off
partition S1 S2 S3 | S4 S5
timeout S2
run until leader S2 within 1s
crash S3
restart S3
partition S1 S2 | S3 S4 S5
timeout S4
run until violation election-safety within 1s
`

// A learner who acted while the setup still ran was once told "Solved!
// 7 actions in 0 ms", with a solution code that verify refused: the
// moves were taken, but counted as part of the setup. Moves are now
// refused until the setup has ended.
func TestExerciseRefusesMovesDuringSetup(t *testing.T) {
	s := mustParse(t, persistenceExercise)
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Advance(5) // the setup is under way
	if r.Ended() || !r.SettingUp() {
		t.Fatalf("the setup should still run at %dms", r.Cluster.Now())
	}
	for _, a := range []sim.Action{
		{Kind: sim.ActRule, Rule: raft.PersistVote, On: false},
		{Kind: sim.ActHeal},
		{Kind: sim.ActTimeout, Server: 4},
	} {
		err := r.Do(a)
		if !errors.Is(err, ErrSetup) {
			t.Errorf("%v during the setup: got %v, want ErrSetup", a.Kind, err)
		}
	}
	if r.Moves() != 0 || len(r.Cluster.ActionsTaken()) != 1 {
		t.Errorf("refused moves were taken: %d moves, %d actions", r.Moves(), len(r.Cluster.ActionsTaken()))
	}
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	if r.Err() != nil || r.SettingUp() || r.Solved() {
		t.Fatalf("after the setup: err %v, setting up %v, solved %v", r.Err(), r.SettingUp(), r.Solved())
	}
	// Now the same moves are the learner's, and they are recorded.
	if err := r.Do(sim.Action{Kind: sim.ActRule, Rule: raft.PersistVote, On: false}); err != nil {
		t.Fatal(err)
	}
	if got := r.RecordMoves(); !strings.Contains(got, "rule persist-vote off") {
		t.Errorf("moves after the setup: %q", got)
	}
}

// The previous-terms lesson's exercise (lesson 5) partitions the cluster
// in its setup: a heal pressed while the setup ran used to be undone by
// the script's next partition, silently. It is refused instead.
func TestExerciseSetupIsNotUndoneByTheScript(t *testing.T) {
	s := mustParse(t, `cluster 5
timeout S1
run until leader S1 within 1s
partition S1 S2 | S3 S4 S5
run 300ms
partition S1 | S2 S3 | S4 | S5
run 50ms
goal committed 1 on S1 S2 S3
allow heal partition propose
solution
heal
run until committed 1 on S1 S2 S3 within 2s
`)
	r, _ := NewRunner(s, nil)
	for r.Cluster.Now() < 100 && r.Err() == nil {
		r.Advance(r.Cluster.Now() + 50)
	}
	if err := r.Do(sim.Action{Kind: sim.ActHeal}); !errors.Is(err, ErrSetup) {
		t.Errorf("heal during the setup: %v", err)
	}
}

// Lesson 1's "Clients talk to the leader": the learner who crashed S1 at
// the pause and pressed Continue was shown "overview.md:89:7: propose: no
// leader to propose to". Acting hands the cluster over instead.
const clientsDemo = `cluster 5
title "Clients talk to the leader"
timeout S1
run until leader S1 within 1s
say "S1 has just won term 1. Now three commands arrive from a client."
pause
propose x
propose y
propose z
run until committed 3 on all within 1s
expect log S4 1:x 1:y 1:z and applied S4 x y z
say "Every server holds x, y, z."
`

// toPause advances r to its next pause and returns the outputs.
func toPause(t *testing.T, r *Runner) []Output {
	t.Helper()
	var outs []Output
	for i := 0; i < 1000; i++ {
		o := r.Advance(1 << 30)
		outs = append(outs, o...)
		if len(o) > 0 && o[len(o)-1].Kind == OutPause {
			return outs
		}
		if r.Ended() || r.Err() != nil {
			break
		}
	}
	t.Fatalf("no pause (err %v)", r.Err())
	return nil
}

func kinds(outs []Output) string {
	var ks []string
	for _, o := range outs {
		ks = append(ks, o.Kind.String())
	}
	return strings.Join(ks, " ")
}

func TestTakeOverStopsTheDemo(t *testing.T) {
	r, _ := NewRunner(mustParse(t, clientsDemo), nil)
	toPause(t, r)
	at := r.Cluster.Now()
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 1}); err != nil {
		t.Fatal(err)
	}
	if got := kinds(r.Outputs()); got != "takeover" {
		t.Errorf("outputs of the crash: %q, want takeover", got)
	}
	if over, when := r.TakenOver(); !over || when != at || !r.Ended() {
		t.Fatalf("taken over %v at %d (crash at %d), ended %v", over, when, at, r.Ended())
	}
	// Continue: the cluster runs freely; the script's propose never runs.
	outs := r.Advance(at + 3000)
	if r.Err() != nil || len(outs) != 0 || r.Cluster.Now() != at+3000 {
		t.Errorf("after the takeover: err %v, outputs %q, at %dms", r.Err(), kinds(outs), r.Cluster.Now())
	}
	for _, ta := range r.Cluster.ActionsTaken() {
		if ta.Action.Kind == sim.ActPropose {
			t.Error("the script proposed after the learner took over")
		}
	}
	if r.Cluster.Leader() == 0 || r.Cluster.Leader() == 1 {
		t.Errorf("the others should elect a new leader, got S%d", r.Cluster.Leader())
	}
}

// Seeking back to before the takeover gives the cluster back to the
// script, where it was; playing on replays the learner's action, which
// takes the cluster over again. Acting differently there forks.
func TestSeekBeforeTakeOverGivesTheScriptBack(t *testing.T) {
	r, _ := NewRunner(mustParse(t, clientsDemo), nil)
	toPause(t, r)
	at := r.Cluster.Now()
	pauseLine := r.Line()
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 1}); err != nil {
		t.Fatal(err)
	}
	r.Advance(at + 1000)
	for _, back := range []int{at, at - 5, 0} {
		if err := r.Seek(back); err != nil {
			t.Fatal(err)
		}
		if over, _ := r.TakenOver(); over || r.Ended() {
			t.Fatalf("seek to %dms (takeover at %dms): taken over %v, ended %v", back, at, over, r.Ended())
		}
		if back == at && r.Line() != pauseLine {
			t.Errorf("seek to the takeover's moment: the script is at %v, want %v (after the pause)", r.Line(), pauseLine)
		}
		var outs []Output
		for i := 0; i < 100 && !r.Ended(); i++ {
			outs = append(outs, r.Advance(1<<30)...)
		}
		if over, when := r.TakenOver(); !over || when != at || r.Err() != nil {
			t.Fatalf("replay from %dms: taken over %v at %dms, err %v", back, over, when, r.Err())
		}
		if got := kinds(outs); !strings.HasSuffix(got, "takeover") || strings.Contains(got, "fail") {
			t.Errorf("replay from %dms: outputs %q", back, got)
		}
		if r.Cluster.Up(1) {
			t.Errorf("replay from %dms: the learner's crash was not replayed", back)
		}
	}
	// Back to the takeover's moment (from before it: a seek to the
	// present moment is none), and crash S2 instead: a new future.
	if err := r.Seek(at - 5); err != nil {
		t.Fatal(err)
	}
	if err := r.Seek(at); err != nil {
		t.Fatal(err)
	}
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 2}); err != nil {
		t.Fatal(err)
	}
	r.Advance(at + 500)
	if r.Err() != nil || !r.Cluster.Up(1) || r.Cluster.Up(2) {
		t.Errorf("the fork: err %v, S1 up %v, S2 up %v", r.Err(), r.Cluster.Up(1), r.Cluster.Up(2))
	}
}

// A question waiting for its answer when the learner takes over is never
// answered, and the script's run until cannot fail any more.
func TestTakeOverDropsTheQuestion(t *testing.T) {
	r, _ := NewRunner(mustParse(t, `cluster 3
timeout S1
run until leader S1 within 1s
question "Who leads after the crash?"
choice "S1" when leader S1
choice "another" when leader none
run until leader S1 within 1s
pause
`), nil)
	outs := r.Advance(1 << 30)
	if got := kinds(outs); got != "question" {
		t.Fatalf("outputs %q", got)
	}
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 1}); err != nil {
		t.Fatal(err)
	}
	outs = r.Advance(5000)
	if r.Err() != nil || len(outs) != 0 {
		t.Errorf("after the takeover: err %v, outputs %q", r.Err(), kinds(outs))
	}
}

// While an exercise's reference solution plays, acting stops it too; in
// the exercise itself (after its setup), acting is the learner's play and
// takes nothing over.
func TestTakeOverStopsTheSolution(t *testing.T) {
	s := mustParse(t, persistenceExercise)
	r := runToEnd(t, s)
	if err := r.Do(sim.Action{Kind: sim.ActTimeout, Server: 2}); err != nil {
		t.Fatal(err)
	}
	if over, _ := r.TakenOver(); over {
		t.Error("a move in an exercise took something over")
	}
	r = runToEnd(t, s)
	if err := r.Solve(); err != nil {
		t.Fatal(err)
	}
	r.Advance(r.Cluster.Now() + 20) // the solution is under way
	if r.Ended() {
		t.Fatal("the solution ended at once")
	}
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 2}); err != nil {
		t.Fatal(err)
	}
	r.Advance(r.Cluster.Now() + 3000)
	if over, _ := r.TakenOver(); !over || r.Err() != nil {
		t.Errorf("taken over %v, err %v", over, r.Err())
	}
}

// Seeking back, playing a little, then seeking forward puts the script
// where it was at that moment (the marks made while replaying once went
// after the later ones, and a forward seek found a stale one).
func TestSeekForwardAfterReplayFindsTheScript(t *testing.T) {
	s := mustParse(t, seekScript)
	ref, _ := NewRunner(s, nil)
	ref.Advance(700)
	r := runToEnd(t, s)
	if err := r.Seek(200); err != nil {
		t.Fatal(err)
	}
	r.Advance(400)
	if err := r.Seek(700); err != nil {
		t.Fatal(err)
	}
	if r.Line() != ref.Line() || r.Cluster.Now() != ref.Cluster.Now() {
		t.Errorf("after seeking forward to 700ms the script is at %v, want %v", r.Line(), ref.Line())
	}
}

// The learner's action replayed in the middle of a run until (which it
// keeps from ever holding) takes the cluster over there: the run until
// does not fail.
func TestReplayedTakeOverInsideRunUntil(t *testing.T) {
	r, _ := NewRunner(mustParse(t, clientsDemo), nil)
	toPause(t, r)
	at := r.Cluster.Now()
	r.Advance(at + 5) // the proposes are made; committing is under way
	if r.Ended() || r.Line().Line != 10 {
		t.Fatalf("at %dms the script is at %v", r.Cluster.Now(), r.Line())
	}
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 1}); err != nil {
		t.Fatal(err)
	}
	if err := r.Seek(0); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && !r.Ended(); i++ {
		r.Advance(at + 60_000)
	}
	if over, when := r.TakenOver(); !over || when != at+5 || r.Err() != nil {
		t.Errorf("replayed: taken over %v at %dms (want %dms), err %v", over, when, at+5, r.Err())
	}
	// Like the script's end, the takeover returns from the call that
	// reached it, rather than running on to its limit.
	if r.Cluster.Now() > at+100 {
		t.Errorf("the call that replayed the takeover ran on to %dms", r.Cluster.Now())
	}
}
