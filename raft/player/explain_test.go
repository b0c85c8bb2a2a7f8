package player

import (
	"flag"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

var update = flag.Bool("update", false, "rewrite testdata/explain.golden from what the code says now")

// explainScripts are runs that the testdata leaves out:
// a long log, commands that need quoting, a crashed server among five,
// rules off so that safety breaks.
var explainScripts = []string{
	"cluster 3\ntimeout S1\nrun until leader S1 within 1s\n" +
		strings.Repeat("propose c\n", 14) + "propose \"a b\"\nrun 1s\ncrash S3\nrun 500ms\n",
	"cluster 5\ntimeout S2\nrun until leader S2 within 1s\npropose x\nrun 300ms\ncrash S4\ncrash S5\npropose y\nrun 500ms\n",
	"cluster 3\nrule election-restriction off\nrule current-term-commit off\nrule persist-vote off\nrule leader-noop on\n" +
		"timeout S1\nrun until leader S1 within 1s\npropose x\nrun 200ms\nisolate S1\npropose y to S1\ntimeout S2\nrun 500ms\nheal\nrun 1s\n",
}

// explainStates plays every scenario of the testdata (not the lessons,
// which are rewritten as they are taught better, and whose states the
// golden file could then no longer name), and the scripts above, and
// calls visit at every 100ms of
// virtual time, at each pause and question, through the solution of an
// exercise, and for a second after the end. where names the state.
func explainStates(t *testing.T, visit func(where string, c *sim.Cluster)) {
	t.Helper()
	all := scenariosUnder(t, testdata)
	for i, src := range explainScripts {
		s, err := scenario.Parse("script"+strconv.Itoa(i)+".raft", src)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, s)
	}
	for _, s := range all {
		r, err := NewRunner(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(s.File) + ":" + strconv.Itoa(s.Line)
		solved := false
		for k := 0; r.Err() == nil && k < 1000; k++ {
			c := r.Cluster
			visit(name+" #"+strconv.Itoa(k)+" ("+strconv.Itoa(c.Now())+"ms)", c)
			if r.Ended() && s.IsExercise() && !solved {
				solved = true
				if err := r.Solve(); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				continue
			}
			if r.Ended() && (!s.IsExercise() || solved) {
				end := c.Now() + 1000
				for c.Now() < end {
					r.Advance(c.Now() + 100)
					k++
					visit(name+" #"+strconv.Itoa(k)+" ("+strconv.Itoa(c.Now())+"ms)", c)
				}
				break
			}
			r.Advance(c.Now() + 100)
		}
	}
}

// explainConds are the conditions whose explanations the golden file
// holds, for a cluster of n servers: every kind of atom, on every server
// and pair of servers, and a few conjunctions.
func explainConds(n int) []string {
	conds := []string{
		"leader", "leader none", "term 3", "term != 1", "term S1 >= 2", "time >= 1s",
		"committed 1", "committed 2 on all", "committed 1 on S1 S2",
		"log S1 1:x", "log S1 1:- 1:a", "applied S1 x", "applied S2 a b",
		"safe", "violation", "violation state-machine-safety",
		"elected S1 in 2", "voted S2 for S1 in 1", "denied S1 to S3 because log-shorter",
		"rejected S2 from S1 because prev-mismatch",
		"leader and committed 1 on all and safe",
		"leader S2 and term 2 and log S3 empty and crashed S1",
	}
	for i := 1; i <= n; i++ {
		s := raft.ID(i).String()
		conds = append(conds, "leader "+s, "role "+s+" follower", "role "+s+" candidate", "role "+s+" leader",
			"term "+s+" 2", "log "+s+" empty", "applied "+s+" empty", "crashed "+s, "up "+s, "leads "+s,
			"elected "+s, "held "+s+" 2", "removed "+s+" 1:x")
		for j := 1; j <= n; j++ {
			if j != i {
				p := raft.ID(j).String()
				conds = append(conds, "voted "+s+" for "+p, "denied "+s+" to "+p, "rejected "+s+" from "+p)
			}
		}
	}
	return conds
}

// seenText is what seen says of atom a on c, in English.
func seenText(a *scenario.Atom, c *sim.Cluster) string { return english.Render(seen(a, c)) }

// explainCorpus calls got for each explanation of each condition at each
// state: Explain of the whole condition ("explain") and what seen says of
// each of its atoms, whether it holds or not ("seen").
func explainCorpus(t *testing.T, got func(where, kind, cond, text string)) {
	t.Helper()
	parsed := map[string]*scenario.Cond{}
	explainStates(t, func(where string, c *sim.Cluster) {
		for _, cond := range explainConds(c.Servers()) {
			key := strconv.Itoa(c.Servers()) + " " + cond
			pc, ok := parsed[key]
			if !ok {
				cmd, err := scenario.ParseCommand("expect "+cond, c.Servers())
				if err != nil {
					t.Fatalf("%s: %v", cond, err)
				}
				pc = cmd.Cond
				parsed[key] = pc
			}
			got(where, "explain", cond, Explain(pc, c))
			for i := range pc.Terms {
				got(where, "seen", pc.Terms[i].String(), seenText(&pc.Terms[i], c))
			}
		}
	})
}

const explainGolden = "testdata/explain.golden"

var digits = regexp.MustCompile(`[0-9]+`)

// TestExplainUnchanged holds Explain to the English it wrote before what
// is seen became lines of the narration (raft/sim/narration/en.json): the
// golden file is what the code said then: each sentence of a distinct
// shape (its numbers aside) with the first state and condition that gave
// it. The command line, raftplay
// verify and check, and the failures of expect and run until all print
// these words. (Run with -update only when the words are meant to change.)
func TestExplainUnchanged(t *testing.T) {
	if *update {
		var b strings.Builder
		b.WriteString("# What Explain and seen said; written by TestExplainUnchanged -update.\n")
		b.WriteString("# Each line: state, tab, kind, tab, condition, tab, the English.\n")
		done := map[string]bool{}
		explainCorpus(t, func(where, kind, cond, text string) {
			shape := digits.ReplaceAllString(text, "0")
			if done[shape] {
				return
			}
			done[shape] = true
			b.WriteString(where + "\t" + kind + "\t" + cond + "\t" + text + "\n")
		})
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(explainGolden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	data, err := os.ReadFile(explainGolden)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // state, kind, condition → the English
	for _, ln := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if strings.HasPrefix(ln, "#") {
			continue
		}
		f := strings.SplitN(ln, "\t", 4)
		if len(f) != 4 {
			t.Fatalf("%s: malformed line %q", explainGolden, ln)
		}
		want[f[0]+"\t"+f[1]+"\t"+f[2]] = f[3]
	}
	if len(want) < 100 {
		t.Fatalf("%s holds only %d sentences", explainGolden, len(want))
	}
	found := map[string]bool{}
	explainCorpus(t, func(where, kind, cond, text string) {
		key := where + "\t" + kind + "\t" + cond
		w, ok := want[key]
		if !ok {
			return
		}
		found[key] = true
		if text != w {
			t.Errorf("%s: %s %s:\ngot  %q\nwant %q", where, kind, cond, text, w)
		}
	})
	if len(found) != len(want) {
		t.Errorf("%d of the %d golden sentences were checked: the runs no longer reach the states they name", len(found), len(want))
	}
}

const englishFile = "english.go"

// TestEnglishWords holds english (english.go) to the narration's English
// table: it is the part of raft/sim/narration/en.json that what is seen
// is written with, copied so that the WebAssembly, which has Explain for
// the failures of expect, needs no JSON decoder. -update writes it anew.
func TestEnglishWords(t *testing.T) {
	en, err := narration.For("en")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range en {
		if k == "list-sep" || k == "seen" || strings.HasPrefix(k, "seen.") || strings.HasPrefix(k, "role.") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString("// Code generated by TestEnglishWords -update from raft/sim/narration/en.json. DO NOT EDIT.\n\n")
	b.WriteString("package player\n\nimport \"raftplay/raft/sim\"\n\n")
	b.WriteString("// english is the narration's English for what is seen: seen.*, with\n")
	b.WriteString("// the glossary's roles and the list separator. (Its English names a\n")
	b.WriteString("// safety property by its code, and so needs none of inv.*.)\n")
	b.WriteString("var english = sim.Table{\n")
	for _, k := range keys {
		b.WriteString(strconv.Quote(k) + ": " + strconv.Quote(en[k]) + ",\n")
	}
	b.WriteString("}\n")
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(englishFile, src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(englishFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != string(src) {
		t.Errorf("%s is not what en.json says: go test ./raft/player -run TestEnglishWords -update", englishFile)
	}
}
