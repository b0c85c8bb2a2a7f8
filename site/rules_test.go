package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"raftplay/raft"
)

// raftplay rules: a line per rule in the engine's order, four
// tab-separated columns that agree with the engine, descriptions from the
// page's English table, "mistake" only as a kind; usage errors exit 2.
func TestRulesCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"rules"}, &out, &errb); code != exitOK || errb.Len() > 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	tables, err := uiTables()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	all := raft.AllRules()
	if len(lines) != len(all) {
		t.Fatalf("%d lines for %d rules:\n%s", len(lines), len(all), out.String())
	}
	mistakes := 0
	for i, r := range all {
		cols := strings.Split(lines[i], "\t")
		if len(cols) != 4 {
			t.Errorf("line %d has %d columns: %q", i+1, len(cols), lines[i])
			continue
		}
		def := map[bool]string{true: "on", false: "off"}[raft.DefaultRules.Has(r)]
		if cols[0] != r.String() || cols[1] != def || cols[2] != r.Kind().String() || cols[3] != tables["en"]["r-"+r.String()] {
			t.Errorf("line %d: %q, want %s, %s, %s and en.json's r-%s", i+1, lines[i], r, def, r.Kind(), r)
		}
		if strings.TrimSpace(cols[3]) == "" || strings.Contains(cols[3], "\n") {
			t.Errorf("%s: description %q", r, cols[3])
		}
		if tables["zh"]["r-"+r.String()] == "" {
			t.Errorf("%s has no Chinese description (r-%s in zh.json)", r, r)
		}
		for c, col := range cols {
			if c != 2 && strings.Contains(strings.ToLower(col), "mistake") {
				t.Errorf("%s: column %d says mistake: %q", r, c+1, col)
			}
		}
		if r.Kind() == raft.KindMistake {
			mistakes++
			// What is right, then what switching it off does.
			if !strings.Contains(cols[3], "; off, ") {
				t.Errorf("%s: the description does not say what switching it off does: %q", r, cols[3])
			}
		}
	}
	if mistakes != 8 {
		t.Errorf("%d rules of kind mistake listed, want 8", mistakes)
	}

	for _, args := range [][]string{{"rules", "extra"}, {"rules", "-x"}, {"rules", "-h"}} {
		out.Reset()
		errb.Reset()
		if code := dispatch(args, &out, &errb); code != exitUsage || out.Len() > 0 {
			t.Errorf("%v: exit %d, stdout %q", args, code, out.String())
		}
		if args[1] == "extra" && !strings.Contains(errb.String(), `unexpected argument "extra"`) {
			t.Errorf("%v: %q", args, errb.String())
		}
		if args[1] == "-h" && !strings.Contains(errb.String(), "usage: raftplay rules") {
			t.Errorf("%v: %q", args, errb.String())
		}
	}
}

// Every name raftplay rules prints is one that sweep and explore take
// (-rule NAME=off) and that a scenario can switch (rule NAME off).
func TestRulesNamesAccepted(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"rules"}, &out, &errb); code != exitOK {
		t.Fatalf("rules: exit %d, %s", code, errb.String())
	}
	var names []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		names = append(names, strings.SplitN(l, "\t", 2)[0])
	}
	if len(names) != len(raft.AllRules()) {
		t.Fatalf("%d names read", len(names))
	}
	// The switches come after the start, so that the trace narrates each.
	scenario := "cluster 3\nrun 10ms\n"
	for _, name := range names {
		for _, args := range [][]string{
			{"sweep", "-seeds", "1", "-nodes", "3", "-duration", "200ms", "-rule", name + "=off"},
			{"explore", "-q", "-terms", "1", "-log", "0", "-requests", "0", "-crashes", "0", "-restarts", "0", "-inflight", "1", "-depth", "3", "-rule", name + "=off"},
		} {
			out.Reset()
			errb.Reset()
			if code := dispatch(args, &out, &errb); code == exitUsage || strings.Contains(errb.String(), "unknown rule") {
				t.Errorf("%v: exit %d, %s", args, code, errb.String())
			}
		}
		scenario += "rule " + name + " off\n"
	}
	path := filepath.Join(t.TempDir(), "all-off.raft")
	if err := os.WriteFile(path, []byte(scenario+"run 300ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errb.Reset()
	if code := dispatch([]string{"run", path}, &out, &errb); code != exitOK {
		t.Errorf("a scenario that switches every rule off: exit %d, %s", code, errb.String())
	}
	for _, name := range names {
		if !strings.Contains(out.String(), name) {
			t.Errorf("the run's trace does not mention %s switched off", name)
		}
	}
}

// The README and the scenario language's reference name every rule, and
// the README shows the rules command.
func TestRulesInDocs(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{"README.md", "docs/scenarios.md"} {
		b, err := os.ReadFile(filepath.Join(root, doc))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range raft.AllRules() {
			if !bytes.Contains(b, []byte("`"+r.String()+"`")) {
				t.Errorf("%s does not name the rule %s", doc, r)
			}
		}
		if !bytes.Contains(b, []byte("go run ./site rules")) {
			t.Errorf("%s does not mention go run ./site rules", doc)
		}
	}
}
