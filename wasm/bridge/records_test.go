package bridge

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"raftplay/raft/sim"
	"raftplay/raft/sim/narration"
)

// figure8Start and figure8Steps build the situation of the paper's Figure
// 8, from which "held" (the rule on: S1 holds back an old entry) and
// "figure8-off" (the rule off: an overwritten commit) go on.
const figure8Start = `cluster 5
timeout S1
run until leader S1 within 1s
propose a
run until committed 1 on all within 1s
`

const figure8Steps = `timeout S1
run until leader S1 and term S1 2 within 1s
link S1->S3 down
link S1->S4 down
link S1->S5 down
propose b
run until log S2 1:a 2:b within 100ms
crash S1
run 25ms
heal
timeout S5
run until leader S5 within 1s
crash S5 before-send
propose c
timer S2 5s
timer S3 5s
timer S4 5s
restart S1
timeout S1
run 50ms
timeout S1
run until leader S1 within 1s
link S1->S4 down
timer S4 5s
run until log S3 1:a 2:b within 1s
run 100ms
`

// recordScripts are runs that between them make most kinds of records:
// elections won and split, replication, rejections and one-step
// backtracking, crashes and restarts, partitions, loss, duplication,
// pre-votes and check-quorum, violations with a safety rule off, and
// writes lost to a crash after sending with persist-before-send off.
var recordScripts = map[string]string{
	"split": `cluster 5
timer S1 100ms
timer S2 100ms
timer S3 100ms
timer S4 100ms
run 140ms
run until leader within 2s
`,
	"repair": `cluster 5
latency 5-15ms
timeout S1
run until leader S1 within 1s
rule fast-backtrack off
rule leader-noop on
propose a
run until committed 1 on all within 1s
crash S5
propose p
propose q
propose r
propose s
run until committed 5 on S1 S2 S3 S4 within 1s
isolate S1
propose b to S1
propose c to S1
timeout S2
run until leader S2 within 1s
propose x to S3
propose "f g"
run until committed 7 on S2 S3 S4 within 1s
restart S5
run until committed 7 on S5 within 1s
heal
run until role S1 follower and committed 7 on S1 within 2s
partition S1 S2 | S3 S4 S5
drop 0.2
duplicate 0.1
drop next S3->S4
link S3->S5 down
link S3->S5 up
timer S4 20ms
run 600ms
heal
drop 0
duplicate 0
run until leader within 2s
crash S3 before-send
run 300ms
`,
	"figure8-off": figure8Start + "rule current-term-commit off\n" + figure8Steps + `run until applied S2 a b within 1s
crash S1
heal
timer S2 5s
timer S3 5s
timer S4 5s
restart S5
timeout S5
run 50ms
timeout S5
run until leader S5 within 1s
run until log S2 1:a 3:c and log S3 1:a 3:c within 1s
run until violation state-machine-safety within 1s
`,
	"held": figure8Start + figure8Steps,
	"prevote": `cluster 5
rule prevote on
rule check-quorum on
timeout S1
run until leader S1 within 1s
propose a
run until committed 1 on all within 1s
link S1->S5 down
run 600ms
link S1->S5 up
isolate S1
run 1s
heal
run 500ms
`,
	"unwritten": `cluster 3
rule persist-before-send off
timeout S1
crash S2 after-send
run until crashed S2 within 1s
run until leader S1 within 1s
restart S2
propose a
crash S3 after-send
run 300ms
`,
}

// runRecords runs a script to its end and returns its trace records as
// the page gets them and as the simulator holds them.
func runRecords(t *testing.T, b *Bridge, src string) ([]map[string]any, []sim.Record) {
	t.Helper()
	id := playToEnd(t, b, src)
	ev := decode(t, b.Events(id, 0))
	var recs []map[string]any
	for _, r := range ev["records"].([]any) {
		recs = append(recs, r.(map[string]any))
	}
	return recs, b.sessions[id].r.Cluster.Trace(0)
}

// playToEnd plays a script to its end and returns its session.
func playToEnd(t *testing.T, b *Bridge, src string) int {
	t.Helper()
	id := mustCreate(t, b, src)
	for i := 0; ; i++ {
		m := decode(t, b.Advance(id, 60_000))
		if f, ok := m["failed"]; ok {
			t.Fatalf("script failed: %v", f)
		}
		if m["ended"] == true {
			break
		}
		if i > 100 {
			t.Fatal("script does not end")
		}
	}
	return id
}

// wantRecord is what the page should get for r, built here without the
// writer: when, what, and the line that narrates it.
func wantRecord(r *sim.Record) map[string]any {
	kind := map[sim.RecordKind]string{sim.RecEvent: "event", sim.RecAction: "action", sim.RecLost: "lost",
		sim.RecViolation: "violation", sim.RecEngineError: "engine-error", sim.RecUnwritten: "unwritten"}[r.Kind]
	var what string
	switch r.Kind {
	case sim.RecEvent:
		what = r.Event.Kind.String()
	case sim.RecAction:
		what = r.Action.Kind.String()
	case sim.RecLost:
		what = r.Loss.String()
	case sim.RecViolation:
		what = r.Violation.Kind.String()
	case sim.RecEngineError:
		what = r.Msg.Type.String()
	case sim.RecUnwritten:
		what = r.Unwritten.Server.String()
	}
	return map[string]any{"time": float64(r.Time), "seq": float64(r.Seq), "kind": kind, "what": what,
		"say": lineMap(sim.Describe(*r))}
}

// lineMap is a Line as the page should read it.
func lineMap(l sim.Line) map[string]any {
	args := map[string]any{}
	for _, a := range l.Args {
		switch a.Kind {
		case sim.ArgNum:
			args[a.Name] = float64(a.Int)
		case sim.ArgText:
			args[a.Name] = a.Text
		case sim.ArgGloss:
			args[a.Name] = map[string]any{"gloss": a.Text}
		case sim.ArgLine:
			args[a.Name] = lineMap(a.Lines[0])
		case sim.ArgList:
			var ls []any
			for _, x := range a.Lines {
				ls = append(ls, lineMap(x))
			}
			args[a.Name] = ls
			if a.Text != "" {
				args[a.Name] = map[string]any{"sep": a.Text, "list": ls}
			}
		}
	}
	return map[string]any{"key": l.Key, "args": args}
}

// lineOf reads back a line the page got, as sim.Line.
func lineOf(t *testing.T, v any) sim.Line {
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not a line: %v", v)
	}
	l := sim.Line{Key: m["key"].(string)}
	args := m["args"].(map[string]any)
	names := make([]string, 0, len(args))
	for k := range args {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		a := sim.Arg{Name: k}
		switch x := args[k].(type) {
		case float64:
			a.Kind, a.Int = sim.ArgNum, int(x)
		case string:
			a.Kind, a.Text = sim.ArgText, x
		case []any:
			a.Kind = sim.ArgList
			for _, y := range x {
				a.Lines = append(a.Lines, lineOf(t, y))
			}
		case map[string]any:
			if g, ok := x["gloss"].(string); ok {
				a.Kind, a.Text = sim.ArgGloss, g
			} else if ls, ok := x["list"].([]any); ok {
				a.Kind, a.Text = sim.ArgList, x["sep"].(string)
				for _, y := range ls {
					a.Lines = append(a.Lines, lineOf(t, y))
				}
			} else {
				a.Kind, a.Lines = sim.ArgLine, []sim.Line{lineOf(t, x)}
			}
		}
		l.Args = append(l.Args, a)
	}
	return l
}

// TestRecordLines checks that every record the page gets carries the line
// that narrates it, and that the line it reads back says, in every
// language, what the command line says.
func TestRecordLines(t *testing.T) {
	b := New()
	seen := map[string]bool{}
	names := make([]string, 0, len(recordScripts))
	for name := range recordScripts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		recs, trace := runRecords(t, b, recordScripts[name])
		if len(recs) != len(trace) || len(recs) == 0 {
			t.Fatalf("%s: %d records on the page, %d in the trace", name, len(recs), len(trace))
		}
		for i := range trace {
			got, want := fmt.Sprint(recs[i]), fmt.Sprint(wantRecord(&trace[i]))
			if got != want {
				t.Fatalf("%s: record %d (%s):\n got %s\nwant %s", name, i, trace[i], got, want)
			}
			back := lineOf(t, recs[i]["say"])
			for _, lang := range narration.Languages {
				tb, err := narration.For(lang)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := tb.Render(back), tb.Render(sim.Describe(trace[i])); g != w {
					t.Fatalf("%s: record %d (%s) read back says in %s\n%q, not\n%q", name, i, trace[i], lang, g, w)
				}
			}
			seen[back.Key] = true
		}
	}
	for _, k := range []string{
		"event.timeout", "event.vote-denied", "event.vote-denied.pre", "event.vote-granted.pre", "event.became-leader",
		"event.append-rejected.missing-prev", "event.append-rejected.prev-mismatch", "event.backed-up",
		"event.truncated.one.committed", "event.committed.majority-any-term", "event.commit-held", "event.proposal-rejected.no-leader",
		"event.became-follower.quorum-lost", "event.became-precandidate", "event.stale-message", "event.appended.empty",
		"action.partition", "action.drop", "action.duplicate", "action.latency", "action.rule.off", "action.timer",
		"action.crash", "action.crash.before-send", "action.crash.after-send", "unwritten", "action.restart", "action.isolate", "action.link-down", "action.drop-next",
		"lost.cut", "lost.random", "lost.drop-next", "lost.receiver-down", "lost.sender-crashed", "violation",
	} {
		if !seen[k] {
			t.Errorf("no line %q in the runs", k)
		}
	}
	if t.Failed() {
		var ks []string
		for k := range seen {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		t.Logf("seen:\n%s", strings.Join(ks, "\n"))
	}
}
