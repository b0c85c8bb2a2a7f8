package explore

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// schedule takes the steps that the lines say, from a new cluster, as the
// search would (each line must name exactly one of the moves possible),
// and returns the search, its start and the moves.
func schedule(t *testing.T, cfg Config, lines ...string) (*search, *state, []move) {
	t.Helper()
	x, root, sent, err := newSearch(cfg)
	if err != nil {
		t.Fatal(err)
	}
	x.sent = sent
	var mvs []move
	for _, line := range lines {
		steps, _, err := x.replay(root, mvs)
		if err != nil {
			t.Fatal(err)
		}
		_ = steps
		s := root
		if len(mvs) > 0 {
			s = x.stateAfter(t, root, mvs)
		}
		var found []move
		for _, mv := range x.moves(s, x.messageCodes(s), nil) {
			st, _, err := x.replay(root, append(mvs[:len(mvs):len(mvs)], mv))
			if err != nil {
				t.Fatal(err)
			}
			if st[len(st)-1].String() == line {
				found = append(found, mv)
			}
		}
		if len(found) != 1 {
			t.Fatalf("after %d steps, %d moves read %q", len(mvs), len(found), line)
		}
		mvs = append(mvs, found[0])
	}
	return x, root, mvs
}

// stateAfter returns the state that mvs lead to from root, its bag sorted
// as a decoded state's.
func (x *search) stateAfter(t *testing.T, root *state, mvs []move) *state {
	t.Helper()
	s := root
	for _, mv := range mvs {
		s.msgs = x.sortedBag(s.msgs)
		c, _, err := x.take(s, mv, true)
		if err != nil {
			t.Fatal(err)
		}
		s = c
	}
	s.msgs = x.sortedBag(s.msgs)
	return s
}

// A message is named by its sender, receiver and kind, and, when several
// such are in flight, by its place among them in the order sent; the
// scenario written from a path says so line by line.
func TestExploreScenarioOfAKnownPath(t *testing.T) {
	b := bounds(1, 2, 2, 1, 1, 8)
	cfg := Config{Bounds: b, Rules: off(raft.FastBacktrack), Symmetry: true}
	lines := []string{
		"timeout S1",
		"deliver S1->S2 vote",
		"duplicate S2->S1 vote-reply",
		"drop S2->S1 vote-reply",
		"drop S1->S3 heartbeat",
		"propose c1 to S1", // an append of [c1] to S2 after the heartbeat
		"heartbeat S1",     // the same append again, and a heartbeat to S3
		"propose c2 to S1", // a third, of [c1 c2]
		"deliver S1->S2 append 3",
		"drop S1->S2 heartbeat",
		"crash S3",
		"drop S1->S3 append 3", // of three: [c1], the same again, [c1 c2]
		"restart S3",
		"drop S1->S2 append 1", // the first of the two equal ones
	}
	x, root, mvs := schedule(t, cfg, lines...)
	steps, broke, err := x.replay(root, mvs)
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range steps {
		if st.String() != lines[i] || broke[i] != nil {
			t.Errorf("step %d reads %q (broke %v), want %q", i+1, st, broke[i], lines[i])
		}
	}
	r := Result{Verdict: Broken, Depth: len(steps), Path: steps, Config: cfg,
		Violation: &sim.Violation{Kind: sim.StateMachineSafety, Servers: []raft.ID{1, 3}, Index: 2, Term: 1,
			Entry: raft.Entry{Index: 2, Term: 1, Cmd: `say "hi"`}, Want: raft.Entry{Index: 2, Term: 1, Cmd: "c2"}}}
	want := `# The shortest way to break state-machine-safety that raftplay explore found: 14 steps.
# Searched with servers=3 terms=1 log=2 requests=2 crashes=1 restarts=1 inflight=8 depth=100 mem=2048MB symmetry=on (rules: fast-backtrack=off).
cluster 3
rule fast-backtrack off
network manual
timeout S1
deliver S1->S2 vote
duplicate S2->S1 vote-reply
drop S2->S1 vote-reply
drop S1->S3 heartbeat
propose c1 to S1
heartbeat S1
propose c2 to S1
deliver S1->S2 append 3
drop S1->S2 heartbeat
crash S3
drop S1->S3 append 3
restart S3
drop S1->S2 append 1
say "state-machine-safety is broken: S1 applied 2/1 \"c2\" and S3 applied 2/1 \"say \\\"hi\\\"\" at index 2."
expect violation state-machine-safety
`
	if got := Scenario(r, ""); got != want {
		t.Errorf("the scenario reads\n%s\nwant\n%s", got, want)
	}
	// From a scenario's end, the scenario comes first, then the rules that
	// differ from the ones it ended with.
	c, err := sim.New(sim.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r.Config.From = c
	got := Scenario(r, "cluster 5\ntimeout S2\nrun 1s\n\n")
	if !strings.Contains(got, "\ncluster 5\ntimeout S2\nrun 1s\nrule fast-backtrack off\nnetwork manual\ntimeout S1\n") ||
		!strings.Contains(got, "Searched with servers=5 ") {
		t.Errorf("after a prelude, the scenario reads\n%s", got)
	}
}

// The canonical encoding: a state decoded from its encoding encodes the
// same, and has the same canonical form; a state reached with the
// search's scratch encodes as the same state reached with copies of its
// own. States along random walks, with every kind of move (a crash
// after a send among them, with every mistake made and a batch of one).
func TestExploreEncodingRoundTrips(t *testing.T) {
	mistakes := off(raft.HeartbeatCheck, raft.TruncateOnConflict, raft.CommitMatched, raft.CheckReplies,
		raft.CompareLastTerm, raft.PersistBeforeSend, raft.StrictTimerReset, raft.KeepVote)
	for i, rules := range []raft.Rules{raft.DefaultRules, off(raft.PersistVote, raft.ElectionRestriction, raft.CurrentTermCommit).With(raft.LeaderNoop, true), mistakes} {
		cfg := Config{Bounds: bounds(4, 4, 4, 3, 3, 10), Rules: rules, Symmetry: true}
		if i == 2 {
			cfg.Bounds.Batch = 1
		}
		x, root, _, err := newSearch(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(1, 2))
		for walk := 0; walk < 40; walk++ {
			s := root
			for range 30 {
				enc := append([]byte(nil), x.encode(nil, s, nil)...)
				d, err := x.decode(enc, walk%2 == 0)
				if err != nil {
					t.Fatal(err)
				}
				if again := x.encode(nil, d, nil); !bytes.Equal(again, enc) {
					t.Fatalf("decoded from %x, encodes as %x", enc, again)
				}
				if a, b := x.canonical(s), x.canonical(d); a != b {
					t.Fatalf("canonical forms differ: %x and %x", a, b)
				}
				mvs := x.moves(d, x.messageCodes(d), nil)
				if len(mvs) == 0 {
					break
				}
				mv := mvs[r.IntN(len(mvs))]
				c, _, err := x.take(d, mv, false)
				if err != nil {
					t.Fatal(err)
				}
				scratch := append([]byte(nil), x.encode(nil, c, nil)...)
				if s, _, err = x.take(d, mv, true); err != nil {
					t.Fatal(err)
				}
				if own := x.encode(nil, s, nil); !bytes.Equal(own, scratch) {
					t.Fatalf("%v: reached with scratch %x, with copies %x", mv.kind, scratch, own)
				}
			}
		}
	}
}

// With persist-before-send off, a crash can be armed for after a
// server's next send: the step's messages go out and its durable writes
// are lost. With the rule on there is no such move (the crash it would be
// is a step, then a crash).
func TestExploreCrashAfterSend(t *testing.T) {
	cfg := Config{Bounds: bounds(1, 1, 1, 1, 1, 6), Rules: off(raft.PersistBeforeSend), Symmetry: true}
	lines := []string{
		"timeout S1",
		"crash S2 after-send",
		"deliver S1->S2 vote", // S2 grants its vote in term 1, sends, crashes
	}
	x, root, mvs := schedule(t, cfg, lines...)
	s := x.stateAfter(t, root, mvs)
	sv := &s.servers[2]
	if sv.node != nil || sv.armed || sv.hs != (raft.HardState{}) || s.crashes != 1 {
		t.Fatalf("S2 after the step: up %v, armed %v, durable %+v, crashes %d", sv.node != nil, sv.armed, sv.hs, s.crashes)
	}
	replies := 0
	for _, m := range s.msgs {
		if m.Type == raft.MsgVoteResp && m.From == 2 && !m.Reject && m.Term == 1 {
			replies++
		}
	}
	if replies != 1 {
		t.Fatalf("S2's vote is in flight %d times: %v", replies, s.msgs)
	}
	// While S2 is armed, only its own steps may come next.
	armed := x.stateAfter(t, root, mvs[:2])
	for _, mv := range x.moves(armed, x.messageCodes(armed), nil) {
		st, _, err := x.replay(root, append(mvs[:2:2], mv))
		if err != nil {
			t.Fatal(err)
		}
		step := st[len(st)-1]
		if step.Server != 2 && step.Msg.To != 2 || step.Kind == Drop || step.Kind == Crash {
			t.Errorf("with S2 armed, the move %q is offered", step)
		}
	}
	// A leader that crashes after sending its first entry loses it: it
	// is on the disk of no server, but in flight.
	x, root, mvs = schedule(t, cfg, "timeout S1", "deliver S1->S2 vote", "deliver S2->S1 vote-reply",
		"crash S1 after-send", "propose c1 to S1")
	s = x.stateAfter(t, root, mvs)
	if sv := &s.servers[1]; sv.node != nil || sv.log.Len() != 0 || sv.hs.Term != 1 || sv.hs.Vote != 1 {
		t.Fatalf("S1 after proposing: up %v, log of %d, durable %+v", sv.node != nil, sv.log.Len(), sv.hs)
	}
	// The rule on: no crash after send.
	cfg.Rules = raft.DefaultRules
	x, root, _, err := newSearch(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, mv := range x.moves(root, x.messageCodes(root), nil) {
		if mv.kind == CrashAfterSend {
			t.Fatalf("with persist-before-send on, %v is offered", mv)
		}
	}
}
