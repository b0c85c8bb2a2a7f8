package player

import (
	"raftplay/raft/sim"
)

// Shrink reduces a fault schedule that leads to a violation of inv to a
// small one that still does, by delta debugging (removing chunks of
// actions, the chunks halving down to single actions until none can go),
// replaying at most budget candidate schedules. It returns the reduced schedule and the run of it
// written as a scenario that ends with "expect violation", ready to paste
// into a .raft file. ok is false if the schedule given does not lead to
// the violation in the first place.
func Shrink(cfg sim.Config, schedule []sim.TimedAction, inv sim.Invariant, horizon, budget int) (reduced []sim.TimedAction, text string, ok bool) {
	tries := 0
	fails := func(s []sim.TimedAction) bool {
		tries++
		return replayUntil(cfg, s, inv, horizon).ViolationCount(inv) > 0
	}
	first := replayUntil(cfg, schedule, inv, horizon)
	tries++
	if first == nil || first.ViolationCount(inv) == 0 {
		return schedule, "", false
	}
	// Nothing after the violation can have caused it.
	s := schedule
	for len(s) > 0 && s[len(s)-1].Time > first.Now() {
		s = s[:len(s)-1]
	}
	// Remove chunks of n, halving n when no chunk can go, down to single
	// actions: each pass tries every chunk once, keeping the removals
	// that still fail, so the passes cost O(n log n) replays in all.
	for chunk := max(len(s)/2, 1); tries < budget; {
		removed := false
		for lo := 0; lo < len(s) && tries < budget; {
			hi := min(lo+chunk, len(s))
			rest := append(append([]sim.TimedAction(nil), s[:lo]...), s[hi:]...)
			if fails(rest) {
				s, removed = rest, true
			} else {
				lo = hi
			}
		}
		if chunk == 1 && !removed {
			break // one-minimal: no single action can go
		}
		if !removed || chunk > 1 {
			chunk = max(chunk/2, 1)
		}
	}
	c := replayUntil(cfg, s, inv, horizon)
	text = Record(c) + "expect violation " + inv.String() + "\n"
	return s, text, true
}

// replayUntil runs schedule on a fresh cluster, taking each action at its
// time (an action refused because the schedule was cut is left out), and
// stops at the first event after which inv is violated, or at horizon.
func replayUntil(cfg sim.Config, schedule []sim.TimedAction, inv sim.Invariant, horizon int) *sim.Cluster {
	return sim.Replay(cfg, schedule, horizon, func(c *sim.Cluster) bool { return c.ViolationCount(inv) > 0 })
}
