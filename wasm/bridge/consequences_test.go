package bridge

import (
	"encoding/json"
	"os"
	"testing"
)

// The snapshot carries what the picture shows of consequences: each
// state machine's applied commands (the last few, and how many), and,
// for the log window asked for, the entries removed from a log (here z,
// which a cut-off leader took and lost when it rejoined, §5.3).
func TestSnapshotShowsMachinesAndRemovals(t *testing.T) {
	src, err := os.ReadFile("../../raft/scenario/testdata/history-removed.raft")
	if err != nil {
		t.Fatal(err)
	}
	b := New()
	id := mustCreate(t, b, string(src))
	decode(t, b.Advance(id, 10_000))
	var sn struct {
		Machines []struct {
			N    int
			Last []string
		}
		Removed []struct {
			Server, Index, Term int
			Cmd                 *string
		}
	}
	if err := json.Unmarshal([]byte(b.Snapshot(id, 1, 20)), &sn); err != nil {
		t.Fatal(err)
	}
	if len(sn.Machines) != 3 {
		t.Fatalf("%d machines, want 3", len(sn.Machines))
	}
	for i, m := range sn.Machines {
		if m.N != 1 || len(m.Last) != 1 || m.Last[0] != "w" {
			t.Errorf("S%d's state machine: %+v, want w alone", i+1, m)
		}
	}
	if len(sn.Removed) != 1 || sn.Removed[0].Server != 1 || sn.Removed[0].Index != 1 || sn.Removed[0].Term != 1 || sn.Removed[0].Cmd == nil || *sn.Removed[0].Cmd != "z" {
		t.Errorf("removed %+v, want S1's 1:z at index 1", sn.Removed)
	}
	// A window that does not hold the position leaves it out.
	if err := json.Unmarshal([]byte(b.Snapshot(id, 2, 20)), &sn); err != nil {
		t.Fatal(err)
	}
	if len(sn.Removed) != 0 {
		t.Errorf("removed in window 2..20: %+v, want none", sn.Removed)
	}
}
