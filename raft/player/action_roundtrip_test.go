package player

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"raftplay/raft"
	"raftplay/raft/scenario"
	"raftplay/raft/sim"
)

// randomAction makes a valid action of any kind, with awkward commands.
func randomAction(r *rand.Rand) sim.Action {
	id := func() raft.ID { return raft.ID(1 + r.IntN(9)) }
	cmds := []string{"x", "set_x-1.5", "set x 1", "S1", "s2", "to", "and", "within", "on", "when", "empty", "off",
		"before-send", "after-send", "1st", "5", "300ms", "-", ".", "中文", "a\"b", `back\slash`, "tab\there", "é", "x:y", "#1", "|"}
	switch k := sim.ActionKind(r.IntN(int(sim.ActClient) + 1)); k {
	case sim.ActTimeout, sim.ActRestart, sim.ActIsolate, sim.ActHeartbeat:
		return sim.Action{Kind: k, Server: id()}
	case sim.ActPropose:
		a := sim.Action{Kind: k, Cmd: cmds[r.IntN(len(cmds))]}
		if r.IntN(2) == 0 {
			a.Server = id()
		}
		return a
	case sim.ActCrash:
		w := r.IntN(3)
		return sim.Action{Kind: k, Server: id(), BeforeSend: w == 1, AfterSend: w == 2}
	case sim.ActPartition:
		perm := r.Perm(9)
		cut := 1 + r.IntN(8)
		var g1, g2 []raft.ID
		for i, p := range perm[:1+r.IntN(9)] {
			if i < cut {
				g1 = append(g1, raft.ID(p+1))
			} else {
				g2 = append(g2, raft.ID(p+1))
			}
		}
		if len(g2) == 0 {
			g2, g1 = g1[len(g1)-1:], g1[:len(g1)-1]
		}
		if len(g1) == 0 {
			return sim.Action{Kind: sim.ActHeal}
		}
		return sim.Action{Kind: k, Groups: [][]raft.ID{g1, g2}}
	case sim.ActLinkDown, sim.ActLinkUp, sim.ActDropNext, sim.ActLinkDrop:
		from := id()
		to := raft.ID(1 + (int(from)+r.IntN(8))%9)
		a := sim.Action{Kind: k, From: from, To: to, Both: k != sim.ActDropNext && r.IntN(2) == 0}
		if k == sim.ActLinkDrop {
			a.Rate = []float64{0, 0.05, 0.1, 0.333, 1}[r.IntN(5)]
		}
		return a
	case sim.ActElection:
		lo := 1 + r.IntN(2000)
		return sim.Action{Kind: k, Min: lo, Max: lo + r.IntN(3000)}
	case sim.ActDeliver, sim.ActDropOne, sim.ActDuplicateOne:
		from := id()
		to := raft.ID(1 + (int(from)+r.IntN(8))%9)
		kinds := sim.MsgKindNames()
		kind, _ := sim.ParseMsgKind(kinds[r.IntN(len(kinds))])
		return sim.Action{Kind: k, From: from, To: to, Msg: kind, Nth: []int{0, 0, 1, 2, 17, 1_000_000_000}[r.IntN(6)]}
	case sim.ActTransfer:
		from := id()
		return sim.Action{Kind: k, Server: from, To: raft.ID(1 + (int(from)+r.IntN(8))%9)}
	case sim.ActClient:
		return sim.Action{Kind: k, Delay: []int{0, sim.MinClientEvery, 100, 1500, 12_345, sim.MaxClientEvery}[r.IntN(6)]}
	case sim.ActNetworkManual, sim.ActNetworkAuto:
		return sim.Action{Kind: k}
	case sim.ActDrop, sim.ActDuplicate:
		return sim.Action{Kind: k, Rate: []float64{0, 0.05, 0.1, 0.333, 1}[r.IntN(5)]}
	case sim.ActLatency:
		lo := r.IntN(500)
		return sim.Action{Kind: k, Min: lo, Max: lo + r.IntN(3000)}
	case sim.ActRule:
		rules := raft.AllRules()
		return sim.Action{Kind: k, Rule: rules[r.IntN(len(rules))], On: r.IntN(2) == 0}
	case sim.ActTimer:
		return sim.Action{Kind: k, Server: id(), Delay: 1 + r.IntN(90_000)}
	case sim.ActDropMessage:
		return sim.Action{Kind: k, MsgID: uint64(1 + r.IntN(1_000_000))}
	default:
		return sim.Action{Kind: sim.ActHeal}
	}
}

// The scenario package is the one writer of scenario text: every action,
// written as a command (as recordings, share links, solution codes and
// the shrinker write it), parses back to the same action.
func TestActionsRoundTripThroughScenarioText(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	for i := 0; i < 5000; i++ {
		a := randomAction(r)
		text := CommandOf(a).String()
		cmd, err := scenario.ParseCommand(text, 9)
		if err != nil {
			t.Fatalf("%+v written as %q does not parse: %v", a, text, err)
		}
		if back := ActionOf(&cmd); !reflect.DeepEqual(back, a) {
			t.Fatalf("%+v written as %q reads back as %+v", a, text, back)
		}
	}
}
