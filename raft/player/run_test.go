package player

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// testdata holds the scenarios that raftplay check runs (the scenario
// package's tests read them too).
const testdata = "../scenario/testdata"

// mustParse parses src or fails the test.
func mustParse(t *testing.T, src string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Parse("t.raft", src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return s
}

// scenariosUnder parses every .raft file in dir and every ```raft block of
// the markdown files in dir.
func scenariosUnder(t *testing.T, dirs ...string) []*scenario.Scenario {
	t.Helper()
	var all []*scenario.Scenario
	for _, dir := range dirs {
		for _, pat := range []string{"*.raft", "*.md"} {
			files, _ := filepath.Glob(filepath.Join(dir, pat))
			for _, f := range files {
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if strings.HasSuffix(f, ".md") {
					ss, err := scenario.ParseMarkdown(f, string(src))
					if err != nil {
						t.Fatal(err)
					}
					all = append(all, ss...)
					continue
				}
				s, err := scenario.Parse(f, string(src))
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, s)
			}
		}
	}
	if len(all) == 0 {
		t.Fatalf("no scenarios under %v", dirs)
	}
	return all
}

// runToEnd plays s to its end, continuing past pauses and questions.
func runToEnd(t *testing.T, s *scenario.Scenario) *Runner {
	t.Helper()
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Ended() && r.Err() == nil {
		r.Advance(1 << 30)
	}
	return r
}

func traceText(c *sim.Cluster) string {
	var b strings.Builder
	for _, rec := range c.Trace(0) {
		b.WriteString(rec.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func TestTestdataHolds(t *testing.T) {
	for _, s := range scenariosUnder(t, testdata) {
		errs, st := Check(s)
		for _, err := range errs {
			t.Errorf("%v", err)
		}
		if st.Scenarios != 1 {
			t.Errorf("%s: stats %+v", s.File, st)
		}
	}
}

// Round trip: parse → run → record → parse → run gives the identical
// trace, for every testdata and lesson scenario.
func TestRecordRoundTrip(t *testing.T) {
	for _, s := range scenariosUnder(t, testdata, "../../lessons/en") {
		r := runToEnd(t, s)
		if r.Err() != nil {
			t.Fatalf("%s:%d: %v", s.File, s.Line, r.Err())
		}
		text := Record(r.Cluster)
		s2, err := scenario.Parse("recorded.raft", text)
		if err != nil {
			t.Fatalf("%s:%d: recorded scenario does not parse: %v\n%s", s.File, s.Line, err, text)
		}
		r2 := runToEnd(t, s2)
		if r2.Err() != nil {
			t.Fatalf("%s:%d: recorded scenario fails: %v\n%s", s.File, s.Line, r2.Err(), text)
		}
		if r.Cluster.Hash() != r2.Cluster.Hash() || r.Cluster.Events() != r2.Cluster.Events() || r.Cluster.Now() != r2.Cluster.Now() {
			t.Errorf("%s:%d: replay differs: %d events at %dms (hash %x) vs %d events at %dms (hash %x)\n%s",
				s.File, s.Line, r.Cluster.Events(), r.Cluster.Now(), r.Cluster.Hash(),
				r2.Cluster.Events(), r2.Cluster.Now(), r2.Cluster.Hash(), text)
			continue
		}
		if a, b := traceText(r.Cluster), traceText(r2.Cluster); a != b {
			t.Errorf("%s:%d: traces differ although hashes match", s.File, s.Line)
		}
	}
}

// A player that advances a frame at a time must see exactly the run that
// the command line sees in one go.
func TestAdvanceInSlicesIsTheSameRun(t *testing.T) {
	for _, s := range scenariosUnder(t, testdata) {
		whole := runToEnd(t, s)
		r, err := NewRunner(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		limit := 0
		for !r.Ended() && r.Err() == nil {
			limit += 7 // an odd slice, so that slices end mid-command
			r.Advance(limit)
		}
		if r.Cluster.Hash() != whole.Cluster.Hash() || r.Cluster.Now() != whole.Cluster.Now() {
			t.Errorf("%s: sliced run differs from the whole run (%d vs %d events)", s.File, r.Cluster.Events(), whole.Cluster.Events())
		}
	}
}

func TestExpectFailureSaysWhereAndWhat(t *testing.T) {
	s := mustParse(t, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\nexpect leader S2\nsay \"never\"\n")
	r := runToEnd(t, s)
	err := r.Err()
	if err == nil {
		t.Fatal("expect should fail")
	}
	want := "t.raft:4: expected leader S2, got leader S1 in term 1"
	if err.Error() != want {
		t.Errorf("got %q\nwant %q", err.Error(), want)
	}
	if r.Ended() {
		t.Error("the script must stop at the failed expect")
	}
}

func TestRunUntilFailureNamesConditionTimeAndSeen(t *testing.T) {
	s := mustParse(t, "cluster 3\npartition S1 | S2 | S3\nrun until leader within 2s\n")
	r := runToEnd(t, s)
	if r.Err() == nil {
		t.Fatal("no leader can be elected with every server alone")
	}
	msg := r.Err().Error()
	for _, want := range []string{"t.raft:3:", "run until leader", "within 2s", "at 2000ms", "no leader"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

// time compares the virtual time: a cluster that stays without a leader
// is told from one that only passes through an election.
func TestTimeCondition(t *testing.T) {
	s := mustParse(t, "cluster 3\npartition S1 | S2 | S3\nrun 1.5s\nexpect leader none and time 1.5s and time < 2s\nrun until time >= 2s\nexpect time > 2.5s\n")
	r := runToEnd(t, s)
	now := r.Cluster.Now()
	if want := "t.raft:6: expected time > 2.5s, got time " + strconv.Itoa(now) + "ms"; r.Err() == nil || r.Err().Error() != want {
		t.Errorf("got %v, want %q", r.Err(), want)
	}
	// Time moves by events: run until stops at the first at or after 2s.
	if now < 2000 || now > 2300 {
		t.Errorf("run until time >= 2s stopped at %dms", now)
	}
}

func TestActionErrorStopsScript(t *testing.T) {
	s := mustParse(t, "cluster 3\ncrash S2\ntimeout S2\n")
	r := runToEnd(t, s)
	if r.Err() == nil || !strings.Contains(r.Err().Error(), "t.raft:3: timeout: S2 is crashed") {
		t.Fatalf("got %v", r.Err())
	}
}

func TestRunUntilStopsAtTheEventThatMakesItTrue(t *testing.T) {
	s := mustParse(t, "cluster 5\ntimeout S1\nrun until leader S1\n")
	r := runToEnd(t, s)
	// The last trace record is S1 becoming leader: nothing after it ran.
	tr := r.Cluster.Trace(0)
	last := tr[len(tr)-1]
	if last.Kind != sim.RecEvent || last.Event.Kind != raft.EvBecameLeader || last.Event.Node != 1 {
		t.Errorf("run until went past the event that made it true: last record %v", last)
	}
}

func TestSetupRulesHoldFromTimeZero(t *testing.T) {
	// With randomized timeouts off, every first timer is exactly 150ms.
	s := mustParse(t, "cluster 3\nrule randomized-timeouts off\nstep\n")
	r := runToEnd(t, s)
	if r.Cluster.Now() != 150 {
		t.Errorf("first timer fired at %dms, want 150ms", r.Cluster.Now())
	}
}

func TestQuestionsAnsweredAtPauseOrEnd(t *testing.T) {
	s := mustParse(t, `cluster 3
timeout S1
question "Who wins?"
choice "S1" when leader S1
choice "S2" when leader S2
run until leader within 1s
pause
`)
	r, err := NewRunner(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var right []int
	for !r.Ended() && r.Err() == nil {
		for _, o := range r.Advance(1 << 30) {
			kinds = append(kinds, o.Kind.String())
			if o.Kind == OutAnswer {
				right = o.Right
			}
		}
	}
	if got := strings.Join(kinds, " "); got != "question answer pause end" {
		t.Errorf("outputs %q", got)
	}
	if len(right) != 1 || right[0] != 0 {
		t.Errorf("right choices %v, want [0]", right)
	}
}

func TestCheckFindsBrokenExercisesAndQuestions(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"goal already met", "cluster 3\ntimeout S1\nrun until leader S1 within 1s\ngoal leader S1\nallow crash\nsolution\ncrash S2\n", "goal already holds"},
		{"solution misses", "cluster 3\ngoal leader S3\nallow timeout\nsolution\ntimeout S1\nrun 1s\n", "does not reach the goal leader S3"},
		{"no right choice", "cluster 3\nquestion \"q\"\nchoice \"a\" when leader S1\nrun 10ms\n", "question has no right choice"},
		{"failing expect", "cluster 3\nexpect leader\n", "expected leader, got no leader"},
	}
	for _, tc := range cases {
		s, err := scenario.Parse("t.raft", tc.src)
		if err != nil {
			// A parser may reject some of these up front; that is a
			// failure found too, but these cases are meant to parse.
			t.Fatalf("%s: %v", tc.name, err)
		}
		errs, _ := Check(s)
		found := false
		for _, e := range errs {
			found = found || strings.Contains(e.Error(), tc.want)
		}
		if !found {
			t.Errorf("%s: errors %v, want one containing %q", tc.name, errs, tc.want)
		}
	}
	// And a good exercise passes.
	good := mustParse(t, "cluster 3\ngoal leader S3\nallow timeout\nhint \"time S3 out\"\nsolution\ntimeout S3\nrun until leader S3 within 1s\n")
	if errs, st := Check(good); len(errs) > 0 || st.Exercises != 1 {
		t.Errorf("good exercise: %v %+v", errs, st)
	}
}

func TestRunnerDoRespectsAllowAndSolves(t *testing.T) {
	s := mustParse(t, "cluster 3\ngoal leader S2\nallow timeout\nsolution\ntimeout S2\nrun until leader S2 within 1s\n")
	r := runToEnd(t, s)
	if err := r.Do(sim.Action{Kind: sim.ActCrash, Server: 1}); err == nil || !strings.Contains(err.Error(), "does not allow crash") {
		t.Errorf("crash should be refused, got %v", err)
	}
	if err := r.Do(sim.Action{Kind: sim.ActTimeout, Server: 2}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100 && !r.Solved(); i++ {
		r.Advance(r.Cluster.Now() + 10)
	}
	if !r.Solved() || r.Moves() != 1 {
		t.Errorf("solved=%v moves=%d", r.Solved(), r.Moves())
	}
}

func TestShrinkFindsAMinimalScenario(t *testing.T) {
	rules := raft.DefaultRules.With(raft.PersistVote, false)
	for seed := uint64(1); seed <= 2000; seed++ {
		sc := sim.SweepConfig{Servers: 5, Duration: 10000, Rules: rules, Seed: seed}
		res := sim.Sweep(sc)
		if len(res.Violations) == 0 {
			continue
		}
		v := res.Violations[0]
		reduced, text, ok := Shrink(sc.ClusterConfig(), res.Schedule, v.Kind, v.Time+2000, 3000)
		if !ok {
			t.Fatalf("seed %d: replaying the schedule did not reproduce %s", seed, v.Kind)
		}
		if len(reduced) > len(res.Schedule)/4 {
			t.Errorf("seed %d: shrunk %d actions only to %d", seed, len(res.Schedule), len(reduced))
		}
		// One-minimal: without any single one of the actions left, the
		// violation does not happen.
		for i := range reduced {
			rest := append(append([]sim.TimedAction(nil), reduced[:i]...), reduced[i+1:]...)
			if replayUntil(sc.ClusterConfig(), rest, v.Kind, v.Time+2000).ViolationCount(v.Kind) > 0 {
				t.Errorf("seed %d: action %d (%v) is not needed", seed, i, reduced[i].Action)
			}
		}
		s, err := scenario.Parse("shrunk.raft", text)
		if err != nil {
			t.Fatalf("shrunk scenario does not parse: %v\n%s", err, text)
		}
		if errs, _ := Check(s); len(errs) > 0 {
			t.Fatalf("shrunk scenario does not hold: %v\n%s", errs, text)
		}
		if !strings.Contains(text, "expect violation "+v.Kind.String()) {
			t.Errorf("no expect line:\n%s", text)
		}
		return
	}
	t.Fatal("no violation with persist-vote off in 2000 seeds")
}

// The batch line sets how many entries an AppendEntries carries, from the
// start; a recording keeps it, and it is part of an exercise's digest.
func TestBatchLine(t *testing.T) {
	s := mustParse(t, "cluster 3\nbatch 1\nnetwork manual\ntimeout S1\ndeliver S1->S2 vote\ndeliver S2->S1 vote-reply\n"+
		"drop S1->S2 heartbeat\npropose a\npropose b\npropose c\nheartbeat S1\n")
	r := runToEnd(t, s)
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	if got := r.Cluster.Config().MaxEntries; got != 1 {
		t.Fatalf("MaxEntries %d, want 1", got)
	}
	sent := 0
	for _, f := range r.Cluster.Snapshot(1, 0).InFlight {
		if f.Msg.Type == raft.MsgApp && f.Msg.To == 2 && len(f.Msg.Entries) > 0 {
			sent++
			if len(f.Msg.Entries) > 1 {
				t.Fatalf("an AppendEntries carries %d entries with batch 1", len(f.Msg.Entries))
			}
		}
	}
	if sent < 2 {
		t.Fatalf("%d AppendEntries with entries to S2", sent)
	}
	text := Record(r.Cluster)
	if !strings.HasPrefix(text, "cluster 3\nbatch 1\n") {
		t.Fatalf("recorded as:\n%s", text)
	}
	if ClusterConfig(mustParse(t, "timeout S1")).MaxEntries != 0 {
		t.Fatal("no batch line, yet a batch size")
	}
	ex := "cluster 3\ngoal leader\n"
	if SetupDigest(mustParse(t, ex)) == SetupDigest(mustParse(t, "cluster 3\nbatch 2\ngoal leader\n")) {
		t.Fatal("the batch line does not change an exercise's digest")
	}
}
