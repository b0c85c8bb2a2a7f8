package raft

// This file holds the node's output: what its inputs produced, collected
// until the driver takes it with Ready.

// Ready is the output of the inputs since the last call: the durable state
// to write, then the messages to send, the entries to apply and the events.
// Its slices are valid until the next input to the node.
type Ready struct {
	// HardState is set (HardStateChanged) when term or vote changed.
	HardState        HardState
	HardStateChanged bool
	// Entries must be written to stable storage, replacing every stored
	// entry from Entries[0].Index on (a truncation shows up as entries that
	// overwrite the old ones; TruncateTo says how long the log is now, for
	// truncations with nothing appended).
	Entries    []Entry
	TruncateTo int
	// Messages may be sent once the above is durable.
	Messages []Message
	// CommittedEntries were committed and applied in this step.
	CommittedEntries []Entry
	Events           []Event
}

// HasReady reports whether there is anything in Ready.
func (n *Node) HasReady() bool {
	return n.hardDirty || n.unstable != 0 || len(n.msgs) > 0 || len(n.events) > 0
}

// Ready returns what has accumulated and clears it.
func (n *Node) Ready() Ready {
	rd := Ready{
		HardState:        n.HardState(),
		HardStateChanged: n.hardDirty,
		Messages:         n.msgs,
		Events:           n.events,
		TruncateTo:       -1,
	}
	if n.unstable != 0 {
		rd.TruncateTo = n.log.Len()
		if n.unstable <= n.log.Len() {
			rd.Entries = n.log.Slice(n.unstable-1, n.log.Len())
		}
	}
	n.applyBuf = n.applyBuf[:0]
	for _, e := range n.events {
		if e.Kind == EvApplied {
			n.applyBuf = append(n.applyBuf, e.Entries...)
		}
	}
	if len(n.applyBuf) > 0 {
		rd.CommittedEntries = n.applyBuf
	}
	n.msgs = n.msgs[:0]
	n.events = n.events[:0]
	n.hardDirty = false
	n.unstable = 0
	return rd
}

// emit records an event of this node. It is kept out of line: made inline
// at each of its many callers, with an Event literal each, it made the
// WebAssembly build tens of kilobytes larger, and the natively measured
// speed of the simulator and the explorer did not change without it.
//
//go:noinline
func (n *Node) emit(e Event) {
	e.Node = n.id
	e.Term = n.term
	if e.Kind != EvTimeout {
		e.Role = n.role
	}
	n.events = append(n.events, e)
}

func (n *Node) send(m Message) {
	m.From = n.id
	if m.Term == 0 {
		m.Term = n.term
	}
	n.msgs = append(n.msgs, m)
}
