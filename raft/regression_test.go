package raft

// Regression tests for engine bugs found by the unit and fuzz tests, each
// stating what should happen. (Bugs 1 to 6 of the first report have their
// tests in step_test.go, node_test.go and replication_test.go.)

import "testing"

// BUG 7. Step accepts a term of exactly MaxTerm. A node at that term whose
// election timer fires cannot become a candidate (becomeCandidate returns
// at once, as there is no term left) and does not reset its timer either,
// so the timer stays due: Advance's loop fires it again and again without
// end, adding a timeout event each time. Tick or Advance never returns.
//
// The test fires the timer once by hand instead of calling Advance, which
// would hang; after a timer fires, it must no longer be due.
func TestRegressionTimerStaysDueAtMaxTerm(t *testing.T) {
	for _, prevote := range []bool{false, true} {
		n := newTestNode(t, 1, ids(3), withRule(PreVote, prevote))
		mustStep(t, n, Message{Type: MsgApp, From: 2, To: 1, Term: MaxTerm})
		drain(n)
		n.Sync(testElection) // the election timer is due now
		if n.UntilTimer() != 0 {
			t.Fatalf("setup: UntilTimer() = %d, want 0", n.UntilTimer())
		}
		n.fireTimers() // what Advance does when a timer is due
		if n.UntilTimer() == 0 {
			t.Errorf("prevote=%v: the election timer fired and is still due: Advance would fire it forever", prevote)
		}
	}
}
