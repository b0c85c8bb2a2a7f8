package raft

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"raftplay/raft/chunk"
)

func validConfig() Config {
	return Config{ID: 2, Peers: ids(3), ElectionMin: 10, ElectionMax: 20, Heartbeat: 3, Rules: DefaultRules, Rand: rand.NewPCG(1, 2)}
}

func TestNewNodeRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Config)
		want string // the error message
	}{
		{"id zero", func(c *Config) { c.ID = 0 }, "raft: server id 0 out of range 1..9"},
		{"id negative", func(c *Config) { c.ID = -1 }, "raft: server id -1 out of range 1..9"},
		{"id too large", func(c *Config) { c.ID = 10 }, "raft: server id 10 out of range 1..9"},
		{"no peers", func(c *Config) { c.Peers = nil }, "raft: a cluster has 1..9 servers, got 0"},
		{"ten peers", func(c *Config) { c.Peers = []ID{1, 2, 3, 4, 5, 6, 7, 8, 9, 9} }, "raft: a cluster has 1..9 servers, got 10"},
		{"peers out of order", func(c *Config) { c.Peers = []ID{1, 3, 2} }, "raft: peers must be increasing ids in 1..9"},
		{"duplicate peer", func(c *Config) { c.Peers = []ID{1, 2, 2} }, "raft: peers must be increasing ids in 1..9"},
		{"peer zero", func(c *Config) { c.Peers = []ID{0, 2} }, "raft: peers must be increasing ids in 1..9"},
		{"peer too large", func(c *Config) { c.Peers = []ID{2, 10} }, "raft: peers must be increasing ids in 1..9"},
		{"self missing", func(c *Config) { c.Peers = []ID{1, 3} }, "raft: peers must include the node itself (S2)"},
		{"zero timeout", func(c *Config) { c.ElectionMin, c.ElectionMax = 0, 10 }, "raft: election timeout range must satisfy 1 <= min <= max"},
		{"inverted range", func(c *Config) { c.ElectionMin, c.ElectionMax = 10, 9 }, "raft: election timeout range must satisfy 1 <= min <= max"},
		{"zero heartbeat", func(c *Config) { c.Heartbeat = 0 }, "raft: heartbeat interval must be at least 1 tick"},
		{"no random source", func(c *Config) { c.Rand = nil }, "raft: a seeded random source is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.edit(&cfg)
			n, err := NewNode(cfg, HardState{}, nil)
			if err == nil || n != nil {
				t.Fatalf("NewNode = %v, %v; want nil and an error", n, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
		})
	}
}

func TestNewNodeAcceptsEdgeConfigs(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Config)
	}{
		{"single server", func(c *Config) { c.ID, c.Peers = 1, []ID{1} }},
		{"nine servers", func(c *Config) { c.ID, c.Peers = 9, ids(9) }},
		{"sparse ids", func(c *Config) { c.ID, c.Peers = 4, []ID{2, 4, 7} }},
		{"min = max = 1", func(c *Config) { c.ElectionMin, c.ElectionMax = 1, 1 }},
		{"heartbeat 1", func(c *Config) { c.Heartbeat = 1 }},
		{"no rules", func(c *Config) { c.Rules = 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := validConfig()
			tt.edit(&cfg)
			if _, err := NewNode(cfg, HardState{}, nil); err != nil {
				t.Errorf("NewNode: %v", err)
			}
		})
	}
}

// A durable log must be indexed 1, 2, 3, ... with terms that never go down
// and none newer than the stored term.
func TestNewNodeRejectsMalformedLogs(t *testing.T) {
	tests := []struct {
		name string
		term int
		log  []Entry
		at   int
	}{
		{"starts at index 0", 3, []Entry{{Index: 0, Term: 1}}, 1},
		{"starts at index 2", 3, []Entry{{Index: 2, Term: 1}}, 1},
		{"gap", 3, []Entry{{Index: 1, Term: 1}, {Index: 3, Term: 1}}, 2},
		{"repeated index", 3, []Entry{{Index: 1, Term: 1}, {Index: 1, Term: 1}}, 2},
		{"term zero", 3, []Entry{{Index: 1, Term: 0}}, 1},
		{"negative term", 3, []Entry{{Index: 1, Term: -1}}, 1},
		{"terms go down", 3, logOf(1, 2, 1), 3},
		{"term newer than the hard state", 2, logOf(1, 3), 2},
		{"entries but term zero", 0, logOf(1), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := NewNode(validConfig(), HardState{Term: tt.term}, tt.log)
			if err == nil || n != nil {
				t.Fatalf("NewNode accepted log %v with term %d", tt.log, tt.term)
			}
			if want := "raft: durable log is malformed at position " + strconv.Itoa(tt.at); err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
}

// The hard state must be possible too: a term in 0..MaxTerm and a vote for
// nobody or for a server of the cluster.
func TestNewNodeRejectsMalformedHardState(t *testing.T) {
	tests := []struct {
		hs   HardState
		want string // "" if accepted
	}{
		{HardState{Term: -1}, "raft: durable term -1 out of range 0..1099511627776"},
		{HardState{Term: MaxTerm + 1}, "raft: durable term 1099511627777 out of range 0..1099511627776"},
		{HardState{Term: 2, Vote: 12}, "raft: durable vote for 12, which is not a server of this cluster"},
		{HardState{Term: 2, Vote: -1}, "raft: durable vote for -1, which is not a server of this cluster"},
		{HardState{Term: 2, Vote: 7}, "raft: durable vote for 7, which is not a server of this cluster"},
		{HardState{Term: MaxTerm, Vote: 3}, ""},
		{HardState{Term: 2, Vote: 2}, ""},
	}
	for _, tt := range tests {
		n, err := NewNode(validConfig(), tt.hs, nil)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("NewNode(%+v): %v", tt.hs, err)
		case tt.want != "" && (err == nil || n != nil):
			t.Errorf("NewNode accepted hard state %+v", tt.hs)
		case tt.want != "" && err.Error() != tt.want:
			t.Errorf("NewNode(%+v) error %q, want %q", tt.hs, err, tt.want)
		}
	}
}

// A fresh node is a follower of term 0 with nothing; its first Ready says
// it started.
func TestNewNodeFirstBoot(t *testing.T) {
	n, err := NewNode(validConfig(), HardState{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, n, Follower, 0, None, None)
	if n.ID() != 2 || n.Commit() != 0 || n.Applied() != 0 || n.LastIndex() != 0 || n.LastTerm() != 0 || n.Now() != 0 {
		t.Errorf("fresh node: id=%v commit=%d applied=%d last=%d/%d now=%d", n.ID(), n.Commit(), n.Applied(), n.LastIndex(), n.LastTerm(), n.Now())
	}
	if !n.HasReady() {
		t.Fatalf("HasReady() = false, want the start-up event")
	}
	rd := n.Ready()
	want := Ready{
		HardState:  HardState{},
		TruncateTo: -1,
		Events:     []Event{{Kind: EvBecameFollower, Node: 2, Term: 0, Role: Follower, Reason: ReasonRestart}},
	}
	if !reflect.DeepEqual(rd, want) {
		t.Errorf("first Ready = %+v, want %+v", rd, want)
	}
	if start, deadline := n.ElectionTimer(); start != 0 || deadline < 10 || deadline > 20 {
		t.Errorf("ElectionTimer() = %d, %d; want 0 and 10..20", start, deadline)
	}
}

// NewNode restores term, vote and log from stable storage; everything
// volatile (role, leader, commitIndex, lastApplied) starts fresh (Figure 2).
func TestRestartRestoresDurableState(t *testing.T) {
	log := logOf(1, 1, 3, 5)
	n, err := NewNode(validConfig(), HardState{Term: 5, Vote: 3}, log)
	if err != nil {
		t.Fatal(err)
	}
	wantState(t, n, Follower, 5, 3, None)
	if n.LastIndex() != 4 || n.LastTerm() != 5 || !slices.Equal(n.Log(1, 4), log) {
		t.Errorf("log %v (last %d/%d), want %v", n.Log(1, 9), n.LastIndex(), n.LastTerm(), log)
	}
	if n.Commit() != 0 || n.Applied() != 0 {
		t.Errorf("commit=%d applied=%d after restart, want 0, 0", n.Commit(), n.Applied())
	}
	rd := n.Ready()
	if rd.HardStateChanged || rd.Entries != nil || rd.TruncateTo != -1 || rd.HardState != (HardState{Term: 5, Vote: 3}) {
		t.Errorf("restart asks to write %+v; the durable state is already on disk", rd)
	}
	// The restored vote binds: S2 voted for S3 in term 5.
	mustStep(t, n, Message{Type: MsgVote, From: 1, To: 2, Term: 5, LastIndex: 9, LastTerm: 5})
	wantEvent(t, drain(n).Events, Event{Kind: EvVoteDenied, Node: 2, Term: 5, Role: Follower, Peer: 1, Reason: ReasonAlreadyVoted, Voted: 3,
		CandIndex: 9, CandTerm: 5, OwnIndex: 4, OwnTerm: 5})
	mustStep(t, n, Message{Type: MsgVote, From: 3, To: 2, Term: 5, LastIndex: 4, LastTerm: 5})
	wantEvent(t, drain(n).Events, Event{Kind: EvVoteGranted, Node: 2, Term: 5, Role: Follower, Peer: 3, Reason: ReasonSameCandidate,
		CandIndex: 4, CandTerm: 5, OwnIndex: 4, OwnTerm: 5})
	// Commit is learnt again from the leader.
	mustStep(t, n, Message{Type: MsgApp, From: 3, To: 2, Term: 5, PrevIndex: 4, PrevTerm: 5, Commit: 4})
	rd = drain(n)
	if n.Commit() != 4 || !slices.Equal(rd.CommittedEntries, log) {
		t.Errorf("commit %d, applied %v; want 4 and the whole log", n.Commit(), rd.CommittedEntries)
	}
}

// With persist-vote off, a restarted server forgets whom it voted for, and
// can vote twice in one term: the unsafe behaviour the rule prevents.
func TestRestartWithPersistVoteOffForgetsTheVote(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run("persist-vote="+onOff(on), func(t *testing.T) {
			cfg := validConfig()
			cfg.Rules = DefaultRules.With(PersistVote, on)
			n, err := NewNode(cfg, HardState{Term: 5, Vote: 3}, nil)
			if err != nil {
				t.Fatal(err)
			}
			rd := drain(n)
			mustStep(t, n, Message{Type: MsgVote, From: 1, To: 2, Term: 5})
			granted := len(eventsOf(drain(n).Events, EvVoteGranted)) == 1
			if on {
				wantState(t, n, Follower, 5, 3, None)
				if rd.HardStateChanged || granted {
					t.Errorf("vote kept: hard state changed=%v, second vote granted=%v", rd.HardStateChanged, granted)
				}
				return
			}
			// The forgotten vote is itself a change to write.
			if !rd.HardStateChanged || rd.HardState != (HardState{Term: 5}) {
				t.Errorf("first Ready hard state %v changed=%v, want term=5 vote=none changed", rd.HardState, rd.HardStateChanged)
			}
			if !granted || n.Vote() != 1 {
				t.Errorf("second vote in term 5: granted=%v vote=%v, want granted to S1", granted, n.Vote())
			}
		})
	}
}

// A restarted server with no stored vote has nothing to forget.
func TestRestartWithPersistVoteOffAndNoVote(t *testing.T) {
	cfg := validConfig()
	cfg.Rules = DefaultRules.With(PersistVote, false)
	n, err := NewNode(cfg, HardState{Term: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rd := n.Ready(); rd.HardStateChanged {
		t.Errorf("hard state changed with no vote to forget")
	}
}

// Ready hands out each output once: after it, HasReady is false and a
// second Ready is empty.
func TestReadyDrains(t *testing.T) {
	n := newLeader(t, 1, ids(3))
	n.Propose("x")
	mustStep(t, n, Message{Type: MsgAppResp, From: 2, To: 1, Term: 1, Match: 1})
	if !n.HasReady() {
		t.Fatalf("HasReady() = false with output pending")
	}
	rd := drain(n)
	if len(rd.Messages) != 2 || len(rd.Entries) != 1 || len(rd.CommittedEntries) != 1 || len(rd.Events) == 0 {
		t.Fatalf("Ready = %+v", rd)
	}
	if n.HasReady() {
		t.Errorf("HasReady() = true after Ready")
	}
	if got := n.Ready(); !isEmptyReady(got) || got.HardState != (HardState{Term: 1, Vote: 1}) {
		t.Errorf("second Ready = %+v, want nothing to do", got)
	}
}

// HasReady is true for each kind of pending output.
func TestHasReady(t *testing.T) {
	n := newTestNode(t, 1, ids(3))
	if n.HasReady() {
		t.Fatalf("HasReady() = true on a drained node")
	}
	n.Tick() // nothing happens on an ordinary tick
	if n.HasReady() {
		t.Fatalf("HasReady() = true after a quiet tick")
	}
	n.Campaign()
	if !n.HasReady() {
		t.Fatalf("HasReady() = false after Campaign")
	}
	rd := n.Ready()
	if !rd.HardStateChanged || rd.HardState != (HardState{Term: 1, Vote: 1}) {
		t.Errorf("Ready hard state %v changed=%v", rd.HardState, rd.HardStateChanged)
	}
}

// The slices of a Ready are the node's to reuse after the next input
// (documented); drain copies them. This test pins that the entries, which
// share the log, stay valid even so: the log is never written in place.
func TestReadyEntriesSurviveLaterInputs(t *testing.T) {
	n := follower(t, 0, 1, 1, 1)
	mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 1, PrevTerm: 1, Entries: entriesOf(2, 2, 2)})
	rd := n.Ready()
	entries := rd.Entries
	truncated := eventsOf(rd.Events, EvTruncated)[0].Entries
	saved := slices.Clone(entries)
	savedT := slices.Clone(truncated)
	mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 3, PrevIndex: 1, PrevTerm: 1, Entries: entriesOf(2, 3)})
	n.Ready()
	if !slices.Equal(entries, saved) || !slices.Equal(truncated, savedT) {
		t.Errorf("a later truncation rewrote entries handed out before: %v %v, were %v %v", entries, truncated, saved, savedT)
	}
}

// Log clamps its bounds.
func TestLogBounds(t *testing.T) {
	n := newTestNode(t, 1, ids(3), withState(2, None, 1, 1, 2))
	tests := []struct {
		lo, hi int
		want   []int
	}{
		{1, 3, []int{1, 1, 2}},
		{0, 9, []int{1, 1, 2}},
		{-5, 1, []int{1}},
		{2, 2, []int{1}},
		{3, 3, []int{2}},
		{3, 2, nil},
		{4, 9, nil},
	}
	for _, tt := range tests {
		got := n.Log(tt.lo, tt.hi)
		if !slices.Equal(termsOf(got), tt.want) || (tt.want == nil) != (got == nil) {
			t.Errorf("Log(%d, %d) terms %v, want %v", tt.lo, tt.hi, termsOf(got), tt.want)
		}
	}
	// The slice is capped: appending to it cannot write into the log.
	got := n.Log(1, 2)
	_ = append(got, Entry{Index: 3, Term: 9})
	if n.Log(3, 3)[0].Term != 2 {
		t.Errorf("appending to Log's result changed the log")
	}
}

func TestProgressAndVotesOutsideTheirRoles(t *testing.T) {
	f := newTestNode(t, 1, ids(3))
	if next, match := f.Progress(2); next != 0 || match != 0 {
		t.Errorf("follower Progress = %d, %d; want 0, 0", next, match)
	}
	if f.Votes() != nil {
		t.Errorf("follower Votes() = %v", f.Votes())
	}
	l := newLeader(t, 1, ids(3))
	for _, p := range []ID{0, -1, 10} {
		if next, match := l.Progress(p); next != 0 || match != 0 {
			t.Errorf("Progress(%d) = %d, %d; want 0, 0", p, next, match)
		}
	}
}

// SetElectionTimer makes the timer fire d ticks from now (at least 1).
func TestSetElectionTimer(t *testing.T) {
	tests := []struct {
		d, want int
	}{
		{1, 1}, {3, 3}, {25, 25}, {0, 1}, {-4, 1},
	}
	for _, tt := range tests {
		n := newTestNode(t, 1, ids(3), withTimeouts(10, 20))
		n.Advance(2)
		n.SetElectionTimer(tt.d)
		if start, deadline := n.ElectionTimer(); start != 2 || deadline != 2+tt.want {
			t.Errorf("SetElectionTimer(%d): ElectionTimer() = %d, %d; want 2, %d", tt.d, start, deadline, 2+tt.want)
		}
		if got := n.UntilTimer(); got != tt.want {
			t.Errorf("SetElectionTimer(%d): UntilTimer() = %d, want %d", tt.d, got, tt.want)
		}
		if got, _ := ticksUntil(n, EvTimeout, 100); got != tt.want {
			t.Errorf("SetElectionTimer(%d): fired after %d ticks", tt.d, got)
		}
	}
	// A leader has no election timer to set.
	l := newLeader(t, 1, ids(3))
	l.SetElectionTimer(1)
	l.Advance(50)
	if l.Role() != Leader {
		t.Errorf("SetElectionTimer on a leader made it %v", l.Role())
	}
}

// Clone is an independent copy: what happens to one does not happen to the
// other, and both continue as the original would have (same random draws).
func TestCloneIsIndependent(t *testing.T) {
	orig := newLeader(t, 1, ids(3), withState(1, None, 1), withTimeouts(10, 30))
	orig.Propose("w")
	orig.Propose("x") // leave output pending: the clone gets its own copy
	c := orig.Clone()

	rdO, rdC := drain(orig), drain(c)
	if !sameReady(rdO, rdC) {
		t.Fatalf("pending output differs:\norig  %+v\nclone %+v", rdO, rdC)
	}
	if orig.HasReady() || c.HasReady() {
		t.Fatalf("draining one drained the other only")
	}

	// Diverge: the clone appends y at index 4; the original, z (both in
	// the chunk they shared).
	c.Propose("y")
	orig.Propose("z")
	if got := orig.Log(4, 4)[0].Cmd; got != "z" {
		t.Errorf("original's entry 4 is %q, want z", got)
	}
	if got := c.Log(4, 4)[0].Cmd; got != "y" {
		t.Errorf("clone's entry 4 is %q, want y", got)
	}
	// The clone steps down; the original does not.
	mustStep(t, c, Message{Type: MsgApp, From: 2, To: 1, Term: 7})
	if orig.Role() != Leader || orig.Term() != 2 || c.Role() != Follower || c.Term() != 7 {
		t.Errorf("orig %v/%d, clone %v/%d", orig.Role(), orig.Term(), c.Role(), c.Term())
	}
	if next, _ := orig.Progress(2); next != 2 {
		t.Errorf("original progress changed: next %d", next)
	}

	// Random draws continue identically in both, and independently: draws
	// made by one do not use up the other's.
	a := newTestNode(t, 2, ids(3), withTimeouts(10, 30), withSeed(3))
	b := a.Clone()
	draws := func(n *Node) []int {
		var out []int
		for range 8 {
			n.Campaign()
			_, deadline := n.ElectionTimer()
			out = append(out, deadline-n.Now())
		}
		return out
	}
	da := draws(a)
	db := draws(b)
	if !slices.Equal(da, db) {
		t.Errorf("original drew %v, clone %v", da, db)
	}
	if slices.Equal(da[:4], da[4:]) {
		t.Errorf("draws %v do not vary; the check above proves nothing", da)
	}
}

// Advance(d) is exactly d calls to Tick: same messages, events, timers.
// (One exception, by design: a timer already due, UntilTimer() == 0, fires
// on Advance(0) but not on zero ticks; see TestDueTimer.)
func TestAdvanceEqualsRepeatedTicks(t *testing.T) {
	setups := []struct {
		name string
		n    func(t *testing.T) *Node
	}{
		{"follower, randomized timeouts", func(t *testing.T) *Node {
			return newTestNode(t, 1, ids(5), withTimeouts(5, 17), withSeed(9))
		}},
		{"candidate", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(5), withTimeouts(5, 17))
			n.Campaign()
			return n
		}},
		{"leader", func(t *testing.T) *Node {
			return newLeader(t, 1, ids(3), withHeartbeat(4))
		}},
		{"leader with check-quorum", func(t *testing.T) *Node {
			return newLeader(t, 1, ids(3), withHeartbeat(4), withTimeouts(7, 13), withRule(CheckQuorum, true))
		}},
		{"leader, check-quorum switched on later", func(t *testing.T) *Node {
			n := newLeader(t, 1, ids(3), withHeartbeat(3), withTimeouts(7, 13))
			n.Advance(20)
			n.SetRules(n.Rules().With(CheckQuorum, true))
			return n
		}},
		{"prevote", func(t *testing.T) *Node {
			return newTestNode(t, 1, ids(3), withTimeouts(4, 9), withRule(PreVote, true))
		}},
		{"single server", func(t *testing.T) *Node {
			return newTestNode(t, 1, []ID{1}, withTimeouts(3, 5))
		}},
		{"timer set by hand", func(t *testing.T) *Node {
			n := newTestNode(t, 1, ids(3))
			n.SetElectionTimer(2)
			return n
		}},
	}
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			for _, d := range []int{0, 1, 2, 3, 4, 5, 7, 11, 16, 29, 64, 101} {
				a := s.n(t)
				drain(a)
				start := a.Now()
				if d == 0 && a.UntilTimer() == 0 {
					continue
				}
				b := a.Clone()
				a.Advance(d)
				for range d {
					b.Tick()
				}
				ra, rb := drain(a), drain(b)
				if !sameReady(ra, rb) {
					t.Fatalf("d=%d:\nAdvance: events\n%smessages\n%s\nTicks: events\n%smessages\n%s",
						d, fmtEvents(ra.Events), fmtMsgs(ra.Messages), fmtEvents(rb.Events), fmtMsgs(rb.Messages))
				}
				if a.Now() != b.Now() || a.Now() != start+d {
					t.Errorf("d=%d: Now() = %d and %d", d, a.Now(), b.Now())
				}
				sa1, sa2 := a.ElectionTimer()
				sb1, sb2 := b.ElectionTimer()
				if a.Role() != b.Role() || a.Term() != b.Term() || sa1 != sb1 || sa2 != sb2 || a.UntilTimer() != b.UntilTimer() {
					t.Errorf("d=%d: %v/%d timer %d..%d until %d vs %v/%d timer %d..%d until %d", d,
						a.Role(), a.Term(), sa1, sa2, a.UntilTimer(), b.Role(), b.Term(), sb1, sb2, b.UntilTimer())
				}
			}
		})
	}
}

// Sync(d) is Advance(d) except that a timer due exactly at the end stays
// due, so that a driver can act first; Advance(0) or the next Tick then
// fires it at that instant.
func TestSync(t *testing.T) {
	t.Run("timer due at the end stays due", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3))
		n.Sync(testElection)
		if n.Now() != testElection || n.UntilTimer() != 0 || n.Role() != Follower || n.HasReady() {
			t.Fatalf("after Sync: now=%d until=%d role=%v ready=%v", n.Now(), n.UntilTimer(), n.Role(), n.HasReady())
		}
		n.Advance(0)
		rd := drain(n)
		wantKinds(t, rd.Events, EvTimeout, EvBecameCandidate)
		if n.Now() != testElection || n.Term() != 1 || n.UntilTimer() != testElection {
			t.Errorf("after Advance(0): now=%d term=%d until=%d", n.Now(), n.Term(), n.UntilTimer())
		}
	})
	t.Run("the next tick fires it at the instant it was due", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3))
		n.Sync(testElection)
		n.Tick()
		if n.Now() != testElection+1 || n.Role() != Candidate {
			t.Fatalf("now=%d role=%v", n.Now(), n.Role())
		}
		if start, deadline := n.ElectionTimer(); start != testElection || deadline != 2*testElection {
			t.Errorf("the election started at %d (timer %d..%d), want at %d", start, start, deadline, testElection)
		}
	})
	t.Run("an input in between can replace the due timer", func(t *testing.T) {
		n := newTestNode(t, 1, ids(3))
		n.Sync(testElection)
		mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: 1})
		drain(n)
		n.Advance(0)
		if n.Role() != Follower || n.HasReady() || n.UntilTimer() != testElection {
			t.Errorf("the heartbeat did not replace the due timer: role %v, until %d", n.Role(), n.UntilTimer())
		}
	})
	t.Run("timers due before the end fire", func(t *testing.T) {
		n := newLeader(t, 1, ids(3), withHeartbeat(3))
		n.Sync(6)
		rd := drain(n)
		if len(rd.Messages) != 2 || n.UntilTimer() != 0 {
			t.Errorf("Sync(6) with heartbeats every 3: %d messages, until %d; want one round and one due", len(rd.Messages), n.UntilTimer())
		}
		n.Advance(0)
		if rd := drain(n); len(rd.Messages) != 2 || n.UntilTimer() != 3 {
			t.Errorf("Advance(0): %d messages, until %d; want the due round and 3", len(rd.Messages), n.UntilTimer())
		}
	})
	t.Run("shorter than the timer, same as Advance", func(t *testing.T) {
		a := newTestNode(t, 1, ids(3), withTimeouts(10, 20))
		b := a.Clone()
		a.Sync(7)
		b.Advance(7)
		if a.Now() != b.Now() || a.UntilTimer() != b.UntilTimer() || a.HasReady() || b.HasReady() {
			t.Errorf("Sync(7): now %d until %d; Advance(7): now %d until %d", a.Now(), a.UntilTimer(), b.Now(), b.UntilTimer())
		}
	})
}

// A timer can be overdue without Sync: check-quorum switched on while a
// node leads finds its round already due. Advance(0) fires it.
func TestDueTimer(t *testing.T) {
	n := newLeader(t, 1, ids(3), withHeartbeat(3))
	n.Advance(2 * testElection)
	drain(n)
	n.SetRules(n.Rules().With(CheckQuorum, true))
	if got := n.UntilTimer(); got != 0 {
		t.Fatalf("UntilTimer() = %d, want 0", got)
	}
	n.Advance(0)
	wantEvent(t, drain(n).Events, Event{Kind: EvBecameFollower, Node: 1, Term: 1, Role: Follower, Reason: ReasonQuorumLost})
	if n.Now() != 2*testElection {
		t.Errorf("Advance(0) moved the clock to %d", n.Now())
	}
}

// Advance with a non-positive duration does nothing.
func TestAdvanceNonPositive(t *testing.T) {
	n := newTestNode(t, 1, ids(3))
	n.Advance(0)
	n.Advance(-5)
	if n.Now() != 0 || n.HasReady() {
		t.Errorf("Advance(<=0) moved time to %d or produced output", n.Now())
	}
}

// UntilTimer is the number of ticks to the next thing a timer does.
func TestUntilTimer(t *testing.T) {
	n := newTestNode(t, 1, ids(3))
	for i := range testElection {
		if got := n.UntilTimer(); got != testElection-i {
			t.Fatalf("after %d ticks UntilTimer() = %d, want %d", i, got, testElection-i)
		}
		n.Tick()
	}
	if n.Role() != Candidate || n.UntilTimer() != testElection {
		t.Errorf("after the timeout: role %v, UntilTimer %d", n.Role(), n.UntilTimer())
	}
	l := newLeader(t, 1, ids(3), withHeartbeat(5), withTimeouts(3, 3), withRule(CheckQuorum, true))
	if got := l.UntilTimer(); got != 3 {
		t.Errorf("leader with check-quorum: UntilTimer() = %d, want 3 (check-quorum's deadline comes first)", got)
	}
	l.SetRules(l.Rules().With(CheckQuorum, false))
	if got := l.UntilTimer(); got != 5 {
		t.Errorf("leader: UntilTimer() = %d, want 5 (the heartbeat)", got)
	}
}

// Restart shares the durable log it is given (a restart copies no entry,
// whatever the log's length) but never changes it: appends, truncations
// and overwrites leave the caller's log as it was, and the node's first
// entries sit in the caller's chunk.
func TestRestartSharesButNeverChangesTheDurableLog(t *testing.T) {
	owner := chunk.Of(logOf(1, 1, 2))
	durable := owner.View()
	want := durable.Slice(0, 3)
	want = append([]Entry(nil), want...)
	s := newSetup(1, ids(3), withState(2, None))
	n, err := Restart(s.cfg, s.hs, durable)
	if err != nil {
		t.Fatal(err)
	}
	n.Ready()
	if got, d := n.Log(1, 3), durable.Slice(0, 3); &got[0] != &d[0] {
		t.Errorf("the durable log was copied, not shared")
	}
	// The leader of term 2 appends index 4; then a leader of term 3
	// overwrites index 3 and appends two more.
	mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: 2, PrevIndex: 3, PrevTerm: 2, Entries: entriesOf(4, 2)})
	n.Ready()
	wantLog(t, n, 1, 1, 2, 2)
	mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: 3, PrevIndex: 2, PrevTerm: 1, Entries: entriesOf(3, 3, 3, 3)})
	n.Ready()
	wantLog(t, n, 1, 1, 3, 3, 3)
	// The owner goes on appending where the node appended first.
	owner.Append(Entry{Index: 4, Term: 2, Cmd: "mine"})
	for _, l := range []Log{durable, owner} {
		for i := range want {
			if l.At(i) != want[i] {
				t.Errorf("entry %d of the caller's log changed: %v, was %v", i+1, l.At(i), want[i])
			}
		}
	}
	if durable.Len() != 3 || owner.Len() != 4 || owner.At(3).Cmd != "mine" {
		t.Errorf("the caller's logs: %d entries and %d, last %v", durable.Len(), owner.Len(), owner.At(owner.Len()-1))
	}
	wantLog(t, n, 1, 1, 3, 3, 3)
}
