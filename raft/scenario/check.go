package scenario

import (
	"strconv"

	"raftplay/raft/sim"
)

// CheckStats counts what Check looked at.
type CheckStats struct {
	Scenarios, Expects, Exercises, Questions int
}

// Add adds o to s.
func (s *CheckStats) Add(o CheckStats) {
	s.Scenarios += o.Scenarios
	s.Expects += o.Expects
	s.Exercises += o.Exercises
	s.Questions += o.Questions
}

// maxCheckTime bounds how far Check lets a script run, in virtual ms.
const maxCheckTime = 3_600_000

// Check runs a scenario the way a lesson author needs it checked: the
// script runs to its end and every expect and run until must hold; every
// question must have at least one right choice; an exercise's goal must
// not hold when the learner takes over, its solution must use only the
// allowed actions, and running the solution must reach the goal. It
// returns every problem found, each with its file and line.
func Check(s *Scenario) ([]error, CheckStats) {
	st := CheckStats{Scenarios: 1, Questions: len(s.Questions)}
	for _, c := range s.Commands {
		if c.Kind == CmdExpect {
			st.Expects++
		}
	}
	var errs []error
	add := func(pos Pos, msg string) {
		pos.Col = 0
		errs = append(errs, &Error{Pos: pos, Msg: msg})
	}
	r, err := NewRunner(s, func(c *sim.Config) { c.NoTrace = true; c.CheckpointEvery = -1 })
	if err != nil {
		return []error{err}, st
	}
	answered := map[*Question]bool{}
	for !r.Ended() && r.Err() == nil && r.Cluster.Now() <= maxCheckTime {
		for _, o := range r.Advance(maxCheckTime) {
			if o.Kind == OutAnswer {
				answered[o.Question] = true
				if len(o.Right) == 0 {
					add(o.Pos, "question has no right choice: none of its choices holds at "+strconv.Itoa(o.Time)+"ms")
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		return append(errs, err), st
	}
	if !r.Ended() {
		add(Pos{File: s.File, Line: s.Line}, "script did not end within "+formatDuration(maxCheckTime)+" of virtual time")
		return errs, st
	}
	for _, q := range s.Questions {
		if !answered[q] {
			add(q.Pos, "question was never answered (the script did not reach it)")
		}
	}
	if !s.IsExercise() {
		return errs, st
	}
	st.Exercises++
	if r.Solved() {
		add(s.GoalPos, "goal already holds when the learner takes over: "+s.Goal.String())
		return errs, st
	}
	if len(s.Solution) == 0 {
		add(s.GoalPos, "exercise has no solution: add a solution line and the reference solution after it")
		return errs, st
	}
	for _, c := range s.Solution {
		if c.Kind.IsAction() && !s.Allows(c.Kind) {
			add(c.Pos, "solution uses "+c.Kind.ActionWord()+", which the exercise does not allow (allowed: "+joinWords(s.Allow)+")")
		}
	}
	if err := r.Solve(); err != nil {
		add(s.GoalPos, err.Error())
		return errs, st
	}
	for !r.Ended() && r.Err() == nil && !r.Solved() {
		r.Advance(maxCheckTime)
	}
	if err := r.Err(); err != nil {
		return append(errs, err), st
	}
	if !r.Solved() {
		add(s.GoalPos, "the solution does not reach the goal "+s.Goal.String()+" (at "+strconv.Itoa(r.Cluster.Now())+"ms: "+Explain(s.Goal, r.Cluster)+")")
	}
	return errs, st
}
