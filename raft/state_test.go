package raft

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomRun drives a three-server cluster through a random schedule,
// with timers fired by hand, and calls visit after every input. Messages
// are delivered, dropped or delivered twice in random order.
type randomRun struct {
	t     testing.TB
	r     *rand.Rand
	nodes []*Node // by id; 0 unused
	queue []Message
	cmds  int
}

func newRandomRun(t testing.TB, seed uint64, opts ...nodeOpt) *randomRun {
	run := &randomRun{t: t, r: rand.New(rand.NewPCG(seed, 7)), nodes: make([]*Node, 4)}
	for _, id := range ids(3) {
		run.nodes[id] = newTestNode(t, id, ids(3), opts...)
	}
	return run
}

// input is one thing done to a run: message i of the queue delivered
// (kept in the queue when twice, left out of it when dropped), or a timer
// fired or a command proposed on server id.
type input struct {
	kind  int // 0 deliver, 1 deliver twice, 2 drop, 3 election timer, 4 heartbeat, 5 propose, 6 transfer to "to"
	to    ID
	i     int
	id    ID
	cmd   string
	label string
}

// pick chooses a random input.
func (run *randomRun) pick() input {
	r := run.r
	in := input{id: ID(1 + r.IntN(3))}
	switch k := r.IntN(10); {
	case k < 6 && len(run.queue) > 0:
		in.i = r.IntN(len(run.queue))
		in.kind = []int{0, 0, 0, 0, 0, 1, 2}[r.IntN(7)]
	case k < 8:
		in.kind = 3
	case k < 9:
		in.kind = 4
	case r.IntN(3) == 0:
		in.kind, in.to = 6, ID(1+r.IntN(3))
	default:
		in.kind = 5
		run.cmds++
		in.cmd = "c" + itoa(run.cmds)
	}
	return in
}

// apply takes an input and returns the node that took it (nil if none).
func (run *randomRun) apply(in input) *Node {
	n := run.nodes[in.id]
	switch in.kind {
	case 0, 1, 2:
		m := run.queue[in.i]
		if in.kind != 1 {
			run.queue = slices.Delete(run.queue, in.i, in.i+1)
		}
		if in.kind == 2 {
			return nil
		}
		n = run.nodes[m.To]
		mustStep(run.t, n, m)
	case 3:
		n.FireElectionTimer()
	case 4:
		n.FireHeartbeat()
	case 5:
		_, _ = n.Propose(in.cmd)
	case 6:
		_ = n.TransferLeadership(in.to) // refused unless n leads and in.to is another server
	}
	run.queue = append(run.queue, drain(n).Messages...)
	return n
}

func itoa(i int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}

// A node rebuilt from its encoding encodes the same, and from then on
// behaves as the node it was taken from: the same messages for the same
// input, and the same state after it. Cloning does not change the
// encoding either.
func TestStateLoadsToTheSameNode(t *testing.T) {
	for seed := range uint64(20) {
		for _, rules := range []Rules{DefaultRules, DefaultRules.With(LeaderNoop, true).With(FastBacktrack, false),
			DefaultRules.With(CurrentTermCommit, false).With(ElectionRestriction, false)} {
			run := newRandomRun(t, seed, withRules(rules), withMaxEntries(2))
			for range 300 {
				n := run.apply(run.pick())
				if n == nil {
					continue
				}
				enc := n.AppendState(nil, nil)
				if got := n.Clone().AppendState(nil, nil); !bytes.Equal(got, enc) {
					t.Fatalf("seed %d: a clone encodes as %x, the node as %x", seed, got, enc)
				}
				s := newSetup(n.ID(), ids(3), withRules(rules), withMaxEntries(2), withSeed(seed+100))
				m, rest, err := LoadState(s.cfg, enc)
				if err != nil || len(rest) > 0 {
					t.Fatalf("seed %d: LoadState(%x): %v, %d bytes left", seed, enc, err, len(rest))
				}
				if m.HasReady() {
					t.Fatalf("seed %d: a loaded node has output: %v", seed, m.Ready().Events)
				}
				if got := m.AppendState(nil, nil); !bytes.Equal(got, enc) {
					t.Fatalf("seed %d: loaded from %x, encodes as %x", seed, enc, got)
				}
				// The next input to the original and to the loaded node.
				c := n.Clone()
				var in Message
				for _, q := range run.queue {
					if q.To == n.ID() {
						in = q
						break
					}
				}
				for _, x := range []*Node{c, m} {
					if in.To != None {
						mustStep(t, x, in)
					} else {
						x.FireElectionTimer()
						x.FireHeartbeat()
					}
				}
				if a, b := drain(c).Messages, drain(m).Messages; !slices.EqualFunc(a, b, sameMessage) {
					t.Fatalf("seed %d: after %v, the node sent %s, the loaded node %s", seed, in, fmtMsgs(a), fmtMsgs(b))
				}
				if a, b := c.AppendState(nil, nil), m.AppendState(nil, nil); !bytes.Equal(a, b) {
					t.Fatalf("seed %d: after %v, the node encodes as %x, the loaded node as %x", seed, in, a, b)
				}
			}
		}
	}
}

func sameMessage(a, b Message) bool {
	return bytes.Equal(AppendMessage(nil, &a, nil), AppendMessage(nil, &b, nil))
}

// Renaming: a run and its mirror image, in which S2 and S3 trade places
// (each input of one is the other's with the two swapped), encode alike
// when one of them is encoded under the swap: nodes and messages.
func TestStateUnderARenaming(t *testing.T) {
	swap := &Renaming{0, 1, 3, 2}
	for seed := range uint64(20) {
		a := newRandomRun(t, seed, withMaxEntries(2))
		b := newRandomRun(t, seed, withMaxEntries(2))
		for step := range 300 {
			in := a.pick()
			mirror := in
			mirror.id, mirror.to = swap[in.id], swap[in.to]
			if in.kind <= 2 {
				want := AppendMessage(nil, &a.queue[in.i], swap)
				mirror.i = slices.IndexFunc(b.queue, func(m Message) bool {
					return bytes.Equal(AppendMessage(nil, &m, nil), want)
				})
				if mirror.i < 0 {
					t.Fatalf("seed %d step %d: no image of %v among %s", seed, step, a.queue[in.i], fmtMsgs(b.queue))
				}
			}
			a.apply(in)
			b.apply(mirror)
			for _, id := range ids(3) {
				x, y := a.nodes[id].AppendState(nil, swap), b.nodes[swap[id]].AppendState(nil, nil)
				if !bytes.Equal(x, y) {
					t.Fatalf("seed %d step %d: %v encodes under the swap as %x, its image as %x", seed, step, id, x, y)
				}
			}
		}
	}
}

// An encoding that LoadState or ReadMessage takes is the one the state
// it reads writes back (so one state has one encoding), and no bytes make
// either panic.
func FuzzLoadState(f *testing.F) {
	run := newRandomRun(f, 1, withMaxEntries(2))
	for range 60 {
		if n := run.apply(run.pick()); n != nil {
			f.Add(n.AppendState(nil, nil), false)
		}
		for _, m := range run.queue {
			f.Add(AppendMessage(nil, &m, nil), true)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, message bool) {
		if message {
			m, rest, err := ReadMessage(b)
			if err == nil && !bytes.Equal(AppendMessage(nil, &m, nil), b[:len(b)-len(rest)]) {
				t.Fatalf("read %x as %v, which writes as %x", b, m, AppendMessage(nil, &m, nil))
			}
			return
		}
		s := newSetup(2, ids(3))
		n, rest, err := LoadState(s.cfg, b)
		if err == nil && !bytes.Equal(n.AppendState(nil, nil), b[:len(b)-len(rest)]) {
			t.Fatalf("loaded %x, which writes as %x", b, n.AppendState(nil, nil))
		}
	})
}

// CopyTo into a node that was used before makes the same copy as Clone:
// the same state, the same behaviour, and independent of the original.
func TestCopyToReusesANode(t *testing.T) {
	run := newRandomRun(t, 3, withMaxEntries(2))
	scratch := new(Node)
	for range 300 {
		n := run.apply(run.pick())
		if n == nil {
			continue
		}
		want := n.AppendState(nil, nil)
		n.CopyTo(scratch)
		if got := scratch.AppendState(nil, nil); !bytes.Equal(got, want) {
			t.Fatalf("the copy encodes as %x, the node as %x", got, want)
		}
		clone := n.Clone()
		for _, x := range []*Node{scratch, clone} {
			x.FireElectionTimer()
			x.FireHeartbeat()
			_, _ = x.Propose("z")
		}
		if a, b := drain(scratch), drain(clone); !sameReady(a, b) {
			t.Fatalf("the copy did\n%s\nthe clone\n%s", fmtEvents(a.Events), fmtEvents(b.Events))
		}
		if got := n.AppendState(nil, nil); !bytes.Equal(got, want) {
			t.Fatalf("the original changed with its copy: %x, was %x", got, want)
		}
	}
}

// Load reuses a node that was used before: it ends in the state encoded,
// as LoadState's new node does, or, on a bad encoding, as it was.
func TestLoadIntoAUsedNode(t *testing.T) {
	run := newRandomRun(t, 5, withMaxEntries(2))
	reused := newTestNode(t, 2, ids(3))
	for range 300 {
		n := run.apply(run.pick())
		if n == nil || n.ID() != 2 {
			continue
		}
		enc := n.AppendState(nil, nil)
		if rest, err := reused.Load(append(enc, 7)); err != nil || !bytes.Equal(rest, []byte{7}) {
			t.Fatalf("Load(%x): %v, rest %x", enc, err, rest)
		}
		if got := reused.AppendState(nil, nil); !bytes.Equal(got, enc) || reused.HasReady() {
			t.Fatalf("loaded %x into a used node, which encodes as %x (output pending: %v)", enc, got, reused.HasReady())
		}
		if _, err := reused.Load(enc[:len(enc)-1]); err == nil {
			t.Fatalf("%x, cut short, loaded", enc)
		}
		if got := reused.AppendState(nil, nil); !bytes.Equal(got, enc) {
			t.Fatalf("a failed Load changed the node: %x, was %x", got, enc)
		}
	}
}
