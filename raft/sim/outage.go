package sim

import "raftplay/raft"

// This file replays the kind of network failure behind the etcd outage of
// November 2020 (Cloudflare's post-mortem, "A Byzantine failure in the
// real world"): a partially failed switch left some servers able to reach
// some of the others and not the rest, and the cluster could not keep a
// stable leader. A server that hears from no leader times out, raises its
// term and, through a server that reaches both it and the leader, deposes
// a leader that a majority still hears; its next timeout deposes the next
// one. Pre-vote (Ongaro's dissertation §9.6) keeps such a server from
// raising its term while a majority hears from a leader, and check-quorum
// (§6.2) makes a leader that cannot hear from a majority step down, so
// that the others then grant votes. The replay measures how often the
// leadership changes and how many client requests commit, with and
// without the two rules, against the same workload on a healthy network.

// OutageTopology is a partial network failure: the links cut, each both
// ways, from the start; every other link works.
type OutageTopology struct {
	Name    string
	Servers int
	Cuts    [][2]raft.ID
}

// The topologies of the replay. OutageFive is the example Howard and
// Abraham give in their analysis of the outage ("Raft does not guarantee
// liveness in the face of network faults", Decentralized Thoughts, 2020):
// whichever of S1, S2, S3 leads, S4 or S5 (or both) cannot hear it, and
// neither can win an election itself. OutageThree is the smallest partial
// partition: S1 and S3 cannot reach each other and S2 reaches both; under
// a steady workload the cluster settles there even without the rules, as
// soon as S2 wins an election (S1 and S3 both hear it, and a server whose
// log is behind cannot win), so the replay uses five servers.
var (
	OutageFive = OutageTopology{Name: "five", Servers: 5, Cuts: [][2]raft.ID{{4, 1}, {4, 3}, {4, 5}, {5, 1}, {5, 2}}}

	OutageThree = OutageTopology{Name: "three", Servers: 3, Cuts: [][2]raft.ID{{1, 3}}}
)

// Healthy is the topology's cluster with no link cut.
func (t OutageTopology) Healthy() OutageTopology {
	return OutageTopology{Name: t.Name + "-healthy", Servers: t.Servers}
}

// Actions are the topology's cuts, as the actions that make them.
func (t OutageTopology) Actions() []Action {
	var as []Action
	for _, l := range t.Cuts {
		as = append(as, Action{Kind: ActLinkDown, From: l[0], To: l[1], Both: true})
	}
	return as
}

// Outage is one replay: a topology, the rules, a seed, and a client that
// sends a request every Every ms for Duration ms of virtual time, with the
// simulator's default timings (election timeout 150-300 ms, heartbeat
// 50 ms, latency 10-20 ms).
type Outage struct {
	Topology OutageTopology
	Rules    raft.Rules
	Seed     uint64
	Duration int // virtual ms (0: OutageDuration)
	Every    int // ms between requests (0: OutageEvery)
}

// The replay's defaults: a minute of virtual time, a request every 100 ms.
const (
	OutageDuration = 60_000
	OutageEvery    = 100
)

// OutageResult is what one replay measured.
type OutageResult struct {
	Elections int // leaders elected, the first included
	Requests  int // client requests sent
	Commits   int // requests committed and answered (by the leader that took them)
	Term      int // the highest term reached
}

// ReplayOutage runs one replay, with the cluster's client workload
// (client.go) sending a request every o.Every ms from the start: the
// client of §8, which sends each request to the server it believes
// leads (at first the one the seed names), and follows a refusal to the
// leader the refusing server names (or, when it names none, to the next
// server in turn). A request taken by a leader that is then deposed may
// never be answered.
func ReplayOutage(o Outage) OutageResult {
	if o.Duration <= 0 {
		o.Duration = OutageDuration
	}
	if o.Every <= 0 {
		o.Every = OutageEvery
	}
	n := o.Topology.Servers
	cfg := DefaultConfig()
	cfg.Servers, cfg.Seed, cfg.Rules = n, o.Seed, o.Rules
	cfg.NoTrace, cfg.CheckpointEvery = true, -1
	c, err := New(cfg)
	if err != nil {
		return OutageResult{}
	}
	for _, a := range o.Topology.Actions() {
		_ = c.Do(a)
	}
	if c.Do(Action{Kind: ActClient, Delay: o.Every}) != nil {
		return OutageResult{}
	}
	_ = c.RunUntil(o.Duration)
	res := OutageResult{Requests: c.Client().Sent, Commits: c.Answered(), Elections: len(c.Elections())}
	for id := raft.ID(1); int(id) <= n; id++ {
		res.Term = max(res.Term, c.Term(id))
	}
	return res
}

// OutageFigures sums up replays over seeds 1..Runs, per minute of
// virtual time.
type OutageFigures struct {
	Runs                                      int
	ElectionsMin, ElectionsMax, ElectionsMean float64
	CommitsMin, CommitsMax, CommitsMean       float64
	Results                                   []OutageResult // by seed, from 1
}

// MeasureOutage replays o under each of the seeds 1..runs (o.Seed is
// ignored) and sums up the elections and commits per minute.
func MeasureOutage(o Outage, runs int) OutageFigures {
	if o.Duration <= 0 {
		o.Duration = OutageDuration
	}
	f := OutageFigures{Runs: runs}
	perMinute := 60_000 / float64(o.Duration)
	for seed := 1; seed <= runs; seed++ {
		o.Seed = uint64(seed)
		r := ReplayOutage(o)
		f.Results = append(f.Results, r)
		e, k := float64(r.Elections)*perMinute, float64(r.Commits)*perMinute
		if seed == 1 || e < f.ElectionsMin {
			f.ElectionsMin = e
		}
		if seed == 1 || k < f.CommitsMin {
			f.CommitsMin = k
		}
		f.ElectionsMax, f.CommitsMax = max(f.ElectionsMax, e), max(f.CommitsMax, k)
		f.ElectionsMean += e / float64(runs)
		f.CommitsMean += k / float64(runs)
	}
	return f
}
