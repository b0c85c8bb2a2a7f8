// Package job is one search the page asks of the explorer (raft/explore),
// in the explorer's own worker: what the page sends (the widget's run so
// far, where to search from, how long it may take), and what comes back
// (the verdict, the bounds it holds for, and a counterexample as a
// scenario the widget can play). Everything goes in and out as JSON text,
// so that the same code is tested natively and runs under WebAssembly;
// nothing the page sends can make it panic.
package job

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"raftplay/raft"
	"raftplay/raft/explore"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// Limits on what the page may ask.
const (
	MaxRequest = 512 << 10 // bytes of request (a recorded run is scenario text)
	MaxSeconds = 600       // the longest search
	// DefaultSeconds is a search's time budget when the page gives none:
	// long enough for the shortest breaks the lessons show (seconds at
	// the explorer's speed in the browser), short enough to wait for.
	DefaultSeconds = 60
	// Memory is the budget for what a search keeps in the worker: a tab
	// may well have less to give than a command line.
	Memory = 512 << 20
	// runLimit is how far in virtual time the run may go to reach its
	// present moment.
	runLimit = 3_600_000
)

// Request is what the page asks.
type Request struct {
	// From is "start" (a new cluster of three servers, under the rules in
	// force in the run now) or "here" (the run's present moment).
	From string `json:"from"`
	// Run is the widget's run so far, as a scenario (the bridge's record).
	Run string `json:"run"`
	// Seconds is the time budget (default DefaultSeconds).
	Seconds int `json:"seconds"`
	// Lang is the page's language, for the counterexample's line of
	// narration: "en" (the default) or "zh".
	Lang string `json:"lang"`
}

// Result is what the page gets back: an error, or a finished search.
type Result struct {
	Error string `json:"error,omitempty"`
	// Code names an error the page words itself: "time-rule" (prevote or
	// check-quorum is on), "bad-request", "bad-run".
	Code string `json:"code,omitempty"`

	Verdict   string `json:"verdict,omitempty"` // holds, broken or stopped
	Exhausted bool   `json:"exhausted,omitempty"`
	// Reason says why a search stopped: "time" (its budget ran out),
	// "memory", or the explorer's words.
	Reason      string `json:"reason,omitempty"`
	Depth       int    `json:"depth"`
	States      int    `json:"states"`
	Transitions int    `json:"transitions"`
	Ms          int    `json:"ms"`
	From        string `json:"from,omitempty"`
	Servers     int    `json:"servers,omitempty"`
	Bounds      Bounds `json:"bounds"`
	// Healed: the run had links cut or a partition, and the search began
	// from its present moment with the network healed.
	Healed bool `json:"healed,omitempty"`
	// Switched are the rules the search ran under that differ from the
	// engine's defaults, as scenario words: "election-restriction off".
	Switched []string `json:"switched"`
	Symmetry bool     `json:"symmetry"`
	// Broken only: the invariant, a sentence on what broke, and the
	// counterexample as a scenario that replays to the violation.
	Violation string `json:"violation,omitempty"`
	Explain   string `json:"explain,omitempty"`
	Scenario  string `json:"scenario,omitempty"`
}

// Bounds are a search's bounds as the page shows them.
type Bounds struct {
	Terms    int `json:"terms"`
	Log      int `json:"log"`
	Requests int `json:"requests"`
	Crashes  int `json:"crashes"`
	Restarts int `json:"restarts"`
	InFlight int `json:"inflight"`
	Depth    int `json:"depth"`
	Batch    int `json:"batch,omitempty"` // entries per AppendEntries (0: the engine's 64)
}

// Progress is what the page is told as a search goes.
type Progress struct {
	Depth    int `json:"depth"`
	States   int `json:"states"`
	Frontier int `json:"frontier"`
	Ms       int `json:"ms"`
	Rate     int `json:"rate"` // states per second
}

// Run does the search the request asks for and answers it as JSON.
// progress, if not nil, is given each Progress as JSON.
func Run(request string, progress func(string)) string {
	return encode(run(request, progress))
}

func encode(r Result) string {
	b, err := json.Marshal(r)
	if err != nil {
		return `{"error":"the result could not be written"}`
	}
	return string(b)
}

func fail(code, msg string) Result { return Result{Code: code, Error: msg} }

func run(request string, progress func(string)) Result {
	if len(request) > MaxRequest {
		return fail("bad-request", "the request is too long (at most "+strconv.Itoa(MaxRequest)+" bytes)")
	}
	var req Request
	dec := json.NewDecoder(strings.NewReader(request))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return fail("bad-request", "the request is not understood: "+err.Error())
	}
	if req.From != "start" && req.From != "here" {
		return fail("bad-request", `"from" must be "start" or "here", not `+strconv.Quote(req.From))
	}
	if req.Lang == "" {
		req.Lang = "en"
	}
	words, err := narration.For(req.Lang)
	if err != nil {
		return fail("bad-request", `"lang" must be one of `+strings.Join(narration.Languages, ", ")+", not "+strconv.Quote(req.Lang))
	}
	if req.Seconds == 0 {
		req.Seconds = DefaultSeconds
	}
	if req.Seconds < 1 || req.Seconds > MaxSeconds {
		return fail("bad-request", `"seconds" must be between 1 and `+strconv.Itoa(MaxSeconds)+", not "+strconv.Itoa(req.Seconds))
	}
	c, err := present(req.Run)
	if err != nil {
		return fail("bad-run", err.Error())
	}
	cfg := explore.Config{Rules: c.Rules(), Symmetry: true}
	prelude := ""
	healed := false
	if req.From == "here" {
		prelude = req.Run
		// The explorer's network has no cuts: from a moment with some, it
		// searches from that moment with the network healed, and the
		// counterexample heals it too, so that it replays as searched.
		if cut(c) {
			prelude, healed = strings.TrimRight(req.Run, "\n")+"\nheal\n", true
			if c, err = present(prelude); err != nil {
				return fail("bad-run", err.Error())
			}
		}
		cfg.From = c
		cfg.Bounds = boundsFrom(c)
	} else {
		cfg.Bounds = startBounds(c.Rules())
		if n := c.Config().MaxEntries; n > 0 {
			cfg.Bounds.Batch = n // the widget's batch size, as its rules
		}
	}
	cfg.Bounds.Memory = Memory
	began := time.Now()
	budget := time.Duration(req.Seconds) * time.Second
	timedOut := false
	cfg.Stop = func() bool {
		timedOut = time.Since(began) > budget
		return timedOut
	}
	if progress != nil {
		cfg.Progress = func(p explore.Progress) {
			b, _ := json.Marshal(Progress{Depth: p.Depth, States: p.States, Frontier: p.Frontier,
				Ms: int(p.Elapsed / time.Millisecond), Rate: int(p.Rate())})
			progress(string(b))
		}
	}
	res, err := explore.Search(cfg)
	if errors.Is(err, explore.ErrTimeRule) {
		return fail("time-rule", strings.TrimPrefix(err.Error(), "explore: "))
	}
	if err != nil {
		return fail("bad-run", strings.TrimPrefix(err.Error(), "explore: "))
	}
	out := Result{
		Verdict: res.Verdict.String(), Exhausted: res.Exhausted, Reason: res.Reason,
		Depth: res.Depth, States: res.States, Transitions: res.Transitions,
		Ms: int(time.Since(began) / time.Millisecond), From: req.From,
		Servers: cfg.Bounds.Servers, Symmetry: cfg.Symmetry, Switched: []string{}, Healed: healed,
	}
	b := cfg.Bounds
	out.Bounds = Bounds{Terms: b.Terms, Log: b.Log, Requests: b.Requests, Crashes: b.Crashes,
		Restarts: b.Restarts, InFlight: b.InFlight, Depth: b.Depth, Batch: b.Batch}
	for _, r := range raft.AllRules() {
		if on := cfg.Rules.Has(r); on != raft.DefaultRules.Has(r) {
			out.Switched = append(out.Switched, r.String()+" "+map[bool]string{true: "on", false: "off"}[on])
		}
	}
	if res.Verdict == explore.Stopped {
		switch {
		case timedOut:
			out.Reason = "time"
		case strings.HasPrefix(res.Reason, "memory"):
			out.Reason = "memory"
		}
	}
	if res.Verdict == explore.Broken {
		out.Violation = res.Violation.Kind.String()
		out.Explain = explain(words, res.Violation)
		out.Scenario = explore.ScenarioSaying(res, prelude, out.Explain)
	}
	return out
}

// explain says what a violation broke, in the page's language, in the
// narration's words for the property and for the violation (the ones the
// widget shows when the violation happens).
func explain(words narration.Table, v *sim.Violation) string {
	return words["inv."+v.Kind.String()] + words["explain.broken"] + words.Render(v.Line()) + words["explain.end"]
}

// present plays the recorded run to its present moment and returns the
// cluster then.
func present(text string) (*sim.Cluster, error) {
	s, err := scenario.Parse("run", text)
	if err != nil {
		return nil, err
	}
	if s.IsExercise() {
		return nil, errors.New("the run is an exercise: record the run, not the exercise")
	}
	r, err := player.NewRunner(s, nil)
	if err != nil {
		return nil, err
	}
	ended, err := r.RunToEnd(runLimit)
	if err != nil {
		return nil, err
	}
	if !ended {
		return nil, errors.New("the run did not reach its end within an hour of virtual time")
	}
	return r.Cluster, nil
}

// startBounds are the bounds of a search from a new cluster. With a
// rule off whose break the explorer finds from a new cluster, the bounds
// it finds one in fastest (explore.BreakBounds: seconds natively, under
// a minute in a browser). With only current-term-commit or commit-matched
// off, the command line's defaults (and for commit-matched a batch of one
// entry, without which its mistake never acts); neither is found to
// break. With every safety rule on, where the search can only exhaust its
// space, bounds it exhausts within a minute in a browser (about 640,000
// states: three terms, a crash and a restart, but at most two messages in
// flight).
func startBounds(rules raft.Rules) explore.Bounds {
	if b, ok := explore.BreakBounds(rules); ok {
		return b
	}
	b := explore.DefaultBounds()
	for _, r := range raft.AllRules() {
		if r.Safety() && !rules.Has(r) {
			if !rules.Has(raft.CommitMatched) {
				b.Batch = 1
			}
			return b
		}
	}
	b.Terms, b.InFlight = 3, 2
	return b
}

// cut reports whether the cluster's network has a partition or a link
// down.
func cut(c *sim.Cluster) bool {
	n := c.Snapshot(1, 0).Network
	if len(n.LinksDown) > 0 {
		return true
	}
	for i := range n.Group {
		if n.Group[i] != 0 || (i < len(n.Isolated) && n.Isolated[i]) {
			return true
		}
	}
	return false
}

// boundsFrom are the bounds of a search from the cluster as it stands:
// one term past the highest, one entry past the longest log, at least as
// many messages in flight as there are now and as a candidate sends (one
// to each other server: fewer, and no election could begin), and one
// request, crash and restart of its own.
func boundsFrom(c *sim.Cluster) explore.Bounds {
	b := explore.DefaultBounds()
	b.Servers, b.Batch = c.Servers(), c.Config().MaxEntries
	terms, log := 0, 0
	for id := 1; id <= c.Servers(); id++ {
		st := c.ServerState(raft.ID(id), 1, 0)
		terms = max(terms, st.Term)
		log = max(log, len(c.Log(raft.ID(id))))
	}
	b.Terms = max(b.Terms, terms+1)
	b.Log = max(b.Log, log+1)
	b.InFlight = max(b.InFlight, c.Servers()-1, len(c.Snapshot(1, 0).InFlight))
	return b
}
