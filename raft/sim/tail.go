package sim

import (
	"errors"
	"strconv"

	"raftplay/raft"
)

// The quiet tail of a sweep run checks liveness. The faults stop: the
// network heals and turns reliable (latency 10-20ms), a crash still armed
// strikes, and every server is up. A client proposes to the leader every
// tailEvery ms. Then, each within a bound:
//
//   - a leader is elected (leaderBound);
//   - the cluster settles: every proposal made to the leader commits on
//     every server (settleBound, from the leader's election: a fixed part,
//     and a round trip for each of the Repair round trips a follower may
//     need to catch up with the log the leader had then);
//   - from then on, for tailWindow, each proposal commits on every server
//     within latencyBound;
//   - leadership changes hands at most maxChanges times after the first
//     leader elected since the faults stopped, and never once the
//     cluster has settled.
//
// The bounds were chosen from the correct engine. Over seeds 1..10,000 of
// the sweep (10 s of faults) for each size from 1 to 9 servers, with the
// rules' defaults and again with leader-noop, prevote and check-quorum on
// (the largest of the two; docs/performance.md, "The sweep's liveness
// bounds", has every figure):
//
//   - the first leader came at most 300 / 1701 / 805 / 1294 / 693 / 799 /
//     802 / 775 / 765 ms after the faults stopped (1 to 9 servers); the
//     bound adds an election timeout at its longest (300 ms), rounded up
//     to 50 ms;
//   - the cluster settled at most 220 ms beyond a round trip per Repair
//     (SettleSlack); settleBase adds 300 ms likewise, rounded up;
//   - once settled, a proposal committed on every server within 108 ms
//     (as it must: 20 ms to the followers, 20 ms back, then at most a
//     heartbeat interval, 50 ms, until an AppendEntries carries the new
//     commit index and 20 ms more for it to arrive, 110 ms); the bound
//     adds a heartbeat interval, rounded up to 10 ms;
//   - leadership changed hands at most 2 times after the first election
//     (a deposed candidate's or a straggler's timer firing just after an
//     election); the bound allows one more;
//   - it never changed once the cluster had settled: every follower then
//     hears from the leader at least every 70 ms, and its election timer
//     waits at least 150 ms.
const (
	// quietTail caps the tail: a safety net, for the bounds end it sooner
	// (a run that breaks one stops overrun after).
	quietTail = 600_000
	// tailWindow is how long the tail goes on proposing and watching the
	// leadership once the cluster has settled.
	tailWindow = 2000
	// tailEvery is the interval between the tail's proposals.
	tailEvery = 200
	// overrun: once a bound is broken, the tail runs on this much longer
	// to see by how much, then stops.
	overrun = 1000
	// maxChanges: leadership changes hands at most this often after the
	// first leader elected since the faults stopped.
	maxChanges = 3
	// settleBase and roundTrip: the cluster settles within settleBase +
	// roundTrip × Repair ms of its leader's election. roundTrip is the
	// quiet network's longest round trip.
	settleBase = 550
	roundTrip  = 2 * tailLatency
	// tailLatency is the quiet network's longest latency.
	tailLatency = 20
	// latencyBound: once the cluster has settled, a proposal commits on
	// every server within this many ms.
	latencyBound = 160
)

// leaderBound is how soon after the faults stop a cluster of n servers
// (1 to 9) elects a leader.
func leaderBound(n int) int {
	bounds := [...]int{1: 600, 2: 2050, 3: 1150, 4: 1600, 5: 1000, 6: 1100, 7: 1150, 8: 1100, 9: 1100}
	return bounds[min(max(n, 1), len(bounds)-1)]
}

// settleBound is how soon after its election a leader's proposals commit
// on every server, when a follower may need repair round trips to catch
// up with its log.
func settleBound(repair int) int { return settleBase + roundTrip*repair }

// TailBounds returns the quiet tail's bounds for a cluster of n servers,
// as a Tail: Leader, SettleSlack (Settle for a Repair of 0), Latency,
// Changes and Unsettled are the largest values that pass the liveness
// check.
func TailBounds(n int) Tail {
	return Tail{Leader: leaderBound(n), Settle: settleBound(0), Latency: latencyBound, Changes: maxChanges}
}

// Tail is what a sweep run's quiet tail measured. Times are in ms.
type Tail struct {
	// Leader is the time from the faults' end to the first leader; -1 if
	// there was none within the tail.
	Leader int
	// Terms is how many terms that took: the first leader's term minus
	// the highest term when the faults stopped (0: the leader was there
	// already).
	Terms int
	// Eligible counts the servers that could win an election when the
	// faults stopped: those whose log is at least as up-to-date (§5.4.1)
	// as the logs of a majority, themselves included.
	Eligible int
	// Settle is the time from the election of the leader under which the
	// cluster settled to the moment it did; -1 if it did not within the
	// tail. Repair is how many round trips a follower may need to catch
	// up with the log that leader had when it was elected, at most: one
	// for each entry it backs up over (a rejection backs nextIndex up by
	// one entry at least), then one for each AppendEntries of the run's
	// batch size that carry the log.
	Settle, Repair int
	// Changes counts the leaders elected after the first one elected since
	// the faults stopped (a leader from before, deposed, does not count);
	// Unsettled those elected after the cluster settled.
	Changes, Unsettled int
	// Proposals counts the tail's proposals; Committed those that
	// committed on every server; Deposed those whose leader lost its
	// leadership before they did.
	Proposals, Committed, Deposed int
	// Latency is the slowest commitment on every server of a proposal
	// made once the cluster had settled.
	Latency int
}

// SettleSlack is the time the cluster took to settle beyond a round trip
// for each of Repair; the liveness check bounds it.
func (t Tail) SettleSlack() int { return t.Settle - roundTrip*t.Repair }

// tailProposal is a proposal of the tail that has yet to commit on every
// server.
type tailProposal struct {
	cmd     string
	index   int
	at      int // when it was made, since the faults stopped
	leader  raft.ID
	term    int
	settled bool // made once the cluster had settled
}

// broken is a bound the tail saw broken, and when.
type broken struct {
	at  int // since the faults stopped
	err error
}

// quiet ends the faults and checks liveness (see the bounds above). It
// returns what it measured, and the bound broken first, if any.
func (f *faults) quiet() (Tail, error) {
	c := f.c
	f.do(Action{Kind: ActHeal})
	f.do(Action{Kind: ActDrop, Rate: 0})
	f.do(Action{Kind: ActDuplicate, Rate: 0})
	f.do(Action{Kind: ActLatency, Min: 10, Max: tailLatency})
	// heal leaves the flaky links' loss (only the partial style makes
	// any): each is mended, both ways.
	for a := raft.ID(1); int(a) <= c.Servers(); a++ {
		for b := a + 1; int(b) <= c.Servers(); b++ {
			if c.links.loss[a][b] > 0 || c.links.loss[b][a] > 0 {
				f.do(Action{Kind: ActLinkDrop, From: a, To: b, Both: true})
			}
		}
	}
	// A crash armed for a server's next step is a fault: it strikes now,
	// as the faults end, and every server is back up.
	for _, id := range f.servers(true) {
		if c.ServerState(id, 1, 0).CrashArmed {
			f.do(Action{Kind: ActCrash, Server: id})
		}
	}
	for _, id := range f.servers(false) {
		f.do(Action{Kind: ActRestart, Server: id})
	}
	t0 := c.Now()
	top := 0
	for id := raft.ID(1); int(id) <= c.Servers(); id++ {
		top = max(top, c.Term(id))
	}

	tail := Tail{Leader: -1, Settle: -1, Eligible: f.eligible()}
	var first broken
	breaks := func(at int, msg string) {
		if first.err == nil || at < first.at {
			first = broken{at, errors.New(msg)}
		}
	}
	var (
		leader     raft.ID // the leader last seen, and its term
		leaderTerm int
		electedAt  int // when it was elected (0 if before the faults stopped)
		repair     int // and the Repair of its log then
		elected    int // leaders elected since the faults stopped
		settleAt   = -1
		pending    []tailProposal
		caughtUp   bool // a proposal to the current leader committed on every server
		next       int  // when the next proposal is due
		seq        int  // proposals made
		deadline   = t0 + quietTail
	)
	for step := 0; ; step++ {
		now := c.Now() - t0
		if l := c.Leader(); l != raft.None && (l != leader || c.Term(l) != leaderTerm) {
			leader, leaderTerm, electedAt, repair, caughtUp = l, c.Term(l), now, f.repair(l), false
			if tail.Leader < 0 {
				tail.Leader, tail.Terms, next = now, leaderTerm-top, now
				if b := leaderBound(c.Servers()); now > b {
					breaks(b, "no leader elected within "+ms(b)+" after the faults stopped: the first came after "+ms(now)+", "+ms(now-b)+" late")
				}
			}
			if step > 0 { // not a leader from before the faults stopped
				elected++
			}
			if elected > 1 {
				tail.Changes++
				if tail.Changes == maxChanges+1 {
					breaks(now, "the leader changed "+strconv.Itoa(tail.Changes)+" times after the first election since the faults stopped, once more than the "+strconv.Itoa(maxChanges)+" allowed")
				}
			}
			if settleAt >= 0 {
				tail.Unsettled++
				breaks(now, l.String()+" was elected "+ms(now)+" after the faults stopped, "+ms(now-settleAt)+" after the cluster had settled (every proposal committed on every server): once settled, the leader must not change")
			}
		}
		// Settle the pending proposals: committed on every server, or
		// deposed with their leader.
		kept := pending[:0]
		for _, p := range pending {
			switch {
			case f.committedEverywhere(p.index, p.cmd):
				tail.Committed++
				caughtUp = caughtUp || p.leader == leader && p.term == leaderTerm
				if took := now - p.at; p.settled {
					tail.Latency = max(tail.Latency, took)
					if took > latencyBound {
						breaks(p.at+latencyBound, "a proposal to "+p.leader.String()+" "+ms(p.at)+" after the faults stopped took "+ms(took)+" to commit on every server, more than "+ms(latencyBound)+": "+ms(took-latencyBound)+" late")
					}
				}
			case p.leader != leader || p.term != leaderTerm || c.Leader() != leader:
				tail.Deposed++
			default:
				kept = append(kept, p)
			}
		}
		pending = kept
		if settleAt < 0 && caughtUp && len(pending) == 0 {
			settleAt, tail.Settle, tail.Repair = now, now-electedAt, repair
			if b := settleBound(repair); tail.Settle > b {
				breaks(electedAt+b, settleMessage(leader, electedAt, repair)+": they did after "+ms(tail.Settle)+", "+ms(tail.Settle-b)+" late")
			}
		}
		if settleAt >= 0 && now >= settleAt+tailWindow && len(pending) == 0 || c.Now() >= deadline {
			break
		}
		// Once a bound is broken (or cannot but be), run on a little to
		// see by how much, then stop: a cluster that cannot settle may
		// be sending ever more messages.
		overdue := first.err != nil && now >= first.at+overrun ||
			tail.Leader < 0 && now >= leaderBound(c.Servers())+overrun ||
			tail.Leader >= 0 && settleAt < 0 && now >= electedAt+settleBound(repair)+overrun
		for _, p := range pending {
			overdue = overdue || p.settled && now >= p.at+latencyBound+overrun
		}
		if overdue {
			break
		}
		// Propose to the leader every tailEvery ms, until the window after
		// settling ends.
		if l := c.Leader(); l != raft.None && now >= next && (settleAt < 0 || now < settleAt+tailWindow) {
			seq++
			cmd := "q" + strconv.Itoa(seq)
			if c.Do(Action{Kind: ActPropose, Cmd: cmd}) == nil {
				tail.Proposals++
				pending = append(pending, tailProposal{cmd: cmd, index: len(c.Log(l)), at: now, leader: l, term: c.Term(l), settled: settleAt >= 0})
			}
			next = now + tailEvery
		}
		limit := deadline
		if tail.Leader >= 0 && t0+next > c.Now() {
			limit = min(limit, t0+next)
		}
		// On to the next moment, all its events at once: the tail acts
		// between moments, as the faults do, so that its schedule
		// replays (Replay acts after a moment's events).
		if at, ok := c.NextEventTime(); ok && at < limit {
			limit = max(at, c.Now())
		}
		_ = c.RunUntil(limit)
	}
	now := c.Now() - t0
	switch {
	case tail.Leader < 0:
		b := leaderBound(c.Servers())
		breaks(b, "no leader elected within "+ms(b)+" after the faults stopped: none even after "+ms(now))
	case settleAt < 0:
		breaks(electedAt+settleBound(repair), settleMessage(leader, electedAt, repair)+": not even after "+ms(now-electedAt))
	}
	for _, p := range pending {
		if p.settled && now-p.at > latencyBound {
			breaks(p.at+latencyBound, "a proposal to "+p.leader.String()+" "+ms(p.at)+" after the faults stopped did not commit on every server within "+ms(latencyBound)+": not even after "+ms(now-p.at))
		}
	}
	return tail, first.err
}

// settleMessage says that leader's proposals did not all commit on every
// server within the bound.
func settleMessage(leader raft.ID, electedAt, repair int) string {
	return "the proposals to " + leader.String() + " did not all commit on every server within " + ms(settleBound(repair)) +
		" of its election, " + ms(electedAt) + " after the faults stopped (" + ms(settleBase) + ", and a " + ms(roundTrip) +
		" round trip for each of the " + strconv.Itoa(repair) + " a follower may need to catch up with its log)"
}

// repair is how many round trips a follower may need to catch up with
// leader l's log (see Tail.Repair).
func (f *faults) repair(l raft.ID) int {
	batch := f.c.Config().MaxEntries
	if batch <= 0 {
		batch = raft.DefaultMaxEntries
	}
	n := len(f.c.Log(l))
	return n + (n+batch-1)/batch
}

// eligible counts the servers whose log is at least as up-to-date
// (§5.4.1) as the logs of a majority, themselves included.
func (f *faults) eligible() int {
	n := f.c.Servers()
	var last [raft.MaxServers + 1]ServerState
	for id := raft.ID(1); int(id) <= n; id++ {
		last[id] = f.c.ServerState(id, 1, 0)
	}
	count := 0
	for i := 1; i <= n; i++ {
		behind := 0
		for j := 1; j <= n; j++ {
			a, b := &last[i], &last[j]
			if a.LastTerm > b.LastTerm || (a.LastTerm == b.LastTerm && a.LastIndex >= b.LastIndex) {
				behind++
			}
		}
		if behind > n/2 {
			count++
		}
	}
	return count
}

func ms(n int) string { return strconv.Itoa(n) + "ms" }

// String sums up the tail, e.g. "quiet tail: leader after 173ms (1 term),
// settled 40ms later, 0 leader changes, 10 of 10 proposals committed
// everywhere, the slowest once settled in 70ms".
func (t Tail) String() string {
	if t.Leader < 0 {
		return "quiet tail: no leader"
	}
	s := "quiet tail: leader after " + ms(t.Leader) + " (" + plural(t.Terms, "term") + "), "
	if t.Settle < 0 {
		s += "never settled, "
	} else {
		s += "settled " + ms(t.Settle) + " after its leader's election (" + strconv.Itoa(t.Repair) + " round trips to catch up at most), "
	}
	s += plural(t.Changes, "leader change") + ", " + strconv.Itoa(t.Committed) + " of " + strconv.Itoa(t.Proposals) + " proposals committed everywhere"
	if t.Settle >= 0 {
		s += ", the slowest once settled in " + ms(t.Latency)
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
