package main

import (
	"bytes"
	"strings"
	"testing"

	"raftplay/raft"
)

// With any implementation mistake made, `raftplay sweep -seeds 3000 -rule
// NAME=off` fails: it exits 1 (a violation; the sweep stops at the first)
// or 3 (a liveness failure and no violation), and says which seed to
// replay.
func TestSweepMistakesExit(t *testing.T) {
	for _, rule := range raft.AllRules() {
		if rule.Kind() != raft.KindMistake {
			continue
		}
		t.Run(rule.String(), func(t *testing.T) {
			t.Parallel()
			var out, errb bytes.Buffer
			code := dispatch([]string{"sweep", "-seeds", "3000", "-workers", "2", "-rule", rule.String() + "=off"}, &out, &errb)
			report := out.String()
			if !strings.Contains(report, "quiet tail: median / 99th percentile / largest (bound)") {
				t.Errorf("no summary of the quiet tail:\n%s", report)
			}
			switch code {
			case exitFail:
				if !strings.Contains(report, "VIOLATION with seed ") {
					t.Errorf("exit 1 without a violation reported:\n%s", report)
				}
			case exitLiveness:
				if !strings.Contains(report, "LIVENESS failure with seed ") {
					t.Errorf("exit 3 without a liveness failure reported:\n%s", report)
				}
				if rule.Safety() {
					t.Errorf("%s=off breaks safety, yet the sweep found no violation in 3000 seeds", rule)
				}
			default:
				t.Fatalf("exit %d, want 1 or 3\n%s%s", code, report, errb.String())
			}
			t.Logf("%s=off: exit %d: %s", rule, code, firstLine(report))
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// -style runs every seed in one style, the partial style included (kept
// out of the default rotation); an unknown style is a usage error that
// lists the styles; a failing run's replay line names the style.
func TestSweepStyleFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"sweep", "-seeds", "20", "-workers", "2", "-style", "partial", "-rule", "prevote=on", "-rule", "check-quorum=on"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "style: partial)") {
		t.Errorf("the summary does not name the style:\n%s", out.String())
	}
	out.Reset()
	errb.Reset()
	if code := dispatch([]string{"sweep", "-seeds", "2", "-style", "wobbly"}, &out, &errb); code != exitUsage ||
		!strings.Contains(errb.String(), `unknown -style "wobbly" (styles: mixed, leader-churn, network, elections, lone-entries, partial)`) {
		t.Errorf("-style wobbly: exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := dispatch([]string{"sweep", "-seeds", "20", "-workers", "2", "-style", "partial", "-rule", "election-restriction=off"}, &out, &errb); code != exitFail ||
		!strings.Contains(out.String(), "-rule election-restriction=off -style partial)") {
		t.Errorf("exit %d, want 1 and a replay line with -style partial:\n%s", code, out.String())
	}
}
