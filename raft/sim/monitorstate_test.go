package sim

import (
	"bytes"
	"testing"

	"raftplay/raft"
)

// shortRun feeds a monitor of three servers what a short run did: S1 led
// term 1, appended x and y, had them on S2, committed and applied them;
// S3 holds x only. It returns the servers' logs.
func shortRun(m *Monitor) map[raft.ID][]raft.Entry {
	x := raft.Entry{Index: 1, Term: 1, Cmd: "x"}
	y := raft.Entry{Index: 2, Term: 1, Cmd: "y"}
	evs := []raft.Event{
		{Kind: raft.EvBecameLeader, Node: 1, Term: 1},
		{Kind: raft.EvAppended, Node: 1, Term: 1, Entries: []raft.Entry{x}},
		{Kind: raft.EvAppended, Node: 1, Term: 1, Entries: []raft.Entry{y}},
		{Kind: raft.EvAppended, Node: 2, Term: 1, Entries: []raft.Entry{x, y}},
		{Kind: raft.EvAppended, Node: 3, Term: 1, Entries: []raft.Entry{x}},
		{Kind: raft.EvCommitted, Node: 1, Term: 1, Index: 1, Last: 2},
		{Kind: raft.EvApplied, Node: 1, Term: 1, Index: 1, Last: 2, Entries: []raft.Entry{x, y}},
	}
	for i := range evs {
		m.Observe(&evs[i], nil)
	}
	return map[raft.ID][]raft.Entry{1: {x, y}, 2: {x, y}, 3: {x}}
}

// reloaded makes a monitor from m's history and the servers' logs, as the
// explorer does with a state it takes up again: S1 still leads term 1,
// with commitIndex 2.
func reloaded(t *testing.T, m *Monitor, logs map[raft.ID][]raft.Entry) *Monitor {
	t.Helper()
	enc := m.AppendHistory(nil, nil)
	r := NewMonitor(3)
	rest, err := r.LoadHistory(append(enc, 0xee))
	if err != nil || !bytes.Equal(rest, []byte{0xee}) {
		t.Fatalf("LoadHistory(%x): %v, rest %x", enc, err, rest)
	}
	if got := r.AppendHistory(nil, nil); !bytes.Equal(got, enc) {
		t.Fatalf("loaded %x, which encodes as %x", enc, got)
	}
	for id, log := range logs {
		commit, leads := 0, 0
		if id == 1 {
			commit, leads = 2, 1
		}
		r.Resume(id, log, commit, leads)
	}
	return r
}

// A monitor rebuilt from its history and the servers' present judges what
// comes next as the original does: each invariant that depends on the past
// is found broken by both, or by neither.
func TestMonitorHistoryReloads(t *testing.T) {
	z := raft.Entry{Index: 2, Term: 2, Cmd: "z"}
	cases := []struct {
		name string
		evs  []raft.Event
		want Invariant
	}{
		{"a second leader of term 1", []raft.Event{{Kind: raft.EvBecameLeader, Node: 2, Term: 1}}, ElectionSafety},
		{"a leader lacking y", []raft.Event{{Kind: raft.EvBecameLeader, Node: 3, Term: 2}}, LeaderCompleteness},
		{"z applied where y was", []raft.Event{{Kind: raft.EvApplied, Node: 3, Term: 2, Index: 2, Last: 2, Entries: []raft.Entry{z}}}, StateMachineSafety},
		{"z where S1 and S2 have y, at term 1", []raft.Event{{Kind: raft.EvAppended, Node: 3, Term: 1, Entries: []raft.Entry{{Index: 2, Term: 1, Cmd: "z"}}}}, LogMatching},
		{"S1 overwrites its own y", []raft.Event{{Kind: raft.EvTruncated, Node: 1, Term: 1, Role: raft.Leader, Index: 2}}, LeaderAppendOnly},
		{"S1's commit goes back", []raft.Event{{Kind: raft.EvCommitted, Node: 1, Term: 1, Index: 2, Last: 1}}, CommitMonotonic},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			orig := NewMonitor(3)
			logs := shortRun(orig)
			again := reloaded(t, orig, logs)
			for _, m := range []*Monitor{orig, again} {
				for i := range c.evs {
					m.Observe(&c.evs[i], nil)
				}
				if m.Count(c.want) == 0 || len(m.Violations()) != m.Count(c.want) {
					t.Errorf("%s found %v", c.want, m.Violations())
				}
			}
		})
	}
	// A leader of a later term elected before an entry commits must hold
	// it: a rebuilt monitor knows who leads from Resume. Here S1 has
	// committed x only, and S3, holding x, leads term 3; then S2 learns
	// that y is committed.
	x := raft.Entry{Index: 1, Term: 1, Cmd: "x"}
	y := raft.Entry{Index: 2, Term: 1, Cmd: "y"}
	orig := NewMonitor(3)
	for _, ev := range []raft.Event{
		{Kind: raft.EvBecameLeader, Node: 1, Term: 1},
		{Kind: raft.EvAppended, Node: 1, Term: 1, Entries: []raft.Entry{x, y}},
		{Kind: raft.EvAppended, Node: 2, Term: 1, Entries: []raft.Entry{x, y}},
		{Kind: raft.EvAppended, Node: 3, Term: 1, Entries: []raft.Entry{x}},
		{Kind: raft.EvCommitted, Node: 1, Term: 1, Index: 1, Last: 1},
		{Kind: raft.EvBecameFollower, Node: 1, Term: 3},
		{Kind: raft.EvBecameLeader, Node: 3, Term: 3},
	} {
		orig.Observe(&ev, nil)
	}
	again := NewMonitor(3)
	if _, err := again.LoadHistory(orig.AppendHistory(nil, nil)); err != nil {
		t.Fatal(err)
	}
	again.Resume(1, []raft.Entry{x, y}, 1, 0)
	again.Resume(2, []raft.Entry{x, y}, 0, 0)
	again.Resume(3, []raft.Entry{x}, 0, 3)
	for _, m := range []*Monitor{orig, again} {
		if !m.Safe() {
			t.Fatalf("unsafe before the commit: %v", m.Violations())
		}
		m.Observe(&raft.Event{Kind: raft.EvCommitted, Node: 2, Term: 1, Index: 1, Last: 2}, nil)
		if m.Count(LeaderCompleteness) != 1 {
			t.Errorf("S3, leader of term 3, lacks y committed in term 1: found %v", m.Violations())
		}
	}
}

// Under a renaming, only the leaders' names change.
func TestMonitorHistoryRenamed(t *testing.T) {
	m := NewMonitor(3)
	shortRun(m)
	swap := &raft.Renaming{0, 2, 1, 3}
	a, b := m.AppendHistory(nil, swap), m.AppendHistory(nil, nil)
	if bytes.Equal(a, b) {
		t.Fatal("S1's term reads the same with S1 named S2")
	}
	m.leaders[1] = 2
	if b := m.AppendHistory(nil, nil); !bytes.Equal(a, b) {
		t.Fatalf("renamed %x, with S2 as leader %x", a, b)
	}
}
