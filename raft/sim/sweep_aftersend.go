package sim

import (
	"math/rand/v2"

	"raftplay/raft"
)

// This file holds the sweep's faults that came after the others: crashes
// after sending (which lose a step's writes when persist-before-send is
// off), a batch size per run, and a leader re-elected at once while a
// follower's log diverges (which commit-matched needs to matter). Their
// choices come from a random stream of their own, so that every draw of
// the older faults is what it was.

// saltAfter seeds the stream of these choices ("after").
const saltAfter = 0x6166746572

// afterFaults is the state of these faults in one run.
type afterFaults struct {
	rng *rand.Rand
	// reviveAt: restart the server then, or as soon as after that as its
	// armed crash has struck (0: nothing planned).
	reviveAt [raft.MaxServers + 1]int
	// The last leader seen, and its term.
	leaderID   raft.ID
	leaderTerm int
}

// afterStream starts the run's stream of these choices; its first draw is
// the batch size.
func (sc SweepConfig) afterStream() *rand.Rand {
	return rand.New(rand.NewPCG(sc.Seed, saltAfter))
}

// Batch is the run's batch size (0: the engine's default): 1 to 4 in
// three runs of four, so that a follower behind catches up over several
// AppendEntries.
func (sc SweepConfig) Batch() int {
	return batchOf(sc.afterStream())
}

func batchOf(r *rand.Rand) int {
	return [8]int{1, 1, 2, 2, 3, 4, 0, 0}[r.IntN(8)]
}

func newAfterFaults(sc SweepConfig) afterFaults {
	a := afterFaults{rng: sc.afterStream()}
	batchOf(a.rng) // drawn for ClusterConfig
	return a
}

// crashWhen decides when a crash of the older faults strikes: now, or at
// the server's next step before sending (beforeSend, the older draw), or
// after sending (drawn here).
func (f *faults) crashWhen(beforeSend bool) (before, after bool) {
	if f.after.rng.IntN(3) == 0 {
		return false, true
	}
	return beforeSend, false
}

// armedCrash is a crash of id at its next step: before sending, as the
// older faults had it, or after sending.
func (f *faults) armedCrash(id raft.ID) Action {
	before, after := f.crashWhen(true)
	return Action{Kind: ActCrash, Server: id, BeforeSend: before, AfterSend: after}
}

// revive restarts the servers whose planned restart has come, once their
// armed crash has struck.
func (f *faults) revive() {
	now := f.c.Now()
	for id := raft.ID(1); int(id) <= f.c.Servers(); id++ {
		if t := f.after.reviveAt[id]; t != 0 && now >= t && !f.c.Up(id) {
			f.after.reviveAt[id] = 0
			f.do(Action{Kind: ActRestart, Server: id})
		}
	}
}

// reactAfter injects these faults, timed by what the cluster is doing.
func (f *faults) reactAfter() {
	f.revive()
	f.voterAfterSend()
	f.reelect()
}

// reelect makes a newly elected leader, most of the time, start another
// term at once while a follower's log diverges from its own: an
// AppendEntries of its first term still in flight reaches the follower
// after it has moved on, which rejects it as stale in the new term,
// without a hint. The leader may take that for an answer to its current
// nextIndex and back up to the follower's match; with a small batch, its
// next AppendEntries matches the follower's log only up to an index below
// the follower's stale entries, and a follower that commits as far as its
// log goes (commit-matched off) commits them. A correct leader's
// backtracking otherwise always reaches the first stale entry first.
func (f *faults) reelect() {
	c := f.c
	l := c.Leader()
	if l == raft.None {
		return
	}
	if t := c.Term(l); t == f.after.leaderTerm && l == f.after.leaderID {
		return
	}
	f.after.leaderTerm, f.after.leaderID = c.Term(l), l
	if f.after.rng.IntN(4) == 0 {
		return
	}
	log := c.Log(l)
	for _, id := range f.servers(true) {
		if id != l && diverges(c.Log(id), log) {
			// The old term's AppendEntries go slow and the new term's
			// RequestVote fast, so that the follower has moved on when an
			// AppendEntries of the old term reaches it.
			net := c.Snapshot(1, 0).Network
			f.do(Action{Kind: ActLatency, Min: 15, Max: 25})
			f.do(Action{Kind: ActHeartbeat, Server: l})
			f.do(Action{Kind: ActLatency, Min: 5, Max: 10})
			f.do(Action{Kind: ActTimeout, Server: l})
			f.do(Action{Kind: ActLatency, Min: net.LatMin, Max: net.LatMax})
			return
		}
	}
}

// diverges reports whether a follower's log holds an entry of another term
// than the leader's at the same index.
func diverges(log, leader []raft.Entry) bool {
	for i := range min(len(log), len(leader)) {
		if log[i].Term != leader[i].Term {
			return true
		}
	}
	return false
}

// voterAfterSend arms, while a candidate campaigns, a crash after sending
// on a follower of an older term that its request has not reached yet,
// and brings it back soon: with persist-before-send off, the vote it sends
// is not on its disk when it comes back, and it may vote again in that
// term for another candidate.
func (f *faults) voterAfterSend() {
	if f.after.rng.IntN(4) != 0 {
		return
	}
	c := f.c
	var voters []raft.ID
	for _, cand := range f.role(raft.Candidate) {
		t := c.Term(cand)
		for _, id := range f.servers(true) {
			if id != cand && c.Term(id) < t && c.Role(id) == raft.Follower && f.after.reviveAt[id] == 0 {
				voters = append(voters, id)
			}
		}
	}
	if len(voters) == 0 {
		return
	}
	id := voters[f.after.rng.IntN(len(voters))]
	f.do(Action{Kind: ActCrash, Server: id, AfterSend: true})
	f.after.reviveAt[id] = c.Now() + 1 + f.after.rng.IntN(30)
}

// restartNow restarts id now, or, if its crash is armed and has not struck
// yet, as soon as it has.
func (f *faults) restartNow(id raft.ID) {
	if f.c.Up(id) {
		f.after.reviveAt[id] = f.c.Now()
		return
	}
	f.do(Action{Kind: ActRestart, Server: id})
}
