package bridge

import (
	"reflect"
	"strings"
	"testing"
)

// A link cut both ways, a flaky link and a new election timeout range,
// acted through the bridge as the page acts them: the snapshot carries
// the links' loss rates and the range, the timeline marks the cut both
// ways, and the recording writes the lines back.
func TestPartialNetworkThroughTheBridge(t *testing.T) {
	b := New()
	id := mustCreate(t, b, "cluster 3\ngoal time >= 10s\nallow link election\n")
	decode(t, b.Advance(id, 10))
	for _, line := range []string{"link S1<->S3 down", "link S2<->S3 drop 0.3", "election 300-600ms"} {
		if m := decode(t, b.Act(id, line)); m["error"] != nil {
			t.Fatalf("%s: %v", line, m)
		}
	}
	if m := decode(t, b.Act(id, "heal")); m["error"] == nil {
		t.Errorf("heal acted though the exercise does not allow it: %v", m)
	}
	net := decode(t, b.Snapshot(id, 1, 10))["net"].(map[string]any)
	if got, want := net["loss"], []any{[]any{2.0, 3.0, 0.3}, []any{3.0, 2.0, 0.3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("loss %v, want %v", got, want)
	}
	if net["electionMin"] != 300.0 || net["electionMax"] != 600.0 {
		t.Errorf("election %v-%v, want 300-600", net["electionMin"], net["electionMax"])
	}
	if got := net["down"]; !reflect.DeepEqual(got, []any{[]any{1.0, 3.0}, []any{3.0, 1.0}}) {
		t.Errorf("down %v", got)
	}
	marks := decode(t, b.Marks(id, 0))["marks"].([]any)
	found := false
	for _, x := range marks {
		m := x.(map[string]any)
		found = found || m["kind"] == "partition" && m["what"] == "link-both" && m["server"] == 1.0 && m["to"] == 3.0
	}
	if !found {
		t.Errorf("no mark of the link S1<->S3 cut both ways: %v", marks)
	}
	text, _ := decode(t, b.Record(id))["text"].(string)
	if !strings.Contains(text, "link S1<->S3 down\nlink S2<->S3 drop 0.3\nelection 300-600ms\n") {
		t.Errorf("recorded:\n%s", text)
	}
}
