package bridge

import (
	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

func allRules() []raft.Rule      { return raft.AllRules() }
func defaultOn(r raft.Rule) bool { return raft.DefaultRules.Has(r) }

// writeScenario writes what the page needs to know about a scenario
// before it runs: its size, title, exercise and questions.
func writeScenario(w *jsonw, s *scenario.Scenario) {
	w.kint("servers", s.Cluster.N)
	w.kstr("title", s.Title)
	w.kint("seed", int(s.Cluster.Seed%(1<<52)))
	w.kint("commands", len(s.Commands))
	if s.IsExercise() {
		w.key("exercise")
		w.obj()
		w.kstr("goal", s.Goal.String())
		w.key("allow")
		w.arr()
		allowed := scenario.ActionWords
		if s.AllowGiven {
			allowed = s.Allow
		}
		for _, a := range allowed {
			w.str(a)
		}
		w.endArr()
		w.key("hints")
		w.arr()
		for _, h := range s.Hints {
			w.str(h)
		}
		w.endArr()
		w.kstr("why", s.GoalWhy)
		w.kbool("hasSolution", len(s.Solution) > 0)
		w.kint("solutionMoves", solutionMoves(s))
		w.kstr("digest", player.SetupDigest(s))
		w.endObj()
	}
	w.key("questions")
	w.arr()
	for _, q := range s.Questions {
		writeQuestion(w, q)
	}
	w.endArr()
}

// solutionMoves counts the actions of the exercise's reference solution:
// what a learner's moves (Runner.Moves, one per action) compare with.
func solutionMoves(s *scenario.Scenario) int {
	n := 0
	for i := range s.Solution {
		if s.Solution[i].Kind.IsAction() {
			n++
		}
	}
	return n
}

func writeQuestion(w *jsonw, q *scenario.Question) {
	w.obj()
	w.kint("line", q.Pos.Line)
	w.kstr("text", q.Text)
	w.key("choices")
	w.arr()
	for _, c := range q.Choices {
		w.str(c.Text)
	}
	w.endArr()
	// Each choice's explanation ("" if it has none), shown with the answer.
	w.key("whys")
	w.arr()
	for _, c := range q.Choices {
		w.str(c.Why)
	}
	w.endArr()
	w.endObj()
}

// outputsJSON answers a call that ran the script: where the run is now
// and what the script produced.
func outputsJSON(r *player.Runner, outs []player.Output) string {
	return outputsJSONMore(r, outs, false)
}

// outputsJSONMore is outputsJSON for a call that may have stopped short
// of where it was asked to go because its event budget ran out (more:
// call again to go on).
func outputsJSONMore(r *player.Runner, outs []player.Output, more bool) string {
	c := r.Cluster
	var w jsonw
	w.obj()
	if more {
		w.kbool("more", true)
	}
	w.kint("time", c.Now())
	w.kint("events", c.Events())
	w.kint("horizon", c.Horizon())
	w.kint("quiet", r.QuietUntil())
	writePlay(&w, r)
	w.kbool("solution", r.InSolution())
	w.kint("line", r.Line().Line)
	if err := r.Err(); err != nil {
		w.kstr("failed", err.Error())
	}
	w.key("outputs")
	w.arr()
	for _, o := range outs {
		w.obj()
		w.kstr("kind", o.Kind.String())
		w.kint("time", o.Time)
		w.kint("line", o.Pos.Line)
		if o.Text != "" {
			w.kstr("text", o.Text)
		}
		if o.Question != nil {
			w.key("question")
			writeQuestion(&w, o.Question)
		}
		if o.Kind == player.OutAnswer {
			w.key("right")
			w.arr()
			for _, i := range o.Right {
				w.int(i)
			}
			w.endArr()
		}
		w.endObj()
	}
	w.endArr()
	w.endObj()
	return w.String()
}

// writePlay writes where the script is: ended (run to its end, or taken
// over), takenOver (the learner acted while it played: it has stopped),
// setup (an exercise's setup still runs: moves wait), solved.
func writePlay(w *jsonw, r *player.Runner) {
	over, _ := r.TakenOver()
	w.kbool("ended", r.Ended())
	w.kbool("takenOver", over)
	w.kbool("setup", r.SettingUp())
	w.kbool("solved", r.Solved())
}

// Snapshot returns the whole cluster now, each log limited to indexes
// logFrom..logTo (at most MaxLogWindow of them), as one JSON text: the
// page reads everything it draws in a frame with one call.
func (b *Bridge) Snapshot(id int, logFrom, logTo int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	if logFrom < 1 {
		logFrom = 1
	}
	if logTo < logFrom-1 || logTo-logFrom >= MaxLogWindow {
		logTo = logFrom + MaxLogWindow - 1
	}
	sn := s.r.Cluster.Snapshot(logFrom, logTo)
	var w jsonw
	w.b = make([]byte, 0, 4096)
	w.obj()
	w.kint("time", sn.Time)
	w.kint("events", sn.Events)
	w.kint("horizon", sn.Horizon)
	w.kint("leader", int(sn.Leader))
	w.kint("violations", sn.Violations)
	w.kbool("manual", sn.Manual)
	writePlay(&w, s.r)
	w.kint("line", s.r.Line().Line)
	w.key("rules")
	w.obj()
	for _, r := range raft.AllRules() {
		w.kbool(r.String(), sn.Rules.Has(r))
	}
	w.endObj()
	w.key("servers")
	w.arr()
	for i := range sn.Servers {
		writeServer(&w, &sn.Servers[i])
	}
	w.endArr()
	w.key("machines")
	w.arr()
	for i := range sn.Servers {
		writeMachine(&w, s.r.Cluster.Applied(sn.Servers[i].ID))
	}
	w.endArr()
	w.key("removed")
	writeRemovals(&w, s.r.Cluster.Removals(), logFrom, logTo)
	w.key("msgs")
	w.arr()
	for i := range sn.InFlight {
		writeFlight(&w, &sn.InFlight[i])
	}
	w.endArr()
	writeNetwork(&w, &sn.Network)
	w.kint("client", s.r.Cluster.Client().Every)
	w.key("requests")
	w.arr()
	for _, q := range s.r.Cluster.Requests(ShownRequests) {
		writeRequest(&w, &q)
	}
	w.endArr()
	w.key("found")
	w.arr()
	for _, v := range s.r.Cluster.Violations() {
		if len(w.b) > 1<<20 {
			break
		}
		writeViolation(&w, &v)
	}
	w.endArr()
	w.endObj()
	return w.String()
}

// ShownApplied is how many of the last commands each server's state
// machine applied a snapshot carries, for the picture of the machines.
const ShownApplied = 6

// writeMachine writes what a state machine has applied: how many
// commands, and the last few of them (a leader's empty entries change no
// state machine and are left out).
func writeMachine(w *jsonw, applied []raft.Entry) {
	var tail []string
	n := 0
	for i := len(applied) - 1; i >= 0; i-- {
		if applied[i].Noop {
			continue
		}
		n++
		if len(tail) < ShownApplied {
			tail = append(tail, applied[i].Cmd)
		}
	}
	w.obj()
	w.kint("n", n)
	w.key("last")
	w.arr()
	for i := len(tail) - 1; i >= 0; i-- {
		w.str(tail[i])
	}
	w.endArr()
	w.endObj()
}

// ScannedRemovals bounds how far back a snapshot looks for entries
// removed from logs.
const ScannedRemovals = 2000

// writeRemovals writes, for each log position in from..to where an entry
// was removed (a conflict with a leader's log, §5.3, or a safety rule
// off), the latest entry removed there, so that the logs' picture can
// mark what was overwritten.
func writeRemovals(w *jsonw, rs []sim.Removal, from, to int) {
	type at struct {
		id    raft.ID
		index int
	}
	seen := map[at]bool{}
	w.arr()
	for i := len(rs) - 1; i >= 0 && i >= len(rs)-ScannedRemovals; i-- {
		r := &rs[i]
		k := at{r.Server, r.Entry.Index}
		if r.Entry.Index < from || r.Entry.Index > to || seen[k] {
			continue
		}
		seen[k] = true
		w.obj()
		w.kint("server", int(r.Server))
		w.kint("index", r.Entry.Index)
		w.kint("term", r.Entry.Term)
		if r.Entry.Noop {
			w.key("cmd")
			w.null()
		} else {
			w.kstr("cmd", r.Entry.Cmd)
		}
		w.endObj()
	}
	w.endArr()
}

// ShownRequests is how many of the latest client requests a snapshot
// carries, for the picture of the clients.
const ShownRequests = 4

// writeRequest writes a client request and what became of it (see
// sim.Request).
func writeRequest(w *jsonw, q *sim.Request) {
	w.obj()
	w.kint("seq", q.Seq)
	w.kint("time", q.Time)
	w.kstr("cmd", q.Cmd)
	w.kint("to", int(q.To))
	w.kstr("state", q.State.String())
	w.kint("redirect", int(q.Redirect))
	w.kint("index", q.Index)
	w.kint("term", q.Term)
	w.kint("done", q.Done)
	w.endObj()
}

func ids(w *jsonw, xs []raft.ID) {
	w.arr()
	for _, x := range xs {
		w.int(int(x))
	}
	w.endArr()
}

func ints(w *jsonw, xs []int) {
	w.arr()
	for _, x := range xs {
		w.int(x)
	}
	w.endArr()
}

func writeServer(w *jsonw, st *sim.ServerState) {
	w.obj()
	w.kint("id", int(st.ID))
	w.kbool("up", st.Up)
	w.kstr("role", st.Role.String())
	w.kint("term", st.Term)
	w.kint("vote", int(st.Vote))
	w.kint("leader", int(st.Leader))
	w.kint("commit", st.Commit)
	w.kint("applied", st.Applied)
	w.kint("last", st.LastIndex)
	w.kint("lastTerm", st.LastTerm)
	w.kint("incarnation", st.Incarnation)
	w.kbool("armed", st.CrashArmed)
	w.kint("timerStart", st.TimerStart)
	w.kint("timerEnd", st.TimerDeadline)
	w.key("votes")
	ids(w, st.Votes)
	if st.Next != nil {
		w.key("next")
		ints(w, st.Next)
		w.key("match")
		ints(w, st.Match)
	}
	w.kint("logFrom", st.LogFrom)
	w.key("log")
	w.arr()
	for _, e := range st.Log {
		w.arr()
		w.int(e.Term)
		if e.Noop {
			w.null()
		} else {
			w.str(e.Cmd)
		}
		w.endArr()
	}
	w.endArr()
	w.endObj()
}

// msgKind names a message's type as the scenario language does (deliver
// S1->S2 vote-reply).
func msgKind(m *raft.Message) string {
	if k := sim.KindOf(m); k != 0 {
		return k.String()
	}
	return "message"
}

func writeFlight(w *jsonw, f *sim.MessageState) {
	m := &f.Msg
	w.obj()
	w.kint("id", int(f.ID))
	w.kstr("kind", msgKind(m))
	w.kstr("type", m.Type.String())
	w.kint("from", int(m.From))
	w.kint("to", int(m.To))
	w.kint("term", m.Term)
	w.kint("sent", f.SentAt)
	w.kint("at", f.At)
	w.kbool("cut", f.Cut)
	if f.Waiting {
		// The network is manual: the message waits in flight, whatever
		// "at" says, until the script or the learner acts on it.
		w.kbool("waiting", true)
	}
	switch m.Type {
	case raft.MsgVote, raft.MsgPreVote:
		w.kint("lastIndex", m.LastIndex)
		w.kint("lastTerm", m.LastTerm)
		if m.Transfer {
			// A leadership transfer's election (heard despite the vote lease).
			w.kbool("transfer", true)
		}
	case raft.MsgApp:
		w.kint("prevIndex", m.PrevIndex)
		w.kint("prevTerm", m.PrevTerm)
		w.kint("commit", m.Commit)
		w.kint("entries", len(m.Entries))
	case raft.MsgVoteResp, raft.MsgPreVoteResp:
		w.kbool("granted", !m.Reject)
	case raft.MsgAppResp:
		w.kbool("success", !m.Reject)
		w.kint("match", m.Match)
		if m.Reject {
			w.kint("hintIndex", m.HintIndex)
			w.kint("hintTerm", m.HintTerm)
		}
	}
	w.endObj()
}

func writeNetwork(w *jsonw, n *sim.NetworkState) {
	w.key("net")
	w.obj()
	w.key("groups")
	ints(w, n.Group)
	w.key("isolated")
	w.arr()
	for _, b := range n.Isolated {
		w.bool(b)
	}
	w.endArr()
	w.key("down")
	w.arr()
	for _, l := range n.LinksDown {
		ids(w, l[:])
	}
	w.endArr()
	w.key("loss")
	w.arr()
	for _, l := range n.LinkLoss {
		w.arr()
		w.int(int(l.From))
		w.int(int(l.To))
		w.num(l.Rate)
		w.endArr()
	}
	w.endArr()
	w.key("drop")
	w.num(n.Drop)
	w.key("duplicate")
	w.num(n.Duplicate)
	w.kint("latMin", n.LatMin)
	w.kint("latMax", n.LatMax)
	w.kint("electionMin", n.ElectionMin)
	w.kint("electionMax", n.ElectionMax)
	w.endObj()
}

func writeViolation(w *jsonw, v *sim.Violation) {
	w.obj()
	w.kstr("kind", v.Kind.String())
	w.kint("time", v.Time)
	w.kint("seq", v.Seq)
	w.key("servers")
	ids(w, v.Servers)
	w.kint("index", v.Index)
	w.kint("term", v.Term)
	w.key("say")
	writeLine(w, v.Line())
	w.endObj()
}

// Events returns the trace records from cursor on (at most MaxRecords),
// each with its narration, and the cursor to ask from next time. After a
// seek back the trace is shorter than before: a cursor past its end gets
// "reset": true and the records from the start of the window asked for.
// A long run keeps only its newest records (see sim.Config.TraceLimit):
// "start" then says where they begin, and a cursor before it is moved
// there. A negative cursor -k asks for the last k records: after a seek
// the trace ends at the new moment, so that is the tail a page shows.
func (b *Bridge) Events(id int, cursor int) string {
	s, bad := b.session(id)
	if s == nil {
		return bad
	}
	c := s.r.Cluster
	n, start := c.TraceLen(), c.TraceStart()
	reset := false
	if cursor < 0 {
		cursor = max(n+cursor, 0)
	} else if cursor > n {
		cursor, reset = 0, true
	}
	cursor = max(cursor, start)
	recs := c.TraceRange(cursor, cursor+MaxRecords)
	var w jsonw
	w.obj()
	w.kint("cursor", cursor+len(recs))
	w.kbool("reset", reset)
	w.kint("total", n)
	if start > 0 {
		w.kint("start", start)
		w.kint("earliest", c.Earliest())
	}
	w.key("records")
	w.arr()
	for i := range recs {
		writeRecord(&w, &recs[i])
	}
	w.endArr()
	w.endObj()
	return w.String()
}

// writeRecord writes one trace record: when it happened, its kind and
// what it was (for the page's styling), and in "say" the sentence that
// narrates it, as a key and its arguments (see sim.Line): the page puts
// it into words in its own language, from the same tables as the command
// line.
func writeRecord(w *jsonw, r *sim.Record) {
	w.obj()
	w.kint("time", r.Time)
	w.kint("seq", r.Seq)
	var kind, what string
	switch r.Kind {
	case sim.RecEvent:
		kind, what = "event", r.Event.Kind.String()
	case sim.RecAction:
		kind, what = "action", r.Action.Kind.String()
	case sim.RecLost:
		kind, what = "lost", r.Loss.String()
	case sim.RecViolation:
		kind, what = "violation", r.Violation.Kind.String()
	case sim.RecEngineError:
		kind, what = "engine-error", r.Msg.Type.String()
	case sim.RecUnwritten:
		kind, what = "unwritten", r.Unwritten.Server.String()
	case sim.RecClient:
		kind, what = "client", "request"
		if r.Loss != 0 {
			what = r.Loss.String()
		}
	}
	w.kstr("kind", kind)
	w.kstr("what", what)
	w.key("say")
	writeLine(w, sim.Describe(*r))
	w.endObj()
}

// writeLine writes a sim.Line as {"key": ..., "args": {...}}: a number
// is a number, a text a string, a glossary term {"gloss": key}, a phrase
// a Line of its own, and a list an array of them ({"sep": key, "list":
// [...]} when it names its separator).
func writeLine(w *jsonw, l sim.Line) {
	w.obj()
	w.kstr("key", l.Key)
	w.key("args")
	w.obj()
	for _, a := range l.Args {
		w.key(a.Name)
		switch a.Kind {
		case sim.ArgNum:
			w.int(a.Int)
		case sim.ArgText:
			w.str(a.Text)
		case sim.ArgGloss:
			w.obj()
			w.kstr("gloss", a.Text)
			w.endObj()
		case sim.ArgLine:
			writeLine(w, a.Lines[0])
		case sim.ArgList:
			if a.Text != "" {
				w.obj()
				w.kstr("sep", a.Text)
				w.key("list")
			}
			w.arr()
			for _, s := range a.Lines {
				writeLine(w, s)
			}
			w.endArr()
			if a.Text != "" {
				w.endObj()
			}
		}
	}
	w.endObj()
	w.endObj()
}
