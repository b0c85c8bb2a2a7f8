package scenario

import (
	"slices"
	"strconv"
	"unicode/utf8"

	"raftplay/raft"
)

// The WebAssembly build compiles this package without inlining
// (-gcflags=-l, see site/wasmbuild.go): the parser calls its small
// helpers from hundreds of places, and inlining them there made the build
// tens of kilobytes larger for no useful speed.

// This file holds the reader of one line's tokens and its helpers for the
// values that commands and conditions share.

// lineParser reads the tokens of one line. It keeps the first error only:
// once an error is set, peek and next return nil, so parsing of the line
// winds down without further checks.
type lineParser struct {
	p      *parser
	toks   []token
	i      int
	line   int
	eol    int // column just after the last token
	errCol int
	errMsg string
}

func (lp *lineParser) failed() bool { return lp.errMsg != "" }

// fail records an error at token t (at the end of the line if t is nil).

func (lp *lineParser) fail(t *token, msg string) {
	col := lp.eol
	if t != nil {
		col = t.col
	}
	lp.failAt(col, msg)
}

func (lp *lineParser) failAt(col int, msg string) {
	if lp.errMsg == "" {
		lp.errCol, lp.errMsg = col, msg
	}
}

func (lp *lineParser) pos(t *token) Pos {
	if t == nil {
		return Pos{lp.p.file, lp.line, lp.eol}
	}
	return Pos{lp.p.file, lp.line, t.col}
}

// peek returns the next token, or nil at the end of the line or after an
// error.

func (lp *lineParser) peek() *token {
	if lp.failed() || lp.i >= len(lp.toks) {
		return nil
	}
	return &lp.toks[lp.i]
}

func (lp *lineParser) next() *token {
	t := lp.peek()
	if t != nil {
		lp.i++
	}
	return t
}

// peekServer reports whether the next token looks like a server (S1),
// whether or not the cluster has it.
func (lp *lineParser) peekServer() bool {
	t := lp.peek()
	return t != nil && t.kind == tWord && looksLikeServer(t.text)
}

// peekWord reports whether the next token is the word w.

func (lp *lineParser) peekWord(w string) bool {
	t := lp.peek()
	return t != nil && t.kind == tWord && t.text == w
}

// desc describes a token for messages: "x", string "x", or end of line.
func desc(t *token) string {
	switch {
	case t == nil:
		return "end of line"
	case t.kind == tString:
		s := t.text
		if len(s) > 40 {
			s = truncate(s, 40)
		}
		return "string " + strconv.Quote(s)
	}
	return strconv.Quote(truncate(t.text, 40))
}

// truncate shortens s to about n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// end requires the end of the line.

func (lp *lineParser) end() {
	if t := lp.peek(); t != nil {
		lp.fail(t, "unexpected "+desc(t))
	}
}

// expectWord reads the keyword w.

func (lp *lineParser) expectWord(w string) bool {
	t := lp.next()
	if lp.failed() {
		return false
	}
	if t == nil || t.kind != tWord || t.text != w {
		lp.fail(t, "expected "+strconv.Quote(w)+", got "+desc(t))
		return false
	}
	return true
}

// server reads a server S1..SN.

func (lp *lineParser) server() raft.ID {
	t := lp.next()
	if lp.failed() {
		return raft.None
	}
	return lp.serverTok(t)
}

// serverTok checks that t is a server of the cluster.
func (lp *lineParser) serverTok(t *token) raft.ID {
	if t == nil || t.kind != tWord || !looksLikeServer(t.text) {
		lp.fail(t, "expected a server like S1, got "+desc(t))
		return raft.None
	}
	n := lp.p.sc.Cluster.N
	id, ok := raft.ParseID(t.text)
	if !ok || int(id) > n {
		servers := "servers are S1..S" + strconv.Itoa(n)
		if n == 1 {
			servers = "the only server is S1"
		}
		lp.fail(t, truncate(t.text, 40)+": no such server ("+servers+")")
		return raft.None
	}
	return id
}

// serverList reads servers up to a stop word (see isStop).
func (lp *lineParser) serverList() []raft.ID {
	var ids []raft.ID
	for t := lp.peek(); !isStop(t); t = lp.peek() {
		lp.next()
		id := lp.serverTok(t)
		if id != raft.None && slices.Contains(ids, id) {
			lp.fail(t, id.String()+" is listed twice")
		}
		ids = append(ids, id)
	}
	return ids
}

// link reads S1->S2.
func (lp *lineParser) link() (from, to raft.ID) {
	from, to, _ = lp.linkOf(false)
	return from, to
}

// eitherLink reads S1->S2, or S1<->S2 for both ways.
func (lp *lineParser) eitherLink() (from, to raft.ID, both bool) {
	return lp.linkOf(true)
}

func (lp *lineParser) linkOf(bothOK bool) (from, to raft.ID, both bool) {
	from = lp.server()
	t := lp.next()
	both = t != nil && t.kind == tBoth
	switch {
	case lp.failed():
	case both && !bothOK:
		lp.fail(t, "this takes one direction of a link, like S1->S2, not both ways")
	case t == nil || (t.kind != tArrow && !both):
		ways := "->"
		if bothOK {
			ways = "-> or <->"
		}
		lp.fail(t, "expected "+ways+" between two servers, like S1->S2, got "+desc(t))
	}
	tt := lp.peek()
	to = lp.server()
	if !lp.failed() && from == to {
		lp.fail(tt, "a link joins two different servers, got "+from.String()+"->"+to.String())
	}
	return from, to, both
}

// word reads a word token; what names it in the error.

func (lp *lineParser) word(what string) *token {
	t := lp.next()
	if lp.failed() {
		return nil
	}
	if t == nil || t.kind != tWord {
		lp.fail(t, "expected "+what+", got "+desc(t))
		return nil
	}
	return t
}

// duration reads a duration.

func (lp *lineParser) duration() int {
	t := lp.word("a duration like 300ms or 2s")
	if t == nil {
		return 0
	}
	d, msg := parseDuration(t.text)
	if msg != "" {
		lp.fail(t, msg)
	}
	return d
}

// nat reads a whole number in lo..hi; what names it in the error.

func (lp *lineParser) nat(what string, lo, hi int) int {
	t := lp.word(what)
	if t == nil {
		return 0
	}
	return lp.natTok(t, what, lo, hi)
}

func (lp *lineParser) natTok(t *token, what string, lo, hi int) int {
	n, ok := parseNat(t.text)
	if !ok {
		lp.fail(t, "expected "+what+", got "+desc(t))
		return 0
	}
	if n < lo || n > hi {
		lp.fail(t, "expected "+what+" between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi)+", got "+truncate(t.text, 40))
		return 0
	}
	return n
}

// prob reads a probability.

func (lp *lineParser) prob() float64 {
	t := lp.word("a probability between 0 and 1")
	if t == nil {
		return 0
	}
	p, msg := parseProb(t.text)
	if msg != "" {
		lp.fail(t, msg)
	}
	return p
}

// text reads a non-empty quoted string; what names it in errors.

func (lp *lineParser) text(what string) string {
	t := lp.next()
	if lp.failed() {
		return ""
	}
	if t == nil || t.kind != tString {
		lp.fail(t, "expected "+what+" in double quotes, like \"...\", got "+desc(t))
		return ""
	}
	if t.text == "" {
		lp.fail(t, "empty string")
	}
	return t.text
}

// command reads a state machine command: a plain word or a quoted string.

func (lp *lineParser) command() string {
	t := lp.next()
	if lp.failed() {
		return ""
	}
	if t == nil || (t.kind != tWord && t.kind != tString) {
		lp.fail(t, "expected a command like x or \"set x 1\", got "+desc(t))
		return ""
	}
	return lp.commandTok(t, t.text)
}

// commandTok checks the command s read from token t.
func (lp *lineParser) commandTok(t *token, s string) string {
	if utf8.RuneCountInString(s) > MaxTextRunes {
		lp.fail(t, "command too long (more than "+strconv.Itoa(MaxTextRunes)+" characters)")
		return ""
	}
	if t.kind == tString {
		if s == "" {
			lp.fail(t, "empty command")
		}
		return s
	}
	if why := plainCmdProblem(s); why != "" {
		lp.fail(t, "command "+strconv.Quote(truncate(s, 40))+" "+why+"; put it in double quotes")
		return ""
	}
	return s
}
