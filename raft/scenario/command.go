package scenario

import (
	"slices"
	"strconv"
	"strings"

	"raftplay/raft"
)

// commandWords are the words a line may start with.
var commandWords = []string{
	"cluster", "title", "rule", "timer", "timeout", "propose", "crash",
	"restart", "partition", "isolate", "link", "heal", "drop", "duplicate",
	"latency", "run", "step", "expect", "say", "pause", "goal", "allow",
	"hint", "solution", "question", "choice", "why",
}

// atomWords are the words a condition may start with.
var atomWords = []string{
	"leader", "role", "term", "committed", "log", "applied", "safe",
	"violation", "crashed", "up", "leads", "elected", "voted", "denied",
	"removed", "rejected", "held",
}

var clusterOptions = []string{"seed", "election", "heartbeat", "latency", "drop", "duplicate"}

// ruleNames lists the rule names of package raft.
func ruleNames() []string {
	var names []string
	for _, r := range raft.AllRules() {
		names = append(names, r.String())
	}
	return names
}

// inSolutionOK reports whether a line starting with word may appear after
// "solution": actions and time commands only.
func inSolutionOK(word string) bool {
	switch word {
	case "rule", "timer", "timeout", "propose", "crash", "restart", "partition",
		"isolate", "link", "heal", "drop", "duplicate", "latency", "run", "step":
		return true
	}
	return false
}

// command parses one non-blank line.
func (p *parser) command(lp *lineParser) {
	sc := p.sc
	kw := lp.next()
	if kw.kind != tWord {
		lp.fail(kw, "expected a command, got "+desc(kw))
		p.lastQ = nil
		return
	}
	word := kw.text
	lastQ, why := p.lastQ, p.why
	if word != "choice" && word != "why" {
		p.lastQ = nil
	}
	if word != "why" {
		p.why = nil
	}
	switch {
	case !slices.Contains(commandWords, word):
		if slices.Contains(atomWords, word) {
			lp.fail(kw, strconv.Quote(word)+" is a condition, not a command (use it after expect, run until, goal or when)")
		} else {
			lp.fail(kw, "unknown command "+desc(kw)+didYouMean(word, commandWords))
		}
		return
	case p.inSolution && !inSolutionOK(word):
		lp.fail(kw, strconv.Quote(word)+" is not allowed in the solution (only actions, run and step)")
		return
	case word == "cluster" && sc.ClusterGiven:
		lp.fail(kw, "cluster given twice")
		return
	case word == "cluster" && p.started:
		lp.fail(kw, "cluster must come first, before any other command")
		return
	}

	c := Command{Pos: lp.pos(kw)}
	switch word {
	case "cluster":
		p.cluster(lp, kw)
		return
	case "title":
		text := lp.text("a title")
		lp.end()
		if sc.Title != "" {
			lp.fail(kw, "title given twice")
		}
		if !lp.failed() {
			sc.Title = text
		}
		return
	case "goal":
		cond := lp.cond()
		lp.noWithin()
		lp.end()
		if sc.Goal != nil {
			lp.fail(kw, "goal given twice (an exercise has one goal; join conditions with and)")
		}
		if !lp.failed() {
			sc.Goal, sc.GoalPos = cond, c.Pos
			p.why = &sc.GoalWhy
		}
		return
	case "why":
		text := lp.text("an explanation")
		lp.end()
		switch {
		case why == nil:
			lp.fail(kw, "why must follow a choice or the goal (it explains that answer or why the goal holds)")
		case *why != "":
			lp.fail(kw, "why given twice for the same choice or goal")
		case !lp.failed():
			*why = text
		}
		return
	case "allow":
		p.allow(lp, kw)
		return
	case "hint":
		text := lp.text("a hint")
		lp.end()
		if !lp.failed() {
			if len(sc.Hints) == 0 {
				p.hintPos = c.Pos
			}
			sc.Hints = append(sc.Hints, text)
		}
		return
	case "solution":
		lp.end()
		p.inSolution, p.solution = true, c.Pos
		return
	case "choice":
		p.choice(lp, kw, lastQ)
		return
	case "question":
		q := &Question{Pos: c.Pos}
		q.Text = lp.text("a question")
		lp.end()
		// After an error, later choices still attach (to a question that
		// is thrown away) rather than each reporting a missing question.
		p.lastQ = q
		if lp.failed() {
			return
		}
		c.Kind, c.Text, c.Question = CmdQuestion, q.Text, q
		sc.Questions = append(sc.Questions, q)
	case "rule":
		c.Kind = CmdRule
		if t := lp.word("a rule name like election-restriction"); t != nil {
			r, err := raft.ParseRule(t.text)
			if err != nil {
				lp.fail(t, "unknown rule "+desc(t)+orList(t.text, ruleNames(), "rules"))
			}
			c.Rule = r
		}
		if t := lp.next(); !lp.failed() {
			switch {
			case t != nil && t.kind == tWord && t.text == "on":
				c.On = true
			case t != nil && t.kind == tWord && t.text == "off":
			default:
				lp.fail(t, "expected on or off, got "+desc(t))
			}
		}
	case "timer":
		c.Kind = CmdTimer
		c.Server = lp.server()
		c.Dur = lp.duration()
	case "timeout":
		c.Kind = CmdTimeout
		c.Server = lp.server()
	case "propose":
		c.Kind = CmdPropose
		c.Cmd = lp.command()
		if lp.peekWord("to") {
			lp.next()
			c.Server = lp.server()
		}
	case "crash":
		c.Kind = CmdCrash
		c.Server = lp.server()
		if t := lp.peek(); t != nil {
			if t.kind == tWord && t.text == "before-send" {
				lp.next()
				c.BeforeSend = true
			} else if t.kind == tWord {
				lp.fail(t, "unexpected "+desc(t)+didYouMean(t.text, []string{"before-send"}))
			}
		}
	case "restart":
		c.Kind = CmdRestart
		c.Server = lp.server()
	case "partition":
		c.Kind = CmdPartition
		c.Groups = lp.groups(kw)
	case "isolate":
		c.Kind = CmdIsolate
		c.Server = lp.server()
	case "link":
		c.Kind = CmdLink
		c.From, c.To = lp.link()
		if t := lp.next(); !lp.failed() {
			switch {
			case t != nil && t.kind == tWord && t.text == "up":
				c.On = true
			case t != nil && t.kind == tWord && t.text == "down":
			default:
				lp.fail(t, "expected up or down, got "+desc(t))
			}
		}
	case "heal":
		c.Kind = CmdHeal
	case "drop":
		if lp.peekWord("next") {
			lp.next()
			c.Kind = CmdDropNext
			c.From, c.To = lp.link()
		} else if lp.peekWord("message") {
			lp.next()
			c.Kind = CmdDropMessage
			c.N = lp.nat("a message id", 1, MaxNumber)
		} else {
			c.Kind = CmdDrop
			c.Rate = lp.prob()
		}
	case "duplicate":
		c.Kind = CmdDuplicate
		c.Rate = lp.prob()
	case "latency":
		c.Kind = CmdLatency
		if t := lp.word("a range like 10-20ms"); t != nil {
			lo, hi, msg := parseRange(t.text)
			if msg != "" {
				lp.fail(t, msg)
			}
			c.Min, c.Max = lo, hi
		}
	case "run":
		if lp.peekWord("until") {
			lp.next()
			c.Kind = CmdRunUntil
			c.Cond = lp.cond()
			c.Dur = DefaultWithin
			if lp.peekWord("within") {
				lp.next()
				c.Dur = lp.duration()
				if c.Dur == 0 {
					lp.fail(&lp.toks[lp.i-1], "the limit of run until must be more than 0ms")
				}
			}
		} else {
			c.Kind = CmdRun
			t := lp.peek()
			if t == nil || t.kind != tWord || (t.text[0] < '0' || t.text[0] > '9') {
				hint := ""
				if t != nil && t.kind == tWord {
					hint = didYouMean(t.text, []string{"until"})
				}
				lp.fail(t, "expected a duration like 300ms, or until, got "+desc(t)+hint)
			}
			c.Dur = lp.duration()
		}
	case "step":
		c.Kind = CmdStep
		c.N = 1
		if lp.peek() != nil {
			c.N = lp.nat("a number of events", 1, MaxSteps)
		}
	case "expect":
		c.Kind = CmdExpect
		c.Cond = lp.cond()
		lp.noWithin()
	case "say":
		c.Kind = CmdSay
		c.Text = lp.text("text to say")
	case "pause":
		c.Kind = CmdPause
	}
	lp.end()
	if lp.failed() {
		return
	}
	if p.inSolution {
		sc.Solution = append(sc.Solution, c)
	} else {
		sc.Commands = append(sc.Commands, c)
	}
}

// cluster parses the rest of a "cluster" line.
func (p *parser) cluster(lp *lineParser, kw *token) {
	sc := p.sc
	c := DefaultCluster()
	c.N = lp.nat("the number of servers", 1, raft.MaxServers)
	var seen []string
	for t := lp.next(); t != nil; t = lp.next() {
		key, val, ok := strings.Cut(t.text, "=")
		if t.kind != tWord || !ok {
			lp.fail(t, "expected an option like seed=42, got "+desc(t))
			break
		}
		if !slices.Contains(clusterOptions, key) {
			lp.fail(t, "unknown cluster option "+strconv.Quote(truncate(key, 40))+orList(key, clusterOptions, "options"))
			break
		}
		if slices.Contains(seen, key) {
			lp.fail(t, "option "+key+" given twice")
			break
		}
		seen = append(seen, key)
		col := t.col + len(key) + 1
		var msg string
		switch key {
		case "seed":
			s, err := strconv.ParseUint(val, 10, 64)
			switch {
			case !isDigits(val):
				msg = "expected a seed (a whole number), got " + strconv.Quote(val)
			case err != nil:
				msg = "seed " + truncate(val, 40) + " is too large (max 18446744073709551615)"
			}
			c.Seed, c.SeedGiven = s, true
		case "election":
			c.ElectionMin, c.ElectionMax, msg = parseRange(val)
			if msg == "" && c.ElectionMin == 0 {
				msg = "the election timeout must be more than 0ms"
			}
		case "heartbeat":
			c.Heartbeat, msg = parseDuration(val)
			if msg == "" && c.Heartbeat == 0 {
				msg = "the heartbeat interval must be more than 0ms"
			}
		case "latency":
			c.LatencyMin, c.LatencyMax, msg = parseRange(val)
		case "drop":
			c.Drop, msg = parseProb(val)
		case "duplicate":
			c.Duplicate, msg = parseProb(val)
		}
		if msg != "" {
			lp.failAt(col, msg)
		}
	}
	if c.N == 0 {
		c.N = raft.MaxServers // keep checking servers after a bad size
	}
	sc.Cluster, sc.ClusterGiven, sc.ClusterPos = c, true, lp.pos(kw)
}

// allow parses the rest of an "allow" line.
func (p *parser) allow(lp *lineParser, kw *token) {
	sc := p.sc
	if sc.AllowGiven {
		lp.fail(kw, "allow given twice (list all allowed actions on one line)")
		return
	}
	words := []string{}
	for t := lp.next(); t != nil; t = lp.next() {
		switch {
		case t.kind != tWord:
			lp.fail(t, "expected an action like crash, got "+desc(t))
		case t.text == "run" || t.text == "step":
			lp.fail(t, t.text+" needs no allow (run and step are always allowed)")
		case !slices.Contains(ActionWords, t.text):
			lp.fail(t, "unknown action "+desc(t)+orList(t.text, ActionWords, "actions"))
		case slices.Contains(words, t.text):
			lp.fail(t, t.text+" is listed twice")
		}
		words = append(words, t.text)
	}
	if !lp.failed() {
		sc.Allow, sc.AllowGiven, sc.AllowPos = words, true, lp.pos(kw)
	}
}

// choice parses the rest of a "choice" line.
func (p *parser) choice(lp *lineParser, kw *token, q *Question) {
	if q == nil {
		lp.fail(kw, "choice without a question (a choice must follow its question or another choice)")
		return
	}
	p.choiceTried[q] = true
	ch := Choice{Pos: lp.pos(kw)}
	ch.Text = lp.text("a choice")
	lp.expectWord("when")
	if cond := lp.cond(); cond != nil {
		ch.When = *cond
	}
	lp.noWithin()
	lp.end()
	if !lp.failed() {
		q.Choices = append(q.Choices, ch)
		p.why = &q.Choices[len(q.Choices)-1].Why
	}
}

// groups reads the groups of a partition: servers separated by |.
func (lp *lineParser) groups(kw *token) [][]raft.ID {
	groups := [][]raft.ID{nil}
	var last *token
	for t := lp.next(); t != nil; t = lp.next() {
		last = t
		cur := &groups[len(groups)-1]
		if t.kind == tPipe {
			if len(*cur) == 0 {
				lp.fail(t, "empty group before |")
			}
			groups = append(groups, nil)
			continue
		}
		id := lp.serverTok(t)
		for _, g := range groups {
			if id != raft.None && slices.Contains(g, id) {
				lp.fail(t, id.String()+" is listed twice (a server can be in one group only)")
			}
		}
		*cur = append(*cur, id)
	}
	switch {
	case lp.failed():
	case len(groups) < 2:
		lp.fail(kw, "partition needs groups separated by |, like partition S1 S2 | S3 S4 S5")
	case len(groups[len(groups)-1]) == 0:
		lp.fail(nil, "empty group after "+desc(last))
	}
	return groups
}
