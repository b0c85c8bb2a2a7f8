package scenario

import (
	"slices"
	"strconv"
	"strings"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// keyword is a word that starts a line, and how to read the rest of it.
// parse reads the rest of the line into c, or into the scenario for a
// line about the scenario itself, and reports whether c is a command of
// the script (or of the solution).
type keyword struct {
	word string
	// fileOnly: only in a file, never through ParseCommand; inSolution: it
	// may follow "solution" (actions, run and step).
	fileOnly, inSolution bool
	parse                func(p *parser, lp *lineParser, kw *token, c *Command) bool
}

// keywords is the one list of the words a line may start with.
var keywords = []keyword{
	{"cluster", true, false, parseCluster},
	{"title", true, false, parseTitle},
	{"batch", true, false, parseBatch},
	{"goal", true, false, parseGoal},
	{"why", true, false, parseWhy},
	{"allow", true, false, parseAllow},
	{"hint", true, false, parseHint},
	{"solution", true, false, parseSolution},
	{"choice", true, false, parseChoice},
	{"question", true, false, parseQuestion},
	{"rule", false, true, parseRule},
	{"timer", false, true, parseTimer},
	{"timeout", false, true, parseTimeout},
	{"propose", false, true, parsePropose},
	{"crash", false, true, parseCrash},
	{"restart", false, true, parseRestart},
	{"partition", false, true, parsePartition},
	{"isolate", false, true, parseIsolate},
	{"link", false, true, parseLink},
	{"heal", false, true, parseHeal},
	{"drop", false, true, parseDrop},
	{"duplicate", false, true, parseDuplicate},
	{"latency", false, true, parseLatency},
	{"election", false, true, parseElection},
	{"network", false, true, parseNetwork},
	{"heartbeat", false, true, parseHeartbeat},
	{"deliver", false, true, parseDeliver},
	{"transfer", false, true, parseTransfer},
	{"client", false, true, parseClient},
	{"run", false, true, parseRun},
	{"step", false, true, parseStep},
	{"expect", false, false, parseExpect},
	{"say", false, false, parseSay},
	{"pause", false, false, parsePause},
}

func findKeyword(word string) *keyword {
	for i := range keywords {
		if keywords[i].word == word {
			return &keywords[i]
		}
	}
	return nil
}

// keywordWords lists the words a line may start with.
func keywordWords() []string {
	words := make([]string, len(keywords))
	for i, k := range keywords {
		words[i] = k.word
	}
	return words
}

// atomWords are the words a condition may start with.
var atomWords = []string{
	"leader", "role", "term", "committed", "log", "applied", "safe",
	"violation", "crashed", "up", "leads", "votedfor", "elected", "voted", "denied",
	"removed", "rejected", "held", "time", "elections", "answered",
}

// crashWords are the words that may follow "crash S1".
var crashWords = []string{"before-send", "after-send"}

var clusterOptions = []string{"seed", "election", "heartbeat", "latency", "drop", "duplicate"}

// ruleNames lists the rule names of package raft.
func ruleNames() []string {
	var names []string
	for _, r := range raft.AllRules() {
		names = append(names, r.String())
	}
	return names
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
	// A choice attaches to the question before it, a why line to the
	// choice or goal before it; any other line ends both.
	p.prevQ, p.prevWhy = p.lastQ, p.why
	if word != "choice" && word != "why" {
		p.lastQ = nil
	}
	if word != "why" {
		p.why = nil
	}
	k := findKeyword(word)
	switch {
	case k == nil:
		if slices.Contains(atomWords, word) {
			lp.fail(kw, strconv.Quote(word)+" is a condition, not a command (use it after expect, run until, goal or when)")
		} else {
			lp.fail(kw, "unknown command "+desc(kw)+didYouMean(word, keywordWords()))
		}
		return
	case p.inSolution && !k.inSolution:
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
	if !k.parse(p, lp, kw, &c) {
		return // a line about the scenario, not a command of its script
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

// parseCluster reads the cluster line: the cluster's size and options.
func parseCluster(p *parser, lp *lineParser, kw *token, c *Command) bool {
	p.cluster(lp, kw)
	return false
}

// parseTitle reads the widget's caption.
func parseTitle(p *parser, lp *lineParser, kw *token, c *Command) bool {
	sc := p.sc
	text := lp.text("a title")
	lp.end()
	if sc.Title != "" {
		lp.fail(kw, "title given twice")
	}
	if !lp.failed() {
		sc.Title = text
	}
	return false
}

// parseBatch reads the batch size: how many entries one AppendEntries
// carries at most. It sets the cluster up, so it comes before time runs.
func parseBatch(p *parser, lp *lineParser, kw *token, c *Command) bool {
	sc := p.sc
	n := lp.nat("a batch size (the entries one AppendEntries carries at most)", 1, raft.DefaultMaxEntries)
	lp.end()
	switch {
	case sc.Batch != 0:
		lp.fail(kw, "batch given twice")
	case slices.ContainsFunc(sc.Commands, func(c Command) bool { return c.Kind.IsTime() }):
		lp.fail(kw, "batch sets the cluster up: write it before the first run or step")
	case !lp.failed():
		sc.Batch, sc.BatchPos = n, c.Pos
	}
	return false
}

// parseGoal reads an exercise's goal.
func parseGoal(p *parser, lp *lineParser, kw *token, c *Command) bool {
	sc := p.sc
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
	return false
}

// parseWhy reads the explanation of the choice or goal just before.
func parseWhy(p *parser, lp *lineParser, kw *token, c *Command) bool {
	text := lp.text("an explanation")
	lp.end()
	switch {
	case p.prevWhy == nil:
		lp.fail(kw, "why must follow a choice or the goal (it explains that answer or why the goal holds)")
	case *p.prevWhy != "":
		lp.fail(kw, "why given twice for the same choice or goal")
	case !lp.failed():
		*p.prevWhy = text
	}
	return false
}

// parseAllow reads the actions an exercise allows.
func parseAllow(p *parser, lp *lineParser, kw *token, c *Command) bool {
	p.allow(lp, kw)
	return false
}

// parseHint reads one of an exercise's hints.
func parseHint(p *parser, lp *lineParser, kw *token, c *Command) bool {
	sc := p.sc
	text := lp.text("a hint")
	lp.end()
	if !lp.failed() {
		if len(sc.Hints) == 0 {
			p.hintPos = c.Pos
		}
		sc.Hints = append(sc.Hints, text)
	}
	return false
}

// parseSolution reads the start of an exercise's reference solution.
func parseSolution(p *parser, lp *lineParser, kw *token, c *Command) bool {
	lp.end()
	p.inSolution, p.solution = true, c.Pos
	return false
}

// parseChoice reads one answer to the question before.
func parseChoice(p *parser, lp *lineParser, kw *token, c *Command) bool {
	p.choice(lp, kw, p.prevQ)
	return false
}

// parseQuestion reads a predict-then-run question.
func parseQuestion(p *parser, lp *lineParser, kw *token, c *Command) bool {
	sc := p.sc
	q := &Question{Pos: c.Pos}
	q.Text = lp.text("a question")
	lp.end()
	// After an error, later choices still attach (to a question that
	// is thrown away) rather than each reporting a missing question.
	p.lastQ = q
	if lp.failed() {
		return false
	}
	c.Kind, c.Text, c.Question = CmdQuestion, q.Text, q
	sc.Questions = append(sc.Questions, q)
	return true
}

// parseRule reads a rule switched on or off.
func parseRule(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdRule
	if t := lp.word("a rule name like election-restriction"); t != nil {
		r, err := raft.ParseRule(t.text)
		if err != nil {
			lp.fail(t, "unknown rule "+desc(t)+orList(t.text, ruleNames(), "rules"))
		}
		c.Rule = r
	}
	c.On = lp.onOff("on", "off")
	return true
}

// parseTimer reads an election timer set to fire.
func parseTimer(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdTimer
	c.Server = lp.server()
	c.Dur = lp.duration()
	return true
}

// parseTimeout reads a server timing out now.
func parseTimeout(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdTimeout
	c.Server = lp.server()
	return true
}

// parsePropose reads a client command.
func parsePropose(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdPropose
	c.Cmd = lp.command()
	if lp.peekWord("to") {
		lp.next()
		c.Server = lp.server()
	}
	return true
}

// parseCrash reads a crash.
func parseCrash(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdCrash
	c.Server = lp.server()
	if t := lp.peek(); t != nil {
		switch {
		case t.kind == tWord && t.text == "before-send":
			lp.next()
			c.BeforeSend = true
		case t.kind == tWord && t.text == "after-send":
			lp.next()
			c.AfterSend = true
		case t.kind == tWord:
			lp.fail(t, "unexpected "+desc(t)+didYouMean(t.text, crashWords))
		}
	}
	return true
}

// parseRestart reads a restart.
func parseRestart(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdRestart
	c.Server = lp.server()
	return true
}

// parsePartition reads a partition of the network.
func parsePartition(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdPartition
	c.Groups = lp.groups(kw)
	return true
}

// parseIsolate reads a server cut off.
func parseIsolate(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdIsolate
	c.Server = lp.server()
	return true
}

// parseLink reads a link cut or restored, or given a loss rate of its
// own: one way (S1->S2) or both (S1<->S2).
func parseLink(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdLink
	c.From, c.To, c.Both = lp.eitherLink()
	if lp.peekWord("drop") {
		lp.next()
		c.Kind = CmdLinkDrop
		c.Rate = lp.prob()
		return true
	}
	t := lp.next()
	if lp.failed() {
		return true
	}
	if t == nil || t.kind != tWord || (t.text != "up" && t.text != "down") {
		hint := ""
		if t != nil && t.kind == tWord {
			hint = didYouMean(t.text, linkWords)
		}
		lp.fail(t, "expected up, down or drop, got "+desc(t)+hint)
		return true
	}
	c.On = t.text == "up"
	return true
}

// linkWords are the words that may follow a link.
var linkWords = []string{"up", "down", "drop"}

// parseElection reads a new election timeout range.
func parseElection(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdElection
	if t := lp.word("a range like 300-600ms"); t != nil {
		lo, hi, msg := parseRange(t.text)
		if msg == "" && lo == 0 {
			msg = "the election timeout must be more than 0ms"
		}
		if msg != "" {
			lp.fail(t, msg)
		}
		c.Min, c.Max = lo, hi
	}
	return true
}

// onOff reads one of two words, yes or no, and reports whether it was yes.
func (lp *lineParser) onOff(yes, no string) bool {
	t := lp.next()
	if lp.failed() {
		return false
	}
	if t == nil || t.kind != tWord || (t.text != yes && t.text != no) {
		lp.fail(t, "expected "+yes+" or "+no+", got "+desc(t))
		return false
	}
	return t.text == yes
}

// parseHeal reads the network healed.
func parseHeal(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdHeal
	return true
}

// parseDrop reads a loss rate, or the loss of one message.
func parseDrop(p *parser, lp *lineParser, kw *token, c *Command) bool {
	if lp.peekServer() {
		c.Kind = CmdDropOne
		lp.message(c)
	} else if lp.peekWord("next") {
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
	return true
}

// parseDuplicate reads a duplication rate, or one message duplicated.
func parseDuplicate(p *parser, lp *lineParser, kw *token, c *Command) bool {
	if lp.peekServer() {
		c.Kind = CmdDuplicateOne
		lp.message(c)
		return true
	}
	c.Kind = CmdDuplicate
	c.Rate = lp.prob()
	return true
}

// parseNetwork reads the network switched to manual or back to auto.
func parseNetwork(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdNetwork
	c.On = lp.onOff("manual", "auto")
	return true
}

// parseHeartbeat reads a leader's heartbeat timer run out by hand.
func parseHeartbeat(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdHeartbeat
	c.Server = lp.server()
	return true
}

// parseDeliver reads one message in flight delivered by hand.
func parseDeliver(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdDeliver
	lp.message(c)
	return true
}

// parseTransfer reads a leadership transfer: transfer S1 to S3.
func parseTransfer(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdTransfer
	c.Server = lp.server()
	lp.expectWord("to")
	t := lp.peek()
	c.To = lp.server()
	if !lp.failed() && c.To == c.Server {
		lp.fail(t, "leadership goes to another server, not from "+c.Server.String()+" to itself")
	}
	return true
}

// parseClient reads the client workload started or stopped: client
// every 100ms, client off.
func parseClient(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdClient
	if lp.onOff("every", "off") {
		at := lp.peek()
		if c.Dur = lp.duration(); !lp.failed() && (c.Dur < sim.MinClientEvery || c.Dur > sim.MaxClientEvery) {
			lp.fail(at, "a client sends a request every 10ms to 1h")
		}
	}
	return true
}

// message reads the message in flight that deliver, drop and duplicate
// name: its link, its type, and, when several of that type are on the
// link, its place among them in the order sent (1: the oldest).
func (lp *lineParser) message(c *Command) {
	c.From, c.To = lp.link()
	if t := lp.word("a message type like vote or append"); t != nil {
		k, ok := sim.ParseMsgKind(t.text)
		if !ok {
			lp.fail(t, "unknown message type "+desc(t)+orList(t.text, sim.MsgKindNames(), "types"))
		}
		c.Msg = k
	}
	if lp.peek() != nil {
		c.N = lp.nat("the message's place in the order sent (1 for the oldest)", 1, MaxNumber)
	}
}

// parseLatency reads a latency range.
func parseLatency(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdLatency
	if t := lp.word("a range like 10-20ms"); t != nil {
		lo, hi, msg := parseRange(t.text)
		if msg != "" {
			lp.fail(t, msg)
		}
		c.Min, c.Max = lo, hi
	}
	return true
}

// parseRun reads time passing, for a while or until a condition holds.
func parseRun(p *parser, lp *lineParser, kw *token, c *Command) bool {
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
	return true
}

// parseStep reads one event, or several.
func parseStep(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdStep
	c.N = 1
	if lp.peek() != nil {
		c.N = lp.nat("a number of events", 1, MaxSteps)
	}
	return true
}

// parseExpect reads a check.
func parseExpect(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdExpect
	c.Cond = lp.cond()
	lp.noWithin()
	return true
}

// parseSay reads narration.
func parseSay(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdSay
	c.Text = lp.text("text to say")
	return true
}

// parsePause reads a stop for the reader.
func parsePause(p *parser, lp *lineParser, kw *token, c *Command) bool {
	c.Kind = CmdPause
	return true
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
