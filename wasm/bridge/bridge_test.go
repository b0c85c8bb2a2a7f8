package bridge

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"raftplay/raft"
)

// decode parses a bridge answer, failing the test on invalid JSON.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("invalid JSON %v: %.300s", err, s)
	}
	return m
}

func mustCreate(t testing.TB, b *Bridge, text string) int {
	t.Helper()
	m := decode(t, b.Create(text, "t.raft"))
	if e, ok := m["error"]; ok {
		t.Fatalf("create: %v", e)
	}
	return int(m["id"].(float64))
}

const playScript = `cluster 5
title "play"
timeout S1
run until leader S1 within 1s
say "S1 leads"
propose x
pause
run until committed 1 on all within 1s
`

func TestCreateAdvanceSnapshot(t *testing.T) {
	b := New()
	id := mustCreate(t, b, playScript)
	m := decode(t, b.Advance(id, 10_000))
	kinds := []string{}
	for _, o := range m["outputs"].([]any) {
		kinds = append(kinds, o.(map[string]any)["kind"].(string))
	}
	if strings.Join(kinds, " ") != "say pause" {
		t.Errorf("outputs %v, want say then pause", kinds)
	}
	decode(t, b.Advance(id, 10_000))
	sn := decode(t, b.Snapshot(id, 1, 200))
	if sn["leader"].(float64) != 1 {
		t.Errorf("leader %v", sn["leader"])
	}
	servers := sn["servers"].([]any)
	if len(servers) != 5 {
		t.Fatalf("%d servers", len(servers))
	}
	s1 := servers[0].(map[string]any)
	if s1["role"] != "leader" || s1["commit"].(float64) != 1 || len(s1["log"].([]any)) != 1 {
		t.Errorf("S1 %v", s1)
	}
	if _, ok := s1["next"]; !ok {
		t.Error("a leader's snapshot has nextIndex")
	}
	// The client's request, answered by the leader that took it.
	rs := sn["requests"].([]any)
	if len(rs) != 1 {
		t.Fatalf("requests %v", rs)
	}
	q := rs[0].(map[string]any)
	if q["cmd"] != "x" || q["state"] != "answered" || q["to"] != 1.0 || q["index"] != 1.0 || q["term"] != 1.0 ||
		q["done"].(float64) <= q["time"].(float64) {
		t.Errorf("request %v", q)
	}
	ev := decode(t, b.Events(id, 0))
	recs := ev["records"].([]any)
	if len(recs) == 0 || int(ev["cursor"].(float64)) != len(recs) {
		t.Fatalf("events: %d records, cursor %v", len(recs), ev["cursor"])
	}
	for _, r := range recs {
		if say, _ := r.(map[string]any)["say"].(map[string]any); say == nil || say["key"] == "" {
			t.Errorf("record without narration: %v", r)
		}
	}
	if more := decode(t, b.Events(id, int(ev["cursor"].(float64)))); len(more["records"].([]any)) != 0 {
		t.Error("events from the end cursor should be empty")
	}
}

func TestActSeekRecordGoal(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\ngoal leader S3\nallow timeout crash\nsolution\ntimeout S3\nrun until leader S3 within 1s\n")
	decode(t, b.Advance(id, 100)) // stops at the end of the (empty) script
	decode(t, b.Advance(id, 100))
	if m := decode(t, b.Act(id, "partition S1 | S2 S3")); m["error"] == nil || !strings.Contains(m["error"].(string), "does not allow partition") {
		t.Errorf("partition should be refused: %v", m)
	}
	if m := decode(t, b.Act(id, "crsh S1")); m["error"] == nil || !strings.Contains(m["error"].(string), `did you mean "crash"`) {
		t.Errorf("typo: %v", m)
	}
	if m := decode(t, b.Act(id, "timeout S3")); m["error"] != nil {
		t.Fatal(m["error"])
	}
	m := decode(t, b.Advance(id, 1000))
	if m["solved"] != true {
		t.Fatalf("not solved: %v", m)
	}
	g := decode(t, b.Goal(id))
	if g["holds"] != true || g["moves"].(float64) != 1 {
		t.Errorf("goal %v", g)
	}
	rec := decode(t, b.Record(id))
	if !strings.Contains(rec["text"].(string), "timeout S3") {
		t.Errorf("record:\n%v", rec["text"])
	}
	// Back to 50ms: before the learner acted; the goal no longer holds.
	if m := decode(t, b.Seek(id, 50)); m["error"] != nil || m["time"].(float64) != 50 {
		t.Fatalf("seek: %v", m)
	}
	if g := decode(t, b.Goal(id)); g["holds"] == true {
		t.Errorf("after seeking back the goal should not hold: %v", g)
	}
}

func TestParseErrorsHavePositions(t *testing.T) {
	b := New()
	m := decode(t, b.Parse("cluster 5\ncrash S12\n", "x.raft"))
	errs, ok := m["errors"].([]any)
	if !ok || len(errs) != 1 {
		t.Fatalf("errors: %v", m)
	}
	e := errs[0].(map[string]any)
	if e["line"].(float64) != 2 || e["col"].(float64) != 7 {
		t.Errorf("position %v", e)
	}
}

// Bad input gets an error that says what was wrong, never a panic.
func TestBadInput(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\n")
	cases := []struct {
		name string
		got  string
		want string
	}{
		{"unknown id", b.Advance(999, 10), "no cluster 999"},
		{"negative time", b.Advance(id, -5), "between 0 and"},
		{"huge time", b.Advance(id, 1e300), "between 0 and"},
		{"fractional time", b.Seek(id, 1.5), "whole number"},
		{"bad scenario", b.Create("cluster 12", "x.raft"), "x.raft:1:9"},
		{"empty action", b.Act(id, ""), "expected a command"},
		{"not an action", b.Act(id, "run 1s"), "is not an action"},
		{"crash unknown server", b.Act(id, "crash S7"), "S7"},
		{"restart up server", b.Act(id, "restart S1"), "not crashed"},
		{"drop unknown message", b.Act(id, "drop message 77"), "no message 77"},
		{"goal of non-exercise", b.Goal(id), "not an exercise"},
		{"solve non-exercise", b.Solve(id), "not an exercise"},
		{"disposed twice", func() string { b.Dispose(id); return b.Dispose(id) }(), "no cluster"},
		{"long text", b.Create(strings.Repeat("#", MaxScriptSize+1), "x"), "too long"},
	}
	for _, tc := range cases {
		m := decode(t, tc.got)
		e, ok := m["error"].(string)
		if !ok || !strings.Contains(e, tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, m, tc.want)
		}
	}
}

func TestJSONStringsAreSafe(t *testing.T) {
	for _, s := range []string{"plain", `q"b\s`, "line\nbreak", "<script>&", "\x00\x1f", "中文", "\xff\xfe", "\u2028"} {
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		if want := string([]rune(s)); want != got {
			t.Errorf("%q came back as %q", s, got)
		}
		if strings.ContainsAny(string(appendString(nil, s)), "<>&") {
			t.Errorf("%q: HTML characters left unescaped", s)
		}
	}
}

var update = flag.Bool("update", false, "rewrite testdata/hashes.txt from this platform's runs")

// The same seed gives the same trace on every platform: these hashes were
// computed natively, and the same test runs under WebAssembly (make test
// runs both).
func TestTraceHashesMatchGolden(t *testing.T) {
	files, _ := filepath.Glob("../../raft/scenario/testdata/*.raft")
	if len(files) == 0 {
		t.Fatal("no scenarios")
	}
	sort.Strings(files)
	var lines []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, seed := range []int{1, 7, 42} {
			text := strings.Replace(string(src), "cluster 5\n", fmt.Sprintf("cluster 5 seed=%d\n", seed), 1)
			b := New()
			id := mustCreate(t, b, text)
			for i := 0; i < 100; i++ {
				if m := decode(t, b.Advance(id, 100_000)); m["ended"] == true {
					break
				}
			}
			decode(t, b.Advance(id, 2000)) // and two seconds of free running
			h := decode(t, b.Hash(id))
			lines = append(lines, fmt.Sprintf("%s seed=%d %s %v events", filepath.Base(f), seed, h["hash"], h["events"]))
		}
	}
	got := strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.WriteFile("testdata/hashes.txt", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("testdata/hashes.txt")
	if err != nil {
		t.Fatalf("%v (run go test -run TestTraceHashesMatchGolden -update natively)", err)
	}
	if got != string(want) {
		t.Errorf("trace hashes differ from testdata/hashes.txt:\n%s", diffLines(string(want), got))
	}
}

func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
	}
	return strings.Join(out, "\n")
}

// BenchmarkSnapshot measures a snapshot of 5 servers with logs limited to
// a 200-index window, as the page asks for every frame.
func BenchmarkSnapshot(b *testing.B) {
	br := New()
	id := mustCreate(b, br, "cluster 5\ntimeout S1\nrun until leader S1 within 1s\n")
	br.Advance(id, 1000)
	for i := 0; i < 300; i++ {
		br.Act(id, fmt.Sprintf("propose c%d", i))
		br.Advance(id, 3)
	}
	br.Advance(id, 500)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if s := br.Snapshot(id, 101, 300); len(s) < 1000 {
			b.Fatal("short snapshot")
		}
	}
}

// The learner's moves after an exercise's setup are what a solution code
// carries.
func TestSolutionMoves(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\ngoal leader S3\nallow timeout\nsolution\ntimeout S3\nrun until leader S3 within 1s\n")
	for i := 0; i < 5; i++ {
		decode(t, b.Advance(id, 100))
	}
	decode(t, b.Act(id, "timeout S3"))
	decode(t, b.Advance(id, 300))
	m := decode(t, b.Solution(id))
	moves := m["moves"].(string)
	if !strings.Contains(moves, "timeout S3") || strings.Contains(moves, "timeout S1") {
		t.Errorf("moves should hold the learner's action only:\n%s", moves)
	}
	if m["solved"] != true || len(m["digest"].(string)) != 16 {
		t.Errorf("%v", m)
	}
}

// BenchmarkRewindTenMinutes measures a seek to a random moment of a
// 10-minute virtual run (a leader, a proposal every 100 ms, a crash and a
// restart now and then), as the timeline slider does.
func BenchmarkRewindTenMinutes(b *testing.B) {
	br := New()
	id := mustCreate(b, br, "cluster 5\n")
	br.Advance(id, 0)
	for t := 0; t < 600_000; t += 100 {
		br.Advance(id, 100)
		if t%100_000 == 50_000 {
			br.Act(id, "crash S3")
		} else if t%100_000 == 60_000 {
			br.Act(id, "restart S3")
		} else {
			br.Act(id, fmt.Sprintf("propose c%d", t))
		}
	}
	rng := uint64(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rng = rng*6364136223846793005 + 1442695040888963407
		to := float64(rng>>33) / float64(1<<31) * 600_000
		if m := decode(b, br.Seek(id, float64(int(to)))); m["error"] != nil {
			b.Fatal(m["error"])
		}
	}
}

// Rules gives the page every rule in the engine's order, with its default,
// its kind and whether switching it off can break safety.
func TestRulesList(t *testing.T) {
	var got []struct {
		Name    string
		Default bool
		Kind    string
		Safety  bool
	}
	if err := json.Unmarshal([]byte(New().Rules()), &got); err != nil {
		t.Fatal(err)
	}
	all := raft.AllRules()
	if len(got) != len(all) {
		t.Fatalf("%d rules, want %d", len(got), len(all))
	}
	for i, r := range all {
		g := got[i]
		if g.Name != r.String() || g.Default != raft.DefaultRules.Has(r) || g.Kind != r.Kind().String() || g.Safety != r.Safety() {
			t.Errorf("rule %d: %+v, want %s default=%v kind=%s safety=%v", i, g, r, raft.DefaultRules.Has(r), r.Kind(), r.Safety())
		}
	}
}
