package sim

import (
	"strings"
	"testing"

	"raftplay/raft"
)

// A message the engine refuses is recorded loudly, apart from losses: a
// record of its own kind, a count, and a sweep that fails. The simulator
// only carries messages that nodes made, so the test puts in one no node
// would make (an AppendEntries whose entries are out of sequence).
func TestEngineErrorsAreLoud(t *testing.T) {
	c, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RunFor(1000); err != nil {
		t.Fatal(err)
	}
	bad := raft.Message{Type: raft.MsgApp, From: 1, To: 2, Term: 1, Entries: []raft.Entry{{Index: 5, Term: 1}}}
	c.lastID++
	c.inflight.push(flight{ID: c.lastID, SentAt: c.now, At: c.now + 1, Msg: bad})
	mark := c.TraceLen()
	if err := c.RunFor(10); err != nil {
		t.Fatal(err)
	}
	if c.EngineErrors() != 1 {
		t.Fatalf("%d engine errors, want 1", c.EngineErrors())
	}
	found := false
	for _, r := range c.Trace(mark) {
		if r.Kind == RecLost && r.Msg.To == 2 && len(r.Msg.Entries) == 1 && r.Msg.Entries[0].Index == 5 {
			t.Fatalf("the refused message was recorded as a loss: %v", r)
		}
		if r.Kind == RecEngineError {
			found = true
			// The narration's words for it are held by raft/sim/narration.
			if l := Describe(r); !strings.Contains(r.String(), "ENGINE ERROR") || l.Key != "engine-error" {
				t.Errorf("record %q, narrated as %v", r.String(), l)
			}
		}
	}
	if !found {
		t.Fatal("no engine-error record in the trace")
	}
}
