package sim_test

import (
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// TestInitialElection: with no faults, a leader is elected, every server
// agrees on its term and knows it, and the term stays put for seconds.
func TestInitialElection(t *testing.T) {
	for _, servers := range []int{1, 3, 5, 7} {
		for seed := uint64(1); seed <= 4; seed++ {
			c := newCluster(t, func(cfg *sim.Config) { cfg.Servers, cfg.Seed = servers, seed })
			if c.Leader() != raft.None {
				t.Fatalf("%d servers, seed %d: a leader at time 0", servers, seed)
			}
			l := checkOneLeaderAmong(t, c, all(c), 2000)
			run(t, c, 100) // let the heartbeats reach everyone
			term := checkTerms(t, c, all(c))
			if term < 1 {
				t.Fatalf("%d servers, seed %d: term %d after an election", servers, seed, term)
			}
			for _, id := range all(c) {
				if st := c.ServerState(id, 1, 0); st.Leader != l {
					t.Fatalf("%d servers, seed %d: %v thinks the leader is %v, not %v", servers, seed, id, st.Leader, l)
				}
			}

			// No faults: the term must not change.
			for range 5 {
				run(t, c, 1000)
				if got := checkOneLeader(t, c); got != l {
					t.Fatalf("%d servers, seed %d: leader changed from %v to %v with no faults", servers, seed, l, got)
				}
				if got := checkTerms(t, c, all(c)); got != term {
					t.Fatalf("%d servers, seed %d: term changed from %d to %d with no faults", servers, seed, term, got)
				}
			}
			if c.Leader() != l {
				t.Fatalf("Leader() = %v, want %v", c.Leader(), l)
			}
			if n := len(events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader })); n != 1 {
				t.Fatalf("%d servers, seed %d: %d elections won, want 1", servers, seed, n)
			}
			checkSafe(t, c)
		}
	}
}

// TestReElection: a leader cut off is replaced; when it comes back it
// steps down; with a majority missing no one can be elected.
func TestReElection(t *testing.T) {
	c := newCluster(t, nil)
	l1 := checkOneLeader(t, c)

	// The leader is cut off: the others elect a new one.
	isolate(t, c, l1)
	others := without(all(c), l1)
	l2 := checkOneLeaderAmong(t, c, others, 3000)
	if l2 == l1 {
		t.Fatalf("the isolated leader %v leads the others", l1)
	}
	if c.Term(l2) <= c.Term(l1) {
		t.Fatalf("new leader's term %d is not above the old one's %d", c.Term(l2), c.Term(l1))
	}
	// The old leader, alone, still believes it leads its old term: it has
	// not heard otherwise.
	if c.Role(l1) != raft.Leader {
		t.Fatalf("isolated %v is %v; with check-quorum off it should still think it leads", l1, c.Role(l1))
	}
	if c.Leader() != l2 {
		t.Fatalf("Leader() = %v, want the leader of the highest term %v", c.Leader(), l2)
	}

	// The old leader rejoins: it learns of the new term and steps down.
	heal(t, c)
	run(t, c, 500)
	if c.Role(l1) == raft.Leader {
		t.Fatalf("old leader %v still leads after rejoining", l1)
	}
	if l := checkOneLeader(t, c); l != l2 {
		t.Fatalf("leader %v after the old one rejoined, want %v to keep leading", l, l2)
	}
	checkTerms(t, c, all(c))
	if n := len(events(c, 0, func(e raft.Event) bool {
		return e.Kind == raft.EvBecameFollower && e.Node == l1 && e.Reason == raft.ReasonHigherTerm
	})); n == 0 {
		t.Fatalf("no trace of %v stepping down on seeing a higher term", l1)
	}

	// Three of five cut off, the leader among them: no leader anywhere.
	l3 := c.Leader()
	cut := []raft.ID{l3, next(c, l3, 1), next(c, l3, 2)}
	for _, id := range cut {
		isolate(t, c, id)
	}
	rest := without(all(c), cut...)
	mark := c.TraceLen()
	for range 40 { // 4 seconds
		run(t, c, 100)
		checkNoLeader(t, c, rest)
	}
	if won := events(c, mark, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader }); len(won) > 0 {
		t.Fatalf("someone won an election without a majority: %v", won[0])
	}
	if c.Role(l3) != raft.Leader {
		t.Fatalf("isolated %v should still believe it leads", l3)
	}
	if got := c.Leader(); got != raft.None {
		t.Fatalf("Leader() = %v while candidates of higher terms are up", got)
	}

	// A majority back: a leader again (perhaps after the candidates'
	// higher terms have deposed the old one).
	heal(t, c)
	run(t, c, 2000)
	l4 := checkOneLeader(t, c)
	run(t, c, 1000)
	if got := checkOneLeader(t, c); got != l4 {
		t.Fatalf("leader moved from %v to %v after the heal", l4, got)
	}
	checkTerms(t, c, all(c))
	checkSafe(t, c)
}

// TestElectionWithPreVoteAndCheckQuorum: with the optional rules on, an
// isolated leader steps down by itself, and an isolated follower does not
// push the cluster's term up.
func TestElectionWithPreVoteAndCheckQuorum(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) {
		cfg.Rules = raft.DefaultRules.With(raft.PreVote, true).With(raft.CheckQuorum, true)
	})
	l := checkOneLeader(t, c)
	term := c.Term(l)

	// An isolated follower keeps failing pre-votes: its term stays put.
	f := next(c, l, 1)
	isolate(t, c, f)
	run(t, c, 3000)
	if c.Term(f) != term {
		t.Fatalf("isolated %v moved its term from %d to %d despite prevote", f, term, c.Term(f))
	}
	if c.Leader() != l || c.Term(l) != term {
		t.Fatalf("leader %v of term %d disturbed by an isolated follower", c.Leader(), c.Term(c.Leader()))
	}
	heal(t, c)
	run(t, c, 1000)
	if c.Leader() != l || c.Term(l) != term {
		t.Fatalf("the follower's return disturbed the leader (now %v, term %d)", c.Leader(), c.Term(c.Leader()))
	}

	// An isolated leader gives up within a couple of election timeouts.
	isolate(t, c, l)
	run(t, c, 1000)
	if c.Role(l) == raft.Leader {
		t.Fatalf("isolated %v still leads with check-quorum on", l)
	}
	if ev := events(c, 0, func(e raft.Event) bool {
		return e.Kind == raft.EvBecameFollower && e.Node == l && e.Reason == raft.ReasonQuorumLost
	}); len(ev) != 1 {
		t.Fatalf("%d quorum-lost step-downs of %v, want 1", len(ev), l)
	}
	checkOneLeaderAmong(t, c, without(all(c), l), 2000)
	checkSafe(t, c)
}

// TestElectionNeedsMajorityVotes: a forced timeout makes the server a
// candidate at once; with its requests lost it cannot win.
func TestElectionNeedsMajorityVotes(t *testing.T) {
	c := newCluster(t, func(cfg *sim.Config) { cfg.ElectionMin, cfg.ElectionMax = 1000, 1000 })
	isolate(t, c, 3)
	timeout(t, c, 3)
	if c.Role(3) != raft.Candidate || c.Term(3) != 1 {
		t.Fatalf("after timeout S3: role %v term %d, want candidate of term 1", c.Role(3), c.Term(3))
	}
	if st := c.ServerState(3, 1, 0); st.Vote != 3 || len(st.Votes) != 1 || st.Votes[0] != 3 {
		t.Fatalf("candidate S3 should have voted for itself: vote %v votes %v", st.Vote, st.Votes)
	}
	run(t, c, 500)
	if c.Role(3) != raft.Candidate {
		t.Fatalf("isolated candidate S3 is %v", c.Role(3))
	}
	heal(t, c)
	timeout(t, c, 3)
	run(t, c, 100)
	if c.Leader() != 3 || c.Term(3) != 2 {
		t.Fatalf("after a second timeout with the network healed: leader %v term %d, want S3 term 2", c.Leader(), c.Term(3))
	}
	won := events(c, 0, func(e raft.Event) bool { return e.Kind == raft.EvBecameLeader })
	if len(won) != 1 || won[0].Votes < 3 {
		t.Fatalf("elections won: %v", won)
	}
}

// without returns ids minus drop.
func without(ids []raft.ID, drop ...raft.ID) []raft.ID {
	var out []raft.ID
outer:
	for _, id := range ids {
		for _, d := range drop {
			if id == d {
				continue outer
			}
		}
		out = append(out, id)
	}
	return out
}

// next returns the server k places after id, wrapping around.
func next(c *sim.Cluster, id raft.ID, k int) raft.ID {
	return raft.ID((int(id)-1+k)%c.Servers() + 1)
}
