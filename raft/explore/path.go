package explore

import (
	"bytes"
	"errors"
	"strconv"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// Step is one step of a path, as a scenario line says it: a timer fired,
// a request, a crash (perhaps armed for after the server's next send) or
// a restart on Server, or a message in flight delivered, duplicated or
// dropped.
type Step struct {
	Kind   MoveKind
	Server raft.ID // the server acting; for Propose, the leader the request reaches
	Cmd    string  // Propose: the command
	Msg    raft.Message
	// Ordinal says which message it is when several in flight have the
	// same sender, receiver and kind (see MessageWord): the Ordinal-th
	// oldest of them, in the order they were sent. 0 when it is the only
	// one.
	Ordinal int
}

// MessageWord is the scenario language's word for a message's kind: vote,
// vote-reply, prevote, prevote-reply, append (AppendEntries with entries),
// heartbeat (with none), append-reply or timeout-now (sim.KindOf names
// them).
func MessageWord(m *raft.Message) string {
	if k := sim.KindOf(m); k != 0 {
		return k.String()
	}
	return m.Type.String()
}

// String writes the step as a line of a scenario with a manual network,
// e.g. "deliver S1->S2 append 2" or "propose c1 to S1".
func (s Step) String() string {
	switch s.Kind {
	case Deliver, Duplicate, Drop:
		line := s.Kind.String() + " " + s.Msg.From.String() + "->" + s.Msg.To.String() + " " + MessageWord(&s.Msg)
		if s.Ordinal > 0 {
			line += " " + strconv.Itoa(s.Ordinal)
		}
		return line
	case Propose:
		return "propose " + s.Cmd + " to " + s.Server.String()
	case CrashAfterSend:
		return "crash " + s.Server.String() + " after-send"
	}
	return s.Kind.String() + " " + s.Server.String()
}

// movesTo returns the moves from the start to state id, then mv.
func (x *search) movesTo(id int, mv move) []move {
	mvs := []move{mv}
	for ; id != 0; id = int(x.links[id].parent) {
		mvs = append(mvs, x.links[id].mv)
	}
	for i, j := 0, len(mvs)-1; i < j; i, j = i+1, j-1 {
		mvs[i], mvs[j] = mvs[j], mvs[i]
	}
	return mvs
}

// pathTo replays moves from the start as the search took them and
// returns the steps and the violation of the last one; that only the last
// breaks anything checks that the replay followed the search.
func (x *search) pathTo(root *state, mvs []move) ([]Step, *sim.Violation, error) {
	steps, broke, err := x.replay(root, mvs)
	if err != nil {
		return nil, nil, err
	}
	for k, v := range broke {
		if (v != nil) != (k == len(mvs)-1) {
			return nil, nil, errors.New("explore: replaying the path did not break an invariant where the search did (step " + strconv.Itoa(k+1) + ")")
		}
	}
	return steps, broke[len(broke)-1], nil
}

// replay takes moves from the start as the search took them, keeping the
// order in which messages were sent (which the search forgets, a bag
// having none) to name each message a step picks. It returns the steps
// and what each broke first (nil: nothing).
func (x *search) replay(root *state, mvs []move) ([]Step, []*sim.Violation, error) {
	s := root
	sent := append([]sentMsg(nil), x.sent...)
	steps := make([]Step, 0, len(mvs))
	broke := make([]*sim.Violation, 0, len(mvs))
	for _, mv := range mvs {
		// The search numbered messages in the order of their encodings.
		s.msgs = x.sortedBag(s.msgs)
		st := Step{Kind: mv.kind}
		sentAt := -1
		switch mv.kind {
		case Deliver, Duplicate, Drop:
			st.Msg = s.msgs[mv.arg]
			sentAt, st.Ordinal = ordinal(sent, &st.Msg)
		case Propose:
			st.Server, st.Cmd = raft.ID(mv.arg), x.command(s.requests+1)
		default:
			st.Server = raft.ID(mv.arg)
		}
		x.rep.v = nil
		c, kept, err := x.take(s, mv, true)
		if err != nil {
			return nil, nil, err
		}
		if mv.kind != Duplicate && sentAt >= 0 {
			sent = append(sent[:sentAt], sent[sentAt+1:]...)
		}
		for _, m := range c.msgs[kept:] {
			sent = append(sent, sentMsg{m: m})
		}
		steps = append(steps, st)
		broke = append(broke, x.rep.v)
		s = c
	}
	return steps, broke, nil
}

// sentMsg is a message in flight, in the order sent; dead when a cut
// dooms it (the cluster keeps it in flight, the search does not).
type sentMsg struct {
	m    raft.Message
	dead bool
}

// ordinal finds m among the live messages sent: its position, and which
// of those with its sender, receiver and kind it is, dead ones counted (0
// if the only one).
func ordinal(sent []sentMsg, m *raft.Message) (at, nth int) {
	code := raft.AppendMessage(nil, m, nil)
	word := MessageWord(m)
	at, count := -1, 0
	for i := range sent {
		o := &sent[i].m
		if o.From != m.From || o.To != m.To || MessageWord(o) != word {
			continue
		}
		count++
		if at < 0 && !sent[i].dead && bytes.Equal(raft.AppendMessage(nil, o, nil), code) {
			at, nth = i, count
		}
	}
	if count == 1 {
		nth = 0
	}
	return at, nth
}

// sortedBag returns the messages in the order of their encodings, as a
// decoded state holds them.
func (x *search) sortedBag(msgs []raft.Message) []raft.Message {
	out := append([]raft.Message(nil), msgs...)
	codes := make([][]byte, len(out))
	for i := range out {
		codes[i] = raft.AppendMessage(nil, &out[i], nil)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && bytes.Compare(codes[j-1], codes[j]) > 0; j-- {
			out[j], out[j-1] = out[j-1], out[j]
			codes[j], codes[j-1] = codes[j-1], codes[j]
		}
	}
	return out
}

// messageCodes encodes each message of s (as a decoded state holds them,
// sorted), so that moves can skip a message equal to the one before.
func (x *search) messageCodes(s *state) [][]byte {
	buf := x.codeBuf[:0]
	x.msgEnc = x.msgEnc[:0]
	for i := range s.msgs {
		buf = raft.AppendMessage(buf, &s.msgs[i], nil)
		x.msgEnc = append(x.msgEnc, nil)
		x.spans = append(x.spans[:i], span{hi: len(buf)})
	}
	lo := 0
	for i := range x.msgEnc {
		x.msgEnc[i] = buf[lo:x.spans[i].hi]
		lo = x.spans[i].hi
	}
	x.codeBuf = buf
	return x.msgEnc
}
