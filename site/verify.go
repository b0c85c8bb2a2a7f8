package main

import (
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"raftplay/lessons"
	"raftplay/raft/scenario"
)

// A solution code is what a learner hands in for an exercise: the text
//
//	raftplay solution 1
//	exercise <slug>/<n>
//	digest <the exercise's setup digest>
//	<the learner's moves: actions and run/step lines, as in a scenario>
//
// compressed with deflate (raw, as the browser's
// CompressionStream('deflate-raw') writes it) and written in base64url.
// The n-th exercise of a lesson is the same in both languages. verify
// replays the moves against the exercise built into this binary, so a
// teacher need not trust the browser that made the code.

const codeMagic = "raftplay solution 1"

// maxCodeText bounds what a code may inflate to.
const maxCodeText = 1 << 20

type solutionCode struct {
	exercise string // slug/n
	digest   string
	moves    string
}

// decodeCode reads a solution code.
func decodeCode(code string) (*solutionCode, error) {
	code = strings.TrimSpace(code)
	code = strings.TrimRight(code, "=")
	if code == "" {
		return nil, errors.New("empty code")
	}
	raw, err := base64.RawURLEncoding.DecodeString(code)
	if err != nil {
		return nil, errors.New("not a solution code: it is not base64url text (" + err.Error() + ")")
	}
	zr := flate.NewReader(bytes.NewReader(raw))
	text, err := io.ReadAll(io.LimitReader(zr, maxCodeText+1))
	if err != nil {
		return nil, errors.New("not a solution code: it does not decompress (" + err.Error() + ")")
	}
	if len(text) > maxCodeText {
		return nil, errors.New("not a solution code: it is far too long")
	}
	lines := strings.SplitN(string(text), "\n", 4)
	if len(lines) < 3 || lines[0] != codeMagic {
		return nil, errors.New("not a raftplay solution code (its first line is not " + strconv.Quote(codeMagic) + ")")
	}
	ex, ok1 := strings.CutPrefix(lines[1], "exercise ")
	dg, ok2 := strings.CutPrefix(lines[2], "digest ")
	if !ok1 || !ok2 {
		return nil, errors.New("damaged solution code: the exercise or digest line is missing")
	}
	c := &solutionCode{exercise: ex, digest: dg}
	if len(lines) == 4 {
		c.moves = lines[3]
	}
	return c, nil
}

// encodeCode writes a solution code (the browser does the same in
// JavaScript; this is for tests and tools).
func encodeCode(exercise, digest, moves string) string {
	return encodeCodeRaw(codeMagic + "\nexercise " + exercise + "\ndigest " + digest + "\n" + moves)
}

func encodeCodeRaw(text string) string {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	io.WriteString(zw, text)
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// findExercise returns the n-th exercise of the lesson slug (English).
func findExercise(all []lessons.Lesson, id string) (*scenario.Scenario, error) {
	slug, nstr, ok := strings.Cut(id, "/")
	n, err := strconv.Atoi(nstr)
	if !ok || err != nil || n < 1 {
		return nil, errors.New("the code names exercise " + strconv.Quote(id) + ", which is not of the form lesson/number")
	}
	l, found := lessons.Find(all, "en", slug)
	if !found {
		return nil, errors.New("the code names lesson " + strconv.Quote(slug) + ", which this version of raftplay does not have")
	}
	exs, err := exercisesOf(l)
	if err != nil {
		return nil, err
	}
	if n > len(exs) {
		return nil, fmt.Errorf("lesson %s has %d exercises, not %d", slug, len(exs), n)
	}
	return exs[n-1], nil
}

func exercisesOf(l lessons.Lesson) ([]*scenario.Scenario, error) {
	scens, err := l.Scenarios()
	if err != nil {
		return nil, err
	}
	var exs []*scenario.Scenario
	for _, s := range scens {
		if s.IsExercise() {
			exs = append(exs, s)
		}
	}
	return exs, nil
}

// verdict is the result of replaying one code.
type verdict struct {
	exercise string
	solved   bool
	moves    int
	time     int // virtual ms from the end of the setup to the goal
	why      string
}

// verifyCode replays a code's moves against its exercise.
func verifyCode(all []lessons.Lesson, code string) verdict {
	c, err := decodeCode(code)
	if err != nil {
		return verdict{why: err.Error()}
	}
	v := verdict{exercise: c.exercise}
	ex, err := findExercise(all, c.exercise)
	if err != nil {
		v.why = err.Error()
		return v
	}
	if d := scenario.SetupDigest(ex); d != c.digest {
		v.why = "the code was made for a different version of exercise " + c.exercise + " (digest " + c.digest + ", now " + d + ")"
		return v
	}
	var moves []scenario.Command
	for i, line := range strings.Split(c.moves, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		cmd, err := scenario.ParseCommand(line, ex.Cluster.N)
		if err != nil {
			v.why = fmt.Sprintf("move %d: %v", i+1, err)
			return v
		}
		switch {
		case cmd.Kind.IsAction():
			if !ex.Allows(cmd.Kind) {
				v.why = fmt.Sprintf("move %d (%s) uses %s, which the exercise does not allow", i+1, cmd.String(), cmd.Kind.ActionWord())
				return v
			}
			v.moves++
		case cmd.Kind.IsTime():
		default:
			v.why = fmt.Sprintf("move %d (%s) is not an action or a run, step or run until line", i+1, cmd.String())
			return v
		}
		moves = append(moves, cmd)
	}
	s := *ex
	s.Solution = moves
	r, err := scenario.NewRunner(&s, nil)
	if err != nil {
		v.why = err.Error()
		return v
	}
	for !r.Ended() && r.Err() == nil {
		r.Advance(maxVerifyTime)
	}
	if r.Err() != nil {
		v.why = "the exercise's setup fails: " + r.Err().Error()
		return v
	}
	start := r.Cluster.Now()
	if r.Solved() {
		v.why = "the goal already holds when the exercise starts"
		return v
	}
	if err := r.Solve(); err != nil {
		v.why = err.Error()
		return v
	}
	for !r.Ended() && r.Err() == nil && !r.Solved() {
		r.Advance(maxVerifyTime)
	}
	switch {
	case r.Solved():
		v.solved = true
		v.time = r.Cluster.Now() - start
	case r.Err() != nil:
		v.why = "a move cannot be taken: " + r.Err().Error()
	default:
		v.why = "the goal " + ex.Goal.String() + " was not reached (at " + strconv.Itoa(r.Cluster.Now()) + "ms: " + scenario.Explain(ex.Goal, r.Cluster) + ")"
	}
	return v
}

const maxVerifyTime = 3_600_000

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", stderr)
	file := fs.String("f", "", "read codes from this file, one a line (- for standard input)")
	table := fs.Bool("table", false, "print a table: one row per code (exercise, solved, actions, virtual time)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: raftplay verify [-table] CODE... | -f FILE\n\nReplays exercise solution codes against the lessons built into raftplay and\nsays which solve their exercise. Exit status 0 only if every code is a valid,\nsolving one.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	codes := fs.Args()
	if *file != "" {
		var r io.Reader = os.Stdin
		if *file != "-" {
			f, err := os.Open(*file)
			if err != nil {
				fmt.Fprintln(stderr, "raftplay verify:", err)
				return exitUsage
			}
			defer f.Close()
			r = f
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 4<<20)
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
				codes = append(codes, line)
			}
		}
		if err := sc.Err(); err != nil {
			fmt.Fprintln(stderr, "raftplay verify:", err)
			return exitUsage
		}
	}
	if len(codes) == 0 {
		fs.Usage()
		return exitUsage
	}
	all, err := lessons.Load()
	if err != nil {
		fmt.Fprintln(stderr, "raftplay verify:", err)
		return exitFail
	}
	ok := true
	var tw *tabwriter.Writer
	if *table {
		tw = tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "#\texercise\tsolved\tactions\tvirtual time\tnote")
	}
	for i, code := range codes {
		v := verifyCode(all, code)
		ok = ok && v.solved
		name := v.exercise
		if name == "" {
			name = "code " + strconv.Itoa(i+1)
		}
		if tw != nil {
			solved, actions, t := "no", "-", "-"
			if v.solved {
				solved, actions, t = "yes", strconv.Itoa(v.moves), formatMS(v.time)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", i+1, name, solved, actions, t, v.why)
			continue
		}
		if v.solved {
			fmt.Fprintf(stdout, "%s: solved (%d actions, %s of virtual time)\n", name, v.moves, formatMS(v.time))
		} else {
			fmt.Fprintf(stdout, "%s: not solved: %s\n", name, v.why)
		}
	}
	if tw != nil {
		tw.Flush()
	}
	if !ok {
		return exitFail
	}
	return exitOK
}

func formatMS(ms int) string {
	if ms >= 1000 {
		return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + "s"
	}
	return strconv.Itoa(ms) + "ms"
}
