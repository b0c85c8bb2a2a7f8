package scenario

import (
	"raftplay/raft/sim"
)

// Shrink reduces a fault schedule that leads to a violation of inv to a
// small one that still does, by delta debugging (Zeller's ddmin, then a
// pass that tries dropping each action alone), replaying at most budget
// candidate schedules. It returns the reduced schedule and the run of it
// written as a scenario that ends with "expect violation", ready to paste
// into a .raft file. ok is false if the schedule given does not lead to
// the violation in the first place.
func Shrink(cfg sim.Config, schedule []sim.TimedAction, inv sim.Invariant, horizon, budget int) (reduced []sim.TimedAction, text string, ok bool) {
	tries := 0
	fails := func(s []sim.TimedAction) bool {
		tries++
		return replayUntil(cfg, s, inv, horizon).ViolationCount(inv) > 0
	}
	if !fails(schedule) {
		return schedule, "", false
	}
	s := schedule
	n := 2
	for len(s) >= 2 && tries < budget {
		chunk := (len(s) + n - 1) / n
		reducedOne := false
		for lo := 0; lo < len(s) && tries < budget; lo += chunk {
			hi := min(lo+chunk, len(s))
			rest := append(append([]sim.TimedAction(nil), s[:lo]...), s[hi:]...)
			if fails(rest) {
				s = rest
				n = max(n-1, 2)
				reducedOne = true
				break
			}
		}
		if reducedOne {
			continue
		}
		if n >= len(s) {
			break
		}
		n = min(2*n, len(s))
	}
	// One-minimal: no single action can go.
	for i := 0; i < len(s) && tries < budget; {
		rest := append(append([]sim.TimedAction(nil), s[:i]...), s[i+1:]...)
		if fails(rest) {
			s = rest
		} else {
			i++
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
	cfg.NoTrace = true
	cfg.CheckpointEvery = -1
	c, err := sim.New(cfg)
	if err != nil {
		return nil
	}
	violated := func() bool { return c.ViolationCount(inv) > 0 }
	for _, ta := range schedule {
		for !violated() && c.StepUntil(ta.Time) {
		}
		if violated() {
			return c
		}
		_ = c.RunUntil(ta.Time)
		_ = c.Do(ta.Action)
	}
	for !violated() && c.StepUntil(horizon) {
	}
	return c
}
