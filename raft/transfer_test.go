package raft

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// transferCluster is a three-server cluster whose S1 leads term 1 and has
// committed the commands of cmds on every server.
func transferCluster(t *testing.T, cmds []string, opts ...nodeOpt) *cluster {
	t.Helper()
	c := newCluster(t, 3, opts...)
	c.nodes[1].Campaign()
	c.deliver()
	for _, cmd := range cmds {
		if _, err := c.nodes[1].Propose(cmd); err != nil {
			t.Fatal(err)
		}
		c.deliver()
	}
	c.nodes[1].FireHeartbeat() // the followers learn the last commit index
	c.deliver()
	for _, id := range ids(3) {
		if n := c.nodes[id]; n.Commit() != len(cmds) {
			t.Fatalf("%v committed %d of %d entries", id, n.Commit(), len(cmds))
		}
	}
	wantState(t, c.nodes[1], Leader, 1, 1, 1)
	return c
}

// stepAll delivers the messages queued and records every event on the way.
func (c *cluster) stepAll(events *[]Event) {
	c.t.Helper()
	for _, id := range ids(len(c.nodes)) {
		rd := drain(c.nodes[id])
		c.queue = append(c.queue, rd.Messages...)
		*events = append(*events, rd.Events...)
	}
	for steps := 0; len(c.queue) > 0; steps++ {
		if steps > 10000 {
			c.t.Fatalf("network did not settle")
		}
		m := c.queue[0]
		c.queue = c.queue[1:]
		if c.drop != nil && c.drop(m) {
			continue
		}
		mustStep(c.t, c.nodes[m.To], m)
		rd := drain(c.nodes[m.To])
		c.queue = append(c.queue, rd.Messages...)
		*events = append(*events, rd.Events...)
	}
}

// §3.10, to a follower whose log already matches: the leader sends
// TimeoutNow at once, the follower starts an election without waiting for
// its timer, wins it with every vote, and the old leader follows it. No
// entry is lost, and the new leader takes commands at once.
func TestTransferToAnUpToDateFollower(t *testing.T) {
	c := transferCluster(t, []string{"x", "y"})
	l := c.nodes[1]
	if err := l.TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	if l.Transferee() != 3 {
		t.Errorf("Transferee() = %v, want S3", l.Transferee())
	}
	rd := drain(l)
	wantKinds(t, rd.Events, EvTransferStarted, EvTimeoutNow)
	wantEvent(t, rd.Events, Event{Kind: EvTransferStarted, Node: 1, Term: 1, Role: Leader, Peer: 3, Index: 2, Last: 2})
	wantEvent(t, rd.Events, Event{Kind: EvTimeoutNow, Node: 1, Term: 1, Role: Leader, Peer: 3, Index: 2})
	wantMsgs(t, rd.Messages, Message{Type: MsgTimeoutNow, From: 1, To: 3, Term: 1})

	var evs []Event
	c.queue = append(c.queue, rd.Messages...)
	c.stepAll(&evs)
	wantEvent(t, evs, Event{Kind: EvBecameCandidate, Node: 3, Term: 2, Role: Candidate, Peer: 1, Reason: ReasonTransfer})
	wantNoEvent(t, evs, EvTimeout) // no timer ran out: TimeoutNow did it
	wantState(t, c.nodes[3], Leader, 2, 3, 3)
	wantState(t, l, Follower, 2, 3, 3)
	if l.Transferee() != None {
		t.Errorf("the old leader still transfers to %v", l.Transferee())
	}
	if _, err := c.nodes[3].Propose("z"); err != nil {
		t.Fatalf("the new leader refuses a command: %v", err)
	}
	c.deliver()
	for _, id := range ids(3) {
		wantLog(t, c.nodes[id], 1, 1, 2)
	}
}

// §3.10, to a follower that is behind: the leader first brings its log up
// to date with ordinary AppendEntries, and only then sends TimeoutNow.
func TestTransferCatchesABehindFollowerUpFirst(t *testing.T) {
	c := transferCluster(t, []string{"x"})
	l := c.nodes[1]
	c.drop = func(m Message) bool { return m.To == 3 || m.From == 3 }
	for _, cmd := range []string{"a", "b", "c"} {
		if _, err := l.Propose(cmd); err != nil {
			t.Fatal(err)
		}
		c.deliver()
	}
	c.drop = nil
	if got := c.nodes[3].LastIndex(); got != 1 {
		t.Fatalf("S3's log ends at %d, want 1", got)
	}
	if _, match := l.Progress(3); match != 1 {
		t.Fatalf("the leader has S3 matching up to %d, want 1", match)
	}
	if err := l.TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	rd := drain(l)
	wantKinds(t, rd.Events, EvTransferStarted)
	wantEvent(t, rd.Events, Event{Kind: EvTransferStarted, Node: 1, Term: 1, Role: Leader, Peer: 3, Index: 1, Last: 4})
	if len(msgsOf(rd.Messages, MsgTimeoutNow)) != 0 || len(msgsOf(rd.Messages, MsgApp)) != 1 {
		t.Fatalf("the transfer to a follower that is behind began with:\n%s", fmtMsgs(rd.Messages))
	}
	// Follow S3 message by message: TimeoutNow may reach it only once
	// its log is the leader's.
	c.queue = append(c.queue, rd.Messages...)
	for len(c.queue) > 0 {
		m := c.queue[0]
		c.queue = c.queue[1:]
		if m.Type == MsgTimeoutNow && (c.nodes[3].LastIndex() != 4 || c.nodes[3].LastTerm() != 1) {
			t.Fatalf("TimeoutNow sent while S3's log ends at %d/%d", c.nodes[3].LastIndex(), c.nodes[3].LastTerm())
		}
		mustStep(t, c.nodes[m.To], m)
		c.queue = append(c.queue, drain(c.nodes[m.To]).Messages...)
	}
	wantState(t, c.nodes[3], Leader, 2, 3, 3)
	wantLog(t, c.nodes[3], 1, 1, 1, 1)
}

// §3.10: "If leadership transfer does not complete after about an election
// timeout, the prior leader aborts the transfer and resumes accepting
// client requests." Here the target is cut off, so it never answers.
func TestTransferToAnUnreachableServerIsAbandoned(t *testing.T) {
	c := transferCluster(t, []string{"x"}, withHeartbeat(2))
	l := c.nodes[1]
	c.drop = func(m Message) bool { return m.To == 3 || m.From == 3 }
	if _, err := l.Propose("y"); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	start := l.Now()
	if err := l.TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	var evs []Event
	abandoned := -1
	for abandoned < 0 && l.Now() < start+3*testElection {
		for _, id := range []ID{1, 2} { // S3's clock stands still: it hears nothing anyway
			c.nodes[id].Tick()
		}
		before := len(evs)
		c.stepAll(&evs)
		if len(eventsOf(evs[before:], EvTransferAbandoned)) > 0 {
			abandoned = l.Now()
		}
		if abandoned < 0 {
			if _, err := l.Propose("no"); !errors.As(err, new(*TransferringError)) {
				t.Fatalf("time %d: a proposal during the transfer: %v", l.Now(), err)
			}
		}
	}
	if abandoned != start+testElection {
		t.Fatalf("transfer started at %d abandoned at %d, want %d", start, abandoned, start+testElection)
	}
	wantEvent(t, evs, Event{Kind: EvTransferAbandoned, Node: 1, Term: 1, Role: Leader, Peer: 3})
	wantNoEvent(t, evs, EvTimeoutNow)
	wantState(t, l, Leader, 1, 1, 1)
	if l.Transferee() != None {
		t.Errorf("Transferee() = %v after the transfer was abandoned", l.Transferee())
	}
	// Commands are taken again.
	if _, err := l.Propose("z"); err != nil {
		t.Fatalf("a proposal after the transfer was abandoned: %v", err)
	}
	c.deliver()
	wantLog(t, c.nodes[2], 1, 1, 1)
	// A new transfer may start, and this one works.
	c.drop = nil
	c.nodes[1].FireHeartbeat()
	c.deliver()
	if err := l.TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	wantState(t, c.nodes[3], Leader, 2, 3, 3)
}

// While it hands leadership over, the leader takes no new command
// (§3.10): Propose refuses with a redirect to the target, the log does not
// grow, and the refusal is an event that names the target.
func TestProposalsAreRefusedDuringATransfer(t *testing.T) {
	c := transferCluster(t, []string{"x"})
	l := c.nodes[1]
	c.drop = func(m Message) bool { return m.Type == MsgTimeoutNow } // keep the transfer going
	if err := l.TransferLeadership(2); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	idx, err := l.Propose("y")
	var te *TransferringError
	if !errors.As(err, &te) || idx != 0 {
		t.Fatalf("Propose during a transfer = %d, %v; want a *TransferringError", idx, err)
	}
	if *te != (TransferringError{Leader: 1, To: 2}) {
		t.Errorf("error %+v", *te)
	}
	if want := "S1 is handing leadership to S2 and takes no new commands (try S2)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	rd := drain(l)
	wantKinds(t, rd.Events, EvProposalRejected)
	wantEvent(t, rd.Events, Event{Kind: EvProposalRejected, Node: 1, Term: 1, Role: Leader, Peer: 2, Reason: ReasonTransferring})
	if len(rd.Messages) != 0 || len(rd.Entries) != 0 {
		t.Errorf("a refused proposal sent or wrote something: %+v", rd)
	}
	wantLog(t, l, 1)
}

// With prevote on, the target of a transfer still starts its election at
// once: a pre-vote round would be denied, for every voter hears from the
// leader, and the leader asked for the election.
func TestTransferSkipsPreVote(t *testing.T) {
	c := transferCluster(t, []string{"x"}, withRule(PreVote, true))
	var evs []Event
	if err := c.nodes[1].TransferLeadership(2); err != nil {
		t.Fatal(err)
	}
	c.stepAll(&evs)
	wantNoEvent(t, evs, EvBecamePreCandidate)
	wantEvent(t, evs, Event{Kind: EvBecameCandidate, Node: 2, Term: 2, Role: Candidate, Peer: 1, Reason: ReasonTransfer})
	wantState(t, c.nodes[2], Leader, 2, 2, 2)
}

// With the vote lease on, a voter that hears from the leader ignores a
// vote request, unless the request says it comes of a transfer (§4.2.3:
// "I have permission to disrupt the leader—it told me to!").
func TestTransferPassesTheVoteLease(t *testing.T) {
	// Without the flag, S3's election goes nowhere: S1 and S2 ignore it.
	c := transferCluster(t, []string{"x"}, withRule(VoteLease, true))
	var evs []Event
	c.nodes[3].Campaign()
	c.stepAll(&evs)
	wantState(t, c.nodes[3], Candidate, 2, 3, None)
	wantState(t, c.nodes[1], Leader, 1, 1, 1)
	for _, voter := range []ID{1, 2} {
		wantEvent(t, evs, Event{Kind: EvVoteDenied, Node: voter, Term: 1, Role: c.nodes[voter].Role(), Peer: 3, Reason: ReasonLeaderAlive,
			Asked: 2, CandIndex: 1, CandTerm: 1, OwnIndex: 1, OwnTerm: 1})
	}
	wantNoEvent(t, evs, EvVoteGranted)

	// A transfer's election is heard and won.
	c = transferCluster(t, []string{"x"}, withRule(VoteLease, true))
	evs = nil
	if err := c.nodes[1].TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	c.stepAll(&evs)
	if got := len(eventsOf(evs, EvVoteGranted)); got != 2 {
		t.Errorf("%d votes granted to the transfer's candidate, want 2:\n%s", got, fmtEvents(evs))
	}
	wantNoEvent(t, evs, EvVoteDenied)
	wantState(t, c.nodes[3], Leader, 2, 3, 3)
}

// The transfer's vote requests carry the flag; other elections' do not.
func TestTransferFlagOnlyOnTheTransfersVoteRequests(t *testing.T) {
	n := newTestNode(t, 2, ids(3), withState(1, None, 1))
	mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 1, PrevIndex: 1, PrevTerm: 1})
	drain(n)
	mustStep(t, n, Message{Type: MsgTimeoutNow, From: 1, To: 2, Term: 1})
	rd := drain(n)
	wantMsgs(t, rd.Messages,
		Message{Type: MsgVote, From: 2, To: 1, Term: 2, LastIndex: 1, LastTerm: 1, Transfer: true},
		Message{Type: MsgVote, From: 2, To: 3, Term: 2, LastIndex: 1, LastTerm: 1, Transfer: true})
	n.FireElectionTimer()
	rd = drain(n)
	for _, m := range msgsOf(rd.Messages, MsgVote) {
		if m.Transfer {
			t.Errorf("a timer's election sent %v", m)
		}
	}
}

// A TimeoutNow of an older term is stale: it starts nothing. One of a
// newer term makes the server a follower of that term first, then a
// candidate of the next.
func TestTimeoutNowTerms(t *testing.T) {
	n := newTestNode(t, 2, ids(3), withState(3, None))
	mustStep(t, n, Message{Type: MsgTimeoutNow, From: 1, To: 2, Term: 2})
	rd := drain(n)
	wantKinds(t, rd.Events, EvStaleMessage)
	wantState(t, n, Follower, 3, None, None)
	mustStep(t, n, Message{Type: MsgTimeoutNow, From: 1, To: 2, Term: 5})
	rd = drain(n)
	wantKinds(t, rd.Events, EvBecameFollower, EvBecameCandidate)
	wantState(t, n, Candidate, 6, 2, None)
	// A leader ignores one of its own term (two leaders: a safety rule off).
	l := newLeader(t, 1, ids(3))
	mustStep(t, l, Message{Type: MsgTimeoutNow, From: 2, To: 1, Term: l.Term()})
	if rd := drain(l); len(rd.Events) != 0 || len(rd.Messages) != 0 || l.Role() != Leader {
		t.Errorf("a leader took TimeoutNow: %+v", rd)
	}
}

// What TransferLeadership refuses, and why: nothing changes.
func TestTransferRefusals(t *testing.T) {
	c := transferCluster(t, []string{"x"})
	l, f := c.nodes[1], c.nodes[2]
	var nl *NotLeaderError
	if err := f.TransferLeadership(3); !errors.As(err, &nl) || err.Error() != "S2 is not the leader (try S1)" {
		t.Errorf("a follower's transfer: %v", err)
	}
	tests := []struct {
		to   ID
		want string
	}{
		{1, "S1 leads already: leadership goes to another server"},
		{0, "S1 has no server 0 to hand leadership to"},
		{4, "S1 has no server 4 to hand leadership to"},
		{-1, "S1 has no server -1 to hand leadership to"},
		{12, "S1 has no server 12 to hand leadership to"},
	}
	for _, tt := range tests {
		if err := l.TransferLeadership(tt.to); err == nil || err.Error() != tt.want {
			t.Errorf("TransferLeadership(%d) = %v, want %q", tt.to, err, tt.want)
		}
		if err := l.CheckTransfer(tt.to); err == nil || err.Error() != tt.want {
			t.Errorf("CheckTransfer(%d) = %v, want %q", tt.to, err, tt.want)
		}
	}
	if err := l.CheckTransfer(3); err != nil {
		t.Errorf("CheckTransfer(3) = %v", err)
	}
	if l.HasReady() || f.HasReady() || l.Transferee() != None {
		t.Errorf("a refused transfer changed something: transferee %v, %+v", l.Transferee(), l.Ready())
	}
	c.drop = func(m Message) bool { return m.Type == MsgTimeoutNow }
	if err := l.TransferLeadership(2); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	if err := l.TransferLeadership(3); err == nil || err.Error() != "S1 is already handing leadership to S2" {
		t.Errorf("a second transfer: %v", err)
	}
	if l.Transferee() != 2 {
		t.Errorf("Transferee() = %v, want S2", l.Transferee())
	}
}

// A transfer ends whenever its leader stops leading, whatever the reason:
// a leader of a later term, or a forced election of its own.
func TestTransferEndsWithTheLeadership(t *testing.T) {
	c := transferCluster(t, []string{"x"})
	l := c.nodes[1]
	c.drop = func(m Message) bool { return m.Type == MsgTimeoutNow }
	if err := l.TransferLeadership(2); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	l.Campaign()
	if l.Transferee() != None {
		t.Errorf("a candidate keeps transferring to %v", l.Transferee())
	}
	c.deliver()
	if l.Role() != Leader {
		t.Fatalf("S1 is %v", l.Role())
	}
	if _, err := l.Propose("y"); err != nil {
		t.Errorf("a leader re-elected refuses commands: %v", err)
	}
}

// The vote lease (dissertation §4.2.3), on one voter: within the minimum
// election timeout of hearing from its leader, a vote request of a newer
// term is ignored: no term adopted, no vote, no answer, no timer reset.
func TestVoteLease(t *testing.T) {
	heard := func(since int) func(t *testing.T, n *Node) {
		return func(t *testing.T, n *Node) {
			mustStep(t, n, Message{Type: MsgApp, From: 1, To: 2, Term: 2, PrevIndex: 2, PrevTerm: 2})
			n.SetElectionTimer(100) // keep it a follower while time passes
			n.Advance(since)
		}
	}
	tests := []struct {
		name     string
		lease    bool
		prep     func(t *testing.T, n *Node)
		transfer bool
		ignored  bool
	}{
		{"leader heard just now", true, heard(0), false, true},
		{"leader heard ElectionMin-1 ago", true, heard(testElection - 1), false, true},
		{"leader heard ElectionMin ago", true, heard(testElection), false, false},
		{"no leader heard", true, nil, false, false},
		{"a transfer's request", true, heard(0), true, false},
		{"rule off", false, heard(0), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newTestNode(t, 2, ids(3), withState(2, None, 1, 2), withRule(VoteLease, tt.lease))
			if tt.prep != nil {
				tt.prep(t, n)
			}
			drain(n)
			start, deadline := n.ElectionTimer()
			mustStep(t, n, Message{Type: MsgVote, From: 3, To: 2, Term: 3, LastIndex: 2, LastTerm: 2, Transfer: tt.transfer})
			rd := drain(n)
			if !tt.ignored {
				wantEvent(t, rd.Events, Event{Kind: EvVoteGranted, Node: 2, Term: 3, Role: Follower, Peer: 3, Reason: ReasonUpToDate,
					CandIndex: 2, CandTerm: 2, OwnIndex: 2, OwnTerm: 2})
				wantState(t, n, Follower, 3, 3, None)
				return
			}
			wantKinds(t, rd.Events, EvVoteDenied)
			wantEvent(t, rd.Events, Event{Kind: EvVoteDenied, Node: 2, Term: 2, Role: Follower, Peer: 3, Reason: ReasonLeaderAlive,
				Asked: 3, CandIndex: 2, CandTerm: 2, OwnIndex: 2, OwnTerm: 2})
			wantMsgs(t, rd.Messages)
			wantState(t, n, Follower, 2, None, 1)
			if rd.HardStateChanged {
				t.Errorf("an ignored request changed the hard state to %v", rd.HardState)
			}
			if s, d := n.ElectionTimer(); s != start || d != deadline {
				t.Errorf("an ignored request moved the election timer from %d..%d to %d..%d", start, deadline, s, d)
			}
		})
	}
	// A request of the voter's own term is not about disruption: answered
	// as ever (here, the vote is still free).
	n := newTestNode(t, 2, ids(3), withState(2, None, 1, 2), withRule(VoteLease, true))
	heard(0)(t, n)
	drain(n)
	mustStep(t, n, Message{Type: MsgVote, From: 3, To: 2, Term: 2, LastIndex: 2, LastTerm: 2})
	wantMsgs(t, drain(n).Messages, Message{Type: MsgVoteResp, From: 2, To: 3, Term: 2})
	// A leader hears from itself: it ignores a request of a newer term.
	l := newLeader(t, 1, ids(3), withRule(VoteLease, true))
	mustStep(t, l, Message{Type: MsgVote, From: 2, To: 1, Term: 5})
	rd := drain(l)
	wantKinds(t, rd.Events, EvVoteDenied)
	wantMsgs(t, rd.Messages)
	wantState(t, l, Leader, 1, 1, 1)
}

// What the vote lease is for: S3 can reach S2 but not the leader S1 (a
// partial partition). S3 times out again and again; without the lease,
// S2 takes S3's newer term, and its answers depose S1, over and over;
// with it, S2 ignores S3, and S1 leads on.
func TestVoteLeaseKeepsAPartialPartitionFromDeposingTheLeader(t *testing.T) {
	for _, lease := range []bool{false, true} {
		c := newCluster(t, 3, withRule(VoteLease, lease), withHeartbeat(2))
		c.nodes[1].Campaign()
		c.deliver()
		c.drop = func(m Message) bool {
			return (m.From == 1 && m.To == 3) || (m.From == 3 && m.To == 1)
		}
		for range 6 * testElection {
			for _, id := range ids(3) {
				c.nodes[id].Tick()
			}
			c.deliver()
		}
		kept := c.nodes[1].Role() == Leader && c.nodes[1].Term() == 1
		if kept != lease {
			t.Errorf("vote-lease %v: S1 is %v of term %d, S2 %v of term %d, S3 %v of term %d", lease,
				c.nodes[1].Role(), c.nodes[1].Term(), c.nodes[2].Role(), c.nodes[2].Term(), c.nodes[3].Role(), c.nodes[3].Term())
		}
		if lease && c.nodes[2].Term() != 1 {
			t.Errorf("vote-lease on: S2 went to term %d", c.nodes[2].Term())
		}
	}
}

// A leader's transfer under way is part of its state: it encodes, loads
// back and tells a leader that transfers from one that does not. Loading
// refuses a transfer on a server that is not a leader, or to itself.
func TestTransferInTheStateEncoding(t *testing.T) {
	c := transferCluster(t, []string{"x"})
	l := c.nodes[1]
	plain := l.AppendState(nil, nil)
	c.drop = func(m Message) bool { return m.Type == MsgTimeoutNow }
	if err := l.TransferLeadership(3); err != nil {
		t.Fatal(err)
	}
	c.deliver()
	enc := l.AppendState(nil, nil)
	if slices.Equal(enc, plain) {
		t.Fatal("a transfer under way does not show in the encoding")
	}
	var names Renaming
	for _, id := range ids(3) {
		names[id] = id
	}
	names[2], names[3] = 3, 2
	if renamed := l.AppendState(nil, &names); renamed[0]>>4 != 2 {
		t.Errorf("renamed, the transfer goes to %v, want S2", ID(renamed[0]>>4))
	}
	cfg := newSetup(1, ids(3)).cfg
	m, rest, err := LoadState(cfg, enc)
	if err != nil || len(rest) != 0 {
		t.Fatalf("LoadState: %v (%d bytes left)", err, len(rest))
	}
	if m.Transferee() != 3 || !slices.Equal(m.AppendState(nil, nil), enc) {
		t.Errorf("loaded: transferee %v", m.Transferee())
	}
	if _, err := m.Propose("y"); err == nil {
		t.Errorf("a loaded leader in a transfer takes commands")
	}
	for _, bad := range []struct {
		b    byte
		what string
	}{
		{byte(Follower) | 3<<4, "a follower handing leadership to S3"},
		{byte(Leader) | 1<<4, "a leader handing leadership to S1"},
		{byte(Leader) | 5<<4, "a leader handing leadership to S5"},
	} {
		b := slices.Clone(enc)
		b[0] = bad.b
		if _, _, err := LoadState(cfg, b); err == nil || err.Error() != "raft: bad state encoding: "+bad.what {
			t.Errorf("loading %s: %v", bad.what, err)
		}
	}
	// The transfer flag of a RequestVote, and TimeoutNow, round-trip too.
	for _, msg := range []Message{
		{Type: MsgVote, From: 2, To: 1, Term: 4, LastIndex: 3, LastTerm: 2, Transfer: true},
		{Type: MsgTimeoutNow, From: 1, To: 3, Term: 4},
	} {
		got, rest, err := ReadMessage(AppendMessage(nil, &msg, nil))
		if err != nil || len(rest) != 0 || !reflect.DeepEqual(got, msg) {
			t.Errorf("%v read back as %v, %v", msg, got, err)
		}
	}
	if _, _, err := ReadMessage([]byte{byte(MsgApp) | 0x80, 1, 2, 1, 0, 0, 0, 0}); err == nil {
		t.Errorf("a transfer flag on AppendEntries was read")
	}
}
