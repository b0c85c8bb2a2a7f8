package scenario

import (
	"strconv"
	"strings"

	"raftplay/raft"
)

// Parse parses a .raft file holding one scenario. On error it returns nil
// and an ErrorList.
func Parse(file, src string) (*Scenario, error) {
	var errs ErrorList
	lines := splitLines(file, src, &errs)
	sc := parseScenario(file, 1, lines, &errs)
	if len(errs) > 0 {
		return nil, errs
	}
	return sc, nil
}

// ParseCommand parses one command typed on its own, for example by a
// player in an exercise's console, for a cluster of n servers (1..9).
// Lines that only make sense in a scenario file (cluster, title, goal,
// allow, hint, solution, question, choice) and blank lines are errors.
// Error positions have no file name and line 1.
func ParseCommand(src string, n int) (Command, error) {
	var errs ErrorList
	fail := func(col int, msg string) (Command, error) {
		addError(&errs, Pos{Line: 1, Col: col}, msg)
		return Command{}, errs
	}
	if n < 1 || n > raft.MaxServers {
		return fail(1, "cluster size "+strconv.Itoa(n)+" is not between 1 and "+strconv.Itoa(raft.MaxServers))
	}
	src = strings.TrimSuffix(strings.TrimSuffix(src, "\n"), "\r")
	if strings.Contains(src, "\n") {
		return fail(1, "expected one command, got several lines")
	}
	// Lexing errors and over-long lines are reported by p.line below.
	if toks, _, msg := lexLine(src, 0); msg == "" {
		if len(toks) == 0 {
			return fail(1, "expected a command like crash S1 or run 1s, got end of line")
		}
		if k := findKeyword(toks[0].text); toks[0].kind == tWord && k != nil && k.fileOnly {
			w := k.word
			return fail(toks[0].col, strconv.Quote(w)+" can only be used in a scenario file")
		}
	}
	p := newParser("", &errs)
	p.sc.Cluster.N = n
	p.started = true
	p.line(srcLine{num: 1, text: src})
	if len(errs) > 0 {
		return Command{}, errs
	}
	if len(p.sc.Commands) != 1 {
		return fail(1, "expected a command like crash S1 or run 1s")
	}
	return p.sc.Commands[0], nil
}

// srcLine is one line of a scenario with its place in the file.
type srcLine struct {
	num  int    // 1-based line number in the file
	text string // the line, without its end of line and removed indentation
	off  int    // bytes removed from the front (markdown indentation)
}

// splitLines splits src into lines, dropping a leading byte order mark
// and the \r of \r\n. More than MaxLines lines is an error.
func splitLines(file, src string, errs *ErrorList) []srcLine {
	src = strings.TrimPrefix(src, "\uFEFF")
	n := strings.Count(src, "\n") + 1
	if strings.HasSuffix(src, "\n") {
		n--
	}
	if n > MaxLines {
		addError(errs, Pos{File: file, Line: MaxLines + 1, Col: 1},
			"too many lines (more than "+strconv.Itoa(MaxLines)+")")
		return nil
	}
	lines := make([]srcLine, 0, n)
	for i := 1; src != ""; i++ {
		line, rest, _ := strings.Cut(src, "\n")
		lines = append(lines, srcLine{num: i, text: strings.TrimSuffix(line, "\r")})
		src = rest
	}
	return lines
}

// addError appends an error unless MaxErrors have been collected or the
// line already has one.
func addError(errs *ErrorList, pos Pos, msg string) {
	if len(*errs) >= MaxErrors {
		return
	}
	for _, e := range *errs {
		if e.Pos.File == pos.File && e.Pos.Line == pos.Line {
			return
		}
	}
	*errs = append(*errs, &Error{Pos: pos, Msg: msg})
}

// parser holds the state of parsing one scenario.
type parser struct {
	file        string
	errs        *ErrorList
	firstErr    int // len(*errs) when this scenario began
	sc          *Scenario
	started     bool               // a non-blank line has been seen
	inSolution  bool               // after the "solution" line
	solution    Pos                // position of the "solution" line
	lastQ       *Question          // the question the next choice line belongs to
	choiceTried map[*Question]bool // questions followed by a choice line, even a bad one
	afterSol    int                // non-blank lines after "solution", even bad ones
	hintPos     Pos                // first hint line
	why         *string            // what a why line on the next line explains: the last choice or the goal
	// prevQ and prevWhy are lastQ and why as the line being read found
	// them (the line may change them for the next one).
	prevQ   *Question
	prevWhy *string
}

// parseScenario parses the lines of one scenario. It returns the scenario
// even if it added errors; the caller decides what to do with it.
func parseScenario(file string, first int, lines []srcLine, errs *ErrorList) *Scenario {
	p := newParser(file, errs)
	p.sc.Line = first
	for _, l := range lines {
		if len(*errs) >= MaxErrors {
			break
		}
		p.line(l)
	}
	p.finish()
	mine := (*errs)[p.firstErr:]
	// Insertion sort, stable: at most MaxErrors errors, and a generic
	// sort would add kilobytes to the WebAssembly build.
	for i := 1; i < len(mine); i++ {
		for j := i; j > 0 && mine[j].Pos.before(mine[j-1].Pos); j-- {
			mine[j], mine[j-1] = mine[j-1], mine[j]
		}
	}
	return p.sc
}

// finish checks what can only be checked at the end of a scenario.
func (p *parser) finish() {
	sc := p.sc
	for _, q := range sc.Questions {
		if len(q.Choices) == 0 && !p.choiceTried[q] {
			p.errorAt(q.Pos, "question has no choices (add lines like choice \"...\" when COND)")
		}
	}
	if sc.Goal == nil {
		switch {
		case sc.AllowGiven:
			p.errorAt(sc.AllowPos, "allow without goal (allow, hint and solution are for exercises; add a goal line)")
		case len(sc.Hints) > 0:
			p.errorAt(p.hintPos, "hint without goal (allow, hint and solution are for exercises; add a goal line)")
		case p.inSolution:
			p.errorAt(p.solution, "solution without goal (allow, hint and solution are for exercises; add a goal line)")
		}
	}
	if p.inSolution && p.afterSol == 0 {
		p.errorAt(p.solution, "solution has no commands (write the reference solution on the lines after it)")
	}
	for _, c := range sc.Solution {
		if !sc.Allows(c.Kind) {
			p.errorAt(c.Pos, "the solution uses "+c.Kind.ActionWord()+", which the allow line does not list")
		}
	}
}

func newParser(file string, errs *ErrorList) *parser {
	return &parser{
		file:        file,
		errs:        errs,
		firstErr:    len(*errs),
		choiceTried: map[*Question]bool{},
		sc:          &Scenario{File: file, Cluster: DefaultCluster()},
	}
}

func (p *parser) errorAt(pos Pos, msg string) { addError(p.errs, pos, msg) }

// line parses one line.
func (p *parser) line(l srcLine) {
	if len(l.text) > MaxLineBytes {
		p.errorAt(Pos{p.file, l.num, l.off + 1}, "line too long ("+strconv.Itoa(len(l.text))+
			" bytes; max "+strconv.Itoa(MaxLineBytes)+")")
		p.started = true
		p.lastQ = nil
		return
	}
	toks, col, msg := lexLine(l.text, l.off)
	if msg != "" {
		p.errorAt(Pos{p.file, l.num, col}, msg)
		p.started = true
		p.lexFailed(l.text)
		return
	}
	if len(toks) == 0 {
		return // blank or comment: changes nothing
	}
	if p.inSolution {
		p.afterSol++
	}
	lp := &lineParser{p: p, toks: toks, line: l.num, eol: toks[len(toks)-1].end}
	p.command(lp)
	p.started = true
	if lp.errMsg != "" {
		p.errorAt(Pos{p.file, l.num, lp.errCol}, lp.errMsg)
	}
}

// lexFailed updates the state after a line that could not be split into
// tokens, so that one bad line does not cause errors on the next ones.
func (p *parser) lexFailed(line string) {
	if p.inSolution {
		p.afterSol++
	}
	word, _ := firstWord(strings.TrimLeft(line, " \t"))
	switch word {
	case "question":
		p.lastQ = &Question{} // later choices attach to a throwaway question
	case "choice":
		if p.lastQ != nil {
			p.choiceTried[p.lastQ] = true
		}
		p.why = nil
	case "why":
		p.why = nil
	default:
		p.lastQ, p.why = nil, nil
	}
}
