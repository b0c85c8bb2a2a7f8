package player

import (
	"os"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// manualElection is the testdata's election told one step at a time.
func manualElection(t *testing.T) *scenario.Scenario {
	t.Helper()
	b, err := os.ReadFile(testdata + "/manual-election.raft")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("manual-election.raft", string(b))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// In the manual network nothing happens by itself: step has no event to
// step to, and run until can only find its condition already holding.
// The manual network's commands belong to it. Each failure names its line.
func TestManualScriptErrors(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"network manual\nstep",
			"t.raft:3: step: the network is manual, so nothing happens by itself (deliver, drop or duplicate a message, make a timer run out with timeout or heartbeat, or let the network run with network auto)"},
		{"network manual\ntimeout S1\nrun until leader S1 within 1s",
			"t.raft:4: run until leader S1: the network is manual, so nothing happens by itself and it cannot come to hold (at 10ms): no leader (S1 candidate t1, S2 follower t0, S3 follower t0)"},
		{"timeout S1\ndeliver S1->S2 vote",
			"t.raft:3: deliver: the network is not manual: it delivers messages by itself (write network manual first)"},
		{"network manual\ntimer S1 100ms", "t.raft:3: timer: the network is manual: timers do not run (set one after network auto)"},
		{"network manual\nnetwork manual", "t.raft:3: network: the network is manual already"},
		{"network auto", "t.raft:2: network: the network is not manual (network manual makes it so)"},
		{"network manual\nheartbeat S2", "t.raft:3: heartbeat: S2 is not a leader"},
		{"network manual\ntimeout S1\ndrop S1->S2 append",
			"t.raft:4: drop: no append in flight from S1 to S2 (1 vote)"},
	} {
		r := runToEnd(t, mustParse(t, "cluster 3\n"+tt.src))
		if err := r.Err(); err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.src, err, tt.want)
		}
	}
	// A condition that holds already passes, at once.
	r := runToEnd(t, mustParse(t, "cluster 3\nnetwork manual\ntimeout S1\nrun until role S1 candidate\nexpect term S1 1"))
	if r.Err() != nil || r.Cluster.Now() != 10 {
		t.Errorf("run until of a condition that holds: %v, at %dms", r.Err(), r.Cluster.Now())
	}
}

// A page advances the script a frame at a time: a step waits for its
// moment (ManualStep after the one before), the clock never passes the
// frame's limit, and the run is the one the command line sees in one go.
func TestManualStepsWaitForTheirMoment(t *testing.T) {
	s := mustParse(t, "cluster 3\nnetwork manual\ntimeout S1\ndeliver S1->S2 vote\nrun 3ms\ndeliver S2->S1 vote-reply\n")
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	var roles []raft.Role
	for limit := 1; !r.Ended(); limit++ {
		r.Advance(limit)
		if now := r.Cluster.Now(); now != limit {
			t.Fatalf("Advance(%d) left the clock at %d", limit, now)
		}
		roles = append(roles, r.Cluster.Role(1))
	}
	// S1 times out at 10 and wins at 30 (20, then 3 ms of run: the step
	// comes 10 ms after the one before, not after the run).
	if roles[8] != raft.Follower || roles[9] != raft.Candidate || roles[28] != raft.Candidate || roles[29] != raft.Leader {
		t.Errorf("S1's role by the millisecond: %v", roles)
	}
	if r.Err() != nil || r.Cluster.Now() != 30 {
		t.Errorf("ended at %dms: %v", r.Cluster.Now(), r.Err())
	}
}

// The player's step button runs one step of the manual network at a
// time, and after the script's end lets one step's time pass.
func TestManualRunnerStepIsOneStep(t *testing.T) {
	r, err := NewRunner(mustParse(t, "cluster 3\nnetwork manual\ntimeout S1\nexpect role S1 candidate\ndeliver S1->S2 vote\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for i := 0; i < 4; i++ {
		r.Step()
		got = append(got, r.Cluster.Now(), r.Cluster.Term(2))
	}
	want := []int{10, 0, 20, 1, 30, 1, 40, 1} // the second call finds the script's end too
	if r.Err() != nil || !equalInts(got, want) {
		t.Errorf("time and S2's term after each step: %v, want %v (%v)", got, want, r.Err())
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Seeking back across manual steps, to a step's moment or between two,
// and playing on replays the same run: the script takes its own recorded
// steps up again, forking nothing.
func TestManualSeekBackAndPlayOn(t *testing.T) {
	s := manualElection(t)
	r := runToEnd(t, s)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	end, hash := r.Cluster.Now(), r.Cluster.Hash()
	var at []int
	for _, ta := range r.Cluster.Actions() {
		at = append(at, ta.Time, ta.Time+3)
	}
	for _, back := range at {
		if err := r.Seek(back); err != nil {
			t.Fatal(err)
		}
		for i := 0; r.Cluster.Now() < end && r.Err() == nil && i < 100; i++ {
			r.Advance(end)
		}
		if r.Err() != nil || r.Cluster.Now() != end || r.Cluster.Hash() != hash {
			t.Errorf("after a seek to %dms and playing on: at %dms, hash %x, want %x at %dms (%v)",
				back, r.Cluster.Now(), r.Cluster.Hash(), hash, end, r.Err())
		}
		if forks := r.Cluster.Forks(); len(forks) > 0 {
			t.Fatalf("after a seek to %dms, playing on forked the run (%v)", back, forks)
		}
	}
}

// What a learner does in the manual network is recorded as scenario text
// that replays the same run: steps the learner took, time let pass
// between them, and a takeover of the script after its first steps.
// Seeking back before the takeover and playing on takes over again.
func TestManualLearnerIsRecorded(t *testing.T) {
	s := mustParse(t, "cluster 3\nrule persist-vote off\nnetwork manual\ntimeout S1\ndeliver S1->S2 vote\ndeliver S1->S3 vote\n")
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Advance(25) // the script's timeout and first deliver
	do := func(a sim.Action) {
		t.Helper()
		if err := r.Do(a); err != nil {
			t.Fatalf("%v: %v", a, err)
		}
	}
	do(sim.Action{Kind: sim.ActDeliver, From: 2, To: 1, Msg: sim.KindVoteReply})
	if over, at := r.TakenOver(); !over || at != 30 {
		t.Fatalf("the learner's step did not take over at 30ms: %v, %d", over, at)
	}
	r.Advance(1000) // time let pass: nothing happens
	do(sim.Action{Kind: sim.ActCrash, Server: 2})
	do(sim.Action{Kind: sim.ActRestart, Server: 2})
	do(sim.Action{Kind: sim.ActTimeout, Server: 3})
	do(sim.Action{Kind: sim.ActDeliver, From: 3, To: 2, Msg: sim.KindVote})
	do(sim.Action{Kind: sim.ActDeliver, From: 2, To: 3, Msg: sim.KindVoteReply})
	do(sim.Action{Kind: sim.ActDuplicateOne, From: 1, To: 3, Msg: sim.KindVote})
	if r.Cluster.ViolationCount(sim.ElectionSafety) == 0 {
		t.Fatal("no violation")
	}
	r.Advance(r.Cluster.Now() + 7)
	end, hash := r.Cluster.Now(), r.Cluster.Hash()
	text := Record(r.Cluster)
	if !strings.Contains(text, "deliver S2->S1 vote-reply\nrun 970ms\ncrash S2\nrestart S2\n") {
		t.Errorf("the recording does not read as the learner's steps:\n%s", text)
	}
	again := runToEnd(t, mustParse(t, text))
	if again.Err() != nil || again.Cluster.Now() != end || again.Cluster.Hash() != hash {
		t.Errorf("the recording replays to %dms, hash %x, want %dms, %x (%v):\n%s",
			again.Cluster.Now(), again.Cluster.Hash(), end, hash, again.Err(), text)
	}
	for _, back := range []int{0, 20, 25, 30} {
		if err := r.Seek(back); err != nil {
			t.Fatal(err)
		}
		for i := 0; r.Cluster.Now() < end && r.Err() == nil && i < 100; i++ {
			r.Advance(end)
		}
		if over, at := r.TakenOver(); !over || at != 30 || r.Cluster.Hash() != hash {
			t.Errorf("after a seek to %dms: taken over %v at %d, hash %x, want %x", back, over, at, r.Cluster.Hash(), hash)
		}
	}
}

// An exercise in the manual network: the learner's moves, recorded as
// a solution code records them, replay after the setup to the goal, at
// the same moment (as raftplay verify replays them).
func TestManualExerciseMovesReplay(t *testing.T) {
	src := "cluster 3\nrule persist-vote off\nnetwork manual\ntimeout S1\ndeliver S1->S2 vote\n" +
		"goal violation election-safety\nallow deliver crash restart timeout\n"
	r, err := NewRunner(mustParse(t, src), nil)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Ended() {
		r.Advance(1 << 20)
	}
	r.Advance(r.Cluster.Now() + 25) // the learner thinks for longer than a step
	for _, a := range []sim.Action{
		{Kind: sim.ActDeliver, From: 2, To: 1, Msg: sim.KindVoteReply},
		{Kind: sim.ActCrash, Server: 2},
		{Kind: sim.ActRestart, Server: 2},
		{Kind: sim.ActTimeout, Server: 3},
		{Kind: sim.ActDeliver, From: 3, To: 2, Msg: sim.KindVote},
		{Kind: sim.ActDeliver, From: 2, To: 3, Msg: sim.KindVoteReply},
	} {
		if err := r.Do(a); err != nil {
			t.Fatalf("%v: %v", a, err)
		}
	}
	if !r.Solved() {
		t.Fatal("not solved")
	}
	moves := r.RecordMoves()
	want := "run 25ms\ndeliver S2->S1 vote-reply\ncrash S2\nrestart S2\ntimeout S3\ndeliver S3->S2 vote\ndeliver S2->S3 vote-reply\n"
	if moves != want {
		t.Errorf("moves:\n%s\nwant:\n%s", moves, want)
	}
	again, err := NewRunner(mustParse(t, src+"solution\n"+moves), nil)
	if err != nil {
		t.Fatal(err)
	}
	for !again.Ended() {
		again.Advance(1 << 20)
	}
	if err := again.Solve(); err != nil {
		t.Fatal(err)
	}
	for !again.Ended() && again.Err() == nil {
		again.Advance(1 << 20)
	}
	if !again.Solved() || again.Taken() != r.Taken() {
		t.Errorf("the moves replayed: solved %v in %dms, want %dms (%v)", again.Solved(), again.Taken(), r.Taken(), again.Err())
	}
}
