package player

import (
	"errors"
	"strconv"

	"raftplay/raft/scenario"
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

// Check runs a scenario the way a lesson author needs it checked, with
// its own seed: the script runs to its end and every expect and run until
// must hold; every question must have exactly one right choice, and no
// choice may hold yet when it is asked; an exercise's goal must not hold
// when the learner takes over, its solution must use only the allowed
// actions, and running the solution must reach the goal. It returns every
// problem found, each with its file and line.
func Check(s *scenario.Scenario) ([]error, CheckStats) { return CheckSeeds(s, 0) }

// CheckSeeds checks s as Check does under each of the seeds 1..n in place
// of the default seed, so that a lesson holds for every run and not by the
// luck of one (a scenario whose cluster line pins seed= keeps its seed,
// and is checked once). Each question must also have the same right
// choice under every seed. With n = 0 it checks the scenario's own seed.
// A problem found under several seeds is reported once, at its line, with
// the first seed that shows it and how many do.
func CheckSeeds(s *scenario.Scenario, n int) ([]error, CheckStats) {
	st := CheckStats{Scenarios: 1, Questions: len(s.Questions)}
	for _, c := range s.Commands {
		if c.Kind == scenario.CmdExpect {
			st.Expects++
		}
	}
	if s.IsExercise() {
		st.Exercises++
	}
	seeds := []uint64{0}
	if n > 0 && !s.Cluster.SeedGiven {
		seeds = seeds[:0]
		for k := 1; k <= n; k++ {
			seeds = append(seeds, uint64(k))
		}
	}
	type finding struct {
		first error
		seeds []uint64
	}
	var order []scenario.Pos
	found := map[scenario.Pos]*finding{}
	right := map[*scenario.Question][]int{} // the right choice under each seed (-1: not one)
	for _, seed := range seeds {
		errs, answers := checkSeed(s, seed)
		for _, e := range errs {
			pos := scenario.Pos{File: s.File, Line: s.Line}
			var se *scenario.Error
			if errors.As(e, &se) {
				pos = se.Pos
			}
			f := found[pos]
			if f == nil {
				f = &finding{first: e}
				found[pos] = f
				order = append(order, pos)
			}
			if len(f.seeds) == 0 || f.seeds[len(f.seeds)-1] != seed {
				f.seeds = append(f.seeds, seed)
			}
		}
		for _, q := range s.Questions {
			a, ok := answers[q]
			if !ok {
				a = -1 // not answered under this seed (reported above)
			}
			right[q] = append(right[q], a)
		}
	}
	var errs []error
	for _, pos := range order {
		f := found[pos]
		if seeds[0] == 0 {
			errs = append(errs, f.first)
			continue
		}
		msg := f.first.Error()
		var se *scenario.Error
		if errors.As(f.first, &se) {
			msg = se.Msg
		}
		errs = append(errs, &scenario.Error{Pos: pos, Msg: "seed " + strconv.FormatUint(f.seeds[0], 10) + ": " + msg +
			" (fails under " + strconv.Itoa(len(f.seeds)) + " of " + strconv.Itoa(len(seeds)) + " seeds: " + seedList(f.seeds) + ")"})
	}
	for _, q := range s.Questions {
		rs := right[q]
		for i, r := range rs {
			if r >= 0 && rs[0] >= 0 && r != rs[0] {
				errs = append(errs, &scenario.Error{Pos: scenario.Pos{File: q.Pos.File, Line: q.Pos.Line},
					Msg: "the right answer depends on the seed: choice " + strconv.Itoa(rs[0]+1) + " under seed " +
						strconv.FormatUint(seeds[0], 10) + ", choice " + strconv.Itoa(r+1) + " under seed " + strconv.FormatUint(seeds[i], 10)})
				break
			}
		}
	}
	return errs, st
}

// seedList writes the first few seeds of a list.
func seedList(seeds []uint64) string {
	const show = 8
	var b []byte
	for i, s := range seeds {
		if i == show {
			b = append(b, ", …"...)
			break
		}
		if i > 0 {
			b = append(b, ", "...)
		}
		b = strconv.AppendUint(b, s, 10)
	}
	return string(b)
}

// checkSeed checks s under one seed (0: its own) and reports, for each
// question answered, the index of its one right choice (-1 if none or
// several held).
func checkSeed(s *scenario.Scenario, seed uint64) ([]error, map[*scenario.Question]int) {
	var errs []error
	add := func(pos scenario.Pos, msg string) {
		pos.Col = 0
		errs = append(errs, &scenario.Error{Pos: pos, Msg: msg})
	}
	r, err := NewRunner(s, func(c *sim.Config) {
		c.NoTrace = true
		c.CheckpointEvery = -1
		if seed != 0 && !s.Cluster.SeedGiven {
			c.Seed = seed
		}
	})
	if err != nil {
		return []error{err}, nil
	}
	answers := map[*scenario.Question]int{}
	for !r.Ended() && r.Err() == nil && r.Cluster.Now() <= maxCheckTime {
		for _, o := range r.Advance(maxCheckTime) {
			switch o.Kind {
			case OutQuestion:
				for i := range o.Question.Choices {
					ch := &o.Question.Choices[i]
					if Holds(&ch.When, r.Cluster) {
						add(ch.Pos, "choice "+strconv.Itoa(i+1)+" already holds when the question is asked, at "+
							strconv.Itoa(o.Time)+"ms: its condition must be about what happens next")
					}
				}
			case OutAnswer:
				answers[o.Question] = -1
				switch len(o.Right) {
				case 0:
					add(o.Pos, "question has no right choice: none of its choices holds at "+strconv.Itoa(o.Time)+"ms")
				case 1:
					answers[o.Question] = o.Right[0]
				default:
					add(o.Pos, "question has "+strconv.Itoa(len(o.Right))+" right choices at "+strconv.Itoa(o.Time)+
						"ms (choices "+choiceList(o.Right)+"): exactly one must hold")
				}
			}
		}
	}
	if err := r.Err(); err != nil {
		return append(errs, err), answers
	}
	if !r.Ended() {
		add(scenario.Pos{File: s.File, Line: s.Line}, "script did not end within "+formatDuration(maxCheckTime)+" of virtual time")
		return errs, answers
	}
	for _, q := range s.Questions {
		if _, ok := answers[q]; !ok {
			add(q.Pos, "question was never answered (the script did not reach it)")
		}
	}
	if !s.IsExercise() {
		return errs, answers
	}
	if r.Solved() {
		add(s.GoalPos, "goal already holds when the learner takes over: "+s.Goal.String())
		return errs, answers
	}
	if len(s.Solution) == 0 {
		add(s.GoalPos, "exercise has no solution: add a solution line and the reference solution after it")
		return errs, answers
	}
	for _, c := range s.Solution {
		if c.Kind.IsAction() && !s.Allows(c.Kind) {
			add(c.Pos, "solution uses "+c.Kind.ActionWord()+", which the exercise does not allow (allowed: "+joinWords(s.Allow)+")")
		}
	}
	if err := r.Solve(); err != nil {
		add(s.GoalPos, err.Error())
		return errs, answers
	}
	for !r.Ended() && r.Err() == nil && !r.Solved() {
		r.Advance(maxCheckTime)
	}
	if err := r.Err(); err != nil {
		return append(errs, err), answers
	}
	if !r.Solved() {
		add(s.GoalPos, "the solution does not reach the goal "+s.Goal.String()+" (at "+strconv.Itoa(r.Cluster.Now())+"ms: "+Explain(s.Goal, r.Cluster)+")")
	}
	return errs, answers
}

func choiceList(is []int) string {
	var b []byte
	for k, i := range is {
		if k > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendInt(b, int64(i+1), 10)
	}
	return string(b)
}
