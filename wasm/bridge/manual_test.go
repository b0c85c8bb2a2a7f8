package bridge

import (
	"strings"
	"testing"
)

// In the manual network the snapshot says so, and each message in flight
// is marked as waiting, with finite times still (the page draws it
// halfway and no further). The learner steps the network with the same
// commands a script uses, and what the learner did is recorded.
func TestManualNetworkThroughTheBridge(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\nnetwork manual\ntimeout S1\n")
	if m := decode(t, b.Advance(id, 1000)); m["ended"] != true || m["failed"] != nil {
		t.Fatalf("the script did not end: %v", m)
	}
	sn := decode(t, b.Snapshot(id, 1, 10))
	msgs := sn["msgs"].([]any)
	if sn["manual"] != true || len(msgs) != 2 {
		t.Fatalf("manual %v, %d messages in flight", sn["manual"], len(msgs))
	}
	for _, x := range msgs {
		m := x.(map[string]any)
		if m["waiting"] != true || m["kind"] != "vote" || m["at"].(float64) > sn["time"].(float64)+1000 {
			t.Errorf("message in the manual network: %v", m)
		}
	}
	for _, s := range sn["servers"].([]any) {
		if end := s.(map[string]any)["timerEnd"].(float64); end != 0 {
			t.Errorf("a timer shows in the manual network: %v", s)
		}
	}
	if m := decode(t, b.Act(id, "deliver S1->S2 vote")); m["error"] != nil {
		t.Fatalf("deliver: %v", m)
	}
	if m := decode(t, b.Act(id, "deliver S2->S1 vote-reply")); m["error"] != nil {
		t.Fatalf("deliver the reply: %v", m)
	}
	if sn := decode(t, b.Snapshot(id, 1, 10)); sn["leader"].(float64) != 1 {
		t.Errorf("leader %v after a majority's votes", sn["leader"])
	}
	m := decode(t, b.Act(id, "deliver S1->S2 vote"))
	if e, _ := m["error"].(string); !strings.Contains(e, "no vote in flight from S1 to S2 (1 heartbeat)") {
		t.Errorf("deliver what is not there: %v", m)
	}
	rec := decode(t, b.Record(id))
	text, _ := rec["text"].(string)
	if !strings.HasSuffix(text, "network manual\ntimeout S1\ndeliver S1->S2 vote\ndeliver S2->S1 vote-reply\n") {
		t.Errorf("recorded: %v", rec)
	}
	if m := decode(t, b.Act(id, "network auto")); m["error"] != nil {
		t.Fatal(m)
	}
	decode(t, b.Advance(id, 100))
	sn = decode(t, b.Snapshot(id, 1, 10))
	if sn["manual"] != false || sn["events"].(float64) == 0 {
		t.Errorf("after network auto: manual %v, %v events", sn["manual"], sn["events"])
	}
	for _, x := range sn["msgs"].([]any) {
		if x.(map[string]any)["waiting"] != nil {
			t.Errorf("waiting after network auto: %v", x)
		}
	}
}
