package player

import (
	"testing"

	"raftplay/raft/sim"
)

// quietHolds plays r on to limit in the way a page does between events:
// wherever QuietUntil says nothing is due for a while, advancing to just
// before then must change nothing but the clock (no event, no action, no
// output of the script). It returns how many of the stops it made had
// such a quiet stretch.
func quietHolds(t *testing.T, name string, r *Runner, limit int) (stops, quiet int) {
	t.Helper()
	c := r.Cluster
	for c.Now() < limit && r.Err() == nil {
		now, q := c.Now(), r.QuietUntil()
		stops++
		if q < now {
			t.Fatalf("%s at %dms: QuietUntil is %d, in the past", name, now, q)
		}
		if q > now+1 {
			quiet++
			events, acts, hash := c.Events(), len(c.ActionsTaken()), c.Hash()
			if outs := r.Advance(q - 1); len(outs) > 0 || c.Events() != events || len(c.ActionsTaken()) != acts || c.Hash() != hash {
				t.Fatalf("%s: from %dms QuietUntil said nothing happens before %dms, but advancing to %dms gave %d outputs, %d events and %d actions",
					name, now, q, q-1, len(outs), c.Events()-events, len(c.ActionsTaken())-acts)
			}
		}
		r.Advance(max(q, c.Now()+1))
	}
	return stops, quiet
}

// What QuietUntil promises holds in every scenario of the tests and the
// lessons, while the script plays, after it ends, and while a recorded
// future replays after a seek back (the learner's actions in it come due
// at their times); and it is worth having: most stops have a quiet
// stretch before the next thing due.
func TestQuietUntilOnlyTheClockMoves(t *testing.T) {
	all := scenariosUnder(t, testdata, "../../lessons/en")
	stops, quiet := 0, 0
	for _, s := range all {
		r, err := NewRunner(s, nil)
		if err != nil {
			t.Fatal(err)
		}
		a, b := quietHolds(t, s.File, r, 3000)
		stops, quiet = stops+a, quiet+b
		if r.Err() != nil {
			continue
		}
		// A learner's action in the recorded future, replayed after a
		// seek back.
		at := r.Cluster.Now()
		if err := r.Do(sim.Action{Kind: sim.ActHeal}); err != nil {
			continue // not allowed here (an exercise's setup)
		}
		r.Advance(at + 500)
		if err := r.Seek(at / 2); err != nil {
			t.Fatalf("%s: seek: %v", s.File, err)
		}
		quietHolds(t, s.File+" (replaying)", r, at+500)
	}
	if quiet*2 < stops {
		t.Errorf("only %d of %d stops had a quiet stretch before the next thing due", quiet, stops)
	}
	t.Logf("%d scenarios, %d stops, %d with a quiet stretch", len(all), stops, quiet)
}
