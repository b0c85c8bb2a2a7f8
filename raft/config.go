package raft

import (
	"errors"
	"math/rand/v2"
	"strconv"
)

// Config sets up one node.
type Config struct {
	ID ID
	// Peers lists every server of the cluster, this one included, in
	// increasing order.
	Peers []ID
	// ElectionMin and ElectionMax bound the election timeout in ticks; each
	// timer reset draws a value from [ElectionMin, ElectionMax] (§5.2).
	ElectionMin, ElectionMax int
	// Heartbeat is the leader's heartbeat interval in ticks.
	Heartbeat int
	Rules     Rules
	// Rand is this node's only source of randomness, seeded by the caller
	// (from the run's seed and the node id). The node takes ownership.
	Rand *rand.PCG
	// MaxEntries caps the entries carried by one AppendEntries (0:
	// DefaultMaxEntries).
	MaxEntries int
}

// DefaultMaxEntries is how many entries one AppendEntries carries at most
// when Config.MaxEntries does not say.
const DefaultMaxEntries = 64

func (c *Config) validate() error {
	if c.ID < 1 || c.ID > MaxServers {
		return errors.New("raft: server id " + strconv.Itoa(int(c.ID)) + " out of range 1.." + strconv.Itoa(MaxServers))
	}
	if len(c.Peers) == 0 || len(c.Peers) > MaxServers {
		return errors.New("raft: a cluster has 1.." + strconv.Itoa(MaxServers) + " servers, got " + strconv.Itoa(len(c.Peers)))
	}
	self := false
	for i, p := range c.Peers {
		if p < 1 || p > MaxServers || (i > 0 && p <= c.Peers[i-1]) {
			return errors.New("raft: peers must be increasing ids in 1.." + strconv.Itoa(MaxServers))
		}
		self = self || p == c.ID
	}
	if !self {
		return errors.New("raft: peers must include the node itself (" + c.ID.String() + ")")
	}
	if c.ElectionMin < 1 || c.ElectionMax < c.ElectionMin {
		return errors.New("raft: election timeout range must satisfy 1 <= min <= max")
	}
	if c.Heartbeat < 1 {
		return errors.New("raft: heartbeat interval must be at least 1 tick")
	}
	if c.Rand == nil {
		return errors.New("raft: a seeded random source is required")
	}
	return nil
}
