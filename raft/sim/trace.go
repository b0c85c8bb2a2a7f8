package sim

import (
	"strconv"

	"raftplay/raft"
)

// RecordKind says what a trace record holds.
type RecordKind uint8

const (
	RecEvent     RecordKind = iota // Event: something a node did
	RecAction                      // Action: done from outside
	RecLost                        // Msg was lost at delivery, for reason Loss
	RecViolation                   // Violation: an invariant broke
	// RecEngineError: the engine refused Msg (Err says why). The
	// simulator carries only messages that nodes made, so this means the
	// engine is broken: it is recorded apart from every loss, counted
	// (Cluster.EngineErrors) and fails the sweep.
	RecEngineError
	// RecUnwritten: a server crashed after sending and before writing
	// (persist-before-send off); Unwritten says what it lost.
	RecUnwritten
	// RecClient: the client workload (client.go) sent a request. Action
	// is the proposal it amounts to (Server, Cmd). When Server is down,
	// Loss is LossDown (the request is lost) and To is the server the
	// client tries next; otherwise To is Server.
	RecClient
)

// Loss says why a message was not delivered.
type Loss uint8

const (
	LossCut      Loss = iota + 1 // a partition, isolation or link cut
	LossRandom                   // the network's loss rate
	LossDown                     // the receiver was crashed
	LossDropNext                 // a "drop next" on that link
	LossByHand                   // dropped by hand while in flight
	LossCrashed                  // the sender crashed before sending it
	LossFlaky                    // the link's own loss rate (a flaky link)
)

var lossNames = [...]string{"", "cut", "random", "receiver-down", "drop-next", "by-hand", "sender-crashed", "flaky-link"}

func (l Loss) String() string {
	if int(l) < len(lossNames) {
		return lossNames[l]
	}
	return "loss"
}

// Record is one line of the trace.
type Record struct {
	Time int
	// Seq is the number of the event (message delivery, timer firing or
	// client request) during which this happened, counting from 1; for an
	// action, the number of events before it.
	Seq       int
	Kind      RecordKind
	Event     raft.Event
	Action    *Action // RecAction; RecClient: the proposal a client request amounts to
	Msg       *raft.Message
	Loss      Loss
	Violation *Violation
	Err       string     // RecEngineError: the engine's error
	Unwritten *Unwritten // RecUnwritten
}

// String writes the record compactly, e.g. "t=153 #12 S2 became-candidate term=1".
func (r Record) String() string {
	head := "t=" + strconv.Itoa(r.Time) + " #" + strconv.Itoa(r.Seq) + " "
	switch r.Kind {
	case RecEvent:
		return head + r.Event.String()
	case RecAction, RecClient:
		what := "action "
		if r.Kind == RecClient {
			what = "client "
		}
		return head + what + r.Action.String()
	case RecLost:
		return head + "lost " + r.Msg.String() + " (" + r.Loss.String() + ")"
	case RecViolation:
		return head + "VIOLATION " + r.Violation.String()
	case RecEngineError:
		return head + "ENGINE ERROR " + r.Msg.String() + ": " + r.Err
	case RecUnwritten:
		return head + "UNWRITTEN " + r.Unwritten.String()
	}
	return head + "?"
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
