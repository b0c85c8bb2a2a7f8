//go:build !js

package job

import (
	"strings"
	"testing"
)

// The bugs-elections lesson asks the learner to search from a new cluster
// with keep-vote off, and says what the explorer finds: 7 steps among
// about 2,000 states, no crash, and its own keep-vote story (S1's vote
// request to S3 still on its way, S1's heartbeat making S2 forget its vote, S3
// running for term 1 and S2 voting for it too). This test searches from
// the lesson's own widget, in both languages, and holds the lesson to it.
func TestLessonKeepVoteShortestBreak(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		widget := lessonBlock(t, "../../../lessons/"+lang+"/bugs-elections.md", "expect leader S1 and safe")
		r := answer(t, request(t, Request{From: "start", Run: widget, Lang: lang}), nil)
		if r.Error != "" {
			t.Fatal(r.Error)
		}
		if r.Verdict != "broken" || r.Violation != "election-safety" || r.Depth != 7 || r.Servers != 3 {
			t.Fatalf("%s: %s %s at depth %d with %d servers, and the lesson says election-safety broken in 7 steps of 3 servers", lang, r.Verdict, r.Violation, r.Depth, r.Servers)
		}
		if r.States < 1_800 || r.States > 2_300 {
			t.Errorf("%s: %d states, and the lesson says about 2,000", lang, r.States)
		}
		steps := moves(r.Scenario)
		for _, want := range []string{"deliver S1->S2 heartbeat", "timeout S3", "deliver S2->S3 vote-reply"} {
			if !strings.Contains(steps, want) {
				t.Errorf("%s: the story lacks %q:\n%s", lang, want, steps)
			}
		}
		if strings.Contains(steps, "crash") {
			t.Errorf("%s: the lesson says no crash:\n%s", lang, steps)
		}
		replaysToViolation(t, r.Scenario, r.Violation)
	}
}
