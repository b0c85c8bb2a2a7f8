package player

import (
	"strings"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// Holds reports whether every atom of cond holds on c now.
func Holds(cond *scenario.Cond, c *sim.Cluster) bool {
	if cond == nil {
		return false
	}
	for i := range cond.Terms {
		if !atomHolds(&cond.Terms[i], c) {
			return false
		}
	}
	return true
}

// Seen says what is seen now of the atoms of cond that do not hold on c,
// as one line of the narration: the page writes it in its reader's
// language, e.g. "no leader (S1 candidate t3, S2 crashed, …)".
func Seen(cond *scenario.Cond, c *sim.Cluster) sim.Line {
	var parts []sim.Line
	if cond != nil {
		for i := range cond.Terms {
			a := &cond.Terms[i]
			if !atomHolds(a, c) {
				parts = append(parts, seen(a, c))
			}
		}
	}
	return sim.NewLine("seen").ListSep("parts", "seen.sep", parts)
}

// Explain is Seen in English, as the command line, raftplay verify and
// check, and the failures of expect and run until say it.
func Explain(cond *scenario.Cond, c *sim.Cluster) string {
	return english.Render(Seen(cond, c))
}

// isLeader reports whether id is up, a leader, and no up server has a
// higher term.
func isLeader(c *sim.Cluster, id raft.ID) bool {
	if !c.Up(id) || c.Role(id) != raft.Leader {
		return false
	}
	for p := raft.ID(1); int(p) <= c.Servers(); p++ {
		if c.Up(p) && c.Term(p) > c.Term(id) {
			return false
		}
	}
	return true
}

func maxTerm(c *sim.Cluster) int {
	t := 0
	for p := raft.ID(1); int(p) <= c.Servers(); p++ {
		t = max(t, c.Term(p))
	}
	return t
}

func compare(a int, op string, b int) bool {
	switch op {
	case "=", "":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

func atomHolds(a *scenario.Atom, c *sim.Cluster) bool {
	switch a.Kind {
	case scenario.AtomLeader:
		switch {
		case a.Server != raft.None:
			return isLeader(c, a.Server)
		case a.None:
			return c.Leader() == raft.None
		}
		return c.Leader() != raft.None
	case scenario.AtomRole:
		return c.Up(a.Server) && c.Role(a.Server) == a.Role
	case scenario.AtomTerm:
		if a.Server == raft.None {
			return compare(maxTerm(c), a.Op, a.N)
		}
		return compare(c.Term(a.Server), a.Op, a.N)
	case scenario.AtomTime:
		return compare(c.Now(), a.Op, a.N)
	case scenario.AtomElections, scenario.AtomAnswered:
		return compare(count(a, c), a.Op, a.N)
	case scenario.AtomCommitted:
		return committed(a, c)
	case scenario.AtomLog:
		return logEquals(c.Log(a.Server), a.Entries)
	case scenario.AtomApplied:
		return appliedEquals(c.Applied(a.Server), a.Cmds)
	case scenario.AtomSafe:
		return c.Safe()
	case scenario.AtomViolation:
		if a.Name == "" {
			return !c.Safe()
		}
		inv, ok := sim.ParseInvariant(a.Name)
		return ok && c.ViolationCount(inv) > 0
	case scenario.AtomCrashed:
		return !c.Up(a.Server)
	case scenario.AtomUp:
		return c.Up(a.Server)
	case scenario.AtomLeads:
		return c.Up(a.Server) && c.Role(a.Server) == raft.Leader
	case scenario.AtomVotedFor:
		return c.ServerState(a.Server, 1, 0).Vote == a.Peer
	case scenario.AtomElected:
		for _, e := range c.Elections() {
			if e.Leader == a.Server && (a.InTerm == 0 || e.Term == a.InTerm) {
				return true
			}
		}
		return false
	case scenario.AtomVoted, scenario.AtomDenied:
		for _, b := range c.Ballots() {
			if ballotMatches(a, &b) {
				return true
			}
		}
		return false
	case scenario.AtomHeld:
		for _, h := range c.Holds() {
			if h.Leader == a.Server && h.From <= a.N && a.N <= h.To {
				return true
			}
		}
		return false
	case scenario.AtomRejected:
		for _, r := range c.Rejections() {
			if r.Server == a.Server && r.Leader == a.Peer && (a.InTerm == 0 || r.Term == a.InTerm) &&
				(a.Reason == raft.ReasonNone || r.Reason == a.Reason) {
				return true
			}
		}
		return false
	case scenario.AtomRemoved:
		for _, r := range c.Removals() {
			if r.Server == a.Server && len(a.Entries) == 1 && entryIs(r.Entry, a.Entries[0]) {
				return true
			}
		}
		return false
	}
	return false
}

// count is what an elections or answered condition counts: the leaders
// elected, or the client requests answered, since time 0.
func count(a *scenario.Atom, c *sim.Cluster) int {
	if a.Kind == scenario.AtomElections {
		return len(c.Elections())
	}
	return c.Answered()
}

// ballotMatches reports whether b is the vote decision a voted or denied
// condition names.
func ballotMatches(a *scenario.Atom, b *sim.Ballot) bool {
	return b.Voter == a.Server && b.Candidate == a.Peer && b.Granted == (a.Kind == scenario.AtomVoted) &&
		(a.InTerm == 0 || b.Term == a.InTerm) && (a.Reason == raft.ReasonNone || b.Reason == a.Reason)
}

func entryIs(e raft.Entry, w scenario.LogEntry) bool {
	return e.Term == w.Term && e.Noop == w.Noop && (w.Noop || e.Cmd == w.Cmd)
}

func committed(a *scenario.Atom, c *sim.Cluster) bool {
	switch {
	case len(a.Servers) > 0:
		for _, id := range a.Servers {
			if c.Commit(id) < a.N {
				return false
			}
		}
		return true
	case a.All:
		for id := raft.ID(1); int(id) <= c.Servers(); id++ {
			if c.Up(id) && c.Commit(id) < a.N {
				return false
			}
		}
		return true
	}
	// A majority of the cluster's servers; a crashed one counts as 0.
	n := 0
	for id := raft.ID(1); int(id) <= c.Servers(); id++ {
		if c.Commit(id) >= a.N {
			n++
		}
	}
	return n > c.Servers()/2
}

func logEquals(log []raft.Entry, want []scenario.LogEntry) bool {
	if len(log) != len(want) {
		return false
	}
	for i, e := range log {
		w := want[i]
		if !entryIs(e, w) {
			return false
		}
	}
	return true
}

// appliedCmds lists the commands a state machine applied; the empty
// entries of leader-noop change no state and are left out.
func appliedCmds(es []raft.Entry) []string {
	var cmds []string
	for _, e := range es {
		if !e.Noop {
			cmds = append(cmds, e.Cmd)
		}
	}
	return cmds
}

func appliedEquals(es []raft.Entry, want []string) bool {
	got := appliedCmds(es)
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}

// seen describes the state that atom a is about, as it is on c now.
func seen(a *scenario.Atom, c *sim.Cluster) sim.Line {
	switch a.Kind {
	case scenario.AtomLeader:
		if l := c.Leader(); l != raft.None {
			return sim.NewLine("seen.leader").Server("s", l).Num("term", c.Term(l))
		}
		return sim.NewLine("seen.no-leader").List("servers", rolesSeen(c))
	case scenario.AtomRole, scenario.AtomCrashed, scenario.AtomUp, scenario.AtomLeads:
		return describeServer(c, a.Server)
	case scenario.AtomVotedFor:
		if v := c.ServerState(a.Server, 1, 0).Vote; v != raft.None {
			return sim.NewLine("seen.votedfor").Server("s", a.Server).Server("p", v).Num("term", c.Term(a.Server))
		}
		return sim.NewLine("seen.votedfor.none").Server("s", a.Server).Num("term", c.Term(a.Server))
	case scenario.AtomTerm:
		if a.Server == raft.None {
			return sim.NewLine("seen.term.highest").Num("term", maxTerm(c))
		}
		return sim.NewLine("seen.term").Server("s", a.Server).Num("term", c.Term(a.Server))
	case scenario.AtomTime:
		return sim.NewLine("seen.time").Num("ms", c.Now())
	case scenario.AtomElections, scenario.AtomAnswered:
		return sim.NewLine("seen."+a.Kind.String()).Num("n", count(a, c))
	case scenario.AtomCommitted:
		var parts []sim.Line
		for id := raft.ID(1); int(id) <= c.Servers(); id++ {
			if c.Up(id) {
				parts = append(parts, sim.NewLine("seen.commit.server").Server("s", id).Num("index", c.Commit(id)))
			} else {
				parts = append(parts, sim.NewLine("seen.crashed").Server("s", id))
			}
		}
		return sim.NewLine("seen.commit").ListSep("servers", "seen.commit.sep", parts)
	case scenario.AtomLog:
		return logSeen(a.Server, c.Log(a.Server))
	case scenario.AtomApplied:
		// Written as the condition that holds now spells the commands.
		var cmds []string
		for _, cmd := range appliedCmds(c.Applied(a.Server)) {
			cmds = append(cmds, scenario.FormatCmd(cmd))
		}
		if len(cmds) == 0 {
			return sim.NewLine("seen.applied.empty").Server("s", a.Server)
		}
		return sim.NewLine("seen.applied").Server("s", a.Server).Text("cmds", strings.Join(cmds, " "))
	case scenario.AtomSafe, scenario.AtomViolation:
		vs := c.Violations()
		if len(vs) == 0 {
			return sim.NewLine("seen.safe")
		}
		var codes []string
		var names []sim.Line
		for _, v := range vs {
			if n := v.Kind.String(); !contains(codes, n) {
				codes = append(codes, n)
				names = append(names, sim.NewLine("seen.violation").Text("code", n).Gloss("name", "inv."+n))
			}
		}
		return sim.NewLine("seen.violations").List("names", names)
	case scenario.AtomElected:
		var parts []sim.Line
		for _, e := range c.Elections() {
			parts = append(parts, sim.NewLine("seen.elected.one").Server("s", e.Leader).Num("term", e.Term))
		}
		if len(parts) == 0 {
			return sim.NewLine("seen.elected.none")
		}
		return sim.NewLine("seen.elected").List("elections", parts)
	case scenario.AtomVoted, scenario.AtomDenied:
		var ds []sim.Line
		for _, b := range c.Ballots() {
			if b.Voter == a.Server && b.Candidate == a.Peer {
				k := "seen.ballot.denied"
				if b.Granted {
					k = "seen.ballot.granted"
				}
				ds = append(ds, decision(k, b.Voter, b.Candidate, b.Term, b.Reason))
			}
		}
		return decisions("seen.ballots", a, ds)
	case scenario.AtomHeld:
		var parts []sim.Line
		for _, h := range c.Holds() {
			if h.Leader == a.Server {
				parts = append(parts, sim.NewLine("seen.held.one").Num("from", h.From).Num("to", h.To).Num("term", h.Term))
			}
		}
		if len(parts) == 0 {
			return sim.NewLine("seen.held.none").Server("s", a.Server)
		}
		return sim.NewLine("seen.held").Server("s", a.Server).List("holds", parts)
	case scenario.AtomRejected:
		var ds []sim.Line
		for _, r := range c.Rejections() {
			if r.Server == a.Server && r.Leader == a.Peer {
				ds = append(ds, decision("seen.rejected", r.Server, r.Leader, r.Term, r.Reason))
			}
		}
		return decisions("seen.rejections", a, ds)
	case scenario.AtomRemoved:
		var es []scenario.LogEntry
		for _, r := range c.Removals() {
			if r.Server == a.Server {
				es = append(es, logEntry(r.Entry))
			}
		}
		if len(es) == 0 {
			return sim.NewLine("seen.removed.none").Server("s", a.Server)
		}
		return sim.NewLine("seen.removed").Server("s", a.Server).Text("entries", entriesText(es))
	}
	return sim.NewLine("seen.unknown")
}

// decision is a decision of server s about peer p (a vote, an
// AppendEntries rejected) in a term, and its reason.
func decision(k string, s, p raft.ID, term int, why raft.Reason) sim.Line {
	return sim.NewLine(k).Server("s", s).Server("p", p).Num("term", term).Text("why", why.String())
}

// decisions is what a voted, denied or rejected condition sees: the
// decisions ds of its server about its peer, or (key k.none) that there
// were none.
func decisions(k string, a *scenario.Atom, ds []sim.Line) sim.Line {
	if len(ds) == 0 {
		return sim.NewLine(k+".none").Server("s", a.Server).Server("p", a.Peer)
	}
	return sim.NewLine(k).List("decisions", ds)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func describeServer(c *sim.Cluster, id raft.ID) sim.Line {
	if !c.Up(id) {
		return sim.NewLine("seen.server.crashed").Server("s", id).Num("term", c.Term(id))
	}
	return sim.NewLine("seen.server").Server("s", id).Gloss("role", "role."+c.Role(id).String()).Num("term", c.Term(id))
}

func rolesSeen(c *sim.Cluster) []sim.Line {
	var parts []sim.Line
	for id := raft.ID(1); int(id) <= c.Servers(); id++ {
		if c.Up(id) {
			parts = append(parts, sim.NewLine("seen.server.brief").Server("s", id).
				Gloss("role", "role."+c.Role(id).String()).Num("term", c.Term(id)))
		} else {
			parts = append(parts, sim.NewLine("seen.crashed").Server("s", id))
		}
	}
	return parts
}

// logSeen writes a server's log as the log condition that holds now
// spells its entries (1:x 1:y 2:-), its first entries only when it is
// long.
func logSeen(id raft.ID, log []raft.Entry) sim.Line {
	const show = 12
	if len(log) == 0 {
		return sim.NewLine("seen.log.empty").Server("s", id)
	}
	var es []scenario.LogEntry
	for _, e := range log[:min(len(log), show)] {
		es = append(es, logEntry(e))
	}
	k := "seen.log"
	if len(log) > show {
		k = "seen.log.long"
	}
	return sim.NewLine(k).Server("s", id).Text("entries", entriesText(es)).Num("n", len(log))
}

// entriesText writes entries as log and removed conditions spell them.
func entriesText(es []scenario.LogEntry) string {
	words := make([]string, len(es))
	for i, e := range es {
		words[i] = e.String()
	}
	return strings.Join(words, " ")
}

// logEntry is entry e as a log condition names it.
func logEntry(e raft.Entry) scenario.LogEntry {
	return scenario.LogEntry{Term: e.Term, Cmd: e.Cmd, Noop: e.Noop}
}
