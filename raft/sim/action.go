package sim

import (
	"strconv"
	"strings"

	"raftplay/raft"
)

// ActionKind is a kind of learner (or fault-injector) action.
type ActionKind uint8

const (
	ActTimeout     ActionKind = iota // Server starts an election now
	ActPropose                       // Cmd to Server (None: to the leader)
	ActCrash                         // Server crashes (BeforeSend: at its next step, after persisting)
	ActRestart                       // Server restarts from its durable state
	ActPartition                     // Groups replace any partition; unnamed servers stand alone
	ActIsolate                       // Server is cut from all others
	ActLinkDown                      // From->To messages are lost
	ActLinkUp                        // From->To messages flow again
	ActHeal                          // clear partitions, isolation and link cuts
	ActDrop                          // loss rate Rate from now on
	ActDuplicate                     // duplication rate Rate from now on
	ActLatency                       // latency Min-Max from now on
	ActDropNext                      // the next message delivered From->To is lost
	ActRule                          // Rule switched On or off
	ActTimer                         // Server's election timer fires in Delay ms
	ActDropMessage                   // the in-flight message with id MsgID is lost

	numActions
)

var actionNames = [numActions]string{
	"timeout", "propose", "crash", "restart", "partition", "isolate",
	"link-down", "link-up", "heal", "drop", "duplicate", "latency",
	"drop-next", "rule", "timer", "drop-message",
}

func (k ActionKind) String() string {
	if k < numActions {
		return actionNames[k]
	}
	return "action(" + strconv.Itoa(int(k)) + ")"
}

// Action is one thing done to the cluster from outside.
type Action struct {
	Kind       ActionKind
	Server     raft.ID
	From, To   raft.ID
	Groups     [][]raft.ID
	Cmd        string
	BeforeSend bool
	Rate       float64
	Min, Max   int
	Rule       raft.Rule
	On         bool
	Delay      int
	MsgID      uint64
}

// String describes a compactly for traces and messages, e.g. "crash S1
// before-send" or `propose "x"`. It reads like the scenario language but
// is not written to be parsed: the scenario package alone writes
// scenario text (scenario.CommandOf(a).String()).
func (a Action) String() string {
	switch a.Kind {
	case ActTimeout:
		return "timeout " + a.Server.String()
	case ActPropose:
		s := "propose " + strconv.Quote(a.Cmd)
		if a.Server != raft.None {
			s += " to " + a.Server.String()
		}
		return s
	case ActCrash:
		if a.BeforeSend {
			return "crash " + a.Server.String() + " before-send"
		}
		return "crash " + a.Server.String()
	case ActRestart:
		return "restart " + a.Server.String()
	case ActPartition:
		var b strings.Builder
		b.WriteString("partition")
		for i, g := range a.Groups {
			if i > 0 {
				b.WriteString(" |")
			}
			for _, id := range g {
				b.WriteByte(' ')
				b.WriteString(id.String())
			}
		}
		return b.String()
	case ActIsolate:
		return "isolate " + a.Server.String()
	case ActLinkDown:
		return "link " + a.From.String() + "->" + a.To.String() + " down"
	case ActLinkUp:
		return "link " + a.From.String() + "->" + a.To.String() + " up"
	case ActHeal:
		return "heal"
	case ActDrop:
		return "drop " + strconv.FormatFloat(a.Rate, 'g', -1, 64)
	case ActDuplicate:
		return "duplicate " + strconv.FormatFloat(a.Rate, 'g', -1, 64)
	case ActLatency:
		return "latency " + rangeString(a.Min, a.Max)
	case ActDropNext:
		return "drop next " + a.From.String() + "->" + a.To.String()
	case ActRule:
		if a.On {
			return "rule " + a.Rule.String() + " on"
		}
		return "rule " + a.Rule.String() + " off"
	case ActTimer:
		return "timer " + a.Server.String() + " " + strconv.Itoa(a.Delay) + "ms"
	case ActDropMessage:
		return "drop message " + strconv.FormatUint(a.MsgID, 10)
	}
	return a.Kind.String()
}
