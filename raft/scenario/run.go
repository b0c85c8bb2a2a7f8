package scenario

import (
	"errors"
	"strconv"

	"raftplay/raft/sim"
)

// OutputKind says what a script produced for its player.
type OutputKind uint8

const (
	OutSay      OutputKind = iota // Text: narration to show
	OutPause                      // the player stops until the learner goes on
	OutQuestion                   // Question: ask it; the player waits for an answer
	OutAnswer                     // Question, Right: which choices held
	OutFail                       // Text: an expect or run until failed; the script stops
	OutSolved                     // the exercise's goal holds
	OutEnd                        // the script has run to its end
)

var outputNames = [...]string{"say", "pause", "question", "answer", "fail", "solved", "end"}

func (k OutputKind) String() string {
	if int(k) < len(outputNames) {
		return outputNames[k]
	}
	return "output"
}

// Output is one thing a script produced, at virtual time Time.
type Output struct {
	Kind     OutputKind
	Pos      Pos
	Time     int
	Text     string
	Question *Question
	Right    []int // indexes of the choices that held
}

// Runner plays a scenario on a simulated cluster: it runs the script's
// commands in order, advancing virtual time as far as its caller allows,
// and reports narration, pauses, questions, failed expectations and a
// solved goal as they come. The same Runner serves the command line (which
// lets it run to the end) and the browser (which advances it a frame at a
// time and lets the learner act in between).
type Runner struct {
	Scenario *Scenario
	Cluster  *sim.Cluster

	cmds   []Command
	folded []bool // setup rules folded into the cluster's initial config
	pc     int
	active bool // the time command at pc is under way
	until  int  // its time limit
	steps  int  // for step: events still to go

	asked  []*Question // asked, waiting for the next pause or the end
	err    *Error
	ended  bool
	watch  bool // check the goal after every event
	solved bool
	moves  int // learner actions taken (see Do)
	out    []Output
}

// ClusterConfig returns the simulator configuration for s: its cluster
// line, with the rule commands that come before the first run or step
// folded in, so that they hold from virtual time 0, the first timer draws
// included.
func ClusterConfig(s *Scenario) sim.Config {
	cfg := sim.DefaultConfig()
	cl := s.Cluster
	cfg.Servers, cfg.Seed = cl.N, cl.Seed
	cfg.ElectionMin, cfg.ElectionMax = cl.ElectionMin, cl.ElectionMax
	cfg.Heartbeat = cl.Heartbeat
	cfg.LatencyMin, cfg.LatencyMax = cl.LatencyMin, cl.LatencyMax
	cfg.Drop, cfg.Duplicate = cl.Drop, cl.Duplicate
	for _, c := range s.Commands {
		if c.Kind.IsTime() {
			break
		}
		if c.Kind == CmdRule {
			cfg.Rules = cfg.Rules.With(c.Rule, c.On)
		}
	}
	return cfg
}

// NewRunner builds the scenario's cluster at virtual time 0, ready to run
// its script. cfgHook, if not nil, may adjust the configuration first
// (for example to turn the trace off).
func NewRunner(s *Scenario, cfgHook func(*sim.Config)) (*Runner, error) {
	cfg := ClusterConfig(s)
	if cfgHook != nil {
		cfgHook(&cfg)
	}
	c, err := sim.New(cfg)
	if err != nil {
		return nil, &Error{Pos: s.ClusterPos, Msg: err.Error()}
	}
	r := &Runner{Scenario: s, Cluster: c, cmds: s.Commands}
	r.folded = make([]bool, len(s.Commands))
	for i, cmd := range s.Commands {
		if cmd.Kind.IsTime() {
			break
		}
		r.folded[i] = cmd.Kind == CmdRule
	}
	return r, nil
}

// Err returns the failure that stopped the script, if any.
func (r *Runner) Err() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

// Ended reports whether the script (main script or solution) has run to
// its end.
func (r *Runner) Ended() bool { return r.ended }

// Solved reports whether the exercise's goal has held since the learner
// took over.
func (r *Runner) Solved() bool { return r.solved }

// Moves returns the number of actions the learner took through Do.
func (r *Runner) Moves() int { return r.moves }

// Line returns the position of the next command to run, for showing
// where the script is (zero when it has ended).
func (r *Runner) Line() Pos {
	if r.pc < len(r.cmds) {
		return r.cmds[r.pc].Pos
	}
	return Pos{}
}

// Solve switches to the exercise's reference solution: once the main
// script has ended, the solution's commands run next, as if the learner
// had typed them.
func (r *Runner) Solve() error {
	if !r.Scenario.IsExercise() {
		return errors.New("this scenario is not an exercise")
	}
	if !r.ended {
		return errors.New("the exercise's setup has not finished yet")
	}
	r.cmds, r.folded, r.pc, r.ended = r.Scenario.Solution, nil, 0, false
	return nil
}

func (r *Runner) emit(o Output) {
	o.Time = r.Cluster.Now()
	r.out = append(r.out, o)
}

func (r *Runner) fail(pos Pos, msg string) {
	pos.Col = 0
	r.err = &Error{Pos: pos, Msg: msg}
	r.emit(Output{Kind: OutFail, Pos: pos, Text: msg})
}

// checkGoal records the goal as solved the first time it holds while the
// learner is in control.
func (r *Runner) checkGoal() {
	if r.watch && !r.solved && Holds(r.Scenario.Goal, r.Cluster) {
		r.solved = true
		r.emit(Output{Kind: OutSolved, Pos: r.Scenario.GoalPos})
	}
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

// stepWatching processes events up to time limit, checking the goal after
// each one.
func (r *Runner) stepWatching(limit int) {
	c := r.Cluster
	if r.watch && !r.solved {
		for c.StepUntil(limit) {
			r.checkGoal()
			if r.solved {
				break
			}
		}
	}
	_ = c.RunUntil(limit)
	r.checkGoal()
}

// Advance runs the script until virtual time limit at most. It returns
// early, with what happened so far, at a pause, at a question, at a
// failure, or when the script ends; after the end it lets the cluster run
// freely up to limit. The next call picks up where this one stopped.
func (r *Runner) Advance(limit int) []Output {
	r.out = nil
	c := r.Cluster
	limit = max(limit, c.Now())
	for r.err == nil {
		if r.pc >= len(r.cmds) {
			if !r.ended {
				r.ended = true
				r.answer()
				r.emit(Output{Kind: OutEnd})
				r.watch = r.Scenario.IsExercise()
				r.checkGoal()
				return r.out
			}
			r.stepWatching(limit)
			return r.out
		}
		cmd := &r.cmds[r.pc]
		switch {
		case r.folded != nil && r.folded[r.pc]:
			r.pc++
		case cmd.Kind.IsAction():
			if err := r.act(cmd); err != nil {
				r.fail(cmd.Pos, cmd.Kind.String()+": "+err.Error())
				return r.out
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
	}
	return r.out
}

// teach runs a command that speaks to the learner; it reports whether the
// player should stop here.
func (r *Runner) teach(cmd *Command) bool {
	switch cmd.Kind {
	case CmdExpect:
		if !Holds(cmd.Cond, r.Cluster) {
			r.fail(cmd.Pos, "expected "+cmd.Cond.String()+", got "+Explain(cmd.Cond, r.Cluster))
			return true
		}
	case CmdSay:
		r.emit(Output{Kind: OutSay, Pos: cmd.Pos, Text: cmd.Text})
	case CmdPause:
		r.answer()
		r.emit(Output{Kind: OutPause, Pos: cmd.Pos})
		return true
	case CmdQuestion:
		r.asked = append(r.asked, cmd.Question)
		r.emit(Output{Kind: OutQuestion, Pos: cmd.Pos, Question: cmd.Question, Text: cmd.Text})
		return true
	}
	return false
}

// runTime carries a run, step or run until command forward, up to time
// limit; it reports whether the command is complete.
func (r *Runner) runTime(cmd *Command, limit int) bool {
	c := r.Cluster
	if !r.active {
		r.active = true
		r.until = c.Now() + cmd.Dur
		r.steps = cmd.N
	}
	switch cmd.Kind {
	case CmdRun:
		if limit < r.until {
			r.stepWatching(limit)
			return false
		}
		r.stepWatching(r.until)
	case CmdStep:
		for r.steps > 0 {
			if !c.StepUntil(limit) {
				if _, ok := c.NextEventTime(); ok {
					return false // the next event is beyond limit
				}
				break // nothing will ever happen: the step is over
			}
			r.steps--
			r.checkGoal()
		}
	case CmdRunUntil:
		// Checked before the first event and after each event; it stops
		// at the event that makes it true.
		for !Holds(cmd.Cond, c) {
			if !c.StepUntil(min(limit, r.until)) {
				if limit < r.until {
					_ = c.RunUntil(limit)
					return false
				}
				_ = c.RunUntil(r.until)
				r.active = false
				r.fail(cmd.Pos, "run until "+cmd.Cond.String()+": not reached within "+formatDuration(cmd.Dur)+
					" (at "+strconv.Itoa(c.Now())+"ms): "+Explain(cmd.Cond, c))
				return false
			}
			r.checkGoal()
		}
	}
	r.active = false
	return true
}

// act carries out an action command.
func (r *Runner) act(cmd *Command) error {
	return r.Cluster.Do(ActionOf(cmd))
}

// ActionOf translates an action command to the simulator's action.
func ActionOf(cmd *Command) sim.Action {
	a := sim.Action{Server: cmd.Server, From: cmd.From, To: cmd.To, Cmd: cmd.Cmd, BeforeSend: cmd.BeforeSend,
		Rate: cmd.Rate, Min: cmd.Min, Max: cmd.Max, Rule: cmd.Rule, On: cmd.On, Delay: cmd.Dur}
	switch cmd.Kind {
	case CmdRule:
		a.Kind = sim.ActRule
	case CmdTimer:
		a.Kind = sim.ActTimer
	case CmdTimeout:
		a.Kind = sim.ActTimeout
	case CmdPropose:
		a.Kind = sim.ActPropose
	case CmdCrash:
		a.Kind = sim.ActCrash
	case CmdRestart:
		a.Kind = sim.ActRestart
	case CmdPartition:
		a.Kind = sim.ActPartition
		a.Groups = cmd.Groups
	case CmdIsolate:
		a.Kind = sim.ActIsolate
	case CmdLink:
		a.Kind = sim.ActLinkDown
		if cmd.On {
			a.Kind = sim.ActLinkUp
		}
	case CmdHeal:
		a.Kind = sim.ActHeal
	case CmdDrop:
		a.Kind = sim.ActDrop
	case CmdDuplicate:
		a.Kind = sim.ActDuplicate
	case CmdLatency:
		a.Kind = sim.ActLatency
	case CmdDropNext:
		a.Kind = sim.ActDropNext
	case CmdDropMessage:
		a.Kind = sim.ActDropMessage
		a.MsgID = uint64(cmd.N)
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
	case sim.ActLinkDown, sim.ActLinkUp:
		return "link"
	case sim.ActHeal:
		return "heal"
	case sim.ActDrop, sim.ActDropNext, sim.ActDropMessage:
		return "drop"
	case sim.ActDuplicate:
		return "duplicate"
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
// the goal.
func (r *Runner) Do(a sim.Action) error {
	if !r.Allowed(a) {
		return errors.New("this exercise does not allow " + ActionWord(a.Kind) + " (allowed: " + joinWords(r.Scenario.Allow) + ")")
	}
	r.out = nil
	if err := r.Cluster.Do(a); err != nil {
		return err
	}
	r.moves++
	r.checkGoal()
	return nil
}

// Outputs returns what the last Do produced (a solved goal).
func (r *Runner) Outputs() []Output { return r.out }

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
