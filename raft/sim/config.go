// Package sim runs a whole Raft cluster in one process on a virtual clock.
//
// Everything is deterministic: the same Config (seed included) and the same
// actions at the same moments give the same trace, byte for byte, on every
// platform. Time is virtual milliseconds; the simulator jumps from event to
// event (a message delivery or a timer firing) instead of ticking through
// idle time.
package sim

import (
	"errors"
	"strconv"

	"raftplay/raft"
)

// Config describes a cluster and its network. Times are virtual ms.
type Config struct {
	Servers int    // 1..9
	Seed    uint64 // seeds every random choice of the run

	ElectionMin, ElectionMax int // election timeout range (default 150-300)
	Heartbeat                int // default 50
	LatencyMin, LatencyMax   int // one-way message latency (default 10-20)
	Drop                     float64
	Duplicate                float64
	Rules                    raft.Rules
	// MaxEntries is how many entries one AppendEntries carries at most,
	// 1..raft.DefaultMaxEntries (0: the engine's default, that many).
	MaxEntries int

	// NoTrace turns off the event trace (the sweep does not need it); the
	// trace hash and the invariant monitor still run.
	NoTrace bool
	// CheckpointEvery is the number of events between checkpoints for time
	// travel (0: 512; negative: no checkpoints). Older checkpoints are
	// thinned out (see history.go).
	CheckpointEvery int
	// TraceLimit bounds the trace's records (0: DefaultTraceLimit),
	// checked at each checkpoint (a cluster that keeps none keeps its whole
	// trace). Past it, the oldest records are dropped, and with them the
	// time before them: the run can no longer seek there.
	TraceLimit int
}

// DefaultTraceLimit is the trace's default bound: about 120 MB of records,
// hours of a busy five-server run.
const DefaultTraceLimit = 500_000

// DefaultConfig is a 5-server cluster with the paper's example timings.
func DefaultConfig() Config {
	return Config{
		Servers:     5,
		Seed:        1,
		ElectionMin: 150, ElectionMax: 300,
		Heartbeat:  50,
		LatencyMin: 10, LatencyMax: 20,
		Rules: raft.DefaultRules,
	}
}

// Validate says what is wrong with c, if anything.
func (c Config) Validate() error {
	switch {
	case c.Servers < 1 || c.Servers > raft.MaxServers:
		return errors.New("a cluster has 1 to 9 servers, not " + strconv.Itoa(c.Servers))
	case c.ElectionMin < 1 || c.ElectionMax < c.ElectionMin:
		return errors.New("election timeout range " + rangeString(c.ElectionMin, c.ElectionMax) + " must have 1 <= min <= max")
	case c.ElectionMax > maxDuration:
		return errors.New("election timeout " + strconv.Itoa(c.ElectionMax) + "ms is too long (at most 1h)")
	case c.Heartbeat < 1 || c.Heartbeat > maxDuration:
		return errors.New("heartbeat interval " + strconv.Itoa(c.Heartbeat) + "ms must be between 1ms and 1h")
	case c.LatencyMin < 0 || c.LatencyMax < c.LatencyMin || c.LatencyMax > maxDuration:
		return errors.New("latency range " + rangeString(c.LatencyMin, c.LatencyMax) + " must have 0 <= min <= max <= 1h")
	case !(c.Drop >= 0 && c.Drop <= 1):
		return errors.New("drop rate must be between 0 and 1")
	case !(c.Duplicate >= 0 && c.Duplicate <= 1):
		return errors.New("duplicate rate must be between 0 and 1")
	case c.MaxEntries < 0 || c.MaxEntries > raft.DefaultMaxEntries:
		return errors.New("a batch is 1 to " + strconv.Itoa(raft.DefaultMaxEntries) + " entries, not " + strconv.Itoa(c.MaxEntries))
	}
	return nil
}

const maxDuration = 3_600_000

func rangeString(lo, hi int) string {
	return strconv.Itoa(lo) + "-" + strconv.Itoa(hi) + "ms"
}
