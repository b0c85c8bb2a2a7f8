package scenario

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// gen builds random, mostly valid scenario lines.
type gen struct{ r *rand.Rand }

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) server() string           { return g.pick("S1", "S2", "S3", "s3", "S5", "S7", "S0") }
func (g gen) cmd() string {
	return g.pick("x", "y", "中文", `"a b"`, `"and"`, `"5"`, `"S1"`, `"\""`, "set_x.1", `"-"`, `"tab\t"`, `"é"`, "to")
}
func (g gen) dur() string {
	return g.pick("0ms", "1ms", "300ms", "999ms", "1s", "1.5s", "0.5s", "2.25s", "1.001s", "10s", "10000ms", "86400s", "300")
}
func (g gen) rng() string {
	return g.pick("10-20ms", "5ms", "0-0ms", "500ms-1.5s", "1-2s", "20-10ms", "1.5-2s")
}
func (g gen) prob() string { return g.pick("0", "0.1", "0.05", "1", "0.333333333333333333", "1.5") }

func (g gen) atom() string {
	switch g.r.IntN(14) {
	case 13:
		return g.pick("elections", "answered", "election") + " " + g.pick("", ">= ", "< ", "!= ", "=> ") + g.pick("0", "10", "600", "1s", "-1")
	case 12:
		return "time " + g.pick("", ">= ", "< ", "=> ") + g.pick("0ms", "300ms", "5s", "2")
	case 0:
		if g.r.IntN(4) == 0 {
			return "votedfor " + g.server() + " " + g.pick("none", g.server(), "nobody", "")
		}
		return g.pick("leader", "leader "+g.server(), "leader none")
	case 1:
		return "role " + g.server() + " " + g.pick("follower", "candidate", "leader", "precandidate")
	case 2:
		return "term " + g.pick("", g.server()+" ") + g.pick("", "= ", ">= ", "!= ", "< ") + g.pick("0", "3", "12")
	case 3:
		return "committed " + g.pick("0", "3") + g.pick("", " on all", " on "+g.server(), " on S1 S2")
	case 4:
		if g.r.IntN(4) == 0 {
			return "log " + g.server() + " empty"
		}
		s := "log " + g.server()
		for range 1 + g.r.IntN(3) {
			s += " " + g.pick("1", "2", "7") + ":" + g.pick("-", g.cmd())
		}
		return s
	case 5:
		if g.r.IntN(4) == 0 {
			return "applied " + g.server() + " empty"
		}
		s := "applied " + g.server()
		for range 1 + g.r.IntN(3) {
			s += " " + g.cmd()
		}
		return s
	case 6:
		return "safe"
	case 7:
		return g.pick("violation", "violation log-matching", "violation commit-monotonic")
	case 8:
		return "crashed " + g.server()
	case 9:
		return "up " + g.server()
	case 10:
		in := g.pick("", " in 2", " in 0", " in x")
		switch g.r.IntN(4) {
		case 0:
			return "leads " + g.server()
		case 1:
			return "elected " + g.server() + in
		case 2:
			if g.r.IntN(2) == 0 {
				return "rejected " + g.server() + g.pick(" from ", " to ") + g.server() + in + g.pick("", " because missing-prev", " because prev-mismatch", " because log-shorter")
			}
			return "voted " + g.server() + g.pick(" for ", " to ") + g.server() + in
		}
		return "denied " + g.server() + g.pick(" to ", " for ") + g.server() + in +
			g.pick("", " because already-voted", " because log-shorter", " because stale-term", " because up-to-date", " because")
	case 11:
		if g.r.IntN(3) == 0 {
			return "held " + g.server() + " " + g.pick("2", "0", "x")
		}
		return "removed " + g.server() + " " + g.pick("2:b", "1:-", `3:"a b"`, "b", "")
	}
	return "leader"
}

func (g gen) cond() string {
	s := g.atom()
	for g.r.IntN(3) == 0 {
		s += " and " + g.atom()
	}
	return s
}

func (g gen) line() string {
	switch g.r.IntN(31) {
	case 30:
		return "client " + g.pick("every "+g.dur(), "off", "every", "every 100ms 2", "on", "100ms", "every 5ms")
	case 0:
		return "rule " + g.pick("prevote", "election-restriction", "check-quorum") + " " + g.pick("on", "off")
	case 1:
		return "timer " + g.server() + " " + g.dur()
	case 2:
		return "timeout " + g.server()
	case 3:
		return "propose " + g.cmd() + g.pick("", " to "+g.server())
	case 4:
		return "crash " + g.server() + g.pick("", " before-send", " after-send", " after_send")
	case 5:
		return "restart " + g.server()
	case 6:
		return "partition " + g.pick("S1 | S2", "S1 S2 | S3 S4 S5", "S1|S2|S3", "S1 | S1")
	case 7:
		return "isolate " + g.server()
	case 8:
		return "link " + g.server() + g.pick("->", "<->", " <-> ", "<-") + g.server() + " " + g.pick("up", "down", "drop "+g.prob(), "drop")
	case 9:
		return "heal"
	case 10:
		return "drop " + g.prob()
	case 11:
		return "duplicate " + g.prob()
	case 12:
		return "latency " + g.rng()
	case 13:
		return "drop next " + g.server() + " -> " + g.server()
	case 14:
		return "run " + g.dur()
	case 15:
		return g.pick("step", "step 1", "step 12")
	case 16:
		return "run until " + g.cond() + g.pick("", " within "+g.dur())
	case 17:
		return "expect " + g.cond()
	case 18:
		return "say " + g.pick(`"hello"`, `"说 明"`, `"a\\b\nc"`) + g.pick("", " # note")
	case 19:
		return "pause"
	case 20:
		return "question \"q?\"\nchoice \"a\" when " + g.cond() + g.pick("", "\nwhy \"w\"") + g.pick("", "\nchoice \"b\" when "+g.cond())
	case 21:
		return "goal " + g.cond()
	case 22:
		return "allow " + g.pick("", "crash", "crash restart timeout propose", "drop link rule timer", "election link", "client rule", "clients")
	case 23:
		return "hint " + g.pick(`"h"`, `"提示"`)
	case 24:
		return g.pick("title \"t\"", "batch "+g.pick("1", "2", "64", "0", "65"))
	case 25:
		return "network " + g.pick("manual", "auto", "off")
	case 26:
		return "heartbeat " + g.server()
	case 27, 28:
		return g.pick("deliver", "drop", "duplicate") + " " + g.server() + g.pick("->", " -> ", " ") + g.server() + " " +
			g.pick("vote", "vote-reply", "prevote", "prevote-reply", "append", "heartbeat", "append-reply", "reply", "\"vote\"") +
			g.pick("", "", " 1", " 2", " 0", " x", " 1 2")
	case 29:
		return "election " + g.pick(g.rng(), "0-300ms", "0ms", "300-600ms", "1-2s", "")
	}
	return "# comment"
}

// scenario builds a random scenario of a few lines.
func (g gen) scenario() string {
	var b strings.Builder
	if g.r.IntN(3) == 0 {
		b.WriteString(g.pick("cluster 3\n", "cluster 9 seed=5 election="+g.rng()+"\n",
			"cluster 5 heartbeat="+g.dur()+" drop="+g.prob()+" latency="+g.rng()+"\n"))
	}
	for range 1 + g.r.IntN(4) {
		b.WriteString(g.line())
		b.WriteByte('\n')
	}
	if g.r.IntN(5) == 0 {
		b.WriteString("solution\n" + g.line() + "\n")
	}
	return b.String()
}

// TestRandomScenarios builds random scenarios from the grammar. Whatever
// parses must format and parse back to the same AST; nothing may panic.
func TestRandomScenarios(t *testing.T) {
	g := gen{rand.New(rand.NewPCG(1, 2))}
	parsed := 0
	for i := 0; i < 20000; i++ {
		src := g.scenario()
		sc, err := Parse("gen.raft", src)
		checkErr(t, err)
		if err == nil {
			parsed++
			checkRoundTrip(t, sc)
		}
		if c, err := ParseCommand(g.line(), 5); err == nil {
			if c2, err := ParseCommand(c.String(), 5); err != nil || c2.String() != c.String() {
				t.Fatalf("%q reparsed as %q, %v", c.String(), c2.String(), err)
			}
		}
	}
	if parsed < 2000 {
		t.Errorf("only %d random scenarios parsed", parsed)
	}
	t.Logf("%d of 20000 random scenarios parsed", parsed)
}
