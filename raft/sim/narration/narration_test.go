package narration_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// everyRecord returns records of every kind the simulator narrates, in
// every variant that a sentence depends on: each event kind with each
// reason, role, pre-vote or not, committed or not, and lists of entries
// of each length; each action, loss (of each kind of message), violation
// and an engine error.
func everyRecord() []sim.Record {
	var out []sim.Record
	entries := [][]raft.Entry{
		nil,
		{{Index: 3, Term: 2, Cmd: "x"}},
		{{Index: 3, Term: 2, Noop: true}},
		{{Index: 3, Term: 2, Cmd: "x"}, {Index: 4, Term: 2, Noop: true}},
		{{Index: 3, Term: 2}, {Index: 4, Term: 2}, {Index: 5, Term: 2}, {Index: 9, Term: 2}},
	}
	for k := raft.EventKind(0); !strings.Contains(k.String(), "("); k++ {
		for r := raft.Reason(0); !strings.Contains(r.String(), "("); r++ {
			for _, role := range []raft.Role{raft.Follower, raft.Candidate, raft.Leader} {
				for _, es := range entries {
					for _, v := range []struct {
						pre, committed bool
						peer, voted    raft.ID
						ownIndex, last int
					}{
						{false, false, 2, 1, 0, 3}, {true, true, 0, 3, 4, 7}, {true, false, 2, 1, 4, 3},
					} {
						out = append(out, sim.Record{Kind: sim.RecEvent, Event: raft.Event{
							Kind: k, Reason: r, Role: role, Node: 1, Peer: v.peer, Voted: v.voted,
							Term: 4, Asked: 5, Index: 3, Last: v.last, Votes: 2, Pre: v.pre, Committed: v.committed,
							CandIndex: 2, CandTerm: 1, OwnIndex: v.ownIndex, OwnTerm: 3, PrevTerm: 2, EntryTerm: 2,
							Entries: es,
						}})
					}
				}
			}
		}
	}
	for _, r := range raft.AllRules() {
		for _, why := range []raft.Reason{raft.ReasonNone, raft.ReasonStaleTerm} {
			out = append(out, sim.Record{Kind: sim.RecEvent, Event: raft.Event{
				Kind: raft.EvMistake, Rule: r, Reason: why, Node: 1, Peer: 2, Voted: 3, Term: 4, Asked: 3,
				Index: 3, Last: 5, CandIndex: 4, CandTerm: 1, OwnIndex: 3, OwnTerm: 2,
			}})
		}
	}
	for k := sim.ActionKind(0); !strings.Contains(k.String(), "("); k++ {
		for _, a := range []sim.Action{
			{Server: 2, From: 1, To: 3, Cmd: "x", Rate: 0.125, Min: 5, Max: 50, Delay: 30, Rule: raft.PreVote, On: true,
				Groups: [][]raft.ID{{1, 2}, {3}}},
			{BeforeSend: true, Min: 20, Max: 20, Rule: raft.CheckQuorum},
			{AfterSend: true, Server: 3},
			{Both: true, From: 2, To: 4, Rate: 0.3},
		} {
			a.Kind = k
			out = append(out, sim.Record{Kind: sim.RecAction, Action: &a})
		}
	}
	for l := sim.Loss(0); l < 10; l++ {
		for _, m := range []raft.Message{
			{Type: raft.MsgApp}, {Type: raft.MsgApp, Entries: []raft.Entry{{Index: 1, Term: 1}}},
			{Type: raft.MsgVote}, {Type: raft.MsgPreVote}, {Type: raft.MsgAppResp}, {Type: raft.MsgVoteResp},
			{Type: raft.MsgTimeoutNow},
		} {
			m.From, m.To = 1, 2
			out = append(out, sim.Record{Kind: sim.RecLost, Msg: &m, Loss: l})
		}
	}
	for _, name := range sim.InvariantNames() {
		k, _ := sim.ParseInvariant(name)
		for _, e := range []raft.Entry{{Index: 3, Term: 2, Cmd: "x"}, {Index: 3, Term: 3, Noop: true}} {
			v := sim.Violation{Kind: k, Servers: []raft.ID{1, 2}, Index: 3, Term: 4, Was: 5, Entry: e,
				Want: raft.Entry{Index: 3, Term: 1, Cmd: "y"}}
			out = append(out, sim.Record{Kind: sim.RecViolation, Violation: &v})
		}
	}
	es := []raft.Entry{{Index: 3, Term: 2, Cmd: "x"}, {Index: 4, Term: 2, Noop: true}}
	for _, u := range []sim.Unwritten{
		{Server: 2, Term: 3, Was: 2},
		{Server: 2, Term: 3, Was: 2, Vote: 4, VoteTerm: 3},
		{Server: 2, Vote: 4, VoteTerm: 3},
		{Server: 2, From: 3, Entries: es, Lost: 2, AckedTo: 1},
		{Server: 2, From: 3, Entries: es, Lost: 2, SentTo: 4},
		{Server: 2, From: 3, Entries: es[:1], Lost: 1, Back: 2},
		{Server: 2, From: 3, Back: 1},
	} {
		out = append(out, sim.Record{Kind: sim.RecUnwritten, Unwritten: &u})
	}
	out = append(out,
		sim.Record{Kind: sim.RecClient, Action: &sim.Action{Kind: sim.ActPropose, Server: 2, Cmd: "r7"}},
		sim.Record{Kind: sim.RecClient, Action: &sim.Action{Kind: sim.ActPropose, Server: 2, Cmd: "r8", To: 3}, Loss: sim.LossDown})
	out = append(out, sim.Record{Kind: sim.RecEngineError, Msg: &raft.Message{Type: raft.MsgApp, From: 1, To: 2}, Err: "bad index"})
	// And what no record should be, but the narration must survive.
	out = append(out,
		sim.Record{Kind: sim.RecEvent, Event: raft.Event{Kind: 200, Node: 1}},
		sim.Record{Kind: sim.RecAction, Action: &sim.Action{Kind: 200}},
		sim.Record{Kind: 200})
	return out
}

// seenRun shows what the testdata's scenarios leave out: a precandidate
// (an isolated server under prevote), a log longer than what is seen
// shows of it, a command that needs quoting, and a crashed server.
const seenRun = `cluster 3
rule prevote on
timeout S1
run until leader S1 within 1s
` + "propose c\npropose c\npropose c\npropose c\npropose c\npropose c\npropose c\npropose c\npropose c\npropose c\npropose c\npropose c\n" +
	`propose "a b"
run 500ms
crash S3
isolate S2
run 1s
`

// everySeen returns what the scenario player says is seen (player.Seen)
// of conditions of every kind, at every 100ms of the testdata's scenarios
// and of seenRun: each kind both where what it asks for has happened
// (elected S1 in a term that never comes: who was elected) and where it
// has not (no one yet), and conditions that hold, which add nothing. A
// condition of no known kind is seen as "?".
func everySeen(t *testing.T) []sim.Line {
	t.Helper()
	files, _ := filepath.Glob("../../scenario/testdata/*.raft")
	srcs := map[string]string{"seen.raft": seenRun}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[f] = string(b)
	}
	if len(srcs) < 10 {
		t.Fatalf("only %d scenarios", len(srcs))
	}
	conds := []string{"leader", "leader none", "leader S1", "term 99", "term S2 99", "committed 99",
		"safe", "violation", "violation log-matching", "elected S1 in 99", "held S1 99", "time > 9999s",
		"elections > 999", "answered > 99999"}
	for i := 1; i <= 3; i++ {
		s := raft.ID(i).String()
		conds = append(conds, "role "+s+" leader", "role "+s+" follower", "crashed "+s, "up "+s, "leads "+s,
			"log "+s+" 99:z", "applied "+s+" zz", "removed "+s+" 99:z")
		for j := 1; j <= 3; j++ {
			if p := raft.ID(j).String(); j != i {
				conds = append(conds, "votedfor "+s+" "+p, "voted "+s+" for "+p+" in 99", "denied "+s+" to "+p+" in 99", "rejected "+s+" from "+p+" in 99")
			}
		}
	}
	var out []sim.Line
	said := map[string]bool{}
	see := func(cond *scenario.Cond, c *sim.Cluster) {
		if l := player.Seen(cond, c); !said[l.String()] {
			said[l.String()] = true
			out = append(out, l)
		}
	}
	for name, src := range srcs {
		sc, err := scenario.Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		r, err := player.NewRunner(sc, nil)
		if err != nil {
			t.Fatal(err)
		}
		c := r.Cluster
		for end := -1; end < 0 || c.Now() < end; r.Advance(c.Now() + 100) {
			if r.Err() != nil {
				t.Fatalf("%s: %v", name, r.Err())
			}
			if end < 0 && r.Ended() {
				end = c.Now() + 1000
			}
			for _, cond := range conds {
				cmd, err := scenario.ParseCommand("expect "+cond, c.Servers())
				if err != nil {
					t.Fatal(err)
				}
				see(cmd.Cond, c)
			}
		}
		see(&scenario.Cond{Terms: []scenario.Atom{{Kind: 200}}}, c)
	}
	return out
}

var placeholderName = regexp.MustCompile(`^[A-Za-z]\w*$`)

// TestNarrationTables holds the narration's tables to what the simulator
// and the scenario player (what a condition sees) say: every sentence
// they can say has a template in every language, each template names only
// arguments its sentence has, and no template is left that nothing says.
// The glossary names every rule and safety property.
func TestNarrationTables(t *testing.T) {
	tables := map[string]narration.Table{}
	for _, lang := range narration.Languages {
		tb, err := narration.For(lang)
		if err != nil {
			t.Fatal(err)
		}
		tables[lang] = tb
	}
	used := map[string]bool{"list-sep": true}
	// Each fault is reported once, for the first record that shows it.
	reported := map[string]bool{}
	errorf := func(where, fault string) {
		if !reported[fault] {
			reported[fault] = true
			t.Errorf("%s: %s", where, fault)
		}
	}
	var walk func(where string, l sim.Line)
	walk = func(where string, l sim.Line) {
		used[l.Key] = true
		var names []string
		for _, a := range l.Args {
			names = append(names, a.Name)
			switch a.Kind {
			case sim.ArgGloss:
				used[a.Text] = true
				for lang, tb := range tables {
					if _, ok := tb[a.Text]; !ok {
						errorf(where, "glossary "+lang+" has no "+strconv.Quote(a.Text))
					}
				}
			case sim.ArgLine, sim.ArgList:
				if a.Kind == sim.ArgList && a.Text != "" {
					used[a.Text] = true
					for lang, tb := range tables {
						if _, ok := tb[a.Text]; !ok {
							errorf(where, lang+" has no separator "+strconv.Quote(a.Text))
						}
					}
				}
				for _, s := range a.Lines {
					walk(where, s)
				}
			}
		}
		for lang, tb := range tables {
			tmpl, ok := tb[l.Key]
			if !ok {
				errorf(where, lang+" has no template for "+strconv.Quote(l.Key))
				continue
			}
			for _, p := range narration.Placeholders(tmpl) {
				if !slices.Contains(names, p) {
					errorf(where, "the "+lang+" template of "+strconv.Quote(l.Key)+" names {"+p+"}, which the sentence lacks (it has "+strings.Join(names, " ")+")")
				}
			}
		}
	}
	recs := everyRecord()
	for _, r := range recs {
		walk(r.String(), sim.Describe(r))
	}
	for _, l := range everySeen(t) {
		walk(l.String(), l)
	}
	if len(used) < 100 {
		t.Fatalf("only %d keys said: the corpus misses most of the narration", len(used))
	}
	for _, name := range sim.InvariantNames() {
		used["inv."+name] = true
	}
	for _, r := range raft.AllRules() {
		used["rule."+r.String()] = true
	}
	// The explorer's worker says what a counterexample broke with these
	// (wasm/explorer/job, TestTheNarrationSpeaksThePagesLanguage).
	used["explain.broken"], used["explain.end"] = true, true
	for lang, tb := range tables {
		for k, tmpl := range tb {
			if !used[k] {
				t.Errorf("%s: %q is never said", lang, k)
			}
			for _, p := range narration.Placeholders(tmpl) {
				if !placeholderName.MatchString(p) {
					t.Errorf("%s: %q has a malformed placeholder {%s}", lang, k, p)
				}
			}
		}
		for k := range used {
			if _, ok := tb[k]; !ok {
				t.Errorf("%s: no entry for %q", lang, k)
			}
		}
	}
}

// TestRender puts lines of each kind of argument into words.
func TestRender(t *testing.T) {
	tb := narration.Table{
		"list-sep": "; ", "g": "glossed", "sep2": " / ",
		"top":  "{n} {s} {g} [{one}] [{many}] [{joined}] {missing}",
		"item": "<{n}>",
	}
	l := sim.Line{Key: "top", Args: []sim.Arg{
		{Name: "n", Kind: sim.ArgNum, Int: 7},
		{Name: "s", Kind: sim.ArgText, Text: "S2"},
		{Name: "g", Kind: sim.ArgGloss, Text: "g"},
		{Name: "one", Kind: sim.ArgLine, Lines: []sim.Line{{Key: "item", Args: []sim.Arg{{Name: "n", Int: 1}}}}},
		{Name: "many", Kind: sim.ArgList, Lines: []sim.Line{
			{Key: "item", Args: []sim.Arg{{Name: "n", Int: 2}}}, {Key: "item", Args: []sim.Arg{{Name: "n", Int: 3}}}}},
	}}
	l = l.ListSep("joined", "sep2", []sim.Line{sim.NewLine("item").Num("n", 4), sim.NewLine("item").Num("n", 5)})
	if got, want := tb.Render(l), "7 S2 glossed [<1>] [<2>; <3>] [<4> / <5>] {missing}"; got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	if got, want := tb.Render(sim.Line{Key: "nokey"}), "nokey"; got != want {
		t.Fatalf("a key with no template: got %q, want %q", got, want)
	}
}
