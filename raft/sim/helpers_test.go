package sim_test

// Helpers shared by the simulator's tests. They look at the cluster only
// through its exported API, the way a lab's tester looks at a student's
// Raft: who claims to lead, what each server has stored and committed,
// and what each state machine has applied.

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// newCluster builds a cluster from DefaultConfig, changed by edit.
func newCluster(t testing.TB, edit func(*sim.Config)) *sim.Cluster {
	t.Helper()
	cfg := sim.DefaultConfig()
	if edit != nil {
		edit(&cfg)
	}
	c, err := sim.New(cfg)
	if err != nil {
		t.Fatalf("sim.New: %v", err)
	}
	return c
}

// ids lists S1..Sn.
func ids(n int) []raft.ID {
	out := make([]raft.ID, n)
	for i := range out {
		out[i] = raft.ID(i + 1)
	}
	return out
}

// all lists every server of c.
func all(c *sim.Cluster) []raft.ID { return ids(c.Servers()) }

// do carries out an action that must be accepted.
func do(t testing.TB, c *sim.Cluster, a sim.Action) {
	t.Helper()
	if err := c.Do(a); err != nil {
		t.Fatalf("t=%d: %v: %v", c.Now(), a, err)
	}
}

// run lets ms of virtual time pass.
func run(t testing.TB, c *sim.Cluster, ms int) {
	t.Helper()
	if err := c.RunFor(ms); err != nil {
		t.Fatalf("RunFor(%d): %v", ms, err)
	}
}

func timeout(t testing.TB, c *sim.Cluster, id raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActTimeout, Server: id})
}

func crash(t testing.TB, c *sim.Cluster, id raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActCrash, Server: id})
}

func restart(t testing.TB, c *sim.Cluster, id raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActRestart, Server: id})
}

func isolate(t testing.TB, c *sim.Cluster, id raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActIsolate, Server: id})
}

func heal(t testing.TB, c *sim.Cluster) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActHeal})
}

func partition(t testing.TB, c *sim.Cluster, groups ...[]raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActPartition, Groups: groups})
}

func linkDown(t testing.TB, c *sim.Cluster, from, to raft.ID) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActLinkDown, From: from, To: to})
}

func setTimer(t testing.TB, c *sim.Cluster, id raft.ID, ms int) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActTimer, Server: id, Delay: ms})
}

// proposeTo hands cmd to server id, leader or not.
func proposeTo(t testing.TB, c *sim.Cluster, id raft.ID, cmd string) {
	t.Helper()
	do(t, c, sim.Action{Kind: sim.ActPropose, Server: id, Cmd: cmd})
}

// leaders returns, among the servers in among that are up, those that
// believe they lead, grouped by term, and the highest such term.
func leaders(c *sim.Cluster, among []raft.ID) (map[int][]raft.ID, int) {
	byTerm := map[int][]raft.ID{}
	top := 0
	for _, id := range among {
		if c.Up(id) && c.Role(id) == raft.Leader {
			term := c.Term(id)
			byTerm[term] = append(byTerm[term], id)
			top = max(top, term)
		}
	}
	return byTerm, top
}

// checkOneLeaderAmong waits up to within ms for the servers in among to
// have a leader, in the style of 6.824's checkOneLeader: it fails if two
// of them lead the same term, and returns the leader of the highest term.
func checkOneLeaderAmong(t testing.TB, c *sim.Cluster, among []raft.ID, within int) raft.ID {
	t.Helper()
	deadline := c.Now() + within
	for {
		byTerm, top := leaders(c, among)
		for term, ls := range byTerm {
			if len(ls) > 1 {
				t.Fatalf("t=%d: term %d has %d leaders: %v", c.Now(), term, len(ls), ls)
			}
		}
		if top > 0 {
			return byTerm[top][0]
		}
		if c.Now() >= deadline {
			t.Fatalf("t=%d: no leader among %v within %dms", c.Now(), among, within)
		}
		run(t, c, min(50, deadline-c.Now()))
	}
}

// checkOneLeader waits up to 5 virtual seconds for a leader among every
// server of the cluster.
func checkOneLeader(t testing.TB, c *sim.Cluster) raft.ID {
	t.Helper()
	return checkOneLeaderAmong(t, c, all(c), 5000)
}

// checkNoLeader fails if any up server in among believes it leads.
func checkNoLeader(t testing.TB, c *sim.Cluster, among []raft.ID) {
	t.Helper()
	for _, id := range among {
		if c.Up(id) && c.Role(id) == raft.Leader {
			t.Fatalf("t=%d: %v leads term %d, but it should not", c.Now(), id, c.Term(id))
		}
	}
}

// checkTerms checks that the up servers in among agree on the term, and
// returns it.
func checkTerms(t testing.TB, c *sim.Cluster, among []raft.ID) int {
	t.Helper()
	term := -1
	for _, id := range among {
		if !c.Up(id) {
			continue
		}
		if term == -1 {
			term = c.Term(id)
		} else if c.Term(id) != term {
			t.Fatalf("t=%d: servers disagree on the term: %v has %d, another %d", c.Now(), id, c.Term(id), term)
		}
	}
	return term
}

// nCommitted returns how many up servers have committed index, and the
// command there. It fails if two of them committed different entries.
func nCommitted(t testing.TB, c *sim.Cluster, index int) (int, raft.Entry) {
	t.Helper()
	n := 0
	var got raft.Entry
	var by raft.ID
	for _, id := range all(c) {
		if c.Commit(id) < index {
			continue
		}
		log := c.Log(id)
		if len(log) < index {
			t.Fatalf("t=%d: %v has committed %d but its log has only %d entries", c.Now(), id, c.Commit(id), len(log))
		}
		e := log[index-1]
		if n > 0 && (e.Term != got.Term || e.Cmd != got.Cmd || e.Noop != got.Noop) {
			t.Fatalf("t=%d: committed entries at index %d differ: %v has %v, %v has %v", c.Now(), index, by, got, id, e)
		}
		n++
		got, by = e, id
	}
	return n, got
}

// waitCommitted waits up to within ms for index to be committed on at
// least n servers and returns the entry there.
func waitCommitted(t testing.TB, c *sim.Cluster, index, n, within int) raft.Entry {
	t.Helper()
	deadline := c.Now() + within
	for {
		got, e := nCommitted(t, c, index)
		if got >= n {
			return e
		}
		if c.Now() >= deadline {
			t.Fatalf("t=%d: index %d committed on %d servers, want %d within %dms", c.Now(), index, got, n, within)
		}
		run(t, c, min(10, deadline-c.Now()))
	}
}

// one is 6.824's cfg.one: it proposes cmd to whoever leads, and waits
// for it to be committed on at least n servers, retrying (with a new
// leader, if need be) for up to 10 virtual seconds. It returns the index.
func one(t testing.TB, c *sim.Cluster, cmd string, n int) int {
	t.Helper()
	deadline := c.Now() + 10000
	for c.Now() < deadline {
		l := c.Leader()
		if l == raft.None {
			run(t, c, 20)
			continue
		}
		do(t, c, sim.Action{Kind: sim.ActPropose, Cmd: cmd})
		index := len(c.Log(l))
		if index == 0 || c.Log(l)[index-1].Cmd != cmd {
			t.Fatalf("t=%d: leader %v did not append %q", c.Now(), l, cmd)
		}
		for end := c.Now() + 2000; c.Now() < end; {
			got, e := nCommitted(t, c, index)
			if got >= n && !e.Noop && e.Cmd == cmd {
				return index
			}
			run(t, c, 10)
		}
	}
	t.Fatalf("t=%d: one(%q) failed to reach agreement on %d servers", c.Now(), cmd, n)
	return 0
}

// cmds returns the commands of entries, skipping no-ops.
func cmds(es []raft.Entry) []string {
	var out []string
	for _, e := range es {
		if !e.Noop {
			out = append(out, e.Cmd)
		}
	}
	return out
}

// events returns the node events of the trace from record from on that
// satisfy keep.
func events(c *sim.Cluster, from int, keep func(raft.Event) bool) []raft.Event {
	var out []raft.Event
	for _, r := range c.Trace(from) {
		if r.Kind == sim.RecEvent && keep(r.Event) {
			out = append(out, r.Event)
		}
	}
	return out
}

// losses returns the messages lost from record from on for reason why.
func losses(c *sim.Cluster, from int, why sim.Loss) []raft.Message {
	var out []raft.Message
	for _, r := range c.Trace(from) {
		if r.Kind == sim.RecLost && r.Loss == why {
			out = append(out, *r.Msg)
		}
	}
	return out
}

// traceStrings renders the trace from record from on.
func traceStrings(c *sim.Cluster, from int) []string {
	var out []string
	for _, r := range c.Trace(from) {
		out = append(out, r.String())
	}
	return out
}

// checkSafe fails with the violations found, if any.
func checkSafe(t testing.TB, c *sim.Cluster) {
	t.Helper()
	if !c.Safe() {
		var b strings.Builder
		for i, v := range c.Violations() {
			if i == 5 {
				b.WriteString("\n\t...")
				break
			}
			b.WriteString("\n\t" + v.String())
		}
		t.Fatalf("invariants violated:%s", b.String())
	}
}

// upServers lists the servers that are up.
func upServers(c *sim.Cluster) []raft.ID {
	var out []raft.ID
	for _, id := range all(c) {
		if c.Up(id) {
			out = append(out, id)
		}
	}
	return out
}

// downServers lists the servers that are crashed.
func downServers(c *sim.Cluster) []raft.ID {
	var out []raft.ID
	for _, id := range all(c) {
		if !c.Up(id) {
			out = append(out, id)
		}
	}
	return out
}

// testRand is the tests' own deterministic randomness, separate from the
// simulator's.
func testRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x7465737473)) }

func cmdN(prefix string, i int) string { return prefix + strconv.Itoa(i) }
