// Package raft is a Raft consensus engine written as a pure state machine,
// in the spirit of etcd-io/raft's RawNode.
//
// A Node has no goroutines, no clock, no I/O and no global state. It is
// driven by inputs (Tick, Step, Propose, Campaign) and, after each input,
// hands back a Ready batch: the state that must be made durable, the
// messages to send once it is, newly committed entries to apply, and
// structured events describing what happened and why.
//
// Section numbers in comments (§5.4.1) refer to "In Search of an
// Understandable Consensus Algorithm" (Ongaro and Ousterhout, 2014).
package raft

import (
	"strconv"
	"strings"
)

// ID names a server. Servers are numbered from 1 (S1) to MaxServers (S9);
// 0 means "nobody" (no vote cast, no known leader).
type ID int

// MaxServers is the largest cluster the engine accepts.
const MaxServers = 9

// None is the zero ID: no server.
const None ID = 0

// String writes "S3" ("none" for 0). It is kept out of line: it is called
// from hundreds of places that format text, and inlining it there made the
// WebAssembly build markedly larger.
//
//go:noinline
func (id ID) String() string {
	if id == None {
		return "none"
	}
	return "S" + strconv.Itoa(int(id))
}

// ParseID reads "S3" (or "s3") as ID 3.
func ParseID(s string) (ID, bool) {
	if len(s) != 2 || (s[0] != 'S' && s[0] != 's') || s[1] < '1' || s[1] > '9' {
		return None, false
	}
	return ID(s[1] - '0'), true
}

// Role is a server's role in its current term (§5.1).
type Role uint8

const (
	Follower Role = iota
	Candidate
	Leader
	// PreCandidate is a server running a pre-vote round (the prevote rule):
	// it asks whether it could win before it disturbs anyone's term.
	PreCandidate
)

var roleNames = [...]string{"follower", "candidate", "leader", "precandidate"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "role(" + strconv.Itoa(int(r)) + ")"
}

// Entry is one log entry. An entry with Noop set is the empty entry a new
// leader appends when the leader-noop rule is on (§8); it carries no command.
type Entry struct {
	Index int
	Term  int
	Cmd   string
	Noop  bool
}

// String writes an entry as index/term "cmd", e.g. 5/3 "x" or 6/3 noop.
func (e Entry) String() string {
	var b strings.Builder
	e.appendTo(&b)
	return b.String()
}

func (e Entry) appendTo(b *strings.Builder) {
	b.WriteString(strconv.Itoa(e.Index))
	b.WriteByte('/')
	b.WriteString(strconv.Itoa(e.Term))
	b.WriteByte(' ')
	if e.Noop {
		b.WriteString("noop")
		return
	}
	b.WriteString(strconv.Quote(e.Cmd))
}

// HardState is what a server must keep on stable storage besides its log
// (Figure 2, "Persistent state on all servers").
type HardState struct {
	Term int
	Vote ID
}

func (h HardState) String() string {
	return "term=" + strconv.Itoa(h.Term) + " vote=" + h.Vote.String()
}

// MsgType is the kind of a message. Raft has two RPCs, RequestVote and
// AppendEntries (§5.1); each has a request and a response. The pre-vote
// round of the prevote rule reuses RequestVote's shape. TimeoutNow is a
// leadership transfer's last step (dissertation §3.10): the leader tells
// the server it hands over to to start an election at once; it has no
// response.
type MsgType uint8

const (
	MsgVote MsgType = iota
	MsgVoteResp
	MsgApp
	MsgAppResp
	MsgPreVote
	MsgPreVoteResp
	MsgTimeoutNow

	numMsgTypes
)

var msgTypeNames = [numMsgTypes]string{"RequestVote", "RequestVoteResp", "AppendEntries", "AppendEntriesResp", "PreVote", "PreVoteResp", "TimeoutNow"}

func (t MsgType) String() string {
	if int(t) < len(msgTypeNames) {
		return msgTypeNames[t]
	}
	return "msg(" + strconv.Itoa(int(t)) + ")"
}

// IsResponse reports whether t answers a request.
func (t MsgType) IsResponse() bool {
	return t == MsgVoteResp || t == MsgAppResp || t == MsgPreVoteResp
}

// Message is one RPC request or response. Only the fields of its type are
// meaningful; the rest are zero.
type Message struct {
	Type MsgType
	From ID
	To   ID
	Term int

	// RequestVote and PreVote: the candidate's last log entry (§5.4.1).
	LastIndex int
	LastTerm  int
	// RequestVote: the election was started by a leadership transfer
	// (TimeoutNow), so a voter hears it even while it hears from a leader
	// (the vote-lease rule; dissertation §4.2.3: "I have permission to
	// disrupt the leader").
	Transfer bool

	// AppendEntries: the entry before Entries, the entries, and the
	// leader's commitIndex. With no entries it is a heartbeat.
	PrevIndex int
	PrevTerm  int
	Entries   []Entry
	Commit    int

	// Responses. Reject is false for a granted vote or a successful append.
	Reject bool
	// AppendEntries response: on success, the index up to which the
	// follower's log now matches the leader's. On rejection, a hint to back
	// up faster (§5.3, "the follower can include the term of the conflicting
	// entry and the first index it stores for that term"): HintTerm is the
	// term of the follower's entry at PrevIndex (0 if its log is shorter)
	// and HintIndex the first index of that term in its log (or its last
	// index + 1 if the log is shorter).
	Match     int
	HintTerm  int
	HintIndex int
}

// IsHeartbeat reports whether m is an AppendEntries with no entries.
func (m Message) IsHeartbeat() bool {
	return m.Type == MsgApp && len(m.Entries) == 0
}

// String writes m compactly, e.g.
// S1->S2 AppendEntries term=3 prev=4/2 entries=[5/3 "x"] commit=4, or
// S1->S3 TimeoutNow term=3.
func (m Message) String() string {
	var b strings.Builder
	b.WriteString(m.From.String())
	b.WriteString("->")
	b.WriteString(m.To.String())
	b.WriteByte(' ')
	b.WriteString(m.Type.String())
	b.WriteString(" term=")
	b.WriteString(strconv.Itoa(m.Term))
	switch m.Type {
	case MsgVote, MsgPreVote:
		b.WriteString(" last=")
		b.WriteString(strconv.Itoa(m.LastIndex))
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(m.LastTerm))
		if m.Transfer {
			b.WriteString(" transfer")
		}
	case MsgApp:
		b.WriteString(" prev=")
		b.WriteString(strconv.Itoa(m.PrevIndex))
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(m.PrevTerm))
		b.WriteString(" entries=[")
		const show = 4
		for i, e := range m.Entries {
			if i == show {
				b.WriteString(" …+")
				b.WriteString(strconv.Itoa(len(m.Entries) - show))
				break
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			e.appendTo(&b)
		}
		b.WriteString("] commit=")
		b.WriteString(strconv.Itoa(m.Commit))
	case MsgVoteResp, MsgPreVoteResp:
		if m.Reject {
			b.WriteString(" denied")
		} else {
			b.WriteString(" granted")
		}
	case MsgAppResp:
		if m.Reject {
			b.WriteString(" rejected hint=")
			b.WriteString(strconv.Itoa(m.HintIndex))
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(m.HintTerm))
		} else {
			b.WriteString(" match=")
			b.WriteString(strconv.Itoa(m.Match))
		}
	}
	return b.String()
}
