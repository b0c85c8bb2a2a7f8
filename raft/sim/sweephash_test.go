package sim_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestSweepHashesGolden: a sweep run under each rule switched from its
// default (every mistake made, every option taken, every paper rule
// broken) hashes to what testdata/sweep-hashes.txt says. The same file
// holds natively and under WebAssembly (make wasmtest runs this test
// there too), so the same seed gives the same run on both, mistakes
// included. Regenerate it natively, on purpose only, with
// go test ./raft/sim -run TestSweepHashesGolden -update.
func TestSweepHashesGolden(t *testing.T) {
	var b strings.Builder
	for _, r := range raft.AllRules() {
		rules := raft.DefaultRules.With(r, !raft.DefaultRules.Has(r))
		for seed := uint64(1); seed <= 3; seed++ {
			res := sim.Sweep(sim.SweepConfig{Servers: 5, Duration: 3000, Rules: rules, Seed: seed})
			fmt.Fprintf(&b, "%s seed=%d %x %d events, %d violations, committed %d\n",
				rules, seed, res.Hash, res.Events, len(res.Violations), res.Committed)
		}
	}
	got := b.String()
	const file = "testdata/sweep-hashes.txt"
	if *update {
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./raft/sim -run TestSweepHashesGolden -update natively)", err)
	}
	if got != string(want) {
		wl, gl := strings.Split(string(want), "\n"), strings.Split(got, "\n")
		for i := range max(len(wl), len(gl)) {
			var w, g string
			if i < len(wl) {
				w = wl[i]
			}
			if i < len(gl) {
				g = gl[i]
			}
			if w != g {
				t.Errorf("line %d:\n  want %s\n  got  %s", i+1, w, g)
			}
		}
	}
}
