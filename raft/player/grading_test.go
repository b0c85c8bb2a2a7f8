package player

import (
	"testing"

	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// The page grades an exercise within the same limit as raftplay verify:
// past MaxSolutionTime after the setup, the goal is no longer watched and
// the player is told so; going back before the limit grades again.
func TestGradingStopsAtTheLimit(t *testing.T) {
	s := mustParse(t, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\ngoal leader S3\nallow timeout\n")
	r, err := NewRunner(s, func(c *sim.Config) { c.NoTrace = true })
	if err != nil {
		t.Fatal(err)
	}
	for !r.Ended() {
		r.Advance(maxTime)
	}
	setupEnd := r.Cluster.Now()
	over := false
	for r.Cluster.Now() < setupEnd+MaxSolutionTime+60_000 && !over {
		for _, o := range r.AdvanceEvents(r.Cluster.Now()+3_600_000, 1<<30) {
			over = over || o.Kind == OutGradingOver
		}
	}
	if !over || !r.GradingOver() {
		t.Fatalf("no grading-over output by %dms (setup ended at %dms)", r.Cluster.Now(), setupEnd)
	}
	if err := r.Do(ActionOf(&scenario.Command{Kind: scenario.CmdTimeout, Server: 3})); err != nil {
		t.Fatal(err)
	}
	r.Advance(r.Cluster.Now() + 1000)
	if r.Solved() {
		t.Fatal("solved after grading stopped")
	}
	// Back before the limit, the exercise is graded again.
	if err := r.Seek(setupEnd + 1000); err != nil {
		t.Fatal(err)
	}
	if r.GradingOver() {
		t.Fatal("grading still over after going back before the limit")
	}
	if err := r.Do(ActionOf(&scenario.Command{Kind: scenario.CmdTimeout, Server: 3})); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && !r.Solved(); i++ {
		r.Advance(r.Cluster.Now() + 10)
	}
	if !r.Solved() {
		t.Fatal("not solved after going back and timing S3 out")
	}
}
