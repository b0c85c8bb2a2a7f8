package sim

import (
	"strconv"

	"raftplay/raft"
)

// Unwritten is what a server lost when it crashed after sending a step's
// messages and before writing that step's state, which happens only with
// persist-before-send off (a crash after-send): the term and vote it had
// taken, and the entries it had written in memory, which its messages may
// have promised to others.
type Unwritten struct {
	Server raft.ID
	// Term is the term it had moved to (0: none), Was the one its disk
	// still holds.
	Term, Was int
	// Vote is the vote it had granted in term VoteTerm (None: none).
	Vote     raft.ID
	VoteTerm int
	// From is the first index of its log that differs from what its disk
	// holds (0: the log lost nothing). Entries are the entries from From
	// on that it held in memory only (at most the first tracedEntries and
	// the last, as the trace keeps an event's), Lost their number; Back
	// is the number of entries from From on that it had removed in memory
	// and that its disk still holds.
	From    int
	Entries []raft.Entry
	Lost    int
	Back    int
	// AckedTo is the leader to which it acknowledged the lost entries
	// (answered success with a match at or past From), SentTo the number
	// of followers to which it sent some of them as leader.
	AckedTo raft.ID
	SentTo  int
}

// empty reports whether nothing was lost.
func (u *Unwritten) empty() bool {
	return u.Term == 0 && u.Vote == raft.None && u.From == 0
}

// unwritten works out what s loses by crashing now, with the step whose
// Ready is rd sent but not written (s.hs and s.log are still the last
// step's), and records it in the hash and the trace. It returns nil when
// the step would have written nothing that matters.
func (c *Cluster) unwritten(s *server, rd *raft.Ready) *Unwritten {
	u := &Unwritten{Server: s.id, Was: s.hs.Term}
	if rd.HardStateChanged {
		hs := rd.HardState
		if hs.Term != s.hs.Term {
			u.Term = hs.Term
		}
		if hs.Vote != raft.None && (hs.Vote != s.hs.Vote || hs.Term != s.hs.Term) {
			u.Vote, u.VoteTerm = hs.Vote, hs.Term
		}
	}
	if rd.TruncateTo >= 0 {
		mem, disk := s.node.LogView(), s.log
		from := rd.TruncateTo + 1
		if len(rd.Entries) > 0 {
			from = rd.Entries[0].Index
		}
		// Entries rewritten as they were are not lost.
		for from <= mem.Len() && from <= disk.Len() && sameEntry(mem.At(from-1), disk.At(from-1)) {
			from++
		}
		if from <= mem.Len() || from <= disk.Len() {
			u.From = from
			u.Lost = max(0, mem.Len()-from+1)
			u.Back = max(0, disk.Len()-from+1)
			if u.Lost > 0 {
				es := mem.Slice(from-1, mem.Len())
				ev := raft.Event{Entries: es}
				u.Entries = traced(&ev).Entries
			}
		}
	}
	if u.empty() {
		return nil
	}
	for i := range rd.Messages {
		m := &rd.Messages[i]
		switch {
		case u.Lost == 0:
		case m.Type == raft.MsgAppResp && !m.Reject && m.Match >= u.From:
			u.AckedTo = m.To
		case m.Type == raft.MsgApp && len(m.Entries) > 0 && m.Entries[len(m.Entries)-1].Index >= u.From:
			u.SentTo++
		}
	}
	c.hash.int(-400 - int(s.id))
	c.hash.int(u.Term<<8 | int(u.Vote))
	c.hash.int(u.From<<20 ^ u.Lost<<10 ^ u.Back)
	if !c.cfg.NoTrace {
		c.trace.add(Record{Time: c.now, Seq: c.events, Kind: RecUnwritten, Unwritten: u})
	}
	return u
}

func sameEntry(a, b raft.Entry) bool {
	return a.Term == b.Term && a.Noop == b.Noop && a.Cmd == b.Cmd
}

// String writes u compactly, e.g. "S2 term=2 (was 1) vote=S3 entries 3-4 (acked to S1)".
func (u *Unwritten) String() string {
	s := u.Server.String()
	if u.Term > 0 {
		s += " term=" + strconv.Itoa(u.Term) + " (was " + strconv.Itoa(u.Was) + ")"
	}
	if u.Vote != raft.None {
		s += " vote=" + u.Vote.String() + " in " + strconv.Itoa(u.VoteTerm)
	}
	if u.Lost > 0 {
		s += " entries " + strconv.Itoa(u.From) + "-" + strconv.Itoa(u.From+u.Lost-1)
		if u.AckedTo != raft.None {
			s += " (acked to " + u.AckedTo.String() + ")"
		} else if u.SentTo > 0 {
			s += " (sent to " + strconv.Itoa(u.SentTo) + ")"
		}
	}
	if u.Back > 0 {
		s += " keeps " + strconv.Itoa(u.From) + "-" + strconv.Itoa(u.From+u.Back-1)
	}
	return s
}
