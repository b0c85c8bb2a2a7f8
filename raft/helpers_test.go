package raft

// Helpers shared by the engine's tests: building nodes in a known state,
// draining and filtering Ready, and comparing messages and events exactly.

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Test timings. Unless a test says otherwise, the election timeout range is
// a single value, so timers are exact whatever the rules.
const (
	testElection  = 10
	testHeartbeat = 3
)

// nodeSetup is everything newTestNode needs; options edit it.
type nodeSetup struct {
	cfg  Config
	hs   HardState
	log  []Entry
	seed uint64
}

type nodeOpt func(*nodeSetup)

// withRules sets the whole rule set.
func withRules(r Rules) nodeOpt { return func(s *nodeSetup) { s.cfg.Rules = r } }

// withRule switches one rule on or off on top of the rules so far.
func withRule(r Rule, on bool) nodeOpt {
	return func(s *nodeSetup) { s.cfg.Rules = s.cfg.Rules.With(r, on) }
}

// withTimeouts sets the election timeout range.
func withTimeouts(lo, hi int) nodeOpt {
	return func(s *nodeSetup) { s.cfg.ElectionMin, s.cfg.ElectionMax = lo, hi }
}

func withHeartbeat(h int) nodeOpt { return func(s *nodeSetup) { s.cfg.Heartbeat = h } }

func withMaxEntries(k int) nodeOpt { return func(s *nodeSetup) { s.cfg.MaxEntries = k } }

func withSeed(seed uint64) nodeOpt { return func(s *nodeSetup) { s.seed = seed } }

// withState restarts the node from durable state: term, vote and a log
// whose entries have the given terms (see logOf).
func withState(term int, vote ID, logTerms ...int) nodeOpt {
	return func(s *nodeSetup) {
		s.hs = HardState{Term: term, Vote: vote}
		s.log = logOf(logTerms...)
	}
}

// ids returns the cluster S1..Sk.
func ids(k int) []ID {
	out := make([]ID, k)
	for i := range out {
		out[i] = ID(i + 1)
	}
	return out
}

// logOf builds a log whose entry i+1 has term terms[i] and command "c<i+1>".
func logOf(terms ...int) []Entry {
	if len(terms) == 0 {
		return nil
	}
	es := make([]Entry, len(terms))
	for i, t := range terms {
		es[i] = Entry{Index: i + 1, Term: t, Cmd: fmt.Sprintf("c%d", i+1)}
	}
	return es
}

// entriesOf returns entries first, first+1, ... with the given terms and the
// commands logOf would give them, as a leader with that log would send them.
func entriesOf(first int, terms ...int) []Entry {
	es := make([]Entry, len(terms))
	for i, t := range terms {
		es[i] = Entry{Index: first + i, Term: t, Cmd: fmt.Sprintf("c%d", first+i)}
	}
	return es
}

// termsOf lists the terms of a log, for compact comparisons.
func termsOf(es []Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Term
	}
	return out
}

func newSetup(id ID, peers []ID, opts ...nodeOpt) nodeSetup {
	s := nodeSetup{
		cfg: Config{
			ID:          id,
			Peers:       peers,
			ElectionMin: testElection,
			ElectionMax: testElection,
			Heartbeat:   testHeartbeat,
			Rules:       DefaultRules,
		},
		seed: 1,
	}
	for _, o := range opts {
		o(&s)
	}
	s.cfg.Rand = rand.NewPCG(s.seed, uint64(id))
	return s
}

// newTestNode builds a node and drains its start-up Ready, so that the test
// sees only what its own inputs produce.
func newTestNode(t testing.TB, id ID, peers []ID, opts ...nodeOpt) *Node {
	t.Helper()
	s := newSetup(id, peers, opts...)
	n, err := NewNode(s.cfg, s.hs, s.log)
	if err != nil {
		t.Fatalf("NewNode: %v", err)
	}
	n.Ready()
	return n
}

// newLeader builds node id and makes it leader of the term after its durable
// one, with votes from the lowest-numbered other peers. Ready is drained.
func newLeader(t testing.TB, id ID, peers []ID, opts ...nodeOpt) *Node {
	t.Helper()
	n := newTestNode(t, id, peers, opts...)
	n.Campaign()
	for _, p := range peers {
		if n.Role() == Leader {
			break
		}
		if p != id {
			mustStep(t, n, Message{Type: MsgVoteResp, From: p, To: id, Term: n.Term()})
		}
	}
	if n.Role() != Leader {
		t.Fatalf("%v did not become leader: role %v", id, n.Role())
	}
	n.Ready()
	return n
}

// mustStep steps m and fails the test on an error.
func mustStep(t testing.TB, n *Node, m Message) {
	t.Helper()
	if err := n.Step(m); err != nil {
		t.Fatalf("Step(%v): %v", m, err)
	}
}

// drain takes the node's Ready and copies the slices that the node reuses,
// so that the result stays valid after further inputs.
func drain(n *Node) Ready {
	rd := n.Ready()
	rd.Messages = slices.Clone(rd.Messages)
	rd.Events = slices.Clone(rd.Events)
	return rd
}

// sameReady compares two Readys field by field, taking a nil slice and an
// empty one to be the same.
func sameReady(a, b Ready) bool {
	deep := func(x, y any) bool { return reflect.DeepEqual(x, y) }
	return a.HardState == b.HardState && a.HardStateChanged == b.HardStateChanged &&
		a.TruncateTo == b.TruncateTo &&
		slices.Equal(a.Entries, b.Entries) &&
		slices.Equal(a.CommittedEntries, b.CommittedEntries) &&
		slices.EqualFunc(a.Messages, b.Messages, func(x, y Message) bool { return deep(x, y) }) &&
		slices.EqualFunc(a.Events, b.Events, func(x, y Event) bool { return deep(x, y) })
}

// isEmptyReady reports whether rd carries nothing to do.
func isEmptyReady(rd Ready) bool {
	return !rd.HardStateChanged && rd.TruncateTo == -1 && len(rd.Entries) == 0 &&
		len(rd.Messages) == 0 && len(rd.CommittedEntries) == 0 && len(rd.Events) == 0
}

// eventsOf returns the events of the given kind, in order.
func eventsOf(evs []Event, kind EventKind) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// kindsOf lists the kinds of evs.
func kindsOf(evs []Event) []EventKind {
	out := make([]EventKind, len(evs))
	for i, e := range evs {
		out[i] = e.Kind
	}
	return out
}

// msgsOf returns the messages of the given type, in order.
func msgsOf(ms []Message, typ MsgType) []Message {
	var out []Message
	for _, m := range ms {
		if m.Type == typ {
			out = append(out, m)
		}
	}
	return out
}

// plainMessage and plainEvent print every field with %+v, where Message and
// Event would print their compact String form.
type (
	plainMessage Message
	plainEvent   Event
)

func fmtMsgs(ms []Message) string {
	if len(ms) == 0 {
		return "  (none)\n"
	}
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "  %v\n    %+v\n", m, plainMessage(m))
	}
	return b.String()
}

func fmtEvents(evs []Event) string {
	if len(evs) == 0 {
		return "  (none)\n"
	}
	var b strings.Builder
	for _, e := range evs {
		fmt.Fprintf(&b, "  %v\n", e)
	}
	return b.String()
}

// wantMsgs checks that got is exactly want, field by field and in order.
func wantMsgs(t testing.TB, got []Message, want ...Message) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("messages:\ngot:\n%swant:\n%s", fmtMsgs(got), fmtMsgs(want))
	}
}

// wantEvent checks that evs holds an event equal to want in every field.
func wantEvent(t testing.TB, evs []Event, want Event) {
	t.Helper()
	for _, e := range evs {
		if reflect.DeepEqual(e, want) {
			return
		}
	}
	t.Errorf("missing event %v\n  %+v\namong:\n%s", want, plainEvent(want), fmtEvents(evs))
}

// wantNoEvent checks that evs holds no event of the given kind.
func wantNoEvent(t testing.TB, evs []Event, kind EventKind) {
	t.Helper()
	if got := eventsOf(evs, kind); len(got) > 0 {
		t.Errorf("unexpected %v events:\n%s", kind, fmtEvents(got))
	}
}

// wantKinds checks the exact sequence of event kinds.
func wantKinds(t testing.TB, evs []Event, want ...EventKind) {
	t.Helper()
	if got := kindsOf(evs); !slices.Equal(got, want) {
		t.Errorf("event kinds = %v, want %v; events:\n%s", got, want, fmtEvents(evs))
	}
}

// wantState checks role, term, vote and known leader.
func wantState(t testing.TB, n *Node, role Role, term int, vote, leader ID) {
	t.Helper()
	if n.Role() != role || n.Term() != term || n.Vote() != vote || n.Leader() != leader {
		t.Errorf("%v: role=%v term=%d vote=%v leader=%v, want role=%v term=%d vote=%v leader=%v",
			n.ID(), n.Role(), n.Term(), n.Vote(), n.Leader(), role, term, vote, leader)
	}
}

// wantLog checks the terms of the node's whole log.
func wantLog(t testing.TB, n *Node, terms ...int) {
	t.Helper()
	if got := termsOf(n.Log(1, n.LastIndex())); !slices.Equal(got, terms) {
		t.Errorf("%v log terms = %v, want %v", n.ID(), got, terms)
	}
}

// ticksUntil ticks n one tick at a time until an event of the given kind
// appears (at most limit ticks) and returns how many ticks it took, or -1.
// Ready is drained on the way; the Ready with the event is returned.
func ticksUntil(n *Node, kind EventKind, limit int) (int, Ready) {
	for i := 1; i <= limit; i++ {
		n.Tick()
		rd := drain(n)
		if len(eventsOf(rd.Events, kind)) > 0 {
			return i, rd
		}
	}
	return -1, Ready{}
}

// cluster is a tiny in-memory network for the few tests that need several
// nodes talking. Messages are delivered in the order they were sent.
type cluster struct {
	t     testing.TB
	nodes map[ID]*Node
	queue []Message
	drop  func(Message) bool // nil: deliver everything
}

func newCluster(t testing.TB, k int, opts ...nodeOpt) *cluster {
	c := &cluster{t: t, nodes: map[ID]*Node{}}
	for _, id := range ids(k) {
		c.nodes[id] = newTestNode(t, id, ids(k), opts...)
	}
	return c
}

// collect moves every node's outgoing messages to the queue.
func (c *cluster) collect() {
	for _, id := range ids(len(c.nodes)) {
		c.queue = append(c.queue, drain(c.nodes[id]).Messages...)
	}
}

// deliver runs the network until it is quiet (or a step limit is hit).
func (c *cluster) deliver() {
	c.t.Helper()
	c.collect()
	for steps := 0; len(c.queue) > 0; steps++ {
		if steps > 10000 {
			c.t.Fatalf("network did not settle")
		}
		m := c.queue[0]
		c.queue = c.queue[1:]
		if c.drop != nil && c.drop(m) {
			continue
		}
		mustStep(c.t, c.nodes[m.To], m)
		c.queue = append(c.queue, drain(c.nodes[m.To]).Messages...)
	}
}
