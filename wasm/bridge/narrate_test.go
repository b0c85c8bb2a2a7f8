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
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// TestNarrationAgrees writes the lines of real runs as the page gets them,
// has the page's script (site/web/js/narrate.js, under node) put them into
// words in every language, and requires the same sentences as the command
// line's narration (narration.Table.Render). Both read the same tables; this
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
	add := func(r *sim.Record) {
		var w jsonw
		l := sim.Describe(*r)
		writeLine(&w, l)
		if seen[w.String()] {
			return
		}
		seen[w.String()] = true
		lines = append(lines, json.RawMessage(w.String()))
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
	for _, src := range recordScripts {
		_, recs := runRecords(t, b, src)
		for i := range recs {
			add(&recs[i])
		}
	}
	for _, rules := range []raft.Rules{raft.DefaultRules, 0} {
		r := sim.Sweep(sim.SweepConfig{Servers: 5, Duration: 10000, Rules: rules, Seed: 7, Trace: true})
		for i := range r.Trace {
			add(&r.Trace[i])
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
