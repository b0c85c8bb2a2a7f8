package player

import (
	"errors"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// A transfer that cannot be made is the script's error, at its line, and
// says why: only the leader hands leadership over, to another server that
// is up, one transfer at a time.
func TestTransferScriptErrors(t *testing.T) {
	const elected = "timeout S1\nrun until leader S1 within 1s\n"
	for _, tt := range []struct{ src, want string }{
		{elected + "transfer S2 to S3", "t.raft:4: transfer: S2 is not the leader (S1 is): only a leader hands leadership over"},
		{"transfer S1 to S2", "t.raft:2: transfer: S1 is not the leader: only a leader hands leadership over"},
		{elected + "crash S3\ntransfer S1 to S3", "t.raft:5: transfer: S3 is crashed: leadership goes to a server that is up"},
		{elected + "crash S1\ntransfer S1 to S3", "t.raft:5: transfer: S1 is crashed"},
		{elected + "isolate S3\ntransfer S1 to S3\ntransfer S1 to S2", "t.raft:6: transfer: S1 is already handing leadership to S3"},
	} {
		r := runToEnd(t, mustParse(t, "cluster 3\n"+tt.src))
		if err := r.Err(); err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.src, err, tt.want)
		}
	}
}

// A client's command during a transfer is refused with a redirect to the
// server taking over, and said so; it is no error of the script. Once the
// transfer is given up (S3, cut off, never hears TimeoutNow), commands are
// taken again, and the narration says why at each step.
func TestProposeDuringATransferIsRefused(t *testing.T) {
	r := runToEnd(t, mustParse(t, `cluster 3
timeout S1
run until leader S1 within 1s
run 100ms
isolate S3
transfer S1 to S3
propose x
run 300ms
propose y to S1
run 100ms
expect leads S1 and applied S1 y and applied S2 y
`))
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	qs := r.Cluster.Requests(0)
	if len(qs) != 2 || qs[0].State != sim.RequestRedirected || qs[0].Redirect != 3 || qs[1].State != sim.RequestAnswered {
		t.Fatalf("requests: %+v", qs)
	}
	var keys []string
	for _, rec := range r.Cluster.Trace(0) {
		k := sim.Describe(rec).Key
		switch k {
		case "action.transfer", "event.transfer-started.ready", "event.timeout-now", "event.proposal-rejected.transferring", "event.transfer-abandoned":
			keys = append(keys, k)
		}
	}
	want := "action.transfer event.transfer-started.ready event.timeout-now event.proposal-rejected.transferring event.transfer-abandoned"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("narrated:\n %s\nwant\n %s", got, want)
	}
}

// Transfer is an action like any: an exercise allows it or not.
func TestTransferIsAllowedByItsWord(t *testing.T) {
	for _, tt := range []struct {
		allow string
		ok    bool
	}{{"allow transfer", true}, {"allow crash", false}, {"", true}} {
		r, err := NewRunner(mustParse(t, "cluster 3\ntimeout S1\nrun until leader S1 within 1s\ngoal leader S2\n"+tt.allow+"\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for !r.Ended() && r.Err() == nil {
			r.Advance(1 << 30)
		}
		err = r.Do(sim.Action{Kind: sim.ActTransfer, Server: 1, To: 2})
		var na *notAllowed
		if tt.ok != (err == nil) || !tt.ok && !errors.As(err, &na) {
			t.Errorf("%q: Do(transfer) = %v", tt.allow, err)
		}
		if tt.ok && r.Cluster.ServerState(1, 1, 0).Role != raft.Leader {
			t.Errorf("%q: S1 stopped leading at once", tt.allow)
		}
	}
}

// In the manual network a transfer goes step by step: TimeoutNow is a
// message like any, named timeout-now, and the target's election starts
// when it is delivered.
func TestTransferStepByStep(t *testing.T) {
	r := runToEnd(t, mustParse(t, `cluster 3
timeout S1
run until leader S1 within 1s
run 100ms
network manual
transfer S1 to S2
expect leads S1 and role S2 follower
deliver S1->S2 timeout-now
expect role S2 candidate and term S2 2
deliver S2->S3 vote
deliver S3->S2 vote-reply
expect leads S2 and elected S2 in 2
`))
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
}
