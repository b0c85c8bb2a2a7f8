//go:build !js

package bridge

import (
	"testing"

	"raftplay/raft/player"
	"raftplay/raft/scenario"
)

// TestSeenAgrees: what conditions of every kind see at the end of each
// run, written as the bridge writes it (as Goal does), the page's script
// puts into the same words as Go (see TestNarrationAgrees).
func TestSeenAgrees(t *testing.T) {
	conds := []string{"leader none", "leader and committed 99 and safe", "term S2 99 and log S1 99:z and applied S2 z",
		"violation and elected S1 in 99 and voted S2 for S1 in 99 and denied S3 to S1 in 99",
		"rejected S2 from S1 in 99 and held S1 99 and removed S2 99:z and crashed S3 and up S2"}
	b := New()
	var ls sayings
	for _, src := range recordScripts {
		id := playToEnd(t, b, src)
		for _, cond := range conds {
			c := b.sessions[id].r.Cluster
			cmd, err := scenario.ParseCommand("expect "+cond, c.Servers())
			if err != nil {
				t.Fatal(err)
			}
			var w jsonw
			writeLine(&w, player.Seen(cmd.Cond, c))
			ls.add(t, w.String(), player.Seen(cmd.Cond, c))
		}
	}
	if len(ls.lines) < 20 {
		t.Fatalf("only %d distinct lines", len(ls.lines))
	}
	ls.agree(t)
}
