package raft

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// FuzzStep drives one node with a random configuration, random rules and a
// random sequence of inputs, mostly messages with plausible but arbitrary
// fields. Whatever the input, the node must not panic, and a few invariants
// that hold for any input must hold.
//
//	go test -fuzz=FuzzStep -fuzztime=60s ./raft/
func FuzzStep(f *testing.F) {
	for seed := range uint64(24) {
		r := rand.New(rand.NewPCG(seed, 0x66757a7a))
		data := make([]byte, 64+r.IntN(400))
		for i := range data {
			data[i] = byte(r.Uint32())
		}
		f.Add(data)
	}
	f.Add([]byte{})
	f.Add([]byte{2, 0, 0xff, 0x1f})
	f.Fuzz(func(t *testing.T, data []byte) {
		runFuzzStep(t, data)
	})
}

// fuzzInput reads the fuzzer's bytes; past the end it reads zeros.
type fuzzInput struct {
	data []byte
	pos  int
}

func (in *fuzzInput) more() bool { return in.pos < len(in.data) }

func (in *fuzzInput) byte() byte {
	if in.pos >= len(in.data) {
		return 0
	}
	b := in.data[in.pos]
	in.pos++
	return b
}

// intn returns a value in 0..k-1.
func (in *fuzzInput) intn(k int) int { return int(in.byte()) % k }

// num returns a small number, usually 0..11, sometimes negative or huge.
func (in *fuzzInput) num() int {
	b := in.byte()
	switch {
	case b < 232:
		return int(b) % 12
	case b < 244:
		return -int(b - 231)
	case b < 250:
		return 1 << (int(b-244) * 8) // 1, 256, 65536, ...
	default:
		return int(^uint(0)>>1) - int(b-250) // near MaxInt
	}
}

// runFuzzStep is the body of FuzzStep. Crashers it found are kept as
// seeds in testdata/fuzz/FuzzStep, so that plain `go test` replays them.
func runFuzzStep(t *testing.T, data []byte) {
	in := &fuzzInput{data: data}
	size := 1 + in.intn(5)
	id := ID(1 + in.intn(size))
	rules := Rules(uint32(in.byte())|uint32(in.byte())<<8|uint32(in.byte())<<16) & (1<<numRules - 1)
	lo := 1 + in.intn(8)
	cfg := Config{
		ID:          id,
		Peers:       ids(size),
		ElectionMin: lo,
		ElectionMax: lo + in.intn(8),
		Heartbeat:   1 + in.intn(4),
		Rules:       rules,
		Rand:        rand.NewPCG(uint64(in.byte()), 1),
		MaxEntries:  in.intn(5),
	}
	hs := HardState{Term: in.intn(4), Vote: ID(in.intn(size + 1))}
	var log []Entry
	if hs.Term > 0 {
		term := 1
		for i := range in.intn(6) {
			term = min(hs.Term, term+in.intn(2))
			log = append(log, Entry{Index: i + 1, Term: term, Cmd: "d"})
		}
	}
	n, err := NewNode(cfg, hs, log)
	if err != nil {
		t.Fatalf("NewNode(%+v, %v, %v): %v", cfg, hs, log, err)
	}

	for ops := 0; in.more() && ops < 300; ops++ {
		switch in.intn(10) {
		case 0:
			n.Tick()
		case 1:
			if in.intn(2) == 0 {
				n.Advance(in.intn(40))
				if n.UntilTimer() < 1 {
					t.Fatalf("a timer is still due after Advance")
				}
			} else {
				n.Sync(in.intn(40))
			}
		case 2, 3, 4, 5:
			m := fuzzMessage(in, n, size)
			_ = n.Step(m) // errors are fine; panics are not
		case 6:
			_, _ = n.Propose(string(rune('a' + in.intn(26))))
		case 7:
			n.Campaign()
		case 8:
			rd := n.Ready()
			if n.HasReady() {
				t.Fatalf("HasReady() after Ready")
			}
			for _, m := range rd.Messages {
				if m.From != n.ID() || m.To == n.ID() || m.To < 1 || int(m.To) > size {
					t.Fatalf("node sent %v", m)
				}
			}
		case 9:
			switch in.intn(4) {
			case 0:
				n.SetRules(Rules(uint32(in.byte())|uint32(in.byte())<<8|uint32(in.byte())<<16) & (1<<numRules - 1))
			case 1:
				n.SetElectionTimer(in.num())
			case 2:
				n = n.Clone()
			case 3:
				_ = n.TransferLeadership(ID(in.num()))
			}
		}
		checkFuzzInvariants(t, n, cfg)
	}
}

// fuzzMessage builds a message for n: usually well-formed and about n's
// term, sometimes not.
func fuzzMessage(in *fuzzInput, n *Node, size int) Message {
	m := Message{Type: MsgType(in.intn(int(numMsgTypes) + 1)), To: n.ID()} // one type past the last
	switch in.intn(8) {
	case 0:
		m.From = ID(in.num())
	default:
		m.From = ID(1 + in.intn(size))
	}
	if in.intn(16) == 0 {
		m.To = ID(in.num())
	}
	switch in.intn(4) {
	case 0:
		m.Term = in.num()
	default:
		m.Term = max(0, n.Term()+in.intn(4)-1)
	}
	m.LastIndex, m.LastTerm = in.num(), in.num()
	m.PrevIndex, m.PrevTerm = in.num(), in.num()
	m.Commit = in.num()
	m.Reject = in.intn(2) == 0
	m.Transfer = in.intn(8) == 0
	m.Match, m.HintIndex, m.HintTerm = in.num(), in.num(), in.num()
	if m.Type == MsgApp {
		skew := 0
		if in.intn(8) == 0 {
			skew = in.num()
		}
		for i := range in.intn(5) {
			m.Entries = append(m.Entries, Entry{Index: m.PrevIndex + 1 + i + skew, Term: in.num(), Cmd: "e", Noop: in.intn(4) == 0})
		}
	}
	return m
}

// checkFuzzInvariants checks what must hold whatever the input.
func checkFuzzInvariants(t *testing.T, n *Node, cfg Config) {
	t.Helper()
	if n.Role() > PreCandidate {
		t.Fatalf("role %v", n.Role())
	}
	if n.Applied() != n.Commit() {
		t.Fatalf("applied %d, commit %d: the engine applies as it commits", n.Applied(), n.Commit())
	}
	if n.Term() < 0 {
		t.Fatalf("term %d", n.Term())
	}
	es := n.Log(1, n.LastIndex())
	if len(es) != n.LastIndex() {
		t.Fatalf("Log(1, %d) has %d entries", n.LastIndex(), len(es))
	}
	for i, e := range es {
		if e.Index != i+1 {
			t.Fatalf("entry %d has index %d", i+1, e.Index)
		}
	}
	if n.Role() == Leader && n.Leader() != n.ID() {
		t.Fatalf("leader %v names %v as leader", n.ID(), n.Leader())
	}
	if to := n.Transferee(); to != None && (n.Role() != Leader || to == n.ID() || !isIn(to, cfg.Peers)) {
		t.Fatalf("%v %v hands leadership to %v", n.Role(), n.ID(), to)
	}
	if u := n.UntilTimer(); u < 0 {
		t.Fatalf("UntilTimer() = %d", u)
	}
	// What the node would have persisted is enough to restart it.
	cfg.Rand = rand.NewPCG(1, 1)
	if _, err := NewNode(cfg, n.HardState(), es); err != nil {
		t.Fatalf("cannot restart from hard state %v and log %v: %v", n.HardState(), es, err)
	}
	// Its encoding is a clone's, and rebuilds a node that encodes alike.
	enc := n.AppendState(nil, nil)
	if c := n.Clone().AppendState(nil, nil); !bytes.Equal(c, enc) {
		t.Fatalf("a clone encodes as %x, the node as %x", c, enc)
	}
	cfg.Rand = rand.NewPCG(1, 1)
	if m, _, err := LoadState(cfg, enc); err != nil || !bytes.Equal(m.AppendState(nil, nil), enc) {
		t.Fatalf("cannot load the node's state %x: %v", enc, err)
	}
}
