package bridge

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/player"
	"raftplay/raft/sim"
)

// recordScripts are runs that between them make most kinds of records:
// elections won and split, replication, rejections and one-step
// backtracking, crashes and restarts, partitions, loss, duplication,
// pre-votes and check-quorum, and violations with a safety rule off.
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
	"figure8-off": `cluster 5
timeout S1
run until leader S1 within 1s
propose a
run until committed 1 on all within 1s
rule current-term-commit off
timeout S1
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
run until applied S2 a b within 1s
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
	"held": `cluster 5
timeout S1
run until leader S1 within 1s
propose a
run until committed 1 on all within 1s
timeout S1
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
`,
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
}

// runRecords runs a script to its end and returns its trace records as
// the page gets them and as the simulator holds them.
func runRecords(t *testing.T, b *Bridge, src string) ([]map[string]any, []sim.Record) {
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
	ev := decode(t, b.Events(id, 0))
	var recs []map[string]any
	for _, r := range ev["records"].([]any) {
		recs = append(recs, r.(map[string]any))
	}
	return recs, b.sessions[id].r.Cluster.Trace(0)
}

// wantRecord is what the page should get for r, built here field by field
// without the writer's tricks: zero and empty fields left out.
func wantRecord(r *sim.Record) map[string]any {
	m := map[string]any{"time": float64(r.Time), "seq": float64(r.Seq), "text": sim.Narrate(*r)}
	num := func(k string, v int) {
		if v != 0 {
			m[k] = float64(v)
		}
	}
	str := func(k, v string) {
		if v != "" {
			m[k] = v
		}
	}
	ids := func(xs []raft.ID) []any {
		out := []any{}
		for _, x := range xs {
			out = append(out, float64(x))
		}
		return out
	}
	switch r.Kind {
	case sim.RecEvent:
		e := r.Event
		m["kind"], m["what"] = "event", e.Kind.String()
		num("node", int(e.Node))
		num("term", e.Term)
		str("reason", e.Reason.String())
		if e.Role != raft.Follower {
			m["role"] = e.Role.String()
		}
		num("peer", int(e.Peer))
		num("asked", e.Asked)
		num("voted", int(e.Voted))
		num("votes", e.Votes)
		num("index", e.Index)
		num("last", e.Last)
		num("candIndex", e.CandIndex)
		num("candTerm", e.CandTerm)
		num("ownIndex", e.OwnIndex)
		num("ownTerm", e.OwnTerm)
		num("prevTerm", e.PrevTerm)
		num("entryTerm", e.EntryTerm)
		if e.Pre {
			m["pre"] = true
		}
		if e.Committed {
			m["committed"] = true
		}
		if len(e.Entries) > 0 {
			var es []any
			for i, x := range e.Entries {
				if i == 3 {
					m["count"] = float64(e.Entries[len(e.Entries)-1].Index - e.Entries[0].Index + 1)
					break
				}
				var cmd any = x.Cmd
				if x.Noop {
					cmd = nil
				}
				es = append(es, []any{float64(x.Index), float64(x.Term), cmd})
			}
			m["entries"] = es
		}
	case sim.RecAction:
		a := r.Action
		m["kind"], m["what"] = "action", a.Kind.String()
		m["command"] = player.CommandOf(*a).String()
		num("server", int(a.Server))
		num("from", int(a.From))
		num("to", int(a.To))
		num("delay", a.Delay)
		num("min", a.Min)
		num("max", a.Max)
		str("cmd", a.Cmd)
		if a.BeforeSend {
			m["before"] = true
		}
		if a.Rate != 0 {
			m["rate"] = a.Rate
		}
		switch a.Kind {
		case sim.ActRule:
			m["rule"] = a.Rule.String()
			if a.On {
				m["on"] = true
			}
		case sim.ActPartition:
			var gs []any
			for _, g := range a.Groups {
				gs = append(gs, ids(g))
			}
			m["groups"] = gs
		}
	case sim.RecLost:
		m["kind"], m["what"], m["loss"] = "lost", r.Loss.String(), r.Loss.String()
		m["node"], m["to"], m["from"] = float64(r.Msg.To), float64(r.Msg.To), float64(r.Msg.From)
		m["msg"] = r.Msg.Type.String()
		if r.Msg.Type == raft.MsgApp && len(r.Msg.Entries) == 0 {
			m["heartbeat"] = true
		}
	case sim.RecViolation:
		v := r.Violation
		m["kind"], m["what"] = "violation", v.Kind.String()
		m["servers"] = ids(v.Servers)
		num("index", v.Index)
		num("term", v.Term)
	}
	return m
}

// TestRecordFields checks that every record the page gets carries the
// fields it needs to narrate it in another language, with the values the
// simulator holds, and spot-checks a few against their English sentence.
func TestRecordFields(t *testing.T) {
	b := New()
	seen := map[string]bool{}
	var all []map[string]any
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
			r := recs[i]
			k := r["kind"].(string) + " " + r["what"].(string)
			if reason, ok := r["reason"].(string); ok {
				k += " " + reason
			}
			if r["pre"] == true {
				k += " pre"
			}
			seen[k] = true
		}
		all = append(all, recs...)
	}
	for _, k := range []string{
		"event timeout election-timeout", "event vote-denied already-voted", "event vote-denied leader-alive pre",
		"event vote-denied log-older-term", "event vote-granted up-to-date pre", "event became-leader",
		"event append-rejected missing-prev", "event append-rejected prev-mismatch", "event backed-up one-step",
		"event truncated", "event committed majority-any-term", "event commit-held", "event proposal-rejected",
		"event became-follower quorum-lost", "event became-precandidate", "event stale-message stale-term",
		"action partition", "action drop", "action duplicate", "action latency", "action rule", "action timer",
		"action crash", "action restart", "action isolate", "action link-down", "action drop-next",
		"lost cut", "lost random", "lost drop-next", "lost receiver-down", "lost sender-crashed",
		"violation leader-completeness", "violation state-machine-safety",
	} {
		if !seen[k] {
			t.Errorf("no record %q in the runs", k)
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

	// A few records read against their English sentence.
	find := func(what string, ok func(r map[string]any) bool) map[string]any {
		t.Helper()
		for _, r := range all {
			if r["what"] == what && ok(r) {
				return r
			}
		}
		t.Fatalf("no %s record", what)
		return nil
	}
	n := func(r map[string]any, k string) string { return fmt.Sprint(r[k]) }
	server := func(r map[string]any, k string) string { return "S" + n(r, k) }
	expectText := func(r map[string]any, want string) {
		t.Helper()
		if !strings.Contains(r["text"].(string), want) {
			t.Errorf("%v: text does not say %q", r, want)
		}
	}
	r := find("vote-denied", func(r map[string]any) bool { return r["reason"] == "log-older-term" })
	expectText(r, "last log term "+n(r, "candTerm")+" is older than "+server(r, "node")+"'s "+n(r, "ownTerm"))
	r = find("vote-denied", func(r map[string]any) bool { return r["reason"] == "already-voted" })
	expectText(r, "it already voted for "+server(r, "voted")+" in term "+n(r, "term"))
	r = find("vote-granted", func(r map[string]any) bool { return r["pre"] == true })
	expectText(r, "grants its pre-vote to "+server(r, "peer")+" for term "+n(r, "asked"))
	r = find("timeout", func(r map[string]any) bool { return r["role"] == "candidate" })
	expectText(r, "fires again with no winner in term "+n(r, "term"))
	r = find("became-leader", func(r map[string]any) bool { return true })
	expectText(r, "with "+n(r, "votes")+" votes")
	r = find("append-rejected", func(r map[string]any) bool { return r["reason"] == "prev-mismatch" })
	expectText(r, "at index "+n(r, "index")+" is from term "+n(r, "ownTerm")+", not "+n(r, "prevTerm"))
	r = find("backed-up", func(r map[string]any) bool { return true })
	expectText(r, "nextIndex back from "+n(r, "last")+" to "+n(r, "index"))
	r = find("commit-held", func(r map[string]any) bool { return true })
	expectText(r, "entry "+n(r, "index")+" (term "+n(r, "entryTerm")+")")
	r = find("appended", func(r map[string]any) bool { return r["count"] != nil })
	es := r["entries"].([]any)
	if len(es) != 3 || r["last"].(float64)-r["index"].(float64)+1 != r["count"].(float64) {
		t.Errorf("appended with count: %v", r)
	}
	expectText(r, fmt.Sprintf("entries %v–%v", r["index"], r["last"]))
	r = find("appended", func(r map[string]any) bool {
		es, _ := r["entries"].([]any)
		return len(es) == 1 && es[0].([]any)[2] == nil
	})
	if r["role"] != "leader" {
		t.Errorf("a leader's no-op: %v", r)
	}
	expectText(r, "empty entry of its new term at index "+n(r, "index"))
	r = find("appended", func(r map[string]any) bool {
		es, _ := r["entries"].([]any)
		return len(es) == 1 && es[0].([]any)[2] == "f g"
	})
	e := r["entries"].([]any)[0].([]any)
	expectText(r, fmt.Sprintf(`entry %v "f g" (term %v)`, e[0], e[1]))
	r = find("partition", func(r map[string]any) bool { return true })
	if fmt.Sprint(r["groups"]) != "[[1 2] [3 4 5]]" {
		t.Errorf("partition groups %v", r["groups"])
	}
	r = find("rule", func(r map[string]any) bool { return r["rule"] == "current-term-commit" })
	if _, on := r["on"]; on {
		t.Errorf("rule switched off: %v", r)
	}
	r = find("crash", func(r map[string]any) bool { return r["before"] == true })
	expectText(r, server(r, "server")+" will crash at its next step")
	find("latency", func(r map[string]any) bool { return r["min"] == 5.0 && r["max"] == 15.0 })
	find("drop", func(r map[string]any) bool { return r["rate"] == 0.2 })
	find("timer", func(r map[string]any) bool { return r["delay"] == 20.0 && r["server"] == 4.0 })
	r = find("cut", func(r map[string]any) bool { return r["heartbeat"] == true })
	expectText(r, server(r, "from")+"'s heartbeat to "+server(r, "to")+" is lost")
	r = find("receiver-down", func(r map[string]any) bool { return r["msg"] == "AppendEntries" && r["heartbeat"] == nil })
	expectText(r, server(r, "from")+"'s AppendEntries to "+server(r, "to")+" is lost: "+server(r, "to")+" is crashed")
	r = find("state-machine-safety", func(r map[string]any) bool { return true })
	sv := r["servers"].([]any)
	expectText(r, fmt.Sprintf("S%v applied %v/%v ", sv[1], r["index"], r["term"]))
	expectText(r, fmt.Sprintf(" where S%v applied ", sv[0]))
}
