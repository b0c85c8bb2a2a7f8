package explore

import (
	"errors"
	"strconv"
	"strings"

	"raftplay/raft"
)

// Bounds limit the search. A state beyond a bound is not explored, so a
// verdict holds for the bounded space only: every result says its bounds.
type Bounds struct {
	Servers  int // servers in the cluster, 1..MaxServers
	Terms    int // no server's term goes past this
	Log      int // no log grows longer than this
	Requests int // client requests, in all
	Crashes  int // crashes, in all
	Restarts int // restarts, in all
	InFlight int // messages in flight at once
	Depth    int // steps from the start
	// Batch is the most entries one AppendEntries carries
	// (raft.Config.MaxEntries, 0..raft.DefaultMaxEntries; 0: the
	// engine's default). It is no bound on the space but a setting of
	// the cluster, as in the scenario language's "batch N" (from a
	// cluster, Config.From, its own): commit-matched's mistake only shows
	// when a message carries fewer entries than the leader has committed.
	Batch int
	// Memory is the budget for what the search keeps (visited states,
	// the states left to expand, the way back to each), in bytes: the
	// search stops, saying so, rather than exceed it.
	Memory int64
}

// MaxServers is the largest cluster the explorer takes: the number of
// orderings of the servers that symmetry reduction may try grows as the
// factorial, and so does the space.
const MaxServers = 5

// Largest values a bound may take: far beyond what a search can reach,
// small enough that nothing overflows.
const (
	maxBound  = 1000
	minMemory = 4 << 20
	maxMemory = 1 << 40
)

// DefaultBounds are the command line's defaults: three servers, all rules
// on, exhausted in well under two minutes on one core.
func DefaultBounds() Bounds {
	return Bounds{
		Servers:  3,
		Terms:    2,
		Log:      1,
		Requests: 1,
		Crashes:  1,
		Restarts: 1,
		InFlight: 3,
		Depth:    100,
		Memory:   2 << 30,
	}
}

// Validate says what is wrong with b, if anything.
func (b Bounds) Validate() error {
	var errs []string
	check := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, name+" must be between "+strconv.Itoa(lo)+" and "+strconv.Itoa(hi)+", not "+strconv.Itoa(v))
		}
	}
	check("servers", b.Servers, 1, MaxServers)
	check("terms", b.Terms, 1, maxBound)
	check("log", b.Log, 0, maxBound)
	check("requests", b.Requests, 0, maxBound)
	check("crashes", b.Crashes, 0, maxBound)
	check("restarts", b.Restarts, 0, maxBound)
	check("inflight", b.InFlight, 0, maxBound)
	check("depth", b.Depth, 0, 1<<20)
	check("batch", b.Batch, 0, raft.DefaultMaxEntries)
	if b.Memory < minMemory || b.Memory > maxMemory {
		errs = append(errs, "memory must be between 4 MB and 1 TB, not "+strconv.FormatInt(b.Memory>>20, 10)+" MB")
	}
	if len(errs) > 0 {
		return errors.New("explore: " + strings.Join(errs, "; "))
	}
	return nil
}

// String writes the bounds compactly, as the command line's flags name
// them, e.g. "servers=3 terms=2 log=2 requests=1 crashes=1 restarts=1
// inflight=3 depth=100 mem=2048MB", with " batch=N" before mem when
// Batch is set.
func (b Bounds) String() string {
	var s strings.Builder
	for i, f := range [...]struct {
		k string
		v int
	}{
		{"servers", b.Servers}, {"terms", b.Terms}, {"log", b.Log}, {"requests", b.Requests},
		{"crashes", b.Crashes}, {"restarts", b.Restarts}, {"inflight", b.InFlight}, {"depth", b.Depth},
	} {
		if i > 0 {
			s.WriteByte(' ')
		}
		s.WriteString(f.k)
		s.WriteByte('=')
		s.WriteString(strconv.Itoa(f.v))
	}
	if b.Batch > 0 {
		s.WriteString(" batch=")
		s.WriteString(strconv.Itoa(b.Batch))
	}
	s.WriteString(" mem=")
	s.WriteString(strconv.FormatInt(b.Memory>>20, 10))
	s.WriteString("MB")
	return s.String()
}
