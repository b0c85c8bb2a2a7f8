package explore

import (
	"testing"

	"raftplay/raft"
)

// BenchmarkExplore measures distinct states per second, and per megabyte
// of what the search keeps at its peak, on searches that exhaust their
// space with every rule on (each op is a whole search), and on the search
// for the shortest break of the election restriction.
func BenchmarkExplore(b *testing.B) {
	for _, c := range []struct {
		name string
		cfg  Config
	}{
		{"holds", Config{Bounds: bounds(2, 1, 1, 1, 1, 2), Rules: raft.DefaultRules, Symmetry: true}},
		{"holds-nosym", Config{Bounds: bounds(2, 1, 1, 1, 1, 2), Rules: raft.DefaultRules}},
		{"election-restriction", Config{Bounds: bounds(2, 1, 1, 1, 1, 4), Rules: off(raft.ElectionRestriction), Symmetry: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			states, peak := 0, int64(0)
			for b.Loop() {
				r, err := Search(c.cfg)
				if err != nil {
					b.Fatal(err)
				}
				states += r.States
				peak = max(peak, r.Peak)
			}
			b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
			b.ReportMetric(float64(states/b.N)/(float64(peak)/(1<<20)), "states/MB")
		})
	}
}
