package explore

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// bounds returns the default bounds with the given ones changed.
func bounds(terms, log, requests, crashes, restarts, inflight int) Bounds {
	b := DefaultBounds()
	b.Terms, b.Log, b.Requests, b.Crashes, b.Restarts, b.InFlight = terms, log, requests, crashes, restarts, inflight
	return b
}

func off(rs ...raft.Rule) raft.Rules {
	r := raft.DefaultRules
	for _, x := range rs {
		r = r.With(x, false)
	}
	return r
}

func run(t *testing.T, cfg Config) Result {
	t.Helper()
	began := time.Now()
	r, err := Search(cfg)
	if err != nil {
		t.Fatalf("Search: %v", err)
	}
	t.Logf("%v (%s, symmetry %v): %v at depth %d, %d states, %d moves, %v", cfg.Rules, cfg.Bounds, cfg.Symmetry,
		r.Verdict, r.Depth, r.States, r.Transitions, time.Since(began).Round(time.Millisecond))
	return r
}

// The shortest ways to break the election rules, from a new cluster: the
// depths are those of the bounded space, and each path's last step is the
// one that breaks the invariant (Search replays the path to check it).
func TestExploreShortestViolations(t *testing.T) {
	cases := []struct {
		name   string
		rules  raft.Rules
		bounds Bounds
		want   sim.Invariant
		depth  int
	}{
		// S1 wins term 1 with S2's vote, crashes and restarts having
		// forgotten its vote, and gives it to S3, which wins term 1 too.
		// Four messages in flight at most: one must be dropped.
		{"persist-vote off", off(raft.PersistVote), bounds(1, 0, 0, 1, 1, 4), sim.ElectionSafety, 10},
		// S1 commits c1 with S3; S2, whose log is empty, wins term 2
		// with S1's vote.
		{"election-restriction off", off(raft.ElectionRestriction), bounds(2, 1, 1, 0, 0, 3), sim.LeaderCompleteness, 13},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := run(t, Config{Bounds: c.bounds, Rules: c.rules, Symmetry: true})
			if r.Verdict != Broken || r.Violation == nil || r.Violation.Kind != c.want {
				t.Fatalf("got %v, %v; want %v broken", r.Verdict, r.Violation, c.want)
			}
			if r.Depth != c.depth || len(r.Path) != c.depth {
				t.Fatalf("broken at depth %d with %d steps, want %d", r.Depth, len(r.Path), c.depth)
			}
			for _, st := range r.Path {
				t.Log("  ", st)
			}
		})
	}
}

// Each rule whose switching off breaks safety, off alone, from a new
// cluster of three, within the bounds that BreakBounds gives for it: the
// depth of the shortest break and what it breaks, and the counterexample
// replays in the simulator to that violation (Search has checked that
// its last step, and no other, breaks it). The bounds are the smallest
// that find these depths: one message in flight fewer gives a longer
// break or none, and every other bound is as low as a break allows. Wider
// bounds find no shorter break than keep-vote's 7, persist-before-send's
// 8, check-replies' 9 and truncate-on-conflict's 10 steps (searched to
// one step less with every bound raised: docs/explore.md), while
// compare-last-term and heartbeat-check break in 23 and 27 steps with
// three messages in flight, a search of a minute: too long for a test.
func TestExploreBreaks(t *testing.T) {
	want := map[raft.Rule]struct {
		inv   sim.Invariant
		depth int
	}{
		raft.KeepVote:            {sim.ElectionSafety, 7},
		raft.PersistBeforeSend:   {sim.ElectionSafety, 8},
		raft.CompareLastTerm:     {sim.LeaderCompleteness, 24},
		raft.PersistVote:         {sim.ElectionSafety, 11},
		raft.HeartbeatCheck:      {sim.StateMachineSafety, 28},
		raft.ElectionRestriction: {sim.LeaderCompleteness, 13},
		raft.CheckReplies:        {sim.LeaderCompleteness, 9},
		raft.TruncateOnConflict:  {sim.LeaderCompleteness, 10},
	}
	safety := 0
	for _, r := range raft.AllRules() {
		if r.Safety() {
			safety++
		}
	}
	// current-term-commit and commit-matched are not found from a new
	// cluster (see breaks).
	if len(breaks) != len(want) || len(want) != safety-2 {
		t.Fatalf("%d rules with bounds to break, %d expected here, %d safety rules", len(breaks), len(want), safety)
	}
	for _, br := range breaks {
		t.Run(br.rule.String(), func(t *testing.T) {
			w, ok := want[br.rule]
			if !ok {
				t.Fatalf("no depth expected for %v", br.rule)
			}
			rules := off(br.rule)
			if b, ok := BreakBounds(rules); !ok || b != br.bounds {
				t.Fatalf("BreakBounds(%v) = %v, %v", rules, b, ok)
			}
			r := run(t, Config{Bounds: br.bounds, Rules: rules, Symmetry: true})
			if r.Verdict != Broken || r.Violation.Kind != w.inv || r.Depth != w.depth || len(r.Path) != w.depth {
				t.Fatalf("got %v %v at depth %d, want %v at %d", r.Verdict, r.Violation, r.Depth, w.inv, w.depth)
			}
			text := Scenario(r, "")
			t.Log("\n" + text)
			replays(t, text, w.inv)
		})
	}
}

// commit-matched off breaks too deep to search from a new cluster (see
// breaks), but from testdata/commit-matched.raft, where S1 holds an entry
// no one else has and S2's heartbeat of term 2 is on its way to it, with
// a batch of one entry, the explorer finds the rest: S2 leads term 3,
// takes S1's refusal of that heartbeat for an answer of term 3 and goes
// back to entry 1, and S1, sent entry 1 with a leaderCommit of 2, commits
// its own entry 2. These are the smallest bounds that find 13 steps (six
// messages in flight: 10 steps, in seconds).
func TestExploreCommitMatchedFromAStaleTail(t *testing.T) {
	text, err := os.ReadFile("testdata/commit-matched.raft")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("commit-matched", string(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := player.NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ended, err := p.RunToEnd(1_000_000); err != nil || !ended {
		t.Fatalf("the start does not play: %v", err)
	}
	rules := p.Cluster.Rules()
	if rules.Has(raft.CommitMatched) || p.Cluster.Config().MaxEntries != 1 {
		t.Fatalf("the start has rules %v, batch %d", rules, p.Cluster.Config().MaxEntries)
	}
	b := bounds(3, 2, 1, 0, 0, 3)
	r := run(t, Config{Bounds: b, Rules: rules, Symmetry: true, From: p.Cluster})
	if r.Verdict != Broken || r.Violation.Kind != sim.StateMachineSafety || r.Depth != 13 {
		t.Fatalf("got %v %v at depth %d, want state-machine-safety at 13", r.Verdict, r.Violation, r.Depth)
	}
	out := Scenario(r, string(text))
	if !strings.Contains(out, "batch=1 mem=") || strings.Count(out, "\nbatch 1\n") != 1 {
		t.Errorf("the counterexample does not say its batch once:\n%s", out)
	}
	t.Log("\n" + out)
	replays(t, out, sim.StateMachineSafety)
	// Without the mistake, nothing breaks as soon.
	b.Depth = 13
	if r := run(t, Config{Bounds: b, Rules: rules.With(raft.CommitMatched, true), Symmetry: true, From: p.Cluster}); r.Verdict != Holds {
		t.Errorf("with commit-matched on: %v %v", r.Verdict, r.Violation)
	}
}

// replays plays a counterexample in the simulator and checks that it
// ends in the violation it expects, first found at its last step.
func replays(t *testing.T, text string, want sim.Invariant) {
	t.Helper()
	s, err := scenario.Parse("counterexample", text)
	if err != nil {
		t.Fatalf("the counterexample does not parse: %v", err)
	}
	p, err := player.NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.RunToEnd(1_000_000); err != nil {
		t.Fatalf("the counterexample fails: %v", err)
	}
	vs := p.Cluster.Violations()
	if len(vs) == 0 || vs[0].Kind != want {
		t.Fatalf("the counterexample ends with violations %v, want %v first", vs, want)
	}
}

// With every rule on, a small bounded space holds: every state reached,
// none broken.
func TestExploreAllRulesHold(t *testing.T) {
	for _, rules := range []raft.Rules{raft.DefaultRules, raft.DefaultRules.With(raft.LeaderNoop, true).With(raft.FastBacktrack, false)} {
		r := run(t, Config{Bounds: bounds(2, 1, 1, 0, 0, 2), Rules: rules, Symmetry: true})
		if r.Verdict != Holds || !r.Exhausted || r.Violation != nil {
			t.Fatalf("%v: got %v (exhausted %v) %v, want the space to hold, exhausted", rules, r.Verdict, r.Exhausted, r.Violation)
		}
		if r.States < 1000 {
			t.Fatalf("%v: only %d states", rules, r.States)
		}
	}
	// The depth bound cuts the search short: it holds as far as it went.
	b := bounds(2, 1, 1, 0, 0, 2)
	b.Depth = 5
	r := run(t, Config{Bounds: b, Rules: raft.DefaultRules, Symmetry: true})
	if r.Verdict != Holds || r.Exhausted || r.Depth != 5 {
		t.Fatalf("with depth=5: %v, exhausted %v, depth %d", r.Verdict, r.Exhausted, r.Depth)
	}
}

// Symmetry reduction keeps fewer states and changes neither the verdict
// nor the depth, from a new cluster and from a state that is not
// symmetric.
func TestExploreSymmetryKeepsVerdictAndDepth(t *testing.T) {
	// A cluster in which S1 has led term 1, with messages in flight.
	c, err := sim.New(func() sim.Config {
		cfg := sim.DefaultConfig()
		cfg.Servers, cfg.Rules, cfg.NoTrace = 3, off(raft.ElectionRestriction), true
		return cfg
	}())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Do(sim.Action{Kind: sim.ActTimeout, Server: 1}); err != nil {
		t.Fatal(err)
	}
	if err := c.RunFor(12); err != nil {
		t.Fatal(err)
	}
	cases := []Config{
		{Bounds: bounds(1, 0, 0, 1, 1, 4), Rules: off(raft.PersistVote)},
		{Bounds: bounds(2, 1, 1, 0, 0, 3), Rules: off(raft.ElectionRestriction)},
		{Bounds: bounds(2, 1, 1, 0, 0, 2), Rules: raft.DefaultRules},
		{Bounds: bounds(1, 1, 1, 1, 1, 2), Rules: raft.DefaultRules},
		{Bounds: bounds(2, 1, 1, 0, 0, 3), Rules: off(raft.ElectionRestriction), From: c},
	}
	for _, cfg := range cases {
		with := cfg
		with.Symmetry = true
		a, b := run(t, with), run(t, cfg)
		if a.Verdict != b.Verdict || a.Depth != b.Depth || a.Exhausted != b.Exhausted {
			t.Errorf("%v %s: with symmetry %v at depth %d (exhausted %v), without %v at depth %d (exhausted %v)",
				cfg.Rules, cfg.Bounds, a.Verdict, a.Depth, a.Exhausted, b.Verdict, b.Depth, b.Exhausted)
		}
		if (a.Violation == nil) != (b.Violation == nil) || a.Violation != nil && a.Violation.Kind != b.Violation.Kind {
			t.Errorf("%v %s: with symmetry %v, without %v", cfg.Rules, cfg.Bounds, a.Violation, b.Violation)
		}
		if cfg.From == nil && a.States*3 > b.States {
			t.Errorf("%v %s: %d states with symmetry, %d without: hardly reduced", cfg.Rules, cfg.Bounds, a.States, b.States)
		}
	}
}

// The same search gives the same result, step for step.
func TestExploreIsDeterministic(t *testing.T) {
	cfg := Config{Bounds: bounds(2, 1, 1, 0, 0, 3), Rules: off(raft.ElectionRestriction), Symmetry: true}
	a, b := run(t, cfg), run(t, cfg)
	if a.States != b.States || a.Transitions != b.Transitions || Scenario(a, "") != Scenario(b, "") || a.Violation.String() != b.Violation.String() {
		t.Fatalf("two searches differ: %d/%d states, %d/%d moves, %v / %v", a.States, b.States, a.Transitions, b.Transitions, a.Path, b.Path)
	}
}

// Every rule can be searched switched either way, the mistakes
// included, except the three that depend on time.
func TestExploreTakesEveryRule(t *testing.T) {
	b := bounds(1, 1, 1, 1, 1, 2)
	b.Depth = 4
	for _, r := range raft.AllRules() {
		for _, on := range []bool{false, true} {
			_, err := Search(Config{Bounds: b, Rules: raft.DefaultRules.With(r, on), Symmetry: true})
			timed := on && r.Timed()
			if timed != errors.Is(err, ErrTimeRule) || !timed && err != nil {
				t.Errorf("%v %v: %v", r, on, err)
			}
		}
	}
}

// What cannot be searched is an error that says why.
func TestExploreBadConfigs(t *testing.T) {
	tall, err := sim.New(func() sim.Config {
		cfg := sim.DefaultConfig()
		cfg.Servers, cfg.NoTrace = 3, true
		return cfg
	}())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []raft.ID{1, 1, 1} {
		if err := tall.Do(sim.Action{Kind: sim.ActTimeout, Server: id}); err != nil {
			t.Fatal(err)
		}
	}
	big, err := sim.New(func() sim.Config {
		cfg := sim.DefaultConfig()
		cfg.Servers = 7
		return cfg
	}())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(*Bounds)) Bounds {
		b := DefaultBounds()
		f(&b)
		return b
	}
	cases := []struct {
		cfg  Config
		want string
	}{
		{Config{Bounds: edit(func(b *Bounds) { b.Servers = 6 })}, "servers must be between 1 and 5, not 6"},
		{Config{Bounds: edit(func(b *Bounds) { b.Servers = 0 })}, "servers must be between 1 and 5, not 0"},
		{Config{Bounds: edit(func(b *Bounds) { b.Terms = 0 })}, "terms must be between 1 and 1000, not 0"},
		{Config{Bounds: edit(func(b *Bounds) { b.Log = -1 })}, "log must be between 0 and 1000, not -1"},
		{Config{Bounds: edit(func(b *Bounds) { b.InFlight = 5000 })}, "inflight must be between 0 and 1000, not 5000"},
		{Config{Bounds: edit(func(b *Bounds) { b.Depth = -2 })}, "depth must be between"},
		{Config{Bounds: edit(func(b *Bounds) { b.Memory = 3 << 20 })}, "memory must be between 4 MB and 1 TB, not 3 MB"},
		{Config{Bounds: edit(func(b *Bounds) { b.Requests, b.Crashes = -1, -1 })}, "requests must be between 0 and 1000, not -1; crashes must"},
		{Config{Bounds: DefaultBounds(), Rules: raft.DefaultRules.With(raft.PreVote, true)}, "prevote, check-quorum and vote-lease depend on time"},
		{Config{Bounds: DefaultBounds(), Rules: raft.DefaultRules.With(raft.CheckQuorum, true)}, "prevote, check-quorum and vote-lease depend on time"},
		{Config{Bounds: DefaultBounds(), Rules: raft.DefaultRules, From: tall}, "the start is beyond the bounds: S1's term is 3 (terms=2)"},
		{Config{Bounds: DefaultBounds(), Rules: raft.DefaultRules, From: big}, "servers must be between 1 and 5, not 7"},
	}
	for _, c := range cases {
		_, err := Search(c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want %q", c.cfg.Bounds, err, c.want)
		}
	}
	if _, err := Search(Config{Bounds: DefaultBounds(), Rules: raft.DefaultRules.With(raft.PreVote, true)}); !errors.Is(err, ErrTimeRule) {
		t.Errorf("prevote: %v, want ErrTimeRule", err)
	}
}

// A search stops cleanly when asked to, and when its memory budget would
// be exceeded, saying why.
func TestExploreStops(t *testing.T) {
	asked := 0
	r := run(t, Config{Bounds: bounds(2, 1, 1, 1, 1, 3), Rules: raft.DefaultRules, Symmetry: true,
		Stop: func() bool { asked++; return asked > 3 }})
	if r.Verdict != Stopped || r.Reason != "stopped" {
		t.Errorf("stopped by hand: %v %q", r.Verdict, r.Reason)
	}
	b := bounds(2, 1, 1, 1, 1, 3)
	b.Memory = 4 << 20
	r = run(t, Config{Bounds: b, Rules: raft.DefaultRules, Symmetry: true})
	if r.Verdict != Stopped || r.Reason != "memory budget of 4 MB reached" || r.States < 10000 || r.Memory > b.Memory {
		t.Errorf("with 4 MB: %v %q after %d states, %d bytes", r.Verdict, r.Reason, r.States, r.Memory)
	}
	var seen []Progress
	run(t, Config{Bounds: bounds(2, 1, 1, 0, 0, 2), Rules: raft.DefaultRules, Symmetry: true,
		Progress: func(p Progress) { seen = append(seen, p) }})
	if len(seen) < 10 || seen[3].Depth != 3 || seen[3].States <= seen[2].States {
		t.Errorf("progress: %+v", seen[:min(4, len(seen))])
	}
}

// A move and the way back to a state are small: the search keeps one of
// the latter per state.
func TestExploreLinkIsSmall(t *testing.T) {
	if size := unsafe.Sizeof(link{}); size != 8 {
		t.Errorf("a link takes %d bytes", size)
	}
}
