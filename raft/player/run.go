// Package player plays scenarios (package raftplay/raft/scenario) on the
// simulator (package raftplay/raft/sim). Runner is the player that the
// page, the command line and the tests share: it runs a script's commands
// in order, tells what the learner should see (narration, pauses,
// questions and their answers, failures), takes the learner's actions,
// seeks back and forth in virtual time, and grades an exercise. Holds and
// Explain evaluate conditions on a cluster; Check and CheckSeeds check a
// scenario as a lesson author needs it checked; Record writes a run back
// as a scenario, Shrink reduces a fault schedule that breaks an invariant
// to a small scenario that shows it, and SetupDigest summarizes an
// exercise for solution codes. The scenario text they write comes from
// package scenario's writers.
package player

import (
	"errors"
	"strconv"

	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// Limits on grading a solution, shared by the page and raftplay verify:
// from the end of an exercise's setup, a learner's moves may cover at most
// MaxSolutionTime of virtual time and MaxSolutionEvents events. An idle
// five-server cluster makes about 650,000 events an hour, so the event
// limit stops a busy run in about the same place as the time limit stops
// an idle one, and either takes seconds to replay.
const (
	MaxSolutionTime   = 24 * 3600 * 1000 // 24 hours, in ms
	MaxSolutionEvents = 20_000_000
)

// OutputKind says what a script produced for its player.
type OutputKind uint8

const (
	OutSay         OutputKind = iota // Text: narration to show
	OutPause                         // the player stops until the learner goes on
	OutQuestion                      // Question: ask it; the player waits for an answer
	OutAnswer                        // Question, Right: which choices held
	OutFail                          // Text: an expect or run until failed; the script stops
	OutSolved                        // the exercise's goal holds
	OutEnd                           // the script has run to its end
	OutTakeOver                      // the learner acted: the script has stopped
	OutGradingOver                   // the exercise stopped grading: MaxSolutionTime or MaxSolutionEvents passed
)

var outputNames = [...]string{"say", "pause", "question", "answer", "fail", "solved", "end", "takeover", "grading-over"}

func (k OutputKind) String() string {
	if int(k) < len(outputNames) {
		return outputNames[k]
	}
	return "output"
}

// Output is one thing a script produced, at virtual time Time.
type Output struct {
	Kind     OutputKind
	Pos      scenario.Pos
	Time     int
	Text     string
	Question *scenario.Question
	Right    []int // indexes of the choices that held
}

// Runner plays a scenario on a simulated cluster: it runs the script's
// commands in order, advancing virtual time as far as its caller allows,
// and reports narration, pauses, questions, failed expectations and a
// solved goal as they come. The same Runner serves the command line (which
// lets it run to the end) and the browser (which advances it a frame at a
// time and lets the learner act in between).
//
// The learner acting while a script plays takes the cluster over: in a
// scenario that is not an exercise (a demo), or while an exercise's
// reference solution plays, the script stops there, and the cluster runs
// freely from then on, as after a script's end. Seeking back to before
// that moment gives the cluster back to the script. An exercise refuses
// the learner's moves until its setup (the main script) has ended.
type Runner struct {
	Scenario *scenario.Scenario
	Cluster  *sim.Cluster

	folded []bool // setup rules folded into the cluster's initial config
	play          // where the script is; saved in marks for seeking
	marks  []mark
	budget int // events the current call may still process (-1: any)
	out    []Output
	halt   bool // the learner took over during this call: it returns
	// byLearner says, for each recorded action of the cluster's current
	// future (sim.Cluster.Actions), whether the learner took it (Do)
	// rather than the script. It forks with the cluster's future.
	byLearner []bool
}

// ErrSetup is Do's answer while an exercise's setup still runs.
var ErrSetup = errors.New("the exercise's setup has not finished yet")

// ErrNotAllowed is wrapped by Do's answer to an action that the exercise
// does not allow.
var ErrNotAllowed = errors.New("not allowed")

type notAllowed struct{ msg string }

func (e *notAllowed) Error() string { return e.msg }
func (e *notAllowed) Unwrap() error { return ErrNotAllowed }

// play is the part of a Runner's state that changes as the script runs.
// It is small and copied whole into a mark at every step of the script,
// so that seeking back in time can put the script back where it was.
type play struct {
	solution   bool // running the exercise's solution, not the main script
	pc         int
	active     bool // the time command at pc is under way
	arrived    bool // the manual network's step at pc: its moment has come (see toStep)
	until      int  // its time limit
	stepTarget int  // for step: the event count to reach
	asked      []*scenario.Question
	err        *scenario.Error
	ended      bool
	watch      bool // check the goal after every event
	solved     bool
	solvedAt   int // virtual time when the goal first held
	moves      int // learner actions taken (see Do)
	acts       int // recorded actions applied to the cluster that the runner has accounted for
	takenOver  bool
	takenAt    int // virtual time when the learner took over

	// Where the main script ended and the learner took over.
	setupDone                            bool
	setupEvents, setupTime, setupActions int
}

// mark records the script's state at a moment of the run.
type mark struct {
	events, time int
	state        play
}

func (r *Runner) cmds() []scenario.Command {
	if r.solution {
		return r.Scenario.Solution
	}
	return r.Scenario.Commands
}

// before orders marks along a run: by events, time and actions applied,
// which all only grow.
func (m *mark) before(o *mark) bool {
	if m.events != o.events {
		return m.events < o.events
	}
	if m.time != o.time {
		return m.time < o.time
	}
	return m.state.acts < o.state.acts
}

// save records the script's state now, replacing a mark of the same
// moment (the same events, time and actions applied). Marks stay in
// order: after a seek back, playing on makes again the marks of the
// future already run, which stay for seeking forward.
func (r *Runner) save() {
	m := mark{events: r.Cluster.Events(), time: r.Cluster.Now(), state: r.play}
	m.state.asked = append([]*scenario.Question(nil), r.asked...)
	i := len(r.marks)
	for i > 0 && m.before(&r.marks[i-1]) {
		i--
	}
	if i > 0 && !r.marks[i-1].before(&m) {
		r.marks[i-1] = m
		return
	}
	r.marks = append(r.marks, mark{})
	copy(r.marks[i+1:], r.marks[i:])
	r.marks[i] = m
}

// ClusterConfig returns the simulator configuration for s: its cluster
// line and batch size, with the rule commands that come before the first run or step
// folded in, so that they hold from virtual time 0, the first timer draws
// included.
func ClusterConfig(s *scenario.Scenario) sim.Config {
	cfg := sim.DefaultConfig()
	cl := s.Cluster
	cfg.Servers, cfg.Seed = cl.N, cl.Seed
	cfg.ElectionMin, cfg.ElectionMax = cl.ElectionMin, cl.ElectionMax
	cfg.Heartbeat = cl.Heartbeat
	cfg.LatencyMin, cfg.LatencyMax = cl.LatencyMin, cl.LatencyMax
	cfg.Drop, cfg.Duplicate = cl.Drop, cl.Duplicate
	cfg.MaxEntries = s.Batch
	for _, c := range s.Commands {
		if c.Kind.IsTime() {
			break
		}
		if c.Kind == scenario.CmdRule {
			cfg.Rules = cfg.Rules.With(c.Rule, c.On)
		}
	}
	return cfg
}

// NewRunner builds the scenario's cluster at virtual time 0, ready to run
// its script. cfgHook, if not nil, may adjust the configuration first
// (for example to turn the trace off).
func NewRunner(s *scenario.Scenario, cfgHook func(*sim.Config)) (*Runner, error) {
	cfg := ClusterConfig(s)
	if cfgHook != nil {
		cfgHook(&cfg)
	}
	c, err := sim.New(cfg)
	if err != nil {
		return nil, &scenario.Error{Pos: s.ClusterPos, Msg: err.Error()}
	}
	r := &Runner{Scenario: s, Cluster: c, budget: -1}
	r.folded = make([]bool, len(s.Commands))
	for i, cmd := range s.Commands {
		if cmd.Kind.IsTime() {
			break
		}
		r.folded[i] = cmd.Kind == scenario.CmdRule
	}
	r.save()
	return r, nil
}

// Err returns the failure that stopped the script, if any.
func (r *Runner) Err() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

// Ended reports whether the script (main script or solution) has stopped:
// it has run to its end, or the learner has taken over.
func (r *Runner) Ended() bool { return r.ended || r.takenOver }

// RunToEnd plays the script on to its end, if it gets there by virtual
// time limit (its pauses and questions go by unanswered). It returns the
// script's failure, if any, and reports whether the script ended.
func (r *Runner) RunToEnd(limit int) (bool, error) {
	for !r.Ended() && r.Err() == nil && r.Cluster.Now() < limit {
		r.Advance(limit)
	}
	return r.Ended(), r.Err()
}

// TakenOver reports whether the learner has taken the cluster over from
// the script, and at what virtual time.
func (r *Runner) TakenOver() (bool, int) { return r.takenOver, r.takenAt }

// SettingUp reports whether the scenario is an exercise whose setup (its
// main script) is still running: the learner's moves wait for its end.
func (r *Runner) SettingUp() bool { return r.Scenario.IsExercise() && !r.setupDone }

// Solved reports whether the exercise's goal has held since the learner
// took over.
func (r *Runner) Solved() bool { return r.solved }

// Taken returns the virtual time from the end of the exercise's setup to
// the moment the goal first held (0 if it has not).
func (r *Runner) Taken() int {
	if !r.solved || !r.setupDone {
		return 0
	}
	return r.solvedAt - r.setupTime
}

// Moves returns the number of actions the learner took through Do.
func (r *Runner) Moves() int { return r.moves }

// Line returns the position of the next command to run, for showing
// where the script is (zero when it has ended).
func (r *Runner) Line() scenario.Pos {
	if cmds := r.cmds(); r.pc < len(cmds) {
		return cmds[r.pc].Pos
	}
	return scenario.Pos{}
}

// InSolution reports whether the exercise's solution is playing.
func (r *Runner) InSolution() bool { return r.solution }

// Solve switches to the exercise's reference solution: once the main
// script has ended, the solution's commands run next, as if the learner
// had typed them.
func (r *Runner) Solve() error {
	if !r.Scenario.IsExercise() {
		return errors.New("this scenario is not an exercise")
	}
	if !r.setupDone || !r.Ended() {
		return ErrSetup
	}
	r.solution, r.pc, r.ended, r.takenOver = true, 0, false, false
	r.save()
	return nil
}

func (r *Runner) emit(o Output) {
	o.Time = r.Cluster.Now()
	r.out = append(r.out, o)
}

func (r *Runner) fail(pos scenario.Pos, msg string) {
	pos.Col = 0
	r.err = &scenario.Error{Pos: pos, Msg: msg}
	r.emit(Output{Kind: OutFail, Pos: pos, Text: msg})
}

// checkGoal records the goal as solved the first time it holds while the
// learner is in control.
//
// Grading stops, as raftplay verify's does, once the run has gone
// MaxSolutionTime or MaxSolutionEvents past the end of the setup: the
// goal is no longer watched, and the player is told (OutGradingOver).
func (r *Runner) checkGoal() {
	if !r.watch || r.solved {
		return
	}
	c := r.Cluster
	if r.setupDone && (c.Now()-r.setupTime > MaxSolutionTime || c.Events()-r.setupEvents > MaxSolutionEvents) {
		r.watch = false
		r.emit(Output{Kind: OutGradingOver, Pos: r.Scenario.GoalPos})
		return
	}
	if Holds(r.Scenario.Goal, c) {
		r.solved = true
		r.solvedAt = c.Now()
		r.emit(Output{Kind: OutSolved, Pos: r.Scenario.GoalPos})
	}
}

// GradingOver reports whether the exercise stopped grading, its limit
// passed without the goal reached.
func (r *Runner) GradingOver() bool {
	return r.Scenario.IsExercise() && r.setupDone && !r.watch && !r.solved && r.ended
}

// answer resolves the questions asked since the last pause: the right
// choices are those whose condition holds now.
func (r *Runner) answer() {
	for _, q := range r.asked {
		var right []int
		for i := range q.Choices {
			if Holds(&q.Choices[i].When, r.Cluster) {
				right = append(right, i)
			}
		}
		r.emit(Output{Kind: OutAnswer, Pos: q.Pos, Question: q, Right: right})
	}
	r.asked = nil
}

// event processes the next event if it happens no later than limit and
// the call's event budget allows, checking the goal after it.
func (r *Runner) event(limit int) bool {
	if r.budget == 0 || !r.Cluster.StepUntil(limit) {
		return false
	}
	if r.budget > 0 {
		r.budget--
	}
	r.notice()
	r.checkGoal()
	return true
}

// scripted reports whether a script the learner can take over is in
// control: a demo's script, or an exercise's reference solution, that has
// not ended.
func (r *Runner) scripted() bool {
	return !r.ended && !r.takenOver && (r.solution || !r.Scenario.IsExercise())
}

// takeOver stops the script: the learner acted at virtual time at.
// Questions still waiting for their answer are dropped, as nothing will
// answer them.
func (r *Runner) takeOver(at int) {
	r.takenOver, r.takenAt = true, at
	r.active, r.halt = false, true
	r.asked = nil
	r.emit(Output{Kind: OutTakeOver})
}

// notice accounts for the recorded actions the cluster has replayed by
// itself as it ran through a future it had run before (after a seek
// back): one the learner took, while the script is in control, takes the
// cluster over again at its moment. It is called whenever the cluster
// has run, so that acts is the number of actions applied between calls.
func (r *Runner) notice() {
	taken := r.Cluster.ActionsTaken()
	for ; r.acts < len(taken); r.acts++ {
		if r.acts < len(r.byLearner) && r.byLearner[r.acts] && r.scripted() {
			r.takeOver(taken[r.acts].Time)
		}
	}
}

// replayLearner takes the learner's next recorded action if it is due
// now, before the script's next command: the learner took it at this
// moment, after the script had run to here. It reports whether it did.
func (r *Runner) replayLearner() bool {
	c := r.Cluster
	n := len(c.ActionsTaken())
	all := c.Actions()
	if n >= len(all) || n >= len(r.byLearner) || !r.byLearner[n] {
		return false
	}
	if ta := all[n]; ta.Seq != c.Events() || ta.Time != c.Now() || !c.ReplayNext(ta.Action) {
		return false
	}
	r.notice()
	return true
}

// runTo processes events up to time limit and moves the clock there; it
// reports false if the event budget ran out first.
func (r *Runner) runTo(limit int) bool {
	for !r.halt && r.event(limit) {
	}
	if r.halt {
		return false
	}
	if r.budget == 0 {
		if at, ok := r.Cluster.NextEventTime(); ok && at <= limit {
			return false
		}
	}
	_ = r.Cluster.RunUntil(limit)
	r.notice()
	r.checkGoal()
	return true
}

// Advance runs the script until virtual time limit at most. It returns
// early, with what happened so far, at a pause, at a question, at a
// failure, or when the script ends; after the end it lets the cluster run
// freely up to limit. The next call picks up where this one stopped.
func (r *Runner) Advance(limit int) []Output {
	r.budget = -1
	return r.advance(limit)
}

// AdvanceEvents is Advance with a budget: it also returns once it has
// processed events events (at least 1), so that one call's work is
// bounded however far limit is. A step of the manual network counts as
// an event. The next call picks up where it stopped.
func (r *Runner) AdvanceEvents(limit, events int) []Output {
	r.budget = max(events, 1)
	out := r.advance(limit)
	r.budget = -1
	return out
}

// Step runs the script on by exactly one event (or to the next pause,
// question, failure or end, if one comes first). In the manual network,
// where nothing happens by itself, it runs the script's next step, or
// after the script's end lets a step's time pass.
func (r *Runner) Step() []Output {
	r.budget = 1
	limit := maxTime
	if c := r.Cluster; c.Manual() {
		// As far as the next step's moment, or a step's time if that
		// moment is now.
		limit = c.NextStep()
		if limit == c.Now() {
			limit += sim.ManualStep
		}
	}
	out := r.advance(limit)
	r.budget = -1
	return out
}

// QuietUntil is the virtual time up to which advancing would only move
// the clock: no event of the cluster, no recorded action of the learner
// and no command of the script comes due before it. A page playing the
// cluster need not call Advance before then, since what moves between
// events (messages in flight, timers) follows from the state it has. It
// is Now() when something may be due at once (a command of the script
// waiting to run, the script's end still to report).
func (r *Runner) QuietUntil() int {
	c := r.Cluster
	now := c.Now()
	at := maxTime
	if next, ok := c.NextEventTime(); ok {
		at = next
	}
	if n, all := len(c.ActionsTaken()), c.Actions(); n < len(all) {
		at = min(at, all[n].Time)
	}
	if r.watch && !r.solved && r.setupDone {
		// Grading stops once the clock passes the exercise's limit, even
		// on a manual network where nothing else moves.
		at = min(at, r.setupTime+MaxSolutionTime+1)
	}
	if r.err == nil && !r.takenOver && !r.ended {
		cmds := r.cmds()
		if r.pc >= len(cmds) {
			return now
		}
		switch cmd := &cmds[r.pc]; {
		case !r.active:
			return now
		case cmd.Kind == scenario.CmdRun || cmd.Kind == scenario.CmdRunUntil:
			at = min(at, r.until)
		}
	}
	return max(at, now)
}

// maxTime is far beyond any lesson.
const maxTime = 1 << 30

func (r *Runner) advance(limit int) []Output {
	r.out = nil
	c := r.Cluster
	limit = max(limit, c.Now())
	r.halt = false
	defer r.save()
	for r.err == nil {
		if r.takenOver {
			// Taken over before this call, the cluster runs freely; taken
			// over during it, the call returns (runTo sees halt), as at
			// the script's end.
			r.runTo(limit)
			return r.out
		}
		if r.scripted() && r.replayLearner() {
			continue
		}
		cmds := r.cmds()
		if r.pc >= len(cmds) {
			if !r.ended {
				r.ended = true
				if !r.solution && !r.setupDone {
					r.setupDone = true
					r.setupEvents, r.setupTime = c.Events(), c.Now()
					r.setupActions = len(c.ActionsTaken())
				}
				r.answer()
				r.emit(Output{Kind: OutEnd})
				r.watch = r.Scenario.IsExercise()
				r.checkGoal()
				return r.out
			}
			r.runTo(limit)
			return r.out
		}
		cmd := &cmds[r.pc]
		switch {
		case !r.solution && r.folded[r.pc]:
			r.pc++
		case cmd.Kind.IsAction():
			step := c.Manual() && ActionOf(cmd).Kind.IsStep()
			if step && r.budget == 0 {
				return r.out
			}
			if step && !r.arrived {
				if !r.toStep(limit) {
					return r.out
				}
				r.save()
				continue // an action the learner took at this moment comes first
			}
			r.arrived = false
			if err := r.act(cmd); err != nil {
				r.fail(cmd.Pos, cmd.Kind.String()+": "+err.Error())
				return r.out
			}
			if step && r.budget > 0 {
				r.budget--
			}
			r.pc++
			r.checkGoal()
		case cmd.Kind.IsTime():
			if !r.runTime(cmd, limit) {
				return r.out
			}
			r.pc++
		default:
			r.pc++
			if stop := r.teach(cmd); stop {
				return r.out
			}
		}
		r.save()
	}
	return r.out
}

// teach runs a command that speaks to the learner; it reports whether the
// player should stop here.
func (r *Runner) teach(cmd *scenario.Command) bool {
	switch cmd.Kind {
	case scenario.CmdExpect:
		if !Holds(cmd.Cond, r.Cluster) {
			r.fail(cmd.Pos, "expected "+cmd.Cond.String()+", got "+Explain(cmd.Cond, r.Cluster))
			return true
		}
	case scenario.CmdSay:
		r.emit(Output{Kind: OutSay, Pos: cmd.Pos, Text: cmd.Text})
	case scenario.CmdPause:
		r.answer()
		r.emit(Output{Kind: OutPause, Pos: cmd.Pos})
		return true
	case scenario.CmdQuestion:
		r.asked = append(r.asked, cmd.Question)
		r.emit(Output{Kind: OutQuestion, Pos: cmd.Pos, Question: cmd.Question, Text: cmd.Text})
		return true
	}
	return false
}

// toStep lets time pass, as far as limit, up to the moment of the manual
// network's next step (sim.Cluster.NextStep): a step of the script comes
// ManualStep after the one before, as a step the learner takes does, and
// in the page a frame at a time. It reports whether that moment came.
func (r *Runner) toStep(limit int) bool {
	c := r.Cluster
	at := c.NextStep()
	_ = c.RunUntil(min(at, limit)) // nothing happens by itself meanwhile
	r.notice()                     // but the learner's recorded actions may
	r.arrived = at <= limit && !r.takenOver
	return r.arrived
}

// runTime carries a run, step or run until command forward, up to time
// limit; it reports whether the command is complete.
func (r *Runner) runTime(cmd *scenario.Command, limit int) bool {
	c := r.Cluster
	if c.Manual() && cmd.Kind != scenario.CmdRun {
		// Nothing happens by itself: there is no event to step to, and no
		// condition comes to hold while time passes.
		r.active = false
		switch {
		case cmd.Kind == scenario.CmdStep:
			r.fail(cmd.Pos, "step: the network is manual, so nothing happens by itself (deliver, drop or duplicate a message, "+
				"make a timer run out with timeout or heartbeat, or let the network run with network auto)")
		case Holds(cmd.Cond, c):
			return true
		default:
			r.fail(cmd.Pos, "run until "+cmd.Cond.String()+": the network is manual, so nothing happens by itself and it cannot "+
				"come to hold (at "+strconv.Itoa(c.Now())+"ms): "+Explain(cmd.Cond, c))
		}
		return false
	}
	if !r.active {
		r.active = true
		r.until = c.Now() + cmd.Dur
		r.stepTarget = c.Events() + cmd.N
		r.save()
	}
	switch cmd.Kind {
	case scenario.CmdRun:
		if limit < r.until {
			r.runTo(limit)
			return false
		}
		if !r.runTo(r.until) {
			return false
		}
	case scenario.CmdStep:
		for c.Events() < r.stepTarget && !r.takenOver {
			if !r.event(limit) {
				if _, ok := c.NextEventTime(); ok {
					return false // the next event is beyond limit or the budget
				}
				break // nothing will ever happen: the step is over
			}
		}
	case scenario.CmdRunUntil:
		// Checked before the first event and after each event; it stops
		// at the event that makes it true.
		for !r.takenOver && !Holds(cmd.Cond, c) {
			if !r.event(min(limit, r.until)) {
				if r.budget == 0 {
					return false
				}
				if limit < r.until {
					_ = c.RunUntil(limit)
					r.notice()
					return false
				}
				_ = c.RunUntil(r.until)
				if r.notice(); r.takenOver {
					return false
				}
				r.active = false
				r.fail(cmd.Pos, "run until "+cmd.Cond.String()+": not reached within "+formatDuration(cmd.Dur)+
					" (at "+strconv.Itoa(c.Now())+"ms): "+Explain(cmd.Cond, c))
				return false
			}
		}
	}
	r.active = false
	return true
}

// act carries out an action command. When the cluster is replaying a
// recorded future (after a seek back) and this very action is the next
// recorded one, it is replayed rather than taken anew, so that the rest of
// the recorded future, the learner's actions included, stays.
func (r *Runner) act(cmd *scenario.Command) error {
	return r.take(ActionOf(cmd), false)
}

// take applies an action to the cluster, replaying it from the recorded
// future if it is the script's and the next one there (see act), and
// keeps account of who took it.
func (r *Runner) take(a sim.Action, learner bool) error {
	c := r.Cluster
	n := len(c.ActionsTaken())
	if !learner && c.ReplayNext(a) {
		r.acts = n + 1
		return nil
	}
	if err := c.Do(a); err != nil {
		return err
	}
	r.byLearner = append(r.byLearner[:n], learner)
	r.acts = n + 1
	return nil
}

// actionKinds pairs each action command with the simulator's action
// ("link" is two actions, down and up, told apart by Command.On).
var actionKinds = [...]struct {
	cmd scenario.CommandKind
	act sim.ActionKind
}{
	{scenario.CmdRule, sim.ActRule}, {scenario.CmdTimer, sim.ActTimer}, {scenario.CmdTimeout, sim.ActTimeout},
	{scenario.CmdPropose, sim.ActPropose}, {scenario.CmdCrash, sim.ActCrash}, {scenario.CmdRestart, sim.ActRestart},
	{scenario.CmdPartition, sim.ActPartition}, {scenario.CmdIsolate, sim.ActIsolate},
	{scenario.CmdLink, sim.ActLinkDown}, {scenario.CmdLink, sim.ActLinkUp}, {scenario.CmdHeal, sim.ActHeal},
	{scenario.CmdDrop, sim.ActDrop}, {scenario.CmdDuplicate, sim.ActDuplicate}, {scenario.CmdLatency, sim.ActLatency},
	{scenario.CmdDropNext, sim.ActDropNext}, {scenario.CmdDropMessage, sim.ActDropMessage},
	{scenario.CmdNetwork, sim.ActNetworkManual}, {scenario.CmdNetwork, sim.ActNetworkAuto},
	{scenario.CmdHeartbeat, sim.ActHeartbeat}, {scenario.CmdDeliver, sim.ActDeliver},
	{scenario.CmdDropOne, sim.ActDropOne}, {scenario.CmdDuplicateOne, sim.ActDuplicateOne},
	{scenario.CmdLinkDrop, sim.ActLinkDrop}, {scenario.CmdElection, sim.ActElection},
	{scenario.CmdTransfer, sim.ActTransfer}, {scenario.CmdClient, sim.ActClient},
}

// ActionOf translates an action command to the simulator's action.
func ActionOf(cmd *scenario.Command) sim.Action {
	a := sim.Action{Server: cmd.Server, From: cmd.From, To: cmd.To, Cmd: cmd.Cmd, BeforeSend: cmd.BeforeSend, AfterSend: cmd.AfterSend,
		Rate: cmd.Rate, Min: cmd.Min, Max: cmd.Max, Rule: cmd.Rule, On: cmd.On, Delay: cmd.Dur,
		Groups: cmd.Groups, Msg: cmd.Msg, Both: cmd.Both}
	for _, k := range actionKinds {
		if k.cmd == cmd.Kind {
			a.Kind = k.act
			break
		}
	}
	switch cmd.Kind {
	case scenario.CmdLink, scenario.CmdNetwork:
		// For a link (a network), On says up or down (manual or auto),
		// which the action's kind says.
		a.On = false
		if cmd.On && cmd.Kind == scenario.CmdLink {
			a.Kind = sim.ActLinkUp
		} else if !cmd.On && cmd.Kind == scenario.CmdNetwork {
			a.Kind = sim.ActNetworkAuto
		}
	case scenario.CmdDropMessage:
		a.MsgID = uint64(cmd.N)
	case scenario.CmdDeliver, scenario.CmdDropOne, scenario.CmdDuplicateOne:
		a.Nth = cmd.N
	}
	return a
}

// ActionWord returns the allow word that covers a simulator action.
func ActionWord(k sim.ActionKind) string {
	switch k {
	case sim.ActTimeout:
		return "timeout"
	case sim.ActPropose:
		return "propose"
	case sim.ActCrash:
		return "crash"
	case sim.ActRestart:
		return "restart"
	case sim.ActPartition:
		return "partition"
	case sim.ActIsolate:
		return "isolate"
	case sim.ActLinkDown, sim.ActLinkUp, sim.ActLinkDrop:
		return "link"
	case sim.ActElection:
		return "election"
	case sim.ActHeal:
		return "heal"
	case sim.ActDrop, sim.ActDropNext, sim.ActDropMessage, sim.ActDropOne:
		return "drop"
	case sim.ActDuplicate, sim.ActDuplicateOne:
		return "duplicate"
	case sim.ActNetworkManual, sim.ActNetworkAuto:
		return "network"
	case sim.ActHeartbeat:
		return "heartbeat"
	case sim.ActTransfer:
		return "transfer"
	case sim.ActClient:
		return "client"
	case sim.ActDeliver:
		return "deliver"
	case sim.ActLatency:
		return "latency"
	case sim.ActRule:
		return "rule"
	case sim.ActTimer:
		return "timer"
	}
	return ""
}

// Allowed reports whether the learner may take action a in this scenario.
func (r *Runner) Allowed(a sim.Action) bool {
	s := r.Scenario
	if !s.AllowGiven {
		return true
	}
	w := ActionWord(a.Kind)
	for _, x := range s.Allow {
		if x == w {
			return true
		}
	}
	return false
}

// Do takes a learner's action now, if the scenario allows it, and checks
// the goal. In an exercise it waits for the end of the setup (ErrSetup).
// While a demo's script or an exercise's solution plays, acting takes the
// cluster over: the script stops (OutTakeOver).
func (r *Runner) Do(a sim.Action) error {
	if r.SettingUp() {
		return ErrSetup
	}
	if !r.Allowed(a) {
		return &notAllowed{"this exercise does not allow " + ActionWord(a.Kind) + " (allowed: " + joinWords(r.Scenario.Allow) + ")"}
	}
	r.out = nil
	before := len(r.Cluster.ActionsTaken())
	if err := r.take(a, true); err != nil {
		return err
	}
	r.moves++
	if r.scripted() {
		r.takeOver(r.Cluster.Now())
	}
	r.checkGoal()
	r.forget(before)
	r.save()
	return nil
}

// forget drops the marks of a future that acting has just replaced: those
// after this moment, and those of this moment that had applied more than
// acts actions.
func (r *Runner) forget(acts int) {
	c := r.Cluster
	k := len(r.marks)
	for k > 1 && (r.marks[k-1].events > c.Events() || r.marks[k-1].time > c.Now() ||
		r.marks[k-1].state.acts > acts) {
		k--
	}
	r.marks = r.marks[:k]
}

// Seek moves the run to virtual time t, earlier or later: the cluster goes
// back (or forward, through the future it has already run) to t, and the
// script to where it was at t. Beyond the future already run, the script
// plays on to t (stopping early at a pause, a question or its end). Acting
// afterwards forks a new future from t.
func (r *Runner) Seek(t int) error {
	_, err := r.SeekEvents(t, -1)
	return err
}

// SeekEvents is Seek with a budget for the part beyond the future already
// run: it plays at most events new events (-1: any number), and reports
// more when they ran out short of t; the caller seeks again to go on.
// Within the future already run, a seek replays from the nearest
// checkpoint, which the simulator keeps close enough.
func (r *Runner) SeekEvents(t, events int) (more bool, err error) {
	c := r.Cluster
	if h := c.Horizon(); t > h {
		if err := r.seekKnown(h); err != nil {
			return false, err
		}
		if events < 0 {
			r.Advance(t)
			return false, nil
		}
		before := c.Events()
		r.AdvanceEvents(t, events)
		return c.Events()-before >= events && c.Now() < t, nil
	}
	return false, r.seekKnown(t)
}

// seekKnown moves to a moment of the future already run.
func (r *Runner) seekKnown(t int) error {
	c := r.Cluster
	if err := c.Seek(t); err != nil {
		return err
	}
	// The latest mark the cluster has reached: an action recorded at
	// exactly t may still wait to be replayed (see sim.Cluster.runTo).
	acts := len(c.ActionsTaken())
	i := len(r.marks) - 1
	for i > 0 && (r.marks[i].time > c.Now() || r.marks[i].events > c.Events() || r.marks[i].state.acts > acts) {
		i--
	}
	r.play = r.marks[i].state
	r.asked = append([]*scenario.Question(nil), r.marks[i].state.asked...)
	r.out = nil
	r.notice()
	return nil
}

// Outputs returns what the last Do produced (a solved goal).
func (r *Runner) Outputs() []Output { return r.out }

// Stop is a pause or a question of the main script (Kind OutPause or
// OutQuestion, at line Pos), and the virtual time at which the script
// reached it.
type Stop struct {
	Kind OutputKind
	Pos  scenario.Pos
	Time int
}

// Stops returns the pauses and questions the script has reached in the
// future already run (the one a seek goes through, beyond the present
// after a seek back), in order. It reads the marks the runner keeps for
// seeking: the script reached command p when it first stood past it, and
// a new future (acting in the past) forgets the marks of the old one.
func (r *Runner) Stops() []Stop {
	var out []Stop
	for p, cmd := range r.Scenario.Commands {
		kind := OutPause
		if cmd.Kind == scenario.CmdQuestion {
			kind = OutQuestion
		} else if cmd.Kind != scenario.CmdPause {
			continue
		}
		// Marks are in the order of the run, and the script only goes on:
		// the first one past p is where it was reached.
		lo, hi := 0, len(r.marks)
		for lo < hi {
			mid := int(uint(lo+hi) >> 1)
			if st := &r.marks[mid].state; st.solution || st.pc > p {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		if lo == len(r.marks) {
			break // not reached yet, nor anything after it
		}
		out = append(out, Stop{Kind: kind, Pos: cmd.Pos, Time: r.marks[lo].time})
	}
	return out
}

func joinWords(ws []string) string {
	if len(ws) == 0 {
		return "none"
	}
	s := ws[0]
	for _, w := range ws[1:] {
		s += " " + w
	}
	return s
}

// formatDuration writes ms as the language does: 2s, 1.5s or 300ms.
func formatDuration(ms int) string {
	if ms >= 1000 && ms%100 == 0 {
		s := strconv.Itoa(ms / 1000)
		if r := ms % 1000; r != 0 {
			s += "." + strconv.Itoa(r/100)
		}
		return s + "s"
	}
	return strconv.Itoa(ms) + "ms"
}
