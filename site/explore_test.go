package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// raftplay explore: its verdicts and exit statuses, the counterexample
// it writes, and its usage errors, each of which says what is wrong.
func TestExploreCommand(t *testing.T) {
	dir := t.TempDir()
	small := []string{"-q", "-terms", "1", "-log", "0", "-requests", "0", "-inflight", "4"}
	explore := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := dispatch(append([]string{"explore"}, args...), &out, &errb)
		return code, out.String(), errb.String()
	}

	out := filepath.Join(dir, "pv.raft")
	code, stdout, _ := explore(append(small, "-rule", "persist-vote=off", "-out", out)...)
	last := lastLine(stdout)
	if code != exitFail || !strings.Contains(last, "broken at depth 10: election-safety") ||
		!strings.Contains(last, "bounds: servers=3 terms=1 log=0 requests=0 crashes=1 restarts=1 inflight=4 depth=100 mem=2048MB") ||
		!strings.Contains(last, "rules: persist-vote=off; symmetry on") {
		t.Errorf("persist-vote off: exit %d, last line %q", code, last)
	}
	text, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(text), "cluster 3\nrule persist-vote off\nnetwork manual\ntimeout S1\n") ||
		!strings.HasSuffix(string(text), "\nexpect violation election-safety\n") {
		t.Errorf("the counterexample written: %v\n%s", err, text)
	}

	// A mistake switched off, with a batch size: the counterexample sets
	// it too.
	code, stdout, _ = explore(append(small, "-rule", "keep-vote=off", "-crashes", "0", "-restarts", "0", "-batch", "1")...)
	if last := lastLine(stdout); code != exitFail || !strings.Contains(last, "broken at depth 9: election-safety") ||
		!strings.Contains(last, "inflight=4 depth=100 batch=1 mem=2048MB") ||
		!strings.Contains(stdout, "\ncluster 3\nbatch 1\nrule keep-vote off\nnetwork manual\n") {
		t.Errorf("keep-vote off: exit %d\n%s", code, stdout)
	}

	code, stdout, _ = explore(append(small, "-crashes", "0", "-restarts", "0", "-inflight", "2", "-symmetry=false")...)
	if last := lastLine(stdout); code != exitOK || !strings.HasPrefix(last, "explore: holds: no state within the bounds breaks an invariant") ||
		!strings.Contains(last, "symmetry off") {
		t.Errorf("all rules on: exit %d, last line %q", code, last)
	}

	code, stdout, _ = explore("-q", "-time", "1ms", "-terms", "3")
	if last := lastLine(stdout); code != exitBudget || !strings.Contains(last, "time budget of 1ms reached") {
		t.Errorf("a time budget: exit %d, last line %q", code, last)
	}

	code, stdout, _ = explore("-q", "-mem", "4")
	if last := lastLine(stdout); code != exitBudget || !strings.Contains(last, "stopped at depth") || !strings.Contains(last, "memory budget of 4 MB reached") {
		t.Errorf("a small budget: exit %d, last line %q", code, last)
	}

	// From the end of a scenario: S1 leads term 1 and has committed x.
	from := filepath.Join(dir, "leader.raft")
	if err := os.WriteFile(from, []byte("cluster 3\ntimer S1 100ms\nrun until leader S1 within 1s\npropose x\nrun 200ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, _ = explore("-q", "-from", from, "-rule", "persist-vote=off")
	if last := lastLine(stdout); code != exitFail || !strings.Contains(last, "broken at depth 13: election-safety S2 S3 term=2") ||
		!strings.Contains(stdout, "\ncluster 3\ntimer S1 100ms\nrun until leader S1 within 1s\npropose x\nrun 200ms\nrule persist-vote off\nnetwork manual\ndrop S1->S2 heartbeat\n") {
		t.Errorf("from a scenario: exit %d\n%s", code, stdout)
	}
	// From the end of Figure 8's panel (c), five servers, current-term-commit
	// off: S5 wins term 5 without the committed b.
	code, stdout, _ = explore("-q", "-from", "../raft/explore/testdata/figure8-c.raft", "-terms", "5", "-log", "2",
		"-requests", "0", "-crashes", "0", "-restarts", "0", "-inflight", "4")
	if last := lastLine(stdout); code != exitFail || !strings.Contains(last, "broken at depth 11: leader-completeness S5 index=2 term=5") ||
		!strings.Contains(last, "servers=5 ") || !strings.Contains(stdout, "\nrestart S5\nexpect crashed S1 and log S5 1:a 3:c and log S3 1:a 2:b\nnetwork manual\n") {
		t.Errorf("from Figure 8 (c): exit %d\n%s", code, stdout)
	}

	notOne := filepath.Join(dir, "two.md")
	if err := os.WriteFile(notOne, []byte("```raft\ntimeout S1\n```\n\n```raft\ntimeout S2\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-from", notOne}, "holds 2 scenarios; -from takes one"},
		{[]string{"-from", from, "-log", "0"}, "the start is beyond the bounds: S1's log holds 1 entry (log=0)"},
		{[]string{"-servers", "9"}, "servers must be between 1 and 5, not 9"},
		{[]string{"-time", "-1s"}, "-time must not be negative"},
		{[]string{"-terms", "0"}, "terms must be between 1 and 1000, not 0"},
		{[]string{"-batch", "-1"}, "batch must be between 0 and 64, not -1"},
		{[]string{"-mem", "0"}, "memory must be between 4 MB and 1 TB"},
		{[]string{"-rule", "prevote=on"}, "prevote, check-quorum and vote-lease depend on time"},
		{[]string{"-rule", "nope=off"}, `unknown rule "nope"`},
		{[]string{"-inflight", "many"}, `invalid value "many"`},
		{[]string{"extra"}, `unexpected argument "extra"`},
		{[]string{"-from", filepath.Join(dir, "missing.raft")}, "no such file"},
	} {
		code, _, stderr := explore(c.args...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// Every counterexample the explorer writes replays in the simulator to
// the very violation it found: raftplay check plays it with the manual
// network and its last line, expect violation NAME, holds. From the
// initial state with persist-vote, election-restriction and three of the
// mistakes off (persist-before-send's with a crash after a send), with
// commit-matched off from a stale tail (a batch of one entry), and with
// current-term-commit off from the end of Figure 8's panel (c).
func TestExploreCounterexamplesReplay(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"persist-vote", []string{"-rule", "persist-vote=off"}},
		{"election-restriction", []string{"-rule", "election-restriction=off"}},
		{"keep-vote", []string{"-rule", "keep-vote=off", "-terms", "1", "-log", "0", "-requests", "0", "-crashes", "0", "-restarts", "0", "-inflight", "6"}},
		{"persist-before-send", []string{"-rule", "persist-before-send=off", "-terms", "1", "-log", "0", "-requests", "0", "-inflight", "6"}},
		{"truncate-on-conflict", []string{"-rule", "truncate-on-conflict=off"}},
		{"commit-matched", []string{"-from", "../raft/explore/testdata/commit-matched.raft", "-terms", "3", "-log", "2", "-requests", "1", "-crashes", "0", "-restarts", "0"}},
		{"current-term-commit", []string{"-from", "../raft/explore/testdata/figure8-c.raft", "-terms", "5", "-log", "2", "-requests", "0", "-crashes", "0", "-restarts", "0", "-inflight", "4"}},
	} {
		out := filepath.Join(dir, tc.name+".raft")
		var stdout, stderr bytes.Buffer
		if code := dispatch(append([]string{"explore", "-q", "-out", out}, tc.args...), &stdout, &stderr); code != exitFail {
			t.Errorf("%s off: explore exit %d, want %d (a counterexample)\n%s%s", tc.name, code, exitFail, stdout.String(), stderr.String())
			continue
		}
		text, err := os.ReadFile(out)
		if err != nil || !strings.Contains(string(text), "network manual\n") || !strings.Contains(string(text), "\nexpect violation ") {
			t.Errorf("%s off: the counterexample written: %v\n%s", tc.name, err, text)
			continue
		}
		stdout.Reset()
		stderr.Reset()
		if code := dispatch([]string{"check", out}, &stdout, &stderr); code != exitOK {
			t.Errorf("%s off: check of the counterexample: exit %d\n%s%s\n%s", tc.name, code, stdout.String(), stderr.String(), text)
		}
	}
}
