package job

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
)

func request(t *testing.T, r Request) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func answer(t *testing.T, req string, progress func(string)) Result {
	t.Helper()
	var r Result
	if err := json.Unmarshal([]byte(Run(req, progress)), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// replaysToViolation plays a counterexample and checks that it ends in
// the violation it names, with every expectation on the way holding.
func replaysToViolation(t *testing.T, text, kind string) {
	t.Helper()
	s, err := scenario.Parse("counterexample", text)
	if err != nil {
		t.Fatalf("the counterexample does not parse: %v\n%s", err, text)
	}
	r, err := player.NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.RunToEnd(runLimit); err != nil {
		t.Fatalf("the counterexample fails: %v\n%s", err, text)
	}
	vs := r.Cluster.Violations()
	if len(vs) == 0 || vs[0].Kind.String() != kind {
		t.Fatalf("the counterexample ends with violations %v, want %s first\n%s", vs, kind, text)
	}
}

func TestFromTheStartFindsTheShortestBreak(t *testing.T) {
	run := "cluster 5\nrule election-restriction off\nrun 300ms\n"
	var seen []Progress
	r := answer(t, request(t, Request{From: "start", Run: run}), func(p string) {
		var x Progress
		if err := json.Unmarshal([]byte(p), &x); err != nil {
			t.Fatalf("progress %q: %v", p, err)
		}
		seen = append(seen, x)
	})
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	// The explorer's own test finds 13 steps with the default bounds.
	if r.Verdict != "broken" || r.Depth != 13 || r.Servers != 3 {
		t.Fatalf("got %s at depth %d with %d servers, want broken at 13 with 3", r.Verdict, r.Depth, r.Servers)
	}
	if len(r.Switched) != 1 || r.Switched[0] != "election-restriction off" {
		t.Errorf("rules switched: %v", r.Switched)
	}
	if len(seen) == 0 || seen[len(seen)-1].Depth != 12 {
		t.Errorf("progress: %+v, want reports up to depth 12", seen)
	}
	if !strings.HasPrefix(r.Scenario, "# The shortest way") || !strings.Contains(r.Scenario, "\ncluster 3\n") {
		t.Errorf("scenario:\n%s", r.Scenario)
	}
	replaysToViolation(t, r.Scenario, r.Violation)
	// The voting-restriction lesson says "about 70,000 states", and shows
	// these very steps.
	if r.States < 65_000 || r.States > 75_000 {
		t.Errorf("%d states, and the lesson says about 70,000", r.States)
	}
	for _, lang := range []string{"en", "zh"} {
		lesson := lessonBlock(t, "../../../lessons/"+lang+"/voting-restriction.md", "network manual")
		if got, want := moves(lesson), moves(r.Scenario); got != want {
			t.Errorf("%s: the lesson's story is\n%s\nand the explorer's\n%s", lang, got, want)
		}
	}
}

// lessonBlock returns the raft block of a lesson that contains marker.
func lessonBlock(t *testing.T, path, marker string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range strings.Split(string(b), "```raft\n")[1:] {
		block, _, _ := strings.Cut(part, "```")
		if strings.Contains(block, marker) {
			return block
		}
	}
	t.Fatalf("%s has no raft block with %q", path, marker)
	return ""
}

// moves are the lines of a manual scenario that move the cluster, after
// "network manual": what the explorer writes, without the narration,
// questions and expectations.
func moves(text string) string {
	_, after, _ := strings.Cut(text, "network manual\n")
	var out []string
	for _, l := range strings.Split(after, "\n") {
		switch strings.SplitN(l, " ", 2)[0] {
		case "timeout", "heartbeat", "deliver", "drop", "duplicate", "propose", "crash", "restart":
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// A mistake switched off in the widget: the search from a new cluster
// takes the bounds that find its break fastest, and the counterexample
// replays to it. With commit-matched off, which no search breaks, the
// command line's defaults with a batch of one entry, so that the mistake
// can act at all.
func TestFromTheStartBreaksAMistake(t *testing.T) {
	for _, c := range []struct {
		rule, violation string
		depth           int
		bounds          Bounds
	}{
		{"keep-vote", "election-safety", 7, Bounds{Terms: 1, InFlight: 6, Depth: 100}},
		{"compare-last-term", "leader-completeness", 24, Bounds{Terms: 3, Log: 1, Requests: 2, InFlight: 2, Depth: 100}},
	} {
		run := "cluster 5\nrule " + c.rule + " off\nrun 300ms\n"
		r := answer(t, request(t, Request{From: "start", Run: run}), nil)
		if r.Error != "" {
			t.Fatal(r.Error)
		}
		if r.Verdict != "broken" || r.Violation != c.violation || r.Depth != c.depth || r.Servers != 3 || r.Bounds != c.bounds {
			t.Fatalf("%s off: %s %s at depth %d with %d servers, bounds %+v; want %s at %d, bounds %+v",
				c.rule, r.Verdict, r.Violation, r.Depth, r.Servers, r.Bounds, c.violation, c.depth, c.bounds)
		}
		if len(r.Switched) != 1 || r.Switched[0] != c.rule+" off" || !strings.Contains(r.Scenario, "\nrule "+c.rule+" off\n") {
			t.Errorf("%s off: rules switched %v, scenario\n%s", c.rule, r.Switched, r.Scenario)
		}
		replaysToViolation(t, r.Scenario, r.Violation)
		t.Logf("%s off: %d states in %d ms", c.rule, r.States, r.Ms)
	}
	if b := startBounds(raft.DefaultRules.With(raft.CommitMatched, false)); b.Batch != 1 || b.Terms != 2 || b.InFlight != 3 {
		t.Errorf("commit-matched off: bounds %+v", b)
	}
}

// The page may switch any rule either way: every one is searched, the
// mistakes included, but for the three that depend on time, which get their
// own code. (From a moment with every server down, whose space, with one
// restart, is searched at once.)
func TestEveryRuleIsTaken(t *testing.T) {
	for _, r := range raft.AllRules() {
		for _, on := range []string{"on", "off"} {
			run := "cluster 3\nrule " + r.String() + " " + on + "\ncrash S1\ncrash S2\ncrash S3\n"
			a := answer(t, request(t, Request{From: "here", Run: run}), nil)
			timed := on == "on" && r.Timed()
			if timed && a.Code != "time-rule" || !timed && (a.Error != "" || a.Verdict != "holds" || !a.Exhausted) {
				t.Errorf("%v %s: %+v", r, on, a)
			}
		}
	}
}

// From a moment of a run told step by step (the network manual), the
// counterexample goes on by hand without saying so twice, and keeps the
// run's batch size.
func TestFromHereInAManualRun(t *testing.T) {
	run := "cluster 3\nbatch 2\nrule persist-before-send off\nnetwork manual\ntimeout S1\n"
	r := answer(t, request(t, Request{From: "here", Run: run}), nil)
	if r.Error != "" || r.Verdict != "broken" || r.Bounds.Batch != 2 {
		t.Fatalf("got %+v", r)
	}
	if strings.Count(r.Scenario, "network manual") != 1 || !strings.Contains(r.Scenario, " after-send\n") {
		t.Errorf("scenario:\n%s", r.Scenario)
	}
	replaysToViolation(t, r.Scenario, r.Violation)
	t.Logf("%d steps, %d states in %d ms", r.Depth, r.States, r.Ms)
}

func TestFromHereStartsFromTheRun(t *testing.T) {
	b, err := os.ReadFile("../../../raft/explore/testdata/figure8-c.raft")
	if err != nil {
		t.Fatal(err)
	}
	r := answer(t, request(t, Request{From: "here", Run: string(b), Seconds: 120}), nil)
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	if r.Verdict != "broken" || r.Servers != 5 {
		t.Fatalf("got %+v", r)
	}
	// The run is the counterexample's prelude: it replays the run, then
	// the steps.
	if !strings.Contains(r.Scenario, "title \"Figure 8 to panel (c), without current-term-commit\"") {
		t.Errorf("the prelude is missing:\n%s", r.Scenario)
	}
	replaysToViolation(t, r.Scenario, r.Violation)
	t.Logf("from Figure 8 (c): %s at depth %d, %d states in %d ms; bounds %+v", r.Verdict, r.Depth, r.States, r.Ms, r.Bounds)
}

func TestTheNarrationSpeaksThePagesLanguage(t *testing.T) {
	run := "cluster 3\nrule election-restriction off\n"
	en := answer(t, request(t, Request{From: "start", Run: run}), nil)
	zh := answer(t, request(t, Request{From: "start", Run: run, Lang: "zh"}), nil)
	if en.Explain != "Leader Completeness is broken: leader S2 of term 2 lacks the entry committed at index 1 (term 1)." || !strings.Contains(en.Scenario, "say \""+en.Explain+"\"") {
		t.Errorf("in English: %q", en.Explain)
	}
	if !strings.HasPrefix(zh.Explain, "领导者完整性被破坏：任期 2 的领导者 ") || !strings.HasSuffix(zh.Explain, "。") || !strings.Contains(zh.Scenario, "say \""+zh.Explain+"\"") {
		t.Errorf("in Chinese: %q\n%s", zh.Explain, zh.Scenario)
	}
	replaysToViolation(t, zh.Scenario, zh.Violation)
}

func TestAllRulesOnHolds(t *testing.T) {
	r := answer(t, request(t, Request{From: "here", Run: "cluster 3\nrun 1s\n", Seconds: 2}), nil)
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	switch r.Verdict {
	case "holds":
	case "stopped":
		if r.Reason != "time" {
			t.Fatalf("stopped for %q, want the time budget", r.Reason)
		}
	default:
		t.Fatalf("all rules on: %+v", r)
	}
	if r.States < 1000 || len(r.Switched) != 0 {
		t.Fatalf("searched %d states with rules switched %v", r.States, r.Switched)
	}
}

func TestAllRulesOnFromTheStartIsExhausted(t *testing.T) {
	r := answer(t, request(t, Request{From: "start", Run: "cluster 5\nrun 1s\n"}), nil)
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	if r.Verdict != "holds" || !r.Exhausted || r.Servers != 3 || r.Bounds.Terms != 3 || r.Bounds.InFlight != 2 {
		t.Fatalf("all rules on from the start: %+v", r)
	}
	t.Logf("exhausted: %d states, depth %d, %d ms", r.States, r.Depth, r.Ms)
}

func TestBadRequests(t *testing.T) {
	for _, c := range []struct{ req, code, want string }{
		{`nonsense`, "bad-request", "not understood"},
		{`{"from":"start","run":"cluster 3","lang":"fr"}`, "bad-request", `"lang" must be one of en, zh`},
		{`{"from":"there","run":"cluster 3"}`, "bad-request", `"from" must be`},
		{`{"from":"start","run":"cluster 3","seconds":-1}`, "bad-request", `"seconds" must be`},
		{`{"from":"start","run":"cluster 3","seconds":100000}`, "bad-request", `"seconds" must be`},
		{`{"from":"start","run":"cluster 3","extra":1}`, "bad-request", "unknown field"},
		{`{"from":"start","run":"cluster 3\nfrobnicate S1"}`, "bad-run", "run:2:"},
		{`{"from":"start","run":"cluster 3\nrule prevote on"}`, "time-rule", "prevote"},
		{`{"from":"here","run":"cluster 3\nrule check-quorum on\nrun 100ms"}`, "time-rule", "check-quorum"},
		{`{"from":"start","run":"` + strings.Repeat("x", MaxRequest) + `"}`, "bad-request", "too long"},
	} {
		r := answer(t, c.req, nil)
		if r.Code != c.code || !strings.Contains(r.Error, c.want) {
			t.Errorf("%.60s: got code %q error %q, want %q containing %q", c.req, r.Code, r.Error, c.code, c.want)
		}
	}
}
