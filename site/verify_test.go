package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"raftplay/lessons"
	"raftplay/raft/player"
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
		code := encodeCode(id, player.SetupDigest(ex), "", solutionMoves(ex))
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
			if player.SetupDigest(a[i]) != player.SetupDigest(b[i]) {
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
	digest := player.SetupDigest(ex)
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
		{"unsolved", encodeCode(id, digest, "", "run 10ms\n"), "was not reached"},
		{"tampered digest", encodeCode(id, "0123456789abcdef", "", solutionMoves(ex)), "different version"},
		{"wrong exercise", encodeCode(otherID, digest, "", solutionMoves(ex)), "different version"},
		{"no such lesson", encodeCode("nope/1", digest, "", ""), `lesson "nope"`},
		{"no such exercise", encodeCode(strings.Split(id, "/")[0]+"/99", digest, "", ""), "exercises, not 99"},
		{"garbage", "%%%not base64%%%", "not base64url"},
		{"not deflate", "aGVsbG8gd29ybGQ", "does not decompress"},
		{"not ours", encodeWithMagic("hello", id, digest), "not a raftplay solution code"},
		{"bad move", encodeCode(id, digest, "", "crsh S1\n"), `did you mean "crash"`},
		{"not a move", encodeCode(id, digest, "", "expect leader\n"), "not an action or a run, step or run until line"},
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
		good = append(good, encodeCode(id, player.SetupDigest(ex), "", solutionMoves(ex)))
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

// Codes that run long: before the grading limit was counted from the end
// of the setup, verify spun forever on any code past one hour of virtual
// time, and a batch stopped at the first. Each is now replayed at most to
// the limit, reported on its own line, and the batch goes on.
func TestVerifyBoundsLongCodes(t *testing.T) {
	exs, _ := allExercises(t)
	const id = "election/2"
	ex := exs[id]
	d := player.SetupDigest(ex)
	codes := []string{
		encodeCode(id, d, "", "run 7200s\n"),
		encodeCode(id, d, "", "step 1000000\nstep 1000000\nstep 1000000\n"),
		encodeCode(id, d, "", "run 86400s\nrun 1s\ntimeout S3\n"),
		// An honest learner who watched for an hour, then solved it.
		encodeCode(id, d, "", "run 3600s\ntimeout S3\nrun until leader S3 within 1s\ntimeout S5\nrun until leader S5 within 1s\n"),
	}
	var out, errb bytes.Buffer
	if code := runVerify(codes, &out, &errb); code != exitFail {
		t.Errorf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(codes) {
		t.Fatalf("%d lines for %d codes:\n%s", len(lines), len(codes), out.String())
	}
	want := []string{"not solved: the goal", "not solved: the goal", "not solved: the moves run past the grading limit", "solved ("}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], id+": "+w) {
			t.Errorf("line %d: %q, want it to start with %q", i+1, lines[i], id+": "+w)
		}
	}
}

// The time verify reports is when the goal first held, not when the moves
// ended.
func TestVerifyTimesTheGoal(t *testing.T) {
	exs, all := allExercises(t)
	const id = "overview/1"
	v := verifyCode(all, encodeCode(id, player.SetupDigest(exs[id]), "", "timeout S3\nrun until leader S3 within 1s\nrun 10s\n"))
	if !v.solved || v.time <= 0 || v.time >= 1000 {
		t.Errorf("solved=%v in %dms, want the moment S3 won (well under 1s): %s", v.solved, v.time, v.why)
	}
}

// Nothing a code says reaches the teacher's terminal as a control: not in
// the exercise name, the digest, the learner's name or the moves. A name
// that is not exactly slug/N is not printed at all.
func TestVerifyOutputIsTerminalSafe(t *testing.T) {
	exs, _ := allExercises(t)
	const id = "overview/1"
	d := player.SetupDigest(exs[id])
	esc := "\x1b[2K\r\x1b[32moverview/1: solved (1 actions)\x1b[0m\x1b]52;c;cm0gLXJmIH4K\x07\u202e"
	codes := []string{
		encodeCode(esc, d, "", "timeout S3\n"),
		encodeCode(id, esc, "", "timeout S3\n"),
		encodeCode(id, d, esc, "timeout S3\nrun until leader S3 within 1s\n"),
		encodeCode(id, d, "", "propose \""+esc+"\"\n"),
		encodeCode("election/+2", d, "", ""),
		encodeCode("election/02", d, "", ""),
	}
	for _, table := range []bool{false, true} {
		args := codes
		if table {
			args = append([]string{"-table"}, codes...)
		}
		var out, errb bytes.Buffer
		runVerify(args, &out, &errb)
		for _, r := range out.String() {
			if (r < 0x20 && r != '\n') || r == 0x7f || r == '\u202e' {
				t.Fatalf("table=%v: control %U in the output:\n%q", table, r, out.String())
			}
		}
		if !table {
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			for i, prefix := range []string{"code 1: not solved", "overview/1: not solved", "overview/1: solved by \"", "overview/1: not solved", "code 5: not solved", "code 6: not solved"} {
				if !strings.HasPrefix(lines[i], prefix) {
					t.Errorf("line %d: %q, want it to start with %q", i+1, lines[i], prefix)
				}
			}
		}
	}
	for _, bad := range []string{"election/+2", "election/02", "election/2 ", "Election/2", "election/2/1", "/2", "election/"} {
		if _, _, ok := canonicalExercise(bad); ok {
			t.Errorf("%q accepted as an exercise name", bad)
		}
	}
}

// One line far too long to be a code is reported in its place, and the
// codes after it are still checked.
func TestVerifyFileWithAHugeLine(t *testing.T) {
	exs, _ := allExercises(t)
	const id = "overview/1"
	good := encodeCode(id, player.SetupDigest(exs[id]), "", solutionMoves(exs[id]))
	f := filepath.Join(t.TempDir(), "codes.txt")
	os.WriteFile(f, []byte(good+"\n"+strings.Repeat("A", 5<<20)+"\n"+good+"\n"), 0o644)
	var out, errb bytes.Buffer
	if code := runVerify([]string{"-f", f}, &out, &errb); code != exitFail {
		t.Errorf("exit %d, want 1 (one line is not a code)", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], id+": solved") || !strings.Contains(lines[1], "too long") ||
		!strings.HasPrefix(lines[2], id+": solved") {
		t.Errorf("output:\n%s%s", out.String(), errb.String())
	}
}

// The table flags what a teacher should look at: moves equal to the
// reference solution, the same code twice, and the same moves twice.
func TestVerifyTableFlagsCopies(t *testing.T) {
	exs, _ := allExercises(t)
	const id = "overview/1"
	d := player.SetupDigest(exs[id])
	ref := encodeCode(id, d, "Ada", solutionMoves(exs[id]))
	mine := encodeCode(id, d, "Bo", "timeout S3\nrun 1s\n")
	theirs := encodeCode(id, d, "Cy", "timeout S3\nrun 1s\n")
	var out, errb bytes.Buffer
	if code := runVerify([]string{"-table", ref, mine, mine, theirs}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
	rows := strings.Split(strings.TrimSpace(out.String()), "\n")
	for i, want := range []string{"reference solution", "\"Bo\"", "same code as #2", "same moves as #2"} {
		if !strings.Contains(rows[i+1], want) {
			t.Errorf("row %d: %q, want %q in it", i+1, rows[i+1], want)
		}
	}
	if strings.Contains(rows[2], "same") {
		t.Errorf("row 2 is the first of its kind: %q", rows[2])
	}
}

// Codes of version 1 (no name line), as pages made them before, still
// verify.
func TestVerifyReadsVersion1Codes(t *testing.T) {
	exs, all := allExercises(t)
	const id = "overview/1"
	v1 := encodeCodeRaw(codeMagicV1 + "\nexercise " + id + "\ndigest " + player.SetupDigest(exs[id]) + "\n" + solutionMoves(exs[id]))
	if v := verifyCode(all, v1); !v.solved || v.name != "" {
		t.Errorf("version 1 code: solved=%v name=%q why=%q", v.solved, v.name, v.why)
	}
}

// FuzzSolutionCode: whatever a code holds, reading it never panics, an
// exercise name is printed bare only in canonical form, and a verdict's
// line is free of terminal controls.
func FuzzSolutionCode(f *testing.F) {
	f.Add(encodeCode("overview/1", "0123456789abcdef", "Ada", "timeout S3\nrun 1s\n"))
	f.Add(encodeCodeRaw(codeMagicV1 + "\nexercise election/+2\ndigest x\n"))
	f.Add(encodeCodeRaw(codeMagic + "\nexercise \x1b[31m\ndigest \x07\nname \u202e\n"))
	f.Add("%%%")
	f.Add("")
	f.Fuzz(func(t *testing.T, code string) {
		c, err := decodeCode(code)
		if err != nil {
			if s := terminalSafe(err.Error()); strings.ContainsFunc(s, isControl) {
				t.Fatalf("control in %q", s)
			}
			return
		}
		if slug, n, ok := canonicalExercise(c.exercise); ok && (c.exercise != slug+"/"+strconv.Itoa(n)) {
			t.Fatalf("%q taken as %s/%d", c.exercise, slug, n)
		}
		for _, s := range []string{c.exercise, c.digest, c.name, c.moves} {
			if out := terminalSafe(strconv.Quote(s)); strings.ContainsFunc(out, isControl) {
				t.Fatalf("control in %q", out)
			}
		}
	})
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r)
}
