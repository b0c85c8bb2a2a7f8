package scenario

import (
	"slices"
	"strconv"
	"strings"

	"raftplay/raft"
)

// roles lists the roles a "role" condition may name, in raft.Role order.
var roles = []raft.Role{raft.Follower, raft.Candidate, raft.Leader, raft.PreCandidate}

func roleNames() []string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.String()
	}
	return names
}

// isStop reports whether t ends the argument list of an atom: the end of
// the line, "and" or "within".
func isStop(t *token) bool {
	return t == nil || t.kind == tWord && (t.text == "and" || t.text == "within")
}

// cond reads a condition: atoms joined by "and". It stops at the end of
// the line or at "within" (which only "run until" accepts). It returns nil
// after an error.
func (lp *lineParser) cond() *Cond {
	c := &Cond{Pos: lp.pos(lp.peek())}
	for {
		a := lp.atom()
		if lp.failed() {
			return nil
		}
		c.Terms = append(c.Terms, a)
		if !lp.peekWord("and") {
			break
		}
		lp.next()
	}
	if t := lp.peek(); !isStop(t) {
		msg := "unexpected " + desc(t)
		if t.kind == tWord && slices.Contains(atomWords, t.text) {
			msg += " (join conditions with and)"
		}
		lp.fail(t, msg)
		return nil
	}
	return c
}

// noWithin rejects "within" after a condition outside "run until".
func (lp *lineParser) noWithin() {
	if t := lp.peek(); t != nil && t.kind == tWord && t.text == "within" {
		lp.fail(t, "within is only allowed after run until")
	}
}

// atom reads one condition.
func (lp *lineParser) atom() Atom {
	t := lp.next()
	if lp.failed() {
		return Atom{}
	}
	if t == nil || t.kind != tWord {
		lp.fail(t, "expected a condition like leader or committed 3, got "+desc(t))
		return Atom{}
	}
	a := Atom{Pos: lp.pos(t)}
	switch t.text {
	case "leader":
		a.Kind = AtomLeader
		if !isStop(lp.peek()) {
			if lp.peekWord("none") {
				lp.next()
				a.None = true
			} else {
				a.Server = lp.server()
			}
		}
	case "role":
		a.Kind = AtomRole
		a.Server = lp.server()
		if rt := lp.word("a role like leader"); rt != nil {
			i := slices.Index(roleNames(), rt.text)
			if i < 0 {
				lp.fail(rt, "unknown role "+desc(rt)+orList(rt.text, roleNames(), "roles"))
			} else {
				a.Role = roles[i]
			}
		}
	case "term":
		a.Kind = AtomTerm
		if n := lp.peek(); n != nil && n.kind == tWord && looksLikeServer(n.text) {
			a.Server = lp.server()
		}
		lp.op(&a)
		a.N = lp.nat("a term number", 0, MaxNumber)
	case "time":
		a.Kind = AtomTime
		lp.op(&a)
		a.N = lp.duration()
	case "elections", "answered":
		a.Kind = AtomElections
		if t.text == "answered" {
			a.Kind = AtomAnswered
		}
		lp.op(&a)
		a.N = lp.nat("a count", 0, MaxNumber)
	case "committed":
		a.Kind = AtomCommitted
		a.N = lp.nat("a log index", 0, MaxNumber)
		if lp.peekWord("on") {
			lp.next()
			switch {
			case lp.peekWord("all"):
				lp.next()
				a.All = true
			case isStop(lp.peek()):
				lp.fail(lp.peek(), "expected servers or all after on, got "+desc(lp.peek()))
			default:
				a.Servers = lp.serverList()
			}
		}
	case "log":
		a.Kind = AtomLog
		a.Server = lp.server()
		switch n := lp.peek(); {
		case lp.peekWord("empty"):
			lp.next()
		case isStop(n):
			lp.fail(n, "expected log entries like 1:x 1:y, or empty, got "+desc(n))
		default:
			for n := lp.next(); n != nil; n = lp.next() {
				a.Entries = append(a.Entries, lp.entry(n))
				if isStop(lp.peek()) {
					break
				}
			}
		}
	case "applied":
		a.Kind = AtomApplied
		a.Server = lp.server()
		switch n := lp.peek(); {
		case lp.peekWord("empty"):
			lp.next()
		case isStop(n):
			lp.fail(n, "expected applied commands like x y, or empty, got "+desc(n))
		default:
			for !isStop(lp.peek()) {
				a.Cmds = append(a.Cmds, lp.command())
			}
		}
	case "safe":
		a.Kind = AtomSafe
	case "violation":
		a.Kind = AtomViolation
		if n := lp.peek(); !isStop(n) {
			lp.next()
			if n.kind != tWord || !slices.Contains(ViolationNames, n.text) {
				lp.fail(n, "unknown safety property "+desc(n)+orList(n.text, ViolationNames, "properties"))
			}
			a.Name = n.text
		}
	case "leads":
		a.Kind = AtomLeads
		a.Server = lp.server()
	case "votedfor":
		a.Kind = AtomVotedFor
		a.Server = lp.server()
		switch n := lp.peek(); {
		case lp.failed():
		case lp.peekWord("none"):
			lp.next()
		case isStop(n) || n.kind != tWord || !looksLikeServer(n.text):
			hint := ""
			if !isStop(n) && n.kind == tWord {
				hint = didYouMean(n.text, []string{"none"})
			}
			lp.fail(n, "expected a server like S1, or none, got "+desc(n)+hint)
		default:
			a.Peer = lp.server()
		}
	case "elected":
		a.Kind = AtomElected
		a.Server = lp.server()
		lp.inTerm(&a)
	case "voted":
		a.Kind = AtomVoted
		lp.pair(&a, "for", nil)
	case "denied":
		a.Kind = AtomDenied
		lp.pair(&a, "to", denialReasons)
	case "held":
		a.Kind = AtomHeld
		a.Server = lp.server()
		a.N = lp.nat("a log index", 1, MaxNumber)
	case "rejected":
		a.Kind = AtomRejected
		lp.pair(&a, "from", rejectionReasons)
	case "removed":
		a.Kind = AtomRemoved
		a.Server = lp.server()
		if n := lp.peek(); isStop(n) {
			lp.fail(n, "expected a log entry like 2:b, got "+desc(n))
		} else {
			a.Entries = []LogEntry{lp.entry(lp.next())}
		}
	case "crashed":
		a.Kind = AtomCrashed
		a.Server = lp.server()
	case "up":
		a.Kind = AtomUp
		a.Server = lp.server()
	default:
		lp.fail(t, "unknown condition "+desc(t)+didYouMean(t.text, atomWords))
	}
	return a
}

// op reads the optional comparison of a term, time, elections or
// answered condition; without one, the condition is an equality.
func (lp *lineParser) op(a *Atom) {
	a.Op = "="
	if n := lp.peek(); n != nil && n.kind == tWord && strings.Trim(n.text, "=!<>") == "" {
		lp.next()
		if !slices.Contains(Ops, n.text) {
			lp.fail(n, "unknown comparison "+desc(n)+" (use "+strings.Join(Ops, " ")+")")
		}
		a.Op = n.text
	}
}

// denialReasons are the reasons a "denied ... because" condition may
// name, and rejectionReasons those of "rejected ... because", in the
// order the docs list them.
var (
	denialReasons    = []raft.Reason{raft.ReasonAlreadyVoted, raft.ReasonLogOlderTerm, raft.ReasonLogShorter, raft.ReasonStaleTerm, raft.ReasonLeaderAlive}
	rejectionReasons = []raft.Reason{raft.ReasonMissingPrev, raft.ReasonPrevMismatch}
)

// reasonNames lists the words of reasons.
func reasonNames(reasons []raft.Reason) []string {
	names := make([]string, len(reasons))
	for i, r := range reasons {
		names[i] = r.String()
	}
	return names
}

// pair reads the rest of a history condition about two servers, "S4 WORD
// S3 [in T]", and then, if reasons are given, "[because REASON]".
func (lp *lineParser) pair(a *Atom, word string, reasons []raft.Reason) {
	a.Server = lp.server()
	lp.expectWord(word)
	a.Peer = lp.server()
	lp.inTerm(a)
	if reasons == nil || !lp.peekWord("because") {
		return
	}
	lp.next()
	names := reasonNames(reasons)
	if rt := lp.word("a reason like " + names[0]); rt != nil {
		i := slices.Index(names, rt.text)
		if i < 0 {
			lp.fail(rt, "unknown reason "+desc(rt)+orList(rt.text, names, "reasons"))
		} else {
			a.Reason = reasons[i]
		}
	}
}

// inTerm reads an optional "in TERM" of a history condition.
func (lp *lineParser) inTerm(a *Atom) {
	if lp.peekWord("in") {
		lp.next()
		a.InTerm = lp.nat("a term number", 1, MaxNumber)
	}
}

// entry reads one expected log entry: term:command, term:"quoted command"
// or term:- for an empty (noop) entry.
func (lp *lineParser) entry(t *token) LogEntry {
	bad := "expected a log entry like 1:x (term:command), got " + desc(t)
	if t.kind != tWord {
		lp.fail(t, bad)
		return LogEntry{}
	}
	termText, cmd, ok := strings.Cut(t.text, ":")
	if !ok {
		lp.fail(t, bad)
		return LogEntry{}
	}
	n, ok := parseNat(termText)
	if !ok || n < 1 || n > MaxNumber {
		lp.fail(t, "expected a log entry like 1:x whose term is a number from 1 to "+
			strconv.Itoa(MaxNumber)+", got "+desc(t))
		return LogEntry{}
	}
	e := LogEntry{Term: n}
	switch cmd {
	case "":
		q := lp.peek()
		if q == nil || q.kind != tString || !q.glue {
			lp.fail(t, "missing command after "+strconv.Quote(t.text)+" (write 1:x, 1:\"x y\" or 1:- for an empty entry)")
			return e
		}
		lp.next()
		e.Cmd = lp.commandTok(q, q.text)
	case "-":
		e.Noop = true
	default:
		at := *t
		at.col += len(termText) + 1
		e.Cmd = lp.commandTok(&at, cmd)
	}
	return e
}
