// Package scenario is the playground's scenario language: small scripts
// that set up a simulated Raft cluster, act on it, advance virtual time and
// check what happened. See docs/scenarios.md for the language reference.
//
// Parse and ParseMarkdown produce a typed AST (Scenario, Command, Cond),
// with at most one error a line (ErrorList) and suggestions for misspelt
// words; ParseCommand reads one command, and ParseDuration a duration.
// Format and the String methods print an AST back as canonical text that
// parses to an equal AST, and are the only writers of scenario text.
//
// The package reads and writes the language only: playing a scenario on
// the simulator is the work of package raftplay/raft/player.
package scenario

import (
	"strconv"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// Limits on input size. Inputs beyond them are rejected with an error.
const (
	MaxLineBytes = 4096       // bytes in one line
	MaxLines     = 10000      // lines in one file
	MaxSteps     = 1000000    // N in "step N"
	MaxDuration  = 86400000   // 24h, in milliseconds
	MaxTextRunes = 1000       // runes in a quoted string or a command
	MaxNumber    = 1000000000 // terms, indexes and other counts
	MaxErrors    = 10         // errors collected before parsing stops
)

// DefaultWithin is the limit of "run until" without "within", in ms.
const DefaultWithin = 10000

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// bytes (a tab and each byte of a multi-byte UTF-8 character count as one
// column each), so Col is the byte offset in the line plus 1.
type Pos struct {
	File string
	Line int
	Col  int
}

// String writes file:line:col (leaving out an empty file or a zero column).
func (p Pos) String() string {
	s := strconv.Itoa(p.Line)
	if p.Col > 0 {
		s += ":" + strconv.Itoa(p.Col)
	}
	if p.File != "" {
		s = p.File + ":" + s
	}
	return s
}

func (p Pos) before(q Pos) bool {
	return p.Line < q.Line || (p.Line == q.Line && p.Col < q.Col)
}

// Cluster holds the settings of the "cluster" line. Times are virtual
// milliseconds; Drop and Duplicate are probabilities in [0, 1].
type Cluster struct {
	N                        int // servers S1..SN, 1..9
	Seed                     uint64
	SeedGiven                bool // the cluster line pins seed= (check -seeds keeps it)
	ElectionMin, ElectionMax int
	Heartbeat                int
	LatencyMin, LatencyMax   int
	Drop, Duplicate          float64
}

// DefaultCluster returns the settings used when a scenario has no
// "cluster" line, and for the options a "cluster" line leaves out.
// They are the simulator's defaults (sim.DefaultConfig), defined there.
func DefaultCluster() Cluster {
	d := sim.DefaultConfig()
	return Cluster{
		N:           d.Servers,
		Seed:        d.Seed,
		ElectionMin: d.ElectionMin,
		ElectionMax: d.ElectionMax,
		Heartbeat:   d.Heartbeat,
		LatencyMin:  d.LatencyMin,
		LatencyMax:  d.LatencyMax,
		Drop:        d.Drop,
		Duplicate:   d.Duplicate,
	}
}

// Scenario is one parsed scenario: a .raft file or one ```raft block of a
// markdown file.
type Scenario struct {
	File string // file name as given to Parse or ParseMarkdown
	Line int    // first line: 1 for a .raft file, the opening fence line in markdown
	Info string // markdown only: the fence's info string after "raft"

	Cluster      Cluster
	ClusterGiven bool // whether the scenario has a "cluster" line
	ClusterPos   Pos

	Title string // "title" text, or ""

	// Batch is the "batch" line's size: an AppendEntries carries at most
	// Batch entries (0: no batch line, the engine's default).
	Batch    int
	BatchPos Pos

	// Commands is the main script in order. It holds everything that
	// happens when the scenario is played: rule, timer, actions, time,
	// expect, say, pause and question commands.
	Commands []Command

	// Exercise parts. A scenario with a Goal is an exercise.
	Goal       *Cond
	GoalPos    Pos      // position of the "goal" keyword
	GoalWhy    string   // the "why" line after the goal: why it holds, shown when it is reached
	Allow      []string // action words the player may use (see ActionWords)
	AllowGiven bool     // false: every action is allowed
	AllowPos   Pos
	Hints      []string
	Solution   []Command // the reference solution: the lines after "solution"

	// Questions of predict-then-run, in order. Each also appears in
	// Commands as a CmdQuestion at the point where it is asked.
	Questions []*Question
}

// IsExercise reports whether s has a goal.
func (s *Scenario) IsExercise() bool { return s.Goal != nil }

// Allows reports whether the player of exercise s may use commands of
// kind k. Non-action commands (run, step, ...) are always allowed; actions
// are allowed when there is no allow line or it lists their word.
func (s *Scenario) Allows(k CommandKind) bool {
	w := k.ActionWord()
	if w == "" || !s.AllowGiven {
		return true
	}
	for _, a := range s.Allow {
		if a == w {
			return true
		}
	}
	return false
}

// Question is a predict-then-run question with its choices.
type Question struct {
	Pos     Pos
	Text    string
	Choices []Choice
}

// Choice is one answer of a question; it is right when When holds after
// the scenario runs on.
type Choice struct {
	Pos  Pos
	Text string
	When Cond
	Why  string // the "why" line after the choice: shown when the answer is revealed
}

// CommandKind says which command a Command is.
type CommandKind uint8

// Command kinds. The comment lists the Command fields each kind uses.
const (
	CmdInvalid     CommandKind = iota
	CmdRule                    // Rule, On
	CmdTimer                   // Server, Dur
	CmdTimeout                 // Server
	CmdPropose                 // Cmd, Server (None: no "to", the interpreter picks)
	CmdCrash                   // Server, BeforeSend or AfterSend
	CmdRestart                 // Server
	CmdPartition               // Groups
	CmdIsolate                 // Server
	CmdLink                    // From, To, On (true: up, false: down)
	CmdHeal                    //
	CmdDrop                    // Rate
	CmdDuplicate               // Rate
	CmdLatency                 // Min, Max
	CmdDropNext                // From, To
	CmdRun                     // Dur
	CmdStep                    // N (>= 1)
	CmdRunUntil                // Cond, Dur (the limit; DefaultWithin when not given)
	CmdExpect                  // Cond
	CmdSay                     // Text
	CmdPause                   //
	CmdQuestion                // Text, Question
	CmdDropMessage             // N: the id of a message in flight (as the player shows it)
	// The manual network (see docs/scenarios.md, "Manual network").
	CmdNetwork      // On: manual (true) or auto (false)
	CmdHeartbeat    // Server
	CmdDeliver      // From, To, Msg, N: the message's place among those of its type on the link (0: the only one)
	CmdDropOne      // From, To, Msg, N, as deliver
	CmdDuplicateOne // From, To, Msg, N, as deliver
	// Partial connectivity and the timing requirement.
	CmdLinkDrop // From, To, Both, Rate: the link's own loss rate
	CmdElection // Min, Max: the election timeout range from each server's next draw
	// Leadership transfer.
	CmdTransfer // Server (the leader), To: leadership transfer (dissertation §3.10)
	// The client workload.
	CmdClient // Dur: a client sends a request every Dur ms (0: client off)
	numCommandKinds
)

var commandNames = [numCommandKinds]string{
	CmdInvalid:     "invalid",
	CmdRule:        "rule",
	CmdTimer:       "timer",
	CmdTimeout:     "timeout",
	CmdPropose:     "propose",
	CmdCrash:       "crash",
	CmdRestart:     "restart",
	CmdPartition:   "partition",
	CmdIsolate:     "isolate",
	CmdLink:        "link",
	CmdHeal:        "heal",
	CmdDrop:        "drop",
	CmdDuplicate:   "duplicate",
	CmdLatency:     "latency",
	CmdDropNext:    "drop next",
	CmdRun:         "run",
	CmdStep:        "step",
	CmdRunUntil:    "run until",
	CmdExpect:      "expect",
	CmdSay:         "say",
	CmdPause:       "pause",
	CmdQuestion:    "question",
	CmdDropMessage: "drop message",
	// The words that start the line; String adds the rest.
	CmdNetwork:      "network",
	CmdHeartbeat:    "heartbeat",
	CmdDeliver:      "deliver",
	CmdDropOne:      "drop",
	CmdDuplicateOne: "duplicate",
	CmdLinkDrop:     "link",
	CmdElection:     "election",
	CmdTransfer:     "transfer",
	CmdClient:       "client",
}

// String returns the command's keyword(s), e.g. "drop next".
func (k CommandKind) String() string {
	if k < numCommandKinds {
		return commandNames[k]
	}
	return "command(" + strconv.Itoa(int(k)) + ")"
}

// ActionWords are the words an "allow" line may list, in canonical order.
// Each names a group of commands (see CommandKind.ActionWord).
var ActionWords = []string{
	"timeout", "propose", "crash", "restart", "partition", "isolate", "link",
	"heal", "drop", "duplicate", "latency", "election", "rule", "timer",
	"network", "heartbeat", "deliver", "transfer", "client",
}

// ActionWord returns the allow word that covers kind k ("drop" for every
// form of drop, "duplicate" for both of duplicate), or "" if k is not an
// action (run, step, expect, ...).
func (k CommandKind) ActionWord() string {
	switch k {
	case CmdRule, CmdTimer, CmdTimeout, CmdPropose, CmdCrash, CmdRestart,
		CmdPartition, CmdIsolate, CmdLink, CmdHeal, CmdDrop, CmdDuplicate,
		CmdLatency, CmdNetwork, CmdHeartbeat, CmdDeliver, CmdDropOne, CmdDuplicateOne,
		CmdLinkDrop, CmdElection, CmdTransfer, CmdClient:
		return commandNames[k]
	case CmdDropNext, CmdDropMessage:
		return "drop"
	}
	return ""
}

// IsAction reports whether k changes the cluster or its network.
func (k CommandKind) IsAction() bool { return k.ActionWord() != "" }

// IsTime reports whether k advances virtual time (run, step, run until).
func (k CommandKind) IsTime() bool { return k == CmdRun || k == CmdStep || k == CmdRunUntil }

// Command is one line of a script. Which fields are set depends on Kind
// (see the CommandKind constants); the rest are zero.
type Command struct {
	Pos  Pos
	Kind CommandKind

	Server     raft.ID     // timer, timeout, propose ... to, crash, restart, isolate, heartbeat, transfer
	From, To   raft.ID     // link, drop next, deliver, drop and duplicate of one message; To: transfer
	Both       bool        // link: both ways (S1<->S2), From->To and To->From
	Msg        sim.MsgKind // deliver, drop and duplicate of one message: its type
	Groups     [][]raft.ID // partition: at least two non-empty groups
	Rule       raft.Rule   // rule
	On         bool        // rule: on; link: up; network: manual
	Cmd        string      // propose: the command
	Dur        int         // timer, run: duration; run until: limit; client: the interval, 0 for off (ms)
	N          int         // step: event count; drop message: the id; deliver, drop, duplicate: the place (0: none given)
	Rate       float64     // drop, duplicate: probability
	Min, Max   int         // latency, election: the range (ms)
	BeforeSend bool        // crash ... before-send
	AfterSend  bool        // crash ... after-send
	Cond       *Cond       // run until, expect
	Text       string      // say, question
	Question   *Question   // question: the same pointer as in Scenario.Questions
}

// Cond is a condition: a conjunction of atoms joined by "and".
type Cond struct {
	Pos   Pos
	Terms []Atom
}

// AtomKind says which condition an Atom is.
type AtomKind uint8

// Atom kinds. The comment lists the Atom fields each kind uses.
const (
	AtomInvalid   AtomKind = iota
	AtomLeader             // Server (a specific leader), None (no leader), or neither (some leader)
	AtomRole               // Server, Role
	AtomTerm               // Server (None: the highest term of any server), Op, N
	AtomCommitted          // N; Servers (on S1 S2) or All (on all) or neither (a majority)
	AtomLog                // Server, Entries (empty: "log S1 empty")
	AtomApplied            // Server, Cmds (empty: "applied S1 empty")
	AtomSafe               //
	AtomViolation          // Name ("": any violation)
	AtomCrashed            // Server
	AtomUp                 // Server
	AtomLeads              // Server: its role is leader, whatever other servers' terms
	AtomVotedFor           // Server, Peer (None: "none"): its votedFor, as on its disk (so also while crashed)
	AtomTime               // Op, N (milliseconds): the virtual time now; with a state, it tells a cluster that stays stuck from one that passes through it
	// History conditions: they hold once the thing has happened (and
	// follow the run back when it is rewound).
	AtomElected  // Server, InTerm (0: any term): Server became leader
	AtomVoted    // Server (voter), Peer (candidate), InTerm: the vote was granted
	AtomDenied   // Server (voter), Peer (candidate), InTerm, Reason (ReasonNone: any)
	AtomRemoved  // Server, Entries (one): Server removed that entry from its log
	AtomHeld     // Server (leader), N (an index): the leader saw it on a majority and did not commit it (an earlier term's entry, §5.4.2)
	AtomRejected // Server (follower), Peer (leader), InTerm, Reason: the consistency check refused an AppendEntries
	// Counts since time 0 (they too follow the run back when it is
	// rewound).
	AtomElections // Op, N: leaders elected, the first included
	AtomAnswered  // Op, N: client requests answered
	numAtomKinds
)

var atomNames = [numAtomKinds]string{
	AtomInvalid:   "invalid",
	AtomLeader:    "leader",
	AtomRole:      "role",
	AtomTerm:      "term",
	AtomCommitted: "committed",
	AtomLog:       "log",
	AtomApplied:   "applied",
	AtomSafe:      "safe",
	AtomViolation: "violation",
	AtomCrashed:   "crashed",
	AtomUp:        "up",
	AtomLeads:     "leads",
	AtomVotedFor:  "votedfor",
	AtomElected:   "elected",
	AtomVoted:     "voted",
	AtomDenied:    "denied",
	AtomRemoved:   "removed",
	AtomRejected:  "rejected",
	AtomHeld:      "held",
	AtomTime:      "time",
	AtomElections: "elections",
	AtomAnswered:  "answered",
}

// String returns the atom's keyword.
func (k AtomKind) String() string {
	if k < numAtomKinds {
		return atomNames[k]
	}
	return "atom(" + strconv.Itoa(int(k)) + ")"
}

// Atom is one condition of a Cond.
type Atom struct {
	Pos     Pos
	Kind    AtomKind
	Server  raft.ID
	Servers []raft.ID
	All     bool
	Role    raft.Role
	N       int
	Op      string // term, time, elections, answered: "=", "!=", "<", "<=", ">" or ">="
	Entries []LogEntry
	Cmds    []string
	Name    string
	None    bool
	Peer    raft.ID     // voted, denied: the candidate; rejected: the leader
	InTerm  int         // elected, voted, denied, rejected: "in TERM" (0: any term)
	Reason  raft.Reason // denied, rejected: "because REASON" (ReasonNone: any reason)
}

// LogEntry is one expected entry of a "log" condition: term:command, or
// term:- for an empty (noop) entry.
type LogEntry struct {
	Term int
	Cmd  string
	Noop bool
}

// Ops are the comparisons a "term", "time", "elections" or "answered"
// condition accepts.
var Ops = []string{"=", "!=", "<", "<=", ">", ">="}

// ViolationNames are the safety properties a "violation NAME" condition
// may name: the simulator's invariants, named there.
var ViolationNames = sim.InvariantNames()
