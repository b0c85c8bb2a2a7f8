package explore

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// rootOf builds the start state from a cluster as it stands: each running
// server's node in its state (rebuilt under the explorer's rules), each
// crashed one's durable state, the messages in flight and the monitor's
// record of the past. It also returns the messages in flight in the order
// they were sent. Messages that a cut dooms are left out of the state: the
// explorer's network has no cuts, and in the cluster they would be lost.
// They stay in the list, marked dead, because the cluster keeps them in
// flight: a step of the written counterexample that names a message by
// its place among those of its link and kind counts them too.
func (x *search) rootOf(c *sim.Cluster) (*state, []sentMsg, error) {
	s := &state{mon: c.MonitorCopy()}
	for _, id := range x.peers {
		sv := &s.servers[id]
		st := c.ServerState(id, 1, 0)
		if st.CrashArmed {
			return nil, nil, errors.New("explore: " + id.String() + " is armed to crash at its next step: start from a moment after that crash")
		}
		if n := c.NodeCopy(id); n != nil {
			node, _, err := raft.LoadState(x.nodeConfig(id), n.AppendState(nil, nil))
			if err != nil {
				return nil, nil, err
			}
			sv.node, sv.hs = node, node.HardState()
			continue
		}
		sv.hs = raft.HardState{Term: st.Term, Vote: st.Vote}
		sv.log.Append(c.Log(id)...)
	}
	flights := c.Snapshot(1, 0).InFlight
	slices.SortFunc(flights, func(a, b sim.MessageState) int { return cmp.Compare(a.ID, b.ID) })
	sent := make([]sentMsg, 0, len(flights))
	for _, f := range flights {
		if !f.Cut {
			s.msgs = append(s.msgs, f.Msg)
		}
		sent = append(sent, sentMsg{m: f.Msg, dead: f.Cut})
	}
	x.cmdBase = commandBase(c, s)
	return s, sent, nil
}

// commandBase is the highest k of a command "ck" that the cluster has seen
// (in a request, a log or a message in flight), so that the search's
// requests have commands of their own.
func commandBase(c *sim.Cluster, s *state) int {
	top := 0
	see := func(cmd string) {
		if k, err := strconv.Atoi(strings.TrimPrefix(cmd, "c")); err == nil && strings.HasPrefix(cmd, "c") && k > top {
			top = k
		}
	}
	for _, q := range c.Requests(0) {
		see(q.Cmd)
	}
	for id := 1; id <= c.Servers(); id++ {
		for _, e := range c.Log(raft.ID(id)) {
			see(e.Cmd)
		}
	}
	for i := range s.msgs {
		for _, e := range s.msgs[i].Entries {
			see(e.Cmd)
		}
	}
	return top
}
