package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"raftplay/lessons"
	"raftplay/raft/scenario"
)

// solutionMoves writes an exercise's reference solution as moves.
func solutionMoves(s *scenario.Scenario) string {
	var b strings.Builder
	for _, c := range s.Solution {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func allExercises(t *testing.T) (map[string]*scenario.Scenario, []lessons.Lesson) {
	t.Helper()
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*scenario.Scenario{}
	for _, l := range lessons.In(all, "en") {
		exs, err := exercisesOf(l)
		if err != nil {
			t.Fatal(err)
		}
		for i, ex := range exs {
			out[l.Slug+"/"+strconv.Itoa(i+1)] = ex
		}
	}
	if len(out) < 6 {
		t.Fatalf("only %d exercises", len(out))
	}
	return out, all
}

// Every exercise's reference solution, handed in as a code, verifies.
func TestEveryReferenceSolutionVerifies(t *testing.T) {
	exs, all := allExercises(t)
	for id, ex := range exs {
		code := encodeCode(id, scenario.SetupDigest(ex), solutionMoves(ex))
		v := verifyCode(all, code)
		if !v.solved {
			t.Errorf("%s: %s", id, v.why)
		}
		if v.moves == 0 {
			t.Errorf("%s: solved with no actions?", id)
		}
	}
}

func TestTheChineseVersionHasTheSameDigest(t *testing.T) {
	all, err := lessons.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range lessons.In(all, "en") {
		zh, _ := lessons.Find(all, "zh", en.Slug)
		a, _ := exercisesOf(en)
		b, _ := exercisesOf(zh)
		if len(a) != len(b) {
			t.Fatalf("%s: %d vs %d exercises", en.Slug, len(a), len(b))
		}
		for i := range a {
			if scenario.SetupDigest(a[i]) != scenario.SetupDigest(b[i]) {
				t.Errorf("%s/%d: the languages' digests differ", en.Slug, i+1)
			}
		}
	}
}

func TestBadCodesAreRefused(t *testing.T) {
	exs, all := allExercises(t)
	var id string
	for k := range exs {
		if id == "" || k < id {
			id = k
		}
	}
	ex := exs[id]
	digest := scenario.SetupDigest(ex)
	var otherID string
	for k := range exs {
		if k != id {
			otherID = k
			break
		}
	}
	cases := []struct {
		name, code, want string
	}{
		{"unsolved", encodeCode(id, digest, "run 10ms\n"), "was not reached"},
		{"tampered digest", encodeCode(id, "0123456789abcdef", solutionMoves(ex)), "different version"},
		{"wrong exercise", encodeCode(otherID, digest, solutionMoves(ex)), "different version"},
		{"no such lesson", encodeCode("nope/1", digest, ""), `lesson "nope"`},
		{"no such exercise", encodeCode(strings.Split(id, "/")[0]+"/99", digest, ""), "exercises, not 99"},
		{"garbage", "%%%not base64%%%", "not base64url"},
		{"not deflate", "aGVsbG8gd29ybGQ", "does not decompress"},
		{"not ours", encodeWithMagic("hello", id, digest), "not a raftplay solution code"},
		{"bad move", encodeCode(id, digest, "crsh S1\n"), `did you mean "crash"`},
		{"not a move", encodeCode(id, digest, "expect leader\n"), "not an action or a run, step or run until line"},
		{"empty", "", "empty code"},
	}
	for _, tc := range cases {
		v := verifyCode(all, tc.code)
		if v.solved || !strings.Contains(v.why, tc.want) {
			t.Errorf("%s: solved=%v why=%q, want %q", tc.name, v.solved, v.why, tc.want)
		}
	}
}

// encodeWithMagic writes a code with another first line.
func encodeWithMagic(magic, id, digest string) string {
	return encodeCodeRaw(magic + "\nexercise " + id + "\ndigest " + digest + "\n")
}

func TestVerifyCommandLine(t *testing.T) {
	exs, _ := allExercises(t)
	var good []string
	for id, ex := range exs {
		good = append(good, encodeCode(id, scenario.SetupDigest(ex), solutionMoves(ex)))
	}
	var out, errb bytes.Buffer
	if code := runVerify(good, &out, &errb); code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
	if strings.Count(out.String(), ": solved (") != len(good) {
		t.Errorf("output:\n%s", out.String())
	}
	// A file with one bad code among good ones: exit 1, and a table.
	f := filepath.Join(t.TempDir(), "codes.txt")
	os.WriteFile(f, []byte("# class of 2026\n"+strings.Join(good, "\n")+"\nnot-a-code\n"), 0o644)
	out.Reset()
	if code := runVerify([]string{"-table", "-f", f}, &out, &errb); code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "exercise") || !strings.Contains(out.String(), "yes") || !strings.Contains(out.String(), "no") {
		t.Errorf("table:\n%s", out.String())
	}
	if code := runVerify(nil, &out, &errb); code != exitUsage {
		t.Errorf("no codes: exit %d, want 2", code)
	}
	if code := runVerify([]string{"-f", "/does/not/exist"}, &out, &errb); code != exitUsage {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}
