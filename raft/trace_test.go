package raft

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// tracer runs a small cluster and writes down, in order, every input, every
// message and every event, in their String forms.
type tracer struct {
	t     *testing.T
	nodes map[ID]*Node
	queue []Message
	drop  func(Message) bool
	b     strings.Builder
}

func (tr *tracer) say(format string) { tr.b.WriteString("\n# " + format + "\n") }

// collect writes down what node id produced and queues its messages.
func (tr *tracer) collect(id ID) {
	rd := drain(tr.nodes[id])
	if rd.HardStateChanged {
		tr.b.WriteString("  " + id.String() + " persist " + rd.HardState.String() + "\n")
	}
	for _, e := range rd.Entries {
		tr.b.WriteString("  " + id.String() + " persist " + e.String() + "\n")
	}
	for _, e := range rd.Events {
		tr.b.WriteString("  " + e.String() + "\n")
	}
	for _, m := range rd.Messages {
		tr.b.WriteString("  send " + m.String() + "\n")
		tr.queue = append(tr.queue, m)
	}
}

func (tr *tracer) collectAll() {
	for _, id := range ids(len(tr.nodes)) {
		tr.collect(id)
	}
}

func (tr *tracer) deliver() {
	tr.collectAll()
	for len(tr.queue) > 0 {
		m := tr.queue[0]
		tr.queue = tr.queue[1:]
		if tr.drop != nil && tr.drop(m) {
			tr.b.WriteString("drop " + m.String() + "\n")
			continue
		}
		tr.b.WriteString("recv " + m.String() + "\n")
		mustStep(tr.t, tr.nodes[m.To], m)
		tr.collect(m.To)
	}
}

// TestGoldenTrace runs a three-server cluster through an election,
// replication, a lost follower catching up and a change of leader, and
// compares the full trace with testdata/trace.golden. Run with -update to
// rewrite it after a deliberate change, and read the diff.
func TestGoldenTrace(t *testing.T) {
	tr := &tracer{t: t, nodes: map[ID]*Node{}}
	for _, id := range ids(3) {
		tr.nodes[id] = newTestNode(t, id, ids(3), withRule(LeaderNoop, true))
	}
	s1, s2 := tr.nodes[1], tr.nodes[2]

	tr.say("S1 campaigns and wins term 1; its noop commits")
	s1.Campaign()
	tr.deliver()
	s1.Advance(testHeartbeat)
	tr.deliver()

	tr.say("S3 is cut off; S1 commits x with S2 alone")
	tr.drop = func(m Message) bool { return m.From == 3 || m.To == 3 }
	if _, err := s1.Propose("x"); err != nil {
		t.Fatal(err)
	}
	tr.deliver()
	s1.Advance(testHeartbeat)
	tr.deliver()

	tr.say("S3 is back: the next heartbeat brings it up to date")
	tr.drop = nil
	s1.Advance(testHeartbeat)
	tr.deliver()

	tr.say("S2 campaigns for term 2 and wins; S1 steps down")
	s2.Campaign()
	tr.deliver()

	tr.say("a proposal to the old leader is refused")
	if _, err := s1.Propose("late"); err == nil {
		t.Fatal("S1 accepted a proposal after stepping down")
	}
	tr.collect(1)

	tr.say("S2 commits y")
	s2.Propose("y")
	tr.deliver()
	s2.Advance(testHeartbeat)
	tr.deliver()

	for _, id := range ids(3) {
		if n := tr.nodes[id]; n.Commit() != 4 || n.LastIndex() != 4 {
			t.Errorf("%v: commit %d last %d, want 4 and 4", id, n.Commit(), n.LastIndex())
		}
	}

	got := tr.b.String()
	path := filepath.Join("testdata", "trace.golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("trace differs from %s at line %d:\ngot  %s\nwant %s\n(run with -update to accept the new trace)", path, i+1, g, w)
			}
		}
	}
}
