//go:build !js

package job

import (
	"strings"
	"testing"

	"raftplay/raft/player"
	"raftplay/raft/scenario"
)

// The previous-terms lesson asks the learner to search from the pause
// after Figure 8's panel (c), with current-term-commit off, and says what
// the explorer finds there: this test plays the lesson's widget to that
// pause, records the run as the page does, and searches from it. (Native
// only: the search takes seconds here and about a minute under node.)
func TestLessonFigure8FromPanelC(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		text := lessonBlock(t, "../../../lessons/"+lang+"/previous-terms.md", "rule current-term-commit off")
		s, err := scenario.Parse(lang, text)
		if err != nil {
			t.Fatal(err)
		}
		r, err := player.NewRunner(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		pauses := 0
		for pauses < 3 && !r.Ended() && r.Err() == nil {
			for _, o := range r.Advance(runLimit) {
				if o.Kind == player.OutPause {
					pauses++
				}
			}
		}
		if pauses != 3 || r.Err() != nil {
			t.Fatalf("%s: %d pauses, %v", lang, pauses, r.Err())
		}
		ans := answer(t, request(t, Request{From: "here", Run: player.Record(r.Cluster), Lang: lang}), nil)
		if ans.Error != "" {
			t.Fatal(ans.Error)
		}
		steps := moves(ans.Scenario)
		t.Logf("%s: %s at depth %d, %d states in %d ms:\n%s", lang, ans.Verdict, ans.Depth, ans.States, ans.Ms, steps)
		// What the lesson says: 15 steps, S1 does not crash, S5 restarts
		// and times out twice, and S1 and S2 vote for it.
		if ans.Verdict != "broken" || ans.Violation != "leader-completeness" || ans.Depth != 15 {
			t.Errorf("%s: %s %s at depth %d", lang, ans.Verdict, ans.Violation, ans.Depth)
		}
		for _, want := range []string{"restart S5", "deliver S1->S5 vote-reply", "deliver S2->S5 vote-reply"} {
			if !strings.Contains(steps, want) {
				t.Errorf("%s: the story lacks %q", lang, want)
			}
		}
		if !strings.HasPrefix(steps, "deliver S2->S1 append-reply\ndeliver S3->S1 append-reply\nrestart S5\n") ||
			strings.Contains(steps, "crash") || strings.Count(steps, "timeout S5") != 2 {
			t.Errorf("%s: the story is not the lesson's", lang)
		}
		replaysToViolation(t, ans.Scenario, ans.Violation)
		// The widget is partitioned at (c): the search heals it first.
		if !ans.Healed || !strings.Contains(ans.Scenario, "\nheal\nnetwork manual\n") {
			t.Errorf("%s: the search did not begin from the healed network", lang)
		}
	}
}
