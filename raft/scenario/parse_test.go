package scenario

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// parseCommand parses one command line in a 9-server cluster.
func parseCommand(t *testing.T, line string) Command {
	t.Helper()
	sc := mustParse(t, "cluster 9\n"+line)
	if len(sc.Commands) != 1 {
		t.Fatalf("%q: got %d commands, want 1", line, len(sc.Commands))
	}
	c := sc.Commands[0]
	clearPos(&c)
	return c
}

func TestCommands(t *testing.T) {
	ids := func(xs ...raft.ID) []raft.ID { return xs }
	leader := &Cond{Terms: []Atom{{Kind: AtomLeader}}}
	tests := []struct {
		src  string
		want Command
	}{
		{"rule election-restriction off", Command{Kind: CmdRule, Rule: raft.ElectionRestriction}},
		{"rule prevote on", Command{Kind: CmdRule, Rule: raft.PreVote, On: true}},
		{"rule check-quorum on # comment", Command{Kind: CmdRule, Rule: raft.CheckQuorum, On: true}},
		{"timer S2 200ms", Command{Kind: CmdTimer, Server: 2, Dur: 200}},
		{"timer s2 0ms", Command{Kind: CmdTimer, Server: 2, Dur: 0}},
		{"timeout S3", Command{Kind: CmdTimeout, Server: 3}},
		{"propose x", Command{Kind: CmdPropose, Cmd: "x"}},
		{"propose x to S2", Command{Kind: CmdPropose, Cmd: "x", Server: 2}},
		{`propose "set x 1"`, Command{Kind: CmdPropose, Cmd: "set x 1"}},
		{`propose "to" to S9`, Command{Kind: CmdPropose, Cmd: "to", Server: 9}},
		{`propose "5"`, Command{Kind: CmdPropose, Cmd: "5"}},
		{`propose "a\"b\\c\nd"`, Command{Kind: CmdPropose, Cmd: "a\"b\\c\nd"}},
		{"propose 中文", Command{Kind: CmdPropose, Cmd: "中文"}},
		{`propose "写入 x=1"`, Command{Kind: CmdPropose, Cmd: "写入 x=1"}},
		{"propose x_1.a-b", Command{Kind: CmdPropose, Cmd: "x_1.a-b"}},
		{"crash S1", Command{Kind: CmdCrash, Server: 1}},
		{"crash S1 before-send", Command{Kind: CmdCrash, Server: 1, BeforeSend: true}},
		{"crash S2 after-send", Command{Kind: CmdCrash, Server: 2, AfterSend: true}},
		{"restart S1", Command{Kind: CmdRestart, Server: 1}},
		{"partition S1 S2 | S3 S4 S5", Command{Kind: CmdPartition, Groups: [][]raft.ID{ids(1, 2), ids(3, 4, 5)}}},
		{"partition S1|S2|S3", Command{Kind: CmdPartition, Groups: [][]raft.ID{ids(1), ids(2), ids(3)}}},
		{"isolate S4", Command{Kind: CmdIsolate, Server: 4}},
		{"link S1->S2 down", Command{Kind: CmdLink, From: 1, To: 2}},
		{"link S1 -> S2 up", Command{Kind: CmdLink, From: 1, To: 2, On: true}},
		{"link S1<->S3 down", Command{Kind: CmdLink, From: 1, To: 3, Both: true}},
		{"link S3 <-> S1 up", Command{Kind: CmdLink, From: 3, To: 1, Both: true, On: true}},
		{"link S1->S2 drop 0.3", Command{Kind: CmdLinkDrop, From: 1, To: 2, Rate: 0.3}},
		{"link s2<->S4 drop 1", Command{Kind: CmdLinkDrop, From: 2, To: 4, Both: true, Rate: 1}},
		{"link S2<->S4 drop 0", Command{Kind: CmdLinkDrop, From: 2, To: 4, Both: true}},
		{"election 300-600ms", Command{Kind: CmdElection, Min: 300, Max: 600}},
		{"election 1-2s", Command{Kind: CmdElection, Min: 1000, Max: 2000}},
		{"election 200ms", Command{Kind: CmdElection, Min: 200, Max: 200}},
		{"heal", Command{Kind: CmdHeal}},
		{"drop 0.1", Command{Kind: CmdDrop, Rate: 0.1}},
		{"drop 0", Command{Kind: CmdDrop}},
		{"drop 1", Command{Kind: CmdDrop, Rate: 1}},
		{"duplicate 0.05", Command{Kind: CmdDuplicate, Rate: 0.05}},
		{"latency 10-20ms", Command{Kind: CmdLatency, Min: 10, Max: 20}},
		{"latency 15ms", Command{Kind: CmdLatency, Min: 15, Max: 15}},
		{"latency 500ms-1.5s", Command{Kind: CmdLatency, Min: 500, Max: 1500}},
		{"latency 1-2s", Command{Kind: CmdLatency, Min: 1000, Max: 2000}},
		{"drop next S1->S2", Command{Kind: CmdDropNext, From: 1, To: 2}},
		{"run 300ms", Command{Kind: CmdRun, Dur: 300}},
		{"run 2s", Command{Kind: CmdRun, Dur: 2000}},
		{"run 1.5s", Command{Kind: CmdRun, Dur: 1500}},
		{"run 0.001s", Command{Kind: CmdRun, Dur: 1}},
		{"run 1.250s", Command{Kind: CmdRun, Dur: 1250}},
		{"run 86400s", Command{Kind: CmdRun, Dur: MaxDuration}},
		{"step", Command{Kind: CmdStep, N: 1}},
		{"step 5", Command{Kind: CmdStep, N: 5}},
		{"step 1000000", Command{Kind: CmdStep, N: MaxSteps}},
		{"run until leader", Command{Kind: CmdRunUntil, Cond: leader, Dur: DefaultWithin}},
		{"run until leader within 2s", Command{Kind: CmdRunUntil, Cond: leader, Dur: 2000}},
		{"expect leader", Command{Kind: CmdExpect, Cond: leader}},
		{`say "hello"`, Command{Kind: CmdSay, Text: "hello"}},
		{`say "S1 成为了领导者。"`, Command{Kind: CmdSay, Text: "S1 成为了领导者。"}},
		{`say "#not a comment" # a comment`, Command{Kind: CmdSay, Text: "#not a comment"}},
		{"pause", Command{Kind: CmdPause}},
		{"\t pause \t", Command{Kind: CmdPause}},
		// The manual network.
		{"network manual", Command{Kind: CmdNetwork, On: true}},
		{"network auto", Command{Kind: CmdNetwork}},
		{"heartbeat S1", Command{Kind: CmdHeartbeat, Server: 1}},
		{"deliver S1->S2 vote", Command{Kind: CmdDeliver, From: 1, To: 2, Msg: sim.KindVote}},
		{"deliver s1 -> S2 append 2", Command{Kind: CmdDeliver, From: 1, To: 2, Msg: sim.KindAppend, N: 2}},
		{"deliver S2->S1 vote-reply 1", Command{Kind: CmdDeliver, From: 2, To: 1, Msg: sim.KindVoteReply, N: 1}},
		{"deliver S3->S4 prevote", Command{Kind: CmdDeliver, From: 3, To: 4, Msg: sim.KindPreVote}},
		{"deliver S4->S3 prevote-reply", Command{Kind: CmdDeliver, From: 4, To: 3, Msg: sim.KindPreVoteReply}},
		{"deliver S1->S9 heartbeat 1000000000", Command{Kind: CmdDeliver, From: 1, To: 9, Msg: sim.KindHeartbeat, N: MaxNumber}},
		{"drop S1->S2 append-reply", Command{Kind: CmdDropOne, From: 1, To: 2, Msg: sim.KindAppendReply}},
		{"drop S1->S2 heartbeat 3 # the newest", Command{Kind: CmdDropOne, From: 1, To: 2, Msg: sim.KindHeartbeat, N: 3}},
		{"duplicate S2->S1 vote-reply", Command{Kind: CmdDuplicateOne, From: 2, To: 1, Msg: sim.KindVoteReply}},
		{"duplicate S2 -> S1 append 12", Command{Kind: CmdDuplicateOne, From: 2, To: 1, Msg: sim.KindAppend, N: 12}},
		// Leadership transfer.
		{"transfer S1 to S3", Command{Kind: CmdTransfer, Server: 1, To: 3}},
		{"transfer s9 to S1 # back", Command{Kind: CmdTransfer, Server: 9, To: 1}},
		// The client workload.
		{"client every 100ms", Command{Kind: CmdClient, Dur: 100}},
		{"client every 1.5s # slow", Command{Kind: CmdClient, Dur: 1500}},
		{"client every 10ms", Command{Kind: CmdClient, Dur: 10}},
		{"client every 3600s", Command{Kind: CmdClient, Dur: 3600000}},
		{"client off", Command{Kind: CmdClient}},
		// ... and beside it, the other forms of drop and duplicate.
		{"drop message 42", Command{Kind: CmdDropMessage, N: 42}},
		{"duplicate 0", Command{Kind: CmdDuplicate}},
	}
	for _, tt := range tests {
		got := parseCommand(t, tt.src)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tt.src, got, tt.want)
		}
	}
}

func TestConditions(t *testing.T) {
	tests := []struct {
		src  string
		want []Atom
	}{
		{"leader", []Atom{{Kind: AtomLeader}}},
		{"leader S2", []Atom{{Kind: AtomLeader, Server: 2}}},
		{"leader none", []Atom{{Kind: AtomLeader, None: true}}},
		{"votedfor S2 S1", []Atom{{Kind: AtomVotedFor, Server: 2, Peer: 1}}},
		{"votedfor S2 none and term S2 0", []Atom{{Kind: AtomVotedFor, Server: 2}, {Kind: AtomTerm, Server: 2, Op: "=", N: 0}}},
		{"role S2 candidate", []Atom{{Kind: AtomRole, Server: 2, Role: raft.Candidate}}},
		{"role S2 follower", []Atom{{Kind: AtomRole, Server: 2, Role: raft.Follower}}},
		{"role S2 leader", []Atom{{Kind: AtomRole, Server: 2, Role: raft.Leader}}},
		{"role S2 precandidate", []Atom{{Kind: AtomRole, Server: 2, Role: raft.PreCandidate}}},
		{"term S1 3", []Atom{{Kind: AtomTerm, Server: 1, Op: "=", N: 3}}},
		{"term S1 = 3", []Atom{{Kind: AtomTerm, Server: 1, Op: "=", N: 3}}},
		{"term S1 >= 3", []Atom{{Kind: AtomTerm, Server: 1, Op: ">=", N: 3}}},
		{"term >= 4", []Atom{{Kind: AtomTerm, Op: ">=", N: 4}}},
		{"term 0", []Atom{{Kind: AtomTerm, Op: "=", N: 0}}},
		{"term < 2", []Atom{{Kind: AtomTerm, Op: "<", N: 2}}},
		{"term S3 != 2", []Atom{{Kind: AtomTerm, Server: 3, Op: "!=", N: 2}}},
		{"term S3 > 2", []Atom{{Kind: AtomTerm, Server: 3, Op: ">", N: 2}}},
		{"term S3 <= 2", []Atom{{Kind: AtomTerm, Server: 3, Op: "<=", N: 2}}},
		{"time >= 5s", []Atom{{Kind: AtomTime, Op: ">=", N: 5000}}},
		{"time 300ms", []Atom{{Kind: AtomTime, Op: "=", N: 300}}},
		{"time < 1.5s", []Atom{{Kind: AtomTime, Op: "<", N: 1500}}},
		{"elections >= 10", []Atom{{Kind: AtomElections, Op: ">=", N: 10}}},
		{"elections 1", []Atom{{Kind: AtomElections, Op: "=", N: 1}}},
		{"elections <= 2 and answered > 500", []Atom{{Kind: AtomElections, Op: "<=", N: 2}, {Kind: AtomAnswered, Op: ">", N: 500}}},
		{"answered != 0", []Atom{{Kind: AtomAnswered, Op: "!=", N: 0}}},
		{"answered 0", []Atom{{Kind: AtomAnswered, Op: "=", N: 0}}},
		{"committed 3", []Atom{{Kind: AtomCommitted, N: 3}}},
		{"committed 3 on all", []Atom{{Kind: AtomCommitted, N: 3, All: true}}},
		{"committed 3 on S1 S2", []Atom{{Kind: AtomCommitted, N: 3, Servers: []raft.ID{1, 2}}}},
		{"log S1 1:x 1:y 2:z", []Atom{{Kind: AtomLog, Server: 1, Entries: []LogEntry{{1, "x", false}, {1, "y", false}, {2, "z", false}}}}},
		{`log S1 1:x 2:- 3:"a b"`, []Atom{{Kind: AtomLog, Server: 1, Entries: []LogEntry{{1, "x", false}, {2, "", true}, {3, "a b", false}}}}},
		{`log S2 1:"and" 2:中文`, []Atom{{Kind: AtomLog, Server: 2, Entries: []LogEntry{{1, "and", false}, {2, "中文", false}}}}},
		{"log S3 empty", []Atom{{Kind: AtomLog, Server: 3}}},
		{"applied S1 x y", []Atom{{Kind: AtomApplied, Server: 1, Cmds: []string{"x", "y"}}}},
		{`applied S1 "x y" "empty"`, []Atom{{Kind: AtomApplied, Server: 1, Cmds: []string{"x y", "empty"}}}},
		{"applied S1 empty", []Atom{{Kind: AtomApplied, Server: 1}}},
		{"safe", []Atom{{Kind: AtomSafe}}},
		{"violation", []Atom{{Kind: AtomViolation}}},
		{"violation log-matching", []Atom{{Kind: AtomViolation, Name: "log-matching"}}},
		{"crashed S1", []Atom{{Kind: AtomCrashed, Server: 1}}},
		{"up S1", []Atom{{Kind: AtomUp, Server: 1}}},
		{"leads S1", []Atom{{Kind: AtomLeads, Server: 1}}},
		{"elected S3", []Atom{{Kind: AtomElected, Server: 3}}},
		{"elected S3 in 2", []Atom{{Kind: AtomElected, Server: 3, InTerm: 2}}},
		{"voted S4 for S3", []Atom{{Kind: AtomVoted, Server: 4, Peer: 3}}},
		{"voted S4 for S3 in 2", []Atom{{Kind: AtomVoted, Server: 4, Peer: 3, InTerm: 2}}},
		{"denied S4 to S3", []Atom{{Kind: AtomDenied, Server: 4, Peer: 3}}},
		{"denied S4 to S3 in 2 because already-voted", []Atom{{Kind: AtomDenied, Server: 4, Peer: 3, InTerm: 2, Reason: raft.ReasonAlreadyVoted}}},
		{"denied S4 to S3 because log-older-term", []Atom{{Kind: AtomDenied, Server: 4, Peer: 3, Reason: raft.ReasonLogOlderTerm}}},
		{"denied S4 to S3 because log-shorter", []Atom{{Kind: AtomDenied, Server: 4, Peer: 3, Reason: raft.ReasonLogShorter}}},
		{"denied S4 to S3 because stale-term", []Atom{{Kind: AtomDenied, Server: 4, Peer: 3, Reason: raft.ReasonStaleTerm}}},
		{"rejected S5 from S2", []Atom{{Kind: AtomRejected, Server: 5, Peer: 2}}},
		{"rejected S5 from S2 in 2 because missing-prev", []Atom{{Kind: AtomRejected, Server: 5, Peer: 2, InTerm: 2, Reason: raft.ReasonMissingPrev}}},
		{"rejected S1 from S2 because prev-mismatch", []Atom{{Kind: AtomRejected, Server: 1, Peer: 2, Reason: raft.ReasonPrevMismatch}}},
		{"held S1 2", []Atom{{Kind: AtomHeld, Server: 1, N: 2}}},
		{"removed S1 2:b", []Atom{{Kind: AtomRemoved, Server: 1, Entries: []LogEntry{{2, "b", false}}}}},
		{"removed S1 3:-", []Atom{{Kind: AtomRemoved, Server: 1, Entries: []LogEntry{{3, "", true}}}}},
		{"leader S1 and term S1 2 and safe", []Atom{
			{Kind: AtomLeader, Server: 1},
			{Kind: AtomTerm, Server: 1, Op: "=", N: 2},
			{Kind: AtomSafe},
		}},
		{"applied S1 x and committed 1 on S1 S2 and log S2 1:x and leader", []Atom{
			{Kind: AtomApplied, Server: 1, Cmds: []string{"x"}},
			{Kind: AtomCommitted, N: 1, Servers: []raft.ID{1, 2}},
			{Kind: AtomLog, Server: 2, Entries: []LogEntry{{1, "x", false}}},
			{Kind: AtomLeader},
		}},
	}
	for _, tt := range tests {
		c := parseCommand(t, "expect "+tt.src)
		if !reflect.DeepEqual(c.Cond.Terms, tt.want) {
			t.Errorf("%q:\n got %+v\nwant %+v", tt.src, c.Cond.Terms, tt.want)
		}
		// The same condition in run until, with and without within.
		c = parseCommand(t, "run until "+tt.src+" within 1s")
		if !reflect.DeepEqual(c.Cond.Terms, tt.want) || c.Dur != 1000 {
			t.Errorf("run until %q within 1s: got %+v", tt.src, c)
		}
	}
}

func TestPositions(t *testing.T) {
	src := "cluster 3\n\n  propose x to S2  # c\nexpect leader S1 and\tterm 2\n" +
		"question \"q?\"\n# between\nchoice \"a\" when safe\ngoal leader\n"
	sc := mustParse(t, src)
	pos := func(line, col int) Pos { return Pos{"t.raft", line, col} }
	checks := []struct {
		name      string
		got, want Pos
	}{
		{"cluster", sc.ClusterPos, pos(1, 1)},
		{"propose", sc.Commands[0].Pos, pos(3, 3)},
		{"expect", sc.Commands[1].Pos, pos(4, 1)},
		{"cond", sc.Commands[1].Cond.Pos, pos(4, 8)},
		{"atom 1", sc.Commands[1].Cond.Terms[0].Pos, pos(4, 8)},
		{"atom 2", sc.Commands[1].Cond.Terms[1].Pos, pos(4, 22)},
		{"question", sc.Questions[0].Pos, pos(5, 1)},
		{"question command", sc.Commands[2].Pos, pos(5, 1)},
		{"choice", sc.Questions[0].Choices[0].Pos, pos(7, 1)},
		{"when", sc.Questions[0].Choices[0].When.Pos, pos(7, 17)},
		{"goal", sc.GoalPos, pos(8, 1)},
		{"goal cond", sc.Goal.Pos, pos(8, 6)},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if s := pos(3, 7).String(); s != "t.raft:3:7" {
		t.Errorf("Pos.String() = %q", s)
	}
}

func TestDefaultsAndCluster(t *testing.T) {
	sc := mustParse(t, "timeout S5\n")
	if sc.ClusterGiven || sc.Cluster != DefaultCluster() {
		t.Errorf("no cluster line: got %+v given=%v", sc.Cluster, sc.ClusterGiven)
	}
	d := DefaultCluster()
	if d.N != 5 || d.Seed != 1 || d.ElectionMin != 150 || d.ElectionMax != 300 || d.Heartbeat != 50 ||
		d.LatencyMin != 10 || d.LatencyMax != 20 || d.Drop != 0 || d.Duplicate != 0 {
		t.Errorf("DefaultCluster() = %+v", d)
	}
	sc = mustParse(t, "# leading comment\n\ncluster 7 duplicate=0.05 seed=18446744073709551615 election=1-2s heartbeat=0.1s latency=0-5ms drop=0.25\n")
	want := Cluster{N: 7, Seed: 18446744073709551615, SeedGiven: true, ElectionMin: 1000, ElectionMax: 2000,
		Heartbeat: 100, LatencyMin: 0, LatencyMax: 5, Drop: 0.25, Duplicate: 0.05}
	if !sc.ClusterGiven || sc.Cluster != want {
		t.Errorf("got %+v, want %+v", sc.Cluster, want)
	}
	sc = mustParse(t, "cluster 1\ntimeout S1\n")
	if sc.Cluster.N != 1 {
		t.Errorf("cluster 1: N = %d", sc.Cluster.N)
	}
	if sc.Batch != 0 {
		t.Errorf("no batch line: Batch = %d", sc.Batch)
	}
	sc = mustParse(t, "cluster 3\nrule commit-matched off\nbatch 2 # two entries a message\ntimeout S1\nrun 1s\n")
	if sc.Batch != 2 || sc.BatchPos != (Pos{File: "t.raft", Line: 3, Col: 1}) || len(sc.Commands) != 3 {
		t.Errorf("batch 2: Batch = %d at %v, %d commands", sc.Batch, sc.BatchPos, len(sc.Commands))
	}
	for _, n := range []int{1, 64} {
		if sc := mustParse(t, "batch "+strconv.Itoa(n)); sc.Batch != n {
			t.Errorf("batch %d: Batch = %d", n, sc.Batch)
		}
	}
}

func TestExercise(t *testing.T) {
	src := `cluster 3
title "Break it"
rule persist-vote off
goal violation election-safety and term >= 2
timeout S1
allow crash restart timeout rule
hint "Crash a voter."
hint "第二个提示"
solution
crash S2
restart S2
rule persist-vote off
run until violation within 5s
`
	sc := mustParse(t, src)
	if !sc.IsExercise() || sc.Title != "Break it" {
		t.Fatalf("not an exercise: %+v", sc)
	}
	if len(sc.Commands) != 2 || sc.Commands[0].Kind != CmdRule || sc.Commands[1].Kind != CmdTimeout {
		t.Errorf("Commands = %+v", sc.Commands)
	}
	if len(sc.Solution) != 4 || sc.Solution[3].Kind != CmdRunUntil || sc.Solution[3].Dur != 5000 {
		t.Errorf("Solution = %+v", sc.Solution)
	}
	if !reflect.DeepEqual(sc.Allow, []string{"crash", "restart", "timeout", "rule"}) || !sc.AllowGiven {
		t.Errorf("Allow = %v", sc.Allow)
	}
	if !reflect.DeepEqual(sc.Hints, []string{"Crash a voter.", "第二个提示"}) {
		t.Errorf("Hints = %q", sc.Hints)
	}
	if sc.Goal == nil || len(sc.Goal.Terms) != 2 || sc.Goal.Terms[0].Name != "election-safety" {
		t.Errorf("Goal = %+v", sc.Goal)
	}
	for _, k := range []CommandKind{CmdCrash, CmdRestart, CmdTimeout, CmdRule, CmdRun, CmdStep, CmdRunUntil, CmdExpect} {
		if !sc.Allows(k) {
			t.Errorf("Allows(%v) = false", k)
		}
	}
	for _, k := range []CommandKind{CmdPropose, CmdPartition, CmdDrop, CmdDropNext, CmdTimer, CmdLink} {
		if sc.Allows(k) {
			t.Errorf("Allows(%v) = true", k)
		}
	}

	// Without allow, everything is allowed; allow with no words allows
	// only non-actions.
	sc = mustParse(t, "goal leader\n")
	if sc.AllowGiven || !sc.Allows(CmdPartition) {
		t.Errorf("no allow line: AllowGiven=%v", sc.AllowGiven)
	}
	sc = mustParse(t, "goal leader\nallow\nsolution\nrun 1s\n")
	if !sc.AllowGiven || len(sc.Allow) != 0 || sc.Allows(CmdTimeout) || !sc.Allows(CmdRun) {
		t.Errorf("empty allow: %+v", sc)
	}
}

// A why line explains the choice or the goal just before it.
func TestWhy(t *testing.T) {
	sc := mustParse(t, `question "Who wins?"
choice "S1" when elected S1
why "Its timer fires first."
choice "S2" when elected S2
choice "S3" when elected S3
why "Never: it is crashed."
run 1s
goal leader
why "A majority voted for one candidate."
`)
	q := sc.Questions[0]
	if q.Choices[0].Why != "Its timer fires first." || q.Choices[1].Why != "" || q.Choices[2].Why != "Never: it is crashed." {
		t.Errorf("choices' why: %+v", q.Choices)
	}
	if sc.GoalWhy != "A majority voted for one candidate." {
		t.Errorf("GoalWhy = %q", sc.GoalWhy)
	}
}

func TestQuestions(t *testing.T) {
	src := `timeout S1
question "Who wins?"
choice "S1" when leader S1
# a comment between choices is fine

choice "nobody yet" when leader none and term S1 1
run 1s
question "第二题"
choice "是" when safe
`
	sc := mustParse(t, src)
	if len(sc.Questions) != 2 {
		t.Fatalf("Questions = %+v", sc.Questions)
	}
	q := sc.Questions[0]
	if q.Text != "Who wins?" || len(q.Choices) != 2 || q.Choices[1].Text != "nobody yet" ||
		len(q.Choices[1].When.Terms) != 2 || !q.Choices[1].When.Terms[0].None {
		t.Errorf("question 1 = %+v", q)
	}
	kinds := []CommandKind{}
	for _, c := range sc.Commands {
		kinds = append(kinds, c.Kind)
	}
	if !reflect.DeepEqual(kinds, []CommandKind{CmdTimeout, CmdQuestion, CmdRun, CmdQuestion}) {
		t.Errorf("kinds = %v", kinds)
	}
	if sc.Commands[1].Question != sc.Questions[0] || sc.Commands[3].Question != sc.Questions[1] ||
		sc.Commands[3].Text != "第二题" {
		t.Errorf("question commands do not point at the questions")
	}
}

func TestKinds(t *testing.T) {
	if CmdDropNext.String() != "drop next" || CmdRunUntil.String() != "run until" || AtomCommitted.String() != "committed" {
		t.Errorf("kind names wrong")
	}
	if CmdDropNext.ActionWord() != "drop" || CmdRun.ActionWord() != "" || !CmdTimer.IsAction() || CmdSay.IsAction() {
		t.Errorf("action words wrong")
	}
	if CmdDropOne.ActionWord() != "drop" || CmdDuplicateOne.ActionWord() != "duplicate" || CmdDeliver.ActionWord() != "deliver" ||
		CmdNetwork.ActionWord() != "network" || CmdHeartbeat.ActionWord() != "heartbeat" {
		t.Errorf("the manual network's action words wrong")
	}
	if !CmdStep.IsTime() || CmdTimer.IsTime() {
		t.Errorf("IsTime wrong")
	}
	// Every action kind maps to a word of ActionWords.
	for k := CmdInvalid; k < numCommandKinds; k++ {
		if w := k.ActionWord(); w != "" && !strings.Contains(" "+strings.Join(ActionWords, " ")+" ", " "+w+" ") {
			t.Errorf("%v: action word %q not in ActionWords", k, w)
		}
	}
	if CommandKind(200).String() != "command(200)" || AtomKind(200).String() != "atom(200)" {
		t.Errorf("bad kinds print wrong")
	}
}

func TestParseCommand(t *testing.T) {
	c, err := ParseCommand("crash S3 before-send # comment\n", 3)
	if err != nil || c.Kind != CmdCrash || c.Server != 3 || !c.BeforeSend || c.Pos != (Pos{Line: 1, Col: 1}) {
		t.Errorf("got %+v, %v", c, err)
	}
	c, err = ParseCommand("crash S2 after-send", 3)
	if err != nil || c.Kind != CmdCrash || c.Server != 2 || !c.AfterSend || c.BeforeSend {
		t.Errorf("got %+v, %v", c, err)
	}
	c, err = ParseCommand("run until leader within 2s", 9)
	if err != nil || c.Kind != CmdRunUntil || c.Dur != 2000 {
		t.Errorf("got %+v, %v", c, err)
	}
	bad := []struct{ src, want string }{
		{"crash S4", "1:7: S4: no such server (servers are S1..S3)"},
		{"  goal leader", `1:3: "goal" can only be used in a scenario file`},
		{"cluster 3", `1:1: "cluster" can only be used in a scenario file`},
		{"batch 2", `1:1: "batch" can only be used in a scenario file`},
		{`question "q"`, `1:1: "question" can only be used in a scenario file`},
		{"", "1:1: expected a command like crash S1 or run 1s, got end of line"},
		{"# just a comment", "1:1: expected a command like crash S1 or run 1s, got end of line"},
		{"run 1s\nrun 2s", "1:1: expected one command, got several lines"},
		{`say "oops`, `1:5: unterminated string (missing closing ")`},
		{"crsh S1", `1:1: unknown command "crsh" (did you mean "crash"?)`},
		{strings.Repeat("x", 5000), "1:1: line too long (5000 bytes; max 4096)"},
	}
	for _, b := range bad {
		_, err := ParseCommand(b.src, 3)
		if err == nil || err.Error() != b.want {
			t.Errorf("%.20q: got %v, want %s", b.src, err, b.want)
		}
	}
	if _, err := ParseCommand("heal", 0); err == nil {
		t.Errorf("cluster size 0 accepted")
	}
}
