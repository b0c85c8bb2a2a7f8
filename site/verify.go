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
	"unicode"
	"unicode/utf8"

	"raftplay/lessons"
	"raftplay/raft/player"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// A solution code is what a learner hands in for an exercise: the text
//
//	raftplay solution 2
//	exercise <slug>/<n>
//	digest <the exercise's setup digest>
//	name <the learner's name, as they typed it; may be empty>
//	<the learner's moves: actions and run/step lines, as in a scenario>
//
// compressed with deflate (raw, as the browser's
// CompressionStream('deflate-raw') writes it) and written in base64url.
// Codes of version 1 have no name line and still verify. The n-th
// exercise of a lesson is the same in both languages. verify replays the
// moves against the exercise built into this binary, so a teacher need
// not trust the browser that made the code.

const (
	codeMagicV1 = "raftplay solution 1"
	codeMagic   = "raftplay solution 2"
)

// maxCodeText bounds what a code may inflate to; maxCodeLen, a code's
// length (base64 of deflate of at most maxCodeText, with room to spare).
const (
	maxCodeText = 1 << 20
	maxCodeLen  = 2 << 20
)

type solutionCode struct {
	exercise string // slug/n, as the code says it (check with canonicalExercise)
	digest   string
	name     string // the learner's name (version 2), as typed
	moves    string
}

// decodeCode reads a solution code.
func decodeCode(code string) (*solutionCode, error) {
	code = strings.TrimSpace(code)
	code = strings.TrimRight(code, "=")
	if code == "" {
		return nil, errors.New("empty code")
	}
	if len(code) > maxCodeLen {
		return nil, errors.New("not a solution code: it is far too long (" + strconv.Itoa(len(code)) + " characters)")
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
	lines := strings.SplitN(string(text), "\n", 5)
	if len(lines) < 3 || (lines[0] != codeMagic && lines[0] != codeMagicV1) {
		return nil, errors.New("not a raftplay solution code (its first line is not " + strconv.Quote(codeMagic) + ")")
	}
	ex, ok1 := strings.CutPrefix(lines[1], "exercise ")
	dg, ok2 := strings.CutPrefix(lines[2], "digest ")
	if !ok1 || !ok2 {
		return nil, errors.New("damaged solution code: the exercise or digest line is missing")
	}
	c := &solutionCode{exercise: ex, digest: dg}
	rest := lines[3:]
	if lines[0] == codeMagic {
		if len(rest) == 0 || !strings.HasPrefix(rest[0], "name") || (len(rest[0]) > 4 && rest[0][4] != ' ') {
			return nil, errors.New("damaged solution code: the name line is missing")
		}
		c.name = strings.TrimPrefix(strings.TrimPrefix(rest[0], "name"), " ")
		rest = rest[1:]
	}
	c.moves = strings.Join(rest, "\n")
	return c, nil
}

// encodeCode writes a solution code (the browser does the same in
// JavaScript; this is for tests and tools).
func encodeCode(exercise, digest, name, moves string) string {
	return encodeCodeRaw(codeMagic + "\nexercise " + exercise + "\ndigest " + digest + "\nname " + name + "\n" + moves)
}

func encodeCodeRaw(text string) string {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	io.WriteString(zw, text)
	zw.Close()
	return base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// canonicalExercise reports whether id is written exactly as slug/N: a
// lesson slug (lower-case letters, digits and dashes) and a number
// without sign or leading zeros. Only such a name is printed bare.
func canonicalExercise(id string) (slug string, n int, ok bool) {
	slug, num, found := strings.Cut(id, "/")
	if !found || slug == "" || len(slug) > 64 || num == "" || len(num) > 6 || num[0] == '0' {
		return "", 0, false
	}
	for _, r := range slug {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return "", 0, false
		}
	}
	for _, r := range num {
		if r < '0' || r > '9' {
			return "", 0, false
		}
	}
	n, _ = strconv.Atoi(num)
	return slug, n, true
}

// findExercise returns the n-th exercise of the lesson slug (English).
func findExercise(all []lessons.Lesson, id string) (*scenario.Scenario, error) {
	slug, n, ok := canonicalExercise(id)
	if !ok {
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
	exercise string // as the code names it; "" if the code could not be read
	name     string // the learner's name the code carries
	solved   bool
	moves    int
	time     int    // virtual ms from the end of the setup to the moment the goal first held
	why      string // why not solved; strings from the code in it are quoted
	// key is the exercise and the moves in canonical form, to tell codes
	// with the same moves apart from codes that are the same text;
	// reference says the moves are the exercise's reference solution.
	key       string
	reference bool
}

// verifyCode replays a code's moves against its exercise, within the
// grading limits the page uses too (player.MaxSolutionTime and
// MaxSolutionEvents, counted from the end of the setup).
func verifyCode(all []lessons.Lesson, code string) verdict {
	c, err := decodeCode(code)
	if err != nil {
		return verdict{why: err.Error()}
	}
	v := verdict{exercise: c.exercise, name: c.name}
	ex, err := findExercise(all, c.exercise)
	if err != nil {
		v.why = err.Error()
		return v
	}
	if d := player.SetupDigest(ex); d != c.digest {
		v.why = "the code was made for a different version of exercise " + c.exercise + " (digest " + strconv.Quote(c.digest) + ")"
		return v
	}
	var moves []scenario.Command
	var canon strings.Builder
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
		canon.WriteString(cmd.String())
		canon.WriteByte('\n')
	}
	v.key = c.exercise + "\n" + canon.String()
	v.reference = canon.String() == canonicalMoves(ex.Solution)
	s := *ex
	s.Solution = moves
	r, err := player.NewRunner(&s, func(cfg *sim.Config) { cfg.NoTrace = true; cfg.CheckpointEvery = -1 })
	if err != nil {
		v.why = err.Error()
		return v
	}
	// The setup is the lesson's own script, checked under many seeds; its
	// bound is only a guard.
	for !r.Ended() && r.Err() == nil && r.Cluster.Now() < player.MaxSolutionTime {
		r.AdvanceEvents(player.MaxSolutionTime, player.MaxSolutionEvents)
	}
	if r.Err() != nil || !r.Ended() {
		v.why = "the exercise's setup does not finish"
		if r.Err() != nil {
			v.why = "the exercise's setup fails: " + r.Err().Error()
		}
		return v
	}
	if r.Solved() {
		v.why = "the goal already holds when the exercise starts"
		return v
	}
	if err := r.Solve(); err != nil {
		v.why = err.Error()
		return v
	}
	startTime, startEvents := r.Cluster.Now(), r.Cluster.Events()
	deadline := startTime + player.MaxSolutionTime
	for !r.Ended() && r.Err() == nil && !r.Solved() {
		left := player.MaxSolutionEvents - (r.Cluster.Events() - startEvents)
		if r.Cluster.Now() >= deadline || left <= 0 {
			break
		}
		r.AdvanceEvents(deadline, min(left, 1_000_000))
	}
	switch {
	case r.Solved():
		v.solved = true
		v.time = r.Taken()
	case r.Err() != nil:
		v.why = "a move cannot be taken: " + r.Err().Error()
	case !r.Ended():
		v.why = "the moves run past the grading limit (" + formatMS(player.MaxSolutionTime) + " of virtual time or " +
			strconv.Itoa(player.MaxSolutionEvents) + " events after the setup) without reaching the goal"
	default:
		v.why = "the goal " + ex.Goal.String() + " was not reached (at " + strconv.Itoa(r.Cluster.Now()) + "ms: " + player.Explain(ex.Goal, r.Cluster) + ")"
	}
	return v
}

// canonicalMoves writes commands one a line in canonical form.
func canonicalMoves(cmds []scenario.Command) string {
	var b strings.Builder
	for _, c := range cmds {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", stderr)
	file := fs.String("f", "", "read codes from this file, one a line (- for standard input)")
	table := fs.Bool("table", false, "print a table: one row per code (exercise, name, solved, actions, virtual time, note)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: raftplay verify [-table] CODE... | -f FILE\n\nReplays exercise solution codes against the lessons built into raftplay and\nsays which solve their exercise. Exit status 0 only if every code is a valid,\nsolving one. A code proves that its moves solve the exercise, not who found\nthem: see docs/teachers.md.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	type input struct {
		code string
		bad  string // why the line was skipped
	}
	var inputs []input
	for _, c := range fs.Args() {
		inputs = append(inputs, input{code: c})
	}
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
		lines, err := readCodeLines(r)
		if err != nil {
			fmt.Fprintln(stderr, "raftplay verify:", err)
			return exitUsage
		}
		for _, l := range lines {
			inputs = append(inputs, input{code: l.text, bad: l.bad})
		}
	}
	if len(inputs) == 0 {
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
		fmt.Fprintln(tw, "#\texercise\tname\tsolved\tactions\tvirtual time\tnote")
	}
	sameCode := map[string]int{}  // code text -> first row
	sameMoves := map[string]int{} // exercise and canonical moves -> first row
	for i, in := range inputs {
		row := i + 1
		v := verdict{why: in.bad}
		if in.bad == "" {
			v = verifyCode(all, in.code)
		}
		ok = ok && v.solved
		name := "code " + strconv.Itoa(row)
		if _, _, canonical := canonicalExercise(v.exercise); canonical {
			name = v.exercise
		}
		var notes []string
		if v.solved {
			if v.reference {
				notes = append(notes, "moves equal the reference solution")
			}
			code := strings.TrimRight(strings.TrimSpace(in.code), "=")
			if first, seen := sameCode[code]; seen {
				notes = append(notes, "same code as #"+strconv.Itoa(first))
			} else {
				sameCode[code] = row
				if first, seen := sameMoves[v.key]; seen {
					notes = append(notes, "same moves as #"+strconv.Itoa(first))
				} else {
					sameMoves[v.key] = row
				}
			}
		}
		if tw != nil {
			solved, actions, t := "no", "-", "-"
			if v.solved {
				solved, actions, t = "yes", strconv.Itoa(v.moves), formatMS(v.time)
			} else {
				notes = append(notes, v.why)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", row, name, quoteName(v.name), solved, actions, t,
				terminalSafe(strings.Join(notes, "; ")))
			continue
		}
		by := ""
		if v.name != "" {
			by = " by " + quoteName(v.name)
		}
		if v.solved {
			note := ""
			if len(notes) > 0 {
				note = "; " + strings.Join(notes, "; ")
			}
			fmt.Fprintln(stdout, terminalSafe(fmt.Sprintf("%s: solved%s (%d actions, %s of virtual time%s)", name, by, v.moves, formatMS(v.time), note)))
		} else {
			fmt.Fprintln(stdout, terminalSafe(fmt.Sprintf("%s: not solved%s: %s", name, by, v.why)))
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

// codeLine is one line of a file of codes: the code, or why it was skipped.
type codeLine struct {
	text, bad string
}

// readCodeLines reads a file of codes, one a line; blank lines and lines
// starting with # are left out. A line too long to be a code is reported
// in its place (and read past), so one bad line does not stop a batch.
func readCodeLines(r io.Reader) ([]codeLine, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var out []codeLine
	for n := 1; ; n++ {
		var line []byte
		long := false
		for {
			chunk, isPrefix, err := br.ReadLine()
			if err == io.EOF {
				if len(line) == 0 && !long {
					return out, nil
				}
				break
			}
			if err != nil {
				return nil, err
			}
			if !long {
				line = append(line, chunk...)
				if len(line) > maxCodeLen {
					long, line = true, nil
				}
			}
			if !isPrefix {
				break
			}
		}
		if long {
			out = append(out, codeLine{bad: "line " + strconv.Itoa(n) + " is too long to be a code (over " + strconv.Itoa(maxCodeLen) + " characters): skipped"})
			continue
		}
		text := strings.TrimSpace(string(line))
		if text != "" && !strings.HasPrefix(text, "#") {
			out = append(out, codeLine{text: text})
		}
	}
}

// quoteName writes a learner's name as a quoted string, with every
// non-printable character escaped ("" when there is none).
func quoteName(name string) string {
	if name == "" {
		return "-"
	}
	return strconv.Quote(name)
}

// terminalSafe escapes every character of s that a terminal could read as
// a control: C0 and C1 controls (escape sequences, OSC 52 and the like),
// DEL, and Unicode format characters such as bidirectional overrides.
// Text that comes from a code is quoted where it is printed; this is the
// last guard on the whole line.
func terminalSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func formatMS(ms int) string {
	if ms >= 1000 {
		return strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64) + "s"
	}
	return strconv.Itoa(ms) + "ms"
}
