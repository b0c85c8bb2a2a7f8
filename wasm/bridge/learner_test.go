package bridge

import (
	"strings"
	"testing"
)

// kindsOf lists the kinds of an answer's outputs.
func kindsOf(m map[string]any) string {
	var ks []string
	for _, o := range m["outputs"].([]any) {
		ks = append(ks, o.(map[string]any)["kind"].(string))
	}
	return strings.Join(ks, " ")
}

// Lesson 1's "Clients talk to the leader" (overview.md): crashing S1 at
// the pause and going on showed "overview.md:89:7: propose: no leader to
// propose to". Now the crash takes the cluster over: the script stops,
// the answers say so, and rewinding gives the cluster back to the script.
func TestActTakesTheDemoOver(t *testing.T) {
	b := New()
	id := mustCreate(t, b, playScript)
	if m := decode(t, b.Advance(id, 10_000)); kindsOf(m) != "say pause" {
		t.Fatalf("outputs %q", kindsOf(m))
	}
	at := decode(t, b.Snapshot(id, 1, 1))["time"].(float64)
	m := decode(t, b.Act(id, "crash S1"))
	if m["error"] != nil || kindsOf(m) != "takeover" || m["takenOver"] != true || m["ended"] != true {
		t.Fatalf("crash at the pause: %v", m)
	}
	m = decode(t, b.Advance(id, 2000))
	if m["failed"] != nil || m["takenOver"] != true || m["time"].(float64) != at+2000 {
		t.Errorf("after the takeover: %v", m)
	}
	if sn := decode(t, b.Snapshot(id, 1, 10)); sn["takenOver"] != true || sn["setup"] != false {
		t.Errorf("snapshot: takenOver %v, setup %v", sn["takenOver"], sn["setup"])
	}
	m = decode(t, b.Seek(id, at-1))
	if m["takenOver"] != false || m["ended"] != false {
		t.Errorf("seek back before the takeover: %v", m)
	}
	if sn := decode(t, b.Snapshot(id, 1, 10)); sn["takenOver"] != false {
		t.Error("the snapshot still says taken over after the seek back")
	}
}

// The persistence lesson's exercise (lesson 6), as a learner did it: its
// seven moves made while the setup still ran were taken, and the page
// said "Solved! 7 actions in 0 ms", with a code that verify refused
// (its moves were counted as the setup's). Now every move waits for the
// setup's end, refused with the code "setup".
func TestMovesWaitForTheExerciseSetup(t *testing.T) {
	b := New()
	id := mustCreate(t, b, `cluster 5
timeout S1
run until leader S1 within 1s
run 200ms
goal violation election-safety
allow rule crash restart partition isolate timeout heal
solution
timeout S2
`)
	decode(t, b.Advance(id, 5))
	if sn := decode(t, b.Snapshot(id, 1, 1)); sn["setup"] != true {
		t.Fatalf("setup %v at 5ms", sn["setup"])
	}
	for _, move := range []string{"rule persist-vote off", "partition S1 S2 S3 | S4 S5", "timeout S2",
		"crash S3", "restart S3", "partition S1 S2 | S3 S4 S5", "timeout S4"} {
		m := decode(t, b.Act(id, move))
		if m["code"] != "setup" || m["error"] == nil {
			t.Errorf("%s during the setup: %v", move, m)
		}
	}
	if m := decode(t, b.Solve(id)); m["code"] != "setup" {
		t.Errorf("solve during the setup: %v", m)
	}
	for i := 0; i < 100; i++ {
		if m := decode(t, b.Advance(id, 1000)); m["ended"] == true {
			if m["setup"] != false || m["solved"] != false {
				t.Errorf("at the setup's end: %v", m)
			}
			break
		}
	}
	if m := decode(t, b.Act(id, "partition S1 S2 S3 | S4 S5")); m["error"] != nil {
		t.Fatalf("a move after the setup: %v", m)
	}
	if m := decode(t, b.Act(id, "link S1->S2 down")); m["code"] != "not-allowed" {
		t.Errorf("a move the exercise does not allow: %v", m)
	}
	sol := decode(t, b.Solution(id))
	if sol["count"].(float64) != 1 || !strings.Contains(sol["moves"].(string), "partition S1 S2 S3 | S4 S5") {
		t.Errorf("solution %v", sol)
	}
}
