package sim

import (
	"errors"
	"slices"
	"strconv"
)

// TimedAction is an action with the moment it was taken: after Seq events,
// at virtual time Time. Aligned says that no event was pending at Time
// (every event up to Time had been processed), so "run until Time" reaches
// the same moment; otherwise only "step" does.
type TimedAction struct {
	Seq     int
	Time    int
	Aligned bool
	Action  Action
}

// checkpoint is a frozen copy of the cluster from which a seek replays.
type checkpoint struct {
	state    *Cluster
	traceLen int
	cursor   int // actions applied when it was taken
}

// history records the actions taken and keeps checkpoints, so that the
// cluster can go back to any earlier moment and replay, or fork a new
// future by acting in the past.
type history struct {
	every   int
	actions []TimedAction
	cursor  int // actions[:cursor] have been applied
	cps     []checkpoint
	// horizon is the furthest moment reached in the current future.
	horizon int
	// forks holds, for each time acting replaced the recorded future, the
	// trace's length then: the records from there on told of a future that
	// is gone (see Forks).
	forks []int
}

func (h *history) init(c *Cluster) {
	h.every = c.cfg.CheckpointEvery
	if h.every == 0 {
		h.every = 512
	}
	h.maybeCheckpoint(c)
}

// Checkpoints are dense near the present and sparse in the past: the
// newest cpDense are h.every events apart; an older one is dropped when
// the checkpoints on either side of it are at most cpSparse*h.every events
// apart. A seek replays at most that many events (16,384 by default, a
// few milliseconds), and a run of any length keeps one checkpoint per
// that many events, not one per h.every. Past cpMax checkpoints, or when
// the trace drops its oldest records, the oldest checkpoints go too, and
// the run can no longer go back before the first one left (Earliest).
const (
	cpDense  = 64
	cpSparse = 32
	cpMax    = 8192
)

func (h *history) maybeCheckpoint(c *Cluster) {
	if h.every < 0 {
		return
	}
	if n := len(h.cps); n > 0 && c.events-h.cps[n-1].state.events < h.every {
		return
	}
	// The trace is bounded here, once per checkpoint rather than at every
	// event: it may pass its limit by an interval's records.
	if !c.cfg.NoTrace {
		limit := c.cfg.TraceLimit
		if limit <= 0 {
			limit = DefaultTraceLimit
		}
		if c.trace.dropTo(limit) {
			k := 0
			for k < len(h.cps)-1 && h.cps[k].traceLen < c.trace.start() {
				k++
			}
			h.dropOldest(k)
		}
	}
	h.cps = append(h.cps, checkpoint{state: c.clone(), traceLen: c.trace.n, cursor: h.cursor})
	if j := len(h.cps) - 1 - cpDense; j >= 1 && h.cps[j+1].state.events-h.cps[j-1].state.events <= cpSparse*h.every {
		h.cps = slices.Delete(h.cps, j, j+1)
	}
	if len(h.cps) > cpMax {
		h.dropOldest(len(h.cps) - cpMax)
	}
}

// dropOldest forgets the k oldest checkpoints (and with them the time
// before the first one left).
func (h *history) dropOldest(k int) {
	if k <= 0 {
		return
	}
	clear(h.cps[:k])
	h.cps = h.cps[k:]
}

// Earliest returns the earliest moment the run can go back to: the first
// checkpoint kept (the start, unless a long run dropped its oldest
// history), or the present when the cluster keeps no checkpoints.
func (c *Cluster) Earliest() int {
	if len(c.hist.cps) == 0 {
		return c.now
	}
	return c.hist.cps[0].state.now
}

// Checkpoints returns the event counts of the checkpoints kept, oldest
// first (for tests and measurements).
func (c *Cluster) Checkpoints() []int {
	out := make([]int, len(c.hist.cps))
	for i, cp := range c.hist.cps {
		out[i] = cp.state.events
	}
	return out
}

// TraceStart returns the index of the oldest trace record kept (0 unless
// the trace reached its limit and dropped its oldest records).
func (c *Cluster) TraceStart() int { return c.trace.start() }

// clone copies everything but the trace and the history.
func (c *Cluster) clone() *Cluster {
	d := *c
	d.trace = traceLog{}
	d.hist = history{}
	for _, id := range c.peers {
		s := &d.servers[id]
		if s.node != nil {
			s.node = s.node.Clone()
		}
		// s.log is a read-only view, shared as it is; a detached state
		// machine is written to, so each side gets its own copy.
		if s.detached {
			s.applied = s.applied.Copy()
		}
	}
	d.inflight = c.inflight.clone()
	d.mon = c.mon.clone()
	return &d
}

// Do carries out an action now and records it. Acting at a moment earlier
// than the furthest one reached forks a new future: the recorded actions
// after this moment are dropped. In the manual network a step (see
// ActionKind.IsStep) happens at NextStep: the clock moves on to it first,
// nothing happening meanwhile.
func (c *Cluster) Do(a Action) error {
	if err := c.validate(a); err != nil {
		return err
	}
	h := &c.hist
	if h.cursor < len(h.actions) || c.now < h.horizon {
		h.actions = h.actions[:h.cursor]
		k := len(h.cps)
		for k > 1 && (h.cps[k-1].state.events > c.events || h.cps[k-1].state.now > c.now || h.cps[k-1].cursor > h.cursor) {
			k--
		}
		h.cps = h.cps[:k]
		h.horizon = c.now
		h.forks = append(h.forks, c.trace.n)
	}
	if c.manual && a.Kind.IsStep() {
		c.now = c.NextStep()
	}
	h.actions = append(h.actions, TimedAction{Seq: c.events, Time: c.now, Aligned: c.Aligned(), Action: a})
	h.cursor++
	return c.apply(a)
}

// Forks returns, for each time acting at an earlier moment replaced the
// recorded future (see Do), the trace's length at that moment, oldest
// first: a reader that keeps what it read of the trace beyond the present
// (after a seek back) knows from it which records no longer hold. The
// result is shared with the cluster: do not modify it.
func (c *Cluster) Forks() []int {
	return c.hist.forks[:len(c.hist.forks):len(c.hist.forks)]
}

// Actions returns the actions of the current future, in order.
func (c *Cluster) Actions() []TimedAction {
	return c.hist.actions[:len(c.hist.actions):len(c.hist.actions)]
}

// Horizon returns the furthest virtual time reached in the current future.
func (c *Cluster) Horizon() int { return max(c.hist.horizon, c.now) }

// dueAction applies the next recorded action if it is due now: taken after
// exactly the events processed so far, at a time no later than limit.
func (c *Cluster) dueAction(limit int) bool {
	h := &c.hist
	if h.cursor >= len(h.actions) {
		return false
	}
	ta := h.actions[h.cursor]
	if ta.Seq != c.events || ta.Time > limit {
		return false
	}
	c.now = max(c.now, ta.Time)
	h.cursor++
	c.apply(ta.Action) // it succeeded when first taken; replay is exact
	return true
}

// pendingAction reports whether a recorded action must come before the next
// event.
func (c *Cluster) pendingAction() bool {
	h := &c.hist
	return h.cursor < len(h.actions) && h.actions[h.cursor].Seq == c.events
}

// runTo processes events up to virtual time limit, at most max of them,
// replaying recorded actions as their moments come. It returns the number
// of events processed. A recorded action due at exactly limit is applied
// only if an event at limit follows it; otherwise it stays pending, so
// that a script replaying after a seek can take it up (see ReplayNext).
func (c *Cluster) runTo(limit, maxEvents int) int {
	n := 0
	for n < maxEvents {
		at, ok := c.NextEventTime()
		if c.pendingAction() {
			ta := c.hist.actions[c.hist.cursor]
			if ta.Time < limit || (ok && at <= limit && ta.Time <= at) {
				c.dueAction(maxTime)
				continue
			}
			break
		}
		if !ok || at > limit {
			break
		}
		c.process()
		n++
	}
	c.hist.horizon = max(c.hist.horizon, c.now)
	return n
}

// Step processes the next event, reporting whether there was one.
func (c *Cluster) Step() bool { return c.StepN(1) == 1 }

// StepN processes up to n events and returns how many it processed.
func (c *Cluster) StepN(n int) int {
	return c.runTo(maxTime, n)
}

// RunFor processes every event up to d ms from now, inclusive, and moves
// the clock to now+d.
func (c *Cluster) RunFor(d int) error {
	if d < 0 || d > maxTime-c.now {
		return errors.New("cannot run for " + strconv.Itoa(d) + "ms")
	}
	return c.RunUntil(c.now + d)
}

// RunUntil processes every event up to time t, inclusive, and moves the
// clock to t.
func (c *Cluster) RunUntil(t int) error {
	if t < c.now {
		return errors.New("time " + strconv.Itoa(t) + "ms is in the past (now " + strconv.Itoa(c.now) + "ms); seek instead")
	}
	if t > maxTime {
		return errors.New("time " + strconv.Itoa(t) + "ms is beyond the end of virtual time")
	}
	c.runTo(t, maxTime)
	c.now = t
	c.hist.horizon = max(c.hist.horizon, c.now)
	return nil
}

// maxTime bounds virtual time (about 24 days), far beyond any lesson, so
// that time arithmetic never overflows.
const maxTime = 1 << 31

// Seek moves the cluster to virtual time t, earlier or later: it restores
// the nearest checkpoint at or before t and replays the recorded actions
// and events up to t. The trace is cut back to t and regrows as the run
// replays (trace slices handed out earlier must not be kept across a seek).
func (c *Cluster) Seek(t int) error {
	if t < 0 || t > maxTime {
		return errors.New("cannot seek to " + strconv.Itoa(t) + "ms")
	}
	h := &c.hist
	// The latest checkpoint at or before t.
	i := len(h.cps) - 1
	for i > 0 && h.cps[i].state.now > t {
		i--
	}
	if t >= c.now && (i < 0 || h.cps[i].state.events <= c.events) {
		return c.RunUntil(t) // forward, and no checkpoint ahead to jump to
	}
	if i < 0 {
		return errors.New("this cluster keeps no checkpoints, so it cannot go back")
	}
	if t < h.cps[i].state.now {
		return errors.New("cannot go back to " + strconv.Itoa(t) + "ms: to bound memory, this run keeps its history from " +
			strconv.Itoa(h.cps[0].state.now) + "ms on")
	}
	cp := h.cps[i]
	hist, trace := c.hist, c.trace
	*c = *cp.state.clone()
	c.hist = hist
	c.trace = trace
	c.trace.setLen(cp.traceLen)
	c.hist.cursor = cp.cursor
	return c.RunUntil(t)
}

// StepUntil processes the next event if it happens no later than limit,
// reporting whether it did (recorded actions due first are replayed).
func (c *Cluster) StepUntil(limit int) bool { return c.runTo(limit, 1) == 1 }

// ActionsTaken returns the recorded actions that have been applied so far:
// those of the current future up to the present moment (after a seek back,
// the later ones are still recorded but not yet taken again).
func (c *Cluster) ActionsTaken() []TimedAction {
	return c.hist.actions[:c.hist.cursor:c.hist.cursor]
}

// Aligned reports whether no event is pending at the present moment, so
// that "run until now" from an earlier moment would stop exactly here.
func (c *Cluster) Aligned() bool {
	at, ok := c.NextEventTime()
	return !ok || at > c.now
}

// ReplayNext takes a from the recorded future if it is the next recorded
// action and is due now, reporting whether it did. A script that is
// replayed after a seek uses it to walk through its own earlier actions
// without forking the future that the learner built after them.
func (c *Cluster) ReplayNext(a Action) bool {
	h := &c.hist
	if h.cursor >= len(h.actions) {
		return false
	}
	ta := h.actions[h.cursor]
	if ta.Seq != c.events || ta.Time != c.now || !sameAction(ta.Action, a) {
		return false
	}
	return c.dueAction(c.now)
}

func sameAction(a, b Action) bool {
	if len(a.Groups) != len(b.Groups) {
		return false
	}
	for i := range a.Groups {
		if len(a.Groups[i]) != len(b.Groups[i]) {
			return false
		}
		for j := range a.Groups[i] {
			if a.Groups[i][j] != b.Groups[i][j] {
				return false
			}
		}
	}
	return a.Kind == b.Kind && a.Server == b.Server && a.From == b.From && a.To == b.To &&
		a.Cmd == b.Cmd && a.BeforeSend == b.BeforeSend && a.AfterSend == b.AfterSend && a.Rate == b.Rate && a.Min == b.Min &&
		a.Max == b.Max && a.Rule == b.Rule && a.On == b.On && a.Delay == b.Delay && a.MsgID == b.MsgID &&
		a.Msg == b.Msg && a.Nth == b.Nth
}
