package bridge

import (
	"os"
	"strings"
	"testing"
)

// marksScript crashes and restarts a leader, cuts a link, partitions
// and heals, and stops twice for the learner.
const marksScript = `cluster 5
timeout S1
run until leader S1 within 1s
pause
crash S1
run until leader within 2s
restart S1
link S2->S3 down
run 100ms
question "Who leads?"
choice "S1" when leader S1
choice "S3" when leader S3
partition S1 S2 | S3 S4 S5
run 2s
heal
run 500ms
`

// markList is one call's marks, each written "kind@t" with its server
// and term when it has them ("leader@153:S1:1").
func markList(t *testing.T, m map[string]any) []string {
	t.Helper()
	var out []string
	for _, x := range m["marks"].([]any) {
		k := x.(map[string]any)
		s := k["kind"].(string) + "@" + num(k["t"])
		if v, ok := k["server"]; ok {
			s += ":S" + num(v)
		}
		if v, ok := k["to"]; ok {
			s += "->S" + num(v)
		}
		if v, ok := k["term"]; ok {
			s += ":" + num(v)
		}
		if v, ok := k["what"]; ok {
			s += ":" + v.(string)
		}
		out = append(out, s)
	}
	return out
}

func num(v any) string {
	return strings.TrimSuffix(strings.TrimRight(strings.TrimRight(formatFloat(v.(float64)), "0"), "."), ".")
}

func formatFloat(f float64) string {
	if f == float64(int64(f)) {
		return itoa(int64(f)) + "."
	}
	return "?"
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// kinds returns the kinds of marks, in order.
func kinds(marks []string) string {
	var ks []string
	for _, m := range marks {
		ks = append(ks, m[:strings.IndexByte(m, '@')])
	}
	return strings.Join(ks, " ")
}

func stopList(m map[string]any) []string {
	var out []string
	for _, x := range m["stops"].([]any) {
		s := x.(map[string]any)
		out = append(out, s["kind"].(string)+"@"+num(s["t"])+":"+num(s["line"]))
	}
	return out
}

func advanceAll(t *testing.T, b *Bridge, id int) {
	t.Helper()
	for i := 0; i < 20; i++ {
		r := decode(t, b.Advance(id, 10_000))
		if r["ended"] == true {
			return
		}
	}
	t.Fatal("the script did not end")
}

// The marks say what the timeline shows, as it happened: the elections,
// the crash and restart, the cuts and the heal, and the script's stops;
// a call gives what came since the cursor, and nothing twice.
func TestMarks(t *testing.T) {
	b := New()
	id := mustCreate(t, b, marksScript)
	first := decode(t, b.Marks(id, 0))
	if got := markList(t, first); len(got) != 0 || len(first["stops"].([]any)) != 0 || first["reset"] != false {
		t.Fatalf("marks at the start: %v", first)
	}
	decode(t, b.Advance(id, 10_000)) // to the pause
	m := decode(t, b.Marks(id, int(first["cursor"].(float64))))
	got := markList(t, m)
	if kinds(got) != "leader" || !strings.HasSuffix(got[0], ":S1:1") {
		t.Fatalf("marks at the pause: %v", got)
	}
	at := decode(t, b.Snapshot(id, 1, 1))["time"].(float64)
	if stops := stopList(m); len(stops) != 1 || stops[0] != "pause@"+num(at)+":4" {
		t.Fatalf("stops at the pause: %v", stops)
	}
	cursor := int(m["cursor"].(float64))
	if again := markList(t, decode(t, b.Marks(id, cursor))); len(again) != 0 {
		t.Fatalf("the same cursor again: %v", again)
	}
	advanceAll(t, b, id)
	rest := decode(t, b.Marks(id, cursor))
	all := append(got, markList(t, rest)...)
	if k := kinds(all); k != "leader crash leader restart partition partition heal leader" {
		t.Fatalf("marks of the whole run: %v", all)
	}
	if !strings.HasPrefix(all[1], "crash@"+num(at)+":S1") {
		t.Errorf("the crash %s is not at the pause's moment %v", all[1], at)
	}
	if !strings.HasSuffix(all[4], ":S2->S3:link") || strings.Contains(all[5], ":") || strings.Contains(all[6], ":") {
		t.Errorf("the cut link, the partition and the heal: %v", all[4:7])
	}
	if stops := stopList(rest); len(stops) != 2 || !strings.HasPrefix(stops[1], "question@") || !strings.HasSuffix(stops[1], ":10") {
		t.Errorf("stops of the whole run: %v", stops)
	}
	// Marks are in the order of time.
	prev := -1.0
	for _, x := range append(first["marks"].([]any), append(m["marks"].([]any), rest["marks"].([]any)...)...) {
		tm := x.(map[string]any)["t"].(float64)
		if tm < prev {
			t.Errorf("mark at %v after one at %v", tm, prev)
		}
		prev = tm
	}

	// Back before the crash: the future already run keeps its marks, and
	// playing it again adds none.
	end := int(rest["cursor"].(float64))
	decode(t, b.Seek(id, at-1))
	if r := decode(t, b.Marks(id, end)); r["reset"] != false || len(markList(t, r)) != 0 || len(stopList(r)) != 2 {
		t.Fatalf("after a seek back: %v", r)
	}
	advanceAll(t, b, id)
	if r := decode(t, b.Marks(id, end)); len(markList(t, r)) != 0 {
		t.Fatalf("playing the same future again: %v", markList(t, r))
	}

	// Acting in the past (just before the election) replaces the future:
	// the page starts over, with the marks up to the action (none) and
	// the action's own.
	decode(t, b.Seek(id, at-1))
	if r := decode(t, b.Act(id, "crash S2")); r["error"] != nil {
		t.Fatal(r["error"])
	}
	r := decode(t, b.Marks(id, end))
	if r["reset"] != true || kinds(markList(t, r)) != "crash" || !strings.HasSuffix(markList(t, r)[0], ":S2") {
		t.Fatalf("after acting in the past: %v", markList(t, r))
	}
	if stops := stopList(r); len(stops) != 0 {
		t.Errorf("stops after acting in the past, before the first: %v", stops)
	}
	// A fork that withdraws no mark the page has keeps its cursor: it
	// gets the new marks only.
	advanceAll(t, b, id)
	r = decode(t, b.Marks(id, 0))
	if kinds(markList(t, r)) != "crash leader" {
		t.Fatalf("the new future: %v", markList(t, r))
	}
	cursor = int(r["cursor"].(float64))
	decode(t, b.Seek(id, 300))
	decode(t, b.Act(id, "crash S3"))
	if r := decode(t, b.Marks(id, cursor)); r["reset"] != false || kinds(markList(t, r)) != "crash" {
		t.Fatalf("after acting at 300ms: %v", r)
	}
	// A stale cursor of the same size (taken before the fork) is reset too.
	if r := decode(t, b.Marks(id, 2)); r["reset"] != true {
		t.Errorf("a cursor from before the fork: %v", r)
	}
}

// A safety rule off: the violations are marked.
func TestMarksViolations(t *testing.T) {
	text, err := os.ReadFile("../../raft/scenario/testdata/election-restriction-off.raft")
	if err != nil {
		t.Fatal(err)
	}
	b := New()
	id := mustCreate(t, b, string(text))
	advanceAll(t, b, id)
	got := markList(t, decode(t, b.Marks(id, 0)))
	var vs []string
	for _, m := range got {
		if strings.HasPrefix(m, "violation@") {
			vs = append(vs, m)
		}
	}
	if len(vs) == 0 || !strings.HasSuffix(vs[0], ":S4:2:leader-completeness") {
		t.Fatalf("violation marks: %v (all %v)", vs, got)
	}
}

// Bad requests are answered with an error, or read from the start.
func TestMarksArguments(t *testing.T) {
	b := New()
	if e := decode(t, b.Marks(7, 0))["error"]; e == nil || !strings.Contains(e.(string), "no cluster 7") {
		t.Errorf("marks of an unknown cluster: %v", e)
	}
	id := mustCreate(t, b, marksScript)
	advanceAll(t, b, id)
	for _, c := range []int{-1, -markEpoch, 1 << 40, markEpoch + 1, 99} {
		r := decode(t, b.Marks(id, c))
		if r["reset"] != true || len(markList(t, r)) != 8 {
			t.Errorf("cursor %d: %v", c, r)
		}
	}
}

// A run with more marks than a call sends gives them in several calls;
// past the most kept, the oldest go and the page starts over.
func TestMarksBounded(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\n")
	s := b.sessions[id]
	for i := 0; i < MaxMarks+10; i++ {
		s.marks.list = append(s.marks.list, mark{kind: "crash", t: i, server: 1})
	}
	s.marks.list = s.marks.list[:MaxMarksSent+5]
	r := decode(t, b.Marks(id, 0))
	if r["more"] != true || len(markList(t, r)) != MaxMarksSent {
		t.Fatalf("first call: more %v, %d marks", r["more"], len(markList(t, r)))
	}
	r = decode(t, b.Marks(id, int(r["cursor"].(float64))))
	if r["more"] != nil || len(markList(t, r)) != 5 {
		t.Fatalf("second call: more %v, %d marks", r["more"], len(markList(t, r)))
	}
	cursor := int(r["cursor"].(float64))
	s.marks.list = s.marks.list[:MaxMarks+1]
	r = decode(t, b.Marks(id, cursor))
	if r["reset"] != true || len(s.marks.list) != MaxMarks/2 {
		t.Fatalf("past the bound: reset %v, %d kept", r["reset"], len(s.marks.list))
	}
}
