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
	b := New()
	var ls sayings
	add := func(r *sim.Record) {
		var w jsonw
		l := sim.Describe(*r)
		writeLine(&w, l)
		ls.add(t, w.String(), l)
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
	if len(ls.lines) < 500 {
		t.Fatalf("only %d distinct lines", len(ls.lines))
	}
	ls.agree(t)
}

// sayings are distinct lines as the page gets them, with what Go says of
// each in every language.
type sayings struct {
	seen  map[string]bool
	lines []json.RawMessage
	want  [][]string
}

// add takes a line as the page gets it (raw) and as Go has it (l).
func (s *sayings) add(t *testing.T, raw string, l sim.Line) {
	t.Helper()
	if s.seen[raw] {
		return
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[raw] = true
	s.lines = append(s.lines, json.RawMessage(raw))
	var says []string
	for _, lang := range narration.Languages {
		tb, err := narration.For(lang)
		if err != nil {
			t.Fatal(err)
		}
		says = append(says, tb.Render(l))
	}
	s.want = append(s.want, says)
}

// agree has the page's script put the lines into words in every language
// and requires what Go says.
func (s *sayings) agree(t *testing.T) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the page's script (it runs the WebAssembly tests too): ", err)
	}
	in := filepath.Join(t.TempDir(), "lines.json")
	data, _ := json.Marshal(s.lines)
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
	if len(got) != len(s.want) {
		t.Fatalf("node wrote %d lines, want %d", len(got), len(s.want))
	}
	bad := 0
	for i := range s.want {
		if !slices.Equal(got[i], s.want[i]) && bad < 5 {
			bad++
			t.Errorf("%s:\nscript %q\nGo     %q", s.lines[i], got[i], s.want[i])
		}
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
