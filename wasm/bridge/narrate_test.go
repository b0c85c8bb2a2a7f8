//go:build !js

package bridge

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// TestNarrationAgrees writes the lines of real runs as the page gets them
// (the records' narration, and what conditions see as Until writes it),
// has the page's script (site/web/js/narrate.js, under node) put them into
// words in every language, and requires the same sentences as the command
// line's narration (sim.Table.Render). Both read the same tables; this
// holds the two readers to each other.
func TestNarrationAgrees(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the page's script (it runs the WebAssembly tests too): ", err)
	}
	b := New()
	seen := map[string]bool{}
	var lines []json.RawMessage
	var want [][]string
	// add takes a line as the page gets it (raw) and as Go has it (l).
	add := func(raw string, l sim.Line) {
		if seen[raw] {
			return
		}
		seen[raw] = true
		lines = append(lines, json.RawMessage(raw))
		var says []string
		for _, lang := range narration.Languages {
			tb, err := narration.For(lang)
			if err != nil {
				t.Fatal(err)
			}
			says = append(says, tb.Render(l))
		}
		want = append(want, says)
	}
	addRecord := func(r *sim.Record) {
		var w jsonw
		l := sim.Describe(*r)
		writeLine(&w, l)
		add(w.String(), l)
	}
	// What a condition sees, as Until writes it, at the end of each run.
	conds := []string{"leader none", "leader and committed 99 and safe", "term S2 99 and log S1 99:z and applied S2 z",
		"violation and elected S1 in 99 and voted S2 for S1 in 99 and denied S3 to S1 in 99",
		"rejected S2 from S1 in 99 and held S1 99 and removed S2 99:z and crashed S3 and up S2"}
	for _, src := range recordScripts {
		id := playToEnd(t, b, src)
		recs := b.sessions[id].r.Cluster.Trace(0)
		for i := range recs {
			addRecord(&recs[i])
		}
		for _, cond := range conds {
			var u struct{ Seen json.RawMessage }
			if err := json.Unmarshal([]byte(b.Until(id, cond, 0)), &u); err != nil || u.Seen == nil {
				t.Fatalf("until %s: %v %s", cond, err, u.Seen)
			}
			c := b.sessions[id].r.Cluster
			cmd, err := scenario.ParseCommand("expect "+cond, c.Servers())
			if err != nil {
				t.Fatal(err)
			}
			add(string(u.Seen), player.Seen(cmd.Cond, c))
		}
	}
	for _, rules := range []raft.Rules{raft.DefaultRules, 0} {
		r := sim.Sweep(sim.SweepConfig{Servers: 5, Duration: 10000, Rules: rules, Seed: 7, Trace: true})
		for i := range r.Trace {
			addRecord(&r.Trace[i])
		}
	}
	if len(lines) < 500 {
		t.Fatalf("only %d distinct lines", len(lines))
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "lines.json")
	data, _ := json.Marshal(lines)
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	loader, _ := filepath.Abs("../../site/web/js/testload.mjs")
	script := `
import { readFileSync } from 'node:fs';
import { load } from ` + jsString(loader) + `;
const { say } = await load('narrate.js');
const langs = JSON.parse(process.argv[2]);
const lines = JSON.parse(readFileSync(process.argv[1], 'utf8'));
process.stdout.write(JSON.stringify(lines.map(l => langs.map(lang => say(l, lang)))));
`
	langs, _ := json.Marshal(narration.Languages)
	cmd := exec.Command(node, "--input-type=module", "-e", script, in, string(langs))
	out, err := cmd.Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("node: %v\n%s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var got [][]string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("node wrote %q: %v", out, err)
	}
	if len(got) != len(want) {
		t.Fatalf("node wrote %d lines, want %d", len(got), len(want))
	}
	bad := 0
	for i := range want {
		if !slices.Equal(got[i], want[i]) && bad < 5 {
			bad++
			t.Errorf("%s:\nscript %q\nGo     %q", lines[i], got[i], want[i])
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
