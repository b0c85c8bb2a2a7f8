package player

import (
	"strconv"
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

// Explain says what was seen for the atoms of cond that do not hold on c
// now, e.g. "no leader (S1 candidate in term 3, S2 crashed, …)".
func Explain(cond *scenario.Cond, c *sim.Cluster) string {
	if cond == nil {
		return ""
	}
	var parts []string
	for i := range cond.Terms {
		a := &cond.Terms[i]
		if !atomHolds(a, c) {
			parts = append(parts, seen(a, c))
		}
	}
	return strings.Join(parts, "; ")
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
func seen(a *scenario.Atom, c *sim.Cluster) string {
	switch a.Kind {
	case scenario.AtomLeader:
		if l := c.Leader(); l != raft.None {
			return "leader " + l.String() + " in term " + strconv.Itoa(c.Term(l))
		}
		return "no leader (" + rolesSeen(c) + ")"
	case scenario.AtomRole:
		return describeServer(c, a.Server)
	case scenario.AtomTerm:
		if a.Server == raft.None {
			return "highest term " + strconv.Itoa(maxTerm(c))
		}
		return a.Server.String() + " in term " + strconv.Itoa(c.Term(a.Server))
	case scenario.AtomCommitted:
		var parts []string
		for id := raft.ID(1); int(id) <= c.Servers(); id++ {
			if c.Up(id) {
				parts = append(parts, id.String()+"="+strconv.Itoa(c.Commit(id)))
			} else {
				parts = append(parts, id.String()+" crashed")
			}
		}
		return "commitIndex " + strings.Join(parts, " ")
	case scenario.AtomLog:
		return logSeen(a.Server, c.Log(a.Server))
	case scenario.AtomApplied:
		// Written as the condition that holds now.
		return scenario.Atom{Kind: scenario.AtomApplied, Server: a.Server, Cmds: appliedCmds(c.Applied(a.Server))}.String()
	case scenario.AtomSafe, scenario.AtomViolation:
		vs := c.Violations()
		if len(vs) == 0 {
			return "no violation"
		}
		names := make([]string, 0, len(vs))
		for _, v := range vs {
			if n := v.Kind.String(); !contains(names, n) {
				names = append(names, n)
			}
		}
		return "violations: " + strings.Join(names, ", ")
	case scenario.AtomCrashed, scenario.AtomUp, scenario.AtomLeads:
		return describeServer(c, a.Server)
	case scenario.AtomElected:
		var parts []string
		for _, e := range c.Elections() {
			parts = append(parts, e.Leader.String()+" in term "+strconv.Itoa(e.Term))
		}
		if len(parts) == 0 {
			return "no leader elected yet"
		}
		return "elected: " + strings.Join(parts, ", ")
	case scenario.AtomVoted, scenario.AtomDenied:
		var parts []string
		for _, b := range c.Ballots() {
			if b.Voter == a.Server && b.Candidate == a.Peer {
				verb := " denied "
				if b.Granted {
					verb = " voted for "
				}
				parts = append(parts, b.Voter.String()+verb+b.Candidate.String()+" in term "+strconv.Itoa(b.Term)+" ("+b.Reason.String()+")")
			}
		}
		if len(parts) == 0 {
			return a.Server.String() + " never decided on a vote request from " + a.Peer.String()
		}
		return strings.Join(parts, ", ")
	case scenario.AtomHeld:
		var parts []string
		for _, h := range c.Holds() {
			if h.Leader == a.Server {
				parts = append(parts, "entries "+strconv.Itoa(h.From)+".."+strconv.Itoa(h.To)+" in term "+strconv.Itoa(h.Term))
			}
		}
		if len(parts) == 0 {
			return a.Server.String() + " never held back an entry"
		}
		return a.Server.String() + " held back " + strings.Join(parts, ", ")
	case scenario.AtomRejected:
		var parts []string
		for _, r := range c.Rejections() {
			if r.Server == a.Server && r.Leader == a.Peer {
				parts = append(parts, r.Server.String()+" rejected "+r.Leader.String()+" in term "+strconv.Itoa(r.Term)+" ("+r.Reason.String()+")")
			}
		}
		if len(parts) == 0 {
			return a.Server.String() + " never rejected an AppendEntries from " + a.Peer.String()
		}
		return strings.Join(parts, ", ")
	case scenario.AtomRemoved:
		var parts []string
		for _, r := range c.Removals() {
			if r.Server == a.Server {
				parts = append(parts, logEntry(r.Entry).String())
			}
		}
		if len(parts) == 0 {
			return a.Server.String() + " removed no entry"
		}
		return a.Server.String() + " removed " + strings.Join(parts, " ")
	}
	return "?"
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func describeServer(c *sim.Cluster, id raft.ID) string {
	if !c.Up(id) {
		return id.String() + " crashed (term " + strconv.Itoa(c.Term(id)) + ")"
	}
	return id.String() + " " + c.Role(id).String() + " in term " + strconv.Itoa(c.Term(id))
}

func rolesSeen(c *sim.Cluster) string {
	var parts []string
	for id := raft.ID(1); int(id) <= c.Servers(); id++ {
		if c.Up(id) {
			parts = append(parts, id.String()+" "+c.Role(id).String()+" t"+strconv.Itoa(c.Term(id)))
		} else {
			parts = append(parts, id.String()+" crashed")
		}
	}
	return strings.Join(parts, ", ")
}

// logSeen writes a server's log as the log condition that holds now
// spells it (log S1 1:x 1:y 2:-), its first entries only when it is long.
func logSeen(id raft.ID, log []raft.Entry) string {
	const show = 12
	a := scenario.Atom{Kind: scenario.AtomLog, Server: id}
	for _, e := range log[:min(len(log), show)] {
		a.Entries = append(a.Entries, logEntry(e))
	}
	s := a.String()
	if len(log) > show {
		s += " … (" + strconv.Itoa(len(log)) + " entries)"
	}
	return s
}

// logEntry is entry e as a log condition names it.
func logEntry(e raft.Entry) scenario.LogEntry {
	return scenario.LogEntry{Term: e.Term, Cmd: e.Cmd, Noop: e.Noop}
}
