package sim_test

import (
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// The outage replayed (see outage.go): five servers, S4 reaching only S2
// and S5 only S3, default timings, a client request every 100 ms, one
// minute of virtual time, under each of 20 seeds. The healthy rate is the
// same workload on the same seed with no link cut.
//
//   - With pre-vote and check-quorum both off, the leadership changes at
//     least 10 times in the minute and fewer than half the healthy rate
//     of requests commit.
//   - With both on, it changes at most once after the first election, and
//     commits stay within 10% of the healthy rate.
func TestOutageReplay(t *testing.T) {
	off := raft.DefaultRules.With(raft.PreVote, false).With(raft.CheckQuorum, false)
	on := raft.DefaultRules.With(raft.PreVote, true).With(raft.CheckQuorum, true)
	for seed := uint64(1); seed <= 20; seed++ {
		for _, rs := range []struct {
			name  string
			rules raft.Rules
		}{{"off", off}, {"on", on}} {
			healthy := sim.ReplayOutage(sim.Outage{Topology: sim.OutageFive.Healthy(), Rules: rs.rules, Seed: seed})
			r := sim.ReplayOutage(sim.Outage{Topology: sim.OutageFive, Rules: rs.rules, Seed: seed})
			if healthy.Requests != 600 || r.Requests != 600 || healthy.Elections != 1 || healthy.Commits < 590 {
				t.Fatalf("seed %d, rules %s: healthy %+v, outage %+v: want 600 requests each, and one election and nearly every request committed when healthy",
					seed, rs.name, healthy, r)
			}
			switch rs.name {
			case "off":
				if r.Elections < 10 || 2*r.Commits >= healthy.Commits {
					t.Errorf("seed %d, both rules off: %d leaders elected, %d requests committed (healthy %d): want at least 10, and below half",
						seed, r.Elections, r.Commits, healthy.Commits)
				}
			case "on":
				if r.Elections-1 > 1 || 10*abs(r.Commits-healthy.Commits) > healthy.Commits {
					t.Errorf("seed %d, both rules on: %d leader changes after the first election, %d requests committed (healthy %d): want at most 1, and within 10%%",
						seed, r.Elections-1, r.Commits, healthy.Commits)
				}
			}
		}
	}
}

func abs(x int) int { return max(x, -x) }

// Each rule alone, and the three-server partial partition: the figures
// the lesson and README quote, checked for what they show. In the
// five-server topology pre-vote alone settles it (the cut-off servers'
// pre-votes are refused while a majority hears the leader) and
// check-quorum alone does not (a cut-off server still raises its term
// through S2 or S3). With three servers, S1 and S3 cut from each other,
// the cluster settles even with both off: once S2 wins an election, both
// hear it.
func TestOutageReplayVariants(t *testing.T) {
	pv := raft.DefaultRules.With(raft.PreVote, true)
	cq := raft.DefaultRules.With(raft.CheckQuorum, true)
	prevote := sim.MeasureOutage(sim.Outage{Topology: sim.OutageFive, Rules: pv}, 10)
	quorum := sim.MeasureOutage(sim.Outage{Topology: sim.OutageFive, Rules: cq}, 10)
	three := sim.MeasureOutage(sim.Outage{Topology: sim.OutageThree, Rules: raft.DefaultRules}, 10)
	if prevote.ElectionsMax > 2 {
		t.Errorf("pre-vote alone: up to %.0f elections a minute, want at most 2", prevote.ElectionsMax)
	}
	if quorum.ElectionsMin < 10 {
		t.Errorf("check-quorum alone: as few as %.0f elections a minute, want at least 10", quorum.ElectionsMin)
	}
	if three.ElectionsMax > 5 || three.CommitsMin < 550 {
		t.Errorf("three servers, both rules off: %.0f-%.0f elections, %.0f-%.0f commits a minute: want it settled",
			three.ElectionsMin, three.ElectionsMax, three.CommitsMin, three.CommitsMax)
	}
}
