// Package bridge is what the page can ask of the simulator: clusters made
// from scenario text, advanced, acted on, rewound, observed. Every call
// takes plain values and answers with a JSON text, either a result or
// {"error": "..."}; nothing it is given can make it panic. The WebAssembly
// main (package wasm) only converts JavaScript values and calls it, so the
// same code is tested natively and under WebAssembly.
package bridge

import (
	"errors"
	"math"
	"strconv"

	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// Limits on what the page may ask for.
const (
	MaxSessions   = 64        // clusters alive at once on a page
	MaxScriptSize = 256 << 10 // bytes of scenario text
	MaxTime       = 1 << 30   // virtual ms
	MaxRecords    = 5000      // trace records per Events call
	MaxLogWindow  = 2000      // log entries per server per Snapshot
	// MaxEvents bounds the events one call may process (advance, seek,
	// until): a tenth of a second or so in the browser. A call that runs
	// out stops short, says "more": true, and the page calls again, so
	// that no call can freeze the page however far it asks to go.
	MaxEvents = 100_000
)

// Bridge holds the page's clusters.
type Bridge struct {
	sessions map[int]*session
	next     int
	// traceLimit, when not 0, replaces the simulator's bound on the trace
	// (for tests of long runs in short ones).
	traceLimit int
}

type session struct {
	name  string
	r     *player.Runner
	marks markLog // what Marks has read of the run
}

// New returns an empty bridge.
func New() *Bridge { return &Bridge{sessions: map[int]*session{}} }

func (b *Bridge) get(id int) (*session, error) {
	s, ok := b.sessions[id]
	if !ok {
		return nil, errors.New("no cluster " + strconv.Itoa(id) + " (it was never created or has been disposed)")
	}
	return s, nil
}

// session returns the cluster with the id, or nil and the error answer.
func (b *Bridge) session(id int) (*session, string) {
	s, err := b.get(id)
	if err != nil {
		return nil, errorJSON(err.Error())
	}
	return s, ""
}

// checkTime validates a virtual time or duration from the page.
func checkTime(what string, v float64) (int, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > MaxTime || v != math.Trunc(v) {
		return 0, errors.New(what + " must be a whole number of milliseconds between 0 and " + strconv.Itoa(MaxTime))
	}
	return int(v), nil
}

// Create parses a scenario (one .raft text, or a markdown text whose first
// ```raft block is taken) and builds its cluster. name is used in error
// positions (file:line:col).
func (b *Bridge) Create(text, name string) string {
	if len(text) > MaxScriptSize {
		return errorJSON("scenario text is too long (at most " + strconv.Itoa(MaxScriptSize) + " bytes)")
	}
	if len(b.sessions) >= MaxSessions {
		return errorJSON("too many clusters on this page (at most " + strconv.Itoa(MaxSessions) + "); dispose of some first")
	}
	if name == "" {
		name = "scenario"
	}
	s, err := scenario.Parse(name, text)
	if err != nil {
		return parseErrorJSON(err)
	}
	r, err := player.NewRunner(s, func(c *sim.Config) { c.TraceLimit = b.traceLimit })
	if err != nil {
		return errorJSON(err.Error())
	}
	b.next++
	id := b.next
	b.sessions[id] = &session{name: name, r: r}
	return object(func(w *jsonw) {
		w.kint("id", id)
		writeScenario(w, s)
	})
}

// Parse checks scenario text without running it, for an editor: the
// errors come with their lines and columns.
func (b *Bridge) Parse(text, name string) string {
	if len(text) > MaxScriptSize {
		return errorJSON("scenario text is too long")
	}
	s, err := scenario.Parse(name, text)
	if err != nil {
		return parseErrorJSON(err)
	}
	return object(func(w *jsonw) {
		writeScenario(w, s)
	})
}

func parseErrorJSON(err error) string {
	return object(func(w *jsonw) {
		w.kstr("error", err.Error())
		var list scenario.ErrorList
		var one *scenario.Error
		if errors.As(err, &list) {
			w.key("errors")
			w.arr()
			for _, e := range list {
				writePosError(w, e)
			}
			w.endArr()
		} else if errors.As(err, &one) {
			w.key("errors")
			w.arr()
			writePosError(w, one)
			w.endArr()
		}
	})
}

func writePosError(w *jsonw, e *scenario.Error) {
	w.obj()
	w.kint("line", e.Pos.Line)
	w.kint("col", e.Pos.Col)
	w.kstr("msg", e.Msg)
	w.endObj()
}

// Dispose forgets a cluster.
func (b *Bridge) Dispose(id int) string {
	if _, err := b.get(id); err != nil {
		return errorJSON(err.Error())
	}
	delete(b.sessions, id)
	return `{"ok":true}`
}

// Advance plays the scenario on for ms of virtual time (the script, then
// free running), stopping early at a pause, a question, a failure or the
// script's end.
func (b *Bridge) Advance(id int, ms float64) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	d, err := checkTime("the time to advance", ms)
	if err != nil {
		return errorJSON(err.Error())
	}
	c := s.r.Cluster
	limit := min(c.Now()+d, MaxTime)
	before := c.Events()
	outs := s.r.AdvanceEvents(limit, MaxEvents)
	return outputsJSONMore(s.r, outs, c.Events()-before >= MaxEvents && c.Now() < limit)
}

// Step plays the scenario on by one event.
func (b *Bridge) Step(id int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	return outputsJSON(s.r, s.r.Step())
}

// Act takes a learner's action, written as a command of the scenario
// language ("crash S1", "propose x to S2", "partition S1 S2 | S3",
// "rule election-restriction off", "drop message 42"). An exercise allows
// only its allowed actions, and only once its setup has ended. Acting
// while a demo's script (or an exercise's solution) plays takes the
// cluster over: the script stops ("takeover" among the outputs).
//
// A refusal the page explains in its own words carries a code beside the
// error: "setup" (the exercise's setup still runs), "not-allowed".
func (b *Bridge) Act(id int, command string) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	if len(command) > 2000 {
		return errorJSON("command is too long")
	}
	cmd, err := scenario.ParseCommand(command, s.r.Cluster.Servers())
	if err != nil {
		return errorJSON(err.Error())
	}
	if !cmd.Kind.IsAction() {
		return errorJSON(strconv.Quote(command) + " is not an action (actions: " + joinWords(scenario.ActionWords) + ")")
	}
	if err := s.r.Do(player.ActionOf(&cmd)); err != nil {
		return refusalJSON(err)
	}
	return outputsJSON(s.r, s.r.Outputs())
}

// Seek moves the run to virtual time t, earlier or later.
func (b *Bridge) Seek(id int, t float64) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	at, err := checkTime("the time to seek to", t)
	if err != nil {
		return errorJSON(err.Error())
	}
	more, err := s.r.SeekEvents(at, MaxEvents)
	if err != nil {
		return errorJSON(err.Error())
	}
	// Past the future already run the script plays on, and what it says
	// (a question the learner must answer first) is in the answer.
	return outputsJSONMore(s.r, s.r.Outputs(), more)
}

// Solve plays the exercise's reference solution from where the setup
// ended (the page offers it once the learner asks).
func (b *Bridge) Solve(id int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	if err := s.r.Solve(); err != nil {
		return refusalJSON(err)
	}
	return outputsJSON(s.r, nil)
}

// Goal says whether the exercise's goal holds now, and what is seen (a
// line of the narration, which the page writes in its language).
func (b *Bridge) Goal(id int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	sc := s.r.Scenario
	if !sc.IsExercise() {
		return errorJSON("this scenario is not an exercise")
	}
	c := s.r.Cluster
	return object(func(w *jsonw) {
		w.kstr("goal", sc.Goal.String())
		held := player.Holds(sc.Goal, c)
		w.kbool("holds", held)
		w.kbool("solved", s.r.Solved())
		w.kint("moves", s.r.Moves())
		w.kint("time", c.Now())
		w.kint("taken", s.r.Taken())
		if !held {
			w.key("seen")
			writeLine(w, player.Seen(sc.Goal, c))
		}
	})
}

// Record writes the run so far as a scenario (for share links and
// solutions).
func (b *Bridge) Record(id int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	return object(func(w *jsonw) {
		w.kstr("text", player.Record(s.r.Cluster))
		w.kint("moves", s.r.Moves())
		w.kint("time", s.r.Cluster.Now())
	})
}

// Solution returns what the learner did in an exercise since its setup
// ended (their moves, as scenario lines) and the exercise's digest: the
// page makes a solution code of them for raftplay verify.
func (b *Bridge) Solution(id int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	sc := s.r.Scenario
	if !sc.IsExercise() {
		return errorJSON("this scenario is not an exercise")
	}
	return object(func(w *jsonw) {
		w.kstr("digest", player.SetupDigest(sc))
		w.kstr("moves", s.r.RecordMoves())
		w.kbool("solved", s.r.Solved())
		w.kint("count", s.r.Moves())
	})
}

// Hash returns the run's trace hash, to compare runs across platforms.
func (b *Bridge) Hash(id int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	c := s.r.Cluster
	return object(func(w *jsonw) {
		w.kstr("hash", strconv.FormatUint(c.Hash(), 16))
		w.kint("events", c.Events())
		w.kint("time", c.Now())
	})
}

// Rules lists the engine's rules, for the page's switches: each one's
// name, default, kind (safety, liveness, option or mistake) and whether
// switching it off can break safety.
func (b *Bridge) Rules() string {
	var w jsonw
	w.arr()
	for _, r := range allRules() {
		w.obj()
		w.kstr("name", r.String())
		w.kbool("default", defaultOn(r))
		w.kstr("kind", r.Kind().String())
		w.kbool("safety", r.Safety())
		w.endObj()
	}
	w.endArr()
	return w.String()
}

// refusalJSON answers a refused action or solve, with the code of a
// refusal the page words itself.
func refusalJSON(err error) string {
	code := ""
	switch {
	case errors.Is(err, player.ErrSetup):
		code = "setup"
	case errors.Is(err, player.ErrNotAllowed):
		code = "not-allowed"
	}
	if code == "" {
		return errorJSON(err.Error())
	}
	return `{"code":"` + code + `",` + errorJSON(err.Error())[1:]
}

func joinWords(ws []string) string {
	s := ""
	for i, x := range ws {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

// object answers with a JSON object that write fills.
func object(write func(w *jsonw)) string {
	var w jsonw
	w.obj()
	write(&w)
	w.endObj()
	return w.String()
}
